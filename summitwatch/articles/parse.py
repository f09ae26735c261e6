"""RawDoc -> canonical Article (or Quarantined): the one entry point every runner maps.

Pure: bytes and the data files in, a frozen record out; no I/O beyond reading ``summitwatch/data``
once per process, no clock. It never raises: anything unexpected becomes ``Quarantined`` with reason
``parse-error`` so one bad record never stops a run.

Steps: decode (BOM/UTF-8/charset detection) -> detect the format -> a format reader gives a
:class:`~summitwatch.sources.fragment.Draft` -> shared rules make the Article: URL unwrapping and
canonical URL, outlet, dates in the outlet's time zone, boilerplate removal, placeholders,
language/script, flags, stable id and content hash.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from dataclasses import replace
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from summitwatch.articles.boilerplate import boilerplate_cut, figure_is_boilerplate, placeholder_reason
from summitwatch.articles.datelines import read_dateline
from summitwatch.articles.language import detect_language
from summitwatch.articles.numerals import parse_cn_date
from summitwatch.articles.outlets import (
    Outlet,
    canonical_article_url,
    default_timezone,
    mirror_by_text,
    outlet_by_name,
    outlet_by_text,
    outlet_by_url,
)
from summitwatch.articles.urls import is_damaged_url, unwrap_url
from summitwatch.model import Article, Block, Figure, Link, Quarantined, RawDoc
from summitwatch.sources.decode import DecodeError, decode_bytes, repair_mojibake
from summitwatch.sources.detect import detect_format
from summitwatch.sources.fragment import Draft, Parts, clean_markdown_inline, html_to_parts
from summitwatch.sources.html import extract_html
from summitwatch.sources.markdown import FrontMatterError, markdown_to_parts, split_front_matter
from summitwatch.sources.mirror import parse_mirror
from summitwatch.sources.rssmirror import parse_rss_mirror
from summitwatch.sources.split import QUARANTINE_HINT

__all__ = ["parse_record", "parse_text", "PARSER_VERSION", "QUARANTINE_REASONS"]

PARSER_VERSION = "1"

QUARANTINE_REASONS = {
    "empty": "the record has no content",
    "binary": "binary data, not a text document",
    "undecodable": "not UTF-8 and no usable encoding detected",
    "too-large": "larger than the per-record limit",
    "bad-front-matter": "front matter missing, truncated or invalid YAML",
    "no-body": "no article text after cleaning",
    "placeholder": "a placeholder page captured in place of the article",
    "unsupported-format": "not an article format summitwatch reads",
    "unsafe-xml": "an XML feed declaring entities (refused: entity-expansion attacks)",
    "bad-container": "a WARC or feed file that could not be read",
    "parse-error": "the parser failed on this record (a bug: please report)",
    "timeout": "parsing and extraction ran past the per-record time budget (--record-timeout); "
    "its worker process was stopped",
    "worker-crash": "the worker process died while parsing this record (a crash or out of memory)",
}


class _Quarantine(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def parse_record(raw: RawDoc) -> Article | Quarantined:
    """Turn one leaf record into an Article, or a Quarantined record with a readable reason."""
    try:
        if raw.hint and raw.hint.startswith(QUARANTINE_HINT):
            raise _Quarantine(raw.hint[len(QUARANTINE_HINT) :], raw.meta_dict().get("detail", ""))
        try:
            text = decode_bytes(raw.data)
        except DecodeError as e:
            raise _Quarantine(e.reason, e.detail) from None
        repaired = repair_mojibake(text)
        if repaired is not None:
            article = parse_text(raw, repaired)
            return replace(article, flags=(*article.flags, "mojibake-repaired"))
        return parse_text(raw, text)
    except _Quarantine as q:
        return Quarantined(raw.source, q.reason, q.detail)
    except RecursionError:
        return Quarantined(raw.source, "parse-error", "document nested too deeply")
    except Exception as e:  # noqa: BLE001 - one bad record must never stop a run
        return Quarantined(raw.source, "parse-error", f"{type(e).__name__}: {e}"[:500])


def parse_text(raw: RawDoc, text: str, fmt: str | None = None) -> Article:
    """Parse already-decoded text (``fmt`` forces a format); raises ``_Quarantine``."""
    fmt = fmt or detect_format(raw, text)
    if fmt == "yaml-markdown":
        draft = _read_yaml_markdown(text)
    elif fmt == "rss-mirror":
        draft = parse_rss_mirror(text)
    elif fmt in ("mirror-markdown", "text"):
        draft = parse_mirror(text)
        if fmt == "text":
            draft.format = "text"
        mirror = mirror_by_text(text)
        draft.via = mirror.name if mirror is not None else None
    elif fmt in ("html", "warc-html", "feed-item"):
        draft = _read_html(raw, text, fmt)
    else:
        raise _Quarantine(
            "unsupported-format", f"{fmt}: a multi-record file reaches parse_record only unsplit"
        )
    return build_article(raw, draft)


# ---------------------------------------------------------------- readers


def _read_yaml_markdown(text: str) -> Draft:
    try:
        fm, body = split_front_matter(text)
    except FrontMatterError as e:
        raise _Quarantine("bad-front-matter", str(e)) from None
    draft = Draft(format="yaml-markdown")
    draft.title = _str(fm.get("title"))
    draft.date = _str(fm.get("date")) or _str(fm.get("published")) or None
    draft.author = _str(fm.get("author")) or None
    draft.category = _str(fm.get("category")) or None
    tags = fm.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    draft.tags = tuple(dict.fromkeys(t.strip() for t in tags or () if isinstance(t, str) and t.strip()))
    draft.url = _str(fm.get("url")) or None
    draft.original_url = _str(fm.get("original_url")) or None
    draft.title_from_body = True
    markdown_to_parts(body, draft.parts)
    return draft


def _str(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v).strip()


def _read_html(raw: RawDoc, text: str, fmt: str) -> Draft:
    """Plain HTML pages and WARC responses through ``extract_html``; feed items (content fragments
    without navigation) straight through the fragment reader, their metadata from the feed."""
    meta = raw.meta_dict()
    url = meta.get("link") or meta.get("target_uri") or meta.get("url") or None
    draft = Draft(format=fmt)
    draft.archived_at = _warc_date(meta.get("warc_date"))
    draft.category = meta.get("category") or None
    if meta.get("tags"):
        draft.tags = tuple(dict.fromkeys(t for t in meta["tags"].split("\n") if t))
    if fmt == "feed-item":
        draft.title = meta.get("title") or ""
        draft.url = url
        draft.date = meta.get("published") or None
        draft.date_alt = meta.get("published_utc") or None
        draft.author = meta.get("author") or None
        draft.site_name = meta.get("site_name") or None
        if "<" in text:
            html_to_parts(text, draft.parts)
        else:
            markdown_to_parts(text, draft.parts)
        return draft
    doc = extract_html(text, url)
    draft.title = doc.title or meta.get("title") or ""
    draft.url = url or doc.url
    draft.date = doc.published or meta.get("published") or None
    draft.author = doc.author or meta.get("author") or None
    draft.site_name = doc.site_name or meta.get("site_name") or None
    draft.language = doc.language
    parts = draft.parts
    for b in doc.blocks:
        if b.kind != "title":
            parts.add(b.kind, b.text)
    for f in doc.figures:
        parts.figures.append([0, f.archived_src or f.src, f.caption])
    for lk in doc.links:
        parts.links.append((0, lk.text, lk.archived_url or lk.url))
    return draft


def _warc_date(value: str | None) -> str | None:
    """WARC-Date (ISO 8601 UTC) as the capture time, validated."""
    if not value:
        return None
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


# ---------------------------------------------------------------- shared rules

_WS = re.compile(r"[ \t\u00a0]+")
_TITLE_KEY = re.compile(r"[\s\u3000\u00a0]+")


def _norm_title(t: str) -> str:
    return _TITLE_KEY.sub("", t)


def build_article(raw: RawDoc, draft: Draft) -> Article:
    """Apply the shared rules to a reader's Draft (raises ``_Quarantine``)."""
    parts = draft.parts
    title = clean_markdown_inline(draft.title, Parts()) if draft.title else ""
    blocks = parts.blocks

    # the body's own title heading: drop it (or use it when the metadata gave no title)
    if blocks and blocks[0][0] == "heading" and draft.title_from_body:
        if not title or _norm_title(blocks[0][1]) == _norm_title(title):
            title = title or blocks[0][1]
            _drop_block(parts, 0)
    elif blocks and blocks[0][0] == "heading" and _norm_title(blocks[0][1]) == _norm_title(title):
        _drop_block(parts, 0)

    # boilerplate
    keep, end = boilerplate_cut(parts.blocks)
    kept_index: dict[int, int] = {}
    out_blocks: list[Block] = []
    for i, (kind, text) in enumerate(parts.blocks):
        if keep[i]:
            kept_index[i] = len(out_blocks)
            out_blocks.append(Block(kind, text))  # type: ignore[arg-type]

    def _alive(pos: int) -> bool:
        return pos < end and (pos >= len(keep) or keep[pos])

    figures: list[Figure] = []
    for pos, src, caption in parts.figures:
        if not src or not (pos < end or pos == 0) or figure_is_boilerplate(src):
            continue
        target, wrapped, _ = unwrap_url(src)
        figures.append(Figure(target, caption or "", wrapped))
    links: list[Link] = []
    for pos, text, url in parts.links:
        if not url or not _alive(pos):
            continue
        target, wrapped, _ = unwrap_url(url)
        links.append(Link(text, target, wrapped))

    if not title:
        firsts = [b.text for b in out_blocks if b.kind in ("heading", "paragraph")]
        if draft.title_from_body and firsts and len(firsts[0]) <= 80:
            title = firsts[0].split("\n", 1)[0]
            if title == firsts[0] and len(firsts) > 1:  # the first line was the title: not body text
                out_blocks.remove(next(b for b in out_blocks if b.text == title))

    body_text_blocks = [b for b in out_blocks if b.kind in ("paragraph", "heading", "caption")]
    placeholder = placeholder_reason(title) if title else None
    if placeholder is None and body_text_blocks:
        placeholder = placeholder_reason(body_text_blocks[0].text)
        if (
            placeholder is not None
            and title
            and placeholder_reason(title) is None
            and len(body_text_blocks) > 1
        ):
            placeholder = None  # a real article quoting the farewell line is not a placeholder
    if placeholder is not None and (not _has_paragraph(out_blocks) or not draft.date):
        raise _Quarantine("placeholder", placeholder)
    if not body_text_blocks:
        what = f"title 「{title[:40]}」 but " if title else ""
        raise _Quarantine("no-body", f"{what}no article text after cleaning")

    # URLs
    flags: list[str] = []
    url_target, url_wrapped, archived_at = unwrap_url(draft.url) if draft.url else (None, None, None)
    orig_target = unwrap_url(draft.original_url)[0] if draft.original_url else None
    article_url = orig_target or url_target
    if is_damaged_url(draft.original_url) or is_damaged_url(draft.url):
        flags.append("damaged-url")

    text = "\n\n".join(b.text for b in out_blocks)
    # the writer: the article URL's domain, else the dateline/byline brackets opening the body,
    # else the site name, else a marker near the start or the end of the text
    outlet: Outlet | None = outlet_by_url(article_url) or outlet_by_url(url_target)
    dateline = None
    for para in [b.text for b in out_blocks if b.kind == "paragraph"][:_DATELINE_PARAGRAPHS]:
        if para[:1] in _BRACKET_OPENERS:  # a summary or editor's note may come before the dateline
            dateline = read_dateline(para)
            if dateline.outlet is not None or dateline.date is not None:
                break
    if outlet is None and dateline is not None:
        outlet = dateline.outlet
    if outlet is None:
        outlet = outlet_by_name(draft.site_name) or outlet_by_text(text)
    canon, site_no = canonical_article_url(article_url, outlet)
    if canon is None and url_target and url_target != article_url:
        canon, site_no = canonical_article_url(url_target, outlet)
    if outlet is None and canon is not None:
        outlet = outlet_by_url(canon)

    # dates
    tz = outlet.timezone if outlet is not None else default_timezone()
    published = normalise_date(draft.date, tz) if draft.date else None
    if draft.date and published is None:
        flags.append("bad-date")
    if published is None and outlet is not None and outlet.dateline is not None:
        m = outlet.dateline.search(text[:300])
        if m is not None:
            published = _local_iso(int(m["year"]), int(m["month"]), int(m["day"]), 0, 0, 0, tz)
    if published is None and dateline is not None and dateline.date is not None:
        published = _local_iso(*dateline.date, 0, 0, 0, tz)
    published_alt = normalise_date(draft.date_alt, tz) if draft.date_alt else None
    if published is None and published_alt is not None:
        published, published_alt = published_alt, None
    if published_alt is not None and published is not None and _same_instant(published, published_alt):
        published_alt = None
    if published is None:
        flags.append("no-date")

    # author from the outlet's byline when metadata had none
    author = draft.author or None
    if author is None and outlet is not None:
        for byline in outlet.bylines:
            m = byline.search(text[:400])
            if m is not None:
                author = m["author"].strip()
                break

    language, script = detect_language(title + "\n" + text)
    if draft.language and language == "und":
        language = draft.language.split("-")[0].lower()

    content_hash = hashlib.sha256((title + "\n\n" + text).encode("utf-8")).hexdigest()[:32]
    if canon is not None:
        art_id = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]
    else:
        art_id = "c" + content_hash[:15]

    return Article(
        id=art_id,
        content_hash=content_hash,
        source=raw.source,
        format=draft.format,
        title=title,
        blocks=tuple(out_blocks),
        outlet=outlet.name if outlet else None,
        outlet_en=outlet.name_en if outlet else None,
        url=canon or article_url,
        original_url=draft.original_url or (draft.url if url_wrapped is None else None),
        archived_url=url_wrapped,
        via=draft.via or _host(url_wrapped),
        archived_at=archived_at or draft.archived_at,
        site_article_no=site_no,
        author=author,
        published=published,
        published_alt=published_alt,
        category=draft.category,
        tags=draft.tags,
        language=language,
        script=script,
        figures=tuple(figures),
        links=tuple(links),
        flags=tuple(flags),
    )


_BRACKET_OPENERS = frozenset("【（(「 \u3000")
_DATELINE_PARAGRAPHS = 3  # the first paragraphs where a dateline may open the text


def _host(url: str | None) -> str | None:
    """The host of an archive URL (``web.archive.org``): the archive a page came through."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def _has_paragraph(blocks: list[Block]) -> bool:
    return any(b.kind == "paragraph" for b in blocks)


def _drop_block(parts: Parts, index: int) -> None:
    """Remove one block, shifting the positions of later figures and links."""
    del parts.blocks[index]
    for f in parts.figures:
        if f[0] > index:
            f[0] -= 1
    parts.links[:] = [(p - 1 if p > index else p, t, u) for p, t, u in parts.links]


# ---------------------------------------------------------------- dates

_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：](\d{2}))?")
_HAS_TZ = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # 22.04.2020: day.month.year (DW's page stamp)


@cache
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - unknown zone in a data file: fall back to UTC
        return dt.UTC


def _local_iso(y: int, mo: int, d: int, h: int, mi: int, s: int, tz: str) -> str | None:
    try:
        return dt.datetime(y, mo, d, h, mi, s, tzinfo=_zone(tz)).isoformat()
    except ValueError:
        return None


def normalise_date(value: str | None, tz: str) -> str | None:
    """A date as written -> timezone-aware ISO 8601; a bare date is midnight in ``tz``.

    Stamps that already carry a zone are kept as written (after validation), so the article's own
    stamp survives verbatim.
    """
    if not value:
        return None
    v = value.strip()
    if not v:
        return None
    m = _DATE.match(v)
    if m is not None:
        return _local_iso(int(m[1]), int(m[2]), int(m[3]), 0, 0, 0, tz)
    m = _DATETIME.match(v)
    if m is not None:
        return _local_iso(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), tz)
    if _HAS_TZ.search(v) and v[:4].isdigit():
        try:
            parsed = dt.datetime.fromisoformat(v.replace(" ", "T", 1))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return v.replace(" ", "T", 1)
    m = _CN_DATE.match(v)
    if m is not None:
        return _local_iso(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), 0, tz)
    m = _DOTTED.match(v)
    if m is not None:
        return _local_iso(int(m[3]), int(m[2]), int(m[1]), 0, 0, 0, tz)
    if "年" in v and len(v) <= 24 and (ymd := parse_cn_date(v)) is not None:  # 二零二零年四月二十二日
        return _local_iso(*ymd, 0, 0, 0, tz)
    try:
        parsed = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=_zone(tz))
        return parsed.isoformat()
    try:
        parsed = dt.datetime.fromisoformat(v)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_zone(tz))
    return parsed.isoformat()


def _same_instant(a: str, b: str) -> bool:
    try:
        return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
    except ValueError:
        return a == b
