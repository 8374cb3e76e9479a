"""The eval with a library loaded: the plan beside other governments' reports.

Two numbers: the plan's eval set asked again with the reports in the index (no answer may cite
another document for a 钟楼区 question), and ``eval/library.jsonl``, questions over the whole
library whose answers must cite the right document.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assistant.api import Assistant
from assistant.evaluation import scoring
from assistant.evaluation.dataset import load_dataset
from assistant.evaluation.library_bench import library_reports, make_library
from assistant.evaluation.runner import AssistantSystem, run_system

LIBRARY_SET = Path(__file__).resolve().parents[2] / "eval" / "library.jsonl"


@dataclass(frozen=True)
class LibraryEval:
    single: float  # the plan's eval set, the plan alone
    with_library: float  # the same set, the reports loaded beside it
    foreign_citations: int  # answers to 钟楼区 questions citing another document
    library_set: float | None  # eval/library.jsonl: right answer from the right document
    library_failures: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "plan_set_alone": self.single,
            "plan_set_with_library": self.with_library,
            "foreign_citations": self.foreign_citations,
            "library_set": self.library_set,
            "library_failures": list(self.library_failures),
        }


def _accuracy(assistant: Assistant) -> tuple[float, int]:
    paragraphs = {p.id: p.text for p in assistant.corpus.paragraphs}
    run = run_system(AssistantSystem(assistant), load_dataset(), paragraphs, retrieval=False)
    home = assistant.profiles.default
    foreign = sum(1 for r in run.results if any(not c.startswith(f"{home}/") for c in r.cited))
    return float(run.metrics["all"]["accuracy"] or 0.0), foreign


def _library_set(assistant: Assistant, path: Path) -> tuple[float, tuple[str, ...]]:
    """Each item names the documents (by place word: "jiangsu", "zhonglou") its answer must cite."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    home = assistant.profiles.default
    ok, failures = 0, []
    for item in items:
        answer = assistant.ask(item["question"])
        cited = {c.id.split("/")[0] for c in answer.citations}
        wanted = {home if d == "zhonglou" else d for d in item["docs"]}
        if not item["docs"]:
            right = answer.abstained
        else:
            right = (
                scoring.is_correct(tuple(item["answers"]), answer.text, answer.abstained)
                and bool(cited)
                and all(any(c.startswith(w) for w in wanted) for c in cited)
            )
        ok += right
        if not right:
            failures.append(f"{item['id']}  {item['question']}  →  {answer.text.splitlines()[0][:100]}")
    return ok / len(items), tuple(failures)


def library_eval(directory: Path, assistant: Assistant) -> LibraryEval:
    """Run both numbers; the library is built in a temporary directory on the loaded model."""
    single, _ = _accuracy(assistant)
    with tempfile.TemporaryDirectory(prefix="zl-library-") as tmp:
        corpus = make_library(library_reports(directory), Path(tmp) / "corpus")
        settings = assistant.settings.with_(corpus_dir=corpus, data_dir=Path(tmp) / "data")
        library = Assistant(settings, progress=assistant.progress, embeddings=assistant.embeddings)
        library.ingest()
        library.warm_up()
        with_library, foreign = _accuracy(library)
        score, failures = _library_set(library, LIBRARY_SET) if LIBRARY_SET.exists() else (None, ())
    return LibraryEval(single, with_library, foreign, score, failures)
