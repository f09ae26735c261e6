"""Who said the words in quote marks: the attribution frame of each quote span of an article.

A quote span takes its speaker, in this order, from:
1. an attribution right before it (「拜登說：「…」」, 「他續稱，「…」」, 「美方：「…」」);
2. an attribution right after it (「「…」，他說」, 「「…」布林肯說，「…」」: the split quote's first half);
3. the last attribution verb earlier in its sentence (「崔天凱指，…，「…」」), the sentence being bounded
   by 。！？ outside quote marks (quoted speech often holds several sentences);
4. the quote it continues: one right after another with only a comma between (「「…」，「…」」), or
   a paragraph that opens with a quote right after a paragraph that ended with one of the same speaker.
The subject of an attribution verb is the named official, office or body nearest before the verb in
its clause, skipping addressees and objects (「向蓬佩奧表示」); a clause holding only adverbials
(「並稱」, 「在記者會上表示」) leaves it to the clause before. Pronouns (他, 該官員) take the nearest
compatible named speaker before them; an unnamed spokesperson or official (「發言人說」, 「白宮官員表示」)
and a document (「聲明說」, 「新聞稿提到」) speak for the body named with them or nearest before them.
A clause whose subject is someone the knowledge does not name (a scholar, a newspaper) gives no
speaker, so that quote is left out rather than given to the wrong person.

All searches run over ``masked``: the normalised text with every outermost quote blanked, so words
inside other quotes are never taken for attributions. Cost is linear in the article per quote span,
and only articles with quote marks get here.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, replace
from typing import Any

import ahocorasick
import rjieba

from summitwatch.engagements.quote_spans import QuoteSpan, sentence_start
from summitwatch.mentions import Span

__all__ = ["Frame", "Attributor", "mask_quotes", "not_official", "strangers_of", "media_spans"]

_BREAKS = "，,；;：:"
_NOUN_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "nz", "nt", "r"})  # rjieba parts of speech that name someone
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
_BLANK = "\u25a1"  # stands for a character inside another quote
_ASIDE = "\u25a0"  # stands for a character of an author's bracketed aside (no clause, no words of anyone)
_SPEAKER_KINDS = ("person", "office", "body")


@dataclass(frozen=True, slots=True)
class Frame:
    """A resolved speaker: the mention that names it (a person, office or body span)."""

    span: Span
    how: str  # before | after | sentence | continues | pronoun | role | inside


def mask_quotes(norm: str, spans: list[QuoteSpan]) -> str:
    """``norm`` with the inside of every outermost quote (marks included) blanked out."""
    chars = list(norm)
    for s in spans:
        if s.depth == 0:
            for i in range(s.open, s.after):
                chars[i] = _BLANK
    return "".join(chars)


_ASIDE_MAX = 40


def _mask_asides(masked: str, mentions: list[Span]) -> str:
    """``masked`` with the author's asides in full-width brackets blanked too (「川普說彼此已建立了「友誼」
    （但沒有說是哪一種友誼），並且相信…」): their words are no clause of the sentence, so a verb in them
    neither attributes nor cuts the attribution around them. Asides that name a speaker (「（習近平）」)
    or run past one line or ``_ASIDE_MAX`` characters stay."""
    starts = sorted(s.start for s in mentions if s.kind in _SPEAKER_KINDS)
    out: list[str] = []
    last = 0
    i = masked.find("（")
    while i >= 0:
        j = masked.find("）", i + 1, i + _ASIDE_MAX)
        if j < 0 or "\n" in masked[i:j] or any(c in masked[i + 1:j] for c in "（" + _BLANK + "「『“\""):
            i = masked.find("（", i + 1)
            continue
        k = bisect.bisect_left(starts, i)
        inner = masked[i + 1:j]
        if (k < len(starts) and starts[k] < j) or not any("\u4e00" <= c <= "\u9fff" for c in inner):
            i = masked.find("（", j)
            continue
        out.append(masked[last:i])
        out.append(_ASIDE * (j + 1 - i))
        last = j + 1
        i = masked.find("（", last)
    if not out:
        return masked
    out.append(masked[last:])
    return "".join(out)


def _possessed(pairs: list[tuple[str, str]], k: int) -> bool:
    """True when the word at ``k`` is followed by 的 and a noun (「麻生太郎的言論」): the name qualifies
    what is talked about and is no speaker."""
    return k + 2 < len(pairs) and pairs[k + 1][0] == "的" and pairs[k + 2][1].startswith("n")


def not_official(norm: str, s: Span, q: dict[str, Any]) -> bool:
    """A person named right after a title no official holds (「參選人桑德斯」, 「執行總監羅斯」, 「學者
    詹森」) is someone else of that name, never the official the knowledge knows."""
    return _after_title(norm, s, tuple(q["not_official_before"]))


def _after_title(norm: str, s: Span, titles: tuple[str, ...]) -> bool:
    """:func:`not_official` with its titles as a tuple (``str.endswith`` tries them all in one call)."""
    if s.kind != "person":
        return False
    before = norm[max(0, s.start - 12):s.start].rstrip()
    if before.endswith(titles):
        return True
    # 「學者保羅・詹森」: the given name sits between the title and the surname
    return before[-1:] in "·・‧" and any(before[:-1 - k].endswith(titles) for k in range(1, 5))


@functools.lru_cache(maxsize=4)
def _verb_automaton(order: tuple[tuple[str, bool], ...]) -> ahocorasick.Automaton:
    """The attribution verbs as one Aho-Corasick automaton (value: rank in ``order``, verb, question),
    so finding them reads the text once instead of once per verb. A verb listed twice keeps its
    first rank."""
    auto = ahocorasick.Automaton()
    for rank, (v, question) in enumerate(order):
        if v and not auto.exists(v):
            auto.add_word(v, (rank, v, question))
    auto.make_automaton()
    return auto


def _extension(norm: str, at: int, q: dict[str, Any]) -> int:
    """Length of a title extension at ``at`` (「助理」 after 「外交部長」), 0 when none."""
    return next((len(w) for w in q["title_extensions"] if norm.startswith(w, at)), 0)


def strangers_of(norm: str, mentions: list[Span], q: dict[str, Any]) -> set[str]:
    """Keys of the people some mention in the article shows to be someone else of that name."""
    titles = tuple(q["not_official_before"])
    return {s.key for s in mentions if _after_title(norm, s, titles)}


def media_spans(norm: str, q: dict[str, Any]) -> list[tuple[int, int]]:
    """Where a news medium is named (it reports words, it is not an official speaker)."""
    out = []
    for w in q["media"]:
        i = norm.find(w)
        while i >= 0:
            out.append((i, i + len(w)))
            i = norm.find(w, i + 1)
    return sorted(out)


def _title_ranges(norm: str) -> list[tuple[int, int]]:
    """Spans inside 《…》 and 〈…〉 (titles of books and articles: the names in them do not speak)."""
    out: list[tuple[int, int]] = []
    for op, cl in (("《", "》"), ("〈", "〉")):
        i = norm.find(op)
        while i >= 0:
            j = norm.find(cl, i + 1)
            nl = norm.find("\n", i + 1)
            if j < 0 or (0 <= nl < j):
                i = norm.find(op, i + 1)
                continue
            out.append((i, j))
            i = norm.find(op, j + 1)
    return sorted(out)


def _inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    k = bisect.bisect_right(ranges, (pos, len(_BLANK) * 10**9)) - 1
    return k >= 0 and ranges[k][0] < pos < ranges[k][1]


class Attributor:
    """Attribution of the quote spans of one article (built once per article)."""

    def __init__(self, norm: str, masked: str, mentions: list[Span], bounds: list[int], cues: dict[str, Any],
                 blocked: list[str], bare_bodies: dict[str, tuple[str, str]] | None = None,
                 strangers: set[str] | None = None, female: frozenset[str] = frozenset()) -> None:
        self.norm = norm
        self.female = female  # officials the knowledge records as women: 她 is one of them, 他 is not
        self.masked = _mask_asides(masked, mentions)
        masked = self.masked
        self.bounds = bounds
        self.cues = cues
        q = cues["quotes"]
        self.verbs = sorted(set(q["verbs"]), key=len, reverse=True)
        self.questions = sorted(set(q["question_verbs"]), key=len, reverse=True)
        self.blocked = list(blocked) + list(q["not_verb"])
        self.objects = sorted(q["object_before"], key=len, reverse=True)
        self.adverbial = sorted(set(q["adverbs"]) | set(cues["subjectless_adverbs"]), key=len, reverse=True)
        self.openers = sorted(q["phrase_openers"], key=len, reverse=True)
        self.person_pron = sorted(q["pronouns"]["person"], key=len, reverse=True)
        self.any_pron = sorted(q["pronouns"]["any"], key=len, reverse=True)
        self.part_pron = sorted(q["pronouns"]["part"], key=len, reverse=True)
        self.pron_not = q["pronoun_not"]
        self.roles = sorted(q["roles"], key=len, reverse=True)
        self.counters = set(q["role_counters"])
        self.counters_longest = sorted(self.counters, key=len, reverse=True)
        self.counted_roles = set(q["counted_roles"])
        self.person_roles = q["person_roles"]
        self.possessive = cues["possessive_roles"]
        self.unnamed = sorted(q["unnamed_people"], key=len, reverse=True)
        self.sources = q["source_before"]
        self.bare_bodies = dict(sorted((bare_bodies or {}).items(), key=lambda kv: -len(kv[0])))
        self.weak = set(q["weak_verbs"])
        self.aides = cues["speaker_not_suffix"]
        self.agent = q["agent_before"]
        self.quote_intro = q["quote_intro"]
        self.collective = {v.lower() for v in cues["government_body"].values()}
        self.former = cues["former_prefix"]
        titles = _title_ranges(norm)
        # a person named right after a title no official holds is a stranger: someone speaking whom the
        # knowledge does not know, so whatever he says is nobody's here
        # (everywhere in the article, once a title has told who he is); so is a news medium, and a body
        # word that only qualifies one (「中國官方新華社」)
        strangers = strangers if strangers is not None else strangers_of(norm, mentions, q)
        media = media_spans(norm, q)
        starts_media = {a for a, _ in media}
        self.mentions = sorted(
            [replace(s, kind="stranger") if s.key in strangers else
             replace(s, kind="title", end=s.end + _extension(norm, s.end, q)) if s.kind == "office" and _extension(
                 norm, s.end, q) else
             replace(s, kind="media") if any(m in starts_media for m in range(s.end, s.end + 3)) else s
             for s in mentions if s.kind in _SPEAKER_KINDS and masked[s.start] != _BLANK
             and not _inside(titles, s.start)]
            + [Span("media", norm[a:b], None, a, b) for a, b in media if masked[a] != _BLANK],
            key=lambda s: (s.start, -s.end))
        self.starts = [s.start for s in self.mentions]
        self.places = sorted((s.start, s.end) for s in mentions if s.kind == "place")
        # a country named right before a role word (「一名中國高級官員」) speaks as its government
        govs = q["country_government"]
        self.countries = sorted((s.start, s.end, govs[s.key]) for s in mentions
                                if s.kind == "place" and s.key in govs)
        self.gov_side = {b.lower(): side for side, b in cues["government_body"].items()}
        self.topic_openers = sorted(cues["topic_phrase_starts"], key=len, reverse=True)
        self.source_verbs = [w for w in q["source_before"] if len(w) > 1]
        # every speaker mention, those inside quotes included (a quote naming its own speaker)
        self.inner = sorted((s for s in mentions if s.kind in ("person", "office")), key=lambda s: s.start)
        self.inner_starts = [s.start for s in self.inner]
        self.strangers = strangers
        self._verb_pos: list[tuple[int, int, bool]] | None = None
        # (quote offset, speaker) of the quotes attributed so far; None: an attribution to someone unknown
        self.recent: list[tuple[int, Span | None]] = []

    # ------------------------------------------------------------------ verbs
    def verb_positions(self) -> list[tuple[int, int, bool]]:
        """(start, end, is_question) of every attribution verb outside quotes, in text order."""
        if self._verb_pos is None:
            # every occurrence of every verb in one pass; at one offset the first verb in the order
            # (questions, then verbs, longest first) that no blocked word holds there is the verb
            at: dict[int, list[tuple[int, str, bool]]] = {}
            for end, (rank, v, question) in self._automaton().iter(self.masked):
                at.setdefault(end - len(v) + 1, []).append((rank, v, question))
            found: dict[int, tuple[int, int, bool]] = {}
            for i, cands in at.items():
                for _, v, question in sorted(cands):
                    if not self._inside_blocked(i, v):
                        found[i] = (i, i + len(v), question)
                        break
            # a shorter verb inside a longer one found at an earlier offset is the same word
            out: list[tuple[int, int, bool]] = []
            for i in sorted(found):
                if out and i < out[-1][1]:
                    continue
                out.append(found[i])
            self._verb_pos = out
        return self._verb_pos

    def _automaton(self) -> ahocorasick.Automaton:
        """Every attribution verb in one automaton: questions first, then verbs, longest first."""
        return _verb_automaton(tuple((v, True) for v in self.questions) + tuple((v, False) for v in self.verbs))

    def _inside_blocked(self, i: int, v: str) -> bool:
        for w in self.blocked:
            k = w.find(v)
            while k >= 0:
                if i - k >= 0 and self.masked.startswith(w, i - k):
                    return True
                k = w.find(v, k + 1)
        return False

    def _verbs_between(self, lo: int, hi: int) -> list[tuple[int, int, bool]]:
        vp = self.verb_positions()
        a = bisect.bisect_left(vp, (lo, -1, False))
        return [x for x in vp[a:] if x[0] >= lo and x[1] <= hi]

    # ------------------------------------------------------------------ clauses and subjects
    def clause_start(self, pos: int, lo: int) -> int:
        """Just after the last clause break (or quote) before ``pos``, not before ``lo``."""
        i = pos - 1
        while i >= lo and self.masked[i] not in _BREAKS and self.masked[i] != _BLANK:
            i -= 1
        return i + 1

    def _mentions_in(self, lo: int, hi: int) -> list[Span]:
        a = bisect.bisect_left(self.starts, lo)
        out = []
        for s in self.mentions[a:]:
            if s.start >= hi:
                break
            if s.end <= hi and s.kind != "title":  # 「外交部長助理」 names no holder of 外交部長
                out.append(s)
        # an office title introducing its holder (「美國國務卿布林肯」): keep the person
        return [s for s in out if not (s.kind == "office" and any(
            p.kind == "person" and p.start >= s.end and p.start - s.end <= 1 for p in out))]

    def _former(self, sp: Span) -> bool:
        """A name or body right after 前/前任 (「前美國財政部駐華代表」) is a former official's."""
        before = self.masked[max(0, sp.start - 2):sp.start]
        return any(before.endswith(w) for w in self.former)

    def _is_object(self, start: int, lo: int) -> bool:
        # an office title right before a name belongs to it (「批評美國國務卿布林肯」): look before the title
        k = bisect.bisect_left(self.starts, start - 12)
        for sp in self.mentions[k:]:
            if sp.start >= start:
                break
            if sp.kind == "office" and start - 1 <= sp.end <= start and sp.start >= lo:
                start = sp.start
                break
        before = self.masked[max(lo, start - 5):start].rstrip("《〈")  # 「接受《紐約時報》訪問」
        if any(before.endswith(w) for w in self.objects) and not any(
                before.endswith(b) for b in self.blocked if len(b) > 1 and b not in self.objects):
            return True  # but 「貿易顧問納瓦羅」 ends in 問 without asking him anything
        # 「會見到訪的美國衛生部長艾薩時表示」: a short modifier ending in 的 between the verb and the name
        wider = self.masked[max(lo, start - 10):start]
        if not wider.endswith("的"):
            return False
        for w in self.objects:
            k = wider.rfind(w)
            if len(w) > 1 and k >= 0 and not any(c in _BREAKS or c == _BLANK for c in wider[k + len(w):]):
                return True
        return False

    def _bare(self, lo: int, hi: int) -> str:
        """The text of [lo, hi) without the names, titles, bodies and role words in it
        (「中國外交部發言人」 before 「趙立堅」 is part of the name phrase, not a lead)."""
        keep = [True] * (hi - lo)
        k = bisect.bisect_left(self.starts, lo - 20)
        for sp in self.mentions[k:]:
            if sp.start >= hi:
                break
            for i in range(max(lo, sp.start), min(hi, sp.end)):
                keep[i - lo] = False
        for a, b, _ in self._tokens(lo, hi):
            for i in range(a, min(hi, b)):
                keep[i - lo] = False
        k = bisect.bisect_left(self.places, (lo - 20, 0))
        for a, b in self.places[k:]:
            if a >= hi:
                break
            for i in range(max(lo, a), min(hi, b)):
                keep[i - lo] = False
        return "".join(c for c, k2 in zip(self.masked[lo:hi], keep, strict=True) if k2 and c != _ASIDE)

    def _strip_adverbials(self, s: str) -> str:
        s = s.replace(_ASIDE, "").strip(" \u3000，,")
        changed = True
        while s and changed:
            changed = False
            for w in self.adverbial:
                if s.startswith(w):
                    s, changed = s[len(w):].lstrip(" \u3000，,"), True
                    break
        return s

    def _adverbial(self, s: str) -> bool:
        """True when ``s`` (the clause before its verb) holds no subject of its own."""
        rest = self._strip_adverbials(s)
        return not rest or any(rest.startswith(w) for w in self.openers)

    def _tokens(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Pronouns and role words in [lo, hi): (start, end, kind) with kind person | any | role."""
        out: list[tuple[int, int, str]] = []
        seg = self.masked[lo:hi]
        for words, kind in ((self.person_pron, "person"), (self.part_pron, "part"), (self.any_pron, "any"),
                            (self.unnamed, "stranger"),
                            (self.roles, "role")):
            for w in words:
                i = seg.find(w)
                while i >= 0:
                    a = lo + i
                    if not any(self.masked.startswith(n, a) for n in self.pron_not) and not any(
                            x[0] <= a < x[1] for x in out):
                        out.append((a, a + len(w), kind))
                    i = seg.find(w, i + 1)
        return sorted(out)

    def subject(self, verb: int, lo: int, sentence_from: int) -> Frame | None:
        """The speaker of the attribution verb at ``verb``; ``lo`` bounds the search (sentence start)."""
        cs = self.clause_start(verb, lo)
        hi = verb
        first_clause = True
        while True:
            got = self._subject_in(cs, hi, last=first_clause)
            if got is not None:
                return got or None
            if cs <= lo:
                return None
            hi = cs - 1
            cs = self.clause_start(hi, lo)
            first_clause = False

    def _subject_in(self, cs: int, hi: int, last: bool) -> Frame | None | bool:
        """The subject found in clause [cs, hi): a Frame; False when the clause has a subject that is no
        known speaker; None when it holds only adverbials (look at the clause before)."""
        if last:
            cs = self._after_source(cs, hi)
        lead = self._strip_adverbials(self.masked[cs:hi])
        lead = next((lead[len(w):] for w in self.openers if lead.startswith(w)), lead)
        if lead.startswith("《"):
            return False  # 「與《台灣關係法》僅提到「…」」: a document with a title is the subject
        agents = [s for s in self._mentions_in(cs, hi) if any(self.masked.startswith(w, s.end) for w in self.agent)]
        if agents and last:
            return Frame(agents[-1], "sentence")  # 「這是博爾頓所說的「…」」: the name before 所說 speaks
        named = [s for s in self._mentions_in(cs, hi) if not self._is_object(s.start, cs)]
        # 「拜登在白宮表示」, 「趙立堅在中國外交部記者會指出」: a body after 在/於 is where the speaker is
        named = [s for k, s in enumerate(named) if k == 0 or s.kind != "body"
                 or self.masked[max(cs, s.start - 1):s.start] not in ("在", "於", "于")]
        if not named and (topic := self._topic_speaker(cs, hi)) is not None:
            return topic  # 「針對習近平…表達「…」，…」: the one the topic phrase names said the words
        if named and last and self._former(named[-1]):
            return False
        toks = [t for t in self._tokens(cs, hi) if not self._is_object(t[0], cs)]
        if named and toks and toks[0][2] == "person" and toks[0][0] < named[0].start \
                and not self._strip_adverbials(self.masked[cs:toks[0][0]]) \
                and not self._verbs_between(toks[0][1], named[0].start):
            named = []  # 「他以中國外交部的說法為例，指…」: the pronoun opening the clause is its subject
        # a named speaker in the clause wins over document words after it (「特朗普在Twitter貼文說」,
        # 「王毅在聲明中說」); pronouns and role words speak only where nobody is named
        cands: list[tuple[int, Any]] = [(s.start, s) for s in named] if named else [(t[0], t) for t in toks]
        if cands:
            pick = cands[-1][1] if last else cands[0][1]
            if isinstance(pick, Span) and pick.kind in ("stranger", "media"):
                return False  # someone the knowledge does not know, or a newspaper, says it
            if isinstance(pick, Span):
                if not last:
                    lead = self._strip_adverbials(self._bare(cs, pick.start))
                    modified = self.masked[cs:pick.start].endswith("的") and \
                        not self.masked[pick.end:hi].strip(" \u3000") and len(named) == 1
                    if lead and not modified:
                        # 「默克爾似乎已看透特朗普…」: the name does not open the clause; but a name that ends
                        # its clause after a modifier (「批評中國的特朗普，則稱…」) is its subject
                        return False
                    # 「外交部發言人趙立堅…」: the person named right after the body speaks
                    nxt = [sp for sp in named if sp.kind == "person" and 0 <= sp.start - pick.end <= 5]
                    pick = nxt[0] if pick.kind == "body" and nxt else pick
                if pick.kind == "person" and any(self.masked.startswith(w, pick.end) for w in self.aides):
                    return False  # 「特朗普的助手表示」: someone around him speaks
                if pick.kind == "person" and self.masked.startswith("的", pick.end) and any(
                        w in self.masked[pick.end:hi] for w in self.possessive):
                    return False  # 「奧巴馬的中國事務顧問貝德認為」: someone of his speaks
                cited = any(self.masked[max(cs, pick.start - 4):pick.start].endswith(w) for w in self.sources)
                if not cited and not self._adverbial(self.masked[cs:pick.start]) \
                        and self._unnamed_subject(cs, pick.start) and hi - pick.end > 3:
                    return False  # 「學者認為，拜登…表示」; but 「稱特朗普曾說」 is Trump speaking
                return Frame(pick, "sentence")
            # a pronoun or document opens its clause (「他說」, 「聲明指」); a role word follows the body
            # it belongs to (「外交部發言人」) or opens the clause (「發言人說」)
            lead = self.masked[cs:toks[0][0]].strip(" \u3000")
            for w in self.bare_bodies:
                if pick[2] == "role" and lead.endswith(w):
                    lead = lead[:-len(w)]  # 「外交部發言人」: the ministry names the spokesperson's body
                    break
            if pick[2] == "role" and self.masked[pick[0]:pick[1]] in self.counted_roles and \
                    self._strip_adverbials(lead) in self.counters:
                return self._counted_role(pick[0]) or False  # 「一名發言人表示」: the body's spokesperson
            if pick[2] == "role" and (gov := self._country_role(pick[0])) is not None and \
                    self._strip_counters(self.masked[cs:gov.span.start]) == "":
                return gov  # 「一名中國高級官員稱」: an official left unnamed speaks for his government
            if not (self._adverbial(lead) or (lead.endswith("的") and pick[2] == "person")):  # 「73歲的他說」
                return False  # but 「華為在回應…的聲明中表示」: the statement is of whoever the 的 names
            if pick[2] == "stranger":
                return False  # 「評論人士指出」: someone nobody names
            got = self._resolve_token(pick, cs)
            if got is None and pick[2] == "any":
                return None  # 「即時在Twitter推文稱」: the document word is the verb's; look further back
            return got or False
        if last and not self._adverbial(self.masked[cs:hi]):
            # 「…，即時在Twitter推文稱」: a clause that opens with its own predicate shares the subject
            # of the clause before; any other words before the verb are a subject nobody names
            return None if self._verbs_between(cs, hi) else False
        if not last and self._verbs_between(cs, hi + 1) and not self._adverbial(self.masked[cs:hi]):
            first = self._verbs_between(cs, hi + 1)[0][0]
            if self._strip_adverbials(self.masked[cs:first]):
                return False  # the clause has a subject of its own before its verb
        return None

    def _after_source(self, cs: int, hi: int) -> int:
        """The clause start past a source verb (「《華爾街日報》引述一名中國官員稱」: whoever is cited after
        引述 speaks, not the newspaper citing them), or ``cs`` when none has words after it."""
        seg = self.masked[cs:hi]
        k = max(((seg.rfind(w), len(w)) for w in self.source_verbs), default=(-1, 0))
        if k[0] < 0 or not seg[k[0] + k[1]:].strip(" \u3000，,"):
            return cs
        return cs + k[0] + k[1]

    def _strip_counters(self, s: str) -> str:
        s = self._strip_adverbials(s)
        for w in self.counters_longest:
            if s.endswith(w):
                return s[:-len(w)].strip(" \u3000")
        return s

    def _country_role(self, pos: int) -> Frame | None:
        """The government a role word at ``pos`` speaks for when a country is named right before it
        (「中國高級官員」, 「美國資深官員」), else None."""
        k = bisect.bisect_left(self.countries, (pos - 8, 0, ""))
        end = next((pos + len(w) for w in self.roles if self.masked.startswith(w, pos)), pos)
        if self.masked.startswith("的", end):
            return None  # 「美國高級官員的演說」: the officials are no subject here
        for a, b, gov in self.countries[k:]:
            if a >= pos:
                break
            if 0 <= pos - b <= 1:
                side = self.gov_side.get(gov.lower())
                return Frame(Span("body", gov, side, a, b), "role")
        return None

    def _topic_speaker(self, cs: int, hi: int) -> Frame | None:
        """The person a topic phrase opening the clause names, when the clause goes on to that person's
        verb of speech (「針對習近平在大會上表達」: what Xi expressed is the topic, so the words are his);
        not when the phrase is about something of theirs (「針對拜登的言論」)."""
        lead = self._strip_adverbials(self.masked[cs:hi])
        if not any(lead.startswith(w) for w in self.topic_openers):
            return None
        ms = [s for s in self._mentions_in(cs, hi) if s.kind in ("person", "office")]
        if not ms or len(ms) > 2 or any(sp.kind in ("stranger", "media") for sp in self._mentions_in(cs, hi)):
            return None
        sp = ms[-1] if ms[0].kind == "office" and ms[-1].kind == "person" else ms[0]
        head = self._strip_adverbials(self.masked[cs:ms[0].start])
        if not any(head == w for w in self.topic_openers) or self.masked.startswith("的", sp.end):
            return None
        vs = self._verbs_between(sp.end, hi + 8)
        if not vs or vs[0][2] or not (vs[0][0] == hi or hi - 1 <= vs[0][1] <= hi):
            return None  # the clause must end on the first verb after the name (or reach it at ``hi``)
        return Frame(sp, "sentence")

    def inside(self, q: QuoteSpan) -> Frame | None:
        """The speaker a quote names at its own start (「特朗普強調，我充分理解…」, 「(習近平)對特朗普表示願意
        …」): a readout or report quoted whole carries its own attribution. Only the quote's first clause
        is read: the name must open it (brackets aside) and an attribution verb follow within it, with
        no more than an addressee (「對特朗普」) between."""
        body = self.norm[q.start:q.end]
        if body.rstrip().endswith(("？", "?")):
            return None  # a question put to someone
        e = len(body)
        for c in "，,：:。；;":
            i = body.find(c)
            if 0 <= i < e:
                e = i
        k = bisect.bisect_left(self.inner_starts, q.start)
        if k >= len(self.inner) or self.inner[k].start >= q.start + e:
            return None
        sp = self.inner[k]
        if body[:sp.start - q.start].strip(" \u3000(（") or sp.key in self.strangers:
            return None
        if sp.kind == "office" and k + 1 < len(self.inner) and self.inner[k + 1].kind == "person" \
                and self.inner[k + 1].start - sp.end <= 1:
            sp = self.inner[k + 1]
        rest = body[sp.end - q.start:e].lstrip(")） \u3000")
        starts = [end - len(v) + 1 for end, (_, v, question) in self._automaton().iter(rest) if not question]
        if not starts:
            return None
        gap = rest[:min(starts)]
        if gap and not (self._strip_adverbials(gap) == "" or (gap[0] in "對对向跟同" and len(gap) <= 8)):
            return None
        return Frame(sp, "inside")

    def _counted_role(self, pos: int) -> Frame | None:
        """The body a spokesperson counted but not named (「一名發言人」 at ``pos``) speaks for: the last
        body named earlier in the same paragraph that is not an object there, else nobody."""
        p0 = self.masked.rfind("\n", 0, pos) + 1
        bodies = [s for s in self._mentions_in(p0, pos) if s.kind == "body" and not self._is_object(s.start, p0)]
        return Frame(bodies[-1], "role") if bodies else None

    def _unnamed_subject(self, cs: int, pos: int) -> bool:
        """True when an attribution verb sits between the clause start and ``pos``: someone else speaks
        first (「報道指，蓬佩奧…」 is not the case; 「學者認為拜登…」 is)."""
        return bool(self._verbs_between(cs, pos))

    def _resolve_token(self, tok: tuple[int, int, str], cs: int) -> Frame | None:
        a, _, kind = tok
        if kind == "role":
            # the body named right before the role word (「美國駐北京大使館發言人」, 「白宮官員」)
            near = [s for s in self._mentions_in(max(0, a - 12), a) if s.kind == "body" and a - s.end <= 2]
            if near:
                return Frame(near[-1], "role")
            gov = self._country_role(a)
            if gov is not None:
                return gov  # 「一名美國官員說」: the government of the country named with the role word
            # a bare ministry the gazetteer took as part of an unresolved title (「外交部發言人」)
            for w, (key, side) in self.bare_bodies.items():
                if self.masked.startswith(w, a - len(w)):
                    return Frame(Span("body", key, side, a - len(w), a), "role")
            return self.nearest(a, kinds=("body",), how="role")
        if kind == "person":
            return self.antecedent(a, kinds=("person", "office"), pron=self.masked[a:tok[1]])
        if kind == "part":
            # 「…貼出三段文。第一段說」: a part of a post or speech is its author's, the subject opening
            # the sentence before, not whoever was quoted last
            return self.antecedent(a, kinds=_SPEAKER_KINDS)
        # a document (「聲明」, 「新聞稿」) is the issuer's named earlier in its sentence (「六中全會…公布的
        # 公報提到」), else the last attributed speaker's, never just a name nearby
        s0 = sentence_start(self.bounds, a)
        issuers = [sp for sp in self._mentions_in(s0, a) if sp.kind == "body" and not self._is_object(sp.start, s0)]
        if issuers:
            return Frame(issuers[-1], "pronoun")
        frame = self.nearest(a, kinds=_SPEAKER_KINDS, how="pronoun", bare=False)
        last = next(((at, sp) for at, sp in reversed(self.recent) if at <= a and a - at <= 600), None)
        if last is not None and (frame is None or last[0] > frame.span.start):
            return Frame(last[1], "pronoun") if last[1] is not None else None
        return frame

    def _fits(self, sp: Span | None, pron: str) -> bool:
        """Whether a named person can be what the pronoun refers to: 她 a woman, 他 not one (the
        officials file records women; people it does not record fit either)."""
        if sp is None or sp.kind != "person" or pron not in ("他", "她"):
            return True
        return (sp.key in self.female) == (pron == "她")

    def antecedent(self, pos: int, kinds: tuple[str, ...], window: int = 800, pron: str = "") -> Frame | None:
        """What a pronoun at ``pos`` refers to: the nearer of the last quoted speaker and the subject
        opening the nearest sentence before it (「李克強…，他說」, 「「…」。⏎他續稱」)."""
        best: tuple[int, Span] | None = None
        for at, sp in reversed(self.recent):
            if at <= pos and pos - at <= window and (sp is None or sp.kind in kinds or self._spokesperson(sp)):
                if sp is None:
                    break
                if not self._fits(sp, pron):
                    continue  # 「特朗普說…。她說」: someone else, a woman, speaks
                best = (at, sp)
                break
        k = bisect.bisect_right(self.bounds, pos) - 1
        while k >= 0 and pos - self.bounds[k] <= window:
            s0 = self.bounds[k]
            if best is not None and s0 < best[0]:
                break
            sub = self.opening_subject(s0, pos, kinds)
            if sub is None and self._opens_with_a_name(s0, pos):
                sub = Span("stranger", "", None, s0, s0)  # 「前布政司鍾逸傑是…」: a person nobody knows here
            if sub is not None and sub.kind == "stranger":
                if best is None or best[0] < sub.start:
                    return None  # the nearest subject is someone the knowledge does not know
                break
            if sub is not None and sub.kind in kinds and not self._fits(sub, pron):
                k -= 1
                continue
            if sub is not None and sub.kind in kinds:
                if best is None or sub.start > best[0]:
                    best = (sub.start, sub)
                break
            if s0 < pos and self._unknown_speaker(s0, min(pos, self.bounds[k + 1] if k + 1 < len(self.bounds) else pos)):
                if best is None or best[0] < s0:
                    return None  # the last one speaking is someone the knowledge does not name
                break
            k -= 1
        if best is None:
            return None
        if self._unnamed_between(best[0], pos):
            return None  # 「一名高級官員說…。該官員續稱」: the official nobody names is meant
        return Frame(best[1], "pronoun")

    def _spokesperson(self, sp: Span) -> bool:
        """True when a body speaker is named with a person's role word right after it (「總統府發言人張
        惇涵」): a 他 after that quote refers to that spokesperson, who speaks for the body."""
        return sp.kind == "body" and any(self.masked.startswith(w, sp.end) for w in self.person_roles)

    def _unnamed_between(self, lo: int, hi: int) -> bool:
        """True when an official or spokesperson is introduced unnamed in [lo, hi) (「一名官員」), i.e. a
        role word with no body right before it and no name right after it."""
        for a, b, kind in self._tokens(lo, hi):
            if kind != "role":
                continue
            before = self._mentions_in(max(0, a - 12), a)
            after = self._mentions_in(b, b + 6)
            if not (before and a - before[-1].end <= 2) and not (after and after[0].start - b <= 1):
                if not any(self.masked.startswith(w, a - len(w)) for w in self.bare_bodies):
                    return True
        return False

    def _unknown_speaker(self, s0: int, s1: int) -> bool:
        """True when the sentence [s0, s1) opens with an attribution whose subject is not a known
        speaker (「學者林文程認為，…」): a pronoun after it refers to that unknown person."""
        verbs = [v for v in self._verbs_between(s0, s1) if not v[2]]
        if not verbs:
            return False
        if any(sp.kind in _SPEAKER_KINDS for sp in self._mentions_in(s0, verbs[-1][0])):
            return False  # 「報道引述埃斯珀說」: someone known speaks in the sentence
        v0 = verbs[0][0]
        cs = self.clause_start(v0, s0)
        if self._mentions_in(cs, v0) or self._tokens(cs, v0):
            return False
        return not self._adverbial(self.masked[cs:v0])

    def _opens_with_a_name(self, s0: int, limit: int) -> bool:
        """True when the sentence's first clause names a person the knowledge does not know (a
        part-of-speech person name before any verb)."""
        e = s0
        n = min(limit, len(self.masked), s0 + 30)
        while e < n and self.masked[e] not in _BREAKS and self.masked[e] != _BLANK:
            e += 1
        v = self._verbs_between(s0, e)
        head = self._bare(s0, v[0][0] if v else e)
        return bool(head) and any(f in _NAME_TAGS for _, f in rjieba.tag(head))

    def opening_subject(self, s0: int, limit: int, kinds: tuple[str, ...] = _SPEAKER_KINDS) -> Span | None:
        """The named speaker opening the sentence at ``s0`` (first clause, before ``limit``): the first
        of ``kinds`` (a body naming a person's office, 「港澳辦主任張曉明」, gives way to the person), or a
        stranger."""
        e = min(limit, len(self.masked), s0 + 40)
        for sp in self._mentions_in(s0, e):
            if self._is_object(sp.start, s0) or sp.kind == "media" or (sp.kind not in kinds and sp.kind != "stranger"):
                continue  # a newspaper reports someone else's words: look past it
            lead = self._bare(s0, sp.start).strip(" \u3000")
            if self._verbs_between(s0, sp.start) or any(t[2] != "role" for t in self._tokens(s0, sp.start)):
                return None  # 「他引述習近平曾稱」: the name is not the sentence's subject
            if len(lead) <= 6 or self._adverbial(lead):
                return sp
            return None
        return None

    def nearest(self, pos: int, kinds: tuple[str, ...], how: str, window: int = 600, bare: bool = True) -> Frame | None:
        """The speaker of the nearest attribution before ``pos`` whose speaker is of ``kinds``; else the
        nearest mention of those kinds before it (within ``window`` characters)."""
        lo = max(0, pos - window)
        for v0, _v1, q in reversed(self._verbs_between(lo, pos)):
            if q:
                continue
            s0 = sentence_start(self.bounds, v0)
            cs = self.clause_start(v0, s0)
            named = [s for s in self._mentions_in(cs, v0) if not self._is_object(s.start, cs)]
            if named and named[-1].kind == "stranger":
                return None
            if named and named[-1].kind in kinds:
                return Frame(named[-1], how)
            if not named and not self._tokens(cs, v0) and not self._adverbial(self.masked[cs:v0]):
                return None  # the nearest attribution is to someone the knowledge does not name
        if not bare:
            return None
        ms = [s for s in self._mentions_in(lo, pos) if s.kind in kinds]
        return Frame(ms[-1], how) if ms else None

    # ------------------------------------------------------------------ quote frames
    def before(self, q: QuoteSpan) -> tuple[Frame | None, bool]:
        """(speaker, decided) from the text right before the quote or earlier in its sentence.
        decided True when an attribution was found (even one with no known speaker, or a question)."""
        lo = sentence_start(self.bounds, q.open)
        verbs = self._verbs_between(lo, q.open)
        if not verbs:
            # 「美方：「…」」: a speaker and a colon right before the quote
            k = q.open - 1
            while k >= lo and self.masked[k] in " \u3000":
                k -= 1
            if k >= lo and self.masked[k] in "：:":
                cs = self.clause_start(k, lo)
                named = self._mentions_in(max(cs, k - 20), k)
                if named and named[-1].end == k and not self._is_object(named[-1].start, cs):
                    return Frame(named[-1], "before"), True
            return None, False
        k = q.open - 1
        while k >= lo and self.masked[k] in " \u3000":
            k -= 1
        if k >= lo and self.masked[k] in "：:":
            # 「X認同這個講法：「…」」: the clause before the colon introduces the quote
            cs = self.clause_start(k, lo)
            named = self._mentions_in(cs, k)
            if named and named[-1].end == k and not self._is_object(named[-1].start, cs):
                return Frame(named[-1], "before"), True
        v0, v1, question = verbs[-1]
        if question:
            return None, True
        qend = q.open
        k = q.open - 1
        while k >= lo and self.masked[k] in " \u3000":
            k -= 1
        if k >= lo and self.masked[k] in "：:":
            qend = k  # 「孫哲認同這個講法：「…」」: the clause before the colon introduces the quote
        qcs = self.clause_start(qend, lo)
        if verbs[-1][1] <= qcs and self._own_subject(qcs, qend) and not self._topic_of_said(verbs[-1], qcs, qend):
            return None, True  # 「就華春瑩指…，鄧弟「…」」: the quote's clause has a subject nobody names
        for v0, v1, question in reversed(verbs):
            if question:
                return None, True
            got = self.subject(v0, lo, lo)
            lead = self._strip_adverbials(self.masked[self.clause_start(v0, lo):v0])
            weak = self.masked[v0:v1] in self.weak
            if got is not None and got.span.key.lower() in self.collective:
                earlier = [(v, self.subject(v[0], lo, lo)) for v in verbs if v[0] < v0 and not v[2]]
                people = [f for _, f in earlier if f is not None and f.span.kind in ("person", "office")]
                if people and got.span.kind == "body" and got.how != "role":
                    return people[-1], True  # 「汪文斌聲稱，中方敦促…，「…」」: the spokesperson speaks for 中方
                if weak and self._unknown_speaker(lo, v0):
                    return None, True  # 「學者劉忠恩認為…，中方…，但相信…：「…」」: the scholar goes on
                if weak and any(f is None and self.masked[v[1]:v[1] + 1] in "，,：:" for v, f in earlier):
                    return None, True  # 「文章說，…中方對此也有所預料，「…」」: the unknown speaker goes on
            if got is not None or not weak or len(lead) > 3:
                return got, True
            # 「發言人表示，美國希望兩國元首「…」」: a verb of wishing or urging with nobody named is part
            # of what the earlier verb's subject says
        return None, True

    def previous_sentence(self, q: QuoteSpan) -> Frame | None:
        """For a quote opening its sentence: the speaker of the previous sentence of the same paragraph,
        when that sentence is an attribution (「發言人稱，…。「…」」 goes on with the spokesperson's words)."""
        lo = sentence_start(self.bounds, q.open)
        if self.masked[lo:q.open].strip(" \u3000") or lo == 0:
            return None
        if self.masked[lo - 1] == "\n":
            # a paragraph of quoted words after a paragraph that ends on a colon (「…的關切：⏎「…」」)
            k = lo - 1
            while k >= 0 and self.masked[k] in "\n \u3000":
                k -= 1
            if k < 0 or self.masked[k] not in "：:":
                return None
            lo = k
        p0 = sentence_start(self.bounds, lo - 1)
        verbs = [v for v in self._verbs_between(p0, lo) if not v[2]]
        if not verbs:
            return None
        return self.subject(verbs[-1][0] if self.masked[lo] in "：:" else verbs[0][0], p0, p0)

    def _own_subject(self, cs: int, pos: int) -> bool:
        """True when the words of [cs, pos) before a quote read as a subject of their own: two or more
        characters left once adverbials, names, places and role words are taken out."""
        lead = self._strip_adverbials(self._bare(cs, pos))
        lead = "".join(c for c in lead if self._is_word_char(c))
        if len(lead) < 2 or any(lead.endswith(w) for w in self.quote_intro):
            return False
        # a noun or pronoun and no verb (「家屬鄧弟「…」」, 「民主黨對中國「…」」) is a subject; a verb phrase
        # (「發出了「…」」, 「指控台灣「…」」) continues the sentence's attribution
        pairs = rjieba.tag(lead)
        tags = [flag for _, flag in pairs]
        if any(f in _NAME_TAGS and not _possessed(pairs, k) for k, f in enumerate(tags)):
            return True  # a person's name the knowledge does not know (「孫哲都認同這個講法」)
        return not any(f.startswith("v") for f in tags) and any(f in _NOUN_TAGS for f in tags)

    def _topic_of_said(self, verb: tuple[int, int, bool], qcs: int, qend: int) -> bool:
        """True when the clause before the quote's is an attribution ending on its verb (「特朗普說，美國的
        個案「…」」): the noun phrase opening the quote's clause is what the speaker talks about, not a
        speaker of its own; unless it is a person's name (「…表示，家屬鄧弟「…」」)."""
        if self.masked[verb[1]:qcs].strip(" \u3000，,") or verb[2]:
            return False
        lead = "".join(c for c in self._bare(qcs, qend) if self._is_word_char(c))
        pairs = rjieba.tag(lead)
        return bool(lead) and not any(f in _NAME_TAGS and not _possessed(pairs, k) for k, (_, f) in enumerate(pairs))

    @staticmethod
    def _is_word_char(c: str) -> bool:
        return "\u4e00" <= c <= "\u9fff" or c.isalpha()

    def asked(self, q: QuoteSpan) -> bool:
        """True when a question verb introduces the quote (「被問到「…？」」): a reporter's words."""
        lo = sentence_start(self.bounds, q.open)
        verbs = self._verbs_between(lo, q.open)
        return bool(verbs) and verbs[-1][2] and self.clause_start(q.open, lo) <= verbs[-1][0]

    def adjacent_before(self, q: QuoteSpan) -> bool:
        """True when an attribution verb introduces the quote directly (「說：「」, 「指，「」)."""
        lo = sentence_start(self.bounds, q.open)
        verbs = self._verbs_between(lo, q.open)
        if not verbs:
            return False
        gap = self.masked[verbs[-1][1]:q.open]
        return all(c in "：:，, \u3000道" for c in gap) or gap.strip(" \u3000") == "的"

    def after(self, q: QuoteSpan) -> Frame | None:
        """The speaker named right after the quote: 「「…」，他說」, 「「…」布林肯說，「…」」."""
        a = q.after
        e = a
        n = len(self.masked)
        while e < n and e - a < 24 and self.masked[e] not in "。！？!?；;\n" + _BLANK:
            e += 1
        k = a
        while k < e and self.masked[k] in "，, \u3000":
            k += 1
        seg_end = k
        while seg_end < e and self.masked[seg_end] not in _BREAKS:
            seg_end += 1
        verbs = self._verbs_between(k, seg_end)
        if not verbs or verbs[0][2]:
            return None
        v0 = verbs[0][0]
        j = verbs[0][1]
        while j < n and self.norm[j] in "：:，, \u3000":
            j += 1
        if j < n and self.norm[j] in "「『“\"｢" and self.norm[q.start:q.end].rstrip()[-1:] in "？?":
            return None  # 「「…？」拜登回應「…」」: a question, then the verb introducing the answer
        if self.norm[q.start:q.end].rstrip()[-1:] in "。！？!?" and j > verbs[0][1] and j < n and (
                self.norm[j - 1] in "：:" or (self.norm[j - 1] in "，," and "\u4e00" <= self.norm[j] <= "\u9fff")):
            # 「「…。」他強調，要在…」: a finished quote, then a new sentence of reported words; 「「…。」蓬佩奧
            # 說：「…」」: the verb and its colon introduce the next quote
            return None
        named = [s for s in self._mentions_in(k, v0) if not self._is_object(s.start, k)]
        toks = self._tokens(k, v0)
        first = min([s.start for s in named] + [t[0] for t in toks], default=v0)
        if self._strip_adverbials(self._bare(k, first)):
            return None  # 「「…」，至於默克爾則希望」: the clause after the quote is about someone else
        if named and named[-1].kind in ("stranger", "media"):
            return None
        if self.norm[q.start:q.end].rstrip()[-1:] in "？?" and not verbs[0][2]:
            return None  # 「「…？」董建華回應」: a question someone put, answered after it
        if named and (not toks or named[-1].start >= toks[-1][0] or toks[-1][2] == "role"):
            if toks and toks[-1][2] == "role" and toks[-1][0] >= named[-1].end:
                return self._resolve_token(toks[-1], k)
            return Frame(named[-1], "after")
        if toks:
            return self._resolve_token(toks[-1], k)
        return None
