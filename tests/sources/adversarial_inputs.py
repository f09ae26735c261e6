"""Adversarial inputs and the text steps they are run through (shared by the hang-guard test and
``bench/adversarial.py``, which adds this directory to ``sys.path``).

Why these inputs: each one is a shape that makes a backtracking regex or a quadratic loop blow up,
and each occurs in real pages at a smaller scale: long whitespace runs (prettified HTML), thousands
of unclosed nested ``<p>``/``<div>`` with growing indentation (the 2.1 MB page of issue 13), huge
tables, and long runs of one punctuation mark (dividers, broken CJK quotes, Markdown rules).
Each input is about 1 MB of text; the mirror page is about 2 MB.

``STEPS`` is the explicit list of text steps the hang guard covers; every step takes one string.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1] / "tests" / "articles") not in sys.path:
    sys.path.insert(0, str(HERE.parents[1] / "tests" / "articles"))

from mirror_family import mirror_page  # noqa: E402

from summitwatch.articles.boilerplate import boilerplate_cut, placeholder_reason  # noqa: E402
from summitwatch.articles.numerals import find_cn_dates  # noqa: E402
from summitwatch.articles.parse import parse_record  # noqa: E402
from summitwatch.engagements.dates import find_dates  # noqa: E402
from summitwatch.engagements.detect import meeting_cues  # noqa: E402
from summitwatch.engagements.quotes import find_quotes  # noqa: E402
from summitwatch.engagements.sentences import split_sentences  # noqa: E402
from summitwatch.knowledge import load_knowledge  # noqa: E402
from summitwatch.mentions import Span, normalise, scan  # noqa: E402
from summitwatch.model import Article, Block, RawDoc  # noqa: E402
from summitwatch.sources.fragment import Parts, clean_markdown_inline, html_to_parts, normalise_html_space  # noqa: E402
from summitwatch.sources.html import extract_html, normalise_space  # noqa: E402
from summitwatch.sources.markdown import markdown_to_parts  # noqa: E402
from summitwatch.sources.mirror import parse_mirror  # noqa: E402
from summitwatch.sources.rssmirror import parse_rss_mirror  # noqa: E402

SIZE = 1_000_000  # characters per input


def _rep(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _nested(tag: str, depth: int, indent_cap: int | None) -> str:
    """``depth`` unclosed ``<tag>`` elements, each on its own line indented by its depth."""
    out = []
    for i in range(depth):
        pad = " " * (i if indent_cap is None else min(i, indent_cap))
        out.append(f"\n{pad}<{tag}>\n{pad} 第{i}段文字，")
    return "".join(out)


def _table(cells: int) -> str:
    row = "<tr>" + "<td>格</td>" * 10 + "</tr>\n"
    return "<table>" + row * (cells // 10) + "</table>"


def _md_table(cells: int) -> str:
    return ("| 格 " * 10 + "|\n") * (cells // 10)


# name -> builder of an input of about ``size`` characters (SIZE: 1 MB; counts scale with size:
# 10,000 levels of nesting and 100,000 table cells at 1 MB)
INPUT_BUILDERS: dict[str, Callable[[int], str]] = {
    "ws-spaces": lambda n: "中" + " " * n + "文",
    "ws-mixed": lambda n: "中" + _rep(" \t\u00a0\n", n) + "文",
    "ws-ideographic": lambda n: "中" + "\u3000" * n + "x",
    "ws-indent-lines": lambda n: "".join("中\n" + " " * i for i in range(int((2 * n) ** 0.5))),
    "nest-p-10k": lambda n: _nested("p", n // 100, 90),
    "nest-div-10k": lambda n: _nested("div", n // 100, 90),
    "nest-p-indent": lambda n: _nested("p", int((2 * n) ** 0.5), None),
    "table-100k": lambda n: _table(n // 10),
    "md-table-100k": lambda n: _md_table(n // 10),
    "run-「": lambda n: "「" * n,
    "run-，": lambda n: "，" * n,
    "run-*": lambda n: "*" * n,
    "run--": lambda n: "-" * n,
    "run-=": lambda n: "=" * n,
    "run-|": lambda n: "|" * n,
    "run-[": lambda n: "[" * n,
    "run-<": lambda n: "<" * n,
    "run-_": lambda n: "_" * n,
    "run-#": lambda n: "#" * n,
    "run-【": lambda n: "【" * n,
    "run-〇": lambda n: "〇" * n,
    "run-digits": lambda n: "2" * n,
    "rep-unclosed-link": lambda n: _rep("[a](", n),
    "rep-unclosed-comment": lambda n: _rep("<!--", n),
    "rep-unclosed-tag": lambda n: _rep("<a href=x ", n),
    "rep-emphasis": lambda n: _rep("*a ", n),
    "rep-cn-dates": lambda n: _rep("二零二零年十一月十日", n),  # dense matches: 100,000 dates at 1 MB
    "mirror-2mb": lambda n: mirror_page(depth=3 * n // 1000, size=2 * n),
}


@cache
def adversarial_input(name: str, size: int = SIZE) -> str:
    """One adversarial input of about ``size`` characters, built once per process."""
    return INPUT_BUILDERS[name](size)


@cache
def _kn() -> Any:
    return load_knowledge()


def _article(text: str) -> Article:
    return Article("x", "h", "adv.md", "text", "標題", (Block("paragraph", text),), published="2021-11-14")


def _sentences(text: str) -> Any:
    return split_sentences(_article(text))


def _dates(text: str) -> Any:
    return find_dates(text, "2021-11-14")


def _mentions(text: str) -> Any:
    return scan(text, _kn())


def _cues(text: str) -> Any:
    return meeting_cues(normalise(text), [], 0)


def _quote_args(text: str) -> tuple[str, str, Any, list[Span]]:
    """find_quotes' arguments: every sentence opens with a named speaker (the most work per sentence)."""
    sents = _sentences(text)
    return text, normalise(text), sents, [Span("person", "Antony Blinken", "US", s.start, s.start) for s in sents]


def _quotes_of(args: tuple[str, str, Any, list[Span]]) -> Any:
    return find_quotes(*args, _kn(), "2021-11-14")


def _quotes(text: str) -> Any:
    return _quotes_of(_quote_args(text))


def _boilerplate(text: str) -> Any:
    blocks = [("paragraph", line) for line in text.split("\n")]
    return boilerplate_cut(blocks), placeholder_reason(text)


def _record(text: str) -> Any:
    return parse_record(RawDoc("adversarial.md", text.encode("utf-8")))


def _record_html(text: str) -> Any:
    return parse_record(RawDoc("adversarial.html", f"<html><body>{text}</body></html>".encode(), hint="html"))


# the explicit list of text steps the hang guard covers (name -> function of one string)
STEPS: dict[str, Callable[[str], Any]] = {
    "normalise_html_space": normalise_html_space,
    "html.normalise_space": normalise_space,
    "clean_markdown_inline": lambda t: clean_markdown_inline(t, Parts()),
    "boilerplate": _boilerplate,
    "split_sentences": _sentences,
    "find_dates": _dates,
    "find_cn_dates": find_cn_dates,
    "mentions.scan": _mentions,
    "meeting_cues": _cues,
    "find_quotes": _quotes,
    "html_to_parts": lambda t: html_to_parts(t, Parts()),
    "extract_html": lambda t: extract_html(f"<html><body>{t}</body></html>"),
    "markdown_to_parts": markdown_to_parts,
    "parse_mirror": parse_mirror,
    "parse_rss_mirror": parse_rss_mirror,
    "parse_record(md)": _record,
    "parse_record(html)": _record_html,
}

# steps that read what other steps build (find_quotes reads sentences and mentions): name -> (builder
# of the arguments from the text, the step on them). The bench times the step alone, its arguments
# built untimed, as bench/extract_speed.py times find_quotes: split_sentences has its own row, and
# the mentions (one per sentence) are the bench's own. The hang guard runs both, as STEPS does.
SETUP: dict[str, tuple[Callable[[str], Any], Callable[[Any], Any]]] = {
    "find_quotes": (_quote_args, _quotes_of),
}
