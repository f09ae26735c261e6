"""Places: a state, venue or city named in the text maps to a city/resort only through the places data."""

from __future__ import annotations

from typing import Any


def place_city(kn: Any, name: str) -> str | None:
    """The English city or resort a place entry maps to (None for a country or unmapped place)."""
    pl = kn.places.get(name)
    if pl is None:
        return None
    return pl.maps_to or (pl.name if getattr(pl, "kind", "") in ("city", "resort", "venue") else None)
