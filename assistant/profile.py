"""A document's profile: what it is (title, issuer, place, year, language) and its short ID.

Given fields win; the rest is read from the text's opening: the title line, the date it was
delivered, who speaks (我代表X人民政府, X省长), the place most named. Newspaper lines (来源/时间)
and photo captions are skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from assistant.text import is_english

# Provincial-level names, for finding a place in the text and for short IDs (jiangsu2026).
PROVINCES = {
    "北京": "beijing", "天津": "tianjin", "上海": "shanghai", "重庆": "chongqing", "河北": "hebei",
    "山西": "shanxi", "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang", "江苏": "jiangsu",
    "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi", "山东": "shandong",
    "河南": "henan", "湖北": "hubei", "湖南": "hunan", "广东": "guangdong", "海南": "hainan",
    "四川": "sichuan", "贵州": "guizhou", "云南": "yunnan", "陕西": "shaanxi", "甘肃": "gansu",
    "青海": "qinghai", "台湾": "taiwan", "内蒙古": "neimenggu", "广西": "guangxi", "西藏": "xizang",
    "宁夏": "ningxia", "新疆": "xinjiang", "香港": "hongkong", "澳门": "macau",
}  # fmt: skip
_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
_PROVINCE_NAME = re.compile(
    "("
    + "|".join(sorted(PROVINCES, key=len, reverse=True))
    + ")(省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)"
)
_TITLE_WORDS = re.compile(
    r"政府工作报告|工作报告|工作安排|工作要点|工作计划|规划|纲要|实施方案|计划|Report|Plan", re.I
)
_NOISE = re.compile(r"^(来源|时间|作者|编辑|责任编辑|发布时间|日期)[:：]|记者|摄$|摄影|^图[:：]|^[（(]?图")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_DELIVERED = re.compile(r"((?:19|20)\d\d)年\d{1,2}月\d{1,2}日")
_PUBLISHED = re.compile(r"^(?:时间|日期|发布时间)[:：]\s*((?:19|20)\d\d)[-./年]")
_PLACE = r"[\u4e00-\u9fff]{2,8}?(?:自治区|自治州|省|市|区|县|旗|州)"
_TITLE_PLACE = re.compile(rf"^(?:(?:19|20)\d\d\s*年(?:度)?)?({_PLACE})")
_CONGRESS_PLACE = re.compile(rf"在({_PLACE})第[一二三四五六七八九十百]+届")
_SPEAKER_PLACE = re.compile(rf"^({_PLACE})(?:省长|市长|区长|县长|主席|州长)")
_ISSUER = re.compile(rf"代表({_PLACE})人民政府")
_OPENING_PARAGRAPHS = 12
_TITLE_MAX_CHARS = 40
_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_GENERIC_WORDS = {"the", "doc", "document", "report", "plan", "work", "gov", "government", "file", "draft", "final", "new", "copy"}  # fmt: skip


@dataclass(frozen=True)
class DocumentProfile:
    """What a document is: shown by ``assistant docs``, kept in corpus/manifest.json, editable."""

    id: str
    title: str
    issuer: str = ""
    place: str = ""
    year: int | None = None
    language: str = "zh"
    file: str = ""
    source: str = ""
    place_en: str = ""  # how an English question names the place ("Zhonglou", "Jiangsu")
    within: str = ""  # the places it lies in, "常州市、江苏省": "在全省排第几?" is still about it

    @property
    def enclosing(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in re.split(r"[、,，;；]", self.within) if p.strip())

    def to_manifest(self) -> dict[str, object]:
        """The manifest entry, file first as the manifest has always been written."""
        data = asdict(self)
        return {"file": data.pop("file"), **data}

    @classmethod
    def from_manifest(cls, entry: Mapping[str, object]) -> DocumentProfile:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in entry.items() if k in known and v is not None}
        if "year" in values:
            values["year"] = int(str(values["year"]))
        return cls(**{k: (v if k == "year" else str(v)) for k, v in values.items()})

    @property
    def label(self) -> str:
        """How answers and citations name the document: 钟楼区2025年工作安排 (zl2025)."""
        return f"{self.title} ({self.id})"


def is_valid_id(doc_id: str) -> bool:
    """IDs become paragraph IDs (``<id>/p01``): lower-case ASCII, digits and hyphens."""
    return bool(_ID.match(doc_id))


def _opening(paragraphs: Sequence[str]) -> list[str]:
    return [p for p in paragraphs[:_OPENING_PARAGRAPHS] if not _NOISE.search(p)]


def _title(opening: list[str]) -> str:
    short = [p for p in opening if len(p) <= _TITLE_MAX_CHARS]
    for line in short[:4]:
        if _TITLE_WORDS.search(line) and not line.startswith(("—", "-")):
            return line.strip("《》 ")
    return short[0] if short else ""


def _year(title: str, paragraphs: Sequence[str]) -> int | None:
    """The year the plan is for: the title's year, else the year it was delivered or published
    (a report given in January 2026 plans 2026; the years its review part names are earlier)."""
    if match := _YEAR.search(title):
        return int(match.group(1))
    head = paragraphs[:_OPENING_PARAGRAPHS]
    for pattern in (_DELIVERED, _PUBLISHED):
        for line in head:
            if match := pattern.search(line):
                return int(match.group(1))
    years = Counter(int(y) for p in head for y in _YEAR.findall(p))
    return years.most_common(1)[0][0] if years else None


def _place_in(text: str) -> str:
    if match := _PROVINCE_NAME.search(text):
        return match.group(0)
    return ""


def _place(title: str, issuer: str, paragraphs: Sequence[str]) -> str:
    """From the title, the issuer, the congress or the speaker named in the opening, else the
    provincial-level place the opening names most."""
    head = paragraphs[:_OPENING_PARAGRAPHS]
    if (match := _TITLE_PLACE.match(title)) and not match.group(1).startswith(("政府", "全", "我")):
        return match.group(1)
    if issuer.endswith("人民政府") and len(issuer) > len("省人民政府"):
        return issuer.removesuffix("人民政府")
    for pattern in (_CONGRESS_PLACE, _ISSUER, _SPEAKER_PLACE):
        for line in head:
            if match := pattern.search(line):
                return match.group(1)
    counts = Counter(m.group(0) for p in head for m in _PROVINCE_NAME.finditer(p))
    return counts.most_common(1)[0][0] if counts else ""


def _issuer(place: str, paragraphs: Sequence[str]) -> str:
    head = paragraphs[:_OPENING_PARAGRAPHS]
    for line in head:
        if match := _ISSUER.search(line):
            return f"{match.group(1)}人民政府"
    if place and any(re.search(r"(代表|^)[省市区县]人民政府", p) or "政府工作报告" in p for p in head):
        return f"{place}人民政府"
    return ""


def _short_id(place: str, year: int | None, filename: str) -> str:
    suffix = str(year) if year else ""
    words = [w for w in re.findall(r"[a-z]+", Path(filename).stem.lower()) if w not in _GENERIC_WORDS]
    if words and len(words[0]) >= 2:
        return f"{words[0][:24]}{suffix}"
    name = re.sub(r"(省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)$", "", place)
    if name in PROVINCES:
        return f"{PROVINCES[name]}{suffix}"
    return f"doc{suffix}" if suffix else "doc"


def infer_profile(
    paragraphs: Sequence[str], filename: str, overrides: Mapping[str, object] | None = None
) -> DocumentProfile:
    """A profile for a document: ``overrides`` (manifest entry or command-line flags) first,
    the rest inferred from its paragraphs and file name."""
    given = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    opening = _opening(paragraphs)
    title_line = _title(opening) or Path(filename).stem
    title = str(given.get("title") or title_line)
    year = int(str(given["year"])) if "year" in given else _year(title_line, paragraphs)
    issuer = str(given.get("issuer") or "")
    place = str(given.get("place") or _place(title_line, issuer, paragraphs))
    if not issuer:
        issuer = _issuer(place, paragraphs)
    if "title" not in given and place and place not in title and not _YEAR.search(title):
        title = f"{year}年{place}{title}" if year else f"{place}{title}"  # 政府工作报告 alone says too little
    sample = "".join(paragraphs[:50])
    language = str(given.get("language") or ("en" if is_english(sample) else "zh"))
    return DocumentProfile(
        id=str(given.get("id") or _short_id(place, year, filename)),
        title=title,
        issuer=issuer,
        place=place,
        year=year,
        language=language,
        file=str(given.get("file") or ""),
        source=str(given.get("source") or ""),
        place_en=str(given.get("place_en") or _place_en(place)),
        within=str(given.get("within") or ""),
    )


def _place_en(place: str) -> str:
    """ "江苏省" → "Jiangsu": a provincial-level place's English name; others are set in the manifest."""
    name = re.sub(r"(省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)$", "", place)
    return PROVINCES[name].capitalize() if name in PROVINCES else ""
