"""Questions as they arrive: cleaned of control characters, checked, bounded in length.

Every entry point (CLI, Python API, page) passes questions through :func:`prepare_question`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import BadQuestion
from assistant.text import is_english, strip_control

EXAMPLE = "今年新增多少绿地? / What is the target for rooftop solar?"


@dataclass(frozen=True)
class Question:
    text: str
    lang: str  # "zh" | "en"
    notes: tuple[str, ...] = ()


def prepare_question(raw: object, max_chars: int) -> Question:
    """Clean a question; empty is an error, too long is truncated with a note."""
    if not isinstance(raw, str):
        raise BadQuestion(f"The question must be text, not {type(raw).__name__}.")
    text = strip_control(raw)
    if not text or not any(ch.isalnum() for ch in text):
        raise BadQuestion(f"问题为空 (the question is empty). Ask about the 2025 plan, e.g. {EXAMPLE}")
    notes: tuple[str, ...] = ()
    if len(text) > max_chars:
        notes = (
            f"问题过长，只使用了前{max_chars}个字符 (question truncated to {max_chars} of {len(text)} characters).",
        )
        text = text[:max_chars]
    return Question(text, "en" if is_english(text) else "zh", notes)
