"""Specification of BM25: Okapi's formula, the same to the last bit as written out term by term.

The oracle is the formula itself over token counts; the index under test scores only the texts
that hold a query's terms.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

from assistant.lexical import BM25, bigram_tokens

TEXTS = (
    "新增绿地10公顷,建成体育公园2座",
    "新增城镇就业1.5万人",
    "推进城中村自主更新,力争实施2-3个项目",
    "绿地绿地绿地",
    "",
    "新增绿地10公顷,建成体育公园2座",  # the same text twice: a tie, kept in text order
)


def formula(texts: tuple[str, ...], query: str, k1: float = 1.5, b: float = 0.75) -> list[float]:
    docs = [Counter(bigram_tokens(t)) for t in texts]
    df = Counter(term for doc in docs for term in doc)
    idf = {t: math.log(1 + (len(docs) - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    avg = sum(sum(d.values()) for d in docs) / len(docs)
    terms = [t for t in bigram_tokens(query) if t in idf]
    out = []
    for doc in docs:
        norm = k1 * (1 - b + b * sum(doc.values()) / avg)
        out.append(sum(idf[t] * doc[t] * (k1 + 1) / (doc[t] + norm) for t in terms if t in doc))
    return out


@pytest.mark.parametrize("query", ["新增多少绿地?", "绿地绿地", "城中村更新项目", "5G基站", "", "新增"])
def test_scores_are_the_formula(query: str) -> None:
    assert BM25(TEXTS).scores(query) == formula(TEXTS, query)


@pytest.mark.parametrize("k", [1, 2, 3, 10])
def test_search_ranks_by_score_ties_in_text_order_and_drops_zeros(k: int) -> None:
    scores = formula(TEXTS, "新增绿地")
    expected = sorted(enumerate(scores), key=lambda p: -p[1])[:k]
    found = BM25(TEXTS).search("新增绿地", k)
    assert found == [(i, s) for i, s in expected if s > 0]
    assert all(isinstance(i, int) and isinstance(s, float) for i, s in found)
    if k >= 3:
        assert [i for i, _ in found][:2] == [0, 5]
