"""Web-archive and proxy wrappers are removed from URLs; the wrapped form and capture time are kept."""

from __future__ import annotations

import pytest

from summitwatch.articles.outlets import canonical_article_url, outlet_by_text, outlet_by_url
from summitwatch.articles.urls import archive_timestamp, is_damaged_url, unwrap_url


@pytest.mark.parametrize(
    ("wrapped", "target", "archived_at"),
    [
        (
            "https://web.archive.org/web/20220117161412/https://hkcnews.com/article/47751/x",
            "https://hkcnews.com/article/47751/x",
            "2022-01-17T16:14:12Z",
        ),
        (  # the im_ image form
            "https://web.archive.org/web/20220117161412im_/https://hkcnews.com/news_新聞/a_large.png",
            "https://hkcnews.com/news_新聞/a_large.png",
            "2022-01-17T16:14:12Z",
        ),
        (  # relative capture links inside archived pages
            "/web/20210712054633/https://www.hkcnews.com/aboutus/#subscribe",
            "https://www.hkcnews.com/aboutus/#subscribe",
            "2021-07-12T05:46:33Z",
        ),
        (  # the collapsed http:/ form and a short timestamp
            "http://web.archive.org/web/2019/http:/www.example.com/a",
            "http://www.example.com/a",
            "2019-01-01T00:00:00Z",
        ),
        (  # proxy with a scheme-less target
            "https://images.weserv.nl/?url=static.dw.com/image/63748879_303.jpg",
            "https://static.dw.com/image/63748879_303.jpg",
            None,
        ),
        (  # proxy with an encoded target and other parameters
            "https://images.weserv.nl/?w=300&url=https%3A%2F%2Fstatic.dw.com%2Fimage%2F1.jpg",
            "https://static.dw.com/image/1.jpg",
            None,
        ),
        (  # a proxy inside an archive capture
            "https://web.archive.org/web/20230101000000/https://images.weserv.nl/?url=static.dw.com/i.jpg",
            "https://static.dw.com/i.jpg",
            "2023-01-01T00:00:00Z",
        ),
    ],
)
def test_unwrap(wrapped: str, target: str, archived_at: str | None) -> None:
    got, kept, at = unwrap_url(wrapped)
    assert got == target
    assert kept == (wrapped if not wrapped.startswith("/") else "https://web.archive.org" + wrapped)
    assert at == archived_at


def test_plain_urls_untouched() -> None:
    assert unwrap_url("https://www.dw.com/zh/a-1") == ("https://www.dw.com/zh/a-1", None, None)
    assert unwrap_url("") == ("", None, None)


def test_archive_timestamp_validation() -> None:
    assert archive_timestamp("20211399000000") is None  # month 13
    assert archive_timestamp("abc") is None


def test_damaged_urls() -> None:
    assert is_damaged_url("https://hkcnews.com/article/47751/" + "%EF%BF%BD" * 9 + "-47751")
    assert is_damaged_url("https://x.org/\ufffd\ufffd\ufffd")
    assert not is_damaged_url("https://www.hkcnews.com/article/38089/%E4%B8%AD%E7%BE%8E")
    assert not is_damaged_url(None)


def test_canonical_urls_per_outlet() -> None:
    assert canonical_article_url("https://hkcnews.com/article/47751/%EF%BF%BD-47751/slug") == (
        "https://www.hkcnews.com/article/47751",
        "47751",
    )
    assert canonical_article_url("http://m.hkcnews.com/article/1234") == (
        "https://www.hkcnews.com/article/1234",
        "1234",
    )
    assert canonical_article_url("https://www.epochtimes.com/b5/21/11/14/n13374563.htm") == (
        "https://www.epochtimes.com/gb/21/11/14/n13374563.htm",
        "13374563",
    )
    assert canonical_article_url("https://www.dw.com/zh/%E5%82%B3/a-67349937") == (
        "https://www.dw.com/zh/a-67349937",
        "67349937",
    )
    assert canonical_article_url("https://example.com/a/1") == (None, None)


def test_outlet_recognition() -> None:
    assert outlet_by_url("https://www.epochtimes.com/gb/x.htm").name == "大紀元"
    assert outlet_by_url("https://news.163.com/a.html").name_en == "NetEase News"
    assert outlet_by_url("https://example.com/") is None
    assert outlet_by_text("【大纪元2021年11月14日讯】……").name_en == "Epoch Times"
    assert outlet_by_text("（德國之聲中文網）消息人士指出").name == "德國之聲"
    assert outlet_by_text("一段沒有標記的文字") is None
