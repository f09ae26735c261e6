"""Engagement candidates: sentences with a meeting word and named officials of both sides.

For each meeting word the participants are read from its clause, widened clause by clause to the
left (then right) until both sides are named; 「雙方」「兩人」 refer back to the previous
candidate's principals, 「中美元首」 names both heads of state in office. Out of scope and dropped:
unknown or third-country people, former officials, and encounters below ministerial level on both
sides. Wishes, proposals, speculation and handshakes are not engagements.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from summitwatch.engagements.dates import DateHit, duration_days, find_dates
from summitwatch.engagements.fields import (
    find_cues,
    has_cue,
    location_of,
    modality_of,
    occasion_status,
    resolve_occasion,
    status_of,
)
from summitwatch.engagements.sentences import Sentence, clause_bounds
from summitwatch.mentions import Span, resolve_span
from summitwatch.mentions.cues import load_cues
from summitwatch.mentions.officials import in_office, rank_on

_MINISTERIAL = {"leader", "ministerial"}
TITLED_FOCUS_DAYS = 31  # an engagement the title names stays the article's focus this long after it


@dataclass
class Candidate:
    us: list[str]
    cn: list[str]
    modality: str
    status: str
    focus: bool
    sentence: Sentence
    date: str | None = None
    date_end: str | None = None
    approx: str | None = None
    precision: str | None = None
    location: str | None = None
    occasion: str | None = None
    background: bool = False
    order: int = 0
    weak: bool = False  # in_person read from a generic meeting word only
    unnamed: bool = False  # sides filled from the article's principals (「中美高層會談結束」)
    listed: bool = False  # one of several calls told apart by listed days (merges only on its own day)
    titled: bool = False  # the title (or the heading it sits under) names this engagement
    extra_sentences: list[Sentence] = field(default_factory=list)


def _office_class_ids(kn: Any, cls: str) -> dict[str, list[str]]:
    names = load_cues()["office_classes"].get(cls, {})
    out: dict[str, list[str]] = {}
    for side, ens in names.items():
        low = [e.lower() for e in ens]
        out[side] = [o.id for o in kn.offices.values()
                     if o.side == side and any((o.en or "").lower().startswith(x) for x in low)]
    return out


def meeting_cues(norm_s: str, spans: list[Span], s0: int) -> list[tuple[int, int, str]]:
    """(start, end, modality) of the meeting words of a sentence (offsets relative to the sentence)."""
    cues = load_cues()
    out: list[tuple[int, int, str]] = []
    masked = _mask_summit_names(_mask(norm_s, cues["not_meeting"]), spans, s0)
    for mod in ("video", "phone", "in_person"):
        for a, b, _w in find_cues(masked, cues["modality"][mod]):
            if not _in_long_quote(norm_s, a):
                out.append((a, b, mod))
    verbs = cues["person_verbs"]
    for sp in spans:
        if sp.kind not in ("person", "office"):
            continue
        a = sp.start - s0
        for v in verbs:
            if norm_s[max(0, a - len(v)):a] == v:
                out.append((a - len(v), a, "in_person"))
    # 「習拜會」: two short names of opposite sides glued to 會
    for sp in spans:
        if sp.kind == "person" and sp.end - sp.start == 1:
            out.append((sp.start - s0, sp.end - s0 + 1, "in_person"))
    out.sort()
    return out


class Detector:
    """Reads candidates out of the sentences of one article."""

    def __init__(self, kn: Any, text: str, norm: str, spans: list[Span], pub: str | None) -> None:
        self.kn, self.text, self.norm, self.spans, self.pub = kn, text, norm, spans, pub
        self.cues = load_cues()
        self.prev_principals: tuple[list[str], list[str]] | None = None
        self.prev_index = -10
        self.heads = _office_class_ids(kn, "head_of_state")
        self.header_date: DateHit | None = None
        self.last_day: DateHit | None = None
        self.title_norm = ""
        self.title_people: list[str] = []
        self.visits: list[tuple[set[str], str, str]] = []  # (people, day, place) of lead meetings below level
        self.principals = self._article_principals()
        # unnamed lead sentences waiting for the principals (filled during candidates(), then read again)
        self.deferred: list[tuple[Any, ...]] | None = [] if not all(self.principals) else None

    def _article_principals(self) -> tuple[list[str], list[str]]:
        """The US and PRC officials the article names most (at least twice), for unnamed 「中美會談」."""
        from collections import Counter

        c: Counter[tuple[str, str]] = Counter(
            (sp.side or "", sp.key) for sp in self.spans if sp.kind == "person" and sp.side in ("US", "PRC"))
        pick: dict[str, list[str]] = {"US": [], "PRC": []}
        only: dict[str, list[str]] = {"US": [], "PRC": []}
        for (side, name), n in c.most_common():
            if (not self.pub or in_office(self.kn, name, self.pub)) and rank_on(self.kn, name, self.pub) in _MINISTERIAL:
                only[side].append(name)
                if n >= 2 and len(pick[side]) < 2:
                    pick[side].append(name)
        for side in ("US", "PRC"):
            if not pick[side] and len(only[side]) == 1:
                pick[side] = only[side]  # the one minister the article names for that side is its principal
        return pick["US"], pick["PRC"]

    # -- participants ---------------------------------------------------------------------
    def _people(self, sent: Sentence, a: int, b: int, date: str | None,
                skip: list[tuple[int, int]] | None = None) -> tuple[list[str], list[str]]:
        us: list[str] = []
        cn: list[str] = []
        s0 = sent.start
        norm_s = self.norm[s0:sent.end]
        for sp in self.spans:
            if sp.start < s0 + a or sp.end > s0 + b or sp.kind not in ("person", "office"):
                continue
            if sp.side not in ("US", "PRC"):
                continue
            if sp.kind == "office" and sp.person is not None:
                continue  # the name right after the title is its own span
            if skip and any(x <= sp.start - s0 < y for x, y in skip):
                continue
            after = self.norm[sp.end:sp.end + 4]
            if any(after.startswith(w) for w in self.cues["not_participant_suffix"]) or self._possessive(sp.end):
                continue
            before = self.norm[max(0, sp.start - 4):sp.start]
            if sp.kind == "person" and self._former(before):
                continue
            if any(before.endswith(w) for w in self.cues["not_participant_prefix"]) and not any(
                    o.kind == "office" and o.person == sp.key and o.end <= sp.start for o in self.spans
                    if sp.start - 3 <= o.end <= sp.start):
                continue  # 「代表習近平的」, but not the title 「貿易代表戴琪」
            if sp.kind == "office" and sp.person is None:
                name = resolve_span(self.kn, sp, date or self.pub)
            else:
                name = sp.person or sp.key
            if not name:
                continue
            (us if sp.side == "US" else cn).append(name)
        # collective references (「中美元首」「中美防長」)
        window = norm_s[a:b]
        collective = dict(self.cues["collective"])
        if any(w in norm_s for w in self.cues["us_china_pair"]):
            collective.update(self.cues["collective_us_china"])
        for word, classes in collective.items():
            i = window.find(word)
            if i >= 0 and word.startswith("两国"):
                pair = window[max(0, i - 2):i]
                pc = self.cues["pair_chars"]
                if len(pair) == 2 and pair[0] in pc and pair[1] in pc and pair not in self.cues["us_china_pair"]:
                    continue
                if any(sp.side == "other" and sp.kind == "person" and s0 <= sp.start < sent.end for sp in self.spans):
                    continue
            if i >= 0:
                for cls in classes:
                    ids = _office_class_ids(self.kn, cls)
                    for side, lst in (("US", us), ("PRC", cn)):
                        for oid in ids.get(side, []):
                            h = self.kn.holder(oid, date or self.pub) if (date or self.pub) else None
                            if h:
                                lst.append(h)
        return _uniq(us), _uniq(cn)

    def _eligible(self, names: list[str], ref: str | None) -> list[str]:
        out = []
        for n in names:
            o = self.kn.officials.get(n)
            if o is None or o.side not in ("US", "PRC"):
                continue
            if ref and not in_office(self.kn, n, ref):
                continue
            if ref and self._speaker_only(n, ref):
                continue
            out.append(n)
        return out

    # -- main -------------------------------------------------------------------------------
    def candidates(self, sentences: list[Sentence], lead_blocks: set[int]) -> list[Candidate]:
        out: list[Candidate] = []
        last_block = -1
        for si, sent in enumerate(sentences):
            norm_s = self.norm[sent.start:sent.end]
            if sent.block != last_block:
                last_block = sent.block
                hd = _header_date(norm_s, self.pub)
                if hd is not None:
                    self.header_date = hd
                    continue
            sp_in = [sp for sp in self.spans if sp.start >= sent.start and sp.end <= sent.end]
            cues = meeting_cues(norm_s, sp_in, sent.start)
            prev_day = self.last_day
            days = [h for h in find_dates(norm_s, self.pub, None) if h.date]
            if days:
                self.last_day = days[-1]
            if cues:
                self.last_day, new_day = prev_day, self.last_day
            if not cues:
                self._remember(sent, sp_in, si)
                continue
            clauses = clause_bounds(norm_s)
            seen: set[tuple] = set()
            for ca, cb, _mod in cues:
                cand = self._candidate(sent, norm_s, clauses, ca, cb, lead_blocks, si)
                if cand is None:
                    continue
                # one sentence may report two meetings of the same people at different places or times
                # (「今次兩人在蘇黎世的會面，有別於3月在阿拉斯加的會談」): the key includes where and when
                k = (tuple(cand.us), tuple(cand.cn), cand.modality, cand.location, cand.date)
                if k in seen or (not (k[3] or k[4]) and any(x[:3] == k[:3] for x in seen)):
                    continue
                seen.add(k)
                out.append(cand)
                out.extend(self._listed_calls(cand, norm_s, ca))
                self.prev_principals = (cand.us, cand.cn)
                self.prev_index = si
            else:
                self._remember(sent, sp_in, si)
            self.last_day = new_day
        return self._resolve_deferred(out)

    def _resolve_deferred(self, out: list[Candidate]) -> list[Candidate]:
        """Lead sentences naming no one (「中美會談將於19日在阿拉斯加舉行」) when the article's principals could
        not be told by counting: the principals are then the participants the article's candidates name
        most often, and those sentences are read again with them (they often carry the day and place)."""
        deferred, self.deferred = self.deferred or [], None
        if not deferred or not out:
            return out
        from collections import Counter

        pairs = Counter((tuple(c.us), tuple(c.cn)) for c in out if c.modality == "in_person")
        if not pairs:
            return out

        def weight(pair: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[bool, int, int, int]:
            # talks between ministers of both sides first (an unnamed 「中美會談」 is the high-level one, not a
            # minister's remark about an ambassador), then most often named, most ministers, most people
            names = pair[0] + pair[1]
            both = all(any(rank_on(self.kn, n, self.pub) in _MINISTERIAL for n in side) for side in pair)
            return both, pairs[pair], sum(rank_on(self.kn, n, self.pub) in _MINISTERIAL for n in names), len(names)

        pu, pc = max(pairs, key=weight)
        self.principals = (list(pu), list(pc))
        for sent, norm_s, clauses, ca, cb, lead_blocks, si in deferred:
            cand = self._candidate(sent, norm_s, clauses, ca, cb, lead_blocks, si)
            if cand is not None:
                out.append(cand)
        return sorted(out, key=lambda c: c.order)

    def _remember(self, sent: Sentence, sp_in: list[Span], si: int) -> None:
        us = _uniq([s.person or s.key for s in sp_in if s.kind == "person" and s.side == "US"])
        cn = _uniq([s.person or s.key for s in sp_in if s.kind == "person" and s.side == "PRC"])
        if us and cn:
            self.prev_principals = (us, cn)
            self.prev_index = si

    def _candidate(self, sent: Sentence, norm_s: str, clauses: list[tuple[int, int]], ca: int, cb: int,
                   lead_blocks: set[int], si: int) -> Candidate | None:
        ci = next((i for i, (x, y) in enumerate(clauses) if x <= ca < y + 1), len(clauses) - 1)
        lo, hi = ci, ci
        near = _strip_long_quotes(norm_s)[clauses[max(0, ci - 1)][0]:clauses[ci][1]]
        future: bool | None = True if has_cue(near, "planned") else (False if has_cue(near, "held") else None)
        hits = [h for h in find_dates(norm_s, self.pub, future)
                if not self._other_event_date(norm_s, h, ca) and not _in_long_quote(norm_s, h.start)
                and not _dates_other_meeting(norm_s, h, ca) and not _in_aside(norm_s, h.start, ca)]
        hits += self._tenure_dates(sent, norm_s)
        if self.header_date and not any(h.date for h in hits):
            hits.append(self.header_date)
        if not any(h.date for h in hits) and self.last_day and any(w in norm_s for w in self.cues["same_day"]):
            hits.append(self.last_day)
        date_hit = _closest(hits, ca, day=True)
        date = date_hit.date if date_hit else None
        us, cn = self._people(sent, clauses[lo][0], clauses[hi][1], date)
        # a third-country person in the meeting word's clause: the meeting is with them, not across sides
        third = any(sp.kind == "person" and sp.side == "other" and sent.start + clauses[ci][0] <= sp.start < sent.start + clauses[ci][1]
                    for sp in self.spans)
        if third and (not us or not cn):
            return None
        skip = self._speech_clauses(norm_s, clauses, ci)
        ref_from = clauses[lo][0]  # where the text naming the participants starts (background words count from there)
        if not us and not cn:
            us, cn, ref_from = self._pair_before(sent, norm_s, clauses[ci], date)
        while (not us or not cn) and lo > 0:
            lo -= 1
            us, cn = self._people(sent, clauses[lo][0], clauses[hi][1], date, skip)
        cue_clause_people = any(
            sp.kind in ("person", "office") and sent.start + clauses[ci][0] <= sp.start < sent.start + clauses[ci][1]
            for sp in self.spans)
        during = any(norm_s[clauses[ci][0]:clauses[ci][1]].rstrip().endswith(w) for w in self.cues["during"])
        if (not us or not cn) and during and hi < len(clauses) - 1:
            hi += 1
            us, cn = self._people(sent, clauses[lo][0], clauses[hi][1], date, skip)
        while (not us or not cn) and hi < len(clauses) - 1 and not cue_clause_people:
            hi += 1
            us, cn = self._people(sent, clauses[lo][0], clauses[hi][1], date, skip)
        if (lo, hi) != (ci, ci) and any(
                sp.kind == "person" and sp.side == "other" and sent.start + clauses[lo][0] <= sp.start < sent.start + clauses[hi][1]
                for sp in self.spans):
            return None  # widening reached a third-country leader: the meeting word is about them
        window = norm_s[clauses[lo][0]:clauses[hi][1]]
        if any(w in window for w in self.cues["handshake"]):
            return None
        named_only = any(w in norm_s[ca:cb] for w in self.cues["named_only"])
        if ((not us or not cn) and self.prev_principals and si - self.prev_index <= 2 and not named_only
                and any(w in window for w in self.cues["coreference"]) and not self._other_pair(window)):
            pu, pc = self.prev_principals
            us, cn = us or list(pu), cn or list(pc)
        unnamed = False
        # 「中美會談將於19日舉行，已抵達的崔天凱稱…」: a meeting clause naming its sides only as 中美 and no one
        # else; the people other clauses name are doing something else (speaking of it), so the sides are the
        # article's principals and the meeting's clause alone is read for status, day and place
        own = norm_s[clauses[ci][0]:clauses[ci][1]]
        pair_only = not cue_clause_people and any(w in own for w in self.cues["us_china_pair"])
        if (((not us or not cn) and any(w in window for w in self.cues["us_china_pair"])) or (pair_only and (lo, hi) != (ci, ci))) \
                and sent.block in lead_blocks and any(w in norm_s[ca:cb] for w in self.cues["weak_in_person"]):
            pu, pc = self.principals
            if pu and pc and pair_only:
                us, cn, unnamed, lo, hi, window = list(pu), list(pc), True, ci, ci, own
            elif pu and pc:
                us, cn, unnamed = us or list(pu), cn or list(pc), True
            elif self.deferred is not None and (not us or not cn):
                self.deferred.append((sent, norm_s, clauses, ca, cb, lead_blocks, si))
        if not us or not cn:
            return None
        # a month or year dates the meeting only from inside its own clauses: 「今次兩人的會面，有別於今年3月
        # 兩人在阿拉斯加的會談」 puts March on the Alaska talks, not on this meeting
        approx_hit = _closest([h for h in hits if not self._other_meeting_clause(sent, norm_s, clauses, lo, hi, h.start)],
                              ca, day=False)
        ref = date or (approx_hit.approx[:4] if approx_hit and approx_hit.approx else None) or self.pub
        us, cn = self._eligible(us, ref), self._eligible(cn, ref)
        if not us or not cn:
            return None
        if not any(rank_on(self.kn, n, ref) in _MINISTERIAL for n in us + cn):
            self._remember_visit(sent, us + cn, date, lead_blocks)
            return None
        neg_from = clauses[max(0, lo - 1)][0]
        # a wish, proposal, denial or doubt governs the meeting from before it (「希望與習近平會面」); after it,
        # modal words (modal_content) are about what will be said at it (「會晤能否達成協議」), unless they
        # bear on the meeting itself (negation_after: 「會面的提議」「能否舉行」). A called-off meeting is a record (cancelled), not a wish.
        post = norm_s[cb:max(cb, clauses[hi][1])]
        modal = set(self.cues["modal_content"])
        if not has_cue(window, "cancelled") and (
                has_cue(norm_s[neg_from:ca], "negation") or has_cue(post, "negation_after")
                or has_cue(norm_s[clauses[ci][0]:ca], "letter_or_denial")
                or any(w in post for w in self.cues["negation"] if w not in modal)):
            return None
        if not unnamed and not self._near(sent, ca, cb, us, cn, date, clauses[ci]):
            return None
        modality = modality_of(window) or "in_person"
        weak = modality == "in_person" and not any(
            w in window for w in self.cues["modality"]["in_person"] if w not in self.cues["weak_in_person"])
        status = status_of(window, date, self.pub, ca - clauses[lo][0])
        if status == "held" and _BEFORE_MEETING.match(norm_s, cb) and not (date and self.pub and date < self.pub):
            status = "planned"  # 「舉行視像會議前」: before the meeting, so it is still ahead
        if status == "held" and not date and approx_hit and approx_hit.precision == "month" and self.pub \
                and approx_hit.approx and approx_hit.approx > self.pub[:7]:
            status = "planned"  # 「11月出訪中國」 said in September
        location = None
        occasion = None
        if modality == "in_person":
            chosen = {(date_hit.start, date_hit.end)} if date_hit is not None else set()
            other_days = [h for h in find_dates(norm_s, self.pub, None) if (h.start, h.end) not in chosen]
            places = [sp.key for sp in sorted(
                (sp for sp in self.spans if sp.kind == "place" and sent.start <= sp.start < sent.end and self._locative(sp)
                 and not _elsewhen(sp.start - sent.start, clauses, lo, hi, other_days)),
                key=lambda sp: abs(sp.start - (sent.start + ca)))]
            location = location_of(self.kn, places)
            groups: dict[tuple[int, int], set[str]] = {}
            for sp in self.spans:
                if sp.kind == "summit" and sent.start <= sp.start < sent.end:
                    groups.setdefault((sp.start, sp.end), set()).add(sp.key)
            tense = True if status == "planned" else (False if status == "held" and has_cue(window, "held") else None)
            summit = resolve_occasion(self.kn, list(groups.values()), norm_s, date,
                                      approx_hit.approx if approx_hit else None, self.pub, tense)
            if summit is None and date and not location:
                # a dated meeting inside the days of a summit the article names elsewhere took place there
                # (「布林肯31日與王毅會面」 in a report on the Rome G20)
                summit = resolve_occasion(self.kn, self._article_summits(), "", date, None, self.pub, None)
                if summit is not None and not summit.date <= date <= summit.date_end:
                    summit = None  # only a day inside the summit's own days, not the days around it
            if summit is not None and location and location != summit.city:
                summit = None  # the text puts the meeting elsewhere than the summit's host city
            if summit is not None:
                occasion = summit.name
                location = location or summit.city
                if not date:
                    status = occasion_status(status, summit, self.pub)
        approx = None if date else (approx_hit.approx if approx_hit else None)
        background = has_cue(norm_s[min(ref_from, clauses[lo][0]):cb], "background") or bool(
            approx and self.pub and approx < self.pub[:len(approx)])
        recent = bool(date and self.pub and -3 <= (_d(date) - _d(self.pub)).days <= 14)
        age = (_d(self.pub) - _d(date)).days if date and self.pub else 0
        titled = self._focus(sent, us, cn, lead_blocks, modality)
        # over a week old is background, unless the title names it and it is within the month (a weekly
        # commentary on 「上周三」's talks is still about them)
        old = age > 7 and not (titled and age <= TITLED_FOCUS_DAYS)
        focus = (titled or (recent and sent.block in lead_blocks)) and not background and not old
        return Candidate(
            us=us, cn=cn, modality=modality, status=status, focus=focus, sentence=sent,
            date=date, date_end=_date_end(date, date_hit, norm_s),
            approx=None if date else (approx_hit.approx if approx_hit else None),
            precision="day" if date else (approx_hit.precision if approx_hit else None),
            location=location, occasion=occasion, background=background, order=si, weak=weak, unnamed=unnamed,
            titled=titled and not background and not old,
        )


    def _other_meeting_clause(self, sent: Sentence, norm_s: str, clauses: list[tuple[int, int]], lo: int, hi: int,
                              pos: int) -> bool:
        """Is ``pos`` in a clause outside the meeting's own clauses that holds a meeting word of its own (not
        one inside or right after a summit's name, 「G20峰會」)? Such a clause dates that other meeting."""
        if clauses[lo][0] <= pos < clauses[hi][1]:
            return False
        x, y = next(((a, b) for a, b in clauses if a <= pos <= b), (pos, pos))
        sp_in = [sp for sp in self.spans if sent.start + x <= sp.start and sp.end <= sent.start + y]
        return bool(meeting_cues(norm_s[x:y], sp_in, sent.start + x))  # summit names are masked there

    def _article_summits(self) -> list[set[str]]:
        """The summit ids named anywhere in the article, grouped by mention."""
        groups: dict[tuple[int, int], set[str]] = {}
        for sp in self.spans:
            if sp.kind == "summit":
                groups.setdefault((sp.start, sp.end), set()).add(sp.key)
        return list(groups.values())

    def _possessive(self, end: int) -> bool:
        """「拜登的親密顧問」: the name at ``end`` is followed by 的, at most six more characters without
        punctuation, and a role noun; the phrase names someone else through him."""
        tail = self.norm[end:end + 10]
        if not tail.startswith("的"):
            return False
        stop = min((i for i in (tail.find(p) for p in "，,。；：、（(「“") if i > 0), default=len(tail))
        head = tail[1:min(stop, 9)]
        return any(0 <= head.find(w) <= 6 for w in self.cues["possessive_roles"])

    def _pair_before(self, sent: Sentence, norm_s: str, clause: tuple[int, int],
                     date: str | None) -> tuple[list[str], list[str], int]:
        """「兩人」「雙方」 in a meeting clause without names refer to the two people of opposite sides named
        last before it in the same sentence (returned with the start of the clause naming them) (「楊潔篪同沙利文的會面…有別於3月兩人在阿拉斯加的會談」), not
        to a collective word (「中美元首」) that sits between them."""
        x, y = clause
        if not any(w in norm_s[x:y] for w in self.cues["coreference"]):
            return [], [], x
        last: dict[str, tuple[str, int]] = {}
        for sp in self.spans:
            if sp.kind == "person" and sp.side in ("US", "PRC") and sent.start <= sp.start < sent.start + x:
                last[sp.side] = (sp.person or sp.key, sp.start - sent.start)
        if "US" in last and "PRC" in last:
            first = min(last["US"][1], last["PRC"][1])
            start = max((a for a, _b in clause_bounds(norm_s) if a <= first), default=0)
            return [last["US"][0]], [last["PRC"][0]], start
        return [], [], x

    def _tenure_dates(self, sent: Sentence, norm_s: str) -> list[DateHit]:
        """「布林肯上任10天後」「上任第3天」: a day counted from when the named official took the office
        he holds on the publication date (the officials data gives that start date)."""
        out: list[DateHit] = []
        if not self.pub:
            return out
        for m in _TENURE.finditer(norm_s):
            n = _count(m.group(2))
            if n is None:
                continue
            who = [sp for sp in self.spans if sp.kind == "person" and sp.side in ("US", "PRC")
                   and sent.start <= sp.end <= sent.start + m.start() and sent.start + m.start() - sp.end <= 2]
            if not who:
                continue
            o = self.kn.officials.get(who[-1].key)
            starts = [t.start for t in (o.offices if o else []) if t.start and t.start <= self.pub[:10]
                      and (t.end is None or t.end >= self.pub[:10])]
            if not starts:
                continue
            day = _d(max(starts)) + dt.timedelta(days=n - (1 if m.group(1) else 0))
            if day.isoformat() <= self.pub[:10]:
                out.append(DateHit(m.start(), m.end(), day.isoformat(), None, None, "day"))
        return out

    def _speaker_only(self, name: str, ref: str) -> bool:
        """True when every office ``name`` holds on ``ref`` is a spokesperson's (they speak, not meet)."""
        o = self.kn.officials.get(name)
        words = self.cues["non_participant_offices"]
        lo, hi = (ref + "-01-01", ref + "-12-31") if len(ref) == 4 else (ref, ref)
        held = [self.kn.offices.get(t.office) for t in o.offices
                if (t.start or "0000") <= hi and (t.end is None or t.end >= lo)] if o else []
        return bool(held) and all(off is not None and any(w in (off.en or "") for w in words) for off in held)

    def _listed_calls(self, cand: Candidate, norm_s: str, ca: int) -> list[Candidate]:
        """「繼2月11日及9月10日後，第三度通話」: earlier calls told apart by their days, one record each.

        Only for phone/video words preceded by two or more distinct stated days joined by 及/和/、."""
        if cand.modality == "in_person" or cand.status != "held":
            return []
        hits = [h for h in find_dates(norm_s, self.pub, False) if h.date and not h.weekday and h.end <= ca]
        if len(hits) < 2 or len({h.date for h in hits}) < 2:
            return []
        if not all(b.start - a.end <= 12 and any(j in norm_s[a.end:b.start] for j in ("及", "和", "、", "与"))
                   for a, b in zip(hits, hits[1:], strict=False)):
            return []
        out = []
        for h in hits:
            out.append(Candidate(us=list(cand.us), cn=list(cand.cn), modality=cand.modality, status="held",
                                 focus=False, sentence=cand.sentence, date=h.date, precision="day",
                                 background=True, order=cand.order, listed=True))
        if cand.date in {h.date for h in hits}:
            cand.date, cand.date_end, cand.precision = None, None, None  # the listed days are the earlier calls
        return out

    def _other_pair(self, text: str) -> bool:
        """True when the text names another pair of countries (「中朝」「中韓」「美朝」), so 「雙方」 is them."""
        pc = self.cues["pair_chars"]
        pair = self.cues["us_china_pair"]
        sides = "".join(pair)
        for i in range(len(text) - 1):
            a, b = text[i], text[i + 1]
            if a != b and a in pc and b in pc and a in sides and text[i:i + 2] not in pair:
                return True
        return False

    def _remember_visit(self, sent: Sentence, names: list[str], date: str | None, lead_blocks: set[int]) -> None:
        """A lead meeting below the spec's level that the text dates and places (「謝鋒與舍曼今日在天津舉行
        會談」) is no record, but it puts its people in that place on that day (see ``visit_of``)."""
        if not date or sent.block not in lead_blocks:
            return
        places = [sp.key for sp in self.spans
                  if sp.kind == "place" and sent.start <= sp.start < sent.end and self._locative(sp)]
        location = location_of(self.kn, places)
        if location:
            self.visits.append((set(names), date, location))

    def visit_of(self, c: Candidate) -> tuple[str, str] | None:
        """(day, place) of the visit during which an undated, unplaced meeting took place: the article's
        lead puts one of its people in one place on one day, in talks below the spec's level
        (「謝鋒與舍曼今日在天津會談…國務院新聞稿只提到舍曼與王毅的會談」). Only for an in-person meeting
        the article is about (focus), never background, and only when the lead gives one such visit."""
        if c.date or c.approx or c.location or not c.focus or c.background or c.modality != "in_person":
            return None
        found = {(d, loc) for names, d, loc in self.visits if names & set(c.us + c.cn)}
        return next(iter(found)) if len(found) == 1 else None

    def title_day(self, c: Candidate) -> DateHit | None:
        """The day a title outside the article's blocks gives the engagement it names
        (「蓬佩奧楊潔箎周三夏威夷會晤」): the title is text the article states, so a record the title names
        (both sides' people and a meeting word of its modality) that no sentence dates takes the title's one
        day, read in the record's tense. A background mention (「去年在峇里島會晤」 under a title on the next
        summit) is not what the title names. None when the title gives no day, or more than one."""
        t = self.title_norm
        if not t or c.date or not (c.titled and c.focus) or c.background or c.status == "cancelled":
            return None
        names = set(self.title_people)
        if not (names & set(c.us) and names & set(c.cn)) or modality_of(t) not in (c.modality, None):
            return None
        if not any(w in t for lst in self.cues["modality"].values() for w in lst):
            return None
        days = [h for h in find_dates(t, self.pub, {"planned": True, "held": False}.get(c.status)) if h.date]
        return days[0] if len(days) == 1 else None

    def _former(self, before: str) -> bool:
        """「前國務卿」-style prefix right before a name (not the 前 of 「四年前」「此前」)."""
        for w in self.cues["former_prefix"]:
            if before.endswith(w):
                prev = before[-len(w) - 1:-len(w)]
                return not (w == "前" and prev and prev in self.cues["former_not_after"])
        return False

    def _focus(self, sent: Sentence, us: list[str], cn: list[str], lead_blocks: set[int], modality: str) -> bool:
        """The article is about this engagement: its title (or a heading it sits in) names a meeting word
        and the engagement's people, or the sentence is the title/heading itself."""
        if sent.kind in ("title", "heading") or sent.text.lstrip()[:1] in self.cues["headline_bullets"]:
            return True  # a title, a heading, or a bulleted story headline of a round-up (「🔸…」)
        t = self.title_norm
        if not t or not any(w in t for lst in self.cues["modality"].values() for w in lst):
            return False
        tm = modality_of(t)
        if tm != modality and not (tm == "in_person" and all(
                w in self.cues["weak_in_person"] for w in self.cues["modality"]["in_person"] if w in t)):
            return False
        if any(w in t for w in self.cues["us_china_pair"]) or any(w in t for w in self.cues["collective"]):
            return True
        names = set(self.title_people)
        return bool(names & set(us)) or bool(names & set(cn))

    def _speech_clauses(self, norm_s: str, clauses: list[tuple[int, int]], ci: int) -> list[tuple[int, int]]:
        """Clauses before the meeting clause that only introduce speech (「特朗普稱」), when the meeting
        clause has its own subject; their speaker is not a participant."""
        cue_clause = norm_s[clauses[ci][0]:clauses[ci][1]].lstrip()
        if any(cue_clause.startswith(w) for w in self.cues["subjectless_starts"]):
            return []
        out = []
        for x, y in clauses[:ci]:
            c = norm_s[x:y].rstrip()
            if len(c) <= 24 and any(c.endswith(v) for v in self.cues["speech_verbs"]):
                out.append((x, y))
        return out

    def _near(self, sent: Sentence, ca: int, cb: int, us: list[str], cn: list[str], date: str | None,
              clause: tuple[int, int] | None = None) -> bool:
        """Each side has a participant named within reach of the meeting word (same stretch of text).

        A name inside the meeting word's own clause (no punctuation between them) is always within
        reach: a long delegation phrase (「由…劉鶴率領的中方代表團和包括…姆欽…的美方代表團就…進行了磋商」)
        is one constituent however many characters it spans."""
        reach = 50
        a, b = sent.start + ca, sent.start + cb
        c0, c1 = (sent.start + clause[0], sent.start + clause[1]) if clause else (a, b)
        for names in (us, cn):
            ok = False
            for sp in self.spans:
                if sp.kind not in ("person", "office") or not (sent.start <= sp.start < sent.end):
                    continue
                key = sp.person or (sp.key if sp.kind == "person" else resolve_span(self.kn, sp, date or self.pub))
                if key in names and (abs(sp.end - a) <= reach or abs(sp.start - b) <= reach
                                     or (c0 <= sp.start and sp.end <= c1)):
                    ok = True
                    break
            if not ok and any(w in self.norm[sent.start:sent.end] for w in self.cues["collective"]):
                ok = True
            if not ok and any(w in self.norm[sent.start:sent.end] for w in self.cues["coreference"]):
                ok = True
            if not ok:
                return False
        return True

    def _other_event_date(self, norm_s: str, h: DateHit, ca: int) -> bool:
        """A date whose own verb, before the meeting word, is another event (「拜登5日表示」「1月20日上任」)."""
        stretch = norm_s[h.end:(min(ca, h.end + 24) if h.start < ca else h.end + 24)]
        cut = len(stretch)
        for p in "，,。；":
            i = stretch.find(p)
            if i >= 0:
                cut = min(cut, i)
        stretch = stretch[:cut]
        return any(w in stretch for w in self.cues["other_event"])

    def _locative(self, sp: Span) -> bool:
        before = self.norm[max(0, sp.start - 6):sp.start]
        after = self.norm[sp.end:sp.end + 3]
        if any(after.startswith(w) for w in self.cues["time_frame_suffix"]):
            return False  # 「於香港時間19日」: the clock the day is told in, not the place
        if any(before.endswith(w) for w in self.cues["locative"]):
            return True
        # 「在美國佛羅里達州」: a locative word before a country or state that precedes the place
        if any(w in before[-6:-1] for w in ("在", "于", "赴", "到")) and not any(c in before[-3:] for c in "，,。、"):
            return True
        return any(after.startswith(w) for w in ("会晤", "会谈", "会面", "举行", "见面", "峰会"))


_HEADER = re.compile(r"^[\s◆●■]*(\d{4}年)?\d{1,2}月\d{1,2}[日号]?[\s:：]*$")


def _header_date(norm_s: str, pub: str | None) -> DateHit | None:
    """A block that is only a date (a chronology's 「2月7日」) dates the blocks after it."""
    if len(norm_s) > 14 or not _HEADER.match(norm_s):
        return None
    hits = [h for h in find_dates(norm_s, pub, False) if h.date]
    return hits[0] if hits else None


_TENURE = re.compile(r"(?:上任|就任|就职|履新)(第)?(\d{1,3}|[一二两三四五六七八九十]{1,3})[天日](?(1)|(?:之)?后)")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _count(s: str) -> int | None:
    """「10」「十」「十五」「二十三」 as an integer (small counts of days only)."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_NUM.get(s) if len(s) == 1 else None
    a, _, b = s.partition("十")
    tens = _CN_NUM.get(a, 0) if a else 1
    ones = _CN_NUM.get(b, 0) if b else 0
    return tens * 10 + ones


_BEFORE_MEETING = re.compile(r"(会议|会晤|会谈|会面|峰会|通话|通电话)?前(?!往|来|去|任)")


def _in_aside(norm_s: str, pos: int, ca: int) -> bool:
    """True when ``pos`` sits inside a bracketed aside (「（剛看天氣報告說下周四最高氣溫是攝氏0度）」) that does
    not hold the meeting word: a gloss of a date (「周五（11月13日）」) is short; a clause in brackets is an aside."""
    for op, cl in (("（", "）"), ("(", ")")):
        a = norm_s.rfind(op, 0, pos)
        if a < 0:
            continue
        b = norm_s.find(cl, a)
        if b < 0 or b < pos:
            continue
        if b - a > 12 and not (a < ca < b):
            return True
    return False


def _dates_other_meeting(norm_s: str, h: DateHit, ca: int) -> bool:
    """A date after the meeting word that sits right before another meeting word dates that other
    meeting: in 「馬曉偉與阿扎通電話，落實兩國元首3月27日通電話精神」 the 27th is the leaders' call."""
    if h.start <= ca:
        return False
    nxt = norm_s[h.end:h.end + 6]
    for a, _b, _m in meeting_cues(nxt, [], 0):
        if a <= 3 and "，" not in nxt[:a] and "," not in nxt[:a] and h.end + a != ca:
            return True
    return False


_SUMMIT_TAIL = re.compile(r"[^\u4e00-\u9fff，,。；]{0,8}?(峰会|会议|领导人峰会)")


def _mask_summit_names(norm_s: str, spans: list[Span], s0: int) -> str:
    """Blank a multilateral summit's name and the 「峰會」 that ends it (「G20峰會」, 「二十國集團(G20）峰會」): it names
    the summit, not a meeting of the two sides, and must not hide a meeting word after it (「峰會會面」)."""
    out = norm_s
    for sp in spans:
        if sp.kind != "summit":
            continue
        a, b = max(0, sp.start - s0), sp.end - s0
        if not 0 <= b <= len(out):
            continue
        out = out[:a] + "\u3000" * (b - a) + out[b:]
        m = _SUMMIT_TAIL.match(out, b)
        if m:
            out = out[:m.start(1)] + "\u3000" * (m.end(1) - m.start(1)) + out[m.end(1):]
    return out


def _date_end(date: str | None, hit: DateHit | None, norm_s: str) -> str | None:
    """The last day: from a stated range (「7月6日至9日」「下周三、四」), else from a stated duration
    (「為期兩天」) counted from the first day; a round of talks is one record with ``date_end``."""
    if not date or hit is None:
        return None
    if hit.date_end:
        return hit.date_end
    n = duration_days(norm_s)
    return (_d(date) + dt.timedelta(days=n - 1)).isoformat() if n else None


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s[:10])


def _strip_long_quotes(s: str) -> str:
    """The sentence with quoted speech blanked (same length), so its words set no tense."""
    out = list(s)
    for op, cl in (("「", "」"), ("“", "”")):
        i = s.find(op)
        while i >= 0:
            j = s.find(cl, i)
            j = len(s) if j < 0 else j
            if j - i > 9:
                out[i:j] = "\u3000" * (j - i)
            i = s.find(op, j)
    return "".join(out)


def _mask(s: str, words: list[str]) -> str:
    for w in words:
        s = s.replace(w, "\u3000" * len(w))
    return s


def _in_long_quote(s: str, pos: int) -> bool:
    """True when ``pos`` sits inside quoted speech (「…」 or “…” of 8+ characters), not a quoted name."""
    for op, cl in (("「", "」"), ("“", "”")):
        a = s.rfind(op, 0, pos)
        if a < 0:
            continue
        b = s.find(cl, a)
        if b < 0:
            b = len(s)
        if a < pos < b and b - a > 9:
            return True
    return False


def _elsewhen(pos: int, clauses: list[tuple[int, int]], lo: int, hi: int, other_days: list[DateHit]) -> bool:
    """Is the place at ``pos`` (sentence offset) outside the meeting's clauses, in a clause dated by
    another time expression? 「習近平歡迎特朗普訪華，又感謝特朗普今年四月在美國佛羅里達州的熱情接待」:
    Florida is where the April meeting took place, not the visit being reported."""
    if clauses[lo][0] <= pos < clauses[hi][1]:
        return False
    ci = next((i for i, (x, y) in enumerate(clauses) if x <= pos < y + 1), None)
    if ci is None:
        return False
    x, y = clauses[ci]
    return any(x <= h.start < y + 1 for h in other_days)


def _closest(hits: list[DateHit], pos: int, day: bool) -> DateHit | None:
    """The date expression that dates the meeting word at ``pos``: a stated day beats a bare weekday,
    then the nearest one before it, then the nearest after."""
    pool = [h for h in hits if (h.date is not None) == day]
    if not pool:
        return None
    return min(pool, key=lambda h: (h.weekday, 0 if h.start <= pos else 1, abs(h.start - pos)))


def _uniq(xs: list[str]) -> list[str]:
    seen: list[str] = []
    for x in xs:
        if x not in seen:
            seen.append(x)
    return seen


