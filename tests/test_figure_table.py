"""Specification of the figure table: every figure of the plan knows what it measures.

Built by rules from the text (never typed in); the hard cases are enumerations, shared
predicates, "respectively" pairs and 双双.
"""

from __future__ import annotations

import pytest

from assistant.config import REPO_ROOT
from assistant.corpus import load_corpus, parse_document
from assistant.figure_table import FigureFact, build_figure_table, split_action
from assistant.figures import find_figures

CORPUS = load_corpus(REPO_ROOT / "corpus")
TABLE = build_figure_table(CORPUS.paragraphs)


def _facts(figure: str, pid: str | None = None) -> list[FigureFact]:
    return [f for f in TABLE if f.figure.text == figure and (pid is None or f.paragraph_id == pid)]


def test_every_figure_of_the_plan_is_in_the_table() -> None:
    expected = {
        (p.id, f.start) for p in CORPUS.paragraphs if p.kind != "heading" for f in find_figures(p.text)
    }
    assert {(f.paragraph_id, f.figure.start) for f in TABLE} == expected


@pytest.mark.parametrize("fact", TABLE, ids=lambda f: f"{f.paragraph_id}:{f.figure.text}:{f.subject}")
def test_every_figure_has_a_subject_inside_its_sentence(fact: FigureFact) -> None:
    text = CORPUS.paragraph(fact.paragraph_id).text
    sentence = text[fact.sentence[0] : fact.sentence[1]]
    assert fact.subject
    # the subject's characters come from the sentence (or, for a glossary item, its term)
    source = sentence + (CORPUS.paragraph(fact.paragraph_id).term or "")
    assert all(ch in source for ch in fact.subject), (fact.subject, sentence)
    start, end = fact.statement
    assert fact.figure.text in text[start:end]  # the quote holds the figure, whole


@pytest.mark.parametrize(
    ("figure", "subject", "action"),
    [
        ("超480家", "科小", "新认定"),
        ("5家", "潜在独角兽", "新认定"),  # the next item of the enumeration keeps the verb
        ("超150家", "专精特新企业", "新认定"),  # a clause with no verb of its own inherits it
        ("超500家", "高企", "新认定"),
        ("10公顷", "绿地", "新增"),
        ("20兆瓦以上", "屋顶光伏装机容量", "新增"),
        ("5%左右", "地区生产总值", ""),
        ("1000户", "瓶装液化气", "改造"),
    ],
)
def test_an_enumeration_gives_each_figure_its_own_subject(figure: str, subject: str, action: str) -> None:
    assert any(f.subject == subject and f.action == action for f in _facts(figure)), _facts(figure)


def test_respectively_pairs_are_resolved() -> None:
    """ "力争新增入库省、市重大项目3个、7个": 3个 is the province's, 7个 the city's."""
    assert [f.subject for f in _facts("3个", "zl2025/p10")] == ["省重大项目"]
    assert [f.subject for f in _facts("7个", "zl2025/p10")] == ["市重大项目"]


def test_shuangshuang_gives_the_figure_to_both_subjects() -> None:
    """ "输变电产业、汽车零部件产值双双破百亿": one figure, two subjects."""
    assert {f.subject for f in _facts("破百亿")} == {"输变电产业", "汽车零部件产值"}


def test_a_generic_counted_noun_takes_the_sentence_topic() -> None:
    """ "系统推进城中村自主更新,…,力争实施2-3个项目": the projects are 城中村自主更新's."""
    (fact,) = _facts("2-3个")
    assert "城中村自主更新" in fact.topic and fact.subject == "项目"


def test_a_glossary_figure_is_about_its_term() -> None:
    for fact in _facts("约1000PB") + _facts("430PB"):
        assert "算力中心" in fact.topic


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("新认定科小", ("新认定", "科小")),
        ("力争新增入库省、市重大项目", ("新增入库", "省、市重大项目")),
        ("全年新增屋顶光伏装机容量", ("新增", "屋顶光伏装机容量")),
        ("地区生产总值增长", ("", "地区生产总值")),
        ("新建、改建道路", ("新建改建", "道路")),
        ("年均增长", ("", "年均")),  # 年均 is a word: its 均 is not "each"
        ("人均地区生产总值", ("", "人均地区生产总值")),
    ],
)
def test_split_action(prefix: str, expected: tuple[str, str]) -> None:
    assert split_action(prefix) == expected


def test_rules_hold_on_a_new_text() -> None:
    """Not tuned to one document: a sentence the plan does not have."""
    (paragraph,) = parse_document("t", "标题\n新建学校3所、幼儿园5所,改造老旧管网20公里。")[1:]
    facts = build_figure_table([paragraph])
    assert [(f.subject, f.figure.text) for f in facts] == [
        ("学校", "3所"),
        ("幼儿园", "5所"),
        ("老旧管网", "20公里"),
    ]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("上海港集装箱吞吐量达到5506.3万标准箱", ["5506.3万标准箱"]),
        ("人均地区生产总值突破1万美元、达1.12万美元", ["突破1万美元", "达1.12万美元"]),
        ("新增智能算力1.7万P", ["1.7万P"]),
        ("新增床位3万张以上，人均预期寿命83岁，办结议案46件", ["3万张以上", "83岁", "46件"]),
    ],
)
def test_units_of_other_governments_reports_are_figures(text: str, figures: list[str]) -> None:
    """A library holds more than the plan: its reports count containers, dollars, beds and years of age."""
    assert [f.text for f in find_figures(text)] == figures
