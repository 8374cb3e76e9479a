"""Feedback storage: what is kept (and what is not), its bounds, its failures, the CLI over it,
and 👎 items as draft eval items."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.feedback import (
    COLUMNS,
    MAX_ANSWER_CHARS,
    MAX_COMMENT_CHARS,
    FeedbackError,
    FeedbackStore,
    draft_eval_items,
)

CITED = [
    {"id": "zl2025/p12", "quote": "新增绿地10公顷", "text": "(三)功能品质融合蝶变。…", "section": "二、(三)"}
]


def _store(tmp_path: Path, **kw: int) -> FeedbackStore:
    return FeedbackStore.in_dir(tmp_path / "data", **kw)


def test_a_rating_is_stored_with_question_answer_citations_mode_and_time(tmp_path: Path) -> None:
    store = _store(tmp_path)
    when = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    row = store.add(
        -1, "今年新增多少绿地?", "计划原文：“新增绿地10公顷” [zl2025/p12]", CITED, "extractive", now=when
    )
    assert store.comment(row, "  单位应该是公顷  ")
    [item] = store.list()
    assert (item.rating, item.question, item.mode, item.comment) == (
        -1,
        "今年新增多少绿地?",
        "extractive",
        "单位应该是公顷",
    )
    assert item.citations == [{"id": "zl2025/p12", "quote": "新增绿地10公顷"}]  # no whole paragraphs
    assert item.time == "2025-03-01T09:30:00+00:00"
    columns = [r[1] for r in sqlite3.connect(store.path).execute("PRAGMA table_info(feedback)")]
    assert tuple(columns) == COLUMNS  # nothing personal: no ip, cookie, user agent or session


def test_the_table_keeps_the_newest_rows_and_cuts_long_texts(tmp_path: Path) -> None:
    store = _store(tmp_path, max_rows=3)
    for n in range(5):
        store.add(1, f"q{n}", "a" * (MAX_ANSWER_CHARS + 50), comment="c" * (MAX_COMMENT_CHARS * 2))
    items = store.list()
    assert [i.question for i in items] == ["q2", "q3", "q4"]
    assert all(len(i.answer) == MAX_ANSWER_CHARS and len(i.comment) == MAX_COMMENT_CHARS for i in items)


def test_since_keeps_the_later_ratings(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add(1, "old", "a", now=datetime(2025, 1, 1, tzinfo=UTC))
    store.add(-1, "new", "a", now=datetime(2025, 3, 2, tzinfo=UTC))
    assert [i.question for i in store.list(since=datetime(2025, 3, 1, tzinfo=UTC))] == ["new"]
    assert [i.question for i in store.list(rating=-1)] == ["new"]


def test_no_file_is_no_feedback(tmp_path: Path) -> None:
    assert _store(tmp_path).list() == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only directories")
def test_a_read_only_directory_is_a_feedback_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        with pytest.raises(FeedbackError, match="feedback could not be saved"):
            FeedbackStore.in_dir(data).add(1, "q", "a")
    finally:
        data.chmod(0o700)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"this is not a database" * 100), id="corrupt-file"),
        pytest.param(lambda p: p.mkdir(parents=True), id="a-directory-in-its-place"),
        pytest.param(
            lambda p: (p.unlink(missing_ok=True), p.parent.rmdir(), p.parent.write_text("")),
            id="data-dir-is-a-file",
        ),
    ],
)
def test_a_broken_store_is_a_feedback_error_not_a_crash(tmp_path: Path, damage) -> None:
    store = _store(tmp_path)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    damage(store.path)
    with pytest.raises(FeedbackError, match=r"反馈未能保存 \(feedback could not be saved"):
        store.add(-1, "q", "a")


def test_thumbs_down_become_draft_eval_items_for_review(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add(1, "今年新增多少绿地?", "…10公顷…", CITED)
    store.add(-1, "What is the rooftop solar target?", "20 MW", [{"id": "zl2025/p10", "quote": "20兆瓦以上"}])
    store.add(-1, "What is the rooftop solar target?", "20 MW")  # the same question once
    [draft] = draft_eval_items(store.list())
    assert draft["question"] == "What is the rooftop solar target?"
    assert draft["lang"] == "en" and draft["answers"] == [] and draft["needs_review"] is True
    assert draft["evidence"] == ["20兆瓦以上"]
    assert {"id", "lang", "kind", "question", "answers", "evidence"} <= set(draft)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "feedback", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_cli_lists_writes_csv_and_drafts_eval_items(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add(-1, "今年新增多少绿地?", "…", CITED, now=datetime(2025, 3, 2, tzinfo=UTC))
    store.add(1, "高企要达到多少家?", "超500家", now=datetime(2025, 1, 2, tzinfo=UTC))
    listed = _cli(store.path.parent)
    assert listed.returncode == 0, listed.stderr
    assert "👎 今年新增多少绿地?" in listed.stdout and "👍 高企要达到多少家?" in listed.stdout

    out, drafts = tmp_path / "fb.csv", tmp_path / "drafts.jsonl"
    done = _cli(store.path.parent, "--since", "2025-03-01", "--csv", str(out), "--draft-eval", str(drafts))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["question"], r["rating"]) for r in rows] == [("今年新增多少绿地?", "-1")]
    [item] = [json.loads(line) for line in drafts.read_text(encoding="utf-8").splitlines()]
    assert item["needs_review"] and item["answers"] == []

    as_json = _cli(store.path.parent, "--json")
    assert [i["question"] for i in json.loads(as_json.stdout)] == ["今年新增多少绿地?", "高企要达到多少家?"]


def test_a_bad_date_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _cli(tmp_path, "--since", "yesterday")
    assert done.returncode == 2 and "not a date" in done.stderr
