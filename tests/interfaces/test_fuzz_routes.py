"""Fuzzing every route: no input may produce a 5xx, and every answer carries the security headers.

Every GET route of ``/openapi.json`` and every HTML page route (read from the app, so routes added
later are fuzzed too) gets random strings, huge integers, impossible dates, FTS5 syntax and path
traversal in its path and query parameters, in random combinations (Hypothesis) and in a sweep
where each parameter alone takes each sharp value (a combination often stops at its first bad
value, which would hide the next). The curation POSTs of ``/openapi.json`` and the curation form
handlers get random and well-formed bodies with curation switched on (loopback, Origin and token
sent), over private copies of the fixture store. Hypothesis runs derandomized (a fixed example
sequence) with a modest number of examples per route: tens of seconds, and the same run every time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summitwatch.api import create_app
from summitwatch.web.curate import register_curation

try:  # newer FastAPI keeps included routers nested in app.routes; this walks them
    from fastapi.routing import iter_route_contexts
except ImportError:  # older FastAPI: app.routes is flat already
    iter_route_contexts = None

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TRAVERSAL = [
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/etc/passwd",
    "%2e%2e%2f",
    "....//....//etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "%00",
    "%ff%fe",
]
HUGE_INTS = [
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "9" * 400,
    "-1",
    "0",
    "1e3",
    "0x10",
    "1_000",
    "٣",
    "NaN",
    "inf",
]
DATES = ["2021-02-30", "2021-02-29", "2020-02-29", "2021-13", "2021-00-10", "0000", "9999-99-99", "2021-2-3",
         "2021-11-16T00:00:00", "20211116", "2021/11/16", "-2021"]
FTS = ['"', '""', "*", "NEAR(", "NEAR(a b", "NEAR(習近平 拜登, 5)", "-", "- -", "AND OR", "OR", "NOT", "AND",
       "習近平 NOT", '"習近平', "title:x", "^x", "(a OR", "a*", "{a b}:c", "'; DROP TABLE articles; --",
       "習近平 -拜登", "-習近平", '"" AND ""', "* OR *", "a + b", "\\"]
ODD = ["", " ", "\x00", "\t\n", "<script>alert(1)</script>", "javascript:alert(1)", "\u202e\u200b", "😀" * 5,
       "true", "null", "[]", "{}", "%", "%%", "?", "#", "&", "=", "a" * 3000, "習近平", "习近平"]

#: The sweep's values: each class at its sharpest, tried in every parameter alone.
SHARP = ["9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999",
         "9" * 400, "-1", "2021-02-30", "2021-13", "0000", "2021-2-3", "9999-12-31", '"', "*", "NEAR(", "-",
         "AND OR", '"習近平', "(a OR", "^x", "../../etc/passwd", "%2e%2e/", "%00", "\x00", "", "a" * 3000,
         "<script>alert(1)</script>", "😀", "null"]

# text Hypothesis may invent: every plane but lone surrogates (not encodable in a URL)
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUES = st.one_of(
    st.sampled_from(TRAVERSAL + HUGE_INTS + DATES + FTS + ODD),
    _TEXT,
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.tuples(st.dates(), st.sampled_from([4, 7, 10])).map(lambda t: t[0].isoformat()[: t[1]]),
)


def _collect_params(dependant: Any) -> tuple[list[str], list[str]]:
    """Query and path parameter names of a route, its sub-dependencies' included."""
    query = [p.name for p in dependant.query_params]
    path = [p.name for p in dependant.path_params]
    for sub in dependant.dependencies:
        q, p = _collect_params(sub)
        query += q
        path += p
    return query, path


def page_routes(app: Any, method: str = "GET") -> list[tuple[str, list[str], list[str]]]:
    """Routes left out of /openapi.json (the HTML pages and form handlers) for ``method``:
    (path, query names, path names)."""
    if iter_route_contexts is not None:
        found = [(ctx.path, ctx.original_route) for ctx in iter_route_contexts(app.routes)]
    else:
        found = [(r.path, r) for r in app.routes]
    out = []
    for path, route in found:
        if isinstance(route, APIRoute) and not route.include_in_schema and method in route.methods:
            out.append((path, *_collect_params(route.dependant)))
    return sorted(set((p, tuple(q), tuple(a)) for p, q, a in out))  # type: ignore[arg-type]


def api_routes(openapi: dict[str, Any], method: str) -> list[tuple[str, list[str], list[str]]]:
    """Routes of the OpenAPI document for ``method``: (path, query names, path names)."""
    out = []
    for path, ops in openapi["paths"].items():
        op = ops.get(method)
        if op is None:
            continue
        params = op.get("parameters", [])
        out.append((path, [p["name"] for p in params if p["in"] == "query"],
                    [p["name"] for p in params if p["in"] == "path"]))
    return sorted(out)


# the route lists are read from an app at collection time (no database is opened to list routes)
_PROBE = create_app(Path("unused.db"), allow_hosts=["testserver"])
_OPENAPI = _PROBE.openapi()
GET_ROUTES = api_routes(_OPENAPI, "get") + page_routes(_PROBE)
POST_ROUTES = api_routes(_OPENAPI, "post")
FORM_ROUTES = page_routes(_PROBE, "POST")


def assert_answer_ok(r: Any) -> None:
    assert r.status_code < 500, (r.request.url, r.status_code, r.text[:500])
    assert "default-src 'self'" in r.headers.get("content-security-policy", ""), r.request.url
    assert r.headers.get("x-content-type-options") == "nosniff"


def build_url(path: str, path_names: list[str] | tuple[str, ...], values: dict[str, tuple[str, bool]]) -> str:
    """``path`` with each ``{name}`` filled: percent-encoded, or raw when the value is a traversal
    attempt (so ``../`` and ``%2e%2e`` reach the router as such)."""
    url = path
    for name in path_names:
        value, raw = values[name]
        url = url.replace("{" + name + "}", value if raw else quote(value, safe=""))
    return url


@st.composite
def path_values(draw: st.DrawFn, names: list[str] | tuple[str, ...]) -> dict[str, tuple[str, bool]]:
    out = {}
    for name in names:
        if draw(st.booleans()):
            out[name] = (draw(st.sampled_from(TRAVERSAL)), True)
        else:
            value = draw(VALUES)
            out[name] = (value or "x", False)
    return out


@st.composite
def query_values(draw: st.DrawFn, names: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = [(name, draw(VALUES)) for name in names if draw(st.integers(0, 3)) == 0]
    if names and draw(st.integers(0, 4)) == 0:  # a repeated parameter
        pairs.append((names[0], draw(VALUES)))
    if draw(st.integers(0, 4)) == 0:  # an unknown one
        pairs.append((draw(st.sampled_from(["x", "script", "__proto__", "q[]"])), draw(VALUES)))
    return pairs


@pytest.fixture(scope="module")
def reader(iface_db: Path) -> TestClient:
    return TestClient(create_app(iface_db, allow_hosts=["testserver"]), raise_server_exceptions=False)


@pytest.mark.parametrize(("path", "query_names", "path_names"), GET_ROUTES, ids=[r[0] for r in GET_ROUTES])
def test_get_routes_never_answer_5xx(
    reader: TestClient, path: str, query_names: list[str], path_names: list[str]
) -> None:
    @FUZZ
    @given(st.data())
    def run(data: st.DataObject) -> None:
        url = build_url(path, path_names, data.draw(path_values(path_names)))
        r = reader.get(url, params=data.draw(query_values(query_names)))
        assert_answer_ok(r)

    run()


@pytest.mark.parametrize(("path", "query_names", "path_names"), GET_ROUTES, ids=[r[0] for r in GET_ROUTES])
def test_each_parameter_alone_takes_every_sharp_value(
    reader: TestClient, path: str, query_names: list[str], path_names: list[str]
) -> None:
    """A sweep next to the random combinations: one bad value masks another (the first gives a 422),
    so each parameter gets each sharp value with everything else valid or absent."""
    plain = {name: ("tl-2021-biden-xi", False) for name in path_names}
    for name in query_names:
        for value in SHARP:
            assert_answer_ok(reader.get(build_url(path, path_names, plain), params={name: value}))
    for name in path_names:
        for value in SHARP:
            raw = value in TRAVERSAL or value.startswith("%")
            assert_answer_ok(reader.get(build_url(path, path_names, {**plain, name: (value or "x", raw)})))


def test_static_files_refuse_traversal(reader: TestClient) -> None:
    for value in TRAVERSAL + ["style.css/../../../etc/passwd", "%2e%2e", ".", ""]:
        r = reader.get("/static/" + value)
        assert_answer_ok(r)
        assert "root:" not in r.text


# --------------------------------------------------------------------------- curation POSTs
ORIGIN = "http://127.0.0.1:8000"
TARGETS = ["tl-2021-biden-xi", "tl-2019-osaka", "a-biden-xi-video:0", "a-hostile:0", "a-blinken-wangyi:1",
           "e-nope", "a-nope:0", "a-biden-xi-video:99999999999999999999", ":", "", "../../etc/passwd"]
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.sampled_from(TARGETS + DATES + HUGE_INTS + FTS[:6] + ["in_person", "phone", "held", "planned",
                                                                 "date", "location", "us", "cn"]),
        _TEXT,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=2),
    max_leaves=6,
)


ENTRIES = ["tl-2021-biden-xi", "tl-2019-osaka", "tl-2017-trump-xi", "tl-2023-blinken-wang", "e-nope"]
RECORDS = ["a-biden-xi-video:0", "a-hostile:0", "a-blinken-wangyi:1", "a-trump-xi-call:0", "a-nope:0"]
#: Well-formed values per body field, so that many requests get past validation into the actions.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "target": st.sampled_from(ENTRIES + RECORDS),
    "survivor": st.sampled_from(ENTRIES),
    "entry": st.sampled_from(ENTRIES),
    "record": st.sampled_from(RECORDS),
    "others": st.lists(st.sampled_from(ENTRIES), min_size=1, max_size=2),
    "records": st.lists(st.sampled_from(RECORDS), min_size=1, max_size=2),
    "articles": st.lists(st.sampled_from([r.split(":")[0] for r in RECORDS]), min_size=1, max_size=2),
    "evidence": st.lists(st.sampled_from(["國家主席習近平今早（16日）與美國總統拜登舉行視像會議，外界稱之為拜習會。",
                                          "习近平随后也会见了布林肯。", "not in any article"]), min_size=1, max_size=2),
    "us": st.lists(st.sampled_from(["Joe Biden", "Donald Trump", "Nobody"]), min_size=1, max_size=2),
    "cn": st.lists(st.sampled_from(["Xi Jinping", "Wang Yi", "習近平"]), min_size=1, max_size=2),
    "field": st.sampled_from(["us", "cn", "modality", "date", "date_end", "location", "status", "focus"]),
    "value": st.one_of(st.sampled_from(DATES + ["video", "held", "Geneva", "Joe Biden"]), st.booleans(),
                       st.lists(st.sampled_from(["Joe Biden", "Xi Jinping"]), max_size=2), st.none()),
    "modality": st.sampled_from(["in_person", "phone", "video"]),
    "status": st.sampled_from(["held", "planned", "cancelled"]),
    "date": st.sampled_from(DATES + ["2021-11-16"]),
    "id": st.integers(min_value=-3, max_value=12),
}


#: A well-formed value per body field: the sweep varies one field at a time from these.
BASE: dict[str, Any] = {
    "target": "tl-2021-biden-xi", "note": "", "field": "location", "value": "Geneva",
    "survivor": "tl-2021-biden-xi", "others": ["tl-2017-trump-xi"], "entry": "tl-2021-biden-xi",
    "records": ["a-biden-xi-video:0"], "record": "a-biden-xi-video:0", "articles": ["a-biden-xi-video"],
    "evidence": ["國家主席習近平今早（16日）與美國總統拜登舉行視像會議，外界稱之為拜習會。"], "us": ["Joe Biden"],
    "cn": ["Xi Jinping"], "modality": "video", "status": "held", "date": "2021-11-16", "date_end": None,
    "location": None, "focus": True, "id": 1,
}
SHARP_JSON: list[Any] = [2**63, -(2**63) - 1, 10**23, -1, 0, "9" * 400, "2021-02-30", "", None, [], {}, [None],
                         ["../../etc/passwd"], '"', "NEAR(", True, 1.5e308, "a" * 3000]


def live_base(c: TestClient) -> dict[str, Any]:
    """``BASE`` with ids that exist now: curation writes rebuild the timeline, and its ids follow."""
    base = dict(BASE)
    items = c.get("/api/timeline", params={"limit": 2}).json()["items"]
    if items:
        entry = items[0]["id"]
        records = c.get(f"/api/engagements/{quote(entry, safe='')}").json()["records"]
        refs = [f"{r['article']['id']}:{r['seq']}" for r in records]
        base.update(target=entry, survivor=entry, entry=entry, record=refs[0], records=refs[:1],
                    articles=[records[0]["article"]["id"]])
        if len(items) > 1:
            base["others"] = [items[1]["id"]]
    return base


def body_fields(path: str) -> list[str]:
    """Property names of the route's JSON body in the OpenAPI document."""
    schema = _OPENAPI["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    return list(_OPENAPI["components"]["schemas"][name]["properties"])


def writable_copy(iface_db: Path, to: Path) -> Path:
    """A private copy of the fixture store that curation may write."""
    src = sqlite3.connect(f"file:{iface_db}?mode=ro", uri=True)
    dst = sqlite3.connect(to)
    src.backup(dst)
    src.close()
    dst.close()
    return to


def curating_client(db: Path) -> TestClient:
    """Curation on, as the analyst's browser: loopback, this origin, the token."""
    app = create_app(db)
    register_curation(app, user="fuzz", bind_host="127.0.0.1")
    c = TestClient(app, base_url=ORIGIN, client=("127.0.0.1", 50000), raise_server_exceptions=False)
    token = c.get("/api/curate/status").json()["csrf_token"]
    assert token
    c.headers.update({"origin": ORIGIN, "x-csrf-token": token})
    return c


@pytest.fixture(scope="module")
def curator(iface_db: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """For the JSON routes (which may well reject or merge every entry by the end)."""
    return curating_client(writable_copy(iface_db, tmp_path_factory.mktemp("fuzz") / "json.db"))


@pytest.fixture(scope="module")
def form_curator(iface_db: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """For the form handlers, over a copy of its own."""
    return curating_client(writable_copy(iface_db, tmp_path_factory.mktemp("fuzz") / "forms.db"))


@pytest.mark.parametrize(("path", "query_names", "path_names"), POST_ROUTES, ids=[r[0] for r in POST_ROUTES])
def test_curation_posts_never_answer_5xx(
    curator: TestClient, path: str, query_names: list[str], path_names: list[str]
) -> None:
    fields = body_fields(path)
    seen: set[int] = set()

    @FUZZ
    @given(st.data())
    def run(data: st.DataObject) -> None:
        body = {
            f: data.draw(PLAUSIBLE.get(f, JSON_VALUES) if data.draw(st.booleans()) else JSON_VALUES)
            for f in fields
            if data.draw(st.integers(0, 5)) > 0
        }
        r = curator.post(path, json=body)
        assert_answer_ok(r)
        seen.add(r.status_code)

    run()
    for field in fields:  # the sweep: each field alone takes each sharp value
        for value in SHARP_JSON:
            base = live_base(curator)
            r = curator.post(path, json={**{f: base.get(f) for f in fields}, field: value})
            assert_answer_ok(r)
            seen.add(r.status_code)
    assert seen - {403}, "every request was refused by the origin/token check: the fuzzing reached nothing"


#: Fewer values for the form handlers: a post that gets through writes a correction, and each write
#: re-applies all of them.
FORM_SHARP = ["9223372036854775808", "-1", "2021-02-30", "", "\x00", '"', "NEAR(", "../../etc/passwd", "%2e%2e/",
              "a" * 3000, "😀"]


@pytest.mark.parametrize(("path", "query_names", "path_names"), FORM_ROUTES, ids=[r[0] for r in FORM_ROUTES])
def test_curation_forms_never_answer_5xx(
    form_curator: TestClient, path: str, query_names: list[str], path_names: list[str]
) -> None:
    """The HTML form handlers: each path parameter and form field alone takes each sharp value (the
    form carries the page token, so the requests reach the actions)."""
    token = form_curator.headers["x-csrf-token"]
    form = {"csrf": token, "note": "", "field": "location", "value": "Geneva"}
    seen: set[int] = set()

    def live_path_values() -> dict[str, tuple[str, bool]]:
        ids = live_base(form_curator)
        article_id, seq = ids["record"].rsplit(":", 1)
        plain = {"entry_id": ids["target"], "article_id": article_id, "seq": seq, "action": "confirm"}
        return {n: (plain.get(n, "x"), False) for n in path_names}

    for name in path_names:
        for value in FORM_SHARP + ["set", "reject"]:
            base = live_path_values()
            raw = value in TRAVERSAL or value.startswith("%")
            url = build_url(path, path_names, {**base, name: (value or "x", raw)})
            r = form_curator.post(url, data=form, follow_redirects=False)
            assert_answer_ok(r)
            seen.add(r.status_code)
    for field, action in (("note", "confirm"), ("field", "set"), ("value", "set")):
        for value in FORM_SHARP:
            base = live_path_values()
            url = build_url(path, path_names, {**base, "action": (action, False)})
            r = form_curator.post(url, data={**form, field: value}, follow_redirects=False)
            assert_answer_ok(r)
            seen.add(r.status_code)
    assert 303 in seen, "no form post got through to an action"
