"""The Gradio page: chat with cited sources, the targets table, the glossary, the whole plan,
a quiz on the plan's figures and its outline at a glance; 👍/👎 feedback on answers.

Layout and wiring only: answers come from ``Assistant``, HTML from ``assistant.web``, the
targets from ``assistant.targets``. Run ``python app.py`` (127.0.0.1:7860; see ``--help``).
"""

from __future__ import annotations

import os

# Before gradio is imported: it reads this at import time. No analytics, no version check.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import argparse
import base64
import hashlib
import inspect
import logging
import random
import shutil
import signal
import sys
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gradio as gr
from gradio.components.api_component import Api
from starlette.middleware import Middleware

from assistant import Answer, Assistant, AssistantError, Citation, load_settings
from assistant import quiz as quizzes
from assistant.corpus import Corpus
from assistant.errors import DocumentUnreadable
from assistant.feedback import FeedbackError, FeedbackStore
from assistant.index import TerminalProgress
from assistant.labels import label, page_lang, page_title
from assistant.library import add_document
from assistant.overview import draw_chart, outline, outline_html, section_choice, sections_of
from assistant.profile import DocumentProfile
from assistant.targets import Target, extract_targets, filter_targets, to_csv, write_csv
from assistant.text import replace_surrogates
from assistant.web import (
    HINT,
    Turn,
    answer_html,
    citation_label,
    document_choices,
    document_from_link,
    document_of,
    error_html,
    glossary_html,
    paragraph_html,
    parse_history,
    plan_html,
    question_html,
    streaming_html,
    upload_html,
)

log = logging.getLogger("assistant.app")

# Measured with `make load` (50 users x 20 questions, 2-core VM): 4 at once answered 6.6/s
# (p95 12.9 s) against 5.0/s (p95 15.5 s) for 2; the e5 engine is serialized by its own lock.
CONCURRENCY = 4  # answers computed at once; the rest wait in the queue
QUEUE_SIZE = 100  # waiting requests beyond this are refused: 32 refused 44% of 50 users' questions
MAX_FILE_SIZE = "1kb"  # uploads off (the default): UploadRefused refuses them outright
UPLOAD_MAX_FILE_SIZE = "20mb"  # uploads on (ASSISTANT_ALLOW_UPLOAD): a work report is a few MB
UPLOAD_SUFFIXES = (".txt", ".md", ".docx", ".pdf")  # what staff may add; the readers check the content
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")  # Gradio's upload route (and its old name)
MAX_LINK_CHARS = 500  # a ?q= longer than a question may be is cut (the assistant would cut it too)
MAX_COMMENT_CHARS = 1000
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
    "对象 Subject",
    "Subject (English)",
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
.zl-link { font-size: .85em; margin-top: .3em; }
.zl-link a, .zl-quiz-result, .zl-outline a { color: #1d4ed8; }
.zl-quiz-q { font-size: 1.1em; margin: .5em 0; overflow-wrap: anywhere; }
.zl-quiz-n { color: #4b5563; margin-right: .5em; }
.zl-quiz-result { font-weight: 600; padding: .4em .6em; border-radius: 4px; margin-bottom: .5em; }
.zl-quiz-right { background: #ecfdf5; color: #065f46; border-left: 4px solid #059669; }
.zl-quiz-wrong { background: #fef2f2; color: #7f1d1d; border-left: 4px solid #dc2626; }
.zl-quiz-score { font-weight: 600; }
.zl-outline ul { list-style: none; padding-left: 0; margin: .2em 0 .2em 1.2em; line-height: 1.8; }
.zl-outline .zl-count { color: #1e3a8a; font-size: .9em; }
.zl-outline .zl-kinds { color: #4b5563; font-size: .85em; }
.zl-chart img { max-width: 100%; height: auto; }
.zl-chart figcaption { font-size: .85em; color: #374151; }
/* the footer's grey links are below WCAG AA contrast on white */
footer .show-api, footer .built-with, footer .settings, footer a, footer button { color: #4b5563 !important; }
/* axe color-contrast: text on the chat bubble and in an empty dropdown must reach 4.5:1 */
#zl-chat .zl-sources-label { color: #374151 !important; }
#zl-chat .zl-link a { color: #1e40af !important; }
#zl-goto input { color: #111827 !important; }
#zl-goto input::placeholder { color: #4b5563 !important; opacity: 1; }
.zl-note-small { font-size: .85em; color: #374151; }
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
    default_doc = assistant.profiles.default
    home = assistant.corpus.only(default_doc)
    targets = extract_targets(home)
    target_cache: dict[tuple[str, str], list[Target]] = {(default_doc, home.fingerprint): targets}
    csv_dir = Path(tempfile.mkdtemp(prefix="zhonglou-targets-"))

    # The library as it is now: an upload (or `assistant add` with the page running) changes it.
    def titles() -> dict[str, str]:
        """Document ID → title when the library holds several documents (labels name them), else {}."""
        documents = assistant.corpus.documents
        return {doc.id: doc.title for doc in documents} if len(documents) > 1 else {}

    def one(doc: str | None) -> Corpus:
        """The picked document as a corpus of its own (the default one for an ID the library lacks)."""
        corpus = assistant.corpus
        return corpus.only(doc if doc in corpus.doc_ids else default_doc)

    def targets_of(doc: str | None) -> list[Target]:
        corpus = one(doc)
        key = (corpus.doc_ids[0], corpus.fingerprint)
        if key not in target_cache:
            target_cache[key] = extract_targets(corpus)
        return target_cache[key]

    def csv_for(rows: Sequence[Target], doc: str) -> str:
        # Named by content: files (here and in Gradio's content-addressed cache) are bounded by
        # the distinct filtered tables, not by how many filters people type.
        if len(rows) == len(targets_of(doc)):
            name = f"{doc}-targets.csv"
        else:
            name = f"{doc}-targets-{hashlib.sha1(to_csv(rows).encode()).hexdigest()[:10]}.csv"
        path = csv_dir / name
        return str(path if path.exists() else write_csv(rows, path))

    def show_citation(pid: str | None, cited: Sequence[Citation]) -> str:
        citation = next((c for c in cited if c.id == pid), None)
        if citation is None:
            return HINT
        paragraph = assistant.corpus.paragraph(citation.id)
        return paragraph_html(paragraph, citation.quote, titles().get(paragraph.doc_id, ""))

    def respond(
        question: str,
        messages: list[dict[str, Any]] | None,
        turns: list[Turn],
        mode: str,
        doc: str | None = None,
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
            chosen_mode = mode if settings.llm_configured else None
            for item in assistant.ask_stream(question, turns, chosen_mode, doc=doc or None):
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
        labels = titles()
        link = link_html(answer.question, doc if doc and doc != default_doc else "")
        messages[-1] = {"role": "assistant", "content": answer_html(answer, labels) + link}
        cited = list(answer.citations)
        first = cited[0].id if cited else None
        sources = gr.Radio(choices=[(citation_label(c, labels), c.id) for c in cited], value=first)
        yield (
            "",
            messages,
            [*turns, (answer.question, answer.text)],
            cited,
            sources,
            show_citation(first, cited),
        )

    def ask(
        question: str, history: list | str | None = None, mode: str | None = None, doc: str | None = None
    ) -> dict:
        """The answer as ``Answer.to_dict()``, or ``{"error": message}`` for a question it cannot take.

        ``doc`` (a document ID) answers questions that name no place or year from that document.
        """
        try:
            return assistant.ask(question, parse_history(history), mode, doc=doc or None).to_dict()
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
        shown = one(document_of(citation.id))  # the cited paragraph's document, picked or not
        goto_to = gr.Dropdown(choices=_goto_choices(shown), value=citation.id)
        return gr.Tabs(selected="browse"), goto_to, plan_html(shown, citation.id, citation.quote)

    def go_to(pid: str | None) -> str:
        return plan_html(one(document_of(pid or default_doc)), pid)

    def filter_table(query: str, doc: str) -> tuple[Any, ...]:
        every = targets_of(doc)
        rows = filter_targets(every, query or "")
        return _table(rows), _count(len(rows), len(every)), csv_for(rows, one(doc).doc_ids[0])

    def show_document(doc: str, query: str) -> tuple[Any, ...]:
        """The Targets, Glossary and Browse tabs for the picked document."""
        corpus = one(doc)
        goto_choices = gr.Dropdown(choices=_goto_choices(corpus), value=None)
        return (*filter_table(query, doc), glossary_html(corpus), goto_choices, plan_html(corpus))

    def from_link(request: gr.Request) -> tuple[Any, ...]:
        """``?q=`` asks a question when the page opens; ``?doc=`` picks the document first."""
        params = request.query_params if request is not None else {}
        q = params.get("q", "")
        requested = params.get("doc", "")[:MAX_LINK_CHARS]
        doc, note = document_from_link(requested, assistant.corpus.doc_ids, default_doc)
        shown = len(assistant.corpus.documents) > 1 or settings.allow_upload  # `assistant add` meanwhile
        return (q[:MAX_LINK_CHARS] if q else gr.update()), picker_for(doc), note, gr.Row(visible=shown)

    def picker_for(doc: str) -> Any:
        """The picker over the library as it is now (the page was built before any upload)."""
        documents = assistant.corpus.documents
        return gr.Dropdown(choices=document_choices(documents), value=doc, visible=len(documents) > 1)

    def upload(file: str | None) -> tuple[Any, ...]:
        """Add a staff member's file to the library and index it; the picker offers it at once."""
        if not file:
            return "", gr.update()
        try:
            profile = add_upload(settings.corpus_dir, Path(file))
            assistant.ingest()  # incremental: only the new document is embedded
        except AssistantError as exc:
            return error_html(str(exc)), gr.update()
        except Exception:  # the page boundary
            log.exception("adding the upload %s failed", Path(file).name)
            return error_html(INTERNAL_ERROR), gr.update()
        return upload_html(profile, len(one(profile.id).paragraphs)), picker_for(profile.id)

    profile = assistant.profiles.home  # the default document names the page
    with Page(title=f"{profile.title}问答 · {profile.place_en or profile.place} Plan Assistant") as demo:
        with gr.Row(equal_height=False):
            title = gr.Markdown(page_title(profile, "zh"), elem_id="zl-title")
            lang = gr.Radio(
                [("中文", "zh"), ("English", "en")],
                value=None,  # set on load from the browser's language, which relabels the page
                label="界面语言 Page language",
                elem_id="zl-lang",
                scale=0,
                min_width=180,
            )
        several = len(assistant.corpus.documents) > 1
        upload_btn = upload_note = None
        # The library row: the picker (several documents) and, for staff, the upload button.
        with gr.Row(equal_height=False, visible=several or settings.allow_upload) as library_row:
            doc_picker = gr.Dropdown(
                document_choices(assistant.corpus.documents),
                value=default_doc,
                label="文档 Document",
                elem_id="zl-doc",
                visible=several,  # one document: nothing to pick
                scale=2,
                min_width=240,
            )
            if settings.allow_upload:  # ASSISTANT_ALLOW_UPLOAD; off, the page takes no file at all
                with gr.Column(scale=3, min_width=240):
                    upload_btn = gr.UploadButton(
                        "上传文档 Upload a document",
                        file_types=list(UPLOAD_SUFFIXES),
                        file_count="single",
                        type="filepath",
                        size="sm",
                        elem_id="zl-upload",
                    )
                    upload_note = gr.HTML("", elem_id="zl-upload-note")
        doc_note = gr.HTML("", elem_id="zl-doc-note")
        turns = gr.State([])
        cited = gr.State([])
        answered = gr.State({})  # chat message index → the answer it shows, for 👍/👎
        rated = gr.State(None)  # the feedback row a comment goes to
        with gr.Tabs(overflow_behavior="wrap") as tabs:
            with gr.Tab("问答 Chat", id="chat") as chat_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        chatbot = gr.Chatbot(
                            label="对话 Chat",
                            elem_id="zl-chat",
                            height=480,
                            min_height=280,
                            feedback_options=("Like", "Dislike"),
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
                feedback_ui = _feedback_row()
                gr.Examples(EXAMPLES, inputs=[question], label="示例 Examples")
            with gr.Tab("指标一览 Targets", id="targets") as targets_tab:
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
                        value=csv_for(targets, default_doc),
                        size="md",
                        scale=1,
                        min_width=120,
                        elem_id="zl-download",
                    )
                target_count = gr.Markdown(_count(len(targets), len(targets)))
                table = gr.Dataframe(
                    value=_table(targets),
                    headers=TARGET_HEADERS,
                    datatype=["str", "str", "str", "str", "str", "str", "str", "number"],
                    interactive=False,
                    wrap=True,
                    max_height=640,
                    elem_id="zl-targets",
                )
            with gr.Tab("名词解释 Glossary", id="glossary") as glossary_tab:
                glossary = gr.HTML(glossary_html(home), elem_id="zl-glossary")
            with gr.Tab("全文 Browse", id="browse") as browse_tab:
                goto = gr.Dropdown(
                    choices=_goto_choices(home),
                    value=None,
                    label="跳到段落 Go to paragraph",
                    elem_id="zl-goto",
                )
                plan_view = gr.HTML(plan_html(home), elem_id="zl-plan")
            # The quiz and the overview stay on the default document, whatever is picked.
            with gr.Tab("练一练 Quiz", id="quiz") as quiz_tab:
                quiz_labels = _quiz_tab(home, targets, lang)
            with gr.Tab("一图读懂 Overview", id="overview") as overview_tab:
                overview_labels = _overview_tab(home, targets, csv_dir, lang, tabs, goto, plan_view)

        chat_io = {
            "inputs": [question, chatbot, turns, mode, doc_picker],
            "outputs": [question, chatbot, turns, cited, sources, source_panel],
            "concurrency_id": "assistant",
            "concurrency_limit": CONCURRENCY,
            "api_visibility": "private",
        }
        question.submit(respond, **chat_io).then(
            _remember, [chatbot, turns, cited, mode, answered], [answered], api_visibility="private"
        )
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
            [target_filter, doc_picker],
            [table, target_count, download],
            trigger_mode="always_last",
            api_visibility="private",
        )
        doc_picker.change(
            show_document,
            [doc_picker, target_filter],
            [table, target_count, download, glossary, goto, plan_view],
            trigger_mode="always_last",
            api_visibility="private",
        )
        if upload_btn is not None:
            upload_btn.upload(
                upload,
                [upload_btn],
                [upload_note, doc_picker],
                concurrency_id="library",
                concurrency_limit=1,  # one change to the library at a time
                api_visibility="private",
            )
        gr.api(ask, api_name="ask", concurrency_id="assistant", concurrency_limit=CONCURRENCY)

        # Feedback: 👍/👎 under each answer, an optional comment; a storage failure is a note only.
        store = FeedbackStore.in_dir(settings.data_dir)
        comment, send, copy_btn, link_box, note = feedback_ui

        def rate(answers: dict[Any, Any], data: gr.LikeData) -> tuple[str, Any]:
            return _rate(store, answers, data)

        chatbot.like(
            rate,
            [answered],
            [note, rated],
            api_visibility="private",
        )
        send.click(
            lambda row, text: _comment(store, row, text),
            [rated, comment],
            [note, comment],
            api_visibility="private",
        )
        copy_btn.click(None, None, [link_box], js=COPY_LINK_JS, api_visibility="private")

        # A shared link: ?q=… asks that question when the page opens (in ?doc=…'s document).
        def respond_to_link(*args: Any) -> Iterator[tuple[Any, ...]]:
            if not str(args[0] or "").strip():
                yield (gr.update(),) * 6
                return
            yield from respond(*args)

        demo.load(
            from_link, None, [question, doc_picker, doc_note, library_row], api_visibility="private"
        ).then(respond_to_link, **chat_io).then(
            _remember, [chatbot, turns, cited, mode, answered], [answered], api_visibility="private"
        )

        # The page language: the browser's by default, then the toggle.
        relabel = [
            (title, "title", "value"),
            (chat_tab, "tab_chat", "label"),
            (targets_tab, "tab_targets", "label"),
            (glossary_tab, "tab_glossary", "label"),
            (browse_tab, "tab_browse", "label"),
            (quiz_tab, "tab_quiz", "label"),
            (overview_tab, "tab_overview", "label"),
            (chatbot, "chat", "label"),
            (question, "question_hint", "placeholder"),
            (sources, "sources", "label"),
            (open_btn, "open", "value"),
            (comment, "comment", "label"),
            (send, "send_comment", "value"),
            (copy_btn, "copy_link", "value"),
            (link_box, "link", "label"),
            (target_filter, "filter", "label"),
            (download, "download_csv", "label"),
            (goto, "goto", "label"),
            (lang, "language", "label"),
            (doc_picker, "document", "label"),
            *([(upload_btn, "upload", "label")] if upload_btn is not None else []),
            *quiz_labels,
            *overview_labels,
        ]
        demo.load(_browser_lang, None, [lang], api_visibility="private")
        lang.change(
            lambda code: [_relabel(component, key, attr, code, profile) for component, key, attr in relabel],
            [lang],
            [component for component, _, _ in relabel],
            api_visibility="private",
        ).then(None, [lang], None, js=HTML_LANG_JS, api_visibility="private")

    weakref.finalize(demo, shutil.rmtree, csv_dir, ignore_errors=True)
    return demo


def link_html(question: str, doc: str = "") -> str:
    """A link that opens the page with this question asked (``?q=…``, ``&doc=…`` when picked)."""
    href = "?" + urlencode({"q": question, **({"doc": doc} if doc else {})})
    return f'\n<div class="zl-link"><a href="{escape(href)}">链接 Link ↗</a></div>'


# The last answer's link as an absolute URL: copied to the clipboard where the browser allows
# it (localhost, https), and shown in a box either way.
COPY_LINK_JS = """
() => {
  const links = document.querySelectorAll("#zl-chat .zl-link a");
  if (!links.length) return "";
  const url = new URL(links[links.length - 1].getAttribute("href"), window.location.href).href;
  navigator.clipboard?.writeText(url).catch(() => {});
  return url;
}
"""
HTML_LANG_JS = "(code) => { document.documentElement.lang = code === 'en' ? 'en' : 'zh-CN'; return []; }"


def _browser_lang(request: gr.Request) -> str:
    """The page language from the browser's Accept-Language header (Chinese when it names none)."""
    return page_lang(request.headers.get("accept-language") if request is not None else None)


def add_upload(corpus_dir: Path, path: Path) -> DocumentProfile:
    """An uploaded file into the library: its extension first, then the readers' own checks."""
    if path.suffix.lower() not in UPLOAD_SUFFIXES:
        raise DocumentUnreadable(
            f"{path.name}: only {', '.join(UPLOAD_SUFFIXES)} files can be added to the library."
        )
    return add_document(corpus_dir, path)


def _goto_choices(corpus: Corpus) -> list[tuple[str, str]]:
    return [(f"{p.id} · {p.section}", p.id) for p in corpus.paragraphs]


def _relabel(component: Any, key: str, attr: str, code: str, profile: Any = None) -> Any:
    text = page_title(profile, code) if key == "title" and profile is not None else label(key, code)
    if isinstance(component, gr.Tab):
        return gr.Tab(label=text)
    return gr.update(**{attr: text})


def _feedback_row() -> tuple[Any, ...]:
    """Under the chat: a comment for the last rating, the copy-link action and a note line."""
    with gr.Row(equal_height=False):
        comment = gr.Textbox(
            label="评论(可选) Comment (optional)",
            max_lines=3,
            max_length=MAX_COMMENT_CHARS,
            scale=3,
            min_width=200,
            elem_id="zl-comment",
        )
        send = gr.Button(
            "发送评论 Send comment", size="sm", scale=1, min_width=100, elem_id="zl-send-comment"
        )
    with gr.Row(equal_height=False):
        copy_btn = gr.Button("复制链接 Copy link", size="sm", scale=1, min_width=100, elem_id="zl-copy-link")
        link_box = gr.Textbox(
            label="链接 Link",
            interactive=False,
            scale=3,
            min_width=200,
            elem_id="zl-link-box",
            buttons=["copy"],
        )
    note = gr.HTML("", elem_id="zl-feedback-note")
    return comment, send, copy_btn, link_box, note


def _remember(
    messages: list[dict[str, Any]] | None,
    turns: list[Turn],
    cited: Sequence[Citation],
    mode: str,
    answered: dict[Any, Any],
) -> dict[Any, Any]:
    """Which chat message shows which answer, so a 👍/👎 on it stores the right one."""
    answered = dict(answered or {})
    if len(turns) < answered.get("turns", 0):
        answered = {}  # the chat was cleared
    if messages and len(turns) > answered.get("turns", 0):
        question, text = turns[-1]
        answered[len(messages) - 1] = {
            "question": question,
            "answer": text,
            "citations": [{"id": c.id, "quote": c.quote} for c in cited],
            "mode": mode or "extractive",
        }
    answered["turns"] = len(turns)
    return answered


def _rate(store: FeedbackStore, answered: dict[Any, Any], data: gr.LikeData) -> tuple[str, Any]:
    index = data.index[0] if isinstance(data.index, list | tuple) else data.index
    record = (answered or {}).get(index)
    if record is None or data.liked not in (True, False):
        return "", None
    try:
        row = store.add(1 if data.liked else -1, **record)
    except FeedbackError as exc:
        log.warning("feedback not stored: %s", exc)
        return f'<div class="zl-note-small" role="status">⚠ {escape(str(exc))}</div>', None
    thanks = "谢谢!已记录。可以再写一句评论。 Thanks — recorded; add a comment if you like."
    return f'<div class="zl-note-small" role="status">{thanks}</div>', row


def _comment(store: FeedbackStore, row: int | None, text: str) -> tuple[str, Any]:
    if row is None:
        return (
            '<div class="zl-note-small" role="status">请先点 👍 或 👎。 Rate an answer with 👍 or 👎 first.</div>',
            gr.update(),
        )
    if not (text or "").strip():
        return "", gr.update()
    try:
        store.comment(row, text)
    except FeedbackError as exc:
        log.warning("feedback comment not stored: %s", exc)
        return f'<div class="zl-note-small" role="status">⚠ {escape(str(exc))}</div>', gr.update()
    return '<div class="zl-note-small" role="status">评论已记录。 Comment recorded.</div>', ""


def _quiz_tab(corpus: Any, rows: Sequence[Target], lang: gr.Radio) -> list[tuple[Any, str, str]]:
    """练一练: five questions from the plan's figures, checked one by one, then a review round."""
    sections = quizzes.quiz_sections(rows)
    intro = gr.Markdown(label("quiz_intro", "zh"))
    with gr.Row(equal_height=False):
        section = gr.Dropdown(
            [(label("quiz_mixed", "zh"), quizzes.MIXED), *[(s, s) for s in sections]],
            value=quizzes.MIXED,
            label="范围 Section",
            elem_id="zl-quiz-section",
            min_width=200,
        )
        mode = gr.Radio(
            [("四选一 Four choices", "choice"), ("填写数字 Type the figure", "typed")],
            value="choice",
            label="题型 Kind of question",
            elem_id="zl-quiz-mode",
            min_width=200,
        )
        seed = gr.Number(
            value=0,  # 0: a new quiz each time, its number shown so it can be taken again
            label="题组编号 Quiz number",
            precision=0,
            minimum=0,
            elem_id="zl-quiz-seed",
            min_width=120,
        )
    start = gr.Button("开始 5 题 Start 5 questions", elem_id="zl-quiz-start")
    state = gr.State({})
    prompt = gr.HTML("", elem_id="zl-quiz-question")
    choices = gr.Radio([], label="选项 Choices", elem_id="zl-quiz-choices", visible=False)
    typed = gr.Textbox(label="你的答案 Your answer", elem_id="zl-quiz-typed", visible=False, max_length=40)
    with gr.Row():
        check = gr.Button("提交 Check", elem_id="zl-quiz-check", visible=False)
        next_btn = gr.Button("下一题 Next question", elem_id="zl-quiz-next", visible=False)
        review = gr.Button("复习错题 Review what I missed", elem_id="zl-quiz-review", visible=False)
    result = gr.HTML("", elem_id="zl-quiz-result")
    score = gr.HTML("", elem_id="zl-quiz-score")
    view = [prompt, choices, typed, check, next_btn, review, result, score]

    def show(st: dict[str, Any]) -> list[Any]:
        questions, results, at = st["questions"], st["results"], st["at"]
        code = st["lang"]
        right, answered = quizzes.score(results)
        if at >= len(questions):
            done = "完成!" if code == "zh" else "Done!"
            return [
                f'<div class="zl-quiz-q">{done}</div>',
                gr.Radio(visible=False, choices=[], value=None),
                gr.Textbox(visible=False, value=""),
                gr.Button(visible=False),
                gr.Button(visible=False),
                gr.Button(visible=right < answered),
                gr.update(),
                quizzes.score_html(right, answered, len(questions), code),
            ]
        q: quizzes.Question = questions[at]
        head = f'<span class="zl-quiz-n">{at + 1} / {len(questions)}</span>'
        return [
            f'<div class="zl-quiz-q">{head}{escape(q.prompt)}</div>',
            gr.Radio(
                choices=[(quizzes.choice_label(c, code), c) for c in q.choices],
                value=None,
                visible=bool(q.choices),
                label=label("quiz_choices", code),
            ),
            gr.Textbox(value="", visible=not q.choices, label=label("quiz_answer", code)),
            gr.Button(visible=True, value=label("quiz_check", code)),
            gr.Button(visible=False, value=label("quiz_next", code)),
            gr.Button(visible=False, value=label("quiz_review", code)),
            "",
            quizzes.score_html(right, answered, len(questions), code),
        ]

    def begin(sec: str, kind: str, number: float | None, code: str) -> list[Any]:
        chosen = int(number) if number else random.randint(1, 9999)  # 0 or blank: a new quiz
        questions = quizzes.make_quiz(rows, count=5, lang=code, section=sec or "", mode=kind, seed=chosen)  # type: ignore[arg-type]
        st = {"questions": questions, "results": [], "at": 0, "lang": code, "seed": chosen}
        return [st, chosen, *show(st)]

    def answer(st: dict[str, Any], chosen: str | None, text: str) -> list[Any]:
        if not st or st["at"] >= len(st["questions"]):
            return [st, *[gr.update()] * len(view)]
        q: quizzes.Question = st["questions"][st["at"]]
        res = quizzes.check(q, chosen if q.choices else text)
        if not res.given or (not q.choices and not quizzes.find_figures(quizzes.normalize_typed(text))):
            return [
                st,
                *[gr.update()] * 6,
                f'<div class="zl-quiz-result zl-quiz-wrong" role="status">{escape(res.message)}</div>',
                gr.update(),
            ]
        st = {**st, "results": [*st["results"], res]}
        right, answered = quizzes.score(st["results"])
        last = st["at"] + 1 >= len(st["questions"])
        return [
            st,
            gr.update(),
            gr.update(interactive=False) if q.choices else gr.update(),
            gr.update(interactive=False) if not q.choices else gr.update(),
            gr.Button(visible=False),
            gr.Button(visible=True),
            gr.Button(visible=last and right < answered),
            quizzes.result_html(q, res, corpus.paragraph(q.paragraph_id)),
            quizzes.score_html(right, answered, len(st["questions"]), st["lang"]),
        ]

    def advance(st: dict[str, Any]) -> list[Any]:
        if not st:
            return [st, *[gr.update()] * len(view)]
        st = {**st, "at": st["at"] + 1}
        return [st, *show(st)]

    def again(st: dict[str, Any]) -> list[Any]:
        if not st:
            return [st, *[gr.update()] * len(view)]
        questions = quizzes.missed(st["questions"], st["results"], seed=st.get("seed", 0))
        st = {**st, "questions": questions, "results": [], "at": 0}
        return [st, *show(st)]

    def reset_inputs() -> list[Any]:
        return [gr.Radio(interactive=True), gr.Textbox(interactive=True)]

    def localize(code: str) -> tuple[Any, ...]:
        kinds = [(label("quiz_choice", code), "choice"), (label("quiz_typed", code), "typed")]
        scopes = [(label("quiz_mixed", code), quizzes.MIXED), *[(s, s) for s in sections]]
        return gr.Radio(choices=kinds), gr.Dropdown(choices=scopes)

    private = {"api_visibility": "private"}
    lang.change(localize, [lang], [mode, section], **private)
    start.click(begin, [section, mode, seed, lang], [state, seed, *view], **private)
    check.click(answer, [state, choices, typed], [state, *view], **private)
    typed.submit(answer, [state, choices, typed], [state, *view], **private)
    next_btn.click(advance, [state], [state, *view], **private).then(
        reset_inputs, None, [choices, typed], **private
    )
    review.click(again, [state], [state, *view], **private).then(
        reset_inputs, None, [choices, typed], **private
    )
    return [
        (intro, "quiz_intro", "value"),
        (section, "quiz_section", "label"),
        (mode, "quiz_mode", "label"),
        (seed, "quiz_seed", "label"),
        (start, "quiz_start", "value"),
        (check, "quiz_check", "value"),
        (next_btn, "quiz_next", "value"),
        (review, "quiz_review", "value"),
    ]


def _overview_tab(
    corpus: Any,
    rows: Sequence[Target],
    out_dir: Path,
    lang: gr.Radio,
    tabs: gr.Tabs,
    goto: gr.Dropdown,
    plan_view: gr.HTML,
) -> list[tuple[Any, str, str]]:
    """一图读懂: the outline with target counts, the chart (PNG download), sections to open."""
    parts = outline(corpus, rows)
    sections = [s for s in sections_of(parts) if s.paragraph_ids]
    first = {s.name: s.paragraph_ids[0] for s in sections}
    charts = {
        code: str(draw_chart(parts, out_dir / f"zhonglou-2025-overview-{code}.png", code))
        for code in ("zh", "en")
    }
    intro = gr.Markdown(label("overview_intro", "zh"))
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=280):
            tree = gr.HTML(outline_html(parts, "zh"), elem_id="zl-outline")
            pick = gr.Radio(
                [(section_choice(s, "zh"), s.name) for s in sections],
                value=None,
                label="打开章节 Open a section",
                elem_id="zl-overview-sections",
            )
        with gr.Column(scale=3, min_width=280):
            chart = gr.HTML(_chart_html(charts["zh"], "zh"), elem_id="zl-chart")
            png = gr.DownloadButton("下载 PNG Download PNG", value=charts["zh"], elem_id="zl-chart-download")

    def open_section(name: str | None) -> tuple[Any, ...]:
        pid = first.get(name or "")
        if pid is None:
            return gr.update(), gr.update(), gr.update()
        return (
            gr.Tabs(selected="browse"),
            gr.Dropdown(choices=_goto_choices(corpus), value=pid),
            plan_html(corpus, pid),
        )

    def localize(code: str) -> tuple[Any, ...]:
        return (
            outline_html(parts, code),
            gr.Radio(choices=[(section_choice(s, code), s.name) for s in sections]),
            _chart_html(charts[code], code),
            gr.DownloadButton(value=charts[code]),
        )

    pick.input(open_section, [pick], [tabs, goto, plan_view], api_visibility="private").then(
        None, [goto], None, js=SCROLL_JS, api_visibility="private"
    )
    lang.change(localize, [lang], [tree, pick, chart, png], api_visibility="private")
    return [
        (intro, "overview_intro", "value"),
        (pick, "overview_open", "label"),
        (png, "overview_download", "label"),
    ]


def _chart_html(path: str, code: str) -> str:
    """The chart inline (a data URI: no file route to open) with its alternative text."""
    data = base64.b64encode(Path(path).read_bytes()).decode()
    alt = escape(label("overview_chart", code))
    return f'<figure class="zl-chart"><img src="data:image/png;base64,{data}" alt="{alt}"><figcaption>{alt}</figcaption></figure>'


def _echo(question: object) -> str:
    """The question as sent back with an error: text, bounded, without lone surrogates."""
    return replace_surrogates(str(question)[:1000])


def _table(targets: Sequence[Target]) -> list[list[object]]:
    return [
        [t.figure, t.english, t.subject, t.subject_en, t.measure, t.paragraph_id, t.section, t.value]
        for t in targets
    ]


def _count(shown: int, total: int) -> str:
    return f"{shown} / {total} 项指标 figures"


class Page(gr.Blocks):
    """Blocks whose API endpoints may be called without their trailing optional arguments.

    Gradio refuses a call with fewer values than the function has parameters (gradio_client fills
    the defaults in, a plain HTTP caller does not): an ``/ask`` caller from before ``doc`` existed
    sends three values, and gets the parameters' defaults for the rest.
    """

    def validate_inputs(self, block_fn: Any, inputs: list[Any]) -> None:
        missing = block_fn.inputs[len(inputs) :]
        if missing and all(isinstance(block, Api) for block in missing):
            params = list(inspect.signature(block_fn.fn).parameters.values())[len(inputs) :]
            if len(params) == len(missing) and all(p.default is not p.empty for p in params):
                inputs.extend(p.default for p in params)  # in place: Gradio goes on with this list
        super().validate_inputs(block_fn, inputs)


class UploadRefused:
    """ASGI middleware: ``POST /gradio_api/upload`` gets 403 when uploads are off (the default).

    Gradio serves the route whatever the page holds, and ``max_file_size`` still lets small files
    into its cache; ``launch(..., allow_upload=True)`` leaves this out.
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


def launch(demo: gr.Blocks, host: str, port: int, *, block: bool = True, allow_upload: bool = False) -> None:
    """Serve the page with the safe defaults: no share link, a bounded queue, no uploads.

    ``allow_upload`` (the page built with ``settings.allow_upload``) opens Gradio's upload route
    to files of at most :data:`UPLOAD_MAX_FILE_SIZE`.
    """
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=False,
        max_file_size=UPLOAD_MAX_FILE_SIZE if allow_upload else MAX_FILE_SIZE,
        app_kwargs={"middleware": [] if allow_upload else [Middleware(UploadRefused)]},
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
    launch(build_demo(assistant), args.host, args.port, allow_upload=settings.allow_upload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
