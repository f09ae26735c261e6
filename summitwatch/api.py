"""The HTTP API (FastAPI) and the app factory that also mounts the web pages.

Every endpoint calls one function of the store's query layer (``store.browse``, ``store.people``,
``store.search``) and returns its record's ``to_dict()``: the web pages call the very same
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
from summitwatch.knowledge import load_knowledge
from summitwatch.store.browse import (
    ArticleFilters,
    TimelineFilters,
    corpus_stats,
    get_article,
    get_engagement,
    list_articles,
    list_timeline,
)
from summitwatch.store.db import connect
from summitwatch.store.people import get_person, list_people
from summitwatch.store.query.quotes import QuoteFilters, items_csv, list_quotes
from summitwatch.store.search import SearchFilters, SearchIndexUnavailable, search

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

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
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
            self._local.conn = conn
        return conn


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: this thread's connection to the app's database."""
    pool: ConnectionPool = request.app.state.pool
    yield pool.get()


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]

router = APIRouter(prefix="/api", tags=["api"])


def _until(value: str | None) -> str | None:
    """An inclusive upper bound: "2021" means up to the end of 2021."""
    if value is None:
        return None
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


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
    f = ArticleFilters(outlet, since, _until(until), person, topic, has_engagement)
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
    return detail.to_dict()


@router.get("/timeline", summary="Merged engagements in date order (undated last)")
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
) -> dict[str, Any]:
    f = TimelineFilters(since, _until(until), person, modality, status, topic, outlet)
    return list_timeline(conn, f, limit, offset).to_dict()


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
) -> dict[str, Any]:
    f = SearchFilters(outlet, since, _until(until), person, topic, has_engagement, include_duplicates)
    try:
        return search(conn, q, f, limit, offset).to_dict()
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
    format: Annotated[str, Query(pattern=r"^(json|csv)$")] = "json",
) -> Any:
    page = list_quotes(conn, QuoteFilters(speaker, side, since, until, q), limit, offset, kn=load_knowledge())
    if format == "csv":
        return Response(items_csv(page.items), media_type="text/csv; charset=utf-8")
    return page.to_dict()


@router.get(
    "/stats", summary="Corpus counts: articles, sources, quarantine, engagements, per outlet and month"
)
def api_stats(conn: Conn) -> dict[str, Any]:
    return corpus_stats(conn).to_dict()


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
