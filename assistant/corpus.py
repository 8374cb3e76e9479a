"""The corpus: documents on disk, their manifest, and the paragraphs they are parsed into.

Paragraph IDs are ``<doc>/p<NN>`` (the NN-th paragraph of the document, glossary excluded)
and ``<doc>/g<NN>`` (glossary item NN as the document numbers it). See the README.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

from assistant.errors import ConfigError, UnknownParagraph
from assistant.profile import DocumentProfile, infer_profile

Kind = Literal["heading", "body", "glossary"]
SUFFIXES = (".txt", ".md")
MANIFEST = "manifest.json"

_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
GLOSSARY_TITLE = "名词解释"  # the heading after which paragraphs are glossary items
# "名词解释", "《政府工作报告》有关内容名词注释", "注释": what a report calls its glossary
_GLOSSARY_HEADING = re.compile(rf"^(?:.{{0,20}}(?:{GLOSSARY_TITLE}|名词注释|名词说明)|注释|注解)[:：]?$")
_GLOSSARY_ITEM = re.compile(r"^(?:(\d+)\s*[.．、]|[［\[](\d+)[］\]])\s*")
_AWAITS = re.compile(r"[:：]\s*$")  # a glossary item whose definition is on the next line
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?]")
_LABEL_END = re.compile(r"[,，:：。]")
_SHORT_HEADING_CHARS = 30


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document: the unit that answers cite."""

    id: str
    doc_id: str
    kind: Kind
    section: str  # as the document writes it, e.g. "二、(四)民生福祉优质共享"
    text: str
    line_no: int  # 1-based line in the source file
    section_path: tuple[str, ...] = ()
    term: str | None = None  # the defined term, for glossary paragraphs

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "section": self.section,
            "section_path": list(self.section_path),
            "term": self.term,
            "text": self.text,
            "line_no": self.line_no,
        }


@dataclass(frozen=True)
class Document:
    """A source file of the corpus with its manifest entry."""

    id: str
    path: Path
    title: str
    meta: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return parse_document(self.id, self.text, markdown=self.path.suffix == ".md")

    @cached_property
    def layout(self) -> str:
        """How the text was parsed (each paragraph's ID and kind): a parser change that moves an
        ID changes it, so an index over the old IDs is stale, never silently wrong."""
        return "\n".join(f"{p.id} {p.kind}" for p in self.paragraphs)

    @cached_property
    def profile(self) -> DocumentProfile:
        """The manifest's fields, with what the manifest leaves out inferred from the text."""
        given = {**self.meta, "id": self.id, "file": self.path.name}
        if "title" in self.meta:
            given["title"] = self.title
        return infer_profile([p.text for p in self.paragraphs], self.path.name, given)


def glossary_id(doc_id: str, number: int) -> str:
    """The ID of a document's glossary item, by the number the document gives it."""
    return f"{doc_id}/g{number:02d}"


def is_glossary_id(paragraph_id: str) -> bool:
    """Is the paragraph a glossary item (``<doc>/g<NN>``)?"""
    return re.fullmatch(r"[^/]+/g\d+", paragraph_id) is not None


def _label(heading: str) -> str:
    """A heading's short form: its words up to the first comma or colon."""
    match = _LABEL_END.search(heading)
    return (heading[: match.start()] if match else heading).strip()


def _numeral(heading: str) -> str:
    match = _LEVEL1.match(heading)
    return match.group(0) if match else _label(heading)


def _is_plain_heading(line: str) -> bool:
    return len(line) <= _SHORT_HEADING_CHARS and not _SENTENCE_PUNCT.search(line.rstrip(":："))


def parse_document(doc_id: str, text: str, *, markdown: bool = False) -> tuple[Paragraph, ...]:
    """Split a document into paragraphs, one per non-empty line, with IDs, kinds and sections.

    Headings open sections: the first line is the title, ``一、`` lines and short lines without
    sentence punctuation are top-level, ``(一)`` opens a subsection whose title is its first
    sentence (for that paragraph only), and items after ``名词解释`` are glossary paragraphs.
    """
    paragraphs: list[Paragraph] = []
    title: str | None = None
    level1: str | None = None
    level2: str | None = None
    in_glossary = False
    ordinal = 0
    glossary_ordinal = 0

    def section() -> tuple[str, tuple[str, ...]]:
        if in_glossary:
            return "名词解释", ("名词解释",)
        if level1 and level2:
            return f"{_numeral(level1)}{level2}", (_label(level1), level2)
        if level1:
            return _label(level1), (_label(level1),)
        return title or "", ((title,) if title else ())

    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        kind: Kind = "body"
        term: str | None = None
        md = _MD_HEADING.match(line) if markdown else None
        if md:
            line = line[md.end() :].strip()
            kind = "heading"
            if title is None:
                title = line
            else:
                level1, level2 = line, None
        elif title is None and _is_plain_heading(line):
            kind, title = "heading", line
        elif _GLOSSARY_HEADING.match(line):
            kind, in_glossary, level1, level2 = "heading", True, None, None
        elif in_glossary and (item := _GLOSSARY_ITEM.match(line)):
            kind = "glossary"
            glossary_ordinal = int(item.group(1) or item.group(2))
            term = _label(line[item.end() :])
        elif (
            in_glossary
            and paragraphs
            and paragraphs[-1].kind == "glossary"
            and _AWAITS.search(paragraphs[-1].text)
        ):
            # "［2］四大主导产业：" ends its line (a PDF, a Word file): its definition is this line
            paragraphs[-1] = replace(paragraphs[-1], text=paragraphs[-1].text + line)
            continue
        elif _LEVEL1.match(line) or (not in_glossary and _is_plain_heading(line)):
            kind, level1, level2 = "heading", line, None
        elif _LEVEL2.match(line):
            level2 = line.split("。", 1)[0]
        if kind == "glossary":
            pid = glossary_id(doc_id, glossary_ordinal)
        else:
            ordinal += 1
            pid = f"{doc_id}/p{ordinal:02d}"
        name, path = section()
        paragraphs.append(Paragraph(pid, doc_id, kind, name, line, line_no, section_path=path, term=term))
        level2 = None  # an inline "(一)…。" title names its own paragraph only
    return tuple(paragraphs)


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "doc-" + hashlib.sha1(stem.encode()).hexdigest()[:6]


@dataclass(frozen=True)
class Corpus:
    """All documents of a corpus directory, in manifest order, then file name order."""

    directory: Path
    documents: tuple[Document, ...]

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for doc in self.documents for p in doc.paragraphs)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(doc.id for doc in self.documents)

    @cached_property
    def _by_id(self) -> dict[str, Paragraph]:
        return {p.id: p for p in self.paragraphs}

    def paragraph(self, paragraph_id: str) -> Paragraph:
        try:
            return self._by_id[paragraph_id.strip()]
        except KeyError:
            example = self.paragraphs[0].id if self.paragraphs else "zl2025/p01"
            raise UnknownParagraph(
                f"No paragraph {paragraph_id!r} in the corpus (IDs look like {example})."
            ) from None

    def __contains__(self, paragraph_id: object) -> bool:
        return isinstance(paragraph_id, str) and paragraph_id in self._by_id

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever any document's text, ID or paragraph IDs change (not the manifest's other fields)."""
        digest = hashlib.sha256()
        for doc in self.documents:
            digest.update(
                doc.id.encode() + b"\0" + doc.text.encode("utf-8") + b"\0" + doc.layout.encode() + b"\0"
            )
        return digest.hexdigest()

    def glossary(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == "glossary")

    def only(self, doc_id: str) -> Corpus:
        """The corpus of one document (empty for an ID it does not hold): what the page's tabs show."""
        return Corpus(self.directory, tuple(doc for doc in self.documents if doc.id == doc_id))


def _read_manifest(directory: Path) -> list[dict[str, object]]:
    path = directory / MANIFEST
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["documents"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a valid manifest: {exc}") from exc
    return list(entries)


def load_corpus(directory: Path) -> Corpus:
    """Read every ``.txt``/``.md`` document of ``directory``; the manifest names and describes them."""
    if not directory.is_dir():
        raise ConfigError(f"Corpus directory {directory} does not exist (ASSISTANT_CORPUS_DIR).")
    entries = {str(e["file"]): e for e in _read_manifest(directory)}
    files = sorted(
        (p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file()),
        key=lambda p: (
            p.name not in entries,
            list(entries).index(p.name) if p.name in entries else 0,
            p.name,
        ),
    )
    documents: list[Document] = []
    seen: set[str] = set()
    for path in files:
        entry = entries.get(path.name, {})
        doc_id = str(entry.get("id") or _slug(path.stem))
        if doc_id in seen:
            raise ConfigError(
                f"Two corpus documents share the ID {doc_id!r}; set distinct ids in {MANIFEST}."
            )
        seen.add(doc_id)
        documents.append(Document(doc_id, path, str(entry.get("title") or path.stem), dict(entry)))
    if not documents:
        raise ConfigError(f"No .txt or .md documents in {directory}.")
    return Corpus(directory, tuple(documents))
