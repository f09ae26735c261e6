"""RFC 5545 (iCalendar) text helpers shared by every calendar writer.

The timeline's own export (``timeline.export.to_ics``) and the download writer of the store
(``store.export.ics_bytes``) both escape and fold here, so the two calendars cannot drift and the
store does not reach up into the timeline package for them.
"""

from __future__ import annotations

__all__ = ["ics_escape", "ics_fold"]


def ics_escape(text: str) -> str:
    """TEXT value escaping of RFC 5545 §3.3.11."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)
