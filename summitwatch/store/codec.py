"""Row <-> record conversion: the one place that knows how a record is laid out in a table row.

Every reader of the store (the read layer ``store.query``, the exports, the timeline step's loaders)
decodes rows here, so a column means the same thing wherever it is read. Before this module the
engagement decoder existed three times and the copies drifted (one turned a quote at offset 0 into
-1); a missing offset is now -1 everywhere and a stored 0 stays 0.

Rows may be ``sqlite3.Row`` or plain mappings; JSON columns that do not parse decode to the empty
value rather than failing a page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

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
    "engagement_fields",
    "engagement_from_row",
    "entry_from_row",
    "entry_row",
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


def blocks_text(blocks_json: str | None) -> str:
    """``Article.text`` from a stored ``blocks`` column (blocks joined by a blank line)."""
    return "\n\n".join(str(b.get("text", "")) for b in loads(blocks_json, []) if isinstance(b, dict))


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
        blocks=tuple(Block(**b) for b in loads(r["blocks"], [])),
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
        figures=tuple(Figure(**f) for f in loads(r["figures"], [])),
        links=tuple(Link(**x) for x in loads(r["links"], [])),
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
        _json([{"kind": b.kind, "text": b.text} for b in a.blocks]),
        _json([{"src": f.src, "caption": f.caption, "archived_src": f.archived_src} for f in a.figures]),
        _json([{"text": x.text, "url": x.url, "archived_url": x.archived_url} for x in a.links]),
        _json(list(a.flags)),
        run_id,
        title_key,
        a.via,
    )
