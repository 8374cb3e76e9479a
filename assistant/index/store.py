"""Where index generations live: directories beside a ``current`` pointer file, or a Chroma server.

A generation is a complete, never-modified index. Builders write a new one and then switch the
pointer in one atomic step (a file renamed over the old one, or one metadata update on the
server), so a reader sees the old generation or the new one, never half of either.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings

from assistant.config import Settings
from assistant.errors import AssistantError, BackendUnavailable, IndexDamaged
from assistant.index.info import IndexInfo

PREFIX = "zhonglou"
POINTER = "current"
INFO = "info.json"

_PRIVATE_COPIES: dict[Path, Path] = {}  # read-only generation → its copy, once per process


def collection_name(generation: str, part: str) -> str:
    return f"{PREFIX}-{generation}-{part}"


def new_generation_name(fingerprint: str) -> str:
    """Fingerprint, time, process and a random tag: unique even for two builds in one second.

    Never reused: Chroma caches an opened store per path for the life of the process.
    """
    return f"{fingerprint[:12]}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _server_message(settings: Settings, exc: BaseException) -> str:
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    if isinstance(exc, httpx.TimeoutException):
        return (
            f"The Chroma server at {where} did not answer within {settings.chroma_timeout_s:g} s "
            "(ASSISTANT_CHROMA_TIMEOUT). Check that it is running and not overloaded."
        )
    return (
        f"Cannot reach the Chroma server at {where} ({type(exc).__name__}). Start it with "
        f"`chroma run --path DIR --port {settings.chroma_port}` or unset ASSISTANT_CHROMA_HOST "
        "to use the embedded store."
    )


def damaged_message(where: object, exc: BaseException | None = None) -> str:
    cause = f" ({type(exc).__name__}: {str(exc)[:120]})" if exc is not None else ""
    return f"索引已损坏 (the index is damaged: {where}{cause}). Run: assistant ingest"


class Store(Protocol):
    """The generations of one data directory or server, and the pointer to the current one."""

    def current(self) -> str | None: ...
    def info(self, generation: str) -> IndexInfo | None: ...
    def client(self, generation: str) -> ClientAPI: ...
    def create(self, generation: str) -> ClientAPI: ...
    def publish(self, generation: str, info: IndexInfo) -> None: ...
    def generations(self) -> list[str]: ...
    def discard(self, generation: str) -> None: ...
    def set_aside(self, generation: str) -> None: ...
    def signature(self) -> object: ...
    def guard(self, generation: str) -> contextlib.AbstractContextManager[None]: ...

    @property
    def lock_path(self) -> Path: ...


class LocalStore:
    """``<data>/index/``: ``current`` (a generation's name), ``generations/<name>/``, ``damaged/``, ``lock``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "index"

    @property
    def lock_path(self) -> Path:
        return self.root / "lock"

    def _dir(self, generation: str) -> Path:
        return self.root / "generations" / generation

    def current(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise IndexDamaged(damaged_message(self.root / POINTER, exc)) from exc
        return name or None

    def info(self, generation: str) -> IndexInfo | None:
        path = self._dir(generation) / INFO
        try:
            return IndexInfo.from_metadata(json.loads(path.read_text("utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            raise IndexDamaged(damaged_message(path, exc)) from exc

    def client(self, generation: str) -> ClientAPI:
        """Open a generation for reading; from a private copy when its directory is read-only.

        Chroma opens its SQLite file for writing, which fails on a read-only volume, and root
        ignores permission bits; a copy in a temp directory is read instead (once per process).
        """
        path = self._dir(generation)
        if not path.is_dir():
            raise IndexDamaged(damaged_message(path, FileNotFoundError("no such directory")))
        if not _writable(path):
            path = _private_copy(path)
        with self.guard(generation):
            return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())

    def create(self, generation: str) -> ClientAPI:
        path = self._dir(generation)
        path.mkdir(parents=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())

    def publish(self, generation: str, info: IndexInfo) -> None:
        """Write the generation's info, then point ``current`` at it (fsync, then one rename)."""
        _write_atomically(self._dir(generation) / INFO, json.dumps(info.__dict__, ensure_ascii=False))
        _write_atomically(self.root / POINTER, generation + "\n")

    def generations(self) -> list[str]:
        folder = self.root / "generations"
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []

    def discard(self, generation: str) -> None:
        shutil.rmtree(self._dir(generation), ignore_errors=True)

    def set_aside(self, generation: str) -> None:
        """Move a damaged generation to ``damaged/`` (kept for a post-mortem, never read again)."""
        target = self.root / "damaged" / f"{generation}-{time.strftime('%Y%m%dT%H%M%S')}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if self._dir(generation).exists():
            os.replace(self._dir(generation), target)
        if self.current() == generation:
            (self.root / POINTER).unlink()

    def signature(self) -> object:
        """Changes whenever the pointer is replaced: a stat, no read."""
        try:
            st = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @contextlib.contextmanager
    def guard(self, generation: str) -> Iterator[None]:
        """Chroma's errors on a broken store (assorted types: SQLite, Rust, ValueError) → IndexDamaged."""
        try:
            yield
        except AssistantError:
            raise
        except Exception as exc:
            raise IndexDamaged(damaged_message(self._dir(generation), exc)) from exc


def _private_copy(source: Path) -> Path:
    if source not in _PRIVATE_COPIES:
        target = Path(tempfile.mkdtemp(prefix="assistant-index-ro-")) / source.name
        shutil.copytree(source, target, copy_function=shutil.copyfile)
        for path in (target, *target.rglob("*")):  # copytree kept the read-only modes of directories
            path.chmod(path.stat().st_mode | 0o200)
        atexit.register(shutil.rmtree, target.parent, True)
        _PRIVATE_COPIES[source] = target
    return _PRIVATE_COPIES[source]


def _writable(path: Path) -> bool:
    sqlite = path / "chroma.sqlite3"
    read_only_fs = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    return (
        not read_only_fs and os.access(path, os.W_OK) and (not sqlite.exists() or os.access(sqlite, os.W_OK))
    )


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ServerStore:
    """Generations as collections of one Chroma server; the pointer is a small collection's metadata.

    Every call has a timeout (``chroma_timeout_s``); builders are serialized by a lock file in the
    local data directory, so two builders on one machine wait for each other.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client = connect(settings)

    @property
    def lock_path(self) -> Path:
        return (
            self.settings.data_dir / "index" / f"lock-{self.settings.chroma_host}-{self.settings.chroma_port}"
        )

    def _pointer(self):  # the pointer collection, or None before the first build
        with self.guard(""):
            found = [c for c in self._client.list_collections() if c.name == f"{PREFIX}-{POINTER}"]
        return found[0] if found else None

    def current(self) -> str | None:
        pointer = self._pointer()
        return str((pointer.metadata or {}).get("generation") or "") or None if pointer else None

    def info(self, generation: str) -> IndexInfo | None:
        with self.guard(generation):
            names = {c.name: c for c in self._client.list_collections()}
        chunks = names.get(collection_name(generation, "chunks"))
        if chunks is None or not (chunks.metadata or {}).get("complete"):
            return None
        return IndexInfo.from_metadata(dict(chunks.metadata))

    def client(self, generation: str) -> ClientAPI:
        return self._client

    def create(self, generation: str) -> ClientAPI:
        return self._client

    def publish(self, generation: str, info: IndexInfo) -> None:
        with self.guard(generation):
            pointer = self._client.get_or_create_collection(
                f"{PREFIX}-{POINTER}", metadata={"generation": generation}, embedding_function=None
            )
            pointer.modify(metadata={"generation": generation})

    def generations(self) -> list[str]:
        with self.guard(""):
            names = [c.name for c in self._client.list_collections()]
        suffix = "-chunks"
        return sorted(
            n[len(PREFIX) + 1 : -len(suffix)]
            for n in names
            if n.startswith(PREFIX + "-") and n.endswith(suffix)
        )

    def discard(self, generation: str) -> None:
        with self.guard(generation):
            existing = {c.name for c in self._client.list_collections()}
            for part in ("chunks", "clauses"):
                if collection_name(generation, part) in existing:
                    self._client.delete_collection(collection_name(generation, part))

    def set_aside(self, generation: str) -> None:
        self.discard(generation)

    def signature(self) -> object:
        return self.current()

    @contextlib.contextmanager
    def guard(self, generation: str) -> Iterator[None]:
        """Timeouts, refused connections and server errors → BackendUnavailable with host and port."""
        try:
            yield
        except AssistantError:
            raise
        except Exception as exc:  # httpx errors, and chromadb's bare Exception/ValueError
            raise BackendUnavailable(_server_message(self.settings, exc)) from exc


def connect(settings: Settings) -> ClientAPI:
    """The Chroma server's client, every request bounded by ``chroma_timeout_s``.

    chromadb's client makes a request while it is constructed, before a timeout can be set on
    it, so a bounded heartbeat goes first: a frozen server fails here, within the timeout.
    """
    if not settings.chroma_host:
        raise BackendUnavailable("No Chroma server configured (ASSISTANT_CHROMA_HOST).")
    url = f"http://{settings.chroma_host}:{settings.chroma_port}/api/v2/heartbeat"
    try:
        httpx.get(url, timeout=settings.chroma_timeout_s).raise_for_status()
        client = chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings()
        )
        _set_timeout(client, settings.chroma_timeout_s)
        client.heartbeat()
    except AssistantError:
        raise
    except Exception as exc:  # httpx errors, and chromadb's bare Exception/ValueError
        raise BackendUnavailable(_server_message(settings, exc)) from exc
    return client


def _set_timeout(client: ClientAPI, seconds: float) -> None:
    """chromadb's HTTP client is built with ``timeout=None`` and offers no setting: set it on its session."""
    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        raise BackendUnavailable(
            "This chromadb version hides its HTTP session, so calls cannot be bounded; pin chromadb==1.5.*"
        )
    session.timeout = httpx.Timeout(seconds)


def open_store(settings: Settings) -> Store:
    return ServerStore(settings) if settings.chroma_host else LocalStore(settings.data_dir)
