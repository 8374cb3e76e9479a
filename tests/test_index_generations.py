"""Specification of index generations: builds never break the index that is being read.

Real ``assistant`` processes killed with SIGKILL mid-build, two builders at once, a running
Assistant while another process rebuilds, real truncated and garbage SQLite files, and a
read-only data directory. A small two-document library is built once and copied per test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import REPO_ROOT, Settings
from assistant.index import build_index, open_index, open_store
from assistant.index.lock import builder_lock
from assistant.index.watch import CHECK_INTERVAL_S
from embeddings import IdentifiedEmbeddings, get_embeddings

pytestmark = pytest.mark.slow

CLI = Path(sys.executable).with_name("assistant")
PLAN = "zhonglou-2025-work-plan.txt"
PLAN_LINES = (1, 3)  # the title and the targets: zl2025/p01, zl2025/p02
SECOND_LINES = (5, 6)  # a heading and one long paragraph of the plan, as a second document
QUESTION = "地区生产总值增长多少"
ANSWER = ("zl2025/p02", "5%左右")
PROCESS_TIMEOUT_S = 300


@dataclass(frozen=True)
class Library:
    corpus: Path
    data: Path

    def settings(self, **changes: object) -> Settings:
        return Settings(corpus_dir=self.corpus, data_dir=self.data).with_(**changes)

    def env(self, **extra: str) -> dict[str, str]:
        return (
            os.environ
            | {
                "ASSISTANT_CORPUS_DIR": str(self.corpus),
                "ASSISTANT_DATA_DIR": str(self.data),
                "OMP_WAIT_POLICY": "PASSIVE",
                "PYTHONUNBUFFERED": "1",
            }
            | extra
        )


def write_library(target: Path) -> Path:
    """The plan's title and targets, plus a second document made of two more of its lines."""
    target.mkdir(parents=True)
    lines = (REPO_ROOT / "corpus" / PLAN).read_text("utf-8").splitlines()
    (target / PLAN).write_text("\n".join(lines[n - 1] for n in PLAN_LINES) + "\n", "utf-8")
    (target / "second.txt").write_text("\n".join(lines[n - 1] for n in SECOND_LINES) + "\n", "utf-8")
    shutil.copy(REPO_ROOT / "corpus" / "manifest.json", target / "manifest.json")
    return target


@pytest.fixture(scope="module")
def e5() -> IdentifiedEmbeddings:
    return get_embeddings("e5-small")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, e5: IdentifiedEmbeddings) -> Library:
    root = tmp_path_factory.mktemp("template")
    library = Library(write_library(root / "corpus"), root / "data")
    Assistant(library.settings(), embeddings=e5).ingest()
    return library


def copy_of(template: Library, root: Path) -> Library:
    shutil.copytree(template.corpus, root / "corpus")
    shutil.copytree(template.data, root / "data")
    return Library(root / "corpus", root / "data")


@pytest.fixture
def library(template: Library, tmp_path: Path) -> Library:
    return copy_of(template, tmp_path)


def run(library: Library, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args], env=library.env(**env), capture_output=True, text=True, timeout=PROCESS_TIMEOUT_S
    )


def assert_answers(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["citations"][0]["id"] == ANSWER[0] and ANSWER[1] in answer["text"]


class Watched:
    """A process whose stderr is read as it comes, so a test can act on what it prints."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        while chunk := os.read(self.process.stderr.fileno(), 4096):
            self.stderr += chunk

    def wait_for(self, marker: str, timeout_s: float = PROCESS_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while marker.encode() not in self.stderr:
            assert self.process.poll() is None, f"exited before {marker!r}: {self.stderr.decode()[-500:]}"
            assert time.monotonic() < deadline, f"no {marker!r} within {timeout_s} s"
            time.sleep(0.02)

    def finish(self) -> int:
        code = self.process.wait(timeout=PROCESS_TIMEOUT_S)
        self._reader.join(timeout=10)
        return code


# -- kill -9 ------------------------------------------------------------------------------------

KILL_MOMENTS = (  # (what the builder is doing, the stderr marker to wait for, then a delay)
    ("starting up", "", 1.0),
    ("embedding the first document", "Embedding zl2025", 0.0),
    ("embedding the second document", "Embedding second", 0.3),
)


@pytest.mark.parametrize(("moment", "marker", "delay"), KILL_MOMENTS, ids=[m[0] for m in KILL_MOMENTS])
def test_kill_9_of_a_rebuild_leaves_the_previous_index_usable(
    library: Library, e5: IdentifiedEmbeddings, moment: str, marker: str, delay: float
) -> None:
    store = open_store(library.settings())
    before = store.current()
    builder = Watched([str(CLI), "ingest", "--rebuild"], library.env())
    if marker:
        builder.wait_for(marker)
    time.sleep(delay)
    assert builder.process.poll() is None, f"the build ended before it could be killed {moment}"
    builder.process.send_signal(signal.SIGKILL)
    assert builder.finish() == -signal.SIGKILL

    assert store.current() == before
    assert_answers(run(library, "ask", QUESTION, "--json", ASSISTANT_AUTO_INGEST="false"))
    up_to_date = run(library, "ingest", "--json")
    assert up_to_date.returncode == 0 and json.loads(up_to_date.stdout)["status"] == "up to date"

    leftovers = set(store.generations()) - {before}
    if leftovers:  # the killed build's half-written generation: the next build drops it
        rebuilt = build_index(library.settings(), Assistant(library.settings()).corpus, e5, rebuild=True)
        assert store.generations() == sorted([before, rebuilt.info.generation])


# -- a running process follows ------------------------------------------------------------------


def test_a_running_assistant_answers_before_during_and_after_a_rebuild_by_another_process(
    library: Library, e5: IdentifiedEmbeddings
) -> None:
    running = Assistant(library.settings(auto_ingest=False), embeddings=e5)
    first = running.index.info.generation
    answers = [running.ask(QUESTION)]
    builder = Watched([str(CLI), "ingest", "--rebuild"], library.env())
    during = 0
    while builder.process.poll() is None:
        answers.append(running.ask(QUESTION))
        during += 1
        time.sleep(0.05)
    assert builder.finish() == 0, builder.stderr.decode()[-500:]
    time.sleep(CHECK_INTERVAL_S + 0.1)
    answers.append(running.ask(QUESTION))

    assert during >= 3
    for answer in answers:
        assert answer.citations[0].id == ANSWER[0] and ANSWER[1] in answer.text
    switched = open_store(library.settings()).current()
    assert switched != first and running.index.info.generation == switched


class Counting(IdentifiedEmbeddings):
    """The real model, counting the texts it embeds for documents."""

    def __init__(self, inner: IdentifiedEmbeddings) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def identity(self) -> str:
        return self.inner.identity

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def test_a_running_assistant_sees_a_document_added_and_removed_embedding_only_that_document(
    library: Library, e5: IdentifiedEmbeddings
) -> None:
    counting = Counting(e5)
    running = Assistant(library.settings(auto_ingest=True), embeddings=counting)
    # the new document speaks for 河滨区: a question naming it is scoped to it
    assert running.ask("河滨区新建多少智慧停车泊位").abstained
    clauses_before = running.index.info.clauses

    (library.corpus / "parking.txt").write_text("河滨区停车设施\n新建智慧停车泊位300个。\n", "utf-8")
    time.sleep(CHECK_INTERVAL_S + 0.1)
    added = running.ask("河滨区新建多少智慧停车泊位")
    assert added.citations[0].id == "parking/p02" and "300个" in added.text
    # the index embedded the new document only; what follows is the answerer embedding the
    # subject of the figure it quoted ("新建智慧停车泊位"), not a clause of the index
    assert counting.texts[:2] == ["河滨区停车设施", "新建智慧停车泊位300个。"]
    assert all("300个" not in t and "绿地" not in t for t in counting.texts[2:])
    embedded = len(counting.texts)
    assert running.index.info.clauses == clauses_before + 2

    (library.corpus / "parking.txt").unlink()
    time.sleep(CHECK_INTERVAL_S + 0.1)
    assert running.ask("新建多少智慧停车泊位").abstained
    assert running.index.info.clauses == clauses_before
    assert len(counting.texts) == embedded  # removing embeds nothing
    assert running.ask(QUESTION).citations[0].id == ANSWER[0]


def test_a_build_that_fails_while_adding_a_document_leaves_the_library_as_it_was(
    library: Library, e5: IdentifiedEmbeddings
) -> None:
    class Failing(Counting):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise RuntimeError("simulated crash while embedding the new document")

    settings = library.settings()
    before = open_store(settings).current()
    (library.corpus / "parking.txt").write_text("停车设施\n新建智慧停车泊位300个。\n", "utf-8")
    with pytest.raises(RuntimeError, match="simulated crash"):
        Assistant(settings, embeddings=Failing(e5)).ingest()
    assert open_store(settings).current() == before
    (library.corpus / "parking.txt").unlink()
    assert (
        open_index(settings.with_(auto_ingest=False), Assistant(settings).corpus, e5).info.generation
        == before
    )


# -- one builder at a time ----------------------------------------------------------------------


def test_two_rebuilds_at_once_take_turns_and_both_succeed(library: Library) -> None:
    store = open_store(library.settings())
    with builder_lock(store.lock_path, timeout_s=0):  # both start while a third build holds the lock
        builders = [Watched([str(CLI), "ingest", "--rebuild"], library.env()) for _ in range(2)]
        for builder in builders:
            builder.wait_for("is building the index; waiting up to")
    codes = [b.finish() for b in builders]
    output = b"".join(b.stderr for b in builders)
    assert codes == [0, 0], output.decode()[-800:]
    assert b"Traceback" not in output
    assert output.count(b"Embedding zl2025: 100%") >= 2  # each built, one after the other
    assert len(store.generations()) == 2
    assert_answers(run(library, "ask", QUESTION, "--json", ASSISTANT_AUTO_INGEST="false"))


def test_a_builder_that_waits_too_long_says_so_and_leaves_the_index_alone(library: Library) -> None:
    store = open_store(library.settings())
    before = store.current()
    with builder_lock(store.lock_path, timeout_s=0):
        waited = run(library, "ingest", "--rebuild", ASSISTANT_INDEX_LOCK_TIMEOUT="1")
    assert waited.returncode == 2
    assert "still building the index after 1 s" in waited.stderr and "Traceback" not in waited.stderr
    assert store.current() == before


# -- damaged files ------------------------------------------------------------------------------


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


@pytest.mark.parametrize("damage", [truncate, garbage], ids=["truncated", "garbage"])
def test_a_damaged_index_is_reported_and_ingest_sets_it_aside_and_rebuilds(library: Library, damage) -> None:
    store = open_store(library.settings())
    damaged = store.current()
    assert damaged is not None
    damage(library.data / "index" / "generations" / damaged / "chroma.sqlite3")

    asked = run(library, "ask", QUESTION)
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    assert "damaged" in asked.stderr and "assistant ingest" in asked.stderr

    ingested = run(library, "ingest", "--json")
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["status"] == "built"
    assert [p.name.startswith(damaged) for p in (library.data / "index" / "damaged").iterdir()] == [True]
    assert store.current() not in (None, damaged)
    assert_answers(run(library, "ask", QUESTION, "--json"))


# -- read-only ----------------------------------------------------------------------------------


def _as_unprivileged() -> list[str]:
    """Root ignores permission bits; in a new user namespace (``unshare -U``) it does not."""
    return ["unshare", "-U"] if os.geteuid() == 0 else []


@pytest.fixture
def read_only_library(template: Library) -> Iterator[Library]:
    root = Path(tempfile.mkdtemp(prefix="assistant-ro-"))
    library = copy_of(template, root)
    subprocess.run(["chmod", "-R", "a-w", str(library.data)], check=True)
    try:
        yield library
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(root)], check=True)
        shutil.rmtree(root)


def _tree(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


def test_a_read_only_index_serves_questions_and_is_not_written(read_only_library: Library) -> None:
    library = read_only_library
    prefix = _as_unprivileged()
    probe = subprocess.run([*prefix, "touch", str(library.data / "index" / "probe")], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("cannot make a directory read-only here (root outside a user namespace)")
    before = _tree(library.data)
    asked = subprocess.run(
        [*prefix, str(CLI), "ask", QUESTION, "--json"],
        env=library.env(ASSISTANT_AUTO_INGEST="false"),
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT_S,
    )
    assert_answers(asked)
    rebuild = subprocess.run(
        [*prefix, str(CLI), "ingest", "--rebuild"],
        env=library.env(),
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT_S,
    )
    assert rebuild.returncode == 2 and "read-only" in rebuild.stderr and "Traceback" not in rebuild.stderr
    assert _tree(library.data) == before


def test_build_index_without_rebuild_returns_the_current_generation(
    library: Library, e5: IdentifiedEmbeddings
) -> None:
    settings = library.settings()
    current = open_store(settings).current()
    again = build_index(settings, Assistant(settings).corpus, e5)
    assert again.info.generation == current and not again.fresh
