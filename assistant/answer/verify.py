"""The LLM answer's checks: citations, numbers and figures against the paragraphs it was given.

Pure functions, no model. An answer passes only if it cites, cites only context paragraphs,
and every number it states, however written (assistant/numerals.py), is in a paragraph its
claim cites, with its unit and the plan's qualifier (and, through ``subject_ok``, its subject).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answer.english import Lexicon
from assistant.chunking import split_clauses
from assistant.citations import CITATION_TAG as CITATION
from assistant.citations import Citation, cite, cited_ids, merge_citations, strip_citation_tags
from assistant.corpus import Corpus
from assistant.figure_table import FigureFact
from assistant.figures import (
    QUALIFIERS_EN,
    Figure,
    StatedFigure,
    find_figures,
    number_tokens,
    stated_figures,
)
from assistant.numerals import read_numerals
from assistant.text import fold

_BRACKETED = re.compile(r"[\[【][^\[\]【】\n]{0,60}[\]】]")
# A claim ends after 。！？!? (with closing quotes) or an English full stop before a space; not
# at a semicolon, which joins the parts of one sentence ("4 (4个); 2 (2座) … [zl2025/p12]").
_CLAIM_END = re.compile(r"[。！？!?][”’」』)）]*|(?<=[A-Za-z)\]”\"’%])\.(?=\s)")
_LEADING_CITATIONS = re.compile(rf"(?:\s*{CITATION.pattern})+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_ROMAN_RUN = re.compile(r"([\u2160-\u2188]+)")  # kept through NFKC, which would make Ⅴ a bare "V"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # after NFKC, "，" is ","

NEUTRAL_QUALIFIERS = frozenset({"达"})  # "达61%" and "61%" state the same figure
# Words that carry a plan qualifier in an English answer ("about 5%" for 5%左右).
QUALIFIER_PHRASES: dict[str, tuple[str, ...]] = {
    "以上": ("or more", "or above", "and above", "at least", "more than", "over", "above", "no less than"),
    "左右": ("about", "around", "approximately", "roughly", "some", "or so"),
    "约": ("about", "around", "approximately", "roughly", "some"),
    "多": ("more than", "over", "upwards of", "plus"),
    "超": ("over", "more than", "above", "exceeding", "exceed"),
    "破": ("over", "more than", "above", "exceeding", "exceed", "break"),
    "近": ("nearly", "almost", "close to"),
    "以内": ("at most", "within", "no more than", "up to", "or less", "under"),
    "前": ("top",),
}
_WINDOW_BEFORE = 16  # characters before a number searched for its qualifier ("more than 480")
_WINDOW_AFTER = 24  # ... and after it ("20 MW or more")


SubjectCheck = Callable[[StatedFigure, str, str], bool]


def any_subject(figure: StatedFigure, paragraph_id: str, sentence: str) -> bool:
    """No subject check: a figure the paragraph states is taken to be about its subject.

    A check ``subject_ok(figure, paragraph_id, sentence)`` is asked, for each figure of a
    sentence and each cited paragraph stating that number (and unit), whether the paragraph
    gives it for the subject the sentence gives it for. A figure passes when one says yes.
    """
    return True


def figure_subjects(facts: Mapping[str, Sequence[FigureFact]], lexicon: Lexicon) -> SubjectCheck:
    """The subject check over the figure table: the sentence must name the subject the paragraph
    gives that figure for ("今年引进超亿元产业项目7个" fails: p10's 7个 is 市重大项目's)."""

    def names(fact: FigureFact) -> list[str]:
        forms = [
            fact.subject,
            fact.subject[-4:],
            fact.subject[:4],
            fact.topic,
            lexicon.english_for(fact.subject),
        ]
        forms += [m for m in fact.subject.split("、")]  # "西仓桥小学、阳光幼儿园等学校"
        return [fold(f) for f in forms if len(fold(f)) >= 2]

    def subject_ok(figure: StatedFigure, paragraph_id: str, sentence: str) -> bool:
        same = [
            f
            for f in facts.get(paragraph_id, [])
            if figure.token in number_tokens(f.figure.number)
            and (not figure.unit or f.unit.endswith(figure.unit))
        ]
        if not same:
            return True  # not one of the table's figures (a year, an ordinal): the number check decides
        said = fold(sentence)
        return any(name in said for fact in same for name in names(fact))

    return subject_ok


@dataclass(frozen=True)
class Verification:
    """The verdict on an answer: ``ok`` when ``problems`` is empty."""

    ok: bool
    problems: tuple[str, ...]
    cited_ids: tuple[str, ...]


def citations_in(text: str) -> list[str]:
    """The paragraph IDs cited as ``[zl2025/p12]`` (or ``[a, b]``, ``【…】``), first-cited order."""
    return cited_ids(text)


def strip_citations(text: str) -> str:
    """The text with citation tags blanked, so their digits are not read as numbers."""
    return strip_citation_tags(text)


def split_claims(text: str) -> list[str]:
    """Cut an answer into sentences; joined they give the text back.

    Citation tags right after a sentence end belong to that sentence ("…10公顷。[zl2025/p12]").
    """
    cuts = [0]
    for m in _CLAIM_END.finditer(text):
        end = m.end()
        tags = _LEADING_CITATIONS.match(text, end)
        end = tags.end() if tags else end
        if end > cuts[-1]:
            cuts.append(end)
    if cuts[-1] < len(text):
        cuts.append(len(text))
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def verify(
    answer: str,
    context: Mapping[str, str],
    *,
    years: Iterable[str] = (),
    subject_ok: SubjectCheck = any_subject,
) -> Verification:
    """Check a whole answer; ``context`` maps each paragraph ID the model was given to its text.

    ``years`` (the plan's own year, "2025") may appear as years without being cited;
    ``subject_ok`` is the per-figure subject check (see :func:`any_subject`).
    """
    problems: list[str] = []
    if not answer.strip():
        problems.append("the answer is empty")
    cited = citations_in(answer)
    if answer.strip() and not cited:
        problems.append("no paragraph is cited")
    for claim in split_claims(answer):
        problems.extend(verify_claim(claim, context, years=years, subject_ok=subject_ok))
    unique = tuple(dict.fromkeys(problems))
    return Verification(not unique, unique, tuple(cited))


def verify_claim(
    claim: str,
    context: Mapping[str, str],
    *,
    years: Iterable[str] = (),
    subject_ok: SubjectCheck = any_subject,
) -> list[str]:
    """The problems of one sentence, checked against the paragraphs that sentence cites.

    Every number, however written (10, １０, 十, 壹拾, ten, Ⅹ), must be in a cited paragraph;
    one with a unit (公顷, hectares, %) must be there with that unit; and ``subject_ok`` must
    accept it for one paragraph that states it.
    """
    problems = [f"{tag} is not a citation of the form [zl2025/p12]" for tag in _malformed(claim)]
    ids = citations_in(claim)
    problems += [f"it cites {pid}, which was not in the context" for pid in ids if pid not in context]
    cited = {pid: _fold(context[pid]) for pid in ids if pid in context}
    body = _fold(strip_citations(claim))
    figures = find_figures(body)
    plan_years = set(years)
    numbers = [
        n
        for n in stated_figures(body)
        if not (n.token in plan_years and not n.unit and not _inside(n, figures))
    ]
    if not numbers:
        return problems
    if not ids:
        return [*problems, f"{_show(n.token for n in numbers)} stated without a citation"]
    where = ", ".join(ids)
    tokens = {pid: {n.token for n in read_numerals(text)} for pid, text in cited.items()}
    pairs = {pid: {(f.token, f.unit) for f in stated_figures(text)} for pid, text in cited.items()}
    reported: set[str] = set()
    for n in numbers:
        holders = [pid for pid in cited if n.token in tokens[pid]]
        if not holders:
            if n.token not in reported:
                problems.append(f"number {n.token} is not in the cited paragraphs ({where})")
                reported.add(n.token)
            continue
        if n.unit:
            holders = [pid for pid in holders if (n.token, n.unit) in pairs[pid]]
            if not holders:
                problems.append(
                    f"figure {n.text} is not in the cited paragraphs ({where}) with the unit {n.unit}"
                )
                continue
        if not any(subject_ok(n, pid, body) for pid in holders):
            problems.append(f"figure {n.text} is not what the cited paragraphs ({where}) give it for")
    plan_figures = [g for t in cited.values() for g in find_figures(t)]
    for f in figures:
        same = [g for g in plan_figures if _core(g) == _core(f)]
        if not same:
            problems.append(f"figure {f.text} is not in the cited paragraphs ({where})")
        elif not any(_keeps_qualifier(body, f.start, f.end, f.qualifier, g.qualifier) for g in same):
            problems.append(f"figure {f.text} does not keep the plan's wording {same[0].text}")
    qualifiers = _qualifiers_by_number(list(cited.values()))
    for n in numbers:
        if _inside(n, figures) or n.token not in qualifiers or "" in qualifiers[n.token]:
            continue
        if not any(_keeps_qualifier(body, n.start, n.end, "", q) for q in qualifiers[n.token]):
            problems.append(
                f"{body[n.start : n.end]} drops the plan's qualifier ({'/'.join(sorted(qualifiers[n.token]))})"
            )
    return problems


def cite_answer(answer: str, corpus: Corpus, *, years: Iterable[str] = ()) -> tuple[Citation, ...]:
    """A citation for each cited paragraph, quoting the clause(s) holding the claim's figures."""
    citations: list[Citation] = []
    claims = split_claims(answer)
    for pid in citations_in(answer):
        if pid not in corpus:
            continue
        body = _fold(strip_citations("".join(c for c in claims if pid in citations_in(c))))
        figures = [_core(f) for f in find_figures(body)]
        digits = {t for m in _DIGITS.finditer(body) for t in number_tokens(m.group(0))} - set(years)
        text = corpus.paragraph(pid).text
        clauses = [q for a, b in split_clauses(text) if (q := _quote(text[a:b]))]
        chosen = [q for q in clauses if any(_core(g) in figures for g in find_figures(_fold(q)))] or [
            q for q in clauses if digits & number_tokens(q)
        ]
        for quote in chosen or clauses[:1]:
            citations.append(cite(corpus, pid, quote))
    return tuple(merge_citations(citations))


ECHO_CHARS = 12  # a run this long shared with the instructions, and not plan text, is an echo


def instruction_runs(instructions: str, context: Iterable[str]) -> frozenset[str]:
    """Every ``ECHO_CHARS``-long run of the prompt's own wording that the plan paragraphs lack."""
    plan = {g for text in context for g in _runs(text)}
    return frozenset(_runs(instructions) - plan)


def echoed_instructions(text: str, runs: frozenset[str]) -> str | None:
    """The first run of the instructions ``text`` repeats (a prompt leak), or ``None``."""
    squashed = _squash(strip_citations(text))
    for i in range(len(squashed) - ECHO_CHARS + 1):
        if squashed[i : i + ECHO_CHARS] in runs:
            return squashed[i : i + ECHO_CHARS]
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", _fold(text))


def _runs(text: str) -> set[str]:
    squashed = _squash(strip_citations(text))
    return {squashed[i : i + ECHO_CHARS] for i in range(len(squashed) - ECHO_CHARS + 1)}


# -- helpers -------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Full-width digits and signs to ASCII, thousands separators dropped ("1,000户" is one figure).

    Roman numeral characters (Ⅻ) stay as they are, for the numeral reader to read whole.
    """
    parts = _ROMAN_RUN.split(text)
    folded = "".join(p if n % 2 else unicodedata.normalize("NFKC", p) for n, p in enumerate(parts))
    return _THOUSANDS.sub("", folded)


def _quote(clause: str) -> str:
    return clause.strip().rstrip("，,。；;：:、").strip()


def _malformed(claim: str) -> list[str]:
    """Bracketed text with a digit that is not one of our citations ("[p12]", "[zl2025-p12]")."""
    masked = strip_citations(claim)
    return [m.group(0) for m in _BRACKETED.finditer(masked) if any(ch.isdigit() for ch in m.group(0))]


def _inside(number: StatedFigure, figures: list[Figure]) -> bool:
    return any(f.start <= number.start < f.end for f in figures)


def _figure_numbers(figure: Figure) -> set[str]:
    """ "2-3个" → {"2", "3"}; a Chinese magnitude "破百亿" → {"10000000000"}."""
    if figure.value is None:
        return number_tokens(figure.number + figure.unit, chinese_numerals=True)
    return number_tokens(figure.number)


def _core(figure: Figure) -> tuple[str, str]:
    """Number and unit, with dashes and spaces normalized: "2～3个" equals "2-3个"."""
    number = re.sub(r"\s+", "", re.sub(r"[~～—–]", "-", figure.number))
    return "-".join(sorted(number_tokens(number), key=float)) or number, figure.unit


def _qualifier(q: str) -> str:
    return "" if q in NEUTRAL_QUALIFIERS else q


def _keeps_qualifier(text: str, start: int, end: int, written: str, planned: str) -> bool:
    """Whether a number at ``text[start:end]`` carries the plan's qualifier ``planned``.

    Either the same qualifier in the figure, or, when the answer's figure has none, the
    qualifier (or its English wording) right next to the number.
    """
    written, planned = _qualifier(written), _qualifier(planned)
    if written == planned:
        return True
    if written:
        return False
    window = text[max(0, start - _WINDOW_BEFORE) : end + _WINDOW_AFTER].lower()
    if planned in window:
        return True
    phrases = {*QUALIFIER_PHRASES.get(planned, ()), QUALIFIERS_EN.get(planned, "")} - {""}
    return any(re.search(rf"\b{re.escape(p)}\b", window) for p in phrases)


def _qualifiers_by_number(paragraphs: list[str]) -> dict[str, set[str]]:
    """Number → the qualifiers the paragraphs give it ("" where it stands without one)."""
    out: dict[str, set[str]] = {}
    for text in paragraphs:
        figures = find_figures(text)
        for f in figures:
            for n in _figure_numbers(f):
                out.setdefault(n, set()).add(_qualifier(f.qualifier))
        for number in stated_figures(text):
            if not _inside(number, figures):
                out.setdefault(number.token, set()).add("")
    return out


def _show(numbers: Iterable[str]) -> str:
    unique = list(dict.fromkeys(numbers))
    return ("number " if len(unique) == 1 else "numbers ") + ", ".join(unique)
