"""Specification of the query stage: ``understand(question, history) -> Query``.

One place reads the raw question: kind, attribute asked for, subject terms, places and years,
follow-ups and questions about the last answer, and the text to retrieve with.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant import Assistant
from assistant.answer import intent as rules
from assistant.errors import LibraryConflict
from assistant.profile import DocumentProfile
from assistant.scope import Profiles

GREEN = ("今年新增多少绿地?", "计划原文：“新增绿地10公顷” [zl2025/p12]")
KEXIAO = ("今年新认定科小多少家?", "计划原文：“新认定科小超480家” [zl2025/p10]")
DEFINITION = ("什么是云上政务?", "名词解释 — “云上政务”：“以提供更加便捷…” [zl2025/g09]")


@pytest.mark.parametrize(
    ("question", "kind", "attribute"),
    [
        ("今年新增多少绿地?", "figure", "amount"),
        ("What is the target for rooftop solar?", "figure", "amount"),
        ("制造业投资增长百分之几?", "figure", "percent"),
        ("思源电气项目总投资多少?", "figure", "money"),
        ("德胜河航道整治哪年完工?", "fact", "date"),
        ("哪两个工业遗存要加快焕新?", "fact", "list"),
        ("Which two industrial heritage sites are to be revitalised?", "fact", "list"),
        ("什么是“三先三后”原则?", "definition", "definition"),
        ("今年新增绿地20公顷对吗?", "trap", "yesno"),
        ("计划里关于营商环境是怎么表述的?", "fact", "phrasing"),
        ("经开区力争跻身省级开发区第几名?", "figure", "rank"),
        ("这几个试点分别是哪些村?", "fact", "list"),  # 这几个 points back; it asks no number
        ("“两消除三提升”具体是指哪几项?", "definition", "list"),  # the members, not a definition
        # a number said back without "对吗" is still asked back: "I remember…", "the news said…"
        ("我记得新建公厕是30个", "trap", "yesno"),
        ("网上说今年增加学位一万个啊", "trap", "yesno"),
    ],
)
def test_kind_and_attribute(assistant: Assistant, question: str, kind: str, attribute: str) -> None:
    query = assistant.understand(question)
    assert (query.kind, query.attribute) == (kind, attribute)


def test_english_retrieval_text_carries_the_plans_terms(assistant: Assistant) -> None:
    query = assistant.understand("What is the target for rooftop solar?")
    assert query.lang == "en" and "屋顶光伏" in query.retrieval


def test_chinese_variants_are_added_to_the_retrieval_text(assistant: Assistant) -> None:
    assert "地区生产总值" in assistant.understand("今年GDP增长多少?").retrieval


@pytest.mark.parametrize(
    ("question", "meta"),
    [
        ("这个是哪一部分提出的?", "section"),
        ("Which part of the plan is that in?", "section"),
        ("哪一段?", "paragraph"),
        ("原文怎么说的?", "original"),
        ("详细说说", "more"),
        ("say more", "more"),
        ("用英文说一下", "english"),
    ],
)
def test_questions_about_the_last_answer_use_its_citations(
    assistant: Assistant, question: str, meta: str
) -> None:
    query = assistant.understand(question, [GREEN])
    assert query.meta == meta and query.previous == ("zl2025/p12",)


def test_a_meta_question_without_a_last_answer_is_a_question(assistant: Assistant) -> None:
    assert assistant.understand("原文怎么说的?").meta is None


def test_ellipsis_keeps_the_attribute_and_changes_the_subject(assistant: Assistant) -> None:
    query = assistant.understand("那高企呢?", [KEXIAO])
    assert query.followup and query.kind == "figure" and "高企" in query.text


def test_a_pronoun_takes_the_term_just_defined(assistant: Assistant) -> None:
    assert "云上政务" in assistant.understand("今年对它有什么安排?", [DEFINITION]).text


@pytest.mark.parametrize(
    ("question", "history", "scope"),
    [
        ("2024年GDP实际增长了多少?", [], "year:2024年"),
        ("天宁区今年新增多少绿地?", [], "place:天宁区"),
        ("那去年呢?", [GREEN], "year:其他年份"),
        ("What about the year before?", [GREEN], "year:其他年份"),
        ("钟楼区2025年新增多少绿地?", [], None),
        ("常州卫校今年有什么安排?", [], None),  # a place the plan itself names
    ],
)
def test_places_and_years_outside_the_library(
    assistant: Assistant, question: str, history: list[tuple[str, str]], scope: str | None
) -> None:
    assert assistant.understand(question, history).scope == scope


def test_several_questions_in_one_message_are_understood_one_by_one(assistant: Assistant) -> None:
    query = assistant.understand("算力中心计划规模多大?已经建成多少?")
    assert len(query.parts) == 2 and "算力中心" in query.parts[1].text


LIBRARY = Profiles(
    (
        DocumentProfile("zl2025", "钟楼区2025年工作安排", place="钟楼区", year=2025, place_en="Zhonglou"),
        DocumentProfile("js2026", "2026年江苏省政府工作报告", place="江苏省", year=2026, place_en="Jiangsu"),
    ),
    default="zl2025",
    texts=(("zl2025", "常州卫校"), ("js2026", "2025年全省地区生产总值增长5.3%")),
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("今年新增多少绿地?", (None, ("zl2025",))),  # unscoped: the default document
        ("江苏省今年GDP增长目标?", (None, ("js2026",))),
        ("What is Jiangsu province's GDP target?", (None, ("js2026",))),
        ("2026年的GDP目标是多少?", (None, ("js2026",))),
        ("钟楼区和江苏省今年的GDP目标分别是多少?", (None, ("zl2025", "js2026"))),
        ("上海市今年GDP目标?", ("place:上海市", ())),
        ("钟楼区2027年的目标?", ("year:2027年", ())),
        ("江苏省2025年GDP是多少?", (None, ("js2026",))),  # a 2026 report reviews the 2025 it names
        ("江苏省2023年GDP是多少?", ("year:2023年", ())),  # ... not a year it never names
        ("江苏省去年GDP增长多少?", (None, ("js2026",))),  # 去年 of a 2026 report: the 2025 it reviews
        ("钟楼区去年GDP增长多少?", ("year:其他年份", ())),  # the plan reviews no year
        ("钟楼区2024年GDP增长多少?", ("year:2024年", ())),
        ("What's Beijing's 2026 target for new urban jobs?", ("place:北京", ())),
    ],
)
def test_profiles_scope_a_question_to_documents(
    question: str, expected: tuple[str | None, tuple[str, ...]]
) -> None:
    assert LIBRARY.scope(question) == expected


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        ("江苏省2026年全年计划开工多少个重点项目?", "全年计划开工多少个重点项目?"),  # else the title wins
        ("钟楼区和江苏省今年的GDP目标分别是多少?", "今年的GDP目标分别是多少?"),
        ("What was Jiangsu's GDP growth rate in 2025?", "What was GDP growth rate ?"),
        ("上海港集装箱吞吐量有多少?", "上海港集装箱吞吐量有多少?"),  # a place that names a thing stays
    ],
)
def test_places_and_years_that_chose_the_documents_are_not_searched_for(question: str, searched: str) -> None:
    assert LIBRARY.without_scope(question) == searched


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("安徽省2025年GDP总量是多少?", "level"),
        ("How big is the total output value?", "level"),
        ("地区生产总值增速是多少?", "rate"),
        ("社零总额增长多少?", "rate"),  # 总额 names the thing; 增长多少 asks its rate
        ("How fast did the economy grow?", "rate"),
        ("高新技术产业产值占比达到多少?", ""),  # a share: neither
        ("今年新增多少绿地?", ""),
    ],
)
def test_a_rate_or_a_level_is_asked_for(question: str, measure: str) -> None:
    assert rules.asked_measure(question) == measure


def test_holdings_name_places_without_digits() -> None:
    assert LIBRARY.holdings("zh") == "钟楼区、江苏省"
    assert not any(ch.isdigit() for ch in LIBRARY.holdings("en"))


def test_the_chosen_document_answers_unscoped_questions() -> None:
    picked = replace(LIBRARY, default="js2026")  # what QueryStage.for_default gives the page's picker
    assert picked.scope("今年GDP增长目标?") == (None, ("js2026",))
    assert picked.scope("钟楼区今年新增多少绿地?") == (None, ("zl2025",))  # a named place still wins


def test_asking_about_a_document_the_library_lacks_is_refused_by_name(assistant: Assistant) -> None:
    with pytest.raises(LibraryConflict, match="zl2025"):
        assistant.ask("今年新增多少绿地?", doc="sh2026")
    assert assistant.ask("今年新增多少绿地?", doc="zl2025").text == assistant.ask("今年新增多少绿地?").text


def test_an_english_phrase_with_several_plan_terms_is_one_subject(assistant: Assistant) -> None:
    """ "new" is 新增 or 新建, not both: alternatives must not halve the question's coverage."""
    terms = assistant.understand("How many new high-tech enterprises are to be certified?").terms
    assert any({"新增", "新建"} <= set(t.forms) for t in terms)
    assert not any(t.forms == ("新建",) for t in terms)


def test_a_pronoun_that_stands_for_the_document_is_left_alone(assistant: Assistant) -> None:
    first = ("钟楼高新区2025年重点培育什么现代产业体系?", "计划原文：“…“1+3”现代产业体系…” [zl2025/p08]")
    assert assistant.understand("它说的“两大市场”指哪两个?", [first]).text == "它说的“两大市场”指哪两个?"
    english = assistant.understand("And the settlement it mentions?", [first]).text
    assert "现代产业体系" not in english


def test_a_compound_the_plan_never_uses_is_read_as_the_plan_words_it_is_made_of(assistant: Assistant) -> None:
    terms = assistant.understand("今年绿地面积计划新增多少?").terms
    assert [t.forms for t in terms] == [("绿地",)]  # 面积 says how much, not what


def test_chinese_words_in_an_english_question_are_terms(assistant: Assistant) -> None:
    """ "What is a 'Renren canteen' (人人食堂)?": the plan's own words, typed by the asker."""
    forms = [
        t.forms for t in assistant.understand("How many Renren canteens (人人食堂) will be built?").terms
    ]
    assert ("人人食堂",) in forms


def test_an_english_word_the_plan_also_writes_is_part_of_its_phrase_term(assistant: Assistant) -> None:
    """ "GDP" is 地区生产总值 and the plan's own "GDP" (单位GDP能耗): one subject, not two."""
    terms = assistant.understand("What is the GDP target?").terms
    gdp = [t for t in terms if "gdp" in t.forms]
    assert len(gdp) == 1 and gdp == [t for t in terms if "地区生产总值" in t.forms]


@pytest.mark.parametrize(
    ("question", "meta"),
    [
        ("Which section is that under?", "section"),
        ("Can you quote that line?", "original"),
        ("Which section of the plan covers the new school places and the elevators being added?", None),
    ],
)
def test_short_english_questions_about_the_last_answer_are_meta(
    assistant: Assistant, question: str, meta: str | None
) -> None:
    assert assistant.understand(question, [GREEN]).meta == meta


def test_a_pronoun_after_a_subject_points_at_it_not_at_the_last_turn(assistant: Assistant) -> None:
    history = [("今年送戏下乡多少场次?", "计划原文：“组织送戏下乡80场次” [zl2025/p13]")]
    assert "送戏下乡" not in assistant.understand("公益讲座这类活动呢?", history).text


def test_a_pronoun_takes_the_last_subject_named_even_turns_ago(assistant: Assistant) -> None:
    history = [
        ("“人人食堂”是什么?", "名词解释 — “人人食堂”：“倡导…养老助餐服务模式…” [zl2025/g04]"),
        ("它一般由谁来办?", "计划原文：“由镇(街道)举办” [zl2025/g04]"),
    ]
    assert "人人食堂" in assistant.understand("今年打算新建几家这样的食堂?", history).text


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("What is this year's per capita disposable income target in yuan?", True),
        ("How many industrial projects worth over 100 million yuan should be brought in?", False),
    ],
)
def test_an_english_question_asking_an_amount_in_yuan_asks_for_money(
    assistant: Assistant, question: str, money: bool
) -> None:
    assert bool(assistant.understand(question).units & {"元", "亿元"}) is money


def test_two_english_questions_in_one_sentence_are_two_parts(assistant: Assistant) -> None:
    query = assistant.understand("How many lifts are added to existing homes, and how many old ones renewed?")
    assert len(query.parts) == 2 and "old ones renewed" in query.parts[1].text


def test_a_capitalised_question_word_before_city_is_not_a_place() -> None:
    assert LIBRARY.scope("What city-wide initiative is that tied to?") == (None, ("zl2025",))


def test_it_after_a_which_question_is_the_thing_the_answer_named(assistant: Assistant) -> None:
    asked = ("提到要扩大哪个服务体系的覆盖面?", "计划原文：“…扩大“云上政务”服务体系覆盖面…” [zl2025/p22]")
    assert "云上政务" in assistant.understand("名词解释对它是怎么定义的?", [asked]).text


def test_a_hyphenated_english_word_is_read_as_its_words(assistant: Assistant) -> None:
    """ "urban-village" is the lexicon's "urban village" (城中村), not an unknown word."""
    terms = assistant.understand("Which urban-village sites are being renewed?").terms
    assert any("城中村" in t.forms for t in terms)


def test_what_a_term_stands_for_asks_its_definition() -> None:
    assert rules.question_kind('What does "QFLP" stand for?') == "definition"


def test_english_words_for_how_much_are_not_what_is_asked_about(assistant: Assistant) -> None:
    """ "growth target" asks how much; the subject is what is left (else any target answers)."""
    forms = {
        f for t in assistant.understand("What growth target is set for rooftop solar?").terms for f in t.forms
    }
    assert "屋顶光伏" in forms and not forms & {"目标", "增长"}


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("网上说今年增加学位一万个啊", {"10000"}),
        ("新建二十个公厕对吗?", {"20"}),
        ("十大行动有哪些?", set()),  # a name, not a count
        ("两个中心合并吧?", set()),
        ("“十四五”规划收官了吗?", set()),
    ],
)
def test_numbers_a_question_states_include_spoken_counts(question: str, numbers: set[str]) -> None:
    from assistant.answer.intent import asserted_numbers

    assert asserted_numbers(question) == numbers


@pytest.mark.parametrize(
    ("first", "second", "subject"),
    [
        ("今年新建、改建道路多少条?", "一共多长?", "道路"),  # a measure word names nothing
        ("今年新建几个口袋公园?", "有点名吗?", "口袋公园"),
        ("How many schools are being surveyed?", "Which of them are named?", "学校"),
        (
            "How many cross-border e-commerce firms are to be attracted?",
            "My boss said 50. Right?",
            "跨境电商企业",
        ),
    ],
)
def test_a_follow_up_naming_nothing_keeps_the_last_subject(
    assistant: Assistant, first: str, second: str, subject: str
) -> None:
    history = [(first, assistant.ask(first).text)]
    assert subject in [t.forms[0] for t in assistant.understand(second, history).terms]


def test_a_follow_up_asking_its_own_measure_does_not_carry_the_last_one(assistant: Assistant) -> None:
    history = [("今年新建、改建道路多少条?", assistant.ask("今年新建、改建道路多少条?").text)]
    query = assistant.understand("一共多长?", history)
    assert "公里" in query.units and "条" not in query.text


def test_this_year_is_a_time_not_a_pronoun(assistant: Assistant) -> None:
    history = [("What is a QFLP fund?", assistant.ask("What is a QFLP fund?").text)]
    query = assistant.understand("How big a fund is planned this year?", history)
    assert "this year" in query.text and not query.area


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("经开区在江苏省排名第几?", False),  # the district lies in Jiangsu: its rank there is asked
        ("Where does the economic development zone rank in Jiangsu?", False),
        ("江苏省今年GDP增长目标是多少?", True),  # Jiangsu's own figure is another document's
        ("常州市今年的GDP增速目标是多少?", True),
        ("孩子明年上学,今年区里开几所新学校?", False),  # asked about this year; next year is context
        ("明年开几所新学校?", True),
    ],
)
def test_a_place_the_plan_lies_in_and_a_year_beside_this_one(
    assistant: Assistant, question: str, refused: bool
) -> None:
    assert (assistant.understand(question).scope is not None) is refused


def test_the_most_specific_terms_stand_for_their_parts() -> None:
    from assistant.answer.terms import Term, most_specific

    qflp, fund, launch = Term(("qflp基金",), 5.6), Term(("基金", "资金"), 4.5), Term(("启用",), 4.7)
    assert most_specific([qflp, fund, launch]) == [qflp, launch]


@pytest.mark.parametrize(
    ("reference", "picked"),
    [
        ("第二个具体讲了什么?", "(二)做强经开区"),
        ("中间那个呢?", "(二)做强经开区"),
        ("the last one?", "(三)做大高新区"),
    ],
)
def test_a_position_in_the_last_list_names_that_item(
    assistant: Assistant, reference: str, picked: str
) -> None:
    listed = (
        "第一部分下分为：(一)做精老城区 [zl2025/p06] (二)做强经开区 [zl2025/p07] (三)做大高新区 [zl2025/p08]"
    )
    assert picked in assistant.understand(reference, [("第一个下面分哪几块?", listed)]).text


def test_it_after_a_topic_set_first_is_that_topic(assistant: Assistant) -> None:
    history = [
        (
            "What mechanism is used to push implementation?",
            assistant.ask("What mechanism is used to push implementation?").text,
        )
    ]
    query = assistant.understand("And 云上政务 — what's planned for it?", history)
    assert [t.forms[0] for t in query.terms] == ["云上政务"]
