"""Curation writes need a loopback Host, a same-origin Origin (or Referer) and the token: a foreign or
``null`` Origin, a missing token or a spoofed Host is refused with 403 and nothing is written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from curation_helpers import entry_for
from fastapi.testclient import TestClient

from summitwatch.api import create_app
from summitwatch.web.curate import register_curation

LOCAL = ("127.0.0.1", 50000)
ORIGIN = "http://127.0.0.1:8000"


def make_client(db_path: Path, base_url: str = ORIGIN, allow_hosts: tuple[str, ...] = ()) -> TestClient:
    """Curation on (user, loopback bind, loopback client); no Origin or token sent by default."""
    app = create_app(db_path, allow_hosts=allow_hosts)
    register_curation(app, user="ann", bind_host="127.0.0.1")
    return TestClient(app, client=LOCAL, base_url=base_url)


def token_of(c: TestClient) -> str:
    token = c.get("/api/curate/status").json()["csrf_token"]
    assert isinstance(token, str) and len(token) >= 24
    return token


def store_state(db_path: Path) -> tuple[object, ...]:
    """What a write would change: corrections, the timeline rows, and the file's bytes (+ WAL size)."""
    conn = sqlite3.connect(db_path)
    try:
        corrections = conn.execute("SELECT count(*) FROM corrections").fetchone()[0] if conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name='corrections'").fetchone() else 0
        timeline = conn.execute("SELECT * FROM timeline ORDER BY id").fetchall()
    finally:
        conn.close()
    wal = db_path.with_name(db_path.name + "-wal")
    return (corrections, timeline, hashlib.sha256(db_path.read_bytes()).hexdigest(),
            wal.stat().st_size if wal.exists() else 0)


def attempts(vid: str) -> list[tuple[str, dict[str, str]]]:
    """One JSON write of each shape the check must stop (header sets over a valid body)."""
    return [("/api/curate/confirm", {"target": vid}), ("/api/curate/reject", {"target": vid}),
            ("/api/curate/set", {"target": vid, "field": "location", "value": "Nowhere"})]


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("foreign Origin", {"origin": "http://evil.example"}),
        ("foreign Origin, same host other port", {"origin": "http://127.0.0.1:9999"}),
        ("foreign Origin, other scheme", {"origin": "https://127.0.0.1:8000"}),
        ("null Origin", {"origin": "null"}),
        ("foreign Referer, no Origin", {"referer": "http://evil.example/page"}),
        ("no Origin, no Referer", {}),
        ("foreign Origin wins over a same-origin Referer", {"origin": "http://evil.example",
                                                           "referer": ORIGIN + "/"}),
    ],
)
def test_foreign_null_or_missing_origin_is_403_and_writes_nothing(
    db_path: Path, conn: sqlite3.Connection, name: str, headers: dict[str, str]
) -> None:
    c = make_client(db_path)
    token = token_of(c)
    before = store_state(db_path)
    for url, body in attempts(entry_for(conn, "art-vid-1")):
        r = c.post(url, json=body, headers={**headers, "x-csrf-token": token})
        assert r.status_code == 403, (name, url, r.text)
        assert "Origin" in r.json()["detail"]
    assert store_state(db_path) == before


@pytest.mark.parametrize("token", [None, "", "wrong-token", "é" * 32, "null"])
def test_missing_or_wrong_token_is_403_and_writes_nothing(
    db_path: Path, conn: sqlite3.Connection, token: str | None
) -> None:
    c = make_client(db_path)
    token_of(c)
    before = store_state(db_path)
    headers = {"origin": ORIGIN} | ({} if token is None else {"x-csrf-token": token})
    for url, body in attempts(entry_for(conn, "art-vid-1")):
        r = c.post(url, json=body, headers={k: v.encode("utf-8") for k, v in headers.items()})
        assert r.status_code == 403, (token, url, r.text)
        assert "token" in r.json()["detail"]
    assert store_state(db_path) == before


def test_spoofed_host_is_refused_and_writes_nothing(db_path: Path, conn: sqlite3.Connection) -> None:
    """A rebinding page sends its own name as Host and as Origin. Not on the allowlist: 400 before
    anything runs. On it (``--allow-host``, for remote readers): curation still answers only
    loopback Hosts, 403."""
    vid = entry_for(conn, "art-vid-1")
    c = make_client(db_path)
    token = token_of(c)
    before = store_state(db_path)
    spoof = {"host": "rebind.example:8000", "origin": "http://rebind.example:8000", "x-csrf-token": token}
    r = c.post("/api/curate/confirm", json={"target": vid}, headers=spoof)
    assert r.status_code == 400
    allowed = make_client(db_path, base_url="http://rebind.example:8000", allow_hosts=("rebind.example",))
    token = allowed.get("/api/curate/status").json()["csrf_token"]  # readable under the allowed name
    r = allowed.post("/api/curate/confirm", json={"target": vid},
                     headers={"origin": "http://rebind.example:8000", "x-csrf-token": token})
    assert r.status_code == 403 and "loopback host" in r.json()["detail"]
    r = allowed.post(f"/curate/engagements/{vid}/confirm", data={"csrf": token},
                     headers={"origin": "http://rebind.example:8000"})
    assert r.status_code == 403
    assert store_state(db_path) == before


def test_same_origin_with_the_token_writes(db_path: Path, conn: sqlite3.Connection) -> None:
    """The check lets the analyst through: Origin, or Referer alone, under every loopback name."""
    vid = entry_for(conn, "art-vid-1")
    c = make_client(db_path)
    token = token_of(c)
    r = c.post("/api/curate/confirm", json={"target": vid}, headers={"origin": ORIGIN, "x-csrf-token": token})
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    r = c.post("/api/curate/set", json={"target": vid, "field": "location", "value": "Washington"},
               headers={"referer": ORIGIN + f"/engagements/{vid}", "x-csrf-token": token})
    assert r.status_code == 200, r.text
    for base in ("http://localhost:8000", "http://[::1]:8000"):
        other = make_client(db_path, base_url=base)
        r = other.post("/api/curate/confirm", json={"target": vid, "note": base},
                       headers={"origin": base, "x-csrf-token": token_of(other)})
        assert r.status_code == 200, (base, r.text)
    assert c.get("/api/curate/corrections").json()["total"] == 4


def test_form_post_with_null_origin_is_refused(db_path: Path, conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    c = make_client(db_path)
    token = token_of(c)  # the forms carry the same per-process token
    before = store_state(db_path)
    for headers in ({"origin": "null"}, {}, {"origin": "http://evil.example"}):
        r = c.post(f"/curate/engagements/{vid}/confirm", data={"csrf": token}, headers=headers,
                   follow_redirects=False)
        assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert store_state(db_path) == before
    r = c.post(f"/curate/engagements/{vid}/confirm", data={"csrf": token}, headers={"origin": ORIGIN},
               follow_redirects=False)
    assert r.status_code == 303


def test_a_failed_action_leaves_no_transaction_open(db_path: Path, conn: sqlite3.Connection,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An action that wrote and then failed: its writes are rolled back, so they neither hold the
    write lock nor get committed by the next request on the same connection."""
    from summitwatch.curation import actions
    from summitwatch.curation.model import CurationError

    def half_done(c: sqlite3.Connection, target: str, user: str | None = None, note: str = "") -> None:
        c.execute("UPDATE timeline SET location = 'half-done'")
        raise CurationError("refused after writing")

    monkeypatch.setattr(actions, "confirm", half_done)
    c = make_client(db_path)
    r = c.post("/api/curate/confirm", json={"target": entry_for(conn, "art-vid-1")},
               headers={"origin": ORIGIN, "x-csrf-token": token_of(c)})
    assert r.status_code == 422 and "refused after writing" in r.json()["detail"]
    conn.execute("PRAGMA busy_timeout=0")  # a lock left behind fails at once rather than after 30 s
    conn.execute("UPDATE timeline SET status = status")  # another writer is not locked out
    conn.commit()
    assert conn.execute("SELECT count(*) FROM timeline WHERE location = 'half-done'").fetchone()[0] == 0
