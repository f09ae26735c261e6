"""Quotes: words in 「…」 『…』 “…” "…" attributed to an official or a body, and reported speech (X表示…).

Direct quotes: ``quote_spans`` finds the spans (nesting, damaged marks, a missing closing mark ending at
the paragraph end); ``_is_speech`` drops what cannot be someone's words (under six characters, titles,
names and labels: 「「一個中國」原則」, 「「健康絲綢之路」作出貢獻」, 「「世界衛生大會」（WHA）」); and
``quote_speakers`` finds the speaker (attribution before, after, split around, earlier in the sentence,
continued; pronouns, unnamed spokespersons, documents). ``_make`` turns the speaker into a canonical
name or body and a side: former officials, members of Congress and anyone outside the two governments
speak for side ``other``. Reported speech (「X表示，…」) is read, as before, only from sentences without a
direct quote, and stays ``reported``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace
from typing import Any

from summitwatch.engagements.quote_spans import MARKS, QuoteSpan, find_spans, sentence_bounds
from summitwatch.engagements.quote_speakers import Attributor, Frame, mask_quotes, strangers_of
from summitwatch.engagements.sentences import Sentence
from summitwatch.mentions import Span, normalise, resolve_span
from summitwatch.mentions.cues import load_cues
from summitwatch.model import Quote

_QUOTE = re.compile(r"「([^「」]{2,400})」|“([^“”]{2,400})”|\"([^\"]{2,400})\"")
_MIN_QUOTE = 6


_ADDRESSEE = ("向", "对", "對", "跟", "同")
_BREAKS = "，,；;：:。"


def _speaker_before(spans: list[Span], pos: int, lo: int, text: str = "") -> Span | None:
    """The last named speaker before ``pos``; in 「X向Y表示」 that is X, not the addressee Y."""
    cands = [s for s in spans if s.kind in ("person", "office", "body") and lo <= s.start and s.end <= pos]
    while cands and text and cands[-1].start > 0 and text[cands[-1].start - 1] in _ADDRESSEE:
        cands = cands[:-1]
    return cands[-1] if cands else None


def _clause_start(norm: str, pos: int, lo: int) -> int:
    """Offset just after the last clause break (，；：) before ``pos``, not before ``lo``."""
    i = pos - 1
    while i >= lo and norm[i] not in _BREAKS:
        i -= 1
    return i + 1


def _strip_words(s: str, words: list[str]) -> str:
    """``s`` with leading words of ``words`` removed, repeatedly (「其後又」 -> 「」)."""
    changed = True
    while s and changed:
        changed = False
        for w in words:
            if s.startswith(w):
                s, changed = s[len(w):], True
    return s


def _subject(spans: list[Span], norm: str, verb: int, lo: int, cues: dict[str, Any]) -> Span | None:
    """The named subject of the attribution verb at ``verb``, or None when the subject is someone else.

    The subject sits in the verb's own clause (「外交部發言人趙立堅表示」), or, when that clause holds only
    adverbs before the verb (「…，其後稱」), opens the clause before it. A name inside a longer phrase
    (「是中國政府強調的」) or after a companion (「康京和與蓬佩奧通電話，其後稱」) is not the subject."""
    cs = _clause_start(norm, verb, lo)
    spk = _speaker_before(spans, verb, cs, norm)
    if spk is None:
        if _strip_words(norm[cs:verb].strip(), cues["subjectless_adverbs"]):
            return None  # another subject, unnamed in the knowledge (「譚志源說」, 「新聞稿又指」)
        if cs <= lo:
            return None
        cs = _clause_start(norm, cs - 1, lo)
        first = [s for s in spans if s.kind in ("person", "office", "body") and cs <= s.start and s.end <= verb]
        if not first:
            return None
        spk = first[0]
        # an office title introduces the person right after it (「美國國務卿蓬佩奧」): take the person
        if spk.kind == "office" and spk.person:
            nxt = [s for s in first[1:] if s.kind == "person" and s.key == spk.person]
            spk = nxt[0] if nxt else spk
        if _strip_words(norm[cs:first[0].start].strip(), cues["subjectless_adverbs"]):
            return None  # the name does not open its clause (「表達美國政府對…的關切，形容「…」」)
    head = [s for s in spans if s.kind in ("person", "office", "body") and cs <= s.start and s.end <= verb]
    h = head[0] if head else spk
    if any(norm[cs:h.start].endswith(w) for w in cues["quote_not_subject_before"]):
        return None
    if spk.kind == "person" and any(norm.startswith(w, spk.end) for w in cues["speaker_not_suffix"]):
        return None  # 「特朗普的助手表示」: someone around him speaks
    return spk


def _inside_blocked(nseg: str, i: int, v: str, blocked: list[str]) -> bool:
    for w in blocked:
        k = w.find(v)
        while k >= 0:
            if i - k >= 0 and nseg[i - k:i - k + len(w)] == w:
                return True
            k = w.find(v, k + 1)
    return False


def find_quotes(text: str, norm: str, sentences: list[Sentence], spans: list[Span], kn: Any,
                date: str | None) -> list[Quote]:
    """Direct quotes (words in quote marks with their speaker) and, in sentences without one, reported
    speech (「X表示，…」). Articles without a quote mark skip the quote-span pass entirely."""
    cues = load_cues()
    reported_verbs = sorted(cues["reported_verbs"], key=len, reverse=True)
    blocked = list(cues["speech_not_verb"]) + list(cues["quotes"]["not_verb"])
    out: list[Quote] = []
    spans = _speaking_places(spans, kn)
    if any(c in text for c in MARKS):
        out.extend(_direct(text, norm, spans, kn, date, cues))
    starts = sorted(q.start for q in out)
    strangers = _strangers(norm, spans, kn, cues)
    by_start = sorted(spans, key=lambda s: s.start)
    span_starts = [s.start for s in by_start]
    verb_at = _verb_positions(norm, tuple(reported_verbs))
    for sent in sentences:
        k = bisect.bisect_right(verb_at, sent.start)
        if k == len(verb_at) or verb_at[k] >= sent.end:
            continue  # no reported verb after the sentence's first character: no reported speech
        # the sentence's spans by bisection: a scan per sentence is quadratic on long pages
        s_sp = by_start[bisect.bisect_left(span_starts, sent.start):bisect.bisect_left(span_starts, sent.end)]
        if not s_sp:
            continue
        k = bisect.bisect_left(starts, sent.start)
        if k < len(starts) and starts[k] < sent.end:
            continue  # the sentence holds a direct quote: its words are not reported speech
        seg = text[sent.start:sent.end]
        nseg = norm[sent.start:sent.end]
        # reported speech: 「X表示，…」 with X a named official or body right before the verb
        q = _reported(text, norm, sent, seg, nseg, s_sp, kn, date, reported_verbs, blocked, cues, strangers)
        if q:
            out.append(q)
    return out


@functools.lru_cache(maxsize=4)
def _verb_pattern(verbs: tuple[str, ...]) -> re.Pattern[str]:
    # a lookahead finds every start, overlapping ones too (「指出」 holds 「指」)
    return re.compile("(?=" + "|".join(map(re.escape, verbs)) + ")")


def _verb_positions(norm: str, verbs: tuple[str, ...]) -> list[int]:
    """Sorted offsets in ``norm`` where one of ``verbs`` starts: one pass over the text, so each
    sentence asks a bisection, not one search per verb, whether it can hold reported speech."""
    return [m.start() for m in _verb_pattern(verbs).finditer(norm)]


_NON_WORD = re.compile(r"[\s\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_GLOSS_ANY = re.compile(r"[（(][A-Za-z][^（）()]{0,200}[）)]")
_GLOSS_TITLE = re.compile(r"\s*[（(]([A-Za-z][A-Za-z ,.'’&\-]{1,120})[）)]")
_DESIGNATION = re.compile(r"[^，,。「」]{1,12}?為[「“]")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]{1,7}")
_LATIN = re.compile(r"[A-Za-z]")
_PAUSE = re.compile(r"[，,。；;：:！!？?、]")


def _is_speech(text: str, norm: str, q: QuoteSpan, masked: str, cues: dict[str, Any]) -> bool:
    """Whether the span can be someone's words: six characters or more, some Chinese, and neither a
    title (《…》, 「所謂「…」」) nor the name of a thing (「「一個中國」原則」, 「「中國病毒」一詞」)."""
    body = text[q.start:q.end]
    words = _GLOSS_ANY.sub("", body)  # 「不會（Nothing）」: the English gloss is not more words
    if len(_NON_WORD.sub("", words)) < _MIN_QUOTE or not _CJK.search(body):
        return False
    b = body.strip()
    if b.startswith(("《", "〈")) and b.endswith(("》", "〉")):
        return False
    qc = cues["quotes"]
    before = masked[max(0, q.open - 6):q.open].rstrip(" \u3000")
    if before.endswith(("《", "〈")) or any(before.endswith(w) for w in qc["name_before"]):
        return False
    if len(body) <= 10 and any(before.endswith(w) for w in cues["designation_before"]):
        return False  # 「稱魏京生為「中國民運之父」」: an epithet
    after = norm[q.after:q.after + 4]
    if q.closed and any(after.startswith(w) for w in qc["name_after"]):
        return False
    gloss = _GLOSS_TITLE.match(text, q.after) if q.closed else None
    if gloss and len(body) <= qc["label_max"] + 4 and _ACRONYM.fullmatch(gloss.group(1).strip()):
        return False  # 「「世界衛生大會」（WHA）」: a name with its acronym
    if gloss and len(body) <= qc["label_max"] + 4:
        words = [w for w in re.split(r"[\s,]+", gloss.group(1)) if w.isalpha()]
        big = sum(w[0].isupper() for w in words if len(w) > 3)
        if len(words) >= 2 and big >= max(2, len([w for w in words if len(w) > 3]) * 2 // 3):
            return False  # 「「香港教育與文化計劃」（Hong Kong Educational and Cultural Program）」: a name
    # a short phrase with no pause of its own, run on into the sentence (「打造「健康絲綢之路」作出貢獻」)
    # is a label, not someone's words
    if q.closed and len(body) <= qc["label_max"] and not _PAUSE.search(body):
        nxt = norm[q.after:q.after + 1]
        if nxt and _CJK.match(nxt) and nxt not in qc["label_after_ok"]:
            return False
    return True


def _direct(text: str, norm: str, spans: list[Span], kn: Any, date: str | None,
            cues: dict[str, Any]) -> list[Quote]:
    """Every quote span that is speech and has a speaker, in text order (see quote_speakers)."""
    qspans = find_spans(norm)
    if not qspans:
        return []
    masked = mask_quotes(norm, qspans)
    bounds = sentence_bounds(norm, qspans)
    att = Attributor(norm, masked, spans, bounds, cues, cues["speech_not_verb"], _bare_bodies(kn, cues),
                     _strangers(norm, spans, kn, cues), _women(kn))
    out: list[Quote] = []
    nested_out: list[Quote] = []
    prev: tuple[QuoteSpan, Frame] | None = None  # the last attributed outermost quote
    for q in qspans:
        if q.depth > 0:
            nested = _nested(text, norm, q, qspans, spans, att, kn, date, cues)
            if nested is not None:
                nested_out.append(nested)
            continue
        if not _is_speech(text, norm, q, masked, cues):
            continue
        frame = _frame(q, prev, att, norm)
        if frame is None and not att.asked(q):
            frame = att.inside(q)
        if frame is None:
            if att.before(q) == (None, True) and not att.asked(q):
                att.recent.append((q.start, None))  # someone the knowledge does not name is speaking
            continue
        got = _make(kn, frame.span, text[q.start:q.end], False, q.start, q.end, date, norm, spans, cues)
        if got is not None and _cantonese(norm[q.start:q.end], cues) and _us_person(kn, got.speaker):
            got = None  # colloquial Cantonese (「佢係…」) is a Hong Kong voice, never a US official's words
        if got is not None:
            out.append(got)
            prev = (q, frame)
            att.recent.append((q.start, frame.span))
    # a quote of a third person inside a quote comes before the quote holding it, so the narrower
    # attribution is the one read first where both cover the same words
    return nested_out + out


def _strangers(norm: str, spans: list[Span], kn: Any, cues: dict[str, Any]) -> set[str]:
    """People the article shows to be someone else of an official's name (「參選人桑德斯」); a member of
    Congress called 議員 is the official himself (his side is settled by his office)."""
    congress = set(cues["quotes"]["congress_titles"])
    out = set()
    for key in strangers_of(norm, spans, cues["quotes"]):
        o = kn.officials.get(key)
        held = {t.office for t in o.offices} if o is not None else set()
        titles = {norm[max(0, s.start - 4):s.start] for s in spans if s.key == key}
        if held & set(cues["quotes"]["congress_offices"]) and all(
                any(t.endswith(w) for w in congress) or not any(t.endswith(w) for w in
                                                                 cues["quotes"]["not_official_before"])
                for t in titles):
            continue
        out.add(key)
    return out


def _women(kn: Any) -> frozenset[str]:
    """The officials the knowledge records as women (cached on the knowledge's hash)."""
    got = _WOMEN.get(kn.hash)
    if got is None:
        got = _WOMEN[kn.hash] = frozenset(k for k, o in kn.officials.items() if o.gender == "f")
    return got


_WOMEN: dict[str, frozenset[str]] = {}


def _cantonese(words: str, cues: dict[str, Any]) -> bool:
    return sum(words.count(c) for c in cues["quotes"]["cantonese_chars"]) >= 2


def _us_person(kn: Any, name: str) -> bool:
    o = kn.officials.get(name)
    return o is not None and o.side == "US"


def _bare_bodies(kn: Any, cues: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Bare ministry names (「外交部」) -> (body, side) as the knowledge lists them."""
    bare = set(cues["unqualified_bodies"])
    return {normalise(z): (b.name, b.side) for b in kn.bodies.values() for z in b.zh if normalise(z) in bare}


def _speaking_places(spans: list[Span], kn: Any) -> list[Span]:
    """Places that are also bodies speak as the body (「白宮表示」 is the White House, not a venue)."""
    out = []
    for s in spans:
        b = kn.bodies.get(s.key) if s.kind == "place" else None
        out.append(replace(s, kind="body", side=b.side) if b is not None else s)
    return out


def _frame(q: QuoteSpan, prev: tuple[QuoteSpan, Frame] | None, att: Attributor, norm: str) -> Frame | None:
    """The speaker of an outermost quote span, in the order quote_speakers describes."""
    if att.adjacent_before(q):
        return att.before(q)[0]
    if att.asked(q):
        return None
    got = att.after(q)
    if got is not None:
        return got
    gap = cont_gap = ""
    if prev is not None:
        gap = norm[prev[0].after:q.open]
        cont_gap = att.cues["quotes"]["continuation_gap"]
        if gap and all(c in cont_gap for c in gap) and "\n" not in gap:
            return prev[1]  # 「「…」，「…」」: the same speaker goes on
    frame, decided = att.before(q)
    if decided:
        return frame
    frame = att.previous_sentence(q)
    if frame is not None:
        return frame
    if prev is not None and _opens_paragraph(norm, q) and _ends_paragraph(norm, prev[0]) \
            and gap.count("\n") <= 2 and not gap.strip(" \u3000\n。，,"):
        return prev[1]  # a paragraph of quoted words right after the speaker's previous one
    return None


def _opens_paragraph(norm: str, q: QuoteSpan) -> bool:
    k = q.open - 1
    while k >= 0 and norm[k] in " \u3000":
        k -= 1
    return k < 0 or norm[k] == "\n"


def _ends_paragraph(norm: str, q: QuoteSpan) -> bool:
    k = q.after
    while k < len(norm) and norm[k] in " \u3000。，,；;！!？?":
        k += 1
    return k >= len(norm) or norm[k] == "\n"


def _nested(text: str, norm: str, q: QuoteSpan, qspans: list[QuoteSpan], spans: list[Span], att: Attributor,
            kn: Any, date: str | None, cues: dict[str, Any]) -> Quote | None:
    """A quote inside a quote (「…毛澤東表示：『…』」) is the words of the person its own attribution
    names inside the outer quote; without one it is part of the outer quote, not a quote of its own."""
    parent = next((p for p in reversed(qspans) if p.depth == q.depth - 1 and p.open < q.open < p.after), None)
    if parent is None or not _is_speech(text, norm, q, norm, cues):
        return None
    lo = max(parent.start, max((norm.rfind(c, parent.start, q.open) + 1 for c in "。！？"), default=parent.start))
    seg = norm[lo:q.open]
    verbs = [(i, i + len(v)) for v in att.verbs for i in _find_all(seg, v) if not att._inside_blocked(lo + i, v)]
    if not verbs:
        return None
    v, v_end = max(verbs)
    if seg[v_end:].strip(" \u3000：:，,"):
        return None  # only a quote its verb introduces directly (「毛澤東表示：『…』」) is a quote of its own
    named = [s for s in spans if s.kind in ("person", "office") and lo <= s.start and s.end <= lo + v]
    named = [s for s in named if not any(norm[max(lo, s.start - 4):s.start].endswith(w)
                                         for w in cues["quotes"]["object_before"])]
    if not named:
        return None
    spk = named[0]
    if spk.kind == "office" and spk.person:
        spk = next((s for s in named if s.kind == "person" and s.key == spk.person), spk)
    return _make(kn, spk, text[q.start:q.end], False, q.start, q.end, date, norm, spans, cues)


def _find_all(s: str, w: str) -> list[int]:
    out = []
    i = s.find(w)
    while i >= 0:
        out.append(i)
        i = s.find(w, i + 1)
    return out


def _reported(text: str, norm: str, sent: Sentence, seg: str, nseg: str, s_sp: list[Span], kn: Any,
              date: str | None, reported_verbs: list[str], blocked: list[str], cues: dict[str, Any],
              strangers: set[str] = frozenset()) -> Quote | None:  # type: ignore[assignment]
    """The first 「X表示，…」 of the sentence whose X is a named official or body right before the verb."""
    for v in reported_verbs:
        i = nseg.find(v)
        while i > 0 and _inside_blocked(nseg, i, v, blocked):
            i = nseg.find(v, i + 1)
        if i <= 0:
            continue
        spk = _speaker_before(s_sp, sent.start + i, sent.start, text)
        if spk is not None and spk.key in strangers:
            continue  # 「人權觀察執行總監羅斯指出」: someone else of that name
        if spk is not None and any(norm[max(0, spk.start - 4):spk.start].endswith(w)
                                   for w in cues["quotes"]["object_before"]):
            continue  # 「他去信拜登稱」: the one written to does not speak
        last = _speaker_before(s_sp, sent.start + i, sent.start)
        addressed = last is not None and last is not spk and sent.start + i - last.end <= 2
        if spk is None or sent.start + i - spk.end > (15 if addressed else 2):
            continue
        if any(c in _BREAKS for c in norm[spk.end:sent.start + i]):
            continue  # 「大讚習近平，又稱…」: the name ends another clause
        if _subject(s_sp, norm, sent.start + i, sent.start, cues) is None:
            continue
        cs = _clause_start(norm, sent.start + i, sent.start)
        if any(norm.startswith(w, cs) for w in cues["topic_phrase_starts"]):
            continue  # 「就華春瑩指…，鄧弟…」: what another speaker answers
        if any(m.start() < i < m.end() for m in _QUOTE.finditer(seg)):
            continue  # the verb sits inside quote marks (a quoted headline: 「美國貿易代表稱將…」)
        rest = seg[i + len(v):].lstrip("，,：: ")
        a0 = sent.end - len(rest)  # where the reported words start (in text and norm alike)
        if len(rest) < _MIN_QUOTE or not _CJK.search(rest) or _DESIGNATION.match(rest):
            continue  # 「蓬佩奧稱魏京生為「中國民運之父」」 names someone, it reports no words
        rest = _cut_at_new_subject(rest, a0, s_sp, spk, reported_verbs)
        rest = _cut_at_other_speaker(rest, norm[a0:], reported_verbs, blocked, cues)
        rest = _cut_at_stray_marks(rest)
        if len(_LATIN.findall(rest)) > len(_CJK.findall(rest)):
            continue  # an English original, not the reported words
        if len(rest) < _MIN_QUOTE:
            continue
        q = _make(kn, spk, rest.rstrip("。，,；;"), True, a0, a0 + len(rest.rstrip("。，,；;")), date, norm, s_sp, cues)
        if q:
            return q
        break
    return None


def _cut_at_other_speaker(rest: str, nrest: str, verbs: list[str], blocked: list[str], cues: dict[str, Any]) -> str:
    """Reported words end at a later clause whose own subject speaks, named in the knowledge or not
    (「特朗普仍表示願與金正恩會晤，朝方也表示願繼續…」 stops before 朝方); a clause whose verb has only
    adverbs or a pronoun before it (「，並表示」, 「，他又稱」) goes on with the same speaker. ``nrest`` is
    the normalised text from where ``rest`` starts."""
    quiet = cues["subjectless_adverbs"]
    openers, ends = cues["quotes"]["reported_end_openers"], cues["quotes"]["reported_end_verbs"]
    for m in _CLAUSE_BREAK.finditer(nrest, 0, len(rest)):
        c = nrest[m.end():m.end() + 10]
        lead = _strip_words(c.strip(), quiet)
        if any(lead.startswith(w) for w in openers) or any(w in c for w in ends):
            return rest[:m.start()]  # 「…，韓媒解讀為…」: the comment of someone else
        for v in verbs:
            k = c.find(v)
            if not 0 < k <= 6 or _inside_blocked(c, k, v, blocked):
                continue
            subj = _strip_words(c[:k].strip(), quiet).rstrip("也則亦又卻還並更再都就仍")
            if subj and _strip_words(subj, quiet) and _CJK.match(subj):
                return rest[:m.start()]
    return rest


_CLAUSE_BREAK = re.compile(r"[，,；;]")


def _cut_at_stray_marks(rest: str) -> str:
    """Reported words end at a headline separator (a full-width space) or at a closing quote mark they
    never opened (the end of someone else's quoted words)."""
    k = rest.find("\u3000")
    if k >= 0:
        rest = rest[:k]
    depth = 0
    for i, c in enumerate(rest):
        if c in "「『“":
            depth += 1
        elif c in "」』”":
            if depth == 0:
                return rest[:i]
            depth -= 1
    return rest


def _cut_at_new_subject(rest: str, at: int, s_sp: list[Span], spk: Span, verbs: list[str]) -> str:
    """Reported words end where a clause opens with another named speaker who speaks (「普京則稱不會報復，
    特朗普隨即表示讚賞」 stops before 特朗普; 「…訪問台灣後，美國政府再次派遣官員」 goes on)."""
    for s in s_sp:
        if s.start <= at or s.kind not in ("person", "office", "body") or s.key == spk.key:
            continue
        k = s.start - at
        if k < len(rest) and rest[k - 1] in "，,；;" and any(v in rest[k:k + 12] for v in verbs):
            return rest[:k - 1]
    return rest


def _body_speaker(kn: Any, spk: Span, norm: str, spans: list[Span], cues: dict[str, Any]) -> tuple[str, str] | None:
    """(name, side) of a body speaker; a ministry named without a country word is the PRC's unless a
    country word stands right before it (「南韓外交部」) or the nearest country marker before it in the
    article is Taiwan's (Taiwan news names its own ministries bare). None: the body is not the speaker."""
    if any(norm.startswith(w, spk.end) for w in cues["body_not_speaker_suffix"]):
        return None  # 「國防部前副助理部長高比說」: a former official speaks
    surface = norm[spk.start:spk.end]
    if spk.side != "PRC" or surface not in cues["unqualified_bodies"]:
        return spk.key, str(spk.side)
    suffix = spk.key.removeprefix("PRC ")
    before = norm[max(0, spk.start - 6):spk.start]
    for w, country in sorted(cues["foreign_prefix"].items(), key=lambda kv: -len(kv[0])):
        if before.endswith(w):
            return _country_body(kn, country, suffix)
    us_name = cues["us_equivalent"].get(surface)
    us_body = _body_named(kn, us_name)
    # an official named right after the ministry (「外交部發言人華春瑩」, 「國務院亞太事務助理國務卿史達偉」)
    # settles whose it is
    nxt = [s for s in spans if s.kind in ("person", "office") and spk.end <= s.start <= spk.end + 25]
    if nxt and nxt[0].side == "PRC":
        return spk.key, "PRC"
    if nxt and nxt[0].side == "US" and us_body is not None:
        return us_body, "US"
    lo = max(0, spk.start - 400)
    tw = max((norm.rfind(w, lo, spk.start) for w in cues["taiwan_context"]), default=-1)
    cn = max((norm.rfind(w, lo, spk.start) for w in cues["prc_context"]), default=-1)
    us = max((norm.rfind(w, lo, spk.start) for w in cues["us_context"]), default=-1) if us_body else -1
    if us > max(tw, cn) and us_body is not None:
        return us_body, "US"
    if tw > cn:
        return _country_body(kn, "taiwan", suffix)
    return spk.key, "PRC"


_GLOSS = re.compile(r"[（(]([a-z][a-z.'\- ]+)[）)]")


def _gloss_mismatch(kn: Any, name: str, norm: str, end: int) -> bool:
    """True when the name is glossed in Latin letters right after it with another given name
    (「錢尼（Liz Cheney）」 is not Dick Cheney): a namesake, not the official."""
    m = _GLOSS.match(norm, end)
    if m is None:
        # the name found may be the Latin gloss itself (「錢尼（Liz Cheney）說」 finds 「Cheney」)
        k = max(norm.rfind("（", max(0, end - 40), end), norm.rfind("(", max(0, end - 40), end))
        m = _GLOSS.match(norm, k) if k >= 0 else None
        if m is None or m.end() < end:
            return False
    words = m.group(1).split()
    if len(words) < 2:
        return False
    o = kn.officials.get(name)
    forms = [name] + list(getattr(o, "en", ()) or ())
    gloss = m.group(1).strip()
    if any(gloss == f.lower() or (len(f.split()) >= 2 and f.lower() in gloss) for f in forms):
        return False
    firsts = {f.lower().split()[0] for f in forms if len(f.split()) >= 2}
    return bool(firsts) and words[0] not in firsts and words[-1] in name.lower()


def _body_named(kn: Any, name: str | None) -> str | None:
    """The knowledge's spelling of a body named in the cue file (cue values are lower-cased)."""
    if not name:
        return None
    low = name.lower()
    return next((n for n in kn.bodies if n.lower() == low), None)


def _country_body(kn: Any, country: str, suffix: str) -> tuple[str, str]:
    """The body ``suffix`` (e.g. Ministry of Foreign Affairs) of a country other than the two sides."""
    name = f"{country.title()} {suffix}"
    b = kn.bodies.get(name)
    return name, (b.side if b is not None else "other")


def _make(kn: Any, spk: Span | None, body: str, reported: bool, a: int, b: int, date: str | None,
          norm: str = "", spans: list[Span] | None = None, cues: dict[str, Any] | None = None) -> Quote | None:
    if spk is None:
        return None
    side = spk.side
    body_of = (cues or {}).get("quotes", {}).get("office_body", {}).get(spk.key) if spk.kind == "office" else None
    if body_of and not spk.person and not reported:
        # an unnamed spokesperson (「美國國務院發言人說」) is the institution (cue values are lower-cased)
        name = _body_named(kn, body_of)
        if name is not None:
            return Quote(speaker=name, side=side, text=body, reported=reported, start=a, end=b)  # type: ignore[arg-type]
    if spk.kind == "office":

        name = resolve_span(kn, spk, date)
    elif spk.kind == "body" and norm and cues is not None:
        if spk.key not in kn.bodies:  # a body named from a cue value (lower-cased): the knowledge's spelling
            spk = replace(spk, key=_body_named(kn, spk.key) or spk.key)
        got = _body_speaker(kn, spk, norm, spans or [], cues)
        if got is None:
            return None
        name, side = got
    else:
        name = spk.person or spk.key
    if spk.kind == "person" and norm and _gloss_mismatch(kn, name, norm, spk.end):
        return None  # 「錢尼（Liz Cheney）」: a namesake of the official
    if spk.kind == "person" and norm and cues is not None:
        suf = next((w for w in cues["government_suffix"] if norm.startswith(w, spk.end)), None)
        if suf is not None:
            # 「列根政府指…」: the administration spoke, not the person
            gov = cues["government_body"].get(str(spk.side))
            body_name = _body_named(kn, gov)
            if body_name is None:
                return None
            name = body_name
    if not name or side not in ("US", "PRC", "other"):
        return None
    if side != "other" and name in kn.officials:
        # former officials, members of Congress and officials-elect speak for no side (the spec)
        rank = kn.rank_on(name, date[:10]) if date else kn.ever_rank(name)
        if rank is None or rank == "other":
            side = "other"
    return Quote(speaker=name, side=side, text=body, reported=reported, start=a, end=b)  # type: ignore[arg-type]


def direct_quotes(text: str, norm: str, spans: list[Span], kn: Any, date: str | None,
                  extra_verbs: tuple[str, ...] = ()) -> list[Quote]:
    """The direct-quote pass alone (words in marks with their speaker; no reported speech) over a text
    of its own, such as a headline kept outside the article text (``quote_title``); ``extra_verbs``
    attribute quotes there besides the cue file's ``quotes.verbs``."""
    if not any(c in text for c in MARKS):
        return []
    cues = load_cues()
    if extra_verbs:
        cues = {**cues, "quotes": {**cues["quotes"], "verbs": [*cues["quotes"]["verbs"], *extra_verbs]}}
    return _direct(text, norm, _speaking_places(spans, kn), kn, date, cues)
