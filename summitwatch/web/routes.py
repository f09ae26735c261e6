"""Server-rendered HTML pages over the store's query layer (the same functions the API calls).

Safety: the Jinja environment autoescapes everything; no template uses ``|safe``. Geometry of the
timeline and the monthly chart is computed here as numbers and drawn by the templates as inline SVG,
so no markup is ever assembled from strings. Links from article data reach an ``href`` only through
:func:`safe_url` (http/https only). Script (Traditional/Simplified) display is converted server-side
with OpenCC, chosen by ``?script=hant|hans|orig`` and remembered in a cookie.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import opencc
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from starlette.exceptions import HTTPException as StarletteHTTPException

from summitwatch.model import TimelineEntry
from summitwatch.store.browse import (
    ArticleDetail,
    ArticleFilters,
    TimelineFilters,
    corpus_stats,
    get_article,
    get_engagement,
    list_articles,
    list_duplicate_groups,
    list_quarantine,
    list_timeline,
    timeline_facets,
)
from summitwatch.store.people import get_person, list_people
from summitwatch.store.query.search import SORTS, SearchFilters, SearchIndexUnavailable, search

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

SCRIPTS = ("orig", "hant", "hans")
_CONVERTERS = {"hans": opencc.OpenCC("t2s"), "hant": opencc.OpenCC("s2t")}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MODALITY_COLOURS = {"in_person": "#1f6fb2", "phone": "#c0392b", "video": "#1e8449"}
MODALITY_LANES = ("in_person", "phone", "video")


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
    env.globals["here"] = here
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
    """Form values: empty means no filter; a malformed date is a 422."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if date and not _DATE.match(value):
        raise HTTPException(422, f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return value[:200]


def _until(value: str | None) -> str | None:
    return None if value is None else value + {4: "-12-31", 7: "-31"}.get(len(value), "")


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value))) if value else default
    except ValueError as exc:
        raise HTTPException(422, f"not a number: {value!r}") from exc


# --------------------------------------------------------------------------- timeline chart
@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    y: float
    colour: str
    status: str
    href: str
    label: str


def _day(entry: TimelineEntry) -> _dt.date | None:
    """Where to place an entry: its date, or the middle of its approximate month/year."""
    value = entry.date or entry.date_approx
    if not value:
        return None
    try:
        if len(value) >= 10:
            return _dt.date.fromisoformat(value[:10])
        if len(value) == 7:
            return _dt.date(int(value[:4]), int(value[5:7]), 15)
        return _dt.date(int(value[:4]), 7, 1)
    except ValueError:
        return None


def timeline_chart(entries: list[TimelineEntry], width: int = 1000) -> dict[str, Any]:
    """Numbers for the SVG timeline: one lane per modality, x by date, year ticks."""
    dated = [(d, e) for e in entries if (d := _day(e)) is not None]
    lane_y = {m: 40 + 40 * i for i, m in enumerate(MODALITY_LANES)}
    if not dated:
        return {"width": width, "height": 190, "marks": [], "ticks": [], "lanes": list(lane_y.items())}
    first = min(d for d, _ in dated).year
    last = max(d for d, _ in dated).year + 1
    lo, hi = _dt.date(first, 1, 1), _dt.date(last, 1, 1)
    left, right = 110, width - 20
    span = (hi - lo).days or 1

    def x_of(d: _dt.date) -> float:
        return round(left + (right - left) * (d - lo).days / span, 1)

    marks: list[Mark] = []
    last_x: dict[str, list[float]] = {}
    for d, e in sorted(dated, key=lambda p: p[0]):
        lane = e.modality if e.modality in lane_y else "in_person"
        x = x_of(d)
        stack = [px for px in last_x.get(lane, []) if abs(px - x) < 6]
        y = lane_y[lane] + (len(stack) % 3 - 1) * 8 if stack else lane_y[lane]
        last_x.setdefault(lane, []).append(x)
        label = (
            f"{e.date or e.date_approx} · {', '.join(e.us)} — {', '.join(e.cn)} · {e.modality} · {e.status}"
        )
        marks.append(
            Mark(
                x,
                y,
                MODALITY_COLOURS.get(e.modality, "#555"),
                e.status,
                f"/engagements/{path_quote(e.id)}",
                label,
            )
        )
    # label at most ~16 years so labels never overlap: every year, or every 2/5/10 on long spans
    step = next(s for s in (1, 2, 5, 10, 25) if (last - first) / s <= 16)
    ticks = [(y, x_of(_dt.date(y, 1, 1))) for y in range(first, last + 1) if y % step == 0 or y == first]
    return {"width": width, "height": 190, "marks": marks, "ticks": ticks, "lanes": list(lane_y.items())}


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
    are ignored rather than trusted.
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
        if 0 <= q.start < q.end <= n:
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


# --------------------------------------------------------------------------- pages
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def page_timeline(
    request: Request,
    conn: Conn,
    person: str | None = None,
    topic: str | None = None,
    modality: str | None = None,
    status: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    f = TimelineFilters(
        since=_opt(since, date=True),
        until=_until(_opt(until, date=True)),
        person=_opt(person),
        modality=_opt(modality),
        status=_opt(status),
        topic=_opt(topic),
        outlet=_opt(outlet),
    )
    page = list_timeline(conn, f, limit=5000)
    entries = list(page.items)
    chosen = {
        "person": f.person,
        "topic": f.topic,
        "modality": f.modality,
        "status": f.status,
        "outlet": f.outlet,
        "since": _opt(since),
        "until": _opt(until),
    }
    return render(
        request,
        "timeline.html",
        {
            "entries": entries,
            "undated": [e for e in entries if _day(e) is None],
            "chart": timeline_chart(entries),
            "facets": timeline_facets(conn),
            "chosen": chosen,
            "total": page.total,
        },
    )


@router.get("/engagements/{entry_id}", response_class=HTMLResponse)
def page_engagement(request: Request, conn: Conn, entry_id: str) -> Response:
    detail = get_engagement(conn, entry_id)
    if detail is None:
        raise HTTPException(404, f"no engagement {entry_id!r}")
    shown = {"topics", "quotes"}
    extra = {k: v for k, v in detail.entry.data.items() if k not in shown}
    return render(request, "engagement.html", {"d": detail, "e": detail.entry, "extra": extra})


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
    return render(request, "person.html", {"p": detail, "chart": timeline_chart(list(detail.engagements))})


@router.get("/articles", response_class=HTMLResponse)
def page_articles(
    request: Request,
    conn: Conn,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    person: str | None = None,
    topic: str | None = None,
    has_engagement: str | None = None,
    offset: str | None = None,
) -> Response:
    f = ArticleFilters(
        _opt(outlet),
        _opt(since, date=True),
        _until(_opt(until, date=True)),
        _opt(person),
        _opt(topic),
        bool(_opt(has_engagement)),
    )
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
        from fastapi.responses import RedirectResponse

        from summitwatch.store.articles import AmbiguousRef, resolve_ref

        try:
            found = resolve_ref(conn, article_id)
        except AmbiguousRef:
            found = None
        if found and found != article_id:
            return RedirectResponse(f"/articles/{quote(found, safe='')}", status_code=303)
        raise HTTPException(404, f"no article {article_id!r}")
    return render(
        request, "article.html", {"d": detail, "a": detail.article, "blocks": article_segments(detail)}
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
        _until(_opt(until, date=True)),
        _opt(person),
        _opt(topic),
        bool(_opt(has_engagement)),
    )
    off = _int(offset, 0, 0, 10_000)
    try:
        result = search(conn, query, f, limit=20, offset=off, sort=order) if query else None
    except SearchIndexUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc
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
