"""The bridge that lets Chroma call our backends, so it never falls back to its ONNX default.

Registered under one name; importing this module is what makes a stored collection reopenable.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Space
from chromadb.api.types import Embeddings as ChromaVectors
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings


@register_embedding_function
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma ``EmbeddingFunction`` over a LangChain ``Embeddings`` named by its spec."""

    def __init__(self, embeddings: Embeddings, spec: str) -> None:
        self.embeddings = embeddings
        self.spec = spec

    def __call__(self, input: Documents) -> ChromaVectors:  # noqa: A002 - Chroma's signature
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self.embeddings.embed_documents(list(input))]

    def embed_query(self, input: Documents) -> ChromaVectors:  # noqa: A002
        import numpy as np

        return [np.asarray(self.embeddings.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        return "zhonglou-assistant"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        from embeddings import get_embeddings

        return ChromaEmbeddingFunction(get_embeddings(config["spec"]), config["spec"])
