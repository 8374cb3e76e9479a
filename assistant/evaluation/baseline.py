"""The textbook LangChain RAG the eval compares against: 500-character chunks, dense top-4.

Same embedding model and same answer step as ours (the extractive answerer, which quotes the
clauses contained in whatever chunks it is given), so a difference in score is the design's.
"""

from __future__ import annotations

import bisect
import time
import uuid
from types import TracebackType

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.result import Answer
from assistant.api import Assistant
from assistant.corpus import Corpus, Paragraph
from assistant.corpus import Document as CorpusDocument
from assistant.evaluation.runner import RECALL_FETCH_K
from embeddings import get_embeddings
from embeddings.chroma import ChromaEmbeddingFunction

CHUNK_SIZE = 500  # characters: the splitter's textbook setting
CHUNK_OVERLAP = 50
TOP_K = 4  # chunks handed to the answer step: LangChain's as_retriever() default


def paragraph_starts(document: CorpusDocument) -> list[tuple[int, Paragraph]]:
    """Character offset of each paragraph in the document's full text, in order."""
    line_offsets, offset = [], 0
    for line in document.text.splitlines(keepends=True):
        line_offsets.append(offset)
        offset += len(line)
    lines = document.text.splitlines()
    starts = []
    for p in document.paragraphs:
        within = lines[p.line_no - 1].find(p.text)
        starts.append((line_offsets[p.line_no - 1] + max(within, 0), p))
    return starts


def split_corpus(corpus: Corpus) -> list[Document]:
    """Each document's full text split by the textbook splitter; a chunk belongs to the paragraph
    it starts in (``paragraph_id``, ``section``), and gets a ``chunk_id``."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    chunks: list[Document] = []
    for document in corpus.documents:
        starts = paragraph_starts(document)
        offsets = [o for o, _ in starts]
        for n, chunk in enumerate(splitter.create_documents([document.text]), start=1):
            start = int(chunk.metadata["start_index"])
            if start < 0:  # the splitter could not locate the chunk; find it ourselves
                start = max(document.text.find(chunk.page_content), 0)
            paragraph = starts[max(bisect.bisect_right(offsets, start) - 1, 0)][1]
            chunk.metadata.update(
                start_index=start,
                paragraph_id=paragraph.id,
                section=paragraph.section,
                chunk_id=f"{document.id}#b{n}",
            )
            chunks.append(chunk)
    return chunks


class BaselineRAG:
    """Chroma (in memory) dense top-4 over 500-character chunks, then our extractive answer step."""

    name = "baseline"

    def __init__(
        self,
        client: ClientAPI,
        collection: str,
        store: Chroma,
        answerer: ExtractiveAnswerer,
        assistant: Assistant,
        *,
        chunks: int,
    ) -> None:
        self.assistant = assistant  # its query stage: the same understanding of the question
        self.client = client
        self.collection = collection
        self.store = store
        self.answerer = answerer
        self.chunks = chunks

    @classmethod
    def build(cls, assistant: Assistant, *, top_k: int = TOP_K) -> BaselineRAG:
        """Split and embed the corpus into a fresh in-memory collection (the baseline's ingest).

        Same model, own instance: the backend caches query vectors per instance, and sharing ours
        would hand the baseline every question ours has already embedded.
        """
        embeddings = get_embeddings(assistant.settings.embeddings)
        chunks = split_corpus(assistant.corpus)
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        # Ephemeral clients share one in-memory store per process: a unique name keeps runs apart.
        name = f"baseline-{uuid.uuid4().hex[:12]}"
        client.create_collection(
            name,
            embedding_function=ChromaEmbeddingFunction(embeddings, assistant.settings.embeddings),
        )
        store = Chroma(
            client=client,
            collection_name=name,
            embedding_function=embeddings,
            create_collection_if_not_exists=False,
        )
        store.add_documents(chunks, ids=[str(c.metadata["chunk_id"]) for c in chunks])
        retriever = store.as_retriever(search_kwargs={"k": top_k})
        answerer = ExtractiveAnswerer(
            assistant.corpus, assistant.index.clause_matrix, embeddings, retriever, assistant.profiles
        )
        return cls(client, name, store, answerer, assistant, chunks=len(chunks))

    def warm_up(self) -> None:
        self.answerer.warm_up()

    def ask(self, question: str) -> Answer:
        """The same path as ``Assistant.ask`` in extractive mode, over the baseline's retriever."""
        started = time.perf_counter()
        return self.answerer.answer(self.assistant.understand(question), started)

    def retrieved_texts(self, question: str) -> list[str]:
        """The best chunks' texts: a chunk may span paragraphs, so it is the unit of recall here."""
        return [d.page_content for d in self.store.similarity_search(question, k=RECALL_FETCH_K)]

    def close(self) -> None:
        self.client.delete_collection(self.collection)

    def __enter__(self) -> BaselineRAG:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
