"""Three opinions on a page's main text: trafilatura, readability-lxml and punctuation density.

Why several: each maintained extractor fails in its own way on Chinese news sites (trafilatura
leaks furniture, readability misses text); the reader compares their prose (see ``prose_chars``)
and keeps the better reading.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from readability import Document

from summitwatch.sources.html.blocks import Item, blocks_of, is_hidden
from summitwatch.sources.html.text import normalise_space
from summitwatch.sources.html.tree import parse_tree


def trafilatura_items(html: str, url: str | None) -> list[Item]:
    """trafilatura's main text as blocks ([] when it finds none)."""
    tree = parse_tree(html)
    if tree is None:
        return []
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            fast=True,  # its internal fallbacks re-run readability/jusText; we vote ourselves
            include_comments=False,
            include_links=True,
            include_images=True,
            include_tables=True,
        )
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError):
        return []
    body = getattr(doc, "body", None) if doc is not None else None
    return blocks_of(body, url, split_lines=True) if body is not None else []


def readability_items(html: str, url: str | None) -> list[Item]:
    """readability-lxml's main text as blocks ([] when it gives up)."""
    try:
        summary = Document(html, url=url).summary(html_partial=True)
        frag = lxml_html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # noqa: BLE001 - readability raises bare Exception subclasses on odd pages
        return []
    return blocks_of(frag, url)


_INLINE_TAGS = frozenset(
    "span a b strong em i u font sub sup small big mark code abbr cite q s strike ins del label time".split()
)
_PUNCT = re.compile(r"[，。！？、；：“”‘’…,.!?;:]")


def density_items(html: str, url: str | None) -> list[Item]:
    """A third opinion for pages both extractors miss: the element holding the most punctuated prose.

    Prose is text with punctuation outside links (navigation and link lists have little). Each
    text-bearing element credits its own prose to itself, its parent and (half) its grandparent,
    as readability does for ``<p>``, but for any element, so text in ``<section><span>`` counts.
    """
    tree = parse_tree(html)
    body = tree.find("body") if tree is not None else None
    if body is None:
        return []
    scores: dict[etree._Element, float] = {}
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _INLINE_TAGS or is_hidden(el):
            continue
        parts = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and child.tag in _INLINE_TAGS and child.tag != "a":
                parts.append("".join(t for t in child.itertext()))
            parts.append(child.tail or "")
        own = normalise_space("".join(parts))
        punct = len(_PUNCT.findall(own))
        if len(own) < 10 or punct == 0:
            continue
        weight = len(own) * min(1.0, punct / 3)
        scores[el] = scores.get(el, 0.0) + weight
        parent = el.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + weight
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + weight / 2
    if not scores:
        return []
    best = max(scores, key=lambda e: scores[e])
    return blocks_of(best, url)


def prose_chars(items: list[Item]) -> int:
    """Characters of kept paragraphs that read as sentences, not as title lists or navigation lumps.

    A paragraph counts (minus its link text) when it has sentence punctuation at a prose rate: at
    least one of ，。！？；,.!?; per 50 characters and at least one sentence end.
    """
    total = 0
    for it in items:
        if it.kind != "paragraph":
            continue
        marks = len(re.findall(r"[，。！？；,.!?;]", it.text))
        if marks and marks >= len(it.text) / 50 and re.search(r"[。！？]|[.!?](\s|$)", it.text):
            total += max(0, len(it.text) - it.link_chars)
    return total
