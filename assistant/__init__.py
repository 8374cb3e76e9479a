"""The Zhonglou Plan Assistant: answers about the 2025 work plan, citing its paragraphs.

from assistant import Assistant
Assistant().ask("今年新增多少绿地?").text
"""

from __future__ import annotations

from assistant.answer.result import Answer
from assistant.api import Assistant, IngestReport
from assistant.citations import Citation
from assistant.config import Settings, load_settings
from assistant.corpus import Paragraph
from assistant.errors import (
    AssistantError,
    BackendUnavailable,
    BadQuestion,
    ConfigError,
    IndexMissing,
    IndexStale,
    UnknownParagraph,
)

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "BackendUnavailable",
    "BadQuestion",
    "Citation",
    "ConfigError",
    "IndexMissing",
    "IndexStale",
    "IngestReport",
    "Paragraph",
    "Settings",
    "UnknownParagraph",
    "load_settings",
]
