"""The LLM answer verifier, row by row: what passes, what is rejected, and the reason given.

Contexts are small made-up paragraphs (the verifier is pure); the last tests use the real plan.
"""

from __future__ import annotations

import pytest

from assistant.answer.verify import (
    citations_in,
    cite_answer,
    echoed_instructions,
    instruction_runs,
    split_claims,
    verify,
)
from assistant.config import REPO_ROOT
from assistant.corpus import load_corpus

GREEN = {"zl2025/p01": "2025年全区新增绿地10公顷。"}
SOLAR = {"zl2025/p02": "全年新增屋顶光伏装机容量20兆瓦以上。"}
SOLAR_25 = {"zl2025/p03": "全年新增屋顶光伏装机容量25兆瓦以上。"}
GREEN_P12 = {"zl2025/p12": "新增绿地10公顷。"}
GDP = {"zl2025/p04": "地区生产总值增长5%左右;制造业投资增长8%左右。"}
MIXED = {
    "zl2025/p05": "引进人才项目30个以上,新增技改项目30个,高企超500家,汽车零部件产值破百亿,改造瓶装液化气1000户,实施2-3个项目,比重达61%。"
}


# (answer, context, years, problem expected in the verdict, or None when the answer passes)
ROWS = [
    pytest.param("新增绿地10公顷[zl2025/p01]", GREEN, (), None, id="faithful"),
    pytest.param("新增绿地20公顷[zl2025/p01]", GREEN, (), "number 20", id="2025-does-not-validate-20"),
    pytest.param("新增绿地１０公顷[zl2025/p01]", GREEN, (), None, id="full-width-digits-read-as-10"),
    pytest.param("新增绿地１２公顷[zl2025/p01]", GREEN, (), "number 12", id="full-width-12-rejected"),
    pytest.param("新增屋顶光伏二十兆瓦以上[zl2025/p02]", SOLAR, (), None, id="chinese-numerals-read-as-20"),
    pytest.param("新增屋顶光伏二十兆瓦以上[zl2025/p03]", SOLAR_25, (), "number 20", id="二十-checked-as-20"),
    pytest.param("新增屋顶光伏二十五兆瓦以上[zl2025/p02]", SOLAR, (), "number 25", id="二十五-checked-as-25"),
    pytest.param("新增绿地10公顷[zl2025/p12]", GREEN_P12, (), None, id="citation-digits-ignored"),
    pytest.param("新增绿地10公顷[zl2025/p99]", GREEN_P12, (), "zl2025/p99", id="unknown-id"),
    pytest.param("新增绿地10公顷。", GREEN, (), "no paragraph is cited", id="no-citation"),
    pytest.param(
        "新增绿地10公顷。详见计划[zl2025/p01]。",
        GREEN,
        (),
        "without a citation",
        id="number-in-uncited-sentence",
    ),
    pytest.param("新增绿地10公顷[p01]", GREEN, (), "[p01]", id="malformed-citation"),
    pytest.param("新增屋顶光伏20兆瓦[zl2025/p02]", SOLAR, (), "20兆瓦以上", id="qualifier-dropped"),
    pytest.param("新增屋顶光伏约20兆瓦[zl2025/p02]", SOLAR, (), "20兆瓦以上", id="qualifier-changed"),
    pytest.param("新增绿地10公里[zl2025/p01]", GREEN, (), "10公里", id="unit-changed"),
    pytest.param(
        "Rooftop solar: 20 MW [zl2025/p02].", SOLAR, (), "qualifier", id="english-qualifier-dropped"
    ),
    pytest.param(
        "Rooftop solar: 20 MW or more (20兆瓦以上) [zl2025/p02].",
        SOLAR,
        (),
        None,
        id="english-qualifier-kept",
    ),
    pytest.param("GDP grows about 5% [zl2025/p04].", GDP, (), None, id="english-about-for-左右"),
    pytest.param("GDP grows 5% [zl2025/p04].", GDP, (), "5%左右", id="percent-without-左右"),
    pytest.param("GDP目标是10% [zl2025/p04]", GDP, (), "number 10", id="injected-gdp-figure"),
    pytest.param("2025年新增绿地10公顷[zl2025/p12]", GREEN_P12, ("2025",), None, id="plan-year-allowed"),
    pytest.param("2025年新增绿地10公顷[zl2025/p12]", GREEN_P12, (), "number 2025", id="year-needs-allowing"),
    pytest.param("2025%[zl2025/p12]", GREEN_P12, ("2025",), "2025", id="year-as-a-figure-is-not-a-year"),
    pytest.param("改造瓶装液化气1,000户[zl2025/p05]", MIXED, (), None, id="thousands-separator"),
    pytest.param("高企超500家,产值破百亿[zl2025/p05]", MIXED, (), None, id="prefix-qualifiers"),
    pytest.param("高企500家[zl2025/p05]", MIXED, (), "超500家", id="超-dropped"),
    pytest.param("实施2～3个项目[zl2025/p05]", MIXED, (), None, id="range-dash-normalized"),
    pytest.param("比重61%[zl2025/p05]", MIXED, (), None, id="达-is-neutral"),
    pytest.param("新增技改项目30个[zl2025/p05]", MIXED, (), None, id="same-number-unqualified-elsewhere"),
    pytest.param(
        "绿地10公顷,光伏20兆瓦以上[zl2025/p01, zl2025/p02]",
        {**GREEN, **SOLAR},
        (),
        None,
        id="two-ids-in-one-tag",
    ),
    pytest.param("新增绿地10公顷【zl2025/p01】", GREEN, (), None, id="full-width-brackets"),
    pytest.param(
        "新增绿地10公顷[zl2025/p01]。光伏20兆瓦以上[zl2025/p01]。",
        {**GREEN, **SOLAR},
        (),
        "number 20",
        id="numbers-checked-against-own-sentence",
    ),
    pytest.param("", GREEN, (), "empty", id="empty"),
    # Numbers however written (issue 10, item 1): each is read, then checked with its unit.
    pytest.param(
        "New green space: one hundred hectares [zl2025/p01].", GREEN, (), "number 100", id="en-one-hundred"
    ),
    pytest.param(
        "Rooftop solar: fifty megawatts or more [zl2025/p02].", SOLAR, (), "number 50", id="en-fifty-mw"
    ),
    pytest.param("新增绿地壹佰公顷[zl2025/p01]", GREEN, (), "number 100", id="formal-壹佰"),
    pytest.param("新增绿地貳拾公顷[zl2025/p01]", GREEN, (), "number 20", id="formal-貳拾"),
    pytest.param("新增绿地廿公顷[zl2025/p01]", GREEN, (), "number 20", id="廿"),
    pytest.param("新增绿地Ⅻ公顷[zl2025/p01]", GREEN, (), "number 12", id="roman-Ⅻ"),
    pytest.param("New green space: XII hectares [zl2025/p01].", GREEN, (), "number 12", id="roman-XII"),
    pytest.param("New green space: a dozen hectares [zl2025/p01].", GREEN, (), "number 12", id="a-dozen"),
    pytest.param("Green space grows twice as fast [zl2025/p01].", GREEN, (), "number 2", id="twice"),
    pytest.param("新增绿地10公里[zl2025/p12]", GREEN_P12, (), "unit 公里", id="unit-公里-for-公顷"),
    pytest.param("New green space: 10 km [zl2025/p01].", GREEN, (), "unit 公里", id="en-unit-km-for-公顷"),
    pytest.param("New green space: one hectare [zl2025/p01].", GREEN, (), "number 1", id="en-one-hectare"),
    pytest.param("New green space: ten hectares [zl2025/p01].", GREEN, (), None, id="en-ten-hectares"),
    pytest.param("New green space: 10 hectares [zl2025/p01].", GREEN, (), None, id="en-10-hectares"),
    pytest.param("新增绿地拾公顷[zl2025/p01]", GREEN, (), None, id="formal-拾-is-10"),
    pytest.param("新增绿地Ⅹ公顷[zl2025/p01]", GREEN, (), None, id="roman-Ⅹ-is-10"),
    pytest.param(
        "Rooftop solar: twenty MW or more [zl2025/p02].", SOLAR, (), None, id="en-twenty-mw-or-more"
    ),
    pytest.param("GDP grows about 5 percent [zl2025/p04].", GDP, (), None, id="en-percent"),
    pytest.param("这是一个重点[zl2025/p01]", GREEN, (), None, id="一个-is-a-word"),
    pytest.param("One of the tasks is green space [zl2025/p01].", GREEN, (), None, id="one-of-is-a-word"),
]


@pytest.mark.parametrize(("answer", "context", "years", "problem"), ROWS)
def test_verify(answer: str, context: dict[str, str], years: tuple[str, ...], problem: str | None) -> None:
    verdict = verify(answer, context, years=years)
    if problem is None:
        assert verdict.ok, verdict.problems
        assert verdict.problems == ()
    else:
        assert not verdict.ok
        assert any(problem in p for p in verdict.problems), verdict.problems


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("绿地10公顷[zl2025/p12]", ["zl2025/p12"]),
        ("[zl2025/p12] [zl2025/g05] [zl2025/p12]", ["zl2025/p12", "zl2025/g05"]),
        ("[zl2025/p12，zl2025/p10]", ["zl2025/p12", "zl2025/p10"]),
        ("【my-doc/g01】", ["my-doc/g01"]),
        ("[p12] [zl2025] (zl2025/p12) zl2025/p12", []),
    ],
)
def test_citations_in(text: str, ids: list[str]) -> None:
    assert citations_in(text) == ids


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        (
            "绿地10公顷[zl2025/p12]。道路20条[zl2025/p12]。",
            ["绿地10公顷[zl2025/p12]。", "道路20条[zl2025/p12]。"],
        ),
        ("绿地10公顷。[zl2025/p12] 道路20条。", ["绿地10公顷。[zl2025/p12]", " 道路20条。"]),
        (
            "Green space 10 ha [zl2025/p12]. GDP about 5.5%.",
            ["Green space 10 ha [zl2025/p12].", " GDP about 5.5%."],
        ),
        ("没有句号[zl2025/p12]", ["没有句号[zl2025/p12]"]),
    ],
)
def test_split_claims_partitions_the_text(text: str, claims: list[str]) -> None:
    assert split_claims(text) == claims
    assert "".join(split_claims(text)) == text


def test_echo_of_the_instructions_is_found_but_plan_text_is_not() -> None:
    instructions = "每一句话都要在句末标注它依据的段落编号，例如“新增绿地10公顷建成中吴大桥等2座体育公园”"
    runs = instruction_runs(instructions, ["建成中吴大桥等2座体育公园,新增绿地10公顷。"])
    assert echoed_instructions("我的指令是：每一句话都要在句末标注它依据的段落编号[zl2025/p12]", runs)
    assert echoed_instructions("建成中吴大桥等2座体育公园[zl2025/p12]", runs) is None


@pytest.mark.parametrize(
    ("answer", "pid", "quote"),
    [
        ("今年计划新增绿地10公顷 [zl2025/p12]", "zl2025/p12", "新增绿地10公顷"),
        ("新建、改建道路20条 [zl2025/p12]", "zl2025/p12", "新建、改建道路20条"),
        ("屋顶光伏20兆瓦以上[zl2025/p10]", "zl2025/p10", "全年新增屋顶光伏装机容量20兆瓦以上"),
        ("Rooftop solar: 20 MW or more [zl2025/p10].", "zl2025/p10", "全年新增屋顶光伏装机容量20兆瓦以上"),
        ("计划提出优化城市空间[zl2025/p12]", "zl2025/p12", "(三)功能品质融合蝶变"),
    ],
)
def test_citation_quotes_the_clause_with_the_figure(answer: str, pid: str, quote: str) -> None:
    corpus = load_corpus(REPO_ROOT / "corpus")
    (citation,) = cite_answer(answer, corpus)
    assert (citation.id, citation.quote) == (pid, quote)
    assert citation.quote in corpus.paragraph(pid).text


def test_the_subject_hook_is_asked_for_each_figure_and_paragraph() -> None:
    asked: list[tuple[str, str, str]] = []

    def subject_ok(figure, paragraph_id: str, sentence: str) -> bool:
        asked.append((figure.token, figure.unit, paragraph_id))
        return paragraph_id == "zl2025/p01"

    assert verify("新增绿地10公顷[zl2025/p01]", GREEN, subject_ok=subject_ok).ok
    assert asked == [("10", "公顷", "zl2025/p01")]
    verdict = verify("新增绿地10公顷[zl2025/p12]", GREEN_P12, subject_ok=subject_ok)
    assert not verdict.ok
    assert any("10公顷" in p and "give it for" in p for p in verdict.problems), verdict.problems
