"""Which year a question asks about, and which year each paragraph of a library speaks of.

A 2026 work report reviews 2025 (and the five years of the 十四五 period) before it sets its
targets for 2026; a plan such as 钟楼区's only arranges its own year. A figure answers only for
the year it is about: the review's 2025 figure never answers "2026年…目标?", and a 2026 target
never answers "2025年…是多少?".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from assistant.corpus import Corpus

When = Literal["past", "own", ""]

W_REVIEW = 0.3  # a report's review of past years weighs less than its targets, unless a past year is asked
W_OTHER_YEAR = 1.0  # ... and much less when the question names a year: its own, or one it reviews
_PAST = re.compile(r"过去一年|过去五年|去年|上年|回顾|\bin the past\b|\blast (?:year|five years)\b", re.I)
_THIS_YEAR = re.compile(r"今年|本年|\bthis year\b", re.I)
_PERIOD = re.compile(r"十([一二三四五])五")  # "十四五": the five-year plan period 2021–2025
_TARGETS = re.compile(r"主要预期目标|主要目标是|总体要求")  # where a report turns from review to plan
_YEAR = re.compile(r"((?:19|20)\d\d)年")


def period_end(match: re.Match[str]) -> int:
    """The last year of a five-year plan period: 十四五 (the 14th) → 2025."""
    return 2010 + 5 * "一二三四五".index(match.group(1))


def _years_named(text: str) -> list[int]:
    """The years a text names: "2025年", and a five-year period by its last year ("十四五" → 2025)."""
    return [int(y) for y in _YEAR.findall(text)] + [period_end(m) for m in _PERIOD.finditer(text)]


def _names_own_year(text: str, year: int) -> bool:
    return f"{year}年" in text or bool(_THIS_YEAR.search(text))


def _looks_ahead(text: str, year: int) -> bool:
    named = _years_named(text)
    return bool(named) and all(y >= year for y in named)


@dataclass(frozen=True)
class Timeframe:
    """The years a library's paragraphs speak of, computed once per corpus."""

    corpus: Corpus

    @cached_property
    def review(self) -> frozenset[str]:
        """Paragraphs that review the past: a report's part before its targets ("主要预期目标"),
        when that part speaks of the year before, and any paragraph naming an earlier year or
        "过去一年". A report's targets for its own year are elsewhere."""
        past: set[str] = set()
        for doc in self.corpus.documents:
            year = doc.profile.year
            paragraphs = doc.paragraphs
            split = next((n for n, p in enumerate(paragraphs) if _TARGETS.search(p.text)), 0)
            before = paragraphs[:split]
            if year and any(f"{year - 1}年" in p.text or _PAST.search(p.text) for p in before):
                # ... except what looks ahead from there ("“十五五”时期主要目标": 2026–2030)
                past |= {p.id for p in before if not _looks_ahead(p.text, year)}
            for p in paragraphs:
                earlier = year is not None and any(y < year for y in _years_named(p.text))
                if earlier or _PAST.search(p.text):
                    past.add(p.id)
        return frozenset(past)

    @cached_property
    def ahead(self) -> frozenset[str]:
        """Paragraphs about the years after a report's own (the "十五五" outline, "到2030年"), not
        its own year's targets: they do not answer "2026年…目标?"."""
        later: set[str] = set()
        targets = set(self.targets.values())
        for doc in self.corpus.documents:
            year = doc.profile.year
            for p in doc.paragraphs if year else ():
                if p.id in targets or p.id in self.review or _names_own_year(p.text, year):
                    continue  # "今年…主要预期目标是" is the year's own, even beside "十五五"
                if any(y > year for y in _years_named(p.text)):
                    later.add(p.id)
        return frozenset(later)

    @cached_property
    def targets(self) -> dict[str, str]:
        """Each report's main targets ("主要预期目标是：…"), by document ID: a candidate for every
        figure question about that report, whatever the retriever ranked."""
        found = {}
        for doc in self.corpus.documents:
            target = next((p for p in doc.paragraphs if _TARGETS.search(p.text)), None)
            if target is not None:
                found[doc.id] = target.id
        return found

    @cached_property
    def _reviewing(self) -> frozenset[str]:
        return frozenset(pid.split("/")[0] for pid in self.review)

    def when_asked(self, text: str, docs: Sequence[str]) -> When:
        """ "past": a year before its documents' own ("2025年…", "“十四五”这五年" of a 2026 report);
        "own": the documents' own year named ("2026年", "今年"); "" when the question names none."""
        years = {d.profile.year for d in self.corpus.documents if d.id in docs} - {None}
        latest = max(years, default=None)
        asked = {int(y) for y in re.findall(r"(?:19|20)\d\d", text)}
        asked |= {period_end(m) for m in _PERIOD.finditer(text)}
        if _PAST.search(text) or (latest and any(y < latest for y in asked)):
            return "past"
        if _THIS_YEAR.search(text) or (latest and latest in asked):
            return "own"
        return ""

    def other_year(self, paragraph_id: str, when: When) -> bool:
        """Does the paragraph speak of another year than the one asked (a report's review for its
        own year, its plans for a year it reviews)?"""
        if when == "own":
            return paragraph_id in self.review or paragraph_id in self.ahead
        reviewing = paragraph_id.split("/")[0] in self._reviewing
        return when == "past" and reviewing and paragraph_id not in self.review

    def penalty(self, paragraph_id: str, when: When) -> float:
        """How much less a paragraph's clause weighs for the year asked."""
        if when:
            return W_OTHER_YEAR * self.other_year(paragraph_id, when)
        return W_REVIEW * (paragraph_id in self.review)
