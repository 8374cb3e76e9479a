"""English around a Chinese plan: the term lexicon for English questions, figures in English.

The lexicon (corpus/lexicon.en-zh.tsv) is terminology taken from the plan, not answers; it
adds the plan's own words to an English question so lexical matching can work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from assistant.figures import MAGNITUDES_EN, QUALIFIERS_EN, UNITS_EN, Figure

LEXICON_FILE = "lexicon.en-zh.tsv"
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def _stem(word: str) -> str:
    """A crude English stem: enough to match "parks" to "park" and "companies" to "company"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> tuple[str, ...]:
    """Stemmed words; a hyphen joins nothing ("urban-village" is "urban village", in the lexicon too)."""
    return tuple(_stem(w) for w in _WORD.findall(text.lower().replace("-", " ")))


@dataclass(frozen=True)
class Lexicon:
    """English phrases → the plan's Chinese terms; longest phrase wins."""

    entries: dict[tuple[str, ...], tuple[str, ...]]

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, corpus_dir: Path) -> Lexicon:
        path = corpus_dir / LEXICON_FILE
        entries: dict[tuple[str, ...], tuple[str, ...]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines()[1:]:
                english, _, chinese = line.partition("\t")
                key = _words(english)
                if key and chinese.strip():
                    terms = tuple(t.strip() for t in chinese.split("|") if t.strip())
                    entries[key] = tuple(dict.fromkeys(entries.get(key, ()) + terms))
        return cls(entries)

    @cached_property
    def _longest(self) -> int:
        return max((len(k) for k in self.entries), default=0)

    def _matches(self, text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(English phrase, plan terms) for each phrase found, greedy longest match first."""
        words = _words(text)
        found = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                hit = self.entries.get(words[i : i + n])
                if hit:
                    found.append((words[i : i + n], hit))
                    i += n
                    break
            else:
                i += 1
        return found

    def translate_terms(self, text: str) -> list[str]:
        """Chinese plan terms for the English phrases in ``text``."""
        return list(dict.fromkeys(t for _, terms in self._matches(text) for t in terms))

    def translate_phrases(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each English phrase in ``text`` with its plan terms: "new" → (新增, 新建) is one concept."""
        return list(dict.fromkeys((" ".join(words), terms) for words, terms in self._matches(text)))

    @cached_property
    def _english_of(self) -> list[tuple[str, str]]:
        """(plan term, English phrase), longest term first, for naming a subject in English."""
        pairs: dict[str, str] = {}
        for words, terms in self.entries.items():
            for term in terms:
                pairs.setdefault(term, " ".join(words))
        return sorted(pairs.items(), key=lambda kv: -len(kv[0]))

    def english_for(self, chinese: str) -> str:
        """The English of the longest plan term inside ``chinese`` ("屋顶光伏装机容量" → "rooftop solar…")."""
        return next((english for term, english in self._english_of if len(term) >= 2 and term in chinese), "")

    def expand(self, query: str) -> str:
        """An English query with the plan's Chinese terms appended, for search and scoring."""
        return f"{query} {' '.join(self.translate_terms(query))}".strip()


_CN_MAGNITUDE = {
    "百亿": "ten billion",
    "千亿": "a hundred billion",
    "万亿": "a trillion",
    "百万": "a million",
    "千万": "ten million",
}


def figure_in_english(figure: Figure) -> str:
    """ "20兆瓦以上" → "20 MW or more"; "超500家" → "over 500 companies"; "2-3个" → "2–3"."""
    if figure.number in ("百", "千", "万") or (figure.unit == "亿" and not figure.value):
        amount = _CN_MAGNITUDE.get(figure.number + figure.unit, figure.number + figure.unit)
        core = f"{amount} yuan"
    else:
        number = figure.number.replace("-", "–").replace(" ", "")
        base, magnitude = figure.unit, ""
        if base not in UNITS_EN:
            magnitude = next(
                (m for m in MAGNITUDES_EN if base.startswith(m) and base[len(m) :] in UNITS_EN), ""
            )
            base = base[len(magnitude) :]
        singular, plural = UNITS_EN.get(base, ("", ""))
        unit = singular if figure.value == 1 and "–" not in number and not magnitude else plural
        if magnitude:
            unit = f"{MAGNITUDES_EN[magnitude]} {unit}".strip()
        if figure.unit == "位数":
            core = f"{number}-digit"
        elif figure.unit in ("%",):
            core = f"{number}%"
        elif figure.unit == "名":
            core = f"{number}"
        else:
            core = f"{number} {unit}".strip()
    qualifier = QUALIFIERS_EN.get(figure.qualifier, "")
    if qualifier in ("or more", "at most"):
        return f"{core} {qualifier}"
    return f"{qualifier} {core}".strip()
