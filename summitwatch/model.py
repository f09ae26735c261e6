"""Typed records that flow through the pipeline.

Data flows one way: sources -> articles -> mentions -> engagements -> timeline -> store -> interfaces.
Every stage takes and returns these frozen records, so stages are pure functions that pickle
(the Dask runner maps the very same functions) and equal inputs give equal outputs.

Dicts appear only at the edges (``to_dict`` for JSON/SQLite, ``from_dict`` to read them back).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Script = Literal["zh-Hant", "zh-Hans", "en", "und"]
BlockKind = Literal["title", "heading", "paragraph", "caption"]
Modality = Literal["in_person", "phone", "video"]
Status = Literal["held", "planned", "cancelled"]
Side = Literal["US", "PRC", "other"]


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One leaf record as read from an input: a file, an archive member, a feed item, a WARC response.

    ``source`` is the record's path relative to the PATH argument given to ingest (archive member
    name, or file plus a fragment such as ``feed.xml#item=3``). ``hint`` names a format when the
    container already knows it (``html`` for a WARC response, ``feed-item`` for a feed entry);
    ``meta`` carries what the container knew (WARC target URI and date, feed item fields).
    """

    source: str
    data: bytes
    hint: str | None = None
    meta: tuple[tuple[str, str], ...] = ()

    def meta_dict(self) -> dict[str, str]:
        return dict(self.meta)


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of clean text in reading order. Offsets of mentions/evidence refer to ``Article.text``."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class Figure:
    src: str  # unwrapped image URL (archive/proxy wrappers removed)
    caption: str
    archived_src: str | None = None  # the wrapped URL as found, when it was wrapped


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str  # unwrapped
    archived_url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """The canonical article: metadata plus clean text blocks, no boilerplate."""

    id: str  # stable: from canonical URL when known, else content
    content_hash: str  # hash of the clean content (title + blocks)
    source: str
    format: str  # yaml-markdown | mirror-markdown | rss-mirror | html | feed-item | warc-html
    title: str
    blocks: tuple[Block, ...]
    outlet: str | None = None  # Chinese name, e.g. 眾新聞
    outlet_en: str | None = None  # English name, e.g. Citizen News
    url: str | None = None  # canonical article URL (unwrapped)
    original_url: str | None = None  # as given by the source (front matter original_url etc.)
    archived_url: str | None = None  # web-archive URL when the source came through one
    archived_at: str | None = None  # ISO timestamp from the web-archive URL
    site_article_no: str | None = None  # the outlet's own article number (hkcnews 47751)
    author: str | None = None
    published: str | None = None  # ISO 8601, timezone-aware
    published_alt: str | None = None  # a mirror's own stamp when it disagrees with the article's
    category: str | None = None
    tags: tuple[str, ...] = ()
    language: str = "zh"  # zh | en | und
    script: Script = "und"
    figures: tuple[Figure, ...] = ()
    links: tuple[Link, ...] = ()
    flags: tuple[str, ...] = ()  # damaged-url, no-date, ... (recognised, stored, not hidden)
    via: str | None = None  # the mirror or archive the page came through (not the outlet that wrote it)

    @property
    def text(self) -> str:
        """The clean text every offset refers to: blocks joined by a blank line."""
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "paragraph")

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "heading")

    @property
    def published_date(self) -> str | None:
        """The publication day (YYYY-MM-DD) in the outlet's own frame, as the article states it."""
        return self.published[:10] if self.published else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        d = dict(d)
        d["blocks"] = tuple(Block(**b) for b in d.get("blocks") or ())
        d["figures"] = tuple(Figure(**f) for f in d.get("figures") or ())
        d["links"] = tuple(Link(**x) for x in d.get("links") or ())
        d["tags"] = tuple(d.get("tags") or ())
        d["flags"] = tuple(d.get("flags") or ())
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A leaf record that could not become an article, with a reason a person can read."""

    source: str
    reason: str  # short machine key: empty, binary, undecodable, bad-front-matter, no-body, placeholder, ...
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of ``Article.text`` that names an official, an office, a place or a topic.

    ``key`` is the canonical value: an official's canonical English name, a place's English name,
    a topic id. For office mentions ``key`` is the resolved holder (or "" when unresolved) and
    ``office`` the office id.
    """

    kind: Literal["person", "office", "place", "topic", "body"]
    key: str
    surface: str
    start: int
    end: int
    side: Side | None = None
    office: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Words of an official or a body printed by one article.

    ``start``/``end`` locate the words (marks excluded) in ``Article.text``, or, when ``in_title`` is
    true, in ``Article.title``: most formats keep the headline outside the text (no "title" block),
    and a headline often carries the quote the story is about (「習近平稱「…」　台灣回應：…」).
    """

    speaker: str  # canonical official name or English name of a body (White House, ...)
    side: Side
    text: str  # quoted words without the quote marks
    reported: bool = False  # True for reported speech (X表示…) rather than words in quote marks
    start: int = -1  # offsets into Article.text (into Article.title when in_title)
    end: int = -1
    in_title: bool = False  # a headline quote: start/end are offsets into Article.title


@dataclass(frozen=True, slots=True)
class Engagement:
    """One engagement reported by one article, as ../shared/spec/engagements.md defines it."""

    us: tuple[str, ...]
    cn: tuple[str, ...]
    modality: Modality
    status: Status
    focus: bool
    evidence: str
    date: str | None = None
    date_end: str | None = None
    date_approx: str | None = None  # e.g. "2018-11" or "2018" when the day cannot be fixed
    date_precision: Literal["day", "month", "year"] | None = None
    location: str | None = None
    occasion: str | None = None  # e.g. "G20 2019" when the text names a multilateral occasion
    topics: tuple[str, ...] = ()
    evidence_start: int = -1
    evidence_end: int = -1

    def spec_dict(self) -> dict[str, Any]:
        """The fields of the spec, in the scorer's shape."""
        return {
            "us": list(self.us),
            "cn": list(self.cn),
            "modality": self.modality,
            "date": self.date,
            "date_end": self.date_end,
            "location": self.location,
            "status": self.status,
            "focus": self.focus,
            "evidence": self.evidence,
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Engagement:
        d = dict(d)
        for k in ("us", "cn", "topics"):
            d[k] = tuple(d.get(k) or ())
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extraction yields for one article."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    engagements: tuple[Engagement, ...] = ()
    quotes: tuple[Quote, ...] = ()
    topics: tuple[str, ...] = ()
    extractor_version: str = ""


def _plain(value: Any) -> Any:
    """A copy of ``value`` as ``asdict`` would make it: containers copied, records as dicts."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return asdict(value)
    return value


@dataclass(slots=True)
class TimelineEntry:
    """One merged engagement of the timeline (built from many per-article records)."""

    id: str
    us: list[str]
    cn: list[str]
    modality: str
    status: str
    date: str | None = None
    date_end: str | None = None
    date_approx: str | None = None
    date_precision: str | None = None
    location: str | None = None
    occasion: str | None = None
    sources: list[str] = field(default_factory=list)  # article `source` paths
    article_ids: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # provenance, alternatives, history, coverage, ...

    def to_dict(self) -> dict[str, Any]:
        # ``asdict`` deep-copies ``data`` through its generic dataclass walk: most of an
        # ``/api/timeline`` request's CPU. ``_plain`` copies the same JSON-like values directly.
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


# --------------------------------------------------------------------------- timeline inputs


def parse_day(value: str | None) -> dt.date | None:
    """The calendar day of an ISO date or timestamp (its first ten characters), else None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A per-article engagement with the article it came from (``seq`` = its row in that article).

    The merge needs to know who reported a record and when (publication date decides which
    engagement an undated record refers to; outlet and headline feed coverage and citations), so
    each Engagement travels with its article's metadata in a small frozen pair.
    """

    article_id: str
    source: str
    engagement: Engagement
    seq: int = 0
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 (date or timestamp), the outlet's own frame
    url: str | None = None
    archived_url: str | None = None

    @property
    def published_day(self) -> dt.date | None:
        return parse_day(self.published)

    @property
    def order_key(self) -> tuple[str, str, int]:
        """A total order independent of input order, so the merge is deterministic."""
        return (self.published or "9999", self.article_id, self.seq)


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote with the article that printed it (quotes are per article, not per engagement)."""

    article_id: str
    quote: Quote


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The metadata of an article a timeline record cites (an analyst-added record starts from it)."""

    article_id: str
    source: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    archived_url: str | None = None


# --------------------------------------------------------------------------- analysts' corrections

#: What an analyst can do (see ``summitwatch.curation``).
ACTIONS: tuple[str, ...] = ("confirm", "reject", "set", "merge", "split", "attach", "add")
TargetKind = Literal["entry", "record", "article"]


class CurationError(ValueError):
    """A correction that cannot be made (unknown target, bad field or value); the message says why."""


def utc_now() -> str:
    """The time a correction is recorded, UTC ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_uid() -> str:
    """A globally unique id, so that importing the same export twice adds nothing."""
    return uuid.uuid4().hex


def signature(us: Any, cn: Any, modality: str, date: str | None) -> tuple[Any, ...]:
    """Content signature of a record: sides (order-free), modality, date."""
    return (tuple(sorted(us)), tuple(sorted(cn)), modality, date)


@dataclass(frozen=True, slots=True)
class RecordKey:
    """A per-article record as it can be found again after re-extraction.

    ``rank`` tells apart records of one article with the same signature (the gold has two
    identical background Xi–Obama records in one article); ``evidence`` re-finds a record whose
    signature changed (the extractor now resolves its date) when it is the only one citing that
    sentence.
    """

    article_id: str
    us: tuple[str, ...]
    cn: tuple[str, ...]
    modality: str
    date: str | None
    rank: int = 0
    evidence: str = ""

    @property
    def signature(self) -> tuple[Any, ...]:
        return signature(self.us, self.cn, self.modality, self.date)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["us"], d["cn"] = list(self.us), list(self.cn)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RecordKey:
        return cls(article_id=str(d["article_id"]), us=tuple(d.get("us") or ()), cn=tuple(d.get("cn") or ()),
                   modality=str(d.get("modality") or ""), date=d.get("date"), rank=int(d.get("rank") or 0),
                   evidence=str(d.get("evidence") or ""))  # fmt: skip

    def label(self) -> str:
        return f"{self.article_id}[{'/'.join(self.us)} — {'/'.join(self.cn)}, {self.modality}, {self.date or 'undated'}]"


@dataclass(frozen=True, slots=True)
class Correction:
    """One analyst action.

    ``target`` is ``{"entry": id, "members": [RecordKey...]}`` for a timeline entry,
    ``{"record": RecordKey}`` for a per-article record, ``{"articles": [ids]}`` for an added
    engagement. ``payload`` holds what the action needs (field and value, the entries to merge,
    the records to split off, the engagement to add); ``original`` the extracted values the
    action replaced, so they stay visible.
    """

    action: str
    target: dict[str, Any]
    user: str
    created_at: str = field(default_factory=utc_now)
    payload: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    original: dict[str, Any] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)
    id: int | None = None  # row id in the store (None before it is stored)
    active: bool = True  # False once withdrawn (`curate withdraw`): kept, no longer applied

    @property
    def target_kind(self) -> TargetKind:
        if "entry" in self.target:
            return "entry"
        if "record" in self.target:
            return "record"
        return "article"

    @property
    def entry_id(self) -> str | None:
        return self.target.get("entry")

    @property
    def record(self) -> RecordKey | None:
        r = self.target.get("record")
        return RecordKey.from_dict(r) if r else None

    def target_label(self) -> str:
        if self.target_kind == "entry":
            return str(self.entry_id)
        if self.target_kind == "record":
            rk = self.record
            return rk.label() if rk else "?"
        return "+" + ",".join(self.target.get("articles") or [])

    def to_dict(self) -> dict[str, Any]:
        """The JSONL shape of an export (reviewable, one correction a line)."""
        return {"uid": self.uid, "id": self.id, "action": self.action, "target": self.target,
                "payload": self.payload, "note": self.note, "user": self.user, "created_at": self.created_at,
                "original": self.original, "active": self.active}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Correction:
        for key in ("action", "target", "user"):
            if not d.get(key):
                raise CurationError(f"correction without {key!r}: {json.dumps(d, ensure_ascii=False)[:200]}")
        if d["action"] not in ACTIONS:
            raise CurationError(f"unknown action {d['action']!r}")
        return cls(action=d["action"], target=dict(d["target"]), user=str(d["user"]),
                   created_at=str(d.get("created_at") or utc_now()), payload=dict(d.get("payload") or {}),
                   note=str(d.get("note") or ""), original=dict(d.get("original") or {}),
                   uid=str(d.get("uid") or new_uid()), id=d.get("id"), active=bool(d.get("active", True)))


# --------------------------------------------------------------------------- timeline flags
# The per-article reports behind an entry and the warnings computed from them (``timeline.flags``
# computes them, the timeline step stores them, the read layer returns them).


@dataclass(frozen=True, slots=True)
class Report:
    """What one article says about the engagement (one per-article record)."""

    article_id: str
    group: str  # near-duplicate group: the representative article id (the article's own id if none)
    date: str | None = None
    date_end: str | None = None
    status: str | None = None
    published_day: str | None = None
    us: tuple[str, ...] = ()
    cn: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Flags:
    """An entry's warnings: it rests on one story (``single_source``), its reports disagree (``disputed``)."""

    single_source: bool
    disputed: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"single_source": self.single_source, "disputed": [dict(d) for d in self.disputed]}


# --------------------------------------------------------------------------- read-layer records
# What ``store.query`` returns: the CLI prints these, the API serialises them (``to_dict``), the web
# renders them. Built only by the read layer; nothing here touches the store.


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


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of an article listing (CLI ``articles``, ``/api/articles``, the articles page)."""

    id: str
    source: str
    title: str
    published: str | None
    outlet: str | None
    url: str | None = None
    engagements: int = 0  # per-article engagement records
    site_article_no: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    n_sources: int = 0  # leaf records that yielded the article

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    """One article with what the pipeline found in it, and how its copies and sources relate."""

    article: Article
    engagements: tuple[ArticleRecord, ...] = ()
    quotes: tuple[Quote, ...] = ()
    mentions: tuple[Mention, ...] = ()
    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every leaf record that yielded this article
    duplicate_of: str | None = None
    duplicates: tuple[str, ...] = ()  # ids of near-duplicates folded into this one
    archived_link: str | None = None  # the archived copy's URL, repaired when the archive mangled it
    damaged_links: bool = False  # the original or archived URL was damaged on the way into the archive

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
        a = self.article
        return {
            "article": {
                "id": a.id, "source": a.source, "title": a.title, "published": a.published,
                "outlet": a.outlet, "url": a.url, "engagements": a.engagements,
            },
            "seq": self.seq,
            "copies": list(self.copies),
            "record": self.engagement.to_dict(),
            "context": asdict(self.context) if self.context else None,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class EngagementDetail:
    """One merged engagement with every article record behind it and its participants' quotes."""

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


@dataclass(frozen=True, slots=True)
class ReportCount:
    """Distinct articles (near-duplicate groups) behind an entry and the copies folded into them."""

    reports: int
    copies: int
    first_source_url: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A timeline entry as the desk lists it: report count, flags, first source."""

    entry: TimelineEntry
    reports: int
    copies: int
    flags: Flags
    first_source_url: str | None
    evidence: str | None

    @property
    def day(self) -> str | None:
        """The sortable day: the exact date, else the approximate month or year."""
        return self.entry.date or self.entry.date_approx

    def to_dict(self) -> dict[str, Any]:
        d = self.entry.to_dict()
        d.update(
            reports=self.reports,
            copies=self.copies,
            single_source=self.flags.single_source,
            disputed=[dict(x) for x in self.flags.disputed],
            first_source_url=self.first_source_url,
            evidence=self.evidence,
        )
        return d


@dataclass(frozen=True, slots=True)
class Citation:
    """One covering article of an entry, as ``summitwatch cite`` prints it."""

    article_id: str
    outlet: str | None
    outlet_en: str | None
    title: str | None
    published: str | None
    url: str | None
    archived_url: str | None
    source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PersonSummary:
    name: str
    side: str | None
    mentions: int = 0
    articles: int = 0
    engagements: int = 0
    quotes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class OfficeHeld:
    office: str  # office id, e.g. us.secretary_of_state
    title: str  # English title from the knowledge files
    start: str
    end: str | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PersonDetail:
    summary: PersonSummary
    zh: tuple[str, ...] = ()
    offices: tuple[OfficeHeld, ...] = ()
    engagements: tuple[TimelineEntry, ...] = ()
    quotes: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary.to_dict(),
            "zh": list(self.zh),
            "offices": [asdict(o) for o in self.offices],
            "engagements": [e.to_dict() for e in self.engagements],
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True, slots=True)
class QuarantineItem:
    source: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """A near-duplicate group: its representative article and how many copies fold into it."""

    id: str
    title: str
    published: str | None
    copies: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Counts = tuple[tuple[str | None, int], ...]


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """What the store holds: one set of counts for ``summitwatch stats``, ``/api/stats`` and the corpus page.

    ``files`` (leaf records seen) = ``sources`` (stored) + ``quarantined``; ``articles`` counts
    distinct articles; ``duplicates`` the near-duplicate copies folded into another article and
    ``duplicate_groups`` the articles they fold into. Breakdowns are ``(value, count)`` pairs, largest
    first (``by_year`` and ``per_month`` in date order); a None value is an article without it.
    """

    files: int
    sources: int
    articles: int
    quarantined: int
    duplicates: int
    duplicate_groups: int
    engagements: int  # per-article engagement records
    quotes: int
    mentions: int
    extracted_articles: int
    timeline_entries: int
    undated_articles: int
    by_outlet: Counts = ()
    by_year: Counts = ()
    by_format: Counts = ()
    per_month: Counts = ()
    quarantine_reasons: Counts = ()
    flags: Counts = ()
    languages: Counts = ()
    scripts: Counts = ()
    modalities: Counts = ()
    largest_groups: tuple[dict[str, Any], ...] = ()  # {representative, title, size}
    last_run: dict[str, Any] | None = None

    @staticmethod
    def _named(pairs: Counts, none: str = "(none)") -> dict[str, int]:
        return {str(k) if k is not None else none: n for k, n in pairs}

    def to_dict(self) -> dict[str, Any]:
        """The ``stats --json`` document (the ingest contract's counts, then breakdowns)."""
        return {
            "files": self.files,
            "sources": self.sources,
            "articles": self.articles,
            "quarantined": self.quarantined,
            "duplicates": self.duplicates,
            "duplicate_groups": self.duplicate_groups,
            "engagements": self.engagements,
            "quotes": self.quotes,
            "mentions": self.mentions,
            "extracted_articles": self.extracted_articles,
            "by_outlet": self._named(self.by_outlet),
            "by_year": self._named(self.by_year),
            "by_format": self._named(self.by_format),
            "quarantine_reasons": self._named(self.quarantine_reasons),
            "duplicate_groups_detail": {
                "groups": self.duplicate_groups,
                "duplicates": self.duplicates,
                "largest": [dict(g) for g in self.largest_groups],
            },
            "flags": self._named(self.flags),
            "languages": self._named(self.languages),
            "scripts": self._named(self.scripts),
            "last_run": self.last_run,
        }

    @property
    def outlets(self) -> tuple[tuple[str, int], ...]:
        """Articles per outlet for the corpus page ("(unknown)": no outlet recognised)."""
        return tuple((k if k is not None else "(unknown)", n) for k, n in self.by_outlet)

    def overview_dict(self) -> dict[str, Any]:
        """The ``/api/stats`` document: the corpus page's counts (same numbers as :meth:`to_dict`)."""
        return {
            "articles": self.articles,
            "sources": self.sources,
            "quarantined": self.quarantined,
            "extracted": self.extracted_articles,
            "engagement_records": self.engagements,
            "timeline_entries": self.timeline_entries,
            "duplicates": self.duplicates,
            "outlets": dict(self.outlets),
            "per_month": self._named(self.per_month),
            "quarantine_reasons": self._named(self.quarantine_reasons),
            "modalities": self._named(self.modalities),
            "extra": {"undated_articles": self.undated_articles},
        }
