"""``assistant bench --library DIR``: ingest of a library of reports against the embedding floor.

The floor is one plain ``embed_documents`` pass over every character of the library once (each
paragraph as one text), measured in the same run on the same loaded model; ingest is a fresh
index of the same library. Then one document is removed and added back (incremental ingest),
and warm questions are timed over the library.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.api import Assistant
from assistant.config import REPO_ROOT, Settings, load_settings
from assistant.corpus import MANIFEST, load_corpus
from assistant.errors import ConfigError
from assistant.evaluation.dataset import DEFAULT_DATASET, load_dataset
from assistant.evaluation.report import text_table
from assistant.evaluation.scoring import percentile
from embeddings import get_embeddings

LIBRARY_REPORTS = ("jiangsu", "beijing", "zhejiang", "shandong")  # the shared reports of the issue
PLAN_CORPUS = REPO_ROOT / "corpus"
_YEAR = re.compile(r"(?:19|20)\d\d")


def report_id(path: Path) -> str:
    """``jiangsu-2026-provincial-gov-work-report.txt`` → ``jiangsu2026``."""
    place = path.stem.split("-")[0].lower()
    year = _YEAR.search(path.stem)
    return place + (year.group(0) if year else "")


def make_library(reports: Sequence[Path], target: Path, plan_corpus: Path = PLAN_CORPUS) -> Path:
    """A corpus directory: the plan's corpus (plan, manifest, lexicons) plus ``reports`` (.txt files)."""
    shutil.copytree(plan_corpus, target)
    manifest = json.loads((target / MANIFEST).read_text("utf-8"))
    for path in reports:
        if path.suffix != ".txt":
            raise ConfigError(f"{path} is not a .txt report")
        shutil.copy(path, target / path.name)
        manifest["documents"].append(
            {"file": path.name, "id": report_id(path)}
        )  # the rest read from the text
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return target


def library_reports(directory: Path, names: Sequence[str] = LIBRARY_REPORTS) -> list[Path]:
    found = [p for name in names for p in sorted(directory.glob(f"{name}*.txt"))]
    if not found:
        raise ConfigError(f"No .txt reports named {', '.join(names)} in {directory}.")
    return found


@dataclass(frozen=True)
class LibraryBench:
    documents: int
    characters: int
    floor_s: float
    ingest_s: float
    removed: str
    remove_s: float
    add_s: float
    add_floor_s: float
    queries: int
    ask_p50_ms: float
    ask_p95_ms: float
    clauses: int
    chunks: int

    @property
    def ratio(self) -> float:
        return self.ingest_s / self.floor_s

    @property
    def add_ratio(self) -> float:
        return self.add_s / self.add_floor_s

    def to_dict(self) -> dict[str, object]:
        return asdict(self) | {"ratio": round(self.ratio, 3), "add_ratio": round(self.add_ratio, 3)}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # stdout is the table; this shows the run is alive


def _floor(embeddings: Embeddings, texts: Sequence[str]) -> float:
    started = time.perf_counter()
    embeddings.embed_documents(list(texts))
    return time.perf_counter() - started


def library_benchmark(
    directory: Path,
    queries: int = 60,
    settings: Settings | None = None,
    dataset: Path = DEFAULT_DATASET,
    plan_corpus: Path = PLAN_CORPUS,
) -> LibraryBench:
    settings = settings or load_settings()
    with tempfile.TemporaryDirectory(prefix="assistant-library-bench-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        corpus_dir = make_library(library_reports(directory), root / "corpus", plan_corpus)
        fresh = settings.with_(
            corpus_dir=corpus_dir,
            data_dir=root / "data",
            chroma_host=None,
            auto_ingest=False,
            mode="extractive",
        )
        embeddings = get_embeddings(fresh.embeddings)
        embeddings.embed_query("预热")  # load the model before anything is timed
        corpus = load_corpus(corpus_dir)
        last = corpus.documents[-1]
        floors = {d.id: _floor(embeddings, [p.text for p in d.paragraphs]) for d in corpus.documents}
        _say(f"floor: {sum(floors.values()):.1f} s")

        assistant = Assistant(fresh, embeddings=embeddings)
        started = time.perf_counter()
        assistant.ingest()
        ingest_s = time.perf_counter() - started
        _say(f"ingest: {ingest_s:.1f} s")

        aside = root / last.path.name
        shutil.move(last.path, aside)
        started = time.perf_counter()
        assistant.ingest()
        remove_s = time.perf_counter() - started
        shutil.move(aside, last.path)
        started = time.perf_counter()
        report = assistant.ingest()
        add_s = time.perf_counter() - started
        _say(f"remove {last.id}: {remove_s:.1f} s, add it back: {add_s:.1f} s")

        asked = itertools.islice(itertools.cycle(load_dataset(dataset)), queries + 1)
        questions = [item.question for item in asked]
        assistant.ask(questions[0])  # the first question loads the clause matrix and BM25
        totals = [float(assistant.ask(q).timings["total"]) for q in questions[1:]]
    return LibraryBench(
        documents=len(corpus.documents),
        characters=sum(len(p.text) for p in corpus.paragraphs),
        floor_s=sum(floors.values()),
        ingest_s=ingest_s,
        removed=last.id,
        remove_s=remove_s,
        add_s=add_s,
        add_floor_s=floors[last.id],
        queries=len(totals),
        ask_p50_ms=percentile(totals, 50) or 0.0,
        ask_p95_ms=percentile(totals, 95) or 0.0,
        clauses=report.info.clauses,
        chunks=report.info.chunks,
    )


def library_table(result: LibraryBench, directory: Path) -> str:
    rows = [
        ["floor: embed_documents over each character once", f"{result.floor_s:.1f} s",
         f"{result.characters / result.floor_s:.0f} chars/s"],
        ["ingest of the library (fresh index)", f"{result.ingest_s:.1f} s", f"{result.ratio:.2f}× floor"],
        [f"remove one document ({result.removed})", f"{result.remove_s:.1f} s", "no embedding"],
        [f"add it back ({result.removed})", f"{result.add_s:.1f} s", f"{result.add_ratio:.2f}× its floor"],
        [f"ask p50 / p95 ({result.queries} warm questions)",
         f"{result.ask_p50_ms:.0f} / {result.ask_p95_ms:.0f} ms", ""],
    ]  # fmt: skip
    header = (
        f"Library bench: {result.documents} documents, {result.characters:,} characters "
        f"({result.chunks} chunks, {result.clauses} clauses) from {directory} and the plan"
    )
    return "\n".join([header, "", text_table(["", "time", ""], rows)])
