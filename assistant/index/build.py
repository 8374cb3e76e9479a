"""Open the current generation, or build a new one beside it and switch to it atomically.

A build holds the builders' lock, keeps the vectors of every document whose fingerprint the
current generation already has (so adding a document embeds only that document), writes a new
generation, publishes it, and drops all but the new and the previous one (a running process may
still be reading the previous one until it notices the switch).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace

import numpy as np
from chromadb.api import ClientAPI
from langchain_core.embeddings import Embeddings

from assistant.chunking import CHUNKER_VERSION
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.errors import IndexDamaged, IndexMissing, IndexStale
from assistant.index.info import IndexInfo, document_fingerprint, fingerprint, model_identity
from assistant.index.lock import builder_lock
from assistant.index.opened import Index
from assistant.index.rows import DocumentRows, Row, document_rows, embed_rows
from assistant.index.store import Store, collection_name, new_generation_name, open_store
from embeddings import get_embeddings
from embeddings.chroma import ChromaEmbeddingFunction

Progress = Callable[[str, int, int], None]  # (stage: a document ID, done, total)
WRITE_BATCH = 512  # rows per Chroma add
KEEP = 2  # generations kept: the current one and the one before (still open in running processes)


def _open(store: Store, generation: str, info: IndexInfo, embeddings: Embeddings, spec: str) -> Index:
    index = Index(store, store.client(generation), info, embeddings, spec)
    index.check()
    return index


def _stale_reason(old: IndexInfo, corpus: Corpus, identity: str, settings: Settings) -> str:
    if old.corpus != corpus.fingerprint:
        return "the corpus changed"
    if old.model != identity:
        return f"the embedding backend changed ({old.embeddings} → {settings.embeddings})"
    return "the chunking or vector settings changed"


def index_status(settings: Settings, corpus: Corpus, embeddings: Embeddings) -> tuple[str, IndexInfo | None]:
    """("current" | "stale" | "missing" | "damaged", the current generation's info)."""
    store = open_store(settings)
    try:
        generation = store.current()
        info = store.info(generation) if generation else None
        if info is None:
            return ("damaged", None) if generation else ("missing", None)
        if info.fingerprint != fingerprint(corpus, model_identity(embeddings, settings), settings):
            return "stale", info
        _open(store, generation, info, embeddings, settings.embeddings)  # type: ignore[arg-type]
    except IndexDamaged:
        return "damaged", None
    return "current", info


def open_index(
    settings: Settings,
    corpus: Corpus,
    embeddings: Embeddings | None = None,
    *,
    build: bool | None = None,
    progress: Progress | None = None,
) -> Index:
    """The current generation; built first when missing or stale if ``build`` (default: auto_ingest).

    A damaged generation is reported (``IndexDamaged``), not rebuilt behind a question's back.
    """
    embeddings = embeddings or get_embeddings(settings.embeddings)
    identity = model_identity(embeddings, settings)
    build = settings.auto_ingest if build is None else build
    store = open_store(settings)
    generation = store.current()
    info = store.info(generation) if generation else None
    if generation and info is None:
        raise IndexDamaged(
            f"索引已损坏 (the index generation {generation} has no info). Run: assistant ingest"
        )
    if info and generation and info.fingerprint == fingerprint(corpus, identity, settings):
        return _open(store, generation, info, embeddings, settings.embeddings)
    if not build:
        if info:
            raise IndexStale(
                f"索引已过期: {_stale_reason(info, corpus, identity, settings)}. Run: assistant ingest"
            )
        raise IndexMissing("No index yet (索引不存在). Run: assistant ingest")
    from assistant.index.progress import TerminalProgress

    return build_index(settings, corpus, embeddings, progress=progress or TerminalProgress())


def build_index(
    settings: Settings,
    corpus: Corpus,
    embeddings: Embeddings,
    *,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> Index:
    """Write a new generation for ``corpus`` and switch to it; ``rebuild`` re-embeds every document.

    Without ``rebuild``, an up-to-date current generation (e.g. one another builder just wrote
    while this one waited for the lock) is returned as is.
    """
    progress = progress or (lambda stage, done, total: None)
    identity = model_identity(embeddings, settings)
    wanted = fingerprint(corpus, identity, settings)
    store = open_store(settings)
    with builder_lock(store.lock_path, settings.index_lock_timeout_s):
        previous, source = _current_or_set_aside(store, embeddings, settings)
        if source is not None and source.info.fingerprint == wanted and not rebuild:
            return source
        generation = new_generation_name(wanted)
        for leftover in store.generations():  # builds that died, and all but the newest old one
            if leftover != previous:
                store.discard(leftover)
        documents = {d.id: document_fingerprint(d, identity, settings) for d in corpus.documents}
        reusable = {} if rebuild or source is None else source.info.document_fingerprints()
        client = store.create(generation)
        info = IndexInfo(
            fingerprint=wanted,
            corpus=corpus.fingerprint,
            embeddings=settings.embeddings,
            model=identity,
            chunker=CHUNKER_VERSION,
            chunk_tokens=settings.chunk_tokens,
            chunks=0,
            clauses=0,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
            complete=False,
            generation=generation,
            documents=json.dumps(documents, sort_keys=True),
        )
        info = _write(
            store, client, info, corpus, embeddings, settings, source, reusable, documents, progress
        )
        store.publish(generation, info)
        for old in store.generations():
            if old not in (generation, previous):
                store.discard(old)
        index = Index(store, store.client(generation), info, embeddings, settings.embeddings)
        index.fresh = True
        return index


def _current_or_set_aside(
    store: Store, embeddings: Embeddings, settings: Settings
) -> tuple[str | None, Index | None]:
    """(the current generation, opened) — or (None, None) after moving a damaged one aside."""
    try:
        generation = store.current()
        info = store.info(generation) if generation else None
        if generation and info:
            return generation, _open(store, generation, info, embeddings, settings.embeddings)
        if generation:
            raise IndexDamaged(f"generation {generation} has no info")
    except IndexDamaged:
        generation = store.current() if _pointer_readable(store) else None
        if generation:
            store.set_aside(generation)
    return None, None


def _pointer_readable(store: Store) -> bool:
    try:
        store.current()
    except IndexDamaged:
        return False
    return True


def _write(
    store: Store,
    client: ClientAPI,
    info: IndexInfo,
    corpus: Corpus,
    embeddings: Embeddings,
    settings: Settings,
    source: Index | None,
    reusable: dict[str, str],
    documents: dict[str, str],
    progress: Progress,
) -> IndexInfo:
    """Fill the new generation's collections, document by document, and mark them complete last.

    Only Chroma calls go through the store's guard: a failing embedding model is not a damaged index.
    """
    ef = ChromaEmbeddingFunction(embeddings, settings.embeddings)
    with store.guard(info.generation):
        collections = {
            part: client.create_collection(
                collection_name(info.generation, part),
                embedding_function=ef,
                metadata=asdict(info),
                configuration={"hnsw": {"space": "cosine"}},
            )
            for part in ("chunks", "clauses")
        }
    order = {"chunks": 0, "clauses": 0}
    for document in corpus.documents:
        rows = document_rows(document, settings.chunk_tokens)
        if source is not None and reusable.get(document.id) == documents[document.id]:
            vectors = _copied_vectors(source, rows)
        else:
            vectors = embed_rows(
                rows, embeddings, lambda done, total, d=document.id: progress(d, done, total)
            )
        for part, part_rows in (("chunks", rows.chunks), ("clauses", rows.clauses)):
            with store.guard(info.generation):
                _add(collections[part], part_rows, vectors, order[part])
            order[part] += len(part_rows)
    done = replace(info, chunks=order["chunks"], clauses=order["clauses"], complete=True)
    with store.guard(info.generation):
        collections["clauses"].modify(metadata=asdict(done))
        collections["chunks"].modify(metadata=asdict(done))  # last: on a server, this marks it usable
    return done


def _copied_vectors(source: Index, rows: DocumentRows) -> dict[str, np.ndarray]:
    """The vectors the previous generation holds for these rows (same document fingerprint)."""
    vectors: dict[str, np.ndarray] = {}
    with source.guard():
        for collection, part in ((source.chunks, rows.chunks), (source.clauses, rows.clauses)):
            ids = [r[0] for r in part]
            for start in range(0, len(ids), WRITE_BATCH):
                got = collection.get(ids=ids[start : start + WRITE_BATCH], include=["embeddings"])
                vectors.update(
                    zip(got["ids"], (np.asarray(v, dtype=np.float32) for v in got["embeddings"]), strict=True)
                )
    missing = [i for i in rows.ids if i not in vectors]
    if missing:
        raise IndexDamaged(
            f"索引已损坏 ({len(missing)} rows of {rows.doc_id} are missing). Run: assistant ingest --rebuild"
        )
    return vectors


def _add(collection, rows: tuple[Row, ...], vectors: dict[str, np.ndarray], first: int) -> None:
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        collection.add(
            ids=[r[0] for r in batch],
            documents=[r[1] for r in batch],
            metadatas=[r[2] | {"order": first + start + n} for n, r in enumerate(batch)],
            embeddings=[vectors[r[0]] for r in batch],
        )
