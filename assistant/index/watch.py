"""Notice, cheaply, that another process switched the index or that the corpus changed on disk.

A few ``stat`` calls (the pointer file, the corpus directory and its files), at most once per
interval; on a Chroma server, one small request instead of the pointer's stat.
"""

from __future__ import annotations

import os
import time

from assistant.config import Settings
from assistant.index.store import Store, open_store

CHECK_INTERVAL_S = 0.5  # a running page sees a rebuild or a corpus edit within half a second


class IndexWatch:
    """``changed()`` is true once after each switch of the index or change of the corpus files."""

    def __init__(self, settings: Settings, interval_s: float = CHECK_INTERVAL_S) -> None:
        self.settings = settings
        self.interval_s = interval_s
        self._store: Store | None = None
        self._seen: object = None
        self._next = 0.0

    def mark(self) -> None:
        """Remember the state now (call just before opening the index)."""
        self._seen = self._signature()
        self._next = time.monotonic() + self.interval_s

    def changed(self) -> bool:
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + self.interval_s
        seen = self._signature()
        if seen == self._seen:
            return False
        self._seen = seen
        return True

    def _signature(self) -> object:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store.signature(), _corpus_signature(self.settings)


def _corpus_signature(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    folder = settings.corpus_dir
    try:
        entries = [(e.name, e.stat()) for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return ()
    return tuple(sorted((name, st.st_mtime_ns, st.st_size) for name, st in entries))
