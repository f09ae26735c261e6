"""Each curation action through the CLI (click CliRunner)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from curation_helpers import entry_data, entry_for

from summitwatch.cli import main
from summitwatch.store.db import connect


def run(db: Path, *args: str, user: str | None = "ann", ok: bool = True) -> Result:
    argv = ["curate", *args[:1], "--db", str(db), *args[1:]]
    if user and args[0] not in ("list", "export", "import", "withdraw", "apply"):
        argv += ["--user", user]
    result = CliRunner().invoke(main, argv)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def ro(db_path: Path) -> sqlite3.Connection:
    return connect(db_path)


def test_cli_confirm_reject_set(db_path: Path, ro: sqlite3.Connection) -> None:
    vid, osaka = entry_for(ro, "art-vid-1"), entry_for(ro, "art-osaka")
    out = run(db_path, "confirm", vid, "--note", "checked").output
    assert "confirm" in out and "applied" in out
    run(db_path, "set", vid, "date", "2021-11-15")
    run(db_path, "set", "art-vid-1:0", "location", "null")
    run(db_path, "reject", osaka, "--note", "not this one")
    e = entry_data(ro, vid)
    assert e is not None and e["date"] == "2021-11-15" and e["data"]["curation"]["confirmed"]
    assert entry_data(ro, osaka) is None
    listed = [json.loads(x) for x in run(db_path, "list", "--json").output.splitlines()]
    assert [x["action"] for x in listed] == ["confirm", "set", "set", "reject"]
    assert all(x["user"] == "ann" and x["state"] == "applied" for x in listed)
    table = run(db_path, "list").output
    assert "date=\"2021-11-15\"" in table and "rejected" in table


def test_cli_user_from_environment_and_missing(db_path: Path, ro: sqlite3.Connection,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    vid = entry_for(ro, "art-vid-1")
    bad = run(db_path, "confirm", vid, user=None, ok=False)
    assert bad.exit_code != 0 and "user" in bad.output
    monkeypatch.setenv("SUMMITWATCH_USER", "carol")
    run(db_path, "confirm", vid, user=None)
    assert json.loads(run(db_path, "list", "--json").output)["user"] == "carol"


def test_cli_errors_are_clear(db_path: Path) -> None:
    r = run(db_path, "set", "e-nothere", "date", "2020-01-01", ok=False)
    assert r.exit_code != 0 and "no timeline entry or record" in r.output
    r = run(db_path, "confirm", "e-x", "--db", str(db_path.with_name("missing.db")), ok=False)
    assert r.exit_code != 0


def test_cli_merge_split_attach_add(db_path: Path, ro: sqlite3.Connection) -> None:
    phone, bali, anc, vid = (entry_for(ro, "art-phone"), entry_for(ro, "art-bali", 0), entry_for(ro, "art-anc-1"),
                             entry_for(ro, "art-vid-1"))
    run(db_path, "merge", phone, bali)
    assert entry_data(ro, bali) is None and entry_for(ro, "art-bali", 0) == phone
    out = run(db_path, "split", anc, "art-anc-2:0").output
    assert entry_for(ro, "art-anc-2") != anc and entry_for(ro, "art-anc-2") in out
    run(db_path, "attach", "art-bali:1", vid)
    assert entry_for(ro, "art-bali", 1) == vid
    out = run(db_path, "add", "--article", "art-osaka", "--evidence", "劉鶴將與萊特希澤通電話。", "--us", "Robert Lighthizer",
              "--cn", "Liu He", "--modality", "phone", "--status", "planned", "--note", "missed").output
    added = out.strip().splitlines()[-1].split()[-1]
    e = entry_data(ro, added)
    assert e is not None and e["cn"] == ["Liu He"] and e["data"]["curation"]["status"] == "corrected"
    run(db_path, "apply")
    assert entry_for(ro, "art-bali", 0) == phone and entry_data(ro, added) is not None


def test_cli_orphans_export_import_gold(db_path: Path, ro: sqlite3.Connection, tmp_path: Path) -> None:
    osaka = entry_for(ro, "art-osaka")
    run(db_path, "set", osaka, "location", "Kobe")
    run(db_path, "confirm", "art-anc-1:0")
    with ro:
        ro.execute("DELETE FROM engagements WHERE article_id = 'art-osaka'")
    out = run(db_path, "apply").output
    assert "1 orphaned" in out
    orphans = [json.loads(x) for x in run(db_path, "list", "--orphans", "--json").output.splitlines()]
    assert [o["action"] for o in orphans] == ["set"] and orphans[0]["state"] == "orphaned"
    f = tmp_path / "c.jsonl"
    assert "wrote 2 correction(s)" in run(db_path, "export", str(f)).output
    assert len(f.read_text(encoding="utf-8").splitlines()) == 2
    assert "0 correction(s), 2 already present" in run(db_path, "import", str(f)).output
    g = tmp_path / "gold.jsonl"
    run(db_path, "export", str(g), "--as-gold")
    lines = [json.loads(x) for x in g.read_text(encoding="utf-8").splitlines()]
    assert [x["file"] for x in lines] == ["hk/anc1.md"]  # a confirmed record: its article only
    assert lines[0]["engagements"][0]["location"] == "Anchorage"


def test_cli_withdraw(db_path: Path, ro: sqlite3.Connection) -> None:
    osaka = entry_for(ro, "art-osaka")
    run(db_path, "reject", osaka)
    assert entry_data(ro, osaka) is None
    run(db_path, "withdraw", "1")
    assert entry_data(ro, osaka) is not None


def test_cli_help_for_every_command() -> None:
    for cmd in ("confirm", "reject", "set", "merge", "split", "attach", "add", "list", "export", "import",
                "withdraw", "apply"):
        r = CliRunner().invoke(main, ["curate", cmd, "--help"])
        assert r.exit_code == 0 and "Usage" in r.output
