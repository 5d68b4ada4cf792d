"""One dispatch function for every format: bytes in, canonical activities out.

``decode`` picks the reader by the file name's suffix (after undoing ``.gz`` or a one-activity
``.zip`` in ``unpack``) and returns whole ``Activity`` objects, never half of one; it raises
``SkippedFile`` for a file with nothing to store and another ``StridewiseError`` for a file it
cannot read. It decodes only: cleaning impossible values, merging sources and saving are the
import pipeline's (``stridewise.pipeline``).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stridewise.archive import ZipSource
from stridewise.errors import CorruptFile, UnsafeFile, UnsupportedFile
from stridewise.importers.sizes import max_member_bytes
from stridewise.inputs import one_line
from stridewise.model import Activity

_CHUNK_BYTES = 2**20

Reader = Callable[..., list[Activity]]

#: Format name and reader (module, function) by the suffix of the (uncompressed) file name. A
#: reader's module is imported when a file of its format comes: one FIT file loads no XML or CSV
#: reader (nor pandas, which the others use).
READERS: dict[str, tuple[str, str, str]] = {
    ".fit": ("fit", "stridewise.importers.fit", "read_fit"),
    ".gpx": ("gpx", "stridewise.importers.gpx", "read_gpx"),
    ".tcx": ("tcx", "stridewise.importers.tcx", "read_tcx"),
    # a runner's log, or a Strava / Garmin Connect activity list (summary-only activities)
    ".csv": ("csv", "stridewise.importers.csv_dispatch", "read_csv"),
}


def reader_for(suffix: str) -> tuple[str, Reader]:
    """The format name and reader of a suffix in ``READERS``."""
    fmt, module, function = READERS[suffix]
    return fmt, getattr(importlib.import_module(module), function)


SUPPORTED_SUFFIXES = (".fit", ".gpx", ".tcx", ".csv", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip")


def is_supported(name: str) -> bool:
    """Whether a file name ends in a suffix stridewise reads (case-insensitive)."""
    lower = name.lower()
    return any(lower.endswith(suffix) for suffix in SUPPORTED_SUFFIXES)


@dataclass(frozen=True)
class RawFile:
    """A file's bytes after decompression, with the names it goes by. For a ``.gpx.gz`` or
    ``.tcx.gz`` the data is a stream (``GunzipStream``) that the XML reader reads a chunk at a
    time, so the XML is never held in memory as a whole."""

    data: bytes | GunzipStream
    inner_name: str  # name of the uncompressed file (the zip entry, or the name without .gz)
    source_name: str  # what the runner sees: the file name on disk
    sha256: str  # of the file as stored on disk


def decode(raw: RawFile, *, default_timezone: str | None = None) -> list[Activity]:
    """Every activity of an unpacked file, decoded by the reader for its format; each activity
    knows the file it came from (``source_*``)."""
    suffix = Path(raw.inner_name).suffix.lower()
    if suffix not in READERS:
        raise UnsupportedFile(
            f"{raw.source_name}: unsupported file type '{suffix or raw.inner_name}'"
        )
    fmt, reader = reader_for(suffix)
    activities = reader(raw.data, raw.source_name, default_timezone=default_timezone)
    for index, activity in enumerate(activities):
        activity.source_name = raw.source_name
        activity.source_format = activity.source_format or fmt  # e.g. "strava-csv"
        activity.source_sha256 = raw.sha256
        activity.source_index = index
        # a warning may quote the file (a CSV cell, a track's name): one line, as errors are
        activity.warnings = [one_line(warning) for warning in activity.warnings]
    return activities


def unpack(payload: bytes, name: str) -> RawFile:
    """Decompress ``payload`` (named ``name``) when it is gzip or a one-activity zip."""
    sha256 = hashlib.sha256(payload).hexdigest()
    lower = name.lower()
    if lower.endswith((".gpx.gz", ".tcx.gz")):
        return RawFile(GunzipStream(payload, name), name[:-3], name, sha256)
    if lower.endswith(".gz"):
        return RawFile(_gunzip(payload, name), name[:-3], name, sha256)
    if lower.endswith(".zip"):
        inner_name, data = _single_activity_entry(payload, name)
        return RawFile(data, inner_name, name, sha256)
    return RawFile(payload, name, name, sha256)


class GunzipStream(io.RawIOBase):
    """The content of a gzip file as a binary stream, read as it is asked for, with the same cap
    and the same one-line messages as ``_gunzip``; ``seek(0)`` starts again (for a reader that
    falls back to reading the whole file). The first chunk is unpacked at once, so that a file
    that is not gzip, or is damaged from its start, is refused where ``unpack`` is called."""

    def __init__(self, payload: bytes, name: str) -> None:
        super().__init__()
        self.name = name
        self._payload = payload
        self._limit = max_member_bytes(name)
        self.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a gzip stream only seeks to its start")
        self._stream = gzip.GzipFile(fileobj=io.BytesIO(self._payload))
        self._total = 0
        self._head = b""
        self._head = self.read(_CHUNK_BYTES)
        return 0

    def read(self, size: int = -1) -> bytes:
        if self._head:
            size = len(self._head) if size < 0 else size
            chunk, self._head = self._head[:size], self._head[size:]
            return chunk
        try:
            chunk = self._stream.read(size if size >= 0 else self._limit + 1)
        except gzip.BadGzipFile as exc:
            raise CorruptFile(f"{self.name}: not a gzip file ({exc})") from exc
        except (OSError, EOFError, zlib.error, struct.error, ValueError) as exc:
            raise CorruptFile(
                f"{self.name}: damaged; its compressed data cannot be unpacked ({exc})"
            ) from exc
        self._total += len(chunk)
        if self._total > self._limit:
            raise UnsafeFile(
                f"{self.name}: decompresses to more than {self._limit // 2**20} MB; refused"
            )
        return chunk

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _gunzip(payload: bytes, name: str) -> bytes:
    """The content of a gzip file, read a chunk at a time so that memory follows the content,
    up to the cap of the file inside (a .fit.gz unpacks to at most what a .fit may be)."""
    limit = max_member_bytes(name)
    chunks: list[bytes] = []
    total = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(payload)) as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                total += len(chunk)
                if total > limit:
                    raise UnsafeFile(
                        f"{name}: decompresses to more than {limit // 2**20} MB; refused"
                    )
                chunks.append(chunk)
    except gzip.BadGzipFile as exc:
        raise CorruptFile(f"{name}: not a gzip file ({exc})") from exc
    # zlib.error for damaged compressed data, EOFError for a file cut short, struct.error and
    # ValueError for damaged headers
    except (OSError, EOFError, zlib.error, struct.error, ValueError) as exc:
        raise CorruptFile(
            f"{name}: damaged; its compressed data cannot be unpacked ({exc})"
        ) from exc
    return b"".join(chunks)


def _single_activity_entry(payload: bytes, name: str) -> tuple[str, bytes]:
    """The one activity file inside a zip ("export original"), ignoring macOS resource forks.

    The zip passes the same checks as an export (stridewise.archive): names leading out of it,
    zip bombs and entries holding more than they declare are refused with the same messages.
    """
    with ZipSource(io.BytesIO(payload), name, as_one_file=True) as archive:
        entries = [
            entry
            for entry in archive.names()
            if Path(entry).suffix.lower() in (".fit", ".gpx", ".tcx")
        ]
        if not entries:
            raise UnsupportedFile(f"{name}: the zip holds no FIT, GPX or TCX file")
        if len(entries) > 1:
            raise UnsupportedFile(
                f"{name}: the zip holds {len(entries)} activity files; "
                "unpack it and import the folder"
            )
        return Path(entries[0]).name, archive.read(entries[0], max_member_bytes(entries[0]))
