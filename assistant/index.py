"""The index: the corpus's chunks (for search) and clauses (for answers) embedded in Chroma.

Embedded under the data directory by default, a Chroma server when configured. Collections
are named by a fingerprint of corpus, chunker and model, and marked complete only at the end,
so a build that dies half-way leaves the previous index as it was.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from assistant.chunking import CHUNKER_VERSION, chunk_paragraphs, split_clauses
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.errors import BackendUnavailable, IndexMissing, IndexStale
from embeddings import get_embeddings
from embeddings.chroma import ChromaEmbeddingFunction

PREFIX = "zhonglou"
BATCH = 32  # texts embedded per progress step

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class IndexInfo:
    """What an index was built from; stored as the chunk collection's metadata."""

    fingerprint: str
    corpus: str
    embeddings: str
    model: str
    chunker: str
    chunk_tokens: int
    chunks: int
    clauses: int
    built_at: str
    complete: bool

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> IndexInfo:
        return cls(**{name: metadata[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ClauseMatrix:
    """Every clause of the corpus with its vector: what the extractive answerer scores."""

    ids: tuple[str, ...]
    texts: tuple[str, ...]
    paragraph_ids: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray  # (n, dim), L2-normalized


def fingerprint(corpus: Corpus, model_identity: str, settings: Settings) -> str:
    parts = (corpus.fingerprint, model_identity, CHUNKER_VERSION, str(settings.chunk_tokens))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def connect(settings: Settings) -> ClientAPI:
    """The Chroma client: a server when ``chroma_host`` is set, else the embedded store."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises bare Exception/ValueError for connection errors
            raise BackendUnavailable(
                f"Cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
                f"({type(exc).__name__}). Start it with `chroma run --path DIR --port "
                f"{settings.chroma_port}` or unset ASSISTANT_CHROMA_HOST to use the embedded store."
            ) from exc
        return client
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class Index:
    """An opened, complete index: its two collections and what built it."""

    def __init__(self, client: ClientAPI, info: IndexInfo, embeddings: Embeddings, spec: str) -> None:
        self.client = client
        self.info = info
        self.embeddings = embeddings
        self._ef = ChromaEmbeddingFunction(embeddings, spec)
        self.chunks: Collection = client.get_collection(
            _name(info.fingerprint, "chunks"), embedding_function=self._ef
        )
        self.clauses: Collection = client.get_collection(
            _name(info.fingerprint, "clauses"), embedding_function=self._ef
        )

    def vector_store(self) -> Chroma:
        """The chunk collection as a LangChain ``VectorStore`` (dense search)."""
        return Chroma(
            client=self.client,
            collection_name=self.chunks.name,
            embedding_function=self.embeddings,
            create_collection_if_not_exists=False,
        )

    @cached_property
    def chunk_records(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of every chunk, in corpus order."""
        got = self.chunks.get(include=["documents", "metadatas"])
        records = list(zip(got["ids"], got["documents"], got["metadatas"], strict=True))
        return sorted(records, key=lambda r: (r[2]["order"], r[0]))

    @cached_property
    def clause_matrix(self) -> ClauseMatrix:
        got = self.clauses.get(include=["documents", "metadatas", "embeddings"])
        order = sorted(range(len(got["ids"])), key=lambda i: got["metadatas"][i]["order"])
        meta = [got["metadatas"][i] for i in order]
        return ClauseMatrix(
            ids=tuple(got["ids"][i] for i in order),
            texts=tuple(got["documents"][i] for i in order),
            paragraph_ids=tuple(str(m["paragraph_id"]) for m in meta),
            spans=tuple((int(m["start"]), int(m["end"])) for m in meta),
            vectors=np.asarray([got["embeddings"][i] for i in order], dtype=np.float32),
        )


def _name(fp: str, part: str) -> str:
    return f"{PREFIX}-{fp[:16]}-{part}"


def _our_collections(client: ClientAPI) -> list[Collection]:
    return [c for c in client.list_collections() if c.name.startswith(PREFIX + "-")]


def _complete_infos(client: ClientAPI) -> list[IndexInfo]:
    infos = []
    for col in _our_collections(client):
        if col.name.endswith("-chunks") and (col.metadata or {}).get("complete"):
            infos.append(IndexInfo.from_metadata(col.metadata))
    return infos


def _stale_reason(old: IndexInfo, corpus: Corpus, identity: str, settings: Settings) -> str:
    if old.corpus != corpus.fingerprint:
        return "the corpus changed"
    if old.model != identity:
        return f"the embedding backend changed ({old.embeddings} → {settings.embeddings})"
    return "the chunking settings changed"


def _lookup(client: ClientAPI, wanted: str) -> tuple[IndexInfo | None, IndexInfo | None]:
    """(the complete index with this fingerprint, the newest complete index of any other)."""
    infos = _complete_infos(client)
    current = next((i for i in infos if i.fingerprint == wanted), None)
    others = [i for i in infos if i.fingerprint != wanted]
    return current, max(others, key=lambda i: i.built_at) if others else None


def index_status(settings: Settings, corpus: Corpus, embeddings: Embeddings) -> tuple[str, IndexInfo | None]:
    """("current" | "stale" | "missing", the index found)."""
    identity = getattr(embeddings, "identity", settings.embeddings)
    current, other = _lookup(connect(settings), fingerprint(corpus, identity, settings))
    if current:
        return "current", current
    return ("stale", other) if other else ("missing", None)


def open_index(
    settings: Settings,
    corpus: Corpus,
    embeddings: Embeddings | None = None,
    *,
    build: bool | None = None,
    progress: Progress | None = None,
) -> Index:
    """The current index, built first when missing or stale if ``build`` (default: auto_ingest)."""
    embeddings = embeddings or get_embeddings(settings.embeddings)
    identity = getattr(embeddings, "identity", settings.embeddings)
    build = settings.auto_ingest if build is None else build
    client = connect(settings)
    current, other = _lookup(client, fingerprint(corpus, identity, settings))
    if current:
        return Index(client, current, embeddings, settings.embeddings)
    if not build:
        if other:
            reason = _stale_reason(other, corpus, identity, settings)
            raise IndexStale(f"索引已过期: {reason}. Run: assistant ingest")
        raise IndexMissing("No index yet (索引不存在). Run: assistant ingest")
    return build_index(settings, corpus, embeddings, progress=progress or TerminalProgress())


def build_index(
    settings: Settings,
    corpus: Corpus,
    embeddings: Embeddings,
    *,
    progress: Progress | None = None,
) -> Index:
    """Embed chunks and clauses into fresh collections, mark them complete, drop older ones."""
    progress = progress or (lambda stage, done, total: None)
    identity = getattr(embeddings, "identity", settings.embeddings)
    fp = fingerprint(corpus, identity, settings)
    client = connect(settings)
    ef = ChromaEmbeddingFunction(embeddings, settings.embeddings)
    for part in ("chunks", "clauses"):
        _delete_if_exists(client, _name(fp, part))  # leftovers of a build that died

    chunks = chunk_paragraphs(corpus.paragraphs, settings.chunk_tokens)
    clause_rows = [
        (f"{p.id}@{a}-{b}", p.text[a:b], {"paragraph_id": p.id, "start": a, "end": b})
        for p in corpus.paragraphs
        for a, b in split_clauses(p.text)
    ]
    chunk_rows = [(c.id, c.text, c.metadata()) for c in chunks]
    info = IndexInfo(
        fingerprint=fp,
        corpus=corpus.fingerprint,
        embeddings=settings.embeddings,
        model=identity,
        chunker=CHUNKER_VERSION,
        chunk_tokens=settings.chunk_tokens,
        chunks=len(chunk_rows),
        clauses=len(clause_rows),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
        complete=False,
    )
    collections = {}
    for part, rows in (("chunks", chunk_rows), ("clauses", clause_rows)):
        col = client.create_collection(
            _name(fp, part),
            embedding_function=ef,
            metadata=asdict(info),
            configuration={"hnsw": {"space": "cosine"}},
        )
        _add_rows(col, rows, embeddings, lambda done, total, p=part: progress(p, done, total))
        collections[part] = col
    done = asdict(info) | {"complete": True}
    collections["clauses"].modify(metadata=done)
    collections["chunks"].modify(metadata=done)  # last: this marks the index usable
    for col in _our_collections(client):
        if not col.name.startswith(_name(fp, "")):
            client.delete_collection(col.name)
    return Index(client, IndexInfo.from_metadata(done), embeddings, settings.embeddings)


def _add_rows(
    collection: Collection,
    rows: Sequence[tuple[str, str, dict[str, Any]]],
    embeddings: Embeddings,
    step: Callable[[int, int], None],
) -> None:
    step(0, len(rows))
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        vectors = embeddings.embed_documents([text for _, text, _ in batch])
        collection.add(
            ids=[i for i, _, _ in batch],
            documents=[text for _, text, _ in batch],
            metadatas=[meta | {"order": start + n} for n, (_, _, meta) in enumerate(batch)],
            embeddings=[np.asarray(v, dtype=np.float32) for v in vectors],
        )
        step(min(start + BATCH, len(rows)), len(rows))


def _delete_if_exists(client: ClientAPI, name: str) -> None:
    if any(c.name == name for c in client.list_collections()):
        client.delete_collection(name)


class TerminalProgress:
    """Progress bars on stderr (tqdm), one per stage; pass an instance as ``progress``."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if done == 0:
            self._bars[stage] = tqdm(total=total, desc=f"Embedding {stage}", unit="text", file=sys.stderr)
        bar = self._bars.get(stage)
        if bar is not None:
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
                del self._bars[stage]
