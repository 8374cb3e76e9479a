"""What an eval prints and writes: the summary tables, every failure, report.md/.json and a chart.

Ours and the baseline side by side: a difference for shares, a ratio for latencies.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.evaluation.dataset import KINDS, LANGS
from assistant.evaluation.gate import Threshold
from assistant.evaluation.runner import GROUP_ALL, EvalRun, ItemResult, Metrics, SystemRun

CHART = "accuracy_by_kind.png"

# (label, group, metric); latencies end in "_ms" and compare by ratio, everything else is a share.
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("accuracy (all items)", GROUP_ALL, "accuracy"),
    ("answer accuracy (answerable)", GROUP_ALL, "answer_accuracy"),
    ("figure accuracy (zh)", "figure/zh", "accuracy"),
    ("figure accuracy (en)", "figure/en", "accuracy"),
    ("refusal accuracy (negatives)", GROUP_ALL, "refusal_accuracy"),
    ("false refusals (answerable)", GROUP_ALL, "false_refusal_rate"),
    ("citation precision", GROUP_ALL, "citation_precision"),
    ("citation recall", GROUP_ALL, "citation_recall"),
    ("citations valid", GROUP_ALL, "citations_valid"),
    ("number faithfulness", GROUP_ALL, "number_faithfulness"),
    ("retrieval recall@1", GROUP_ALL, "recall@1"),
    ("retrieval recall@3", GROUP_ALL, "recall@3"),
    ("retrieval recall@5", GROUP_ALL, "recall@5"),
    ("latency p50 (ms)", GROUP_ALL, "latency_p50_ms"),
    ("latency p95 (ms)", GROUP_ALL, "latency_p95_ms"),
)
# Columns of the per-group table after n and accuracy (ours, then the baseline's): (header, metric).
BREAKDOWN: tuple[tuple[str, str], ...] = (
    ("cit.prec", "citation_precision"),
    ("cit.rec", "citation_recall"),
    ("faithful", "number_faithfulness"),
    ("recall@5", "recall@5"),
    ("p50 ms", "latency_p50_ms"),
)


def fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{100 * value:.1f}%"


def compare(ours: float | None, baseline: float | None, metric: str) -> str:
    """Ours against the baseline: "+12.3 pt" for shares, "0.50×" for latencies."""
    if ours is None or baseline is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{ours / baseline:.2f}×" if baseline else "–"
    return f"{100 * (ours - baseline):+.1f} pt"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain aligned columns: the first left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        return "  ".join(
            [str(first).ljust(widths[0]), *(str(c).rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(["---"] * len(headers)) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _value(run: SystemRun | None, group: str, metric: str) -> float | None:
    return None if run is None else run.metrics.get(group, {}).get(metric)


def headline_rows(run: EvalRun) -> tuple[list[str], list[list[str]]]:
    base = run.baseline
    headers = ["metric", "ours"] + (["baseline", "ours vs baseline"] if base else [])
    rows = []
    for label, group, metric in HEADLINE:
        ours = _value(run.ours, group, metric)
        row = [label, fmt(ours, metric)]
        if base:
            theirs = _value(base, group, metric)
            row += [fmt(theirs, metric), compare(ours, theirs, metric)]
        rows.append(row)
    return headers, rows


def breakdown_rows(run: EvalRun, groups: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    base = run.baseline
    headers = ["group", "n", "accuracy"] + (["baseline acc."] if base else [])
    headers += [h for h, _ in BREAKDOWN]
    rows = []
    for group in groups:
        m: Metrics = run.ours.metrics[group]
        row = [group, f"{m['n']:.0f}", fmt(m["accuracy"], "accuracy")]
        if base:
            row.append(fmt(_value(base, group, "accuracy"), "accuracy"))
        row += [fmt(m[metric], metric) for _, metric in BREAKDOWN]
        rows.append(row)
    return headers, rows


def _console_groups(run: EvalRun) -> list[str]:
    return [g for g in (GROUP_ALL, *LANGS, *KINDS) if g in run.ours.metrics]


def _expected(result: ItemResult) -> str:
    return "a refusal" if result.item.negative else " + ".join(result.item.answers)


def _one_line(text: str) -> str:
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


def failures_text(system: SystemRun) -> str:
    failures = system.failures
    lines = [f"Failures ({system.name}): {len(failures)} of {len(system.results)}"]
    for r in failures:
        lines += [
            f"  {r.item.id}  {r.item.lang}/{r.item.kind}  {r.item.question}",
            f"      answer:   {_one_line(r.text) or '(none)'}",
            f"      expected: {_expected(r)}",
            f"      why:      {'; '.join(r.reasons())}",
        ]
    return "\n".join(lines)


def gate_text(failures: Sequence[str]) -> str:
    if not failures:
        return "Gate (eval/thresholds.json): PASS"
    return "Gate (eval/thresholds.json): FAIL\n" + "\n".join(f"  - {f}" for f in failures)


def summary_text(run: EvalRun, gate_failures: Sequence[str]) -> str:
    """The console summary: headline, per-group table, gate verdict, then every failure of ours."""
    n = len(run.ours.results)
    title = f"Eval: {n} items from {run.dataset or 'the dataset'}, mode {run.mode}"
    if run.baseline:
        step = "same answer step" if run.mode == "extractive" else "answering extractively"
        title += f"; baseline = RecursiveCharacterTextSplitter(500/50) + Chroma dense top-4, {step}"
    parts = [
        title,
        "",
        text_table(*headline_rows(run)),
        "",
        text_table(*breakdown_rows(run, _console_groups(run))),
        "",
        gate_text(gate_failures),
        "",
        failures_text(run.ours),
    ]
    if run.baseline:
        parts += ["", f"Baseline failures: {len(run.baseline.failures)} (listed in report.md)"]
    return "\n".join(parts)


def to_json(run: EvalRun, thresholds: Sequence[Threshold], gate_failures: Sequence[str]) -> dict[str, object]:
    _, rows = headline_rows(run)
    comparison = []
    for (label, group, metric), row in zip(HEADLINE, rows, strict=True):
        entry: dict[str, object] = {"metric": label, "group": group, "key": metric}
        entry["ours"] = _value(run.ours, group, metric)
        if run.baseline:
            entry["baseline"] = _value(run.baseline, group, metric)
            entry["ours_vs_baseline"] = row[3]
        comparison.append(entry)
    return {
        "dataset": run.dataset,
        "mode": run.mode,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "gate": {
            "passed": not gate_failures,
            "failures": list(gate_failures),
            "thresholds": [t.to_dict() for t in thresholds],
        },
        "comparison": comparison,
        "systems": {
            name: {
                "seconds": round(system.seconds, 2),
                "metrics": system.metrics,
                "failures": len(system.failures),
                "items": [r.to_dict() for r in system.results],
            }
            for name, system in run.systems.items()
        },
    }


def _failure_rows(system: SystemRun) -> list[list[str]]:
    return [
        [
            r.item.id,
            f"{r.item.lang}/{r.item.kind}",
            r.item.question,
            _one_line(r.text),
            _expected(r),
            "; ".join(r.reasons()),
        ]
        for r in system.failures
    ]


def to_markdown(run: EvalRun, gate_failures: Sequence[str]) -> str:
    n = len(run.ours.results)
    parts = [
        "# Eval report",
        "",
        f"{n} items from `{run.dataset}`, mode `{run.mode}`, {time.strftime('%Y-%m-%d %H:%M')}.",
    ]
    if run.baseline:
        parts.append(
            "Baseline: the textbook LangChain RAG — `RecursiveCharacterTextSplitter(chunk_size=500, "
            "chunk_overlap=50)`, Chroma dense-only top-4, the same embedding model and our "
            "extractive answer step. Retrieval recall is over paragraphs for ours, over chunks for the baseline."
        )
    parts += ["", "## Headline", "", md_table(*headline_rows(run)), "", "## Gate", ""]
    parts.append("PASS" if not gate_failures else "FAIL\n\n" + "\n".join(f"- {f}" for f in gate_failures))
    parts += [
        "",
        "## By language and kind",
        "",
        md_table(*breakdown_rows(run, list(run.ours.metrics))),
        "",
        f"![accuracy by kind]({CHART})",
    ]
    for system in run.systems.values():
        parts += ["", f"## Failures — {system.name} ({len(system.failures)} of {len(system.results)})", ""]
        headers = ["id", "lang/kind", "question", "answer", "expected", "why"]
        parts.append(md_table(headers, _failure_rows(system)) if system.failures else "None.")
    return "\n".join(parts) + "\n"


def write_chart(run: EvalRun, path: Path) -> None:
    """Grouped bars of accuracy per kind (and overall): ours, and the baseline when it ran."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [g for g in (GROUP_ALL, *KINDS) if g in run.ours.metrics]
    systems = list(run.systems.values())
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for i, system in enumerate(systems):
        values = [100 * (_value(system, g, "accuracy") or 0.0) for g in groups]
        xs = [x + (i - (len(systems) - 1) / 2) * width for x in range(len(groups))]
        bars = ax.bar(xs, values, width, label=system.name, color=("#2b6cb0", "#a0aec0")[i % 2])
        ax.bar_label(bars, labels=[f"{v:.0f}" for v in values], fontsize=8, padding=2)
    ax.set_xticks(range(len(groups)), [f"{g}\n(n={run.ours.metrics[g]['n']:.0f})" for g in groups])
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 120)  # headroom so the legend sits above the tallest bar
    ax.set_yticks(range(0, 101, 20))
    ax.set_title(f"Accuracy by question kind — mode {run.mode}")
    ax.legend(loc="upper right", ncol=len(systems), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(
    run: EvalRun, directory: Path, thresholds: Sequence[Threshold], gate_failures: Sequence[str]
) -> list[Path]:
    """report.md, report.json and the chart in ``directory`` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    md, js, png = directory / "report.md", directory / "report.json", directory / CHART
    md.write_text(to_markdown(run, gate_failures), encoding="utf-8")
    js.write_text(
        json.dumps(to_json(run, thresholds, gate_failures), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    write_chart(run, png)
    return [md, js, png]
