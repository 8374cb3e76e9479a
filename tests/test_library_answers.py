"""Specification of answers over a library: each question answered from the document it is about.

A small library (the plan and a short 2026 report of a made-up district, 河滨区, that reviews 2025
and then sets its 2026 targets), indexed once for the module with the session's model.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from assistant import Answer, Assistant, Settings
from assistant.config import REPO_ROOT
from assistant.library import add_document

REPORT = """2026年河滨区政府工作报告
一、2025年工作回顾
过去一年，全区地区生产总值达到1200亿元、增长5.2%，城镇调查失业率5.1%，新增绿地30公顷。
人均地区生产总值突破12万元，规上工业增加值增长7.5%。
——这五年，全区规上工业增加值年均增长8%，累计新增绿地120公顷。
二、“十五五”时期主要目标
“十四五”时期，全区发明专利拥有量从800件增加到1500件。
“十五五”时期发展的总体要求是稳中求进。全区地区生产总值年均增长5.5%左右。
三、2026年重点工作
今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长3%。
今年新增绿地25公顷，新建口袋公园9个，全年开工重点项目20个以上。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, assistant: Assistant) -> Iterator[Assistant]:
    root = tmp_path_factory.mktemp("library")
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    report = root / "hebin.txt"
    report.write_text(REPORT, encoding="utf-8")
    add_document(corpus, report, {"id": "hebin2026", "place": "河滨区", "place_en": "Hebin", "year": 2026})
    library = Assistant(Settings(corpus_dir=corpus, data_dir=root / "data"), embeddings=assistant.embeddings)
    library.ingest()
    yield library


def cited_documents(answer: Answer) -> set[str]:
    return {c.id.split("/")[0] for c in answer.citations}


@pytest.mark.parametrize(
    ("question", "figure", "document"),
    [
        ("今年新增多少绿地?", "10公顷", "zl2025"),  # no place named: the default document, the plan
        ("河滨区今年新增多少绿地?", "25公顷", "hebin2026"),  # its 2026 work, not its 2025 review
        ("河滨区2025年新增绿地多少?", "30公顷", "hebin2026"),  # the year its review speaks of
        ("河滨区2026年地区生产总值增长目标是多少?", "6%左右", "hebin2026"),  # not the 十五五 年均
        ("河滨区2025年地区生产总值总量是多少?", "1200亿元", "hebin2026"),  # the level, not its growth
        ("河滨区2025年地区生产总值增速是多少?", "5.2%", "hebin2026"),  # the rate, not the level
        ("河滨区“十五五”时期地区生产总值年均增长多少?", "5.5%左右", "hebin2026"),  # the years ahead
        ("河滨区2026年全年计划开工多少个重点项目?", "20个以上", "hebin2026"),  # not the report's title
        ("河滨区2025年规上工业增加值增长了多少?", "7.5%", "hebin2026"),  # the year, not the five years' 年均
        ("河滨区“十四五”时期发明专利拥有量从多少件增加到多少件?", "从800件增加到1500件", "hebin2026"),
        ("How much did Hebin's GDP grow in 2025?", "5.2%", "hebin2026"),
    ],
)
def test_a_question_is_answered_from_the_document_it_is_about(
    library: Assistant, question: str, figure: str, document: str
) -> None:
    answer = library.ask(question)
    assert figure in answer.text
    assert cited_documents(answer) == {document}


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("河滨区2026年城镇调查失业率目标是多少?", "没有给出"),  # only the 2025 review gives a rate
        ("What's Beijing's 2026 target for new urban jobs?", "no plan for 北京"),
        ("河滨区2023年新增绿地多少?", "没有所问年份"),  # a year no document speaks of
        ("What growth target has Hebin set for actual use of foreign investment in 2026?", "does not say"),
    ],
)
def test_what_the_library_does_not_say_is_refused(library: Assistant, question: str, says: str) -> None:
    answer = library.ask(question)
    assert answer.abstained
    assert says in answer.text


def test_a_term_and_its_compound_asked_together_are_both_answered(library: Assistant) -> None:
    """ "地区生产总值和人均地区生产总值": the quote of 人均地区生产总值 does not answer the first."""
    answer = library.ask("河滨区2025年地区生产总值和人均地区生产总值分别是多少?")
    assert "1200亿元" in answer.text and "突破12万元" in answer.text
    assert cited_documents(answer) == {"hebin2026"}


@pytest.mark.parametrize(
    ("questions", "figure"),
    [
        (["河滨区2025年地区生产总值增速是多少?", "新增绿地呢?"], "30公顷"),  # still 河滨区, still 2025
        (["河滨区今年新增绿地多少?", "那去年呢?"], "30公顷"),
        (["河滨区今年新增绿地多少?", "2023年呢?", "新建口袋公园多少个?"], "9个"),  # 2023 moved nothing
    ],
)
def test_a_follow_up_keeps_the_place_and_year_of_the_conversation(
    library: Assistant, questions: list[str], figure: str
) -> None:
    history: list[tuple[str, str]] = []
    for question in questions:
        answer = library.ask(question, history=history)
        history.append((question, answer.text))
    assert figure in answer.text and cited_documents(answer) == {"hebin2026"}


@pytest.mark.parametrize("question", ["天宁区今年新增多少绿地?", "2024年新增绿地多少?"])
def test_a_refusal_for_a_place_or_year_the_library_lacks_shows_the_default_documents_paragraphs(
    library: Assistant, question: str
) -> None:
    """Nearest paragraphs of another report would look like an answer from it."""
    answer = library.ask(question)
    assert answer.abstained and cited_documents(answer) == {"zl2025"}
