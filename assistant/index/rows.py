"""A document's rows (chunks for search, clauses for answers) and how their vectors are made.

Each clause is embedded once; a chunk's vector is the length-weighted, normalized mean of the
vectors of the clauses it covers (e5 pools its tokens by mean, so this approximates embedding
the chunk), so every character of the library goes through the model about once, not twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.chunking import chunk_paragraphs, split_clauses
from assistant.corpus import Document

BATCH = 32  # texts embedded per progress step

Row = tuple[str, str, dict[str, Any]]  # (id, text, metadata)


@dataclass(frozen=True)
class DocumentRows:
    """One document's chunk and clause rows, in document order."""

    doc_id: str
    chunks: tuple[Row, ...]
    clauses: tuple[Row, ...]

    @property
    def ids(self) -> list[str]:
        return [r[0] for r in self.chunks] + [r[0] for r in self.clauses]


def document_rows(document: Document, chunk_tokens: int) -> DocumentRows:
    chunks = tuple(
        (c.id, c.text, c.metadata() | {"doc_id": document.id})
        for c in chunk_paragraphs(document.paragraphs, chunk_tokens)
    )
    clauses = tuple(
        (
            f"{p.id}@{a}-{b}",
            p.text[a:b],
            {"paragraph_id": p.id, "doc_id": document.id, "start": a, "end": b},
        )
        for p in document.paragraphs
        for a, b in split_clauses(p.text)
    )
    return DocumentRows(document.id, chunks, clauses)


def embed_rows(
    rows: DocumentRows, embeddings: Embeddings, step: Callable[[int, int], None]
) -> dict[str, np.ndarray]:
    """Vectors for every row id: clauses embedded in batches, chunks derived from them."""
    texts = [text for _, text, _ in rows.clauses]
    step(0, len(texts))
    vectors: list[np.ndarray] = []
    for start in range(0, len(texts), BATCH):
        vectors.extend(np.asarray(embeddings.embed_documents(texts[start : start + BATCH]), dtype=np.float32))
        step(min(start + BATCH, len(texts)), len(texts))
    by_id = {row[0]: v for row, v in zip(rows.clauses, vectors, strict=True)}
    by_id.update(_chunk_vectors(rows, by_id, embeddings))
    return by_id


def _chunk_vectors(
    rows: DocumentRows, clause_vectors: dict[str, np.ndarray], embeddings: Embeddings
) -> dict[str, np.ndarray]:
    """Each chunk's vector from the clauses that overlap it, weighted by the characters they share."""
    by_paragraph: dict[str, list[tuple[int, int, np.ndarray]]] = {}
    for cid, _, meta in rows.clauses:
        by_paragraph.setdefault(str(meta["paragraph_id"]), []).append(
            (int(meta["start"]), int(meta["end"]), clause_vectors[cid])
        )
    out: dict[str, np.ndarray] = {}
    orphans: list[Row] = []
    for chunk_id, text, meta in rows.chunks:
        a, b = int(meta["start"]), int(meta["end"])
        total = np.zeros_like(next(iter(clause_vectors.values()))) if clause_vectors else None
        weight = 0
        for ca, cb, vector in by_paragraph.get(str(meta["paragraph_id"]), ()):
            shared = min(b, cb) - max(a, ca)
            if shared > 0 and total is not None:
                total = total + shared * vector
                weight += shared
        if weight and total is not None:
            out[chunk_id] = normalize(total)
        else:  # a chunk no clause covers (only whitespace between clauses): embed it as is
            orphans.append((chunk_id, text, meta))
    if orphans:
        embedded = embeddings.embed_documents([text for _, text, _ in orphans])
        out.update(
            {
                row[0]: normalize(np.asarray(v, dtype=np.float32))
                for row, v in zip(orphans, embedded, strict=True)
            }
        )
    return out


def normalize(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm > 0 else vector).astype(np.float32)


def stack(rows: Sequence[Row], vectors: dict[str, np.ndarray]) -> list[np.ndarray]:
    return [vectors[r[0]] for r in rows]
