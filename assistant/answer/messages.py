"""The fixed wording around quotes, in Chinese and English: the only words not from the plan.

None of these frames contains a number, so every number in an answer comes from a quote.
"""

from __future__ import annotations

from collections.abc import Sequence

NOT_FOUND = {
    "zh": "计划中没有提到这一点。",
    "en": "The plan does not say this.",
}
_REASONS = {
    "zh": {
        "year": "资料库中没有所问年份的计划（现有：{holdings}的计划）。",
        "place": "资料库中没有{asked}的计划（现有：{holdings}的计划）。",
        "no-figure": "计划中有相关内容，但没有给出具体数字。",
        "attribute": "计划提到了这件事，但没有给出所问的内容。",
        "topic": "计划中没有找到相关内容。",
        "glossary": "名词解释中没有这个词条。",
    },
    "en": {
        "year": "The library holds no plan for the year asked about (it holds: {holdings}).",
        "place": "The library holds no plan for {asked} (it holds: {holdings}).",
        "no-figure": "It mentions the topic but gives no figure for it.",
        "attribute": "It mentions this, but does not give what was asked about it.",
        "topic": "Nothing in it matches the question.",
        "glossary": "The glossary has no entry for it.",
    },
}
_NEAREST = {"zh": "最接近的段落：", "en": "Nearest paragraphs: "}


def cite_tag(paragraph_id: str) -> str:
    return f"[{paragraph_id}]"


def not_found(lang: str, reason: str, nearest: Sequence[str], holdings: str = "") -> str:
    """ "计划中没有提到这一点。" + why (the library's holdings, for another place or year) + the nearest IDs."""
    kind, _, asked = reason.partition(":")
    why = _REASONS[lang].get(kind, _REASONS[lang]["topic"]).format(asked=asked, holdings=holdings)
    tail = f"{_NEAREST[lang]}{' '.join(cite_tag(n) for n in nearest)}" if nearest else ""
    return f"{NOT_FOUND[lang]}{'' if lang == 'zh' else ' '}{why}{'' if lang == 'zh' else ' '}{tail}".strip()


def quote_line(lang: str, quote: str, paragraph_id: str, english_figures: Sequence[str]) -> str:
    if lang == "en":
        lead = "; ".join(english_figures) if english_figures else "The plan says"
        return f"{lead} — “{quote}” {cite_tag(paragraph_id)}"
    return f"计划原文：“{quote}” {cite_tag(paragraph_id)}"


def resolution(lang: str, subject: str, figure: str) -> str:
    """Which figure of a shared statement is the subject's ("省、市重大项目3个、7个" → 市重大项目：7个)."""
    return f" (of these, {subject}: {figure})" if lang == "en" else f"（其中{subject}：{figure}）"


def located(lang: str, section_path: str, paragraph_id: str, lead: str, run_in: str = "") -> str:
    """Where the last answer comes from: its part and section (or, before the first heading, the
    opening of the document), the passage's run-in heading, its paragraph ID, and how that
    paragraph begins."""
    if lang == "en":
        where = f"in {section_path}" if section_path else "in the opening part, before the first heading"
        under = f", under “{run_in}”" if run_in else ""
        return f"It is {where}{under}, paragraph {cite_tag(paragraph_id)}, which begins “{lead}”."
    where = f"「{section_path}」" if section_path else "文件开头的总述部分（第一个标题之前）"
    under = f"中的“{run_in}”一节" if run_in else ""
    return f"出自{where}{under}，段落 {cite_tag(paragraph_id)}，该段开头是：“{lead}”。"


def glossary_entry(lang: str, entry: str, paragraph_id: str) -> str:
    """Which glossary entry the last answer quoted ("6.大件运输“信用+”服务")."""
    if lang == "en":
        return f"It is the glossary entry “{entry}” {cite_tag(paragraph_id)}."
    return f"出自名词解释的词条“{entry}” {cite_tag(paragraph_id)}。"


def outline(lang: str, items: Sequence[tuple[str, str]], part: int = 0) -> str:
    """The document's numbered parts (or one part's sections), each with its paragraph ID."""
    lines = "\n".join(f"{heading} {cite_tag(pid)}" for pid, heading in items)
    if lang == "en":
        head = f"Part {part} has these sections:" if part else "The plan is organised in these parts:"
        return f"{head}\n{lines}"
    nth = "一二三四五六七八九十"[part - 1] if 0 < part <= 10 else str(part)
    head = f"第{nth}部分下分为：" if part else "计划分为以下几个部分："
    return f"{head}\n{lines}"


def section_verdict(lang: str, holds: bool) -> str:
    """Whether the part the user named is where the last answer is ("属于老城区部分吗?")."""
    if lang == "en":
        return "Yes. " if holds else "No. "
    return "是的。" if holds else "不是。"


def definition_line(lang: str, term: str, definition: str, paragraph_id: str) -> str:
    if lang == "en":
        return f"The plan's glossary defines {term}: “{definition}” {cite_tag(paragraph_id)}"
    return f"名词解释 — {term}：“{definition}” {cite_tag(paragraph_id)}"


def judgement(lang: str, correct: bool, quote: str, paragraph_id: str, english_figures: Sequence[str]) -> str:
    """The answer to a yes/no question about a figure; the wrong figure is not repeated."""
    if lang == "en":
        verdict = "Yes." if correct else "No."
        figures = "; ".join(english_figures)
        return f"{verdict} The plan says {figures} — “{quote}” {cite_tag(paragraph_id)}"
    verdict = "对。" if correct else "不对。"
    return f"{verdict}计划原文是：“{quote}” {cite_tag(paragraph_id)}"


def claim_check(lang: str, unsaid: Sequence[str], quote: str, paragraph_id: str) -> str:
    """The answer to a statement asked back: borne out by the plan's sentence, or which of its
    words the sentence does not say (the plan's sentence is then the answer)."""
    if lang == "en":
        if not unsaid:
            return f"Yes. The plan says — “{quote}” {cite_tag(paragraph_id)}"
        words = "”, “".join(unsaid)
        return (
            f"Not quite: the plan does not say “{words}” here. It says — “{quote}” {cite_tag(paragraph_id)}"
        )
    if not unsaid:
        return f"对。计划原文是：“{quote}” {cite_tag(paragraph_id)}"
    words = "”“".join(unsaid)
    return f"并非如此：计划原文没有说“{words}”，原文是：“{quote}” {cite_tag(paragraph_id)}"


def no_such_figure(lang: str, quote: str, paragraph_id: str) -> str:
    """A figure claimed where the plan's sentence gives none ("…减少10%，对吧?")."""
    if lang == "en":
        return f"No: the plan gives no such figure. It says — “{quote}” {cite_tag(paragraph_id)}"
    return f"不对：计划没有给出这个数字，原文是：“{quote}” {cite_tag(paragraph_id)}"


def goal_in_words(lang: str, quote: str, paragraph_id: str) -> str:
    """Whether there is a number, where the plan's goal is words ("…与经济增长同步")."""
    if lang == "en":
        return f"The plan gives no number for this; its goal is in words — “{quote}” {cite_tag(paragraph_id)}"
    return f"计划没有给出具体数字，目标是这样表述的：“{quote}” {cite_tag(paragraph_id)}"


def figure_elsewhere(lang: str, quote: str, paragraph_id: str) -> str:
    """Where the figure asked back is used: another item's, in the same paragraph."""
    if lang == "en":
        return f"That figure is another item's — “{quote}” {cite_tag(paragraph_id)}"
    return f"这个数字说的是另一项：“{quote}” {cite_tag(paragraph_id)}"
