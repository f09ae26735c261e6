"""extract_article never fails on odd input (pure function over any clean text)."""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summitwatch.engagements import extract_article

PIECES = ["習近平", "拜登", "布林肯", "王毅", "美國國務卿", "國防部長", "中美元首", "雙方", "通電話", "視像",
          "會晤", "將於", "取消", "周五", "（11月13日）", "18至19日", "昨日", "在夏威夷", "「", "」", "“", "”",
          "，", "。", "\n", "前", "時任", "候任", "G20", "2021年3月", "去年", "ABC", " ", "习近平"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(PIECES), max_size=40),
       pub=st.sampled_from([None, "2021-11-14T00:00:00+08:00", "2017-02-10T00:00:00+08:00"]))
def test_extract_never_fails(kn: Any, parts: list[str], pub: str | None) -> None:
    art = make_article("".join(parts), "".join(reversed(parts)), published=pub)
    ex = extract_article(art, kn)
    for e in ex.engagements:
        assert e.us and e.cn
        assert art.text[e.evidence_start:e.evidence_end] == e.evidence
    for q in ex.quotes:
        assert 0 <= q.start <= q.end <= len(art.text)
