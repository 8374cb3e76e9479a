"""What a question is scoped to: the documents whose place and year it names, or why none can answer.

Places and years come from each document's profile (``assistant.profile``: the manifest, else the
text), never from the code: "钟楼区, 2025" is a fact of one document. An unscoped question goes to
the default document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.intent import ASKS_RANK
from assistant.corpus import Corpus
from assistant.figures import THIS_YEAR, YEAR
from assistant.profile import PROVINCES, DocumentProfile

_PERIOD = re.compile(r"十[一二三四五]五")  # a five-year plan period, "十四五"
_GONE = "\x00"  # where a place was taken out of a question
_YEAR_MENTION = re.compile(r"(?<!\d)(?:in )?(?:19|20)\d\d(?:年|\b)(?!\d)")
RELATIVE_YEAR = re.compile(  # "那去年呢?": a year named by its distance from this one
    r"去年|前年|明年|后年|上一年|前一年|上年度|往年|year before|previous year|prior year|last year|next year|the year after",
    re.I,
)
# Places people compare with (a general gazetteer, not one document's neighbours): a mention is
# out of scope unless a document speaks for it or the default document itself names it.
GAZETTEER_ZH = [
    "天宁",
    "新北",
    "武进",
    "金坛",
    "溧阳",
    "常州",
    "江阴",
    "宜兴",
    "昆山",
    "常熟",
    "张家港",
    "太仓",
    "苏州",
    "无锡",
    "南京",
    "南通",
    "扬州",
    "镇江",
    "泰州",
    "徐州",
    "连云港",
    "淮安",
    "盐城",
    "宿迁",
    "上海",
    "北京",
    "天津",
    "重庆",
    "杭州",
    "宁波",
    "深圳",
    "广州",
    "合肥",
    "济南",
    "青岛",
    "成都",
    "武汉",
    "西安",
    "郑州",
    "长沙",
    "福州",
    "厦门",
    "江苏",
    "浙江",
    "山东",
    "广东",
    "安徽",
    "江西",
    "海南",
    "河北",
    "河南",
    "湖北",
    "湖南",
    "福建",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "甘肃",
    "青海",
    "广西",
    "内蒙古",
    "宁夏",
    "新疆",
    "西藏",
    "钟楼",
]
_PLACES_ZH = sorted({*GAZETTEER_ZH, *PROVINCES}, key=len, reverse=True)
_PLACE_ZH = re.compile(rf"(?:{'|'.join(_PLACES_ZH)})(?:省|市|区|县)?")
# "Beijing's target": a province or municipality named in English is a place too
_PROVINCE_EN = re.compile(rf"\b({'|'.join(PROVINCES.values())})\b", re.I)
_PROVINCE_OF = {english: chinese for chinese, english in PROVINCES.items()}
_PLACE_EN = re.compile(
    r"\b([A-Z][a-z]+)(?:'s)? (?i:district|county|city|province|town)\b|\b(?i:district|city|province) of ([A-Z][a-z]+)"
)
# Capitalised words before "city"/"district" that name no place: "What city-wide initiative…?"
_NOT_PLACES_EN = frozenset({
    "what", "which", "whose", "this", "that", "these", "those", "the", "a", "an", "our", "your",
    "their", "its", "each", "every", "any", "some", "same", "other", "another", "whole", "entire",
    "new", "old", "big", "major", "inner", "outer", "central", "local",
})  # fmt: skip
_SUFFIX = re.compile(r"(?:省|市|区|县|人民政府)$")


_SHIFTS = {"前年": -2, "后年": 2, "明年": 1, "next year": 1, "the year after": 1}


def _shift(phrase: str) -> int:
    """How many years a relative mention is from the document's own: 去年 → -1, 明年 → +1."""
    return _SHIFTS.get(phrase.lower(), -1)


def aliases(profile: DocumentProfile) -> tuple[str, ...]:
    """The forms a question may name a document's place by: 钟楼区, 钟楼, zhonglou."""
    short = _SUFFIX.sub("", profile.place)
    return tuple(dict.fromkeys(n for n in (profile.place, short, profile.place_en.lower()) if n))


def label(profile: DocumentProfile, lang: str) -> str:
    """The place a document speaks for (no digits: every number in an answer comes from a quote)."""
    return (profile.place_en or profile.place) if lang == "en" else profile.place


def _place_key(name: str) -> str:
    return _SUFFIX.sub("", name).lower()


@dataclass(frozen=True)
class Profiles:
    """Every document's profile, and which one answers an unscoped question."""

    documents: tuple[DocumentProfile, ...]
    default: str
    texts: tuple[tuple[str, str], ...] = ()  # (document ID, text): a place a document names is in it

    @classmethod
    def of(cls, corpus: Corpus, default: str | None = None) -> Profiles:
        profiles = [doc.profile for doc in corpus.documents]
        chosen = default if default and any(p.id == default for p in profiles) else profiles[0].id
        return cls(tuple(profiles), chosen, tuple((d.id, d.text) for d in corpus.documents))

    def get(self, doc_id: str) -> DocumentProfile:
        return next(p for p in self.documents if p.id == doc_id)

    @property
    def home_text(self) -> str:
        """The default document's text: a place it names itself ("常州卫校") is in scope."""
        return dict(self.texts).get(self.default, "")

    @property
    def home(self) -> DocumentProfile:
        return self.get(self.default)

    def holdings(self, lang: str) -> str:
        """What the library holds, for a refusal: "钟楼区、江苏省"."""
        labels = dict.fromkeys(label(p, lang) for p in self.documents if label(p, lang))
        return ("; " if lang == "en" else "、").join(labels)

    def reviews(self, doc_id: str, years: set[int]) -> bool:
        """Does a document speak of these earlier years ("2025年…" in a 2026 report's review)?"""
        year = self.get(doc_id).year
        text = dict(self.texts).get(doc_id, "")
        return year is not None and all(y < year and f"{y}年" in text for y in years)

    def encloses(self, place: str) -> bool:
        """Does a document lie in this place ("江苏" for 钟楼区, by its manifest's ``within``)?"""
        key = _place_key(place)
        return any(key == _place_key(e) for p in self.documents for e in p.enclosing)

    def places_in(self, text: str) -> list[str]:
        """Place names a question mentions (Chinese gazetteer, English "X district", profile names)."""
        found = [m.group(0) for m in _PLACE_ZH.finditer(text)]
        found += [p.place for p in self.documents if p.place and _SUFFIX.sub("", p.place) in text]  # 河滨区
        found += [
            name
            for m in _PLACE_EN.finditer(text)
            if (name := m.group(1) or m.group(2)).lower() not in _NOT_PLACES_EN  # "What city…"
        ]
        found += [_PROVINCE_OF[m.group(1).lower()] for m in _PROVINCE_EN.finditer(text)]
        lowered = text.lower()
        found += [p.place_en for p in self.documents if p.place_en and p.place_en.lower() in lowered]
        return list(dict.fromkeys(found))

    def scope_words(self, text: str) -> tuple[list[str], list[str]]:
        """The places and the times a question names ("安徽省", "2025年", "去年", "十四五")."""
        times = [m.group(0).strip() for m in _YEAR_MENTION.finditer(text)] + THIS_YEAR.findall(text)
        times += [m.group(0) for m in RELATIVE_YEAR.finditer(text)] + _PERIOD.findall(text)
        return self.places_in(text), times

    def without_scope(self, text: str) -> str:
        """The question without the places and years that chose its documents ("安徽2026年全年计划
        开工多少个重点项目?" → "全年计划开工多少个重点项目?"): they say where to look, and left in,
        they find the report's title. A place that names a thing stays ("上海港")."""
        for place in sorted(self.places_in(text), key=len, reverse=True):
            name = re.escape(place)
            pattern = rf"{name}(?:省|市|区|县)?(?:'s)?(?:(?![\u4e00-\u9fff])|(?=[和与及、今去明全本在对呢吗]))|{name}(?:省|市|区|县|的)"
            text = re.sub(pattern, _GONE, text, flags=re.I)
        # "钟楼区和江苏省…", "Shanghai versus Guangdong": the word that joined two places goes with them
        text = re.sub(rf"{_GONE}\s*(?:和|与|及|、|and|versus|vs\.?)\s*{_GONE}", " ", text, flags=re.I)
        text = _YEAR_MENTION.sub(" ", text.replace(_GONE, " "))
        return re.sub(r"\s+", " ", text).strip()

    def scope(self, text: str) -> tuple[str | None, tuple[str, ...]]:
        """(why the library cannot answer, or None; the documents the question is about)."""
        named: set[str] = set()  # "钟楼区和江苏省…分别": each place named adds its documents
        unknown: list[str] = []
        for place in self.places_in(text):
            key = _place_key(place)
            matching = {p.id for p in self.documents if key and any(_place_key(a) == key for a in aliases(p))}
            if matching:
                named |= matching
            elif place not in self.home_text and not (
                ASKS_RANK.search(text) and self.encloses(place)
            ):  # a place the default document names itself ("常州卫校") is in scope, and so is one a
                unknown.append(place)  # document lies in, for its rank there ("rank in Jiangsu?")
        texts = dict(self.texts)
        for place in unknown:  # "浙江…宁波舟山港": a place a named document speaks of is within it
            if not any(place in texts.get(doc, "") for doc in named):
                return f"place:{place}", ()
        named_place = bool(named)
        docs = named or {p.id for p in self.documents}
        years = {int(y) for y in YEAR.findall(text)}
        if years:
            with_year = {p.id for p in self.documents if p.year in years}
            if named_place:  # "安徽省2025年GDP": a 2026 report reviews the years it names
                with_year |= {doc for doc in named if self.reviews(doc, years)}
            if not with_year & docs:
                asked = "、".join(f"{y}年" for y in sorted(years))
                return f"year:{asked}", ()
            docs &= with_year
        elif (relative := RELATIVE_YEAR.search(text)) and not THIS_YEAR.search(text):
            # "孩子明年上学,今年有新学校吗?": asked about this year, the other year is only context
            shift = _shift(relative.group(0))  # "安徽去年的粮食产量": the year before the report's own
            reviewed = {
                doc
                for doc in named
                if shift < 0 and (year := self.get(doc).year) and self.reviews(doc, {year + shift})
            }
            if not reviewed:
                return "year:其他年份", ()
            docs = reviewed
        if not named_place and not years:
            return None, (self.default,)
        if not named_place and self.default in docs:
            return None, (self.default,)  # "2025年…": the default document, when it is for that year
        return None, tuple(p.id for p in self.documents if p.id in docs)
