"""The page's feedback and link wiring without a browser: a rating reaches the store, a broken
store is a note (never an error), a comment needs a rating, each answer links to ?q=."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import gradio as gr
import pytest

import app
from assistant.feedback import FeedbackStore

RECORD = {
    "question": "今年新增多少绿地?",
    "answer": "计划原文：“新增绿地10公顷” [zl2025/p12]",
    "citations": [{"id": "zl2025/p12", "quote": "新增绿地10公顷"}],
    "mode": "extractive",
}


def _like(index: int, liked: bool | str) -> gr.LikeData:
    return gr.LikeData(None, {"index": index, "value": "…", "liked": liked})


@pytest.mark.parametrize(("liked", "rating"), [(True, 1), (False, -1)])
def test_a_rating_of_an_answer_is_stored_and_a_comment_joins_it(
    tmp_path: Path, liked: bool, rating: int
) -> None:
    store = FeedbackStore.in_dir(tmp_path)
    note, row = app._rate(store, {1: RECORD, "turns": 1}, _like(1, liked))
    assert "谢谢" in note and row is not None
    note, cleared = app._comment(store, row, "单位对了")
    assert "评论已记录" in note and cleared == ""
    [item] = store.list()
    assert (item.rating, item.question, item.comment) == (rating, RECORD["question"], "单位对了")


def test_a_rating_of_a_message_that_is_not_an_answer_stores_nothing(tmp_path: Path) -> None:
    store = FeedbackStore.in_dir(tmp_path)
    assert app._rate(store, {1: RECORD}, _like(0, False)) == ("", None)  # the user's own message
    assert store.list() == []


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"not a database" * 200), id="corrupt-file"),
        pytest.param(lambda p: p.mkdir(), id="a-directory-in-its-place"),
    ],
)
def test_a_broken_store_is_a_small_note_not_an_error(tmp_path: Path, damage) -> None:
    store = FeedbackStore.in_dir(tmp_path)
    damage(store.path)
    note, row = app._rate(store, {1: RECORD}, _like(1, False))
    assert row is None and "feedback could not be saved" in note and 'role="status"' in note


def test_a_comment_before_a_rating_asks_for_one(tmp_path: Path) -> None:
    note, _ = app._comment(FeedbackStore.in_dir(tmp_path), None, "hello")
    assert "先点" in note


def test_each_answer_is_remembered_by_its_message_and_a_cleared_chat_starts_afresh() -> None:
    cited = [SimpleNamespace(id="zl2025/p12", quote="新增绿地10公顷")]
    turns = [("今年新增多少绿地?", "…10公顷…")]
    answered = app._remember([{}, {}], turns, cited, "extractive", {})
    assert answered[1]["citations"] == [{"id": "zl2025/p12", "quote": "新增绿地10公顷"}]
    again = app._remember([{}, {}, {}], turns, [], "extractive", answered)  # an error: no new turn
    assert 2 not in again
    fresh = app._remember([{}, {}], [("公厕呢?", "…18个…")], cited, "extractive", {**answered, "turns": 3})
    assert fresh[1]["question"] == "公厕呢?"


@pytest.mark.parametrize(
    "question", ["今年新增多少绿地?", "What is the target for rooftop solar?", 'a&b<"c">']
)
def test_an_answer_links_to_its_question(question: str) -> None:
    html = app.link_html(question)
    href = html.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query)["q"] == [question]
    assert "<c>" not in html
