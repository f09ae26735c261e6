"""Typed records that flow through the pipeline.

Data flows one way: sources -> articles -> mentions -> engagements -> timeline -> store -> interfaces.
Every stage takes and returns these frozen records, so stages are pure functions that pickle
(the Dask runner maps the very same functions) and equal inputs give equal outputs.

Dicts appear only at the edges (``to_dict`` for JSON/SQLite, ``from_dict`` to read them back).
"""

from __future__ import annotations

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
    speaker: str  # canonical official name or English name of a body (White House, ...)
    side: Side
    text: str  # quoted words without the quote marks
    reported: bool = False  # True for reported speech (X表示…) rather than words in quote marks
    start: int = -1  # offsets into Article.text
    end: int = -1


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
        return asdict(self)
