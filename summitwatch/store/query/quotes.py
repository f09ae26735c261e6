"""Quotes as readers see them: one item per quote, copies of an article folded, tied to engagements.

The store keeps one row per quote per article. Here:
- a quote repeated in near-duplicate copies of an article (``articles.duplicate_of``: the copies of
  one story on several outlets or pages) is one item; ``sources`` lists the article ids of every
  copy, the representative's first;
- an item belongs to the merged engagement (timeline entry) that its article reports with
  ``focus`` true when the speaker is one of that engagement's participants, or a body of the
  government of a participant's side (the White House for a US participant); else
  ``engagement_id`` is null;
- ``speaker`` filters accept the canonical name or any surface form the knowledge knows (Chinese
  aliases in either script); ``q`` searches the quoted words in either script.

The API (``GET /api/quotes``), the CLI (``summitwatch quotes``) and the web pages (person pages:
``quotes_of_person``; engagement pages: ``quotes_of_engagement``) all read through this module.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from summitwatch.mentions import normalise

__all__ = [
    "QuoteFilters",
    "QuoteItem",
    "QuotePage",
    "list_quotes",
    "quotes_of_person",
    "quotes_of_engagement",
    "resolve_speaker",
    "ITEM_FIELDS",
    "items_csv",
]

ITEM_FIELDS = ("id", "speaker", "side", "text", "article_id", "title", "published", "outlet", "start", "end",
               "in_title", "engagement_id", "sources")


@dataclass(frozen=True, slots=True)
class QuoteFilters:
    """What to list: every field optional. ``since``/``until`` are inclusive ISO dates (or a year /
    year-month prefix) on the article's publication day."""

    speaker: str | None = None
    side: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None
    engagement_id: str | None = None
    include_reported: bool = False


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """One quote as the interfaces show it (the representative copy's offsets and metadata); ``start``
    and ``end`` are offsets into the article's text, or into its ``title`` when ``in_title``."""

    id: str  # "<article_id>:<seq>" of the representative row
    speaker: str
    side: str
    text: str
    article_id: str
    title: str | None
    published: str | None
    outlet: str | None
    start: int | None
    end: int | None
    engagement_id: str | None
    sources: tuple[str, ...]
    reported: bool = False
    in_title: bool = False  # a headline quote: start/end point into the title

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sources"] = list(self.sources)
        return d


@dataclass(frozen=True, slots=True)
class QuotePage:
    total: int
    limit: int
    offset: int
    items: tuple[QuoteItem, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset,
                "items": [i.to_dict() for i in self.items]}


def _until(value: str | None) -> str | None:
    """An inclusive upper bound: "2021" means up to the end of 2021."""
    if value is None:
        return None
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


def resolve_speaker(kn: Any, name: str) -> set[str]:
    """The canonical speaker names ``name`` can mean: the name itself, an official or body whose
    canonical name, English form or Chinese alias (either script) it is."""
    raw = name.strip()
    if not raw:
        return set()
    out = {raw}
    if kn is None:
        return out
    low = raw.lower()
    norm = normalise(raw)
    for o in kn.officials.values():
        if o.name.lower() == low or any(f.lower() == low for f in o.en) or raw in o.zh \
                or any(normalise(z) == norm for z in o.zh):
            out.add(o.name)
    for b in kn.bodies.values():
        if b.name.lower() == low or any(f.lower() == low for f in getattr(b, "en", ())) or raw in b.zh \
                or any(normalise(z) == norm for z in b.zh):
            out.add(b.name)
    return out


def _rows(conn: sqlite3.Connection, f: QuoteFilters, kn: Any, engagement: str | None = None) -> list[sqlite3.Row]:
    """Quote rows (with their article's columns) under ``f``.

    ``engagement``: only the copy groups of that timeline entry's member articles, every quote of
    those groups included (a copy outside the entry repeats its members' words); groups whose
    members quote nobody are skipped (their quotes tie to other entries). Read through the article
    keys, so an engagement page joins a few quotes to their wide article rows instead of all of them.
    """
    where = []
    args: list[Any] = []
    head = ""
    if engagement is not None:
        head = (
            "WITH g(id) AS MATERIALIZED (SELECT DISTINCT coalesce(m.duplicate_of, m.id) FROM timeline_members tm"
            " JOIN articles m ON m.id = tm.article_id WHERE tm.timeline_id = ?"
            " AND EXISTS (SELECT 1 FROM quotes x WHERE x.article_id = m.id AND x.reported = 0)) "
        )
        args.append(engagement)
        where.append(
            "q.article_id IN (SELECT id FROM articles WHERE id IN g"
            " UNION ALL SELECT id FROM articles WHERE duplicate_of IN g)"
        )
        where.append("coalesce(a.duplicate_of, a.id) IN g")  # a listed id that is itself a copy: another group
    if not f.include_reported:
        where.append("q.reported = 0")
    if f.speaker:
        names = sorted(resolve_speaker(kn, f.speaker))
        where.append(f"lower(q.speaker) IN ({','.join('?' * len(names))})")
        args.extend(n.lower() for n in names)
    if f.side:
        where.append("upper(q.side) = ?")
        args.append(f.side.upper())
    if f.since:
        where.append("a.published_day >= ?")
        args.append(f.since)
    if f.until:
        where.append("a.published_day <= ?")
        args.append(_until(f.until))
    if f.q:
        conn.create_function("sw_norm", 1, normalise, deterministic=True)
        where.append("instr(sw_norm(q.text), ?) > 0")
        args.append(normalise(f.q))
    sql = (head + "SELECT q.article_id, q.seq, q.speaker, q.side, q.text, q.reported, q.start, q.\"end\", q.in_title, "
           "a.title, "
           "a.published, a.published_day, a.outlet, coalesce(a.duplicate_of, a.id) AS grp, "
           "(a.duplicate_of IS NULL) AS is_rep FROM quotes q JOIN articles a ON a.id = q.article_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return list(conn.execute(sql, args))


def _engagements(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, list[tuple[str, set[str], set[str]]]]:
    """Per article: (timeline id, US participants, PRC participants) of the engagements it reports
    with focus."""
    ids = sorted(set(article_ids))
    out: dict[str, list[tuple[str, set[str], set[str]]]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f"SELECT tm.timeline_id, e.article_id, t.us, t.cn FROM engagements e "
            f"JOIN timeline_members tm ON tm.article_id = e.article_id AND tm.seq = e.seq "
            f"JOIN timeline t ON t.id = tm.timeline_id WHERE e.focus = 1 AND e.article_id IN ({marks}) "
            f"ORDER BY e.article_id, e.seq", chunk,
        ):
            out.setdefault(r[1], []).append((r[0], set(json.loads(r[2] or "[]")), set(json.loads(r[3] or "[]"))))
    return out


def _engagement_of(speaker: str, side: str, engs: list[tuple[str, set[str], set[str]]], kn: Any) -> str | None:
    """The first focused engagement the speaker takes part in, else the first one where the speaker
    is a body of a participant's government (same side)."""
    for tid, us, cn in engs:
        if speaker in us or speaker in cn:
            return tid
    is_body = kn is not None and speaker in kn.bodies
    if not is_body:
        return None
    for tid, us, cn in engs:
        if (side == "US" and us) or (side == "PRC" and cn):
            return tid
    return None


def _items(conn: sqlite3.Connection, rows: list[sqlite3.Row], kn: Any) -> list[QuoteItem]:
    groups: dict[tuple[str, str, str], list[sqlite3.Row]] = {}
    for r in rows:
        key = (r["grp"], r["speaker"], normalise(r["text"]))
        groups.setdefault(key, []).append(r)
    engs = _engagements(conn, (r["article_id"] for r in rows))
    items = []
    for members in groups.values():
        members.sort(key=lambda r: (not r["is_rep"], r["published"] or "", r["article_id"], r["seq"]))
        rep = members[0]
        sources = tuple(dict.fromkeys(m["article_id"] for m in members))
        eid = None
        for aid in sources:
            eid = _engagement_of(rep["speaker"], rep["side"], engs.get(aid, []), kn)
            if eid:
                break
        items.append(QuoteItem(
            id=f"{rep['article_id']}:{rep['seq']}", speaker=rep["speaker"], side=rep["side"], text=rep["text"],
            article_id=rep["article_id"], title=rep["title"], published=rep["published"], outlet=rep["outlet"],
            start=rep["start"], end=rep["end"], engagement_id=eid, sources=sources, reported=bool(rep["reported"]),
            in_title=bool(rep["in_title"]),
        ))
    return items


def list_quotes(conn: sqlite3.Connection, f: QuoteFilters, limit: int = 50, offset: int = 0, kn: Any = None,
                order: Literal["asc", "desc"] = "desc") -> QuotePage:
    """Quotes matching ``f``, newest first (``order="asc"``: oldest first), paginated."""
    items = _items(conn, _rows(conn, f, kn), kn)
    if f.engagement_id:
        items = [i for i in items if i.engagement_id == f.engagement_id]
    # within an article the headline comes first, then the text in order
    items.sort(key=lambda i: (i.published or "", i.article_id, not i.in_title, i.start or 0),
               reverse=(order == "desc"))
    return QuotePage(len(items), limit, offset, tuple(items[offset:offset + limit]))


def quotes_of_person(conn: sqlite3.Connection, name: str, kn: Any = None, limit: int = 200) -> QuotePage:
    """A person's (or a body's) direct quotes by date, oldest first: what a person page lists."""
    return list_quotes(conn, QuoteFilters(speaker=name), limit, 0, kn, order="asc")


def quotes_of_engagement(conn: sqlite3.Connection, entry_id: str, kn: Any = None) -> dict[str, list[QuoteItem]]:
    """The direct quotes tied to one merged engagement, once each, by side ("US", "PRC"), oldest first:
    what an engagement page shows."""
    rows = _rows(conn, QuoteFilters(), kn, engagement=entry_id)
    out: dict[str, list[QuoteItem]] = {"US": [], "PRC": []}
    seen: set[tuple[str, str]] = set()
    for it in sorted(_items(conn, rows, kn), key=lambda i: (i.published or "", not i.in_title, i.start or 0)):
        if it.engagement_id != entry_id or it.side not in out:
            continue
        key = (it.speaker, normalise(it.text))
        if key in seen:
            continue  # the same words reported by several outlets: shown once
        seen.add(key)
        out[it.side].append(it)
    return out


def items_csv(items: Iterable[QuoteItem]) -> str:
    """The items as CSV (``ITEM_FIELDS`` columns; ``sources`` joined with ``;``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ITEM_FIELDS)
    for it in items:
        d = it.to_dict()
        w.writerow([";".join(d[k]) if k == "sources" else ("" if d[k] is None else d[k]) for k in ITEM_FIELDS])
    return buf.getvalue()
