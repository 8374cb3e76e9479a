"""The page as a server: the ``/ask`` endpoint through gradio_client, and the safe defaults.

``build_demo(assistant)`` is launched on a free port with app.launch (the same options as
``python app.py``); each test talks to it with a fresh ``gradio_client.Client``.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from gradio_client import Client

import app

pytestmark = pytest.mark.server

TIMEOUT_S = 60


@pytest.fixture(scope="module")
def served(served_app: tuple[object, str]) -> tuple[object, str]:
    return served_app


@pytest.fixture
def client(served) -> Iterator[Client]:
    c = Client(served[1], verbose=False, analytics_enabled=False)
    yield c
    c.close()


def ask(client: Client, *args: object) -> dict:
    return client.submit(*args, api_name="/ask").result(timeout=TIMEOUT_S)


@pytest.mark.parametrize(
    ("question", "figure", "paragraph_id", "lang"),
    [
        ("今年新增多少绿地?", "10公顷", "zl2025/p12", "zh"),
        ("What is the target for rooftop solar?", "20兆瓦以上", "zl2025/p10", "en"),
    ],
)
def test_ask_answers_with_the_figure_and_its_paragraph(client, question, figure, paragraph_id, lang):
    answer = ask(client, question)
    assert figure in answer["text"]
    assert paragraph_id in [c["id"] for c in answer["citations"]]
    assert answer["abstained"] is False and answer["lang"] == lang
    cited = next(c for c in answer["citations"] if c["id"] == paragraph_id)
    assert figure in cited["text"]


def test_a_question_outside_the_plan_is_an_abstention(client):
    answer = ask(client, "2024年GDP增长多少?")
    assert answer["abstained"] is True
    assert answer["text"].startswith("计划中没有提到")
    assert answer["citations"]  # the nearest paragraphs


@pytest.mark.parametrize("question", ["", " ？？ "])
def test_an_empty_question_gets_a_friendly_message(client, question):
    answer = ask(client, question)
    assert "问题为空" in answer["error"]
    assert "Traceback" not in answer["error"]
    assert "text" not in answer


def test_a_very_long_question_is_truncated_with_a_note(client):
    answer = ask(client, "今年新增多少绿地?" + "绿" * 10_000)
    assert any("truncated" in note for note in answer["notes"]), answer["notes"]
    assert answer["citations"]


@pytest.mark.parametrize(
    "history",
    [
        [["今年新增多少绿地?", "计划原文：“新增绿地10公顷” [zl2025/p12]"]],
        '[["今年新增多少绿地?", "计划原文：“新增绿地10公顷” [zl2025/p12]"]]',
    ],
)
def test_history_is_accepted_as_pairs_or_json(client, history):
    answer = ask(client, "公厕呢?", history)
    assert "error" not in answer
    assert answer["citations"]


@pytest.mark.parametrize("doc", ["zl2025", "", None])
def test_a_document_answers_unscoped_questions(client, doc):
    answer = client.predict("今年新增多少绿地?", doc=doc, api_name="/ask")
    assert "10公顷" in answer["text"]
    assert "zl2025/p12" in [c["id"] for c in answer["citations"]]


def test_an_unknown_document_gets_a_friendly_message(client):
    answer = ask(client, "今年新增多少绿地?", None, None, "nope")
    assert answer["error"] == "No document 'nope' in the library; it holds zl2025."
    assert "text" not in answer


def test_a_malformed_history_gets_a_friendly_message(client):
    answer = ask(client, "今年新增多少绿地?", "{not json")
    assert "history" in answer["error"]


def test_only_ask_is_in_the_api(client):
    assert list(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == ["/ask"]


def test_safe_defaults(served):
    demo, url = served
    assert url.startswith("http://127.0.0.1:")
    assert demo.share is False
    assert demo.show_error is False
    assert demo.max_file_size is not None and demo.max_file_size <= 1024
    assert demo._queue.max_size == app.QUEUE_SIZE
    assert demo.config["analytics_enabled"] is False


def _component(demo, elem_id: str) -> dict:
    return next(c for c in demo.config["components"] if c.get("props", {}).get("elem_id") == elem_id)


def test_the_targets_csv_is_served(served):
    demo, url = served
    value = _component(demo, "zl-download")["props"]["value"]
    with urllib.request.urlopen(urllib.parse.urljoin(url, value["url"]), timeout=10) as response:
        rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8-sig"))))
    assert len(rows) >= 50
    assert {"figure": "10公顷", "paragraph_id": "zl2025/p12"}.items() <= next(
        r for r in rows if r["figure"] == "10公顷"
    ).items()


@pytest.mark.parametrize("path", ["/etc/passwd", str(app.__file__)])
def test_other_files_are_not_served(served, path):
    _, url = served
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{url}gradio_api/file={path}", timeout=10)
    assert caught.value.code in (403, 404)


@pytest.mark.parametrize("path", ["gradio_api/upload", "gradio_api/upload/", "gradio_api/upload?upload_id=x"])
def test_uploads_are_refused(served, path):
    """The page takes no files: a small multipart upload is refused, and nothing lands in the cache."""
    _, url = served
    boundary = "zl-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        f"{url}{path}",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 403


@pytest.mark.parametrize("question", ["今年新增多少\ud800绿地?", "\ud800", "\udcff\udcfe"])
def test_lone_surrogates_through_the_api_get_an_answer_or_an_error_not_a_crash(served, question):
    """JSON may escape a lone surrogate ("\\ud800"); gradio_client cannot send one, so raw HTTP."""
    _, url = served
    body = json.dumps({"data": [question, None, None]}).encode()  # ASCII: the surrogate escaped
    start = urllib.request.Request(
        f"{url}gradio_api/call/ask", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(start, timeout=TIMEOUT_S) as response:
        event_id = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/ask/{event_id}", timeout=TIMEOUT_S) as response:
        stream = response.read().decode("utf-8")
    assert "event: complete" in stream, stream
    (answer,) = json.loads(stream.split("event: complete\ndata:", 1)[1].strip())
    assert answer.get("citations") or answer.get("error"), answer
    assert answer.get("error") != app.INTERNAL_ERROR
