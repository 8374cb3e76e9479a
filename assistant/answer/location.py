"""Where a quote is in its document: the headings above its paragraph, the paragraph's opening, and
the run-in heading of the passage ("提升城市品质。" inside "(三)功能品质融合蝶变。…").

Work plans often head a passage with a short sentence of its own inside a paragraph; someone asking
"which part is that in?" means that passage as much as the numbered heading above it.
"""

from __future__ import annotations

import re

from assistant.citations import CITATION_TAG
from assistant.corpus import Corpus, Paragraph

MAX_LEAD_QUOTE = 40  # characters of a paragraph's opening shown with where it is
# a run-in heading: a short sentence of words only, no figure, comma or quote ("完善城市功能。")
RUN_IN_HEADING = re.compile(r"[\u4e00-\u9fff]{3,12}")
_SENTENCE_END = re.compile(r"[。！？!?]")


def section_of(corpus: Corpus, paragraph: Paragraph) -> str:
    """The headings above a paragraph; "" before the first one (the document's title is not a part)."""
    title = next((d.profile.title for d in corpus.documents if d.id == paragraph.doc_id), "")
    path = [h for h in paragraph.section_path if h not in (title, paragraph.text)]
    first = corpus.paragraph(f"{paragraph.doc_id}/p01") if f"{paragraph.doc_id}/p01" in corpus else None
    return " › ".join(h for h in path if not (first and h == first.text))


def lead(paragraph: Paragraph) -> str:
    """A paragraph's opening words, up to its first stop or MAX_LEAD_QUOTE characters (after its
    subsection title, which the section already names)."""
    text = paragraph.text
    if paragraph.section_path and text.startswith(paragraph.section_path[-1]):
        text = text[len(paragraph.section_path[-1]) :].lstrip("。.，, ") or paragraph.text
    stop = re.search(r"[。；;:：]", text)
    end = min(stop.start() if stop else len(text), MAX_LEAD_QUOTE)
    return text[:end].strip()


def run_in_heading(paragraph: Paragraph, quote: str) -> str:
    """The short heading sentence the quoted passage sits under inside its paragraph ("" if none, or
    if it is the paragraph's own opening, which ``lead`` shows already)."""
    text = paragraph.text
    at = text.find(quote) if quote else -1
    if at <= 0:
        return ""
    heading, begin = "", 0
    for stop in _SENTENCE_END.finditer(text, 0, at + len(quote) + 1):
        if begin > at:  # past the sentence the quote starts in
            break
        sentence = text[begin : stop.start()].strip()
        if RUN_IN_HEADING.fullmatch(sentence) and sentence not in paragraph.section_path:
            heading = sentence
        begin = stop.end()
    return "" if heading == lead(paragraph) else heading


def quoted_in(answer_text: str, paragraph: Paragraph) -> str:
    """The first quote an answer gives from a paragraph it cites ("" if it quotes none): the text
    inside “…” right before the paragraph's citation tag that is the paragraph's own."""
    begin = 0
    for tag in CITATION_TAG.finditer(answer_text):
        segment = answer_text[begin : tag.start()]
        begin = tag.end()
        if paragraph.id not in tag.group("ids"):
            continue
        close = segment.rfind("”")
        for opening in (m.start() for m in re.finditer("“", segment)):
            inner = segment[opening + 1 : close]
            if inner and inner in paragraph.text:
                return inner
    return ""


def sentence_around(paragraph: Paragraph, quote: str) -> str:
    """The whole sentence a quote is part of ("" if the quote is not in the paragraph)."""
    text = paragraph.text
    at = text.find(quote) if quote else -1
    if at < 0:
        return ""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    stop = _SENTENCE_END.search(text, at + len(quote) - 1 if quote[-1:] in "。！？!?" else at + len(quote))
    return text[begin : stop.end() if stop else len(text)].strip()
