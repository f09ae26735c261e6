"""The knowledge loader: one hash over every data file, a declared schema per file, re-extraction.

Edits are made on temporary copies of ``summitwatch/data`` so the shipped files are never touched.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from summitwatch.knowledge import DATA_DIR, FILES, KnowledgeError, data_file, load_knowledge, loader, validate
from summitwatch.mentions.cues import load_cues
from summitwatch.run.local import extract, ingest

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMITWATCH_CACHE", "")


def test_every_data_file_has_a_declared_schema_and_matches_it() -> None:
    present = {p.name for p in DATA_DIR.glob("*.yaml")}
    assert present == set(FILES), (present - set(FILES), set(FILES) - present)
    for name in sorted(present):
        assert data_file(name) is not None, name


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("cues.yaml", "person_verbs: [", "person_verbs: [晤談, "),
        ("html_extraction.yaml", "max_input_chars:", "max_input_chars: 1\nx_max_input_chars:"),
        ("outlets.yaml", "default_timezone:", "# a comment is an edit too\ndefault_timezone:"),
        ("scripts.yaml", "common:", "# edited\ncommon:"),
    ],
)
def test_an_edit_of_any_data_file_changes_the_hash(
    tmp_path: Path, no_cache: None, name: str, old: str, new: str
) -> None:
    data = _copy(tmp_path)
    before = load_knowledge(data).hash
    assert before == load_knowledge().hash  # same bytes, same hash
    _edit(data / name, old, new)
    loader._load_cached.cache_clear()  # a new process would start here
    assert load_knowledge(data).hash != before


def test_an_added_data_file_changes_the_hash(tmp_path: Path, no_cache: None) -> None:
    data = _copy(tmp_path)
    before = load_knowledge(data).hash
    (data / "extra.yaml").write_text("words: [甲]\n", encoding="utf-8")
    loader._load_cached.cache_clear()
    assert load_knowledge(data).hash != before


def test_a_cue_edit_is_served_to_readers(tmp_path: Path, no_cache: None) -> None:
    data = _copy(tmp_path)
    _edit(data / "cues.yaml", "person_verbs: [", "person_verbs: [晤談甲乙, ")
    loader._load_cached.cache_clear()
    assert "晤談甲乙" in load_knowledge(data).data("cues.yaml")["person_verbs"]
    assert "晤談甲乙" not in data_file("cues.yaml")["person_verbs"]  # the shipped file is unchanged


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "officials.yaml",
            "officials:\n",
            "officials:\n- {name: Nobody, side: USA, zh: [某人], source: t}\n",
            r"officials\.yaml: officials\[0\] \(Nobody\)\.side: expected one of",
        ),
        (
            "officials.yaml",
            "officials:\n",
            "officials:\n- {name: Nobody, side: US, zh: [某人], source: t, shrot: [某]}\n",
            r"officials\.yaml: officials\[0\] \(Nobody\)\.shrot: unknown key 'shrot'",
        ),
        (
            "officials.yaml",
            "officials:\n",
            "officials:\n- {name: Nobody, side: US, source: t}\n",
            r"officials\.yaml: officials\[0\] \(Nobody\): missing required key 'zh'",
        ),
        (
            "summits.yaml",
            "summits:\n",
            "summits:\n- {id: x.1, name: X, date: '2019-13-01', city: Osaka}\n",
            r"summits\.yaml: summits\[0\] \(x\.1\)\.date: bad date '2019-13-01'",
        ),
        (
            "html_extraction.yaml",
            "drop_anywhere:\n",
            "drop_anywhere:\n  - '(unclosed'\n",
            r"html_extraction\.yaml: drop_anywhere\[0\]: bad regular expression",
        ),
        (
            "html_extraction.yaml",
            "max_input_chars:",
            "max_input_chars: lots\nx_max_input_chars:",
            r"html_extraction\.yaml: max_input_chars: expected an integer",
        ),
        (
            "cues.yaml",
            "person_verbs: [",
            "new_section: true\nperson_verbs: [",
            r"cues\.yaml: new_section: expected a string, a number, a list of strings or a mapping",
        ),
        (
            "outlets.yaml",
            "outlets:\n",
            "outlets:\n  - {id: x, name: X, name_en: X, domains: x.com}\n",
            r"outlets\.yaml: outlets\[0\] \(x\)\.domains: expected a list, got \'x\.com\'",
        ),
        (
            "urlwrappers.yaml",
            "proxies:\n",
            "proxies:\n  - {name: p, pattern: 'a'}\n",
            r"urlwrappers\.yaml: proxies\[0\] \(p\): missing required key 'param'",
        ),
    ],
)
def test_a_malformed_file_is_rejected_naming_file_and_field(
    tmp_path: Path, no_cache: None, name: str, old: str, new: str, message: str
) -> None:
    data = _copy(tmp_path)
    _edit(data / name, old, new)
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(data)
    with pytest.raises(KnowledgeError, match=message):
        data_file(name, data)


def test_invalid_yaml_is_reported_with_its_file(tmp_path: Path, no_cache: None) -> None:
    data = _copy(tmp_path)
    (data / "boilerplate.yaml").write_text("drop: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"^boilerplate\.yaml: "):
        load_knowledge(data)
    assert data_file("cues.yaml", data)  # the other files stay readable
    _edit(data / "summits.yaml", "date: 2008-11-14,", "date: 2008-13-14,")
    loader._DOCS.clear()  # a new process would start here
    with pytest.raises(KnowledgeError, match=r"^summits\.yaml: month must be in 1\.\.12"):
        data_file("summits.yaml", data)


def test_a_missing_declared_file_is_reported(tmp_path: Path, no_cache: None) -> None:
    data = _copy(tmp_path)
    (data / "urlwrappers.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"urlwrappers\.yaml: missing"):
        load_knowledge(data)


def test_validate_accepts_null_optional_fields_and_rejects_bools_as_numbers() -> None:
    validate("topics.yaml", {"topics": [{"id": "t", "name": "T", "zh": ["字"], "en": None}]})
    with pytest.raises(
        KnowledgeError, match=r"urlwrappers\.yaml: damaged_min_replacements: expected an integer"
    ):
        validate("urlwrappers.yaml", {"archives": [], "proxies": [], "damaged_min_replacements": True})


# ---------------------------------------------------------------- re-extraction after a data edit


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the default data directory at a private copy (this process only: workers=0)."""
    monkeypatch.setenv("SUMMITWATCH_CACHE", "")
    data = _copy(tmp_path)

    def reset() -> None:
        loader._load_cached.cache_clear()
        loader._DOCS.clear()
        load_cues.cache_clear()

    reset()
    monkeypatch.setattr(loader, "DATA_DIR", data)
    yield data
    monkeypatch.undo()
    reset()


def test_extract_reruns_after_a_cue_edit_and_only_then(tmp_path: Path, data_copy: Path) -> None:
    db = tmp_path / "store.db"
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs, ignore=shutil.ignore_patterns("*.md"))
    first = ingest([inputs], db, workers=0, progress=False)
    assert first.extracted > 0 and not first.failed
    assert extract(db, workers=0, progress=False).extracted == 0  # nothing changed: nothing to do

    _edit(data_copy / "cues.yaml", "person_verbs: [", "person_verbs: [晤談甲乙, ")
    loader._load_cached.cache_clear()  # a new process would start here
    loader._DOCS.clear()
    load_cues.cache_clear()
    again = extract(db, workers=0, progress=False)
    assert again.extracted == first.extracted  # every stored extraction was made under the old hash
    assert extract(db, workers=0, progress=False).extracted == 0
