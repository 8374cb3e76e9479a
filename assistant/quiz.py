"""The 练一练 quiz: questions drawn from the plan's own figures, checked by value and unit.

Pure and seeded: the same figures, options and seed give the same quiz. Every correct answer
and every wrong choice is a figure string of the plan (a test checks them against the text).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal, Protocol

from assistant.answer.english import figure_in_english
from assistant.corpus import Paragraph
from assistant.figures import UNITS_EN, Figure, find_figures
from assistant.web import highlight

Lang = Literal["zh", "en"]
Mode = Literal["choice", "typed"]

CHOICES = 4  # the right answer and three real figures of the plan in the same unit
BLANK = "____"
MIXED = ""  # the section filter that means "every section"


class FigureRow(Protocol):
    """What the quiz needs of a figure: ``assistant.targets.Target`` has it, so will the figure table.

    ``subject`` (what the figure counts: "绿地") is optional; without it the question is a cloze.
    """

    @property
    def figure(self) -> str: ...  # "10公顷", exactly as the plan writes it
    @property
    def unit(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def measure(self) -> str: ...  # the clause that holds the figure
    @property
    def paragraph_id(self) -> str: ...
    @property
    def section(self) -> str: ...


@dataclass(frozen=True)
class Question:
    """One quiz question; ``answer`` and every item of ``choices`` are figure strings of the plan."""

    number: int  # 1-based, in quiz order
    prompt: str
    answer: str  # "10公顷"
    choices: tuple[str, ...]  # CHOICES figure strings in shown order; () for a typed question
    clause: str  # the plan's clause that states the answer
    paragraph_id: str
    section: str
    unit: str
    lang: Lang


@dataclass(frozen=True)
class Result:
    """How one answer was judged, with a one-line message to show."""

    correct: bool
    given: str
    message: str


def subject_of(row: FigureRow) -> str | None:
    subject = getattr(row, "subject", None)
    return subject.strip() or None if isinstance(subject, str) else None


def _key(text: str) -> tuple[str, str] | None:
    """What makes two figures the same answer: the number as written (ranges kept) and the unit."""
    figures = find_figures(text)
    if not figures:
        return None
    f = figures[0]
    number = re.sub(r"\s+", "", f.number.replace(",", "")).translate(str.maketrans("~～—–", "----"))
    parts = [f"{float(n):g}" if re.fullmatch(r"\d+(?:\.\d+)?", n) else n for n in number.split("-")]
    return "-".join(parts), f.unit  # "10.0" is "10", "2～3" is "2-3"


def _figure(text: str) -> Figure | None:
    figures = find_figures(text)
    return figures[0] if figures else None


def quiz_sections(rows: Iterable[FigureRow]) -> list[str]:
    """The sections that have at least one askable figure, in document order."""
    return list(dict.fromkeys(r.section for r in askable(rows)))


def askable(rows: Iterable[FigureRow]) -> list[FigureRow]:
    """Figures a question can be made of: written in digits, stated once in their clause."""
    out = []
    for r in rows:
        if r.value is None or r.figure not in r.measure or r.measure.count(r.figure) != 1:
            continue
        out.append(r)
    return out


def _distractors(row: FigureRow, pool: Sequence[FigureRow], rng: random.Random) -> list[str]:
    """Three figure strings of the plan in the same unit, with values distinct from each other and
    from the answer, and not already visible in the question's clause."""
    by_value: dict[float | None, str] = {}
    for other in sorted(pool, key=lambda o: (o.figure, o.paragraph_id)):
        if other.unit != row.unit or other.value == row.value or other.value in by_value:
            continue  # "2个" next to "2-3个" would be two right answers to a reader
        if other.figure in row.measure:
            continue
        by_value[other.value] = other.figure
    figures = sorted(by_value.values())
    return rng.sample(figures, CHOICES - 1) if len(figures) >= CHOICES - 1 else []


def _prompt(row: FigureRow, lang: Lang) -> str:
    subject = subject_of(row)
    if subject:
        if lang == "zh":
            return f"今年{subject}的目标是多少?"
        english = getattr(row, "subject_en", "") or ""
        # the English name where the lexicon has one, the plan's words beside it
        return (
            f"What is the target for {english} ({subject})?"
            if english
            else f"What is the target for {subject}?"
        )
    cloze = row.measure.replace(row.figure, BLANK, 1)
    if lang == "zh":
        return f"计划原文填空:“{cloze}”"
    return f"Fill in the plan's figure: “{cloze}”"


def make_quiz(
    rows: Sequence[FigureRow],
    *,
    count: int = 5,
    lang: Lang = "zh",
    section: str = MIXED,
    mode: Mode = "choice",
    seed: int = 0,
) -> list[Question]:
    """``count`` questions (fewer if the section has fewer figures), the same for the same seed."""
    rng = random.Random(seed)
    pool = askable(rows)
    candidates = [r for r in pool if not section or r.section == section]
    rng.shuffle(candidates)
    questions: list[Question] = []
    seen: set[str] = set()
    for row in candidates:
        if len(questions) >= count:
            break
        if row.measure in seen:
            continue  # one question per clause: "3个、7个" would give the other away
        choices: tuple[str, ...] = ()
        if mode == "choice":
            wrong = _distractors(row, pool, rng)
            if not wrong:
                continue
            shown = [row.figure, *wrong]
            rng.shuffle(shown)
            choices = tuple(shown)
        seen.add(row.measure)
        questions.append(
            Question(
                number=len(questions) + 1,
                prompt=_prompt(row, lang),
                answer=row.figure,
                choices=choices,
                clause=row.measure,
                paragraph_id=row.paragraph_id,
                section=row.section,
                unit=row.unit,
                lang=lang,
            )
        )
    return questions


def choice_label(figure: str, lang: Lang) -> str:
    """A choice as shown: the plan's figure, with its English rendering on an English quiz."""
    f = _figure(figure)
    english = figure_in_english(f) if f else ""
    return f"{figure} ({english})" if lang == "en" and english and english != figure else figure


# English unit words a person may type ("20 MW", "10 hectares") → the plan's unit.
_EN_UNITS = sorted(
    ((word, unit) for unit, names in UNITS_EN.items() for word in names if re.fullmatch(r"[A-Za-z ]+", word)),
    key=lambda pair: -len(pair[0]),
)
_EN_UNIT = re.compile(
    r"(\d)\s*(" + "|".join(re.escape(w) for w, _ in _EN_UNITS) + r")\b",
    re.IGNORECASE,
)
_EN_UNIT_OF = {w.lower(): u for w, u in _EN_UNITS}


def normalize_typed(text: str) -> str:
    """A typed answer with full-width digits folded and English unit words put in the plan's units."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).strip()
    folded = re.sub(r"(\d)\s+(?=[^\dA-Za-z\s])", r"\1", folded)  # "10 公顷" → "10公顷"
    return _EN_UNIT.sub(lambda m: m.group(1) + _EN_UNIT_OF[m.group(2).lower()], folded)


def check(question: Question, given: str | None) -> Result:
    """Judge an answer: a choice must be the plan's figure; a typed one must match value and unit."""
    given = (given or "").strip()
    zh = question.lang == "zh"
    if not given:
        return Result(False, "", "请先作答。" if zh else "Choose or type an answer first.")
    if question.choices:
        correct = given == question.answer or (
            given in question.choices and _key(given) == _key(question.answer)
        )
    else:
        key = _key(normalize_typed(given))
        if key is None:
            hint = (
                f"请写数字和单位(单位:{question.unit})"
                if zh
                else f"Write a number and its unit (the unit: {question.unit})"
            )
            return Result(False, given, hint)
        correct = key == _key(question.answer)
    if correct:
        message = f"✓ 正确:{question.answer}" if zh else f"✓ Right: {question.answer}"
    else:
        message = (
            f"✗ 不对。计划写的是 {question.answer}" if zh else f"✗ Not quite. The plan says {question.answer}"
        )
    return Result(correct, given, message)


def score(results: Iterable[Result]) -> tuple[int, int]:
    """(right, answered)."""
    results = list(results)
    return sum(r.correct for r in results), len(results)


def missed(questions: Sequence[Question], results: Sequence[Result], *, seed: int = 0) -> list[Question]:
    """The review round: the questions answered wrong, renumbered, choices reshuffled."""
    rng = random.Random(seed)
    wrong = [q for q, r in zip(questions, results, strict=False) if not r.correct]
    out = []
    for n, q in enumerate(wrong, start=1):
        choices = list(q.choices)
        rng.shuffle(choices)
        out.append(
            Question(
                n, q.prompt, q.answer, tuple(choices), q.clause, q.paragraph_id, q.section, q.unit, q.lang
            )
        )
    return out


def result_html(question: Question, result: Result, paragraph: Paragraph) -> str:
    """After an answer: right or wrong, the paragraph with the plan's clause marked, and its ID."""
    css = "zl-quiz-right" if result.correct else "zl-quiz-wrong"
    label = "出处" if question.lang == "zh" else "Source"
    return (
        f'<div class="zl-quiz-result {css}" role="status">{escape(result.message)}</div>'
        f'<article class="zl-paragraph" data-paragraph="{escape(paragraph.id)}">'
        f'<div class="zl-paragraph-id">{label}: {escape(paragraph.id)} · {escape(paragraph.section)}</div>'
        f'<p class="zl-text">{highlight(paragraph.text, question.clause)}</p>'
        "</article>"
    )


def score_html(right: int, answered: int, total: int, lang: Lang) -> str:
    if lang == "zh":
        text = f"得分 {right} / {answered}(共 {total} 题)"
    else:
        text = f"Score {right} / {answered} ({total} questions)"
    return f'<div class="zl-quiz-score" role="status">{escape(text)}</div>'
