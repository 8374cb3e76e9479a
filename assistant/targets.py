"""The targets table: every figure the plan states, with what it measures and where it is.

Extracted from the corpus by :func:`assistant.figures.find_figures` (never typed in), each
figure with the clause around it, its paragraph, its section and an English rendering.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from assistant.answer.english import Lexicon, figure_in_english
from assistant.chunking import split_clauses
from assistant.corpus import Corpus, Paragraph
from assistant.figure_table import FigureFact, paragraph_facts
from assistant.figures import find_figures
from assistant.text import fold

_CLAUSE_TRIM = " ,，:：;；。、"


@dataclass(frozen=True)
class Target:
    """One figure of the plan; ``figure`` and ``measure`` are exact substrings of the paragraph."""

    figure: str  # "20兆瓦以上"
    english: str  # "20 MW or more"
    subject: str  # what it measures, from the figure table: "屋顶光伏装机容量"
    subject_en: str  # the subject's plan terms in English (lexicon), "" when it has none
    measure: str  # the clause holding it: "全年新增屋顶光伏装机容量20兆瓦以上"
    paragraph_id: str
    section: str
    number: str  # as written: "20", "2-3", "百"
    unit: str
    qualifier: str  # "以上", "左右", "超", ... or ""
    value: float | None  # the (lower) number, for sorting; None for "破百亿"


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Target))


def _clause(text: str, start: int, end: int) -> str:
    """The clause of ``text`` that holds ``text[start:end]``, without its closing punctuation."""
    for a, b in split_clauses(text):
        if a <= start and end <= b:
            return text[a:b].strip(_CLAUSE_TRIM)
    return text[start:end]  # unreachable while clauses never cut a figure; the figure alone is safe


def paragraph_targets(paragraph: Paragraph, lexicon: Lexicon | None = None) -> list[Target]:
    """The figures of one paragraph, left to right, each with its subject."""
    subjects: dict[int, list[str]] = {}
    for fact in paragraph_facts(paragraph) if paragraph.kind != "heading" else []:
        subjects.setdefault(fact.figure.start, []).append(subject_label(fact))
    return [
        Target(
            figure=f.text,
            english=figure_in_english(f),
            subject="、".join(subjects.get(f.start, [])),
            subject_en="; ".join(
                dict.fromkeys(
                    lexicon.english_for(s)
                    for s in subjects.get(f.start, [])
                    if lexicon and lexicon.english_for(s)
                )
            ),
            measure=_clause(paragraph.text, f.start, f.end),
            paragraph_id=paragraph.id,
            section=paragraph.section,
            number=f.number,
            unit=f.unit,
            qualifier=f.qualifier,
            value=f.value,
        )
        for f in find_figures(paragraph.text)
    ]


def subject_label(fact: FigureFact) -> str:
    """What is measured, as shown: action and subject ("新增绿地"), a generic subject ("项目") with the
    topic it belongs to ("城中村自主更新·实施项目")."""
    own = f"{fact.action}{fact.subject}" if fact.action and fact.subject != fact.topic else fact.subject
    return f"{fact.topic}·{own}" if fact.topic and fact.topic != fact.subject else own


def extract_targets(corpus: Corpus) -> list[Target]:
    """Every figure of every paragraph (glossary included), in document order."""
    lexicon = Lexicon.load(corpus.directory)
    return [t for p in corpus.paragraphs for t in paragraph_targets(p, lexicon)]


def filter_targets(targets: Iterable[Target], query: str) -> list[Target]:
    """Targets whose figure, English, clause, ID or section contains every word of ``query``."""
    words = [fold(w) for w in query.split() if fold(w)]
    if not words:
        return list(targets)

    def haystack(t: Target) -> str:
        return fold(
            " ".join((t.figure, t.english, t.subject, t.subject_en, t.measure, t.paragraph_id, t.section))
        )

    return [t for t in targets if all(w in haystack(t) for w in words)]


def to_rows(targets: Iterable[Target]) -> list[list[object]]:
    return [list(astuple(t)) for t in targets]


def to_csv(targets: Iterable[Target]) -> str:
    """CSV text, one row per target, header = :data:`COLUMNS`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in targets:
        writer.writerow(["" if v is None else v for v in astuple(t)])
    return buffer.getvalue()


def write_csv(targets: Iterable[Target], path: Path) -> Path:
    """Write the CSV with a BOM so spreadsheet programs read the Chinese correctly."""
    path.write_text(to_csv(targets), encoding="utf-8-sig")
    return path


def read_csv(path: Path) -> list[Target]:
    """The inverse of :func:`write_csv`."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows: Sequence[dict[str, str]] = list(csv.DictReader(handle))
    return [
        Target(**{**row, "value": float(row["value"]) if row["value"] else None})  # type: ignore[arg-type]
        for row in rows
    ]
