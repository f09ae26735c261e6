"""Row <-> record conversion: the one place that knows how a record is laid out in a table row.

Every reader of the store (the read layer ``store.query``, the exports, the timeline step's loaders)
decodes rows here, so a column means the same thing wherever it is read. Before this module the
engagement decoder existed three times and the copies drifted (one turned a quote at offset 0 into
-1); a missing offset is now -1 everywhere and a stored 0 stays 0.

Rows may be ``sqlite3.Row`` or plain mappings; JSON columns that do not parse decode to the empty
value rather than failing a page.

Compression (schema v6): the big columns are zstd frames, level 3, made with a dictionary shipped in
``store/zdict/`` (how they were trained: its README). ``articles.blocks``, ``figures`` and ``links``
hold zstd(JSON) (:func:`pack_json` / :func:`unpack_json`); ``sources.raw`` and ``quarantine.raw``
hold zstd(raw bytes) (:func:`compress_raw` / :func:`decompress_raw`). A frame names its dictionary by
id in its header, so a decoder picks the right one, and frames written without a dictionary (stores
before v6) still decode. A stored figure (or link) whose archived URL is the standard Wayback
wrapper of its own URL keeps only the wrapper's timestamp (``w``); :func:`unpack_json`'s callers
rebuild the URL here, so no URL is stored twice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import zstandard

from summitwatch.model import (
    Article,
    ArticleRef,
    Block,
    Engagement,
    Figure,
    Flags,
    Link,
    Mention,
    Quote,
    RecordRef,
    TimelineEntry,
)

__all__ = [
    "ARTICLE_COLUMNS",
    "article_row",
    "ENGAGEMENT_COLUMNS",
    "TIMELINE_COLUMNS",
    "article_from_row",
    "article_ref_from_row",
    "blocks_text",
    "compress_raw",
    "decompress_raw",
    "pack_json",
    "unpack_json",
    "engagement_fields",
    "engagement_from_row",
    "entry_from_row",
    "entry_row",
    "figures_from_column",
    "stored_figures",
    "stored_links",
    "links_from_column",
    "flags_from_row",
    "flags_row",
    "loads",
    "mention_from_row",
    "named_rows",
    "offset",
    "quote_from_row",
    "record_ref_from_row",
]

Row = sqlite3.Row | Mapping[str, Any]

#: Every column of ``articles`` that an Article record holds (plus ``duplicate_of``).
ARTICLE_COLUMNS = (
    "id, content_hash, source, format, outlet, outlet_en, url, original_url, archived_url, archived_at, "
    "site_article_no, title, author, published, published_alt, category, tags, language, script, "
    "blocks, figures, links, flags, duplicate_of, via"
)
#: The columns of ``engagements`` an Engagement record holds (with the key ``article_id, seq``).
ENGAGEMENT_COLUMNS = (
    "article_id, seq, us, cn, modality, date, date_end, date_approx, date_precision, location, occasion, "
    "status, focus, evidence, evidence_start, evidence_end, topics"
)
#: The columns of ``timeline`` a TimelineEntry holds (sources and article ids come from its members).
TIMELINE_COLUMNS = (
    "id, us, cn, modality, status, date, date_end, date_approx, date_precision, location, occasion, data"
)


def loads(value: Any, default: Any) -> Any:
    """A JSON column: ``default`` when it is empty or does not parse."""
    if value is None or value == "":
        return default
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def offset(value: int | None) -> int:
    """A stored character offset: NULL (unknown) is -1, any stored number (0 included) is kept."""
    return -1 if value is None else int(value)


def named_rows(conn: sqlite3.Connection, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
    """Rows addressable by column name whatever row factory the connection has."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, list(args)).fetchall()


def blocks_text(blocks: bytes | str | None) -> str:
    """``Article.text`` from a stored ``blocks`` column (blocks joined by a blank line)."""
    return "\n\n".join(str(b.get("text", "")) for b in unpack_json(blocks, []) if isinstance(b, dict))


# --------------------------------------------------------------------------- compression

#: zstd level of every frame the store writes: cheap (the budget in DEVELOPERS.md), the dictionary
#: does the rest.
ZSTD_LEVEL = 3
#: Dictionary ids (written in each frame's header). A retrained dictionary gets a new id and a new
#: file beside the old one, which stays shipped so frames written with it still decode.
ARTICLE_DICT_ID = 0x53570101  # articles.blocks / figures / links (JSON)
RAW_DICT_ID = 0x53570201  # sources.raw / quarantine.raw (the records as read)
#: The prefix of a Wayback Machine capture URL: ``WAYBACK + timestamp(+flag) + "/" + original``.
WAYBACK = "https://web.archive.org/web/"

_local = threading.local()  # zstd (de)compressor objects are not safe to share between threads


@cache
def _dicts() -> dict[int, zstandard.ZstdCompressionDict]:
    """Every shipped dictionary by its id (``store/zdict/*.zdict``)."""
    out: dict[int, zstandard.ZstdCompressionDict] = {}
    for f in resources.files("summitwatch.store").joinpath("zdict").iterdir():
        if f.name.endswith(".zdict"):
            d = zstandard.ZstdCompressionDict(f.read_bytes())
            d.precompute_compress(level=ZSTD_LEVEL)  # digested once, not at every compress() (~10 % faster)
            out[d.dict_id()] = d
    return out


def _compressor(dict_id: int) -> zstandard.ZstdCompressor:
    comps: dict[int, zstandard.ZstdCompressor] = _local.__dict__.setdefault("comps", {})
    c = comps.get(dict_id)
    if c is None:
        c = comps[dict_id] = zstandard.ZstdCompressor(level=ZSTD_LEVEL, dict_data=_dicts()[dict_id])
    return c


def _decompress(frame: bytes) -> bytes:
    """A frame's bytes, with the dictionary its header names (none: id 0)."""
    dict_id = zstandard.get_frame_parameters(frame).dict_id
    decs: dict[int, zstandard.ZstdDecompressor] = _local.__dict__.setdefault("decs", {})
    d = decs.get(dict_id)
    if d is None:
        if dict_id and dict_id not in _dicts():
            raise ValueError(f"zstd frame needs dictionary {dict_id:#x}, which this summitwatch does not ship")
        d = decs[dict_id] = zstandard.ZstdDecompressor(dict_data=_dicts()[dict_id] if dict_id else None)
    return d.decompress(frame)


def compress_raw(data: bytes) -> bytes:
    """A record's raw bytes as stored (``sources.raw``, ``quarantine.raw``)."""
    return _compressor(RAW_DICT_ID).compress(data)


def decompress_raw(blob: bytes) -> bytes:
    """The raw bytes of a stored record (any frame the store ever wrote, with or without a dictionary)."""
    return _decompress(blob)


def pack_json(value: Any) -> bytes:
    """A JSON column as stored: compact JSON, zstd-compressed with the article dictionary."""
    return _compressor(ARTICLE_DICT_ID).compress(_json(value).encode("utf-8"))


def unpack_json(value: bytes | str | None, default: Any) -> Any:
    """A column :func:`pack_json` wrote, or plain JSON text (a store or fixture from before v6)."""
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            value = _decompress(bytes(value)).decode("utf-8")
        except (zstandard.ZstdError, ValueError):
            return default
    return loads(value, default)


def _pack_archived(url: str | None, archived: str | None) -> dict[str, str]:
    """``{"w": stamp}`` when ``archived`` is ``WAYBACK + stamp + "/" + url`` (one path segment), else
    the archived URL as is (``{"a": ...}``), else nothing."""
    if not archived:
        return {}
    if url and archived.startswith(WAYBACK) and archived.endswith("/" + url):
        stamp = archived[len(WAYBACK) : len(archived) - len(url) - 1]
        if stamp and "/" not in stamp:
            return {"w": stamp}
    return {"a": archived}


def _unpack_archived(d: Mapping[str, Any], url: str | None, key: str) -> str | None:
    """The archived URL of a stored figure/link: rebuilt from ``w``, or ``a``, or (before v6) ``key``."""
    if d.get("w") and url:
        return f"{WAYBACK}{d['w']}/{url}"
    return d.get("a", d.get(key))


def stored_figures(figures: Iterable[Figure]) -> list[dict[str, Any]]:
    """Figures as stored in ``figures`` (before compression): a Wayback wrapper of ``src`` as its stamp."""
    return [{"src": f.src, "caption": f.caption, **_pack_archived(f.src, f.archived_src)} for f in figures]


def stored_links(links: Iterable[Link]) -> list[dict[str, Any]]:
    """Links as stored in ``links`` (before compression): a Wayback wrapper of ``url`` as its stamp."""
    return [{"text": x.text, "url": x.url, **_pack_archived(x.url, x.archived_url)} for x in links]


def figures_from_column(value: bytes | str | None) -> list[dict[str, Any]]:
    """A stored ``figures`` column as the JSON of ``Figure`` (``src, caption, archived_src``)."""
    return [
        {"src": f.get("src"), "caption": f.get("caption"), "archived_src": _unpack_archived(f, f.get("src"), "archived_src")}
        for f in unpack_json(value, [])
        if isinstance(f, dict)
    ]


def links_from_column(value: bytes | str | None) -> list[dict[str, Any]]:
    """A stored ``links`` column as the JSON of ``Link`` (``text, url, archived_url``)."""
    return [
        {"text": x.get("text"), "url": x.get("url"), "archived_url": _unpack_archived(x, x.get("url"), "archived_url")}
        for x in unpack_json(value, [])
        if isinstance(x, dict)
    ]


# --------------------------------------------------------------------------- articles


def article_from_row(row: Row) -> Article:
    """Rebuild the Article record from its ``articles`` row (JSON columns decoded)."""
    r = dict(row)
    return Article(
        id=r["id"],
        content_hash=r["content_hash"],
        source=r["source"],
        format=r["format"] or "",
        title=r["title"] or "",
        blocks=tuple(Block(**b) for b in unpack_json(r["blocks"], [])),
        outlet=r["outlet"],
        outlet_en=r["outlet_en"],
        url=r["url"],
        original_url=r["original_url"],
        archived_url=r["archived_url"],
        archived_at=r["archived_at"],
        site_article_no=r["site_article_no"],
        author=r["author"],
        published=r["published"],
        published_alt=r["published_alt"],
        category=r["category"],
        tags=tuple(loads(r["tags"], [])),
        language=r["language"] or "und",
        script=r["script"] or "und",
        figures=tuple(Figure(**f) for f in figures_from_column(r["figures"])),
        links=tuple(Link(**x) for x in links_from_column(r["links"])),
        flags=tuple(loads(r["flags"], [])),
        via=r.get("via"),
    )


def article_ref_from_row(row: Row) -> ArticleRef:
    """The citation metadata of an article (``id, source, outlet, title, published, url, original_url,
    archived_url``): the URL is the canonical one, else the original."""
    return ArticleRef(
        article_id=row["id"], source=row["source"], outlet=row["outlet"], title=row["title"],
        published=row["published"], url=row["url"] or row["original_url"], archived_url=row["archived_url"],
    )  # fmt: skip


# --------------------------------------------------------------------------- per-article records


def engagement_from_row(row: Row) -> Engagement:
    """The Engagement of an ``engagements`` row (the only engagement decoder)."""
    return Engagement(
        us=tuple(loads(row["us"], [])),
        cn=tuple(loads(row["cn"], [])),
        modality=row["modality"],
        status=row["status"],
        focus=bool(row["focus"]),
        evidence=row["evidence"] or "",
        date=row["date"],
        date_end=row["date_end"],
        date_approx=row["date_approx"],
        date_precision=row["date_precision"],
        location=row["location"],
        occasion=row["occasion"],
        topics=tuple(loads(row["topics"], [])),
        evidence_start=offset(row["evidence_start"]),
        evidence_end=offset(row["evidence_end"]),
    )


def engagement_fields(e: Engagement) -> dict[str, Any]:
    """An engagement as the flat export columns (lists for the name and topic tuples)."""
    return {
        "us": list(e.us), "cn": list(e.cn), "modality": e.modality, "date": e.date, "date_end": e.date_end,
        "date_approx": e.date_approx, "date_precision": e.date_precision, "location": e.location,
        "occasion": e.occasion, "status": e.status, "focus": e.focus, "evidence": e.evidence,
        "evidence_start": e.evidence_start, "evidence_end": e.evidence_end, "topics": list(e.topics),
    }  # fmt: skip


def record_ref_from_row(row: Row) -> RecordRef:
    """A timeline input: an engagement row joined with its article (``source, outlet, title, published,
    url, original_url, archived_url``)."""
    return RecordRef(
        article_id=row["article_id"], seq=row["seq"], source=row["source"], outlet=row["outlet"],
        title=row["title"], published=row["published"], url=row["url"] or row["original_url"],
        archived_url=row["archived_url"], engagement=engagement_from_row(row),
    )  # fmt: skip


def quote_from_row(row: Row) -> Quote:
    return Quote(
        speaker=row["speaker"],
        side=row["side"],
        text=row["text"],
        reported=bool(row["reported"]),
        start=offset(row["start"]),
        end=offset(row["end"]),
        in_title=bool(row["in_title"]),
    )


def mention_from_row(row: Row) -> Mention:
    return Mention(row["kind"], row["key"], row["surface"], row["start"], row["end"], row["side"], row["office"])


# --------------------------------------------------------------------------- timeline


def entry_from_row(row: Row, sources: Sequence[str] = (), article_ids: Sequence[str] = ()) -> TimelineEntry:
    """A TimelineEntry from its ``timeline`` row; ``sources``/``article_ids`` come from its members."""
    data = loads(row["data"], {})
    return TimelineEntry(
        id=row["id"],
        us=list(loads(row["us"], [])),
        cn=list(loads(row["cn"], [])),
        modality=row["modality"],
        status=row["status"],
        date=row["date"],
        date_end=row["date_end"],
        date_approx=row["date_approx"],
        date_precision=row["date_precision"],
        location=row["location"],
        occasion=row["occasion"],
        sources=list(sources),
        article_ids=list(article_ids),
        data=data if isinstance(data, dict) else {},
    )


def entry_row(e: TimelineEntry, flags: Flags | None) -> tuple[Any, ...]:
    """The ``timeline`` row of an entry: :data:`TIMELINE_COLUMNS` then ``single_source, disputed``."""
    f = flags_row(flags)
    return (
        e.id, json.dumps(e.us, ensure_ascii=False), json.dumps(e.cn, ensure_ascii=False), e.modality,
        e.status, e.date, e.date_end, e.date_approx, e.date_precision, e.location, e.occasion,
        json.dumps(e.data, ensure_ascii=False), f[0], f[1],
    )  # fmt: skip


def flags_row(flags: Flags | None) -> tuple[int | None, str | None]:
    """``(single_source, disputed)`` column values (NULLs when the flags were not computed)."""
    if flags is None:
        return None, None
    return int(flags.single_source), json.dumps([dict(d) for d in flags.disputed], ensure_ascii=False)


def flags_from_row(single_source: int | None, disputed: str | None) -> Flags | None:
    """The stored flags, or None when the row has none (written before the columns existed)."""
    if single_source is None or disputed is None:
        return None
    items = loads(disputed, None)
    if not isinstance(items, list):
        return None
    return Flags(bool(single_source), tuple(d for d in items if isinstance(d, dict)))


# --------------------------------------------------------------------------- article rows (written in workers)
# The JSON encoding of an article's row is the costly part of storing it; worker processes compute it
# (pure, no database), and ``write.upsert_article_row`` stores it.


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def article_row(article: Article, run_id: int, title_key: str | None) -> tuple[Any, ...]:
    """The ``articles`` row of an Article (JSON for list columns), in ``write._ARTICLE_COLUMNS`` order."""
    a = article
    return (
        a.id,
        a.content_hash,
        a.source,
        a.format,
        a.outlet,
        a.outlet_en,
        a.url,
        a.original_url,
        a.archived_url,
        a.archived_at,
        a.site_article_no,
        a.title,
        a.author,
        a.published,
        a.published_date,
        a.published_alt,
        a.category,
        _json(list(a.tags)),
        a.language,
        a.script,
        # plain dicts by hand: dataclasses.asdict deep-copies and costs ~0.5 ms per article
        pack_json([{"kind": b.kind, "text": b.text} for b in a.blocks]),
        pack_json(stored_figures(a.figures)),
        pack_json(stored_links(a.links)),
        _json(list(a.flags)),
        run_id,
        title_key,
        a.via,
    )
