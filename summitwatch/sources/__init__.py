"""Bytes -> records: decoding, format detection, multi-record splitting, the seed Markdown families."""
