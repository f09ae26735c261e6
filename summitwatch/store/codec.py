"""Row <-> record conversion that needs no database: what a worker process may compute.

Why apart from ``write.py``: the JSON encoding of an article's row is the costly part of storing it,
and it is spread over the worker processes; the worker must not run the writing module itself.
"""

from __future__ import annotations

import json
from typing import Any

from summitwatch.model import Article

__all__ = ["article_row"]


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
    )
