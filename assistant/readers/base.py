"""What a reader returns, and the line-joining rule every reader shares.

A reader turns one file into logical paragraphs: one string per paragraph, which becomes one
line of the library's ``.txt`` and so one paragraph ID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Characters after which, or before which, a wrapped line joins without a space: Han, kana,
# full-width forms and CJK punctuation. Between two Latin words a wrap stood for a space.
_CJK = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026]"
)


@dataclass(frozen=True)
class ReadDocument:
    """A file read as paragraphs, with what was detected about it."""

    path: Path
    format: str  # "txt" | "markdown" | "docx" | "pdf"
    paragraphs: tuple[str, ...]
    pages: int | None = None  # PDF pages; None where a format has no pages

    @property
    def text(self) -> str:
        """The library form: one paragraph a line, UTF-8, ending with a newline."""
        return "".join(p + "\n" for p in self.paragraphs)


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one paragraph that a line wrap separated."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    return f"{left} {right}"


def clean_paragraphs(texts: list[str]) -> tuple[str, ...]:
    """Stripped, non-empty paragraphs with inner whitespace runs (tabs, breaks) made one space."""
    out = []
    for text in texts:
        text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
        if text:
            out.append(text)
    return tuple(out)
