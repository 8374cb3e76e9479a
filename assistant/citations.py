"""Citations: a paragraph ID, its section and text, and the clause the answer relies on.

Every citation is resolved against the corpus, so an ID that does not exist cannot be cited.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.corpus import Corpus


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
    """One citation per paragraph, in first-cited order, quotes joined with " … "."""
    merged: dict[str, Citation] = {}
    for c in citations:
        if c.id in merged:
            old = merged[c.id]
            if c.quote and c.quote not in old.quote:
                merged[c.id] = Citation(c.id, c.section, c.text, f"{old.quote} … {c.quote}".strip(" …"))
        else:
            merged[c.id] = c
    return list(merged.values())
