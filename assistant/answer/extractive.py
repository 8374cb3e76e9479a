"""The offline answerer: picks the clauses of the retrieved chunks that answer, quotes them verbatim.

No generation: every word of an answer is either a fixed frame or the plan's own text, so a
figure always arrives with its unit and qualifier, and nothing is said the plan does not say.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from functools import cached_property

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.answer import enumeration, location, messages
from assistant.answer.english import figure_in_english
from assistant.answer.intent import (
    ATTRIBUTE_WORD,
    CLAIMS_ALL,
    CLAIMS_DONE,
    CLAIMS_STARTED,
    MONEY_UNITS,
    NUMBER_WORD,
    asked_units,
    asks_quantity,
    asserted_numbers,
    wrong_level,
)
from assistant.answer.result import Answer
from assistant.answer.terms import Term, coverage, is_action, most_specific
from assistant.answer.timeframe import Timeframe, When
from assistant.chunking import split_clauses
from assistant.citations import Citation, cite, merge_citations
from assistant.corpus import Corpus, Paragraph, glossary_id
from assistant.figure_table import FigureFact, build_figure_table
from assistant.figures import find_figures, number_tokens
from assistant.index import ClauseMatrix
from assistant.query import Query
from assistant.retrieval import HybridRetriever
from assistant.scope import Profiles
from assistant.text import FULL_STOP, fold

# Weights of the clause score; calibrated on eval/dataset.jsonl (see README, "Calibration").
W_SIMILARITY = 4.0  # e5 cosine, question vs clause: carries English questions
W_LEXICAL = 1.5  # weighted share of the question's terms found in the clause
W_CONTEXT = 0.8  # ... found in the clause's sentence (the subject is often a clause earlier)
W_PARAGRAPH = 0.4  # ... found in its paragraph (a glossary item names its term once, up front)
W_RANK = 0.3  # the retriever's rank of the chunk holding the clause
W_PREVIOUS = 0.3  # a follow-up's clause in a paragraph the last answer cited
FIGURE_MARGIN = 0.35  # a sentence with a figure may score this much below the best and still answer
MIN_COVERAGE = 0.45  # below this weighted share of its terms in the best sentence, the plan does not say
MIN_SIMILARITY_EN = 0.82  # an English question the lexicon cannot read must be at least this close
MAX_SPAN = 60  # longest quote built from a topical clause to its figure clause
MAX_FACT_SPAN = 120  # longest quote of a fact: its clause and the rest of its sentence
MAX_LEAD = 16  # a sentence this short, without a figure, heads the next one ("以破局思维推进商圈复兴。")
PERIOD_LEAD = 30  # a paragraph opening "——这五年，…" speaks of the period throughout
WARM_FIGURES = 500  # up to this many figures, warm_up embeds their subjects (a library's wait until asked)
MAX_MEMBER_SENTENCE = 20  # characters of a sentence heading a passage, a counted word's member
MAX_MORE = 3  # "还提了啥?": this many sentences at most
ACTION_SHARE = 0.5  # a verb of the question ("新建", "built") weighs this share of a term in scoring clauses
W_SUBJECT = 1.0  # a figure whose own subject holds the question's terms beats its neighbours
MAIN_SUBJECT_MARGIN = 1.0  # terms this close to the heaviest one are the question's main subject
RATE_UNITS = frozenset(["%", "个百分点", "位数"])  # a rate of change or a share, not a level
COUNT_UNITS = frozenset(
    ["个", "家", "所", "部", "条", "座", "户", "项", "处", "场", "次", "名", "人", "场次"]
)
# "今年对它有什么安排?": what the plan does about a term, which its body says (not the glossary)
_ASKS_ACTION = re.compile(
    r"安排|目标|打算|举措|措施|任务|要求|要做|怎么做|做什么|推进|部署|\b(?:plans? (?:to|for)|planning|planned|targets?|arrangements?|measures|doing|do (?:about|with)|commits?|this year)\b",
    re.I,
)
# A figure stated as reached ("已建成430PB", "累计…"), not as a target or what a year adds
_ACHIEVED = re.compile(r"已|累计|现有|目前|存量")
_BUILT_ON = re.compile(r"在完成[^,，;；。]{0,12}基础上")  # "在完成首批4个试点基础上": reached before
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:街道|镇|村|社区|路|街|大道|地块|园区|片区|大桥|广场)")
# the plan's words for something finished, held against a claim that it is (intent.CLAIMS_DONE)
_DONE = re.compile(r"建成|投用|投入使用|竣工|完工|开业|开诊|落成|通车|完成|启用")
_ONE_SENTENCE = re.compile(r"[这那]句|原句|\b(?:sentence|line)\b", re.I)
_GLOSSARY = re.compile(r"名词解释|\bglossary\b", re.I)  # only the glossary is asked
_DATE = re.compile(r"(?:19|20)\d\d年|\d{1,2}月|年底|年内|年末|年初|上半年|下半年|季度|按期|当年|今年")
_COUNTED_SLOGAN = re.compile(r"[“\"]([^”\"]*[一二两三四五六七八九十\d][^”\"]*)[”\"]")
_COUNT = re.compile(r"[一二两三四五六七八九十百\d]+大?|[+＋]")

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
        """Does the clause state a figure in one of these units ("场" accepts "场次")? "几个" alone is
        said of anything counted."""
        if not units or units == {"个"}:
            return self.has_figure
        return any(_unit_fits(u, units) for u in self.units)


class ExtractiveAnswerer:
    """Question → retrieved chunks → scored clauses → a quoted, cited answer (or a refusal)."""

    def __init__(
        self,
        corpus: Corpus,
        clauses: ClauseMatrix,
        embeddings: Embeddings,
        retriever: BaseRetriever,
        profiles: Profiles,
    ) -> None:
        self.corpus = corpus
        self.clauses = clauses
        self.embeddings = embeddings
        self.retriever = retriever
        self.profiles = profiles
        self._vectors: dict[tuple[str, int, str], np.ndarray] = {}

    @cached_property
    def figures(self) -> dict[str, list[FigureFact]]:
        """The figure table by paragraph."""
        table: dict[str, list[FigureFact]] = {}
        for fact in build_figure_table(self.corpus.paragraphs):
            table.setdefault(fact.paragraph_id, []).append(fact)
        return table

    def _figure_vector(self, fact: FigureFact) -> np.ndarray:
        """The e5 vector of what a figure measures (English and everyday wording meet the plan's
        here); a paragraph's figures are embedded together, the first time one is needed."""
        key = (fact.paragraph_id, fact.figure.start, fact.subject)
        if key not in self._vectors:
            facts = self.figures.get(fact.paragraph_id, [])
            vectors = self.embeddings.embed_documents([f.describes() for f in facts])
            for f, v in zip(facts, vectors, strict=True):
                self._vectors[(f.paragraph_id, f.figure.start, f.subject)] = np.asarray(v, dtype=np.float32)
        return self._vectors[key]

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
    def _folded_paragraphs(self) -> dict[str, str]:
        """Each paragraph's folded text, by ID."""
        return {p.id: fold(p.text) for p in self.corpus.paragraphs}

    @cached_property
    def _surroundings(self) -> dict[str, str]:
        """Each paragraph's folded text with its section headings: where a field is named."""
        return {p.id: fold(" ".join((*p.section_path, p.text))) for p in self.corpus.paragraphs}

    @cached_property
    def _folded_documents(self) -> dict[str, str]:
        """Each document's folded paragraphs, one a line (a form never spans two), by document ID."""
        return {
            doc.id: "\n".join(self._folded_paragraphs[p.id] for p in doc.paragraphs)
            for doc in self.corpus.documents
        }

    @cached_property
    def _match_forms(self) -> list[tuple[str, str, str, frozenset[str]]]:
        """Per clause, computed once: its folded text, its sentence's (a glossary item's term in
        front: "计划规模约1000PB" is the 算力中心's), its paragraph's, and the units it states."""
        paragraphs = self._folded_paragraphs
        forms = []
        for row, (pid, text) in enumerate(zip(self.clauses.paragraph_ids, self.clauses.texts, strict=True)):
            whole = self.corpus.paragraph(pid)
            subject = whole.term or "" if whole.kind == "glossary" else ""
            sentence = fold(subject + self._text(pid, self._sentence_spans[row]))
            units = frozenset(f.unit for f in find_figures(text))
            forms.append((fold(text), sentence, paragraphs[pid], units))
        return forms

    def warm_up(self) -> None:
        _ = self._match_forms, self.figures, self.timeframe.review
        if sum(map(len, self.figures.values())) <= WARM_FIGURES:  # a plan's worth: embed its subjects now
            for facts in self.figures.values():
                self._figure_vector(facts[0])
        self.embeddings.embed_query("预热")

    def _text(self, pid: str, span: tuple[int, int]) -> str:
        return self.corpus.paragraph(pid).text[span[0] : span[1]]

    # -- scoring -------------------------------------------------------------------------------

    @cached_property
    def timeframe(self) -> Timeframe:
        return Timeframe(self.corpus)

    def _with_paragraphs(self, docs: list[Document], ids: Sequence[str]) -> list[Document]:
        """The retrieved chunks, and these paragraphs as candidates too (ranked after them)."""
        held = {d.metadata.get("paragraph_id") for d in docs}
        extra = [
            Document(self.corpus.paragraph(pid).text, metadata={"paragraph_id": pid})
            for pid in dict.fromkeys(ids)
            if pid not in held and pid in self.corpus
        ]
        return docs + extra

    def _candidates(
        self,
        terms: Sequence[Term],
        docs: Sequence[Document],
        qvec: np.ndarray,
        when: When = "",
        previous: frozenset[str] = frozenset(),
        asked: str = "",
        area: Sequence[Term] = (),
    ) -> list[Candidate]:
        if any(not is_action(t) for t in terms):  # "the new settlement being built": 集居点 decides
            terms = [
                dataclass_replace(t, weight=t.weight * ACTION_SHARE) if is_action(t) else t for t in terms
            ]
            area = [t for t in terms if any(t.forms == a.forms for a in area)]
        ranks: dict[int, int] = {}
        for rank, doc in enumerate(docs):
            pid = doc.metadata.get("paragraph_id")
            home = pid.split("/")[0] + "/" if isinstance(pid, str) else ""
            for row in self.clauses.rows_for(doc.page_content, pid):
                if self.clauses.paragraph_ids[row].startswith(home):  # never another document's clause
                    ranks.setdefault(row, rank)
        rows = sorted(ranks)
        if not rows:
            return []
        sims = self.clauses.vectors[rows] @ qvec
        out = []
        unasked = _unasked_compounds(terms, asked)
        own_terms = [t for t in terms if t not in area] or list(terms)
        for row, sim in zip(rows, sims, strict=True):
            pid = self.clauses.paragraph_ids[row]
            a, b = self.clauses.spans[row]
            clause_form, sentence_form, paragraph_form, units = self._match_forms[row]
            if unasked:  # "人均地区生产总值" does not name the 地区生产总值 asked about
                clause_form, sentence_form = _masked(clause_form, unasked), _masked(sentence_form, unasked)
            # a field says where, not what: a clause need not name it, but one that does is no worse
            lexical = coverage(own_terms, clause_form)
            if area:  # "在医保影像方面有什么布局?": 加速布局医保影像… names both
                lexical = max(lexical, coverage(terms, clause_form))
            context = coverage(terms, sentence_form)
            if area:  # "安全生产这块…": the field may be named by the paragraph or its section only
                context = _coverage_within(terms, sentence_form, area, self._surroundings[pid])
            paragraph = coverage(terms, paragraph_form)
            score = (
                -self.timeframe.penalty(pid, when, _period_text(paragraph_form, sentence_form, when), asked)
                + W_SIMILARITY * float(sim)
                + W_LEXICAL * lexical
                + W_CONTEXT * context
                + W_PARAGRAPH * paragraph
                + W_RANK / (1 + ranks[row])
                + W_PREVIOUS * (pid in previous)
            )
            sentence = self._sentence_spans[row]
            out.append(Candidate(row, pid, a, b, sentence, score, float(sim), lexical, context, units))
        return sorted(out, key=lambda c: -c.score)

    # -- answering ----------------------------------------------------------------------------

    def answer(self, query: Query, started: float) -> Answer:
        """Answer a query; a message of several questions is answered part by part."""
        timings = {"retrieve": 0.0, "answer": 0.0}
        if query.meta:
            parts = [self._about_last_answer(query)]
        else:
            parts, quoted = [], set()
            for part in query.parts or (query,):  # each part of "…多大?已经建成多少?" gets its own figure
                parts.append(self._answer_one(part, timings, frozenset(quoted)))
                quoted |= {(c.id, c.quote) for c in parts[-1].citations}
        if query.locate and not query.meta:  # "哪一部分提到了X?": where, then what it says
            parts = [self._located(query, a) for a in parts]
        timings["total"] = (time.perf_counter() - started) * 1000
        answered = [a for a in parts if not a.abstained] or parts[:1]
        return Answer(
            question=query.question,
            text="\n".join(dict.fromkeys(a.text for a in answered)),
            citations=tuple(merge_citations([c for a in answered for c in a.citations])),
            abstained=all(a.abstained for a in parts),
            mode="extractive",
            timings=timings,
            notes=query.notes,
            lang=answered[0].lang,
        )

    def _answer_one(
        self, query: Query, timings: dict[str, float], quoted: frozenset[tuple[str, str]] = frozenset()
    ) -> Answer:
        if len(query.docs) > 1:  # "钟楼区和江苏省…分别是多少?": each document answers for itself
            answers = [
                self._answer_one(dataclass_replace(query, docs=(doc,)), timings, quoted) for doc in query.docs
            ]
            found = [a for a in answers if not a.abstained] or answers[:1]
            return dataclass_replace(
                found[0],
                text="\n".join(a.text for a in found),
                citations=tuple(merge_citations([c for a in found for c in a.citations])),
                abstained=all(a.abstained for a in answers),
            )
        t = time.perf_counter()
        if isinstance(self.retriever, HybridRetriever):  # scoped to the documents asked about
            docs = self.retriever.invoke(query.retrieval, docs=query.docs)
        else:  # another retriever (the eval's baseline): keep the documents' chunks of its results
            docs = [
                d
                for d in self.retriever.invoke(query.retrieval)
                if not query.docs or str(d.metadata.get("paragraph_id", "")).split("/")[0] in query.docs
            ]
        if query.kind in ("figure", "trap"):  # a report's main targets, whatever the retriever ranked
            docs = self._with_paragraphs(
                list(docs), [pid for doc, pid in self.timeframe.targets.items() if doc in query.docs]
            )
        if query.followup:  # "水呢?": the paragraphs just cited are where a follow-up most often is
            docs = self._with_paragraphs(
                list(docs), [pid for pid in query.previous if pid.split("/")[0] in query.docs]
            )
        qvec = np.asarray(self.embeddings.embed_query(query.retrieval), dtype=np.float32)
        timings["retrieve"] += (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        answer = self._compose(query, docs, qvec, quoted)
        timings["answer"] += (time.perf_counter() - t) * 1000
        return answer

    def _compose(
        self,
        query: Query,
        docs: Sequence[Document],
        qvec: np.ndarray,
        quoted: frozenset[tuple[str, str]] = frozenset(),
    ) -> Answer:
        terms = query.terms
        when = self.timeframe.when_asked(query.text, query.docs)
        candidates = self._candidates(
            terms,
            docs,
            qvec,
            when=when,
            previous=frozenset(query.previous) if query.followup else frozenset(),
            asked=fold(query.text),
            area=query.area,
        )
        if query.scope or not candidates:
            return self._refuse(query, candidates, docs, reason=query.scope or "topic")
        if query.entry_number:  # "第6条呢?": the glossary's sixth entry, whatever else matched
            return self._glossary_entry(query, candidates, docs)
        if query.counted and (members := self._counted_members(query)):
            return members  # "讲了哪三个“始终”?": the sentences using the word
        if query.sought and (stating := self._stating(query, candidates)):
            # "提到14所学校的,那是干嘛的?", "另一个“12个”是什么?": the clauses stating that figure
            if query.last_answer:  # another than the last answer's: the figure alone says which
                return self._quote(query, [self._span(stating[0])])
            candidates = stating
        if query.area:  # "On rural revitalization, …", "在养老方面…": what lies in that field first
            candidates = [c for c in candidates if self._in_area(query, c.paragraph_id)] or candidates
        if query.focus:  # "那加装呢?": only what names 加装 answers, not the last answer's 更新改造
            focused = [
                [
                    c
                    for c in candidates
                    # a glossary item's term is the subject of each of its sentences
                    if any(
                        t.found_in(self._match_forms[c.row][level] + self._term_of(c)) for t in query.focus
                    )
                ]
                for level in (0, 1)  # its clause names it, else its sentence
            ]
            if focused[0] and query.kind in ("figure", "trap"):  # ... and what follows such a clause in
                # its sentence ("持续推进经开区争先进位,力争跻身省级开发区前20名": the subject, then its figure)
                heads = [(c.paragraph_id, c.sentence, c.start) for c in focused[0]]
                focused[0] = [
                    c
                    for c in candidates
                    if c in focused[0]
                    or any(c.paragraph_id == p and c.sentence == s and c.start > a for p, s, a in heads)
                ]
            focused = focused[0] or focused[1]
            if not focused and query.followup:  # "那加装呢?" with nothing on 加装: the plan does not say
                return self._refuse(query, candidates, docs, reason="topic")
            candidates = focused or candidates  # "How many measures did it roll out?": measures first
        if _GLOSSARY.search(query.question) and query.kind in ("definition", "fact"):
            # "名词解释里怎么解释的?": only an entry of the glossary answers, and it may have none
            heaviest = max(terms, key=lambda t: t.weight, default=None)  # "“阳光信托”是什么模式?": 阳光信托
            entries = [
                c
                for c in self._in_glossary(candidates)
                if coverage(terms, self._folded_paragraphs[c.paragraph_id]) >= MIN_COVERAGE
                and (heaviest is None or heaviest.found_in(self._folded_paragraphs[c.paragraph_id]))
            ]
            if self._glossary_match(query) is None and not entries:
                return self._refuse(query, candidates, docs, reason="glossary")
            return self._definition(query, entries or candidates) or self._refuse(
                query, candidates, docs, reason="glossary"
            )
        in_body = query.in_body  # "正文里这个原则用在哪?": not its definition
        if not in_body and (
            query.kind == "definition" or (query.kind == "fact" and self._asks_about_term(query))
        ):
            defined = self._definition(query, candidates)
            if defined:
                return defined
        if (query.kind == "fact" and _ASKS_ACTION.search(query.text)) or query.in_body:
            candidates = self._in_body(candidates)
            if not candidates:
                return self._refuse(query, candidates, docs, reason="topic")
        best = candidates[0]
        if query.claimed:  # a claim's words the plan never uses may be what is false ("…搬迁出去吧?")
            topical = query.claim_topic or [t for t in terms if not t.absent] or list(terms)
            on_topic = (
                max(coverage(topical, self._match_forms[c.row][1]) for c in candidates[:10]) >= MIN_COVERAGE
            )
        else:
            on_topic = self._on_topic(query, terms, candidates)
        if not on_topic:
            return self._refuse(query, candidates, docs, reason="topic")
        if query.asks_for and query.kind == "fact":  # "争创个什么示范园?": a clause naming 示范园, if
            named = [  # one scores nearly as well
                c for c in candidates if any(t.found_in(self._match_forms[c.row][0]) for t in query.asks_for)
            ]
            if named and named[0].score >= candidates[0].score - FIGURE_MARGIN:
                candidates = named + [c for c in candidates if c not in named]
                best = candidates[0]
        if query.kind == "trap" and query.last_answer and (judged := self._judge_last(query)):
            return judged  # "So that's the 40 units, right?": the figure just given is the one meant
        if query.kind in ("figure", "trap") and query.attribute not in ("date", "list", "phrasing"):
            if query.uncounted:  # "How many places…?": no figure can be shown to count places
                return self._refuse(query, candidates, docs, reason="attribute", cite_first=best)
            if when:  # "2025年…是多少?" of a 2026 report: only its review's figures answer
                in_year = [c for c in candidates if not self.timeframe.other_year(c.paragraph_id, when)]
                if not in_year:
                    return self._refuse(query, candidates, docs, reason="no-figure", cite_first=best)
                candidates = in_year
            chosen = self._figure_answer(query, candidates)
            owned = self._own_subject(query, chosen, qvec, quoted) if chosen else None
            if owned is None and (qualitative := self._qualitative_goal(query, best)):
                return qualitative
            if chosen is None and query.kind == "trap" and self._names_main_subject(query, best.paragraph_id):
                # "“三公”经费要减少10%，对吧?": the plan's sentence gives no figure; it is the answer
                span = self._fact_span(best)
                quote = self._quote_text(*span)
                return _answer(
                    query,
                    messages.no_such_figure(query.lang, quote, span[0]),
                    [cite(self.corpus, span[0], quote)],
                )
            if chosen is None:
                return self._refuse(query, candidates, docs, reason="no-figure", cite_first=best)
            if owned is None:  # the sentence's figures are other items': the plan gives none for this
                return self._refuse(query, candidates, docs, reason="attribute", cite_first=best)
            chosen, fact = owned
            if not self._names_main_subject(query, chosen[0]) or not self._in_area(query, chosen[0]):
                return self._refuse(query, candidates, docs, reason="attribute", cite_first=best)
            if query.kind == "trap":
                return self._judge(query, chosen)
            spans = [chosen]
            if query.multi:
                spans += self._more_parts(query, spans, [c for c in candidates if c.has_figure])
                spans += self._more_units(query, spans, candidates)
            return self._quote(query, spans, resolved=fact)
        if query.what_else:  # "还提了啥?", "what else does it say about…?": not what was just quoted
            fresh = [
                c for c in candidates if self._text(c.paragraph_id, (c.start, c.end)) not in query.last_answer
            ]
            if not fresh:
                return self._refuse(query, candidates, docs, reason="topic")
            candidates, best = fresh, fresh[0]
        span = self._fact_span(best)
        if query.attribute == "name":  # "What's the campaign that goes with it called?": its quoted name
            span = self._with_name(best, span)
        # a claim need only be about its topic: its other words are what may be false ("…国家级…吧?")
        about = dataclass_replace(query, terms=query.claim_topic) if query.claim_topic else query
        if not self._names_main_subject(about, span[0]):  # "doing with QFLP funds": 基金招商 is not it
            return self._refuse(query, candidates, docs, reason="attribute", cite_first=best)
        asks_number = asks_quantity(query.question) or (
            NUMBER_WORD.search(query.question) and not self._among_targets(span[0])
        )
        figures = find_figures(self._text(span[0], span[1:]))
        if query.attribute == "money":  # "What budget is allocated to it?": an amount of money, or nothing
            asks_number, figures = True, [f for f in figures if f.unit in MONEY_UNITS]
        if (query.positions or query.member_words) and (picked := self._picked_members(query, span)):
            return picked  # "“十大行动”里第一个和最后一个?", "…跟人才有关的是哪几个?"
        if asks_number and not figures:
            # "Does it give an actual debt ceiling figure?": the words it gives are not a number
            return self._refuse(query, candidates, docs, reason="no-figure", cite_first=best)
        if not self._gives_attribute(query, span):
            return self._refuse(query, candidates, docs, reason="attribute", cite_first=best)
        if query.claimed or (
            query.claim and any(p.search(query.question) for p in (CLAIMS_ALL, CLAIMS_DONE, CLAIMS_STARTED))
        ):
            return self._check_claim(query, span)  # "…两个中心合并吧?", "every SME…, right?"
        spans = [span]
        if self._among_targets(span[0]) and (detail := self._detail(query, candidates)):
            spans.append(detail)  # "大气环境质量的目标?": the headline target, and what its section sets
        if query.multi:
            spans += self._more_parts(query, spans, candidates)
        if query.what_else:
            spans += self._more_on(query, spans, candidates)
        return self._quote(query, spans)

    def _stating(self, query: Query, candidates: Sequence[Candidate]) -> list[Candidate]:
        """The candidates stating the figure a question names (its unit too, when it gives one), not
        those the last answer quoted when it asks for another ("另一个“12个”")."""
        named = _counted(query.question)
        stating = []
        for c in candidates:
            clause = self._text(c.paragraph_id, (c.start, c.end))
            if query.last_answer and clause.strip("。，,；;") in query.last_answer:
                continue
            numbers = {n for f in find_figures(clause) for n in number_tokens(f.number)}
            if _counted(clause) & named if named else query.sought <= numbers:
                stating.append(c)
        return stating

    def _more_on(
        self, query: Query, chosen: list[tuple[str, int, int]], candidates: Sequence[Candidate]
    ) -> list[tuple[str, int, int]]:
        """ "还提了啥?": other sentences naming the subject, up to MAX_MORE in all, none quoted before."""
        things = most_specific([t for t in (query.area or query.terms) if not is_action(t)])
        spans = list(chosen)
        for c in candidates:
            if len(spans) >= MAX_MORE:
                break
            span = self._fact_span(c)
            text = self._text(span[0], span[1:])
            if span in spans or text.strip("。") in query.last_answer:
                continue
            if any(pid == span[0] and a < span[2] and span[1] < b for pid, a, b in spans):
                continue  # overlaps a quote already chosen
            if any(t.found_in(fold(text)) for t in things) and self._in_area(query, c.paragraph_id):
                spans.append(span)
        return spans[len(chosen) :]

    def _check_claim(self, query: Query, span: tuple[str, int, int]) -> Answer:
        pid, a, b = span
        text = self.corpus.paragraph(pid).text
        # what the plan says of the claim's topic is in the clause naming it: "…西直街地块等5个危旧房治理,
        # 启动东头村等2个老旧小区改造" does not put 危旧房治理 in 东头村
        topical = [
            (c, d)
            for c, d in split_clauses(text)
            if a <= c and d <= b and any(t.found_in(fold(text[c:d])) for t in query.claim_topic)
        ]
        # only a clause that is a whole item of its own, counted ("…等5个危旧房治理"); one that opens
        # what follows ("深化基层医疗…改革,整建制合并南大街…") says it with the rest
        if (
            len(topical) == 1
            and find_figures(text[topical[0][0] : topical[0][1]])
            and any(
                not t.found_in(fold(text[topical[0][0] : topical[0][1]])) and t.found_in(fold(text[a:b]))
                for t in query.claimed
            )
        ):
            a, b = topical[0]
        quote = self._quote_text(pid, a, b)
        said = fold(quote + (self.corpus.paragraph(pid).term or ""))  # a glossary item: its term too
        unsaid = [t.forms[0] for t in query.claimed if not t.found_in(said)]
        universal = CLAIMS_ALL.search(query.question)
        if universal and any(f.unit == "%" and (f.value or 100) < 100 for f in find_figures(quote)):
            unsaid.append(universal.group(0))  # "所有中小企业…吧?" where the plan says 50%中小企业
        if level := wrong_level(query.question, quote):  # "…aims for national level, right?"
            unsaid.append(level)
        started = CLAIMS_STARTED.search(query.question)
        if started and _DONE.search(quote) and not CLAIMS_STARTED.search(quote):  # "…只开工吧?" vs 竣工
            unsaid.append(started.group(0))
        done = CLAIMS_DONE.search(query.question)
        if done and not _DONE.search(quote):  # "…今年就能建成投用了吧?" where the plan says 主体施工
            unsaid.append(done.group(0))
        unsaid = list(dict.fromkeys(unsaid))
        unsaid = [
            w for w in unsaid if not any(w != other and w in other for other in unsaid)
        ]  # 只是开工, not 开工 too
        text = messages.claim_check(query.lang, unsaid, quote, pid)
        return _answer(query, text, [cite(self.corpus, pid, quote)])

    def _qualitative_goal(self, query: Query, best: Candidate) -> Answer | None:
        """ "那一般公共预算收入呢?" after a figure: the plan's goal is words ("保持稳定增长"), which is
        the answer, unless the question itself asked for a number ("增长多少?"): then it refuses."""
        if asks_quantity(query.question) or asserted_numbers(query.question) or asked_units(query.question):
            return None  # "增长多少?", "8%对吗?", "target in yuan": a number is what was asked (a unit
            # carried from the last question is not: "腾龙大道呢?" after "…多少条道路?")
        if NUMBER_WORD.search(query.question) and not self._among_targets(best.paragraph_id):
            return None  # "any number for the debt ceiling?": words elsewhere are no target, only the
            # report's main targets may be set in words ("居民人均可支配收入与经济增长同步")
        if self.corpus.paragraph(best.paragraph_id).kind != "body" or not self._names_main_subject(
            query, best.paragraph_id
        ):
            return None  # a glossary entry defines a term; it sets no goal
        spans = [self._fact_span(best)]
        if best.lexical >= MIN_COVERAGE:  # the clause itself names the subject: it may stand alone
            spans.append((best.paragraph_id, best.start, best.end))
        for span in spans:
            if not find_figures(self._text(span[0], span[1:])):
                if not NUMBER_WORD.search(query.question):
                    return self._quote(dataclass_replace(query, kind="fact", attribute="fact"), [span])
                quote = self._quote_text(*span)  # "is there a number?": no, and what it says instead
                return _answer(
                    query,
                    messages.goal_in_words(query.lang, quote, span[0]),
                    [cite(self.corpus, span[0], quote)],
                )
        return None

    def _detail(self, query: Query, candidates: Sequence[Candidate]) -> tuple[str, int, int] | None:
        """Beside a headline target in words ("大气、水环境质量改善…"), the clause of the report's body
        naming the same subject as well, scoring nearly as high ("确保大气质量稳定达到国家二级标准")."""
        best = candidates[0]
        for c in candidates[1:]:
            if c.score < best.score - FIGURE_MARGIN:
                break
            if not self._among_targets(c.paragraph_id) and c.lexical >= max(
                MIN_COVERAGE, best.lexical - 0.01
            ):
                return self._fact_span(c)
        return None

    def _among_targets(self, pid: str) -> bool:
        """Is the paragraph its report's list of main targets for the year?"""
        return self.timeframe.targets.get(pid.split("/")[0]) == pid

    def _names_main_subject(self, query: Query, pid: str) -> bool:
        """One of the question's most specific terms, when its document uses them anywhere, is in the
        paragraph answering: "多少个充电桩" (充电 is only in 飞线充电, elsewhere) is not answered by 口袋公园."""
        if not query.terms:
            return True
        if (
            query.kind in ("figure", "trap")
            and (query.lang == "en" or query.previous)
            and all(is_action(t) for t in query.terms)
        ):  # "how many will be launched?" (a verb via the lexicon) or a verb alone after an answer
            return False  # names no subject: any 启用 is not its figure
        # the subject, not what is asked of it ("percentage" → 比重 is no subject of its own)
        subjects = [t for t in query.terms if not is_action(t) and not ATTRIBUTE_WORD.fullmatch(t.forms[0])]
        things = most_specific(subjects or [t for t in query.terms if not is_action(t)] or list(query.terms))
        heaviest = max(t.weight for t in things)
        main = [t for t in things if t.weight >= heaviest - MAIN_SUBJECT_MARGIN]
        if any(t.found_in(self._folded_paragraphs[pid]) for t in main):
            return True
        document = self._folded_documents[pid.split("/")[0]]
        return not any(t.found_in(document) for t in main)

    def _outline(self, query: Query) -> Answer:
        """ "分了哪几方面?": the document's numbered parts; "第一个下面分哪几块?": that part's sections."""
        doc = (query.docs or (self.profiles.default,))[0]
        paragraphs = self.corpus.only(doc).paragraphs
        listed = location.parts_of(paragraphs)
        if query.outline_part:
            if query.outline_part > len(listed):
                return self._refuse(query, [], [], reason="topic")
            listed = location.sections_under(paragraphs, listed[query.outline_part - 1])
        if not listed:
            return self._refuse(query, [], [], reason="topic")
        items = [(p.id, location.heading_of(p)) for p in listed]
        if query.positions:  # "第二方面下面第一个小节的标题?": that section only
            items = [items[n - 1] for n in query.positions if 0 < n <= len(items)] or items
        text = messages.outline(query.lang, items, part=query.outline_part)
        return _answer(query, text, [cite(self.corpus, pid, heading) for pid, heading in items])

    def _in_area(self, query: Query, pid: str) -> bool:
        """Is the paragraph in the field asked about ("安全生产这块…", or what "it" stands for), by
        its own words or its section's?"""
        area = most_specific(query.area)
        return not area or any(_names_field(t, self._surroundings[pid]) for t in area)

    def _in_glossary(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        return [c for c in candidates if self.corpus.paragraph(c.paragraph_id).kind == "glossary"]

    def _in_body(self, candidates: list[Candidate]) -> list[Candidate]:
        """What the plan does about a term is in its body; the glossary only defines it ("What is
        the plan doing with QFLP funds?" is not answered by QFLP's definition)."""
        return [c for c in candidates if self.corpus.paragraph(c.paragraph_id).kind != "glossary"]

    def _named_without_figure(self, query: Query, pid: str, fact: FigureFact, things: Sequence[Term]) -> bool:
        """Is the question's most specific term named in a clause of the sentence with no figure of
        its own? Then the sentence's figures are its neighbours' ("腾龙大道二期按期竣工,…,新增里程10公里")."""
        top = max(things, key=lambda t: t.weight)
        text = self.corpus.paragraph(pid).text
        facts = self.figures.get(pid, [])
        start, end = fact.sentence
        clauses = [
            (a, b) for a, b in split_clauses(text) if start <= a < end and top.found_in(fold(text[a:b]))
        ]
        return bool(clauses) and not any(a <= f.figure.start < b for a, b in clauses for f in facts)

    def _gives_attribute(self, query: Query, span: tuple[str, int, int]) -> bool:
        """Does the quote give what was asked of its subject (a date, the members of a list)?"""
        pid, a, b = span
        quote = self._text(pid, (a, b))
        if query.attribute == "date":
            return bool(_DATE.search(quote))
        if query.attribute == "list":
            return _lists_members(quote, query.terms, query.text)
        if query.attribute == "place":  # "建在哪个街道?": a definition names no place
            return bool(_PLACE.search(quote))
        return True

    def _own_subject(
        self,
        query: Query,
        span: tuple[str, int, int],
        qvec: np.ndarray,
        quoted: frozenset[tuple[str, str]] = frozenset(),
    ) -> tuple[tuple[str, int, int], FigureFact | None] | None:
        """The figure of the span's sentence whose own subject is the one asked about.

        "新认定科小超480家、潜在独角兽5家,专精特新企业超150家、高企超500家": asked about 高企, the
        quote is 高企's figure; asked about a thing the sentence names without a figure of its own
        (腾龙大道二期 beside 新增里程10公里), there is none (``None``).
        """
        pid, a, b = span
        facts = self.figures.get(pid, [])
        in_sentence = [f for f in facts if f.sentence[0] <= a < f.sentence[1] or a <= f.figure.start < b]
        if not in_sentence or not query.terms:
            return span, None
        if (accepted := _counting(query)) and accepted != {"个"}:  # "多少条举措": 条, or 个, not 家
            fitting = [f for f in in_sentence if _unit_fits(f.unit, accepted)]
            in_sentence = fitting or in_sentence
        if query.focus:  # "那加装呢?": 加装's figure, not the 更新改造 beside it
            named = [f for f in in_sentence if any(t.found_in(fold(f.describes())) for t in query.focus)]
            in_sentence = named or in_sentence
        if query.measure == "stock":  # "累计装机现在有多少?": only a figure stated as reached answers
            in_sentence = [
                f
                for f in in_sentence
                if (
                    _ACHIEVED.search(self._text(pid, f.statement))
                    or _BUILT_ON.search(
                        self._text(pid, (max(f.sentence[0], f.statement[0] - 4), f.sentence[1]))
                    )
                )
                # its subject, named by the figure or earlier in its sentence ("推进城中村自主更新,在完成
                # 首批4个试点基础上")
                and coverage(query.terms, fold(f.describes() + self._text(pid, f.sentence))) > 0
            ]
            if not in_sentence:
                return None
        elif query.measure == "planned":  # "计划规模多大?": not what is built already
            in_sentence = [
                f for f in in_sentence if not _ACHIEVED.search(self._text(pid, f.statement))
            ] or in_sentence
        elif query.measure:  # "GDP总量": the level, not its growth rate; "增速": the rate
            in_sentence = [f for f in in_sentence if _measures(f.unit, query.measure)] or in_sentence

        asked = fold(query.text)
        things = [t for t in query.terms if not is_action(t)] or list(query.terms)  # "新建" says no subject

        def fit(fact: FigureFact) -> tuple[float, float, float]:
            """(score, word coverage, e5 similarity) of a figure's subject against the question."""
            # its own clause's words count fully, a topic inherited from the sentence by half
            words = coverage(things, fold(fact.own_words())) + 0.5 * coverage(things, fold(fact.topic))
            similarity = float(self._figure_vector(fact) @ qvec)
            inside = 0.05 if a <= fact.figure.start < b else 0.0
            named = (
                0.5 if len(fact.subject) >= 2 and fold(fact.subject) in asked else 0.0
            )  # "规模多大" → 规模
            return W_SUBJECT * words + similarity + inside + named, words, similarity

        fits = {id(f): fit(f) for f in in_sentence}
        ranked = sorted(in_sentence, key=lambda f: fits[id(f)][0], reverse=True)
        fresh = [f for f in ranked if not any(q_pid == pid and f.figure.text in q for q_pid, q in quoted)]
        best = (fresh or ranked)[0]  # an earlier part of the message already quoted the others
        _, words, _ = fits[id(best)]
        if words == 0 and query.measure != "stock" and self._named_without_figure(query, pid, best, things):
            return None  # the subject asked is named in the sentence, in a clause without a figure
        shared = [f for f in facts if f.statement == best.statement]
        resolved = best if len(shared) > 1 else None  # "省、市重大项目3个、7个": say which is whose
        figures_in_span = [f for f in facts if a <= f.figure.start < b]
        if a <= best.figure.start < b and len({f.figure.start for f in figures_in_span}) == 1:
            return span, resolved  # the clause already chosen states it alone, with its own wording
        start, end = best.statement
        return (pid, start, end), resolved

    def _on_topic(self, query: Query, terms: Sequence[Term], candidates: Sequence[Candidate]) -> bool:
        """Does the best sentence hold enough of what the question is about?"""
        if query.lang == "en" and not terms:
            return candidates[0].similarity >= MIN_SIMILARITY_EN
        if query.multi:
            sentences = list(dict.fromkeys((c.paragraph_id, c.sentence) for c in candidates[:10]))[:3]
            joined = " ".join(fold(self._text(pid, span)) for pid, span in sentences)
            around = " ".join(self._surroundings[pid] for pid, _ in sentences)
            return _coverage_within(terms, joined, query.area, around) >= MIN_COVERAGE
        return max(c.context for c in candidates[:10]) >= MIN_COVERAGE

    def _figure_answer(self, query: Query, candidates: Sequence[Candidate]) -> tuple[str, int, int] | None:
        """The clause stating the asked figure: the best one, or the one its topical clause leads to."""
        topical = candidates[0]
        units = _counting(query)
        stating = [c for c in candidates if c.states(units) and c.score >= topical.score - FIGURE_MARGIN]
        if query.measure in ("rate", "level"):  # "GDP总量是多少?": a clause with only a rate is no level
            stating = [c for c in stating if any(_measures(u, query.measure) for u in c.units)] or stating
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
            and m.states(units)
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

    def _fact_span(self, best: Candidate) -> tuple[str, int, int]:
        """A fact is listed after its subject, often past a semicolon ("两大市场": 凌家塘市场…；…灯具城):
        quote on to the end of the full sentence, within MAX_FACT_SPAN."""
        text = self.corpus.paragraph(best.paragraph_id).text
        stop = FULL_STOP.search(text, best.end - 1)
        end = stop.start() if stop else len(text)
        begin = max((m.end() for m in FULL_STOP.finditer(text, 0, best.start)), default=0)
        if end - begin <= MAX_LEAD and not find_figures(text[begin:end]) and end < len(text):
            # "以破局思维推进商圈复兴。" heads what follows: the next sentence says what is done
            following = FULL_STOP.search(text, end + 1)
            end = min(following.start() if following else len(text), begin + MAX_FACT_SPAN)
            return best.paragraph_id, begin, end
        if end - begin <= MAX_FACT_SPAN:
            return best.paragraph_id, begin, end  # "用好“清单+专班”机制,真正让抓落实…": the whole sentence
        if end - best.start > MAX_FACT_SPAN:
            end = max(best.end, best.sentence[1])
        return best.paragraph_id, best.start, end

    def _with_name(self, best: Candidate, span: tuple[str, int, int]) -> tuple[str, int, int]:
        """A quote widened back, within its sentence, to the nearest clause giving a quoted name
        ("持续推进“智改数转网联”,…,50%中小企业实现数字化转型") when it gives none itself."""
        pid, a, b = span
        text = self.corpus.paragraph(pid).text
        if "“" in text[a:b]:
            return span
        named = [c for c, d in split_clauses(text) if best.sentence[0] <= c < a and "“" in text[c:d]]
        return (pid, named[-1], b) if named else span

    def _more_parts(
        self,
        query: Query,
        chosen: list[tuple[str, int, int]],
        pool: Sequence[Candidate],
    ) -> list[tuple[str, int, int]]:
        """For "A和B各多少", the clauses covering the terms the first quote left out."""
        terms, asked = query.terms, fold(query.text)
        covered = " ".join(fold(self._text(pid, (a, b))) for pid, a, b in chosen)
        extra: list[tuple[str, int, int]] = []
        for c in pool:
            missing = [t for t in terms if not t.found_in(_without_longer(covered, t, terms, asked))]
            if not missing or len(extra) >= 2:
                break
            clause = self._match_forms[c.row][0]
            gained = [t for t in missing if t.found_in(_without_longer(clause, t, terms, asked))]
            span = (c.paragraph_id, c.start, c.end)
            if gained and span not in chosen + extra and sum(t.weight for t in gained) >= 3.0:
                extra.append(span)
                covered += " " + clause
        return extra

    def _more_units(
        self, query: Query, chosen: list[tuple[str, int, int]], candidates: Sequence[Candidate]
    ) -> list[tuple[str, int, int]]:
        """ "多少条道路、新增多少公里": a unit asked for that no quote states yet, from the same sentence."""
        stated = {f.unit for pid, a, b in chosen for f in find_figures(self._text(pid, (a, b)))}
        extra: list[tuple[str, int, int]] = []
        for unit in sorted(query.units - stated - {"个"}):
            for c in candidates[:20]:
                near = any(pid == c.paragraph_id and abs(c.start - b) <= MAX_SPAN for pid, _, b in chosen)
                if near and unit in c.units and (c.paragraph_id, c.start, c.end) not in chosen:
                    extra.append((c.paragraph_id, c.start, c.end))
                    break
        return extra

    def _asks_about_term(self, query: Query) -> bool:
        """A question naming a glossary term and asking nothing more specific ("三先三后原则呢?");
        "今年对“云上政务”有什么安排?" asks what the plan does about it, which the body says."""
        pid = self._glossary_match(query)
        if pid is None:
            return False
        if query.attribute == "list":
            return True
        if re.search(r"哪|谁|which|who|where", query.text, re.I) or _ASKS_ACTION.search(query.text):
            return False
        term = fold(re.sub(r"[“”\"]", "", self.corpus.paragraph(pid).term or ""))
        rest = [t for t in query.terms if not any(form in term or term in form for form in t.forms)]
        return not any(t.weight >= 1.0 for t in rest)

    def _glossary_match(self, query: Query) -> str | None:
        asked = fold(re.sub(r"[“”\"]", "", query.text))  # 轨道交通“四网融合” is the term 轨道交通四网融合
        for p in self.corpus.glossary():
            if query.docs and p.doc_id not in query.docs:
                continue  # another document's note explains its own words
            term = fold(re.sub(r"[“”\"]", "", p.term or ""))
            short = re.sub(r"(原则|机制|基金|服务)$", "", term)
            if term and (term in asked or (len(short) >= 3 and short in asked)):
                return p.id
        return None

    def _picked_members(self, query: Query, span: tuple[str, int, int]) -> Answer | None:
        """Some members of the list the quote writes out: at the asked positions, or naming the
        asked words; None when the quote holds no list or none is picked."""
        pid, a, b = span
        text = self.corpus.paragraph(pid).text
        spans = [(a + s, a + e) for s, e in enumeration.members(text[a:b])]
        if query.positions:
            spans = enumeration.pick(spans, query.positions)
        if query.member_words:
            spans = [(s, e) for s, e in spans if any(t.found_in(fold(text[s:e])) for t in query.member_words)]
        if not spans:
            return None
        quotes = [text[s:e] for s, e in spans]
        line = messages.quote_line(query.lang, "”“".join(quotes), pid, [])
        return _answer(query, line, merge_citations([cite(self.corpus, pid, q) for q in quotes]))

    def _counted_members(self, query: Query) -> Answer | None:
        """The sentences of the document using a counted word ("三个“始终”"): when there are more than
        counted, the short ones that head passages ("我们将始终筑牢忠诚担当之基。") are its members."""
        assert query.counted is not None
        word, count = query.counted
        doc = (query.docs or (self.profiles.default,))[0]
        body = [p for p in self.corpus.paragraphs if p.doc_id == doc and p.kind == "body"]
        found = location.sentences_with(body, word)
        short = [(p, s) for p, s in found if len(s) <= MAX_MEMBER_SENTENCE]
        if count and len(found) > count:
            found = short if len(short) == count else found[:count]
        elif not count and len(short) >= 2:  # "哪几个“始终”?": those heading passages
            found = short
        if len(found) < 2:
            return None
        quotes = [(p.id, s.rstrip("。！？!?")) for p, s in found]
        lines = [messages.quote_line(query.lang, q, pid, []) for pid, q in quotes]
        return _answer(
            query, "\n".join(lines), merge_citations([cite(self.corpus, pid, q) for pid, q in quotes])
        )

    def _glossary_entry(
        self, query: Query, candidates: Sequence[Candidate], docs: Sequence[Document]
    ) -> Answer:
        """The glossary entry of the asked number in the document asked about (or last cited)."""
        home = next(iter(query.previous), "").split("/")[0] or (query.docs or (self.profiles.default,))[0]
        pid = glossary_id(home, query.entry_number)
        if pid in self.corpus:
            return self._defined(query, pid)
        return self._refuse(query, candidates, docs, reason="glossary")

    def _definition(self, query: Query, candidates: Sequence[Candidate]) -> Answer | None:
        pid = self._glossary_match(query)
        if pid is None:
            in_glossary = self._in_glossary(candidates)
            if in_glossary and in_glossary[0].score >= candidates[0].score - FIGURE_MARGIN:
                pid = in_glossary[0].paragraph_id
            elif query.kind == "definition" and (named := self._glossary_term_in(candidates[0])):
                pid = named  # "…客车厂片区开发要按一个原则,这原则指什么?": the term its sentence uses
            else:
                return None
        return self._defined(query, pid)

    def _defined(self, query: Query, pid: str) -> Answer:
        """A glossary item as the answer: its term and its definition, the text after the colon."""
        paragraph = self.corpus.paragraph(pid)
        definition = re.split(r"[:：]", paragraph.text, maxsplit=1)[-1].strip()
        line = messages.definition_line(query.lang, paragraph.term or "", definition, pid)
        return _answer(query, line, [cite(self.corpus, pid, definition)])

    # -- wording ------------------------------------------------------------------------------

    def _term_of(self, candidate: Candidate) -> str:
        """The folded term of the glossary item a candidate is in ("" for the body)."""
        return fold(self.corpus.paragraph(candidate.paragraph_id).term or "")

    def _glossary_term_in(self, candidate: Candidate) -> str | None:
        """The glossary item of a term the candidate's sentence uses ("按照“三先三后”原则推进…"), if
        it uses exactly one."""
        sentence = fold(self._text(candidate.paragraph_id, candidate.sentence))
        doc = candidate.paragraph_id.split("/")[0]
        used = [
            p.id
            for p in self.corpus.glossary()
            if p.doc_id == doc
            and p.term
            and len(term := fold(p.term.strip("“”\"'"))) >= 3
            and term in sentence
        ]
        return used[0] if len(used) == 1 else None

    def _quote_text(self, pid: str, a: int, b: int) -> str:
        return self._text(pid, (a, b)).strip().rstrip("。，,；;：:")

    def _quote(
        self, query: Query, spans: Sequence[tuple[str, int, int]], resolved: FigureFact | None = None
    ) -> Answer:
        # a span inside another quoted from the same paragraph says nothing more
        spans = [
            (pid, a, b)
            for n, (pid, a, b) in enumerate(spans)
            if not any(
                m != n and p == pid and c <= a and b <= d and (c, d) != (a, b)
                for m, (p, c, d) in enumerate(spans)
            )
        ] or list(spans)
        quotes = [(pid, self._quote_text(pid, a, b)) for pid, a, b in spans]
        citations = merge_citations([cite(self.corpus, pid, q) for pid, q in quotes])
        figures = query.kind in ("figure", "trap")
        lines = [
            messages.quote_line(
                query.lang,
                q,
                pid,
                # the resolved figure is the first quote's only: later quotes render their own
                (_english_figures(resolved.text) if resolved and n == 0 else _english_figures(q))
                if figures
                else [],
            )
            for n, (pid, q) in enumerate(quotes)
        ]
        if resolved is not None:
            lines[0] += messages.resolution(query.lang, resolved.subject, resolved.text)
        return _answer(query, "\n".join(lines), citations)

    def _judge(self, query: Query, span: tuple[str, int, int]) -> Answer:
        pid, a, b = span
        quote = self._quote_text(pid, a, b)
        borne_out = _bears_out(query, quote)
        if CLAIMS_DONE.search(query.question) and not borne_out:  # "…already finalized?": the whole
            text = self.corpus.paragraph(pid).text  # sentence says where it stands ("…,提请大会审议票决")
            stop = FULL_STOP.search(text, b)
            quote = self._quote_text(pid, a, stop.start() if stop else len(text))
        line = messages.judgement(query.lang, borne_out, quote, pid, _english_figures(quote))
        return _answer(query, line, [cite(self.corpus, pid, quote)])

    def _judge_last(self, query: Query) -> Answer | None:
        """A figure asked back about the last answer, judged against the figure that answer quoted;
        a wrong one is shown where the plan does use it in that paragraph (another item's figure)."""
        for pid in query.previous:
            if pid not in self.corpus:
                continue
            paragraph = self.corpus.paragraph(pid)
            quote = location.quoted_in(query.last_answer, paragraph)
            if not quote or not [f for f in find_figures(quote) if not query.units or f.unit in query.units]:
                continue
            at = paragraph.text.find(quote)
            answer = self._judge(query, (pid, at, at + len(quote)))
            if _bears_out(query, quote):
                return answer
            for a, b in split_clauses(paragraph.text):
                clause = self._quote_text(pid, a, b)
                used = {
                    n
                    for f in find_figures(clause)
                    if not query.units or f.unit in query.units
                    for n in number_tokens(f.number)
                }
                if query.asserted <= used and clause not in quote:
                    text = answer.text + "\n" + messages.figure_elsewhere(query.lang, clause, pid)
                    citations = merge_citations([*answer.citations, cite(self.corpus, pid, clause)])
                    return dataclass_replace(answer, text=text, citations=tuple(citations))
            return answer
        return None

    def _refuse(
        self,
        query: Query,
        candidates: Sequence[Candidate],
        docs: Sequence[Document],
        reason: str,
        cite_first: Candidate | None = None,
    ) -> Answer:
        """The plan does not say: why, and the nearest paragraphs (the thing asked about first)."""
        nearest: list[Citation] = []
        ordered = ([cite_first] if cite_first else []) + list(candidates)
        for c in ordered:
            if len(nearest) >= 3:
                break
            if all(n.id != c.paragraph_id for n in nearest):
                nearest.append(
                    cite(self.corpus, c.paragraph_id, self._quote_text(c.paragraph_id, c.start, c.end))
                )
        if not nearest:
            ids = [str(d.metadata.get("paragraph_id")) for d in docs]
            nearest = [cite(self.corpus, pid) for pid in dict.fromkeys(ids) if pid in self.corpus][:3]
        holdings = self.profiles.holdings(query.lang)
        text = messages.not_found(query.lang, reason, [n.id for n in nearest], holdings)
        return _answer(query, text, nearest, abstained=True)

    def _located(self, query: Query, answer: Answer) -> Answer:
        """An answer with where its first quote is in the plan, first."""
        if answer.abstained or not answer.citations:
            return answer
        first = answer.citations[0]
        where, cited = self._where(query, self.corpus.paragraph(first.id), first.quote)
        citations = merge_citations([*answer.citations, *(cite(self.corpus, p.id) for p in cited)])
        return dataclass_replace(answer, text=f"{where}\n{answer.text}", citations=tuple(citations))

    def _where(self, query: Query, paragraph: Paragraph, quote: str = "") -> tuple[str, list[Paragraph]]:
        """Where a quote is: its paragraph's section, the passage's run-in heading and the paragraph's
        opening; for a glossary item, also the first body paragraph that uses its term (the glossary
        explains what the body says)."""
        cited = [paragraph]
        if paragraph.kind == "glossary" and paragraph.term:
            term = re.sub(r"[“”\"]", "", paragraph.term)
            document = self.corpus.only(paragraph.doc_id).paragraphs
            cited += [p for p in document if p.kind == "body" and term in p.text][:1]
        text = "\n".join(
            messages.located(
                query.lang,
                location.section_of(self.corpus, p),
                p.id,
                location.lead(p),
                location.run_in_heading(p, quote) if p is paragraph else "",
            )
            for p in cited
        )
        return text, cited

    # -- questions about the last answer -------------------------------------------------------

    def _about_last_answer(self, query: Query) -> Answer:
        """ "哪一部分?", "原文怎么说?", "say more": answered from the last answer's citations."""
        if query.meta == "outline":
            return self._outline(query)
        ids = [pid for pid in query.previous if pid in self.corpus]
        if not ids:
            return self._refuse(query, [], [], reason="topic")
        paragraph = self.corpus.paragraph(ids[0])
        if query.meta == "entry" and paragraph.kind == "glossary":  # "which glossary entry is that?"
            entry = re.split(r"[:：]", paragraph.text, maxsplit=1)[0].strip()
            return _answer(
                query,
                messages.glossary_entry(query.lang, entry, paragraph.id),
                [cite(self.corpus, paragraph.id, entry)],
            )
        if query.meta in ("section", "paragraph", "entry"):
            quote = location.quoted_in(query.last_answer, paragraph)
            text, cited = self._where(query, paragraph, quote)
            if query.claimed:  # "…falls under the old-town section, right?": say whether it does
                where = fold(
                    location.section_of(self.corpus, paragraph) + location.run_in_heading(paragraph, quote)
                )
                text = (
                    messages.section_verdict(query.lang, any(t.found_in(where) for t in query.claimed)) + text
                )
            return _answer(query, text, [cite(self.corpus, p.id) for p in cited])
        if query.meta in ("original", "more"):
            quote = paragraph.text.strip()
            if query.meta == "original" and _ONE_SENTENCE.search(query.question):  # "那句原文": its sentence
                quote = (
                    location.sentence_around(paragraph, location.quoted_in(query.last_answer, paragraph))
                    or quote
                )
            return _answer(
                query,
                messages.quote_line(query.lang, quote, paragraph.id, []),
                [cite(self.corpus, paragraph.id, quote)],
            )
        # "in English" / "the figure again": the last question answered again, in the asked language
        asked = (
            dataclass_replace(query.repeat, lang=query.lang, question=query.question)
            if query.repeat is not None
            else dataclass_replace(query, kind=_kind_of(query), meta=None)
        )
        again = self._answer_one(asked, {"retrieve": 0.0, "answer": 0.0})
        return again


def _unit_fits(unit: str, units: frozenset[str]) -> bool:
    """Is a figure's unit one of these, written longer or shorter ("场" and "场次")?"""
    return any(unit.startswith(u) or u.startswith(unit) for u in units)


def _counting(query: Query) -> frozenset[str]:
    """The units a figure may have: a measure word the question itself asks ("多少条举措") or 个 (the
    plan counts 公厕 in 个), not another ("25家成员单位"); a measure word carried from the question
    before ("新增里程呢?" after "…多少条?") or "几个" allows any count."""
    units = query.units
    if units and units <= COUNT_UNITS and "个" not in units:
        return units | {"个"} if asked_units(query.question) & units else frozenset({"个"})
    return units


def _bears_out(query: Query, quote: str) -> bool:
    """Does the quote give the figure a trap asserts? The figure clause ends the quote; an earlier
    figure in it may be about something else."""
    figures = [f for f in find_figures(quote) if not query.units or f.unit in query.units]
    stated = number_tokens(figures[-1].number) if figures else set()
    # "one provincial-level green factory" where the plan says 国家级绿色工厂1家: not borne out; nor
    # "12 projects already finalized" where the plan's 12 are candidates put to the vote
    done = CLAIMS_DONE.search(query.question) and not _DONE.search(quote)
    return (
        bool(query.asserted)
        and query.asserted <= stated
        and not wrong_level(query.question, quote)
        and not done
    )


def _kind_of(query: Query) -> str:
    return "figure" if query.units or query.attribute in ("amount", "percent", "money", "rank") else "fact"


def _lists_members(quote: str, terms: Sequence[Term], question: str) -> bool:
    """Does a quote name the members of what it lists? "“两路两河”,以腾龙大道、振中路…新孟河" does;
    "深化“三中心两基地一平台”建设" does not (its 中心, 基地, 平台 are never named), nor does a count
    alone ("12个民生实事候选项目,提请…票决")."""
    asked = [t for t in terms if t.weight >= max((x.weight for x in terms), default=0) * 0.5]
    slogans = [
        m
        for m in _COUNTED_SLOGAN.finditer(quote)
        if fold(m.group(1)) in fold(question) or any(t.found_in(fold(m.group(1))) for t in asked)
    ]
    if slogans:  # any of them ("“两湖”…里的“两路两河”分别是哪几条?": the 两路两河 are named)
        return any(_members_follow(quote, slogan) for slogan in slogans)
    figures = [
        f for f in find_figures(quote) if any(t.found_in(fold(quote[f.end : f.end + 12])) for t in asked)
    ]
    if figures:
        figure = figures[-1]
        clause_start = max((m.end() for m in re.finditer(r"[,，;；。:：]", quote[: figure.start])), default=0)
        clause_end = re.search(r"[,，;；。:：]|$", quote[figure.end :]).start() + figure.end
        # members named in the figure's own clause: "启用鸣珂巷幼儿园、区老年大学等5所新校", or one for
        # all of them: "启动东头村等2个老旧小区改造"
        before = quote[clause_start : figure.start]
        return (
            "、" in before
            or bool(re.search(r"[\u4e00-\u9fff]{2}等$", before))
            or "、" in quote[figure.end : clause_end]
        )
    return True


def _counted(text: str) -> set[tuple[float | None, str]]:
    """The figures a text states, as (value, unit): "14所学校" → {(14, "所")}."""
    return {(f.value, f.unit) for f in find_figures(fold(text)) if f.unit}


def _members_follow(quote: str, slogan: re.Match[str]) -> bool:
    """Are a counted slogan's members named after it ("“两路两河”,以腾龙大道、振中路…新孟河")?"""
    heads = [h for h in _COUNT.split(slogan.group(1)) if re.search(r"[\u4e00-\u9fff]", h)]
    rest = quote[slogan.end() :]
    return bool(heads) and all(h[-1] in rest for h in heads)


# Words that make a measure another one: 人均地区生产总值 is not 地区生产总值, 单位GDP能耗 not GDP
MODIFIERS = ("人均", "单位")


def _unasked_compounds(terms: Sequence[Term], asked: str) -> tuple[str, ...]:
    """The compounds of a modifier and a question's term that the question itself does not say."""
    named = {form for term in terms for form in term.forms}  # "人均预期寿命" is asked as such
    return tuple(
        compound
        for term in terms
        for form in term.forms
        for modifier in MODIFIERS
        if (compound := modifier + form) not in asked and compound not in named and modifier not in form
    )


def _masked(text: str, compounds: Sequence[str]) -> str:
    """The text with these compounds blanked where they start a word ("企事业单位对外开放" is no
    单位-compound: 单位 ends 企事业单位)."""
    for compound in compounds:
        if compound in text:
            text = re.sub(
                rf"(?<![\u4e00-\u9fff]){re.escape(compound)}|(?<=[全省市区县])"
                rf"{re.escape(compound)}",
                "□",
                text,
            )
    return text


def _coverage_within(terms: Sequence[Term], sentence: str, area: Sequence[Term], around: str) -> float:
    """The weighted share of terms in the sentence, the field's terms also in its surroundings."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    found = sum(t.weight for t in terms if t.found_in(sentence) or (t in area and _names_field(t, around)))
    return found / total


def _names_field(term: Term, around: str) -> bool:
    """A field is named by its words, or a long one by its head ("安全生产" by "抓牢安全防线")."""
    return term.found_in(around) or any(len(f) >= 4 and f[:2] in around for f in term.forms)


def _without_longer(text: str, term: Term, terms: Sequence[Term], question: str) -> str:
    """The text without the compounds that hold this term, when the question also asks the term
    alone: asked "地区生产总值和人均地区生产总值分别…", "人均地区生产总值" does not name 地区生产总值."""
    compounds = {
        joined
        for other in terms
        if other is not term
        for a in other.forms
        for b in term.forms
        for joined in (a + b, b + a)
        if joined in question
    }
    alone = question
    for compound in compounds:
        alone = alone.replace(compound, " ")
    if not compounds or not term.found_in(alone):
        return text
    for compound in compounds:
        text = text.replace(compound, " ")
    return text


def _period_text(paragraph: str, sentence: str, when: When) -> str:
    """What may say a clause is about a whole period: its sentence and its paragraph's opening
    ("——这五年，…"); only a question about the past reads it."""
    return f"{paragraph[:PERIOD_LEAD]} {sentence}" if when == "past" else ""


def _measures(unit: str, measure: str) -> bool:
    """Does a figure in this unit give the measure asked: a rate ("5.2%", "2位数") or a level?"""
    return (unit in RATE_UNITS) == (measure == "rate")


def _english_figures(quote: str) -> list[str]:
    return [f"{figure_in_english(f)} ({f.text})" for f in find_figures(quote)]


def _answer(query: Query, text: str, citations: Sequence[Citation], *, abstained: bool = False) -> Answer:
    return Answer(
        question=query.question,
        text=text,
        citations=tuple(citations),
        abstained=abstained,
        mode="extractive",
        lang=query.lang,
    )
