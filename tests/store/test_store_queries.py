"""Article queries and stats on the seed store, through the library and the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from summitwatch.cli import main
from summitwatch.model import ArticleSummary
from summitwatch.store.query import articles as q
from summitwatch.store.query.articles import AmbiguousRef, get_article, resolve_ref
from summitwatch.store.query.filters import Filters, check_day
from summitwatch.store.query.stats import corpus_stats


def list_articles(conn: sqlite3.Connection, limit: int | None = 50, **filters: object) -> list[ArticleSummary]:
    """The listing's rows under ``filters`` (keyword names of :class:`Filters`)."""
    return list(q.list_articles(conn, Filters(**filters), limit=limit).items)  # type: ignore[arg-type]


@pytest.fixture
def conn(seeds_db: Path) -> sqlite3.Connection:
    c = sqlite3.connect(seeds_db)
    c.row_factory = sqlite3.Row
    return c


def test_resolve_by_id_prefix_source_and_number(conn: sqlite3.Connection) -> None:
    aid = resolve_ref(conn, "47751")
    assert aid is not None
    assert resolve_ref(conn, aid) == aid
    assert resolve_ref(conn, aid[:6]) == aid
    assert resolve_ref(conn, "000_bbaef8e750e56c0e.txt") == aid
    assert resolve_ref(conn, "no-such-thing") is None
    detail = get_article(conn, aid)
    assert detail is not None
    a = detail.article
    assert a.site_article_no == "47751" and a.published_date == "2021-11-16"


def test_ambiguous_prefix_and_number(tmp_path: Path) -> None:
    from summitwatch.store.db import connect

    c = connect(tmp_path / "amb.db")
    for aid in ("abcd1111", "abcd2222"):
        c.execute(
            "INSERT INTO articles(id, content_hash, source, blocks, site_article_no) VALUES(?, 'h', ?, '[]', '7')",
            (aid, aid + ".md"),
        )
    c.commit()
    with pytest.raises(AmbiguousRef) as exc:
        resolve_ref(c, "abcd")
    assert exc.value.candidates == ["abcd1111", "abcd2222"]
    with pytest.raises(AmbiguousRef):
        resolve_ref(c, "7")
    assert resolve_ref(c, "abcd2") == "abcd2222"


def test_list_filters(conn: sqlite3.Connection) -> None:
    allrows = list_articles(conn, limit=None)
    assert len(allrows) == 5
    assert [r.published for r in allrows] == sorted((r.published for r in allrows), reverse=True)
    hk = list_articles(conn, outlet="眾新聞")
    assert len(hk) == 3 and all(r.outlet == "眾新聞" for r in hk)
    assert len(list_articles(conn, outlet="Citizen News")) == 3
    assert [r.site_article_no for r in list_articles(conn, outlet="眾新聞", since="2021-03-01")] == [
        "47751",
        "39492",
    ]
    assert len(list_articles(conn, until="2021")) == 4
    assert len(list_articles(conn, limit=2)) == 2
    for bad in ("last week", "2021-13", "2021-02-30"):  # the one date rule every interface checks with
        with pytest.raises(ValueError):
            check_day(bad)


def test_stats_contract(conn: sqlite3.Connection) -> None:
    st = corpus_stats(conn).to_dict()
    for k in ("files", "sources", "articles", "quarantined"):
        assert isinstance(st[k], int)
    assert st["files"] == st["sources"] + st["quarantined"] == 5
    assert st["articles"] == 5
    assert st["by_outlet"]["眾新聞"] == 3
    assert st["by_year"] == {"2021": 4, "2023": 1}
    assert {"quarantine_reasons", "duplicate_groups_detail", "flags", "languages"} <= set(st)


def test_cli_articles_show_stats(seeds_db: Path) -> None:
    r = CliRunner()
    db = str(seeds_db)
    out = r.invoke(main, ["articles", "--db", db, "--outlet", "眾新聞", "--since", "2021-01-01", "--json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert len(rows) == 3 and rows[0]["site_article_no"] == "47751"
    table = r.invoke(main, ["articles", "--db", db])
    assert table.exit_code == 0 and "5 articles" in table.output
    shown = r.invoke(main, ["show", "--db", db, "47751"])
    assert shown.exit_code == 0, shown.output
    assert "中美元首視像會晤" in shown.output and "Citizen News" in shown.output
    assert "請加入成為眾新聞的月費訂戶" not in shown.output
    assert r.invoke(main, ["show", "--db", db, "000_bbaef8e750e56c0e.txt"]).output == shown.output
    missing = r.invoke(main, ["show", "--db", db, "nothing-like-this"])
    assert missing.exit_code != 0 and "no article" in missing.output
    st = r.invoke(main, ["stats", "--db", db, "--json"])
    d = json.loads(st.output)
    assert d["files"] == d["sources"] + d["quarantined"]
    assert r.invoke(main, ["stats", "--db", str(Path(db).parent / "absent.db")]).exit_code != 0


def test_article_where_builds_one_rule_for_any_table() -> None:
    """The article filters render on another table holding the same columns (the search index's)."""
    from summitwatch.store.query.filters import article_where

    w = article_where(
        Filters(outlet="Citizen News", since="2021", until="2021-03", has_engagement=True),
        "d",
        id_column="article_id",
        day_column="day",
    )
    assert w.sql().startswith(" WHERE (d.outlet = ? OR lower(d.outlet_en) = lower(?)) AND d.day >= ? AND d.day <= ?")
    assert "e.article_id = d.article_id" in w.sql()
    assert w.args == ["Citizen News", "Citizen News", "2021", "2021-03-31"]
    assert article_where(Filters()).sql() == ""


def test_list_articles_page_and_date_prefixes(conn: sqlite3.Connection) -> None:
    page = q.list_articles(conn, Filters(until="2021-11"), limit=2)
    assert page.total == len(list_articles(conn, limit=None, until="2021-11-30")) and len(page.items) == 2
    assert all((r.published or "")[:7] <= "2021-11" for r in page.items)
    assert page.to_dict()["items"][0].keys() >= {"id", "url", "engagements", "site_article_no", "n_sources"}
