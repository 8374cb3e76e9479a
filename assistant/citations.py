"""Citations: a paragraph ID, its section and text, and the clause the answer relies on.

Every citation is resolved against the corpus, so an ID that does not exist cannot be cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus import Corpus

# The paragraph ID shape, "<doc>/p<NN>" or "<doc>/g<NN>" (see assistant/corpus.py), and the tags an
# answer cites with: "[zl2025/p12]", "[zl2025/p12, zl2025/g03]", "【zl2025/p12】". Their digits are
# not figures.
PARAGRAPH_ID = r"[a-z0-9]+(?:[-_][a-z0-9]+)*/[pg]\d{2,}"
CITATION_TAG = re.compile(rf"[\[【]\s*(?P<ids>{PARAGRAPH_ID}(?:\s*[,，;；、]\s*{PARAGRAPH_ID})*)\s*[\]】]")
_ID = re.compile(PARAGRAPH_ID)


def cited_ids(text: str) -> list[str]:
    """The paragraph IDs a text cites, in first-cited order, without repeats."""
    return list(dict.fromkeys(i for m in CITATION_TAG.finditer(text) for i in _ID.findall(m.group("ids"))))


def cited_segments(text: str) -> list[tuple[list[str], str]]:
    """Each citation tag's paragraph IDs with the text between it and the tag before: the piece of
    an answer that tag cites ("计划原文：“新增绿地10公顷” [zl2025/p12]")."""
    segments, begin = [], 0
    for tag in CITATION_TAG.finditer(text):
        segments.append((_ID.findall(tag.group("ids")), text[begin : tag.start()]))
        begin = tag.end()
    return segments


def strip_citation_tags(text: str) -> str:
    """The text with each citation tag blanked out (same length, so offsets still hold)."""
    return CITATION_TAG.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True)
class Citation:
    """A cited paragraph: ``quote`` is the exact clause of ``text`` the answer relies on."""

    id: str
    section: str
    text: str
    quote: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "section": self.section, "text": self.text, "quote": self.quote}


def cite(corpus: Corpus, paragraph_id: str, quote: str = "") -> Citation:
    """Resolve a paragraph ID; the quote must be a substring of that paragraph."""
    paragraph = corpus.paragraph(paragraph_id)
    if quote and quote not in paragraph.text:
        raise ValueError(f"quote {quote!r} is not in paragraph {paragraph_id}")
    return Citation(paragraph.id, paragraph.section, paragraph.text, quote)


def merge_citations(citations: list[Citation]) -> list[Citation]:
    """One citation per paragraph, in first-cited order; two quotes of one paragraph become the
    span of the paragraph that holds both, so ``quote`` is always a substring of ``text``."""
    merged: dict[str, Citation] = {}
    for c in citations:
        old = merged.get(c.id)
        if old is None or not c.quote or c.quote in old.quote:
            merged.setdefault(c.id, c)
            continue
        if not old.quote or old.quote in c.quote:
            merged[c.id] = c
            continue
        a, b = c.text.index(old.quote), c.text.index(c.quote)
        start, end = min(a, b), max(a + len(old.quote), b + len(c.quote))
        merged[c.id] = Citation(c.id, c.section, c.text, c.text[start:end])
    return list(merged.values())
