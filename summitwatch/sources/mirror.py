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


def looks_like_mirror(text: str) -> bool:
    """A Markdown page with the mirror's navigation bar or original-link footer."""
    return bool(_NAV.search(text[:3000]) or _ORIGINAL.search(text[-600:]))


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
    draft.parts.links[:] = [lk for lk in draft.parts.links if not lk[2].startswith("../")]
    return draft
