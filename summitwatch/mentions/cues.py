"""Cue vocabulary from ``summitwatch/data/cues.yaml``, normalised to Simplified once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from summitwatch.mentions.gazetteer import to_simplified

CUES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues.yaml"


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
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    classes = raw.pop("office_classes", {})
    out = _norm(raw)
    out["office_classes"] = classes
    return out
