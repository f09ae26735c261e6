"""Walk a PATH argument into leaf records: files, directories, tar and zip archives read in place.

Why a walker of its own: news archives arrive as directories, tarballs and zips, sometimes nested,
and some are hostile or damaged. Archives are streamed member by member (never unpacked to disk),
and every leaf the walker meets is yielded either as a ``RawDoc`` or as a ``Quarantined`` record
with a readable reason, so the caller can account for every file:

- ``unsafe-path``: an archive member named with ``..`` or an absolute path;
- ``not-a-file``: symlinks, hard links, devices, FIFOs (in archives and directories);
- ``too-large``: a member or file over ``MAX_MEMBER_BYTES`` (not read);
- ``archive-bomb``: too many members, too much expanded data, or an absurd compression ratio;
- ``corrupt-archive`` / ``unreadable``: the archive or file failed to read (exception text kept);
- ``encrypted``: an encrypted zip member.

``source`` is the path relative to PATH: a single-file PATH gives its name, an archive PATH its
member names (``13001-14000/article_13416.md``), an archive inside a directory
``dir/x.tar.gz/member``. Each leaf then goes through ``split_record`` (feeds, WARC) when that
module is available; its children carry ``file#item=3``-style sources.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from summitwatch.model import Quarantined, RawDoc
from summitwatch.sources.split import split_record

__all__ = [
    "iter_records",
    "iter_leaves",
    "is_archive_name",
    "MAX_MEMBER_BYTES",
    "MAX_MEMBERS",
    "MAX_EXPANDED_BYTES",
    "MAX_RATIO",
]

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one leaf larger than this is quarantined unread
MAX_MEMBERS = 2_000_000  # members per archive
MAX_EXPANDED_BYTES = 32 * 1024 * 1024 * 1024  # total expanded bytes per archive
MAX_RATIO = 200  # zip member uncompressed/compressed ratio beyond which it is a bomb
_RATIO_MIN_BYTES = 1024 * 1024  # ratios only matter for members at least this large
MAX_NESTING = 3  # archives inside archives

_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_ZIP_SUFFIXES = (".zip",)


def is_archive_name(name: str) -> bool:
    """True for names the walker opens as containers (by suffix, case-insensitive)."""
    low = name.lower()
    return low.endswith(_TAR_SUFFIXES) or low.endswith(_ZIP_SUFFIXES)


def _unsafe_member(name: str) -> bool:
    """Absolute paths, drive letters and any ``..`` component make a member name unsafe."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return True
    return any(part == ".." for part in PurePosixPath(norm).parts)


def _clean_member(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name


def _join(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


# --------------------------------------------------------------------------- archives


def _iter_tar(
    fileobj: io.BufferedIOBase | None, path: Path | None, prefix: str, archive_src: str, depth: int
) -> Iterator[RawDoc | Quarantined]:
    """Stream a tar (any compression) member by member.

    ``prefix`` goes before member names ("" for an archive given as PATH), ``archive_src`` names
    the archive itself in quarantine rows.
    """
    count = 0
    expanded = 0
    try:
        if fileobj is not None:
            tf = tarfile.open(fileobj=fileobj, mode="r|*")
        else:
            tf = tarfile.open(str(path), mode="r|*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield Quarantined(archive_src, "corrupt-archive", f"{type(exc).__name__}: {exc}")
        return
    try:
        with tf:
            for m in tf:
                name = _clean_member(m.name)
                if m.isdir() or name in ("", "."):
                    continue
                count += 1
                src = _join(prefix, name)
                if count > MAX_MEMBERS:
                    yield Quarantined(
                        archive_src, "archive-bomb", f"more than {MAX_MEMBERS} members; rest skipped"
                    )
                    return
                if _unsafe_member(m.name):
                    yield Quarantined(src, "unsafe-path", f"member name {m.name!r} escapes the archive")
                    continue
                if not m.isfile():
                    kind = "symlink" if m.issym() else "hard link" if m.islnk() else "device or special file"
                    yield Quarantined(src, "not-a-file", f"{kind} in archive")
                    continue
                if m.size > MAX_MEMBER_BYTES:
                    yield Quarantined(src, "too-large", f"{m.size} bytes > {MAX_MEMBER_BYTES}")
                    continue
                expanded += m.size
                if expanded > MAX_EXPANDED_BYTES:
                    yield Quarantined(
                        src,
                        "archive-bomb",
                        f"archive expands beyond {MAX_EXPANDED_BYTES} bytes; rest skipped",
                    )
                    return
                fh = tf.extractfile(m)
                data = fh.read() if fh is not None else b""
                yield from _leaf_or_nested(src, data, depth)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        # corrupt data mid-stream: what was read stays; the archive itself is quarantined
        yield Quarantined(
            archive_src, "corrupt-archive", f"after {count} members: {type(exc).__name__}: {exc}"
        )
    except Exception as exc:  # zlib.error, lzma.LZMAError, ... depend on the compression
        yield Quarantined(
            archive_src, "corrupt-archive", f"after {count} members: {type(exc).__name__}: {exc}"
        )


def _zip_is_link(info: zipfile.ZipInfo) -> bool:
    """Unix-made zips keep the file type in the high bits: symlinks and devices are not files."""
    if info.create_system != 3:  # not Unix: no file type recorded
        return False
    ftype = stat.S_IFMT(info.external_attr >> 16)
    return ftype not in (0, stat.S_IFREG, stat.S_IFDIR)


def _iter_zip(
    fileobj: io.IOBase | Path, prefix: str, archive_src: str, depth: int
) -> Iterator[RawDoc | Quarantined]:
    """Read a zip in place (central directory, then each member with size and ratio caps)."""
    try:
        zf = zipfile.ZipFile(fileobj)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Quarantined(archive_src, "corrupt-archive", f"{type(exc).__name__}: {exc}")
        return
    with zf:
        infos = zf.infolist()
        members = [i for i in infos if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            yield Quarantined(archive_src, "archive-bomb", f"{len(members)} members > {MAX_MEMBERS}")
            return
        expanded = 0
        for info in members:
            name = _clean_member(info.filename)
            src = _join(prefix, name)
            if _unsafe_member(info.filename):
                yield Quarantined(src, "unsafe-path", f"member name {info.filename!r} escapes the archive")
                continue
            if _zip_is_link(info):
                yield Quarantined(src, "not-a-file", "symlink or special file in archive")
                continue
            if info.flag_bits & 0x1:
                yield Quarantined(src, "encrypted", "encrypted zip member")
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                yield Quarantined(src, "too-large", f"{info.file_size} bytes > {MAX_MEMBER_BYTES}")
                continue
            if info.file_size >= _RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                yield Quarantined(
                    src, "archive-bomb", f"compression ratio {info.file_size // max(info.compress_size, 1)}:1"
                )
                continue
            expanded += info.file_size
            if expanded > MAX_EXPANDED_BYTES:
                yield Quarantined(src, "archive-bomb", f"archive expands beyond {MAX_EXPANDED_BYTES} bytes")
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_MEMBER_BYTES + 1)  # the header may lie about the size
            except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError (method), CRC
                yield Quarantined(src, "corrupt-archive", f"{type(exc).__name__}: {exc}")
                continue
            if len(data) > MAX_MEMBER_BYTES:
                yield Quarantined(src, "archive-bomb", "member expands beyond its declared size")
                continue
            yield from _leaf_or_nested(src, data, depth)


def _leaf_or_nested(src: str, data: bytes, depth: int) -> Iterator[RawDoc | Quarantined]:
    """An archive member: a nested archive (opened from memory, bounded depth) or a leaf."""
    if is_archive_name(src):
        if depth >= MAX_NESTING:
            yield Quarantined(src, "archive-bomb", f"archives nested deeper than {MAX_NESTING}")
            return
        if src.lower().endswith(_ZIP_SUFFIXES):
            yield from _iter_zip(io.BytesIO(data), src, src, depth + 1)
        else:
            yield from _iter_tar(io.BytesIO(data), None, src, src, depth + 1)
        return
    yield RawDoc(source=src, data=data)


def _iter_archive_file(path: Path, src: str, top: bool) -> Iterator[RawDoc | Quarantined]:
    """An archive on disk; ``top`` when it is the PATH itself (members then need no prefix)."""
    prefix = "" if top else src
    if path.name.lower().endswith(_ZIP_SUFFIXES):
        try:
            fh = path.open("rb")
        except OSError as exc:
            yield Quarantined(src, "unreadable", f"{type(exc).__name__}: {exc}")
            return
        with fh:
            yield from _iter_zip(fh, prefix, src, 1)
    else:
        yield from _iter_tar(None, path, prefix, src, 1)


# --------------------------------------------------------------------------- files and directories


def _iter_file(path: Path, src: str, top: bool = False) -> Iterator[RawDoc | Quarantined]:
    """One filesystem entry (already lstat-checked to be a regular file)."""
    if is_archive_name(path.name):
        yield from _iter_archive_file(path, src, top)
        return
    try:
        size = path.stat().st_size
        if size > MAX_MEMBER_BYTES:
            yield Quarantined(src, "too-large", f"{size} bytes > {MAX_MEMBER_BYTES}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Quarantined(src, "unreadable", f"{type(exc).__name__}: {exc}")
        return
    yield RawDoc(source=src, data=data)


def _special_kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device or special file"


def iter_leaves(path: Path) -> Iterator[RawDoc | Quarantined]:
    """Leaf records of PATH before feed/WARC splitting (directories sorted, recursive)."""
    path = Path(path)
    try:
        st = path.lstat()
    except OSError as exc:
        yield Quarantined(path.name or str(path), "unreadable", f"{type(exc).__name__}: {exc}")
        return
    if stat.S_ISLNK(st.st_mode):
        # a symlink given explicitly on the command line is the user's choice: follow it
        try:
            st = path.stat()
        except OSError as exc:
            yield Quarantined(path.name, "unreadable", f"broken symlink: {exc}")
            return
    if stat.S_ISDIR(st.st_mode):
        yield from _iter_dir(path, path)
    elif stat.S_ISREG(st.st_mode):
        yield from _iter_file(path, path.name, top=True)
    else:
        yield Quarantined(path.name, "not-a-file", _special_kind(st.st_mode))


def _iter_dir(root: Path, directory: Path) -> Iterator[RawDoc | Quarantined]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        rel = directory.relative_to(root).as_posix()
        yield Quarantined(rel if rel != "." else directory.name, "unreadable", f"{type(exc).__name__}: {exc}")
        return
    for entry in entries:
        p = Path(entry.path)
        rel = p.relative_to(root).as_posix()
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            yield Quarantined(rel, "unreadable", f"{type(exc).__name__}: {exc}")
            continue
        if stat.S_ISDIR(mode):
            yield from _iter_dir(root, p)
        elif stat.S_ISREG(mode):
            yield from _iter_file(p, rel)
        else:
            # symlinks inside a tree are not followed (loops, escapes); devices/FIFOs never opened
            yield Quarantined(rel, "not-a-file", _special_kind(mode))


# --------------------------------------------------------------------------- splitting


def _load_splitter() -> Callable[[RawDoc], list[RawDoc] | None] | None:
    return split_record


def split_leaf(
    raw: RawDoc, splitter: Callable[[RawDoc], list[RawDoc] | None] | None
) -> Iterator[RawDoc | Quarantined]:
    """Children of a feed/WARC leaf, or the leaf itself; a failing split quarantines the leaf."""
    if splitter is None:
        yield raw
        return
    try:
        children = splitter(raw)
    except Exception as exc:  # one bad container never stops a run
        yield Quarantined(raw.source, "bad-container", f"{type(exc).__name__}: {exc}")
        return
    if children is None:
        yield raw
    elif not children:
        yield Quarantined(raw.source, "empty-container", "feed or WARC file with no articles in it")
    else:
        yield from children


def iter_records(path: Path) -> Iterator[RawDoc | Quarantined]:
    """Every leaf record under PATH, feeds and WARC files split into their items."""
    splitter = _load_splitter()
    for rec in iter_leaves(Path(path)):
        if isinstance(rec, Quarantined):
            yield rec
        else:
            yield from split_leaf(rec, splitter)
