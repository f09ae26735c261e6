"""Curation: analysts' corrections of the record, kept apart from extracted data and re-applied
after every re-extraction and timeline rebuild (issue 6).

``model`` describes a correction, ``apply`` lays the corrections over per-article records and the
merged timeline, ``actions`` is the one layer the CLI and the web/API call, ``io`` moves
corrections in and out as JSONL (and as gold in the spec's format).
"""
