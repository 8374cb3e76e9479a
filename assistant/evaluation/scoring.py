"""How one answer is scored: answer match, citations, number faithfulness, retrieval rank.

Pure functions over strings, so each rule is pinned by a table in tests/test_eval_scoring.py.
Numbers are compared as whole tokens through ``assistant.figures.number_tokens``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

from assistant.citations import Citation, cited_ids, strip_citation_tags
from assistant.figures import number_tokens
from assistant.text import fold

# A trap's premise is false: a right answer says so ("不对。", "No."), as well as giving the figure.
REJECTION = re.compile(r"不对|不是|并非|有误|\bno\b|\bnot\b", re.I)
QUOTE_JOINER = " … "  # how merge_citations joins two quotes of one paragraph
# After fold (NFKC), "１５，０００" is "15,000"; drop the separator as number_tokens does.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def strip_tags(text: str) -> str:
    """The answer without its citation tags."""
    return strip_citation_tags(text)


def cited_tags(text: str) -> list[str]:
    """Paragraph IDs the answer text cites, in order, without repeats."""
    return cited_ids(text)


def normalize(text: str) -> str:
    """Matching form: tags dropped, NFKC, lower case, no spaces, no thousands separators."""
    return _THOUSANDS.sub("", fold(strip_tags(text)))


def answer_found(expected: str, text: str) -> bool:
    """``expected`` (a plan substring) appears in ``text``; numbers only as whole tokens.

    "20条" is not found in "120条", "5%左右" not in "15%左右"; "15000多家" is found in "15,000多家".
    """
    want, have = normalize(expected), normalize(text)
    if not want:
        return False
    wanted_numbers = number_tokens(want)
    if not wanted_numbers:
        return want in have
    if not wanted_numbers <= number_tokens(have):
        return False
    head = r"(?<![\d.])" if want[0].isdigit() else ""
    tail = r"(?!\d|\.\d)" if want[-1].isdigit() else ""
    return re.search(head + re.escape(want) + tail, have) is not None


def missing_answers(answers: Sequence[str], text: str) -> list[str]:
    """The expected answers ``text`` does not contain."""
    return [a for a in answers if not answer_found(a, text)]


def is_correct(answers: Sequence[str], text: str, abstained: bool, *, trap: bool = False) -> bool:
    """A negative (no answers) is right when refused; any other item when answered with every answer.

    A trap (a false premise) must also be rejected: quoting the right figure after "对。" is wrong.
    """
    if not answers:
        return abstained
    rejected = REJECTION.search(strip_tags(text)) is not None
    return not abstained and not missing_answers(answers, text) and (rejected or not trap)


def citation_precision(cited_texts: Sequence[str], evidence: Sequence[str]) -> float | None:
    """Share of cited paragraphs holding at least one evidence string (None: nothing cited)."""
    if not cited_texts or not evidence:
        return None
    return sum(any(e in t for e in evidence) for t in cited_texts) / len(cited_texts)


def citation_recall(cited_texts: Sequence[str], evidence: Sequence[str]) -> float | None:
    """Share of evidence strings found in some cited paragraph (None: no evidence to find)."""
    if not evidence:
        return None
    return sum(any(e in t for t in cited_texts) for e in evidence) / len(evidence)


def citation_problems(
    citations: Sequence[Citation], text: str, paragraphs: Mapping[str, str], *, abstained: bool
) -> list[str]:
    """Why the citations cannot be trusted: unknown IDs, quotes not in their paragraph, none at all."""
    problems: list[str] = []
    cited = {c.id for c in citations}
    for c in citations:
        if c.id not in paragraphs:
            problems.append(f"cites unknown paragraph {c.id}")
            continue
        for part in c.quote.split(QUOTE_JOINER):
            if part.strip() and part.strip() not in paragraphs[c.id]:
                problems.append(f"quote not in {c.id}: {part.strip()!r}")
    for tag in cited_tags(text):
        if tag not in paragraphs:
            problems.append(f"tag [{tag}] names no paragraph")
        elif tag not in cited:
            problems.append(f"tag [{tag}] is not among the citations")
    if not abstained and not citations:
        problems.append("answer without a citation")
    return problems


def unfaithful_numbers(text: str, cited_texts: Iterable[str]) -> list[str]:
    """Numbers of the answer (tags aside) that no cited paragraph contains."""
    supported: set[str] = set()
    for t in cited_texts:
        supported |= number_tokens(t)
    return sorted(number_tokens(strip_tags(text)) - supported, key=lambda n: (len(n), n))


def evidence_rank(unit_texts: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved unit (paragraph or chunk) holding an evidence string."""
    for rank, text in enumerate(unit_texts, start=1):
        if any(e in text for e in evidence):
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of items whose evidence was retrieved within the first ``k`` units."""
    if not ranks:
        return None
    return sum(r is not None and r <= k for r in ranks) / len(ranks)


def share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100), linear between the closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def distinct(ids: Iterable[str]) -> list[str]:
    """Order-preserving de-duplication."""
    return list(dict.fromkeys(ids))
