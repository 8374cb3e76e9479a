"""Specification of how the eval scores one answer (assistant/evaluation/scoring.py).

Pure functions, no model: every rule is a row. Numbers match as whole tokens on folded text.
"""

from __future__ import annotations

import pytest

from assistant.citations import Citation
from assistant.evaluation import scoring

P10 = "引进超亿元产业项目10个,专精特新企业超150家、高企超500家"
P12 = "新建、改建道路20条,新增里程10公里;新增绿地10公顷"
G03 = "普算、超算、智算一体化的异构算力中心:整合通用计算、超级计算、智能计算"
PARAGRAPHS = {"zl2025/p10": P10, "zl2025/p12": P12, "zl2025/g03": G03}


@pytest.mark.parametrize(
    ("expected", "text", "found"),
    [
        ("20条", "计划原文：“新建、改建道路20条” [zl2025/p12]", True),
        ("20条", "新建、改建道路120条", False),  # not inside a longer number
        ("20", "2025年工作安排", False),
        ("20", "增加200个", False),
        ("20", "跻身前20名", True),
        ("5%左右", "社零增长15%左右", False),
        ("5%左右", "增长５%左右", True),  # full-width digit
        ("1.5亿元", "投资11.5亿元", False),
        ("1.5亿元", "投资1.5亿元", True),
        ("1.5", "投资1.55亿元", False),
        ("15000多家", "15,000多家社会面小场所", True),  # thousands separator
        ("15000多家", "１５，０００多家", True),  # full-width digits and comma
        ("10公里", "新增里程 10 公里", True),  # spaces around the number
        ("2-3个", "力争实施2-3个项目", True),
        ("10公顷", "10 hectares (10公顷) — “新增绿地10公顷” [zl2025/p12]", True),
        ("12", "计划原文：“新增绿地” [zl2025/p12]", False),  # digits of a citation tag are not figures
        ("2025", "见 [zl2025/g03]", False),
        ("冈本工机", "推动冈本工机等外资企业", True),
        ("QFLP基金", "qflp 基金", True),  # folded: case and spaces
        ("客车厂", "“三先三后”原则", False),
    ],
)
def test_answer_found(expected: str, text: str, found: bool) -> None:
    assert scoring.answer_found(expected, text) is found


@pytest.mark.parametrize(
    ("answers", "text", "abstained", "correct"),
    [
        (("20条", "10公里"), "新建、改建道路20条,新增里程10公里 [zl2025/p12]", False, True),
        (("20条", "10公里"), "新建、改建道路20条 [zl2025/p12]", False, False),  # every answer needed
        (("20条",), "计划中没有提到这一点。新建、改建道路20条", True, False),  # a refusal never counts
        ((), "计划中没有提到这一点。最接近的段落：[zl2025/p12]", True, True),  # negative refused
        ((), "计划原文：“新增绿地10公顷” [zl2025/p12]", False, False),  # negative answered
    ],
)
def test_is_correct(answers: tuple[str, ...], text: str, abstained: bool, correct: bool) -> None:
    assert scoring.is_correct(answers, text, abstained) is correct


@pytest.mark.parametrize(
    ("text", "correct"),
    [
        ("不对。计划原文是：“新增绿地10公顷” [zl2025/p12]", True),
        ("No. The plan says 10 hectares (10公顷) — “新增绿地10公顷” [zl2025/p12]", True),
        ("对。计划原文是：“新增绿地10公顷” [zl2025/p12]", False),  # the right figure, the wrong verdict
        ("Yes. The plan says 10 hectares (10公顷) [zl2025/p12]", False),
    ],
)
def test_a_false_premise_must_be_rejected(text: str, correct: bool) -> None:
    assert scoring.is_correct(("10公顷",), text, False, trap=True) is correct


@pytest.mark.parametrize(
    ("cited", "evidence", "precision", "recall"),
    [
        ([P12], ["新增绿地10公顷"], 1.0, 1.0),
        ([P12, P10], ["新增绿地10公顷"], 0.5, 1.0),
        ([P12], ["新增绿地10公顷", "高企超500家"], 1.0, 0.5),
        ([P10, P12, G03], ["新增里程10公里", "高企超500家"], 2 / 3, 1.0),
        ([G03], ["新增绿地10公顷"], 0.0, 0.0),
        ([], ["新增绿地10公顷"], None, 0.0),  # nothing cited: precision undefined
        ([P12], [], None, None),  # a negative has no evidence
    ],
)
def test_citation_precision_and_recall(
    cited: list[str], evidence: list[str], precision: float | None, recall: float | None
) -> None:
    assert scoring.citation_precision(cited, evidence) == pytest.approx(precision)
    assert scoring.citation_recall(cited, evidence) == pytest.approx(recall)


def _c(pid: str, quote: str) -> Citation:
    return Citation(pid, "section", PARAGRAPHS.get(pid, ""), quote)


@pytest.mark.parametrize(
    ("citations", "text", "abstained", "problems"),
    [
        ([_c("zl2025/p12", "新增绿地10公顷")], "“新增绿地10公顷” [zl2025/p12]", False, []),
        ([_c("zl2025/p12", "新增里程10公里 … 新增绿地10公顷")], "… [zl2025/p12]", False, []),  # merged quotes
        (
            [_c("zl2025/p99", "新增绿地10公顷")],
            "[zl2025/p99]",
            False,
            ["cites unknown paragraph zl2025/p99", "tag [zl2025/p99] names no paragraph"],
        ),
        (
            [_c("zl2025/p12", "新增绿地20公顷")],
            "[zl2025/p12]",
            False,
            ["quote not in zl2025/p12: '新增绿地20公顷'"],
        ),
        (
            [_c("zl2025/p12", "新增绿地10公顷")],
            "[zl2025/p12] [zl2025/p10]",
            False,
            ["tag [zl2025/p10] is not among the citations"],
        ),
        ([], "新增绿地10公顷", False, ["answer without a citation"]),
        ([], "计划中没有提到这一点。", True, []),  # a refusal with nothing near may cite nothing
        ([_c("zl2025/p12", "")], "最接近的段落：[zl2025/p12]", True, []),
    ],
)
def test_citation_problems(
    citations: list[Citation], text: str, abstained: bool, problems: list[str]
) -> None:
    assert scoring.citation_problems(citations, text, PARAGRAPHS, abstained=abstained) == problems


@pytest.mark.parametrize(
    ("text", "cited", "unfaithful"),
    [
        ("计划原文：“新增绿地10公顷” [zl2025/p12]", [P12], []),  # tag digits (2025, 12) ignored
        ("新增绿地30公顷 [zl2025/p12]", [P12], ["30"]),
        ("新增绿地10公顷,高企超500家", [P12], ["500"]),  # each number needs a cited paragraph
        ("新增绿地10公顷,高企超500家", [P12, P10], []),
        ("15,000多家", ["15000多家社会面小场所"], []),
        ("10 hectares (10公顷) — “新增绿地10公顷” [zl2025/p12]", [P12], []),
        ("新增绿地１０公顷", [P12], []),  # full-width
        ("道路200条", [P12], ["200"]),  # "20" in the paragraph does not cover 200
        ("计划中没有提到这一点。最接近的段落：[zl2025/p10] [zl2025/p12]", [], []),
    ],
)
def test_unfaithful_numbers(text: str, cited: list[str], unfaithful: list[str]) -> None:
    assert scoring.unfaithful_numbers(text, cited) == unfaithful


@pytest.mark.parametrize(
    ("units", "evidence", "rank"),
    [
        ([P12, P10, G03], ["高企超500家"], 2),
        ([P10, P12], ["新增绿地10公顷", "高企超500家"], 1),  # any evidence string
        ([G03], ["新增绿地10公顷"], None),
        ([], ["新增绿地10公顷"], None),
    ],
)
def test_evidence_rank(units: list[str], evidence: list[str], rank: int | None) -> None:
    assert scoring.evidence_rank(units, evidence) == rank


@pytest.mark.parametrize(
    ("k", "recall"),
    [(1, 0.25), (3, 0.5), (5, 0.75)],
)
def test_recall_at_k(k: int, recall: float) -> None:
    assert scoring.recall_at([1, 3, 5, None], k) == recall


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([10.0, 20.0, 30.0, 40.0, 50.0], 50, 30.0),
        ([10.0, 20.0, 30.0, 40.0, 50.0], 95, 48.0),
        ([10.0, 20.0], 50, 15.0),
        ([7.0], 95, 7.0),
        ([], 50, None),
    ],
)
def test_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert scoring.percentile(values, q) == pytest.approx(expected)


def test_cited_tags_are_distinct_and_in_order() -> None:
    text = "“新增绿地10公顷” [zl2025/p12] … [zl2025/g03] [zl2025/p12]"
    assert scoring.cited_tags(text) == ["zl2025/p12", "zl2025/g03"]
