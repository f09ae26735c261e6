"""Timeline: merge per-article engagement records into one deduplicated record of engagements."""

from summitwatch.timeline.merge import build_entry, build_timeline
from summitwatch.timeline.outlets import Framing, load_framing
from summitwatch.timeline.records import QuoteRef, RecordRef

__all__ = ["Framing", "QuoteRef", "RecordRef", "build_entry", "build_timeline", "load_framing"]
