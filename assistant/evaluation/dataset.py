"""The eval set: questions with the plan substrings a correct answer must contain (JSONL).

Read and validated here, so a broken line is reported with its number instead of skewing a score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.config import REPO_ROOT
from assistant.errors import ConfigError

DEFAULT_DATASET = REPO_ROOT / "eval" / "dataset.jsonl"
LANGS = ("zh", "en")
KINDS = ("figure", "fact", "definition", "multi", "trap", "negative")  # report order
TURN_KINDS = (*KINDS, "meta")  # a conversation's turn may ask about the last answer itself
DEFAULT_DIALOGUES = REPO_ROOT / "eval" / "dialogues.jsonl"
FIELDS: dict[str, type] = {
    "id": str,
    "lang": str,
    "kind": str,
    "question": str,
    "answers": list,
    "evidence": list,
}


@dataclass(frozen=True)
class EvalItem:
    """One question: ``answers`` must all appear in a correct answer; ``evidence`` locates the support."""

    id: str
    lang: str  # "zh" | "en"
    kind: str  # one of KINDS
    question: str
    answers: tuple[str, ...]
    evidence: tuple[str, ...]

    @property
    def negative(self) -> bool:
        """The plan does not say: the right answer is a refusal."""
        return self.kind == "negative"


def parse_item(raw: str | dict, where: str, kinds: tuple[str, ...] = KINDS) -> EvalItem:
    """One JSONL line → an item; ``where`` ("dataset.jsonl line 7") starts every error message."""
    try:
        obj = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise ConfigError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(obj, dict):
        raise ConfigError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing = [name for name in FIELDS if name not in obj]
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)}")
    extra = sorted(set(obj) - set(FIELDS))
    if extra:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(extra)}")
    for name, typ in FIELDS.items():
        if not isinstance(obj[name], typ):
            raise ConfigError(f"{where}: {name} must be a {typ.__name__}, got {type(obj[name]).__name__}")
    for name in ("answers", "evidence"):
        if not all(isinstance(s, str) and s for s in obj[name]):
            raise ConfigError(f"{where}: {name} must hold non-empty strings")
    if not obj["id"].strip() or not obj["question"].strip():
        raise ConfigError(f"{where}: id and question must not be empty")
    if obj["lang"] not in LANGS:
        raise ConfigError(f"{where}: lang must be one of {', '.join(LANGS)}, not {obj['lang']!r}")
    if obj["kind"] not in kinds:
        raise ConfigError(f"{where}: kind must be one of {', '.join(kinds)}, not {obj['kind']!r}")
    if obj["kind"] == "negative" and (obj["answers"] or obj["evidence"]):
        raise ConfigError(f"{where}: a negative item has empty answers and evidence")
    if obj["kind"] != "negative" and not (obj["answers"] and obj["evidence"]):
        raise ConfigError(f"{where}: a {obj['kind']} item needs answers and evidence")
    return EvalItem(
        id=obj["id"],
        lang=obj["lang"],
        kind=obj["kind"],
        question=obj["question"],
        answers=tuple(obj["answers"]),
        evidence=tuple(obj["evidence"]),
    )


def load_dataset(path: Path = DEFAULT_DATASET) -> list[EvalItem]:
    """Every item of a JSONL file (blank lines skipped); raises ``ConfigError`` naming the bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"Cannot read the eval dataset {path}: {exc.strerror or exc}") from exc
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    for line_no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{path.name} line {line_no}"
        item = parse_item(raw, where)
        if item.id in seen:
            raise ConfigError(f"{where}: id {item.id!r} already used on line {seen[item.id]}")
        seen[item.id] = line_no
        items.append(item)
    if not items:
        raise ConfigError(f"The eval dataset {path} has no items.")
    return items


@dataclass(frozen=True)
class Dialogue:
    """A short conversation: each turn is asked with the earlier turns (and their answers) as history."""

    id: str
    lang: str
    turns: tuple[EvalItem, ...]


def load_dialogues(path: Path = DEFAULT_DIALOGUES) -> list[Dialogue]:
    """Every conversation of a JSONL file: ``{"id", "lang", "turns": [item without id/lang, ...]}``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"Cannot read the dialogue set {path}: {exc.strerror or exc}") from exc
    dialogues: list[Dialogue] = []
    for line_no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{path.name} line {line_no}"
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"{where}: not valid JSON ({exc})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("turns"), list) or len(obj["turns"]) < 2:
            raise ConfigError(f"{where}: expected {{'id', 'lang', 'turns': [two or more turns]}}")
        turns = tuple(
            parse_item(
                {"id": f"{obj.get('id')}#{n + 1}", "lang": obj.get("lang"), **turn},
                f"{where} turn {n + 1}",
                TURN_KINDS,
            )
            for n, turn in enumerate(obj["turns"])
        )
        dialogues.append(Dialogue(str(obj["id"]), str(obj["lang"]), turns))
    if not dialogues:
        raise ConfigError(f"The dialogue set {path} has no conversations.")
    return dialogues
