"""An opened generation: its chunk and clause collections, what built it, and guarded reads.

Every Chroma call goes through the store's guard, so a broken file or an unreachable server
becomes ``IndexDamaged`` or ``BackendUnavailable``, never a raw Chroma or httpx error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.index.info import IndexInfo
from assistant.index.store import Store, collection_name
from embeddings.chroma import ChromaEmbeddingFunction


@dataclass(frozen=True)
class ClauseMatrix:
    """Every clause of the corpus with its vector: what the extractive answerer scores."""

    ids: tuple[str, ...]
    texts: tuple[str, ...]
    paragraph_ids: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray  # (n, dim), L2-normalized

    def rows_for(self, text: str, paragraph_id: object = None) -> set[int]:
        """Rows of the clauses of ``paragraph_id`` and of every clause whose text occurs in ``text``.

        The same rows as testing ``clause in text`` for each clause, without a pass over the
        library per chunk: only the clauses that begin with the text's substrings are compared.
        """
        rows = set(self._by_paragraph.get(paragraph_id, ())) if isinstance(paragraph_id, str) else set()
        short, by_head = self._by_text
        rows.update(short.get("", ()))
        for i in range(len(text)):
            for n in range(1, _HEAD):
                rows.update(short.get(text[i : i + n], ()))
            for clause, same in by_head.get(text[i : i + _HEAD], ()):
                if text.startswith(clause, i):
                    rows.update(same)
        return rows

    @cached_property
    def _by_paragraph(self) -> dict[str, tuple[int, ...]]:
        return _group(enumerate(self.paragraph_ids))

    @cached_property
    def _by_text(self) -> tuple[dict[str, tuple[int, ...]], dict[str, list[tuple[str, tuple[int, ...]]]]]:
        """Clauses shorter than ``_HEAD`` by their text; the others by their first ``_HEAD`` characters."""
        by_text = _group(enumerate(self.texts))
        short = {t: rows for t, rows in by_text.items() if len(t) < _HEAD}
        by_head: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for t, rows in by_text.items():
            if len(t) >= _HEAD:
                by_head.setdefault(t[:_HEAD], []).append((t, rows))
        return short, by_head


_HEAD = 3  # characters a clause is looked up by: short enough to be common, long enough to be selective


def _group(pairs: Iterable[tuple[int, str]]) -> dict[str, tuple[int, ...]]:
    grouped: dict[str, list[int]] = {}
    for row, key in pairs:
        grouped.setdefault(key, []).append(row)
    return {key: tuple(rows) for key, rows in grouped.items()}


class GuardedChroma(Chroma):
    """LangChain's Chroma store whose searches map backend failures to the assistant's errors."""

    guard: Any = None  # () -> context manager; set after construction

    def similarity_search_with_score(self, *args: Any, **kwargs: Any) -> list[tuple[Document, float]]:
        with self.guard():
            return super().similarity_search_with_score(*args, **kwargs)

    def similarity_search(self, *args: Any, **kwargs: Any) -> list[Document]:
        with self.guard():
            return super().similarity_search(*args, **kwargs)

    def nearest(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, distance) of the ``k`` chunks nearest ``query``, nearest first: the same search
        as ``similarity_search_with_score`` without fetching texts and metadata the caller holds."""
        with self.guard():
            vector = self.embeddings.embed_query(query)
            got = self._collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
        return list(zip(got["ids"][0], got["distances"][0], strict=True))


class Index:
    """An opened, complete generation: its two collections and what built it."""

    def __init__(
        self, store: Store, client: ClientAPI, info: IndexInfo, embeddings: Embeddings, spec: str
    ) -> None:
        self.store = store
        self.client = client
        self.info = info
        self.embeddings = embeddings
        self.fresh = False  # True when this process just built it
        self._ef = ChromaEmbeddingFunction(embeddings, spec)
        with self.guard():
            self.chunks: Collection = client.get_collection(
                collection_name(info.generation, "chunks"), embedding_function=self._ef
            )
            self.clauses: Collection = client.get_collection(
                collection_name(info.generation, "clauses"), embedding_function=self._ef
            )

    def guard(self) -> contextlib.AbstractContextManager[None]:
        return self.store.guard(self.info.generation)

    def check(self) -> None:
        """Read both collections' counts: a truncated or garbage store fails here, not mid-answer."""
        with self.guard():
            counts = (self.chunks.count(), self.clauses.count())
        if counts != (self.info.chunks, self.info.clauses):
            with self.guard():
                raise ValueError(f"{counts} rows where {self.info.chunks, self.info.clauses} were written")

    def vector_store(self) -> Chroma:
        """The chunk collection as a LangChain ``VectorStore`` (dense search)."""
        with self.guard():  # building it already asks the server for the collection
            store = GuardedChroma(
                client=self.client,
                collection_name=self.chunks.name,
                embedding_function=self.embeddings,
                create_collection_if_not_exists=False,
            )
        store.guard = self.guard
        return store

    @cached_property
    def chunk_records(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of every chunk, in corpus order."""
        with self.guard():
            got = self.chunks.get(include=["documents", "metadatas"])
        records = list(zip(got["ids"], got["documents"], got["metadatas"], strict=True))
        return sorted(records, key=lambda r: (r[2]["order"], r[0]))

    @cached_property
    def clause_matrix(self) -> ClauseMatrix:
        with self.guard():
            got = self.clauses.get(include=["documents", "metadatas", "embeddings"])
        order = sorted(range(len(got["ids"])), key=lambda i: got["metadatas"][i]["order"])
        meta = [got["metadatas"][i] for i in order]
        return ClauseMatrix(
            ids=tuple(got["ids"][i] for i in order),
            texts=tuple(got["documents"][i] for i in order),
            paragraph_ids=tuple(str(m["paragraph_id"]) for m in meta),
            spans=tuple((int(m["start"]), int(m["end"])) for m in meta),
            vectors=np.asarray([got["embeddings"][i] for i in order], dtype=np.float32),
        )
