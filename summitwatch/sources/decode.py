"""Bytes -> str for one leaf record: BOMs, UTF-8, then charset detection (Big5, GB18030, ...).

Why: archives mix encodings. Most records are UTF-8; older Hong Kong and Taiwan pages are Big5,
mainland pages GB2312/GBK/GB18030, some exports UTF-16 with a BOM. Empty and binary inputs must be
recognised (and quarantined by the caller with a readable reason), never decoded into garbage.
"""

from __future__ import annotations

import codecs
import re

from summitwatch.articles.language import common_han_share

__all__ = ["DecodeError", "decode_bytes", "repair_mojibake", "MAX_RECORD_BYTES"]

MAX_RECORD_BYTES = 20 * 1024 * 1024  # larger leaf records are quarantined as too-large


class DecodeError(Exception):
    """A record that cannot become text; ``reason`` is a quarantine key, ``detail`` for people."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common binary formats that are never articles.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "ELF executable"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"RIFF", "RIFF media"),
    (b"SQLite format 3", "SQLite database"),
)

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_CJK_OR_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\s\x21-\x7e\u2000-\u206f]")
_ODD = re.compile(r"[\x80-\x9f\ufffd\ue000-\uf8ff]")  # C1 controls, replacement, private use


def _binary_reason(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:8192]
    if b"\x00" in head:
        return "NUL bytes"
    if len(_CONTROL.findall(head)) > max(8, len(head) // 100):
        return "control characters"
    return None


def _text_score(text: str) -> float:
    """Share of characters that look like Chinese/Latin text, minus a penalty for odd ones."""
    if not text:
        return 0.0
    sample = text[:20000]
    good = len(_CJK_OR_TEXT.findall(sample))
    odd = len(_ODD.findall(sample))
    return (good - 5 * odd) / len(sample)


def decode_bytes(data: bytes) -> str:
    """Decode one record; raise :class:`DecodeError` (empty, binary, too-large, undecodable)."""
    if len(data) > MAX_RECORD_BYTES:
        raise DecodeError("too-large", f"{len(data):,} bytes > {MAX_RECORD_BYTES:,}")
    if not data.strip():
        raise DecodeError("empty", "no content" if not data else "only whitespace")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc)
            except UnicodeDecodeError as e:
                raise DecodeError("undecodable", f"{enc} BOM but invalid {enc}: {e.reason}") from None
            if not text.strip():
                raise DecodeError("empty", "only a byte-order mark and whitespace")
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.reason in ("unexpected end of data", "invalid start byte"):
            # a file truncated in the middle of a multi-byte character: keep what is there
            return data[: e.start].decode("utf-8")
    why = _binary_reason(data)
    if why:
        raise DecodeError("binary", why)
    return _detect(data)


def _detect(data: bytes) -> str:
    """Charset detection for non-UTF-8 text, checked against the Chinese legacy encodings.

    charset-normalizer alone sometimes names a wrong single-byte or Korean code page for short
    Chinese texts, so its guess competes with strict Big5-HKSCS and GB18030 decodes on how much of
    the result looks like text.
    """
    from charset_normalizer import from_bytes

    candidates: list[tuple[float, int, str, str]] = []
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
            candidates.append((_text_score(text), 1, best.encoding, text))
        except (UnicodeDecodeError, LookupError):
            pass
    for enc in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_text_score(text) + _common_bonus(text, enc), 0, enc, text))
    if not candidates:
        raise DecodeError("undecodable", "not UTF-8 and no encoding detected")
    score, _, enc, text = max(candidates)
    if score < 0.6:
        raise DecodeError("undecodable", f"not UTF-8; best guess {enc} gives garbage ({score:.2f})")
    return text


def _common_bonus(text: str, enc: str) -> float:
    """Favour the decode that yields the most very common Han characters of its own script."""
    return common_han_share(text[:20000]) * 0.5


# UTF-8 bytes that were once decoded with a Cyrillic code page and saved again as UTF-8 (seen in
# the hkcnews captures: 「失業」 became 「еӨұжҘӯ」). Re-encoding with the wrong code page and decoding
# as UTF-8 restores the text; the repair is kept only when it yields clearly more Han characters.
_MOJIBAKE_HINT = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff\u2000-\u206f\u00a0-\u00bf]{3}")
_MOJIBAKE_CODECS = ("ptcp154", "cp1251", "koi8-r", "cp866")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def repair_mojibake(text: str) -> str | None:
    """Return the repaired text when ``text`` is Cyrillic-codepage mojibake of UTF-8, else None."""
    if _MOJIBAKE_HINT.search(text, 0, 4000) is None:
        return None
    before = len(_HAN.findall(text[:20000]))
    for codec in _MOJIBAKE_CODECS:
        lines = text.split("\n")
        fixed: list[str] = []
        changed = False
        for line in lines:
            if _MOJIBAKE_HINT.search(line):
                try:
                    line = line.encode(codec).decode("utf-8")
                    changed = True
                except (UnicodeEncodeError, UnicodeDecodeError):
                    pass
            fixed.append(line)
        if changed:
            out = "\n".join(fixed)
            if len(_HAN.findall(out[:20000])) > before + 10:
                return out
    return None
