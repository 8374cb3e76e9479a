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
from assistant.figures import THIS_YEAR, YEAR

When = Literal["past", "own", "ahead", ""]

W_REVIEW = 0.3  # a report's review of past years weighs less than its targets, unless a past year is asked
W_OTHER_YEAR = 1.0  # ... and much less when the question names a year: its own, or one it reviews
_PAST = re.compile(r"过去一年|过去五年|去年|上年|回顾|\bin the past\b|\blast (?:year|five years)\b", re.I)
# "十四五", "第十四个五年", "the 14th Five-Year Plan": the plan period 2021–2025
_PERIOD = re.compile(r"十([一二三四五])五|第十([一二三四五])个五年|\b1([1-5])th five[- ]year", re.I)
# A statement about a whole period, not one year of it ("年均增长9%", "这五年", "累计")
_OVER_PERIOD = re.compile(r"年均|五年|十[一二三四五]五|累计|\bper year\b|\bfive years\b", re.I)
W_PERIOD = 0.5  # a period's statement weighs this much less when one year is asked ("2025年…增长了多少?")
# Where a report turns from review to plan, most telling first ("十五五时期发展的总体要求" is not it)
_TARGETS = (re.compile(r"主要预期目标"), re.compile(r"主要目标是"), re.compile(r"总体要求"))
_REVIEWED = re.compile(r"回顾|过去一年|过去五年")  # a section heading that reviews
_YEAR = re.compile(r"((?:19|20)\d\d)年")


def period_end(match: re.Match[str]) -> int:
    """The last year of a five-year plan period: 十四五 (the 14th) → 2025."""
    if match.group(3):
        return 2010 + 5 * (int(match.group(3)) - 1)
    return 2010 + 5 * "一二三四五".index(match.group(1) or match.group(2))


def _years_named(text: str) -> list[int]:
    """The years a text names: "2025年", and a five-year period by its last year ("十四五" → 2025)."""
    return [int(y) for y in _YEAR.findall(text)] + [period_end(m) for m in _PERIOD.finditer(text)]


def _names_own_year(text: str, year: int) -> bool:
    return f"{year}年" in text or bool(THIS_YEAR.search(text))


def _looks_ahead(text: str, year: int) -> bool:
    named = _years_named(text)
    return bool(named) and all(y >= year for y in named)


def section_when(section_path: Sequence[str], year: int) -> When:
    """The time a paragraph's sections speak of, nearest heading first: "一、2025年工作和“十四五”发展
    回顾" is the past, "二、“十五五”时期主要目标" the years ahead, "三、2026年重点工作" its own year;
    "" when no heading names a time."""
    for title in reversed(section_path):
        if _REVIEWED.search(title):
            return "past"
        named = _years_named(title)
        if named and all(y > year for y in named):
            return "ahead"
        if named and all(y < year for y in named):
            return "past"
        if year in named:
            return "own"
    return ""


@dataclass(frozen=True)
class Timeframe:
    """The years a library's paragraphs speak of, computed once per corpus."""

    corpus: Corpus

    @cached_property
    def sections(self) -> dict[str, When]:
        """The time each paragraph's section headings speak of (only where one does)."""
        found: dict[str, When] = {}
        for doc in self.corpus.documents:
            for p in doc.paragraphs if doc.profile.year else ():
                if when := section_when(p.section_path, doc.profile.year):
                    found[p.id] = when
        return found

    @cached_property
    def review(self) -> frozenset[str]:
        """Paragraphs that review the past: those in a section reviewing it; where the headings say
        no time, a report's part before its targets ("主要预期目标") when that part speaks of the
        year before; and any paragraph naming an earlier year or "过去一年" (in a section about the
        years ahead too: such a paragraph is both). A report's targets for its own year are elsewhere."""
        past: set[str] = set()
        sections = self.sections
        for doc in self.corpus.documents:
            year = doc.profile.year
            paragraphs = doc.paragraphs
            split = next((n for n, p in enumerate(paragraphs) if p.id == self.targets.get(doc.id)), 0)
            before = [p for p in paragraphs[:split] if p.id not in sections]
            if year and any(f"{year - 1}年" in p.text or _PAST.search(p.text) for p in before):
                # ... except what looks ahead from there ("“十五五”时期主要目标": 2026–2030)
                past |= {p.id for p in before if not _looks_ahead(p.text, year)}
            for p in paragraphs:
                if sections.get(p.id) == "past":
                    past.add(p.id)
                    continue
                # ... also in a section about the years ahead: "“十四五”时期…从29.6件增加到65件"
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
                if self.sections.get(p.id) == "ahead":
                    later.add(p.id)
                    continue
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
            own = [p for p in doc.paragraphs if self.sections.get(p.id) not in ("past", "ahead")]
            target = next((p for pattern in _TARGETS for p in own if pattern.search(p.text)), None)
            if target is not None:
                found[doc.id] = target.id
        return found

    @cached_property
    def _reviewing(self) -> frozenset[str]:
        return frozenset(pid.split("/")[0] for pid in self.review)

    @cached_property
    def _looking_ahead(self) -> frozenset[str]:
        return frozenset(pid.split("/")[0] for pid in self.ahead)

    def when_asked(self, text: str, docs: Sequence[str]) -> When:
        """ "past": a year before its documents' own ("2025年…", "“十四五”这五年" of a 2026 report);
        "own": the documents' own year named ("2026年", "今年"); "ahead": only years after it
        ("“十五五”时期", "到2030年"); "" when the question names none."""
        years = {d.profile.year for d in self.corpus.documents if d.id in docs} - {None}
        latest = max(years, default=None)
        asked = {int(y) for y in YEAR.findall(text)}
        asked |= {period_end(m) for m in _PERIOD.finditer(text)}
        if _PAST.search(text) or (latest and any(y < latest for y in asked)):
            return "past"
        if THIS_YEAR.search(text) or (latest and latest in asked):
            return "own"
        if latest and asked and all(y > latest for y in asked):
            return "ahead"
        return ""

    def other_year(self, paragraph_id: str, when: When) -> bool:
        """Does the paragraph speak of another year than the one asked (a report's review for its
        own year, its plans for a year it reviews)?"""
        if when == "own":
            return paragraph_id in self.review or paragraph_id in self.ahead
        if when == "ahead":
            return paragraph_id.split("/")[0] in self._looking_ahead and paragraph_id not in self.ahead
        reviewing = paragraph_id.split("/")[0] in self._reviewing
        return when == "past" and reviewing and paragraph_id not in self.review

    def penalty(self, paragraph_id: str, when: When, sentence: str = "", question: str = "") -> float:
        """How much less a paragraph's clause weighs for the year asked; a sentence about a whole
        period weighs less when the question asks one year of it."""
        period = W_PERIOD * bool(
            when == "past" and _OVER_PERIOD.search(sentence) and not _OVER_PERIOD.search(question)
        )
        if when:
            return W_OTHER_YEAR * self.other_year(paragraph_id, when) + period
        return W_REVIEW * (paragraph_id in self.review)
