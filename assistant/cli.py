"""The ``assistant`` command: ingest, search, show, ask, eval, bench.

Each subcommand is a few lines over the Python API; an ``AssistantError`` becomes one line on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.index import TerminalProgress


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_ingest(args: argparse.Namespace) -> int:
    report = Assistant(progress=TerminalProgress()).ingest(rebuild=args.rebuild)
    info = report.info
    if args.json:
        _print_json({"status": report.status, "seconds": round(report.seconds, 2), **info.__dict__})
    else:
        print(
            f"Index {report.status} in {report.seconds:.1f}s: {info.chunks} chunks, {info.clauses} clauses, "
            f"embeddings {info.embeddings} ({info.model})"
        )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    docs = Assistant(progress=TerminalProgress()).search(args.query, k=args.k)
    notes = docs[0].metadata.get("notes", []) if docs else []
    for note in notes:
        print(note, file=sys.stderr)
    if args.json:
        _print_json(
            [
                {
                    "rank": n,
                    "paragraph_id": d.metadata["paragraph_id"],
                    "section": d.metadata["section"],
                    "chunk_id": d.metadata["chunk_id"],
                    "text": d.page_content,
                    "scores": {k: v for k, v in d.metadata.items() if k.endswith(("_score", "_rank"))},
                }
                for n, d in enumerate(docs, start=1)
            ]
        )
        return 0
    for n, d in enumerate(docs, start=1):
        print(
            f"{n}. [{d.metadata['paragraph_id']}] {d.metadata['section']}  (rrf {d.metadata['rrf_score']:.4f})"
        )
        print(f"   {d.page_content}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    paragraph = Assistant().paragraph(args.id)
    if args.json:
        _print_json(paragraph.to_dict())
    else:
        print(f"[{paragraph.id}] {paragraph.section} ({paragraph.kind})")
        print(paragraph.text)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    answer = Assistant(progress=TerminalProgress()).ask(args.question, mode=args.mode)
    if args.json:
        print(answer.to_json())
        return 0
    for note in answer.notes:
        print(f"({note})", file=sys.stderr)
    print(answer.text)
    if answer.abstained and answer.citations:
        print("  nearest paragraphs / 最接近的段落:")
    for c in answer.citations:
        print(f"  [{c.id}] {c.section}: “{c.quote}”")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evaluation.cli import run_eval

    return run_eval(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.evaluation.cli import run_bench

    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Ask the Zhonglou 2025 work plan.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="build the index (does nothing when it is up to date)")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if up to date")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("search", help="the best-matching chunks, with paragraph IDs")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="how many results (default 5)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("show", help="print a paragraph by ID, e.g. zl2025/p12")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("ask", help="answer a question from the plan, with citations")
    p.add_argument("question")
    p.add_argument("--mode", choices=["extractive", "llm"], default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("eval", help="score the assistant on an eval set (JSONL)")
    p.add_argument("--dataset", type=Path, default=None, help="default: eval/dataset.jsonl")
    p.add_argument("--mode", choices=["extractive", "llm"], default=None)
    p.add_argument("--report", type=Path, default=None, help="directory for report.md/.json/.png")
    p.add_argument("--baseline", action="store_true", help="also run the textbook RAG baseline")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("bench", help="ingest time, cold start, warm latency, memory; vs the baseline")
    p.add_argument("--queries", type=int, default=60, help="warm questions timed per system")
    p.add_argument("--library", type=Path, default=None, help="a folder of .txt reports: ingest vs the floor")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
