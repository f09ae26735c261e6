"""Each curation action through the HTTP API (FastAPI TestClient), the form flow and the panel."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from curation_helpers import entry_data, entry_for
from fastapi.testclient import TestClient

from summitwatch.api import create_app
from summitwatch.web.curate import is_loopback, register_curation

LOCAL = ("127.0.0.1", 50000)


def make_client(db_path: Path, user: str | None = "ann", bind_host: str | None = "127.0.0.1",
                client: tuple[str, int] = LOCAL) -> TestClient:
    app = create_app(db_path)
    register_curation(app, user=user, bind_host=bind_host)
    return TestClient(app, client=client)


@pytest.fixture
def api(db_path: Path) -> TestClient:
    return make_client(db_path)


def test_api_each_action(api: TestClient, conn: sqlite3.Connection) -> None:
    vid, osaka, phone, bali, anc = (entry_for(conn, "art-vid-1"), entry_for(conn, "art-osaka"),
                                    entry_for(conn, "art-phone"), entry_for(conn, "art-bali", 0),
                                    entry_for(conn, "art-anc-1"))
    assert api.get("/api/curate/status").json() == {"enabled": True, "user": "ann"}
    r = api.post("/api/curate/confirm", json={"target": vid, "note": "ok"})
    assert r.status_code == 200 and r.json()["outcome"]["state"] == "applied"
    r = api.post("/api/curate/set", json={"target": vid, "field": "cn", "value": ["Xi Jinping", "Wang Yi"]})
    assert r.status_code == 200, r.text
    assert api.post("/api/curate/reject", json={"target": osaka}).status_code == 200
    assert api.post("/api/curate/merge", json={"survivor": phone, "others": [bali]}).status_code == 200
    r = api.post("/api/curate/split", json={"entry": anc, "records": ["art-anc-2:0"]})
    assert r.status_code == 200 and r.json()["outcome"]["entry_id"] != anc
    assert api.post("/api/curate/attach", json={"record": "art-bali:1", "entry": vid}).status_code == 200
    r = api.post("/api/curate/add", json={"articles": ["art-osaka"], "evidence": ["劉鶴將與萊特希澤通電話。"],
                                          "us": ["Robert Lighthizer"], "cn": ["Liu He"], "modality": "phone"})
    assert r.status_code == 200, r.text
    added = r.json()["outcome"]["entry_id"]
    # the API and the engagement JSON show the curation marks
    e = api.get(f"/api/engagements/{vid}").json()
    assert e["cn"] == ["Xi Jinping", "Wang Yi"]
    assert e["data"]["curation"]["original"]["cn"] == ["Xi Jinping"] and e["data"]["curation"]["confirmed"]
    assert api.get(f"/api/engagements/{osaka}").status_code == 404
    assert api.get(f"/api/engagements/{added}").status_code == 200
    listed = api.get("/api/curate/corrections").json()
    assert [i["action"] for i in listed["items"]] == ["confirm", "set", "reject", "merge", "split", "attach", "add"]
    assert all(i["state"] == "applied" for i in listed["items"])
    assert api.get("/api/curate/corrections", params={"orphans": True}).json()["total"] == 0
    r = api.post("/api/curate/withdraw", json={"id": 3})
    assert r.status_code == 200 and api.get(f"/api/engagements/{osaka}").status_code == 200
    assert entry_data(conn, bali) is None


def test_api_validation_errors(api: TestClient, conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    assert api.post("/api/curate/set", json={"target": vid, "field": "date", "value": "soon"}).status_code == 422
    assert api.post("/api/curate/set", json={"target": vid, "field": "evidence", "value": "x"}).status_code == 422
    assert api.post("/api/curate/confirm", json={"target": "e-nope"}).status_code == 422
    # a form-encoded body (what a cross-site form could send) is refused
    r = api.post("/api/curate/confirm", data={"target": vid})
    assert r.status_code in (415, 422)
    assert api.get("/api/curate/corrections").json()["total"] == 0


@pytest.mark.parametrize(
    ("user", "bind_host", "client"),
    [(None, "127.0.0.1", LOCAL), ("ann", "0.0.0.0", LOCAL), ("ann", "127.0.0.1", ("192.168.1.9", 4000))],
)
def test_api_off_by_default(db_path: Path, conn: sqlite3.Connection, user: str | None, bind_host: str,
                            client: tuple[str, int]) -> None:
    c = make_client(db_path, user=user, bind_host=bind_host, client=client)
    assert c.get("/api/curate/status").json()["enabled"] is False
    r = c.post("/api/curate/confirm", json={"target": entry_for(conn, "art-vid-1")})
    assert r.status_code == 403
    assert c.get("/api/curate/corrections").status_code == 200


def test_user_from_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMITWATCH_USER", "dana")
    assert make_client(db_path, user=None).get("/api/curate/status").json() == {"enabled": True, "user": "dana"}


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.1") and not is_loopback(None)


def _panel(client: TestClient, entry_id: str) -> str:
    """The partial rendered for an entry, as engagement.html includes it (request from loopback)."""
    from starlette.requests import Request

    from summitwatch.store.browse import get_engagement
    from summitwatch.web.routes import templates

    app = client.app
    detail = get_engagement(app.state.pool.get(), entry_id)  # type: ignore[attr-defined]
    assert detail is not None
    scope = {"type": "http", "app": app, "headers": [], "client": LOCAL, "server": ("127.0.0.1", 8000),
             "path": f"/engagements/{entry_id}", "query_string": b"", "method": "GET"}
    return templates.get_template("curate_panel.html").render(request=Request(scope), e=detail.entry)


def test_form_flow_confirm_reload_still_confirmed(api: TestClient, conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    html = _panel(api, vid)
    assert "Not reviewed" in html and 'action="/curate/engagements/' in html
    token = re.search(r'name="csrf" value="([^"]+)"', html)
    assert token
    r = api.post(f"/curate/engagements/{vid}/confirm", data={"csrf": token.group(1), "note": "seen"},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/engagements/{vid}"
    html = _panel(api, vid)
    assert "analyst-confirmed" in html and "ann" in html
    # a rebuild (re-extraction) later: still confirmed
    from summitwatch.run.steps import apply_corrections, rebuild_timeline

    rebuild_timeline(conn)
    apply_corrections(conn)
    assert "analyst-confirmed" in _panel(api, vid)
    r = api.post(f"/curate/engagements/{vid}/set", data={"csrf": token.group(1), "field": "date", "value": "2021-11-15"},
                 follow_redirects=False)
    assert r.status_code == 303
    html = _panel(api, vid)
    assert "analyst-corrected" in html and "2021-11-16" in html and "2021-11-15" in html


def test_form_needs_token_and_same_origin(api: TestClient, conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    assert api.post(f"/curate/engagements/{vid}/confirm", data={"csrf": "wrong"}).status_code == 403
    token = re.search(r'name="csrf" value="([^"]+)"', _panel(api, vid))
    assert token
    r = api.post(f"/curate/engagements/{vid}/confirm", data={"csrf": token.group(1)},
                 headers={"origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403
    assert api.get("/api/curate/corrections").json()["total"] == 0


def test_panel_read_only_when_off(db_path: Path, conn: sqlite3.Connection) -> None:
    off = make_client(db_path, user=None)
    html = _panel(off, entry_for(conn, "art-vid-1"))
    assert "Curation" in html and "<form" not in html


def test_record_form_on_article_page(api: TestClient, conn: sqlite3.Connection) -> None:
    from starlette.requests import Request

    from summitwatch.store.browse import get_article
    from summitwatch.web.routes import templates

    def panel() -> str:
        d = get_article(api.app.state.pool.get(), "art-osaka")  # type: ignore[attr-defined]
        assert d is not None
        scope = {"type": "http", "app": api.app, "headers": [], "client": LOCAL, "server": ("127.0.0.1", 8000),
                 "path": "/articles/art-osaka", "query_string": b"", "method": "GET"}
        return templates.get_template("curate_record.html").render(request=Request(scope), a=d.article,
                                                                   r=d.engagements[0])

    html = panel()
    token = re.search(r'name="csrf" value="([^"]+)"', html)
    assert token and 'action="/curate/records/art-osaka/0/set"' in html
    r = api.post("/curate/records/art-osaka/0/set", data={"csrf": token.group(1), "field": "location", "value": "Kobe"},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/articles/art-osaka"
    assert entry_data(conn, entry_for(conn, "art-osaka"))["location"] == "Kobe"  # type: ignore[index]
    assert "analyst: set location" in panel()
