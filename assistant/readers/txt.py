"""Plain text: one paragraph a line, as the corpus has always been written.

UTF-8 (with or without a BOM) first; GB18030, which Chinese Windows editors still save, second.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import DocumentUnreadable
from assistant.readers.base import ReadDocument, clean_paragraphs

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentUnreadable(
            f"{path.name} is not a text file (it holds binary data): check the file type and extension."
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentUnreadable(
        f"{path.name} is neither UTF-8 nor GB18030 text: save it as UTF-8 and add it again."
    )


def read(path: Path) -> ReadDocument:
    text = decode(path, path.read_bytes())
    return ReadDocument(path, "txt", clean_paragraphs(text.splitlines()))
