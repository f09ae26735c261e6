"""How each outlet framed an engagement: the names it used, the topics it raised, the quotes it chose.

The markers (中共 / 中國 / 北京; 國家主席 / 中共國家主席 …) are domain knowledge and live in
``data/framing.yaml`` (owned by the knowledge module). The file's shape is read defensively: a group
of markers may be a list of cue strings, a mapping label -> cue(s), or a list of mappings with a
label and cues. Without the file the comparison still lists topics and quotes, and says that the
naming markers were unavailable.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summitwatch.knowledge import KnowledgeError, data_file, load_knowledge
from summitwatch.timeline.records import QuoteRef, RecordRef

_LABEL_KEYS = ("label", "name", "id", "key", "term")
_CUE_KEYS = ("zh", "cues", "markers", "surfaces", "patterns", "aliases", "terms", "forms")


@dataclass(frozen=True, slots=True)
class Framing:
    """Groups of naming markers: group -> ((label, (cue, ...)), ...)."""

    groups: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    origin: str | None = None  # the file it came from, None when unavailable

    @property
    def available(self) -> bool:
        return bool(self.groups)


def _as_cues(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping):
        for k in _CUE_KEYS:
            if k in value:
                return _as_cues(value[k])
        return ()
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value if isinstance(v, str | int) and str(v))
    return ()


def _parse_group(value: Any) -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = []
    if isinstance(value, Mapping):
        cues_direct = [k for k in _CUE_KEYS if k in value]
        if cues_direct:  # a single marker written as a mapping
            label = next((str(value[k]) for k in _LABEL_KEYS if k in value), "")
            cues = _as_cues(value)
            return [(label or cues[0], cues)] if cues else []
        for label, cues in value.items():
            parsed = _as_cues(cues) or (str(label),)
            out.append((str(label), parsed))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                out.append((item, (item,)))
            elif isinstance(item, Mapping):
                cues = _as_cues(item)
                label = next((str(item[k]) for k in _LABEL_KEYS if k in item), cues[0] if cues else "")
                if cues:
                    out.append((label, cues))
    return out


def parse_framing(data: Any, origin: str | None = None) -> Framing:
    """Build a Framing from the loaded YAML of data/framing.yaml, whatever its exact layout."""
    if isinstance(data, Mapping):
        for wrapper in ("markers", "framing", "groups"):
            if isinstance(data.get(wrapper), Mapping | list) and len(data) <= 3:
                data = data[wrapper]
                break
    groups: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = []
    if isinstance(data, Mapping):
        for name, value in data.items():
            if str(name) in ("version", "description", "notes"):
                continue
            parsed = _parse_group(value)
            if parsed:
                groups.append((str(name), tuple(parsed)))
    elif isinstance(data, list) and all(isinstance(i, Mapping) and "category" in i for i in data):
        by_group: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for item in data:  # the knowledge file's shape: markers with a category, a label and cues
            cues = _as_cues(item)
            if cues:
                label = next((str(item[k]) for k in _LABEL_KEYS if k in item), cues[0])
                by_group[str(item["category"])].append((label, cues))
        groups = [(g, tuple(v)) for g, v in by_group.items()]
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, Mapping):
                name = next((str(item[k]) for k in ("group", *_LABEL_KEYS) if k in item), "")
                body = item.get("markers") or item.get("labels") or item.get("values") or []
                parsed = _parse_group(body)
                if name and parsed:
                    groups.append((name, tuple(parsed)))
    return Framing(groups=tuple(groups), origin=origin)


def framing_from_knowledge(kn: Any) -> Framing:
    """The markers of ``Knowledge.framing`` (both scripts already expanded by the loader)."""
    by_group: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for marker in sorted(getattr(kn, "framing", {}).values(), key=lambda m: m.id):
        if marker.zh:
            by_group[marker.category].append((marker.label or marker.id, tuple(marker.zh)))
    return Framing(groups=tuple((g, tuple(v)) for g, v in sorted(by_group.items())),
                   origin="summitwatch/data/framing.yaml")


def load_framing(path: Path | None = None) -> Framing:
    """The framing markers: from the knowledge loader (both scripts expanded) when it loads, else the
    markers of ``data/framing.yaml`` (or of the file ``path``) as written; an absent or malformed
    file gives an empty Framing."""
    if path is None:
        try:
            framing = framing_from_knowledge(load_knowledge())
            if framing.available:
                return framing
        except (KnowledgeError, OSError):  # another data file is malformed: the framing file may be fine
            pass
    try:
        if path is None:
            return parse_framing(data_file("framing.yaml"), "summitwatch/data/framing.yaml")
        return parse_framing(data_file(path.name, path.parent), str(path))
    except (KnowledgeError, OSError):
        return Framing()


def _count_markers(framing: Framing, texts: Iterable[str]) -> dict[str, dict[str, int]]:
    """Count labels per group by leftmost-longest matches over all cues at once, so 中共國家主席 is one
    title and not also a 中共 and a 國家主席."""
    by_cue: dict[str, tuple[str, str]] = {}
    for group, markers in framing.groups:
        for label, cues in markers:
            for cue in cues:
                by_cue.setdefault(cue, (group, label))
    if not by_cue:
        return {}
    pattern = re.compile("|".join(re.escape(c) for c in sorted(by_cue, key=lambda c: (-len(c), c))))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for m in pattern.finditer(text or ""):
            group, label = by_cue[m.group(0)]
            counts[group][label] += 1
    return {
        g: dict(sorted(counts[g].items(), key=lambda kv: (-kv[1], kv[0])))
        for g, _ in framing.groups if counts.get(g)
    }


def compare_outlets(
    members: list[RecordRef],
    quotes: list[dict[str, Any]],
    framing: Framing,
    texts: Mapping[str, str] | None = None,
    article_topics: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """Per outlet: articles, naming markers used, topics mentioned, quotes chosen."""
    by_outlet: dict[str, list[RecordRef]] = defaultdict(list)
    for ref in members:
        by_outlet[ref.outlet or "(unknown outlet)"].append(ref)
    out: dict[str, Any] = {"framing_markers": framing.origin if framing.available else None, "outlets": []}
    for outlet in sorted(by_outlet):
        refs = by_outlet[outlet]
        article_ids = sorted({r.article_id for r in refs})
        if texts:
            bodies = [texts[a] for a in article_ids if a in texts]
        else:
            bodies = sorted({r.engagement.evidence for r in refs})
        topics: Counter[str] = Counter()
        for ref in refs:
            topics.update(ref.engagement.topics)
        for a in article_ids:
            topics.update((article_topics or {}).get(a, ()))
        out["outlets"].append(
            {
                "outlet": outlet,
                "articles": len(article_ids),
                "names": _count_markers(framing, bodies),
                "topics": sorted(topics, key=lambda t: (-topics[t], t)),
                "quotes": [q for q in quotes if q.get("article_id") in article_ids],
            }
        )
    return out


def outlet_quotes(quotes: Iterable[QuoteRef]) -> list[QuoteRef]:
    """Quotes in a deterministic order (article, then position: the headline's before the text's)."""
    return sorted(quotes, key=lambda q: (q.article_id, not q.quote.in_title, q.quote.start, q.quote.text))
