"""The timeline's input record: one per-article engagement plus the metadata of its article.

The merge needs to know who reported a record and when (publication date decides which engagement an
undated record refers to; outlet and headline feed coverage and citations), so each Engagement
travels with its article's metadata in a small frozen pair.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from summitwatch.model import Engagement, Quote

_NAME_DROP = re.compile(r"[^0-9a-z\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A per-article engagement with the article it came from (``seq`` = its row in that article)."""

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


def name_key(name: str) -> str:
    """Compare names case- and punctuation-insensitively, as the reference scorer does."""
    key = _NAME_DROP.sub("", (name or "").lower())
    return key or (name or "").strip()


def parse_day(value: str | None) -> dt.date | None:
    """The calendar day of an ISO date or timestamp (its first ten characters), else None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
