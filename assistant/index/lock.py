"""One builder at a time: an exclusive ``flock`` on a lock file beside the generations.

A second builder waits, says so once on stderr, and gives up with ``IndexBusy`` after a bounded
wait. The kernel drops the lock when its holder dies, even by ``kill -9``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import ConfigError, IndexBusy

POLL_S = 0.2


@contextlib.contextmanager
def builder_lock(path: Path, timeout_s: float) -> Iterator[None]:
    """Hold the builders' lock for the ``with`` block; wait at most ``timeout_s`` for it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise ConfigError(
            f"Cannot build the index in {path.parent} ({exc.strerror}): the data directory is read-only "
            "or not ours. An index there can still answer questions; to build one, set "
            "ASSISTANT_DATA_DIR to a writable directory."
        ) from exc
    with handle as f:
        if not _try_lock(f.fileno()):
            holder = _holder(path)
            print(
                f"Another `assistant ingest`{holder} is building the index; "
                f"waiting up to {timeout_s:g} s (ASSISTANT_INDEX_LOCK_TIMEOUT) …",
                file=sys.stderr,
                flush=True,
            )
            deadline = time.monotonic() + timeout_s
            while not _try_lock(f.fileno()):
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"Another `assistant ingest`{holder} is still building the index after "
                        f"{timeout_s:g} s. Wait for it to finish (or stop it), then run: assistant ingest"
                    )
                time.sleep(POLL_S)
        try:
            f.seek(0)
            f.truncate()
            f.write(str(os.getpid()))
            f.flush()
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        pid = path.read_text("utf-8").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
