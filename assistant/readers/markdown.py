"""Markdown: a paragraph is a block of lines; headings, list items and quotes start their own.

Markup that is not text (``#``, ``>``, bullets, ``**``, link targets) is dropped; numbered items
keep their numbers, which documents cite (名词解释 ``1.``).
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.readers.base import ReadDocument, clean_paragraphs, join_wrapped
from assistant.readers.txt import decode

_BLOCK_START = re.compile(r"^(#{1,6}\s|>\s?|[-*+]\s|\d+[.)、]\s?|\|)")
_MARKUP = re.compile(r"^(#{1,6}\s+|>\s?|[-*+]\s+)")
_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_SENTENCE_END = re.compile(r"[。！？!?；;”」)）]$")


def _inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    if text.startswith("|"):
        text = " | ".join(cell.strip() for cell in text.strip("|").split("|"))
    return _MARKUP.sub("", text)


def _one_paragraph_a_line(lines: list[str]) -> bool:
    """A text file saved as .md: no blank lines between paragraphs, most lines end a sentence.

    Markdown would join its lines into one paragraph; its writer meant one paragraph a line.
    """
    text = [line.strip() for line in lines if line.strip()]
    blank = len(lines) - len(text)
    ending = sum(bool(_SENTENCE_END.search(line)) for line in text)
    return len(text) >= 5 and blank <= len(text) * 0.05 and ending >= len(text) * 0.3


def read(path: Path) -> ReadDocument:
    lines = decode(path, path.read_bytes()).splitlines()
    if _one_paragraph_a_line(lines):
        return ReadDocument(path, "markdown", clean_paragraphs([_inline(line.strip()) for line in lines]))
    paragraphs: list[str] = []
    current: str | None = None
    fenced = False
    for raw in lines:
        line = raw.strip()
        if line.startswith("```"):
            fenced = not fenced
            current = None
            continue
        if not line or (_TABLE_RULE.match(line) and "-" in line):
            current = None
            continue
        starts_block = fenced or bool(_BLOCK_START.match(line))
        text = _inline(line) if not fenced else line
        if current is None or starts_block or line.startswith("#"):
            paragraphs.append(text)
        else:
            paragraphs[-1] = join_wrapped(paragraphs[-1], text)
        current = None if line.startswith("#") else text
    return ReadDocument(path, "markdown", clean_paragraphs(paragraphs))
