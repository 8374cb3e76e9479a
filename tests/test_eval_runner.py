"""Specification of the eval runner: dataset loading, per-item scoring, metrics, CLI, baseline, bench.

The fast tests use hand-made answers; the slow ones drive the real assistant (session fixture)
through ``run_eval`` / ``run_bench`` on a few items and check what is printed and written.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Citation, ConfigError
from assistant.cli import main
from assistant.config import REPO_ROOT
from assistant.corpus import load_corpus
from assistant.evaluation.baseline import CHUNK_SIZE, split_corpus
from assistant.evaluation.cli import run_bench, run_eval
from assistant.evaluation.dataset import DEFAULT_DATASET, KINDS, EvalItem, load_dataset
from assistant.evaluation.runner import metrics_of, score_item, summarize

GOOD = {
    "id": "x-1",
    "lang": "zh",
    "kind": "figure",
    "question": "今年新增多少绿地?",
    "answers": ["10公顷"],
    "evidence": ["新增绿地10公顷"],
}


def _line(**changes: object) -> str:
    return json.dumps(GOOD | changes, ensure_ascii=False)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{not json"], "set.jsonl line 1: not valid JSON"),
        (["[1, 2]"], "line 1: expected a JSON object, got list"),
        (
            [_line(), json.dumps({"id": "x-2"})],
            "line 2: missing field(s) lang, kind, question, answers, evidence",
        ),
        ([_line(extra=1)], "line 1: unknown field(s) extra"),
        ([_line(answers="10公顷")], "line 1: answers must be a list, got str"),
        ([_line(evidence=[""])], "line 1: evidence must hold non-empty strings"),
        ([_line(lang="fr")], "line 1: lang must be one of zh, en, not 'fr'"),
        ([_line(kind="opinion")], "line 1: kind must be one of"),
        ([_line(question="  ")], "line 1: id and question must not be empty"),
        ([_line(kind="negative")], "line 1: a negative item has empty answers and evidence"),
        ([_line(answers=[])], "line 1: a figure item needs answers and evidence"),
        ([_line(), "", _line()], "line 3: id 'x-1' already used on line 1"),
        ([""], "has no items"),
    ],
)
def test_a_bad_dataset_line_is_named(tmp_path: Path, lines: list[str], message: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_dataset(path)


def test_the_dataset_loads_as_items() -> None:
    items = load_dataset(DEFAULT_DATASET)
    assert len(items) >= 150
    assert {it.kind for it in items} == set(KINDS)
    assert all(it.negative == (not it.answers) for it in items)


def test_a_missing_dataset_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--dataset", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: Cannot read the eval dataset") and "\n" not in err


# -- scoring one answer and summarizing -------------------------------------------------------

CORPUS = load_corpus(REPO_ROOT / "corpus")
PARAGRAPHS = {p.id: p.text for p in CORPUS.paragraphs}
GREEN = next(p for p in CORPUS.paragraphs if "新增绿地10公顷" in p.text)
OTHER = next(p for p in CORPUS.paragraphs if "高企超500家" in p.text)


def _item(
    kind: str, answers: tuple[str, ...] = (), evidence: tuple[str, ...] = (), lang: str = "zh"
) -> EvalItem:
    return EvalItem(f"{lang}-{kind}", lang, kind, "问题", answers, evidence)


def _answer(text: str, cited: list[tuple[str, str]], abstained: bool = False) -> Answer:
    citations = tuple(Citation(pid, "", PARAGRAPHS[pid], quote) for pid, quote in cited)
    return Answer(
        "问题", text, citations, abstained, "extractive", {"retrieve": 5.0, "answer": 1.0, "total": 6.0}
    )


GREEN_ITEM = _item("figure", ("10公顷",), ("新增绿地10公顷",))
RIGHT = _answer(f"计划原文：“新增绿地10公顷” [{GREEN.id}]", [(GREEN.id, "新增绿地10公顷")])
WRONG_NUMBER = _answer(f"计划原文：“新增绿地30公顷” [{GREEN.id}]", [(GREEN.id, "新增绿地10公顷")])
WRONG_PARAGRAPH = _answer(f"计划原文：“高企超500家” [{OTHER.id}]", [(OTHER.id, "高企超500家")])
REFUSAL = _answer(f"计划中没有提到这一点。最接近的段落：[{GREEN.id}]", [(GREEN.id, "")], abstained=True)


@pytest.mark.parametrize(
    ("item", "answer", "correct", "failed", "reasons"),
    [
        (GREEN_ITEM, RIGHT, True, False, []),
        (GREEN_ITEM, WRONG_NUMBER, False, True, ["missing 10公顷", "numbers not in cited paragraphs: 30"]),
        (GREEN_ITEM, WRONG_PARAGRAPH, False, True, ["missing 10公顷"]),
        (GREEN_ITEM, REFUSAL, False, True, ["refused an answerable question"]),
        (_item("negative"), REFUSAL, True, False, []),
        (_item("negative"), RIGHT, False, True, ["answered, expected a refusal"]),
    ],
)
def test_score_item(item: EvalItem, answer: Answer, correct: bool, failed: bool, reasons: list[str]) -> None:
    result = score_item(item, answer, 12.0, [PARAGRAPHS[GREEN.id]], PARAGRAPHS)
    assert (result.correct, result.failed, result.reasons()) == (correct, failed, reasons)


def test_citation_scores_of_an_answer() -> None:
    right = score_item(GREEN_ITEM, RIGHT, 1.0, [PARAGRAPHS[OTHER.id], PARAGRAPHS[GREEN.id]], PARAGRAPHS)
    wrong = score_item(GREEN_ITEM, WRONG_PARAGRAPH, 1.0, [], PARAGRAPHS)
    assert (right.precision, right.recall, right.evidence_rank) == (1.0, 1.0, 2)
    assert (wrong.precision, wrong.recall, wrong.evidence_rank) == (0.0, 0.0, None)


def test_metrics_per_group() -> None:
    results = [
        score_item(GREEN_ITEM, RIGHT, 10.0, [PARAGRAPHS[GREEN.id]], PARAGRAPHS),
        score_item(_item("figure", ("10公顷",), ("新增绿地10公顷",), "en"), REFUSAL, 20.0, [], PARAGRAPHS),
        score_item(_item("negative"), REFUSAL, 30.0, None, PARAGRAPHS),
        score_item(_item("negative", lang="en"), WRONG_NUMBER, 40.0, None, PARAGRAPHS),
    ]
    groups = summarize(results)
    assert list(groups) == [
        "all",
        "zh",
        "en",
        "figure",
        "negative",
        "figure/zh",
        "figure/en",
        "negative/zh",
        "negative/en",
    ]
    m = groups["all"]
    assert (m["n"], m["accuracy"], m["answer_accuracy"]) == (4, 0.5, 0.5)
    assert (m["refusal_accuracy"], m["false_refusal_rate"]) == (0.5, 0.5)
    assert (m["citation_precision"], m["citations_valid"], m["number_faithfulness"]) == (1.0, 1.0, 0.75)
    assert (m["recall@1"], m["latency_p50_ms"]) == (0.5, 25.0)
    assert (groups["figure/zh"]["accuracy"], groups["figure/en"]["accuracy"]) == (1.0, 0.0)
    assert groups["negative"]["recall@1"] is None  # nothing to retrieve for a negative
    assert metrics_of([])["accuracy"] is None


# -- the baseline's chunks ------------------------------------------------------------------------


def test_baseline_chunks_carry_the_paragraph_they_start_in() -> None:
    chunks = split_corpus(CORPUS)
    text = CORPUS.documents[0].text
    assert len(chunks) > 5
    assert len({c.metadata["chunk_id"] for c in chunks}) == len(chunks)
    for c in chunks:
        start = c.metadata["start_index"]
        assert len(c.page_content) <= CHUNK_SIZE
        assert text[start : start + len(c.page_content)] == c.page_content
        paragraph = CORPUS.paragraph(c.metadata["paragraph_id"])
        assert c.page_content.split("\n")[0] in paragraph.text  # it starts inside that paragraph
        assert c.metadata["section"] == paragraph.section
    assert chunks[0].metadata["paragraph_id"] == CORPUS.paragraphs[0].id


# -- the command, end to end (real assistant) --------------------------------------------------


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five real items plus one built to fail (its expected answer is not what the plan says)."""
    wanted = {"zh-fig-001", "en-fig-001", "zh-def-001", "zh-trap-001", "zh-neg-002"}
    lines = [
        ln
        for ln in DEFAULT_DATASET.read_text(encoding="utf-8").splitlines()
        if json.loads(ln)["id"] in wanted
    ]
    lines.append(_line(id="zz-must-fail", kind="fact", answers=["冈本工机"], evidence=["新增绿地10公顷"]))
    path = tmp_path_factory.mktemp("eval") / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _args(dataset: Path, **changes: object) -> argparse.Namespace:
    defaults = {"dataset": dataset, "mode": None, "report": None, "baseline": False, "json": False}
    return argparse.Namespace(**(defaults | changes))


@pytest.mark.slow
def test_eval_prints_both_systems_every_failure_and_writes_the_report(
    assistant: Assistant, small_dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_eval(_args(small_dataset, baseline=True, report=tmp_path / "r"), assistant=assistant)
    out = capsys.readouterr().out
    assert code == 0
    for row in ("figure accuracy (zh)", "refusal accuracy (negatives)", "number faithfulness", "recall@5"):
        assert row in out
    assert "ours  baseline  ours vs baseline" in out
    assert "zz-must-fail  zh/fact  今年新增多少绿地?" in out
    assert "missing 冈本工机" in out
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert set(report["systems"]) == {"ours", "baseline"}
    assert len(report["systems"]["ours"]["items"]) == 6
    ours_items = {i["id"]: i for i in report["systems"]["ours"]["items"]}
    assert ours_items["zz-must-fail"]["failed"] and not ours_items["zh-fig-001"]["failed"]
    assert report["gate"]["thresholds"] and "passed" in report["gate"]
    assert "| figure accuracy (zh) |" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert (tmp_path / "r" / "accuracy_by_kind.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_eval_json_is_the_report(
    assistant: Assistant, small_dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_eval(_args(small_dataset, json=True), assistant=assistant) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["systems"]) == {"ours"}
    metrics = report["systems"]["ours"]["metrics"]
    assert metrics["all"]["n"] == 6 and metrics["negative"]["refusal_accuracy"] == 1.0
    assert metrics["all"]["number_faithfulness"] == 1.0


@pytest.mark.slow
def test_bench_prints_every_row(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = corpus_copy / "zhonglou-2025-work-plan.txt"
    plan.write_text("\n".join(plan.read_text(encoding="utf-8").splitlines()[:4]) + "\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus_copy))  # a four-paragraph corpus: a quick ingest
    assert run_bench(argparse.Namespace(queries=3, json=False)) == 0
    out = capsys.readouterr().out
    assert "3 warm questions per system" in out
    for row in (
        "embedding model load (s, shared)",
        "ingest (s)",
        "cold start to first answer (s)",
        "retrieve p50 (ms)",
        "answer p95 (ms)",
        "total p95 (ms)",
        "peak RSS (MB)",
        "python heap peak per ask (MB)",
    ):
        line = next(ln for ln in out.splitlines() if ln.startswith(row))
        assert line.rstrip().endswith("×") or row.startswith("embedding"), line  # a ratio on each row
