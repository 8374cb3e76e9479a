"""The page's HTML helpers: escaping, highlighting, anchors, the abstention notice, history."""

from __future__ import annotations

import json
import re

import pytest

from assistant import Answer, BadQuestion
from assistant.citations import Citation, cite
from assistant.config import REPO_ROOT
from assistant.corpus import Corpus, load_corpus
from assistant.profile import DocumentProfile
from assistant.web import (
    anchor_id,
    answer_html,
    citation_label,
    document_choices,
    document_from_link,
    document_of,
    error_html,
    glossary_entries,
    glossary_html,
    highlight,
    paragraph_html,
    parse_history,
    plan_html,
    question_html,
    streaming_html,
    upload_html,
)

GREEN = "新增绿地10公顷"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REPO_ROOT / "corpus")


def _answer(citations: tuple[Citation, ...], text: str, *, abstained=False, notes=(), lang="zh") -> Answer:
    return Answer("q", text, citations, abstained, "extractive", notes=tuple(notes), lang=lang)


@pytest.mark.parametrize(
    ("paragraph_id", "anchor"),
    [("zl2025/p12", "zl2025-p12"), ("zl2025/g10", "zl2025-g10"), ("doc 1/p01", "doc-1-p01")],
)
def test_anchor_ids_are_safe_in_html_and_selectors(paragraph_id, anchor):
    assert anchor_id(paragraph_id) == anchor


@pytest.mark.parametrize(
    ("text", "quote", "html"),
    [
        ("建成2座公园,新增绿地10公顷。", GREEN, "建成2座公园,<mark>新增绿地10公顷</mark>。"),
        ("a<b>&c", "<b>", "a<mark>&lt;b&gt;</mark>&amp;c"),
        ("<script>alert(1)</script>", "", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("甲乙丙丁", "不在", "甲乙丙丁"),
        ("甲乙丙丁戊", "甲 … 丁", "<mark>甲</mark>乙丙<mark>丁</mark>戊"),  # merged quotes of one paragraph
        ("甲乙丙丁", "甲乙 … 乙丙", "<mark>甲乙丙</mark>丁"),  # overlapping parts become one mark
        ("5%左右;5%左右", "5%左右", "<mark>5%左右</mark>;<mark>5%左右</mark>"),
    ],
)
def test_highlight_escapes_and_marks_the_quote(text, quote, html):
    assert highlight(text, quote) == html


def test_citation_label_names_id_and_section(corpus):
    assert citation_label(cite(corpus, "zl2025/p12", GREEN)) == "zl2025/p12 · 二、(三)功能品质融合蝶变"


@pytest.mark.parametrize(
    ("titles", "label"),
    [
        (None, "zl2025/p12 · 二、(三)功能品质融合蝶变"),
        ({"zl2025": "钟楼区2025年工作安排"}, "钟楼区2025年工作安排 · zl2025/p12 · 二、(三)功能品质融合蝶变"),
        ({"beijing2026": "北京市政府工作报告"}, "zl2025/p12 · 二、(三)功能品质融合蝶变"),
    ],
)
def test_a_citation_label_names_its_document_when_given_titles(corpus, titles, label):
    assert citation_label(cite(corpus, "zl2025/p12", GREEN), titles) == label


def test_an_answer_labels_its_chips_with_the_document_title(corpus):
    citation = cite(corpus, "zl2025/p12", GREEN)
    html = answer_html(_answer((citation,), f"“{GREEN}” [zl2025/p12]"), {"zl2025": "钟楼<区>"})
    assert '<span class="zl-chip">钟楼&lt;区&gt; · zl2025/p12 · 二、(三)功能品质融合蝶变</span>' in html


@pytest.mark.parametrize(
    ("paragraph_id", "doc_id"), [("zl2025/p12", "zl2025"), ("riverside-2026/g03", "riverside-2026")]
)
def test_a_paragraph_id_names_its_document(paragraph_id, doc_id):
    assert document_of(paragraph_id) == doc_id


def test_the_picker_offers_each_document_by_title(corpus):
    assert document_choices(corpus.documents) == [("钟楼区2025年工作安排（含名词解释）", "zl2025")]


@pytest.mark.parametrize(
    ("requested", "doc_id", "noted"),
    [
        ("", "zl2025", False),
        ("riverside2026", "riverside2026", False),
        (" riverside2026 ", "riverside2026", False),
        ("nope", "zl2025", True),
        ("<script>", "zl2025", True),
    ],
)
def test_a_doc_link_picks_a_held_document_or_falls_back_with_a_note(requested, doc_id, noted):
    picked, note = document_from_link(requested, ("zl2025", "riverside2026"), "zl2025")
    assert picked == doc_id
    assert bool(note) is noted
    assert "<script>" not in note
    if noted:
        assert "showing zl2025" in note


def test_an_upload_report_names_the_new_document():
    profile = DocumentProfile(id="riverside2026", title="2026年河滨区<工作>安排")
    html = upload_html(profile, 3)
    assert "riverside2026" in html and "3 paragraphs" in html
    assert "&lt;工作&gt;" in html


def test_paragraph_panel_shows_section_path_and_marked_quote(corpus):
    html = paragraph_html(corpus.paragraph("zl2025/p12"), GREEN, "钟楼区2025年工作安排")
    assert "zl2025/p12 · 二、(三)功能品质融合蝶变" in html
    assert "钟楼区2025年工作安排 › 二、坚持生产、生活、生态三生融合 › (三)功能品质融合蝶变" in html
    assert f"<mark>{GREEN}</mark>" in html


def test_an_answer_shows_its_text_and_source_chips(corpus):
    citation = cite(corpus, "zl2025/p12", GREEN)
    html = answer_html(_answer((citation,), f"计划原文：“{GREEN}” [zl2025/p12]"))
    assert 'class="zl-answer"' in html and "zl-abstain" not in html
    assert f"“{GREEN}”" in html
    assert '<span class="cite-tag">zl2025/p12</span>' in html
    assert '<span class="zl-chip">zl2025/p12 · 二、(三)功能品质融合蝶变</span>' in html
    assert "\n\n" not in html  # a blank line would end the Markdown HTML block


def test_an_abstention_is_a_notice_with_the_nearest_paragraphs(corpus):
    nearest = (cite(corpus, "zl2025/p03"), cite(corpus, "zl2025/p07"))
    html = answer_html(_answer(nearest, "计划中没有提到这一点。", abstained=True))
    assert 'class="zl-abstain"' in html and 'class="zl-answer"' not in html
    assert "最接近的段落" in html
    assert html.count('class="zl-chip"') == 2


def test_an_abstention_does_not_list_the_nearest_paragraphs_twice(corpus):
    nearest = (cite(corpus, "zl2025/p03"),)
    html = answer_html(
        _answer(nearest, "The plan does not say this. [zl2025/p03]", abstained=True, lang="en")
    )
    assert "zl-chip" not in html
    assert '<span class="cite-tag">zl2025/p03</span>' in html


def test_notes_are_shown(corpus):
    note = "问题过长，只使用了前500个字符 (question truncated to 500 of 10000 characters)."
    html = answer_html(_answer((cite(corpus, "zl2025/p03"),), "…", notes=[note]))
    assert f'<div class="zl-note">⚠ {note}</div>' in html


def test_a_multi_line_answer_stays_one_html_block():
    html = answer_html(_answer((), "第一段。\n\n第二段 [zl2025/p12]"))
    assert "\n" not in html
    assert "第一段。<br><br>第二段" in html
    assert "\n" not in streaming_html(["a\n\n", "b"])


def test_answer_text_is_escaped(corpus):
    html = answer_html(_answer((), "<img src=x onerror=alert(1)>"))
    assert "<img" not in html and "&lt;img" in html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (error_html("问题为空 <b>"), "问题为空 &lt;b&gt;"),
        (streaming_html(["计划", "原文"]), "计划原文"),
        (streaming_html([]), "…"),
        (question_html("x" * 12, 10), "x" * 10 + "…"),
        (question_html("<i>hi</i>", 10), "&lt;i&gt;hi&lt;/i&gt;"),
    ],
)
def test_messages_are_escaped_and_bounded(html, expected):
    assert expected in html
    assert "<i>" not in html and "<b>" not in html


def test_the_plan_has_an_anchor_per_paragraph(corpus):
    html = plan_html(corpus)
    anchors = re.findall(r' id="([^"]+)"', html)
    assert anchors == [anchor_id(p.id) for p in corpus.paragraphs]
    assert "<mark>" not in html and "zl-target" not in html


def test_the_plan_marks_the_target_paragraph_and_quote(corpus):
    html = plan_html(corpus, "zl2025/p12", GREEN)
    assert re.search(r'<p id="zl2025-p12" class="[^"]*zl-target[^"]*">', html)
    assert html.count("zl-target") == 1
    assert html.count("<mark>") == 1 and f"<mark>{GREEN}</mark>" in html


def test_one_document_of_the_library(corpus):
    assert [p.id for p in corpus.only("zl2025").paragraphs] == [p.id for p in corpus.paragraphs]
    assert corpus.only("nope").paragraphs == ()


def test_the_glossary_has_eleven_terms_with_definitions(corpus):
    entries = glossary_entries(corpus)
    assert len(entries) == 11
    assert entries[9] == (
        "zl2025/g10",
        "“三先三后”原则",
        "先总体规划,后分步实施;先建设配套,后分批出地;先打造产业,后建设住宅。",
    )
    assert entries[0][:2] == ("zl2025/g01", "QFLP基金")
    html = glossary_html(corpus)
    assert html.count("<dt>") == 11 and 'id="zl2025-g10"' in html


TURN = ("今年新增多少绿地?", "计划原文：“新增绿地10公顷” [zl2025/p12]")


@pytest.mark.parametrize(
    "history",
    [
        [list(TURN)],
        [TURN],
        json.dumps([list(TURN)], ensure_ascii=False),
        [
            {"role": "user", "content": TURN[0]},
            {"role": "assistant", "content": TURN[1]},
            {"role": "user", "content": "unanswered"},
        ],
    ],
)
def test_history_becomes_question_answer_pairs(history):
    assert parse_history(history) == [TURN]


@pytest.mark.parametrize("history", [None, "", []])
def test_no_history(history):
    assert parse_history(history) == []


@pytest.mark.parametrize("history", ["{not json", {"q": "a"}, [["only one"]], [[1, 2]], "42"])
def test_bad_history_is_a_bad_question(history):
    with pytest.raises(BadQuestion):
        parse_history(history)


def test_the_page_title_is_the_default_documents_not_a_fixed_plans() -> None:
    from assistant.labels import page_title
    from assistant.profile import DocumentProfile

    report = DocumentProfile(
        "hebin2026", "2026年河滨区政府工作报告", place="河滨区", year=2026, place_en="Hebin"
    )
    assert page_title(report, "zh").startswith("## 2026年河滨区政府工作报告 · 问答助手")
    assert page_title(report, "en").startswith("## Hebin 2026 Work Plan Assistant")
