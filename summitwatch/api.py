"""The HTTP API (FastAPI) and the app factory that also mounts the web pages.

Every endpoint calls one function of the store's query layer (``store.query``; search is still
``store.search`` until it moves there) and returns its record's ``to_dict()``: the web pages call the very same
functions, so a query lives in one place. Errors are JSON ``{"detail": ...}`` with 404 for an
unknown id and 422 for a bad parameter (FastAPI's validation). The OpenAPI document is served at
``/openapi.json``; the interactive docs pages are off because they load scripts from a CDN, which
the Content-Security-Policy (and working offline) forbid.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.staticfiles import StaticFiles

from summitwatch import __version__
from summitwatch.run.steps import refresh_missing_flags
from summitwatch.store.db import connect
from summitwatch.store.export import TIMELINE_CSV_COLUMNS, timeline_download_rows
from summitwatch.store.query.articles import get_article, list_articles
from summitwatch.store.query.counterparts import COUNTERPARTS_CSV_COLUMNS, CounterpartFilters, counterparts
from summitwatch.store.query.filters import DATE_PATTERN, Filters, until_day
from summitwatch.store.query.people import get_person, list_people
from summitwatch.store.query.raised import RAISED_CSV_COLUMNS, RaisedFilters, raised_cells, raised_hits
from summitwatch.store.query.stats import corpus_stats
from summitwatch.store.query.timeline import (
    MAX_ROWS,
    SORT_KEYS,
    get_engagement,
    read_flags,
    report_counts,
    timeline_rows,
)
from summitwatch.store.search import SearchFilters, SearchIndexUnavailable, search
from summitwatch.web.downloads import EXPORT_FORMAT, EXPORT_FORMAT_ICS, download_response

#: Sent with every response. No inline script or style, no third-party origin, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

DATE = DATE_PATTERN
MODALITY = r"^(in_person|phone|video)$"
STATUS = r"^(held|planned|cancelled)$"

Since = Annotated[str | None, Query(pattern=DATE, description="ISO date (or year / year-month), inclusive")]
Until = Annotated[str | None, Query(pattern=DATE, description="ISO date (or year / year-month), inclusive")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]
Text = Annotated[str | None, Query(max_length=200)]


class ConnectionPool:
    """One SQLite connection per server thread (sqlite3 connections must not be shared across threads).

    Read-write, so the first search on a database without a search index can build it.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.db_path, create=False)
            refresh_missing_flags(conn)  # a timeline stored before its flags existed gets them once
            self._local.conn = conn
        return conn


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: this thread's connection to the app's database."""
    pool: ConnectionPool = request.app.state.pool
    yield pool.get()


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/articles", summary="Articles, newest first, with filters and pagination")
def api_articles(
    conn: Conn,
    outlet: Text = None,
    since: Since = None,
    until: Until = None,
    person: Text = None,
    topic: Text = None,
    has_engagement: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    f = Filters(since=since, until=until, outlet=outlet, person=person, topic=topic, has_engagement=has_engagement)
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
    since: Since = None,
    until: Until = None,
    person: Text = None,
    modality: Annotated[str | None, Query(pattern=MODALITY)] = None,
    status: Annotated[str | None, Query(pattern=STATUS)] = None,
    topic: Text = None,
    outlet: Text = None,
    limit: Limit = 1000,
    offset: Offset = 0,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORT_KEYS) + ")$")] = "date",
    dir: Annotated[str, Query(pattern=r"^(asc|desc)$")] = "asc",
    format: Annotated[str | None, Query(pattern=EXPORT_FORMAT_ICS, description="csv, json or ics: download every matching row")] = None,
) -> Any:
    f = Filters(
        since=since, until=until, outlet=outlet, person=person, topic=topic, modality=modality, status=status
    )
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
) -> Any:
    f = SearchFilters(outlet, since, until_day(until), person, topic, has_engagement, include_duplicates)
    try:
        if format:  # issue 14: every hit (capped) as an attachment
            return download_response("search", format, _search_rows(search(conn, q, f, MAX_ROWS, 0)), SEARCH_CSV_COLUMNS)
        return search(conn, q, f, limit, offset).to_dict()
    except SearchIndexUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc


@router.get(
    "/stats", summary="Corpus counts: articles, sources, quarantine, engagements, per outlet and month"
)
def api_stats(conn: Conn) -> dict[str, Any]:
    return corpus_stats(conn).overview_dict()


# =========================================================================== issue 14 (web) routes
# Who raised what, counterparts, and the search export rows. Separate from the routes above so the
# server's hardening (middleware, validation) and these merge independently.

SEARCH_CSV_COLUMNS = ("id", "published", "outlet", "title", "score", "snippet")
Side = Annotated[str | None, Query(pattern=r"^(US|PRC)$")]
ExportFormat = Annotated[str | None, Query(pattern=EXPORT_FORMAT, description="csv or json: download every row")]


def _search_rows(result: Any) -> list[dict[str, Any]]:
    """Search hits as export rows: the snippet as plain text."""
    return [
        {
            "id": h.id,
            "published": h.published,
            "outlet": h.outlet,
            "title": h.title,
            "score": round(h.score, 4),
            "snippet": "".join(t for t, _ in h.snippet),
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


def create_app(db_path: str | Path, curate_user: str | None = None, bind_host: str | None = None) -> FastAPI:
    """The whole application over the store at ``db_path``: ``/api/*``, the web pages and ``/static``.

    Curation (issue 6) is registered too; writing stays off unless a curation user is given
    (``curate_user`` or ``$SUMMITWATCH_USER``) and the server is bound to loopback.
    """
    from summitwatch.web.routes import STATIC_DIR, install_error_pages
    from summitwatch.web.routes import router as web_router

    app = FastAPI(
        title="summitwatch",
        version=__version__,
        description="US–China engagements from Chinese-language news: articles, timeline, people, search.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.pool = ConnectionPool(db_path)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.include_router(router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app)
    from summitwatch.web.curate import register_curation

    register_curation(app, user=curate_user, bind_host=bind_host)
    return app
