"""Importers: one module per format behind one dispatch function, ``read_activities``.

Every reader takes the file's bytes and its name and returns whole ``Activity`` objects (never half
of one); it raises ``SkippedFile`` for a file with nothing to store and another ``StridewiseError``
for a file it cannot read. Compression (``.gz``, a ``.zip`` holding one activity file) is undone
here, once, with a bound on the decompressed size.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stridewise.errors import CorruptFile, UnsafeFile, UnsupportedFile
from stridewise.model import Activity

#: Largest decompressed activity file accepted [bytes]. A 10-hour 1 Hz FIT is about 3 MB.
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

Reader = Callable[..., list[Activity]]


@dataclass(frozen=True)
class RawFile:
    """A file's bytes after decompression, with the names it goes by."""

    data: bytes
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


def load_raw(path: Path) -> RawFile:
    """Read a file from disk, undoing .gz or a one-file .zip, with a bounded size."""
    try:
        payload = path.read_bytes()
    except IsADirectoryError:
        raise UnsupportedFile(f"{path.name}: is a folder, not a file") from None
    except OSError as exc:
        raise CorruptFile(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    return unpack(payload, path.name)


def unpack(payload: bytes, name: str) -> RawFile:
    """Decompress ``payload`` (named ``name``) when it is gzip or a one-activity zip."""
    sha256 = hashlib.sha256(payload).hexdigest()
    lower = name.lower()
    if lower.endswith(".gz"):
        return RawFile(_gunzip(payload, name), name[:-3], name, sha256)
    if lower.endswith(".zip"):
        inner_name, data = _single_activity_entry(payload, name)
        return RawFile(data, inner_name, name, sha256)
    return RawFile(payload, name, name, sha256)


def _gunzip(payload: bytes, name: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(payload)) as stream:
            data = stream.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise CorruptFile(f"{name}: not a valid gzip file ({exc})") from exc
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise UnsafeFile(
            f"{name}: decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MB; refused"
        )
    return data


def _single_activity_entry(payload: bytes, name: str) -> tuple[str, bytes]:
    """The one activity file inside a zip ("export original"), ignoring macOS resource forks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile as exc:
        raise CorruptFile(f"{name}: not a valid zip archive") from exc
    with archive:
        entries = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not Path(info.filename).name.startswith("._")
            and Path(info.filename).suffix.lower() in (".fit", ".gpx", ".tcx")
        ]
        if not entries:
            raise UnsupportedFile(f"{name}: the zip holds no FIT, GPX or TCX file")
        if len(entries) > 1:
            raise UnsupportedFile(
                f"{name}: the zip holds {len(entries)} activity files; "
                "unpack it and import the folder"
            )
        entry = entries[0]
        if entry.file_size > MAX_DECOMPRESSED_BYTES:
            raise UnsafeFile(
                f"{name}: entry {entry.filename} declares {entry.file_size} bytes; refused"
            )
        try:
            with archive.open(entry) as stream:
                data = stream.read(MAX_DECOMPRESSED_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise CorruptFile(f"{name}: entry {entry.filename} cannot be read ({exc})") from exc
        if len(data) > MAX_DECOMPRESSED_BYTES:
            raise UnsafeFile(f"{name}: entry {entry.filename} decompresses too large; refused")
        return Path(entry.filename).name, data
