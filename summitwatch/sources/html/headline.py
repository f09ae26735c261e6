"""The headline by agreement, and the site name the title tag carries.

Why: the headline is the short heading-like element that the ``<title>``, ``og:title`` and JSON-LD
headline agree with most (site name excluded); when the title names only a section, the heading
nearest above the article text wins. Extractors alone often take a related story's title.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from summitwatch.sources.html.blocks import HEADING_TAGS
from summitwatch.sources.html.meta import ld_value
from summitwatch.sources.html.rules import HtmlRules
from summitwatch.sources.html.text import normalise_space, text_key


def title_segments(title: str, rules: HtmlRules) -> list[str]:
    """The parts of a ``<title>`` between the site's separators (「_」, 「|」, 「 - 」, ...), each normalised."""
    parts = [title]
    for sep in rules.title_separators:
        parts = [p for part in parts for p in part.split(sep)]
    return [normalise_space(p) for p in parts if normalise_space(p)]


def strip_labels(text: str, rules: HtmlRules) -> str:
    """``text`` without a leading section label (「原创」, 「独家」, ...) when a real headline follows it."""
    for label in rules.headline_labels:
        if text.startswith(label) and len(text) > len(label) + 4:
            return text[len(label) :].lstrip(" |｜:：丨")
    return text


def _common_run(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


_TITLEISH = re.compile(r"title|headline|biaoti|tit\b|hd\b", re.IGNORECASE)
_SKIP_TAGS = frozenset(
    "html head body title meta link script style ul ol table tbody tr select option".split()
)


def _headline_candidates(tree: lxml_html.HtmlElement) -> Iterator[tuple[int, str, bool]]:
    """(document position, text, heading-like) of every element that could hold the headline."""
    body = tree.find("body")
    if body is None:
        return
    elements = list(body.iter())
    # raw text length of every subtree, bottom-up in one pass, so big containers are skipped
    # without reading their text
    size: dict[etree._Element, int] = {}
    for el in reversed(elements):
        n = len(el.text or "") if isinstance(el.tag, str) else 0
        for child in el:
            n += size.get(child, 0) + len(child.tail or "")
        size[el] = n
    for pos, el in enumerate(elements):
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or len(el) > 6 or not 4 <= size[el] <= 1000:
            continue
        text = normalise_space(el.text_content())
        if not 4 <= len(text) <= 160:
            continue
        headingish = el.tag in HEADING_TAGS or bool(
            _TITLEISH.search(f"{el.get('class', '')} {el.get('id', '')}")
        )
        yield pos, text, headingish


def choose_headline(
    tree: lxml_html.HtmlElement,
    meta: dict[str, str],
    ld: list[dict[str, Any]],
    rules: HtmlRules,
    body_start: str = "",
) -> str:
    """The headline the page's title metadata and its visible headings agree on."""
    title_tag = normalise_space(tree.findtext(".//title") or "")
    segments = title_segments(title_tag, rules)
    site_keys = (
        {text_key(segments[-1])}
        if len(segments) > 1 and len(text_key(segments[-1])) <= rules.site_name_max_chars
        else set()
    )
    if meta.get("og:site_name"):
        site_keys.add(text_key(meta["og:site_name"]))
    refs = [
        text_key(r)
        for r in (
            title_tag,
            meta.get("og:title"),
            meta.get("twitter:title"),
            meta.get("title"),
            ld_value(ld, "headline", "name"),
        )
        if r
    ]
    candidates = list(_headline_candidates(tree))
    grams = {r[i : i + 4] for r in refs for i in range(len(r) - 3)}
    best: tuple[int, int, int, int] | None = None
    best_text = ""
    for pos, text, headingish in candidates:
        text = strip_labels(text, rules)
        k = text_key(text)
        if len(k) < 4 or k in site_keys or any(k in s for s in site_keys):
            continue
        if not any(k[i : i + 4] in grams for i in range(len(k) - 3)):
            continue  # shares no 4 characters with any title: cannot reach the 5-character bar
        run = max((len(k) if k in r else _common_run(k, r) for r in refs), default=0)
        if run >= 5 and run >= 0.8 * len(k):
            score = (run, run - len(k), int(headingish), -pos)
            if best is None or score > best:
                best, best_text = score, text
    # a heading that agrees with only part of a long title, while another candidate agrees fully,
    # loses above; when nothing agrees (the title tag names a section), take the heading nearest
    # above the article text
    if best is not None and (best[0] >= 8 or not body_start):
        return best_text
    if body_start:
        near = _heading_above(tree, candidates, body_start, site_keys, rules)
        if near:
            return near
    if best is not None:
        return best_text
    for fallback in (meta.get("og:title"), ld_value(ld, "headline"), segments[0] if segments else ""):
        if fallback:
            return strip_labels(normalise_space(fallback), rules)
    return ""


def _heading_above(
    tree: lxml_html.HtmlElement,
    candidates: list[tuple[int, str, bool]],
    body_start: str,
    site_keys: set[str],
    rules: HtmlRules,
) -> str:
    """The heading-like element closest before the first words of the article text."""
    body = tree.find("body")
    if body is None:
        return ""
    target = text_key(body_start)[:12]
    start_pos = None
    for pos, el in enumerate(body.iter()):
        if isinstance(el.tag, str) and el.text and target and target in text_key(el.text):
            start_pos = pos
            break
    if start_pos is None:
        return ""
    above = [
        (pos, text)
        for pos, text, headingish in candidates
        if headingish
        and pos < start_pos
        and text_key(text) not in site_keys
        and len(text_key(text)) >= 6
        and target not in text_key(text)
    ]
    return strip_labels(above[-1][1], rules) if above else ""



def site_from_title(tree: lxml_html.HtmlElement, rules: HtmlRules) -> str | None:
    segments = title_segments(normalise_space(tree.findtext(".//title") or ""), rules)
    if len(segments) > 1 and len(text_key(segments[-1])) <= rules.site_name_max_chars:
        return segments[-1]
    return None
