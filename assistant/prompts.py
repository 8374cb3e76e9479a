"""Prompt files: ``prompts/<name>.md`` loaded by name into a LangChain ``ChatPromptTemplate``.

A file holds ``## system`` and ``## user`` sections (text before the first is a note for people);
``{variable}`` placeholders are f-string fields, and formatting without one of them raises.
"""

from __future__ import annotations

import re
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from assistant.errors import ConfigError

SUFFIX = ".md"
_ROLES = {"system": "system", "user": "human"}
_SECTION = re.compile(r"^##[ \t]+(system|user)[ \t]*$", re.MULTILINE)
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")
_PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})")


def prompt_path(name: str, prompts_dir: Path) -> Path:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ConfigError(f"Prompt names are lower-case words (answer_zh), not {name!r}.")
    return prompts_dir / f"{name}{SUFFIX}"


def parse_prompt(text: str) -> list[tuple[str, str]]:
    """The (role, template) messages of a prompt file, in order."""
    matches = list(_SECTION.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)] if matches else []
    messages = []
    for match, end in zip(matches, ends, strict=True):
        if body := text[match.end() : end].strip():
            messages.append((_ROLES[match.group(1)], body))
    return messages


def load_prompt(name: str, prompts_dir: Path) -> ChatPromptTemplate:
    """The prompt ``name`` (e.g. "answer_zh"); a missing variable at ``.invoke`` raises ``KeyError``."""
    path = prompt_path(name, prompts_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"Prompt {name!r} not found: {path} is missing (ASSISTANT_PROMPTS_DIR).") from exc
    messages = parse_prompt(text)
    if not messages:
        raise ConfigError(f"{path} has no '## system' or '## user' section.")
    try:
        return ChatPromptTemplate.from_messages(messages, template_format="f-string")
    except ValueError as exc:  # an unbalanced brace: literal braces must be doubled, {{ }}
        raise ConfigError(f"{path} is not a valid prompt template: {exc}") from exc


def prompt_wording(prompt: ChatPromptTemplate) -> str:
    """The prompt's own words, placeholders and quoted examples removed: what an answer must not repeat.

    Examples are quoted (“…” or "…") in the prompt files because a good answer follows them.
    """
    templates = [getattr(getattr(m, "prompt", None), "template", "") for m in prompt.messages]
    return "\n".join(_QUOTED.sub("\n", _PLACEHOLDER.sub("\n", str(t))) for t in templates)
