"""Specification of the readers: every format gives the paragraphs of the text it was made from,
and a file that cannot be read gets a message naming it and saying what to do."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from document_fixtures import (
    write_docx,
    write_encrypted_pdf,
    write_image_pdf,
    write_wrapped_pdf,
    write_zip,
)
from realdocs import PLAN_TXT, REALDOCS, reference_paragraphs, requires_realdocs

from assistant.corpus import parse_document
from assistant.errors import AssistantError, DocumentUnreadable
from assistant.figures import find_figures
from assistant.readers import read_document

# (file made by LibreOffice, the text it was made from, PDF paragraphs the layout cannot tell apart)
ROUND_TRIPS = [
    ("zhonglou-2025-work-plan.pdf", PLAN_TXT, 0),
    ("zhonglou-2025-work-plan.docx", PLAN_TXT, 0),
    ("jiangsu-2026-provincial-gov-work-report.docx", "jiangsu-2026-provincial-gov-work-report.txt", 0),
    ("anhui-2026-provincial-gov-work-report.docx", "anhui-2026-provincial-gov-work-report.txt", 0),
    # A paragraph whose last line happens to fill the line and end a sentence looks exactly like
    # a full line inside a paragraph (no indent, no spacing in these files): 2 such in Beijing,
    # 4 in Hainan. The reader joins them; every character and figure is still right.
    ("beijing-2026-municipal-gov-work-report.pdf", "beijing-2026-municipal-gov-work-report.txt", 2),
    ("hainan-2026-provincial-gov-work-report.pdf", "hainan-2026-provincial-gov-work-report.txt", 4),
]


def _reference(source: Path | str) -> list[str]:
    return reference_paragraphs(source if isinstance(source, Path) else REALDOCS / source)


@requires_realdocs
@pytest.mark.parametrize(("name", "source", "merged"), ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_office_files_give_the_paragraphs_of_their_text(name: str, source: Path | str, merged: int) -> None:
    expected = _reference(source)
    got = list(read_document(REALDOCS / name).paragraphs)
    assert "".join(got) == "".join(expected)  # every character, in order
    if merged == 0:
        assert got == expected
        return
    # Otherwise each paragraph read is one or more whole consecutive paragraphs of the text,
    # joined only after a sentence end: never a paragraph split, never a break mid-sentence.
    position, joins = 0, 0
    for paragraph in got:
        parts = [expected[position]]
        while "".join(parts) != paragraph:
            assert re.search(r"[。！？；：]”?$", parts[-1]), f"joined mid-sentence: {parts[-1][-20:]}"
            parts.append(expected[position + len(parts)])
            assert len("".join(parts)) <= len(paragraph), f"split paragraph: {paragraph[:30]}"
        joins += len(parts) - 1
        position += len(parts)
    assert position == len(expected)
    assert joins == merged


@requires_realdocs
@pytest.mark.parametrize("name", ["zhonglou-2025-work-plan.pdf", "zhonglou-2025-work-plan.docx"])
def test_the_plan_as_pdf_or_docx_has_the_same_paragraph_ids_as_the_text(name: str) -> None:
    text = PLAN_TXT.read_text(encoding="utf-8")
    expected = [(p.id, p.section, p.text) for p in parse_document("zl2025", text)]
    read = read_document(REALDOCS / name)
    assert [(p.id, p.section, p.text) for p in parse_document("zl2025", read.text)] == expected


@requires_realdocs
@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("zhonglou-2025-work-plan.pdf", PLAN_TXT),
        ("beijing-2026-municipal-gov-work-report.pdf", "beijing-2026-municipal-gov-work-report.txt"),
        ("hainan-2026-provincial-gov-work-report.pdf", "hainan-2026-provincial-gov-work-report.txt"),
    ],
)
def test_every_figure_comes_back_whole_from_a_pdf(name: str, source: Path | str) -> None:
    expected = Counter(f.text for p in _reference(source) for f in find_figures(p))
    got = Counter(f.text for p in read_document(REALDOCS / name).paragraphs for f in find_figures(p))
    assert got == expected


@requires_realdocs
def test_a_figure_broken_across_lines_of_the_pdf_is_one_clause_again() -> None:
    paragraphs = read_document(REALDOCS / "zhonglou-2025-work-plan.pdf").paragraphs
    assert any(
        "制造业投资增长8%左右" in p for p in paragraphs
    )  # "制造" ends a line, "业投资" starts the next
    assert any("新能源汽车研究院" in p for p in paragraphs)  # "新能" ends page 1, "源汽车" starts page 2


@requires_realdocs
@pytest.mark.parametrize(
    ("name", "fmt", "pages"),
    [
        ("zhonglou-2025-work-plan.pdf", "pdf", 3),
        ("hainan-2026-provincial-gov-work-report.pdf", "pdf", 14),
        ("zhonglou-2025-work-plan.docx", "docx", None),
        ("jiangsu-2026-provincial-gov-work-report.txt", "txt", None),
    ],
)
def test_what_was_detected_is_reported(name: str, fmt: str, pages: int | None) -> None:
    document = read_document(REALDOCS / name)
    assert (document.format, document.pages) == (fmt, pages)
    assert document.text.endswith("\n") and document.text.count("\n") == len(document.paragraphs)


LATIN = [
    "The district will plant 10 hectares of new green space this year and open four pocket parks "
    "along the canal, with 30 more benches.",
    "Second paragraph: short.",
    "A long paragraph wraps over several lines, so that a page break falls inside it and the reader "
    "has to join lines across the page, dropping the running header and the page number on the way. "
    "It goes on a little more to be sure that it spans lines.",
    "Done.",
]


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        ("", ""),
        ("Riverside Annual Plan 2026", "- {n} -"),
        ("Riverside Annual Plan 2026", "Page {n} of 3"),
        ("", "{n}"),
    ],
)
def test_a_pdf_loses_its_running_header_and_page_numbers_and_keeps_its_paragraphs(
    tmp_path: Path, header: str, footer: str
) -> None:
    paragraphs = LATIN * 4  # the same text at the top of two pages is still body text
    pdf = write_wrapped_pdf(tmp_path / "plan.pdf", paragraphs, header=header, footer=footer)
    document = read_document(pdf)
    assert document.pages == 3
    assert list(document.paragraphs) == paragraphs


def test_a_docx_paragraph_with_a_manual_line_break_stays_one_paragraph_and_tables_are_read(
    tmp_path: Path,
) -> None:
    path = write_docx(
        tmp_path / "plan.docx",
        ["2026年工作安排", "新增绿地\n10公顷。", "", "Plant trees\nalong the canal."],
        table=[["指标", "目标"], ["地区生产总值", "增长5%左右"]],
    )
    assert read_document(path).paragraphs == (
        "2026年工作安排",
        "新增绿地10公顷。",
        "Plant trees along the canal.",
        "指标 | 目标",
        "地区生产总值 | 增长5%左右",
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xef\xbb\xbf2025\xe5\xb9\xb4\n\n  body line  \n", ("2025年", "body line")),  # UTF-8 with BOM
        ("2025年工作安排\n新增绿地10公顷\n".encode("gb18030"), ("2025年工作安排", "新增绿地10公顷")),
    ],
    ids=["utf-8-bom", "gb18030"],
)
def test_text_files_are_one_paragraph_a_line_in_utf8_or_gb18030(
    tmp_path: Path, content: bytes, expected: tuple[str, ...]
) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    assert read_document(path).paragraphs == expected


def test_markdown_blocks_are_paragraphs_and_markup_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "# 2026年工作安排\n\n新增绿地10公顷，\n建成口袋公园4个。\n\n## 名词解释\n\n1. **QFLP**: 合格境外有限合伙人\n"
        "- 见 [附件](http://example.org)\n\n| 指标 | 目标 |\n|---|---|\n| GDP | 5% |\n",
        encoding="utf-8",
    )
    assert read_document(path).paragraphs == (
        "2026年工作安排",
        "新增绿地10公顷，建成口袋公园4个。",
        "名词解释",
        "1. QFLP: 合格境外有限合伙人",
        "见 附件",
        "指标 | 目标",
        "GDP | 5%",
    )


def _make(tmp_path: Path, kind: str) -> Path:
    plain = write_wrapped_pdf(tmp_path / "plain.pdf", LATIN)
    makers = {
        "empty docx": lambda: _write(tmp_path / "plan.docx", b""),
        "zip, not a docx": lambda: write_zip(tmp_path / "plan.docx"),
        "pdf named .docx": lambda: _write(tmp_path / "plan.docx", plain.read_bytes()),
        "old .doc named .docx": lambda: _write(
            tmp_path / "plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
        ),
        "encrypted pdf": lambda: write_encrypted_pdf(tmp_path / "plan.pdf", plain),
        "scanned pdf": lambda: write_image_pdf(tmp_path / "plan.pdf"),
        "broken pdf": lambda: _write(tmp_path / "plan.pdf", b"%PDF-1.7\n1 0 obj garbage\n"),
        "docx named .pdf": lambda: write_docx(tmp_path / "plan.pdf", ["text"]),
        "binary .txt": lambda: _write(tmp_path / "plan.txt", b"\x00\x01\x02binary"),
        "blank .txt": lambda: _write(tmp_path / "plan.txt", b"  \n\n \t\n"),
        "unknown type": lambda: _write(tmp_path / "plan.rtf", b"{\\rtf1 text}"),
        "missing file": lambda: tmp_path / "nowhere.pdf",
    }
    return makers[kind]()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("empty docx", "is empty (0 bytes)"),
        ("zip, not a docx", "not a readable Word document"),
        ("pdf named .docx", "looks like a PDF"),
        ("old .doc named .docx", "encrypted or an old .doc"),
        ("encrypted pdf", "is encrypted (password-protected)"),
        ("scanned pdf", "has no text layer"),
        ("broken pdf", "not a readable PDF"),
        ("docx named .pdf", "looks like a ZIP or Word"),
        ("binary .txt", "not a text file"),
        ("blank .txt", "holds no text"),
        ("unknown type", ".rtf files are not read"),
        ("missing file", "does not exist"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_message_naming_it_and_what_to_do(
    tmp_path: Path, kind: str, says: str
) -> None:
    path = _make(tmp_path, kind)
    with pytest.raises(DocumentUnreadable) as caught:
        read_document(path)
    message = str(caught.value)
    assert isinstance(caught.value, AssistantError)
    assert path.name in message and says in message
    assert re.search(r"(add|save|check|use|run|give|remove|export)", message.split(":", 1)[-1])


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = write_wrapped_pdf(tmp_path / "big.pdf", LATIN)
    with pytest.raises(DocumentUnreadable, match=r"big\.pdf is .* MB, over the 0 MB limit"):
        read_document(path, max_bytes=100)


@requires_realdocs
@pytest.mark.parametrize(
    "name", sorted(p.name for p in REALDOCS.glob("*.txt")) if REALDOCS.is_dir() else ["(no realdocs)"]
)
def test_a_real_text_file_reads_as_the_corpus_reads_it(name: str) -> None:
    assert list(read_document(REALDOCS / name).paragraphs) == reference_paragraphs(REALDOCS / name)


def test_a_text_file_saved_as_markdown_keeps_one_paragraph_a_line(tmp_path: Path) -> None:
    """Renamed .txt → .md (no blank lines, lines ending sentences): the same paragraphs and IDs."""
    path = tmp_path / "plan.md"
    path.write_bytes(PLAN_TXT.read_bytes())
    assert read_document(path).paragraphs == tuple(reference_paragraphs(PLAN_TXT))
