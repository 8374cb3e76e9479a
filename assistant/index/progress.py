"""Progress bars for a build: one per document being embedded, on stderr."""

from __future__ import annotations

import sys
from typing import Any


class TerminalProgress:
    """Progress bars on stderr (tqdm), one per stage (a document ID); pass an instance as ``progress``."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if done == 0:
            self._bars[stage] = tqdm(total=total, desc=f"Embedding {stage}", unit="clause", file=sys.stderr)
        bar = self._bars.get(stage)
        if bar is not None:
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
                del self._bars[stage]
