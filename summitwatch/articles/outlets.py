"""Recognise an article's outlet (by URL domain, then by in-text markers) per ``data/outlets.yaml``.

Why data: a new outlet, mirror domain or dateline is an edit of the YAML file, not of code. The
outlet also fixes how a bare date is read (midnight in its time zone), how its article URLs are made
canonical (one id for every capture of one article) and where its datelines and bylines sit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from summitwatch.articles import load_data_file

__all__ = [
    "Outlet",
    "outlets",
    "outlet_by_url",
    "outlet_by_text",
    "outlet_by_name",
    "canonical_article_url",
    "default_timezone",
    "Mirror",
    "mirrors",
    "mirror_by_text",
    "outlet_in_bracket",
]


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    name: str
    name_en: str
    aliases: tuple[str, ...]
    timezone: str
    domains: tuple[str, ...]
    markers: tuple[str, ...]
    article_urls: tuple[tuple[re.Pattern[str], str, int | None], ...]
    dateline: re.Pattern[str] | None
    bylines: tuple[re.Pattern[str], ...]
    dateline_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mirror:
    """A mirror or archive pages come through: kept as the article's ``via``, never its outlet."""

    id: str
    name: str
    markers: tuple[str, ...]


@cache
def outlets() -> tuple[Outlet, ...]:
    """All outlets of the data file, in file order."""
    data = load_data_file("outlets.yaml")
    out = []
    for o in data["outlets"]:
        out.append(
            Outlet(
                id=o["id"],
                name=o["name"],
                name_en=o["name_en"],
                aliases=tuple(str(a) for a in o.get("aliases") or ()),
                timezone=o.get("timezone") or data.get("default_timezone", "UTC"),
                domains=tuple(d.lower() for d in o.get("domains") or ()),
                markers=tuple(o.get("markers") or ()),
                article_urls=tuple(
                    (re.compile(a["pattern"], re.I), a["canonical"], a.get("number"))
                    for a in o.get("article_urls") or ()
                ),
                dateline=re.compile(o["dateline"]) if o.get("dateline") else None,
                bylines=tuple(re.compile(b) for b in o.get("byline") or ()),
                dateline_names=tuple(str(n) for n in o.get("dateline_names") or ()),
            )
        )
    return tuple(out)


@cache
def mirrors() -> tuple[Mirror, ...]:
    """The mirrors of the data file, in file order."""
    data = load_data_file("outlets.yaml")
    return tuple(
        Mirror(m["id"], m["name"], tuple(str(x) for x in m.get("markers") or ())) for m in data.get("mirrors") or ()
    )


def mirror_by_text(text: str, window: int = 3000) -> Mirror | None:
    """The mirror whose marker appears near the start or the end of a raw page."""
    head, tail = text[:window], text[-window:]
    for m in mirrors():
        if any(x in head or x in tail for x in m.markers):
            return m
    return None


@cache
def _bracket_names() -> tuple[re.Pattern[str] | None, dict[str, Outlet]]:
    """One alternation of every outlet's own names (longest first) and the outlet each stands for.

    Names of one or two ASCII letters (``DW``) are left out: inside brackets they are too often
    something else (initials, units).
    """
    owner: dict[str, Outlet] = {}
    for o in outlets():
        for n in (*o.dateline_names, o.name, *o.aliases):
            if n and not (n.isascii() and len(n) <= 3):
                owner.setdefault(n, o)
    if not owner:
        return None, owner
    names = sorted(owner, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in names), re.I), owner


def outlet_in_bracket(content: str) -> Outlet | None:
    """The outlet named inside one dateline or byline bracket (「明慧網二零二零年…」, 「德國之聲中文網」)."""
    pattern, owner = _bracket_names()
    if pattern is None:
        return None
    m = pattern.search(content)
    if m is None:
        return None
    return owner.get(m.group(0)) or next((o for n, o in owner.items() if n.lower() == m.group(0).lower()), None)


@cache
def default_timezone() -> str:
    return load_data_file("outlets.yaml").get("default_timezone", "UTC")


@cache
def _domain_index() -> tuple[tuple[str, str | None, Outlet], ...]:
    rows = []
    for o in outlets():
        for d in o.domains:
            host, _, path = d.partition("/")
            rows.append((host, "/" + path if path else None, o))
    # longest host first so that a path-qualified domain wins over a bare one
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[1] is None)))


def outlet_by_url(url: str | None) -> Outlet | None:
    """The outlet whose domain (or a subdomain of it) serves ``url``."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host:
        return None
    for dom, path, o in _domain_index():
        if (host == dom or host.endswith("." + dom)) and (path is None or parts.path.startswith(path)):
            return o
    return None


def outlet_by_text(text: str, window: int = 400) -> Outlet | None:
    """The outlet named by a marker near the start (datelines) or the end (sign-offs) of the text."""
    head = text[:window]
    tail = text[-window:]
    for o in outlets():
        for m in o.markers:
            if m in head or m in tail:
                return o
    return None


def outlet_by_name(name: str | None) -> Outlet | None:
    """The outlet whose Chinese or English name (or id) is ``name`` (feed channel titles, site names)."""
    if not name:
        return None
    key = name.strip().lower()
    for o in outlets():
        names = (o.id, o.name, o.name_en, *o.aliases)
        if any(key == n.lower() for n in names):
            return o
    for o in outlets():  # "DW 中文 | 德國之聲", "新浪新闻_新浪网": a name inside a longer site title
        if any(
            len(n) >= 2 and n.lower() in key for n in (o.name, *o.aliases) if not n.isascii() or len(n) > 3
        ):
            return o
    return None


def canonical_article_url(url: str | None, outlet: Outlet | None = None) -> tuple[str | None, str | None]:
    """Return ``(canonical_url, site_article_no)`` for an outlet's article URL, or ``(None, None)``."""
    if not url:
        return None, None
    candidates = (outlet,) if outlet is not None else outlets()
    for o in candidates:
        for pattern, template, number in o.article_urls:
            m = pattern.match(url)
            if m is not None:
                canon = template
                for i, g in enumerate(m.groups(), start=1):
                    canon = canon.replace(f"{{{i}}}", g or "")
                return canon, (m.group(number) if number else None)
    return None, None
