"""Answer feedback (👍/👎 and a comment) in a small SQLite file in the data directory.

Nothing personal is stored (no IP, no cookie, no session): the question, the answer, its
citations, the mode and the time. The table is bounded: long texts are cut, oldest rows dropped.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import AssistantError

FILE_NAME = "feedback.sqlite3"
MAX_ROWS = 10_000  # oldest rows dropped beyond this: a few MB at most
MAX_QUESTION_CHARS = 500  # as long as a question may be
MAX_ANSWER_CHARS = 4_000
MAX_COMMENT_CHARS = 1_000
MAX_CITATIONS_CHARS = 2_000  # the cited IDs and quotes, not whole paragraphs
COLUMNS = ("id", "time", "rating", "question", "answer", "citations", "mode", "comment")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  citations TEXT NOT NULL,
  mode TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackError(AssistantError):
    """The feedback file cannot be read or written (read-only directory, full disk, corrupt file)."""


@dataclass(frozen=True)
class Feedback:
    """One rated answer; ``citations`` is a list of {"id", "quote"}; ``rating`` is 1 (👍) or -1 (👎)."""

    id: int
    time: str  # ISO 8601, UTC
    rating: int
    question: str
    answer: str
    citations: list[dict[str, str]]
    mode: str
    comment: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _citations_json(citations: Iterable[object]) -> str:
    """IDs and quotes only: the paragraph text is in the corpus already."""
    items = []
    for c in citations:
        if isinstance(c, dict):
            items.append({"id": str(c.get("id", "")), "quote": str(c.get("quote", ""))})
        else:
            items.append({"id": str(getattr(c, "id", "")), "quote": str(getattr(c, "quote", ""))})
    text = json.dumps(items, ensure_ascii=False)
    while len(text) > MAX_CITATIONS_CHARS and items:
        items.pop()
        text = json.dumps(items, ensure_ascii=False)
    return text


class FeedbackStore:
    """The feedback table; each call opens and closes its own connection (the page is threaded)."""

    def __init__(self, path: Path, max_rows: int = MAX_ROWS) -> None:
        self.path = path
        self.max_rows = max_rows

    @classmethod
    def in_dir(cls, data_dir: Path, max_rows: int = MAX_ROWS) -> FeedbackStore:
        return cls(data_dir / FILE_NAME, max_rows)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5)
        db.execute(_SCHEMA)
        return db

    def _fail(self, action: str, exc: Exception) -> FeedbackError:
        return FeedbackError(
            f"反馈未能{action} (feedback could not be {action_en(action)}: {exc}) — {self.path}"
        )

    def add(
        self,
        rating: int,
        question: str,
        answer: str,
        citations: Iterable[object] = (),
        mode: str = "extractive",
        comment: str = "",
        *,
        now: datetime | None = None,
    ) -> int:
        """Store one rating and return its row id; the oldest rows beyond ``max_rows`` are dropped."""
        if rating not in (1, -1):
            raise ValueError("rating is 1 (👍) or -1 (👎)")
        when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        row = (
            when,
            rating,
            _cut(question, MAX_QUESTION_CHARS),
            _cut(answer, MAX_ANSWER_CHARS),
            _citations_json(citations),
            _cut(mode, 20),
            _cut(comment.strip(), MAX_COMMENT_CHARS),
        )
        try:
            with closing(self._connect()) as db, db:
                cursor = db.execute(
                    "INSERT INTO feedback (time, rating, question, answer, citations, mode, comment)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                db.execute(
                    "DELETE FROM feedback WHERE id <= (SELECT MAX(id) FROM feedback) - ?", (self.max_rows,)
                )
                return int(cursor.lastrowid or 0)
        except (sqlite3.Error, OSError) as exc:
            raise self._fail("保存", exc) from exc

    def comment(self, row_id: int, comment: str) -> bool:
        """Set the comment of a stored rating; False when that row is gone."""
        try:
            with closing(self._connect()) as db, db:
                cursor = db.execute(
                    "UPDATE feedback SET comment = ? WHERE id = ?",
                    (_cut(comment.strip(), MAX_COMMENT_CHARS), row_id),
                )
                return cursor.rowcount == 1
        except (sqlite3.Error, OSError) as exc:
            raise self._fail("保存", exc) from exc

    def list(self, since: datetime | None = None, rating: int | None = None) -> list[Feedback]:
        """Stored ratings, oldest first; ``since`` keeps those at or after it."""
        if not self.path.exists():
            return []
        query, args = "SELECT " + ", ".join(COLUMNS) + " FROM feedback WHERE 1=1", []
        if since is not None:
            query += " AND time >= ?"
            args.append(since.astimezone(UTC).isoformat(timespec="seconds"))
        if rating is not None:
            query += " AND rating = ?"
            args.append(rating)
        try:
            with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)) as db:
                rows = db.execute(query + " ORDER BY id", args).fetchall()
        except sqlite3.Error as exc:
            raise self._fail("读取", exc) from exc
        return [_row(r) for r in rows]


def action_en(action: str) -> str:
    return {"保存": "saved", "读取": "read"}.get(action, action)


def _row(r: Sequence[object]) -> Feedback:
    try:
        citations = json.loads(str(r[5]))
    except ValueError:
        citations = []
    return Feedback(int(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4]), citations, str(r[6]), str(r[7]))  # type: ignore[arg-type]


def to_csv(items: Iterable[Feedback]) -> str:
    """CSV text with a header of :data:`COLUMNS`; citations as JSON in one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in items:
        writer.writerow(
            [
                f.id,
                f.time,
                f.rating,
                f.question,
                f.answer,
                json.dumps(f.citations, ensure_ascii=False),
                f.mode,
                f.comment,
            ]
        )
    return buffer.getvalue()


def draft_eval_items(items: Iterable[Feedback]) -> list[dict[str, object]]:
    """👎 items as draft eval items (the schema of eval/dataset.jsonl) for a person to complete.

    ``answers`` is empty and ``needs_review`` is true: a thumbs-down says the answer was wrong,
    not what the right one is. The cited clauses are offered as candidate evidence.
    """
    drafts: list[dict[str, object]] = []
    seen: set[str] = set()
    for f in items:
        if f.rating != -1 or f.question in seen:
            continue
        seen.add(f.question)
        lang = "en" if sum(ch.isascii() and ch.isalpha() for ch in f.question) > len(f.question) / 3 else "zh"
        drafts.append(
            {
                "id": f"fb-{f.id:05d}",
                "lang": lang,
                "kind": "figure" if any(ch.isdigit() for ch in f.answer) else "fact",
                "question": f.question,
                "answers": [],
                "evidence": [c.get("quote", "") for c in f.citations if c.get("quote")],
                "needs_review": True,
                "feedback": {"answer": f.answer, "comment": f.comment, "mode": f.mode, "time": f.time},
            }
        )
    return drafts


def to_jsonl(items: Iterable[dict[str, object]]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
