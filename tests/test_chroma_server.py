"""Specification of the Chroma server path: a real ``chroma run`` holds the index instead of the data dir.

The server is started for this module and killed at the end; an unreachable server is a clear error.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.api import Assistant
from assistant.config import REPO_ROOT, Settings
from assistant.errors import BackendUnavailable
from assistant.index import PREFIX, connect
from assistant.index.store import collection_name
from assistant.library import add_document
from embeddings import IdentifiedEmbeddings

CHROMA = Path(sys.executable).with_name("chroma")
STARTUP_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_heartbeat(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            client = chromadb.HttpClient(
                host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
            )
            client.heartbeat()
            return
        except Exception:  # chromadb raises plain exceptions while the server is still starting
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class SessionVectors(IdentifiedEmbeddings):
    """Real e5 vectors: those the session index already computed, the model for any other text.

    Saves re-embedding the whole plan (the slowest step, and not what this module tests).
    """

    def __init__(self, assistant: Assistant) -> None:
        self.model = assistant.embeddings
        self.known: dict[str, list[float]] = {}
        for collection in (assistant.index.chunks, assistant.index.clauses):
            got = collection.get(include=["documents", "embeddings"])
            self.known.update(zip(got["documents"], (list(v) for v in got["embeddings"]), strict=True))
        self.computed = 0

    @property
    def identity(self) -> str:
        return self.model.identity

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.model.embed_documents(missing), strict=True))
            self.computed += len(missing)
        return [self.known[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def start_server(storage: Path) -> tuple[int, subprocess.Popen[bytes]]:
    port = free_port()
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(storage), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_heartbeat(port, server)
    return port, server


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGCONT)  # a frozen server cannot act on SIGTERM
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """(port, storage path) of a real Chroma server, killed when the module is done."""
    storage = tmp_path_factory.mktemp("chroma-server")
    port, server = start_server(storage)
    try:
        yield port, storage
    finally:
        stop_server(server)


@pytest.mark.server
@pytest.mark.slow
def test_the_index_lives_on_the_server_and_answers_searches(
    chroma_server: tuple[int, Path], tmp_path: Path, assistant: Assistant
) -> None:
    port, storage = chroma_server
    settings = Settings(chroma_host="127.0.0.1", chroma_port=port, data_dir=tmp_path / "data")
    builder = Assistant(settings, embeddings=SessionVectors(assistant))

    first = builder.ingest()
    assert first.status == "built"
    assert first.info.model == assistant.index.info.model
    assert first.info.fingerprint == assistant.index.info.fingerprint  # same corpus, model, chunker
    names = {c.name for c in connect(settings).list_collections()}
    generation = first.info.generation
    assert {collection_name(generation, part) for part in ("chunks", "clauses")} | {
        f"{PREFIX}-current"
    } == names
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to the embedded store
    assert any(storage.iterdir())

    docs = Assistant(settings).search("What is the target for rooftop solar?")
    assert docs[0].metadata["paragraph_id"] == "zl2025/p10"
    assert "屋顶光伏装机容量20兆瓦以上" in docs[0].page_content

    second = Assistant(settings).ingest()
    assert second.status == "up to date"
    assert second.info == first.info


@pytest.mark.server
@pytest.mark.slow
def test_a_library_lives_on_the_server_and_adding_a_document_embeds_only_it(
    chroma_server: tuple[int, Path], tmp_path: Path, assistant: Assistant, corpus_copy: Path
) -> None:
    port, _ = chroma_server
    settings = Settings(
        corpus_dir=corpus_copy, chroma_host="127.0.0.1", chroma_port=port, data_dir=tmp_path / "data"
    )
    vectors = SessionVectors(assistant)
    Assistant(settings, embeddings=vectors).ingest()
    report = tmp_path / "riverside.txt"
    report.write_text(
        "2026年河滨区政府工作报告\n今年主要目标是：地区生产总值增长6%左右。\n今年新增绿地25公顷，新建口袋公园9个。\n",
        encoding="utf-8",
    )
    add_document(corpus_copy, report, {"id": "riverside2026", "place": "河滨区", "year": 2026})
    vectors.computed = 0

    added = Assistant(settings, embeddings=vectors).ingest()
    assert added.status == "built"
    assert 0 < vectors.computed <= 12  # the new report's chunks and clauses only, not the plan's
    library = Assistant(settings, embeddings=vectors)
    theirs = library.ask("河滨区今年新增多少绿地?")
    assert "25公顷" in theirs.text and {c.id.split("/")[0] for c in theirs.citations} == {"riverside2026"}
    ours = library.ask("今年新增多少绿地?")
    assert "10公顷" in ours.text and {c.id.split("/")[0] for c in ours.citations} == {"zl2025"}


def test_an_unreachable_server_names_host_port_and_the_fix(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    settings = Settings(chroma_host="127.0.0.1", chroma_port=port, data_dir=tmp_path)
    with pytest.raises(BackendUnavailable) as caught:
        connect(settings)
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "chroma run" in message
    with pytest.raises(BackendUnavailable, match=f"127.0.0.1:{port}"):
        Assistant(settings).search("今年新增多少绿地")


TIMEOUT_S = 1.0  # ASSISTANT_CHROMA_TIMEOUT in the frozen-server test
QUESTION = "地区生产总值增长多少"


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A Chroma server this test may freeze (SIGSTOP) and kill."""
    port, server = start_server(tmp_path / "storage")
    try:
        yield port, server
    finally:
        stop_server(server)


def small_corpus(target: Path) -> Path:
    shutil.copytree(REPO_ROOT / "corpus", target)
    plan = target / "zhonglou-2025-work-plan.txt"
    lines = plan.read_text("utf-8").splitlines()
    plan.write_text(f"{lines[0]}\n{lines[2]}\n", "utf-8")
    return target


def timed_failure(assistant: Assistant) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as caught:
        assistant.ask(QUESTION)
    return time.monotonic() - started, str(caught.value)


@pytest.mark.server
@pytest.mark.slow
def test_a_frozen_server_fails_a_question_within_the_timeout_and_a_killed_one_says_so(
    own_server: tuple[int, subprocess.Popen[bytes]], tmp_path: Path, assistant: Assistant
) -> None:
    port, server = own_server
    settings = Settings(
        chroma_host="127.0.0.1",
        chroma_port=port,
        chroma_timeout_s=TIMEOUT_S,
        corpus_dir=small_corpus(tmp_path / "corpus"),
        data_dir=tmp_path / "data",
    )
    running = Assistant(settings, embeddings=assistant.embeddings)
    assert running.ingest().status == "built"
    assert running.ask(QUESTION).citations[0].id == "zl2025/p02"

    server.send_signal(signal.SIGSTOP)
    time.sleep(0.6)  # past the index watch's interval, so the question also checks the pointer
    for asker in (running, Assistant(settings, embeddings=assistant.embeddings)):
        elapsed, message = timed_failure(asker)
        assert elapsed < 3 * TIMEOUT_S + 1, f"took {elapsed:.1f} s"
        assert f"127.0.0.1:{port}" in message and "did not answer within 1 s" in message

    server.send_signal(signal.SIGCONT)
    assert running.ask(QUESTION).citations[0].id == "zl2025/p02"

    server.kill()
    server.wait(timeout=10)
    time.sleep(0.6)
    for asker in (running, Assistant(settings, embeddings=assistant.embeddings)):
        elapsed, message = timed_failure(asker)
        assert elapsed < 3 * TIMEOUT_S + 1
        assert f"127.0.0.1:{port}" in message and "chroma run" in message
        assert "httpx" not in message
