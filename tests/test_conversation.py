"""Conversations: follow-ups, questions about the last answer, and ``assistant chat``.

The page, the API (``/ask`` with history) and ``assistant chat`` give the same answers for the
same conversation; tests/test_app_client.py drives the page, this file the API and the chat.
"""

from __future__ import annotations

import io
import json

import pytest

from assistant import Assistant
from assistant.chat import run_chat

CONVERSATION = ["今年新增多少绿地?", "这个是哪一部分提出的?", "原文怎么说的?", "那去年呢?"]


def _converse(assistant: Assistant, questions: list[str]) -> list[str]:
    history: list[tuple[str, str]] = []
    for q in questions:
        history.append((q, assistant.ask(q, history=history).text))
    return [a for _, a in history]


def test_a_conversation_holds_together(assistant: Assistant) -> None:
    green, section, original, last_year = _converse(assistant, CONVERSATION)
    assert "10公顷" in green
    assert "功能品质融合蝶变" in section and "[zl2025/p12]" in section
    assert "新增绿地10公顷" in original  # the whole paragraph, quoted
    assert last_year.startswith("计划中没有提到这一点") and "10公顷" not in last_year


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("今年新认定科小多少家?", "那高企呢?", "超500家"),
        ("力争新增入库的省重大项目有几个?", "那市重大项目呢?", "市重大项目：7个"),
        ("What is the target for rooftop solar?", "Which section is that in?", "新质动能加速集聚"),
        ("什么是“综合执法进小区”?", "这在计划的哪一部分?", "功能品质融合蝶变"),
        ("算力中心计划规模多大?", "已经建成多少?", "430PB"),
        ("既有住宅电梯加装多少部?", "那更新改造呢?", "40部"),  # the follow-up's own word decides
        ("今年新增多少绿地?", "这写在哪个标题下面?", "功能品质融合蝶变"),
        ("算力中心计划规模多大?", "How much of it has been built so far?", "430PB"),  # reached, not planned
        ("今年民生实事候选项目梳理了几个?", "这些项目要经过什么程序?", "票决"),  # 这些 is the last subject
        # the passage's own run-in heading, inside the numbered section's paragraph
        ("今年新增多少绿地?", "这在哪个小节?", "“提升城市品质”一节"),
        (
            "How many public toilets will be built or renovated?",
            "Which chapter is that under?",
            "完善城市功能",
        ),
        ("今年新增多少绿地?", "把原文给我看看", "新增绿地10公顷。完成既有住宅"),  # the whole paragraph
        # "it" is the last subject, but the follow-up's own noun decides which of its figures
        (
            "How many member units form the business service alliance?",
            "And how many measures did it launch?",
            "43条",
        ),
        ("经开区在省级开发区中排名目标是多少?", "它的数字经济产业规模要增长多少?", "2位数增长"),
        ("今年新建、改建道路多少条?", "一共多长?", "新增里程10公里"),
        ("“三先三后”原则是什么意思?", "正文里这个原则用在哪里?", "客车厂"),  # the body, not the glossary
        ("今年新增多少绿地?", "那句的原文给我", "新增绿地10公顷。"),  # that sentence, whole
        ("Which community health centres are being merged?", "And which new centre gets built?", "医康养"),
        ("今年新增多少绿地?", "Where's that from?", "提升城市品质"),
        (
            "Which firm is to expand capacity on site?",
            "Quote me the original Chinese of that line, please.",
            "冈本工机",
        ),
        ("什么是“两个生命通道”?", "它在名词解释第几条?", "5. “两个生命通道”"),
        ("今年增加多少学位?", "网上说是一万个啊", "不对"),
        ("How many cross-border e-commerce firms are to be attracted?", "My boss said 50. Right?", "No."),
    ],
)
def test_a_follow_up_leans_on_the_turn_before(
    assistant: Assistant, first: str, second: str, expected: str
) -> None:
    assert expected in _converse(assistant, [first, second])[1]


def test_chat_keeps_history_and_starts_over(assistant: Assistant) -> None:
    stdin = io.StringIO(
        "\n".join(["今年新增多少绿地?", "哪一段?", "/new", "哪一段?", "/show zl2025/g10", ""])
    )
    stdout = io.StringIO()
    assert run_chat(assistant, stdin, stdout, as_json=True) == 0
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    green, where, new, alone, shown = lines
    assert "10公顷" in green["text"]
    assert "[zl2025/p12]" in where["text"]
    assert new == {"event": "new"}
    assert "[zl2025/p12]" not in alone["text"]  # the history was cleared: nothing to point at
    assert shown["id"] == "zl2025/g10"


def test_chat_and_api_give_the_same_answers(assistant: Assistant) -> None:
    stdout = io.StringIO()
    run_chat(assistant, io.StringIO("\n".join(CONVERSATION) + "\n"), stdout, as_json=True)
    chat_answers = [json.loads(line)["text"] for line in stdout.getvalue().splitlines()]
    assert chat_answers == _converse(assistant, CONVERSATION)


def test_chat_reports_a_bad_line_and_goes_on(assistant: Assistant) -> None:
    stdout = io.StringIO()
    run_chat(assistant, io.StringIO("/show zl2025/p99\n今年新增多少绿地?\n"), stdout, as_json=True)
    error, green = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert "zl2025/p99" in error["error"] and "10公顷" in green["text"]


def test_asking_where_things_stand_now_is_not_answered_with_a_target(assistant: Assistant) -> None:
    """ "目前排第几?" after the target "力争跻身…前20名": a plan states targets, not the present."""
    later = _converse(assistant, ["经开区在全省开发区排名上有什么目标?", "那它目前在省里排第几名?"])[1]
    assert later.startswith("计划中没有提到这一点") and "20名" not in later.split("最接近的段落")[0]


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("这个属于老城区部分吗?", "不是。"),
        ("So that falls under the old-town section, right?", "No. "),
        ("这个属于功能品质融合蝶变部分吗?", "是的。"),
    ],
)
def test_a_claim_about_where_the_last_answer_is_is_judged(
    assistant: Assistant, claim: str, verdict: str
) -> None:
    answer = _converse(assistant, ["今年新增多少绿地?", claim])[1]
    assert answer.startswith(verdict) and "功能品质融合蝶变" in answer and "[zl2025/p12]" in answer


def test_asking_for_a_figure_again_names_the_turn_it_means(assistant: Assistant) -> None:
    turns = ["算力中心计划规模多大?", "已经建成多少?", "它整合哪几类计算能力?", "刚才建成的那个数再说一遍"]
    assert "430PB" in _converse(assistant, turns)[-1]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("名词解释里“云上政务”怎么解释?", "音视频交互"),
        ("What does the glossary say about the two life passages?", "消防车道"),
        ("“阳光信托”是什么?名词解释里有吗?", "名词解释中没有这个词条"),  # the body uses it; no entry
    ],
)
def test_a_question_about_the_glossary_is_answered_from_its_entries_only(
    assistant: Assistant, question: str, expected: str
) -> None:
    assert expected in assistant.ask(question).text


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ["今年工作安排分了哪几个方面?"],
            ["一、坚持老城、经开、高新三区并进", "三、坚持底线、红线、防线三线同筑"],
        ),
        (["How is the plan organised?"], ["二、坚持生产、生活、生态三生融合 [zl2025/p09]"]),
        (["计划有哪几个部分?", "第二个下面又分哪几块?"], ["(一)新质动能加速集聚", "(四)民生福祉优质共享"]),
    ],
)
def test_the_outline_is_answered_from_the_headings(
    assistant: Assistant, turns: list[str], expected: list[str]
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert all(e in answer for e in expected)


def test_a_question_naming_its_subject_is_no_outline_question(assistant: Assistant) -> None:
    assert assistant.understand("经开区分了哪几块?").meta is None


def test_what_else_gives_other_sentences_than_the_last_answer(assistant: Assistant) -> None:
    _first, more = _converse(
        assistant,
        ["常信院与常交院联合升本是哪个部分的工作?", "What else does that part say about agriculture?"],
    )
    assert "现代农业产业高质量发展示范园" in more and "联合升本" not in more


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ["“零地增效”推到第几版了?", "它要达到什么效果?"],
            "载体空间、经济效益双提升",
        ),  # a version is in the name
        (["邹区人民医院新建项目今年能建成吧?"], "并非如此"),  # the plan says 主体施工, not 建成
        (["The new Zouqu People's Hospital opens this year, right?"], "Not quite"),
        (["异构算力中心规模多大?", "它建在哪个街道?"], "计划中没有提到这一点"),  # no place is given
        (
            ["On rural revitalization, what provincial park does the district want?"],
            "现代农业产业高质量发展示范园",
        ),
        (["Which strategy does the plan say it will implement in depth?"], "“532”发展战略"),
    ],
)
def test_versions_completion_claims_places_and_fields(
    assistant: Assistant, turns: list[str], expected: str
) -> None:
    assert expected in _converse(assistant, turns)[-1]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["孩子下学期转学,今年区里新增多少学位?"], "增加学位7000个"),  # the asker's own story names nothing
        (
            ["今年新开几所学校?", "还提到14所学校,那是干嘛的?"],
            "供需实际",
        ),  # the figure named picks its clause
        (["经开区数字经济规模要增长多少?", "我听说是要增长20%,对吧?"], "不对"),  # a claim is no story
    ],
)
def test_a_story_before_the_question_and_a_figure_named_in_it(
    assistant: Assistant, turns: list[str], expected: str
) -> None:
    assert expected in _converse(assistant, turns)[-1]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["老旧小区改造要启动几个?", "具体是哪些?"], "东头村"),  # "X等N个" names one for all
        (
            ["How many special plans are to be completed?", "Can you list those twelve livelihood projects?"],
            "does not say",
        ),
    ],
)
def test_lists_named_by_an_example_and_determiners_with_nouns_of_their_own(
    assistant: Assistant, turns: list[str], expected: str
) -> None:
    assert expected in _converse(assistant, turns)[-1]


@pytest.mark.parametrize(
    ("turns", "expected", "absent"),
    [
        # a figure asked back about the last answer is held against that answer, and the item the
        # asked figure belongs to is named: it is another item's, never confirmed
        (["老旧住宅电梯更新改造多少部?", "那就是39部吧?"], "这个数字说的是另一项", "对。"),
        (["How many old lifts will be renovated?", "So that's 39, correct?"], "another item", "Yes."),
        # ... but a claim naming its own subject is judged on that subject
        (
            ["今年高企要新认定多少家?", "专精特新企业超200家,这个没错吧?"],
            "专精特新企业超150家",
            "高企超500家",
        ),
        # completion and level are claims too: the plan's status and level words say whether
        (["邹区人民医院新建项目今年到什么程度?", "据说年内就能开诊了吧?"], "主体施工", "对。"),
        (
            [
                "What does the plan say about the ecological civilization demonstration zone?",
                "So the district already got that title?",
            ],
            "争创",
            "Yes",
        ),
        (["经开区排名目标是多少?", "高新区是要争创国家级高新区吧?"], "争创省级高新区", "对。"),
    ],
)
def test_claims_asked_back_are_judged_against_what_was_said(
    assistant: Assistant, turns: list[str], expected: str, absent: str
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert expected in answer and not answer.startswith(absent)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["名词解释第3条是什么?"], "1000PB"),  # a glossary entry by its number
        (["什么是“人人食堂”?", "那第5条呢?"], "消防车道"),  # ... also after a glossary answer
        # a determiner's noun picks the longer word of the last answer ending with it
        (["今年要建成什么样的“教联体”?", "这个机制指的是什么?"], "协同合作"),
        # a figure named as the subject: another one than the last answer's
        (["既有住宅电梯加装多少部?", "计划里另一个“40部”说的是什么?"], "更新改造"),
        # "which part" of a term the last answer does not have: where the plan says it
        (["公厕新建改造几个?", "“三管三必须”出现在哪一部分?"], "抓牢安全防线"),
        (["计划分了哪几个部分?", "第二部分下面有哪几个小标题?"], "新质动能加速集聚"),
        (
            ["What is the target for rooftop solar?", "Is that in the main text or the glossary?"],
            "新质动能加速集聚",
        ),
        # two questions in one message: the second is about what the first's pronoun stood for
        (["什么是区域异构算力中心?", "它计划规模多大,现在建成多少?"], "430PB"),
    ],
)
def test_glossary_numbers_determiners_figures_and_parts(
    assistant: Assistant, turns: list[str], expected: str
) -> None:
    assert expected in _converse(assistant, turns)[-1]


@pytest.mark.parametrize(
    ("turns", "expected", "abstained"),
    [
        # whether a main target has a number: no, and its goal in words
        (
            ["制造业投资增长多少?", "Is there a number for household disposable income?"],
            "与经济增长同步",
            False,
        ),
        (["一般公共预算收入有没有具体数字?"], "保持稳定增长", False),
        # elsewhere words are no target: the plan gives no number
        (["Any figure for the government debt ceiling?"], "does not say", True),
    ],
)
def test_whether_a_number_is_given(
    assistant: Assistant, turns: list[str], expected: str, abstained: bool
) -> None:
    history: list[tuple[str, str]] = []
    for q in turns:
        answer = assistant.ask(q, history=history)
        history.append((q, answer.text))
    assert expected in answer.text and answer.abstained is abstained


@pytest.mark.parametrize(
    ("turns", "expected", "absent"),
    [
        # a measure word the question asks is held to: 条 is not answered by 家
        (["营商环境服务联盟有多少家成员单位?", "发布了多少条为企服务举措?"], "43条", "25家"),
        # ... but a measure word carried from the last question is no constraint on a new subject
        (["新建、改建道路多少条?", "新增里程呢?"], "10公里", "没有提到"),
        # an English count of something the lexicon cannot read is not answered with another count
        (["How many seats will Mingkexiang kindergarten itself offer?"], "does not say", "5 schools"),
        # a number in words is a claim; a level the plan does not give is not borne out
        (
            [
                "What is the rooftop solar target?",
                "And they will cultivate three national-level green factories, right?",
            ],
            "No.",
            "Yes",
        ),
        (
            ["How many green factories?", "So that is one provincial-level green factory, correct?"],
            "No.",
            "Yes",
        ),
        (["Can you list those twelve livelihood projects?"], "does not say", "Yes"),
        # what is planned, not what is built already
        (
            ["What is the regional heterogeneous computing centre?", "How big is it planned to be?"],
            "1000PB",
            "430PB",
        ),
        # a claim's topic is judged in its own clause, not by a word of the next one
        (["危旧房治理今年推进几个?", "是在东头村那边吧?"], "东头村", "对。"),
    ],
)
def test_figures_are_held_to_what_was_asked(
    assistant: Assistant, turns: list[str], expected: str, absent: str
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert expected in answer and absent not in answer


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # members of a written-out list by position, or by a word they contain
        (["“十大行动”里最后一个是什么?"], "营商环境共建行动"),
        (["What are the first two of the ten actions?"], "助企暖企护航行动"),
        (["十大行动里跟法治有关的是哪个?"], "法治建设保障行动"),
        (["美食特色集聚区有哪些?", "第三个呢?"], "陈渡桥"),  # the last answer's list, by position
        # a counted word's members: the sentences heading passages with it
        (["政府自身建设讲了哪几个“始终”?"], "始终厉行法治有为之举"),
        # hearsay leading to a question of its own is a question, not a claim
        (["听说社区医院要合并,是哪两个中心?"], "南大街、荷花池中心"),
        (["人人食堂能送饭上门吗?"], "订餐外送"),
        # both a plan and what is reached, asked in one breath; a part naming its own subject keeps it
        (["名词解释里的算力中心,计划规模多大、已经建成多少?"], "已建成430PB"),
        (["屋顶光伏新增多少装机,绿色工厂培育几家?"], "绿色工厂1家"),
        (["Lifts: how many will be added to old homes, and how many old ones upgraded?"], "40部"),
        # a headline target in words comes with what its section sets for the same subject
        (["今年大气环境质量有什么目标?"], "国家二级标准"),
    ],
)
def test_members_of_lists_and_words_of_everyday_speech(
    assistant: Assistant, turns: list[str], expected: str
) -> None:
    assert expected in _converse(assistant, turns)[-1]


@pytest.mark.parametrize(
    ("turns", "expected", "absent"),
    [
        # a plan word is not cut by the asking words inside it ("智能工厂" holds 能); the level claimed
        # is judged, and the subject's own figure quoted
        (["智能工厂那边,是要拿下5家国家级的对吧?"], "省级智能工厂(车间)5家", "对。"),
        # what was reached before this year's target ("在完成首批4个试点基础上")
        (["城中村自主更新今年推进几个项目?", "在这之前已经完成几个了?"], "首批4个试点", "计划中没有提到"),
        # "this principle" in a body sentence: the glossary entry of the term that sentence uses
        (["客车厂片区开发要按一个原则来,这原则具体指什么?"], "先总体规划", "计划中没有提到"),
        # the slogan heading the quoted sentence is part of where it is
        (["灯具城今年有什么打算?", "这归在哪个提法下面?"], "强化“两大市场”", "计划中没有提到"),
        # English status claims without a tag question are judged
        (
            [
                "Is there anything about an ecological civilization demonstration zone?",
                "So the district has already been awarded that title?",
            ],
            "Not quite",
            "Yes",
        ),
        # "phase 2" names a thing, "第3条" a position: neither is a figure
        (["Is Tenglong Avenue phase 2 finished this year?"], "按期竣工", "The plan does not say"),
        (["名词解释第3条算力中心规模多大?"], "1000PB", "计划中没有提到"),
        # one character of everyday speech for the plan's word: 路 is 道路
        (["今年新修和改造的路一共多少条?"], "道路20条", "公厕"),
    ],
)
def test_words_kept_whole_and_claims_in_other_forms(
    assistant: Assistant, turns: list[str], expected: str, absent: str
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert expected in answer and not answer.startswith(absent)


@pytest.mark.parametrize(
    ("turns", "expected", "absent"),
    [
        # a follow-up naming only another part of the plan asks the last question of that part
        (
            [
                "Which industries will the development zone push to go high-end and intelligent?",
                "And in the old town?",
            ],
            "节能环保",
            "The plan does not say",
        ),
        # the outline, and a section of a part by its number
        (
            ["重点抓好的三方面工作分别是什么?", "第二方面下面第一个小节的标题是什么?"],
            "新质动能加速集聚",
            "计划中没有提到",
        ),
        # a claim that work only starts, where the plan has it finished
        (["腾龙大道二期今年有什么安排?", "今年只是开工吧?"], "按期竣工", "对。"),
        # a claim is about what comes before its copula ("…的底线是…"), not the last subject
        (
            ["安全生产要抓好多少家工业企业?", "所以要守住的底线是不发生一般安全事故,对吧?"],
            "较大以上安全事故底线",
            "对。",
        ),
        # a year one part of a message names holds for the others
        (
            ["How many public toilets this year?", "What about the year before? How many did they do then?"],
            "does not say",
            "18个",
        ),
    ],
)
def test_parts_of_the_plan_outline_and_claims_of_status(
    assistant: Assistant, turns: list[str], expected: str, absent: str
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert expected in answer and absent not in answer


@pytest.mark.parametrize(
    ("turns", "expected", "absent"),
    [
        # everyday names of the plan's terms ("科小企业" is 科小)
        (["今年计划新认定多少家科小企业?"], "科小超480家", "计划中没有提到"),
        # where a term just defined is used: the body, not its glossary entry
        (["“三先三后”原则是什么意思?", "这个原则要用在哪里?"], "客车厂等片区开发", "出自「名词解释」"),
        # "具体都是哪些?" asks the members, 都 is no subject
        (["老旧小区改造要启动几个?", "具体都是哪些?"], "东头村", "计划中没有提到"),
    ],
)
def test_figures_said_of_the_subject_and_where_terms_are_used(
    assistant: Assistant, turns: list[str], expected: str, absent: str
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert expected in answer and not answer.startswith(absent)


@pytest.mark.parametrize(
    ("turns", "expected", "absent"),
    [
        # "the figure again" after a turn the plan could not answer repeats the last figure given
        (
            [
                "How many fitness path points will be built or updated?",
                "What about the year before?",
                "The figure again?",
            ],
            "60个",
            "The plan does not say",
        ),
        # "what are they?" asks the members of a count the plan never lists
        (
            ["How many livelihood projects were put to the vote?", "What are they, specifically?"],
            "does not say",
            "12",
        ),
    ],
)
def test_the_figure_again_and_members_never_listed(
    assistant: Assistant, turns: list[str], expected: str, absent: str
) -> None:
    answer = _converse(assistant, turns)[-1]
    assert expected in answer and not answer.startswith(absent)
