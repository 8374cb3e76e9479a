"""What a figure is: a number with its unit and qualifier, exactly as the plan writes it.

The one definition used by chunking (never split one), answering (quote it whole), the LLM
verifier (no number the plan does not state), the targets table and the eval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.numerals import canonical, chinese_value

# Longest units first so that "场次" wins over "场" and "兆瓦" is taken whole.
UNITS_EN: dict[str, tuple[str, str]] = {
    # unit: (singular, plural) in English
    "平方米": ("square metre", "square metres"),
    "兆瓦": ("MW", "MW"),
    "千瓦": ("kW", "kW"),
    "公顷": ("hectare", "hectares"),
    "公里": ("km", "km"),
    # No digits in a unit's English: every number in an answer must come from the plan.
    "亿元": ("hundred million yuan", "hundred million yuan"),
    "万元": ("ten thousand yuan", "ten thousand yuan"),
    "万人": ("ten thousand people", "ten thousand people"),
    "场次": ("performance/event", "performances/events"),
    "位数": ("-digit", "-digit"),
    "PB": ("PB", "PB"),
    "%": ("%", "%"),
    "个": ("", ""),
    "家": ("", ""),  # companies, factories, venues…: the clause says which
    "所": ("school", "schools"),
    "部": ("lift", "lifts"),
    "条": ("", ""),
    "座": ("", ""),
    "户": ("household", "households"),
    "名": ("place (rank)", "place (rank)"),
    "项": ("item", "items"),
    "场": ("session", "sessions"),
    "次": ("time", "times"),
    "人": ("person", "people"),
    "亩": ("mu", "mu"),
    "元": ("yuan", "yuan"),
    "倍": ("times", "times"),
    # units other governments' reports use (a library holds more than this plan)
    "微克/立方米": ("μg/m³", "μg/m³"),
    "平方公里": ("km²", "km²"),
    "个百分点": ("percentage point", "percentage points"),
    "人次": ("person-time", "person-times"),
    "标箱": ("TEU", "TEU"),
    "千米": ("km", "km"),
    "台": ("unit", "units"),
    "辆": ("vehicle", "vehicles"),
    "套": ("set", "sets"),
    "吨": ("tonne", "tonnes"),
    "斤": ("jin", "jin"),
    "米": ("metre", "metres"),
    "标准箱": ("TEU", "TEU"),
    "美元": ("US dollars", "US dollars"),
    "千瓦时": ("kWh", "kWh"),
    "立方米": ("cubic metre", "cubic metres"),
    "小时": ("hour", "hours"),
    "分钟": ("minute", "minutes"),
    "件": ("", ""),  # cases, patents, bills…: the clause says which
    "张": ("", ""),  # beds, cards…
    "岁": ("years (of age)", "years (of age)"),
    "艘": ("vessel", "vessels"),
    "架": ("aircraft", "aircraft"),
    "头": ("head", "head"),
    "只": ("", ""),
    "P": ("P (petaflops)", "P (petaflops)"),  # computing power: "1.7万P"
}
# A magnitude between number and unit ("4500万标箱", "10.3万亿元"): English says it in words,
# never in digits, so every number of an answer is still the plan's.
MAGNITUDES_EN: dict[str, str] = {
    "万亿": "trillion",
    "亿": "hundred-million",
    "万": "ten-thousand",
    "千": "thousand",
}
QUALIFIERS_EN: dict[str, str] = {
    "以上": "or more",
    "左右": "about",
    "多": "more than",
    "超": "over",
    "约": "about",
    "破": "over",
    "突破": "over",
    "达": "reaching",
    "前": "top",
    "近": "nearly",
    "以内": "at most",
    "不少于": "at least",
    "不低于": "at least",
    "不超过": "at most",
}
_PREFIX = "不少于|不低于|不超过|突破|超|约|破|达|前|近"
_SUFFIX = "以上|左右|以内"
_UNIT = "|".join(sorted(UNITS_EN, key=len, reverse=True))
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%?\s*[-~～—–]\s*\d+(?:\.\d+)?)?"  # "1,000户", "2-3个", "5%—5.5%" whole

FIGURE_PATTERN = re.compile(
    rf"(?P<prefix>{_PREFIX})?"
    rf"(?:(?P<number>{_NUMBER})(?P<more>多)?(?P<unit>{_UNIT}|(?:万亿|亿|万|千)(?:{_UNIT}))"
    rf"|(?P<cn>[百千万]亿|[百千]万))"
    rf"(?P<suffix>{_SUFFIX})?"
)


# A year named in a text ("2025年", "in 2025"); "2000户" and "2025%" are figures, not years
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年|(?![\d\u4e00-\u9fff%.]))")
THIS_YEAR = re.compile(r"今年|本年|\bthis year\b", re.I)  # a document's own year, named relatively


@dataclass(frozen=True)
class Figure:
    """A figure found in a text: ``text`` is the exact substring, qualifier included."""

    text: str
    start: int
    end: int
    number: str  # as written: "20", "2-3", "1.5"; "百亿" for Chinese magnitudes
    unit: str  # "兆瓦", "%", ... ("亿" for Chinese magnitudes)
    qualifier: str  # "以上", "左右", "多", "超", "约", ... or ""

    @property
    def core(self) -> str:
        """Number and unit without the qualifier, for comparing two figures."""
        return f"{self.number}{self.unit}"

    @property
    def value(self) -> float | None:
        """The (lower) numeric value, when written in digits."""
        match = re.match(r"\d+(?:\.\d+)?", self.number.replace(",", ""))
        return float(match.group(0)) if match else None


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, left to right (a year such as 2025年 has no unit, so is none)."""
    figures: list[Figure] = []
    for m in FIGURE_PATTERN.finditer(text):
        number, unit = m.group("number"), m.group("unit")
        if m.group("cn"):
            number, unit = m.group("cn")[:-1], m.group("cn")[-1]
            if not m.group("prefix"):
                continue  # a bare "百万" is a word, "破百亿" is a figure
        qualifier = m.group("prefix") or m.group("more") or m.group("suffix") or ""
        figures.append(Figure(m.group(0), m.start(), m.end(), number, unit, qualifier))
    return figures


_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
CHINESE_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def number_tokens(text: str, *, chinese_numerals: bool = False) -> set[str]:
    """The numbers in ``text`` as whole tokens: full-width digits and thousands separators folded.

    "2025" yields "2025", never "20"; "15,000" yields "15000". With ``chinese_numerals``,
    "二十" also yields "20" (the LLM verifier uses this so a spelled-out number cannot hide).
    """
    import unicodedata

    folded = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))
    tokens = {_canonical(t) for t in _DIGITS.findall(folded)}
    if chinese_numerals:
        tokens |= {canonical(chinese_value(run)) for run in CHINESE_NUMERAL_RUN.findall(folded)}
    return tokens


def _canonical(token: str) -> str:
    return token.rstrip("0").rstrip(".") if "." in token else token.lstrip("0") or "0"


# -- figures as an answer may write them -------------------------------------------------------
# The LLM verifier reads every number (any script, see assistant/numerals.py) with the unit right
# after it, Chinese or English, so that "10公里" or "ten km" cannot pass for the plan's 10公顷.

# English unit words → the plan's unit; longest first when matching. Ambiguous words ("times":
# 次 or 倍) and units with no English word (个, 家, 条) are left out: those are checked by number.
UNIT_WORDS_EN: dict[str, str] = {
    "hundred million yuan": "亿元",
    "ten thousand yuan": "万元",
    "ten thousand people": "万人",
    "square metres": "平方米",
    "square meters": "平方米",
    "square metre": "平方米",
    "square meter": "平方米",
    "sq m": "平方米",
    "m²": "平方米",
    "megawatts": "兆瓦",
    "megawatt": "兆瓦",
    "mw": "兆瓦",
    "kilowatts": "千瓦",
    "kilowatt": "千瓦",
    "kw": "千瓦",
    "hectares": "公顷",
    "hectare": "公顷",
    "ha": "公顷",
    "kilometres": "公里",
    "kilometers": "公里",
    "kilometre": "公里",
    "kilometer": "公里",
    "km": "公里",
    "petabytes": "PB",
    "pb": "PB",
    "percent": "%",
    "per cent": "%",
    "households": "户",
    "household": "户",
    "schools": "所",
    "school": "所",
    "lifts": "部",
    "elevators": "部",
    "mu": "亩",
    "yuan": "元",
    "people": "人",
    "persons": "人",
}
# Counting words: "一个", "一家" are as often words as figures, so a lone 一 before one is not read.
CLASSIFIERS = frozenset({"个", "家", "条", "座", "项", "名", "场", "次", "场次", "所", "部", "户", "人"})
_UNIT_AFTER_CN = re.compile(rf"\s*(?:多)?(?P<unit>{_UNIT})")
_UNIT_AFTER_EN = re.compile(
    r"\s*(?P<unit>%|"
    + "|".join(re.escape(w) for w in sorted(UNIT_WORDS_EN, key=len, reverse=True))
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\s*(?:[-~～—–]|to)\s*")


@dataclass(frozen=True)
class StatedFigure:
    """A number as written anywhere in a text (digits, 二十, 壹佰, fifty, Ⅻ) with the unit after it.

    ``unit`` is the plan's unit ("公顷", "%"), or "" when none follows; ``end`` includes the unit.
    """

    text: str
    start: int
    end: int
    token: str  # the value in canonical digits: "10", "0.5"
    unit: str


def stated_figures(text: str) -> list[StatedFigure]:
    """Every number in ``text`` with its unit; a lone 一/one counts only before a unit.

    A unit's own words are not numbers ("3 hundred million yuan" is 3 亿元), and in a range the
    unit after the second number is the first's too ("2-3个", "2 to 3 hectares").
    """
    from assistant.numerals import read_numerals

    numerals = read_numerals(text)
    units = [_unit_at(text, n.end) for n in numerals]
    out: list[StatedFigure] = []
    covered = 0  # end of the last unit read: numerals inside it are its words
    for i, (n, unit) in enumerate(zip(numerals, units, strict=True)):
        if n.start < covered:
            continue
        if unit is None and i + 1 < len(numerals) and units[i + 1] is not None:
            between = _RANGE.fullmatch(text, n.end, numerals[i + 1].start)
            unit = (units[i + 1][0], n.end) if between else None
        if n.lone and unit is None:
            continue
        if n.lone and unit[0] in CLASSIFIERS:
            if n.token == "1":
                continue  # "一个", "一项": the article "a", not a figure
            unit = ("", n.end)  # "五家": checked as a number, its counting word not held to
        name, end = unit if unit is not None else ("", n.end)
        out.append(StatedFigure(text[n.start : end], n.start, end, n.token, name))
        covered = max(covered, end)
    return out


def _unit_at(text: str, pos: int) -> tuple[str, int] | None:
    """The plan unit written at ``text[pos:]`` (after optional spaces), with where it ends."""
    m = _UNIT_AFTER_CN.match(text, pos)
    if m:
        return m.group("unit"), m.end()
    m = _UNIT_AFTER_EN.match(text, pos)
    if m:
        word = m.group("unit").lower()
        return UNIT_WORDS_EN.get(word, "%" if word == "%" else word), m.end()
    return None
