"""一图读懂: the outline follows the plan's parts and sections, counts every target once, and the
chart is a real PNG; the page language follows the browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.labels import LABELS, page_lang
from assistant.overview import KINDS, OTHER, draw_chart, kind_of, outline, outline_html, sections_of
from assistant.targets import extract_targets

CORPUS = load_corpus(Settings().corpus_dir)
TARGETS = extract_targets(CORPUS)


@pytest.mark.parametrize(
    ("unit", "kind"),
    [("%", "rate"), ("位数", "rate"), ("个", "count"), ("家", "count"), ("场次", "count"), ("公顷", "area"),
     ("公里", "area"), ("兆瓦", "capacity"), ("PB", "capacity"), ("亿元", "money"), ("亿", "money"), ("吨", OTHER)],
)  # fmt: skip
def test_a_figure_is_classified_by_its_unit(unit: str, kind: str) -> None:
    assert kind_of(unit) == kind


def test_every_figure_of_the_plan_has_a_kind() -> None:
    assert {kind_of(t.unit) for t in TARGETS} <= set(KINDS)


def test_the_outline_counts_every_target_once_in_document_order() -> None:
    parts = outline(CORPUS, TARGETS)
    assert sum(p.targets for p in parts) == len(TARGETS)
    ids = [pid for s in sections_of(parts) for pid in s.paragraph_ids]
    assert sorted(ids) == sorted(p.id for p in CORPUS.paragraphs)
    names = [p.name for p in parts]
    assert names[:4] == [
        "2025年工作安排",
        "一、坚持老城、经开、高新三区并进",
        "二、坚持生产、生活、生态三生融合",
        "三、坚持底线、红线、防线三线同筑",
    ]


@pytest.mark.parametrize(
    ("section", "count", "kinds"),
    [
        ("二、(三)功能品质融合蝶变", 13, {"count": 11, "area": 2}),  # 新增绿地10公顷, 新增里程10公里
        ("二、(一)新质动能加速集聚", 16, {"rate": 3, "count": 11, "capacity": 1, "money": 1}),
        ("一、(三)做大高新区", 0, {}),
    ],
)
def test_a_section_counts_its_targets_by_kind(section: str, count: int, kinds: dict[str, int]) -> None:
    found = next(s for s in sections_of(outline(CORPUS, TARGETS)) if s.name == section)
    assert found.targets == count and dict(found.kinds) == kinds
    assert sum(1 for t in TARGETS if t.section == section) == count


def test_the_outline_html_nests_sections_under_parts_with_counts() -> None:
    html = outline_html(outline(CORPUS, TARGETS), "zh")
    assert "(三)功能品质融合蝶变 <span class='zl-count'>13项指标</span>" in html
    assert 'aria-label="计划结构"' in html
    assert "13 targets" in outline_html(outline(CORPUS, TARGETS), "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_chart_is_a_png(tmp_path: Path, lang: str) -> None:
    path = draw_chart(outline(CORPUS, TARGETS), tmp_path / f"chart-{lang}.png", lang)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


@pytest.mark.parametrize(
    ("preferred", "lang"),
    [
        ("zh-CN", "zh"),
        ("zh-TW,zh;q=0.9", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE", "en"),
        ("", "zh"),
        (None, "zh"),
    ],
)
def test_the_page_language_follows_the_browser(preferred: str | None, lang: str) -> None:
    assert page_lang(preferred) == lang


def test_every_label_has_chinese_and_english() -> None:
    assert all(zh.strip() and en.strip() and zh != en for zh, en in LABELS.values())
