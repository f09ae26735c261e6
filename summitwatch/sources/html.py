"""Plain HTML article pages: headline, main text, figures, links and page metadata.

Why this module exists: a saved news page is mostly navigation, related links, comments and
scripts around a few paragraphs. Maintained extractors (trafilatura) find the main text well but
leak boilerplate and often pick the wrong headline, so this reader combines trafilatura's main text
with page metadata (``og:title``, ``<h1>``, ``<title>`` without the site suffix, JSON-LD) and
precision filters whose vocabularies sit in ``summitwatch/data/html_extraction.yaml``.

The function is pure (string in, record out) and never raises on bad input: empty or garbage HTML
gives an empty :class:`HtmlDoc`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from summitwatch.model import Block, Figure, Link

__all__ = ["HtmlDoc", "extract_html"]


@dataclass(frozen=True, slots=True)
class HtmlDoc:
    """What a plain HTML page yields: the headline, clean blocks and the page's own metadata."""

    title: str
    blocks: tuple[Block, ...]
    figures: tuple[Figure, ...]
    links: tuple[Link, ...]
    published: str | None
    author: str | None
    site_name: str | None
    url: str | None
    language: str | None


EMPTY_DOC = HtmlDoc("", (), (), (), None, None, None, None, None)

_WS = re.compile(r"\s+")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")


def normalise_space(text: str) -> str:
    """Collapse whitespace; drop source-code line breaks between CJK characters (they are not spaces)."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = _CJK_GAP.sub("", text)
    return _WS.sub(" ", text).strip()


def extract_html(html: str, url: str | None = None) -> HtmlDoc:
    """Extract the article of one HTML page; never raises (empty doc for empty/garbage input)."""
    if not html or not html.strip():
        return EMPTY_DOC
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_links=True,
            include_images=True,
            include_tables=True,
        )
    except (ValueError, etree.LxmlError, RecursionError):
        result = None
    if result is None:
        return EMPTY_DOC
    blocks: list[Block] = []
    figures: list[Figure] = []
    links: list[Link] = []
    body = getattr(result, "body", None)
    if body is not None:
        _read_body(body, blocks, figures, links)
    return HtmlDoc(
        title=normalise_space(result.title or ""),
        blocks=tuple(blocks),
        figures=tuple(figures),
        links=tuple(links),
        published=result.date or None,
        author=result.author or None,
        site_name=result.sitename or None,
        url=result.url or url,
        language=result.language or None,
    )


def _read_body(body: etree._Element, blocks: list[Block], figures: list[Figure], links: list[Link]) -> None:
    """Turn trafilatura's XML body into blocks (paragraphs split at line breaks), figures, links."""
    for el in body.iter("p", "head", "item", "quote", "cell", "graphic", "ref"):
        tag = el.tag
        if tag == "graphic":
            src = el.get("src") or ""
            if src:
                figures.append(Figure(src=src, caption=normalise_space(el.get("alt") or el.get("title") or "")))
            continue
        if tag == "ref":
            target = el.get("target") or ""
            text = normalise_space("".join(el.itertext()))
            if target and text:
                links.append(Link(text=text, url=target))
            continue
        if tag in ("p", "quote", "item", "cell") and _has_block_ancestor(el):
            continue
        kind = "heading" if tag == "head" else "paragraph"
        for piece in _split_at_breaks(el):
            text = normalise_space(piece)
            if text:
                blocks.append(Block(kind=kind, text=text))


def _has_block_ancestor(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in ("p", "quote", "item", "cell", "head"):
            return True
        parent = parent.getparent()
    return False


def _split_at_breaks(el: etree._Element) -> list[str]:
    """Text of a block element, split into pieces at ``<lb/>`` (a ``<br>`` in the page)."""
    pieces: list[str] = [el.text or ""]
    for child in el.iter():
        if child is el:
            continue
        if child.tag == "lb":
            pieces.append("")
        elif child.tag != "graphic":
            pieces[-1] += child.text or ""
        pieces[-1] += child.tail or ""
    return pieces


def parse_tree(html: str) -> lxml_html.HtmlElement | None:
    """Parse HTML leniently with lxml; None when nothing usable comes out."""
    try:
        return lxml_html.document_fromstring(html)
    except (ValueError, etree.LxmlError):
        return None
