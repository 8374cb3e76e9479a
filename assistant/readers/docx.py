"""Word documents (.docx) through python-docx: one Word paragraph is one paragraph.

Tables are read row by row (cells joined by `` | ``), in document order with the paragraphs;
a manual line break inside a Word paragraph is a wrap, not a new paragraph.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import DocumentUnreadable
from assistant.readers.base import ReadDocument, clean_paragraphs, join_wrapped


def _paragraph_text(paragraph) -> str:
    pieces = paragraph.text.replace("\t", " ").split("\n")
    text = pieces[0]
    for piece in pieces[1:]:
        text = join_wrapped(text, piece)
    return text


def _blocks(document) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield _paragraph_text(item)
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(_paragraph_text(p) for p in cell.paragraphs).strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                yield " | ".join(cells)


def read(path: Path) -> ReadDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise DocumentUnreadable(
            f"{path.name} is not a readable Word document ({exc}): open it in Word or LibreOffice, "
            "save it again as .docx, and add it again."
        ) from exc
    return ReadDocument(path, "docx", clean_paragraphs(list(_blocks(document))))
