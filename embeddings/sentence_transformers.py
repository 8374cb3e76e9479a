"""Any sentence-transformers model by name or path (torch; an optional extra).

``pip install -e ".[st]"`` brings it; the import happens only when this backend is chosen.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from assistant.errors import BackendUnavailable
from embeddings.base import IdentifiedEmbeddings


class SentenceTransformerEmbeddings(IdentifiedEmbeddings):
    """Normalized sentence-transformers vectors; the model is loaded on first use."""

    def __init__(self, model_name: str, batch_size: int = 32) -> None:
        self.model_name = model_name
        self.batch_size = batch_size

    @cached_property
    def _model(self):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise BackendUnavailable(
                'sentence-transformers is not installed. Run: pip install -e ".[st]"'
            ) from exc
        try:
            return SentenceTransformer(self.model_name, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise BackendUnavailable(
                f"Cannot load sentence-transformers model {self.model_name!r} offline ({exc}). "
                "Give a local path or a model already in the Hugging Face cache."
            ) from exc

    @cached_property
    def identity(self) -> str:
        path = Path(self.model_name)
        if path.is_dir():
            weights = sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin"))
            size = sum(w.stat().st_size for w in weights)
            return f"sentence-transformers:{path.resolve()}:{size}"
        return f"sentence-transformers:{self.model_name}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
