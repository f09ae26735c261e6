"""Plain HTML article pages: headline, main text, figures, links and page metadata.

Why this module exists: a saved news page is mostly navigation, related links, comment areas and
scripts around a few paragraphs. Maintained extractors find the main text but each fails in its own
way on Chinese news sites: trafilatura keeps the text well but leaks comment areas, "hot news" lists
and editor/copyright lines and often takes a related story's title as the headline; readability-lxml
is cleaner but misses text and headlines more often. This reader combines them with page signals:

1. **Parse like a browser.** The page is parsed with lexbor (HTML5 rules, via selectolax), scripts
   and styles dropped and pathological nesting flattened, then handed to lxml. libxml2's own HTML
   parser silently truncates some real pages (a self-closed ``<script/>``, nesting beyond 256
   levels) and loses their article text.
2. **Headline by agreement.** Every short heading-like element of the page is a candidate; the one
   the ``<title>``/``og:title``/JSON-LD headline agree with most (longest common run, site name
   excluded) wins. When the title tag names only a section, the heading nearest above the article
   text wins.
3. **Main text by two extractors and precision filters.** trafilatura's and readability's outputs
   are turned into blocks, each cleaned by the same general filters (text before the headline,
   link-dense lines, furniture lines, and everything from the first "end of article" marker such as
   责任编辑 or 网友评论仅供… on); trafilatura's result is used unless readability found much more
   text. The vocabularies live in ``summitwatch/data/html_extraction.yaml``.

The function is pure (string in, record out) and never raises on bad input: empty or garbage HTML
gives an empty :class:`HtmlDoc`.
"""

from __future__ import annotations

import difflib
import functools
import html as _htmlmod
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from summitwatch.knowledge import data_file
from summitwatch.model import Block, Figure, Link

__all__ = ["HtmlDoc", "extract_html", "normalise_space"]


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

# ---------------------------------------------------------------------------------------------
# text helpers

_WS = re.compile(r"\s+")
_CJK = r"\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v\u3000]*\n\s*(?=[{_CJK}])")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)


def normalise_space(text: str) -> str:
    """Collapse whitespace; drop source-code line breaks between CJK characters (they are not spaces)."""
    text = text.translate(_INVISIBLE).replace("\u00a0", " ")
    text = _CJK_GAP.sub("", text)
    return _WS.sub(" ", text).strip()


def _key(text: str) -> str:
    """Whitespace-free form used to compare headlines and to match boilerplate patterns."""
    return _WS.sub("", text.translate(_INVISIBLE).replace("\u3000", " "))


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff") / len(text)


# ---------------------------------------------------------------------------------------------
# vocabularies


@dataclass(frozen=True, slots=True)
class HtmlRules:
    """The compiled contents of ``data/html_extraction.yaml``."""

    drop_tags: tuple[str, ...]
    title_separators: tuple[str, ...]
    headline_labels: tuple[str, ...]
    drop: tuple[re.Pattern[str], ...]
    drop_anywhere: tuple[re.Pattern[str], ...]
    cut_from: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    dateline: tuple[re.Pattern[str], ...]
    strip: tuple[re.Pattern[str], ...] = ()
    dateline_labels: str = ""
    byline: tuple[re.Pattern[str], ...] = ()
    non_names: frozenset[str] = frozenset()
    figure_caption_drop: tuple[re.Pattern[str], ...] = ()
    max_boilerplate_chars: int = 200
    max_unanchored_chars: int = 100
    max_input_chars: int = 20_000_000
    max_clean_chars: int = 600_000
    site_name_max_chars: int = 16
    min_text_before_cut: int = 60
    link_density: float = 0.5
    link_dense_max_chars: int = 200
    dateline_window: int = 400


@functools.lru_cache(maxsize=1)
def load_rules(data_dir: Path | None = None) -> HtmlRules:
    """Compile the vocabulary file (read and checked by the knowledge loader) once per process."""
    data: dict[str, Any] = data_file("html_extraction.yaml", data_dir)

    def patterns(name: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data.get(name) or ())

    def combined(name: str) -> tuple[re.Pattern[str], ...]:
        """One alternation per list: a search finds the leftmost match of any of them, fast."""
        items = data.get(name) or ()
        return (re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE),) if items else ()

    return HtmlRules(
        drop_tags=tuple(data["drop_tags"]),
        title_separators=tuple(data["title_separators"]),
        headline_labels=tuple(data["headline_labels"]),
        drop=combined("drop"),
        drop_anywhere=combined("drop_anywhere"),
        cut_from=combined("cut_from"),
        caption=patterns("caption_patterns"),
        dateline=patterns("dateline_patterns"),
        strip=patterns("strip"),
        figure_caption_drop=patterns("figure_caption_drop"),
        dateline_labels=str(data.get("dateline_labels") or ""),
        byline=tuple(re.compile(p) for p in data.get("byline_patterns") or ()),
        non_names=frozenset(data.get("non_names") or ()),
        max_boilerplate_chars=int(data.get("max_boilerplate_chars", 200)),
        max_unanchored_chars=int(data.get("max_unanchored_chars", 100)),
        max_input_chars=int(data.get("max_input_chars", 20_000_000)),
        max_clean_chars=int(data.get("max_clean_chars", 600_000)),
        site_name_max_chars=int(data.get("site_name_max_chars", 16)),
        min_text_before_cut=int(data.get("min_text_before_cut", 60)),
        link_density=float(data.get("link_density", 0.5)),
        link_dense_max_chars=int(data.get("link_dense_max_chars", 200)),
        dateline_window=int(data.get("dateline_window", 400)),
    )


# ---------------------------------------------------------------------------------------------
# parsing

_MAX_DEPTH = 120  # deeper nesting is flattened: lxml stops at 256 levels, Python recursion at ~1000
_FLATTENABLE = frozenset(
    "div span section article font center b i u em strong small big main aside header footer nav".split()
)


def clean_html(html: str, rules: HtmlRules | None = None) -> str | None:
    """Parse with lexbor (HTML5 rules), drop script-like tags, flatten deep nesting, serialise.

    None when the input holds no element with text at all.
    """
    return _clean_page(html, rules or load_rules())[0]


def _clean_page(html: str, rules: HtmlRules) -> tuple[str | None, list[str]]:
    """The cleaned page (see :func:`clean_html`) and the texts of its JSON-LD scripts."""
    from selectolax.lexbor import LexborHTMLParser

    html = _defuse_nesting(html[: rules.max_input_chars])
    try:
        parser = LexborHTMLParser(html)
    except (ValueError, TypeError, RuntimeError):
        return None, []
    root = parser.root
    if root is None:
        return None, []
    json_ld = [
        node.text(deep=True)
        for node in parser.css("script")
        if (node.attributes.get("type") or "").lower() == "application/ld+json"
    ]
    for node in parser.css(",".join(rules.drop_tags)):
        node.decompose()
    if _flatten_deep(root):
        out: str | None = parser.html
    else:
        # pathological nesting (hostile input): keep the text, drop the structure
        lines = (ln.strip() for ln in (root.text(deep=True, separator="\n") or "").splitlines())
        out = "<html><body>" + "".join(f"<p>{_htmlmod.escape(ln)}</p>" for ln in lines if ln) + "</body></html>"
    if out and len(out) > rules.max_clean_chars:
        out = out[: rules.max_clean_chars]  # lxml closes what the cut leaves open
    return (out if out and out.strip() else None), json_ld


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_MAX_RAW_DEPTH = 2000


def _defuse_nesting(html: str) -> str:
    """Strip container tags from a page nested deeper than any real page (hostile input).

    HTML5 tree builders check the stack of open elements for every tag, so parse time grows with the
    square of the nesting depth (100,000 nested divs take minutes); a linear scan of the raw tags
    catches such pages first and flattens them, keeping their text.
    """
    depth = 0
    for m in _TAG_RE.finditer(html):
        if m.group(2).lower() in _VOID or m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        if depth > _MAX_RAW_DEPTH:
            return _TAG_RE.sub(lambda t: t.group(0) if t.group(2).lower() in ("p", "br", "title", "h1", "h2",
                               "h3", "script", "style", "meta", "html", "head", "body") else "\n", html)
    return html


_MAX_DEEP_NODES = 2000  # beyond this many over-deep nodes, unwrapping one by one costs quadratic time


def _flatten_deep(root: Any) -> bool:
    """Unwrap container elements nested deeper than ``_MAX_DEPTH`` (iteratively: no recursion).

    Returns False, leaving the tree as it is, when there are too many such nodes to unwrap cheaply.
    """
    depth: dict[int, int] = {}
    deep: list[Any] = []
    for node in root.traverse():
        parent = node.parent
        d = depth.get(parent.mem_id, 0) + 1 if parent is not None else 0
        depth[node.mem_id] = d
        if d > _MAX_DEPTH and node.tag in _FLATTENABLE:
            deep.append(node)
            if len(deep) > _MAX_DEEP_NODES:
                return False
    for node in reversed(deep):
        node.unwrap()
    return True


def parse_tree(html: str) -> lxml_html.HtmlElement | None:
    """Parse (already cleaned) HTML with lxml; None when nothing usable comes out."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        tree = lxml_html.document_fromstring(html, parser=parser)
    except (ValueError, etree.LxmlError):
        return None
    return tree


# ---------------------------------------------------------------------------------------------
# page text as blocks (one walker for both trafilatura's XML and readability's HTML)

_BLOCK_TAGS = frozenset(
    """p div section article li h1 h2 h3 h4 h5 h6 blockquote pre td th tr dd dt dl figcaption figure
    ul ol table caption header footer main aside nav form center address
    head item quote cell row list""".split()
)
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6 head".split())
_BREAK_TAGS = frozenset(("br", "lb", "hr"))
_LINK_ATTR = {"a": "href", "ref": "target"}
_IMG_TAGS = frozenset(("img", "graphic"))
_BOLD_TAGS = frozenset(("strong", "b", "hi"))
_IMG_ATTRS = ("src", "data-src", "data-original", "data-actualsrc", "data-lazy-src")


@dataclass(slots=True)
class _Item:
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


def _blocks_of(root: etree._Element, base_url: str | None, split_lines: bool = False) -> list[_Item]:
    """Blocks of an element tree in reading order: text split at block elements and line breaks.

    ``split_lines``: a newline in the text is a line break too (trafilatura's output, where a
    newline survives only where the page broke the line; in raw HTML source newlines mean nothing).
    """
    items: list[_Item] = []
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
                    _Item(kinds[-1], text, min(link_chars, len(text)), min(bold_chars, len(text)), links)
                )
            else:  # one block became several lines: each keeps the links whose text it holds
                own = _links_in(links, text)
                items.append(_Item(kinds[-1], text, min(len(text), sum(len(ln.text) for ln in own)), 0, own))
        buf, links, link_chars, bold_chars = [], [], 0, 0

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag and _hidden(el):
                walker.skip_subtree()
                # the "end" event still comes for a skipped element; its tail is read there
                continue
            if tag in _BLOCK_TAGS:
                flush()
                kinds.append(
                    "heading" if tag in _HEADING_TAGS else "caption" if tag == "figcaption" else kinds[-1]
                )
            elif tag in _BREAK_TAGS:
                flush()
            elif tag in _IMG_TAGS:
                src = next((el.get(a) for a in _IMG_ATTRS if el.get(a)), "")
                if src and not src.startswith("data:"):
                    flush()
                    cap = normalise_space(el.get("alt") or el.get("title") or "")
                    items.append(_Item("figure", cap, src=_absolute(src, base_url)))
            elif tag in _BOLD_TAGS and (tag != "hi" or "b" in (el.get("rend") or "")):
                bold_chars += len(normalise_space("".join(el.itertext())))
            elif tag in _LINK_ATTR:
                text = normalise_space("".join(el.itertext()))
                href = el.get(_LINK_ATTR[tag]) or ""
                link_chars += len(text)
                if text and href and not href.startswith(("javascript:", "#")):
                    links.append(Link(text=text, url=_absolute(href, base_url)))
            if tag and el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS and not _hidden(el):
                flush()
                kinds.pop()
            if el is not root and el.tail:
                buf.append(el.tail)
    flush()
    return items


def _links_in(links: list[Link], text: str) -> list[Link]:
    return [ln for ln in links if ln.text in text]


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _hidden(el: etree._Element) -> bool:
    """Elements the page itself hides (``display:none``, ``hidden``) are not article text."""
    style = el.get("style")
    return bool((style and _HIDDEN_STYLE.search(style)) or el.get("hidden") is not None)


def _absolute(url: str, base: str | None) -> str:
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    return urljoin(base, url) if base else url


# ---------------------------------------------------------------------------------------------
# the two extractors


def _trafilatura_items(html: str, url: str | None) -> list[_Item]:
    """trafilatura's main text as blocks ([] when it finds none)."""
    import trafilatura

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
    return _blocks_of(body, url, split_lines=True) if body is not None else []


def _readability_items(html: str, url: str | None) -> list[_Item]:
    """readability-lxml's main text as blocks ([] when it is not installed or gives up)."""
    try:
        from readability import Document
    except ImportError:  # pragma: no cover - optional extractor
        return []
    try:
        summary = Document(html, url=url).summary(html_partial=True)
        frag = lxml_html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # noqa: BLE001 - readability raises bare Exception subclasses on odd pages
        return []
    return _blocks_of(frag, url)


_INLINE_TAGS = frozenset(
    "span a b strong em i u font sub sup small big mark code abbr cite q s strike ins del label time".split()
)
_PUNCT = re.compile(r"[，。！？、；：“”‘’…,.!?;:]")


def _density_items(html: str, url: str | None) -> list[_Item]:
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
        if not isinstance(el.tag, str) or el.tag in _INLINE_TAGS or _hidden(el):
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
    return _blocks_of(best, url)


def _prose_chars(items: list[_Item]) -> int:
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


# ---------------------------------------------------------------------------------------------
# filters


def _matches(patterns: Iterable[re.Pattern[str]], key: str, unanchored_max: int | None = None) -> bool:
    """Whether a pattern matches; with ``unanchored_max``, a match not at the start needs a short key."""
    for p in patterns:
        m = p.search(key)
        if m and (unanchored_max is None or m.start() == 0 or len(key) <= unanchored_max):
            return True
    return False


_JUNK = re.compile(r"^[\W\d_a-zA-Z]{0,3}$|^[\d\W_]+$")


def clean_items(items: list[_Item], headline: str, rules: HtmlRules) -> list[_Item]:
    """Apply the precision filters to one extractor's blocks (order matters, see module doc)."""
    head_key = _key(headline)
    # 1. text before the headline is breadcrumbs, dates and navigation
    # (only when less text precedes the headline than follows it: a headline quoted again near the
    # end, as in "（原题为《…》）", must not take the article with it)
    if head_key:
        sizes = [len(it.text) for it in items]
        total = sum(sizes)
        for i, it in enumerate(items):
            k = _key(it.text)
            if k == head_key or (head_key in k and len(k) <= len(head_key) + 12):
                if sum(sizes[:i]) < total - sum(sizes[: i + 1]):
                    items = items[i + 1 :]
                break
    kept: list[_Item] = []
    text_chars = 0
    for it in items:
        if it.kind == "figure":
            if it.text and _matches(rules.figure_caption_drop, _key(it.text)):
                it.text = ""
            kept.append(it)
            continue
        for pat in rules.strip:
            it.text = pat.sub("", it.text)
        k = _key(it.text)
        short = len(k) <= rules.max_boilerplate_chars
        if (
            short
            and text_chars >= rules.min_text_before_cut
            and _matches(rules.cut_from, k, rules.max_unanchored_chars)
        ):
            break
        if k == head_key or _JUNK.match(k):
            continue
        if short and (
            _matches(rules.drop, k, rules.max_unanchored_chars) or _matches(rules.drop_anywhere, k)
        ):
            continue
        if len(k) <= rules.link_dense_max_chars and it.link_share >= rules.link_density:
            continue
        if it.kind == "paragraph" and len(k) <= 80 and _matches(rules.caption, k):
            it.kind = "caption"
        elif (
            it.kind == "paragraph"
            and len(k) <= 40
            and it.bold_chars >= 0.9 * len(it.text)
            and not re.search(r"[。！？，；.!?,;:：]$", k)
        ):
            it.kind = "heading"
        kept.append(it)
        if it.kind == "paragraph":
            text_chars += len(k)
    # drop consecutive duplicates (sites repeat a lead or a caption) and trailing figures
    out: list[_Item] = []
    for it in kept:
        if out and it.kind != "figure" and out[-1].kind == it.kind and out[-1].text == it.text:
            continue
        out.append(it)
    return out


# ---------------------------------------------------------------------------------------------
# metadata


def _meta(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """``<meta>`` values by lower-cased property/name/itemprop (first one wins)."""
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        name = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        content = m.get("content")
        if name and content and content.strip() and name not in out:
            out[name] = content.strip()
    return out


def _json_ld(texts: list[str]) -> list[dict[str, Any]]:
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


def _ld_value(objs: list[dict[str, Any]], *names: str) -> str | None:
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


def _published(
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
    if (v := _ld_value(ld, "datePublished", "dateCreated")) and (iso := _iso(v)):
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


def _language(tree: lxml_html.HtmlElement, meta: dict[str, str], text: str) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("content-language") or meta.get("og:locale")
    if lang:
        lang = lang.strip().replace("_", "-")
        primary = lang.split("-")[0].lower()
        if primary in ("zh", "en", "ja", "ko", "fr", "de", "es", "ru") and (
            primary != "en" or _cjk_share(text) < 0.1
        ):
            return primary
    if not text.strip():
        return None
    return "zh" if _cjk_share(text) >= 0.1 else "en" if re.search(r"[A-Za-z]{3}", text) else None


# ---------------------------------------------------------------------------------------------
# headline


def _title_segments(title: str, rules: HtmlRules) -> list[str]:
    parts = [title]
    for sep in rules.title_separators:
        parts = [p for part in parts for p in part.split(sep)]
    return [normalise_space(p) for p in parts if normalise_space(p)]


def _strip_labels(text: str, rules: HtmlRules) -> str:
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
        headingish = el.tag in _HEADING_TAGS or bool(
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
    segments = _title_segments(title_tag, rules)
    site_keys = (
        {_key(segments[-1])}
        if len(segments) > 1 and len(_key(segments[-1])) <= rules.site_name_max_chars
        else set()
    )
    if meta.get("og:site_name"):
        site_keys.add(_key(meta["og:site_name"]))
    refs = [
        _key(r)
        for r in (
            title_tag,
            meta.get("og:title"),
            meta.get("twitter:title"),
            meta.get("title"),
            _ld_value(ld, "headline", "name"),
        )
        if r
    ]
    candidates = list(_headline_candidates(tree))
    grams = {r[i : i + 4] for r in refs for i in range(len(r) - 3)}
    best: tuple[int, int, int, int] | None = None
    best_text = ""
    for pos, text, headingish in candidates:
        text = _strip_labels(text, rules)
        k = _key(text)
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
    for fallback in (meta.get("og:title"), _ld_value(ld, "headline"), segments[0] if segments else ""):
        if fallback:
            return _strip_labels(normalise_space(fallback), rules)
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
    target = _key(body_start)[:12]
    start_pos = None
    for pos, el in enumerate(body.iter()):
        if isinstance(el.tag, str) and el.text and target and target in _key(el.text):
            start_pos = pos
            break
    if start_pos is None:
        return ""
    above = [
        (pos, text)
        for pos, text, headingish in candidates
        if headingish
        and pos < start_pos
        and _key(text) not in site_keys
        and len(_key(text)) >= 6
        and target not in _key(text)
    ]
    return _strip_labels(above[-1][1], rules) if above else ""


# ---------------------------------------------------------------------------------------------
# assembly


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
    cleaned, json_ld = _clean_page(html, rules)
    tree = parse_tree(cleaned) if cleaned else None
    if tree is None:
        return EMPTY_DOC
    meta = _meta(tree)
    ld = _json_ld(json_ld)
    canonical = next(
        (ln.get("href") for ln in tree.iter("link") if (ln.get("rel") or "").lower() == "canonical"), None
    )
    page_url = canonical or meta.get("og:url")
    page_url = _absolute(page_url, url) if page_url else url
    base = url or page_url

    traf_items = _trafilatura_items(cleaned, base)
    first_text = _first_paragraph(traf_items)
    if not first_text:
        dens_items = _density_items(cleaned, base)
        first_text = _first_paragraph(dens_items)
    else:
        dens_items = None
    headline = choose_headline(tree, meta, ld, rules, first_text)

    # trafilatura's text unless another opinion reads the page clearly better (pages it misreads):
    # first the punctuation-density pick, then readability-lxml when that is still thin
    items = clean_items(traf_items, headline, rules)
    t_prose = _prose_chars(items)
    lump = sum(it.kind == "paragraph" for it in items) <= 1
    if t_prose < 400 or lump:
        if dens_items is None:
            dens_items = _density_items(cleaned, base)
        chosen, score = items, 0
        alt = clean_items(dens_items, headline, rules)
        if (a := _better_reading(alt, t_prose, lump)) > score:
            chosen, score = alt, a
        if score < 200:
            alt = clean_items(_readability_items(cleaned, base), headline, rules)
            if (a := _better_reading(alt, t_prose, lump)) > score:
                chosen, score = alt, a
        items = chosen

    blocks, figures, links = _assemble(items)
    body = tree.find("body")
    page_text = normalise_space(" ".join(body.itertext())) if body is not None else ""
    text = "\n\n".join(b.text for b in blocks)
    site = meta.get("og:site_name") or _ld_value(ld, "publisher") or _site_from_title(tree, rules)
    return HtmlDoc(
        title=headline,
        blocks=tuple(blocks),
        figures=tuple(figures),
        links=tuple(links),
        published=_published(tree, meta, ld, page_text, headline, rules),
        author=_author(meta, ld, site) or _byline(page_text, headline, rules),
        site_name=normalise_space(site) if site else None,
        url=page_url or None,
        language=_language(tree, meta, f"{headline} {(text or page_text)[:2000]}"),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    """Control characters (NUL and friends) in more than 1% of the start: bytes, not a page."""
    head = text[:4096]
    return len(_CONTROL.findall(head)) > max(1, len(head) // 100)


def _better_reading(alt: list[_Item], t_prose: int, lump: bool) -> int:
    """The alternative's prose when it beats trafilatura's reading, else 0.

    It must find twice the prose; or, when trafilatura returned everything as one paragraph (its
    whole-page fallback), about the same prose split into paragraphs.
    """
    a = _prose_chars(alt)
    if a < 50:
        return 0
    if a > 2 * t_prose:
        return a
    if lump and a >= 0.8 * t_prose and sum(it.kind == "paragraph" for it in alt) >= 2:
        return a
    return 0


def _first_paragraph(items: list[_Item]) -> str:
    return next((it.text for it in items if it.kind == "paragraph" and len(it.text) >= 20), "")


def _assemble(items: list[_Item]) -> tuple[list[Block], list[Figure], list[Link]]:
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


def _site_from_title(tree: lxml_html.HtmlElement, rules: HtmlRules) -> str | None:
    segments = _title_segments(normalise_space(tree.findtext(".//title") or ""), rules)
    if len(segments) > 1 and len(_key(segments[-1])) <= rules.site_name_max_chars:
        return segments[-1]
    return None


def _author(meta: dict[str, str], ld: list[dict[str, Any]], site: str | None) -> str | None:
    """The byline from meta tags or JSON-LD, when it looks like a name (not a URL, id, e-mail or the site)."""
    for v in (
        *(meta.get(n) for n in ("author", "article:author", "og:article:author", "dc.creator", "byl")),
        _ld_value(ld, "author"),
    ):
        if v and _plausible_name(v) and not (site and _key(v) in _key(site)):
            return normalise_space(v)
    return None


def _byline(page_text: str, headline: str, rules: HtmlRules) -> str | None:
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
