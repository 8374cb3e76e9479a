"""PDF through pypdfium2: glyphs with their boxes → lines → paragraphs rebuilt from the layout.

A PDF holds lines, not paragraphs. A line continues on the next one when it was full: the next
line's first unbreakable piece (a Han character with the punctuation that may not start a line,
or a whole number such as 38.9%) would not have fitted before the right margin. Anywhere else
the paragraph ended. Page numbers and running headers/footers are dropped first.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DocumentUnreadable
from assistant.readers.base import ReadDocument, clean_paragraphs, join_wrapped

# Punctuation that may not start a line, so it stays with the character before it; of it, the
# marks that may hang past the right margin (CJK typesetting lets a final 。，、 stick out).
_NO_START = frozenset("，。、；：？！,.;:?!”’）)》」』】〕］]%‰-–—…·")
_HANGING = frozenset("，。、,.")
_OPENING = frozenset("“‘（(《「『【〔［[")
_WORD = re.compile(r"[A-Za-z0-9.,%‰/:\-+·_@]")
_SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)]*$")
_MARKER = re.compile(
    r"^(第[一二三四五六七八九十百\d]+[章节条部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|[［\[]\d+[］\]]|\d+[.、．](?!\d)|[①-⑳])"
)
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:第\s*)?(\d{1,4}|[ivxlc]{1,6})(?:\s*页)?(?:\s*(?:/|of|共)\s*\d{1,4}\s*页?)?[-–—\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?$",
    re.IGNORECASE,
)
_UNDECODED = re.compile(r"[\ue000-\uf8ff\ufffd]")
_AUTOSPACE_EM = 0.2  # office suites add this gap between Han and Latin/digits on one line
_SPACE_EM = 0.25  # a space, where the document shows none to measure
_TOLERANCE_EM = 0.05
_INDENT_EM = 1.0
_RUNNING_SHARE = 0.5  # a top/bottom line repeated on half the pages is a running header/footer


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float
    right: float
    hyphen: bool = False  # a soft hyphen the layout inserted at a line end


@dataclass(frozen=True)
class Line:
    page: int
    glyphs: tuple[Glyph, ...]
    baseline: float
    size: float

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def left(self) -> float:
        return self.glyphs[0].left

    @property
    def right(self) -> float:
        return self.glyphs[-1].right

    @property
    def fill(self) -> float:
        """Where the line's text reaches, not counting a final mark that may hang past the margin."""
        if len(self.glyphs) > 1 and self.glyphs[-1].char in _HANGING:
            return self.glyphs[-2].right
        return self.glyphs[-1].right


def _is_cjk(char: str) -> bool:
    return not (char.isascii() or char in "\u00a0")


def _page_lines(textpage, page_no: int) -> list[Line]:
    import pypdfium2.raw as raw

    lines: list[Line] = []
    glyphs: list[Glyph] = []
    baseline = size = 0.0
    box = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()

    def flush() -> None:
        if glyphs and "".join(g.char for g in glyphs).strip():
            lines.append(Line(page_no, tuple(glyphs), baseline, size))
        glyphs.clear()

    for k in range(raw.FPDFText_CountChars(textpage)):
        char = chr(raw.FPDFText_GetUnicode(textpage, k))
        if char in "\r\n":
            flush()
            continue
        if raw.FPDFText_IsGenerated(textpage, k):
            continue  # spaces pdfium guesses from gaps: not in the document's text
        raw.FPDFText_GetCharOrigin(textpage, k, x, y)
        char_size = raw.FPDFText_GetFontSize(textpage, k)
        if glyphs and abs(y.value - baseline) > 0.5 * max(size, char_size):
            flush()  # a new line without a line feed in the text stream
        raw.FPDFText_GetLooseCharBox(textpage, k, box)
        if not glyphs:
            baseline, size = y.value, char_size
        glyphs.append(Glyph(char, box.left, box.right, bool(raw.FPDFText_IsHyphen(textpage, k))))
    flush()
    return lines


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentUnreadable(
                f"{path.name} is encrypted (password-protected): save or print it to a PDF without a "
                "password, or export it as .docx, and add it again."
            ) from exc
        raise DocumentUnreadable(
            f"{path.name} is not a readable PDF ({exc}): open it, save it as PDF again, and add it again."
        ) from exc


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _pitch(pages: list[list[Line]]) -> float:
    """The usual distance between two lines of the body."""
    steps = sorted(
        abs(a.baseline - b.baseline)
        for page in pages
        for a, b in itertools.pairwise(page)
        if a.baseline != b.baseline
    )
    return steps[len(steps) // 2] if steps else 0.0


def drop_running_lines(pages: list[list[Line]]) -> list[Line]:
    """The body lines in reading order: page numbers and repeated headers/footers removed.

    A candidate is a page's first or last line set apart from the body (more than 1.5 line
    pitches away) that is a page number or recurs, digits aside, on half the pages.
    """
    pitch = _pitch(pages)
    edges = [(page[0], page[-1]) for page in pages if len(page) > 1]
    repeated = Counter(_running_key(line) for pair in edges for line in set(pair))
    min_repeats = max(2, int(len(pages) * _RUNNING_SHARE))
    body: list[Line] = []
    for page in pages:
        keep = list(page)
        for line, neighbour in ((page[0], page[1]), (page[-1], page[-2])) if len(page) > 1 else ():
            apart = abs(line.baseline - neighbour.baseline) > 1.5 * pitch
            running = _PAGE_NUMBER.match(line.text.strip()) or (
                len(pages) >= 3 and repeated[_running_key(line)] >= min_repeats
            )
            if apart and running and line in keep:
                keep.remove(line)
        body.extend(keep)
    return body


def _first_piece_width(line: Line) -> tuple[float, bool]:
    """Width of the line's first unbreakable piece, and whether it starts with Latin/digits."""
    glyphs = line.glyphs
    j = 0
    while j < len(glyphs) - 1 and glyphs[j].char in _OPENING:
        j += 1
    latin = not _is_cjk(glyphs[j].char) and bool(_WORD.match(glyphs[j].char))
    if latin:  # a number or word: through inner punctuation, and "、" between numbers (38.9%、64%)
        while j + 1 < len(glyphs):
            nxt = glyphs[j + 1].char
            after = glyphs[j + 2].char if j + 2 < len(glyphs) else ""
            if _WORD.match(nxt) or (nxt in "、，," and after.isdigit()):
                j += 1
            else:
                break
    end = j
    while end + 1 < len(glyphs) and glyphs[end + 1].char in _NO_START:
        end += 1
    if not latin and end > j and glyphs[end].char in _HANGING:
        end -= 1  # the last mark may hang past the margin
    return glyphs[end].right - glyphs[0].left, latin


def _text_area(lines: list[Line]) -> tuple[float, float]:
    """The body's left edge (the most common line start) and right margin (the furthest fill
    that at least two lines reach, so one overlong line does not move it)."""
    lefts = Counter(round(line.left, 1) for line in lines)
    left = lefts.most_common(1)[0][0]
    fills = sorted((line.fill for line in lines), reverse=True)
    right = next((a for a, b in itertools.pairwise(fills) if a - b < 1.0), fills[0])
    return left, right


def rebuild_paragraphs(lines: list[Line]) -> list[str]:
    """Join wrapped lines into paragraphs (see the module docstring for the rule)."""
    if not lines:
        return []
    left, right = _text_area(lines)
    spaces = sorted(g.right - g.left for line in lines for g in line.glyphs if g.char == " ")
    space = spaces[len(spaces) // 2] if spaces else 0.0
    paragraphs: list[str] = [lines[0].text]
    for prev, line in itertools.pairwise(lines):
        em = max(prev.size, line.size, 1.0)
        width, latin = _first_piece_width(line)
        if _is_cjk(prev.glyphs[-1].char) == latin:
            width += _AUTOSPACE_EM * em
        elif latin:
            width += space or _SPACE_EM * em  # Latin words wrap at a space
        full = prev.right + width > right + _TOLERANCE_EM * em
        indented = line.left - left >= _INDENT_EM * em and prev.left - left < _INDENT_EM * em
        heading_next = bool(_SENTENCE_END.search(prev.text) and _MARKER.match(line.text.lstrip()))
        resized = abs(prev.size - line.size) > 0.15 * em
        if full and not (indented or heading_next or resized):
            if prev.glyphs[-1].hyphen:
                paragraphs[-1] = paragraphs[-1][:-1] + line.text.lstrip()
            else:
                paragraphs[-1] = join_wrapped(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
    return paragraphs


def read(path: Path) -> ReadDocument:
    pdf = _open(path)
    try:
        pages = []
        for n in range(len(pdf)):
            page = pdf[n]
            textpage = page.get_textpage()
            pages.append(_page_lines(textpage, n))
            textpage.close()
            page.close()
        page_count = len(pdf)
    finally:
        pdf.close()
    text = "".join(line.text for page in pages for line in page)
    if not text.strip():
        raise DocumentUnreadable(
            f"{path.name} has no text layer ({page_count} page(s) of images, e.g. a scan): run OCR on it "
            "or add the .docx or .txt it was made from."
        )
    if len(_UNDECODED.findall(text)) > 0.3 * len(text):
        raise DocumentUnreadable(
            f"{path.name}'s text cannot be decoded (its fonts map glyphs to no characters): export it "
            "again from the source document, or add the .docx or .txt."
        )
    paragraphs = rebuild_paragraphs(drop_running_lines(pages))
    return ReadDocument(path, "pdf", clean_paragraphs(paragraphs), pages=page_count)
