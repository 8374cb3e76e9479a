"""Readers by file type: ``read_document(path)`` turns a .txt, .md, .docx or .pdf into paragraphs.

One module per format, registered by extension; the file's first bytes must agree with its
extension, so a PDF named .docx gets a message that says so instead of a parser's traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import DocumentUnreadable
from assistant.readers import docx, markdown, pdf, txt
from assistant.readers.base import ReadDocument

__all__ = ["MAX_BYTES", "READERS", "ReadDocument", "read_document"]

MAX_BYTES = 50 * 1024 * 1024  # a work report is well under 5 MB even as a PDF with photos

READERS: dict[str, tuple[str, Callable[[Path], ReadDocument]]] = {
    ".txt": ("text", txt.read),
    ".md": ("text", markdown.read),
    ".markdown": ("text", markdown.read),
    ".docx": ("zip", docx.read),
    ".pdf": ("pdf", pdf.read),
}
_KIND_NAMES = {
    "pdf": "a PDF",
    "zip": "a ZIP or Word (.docx) file",
    "ole": "an old Word (.doc) or encrypted Office file",
    "text": "a text file",
}


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"


def read_document(path: Path | str, *, max_bytes: int = MAX_BYTES) -> ReadDocument:
    """Read a document as paragraphs, or raise ``DocumentUnreadable`` saying what to do."""
    path = Path(path)
    if not path.is_file():
        raise DocumentUnreadable(f"{path} does not exist or is not a file: check the path.")
    suffix = path.suffix.lower()
    if suffix not in READERS:
        kinds = ", ".join(sorted(READERS))
        raise DocumentUnreadable(
            f"{path.name}: {suffix or 'no extension'} files are not read; use one of {kinds}."
        )
    size = path.stat().st_size
    if size == 0:
        raise DocumentUnreadable(
            f"{path.name} is empty (0 bytes): check that it was saved or copied completely."
        )
    if size > max_bytes:
        raise DocumentUnreadable(
            f"{path.name} is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit: "
            "add the text-only .docx or .txt, or split the file."
        )
    with path.open("rb") as handle:
        head = handle.read(1024)
    expected, reader = READERS[suffix]
    found = _sniff(head)
    if found != expected:
        if found == "ole" and suffix == ".docx":
            hint = "it is encrypted or an old .doc: remove the password / save it as .docx"
        else:
            hint = f"it looks like {_KIND_NAMES[found]}: give it the right extension or export it again"
        raise DocumentUnreadable(f"{path.name} is not {_KIND_NAMES[expected]} ({hint}), then add it again.")
    document = reader(path)
    if not document.paragraphs:
        raise DocumentUnreadable(f"{path.name} holds no text: check that it is the right file.")
    return document
