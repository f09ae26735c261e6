"""Engagements, quotes and topics of one article (pure: article + knowledge in, Extraction out).

A cheap prefilter comes first: one gazetteer pass; only articles naming officials (or offices) of
both sides and using a meeting word go on to sentence-level detection. Repeated mentions of one
engagement inside an article merge into one record (same sides, modality and compatible date).
"""

from __future__ import annotations

from typing import Any

from summitwatch.engagements.detect import TITLED_FOCUS_DAYS, Candidate, Detector
from summitwatch.engagements.quote_title import title_quotes
from summitwatch.engagements.quotes import find_quotes
from summitwatch.engagements.sentences import split_sentences
from summitwatch.engagements.topics import article_topics, engagement_topics
from summitwatch.mentions import Span, find_mentions, normalise, scan
from summitwatch.mentions.cues import load_cues
from summitwatch.model import Article, Engagement, Extraction, Mention

EXTRACTOR_VERSION = "eng-0.6"

__all__ = ["EXTRACTOR_VERSION", "extract_article", "prefilter"]


def prefilter(norm: str, spans: list[Span]) -> bool:
    """Both sides named (by name, office or a collective word) and some meeting word present."""
    cues = load_cues()
    sides = {s.side for s in spans if s.kind in ("person", "office")}
    both = "US" in sides and "PRC" in sides
    if not both and not any(w in norm for w in cues["collective"]):
        return False
    return any(w in norm for lst in cues["modality"].values() for w in lst) or any(
        s.kind == "person" and s.end - s.start == 1 for s in spans)


def extract_article(article: Article, kn: Any) -> Extraction:
    """Mentions, engagements (spec fields), quotes and topics of one article."""
    text = article.text
    norm = normalise(text)
    spans = scan(text, kn, norm)
    pub = article.published_date
    mentions = tuple(find_mentions(article, kn, pub, spans))
    title_end = len(article.blocks[0].text) if article.blocks and article.blocks[0].kind == "title" else 0
    topics = article_topics(mentions, text, title_end)
    if not prefilter(norm, spans):
        return Extraction(article.id, mentions, (), (), topics, EXTRACTOR_VERSION)
    sentences = split_sentences(article)
    lead = _lead_blocks(article)
    det = Detector(kn, text, norm, spans, pub)
    det.title_norm = normalise(article.title or "")
    det.title_people = [s.key for s in scan(article.title or "", kn, det.title_norm) if s.kind == "person"]
    cands = det.candidates(sentences, lead)
    merged = merge_candidates(cands)
    if not (article.blocks and article.blocks[0].kind == "title"):
        for c in merged:  # a title kept outside the blocks still states the day of the meeting it names
            if (hit := det.title_day(c)) is not None:
                c.date, c.date_end, c.precision, c.approx = hit.date, hit.date_end, "day", None
    for c in merged:  # a meeting on the visit the lead dates and places, in talks below the spec's level
        if (visit := det.visit_of(c)) is not None:
            c.date, c.precision, c.location = visit[0], "day", visit[1]
    for c in merged:
        if c.focus and pub and _is_past_background(c, pub):
            c.focus = False
    engagements = tuple(_engagement(c, mentions) for c in merged)
    quotes = tuple(find_quotes(text, norm, sentences, spans, kn, pub))
    if not (article.blocks and article.blocks[0].kind == "title"):
        # a headline kept outside the text: its quotes come first, as a reader meets them
        quotes = tuple(title_quotes(article.title or "", kn, pub, quotes)) + quotes
    return Extraction(article.id, mentions, engagements, quotes, topics, EXTRACTOR_VERSION)


def _is_past_background(c: Candidate, pub: str) -> bool:
    """An engagement dated well before publication (over a week, or an earlier month) is background."""
    from datetime import date as _d

    if c.date:
        age = (_d.fromisoformat(pub[:10]) - _d.fromisoformat(c.date)).days
        return age > 7 and not (c.titled and age <= TITLED_FOCUS_DAYS)
    return bool(c.approx and c.approx < pub[:len(c.approx)])


def _lead_blocks(article: Article) -> set[int]:
    """The title, and the first paragraph of the body (the news lead)."""
    out: set[int] = set()
    n_par = 0
    for i, b in enumerate(article.blocks):
        if b.kind == "title":
            out.add(i)
        elif b.kind == "paragraph":
            n_par += 1
            if n_par <= 2:
                out.add(i)
    return out


def _compatible(a: Candidate, b: Candidate) -> bool:
    if a.modality != b.modality and not (
            ((a.weak and not a.location and b.modality == "video") or (b.weak and not b.location and a.modality == "video"))
            and a.status == b.status):
        return False  # a generic 「會晤」「峰會」 may be the video summit, never a phone call
    if not (set(a.us) & set(b.us) and set(a.cn) & set(b.cn)):
        return False
    if a.location and b.location and a.location != b.location:
        return False
    if (a.listed or b.listed) and not (a.date and b.date):
        return False  # a call told apart by its listed day stays apart from undated mentions
    if a.date and b.date:
        from datetime import date as _d

        da, db = _d.fromisoformat(a.date), _d.fromisoformat(b.date)
        ea = _d.fromisoformat(a.date_end) if a.date_end else da
        eb = _d.fromisoformat(b.date_end) if b.date_end else db
        return (db - ea).days <= 1 and (da - eb).days <= 1
    if a.approx and b.approx:
        return a.approx[:len(b.approx)] == b.approx[:len(a.approx)]
    da = a.date or a.approx
    db = b.date or b.approx
    if da and db:
        return da[:len(db)] == db[:len(da)] if (a.approx or b.approx) else True
    # a dated record and an undated background mention are kept apart
    if (a.date and b.background) or (b.date and a.background):
        return False
    return True


def merge_candidates(cands: list[Candidate]) -> list[Candidate]:
    """One record per engagement: repeated mentions with the same sides, modality and date merge."""
    out: list[Candidate] = []
    for c in cands:
        for m in out:
            if _compatible(m, c):
                if m.modality != c.modality and m.weak and not c.weak:
                    m.modality, m.weak = c.modality, c.weak
                if c.modality != m.modality and c.weak:
                    pass  # a generic meeting word adopts the specific modality already found
                m.us = m.us + [n for n in c.us if n not in m.us]
                m.cn = m.cn + [n for n in c.cn if n not in m.cn]
                if not m.date and c.date:
                    m.date, m.date_end, m.precision, m.approx = c.date, c.date_end, "day", None
                    m.status = c.status  # the dated mention tells whether it is ahead or done
                elif m.date and c.date and c.date_end and not m.date_end and c.date_end > m.date:
                    m.date_end = c.date_end
                if not m.approx and not m.date and c.approx:
                    m.approx, m.precision = c.approx, c.precision
                m.location = m.location or c.location
                m.occasion = m.occasion or c.occasion
                m.focus = m.focus or c.focus
                m.titled = m.titled or c.titled
                m.extra_sentences.append(c.sentence)
                break
        else:
            out.append(c)
    return out


def _engagement(c: Candidate, mentions: tuple[Mention, ...]) -> Engagement:
    s = c.sentence
    return Engagement(
        us=tuple(c.us), cn=tuple(c.cn), modality=c.modality, status=c.status, focus=c.focus,  # type: ignore[arg-type]
        evidence=s.text, date=c.date, date_end=c.date_end,
        date_approx=c.approx if not c.date else None,
        date_precision=c.precision,  # type: ignore[arg-type]
        location=c.location, occasion=c.occasion,
        topics=engagement_topics(mentions, s.start, s.end),
        evidence_start=s.start, evidence_end=s.end,
    )
