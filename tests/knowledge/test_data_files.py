"""Checks on the knowledge data files: schemas, references, office dates, aliases, gold coverage.

A new alias or office term is a data edit; these tests are what keeps such edits honest.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from summitwatch.knowledge import (
    DATA_DIR,
    KNOWLEDGE_FILES,
    PLACE_KINDS,
    RANKS,
    SIDES,
    Knowledge,
    load_knowledge,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
GOLD = SHARED / "gold"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def kn() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    """The files as written (before the loader adds the other script)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return {name: yaml.load((DATA_DIR / name).read_bytes(), Loader=loader) for name in KNOWLEDGE_FILES}  # noqa: S506


# ---------------------------------------------------------------- schemas


def test_every_knowledge_file_exists_and_is_a_mapping(raw: dict[str, dict]) -> None:
    for name in KNOWLEDGE_FILES:
        assert isinstance(raw[name], dict), name


def test_meeting_names_and_joint_titles_resolve(kn: Knowledge) -> None:
    assert set(kn.meeting_names["川習會"]) == {"Donald Trump", "Xi Jinping"}
    assert set(kn.meeting_names["习拜会"]) == {"Joe Biden", "Xi Jinping"}
    assert set(kn.joint_titles["中美元首"]) == {"us.president", "prc.president"}
    assert set(kn.joint_titles["兩國防長"]) == {"us.secretary_of_defense", "prc.defense_minister"}


def test_official_entries_have_required_keys(raw: dict[str, dict]) -> None:
    allowed = {"name", "side", "gender", "zh", "en", "short", "exclude", "offices", "source", "note"}
    for e in raw["officials.yaml"]["officials"]:
        assert {"name", "side", "zh", "source"} <= e.keys(), e
        assert set(e) <= allowed, (e["name"], set(e) - allowed)
        assert e["side"] in SIDES, e["name"]
        assert e.get("gender", "f") in ("f", "m"), e["name"]
        assert e["zh"], e["name"]
        assert str(e["source"]).strip(), e["name"]
        for t in e.get("offices") or []:
            assert {"office", "start"} <= t.keys(), (e["name"], t)
            assert set(t) <= {"office", "start", "end", "note"}, (e["name"], t)


def test_office_entries_have_required_keys(raw: dict[str, dict]) -> None:
    for e in raw["offices.yaml"]["offices"]:
        assert {"id", "side", "rank", "en"} <= e.keys(), e
        assert set(e) <= {"id", "side", "rank", "en", "titles", "bare", "needs_country", "multi", "note"}, e
        assert e["side"] in SIDES and e["rank"] in RANKS, e["id"]
        assert e["id"].split(".")[0] == {"US": "us", "PRC": "prc", "other": "other"}[e["side"]], e["id"]


def test_place_summit_topic_body_framing_keys(raw: dict[str, dict]) -> None:
    for e in raw["places.yaml"]["places"]:
        assert {"name", "kind", "zh"} <= e.keys() and e["kind"] in PLACE_KINDS, e
    for e in raw["summits.yaml"]["summits"]:
        assert {"id", "name", "date", "date_end", "city"} <= e.keys(), e
    for e in raw["topics.yaml"]["topics"]:
        assert {"id", "name", "zh"} <= e.keys() and e["zh"], e
    for e in raw["bodies.yaml"]["bodies"]:
        assert {"name", "side", "zh"} <= e.keys() and e["side"] in SIDES, e
    for e in raw["framing.yaml"]["markers"]:
        assert {"id", "category", "refers_to", "label", "zh"} <= e.keys(), e


def test_names_are_unique(raw: dict[str, dict]) -> None:
    for fname, key, field in (
        ("officials.yaml", "officials", "name"),
        ("offices.yaml", "offices", "id"),
        ("places.yaml", "places", "name"),
        ("summits.yaml", "summits", "id"),
        ("topics.yaml", "topics", "id"),
        ("bodies.yaml", "bodies", "name"),
        ("framing.yaml", "markers", "id"),
    ):
        values = [e[field] for e in raw[fname][key]]
        dups = {v for v in values if values.count(v) > 1}
        assert not dups, (fname, dups)


def test_canonical_names_look_like_wikipedia_titles(kn: Knowledge) -> None:
    for name in kn.officials:
        assert "(" not in name and name == name.strip() and "  " not in name, name


# ---------------------------------------------------------------- references and dates


def test_every_office_id_referenced_exists(kn: Knowledge) -> None:
    for o in kn.officials.values():
        for t in o.offices:
            assert t.office in kn.offices, (o.name, t.office)


def test_office_side_matches_official_side(kn: Knowledge) -> None:
    """A US official holds US offices; PRC, PRC offices ("other" people may hold anything)."""
    for o in kn.officials.values():
        if o.side == "other":
            continue
        for t in o.offices:
            assert kn.offices[t.office].side == o.side, (o.name, t.office)


def test_term_dates_are_iso_and_ordered(kn: Knowledge) -> None:
    for o in kn.officials.values():
        for t in o.offices:
            assert _DATE.match(t.start), (o.name, t)
            assert t.end is None or (_DATE.match(t.end) and t.end >= t.start), (o.name, t)


def test_single_holder_offices_do_not_overlap(kn: Knowledge) -> None:
    """Terms of one office (not multi-holder) must not overlap unless one is noted acting/holdover."""
    for oid, terms in kn.terms_by_office.items():
        if kn.offices[oid].multi:
            continue
        for i, (n1, t1) in enumerate(terms):
            for n2, t2 in terms[i + 1 :]:
                overlap = t2.start < (t1.end or "9999") and t1.start < (t2.end or "9999")
                if not overlap:
                    continue
                noted = any(w in (t1.note + t2.note).lower() for w in ("acting", "holdover", "alongside"))
                assert noted or n1 == n2, (
                    f"{oid}: {n1} {t1.start}..{t1.end} overlaps {n2} {t2.start}..{t2.end}"
                )


def test_summits_refer_to_known_cities_and_are_ordered(kn: Knowledge) -> None:
    for s in kn.summits:
        assert s.city in kn.places, (s.id, s.city)
        assert _DATE.match(s.date) and _DATE.match(s.date_end) and s.date <= s.date_end, s.id
        assert s.zh, s.id


def test_places_map_only_to_known_places(kn: Knowledge) -> None:
    for p in kn.places.values():
        if p.kind == "country":
            assert p.maps_to is None, p.name  # a country never maps to its capital
        if p.maps_to is not None:
            assert p.maps_to in kn.places, (p.name, p.maps_to)
            assert kn.places[p.maps_to].kind == "city", (p.name, p.maps_to)


# ---------------------------------------------------------------- aliases


def test_no_alias_names_officials_of_different_sides(kn: Knowledge) -> None:
    for surface, names in kn.name_index.items():
        sides = {kn.officials[n].side for n in names}
        assert len(sides) == 1, (surface, names)


def test_no_place_surface_names_two_places(kn: Knowledge) -> None:
    seen: dict[str, str] = {}
    for p in kn.places.values():
        for s in p.zh:
            assert seen.setdefault(s, p.name) == p.name, (s, seen[s], p.name)


def test_body_surface_forms_are_unique(kn: Knowledge) -> None:
    seen: dict[str, str] = {}
    for b in kn.bodies.values():
        for s in b.zh:
            assert seen.setdefault(s, b.name) == b.name, (s, seen[s], b.name)


def test_aliases_are_not_office_titles_or_place_names(kn: Knowledge) -> None:
    titles = set(kn.title_index)
    places = set(kn.place_index)
    for o in kn.officials.values():
        for z in o.zh:
            assert z not in titles, (o.name, z)
            assert z not in places, (o.name, z)


def test_both_scripts_are_present(kn: Knowledge) -> None:
    pompeo = kn.officials["Mike Pompeo"].zh
    assert {"蓬佩奧", "蓬佩奥", "庞皮欧"} <= set(pompeo)
    assert {"耶倫", "葉倫", "耶伦", "叶伦"} <= set(kn.officials["Janet Yellen"].zh)
    assert {"楊潔篪", "楊潔箎", "杨洁篪"} <= set(kn.officials["Yang Jiechi"].zh)
    assert {"沙利文", "蘇利文", "苏利文"} <= set(kn.officials["Jake Sullivan"].zh)
    assert {"特朗普", "川普"} <= set(kn.officials["Donald Trump"].zh)
    assert "美国国务卿" in kn.offices["us.secretary_of_state"].titles
    assert {"峇里島", "巴厘岛"} <= set(kn.places["Bali"].zh)
    assert {"舊金山", "旧金山", "三藩市"} <= set(kn.places["San Francisco"].zh)


def test_exclusions_contain_their_alias(kn: Knowledge) -> None:
    """An exclude word is useful only when it contains one of the person's aliases."""
    import opencc

    t2s = opencc.OpenCC("t2s.json").convert
    for o in kn.officials.values():
        forms = {t2s(f) for f in (*o.zh, *o.short)}
        for x in o.exclude:
            assert any(f in t2s(x) for f in forms), (o.name, x)


# ---------------------------------------------------------------- resolution


def test_office_holders_by_date(kn: Knowledge) -> None:
    assert kn.holder("us.secretary_of_state", "2021-06-01") == "Antony Blinken"
    assert kn.holder("us.secretary_of_state", "2019-06-01") == "Mike Pompeo"
    assert kn.holder("us.secretary_of_state", "2025-06-01") == "Marco Rubio"
    assert kn.holder("prc.president", "2015-01-01") == "Xi Jinping"
    assert kn.holder("prc.president", "2010-01-01") == "Hu Jintao"
    assert kn.holder("us.nsa", "2017-08-01") == "H. R. McMaster"
    assert kn.holder("us.president", "2021-01-20") == "Joe Biden"  # hand-over day: the new holder
    assert kn.holder("us.president", "2021-01-19") == "Donald Trump"
    assert kn.holder("prc.cfac_office_director", "2021-03-18") == "Yang Jiechi"
    assert kn.holder("us.ustr", "2019-05-01") == "Robert Lighthizer"
    assert kn.holder("us.secretary_of_treasury", "2018-05-03") == "Steven Mnuchin"
    assert kn.holder("prc.defense_minister", "2018-06-27") == "Wei Fenghe"
    assert kn.holder("us.president", "1972-02-21") == "Richard Nixon"
    assert kn.holder("prc.premier", "1972-02-21") == "Zhou Enlai"
    assert "Liu He" in kn.holders("prc.vice_premier", "2019-01-01")
    assert kn.holder("prc.vice_premier", "2019-01-01") is None  # four at once


def test_former_officials_hold_nothing_later(kn: Knowledge) -> None:
    assert kn.rank_on("Henry Kissinger", "2021-03-01") is None
    assert kn.rank_on("Henry Kissinger", "1975-01-01") == "ministerial"
    assert kn.rank_on("Marco Rubio", "2020-01-01") == "other"  # a senator then
    assert kn.rank_on("Marco Rubio", "2025-06-01") == "ministerial"
    assert kn.rank_on("Xi Jinping", "2020-01-01") == "leader"


def test_summit_lookup(kn: Knowledge) -> None:
    assert kn.summits_near("2019-06-29")[0].city == "Osaka"
    assert kn.summits_near("2018-12-01")[0].city == "Buenos Aires"
    assert kn.summits_near("2022-11-14")[0].city == "Bali"
    assert kn.summits_near("2023-11-15")[0].city == "San Francisco"
    assert all(s.city != "Osaka" for s in kn.summits_near("2019-12-01", days=30))


def test_state_and_venue_mapping(kn: Knowledge) -> None:
    def where(surface: str) -> str | None:
        return kn.places[kn.place_index[surface]].maps_to

    assert where("阿拉斯加") == "Anchorage"
    assert where("海湖莊園") == "Palm Beach"
    assert where("夏威夷") == "Honolulu"
    assert where("峇里島") == "Bali" and where("巴厘岛") == "Bali"
    assert where("三藩市") == "San Francisco"
    assert where("阿根廷") is None


def test_loading_is_cached_and_pickles(kn: Knowledge) -> None:
    import pickle

    assert load_knowledge() is kn
    assert pickle.loads(pickle.dumps(kn)) is kn
    assert len(kn.hash) == 64


# ---------------------------------------------------------------- gold coverage


def _gold_lines() -> list[str]:
    """The lines of both gold article files (the original and the added annotations)."""
    return [line for name in ("dev_articles.jsonl", "dev_articles_added.jsonl") if (GOLD / name).exists()
            for line in (GOLD / name).read_text(encoding="utf-8").splitlines()]


def _gold_names() -> set[str]:
    names: set[str] = set()
    for line in _gold_lines():
        if line.strip():
            for e in json.loads(line)["engagements"]:
                names.update(e["us"])
                names.update(e["cn"])
    for timeline in (GOLD / "timeline_dev.json", GOLD / "timeline_dev_added.json"):
        for e in json.loads(timeline.read_text(encoding="utf-8")) if timeline.exists() else []:
            names.update(e["us"])
            names.update(e["cn"])
    return names


def _gold_locations() -> set[str]:
    locs: set[str] = set()
    for line in _gold_lines():
        if line.strip():
            locs.update(e["location"] for e in json.loads(line)["engagements"] if e["location"])
    return locs


@pytest.mark.skipif(not (GOLD / "dev_articles.jsonl").exists(), reason="../shared/gold absent")
def test_every_gold_name_is_an_official(kn: Knowledge) -> None:
    sides = defaultdict(set)
    for line in _gold_lines():
        if line.strip():
            for e in json.loads(line)["engagements"]:
                for n in e["us"]:
                    sides[n].add("US")
                for n in e["cn"]:
                    sides[n].add("PRC")
    missing = sorted(_gold_names() - set(kn.officials))
    assert not missing, missing
    for name, s in sides.items():
        assert {kn.officials[name].side} == s, name


@pytest.mark.skipif(not (GOLD / "dev_articles.jsonl").exists(), reason="../shared/gold absent")
def test_every_gold_location_is_a_place(kn: Knowledge) -> None:
    missing = sorted(_gold_locations() - set(kn.places))
    assert not missing, missing


@pytest.mark.skipif(not (GOLD / "dev_articles.jsonl").exists(), reason="../shared/gold absent")
def test_gold_participants_are_named_in_their_evidence(kn: Knowledge) -> None:
    """Most gold evidence sentences name each participant by an alias or an office title.

    Not all do (「中美高層官員」, 「楊王二將」), so this checks a floor on the share of
    (participant, evidence) pairs whose evidence carries an alias, a short form or a title of an office
    the person held — a drop means aliases went missing.
    """
    found = total = 0
    for line in _gold_lines():
        if not line.strip():
            continue
        for e in json.loads(line)["engagements"]:
            for n in e["us"] + e["cn"]:
                o = kn.officials[n]
                forms = (
                    set(o.zh) | set(o.en) | {t for term in o.offices for t in kn.offices[term.office].titles}
                )
                forms |= {z for z, names in kn.meeting_names.items() if n in names}
                held = {term.office for term in o.offices}
                forms |= {z for z, ids in kn.joint_titles.items() if held & set(ids)}
                total += 1
                found += any(f in e["evidence"] for f in forms)
    assert total and found / total >= 0.85, (found, total)  # 247/289 on 2026-11-22


# ---------------------------------------------------------------- loader behaviour on edited copies


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for name in KNOWLEDGE_FILES:
        (target / name).write_bytes((DATA_DIR / name).read_bytes())
    return target


def test_an_edit_changes_the_hash_and_is_seen_through_the_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SUMMITWATCH_CACHE", str(tmp_path / "cache"))
    data = _copy_data(tmp_path)
    before = load_knowledge(data)
    assert before.hash == load_knowledge().hash  # same bytes, same hash
    path = data / "officials.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("zh: [布林肯,", "zh: [布林肯, 白林鏗,", 1), encoding="utf-8")
    from summitwatch import knowledge

    knowledge._load_cached.cache_clear()  # a new process would start here
    after = load_knowledge(data)
    assert after.hash != before.hash
    assert (
        "白林鏗" in after.officials["Antony Blinken"].zh and "白林铿" in after.officials["Antony Blinken"].zh
    )
    knowledge._load_cached.cache_clear()
    assert load_knowledge(data).hash == after.hash  # now served from the cache file
    assert any((tmp_path / "cache").iterdir())


def test_a_malformed_entry_is_reported_with_its_file(tmp_path: Path, monkeypatch) -> None:
    from summitwatch.knowledge import KnowledgeError

    monkeypatch.setenv("SUMMITWATCH_CACHE", "")
    data = _copy_data(tmp_path)
    path = data / "officials.yaml"
    text = path.read_text(encoding="utf-8")
    bad = "- name: Nobody\n  side: US\n  zh: [某人]\n  source: test\n  offices:\n  - {office: us.no_such_office, start: 2020-01-01}\n"
    path.write_text(text.replace("officials:\n", "officials:\n" + bad, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="officials.yaml.*no_such_office"):
        load_knowledge(data)
