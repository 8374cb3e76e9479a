"""Specification of the evaluation datasets ``eval/*.jsonl``.

The schema and substring checks apply to every JSONL file in ``eval/`` (``dataset.jsonl``, the
tuning set, and e.g. ``holdout.jsonl``); counts and figure coverage apply to ``dataset.jsonl`` only.

Each line is one question about the Zhonglou 2025 work plan. ``answers`` are exact
substrings of the plan that a correct reply must contain; ``evidence`` are exact
substrings locating the supporting paragraph. Negatives (unanswerable from the plan)
carry neither. Traps assert a wrong figure; their answer is the plan's real figure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EVAL_DIR = REPO / "eval"
DATASET = EVAL_DIR / "dataset.jsonl"
# Every eval set in the schema; dataset.jsonl must exist, others (holdout.jsonl, ...) are picked up.
# dialogues.jsonl (conversations) and library.jsonl (several documents) have schemas of their own.
DATASET_FILES: list[Path] = sorted(
    {DATASET, *(p for p in EVAL_DIR.glob("*.jsonl") if p.name not in ("dialogues.jsonl", "library.jsonl"))}
)
_CORPUS_NAME = "zhonglou-2025-work-plan.txt"
_CORPUS_CANDIDATES = [REPO / "corpus" / _CORPUS_NAME, REPO.parent / "shared" / "source" / _CORPUS_NAME]
CORPUS_PATH = next((p for p in _CORPUS_CANDIDATES if p.exists()), _CORPUS_CANDIDATES[0])

FIELDS: dict[str, type] = {
    "id": str,
    "lang": str,
    "kind": str,
    "question": str,
    "answers": list,
    "evidence": list,
}
LANGS = {"zh", "en"}
KINDS = {"figure", "fact", "definition", "multi", "negative", "trap"}

# A figure: Arabic numerals + unit, optional 超/约 before, 多 between, 以上/左右 after.
# Years ("2025年") and glossary numbering ("1. ") have no unit and are thus not matched.
FIGURE_RE = re.compile(
    r"(?:超|约)?\d+(?:-\d+)?多?(?:场次|公顷|公里|兆瓦|PB|亿元|位数|个|家|所|部|条|座|户|名|%)(?:以上|左右)?"
)
# Targets written without Arabic numerals, invisible to FIGURE_RE.
EXTRA_FIGURES = ["破百亿"]
# Figure occurrences deliberately left uncovered, as (paragraph number, figure) -> reason.
# None are needed: every figure in the plan, target or not, is asked about.
EXCLUDED: dict[tuple[int, str], str] = {}
# An item's evidence must start/end within this many characters of the figure it covers.
NEAR = 20

Item = dict[str, Any]

CORPUS_LINES: list[str] = CORPUS_PATH.read_text(encoding="utf-8").splitlines()
CORPUS = "\n".join(CORPUS_LINES)


def _raw_lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _parse(raw: str) -> Item | None:
    """Lenient parse, so one broken line fails its own test instead of the whole module."""
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


RAW_BY_FILE: dict[str, list[str]] = {p.name: _raw_lines(p) for p in DATASET_FILES}
ITEMS_BY_FILE: dict[str, list[Item]] = {
    name: [it for it in map(_parse, raws) if it is not None] for name, raws in RAW_BY_FILE.items()
}

# dataset.jsonl alone, for the counts and coverage checks specific to it.
RAW_LINES: list[str] = RAW_BY_FILE[DATASET.name]
ITEMS: list[Item] = ITEMS_BY_FILE[DATASET.name]
ANSWERED = [it for it in ITEMS if it.get("kind") != "negative"]

# Every file, as (file name, raw line) and (file name, item): test ids name the file and the item.
ALL_RAW: list[tuple[str, str]] = [(name, raw) for name, raws in RAW_BY_FILE.items() for raw in raws]
ALL_RAW_IDS = [
    f"{name}:line{i}:{(_parse(raw) or {}).get('id', '?')}"
    for name, raws in RAW_BY_FILE.items()
    for i, raw in enumerate(raws, 1)
]
ALL_ITEMS: list[tuple[str, Item]] = [(name, it) for name, items in ITEMS_BY_FILE.items() for it in items]
ALL_ANSWERED = [(name, it) for name, it in ALL_ITEMS if it.get("kind") != "negative"]


def _item_ids(pairs: list[tuple[str, Item]]) -> list[str]:
    return [f"{name}:{it.get('id')}" for name, it in pairs]


def _spans(text: str, sub: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(sub)) for m in re.finditer(re.escape(sub), text)]


def _figure_occurrences() -> list[tuple[int, int, int, str]]:
    """(paragraph number, start, end, figure) for every figure in the plan."""
    occ: list[tuple[int, int, int, str]] = []
    for no, line in enumerate(CORPUS_LINES, 1):
        occ += [(no, m.start(), m.end(), m.group()) for m in FIGURE_RE.finditer(line)]
        occ += [(no, s, e, fig) for fig in EXTRA_FIGURES for s, e in _spans(line, fig)]
    return [o for o in occ if (o[0], o[3]) not in EXCLUDED]


def _covers(item: Item, line: str, start: int, end: int) -> bool:
    """An answer spans the figure occurrence and an evidence string sits right next to it."""
    answer_hit = any(a0 <= start and end <= a1 for a in item["answers"] for a0, a1 in _spans(line, a))
    evidence_near = any(
        e0 - NEAR <= end and start <= e1 + NEAR for e in item["evidence"] for e0, e1 in _spans(line, e)
    )
    return answer_hit and evidence_near


@pytest.mark.parametrize(("file", "raw"), ALL_RAW, ids=ALL_RAW_IDS)
def test_line_is_a_well_formed_record(file: str, raw: str) -> None:
    item = json.loads(raw)
    assert isinstance(item, dict) and set(item) == set(FIELDS)
    for field, typ in FIELDS.items():
        assert isinstance(item[field], typ), field
    assert all(isinstance(s, str) and s for s in item["answers"] + item["evidence"])
    assert item["id"] and item["question"].strip()
    assert item["lang"] in LANGS and item["kind"] in KINDS


@pytest.mark.parametrize("file", list(RAW_BY_FILE))
def test_ids_are_unique(file: str) -> None:
    items = ITEMS_BY_FILE[file]
    assert len(items) == len(RAW_BY_FILE[file]), "some lines are not JSON objects"
    ids = [it.get("id") for it in items]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_ids_are_unique_across_files() -> None:
    """A held-out item must not share an id with (and so be confused with) a tuning item."""
    ids = [it.get("id") for _, it in ALL_ITEMS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(("file", "item"), ALL_ITEMS, ids=_item_ids(ALL_ITEMS))
def test_answers_and_evidence_are_exact_substrings_of_the_plan(file: str, item: Item) -> None:
    missing = [s for s in item["answers"] + item["evidence"] if s not in CORPUS]
    assert not missing, f"not in corpus: {missing}"


@pytest.mark.parametrize(("file", "item"), ALL_ITEMS, ids=_item_ids(ALL_ITEMS))
def test_negatives_are_empty_and_others_are_supported(file: str, item: Item) -> None:
    if item["kind"] == "negative":
        assert item["answers"] == [] and item["evidence"] == []
    else:
        assert item["answers"] and item["evidence"]


@pytest.mark.parametrize(("file", "item"), ALL_ANSWERED, ids=_item_ids(ALL_ANSWERED))
def test_each_answer_sits_in_a_paragraph_located_by_evidence(file: str, item: Item) -> None:
    for answer in item["answers"]:
        assert any(answer in line and any(ev in line for ev in item["evidence"]) for line in CORPUS_LINES), (
            f"{answer!r} is not in any paragraph containing the evidence"
        )


@pytest.mark.parametrize(("file", "item"), ALL_ANSWERED, ids=_item_ids(ALL_ANSWERED))
def test_each_evidence_string_locates_exactly_one_paragraph(file: str, item: Item) -> None:
    for ev in item["evidence"]:
        assert sum(ev in line for line in CORPUS_LINES) == 1, ev


# From here on: dataset.jsonl only (the tuning set's size, balance and full figure coverage).


@pytest.mark.parametrize(
    ("what", "minimum"),
    [("all", 150), ("en", 30), ("negative", 15), ("trap", 8)],
)
def test_minimum_counts(what: str, minimum: int) -> None:
    n = sum(what in ("all", it.get("lang"), it.get("kind")) for it in ITEMS)
    assert n >= minimum, f"{what}: {n} < {minimum}"


def test_english_items_cover_every_kind() -> None:
    assert {it.get("kind") for it in ITEMS if it.get("lang") == "en"} == KINDS


def _occurrence_id(o: tuple[int, int, int, str]) -> str:
    return f"P{o[0]}@{o[1]}:{o[3].encode('ascii', 'ignore').decode()}"  # e.g. P12@271:10 for 10公顷


@pytest.mark.parametrize("occurrence", _figure_occurrences(), ids=_occurrence_id)
def test_every_figure_in_the_plan_is_covered(occurrence: tuple[int, int, int, str]) -> None:
    no, start, end, figure = occurrence
    line = CORPUS_LINES[no - 1]
    context = line[max(0, start - 15) : end + 5]
    assert any(_covers(it, line, start, end) for it in ANSWERED), (
        f"figure {figure!r} in paragraph {no} (…{context}…) is not covered by any item"
    )
