"""Sniff a record's format from its bytes/text (a ``--format`` option or a container hint overrides).

Formats: ``yaml-markdown`` (front matter + Markdown), ``mirror-markdown`` (Markdown/HTML mirror page
or any Markdown without front matter), ``rss-mirror`` (``<!--epoch-ms-->`` + linked title + HTML),
``html`` (a web page), ``feed`` (RSS/Atom/RDF), ``warc`` (WARC file), ``feed-item`` and ``warc-html``
(children made by :mod:`summitwatch.sources.split`), ``text`` (anything else that is text).
"""

from __future__ import annotations

import re

from summitwatch.model import RawDoc

__all__ = ["detect_format", "sniff_container", "FORMATS"]

FORMATS = (
    "yaml-markdown",
    "mirror-markdown",
    "rss-mirror",
    "html",
    "feed",
    "warc",
    "feed-item",
    "warc-html",
    "text",
)

_FM = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_RSS_STAMP = re.compile(r"\A\s*<!--\s*\d{10,13}\s*-->")
_FEED = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.I)
_HTML = re.compile(r"<!doctype\s+html|<html\b|<head\b|<body\b|<meta\s", re.I)
_XML_DECL = re.compile(r"\A\s*<\?xml\b", re.I)
_MD = re.compile(r"^#{1,6}\s|^\[[^\n]+\]\(|^[ \t]*+[-*+]\s|^>", re.M)


def sniff_container(data: bytes, source: str = "") -> str | None:
    """``feed`` or ``warc`` when the bytes are a multi-record file, else None (cheap, bytes only)."""
    head = data[:4]
    name = source.lower().split("#", 1)[0]
    if head.startswith(b"WARC") or (
        head[:2] == b"\x1f\x8b" and name.endswith((".warc.gz", ".warc", ".arc.gz"))
    ):
        return "warc"
    if name.endswith((".md", ".txt", ".markdown")):
        return None
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<?xml") or start.startswith((b"<rss", b"<feed", b"<rdf:RDF")):
        try:
            text = data[:4096].decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - any decode trouble means "not a feed we can sniff"
            return None
        if _FEED.search(text):
            return "feed"
    return None


def detect_format(raw: RawDoc, text: str) -> str:
    """Name the format of one decoded leaf record."""
    if raw.hint:
        if raw.hint == "html" and "#record=" in raw.source:
            return "warc-html"
        if raw.hint in FORMATS:
            return raw.hint
    head = text[:4096]
    if _FM.match(head):
        return "yaml-markdown"
    if _RSS_STAMP.match(head):
        return "rss-mirror"
    stripped = head.lstrip("\ufeff \t\r\n")
    if _XML_DECL.match(stripped) or stripped.startswith(("<rss", "<feed", "<rdf:RDF")):
        if _FEED.search(head):
            return "feed"
        if _HTML.search(head):
            return "html"
    if _HTML.search(head[:2048]) and stripped.startswith("<"):
        return "html"
    if head.startswith("WARC/"):
        return "warc"
    if _MD.search(head) or "<p>" in head or "<div" in head:
        return "mirror-markdown"
    return "text"
