"""``assistant eval`` and ``assistant bench``: argument handling and printing, nothing else.

The work is in runner/report (eval) and bench; both accept an injected ``Assistant`` for tests.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.api import Assistant
from assistant.evaluation.dataset import DEFAULT_DATASET, DEFAULT_DIALOGUES, load_dataset, load_dialogues
from assistant.evaluation.gate import check_gate, load_thresholds
from assistant.evaluation.report import summary_text, to_json, write_report
from assistant.evaluation.runner import evaluate
from assistant.index import TerminalProgress


class _Bar:
    """One tqdm bar per system on stderr, so stdout stays the report."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if name not in self._bars:
            self._bars[name] = tqdm(total=total, desc=f"Asking ({name})", unit="q", file=sys.stderr)
        bar = self._bars[name]
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def run_eval(args: argparse.Namespace, assistant: Assistant | None = None) -> int:
    """Score the assistant (and the baseline) on a dataset; exit 0 whatever the scores."""
    path = args.dataset or DEFAULT_DATASET
    items = load_dataset(path)
    thresholds = load_thresholds()
    assistant = assistant or Assistant(progress=TerminalProgress())
    run = evaluate(
        assistant,
        items,
        mode=args.mode,
        baseline=args.baseline,
        progress=None if args.json else _Bar(),
        dataset=str(path),
    )
    failures = check_gate(run.ours.metrics, thresholds)
    written = write_report(run, args.report, thresholds, failures) if args.report else []
    conversations = None
    if not getattr(args, "no_dialogues", False):
        from assistant.evaluation.dialogues import run_dialogues

        paragraphs = {p.id: p.text for p in assistant.corpus.paragraphs}
        dialogues = load_dialogues(getattr(args, "dialogues", None) or DEFAULT_DIALOGUES)
        conversations = run_dialogues(assistant, dialogues, paragraphs, mode=args.mode)
        failures += check_gate(conversations.metrics, load_thresholds(section="dialogues"))
    library = None
    if getattr(args, "library", None):
        from assistant.evaluation.library_eval import library_eval

        library = library_eval(args.library, assistant)
    if args.json:
        out = to_json(run, thresholds, failures)
        if library is not None:
            out["library"] = library.to_dict()
        if conversations is not None:
            out["dialogues"] = {
                "metrics": conversations.metrics,
                "failures": [r.to_dict() for r in conversations.failures],
            }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(summary_text(run, failures))
        if conversations is not None:
            print(dialogue_summary(conversations))
        if library is not None:
            print(
                f"\nWith the library loaded ({args.library}): the plan's set {library.with_library:.1%} "
                f"(alone {library.single:.1%}); answers citing another document: {library.foreign_citations}; "
                f"eval/library.jsonl: {library.library_set:.1%}"
                if library.library_set is not None
                else ""
            )
            for line in library.library_failures:
                print(f"  {line}")
        for path_written in written:
            print(f"wrote {path_written}")
    return 0


def dialogue_summary(run: Any) -> str:
    """The conversations' headline numbers and every failed turn."""
    m = run.metrics
    lines = [
        "",
        "Conversations (each turn asked with the earlier turns as history)",
        f"  turns right: {m['turns']['accuracy']:.1%} of {m['turns']['n']:.0f}; later turns: "
        f"{m['later']['accuracy']:.1%}; conversations right start to end: {m['conversations']['accuracy']:.1%}"
        f" of {m['conversations']['n']:.0f}; number faithfulness: {m['turns']['number_faithfulness']:.1%}",
    ]
    for r in run.failures:
        lines.append(f"  {r.item.id}  {r.item.kind}  {r.item.question}")
        lines.append(f"      answer:   {r.text.splitlines()[0] if r.text else ''}")
        lines.append(f"      why:      {'; '.join(r.reasons())}")
    return "\n".join(lines)


def run_bench(args: argparse.Namespace) -> int:
    """Ingest, cold start, warm latency and memory for ours and the baseline, in one process."""
    if getattr(args, "library", None):
        from assistant.evaluation.library_bench import library_benchmark, library_table

        library = library_benchmark(args.library, queries=args.queries)
        print(json.dumps(library.to_dict(), indent=2) if args.json else library_table(library, args.library))
        return 0
    from assistant.evaluation.bench import bench_table, benchmark

    result = benchmark(queries=args.queries, dataset=getattr(args, "dataset", None) or DEFAULT_DATASET)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(bench_table(result))
    return 0
