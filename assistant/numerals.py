"""Reading numbers the way people write them: Arabic, Chinese, English words, Roman numerals.

The one reader the LLM verifier relies on, so that no spelling of a number ("壹佰", "廿",
"one hundred", "a dozen", "Ⅻ") can slip a figure past it. Pure functions, no model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# -- Arabic ----------------------------------------------------------------------------------------
# Full-width digits and separators too; "1,000" and "1，000" are one number, "2025" never "20".
_ARABIC = re.compile(
    r"[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+(?![0-9０-９])(?:[.．][0-9０-９]+)?|[0-9０-９]+(?:[.．][0-9０-９]+)?"
)

# -- Chinese ---------------------------------------------------------------------------------------
# Formal (financial) numerals and the contractions 廿 卅 卌 are written as the ordinary ones.
_FORMAL = {
    "壹": "一",
    "贰": "二",
    "貳": "二",
    "貮": "二",
    "叁": "三",
    "參": "三",
    "叄": "三",
    "肆": "四",
    "伍": "五",
    "陆": "六",
    "陸": "六",
    "柒": "七",
    "捌": "八",
    "玖": "九",
    "拾": "十",
    "佰": "百",
    "仟": "千",
    "萬": "万",
    "億": "亿",
    "廿": "二十",
    "卅": "三十",
    "卌": "四十",
}
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_SCALES, "万", "亿", *_FORMAL])
_ORDINARY = "零〇一二两三四五六七八九十百千万亿"  # also used in words; formal ones and 廿 卅 are not
_CN_DIGIT_CHARS = "零〇一二三四五六七八九壹贰貳貮叁參叄肆伍陆陸柒捌玖"
_CHINESE = re.compile(rf"[{_CN_CHARS}]+(?:点[{_CN_DIGIT_CHARS}]+)?")
# "三亿元", "五万人": the plan's units 亿元/万元/万人 take the magnitude, as in "3亿元".
_MAGNITUDE_UNIT = re.compile(r"[万萬亿億](?=[元人])")

# -- English ---------------------------------------------------------------------------------------
_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ALONE = {"twice": Decimal(2), "half": Decimal("0.5"), "dozen": Decimal(12)}  # words that are a number
_WORD = re.compile(r"[A-Za-z]+")

# -- Roman -----------------------------------------------------------------------------------------
_ROMAN_CHARS = "\u2160-\u2188"  # Ⅰ … Ⅻ, ⅰ … ⅻ, Ⅼ Ⅽ Ⅾ Ⅿ
_ROMAN_UNICODE = re.compile(rf"[{_ROMAN_CHARS}]+")
# Letters alone are words ("I", "X", "CD", "MD"); only runs of I, V, X of two or more letters
# (II … XXXIX) are read, the way lists, phases and clock faces write them.
_ROMAN_ASCII = re.compile(r"(?<![A-Za-z0-9])(?:XXX|XX|X)?(?:IX|IV|VIII|VII|VI|V|III|II|I)?(?![A-Za-z0-9])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


@dataclass(frozen=True)
class Numeral:
    """A number written in a text: its span, how it was written and its value."""

    start: int
    end: int
    text: str
    value: Decimal
    script: str  # "arabic" | "chinese" | "english" | "roman"

    @property
    def token(self) -> str:
        """The value in canonical digits: "100", "0.5", "12.5" (never "1E+2")."""
        return canonical(self.value)

    @property
    def lone(self) -> bool:
        """A single numeral character or the word "one"/"a": often part of a word ("进一步",
        "one of"), so it counts as a number only before a unit."""
        if self.script == "chinese":
            return len(self.text) == 1 and self.text in _ORDINARY
        return self.script == "english" and self.text.lower() in {"one", "a", "an"}


def canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_numerals(text: str) -> list[Numeral]:
    """Every number written in ``text``, left to right, spans not overlapping."""
    found: list[Numeral] = []
    for reader in (_arabic, _chinese, _english, _roman):
        found.extend(reader(text))
    found.sort(key=lambda n: (n.start, -n.end))
    out: list[Numeral] = []
    for n in found:
        if not out or n.start >= out[-1].end:
            out.append(n)
    return out


def chinese_value(run: str) -> Decimal:
    """Chinese numerals to a number: "二十" → 20, "壹佰" → 100, "廿五" → 25, "三点五" → 3.5."""
    whole, _, fraction = run.partition("点")
    value = Decimal(_cn_integer(_plain(whole)))
    if fraction:
        digits = "".join(str(_CN_DIGITS[ch]) for ch in _plain(fraction) if ch in _CN_DIGITS)
        value += Decimal(f"0.{digits}") if digits else 0
    return value


def english_value(words: list[str]) -> Decimal | None:
    """Number words to a number ("one hundred and fifty" → 150, "a dozen" → 12), or ``None``."""
    words = [w.lower() for w in words if w.lower() != "and"]
    if len(words) == 1 and words[0] in _ALONE:
        return _ALONE[words[0]]
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("a", "an"):
            current = current or 1
        elif word in _ONES:
            current += _ONES[word]
            seen = True
        elif word == "dozen":
            current = (current or 1) * 12
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current, seen = 0, True
        else:
            return None
    return Decimal(total + current) if seen else None


def roman_value(letters: str) -> int:
    """XII → 12; letters from Unicode Roman numerals (Ⅻ) are first written out (NFKC)."""
    letters = unicodedata.normalize("NFKC", letters).upper()
    total = 0
    for a, b in zip(letters, [*letters[1:], ""], strict=True):
        value = _ROMAN_VALUES[a]
        total += -value if b and _ROMAN_VALUES[b] > value else value
    return total


# -- readers ---------------------------------------------------------------------------------------


def _arabic(text: str) -> list[Numeral]:
    out = []
    for m in _ARABIC.finditer(text):
        ascii_ = unicodedata.normalize("NFKC", m.group(0)).replace(",", "")
        try:
            out.append(Numeral(m.start(), m.end(), m.group(0), Decimal(ascii_), "arabic"))
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            continue
    return out


def _chinese(text: str) -> list[Numeral]:
    out = []
    for m in _CHINESE.finditer(text):
        start, end = m.start(), m.end()
        magnitude = _MAGNITUDE_UNIT.match(text, end - 1)
        if magnitude and end - 1 > start and "点" not in m.group(0):
            end -= 1  # the 万/亿 belongs to the unit (亿元), as in "3亿元"
        for a, b in _numbers_in_run(text, start, end):
            run = text[a:b]
            if not any(ch in _CN_DIGIT_CHARS or ch in "两十拾廿卅卌百佰千仟" for ch in run):
                continue  # "万", "亿" alone are words ("万家灯火"), not numbers
            out.append(Numeral(a, b, run, chinese_value(run), "chinese"))
    return out


def _numbers_in_run(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run is one number, except where a digit follows a digit after a scale: "十四五" is 十四
    and 五 (the 14th five-year plan), "三四个" is 三 and 四; "二〇二五" stays 2025."""
    run = text[start:end]
    digits = all(_plain(ch) in _CN_DIGITS for ch in run)
    if "点" in run or (digits and (len(run) >= 3 or "〇" in run or "零" in run)):
        return [(start, end)]
    cuts = [start]
    for i in range(start + 1, end):
        if _plain(text[i]) in _CN_DIGITS and _plain(text[i - 1]) in _CN_DIGITS and text[i - 1] not in "零〇":
            cuts.append(i)
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True)]


def _english(text: str) -> list[Numeral]:
    words = list(_WORD.finditer(text))
    lower = [w.group(0).lower() for w in words]
    out = []
    i = 0
    while i < len(words):
        if lower[i] == "and" or not _is_number_word(lower, i, i):
            i += 1
            continue
        # Extend over number words joined by spaces or hyphens ("one hundred and fifty").
        j = i + 1
        while (
            j < len(words)
            and _joined(text, words[j - 1].end(), words[j].start())
            and _is_number_word(lower, j, i)
        ):
            j += 1
        for end in range(j, i, -1):  # the longest run that reads as one number
            value = english_value(lower[i:end])
            if value is not None and lower[end - 1] not in ("and", "a", "an"):
                start, stop = words[i].start(), words[end - 1].end()
                out.append(Numeral(start, stop, text[start:stop], value, "english"))
                i = end
                break
        else:
            i += 1
    return out


def _is_number_word(words: list[str], j: int, first: int) -> bool:
    word = words[j]
    if word in _ONES or word in _SCALES or word in _ALONE:
        return True
    nxt = words[j + 1] if j + 1 < len(words) else ""
    if word in ("a", "an"):  # "a dozen", "a hundred", "one and a half" is not read
        return nxt in _SCALES or nxt == "dozen"
    return word == "and" and j > first and (nxt in _ONES or nxt in ("a",))


def _joined(text: str, end: int, start: int) -> bool:
    return bool(re.fullmatch(r"[ \t-]{1,3}", text[end:start]))


def _roman(text: str) -> list[Numeral]:
    out = [
        Numeral(m.start(), m.end(), m.group(0), Decimal(roman_value(m.group(0))), "roman")
        for m in _ROMAN_UNICODE.finditer(text)
    ]
    for m in _ROMAN_ASCII.finditer(text):
        if len(m.group(0)) >= 2:
            out.append(Numeral(m.start(), m.end(), m.group(0), Decimal(roman_value(m.group(0))), "roman"))
    return out


def _plain(run: str) -> str:
    return "".join(_FORMAL.get(ch, ch) for ch in run)


def _cn_integer(run: str) -> int:
    """ "二十" → 20, "一百零五" → 105, "三万五千" → 35000, "百亿" → 10**10, "二〇二五" → 2025."""
    if run and all(ch in _CN_DIGITS for ch in run):  # digit by digit: 二〇二五
        return int("".join(str(_CN_DIGITS[ch]) for ch in run))
    yi, wan, section, digit = 0, 0, 0, 0  # the 亿 part, the 万 part, below 万, the last digit
    for ch in run:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SCALES:
            section += (digit or 1) * _CN_SCALES[ch]
            digit = 0
        elif ch == "万":
            wan += (section + digit or 1) * 10_000
            section, digit = 0, 0
        elif ch == "亿":
            yi += (wan + section + digit or 1) * 100_000_000
            wan, section, digit = 0, 0, 0
    return yi + wan + section + digit
