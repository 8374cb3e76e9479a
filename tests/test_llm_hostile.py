"""A lying or broken LLM server (issue 10, items 1, 3, 8): whatever it sends, the answer is the
extractive one with a note — never a wrong figure, a traceback, "内部错误" or an endless wait.

Through the real HTTP path: tests/llm_stub.py serves each reply on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from llm_stub import (
    DONE_ONLY_STREAM,
    EMPTY_STREAM,
    HTML_PAGE,
    INVALID_JSON_STREAM,
    WRONG_SHAPE_STREAM,
    ScriptedLLM,
    llm_assistant,
)

from assistant import Answer, Assistant
from assistant.config import REPO_ROOT

GREEN_Q = "今年新增多少绿地?"
GREEN_EN = "How much new green space is planned this year?"
FALLBACK = "showing the extractive answer"

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def make_llm(assistant: Assistant, stub: ScriptedLLM) -> Callable[..., Assistant]:
    return lambda **changes: llm_assistant(assistant, stub.url, **changes)


def _ask(a: Assistant, question: str) -> tuple[list[str], Answer, float]:
    started = time.perf_counter()
    pieces: list[str] = []
    final = None
    for item in a.ask_stream(question, mode="llm"):
        if isinstance(item, Answer):
            final = item
        else:
            pieces.append(item)
    assert isinstance(final, Answer)
    return pieces, final, time.perf_counter() - started


def _assert_fallback(final: Answer, note: str = FALLBACK) -> None:
    assert final.mode == "extractive", final
    assert any(note in n for n in final.notes), final.notes
    assert "10公顷" in final.text  # the extractive answer to the green-space question


# -- item 1: numbers however written, each with its unit --------------------------------------

LYING_FIGURES = [
    (GREEN_EN, "New green space this year: one hundred hectares [zl2025/p12]."),
    (GREEN_EN, "New green space this year: a dozen hectares [zl2025/p12]."),
    (GREEN_EN, "New green space this year: XII hectares [zl2025/p12]."),
    (GREEN_Q, "今年新增绿地壹佰公顷[zl2025/p12]"),
    (GREEN_Q, "今年新增绿地貳拾公顷[zl2025/p12]"),
    (GREEN_Q, "今年新增绿地廿公顷[zl2025/p12]"),
    (GREEN_Q, "今年新增绿地Ⅻ公顷[zl2025/p12]"),
]
# zl2025/p12 also says 新增里程10公里: 10公里 is in the paragraph, for the roads; the figure
# table's subject check tells the two apart. And p10's 7个 is 市重大项目's, not 超亿元产业项目's.
LYING_FIGURES += [
    (GREEN_EN, "New green space this year: 10 km [zl2025/p12]."),
    (GREEN_Q, "今年新增绿地10公里[zl2025/p12]"),
]


@pytest.mark.parametrize(
    ("question", "reply"), LYING_FIGURES, ids=[f"lie{n}" for n in range(len(LYING_FIGURES))]
)
def test_a_figure_spelled_otherwise_or_with_another_unit_is_caught(
    make_llm: Callable[..., Assistant], stub: ScriptedLLM, question: str, reply: str
) -> None:
    stub.reply(reply)
    pieces, final, _ = _ask(make_llm(), question)
    _assert_fallback(final, "failed verification")
    assert reply not in "".join(pieces)


def test_a_figure_of_another_item_in_the_cited_paragraph_is_caught(
    make_llm: Callable[..., Assistant], stub: ScriptedLLM
) -> None:
    """Item 2: p10's 7个 is 市重大项目's; 超亿元产业项目 are 10个."""
    stub.reply("今年引进超亿元产业项目7个[zl2025/p10]")
    pieces, final, _ = _ask(make_llm(), "今年引进超亿元产业项目多少个?")
    assert final.mode == "extractive" and "引进超亿元产业项目10个" in final.text
    assert any("7个 is not what the cited paragraphs" in n for n in final.notes), final.notes
    assert not pieces or "7个" not in "".join(pieces[:-1])


# -- item 3: replies that are not a chat completion -------------------------------------------

MALFORMED = {
    "invalid-json-sse": INVALID_JSON_STREAM,
    "html-page-200": HTML_PAGE,
    "empty-stream": EMPTY_STREAM,
    "done-only-stream": DONE_ONLY_STREAM,
    "wrong-shape-json": WRONG_SHAPE_STREAM,
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_reply_that_is_not_a_completion_falls_back_with_a_note(
    make_llm: Callable[..., Assistant], stub: ScriptedLLM, kind: str
) -> None:
    body, content_type = MALFORMED[kind]
    stub.reply("", body=body, content_type=content_type)
    pieces, final, _ = _ask(make_llm(), GREEN_Q)
    _assert_fallback(final)
    assert "".join(pieces) == final.text


def test_the_cli_shows_the_fallback_for_an_html_page_not_a_traceback(
    assistant: Assistant, stub: ScriptedLLM
) -> None:
    stub.reply("", body=HTML_PAGE[0], content_type=HTML_PAGE[1])
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(assistant.settings.data_dir),
        "ASSISTANT_LLM_BASE_URL": stub.url,
        "ASSISTANT_LLM_MODEL": "stub",
    }
    run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", GREEN_Q, "--mode", "llm"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert FALLBACK in run.stderr
    assert "10公顷" in run.stdout


# -- item 8: the timeout bounds the whole answer -----------------------------------------------


def test_a_dripping_server_is_cut_off_at_the_deadline(
    make_llm: Callable[..., Assistant], stub: ScriptedLLM
) -> None:
    # Two characters every 2.5 s: each read is well within the timeout, the answer never ends.
    stub.reply("今年计划新增绿地10公顷[zl2025/p12]。" * 3, chunk_chars=2, chunk_delay=2.5)
    pieces, final, seconds = _ask(make_llm(llm_timeout_s=3.0), GREEN_Q)
    _assert_fallback(final, "timed out after 3 s")
    assert seconds < 3.0 + 1.5, seconds
    assert "".join(pieces) == final.text
