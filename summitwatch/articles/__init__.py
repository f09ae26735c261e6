"""RawDoc -> canonical Article: metadata, clean blocks, outlet, dates, language, flags.

The data-driven parts (outlets, boilerplate, URL wrappers, script characters) read YAML files from
``summitwatch/data`` once per process through :func:`load_data_file`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_data_file(name: str) -> Any:
    """Load ``summitwatch/data/<name>`` once per process (the files are small and read-only)."""
    text = resources.files("summitwatch").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - CSafeLoader/SafeLoader only
