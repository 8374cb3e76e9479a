"""Specification of ``assistant bench --library``: a library of reports, ingest against the floor.

A tiny library in the tests (seconds); the real shared reports only for how they are loaded.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT
from assistant.corpus import load_corpus
from assistant.evaluation.library_bench import (
    LIBRARY_REPORTS,
    library_benchmark,
    library_reports,
    library_table,
    make_library,
    report_id,
)

PLAN = "zhonglou-2025-work-plan.txt"


def realdocs() -> Path:
    for candidate in (
        os.environ.get("ASSISTANT_REALDOCS_DIR"),
        REPO_ROOT.parent / "shared" / "realdocs",
        Path("/work/shared/realdocs"),
    ):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    pytest.skip("no shared real documents (set ASSISTANT_REALDOCS_DIR)")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("jiangsu-2026-provincial-gov-work-report.txt", "jiangsu2026"),
        ("beijing-2026-municipal-gov-work-report.txt", "beijing2026"),
        ("notes.txt", "notes"),
    ],
)
def test_a_report_id_is_its_place_and_year(name: str, expected: str) -> None:
    assert report_id(Path(name)) == expected


def test_the_shared_reports_load_as_a_library_beside_the_plan(tmp_path: Path) -> None:
    corpus = load_corpus(make_library(library_reports(realdocs()), tmp_path / "corpus"))
    ids = [d.id for d in corpus.documents]
    assert ids == ["zl2025", *(f"{place}2026" for place in LIBRARY_REPORTS)]
    assert all(len(d.paragraphs) > 20 for d in corpus.documents)
    assert corpus.paragraph("zl2025/p12").text.count("新增绿地10公顷") == 1  # the plan's IDs are unchanged


@pytest.mark.slow
def test_the_library_bench_times_ingest_against_the_floor_and_an_added_document(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(REPO_ROOT / "corpus", plan)
    lines = (plan / PLAN).read_text("utf-8").splitlines()
    (plan / PLAN).write_text(f"{lines[0]}\n{lines[2]}\n", "utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "jiangsu-2026-report.txt").write_text(
        "江苏省工作报告\n全省地区生产总值增长5%左右。\n", "utf-8"
    )
    (reports / "beijing-2026-report.txt").write_text("北京市工作报告\n新增绿地200公顷。\n", "utf-8")
    (reports / "hainan-2026-report.txt").write_text("海南省工作报告\n不在库中。\n", "utf-8")

    result = library_benchmark(reports, queries=5, plan_corpus=plan)
    assert (result.documents, result.removed, result.queries) == (3, "beijing2026", 5)
    assert result.floor_s > 0 and result.ingest_s > 0 and result.add_s > 0 and result.add_floor_s > 0
    assert 0 < result.ask_p50_ms <= result.ask_p95_ms
    table = library_table(result, reports)
    assert "× floor" in table and "add it back (beijing2026)" in table and "p95" in table
