"""Which PDF library: text correctness and speed of pypdf, pdfplumber and pypdfium2 on the real PDFs.

Correct = the page texts, line breaks removed, equal the source text's paragraphs joined (CJK,
punctuation, figures; no invented spaces). Time = best of 3 full extractions.
Run: ``.venv/bin/pip install pdfplumber && .venv/bin/python tests/measure_pdf_readers.py``.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from pathlib import Path

from realdocs import PLAN_TXT, REALDOCS, reference_paragraphs

PDFS = {
    "zhonglou-2025-work-plan.pdf": PLAN_TXT,
    "beijing-2026-municipal-gov-work-report.pdf": REALDOCS / "beijing-2026-municipal-gov-work-report.txt",
    "hainan-2026-provincial-gov-work-report.pdf": REALDOCS / "hainan-2026-provincial-gov-work-report.txt",
}


def pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() for page in pdf.pages)


def pypdfium2_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    return "".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))


def reader_text(path: Path) -> str:
    from assistant.readers import read_document

    return "".join(read_document(path).paragraphs)


LIBRARIES: dict[str, Callable[[Path], str]] = {
    "pypdf": pypdf_text,
    "pdfplumber": pdfplumber_text,
    "pypdfium2 get_text_range": pypdfium2_text,
    "pypdfium2 glyphs (assistant.readers.pdf)": reader_text,
}


def main() -> None:
    print(f"{'library':42} {'document':44} {'ms':>7} {'chars':>6} {'diffs':>5}  first diffs")
    for name, source in PDFS.items():
        expected = "".join(reference_paragraphs(source))
        for library, extract in LIBRARIES.items():
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                text = extract(REALDOCS / name)
                timings.append(time.perf_counter() - started)
            got = text.replace("\r", "").replace("\n", "")
            ops = [
                (expected[a - 3 : b + 3], got[c - 3 : d + 3])
                for op, a, b, c, d in difflib.SequenceMatcher(
                    None, expected, got, autojunk=False
                ).get_opcodes()
                if op != "equal"
            ]
            print(f"{library:42} {name:44} {min(timings) * 1000:7.0f} {len(got):6} {len(ops):5}  {ops[:2]}")


if __name__ == "__main__":
    main()
