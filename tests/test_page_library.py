"""The page over a library that grows: a staff upload (ASSISTANT_ALLOW_UPLOAD) adds a document, the
picker offers it and the chat and the tabs follow it, ``?doc=`` links pick it, and a broken file is
refused with the library left as it was.

One page over a small temporary library (the plan's first paragraphs, so each index build takes
seconds), with uploads on; ``uploaded`` adds the document through the browser once per module.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from document_fixtures import write_small_library, write_zip

import app
from assistant import Assistant, Settings
from assistant.corpus import load_corpus
from assistant.errors import DocumentUnreadable
from assistant.targets import extract_targets

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")

from test_browser import (  # noqa: E402  (after the importorskip)
    ANSWER_TIMEOUT_MS,
    DESKTOP,
    PANEL,
    ask,
    browser,  # noqa: F401  (a fixture)
    open_page,
    screenshot,
)

RIVERSIDE = ["2026年河滨区工作安排", "一、生态环境", "新增绿地20公顷，建成口袋公园4个。"]
RIVERSIDE_ID = "riverside2026"
UPLOAD_NOTE = "#zl-upload-note"


@pytest.fixture(scope="module")
def library_page(tmp_path_factory, assistant) -> Iterator[tuple[object, str, Path]]:
    """(demo, url, corpus directory): the page with uploads on, over its own small library."""
    root = tmp_path_factory.mktemp("page-library")
    settings = Settings(
        corpus_dir=write_small_library(root / "corpus"), data_dir=root / "data", allow_upload=True
    )
    page_assistant = Assistant(settings, embeddings=assistant.embeddings)  # the session's loaded model
    page_assistant.ingest()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = app.build_demo(page_assistant)
    app.launch(demo, "127.0.0.1", port, block=False, allow_upload=True)
    try:
        yield demo, f"http://127.0.0.1:{port}/", settings.corpus_dir
    finally:
        demo.close()
        shutil.rmtree(root, ignore_errors=True)


def upload(page, path: Path) -> str:
    """Choose ``path`` with the upload button; the note the page shows once it is handled."""
    page.locator("input[type=file]").set_input_files(str(path))
    note = page.locator(f"{UPLOAD_NOTE} [role]")
    note.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return note.inner_text()


@pytest.fixture(scope="module")
def uploaded(browser, library_page, tmp_path_factory) -> str:  # noqa: F811
    """The riverside plan, added through the page's upload button; its note."""
    _, url, _ = library_page
    path = tmp_path_factory.mktemp("upload") / "riverside.txt"
    path.write_text("\n".join(RIVERSIDE) + "\n", encoding="utf-8")
    page = open_page(browser, url, DESKTOP)
    assert not page.locator("#zl-doc").is_visible()  # one document: nothing to pick
    try:
        return upload(page, path)
    finally:
        page.close()


def test_uploads_on_open_the_upload_route_with_a_size_limit(library_page):
    demo, _, _ = library_page
    assert demo.max_file_size == 20 * 1024 * 1024


def test_a_staff_upload_adds_a_document_that_the_picker_offers(uploaded, library_page):
    _, _, corpus_dir = library_page
    assert f"Added {RIVERSIDE_ID} (2026年河滨区工作安排, 3 paragraphs)" in uploaded
    manifest = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in manifest["documents"]] == ["zl2025", RIVERSIDE_ID]
    assert (corpus_dir / f"{RIVERSIDE_ID}.txt").read_text(encoding="utf-8").splitlines() == RIVERSIDE


def test_a_doc_link_picks_the_document_for_the_chat_and_the_tabs(browser, library_page, uploaded):  # noqa: F811
    _, url, corpus_dir = library_page
    figures = len(extract_targets(load_corpus(corpus_dir).only(RIVERSIDE_ID)))
    page = open_page(browser, f"{url}?doc={RIVERSIDE_ID}", DESKTOP)
    try:
        picker = page.locator("#zl-doc input")
        picker.wait_for()
        page.wait_for_function(
            "() => document.querySelector('#zl-doc input').value === '2026年河滨区工作安排'", timeout=10_000
        )
        message = ask(page, "新增多少绿地?", "20公顷", f"{RIVERSIDE_ID}/p03")
        assert f"2026年河滨区工作安排 · {RIVERSIDE_ID}/p03" in message.inner_text()  # the chip names it
        assert "2026年河滨区工作安排" in page.locator(PANEL).inner_text()
        assert f"doc={RIVERSIDE_ID}" in (message.locator(".zl-link a").get_attribute("href") or "")
        page.get_by_role("tab", name="全文", exact=True).click()
        page.locator(f"#zl-plan #{RIVERSIDE_ID}-p03").wait_for()
        assert page.locator("#zl-plan #zl2025-p01").count() == 0
        page.get_by_role("tab", name="指标一览", exact=True).click()
        page.get_by_text(f"{figures} / {figures}").wait_for()
        assert page.locator("#zl-targets").get_by_text("20公顷", exact=True).last.is_visible()
        screenshot(page, "library-doc-link-1280x900.png")
    finally:
        page.close()


def test_an_unknown_doc_link_shows_the_default_document_with_a_note(browser, library_page, uploaded):  # noqa: F811
    _, url, _ = library_page
    page = open_page(browser, f"{url}?doc=nope", DESKTOP)
    try:
        note = page.locator("#zl-doc-note [role=status]")
        note.wait_for()
        assert "'nope' is not in the library; showing zl2025" in note.inner_text()
        assert page.locator("#zl-doc input").input_value() == "钟楼区2025年工作安排"
    finally:
        page.close()


def test_a_broken_upload_is_refused_and_the_library_is_unchanged(browser, library_page, uploaded, tmp_path):  # noqa: F811
    _, url, corpus_dir = library_page
    before = {p.name: p.read_bytes() for p in corpus_dir.iterdir() if not p.name.startswith(".")}
    page = open_page(browser, url, DESKTOP)
    try:
        note = upload(page, write_zip(tmp_path / "broken.docx"))
        assert page.locator(f"{UPLOAD_NOTE} .zl-error").is_visible()
        assert "broken.docx" in note and "Traceback" not in note
    finally:
        page.close()
    assert {p.name: p.read_bytes() for p in corpus_dir.iterdir() if not p.name.startswith(".")} == before


@pytest.mark.parametrize("name", ["plan.csv", "plan.exe", "plan"])
def test_only_documents_are_taken_by_extension(tmp_path, name):
    corpus_dir = write_small_library(tmp_path / "corpus")
    path = tmp_path / name
    path.write_text("2026年河滨区工作安排\n新增绿地20公顷。\n", encoding="utf-8")
    with pytest.raises(DocumentUnreadable, match=r"only \.txt, \.md, \.docx, \.pdf files"):
        app.add_upload(corpus_dir, path)
    assert [e["id"] for e in json.loads((corpus_dir / "manifest.json").read_text())["documents"]] == [
        "zl2025"
    ]
