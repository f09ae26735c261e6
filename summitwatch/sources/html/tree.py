"""Parse a page like a browser: lexbor (HTML5 rules), script-like tags dropped, nesting flattened.

Why: libxml2's own HTML parser silently truncates some real pages (a self-closed ``<script/>``,
nesting beyond 256 levels) and loses their article text, and hostile nesting makes HTML5 tree
builders quadratic; the cleaned page is then handed to lxml for the extractors. Huge data tables
are read as text here too: the extractors' cost grows with the number of cells.
"""

from __future__ import annotations

import html as _htmlmod
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from selectolax.lexbor import LexborHTMLParser

from summitwatch.sources.html.rules import HtmlRules, load_rules

_MAX_DEPTH = 120  # deeper nesting is flattened: lxml stops at 256 levels, Python recursion at ~1000
_FLATTENABLE = frozenset(
    "div span section article font center b i u em strong small big main aside header footer nav".split()
)


def clean_html(html: str, rules: HtmlRules | None = None) -> str | None:
    """Parse with lexbor (HTML5 rules), drop script-like tags, flatten deep nesting, serialise.

    None when the input holds no element with text at all.
    """
    return clean_page(html, rules or load_rules())[0]


def clean_page(html: str, rules: HtmlRules) -> tuple[str | None, list[str]]:
    """The cleaned page (see :func:`clean_html`) and the texts of its JSON-LD scripts."""
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
    _flatten_big_tables(parser, rules.max_table_cells)
    if _flatten_deep(root):
        out: str | None = parser.html
    else:
        # pathological nesting (hostile input): keep the text, drop the structure
        lines = (ln.strip() for ln in (root.text(deep=True, separator="\n") or "").splitlines())
        out = "<html><body>" + "".join(f"<p>{_htmlmod.escape(ln)}</p>" for ln in lines if ln) + "</body></html>"
    if out and len(out) > rules.max_clean_chars:
        out = out[: rules.max_clean_chars]  # lxml closes what the cut leaves open
    return (out if out and out.strip() else None), json_ld


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*+)[^<>]*?(/?)>")  # a tag never spans another "<"
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


_CELL_TAGS = frozenset(("td", "th"))
_ROW_GROUPS = frozenset(("thead", "tbody", "tfoot"))


def _flatten_big_tables(parser: LexborHTMLParser, max_cells: int) -> None:
    """Replace every table of more than ``max_cells`` cells of its own by a ``<pre>`` of its text.

    Why: such a table is a data listing (see ``max_table_cells`` in html_extraction.yaml), and the
    extractors spend tens of microseconds per cell. Read as a text browser shows it, one line per
    row with its cells separated by spaces, it keeps every word in one element. Cells of a nested
    table count for that table only; a big table inside a big table goes with the outer one.
    Linear: each row is visited once, with its cells (its children).
    """
    cells: dict[int, int] = {}
    big: list[Any] = []
    for row in parser.css("tr"):
        table = row.parent  # HTML5 puts a row in a row group or right in its table
        if table is not None and table.tag in _ROW_GROUPS:
            table = table.parent
        if table is None or table.tag != "table":
            continue
        n = cells.get(table.mem_id, 0)
        n2 = cells[table.mem_id] = n + sum(1 for c in row.iter() if c.tag in _CELL_TAGS)
        if n <= max_cells < n2:
            big.append(table)
    marked = {t.mem_id for t in big}
    for table in big:
        up = table.parent
        while up is not None and up.mem_id not in marked:
            up = up.parent
        if up is not None:
            continue  # inside a big table: read with it
        text = _table_text(table)
        if text:
            pre = LexborHTMLParser(f"<pre>{_htmlmod.escape(text, quote=False)}</pre>").css_first("pre")
            table.replace_with(pre)
        else:
            table.decompose()


def _table_text(table: Any) -> str:
    """A lexbor table as text: its caption and then one line per row, cells separated by spaces."""
    lines: list[str] = []
    for part in table.iter():
        if part.tag == "caption":
            lines.append(part.text(deep=True))
        for row in part.iter() if part.tag in _ROW_GROUPS else (part,):
            if row.tag == "tr":
                lines.append(" ".join(c.text(deep=True) for c in row.iter() if c.tag in _CELL_TAGS))
    return "\n".join(ln for ln in (" ".join(line.split()) for line in lines) if ln)


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
