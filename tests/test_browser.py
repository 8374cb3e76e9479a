"""The page in a real browser (Debian's Chromium, headless): ask, read the source, on desktop and phone.

Screenshots go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.targets import extract_targets

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SLACK_PX = 2  # sub-pixel rounding
ANSWER_TIMEOUT_MS = 30_000

QUESTION = "#zl-question textarea"
BOT = '[data-testid="bot"]'
PANEL = "#zl-source-panel"


@pytest.fixture(scope="module")
def url(served_app: tuple[object, str]) -> str:
    return served_app[1]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(browser, url: str, viewport: dict[str, int], locale: str = "zh-CN"):
    """The page as a browser in ``locale`` shows it, once its labels are in that language."""
    page = browser.new_page(viewport=viewport, locale=locale)
    page.goto(url)
    page.locator(QUESTION).wait_for()
    page.locator("#zl-lang input:checked").wait_for(state="attached")
    return page


def ask(page, question: str, *expected: str):
    """Type a question, submit it, and return the bot message that contains every expected text."""
    box = page.locator(QUESTION)
    box.fill(question)
    box.press("Enter")
    message = page.locator(BOT)
    for text in expected:
        message = message.filter(has_text=text)
    message.last.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return message.last


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def within_width(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= page.viewport_size["width"] + SLACK_PX
    )


@pytest.fixture
def desktop(browser, url):
    page = open_page(browser, url, DESKTOP)
    yield page
    page.close()


@pytest.fixture
def phone(browser, url):
    page = open_page(browser, url, PHONE)
    yield page
    page.close()


def test_a_chinese_question_shows_the_answer_and_its_highlighted_source(desktop, url):
    requested: list[str] = []
    desktop.on("request", lambda request: requested.append(request.url))
    message = ask(desktop, "今年新增多少绿地?", "10公顷", "zl2025/p12")
    assert "zl2025/p12 · 二、(三)功能品质融合蝶变" in message.inner_text()
    desktop.locator("#zl-sources label", has_text="zl2025/p12").click()
    panel = desktop.locator(PANEL)
    assert "二、(三)功能品质融合蝶变" in panel.inner_text()
    assert panel.locator("mark", has_text="新增绿地10公顷").is_visible()
    screenshot(desktop, "chat-1280x900.png")

    desktop.locator("#zl-open").click()
    target = desktop.locator("#zl-plan #zl2025-p12")
    target.locator("mark", has_text="新增绿地10公顷").wait_for()
    assert "zl-target" in (target.get_attribute("class") or "")
    desktop.wait_for_function(
        "() => { const r = document.getElementById('zl2025-p12').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }",
        timeout=5_000,
    )
    desktop.screenshot(path=str(ARTIFACTS / "browse-1280x900.png"))
    assert requested and all(u.startswith(url) for u in requested), "the page must work offline"


def test_an_english_question_fits_a_phone(phone):
    message = ask(phone, "What is the target for rooftop solar?", "20兆瓦以上", "zl2025/p10")
    assert "20 MW or more" in message.inner_text()
    assert horizontal_overflow(phone) <= SLACK_PX
    assert within_width(phone, phone.locator(QUESTION))
    assert within_width(phone, message)
    assert "zl2025/p10" in phone.locator(PANEL).inner_text()
    screenshot(phone, "chat-375x812.png")


def test_a_question_outside_the_plan_is_a_notice_with_nearest_paragraphs(phone):
    message = ask(phone, "2024年GDP增长多少?", "计划中没有提到")
    assert message.locator(".zl-abstain").is_visible()
    options = phone.locator("#zl-sources label")
    assert options.count() >= 2
    second = options.nth(1).inner_text().split(" · ")[0].strip()
    options.nth(1).click()
    phone.locator(f'{PANEL} [data-paragraph="{second}"]').wait_for()
    assert horizontal_overflow(phone) <= SLACK_PX
    screenshot(phone, "abstain-375x812.png")


def test_an_empty_question_gets_a_friendly_message(desktop):
    message = ask(desktop, "", "问题为空")
    assert message.locator(".zl-error").is_visible()
    assert "Traceback" not in desktop.content()


def test_the_targets_table_filters_and_fits_a_phone(phone, assistant):
    total = len(extract_targets(assistant.corpus))
    phone.get_by_role("tab", name="指标一览", exact=True).click()
    phone.get_by_text(f"{total} / {total}").wait_for()
    phone.locator("#zl-target-filter textarea, #zl-target-filter input").first.fill("绿地")
    phone.get_by_text(f"1 / {total}").wait_for()
    table = phone.locator("#zl-targets")
    # .last: the first match sits in the table's hidden sizing row
    assert table.get_by_text("10公顷", exact=True).last.is_visible()  # the first column
    assert table.get_by_text("新增绿地10公顷").count() >= 1  # further right: scrolls within the table
    assert horizontal_overflow(phone) <= SLACK_PX
    screenshot(phone, "targets-375x812.png")


def test_the_glossary_lists_every_term(desktop):
    desktop.get_by_role("tab", name="名词解释", exact=True).click()
    terms = desktop.locator("#zl-glossary dt")
    terms.first.wait_for()
    assert terms.count() == 11
    assert "先总体规划,后分步实施" in desktop.locator("#zl2025-g10").inner_text()
