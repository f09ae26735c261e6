"""Relative and absolute date expressions, resolved against the publication date."""

from __future__ import annotations

import pytest

from summitwatch.engagements.dates import find_dates
from summitwatch.mentions import normalise

CASES = [
    # text, publication day, tense (True planned / False past / None unknown), expected (date, date_end)
    ("中美元首今早（16日）舉行視像會晤", "2021-11-16", False, ("2021-11-16", None)),
    ("今日通電話", "2020-03-27", False, ("2020-03-27", None)),
    ("昨日與布林肯通電話", "2021-08-17", False, ("2021-08-16", None)),
    ("昨天會晤", "2021-08-17", False, ("2021-08-16", None)),
    ("前日會面", "2021-08-17", False, ("2021-08-15", None)),
    ("周五（11月13日），布林肯和王毅通話", "2021-11-14", False, ("2021-11-13", None)),
    ("週五通話", "2021-11-14", False, ("2021-11-12", None)),
    ("上周六會晤", "2021-11-17", False, ("2021-11-13", None)),
    ("定於美東時間下周一（11月15日）晚視頻峰會", "2021-11-14", True, ("2021-11-15", None)),
    ("下周一舉行", "2021-11-10", True, ("2021-11-15", None)),
    ("本月20日會面", "2021-03-10", True, ("2021-03-20", None)),
    ("上月20日會面", "2021-03-10", False, ("2021-02-20", None)),
    ("將於18至19日舉行", "2021-03-11", True, ("2021-03-18", "2021-03-19")),
    ("18日至19日舉行", "2021-03-11", True, ("2021-03-18", "2021-03-19")),
    ("即將在18、19日於阿拉斯加舉行會談", "2021-03-17", True, ("2021-03-18", "2021-03-19")),
    ("11月15日晚視頻峰會", "2021-11-14", True, ("2021-11-15", None)),
    ("2021年3月18日，中美高層", "2021-03-20", False, ("2021-03-18", None)),
    ("2018年5月17日至18日磋商", "2018-05-20", False, ("2018-05-17", "2018-05-18")),
    ("上周三（17日）閉門會議", "2020-06-22", False, ("2020-06-17", None)),
    ("周四就疫情通電話", "2020-02-08", None, ("2020-02-06", None)),  # nearest Thursday is in the past
    ("周四在美國舉行峰會", "2017-04-03", None, ("2017-04-06", None)),  # nearest Thursday is ahead
    ("去年6月29日會晤", "2020-06-18", False, ("2019-06-29", None)),
    ("布林肯31日與王毅會面", "2021-11-01", False, ("2021-10-31", None)),
    ("明天（3日）起訪華", "2018-05-02", True, ("2018-05-03", None)),
    # fullwidth digits are digits (each digit pattern runs only on text holding a digit)
    ("１１月１５日晚視頻峰會", "2021-11-14", True, ("2021-11-15", None)),
    ("二零二一年十一月十五日晚視頻峰會", "2021-11-14", True, ("2021-11-15", None)),  # no digit at all
]


@pytest.mark.parametrize("text,pub,future,expected", CASES)
def test_day_dates(text: str, pub: str, future: bool | None, expected: tuple[str, str | None]) -> None:
    hits = [h for h in find_dates(normalise(text), pub, future) if h.date]
    assert hits, text
    assert (hits[0].date, hits[0].date_end) == expected


@pytest.mark.parametrize("text,pub,approx,precision", [
    ("去年11月在曼谷會晤", "2020-08-07", "2019-11", "month"),
    ("2018年初的私人家宴", "2020-09-29", "2018", "year"),
    ("今年3月兩人在阿拉斯加", "2021-10-07", "2021-03", "month"),
    ("一九七二年尼克遜訪華", "2017-02-10", "1972", "year"),
    ("四年前到加州莊園會晤", "2017-04-03", "2013", "year"),
])
def test_approximate_dates(text: str, pub: str, approx: str, precision: str) -> None:
    hits = find_dates(normalise(text), pub, False)
    assert not any(h.date for h in hits)
    assert (hits[0].approx, hits[0].precision) == (approx, precision)


def test_explicit_month_day_beats_weekday() -> None:
    # 2021-11-14 is a Sunday: 「周五」 alone would be 11-12, the bracket says 13
    hits = [h for h in find_dates(normalise("周五（11月13日）"), "2021-11-14", False) if h.date]
    assert [h.date for h in hits] == ["2021-11-13"]


def test_no_publication_date_leaves_relative_unresolved() -> None:
    assert not [h for h in find_dates(normalise("今早（16日）周五舉行會晤"), None, False) if h.date]
    assert [h.date for h in find_dates(normalise("2021年3月18日會晤"), None, False)] == ["2021-03-18"]


def test_year_de_month_day_is_one_date() -> None:
    """「2018年的12月1日」: the year holds (read as a bare 「12月1日」 it resolved to the last 1 December
    before a 2021 publication, putting the Buenos Aires G20 meeting in 2020)."""
    hits = [h for h in find_dates(normalise("孟晚舟是在2018年的12月1日被捕"), "2021-09-25T00:00:00+08:00", None) if h.date]
    assert [h.date for h in hits] == ["2018-12-01"]
    (h,) = find_dates(normalise("在2019年的6月底"), "2021-09-25T00:00:00+08:00", None)
    assert h.approx == "2019-06"
