"""One conversation, three ways in: the page's chat in a browser, ``/ask`` with its history, and
``assistant chat --json`` give the same answers, turn by turn, citing the same paragraphs.

The page renders HTML: its answer block's visible text is compared with ``Answer.text`` once both
lose their whitespace and the brackets around citation tags (the page shows a tag as a chip).
"""

from __future__ import annotations

import io
import json
import re

import pytest
from gradio_client import Client

from assistant.chat import run_chat

pytestmark = [pytest.mark.browser, pytest.mark.server]

sync_api = pytest.importorskip("playwright.sync_api")

from test_browser import (  # noqa: E402  (after the importorskip)
    ANSWER_TIMEOUT_MS,
    BOT,
    DESKTOP,
    QUESTION,
    browser,  # noqa: F401  (a fixture)
    open_page,
    url,  # noqa: F401  (a fixture)
)

CONVERSATION = ("今年新增多少绿地?", "那口袋公园呢?", "这个是哪一部分提出的?")
EXPECTED = ("新增绿地10公顷", "4个口袋公园", "(三)功能品质融合蝶变")  # each turn's answer holds its own
CITED = "zl2025/p12"
ANSWER_BLOCK = ".zl-answer, .zl-abstain"


def comparable(text: str) -> str:
    """Answer text as both surfaces can show it: no whitespace, no brackets, no notice mark."""
    return re.sub(r"[\s\[\]ⓘ]", "", text)


def page_turns(browser, url: str) -> list[tuple[str, list[str]]]:  # noqa: F811
    """(answer text, cited IDs) for each question, asked one after another in the page's chat."""
    page = open_page(browser, url, DESKTOP)
    turns = []
    try:
        for n, question in enumerate(CONVERSATION):
            box = page.locator(QUESTION)
            box.fill(question)
            box.press("Enter")
            message = page.locator(BOT).nth(n)
            message.locator(".zl-link").wait_for(timeout=ANSWER_TIMEOUT_MS)  # the final answer, not a stream
            sources = page.locator("#zl-sources label").all_inner_texts()
            turns.append(
                (message.locator(ANSWER_BLOCK).inner_text(), [s.split(" · ")[0].strip() for s in sources])
            )
    finally:
        page.close()
    return turns


def api_turns(url: str) -> list[tuple[str, list[str]]]:  # noqa: F811
    """The same conversation through ``/ask``, each call sending the turns so far as history."""
    client = Client(url, verbose=False, analytics_enabled=False)
    history: list[list[str]] = []
    turns = []
    try:
        for question in CONVERSATION:
            answer = client.predict(question, history, api_name="/ask")
            assert "error" not in answer, answer
            history.append([question, answer["text"]])
            turns.append((answer["text"], [c["id"] for c in answer["citations"]]))
    finally:
        client.close()
    return turns


def chat_turns(assistant) -> list[tuple[str, list[str]]]:
    """The same conversation typed into ``assistant chat --json``."""
    out = io.StringIO()
    assert run_chat(assistant, io.StringIO("\n".join(CONVERSATION) + "\n"), out, as_json=True) == 0
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    return [(a["text"], [c["id"] for c in a["citations"]]) for a in answers]


def test_the_page_the_api_and_the_chat_give_the_same_answers(browser, url, assistant):  # noqa: F811
    chat = chat_turns(assistant)
    api = api_turns(url)
    page = page_turns(browser, url)
    assert len(chat) == len(api) == len(page) == len(CONVERSATION)
    for n, ((chat_text, chat_ids), (api_text, api_ids), (page_text, page_ids)) in enumerate(
        zip(chat, api, page, strict=True)
    ):
        assert EXPECTED[n] in chat_text and CITED in chat_ids, (n, chat_text)
        assert api_text == chat_text, n
        assert comparable(page_text) == comparable(chat_text), (n, page_text, chat_text)
        assert api_ids == chat_ids == page_ids, n
