"""Markdown with YAML front matter (web-archive backups: seeds 000, 001, 003, the hkcnews tarball).

Why a hand-written front-matter reader: the ingest target is tens of thousands of records a minute,
and a generic YAML parse per record is the slowest step. The backups write a tiny, regular subset
(``key: "double-quoted"`` and ``- "list item"``); that subset is read directly, and anything else
falls back to ``yaml.CSafeLoader`` so odd files still parse exactly as YAML says.

The body reader turns Markdown (with embedded HTML blocks) into :class:`Parts`: blank-line separated
chunks become paragraphs, ``#`` lines headings, list items and table rows one block each, ``<figure>``
blocks figures with captions, and other HTML chunks go through :func:`html_to_parts`.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

import yaml

from summitwatch.sources.fragment import Parts, clean_markdown_inline, html_to_parts

__all__ = ["FrontMatterError", "split_front_matter", "markdown_to_parts"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(ValueError):
    """The front matter is missing, truncated or not valid YAML (quarantine: bad-front-matter)."""


_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
# values are taken to the end of the line and right-stripped in code: a lazy ``(.*?)`` followed by
# ``[ \t]*$`` rescans every inner run of blanks once per character (quadratic on long runs)
_KEY = re.compile(r"^([A-Za-z_][\w-]*+):(?:[ \t]++(.*))?$")
_ITEM = re.compile(r"^[ \t]*+-[ \t]++(.*)$")
_PLAIN_OK = re.compile(r"^[^\"'\[\]{}&*!|>%@`#,:?\-][^#:]*$")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---\\n<yaml>\\n---\\n<body>``; return (front matter dict, body)."""
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].rstrip("\r \t") != "---":
        raise FrontMatterError("no front matter: the file does not start with ---")
    m = _CLOSE.search(text, first_nl + 1)
    if m is None:
        raise FrontMatterError("truncated front matter: no closing --- line")
    fm_text = text[first_nl + 1 : m.start()]
    body = text[m.end() :]
    if body.startswith("\r"):
        body = body[1:]
    if body.startswith("\n"):
        body = body[1:]
    fm = _fast_front_matter(fm_text)
    if fm is None:
        fm = _yaml_front_matter(fm_text)
    return fm, body


def _unquote(value: str) -> str | None:
    """A double-quoted YAML scalar on one line -> str, or None when the fast path cannot tell."""
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        if "\\" not in inner and '"' not in inner:
            return inner
        try:
            out = json.loads(value)
        except ValueError:
            return None
        return out if isinstance(out, str) else None
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        inner = value[1:-1]
        if "'" in inner.replace("''", ""):
            return None
        return inner.replace("''", "'")
    return None


def _fast_front_matter(fm_text: str) -> dict[str, Any] | None:
    """The regular subset of YAML the backups write; None means "use the YAML parser"."""
    out: dict[str, Any] = {}
    current_list: list[str] | None = None
    for line in fm_text.split("\n"):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        if line[0] in " \t-":
            m = _ITEM.match(line)
            if m is None or current_list is None:
                return None
            raw = m.group(1).rstrip(" \t")
            val = _unquote(raw)
            if val is None:
                if not _PLAIN_OK.match(raw):
                    return None
                val = raw
            current_list.append(val)
            continue
        m = _KEY.match(line)
        if m is None:
            return None
        key, raw = m.group(1), (m.group(2) or "").rstrip(" \t")
        if not raw:
            current_list = []
            out[key] = current_list
            continue
        current_list = None
        val = _unquote(raw)
        if val is None:
            if not _PLAIN_OK.match(raw) or raw in ("null", "~", "true", "false") or raw[:1].isdigit():
                return None
            val = raw
        out[key] = val
    # a key with no value and no items is YAML null, not an empty list
    return {k: (None if isinstance(v, list) and not v else v) for k, v in out.items()}


def _yaml_front_matter(fm_text: str) -> dict[str, Any]:
    try:
        data = yaml.load(fm_text, Loader=_Loader)  # noqa: S506 - safe loader only
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(e, "problem", None) or type(e).__name__
        raise FrontMatterError(f"invalid YAML front matter{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"front matter is a YAML {type(data).__name__}, not a mapping")
    return {str(k): _plain(v) for k, v in data.items()}


def _plain(v: Any) -> Any:
    """YAML dates/datetimes/numbers -> str, lists kept, so both paths give the same shapes."""
    if isinstance(v, _dt.datetime | _dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return [str(_plain(x)) for x in v if x is not None]
    if v is None or isinstance(v, str | dict):
        return v
    return str(v)


# ---------------------------------------------------------------- body

_HEADING = re.compile(r"^(#{1,6})[ \t]++(.*)$")  # group 2 right-stripped of " \t#" in code
_HR = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$")
_LIST = re.compile(r"^[ \t]*(?:([-*+])|(\d{1,3})[.)])[ \t]+")
_TABLE_SEP_CELL = re.compile(r"[ \t]*+:?-{2,}+:?[ \t]*+")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_FIGURE = re.compile(
    r"^<figure>\s*<img\b[^>]*?\bsrc=\"([^\"]*)\"[^>]*>\s*(?:<figcaption>(.*?)</figcaption>\s*)?</figure>$",
    re.S,
)


def markdown_to_parts(body: str, parts: Parts | None = None) -> Parts:
    """Convert a Markdown body (with embedded HTML blocks) into :class:`Parts`."""
    parts = parts if parts is not None else Parts()
    chunk: list[str] = []
    in_html = False
    depth = 0  # open <figure>/<div>/<table>/<blockquote> elements of the current HTML chunk
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if chunk and not (in_html and depth > 0):
                _chunk_to_parts(chunk, parts)
                chunk = []
                in_html = False
                depth = 0
            continue
        if not chunk:
            in_html = line.lstrip().startswith("<") and not line.lstrip().startswith(("<http", "<mailto"))
        if in_html and "<" in line:
            depth += _open_balance(line)
        chunk.append(line)
    if chunk:
        _chunk_to_parts(chunk, parts)
    return parts


_CONTAINER_OPEN = re.compile(r"<(?:figure|div|table|blockquote)\b", re.I)
_CONTAINER_CLOSE = re.compile(r"</(?:figure|div|table|blockquote)\s*>", re.I)


def _open_balance(line: str) -> int:
    """Opened minus closed container elements on one line: an HTML block continues across blank
    lines while its <figure>/<div>/<table> is still open."""
    return len(_CONTAINER_OPEN.findall(line)) - len(_CONTAINER_CLOSE.findall(line))


def _chunk_to_parts(lines: list[str], parts: Parts) -> None:
    first = lines[0].lstrip()
    if first.startswith("<") and not first.startswith(("<http", "<mailto")):
        text = "\n".join(lines).strip()
        m = _FIGURE.match(text)
        if m is not None:
            caption = clean_markdown_inline(m.group(2), parts) if m.group(2) else ""
            parts.add_figure(m.group(1), caption)
            parts.add("caption", caption)
            return
        html_to_parts(text, parts)
        return
    if len(lines) == 1 and lines[0][:1] not in _MARKUP_START and not lines[0][:1].isdigit():
        # the common case: a one-line plain paragraph
        parts.add("paragraph", clean_markdown_inline(lines[0], parts))
        return
    para: list[str] = []

    def flush() -> None:
        if para:
            text = _join_lines(para)
            parts.add("paragraph", clean_markdown_inline(text, parts))
            para.clear()

    for line in lines:
        c = line[:1]
        if c in _SPACE_START:
            c = line.lstrip()[:1]
        if c == ">":
            line = _QUOTE.sub("", line)
            if not line.strip():
                flush()
                continue
            c = line.lstrip()[:1]
        if c == "#":
            h = _HEADING.match(line)
            if h is not None:
                flush()
                parts.add("heading", clean_markdown_inline(h.group(2).rstrip(" \t#"), parts))
                continue
        elif c in "-*_+" and c:
            if _HR.match(line):
                flush()
                continue
        elif c == "|":
            stripped = line.strip()
            if stripped.count("|") >= 2:
                flush()
                if not _is_table_separator(stripped):
                    cells = [clean_markdown_inline(x, parts) for x in stripped.strip("|").split("|")]
                    parts.add("paragraph", " | ".join(x for x in cells if x))
                continue
        if c and (c in "-*+" or c.isdigit()):
            li = _LIST.match(line)
            if li is not None:
                flush()
                para.append(line[li.end() :] if li.group(1) else line.lstrip())
                continue
        para.append(line)
    flush()


_MARKUP_START = frozenset("#>-*_+| \t")
_SPACE_START = frozenset(" \t")


def _is_table_separator(row: str) -> bool:
    """``|---|:--:|`` (the row under a Markdown table header), cell by cell (linear, no backtracking)."""
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return all(_TABLE_SEP_CELL.fullmatch(cell) for cell in row.split("|"))


def _join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: hard breaks stay line breaks, soft wraps join (no space in CJK)."""
    if len(lines) == 1:
        return lines[0]
    pieces: list[str] = []
    prev_hard = False
    prev_last = ""
    for i, line in enumerate(lines):
        hard = line.endswith(("  ", "\\"))
        text = line.rstrip("\\").rstrip() if hard else line
        if i:
            text = text.strip()
            if prev_hard:
                pieces.append("\n")
            elif not (_is_cjk(prev_last) or _is_cjk(text[:1])):
                pieces.append(" ")
        pieces.append(text)
        if text:
            prev_last = text[-1]
        prev_hard = hard
    return "".join(pieces)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and (
        "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"
    )
