"""Reading zip archives and export folders safely: entries are read into memory, never extracted.

Nothing is ever written under an entry's own name, so an entry called ``../../evil.fit`` or
``/etc/evil.fit`` cannot land anywhere; such an archive is refused anyway, because no real export
has one. Zip bombs are refused before anything is decompressed (declared sizes and compression
ratios), and while reading (an entry may not yield more than it declares, and a whole archive
tree may not yield more than ``MAX_ARCHIVE_BYTES``). An archive inside an archive (Garmin's
``UploadedFiles_*.zip`` parts) is read from memory, or from an anonymous temporary file when it is
large; one more level of nesting is refused.

``ZipSource`` and ``FolderSource`` offer the same small interface (``names``, ``size``, ``read``,
``open_nested``), so an export reads alike whether the runner kept the zip or unpacked it.
``open_stream`` reads one large entry (an Apple Health ``export.xml`` of several GB) as a stream,
never whole: it yields at most the entry's declared size, which the cap and ratio checks bound.
"""

from __future__ import annotations

import io
import lzma
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from stridewise.errors import CorruptFile, UnsafeFile, UnsupportedFile
from stridewise.inputs import open_regular_file, read_regular_file, regular_file_problem

#: Most uncompressed bytes one archive tree (a zip and the zips inside it) may hold [bytes].
MAX_ARCHIVE_BYTES = 4 * 2**30

#: Largest compression ratio accepted for an entry of ``RATIO_CHECKED_FROM_BYTES`` or more.
#: FIT files compress about 3-10 times and JSON about 10-30 times; zip bombs 1000 times.
MAX_COMPRESSION_RATIO = 200

#: Entries smaller than this are not ratio-checked: a tiny file of zeros is harmless [bytes].
RATIO_CHECKED_FROM_BYTES = 2**20

#: Zips inside zips: an export zip (1) holding part zips (2) holding FIT files. No deeper.
MAX_NESTING_DEPTH = 2

#: A nested zip up to this size is read into memory, a larger one into a temporary file [bytes].
NESTED_IN_MEMORY_BYTES = 64 * 2**20

#: File name suffixes of single activity files (after an optional .gz).
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")

_CHUNK_BYTES = 2**20
# What zipfile raises on damaged archives besides BadZipFile: EOFError and OSError (cut short),
# ValueError (a negative seek, a name that is not UTF-8), struct.error and IndexError (short
# records and extra fields).
_DAMAGED_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, IndexError)
_LOCAL_HEADER_BYTES = 30
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name_reason(name: str) -> str | None:
    """Why an archive entry name could escape the folder it is unpacked into, or None if safe."""
    if "\x00" in name:
        return "has a NUL character in its name"
    normal = name.replace("\\", "/")
    if normal.startswith("/") or _WINDOWS_DRIVE.match(normal):
        return "has an absolute path"
    if ".." in normal.split("/"):
        return "climbs out of the archive with '..'"
    return None


def is_junk(name: str) -> bool:
    """macOS resource forks and folders' metadata that zip tools add beside real files."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return bool(parts) and (
        parts[0] == "__MACOSX" or parts[-1].startswith("._") or parts[-1] == ".DS_Store"
    )


def is_activity_name(name: str) -> bool:
    """Whether a name is a single activity file (.fit/.gpx/.tcx, optionally gzipped)."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(ACTIVITY_SUFFIXES)


class Source(Protocol):
    """A tree of files: a zip archive or a folder on disk."""

    label: str
    depth: int

    def names(self) -> list[str]: ...

    def size(self, name: str) -> int: ...

    def read(self, name: str, max_bytes: int | None = None) -> bytes: ...

    def open_nested(self, name: str) -> ZipSource: ...

    def open_stream(self, name: str, max_bytes: int) -> BinaryIO: ...

    def close(self) -> None: ...


@dataclass
class _Budget:
    """Uncompressed bytes read so far from one archive tree, against ``limit`` [bytes]."""

    label: str
    limit: int | None = None  # None: MAX_ARCHIVE_BYTES as it is when bytes are spent
    spent: int = 0

    @property
    def cap(self) -> int:
        return self.limit or MAX_ARCHIVE_BYTES

    def spend(self, count: int, entry_label: str) -> None:
        self.spent += count
        limit = self.cap
        if self.spent > limit:
            raise UnsafeFile(
                f"{entry_label}: the archive {self.label} unpacks to more than "
                f"{limit // 2**30} GB; refused as a possible zip bomb"
            )


class ZipSource:
    """A zip archive, checked when opened and read entry by entry, in memory.

    Raises ``UnsafeFile`` (naming the archive and the entry) for an entry whose name escapes
    the archive, for declared sizes or ratios of a zip bomb and for nesting deeper than
    ``MAX_NESTING_DEPTH``; ``CorruptFile`` for a file that is not a zip archive (or a damaged
    one), ``UnsupportedFile`` for zip features Python cannot read.

    ``as_one_file`` is for a zip that stands for one activity file (an "export original"): the
    runner knows it by the zip's name only, so a message about an entry starts with that name
    (``run.zip: entry 123.fit holds more data ...``) instead of ``run.zip/123.fit: ...``.

    ``max_bytes`` caps the uncompressed size the archive tree declares and yields [bytes]: an
    Apple Health export holds up to 4 GB of XML and is opened with a larger cap than the default.
    """

    def __init__(
        self,
        file: str | Path | BinaryIO,
        label: str,
        *,
        depth: int = 1,
        budget: _Budget | None = None,
        as_one_file: bool = False,
        max_bytes: int | None = None,
    ) -> None:
        self.label = label
        self.depth = depth
        self.as_one_file = as_one_file
        if depth > MAX_NESTING_DEPTH:
            raise UnsafeFile(
                f"{label}: a zip inside a zip inside a zip; archives nested more than "
                f"{MAX_NESTING_DEPTH} deep are refused"
            )
        self._budget = budget or _Budget(label, limit=max_bytes)
        self._spill: BinaryIO | None = None
        try:
            self._zip = zipfile.ZipFile(file)
        except NotImplementedError as exc:  # "zip file version 9.9", a multi-disk archive
            raise UnsupportedFile(
                f"{label}: uses a zip feature or compression method that cannot be read ({exc})"
            ) from exc
        except _DAMAGED_ZIP_ERRORS as exc:
            raise CorruptFile(f"{label}: not a valid zip archive ({exc})") from exc
        try:
            self._entries = self._checked_entries()
        except BaseException:
            self._zip.close()
            raise

    def _checked_entries(self) -> dict[str, zipfile.ZipInfo]:
        entries: dict[str, zipfile.ZipInfo] = {}
        declared_bytes = 0
        for info in self._zip.infolist():
            reason = unsafe_name_reason(info.filename)
            if reason:
                raise UnsafeFile(f"{self.label}: entry {info.filename!r} {reason}; refused")
            if info.is_dir() or is_junk(info.filename):
                continue
            if info.file_size >= RATIO_CHECKED_FROM_BYTES and (
                info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise UnsafeFile(
                    f"{self.label}: entry {info.filename} would expand {ratio:.0f} times "
                    f"(to {info.file_size / 2**20:.0f} MB); refused as a zip bomb"
                )
            declared_bytes += info.file_size
            entries[info.filename] = info
        if declared_bytes > self._budget.cap:
            raise UnsafeFile(
                f"{self.label}: declares {declared_bytes / 2**30:.1f} GB of uncompressed data, "
                f"more than {self._budget.cap // 2**30} GB; refused as a possible zip bomb"
            )
        return entries

    def names(self) -> list[str]:
        """Entry names of the files (no folders, no macOS resource forks), in archive order."""
        return list(self._entries)

    def size(self, name: str) -> int:
        """Declared uncompressed size of an entry [bytes]."""
        return self._entries[name].file_size

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """An entry's bytes; ``UnsafeFile`` when it declares or yields more than allowed."""
        max_bytes = max_bytes or MAX_ARCHIVE_BYTES
        info = self._entries[name]
        if info.file_size > max_bytes:
            raise UnsafeFile(
                self._about(
                    name,
                    f"declares {info.file_size / 2**20:.0f} MB, more than the "
                    f"{max_bytes / 2**20:.0f} MB accepted for one file; refused",
                )
            )
        if info.flag_bits & 0x1:
            raise UnsupportedFile(self._about(name, "is encrypted; cannot be read"))
        try:
            if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                data = self._inflate(info, name)
            else:  # bzip2, lzma: zipfile stops at the declared size itself
                with self._zip.open(info) as stream:
                    data = stream.read(info.file_size)
        except NotImplementedError as exc:
            raise UnsupportedFile(
                self._about(name, f"uses a compression method that cannot be read ({exc})")
            ) from exc
        except (*_DAMAGED_ZIP_ERRORS, zlib.error, lzma.LZMAError) as exc:
            raise self._damaged(name, str(exc)) from exc
        self._budget.spend(len(data), f"{self.label}/{name}")
        return data

    def open_stream(self, name: str, max_bytes: int) -> BinaryIO:
        """An entry as a stream that decompresses as it is read, for entries too large to hold.

        It yields at most the entry's declared size (zipfile stops there), which the cap and the
        ratio check of ``_checked_entries`` bound; a damaged entry raises zipfile's own errors
        while it is read (``BadZipFile`` for a bad CRC, ``EOFError``, ``zlib.error``): the caller
        names them. ``UnsafeFile`` when the entry declares more than ``max_bytes`` [bytes].
        """
        info = self._entries[name]
        if info.file_size > max_bytes:
            raise UnsafeFile(
                self._about(
                    name,
                    f"declares {info.file_size / 2**20:,.0f} MB, more than the "
                    f"{max_bytes / 2**20:,.0f} MB accepted for it; refused",
                )
            )
        if info.flag_bits & 0x1:
            raise UnsupportedFile(self._about(name, "is encrypted; cannot be read"))
        try:
            return self._zip.open(info)
        except NotImplementedError as exc:
            raise UnsupportedFile(
                self._about(name, f"uses a compression method that cannot be read ({exc})")
            ) from exc
        except _DAMAGED_ZIP_ERRORS as exc:
            raise self._damaged(name, str(exc)) from exc

    def _about(self, name: str, reason: str) -> str:
        """A message about entry ``name``: ``a.zip/x.fit: reason``, or ``a.zip: entry x.fit
        reason`` in a zip read as one file (``reason`` then starts with a verb)."""
        if self.as_one_file:
            return f"{self.label}: entry {name} {reason}"
        return f"{self.label}/{name}: {reason}"

    def _damaged(self, name: str, detail: str) -> CorruptFile:
        if self.as_one_file:
            return CorruptFile(self._about(name, f"is damaged ({detail})"))
        return CorruptFile(self._about(name, f"damaged inside the archive ({detail})"))

    def _inflate(self, info: zipfile.ZipInfo, name: str) -> bytes:
        """Decompress an entry ourselves, asking for one byte more than it declares: zipfile
        would cut an entry off at its declared size, hiding an entry that holds more."""
        file = self._zip.fp
        if file is None:
            raise CorruptFile(self._about(name, "cannot be read: the archive is closed"))
        if info.header_offset < 0:  # a directory pointing before the start of the file
            raise self._damaged(name, "no local header")
        file.seek(info.header_offset)
        local_header = file.read(_LOCAL_HEADER_BYTES)
        if len(local_header) != _LOCAL_HEADER_BYTES or local_header[:4] != b"PK\x03\x04":
            raise self._damaged(name, "no local header")
        name_bytes, extra_bytes = struct.unpack("<HH", local_header[26:30])
        file.seek(info.header_offset + _LOCAL_HEADER_BYTES + name_bytes + extra_bytes)
        packed = file.read(info.compress_size)
        if len(packed) != info.compress_size:
            raise self._damaged(name, "cut short")
        if info.compress_type == zipfile.ZIP_STORED:
            data = packed
        else:
            data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, info.file_size + 1)
        if len(data) > info.file_size:
            raise UnsafeFile(
                self._about(
                    name, "holds more data than the archive declares; refused as a zip bomb"
                )
            )
        if zlib.crc32(data) != info.CRC:
            raise self._damaged(name, "checksum mismatch")
        return data

    def open_nested(self, name: str) -> ZipSource:
        """The zip archive stored as entry ``name``, one nesting level deeper."""
        info = self._entries[name]
        label = f"{self.label}/{name}"
        if self.depth + 1 > MAX_NESTING_DEPTH:
            raise UnsafeFile(
                f"{label}: a zip inside a zip inside a zip; archives nested more than "
                f"{MAX_NESTING_DEPTH} deep are refused"
            )
        if info.file_size <= NESTED_IN_MEMORY_BYTES:
            return ZipSource(
                io.BytesIO(self.read(name)), label, depth=self.depth + 1, budget=self._budget
            )
        spill = self._spill_to_temporary_file(info, label)
        try:
            nested = ZipSource(spill, label, depth=self.depth + 1, budget=self._budget)
        except BaseException:
            spill.close()
            raise
        nested._spill = spill
        return nested

    def _spill_to_temporary_file(self, info: zipfile.ZipInfo, label: str) -> BinaryIO:
        """Copy a large nested zip into an anonymous temporary file (no name: nothing to escape)."""
        spill = tempfile.TemporaryFile()  # noqa: SIM115 - handed over to the caller, open
        try:
            copied = 0
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK_BYTES):
                    copied += len(chunk)
                    if copied > info.file_size:
                        raise UnsafeFile(
                            f"{label}: holds more data than the archive declares; refused"
                        )
                    self._budget.spend(len(chunk), label)
                    spill.write(chunk)
            spill.seek(0)
        except NotImplementedError as exc:
            spill.close()
            raise UnsupportedFile(
                f"{label}: uses a compression method that cannot be read ({exc})"
            ) from exc
        except (*_DAMAGED_ZIP_ERRORS, zlib.error, lzma.LZMAError) as exc:
            spill.close()
            raise CorruptFile(f"{label}: damaged inside the archive ({exc})") from exc
        except BaseException:
            spill.close()
            raise
        return spill

    def close(self) -> None:
        self._zip.close()
        if self._spill is not None:
            self._spill.close()

    def __enter__(self) -> ZipSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class FolderSource:
    """An unpacked export on disk, read through the same interface as a zip.

    Names are relative POSIX paths. A symbolic link leading outside the folder is left out.
    """

    depth = 0

    def __init__(self, root: Path, label: str | None = None) -> None:
        self.root = root
        self.label = label or str(root)
        self._real_root = root.resolve()
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        if self._names is None:
            self._names = sorted(self._walk())
        return list(self._names)

    def _walk(self) -> Iterable[str]:
        for folder, dirnames, filenames in os.walk(self.root, followlinks=False):
            dirnames.sort()
            for filename in filenames:
                path = Path(folder) / filename
                if path.is_symlink() and not path.resolve().is_relative_to(self._real_root):
                    continue
                name = path.relative_to(self.root).as_posix()
                if not is_junk(name):
                    yield name

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """A file's bytes (``inputs.read_regular_file``): regular files only (a FIFO would
        block, ``/dev/zero`` never end), and never more than ``max_bytes`` read [bytes]."""
        return read_regular_file(
            self.root / name,
            max_bytes or MAX_ARCHIVE_BYTES,
            "one file of an export",
            label=f"{self.label}/{name}",
        )

    def open_stream(self, name: str, max_bytes: int) -> BinaryIO:
        """A file of the folder opened for reading as a stream (see ``ZipSource.open_stream``)."""
        entry_label = f"{self.label}/{name}"
        handle = open_regular_file(self.root / name, entry_label)
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise UnsafeFile(
                    f"{entry_label}: {size / 2**20:,.0f} MB, more than the "
                    f"{max_bytes / 2**20:,.0f} MB accepted for it; refused"
                )
        except BaseException:
            handle.close()
            raise
        return handle

    def open_nested(self, name: str) -> ZipSource:
        """The zip archive at ``name`` (a regular file only: a FIFO would block the reader)."""
        label = f"{self.label}/{name}"
        problem = regular_file_problem(self.root / name)
        if problem is not None:
            raise UnsupportedFile(f"{label}: {problem}")
        return ZipSource(self.root / name, label, depth=1)

    def close(self) -> None:
        pass


def open_zip(path: Path, *, max_bytes: int | None = None) -> ZipSource:
    """Open a zip file on disk (``CorruptFile`` if it is not one, ``UnsafeFile`` if refused)."""
    return ZipSource(path, str(path), depth=1, max_bytes=max_bytes)
