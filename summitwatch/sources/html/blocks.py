"""Element trees as blocks: one walker for trafilatura's XML and readability's HTML.

Why one walker: the filters judge blocks (their text, link and bold share) the same way whichever
extractor produced them, so both outputs must be cut into blocks by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from summitwatch.model import Link
from summitwatch.sources.html.text import normalise_space

_BLOCK_TAGS = frozenset(
    """p div section article li h1 h2 h3 h4 h5 h6 blockquote pre td th tr dd dt dl figcaption figure
    ul ol table caption header footer main aside nav form center address
    head item quote cell row list""".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6 head".split())
_BREAK_TAGS = frozenset(("br", "lb", "hr"))
_LINK_ATTR = {"a": "href", "ref": "target"}
_IMG_TAGS = frozenset(("img", "graphic"))
_BOLD_TAGS = frozenset(("strong", "b", "hi"))
_IMG_ATTRS = ("src", "data-src", "data-original", "data-actualsrc", "data-lazy-src")


@dataclass(slots=True)
class Item:
    """A block of text (or a figure) with what the filters need to know about it."""

    kind: str  # paragraph | heading | caption | figure
    text: str
    link_chars: int = 0
    bold_chars: int = 0
    links: list[Link] = field(default_factory=list)
    src: str = ""  # figures only

    @property
    def link_share(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def blocks_of(root: etree._Element, base_url: str | None, split_lines: bool = False) -> list[Item]:
    """Blocks of an element tree in reading order: text split at block elements and line breaks.

    ``split_lines``: a newline in the text is a line break too (trafilatura's output, where a
    newline survives only where the page broke the line; in raw HTML source newlines mean nothing).
    """
    items: list[Item] = []
    buf: list[str] = []
    links: list[Link] = []
    link_chars = bold_chars = 0
    kinds: list[str] = ["paragraph"]

    def flush() -> None:
        nonlocal buf, links, link_chars, bold_chars
        raw = "".join(buf)
        lines = raw.split("\n") if split_lines and raw.count("\n") >= 4 else [raw]
        texts = [t for t in (normalise_space(line) for line in lines) if t]
        for text in texts:
            if len(texts) == 1:
                items.append(
                    Item(kinds[-1], text, min(link_chars, len(text)), min(bold_chars, len(text)), links)
                )
            else:  # one block became several lines: each keeps the links whose text it holds
                own = _links_in(links, text)
                items.append(Item(kinds[-1], text, min(len(text), sum(len(ln.text) for ln in own)), 0, own))
        buf, links, link_chars, bold_chars = [], [], 0, 0

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag and is_hidden(el):
                walker.skip_subtree()
                # the "end" event still comes for a skipped element; its tail is read there
                continue
            if tag in _BLOCK_TAGS:
                flush()
                kinds.append(
                    "heading" if tag in HEADING_TAGS else "caption" if tag == "figcaption" else kinds[-1]
                )
            elif tag in _BREAK_TAGS:
                flush()
            elif tag in _IMG_TAGS:
                src = next((el.get(a) for a in _IMG_ATTRS if el.get(a)), "")
                if src and not src.startswith("data:"):
                    flush()
                    cap = normalise_space(el.get("alt") or el.get("title") or "")
                    items.append(Item("figure", cap, src=absolute_url(src, base_url)))
            elif tag in _BOLD_TAGS and (tag != "hi" or "b" in (el.get("rend") or "")):
                bold_chars += len(normalise_space("".join(el.itertext())))
            elif tag in _LINK_ATTR:
                text = normalise_space("".join(el.itertext()))
                href = el.get(_LINK_ATTR[tag]) or ""
                link_chars += len(text)
                if text and href and not href.startswith(("javascript:", "#")):
                    links.append(Link(text=text, url=absolute_url(href, base_url)))
            if tag and el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS and not is_hidden(el):
                flush()
                kinds.pop()
            if el is not root and el.tail:
                buf.append(el.tail)
    flush()
    return items


def _links_in(links: list[Link], text: str) -> list[Link]:
    return [ln for ln in links if ln.text in text]


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def is_hidden(el: etree._Element) -> bool:
    """Elements the page itself hides (``display:none``, ``hidden``) are not article text."""
    style = el.get("style")
    return bool((style and _HIDDEN_STYLE.search(style)) or el.get("hidden") is not None)


def absolute_url(url: str, base: str | None) -> str:
    """``url`` resolved against the page's address (protocol-relative links get https)."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    return urljoin(base, url) if base else url
