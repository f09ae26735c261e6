"""Mirror pages mixing Markdown and HTML (seed 002: Epoch Times through a censorship-circumvention mirror).

Shape: a ``###`` title, ``---``, a ``####`` navigation bar of relative links, the site's HTML body
(lead figure, ``post_content`` div), ``---`` and a 「原文链接（需翻墙）：URL」 footer giving the
original article URL. Navigation and footer are dropped by the boilerplate rules; the footer URL is
kept as ``original_url``.
"""

from __future__ import annotations

import re

from summitwatch.sources.fragment import Draft, clean_markdown_inline
from summitwatch.sources.markdown import markdown_to_parts

__all__ = ["parse_mirror", "looks_like_mirror"]

_TITLE = re.compile(r"\A\s*+#{1,6}[ \t]++([^\n]*)")  # right-stripped of " \t#" in code
_ORIGINAL = re.compile(r"原文[链鏈]接[^：:\n]{0,12}[：:]\s*(https?://\S+)")
_NAV = re.compile(r"^#{0,6}\s*\[首[页頁]\]\(", re.M)
# a page stamp: a block holding only a date, perhaps after a short label (2020年4月22日,
# 二零二零年四月二十二日, 22.04.2020, 日期：2020-04-22 10:30), above the article text; bounded runs only
_STAMP_CHARS = r"\-0-9〇零○一二三四五六七八九十廿卅年月日號号:：./"
_STAMP_TEXT = re.compile(rf"(?:[^\d:：]{{1,10}}[:：] ?)?([{_STAMP_CHARS}][{_STAMP_CHARS} ]{{4,30}}[{_STAMP_CHARS}])")
_STAMP_SHAPE = re.compile(r"\d{4}[-/.年]|[〇零○一二三四五六七八九]{4}年|\d{1,2}\.\d{1,2}\.\d{4}")
_STAMP_BLOCKS = 4  # blocks above the article text where a stamp is looked for


def looks_like_mirror(text: str) -> bool:
    """A Markdown page with the mirror's navigation bar or original-link footer."""
    return bool(_NAV.search(text[:3000]) or _ORIGINAL.search(text[-600:]))


def _take_stamp(draft: Draft) -> None:
    """Move a page stamp (a block above the article text holding only a date) into
    ``draft.date_alt``: the page's own date when the dateline states none, as on
    「（德國之聲中文網）」 pages. The block is dropped, figure and link positions shifted."""
    parts = draft.parts
    for i, (kind, text) in enumerate(parts.blocks[:_STAMP_BLOCKS]):
        m = _STAMP_TEXT.fullmatch(text)
        if m is not None and _STAMP_SHAPE.search(m.group(1)):
            draft.date_alt = m.group(1).strip()
            del parts.blocks[i]
            for f in parts.figures:
                if f[0] > i:
                    f[0] -= 1
            parts.links[:] = [(p - 1 if p > i else p, t, u) for p, t, u in parts.links]
            return
        if kind == "paragraph" and len(text) >= 20:
            return  # the article text has begun

def parse_mirror(text: str) -> Draft:
    """Read a mirror page (or any front-matter-less Markdown page) into a :class:`Draft`."""
    draft = Draft(format="mirror-markdown")
    m = _TITLE.match(text)
    body = text
    if m is not None and m.group(1).rstrip(" \t#\r"):
        draft.title = clean_markdown_inline(m.group(1).rstrip(" \t#\r"), draft.parts)
        body = text[m.end() :]
    else:
        draft.title_from_body = True
    o = _ORIGINAL.search(text[-2000:])
    if o is not None:
        draft.original_url = o.group(1).rstrip("）)」.,;")
        draft.url = draft.original_url
    markdown_to_parts(body, draft.parts)
    _take_stamp(draft)
    draft.parts.links[:] = [lk for lk in draft.parts.links if not lk[2].startswith("../")]
    return draft
