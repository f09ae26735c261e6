"""Generated pages of the mirror family, in seed 002's structure (see tests/fixtures/mirror_family/SOURCES.md).

Seed 002 is one Epoch Times article through a censorship-circumvention mirror: a ``###`` title,
``---``, a ``####`` navigation bar of relative links, the outlet's HTML body (lead figure with a
caption div, ``post_content`` div of ``<p>`` paragraphs), ``---`` and a 「原文链接（需翻墙）：URL」 footer.
The same mirror carries other outlets, whose datelines differ (Chinese numerals, no date at all),
and real pages are long, with thousands of unclosed ``<p>`` whose indentation grows with depth.
:func:`mirror_page` writes such pages with a chosen dateline, depth and size; the text is written
for these tests (no sentence of a real article).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

NAV = (
    "#### [首页](../../../..?n{n}) &nbsp;|&nbsp; [评论](../../../../../epoch-comment?n{n}) &nbsp;|&nbsp; "
    "[专题](../../../../../epoch-special?n{n}) &nbsp;|&nbsp; [禁闻](../../../../../epoch-news?n{n}) "
    "&nbsp;|&nbsp; [翻墙](https://github.com/gfw-breaker/nogfw/blob/master/README.md?n{n})"
)

PARAGRAPHS = (
    "两国外长周五通电话，讨论了即将举行的领导人会晤的准备工作。",
    "双方在地区安全问题上仍有分歧，但同意保持沟通渠道畅通。(Photo by AFP)",
    "分析人士认为，这次通话为下周的视频会晤定下了基调。",
    "会谈还涉及气候变化、能源安全和公共卫生等议题，“这是第一步”",
)


@dataclass(frozen=True, slots=True)
class Variant:
    """One outlet of the family: its dateline, byline and original URL, and what must be read."""

    key: str
    title: str
    dateline: str  # the body's first words
    url: str
    outlet: str  # expected Article.outlet
    date: str  # expected published day
    stamp: str = ""  # a page stamp line above the body (DW pages state no date in the dateline)


VARIANTS: tuple[Variant, ...] = (
    Variant("epoch-arabic", "拜习会前 两国外长通话 分歧仍大", "【大紀元2021年11月14日訊】（大紀元記者夏雨報導）",
            "https://www.epochtimes.com/gb/21/11/14/n13374563.htm", "大紀元", "2021-11-14"),
    Variant("minghui-cn", "美国国务卿谈宗教自由报告", "【明慧網二零二零年四月二十二日】（明慧記者李文報導）",
            "https://www.minghui.org/mh/articles/2020/4/22/404881.html", "明慧網", "2020-04-22"),
    Variant("minghui-circle-zero", "国会听证会谈人权问题", "【明慧网二〇二〇年十二月三十一日】",
            "https://www.minghui.org/mh/articles/2020/12/31/417001.html", "明慧網", "2020-12-31"),
    Variant("sound-of-hope", "美中贸易谈判进入新阶段", "【希望之聲二零一九年十月十日】（本台記者周正綜合報導）",
            "https://www.soundofhope.org/post/300001", "希望之聲", "2019-10-10"),
    Variant("ntd-traditional", "美中高層會晤前瞻", "【新唐人北京時間2021年03月18日訊】",
            "https://www.ntdtv.com/gb/2021/03/18/a103053012.html", "新唐人", "2021-03-18"),
    Variant("dw-stamp", "德國外長訪華前夕談對華政策", "（德國之聲中文網）",
            "https://www.dw.com/zh/a-53201234", "德國之聲", "2020-04-22", stamp="2020年4月22日"),
    Variant("dw-dotted-stamp", "歐盟峰會討論對華關係", "（德國之聲中文網）",
            "https://www.dw.com/zh/a-55551234", "德國之聲", "2020-11-10", stamp="10.11.2020"),
    Variant("voa-byline", "美國國會通過涉港法案", "【美國之音二零一九年十一月二十日】（美國之音記者白樺報導）",
            "https://www.voachinese.com/a/congress-hk-20191120/5174812.html", "美國之音", "2019-11-20"),
)


def _paragraph(i: int, depth: int, closed: bool) -> str:
    """The i-th body paragraph, prettified (every tag and text on its own line, indented by depth);
    the first ``depth`` are left unclosed, so indentation grows with each. Every fourth ends with a
    small table of figures (prettified cells: runs of blanks between digits, next to no CJK)."""
    pad = " " * (min(i, depth) + 1)
    text = PARAGRAPHS[i % len(PARAGRAPHS)]
    out = f"\n{pad}<p>\n{pad} {text}\n{pad} <b>\n{pad}  {2000 + i % 30}\n{pad} </b>"
    if i % 4 == 3:
        cells = "".join(f"\n{pad}  <td>\n{pad}   {i % 97}.{j}\n{pad}  </td>" for j in range(4))
        out += f"\n{pad} <table>\n{pad} <tr>{cells}\n{pad} </tr>\n{pad} </table>"
    return out + (f"\n{pad}</p>" if closed else "")


def mirror_page(variant: Variant | None = None, depth: int = 0, size: int = 6_000, n: int = 13374563) -> str:
    """A mirror page in seed 002's structure.

    ``depth`` > 0 leaves the first ``depth`` paragraphs unclosed, each indented one step deeper (as in
    the stalled page of issue 13); ``size`` is the approximate length in characters.
    """
    v = variant or VARIANTS[0]
    head = (
        f"### {v.title}\n\n---\n\n{NAV.format(n=n)}\n\n\n"
        f'<div><img alt="{v.title}" class="wp-post-image" src="https://i.example.org/lead-600x400.jpeg"/>\n'
        '<div class="caption">\n 資料圖片：兩國官員在會談前握手。\n</div></div><hr/>'
        '<div class="post_content" id="artbody" itemprop="articleBody">\n <!-- article content begin -->\n'
    )
    if v.stamp:
        head = f"### {v.title}\n\n{v.stamp}\n\n" + head[len(f"### {v.title}\n\n"):]
    parts = [head, f" <p>\n  {v.dateline}美中两国官员本周举行会谈。\n </p>"]
    total = sum(len(p) for p in parts)
    i = 0
    while total < size:
        p = _paragraph(i, depth, closed=i >= depth)
        parts.append(p)
        total += len(p)
        i += 1
    parts.append("\n <p>\n  责任编辑：华子明\n </p>\n <!-- article content end -->\n</div>\n\n\n---\n\n")
    if v.url:  # without it, only the dateline names the outlet
        parts.append(f"原文链接（需翻墙）：{v.url}")
    return "".join(parts)


FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "mirror_family"


def write_fixtures(directory: Path = FIXTURE_DIR) -> list[Path]:
    """Write one small page per variant (and one without its footer URL) plus ``expected.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict[str, str]] = {}
    written = []
    for v in VARIANTS:
        for suffix, variant in (("", v), ("-no-url", replace(v, url=""))):
            name = f"{v.key}{suffix}.md"
            path = directory / name
            path.write_text(mirror_page(variant, depth=12, size=4_000), encoding="utf-8")
            expected[name] = {"title": v.title, "date": v.date, "outlet": v.outlet}
            written.append(path)
    (directory / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return written


if __name__ == "__main__":
    for p in write_fixtures():
        print(p)
