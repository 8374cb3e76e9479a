"""Specification of ``Timeframe``: which year a question asks about, which year a paragraph speaks of."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.timeframe import Timeframe
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
