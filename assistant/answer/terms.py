"""The topical terms of a question, in the plan's own words, and how much each one weighs.

Chinese: jieba words plus the plan's term for common variants (高新技术企业 → 高企, from
corpus/synonyms.zh.tsv); English: the plan terms the lexicon gives. A term the plan never
uses weighs most, so a question about something absent (5G基站) does not match by accident.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from assistant.answer.english import Lexicon
from assistant.answer.intent import topic_of
from assistant.figure_table import ACTIONS
from assistant.text import fold

SYNONYMS_FILE = "synonyms.zh.tsv"
# Words that say what kind of quantity is asked, not what it is about.
_MEASURE_WORDS = frozenset(
    [
        "面积",
        "程度",
        "数量",
        "规模",
        "总量",
        "总额",
        "比例",
        "金额",
        "总数",
        "数目",
        "水平",
        "情况",
        "效果",  # "要达到什么效果?": what is asked of it, not what about
        "作用",
        "目的",
        "方面",
        "内容",
        "项目",
        "片区",  # "哪些片区", "which areas": the kind of place asked for, not which
        "区域",
        "地方",
        "地点",
        "全部",  # quantifiers: how much of it, not what
        "所有",
        "一律",
        "工程",  # "哪些重点道路工程?": the kind of thing listed, not what it is about
        "重点",
        "工作",
        "具体",
        "类似",  # "类似的排名目标": like the last one, not what about
        "同样",
        "一样",
        "分别",
        "已经",
        "一共",
        "计划",
        "大概",
        "左右",
        "以上",
        "多少",
        "多大",
        "多长",
        "多远",
        "多高",
        "长度",
        "几个",
        "增加",
        "增长",
        "达到",
        "实现",
        "新增",
        "提高",
        "完成",
        "推进",
        "开展",
        "建设",
        "打造",
        "区里",
        "我们",
        "增速",
        "增幅",
        "增长率",
        "多出",
        "这块",
        "那块",
        "这方面",
        "个点",
        "百分点",
        "目标",
        "指标",
        "预期",
        "要求",
        "今年",
        "全年",
        "年内",
    ]
)
_COUNTED = re.compile(
    r"^[一二两三四五六七八九十几多]+[项个类种条家所]$"
)  # "三项", "两个": a count, not a topic
_SEPARATOR = "\x00"  # ends each clause in the joined text: no folded clause holds it
_ASCII_WORD = re.compile(r"[a-z][a-z0-9]+")
ABSENT_SHARE = 0.8  # a word the plan never uses weighs this share of the rarest word's weight
# Parts of speech that never name a topic (pronouns, adverbs, particles, prepositions, numerals…)
_FUNCTION_TAGS = ("r", "d", "u", "y", "e", "o", "c", "p", "q", "m", "f", "zg", "w")
_CONTENT_TAGS = ("n", "eng", "j", "l", "i", "x")  # nouns, abbreviations, idioms, the plan's own terms
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
HMM_MAX_CHARS = 80  # texts longer than this are tagged without jieba's HMM (bounded cost)
EVERYDAY_SHARE = 0.25  # weight kept by an everyday word the plan never uses
UNKNOWN_EN_WEIGHT = 2.5  # an English word the lexicon does not know: likely a paraphrase, maybe a new topic


@dataclass(frozen=True)
class Term:
    """One thing the question is about, with the spellings that count as a match."""

    forms: tuple[str, ...]
    weight: float
    absent: bool = False  # the library never uses any of its forms ("搬迁", "5G基站")

    def found_in(self, folded_text: str) -> bool:
        return any(form in folded_text for form in self.forms)


def _load_synonyms(corpus_dir: Path) -> dict[str, tuple[str, ...]]:
    path = corpus_dir / SYNONYMS_FILE
    table: dict[str, tuple[str, ...]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            variant, _, terms = line.partition("\t")
            if variant and terms:
                table[fold(variant)] = tuple(fold(t) for t in terms.split("|") if t)
    return table


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


class TermExtractor:
    """Turns a question into weighted ``Term``s, weights from how rare a form is among clauses."""

    def __init__(
        self,
        clause_texts: Sequence[str],
        corpus_dir: Path,
        lexicon: Lexicon,
        vocabulary: Sequence[str] = (),
    ) -> None:
        self._clauses = [fold(t) for t in clause_texts]
        self._synonyms = _load_synonyms(corpus_dir)
        self._lexicon = lexicon
        self._vocabulary = vocabulary

    @cached_property
    def unseen_weight(self) -> float:
        return math.log(1 + len(self._clauses) / 0.5)

    @cached_property
    def _segmenter(self):
        """jieba, taught the plan's own terms, so "高企新认定" splits as 高企 + 新认定."""
        jieba = _jieba()
        plan_terms = {t for terms in self._synonyms.values() for t in terms}
        plan_terms |= {fold(t) for terms in self._lexicon.entries.values() for t in terms}
        plan_terms |= {fold(t) for t in self._vocabulary}
        for term in sorted(plan_terms):
            if 2 <= len(term) <= 12 and not term.isascii():
                jieba.add_word(term)
        return jieba

    def plan_terms(self, question: str) -> list[str]:
        """The plan's words for variants in a Chinese question ("GDP" → 地区生产总值), for retrieval."""
        folded = fold(question)
        return [t for variant, terms in self._synonyms.items() if variant in folded for t in terms]

    @lru_cache(maxsize=4096)  # noqa: B019 - one extractor per answerer, lives as long as it
    def weight(self, form: str) -> float:
        return math.log(1 + len(self._clauses) / (self._clauses_holding(form) + 0.5))

    @cached_property
    def _joined(self) -> tuple[str, list[int]] | None:
        """All clauses in one text, each ended by ``_SEPARATOR``, and where each one starts."""
        if any(_SEPARATOR in c for c in self._clauses):
            return None
        starts = list(itertools.accumulate((len(c) + 1 for c in self._clauses[:-1]), initial=0))
        return "".join(c + _SEPARATOR for c in self._clauses), starts

    def _clauses_holding(self, form: str) -> int:
        """How many clauses hold ``form``: a search of the joined text that skips to the next clause
        after each hit, rather than a test of every clause of the library."""
        if not form or _SEPARATOR in form or self._joined is None:
            return sum(1 for c in self._clauses if form in c)
        text, starts = self._joined
        count, at = 0, text.find(form)
        while at >= 0:
            count += 1
            following = bisect.bisect_right(starts, at)  # the clause after the one hit
            if following == len(starts):
                break
            at = text.find(form, starts[following])
        return count

    def _term(self, forms: Sequence[str]) -> Term:
        forms = tuple(dict.fromkeys(f for f in forms if f))
        seen = [self.weight(f) for f in forms if self.weight(f) < self.unseen_weight]
        if seen:
            return Term(forms, min(seen))
        return Term(forms, ABSENT_SHARE * self.unseen_weight, absent=True)

    def terms(self, question: str, lang: str) -> list[Term]:
        if lang == "en":
            return self._english(question)
        terms: list[Term] = []
        # a quoted plan word ("“基本盘”") and a longer plan word ("智能工厂") are terms as written:
        # taking the question's asking words out must not cut them ("智能工厂" is no "智…工厂")
        whole = [fold(q) for q in _QUOTED.findall(question) if not _NUMERALS.fullmatch(q)]  # not “十四五”
        whole += [
            fold(w)
            for w, _ in self.tagged(question)
            if len(w.strip()) >= 3 and topic_of(w) and topic_of(w) != fold(w)  # cut, not all asking words
        ]
        for form in dict.fromkeys(whole):
            if (
                len(form) >= 2
                and self.weight(form) < self.unseen_weight
                and form in fold(question)
                and not any(form in variant or variant in form for variant in self._synonyms)
            ):
                terms.append(self._term((form,)))
                question = fold(question).replace(form, " ")
        topic = re.sub(r"\d+(?:\.\d+)?", " ", topic_of(question))
        covered = topic
        for variant, plan_terms in sorted(self._synonyms.items(), key=lambda kv: -len(kv[0])):
            if len(variant) > 1 and variant in covered:  # one character only as a word of its own
                terms.append(self._term((variant, *plan_terms)))
                covered = covered.replace(variant, " ")
        for word, flag in self.tagged(covered):
            word = word.strip()
            if len(word) == 1 and flag.startswith("n") and word in self._synonyms:
                terms.append(self._term((word, *self._synonyms[word])))  # "改造的路": 路 is 道路
                continue
            if (
                len(word) >= 2
                and word not in _MEASURE_WORDS
                and not word.isdigit()
                and not _COUNTED.match(word)
                and not flag.startswith(_FUNCTION_TAGS)
            ):
                parts = self._plan_parts(word) if self.weight(word) >= self.unseen_weight else []
                if parts:  # "绿地面积": the plan says 绿地 (and 面积 is how much, not what)
                    terms += [self._term((part,)) for part in parts if part not in _MEASURE_WORDS]
                    continue
                term = self._term((word,))
                if self.weight(word) >= self.unseen_weight and not flag.startswith(_CONTENT_TAGS):
                    # an everyday word the plan never uses ("涨", "多出来") is a way of asking,
                    # not an absent topic: only absent nouns ("5G基站") weigh as absent
                    term = Term(term.forms, term.weight * EVERYDAY_SHARE, absent=True)
                terms.append(term)
        if not terms and len(covered.strip()) == 1 and "\u4e00" <= covered.strip() <= "\u9fff":
            terms.append(self._term((covered.strip(),)))  # "水呢?": a one-character subject, alone
        return _unique(terms)

    def _as_written(self, english: str) -> tuple[str, ...]:
        form = fold(english)
        return (form,) if self.weight(form) < self.unseen_weight else ()

    def _plan_parts(self, word: str) -> list[str]:
        """A word the plan never uses, when it is made of words the plan does use or measure words
        (each of two characters or more): "绿地面积" → [绿地, 面积]; "充电桩" → [] (桩 says nothing);
        "停车难" → [停车] (难 says what is wrong with it)."""
        splits: dict[int, list[str]] = {0: []}
        for start in range(len(word)):
            if start not in splits:
                continue
            for end in range(len(word), start + 1, -1):  # the longest piece first
                piece = word[start:end]
                known = piece in _MEASURE_WORDS or self.weight(piece) < self.unseen_weight
                if end not in splits and known:
                    splits[end] = [*splits[start], piece]
        parts = splits.get(len(word), [])
        if len(parts) < 2 and len(word) >= 3 and self.tagged(word[-1]) == [(word[-1], "a")]:
            # "停车难", "看病贵": a subject the plan uses and an adjective saying what is wrong with it
            head = word[:-1]
            return self._plan_parts(head) or ([head] if self.weight(head) < self.unseen_weight else [])
        return parts if len(parts) >= 2 else []

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """jieba words with their part-of-speech tags (the plan's own terms taught first)."""
        self._segmenter  # noqa: B018 - teaches jieba the plan's terms before tagging
        import jieba.posseg

        # The HMM guesses unknown words but costs O(n·states²) on long unknown runs (a 500-character
        # question took 12 s): beyond a question's usual length, dictionary words only.
        return [(w.word, w.flag) for w in jieba.posseg.lcut(text, HMM=len(text) <= HMM_MAX_CHARS)]

    def _english(self, question: str) -> list[Term]:
        # one term per English phrase: its plan terms are alternatives ("new" → 新增|新建), not a list
        # and the phrase itself where the plan writes it so ("GDP" in 单位GDP能耗): one term, not two
        phrases = self._lexicon.translate_phrases(question)
        terms = [
            self._term((*(fold(t) for t in forms), *self._as_written(english))) for english, forms in phrases
        ]
        terms = [t for t in terms if not is_measure(t)]  # "growth target": how much is asked, not of what
        translated = {word for english, _ in phrases for word in english.split()}
        for chinese in _CJK_RUN.findall(question):  # "a 'Renren canteen' (人人食堂)": the plan's own words
            terms += self.terms(chinese, "zh")
        # Latin words the plan itself uses (QFLP, GDP, AI) count as they are. When the lexicon
        # knows nothing of the question, its unknown words count as absent from the plan.
        unknown = []
        for word in _ASCII_WORD.findall(topic_of(question)):
            if word.lower() in translated:
                continue
            if self.weight(word) < self.unseen_weight:
                terms.append(self._term((word,)))
            elif len(word) > 2 and not self._lexicon.translate_terms(word):
                unknown.append(Term((word,), UNKNOWN_EN_WEIGHT, absent=True))
        return _unique(terms if terms else unknown)


_ACTION_WORDS = frozenset(ACTIONS)


def is_action(term: Term) -> bool:
    """A term that is only a verb of stating figures ("新建", "new" → 新增|新建, "launch" → 启用|开放:
    its first reading decides), not a subject."""
    return term.forms[0] in _ACTION_WORDS


def most_specific(terms: Sequence[Term]) -> list[Term]:
    """The terms without those a longer one holds: asked about "QFLP fund", 基金 is part of
    QFLP基金 and names nothing else (a paragraph on 资金 is not about it)."""
    return [
        t
        for t in terms
        if not any(
            o is not t and len(o.forms[0]) > len(t.forms[0]) and t.forms[0] in o.forms[0] for o in terms
        )
    ]


def is_action_word(word: str) -> bool:
    """ "更新改造", "新建": what is done, not to what."""
    return word in _ACTION_WORDS


def is_measure_word(word: str) -> bool:
    """ "规模", "多长", "一共": how much is asked, not of what."""
    return word in _MEASURE_WORDS


def is_measure(term: Term) -> bool:
    """A term that says how much is asked ("规模", "scale" → 规模), not of what."""
    return all(form in _MEASURE_WORDS for form in term.forms)


_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万]+")  # “十四五”: a period, named by numbers
_QUOTED = re.compile(r"[“\"]([^“”\"]{2,12})[”\"]")


def coverage(terms: Sequence[Term], folded_text: str) -> float:
    """The weighted share of ``terms`` found in the text (0 when there are no terms)."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    return sum(t.weight for t in terms if t.found_in(folded_text)) / total


def _unique(terms: list[Term]) -> list[Term]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for t in terms:
        if t.forms not in seen:
            seen.add(t.forms)
            out.append(t)
    return out
