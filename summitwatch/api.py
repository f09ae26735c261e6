"""The HTTP API (FastAPI) and the app factory that also mounts the web pages.

Every endpoint calls one function of the store's query layer (``store.query``) and returns its record's ``to_dict()``: the web pages call the very same
functions, so a query lives in one place. Errors are JSON ``{"detail": ...}`` with 404 for an
unknown id and 422 for a bad parameter (FastAPI's validation, with the rules of
``web.params`` shared with the pages); an unhandled error is a generic 500. Every response carries
the security headers (``web.security``). The OpenAPI document is served at
``/openapi.json``; the interactive docs pages are off because they load scripts from a CDN, which
the Content-Security-Policy (and working offline) forbid.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from summitwatch import __version__
from summitwatch.knowledge import load_knowledge
from summitwatch.store.db import connect
from summitwatch.store.export import TIMELINE_CSV_COLUMNS, timeline_download_rows
from summitwatch.store.query.articles import get_article, list_articles
from summitwatch.store.query.counterparts import COUNTERPARTS_CSV_COLUMNS, CounterpartFilters, counterparts
from summitwatch.store.query.filters import until_day
from summitwatch.store.query.people import get_person, list_people
from summitwatch.store.query.quotes import ITEM_FIELDS, QuoteFilters, list_quotes
from summitwatch.store.query.raised import RAISED_CSV_COLUMNS, RaisedFilters, raised_cells, raised_hits
from summitwatch.store.query.search import SearchFilters, SearchIndexUnavailable, search
from summitwatch.store.query.stats import corpus_stats
from summitwatch.store.query.timeline import (
    MAX_ROWS,
    SORT_KEYS,
    get_engagement,
    read_flags,
    report_counts,
    timeline_rows,
)
from summitwatch.web.curate import register_curation
from summitwatch.web.downloads import EXPORT_FORMAT, EXPORT_FORMAT_ICS, download_response
from summitwatch.web.filters import ApiArticleFilters, ApiTimelineFilters
from summitwatch.web.highlight import search_json
from summitwatch.web.params import Limit, Offset, Since, Text, Until
from summitwatch.web.routes import STATIC_DIR, install_error_pages
from summitwatch.web.routes import router as web_router
from summitwatch.web.security import SecurityHeadersMiddleware, allowed_hosts, server_error


class ConnectionPool:
    """Per-thread SQLite connections (sqlite3 connections must not be shared across threads).

    Readers are opened read-only (``mode=ro``): serving never writes the store, not even a search
    index. Curation, the one feature that writes, gets its own writable connection through
    :meth:`writer`, opened only when a curation write arrives.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.db_path, create=False, readonly=True)
            self._local.conn = conn
        return conn

    def writer(self) -> sqlite3.Connection:
        """This thread's writable connection, for curation actions only."""
        conn = getattr(self._local, "writer", None)
        if conn is None:
            conn = connect(self.db_path, create=False)
            self._local.writer = conn
        return conn


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: this thread's connection to the app's database."""
    pool: ConnectionPool = request.app.state.pool
    yield pool.get()


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/articles", summary="Articles, newest first, with filters and pagination")
def api_articles(conn: Conn, f: ApiArticleFilters, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return list_articles(conn, f, limit, offset).to_dict()


@router.get("/articles/{article_id}", summary="One article with its engagement records, quotes and mentions")
def api_article(conn: Conn, article_id: str) -> dict[str, Any]:
    detail = get_article(conn, article_id)
    if detail is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return detail.to_dict()


@router.get("/engagements/{entry_id}", summary="One merged engagement of the timeline")
def api_engagement(conn: Conn, entry_id: str) -> dict[str, Any]:
    detail = get_engagement(conn, entry_id)
    if detail is None:
        raise HTTPException(404, f"no engagement {entry_id!r}")
    d = detail.to_dict()
    counts = report_counts(conn, [entry_id])[entry_id]  # issue 14: the count every page shows, and flags
    d.update(reports=counts.reports, copies=counts.copies, **read_flags(conn, [entry_id])[entry_id].to_dict())
    return d


@router.get("/timeline", summary="Merged engagements in date order (undated last), with flags; format= exports")
def api_timeline(
    conn: Conn,
    f: ApiTimelineFilters,
    limit: Limit = 1000,
    offset: Offset = 0,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORT_KEYS) + ")$")] = "date",
    dir: Annotated[str, Query(pattern=r"^(asc|desc)$")] = "asc",
    format: Annotated[str | None, Query(pattern=EXPORT_FORMAT_ICS, description="csv, json or ics: download every matching row")] = None,
) -> Any:
    total, rows = timeline_rows(conn, f, sort=sort, descending=dir == "desc")
    if format:  # issue 14: every matching row (not one page) as an attachment
        return download_response("timeline", format, timeline_download_rows(rows), TIMELINE_CSV_COLUMNS)
    return {"total": total, "limit": limit, "offset": offset, "items": [r.to_dict() for r in rows[offset : offset + limit]]}


@router.get("/people", summary="People named in the store, most engagements first")
def api_people(
    conn: Conn,
    side: Annotated[str | None, Query(pattern=r"^(US|PRC|other)$")] = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> dict[str, Any]:
    return list_people(conn, limit, offset, side).to_dict()


@router.get("/people/{name}", summary="One person: offices held, engagements, quotes")
def api_person(conn: Conn, name: str) -> dict[str, Any]:
    detail = get_person(conn, name)
    if detail is None:
        raise HTTPException(404, f"no person {name!r}")
    return detail.to_dict()


@router.get("/search", summary="Cross-script full-text search (BM25), the same object as `search --json`")
def api_search(
    conn: Conn,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    outlet: Text = None,
    since: Since = None,
    until: Until = None,
    person: Text = None,
    topic: Text = None,
    has_engagement: bool = False,
    include_duplicates: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Offset = 0,
    format: Annotated[str | None, Query(pattern=EXPORT_FORMAT, description="csv or json: download every hit")] = None,
    sort: Annotated[str, Query(pattern="^(relevance|date)$", description="relevance (BM25) or date (newest first)")] = "relevance",
) -> Any:
    f = SearchFilters(outlet, since, until_day(until), person, topic, has_engagement, include_duplicates)
    try:
        if format:  # issue 14: every hit (capped) as an attachment
            rows = _search_rows(search(conn, q, f, MAX_ROWS, 0, sort=sort))
            return download_response("search", format, rows, SEARCH_CSV_COLUMNS)
        return search_json(search(conn, q, f, limit, offset, sort=sort))
    except SearchIndexUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc


@router.get("/quotes", summary="Direct quotes of either side, newest first; copies of an article folded")
def api_quotes(
    conn: Conn,
    speaker: Text = None,
    side: Annotated[str | None, Query(pattern=r"^(?i:us|prc|other)$")] = None,
    since: Since = None,
    until: Until = None,
    q: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Annotated[
        str | None, Query(pattern=EXPORT_FORMAT, description="csv or json: download every matching quote")
    ] = None,
) -> Any:
    f = QuoteFilters(speaker, side, since, until, q)
    if format:  # issue 14: every matching row (capped) as an attachment, not one page
        everything = list_quotes(conn, f, MAX_ROWS, 0, kn=load_knowledge())
        rows = [{**it.to_dict(), "sources": "; ".join(it.to_dict()["sources"])} for it in everything.items]
        return download_response("quotes", format, rows, ITEM_FIELDS)
    return list_quotes(conn, f, limit, offset, kn=load_knowledge()).to_dict()


@router.get(
    "/stats", summary="Corpus counts: articles, sources, quarantine, engagements, per outlet and month"
)
def api_stats(conn: Conn) -> dict[str, Any]:
    return corpus_stats(conn).overview_dict()


# =========================================================================== issue 14 (web) routes
# Who raised what, counterparts, and the search export rows. Separate from the routes above so the
# server's hardening (middleware, validation) and these merge independently.

SEARCH_CSV_COLUMNS = ("id", "published", "outlet", "title", "score", "snippet", "engagements", "people")
Side = Annotated[str | None, Query(pattern=r"^(US|PRC)$")]
ExportFormat = Annotated[str | None, Query(pattern=EXPORT_FORMAT, description="csv or json: download every row")]


def _search_rows(result: Any) -> list[dict[str, Any]]:
    """Search hits as export rows: the snippet as plain text, with the engagements and people the page links."""
    return [
        {
            "id": h.id,
            "published": h.published,
            "outlet": h.outlet,
            "title": h.title,
            "score": round(h.score, 4),
            "snippet": "".join(t for t, _ in h.snippet),
            "engagements": list(h.engagements),  # as the page lists them (timeline ids)
            "people": list(h.people),
        }
        for h in result.hits
    ]


@router.get("/raised", summary="Who raised what: topics each side raised per year, with engagements and sentences")
def api_raised(
    conn: Conn,
    since: Since = None,
    until: Until = None,
    side: Side = None,
    person: Text = None,
    format: ExportFormat = None,
) -> Any:
    hits = raised_hits(conn, RaisedFilters(since, until_day(until), side, person))
    items = [c.to_dict() for c in raised_cells(hits)]
    if format:
        return download_response("raised", format, items, RAISED_CSV_COLUMNS)
    return {"items": items}


@router.get("/counterparts", summary="US × PRC officials: held engagements per pair by modality")
def api_counterparts(conn: Conn, since: Since = None, until: Until = None, format: ExportFormat = None) -> Any:
    items = [p.to_dict() for p in counterparts(conn, CounterpartFilters(since, until_day(until)))]
    if format:
        return download_response("counterparts", format, items, COUNTERPARTS_CSV_COLUMNS)
    return {"items": items}


# =========================================================================== end issue 14 routes


def create_app(
    db_path: str | Path,
    curate_user: str | None = None,
    bind_host: str | None = None,
    allow_hosts: Iterable[str] = (),
) -> FastAPI:
    """The whole application over the store at ``db_path``: ``/api/*``, the web pages and ``/static``.

    Curation (issue 6) is registered too; writing stays off unless a curation user is given
    (``curate_user`` or ``$SUMMITWATCH_USER``) and the server is bound to loopback.

    Only requests whose ``Host`` is a loopback name, ``bind_host`` or one of ``allow_hosts`` are
    answered (400 otherwise: DNS rebinding). ``serve --allow-host`` fills ``allow_hosts``; tests
    pass their client's name (Starlette's test client sends ``testserver``).
    """
    app = FastAPI(
        title="summitwatch",
        version=__version__,
        description="US–China engagements from Chinese-language news: articles, timeline, people, search.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.pool = ConnectionPool(db_path)
    app.state.allowed_hosts = allowed_hosts(bind_host, allow_hosts)
    # added last = outermost: the header middleware also covers the Host check's 400
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=app.state.allowed_hosts, www_redirect=False)
    app.add_middleware(SecurityHeadersMiddleware)

    app.include_router(router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app)
    # an unhandled exception (a bug) still answers with the security headers
    app.add_exception_handler(Exception, server_error)
    register_curation(app, user=curate_user, bind_host=bind_host)
    return app
