"""``assistant chat``: a terminal conversation that keeps its history, for staff who live in a terminal.

``/new`` starts over, ``/show ID`` prints a paragraph, ``/help`` lists the commands, Ctrl-D leaves.
With ``--json`` every input line is a question (or a command) and every answer one JSON line.
"""

from __future__ import annotations

import json
from typing import TextIO

from assistant.api import Assistant
from assistant.errors import AssistantError

HELP = "/new 重新开始 (start over) · /show ID 查看段落 (show a paragraph) · Ctrl-D 退出 (leave)"
MAX_TURNS = 8  # history kept for follow-ups; older turns are dropped


def run_chat(
    assistant: Assistant, stdin: TextIO, stdout: TextIO, *, mode: str | None = None, as_json: bool = False
) -> int:
    """Read questions until end of input; answer each with the conversation so far."""
    history: list[tuple[str, str]] = []

    def emit(payload: dict[str, object], text: str) -> None:
        stdout.write((json.dumps(payload, ensure_ascii=False) if as_json else text) + "\n")
        stdout.flush()

    if not as_json:
        stdout.write(f"钟楼区计划问答 · Zhonglou plan chat. {HELP}\n")
    while True:
        if not as_json:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            if not as_json:
                stdout.write("\n")
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/new", "/reset"):
            history.clear()
            emit({"event": "new"}, "(新对话 new conversation)")
            continue
        if line in ("/help", "/?"):
            emit({"event": "help", "text": HELP}, HELP)
            continue
        try:
            if line.startswith("/show"):
                paragraph = assistant.paragraph(line[len("/show") :].strip())
                emit(paragraph.to_dict(), f"[{paragraph.id}] {paragraph.section}\n{paragraph.text}")
                continue
            answer = assistant.ask(line, history=history[-MAX_TURNS:], mode=mode)
        except AssistantError as exc:
            emit({"error": str(exc)}, f"error: {exc}")
            continue
        history.append((line, answer.text))
        sources = "\n".join(f"  [{c.id}] {c.section}" for c in answer.citations)
        emit(answer.to_dict(), f"{answer.text}\n{sources}" if sources else answer.text)
