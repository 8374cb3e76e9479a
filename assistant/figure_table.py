"""The figure table: every figure of a document with what it measures, read from the text by rules.

A figure (``assistant.figures``) says how much; a ``FigureFact`` adds of what: the subject, the
action, the qualifier and the span to quote. Enumerations ("科小超480家、潜在独角兽5家"), shared
predicates (the second half of a sentence inherits "新认定"), "respectively" pairs ("省、市重大项目
3个、7个") and 双双 ("输变电产业、汽车零部件产值双双破百亿") are resolved, so a figure is cited
for its own subject only. Used by the answerer, the LLM verifier and the targets table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.corpus import Corpus, Paragraph
from assistant.figures import Figure, find_figures

_CLAUSE_BREAK = re.compile(r"[,，;；。:：!！?？]")
_SENTENCE_BREAK = re.compile(r"[。;；!！?？]")
# Words that set the tone of a clause, not its subject: dropped from the front.
_LEADING = re.compile(r"^(?:力争|确保|争取|全年|今年|年内|持续|计划|在|共|累计|全区|进一步|加快|努力)+")
# The verbs a plan states its figures with, longest first; a subject never starts with one, and a
# question's subject is never one ("新建几家食堂": 食堂, not 新建).
ACTIONS = sorted(
    [
        "新增入库",
        "新认定",
        "更新改造",
        "改造提升",
        "新建",
        "改建",
        "改造",
        "更新",
        "新增",
        "认定",
        "引进",
        "招引",
        "培育",
        "创成",
        "创建",
        "完成",
        "启用",
        "启动",
        "推进",
        "建成",
        "实施",
        "组织",
        "开展",
        "摸排",
        "梳理形成了",
        "梳理形成",
        "形成",
        "邀请",
        "推出",
        "已建成",
        "增加",
        "实现",
        "跻身",
        "抓好",
        "持续抓好",
        "打造",
        "建设",
        "提升",
        "提高",
        "达到",
        "突破",
        "加装",
        "导入",
        "新认定",
        "入库",
        "落地",
        "开工",
        "竣工",
        "签约",
        "举办",
        "发放",
        "覆盖",
        "建立",
        "设立",
    ],
    key=len,
    reverse=True,
)
_TRAILING = re.compile(r"(?:增长|实现|达到|达|提高|提升|突破|超过|双双|(?<![年人])均|分别|都|约|为|共)+$")
_EXAMPLES = re.compile(r"^(?P<examples>.+)等$")  # "西仓桥小学、阳光幼儿园等" names examples
# A counted noun after a figure that means nothing alone: the sentence's topic is its subject.
_GENERIC = frozenset({"项目", "个项目", "处", "批", "项"})
_BOTH = re.compile(r"(?:双双|均|都|分别)$")
MAX_SUBJECT_CHARS = 24


@dataclass(frozen=True)
class FigureFact:
    """One figure of the plan and what it measures; every text field is from the paragraph."""

    paragraph_id: str
    figure: Figure  # the figure as written ("超500家")
    subject: str  # what it measures ("高企"); never empty
    action: str  # the verb it is stated with ("新认定"), or ""
    statement: tuple[int, int]  # span to quote: subject (or its clause) through the figure
    sentence: tuple[int, int]  # span of the sentence holding it
    topic: str = ""  # the sentence's first clause when the subject is generic ("项目")
    counted: str = ""  # the noun after the figure ("在完成首批4个试点基础上" → 试点基础上)

    @property
    def text(self) -> str:
        return self.figure.text

    @property
    def unit(self) -> str:
        return self.figure.unit

    def describes(self) -> str:
        """What is matched against a question: topic, action, subject and counted noun."""
        return f"{self.topic}{self.action}{self.subject}{self.counted}"

    def own_words(self) -> str:
        """The words of its own clause: action, subject and counted noun (no inherited topic)."""
        subject = "" if self.subject == self.topic else self.subject
        return f"{self.action}{subject}{self.counted}"


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in pattern.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _containing(spans: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next(((a, b) for a, b in spans if a <= pos < b), (0, 0))


def split_action(prefix: str) -> tuple[str, str]:
    """ "新认定科小" → ("新认定", "科小"); "地区生产总值增长" → ("", "地区生产总值")."""
    text = _LEADING.sub("", prefix.strip(" 、"))
    action = ""
    while True:
        verb = next((v for v in ACTIONS if text.startswith(v)), None)
        if verb is None:
            break
        action, text = action + verb, text[len(verb) :].lstrip("、")
        # "新建、改建道路": a second verb joined by 、 belongs to the action too
    text = _TRAILING.sub("", text)
    return action, re.sub(r"[“”\"]", "", text).strip(" 、了")


def _counted_noun(after: str) -> tuple[str, int]:
    """The noun a figure counts, when it follows the figure, and its length as written:
    "5所新校" → ("新校", 2)."""
    stop = re.search(r"[,，;；。:：、的]|共同|改造|治理|导入|增长", after)
    end = (
        stop.end()
        if stop and stop.group(0) in ("改造", "治理", "导入", "增长")
        else (stop.start() if stop else len(after))
    )
    return re.sub(r"[“”\"]", "", after[:end]).strip()[:MAX_SUBJECT_CHARS], end


def paragraph_facts(paragraph: Paragraph) -> list[FigureFact]:
    """The figures of one paragraph with their subjects, left to right."""
    text = paragraph.text
    figures = find_figures(text)
    clauses = _spans(text, _CLAUSE_BREAK)
    sentences = _spans(text, _SENTENCE_BREAK)
    facts: list[FigureFact] = []
    last_action: dict[tuple[int, int], str] = {}  # per sentence: a clause with no verb inherits it
    for n, fig in enumerate(figures):
        clause = _containing(clauses, fig.start)
        sentence = _containing(sentences, fig.start)
        # the item of an enumeration: from the previous figure's end (past its 、) or the clause start
        previous = [f for f in figures[:n] if f.end <= fig.start and f.start >= clause[0]]
        item_start = previous[-1].end if previous else clause[0]
        prefix = text[item_start : fig.start]
        if previous and not prefix.strip("、 "):
            # "3个、7个": a run of figures after one subject list → distributed below
            continue
        group = [fig]
        for later in figures[n + 1 :]:
            between = text[group[-1].end : later.start]
            if between.strip() != "、":
                break
            group.append(later)
        noun_before = bool(previous) and prefix.rstrip().endswith("、")  # "1300多家工业企业、15000多家…"
        action, subject = split_action("" if noun_before else prefix.lstrip("、"))
        if action:
            last_action[sentence] = action
        elif fig.unit != "%":  # "…超150家、高企超500家": counts go on with the sentence's verb
            action = last_action.get(sentence, "")
        if noun_before:
            item_start += prefix.rindex("、") + 1
        after, after_len = _counted_noun(text[group[-1].end : clause[1]])
        examples = _EXAMPLES.match(subject)
        topic = ""
        if not subject or examples:
            subject = (f"{examples.group('examples')}等" if examples else "") + after
            if after in _GENERIC or not after:
                first = _containing(clauses, sentence[0])
                topic = (
                    paragraph.term
                    if paragraph.kind == "glossary" and paragraph.term
                    else (split_action(text[first[0] : first[1]].rstrip(",，;；。:："))[1])
                )
        if paragraph.kind == "glossary" and paragraph.term:
            topic = paragraph.term  # every sentence of a glossary item is about its term
        subject = subject or after or topic or text[clause[0] : fig.start].strip() or fig.text
        noun_end = group[-1].end + after_len
        statement = (clause[0], noun_end)
        members = [m for m in re.split(r"、", subject) if m]
        if len(group) > 1 and len(members) == len(group):
            # respectively: "省、市重大项目3个、7个" → 省重大项目 3个, 市重大项目 7个
            head = members[-1][len(members[0]) :] if len(members[-1]) > len(members[0]) else ""
            for member, figure in zip(members, group, strict=True):
                own = member if member.endswith(head) else member + head
                facts.append(
                    FigureFact(
                        paragraph.id,
                        figure,
                        own[:MAX_SUBJECT_CHARS],
                        action,
                        statement,
                        sentence,
                        topic,
                        after,
                    )
                )
            continue
        if len(group) == 1 and len(members) > 1 and _BOTH.search(prefix.strip()):
            for member in members:  # 双双/均: the one figure holds for each member
                facts.append(FigureFact(paragraph.id, fig, member, action, statement, sentence, topic, after))
            continue
        for figure in group:
            facts.append(
                FigureFact(
                    paragraph.id,
                    figure,
                    subject[-MAX_SUBJECT_CHARS:],
                    action,
                    (item_start + (1 if previous and not noun_before else 0), noun_end)
                    if figure is fig
                    else statement,
                    sentence,
                    topic,
                    after if after not in subject else "",
                )
            )
    return facts


def build_figure_table(paragraphs: Iterable[Paragraph]) -> list[FigureFact]:
    """Every figure of these paragraphs with its subject (headings have none worth stating)."""
    return [f for p in paragraphs if p.kind != "heading" for f in paragraph_facts(p)]


def corpus_figure_table(corpus: Corpus) -> list[FigureFact]:
    return build_figure_table(corpus.paragraphs)
