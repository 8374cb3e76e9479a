"""The members of a list the plan writes out ("发布政策直达快享行动、助企暖企护航行动、…“十大行动”"),
for questions that pick some of them: by position ("第一个和最后一个", "the first three") or by a
word ("跟人才、科技有关的是哪几个?").
"""

from __future__ import annotations

import re

MIN_MEMBERS = 3  # a run of this many items joined by 、 is a list
# a verb opening a list ("发布…", "推出…"): it is not part of the first member
_LEADING_VERB = re.compile(
    r"(?:积极|加快|持续|全力|大力|着力)?(?:发布|推出|实施|开展|推进|打造|建设|建成|启用|培育|包括|聚焦|围绕|深化|实现|完成|新建|组织)"
)
# what closes a list: "等", a quoted name for all of it ("“十大行动”"), or a clause break
_TRAILING = re.compile(r"(?:等|“[^”]*”).*$")
_ITEM = re.compile(r"[^、,，;；:：。!?！？]+")


def members(text: str) -> list[tuple[int, int]]:
    """Spans of the members of the longest list in ``text`` (items joined by 、), or [] if none."""
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for m in _ITEM.finditer(text):
        joined = bool(run) and text[run[-1][1] : m.start()] == "、"
        run = [*run, m.span()] if joined else [m.span()]
        if len(run) > len(best):
            best = list(run)
    if len(best) < MIN_MEMBERS:
        return []
    first_start, first_end = best[0]
    lead = _LEADING_VERB.match(text, first_start)
    best[0] = (lead.end() if lead else first_start, first_end)
    last_start, last_end = best[-1]
    tail = _TRAILING.search(text, last_start, last_end)
    best[-1] = (last_start, tail.start() if tail and tail.start() > last_start else last_end)
    return best


def pick(spans: list[tuple[int, int]], positions: tuple[int, ...]) -> list[tuple[int, int]]:
    """The members at these 1-based positions (-1: the last), in order, those that exist."""
    picked = []
    for position in positions:
        index = position - 1 if position > 0 else len(spans) + position
        if 0 <= index < len(spans) and spans[index] not in picked:
            picked.append(spans[index])
    return picked
