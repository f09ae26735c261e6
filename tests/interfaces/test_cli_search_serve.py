"""``summitwatch search`` and ``summitwatch serve`` commands, and the full dev corpus when available."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from summitwatch.api import create_app
from summitwatch.cli import main
from summitwatch.store.index import index_problem, update_search_index


def test_search_json_equals_api(fresh_db: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["search", "習近平", "--db", str(fresh_db), "--json", "--limit", "3"])
    assert out.exit_code == 0, out.output
    cli = json.loads(out.output)
    api = TestClient(create_app(fresh_db)).get("/api/search", params={"q": "習近平", "limit": 3}).json()
    assert cli == api
    assert cli["total"] == 4 and len(cli["hits"]) == 3
    assert "<mark>" in cli["hits"][0]["snippet"] and "engagements" in cli["hits"][0]


def test_search_sort_by_date_cli_and_api(fresh_db: Path) -> None:
    out = CliRunner().invoke(main, ["search", "習近平", "--db", str(fresh_db), "--json", "--sort", "date"])
    assert out.exit_code == 0, out.output
    cli = json.loads(out.output)
    days = [h["published"][:10] for h in cli["hits"]]
    assert cli["sort"] == "date" and days == sorted(days, reverse=True) and len(days) == 4
    client = TestClient(create_app(fresh_db))
    api = client.get("/api/search", params={"q": "習近平", "sort": "date"}).json()
    assert api == cli
    assert client.get("/api/search", params={"q": "習近平", "sort": "views"}).status_code == 422
    assert client.get("/search", params={"q": "習近平", "sort": "date"}).status_code == 200
    assert client.get("/search", params={"q": "習近平", "sort": "views"}).status_code == 422
    text = CliRunner().invoke(main, ["search", "王毅", "--db", str(fresh_db)]).output
    assert "people: " in text and "Wang Yi" in text and "engagements: tl-2023-blinken-wang" in text


def test_search_without_index_says_what_to_run(bare_db: Path) -> None:
    out = CliRunner().invoke(main, ["search", "王毅", "--db", str(bare_db)])
    assert out.exit_code != 0 and "summitwatch ingest" in out.output
    assert TestClient(create_app(bare_db)).get("/api/search", params={"q": "王毅"}).status_code == 503


def test_search_filters_and_terminal_output(fresh_db: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "search",
            "习近平",
            "--db",
            str(fresh_db),
            "--outlet",
            "联合早报",
            "--since",
            "2023",
            "--until",
            "2023-06",
            "--person",
            "Wang Yi",
            "--has-engagement",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "1 article" in out.output and "王毅在北京会见布林肯" in out.output
    bad = runner.invoke(main, ["search", "x", "--db", str(fresh_db), "--since", "last week"])
    assert bad.exit_code != 0


def test_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "none.db"
    for args in (["search", "x", "--db", str(missing)], ["serve", "--db", str(missing)]):
        out = runner.invoke(main, args)
        assert out.exit_code != 0 and "no database" in out.output
    assert not missing.exists()


def test_serve_binds_loopback_by_default() -> None:
    out = CliRunner().invoke(main, ["serve", "--help"])
    assert out.exit_code == 0 and "default: 127.0.0.1" in out.output


@pytest.mark.corpus
def test_on_full_dev_corpus(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Every page and the API on the ingested dev corpus (the shared, read-only session fixture);
    cross-script search on a copy (a 1-in-8 sample of its articles, so building the index stays quick
    when ingest has not built it)."""
    try:
        dev_db = request.getfixturevalue("dev_db")
    except pytest.FixtureLookupError:
        pytest.skip("no dev_db fixture in tests/conftest.py")
    client = TestClient(create_app(dev_db))
    for url in ("/", "/corpus", "/people", "/articles", "/api/stats", "/api/people", "/api/timeline"):
        assert client.get(url).status_code == 200, url
    first = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/articles/{first['id']}").status_code == 200
    people = client.get("/api/people", params={"limit": 1}).json()["items"]
    if people:
        assert client.get(f"/people/{people[0]['name']}").status_code == 200
    tl = client.get("/api/timeline", params={"limit": 1}).json()
    if tl["items"]:
        assert client.get(f"/engagements/{tl['items'][0]['id']}").status_code == 200

    copy = tmp_path / "dev-copy.db"
    src = sqlite3.connect(f"file:{dev_db}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    if index_problem(dst):  # an ingest that did not write the index: do it, as ingest's last step would
        dst.execute("DELETE FROM articles WHERE rowid % 8 != 0")
        dst.commit()
        update_search_index(dst)
    dst.close()
    sample = TestClient(create_app(copy))
    trad = sample.get("/api/search", params={"q": "習近平", "limit": 5}).json()
    simp = sample.get("/api/search", params={"q": "习近平", "limit": 5}).json()
    assert trad == simp and trad["total"] > 20
    assert "<mark>" in trad["hits"][0]["snippet"]
    assert sample.get("/api/search", params={"q": "拜登"}).json()["total"] > 3
    assert sample.get("/search", params={"q": "王毅"}).status_code == 200
