"""engagements.dates reads Chinese-numeral dates through summitwatch.articles.numerals (issue 13)."""

from __future__ import annotations

from summitwatch.engagements.dates import find_dates


def test_chinese_full_date_gives_the_day() -> None:
    (h,) = find_dates("双方于二零二零年四月二十二日通电话", "2020-04-25")
    assert (h.date, h.precision) == ("2020-04-22", "day")


def test_chinese_month_day_gives_the_day_nearest_publication() -> None:
    (h,) = find_dates("两国领导人十一月十日举行视频会晤", "2021-11-14")
    assert (h.date, h.precision) == ("2021-11-10", "day")


def test_month_end_without_a_day_gives_month_precision() -> None:
    (h,) = find_dates("贸易谈判将在二月底前结束", "2020-01-20", future=True)
    assert (h.date, h.approx, h.precision) == (None, "2020-02", "month")


def test_last_year_prefix_sets_the_year() -> None:
    (h,) = find_dates("去年十一月十日双方曾通话", "2021-03-01")
    assert (h.date, h.start) == ("2020-11-10", 0)


def test_arabic_dates_are_read_as_before() -> None:
    (h,) = find_dates("双方于2021年11月15日举行视频会晤", "2021-11-16")
    assert h.date == "2021-11-15"
