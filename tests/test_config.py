"""Specification of settings: every ASSISTANT_* variable is read, checked and named when invalid.

The defaults are the offline ones: e5-small, the embedded Chroma store, the extractive answerer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import ENV_VARIABLES, REPO_ROOT, Settings, load_settings
from assistant.errors import ConfigError

# (variable, raw value, Settings attribute, parsed value): one row per variable.
READS = [
    ("ASSISTANT_CORPUS_DIR", "/srv/corpus", "corpus_dir", Path("/srv/corpus")),
    ("ASSISTANT_PROMPTS_DIR", "/srv/prompts", "prompts_dir", Path("/srv/prompts")),
    ("ASSISTANT_DATA_DIR", "/srv/data", "data_dir", Path("/srv/data")),
    (
        "ASSISTANT_EMBEDDINGS",
        "sentence-transformers:/models/minilm",
        "embeddings",
        "sentence-transformers:/models/minilm",
    ),
    ("ASSISTANT_CHROMA_HOST", "chroma.local", "chroma_host", "chroma.local"),
    ("ASSISTANT_CHROMA_PORT", "8123", "chroma_port", 8123),
    ("ASSISTANT_CHROMA_TIMEOUT", "2.5", "chroma_timeout_s", 2.5),
    ("ASSISTANT_INDEX_LOCK_TIMEOUT", "60", "index_lock_timeout_s", 60.0),
    ("ASSISTANT_LEXICAL", "jieba", "lexical", "jieba"),
    ("ASSISTANT_TOP_K", "7", "top_k", 7),
    ("ASSISTANT_CONTEXT_K", "12", "context_k", 12),
    ("ASSISTANT_CHUNK_TOKENS", "200", "chunk_tokens", 200),
    ("ASSISTANT_CONTEXT_TOKENS", "3000", "context_tokens", 3000),
    ("ASSISTANT_MAX_QUESTION_CHARS", "800", "max_question_chars", 800),
    ("ASSISTANT_AUTO_INGEST", "0", "auto_ingest", False),
    ("ASSISTANT_MODE", "llm", "mode", "llm"),
    ("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:11434/v1", "llm_base_url", "http://127.0.0.1:11434/v1"),
    ("ASSISTANT_LLM_MODEL", "qwen2.5:3b", "llm_model", "qwen2.5:3b"),
    ("ASSISTANT_LLM_API_KEY", "sk-local", "llm_api_key", "sk-local"),
    ("ASSISTANT_LLM_TIMEOUT", "7.5", "llm_timeout_s", 7.5),
    ("ASSISTANT_DEFAULT_DOC", "jiangsu2026", "default_doc", "jiangsu2026"),
    ("ASSISTANT_ALLOW_UPLOAD", "1", "allow_upload", True),
    ("ASSISTANT_HOST", "0.0.0.0", "host", "0.0.0.0"),
    ("ASSISTANT_PORT", "8080", "port", 8080),
]


def test_every_variable_has_a_row() -> None:
    assert sorted(name for name, *_ in READS) == sorted(ENV_VARIABLES)


@pytest.mark.parametrize(("name", "raw", "attr", "value"), READS, ids=[r[0] for r in READS])
def test_each_variable_is_read(name: str, raw: str, attr: str, value: object) -> None:
    settings = load_settings({name: raw})
    assert getattr(settings, attr) == value
    others = {f: getattr(Settings(), f) for f in Settings.__dataclass_fields__ if f != attr}
    assert {f: getattr(settings, f) for f in others} == others  # nothing else moved


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("yes", True),
        ("0", False),
        ("false", False),
        ("No", False),
        (" FALSE ", False),
    ],
)
def test_auto_ingest_reads_usual_booleans(raw: str, expected: bool) -> None:
    assert load_settings({"ASSISTANT_AUTO_INGEST": raw}).auto_ingest is expected


def test_empty_values_keep_the_defaults() -> None:
    assert load_settings(dict.fromkeys(ENV_VARIABLES, "")) == Settings()


def test_defaults_are_offline() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.embeddings == "e5-small"
    assert settings.chroma_host is None  # the embedded store under data_dir
    assert settings.data_dir == REPO_ROOT / ".data"
    assert settings.corpus_dir == REPO_ROOT / "corpus"
    assert settings.mode == "extractive" and not settings.llm_configured
    assert settings.lexical == "bigram"
    assert settings.auto_ingest is True
    assert (settings.host, settings.port) == ("127.0.0.1", 7860)  # the page is local unless told


def test_settings_are_frozen_and_copied_with_changes() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.top_k = 3  # type: ignore[misc]
    assert settings.with_(top_k=3).top_k == 3 and settings.top_k == 5


def test_the_api_key_is_not_shown_in_repr() -> None:
    assert "sk-secret" not in repr(load_settings({"ASSISTANT_LLM_API_KEY": "sk-secret"}))


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("ASSISTANT_CHROMA_PORT", "eight thousand"),
        ("ASSISTANT_TOP_K", "five"),
        ("ASSISTANT_CONTEXT_K", "1.5"),
        ("ASSISTANT_CHUNK_TOKENS", "lots"),
        ("ASSISTANT_CONTEXT_TOKENS", "2k"),
        ("ASSISTANT_MAX_QUESTION_CHARS", "∞"),
        ("ASSISTANT_LLM_TIMEOUT", "soon"),
        ("ASSISTANT_LLM_TIMEOUT", "nan"),
        ("ASSISTANT_LLM_TIMEOUT", "NaN"),
        ("ASSISTANT_LLM_TIMEOUT", "inf"),
        ("ASSISTANT_LLM_TIMEOUT", "-inf"),
        ("ASSISTANT_LLM_TIMEOUT", "1e999"),
        ("ASSISTANT_CHROMA_TIMEOUT", "nan"),
        ("ASSISTANT_INDEX_LOCK_TIMEOUT", "inf"),
        ("ASSISTANT_MODE", "generative"),
        ("ASSISTANT_LEXICAL", "bm25"),
    ],
)
def test_unreadable_values_are_config_errors_naming_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: raw})


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("ASSISTANT_AUTO_INGEST", "maybe"),
        ("ASSISTANT_TOP_K", "0"),
        ("ASSISTANT_CONTEXT_K", "-1"),
        ("ASSISTANT_CHUNK_TOKENS", "0"),
        ("ASSISTANT_CONTEXT_TOKENS", "-100"),
        ("ASSISTANT_MAX_QUESTION_CHARS", "0"),
        ("ASSISTANT_CHROMA_PORT", "0"),
        ("ASSISTANT_PORT", "70000"),
        ("ASSISTANT_CHROMA_PORT", "70000"),
        ("ASSISTANT_LLM_TIMEOUT", "0"),
    ],
)
def test_values_that_parse_but_cannot_work_are_config_errors_naming_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: raw})
