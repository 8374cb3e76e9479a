"""The context an LLM answers from: the retrieved chunks' whole paragraphs, within a token budget.

Each paragraph is labelled with its ID and section so the model can cite it; the verifier
checks the answer against exactly these paragraphs and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from assistant.chunking import count_tokens
from assistant.corpus import Corpus, Paragraph

SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Context:
    """The paragraphs given to the model, in retrieval rank order, and what did not fit."""

    paragraphs: tuple[Paragraph, ...]
    budget: int  # cl100k tokens
    skipped: tuple[str, ...] = ()  # retrieved paragraph IDs left out for lack of room

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.paragraphs)

    @property
    def texts(self) -> dict[str, str]:
        """Paragraph ID → text: what the verifier may accept as cited."""
        return {p.id: p.text for p in self.paragraphs}

    def render(self) -> str:
        return SEPARATOR.join(render_paragraph(p) for p in self.paragraphs)

    @property
    def tokens(self) -> int:
        return count_tokens(self.render())


def render_paragraph(paragraph: Paragraph) -> str:
    """``[zl2025/p12] 二、(三)功能品质融合蝶变`` then the paragraph text on the next line."""
    return f"[{paragraph.id}] {paragraph.section}\n{paragraph.text}"


def pack_context(docs: Sequence[Document], corpus: Corpus, budget: int) -> Context:
    """Whole paragraphs of ``docs``, deduplicated, added in rank order while the total fits ``budget``.

    A paragraph that does not fit is skipped (never cut: a cut could drop a qualifier), and a
    smaller one further down may still fill the room.
    """
    chosen: list[Paragraph] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for doc in docs:
        pid = str(doc.metadata.get("paragraph_id", ""))
        if pid in seen or pid not in corpus:
            continue
        seen.add(pid)
        paragraph = corpus.paragraph(pid)
        blocks = [render_paragraph(p) for p in (*chosen, paragraph)]
        if count_tokens(SEPARATOR.join(blocks)) <= budget:
            chosen.append(paragraph)
        else:
            skipped.append(pid)
    return Context(tuple(chosen), budget, tuple(skipped))
