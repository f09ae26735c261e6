"""--person and --topic filters: canonical or Chinese names, topic ids or cue words."""

from __future__ import annotations

from types import SimpleNamespace

from timeline_helpers import make_ref

from summitwatch.timeline import build_timeline
from summitwatch.timeline.filters import matches_person, matches_topic, resolve_person, resolve_topic

KN = SimpleNamespace(
    name_index={"布林肯": ("Antony Blinken",), "布林肯國務卿": ("Antony Blinken",)},
    officials={"Antony Blinken": SimpleNamespace(name="Antony Blinken", en=("Antony Blinken", "Tony Blinken"))},
    topic_index={"台灣": ("taiwan",)},
    topics={"taiwan": object()},
)


def _entries():  # noqa: ANN202
    return build_timeline([
        make_ref("a", "2021-08-17", ["Antony Blinken"], ["Wang Yi"], modality="phone", date="2021-08-16",
                 topics=("taiwan",)),
        make_ref("b", "2021-09-10", ["Joe Biden"], ["Xi Jinping"], modality="phone", date="2021-09-10",
                 evidence="拜登與習近平通話，布林肯在場"),
    ])


def test_person_by_chinese_or_alias() -> None:
    a, b = _entries()
    for text in ("布林肯", "Tony Blinken", "antony blinken"):
        q = resolve_person(text, KN)
        assert matches_person(a, q) and not matches_person(b, q), text
    # without knowledge a Chinese name still finds entries whose evidence names it
    bare = resolve_person("布林肯", SimpleNamespace(name_index={}, officials={}))
    assert matches_person(b, bare)


def test_topic_by_id_or_cue() -> None:
    a, b = _entries()
    for text in ("taiwan", "台灣"):
        q = resolve_topic(text, KN)
        assert matches_topic(a, q) and not matches_topic(b, q), text
