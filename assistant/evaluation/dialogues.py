"""Conversations in the eval: each turn asked with the earlier turns and their answers as history.

Scored turn by turn as any item is, plus the share of later turns (those that lean on an earlier
one) answered right and the share of conversations right from start to end.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.api import Assistant
from assistant.evaluation import scoring
from assistant.evaluation.dataset import Dialogue
from assistant.evaluation.runner import ItemResult, Metrics, metrics_of, score_item


@dataclass(frozen=True)
class DialogueRun:
    """Every turn's result, grouped back into conversations, with the metrics."""

    results: tuple[tuple[ItemResult, ...], ...]  # per conversation, per turn
    metrics: dict[str, Metrics]

    @property
    def failures(self) -> list[ItemResult]:
        return [r for turns in self.results for r in turns if r.failed]


def run_dialogues(
    assistant: Assistant,
    dialogues: Sequence[Dialogue],
    paragraphs: Mapping[str, str],
    mode: str | None = None,
) -> DialogueRun:
    """Ask every conversation turn by turn, the history being the earlier turns' real answers."""
    per_dialogue: list[tuple[ItemResult, ...]] = []
    for dialogue in dialogues:
        history: list[tuple[str, str]] = []
        results = []
        for turn in dialogue.turns:
            started = time.perf_counter()
            answer = assistant.ask(turn.question, history=history, mode=mode)
            latency = (time.perf_counter() - started) * 1000
            results.append(score_item(turn, answer, latency, None, paragraphs))
            history.append((turn.question, answer.text))
        per_dialogue.append(tuple(results))
    return DialogueRun(tuple(per_dialogue), dialogue_metrics(per_dialogue))


def dialogue_metrics(per_dialogue: Sequence[Sequence[ItemResult]]) -> dict[str, Metrics]:
    """``turns`` (every turn), ``later`` (turns after the first), ``zh``/``en``, and ``conversations``."""
    turns = [r for d in per_dialogue for r in d]
    later = [r for d in per_dialogue for r in d[1:]]
    metrics = {
        "turns": metrics_of(turns),
        "later": metrics_of(later),
        "conversations": {
            "n": float(len(per_dialogue)),
            "accuracy": scoring.share([not any(r.failed for r in d) for d in per_dialogue]),
        },
    }
    for lang in ("zh", "en"):
        group = [r for r in turns if r.item.lang == lang]
        if group:
            metrics[f"turns/{lang}"] = metrics_of(group)
    return metrics
