"""Specification of retrieval: each question of the query table finds its paragraph in the first three.

Over the session index (real e5-small, real Chroma, BM25 over the same chunks, fused by RRF).
"""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from measure_retrieval import first_paragraphs, measure, table
from retrieval_queries import QUERIES

from assistant.api import Assistant
from assistant.errors import BadQuestion, ConfigError
from assistant.lexical import bigram_tokens, jieba_tokens

SOLAR = "What is the target for rooftop solar?"
LONG_QUERY = ("今年新增多少绿地" * 1250)[:10_000]


def distinct_paragraphs(docs: list[Document], n: int = 3) -> list[str]:
    return list(dict.fromkeys(d.metadata["paragraph_id"] for d in docs))[:n]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_its_paragraph_in_the_first_three(
    assistant: Assistant, query: str, expected: str
) -> None:
    found = distinct_paragraphs(assistant.search(query, k=10))
    assert expected in found, f"{query!r}: expected {expected}, got {found}"


def test_rooftop_solar_question_returns_the_solar_chunk_first(assistant: Assistant) -> None:
    first = assistant.search(SOLAR)[0]
    assert "屋顶光伏装机容量20兆瓦以上" in first.page_content
    assert first.metadata["paragraph_id"] == "zl2025/p10"


def test_results_carry_paragraph_section_chunk_and_scores(assistant: Assistant) -> None:
    docs = assistant.search("今年新增多少绿地", k=8)
    assert len(docs) == 8
    for doc in docs:
        meta = doc.metadata
        paragraph = assistant.paragraph(meta["paragraph_id"])
        assert meta["section"] == paragraph.section
        assert meta["chunk_id"].startswith(paragraph.id + "#") and doc.id == meta["chunk_id"]
        assert paragraph.text[meta["start"] : meta["end"]] == doc.page_content
        assert meta["rrf_score"] > 0
        assert "dense_score" in meta or "lexical_score" in meta
        assert meta["notes"] == []
    scores = [d.metadata["rrf_score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    assert len({d.metadata["chunk_id"] for d in docs}) == len(docs)


@pytest.mark.parametrize(
    ("mode", "present", "absent"),
    [
        ("dense", "dense_score", "lexical_score"),
        ("lexical", "lexical_score", "dense_score"),
        ("hybrid", "", ""),
    ],
)
def test_each_mode_finds_green_space(assistant: Assistant, mode: str, present: str, absent: str) -> None:
    docs = assistant.retriever(mode=mode, k=5).invoke("今年新增多少绿地")
    assert len(docs) == 5
    assert "zl2025/p12" in distinct_paragraphs(docs)
    if present:
        assert all(present in d.metadata and absent not in d.metadata for d in docs)
    else:
        assert any("dense_score" in d.metadata and "lexical_score" in d.metadata for d in docs)


@pytest.mark.parametrize("k", [1, 3, 10])
def test_search_returns_k_results(assistant: Assistant, k: int) -> None:
    assert len(assistant.search("高新技术企业", k=k)) == k


@pytest.mark.parametrize("query", ["", "   ", "\u200b\u200b", "\x00\x01\n\t", "？？？!!"])
def test_an_empty_query_is_a_bad_question(assistant: Assistant, query: str) -> None:
    with pytest.raises(BadQuestion, match="empty"):
        assistant.search(query)


def test_k_below_one_is_a_config_error(assistant: Assistant) -> None:
    with pytest.raises(ConfigError, match="k must be at least 1"):
        assistant.search("绿地", k=0)


def test_a_ten_thousand_character_query_is_truncated_with_a_note(assistant: Assistant) -> None:
    docs = assistant.search(LONG_QUERY, k=3)
    assert len(docs) == 3
    notes = docs[0].metadata["notes"]
    assert len(notes) == 1
    assert str(assistant.settings.max_question_chars) in notes[0] and "10000" in notes[0]


# -- lexical side -----------------------------------------------------------------------------


@pytest.mark.parametrize("tokenize", [bigram_tokens, jieba_tokens], ids=["bigram", "jieba"])
def test_english_words_stay_separate_tokens(tokenize) -> None:
    tokens = tokenize("What does QFLP fund mean?")
    assert "qflp" in tokens
    assert "fund" in tokens


def test_lexical_search_finds_an_acronym_in_an_english_question(assistant: Assistant) -> None:
    docs = assistant.retriever(mode="lexical", k=3).invoke("What does QFLP fund mean?")
    assert docs and docs[0].metadata["paragraph_id"] == "zl2025/g01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("新增绿地10公顷", ["新", "增", "绿", "地", "新增", "增绿", "绿地", "10", "公", "顷", "公顷"])],
)
def test_bigram_tokens_are_characters_bigrams_and_whole_numbers(text: str, expected: list[str]) -> None:
    assert sorted(bigram_tokens(text)) == sorted(expected)


# -- measurement ------------------------------------------------------------------------------


@pytest.mark.slow
def test_recall_table_hybrid_is_at_least_as_good_as_either_side(assistant: Assistant) -> None:
    results = {r.system: r for r in measure(assistant)}
    print("\n" + table(list(results.values())))
    hybrid = results["hybrid (e5 + bigram)"]
    assert hybrid.at3 >= results["dense (e5-small)"].at3
    assert hybrid.at3 >= results["BM25 bigram"].at3
    assert hybrid.at3 >= 0.9


def test_first_paragraphs_helper_keeps_order_and_distinct_ids(assistant: Assistant) -> None:
    retriever = assistant.retriever(k=10)
    top = first_paragraphs(retriever, SOLAR)
    assert top[0] == "zl2025/p10" and len(top) == len(set(top)) == 3
