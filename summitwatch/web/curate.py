"""Curation over HTTP: a JSON API under ``/api/curate/…`` and small HTML form handlers.

Both call :mod:`summitwatch.curation.actions`, the layer the CLI uses. Writing is **off by
default**: it needs a local-user setting (``register_curation(app, user=…)``, i.e. ``serve
--curate-user NAME``, or ``$SUMMITWATCH_USER``) *and* a server bound to loopback; each write
request must also come from a loopback client. Every write, JSON or form, must then be addressed
to a loopback Host, name this server in ``Origin`` (or ``Referer``), and carry the per-process
token (``X-CSRF-Token``, as ``GET /api/curate/status`` gives it, or the form's ``csrf`` field):
a page elsewhere cannot post to the analyst's local server, nor can a rebinding page. JSON writes
must also be ``application/json``. Writes go through the pool's writable connection; everything
else here reads read-only. Reading the corrections list is open.

The partial ``curate_panel.html`` shows an entry's curation mark (who, when, original values) and,
when writing is on, confirm / reject buttons and a set-field form; ``curate_record.html`` does the
same for one per-article record on the article page. They get what they need from the Jinja globals
``curation_panel(request, entry)`` and ``curation_record_panel(request, article_id, seq, engagement)``
registered here.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from summitwatch.curation import actions
from summitwatch.curation.actions import ENTRY_FIELDS, RECORD_FIELDS, CurationError, record_key
from summitwatch.model import Engagement, TimelineEntry
from summitwatch.web.params import MAX_INT
from summitwatch.web.routes import templates
from summitwatch.web.security import is_loopback, write_refusal

USER_ENV = actions.USER_ENV


def _settings(app: FastAPI) -> dict[str, Any]:
    return getattr(app.state, "curation", {"user": None, "bind_host": None, "token": ""})


def curation_user(request: Request) -> str | None:
    """The local user when writing is allowed for this request, else None."""
    s = _settings(request.app)
    if not s["user"]:
        return None
    bind = s["bind_host"]
    server = request.scope.get("server")
    if bind is not None and not is_loopback(bind):
        return None
    if bind is None and not (server and is_loopback(str(server[0]))):
        return None
    client = request.client.host if request.client else None
    return s["user"] if is_loopback(client) else None


def _conn(request: Request) -> sqlite3.Connection:
    """This thread's read-only connection (listing corrections, the panels)."""
    return request.app.state.pool.get()


def _writer(request: Request) -> sqlite3.Connection:
    """The writable connection: only curation actions, after every check, ever get it."""
    return request.app.state.pool.writer()


def _require_user(request: Request) -> str:
    user = curation_user(request)
    if user is None:
        raise HTTPException(403, "curation is off: start the server on loopback with a curation user "
                                 f"(serve --curate-user NAME, or ${USER_ENV})")
    return user


def _call(fn: Any, conn: sqlite3.Connection, *args: Any, **kwargs: Any) -> Any:
    """Run a curation action on the writable connection: a refused action is a 422, and a failed
    one never leaves a transaction open (its half-done writes would hold the write lock and be
    committed by the next request on this connection)."""
    try:
        return fn(conn, *args, **kwargs)
    except CurationError as exc:
        if conn.in_transaction:
            conn.rollback()
        raise HTTPException(422, str(exc)) from exc
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise


# --------------------------------------------------------------------------- JSON API
class TargetBody(BaseModel):
    target: str = Field(max_length=500, description="timeline entry id (e-…) or ARTICLE_ID:SEQ")
    note: str = Field("", max_length=2000)


class SetBody(TargetBody):
    field: str = Field(pattern=r"^(us|cn|modality|date|date_end|location|status|focus)$")
    value: str | list[str] | bool | None = None


class MergeBody(BaseModel):
    survivor: str = Field(max_length=200)
    others: list[str] = Field(min_length=1, max_length=50)
    note: str = Field("", max_length=2000)


class SplitBody(BaseModel):
    entry: str = Field(max_length=200)
    records: list[str] = Field(min_length=1, max_length=500)
    note: str = Field("", max_length=2000)


class AttachBody(BaseModel):
    record: str = Field(max_length=500)
    entry: str = Field(max_length=200)
    note: str = Field("", max_length=2000)


class AddBody(BaseModel):
    articles: list[str] = Field(min_length=1, max_length=50)
    evidence: list[str] = Field(min_length=1, max_length=50)
    us: list[str] = Field(min_length=1)
    cn: list[str] = Field(min_length=1)
    modality: str = Field(pattern=r"^(in_person|phone|video)$")
    status: str = Field("held", pattern=r"^(held|planned|cancelled)$")
    date: str | None = None
    date_end: str | None = None
    location: str | None = None
    focus: bool = True
    note: str = Field("", max_length=2000)


class WithdrawBody(BaseModel):
    id: int = Field(ge=1, le=MAX_INT, description="the correction's id (curate list)")


def _check_write(request: Request, given_token: str | None) -> None:
    """403 unless the write is addressed to a loopback host, same-origin, and carries the token."""
    refusal = write_refusal(request, given_token, _settings(request.app)["token"])
    if refusal:
        raise HTTPException(403, refusal)


def _json_write(request: Request) -> str:
    """The user for a JSON write: 403 when curation is off or the request fails the origin/token
    check (:func:`~summitwatch.web.security.write_refusal`), 415 unless the body is JSON."""
    user = _require_user(request)
    _check_write(request, request.headers.get(TOKEN_HEADER))
    if not request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
        raise HTTPException(415, "send application/json")
    return user


api = APIRouter(prefix="/api/curate", tags=["curation"])
#: The header a JSON client sends the token in (the ``csrf_token`` of ``GET /api/curate/status``).
TOKEN_HEADER = "X-CSRF-Token"


@api.get("/status", summary="Whether curation (writing) is on for this request, as whom, and the token "
         "writes must send as X-CSRF-Token")
def api_status(request: Request) -> dict[str, Any]:
    """A page on another origin cannot read this answer (no CORS, and the Host allowlist stops
    DNS rebinding), so holding the token proves the client can read this server."""
    user = curation_user(request)
    token = _settings(request.app)["token"] if user is not None else None
    return {"enabled": user is not None, "user": user, "csrf_token": token}


@api.get("/corrections", summary="Corrections with their state now (applied, retargeted, partial, orphaned, withdrawn)")
def api_corrections(request: Request, orphans: bool = False, target: str | None = None) -> dict[str, Any]:
    items = actions.list_corrections(_conn(request), orphans=orphans, target=target)
    return {"total": len(items), "items": [i.to_dict() for i in items]}


@api.post("/confirm", summary="Confirm an entry or record")
def api_confirm(request: Request, body: TargetBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.confirm, _writer(request), body.target, user=user, note=body.note).to_dict()


@api.post("/reject", summary="Reject an entry or record (hidden from the timeline, listed as rejected)")
def api_reject(request: Request, body: TargetBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.reject, _writer(request), body.target, user=user, note=body.note).to_dict()


@api.post("/set", summary="Correct one field of an entry or record")
def api_set(request: Request, body: SetBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.set_field, _writer(request), body.target, body.field, body.value, user=user,
                 note=body.note).to_dict()


@api.post("/merge", summary="Merge entries that are one engagement into the survivor")
def api_merge(request: Request, body: MergeBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.merge, _writer(request), body.survivor, body.others, user=user, note=body.note).to_dict()


@api.post("/split", summary="Split records of an entry off into a new entry")
def api_split(request: Request, body: SplitBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.split, _writer(request), body.entry, body.records, user=user, note=body.note).to_dict()


@api.post("/attach", summary="Move a per-article record to another entry")
def api_attach(request: Request, body: AttachBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.attach, _writer(request), body.record, body.entry, user=user, note=body.note).to_dict()


@api.post("/add", summary="Add an engagement the extractor missed, citing article(s) and sentence(s)")
def api_add(request: Request, body: AddBody) -> dict[str, Any]:
    user = _json_write(request)
    return _call(actions.add, _writer(request), body.articles, body.evidence, body.us, body.cn, body.modality,
                 status=body.status, date=body.date, date_end=body.date_end, location=body.location,
                 focus=body.focus, user=user, note=body.note).to_dict()


@api.post("/withdraw", summary="Stop applying a correction (kept, marked withdrawn)")
def api_withdraw(request: Request, body: WithdrawBody) -> dict[str, Any]:
    _json_write(request)
    return _call(actions.withdraw, _writer(request), body.id).to_dict()


# --------------------------------------------------------------------------- HTML forms
forms = APIRouter(include_in_schema=False)


async def _form_user(request: Request) -> str:
    """The user for a form post: curation on, and the same checks as a JSON write with the
    page's token from the form's ``csrf`` field."""
    user = _require_user(request)
    form = await request.form()
    token = form.get("csrf")
    _check_write(request, token if isinstance(token, str) else None)
    return user


@forms.post("/curate/engagements/{entry_id}/{action}")
async def form_entry(request: Request, entry_id: str, action: str) -> Response:
    """Confirm, reject or set a field of an entry from its page; back to the page (303)."""
    user = await _form_user(request)
    form = await request.form()
    note = str(form.get("note", ""))[:2000]
    conn = _writer(request)
    if action == "confirm":
        _call(actions.confirm, conn, entry_id, user=user, note=note)
    elif action == "reject":
        _call(actions.reject, conn, entry_id, user=user, note=note)
        return RedirectResponse("/", status_code=303)
    elif action == "set":
        _call(actions.set_field, conn, entry_id, str(form.get("field", "")), str(form.get("value", ""))[:500],
              user=user, note=note)
    else:
        raise HTTPException(404, f"no curation action {action!r}")
    return RedirectResponse(f"/engagements/{quote(entry_id, safe='')}", status_code=303)


@forms.post("/curate/records/{article_id}/{seq}/{action}")
async def form_record(request: Request, article_id: str, seq: int, action: str) -> Response:
    """Confirm, reject or set a field of a per-article record from its article page; back to it (303)."""
    user = await _form_user(request)
    form = await request.form()
    note = str(form.get("note", ""))[:2000]
    target = f"{article_id}:{seq}"
    conn = _writer(request)
    if action == "confirm":
        _call(actions.confirm, conn, target, user=user, note=note)
    elif action == "reject":
        _call(actions.reject, conn, target, user=user, note=note)
    elif action == "set":
        _call(actions.set_field, conn, target, str(form.get("field", "")), str(form.get("value", ""))[:500],
              user=user, note=note)
    else:
        raise HTTPException(404, f"no curation action {action!r}")
    return RedirectResponse(f"/articles/{quote(article_id, safe='')}", status_code=303)


# --------------------------------------------------------------------------- the partials' context
def panel_context(request: Request, entry: TimelineEntry) -> dict[str, Any]:
    """What ``curate_panel.html`` shows for ``entry``: its mark, its corrections, the forms when on."""
    cur = entry.data.get("curation") if isinstance(entry.data, dict) else None
    try:  # straight from the table (no re-application on a page view); the state is in the mark
        items = actions.corrections_for(_conn(request), [entry.id])
    except (sqlite3.Error, AttributeError):
        items = []
    user = curation_user(request)
    return {
        "enabled": user is not None,
        "user": user,
        "token": _settings(request.app)["token"] if user else "",
        "entry_id": entry.id,
        "mark": cur or None,
        "original": (cur or {}).get("original") or {},
        "corrections": [i.to_dict() for i in items],
        "fields": ENTRY_FIELDS,
        "action": f"/curate/engagements/{quote(entry.id, safe='')}",
    }


def record_panel_context(request: Request, article_id: str, seq: int, engagement: Engagement) -> dict[str, Any]:
    """What ``curate_record.html`` shows for one per-article record on the article page."""
    sig = record_key(article_id, engagement).signature
    try:
        items = [c for c in actions.corrections_for(_conn(request), [article_id])
                 if c.target_kind == "record" and c.record is not None and c.record.signature == sig]
    except (sqlite3.Error, AttributeError):
        items = []
    user = curation_user(request)
    return {
        "enabled": user is not None,
        "user": user,
        "token": _settings(request.app)["token"] if user else "",
        "corrections": [i.to_dict() for i in items],
        "fields": RECORD_FIELDS,
        "action": f"/curate/records/{quote(article_id, safe='')}/{int(seq)}",
    }


def register_curation(app: FastAPI, user: str | None = None, bind_host: str | None = None) -> None:
    """Add the curation routes to ``app`` and the panel's context to the page templates.

    ``user``: the local curation user (default ``$SUMMITWATCH_USER``); ``bind_host``: the address
    the server binds (writing stays off unless it is loopback; None: judged per request from the
    socket the request came in on).
    """
    app.state.curation = {"user": (user or os.environ.get(USER_ENV) or "").strip() or None,
                          "bind_host": bind_host, "token": secrets.token_urlsafe(24)}
    app.include_router(api)
    app.include_router(forms)
    templates.env.globals["curation_panel"] = panel_context
    templates.env.globals["curation_record_panel"] = record_panel_context
