"""Unwrap web-archive and proxy wrappers from URLs, keeping the wrapped form and the capture time.

Why: the same article reaches us through Wayback captures (``https://web.archive.org/web/<ts>/…``,
the ``im_`` image form, relative ``/web/<ts>/…`` links) and image proxies
(``https://images.weserv.nl/?url=…``). Ids, dedupe and links must use the real target; the archive
URL and its timestamp are provenance and are kept beside it. Wrapper patterns live in
``data/urlwrappers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, unquote, urlsplit

from summitwatch.articles import load_data_file

__all__ = ["unwrap_url", "is_damaged_url", "archive_timestamp", "repaired_archive_url"]


@dataclass(frozen=True, slots=True)
class _Archive:
    name: str
    pattern: re.Pattern[str]
    base: str


@dataclass(frozen=True, slots=True)
class _Proxy:
    name: str
    pattern: re.Pattern[str]
    param: str


@cache
def _rules() -> tuple[tuple[_Archive, ...], tuple[_Proxy, ...], int]:
    data = load_data_file("urlwrappers.yaml")
    archives = tuple(
        _Archive(a["name"], re.compile(a["pattern"], re.I), a.get("base") or "") for a in data["archives"]
    )
    proxies = tuple(_Proxy(p["name"], re.compile(p["pattern"], re.I), p["param"]) for p in data["proxies"])
    return archives, proxies, int(data.get("damaged_min_replacements", 3))


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_COLLAPSED = re.compile(r"^(https?):/(?!/)", re.I)  # "http:/example.com" as some archives write it
_HOSTLIKE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[:/?#]|$)", re.I)


def archive_timestamp(ts: str) -> str | None:
    """Wayback timestamp (YYYYMMDDhhmmss, UTC, possibly truncated) -> ISO 8601 in UTC."""
    if not ts.isdigit() or len(ts) < 4:
        return None
    ts = (ts + "0101000000"[len(ts) - 4 :])[:14] if len(ts) < 14 else ts[:14]
    y, mo, d, h, mi, s = ts[:4], ts[4:6], ts[6:8], ts[8:10], ts[10:12], ts[12:14]
    if not ("01" <= mo <= "12" and "01" <= d <= "31" and h <= "23" and mi <= "59" and s <= "60"):
        return None
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def _complete(target: str) -> str:
    """Give a scheme-less or collapsed target back its https:// (or repair http:/ to http://)."""
    target = target.strip()
    if target.startswith("//"):
        return "https:" + target
    m = _COLLAPSED.match(target)
    if m:
        return f"{m.group(1)}://{target[m.end() :]}"
    if not _SCHEME.match(target) and _HOSTLIKE.match(target):
        return "https://" + target
    return target


def unwrap_url(url: str) -> tuple[str, str | None, str | None]:
    """Return ``(target_url, wrapped_url_or_None, archived_at_or_None)``.

    Nested wrappers (a proxy inside an archive capture and the reverse) are all removed; the
    outermost wrapped form is the one kept, the archive time is the innermost archive's.
    """
    if not url:
        return url, None, None
    url = url.strip()
    low = url[:40].lower()
    if "archive" not in low and "weserv" not in low and "wsrv" not in low and not low.startswith("/web/"):
        return url, None, None
    archives, proxies, _ = _rules()
    wrapped: str | None = None
    archived_at: str | None = None
    current = url
    for _ in range(4):  # bounded: wrappers nest at most a few times
        changed = False
        for a in archives:
            m = a.pattern.match(current)
            if m:
                if wrapped is None:
                    wrapped = a.base + current if current.startswith("/") else current
                archived_at = archive_timestamp(m.group("ts")) or archived_at
                current = _complete(m.group("target"))
                changed = True
                break
        else:
            for p in proxies:
                if p.pattern.match(current):
                    values = parse_qs(urlsplit(current).query).get(p.param)
                    if values and values[0]:
                        if wrapped is None:
                            wrapped = current
                        current = _complete(unquote(values[0]) if "%3A" in values[0].upper() else values[0])
                        changed = True
                    break
        if not changed:
            break
    return current, wrapped, archived_at


_FFFD_ENC = "%EF%BF%BD"


def is_damaged_url(url: str | None) -> bool:
    """True when the URL is made of U+FFFD replacement runs (a capture that lost its encoding)."""
    if not url:
        return False
    _, _, minimum = _rules()
    n = url.upper().count(_FFFD_ENC) + url.count("\ufffd")
    return n >= minimum


def repaired_archive_url(archived_url: str | None, canonical_url: str | None) -> str | None:
    """The archive link to show for an article whose archive URL has a mojibake slug (issue 14).

    Archives often captured a page under a URL whose Chinese slug lost its encoding (runs of
    U+FFFD, ``%EF%BF%BD``). Such a link is useless to follow, but the same capture is reachable
    under the outlet's canonical URL (rebuilt by ``outlets.yaml`` ``article_urls`` patterns, e.g.
    ``https://www.hkcnews.com/article/<n>``): ``<archive base>/web/<timestamp>/<canonical>``. Returns
    ``archived_url`` unchanged when it is not damaged, the canonical URL is unknown or itself
    damaged, or the archive has no base to rebuild with (the raw URLs stay in the article's JSON).
    """
    if not archived_url or not canonical_url or not is_damaged_url(archived_url) or is_damaged_url(canonical_url):
        return archived_url
    archives, _, _ = _rules()
    for a in archives:
        m = a.pattern.match(archived_url)
        if m is not None:
            return f"{a.base}/web/{m.group('ts')}/{canonical_url}" if a.base else archived_url
    return archived_url
