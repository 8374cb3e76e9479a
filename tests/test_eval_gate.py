"""The CI gate: the offline assistant must meet eval/thresholds.json, and the gate must bite.

The gate runs the whole eval set through the session assistant; a second test breaks the answer
step on purpose (figures lose their units and qualifiers) and shows the gate then fails.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant import Assistant, ConfigError
from assistant.answer import messages
from assistant.evaluation.dataset import load_dataset, load_dialogues
from assistant.evaluation.dialogues import run_dialogues
from assistant.evaluation.gate import THRESHOLDS, Threshold, check_gate, load_thresholds
from assistant.evaluation.runner import evaluate
from assistant.figures import find_figures

EVAL_DIR = THRESHOLDS.parent

REQUIRED = {
    "figure accuracy (zh)",
    "figure accuracy (en)",
    "refusal accuracy (negatives)",
    "number faithfulness",
}
RULES = [
    Threshold("figure accuracy (zh)", "figure/zh", "accuracy", 0.8),
    Threshold("number faithfulness", "all", "number_faithfulness", 1.0),
]


@pytest.mark.parametrize(
    ("metrics", "failures"),
    [
        ({"figure/zh": {"accuracy": 0.9}, "all": {"number_faithfulness": 1.0}}, []),
        ({"figure/zh": {"accuracy": 0.8}, "all": {"number_faithfulness": 1.0}}, []),  # the minimum passes
        (
            {"figure/zh": {"accuracy": 0.75}, "all": {"number_faithfulness": 1.0}},
            ["figure accuracy (zh): 0.750 < 0.800 (figure/zh accuracy)"],
        ),
        (
            {"figure/zh": {"accuracy": 0.9}, "all": {"number_faithfulness": 0.99}},
            ["number faithfulness: 0.990 < 1.000 (all number_faithfulness)"],
        ),
        (
            {"all": {"number_faithfulness": 1.0}},  # leaving the figure items out does not pass
            ["figure accuracy (zh): not measured (no figure/zh items for accuracy)"],
        ),
        (
            {"figure/zh": {"accuracy": None}, "all": {"number_faithfulness": 1.0}},
            ["figure accuracy (zh): not measured (no figure/zh items for accuracy)"],
        ),
    ],
)
def test_check_gate(metrics: dict[str, dict[str, float | None]], failures: list[str]) -> None:
    assert check_gate(metrics, RULES) == failures


def test_thresholds_live_in_one_file_and_cover_the_non_negotiables() -> None:
    thresholds = load_thresholds()
    assert THRESHOLDS.name == "thresholds.json" and THRESHOLDS.parent.name == "eval"
    assert {t.name for t in thresholds} >= REQUIRED
    assert all(0.0 < t.minimum <= 1.0 for t in thresholds)
    faithfulness = next(t for t in thresholds if t.name == "number faithfulness")
    assert faithfulness.minimum == 1.0  # non-negotiable #1: a figure is never wrong


@pytest.mark.parametrize(
    "content",
    ["{", json.dumps({"rules": []}), json.dumps({"gate": [{"name": "x", "group": "all"}]})],
)
def test_a_malformed_thresholds_file_is_a_config_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"thresholds\.json"):
        load_thresholds(path)


@pytest.mark.slow
def test_the_offline_assistant_passes_the_gate(assistant: Assistant) -> None:
    run = evaluate(assistant, load_dataset(), retrieval=False)
    failures = check_gate(run.ours.metrics, load_thresholds())
    assert failures == [], "\n".join(failures)


def _without_units(text: str) -> str:
    """Every figure reduced to its bare number: "新增绿地10公顷" → "新增绿地10"."""
    for figure in reversed(find_figures(text)):
        text = text[: figure.start] + figure.number + text[figure.end :]
    return text


def _figure_items(per_lang: int) -> list:
    items = [it for it in load_dataset() if it.kind == "figure"]
    return [it for lang in ("zh", "en") for it in [i for i in items if i.lang == lang][:per_lang]]


@pytest.mark.slow
def test_the_gate_fails_when_figures_lose_their_units(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    quote_line, judgement = messages.quote_line, messages.judgement

    def broken_quote_line(lang: str, quote: str, pid: str, english: Sequence[str]) -> str:
        return quote_line(lang, _without_units(quote), pid, [_without_units(e) for e in english])

    def broken_judgement(lang: str, correct: bool, quote: str, pid: str, english: Sequence[str]) -> str:
        return judgement(lang, correct, _without_units(quote), pid, [_without_units(e) for e in english])

    monkeypatch.setattr(messages, "quote_line", broken_quote_line)
    monkeypatch.setattr(messages, "judgement", broken_judgement)
    assert _without_units("新增绿地10公顷、高企超500家") == "新增绿地10、高企500"

    run = evaluate(assistant, _figure_items(per_lang=20), retrieval=False)
    thresholds = [t for t in load_thresholds() if t.group.startswith("figure/")]
    failures = check_gate(run.ours.metrics, thresholds)

    assert len(thresholds) == 2 and len(failures) == 2, failures
    assert all("not measured" not in f for f in failures)  # breached on measured values
    assert run.ours.metrics["figure/zh"]["accuracy"] < 0.2
    assert run.ours.metrics["figure/en"]["accuracy"] < 0.2


@pytest.mark.slow
def test_the_blind_set_passes_its_gate(assistant: Assistant) -> None:
    """Out of sample: eval/blind.jsonl was written from the plan's text alone; one rule per kind."""
    run = evaluate(assistant, load_dataset(EVAL_DIR / "blind.jsonl"), retrieval=False)
    failures = check_gate(run.ours.metrics, load_thresholds(section="blind"))
    assert failures == [], "\n".join(failures)


@pytest.mark.slow
def test_the_conversations_pass_their_gate(assistant: Assistant) -> None:
    """eval/dialogues.jsonl, each turn asked with the earlier turns and their answers as history."""
    paragraphs = {p.id: p.text for p in assistant.corpus.paragraphs}
    run = run_dialogues(assistant, load_dialogues(), paragraphs)
    failures = check_gate(run.metrics, load_thresholds(section="dialogues"))
    assert failures == [], "\n".join(failures)


def test_every_gate_section_covers_number_faithfulness() -> None:
    for section in ("gate", "blind", "dialogues"):
        rules = load_thresholds(section=section)
        assert any(t.metric == "number_faithfulness" and t.minimum == 1.0 for t in rules), section
