"""The benchmark: ingest time, cold start, warm latency per stage and memory, ours vs the baseline.

All in one process, on a fresh index in a temp directory; the embedding model is loaded once
first and shared, so its load time is reported on its own line rather than charged to either.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

import psutil

from assistant.answer.result import Answer
from assistant.api import Assistant
from assistant.config import Settings, load_settings
from assistant.errors import ConfigError
from assistant.evaluation.baseline import BaselineRAG
from assistant.evaluation.dataset import DEFAULT_DATASET, load_dataset
from assistant.evaluation.report import text_table
from assistant.evaluation.scoring import percentile
from embeddings import get_embeddings

MB = 1024 * 1024
RSS_SAMPLE_S = 0.01  # how often the RSS high-water mark is sampled
HEAP_QUERIES = 5  # questions asked under tracemalloc (slow), after the timed ones
STAGES = ("retrieve", "answer", "total")  # keys of Answer.timings, in ms


class RssPeak:
    """The process's resident-set high-water mark over a ``with`` block, sampled in a thread."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._stop = threading.Event()
        self.start_bytes = self.peak_bytes = self._process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(RSS_SAMPLE_S):
            self.peak_bytes = max(self.peak_bytes, self._process.memory_info().rss)

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._process.memory_info().rss)


def heap_peak_mb(work: Callable[[], object]) -> float:
    """Peak Python-heap allocation (tracemalloc) while ``work`` runs; native buffers are not seen."""
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MB


@dataclass(frozen=True)
class SystemBench:
    """One system's numbers; latencies are warm samples in ms, per stage."""

    name: str
    ingest_s: float
    cold_start_s: float
    latency_ms: dict[str, tuple[float, ...]]
    peak_rss_mb: float
    rss_growth_mb: float
    heap_peak_mb: float

    def p(self, stage: str, q: float) -> float | None:
        return percentile(self.latency_ms.get(stage, ()), q)


@dataclass(frozen=True)
class BenchResult:
    queries: int
    model_load_s: float
    ours: SystemBench
    baseline: SystemBench
    notes: tuple[str, ...]

    def rows(self) -> list[tuple[str, float | None, float | None]]:
        """(label, ours, baseline) for every line of the table."""
        o, b = self.ours, self.baseline
        rows: list[tuple[str, float | None, float | None]] = [
            ("ingest (s)", o.ingest_s, b.ingest_s),
            ("cold start to first answer (s)", o.cold_start_s, b.cold_start_s),
        ]
        for stage in STAGES:
            for q in (50, 95):
                rows.append((f"{stage} p{q} (ms)", o.p(stage, q), b.p(stage, q)))
        rows += [
            ("peak RSS (MB)", o.peak_rss_mb, b.peak_rss_mb),
            ("RSS growth (MB)", o.rss_growth_mb, b.rss_growth_mb),
            ("python heap peak per ask (MB)", o.heap_peak_mb, b.heap_peak_mb),
        ]
        return rows

    def to_dict(self) -> dict[str, object]:
        return {
            "queries": self.queries,
            "model_load_s": round(self.model_load_s, 3),
            "table": [
                {"metric": label, "ours": _round(o), "baseline": _round(b), "ratio": _round(_ratio(o, b))}
                for label, o, b in self.rows()
            ],
            "systems": {s.name: asdict(s) for s in (self.ours, self.baseline)},
            "notes": list(self.notes),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _ratio(ours: float | None, baseline: float | None) -> float | None:
    return ours / baseline if ours is not None and baseline else None


def bench_table(result: BenchResult) -> str:
    rows = [["embedding model load (s, shared)", f"{result.model_load_s:.2f}", "", ""]]
    for label, o, b in result.rows():
        ratio = _ratio(o, b)
        rows.append(
            [
                label,
                "–" if o is None else f"{o:.2f}",
                "–" if b is None else f"{b:.2f}",
                "–" if ratio is None else f"{ratio:.2f}×",
            ]
        )
    header = f"Benchmark: {result.queries} warm questions per system, one process"
    table = text_table(["", "ours", "baseline", "ours/baseline"], rows)
    return "\n".join([header, "", table, "", *(f"note: {n}" for n in result.notes)])


class _Asker(Protocol):
    def ask(self, question: str) -> Answer: ...


S = TypeVar("S", bound=_Asker)


def _warm(system: _Asker, questions: Sequence[str]) -> dict[str, tuple[float, ...]]:
    samples: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for q in questions:
        timings = system.ask(q).timings
        for stage in STAGES:
            if stage in timings:
                samples[stage].append(float(timings[stage]))
    return {stage: tuple(v) for stage, v in samples.items()}


def _measure(
    name: str, ingest: Callable[[], object], start: Callable[[], S], questions: Sequence[str]
) -> tuple[SystemBench, S]:
    """ingest(); then start() and a first answer (the cold start); then the timed and heap passes."""
    first, timed, heap_questions = questions[0], questions[1:-HEAP_QUERIES], questions[-HEAP_QUERIES:]
    with RssPeak() as mem:
        t = time.perf_counter()
        ingest()
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        system = start()
        system.ask(first)
        cold_s = time.perf_counter() - t
        latency = _warm(system, timed)
    heap = heap_peak_mb(lambda: [system.ask(q) for q in heap_questions])
    growth = (mem.peak_bytes - mem.start_bytes) / MB
    return SystemBench(name, ingest_s, cold_s, latency, mem.peak_bytes / MB, growth, heap), system


def benchmark(
    queries: int = 60, dataset: Path = DEFAULT_DATASET, settings: Settings | None = None
) -> BenchResult:
    """Time both systems on ``queries`` dataset questions (cycled), in extractive mode."""
    if queries < 1:
        raise ConfigError(f"--queries must be at least 1, not {queries}")
    # Fresh questions for the cold start, the timed pass and the heap pass: query vectors are cached.
    asked = itertools.islice(itertools.cycle(load_dataset(dataset)), 1 + queries + HEAP_QUERIES)
    questions = [it.question for it in asked]
    settings = settings or load_settings()
    with tempfile.TemporaryDirectory(prefix="assistant-bench-", ignore_cleanup_errors=True) as tmp:
        fresh = settings.with_(data_dir=Path(tmp), chroma_host=None, auto_ingest=False, mode="extractive")

        t = time.perf_counter()
        get_embeddings(fresh.embeddings).embed_query("预热")  # the model is process-wide once loaded
        model_load_s = time.perf_counter() - t

        ours_bench, ours = _measure(
            "ours", lambda: Assistant(fresh).ingest(), lambda: Assistant(fresh), questions
        )
        built: list[BaselineRAG] = []
        base_bench, _ = _measure(
            "baseline", lambda: built.append(BaselineRAG.build(ours)), lambda: built[0], questions
        )
        built[0].close()
        info = ours.index.info
    notes = (
        f"ours: {info.chunks} chunks + {info.clauses} clauses embedded into Chroma on disk; "
        f"baseline: {built[0].chunks} chunks of ≤500 characters embedded into an in-memory Chroma.",
        "cold start excludes the model load (shared, above): a new process pays both.",
        "the baseline runs second, on the loaded model and our clause matrix (its answer step), so its "
        "cold start and RSS growth are lower bounds; each system has its own query-vector cache.",
        f"{len(set(questions))} distinct questions asked of each system (the dataset cycles when shorter).",
    )
    return BenchResult(queries, model_load_s, ours_bench, base_bench, notes)
