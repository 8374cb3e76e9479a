"""The assistant's error family: each message says what happened and what to do.

The CLI prints one line and exits 2; the Gradio page shows the message.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class; ``str(error)`` is meant to be shown to the user as is."""


class ConfigError(AssistantError):
    """A setting has a value the assistant cannot use."""


class BadQuestion(AssistantError):
    """The question is empty or cannot be read."""


class IndexMissing(AssistantError):
    """No index has been built for this corpus and embedding backend."""


class IndexStale(AssistantError):
    """The index was built from another corpus or embedding backend."""


class BackendUnavailable(AssistantError):
    """An embedding model, a Chroma server or an LLM server cannot be reached or loaded."""


class UnknownParagraph(AssistantError):
    """A paragraph ID that is not in the corpus."""


class DocumentUnreadable(AssistantError):
    """A file that cannot be read as a document: broken, encrypted, scanned, empty, too big, wrong type."""


class LibraryConflict(AssistantError):
    """A document that the library already holds (same ID or same text), or an ID it does not hold."""


class IndexDamaged(IndexMissing):
    """The index on disk cannot be read (a truncated or garbage file); ``assistant ingest`` rebuilds it."""


class IndexBusy(AssistantError):
    """Another process has been building the index for longer than the builder lock's wait."""
