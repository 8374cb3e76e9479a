"""What a question asks: its kind, its parts, the figures it asserts, and what it is about.

Pure text analysis, no model: follow-ups are resolved against the previous question here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.figures import YEAR, find_figures, number_tokens
from assistant.numerals import canonical, chinese_value, read_numerals
from assistant.text import fold, is_english

Kind = Literal["figure", "definition", "trap", "fact"]

# "排第几?", "where does it rank?", "top 10?"
ASKS_RANK = re.compile(r"排名|名次|前几|第几(?!版)|\brank|\btop \d+\b", re.I)
# "“零地增效”推到第几版了?": a version is part of the name ("零地增效2.0"): the sentence answers
ASKS_VERSION = re.compile(r"第几版|哪一?版|几点零|\bwhich version\b|\bwhat version\b", re.I)

_DEFINITION_ZH = re.compile(
    r"什么是|是什么意思|什么意思|啥意思|指什么|是指|含义|怎么理解|怎么回事|解释一下|定义|是啥"
)
_DEFINITION_EN = re.compile(
    r"\bwhat (?:is|are|does)\b.*\b(?:mean|means|meaning|refer|stand for|stands for)|\bdefin|\bexplain"
    r"|\bwhat is (?:the |a |an )?[\"“']"
)
_FIGURE_ZH = re.compile(
    r"多少|(?<![哪这那])几|多大|多高|多长|目标|指标|比重|占比|增长|增速|规模|数量|幅度|百分之|比例|排名|名次|达到"
)
_QUANTITY_ZH = re.compile(
    r"多少|(?<![哪这那])几(?!栋|座楼)|多大|多高|多长|比重|占比|百分|增速|幅度|排名|名次|前几"
)
ASKING_EN = re.compile(r"\b(?:what|which|how|who|where|when|why)\b")
ASKING_ZH = re.compile(r"多少|几|什么|哪|怎么|如何|谁|多大|多高|多长|干嘛|干啥|为什么|为啥|啥")
_WHICH_ZH = re.compile(r"哪|什么|谁|何处")
_WHICH_EN = re.compile(r"^(?:which|who|where|what (?:kind|type|title|name|standard))\b")
_FIGURE_EN = re.compile(
    r"\bhow (?:many|much|big|large|far|high|fast)\b|\btarget|\bgoal|\bpercent|\bshare\b|\bgrowth|\bnumber of\b|\brank|\bcapacity|\bscale\b|\bsize\b|\brate\b|\btotal\b|\boutput\b|\bcompare\b"
)
_YESNO_ZH = re.compile(
    r"对吗|对不对|是不是|是吗|[吗吧][?？]?$|没错|真的|听说|据说|难道|确定|是否"
    r"|我记得|记得是|(?:新闻|报道|网上|别人|有人|同事)(?:上|里)?说|不是说|[啊呀嘛][?？!！。]?$"
    r"|核(?:一下|实|对)|帮我查"
)
_YESNO_EN = re.compile(
    r"^(?:is|are|was|will|does|do|did|isn't|aren't)\b|\bright\?$|\btrue\b|\bcorrect\b|\bi heard\b"
)
_FOLLOWUP_ZH = re.compile(r"^(?:那么?|那个|还有|另外|再问一下)|呢[?？]?$")
_FOLLOWUP_EN = re.compile(r"^(?:and|what about|how about|and for|and what about|same for)\b", re.I)
_SPLIT_EN = re.compile(r",|;|\band\b|\bas well as\b", re.I)

# Words that shape a question but name no topic; removed before topical matching.
_QUESTION_WORDS_ZH = re.compile(
    r"提了?(?:什么|哪些)要求|小节|章节|请问|请|问一下|我想知道|想知道|告诉我|由谁来|由谁|谁来|围绕|具体举措|举措|措施|点名了?|提到了?|提及|列出了?|部分|一般(?!公共)|通常|正文里?|今年|去年|前年|明年|上一?年|本年|(?:19|20)\d\d年|二〇二五年|钟楼区?|全区|区里|政府|计划|工作安排|规划中|"
    r"干嘛|干啥|为啥|目标|任务|预期|指标|(?:多少|几)(?:场次|个|家|所|部|条|座|户|场|名|项)?|多大|是什么|什么|哪些|哪个|哪几个|哪|怎么样|怎么(?:弄|办|搞|解决)|咋(?:弄|办|搞)|如何|"
    r"打算|准备|要|将|会|能|吗|呢|吧|啊|呀|的|了|是|有|对吗|对不对|是不是|听说|据说|各|分别|具体|大概|大约|一共|总共|都|"
    r"[?？!！。,，、:：;；“”\"'‘’()（）\s]"
)
_QUESTION_WORDS_EN = re.compile(
    r"\b(?:what|which|who|where|when|how|many|much|is|are|was|were|the|a|an|of|for|in|on|to|be|will|would|should|"
    r"does|do|did|this|that|these|those|year|plan|plans|planned|target|targets|goal|goals|zhonglou|district|"
    r"government|please|tell|me|about|and|by|with|it|its|there|new|number|any|set|aim|aims|expected|"
    r"you|your|give|show|could|just|again|sorry|"
    r"added|add|adding|built|build|building|completed|complete|created|create|launched|launch|achieve|reach|"
    r"increase|increased|grow|growth|rate|total|this|year's|will|can|going|get|got|have|has|had|more|than|"
    r"over|least|planned|intend|intends|aiming|targeted|projected|pledged|commit|commits|named|listed|"
    r"at|as|or|from|into|should|be|being|been|brought|bring|so|any|all|each|per|our|their|they|we|you|i|"
    r"cent|percentage|level|amount|figure|size|scale|capacity|value|some|mean|means|meaning)\b|[?!.,;:\"'“”]"
)


@dataclass(frozen=True)
class Intent:
    """A question understood: ``topic`` is what to match; ``asserted`` the figures it claims."""

    text: str  # the effective question (follow-ups completed from the previous question)
    lang: str
    kind: Kind
    multi: bool  # asks about several things ("科小和高企各多少家?")
    asserted: frozenset[str]  # numbers the question states (false-premise check)
    units: frozenset[str] = frozenset()  # units asked for or stated ("多少公里" → 公里)
    followup: bool = False


def question_kind(text: str) -> Kind:
    english = is_english(text)
    if ASKS_VERSION.search(text):
        return "fact"
    if (_DEFINITION_EN if english else _DEFINITION_ZH).search(text.lower() if english else text):
        return "definition"
    if not english and re.search(r"是什么[?？]?$", text) and not _FIGURE_ZH.search(text):
        return "definition"
    if asserted_numbers(text) and (
        (_YESNO_EN if english else _YESNO_ZH).search(text.strip().lower() if english else text)
        # "送戏下乡今年搞100场次?": a statement with a number, asked back, is a yes/no question too
        or (not english and text.rstrip().endswith(("?", "？")) and not ASKING_ZH.search(text))
        or (english and text.rstrip().endswith("?") and not ASKING_EN.search(text.lower()))
    ):
        return "trap"
    if english:
        return "figure" if _FIGURE_EN.search(text.lower()) and not _WHICH_EN.search(text.lower()) else "fact"
    if _QUANTITY_ZH.search(text) or (_FIGURE_ZH.search(text) and not _WHICH_ZH.search(text)):
        return "figure"
    return "fact"


_QUANTITY_EN = re.compile(
    r"\bhow (?:many|much|fast|big|large|high|far)\b|\bwhat (?:percent|percentage|share|number|figure|rate)\b"
    r"|\bby how much\b|\b(?:figure|number|percent|percentage)\b",
    re.I,
)


# "有没有排名目标?", "is there a ranking goal?": whether there is one, which words may answer
_WHETHER_ZH = re.compile(r"有没有|有无|是否有|有.{0,8}吗")
_WHETHER_EN = re.compile(
    r"\b(?:is there|are there|any|does (?:it|the plan|the report) (?:give|have|set|put|include|mention))\b",
    re.I,
)
# a number named as what is asked for ("有没有具体数字?", "any percentage?")
NUMBER_WORD = re.compile(r"数字|数据|指标|具体数|\b(?:numbers?|figures?|percentages?|percent)\b", re.I)
_HOW_MUCH_EN = re.compile(r"\bhow (?:many|much|fast|big|large|high|far)\b|\bby how much\b", re.I)
_NUMBER_ASKED_ZH = re.compile(r"多少|(?<![哪这那])几(?!栋|座楼)|数字|具体数")


def asks_quantity(text: str) -> bool:
    """Does the question itself ask for a number ("多少", "how many"), not just a goal ("目标呢?",
    "有没有排名目标?")?"""
    if ASKS_VERSION.search(text):  # "第几版?": the version is in the name, not a figure
        return False
    if is_english(text):  # "any number for foreign investment?" may be answered by words, as in Chinese
        if _WHETHER_EN.search(text) and not _HOW_MUCH_EN.search(text):
            return False
        return bool(_QUANTITY_EN.search(text))
    if _WHETHER_ZH.search(text) and not _NUMBER_ASKED_ZH.search(text):
        return False
    return bool(_QUANTITY_ZH.search(text))


_CLAIM_ZH = re.compile(
    r"对吗|对吧|对不对|是不是|是吗|没错吧?|吧[?？]?$|听说|据说|了吗[?？]?$|不是[^?？,，]{0,16}吗[?？]?$"
)
_CLAIM_EN = re.compile(
    r"\bright\?$|\bcorrect\?$|\bisn't it\?$|\bis that (?:right|true|so)\b|\bi heard\b", re.I
)


# what a claim may say that a plan's sentence can be checked against: all of something ("every
# SME…, right?", "所有中小企业都…吧?"), or that it is finished ("建成投用了吧?", "opens this year, right?")
CLAIMS_ALL = re.compile(r"所有|全部|每(?:个|一个|家|所)|\b(?:every|all|each)\b", re.I)
CLAIMS_DONE = re.compile(
    r"建成|投用|投入使用|竣工|完工|开业|开诊|建好|落成|通车|评上|获评|已经是|已是|已经确定|定下来了"
    r"|\bopen(?:s|ed)?\b|\bcompleted?\b|\bfinished\b|\balready\b|\bdone\b|\bachieved\b|\bawarded\b"
    r"|\bfinali[sz]ed\b|\bapproved\b|\bconfirmed\b"
    r"|\boperational\b|\bin (?:use|operation)\b",
    re.I,
)


# "讲了哪三个“始终”?": a word the plan repeats, counted; its members are the sentences using it
_COUNTED_QUOTE = re.compile(r"([几两三四五六七八九十\d]+)个\s*[“\"]([^“”\"\d]{1,8})[”\"]")


# administrative levels, as the plan writes them and as English says them
_LEVELS = {
    "国家级": re.compile(r"国家级|\bnational(?:-level)?\b", re.I),
    "省级": re.compile(r"省级|\bprovincial(?:-level)?\b", re.I),
    "市级": re.compile(r"市级|\bmunicipal(?:-level)?\b|\bcity-level\b", re.I),
    "区级": re.compile(r"区级|\bdistrict-level\b", re.I),
}


LEVELS = frozenset(_LEVELS)
# a claim that work only starts ("只是开工吧?", "only breaks ground this year"), held against a plan
# that has it finished (竣工, 建成)
CLAIMS_STARTED = re.compile(
    r"(?:只是|才|刚)?(?:开工|动工|破土)|\bbreaks? ground\b|\bstart(?:s|ing)? (?:construction|building|work)\b",
    re.I,
)


def wrong_level(question: str, quote: str) -> str:
    """The level a question claims ("provincial-level green factory") when the plan's quote names
    another level and not that one ("培育国家级绿色工厂1家"); "" otherwise."""
    asked = [level for level, pattern in _LEVELS.items() if pattern.search(question)]
    stated = [level for level, pattern in _LEVELS.items() if pattern.search(quote)]
    if asked and stated and not set(asked) & set(stated):
        return asked[0]
    return ""


def counted_quote(text: str) -> tuple[str, int] | None:
    """The quoted word a question counts and asks the members of ("哪三个“始终”" → ("始终", 3);
    0 when the count is asked, "几个"), or None."""
    match = _COUNTED_QUOTE.search(text)
    if match is None or not (ASKING_EN if is_english(text) else ASKING_ZH).search(text.lower()):
        return None
    count = match.group(1)
    number = 0 if count == "几" else int(count) if count.isdigit() else int(chinese_value(count))
    return match.group(2), number


# "正文里…", "in the body of the plan": the report's body, not its glossary
IN_BODY = re.compile(
    r"正文|\b(?:main (?:plan |report )?text|body (?:text|of the (?:[\w-]+ ){0,3}(?:plan|report))|in the body)\b",
    re.I,
)
_YESNO_STATUS_EN = re.compile(
    r"^(?:so |and |but )?(?:(?:it|they|this|that|the [\w -]{1,40}?) (?:has|have|is|are|was|were|will)\b"
    r"|(?:has|have|is|are|was|were|did|does|will) (?:it|they|this|that|the)\b).*\?$",
    re.I,
)
_HEARSAY = ("听说", "据说", "i heard")


def is_claim(text: str) -> bool:
    """A statement asked back for confirmation, with no figure in it ("…两个中心合并吧?"): the answer
    says whether the plan's own sentence bears it out."""
    english = is_english(text)
    claimed = (_CLAIM_EN if english else _CLAIM_ZH).search(text.strip())
    if (
        claimed
        and claimed.group(0).lower() in _HEARSAY
        and (ASKING_EN if english else ASKING_ZH).search(text.lower())
    ):
        return False  # "听说社区医院要合并,合的是哪两家?": hearsay leading to a question of its own
    if claimed is None and english and _YESNO_STATUS_EN.search(text.strip()):
        # "So it has already been awarded that title?", "Has it opened yet?": a status or a level,
        # asked back without a tag
        claimed = CLAIMS_DONE.search(text) or next(
            (p.search(text) for p in _LEVELS.values() if p.search(text)), None
        )
    return bool(claimed) and not asserted_numbers(text)


def strip_claim(text: str) -> str:
    """The statement without the words asking it back ("…合并吧?" → "…合并")."""
    return _CLAIM_ZH.sub("", text.strip()).strip(" ,，。?？")


def topic_of(text: str) -> str:
    """The topical words of a question (what remains when question words are removed)."""
    if is_english(text):
        return re.sub(r"\s+", " ", _QUESTION_WORDS_EN.sub(" ", text.lower())).strip()
    return _QUESTION_WORDS_ZH.sub("", fold(text))


def is_followup(text: str, history: Sequence[tuple[str, str]]) -> bool:
    if not history:
        return False
    pattern = _FOLLOWUP_EN if is_english(text) else _FOLLOWUP_ZH
    return bool(pattern.search(text.strip())) or len(topic_of(text)) <= 2


_OWN_QUESTION_ZH = re.compile(r"什么|哪|怎么|如何|谁|讲讲|说说|介绍|解释|干嘛|干啥|为什么|为啥|啥")
_OWN_QUESTION_EN = re.compile(r"\b(?:what|which|who|how|where|why)\b", re.I)


def _asks_its_own(text: str) -> bool:
    """Does a follow-up ask its own question ("那正文在养老方面提了什么?", "那它年内就建成了吧?"),
    not just name a subject?"""
    return bool((_OWN_QUESTION_EN if is_english(text) else _OWN_QUESTION_ZH).search(text)) or is_claim(text)


def strip_followup(text: str) -> str:
    if is_english(text):
        return _FOLLOWUP_EN.sub("", text.strip()).strip(" ?,")
    return re.sub(r"^(?:那么?|那个|还有|另外|再问一下)|呢[?？]?$", "", text.strip()).strip()


_SECOND_QUESTION_EN = re.compile(r",?\s+and\s+(?=how (?:many|much)\b)", re.I)
MAX_SUBQUESTIONS = 3  # "…多大?已经建成多少?" is answered part by part, up to this many parts


def _split_at_commas(piece: str) -> list[str]:
    clauses = [c for c in re.split(r"(?<=[,，;；])", piece) if c.strip(" ,，;；")]
    if len(clauses) > 1 and all(ASKING_ZH.search(c) for c in clauses):
        return [c.rstrip(" ,，;；") for c in clauses]
    return [piece]


def split_questions(text: str) -> list[str]:
    """The questions in a text, split after each question mark; one part when there is just one."""
    pieces = re.findall(r"[^?？]+[?？]?", text)
    if is_english(text):  # "how many are added, and how many renewed?": two questions in one sentence
        pieces = [q for piece in pieces for q in _SECOND_QUESTION_EN.split(piece)]
    else:  # "它规模多大,已经建了多少?": two questions joined by a comma, each with its question word
        pieces = [q for piece in pieces for q in _split_at_commas(piece)]
    parts = [p.strip() for p in pieces if len(topic_of(p)) >= 2 or ASKING_ZH.search(p)]
    if not 2 <= len(parts) <= MAX_SUBQUESTIONS:
        return [text]
    return parts


# "一万个学位", "二十家": a spoken number counting something (not "十大行动", "十四五", "两个中心")
_SPOKEN_COUNT = re.compile(
    r"[零〇一二两三四五六七八九十百千万亿]*[十百千万亿][零〇一二两三四五六七八九十百千万亿]*(?=[个家所部条座户名项场次公顷亩元])"
)


# a number word counts a thing when a word follows it, not "of" ("one of them") nor a verb
_COUNTING = re.compile(r"[ -](?!of\b|or\b|is\b|are\b|was\b|will\b|they\b|it\b)[a-z]|\s*[?？]", re.I)
# "the one they name", "which one": "one" stands for a thing
_ONE_AS_PRONOUN = re.compile(
    r"\b(?:the|which|this|that|each|any|every|no|another|last|first|same|only|other|that's|big|new|old) one$",
    re.I,
)


# "those twelve projects", "the ten actions": a count already known, named, not claimed
_KNOWN_COUNT = re.compile(r"\b(?:the|those|these|its|their|all|both|of)\s+$", re.I)


# in a term, the attribute asked ("开发区排名", "a specific percentage" → 比重), not the subject
ATTRIBUTE_WORD = re.compile(r"排名|名次|时间|年份|日期|比重|占比")
# "第3条", "第二个": a position, not a quantity
ORDINAL = re.compile(r"第[\d一二三四五六七八九十]+(?:条|个|项|部分|方面|点)?")


# "phase 2", "version 2.0": a number naming a thing, not a figure about it
_NAMED_NUMBER = re.compile(r"\b(?:phase|stage|batch|version|no\.|number|level)\s*\d+(?:\.\d+)?\b", re.I)


def asserted_numbers(text: str) -> frozenset[str]:
    """Numbers a question states, years excluded ("绿地20公顷对吗" → {"20"}; "2000户" is no year;
    "一万个学位" → {"10000"}); an ordinal ("第3条") is no figure."""
    text = _NAMED_NUMBER.sub(" ", ORDINAL.sub(" ", text))
    years = set(YEAR.findall(text))
    spoken = {canonical(chinese_value(run)) for run in _SPOKEN_COUNT.findall(text)}
    if is_english(text):  # "five national-level green factories": a number in words, counting
        spoken |= {
            n.token
            for n in read_numerals(text)
            if n.script == "english"
            and _COUNTING.match(text, n.end)
            and not _ONE_AS_PRONOUN.search(text, 0, n.end)
            and not _KNOWN_COUNT.search(text, 0, n.start)
        }
    return frozenset(n for n in number_tokens(text) | spoken if n not in years)


_ASKED_UNIT_ZH = re.compile(
    r"(?:多少|几)(场次|公里|公顷|兆瓦|PB|亿元|万元|个(?!(?:百分)?点)|家|所|部|条|座|户|场|名)"
)
# "一共多长?", "road length": a length is asked for (not 多长时间, a duration)
_ASKED_LENGTH = re.compile(r"多长(?!时间)|多远|长度|\blength\b", re.I)
LENGTH_UNITS = frozenset(["公里", "千米", "米"])
_ASKED_PERCENT_ZH = re.compile(r"(?:多少|几)个?(?:百分)?点|百分之几|百分比|比重|占比|多少%")
_MONEY_ZH = re.compile(
    r"多少钱|金额|投资额|总投资|资金规模|多少元|(?:补贴|补助|预算|奖励|拨款)(?:有)?多少|多少(?:补贴|补助|预算|奖励)"
)
_UNIT_EN = re.compile(
    r"(?:\d[\d,.]*\s*|how many\s+)(mw|megawatts?|hectares?|ha|km|kilomet(?:er|re)s?|%|percent|pb|yuan)\b",
    re.I,
)
_UNITS_FROM_EN = {
    "mw": "兆瓦",
    "megawatt": "兆瓦",
    "hectare": "公顷",
    "ha": "公顷",
    "km": "公里",
    "kilometer": "公里",
    "kilometre": "公里",
    "%": "%",
    "percent": "%",
    "pb": "PB",
    "yuan": "元",
}
MONEY_UNITS = frozenset({"元", "亿元", "万元", "亿"})
_MONEY_EN = re.compile(
    r"\bin (?:yuan|rmb|renminbi|dollars|us dollars)\b|\bhow (?:much money|many yuan|many dollars)\b|\bdollar\b"
    r"|\bhow much (?:\w+ ){0,2}(?:subsid(?:y|ies)|funding|funds?|money|budget|grants?|spending|cash|allowance)\b"
    r"|\bwhat (?:\w+ ){0,2}(?:budget|amount of money|funding)\b",
    re.I,
)

# A rate of change is asked for ("增速多少", "how fast"), or a level ("GDP总量", "how big"): a
# rate is answered by a percentage (or "2位数增长"), a level by an amount
_ASKED_RATE_ZH = re.compile(
    r"增速|增幅|增长率|涨幅|(?:增长|上涨|下降)了?(?:多少|几)(?!亿|万|个|家|所|条|座|人|公)|年均增长"
)
_ASKED_RATE_EN = re.compile(
    r"\bgrowth rate\b|\bhow fast\b|\b(?:grow|rise|fall|drop)(?:s|n)? by (?:how much|what)\b|\bby what percent"
    r"|\b(?:by )?how much (?:did|does|will|has|have|is|was)\b[^?]*\b(?:grow|grown|rise|risen|increase|increased)\b",
    re.I,
)
_ASKED_LEVEL_ZH = re.compile(r"总量|总额|总规模|规模多大|多少(?:万亿|亿)")
_ASKED_LEVEL_EN = re.compile(r"\b(?:total|volume)\b|\bhow (?:big|large)\b", re.I)
# A stock is asked for ("累计装机现在有多少?", "目前排第几?", "how many so far"): only a figure stated as
# reached answers, not a target or what a year adds (新增)
_ASKED_STOCK_ZH = re.compile(
    r"累计|存量|目前(?!计划|打算|准备)|现在有|当前|已有|已经?(?:建成?|做完|完成)了?(?:多少|几)"
)
_ASKED_STOCK_EN = re.compile(
    r"\b(?:cumulative|so far|to date|currently|right now|at present|already (?:has|have))\b",
    re.I,
)
# A plan is asked for ("计划规模多大?", "how big is it planned to be?"): not what is reached already
_ASKED_PLANNED = re.compile(
    r"计划规模|规划规模|计划(?:建|做)?多大|规划多大|\bplanned (?:to be|size|scale|capacity)\b"
    r"|\b(?:supposed|meant|intended|designed|due) to be\b",
    re.I,
)
_ASKED_SHARE = re.compile(r"比重|占比|比例|率|百分|\b(?:share|percent|percentage|proportion|ratio)\b", re.I)
Measure = Literal["rate", "level", "stock", "planned", ""]


def asked_measure(text: str) -> Measure:
    """Is a rate asked for ("增速多少?"), a level ("GDP总量是多少?"), a stock ("累计装机现在有多少?")
    or a plan ("计划规模多大?"), so that another measure does not answer?"""
    english = is_english(text)
    if (_ASKED_RATE_EN if english else _ASKED_RATE_ZH).search(text):
        return "rate"
    stock = (_ASKED_STOCK_EN if english else _ASKED_STOCK_ZH).search(text)
    planned = _ASKED_PLANNED.search(text)
    if stock and planned:  # "计划规模多大、已经建成多少?": both are asked
        return ""
    if stock:
        return "stock"
    if planned:
        return "planned"
    if (_ASKED_LEVEL_EN if english else _ASKED_LEVEL_ZH).search(text) and not _ASKED_SHARE.search(text):
        return "level"
    return ""


def asked_units(text: str) -> frozenset[str]:
    """Units a question asks for or states: "多少公里" → 公里, "50 MW" → 兆瓦, "多少钱" → money."""
    if is_english(text):
        found = {
            _UNITS_FROM_EN[m.group(1).lower().rstrip("s")]
            for m in _UNIT_EN.finditer(text)
            if m.group(1).lower().rstrip("s") in _UNITS_FROM_EN
        }
        if _MONEY_EN.search(text):  # "the target in yuan": an amount of money is asked for
            found |= MONEY_UNITS
        if _ASKED_LENGTH.search(text):
            found |= LENGTH_UNITS
        if re.search(r"\btop \d+\b", text, re.I):  # "top 10": a rank, as the plan's 前20名
            found.add("名")
        return frozenset(found)
    found = set(_ASKED_UNIT_ZH.findall(text)) | {f.unit for f in find_figures(fold(ORDINAL.sub(" ", text)))}
    if _MONEY_ZH.search(text):
        found |= MONEY_UNITS
    if _ASKED_PERCENT_ZH.search(text):
        found.add("%")
    if _ASKED_LENGTH.search(text):
        found |= LENGTH_UNITS
    return frozenset(found)


def is_multi(text: str) -> bool:
    """Several things asked at once: a conjunction between topics, or two question words."""
    if is_english(text):
        return bool(_SPLIT_EN.search(text)) or len(re.findall(r"\bhow (?:many|much)\b", text, re.I)) > 1
    pieces = [p for p in re.split(r"[,，;；、]|以及|还有|和|与|及|跟", text) if len(topic_of(p)) >= 2]
    return len(pieces) >= 2 or len(re.findall(r"多少|几", text)) > 1


def analyse(text: str, history: Sequence[tuple[str, str]] = (), *, elliptical: bool = False) -> Intent:
    """Understand a question, completing a follow-up ("那高企呢?") from the previous question;
    ``elliptical``: the question names no subject of its own ("已经建成多少?")."""
    text = strip_injection(text) or text
    followup = bool(history) and (elliptical or is_followup(text, history))
    effective = text
    kind = question_kind(text)
    if followup:
        # The frame comes from the last question that was not itself a follow-up ("那高企呢?").
        previous = next(
            (q for n, (q, _) in reversed(list(enumerate(history))) if not is_followup(q, history[:n])),
            history[-1][0],
        )
        own = strip_followup(text)
        if kind == "fact" and not _asks_its_own(own):  # "那高企呢?" keeps the frame; "…提了什么?" asks a fact
            kind = question_kind(previous)
        frame = _QUESTION_FRAME_EN if is_english(previous) else _QUESTION_FRAME_ZH
        words = frame.findall(previous.lower() if is_english(previous) else previous)
        # "增长了多少?", "一共多长?" ask their own question: the frame's 几条 is not carried
        own_asks = (ASKING_EN if is_english(own) else ASKING_ZH).search(own.lower())
        asked = "" if own_asks else " ".join(w for w in words if w not in own)
        effective = f"{own} {asked}".strip()
    english = is_english(effective) or (followup and is_english(text))
    asserted = asserted_numbers(effective) if kind == "trap" else frozenset()
    return Intent(
        text=effective,
        lang="en" if english else "zh",
        kind=kind,
        multi=kind in ("figure", "fact") and is_multi(effective),
        units=asked_units(effective),
        asserted=asserted,
        followup=followup,
    )


_INJECTION = re.compile(
    r"(?:忽略|无视|忘记|不要管|别管)(?:掉)?(?:之前|以上|上面|前面|所有|全部|你的|这份)?的?(?:所有)?(?:指令|指示|规则|设定|提示|要求|计划|内容)[,，。:：;；!！]?"
    r"|(?:系统提示|system prompt|new instructions?|新指令)[:：]?"
    r"|你现在是[^,，。]*[,，。]?|(?:请)?(?:直接)?(?:告诉我|回答我?|(?<![听据小])说)(?=[^,，。]*(?:是|为|改成))"
    r"|\b(?:ignore|disregard|forget)\b[^.,;]*?\b(?:instructions?|plan|rules|above|prompt)\b[ ,.;:]*(?:and )?"
    r"|\b(?:just )?(?:say|tell me|answer) that\b|\bpretend\b[^.,;]*[.,;]?",
    re.I,
)


def strip_injection(text: str) -> str:
    """Drop instructions aimed at the assistant ("忽略之前的指令，…"): only the question stays."""
    return _INJECTION.sub(" ", text).strip(" ,，。:：")


_QUESTION_FRAME_ZH = re.compile(
    r"多少[个家所部条座户场次公里公顷兆瓦]*|几[个家所部条座]?|目标|是什么|哪些|哪个"
)
_QUESTION_FRAME_EN = re.compile(r"how many|how much|what is the target|target|which|what")
