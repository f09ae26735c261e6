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
# a page stamp: a line holding only a date (2020年4月22日, 二零二零年四月二十二日, 22.04.2020,
# 2020-04-22 10:30) above the body; bounded class runs, so each line start costs a bounded scan
_STAMP_CHARS = r"\-0-9〇零○一二三四五六七八九十廿卅年月日號号:：./"
_STAMP_LINE = re.compile(rf"^[ \t]*+([{_STAMP_CHARS}][{_STAMP_CHARS} ]{{4,30}}[{_STAMP_CHARS}])[ \t]*+$", re.M)
_STAMP_SHAPE = re.compile(r"\d{4}[-/.年]|[〇零○一二三四五六七八九]{4}年|\d{1,2}\.\d{1,2}\.\d{4}")
_STAMP_WINDOW = 1500  # characters of the page above its body where a stamp is looked for


def looks_like_mirror(text: str) -> bool:
    """A Markdown page with the mirror's navigation bar or original-link footer."""
    return bool(_NAV.search(text[:3000]) or _ORIGINAL.search(text[-600:]))


def _take_stamp(body: str, draft: Draft) -> str:
    """Move a page-stamp line above the HTML body into ``draft.date_alt`` (the page's own date when
    the dateline states none, as on 「（德國之聲中文網）」 pages); returns the body without it."""
    end = body.find("<", 0, _STAMP_WINDOW)
    window = body[: end if end >= 0 else _STAMP_WINDOW]
    for m in _STAMP_LINE.finditer(window):
        stamp = m.group(1).strip()
        if _STAMP_SHAPE.search(stamp):
            draft.date_alt = stamp
            return body[: m.start()] + body[m.end() :]
    return body


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
    body = _take_stamp(body, draft)
    o = _ORIGINAL.search(text[-2000:])
    if o is not None:
        draft.original_url = o.group(1).rstrip("）)」.,;")
        draft.url = draft.original_url
    markdown_to_parts(body, draft.parts)
    draft.parts.links[:] = [lk for lk in draft.parts.links if not lk[2].startswith("../")]
    return draft
