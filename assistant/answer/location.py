"""Where a quote is in its document: the headings above its paragraph, the paragraph's opening, and
the run-in heading of the passage ("提升城市品质。" inside "(三)功能品质融合蝶变。…").

Work plans often head a passage with a short sentence of its own inside a paragraph; someone asking
"which part is that in?" means that passage as much as the numbered heading above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.citations import cited_segments
from assistant.corpus import Corpus, Paragraph
from assistant.text import FULL_STOP

MAX_LEAD_QUOTE = 40  # characters of a paragraph's opening shown with where it is
# a run-in heading: a short sentence of words only, no figure or comma ("完善城市功能。",
# "大步伐建设“两湖”创新先行区。")
RUN_IN_HEADING = re.compile(r"[\u4e00-\u9fff“”]{3,16}")
# a sentence opened by a verb and a quoted slogan ("强化“两大市场”,…", "深化“两路两河”,…")
_SLOGAN_OPENING = re.compile(r"([\u4e00-\u9fff]{1,4}“[^“”]{2,10}”)[,，]")


def section_of(corpus: Corpus, paragraph: Paragraph) -> str:
    """The headings above a paragraph; "" before the first one (the document's title is not a part)."""
    title = next((d.profile.title for d in corpus.documents if d.id == paragraph.doc_id), "")
    own = paragraph.text if paragraph.kind != "heading" else ""  # a heading is where it is itself
    path = [h for h in paragraph.section_path if h not in (title, own)]
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
    """The short heading sentence the quoted passage sits under inside its paragraph, and the slogan
    opening the quote's sentence ("大步伐建设“两湖”创新先行区 › 强化“两大市场”"); "" if none, or if
    it is the paragraph's own opening, which ``lead`` shows already."""
    text = paragraph.text
    at = text.find(quote) if quote else -1
    if at <= 0:
        return ""
    heading, begin = "", 0
    for stop in FULL_STOP.finditer(text, 0, at + len(quote) + 1):
        if begin > at:  # past the sentence the quote starts in
            break
        sentence = text[begin : stop.start()].strip()
        if RUN_IN_HEADING.fullmatch(sentence) and sentence not in paragraph.section_path:
            heading = sentence
        begin = stop.end()
    # "强化“两大市场”,结合…": a slogan opening the quote's own sentence heads it too
    begin = max((m.end() for m in FULL_STOP.finditer(text, 0, at)), default=0)
    opening = _SLOGAN_OPENING.match(text, begin)
    headings = [h for h in (heading, opening.group(1) if opening else "") if h and h != lead(paragraph)]
    return " › ".join(headings)


def quoted_in(answer_text: str, paragraph: Paragraph) -> str:
    """The first quote an answer gives from a paragraph it cites ("" if it quotes none): the text
    inside “…” right before the paragraph's citation tag that is the paragraph's own."""
    for ids, segment in cited_segments(answer_text):
        if paragraph.id not in ids:
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
    begin = max((m.end() for m in FULL_STOP.finditer(text, 0, at)), default=0)
    stop = FULL_STOP.search(text, at + len(quote) - 1 if quote[-1:] in "。！？!?" else at + len(quote))
    return text[begin : stop.end() if stop else len(text)].strip()


# the numbered parts of a document ("一、坚持老城、经开、高新三区并进,…") and their sections ("(一)做精老城区。")
_PART = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_HEADING_END = re.compile(r"[,，。；;:：]")


def heading_of(paragraph: Paragraph) -> str:
    """A numbered heading as the paragraph states it, up to its first stop ("一、坚持老城、经开、高新三区并进")."""
    stop = _HEADING_END.search(paragraph.text)
    return paragraph.text[: stop.start() if stop else len(paragraph.text)].strip()


def parts_of(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """The headings of a document's numbered parts, in order."""
    return [p for p in paragraphs if p.kind == "heading" and _PART.match(p.text)]


def sections_under(paragraphs: Sequence[Paragraph], part: Paragraph) -> list[Paragraph]:
    """The paragraphs that open the numbered sections of one part ("(一)做精老城区。…")."""
    label = part.section_path[-1] if part.section_path else heading_of(part)
    return [
        p
        for p in paragraphs
        if p.kind == "body"
        and _SECTION.match(p.text)
        and p.section_path[:1] == (label,)
        and len(p.section_path) > 1
    ]


def sentences_with(paragraphs: Sequence[Paragraph], word: str) -> list[tuple[Paragraph, str]]:
    """Every sentence of these paragraphs that uses a word, in the document's order."""
    found = []
    for paragraph in paragraphs:
        begin = 0
        for stop in [*FULL_STOP.finditer(paragraph.text), None]:
            end = stop.end() if stop else len(paragraph.text)
            sentence = paragraph.text[begin:end].strip()
            if word in sentence:
                found.append((paragraph, sentence))
            begin = end
    return found
