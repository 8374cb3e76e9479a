"""The answer the assistant returns: text, citations, whether it abstained, and timings.

``Answer.to_dict()`` is exactly what ``assistant ask --json`` prints and the README documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from assistant.citations import Citation


@dataclass(frozen=True)
class Answer:
    """One answer. ``abstained`` is true when the plan does not say and ``text`` says so."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    mode: str  # "extractive" | "llm"
    timings: dict[str, float] = field(default_factory=dict)  # stage → milliseconds
    notes: tuple[str, ...] = ()  # e.g. "question truncated", "LLM answer failed verification"
    lang: str = "zh"

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "abstained": self.abstained,
            "mode": self.mode,
            "lang": self.lang,
            "notes": list(self.notes),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
