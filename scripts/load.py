"""Load test of the page: N gradio_client users, each asking 20 questions through ``/ask`` at once.

``make load`` (or ``python scripts/load.py --users 50``) starts ``python app.py`` on a free port
(or targets ``--url``), runs the users on threads and prints p50/p95 latency, errors and
rejections (requests the queue refused). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "今年新增多少绿地?",
    "What is the target for rooftop solar?",
    "什么是“三先三后”原则?",
    "高企要达到多少家?",
    "2024年GDP增长多少?",
    "今年新建、改建多少条道路?",
    "公厕呢?",
    "地区生产总值增长目标是多少?",
    "How many public toilets will be built or renovated?",
    "老旧住宅电梯更新改造多少部?",
    "What is the GDP growth target?",
    "今年引进超亿元产业项目多少个?",
    "瓶装液化气改造多少户?",
    "How many pocket parks are planned?",
    "新增里程多少公里?",
    "制造业投资增长多少?",
    "钟楼区今年的火星基地建设目标是什么?",
    "What does the plan say about elderly care?",
    "城镇新增就业多少人?",
    "How much new green space?",
]
PREFIXES = {
    "zh": ["", "请问", "我想知道", "问一下"],
    "en": ["", "Please tell me: ", "Quick question: ", "Hi! "],
}
REJECTED = ("queue is full", "too many requests", "429")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)  # the answer's own timings["total"]
    errors: list[str] = field(default_factory=list)
    rejections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def user(url: str, number: int, questions: int, tally: Tally, start: threading.Barrier) -> None:
    from gradio_client import Client

    try:
        # A person waits for an answer in the queue; the client's default read timeout would not.
        client = Client(url, verbose=False, analytics_enabled=False, httpx_kwargs={"timeout": 300})
    except Exception as exc:
        with tally.lock:
            tally.errors.append(f"user {number} could not connect: {exc!r}")
        start.wait()
        return
    start.wait()  # all users fire together
    for n in range(questions):
        base = QUESTIONS[(number + n) % len(QUESTIONS)]
        prefixes = PREFIXES["en" if base.isascii() else "zh"]
        question = prefixes[(number // len(QUESTIONS) + n) % len(prefixes)] + base
        began = time.perf_counter()
        try:
            result = client.predict(question, api_name="/ask")
        except Exception as exc:
            with tally.lock:
                if any(r in str(exc).lower() for r in REJECTED):
                    tally.rejections += 1
                else:
                    tally.errors.append(f"{question}: {exc!r}")
            continue
        seconds = time.perf_counter() - began
        with tally.lock:
            if "error" in result:
                tally.errors.append(f"{question}: {result['error']}")
            else:
                tally.latencies.append(seconds)
                tally.server_ms.append(float(result.get("timings", {}).get("total", 0.0)))
    client.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_page(port: int) -> subprocess.Popen[bytes]:
    """``python app.py`` on ``port``; returns once the page answers."""
    page = subprocess.Popen(
        [sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300  # the first start builds the index
    while time.monotonic() < deadline:
        if page.poll() is not None:
            raise SystemExit(f"app.py exited with {page.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return page
        except OSError:
            time.sleep(0.5)
    page.kill()
    raise SystemExit("app.py did not start within 300 s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--questions", type=int, default=20, help="questions per user")
    parser.add_argument("--url", default=None, help="a running page; default: start app.py on a free port")
    args = parser.parse_args(argv)

    page = None
    url = args.url
    if url is None:
        port = free_port()
        page = start_page(port)
        url = f"http://127.0.0.1:{port}/"
    try:
        tally = Tally()
        start = threading.Barrier(args.users + 1)
        threads = [
            threading.Thread(target=user, args=(url, n, args.questions, tally, start), daemon=True)
            for n in range(args.users)
        ]
        for t in threads:
            t.start()
        start.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        if page is not None:
            page.terminate()
            page.wait(timeout=30)

    total = args.users * args.questions
    lat = tally.latencies
    print(f"users {args.users} x {args.questions} questions = {total} requests against {url}")
    print(f"answered {len(lat)} in {wall:.1f} s ({len(lat) / wall:.1f}/s)")
    if lat:
        print(
            f"latency p50 {statistics.median(lat):.2f} s, p95 {percentile(lat, 0.95):.2f} s, "
            f"max {max(lat):.2f} s"
        )
    if tally.server_ms:
        ms = tally.server_ms
        print(
            f"of which answering (server) p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms"
        )
    print(f"errors {len(tally.errors)}, rejections {tally.rejections}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    return 0 if not tally.errors and not tally.rejections else 1


if __name__ == "__main__":
    sys.exit(main())
