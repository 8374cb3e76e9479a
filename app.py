"""The Gradio page: chat with cited sources, the targets table, the glossary and the whole plan.

Layout and wiring only: answers come from ``Assistant``, HTML from ``assistant.web``, the
targets from ``assistant.targets``. Run ``python app.py`` (127.0.0.1:7860; see ``--help``).
"""

from __future__ import annotations

import os

# Before gradio is imported: it reads this at import time. No analytics, no version check.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import argparse
import hashlib
import logging
import shutil
import signal
import sys
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant import Answer, Assistant, AssistantError, Citation, load_settings
from assistant.index import TerminalProgress
from assistant.targets import Target, extract_targets, filter_targets, to_csv, write_csv
from assistant.text import replace_surrogates
from assistant.web import (
    HINT,
    Turn,
    answer_html,
    citation_label,
    error_html,
    glossary_html,
    paragraph_html,
    parse_history,
    plan_html,
    question_html,
    streaming_html,
)

log = logging.getLogger("assistant.app")

# Measured with `make load` (50 users x 20 questions, 2-core VM): 4 at once answered 6.6/s
# (p95 12.9 s) against 5.0/s (p95 15.5 s) for 2; the e5 engine is serialized by its own lock.
CONCURRENCY = 4  # answers computed at once; the rest wait in the queue
QUEUE_SIZE = 100  # waiting requests beyond this are refused: 32 refused 44% of 50 users' questions
MAX_FILE_SIZE = "1kb"  # the page takes no uploads (and UploadRefused refuses them outright)
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")  # Gradio's upload route (and its old name)
INTERNAL_ERROR = "内部错误，请稍后再试 (internal error; the details are in the server log)."

EXAMPLES = [
    "今年新增多少绿地?",
    "What is the target for rooftop solar?",
    "什么是“三先三后”原则?",
    "高企要达到多少家?",
    "2024年GDP增长多少?",
]
TARGET_HEADERS = [
    "指标 Figure",
    "English",
    "内容 What it measures",
    "段落 Paragraph",
    "章节 Section",
    "数值 Value",
]

CSS = """
/* width: 100% keeps a wide table from stretching the page past a phone's screen */
.gradio-container { width: 100% !important; min-width: 0 !important; max-width: 1200px !important;
  margin: 0 auto; }
.zl-answer, .zl-question { overflow-wrap: anywhere; }
.zl-pending { opacity: .7; }
.zl-abstain { border-left: 4px solid #d97706; background: #fffbeb; color: #78350f;
  padding: .5em .75em; border-radius: 4px; overflow-wrap: anywhere; }
.zl-error { border-left: 4px solid #dc2626; background: #fef2f2; color: #7f1d1d;
  padding: .5em .75em; border-radius: 4px; overflow-wrap: anywhere; }
.zl-note { font-size: .85em; color: #92400e; margin-top: .4em; }
.zl-sources { margin-top: .5em; font-size: .85em; line-height: 1.9; }
.zl-sources-label { color: #6b7280; }
.zl-chip, .cite-tag { display: inline-block; border: 1px solid #93c5fd; background: #eff6ff; color: #1e3a8a;
  border-radius: 999px; padding: 0 .6em; margin: 0 .2em; font-size: .85em; white-space: normal; }
.zl-paragraph { border: 1px solid #e5e7eb; border-radius: 6px; padding: .75em; overflow-wrap: anywhere; }
.zl-paragraph-id { font-weight: 600; }
.zl-crumbs { color: #6b7280; font-size: .85em; margin: .2em 0 .5em; }
.zl-text { line-height: 1.8; margin: 0; }
.zl-paragraph mark, .zl-plan mark { background: #fde68a; color: inherit; padding: 0 .1em; }
.zl-plan { line-height: 1.8; overflow-wrap: anywhere; }
.zl-plan .zl-pid, .zl-glossary .zl-pid { font-size: .75em; color: #1d4ed8; border: 1px solid #bfdbfe;
  border-radius: 4px; padding: 0 .3em; text-decoration: none; white-space: nowrap; }
.zl-plan .zl-target { background: #fefce8; outline: 2px solid #facc15; border-radius: 4px; padding: .25em; }
.zl-plan p, .zl-plan h3 { scroll-margin-top: 4em; }
.zl-glossary dt { font-weight: 600; margin-top: .8em; }
.zl-glossary dd { margin: .2em 0 0 0; line-height: 1.7; overflow-wrap: anywhere; }
/* Gradio scopes @media rules to .contain, so the page margin shrinks with the viewport instead */
.gradio-container .main.fillable { padding-left: clamp(8px, 2.5vw, 32px) !important;
  padding-right: clamp(8px, 2.5vw, 32px) !important; }
@media (max-width: 480px) {
  #zl-chat { height: 380px !important; }
}
"""

# Scroll the Browse tab to a paragraph once the tab has rendered it.
SCROLL_JS = """
(pid) => {
  if (!pid) return [];
  const id = pid.replace(/[^A-Za-z0-9_-]/g, "-");
  setTimeout(() => document.getElementById(id)?.scrollIntoView({block: "center"}), 200);
  return [];
}
"""


def build_demo(assistant: Assistant) -> gr.Blocks:
    """The page over a ready assistant (call ``.ingest()`` and ``.warm_up()`` first)."""
    settings = assistant.settings
    corpus = assistant.corpus
    titles = {doc.id: doc.title for doc in corpus.documents}
    targets = extract_targets(corpus)
    csv_dir = Path(tempfile.mkdtemp(prefix="zhonglou-targets-"))

    def csv_for(rows: Sequence[Target]) -> str:
        # Named by content: files (here and in Gradio's content-addressed cache) are bounded by
        # the distinct filtered tables, not by how many filters people type.
        if len(rows) == len(targets):
            name = "zhonglou-2025-targets.csv"
        else:
            name = f"zhonglou-2025-targets-{hashlib.sha1(to_csv(rows).encode()).hexdigest()[:10]}.csv"
        path = csv_dir / name
        return str(path if path.exists() else write_csv(rows, path))

    def show_citation(pid: str | None, cited: Sequence[Citation]) -> str:
        citation = next((c for c in cited if c.id == pid), None)
        if citation is None:
            return HINT
        paragraph = corpus.paragraph(citation.id)
        return paragraph_html(paragraph, citation.quote, titles.get(paragraph.doc_id, ""))

    def respond(
        question: str, messages: list[dict[str, Any]] | None, turns: list[Turn], mode: str
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; the final ``Answer`` replaces what was streamed."""
        messages = list(messages or [])
        question = replace_surrogates(question or "")  # JSON (orjson) cannot carry a lone surrogate
        if question.strip():
            messages.append({"role": "user", "content": question_html(question, settings.max_question_chars)})
        messages.append({"role": "assistant", "content": streaming_html([])})
        no_change = gr.update()
        yield "", messages, turns, no_change, no_change, no_change
        pieces: list[str] = []
        try:
            for item in assistant.ask_stream(question, turns, mode if settings.llm_configured else None):
                if isinstance(item, Answer):
                    answer = item
                    break
                pieces.append(item)
                messages[-1] = {"role": "assistant", "content": streaming_html(pieces)}
                yield "", messages, turns, no_change, no_change, no_change
            else:
                raise RuntimeError("ask_stream ended without an Answer")
        except AssistantError as exc:
            messages[-1] = {"role": "assistant", "content": error_html(str(exc))}
            yield "", messages, turns, no_change, no_change, no_change
            return
        except Exception:  # the page boundary: log it, show a friendly line, never a traceback
            log.exception("answering %r failed", question[:80])
            messages[-1] = {"role": "assistant", "content": error_html(INTERNAL_ERROR)}
            yield "", messages, turns, no_change, no_change, no_change
            return
        messages[-1] = {"role": "assistant", "content": answer_html(answer)}
        cited = list(answer.citations)
        first = cited[0].id if cited else None
        sources = gr.Radio(choices=[(citation_label(c), c.id) for c in cited], value=first)
        yield (
            "",
            messages,
            [*turns, (answer.question, answer.text)],
            cited,
            sources,
            show_citation(first, cited),
        )

    def ask(question: str, history: list | str | None = None, mode: str | None = None) -> dict:
        """The answer as ``Answer.to_dict()``, or ``{"error": message}`` for a question it cannot take."""
        try:
            return assistant.ask(question, parse_history(history), mode).to_dict()
        except AssistantError as exc:
            return {"question": _echo(question), "error": str(exc)}
        except Exception:
            log.exception("API answer to %r failed", str(question)[:80])
            return {"question": _echo(question), "error": INTERNAL_ERROR}

    def clear() -> tuple[Any, ...]:
        return [], [], [], gr.Radio(choices=[], value=None), HINT

    def open_in_plan(pid: str | None, cited: Sequence[Citation]) -> tuple[Any, ...]:
        citation = next((c for c in cited if c.id == pid), None)
        if citation is None:
            return gr.Tabs(selected="browse"), gr.update(), gr.update()
        return gr.Tabs(selected="browse"), citation.id, plan_html(corpus, citation.id, citation.quote)

    def go_to(pid: str | None) -> str:
        return plan_html(corpus, pid)

    def filter_table(query: str) -> tuple[Any, ...]:
        rows = filter_targets(targets, query or "")
        return _table(rows), _count(len(rows), len(targets)), csv_for(rows)

    with gr.Blocks(title="钟楼区2025年工作安排问答 · Zhonglou Plan Assistant") as demo:
        gr.Markdown(
            "## 钟楼区2025年工作安排 · 问答助手\n"
            "Zhonglou District 2025 Work Plan Assistant — every answer quotes the plan and cites "
            "its paragraph IDs; when the plan does not say, it says so."
        )
        turns = gr.State([])
        cited = gr.State([])
        with gr.Tabs(overflow_behavior="wrap") as tabs:
            with gr.Tab("问答 Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        chatbot = gr.Chatbot(
                            label="对话 Chat",
                            elem_id="zl-chat",
                            height=480,
                            min_height=280,
                            feedback_options=None,
                            buttons=["copy"],
                            placeholder="问一个关于钟楼区2025年工作安排的问题。<br>"
                            "Ask a question about Zhonglou's 2025 work plan.",
                        )
                        question = gr.Textbox(
                            show_label=False,
                            elem_id="zl-question",
                            placeholder=f"输入问题 / Ask a question (≤ {settings.max_question_chars} 字)",
                            max_length=settings.max_question_chars,
                            submit_btn=True,
                        )
                        mode = gr.Radio(
                            ["extractive", "llm"],
                            value=settings.mode,
                            label="回答方式 Mode",
                            info="extractive: quotes only; llm: a model writes, every figure checked",
                            visible=settings.llm_configured,
                        )
                    with gr.Column(scale=2, min_width=280):
                        sources = gr.Radio(
                            choices=[], label="引用 Sources", elem_id="zl-sources", interactive=True
                        )
                        source_panel = gr.HTML(HINT, elem_id="zl-source-panel")
                        open_btn = gr.Button("在全文中查看 Open in full text", size="sm", elem_id="zl-open")
                # Below both columns, so that on a phone the sources come right after the answer.
                gr.Examples(EXAMPLES, inputs=[question], label="示例 Examples")
            with gr.Tab("指标一览 Targets", id="targets"):
                gr.Markdown(
                    "计划中的所有数字指标，由程序从原文中提取。Every figure the plan states, extracted "
                    "from the text; sort from a column header's menu (⋮)."
                )
                with gr.Row(equal_height=False):
                    target_filter = gr.Textbox(
                        label="筛选 Filter",
                        placeholder="绿地, 兆瓦, p12, MW …",
                        scale=3,
                        min_width=200,
                        elem_id="zl-target-filter",
                    )
                    download = gr.DownloadButton(
                        "下载 CSV Download",
                        value=csv_for(targets),
                        size="md",
                        scale=1,
                        min_width=120,
                        elem_id="zl-download",
                    )
                target_count = gr.Markdown(_count(len(targets), len(targets)))
                table = gr.Dataframe(
                    value=_table(targets),
                    headers=TARGET_HEADERS,
                    datatype=["str", "str", "str", "str", "str", "number"],
                    interactive=False,
                    wrap=True,
                    max_height=640,
                    elem_id="zl-targets",
                )
            with gr.Tab("名词解释 Glossary", id="glossary"):
                gr.HTML(glossary_html(corpus), elem_id="zl-glossary")
            with gr.Tab("全文 Browse", id="browse"):
                goto = gr.Dropdown(
                    choices=[(f"{p.id} · {p.section}", p.id) for p in corpus.paragraphs],
                    value=None,
                    label="跳到段落 Go to paragraph",
                    elem_id="zl-goto",
                )
                plan_view = gr.HTML(plan_html(corpus), elem_id="zl-plan")

        chat_io = {
            "inputs": [question, chatbot, turns, mode],
            "outputs": [question, chatbot, turns, cited, sources, source_panel],
            "concurrency_id": "assistant",
            "concurrency_limit": CONCURRENCY,
            "api_visibility": "private",
        }
        question.submit(respond, **chat_io)
        sources.input(show_citation, [sources, cited], [source_panel], api_visibility="private")
        chatbot.clear(clear, None, [chatbot, turns, cited, sources, source_panel], api_visibility="private")
        open_btn.click(
            open_in_plan, [sources, cited], [tabs, goto, plan_view], api_visibility="private"
        ).then(None, [goto], None, js=SCROLL_JS)
        goto.input(go_to, [goto], [plan_view], api_visibility="private").then(
            None, [goto], None, js=SCROLL_JS
        )
        target_filter.change(
            filter_table,
            [target_filter],
            [table, target_count, download],
            trigger_mode="always_last",
            api_visibility="private",
        )
        gr.api(ask, api_name="ask", concurrency_id="assistant", concurrency_limit=CONCURRENCY)

    weakref.finalize(demo, shutil.rmtree, csv_dir, ignore_errors=True)
    return demo


def _echo(question: object) -> str:
    """The question as sent back with an error: text, bounded, without lone surrogates."""
    return replace_surrogates(str(question)[:1000])


def _table(targets: Sequence[Target]) -> list[list[object]]:
    return [[t.figure, t.english, t.measure, t.paragraph_id, t.section, t.value] for t in targets]


def _count(shown: int, total: int) -> str:
    return f"{shown} / {total} 项指标 figures"


class UploadRefused:
    """ASGI middleware: ``POST /gradio_api/upload`` gets 403, since no component takes a file.

    Gradio serves the route whatever the page holds, and ``max_file_size`` still lets small files
    into its cache; should the page ever take uploads, this is where a setting would open it.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/").endswith(UPLOAD_PATHS):
            body = b"uploads are not accepted"
            headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def launch(demo: gr.Blocks, host: str, port: int, *, block: bool = True) -> None:
    """Serve the page with the safe defaults: no share link, a bounded queue, no uploads."""
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=False,
        max_file_size=MAX_FILE_SIZE,
        app_kwargs={"middleware": [Middleware(UploadRefused)]},
        prevent_thread_lock=not block,
        css=CSS,
        quiet=not block,
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = load_settings()
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description="The Zhonglou Plan Assistant web page.")
    parser.add_argument("--host", default=settings.host, help=f"address to bind (default {settings.host})")
    parser.add_argument("--port", type=int, default=settings.port, help=f"port (default {settings.port})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own startup checks, not news
    try:
        assistant = Assistant(settings, progress=TerminalProgress())
        report = assistant.ingest()
        print(
            f"Index {report.status} ({report.info.chunks} chunks, {report.seconds:.1f}s); loading the model…"
        )
        assistant.warm_up()
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # SIGTERM (systemd, docker stop) exits like Ctrl-C does, so the CSV temp directory is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    launch(build_demo(assistant), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
