"""Shared fixtures: one real index (e5-small, embedded Chroma) built once per test session.

Tests that change the index or the corpus make their own in ``tmp_path``; everything else
shares ``assistant`` so the suite builds the index once.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant import Assistant, Settings
from assistant.config import REPO_ROOT

CORPUS_DIR = REPO_ROOT / "corpus"
SOURCE = REPO_ROOT / "corpus" / "zhonglou-2025-work-plan.txt"


@pytest.fixture(scope="session")
def session_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def settings(session_data_dir: Path) -> Settings:
    """Offline defaults, with the index in a session temp dir (never the user's .data/)."""
    return Settings(data_dir=session_data_dir)


@pytest.fixture(scope="session")
def assistant(settings: Settings) -> Assistant:
    """A warmed-up assistant over the real corpus and the real e5-small model."""
    a = Assistant(settings)
    a.ingest()
    a.warm_up()
    return a


@pytest.fixture(scope="session")
def served_app(assistant: Assistant) -> Iterator[tuple[object, str]]:
    """The real Gradio page over the session assistant, on a free 127.0.0.1 port: (demo, url)."""
    import socket

    import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = app.build_demo(assistant)
    app.launch(demo, "127.0.0.1", port, block=False)
    try:
        yield demo, f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="session")
def stub() -> Iterator[object]:
    """A scripted OpenAI-compatible server on 127.0.0.1 (tests/llm_stub.py); each test sets its reply."""
    from llm_stub import ScriptedLLM

    server = ScriptedLLM().start()
    yield server
    server.stop()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the corpus directory that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    yield target
