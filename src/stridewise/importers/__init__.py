"""Importers: one module per format behind one dispatch function, ``read_activities``.

Every reader takes the file's bytes and its name and returns whole ``Activity`` objects (never half
of one); it raises ``SkippedFile`` for a file with nothing to store and another ``StridewiseError``
for a file it cannot read. Compression (``.gz``, a ``.zip`` holding one activity file) is undone
here, once, with a bound on the decompressed size; a file is refused before it is read when it is
larger than its format can be (``MAX_FILE_BYTES``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import math
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stridewise.archive import ZipSource
from stridewise.errors import CorruptFile, UnsafeFile, UnsupportedFile
from stridewise.model import Activity

#: Largest decompressed activity file accepted [bytes]. A 10-hour 1 Hz FIT is about 3 MB.
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

#: Largest file accepted, by the end of its name, and what it is called in a refusal [bytes].
#: A 24-hour 1 Hz FIT with every field is under 20 MB and a decade of Strava's activities.csv a
#: few MB; XML takes about ten times the bytes of FIT for the same run. Larger is not a run (a
#: disk image renamed, random bytes) and reading it would take a gigabyte of memory for nothing.
#: The caps apply to the bytes on disk and again to what a .gz or .zip unpacks to. Export zips
#: are read entry by entry (stridewise.archive) and have their own limits.
MAX_FILE_BYTES: dict[str, tuple[int, str]] = {
    ".fit": (64 * 2**20, "a FIT file"),
    ".csv": (64 * 2**20, "a CSV file"),
    ".gpx": (256 * 2**20, "a GPX file"),
    ".tcx": (256 * 2**20, "a TCX file"),
    ".gz": (64 * 2**20, "a gzipped activity file"),
    ".zip": (64 * 2**20, "a zipped activity file"),
}

#: Cap for any other name (read_raw refuses it as unsupported once read) [bytes].
DEFAULT_MAX_FILE_BYTES = 64 * 2**20

_CHUNK_BYTES = 2**20

Reader = Callable[..., list[Activity]]


@dataclass(frozen=True)
class RawFile:
    """A file's bytes after decompression, with the names it goes by. For a ``.gpx.gz`` or
    ``.tcx.gz`` the data is a stream (``GunzipStream``) that the XML reader reads a chunk at a
    time, so the XML is never held in memory as a whole."""

    data: bytes | GunzipStream
    inner_name: str  # name of the uncompressed file (the zip entry, or the name without .gz)
    source_name: str  # what the runner sees: the file name on disk
    sha256: str  # of the file as stored on disk


def _readers() -> dict[str, tuple[str, Reader]]:
    # imported lazily so that `stridewise --help` stays fast
    from stridewise.importers import activity_lists, fit, gpx, tcx

    return {
        ".fit": ("fit", fit.read_fit),
        ".gpx": ("gpx", gpx.read_gpx),
        ".tcx": ("tcx", tcx.read_tcx),
        # a runner's log, or a Strava / Garmin Connect activity list (summary-only activities)
        ".csv": ("csv", activity_lists.read_csv),
    }


SUPPORTED_SUFFIXES = (".fit", ".gpx", ".tcx", ".csv", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip")


def is_supported(path: Path) -> bool:
    """Whether a path's name ends in a suffix stridewise reads (case-insensitive)."""
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in SUPPORTED_SUFFIXES)


def read_activities(path: str | Path, *, default_timezone: str | None = None) -> list[Activity]:
    """Read every activity a file holds.

    ``default_timezone`` (an IANA name) gives the local offset of a file that carries neither an
    offset nor a position. Raises ``SkippedFile`` when the file holds no activity and another
    ``StridewiseError`` when it cannot be read.
    """
    raw = load_raw(Path(path))
    return read_raw(raw, default_timezone=default_timezone)


def read_raw(raw: RawFile, *, default_timezone: str | None = None) -> list[Activity]:
    """Decode an already loaded file (see ``load_raw``) with the reader for its format."""
    suffix = Path(raw.inner_name).suffix.lower()
    readers = _readers()
    if suffix not in readers:
        raise UnsupportedFile(
            f"{raw.source_name}: unsupported file type '{suffix or raw.inner_name}'"
        )
    fmt, reader = readers[suffix]
    from stridewise.sanity import clean_activities  # here: sanity itself uses importers.track

    activities = clean_activities(
        reader(raw.data, raw.source_name, default_timezone=default_timezone), raw.source_name
    )
    for index, activity in enumerate(activities):
        activity.source_name = raw.source_name
        activity.source_format = activity.source_format or fmt  # e.g. "strava-csv" from its reader
        activity.source_sha256 = raw.sha256
        activity.source_index = index
    return activities


def max_file_bytes(name: str) -> tuple[int, str]:
    """The largest size a file named ``name`` may have [bytes], and what its format is called."""
    lower = name.lower()
    for ending, limit in MAX_FILE_BYTES.items():
        if lower.endswith(ending):
            return limit
    return DEFAULT_MAX_FILE_BYTES, "an activity file"


def _too_large(name: str, size: int, limit: int, what: str) -> UnsafeFile:
    # rounded up, so that a file just over the limit does not read "64 MB is too large"
    return UnsafeFile(
        f"{name}: {math.ceil(size / 2**20)} MB is too large for {what} "
        f"(at most {limit // 2**20} MB); refused"
    )


def read_file(path: Path) -> bytes:
    """A file's bytes from disk; ``UnsafeFile`` before anything is read when the file is larger
    than its format allows (``max_file_bytes``)."""
    limit, what = max_file_bytes(path.name)
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_large(path.name, size, limit, what)
        with path.open("rb") as handle:
            chunks = [handle.read(size)]  # not read(limit): that would allocate the limit
            total = len(chunks[0])
            # more than stat said: the file grew since, or is a device that reports no size
            while chunk := handle.read(_CHUNK_BYTES):
                total += len(chunk)
                if total > limit:
                    raise _too_large(path.name, total, limit, what)
                chunks.append(chunk)
    except IsADirectoryError:
        raise UnsupportedFile(f"{path.name}: is a folder, not a file") from None
    except OSError as exc:
        raise CorruptFile(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def load_raw(path: Path) -> RawFile:
    """Read a file from disk, undoing .gz or a one-file .zip, with a bounded size."""
    return unpack(read_file(path), path.name)


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
        self._limit = min(max_file_bytes(name[:-3])[0], MAX_DECOMPRESSED_BYTES)
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
    limit = min(max_file_bytes(name[:-3])[0], MAX_DECOMPRESSED_BYTES)
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
        limit = min(max_file_bytes(entries[0])[0], MAX_DECOMPRESSED_BYTES)
        return Path(entries[0]).name, archive.read(entries[0], limit)
