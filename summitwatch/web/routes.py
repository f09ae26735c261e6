"""Server-rendered HTML pages over the store's query layer (the same functions the API calls).

Safety: the Jinja environment autoescapes everything; no template uses ``|safe``. Geometry of the
timeline and the monthly chart is computed here as numbers and drawn by the templates as inline SVG,
so no markup is ever assembled from strings. Links from article data reach an ``href`` only through
:func:`safe_url` (http/https only). Script (Traditional/Simplified) display is converted server-side
with OpenCC, chosen by ``?script=hant|hans|orig`` and remembered in a cookie.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

import opencc
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from starlette.exceptions import HTTPException as StarletteHTTPException

from summitwatch.knowledge import load_knowledge
from summitwatch.model import ArticleDetail, TimelineEntry
from summitwatch.store.query.articles import AmbiguousRef, get_article, list_articles, resolve_ref
from summitwatch.store.query.counterparts import CounterpartFilters, counterparts
from summitwatch.store.query.filters import until_day
from summitwatch.store.query.hits import engagement_labels
from summitwatch.store.query.people import get_person, list_people
from summitwatch.store.query.quotes import quotes_of_engagement, quotes_of_person
from summitwatch.store.query.raised import RaisedFilters, raised_cells, raised_hits
from summitwatch.store.query.search import SORTS, SearchFilters, SearchIndexUnavailable, search
from summitwatch.store.query.stats import corpus_stats, list_duplicate_groups, list_quarantine
from summitwatch.store.query.timeline import (
    SORT_KEYS,
    get_engagement,
    read_flags,
    report_counts,
    timeline_facets,
    timeline_rows,
)
from summitwatch.web import params
from summitwatch.web.charts import MODALITY_COLOURS, lane_chart, parse_zoom, year_bars
from summitwatch.web.filters import PageArticleFilters, PageTimelineFilters
from summitwatch.web.labels import human_date, human_date_zh, human_time, name_zh, topic_label

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

SCRIPTS = ("orig", "hant", "hans")
_CONVERTERS = {"hans": opencc.OpenCC("t2s"), "hant": opencc.OpenCC("s2t")}
#: Query parameters that are filters (carried over to the download links); the rest is view state.
FILTER_PARAMS = (
    "q",
    "person",
    "topic",
    "modality",
    "status",
    "outlet",
    "since",
    "until",
    "side",
    "has_engagement",
)


# --------------------------------------------------------------------------- template helpers
def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (javascript:, data:, relative junk)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if any(ord(c) < 32 for c in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


@pass_context
def convert_script(ctx: Any, text: object) -> str:
    """Display ``text`` in the script the reader chose (unchanged for ``orig``)."""
    if text is None:
        return ""
    s = str(text)
    conv = _CONVERTERS.get(ctx.get("script", "orig"))
    return conv.convert(s) if conv else s


@pass_context
def here(ctx: Any, **params: object) -> str:
    """This page's path and query with ``params`` replaced: a relative link (never the Host header's)."""
    url = ctx["request"].url.include_query_params(**params)
    return f"{url.path}?{url.query}" if url.query else url.path


@pass_context
def export_href(ctx: Any, api_path: str, fmt: str, **extra: object) -> str:
    """The download link of what this page shows: its API route with this page's filters."""
    params = [
        (k, v) for k, v in ctx["request"].query_params.multi_items() if k in FILTER_PARAMS and v and k not in extra
    ]
    params += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
    params.append(("format", fmt))
    return f"{api_path}?{urlencode(params)}"


def path_quote(value: object) -> str:
    """A path segment (names with spaces or slashes)."""
    return quote(str(value), safe="")


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["conv"] = convert_script
    env.filters["safe_url"] = safe_url
    env.filters["pq"] = path_quote
    env.filters["hdate"] = human_date
    env.filters["hdate_zh"] = human_date_zh
    env.filters["htime"] = human_time
    env.filters["zh"] = name_zh
    env.globals["here"] = here
    env.globals["export_href"] = export_href
    env.globals["topic_label"] = topic_label
    env.globals["modality_colours"] = MODALITY_COLOURS
    return env


templates = Jinja2Templates(env=_env())


def _relative(request: Request, **params: object) -> str:
    url = request.url.include_query_params(**params)
    return f"{url.path}?{url.query}" if url.query else url.path


def _script(request: Request) -> str:
    chosen = request.query_params.get("script")
    if chosen in SCRIPTS:
        return chosen
    cookie = request.cookies.get("script")
    return cookie if cookie in SCRIPTS else "orig"


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page with the common context (script switch links) and remember an explicit script choice."""
    script = _script(request)
    ctx = {
        "request": request,
        "script": script,
        "script_links": [(s, _relative(request, script=s)) for s in SCRIPTS],
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if request.query_params.get("script") in SCRIPTS:
        response.set_cookie("script", script, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _conn(request: Request) -> sqlite3.Connection:
    return request.app.state.pool.get()


Conn = Annotated[sqlite3.Connection, Depends(_conn)]


def _opt(value: str | None, *, date: bool = False) -> str | None:
    """Form values: empty means no filter; a malformed or impossible date is a 422 (web.params)."""
    return params.opt(value, date=date)


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    """A form integer clamped to ``[lo, hi]``; not a number, or past 64 bits, is a 422 (web.params)."""
    return params.form_int(value, default, lo, hi)


# --------------------------------------------------------------------------- corpus chart
def month_chart(
    per_month: tuple[tuple[str, int], ...], width: int = 1000, height: int = 160
) -> dict[str, Any]:
    """Numbers for the articles-per-month bar chart."""
    if not per_month:
        return {"width": width, "height": height, "bars": [], "max": 0, "labels": []}
    top = max(n for _, n in per_month) or 1
    step = (width - 40) / len(per_month)
    bars = []
    labels = []
    for i, (month, n) in enumerate(per_month):
        h = round((height - 30) * n / top, 1)
        x = round(30 + i * step, 1)
        bars.append(
            {
                "x": x,
                "y": round(height - 20 - h, 1),
                "w": max(1.0, round(step * 0.8, 1)),
                "h": h,
                "label": f"{month}: {n}",
            }
        )
        if month.endswith("-01"):
            labels.append({"x": x, "text": month[:4]})
    return {"width": width, "height": height, "bars": bars, "max": top, "labels": labels}


# --------------------------------------------------------------------------- article highlighting
def article_segments(detail: ArticleDetail) -> list[dict[str, Any]]:
    """Blocks of the article split into segments with classes: mentions (by kind) and engagement evidence.

    Offsets refer to ``Article.text`` (blocks joined by a blank line); spans that do not fit the text
    are ignored rather than trusted. Headline quotes (``in_title``) point into the title instead: they
    are marked by :func:`title_segments`, never here.
    """
    art = detail.article
    text = art.text
    n = len(text)
    spans: list[tuple[int, int, str, str | None]] = []
    for m in detail.mentions:
        if 0 <= m.start < m.end <= n:
            href = f"/people/{path_quote(m.key)}" if m.kind in ("person", "office") and m.key else None
            spans.append((m.start, m.end, f"m-{m.kind}", href))
    for rec in detail.engagements:
        e = rec.engagement
        s, t = e.evidence_start, e.evidence_end
        if not (0 <= s < t <= n) and e.evidence:
            s = text.find(e.evidence)
            t = s + len(e.evidence) if s >= 0 else -1
        if 0 <= s < t <= n:
            spans.append((s, t, "evidence", None))
    for q in detail.quotes:
        if not q.in_title and 0 <= q.start < q.end <= n:
            spans.append((q.start, q.end, "quote", None))
    blocks = []
    pos = 0
    for b in art.blocks:
        start, end = pos, pos + len(b.text)
        cuts = {start, end}
        for s, t, _, _ in spans:
            if s < end and t > start:
                cuts.update((max(s, start), min(t, end)))
        edges = sorted(cuts)
        segs = []
        for a, z in zip(edges, edges[1:], strict=False):
            active = [(cls, href) for s, t, cls, href in spans if s <= a and z <= t]
            classes = " ".join(sorted({cls for cls, _ in active}))
            href = next((h for _, h in active if h), None)
            segs.append({"text": text[a:z], "cls": classes, "href": href})
        blocks.append({"kind": b.kind, "segments": segs})
        pos = end + 2
    return blocks


def title_segments(detail: ArticleDetail) -> list[dict[str, Any]]:
    """The headline split into segments, the words of its quotes (``in_title``: offsets into the title)
    with class ``quote``; offsets that do not fit the title are ignored."""
    title = detail.article.title or ""
    n = len(title)
    spans = [(q.start, q.end) for q in detail.quotes if q.in_title and 0 <= q.start < q.end <= n]
    edges = sorted({0, n, *(x for s in spans for x in s)})
    return [{"text": title[a:z], "cls": "quote" if any(s <= a and z <= t for s, t in spans) else ""}
            for a, z in zip(edges, edges[1:], strict=False)]


# --------------------------------------------------------------------------- pages
router = APIRouter(include_in_schema=False)


def _engagement_href(e: TimelineEntry) -> str:
    return f"/engagements/{path_quote(e.id)}"


@router.get("/", response_class=HTMLResponse)
def page_timeline(
    request: Request,
    conn: Conn,
    f: PageTimelineFilters,
    zoom: str | None = None,
    sort: str | None = None,
    dir: str | None = None,
) -> Response:
    sort_key = sort if sort in SORT_KEYS else "date"
    descending = dir != "asc"
    total, rows = timeline_rows(conn, f, sort=sort_key, descending=descending)
    entries = [r.entry for r in rows]
    view = parse_zoom(_opt(zoom), entries)
    chosen = {
        "person": f.person,
        "topic": f.topic,
        "modality": f.modality,
        "status": f.status,
        "outlet": f.outlet,
        "since": f.since,
        "until": f.until,
    }
    return render(
        request,
        "timeline.html",
        {
            "rows": rows,
            "undated": sum(1 for e in entries if not (e.date or e.date_approx)),
            "chart": lane_chart(entries, view, _engagement_href),
            "bars": year_bars(entries, view),
            "zoom": view,
            "facets": timeline_facets(conn),
            "chosen": chosen,
            "total": total,
            "sort": sort_key,
            "descending": descending,
        },
    )


@router.get("/engagements/{entry_id}", response_class=HTMLResponse)
def page_engagement(request: Request, conn: Conn, entry_id: str) -> Response:
    detail = get_engagement(conn, entry_id)
    if detail is None:
        raise HTTPException(404, f"no engagement {entry_id!r}")
    counts = report_counts(conn, [entry_id])[entry_id]
    flags = read_flags(conn, [entry_id])[entry_id]
    titles = {m.article.id: m.article for m in detail.members}
    # each side's quotes once (copies of the same words across outlets merged), participants and their
    # governments' bodies alike; the knowledge tells a body from a person
    by_side = quotes_of_engagement(conn, entry_id, kn=load_knowledge())
    return render(
        request,
        "engagement.html",
        {
            "d": detail,
            "e": detail.entry,
            "counts": counts,
            "flags": flags,
            "titles": titles,
            "quotes_by_side": by_side,
            "history": detail.entry.data.get("history") or detail.entry.data.get("status_history") or [],
        },
    )


@router.get("/people", response_class=HTMLResponse)
def page_people(request: Request, conn: Conn, side: str | None = None) -> Response:
    side = _opt(side)
    page = list_people(conn, limit=2000, side=side)
    return render(request, "people.html", {"people": page.items, "total": page.total, "side": side})


@router.get("/people/{name}", response_class=HTMLResponse)
def page_person(request: Request, conn: Conn, name: str) -> Response:
    detail = get_person(conn, name)
    if detail is None:
        raise HTTPException(404, f"no person {name!r}")
    engagements = list(detail.engagements)
    chart = lane_chart(engagements, parse_zoom("all", engagements), _engagement_href)
    quotes = quotes_of_person(conn, detail.summary.name).items  # by date, oldest first
    return render(request, "person.html", {"p": detail, "chart": chart, "quotes": quotes})


@router.get("/articles", response_class=HTMLResponse)
def page_articles(request: Request, conn: Conn, f: PageArticleFilters, offset: str | None = None) -> Response:
    off = _int(offset, 0, 0, 10**9)
    page = list_articles(conn, f, limit=50, offset=off)
    return render(
        request, "articles.html", {"page": page, "f": f, "prev": max(0, off - 50), "next": off + 50}
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def page_article(request: Request, conn: Conn, article_id: str) -> Response:
    detail = get_article(conn, article_id)
    if detail is None:
        # what `summitwatch show` takes works in the address bar too: the site's article number
        # (/articles/47751) or an id prefix, redirected to the article's own address
        try:
            found = resolve_ref(conn, article_id)
        except AmbiguousRef:
            found = None
        if found and found != article_id:
            return RedirectResponse(f"/articles/{quote(found, safe='')}", status_code=303)
        raise HTTPException(404, f"no article {article_id!r}")
    art = detail.article
    archived = detail.archived_link
    damaged = detail.damaged_links
    return render(
        request,
        "article.html",
        {"d": detail, "a": art, "blocks": article_segments(detail), "headline": title_segments(detail),
         "archived": archived, "damaged": damaged},
    )


@router.get("/search", response_class=HTMLResponse)
def page_search(
    request: Request,
    conn: Conn,
    q: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    person: str | None = None,
    topic: str | None = None,
    has_engagement: str | None = None,
    offset: str | None = None,
    sort: str | None = None,
) -> Response:
    query = (q or "").strip()[:500]
    order = _opt(sort) or "relevance"
    if order not in SORTS:
        raise HTTPException(422, f"sort must be one of {', '.join(SORTS)}")
    f = SearchFilters(
        _opt(outlet),
        _opt(since, date=True),
        until_day(_opt(until, date=True)),
        _opt(person),
        _opt(topic),
        bool(_opt(has_engagement)),
    )
    off = _int(offset, 0, 0, 10_000)
    try:
        result = search(conn, query, f, limit=20, offset=off, sort=order) if query else None
    except SearchIndexUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc
    # one query labels every engagement the page's hits link to (date and participants)
    labels = engagement_labels(conn, (t for h in result.hits for t in h.engagements)) if result else {}
    chosen = {
        "outlet": f.outlet,
        "since": _opt(since),
        "until": _opt(until),
        "person": f.person,
        "topic": f.topic,
        "has_engagement": f.has_engagement,
        "sort": order,
    }
    return render(
        request,
        "search.html",
        {
            "q": query,
            "result": result,
            "labels": labels,
            "sorts": SORTS,
            "chosen": chosen,
            "offset": off,
            "prev": max(0, off - 20),
            "next": off + 20,
        },
    )


@router.get("/corpus", response_class=HTMLResponse)
def page_corpus(request: Request, conn: Conn, qoffset: str | None = None) -> Response:
    stats = corpus_stats(conn)
    off = _int(qoffset, 0, 0, 10**9)
    return render(
        request,
        "corpus.html",
        {
            "s": stats,
            "chart": month_chart(stats.per_month),
            "quarantine": list_quarantine(conn, limit=200, offset=off),
            "duplicates": list_duplicate_groups(conn, limit=50),
            "qprev": max(0, off - 200),
            "qnext": off + 200,
        },
    )


# --------------------------------------------------------------------------- who raised what, counterparts
SIDES = ("US", "PRC")


@router.get("/raised", response_class=HTMLResponse)
def page_raised(
    request: Request,
    conn: Conn,
    since: str | None = None,
    until: str | None = None,
    side: str | None = None,
    person: str | None = None,
    year: str | None = None,
    topic: str | None = None,
    cside: str | None = None,
) -> Response:
    """Topics × years for each side; a chosen cell (``year``, ``cside``, ``topic``) lists its sentences."""
    chosen_side = _opt(side)
    if chosen_side is not None and chosen_side not in SIDES:
        raise HTTPException(422, f"side must be US or PRC, not {chosen_side!r}")
    f = RaisedFilters(_opt(since, date=True), until_day(_opt(until, date=True)), chosen_side, _opt(person))
    hits = raised_hits(conn, f)
    cells = raised_cells(hits)
    years = sorted({c.year for c in cells})
    matrices = []
    for s in SIDES:
        if chosen_side and s != chosen_side:
            continue
        mine = {(c.topic, c.year): c for c in cells if c.side == s}
        topics = sorted(
            {t for t, _ in mine}, key=lambda t: (-sum(c.count for (x, _), c in mine.items() if x == t), t)
        )
        matrices.append(
            {
                "side": s,
                "topics": topics,
                "cells": mine,
                "top": max((c.count for c in mine.values()), default=0),
            }
        )
    cell = None
    if year and topic and cside:
        # a sentence repeated by near-duplicate copies is listed once
        seen: set[tuple[str, str, str]] = set()
        cell = []
        for h in hits:
            key = (h.text, h.person, h.engagement_id)
            if h.year == year and h.topic == topic and h.side == cside and key not in seen:
                seen.add(key)
                cell.append(h)
    return render(
        request,
        "raised.html",
        {
            "years": years,
            "matrices": matrices,
            "cell": cell,
            "cell_key": {"year": year, "topic": topic, "side": cside},
            "chosen": {"since": _opt(since), "until": _opt(until), "side": chosen_side, "person": f.person},
            "people": sorted({h.person for h in hits}),
        },
    )


@router.get("/counterparts", response_class=HTMLResponse)
def page_counterparts(
    request: Request, conn: Conn, since: str | None = None, until: str | None = None
) -> Response:
    """US officials × PRC officials: how often each pair met, phoned or held a video call."""
    f = CounterpartFilters(_opt(since, date=True), until_day(_opt(until, date=True)))
    pairs = counterparts(conn, f)
    us = sorted({p.us for p in pairs}, key=lambda n: (-sum(p.total for p in pairs if p.us == n), n))
    cn = sorted({p.cn for p in pairs}, key=lambda n: (-sum(p.total for p in pairs if p.cn == n), n))
    return render(
        request,
        "counterparts.html",
        {
            "pairs": pairs,
            "grid": {(p.us, p.cn): p for p in pairs},
            "us": us,
            "cn": cn,
            "chosen": {"since": _opt(since), "until": _opt(until)},
        },
    )


@router.get("/engagements", response_class=HTMLResponse)
def page_engagement_list(request: Request, conn: Conn, ids: str | None = None) -> Response:
    """A few engagements by id (a counterparts cell links here): the timeline table for just them."""
    wanted = [i for i in (ids or "").split(",") if i][:500]
    rows = [r for r in timeline_rows(conn)[1] if r.entry.id in set(wanted)]
    return render(request, "engagements.html", {"rows": rows})


def install_error_pages(app: FastAPI) -> None:
    """JSON errors under /api (and /openapi.json), HTML error pages elsewhere, same status codes."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith(("/api", "/openapi")) or request.url.path.startswith("/static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return await http_exception_handler(request, exc)
        return render(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail}, exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await request_validation_exception_handler(request, exc)
        detail = "; ".join(str(e.get("msg", "")) for e in exc.errors())
        return render(request, "error.html", {"status": 422, "detail": detail}, 422)
