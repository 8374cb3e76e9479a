"""Small documents made at test time: PDFs drawn with pdfium's standard fonts, Word files with
python-docx, broken files of each kind. Nothing binary is committed."""

from __future__ import annotations

import ctypes
import json
import textwrap
import zipfile
from pathlib import Path

from assistant.config import REPO_ROOT

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
LEFT, TOP, PITCH = 57.0, 780.0, 14.0


def write_pdf(path: Path, pages: list[list[tuple[float, float, str]]], *, size: float = 10.0) -> Path:
    """A PDF whose pages hold (x, y, text) lines in Courier (6 pt a character at 10 pt)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    for lines in pages:
        page = pdf.new_page(PAGE_WIDTH, PAGE_HEIGHT)
        for x, y, text in lines:
            obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Courier", ctypes.c_float(size))
            buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, raw.FPDF_WIDESTRING))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            raw.FPDFPage_InsertObject(page.raw, obj)
        raw.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(path))
    pdf.close()
    return path


def write_wrapped_pdf(
    path: Path,
    paragraphs: list[str],
    *,
    chars_per_line: int = 80,
    lines_per_page: int = 12,
    header: str = "",
    footer: str = "",
) -> Path:
    """Paragraphs typeset as a word processor would: wrapped at the margin, flowing over pages,
    with a running header and a footer (``{n}`` is the page number) on every page."""
    lines = [line for p in paragraphs for line in textwrap.wrap(p, chars_per_line, break_long_words=False)]
    pages = []
    for start in range(0, len(lines), lines_per_page):
        n = len(pages) + 1
        body = [(LEFT, TOP - i * PITCH, line) for i, line in enumerate(lines[start : start + lines_per_page])]
        if header:
            body.insert(0, (LEFT, PAGE_HEIGHT - 40, header))
        if footer:
            body.append((PAGE_WIDTH / 2 - 15, 40, footer.format(n=n)))
        pages.append(body)
    return write_pdf(path, pages)


def write_image_pdf(path: Path) -> Path:
    """A 'scan': one page that is only a picture, no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), fill="black")
    image.save(path, "PDF")
    return path


def write_encrypted_pdf(path: Path, plain: Path, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path, paragraphs: list[str], *, table: list[list[str]] | None = None) -> Path:
    """A Word file: one Word paragraph per item; "\\n" inside an item is a manual line break."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for n, piece in enumerate(text.split("\n")):
            run = paragraph.add_run(piece)
            if n < text.count("\n"):
                run.add_break()
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    document.save(str(path))
    return path


def write_zip(path: Path) -> Path:
    """A ZIP archive that is not a Word document."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a word document")
    return path


def write_small_library(directory: Path) -> Path:
    """A corpus directory whose one document, zl2025, is the plan's first three paragraphs (each
    re-index takes seconds)."""
    directory.mkdir()
    plan = (REPO_ROOT / "corpus" / "zhonglou-2025-work-plan.txt").read_text(encoding="utf-8")
    (directory / "plan.txt").write_text("\n".join(plan.splitlines()[:3]) + "\n", encoding="utf-8")
    entry = {
        "file": "plan.txt",
        "id": "zl2025",
        "title": "钟楼区2025年工作安排",
        "place": "钟楼区",
        "year": 2025,
    }
    (directory / "manifest.json").write_text(
        json.dumps({"documents": [entry]}, ensure_ascii=False), encoding="utf-8"
    )
    return directory
