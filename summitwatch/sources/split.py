"""Split multi-record files into leaf records: RSS/Atom feeds (each item) and WARC files (each HTML response).

Why here: a feed or a WARC file is a container of articles, like a tar member list; every child
gets its own ``source`` (``feed.xml#item=3``, ``crawl.warc.gz#record=12``), a ``hint`` naming its
format and ``meta`` with what the container knew (link, title, dates, target URI, WARC-Date).

Safety: feeds that declare XML entities (billion-laughs / external-entity attacks) are refused
before any XML parser sees them; a refused or broken container comes back as a single child whose
hint is ``quarantine:<reason>``, which ``parse_record`` turns into a Quarantined row for the file
itself, so callers need no extra code path and every file is accounted for.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

from summitwatch.model import RawDoc
from summitwatch.sources.detect import sniff_container

__all__ = ["split_record", "MAX_CHILDREN", "QUARANTINE_HINT"]

MAX_CHILDREN = 100_000  # per container: a bound against hostile files
QUARANTINE_HINT = "quarantine:"

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^<>\[]*+\[", re.I)
_META_CHARSET = re.compile(rb"<meta\s[^<>]*?charset\s*+=\s*+[\"']?([A-Za-z0-9_-]++)", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def split_record(raw: RawDoc) -> list[RawDoc] | None:
    """Children of a feed or WARC record, or None when ``raw`` is not a multi-record file."""
    if raw.hint is not None and raw.hint not in ("feed", "warc"):
        return None
    kind = raw.hint or sniff_container(raw.data, raw.source)
    if kind == "feed":
        return _split_feed(raw)
    if kind == "warc":
        return _split_warc(raw)
    return None


def _refuse(raw: RawDoc, reason: str, detail: str) -> list[RawDoc]:
    return [RawDoc(raw.source, raw.data, hint=QUARANTINE_HINT + reason, meta=(("detail", detail),))]


# ---------------------------------------------------------------- feeds


def _split_feed(raw: RawDoc) -> list[RawDoc]:
    head = raw.data[:65536]
    if _ENTITY_DECL.search(head) or _DOCTYPE_SUBSET.search(head):
        return _refuse(raw, "unsafe-xml", "feed declares XML entities or an internal DTD subset (refused)")
    try:
        import defusedxml.ElementTree as dET

        dET.fromstring(raw.data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ImportError, SyntaxError):
        pass  # malformed XML: feedparser is lenient and may still read the items
    except Exception as e:  # noqa: BLE001 - defusedxml's EntitiesForbidden / DTDForbidden / ExternalReferenceForbidden
        return _refuse(raw, "unsafe-xml", f"{type(e).__name__}: {e}"[:300])
    import feedparser

    parsed = feedparser.parse(raw.data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.entries[:MAX_CHILDREN]
    if not entries:
        why = str(getattr(parsed, "bozo_exception", "")) or "no items"
        return _refuse(raw, "empty", f"feed without items ({why[:200]})")
    site = (parsed.feed.get("title") or "").strip()
    site_link = parsed.feed.get("link") or ""
    children = []
    for i, e in enumerate(entries, start=1):
        body = ""
        if e.get("content"):
            body = "\n".join(c.get("value", "") for c in e["content"] if c.get("value"))
        if not body:
            body = e.get("summary") or e.get("description") or ""
        published = e.get("published") or e.get("updated") or e.get("created") or ""
        meta = {
            "link": e.get("link") or "",
            "title": (e.get("title") or "").strip(),
            "published": published,
            "published_utc": _struct_iso(e.get("published_parsed") or e.get("updated_parsed")),
            "author": (e.get("author") or "").strip(),
            "tags": "\n".join(t.get("term", "") for t in e.get("tags") or () if t.get("term")),
            "id": e.get("id") or "",
            "site_name": site,
            "site_link": site_link,
        }
        children.append(
            RawDoc(
                f"{raw.source}#item={i}",
                body.encode("utf-8"),
                hint="feed-item",
                meta=tuple((k, v) for k, v in meta.items() if v),
            )
        )
    return children


def _struct_iso(st: time.struct_time | None) -> str:
    if not st:
        return ""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", st)


# ---------------------------------------------------------------- WARC


def _split_warc(raw: RawDoc) -> list[RawDoc]:
    try:
        children = list(_iter_warc(raw))
    except Exception as e:  # noqa: BLE001 - warcio raises several kinds on damaged files
        return _refuse(raw, "bad-container", f"unreadable WARC: {type(e).__name__}: {e}"[:300])
    if not children:
        return _refuse(raw, "empty", "WARC file without HTML responses")
    return children


def _iter_warc(raw: RawDoc) -> Iterator[RawDoc]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    for index, record in enumerate(ArchiveIterator(io.BytesIO(raw.data)), start=1):
        if index > MAX_CHILDREN:
            break
        if record.rec_type != "response":
            continue
        http = record.http_headers
        ctype = (http.get_header("Content-Type") if http is not None else "") or ""
        if not ctype.lower().startswith(_HTML_TYPES):
            continue
        status = http.get_statuscode() if http is not None else ""
        body = record.content_stream().read()
        body = _to_utf8(body, ctype)
        n += 1
        meta = {
            "target_uri": record.rec_headers.get_header("WARC-Target-URI") or "",
            "warc_date": record.rec_headers.get_header("WARC-Date") or "",
            "warc_record_id": record.rec_headers.get_header("WARC-Record-ID") or "",
            "content_type": ctype,
            "http_status": status or "",
        }
        yield RawDoc(
            f"{raw.source}#record={index}",
            body,
            hint="html",
            meta=tuple((k, v) for k, v in meta.items() if v),
        )


def _to_utf8(body: bytes, ctype: str) -> bytes:
    """Re-encode a response body to UTF-8 when HTTP or <meta> names another charset."""
    charset = None
    m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_-]+)", ctype, re.I)
    if m:
        charset = m.group(1)
    else:
        mm = _META_CHARSET.search(body[:4096])
        if mm:
            charset = mm.group(1).decode("ascii", "ignore")
    if not charset or charset.lower().replace("-", "") in ("utf8",):
        return body
    if charset.lower() in ("gb2312", "gbk", "gb_2312-80"):
        charset = "gb18030"  # supersets: GB2312/GBK pages routinely use GB18030-only characters
    elif charset.lower() in ("big5",):
        charset = "big5hkscs"
    try:
        return body.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return body
