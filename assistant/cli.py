"""The ``assistant`` command: ingest, search, show, ask, chat, eval, bench, feedback; add, docs, remove.

Each subcommand is a few lines over the Python API; an ``AssistantError`` becomes one line on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from assistant.api import Assistant
from assistant.config import Settings, load_settings
from assistant.errors import AssistantError, ConfigError
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
    answer = Assistant(progress=TerminalProgress()).ask(args.question, mode=args.mode, doc=args.doc)
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


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.chat import run_chat

    return run_chat(
        Assistant(progress=TerminalProgress()), sys.stdin, sys.stdout, mode=args.mode, as_json=args.json
    )


def _reindex(settings: Settings) -> None:
    Assistant(settings, progress=TerminalProgress()).ingest()


def cmd_add(args: argparse.Namespace) -> int:
    from assistant.library import add_document

    settings = load_settings()
    flags = {k: getattr(args, k) for k in ("id", "title", "place", "year", "issuer")}
    if len(args.files) > 1 and (args.id or args.title):
        raise ConfigError("--id and --title name one document: add the files one at a time.")
    added, failed = [], []
    for name in args.files:
        try:
            added.append(add_document(settings.corpus_dir, Path(name), flags))
        except AssistantError as exc:
            failed.append({"file": name, "error": str(exc)})
            print(f"error: {exc}", file=sys.stderr)
    if added:
        _reindex(settings)
    if args.json:
        _print_json({"added": [p.to_manifest() for p in added], "failed": failed})
    for p in [] if args.json else added:
        print(f"added {p.id}: {p.title} ({p.place or '?'}, {p.year or '?'}) from {p.source}")
    return 2 if failed else 0


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cmd_docs(args: argparse.Namespace) -> int:
    from assistant.corpus import load_corpus
    from assistant.figures import find_figures

    rows = [
        {
            **doc.profile.to_manifest(),
            "paragraphs": len(doc.paragraphs),
            "figures": sum(len(find_figures(p.text)) for p in doc.paragraphs),
        }
        for doc in load_corpus(load_settings().corpus_dir).documents
    ]
    if args.json:
        _print_json(rows)
        return 0
    columns = ["id", "title", "place", "year", "paragraphs", "figures"]
    cells = [[c.upper() for c in columns]] + [[str(r[c] or "") for c in columns] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
    for row in cells:
        print(
            "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from assistant.library import remove_document

    settings = load_settings()
    profile = remove_document(settings.corpus_dir, args.id)
    _reindex(settings)
    if args.json:
        _print_json({"removed": profile.to_manifest()})
    else:
        print(f"removed {profile.id}: {profile.title}")
    return 0


def _date(text: str) -> datetime:
    """--since: a date (midnight UTC) or an ISO time."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2025-03-01") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cmd_feedback(args: argparse.Namespace) -> int:
    from assistant.config import load_settings
    from assistant.feedback import FeedbackStore, draft_eval_items, to_csv, to_jsonl

    items = FeedbackStore.in_dir(load_settings().data_dir).list(since=args.since)
    if args.csv:
        args.csv.write_text(to_csv(items), encoding="utf-8-sig")
        print(f"{len(items)} feedback rows → {args.csv}", file=sys.stderr)
    if args.draft_eval:
        drafts = draft_eval_items(items)
        args.draft_eval.write_text(to_jsonl(drafts), encoding="utf-8")
        print(f"{len(drafts)} draft eval items (needs_review) → {args.draft_eval}", file=sys.stderr)
    if args.json:
        _print_json([f.to_dict() for f in items])
    elif not (args.csv or args.draft_eval):
        for f in items:
            comment = f" — {f.comment}" if f.comment else ""
            print(f"#{f.id} {f.time} {'👍' if f.rating > 0 else '👎'} {f.question}{comment}")
        print(f"{len(items)} feedback rows", file=sys.stderr)
    return 0


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
    p.add_argument("--doc", default=None, help="a document ID (assistant docs) for questions naming no place")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("eval", help="score the assistant on an eval set (JSONL)")
    p.add_argument("--dataset", type=Path, default=None, help="default: eval/dataset.jsonl")
    p.add_argument("--mode", choices=["extractive", "llm"], default=None)
    p.add_argument("--report", type=Path, default=None, help="directory for report.md/.json/.png")
    p.add_argument("--baseline", action="store_true", help="also run the textbook RAG baseline")
    p.add_argument(
        "--dialogues",
        type=Path,
        default=None,
        help="conversations asked turn by turn (default: eval/dialogues.jsonl)",
    )
    p.add_argument("--no-dialogues", action="store_true", help="skip the conversations")
    p.add_argument(
        "--library", type=Path, default=None, help="a folder with the four test reports: rerun beside them"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("chat", help="an interactive chat in the terminal (/new, /show ID, Ctrl-D to leave)")
    p.add_argument("--mode", choices=["extractive", "llm"], default=None)
    p.add_argument("--json", action="store_true", help="read questions line by line, write JSON lines")
    p.set_defaults(run=cmd_chat)

    p = sub.add_parser("bench", help="ingest time, cold start, warm latency, memory; vs the baseline")
    p.add_argument("--queries", type=int, default=60, help="warm questions timed per system")
    p.add_argument("--library", type=Path, default=None, help="a folder of .txt reports: ingest vs the floor")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_bench)

    p = sub.add_parser("add", help="add documents (.txt .md .docx .pdf) to the library, then re-index")
    p.add_argument("files", nargs="+", metavar="FILE")
    for flag in ("id", "title", "place", "issuer"):
        p.add_argument(f"--{flag}", default=None, help=f"the document's {flag} (default: read from the text)")
    p.add_argument(
        "--year", type=int, default=None, help="the year the plan is for (default: read from the text)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_add)

    p = sub.add_parser(
        "docs", help="the documents in the library: ID, title, place, year, paragraphs, figures"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_docs)

    p = sub.add_parser("remove", help="remove a document from the library by ID, then re-index")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_remove)
    p = sub.add_parser("feedback", help="the page's 👍/👎 ratings; 👎 ones as draft eval items")
    p.add_argument("--since", type=_date, default=None, help="only ratings from this date (2025-03-01)")
    p.add_argument("--csv", type=Path, default=None, metavar="FILE", help="write them as CSV")
    p.add_argument(
        "--draft-eval", type=Path, default=None, metavar="FILE", help="👎 items as draft eval JSONL"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_feedback)
    return parser


INTERNAL_ERROR = 1  # exit code of a bug (2 is a usage or input error the user can fix)


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error (or --help)
        return exc.code if isinstance(exc.code, int) else 2
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the CLI boundary: one line, not a traceback
        print(f"error: internal error ({type(exc).__name__}: {exc}); please report it.", file=sys.stderr)
        return INTERNAL_ERROR


def _tolerant_output() -> None:
    """Output that cannot crash: with an ASCII terminal (PYTHONIOENCODING=ascii, LANG=C) the
    Chinese text is written as escapes, and stray surrogates from undecodable arguments too."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
