"""Specification of document profiles: place, year, title, issuer and ID read from real texts,
with given fields always winning."""

from __future__ import annotations

import pytest
from realdocs import PLAN_TXT, REALDOCS, reference_paragraphs, requires_realdocs

from assistant.corpus import load_corpus
from assistant.profile import DocumentProfile, infer_profile, is_valid_id

REPORTS = [
    # file, place, year, id, title
    (
        "jiangsu-2026-provincial-gov-work-report.txt",
        "江苏省",
        2026,
        "jiangsu2026",
        "2026年江苏省政府工作报告",
    ),
    ("beijing-2026-municipal-gov-work-report.txt", "北京市", 2026, "beijing2026", "2026年北京市政府工作报告"),
    (
        "zhejiang-2026-provincial-gov-work-report.txt",
        "浙江省",
        2026,
        "zhejiang2026",
        "2026年浙江省政府工作报告",
    ),
    (
        "shandong-2026-provincial-gov-work-report.txt",
        "山东省",
        2026,
        "shandong2026",
        "2026年山东省政府工作报告",
    ),
    (
        "shanghai-2026-municipal-gov-work-report.txt",
        "上海市",
        2026,
        "shanghai2026",
        "2026年上海市政府工作报告",
    ),
    ("anhui-2026-provincial-gov-work-report.txt", "安徽省", 2026, "anhui2026", "2026年安徽省政府工作报告"),
    (
        "jiangxi-2026-provincial-gov-work-report.txt",
        "江西省",
        2026,
        "jiangxi2026",
        "2026年江西省政府工作报告",
    ),
    # These two open with a bare 政府工作报告: place from the congress line, year from its date.
    (
        "guangdong-2026-provincial-gov-work-report.txt",
        "广东省",
        2026,
        "guangdong2026",
        "2026年广东省政府工作报告",
    ),
    ("hainan-2026-provincial-gov-work-report.txt", "海南省", 2026, "hainan2026", "2026年海南省政府工作报告"),
]


@requires_realdocs
@pytest.mark.parametrize(("name", "place", "year", "doc_id", "title"), REPORTS, ids=[r[3] for r in REPORTS])
def test_a_work_report_says_its_place_year_and_title(
    name: str, place: str, year: int, doc_id: str, title: str
) -> None:
    profile = infer_profile(reference_paragraphs(REALDOCS / name), name)
    assert (profile.place, profile.year, profile.id, profile.title) == (place, year, doc_id, title)
    assert profile.issuer == f"{place}人民政府"
    assert profile.language == "zh"


@requires_realdocs
@pytest.mark.parametrize("name", [r[0] for r in REPORTS[::4]])
def test_a_chinese_file_name_still_gives_a_short_ascii_id(name: str) -> None:
    paragraphs = reference_paragraphs(REALDOCS / name)
    expected = infer_profile(paragraphs, name).id
    assert infer_profile(paragraphs, "政府工作报告（全文）.docx").id == expected


def test_the_plan_is_for_2025_and_its_issuer_names_its_place() -> None:
    paragraphs = reference_paragraphs(PLAN_TXT)
    bare = infer_profile(paragraphs, PLAN_TXT.name)
    assert (bare.title, bare.year, bare.place) == ("2025年工作安排", 2025, "")  # the text never says 钟楼区
    profile = infer_profile(paragraphs, PLAN_TXT.name, {"issuer": "钟楼区人民政府"})
    assert (profile.place, profile.year, profile.issuer) == ("钟楼区", 2025, "钟楼区人民政府")


def test_the_corpus_keeps_the_manifest_id_and_fields_of_the_plan() -> None:
    from assistant.config import REPO_ROOT

    profile = load_corpus(REPO_ROOT / "corpus").documents[0].profile
    assert profile == DocumentProfile(
        id="zl2025",
        title="钟楼区2025年工作安排（含名词解释）",
        issuer="钟楼区人民政府",
        place="钟楼区",
        year=2025,
        language="zh",
        place_en="Zhonglou",
        file="zhonglou-2025-work-plan.txt",
        source=profile.source,
        within="常州市、江苏省",
    )
    assert profile.source.startswith("《2025年工作安排》")
    assert profile.enclosing == ("常州市", "江苏省")


@pytest.mark.parametrize(
    ("paragraphs", "field", "expected"),
    [
        # newspaper lines and a photo caption before the title are skipped
        (
            [
                "来源：常州日报",
                "时间：2026-02-03",
                "区长作报告。本报记者 王明 摄",
                "2026年武进区工作安排",
                "正文。",
            ],
            "title",
            "2026年武进区工作安排",
        ),
        (["来源：常州日报", "时间：2026-02-03", "2026年武进区工作安排", "正文。"], "place", "武进区"),
        # the year the plan is for, not the years its review names
        (
            [
                "政府工作报告",
                "——2026年1月20日在某市第十届人民代表大会第五次会议上",
                "2025年成绩显著，2025年增长5%，2024年……",
            ],
            "year",
            2026,
        ),
        (["2025年工作安排", "2024年完成……，2024年增长……，2023年……"], "year", 2025),
        (["工作报告", "时间：2027-01-15", "过去一年……"], "year", 2027),
        (["政府工作报告", "现在，我代表苏州市人民政府，向大会报告工作。"], "issuer", "苏州市人民政府"),
        (["政府工作报告", "现在，我代表苏州市人民政府，向大会报告工作。"], "place", "苏州市"),
        (
            ["Riverside District 2026 Work Plan", "The district will plant ten hectares of trees."],
            "language",
            "en",
        ),
    ],
)
def test_profile_fields_are_read_from_the_opening(
    paragraphs: list[str], field: str, expected: object
) -> None:
    assert getattr(infer_profile(paragraphs, "plan.txt"), field) == expected


def test_given_fields_win_over_the_text() -> None:
    given = {
        "id": "wj2026",
        "title": "武进区工作安排",
        "place": "武进区",
        "year": "2026",
        "issuer": "武进区人民政府",
    }
    profile = infer_profile(["2025年江苏省政府工作报告", "我代表江苏省人民政府……"], "x.txt", given)
    assert (profile.id, profile.title, profile.place, profile.year, profile.issuer) == (
        "wj2026",
        "武进区工作安排",
        "武进区",
        2026,
        "武进区人民政府",
    )


def test_a_profile_round_trips_through_the_manifest() -> None:
    profile = DocumentProfile(
        "bj2026", "2026年北京市政府工作报告", "北京市人民政府", "北京市", 2026, "zh", "bj2026.txt", "x.pdf"
    )
    entry = profile.to_manifest()
    assert next(iter(entry)) == "file"
    assert DocumentProfile.from_manifest({**entry, "extra": 1}) == profile


@pytest.mark.parametrize(
    ("doc_id", "ok"),
    [
        ("zl2025", True),
        ("jiangsu-2026", True),
        ("ZL2025", False),
        ("钟楼", False),
        ("a/b", False),
        ("", False),
    ],
)
def test_ids_are_safe_to_put_in_paragraph_ids(doc_id: str, ok: bool) -> None:
    assert is_valid_id(doc_id) is ok
