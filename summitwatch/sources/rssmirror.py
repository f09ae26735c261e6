"""RSS-mirror Markdown (seed 004: Deutsche Welle through an RSS-to-Markdown mirror).

Shape: ``<!--epoch-milliseconds-->`` (the mirror's fetch stamp), ``[title](article URL)``, a setext
``------`` rule, then one line of HTML: the article's own ISO stamp in ``<div><i>``, images through
the weserv proxy with ``<small>`` captions, paragraphs, the copyright line. The article's stamp is
the publication time; the mirror's stamp is kept as the alternative.
"""

from __future__ import annotations

import datetime as dt
import re

from summitwatch.sources.fragment import Draft, clean_markdown_inline, html_to_parts
from summitwatch.sources.markdown import markdown_to_parts

__all__ = ["parse_rss_mirror", "STAMP"]

STAMP = re.compile(r"\A\s*<!--\s*(\d{10,13})\s*-->")
_LINKED_TITLE = re.compile(r"^[ \t]*+\[([^\n]+)\]\([ \t]*+<?([^)\s>]++)>?[ \t]*+\)[ \t]*+$", re.M)
_PLAIN_TITLE = re.compile(r"^[ \t]*+#{0,6}[ \t]*+(\S[^\n]*)", re.M)  # right-stripped in code
_SETEXT = re.compile(r"\s*+(?:-{3,}+|={3,}+)[ \t\r]*+(?:\n|$)")
_ISO = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")
_STAMP_DIV = re.compile(r"\A\s*<div>\s*<i>\s*(?:<br\s*/?>\s*)*(" + _ISO.pattern + r")\s*</i>\s*</div>", re.I)


def epoch_ms_to_iso(ms: str) -> str:
    """Epoch seconds or milliseconds -> ISO 8601 UTC (``...Z``, milliseconds kept when present)."""
    value = int(ms)
    if len(ms) <= 10:
        value *= 1000
    stamp = dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    if value % 1000:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value % 1000:03d}Z"
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rss_mirror(text: str) -> Draft:
    """Read an RSS-mirror page into a :class:`Draft`."""
    draft = Draft(format="rss-mirror")
    m = STAMP.match(text)
    rest = text
    if m is not None:
        draft.date_alt = epoch_ms_to_iso(m.group(1))
        rest = text[m.end() :]
    t = _LINKED_TITLE.search(rest[:4000])
    if t is not None and not rest[: t.start()].strip():
        draft.title = clean_markdown_inline(t.group(1), draft.parts)
        draft.url = t.group(2)
        rest = rest[t.end() :]
    else:
        p = _PLAIN_TITLE.search(rest)
        if p is not None:
            draft.title = clean_markdown_inline(p.group(1).rstrip(), draft.parts)
            rest = rest[p.end() :]
    s = _SETEXT.match(rest.lstrip("\r\n")) if rest.strip() else None
    if s is not None:
        rest = rest.lstrip("\r\n")[s.end() :]
    rest = rest.strip()
    d = _STAMP_DIV.match(rest)
    if d is not None:
        draft.date = d.group(1)
        rest = rest[d.end() :]
    if rest.startswith("<"):
        html_to_parts(rest, draft.parts)
    else:
        markdown_to_parts(rest, draft.parts)
    if draft.date is None:
        iso = _ISO.search(rest[:600])
        if iso is not None:
            draft.date = iso.group(0)
    return draft
