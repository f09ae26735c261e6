"""Merge per-article engagement records into one deduplicated timeline.

Two records are the same engagement when each side shares a participant, the modality agrees and
the dates agree within a day (Beijing and Washington dates differ by one). Dated records are merged
first, in date order, each joining the best-matching existing cluster (participants weighted by how
many of the cluster's records name them, so an article that lumps two meetings of one trip together
cannot chain them into one). Undated records then join the engagement their participants, modality,
place and publication date point to: a report of a held engagement the latest matching one on or
before publication, a report of a planned one the next one after it. What matches nothing forms
undated entries, grouped by participants, modality, place and approximate date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from summitwatch.model import TimelineEntry
from summitwatch.timeline import ids
from summitwatch.timeline.dating import approx_compatible, choose_date, cite, record_weight, states_day
from summitwatch.timeline.lifecycle import final_status, history
from summitwatch.timeline.modality import settle_modality
from summitwatch.timeline.outlets import Framing, compare_outlets
from summitwatch.timeline.records import QuoteRef, RecordRef, name_key, parse_day

TOLERANCE = dt.timedelta(days=1)  # US/Beijing frames
FOCUS_WINDOW_DAYS = 10  # an article about a held engagement reports it within days
BACKGROUND_WINDOW_DAYS = 400  # a background mention refers back at most about a year
PLANNED_WINDOW_DAYS = 120  # an announcement precedes the engagement by at most a few months
UNDATED_FOCUS_WINDOW_DAYS = 14  # undated focus reports of one engagement appear close together
PLAN_SHIFT_DAYS = 14  # a plan whose day differs from the held engagement's by up to two weeks is that plan
WEAK_DATE_DAYS = 7  # a day no source states outright may be off by up to a week


@dataclass(slots=True)
class _Cluster:
    """A growing group of records believed to be one engagement (internal, mutable)."""

    modality: str
    idx: int = 0  # position in its index
    members: list[RecordRef] = field(default_factory=list)
    us: Counter[str] = field(default_factory=Counter)
    cn: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)
    weight: Counter[str] = field(default_factory=Counter)  # participant -> summed record weights (for ids)
    locations: Counter[str] = field(default_factory=Counter)
    approx: Counter[str] = field(default_factory=Counter)
    occasions: Counter[str] = field(default_factory=Counter)
    lo: dt.date | None = None
    hi: dt.date | None = None
    stated_span: int = 0  # longest multi-day span a member states (days)

    def add(self, ref: RecordRef) -> None:
        e = ref.engagement
        self.members.append(ref)
        for side, counter in ((e.us, self.us), (e.cn, self.cn)):
            for n in dict.fromkeys(side):
                k = name_key(n)
                counter[k] += 1
                self.weight[k] += record_weight(ref)
                self.names.setdefault(k, n)
        if e.location:
            self.locations[e.location.strip().lower()] += 1
        if e.date_approx:
            self.approx[e.date_approx] += 1
        if e.occasion:
            self.occasions[e.occasion.strip().lower()] += 1
        start = parse_day(e.date)
        if start is not None:
            end = max(parse_day(e.date_end) or start, start)
            self.lo = start if self.lo is None else min(self.lo, start)
            self.hi = end if self.hi is None else max(self.hi, end)
            self.stated_span = max(self.stated_span, (end - start).days)

    @property
    def location(self) -> str | None:
        return sorted(self.locations.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if self.locations else None

    @property
    def article_ids(self) -> set[str]:
        return {m.article_id for m in self.members}

    def focus_days(self) -> list[dt.date]:
        return [d for m in self.members if m.engagement.focus and (d := m.published_day) is not None]

    def report_days(self) -> list[dt.date]:
        return [d for m in self.members if (d := m.published_day) is not None]


def _keys(names: Iterable[str]) -> set[str]:
    return {name_key(n) for n in names if n}


class _Index:
    """(modality, side, participant) -> clusters naming them, so a record is compared only with the
    clusters it could join (the corpus yields thousands of records)."""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self._by: dict[tuple[str, str, str], set[int]] = {}

    def drop(self, gone: Callable[[_Cluster], bool]) -> None:
        """Forget clusters (folded into others) and re-index the rest."""
        kept = [c for c in self.clusters if not gone(c)]
        self.clusters, self._by = [], {}
        for i, cl in enumerate(kept):
            cl.idx = i
            self.clusters.append(cl)
            for side, counter in (("us", cl.us), ("cn", cl.cn)):
                for k in counter:
                    self._by.setdefault((cl.modality, side, k), set()).add(i)

    def new(self, modality: str) -> _Cluster:
        self.clusters.append(_Cluster(modality=modality, idx=len(self.clusters)))
        return self.clusters[-1]

    def add(self, cl: _Cluster, ref: RecordRef) -> None:
        cl.add(ref)
        i = cl.idx
        e = ref.engagement
        for side, names in (("us", e.us), ("cn", e.cn)):
            for k in _keys(names):
                self._by.setdefault((cl.modality, side, k), set()).add(i)

    def candidates(self, ref: RecordRef) -> list[_Cluster]:
        e = ref.engagement
        us: set[int] = set()
        for k in _keys(e.us):
            us |= self._by.get((e.modality, "us", k), set())
        cn: set[int] = set()
        for k in _keys(e.cn):
            cn |= self._by.get((e.modality, "cn", k), set())
        return [self.clusters[i] for i in sorted(us & cn)]


def _affinity(cluster: _Cluster, ref: RecordRef) -> float | None:
    """How well a record fits a cluster on participants, modality and place (None: incompatible)."""
    e = ref.engagement
    if e.modality != cluster.modality:
        return None
    us, cn = _keys(e.us), _keys(e.cn)
    shared_us, shared_cn = us & set(cluster.us), cn & set(cluster.cn)
    if not shared_us or not shared_cn:
        return None
    loc = e.location.strip().lower() if e.location else None
    if loc and cluster.locations and loc not in cluster.locations:
        return None
    occ = e.occasion.strip().lower() if e.occasion else None
    if occ and cluster.occasions and occ not in cluster.occasions:
        return None  # a different summit is a different engagement
    n = len(cluster.members)
    score = sum(cluster.us[k] / n for k in shared_us) + sum(cluster.cn[k] / n for k in shared_cn)
    if loc and loc == cluster.location:
        score += 0.5
    if occ and occ in cluster.occasions:
        score += 1.0
    return score


def _dated_fit(cluster: _Cluster, ref: RecordRef) -> float | None:
    """Affinity of a dated record to a dated cluster, or None when the days cannot be one engagement."""
    aff = _affinity(cluster, ref)
    if aff is None or cluster.lo is None or cluster.hi is None:
        return None
    start = parse_day(ref.engagement.date)
    assert start is not None
    end = max(parse_day(ref.engagement.date_end) or start, start)
    if start > cluster.hi + TOLERANCE or end < cluster.lo - TOLERANCE:
        return None
    span = (max(cluster.hi, end) - min(cluster.lo, start)).days
    if span > max(cluster.stated_span, (end - start).days) + 1:
        return None  # would stretch the engagement beyond what any source states (chaining guard)
    distance = min(abs((start - cluster.lo).days), abs((start - cluster.hi).days))
    return aff - 0.25 * distance


def _dated_order(ref: RecordRef) -> tuple[Any, ...]:
    e = ref.engagement
    return (e.date, len(e.us) + len(e.cn), not e.focus, ref.order_key)


def _cluster_dated(records: list[RecordRef]) -> _Index:
    index = _Index()
    for ref in sorted(records, key=_dated_order):
        best: tuple[float, int] | None = None
        cands = index.candidates(ref)
        for i, cl in enumerate(cands):
            fit = _dated_fit(cl, ref)
            if fit is not None and (best is None or fit > best[0]):
                best = (fit, i)
        cl = index.new(ref.engagement.modality) if best is None else cands[best[1]]
        index.add(cl, ref)
    return index


def _undated_target(clusters: list[_Cluster], ref: RecordRef) -> _Cluster | None:
    """The dated engagement an undated record points to, if any (``clusters``: its candidates)."""
    e = ref.engagement
    pub = ref.published_day
    cands: list[tuple[tuple[Any, ...], int]] = []
    for i, cl in enumerate(clusters):
        aff = _affinity(cl, ref)
        if aff is None or cl.lo is None or cl.hi is None:
            continue
        if not approx_compatible(e.date_approx, cl.lo, cl.hi):
            continue
        if pub is None:
            cands.append(((1, 0, -aff), i))
            continue
        same_summit = bool(e.occasion and e.occasion.strip().lower() in cl.occasions)
        if e.status == "planned":
            gap = (cl.lo - pub).days
            if same_summit and gap < 0:
                # 「去年G20峰會前夕」 said long after: the named summit's engagement, not a new plan
                cands.append(((0, -gap, -aff), i))
                continue
            if cl.hi < pub - TOLERANCE or gap > PLANNED_WINDOW_DAYS:
                continue
            cands.append(((1, max(gap, 0), -aff), i))
        elif e.status == "cancelled":
            gap = abs((cl.lo - pub).days)
            if gap > PLANNED_WINDOW_DAYS:
                continue
            cands.append(((1, gap, -aff), i))
        else:
            if cl.lo > pub + TOLERANCE:
                continue
            gap = max((pub - cl.hi).days, 0)
            window = FOCUS_WINDOW_DAYS if e.focus else BACKGROUND_WINDOW_DAYS
            # a named summit or a stated month identifies the engagement however long ago it was
            named = same_summit or (
                bool(e.date_approx) and len(e.date_approx or "") >= 7
            )
            if gap > window and not named:
                continue
            cands.append(((0 if named else 1, gap, -aff), i))
    if not cands:
        return None
    if pub is None and len(cands) > 1:
        return None  # without a publication date only an unambiguous match is safe
    return clusters[min(cands)[1]]


def _same_day_other_modality(clusters: list[_Cluster], ref: RecordRef) -> _Cluster | None:
    """The dated engagement an undated held focus report with another modality describes, if exactly
    one fits: 「習拜會結束之後」 the day after the video summit reads as in person (習拜會 names no
    modality), but a report of the day about the same sides is that engagement."""
    e = ref.engagement
    pub = ref.published_day
    if pub is None or not e.focus or e.status != "held" or e.location or e.date_approx:
        return None
    us, cn = _keys(e.us), _keys(e.cn)
    fits = [cl for cl in clusters
            if cl.modality != e.modality and cl.lo is not None and cl.hi is not None
            and us & set(cl.us) and cn & set(cl.cn) and cl.lo <= pub and pub - cl.hi <= TOLERANCE]
    return fits[0] if len(fits) == 1 else None


def _undated_group(groups: list[_Cluster], ref: RecordRef) -> _Cluster | None:
    """An existing undated group this undated record belongs to, if any."""
    e = ref.engagement
    pub = ref.published_day
    cands: list[tuple[tuple[Any, ...], int]] = []
    for i, g in enumerate(groups):
        aff = _affinity(g, ref)
        if aff is None or ref.article_id in g.article_ids:
            continue
        if e.date_approx and g.approx and not any(
            a.startswith(e.date_approx) or e.date_approx.startswith(a) for a in g.approx
        ):
            continue
        focus_days = g.focus_days()
        if pub is not None and e.focus:
            if not focus_days or min(abs((pub - d).days) for d in focus_days) > UNDATED_FOCUS_WINDOW_DAYS:
                continue
            gap = min(abs((pub - d).days) for d in focus_days)
        elif pub is not None:
            earlier = [d for d in g.report_days() if d <= pub + TOLERANCE]
            if not earlier or (pub - max(earlier)).days > BACKGROUND_WINDOW_DAYS:
                continue
            gap = (pub - max(earlier)).days
        else:
            gap = 0
        cands.append(((gap, -aff), i))
    if not cands:
        return None
    return groups[min(cands)[1]]


def _strength(cl: _Cluster) -> float:
    """Support of a cluster: the summed votes of its members (undated reports count too: they
    confirm the engagement happened as they describe it)."""
    return sum(record_weight(m) for m in cl.members)


def _core(counter: Counter[str], n: int) -> set[str]:
    """Participants named by at least half of a cluster's records (a lumped record that adds a
    second counterpart does not make two meetings of one trip look alike)."""
    return {k for k, c in counter.items() if 2 * c >= n}


def _explicit(cl: _Cluster) -> bool:
    """Does any member's evidence sentence print the day it gives?"""
    for m in cl.members:
        d = parse_day(m.engagement.date)
        if d is not None and states_day(m.engagement.evidence, d):
            return True
    return False


def _gap(a: _Cluster, b: _Cluster) -> int:
    """Days between two dated clusters' spans (0 when they overlap)."""
    assert a.lo and a.hi and b.lo and b.hi
    if a.hi < b.lo:
        return (b.lo - a.hi).days
    if b.hi < a.lo:
        return (a.lo - b.hi).days
    return 0


def _absorbs(strong: _Cluster, weak: _Cluster) -> bool:
    """May ``weak`` be folded into ``strong`` as a report of the same engagement?

    - lifecycle: a plan nobody reports held, within two weeks of a held engagement of the same
      sides and modality, is the plan of that engagement (its day and place as announced);
    - a day no source states outright (weekday, 「今早」) within a week of a better-supported day of
      the same sides, modality and place is a misreading of that day;
    - the same sides on the same day (±1) are one engagement whatever modality a few reports give.
    """
    nw, ns = len(weak.members), len(strong.members)
    if not (_core(weak.us, nw) & _core(strong.us, ns)) or not (_core(weak.cn, nw) & _core(strong.cn, ns)):
        return False
    gap = _gap(weak, strong)
    statuses = {m.engagement.status for m in weak.members}
    held_strong = any(m.engagement.status == "held" for m in strong.members)
    place_ok = not (weak.location and strong.location and weak.location != strong.location)
    if weak.modality == strong.modality:
        if "held" not in statuses and held_strong and gap <= PLAN_SHIFT_DAYS:
            return True
        return gap <= WEAK_DATE_DAYS and place_ok and not _explicit(weak)
    return gap <= 1 and place_ok


def _absorb_weak(clusters: list[_Cluster]) -> list[_Cluster]:
    """Fold weakly supported dated clusters into a better-supported one they must be (see _absorbs)."""
    dated = [c for c in clusters if c.lo is not None]
    order = sorted(dated, key=lambda c: (_strength(c), c.lo, c.idx))
    gone: set[int] = set()
    for weak in order:
        best: tuple[tuple[Any, ...], _Cluster] | None = None
        ws = _strength(weak)
        for strong in dated:
            if strong is weak or id(strong) in gone or _strength(strong) <= ws:
                continue
            if _absorbs(strong, weak):
                key = (_gap(weak, strong), -_strength(strong), strong.lo, strong.idx)
                if best is None or key < best[0]:
                    best = (key, strong)
        if best is not None:
            for m in weak.members:
                best[1].add(m)
            gone.add(id(weak))
    return [c for c in clusters if id(c) not in gone]

MINOR_PARTICIPANT_SHARE = 0.2


def _side(counter: Counter[str], names: dict[str, str]) -> list[str]:
    """Participants of a side, most-cited first (ties alphabetical).

    A name that only a small minority of the entry's reports give (under a fifth of the most-cited
    name's count) is left out: one stray record naming a spokesperson or an aide must not add them
    to an engagement that many articles report without them.
    """
    if not counter:
        return []
    floor = max(1, math.ceil(max(counter.values()) * MINOR_PARTICIPANT_SHARE))
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], names[kv[0]]))
    return [names[k] for k, n in ranked if n >= floor]


def _vote(values: Iterable[tuple[str | None, float]]) -> str | None:
    tally: Counter[str] = Counter()
    display: dict[str, str] = {}
    for v, w in values:
        if v:
            k = v.strip().lower()
            tally[k] += w  # type: ignore[assignment]
            display.setdefault(k, v.strip())
    if not tally:
        return None
    return display[sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]]


def _topics_by_side(
    quotes: list[dict[str, Any]], topic_cues: Mapping[str, tuple[str, ...]] | None
) -> dict[str, list[str]]:
    """Topics each side raised: cue words of the topics data found in its participants' quotes."""
    if not topic_cues or not quotes:
        return {}
    counts: dict[str, Counter[str]] = {}
    for q in quotes:
        for cue, topic_ids in topic_cues.items():
            if cue and cue in q["text"]:
                counts.setdefault(q["side"], Counter()).update(dict.fromkeys(topic_ids, 1))
    return {side: sorted(c, key=lambda t: (-c[t], t)) for side, c in sorted(counts.items())}


def _date_bounds(members: list[RecordRef], date: str | None) -> dict[str, str] | None:
    """For an undated held entry: it took place on or before its first report of it as held."""
    if date:
        return None
    held = sorted(d for m in members if m.engagement.status == "held" and (d := (m.published or "")[:10]))
    return {"not_after": held[0]} if held else None


def _entry(
    cl: _Cluster,
    quotes_by_article: Mapping[str, list[QuoteRef]],
    framing: Framing,
    texts: Mapping[str, str] | None,
    article_topics: Mapping[str, tuple[str, ...]] | None,
    topic_cues: Mapping[str, tuple[str, ...]] | None = None,
) -> TimelineEntry:
    members = sorted(cl.members, key=lambda r: r.order_key)
    choice = choose_date(members)
    status = final_status(members)
    location = _vote((m.engagement.location, 2.0 if m.engagement.focus else 1.0) for m in members)
    occasion = _vote((m.engagement.occasion, 2.0 if m.engagement.focus else 1.0) for m in members)
    us, cn = _side(cl.us, cl.names), _side(cl.cn, cl.names)
    sources = sorted({m.source for m in members})
    article_ids = sorted({m.article_id for m in members})
    days = sorted(d for m in members if (d := (m.published or "")[:10]))
    outlets = sorted({m.outlet for m in members if m.outlet})
    participants = _keys(us) | _keys(cn)
    quotes: list[dict[str, Any]] = []
    seen_quotes: set[tuple[str, str]] = set()
    outlet_of = {m.article_id: m.outlet for m in members}
    for aid in article_ids:
        # the headline's quotes first, then the text's in order
        in_order = sorted(quotes_by_article.get(aid, ()),
                          key=lambda q: (not q.quote.in_title, q.quote.start, q.quote.text))
        for q in in_order:
            key = (name_key(q.quote.speaker), q.quote.text)
            if name_key(q.quote.speaker) not in participants or key in seen_quotes:
                continue
            seen_quotes.add(key)
            quotes.append(
                {"speaker": q.quote.speaker, "side": q.quote.side, "text": q.quote.text,
                 "reported": q.quote.reported, "article_id": aid, "outlet": outlet_of.get(aid)}
            )
    topic_count: Counter[str] = Counter()
    for m in members:
        topic_count.update(dict.fromkeys(m.engagement.topics, 1))
    by_side = _topics_by_side(quotes, topic_cues)
    data: dict[str, Any] = {
        "provenance": choice.provenance,
        "alternatives": choice.alternatives,
        "history": history(members, choice.date),
        "coverage": {
            "articles": len(article_ids),
            "outlets": outlets,
            "first_report": days[0] if days else None,
            "last_report": days[-1] if days else None,
        },
        "evidence": [dict(cite(m), focus=m.engagement.focus, status=m.engagement.status,
                          date=m.engagement.date, title=m.title) for m in members],
        "topics": sorted(topic_count, key=lambda t: (-topic_count[t], t)),
        "topics_by_side": by_side,
        "date_bounds": _date_bounds(members, choice.date),
        "quotes": quotes,
        "outlets": compare_outlets(members, quotes, framing, texts, article_topics),
    }
    anchor = choice.date or occasion or choice.date_approx or (location or "undated")
    # the principal of a side: the participant of the heaviest records (focus, held, day stated), so
    # that background mentions added by a later ingest do not change the id
    us_p = ids.principal({k: cl.weight[k] for k in cl.us})
    cn_p = ids.principal({k: cl.weight[k] for k in cl.cn})
    base = ids.entry_id(anchor, cl.modality, cl.names.get(us_p, us_p), cl.names.get(cn_p, cn_p))
    return TimelineEntry(
        id=base, us=us, cn=cn, modality=cl.modality, status=status,
        date=choice.date, date_end=choice.date_end, date_approx=choice.date_approx,
        date_precision=choice.precision, location=location, occasion=occasion,
        sources=sources, article_ids=article_ids, data=data,
    )


def build_entry(
    records: Iterable[RecordRef],
    entry_id: str,
    modality: str | None = None,
    quotes: Iterable[QuoteRef] = (),
    framing: Framing | None = None,
    texts: Mapping[str, str] | None = None,
    article_topics: Mapping[str, tuple[str, ...]] | None = None,
    topic_cues: Mapping[str, tuple[str, ...]] | None = None,
) -> TimelineEntry:
    """One entry made of exactly ``records`` (an analyst's grouping), with the merge's own fields.

    Curation regroups records (merge, split, attach); building the entry here gives it the same data
    (date provenance, history, coverage, outlet comparison) as a merged one. ``modality`` defaults to
    the records' most common one; the other arguments are as for :func:`build_timeline`.
    """
    refs = list(records)
    mod = modality or Counter(r.engagement.modality for r in refs).most_common(1)[0][0]
    cluster = _Cluster(modality=mod)
    for r in sorted(refs, key=lambda r: (r.order_key, r.engagement.evidence)):
        cluster.add(r)
    quotes_by_article: dict[str, list[QuoteRef]] = {}
    for q in quotes:
        quotes_by_article.setdefault(q.article_id, []).append(q)
    entry = _entry(cluster, quotes_by_article, framing or Framing(), texts, article_topics, topic_cues)
    entry.id = entry_id
    return entry


def build_timeline(
    records: Iterable[RecordRef],
    quotes: Iterable[QuoteRef] = (),
    framing: Framing | None = None,
    texts: Mapping[str, str] | None = None,
    article_topics: Mapping[str, tuple[str, ...]] | None = None,
    topic_cues: Mapping[str, tuple[str, ...]] | None = None,
) -> list[TimelineEntry]:
    """Merge per-article records into timeline entries (pure; same input set -> same output).

    ``quotes`` are the quotes of the covering articles (an entry keeps those of its participants);
    ``framing`` the naming markers of data/framing.yaml; ``texts`` article id -> clean text, for the
    outlet comparison (evidence sentences are used when absent); ``article_topics`` article id ->
    topic ids of the whole article; ``topic_cues`` cue word -> topic ids (Knowledge.topic_index), to
    tell which side raised which topic from its participants' quotes.
    """
    refs = settle_modality(sorted(set(records), key=lambda r: (r.order_key, r.engagement.evidence)))
    dated = [r for r in refs if parse_day(r.engagement.date) is not None]
    undated = [r for r in refs if parse_day(r.engagement.date) is None]
    dated_index = _cluster_dated(dated)
    # fold stray plans and misread days into their engagement before undated reports pick a target
    kept = {id(c) for c in _absorb_weak(dated_index.clusters)}
    dated_index.drop(lambda c: id(c) not in kept)
    groups = _Index()
    for ref in undated:  # publication order
        target = _undated_target(dated_index.candidates(ref), ref) or _same_day_other_modality(
            dated_index.clusters, ref)
        if target is not None:
            dated_index.add(target, ref)
            continue
        target = _undated_group(groups.candidates(ref), ref) or groups.new(ref.engagement.modality)
        groups.add(target, ref)
    clusters = _absorb_weak(dated_index.clusters) + groups.clusters
    quotes_by_article: dict[str, list[QuoteRef]] = {}
    for q in quotes:
        quotes_by_article.setdefault(q.article_id, []).append(q)
    entries = [
        _entry(cl, quotes_by_article, framing or Framing(), texts, article_topics, topic_cues)
        for cl in clusters
    ]
    entries.sort(key=lambda e: (e.date or e.date_approx or "9999", e.id, e.sources))
    taken: set[str] = set()
    for entry in entries:
        if entry.id in taken:
            entry.id = ids.disambiguate(entry.id, entry.us + entry.cn + [entry.location or ""])
            if entry.id in taken:
                entry.id = ids.disambiguate(entry.id, entry.article_ids)
        taken.add(entry.id)
    return entries
