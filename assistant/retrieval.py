"""Hybrid retrieval: dense search in Chroma and BM25, fused by reciprocal rank fusion.

A LangChain ``BaseRetriever``; every ``Document`` carries its paragraph ID, section and scores.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict, Field

from assistant.index.opened import GuardedChroma
from assistant.lexical import BM25

RRF_K = 60  # the constant of Cormack et al.; ranks matter, raw scores do not
FETCH_K = 20  # candidates taken from each side before fusion
SCOPED_FETCH = 5  # a search scoped to some documents looks this many times deeper, then keeps theirs

Mode = Literal["hybrid", "dense", "lexical"]


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over the same chunks, fused by RRF; ``mode`` keeps one side for comparison."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vector_store: VectorStore
    lexical: BM25
    records: list[tuple[str, str, dict[str, Any]]] = Field(repr=False)  # (id, text, metadata)
    k: int = 5
    fetch_k: int = FETCH_K
    mode: Mode = "hybrid"

    @cached_property
    def _by_id(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Each chunk's text and metadata by its id, built once (not per question)."""
        return {rid: (text, meta) for rid, text, meta in self.records}

    def _nearest(self, query: str, k: int) -> list[tuple[str, object, float]]:
        """(chunk id, paragraph ID, distance) of the dense search's ``k`` best chunks."""
        if isinstance(self.vector_store, GuardedChroma):  # ids only: the metadata is in ``records``
            return [
                (cid, self._by_id[cid][1].get("paragraph_id"), dist)
                for cid, dist in self.vector_store.nearest(query, k)
            ]
        hits = self.vector_store.similarity_search_with_score(query, k=k)
        return [(str(d.metadata["chunk_id"]), d.metadata.get("paragraph_id"), dist) for d, dist in hits]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None, **kwargs: Any
    ) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        docs = tuple(kwargs.get("docs") or ())  # only these documents' chunks ("zl2025", …)
        fetch_k = max(self.fetch_k, k)

        def wanted(paragraph_id: object) -> bool:
            return not docs or str(paragraph_id).split("/", 1)[0] in docs

        deep = fetch_k * SCOPED_FETCH if docs else fetch_k
        fused: dict[str, dict[str, float]] = {}
        if self.mode in ("hybrid", "dense"):
            hits = [(cid, dist) for cid, pid, dist in self._nearest(query, deep) if wanted(pid)][:fetch_k]
            for rank, (cid, distance) in enumerate(hits, start=1):
                row = fused.setdefault(cid, {})
                row.update(dense_rank=rank, dense_score=round(1.0 - float(distance), 4))
        if self.mode in ("hybrid", "lexical"):
            found = [
                (pos, score)
                for pos, score in self.lexical.search(query, deep)
                if wanted(self.records[pos][2].get("paragraph_id"))
            ][:fetch_k]
            for rank, (pos, score) in enumerate(found, start=1):
                row = fused.setdefault(self.records[pos][0], {})
                row.update(lexical_rank=rank, lexical_score=round(score, 4))
        for row in fused.values():
            row["rrf_score"] = sum(
                1.0 / (RRF_K + row[side]) for side in ("dense_rank", "lexical_rank") if side in row
            )
        by_id = self._by_id
        ranked = sorted(fused.items(), key=lambda item: -item[1]["rrf_score"])[:k]
        return [
            Document(page_content=by_id[cid][0], id=cid, metadata={**by_id[cid][1], **scores})
            for cid, scores in ranked
            if cid in by_id
        ]
