"""The page's labels in Chinese and English: one table, so the language toggle misses none.

Answers are not translated here; only the page's own words (tabs, buttons, hints) are.
"""

from __future__ import annotations

from typing import Literal

from assistant.profile import DocumentProfile

Lang = Literal["zh", "en"]

LABELS: dict[str, tuple[str, str]] = {
    "title": (  # the default document's profile fills it in (see page_title)
        "## {title} · 问答助手\n每个回答都引用原文和段落编号;原文没有写的,会直说。",
        "## {title_en} Assistant\nEvery answer quotes the document and cites its "
        "paragraph IDs; when the document does not say, it says so.",
    ),
    "tab_chat": ("问答", "Chat"),
    "tab_targets": ("指标一览", "Targets"),
    "tab_glossary": ("名词解释", "Glossary"),
    "tab_browse": ("全文", "Browse"),
    "tab_quiz": ("练一练", "Quiz"),
    "tab_overview": ("一图读懂", "Overview"),
    "chat": ("对话", "Chat"),
    "question": ("问题", "Question"),
    "question_hint": ("输入问题,按回车提问", "Ask a question and press Enter"),
    "sources": ("引用", "Sources"),
    "open": ("在全文中查看", "Open in full text"),
    "examples": ("示例", "Examples"),
    "copy_link": ("复制链接", "Copy link"),
    "link": ("链接", "Link"),
    "comment": ("评论(可选,先点赞或点踩)", "Comment (optional; rate the answer first)"),
    "send_comment": ("发送评论", "Send comment"),
    "filter": ("筛选", "Filter"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "goto": ("跳到段落", "Go to paragraph"),
    "quiz_intro": (
        "用计划里的数字练一练:每题的答案和选项都来自原文。",
        "Learn the plan's figures: every answer and every choice is a figure of the plan.",
    ),
    "quiz_section": ("范围", "Section"),
    "quiz_mixed": ("全部(混合)", "All sections (mixed)"),
    "quiz_mode": ("题型", "Kind of question"),
    "quiz_choice": ("四选一", "Four choices"),
    "quiz_typed": ("填写数字", "Type the figure"),
    "quiz_seed": ("题组编号", "Quiz number"),
    "quiz_start": ("开始 5 题", "Start 5 questions"),
    "quiz_choices": ("选项", "Choices"),
    "quiz_answer": ("你的答案(数字和单位)", "Your answer (number and unit)"),
    "quiz_check": ("提交", "Check"),
    "quiz_next": ("下一题", "Next question"),
    "quiz_review": ("复习错题", "Review what I missed"),
    "overview_intro": (
        "计划的结构:各部分、各章节及其数字指标数;下图按类别统计指标。",
        "The plan's shape: its parts and sections with their number of targets; the chart counts "
        "the targets by kind.",
    ),
    "overview_chart": ("各章节指标(按类别)", "Targets by section and kind"),
    "overview_download": ("下载 PNG", "Download PNG"),
    "overview_open": ("打开章节(在全文中)", "Open a section (in full text)"),
    "language": ("界面语言", "Page language"),
    "document": ("文档", "Document"),
    "upload": ("上传文档", "Upload a document"),
}


def label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def page_title(profile: DocumentProfile, lang: str) -> str:
    """The page's heading for the document it answers by default: "## 钟楼区2025年工作安排 · 问答助手"."""
    place = profile.place_en or profile.place
    title_en = " ".join(str(part) for part in (place, profile.year, "Work Plan") if part)
    return label("title", lang).format(title=profile.title, title_en=title_en)


def page_lang(preferred: str | None) -> Lang:
    """The page language from the browser's (navigator.language or Accept-Language): zh or en."""
    first = (preferred or "").split(",")[0].strip().lower()
    return "zh" if first.startswith("zh") or not first else "en"
