"""Page metadata: publication time, language, author and byline.

Why a module: these come from the page's own signals (meta tags, JSON-LD, ``<time>``, the dateline
under the headline), not from the main text the extractors pick.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import html as lxml_html

from summitwatch.sources.html.rules import HtmlRules
from summitwatch.sources.html.text import cjk_share, normalise_space, text_key


def page_meta(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """``<meta>`` values by lower-cased property/name/itemprop (first one wins)."""
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        name = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        content = m.get("content")
        if name and content and content.strip() and name not in out:
            out[name] = content.strip()
    return out


def json_ld_objects(texts: list[str]) -> list[dict[str, Any]]:
    """Objects of the page's JSON-LD blocks (``@graph`` lists flattened)."""
    found: list[dict[str, Any]] = []
    for text in texts:
        try:
            data = json.loads(text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(cur)
            elif isinstance(cur, dict):
                found.append(cur)
                if "@graph" in cur:
                    stack.append(cur["@graph"])
    return found


def ld_value(objs: list[dict[str, Any]], *names: str) -> str | None:
    """The first non-empty value of ``names`` in the JSON-LD objects (a nested ``name`` unwrapped)."""
    for obj in objs:
        for name in names:
            v = obj.get(name)
            if isinstance(v, dict):
                v = v.get("name")
            if isinstance(v, list) and v:
                v = v[0].get("name") if isinstance(v[0], dict) else v[0]
            if isinstance(v, str) and v.strip():
                return normalise_space(v)
    return None


_ISO = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s-]*(\d{1,2})[:：](\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def _iso(value: str) -> str | None:
    """An ISO 8601 string from a date/time as pages write it; the offset is kept only when given."""
    m = _ISO.search(value)
    if not m:
        return None
    y, mo, d, h, mi, s, tz = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    date = f"{y}-{int(mo):02d}-{int(d):02d}"
    if h is None:
        return date
    if int(h) > 23 or int(mi) > 59:
        return date
    out = f"{date}T{int(h):02d}:{mi}:{s or '00'}"
    if tz:
        out += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    return out


_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publication_date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "date",
    "firstpublishedtime",
    "weibo:article:create_at",
)


def published_time(
    tree: lxml_html.HtmlElement,
    meta: dict[str, str],
    ld: list[dict[str, Any]],
    page_text: str,
    headline: str,
    rules: HtmlRules,
) -> str | None:
    """Publication time: meta tags, JSON-LD, ``<time>``, a labelled dateline, the dateline under the headline."""
    for name in _DATE_META:
        if name in meta and (v := _iso(meta[name])):
            return v
    if (v := ld_value(ld, "datePublished", "dateCreated")) and (iso := _iso(v)):
        return iso
    for t in tree.iter("time"):
        if (v := t.get("datetime")) and (iso := _iso(v)):
            return iso
    if rules.dateline_labels:
        for pat in rules.dateline:
            labelled = re.compile(rules.dateline_labels + pat.pattern)
            if (m := labelled.search(page_text)) and (iso := _iso(m.group(0))):
                return iso
    start = page_text.find(headline) if headline else -1
    if start >= 0:
        window = page_text[start + len(headline) : start + len(headline) + rules.dateline_window]
        found = [m for pat in rules.dateline for m in pat.finditer(window)]
        # a date with a time of day is the dateline; a bare date may be the first sentence's
        for m in sorted(found, key=lambda m: (m.group(4) is None, m.start())):
            if iso := _iso(m.group(0)):
                return iso
    return None


def page_language(tree: lxml_html.HtmlElement, meta: dict[str, str], text: str) -> str | None:
    """The declared language when the text does not contradict it, else a guess from the script."""
    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("content-language") or meta.get("og:locale")
    if lang:
        lang = lang.strip().replace("_", "-")
        primary = lang.split("-")[0].lower()
        if primary in ("zh", "en", "ja", "ko", "fr", "de", "es", "ru") and (
            primary != "en" or cjk_share(text) < 0.1
        ):
            return primary
    if not text.strip():
        return None
    return "zh" if cjk_share(text) >= 0.1 else "en" if re.search(r"[A-Za-z]{3}", text) else None






def meta_author(meta: dict[str, str], ld: list[dict[str, Any]], site: str | None) -> str | None:
    """The byline from meta tags or JSON-LD, when it looks like a name (not a URL, id, e-mail or the site)."""
    for v in (
        *(meta.get(n) for n in ("author", "article:author", "og:article:author", "dc.creator", "byl")),
        ld_value(ld, "author"),
    ):
        if v and _plausible_name(v) and not (site and text_key(v) in text_key(site)):
            return normalise_space(v)
    return None


def byline_after_headline(page_text: str, headline: str, rules: HtmlRules) -> str | None:
    """A name after 作者： / "By" shortly after the headline."""
    start = page_text.find(headline) if headline else -1
    if start < 0:
        return None
    window = page_text[start + len(headline) : start + len(headline) + rules.dateline_window]
    for pat in rules.byline:
        for m in pat.finditer(window):
            name = m.group(1)
            if not any(name.startswith(n) for n in rules.non_names):
                return name
    return None


def _plausible_name(value: str) -> bool:
    v = value.strip()
    return (
        1 < len(v) <= 60
        and not re.search(r"https?:|www\.|@|\d{4,}", v)
        and bool(re.search(r"[A-Za-z\u3400-\u9fff]", v))
    )
