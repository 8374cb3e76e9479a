"""HTML for the Gradio page: answers, citations, paragraphs, the glossary and the whole plan.

Pure functions from the assistant's values to escaped HTML strings, so the page (app.py)
holds layout only and everything shown can be unit-tested. Every plan text is escaped here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape

from assistant.answer.result import Answer
from assistant.citations import Citation
from assistant.corpus import Corpus, Document, Paragraph
from assistant.errors import BadQuestion
from assistant.profile import DocumentProfile

Turn = tuple[str, str]  # (user question, assistant answer text), as Assistant.ask takes it

_CITE_TAG = re.compile(r"\[([A-Za-z0-9_-]+/[pg]\d+)\]")
_QUOTE_SEPARATOR = " … "  # how merge_citations joins two quotes of one paragraph

HINT = "点击上方引用查看原文段落。<br>Choose a source above to read the paragraph it quotes."


def anchor_id(paragraph_id: str) -> str:
    """An HTML id for a paragraph: "zl2025/p12" → "zl2025-p12" ("/" is not safe in selectors)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", paragraph_id)


def document_of(paragraph_id: str) -> str:
    """The document ID a paragraph ID starts with: "zl2025/p12" → "zl2025"."""
    return paragraph_id.split("/", 1)[0]


def citation_label(citation: Citation, titles: Mapping[str, str] | None = None) -> str:
    """ "zl2025/p12 · 二、(三)功能品质融合蝶变": what a source chip and the sources list show.

    ``titles`` (document ID → title), given when the library holds several documents, puts the
    cited document's title first.
    """
    own = f"{citation.id} · {citation.section}" if citation.section else citation.id
    title = (titles or {}).get(document_of(citation.id), "")
    return f"{title} · {own}" if title else own


def document_choices(documents: Iterable[Document]) -> list[tuple[str, str]]:
    """The document picker's choices: (title, ID), in library order."""
    return [(doc.title, doc.id) for doc in documents]


def document_from_link(requested: str, doc_ids: Sequence[str], default: str) -> tuple[str, str]:
    """The document a ``?doc=`` link picks, and a note when it names none the library holds."""
    wanted = requested.strip()
    if not wanted or wanted in doc_ids:
        return wanted or default, ""
    note = (
        f"链接中的文档 “{wanted}” 不在文库中,显示默认文档 {default}。 "
        f"The link's document {wanted!r} is not in the library; showing {default}."
    )
    return default, f'<div class="zl-note" role="status">⚠ {escape(note)}</div>'


def upload_html(profile: DocumentProfile, paragraphs: int) -> str:
    """What the page says once an uploaded document is in the library and indexed."""
    text = (
        f"已加入文库:{profile.id} · {profile.title} · {paragraphs} 段。 "
        f"Added {profile.id} ({profile.title}, {paragraphs} paragraphs)."
    )
    return f'<div class="zl-note-small" role="status">✓ {escape(text)}</div>'


def highlight(text: str, quote: str) -> str:
    """``text`` escaped, with every part of ``quote`` found in it wrapped in ``<mark>``."""
    parts = [p.strip() for p in quote.split(_QUOTE_SEPARATOR) if p.strip()] if quote else []
    spans: list[tuple[int, int]] = []
    for part in parts:
        start = text.find(part)
        while start >= 0:
            spans.append((start, start + len(part)))
            start = text.find(part, start + len(part))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    pieces, cursor = [], 0
    for a, b in merged:
        pieces.append(escape(text[cursor:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    pieces.append(escape(text[cursor:]))
    return "".join(pieces)


def _inline(text: str) -> str:
    """Escaped text on one line: a blank line would end the Markdown HTML block around it."""
    return "<br>".join(escape(line) for line in text.splitlines()) if text else ""


def _tags_to_chips(escaped: str) -> str:
    return _CITE_TAG.sub(lambda m: f'<span class="cite-tag">{m.group(1)}</span>', escaped)


def answer_html(answer: Answer, titles: Mapping[str, str] | None = None) -> str:
    """A bot message: the answer (a notice when the plan does not say), its sources and notes.

    One line per block and no blank lines, so the chat's Markdown renderer passes it through.
    ``titles`` label each source with its document's title (see :func:`citation_label`).
    """
    body = _tags_to_chips(_inline(answer.text))
    if answer.abstained:
        blocks = [f'<div class="zl-abstain" role="note">ⓘ {body}</div>']
        label = "Nearest paragraphs" if answer.lang == "en" else "最接近的段落"
    else:
        blocks = [f'<div class="zl-answer">{body}</div>']
        label = "Sources" if answer.lang == "en" else "出处"
    # An abstention already lists its nearest paragraphs; repeat them only if the text does not.
    if answer.citations and not (answer.abstained and all(c.id in answer.text for c in answer.citations)):
        chips = "".join(
            f'<span class="zl-chip">{escape(citation_label(c, titles))}</span>' for c in answer.citations
        )
        blocks.append(f'<div class="zl-sources"><span class="zl-sources-label">{label}:</span> {chips}</div>')
    blocks.extend(f'<div class="zl-note">⚠ {escape(note)}</div>' for note in answer.notes)
    return "\n".join(blocks)


def streaming_html(pieces: Sequence[str]) -> str:
    """A bot message while the answer is still arriving (replaced by :func:`answer_html`)."""
    text = "".join(pieces)
    return f'<div class="zl-answer zl-pending">{_inline(text) or "…"}</div>'


def error_html(message: str) -> str:
    """An ``AssistantError`` shown in the chat: its message as is, friendly, never a traceback."""
    return f'<div class="zl-error" role="alert">⚠ {escape(message)}</div>'


def question_html(question: str, max_chars: int) -> str:
    """The user's message as shown: escaped, and cut (with "…") as the assistant cuts it."""
    shown = question if len(question) <= max_chars else question[:max_chars] + "…"
    return f'<div class="zl-question">{escape(shown)}</div>'


def paragraph_html(paragraph: Paragraph, quote: str = "", title: str = "") -> str:
    """The source panel: ID and section, the section path, and the text with the quote marked."""
    path = [title, *paragraph.section_path] if title else list(paragraph.section_path)
    crumbs = " › ".join(escape(p) for p in path if p)
    header = escape(f"{paragraph.id} · {paragraph.section}" if paragraph.section else paragraph.id)
    return (
        f'<article class="zl-paragraph" data-paragraph="{escape(paragraph.id)}">'
        f'<div class="zl-paragraph-id">{header}</div>'
        f'<div class="zl-crumbs">{crumbs}</div>'
        f'<p class="zl-text">{highlight(paragraph.text, quote)}</p>'
        "</article>"
    )


def glossary_entries(corpus: Corpus) -> list[tuple[str, str, str]]:
    """(paragraph ID, term, definition) for each glossary item, in document order."""
    entries = []
    for p in corpus.glossary():
        term = p.term or ""
        at = p.text.find(term) if term else -1
        definition = p.text[at + len(term) :].lstrip(":： ") if at >= 0 else p.text
        entries.append((p.id, term, definition))
    return entries


def glossary_html(corpus: Corpus) -> str:
    items = "".join(
        f'<div class="zl-term" id="{anchor_id(pid)}"><dt>{escape(term)} '
        f'<span class="zl-pid">{escape(pid)}</span></dt><dd>{escape(definition)}</dd></div>'
        for pid, term, definition in glossary_entries(corpus)
    )
    return f'<dl class="zl-glossary">{items}</dl>'


def plan_html(corpus: Corpus, target: str | None = None, quote: str = "") -> str:
    """The whole plan, one element per paragraph with ``id=anchor_id(pid)``; ``target`` is marked."""
    out: list[str] = ['<div class="zl-plan">']
    for doc in corpus.documents:
        out.append(f"<h2>{escape(doc.title)}</h2>")
        for p in doc.paragraphs:
            anchor = anchor_id(p.id)
            is_target = p.id == target
            text = highlight(p.text, quote) if is_target else escape(p.text)
            pid = f'<a class="zl-pid" href="#{anchor}">{escape(p.id)}</a>'
            target_class = " zl-target" if is_target else ""
            if p.kind == "heading":
                out.append(f'<h3 id="{anchor}" class="zl-heading{target_class}">{text} {pid}</h3>')
            else:
                out.append(f'<p id="{anchor}" class="zl-para zl-{p.kind}{target_class}">{pid} {text}</p>')
    out.append("</div>")
    return "".join(out)


def parse_history(value: object) -> list[Turn]:
    """Conversation history from an API caller or the chat: pairs, or role/content messages.

    Accepts ``[[question, answer], ...]``, ``[{"role": "user", "content": ...}, ...]`` or either
    as a JSON string; ``None`` or ``""`` is no history. Anything else is a ``BadQuestion``.
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise BadQuestion(f"history is not valid JSON ({exc.args[0]}).") from exc
    if not isinstance(value, list):
        raise BadQuestion("history must be a list of [question, answer] pairs.")
    if all(isinstance(m, dict) for m in value):
        return _pairs_from_messages(value)
    turns: list[Turn] = []
    for item in value:
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(s, str) for s in item)):
            raise BadQuestion("history must be a list of [question, answer] pairs of text.")
        turns.append((item[0], item[1]))
    return turns


def _pairs_from_messages(messages: Iterable[dict[str, object]]) -> list[Turn]:
    """Pair each user message with the assistant message that follows it."""
    turns: list[Turn] = []
    question: str | None = None
    for m in messages:
        content = m.get("content")
        if not isinstance(content, str):
            continue  # files and components carry no text to follow up on
        if m.get("role") == "user":
            question = content
        elif m.get("role") == "assistant" and question is not None:
            turns.append((question, content))
            question = None
    return turns
