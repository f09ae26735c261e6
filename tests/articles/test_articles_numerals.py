"""Chinese numerals in dates (summitwatch.articles.numerals): each form on a sentence written for it."""

from __future__ import annotations

import pytest

from summitwatch.articles.numerals import cn_int, find_cn_dates, parse_cn_date


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二零二零", 2020),  # year digit by digit, 零
        ("二〇二〇", 2020),  # ... with 〇
        ("一九九七", 1997),
        ("十", 10),
        ("十一", 11),  # positional: 十 + unit
        ("二十", 20),
        ("二十二", 22),
        ("三十一", 31),
        ("廿二", 22),  # 廿 = twenty
        ("卅", 30),
        ("一百二十", 120),
        ("两", 2),
        ("2020", 2020),
        ("２０２０", 2020),  # full-width digits
    ],
)
def test_cn_int_forms(text: str, value: int) -> None:
    assert cn_int(text) == value


@pytest.mark.parametrize("text", ["", "十月", "二十十", "abc", "一二十"])
def test_cn_int_rejects_non_numerals(text: str) -> None:
    assert cn_int(text) is None


def test_full_date_in_chinese_numerals() -> None:
    (d,) = find_cn_dates("【明慧網二零二零年四月二十二日】消息")
    assert (d.year, d.month, d.day, d.precision) == (2020, 4, 22, "day")


def test_full_date_with_circle_zero_and_thirty_one() -> None:
    (d,) = find_cn_dates("會議於二〇二〇年十二月三十一日舉行")
    assert (d.year, d.month, d.day) == (2020, 12, 31)


def test_month_day_without_year_fixes_the_day() -> None:
    (d,) = find_cn_dates("雙方將於十一月十日會面")
    assert (d.year, d.month, d.day, d.precision) == (None, 11, 10, "day")


def test_month_part_fixes_no_day() -> None:
    (d,) = find_cn_dates("談判預計二月底結束")
    assert (d.month, d.day, d.part, d.precision) == (2, None, "底", "month")


def test_mixed_arabic_year_and_chinese_month() -> None:
    (d,) = find_cn_dates("2021年十一月十日的通話")
    assert (d.year, d.month, d.day) == (2021, 11, 10)


def test_arabic_only_dates_are_left_to_the_digit_readers() -> None:
    assert find_cn_dates("2021年11月14日") == []


def test_numeral_glued_to_a_longer_number_is_not_a_month() -> None:
    assert find_cn_dates("共二十一月餅") == []  # 「十一月」 inside 「二十一」 is no month


def test_an_impossible_day_is_not_read() -> None:
    (d,) = find_cn_dates("二零二零年四月三十五日")  # no 35th: only the month is stated
    assert (d.year, d.month, d.day) == (2020, 4, None)


@pytest.mark.parametrize(
    ("text", "ymd"),
    [
        ("明慧網二零二零年四月二十二日", (2020, 4, 22)),
        ("大紀元2021年11月14日訊", (2021, 11, 14)),
        ("新唐人北京時間2021年03月18日訊", (2021, 3, 18)),
        ("希望之聲二零一九年十月十日", (2019, 10, 10)),
        ("德國之聲中文網", None),
    ],
)
def test_parse_cn_date_in_either_system(text: str, ymd: tuple[int, int, int] | None) -> None:
    assert parse_cn_date(text) == ymd


def test_scan_is_linear_on_long_numeral_runs() -> None:
    # not a timing test: the result on a long run of numerals is well defined and small
    assert find_cn_dates("二" * 20_000) == []
    assert len(find_cn_dates("二零二零年十一月十日，" * 1_000)) == 1_000
