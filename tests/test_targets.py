"""The targets table: every figure of the plan, found by code, with its clause and paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import REPO_ROOT
from assistant.corpus import Corpus, Paragraph, load_corpus
from assistant.targets import (
    COLUMNS,
    Target,
    extract_targets,
    filter_targets,
    paragraph_targets,
    read_csv,
    write_csv,
)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REPO_ROOT / "corpus")


@pytest.fixture(scope="module")
def targets(corpus: Corpus) -> list[Target]:
    return extract_targets(corpus)


def _find(targets: list[Target], figure: str, paragraph_id: str) -> list[Target]:
    return [t for t in targets if t.figure == figure and t.paragraph_id == paragraph_id]


@pytest.mark.parametrize(
    ("figure", "about", "paragraph_id", "measure"),
    [
        ("10公顷", "绿地", "zl2025/p12", "新增绿地10公顷"),
        ("20兆瓦以上", "屋顶光伏", "zl2025/p10", "全年新增屋顶光伏装机容量20兆瓦以上"),
        ("7000个", "学位", "zl2025/p13", "增加学位7000个"),
        ("超500家", "高企", "zl2025/p10", "专精特新企业超150家、高企超500家"),
        ("5%左右", "地区生产总值", "zl2025/p03", "地区生产总值增长5%左右"),
        ("8%左右", "制造业投资", "zl2025/p03", "制造业投资增长8%左右"),
        ("2-3个", "项目", "zl2025/p06", "力争实施2-3个项目"),
        ("前20名", "省级开发区", "zl2025/p07", "力争跻身省级开发区前20名"),
        ("破百亿", "输变电", "zl2025/p10", "输变电产业、汽车零部件产值双双破百亿"),
        ("10公里", "里程", "zl2025/p12", "新增里程10公里"),
        ("39部", "电梯加装", "zl2025/p12", "完成既有住宅电梯加装39部"),
        ("80场次", "送戏下乡", "zl2025/p13", "组织送戏下乡80场次"),
        ("100%", "覆盖率", "zl2025/p13", "确保困难群众服务保障覆盖率100%"),
        ("1300多家", "工业企业", "zl2025/p15", None),
        ("约1000PB", "计划规模", "zl2025/g03", "计划规模约1000PB"),
        ("43条", "为企服务举措", "zl2025/g08", "推出43条为企服务举措"),
    ],
)
def test_extraction_finds_the_targets_the_plan_names(targets, figure, about, paragraph_id, measure):
    found = [t for t in _find(targets, figure, paragraph_id) if about in t.measure]
    assert len(found) == 1, f"{figure} ({about}) in {paragraph_id}: {found}"
    if measure is not None:
        assert found[0].measure == measure


@pytest.mark.parametrize(
    ("figure", "paragraph_id", "number", "unit", "qualifier", "value", "english"),
    [
        ("20兆瓦以上", "zl2025/p10", "20", "兆瓦", "以上", 20.0, "20 MW or more"),
        ("超500家", "zl2025/p10", "500", "家", "超", 500.0, "over 500"),
        ("5%左右", "zl2025/p03", "5", "%", "左右", 5.0, "about 5%"),
        ("10公顷", "zl2025/p12", "10", "公顷", "", 10.0, "10 hectares"),
        ("2-3个", "zl2025/p06", "2-3", "个", "", 2.0, "2–3"),
        ("约1000PB", "zl2025/g03", "1000", "PB", "约", 1000.0, "about 1000 PB"),
        ("破百亿", "zl2025/p10", "百", "亿", "破", None, "over ten billion yuan"),
    ],
)
def test_each_target_keeps_number_unit_qualifier_and_english(
    targets, figure, paragraph_id, number, unit, qualifier, value, english
):
    (target,) = _find(targets, figure, paragraph_id)[:1]
    assert (target.number, target.unit, target.qualifier, target.value) == (number, unit, qualifier, value)
    assert target.english == english


def test_every_target_is_quoted_from_its_paragraph(corpus, targets):
    for t in targets:
        text = corpus.paragraph(t.paragraph_id).text
        assert t.figure in t.measure, t
        assert t.measure in text, t
        assert t.section == corpus.paragraph(t.paragraph_id).section


def test_a_measure_is_one_clause(targets):
    for t in targets:
        assert not any(ch in t.measure for ch in ",，;；。:："), t.measure


def test_the_table_covers_the_whole_plan(targets):
    assert len(targets) >= 50
    assert {t.paragraph_id for t in targets} >= {
        "zl2025/p03",
        "zl2025/p10",
        "zl2025/p12",
        "zl2025/p13",
        "zl2025/g03",
    }


def test_a_figure_stated_twice_is_listed_twice(targets):
    """p03 says 5%左右 for GDP and for retail sales: two targets, not one."""
    measures = sorted(t.measure for t in _find(targets, "5%左右", "zl2025/p03"))
    assert measures == ["地区生产总值增长5%左右", "社会消费品零售总额增长5%左右"]


def test_a_year_or_an_ordinal_is_not_a_target():
    paragraph = Paragraph(
        "t/p01", "t", "body", "测试", "2025年是关键之年,(一)新增绿地10公顷,建成2座体育公园。", 1
    )
    assert [(t.figure, t.measure) for t in paragraph_targets(paragraph)] == [
        ("10公顷", "(一)新增绿地10公顷"),
        ("2座", "建成2座体育公园"),
    ]


@pytest.mark.parametrize(
    ("query", "figures"),
    [
        ("绿地", {"10公顷"}),
        ("屋顶光伏", {"20兆瓦以上"}),
        ("MW", {"20兆瓦以上"}),
        ("p13 学位", {"7000个"}),
        ("ＰＢ", {"约1000PB", "430PB"}),  # full-width input folds to ASCII
        ("no such thing", set()),
    ],
)
def test_filter_matches_every_word(targets, query, figures):
    assert {t.figure for t in filter_targets(targets, query)} == figures


def test_an_empty_filter_keeps_everything(targets):
    assert filter_targets(targets, "  ") == targets


def test_csv_round_trips(targets, tmp_path: Path):
    path = write_csv(targets, tmp_path / "targets.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheet programs need the BOM for Chinese
    assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    assert read_csv(path) == targets
