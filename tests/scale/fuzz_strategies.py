"""Hypothesis strategies for fuzzing the parsers, shared by tests/scale/test_scale_fuzz.py and
bench/fuzz.py (the bench adds this directory to ``sys.path``).

Inputs: random bytes; the real bundled seeds and HTML pages (tests/fixtures) mutated (bit flips,
truncation, spliced garbage, byte-range duplication, re-encoding); random HTML from a small tag
grammar with hostile attributes (scripts, event handlers, ``javascript:`` URLs, deep nesting);
random Markdown with YAML front matter; random RSS feeds.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from summitwatch.model import RawDoc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_BYTES: list[bytes] = [p.read_bytes() for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
HTML_BYTES: list[bytes] = [p.read_bytes() for p in sorted((FIXTURES / "html").glob("*.html"))]
REAL = SEED_BYTES + HTML_BYTES
NAMES = ["a.md", "a.txt", "a.html", "a.xml", "feed.rss", "page.htm", "x", "a.warc"]

_TEXT = st.text(
    alphabet=st.sampled_from(
        list("中美會談拜登習近平北京華盛頓。，「」 abc<>&;\"'=/\n\t#*-|[]()!:{}") + ["\x00", "\ufffd"]
    ),
    max_size=80,
)


@st.composite
def mutated_real(draw: st.DrawFn) -> bytes:
    """A real seed or HTML page with a few random mutations."""
    data = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "splice", "dup", "delete"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[i:]
        elif op == "splice":
            data[i:i] = draw(st.binary(max_size=64))
        elif op == "dup":
            j = draw(st.integers(i, min(len(data), i + 512)))
            data[i:i] = data[i:j] * draw(st.integers(1, 20))
        else:
            j = draw(st.integers(i, min(len(data), i + 2048)))
            del data[i:j]
    if draw(st.booleans()) and draw(st.booleans()):
        enc = draw(st.sampled_from(["gb18030", "big5", "utf-16", "latin-1"]))
        data = bytearray(bytes(data).decode("utf-8", "replace").encode(enc, "replace"))
    return bytes(data)


_TAGS = ["div", "p", "span", "article", "h1", "h2", "a", "img", "script", "style", "table", "td", "br",
         "iframe", "svg", "figure", "figcaption", "meta", "title", "ok", "noscript", "template"]  # fmt: skip
_ATTRS = ['href="javascript:alert(1)"', 'onclick="alert(1)"', 'src="x" onerror="alert(1)"', 'class="content"',
          'property="og:title" content="中美會談"', 'href="https://web.archive.org/web/2020/https://x.com/a"',
          'style="display:none"', 'id="main"', "data-x='<script>'"]  # fmt: skip


@st.composite
def random_html(draw: st.DrawFn, depth: int = 0) -> str:
    """Random HTML: nested tags with hostile attributes and Chinese text."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 5 if depth < 4 else 1))):
        kind = draw(st.integers(0, 3))
        if kind == 0 or depth >= 6:
            parts.append(draw(_TEXT))
        else:
            tag = draw(st.sampled_from(_TAGS))
            attrs = " ".join(draw(st.lists(st.sampled_from(_ATTRS), max_size=2)))
            inner = draw(random_html(depth + 1))
            close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes unclosed
            parts.append(f"<{tag} {attrs}>{inner}{close}")
    if depth == 0 and draw(st.booleans()):
        nest = draw(st.integers(0, 3000))
        parts.append("<div>" * nest + "美中" + "</div>" * nest)
    return "".join(parts)


@st.composite
def random_markdown(draw: st.DrawFn) -> str:
    """Markdown with (possibly broken) YAML front matter."""
    keys = draw(st.lists(st.sampled_from(["title", "date", "url", "author", "tags", "categories", "source"]),
                         max_size=6))  # fmt: skip
    fm = "\n".join(f"{k}: {draw(_TEXT)}" for k in keys)
    body = "\n\n".join(draw(st.lists(_TEXT, max_size=8)))
    head = draw(st.sampled_from(["---\n", "", "---\n---\n", "+++\n"]))
    tail = draw(st.sampled_from(["\n---\n", "\n", ""]))
    return f"{head}{fm}{tail}\n{body}"


@st.composite
def random_feed(draw: st.DrawFn) -> str:
    items = "".join(
        f"<item><title>{draw(_TEXT)}</title><link>{draw(_TEXT)}</link>"
        f"<pubDate>{draw(_TEXT)}</pubDate><description><![CDATA[{draw(random_html())}]]></description></item>"
        for _ in range(draw(st.integers(0, 3)))
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def records() -> st.SearchStrategy[RawDoc]:
    """Any of the above as a RawDoc with a random file name and an occasional format hint."""
    data = st.one_of(
        st.binary(max_size=4096),
        mutated_real(),
        random_html().map(str.encode),
        random_markdown().map(str.encode),
        random_feed().map(str.encode),
    )
    hint = st.one_of(st.none(), st.sampled_from(["yaml-markdown", "mirror-markdown", "rss-mirror", "html"]))
    return st.builds(lambda d, n, h: RawDoc(source=n, data=d, hint=h), data, st.sampled_from(NAMES), hint)
