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
from assistant.answer.registry import get_answerer
from assistant.answer.result import Answer
from assistant.answer.terms import TermExtractor
from assistant.budget import bound_request
from assistant.config import Settings, load_settings
from assistant.corpus import Corpus, Paragraph, load_corpus
from assistant.errors import ConfigError, LibraryConflict, UnknownParagraph
from assistant.index import Index, IndexInfo, IndexWatch, Progress, build_index, index_status, open_index
from assistant.lexical import BM25, TOKENIZERS
from assistant.query import Query, QueryStage
from assistant.retrieval import HybridRetriever, Mode
from assistant.scope import Profiles
from embeddings import get_embeddings

Turn = tuple[str, str]  # (user question, assistant answer text)
MAX_K = 100  # results a search may ask for: more than the plan has chunks

# What hangs off the corpus and the index: dropped together when either changes on disk.
# Built from the corpus or the index: dropped when either changes (see ``_follow``).
_DERIVED = ("corpus", "index", "_vector_store", "_bm25", "extractive", "query_stage", "profiles")


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

    @cached_property
    def profiles(self) -> Profiles:
        """Each document's place and year (corpus/manifest.json); the default one from the settings."""
        default = self.settings.default_doc
        if default and default not in self.corpus.doc_ids:
            raise ConfigError(
                f"ASSISTANT_DEFAULT_DOC={default!r} is not in the library; it holds "
                f"{', '.join(self.corpus.doc_ids)} (see `assistant docs`)."
            )
        return Profiles.of(self.corpus, default or None)

    def _stage_for(self, doc: str | None) -> QueryStage:
        """The query stage, with ``doc`` (a document ID) answering unscoped questions."""
        if doc is None or doc == self.profiles.default:
            return self.query_stage
        if doc not in self.corpus.doc_ids:
            raise LibraryConflict(
                f"No document {doc!r} in the library; it holds {', '.join(self.corpus.doc_ids)}."
            )
        return self.query_stage.for_default(doc)

    @cached_property
    def query_stage(self) -> QueryStage:
        lexicon = Lexicon.load(self.settings.corpus_dir)
        glossary = [p.term.strip('“”"') for p in self.corpus.glossary() if p.term]
        extractor = TermExtractor(self.index.clause_matrix.texts, self.settings.corpus_dir, lexicon, glossary)
        paragraphs = {p.id: p.text for p in self.corpus.paragraphs}
        headings = sorted({h for p in self.corpus.paragraphs for h in p.section_path})
        return QueryStage(extractor, lexicon, self.profiles, paragraphs, headings)

    def understand(
        self, question: str, history: Sequence[Turn] | None = None, doc: str | None = None
    ) -> Query:
        """What a question asks, with the conversation so far (see ``assistant.query``)."""
        request = bound_request(question, history, self.settings.max_question_chars)
        return self._stage_for(doc).understand(request.question, request.history)

    def search(self, query: str, k: int | None = None, doc: str | None = None) -> list[Document]:
        """The ``k`` best chunks for ``query``, each with ``metadata["paragraph_id"]`` and ``["section"]``."""
        self._follow()
        if k is not None and (not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K):
            raise ConfigError(f"k must be at least 1 and at most {MAX_K} (a whole number), not {k!r}")
        understood = self.understand(query, doc=doc)
        docs = self.retriever(k=k).invoke(understood.retrieval, docs=understood.docs)
        for doc in docs:
            doc.metadata["notes"] = list(understood.notes)
        return docs

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this ID (raises ``UnknownParagraph``)."""
        if not isinstance(paragraph_id, str):
            raise UnknownParagraph(
                f"A paragraph ID is text such as zl2025/p12, not {type(paragraph_id).__name__}."
            )
        return self.corpus.paragraph(paragraph_id)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] | None = None,
        mode: str | None = None,
        doc: str | None = None,
    ) -> Answer:
        """Answer from the plan, citing paragraphs; ``abstained`` when the plan does not say.

        ``doc`` (a document ID, see ``assistant docs``) answers questions that name no place or
        year from that document instead of the default one.
        """
        *_, final = self.ask_stream(question, history, mode, doc)
        assert isinstance(final, Answer)
        return final

    def ask_stream(
        self,
        question: str,
        history: Sequence[Turn] | None = None,
        mode: str | None = None,
        doc: str | None = None,
    ) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the complete ``Answer`` (always last)."""
        started = time.perf_counter()
        request = bound_request(question, history, self.settings.max_question_chars)
        self._follow()  # first: the answerer below must be over the current index
        answerer = get_answerer(mode or self.settings.mode, self)
        query = self._stage_for(doc).understand(request.question, request.history)
        yield from answerer.stream(query, request.history, started)

    @cached_property
    def extractive(self):
        """The extractive answerer over this index (also the LLM answerer's fallback)."""
        from assistant.answer.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(
            self.corpus,
            self.index.clause_matrix,
            self.embeddings,
            self.retriever(k=self.settings.context_k),
            self.profiles,
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
        for cached in _DERIVED[2:]:
            self.__dict__.pop(cached, None)
        return IngestReport(
            "built" if index.fresh else "up to date", index.info, time.perf_counter() - started
        )

    def warm_up(self) -> None:
        """Load the model and the index now rather than on the first question."""
        self.extractive.warm_up()
        self.understand("预热问题绿地")
