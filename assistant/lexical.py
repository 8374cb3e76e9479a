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

import numpy as np

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
    _idf: dict[str, float] = field(init=False, repr=False)
    _avg_len: float = field(init=False, repr=False)
    _postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(init=False, repr=False)
    _norms: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        docs = [Counter(self.tokenize(t)) for t in self.texts]
        n = len(docs)
        df = Counter(term for doc in docs for term in doc)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        lengths = [sum(d.values()) for d in docs]
        self._avg_len = sum(lengths) / max(n, 1)
        # Per term, the texts holding it and how often: a query touches only its terms' texts.
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for pos, doc in enumerate(docs):
            for term, tf in doc.items():
                where, counts = postings.setdefault(term, ([], []))
                where.append(pos)
                counts.append(tf)
        self._postings = {
            t: (np.array(where, dtype=np.intp), np.array(counts, dtype=np.float64))
            for t, (where, counts) in postings.items()
        }
        self._norms = self.k1 * (
            1 - self.b + self.b * np.array(lengths, dtype=np.float64) / (self._avg_len or 1)
        )

    def _score_array(self, query: str) -> np.ndarray:
        # Term by term in the query's order, in the same float operations as the formula
        # idf·tf·(k1+1)/(tf+norm) summed per text: the scores are the same to the last bit.
        out = np.zeros(len(self.texts), dtype=np.float64)
        for t in self.tokenize(query):
            if t in self._postings:
                where, tf = self._postings[t]
                out[where] += self._idf[t] * tf * (self.k1 + 1) / (tf + self._norms[where])
        return out

    def scores(self, query: str) -> list[float]:
        return self._score_array(query).tolist()

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(position in ``texts``, score) of the best ``k`` texts with a score above zero."""
        scores = self._score_array(query)
        ranked = np.argsort(-scores, kind="stable")[:k]  # ties in text order, as a stable sort keeps them
        return [(int(i), float(scores[i])) for i in ranked if scores[i] > 0]
