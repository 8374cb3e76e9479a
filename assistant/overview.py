"""一图读懂: the plan's shape — its parts and sections with their targets, and a chart by kind.

The outline comes from the corpus's section paths, the counts from the targets table, and the
kind of a figure from its unit alone; the chart is drawn with matplotlib to a PNG file.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol

from assistant.corpus import Corpus

# kind: (Chinese, English, the units that make a figure of this kind)
KINDS: dict[str, tuple[str, str, frozenset[str]]] = {
    "rate": ("增速/比重", "growth rates and shares (%)", frozenset({"%", "位数", "倍"})),
    "count": (
        "数量",
        "counts",
        frozenset({"个", "家", "所", "部", "条", "座", "户", "项", "场", "次", "场次", "人", "万人", "名"}),
    ),
    "area": ("面积/里程", "areas and lengths", frozenset({"公顷", "亩", "平方米", "公里"})),
    "capacity": ("容量", "capacities", frozenset({"兆瓦", "千瓦", "PB"})),
    "money": ("金额", "money", frozenset({"亿元", "万元", "元", "亿"})),
}
OTHER = "other"
_PART_NUMERAL = re.compile(r"^[一二三四五六七八九十]+、(?=[(（])")
KIND_COLORS = {  # colour-blind-safe (Okabe–Ito)
    "rate": "#0072B2",
    "count": "#E69F00",
    "area": "#009E73",
    "capacity": "#CC79A7",
    "money": "#D55E00",
    OTHER: "#999999",
}


class FigureRow(Protocol):
    @property
    def unit(self) -> str: ...
    @property
    def paragraph_id(self) -> str: ...


def kind_of(unit: str) -> str:
    """A figure's kind from its unit: "%" → "rate", "公顷" → "area", "兆瓦" → "capacity" …"""
    return next((kind for kind, (_, _, units) in KINDS.items() if unit in units), OTHER)


def kind_label(kind: str, lang: str = "zh") -> str:
    zh, en, _ = KINDS.get(kind, ("其他", "other", frozenset()))
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class Section:
    """A section of the plan: the paragraphs under it and its figures counted by kind."""

    part: str  # "二、坚持生产、生活、生态三生融合" (the level-1 heading's label) or the title
    name: str  # the paragraph's section, e.g. "二、(三)功能品质融合蝶变"
    paragraph_ids: tuple[str, ...]
    kinds: tuple[tuple[str, int], ...]  # (kind, count), in KINDS order, non-zero only

    @property
    def targets(self) -> int:
        return sum(n for _, n in self.kinds)

    @property
    def short(self) -> str:
        """The section's own title without its part's numeral: "(三)功能品质融合蝶变"."""
        match = _PART_NUMERAL.match(self.name)
        return self.name[match.end() :] if match else self.name


@dataclass(frozen=True)
class Part:
    name: str
    sections: tuple[Section, ...]

    @property
    def targets(self) -> int:
        return sum(s.targets for s in self.sections)


def outline(corpus: Corpus, rows: Iterable[FigureRow]) -> list[Part]:
    """Parts in document order, each with its sections in document order and their target counts."""
    per_paragraph: dict[str, list[str]] = {}
    for r in rows:
        per_paragraph.setdefault(r.paragraph_id, []).append(kind_of(r.unit))
    sections: dict[tuple[str, str], list[str]] = {}
    for p in corpus.paragraphs:
        part = p.section_path[0] if p.section_path else p.section
        sections.setdefault((part, p.section), []).append(p.id)
    parts: dict[str, list[Section]] = {}
    order = [*KINDS, OTHER]
    for (part, name), ids in sections.items():
        found = [k for pid in ids for k in per_paragraph.get(pid, [])]
        kinds = tuple((k, found.count(k)) for k in order if found.count(k))
        parts.setdefault(part, []).append(Section(part, name, tuple(ids), kinds))
    return [Part(name, tuple(secs)) for name, secs in parts.items()]


def sections_of(parts: Sequence[Part]) -> list[Section]:
    return [s for part in parts for s in part.sections]


def outline_html(parts: Sequence[Part], lang: str = "zh") -> str:
    """The outline as nested lists: each part and section with its number of targets."""
    unit = "项指标" if lang == "zh" else " targets"
    out = [
        '<nav class="zl-outline" aria-label="' + ("计划结构" if lang == "zh" else "Plan outline") + '"><ul>'
    ]
    for part in parts:
        out.append(
            f"<li><strong>{escape(part.name)}</strong> <span class='zl-count'>{part.targets}{unit}</span>"
        )
        inner = [s for s in part.sections if s.name != part.name]
        if inner:
            out.append("<ul>")
            for s in inner:
                kinds = "、".join(f"{kind_label(k, lang)} {n}" for k, n in s.kinds)
                out.append(
                    f"<li>{escape(s.short)} <span class='zl-count'>{s.targets}{unit}</span>"
                    + (f" <span class='zl-kinds'>({escape(kinds)})</span>" if kinds else "")
                    + "</li>"
                )
            out.append("</ul>")
        out.append("</li>")
    out.append("</ul></nav>")
    return "".join(out)


def section_choice(section: Section, lang: str = "zh") -> str:
    """A section as the section picker lists it: its name and its target count."""
    unit = "项" if lang == "zh" else " targets"
    return f"{section.name} · {section.targets}{unit}"


def _cjk_font() -> str | None:
    """A font that has Chinese glyphs (Debian's fonts-noto-cjk), or None to fall back.

    Matplotlib caches its font list; a font installed after that cache was made is added here.
    """
    from matplotlib import font_manager

    def cjk() -> str | None:
        return next(
            (f.name for f in font_manager.fontManager.ttflist if "Sans CJK SC" in f.name), None
        ) or next((f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name), None)

    if cjk() is None:
        for path in font_manager.findSystemFonts():
            if "CJK" in Path(path).name and "Regular" in Path(path).name:
                font_manager.fontManager.addfont(path)
    return cjk()


def draw_chart(parts: Sequence[Part], path: Path, lang: str = "zh") -> Path:
    """A horizontal stacked bar per section that has targets, coloured by kind; saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = _cjk_font()
    rc = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.unicode_minus": False}
    rows = [s for s in sections_of(parts) if s.targets]
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.6), dpi=100)
        try:
            names = [s.name for s in rows][::-1]
            left = [0] * len(rows)
            for kind in [*KINDS, OTHER]:
                counts = [dict(s.kinds).get(kind, 0) for s in rows][::-1]
                if not any(counts):
                    continue
                ax.barh(names, counts, left=left, color=KIND_COLORS[kind], label=kind_label(kind, lang))
                left = [a + b for a, b in zip(left, counts, strict=True)]
            ax.set_xlabel("指标数" if lang == "zh" else "number of targets")
            ax.set_title(
                "钟楼区2025年工作安排 · 各部分指标" if lang == "zh" else "Targets of the 2025 plan by section"
            )
            ax.legend(loc="lower right", fontsize=8)
            ax.xaxis.get_major_locator().set_params(integer=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Glyph .* missing")  # no CJK font: boxes, not noise
                fig.tight_layout()
                fig.savefig(path, format="png")
        finally:
            plt.close(fig)
    return path
