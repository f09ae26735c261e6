"""Read-only queries behind the HTTP API and the web pages: articles, the timeline, engagements, corpus.

One query layer: ``api.py`` serialises these records, ``web/routes.py`` renders them, so each query
lives in one place. Functions take an open connection (``store.db.connect``) and return
dataclasses (or model records); nothing here writes. Article rows are decoded by
``store.articles``; this module adds the joins the pages need (records, mentions, quotes, filters by
person/topic/engagement) and the timeline filters ``store.timeline.read_timeline`` does not have
(person, topic, outlet, status, pagination).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from summitwatch.model import Article, Engagement, Mention, Quote, TimelineEntry
from summitwatch.store.articles import article_from_row, duplicates_of, sources_of

# --------------------------------------------------------------------------- helpers


def _rows(conn: sqlite3.Connection, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows addressable by column name whatever row factory the connection has."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, args).fetchall()


def _json(value: str | None, default: Any) -> Any:
    if value is None or value == "":
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: the items plus the total matching, for pagination."""

    total: int
    limit: int
    offset: int
    items: tuple[Any, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "items": [i.to_dict() if hasattr(i, "to_dict") else i for i in self.items],
        }


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    person: str | None = None
    topic: str | None = None
    has_engagement: bool = False


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    id: str
    source: str
    title: str
    published: str | None
    outlet: str | None
    url: str | None
    engagements: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _article_where(f: ArticleFilters) -> tuple[str, list[Any]]:
    from summitwatch.timeline.filters import canonical_people, topic_ids

    where: list[str] = []
    args: list[Any] = []
    if f.outlet:
        where.append("(a.outlet = ? OR a.outlet_en = ?)")
        args += [f.outlet, f.outlet]
    if f.since:
        where.append("a.published_day >= ?")
        args.append(f.since[:10])
    if f.until:
        where.append("a.published_day <= ?")
        args.append(f.until[:10])
    if f.person:  # any name the officials data knows (拜登, joe biden), as the CLI takes it
        names = canonical_people(f.person)
        where.append(
            "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id"
            f" AND m.kind IN ('person', 'office') AND m.key IN ({','.join('?' * len(names))}))"
        )
        args.extend(names)
    if f.topic:  # an id or a cue word (台灣)
        topics = topic_ids(f.topic)
        where.append(
            "EXISTS (SELECT 1 FROM extractions x, json_each(x.topics) t WHERE x.article_id = a.id"
            f" AND t.value IN ({','.join('?' * len(topics))}))"
        )
        args.extend(topics)
    if f.has_engagement:
        where.append("EXISTS (SELECT 1 FROM engagements e WHERE e.article_id = a.id)")
    return (" WHERE " + " AND ".join(where)) if where else "", args


def list_articles(
    conn: sqlite3.Connection, filters: ArticleFilters | None = None, limit: int = 50, offset: int = 0
) -> Page:
    """Articles newest first under ``filters``."""
    where, args = _article_where(filters or ArticleFilters())
    total = conn.execute(f"SELECT count(*) FROM articles a{where}", args).fetchone()[0]
    rows = _rows(
        conn,
        "SELECT a.id, a.source, a.title, a.published, a.outlet, a.url,"
        " (SELECT count(*) FROM engagements e WHERE e.article_id = a.id) AS n"
        f" FROM articles a{where} ORDER BY a.published_day DESC, a.id LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    items = tuple(
        ArticleSummary(r["id"], r["source"], r["title"] or "", r["published"], r["outlet"], r["url"], r["n"])
        for r in rows
    )
    return Page(total, limit, offset, items)


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One per-article engagement record with the merged timeline entry it belongs to."""

    seq: int
    engagement: Engagement
    timeline_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "timeline_id": self.timeline_id, **self.engagement.to_dict()}


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    article: Article
    engagements: tuple[ArticleRecord, ...] = ()
    quotes: tuple[Quote, ...] = ()
    mentions: tuple[Mention, ...] = ()
    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every leaf record that yielded this article
    duplicate_of: str | None = None
    duplicates: tuple[str, ...] = ()  # ids of near-duplicates folded into this one

    def to_dict(self) -> dict[str, Any]:
        d = self.article.to_dict()
        d["text"] = self.article.text
        d.update(
            engagements=[e.to_dict() for e in self.engagements],
            quotes=[asdict(q) for q in self.quotes],
            mentions=[asdict(m) for m in self.mentions],
            topics=list(self.topics),
            sources=list(self.sources),
            duplicate_of=self.duplicate_of,
            duplicates=list(self.duplicates),
        )
        return d


def engagement_from_row(row: sqlite3.Row) -> Engagement:
    return Engagement(
        us=tuple(_json(row["us"], [])),
        cn=tuple(_json(row["cn"], [])),
        modality=row["modality"],
        status=row["status"],
        focus=bool(row["focus"]),
        evidence=row["evidence"],
        date=row["date"],
        date_end=row["date_end"],
        date_approx=row["date_approx"],
        date_precision=row["date_precision"],
        location=row["location"],
        occasion=row["occasion"],
        topics=tuple(_json(row["topics"], [])),
        evidence_start=row["evidence_start"] if row["evidence_start"] is not None else -1,
        evidence_end=row["evidence_end"] if row["evidence_end"] is not None else -1,
    )


def get_article(conn: sqlite3.Connection, article_id: str) -> ArticleDetail | None:
    """One article with its per-article engagement records, quotes, mentions and topics."""
    rows = _rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    art = article_from_row(rows[0])
    engs = tuple(
        ArticleRecord(r["seq"], engagement_from_row(r), r["timeline_id"])
        for r in _rows(
            conn,
            "SELECT e.*, tm.timeline_id FROM engagements e LEFT JOIN timeline_members tm"
            " ON tm.article_id = e.article_id AND tm.seq = e.seq WHERE e.article_id = ? ORDER BY e.seq",
            [article_id],
        )
    )
    quotes = tuple(
        Quote(r["speaker"], r["side"], r["text"], bool(r["reported"]), r["start"] or -1, r["end"] or -1)
        for r in _rows(conn, "SELECT * FROM quotes WHERE article_id = ? ORDER BY seq", [article_id])
    )
    mentions = tuple(
        Mention(r["kind"], r["key"], r["surface"], r["start"], r["end"], r["side"], r["office"])
        for r in _rows(conn, "SELECT * FROM mentions WHERE article_id = ? ORDER BY start, seq", [article_id])
    )
    topic_row = conn.execute("SELECT topics FROM extractions WHERE article_id = ?", [article_id]).fetchone()
    sources = tuple(sources_of(conn, article_id))
    dups = tuple(i for i in duplicates_of(conn, article_id) if i != article_id)
    dup_of = rows[0]["duplicate_of"]
    return ArticleDetail(
        article=art,
        engagements=engs,
        quotes=quotes,
        mentions=mentions,
        topics=tuple(_json(topic_row[0], [])) if topic_row else (),
        sources=sources or (art.source,),
        duplicate_of=dup_of if dup_of != article_id else None,
        duplicates=dups,
    )


# --------------------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class TimelineFilters:
    since: str | None = None
    until: str | None = None
    person: str | None = None
    modality: str | None = None
    status: str | None = None
    topic: str | None = None
    outlet: str | None = None


def _timeline_where(f: TimelineFilters) -> tuple[str, list[Any]]:
    from summitwatch.timeline.filters import canonical_people, topic_ids

    where: list[str] = []
    args: list[Any] = []
    day = "COALESCE(t.date, t.date_approx)"
    if f.since:
        where.append(f"{day} >= ?")
        args.append(f.since)
    if f.until:
        where.append(f"{day} <= ?")
        args.append(f.until)
    if f.person:  # 「布林肯」 as well as 「Antony Blinken」, as the CLI's timeline filter takes them
        names = canonical_people(f.person)
        marks = ",".join("?" * len(names))
        where.append(
            f"(EXISTS (SELECT 1 FROM json_each(t.us) j WHERE j.value IN ({marks}))"
            f" OR EXISTS (SELECT 1 FROM json_each(t.cn) j WHERE j.value IN ({marks})))"
        )
        args += names + names
    if f.modality:
        where.append("t.modality = ?")
        args.append(f.modality)
    if f.status:
        where.append("t.status = ?")
        args.append(f.status)
    if f.topic:  # an id or a cue word (台灣)
        topics = topic_ids(f.topic)
        tmarks = ",".join("?" * len(topics))
        where.append(
            "(EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.data) THEN t.data ELSE '{}' END, '$.topics') j"
            f" WHERE j.value IN ({tmarks}))"
            # a topic one side raised (the CLI's timeline filter counts it too)
            " OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.data) THEN t.data ELSE '{}' END,"
            f" '$.topics_by_side') s, json_each(s.value) j WHERE j.value IN ({tmarks}))"
            " OR EXISTS (SELECT 1 FROM timeline_members tm JOIN engagements e"
            " ON e.article_id = tm.article_id AND e.seq = tm.seq, json_each(e.topics) j"
            f" WHERE tm.timeline_id = t.id AND j.value IN ({tmarks})))"
        )
        args += topics + topics + topics
    if f.outlet:
        where.append(
            "EXISTS (SELECT 1 FROM timeline_members tm JOIN articles a ON a.id = tm.article_id"
            " WHERE tm.timeline_id = t.id AND (a.outlet = ? OR a.outlet_en = ?))"
        )
        args += [f.outlet, f.outlet]
    return (" WHERE " + " AND ".join(where)) if where else "", args


def _entries(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[TimelineEntry]:
    ids = [r["id"] for r in rows]
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    extra_sources: dict[str, set[str]] = defaultdict(set)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for m in conn.execute(
            "SELECT DISTINCT tm.timeline_id, tm.article_id, a.source, a.published_day FROM timeline_members tm"
            f" LEFT JOIN articles a ON a.id = tm.article_id WHERE tm.timeline_id IN ({marks})"
            " ORDER BY a.published_day, tm.article_id",
            chunk,
        ):
            members[m[0]].append((m[1], m[2] or ""))
        for m in conn.execute(
            "SELECT DISTINCT tm.timeline_id, s.source FROM timeline_members tm JOIN sources s"
            f" ON s.article_id = tm.article_id WHERE tm.timeline_id IN ({marks}) ORDER BY s.source",
            chunk,
        ):
            extra_sources[m[0]].add(m[1])
    out = []
    for r in rows:
        mem = list(dict.fromkeys(members.get(r["id"], [])))
        out.append(
            TimelineEntry(
                id=r["id"],
                us=list(_json(r["us"], [])),
                cn=list(_json(r["cn"], [])),
                modality=r["modality"],
                status=r["status"],
                date=r["date"],
                date_end=r["date_end"],
                date_approx=r["date_approx"],
                date_precision=r["date_precision"],
                location=r["location"],
                occasion=r["occasion"],
                sources=sorted({s for _, s in mem if s} | extra_sources.get(r["id"], set())),
                article_ids=[a for a, _ in mem],
                data=_json(r["data"], {}) if isinstance(_json(r["data"], {}), dict) else {},
            )
        )
    return out


def list_timeline(
    conn: sqlite3.Connection, filters: TimelineFilters | None = None, limit: int = 1000, offset: int = 0
) -> Page:
    """Merged engagements in date order (undated ones last) under ``filters``."""
    where, args = _timeline_where(filters or TimelineFilters())
    total = conn.execute(f"SELECT count(*) FROM timeline t{where}", args).fetchone()[0]
    rows = _rows(
        conn,
        f"SELECT t.* FROM timeline t{where} ORDER BY COALESCE(t.date, t.date_approx) IS NULL,"
        " COALESCE(t.date, t.date_approx), t.id LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    return Page(total, limit, offset, tuple(_entries(conn, rows)))


@dataclass(frozen=True, slots=True)
class EvidenceInContext:
    before: str
    evidence: str
    after: str


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """One article's record of a merged engagement, with the article's metadata and the evidence in context."""

    article: ArticleSummary
    seq: int
    engagement: Engagement
    context: EvidenceInContext | None
    copies: tuple[str, ...] = ()  # near-duplicate copies of the article reporting it the same way

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "seq": self.seq,
            "copies": list(self.copies),
            "record": self.engagement.to_dict(),
            "context": asdict(self.context) if self.context else None,
        }


@dataclass(frozen=True, slots=True)
class EngagementDetail:
    entry: TimelineEntry
    members: tuple[MemberRecord, ...] = ()
    quotes: tuple[dict[str, Any], ...] = ()
    topics: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = self.entry.to_dict()
        d.update(
            records=[m.to_dict() for m in self.members],
            quotes=list(self.quotes),
            topics=list(self.topics),
        )
        return d


def evidence_context(
    text: str, evidence: str, start: int, end: int, margin: int = 160
) -> EvidenceInContext | None:
    """The evidence sentence with the rest of its paragraph (bounded) on either side.

    Uses the stored offsets when they point at the evidence, else looks the sentence up in the text.
    """
    if not (0 <= start < end <= len(text)) or text[start:end].strip() != evidence.strip():
        i = text.find(evidence.strip()) if evidence.strip() else -1
        if i < 0:
            return None
        start, end = i, i + len(evidence.strip())
    para_lo = text.rfind("\n\n", 0, start)
    para_lo = 0 if para_lo < 0 else para_lo + 2
    para_hi = text.find("\n\n", end)
    para_hi = len(text) if para_hi < 0 else para_hi
    lo = max(para_lo, start - margin)
    hi = min(para_hi, end + margin)
    before = ("…" if lo > para_lo else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < para_hi else "")
    return EvidenceInContext(before, text[start:end], after)


def get_engagement(conn: sqlite3.Connection, entry_id: str) -> EngagementDetail | None:
    """One merged engagement with every article record behind it, oldest report first."""
    rows = _rows(conn, "SELECT * FROM timeline WHERE id = ?", [entry_id])
    if not rows:
        return None
    entry = _entries(conn, rows)[0]
    members: list[MemberRecord] = []
    topics: list[str] = (
        list(entry.data.get("topics") or []) if isinstance(entry.data.get("topics"), list) else []
    )
    participants = set(entry.us) | set(entry.cn)
    quotes: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for r in _rows(
        conn,
        "SELECT e.*, a.source AS a_source, a.title AS a_title, a.published AS a_published,"
        " a.outlet AS a_outlet, a.url AS a_url, a.blocks AS a_blocks, a.duplicate_of AS a_dup"
        " FROM timeline_members tm JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
        " LEFT JOIN articles a ON a.id = tm.article_id WHERE tm.timeline_id = ?"
        " ORDER BY a.published, tm.article_id, tm.seq",
        [entry_id],
    ):
        eng = engagement_from_row(r)
        # near-duplicate copies reporting it in the same sentence are one source, with its copies
        group = (r["a_dup"] or r["article_id"], eng.evidence)
        if group in seen:
            first = seen[group]
            members[first] = replace(members[first], copies=(*members[first].copies, r["article_id"]))
            continue
        blocks = _json(r["a_blocks"], [])
        text = "\n\n".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))
        summary = ArticleSummary(
            r["article_id"],
            r["a_source"] or "",
            r["a_title"] or "",
            r["a_published"],
            r["a_outlet"],
            r["a_url"],
        )
        seen[group] = len(members)
        members.append(
            MemberRecord(
                summary,
                r["seq"],
                eng,
                evidence_context(text, eng.evidence, eng.evidence_start, eng.evidence_end),
            )
        )
        topics.extend(t for t in eng.topics if isinstance(t, str))
    article_ids = list(dict.fromkeys(m.article.id for m in members))  # copies' quotes are the same
    if article_ids and participants:
        marks = ",".join("?" * len(article_ids))
        pm = ",".join("?" * len(participants))
        for q in _rows(
            conn,
            "SELECT q.*, a.title AS a_title, a.published AS a_published FROM quotes q"
            f" LEFT JOIN articles a ON a.id = q.article_id WHERE q.article_id IN ({marks})"
            f" AND q.speaker IN ({pm}) ORDER BY a.published, q.article_id, q.seq",
            [*article_ids, *sorted(participants)],
        ):
            if any(x["speaker"] == q["speaker"] and x["text"] == q["text"] for x in quotes):
                continue
            quotes.append(
                {
                    "speaker": q["speaker"],
                    "side": q["side"],
                    "text": q["text"],
                    "reported": bool(q["reported"]),
                    "article_id": q["article_id"],
                    "article_title": q["a_title"],
                    "published": q["a_published"],
                }
            )
    return EngagementDetail(entry, tuple(members), tuple(quotes), tuple(dict.fromkeys(topics)))


def timeline_facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Values the timeline filters offer: people, topics, modalities, statuses, outlets."""
    people = sorted(
        {
            r[0]
            for r in conn.execute(
                "SELECT j.value FROM timeline t, json_each(t.us) j UNION SELECT j.value FROM timeline t, json_each(t.cn) j"
            )
            if isinstance(r[0], str)
        }
    )
    topics = sorted(
        {
            r[0]
            for r in conn.execute(
                "SELECT j.value FROM timeline_members tm JOIN engagements e ON e.article_id = tm.article_id"
                " AND e.seq = tm.seq, json_each(e.topics) j"
            )
            if isinstance(r[0], str)
        }
    )
    # CROSS JOIN keeps timeline_members the outer loop: the few member articles are looked up by id,
    # instead of walking every article of an outlet index and reading its (wide) row
    outlets = sorted(
        {
            r[0]
            for r in conn.execute(
                "SELECT a.outlet FROM timeline_members tm CROSS JOIN articles a ON a.id = tm.article_id"
                " WHERE a.outlet IS NOT NULL"
            )
        }
    )
    modalities = [r[0] for r in conn.execute("SELECT DISTINCT modality FROM timeline ORDER BY modality")]
    statuses = [r[0] for r in conn.execute("SELECT DISTINCT status FROM timeline ORDER BY status")]
    return {
        "people": people,
        "topics": topics,
        "outlets": outlets,
        "modalities": modalities,
        "statuses": statuses,
    }


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True, slots=True)
class CorpusStats:
    articles: int
    sources: int
    quarantined: int
    extracted: int
    engagement_records: int
    timeline_entries: int
    duplicates: int  # articles folded into another (near-duplicate copies)
    outlets: tuple[tuple[str, int], ...] = ()
    per_month: tuple[tuple[str, int], ...] = ()
    quarantine_reasons: tuple[tuple[str, int], ...] = ()
    modalities: tuple[tuple[str, int], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("outlets", "per_month", "quarantine_reasons", "modalities"):
            d[key] = dict(getattr(self, key))
        return d


def corpus_stats(conn: sqlite3.Connection) -> CorpusStats:
    """Counts for ``/api/stats`` and the corpus page."""

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0] or 0)

    def pairs(sql: str) -> tuple[tuple[str, int], ...]:
        return tuple((str(r[0]), int(r[1])) for r in conn.execute(sql))

    return CorpusStats(
        articles=one("SELECT count(*) FROM articles"),
        sources=one("SELECT count(*) FROM sources"),
        quarantined=one("SELECT count(*) FROM quarantine"),
        extracted=one("SELECT count(*) FROM extractions"),
        engagement_records=one("SELECT count(*) FROM engagements"),
        timeline_entries=one("SELECT count(*) FROM timeline"),
        duplicates=one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL AND duplicate_of != id"),
        outlets=pairs(
            "SELECT COALESCE(outlet, '(unknown)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        per_month=pairs(
            "SELECT substr(published_day, 1, 7), count(*) FROM articles WHERE published_day IS NOT NULL"
            " GROUP BY 1 ORDER BY 1"
        ),
        quarantine_reasons=pairs(
            "SELECT reason, count(*) FROM quarantine GROUP BY reason ORDER BY 2 DESC, 1"
        ),
        modalities=pairs("SELECT modality, count(*) FROM timeline GROUP BY modality ORDER BY 2 DESC"),
        extra={"undated_articles": one("SELECT count(*) FROM articles WHERE published_day IS NULL")},
    )


def list_quarantine(
    conn: sqlite3.Connection, limit: int = 200, offset: int = 0, reason: str | None = None
) -> Page:
    """Quarantined records with their reasons (the corpus page's list)."""
    where, args = (" WHERE reason = ?", [reason]) if reason else ("", [])
    total = conn.execute(f"SELECT count(*) FROM quarantine{where}", args).fetchone()[0]
    items = tuple(
        {"source": r[0], "reason": r[1], "detail": r[2] or ""}
        for r in conn.execute(
            f"SELECT source, reason, detail FROM quarantine{where} ORDER BY reason, source LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
    )
    return Page(total, limit, offset, items)


def list_duplicate_groups(conn: sqlite3.Connection, limit: int = 100, offset: int = 0) -> Page:
    """Near-duplicate groups, largest first: representative article and how many copies fold into it."""
    total = conn.execute(
        "SELECT count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL AND duplicate_of != id"
    ).fetchone()[0]
    items = tuple(
        {"id": r[0], "title": r[1] or "", "published": r[2], "copies": r[3]}
        # count in the covering index first, then read titles for the page's groups only
        for r in conn.execute(
            "SELECT g.rep, r.title, r.published, g.n FROM (SELECT duplicate_of AS rep, count(*) AS n"
            " FROM articles WHERE duplicate_of IS NOT NULL AND duplicate_of != id"
            " GROUP BY duplicate_of ORDER BY n DESC, rep LIMIT ? OFFSET ?) AS g"
            " LEFT JOIN articles r ON r.id = g.rep ORDER BY g.n DESC, g.rep",
            [limit, offset],
        )
    )
    return Page(total, limit, offset, items)
