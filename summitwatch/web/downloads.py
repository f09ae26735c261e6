"""The HTTP side of exports: a :class:`store.export.Download` as an attachment response.

Every ``format=csv|json|ics`` of the API goes through :func:`download_response`, so file names,
content types and the row cap are the same for every route (``/api/timeline``, ``/api/search``,
``/api/raised``, ``/api/counterparts``, and ``/api/quotes`` when it wires it in the same way).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.responses import Response

from summitwatch.store.export import download
from summitwatch.store.query.timeline import MAX_ROWS

__all__ = ["download_response", "MAX_ROWS", "EXPORT_FORMAT", "EXPORT_FORMAT_ICS"]

#: Query patterns of the ``format`` parameter.
EXPORT_FORMAT = r"^(csv|json)$"
EXPORT_FORMAT_ICS = r"^(csv|json|ics)$"


def download_response(what: str, fmt: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Response:
    """``rows`` (at most :data:`MAX_ROWS`) as ``summitwatch-<what>-<YYYYMMDD>.<ext>``, sent as an attachment."""
    out = download(what, fmt, list(rows[:MAX_ROWS]), columns)
    return Response(
        content=out.body,
        media_type=out.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{out.filename}"',
            "X-Total-Rows": str(out.rows),
        },
    )
