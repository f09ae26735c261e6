"""Dates in a sentence, relative expressions resolved against the publication date.

Works on Simplified-normalised text. Forms: 2021年3月18日, 11月15日, 本月/上月/下月20日, 18日,
18至19日 / 18日至19日 / 18、19日 (ranges give ``date_end``), 今早/今日/昨日/前日/明天,
周五/週五/星期五 with 上/本/下, and approximate ones (去年11月, 2018年初, 今年3月, 2012年) that
give only ``approx`` with a month or year precision. The time-zone frame a sentence states
(美東時間, 北京時間) is kept: the day is taken as written. An explicit day in brackets right after a
relative word (「周五（11月13日）」, 「今早（16日）」) beats the relative word. Without a publication
date only absolute dates resolve.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from summitwatch.articles.numerals import find_cn_dates
from summitwatch.mentions.cues import load_cues

_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

D = r"(\d{1,2})"
_FULL = re.compile(r"(\d{4})年的?" + D + r"月" + D + r"[日号]?(?:(?:至|到|-|–|—|~|、)(?:" + D + r"月)?" + D + r"[日号])?")
_CNYEAR = re.compile(r"([一二三四五六七八九〇零○]{4})年")
_MD = re.compile(r"(?<![\d年])(本月|上月|下月|前年|去年|今年|明年)?" + D + r"月" + D + r"[日号]?(?:(?:至|到|-|–|—|~|、|和|及)(?:" + D + r"月)?" + D + r"[日号])?(?!\d)")
_MONTHDAY_ONLY = re.compile(r"(本月|上月|下月)" + D + r"[日号]")
_DAY = re.compile(r"(?<![\d月年周])" + D + r"[日号]?(?:至|到|-|–|—|~|、|和|及)" + D + r"[日号]|(?<![\d月年周星期])" + D + r"[日号](?!\d)")
_REL = re.compile(r"(今早|今晨|今天|今日|今晚|今午|今明两日|昨日|昨天|昨晚|昨早|昨晨|前日|前天|前晚|明日|明天|明早|明晚|后天)")
_REL_OFFSET = {"今": 0, "昨": -1, "前": -2, "明": 1, "后": 2}
_WEEK = re.compile(r"(上上|上个|上|下个|下|本|这|今)?(?:周|星期|礼拜)([一二三四五六日天])")
_APPROX = re.compile(r"(去年|今年|明年|前年)?" + D + r"月(初|中旬|中|底|下旬|上旬|末)?(?![\d日号])")
_YM = re.compile(r"(\d{4})年的?" + D + r"月(?![\d])(?!\d{1,2}[日号])")
_Y = re.compile(r"(\d{4})年(初|底|中|末|代)?(?!的?\d{1,2}月)")
_YEARS_AGO = re.compile(r"(\d{1,2}|[一二两三四五六七八九十]{1,2})年前")
_LASTMONTH = re.compile(r"上个?月(?![\d])")
_REL_YEAR = {"去年": -1, "今年": 0, "明年": 1, "前年": -2}
_NEXTMONTH = re.compile(r"下个?月(?![\d])")
_DIGIT = re.compile(r"\d")  # what _FULL _MD _MONTHDAY_ONLY _DAY _APPROX _YM _Y all need


@dataclass(frozen=True, slots=True)
class DateHit:
    start: int
    end: int
    date: str | None = None
    date_end: str | None = None
    approx: str | None = None  # "2018-11" or "2018" when the day cannot be fixed
    precision: str | None = None  # day | month | year
    relative: bool = False
    weekday: bool = False  # a bare weekday (「周四」): the weakest day expression


def _mk(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _cn_num(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    table = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + table.get(s[1:], 0)
    if s.endswith("十"):
        return table.get(s[0], 0) * 10
    if len(s) == 1:
        return table.get(s)
    return None


def _pick_year(pub: dt.date, m: int, d: int, future: bool) -> dt.date | None:
    """The month-day nearest the publication date, leaning to the past unless the sentence is future."""
    best = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        c = _mk(y, m, d)
        if c is None:
            continue
        delta = (c - pub).days
        score = abs(delta) + (0 if future or delta <= 31 else 400) + (0 if not future or delta >= -31 else 400)
        if best is None or score < best[0]:
            best = (score, c)
    return best[1] if best else None


def _pick_month(anchor: dt.date, d: int, future: bool, pub: dt.date) -> dt.date | None:
    """A bare day of month (「16日」) in the month that puts it nearest the anchor, past-leaning."""
    best = None
    for dm in (-1, 0, 1):
        y, m = anchor.year, anchor.month + dm
        if m == 0:
            y, m = y - 1, 12
        if m == 13:
            y, m = y + 1, 1
        c = _mk(y, m, d)
        if c is None:
            continue
        delta = (c - pub).days
        score = abs((c - anchor).days)
        if not future and delta > 3:
            score += 40
        if future and delta < -3:
            score += 40
        if best is None or score < best[0]:
            best = (score, c)
    return best[1] if best else None


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


_WEEK_JOIN = re.compile(r"(?:至|到|及|和|与|、|-|–|—)")
# 「下周三、四」「周一至三」: a second weekday given by its numeral alone, in the same week as the first
_WEEK_TAIL = re.compile(r"(?:至|到|及|和|与|、)([一二三四五六日天])(?![月年点时个号])")
_DURATION: dict[tuple[str, ...], re.Pattern[str]] = {}


def _duration_re() -> re.Pattern[str]:
    """「為期兩天」「一連三日」「連續兩天」: a duration word (cues ``duration_words``) and a number of days."""
    words = tuple(load_cues()["duration_words"])
    got = _DURATION.get(words)
    if got is None:
        alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        got = _DURATION[words] = re.compile(rf"(?:{alts})(\d{{1,2}}|[两二三四五六七])(?:天|日)")
    return got


def duration_days(text: str) -> int | None:
    """The number of days a (normalised) text says the engagement lasts, or None."""
    m = _duration_re().search(text.translate(_FW))
    n = _cn_num(m.group(1)) if m else None
    return n if n and 1 < n <= 14 else None


def _weekday_ranges(s: str, rel: list[DateHit]) -> list[DateHit]:
    """「周四及周五兩天」「周一至周三」: two weekdays joined by a range or pair word are one span of days
    (``date`` the first, ``date_end`` the last) when the second falls 1-6 days after the first."""
    out: list[DateHit] = []
    i = 0
    while i < len(rel):
        a = rel[i]
        b = rel[i + 1] if i + 1 < len(rel) else None
        if (b is not None and a.date and b.date and a.date_end is None and b.date_end is None
                and _WEEK_JOIN.fullmatch(s[a.end:b.start])
                and 1 <= (dt.date.fromisoformat(b.date) - dt.date.fromisoformat(a.date)).days <= 6):
            out.append(DateHit(a.start, b.end, a.date, b.date, None, "day", True, weekday=a.weekday and b.weekday))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def find_dates(text: str, pub: str | None, future: bool | None = False) -> list[DateHit]:
    """Every date expression of a (normalised) sentence, resolved; sorted by position.

    ``future`` is the sentence's tense: True (planned words), False (past words) or None (unknown:
    a bare weekday then takes its nearest occurrence)."""
    s = text.translate(_FW)
    p = dt.date.fromisoformat(pub[:10]) if pub else None
    hits: list[DateHit] = []
    taken = bytearray(len(s) + 1)  # 1 where a hit already sits: O(span) per check, not O(hits)

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0

    def add(h: DateHit) -> None:
        hits.append(h)
        taken[h.start:h.end] = b"\x01" * (h.end - h.start)

    # each pattern runs only on text holding what it cannot match without (a digit, 年, 月, 日/号,
    # a week word): most sentences hold no 月, and a pattern without a literal prefix is tried at
    # every character of the text
    digits = _DIGIT.search(s) is not None
    year, month = "年" in s, "月" in s
    day = "日" in s or "号" in s
    for m in _FULL.finditer(s) if digits and year and month else ():
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        a = _mk(y, mo, d)
        e = None
        if m.group(5):
            e = _mk(y, int(m.group(4) or mo), int(m.group(5)))
        if a:
            add(DateHit(m.start(), m.end(), _iso(a), _iso(e) if e and e > a else None, None, "day"))
    for c in find_cn_dates(s):  # Chinese numerals: 二零二零年四月二十二日, 十一月十日, 去年二月底
        rel_y = _REL_YEAR.get(s[max(0, c.start - 2):c.start]) if c.year is None else None
        a0 = c.start - 2 if rel_y is not None else c.start
        if not free(a0, c.end) or (c.year is None and p is None):
            continue
        y = c.year if c.year is not None else (p.year + rel_y if rel_y is not None else None)
        if c.day is not None:
            a = _mk(y, c.month, c.day) if y is not None else _pick_year(p, c.month, c.day, bool(future))
            if a is not None:
                add(DateHit(a0, c.end, _iso(a), None, None, "day"))
        else:
            if y is None:
                y = p.year if (c.month <= p.month or future or c.month - p.month <= 3) else p.year - 1
            add(DateHit(a0, c.end, None, None, f"{y:04d}-{c.month:02d}", "month"))
    # relative day words and weekdays first: they anchor a bracketed bare day that follows them
    rel: list[DateHit] = []
    if p:
        for m in _REL.finditer(s):
            if free(m.start(), m.end()):
                rel.append(DateHit(m.start(), m.end(), _iso(p + dt.timedelta(days=_REL_OFFSET[m.group(1)[0]])), None, None, "day", True))
        for m in _WEEK.finditer(s) if "周" in s or "星期" in s or "礼拜" in s else ():
            if not free(m.start(), m.end()):
                continue
            pre, wd = m.group(1) or "", _WD[m.group(2)]
            monday = p - dt.timedelta(days=p.weekday())
            if pre.startswith("上上"):
                c = monday - dt.timedelta(days=14) + dt.timedelta(days=wd)
            elif pre.startswith("上"):
                c = monday - dt.timedelta(days=7) + dt.timedelta(days=wd)
            elif pre.startswith("下"):
                c = monday + dt.timedelta(days=7 + wd)
            elif pre in ("本", "这", "今"):
                c = monday + dt.timedelta(days=wd)
            else:
                c = monday + dt.timedelta(days=wd)
                if future is None:
                    nxt = c if c >= p else c + dt.timedelta(days=7)
                    prv = c if c <= p else c - dt.timedelta(days=7)
                    c = nxt if (nxt - p) < (p - prv) else prv
                elif future and c < p:
                    c += dt.timedelta(days=7)
                elif not future and c > p:
                    c -= dt.timedelta(days=7)
            tail = _WEEK_TAIL.match(s, m.end())
            end = c + dt.timedelta(days=_WD[tail.group(1)] - wd) if tail else None
            if end is not None and end > c:
                rel.append(DateHit(m.start(), tail.end(), _iso(c), _iso(end), None, "day", True, weekday=not pre))
                continue
            rel.append(DateHit(m.start(), m.end(), _iso(c), None, None, "day", True, weekday=not pre))
        rel = _weekday_ranges(s, rel)
    for m in _MD.finditer(s) if digits and month else ():
        if not free(m.start(), m.end()) or p is None and not m.group(1):
            if p is None:
                continue
        if not free(m.start(), m.end()):
            continue
        pre, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
        if p is None:
            continue
        if pre in _REL_YEAR:
            y = p.year + _REL_YEAR[pre]
            a = _mk(y, mo, d)
        else:
            a = _pick_year(p, mo, d, bool(future))
        e = None
        if a and m.group(5):
            e = _mk(a.year, int(m.group(4) or mo), int(m.group(5)))
        if a:
            add(DateHit(m.start(), m.end(), _iso(a), _iso(e) if e and e > a else None, None, "day"))
    if p:
        for m in _MONTHDAY_ONLY.finditer(s) if digits and month else ():
            if not free(m.start(), m.end()):
                continue
            base = p.replace(day=1)
            if m.group(1) == "上月":
                base = (base - dt.timedelta(days=1)).replace(day=1)
            elif m.group(1) == "下月":
                base = (base + dt.timedelta(days=32)).replace(day=1)
            a = _mk(base.year, base.month, int(m.group(2)))
            if a:
                add(DateHit(m.start(), m.end(), _iso(a), None, None, "day"))
        for m in _DAY.finditer(s) if digits and day else ():
            if not free(m.start(), m.end()):
                continue
            if m.group(3):
                d1, d2 = int(m.group(3)), None
            else:
                d1, d2 = int(m.group(1)), int(m.group(2))
            if not 1 <= d1 <= 31 or (d2 is not None and not d1 < d2 <= 31):
                continue
            # a bracketed day right after a relative word: anchor on it and replace it
            anchor = p
            for r in rel:
                if 0 <= m.start() - r.end <= 3 and r.date:
                    anchor = dt.date.fromisoformat(r.date)
                    rel.remove(r)
                    break
            a = _pick_month(anchor, d1, bool(future), p)
            if a is None:
                continue
            e = _mk(a.year, a.month, d2) if d2 else None
            add(DateHit(m.start(), m.end(), _iso(a), _iso(e), None, "day"))
    # explicit month-day in brackets right after a relative word beats the relative word
    for r in list(rel):
        if any(0 <= h.start - r.end <= 3 for h in hits if not h.relative and h.precision == "day"):
            rel.remove(r)
    for r in rel:
        add(r)
    # approximate dates (only where nothing exact was found at that place)
    for m in _YM.finditer(s) if digits and year and month else ():
        if free(m.start(), m.end()):
            add(DateHit(m.start(), m.end(), None, None, f"{int(m.group(1)):04d}-{int(m.group(2)):02d}", "month"))
    if p:
        for m in _APPROX.finditer(s) if digits and month else ():
            if not free(m.start(), m.end()):
                continue
            mo = int(m.group(2))
            if not 1 <= mo <= 12:
                continue
            pre = m.group(1)
            if pre:
                y = p.year + _REL_YEAR[pre]
            else:
                y = p.year if (mo <= p.month or future or mo - p.month <= 3) else p.year - 1
            add(DateHit(m.start(), m.end(), None, None, f"{y:04d}-{mo:02d}", "month"))
        for m in _LASTMONTH.finditer(s) if month else ():
            if free(m.start(), m.end()):
                b = (p.replace(day=1) - dt.timedelta(days=1))
                add(DateHit(m.start(), m.end(), None, None, f"{b.year:04d}-{b.month:02d}", "month"))
        for m in _NEXTMONTH.finditer(s) if month else ():
            if free(m.start(), m.end()):
                b = (p.replace(day=28) + dt.timedelta(days=4))
                add(DateHit(m.start(), m.end(), None, None, f"{b.year:04d}-{b.month:02d}", "month"))
        for m in _YEARS_AGO.finditer(s) if "年前" in s else ():
            n = _cn_num(m.group(1))
            if n and free(m.start(), m.end()):
                add(DateHit(m.start(), m.end(), None, None, f"{p.year - n:04d}", "year"))
        for w, dy in (("去年", -1), ("前年", -2), ("今年", 0)):
            for m in re.finditer(w, s):
                if free(m.start(), m.end()):
                    add(DateHit(m.start(), m.end(), None, None, f"{p.year + dy:04d}", "year"))
    for m in _Y.finditer(s) if digits and year else ():
        if free(m.start(), m.end()) and m.group(2) != "代":
            add(DateHit(m.start(), m.end(), None, None, m.group(1), "year"))
    for m in _CNYEAR.finditer(s) if year else ():
        if free(m.start(), m.end()):
            y = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
            add(DateHit(m.start(), m.end(), None, None, f"{y:04d}", "year"))
    hits.sort(key=lambda h: h.start)
    return hits
