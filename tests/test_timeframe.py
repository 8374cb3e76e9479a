"""Specification of ``Timeframe``: which year a question asks about, which year a paragraph speaks of."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.timeframe import Timeframe, section_when
from assistant.corpus import load_corpus

REPORT = (
    "2026年河滨区政府工作报告\n过去一年，新增绿地30公顷。\n“十五五”时期，新增绿地年均20公顷以上。\n"
    "今年是“十五五”开局之年，主要预期目标是：新增绿地25公顷。\n"
)


@pytest.fixture
def timeframe(tmp_path: Path) -> Timeframe:
    (tmp_path / "hebin.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "manifest.json").write_text(
        '{"documents": [{"file": "hebin.txt", "id": "hebin2026", "place": "河滨区", "year": 2026}]}',
        encoding="utf-8",
    )
    return Timeframe(load_corpus(tmp_path))


@pytest.mark.parametrize(
    ("question", "when"),
    [
        ("河滨区2025年新增绿地多少?", "past"),
        ("“十四五”这五年新增绿地多少?", "past"),  # the period 2021–2025, before the report's 2026
        ("河滨区2026年新增绿地目标?", "own"),
        ("今年新增多少绿地?", "own"),
        ("新增多少绿地?", ""),
        ("What had GDP reached by the end of the 14th Five-Year Plan?", "past"),
        ("“十五五”时期新增绿地年均多少?", "ahead"),
    ],
)
def test_when_a_question_asks_about(timeframe: Timeframe, question: str, when: str) -> None:
    assert timeframe.when_asked(question, ("hebin2026",)) == when


def test_a_review_speaks_of_the_past_and_the_targets_of_the_reports_own_year(timeframe: Timeframe) -> None:
    assert "hebin2026/p02" in timeframe.review and "hebin2026/p04" not in timeframe.review
    assert "hebin2026/p03" not in timeframe.review  # before the targets, but it looks ahead (十五五)
    assert timeframe.ahead == {"hebin2026/p03"} and timeframe.other_year("hebin2026/p03", "own")
    # the targets name 十五五 too, but they are this year's ("今年是“十五五”开局之年")
    assert timeframe.targets == {"hebin2026": "hebin2026/p04"}
    assert timeframe.other_year("hebin2026/p02", "own") and not timeframe.other_year("hebin2026/p04", "own")
    assert timeframe.other_year("hebin2026/p04", "past") and not timeframe.other_year("hebin2026/p02", "past")
    assert timeframe.penalty("hebin2026/p02", "") < timeframe.penalty("hebin2026/p02", "own")


@pytest.mark.parametrize(
    ("headings", "when"),
    [
        (("一、2025年工作和“十四五”发展回顾",), "past"),
        (
            ("一、2025年工作回顾", "（一）全力促进经济平稳健康发展"),
            "past",
        ),  # the nearest heading naming a time
        (("二、“十五五”时期主要目标和重大任务", "（六）推动高质量发展取得新的更大进展"), "ahead"),
        (("二、关于《国民经济和社会发展第十五个五年规划纲要（草案）》的说明",), "ahead"),
        (("三、2026年重点工作", "（一）加力扩内需稳增长"), "own"),
        (("（一）做精老城区",), ""),  # a plan's headings name no time: its text decides
    ],
)
def test_a_section_heading_says_what_time_its_paragraphs_speak_of(
    headings: tuple[str, ...], when: str
) -> None:
    assert section_when(headings, 2026) == when


SECTIONED = (
    "2026年河滨区政府工作报告\n一、2025年工作回顾\n过去一年，新增绿地30公顷。\n"
    "二、“十五五”时期主要目标\n“十五五”时期发展的总体要求是稳中求进。\n新增绿地年均20公顷以上。\n"
    "三、2026年重点工作\n今年经济社会发展的主要预期目标是：新增绿地25公顷。\n"
)


def test_sections_about_the_years_ahead_are_neither_review_nor_targets(tmp_path: Path) -> None:
    """ "新增绿地年均20公顷以上" names no year, but its section is the 十五五 outline; and "总体要求"
    there is the outline's, not the year's targets."""
    (tmp_path / "hebin.txt").write_text(SECTIONED, encoding="utf-8")
    (tmp_path / "manifest.json").write_text(
        '{"documents": [{"file": "hebin.txt", "id": "hebin2026", "place": "河滨区", "year": 2026}]}',
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path)
    timeframe = Timeframe(corpus)
    by_text = {p.text: p.id for p in corpus.paragraphs}
    outline, review = by_text["新增绿地年均20公顷以上。"], by_text["过去一年，新增绿地30公顷。"]
    targets = by_text["今年经济社会发展的主要预期目标是：新增绿地25公顷。"]
    assert outline in timeframe.ahead and outline not in timeframe.review
    assert review in timeframe.review
    assert timeframe.targets == {"hebin2026": targets}
    assert timeframe.when_asked("“十五五”时期新增绿地年均多少?", ("hebin2026",)) == "ahead"
    assert timeframe.other_year(targets, "ahead") and not timeframe.other_year(outline, "ahead")
