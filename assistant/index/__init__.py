"""The index: the corpus's chunks (for search) and clauses (for answers) embedded in Chroma.

Generations under the data directory (or on a Chroma server): a build writes a new one beside
the current one and switches a pointer atomically, one builder at a time, so a build that dies
at any moment leaves the previous index usable. Modules: info (fingerprints), rows (what gets
embedded), store (where generations live), lock, build (open/build), opened (Index), watch.
"""

from __future__ import annotations

from assistant.index.build import Progress, build_index, index_status, open_index
from assistant.index.info import IndexInfo, fingerprint
from assistant.index.opened import ClauseMatrix, Index
from assistant.index.progress import TerminalProgress
from assistant.index.store import PREFIX, connect, open_store
from assistant.index.watch import IndexWatch

__all__ = [
    "PREFIX",
    "ClauseMatrix",
    "Index",
    "IndexInfo",
    "IndexWatch",
    "Progress",
    "TerminalProgress",
    "build_index",
    "connect",
    "fingerprint",
    "index_status",
    "open_index",
    "open_store",
]
