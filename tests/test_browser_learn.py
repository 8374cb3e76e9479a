"""The page's learning and feedback parts in a real browser: a quiz, the overview, 👎 that reaches
`assistant feedback`, a shared ?q= link, keyboard-only use, and an axe-core audit of every tab.

Grouped per page load (each test opens the page once); screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from urllib.parse import quote

import pytest

from assistant.quiz import make_quiz
from assistant.targets import extract_targets

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

from test_browser import (  # noqa: E402  (after the importorskip)
    ANSWER_TIMEOUT_MS,
    ARTIFACTS,
    BOT,
    DESKTOP,
    PHONE,
    QUESTION,
    SLACK_PX,
    browser,  # noqa: F401  (a fixture)
    horizontal_overflow,
    open_page,
    screenshot,
    url,  # noqa: F401  (a fixture)
)

TABS = ["问答", "指标一览", "名词解释", "全文", "练一练", "一图读懂"]
VIEWPORTS = {"1280x900": DESKTOP, "375x812": PHONE}
SEED = 42
BLOCKING = {"serious", "critical"}


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_tab_passes_an_axe_audit(browser, url, size: str) -> None:  # noqa: F811
    page = open_page(browser, url, VIEWPORTS[size])
    try:
        box = page.locator(QUESTION)
        box.fill("今年新增多少绿地?")  # audit the chat with an answer, its sources and its buttons
        box.press("Enter")
        page.locator(BOT).filter(has_text="10公顷").last.wait_for(timeout=ANSWER_TIMEOUT_MS)
        found: dict[str, list[str]] = {}
        for name in TABS:
            open_tab(page, name)
            if name == "练一练":  # and the quiz with a question and its choices
                page.locator("#zl-quiz-start").click()
                page.locator("#zl-quiz-choices label").first.wait_for()
            page.wait_for_timeout(300)  # the tab's content renders
            found[name] = axe_violations(page)
        assert found == {name: [] for name in TABS}
    finally:
        page.close()


def test_a_quiz_of_five_scores_highlights_and_reviews_the_missed(browser, url, assistant) -> None:  # noqa: F811
    expected = make_quiz(extract_targets(assistant.corpus), count=5, lang="zh", seed=SEED)
    page = open_page(browser, url, DESKTOP)
    try:
        open_tab(page, "练一练")
        page.locator("#zl-quiz-seed input").fill(str(SEED))
        page.locator("#zl-quiz-start").click()
        for n, q in enumerate(expected):
            page.locator("#zl-quiz-question").filter(has_text=f"{n + 1} / 5").wait_for()
            assert q.prompt in page.locator("#zl-quiz-question").inner_text()
            pick = q.answer if n % 2 == 0 else next(c for c in q.choices if c != q.answer)
            page.locator("#zl-quiz-choices label").filter(has_text=pick).first.click()
            page.locator("#zl-quiz-check").click()
            result = page.locator("#zl-quiz-result")
            result.locator(".zl-quiz-result").wait_for()
            assert ("✓" if n % 2 == 0 else "✗") in result.inner_text()
            assert result.locator("mark", has_text=q.clause).is_visible()
            assert q.paragraph_id in result.inner_text()
            if n == 1:
                screenshot(page, "quiz-1280x900.png")
            page.locator("#zl-quiz-next").click()
        page.locator("#zl-quiz-score").filter(has_text="得分 3 / 5").wait_for()
        page.locator("#zl-quiz-review").click()
        page.locator("#zl-quiz-question").filter(has_text="1 / 2").wait_for()
        assert expected[1].prompt in page.locator("#zl-quiz-question").inner_text()
        page.set_viewport_size(PHONE)
        assert horizontal_overflow(page) <= SLACK_PX
        screenshot(page, "quiz-375x812.png")
    finally:
        page.close()


def test_the_overview_shows_the_outline_and_chart_and_opens_a_section(browser, url) -> None:  # noqa: F811
    page = open_page(browser, url, DESKTOP)
    try:
        open_tab(page, "一图读懂")
        outline = page.locator("#zl-outline")
        assert "(三)功能品质融合蝶变 13项指标" in outline.inner_text()
        chart = page.locator("#zl-chart img")
        chart.wait_for()
        assert page.evaluate("(img) => img.naturalWidth", chart.element_handle()) > 500
        png = page.locator("#zl-chart-download")
        assert png.is_visible()
        screenshot(page, "overview-1280x900.png")
        page.set_viewport_size(PHONE)
        assert horizontal_overflow(page) <= SLACK_PX
        screenshot(page, "overview-375x812.png")
        page.set_viewport_size(DESKTOP)

        with page.expect_download() as download:
            png.click()
        assert download.value.suggested_filename.endswith(".png")
        page.locator("#zl-overview-sections label").filter(has_text="二、(三)功能品质融合蝶变").click()
        target = page.locator("#zl-plan #zl2025-p12")
        target.wait_for()
        page.wait_for_function("() => document.querySelector('#zl-plan .zl-target')?.id === 'zl2025-p12'")
        assert page.get_by_role("tab", name="全文", exact=True).get_attribute("aria-selected") == "true"
    finally:
        page.close()


def test_a_thumbs_down_with_a_comment_is_listed_by_the_feedback_command(browser, url, settings) -> None:  # noqa: F811
    question = "今年新认定科小多少家?"
    page = open_page(browser, url, PHONE)
    try:
        box = page.locator(QUESTION)
        box.fill(question)
        box.press("Enter")
        message = page.locator(BOT).filter(has_text="480").last
        message.wait_for(timeout=ANSWER_TIMEOUT_MS)
        page.locator('#zl-chat button[aria-label="踩"], #zl-chat button[aria-label="Dislike"]').last.click()
        page.locator("#zl-feedback-note").filter(has_text="谢谢").wait_for()
        page.locator("#zl-comment textarea").fill("想看到高企的数字")
        page.locator("#zl-send-comment").click()
        page.locator("#zl-feedback-note").filter(has_text="评论已记录").wait_for()
        screenshot(page, "feedback-375x812.png")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "feedback-1280x900.png")
    finally:
        page.close()
    out = ARTIFACTS / "feedback.csv"
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "feedback", "--csv", str(out)],
        env={**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8-sig")) if r["question"] == question]
    assert rows and rows[-1]["rating"] == "-1" and rows[-1]["comment"] == "想看到高企的数字"
    assert "zl2025/p10" in rows[-1]["citations"] and "480" in rows[-1]["answer"]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_shared_link_asks_its_question_and_each_answer_links_back(browser, url, size: str) -> None:  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS[size], locale="zh-CN")
    try:
        page.goto(url + "?q=" + quote("今年新增多少绿地?"))
        message = page.locator(BOT).filter(has_text="10公顷").last
        message.wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert "zl2025/p12" in message.inner_text()
        href = message.locator(".zl-link a").get_attribute("href") or ""
        assert href == "?q=" + quote("今年新增多少绿地?", safe="")
        page.locator("#zl-copy-link").click()
        link = page.locator("#zl-link-box textarea, #zl-link-box input").first
        page.wait_for_function("(el) => el.value.includes('?q=')", arg=link.element_handle())
        assert link.input_value().startswith(url)
        screenshot(page, f"link-{size}.png")
    finally:
        page.close()


def test_the_page_is_in_english_for_an_english_browser_and_toggles_back(browser, url) -> None:  # noqa: F811
    page = open_page(browser, url, DESKTOP, locale="en-US")
    try:
        page.get_by_role("tab", name="Quiz", exact=True).wait_for()
        assert [t.inner_text().strip() for t in page.get_by_role("tab").all()][:6] == [
            "Chat",
            "Targets",
            "Glossary",
            "Browse",
            "Quiz",
            "Overview",
        ]
        assert page.evaluate("document.documentElement.lang") == "en"
        page.locator("#zl-lang label").filter(has_text="中文").click()
        page.get_by_role("tab", name="练一练", exact=True).wait_for()
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
    finally:
        page.close()


def test_keyboard_only_tab_to_the_box_enter_to_ask_then_open_the_citation(browser, url) -> None:  # noqa: F811
    page = open_page(browser, url, DESKTOP)
    try:
        focused = "(sel) => !!document.activeElement?.closest(sel)"
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement?.matches('#zl-question textarea')"):
                break
        else:
            pytest.fail("Tab never reached the question box")
        page.keyboard.type("今年新增多少绿地?")
        page.keyboard.press("Enter")
        page.locator(BOT).filter(has_text="10公顷").last.wait_for(timeout=ANSWER_TIMEOUT_MS)
        reached = []
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(focused, "#zl-sources"):
                reached.append("sources")
                page.keyboard.press("Space")
            if page.evaluate(focused, "#zl-open"):
                reached.append("open")
                break
        assert reached[0] == "sources" and reached[-1] == "open", reached
        page.locator("#zl-source-panel mark", has_text="新增绿地10公顷").wait_for()
        page.keyboard.press("Enter")
        page.locator("#zl-plan #zl2025-p12.zl-target mark", has_text="新增绿地10公顷").wait_for()
    finally:
        page.close()
