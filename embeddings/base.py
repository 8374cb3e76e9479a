"""What every backend adds to LangChain's ``Embeddings``: an identity stored with the index.

An index built by one model must never be searched with another; the identity tells them apart.
"""

from __future__ import annotations

from abc import abstractmethod

from langchain_core.embeddings import Embeddings


class IdentifiedEmbeddings(Embeddings):
    """``Embeddings`` that can name the exact model behind them."""

    @property
    @abstractmethod
    def identity(self) -> str:
        """A string that changes whenever the vectors would change (backend, model, weights)."""
