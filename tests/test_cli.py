"""Specification of the ``assistant`` command: exit codes, JSON output, one-line errors.

``main(argv)`` in-process over the session index, and the installed console script once as a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.cli import main
from assistant.config import ENV_VARIABLES, REPO_ROOT

SOLAR = "What is the target for rooftop solar?"
SOLAR_CLAUSE = "屋顶光伏装机容量20兆瓦以上"
LONG_QUERY = ("屋顶光伏" * 2500)[:10_000]
CONSOLE_SCRIPT = Path(sys.executable).with_name("assistant")


@pytest.fixture
def session_env(monkeypatch: pytest.MonkeyPatch, assistant: Assistant, session_data_dir: Path) -> Path:
    """The CLI reads settings from the environment: point it at the session index, nothing else."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(session_data_dir))
    return session_data_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- search -----------------------------------------------------------------------------------


def test_search_json_puts_the_solar_chunk_first(
    session_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", SOLAR, "--json")
    assert code == 0
    results = json.loads(out)
    assert isinstance(results, list) and len(results) == 5
    assert SOLAR_CLAUSE in results[0]["text"]
    assert results[0]["paragraph_id"] == "zl2025/p10"
    assert results[0]["section"] == "二、(一)新质动能加速集聚"
    assert results[0]["chunk_id"].startswith("zl2025/p10#")
    assert [r["rank"] for r in results] == [1, 2, 3, 4, 5]
    assert "rrf_score" in results[0]["scores"]


def test_search_text_output_shows_ids_and_sections(
    session_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", "今年新增多少绿地", "-k", "3")
    assert code == 0
    assert "[zl2025/p12] 二、(三)功能品质融合蝶变" in out
    assert sum(line[:2] in ("1.", "2.", "3.") for line in out.splitlines()) == 3


@pytest.mark.parametrize("query", ["", "   "])
def test_search_for_nothing_is_a_one_line_error_with_exit_2(
    session_env: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    code, out, err = run(capsys, "search", query)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ") and "empty" in err
    assert "Traceback" not in err


def test_search_with_a_ten_thousand_character_query_is_truncated_with_a_note(
    session_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "search", LONG_QUERY, "--json")
    assert code == 0
    assert len(json.loads(out)) == 5
    assert "truncated" in err and "10000" in err


# -- show -------------------------------------------------------------------------------------


def test_show_prints_section_and_text(session_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "zl2025/p12")
    assert code == 0
    header, text = out.splitlines()[:2]
    assert header == "[zl2025/p12] 二、(三)功能品质融合蝶变 (body)"
    assert text.startswith("(三)功能品质融合蝶变。") and "新增绿地10公顷" in text


def test_show_json_is_the_paragraph(session_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "zl2025/g10", "--json")
    assert code == 0
    paragraph = json.loads(out)
    assert (paragraph["id"], paragraph["kind"], paragraph["term"]) == (
        "zl2025/g10",
        "glossary",
        "“三先三后”原则",
    )
    assert paragraph["section_path"] == ["名词解释"] and paragraph["line_no"] == 34


def test_show_an_unknown_id_exits_2(session_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "zl2025/p99")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "zl2025/p99" in err
    assert len(err.strip().splitlines()) == 1


# -- ask --------------------------------------------------------------------------------------


def test_ask_json_answers_with_the_figure_and_its_citation(
    session_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "ask", "今年新增多少绿地?", "--json")
    assert code == 0
    answer = json.loads(out)
    assert "10公顷" in answer["text"]
    assert "zl2025/p12" in [c["id"] for c in answer["citations"]]
    assert answer["abstained"] is False and answer["mode"] == "extractive"


def test_ask_text_prints_answer_then_citations(session_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "今年新增多少绿地?")
    assert code == 0
    assert "10公顷" in out
    assert "  [zl2025/p12] 二、(三)功能品质融合蝶变:" in out


# -- ingest -----------------------------------------------------------------------------------


def test_ingest_twice_builds_then_is_up_to_date(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    plan = corpus / "zhonglou-2025-work-plan.txt"
    plan.write_text("\n".join(plan.read_text("utf-8").splitlines()[:3]) + "\n", "utf-8")  # small: fast
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))

    code, out, err = run(capsys, "ingest")
    assert code == 0
    assert out.startswith("Index built in ")
    assert "Embedding zl2025" in err  # the progress bar, one per document

    code, out, _ = run(capsys, "ingest", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["status"] == "up to date"
    assert report["embeddings"] == "e5-small" and report["complete"] is True


def test_an_invalid_setting_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "five")
    code, out, err = run(capsys, "show", "zl2025/p12")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "ASSISTANT_TOP_K" in err


# -- the installed console script -------------------------------------------------------------


def console(session_data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARIABLES}
    env |= {
        "ASSISTANT_DATA_DIR": str(session_data_dir),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *argv], env=env, capture_output=True, text=True, timeout=180, cwd=REPO_ROOT
    )


@pytest.mark.slow
def test_console_script_search_json(assistant: Assistant, session_data_dir: Path) -> None:
    result = console(session_data_dir, "search", SOLAR, "--json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert SOLAR_CLAUSE in first["text"] and first["paragraph_id"] == "zl2025/p10"


@pytest.mark.slow
def test_console_script_empty_search_exits_2_without_traceback(
    assistant: Assistant, session_data_dir: Path
) -> None:
    result = console(session_data_dir, "search", "")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
