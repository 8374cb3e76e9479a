"""Runs eval items through a system (ours, or the baseline) and scores every answer.

A system is anything that answers a question and ranks retrieved text; metrics are computed
for the whole set, each language, each kind, and each kind within a language ("figure/zh").
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.answer.result import Answer
from assistant.api import Assistant
from assistant.errors import BadQuestion
from assistant.evaluation import scoring
from assistant.evaluation.dataset import KINDS, LANGS, EvalItem

RECALL_KS = (1, 3, 5)
RECALL_FETCH_K = 10  # chunks searched for recall@k; their distinct paragraphs are ranked
GROUP_ALL = "all"

Metrics = dict[str, float | None]  # metric name → value (None: nothing to measure in this group)
Progress = Callable[[str, int, int], None]  # (system name, done, total)


class System(Protocol):
    """What the runner needs from a system under evaluation."""

    name: str

    def ask(self, question: str) -> Answer: ...

    def retrieved_texts(self, question: str) -> list[str]:
        """Texts of the retrieved units (paragraphs or chunks), best first, for recall@k."""
        ...


class AssistantSystem:
    """Our assistant as the runner sees it: ``ask`` in the chosen mode, ``search`` for recall."""

    name = "ours"

    def __init__(self, assistant: Assistant, mode: str | None = None) -> None:
        self.assistant = assistant
        self.mode = mode or assistant.settings.mode

    def ask(self, question: str) -> Answer:
        return self.assistant.ask(question, mode=self.mode)

    def retrieved_texts(self, question: str) -> list[str]:
        docs = self.assistant.search(question, k=RECALL_FETCH_K)
        ids = scoring.distinct(str(d.metadata["paragraph_id"]) for d in docs)
        return [self.assistant.paragraph(pid).text for pid in ids]


@dataclass(frozen=True)
class ItemResult:
    """One item's answer and every score it got."""

    item: EvalItem
    text: str
    abstained: bool
    cited: tuple[str, ...]
    correct: bool
    missing: tuple[str, ...]  # expected answers the text lacks
    precision: float | None
    recall: float | None
    citation_problems: tuple[str, ...]
    unfaithful: tuple[str, ...]  # numbers in the answer that no cited paragraph holds
    evidence_rank: int | None  # rank of the first retrieved unit holding evidence
    latency_ms: float
    retrieval_checked: bool = True  # False when the run skipped the recall@k search
    timings: Mapping[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.error or not self.correct or self.citation_problems or self.unfaithful)

    def reasons(self) -> list[str]:
        """Why the item failed, most important first."""
        out: list[str] = []
        if self.error:
            out.append(f"error: {self.error}")
        elif not self.correct:
            if self.item.negative:
                out.append("answered, expected a refusal")
            elif self.abstained:
                out.append("refused an answerable question")
            else:
                out.append(f"missing {', '.join(self.missing)}")
        if self.unfaithful:
            out.append(f"numbers not in cited paragraphs: {', '.join(self.unfaithful)}")
        out.extend(self.citation_problems)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.item.id,
            "lang": self.item.lang,
            "kind": self.item.kind,
            "question": self.item.question,
            "expected": list(self.item.answers),
            "answer": self.text,
            "abstained": self.abstained,
            "cited": list(self.cited),
            "correct": self.correct,
            "failed": self.failed,
            "reasons": self.reasons(),
            "citation_precision": self.precision,
            "citation_recall": self.recall,
            "evidence_rank": self.evidence_rank,
            "latency_ms": round(self.latency_ms, 2),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }


@dataclass(frozen=True)
class SystemRun:
    """All results of one system, with the metrics per group."""

    name: str
    results: tuple[ItemResult, ...]
    metrics: dict[str, Metrics]
    seconds: float

    @property
    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if r.failed]


def score_item(
    item: EvalItem,
    answer: Answer,
    latency_ms: float,
    retrieved: Sequence[str] | None,
    paragraphs: Mapping[str, str],
) -> ItemResult:
    """Score one answer; cited texts come from the corpus, not from the answer's own copy."""
    cited = scoring.distinct([c.id for c in answer.citations] + scoring.cited_tags(answer.text))
    cited_texts = [paragraphs[pid] for pid in cited if pid in paragraphs]
    answered = not item.negative and not answer.abstained
    return ItemResult(
        item=item,
        text=answer.text,
        abstained=answer.abstained,
        cited=tuple(cited),
        correct=scoring.is_correct(item.answers, answer.text, answer.abstained, trap=item.kind == "trap"),
        missing=tuple(scoring.missing_answers(item.answers, answer.text)),
        precision=scoring.citation_precision(cited_texts, item.evidence) if answered else None,
        recall=scoring.citation_recall(cited_texts, item.evidence) if answered else None,
        citation_problems=tuple(
            scoring.citation_problems(answer.citations, answer.text, paragraphs, abstained=answer.abstained)
        ),
        unfaithful=tuple(scoring.unfaithful_numbers(answer.text, cited_texts)),
        evidence_rank=scoring.evidence_rank(retrieved or (), item.evidence),
        latency_ms=latency_ms,
        retrieval_checked=retrieved is not None and not item.negative,
        timings=dict(answer.timings),
    )


def _errored(item: EvalItem, error: str) -> ItemResult:
    return ItemResult(
        item=item,
        text="",
        abstained=False,
        cited=(),
        correct=False,
        missing=item.answers,
        precision=None,
        recall=None,
        citation_problems=(),
        unfaithful=(),
        evidence_rank=None,
        latency_ms=0.0,
        retrieval_checked=False,
        error=error,
    )


def run_system(
    system: System,
    items: Sequence[EvalItem],
    paragraphs: Mapping[str, str],
    progress: Progress | None = None,
    *,
    retrieval: bool = True,
) -> SystemRun:
    """Ask every item, time each ``ask``, score the answers, and summarize.

    ``retrieval=False`` skips the extra search behind recall@k (the gate does not need it).
    """
    started = time.perf_counter()
    results: list[ItemResult] = []
    for done, item in enumerate(items):
        if progress:
            progress(system.name, done, len(items))
        t = time.perf_counter()
        try:
            answer = system.ask(item.question)
        except BadQuestion as exc:  # a malformed question is the item's failure, not the run's
            results.append(_errored(item, str(exc)))
            continue
        latency_ms = (time.perf_counter() - t) * 1000
        retrieved = system.retrieved_texts(item.question) if retrieval and not item.negative else None
        results.append(score_item(item, answer, latency_ms, retrieved, paragraphs))
    if progress:
        progress(system.name, len(items), len(items))
    return SystemRun(system.name, tuple(results), summarize(results), time.perf_counter() - started)


def metrics_of(results: Sequence[ItemResult]) -> Metrics:
    """Every metric over one group of results."""
    answerable = [r for r in results if not r.item.negative]
    negatives = [r for r in results if r.item.negative]
    answered = [r for r in answerable if not r.abstained]
    latencies = [r.latency_ms for r in results if not r.error]
    ranks = [r.evidence_rank for r in answerable if r.retrieval_checked]
    metrics: Metrics = {
        "n": float(len(results)),
        "accuracy": scoring.share([r.correct for r in results]),
        "answer_accuracy": scoring.share([r.correct for r in answerable]),
        "refusal_accuracy": scoring.share([r.abstained for r in negatives]),
        "false_refusal_rate": scoring.share([r.abstained for r in answerable]),
        "answered_rate": scoring.share(
            [not r.abstained for r in answerable]
        ),  # 1 - false refusals, for the gate
        "citation_precision": scoring.mean(r.precision for r in answered),
        "citation_recall": scoring.mean(r.recall for r in answered),
        "citations_valid": scoring.share([not r.citation_problems and not r.error for r in results]),
        "number_faithfulness": scoring.share([not r.unfaithful and not r.error for r in results]),
    }
    for k in RECALL_KS:
        metrics[f"recall@{k}"] = scoring.recall_at(ranks, k)
    metrics["latency_p50_ms"] = scoring.percentile(latencies, 50)
    metrics["latency_p95_ms"] = scoring.percentile(latencies, 95)
    return metrics


def group_names(item: EvalItem) -> list[str]:
    return [GROUP_ALL, item.lang, item.kind, f"{item.kind}/{item.lang}"]


def summarize(results: Sequence[ItemResult]) -> dict[str, Metrics]:
    """Metrics for all, each language, each kind, each kind/language, in that order."""
    grouped: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        for name in group_names(r.item):
            grouped[name].append(r)
    order = [GROUP_ALL, *LANGS, *KINDS, *(f"{k}/{lang}" for k in KINDS for lang in LANGS)]
    return {name: metrics_of(grouped[name]) for name in order if name in grouped}


@dataclass(frozen=True)
class EvalRun:
    """One eval: our system and, optionally, the baseline over the same items."""

    dataset: str
    mode: str
    systems: dict[str, SystemRun]

    @property
    def ours(self) -> SystemRun:
        return self.systems["ours"]

    @property
    def baseline(self) -> SystemRun | None:
        return self.systems.get("baseline")


def evaluate(
    assistant: Assistant,
    items: Sequence[EvalItem],
    *,
    mode: str | None = None,
    baseline: bool = False,
    retrieval: bool = True,
    progress: Progress | None = None,
    dataset: str = "",
) -> EvalRun:
    """Run ``items`` through ``assistant`` (and the baseline, built on the same embeddings)."""
    paragraphs = {p.id: p.text for p in assistant.corpus.paragraphs}
    ours = AssistantSystem(assistant, mode)
    assistant.warm_up()  # latency is per question, not the one-time model and index load
    systems = {"ours": run_system(ours, items, paragraphs, progress, retrieval=retrieval)}
    if baseline:
        from assistant.evaluation.baseline import BaselineRAG

        with BaselineRAG.build(assistant) as rag:
            rag.warm_up()
            systems["baseline"] = run_system(rag, items, paragraphs, progress, retrieval=retrieval)
    return EvalRun(dataset=dataset, mode=ours.mode, systems=systems)
