"""Where the shared real documents are (never copied into the repo), and a skip when they are not.

``ASSISTANT_REALDOCS_DIR``, else ``../shared/realdocs`` beside the repository, else /work/shared/realdocs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT


def _find() -> Path | None:
    candidates = [
        os.environ.get("ASSISTANT_REALDOCS_DIR"),
        REPO_ROOT.parent / "shared" / "realdocs",
        "/work/shared/realdocs",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "SOURCES.md").is_file():
            return Path(candidate)
    return None


REALDOCS = _find() or Path("/nonexistent/realdocs")
PLAN_TXT = REPO_ROOT / "corpus" / "zhonglou-2025-work-plan.txt"  # byte-identical to shared/source/
requires_realdocs = pytest.mark.skipif(
    _find() is None,
    reason="the shared real documents are missing: set ASSISTANT_REALDOCS_DIR to shared/realdocs",
)


def reference_paragraphs(path: Path) -> list[str]:
    """A text file's paragraphs as assistant/corpus.py reads them: stripped, non-empty lines."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
