"""Specification of the corpus: the plan's lines become paragraphs with stable IDs, kinds and sections.

Every line of the source is accounted for once; IDs never move when documents are added.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT
from assistant.corpus import Corpus, load_corpus, parse_document
from assistant.errors import AssistantError, ConfigError, UnknownParagraph

CORPUS_DIR = REPO_ROOT / "corpus"
SOURCE = CORPUS_DIR / "zhonglou-2025-work-plan.txt"

GLOSSARY_TERMS = {
    "zl2025/g01": "QFLP基金",
    "zl2025/g02": "“高效办成一件事”",
    "zl2025/g03": "普算、超算、智算一体化区域异构算力中心",
    "zl2025/g04": "“人人食堂”",
    "zl2025/g05": "“两个生命通道”",
    "zl2025/g06": "大件运输“信用+”服务",
    "zl2025/g07": "“综合执法进小区”",
    "zl2025/g08": "营商环境服务联盟“十大行动”",
    "zl2025/g09": "“云上政务”",
    "zl2025/g10": "“三先三后”原则",
    "zl2025/g11": "全域协同共育机制",
}

HEADINGS = {
    "zl2025/p01": "2025年工作安排",
    "zl2025/p05": "一、坚持老城、经开、高新三区并进",
    "zl2025/p09": "二、坚持生产、生活、生态三生融合",
    "zl2025/p14": "三、坚持底线、红线、防线三线同筑",
    "zl2025/p19": "更大力度推进政府自身建设",
    "zl2025/p24": "名词解释",
}

# (a phrase of the plan, the section of the paragraph holding it, as the document writes it)
SECTIONS = [
    ("地区生产总值增长5%左右", "2025年工作安排"),
    ("力争实施2-3个项目", "一、(一)做精老城区"),
    ("力争跻身省级开发区前20名", "一、(二)做强经开区"),
    ("新增屋顶光伏装机容量20兆瓦以上", "二、(一)新质动能加速集聚"),
    ("招引跨境电商企业5家以上", "二、(二)全面深化改革开放"),
    ("新增绿地10公顷", "二、(三)功能品质融合蝶变"),
    ("增加学位7000个", "二、(四)民生福祉优质共享"),
    ("1300多家工业企业", "三、(一)抓牢安全防线"),
    ("确保大气质量稳定达到国家二级标准", "三、(二)守牢生态红线"),
    ("12个民生实事候选项目", "三、坚持底线、红线、防线三线同筑"),
    ("持续为基层减负", "更大力度推进政府自身建设"),
    ("计划规模约1000PB", "名词解释"),
]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


def only_paragraph_with(corpus: Corpus, phrase: str):
    found = [p for p in corpus.paragraphs if phrase in p.text]
    assert len(found) == 1, f"{phrase!r} is in {[p.id for p in found]}"
    return found[0]


def ids_and_texts(corpus: Corpus, doc_id: str = "zl2025") -> list[tuple[str, str]]:
    return [(p.id, p.text) for p in corpus.paragraphs if p.doc_id == doc_id]


# -- every line once -------------------------------------------------------------------------


def test_every_non_empty_line_is_exactly_one_paragraph(corpus: Corpus) -> None:
    lines = [(n, line.strip()) for n, line in enumerate(SOURCE.read_text("utf-8").splitlines(), 1)]
    expected = [(n, text) for n, text in lines if text]
    got = [(p.line_no, p.text) for p in corpus.paragraphs if p.doc_id == "zl2025"]
    assert got == expected
    assert len(expected) == 35


def test_paragraph_ids_are_unique_and_numbered_in_order(corpus: Corpus) -> None:
    ids = [p.id for p in corpus.paragraphs]
    assert len(ids) == len(set(ids))
    body_ids = [i for i in ids if "/p" in i]
    assert body_ids == [f"zl2025/p{n:02d}" for n in range(1, 25)]


# -- glossary --------------------------------------------------------------------------------


def test_glossary_has_eleven_terms_with_their_ids(corpus: Corpus) -> None:
    glossary = corpus.glossary()
    assert {p.id: p.term for p in glossary} == GLOSSARY_TERMS
    assert [p.line_no for p in glossary] == list(range(25, 36))
    assert {(p.kind, p.section) for p in glossary} == {("glossary", "名词解释")}


@pytest.mark.parametrize(("pid", "term"), GLOSSARY_TERMS.items())
def test_glossary_paragraph_starts_with_its_number_and_term(corpus: Corpus, pid: str, term: str) -> None:
    paragraph = corpus.paragraph(pid)
    number = int(pid.rsplit("g", 1)[1])
    assert paragraph.text.startswith(f"{number}.")
    assert term in paragraph.text.split(":", 1)[0]


# -- kinds and sections ----------------------------------------------------------------------


def test_headings_are_the_title_the_numbered_parts_and_the_glossary_heading(corpus: Corpus) -> None:
    headings = {p.id: p for p in corpus.paragraphs if p.kind == "heading"}
    assert set(headings) == set(HEADINGS)
    for pid, label in HEADINGS.items():
        assert headings[pid].text.startswith(label)


def test_every_other_paragraph_is_body_or_glossary(corpus: Corpus) -> None:
    kinds = {p.id: p.kind for p in corpus.paragraphs if p.id not in HEADINGS}
    assert {pid for pid, kind in kinds.items() if kind == "glossary"} == set(GLOSSARY_TERMS)
    assert set(kinds.values()) == {"body", "glossary"}


@pytest.mark.parametrize(("phrase", "section"), SECTIONS)
def test_section_as_the_document_writes_it(corpus: Corpus, phrase: str, section: str) -> None:
    assert only_paragraph_with(corpus, phrase).section == section


def test_section_path_names_part_and_subsection(corpus: Corpus) -> None:
    paragraph = corpus.paragraph("zl2025/p12")
    assert paragraph.section_path == ("二、坚持生产、生活、生态三生融合", "(三)功能品质融合蝶变")
    assert corpus.paragraph("zl2025/p03").section_path == ("2025年工作安排",)


# -- IDs are stable ---------------------------------------------------------------------------


def test_ids_are_identical_across_two_parses(corpus: Corpus) -> None:
    assert ids_and_texts(load_corpus(CORPUS_DIR)) == ids_and_texts(corpus)


def test_ids_do_not_depend_on_what_was_parsed_before(corpus: Corpus) -> None:
    text = SOURCE.read_text("utf-8")
    first = parse_document("zl2025", text)
    parse_document("other", "另一份文件\n第一段。\n名词解释:\n1. 术语:解释。\n")
    again = parse_document("zl2025", text)
    assert first == again
    assert [(p.id, p.text) for p in first] == ids_and_texts(corpus)


@pytest.mark.parametrize(
    ("file_name", "content", "manifest_id", "expected_id"),
    [
        ("district-budget-2025.txt", "区级预算说明\n今年预算安排稳中有进。\n", None, "district-budget-2025"),
        ("Annex Notes.md", "# 附件说明\n\n## 第一部分\n本附件补充说明。\n", None, "annex-notes"),
        ("annex.txt", "附件\n补充说明一项。\n", "zl2025-annex", "zl2025-annex"),
    ],
    ids=["txt-slug", "md-slug", "manifest-id"],
)
def test_a_second_document_gets_its_own_ids_and_leaves_the_plan_unchanged(
    corpus: Corpus, corpus_copy: Path, file_name: str, content: str, manifest_id: str | None, expected_id: str
) -> None:
    (corpus_copy / file_name).write_text(content, encoding="utf-8")
    if manifest_id:
        manifest = json.loads((corpus_copy / "manifest.json").read_text("utf-8"))
        manifest["documents"].append({"file": file_name, "id": manifest_id, "title": "附件"})
        (corpus_copy / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")

    extended = load_corpus(corpus_copy)

    assert [d.id for d in extended.documents] == ["zl2025", expected_id]
    assert ids_and_texts(extended) == ids_and_texts(corpus)
    added = [p for p in extended.paragraphs if p.doc_id == expected_id]
    assert [p.id for p in added] == [f"{expected_id}/p{n:02d}" for n in range(1, len(added) + 1)]
    assert added[-1].text == content.strip().splitlines()[-1]
    assert added[-1].kind == "body"
    assert extended.fingerprint != corpus.fingerprint


def test_markdown_headings_open_sections(corpus_copy: Path) -> None:
    (corpus_copy / "annex.md").write_text("# 附件说明\n\n## 第一部分\n本附件补充说明。\n", "utf-8")
    annex = [p for p in load_corpus(corpus_copy).paragraphs if p.doc_id == "annex"]
    assert [(p.kind, p.text, p.section) for p in annex] == [
        ("heading", "附件说明", "附件说明"),
        ("heading", "第一部分", "第一部分"),
        ("body", "本附件补充说明。", "第一部分"),
    ]


# -- errors and fingerprint -------------------------------------------------------------------


def test_two_documents_with_one_id_is_a_config_error(corpus_copy: Path) -> None:
    (corpus_copy / "zl2025.txt").write_text("重名文件\n一段。\n", "utf-8")  # slug "zl2025" = the plan's id
    with pytest.raises(ConfigError, match="zl2025"):
        load_corpus(corpus_copy)


def test_duplicate_manifest_ids_are_a_config_error(corpus_copy: Path) -> None:
    (corpus_copy / "annex.txt").write_text("附件\n一段。\n", "utf-8")
    manifest = json.loads((corpus_copy / "manifest.json").read_text("utf-8"))
    manifest["documents"].append({"file": "annex.txt", "id": "zl2025"})
    (corpus_copy / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(ConfigError, match=r"manifest\.json"):
        load_corpus(corpus_copy)


def test_missing_corpus_directory_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    with pytest.raises(ConfigError, match="ASSISTANT_CORPUS_DIR") as caught:
        load_corpus(missing)
    assert str(missing) in str(caught.value)


def test_corpus_without_documents_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"No \.txt or \.md"):
        load_corpus(tmp_path)


def test_fingerprint_ignores_where_the_corpus_lives_but_not_one_character(
    corpus: Corpus, corpus_copy: Path
) -> None:
    assert load_corpus(corpus_copy).fingerprint == corpus.fingerprint
    plan = corpus_copy / SOURCE.name
    plan.write_text(plan.read_text("utf-8").replace("新增绿地10公顷", "新增绿地11公顷"), "utf-8")
    assert load_corpus(corpus_copy).fingerprint != corpus.fingerprint


def test_unknown_paragraph_names_the_id_and_the_id_format(corpus: Corpus) -> None:
    with pytest.raises(UnknownParagraph) as caught:
        corpus.paragraph("zl2025/p99")
    assert isinstance(caught.value, AssistantError)
    assert "zl2025/p99" in str(caught.value)
    assert "zl2025/p01" in str(caught.value)  # shows what an ID looks like


def test_paragraph_lookup_tolerates_surrounding_spaces(corpus: Corpus) -> None:
    assert corpus.paragraph(" zl2025/g10 ").term == "“三先三后”原则"
    assert "zl2025/g10" in corpus
    assert "zl2025/g12" not in corpus


@pytest.mark.parametrize(
    ("heading", "item"),
    [
        ("名词解释", "1.“云上政务”：以提供更加便捷的政务服务为目标。"),
        ("《政府工作报告》有关内容名词注释", "5.“三通一码”：赣服通、赣政通、赣企通、赣通码。"),
        ("注释", "［2］四大主导产业："),
    ],
)
def test_what_a_report_calls_its_glossary_opens_glossary_items(heading: str, item: str) -> None:
    paragraphs = parse_document("doc", f"2026年工作报告\n正文一句。\n{heading}\n{item}\n")
    assert paragraphs[-1].kind == "glossary"
    assert paragraphs[-1].id.startswith("doc/g")


def test_a_glossary_item_ending_its_line_takes_the_next_line_as_its_definition() -> None:
    """ "［2］四大主导产业：" alone on a line (a PDF's layout): its definition is the next line."""
    text = "2026年工作报告\n正文一句。\n注释\n［1］一降三减：\n降成本。\n［2］四大主导产业：\n旅游业、现代服务业。\n"
    glossary = [p for p in parse_document("doc", text) if p.kind == "glossary"]
    assert [(p.id, p.text) for p in glossary] == [
        ("doc/g01", "［1］一降三减：降成本。"),
        ("doc/g02", "［2］四大主导产业：旅游业、现代服务业。"),
    ]


def test_the_fingerprint_follows_the_paragraph_ids_not_only_the_text(tmp_path: Path) -> None:
    """A parser that moves an ID (a line becomes a glossary item) must make the index stale."""
    (tmp_path / "plan.txt").write_text("2026年工作报告\n正文。\n注释\n［1］一降三减：\n", encoding="utf-8")
    assert load_corpus(tmp_path).documents[0].layout.endswith("plan/g01 glossary")
    reparsed = load_corpus(tmp_path)
    reparsed.documents[0].__dict__["layout"] = (
        "plan/p01 heading\nplan/p02 body\nplan/p03 heading\nplan/p04 body"
    )
    assert reparsed.fingerprint != load_corpus(tmp_path).fingerprint
