"""Quotes in a headline kept outside the article text (most formats: no "title" block).

A headline often carries the quote the story is about (「習近平稱「分裂國家沒有好下場」　台灣回應：…」,
「拜登承諾「…」　不想與中國展開冷戰」). Its words are read with the article's own direct-quote pass
(``quotes.direct_quotes``: the same spans, speech test and attribution), over the headline as a text
of its own. A headline strings several clauses together with full-width spaces where prose would put
a full stop, so each such separator becomes a line break first (offsets unchanged): a headline part is
then a paragraph, and an attribution never reaches across into the next part. A speaker and a colon
(「台灣回應：」) are the machinery's own form. A few words are verbs in a headline's telegraphic style
but mostly nouns in running text (「拜登承諾「…」」 against 「作出承諾」): the cue file's
``quotes.headline_verbs`` attribute quotes here only. Only direct quotes: a headline's unmarked words
(「美財政部：不再列…」) are not quoted speech, and the body reports them anyway.

A headline quote the body prints too, by the same speaker, is the same quote and is left out: the
words of one hold (punctuation and script aside) the words of the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from summitwatch.engagements.quote_spans import MARKS
from summitwatch.engagements.quotes import direct_quotes
from summitwatch.mentions import normalise, scan
from summitwatch.mentions.cues import load_cues
from summitwatch.model import Quote

__all__ = ["title_quotes", "headline_parts"]

# A full-width space, or a run of ASCII spaces between two non-ASCII characters (「…下場」 「台灣…」):
# where a headline ends one clause and starts the next. A space inside Latin words (「Jen Psaki」) stays.
_SEPARATOR = re.compile(r"\u3000+|(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")
_NON_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


def headline_parts(norm: str) -> str:
    """``norm`` with every headline separator turned into line breaks of the same length."""
    return _SEPARATOR.sub(lambda m: "\n" * len(m.group()), norm)


def _words(text: str) -> str:
    return _NON_WORD.sub("", normalise(text))


def title_quotes(title: str, kn: Any, date: str | None, body_quotes: Iterable[Quote] = ()) -> list[Quote]:
    """Direct quotes of ``title`` (offsets into the title, ``in_title`` set), without those the body
    already gives to the same speaker."""
    if not any(c in MARKS for c in title):
        return []  # no quote mark: no gazetteer pass either
    norm = normalise(title)
    spans = scan(title, kn, norm)
    found = direct_quotes(title, headline_parts(norm), spans, kn, date,
                          tuple(load_cues()["quotes"]["headline_verbs"]))
    body = [(q.speaker, _words(q.text)) for q in body_quotes if not q.reported]
    out: list[Quote] = []
    for q in found:
        w = _words(q.text)
        if not w or any(spk == q.speaker and b and (w in b or b in w) for spk, b in body):
            continue
        out.append(replace(q, in_title=True))
    return out
