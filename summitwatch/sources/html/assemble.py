"""The HTML reader's entry: run the steps on one page and assemble the :class:`HtmlDoc`.

Why a module: the order of the steps (clean, parse, headline, extract, filter, compare readings,
metadata) and the choice between readings live in one place; each step lives in its own module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from summitwatch.model import Block, Figure, Link
from summitwatch.sources.html.blocks import Item, absolute_url
from summitwatch.sources.html.extractors import (
    density_items,
    prose_chars,
    readability_items,
    trafilatura_items,
)
from summitwatch.sources.html.filters import clean_items
from summitwatch.sources.html.headline import choose_headline, site_from_title
from summitwatch.sources.html.meta import (
    byline_after_headline,
    json_ld_objects,
    ld_value,
    meta_author,
    page_language,
    page_meta,
    published_time,
)
from summitwatch.sources.html.rules import HtmlRules, load_rules
from summitwatch.sources.html.text import normalise_space
from summitwatch.sources.html.tree import clean_page, parse_tree


@dataclass(frozen=True, slots=True)
class HtmlDoc:
    """What a plain HTML page yields: the headline, clean blocks and the page's own metadata."""

    title: str
    blocks: tuple[Block, ...]  # kinds: heading | paragraph | caption (the headline is not a block)
    figures: tuple[Figure, ...]
    links: tuple[Link, ...]  # links inside the kept main text
    published: str | None  # ISO 8601, with the page's offset when it gives one
    author: str | None
    site_name: str | None
    url: str | None  # canonical / og:url, else the url given
    language: str | None


EMPTY_DOC = HtmlDoc("", (), (), (), None, None, None, None, None)


def extract_html(html: str, url: str | None = None) -> HtmlDoc:
    """Extract the article of one HTML page; never raises (empty doc for empty/garbage input)."""
    if not isinstance(html, str) or not html.strip() or _looks_binary(html):
        return EMPTY_DOC
    try:
        return _extract(html, url, load_rules())
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError):
        # a page that trips a parser in an unforeseen way is no article, not a failed run
        return EMPTY_DOC


def _extract(html: str, url: str | None, rules: HtmlRules) -> HtmlDoc:
    cleaned, json_ld = clean_page(html, rules)
    tree = parse_tree(cleaned) if cleaned else None
    if tree is None:
        return EMPTY_DOC
    meta = page_meta(tree)
    ld = json_ld_objects(json_ld)
    canonical = next(
        (ln.get("href") for ln in tree.iter("link") if (ln.get("rel") or "").lower() == "canonical"), None
    )
    page_url = canonical or meta.get("og:url")
    page_url = absolute_url(page_url, url) if page_url else url
    base = url or page_url

    traf_items = trafilatura_items(cleaned, base)
    first_text = _first_paragraph(traf_items)
    if not first_text:
        dens_items = density_items(cleaned, base)
        first_text = _first_paragraph(dens_items)
    else:
        dens_items = None
    headline = choose_headline(tree, meta, ld, rules, first_text)

    # trafilatura's text unless another opinion reads the page clearly better (pages it misreads):
    # first the punctuation-density pick, then readability-lxml when that is still thin
    items = clean_items(traf_items, headline, rules)
    t_prose = prose_chars(items)
    lump = sum(it.kind == "paragraph" for it in items) <= 1
    body = tree.find("body")
    page_text = normalise_space(" ".join(body.itertext())) if body is not None else ""
    # another reading can only win with prose, and prose needs a sentence end somewhere on the page:
    # a page without one (a huge table of figures) skips the two costly re-readings
    if (t_prose < 400 or lump) and _SENTENCE_END.search(page_text):
        if dens_items is None:
            dens_items = density_items(cleaned, base)
        chosen, score = items, 0
        alt = clean_items(dens_items, headline, rules)
        if (a := _better_reading(alt, t_prose, lump)) > score:
            chosen, score = alt, a
        if score < 200:
            alt = clean_items(readability_items(cleaned, base), headline, rules)
            if (a := _better_reading(alt, t_prose, lump)) > score:
                chosen, score = alt, a
        items = chosen

    blocks, figures, links = _assemble(items)
    text = "\n\n".join(b.text for b in blocks)
    site = meta.get("og:site_name") or ld_value(ld, "publisher") or site_from_title(tree, rules)
    return HtmlDoc(
        title=headline,
        blocks=tuple(blocks),
        figures=tuple(figures),
        links=tuple(links),
        published=published_time(tree, meta, ld, page_text, headline, rules),
        author=meta_author(meta, ld, site) or byline_after_headline(page_text, headline, rules),
        site_name=normalise_space(site) if site else None,
        url=page_url or None,
        language=page_language(tree, meta, f"{headline} {(text or page_text)[:2000]}"),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?:\s|$)")  # what prose_chars requires of any prose item


def _looks_binary(text: str) -> bool:
    """Control characters (NUL and friends) in more than 1% of the start: bytes, not a page."""
    head = text[:4096]
    return len(_CONTROL.findall(head)) > max(1, len(head) // 100)


def _better_reading(alt: list[Item], t_prose: int, lump: bool) -> int:
    """The alternative's prose when it beats trafilatura's reading, else 0.

    It must find twice the prose; or, when trafilatura returned everything as one paragraph (its
    whole-page fallback), about the same prose split into paragraphs.
    """
    a = prose_chars(alt)
    if a < 50:
        return 0
    if a > 2 * t_prose:
        return a
    if lump and a >= 0.8 * t_prose and sum(it.kind == "paragraph" for it in alt) >= 2:
        return a
    return 0


def _first_paragraph(items: list[Item]) -> str:
    return next((it.text for it in items if it.kind == "paragraph" and len(it.text) >= 20), "")


def _assemble(items: list[Item]) -> tuple[list[Block], list[Figure], list[Link]]:
    """Records from the kept items; a caption right after a figure without alt text becomes its caption."""
    blocks: list[Block] = []
    figures: list[Figure] = []
    links: list[Link] = []
    seen_src: set[str] = set()
    for i, it in enumerate(items):
        if it.kind == "figure":
            if it.src in seen_src:
                continue
            seen_src.add(it.src)
            caption = it.text
            nxt = items[i + 1] if i + 1 < len(items) else None
            if not caption and nxt is not None and nxt.kind == "caption":
                caption = nxt.text
            figures.append(Figure(src=it.src, caption=caption))
            continue
        blocks.append(Block(kind=it.kind, text=it.text))  # type: ignore[arg-type]
        links.extend(it.links)
    return blocks, figures, links
