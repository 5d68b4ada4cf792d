"""Which files an import reads: paths and folders expanded into files and export folders.

Inside a folder only supported file types are taken (the others are counted by suffix, so that
the import summary accounts for every file); the top folder of an unpacked Garmin or
Strava export stands for its whole tree; anything but a regular file (a FIFO, a device, a
symbolic link loop or a link to nothing) is skipped with its reason, and so is a link that leads
outside the folder. A path named explicitly is always tried (and refused with a reason when it is
not a readable file).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from stridewise.archive import is_junk
from stridewise.importers.dispatch import is_supported
from stridewise.importers.exports import folder_export_kind
from stridewise.inputs import regular_file_problem, shown_path


@dataclass
class Found:
    """What a walk found: the paths to import, and what it passed over with the reason."""

    paths: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path shown, reason)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist
    empty_folders: list[str] = field(default_factory=list)  # folders with no supported file
    #: files of the folders that are not of a supported type, counted by reason
    unsupported: dict[str, int] = field(default_factory=dict)


def find_files(paths: Iterable[str | Path]) -> Found:
    """Expand files and folders (recursively) into the files and export folders to import, in a
    stable order, each once."""
    found = Found()
    listed: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            before = len(listed)
            listed.extend(_walk(path, found))
            if len(listed) == before:
                found.empty_folders.append(shown_path(path))
        elif path.exists() or path.is_symlink():
            listed.append(path)
        else:
            found.missing.append(shown_path(path))
    seen: set[Path] = set()
    for path in listed:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symbolic link loop: still tried, and refused, once
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            found.paths.append(path)
    return found


def _walk(root: Path, found: Found) -> Iterator[Path]:
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        if folder_export_kind(Path(folder)) or _is_apple_health_folder(Path(folder)):
            dirnames.clear()  # the export reads its own tree
            yield Path(folder)
            continue
        for filename in sorted(filenames):
            path = Path(folder) / filename
            if not is_supported(filename) and filename.lower() != "export.xml":
                if not is_junk(filename):
                    reason = unsupported_reason(filename)
                    found.unsupported[reason] = found.unsupported.get(reason, 0) + 1
                continue
            problem = regular_file_problem(path)
            if problem is not None:
                found.skipped.append((shown_path(path), problem))
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                found.skipped.append(
                    (shown_path(path), "symbolic link pointing outside the folder")
                )
                continue
            yield path


def unsupported_reason(name: str) -> str:
    """Why a file in a folder or archive is not imported: its type, by its suffix."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return f"not a file type stridewise reads ({suffix or 'no suffix'})"


@dataclass(frozen=True)
class FileItem:
    """A file on disk, to be read when its turn comes."""

    path: Path

    @property
    def label(self) -> str:
        return shown_path(self.path)


def file_sha256(path: Path) -> str:
    """The sha256 of a regular file's content, "" when it cannot be read (never blocks)."""
    if regular_file_problem(path) is not None:
        return ""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(2**20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _is_apple_health_folder(path: Path) -> bool:
    from stridewise.importers.apple_health import is_apple_health_folder  # (loaded for folders)

    return is_apple_health_folder(path)
