"""The public Python API: ``Assistant().search``, ``.ask``, ``.paragraph`` and ``.ingest``.

The CLI, the Gradio page and the eval all go through this class; it holds no logic of its own
beyond wiring corpus → index → retriever → answerer, each built once and on first use.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.answer.english import Lexicon
from assistant.answer.result import Answer
from assistant.config import Settings, load_settings
from assistant.corpus import Corpus, Paragraph, load_corpus
from assistant.errors import ConfigError
from assistant.index import Index, IndexInfo, IndexWatch, Progress, build_index, index_status, open_index
from assistant.lexical import BM25, TOKENIZERS
from assistant.question import prepare_question
from assistant.retrieval import HybridRetriever, Mode
from embeddings import get_embeddings

Turn = tuple[str, str]  # (user question, assistant answer text)

# What hangs off the corpus and the index: dropped together when either changes on disk.
_DERIVED = ("corpus", "index", "_vector_store", "_bm25", "_extractive")


@dataclass(frozen=True)
class IngestReport:
    status: str  # "built" | "up to date"
    info: IndexInfo
    seconds: float


class Assistant:
    """Answers questions about the plan with citations; see the README for every setting."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        progress: Progress | None = None,
        embeddings: Embeddings | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self.progress = progress
        if embeddings is not None:  # an already-loaded model, e.g. shared by tests or the eval
            self.__dict__["embeddings"] = embeddings

    @cached_property
    def corpus(self) -> Corpus:
        return load_corpus(self.settings.corpus_dir)

    @cached_property
    def embeddings(self) -> Embeddings:
        return get_embeddings(self.settings.embeddings)

    @cached_property
    def index(self) -> Index:
        self._watch.mark()
        return open_index(self.settings, self.corpus, self.embeddings, progress=self.progress)

    @cached_property
    def _watch(self) -> IndexWatch:
        return IndexWatch(self.settings)

    def _follow(self) -> None:
        """Reopen on the next question when another process switched the index or the corpus changed."""
        if "index" in self.__dict__ and self._watch.changed():
            for name in _DERIVED:
                self.__dict__.pop(name, None)

    def retriever(self, mode: Mode = "hybrid", k: int | None = None) -> HybridRetriever:
        """A LangChain retriever over the index (``mode`` "dense" or "lexical" for comparison)."""
        return HybridRetriever(
            vector_store=self._vector_store,
            lexical=self._bm25,
            records=self.index.chunk_records,
            k=k or self.settings.top_k,
            mode=mode,
        )

    @cached_property
    def _vector_store(self):
        return self.index.vector_store()

    @cached_property
    def _bm25(self) -> BM25:
        return BM25([text for _, text, _ in self.index.chunk_records], TOKENIZERS[self.settings.lexical])

    # -- the API -----------------------------------------------------------------------------

    def search(self, query: str, k: int | None = None) -> list[Document]:
        """The ``k`` best chunks for ``query``, each with ``metadata["paragraph_id"]`` and ``["section"]``."""
        question = prepare_question(query, self.settings.max_question_chars)
        self._follow()
        if k is not None and k < 1:
            raise ConfigError(f"k must be at least 1, not {k}")
        query = question.text
        if question.lang == "en":  # as the answerer does: the plan's own terms for the English words
            query = Lexicon.load(self.settings.corpus_dir).expand(query)
        docs = self.retriever(k=k).invoke(query)
        for doc in docs:
            doc.metadata["notes"] = list(question.notes)
        return docs

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this ID (raises ``UnknownParagraph``)."""
        return self.corpus.paragraph(paragraph_id)

    def ask(self, question: str, history: Sequence[Turn] | None = None, mode: str | None = None) -> Answer:
        """Answer from the plan, citing paragraphs; ``abstained`` when the plan does not say."""
        *_, final = self.ask_stream(question, history, mode)
        assert isinstance(final, Answer)
        return final

    def ask_stream(
        self, question: str, history: Sequence[Turn] | None = None, mode: str | None = None
    ) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the complete ``Answer`` (always last)."""
        mode = mode or self.settings.mode
        if mode not in ("extractive", "llm"):
            raise ConfigError(f"mode must be 'extractive' or 'llm', not {mode!r}")
        if mode == "llm" and not self.settings.llm_configured:
            raise ConfigError("LLM mode needs ASSISTANT_LLM_BASE_URL (any OpenAI-compatible server).")
        started = time.perf_counter()
        prepared = prepare_question(question, self.settings.max_question_chars)
        self._follow()
        if mode == "llm":
            from assistant.answer.llm import answer_with_llm

            yield from answer_with_llm(self, prepared, history or (), started)
        else:
            answer = self._extractive.answer(prepared, history or (), started)
            yield answer.text
            yield answer

    @cached_property
    def _extractive(self):
        from assistant.answer.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(
            self.corpus, self.index.clause_matrix, self.embeddings, self.retriever(k=self.settings.context_k)
        )

    def ingest(self, *, rebuild: bool = False) -> IngestReport:
        """Build the index if it is missing or stale (or always, with ``rebuild``)."""
        started = time.perf_counter()
        for name in _DERIVED:  # read the corpus as it is now
            self.__dict__.pop(name, None)
        status, info = index_status(self.settings, self.corpus, self.embeddings)
        if status == "current" and not rebuild and info is not None:
            return IngestReport("up to date", info, time.perf_counter() - started)
        self._watch.mark()
        index = build_index(
            self.settings, self.corpus, self.embeddings, progress=self.progress, rebuild=rebuild
        )
        self.__dict__["index"] = index
        return IngestReport(
            "built" if index.fresh else "up to date", index.info, time.perf_counter() - started
        )

    def warm_up(self) -> None:
        """Load the model and the index now rather than on the first question."""
        self._extractive.warm_up()
