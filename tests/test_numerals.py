"""Reading numbers as people write them, row by row: the text, and the numbers read from it."""

from __future__ import annotations

import pytest

from assistant.figures import stated_figures
from assistant.numerals import read_numerals

# (text, the numbers read, in order, as canonical tokens)
NUMERALS = [
    ("新增绿地10公顷", ["10"]),
    ("１０公顷", ["10"]),  # full-width digits
    ("1,000户", ["1000"]),
    ("1，000户", ["1000"]),
    ("9.5%", ["9.5"]),
    ("2025年", ["2025"]),  # never "20"
    ("二十兆瓦", ["20"]),
    ("二十五", ["25"]),
    ("一百零五", ["105"]),
    ("三万五千", ["35000"]),
    ("一亿二千万", ["120000000"]),
    ("百亿", ["10000000000"]),
    ("二〇二五年", ["2025"]),
    ("三点五", ["3.5"]),
    ("十四五规划", ["14", "5"]),  # the 14th five-year plan
    ("三四个", ["3", "4"]),
    ("两", ["2"]),
    ("壹佰公顷", ["100"]),  # formal / financial numerals
    ("貳拾", ["20"]),
    ("贰拾", ["20"]),
    ("叁參", ["3", "3"]),  # two digits side by side: "3 or 3", as 三四个 is 3 or 4
    ("肆伍陆陸柒捌玖", ["4566789"]),
    ("壹仟", ["1000"]),
    ("伍萬", ["50000"]),
    ("廿", ["20"]),
    ("廿五", ["25"]),
    ("卅", ["30"]),
    ("三亿元", ["3"]),  # the magnitude belongs to the unit 亿元, as in "3亿元"
    ("五万人", ["5"]),
    ("one hundred hectares", ["100"]),
    ("fifty megawatts", ["50"]),
    ("Twenty-five", ["25"]),
    ("one hundred and fifty", ["150"]),
    ("a dozen", ["12"]),
    ("two dozen", ["24"]),
    ("twice", ["2"]),
    ("half", ["0.5"]),
    ("a hundred million", ["100000000"]),
    ("ten billion", ["10000000000"]),
    ("Ⅻ", ["12"]),
    ("ⅳ", ["4"]),
    ("XII", ["12"]),
    ("Phase II", ["2"]),
    ("XIV", ["14"]),
    # words that are not numbers
    ("I think so", []),
    ("CD and MD", []),
    ("X marks the spot", []),
    ("GDP, QFLP, MW", []),
    ("a new park", []),
    ("万家灯火", []),
    ("someone, anyone", []),
]


@pytest.mark.parametrize(("text", "tokens"), NUMERALS, ids=[r[0] for r in NUMERALS])
def test_numbers_are_read_however_written(text: str, tokens: list[str]) -> None:
    assert [n.token for n in read_numerals(text)] == tokens


# (text, (token, unit) of each figure stated): units in Chinese or English, ranges, lone 一/one
FIGURES = [
    ("新增绿地10公顷", [("10", "公顷")]),
    ("新增绿地10公里", [("10", "公里")]),
    ("one hundred hectares", [("100", "公顷")]),
    ("fifty megawatts", [("50", "兆瓦")]),
    ("20 MW or more", [("20", "兆瓦")]),
    ("10 km of roads", [("10", "公里")]),
    ("5 percent", [("5", "%")]),
    ("3 hundred million yuan", [("3", "亿元")]),  # the unit's own words are not numbers
    ("三亿元", [("3", "亿元")]),
    ("壹佰公顷", [("100", "公顷")]),
    ("2-3个", [("2", "个"), ("3", "个")]),
    ("2 to 3 hectares", [("2", "公顷"), ("3", "公顷")]),
    ("10多个", [("10", "个")]),
    ("one hectare", [("1", "公顷")]),  # a lone "one" counts before a unit
    ("one of the tasks", []),  # ... and is a word otherwise
    ("进一步", []),
    ("五家", [("5", "")]),  # a lone numeral before a counting word: checked as a number only
    ("2025年", [("2025", "")]),
    ("这是一个重点", []),  # 一个 is "a"
]


@pytest.mark.parametrize(("text", "figures"), FIGURES, ids=[r[0] for r in FIGURES])
def test_each_number_is_read_with_the_unit_after_it(text: str, figures: list[tuple[str, str]]) -> None:
    assert [(f.token, f.unit) for f in stated_figures(text)] == figures
