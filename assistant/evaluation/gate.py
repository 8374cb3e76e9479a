"""The CI gate: minimum scores, kept in ``eval/thresholds.json``, and the check against them.

Used by the gate test and printed by ``assistant eval``, so both judge by the same numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.config import REPO_ROOT
from assistant.errors import ConfigError

THRESHOLDS = REPO_ROOT / "eval" / "thresholds.json"


@dataclass(frozen=True)
class Threshold:
    """``metrics[group][metric]`` must be at least ``minimum``."""

    name: str  # as printed: "figure accuracy (zh)"
    group: str  # "all" | "zh" | "en" | a kind | "<kind>/<lang>"
    metric: str  # a key of runner.metrics_of, e.g. "accuracy"
    minimum: float

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "group": self.group, "metric": self.metric, "min": self.minimum}


def load_thresholds(path: Path = THRESHOLDS, section: str = "gate") -> list[Threshold]:
    """The gate's thresholds for one section (``gate``: dataset.jsonl; ``blind``: the out-of-sample
    set; ``dialogues``: the conversations); a malformed file is a ``ConfigError`` naming what is wrong."""
    try:
        rules = json.loads(path.read_text(encoding="utf-8"))[section]
        thresholds = [
            Threshold(str(r["name"]), str(r["group"]), str(r["metric"]), float(r["min"])) for r in rules
        ]
    except OSError as exc:
        raise ConfigError(f"Cannot read the gate thresholds {path}: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path} must be {{'gate': [{{'name', 'group', 'metric', 'min'}}, ...]}} ({exc!r})"
        ) from exc
    return thresholds


def check_gate(
    metrics: Mapping[str, Mapping[str, float | None]], thresholds: Sequence[Threshold]
) -> list[str]:
    """The breached thresholds, one line each (empty: the gate passes).

    A metric that could not be measured (no items of its group) is a breach: the gate cannot be
    passed by leaving something out.
    """
    failures = []
    for t in thresholds:
        value = metrics.get(t.group, {}).get(t.metric)
        if value is None:
            failures.append(f"{t.name}: not measured (no {t.group} items for {t.metric})")
        elif value < t.minimum:
            failures.append(f"{t.name}: {value:.3f} < {t.minimum:.3f} ({t.group} {t.metric})")
    return failures
