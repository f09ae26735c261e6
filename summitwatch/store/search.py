"""Old import path of search, kept as re-exports for code written before the split (issue 10).

The parts now live in ``summitwatch.search_tokens`` (pure rules), ``store/index.py`` (index
upkeep) and ``store/query/search.py`` (the query); new code imports from those.
"""

from summitwatch.search_tokens import index_tokens, normalize, parse_query
from summitwatch.store.index import SearchIndexUnavailable, rebuild_search_index, update_search_index
from summitwatch.store.query.search import SearchFilters, SearchHit, SearchResult, search

__all__ = [
    "SearchFilters",
    "SearchHit",
    "SearchIndexUnavailable",
    "SearchResult",
    "index_tokens",
    "normalize",
    "parse_query",
    "rebuild_search_index",
    "search",
    "update_search_index",
]
