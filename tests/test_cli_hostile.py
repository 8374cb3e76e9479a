"""The CLI as a careless operator runs it (issue 10, item 4): undecodable arguments, an ASCII
terminal, a data directory that is a device. Real subprocesses; never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant import Assistant
from assistant.config import REPO_ROOT

pytestmark = pytest.mark.slow

GREEN_Q = "今年新增多少绿地?"


def _run(args: list[str | bytes], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"assistant.cli",
            *[a.encode() if isinstance(a, str) else a for a in args],
        ],
        capture_output=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=180,
    )


@pytest.fixture(scope="module")
def env(assistant: Assistant) -> dict[str, str]:
    """The session's index, no LLM, a UTF-8 locale (so argv bytes go through surrogateescape)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**base, "ASSISTANT_DATA_DIR": str(assistant.settings.data_dir), "LC_ALL": "C.UTF-8"}


def test_invalid_utf8_in_an_argument_is_answered(env: dict[str, str]) -> None:
    question = b"\xff\xfe" + GREEN_Q.encode() + b"\xc3"  # bytes no UTF-8 decoder accepts
    run = _run([b"ask", question], env)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert b"Traceback" not in run.stderr
    assert "10公顷".encode() in run.stdout


@pytest.mark.parametrize("command", [[b"show", b"zl2025/p\xff"], [b"search", b"\xed\xa0\x80"]])
def test_invalid_utf8_elsewhere_is_an_error_line_or_an_answer(
    env: dict[str, str], command: list[bytes]
) -> None:
    run = _run(command, env)
    assert run.returncode in (0, 2), run.stderr
    assert b"Traceback" not in run.stderr
    if run.returncode == 2:
        assert run.stderr.startswith(b"error: ") and run.stderr.count(b"\n") == 1


@pytest.mark.parametrize("command", [["ask", GREEN_Q], ["show", "zl2025/p12"], ["ask", GREEN_Q, "--json"]])
def test_an_ascii_terminal_gets_escapes_not_a_crash(env: dict[str, str], command: list[str]) -> None:
    run = _run(command, {**env, "PYTHONIOENCODING": "ascii"})
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr
    run.stdout.decode("ascii")  # nothing but ASCII was written
    assert b"\\u" in run.stdout or b"\\x" in run.stdout or b"10" in run.stdout


@pytest.mark.parametrize("data_dir", ["/dev/null", "/dev/null/index"])
def test_a_data_directory_that_is_a_file_is_one_clear_error(env: dict[str, str], data_dir: str) -> None:
    run = _run(["ask", GREEN_Q], {**env, "ASSISTANT_DATA_DIR": data_dir})
    assert run.returncode == 2
    assert run.stderr.decode().startswith("error: ASSISTANT_DATA_DIR=")
    assert "/dev/null is not a directory" in run.stderr.decode()
    assert run.stderr.count(b"\n") == 1
