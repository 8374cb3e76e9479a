"""The query stage: a question and the conversation so far → one ``Query`` that says what is asked.

Built once per question and used by search, every answerer and the eval's recall@k: language,
kind, the attribute asked for, the subject terms, the places and years named, the follow-up
resolved against the conversation, and the text to retrieve with. No other module reads the raw
question; query expansion (English lexicon, Chinese variants) lives here only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.answer import enumeration
from assistant.answer import intent as rules
from assistant.answer.english import Lexicon
from assistant.answer.terms import Term, TermExtractor, is_action, is_action_word, is_measure, is_measure_word
from assistant.citations import cited_ids, cited_segments
from assistant.corpus import GLOSSARY_TITLE, is_glossary_id
from assistant.figures import THIS_YEAR, find_figures
from assistant.numerals import chinese_value
from assistant.question import Question
from assistant.scope import RELATIVE_YEAR, Profiles
from assistant.text import fold, is_english

Turn = tuple[str, str]  # (question, answer text), as the page and the API send history

Attribute = Literal[
    "amount",
    "percent",
    "rank",
    "date",
    "place",
    "name",
    "money",
    "list",
    "definition",
    "yesno",
    "phrasing",
    "fact",
]
Meta = Literal["section", "paragraph", "original", "more", "english", "again", "entry", "outline"]

_DATE_ZH = re.compile(r"哪一?年|何时|什么时候|几月|哪个月|哪一天|何年|完工时间|时间节点|截止")
_DATE_EN = re.compile(r"\bwhen\b|\bwhich year\b|\bwhat year\b|\bby when\b|\bwhat date\b|\bdeadline\b", re.I)
_LIST_ZH = re.compile(
    r"哪些|哪几|都是什么|哪[两二三四五六七八九十]|哪\d+个|分别是|分别指|都有|包括什么|包含|有几类"
)
_LIST_EN = re.compile(
    r"\bwhich (?:two|three|four|five|ones)\b|\bwhat are (?:they|those|these|them)\b|\bwhat are the (?:names|members|items|parts)\b|\blist\b|\bwhat (?:exactly )?makes? up\b|\bname the\b",
    re.I,
)
# "具体建在哪个街道?", "where will it be located?": a place is what is asked
_PLACE_ASKED = re.compile(
    r"(?:建在|位于|落在|落户|选址在?|设在)哪|在哪个?(?:街道|镇|村|社区|位置|地点|地方)|选址"
    r"|\bwhere (?:is|will|would|does) .{0,40}\b(?:located|built|sited|based)\b|\bwhich (?:street|town|village|subdistrict)\b",
    re.I,
)
# "那个行动叫什么?", "What's the name of the campaign…?": a named thing, which the plan quotes (“…”)
_NAME_ASKED = re.compile(
    r"叫什么|名字|名称|\bname of\b|\bwhat(?:'s| is) (?:it|that|this|the [\w-]+) called\b|\bcalled\?", re.I
)
_PHRASING = re.compile(
    r"表述|提法|怎么说|怎么提|怎样表述|原话|措辞|\bhow does the plan (?:phrase|word|put|describe)|\bwording\b|\bphrase[sd]?\b",
    re.I,
)
# Questions about the previous answer itself (they need its citations, not a new search).
_META: tuple[tuple[Meta, re.Pattern[str]], ...] = (
    (
        "section",
        re.compile(
            r"哪(?:一|个)?(?:小|大)?(?:部分|章|节|块|方面|板块|个?标题|个?小标题|个?分论点|个?论点|提法|说法)|第几(?:大|个)?(?:块|部分|方面|章|节)|出处|出自哪|出现在(?:其中)?哪|哪里(?:用到|提到|出现|写|说)|在哪里|标题(?:下|是|原文|叫什么)|在(?:文件|计划)(?:的)?哪"
            r"|正文(?:里|中)?还是|还是(?:在)?正文|(?:main|body) text or|or (?:in )?the (?:main|body) text"
            r"|(?:which|what) (?:[\w-]+ ){0,2}(?:part|section|chapter|(?:sub-?)?heading)\b"
            r"|under (?:which|what) (?:(?:sub-?)?heading|title)|where (?:in the (?:document|plan|report)|is (?:that|it|this))"
            r"|where(?:'s| is| does) (?:that|it|this)(?: come)? from|\bthe source\b",
            re.I,
        ),
    ),
    (
        "entry",
        re.compile(
            r"词条|哪(?:一|个)?条(?:解释|名词)|名词解释(?:里|中)?第几条|\bwhich (?:glossary )?entry\b|\bwhat(?:'s| is) the (?:glossary )?entry\b"
            r"|\bwhat term is (?:that|this)\b",
            re.I,
        ),
    ),
    ("paragraph", re.compile(r"哪一?段|第几段|段落编号|which paragraph|what paragraph|paragraph id", re.I)),
    (
        "original",
        re.compile(
            r"原文.{0,6}?(?:怎么|咋|如何)(?:说|写|讲)|原句|原话|原文呢|原文是什么|引用原文|exact (?:words|wording)|original (?:text|wording)"
            r"|\boriginal (?:chinese|words|sentence|line)\b|\bthe chinese (?:text|original|wording)\b"
            r"|原文.{0,6}?(?:发|给|贴|引|列)|(?:发|给|贴|引|看看?)(?:一下|我)?.{0,3}原文|引(?:一下|用)?(?:那|这)(?:句|段|条)"
            r"|quote (?:it|that|this|the (?:line|sentence|passage|text))|word for word",
            re.I,
        ),
    ),
    (
        "more",
        re.compile(
            r"详细(?:说说|讲讲|一点|些)|展开(?:说|讲)|具体说说|多说|更多|say more|tell me more|more detail|elaborate|the whole paragraph",
            re.I,
        ),
    ),
    ("english", re.compile(r"用英文|英文(?:说|版)|翻译成英文|in english\b", re.I)),
    (
        "again",
        re.compile(
            r"再说一(?:遍|次)|数字(?:是多少)?再|the (?:figure|number) again|repeat (?:that|the figure|it)",
            re.I,
        ),
    ),
)
_META_PATTERNS = dict(_META)
_POINTING_BACK_METAS = ("original", "again", "english", "more")
_POINTS_BACK = re.compile(r"\b(?:that|this|it)\b|[这那](?:句|段|条|个)", re.I)
# "So this falls under the old-town section, right?", "这个属于老城区部分吗?": where the last answer is,
# asked back; the words naming the section are no new subject
_SECTION_CLAIM = re.compile(
    r"属于.{0,8}(?:部分|板块|章节|一节)|在.{0,8}(?:部分|板块|章节)(?:下面|里)?吗"
    r"|(?:falls?|is|comes?|belongs?|'s) (?:under|in|to) the [\w\- ]{1,30}(?:section|part|chapter|heading)\b",
    re.I,
)
_PRONOUN_ZH = re.compile(
    r"它们|它|其(?!中|他|余|实)|该项|这项|这个|那个|这件事|这方面|此项|这样的|这种|这类|此类|这些|那些"
)
# not "this year", "that time": a time, not a thing
_PRONOUN_EN = re.compile(
    r"\b(?:it|its|this|that|they|them|these|those|one|such)\b(?! of\b)(?!\s+(?:year|time|month|week|day)s?\b)",
    re.I,
)
# "它说的“两大市场”", "the settlement it mentions": the pronoun is the document, not the last subject
_DOCUMENT_PRONOUN_ZH = re.compile(r"(?:它|其)(?:说|提到|提出|讲|写|列|点名)|(?:它|其)(?:里|中)(?:面|的)")
_DOCUMENT_PRONOUN_EN = re.compile(
    r"\b(?:it|they)\s+(?:mentions?|says?|lists?|names?|talks? about|refers? to|describes?|calls?"
    r"|wants?|plans?|aims?|intends?|expects?|hopes?|lays? out)\b"
    r"|\b(?:say|says|said)\s+(?:that\s+)?(?:it|they)\b",
    re.I,
)


@dataclass(frozen=True)
class Query:
    """A question understood. ``text`` is what is asked, completed from the conversation."""

    question: str  # as asked (cleaned, bounded)
    text: str  # the effective question
    lang: str  # "zh" | "en"
    kind: str  # "figure" | "definition" | "trap" | "fact" | "meta"
    attribute: Attribute
    multi: bool
    units: frozenset[str]
    asserted: frozenset[str]  # numbers the question claims (a trap)
    terms: tuple[Term, ...]
    retrieval: str  # the text to search with: plan terms added
    measure: rules.Measure = ""  # "rate" ("增速多少?") or "level" ("GDP总量"): the other does not answer
    scope: str | None = None  # "year:2024年" / "place:天宁区" when the library cannot answer
    docs: tuple[str, ...] = ()  # the documents the question is about (empty: the default one)
    followup: bool = False
    area: tuple[Term, ...] = ()  # "安全生产这块…": a field, named by the paragraph or its section
    focus: tuple[Term, ...] = ()  # a follow-up's own subject ("那加装呢?" → 加装): its answer names it
    claim: bool = False  # a statement asked back for confirmation ("…合并吧?", "…, right?")
    claimed: tuple[Term, ...] = ()  # a claim asked back ("…合并吧?"): its words, held against the quote
    claim_topic: tuple[Term, ...] = ()  # what the claim is about ("灯具城…"): on topic when the plan names it
    meta: Meta | None = None
    previous: tuple[str, ...] = ()  # paragraph IDs the last answer cited
    what_else: bool = False  # "还提了啥?", "what else…?": more than, and other than, the last answer
    outline_part: int = 0  # an outline question: 0 for the parts, n for the sections of the n-th part
    last_answer: str = ""  # the last answer, when asked about, asked back, or asked past ("another 12")
    repeat: Query | None = None  # ... and the question that answer answered, understood again
    locate: bool = False  # also asks where the plan says it ("哪一部分提到了云上政务?")
    uncounted: str = ""  # "How many places…?" where the lexicon cannot read "places": no figure can be
    # shown to count it
    positions: tuple[int, ...] = ()  # "“十大行动”里第一个和最后一个…": members of a list by position
    member_words: tuple[Term, ...] = ()  # "…里跟人才有关的是哪几个?": members of a list naming these
    counted: tuple[str, int] | None = None  # "哪三个“始终”?": a repeated word and the count asked
    asks_for: tuple[Term, ...] = ()  # "要争创个什么示范园?": the kind of thing asked for (示范园)
    sought: frozenset[str] = frozenset()  # numbers a question asks about ("另一个“12个”是什么?")
    in_body: bool = False  # "正文里…", or where a glossary term just defined is used: the body only
    entry_number: int = 0  # "名词解释第6条", "第6条呢?" in a talk about the glossary: that entry
    parts: tuple[Query, ...] = ()  # several questions in one message, each understood
    notes: tuple[str, ...] = field(default=())


def attribute_of(text: str, kind: str, units: frozenset[str], *, english: bool | None = None) -> Attribute:
    """What kind of answer is wanted, independent of the subject; ``english``: the asker's language
    (an English question completed with the plan's Chinese words is still asked in English)."""
    english = is_english(text) if english is None else english
    if kind == "trap":
        return "yesno"
    if kind == "definition" and not (_LIST_EN if english else _LIST_ZH).search(text):
        return "definition"  # "“两消除三提升”具体是指哪几项?" asks for the members: a list
    if _PHRASING.search(text):
        return "phrasing"
    if (_DATE_EN if english else _DATE_ZH).search(text):
        return "date"
    if _PLACE_ASKED.search(text):
        return "place"
    if kind == "fact" and _NAME_ASKED.search(text):
        return "name"
    if rules.ASKS_RANK.search(text):
        return "rank"
    if units & rules.MONEY_UNITS:
        return "money"
    if "%" in units:
        return "percent"
    if kind in ("fact", "definition") and (_LIST_EN if english else _LIST_ZH).search(text):
        return "list"
    return "amount" if kind == "figure" else "fact"


NEW_SUBJECT_WEIGHT = (
    5.5  # a term this rare is a subject of its own ("振中路在哪一部分?"), not a word of asking
)
MAX_META_TOPIC = (12, 3)  # a question about the last answer names at most this much else (characters, words)


def _asks_about_more(text: str) -> bool:
    topic = rules.topic_of(text)
    if is_english(text):
        return len(topic.split()) > MAX_META_TOPIC[1]
    return len(topic) > MAX_META_TOPIC[0]


def asks_where(text: str) -> bool:
    """ "Which heading mentions cloud government services?": where the plan says something."""
    return any(_META_PATTERNS[name].search(text) for name in ("section", "paragraph"))


def meta_of(text: str, history: Sequence[Turn]) -> Meta | None:
    """A question about the last answer itself ("哪一部分提出的?", "say more")."""
    if not history or not cited_ids(history[-1][1]):
        return None
    if _SECTION_CLAIM.search(text):
        return "section"
    named = next((name for name, pattern in _META if pattern.search(text)), None)
    if named in _POINTING_BACK_METAS and _POINTS_BACK.search(text):
        return (
            named  # "Give me the original Chinese for that line.": however long, it is about the last answer
        )
    # a long question about something else that happens to say "which part" (the words asking for
    # the original, "the exact wording in the original", are no topic of their own)
    if named is not None and _asks_about_more(_META_PATTERNS[named].sub(" ", text)):
        return None
    quoted = [m.group(1) for m in _INNER_QUOTE.finditer(text)]
    if named == "section" and any(fold(q) not in fold(history[-1][1]) for q in quoted):
        return None  # "“三管三必须”出现在哪一个?": where the plan says what it names, not the last answer
    cited = cited_ids(history[-1][1])
    if (
        named in ("section", "paragraph")
        and (rules.IN_BODY.search(text) or _USED_IN.search(text))
        and "还是" not in text
        and " or " not in text
        and all(is_glossary_id(pid) for pid in cited)
    ):
        return None  # "正文里它出现在哪句话?" after a glossary entry: where the body uses the term
    return named


class QueryStage:
    """Understands questions against one library: its vocabulary, lexicon and document profiles."""

    def __init__(
        self,
        extractor: TermExtractor,
        lexicon: Lexicon,
        profiles: Profiles,
        paragraphs: Mapping[str, str] | None = None,
        headings: Sequence[str] = (),
    ) -> None:
        self.extractor = extractor
        self.lexicon = lexicon
        self.profiles = profiles
        self.paragraphs = paragraphs or {}  # paragraph ID → text: what a cited answer spoke of
        self.headings = tuple(fold(h) for h in headings)  # the parts and sections of the plans

    def for_default(self, doc_id: str) -> QueryStage:
        """This stage with another document answering unscoped questions (the page's picker)."""
        return QueryStage(
            self.extractor,
            self.lexicon,
            replace(self.profiles, default=doc_id),
            self.paragraphs,
            self.headings,
        )

    def understand(self, question: Question, history: Sequence[Turn] = ()) -> Query:
        """One question (maybe several in one message), with the conversation so far."""
        parts = rules.split_questions(question.text)
        if len(parts) == 1:
            return self._one(question, question.text, history)
        understood: list[Query] = []
        asked = list(history)
        for n, part in enumerate(parts):
            if n and self._only_asks_whether(part):  # "…统一哪六样?文件里有列吗?": the same question
                continue
            asks_about_answer = any(pattern.search(part) for _, pattern in _META)  # "我想看原文"
            if (
                n
                and not asks_about_answer
                and not rules.is_followup(part, asked)
                and not self._names_own_subject(part)
            ):
                # "…规模多大?已经建成多少?": still about 算力中心, as the first part was understood
                part = f"{rules.topic_of(understood[0].text)} {part}"
            understood.append(self._one(question, part, asked))
            # the part as understood frames the next: "它规划多大规模" is about what 它 stood for
            asked.append((understood[-1].question if understood[-1].meta else understood[-1].text, ""))
        # "What about the year before? How many toilets did they do then?": a place or year one part
        # names, which the library lacks, holds for the parts naming none of their own
        scoped = next((u for u in understood if u.scope), None)
        if scoped is not None:
            understood = [
                u
                if u.scope or any(self.profiles.scope_words(u.question if u.meta else u.text))
                else replace(u, scope=scoped.scope, docs=scoped.docs)
                for u in understood
            ]
        first = understood[0]
        if len(understood) == 1:
            return first
        return replace(first, parts=tuple(understood), multi=True)

    def _names_own_subject(self, part: str) -> bool:
        """Does a part of a message name a thing of its own ("…,绿色工厂培育几家?"), not only verbs
        ("how many old ones replaced?")?"""
        lang = "en" if is_english(part) else "zh"
        return any(
            _names_something(t) and not is_action(t)
            for t in self._subject_terms(part, lang, keep_names=False)
        )

    def _only_asks_whether(self, part: str) -> bool:
        """ "文件里有列吗?", "does it say?": no subject and no question word of its own."""
        own = _IN_THE_DOCUMENT.sub(" ", part)
        asking = rules.ASKING_EN if is_english(own) else rules.ASKING_ZH
        return not asking.search(own.lower()) and self._names_no_subject(own)

    def _one(self, question: Question, text: str, history: Sequence[Turn]) -> Query:
        text = rules.strip_injection(text) or text
        previous = tuple(cited_ids(history[-1][1])) if history else ()
        outline = self._outline_asked(text)
        if outline is not None:
            return Query(
                question=question.text,
                text=text,
                lang="en" if is_english(text) else "zh",
                kind="meta",
                attribute="list",
                multi=False,
                units=frozenset(),
                asserted=frozenset(),
                terms=(),
                retrieval=text,
                meta="outline",
                outline_part=outline,
                positions=_second_ordinal(text),
                scope=None,
                docs=self.profiles.scope(text)[1],
                previous=previous,
                notes=question.notes,
            )
        meta = meta_of(text, history)
        if meta in ("section", "paragraph") and self._names_new_subject(text, history[-1][1]):
            meta = None  # "振中路在哪一部分?": where the plan says what it names, not the last answer
        if meta is not None:
            # "刚才建成的数再说一遍?": the turn it names, else the last one
            history = self._turns_up_to(
                history, self._subject_terms(text, "en" if is_english(text) else "zh")
            )
            if meta in ("again", "english"):  # "The figure again?" after a refused turn: the last figure
                answered = [n for n, (_, a) in enumerate(history) if "“" in a]  # the plan's words quoted
                history = history[: answered[-1] + 1] if answered else history
            previous = tuple(cited_ids(history[-1][1]))
            last = self._last_asked(history)
            base = self._one(question, last, history[:-1]) if last else None
            lang = "en" if meta == "english" or is_english(text) else (base.lang if base else "zh")
            return Query(
                question=question.text,
                text=last or text,
                lang=lang,
                kind="meta",
                attribute="fact",
                multi=False,
                units=frozenset(),
                asserted=frozenset(),
                terms=base.terms if base else (),
                retrieval=base.retrieval if base else text,
                meta=meta,
                claimed=self._section_claimed(text, lang) if meta == "section" else (),
                previous=previous,
                last_answer=history[-1][1],
                repeat=base,
                notes=question.notes,
            )
        text = self._without_preamble(text)  # "孙子明年上学,听说今年新增学位…": the asker's own story
        own = text  # the follow-up's own words, before the conversation completes them
        listed = _pick_listed(text, history)  # "中间那个,排名目标是多少?": the middle item of the last list
        positions = _positions(text) if listed == text else ()  # ... or of the list the question names
        text = _OWN_POSITION.sub(" ", listed) if positions else listed  # positions say which, not what
        # "There's another 12 — what is that one?": about a figure other than the last answer's
        another = bool(history) and bool(_ANOTHER.search(own)) and bool(rules.asserted_numbers(own))
        text, referent = self._resolve_reference(text, history) if not another else (text, "")
        frames = self._frames(history)
        # "已经建成多少?", "上海呢?", "那去年呢?": a place or a time is no subject of its own
        elliptical = (
            bool(frames) and not another and self._names_no_subject(self.profiles.without_scope(text))
        )
        if elliptical:  # ... after a question about 算力中心: still about 算力中心
            subject = self._last_subject(frames)
            stripped = rules.strip_followup(text)
            asked_back = is_english(text) and text.rstrip().endswith("?") and not stripped.endswith("?")
            text = f"{subject} {stripped}{'?' if asked_back else ''}"  # "…50. Right?" stays a question
        # "And in the old town?" after the development zone's industries: the same question, asked
        # of another part of the plan
        picked = listed != own  # "中间那个呢?": an item of the last list, not a move to another part
        moved_to = self._area_named(text) if frames and not elliptical and not referent and not picked else ()
        if moved_to:
            text = frames[-1][0]
        intent = rules.analyse(text, frames if not moved_to else frames[:-1], elliptical=elliptical)
        effective = intent.text
        shift = RELATIVE_YEAR.search(text)
        if history and shift and shift.group(0) not in effective:
            effective = f"{effective} {shift.group(0)}"  # "那去年呢?": keep the shift visible to scoping
        effective = self._carry_scope(effective, own, frames)
        if (
            frames
            and not is_english(own)
            and intent.kind == "fact"
            and rules.is_claim(own)
            and not self._claim_topic(effective)
        ):
            # "是在东头村那边吧?": a claim with no topic of its own is about the last subject
            effective = f"{self._last_subject(frames)}{effective}"
        terms = self._subject_terms(effective, intent.lang)
        if moved_to:  # the last question's part of the plan gives way to the one now named
            terms = tuple(t for t in terms if not self._names_heading(t)) + moved_to
        # "How many measures did it roll out?": "it" stood for the last subject; "measures" decides
        focus = self._focus(own, referent) if intent.followup or referent else ()

        claim = intent.kind == "fact" and rules.is_claim(own)
        if claim or intent.kind == "trap":  # a level asked back ("…at the provincial level?") is what
            # may be false (judged against the quote), not what the answer is about
            terms = tuple(t for t in terms if t.forms[0] not in rules.LEVELS) or terms
        # "So that's the 40 units, right?": a figure asked back about the last answer, naming nothing
        # of its own, is held against it ("专精特新企业超200家,这个没错吧?" names its own subject)
        checks_last = (
            intent.kind == "trap" and bool(history) and (elliptical or (bool(referent) and not focus))
        )
        what_else = bool(history) and bool(_WHAT_ELSE.search(own))  # "还提了啥?": not the last answer again
        entry_number = self._entry_asked(own, history)
        # "文件里另一个“12个”是什么?", "the 14 schools — what are they for?": a figure names the subject
        sought = (
            rules.asserted_numbers(own)
            if intent.kind in ("fact", "definition")
            and not rules.asks_quantity(own)
            and (another or any(f.unit for f in find_figures(own)))  # "14所学校"; "another 12"
            else frozenset()
        )
        another = another and bool(sought)
        scope, docs = self.profiles.scope(effective)
        if scope and not docs:  # refused for a place or year the library lacks: the nearest paragraphs
            docs = (self.profiles.default,)  # shown come from the document it answers by default
        return Query(
            question=question.text,
            text=effective,
            lang="en" if is_english(own) else intent.lang,  # "So top 10 then?" after a Chinese subject
            kind="fact" if sought or (intent.kind == "definition" and positions) else intent.kind,
            attribute=attribute_of(effective, intent.kind, intent.units, english=is_english(own)),
            multi=intent.multi,
            units=intent.units,
            asserted=intent.asserted,
            measure=rules.asked_measure(effective),
            terms=terms,
            retrieval=self.retrieval_text(self.profiles.without_scope(effective) or effective, intent.lang),
            scope=scope,
            docs=docs,
            followup=intent.followup,
            locate=asks_where(own),
            entry_number=entry_number,
            in_body=bool(rules.IN_BODY.search(own)) or self._asks_use_of_defined(own, history),
            sought=sought,
            asks_for=self._asked_noun(own),
            counted=rules.counted_quote(own),
            positions=positions,
            member_words=self._member_words(own),
            uncounted=self._uncounted(own) if intent.kind == "figure" else "",
            area=self._area(effective, terms) + self._referent_area(referent, terms, focus) + moved_to,
            focus=tuple(t for t in focus if t.forms[0] not in rules.LEVELS) if claim else focus,
            claim=claim,
            claimed=self._claimed(effective, terms) if claim else (),
            claim_topic=self._claim_topic(effective) if claim else (),
            what_else=what_else,
            last_answer=history[-1][1] if what_else or checks_last or another else "",
            previous=previous,
            notes=question.notes,
        )

    def _outline_asked(self, text: str) -> int | None:
        """ "分了哪三方面?" → 0 (the parts); "第一个下面又分哪几块?" → 1 (the first part's sections);
        None when the question is about something else ("经开区分了哪几块?" names its subject)."""
        asked = _OUTLINE.search(text)
        if asked is None:
            return None
        nth = _NTH.search(text)
        rest = _NTH.sub(" ", text[: asked.start()] + " " + text[asked.end() :])
        lang = "en" if is_english(text) else "zh"
        if any(
            not t.absent and not is_action(t)  # "重点抓好的三方面工作": a verb names no subject
            for t in self._subject_terms(self.profiles.without_scope(rest), lang, keep_names=False)
        ):
            return None
        if nth is None:
            return 0
        return _number_word(nth.group(1) or nth.group(2))

    def _member_words(self, own: str) -> tuple[Term, ...]:
        """The words picking members of a list: "跟人才、科技有关的" → 人才, 科技."""
        named = _ABOUT_MEMBERS.search(own)
        if named is None:
            return ()
        lang = "en" if is_english(own) else "zh"
        words = named.group("words") or named.group("words_en")
        return tuple(t for t in self._subject_terms(words, lang) if not t.absent)

    def _uncounted(self, own: str) -> str:
        """The thing an English "how many" counts, when the lexicon cannot read it ("places"): no
        figure of the plan can be shown to count it, so none is given."""
        asked = re.search(r"\bhow many\b(.*)", own, re.I) if is_english(own) else None
        if asked is None:
            return ""
        words = []  # up to the verb: "how many old ones replaced…" counts "old ones"
        for word in re.findall(r"[\w'-]+|[^\w\s]", asked.group(1).lower()):
            if (
                not re.fullmatch(r"[\w'-]+", word)
                or word in _VERB_AFTER_HOW_MANY
                or word.endswith(("ed", "ing"))
            ):
                break
            words.append(word)
        if (
            not words
            or len(words) > 4
            or words[-1] in _GENERIC_COUNTS
            or rules.asked_units(f"how many {words[0]}")  # "how many kilometres": a unit
            or self.lexicon.translate_terms(" ".join(words))
        ):
            return ""
        return words[-1]

    def _entry_asked(self, own: str, history: Sequence[Turn]) -> int:
        """ "名词解释第6条是什么?", or "第6条呢?" after a glossary answer: the entry's number (0: none).
        Only when the question names nothing else ("第4条“人人食堂”…" names its entry itself)."""
        nth = _ENTRY_NTH.search(own)
        if nth is None:
            return 0
        about_glossary = _GLOSSARY_NAMED.search(own) or (
            history and any(is_glossary_id(pid) for pid in cited_ids(history[-1][1]))
        )
        rest = _GLOSSARY_NAMED.sub(" ", own[: nth.start()] + " " + own[nth.end() :])
        if not about_glossary or not self._names_no_subject(rest):
            return 0
        return _number_word(nth.group(1) or nth.group(2))

    def _without_preamble(self, text: str) -> str:
        """The question without a leading clause of the asker's own circumstances, one naming nothing
        the library speaks of ("刚入职安监口,", "孙子明年上学,"); kept when the rest
        names nothing either."""
        head = re.match(r"^([^,，;；:：?？。“”\"']{2,30})[,，;；:：]\s*(?=\S)", text)
        if head is None or is_english(text) or rules.ASKING_ZH.search(head.group(1)):
            return text  # English commas part phrases ("three firsts, three afters"); a question is no story
        rest = text[head.end() :]
        lang = "en" if is_english(text) else "zh"
        said = [t for t in self._subject_terms(head.group(1), lang, keep_names=False) if _names_something(t)]
        if said or self.profiles.scope_words(head.group(1))[0] or rules.asserted_numbers(head.group(1)):
            return text  # the clause names a subject, a place or a figure: it is part of the question
        named = [t for t in self._subject_terms(rest, lang, keep_names=False) if _names_something(t)]
        return rest if named else text

    def _section_claimed(self, text: str, lang: str) -> tuple[Term, ...]:
        """ "这个属于老城区部分吗?": the words naming the section claimed (老城区), held against where
        the last answer really is."""
        claim = _SECTION_CLAIM.search(text)
        return tuple(self.extractor.terms(claim.group(0), lang)) if claim else ()

    def _carry_scope(self, effective: str, own: str, frames: Sequence[Turn]) -> str:
        """A follow-up naming no place is still about the last place named, and naming no time, the
        last time ("安徽省2025年粮食产量?" then "增长了多少?": Anhui's 2025 still)."""
        places, times = self.profiles.scope_words(own)
        held_places, held_times = self._scope_state(frames)
        held = (held_places if not places else []) + (held_times if not times else [])
        carried = [word for word in held if word not in effective]
        if not carried:
            return effective
        scope, docs = self.profiles.scope(" ".join([effective, *carried]))
        own_years = {f"{self.profiles.get(d).year}年" for d in docs}
        if (scope, docs) == self.profiles.scope(effective) and all(
            w in own_years or w in held_places or THIS_YEAR.fullmatch(w) for w in carried
        ):
            return effective  # nothing moves: the same documents, their own year
        return " ".join([effective, *carried])

    def _scope_state(self, frames: Sequence[Turn]) -> tuple[list[str], list[str]]:
        """The place and time the conversation is at: each turn's own, else the one before; a turn
        the library could not answer for its place or year ("What about 2026?") moves nothing."""
        places: list[str] = []
        times: list[str] = []
        for question, _ in frames:
            own_places, own_times = self.profiles.scope_words(question)
            # "…rank in Jiangsu?": a place the documents lie in chose none of them; it is not carried
            own_places = [p for p in own_places if not self.profiles.encloses(p)]
            if not own_places and not own_times:
                continue
            new_places, new_times = own_places or places, own_times or times
            if self.profiles.scope(" ".join([question, *new_places, *new_times]))[0] is None:
                places, times = new_places, new_times
        return places, times

    def _area(self, text: str, terms: Sequence[Term]) -> tuple[Term, ...]:
        """The question's terms that name the field it is asked in ("安全生产这块", "在养老方面"): a
        paragraph or its section names a field, not each of its sentences."""
        english = _AREA_EN.match(text) if is_english(text) else None
        if english:  # "On rural revitalization, what kind of park…?": the field's plan words
            named = {f for t in self._subject_terms(english.group("field"), "en") for f in t.forms}
            return tuple(t for t in terms if named & set(t.forms))
        fields = " ".join(m.group("field") or m.group("within") for m in _AREA.finditer(text))
        if not fields:
            return ()
        folded = fold(fields)
        return tuple(t for t in terms if any(form in folded for form in t.forms))

    def _claimed(self, text: str, terms: Sequence[Term]) -> tuple[Term, ...]:
        """The words a statement asked back stakes its claim on: its plan words, and the nouns and
        adjectives the plan never uses ("全部对外开放吧?"); not places, times or verbs of its own."""
        if is_english(text):
            return ()  # English paraphrase is too loose to hold against the plan's words
        places = "".join(self.profiles.places_in(text))
        claimed = []
        for word, flag in self.extractor.tagged(rules.strip_claim(text)):
            word = fold(word.strip())
            if len(word) < 2 or word in places or flag.startswith(_NOT_CLAIMS):
                continue
            used = self.extractor.weight(word) < self.extractor.unseen_weight
            if (flag in _VERBS and used) or word in _FRAMING:
                continue  # a verb the plan uses elsewhere is likely the asker's paraphrase ("争取")
            claimed.append(Term((word,), self.extractor.weight(word), absent=not used))
        return tuple(claimed)

    def _claim_topic(self, text: str) -> tuple[Term, ...]:
        """What a claim is about: its words before the verb that makes it ("灯具城是打算整体搬迁出去吧?"
        is about 灯具城); the rest is what may be false."""
        stated = rules.strip_claim(text)
        # the copula first ("所以要守住的底线是不发生…": about 底线), else the verb that makes the claim
        head = stated.split("是", 1)[0] if "是" in stated else _CLAIM_VERB.split(stated, maxsplit=1)[0]
        return tuple(t for t in self._subject_terms(head, "zh") if not t.absent) if head.strip() else ()

    def _focus(self, text: str, referent: str = "") -> tuple[Term, ...]:
        """The terms a follow-up names of its own that the library uses: "那加装呢?" after a question
        about 电梯更新改造 asks about 加装, and an answer without it answers the last question again.
        Not what its pronoun stands for ("…length does that (道路) add?"), nor its verbs when it
        names a thing ("what new centre will be built?": 中心, not 新建)."""
        own = rules.strip_followup(text)
        lang = "en" if is_english(own) else "zh"
        folded = fold(referent)
        named = [
            t
            for t in self._subject_terms(own, lang, keep_names=False)
            if not t.absent
            and not rules.ATTRIBUTE_WORD.fullmatch(t.forms[0])
            and not (folded and any(form in folded for form in t.forms))
        ]
        things = [t for t in named if not is_action(t)]
        return tuple(things if referent else things or named)  # "那加装呢?": 加装 is all it names

    def _subject_terms(self, text: str, lang: str, keep_names: bool = True) -> tuple[Term, ...]:
        """The question's terms without those naming a document or its parts ("work plan" →
        工作安排, 名词解释, "规划里"): they say where to look, not what about. Kept if nothing else is
        left, unless ``keep_names`` is off."""
        terms = tuple(self.extractor.terms(_IN_THE_DOCUMENT.sub(" ", text), lang))
        names = [fold(p.title) for p in self.profiles.documents] + [GLOSSARY_TITLE]
        subjects = tuple(t for t in terms if not all(any(f in n for n in names) for f in t.forms))
        return subjects or (terms if keep_names else ())

    def _names_no_subject(self, text: str) -> bool:
        """ "已经建成多少?", "一共多长?", "有点名吗?": only verbs, measures and question words, nothing the
        question is about. In English, "which ones are named?" or a figure asked back with no plan
        word ("A colleague told me 50. Right?"): other unknown words may be a subject the plan lacks."""
        text = _ASKS_NAMES.sub(" ", text)
        if is_english(text):
            words = self._subject_terms(text, "en")
            named = [t for t in words if not t.absent]
            unread = [  # words the lexicon cannot read may be a subject it lacks ("old compounds")
                w
                for w in re.findall(r"[a-z]{3,}", rules.topic_of(text).lower())
                if w not in _NO_SUBJECT_EN and not self.lexicon.translate_terms(w)
            ]
            return (
                not text.strip(" ?.!,")
                or (
                    all(is_action(t) for t in named) and not unread
                )  # "how much is built already?", "total length?"
                or (bool(rules.asserted_numbers(text)) and not named)
            )
        topic = rules.topic_of(text)
        for figure in reversed(find_figures(topic)):  # "所以是40部?": a figure's unit names nothing
            topic = topic[: figure.start] + " " + topic[figure.end :]
        return not any(
            flag.startswith(("n", "x", "j", "eng", "l", "i"))
            and any(ch.isalnum() for ch in word)
            and not is_measure_word(word)
            and not is_action_word(word)  # "那更新改造呢?": still about the elevators just asked about
            for word, flag in self.extractor.tagged(topic)  # "举措" frames, names nothing
        )

    def retrieval_text(self, text: str, lang: str) -> str:
        """The question with the plan's own words added: English via the lexicon, Chinese variants."""
        if lang == "en":
            return self.lexicon.expand(text)
        return " ".join([text, *self.extractor.plan_terms(text)])

    @staticmethod
    def _turns_up_to(history: Sequence[Turn], named: Sequence[Term]) -> Sequence[Turn]:
        """The conversation up to the latest turn whose answer names what a question about an
        answer names ("刚才建成的数…" → the turn that answered 已建成430PB); all of it otherwise."""
        words = [t for t in named if not t.absent and not is_measure(t)]
        if not words:
            return history
        for n in range(len(history) - 1, -1, -1):
            if cited_ids(history[n][1]) and any(t.found_in(fold(history[n][1])) for t in words):
                return history[: n + 1]
        return history

    @staticmethod
    def _last_asked(history: Sequence[Turn]) -> str:
        """The last question that was not itself about an answer."""
        for n in range(len(history) - 1, -1, -1):
            if meta_of(history[n][0], history[:n]) is None:
                return history[n][0]
        return ""

    @staticmethod
    def _frames(history: Sequence[Turn]) -> list[Turn]:
        """History without the turns that asked about an answer (they frame nothing)."""
        return [t for n, t in enumerate(history) if meta_of(t[0], history[:n]) is None]

    def _resolve_reference(self, text: str, history: Sequence[Turn]) -> tuple[str, str]:
        """ "今年对它有什么安排?" → 它 replaced by what the last turn was about; also that referent
        ("" when nothing was replaced)."""
        frames = self._frames(history)
        if not frames:
            return text, ""
        english = is_english(text)
        # "它说的“两大市场”", "the settlement it mentions": that pronoun is the document; another
        # one may still point back ("the theme of the one they name")
        document = [
            m.span() for m in (_DOCUMENT_PRONOUN_EN if english else _DOCUMENT_PRONOUN_ZH).finditer(text)
        ]
        pronoun = next(
            (
                m
                for m in (_PRONOUN_EN if english else _PRONOUN_ZH).finditer(text)
                if not any(a <= m.start() < b for a, b in document)
            ),
            None,
        )
        if document and (pronoun is None or pronoun.start() > document[0][0]):
            return text, ""
        if pronoun is None or (not english and self._ends_with_subject(text[: pronoun.start()])):
            return text, ""  # "公益讲座这类活动呢?": the pronoun points at the words before it
        if english and pronoun.group(0).lower() in ("this", "that", "these", "those"):
            following = " ".join(text[pronoun.end() :].split()[:3])  # "those twelve livelihood projects"
            last = fold(history[-1][1])
            named = [t for t in self._subject_terms(following, "en", keep_names=False) if _names_something(t)]
            if named and not any(t.found_in(last) for t in named):  # "that reform" after one: it points back
                return text, ""  # a determiner before a noun of its own, which says what is meant
        if not english and any(
            _names_something(t)
            for m in _INNER_QUOTE.finditer(text)
            for t in self._subject_terms(m.group(1), "zh", keep_names=False)
        ):
            return text, ""  # "跟它一起提的“云上政务”用什么技术?": the quoted term is the subject
        recent = " ".join(history[-1]) + " ".join(f[0] for f in frames[-2:])
        if (
            not english
            and pronoun.group(0) in _DETERMINERS_ZH
            and self._names_own_noun(text[pronoun.end() :], recent)
        ):
            return text, ""  # "还有那个危旧房治理…": a determiner before a noun of its own, not the last's
        if not english and (named := self._named_by_noun(text[pronoun.end() :], history[-1][1])):
            # "这个机制是什么意思?" after "…完善全域协同共育机制": the answer's 全域协同共育机制
            word, noun = named
            end = pronoun.end() + text[pronoun.end() :].index(noun) + len(noun)
            return text[: pronoun.start()] + word + text[end:], word
        topic = _TOPIC_FIRST.match(text[: pronoun.start()])
        if english and topic and any(not t.absent for t in self._subject_terms(topic.group("topic"), "en")):
            return text, ""  # "And 云上政务 — what's planned for it?": it is the topic just named
        # the last turn that named something: "它一般由谁来办?" names nothing, the turn before did
        subject = next(
            (
                found
                for q, a in reversed(frames)
                if (found := _defined_term(a) or _answered_term(q, a) or self._subject_of(q, a))
            ),
            "",
        )
        if not subject:
            return text, ""
        if english:  # beside the pronoun: "…, right?" still ends the question, "Is it…" still opens it
            return f"{text[: pronoun.end()]} ({subject}){text[pronoun.end() :]}", subject
        return text[: pronoun.start()] + subject + text[pronoun.end() :], subject

    @staticmethod
    def _asks_use_of_defined(own: str, history: Sequence[Turn]) -> bool:
        """ "这个原则要用在哪里?" right after a glossary entry: where the body uses the term."""
        if not history or not _USED_IN.search(own):
            return False
        cited = cited_ids(history[-1][1])
        return bool(cited) and all(is_glossary_id(pid) for pid in cited)

    def _names_heading(self, term: Term) -> bool:
        """Is the term a part of the plan, named by one of its headings ("老城区", "经开区")?"""
        return any(term.found_in(heading) for heading in self.headings)

    def _area_named(self, text: str) -> tuple[Term, ...]:
        """The part of the plan an elliptical follow-up moves to ("And in the old town?", "那高新区
        呢?"), when that is all it names; () otherwise."""
        own = rules.strip_followup(text)
        if (rules.ASKING_EN if is_english(own) else rules.ASKING_ZH).search(own.lower()):
            return ()  # it asks a question of its own
        lang = "en" if is_english(own) else "zh"
        named = [t for t in self._subject_terms(own, lang, keep_names=False) if _names_something(t)]
        if named and all(self._names_heading(t) and not is_action(t) for t in named):
            return tuple(named)
        return ()

    def _asked_noun(self, text: str) -> tuple[Term, ...]:
        """The plan word right after "什么/哪个/哪些" ("争创个什么示范园" → 示范园): what is asked for is
        one of those, and the clause answering names it."""
        if is_english(text):
            return ()
        asked = _WHAT_NOUN.search(text)
        if asked is None:
            return ()
        words = [(w, f) for w, f in self.extractor.tagged(text[asked.end() : asked.end() + 8]) if w.strip()]
        if not words or len(words[0][0]) < 2 or not words[0][1].startswith(("n", "x")):
            return ()
        return tuple(
            t
            for t in self._subject_terms(words[0][0], "zh", keep_names=False)
            if _names_something(t) and not is_measure(t) and not rules.ATTRIBUTE_WORD.fullmatch(t.forms[0])
        )

    def _names_new_subject(self, text: str, answer: str) -> bool:
        """Does a question name something the library uses that neither the last answer nor the
        paragraphs it cites speak of?"""
        said = fold(answer + "".join(self.paragraphs.get(pid, "") for pid in cited_ids(answer)))
        lang = "en" if is_english(text) else "zh"
        if _SECTION_CLAIM.search(text):
            return False  # "…falls under the old-town section, right?": where the last answer is
        named = [
            t
            for t in self._subject_terms(rules.strip_followup(text), lang, keep_names=False)
            if _names_something(t)
            and not is_action(t)
            and not is_measure(t)
            and t.weight >= NEW_SUBJECT_WEIGHT  # a rare name ("振中路"), not "数字", "规划"
            and all(
                flag.startswith(("n", "x", "j", "l", "eng")) for _, flag in self.extractor.tagged(t.forms[0])
            )
        ]
        return any(not t.found_in(said) for t in named)

    def _names_own_noun(self, following: str, answer: str) -> bool:
        """Does a determiner's noun ("那个危旧房治理") name something of its own, which the plan uses
        and the conversation's last turns (``answer``) do not?"""
        words = [(w, f) for w, f in self.extractor.tagged(following[:10]) if w.strip()]
        if not words or not words[0][1].startswith(("n", "x", "v")):
            return False
        terms = [t for t in self._subject_terms(words[0][0], "zh", keep_names=False) if _names_something(t)]
        return bool(terms) and not any(t.found_in(fold(answer)) for t in terms)

    def _named_by_noun(self, following: str, answer: str) -> tuple[str, str] | None:
        """A determiner's noun ("这个机制") and the one longer word of the last answer's quotes that
        ends with it (全域协同共育机制): what the determiner points at. None when the answer names
        no such word, or several."""
        words = [(w, f) for w, f in self.extractor.tagged(following[:8]) if w.strip()]
        if not words or len(words[0][0]) < 2 or not words[0][1].startswith(("n", "x")):
            return None
        noun = words[0][0]
        quoted = "".join(m.group(1) for m in _ANY_QUOTE.finditer(answer.split("[", 1)[0]))
        longer = {w for w, _ in self.extractor.tagged(quoted) if w.endswith(noun) and len(w) > len(noun) + 1}
        return (longer.pop(), noun) if len(longer) == 1 else None

    @staticmethod
    def _referent_area(referent: str, terms: Sequence[Term], focus: Sequence[Term]) -> tuple[Term, ...]:
        """ "它的数字经济产业规模…?" (它 = 经开区): when the follow-up names its own subject, the
        referent is the field it is asked in, which the paragraph or its section may name."""
        if not referent or not focus:
            return ()
        folded = fold(referent)
        return tuple(t for t in terms if t not in focus and any(form in folded for form in t.forms))

    def _ends_with_subject(self, text: str) -> bool:
        words = [(w, f) for w, f in self.extractor.tagged(text) if w.strip()]
        return bool(words) and len(words[-1][0]) >= 2 and not self._names_no_subject(words[-1][0])

    def _last_subject(self, frames: Sequence[Turn]) -> str:
        """The subject of the latest turn that named one."""
        return next((found for q, a in reversed(frames) if (found := self._subject_of(q, a))), "")

    def _subject_of(self, question: str, answer: str = "") -> str:
        """The most specific terms of a question: its rarest plan words."""
        lang = "en" if is_english(question) else "zh"
        asked = self.profiles.without_scope(rules.strip_followup(question))  # "那去年呢?" names none
        found = self._subject_terms(asked, lang) if asked else ()
        # a measure ("规模") says how much, a word the library never uses ("定下来") names nothing
        # nor is what was asked of it ("开发区排名": 排名 is the attribute, the subject is 开发区), nor
        # an action ("现在建成多少了?": 建成 is what was done; the subject is the turn before's)
        terms = sorted(
            (
                t
                for t in found
                if not is_measure(t)
                and not is_action(t)
                and not t.absent
                and not rules.ATTRIBUTE_WORD.search(t.forms[0])
            ),
            key=lambda t: -t.weight,
        )
        if "“" in answer:  # what the plan's quoted answer (and the paragraphs it cites) spoke of, not
            # a word it refuted ("并非如此：计划原文没有说“邹区”…") nor a loose English match ("capacity")
            said = fold(answer + "".join(self.paragraphs.get(pid, "") for pid in cited_ids(answer)))
            terms = [t for t in terms if t.found_in(said) and f"“{t.forms[0]}”" not in answer] or terms
        return " ".join(t.forms[0] for t in terms[:2])


# words of time, degree and intent in an English follow-up ("how much is built already?", "do they
# aim to…"): no subject
_NO_SUBJECT_EN = frozenset(
    [
        "already",
        "far",
        "yet",
        "still",
        "now",
        "currently",
        "then",
        "total",
        "overall",
        "exactly",
        "length",
        "size",
        "aim",
        "want",
    ]
)
# "有点名吗?", "which ones are named?": the named members of what the last answer counted
_ASKS_NAMES = re.compile(
    r"有?点(?:了)?名|点到(?:了)?名|(?:叫|是)?(?:什么|哪些)名字|有名字吗"
    r"|\b(?:which|what) (?:ones?|of them)\b[^?]*\bnamed\b|\bare (?:any|they) (?:of them )?named\b|\bname them\b",
    re.I,
)
# "今年工作安排分了哪三方面?", "第一个下面又分哪几块?", "what are the main areas of work?": the outline
_OUTLINE = re.compile(
    r"(?:分成?|有|包括|包含)了?(?:哪|几)[几两三四五六七八九十]?(?:个|大)?(?:方面|部分|板块|大块|块|小?标题|小节)"
    r"|(?:哪|几)[几两三四五六七八九十]?(?:个|大)?(?:方面|部分|板块)的?(?:工作|任务|内容)"
    r"|[两三四五六七八九十]个?(?:方面|部分)的?(?:工作|任务)?(?:分别)?(?:是|有)(?:什么|哪些)"
    r"|小节的?标题|小标题(?:是什么|叫什么)"
    r"|\b(?:main|major|key|three|four|five) (?:areas|parts|sections|pillars|themes)\b|\bsub-?headings\b"
    r"|\bhow is (?:the|this) (?:plan|document|report) (?:organi[sz]ed|structured)\b",
    re.I,
)
_NTH = re.compile(
    r"第([一二三四五六七八九十\d])个?(?:部分|方面)?|\b(first|second|third|fourth|fifth)\b", re.I
)
_COUNTS_EN = {"two": 2, "three": 3, "four": 4, "five": 5}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
# "第二个", "中间那个", "the last one": an item of the list the last answer gave
_POSITION = re.compile(
    r"(?:第(?P<nth>[一二三四五六七八九十\d])个|(?P<middle>中间)(?:那|的)?个|(?P<last>最后)(?:一|那)?个)"
    r"|\bthe (?P<en>first|second|third|fourth|fifth|middle|last) one\b",
    re.I,
)


def _listed(answer: str) -> list[str]:
    """The items an answer cites one by one: each quote, or each line before its tag ("一、坚持… [p05]")."""
    items = []
    for _, segment in cited_segments(answer):
        if "“" in segment and "”" in segment:
            item = segment[segment.index("“") + 1 : segment.rindex("”")]
            items += [i.strip() for i in item.split("”“") if i.strip()]  # “政策直达快享行动”“…行动”
        elif item := re.split(r"[：:]", segment)[-1].strip():
            items.append(item)
    if len(items) == 1:  # one quote writing out a list ("积极打造大庙弄、南大街、陈渡桥…"): its members
        members = enumeration.members(items[0])
        return [items[0][a:b] for a, b in members] or items
    return items


_OWN_POSITION = re.compile(
    r"前(?P<first_n>[两二三四五六七八九十\d])个|\bfirst (?P<first_en>two|three|four|five|\d)\b"
    r"|第(?P<nth>[一二三四五六七八九十\d])个|(?P<last>最后(?:一|那)?个|\b(?:the|and) last(?: one)?\b)"
    r"|(?P<first>\bthe first (?:one|of|and)\b)",
    re.I,
)
_ABOUT_MEMBERS = re.compile(
    r"(?:跟|和|与|同)(?P<words>[^,，?？]{1,12}?)(?:有关|相关)|\b(?:related to|to do with|involving) (?P<words_en>[^?]+)",
    re.I,
)


def _number_word(word: str) -> int:
    """A position or count as written: "3", "三", "third", "three"."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _ORDINALS.get(word) or _COUNTS_EN.get(word) or int(chinese_value(word))


def _second_ordinal(text: str) -> tuple[int, ...]:
    """ "第二方面下面第一个小节…": the second ordinal picks among the sections of the part the first names."""
    found = list(_NTH.finditer(text))
    if len(found) < 2:
        return ()
    return (_number_word(found[1].group(1) or found[1].group(2)),)


def _positions(text: str) -> tuple[int, ...]:
    """Positions in a list a question asks for: "第一个和最后一个" → (1, -1), "the first three" → (1, 2, 3)."""
    positions: list[int] = []
    for m in _OWN_POSITION.finditer(text):
        if m.group("first_n") or m.group("first_en"):
            positions += range(1, _number_word(m.group("first_n") or m.group("first_en")) + 1)
        elif m.group("nth"):
            positions.append(_number_word(m.group("nth")))
        else:
            positions.append(-1 if m.group("last") else 1)
    return tuple(dict.fromkeys(positions))


def _pick_listed(text: str, history: Sequence[Turn]) -> str:
    """ "中间那个,排名目标是多少?" after a list of three: "(二)做强经开区,排名目标是多少?"."""
    position = _POSITION.search(text)
    if position is None or not history:
        return text
    lines = _listed(history[-1][1])
    if len(lines) < 2:
        return text
    word = (position.group("nth") or position.group("en") or "").lower()
    if position.group("middle") or word == "middle":
        index = len(lines) // 2
    elif position.group("last") or word == "last":
        index = len(lines) - 1
    else:
        index = _number_word(word) - 1
    if not 0 <= index < len(lines):
        return text
    return text[: position.start()] + lines[index] + text[position.end() :]


def _names_something(term: Term) -> bool:
    """A term the library uses, longer than one character ("对" in "对吧?" names nothing)."""
    return not term.absent and len(term.forms[0]) >= 2


# "And 云上政务 — what's planned for it?", "As for QFLP funds, how big is it?": a topic set first
_TOPIC_FIRST = re.compile(r"^\s*(?:and |as for |about |regarding )?(?P<topic>[^—–,:;?]+?)\s*[—–,:;]", re.I)


# "还提了啥?", "what else does it say?": more of the same subject, not the last answer again
_WHAT_ELSE = re.compile(
    r"还(?:提了|说了|讲了|提到了?|有|要做|做了)(?:啥|什么|哪些|别的)|还有(?:啥|什么|哪些|别的|其他)|别的呢|其他的?呢"
    r"|还[\u4e00-\u9fff]{1,4}(?:什么|啥|哪些)[?？]?$"
    r"|\bwhat else\b|\banything else\b",
    re.I,
)
# "规划里", "计划中", "文件上": where to look (the document), not what about
_IN_THE_DOCUMENT = re.compile(r"(?:规划|计划|文件|报告|工作安排|安排|原文|正文)(?:里|中|上)(?:面)?")
# word classes a claim does not rest on: pronouns, adverbs, particles, numerals, times
_NOT_CLAIMS = ("r", "d", "u", "y", "e", "o", "c", "p", "q", "m", "f", "t", "zg", "w")
# words that say how a claim is put, not what it claims
_FRAMING = frozenset({"打算", "准备", "计划", "要求", "听说", "据说", "出去", "起来", "下来"})
_CLAIM_VERB = re.compile(r"是|要|将|会|打算|准备|计划|已经")
# a claim's verb is often the asker's paraphrase ("争取" for 力争); its nouns are not
_VERBS = ("v", "vd", "vi")
_AREA = re.compile(
    r"(?:在|关于|至于)(?P<within>[\u4e00-\u9fff]{2,8}?)(?:上|方面|领域|这块)"
    r"|(?P<field>[\u4e00-\u9fffA-Za-z“”]{2,14}?)(?:这一?块|这方面|方面|领域|这边|那一?块|(?:里|中)(?:讲|说|提)到?的"
    r"|(?:这一?|小|一)节|这部分|部分里)"
)
_AREA_EN = re.compile(
    r"^\s*(?:on|regarding|as for|as to|in terms of|when it comes to)\s+(?P<field>[^,;:?]{3,40}),", re.I
)
# "how many of them / in total / more?": the count of what was just asked about
_GENERIC_COUNTS = frozenset(
    [
        "of",
        "them",
        "those",
        "these",
        "in",
        "total",
        "altogether",
        "units",
        "items",
        "things",
        "ones",
        "times",
        "more",
        "exactly",
        "overall",
        "all",
        "each",
        "there",
    ]
)
# words that end the thing an English "how many" counts: verbs, prepositions ("how many are planned?")
_VERB_AFTER_HOW_MANY = frozenset(
    [
        "are",
        "is",
        "will",
        "were",
        "was",
        "do",
        "does",
        "did",
        "have",
        "has",
        "can",
        "should",
        "would",
        "could",
        "to",
        "in",
        "for",
        "by",
        "of",
        "get",
        "need",
        "there",
        "this",
        "that",
        "each",
        "per",
        "at",
        "on",
    ]
)
_DETERMINERS_ZH = frozenset(["这个", "那个", "这项", "该项", "这些", "那些", "这种", "这类", "此项", "此类"])
_USED_IN = re.compile(r"用在|用到|用于|应用在|体现在|\bwhere\b.{0,40}\b(?:used|applied|mentioned)\b", re.I)
_WHAT_ATTRIBUTE = re.compile(r"(?:什么|啥)(?:程度|时候|水平|样子?|情况|安排|要求|目标|进展)")
_WHAT_NOUN = re.compile(r"(?:什么|啥|哪个|哪些|哪家|哪所|哪几个|哪一个)(?:样的)?")
_ANOTHER = re.compile(r"另一个|另外一个|另一处|其他|别的|\b(?:another|other|else)\b", re.I)
_ENTRY_NTH = re.compile(
    r"第([一二三四五六七八九十\d]{1,3})条|\b(?:entry|item|term|number|no\.)\s*#?(\d{1,2})\b", re.I
)
_GLOSSARY_NAMED = re.compile(r"名词解释|\bglossary\b", re.I)
_DEFINED = re.compile(r"(?:名词解释 — |glossary defines )“?(?P<term>[^：:“”]+)")


_ASKS_WHICH = re.compile(r"哪|什么|\b(?:which|what)\b", re.I)
_INNER_QUOTE = re.compile(r"“([^“”]{2,12})”")
_ANY_QUOTE = re.compile(r"“((?:[^“”]|“[^“”]*”)*)”")  # a quote of the plan, inner quotes kept


def _answered_term(question: str, answer: str) -> str:
    """ "扩大哪个服务体系的覆盖面?" answered "…扩大“云上政务”服务体系…": "it" is then 云上政务, the
    named thing the answer gave and the question did not have."""
    if not _ASKS_WHICH.search(question) or rules.question_kind(question) != "fact":
        return ""  # "What's the planned scale?" asks a figure, not a named thing
    if _INNER_QUOTE.search(question) or _WHAT_ATTRIBUTE.search(question):
        return ""  # "今年“综合执法进小区”有什么安排?": the question named its subject itself; "涨到什么
        # 程度?" asks how much, not for a named thing
    quoted = answer.split("[", 1)[0]
    quotes = [
        m.group(1)
        for m in _INNER_QUOTE.finditer(quoted)
        if not quoted[: m.start()].rstrip().endswith(("—", "：", ":"))  # the answer's own quote marks
    ]
    return next((q for q in quotes if q not in question and not cited_ids(q)), "")


def _defined_term(answer: str) -> str:
    match = _DEFINED.search(answer)
    return fold(match.group("term")).strip() if match else ""
