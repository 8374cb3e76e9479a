"""Recall@1 and @3 of dense-only, BM25-only (bigram, jieba) and hybrid retrieval on the query table.

Run: ``.venv/bin/python tests/measure_retrieval.py`` (the index of ``assistant ingest``, per ASSISTANT_*
settings); ``pytest tests/test_retrieval.py -s -k recall_table`` prints it over the session index.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval_queries import QUERIES

from assistant.api import Assistant
from assistant.lexical import BM25, TOKENIZERS
from assistant.retrieval import HybridRetriever

SYSTEMS = (  # (name, retriever mode, BM25 tokenizer)
    ("dense (e5-small)", "dense", "bigram"),
    ("BM25 bigram", "lexical", "bigram"),
    ("BM25 jieba", "lexical", "jieba"),
    ("hybrid (e5 + bigram)", "hybrid", "bigram"),
    ("hybrid (e5 + jieba)", "hybrid", "jieba"),
)


@dataclass(frozen=True)
class Recall:
    system: str
    at1: float
    at3: float
    misses: tuple[str, ...]  # queries whose paragraph is not in the first 3


def first_paragraphs(retriever: HybridRetriever, query: str, n: int = 3) -> list[str]:
    """The first ``n`` distinct paragraph IDs of a k=10 search."""
    ids = dict.fromkeys(doc.metadata["paragraph_id"] for doc in retriever.invoke(query, k=10))
    return list(ids)[:n]


def measure(assistant: Assistant) -> list[Recall]:
    records = assistant.index.chunk_records
    texts = [text for _, text, _ in records]
    vector_store = assistant.index.vector_store()  # e5-small caches query vectors: each query embeds once
    results = []
    for name, mode, tokenizer in SYSTEMS:
        retriever = HybridRetriever(
            vector_store=vector_store, lexical=BM25(texts, TOKENIZERS[tokenizer]), records=records, mode=mode
        )
        at1 = at3 = 0
        misses = []
        for query, expected in QUERIES:
            top = first_paragraphs(retriever, query)
            at1 += top[:1] == [expected]
            at3 += expected in top
            if expected not in top:
                misses.append(query)
        results.append(Recall(name, at1 / len(QUERIES), at3 / len(QUERIES), tuple(misses)))
    return results


def table(results: list[Recall]) -> str:
    lines = [
        f"Retrieval recall on {len(QUERIES)} queries (tests/retrieval_queries.py)",
        "| system | recall@1 | recall@3 | missed at 3 |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.system} | {r.at1:.2f} | {r.at3:.2f} | {len(r.misses)} |" for r in results]
    return "\n".join(lines)


def main() -> None:
    results = measure(Assistant())
    print(table(results))
    for r in results:
        for query in r.misses:
            print(f"  {r.system} misses: {query}")


if __name__ == "__main__":
    main()
