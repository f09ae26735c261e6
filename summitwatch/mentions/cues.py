"""Cue vocabulary from ``summitwatch/data/cues.yaml``, normalised to Simplified once per process.

The file is read and checked by the knowledge loader (so it counts in ``knowledge_hash``: a cue edit
re-extracts); this module only folds its Chinese words to Simplified, the script matchers compare in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from summitwatch.knowledge import data_file
from summitwatch.mentions.gazetteer import to_simplified


def _norm(x: Any) -> Any:
    if isinstance(x, str):
        return to_simplified(x)
    if isinstance(x, list):
        return [_norm(v) for v in x]
    if isinstance(x, dict):
        return {(_norm(k) if isinstance(k, str) and not k.isascii() else k): _norm(v) for k, v in x.items()}
    return x


@lru_cache(maxsize=1)
def load_cues() -> dict[str, Any]:
    """The cue file as a dict with every Chinese word in Simplified form (office-class English kept as is)."""
    raw = data_file("cues.yaml")
    out = _norm({k: v for k, v in raw.items() if k != "office_classes"})
    out["office_classes"] = raw.get("office_classes", {})
    return out
