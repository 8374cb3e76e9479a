"""The library: the documents a corpus directory holds, added and removed as whole files.

A document is its ``<id>.txt`` (one paragraph a line) plus its profile in ``manifest.json``.
The corpus reads the files on disk, and a manifest entry whose file is missing counts for
nothing; so a change writes the manifest first and puts the text file in place (or removes it)
last, each by ``os.replace`` of a finished temp file. A crash at any point leaves the library as
it was; the next change drops an entry left without its file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from assistant.corpus import MANIFEST, SUFFIXES, Corpus, load_corpus
from assistant.errors import ConfigError, LibraryConflict
from assistant.profile import DocumentProfile, infer_profile, is_valid_id
from assistant.readers import read_document

LOCK = ".library.lock"


def content_hash(paragraphs: list[str] | tuple[str, ...]) -> str:
    """Same paragraphs, same hash: the plan as .txt, .docx or .pdf is one document."""
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()


@contextmanager
def _locked(corpus_dir: Path) -> Iterator[None]:
    """One change at a time: two adds at once would each write a manifest without the other."""
    with (corpus_dir / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _manifest(corpus_dir: Path) -> dict[str, object]:
    path = corpus_dir / MANIFEST
    if not path.exists():
        return {"documents": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        list(data["documents"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a valid manifest ({exc}): fix or restore it from git.") from exc
    return data


def _write_manifest(
    corpus_dir: Path, data: dict[str, object], entries: list[dict[str, object]], pending: str = ""
) -> None:
    """Write the entries whose file is there (or is about to be: ``pending``)."""
    live = [e for e in entries if e.get("file") == pending or (corpus_dir / str(e.get("file", ""))).is_file()]
    data = {**data, "documents": live}
    _write_atomic(corpus_dir / MANIFEST, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _corpus(corpus_dir: Path) -> Corpus | None:
    if not corpus_dir.is_dir():
        raise ConfigError(f"Corpus directory {corpus_dir} does not exist (ASSISTANT_CORPUS_DIR).")
    if not any(p.suffix in SUFFIXES for p in corpus_dir.iterdir()):
        return None
    return load_corpus(corpus_dir)


def list_documents(corpus_dir: Path) -> tuple[DocumentProfile, ...]:
    """The profiles of the documents held, in manifest order."""
    corpus = _corpus(corpus_dir)
    return tuple(doc.profile for doc in corpus.documents) if corpus else ()


def add_document(
    corpus_dir: Path, path: Path, overrides: Mapping[str, object] | None = None
) -> DocumentProfile:
    """Read ``path``, keep its paragraphs as ``<id>.txt`` and its profile in the manifest."""
    document = read_document(path)
    given = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    profile = infer_profile(document.paragraphs, path.name, given)
    if not is_valid_id(profile.id):
        raise ConfigError(
            f"{profile.id!r} cannot be a document ID: use lower-case letters, digits and hyphens (--id)."
        )
    pages = f", {document.pages} pages" if document.pages else ""
    profile = replace(
        profile,
        file=f"{profile.id}.txt",
        source=str(given.get("source") or f"{path.name} ({document.format}{pages})"),
    )
    digest = content_hash(document.paragraphs)
    with _locked(corpus_dir):
        corpus = _corpus(corpus_dir)
        for doc in corpus.documents if corpus else ():
            if doc.id == profile.id or doc.path.name == profile.file:
                raise LibraryConflict(
                    f"The library already holds {doc.id} ({doc.profile.title}, {doc.path.name}): "
                    f"remove it first (assistant remove {doc.id}) or give this one another --id."
                )
            if content_hash([p.strip() for p in doc.text.splitlines() if p.strip()]) == digest:
                raise LibraryConflict(
                    f"{path.name} has the same text as {doc.id} ({doc.profile.title}), which the library "
                    "already holds: nothing to add."
                )
        data = _manifest(corpus_dir)
        entries = [dict(e) for e in data["documents"] if e.get("id") != profile.id]  # type: ignore[union-attr]
        _write_manifest(corpus_dir, data, [*entries, profile.to_manifest()], pending=profile.file)
        _write_atomic(corpus_dir / profile.file, document.text)  # the document exists from here on
    return profile


def remove_document(corpus_dir: Path, doc_id: str) -> DocumentProfile:
    """Delete a document's text file, then its manifest entry; returns what was removed."""
    with _locked(corpus_dir):
        corpus = _corpus(corpus_dir)
        documents = corpus.documents if corpus else ()
        found = next((doc for doc in documents if doc.id == doc_id.strip()), None)
        if found is None:
            held = ", ".join(doc.id for doc in documents) or "nothing"
            raise LibraryConflict(f"No document {doc_id!r} in the library; it holds: {held}.")
        if len(documents) == 1:
            raise LibraryConflict(f"{doc_id} is the library's only document: add another before removing it.")
        profile = found.profile
        found.path.unlink()  # the document is gone from here on
        data = _manifest(corpus_dir)
        _write_manifest(corpus_dir, data, [dict(e) for e in data["documents"]])  # type: ignore[union-attr]
    return profile
