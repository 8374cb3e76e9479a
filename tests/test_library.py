"""Specification of the library: documents in and out as whole files, the manifest kept in step,
duplicates refused, and a failed or interrupted add leaving the library as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from document_fixtures import write_docx, write_encrypted_pdf, write_small_library, write_wrapped_pdf
from realdocs import REALDOCS, reference_paragraphs, requires_realdocs

from assistant import library
from assistant.cli import main
from assistant.config import ENV_VARIABLES
from assistant.corpus import load_corpus
from assistant.errors import ConfigError, DocumentUnreadable, LibraryConflict
from assistant.library import add_document, list_documents, remove_document


def _state(corpus: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(corpus.iterdir()) if not p.name.startswith(".")}


@requires_realdocs
@pytest.mark.parametrize(
    ("name", "doc_id", "place", "paragraphs"),
    [
        ("beijing-2026-municipal-gov-work-report.pdf", "beijing2026", "北京市", 94),
        ("jiangsu-2026-provincial-gov-work-report.docx", "jiangsu2026", "江苏省", 50),
        ("zhejiang-2026-provincial-gov-work-report.txt", "zhejiang2026", "浙江省", None),
    ],
)
def test_add_writes_the_paragraphs_and_the_profile(
    corpus_copy: Path, name: str, doc_id: str, place: str, paragraphs: int | None
) -> None:
    profile = add_document(corpus_copy, REALDOCS / name)
    assert (profile.id, profile.place, profile.year, profile.file) == (doc_id, place, 2026, f"{doc_id}.txt")
    assert profile.source.startswith(name)
    text = (corpus_copy / profile.file).read_text(encoding="utf-8")
    expected = paragraphs or len(reference_paragraphs(REALDOCS / name))
    assert len(text.splitlines()) == expected and text.endswith("\n")
    manifest = json.loads((corpus_copy / "manifest.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in manifest["documents"]] == ["zl2025", doc_id]
    assert manifest["documents"][1] == profile.to_manifest()
    corpus = load_corpus(corpus_copy)
    assert [d.id for d in corpus.documents] == ["zl2025", doc_id]
    assert corpus.documents[1].profile == profile
    assert corpus.paragraph(f"{doc_id}/p01").text == text.splitlines()[0]
    assert corpus.paragraph("zl2025/p12").text.startswith("(三)功能品质融合蝶变")  # the plan's IDs unchanged
    assert [p.id for p in list_documents(corpus_copy)] == ["zl2025", doc_id]


@requires_realdocs
@pytest.mark.parametrize(
    ("first", "second", "overrides", "says"),
    [
        (
            "jiangsu-2026-provincial-gov-work-report.txt",
            "jiangsu-2026-provincial-gov-work-report.docx",
            {},
            "already holds jiangsu2026",
        ),
        (
            "jiangsu-2026-provincial-gov-work-report.txt",
            "jiangsu-2026-provincial-gov-work-report.docx",
            {"id": "js"},
            "same text as jiangsu2026",
        ),
        (None, "zhonglou-2025-work-plan.pdf", {"id": "plan-pdf"}, "same text as zl2025"),
        (None, "beijing-2026-municipal-gov-work-report.txt", {"id": "zl2025"}, "already holds zl2025"),
    ],
)
def test_a_duplicate_is_refused_and_changes_nothing(
    corpus_copy: Path, first: str | None, second: str, overrides: dict[str, str], says: str
) -> None:
    if first:
        add_document(corpus_copy, REALDOCS / first)
    before = _state(corpus_copy)
    with pytest.raises(LibraryConflict, match=says):
        add_document(corpus_copy, REALDOCS / second, overrides)
    assert _state(corpus_copy) == before


@pytest.mark.parametrize("kind", ["encrypted", "bad id"])
def test_a_failed_add_leaves_the_library_as_it_was(corpus_copy: Path, tmp_path: Path, kind: str) -> None:
    before = _state(corpus_copy)
    plain = write_wrapped_pdf(
        tmp_path / "plain.pdf", ["Riverside 2026 Work Plan", "Plant ten hectares of trees."]
    )
    if kind == "encrypted":
        with pytest.raises(DocumentUnreadable):
            add_document(corpus_copy, write_encrypted_pdf(tmp_path / "locked.pdf", plain))
    else:
        with pytest.raises(ConfigError, match="cannot be a document ID"):
            add_document(corpus_copy, plain, {"id": "Not An ID"})
    assert _state(corpus_copy) == before


def test_a_crash_between_manifest_and_text_leaves_the_library_as_it_was(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text file goes in last: a manifest entry without its file counts for nothing, and the
    next change drops it."""
    docx = write_docx(tmp_path / "riverside.docx", ["2026年河滨区工作安排", "新增绿地20公顷。"])
    real_write = library._write_atomic

    def crash_on_text(path: Path, text: str) -> None:
        if path.suffix == ".txt":
            raise KeyboardInterrupt  # the process dies here
        real_write(path, text)

    monkeypatch.setattr(library, "_write_atomic", crash_on_text)
    with pytest.raises(KeyboardInterrupt):
        add_document(corpus_copy, docx)
    monkeypatch.undo()
    assert [d.id for d in load_corpus(corpus_copy).documents] == ["zl2025"]
    assert [p.id for p in list_documents(corpus_copy)] == ["zl2025"]
    assert not [p for p in corpus_copy.iterdir() if p.name.endswith(".tmp")]
    profile = add_document(corpus_copy, docx)  # the same add goes through afterwards
    assert [d.id for d in load_corpus(corpus_copy).documents] == ["zl2025", profile.id]


def test_remove_deletes_the_file_and_the_entry(corpus_copy: Path, tmp_path: Path) -> None:
    before = _state(corpus_copy)
    profile = add_document(
        corpus_copy, write_docx(tmp_path / "riverside.docx", ["2026年河滨区工作安排", "新增绿地20公顷。"])
    )
    assert (profile.id, profile.place, profile.year) == ("riverside2026", "河滨区", 2026)
    assert remove_document(corpus_copy, profile.id) == profile
    assert _state(corpus_copy) == before


@pytest.mark.parametrize(
    ("doc_id", "says"),
    [("nope", "No document 'nope' in the library; it holds: zl2025"), ("zl2025", "only document")],
)
def test_remove_refuses_what_it_cannot_do(corpus_copy: Path, doc_id: str, says: str) -> None:
    before = _state(corpus_copy)
    with pytest.raises(LibraryConflict, match=says):
        remove_document(corpus_copy, doc_id)
    assert _state(corpus_copy) == before


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return write_small_library(tmp_path / "small-corpus")


@pytest.mark.slow
def test_cli_add_docs_remove_round_trip(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    docx = write_docx(
        tmp_path / "riverside.docx",
        ["政府工作报告", "——2026年1月9日在河滨区第三届人民代表大会上", "新增绿地20公顷，建成口袋公园4个。"],
    )

    assert main(["add", str(docx), "--place", "河滨区", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)["added"]
    assert [(a["id"], a["title"], a["place"], a["year"]) for a in added] == [
        ("riverside2026", "2026年河滨区政府工作报告", "河滨区", 2026)
    ]
    assert (
        main(["search", "河滨区新增绿地", "--json"]) == 0
    )  # the index holds the new document (named: scoped to it)
    assert "riverside2026/p03" in {r["paragraph_id"] for r in json.loads(capsys.readouterr().out)}

    assert main(["docs", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["place"], r["year"], r["paragraphs"], r["figures"]) for r in rows] == [
        ("zl2025", "钟楼区", 2025, 3, 3),
        ("riverside2026", "河滨区", 2026, 3, 2),
    ]
    assert main(["docs"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["ID", "TITLE", "PLACE", "YEAR", "PARAGRAPHS", "FIGURES"]
    assert table[2].split() == ["riverside2026", "2026年河滨区政府工作报告", "河滨区", "2026", "3", "2"]

    assert main(["add", str(docx)]) == 2  # the same document again
    assert "already holds riverside2026" in capsys.readouterr().err

    assert main(["remove", "riverside2026"]) == 0
    assert "removed riverside2026" in capsys.readouterr().out
    assert main(["docs", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["zl2025"]
    assert not (small_corpus / "riverside2026.txt").exists()
    assert main(["search", "新增绿地", "--json"]) == 0  # and no longer
    assert all(r["paragraph_id"].startswith("zl2025/") for r in json.loads(capsys.readouterr().out))
