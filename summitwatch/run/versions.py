"""What a stored record was made with: the parser version and the loaded extraction step.

Why apart from the runner: the local runner, the Dask workers (which must prove they run the same
code and data as the client) and the writer's skip checks all compare these values.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summitwatch import engagements
from summitwatch.articles import parse
from summitwatch.engagements import extract_article
from summitwatch.knowledge import load_knowledge
from summitwatch.model import Article, Extraction

__all__ = ["Extractor", "load_extractor", "no_extractor", "parser_version"]

_PKG = Path(__file__).resolve().parents[1]
_YAML_NAME = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+\.yaml")  # from a name's start: linear


def _code_digest(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        try:
            h.update(f.name.encode())
            h.update(f.read_bytes())
        except OSError:
            continue
    return h.hexdigest()[:12]


def parser_version() -> str:
    """``PARSER_VERSION`` of the parser plus a digest of the parsing code and its data files.

    Why a digest: a parser fix must re-parse stored records even when nobody bumped the number.
    The data files counted are those the parsing code names (``outlets.yaml``, ...), so editing a
    knowledge file (extraction's business) re-extracts without re-parsing.
    """
    declared = str(getattr(parse, "PARSER_VERSION", "0"))
    mine = {"walk.py", "dedupe.py"}
    code = [p for d in ("sources", "articles") for p in (_PKG / d).rglob("*.py") if p.name not in mine]
    named: set[str] = set()
    for p in code:
        try:
            named.update(_YAML_NAME.findall(p.read_text(encoding="utf-8")))
        except OSError:
            continue
    data = [_PKG / "data" / n for n in sorted(named) if (_PKG / "data" / n).exists()]
    return f"{declared}+{_code_digest(code + data)}"


@dataclass(frozen=True)
class Extractor:
    """The loaded extraction step (or why it is unavailable)."""

    fn: Callable[[Article, Any], Extraction] | None
    kn: Any
    knowledge_hash: str
    version: str
    note: str = ""


def no_extractor(note: str) -> Extractor:
    """An extraction step that is switched off, saying why (shown in the run summary)."""
    return Extractor(None, None, "", "", note)


def load_extractor() -> Extractor:
    """Load the knowledge once; a malformed data file disables extraction (the run still ingests)."""
    try:
        kn = load_knowledge()
    except Exception as exc:  # malformed data file: say so, still ingest
        return no_extractor(f"extraction skipped: knowledge failed to load ({exc})")
    version = str(getattr(engagements, "EXTRACTOR_VERSION", ""))
    return Extractor(extract_article, kn, str(kn.hash), version)
