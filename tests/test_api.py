"""Specification of the public Python API: ``from assistant import Assistant`` and what it returns.

The names in ``assistant.__all__`` are pinned; adding or removing one is a deliberate change here.
"""

from __future__ import annotations

import json

import pytest

import assistant as package
from assistant import Answer, Assistant, Citation, Paragraph, UnknownParagraph

PUBLIC_NAMES = [
    "Answer",
    "Assistant",
    "AssistantError",
    "BackendUnavailable",
    "BadQuestion",
    "Citation",
    "ConfigError",
    "IndexMissing",
    "IndexStale",
    "IngestReport",
    "Paragraph",
    "Settings",
    "UnknownParagraph",
    "load_settings",
]
ANSWER_KEYS = {"question", "text", "citations", "abstained", "mode", "lang", "notes", "timings"}
CITATION_KEYS = {"id", "section", "text", "quote"}


def test_the_public_names_are_pinned() -> None:
    assert sorted(package.__all__) == PUBLIC_NAMES
    assert all(hasattr(package, name) for name in PUBLIC_NAMES)


def test_search_returns_documents_with_paragraph_and_section(assistant: Assistant) -> None:
    docs = assistant.search("今年增加多少个学位?", k=5)
    assert len(docs) == 5
    assert docs[0].metadata["paragraph_id"] == "zl2025/p13"
    assert docs[0].metadata["section"] == "二、(四)民生福祉优质共享"
    assert all({"paragraph_id", "section"} <= d.metadata.keys() for d in docs)


def test_search_uses_the_configured_k_by_default(assistant: Assistant) -> None:
    assert len(assistant.search("绿地")) == assistant.settings.top_k


def test_paragraph_returns_a_glossary_paragraph(assistant: Assistant) -> None:
    paragraph = assistant.paragraph("zl2025/g10")
    assert isinstance(paragraph, Paragraph)
    assert (paragraph.id, paragraph.section, paragraph.kind) == ("zl2025/g10", "名词解释", "glossary")
    assert (
        paragraph.text
        == "10. “三先三后”原则:先总体规划,后分步实施;先建设配套,后分批出地;先打造产业,后建设住宅。"
    )


def test_an_unknown_paragraph_raises(assistant: Assistant) -> None:
    with pytest.raises(UnknownParagraph, match="zl2025/p99"):
        assistant.paragraph("zl2025/p99")


@pytest.fixture(scope="module")
def green_answer(assistant: Assistant) -> Answer:
    return assistant.ask("今年新增多少绿地?")


def test_ask_returns_a_cited_answer(green_answer: Answer) -> None:
    assert isinstance(green_answer, Answer)
    assert "10公顷" in green_answer.text
    assert not green_answer.abstained
    assert all(isinstance(c, Citation) for c in green_answer.citations)
    assert "zl2025/p12" in [c.id for c in green_answer.citations]
    for citation in green_answer.citations:
        assert citation.quote in citation.text


def test_answer_to_dict_has_exactly_the_documented_keys(green_answer: Answer) -> None:
    data = green_answer.to_dict()
    assert set(data) == ANSWER_KEYS
    assert data["question"] == "今年新增多少绿地?"
    assert (data["mode"], data["lang"], data["abstained"]) == ("extractive", "zh", False)
    assert data["citations"] and all(set(c) == CITATION_KEYS for c in data["citations"])
    assert isinstance(data["notes"], list)
    assert all(isinstance(ms, float) for ms in data["timings"].values())


def test_answer_to_json_round_trips(green_answer: Answer) -> None:
    text = green_answer.to_json()
    assert json.loads(text) == green_answer.to_dict()
    assert "10公顷" in text  # ensure_ascii=False: Chinese stays readable


def test_ask_stream_yields_text_then_the_answer(assistant: Assistant) -> None:
    pieces = list(assistant.ask_stream("今年新增多少绿地?"))
    assert isinstance(pieces[-1], Answer)
    assert all(isinstance(p, str) for p in pieces[:-1]) and pieces[:-1]
    assert "10公顷" in "".join(pieces[:-1])
