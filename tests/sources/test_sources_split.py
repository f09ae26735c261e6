"""Feeds and WARC files split into leaf records, each parsed into an article.

The feed and WARC inputs are built at test time from the real seed text (tests/fixtures/seeds):
the DW article of seed 004 as an RSS 2.0 item and an Atom entry, the Epoch Times article of
seed 002 as a GBK-encoded HTML page inside a gzipped WARC response.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, Quarantined, RawDoc
from summitwatch.sources.detect import detect_format, sniff_container
from summitwatch.sources.split import split_record

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


def dw_body_html() -> str:
    return seed_text("004").split("------", 1)[1].strip()


def rss_feed() -> bytes:
    body = html.escape(dw_body_html())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>DW 中文 | 德國之聲</title><link>https://www.dw.com/zh</link>
<item><title>傳「拜習會」11月15日登場 北京：準備好了</title>
<link>https://www.dw.com/zh/%E5%82%B3/a-67349937</link>
<pubDate>Thu, 09 Nov 2023 04:43:30 GMT</pubDate><category>中美關係</category>
<description>{body}</description></item>
<item><title>第二則</title><link>https://www.dw.com/zh/x/a-1</link>
<description>&lt;p&gt;（德國之聲中文網）第二則新聞的內容。&lt;/p&gt;</description></item>
</channel></rss>""".encode()


def test_rss_items_become_articles() -> None:
    raw = RawDoc("dw/feed.xml", rss_feed())
    assert sniff_container(raw.data, raw.source) == "feed"
    kids = split_record(raw)
    assert kids is not None and [k.source for k in kids] == ["dw/feed.xml#item=1", "dw/feed.xml#item=2"]
    assert all(k.hint == "feed-item" for k in kids)
    meta = kids[0].meta_dict()
    assert meta["link"] == "https://www.dw.com/zh/%E5%82%B3/a-67349937"
    assert meta["title"] == "傳「拜習會」11月15日登場 北京：準備好了"
    a = parse_record(kids[0])
    assert isinstance(a, Article)
    assert a.format == "feed-item"
    assert a.title == "傳「拜習會」11月15日登場 北京：準備好了"
    assert (a.outlet, a.url, a.site_article_no) == (
        "德國之聲",
        "https://www.dw.com/zh/a-67349937",
        "67349937",
    )
    assert a.published == "2023-11-09T04:43:30+00:00"
    assert a.tags == ("中美關係",)
    assert any(p.startswith("（德國之聲中文網）消息人士指出") for p in a.paragraphs)
    assert "版權聲明" not in a.text
    assert a.figures[0].src == "https://static.dw.com/image/63748879_303.jpg"
    b = parse_record(kids[1])
    assert isinstance(b, Article) and b.paragraphs == ("（德國之聲中文網）第二則新聞的內容。",)


def test_atom_entry() -> None:
    body = html.escape(
        "<p>（德國之聲中文網）消息人士指出，美國總統拜登和中國國家主席習近平預計將於11月15日在美國舊金山會面。</p>"
    )
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>DW</title>
<entry><title>傳「拜習會」11月15日登場</title><link href="https://www.dw.com/zh/a-67349937"/>
<id>tag:dw,1</id><updated>2023-11-09T04:43:30Z</updated><author><name>DW</name></author>
<content type="html">{body}</content></entry></feed>""".encode()
    kids = split_record(RawDoc("atom.xml", feed))
    assert kids is not None and len(kids) == 1
    a = parse_record(kids[0])
    assert isinstance(a, Article) and a.published == "2023-11-09T04:43:30Z" and a.author == "DW"


def test_entity_expansion_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<rss><channel><item><title>&lol2;</title></item></channel></rss>"
    )
    kids = split_record(RawDoc("evil.xml", laughs))
    assert kids is not None and len(kids) == 1
    out = parse_record(kids[0])
    assert isinstance(out, Quarantined) and out.reason == "unsafe-xml" and out.source == "evil.xml"


def test_feed_without_items() -> None:
    kids = split_record(
        RawDoc("empty.xml", b'<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>')
    )
    out = parse_record(kids[0])
    assert isinstance(out, Quarantined) and out.reason == "empty"


def epoch_page_gbk() -> bytes:
    text = seed_text("002")
    start = text.index('<div class="post_content"')
    end = text.index("<!-- article content end -->")
    return (
        '<!DOCTYPE html><html><head><meta charset="gbk"><title>拜习会前 布林肯和王毅通话 台湾问题分歧大 | 大纪元</title>'
        '<meta property="og:title" content="拜习会前 布林肯和王毅通话 台湾问题分歧大">'
        '<meta property="og:site_name" content="大纪元"></head><body><nav><a href="/">首页</a></nav>'
        "<h1>拜习会前 布林肯和王毅通话 台湾问题分歧大</h1>" + text[start:end] + "</div></body></html>"
    ).encode("gb18030")


def build_warc() -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    page = epoch_page_gbk()
    writer.write_record(
        writer.create_warc_record("dns:www.epochtimes.com", "resource", payload=io.BytesIO(b"1.2.3.4"))
    )
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://www.epochtimes.com/gb/21/11/14/n13374563.htm",
            "response",
            payload=io.BytesIO(page),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2021-11-15T01:02:03Z"},
        )
    )
    img = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://i.epochtimes.com/a.jpg",
            "response",
            payload=io.BytesIO(b"\xff\xd8\xff"),
            http_headers=img,
        )
    )
    return buf.getvalue()


def test_warc_html_responses_become_articles() -> None:
    raw = RawDoc("crawl/epoch.warc.gz", build_warc())
    assert sniff_container(raw.data, raw.source) == "warc"
    kids = split_record(raw)
    assert kids is not None and [k.source for k in kids] == ["crawl/epoch.warc.gz#record=2"]
    assert kids[0].hint == "html"
    meta = kids[0].meta_dict()
    assert meta["target_uri"] == "https://www.epochtimes.com/gb/21/11/14/n13374563.htm"
    assert meta["warc_date"] == "2021-11-15T01:02:03Z"
    assert detect_format(kids[0], "<html>") == "warc-html"
    a = parse_record(kids[0])
    assert isinstance(a, Article), a
    assert a.format == "warc-html"
    assert a.title == "拜习会前 布林肯和王毅通话 台湾问题分歧大"
    assert (a.outlet, a.author) == ("大紀元", "夏雨")
    assert a.published_date == "2021-11-14"
    assert a.archived_at == "2021-11-15T01:02:03Z"
    assert a.url == "https://www.epochtimes.com/gb/21/11/14/n13374563.htm"
    assert "美国官员认为，与习近平直接接触是防止世界两大经济体之间关系恶化为冲突的最佳方式。" in a.paragraphs
    assert "首页" not in a.text


def test_damaged_warc_is_quarantined() -> None:
    data = build_warc()[:200]
    kids = split_record(RawDoc("broken.warc.gz", data))
    assert kids is not None
    outs = [parse_record(k) for k in kids]
    assert all(isinstance(o, Quarantined) for o in outs)
    assert outs[0].reason in ("bad-container", "empty")


def test_non_containers() -> None:
    seed = next(SEEDS.glob("000_*.txt"))
    assert split_record(RawDoc(seed.name, seed.read_bytes())) is None
    assert split_record(RawDoc("a.html", b"<!doctype html><html><body><p>x</p></body></html>")) is None
