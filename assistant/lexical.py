"""Lexical search: Okapi BM25 over Chinese text, tokenized as character bigrams or jieba words.

Character bigrams need no dictionary and keep figures whole ("20兆瓦" shares "20", "兆瓦");
the README records which tokenizer measured better on the query table.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z]+|\d+(?:\.\d+)?")
_STOP_BIGRAMS = frozenset({"今年", "多少", "什么", "是否", "哪些", "哪个", "一下", "的是", "计划", "我们"})

Tokenizer = Callable[[str], list[str]]


def _normalize(text: str) -> str:
    """NFKC and lower case, spaces kept: ``fold`` would glue English words into one token."""
    return unicodedata.normalize("NFKC", text).lower()


def bigram_tokens(text: str) -> list[str]:
    """Chinese runs as characters and overlapping bigrams; Latin words and numbers whole."""
    tokens: list[str] = []
    for run in _RUN.findall(_normalize(text)):
        if run[0] >= "\u4e00":
            tokens.extend(run)
            tokens.extend(b for i in range(len(run) - 1) if (b := run[i : i + 2]) not in _STOP_BIGRAMS)
        else:
            tokens.append(run)
    return tokens


def jieba_tokens(text: str) -> list[str]:
    """jieba's search-mode words (sub-words of long words included), punctuation dropped."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [t for t in jieba.lcut_for_search(_normalize(text)) if _RUN.fullmatch(t) or _RUN.match(t)]


TOKENIZERS: dict[str, Tokenizer] = {"bigram": bigram_tokens, "jieba": jieba_tokens}


@dataclass
class BM25:
    """Okapi BM25 (k1=1.5, b=0.75) over a fixed list of texts."""

    texts: Sequence[str]
    tokenize: Tokenizer = bigram_tokens
    k1: float = 1.5
    b: float = 0.75
    _docs: list[Counter[str]] = field(init=False, repr=False)
    _idf: dict[str, float] = field(init=False, repr=False)
    _avg_len: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._docs = [Counter(self.tokenize(t)) for t in self.texts]
        n = len(self._docs)
        df = Counter(term for doc in self._docs for term in doc)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._avg_len = sum(sum(d.values()) for d in self._docs) / max(n, 1)

    def scores(self, query: str) -> list[float]:
        terms = [t for t in self.tokenize(query) if t in self._idf]
        out = []
        for doc in self._docs:
            length = sum(doc.values())
            norm = self.k1 * (1 - self.b + self.b * length / (self._avg_len or 1))
            out.append(
                sum(self._idf[t] * doc[t] * (self.k1 + 1) / (doc[t] + norm) for t in terms if t in doc)
            )
        return out

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(position in ``texts``, score) of the best ``k`` texts with a score above zero."""
        ranked = sorted(enumerate(self.scores(query)), key=lambda p: -p[1])
        return [(i, s) for i, s in ranked[:k] if s > 0]
