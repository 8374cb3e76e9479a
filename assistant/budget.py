"""The per-request budget: every input of a question bounded before any work is done on it.

The question (``max_question_chars``), each history turn and the number of turns; applied once,
at the API boundary (``Assistant.ask_stream``), so no later stage meets unbounded text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.errors import BadQuestion
from assistant.question import Question, prepare_question
from assistant.text import strip_control

MAX_HISTORY_TURNS = 8  # a follow-up needs the last few turns; older ones only cost time
MAX_TURN_QUESTION_CHARS = 500  # a previous question, cut like a new one (the question limit)
MAX_TURN_ANSWER_CHARS = 2000  # a previous answer: the longest answers (several figures) fit
# Cleaning looks at this many times the bound, so a 5 MB turn costs no more than a short one.
_SCAN_FACTOR = 4

Turn = tuple[str, str]


@dataclass(frozen=True)
class Request:
    """A question and its history, cleaned and within the budget."""

    question: Question
    history: tuple[Turn, ...]


def bound_request(question: object, history: object, max_question_chars: int) -> Request:
    """The question prepared (cleaned, checked, truncated) and the history bounded."""
    return Request(prepare_question(question, max_question_chars), bound_history(history))


def bound_history(history: object) -> tuple[Turn, ...]:
    """The last ``MAX_HISTORY_TURNS`` (question, answer) pairs, each cleaned and cut to its bound.

    ``None`` is no history; anything that is not a sequence of pairs of text is a ``BadQuestion``.
    """
    if history is None:
        return ()
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise BadQuestion("history must be a list of (question, answer) pairs of text.")
    turns: list[Turn] = []
    for turn in history[-MAX_HISTORY_TURNS:]:
        if isinstance(turn, str | bytes) or not isinstance(turn, Sequence) or len(turn) != 2:
            raise BadQuestion("history must be a list of (question, answer) pairs of text.")
        asked, answered = turn
        if not isinstance(asked, str) or not isinstance(answered, str):
            raise BadQuestion("history must be a list of (question, answer) pairs of text.")
        turns.append((_bounded(asked, MAX_TURN_QUESTION_CHARS), _bounded(answered, MAX_TURN_ANSWER_CHARS)))
    return tuple(turns)


def _bounded(text: str, limit: int) -> str:
    return strip_control(text[: limit * _SCAN_FACTOR])[:limit]
