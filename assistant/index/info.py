"""What an index was built from: fingerprints of the corpus and of each document, and ``IndexInfo``.

A document's fingerprint covers its text, the model, the chunker and how vectors are made, so a
build can keep the vectors of every document whose fingerprint it finds in the previous index.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.chunking import CHUNKER_VERSION
from assistant.config import Settings
from assistant.corpus import Corpus, Document

# How vectors are made: every clause embedded once, a chunk's vector the mean of its clauses'.
# Part of every fingerprint: bump it when that changes, and old indexes become stale.
VECTORS = "clause-mean-v1"


def model_identity(embeddings: Embeddings, settings: Settings) -> str:
    return str(getattr(embeddings, "identity", settings.embeddings))


def fingerprint(corpus: Corpus, identity: str, settings: Settings) -> str:
    """The whole index's fingerprint: corpus, model, chunker, vector scheme."""
    parts = (corpus.fingerprint, identity, CHUNKER_VERSION, str(settings.chunk_tokens), VECTORS)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def document_fingerprint(document: Document, identity: str, settings: Settings) -> str:
    """One document's fingerprint: equal fingerprints mean equal rows and vectors."""
    digest = hashlib.sha256()
    parts = (
        document.id,
        document.text,
        document.layout,
        identity,
        CHUNKER_VERSION,
        str(settings.chunk_tokens),
    )
    for part in (*parts, VECTORS):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class IndexInfo:
    """What an index was built from; stored with its generation and as its collections' metadata."""

    fingerprint: str
    corpus: str
    embeddings: str
    model: str
    chunker: str
    chunk_tokens: int
    chunks: int
    clauses: int
    built_at: str
    complete: bool
    generation: str = ""
    documents: str = "{}"  # JSON {document id: document fingerprint}; a string, as Chroma metadata wants

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> IndexInfo:
        names = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in metadata.items() if name in names})

    def document_fingerprints(self) -> dict[str, str]:
        return dict(json.loads(self.documents))
