"""The server as an outsider meets it: bad parameters, headers, the Host allowlist, a read-only store,
and what ``serve`` says on an open bind (issue 13, "The server")."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient
from httpx import Response

from summitwatch.api import create_app
from summitwatch.cli import main
from summitwatch.store.db import SCHEMA_VERSION
from summitwatch.web.params import MAX_INT, check_date, form_int
from summitwatch.web.security import allowed_hosts, host_pattern

TEST_HOST = ["testserver"]


@pytest.fixture(scope="module")
def client(iface_db: Path) -> TestClient:
    return TestClient(create_app(iface_db, allow_hosts=TEST_HOST), raise_server_exceptions=False)


def assert_secured(r: Response) -> None:
    """The headers every response must carry, whatever its status."""
    csp = r.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"


def db_state(path: Path) -> tuple[str, int]:
    """The database file's bytes (hashed) and how much its WAL holds: any write changes one."""
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes()).hexdigest(), wal.stat().st_size if wal.exists() else 0


def without_search_index(db: Path) -> Path:
    """``db`` as an ingest that wrote no search index leaves it, whatever the fixture built."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table' AND name LIKE 'search%'").fetchall()
    virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    for name in virtual + [n for n, _ in rows if n not in virtual]:  # FTS shadow tables go with theirs
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    conn.execute("DELETE FROM meta WHERE key LIKE 'search%'")
    conn.commit()
    conn.close()
    return db


# --------------------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "url",
    [
        "/api/articles?offset=9223372036854775808",
        "/api/timeline?offset=99999999999999999999999",
        "/api/people?offset=9223372036854775808",
        "/api/search?q=x&offset=99999999999999999999999",
        "/api/articles?limit=99999999999999999999999",
        "/api/articles?since=2021-02-30",
        "/api/articles?until=2021-02-29",
        "/api/timeline?until=2021-13",
        "/api/timeline?since=2021-00",
        "/api/search?q=x&since=0000",
        "/api/articles?since=2021-1-5",
    ],
)
def test_bad_parameters_are_json_422_never_500(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/json") and r.json()["detail"]
    assert_secured(r)


@pytest.mark.parametrize(
    "url",
    [
        "/?since=2021-02-30",
        "/?until=2021-13-01",
        "/articles?until=2021-02-30",
        "/articles?offset=9223372036854775808",
        "/articles?offset=99999999999999999999999",
        "/articles?offset=1e3",
        "/search?q=x&since=2021-02-30",
        "/corpus?qoffset=99999999999999999999999",
    ],
)
def test_bad_parameters_on_pages_are_the_html_422(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("text/html") and "<h1>422</h1>" in r.text
    assert_secured(r)


@pytest.mark.parametrize("since", ["2021", "2021-11", "2021-11-16", "2020-02-29"])
def test_every_date_form_stays_valid(client: TestClient, since: str) -> None:
    for url in ("/api/articles", "/api/timeline", "/", "/articles"):
        assert client.get(url, params={"since": since, "until": since}).status_code == 200, (url, since)
    assert client.get("/api/search", params={"q": "習近平", "since": since}).status_code == 200


def test_the_largest_64_bit_offset_is_an_empty_page(client: TestClient) -> None:
    for url in ("/api/articles", "/api/timeline", "/api/people"):
        r = client.get(url, params={"offset": MAX_INT})
        assert r.status_code == 200 and r.json()["items"] == [], url
    r = client.get("/api/search", params={"q": "習近平", "offset": MAX_INT})
    assert r.status_code == 200 and r.json()["hits"] == [] and r.json()["total"] == 4
    assert client.get("/articles", params={"offset": MAX_INT}).status_code == 200


def test_shared_validators() -> None:
    assert check_date("2024-02-29") == "2024-02-29" and check_date("1999") == "1999"
    for bad in ("2023-02-29", "2021-04-31", "2021-13", "0000", "21-01-01", "2021-01-01T00:00", " 2021"):
        with pytest.raises(ValueError):
            check_date(bad)
    assert form_int("", 7, 0, 10) == 7 and form_int("-5", 0, 0, 10) == 0 and form_int("99", 0, 0, 10) == 10
    assert form_int(str(MAX_INT), 0, 0, 10) == 10
    for bad in (str(MAX_INT + 1), "1_000", "٣", "1e3", "9" * 5000):
        with pytest.raises(Exception) as exc:
            form_int(bad, 0, 0, 10)
        assert getattr(exc.value, "status_code", None) == 422


# --------------------------------------------------------------------------- headers
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/stats", 200),
        ("/api/nothing-here", 404),
        ("/api/articles/nope", 404),
        ("/api/articles?limit=0", 422),
        ("/openapi.json", 200),
        ("/", 200),
        ("/no/such/page", 404),
        ("/articles/nope", 404),
        ("/?since=soon", 422),
        ("/static/style.css", 200),
        ("/static/nope.css", 404),
        ("/static/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/api/curate/status", 200),
    ],
)
def test_every_response_carries_the_security_headers(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert_secured(r)
    cache = r.headers.get("cache-control", "")
    if url.startswith(("/api", "/openapi")):
        assert cache == "no-store"
    elif url.startswith("/static/") and status == 200:
        assert "max-age=" in cache and "no-store" not in cache


def test_method_not_allowed_and_form_posts_carry_headers(client: TestClient) -> None:
    r = client.post("/api/stats")
    assert r.status_code == 405
    assert_secured(r)
    r = client.post("/curate/engagements/tl-2021-biden-xi/confirm", data={"csrf": "x"})
    assert r.status_code == 403 and r.headers["cache-control"] == "no-store"
    assert_secured(r)


def test_an_unhandled_error_is_a_generic_500_with_the_headers(iface_db: Path) -> None:
    app = create_app(iface_db, allow_hosts=TEST_HOST)

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/api/boom", boom)
    app.add_api_route("/boom", boom)
    c = TestClient(app, raise_server_exceptions=False)
    r = c.get("/api/boom")
    assert r.status_code == 500 and r.json() == {"detail": "internal server error"}
    assert r.headers["cache-control"] == "no-store"
    assert_secured(r)
    r = c.get("/boom")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "secret internals" not in r.text
    assert_secured(r)


# --------------------------------------------------------------------------- Host allowlist
def test_default_allowlist_is_loopback_plus_the_bound_host(iface_db: Path) -> None:
    c = TestClient(create_app(iface_db))  # no test host: the client's "testserver" is foreign
    r = c.get("/api/stats")
    assert r.status_code == 400
    assert_secured(r)
    for host in ("localhost", "localhost:8000", "LOCALHOST:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000"):
        assert c.get("/api/stats", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example",
                 "[::2]:8000", "0.0.0.0:8000", "192.168.1.5:8000"):
        r = c.get("/", headers={"host": host})
        assert r.status_code == 400, host
        assert_secured(r)
    bound = TestClient(create_app(iface_db, bind_host="192.168.1.5"))
    assert bound.get("/api/stats", headers={"host": "192.168.1.5:8000"}).status_code == 200
    assert bound.get("/api/stats", headers={"host": "evil.example"}).status_code == 400
    named = TestClient(create_app(iface_db, bind_host="0.0.0.0", allow_hosts=["mybox.lan", "*.corp.example"]))
    assert named.get("/api/stats", headers={"host": "mybox.lan:8000"}).status_code == 200
    assert named.get("/api/stats", headers={"host": "a.corp.example"}).status_code == 200
    assert named.get("/api/stats", headers={"host": "0.0.0.0:8000"}).status_code == 400


def test_allowlist_names_are_checked() -> None:
    assert allowed_hosts("::1", ["MyBox.lan", "fe80::1"]) == [
        "localhost", "127.0.0.1", "[::1]", "[0:0:0:0:0:0:0:1]", "mybox.lan", "[fe80::1]"]
    assert "0.0.0.0" not in allowed_hosts("0.0.0.0") and "[::]" not in allowed_hosts("::")
    for bad in ("*", "", "box.lan:8000", "bad host", "[zz::1]", "*."):
        with pytest.raises(ValueError):
            host_pattern(bad)


# --------------------------------------------------------------------------- read-only store
def test_serving_never_writes_the_store(fresh_db: Path) -> None:
    """Every page and API route, search included, on a store without a search index: the file is
    byte-identical afterwards, and search answers 503 about the index instead of building one."""
    db = without_search_index(fresh_db)
    before = db_state(db)
    c = TestClient(create_app(db, allow_hosts=TEST_HOST))
    for url in ("/", "/people", "/people/Xi%20Jinping", "/articles", "/articles/a-hostile",
                "/engagements/tl-2021-biden-xi", "/corpus", "/search", "/api/stats", "/api/timeline",
                "/api/articles", "/api/people", "/api/curate/status", "/api/curate/corrections"):
        assert c.get(url).status_code == 200, url
    r = c.get("/api/search", params={"q": "習近平"})
    assert r.status_code == 503 and "index" in r.json()["detail"]
    assert_secured(r)
    r = c.get("/search", params={"q": "習近平"})
    assert r.status_code == 503 and "index" in r.text and r.headers["content-type"].startswith("text/html")
    assert db_state(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'search%'").fetchone() is None
    conn.close()


def test_read_connections_cannot_write(iface_db: Path) -> None:
    app = create_app(iface_db, allow_hosts=TEST_HOST)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        app.state.pool.get().execute("DELETE FROM articles")


# --------------------------------------------------------------------------- the serve command
@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """``uvicorn.run`` replaced by a recorder: ``serve`` runs to the point of serving, then returns."""
    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.delenv("SUMMITWATCH_USER", raising=False)
    return seen


def test_serve_on_loopback_opens_read_only_and_says_search_needs_an_index(
    fresh_db: Path, served: dict[str, object]
) -> None:
    db = without_search_index(fresh_db)
    before = db_state(db)
    out = CliRunner().invoke(main, ["serve", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "search is unavailable" in out.stderr and "never writes" in out.stderr
    assert "WARNING" not in out.stderr
    assert served["host"] == "127.0.0.1"
    assert db_state(db) == before  # the old serve built the search index here


def test_serve_on_an_open_bind_warns(iface_db: Path, served: dict[str, object]) -> None:
    out = CliRunner().invoke(main, ["serve", "--db", str(iface_db), "--host", "0.0.0.0", "--curate-user", "ann",
                                    "--allow-host", "mybox.lan", "--allow-host", "10.0.0.7"])
    assert out.exit_code == 0, out.output
    warning = out.stderr
    assert "WARNING" in warning and "0.0.0.0" in warning
    assert "read API" in warning and "unauthenticated" in warning
    assert "--curate-user ann is ignored" in warning and "OFF" in warning and "loopback" in warning
    assert "--allow-host" in warning and "mybox.lan" in warning and "10.0.0.7" in warning
    app = served["app"]
    remote = TestClient(app, base_url="http://mybox.lan:8000", client=("10.0.0.9", 5000))  # type: ignore[arg-type]
    assert remote.get("/api/stats").status_code == 200
    assert remote.get("/api/curate/status").json()["enabled"] is False
    assert remote.get("/api/stats", headers={"host": "evil.example"}).status_code == 400


def test_serve_refuses_a_bad_allow_host_and_an_old_schema(fresh_db: Path, served: dict[str, object]) -> None:
    db = fresh_db
    out = CliRunner().invoke(main, ["serve", "--db", str(db), "--allow-host", "*"])
    assert out.exit_code == 2 and "every Host" in out.output
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.close()
    out = CliRunner().invoke(main, ["serve", "--db", str(db)])
    assert out.exit_code != 0 and "read-only" in out.output and "app" not in served
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))
        conn.execute("DROP TABLE quarantine")  # a table of this version missing from an older file
    conn.close()
    out = CliRunner().invoke(main, ["serve", "--db", str(db)])
    assert out.exit_code != 0 and "without table(s) quarantine" in out.output and "app" not in served
