"""The per-request budget (issue 10, items 4, 6, 7): every input bounded at the API boundary, so a
request costs what a normal one does whatever it holds — and odd text never crashes the model.
"""

from __future__ import annotations

import time

import pytest

from assistant import Assistant, BadQuestion
from assistant.budget import (
    MAX_HISTORY_TURNS,
    MAX_TURN_ANSWER_CHARS,
    MAX_TURN_QUESTION_CHARS,
    bound_history,
    bound_request,
)
from assistant.text import strip_control

GREEN_Q = "今年新增多少绿地?"
# Any single request on the extractive path finishes within 2 s; the tests allow for a shared VM.
SECONDS = 2.0
SLACK = 1.5


def test_history_keeps_the_last_turns_each_cut_to_its_bound() -> None:
    history = [(f"问题{n}" + "问" * 9000, f"回答{n}" + "答" * 9000) for n in range(50)]
    bounded = bound_history(history)
    assert len(bounded) == MAX_HISTORY_TURNS
    assert bounded[-1][0].startswith("问题49") and bounded[0][0].startswith(f"问题{50 - MAX_HISTORY_TURNS}")
    assert {len(q) for q, _ in bounded} == {MAX_TURN_QUESTION_CHARS}
    assert {len(a) for _, a in bounded} == {MAX_TURN_ANSWER_CHARS}


@pytest.mark.parametrize(
    "history",
    [
        "not a list",
        b"bytes",
        42,
        [("only one",)],
        [("q", "a", "extra")],
        [("q", None)],
        [(1, 2)],
        ["qa"],
        [{"role": "user"}],
    ],
    ids=repr,
)
def test_history_that_is_not_pairs_of_text_is_a_bad_question(history: object) -> None:
    with pytest.raises(BadQuestion, match="history"):
        bound_history(history)


@pytest.mark.parametrize("history", [None, [], ()])
def test_no_history(history: object) -> None:
    assert bound_history(history) == ()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("绿地\ud800多少", "绿地\ufffd多少"),
        ("\udcff\udcfe绿地", "\ufffd\ufffd绿地"),  # undecodable argv bytes (surrogateescape)
        ("a\x00b\u200bc", "abc"),
        ("\udfff", "\ufffd"),
    ],
)
def test_lone_surrogates_are_replaced_at_the_entry(raw: str, clean: str) -> None:
    assert strip_control(raw) == clean
    clean.encode("utf-8")  # what the embedding model and Chroma do with it


def test_turns_are_cleaned_too() -> None:
    ((q, a),) = bound_history([("绿地\ud800", "10公顷\x00\udc80")])
    assert (q, a) == ("绿地\ufffd", "10公顷\ufffd")
    assert bound_request("绿地\ud800?", None, 500).question.text == "绿地\ufffd?"


# -- through the real assistant: the inputs ----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["今年新增多少\ud800绿地?", "\ud800\udfff", "绿地" + "\udc80" * 600],
    ids=["in-text", "only", "many"],
)
def test_a_question_with_lone_surrogates_is_answered_or_refused_cleanly(
    assistant: Assistant, question: str
) -> None:
    try:
        answer = assistant.ask(question)
    except BadQuestion as exc:
        assert "问题为空" in str(exc)
        return
    answer.to_json().encode("utf-8")
    assistant.search(question)


def _distinct_han(n: int) -> str:
    return "".join(chr(0x4E00 + 37 * i % 20000) for i in range(n))


HOSTILE = {
    "500-distinct-han": (_distinct_han(500), None),
    "9k-history-turn": (GREEN_Q, [(_distinct_han(9000), "x")]),
    "72k-history-turn": ("那公厕呢?", [(_distinct_han(72000), _distinct_han(72000))]),
    "5MB-history": ("那公厕呢?", [(_distinct_han(500) * 10, "答" * 5_000_000)]),
    "10k-turns": ("那公厕呢?", [(GREEN_Q, "新增绿地10公顷")] * 10_000),
    "long-follow-up": ("那" + _distinct_han(499), [(_distinct_han(500), _distinct_han(2000))]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_any_request_finishes_within_the_budget(assistant: Assistant, name: str) -> None:
    question, history = HOSTILE[name]
    assistant.ask(question, history)  # caches warm, as on a running page
    started = time.perf_counter()
    answer = assistant.ask(question + "?", history)
    seconds = time.perf_counter() - started
    assert answer.citations or answer.abstained
    assert seconds < SECONDS + SLACK, f"{name}: {seconds:.2f} s"
