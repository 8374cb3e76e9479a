"""A scripted OpenAI-compatible chat server for tests (stdlib only): a fake, since no model runs here.

The test sets the next reply (text, delay, HTTP status, streaming pace, or a raw body such as an
HTML page or an SSE stream of invalid JSON) and reads the requests it received; ``POST /v1/chat/completions`` answers as JSON or, with ``"stream": true``, as SSE chunks.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant import Assistant

COMPLETIONS_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Reply:
    """What the server answers next."""

    text: str = ""
    delay: float = 0.0  # seconds before the response starts
    status: int = 200
    chunk_chars: int = 3  # characters per streamed delta: small, so citation tags arrive in pieces
    chunk_delay: float = 0.0  # seconds between streamed deltas
    body: str | None = None  # sent verbatim instead of a completion: a broken or lying server
    content_type: str = "text/event-stream"  # ... with this Content-Type (status 200)


# Replies no OpenAI-compatible server should send, each as (body, content type).
INVALID_JSON_STREAM = (
    'data: {"id": "x", "choices": [{"delta": {"content": "新增绿地10公顷\n\n',
    "text/event-stream",
)
HTML_PAGE = ("<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>", "text/html")
EMPTY_STREAM = ("", "text/event-stream")
DONE_ONLY_STREAM = ("data: [DONE]\n\n", "text/event-stream")
WRONG_SHAPE_STREAM = ('data: {"choices": "none"}\n\ndata: [DONE]\n\n', "text/event-stream")


class ScriptedLLM:
    """The server and its script: ``reply(...)`` sets the answer; ``last_request`` is the last body."""

    def __init__(self) -> None:
        self._reply = Reply()
        self._lock = threading.Lock()
        self._requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()  # wakes handlers that are still sleeping at shutdown
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- the script ---------------------------------------------------------------------------

    def reply(self, text: str, **options: Any) -> None:
        with self._lock:
            self._reply = Reply(text, **options)

    def next_reply(self) -> Reply:
        with self._lock:
            return self._reply

    def record(self, body: dict[str, Any]) -> None:
        with self._lock:
            self._requests.append(body)

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> dict[str, Any]:
        requests = self.requests
        assert requests, "the LLM stub has not received a request"
        return requests[-1]

    def last_prompt(self) -> str:
        """The text of all messages of the last request, joined."""
        return "\n".join(str(m.get("content", "")) for m in self.last_request["messages"])

    # -- the server ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedLLM:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.script = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="llm-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server_version = "llm-stub/1"

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    @property
    def script(self) -> ScriptedLLM:
        return self.server.script  # type: ignore[attr-defined]

    def do_POST(self) -> None:
        if self.path != COMPLETIONS_PATH:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.script.record(body)
        reply = self.script.next_reply()
        if self.script.stopping.wait(reply.delay):
            return
        try:
            if reply.body is not None:
                self._raw(reply.body, reply.content_type)
            elif reply.status != 200:
                self._json(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
            elif body.get("stream"):
                self._stream(reply, str(body.get("model", "stub")))
            else:
                self._json(200, _completion(reply.text, str(body.get("model", "stub"))))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _raw(self, body: str, content_type: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, reply: Reply, model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()  # HTTP/1.0: the body ends when the connection closes
        pieces = [reply.text[i : i + reply.chunk_chars] for i in range(0, len(reply.text), reply.chunk_chars)]
        for n, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if n == 0 else {"content": piece}
            self._event(_chunk(model, delta, None))
            if reply.chunk_delay and self.script.stopping.wait(reply.chunk_delay):
                return
        self._event(_chunk(model, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, payload: dict[str, Any]) -> None:
        self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
        self.wfile.flush()


def _chunk(model: str, delta: dict[str, str], finish_reason: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def llm_assistant(shared: Assistant, url: str, **changes: Any) -> Assistant:
    """An LLM-mode assistant talking to ``url``, over ``shared``'s index and already-loaded model.

    Same corpus, model and data directory, so the same index fingerprint: nothing is rebuilt.
    """
    settings = shared.settings.with_(mode="llm", llm_base_url=url, llm_model="stub").with_(**changes)
    return Assistant(settings, embeddings=shared.embeddings)  # loading e5 again would cost seconds
