"""LLM mode: an LCEL chain (retriever → context → prompt → chat model) whose answer is verified.

Streaming contract (``Assistant.ask_stream``): text pieces are released sentence by sentence,
each only after it passed the verifier on its own, and the last item is always the ``Answer``.
If a later sentence fails, the model replies NOT_IN_PLAN, or the server times out, refuses or
errs, nothing more is released and the final ``Answer`` is the extractive one with a note. The
final ``Answer.text`` is authoritative: a page shows the pieces as they come, then replaces them
with ``Answer.text``. (When nothing had been released, the fallback text arrives as one piece,
so the pieces still join to the final text.) Unverified model text is never yielded.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import httpx
import openai
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough
from langchain_openai import ChatOpenAI

from assistant.answer.context import Context, pack_context
from assistant.answer.english import Lexicon
from assistant.answer.result import Answer
from assistant.answer.verify import (
    SubjectCheck,
    any_subject,
    citations_in,
    cite_answer,
    echoed_instructions,
    figure_subjects,
    instruction_runs,
    split_claims,
    verify,
    verify_claim,
)
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.errors import AssistantError
from assistant.prompts import load_prompt, prompt_wording
from assistant.text import strip_control

if TYPE_CHECKING:
    from assistant.answer.registry import Answerer
    from assistant.api import Assistant
    from assistant.query import Query

log = logging.getLogger(__name__)

NOT_FOUND_TOKEN = "NOT_IN_PLAN"  # the model's whole reply when the context does not answer
HISTORY_TURNS = 2  # previous (question, answer) turns shown to the model for follow-ups
HISTORY_CHARS = 400  # each previous question or answer is cut to this many characters
# A reply that says the plan does not answer, in words instead of the token: the extractive
# answerer's refusal (with the nearest paragraphs and abstained=True) is the better answer.
_REFUSAL = re.compile(
    r"计划中?(?:并)?(?:没有|未)(?:提到|提及|涉及|说明)|\b(?:plan|context) does(?: not|n't) (?:say|mention|specify)"
    r"|\bnot (?:mentioned )?in the plan\b",
    re.IGNORECASE,
)
_HOLD = ("[", "【", "”", "’", "」", "』", ")", "）")  # a sentence's citation or quote may follow


def chat_model(settings: Settings) -> ChatOpenAI:
    """Any OpenAI-compatible server; deterministic, one attempt, streamed."""
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        model=settings.llm_model,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0,
        streaming=True,
    )


def answer_prompt(settings: Settings, lang: str) -> ChatPromptTemplate:
    """prompts/answer_zh.md or prompts/answer_en.md, by the question's language."""
    return load_prompt(f"answer_{'en' if lang == 'en' else 'zh'}", settings.prompts_dir)


def build_chain(assistant: Assistant, prompt: ChatPromptTemplate) -> Runnable[dict[str, str], dict[str, Any]]:
    """``{"query", "question", "history"}`` → ``{..., "context": Context, "answer": str}``.

    ``answer`` streams; ``context`` arrives first, so the caller can verify against it.
    """
    settings, corpus = assistant.settings, assistant.corpus
    retrieve = (
        itemgetter("query")
        | assistant.retriever(k=settings.context_k)
        | RunnableLambda(lambda docs: pack_context(docs, corpus, settings.context_tokens))
    )
    generate = RunnableLambda(_prompt_variables) | prompt | chat_model(settings) | StrOutputParser()
    return RunnablePassthrough.assign(context=retrieve).assign(answer=generate)


def _prompt_variables(inputs: dict[str, Any]) -> dict[str, str]:
    context: Context = inputs["context"]
    return {
        "context": context.render(),
        "history": inputs["history"],
        "question": inputs["question"],
        "documents": inputs["documents"],
        "not_found": NOT_FOUND_TOKEN,
    }


def fence(text: str) -> str:
    """User text made safe to put between ``<question>`` tags: it cannot close or open a tag."""
    return strip_control(text).replace("<", "‹").replace(">", "›")


def render_history(history: Sequence[tuple[str, str]], lang: str) -> str:
    user, bot, none = ("User", "Assistant", "(none)") if lang == "en" else ("用户", "助手", "（无）")
    lines = []
    for asked, answered in history[-HISTORY_TURNS:]:
        lines += [f"{user}: {fence(asked)[:HISTORY_CHARS]}", f"{bot}: {fence(answered)[:HISTORY_CHARS]}"]
    return "\n".join(lines) or none


def plan_years(corpus: Corpus) -> frozenset[str]:
    """The plan's own year(s): "2025年" in an answer needs no citation."""
    return frozenset(str(d.meta["year"]) for d in corpus.documents if d.meta.get("year"))


class ClaimGate:
    """Holds the streamed reply and releases it sentence by sentence, each once verified.

    Nothing is released before a sentence with a verified citation; after a failure, nothing is.
    """

    def __init__(
        self,
        context: Context,
        years: frozenset[str],
        instructions: str = "",
        subject_ok: SubjectCheck = any_subject,
    ) -> None:
        self.context = context.texts
        self.years = years
        self.subject_ok = subject_ok
        self.runs = instruction_runs(instructions, self.context.values())
        self.raw = ""
        self.released = 0  # characters of ``text`` already yielded
        self.checked = 0  # characters of ``text`` verified sentence by sentence
        self.cited = False
        self.refused = False
        self.problems: tuple[str, ...] = ()
        self.verify_ms = 0.0

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def not_found(self) -> bool:
        return self.refused or NOT_FOUND_TOKEN in self.raw

    @property
    def stopped(self) -> bool:
        return bool(self.problems) or self.not_found

    def feed(self, delta: str) -> str:
        """Take a streamed delta; return the newly verified text to show ("" if none)."""
        self.raw += delta
        if self.stopped:
            return ""
        started = time.perf_counter()
        text = self.raw.lstrip()
        claims = split_claims(text)
        complete = claims[:-1]
        if complete and (not claims[-1].strip() or claims[-1].lstrip().startswith(_HOLD)):
            complete = complete[:-1]  # its citation tag or closing quote may still be arriving
        offset = 0
        for claim in complete:
            offset += len(claim)
            if offset <= self.checked:
                continue
            if _REFUSAL.search(claim):
                self.refused = True
                break
            problems = self._check(claim)
            if problems:
                self.problems = tuple(problems)
                break
            self.cited = self.cited or bool(citations_in(claim))
            self.checked = offset
        self.verify_ms += (time.perf_counter() - started) * 1000
        return self._release(text, self.checked)

    def finish(self) -> str | None:
        """Verify the whole reply; the rest of it to show, or ``None`` when it fails."""
        self.refused = self.refused or bool(_REFUSAL.search(self.text))
        if self.stopped:
            return None
        started = time.perf_counter()
        verdict = verify(self.text, self.context, years=self.years, subject_ok=self.subject_ok)
        problems = (*verdict.problems, *self._echo(self.text))
        self.verify_ms += (time.perf_counter() - started) * 1000
        if problems:
            self.problems = problems
            return None
        return self._release(self.text, len(self.text), force=True)

    def _check(self, claim: str) -> list[str]:
        checked = verify_claim(claim, self.context, years=self.years, subject_ok=self.subject_ok)
        return [*checked, *self._echo(claim)]

    def _echo(self, text: str) -> list[str]:
        echoed = echoed_instructions(text, self.runs)
        return [f"it repeats the instructions (“{echoed}”)"] if echoed else []

    def _release(self, text: str, end: int, *, force: bool = False) -> str:
        if self.problems or not (self.cited or force) or end <= self.released:
            return ""
        piece, self.released = text[self.released : end], end
        return piece


class LLMAnswerer:
    """Answers with an OpenAI-compatible model, verified claim by claim; ``fallback`` on any failure."""

    name = "llm"

    def __init__(self, assistant: Assistant, fallback: Answerer) -> None:
        self.assistant = assistant
        self.fallback = fallback

    def stream(
        self, query: Query, history: Sequence[tuple[str, str]], started: float
    ) -> Iterator[str | Answer]:
        yield from answer_with_llm(self.assistant, query, history, started, self.fallback)


def answer_with_llm(
    assistant: Assistant,
    question: Query,
    history: Sequence[tuple[str, str]],
    started: float,
    fallback: Answerer,
) -> Iterator[str | Answer]:
    """Verified text pieces as they are ready, then the ``Answer`` (the fallback's on any failure)."""
    settings = assistant.settings
    history = tuple(history)
    timings: dict[str, float] = {}
    inputs = {
        "query": question.retrieval,
        "question": fence(question.question),
        "history": render_history(history, question.lang),
        "documents": "; ".join(f"{p.title} ({p.id})" for p in assistant.profiles.documents),
    }
    prompt = answer_prompt(settings, question.lang)
    gate: ClaimGate | None = None
    released = False
    failure: str | None = None
    clock = time.perf_counter()
    llm_started: float | None = None
    try:
        chain = build_chain(assistant, prompt)
        with closing(within(lambda: chain.stream(inputs), settings.llm_timeout_s)) as chunks:
            for chunk in chunks:
                if "context" in chunk:
                    context: Context = chunk["context"]
                    timings["retrieve"] = _ms(clock)
                    llm_started = time.perf_counter()
                    gate = ClaimGate(
                        context,
                        plan_years(assistant.corpus),
                        prompt_wording(prompt),
                        subject_ok=figure_subjects(
                            assistant.extractive.figures, Lexicon.load(settings.corpus_dir)
                        ),
                    )
                    if not context.paragraphs:
                        failure = _note_no_context(settings)
                        break
                if "answer" in chunk and gate is not None:
                    piece = gate.feed(chunk["answer"])
                    if piece:
                        released = True
                        yield piece
                    if gate.stopped:
                        break
    except AssistantError:
        raise  # the index or the model, not the LLM server: the extractive answer would fail too
    except Exception as exc:  # a lying or broken server: any reply it sends must end in the fallback
        if not isinstance(exc, openai.APIError | httpx.TransportError | DeadlineExceeded):
            log.warning("unreadable LLM reply from %s: %r", settings.llm_base_url, exc)
        failure = _failure_note(settings, exc)
    timings["llm"] = _ms(llm_started) if llm_started is not None else 0.0
    rest: str | None = None
    if failure is None and gate is not None:
        rest = gate.finish()
        if gate.not_found:
            failure = (
                f"The LLM found no answer in the plan ({NOT_FOUND_TOKEN}); showing the extractive answer."
            )
        elif rest is None:
            failure = f"LLM answer failed verification ({gate.problems[0]}); showing the extractive answer."
    timings["verify"] = gate.verify_ms if gate is not None else 0.0
    if failure is not None or gate is None or rest is None:
        yield from _fallback(fallback, question, history, started, timings, failure or "", released)
        return
    if rest:
        yield rest
    timings["total"] = _ms(started)
    yield Answer(
        question=question.question,
        text=gate.text,
        citations=cite_answer(gate.text, assistant.corpus, years=gate.years),
        abstained=False,
        mode="llm",
        timings=timings,
        notes=question.notes,
        lang=question.lang,
    )


def _fallback(
    fallback: Answerer,
    question: Query,
    history: Sequence[tuple[str, str]],
    started: float,
    timings: dict[str, float],
    note: str,
    released: bool,
) -> Iterator[str | Answer]:
    """The extractive answer, with the note saying why; its text is yielded unless text was shown."""
    *_, answer = fallback.stream(question, history, started)
    assert isinstance(answer, Answer)
    merged = {
        **answer.timings,
        "retrieve": timings.get("retrieve", 0.0) + answer.timings.get("retrieve", 0.0),
        "llm": timings.get("llm", 0.0),
        "verify": timings.get("verify", 0.0),
        "total": _ms(started),
    }
    final = replace(answer, notes=(*answer.notes, note) if note else answer.notes, timings=merged)
    if not released:
        yield final.text
    yield final


def _failure_note(settings: Settings, exc: Exception) -> str:
    """What went wrong with the server, for ``Answer.notes``."""
    url = settings.llm_base_url
    if isinstance(exc, DeadlineExceeded):
        what = f"LLM server at {url} timed out after {settings.llm_timeout_s:g} s (the whole answer must arrive by then)"
    elif isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        what = f"LLM server at {url} timed out after {settings.llm_timeout_s:g} s"
    elif isinstance(exc, openai.APIConnectionError):
        what = f"LLM server unreachable at {url}"
    elif isinstance(exc, httpx.TransportError):  # raised while reading the stream, past the client's wrapping
        what = f"LLM server at {url} broke off its reply ({type(exc).__name__})"
    elif isinstance(exc, openai.APIStatusError):
        what = f"LLM server at {url} returned HTTP {exc.status_code}"
    elif isinstance(exc, openai.APIError):
        what = f"LLM call failed ({type(exc).__name__}: {exc})"
    else:  # invalid JSON, an HTML page, an empty stream: not an OpenAI-compatible reply
        what = (
            f"LLM server at {url} sent a reply that is not a readable chat completion ({type(exc).__name__})"
        )
    return f"{what}; showing the extractive answer."


def _note_no_context(settings: Settings) -> str:
    return (
        f"No plan paragraph fits the LLM context budget ({settings.context_tokens} tokens, "
        "ASSISTANT_CONTEXT_TOKENS); showing the extractive answer."
    )


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


class DeadlineExceeded(Exception):
    """The LLM's whole answer took longer than ``ASSISTANT_LLM_TIMEOUT``."""


_END = object()


def within(open_stream: Callable[[], Iterable[Any]], seconds: float) -> Iterator[Any]:
    """The items of ``open_stream()``, raising ``DeadlineExceeded`` once ``seconds`` have passed.

    The HTTP client's timeout applies to each read, so a server dripping a few characters at a
    time would never trip it; here the stream is read on a helper thread and the caller waits at
    most until the deadline. Abandoned, the helper stops at its next piece or read timeout.
    """
    items: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue()
    stop = threading.Event()

    def pump() -> None:
        try:
            with closing(open_stream()) as stream:  # type: ignore[type-var]
                for item in stream:
                    if stop.is_set():
                        return
                    items.put((item, None))
        except Exception as exc:
            items.put((None, exc))
            return
        items.put((_END, None))

    threading.Thread(target=pump, name="llm-answer", daemon=True).start()
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                item, error = items.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise DeadlineExceeded(f"no complete answer within {seconds:g} s") from None
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
