"""The offline answerer: picks the clauses of the retrieved chunks that answer, quotes them verbatim.

No generation: every word of an answer is either a fixed frame or the plan's own text, so a
figure always arrives with its unit and qualifier, and nothing is said the plan does not say.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.answer import messages
from assistant.answer.english import Lexicon, figure_in_english
from assistant.answer.intent import Intent, analyse, is_followup, out_of_scope, split_questions, topic_of
from assistant.answer.result import Answer
from assistant.answer.terms import Term, TermExtractor, coverage
from assistant.citations import Citation, cite, merge_citations
from assistant.corpus import Corpus
from assistant.figures import find_figures, number_tokens
from assistant.index import ClauseMatrix
from assistant.question import Question
from assistant.text import fold

# Weights of the clause score; calibrated on eval/dataset.jsonl (see README, "Calibration").
W_SIMILARITY = 4.0  # e5 cosine, question vs clause: carries English questions
W_LEXICAL = 1.5  # weighted share of the question's terms found in the clause
W_CONTEXT = 0.8  # ... found in the clause's sentence (the subject is often a clause earlier)
W_PARAGRAPH = 0.4  # ... found in its paragraph (a glossary item names its term once, up front)
W_RANK = 0.3  # the retriever's rank of the chunk holding the clause
FIGURE_MARGIN = 0.35  # a sentence with a figure may score this much below the best and still answer
MIN_COVERAGE = 0.45  # below this weighted share of its terms in the best sentence, the plan does not say
MIN_SIMILARITY_EN = 0.82  # an English question the lexicon cannot read must be at least this close
MAX_SPAN = 60  # longest quote built from a topical clause to its figure clause
MAX_FACT_SPAN = 40  # longest quote of a fact: its clause and what follows in the sentence

_SENTENCE_END = re.compile(r"[。；;!！?？]")


@dataclass(frozen=True)
class Candidate:
    """A clause of a retrieved chunk, scored against the question."""

    row: int  # row in the clause matrix
    paragraph_id: str
    start: int  # clause span in the paragraph
    end: int
    sentence: tuple[int, int]  # span of the sentence that holds it
    score: float
    similarity: float
    lexical: float  # coverage by the clause alone
    context: float  # coverage by its sentence
    units: frozenset[str]  # units of the figures the clause states (empty: no figure)

    @property
    def has_figure(self) -> bool:
        return bool(self.units)

    def states(self, units: frozenset[str]) -> bool:
        """Does the clause state a figure in one of these units ("场" accepts "场次")?"""
        if not units or "个" in units:  # "几个" is said of anything counted
            return self.has_figure
        return any(u.startswith(w) or w.startswith(u) for u in self.units for w in units)


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
    def extractor(self) -> TermExtractor:
        glossary = [re.sub(r"[“”\"]", "", p.term or "") for p in self.corpus.glossary()]
        return TermExtractor(self.clauses.texts, self.corpus.directory, self.lexicon, glossary)

    @cached_property
    def _corpus_text(self) -> str:
        return "\n".join(p.text for p in self.corpus.paragraphs)

    @cached_property
    def _sentence_spans(self) -> list[tuple[int, int]]:
        """For each clause, the span of its sentence in the paragraph."""
        spans = []
        for pid, (a, b) in zip(self.clauses.paragraph_ids, self.clauses.spans, strict=True):
            text = self.corpus.paragraph(pid).text
            start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, a)), default=0)
            end_match = _SENTENCE_END.search(text, max(b - 1, a))
            spans.append((start, end_match.end() if end_match else len(text)))
        return spans

    @cached_property
    def _match_forms(self) -> list[tuple[str, str, str, frozenset[str]]]:
        """Per clause, computed once: its folded text, its sentence's (a glossary item's term in
        front: "计划规模约1000PB" is the 算力中心's), its paragraph's, and the units it states."""
        paragraphs = {p.id: fold(p.text) for p in self.corpus.paragraphs}
        forms = []
        for row, (pid, text) in enumerate(zip(self.clauses.paragraph_ids, self.clauses.texts, strict=True)):
            whole = self.corpus.paragraph(pid)
            subject = whole.term or "" if whole.kind == "glossary" else ""
            sentence = fold(subject + self._text(pid, self._sentence_spans[row]))
            units = frozenset(f.unit for f in find_figures(text))
            forms.append((fold(text), sentence, paragraphs[pid], units))
        return forms

    def warm_up(self) -> None:
        _ = self._match_forms, self._corpus_text
        self.extractor.terms("预热问题绿地", "zh")
        self.embeddings.embed_query("预热")

    def _text(self, pid: str, span: tuple[int, int]) -> str:
        return self.corpus.paragraph(pid).text[span[0] : span[1]]

    # -- scoring -------------------------------------------------------------------------------

    def _candidates(
        self, terms: Sequence[Term], docs: Sequence[Document], qvec: np.ndarray
    ) -> list[Candidate]:
        ranks: dict[int, int] = {}
        for rank, doc in enumerate(docs):
            pid = doc.metadata.get("paragraph_id")
            for row, clause in enumerate(self.clauses.texts):
                if row not in ranks and (
                    clause in doc.page_content or self.clauses.paragraph_ids[row] == pid
                ):
                    ranks[row] = rank
        rows = sorted(ranks)
        if not rows:
            return []
        sims = self.clauses.vectors[rows] @ qvec
        out = []
        for row, sim in zip(rows, sims, strict=True):
            pid = self.clauses.paragraph_ids[row]
            a, b = self.clauses.spans[row]
            clause_form, sentence_form, paragraph_form, units = self._match_forms[row]
            lexical = coverage(terms, clause_form)
            context = coverage(terms, sentence_form)
            paragraph = coverage(terms, paragraph_form)
            score = (
                W_SIMILARITY * float(sim)
                + W_LEXICAL * lexical
                + W_CONTEXT * context
                + W_PARAGRAPH * paragraph
                + W_RANK / (1 + ranks[row])
            )
            sentence = self._sentence_spans[row]
            out.append(Candidate(row, pid, a, b, sentence, score, float(sim), lexical, context, units))
        return sorted(out, key=lambda c: -c.score)

    # -- answering ----------------------------------------------------------------------------

    def answer(self, question: Question, history: Sequence[tuple[str, str]], started: float) -> Answer:
        """Answer each question of the text in turn: "规模多大?已经建成多少?" is two, the second a follow-up."""
        timings = {"retrieve": 0.0, "answer": 0.0}
        parts: list[Answer] = []
        asked = list(history)
        subs = split_questions(question.text)
        for n, sub in enumerate(subs):
            if n and not is_followup(sub, asked):  # "…规模多大?已经建成多少?": still about 算力中心
                sub = f"{topic_of(subs[0])} {sub}"
            parts.append(self._answer_one(analyse(sub, asked), timings))
            asked.append((sub, parts[-1].text))
        timings["total"] = (time.perf_counter() - started) * 1000
        answered = [a for a in parts if not a.abstained] or parts[:1]
        return Answer(
            question=question.text,
            text="\n".join(a.text for a in answered),
            citations=tuple(merge_citations([c for a in answered for c in a.citations])),
            abstained=all(a.abstained for a in parts),
            mode="extractive",
            timings=timings,
            notes=question.notes,
            lang=answered[0].lang,
        )

    def _answer_one(self, intent: Intent, timings: dict[str, float]) -> Answer:
        if intent.lang == "en":
            query = self.lexicon.expand(intent.text)
        else:  # the plan's own word for a variant ("GDP" → 地区生产总值) helps retrieval too
            query = " ".join([intent.text, *self.extractor.plan_terms(intent.text)])
        t = time.perf_counter()
        docs = self.retriever.invoke(query)
        qvec = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        timings["retrieve"] += (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        answer = self._compose(intent, docs, qvec)
        timings["answer"] += (time.perf_counter() - t) * 1000
        return answer

    def _compose(self, intent: Intent, docs: Sequence[Document], qvec: np.ndarray) -> Answer:
        terms = self.extractor.terms(intent.text, intent.lang)
        candidates = self._candidates(terms, docs, qvec)
        scope = out_of_scope(intent.text, self._corpus_text)
        if scope or not candidates:
            return self._refuse(intent, candidates, docs, reason=scope or "topic")
        if intent.kind == "definition" or (intent.kind == "fact" and self._asks_about_term(intent)):
            defined = self._definition(intent, candidates)
            if defined:
                return defined
        best = candidates[0]
        if not self._on_topic(intent, terms, candidates):
            return self._refuse(intent, candidates, docs, reason="topic")
        if intent.kind in ("figure", "trap"):
            chosen = self._figure_answer(intent, candidates)
            if chosen is None:
                return self._refuse(intent, candidates, docs, reason="no-figure")
            if intent.kind == "trap":
                return self._judge(intent, chosen)
            spans = [chosen]
            if intent.multi:
                spans += self._more_parts(terms, spans, [c for c in candidates if c.has_figure])
            return self._quote(intent, spans)
        spans = [self._fact_span(best, candidates)]
        if intent.multi:
            spans += self._more_parts(terms, spans, candidates)
        return self._quote(intent, spans)

    def _on_topic(self, intent: Intent, terms: Sequence[Term], candidates: Sequence[Candidate]) -> bool:
        """Does the best sentence hold enough of what the question is about?"""
        if intent.lang == "en" and not terms:
            return candidates[0].similarity >= MIN_SIMILARITY_EN
        if intent.multi:
            sentences = dict.fromkeys((c.paragraph_id, c.sentence) for c in candidates[:10])
            joined = " ".join(fold(self._text(pid, span)) for pid, span in list(sentences)[:3])
            return coverage(terms, joined) >= MIN_COVERAGE
        return max(c.context for c in candidates[:10]) >= MIN_COVERAGE

    def _figure_answer(self, intent: Intent, candidates: Sequence[Candidate]) -> tuple[str, int, int] | None:
        """The clause stating the asked figure: the best one, or the one its topical clause leads to."""
        topical = candidates[0]
        stating = [
            c for c in candidates if c.states(intent.units) and c.score >= topical.score - FIGURE_MARGIN
        ]
        if stating and stating[0].lexical >= topical.lexical - 0.01:
            return self._span(stating[0])
        # The subject often comes a clause or two before its figure: "推进城中村自主更新,…,力争实施2-3个项目";
        # in a glossary item the term is the subject of every sentence.
        glossary = self.corpus.paragraph(topical.paragraph_id).kind == "glossary"
        later = [
            m
            for m in candidates
            if m.paragraph_id == topical.paragraph_id
            and m.start > topical.start
            and (m.sentence == topical.sentence or glossary)
            and m.states(intent.units)
        ]
        if later:
            figure = max(later, key=lambda m: (round(m.lexical, 2), m.score))
            return self._span(topical if figure.end - topical.start <= MAX_SPAN else figure, figure)
        return self._span(stating[0]) if stating else None

    @staticmethod
    def _span(topical: Candidate, figure: Candidate | None = None) -> tuple[str, int, int]:
        """A quote span: a clause, or from the topical clause to the figure clause after it."""
        if figure is None:
            return topical.paragraph_id, topical.start, topical.end
        return figure.paragraph_id, min(topical.start, figure.start), figure.end

    def _fact_span(self, best: Candidate, candidates: Sequence[Candidate]) -> tuple[str, int, int]:
        """A fact is often listed after its subject: quote on to the sentence end, within MAX_FACT_SPAN."""
        end = best.end
        for c in sorted(candidates, key=lambda c: c.start):
            if c.paragraph_id == best.paragraph_id and c.sentence == best.sentence and c.start >= end:
                if c.end - best.start > MAX_FACT_SPAN:
                    break
                end = c.end
        return best.paragraph_id, best.start, end

    def _more_parts(
        self, terms: Sequence[Term], chosen: list[tuple[str, int, int]], pool: Sequence[Candidate]
    ) -> list[tuple[str, int, int]]:
        """For "A和B各多少", the clauses covering the terms the first quote left out."""
        covered = " ".join(fold(self._text(pid, (a, b))) for pid, a, b in chosen)
        extra: list[tuple[str, int, int]] = []
        for c in pool:
            missing = [t for t in terms if not t.found_in(covered)]
            if not missing or len(extra) >= 2:
                break
            clause = self._match_forms[c.row][0]
            gained = [t for t in missing if t.found_in(clause)]
            span = (c.paragraph_id, c.start, c.end)
            if gained and span not in chosen + extra and sum(t.weight for t in gained) >= 3.0:
                extra.append(span)
                covered += " " + clause
        return extra

    def _asks_about_term(self, intent: Intent) -> bool:
        """A question naming a glossary term and asking nothing more specific ("三先三后原则呢?")."""
        return self._glossary_match(intent) is not None and not re.search(
            r"哪|谁|which|who|where", intent.text, re.I
        )

    def _glossary_match(self, intent: Intent) -> str | None:
        asked = fold(intent.text)
        for p in self.corpus.glossary():
            term = fold(re.sub(r"[“”\"]", "", p.term or ""))
            short = re.sub(r"(原则|机制|基金|服务)$", "", term)
            if term and (term in asked or (len(short) >= 3 and short in asked)):
                return p.id
        return None

    def _definition(self, intent: Intent, candidates: Sequence[Candidate]) -> Answer | None:
        pid = self._glossary_match(intent)
        if pid is None:
            in_glossary = [c for c in candidates if self.corpus.paragraph(c.paragraph_id).kind == "glossary"]
            if not in_glossary or in_glossary[0].score < candidates[0].score - FIGURE_MARGIN:
                return None
            pid = in_glossary[0].paragraph_id
        paragraph = self.corpus.paragraph(pid)
        definition = re.split(r"[:：]", paragraph.text, maxsplit=1)[-1].strip()
        line = messages.definition_line(intent.lang, paragraph.term or "", definition, pid)
        return _answer(intent, line, [cite(self.corpus, pid, definition)])

    # -- wording ------------------------------------------------------------------------------

    def _quote_text(self, pid: str, a: int, b: int) -> str:
        return self._text(pid, (a, b)).strip().rstrip("。，,；;：:")

    def _quote(self, intent: Intent, spans: Sequence[tuple[str, int, int]]) -> Answer:
        quotes = [(pid, self._quote_text(pid, a, b)) for pid, a, b in spans]
        citations = merge_citations([cite(self.corpus, pid, q) for pid, q in quotes])
        figures = intent.kind in ("figure", "trap")
        lines = [
            messages.quote_line(intent.lang, q, pid, _english_figures(q) if figures else [])
            for pid, q in quotes
        ]
        return _answer(intent, "\n".join(lines), citations)

    def _judge(self, intent: Intent, span: tuple[str, int, int]) -> Answer:
        pid, a, b = span
        quote = self._quote_text(pid, a, b)
        # The figure clause ends the quote; an earlier figure in it may be about something else.
        figures = [f for f in find_figures(quote) if not intent.units or f.unit in intent.units]
        stated = number_tokens(figures[-1].number) if figures else set()
        correct = bool(intent.asserted) and intent.asserted <= stated
        text = messages.judgement(intent.lang, correct, quote, pid, _english_figures(quote))
        return _answer(intent, text, [cite(self.corpus, pid, quote)])

    def _refuse(
        self, intent: Intent, candidates: Sequence[Candidate], docs: Sequence[Document], reason: str
    ) -> Answer:
        nearest: list[Citation] = []
        for c in candidates:
            if len(nearest) >= 3:
                break
            if all(n.id != c.paragraph_id for n in nearest):
                nearest.append(
                    cite(self.corpus, c.paragraph_id, self._quote_text(c.paragraph_id, c.start, c.end))
                )
        if not nearest:
            ids = [str(d.metadata.get("paragraph_id")) for d in docs]
            nearest = [cite(self.corpus, pid) for pid in dict.fromkeys(ids) if pid in self.corpus][:3]
        text = messages.not_found(intent.lang, reason, [n.id for n in nearest])
        return _answer(intent, text, nearest, abstained=True)


def _english_figures(quote: str) -> list[str]:
    return [f"{figure_in_english(f)} ({f.text})" for f in find_figures(quote)]


def _answer(intent: Intent, text: str, citations: Sequence[Citation], *, abstained: bool = False) -> Answer:
    return Answer(
        question=intent.text,
        text=text,
        citations=tuple(citations),
        abstained=abstained,
        mode="extractive",
        lang=intent.lang,
    )
