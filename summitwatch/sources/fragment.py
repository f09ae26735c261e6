"""Clean text out of the two markups the seed formats mix: Markdown inline syntax and HTML fragments.

Why one module: hkcnews Markdown embeds ``<figure>`` HTML, the Epoch Times mirror embeds a whole
HTML body in Markdown, and the DW RSS mirror is HTML under a Markdown title. All of them must give
the same kind of result: paragraphs and headings of clean text in reading order, figures with
captions, links with their text. :class:`Parts` is that intermediate result; positions (``pos``)
tie figures and links to the block they sit in, so dropping a boilerplate block drops its links.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from functools import cache

from lxml import etree
from lxml import html as lxml_html

__all__ = [
    "Draft",
    "Parts",
    "clean_markdown_inline",
    "drop_non_text",
    "html_to_parts",
    "normalise_html_space",
    "strip_tags",
]


@dataclass(slots=True)
class Parts:
    """Blocks, figures and links of one document in reading order (mutable while it is built)."""

    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, clean text)
    figures: list[list] = field(default_factory=list)  # [pos, src, caption]
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (pos, text, url)

    def add(self, kind: str, text: str) -> None:
        """Append a block unless its text is empty."""
        if text:
            self.blocks.append((kind, text))

    def add_figure(self, src: str, caption: str = "") -> list:
        fig = [len(self.blocks), src, caption]
        self.figures.append(fig)
        return fig


# ---------------------------------------------------------------- Markdown inline

_MAX_INLINE = 200_000  # characters; longer "paragraphs" skip the Markdown link/emphasis rules
_NEEDS_INLINE = re.compile(r"[\[<*&\\~`_{]|https?://")
# Linear-time rules for every pattern here: a delimited span never crosses its own opener (so the
# scans from successive openers are disjoint), adjacent repetitions never share a character class
# unless the first is possessive, and lazy repetition is never followed by an overlapping class.
_MD_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(\s*+<?([^()\s<>]*+)>?(?:\s++\"[^\"]*\")?\s*+\)")
_MD_LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\[\]]*\])*+)\]\(\s*+<?((?:[^()\"<>\s]|\s++(?=[^()\"<>\s])|\([^()\s]*\))*+)>?"
    r"\s*+(?:\"[^\"]*\"\s*+)?\)"
)
_URLISH = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\.|[\w-]+\.[\w-])")
_SHORTCODE = re.compile(r"\{\{[<%]\s*+(\w++)([^{}]*+)\}\}")
_SRC_ATTR = re.compile(r"\b(?:src|href|url|id)\s*=\s*[\"']?([^\"'\s]+)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]++)>")
_HTML_A = re.compile(
    r"<a\b[^<>]*?\bhref\s*+=\s*+[\"']?([^\"'\s<>]++)[^<>]*+>((?:[^<]|<(?!/?a\b))*+)</a\s*+>", re.I
)
_HTML_IMG = re.compile(r"<img\b[^<>]*?\bsrc\s*+=\s*+[\"']?([^\"'\s<>]++)[^<>]*+>", re.I)
_HTML_ALT = re.compile(r"\balt\s*=\s*[\"']([^\"']*)[\"']", re.I)
_HTML_BR = re.compile(r"<br\s*/?>", re.I)
_NON_TEXT_OPEN = re.compile(r"<(script|style|noscript|iframe|template)\b", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*+(?:\s[^<>]*+)?/?>")
_BOLD = re.compile(r"\*\*|__(?=\S)|(?<=\S)__|~~")
_EM = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<\"'])")
_SPACES = re.compile(r"[ \t\u00a0\u200b\ufeff]+")


def clean_markdown_inline(text: str, parts: Parts) -> str:
    """Markdown (with inline HTML) -> clean text; inline images and links go to ``parts``."""
    if _NEEDS_INLINE.search(text) is None:
        return _SPACES.sub(" ", text).strip()
    if len(text) > _MAX_INLINE:
        # hostile or broken input: one "paragraph" of this size is no prose; strip tags only
        return _SPACES.sub(" ", strip_tags(text, "")).strip()
    pos = len(parts.blocks)
    if "{{" in text:

        def _shortcode(m: re.Match[str]) -> str:
            args = m.group(2).rstrip()
            if not args.endswith((">", "%")):
                return m.group(0)  # {{< name ... }} without its closing mark: not a shortcode
            src = _SRC_ATTR.search(args[:-1])
            if src:
                parts.links.append((pos, m.group(1), src.group(1)))
            return ""

        text = _SHORTCODE.sub(_shortcode, text)
    if "![" in text:

        def _img(m: re.Match[str]) -> str:
            parts.figures.append([pos, m.group(2), m.group(1).strip()])
            return ""

        text = _MD_IMAGE.sub(_img, text)
    if "](" in text:

        def _link(m: re.Match[str]) -> str:
            label = m.group(1)
            url = _WS.sub("", m.group(2))
            if url and _URLISH.match(url):
                parts.links.append((pos, _strip_marks(label), url))
            return label

        for _ in range(3):  # nested links ([[](inner) [1]](outer)) come apart one level per pass
            text, n = _MD_LINK.subn(_link, text)
            if not n or "](" not in text:
                break
    if "<" in text:
        text = _MD_AUTOLINK.sub(r"\1", text)
        if "<a" in text or "<A" in text:

            def _a(m: re.Match[str]) -> str:
                label = strip_tags(m.group(2), "")
                parts.links.append((pos, _strip_marks(htmllib.unescape(label)), htmllib.unescape(m.group(1))))
                return label

            text = _HTML_A.sub(_a, text)
        if "<img" in text or "<IMG" in text:

            def _im(m: re.Match[str]) -> str:
                alt = _HTML_ALT.search(m.group(0))
                parts.figures.append([pos, htmllib.unescape(m.group(1)), alt.group(1) if alt else ""])
                return ""

            text = _HTML_IMG.sub(_im, text)
        text = _HTML_BR.sub("\n", text)
        text = strip_tags(text, "")
    text = _strip_marks(text)
    if "&" in text:
        text = htmllib.unescape(text)
    return _SPACES.sub(" ", text).strip()


def strip_tags(text: str, repl: str) -> str:
    """Replace every HTML tag and closed comment with ``repl`` (linear: comments by plain search)."""
    if "<!--" in text:
        out: list[str] = []
        i = 0
        while (a := text.find("<!--", i)) >= 0:
            b = text.find("-->", a + 4)
            if b < 0:
                break  # an unclosed comment stays text, and no later one can close either
            out.append(text[i:a])
            out.append(repl)
            i = b + 3
        out.append(text[i:])
        text = "".join(out)
    return _HTML_TAG.sub(repl, text)


@cache
def _closer(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*+>", re.I)


def drop_non_text(text: str, repl: str) -> str:
    """Replace script/style/noscript/iframe/template elements with ``repl``.

    Why not one ``<(x)\b.*?</\1>`` regex: every unclosed opener would rescan the rest of the text
    (quadratic on hostile input). Here each closer is searched once per opener, and an element name
    found unclosed is not searched for again.
    """
    out: list[str] = []
    i = pos = 0
    unclosed: set[str] = set()
    while (m := _NON_TEXT_OPEN.search(text, pos)) is not None:
        name = m.group(1).lower()
        close = None if name in unclosed else _closer(name).search(text, m.end())
        if close is None:
            unclosed.add(name)
            pos = m.end()
            continue
        out.append(text[i : m.start()])
        out.append(repl)
        i = pos = close.end()
    out.append(text[i:])
    return "".join(out)


def _strip_marks(text: str) -> str:
    """Remove emphasis/code marks and backslash escapes, keeping the words."""
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    if "*" in text or "_" in text or "~" in text:
        text = _BOLD.sub("", text)
        if "*" in text:
            text = _EM.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


# ---------------------------------------------------------------- HTML fragments

_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f"
# One maximal run of HTML whitespace per match: a run is matched once from its first character and
# the next search starts after it, so the cost is linear in the text however long the runs are.
# (The former lookaround pattern repeated this class on both sides of ``\n`` and rescanned every
# run from each of its characters: super-linear, and a 2 MB page of indented unclosed <p> hung.)
_HTML_SPACE_RUN = re.compile(r"[ \t\r\n\u00a0]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_WS = re.compile(r"[ \t\r\n\u00a0\u200b\ufeff]+")
_BR_MARK = "\x00"

_SKIP = frozenset(
    "script style noscript iframe template svg canvas button select input textarea object embed "
    "video audio head title meta link form nav".split()
)
_BLOCK = frozenset(
    "p div section article header footer main aside blockquote ul ol li table thead tbody tfoot tr "
    "td th h1 h2 h3 h4 h5 h6 figure figcaption pre hr dl dt dd center address details summary "
    "caption body html".split()
)
_HEADING = frozenset("h1 h2 h3 h4 h5 h6".split())
_EMPH = frozenset(("strong", "b"))


def normalise_html_space(text: str) -> str:
    """Collapse HTML whitespace; a source line break next to a CJK character is no space at all."""
    if "\n" in text:
        text = _HTML_SPACE_RUN.sub(_drop_cjk_line_gap, text)
    text = _WS.sub(" ", text)
    if _BR_MARK in text:
        text = "\n".join(s.strip() for s in text.split(_BR_MARK))
    return text.strip()


def _drop_cjk_line_gap(m: re.Match[str]) -> str:
    """A whitespace run holding a line break next to a CJK character vanishes; others stay as they are."""
    run = m.group(0)
    if "\n" not in run:
        return run
    text, a, b = m.string, m.start(), m.end()
    if (a and _CJK_CHAR.match(text, a - 1)) or (b < len(text) and _CJK_CHAR.match(text, b)):
        return ""
    return run


class _HtmlWalker:
    """Depth-first walk of an lxml tree that flushes a block at every block-level boundary."""

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.buf: list[str] = []
        self.kind_stack: list[str] = ["paragraph"]
        self.pending_fig: list | None = None
        self.link_stack: list[tuple[str, int]] = []

    def flush(self) -> None:
        if not self.buf:
            return
        text = normalise_html_space("".join(self.buf))
        self.buf = []
        if not text:
            return
        kind = self.kind_stack[-1]
        if kind == "caption":
            if self.pending_fig is not None and not self.pending_fig[2]:
                self.pending_fig[2] = text
            self.parts.add("caption", text)
            return
        self.pending_fig = None
        self.parts.add(kind, text)

    def walk(self, el: etree._Element) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comment / processing instruction
            return
        tag = tag.lower()
        if tag in _SKIP:
            return
        if tag == "img":
            src = el.get("src") or el.get("data-src") or el.get("data-original") or ""
            if src:
                self.flush()
                self.pending_fig = self.parts.add_figure(src, "")
            return
        if tag == "br":
            self.buf.append(_BR_MARK)
            return
        if tag == "hr":
            self.flush()
            return
        kind = self._kind_for(el, tag)
        is_block = tag in _BLOCK
        if is_block or kind is not None:
            self.flush()
        if kind is not None:
            self.kind_stack.append(kind)
        href = el.get("href") if tag in ("a", "ok") or el.get("href") else None
        start = len("".join(self.buf)) if href else 0
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if href:
            label = normalise_html_space("".join(self.buf)[start:])
            if label and not href.startswith(("#", "javascript:")):
                self.parts.links.append((len(self.parts.blocks), label, href))
        if is_block or kind is not None:
            self.flush()
        if kind is not None:
            self.kind_stack.pop()

    def _kind_for(self, el: etree._Element, tag: str) -> str | None:
        if tag in _HEADING:
            return "heading"
        if tag == "figcaption":
            return "caption"
        cls = el.get("class") or ""
        if "caption" in cls:
            return "caption"
        if tag == "small" and self.pending_fig is not None and not "".join(self.buf).strip():
            return "caption"
        if tag in ("p", "div") and len(el) == 1 and isinstance(el[0].tag, str) and el[0].tag in _EMPH:
            if not (el.text or "").strip() and not (el[0].tail or "").strip():
                words = normalise_html_space(el[0].text_content())
                if 0 < len(words) <= 40 and not words.endswith(("。", "！", "？", ".", "」", "”")):
                    return "heading"
        return None


# huge_tree: without it libxml2 stops at 256 nested elements and silently drops the rest of the text
# (a page of unclosed <div>); deeper trees than the walker can recurse fall back to the bare text
_FRAGMENT_PARSER = lxml_html.HTMLParser(huge_tree=True)


def html_to_parts(fragment: str, parts: Parts) -> None:
    """Append the blocks, figures and links of an HTML fragment to ``parts`` (unknown tags unwrapped)."""
    if not fragment.strip():
        return
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div", parser=_FRAGMENT_PARSER)
    except (etree.ParserError, ValueError):
        parts.add("paragraph", normalise_html_space(htmllib.unescape(strip_tags(fragment, " "))))
        return
    before = len(parts.blocks)
    walker = _HtmlWalker(parts)
    try:
        walker.walk(root)
        walker.flush()
    except RecursionError:
        del parts.blocks[before:]
        lost = True
    else:
        lost = len(parts.blocks) == before and not root.text_content().strip()
    if lost:
        # pathological markup (nesting beyond the parser's depth limit): keep the bare text
        text = strip_tags(drop_non_text(fragment, " "), " ")
        parts.add("paragraph", normalise_html_space(htmllib.unescape(text)))


@dataclass(slots=True)
class Draft:
    """What a format reader found, before outlet/date/URL/boilerplate rules make it an Article."""

    format: str
    title: str = ""
    parts: Parts = field(default_factory=Parts)
    url: str | None = None  # the record's URL as given (may be archive-wrapped)
    original_url: str | None = None
    date: str | None = None  # the article's own date/stamp as written
    date_alt: str | None = None  # a mirror's/container's own stamp (published_alt when it disagrees)
    author: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    site_name: str | None = None
    language: str | None = None
    archived_at: str | None = None  # capture time known from the container (WARC-Date)
    title_from_body: bool = False  # the reader may take the first heading as title
    via: str | None = None  # the mirror the page came through (set from its markers), never its outlet
