"""The quiz: every question, answer and wrong choice comes from the plan's text; answers are judged
by value and unit; the same seed gives the same quiz."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.figures import find_figures
from assistant.quiz import (
    BLANK,
    CHOICES,
    Question,
    askable,
    check,
    choice_label,
    make_quiz,
    missed,
    quiz_sections,
    result_html,
    score,
)
from assistant.targets import extract_targets

CORPUS = load_corpus(Settings().corpus_dir)
TARGETS = extract_targets(CORPUS)
PLAN_FIGURES = {f.text for p in CORPUS.paragraphs for f in find_figures(p.text)}
SECTIONS = ["", *quiz_sections(TARGETS)]


def _value(figure: str) -> float | None:
    return find_figures(figure)[0].value


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["choice", "typed"])
def test_every_question_and_choice_is_a_figure_of_the_plan(section: str, lang: str, mode: str) -> None:
    for seed in range(6):
        for q in make_quiz(TARGETS, count=10, lang=lang, section=section, mode=mode, seed=seed):  # type: ignore[arg-type]
            paragraph = CORPUS.paragraph(q.paragraph_id)
            assert q.clause in paragraph.text, q
            assert q.answer in q.clause and q.answer in PLAN_FIGURES, q
            assert not section or q.section == section
            if mode == "typed":
                assert q.choices == ()
                continue
            assert len(q.choices) == CHOICES and q.answer in q.choices
            assert all(c in PLAN_FIGURES for c in q.choices), q.choices
            assert {find_figures(c)[0].unit for c in q.choices} == {q.unit}
            assert len({_value(c) for c in q.choices}) == CHOICES, f"values repeat: {q.choices}"
            assert BLANK in q.prompt or "目标" in q.prompt or "target" in q.prompt


def test_the_same_seed_gives_the_same_quiz_and_another_seed_another() -> None:
    assert make_quiz(TARGETS, seed=7) == make_quiz(TARGETS, seed=7)
    assert make_quiz(TARGETS, seed=7) != make_quiz(TARGETS, seed=8)


def test_a_quiz_has_the_asked_number_of_questions_one_per_clause() -> None:
    quiz = make_quiz(TARGETS, count=5, seed=0)
    assert [q.number for q in quiz] == [1, 2, 3, 4, 5]
    assert len({q.clause for q in make_quiz(TARGETS, count=40, mode="typed", seed=0)}) == len(
        make_quiz(TARGETS, count=40, mode="typed", seed=0)
    )


def test_the_plans_figures_are_asked_by_their_subject_from_the_figure_table() -> None:
    green = next(t for t in TARGETS if t.figure == "10公顷")
    [q] = make_quiz([green], count=1, mode="typed")
    assert q.prompt == "今年新增绿地的目标是多少?"
    [q] = make_quiz([green], count=1, mode="typed", lang="en")
    assert q.prompt == "What is the target for green space (新增绿地)?"


def test_a_cloze_blanks_the_figure_in_the_plans_clause() -> None:
    green = replace(next(t for t in TARGETS if t.figure == "10公顷"), subject="")
    [q] = make_quiz([green], count=1, mode="typed")
    assert q.prompt == f"计划原文填空:“新增绿地{BLANK}”"
    [q] = make_quiz([green], count=1, mode="typed", lang="en")
    assert q.prompt == f"Fill in the plan's figure: “新增绿地{BLANK}”"


@dataclass(frozen=True)
class WithSubject:
    """A row of the coming figure table: a target plus what it counts."""

    figure: str
    unit: str
    value: float | None
    measure: str
    paragraph_id: str
    section: str
    subject: str | None


@pytest.mark.parametrize(
    ("lang", "prompt"),
    [("zh", "今年新增绿地的目标是多少?"), ("en", "What is the target for 新增绿地?")],
)
def test_a_figure_with_a_subject_is_asked_by_its_subject(lang: str, prompt: str) -> None:
    row = WithSubject(
        "10公顷", "公顷", 10.0, "新增绿地10公顷", "zl2025/p12", "二、(三)功能品质融合蝶变", "新增绿地"
    )
    [q] = make_quiz([row], count=1, mode="typed", lang=lang)  # type: ignore[arg-type]
    assert q.prompt == prompt


GREEN = Question(1, "", "10公顷", (), "新增绿地10公顷", "zl2025/p12", "", "公顷", "zh")
SOLAR = Question(
    1, "", "20兆瓦以上", (), "全年新增屋顶光伏装机容量20兆瓦以上", "zl2025/p10", "", "兆瓦", "en"
)
PROJECTS = Question(1, "", "2-3个", (), "力争实施2-3个项目", "zl2025/p05", "", "个", "zh")


@pytest.mark.parametrize(
    ("question", "typed", "correct"),
    [
        (GREEN, "10公顷", True),
        (GREEN, "１０ 公顷", True),  # full-width digits, a space
        (GREEN, "10 hectares", True),
        (GREEN, "10.0公顷", True),
        (GREEN, "10亩", False),  # the value alone is not enough
        (GREEN, "12公顷", False),
        (SOLAR, "20兆瓦", True),  # the qualifier is not asked
        (SOLAR, "20 MW", True),
        (SOLAR, "20千瓦", False),
        (PROJECTS, "2-3个", True),
        (PROJECTS, "2～3个", True),
        (PROJECTS, "2个", False),  # a range is the whole range
    ],
)
def test_a_typed_answer_is_checked_by_value_and_unit(question: Question, typed: str, correct: bool) -> None:
    assert check(question, typed).correct is correct


@pytest.mark.parametrize("typed", ["", "   ", "ten", "10"])
def test_a_typed_answer_without_a_figure_is_wrong_and_says_what_to_write(typed: str) -> None:
    result = check(GREEN, typed)
    assert not result.correct
    assert "单位" in result.message or "作答" in result.message


def test_a_choice_is_right_only_when_it_is_the_plans_figure() -> None:
    q = next(q for q in make_quiz(TARGETS, count=5, seed=2))
    wrong = next(c for c in q.choices if c != q.answer)
    assert check(q, q.answer).correct and not check(q, wrong).correct
    assert q.answer in check(q, wrong).message


def test_the_score_and_the_review_round_hold_the_missed_questions() -> None:
    quiz = make_quiz(TARGETS, count=5, seed=3)
    given = [
        q.answer if n % 2 == 0 else next(c for c in q.choices if c != q.answer) for n, q in enumerate(quiz)
    ]
    results = [check(q, g) for q, g in zip(quiz, given, strict=True)]
    assert score(results) == (3, 5)
    review = missed(quiz, results, seed=3)
    assert [q.answer for q in review] == [quiz[1].answer, quiz[3].answer]
    assert [q.number for q in review] == [1, 2]
    assert all(set(r.choices) == set(q.choices) for r, q in zip(review, [quiz[1], quiz[3]], strict=True))


def test_the_result_marks_the_plans_clause_in_its_paragraph() -> None:
    green = next(t for t in TARGETS if t.figure == "10公顷")
    [q] = make_quiz([green], count=1, mode="typed")
    html = result_html(q, check(q, "12公顷"), CORPUS.paragraph("zl2025/p12"))
    assert "<mark>新增绿地10公顷</mark>" in html
    assert "zl2025/p12" in html and "zl-quiz-wrong" in html


def test_an_english_quiz_shows_each_choice_in_english_too() -> None:
    assert choice_label("20兆瓦以上", "en") == "20兆瓦以上 (20 MW or more)"
    assert choice_label("20兆瓦以上", "zh") == "20兆瓦以上"


def test_only_figures_in_digits_are_asked() -> None:
    assert all(t.value is not None for t in askable(TARGETS))
    assert len(askable(TARGETS)) >= 40
