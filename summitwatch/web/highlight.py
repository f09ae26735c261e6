"""Search hits as HTML: the snippet and title segments with hits in ``<mark>``, text escaped.

The query (``store/query/search.py``) returns plain (text, is_hit) segments; turning them into
markup is the interfaces' business, done here once for the API, ``search --json`` and the pages.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from summitwatch.store.query.search import SearchHit, SearchResult


def segments_html(parts: Iterable[tuple[str, bool]]) -> str:
    """An HTML fragment: each segment escaped, hit segments wrapped in ``<mark>``."""
    return "".join(f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in parts)


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One hit as the API returns it: the record plus its snippet as HTML."""
    return {**hit.to_dict(), "snippet": segments_html(hit.snippet)}


def search_json(result: SearchResult) -> dict[str, Any]:
    """The JSON of ``GET /api/search`` and ``summitwatch search --json`` (the same object)."""
    return {**result.to_dict(), "hits": [hit_json(h) for h in result.hits]}
