"""The offline answerer: picks the clauses of the retrieved chunks that answer, quotes them verbatim.

No generation: every word of an answer is either a fixed frame or the plan's own text, so a
figure always arrives with its unit and qualifier, and nothing is said the plan does not say.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.answer import messages
from assistant.answer.english import Lexicon, figure_in_english
from assistant.answer.intent import Intent, analyse, out_of_scope
from assistant.answer.result import Answer
from assistant.citations import Citation, cite, merge_citations
from assistant.corpus import Corpus
from assistant.figures import find_figures, number_tokens
from assistant.index import ClauseMatrix
from assistant.lexical import bigram_tokens
from assistant.question import Question
from assistant.text import fold

# Weights of the clause score; calibrated on eval/dataset.jsonl (see README, "Calibration").
W_SIMILARITY = 4.0  # e5 cosine, question vs clause: carries English questions
W_LEXICAL = 1.5  # share of the question's topical terms found in the clause
W_CONTEXT = 0.6  # ... found in the clause's own sentence (the subject is often a clause earlier)
W_RANK = 0.3  # the retriever's rank of the chunk holding the clause
FIGURE_MARGIN = 0.25  # a figure clause may score this much below the best clause and still answer
MIN_LEXICAL_ZH = 0.34  # below this share of topical terms, a Chinese question is not in the plan
MIN_SIMILARITY_EN = 0.80  # an English question without lexicon terms must be at least this close
MIN_SCORE_EN = 4.4  # score floor for English questions
MAX_QUOTE_SENTENCE = 48  # quote the whole sentence when it is at most this long


@dataclass(frozen=True)
class Candidate:
    """A clause of a retrieved chunk, scored against the question."""

    index: int  # row in the clause matrix
    paragraph_id: str
    text: str
    sentence: str  # the sentence that holds the clause
    score: float
    similarity: float
    lexical: float
    has_figure: bool


class ExtractiveAnswerer:
    """Question → retrieved chunks → scored clauses → a quoted, cited answer (or a refusal)."""

    def __init__(
        self, corpus: Corpus, clauses: ClauseMatrix, embeddings: Embeddings, retriever: BaseRetriever
    ) -> None:
        self.corpus = corpus
        self.clauses = clauses
        self.embeddings = embeddings
        self.retriever = retriever

    @cached_property
    def lexicon(self) -> Lexicon:
        return Lexicon.load(self.corpus.directory)

    @cached_property
    def _corpus_text(self) -> str:
        return "\n".join(p.text for p in self.corpus.paragraphs)

    @cached_property
    def _idf(self) -> dict[str, float]:
        """Rarity of each term across clauses: "绿地" weighs more than "推进"."""
        df = Counter(t for text in self.clauses.texts for t in set(bigram_tokens(text)))
        n = len(self.clauses.texts)
        return {t: math.log(1 + n / f) for t, f in df.items()}

    @cached_property
    def _sentences(self) -> list[str]:
        """The sentence of each clause (its paragraph text between sentence ends)."""
        out = []
        for pid, (a, b) in zip(self.clauses.paragraph_ids, self.clauses.spans, strict=True):
            text = self.corpus.paragraph(pid).text
            start = max((m.end() for m in re.finditer(r"[。；;!！?？]", text[:a])), default=0)
            end_match = re.search(r"[。；;!！?？]", text[b - 1 :])
            end = b - 1 + end_match.end() if end_match else len(text)
            out.append(text[start:end])
        return out

    def warm_up(self) -> None:
        _ = self._idf, self._sentences, self.lexicon, self._corpus_text
        self.embeddings.embed_query("预热")

    # -- scoring -------------------------------------------------------------------------------

    def _terms(self, intent: Intent, text: str | None = None) -> list[str]:
        """The topical terms to look for in clauses (Chinese; English goes through the lexicon)."""
        text = text if text is not None else intent.text
        if intent.lang == "en":
            return [
                t
                for term in self.lexicon.translate_terms(text)
                for t in bigram_tokens(term)
                if len(t) > 1 or t.isascii()
            ]
        from assistant.answer.intent import topic_of

        return [t for t in bigram_tokens(topic_of(text)) if len(t) > 1 and t in self._idf]

    def _coverage(self, terms: Sequence[str], text: str) -> float:
        if not terms:
            return 0.0
        folded = fold(text)
        total = sum(self._idf.get(t, 1.0) for t in set(terms))
        return sum(self._idf.get(t, 1.0) for t in set(terms) if t in folded) / total

    def _candidates(self, intent: Intent, docs: Sequence[Document], qvec: np.ndarray) -> list[Candidate]:
        terms = self._terms(intent)
        ranks: dict[int, int] = {}
        for rank, doc in enumerate(docs):
            content = doc.page_content
            for i, clause in enumerate(self.clauses.texts):
                if i not in ranks and clause.strip("。，,；;：:") and clause in content:
                    ranks[i] = rank
        if not ranks:
            return []
        rows = sorted(ranks)
        sims = self.clauses.vectors[rows] @ qvec
        out = []
        for row, sim in zip(rows, sims, strict=True):
            text, sentence = self.clauses.texts[row], self._sentences[row]
            lexical = self._coverage(terms, text)
            context = self._coverage(terms, sentence)
            score = (
                W_SIMILARITY * float(sim)
                + W_LEXICAL * lexical
                + W_CONTEXT * context
                + W_RANK / (1 + ranks[row])
            )
            out.append(
                Candidate(
                    row,
                    self.clauses.paragraph_ids[row],
                    text,
                    sentence,
                    score,
                    float(sim),
                    max(lexical, context),
                    bool(find_figures(text)),
                )
            )
        return sorted(out, key=lambda c: -c.score)

    # -- answering ----------------------------------------------------------------------------

    def answer(self, question: Question, history: Sequence[tuple[str, str]], started: float) -> Answer:
        timings: dict[str, float] = {}
        intent = analyse(question.text, history)
        query = intent.text
        if intent.lang == "en":
            query = f"{intent.text} {' '.join(self.lexicon.translate_terms(intent.text))}".strip()
        t = time.perf_counter()
        docs = self.retriever.invoke(query)
        qvec = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        answer = self._compose(intent, docs, qvec, question)
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
        return Answer(
            question=question.text,
            text=answer.text,
            citations=answer.citations,
            abstained=answer.abstained,
            mode="extractive",
            timings=timings,
            notes=question.notes + answer.notes,
            lang=intent.lang,
        )

    def _compose(
        self, intent: Intent, docs: Sequence[Document], qvec: np.ndarray, question: Question
    ) -> Answer:
        candidates = self._candidates(intent, docs, qvec)
        scope = out_of_scope(intent.text, self._corpus_text)
        if scope or not candidates:
            return self._refuse(intent, candidates, docs, reason=scope or "topic")
        if intent.kind == "definition":
            defined = self._definition(intent, candidates)
            if defined:
                return defined
        best = candidates[0]
        if not self._on_topic(intent, best):
            return self._refuse(intent, candidates, docs, reason="topic")
        if intent.kind in ("figure", "trap"):
            figures = [c for c in candidates if c.has_figure and c.score >= best.score - FIGURE_MARGIN]
            if not figures:
                return self._refuse(intent, candidates, docs, reason="no-figure")
            chosen = [figures[0]]
            if intent.multi:
                chosen += self._more_parts(intent, figures[0], [c for c in candidates if c.has_figure])
            if intent.kind == "trap":
                return self._judge(intent, chosen[0])
            return self._quote(intent, chosen)
        chosen = [best]
        if intent.multi:
            chosen += self._more_parts(intent, best, candidates)
        return self._quote(intent, chosen)

    def _on_topic(self, intent: Intent, best: Candidate) -> bool:
        if intent.lang == "zh":
            return best.lexical >= MIN_LEXICAL_ZH
        if self._terms(intent):
            return best.lexical > 0 or best.score >= MIN_SCORE_EN
        return best.similarity >= MIN_SIMILARITY_EN

    def _more_parts(self, intent: Intent, first: Candidate, pool: Sequence[Candidate]) -> list[Candidate]:
        """For "A和B各多少", the clauses covering topical terms the first clause left uncovered."""
        terms = set(self._terms(intent))
        covered = {t for t in terms if t in fold(first.sentence)}
        chosen: list[Candidate] = []
        for c in pool:
            missing = terms - covered
            if not missing or len(chosen) >= 2:
                break
            gained = {t for t in missing if t in fold(c.text)}
            if gained and c.index != first.index and sum(self._idf.get(t, 1) for t in gained) >= 3.0:
                chosen.append(c)
                covered |= {t for t in terms if t in fold(c.sentence)}
        return chosen

    def _definition(self, intent: Intent, candidates: Sequence[Candidate]) -> Answer | None:
        glossary = self.corpus.glossary()
        asked = fold(intent.text)
        for p in glossary:
            term = fold(re.sub(r"[“”\"]", "", p.term or ""))
            if term and (term in asked or re.sub(r"原则|机制|基金|服务$", "", term) in asked):
                return self._quote_paragraph(intent, p.id, p.text.split(":", 1)[-1].split("：", 1)[-1])
        in_glossary = [c for c in candidates if c.paragraph_id.split("/")[-1].startswith("g")]
        if in_glossary and in_glossary[0].score >= candidates[0].score - FIGURE_MARGIN:
            p = self.corpus.paragraph(in_glossary[0].paragraph_id)
            return self._quote_paragraph(intent, p.id, p.text.split(":", 1)[-1].split("：", 1)[-1])
        return None

    # -- wording ------------------------------------------------------------------------------

    def _quote_of(self, c: Candidate) -> str:
        quote = c.sentence if len(c.sentence) <= MAX_QUOTE_SENTENCE else c.text
        return quote.strip().rstrip("。，,；;：:")

    def _quote(self, intent: Intent, chosen: Sequence[Candidate]) -> Answer:
        quotes = [(c.paragraph_id, self._quote_of(c)) for c in chosen]
        citations = merge_citations([cite(self.corpus, pid, q) for pid, q in quotes])
        lines = [messages.quote_line(intent.lang, q, pid, self._english_figures(q)) for pid, q in quotes]
        return _answer(intent, "\n".join(lines), citations)

    def _quote_paragraph(self, intent: Intent, pid: str, definition: str) -> Answer:
        quote = definition.strip()
        citation = cite(self.corpus, pid, quote)
        return _answer(
            intent,
            messages.definition_line(intent.lang, self.corpus.paragraph(pid).term or "", quote, pid),
            [citation],
        )

    def _judge(self, intent: Intent, c: Candidate) -> Answer:
        quote = self._quote_of(c)
        stated = {n for f in find_figures(quote) for n in number_tokens(f.number)}
        correct = bool(intent.asserted) and intent.asserted <= stated
        text = messages.judgement(intent.lang, correct, quote, c.paragraph_id, self._english_figures(quote))
        return _answer(intent, text, [cite(self.corpus, c.paragraph_id, quote)])

    def _english_figures(self, quote: str) -> list[str]:
        return [f"{figure_in_english(f)} ({f.text})" for f in find_figures(quote)]

    def _refuse(
        self, intent: Intent, candidates: Sequence[Candidate], docs: Sequence[Document], reason: str
    ) -> Answer:
        nearest: list[Citation] = []
        for c in candidates:
            if len(nearest) >= 3:
                break
            if all(n.id != c.paragraph_id for n in nearest):
                nearest.append(cite(self.corpus, c.paragraph_id, self._quote_of(c)))
        if not nearest:
            nearest = [
                cite(self.corpus, str(d.metadata["paragraph_id"]))
                for d in docs[:3]
                if d.metadata.get("paragraph_id") in self.corpus
            ]
        text = messages.not_found(intent.lang, reason, [n.id for n in nearest])
        return _answer(intent, text, nearest, abstained=True)


def _answer(intent: Intent, text: str, citations: Sequence[Citation], *, abstained: bool = False) -> Answer:
    return Answer(
        question=intent.text,
        text=text,
        citations=tuple(citations),
        abstained=abstained,
        mode="extractive",
        lang=intent.lang,
    )
