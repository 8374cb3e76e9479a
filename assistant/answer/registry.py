"""Answerers behind one interface, chosen by name: ``extractive`` (offline default) and ``llm``.

An answerer turns a ``Query`` into text pieces and a final ``Answer``; the LLM answerer is built
with its fallback (the extractive one) and reaches into nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from assistant.answer.result import Answer
from assistant.errors import ConfigError
from assistant.query import Query, Turn

if TYPE_CHECKING:
    from assistant.answer.extractive import ExtractiveAnswerer
    from assistant.api import Assistant


class Answerer(Protocol):
    name: str

    def stream(self, query: Query, history: Sequence[Turn], started: float) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the complete ``Answer`` (always last)."""
        ...


class Extractive:
    """The extractive answerer as an ``Answerer``: one piece, then the answer."""

    name = "extractive"

    def __init__(self, answerer: ExtractiveAnswerer) -> None:
        self.answerer = answerer

    def stream(self, query: Query, history: Sequence[Turn], started: float) -> Iterator[str | Answer]:
        answer = self.answerer.answer(query, started or time.perf_counter())
        yield answer.text
        yield answer


def _extractive(assistant: Assistant) -> Answerer:
    return Extractive(assistant.extractive)


def _llm(assistant: Assistant) -> Answerer:
    if not assistant.settings.llm_configured:
        raise ConfigError("LLM mode needs ASSISTANT_LLM_BASE_URL (any OpenAI-compatible server).")
    from assistant.answer.llm import LLMAnswerer

    return LLMAnswerer(assistant, fallback=_extractive(assistant))


ANSWERERS: dict[str, Callable[[Assistant], Answerer]] = {"extractive": _extractive, "llm": _llm}


def get_answerer(name: str, assistant: Assistant) -> Answerer:
    """The answerer called ``name``, over ``assistant``'s index."""
    try:
        build = ANSWERERS[name]
    except KeyError:
        raise ConfigError(f"mode must be one of {', '.join(map(repr, ANSWERERS))}, not {name!r}") from None
    return build(assistant)
