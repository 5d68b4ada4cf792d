"""Importing files and folders into the store: decode in parallel, write from one place.

Each file is read once; its sha256 is looked up in the import log first, so a file imported (or
skipped) before costs one hash and no decoding. Files are decoded in worker processes and written
by this process, one transaction per file: an interrupted import leaves whole files only, and
running it again completes it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from stridewise.errors import SkippedFile, StridewiseError
from stridewise.importers import is_supported, read_raw, unpack
from stridewise.model import Activity
from stridewise.store import Store

ProgressCallback = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    """What an import did. ``imported`` counts activities; the lists hold one entry per file."""

    imported: int = 0
    duplicates: int = 0
    files: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": self.failed,
            "warnings": self.warnings,
            "files": self.files,
        }


def find_files(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Expand files and folders (recursively) into the files to import, in a stable order.

    Inside a folder only supported file types are taken, and a symbolic link that leads outside
    the folder is skipped; a path named explicitly is always tried.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_walk(path, report))
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            report.failed.append({"path": str(path), "error": f"{path}: no such file or folder"})
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _walk(root: Path, report: ImportReport) -> Iterator[Path]:
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(folder) / filename
            if not is_supported(path):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                report.skipped.append(
                    {"path": str(path), "reason": "symbolic link pointing outside the folder"}
                )
                continue
            yield path


def _decode(payload: bytes, name: str, default_timezone: str | None) -> list[Activity]:
    """Runs in a worker: bytes in, whole activities (or a StridewiseError) out."""
    return read_raw(unpack(payload, name), default_timezone=default_timezone)


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    athlete: str = "me",
    default_timezone: str | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    debug: bool = False,
) -> ImportReport:
    """Import files and folders for one athlete. A bad file never stops the batch.

    An unexpected exception inside a reader is a bug; it fails that file with its name, unless
    ``debug`` is set, when it is raised with its traceback.
    """
    report = ImportReport()
    files = find_files(paths, report)
    report.files = len(files)
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    if len(files) < 4:  # starting worker processes costs more than it saves here
        jobs = 1
    done = 0
    seen_this_run: set[str] = set()

    def tick(path: Path) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(files), str(path))

    def to_decode() -> Iterator[tuple[Path, bytes, str]]:
        for path in files:
            try:
                payload = path.read_bytes()
            except OSError as exc:
                _fail(store, report, athlete, path, "", f"{path.name}: cannot be read ({exc})")
                tick(path)
                continue
            sha256 = hashlib.sha256(payload).hexdigest()
            before = store.file_outcome(athlete, sha256)
            if sha256 in seen_this_run or (before and before[0] == "imported"):
                report.duplicates += 1
                store.log_file(athlete, str(path), sha256, "duplicate", "already imported")
                tick(path)
                continue
            if before and before[0] == "skipped":
                report.skipped.append({"path": str(path), "reason": before[1] or "skipped"})
                tick(path)
                continue
            seen_this_run.add(sha256)
            yield path, payload, sha256

    def finish(path: Path, sha256: str, outcome: Callable[[], list[Activity]]) -> None:
        try:
            activities = outcome()
        except SkippedFile as exc:
            reason = _reason(exc, path)
            report.skipped.append({"path": str(path), "reason": reason})
            store.log_file(athlete, str(path), sha256, "skipped", reason)
        except StridewiseError as exc:
            _fail(store, report, athlete, path, sha256, str(exc))
        except Exception as exc:
            if debug:
                raise
            message = f"{path.name}: could not be read ({type(exc).__name__}: {exc})"
            _fail(store, report, athlete, path, sha256, message)
        else:
            store.save_file(athlete, str(path), sha256, activities)
            report.imported += len(activities)
            for activity in activities:
                for warning in activity.warnings:
                    report.warnings.append({"path": str(path), "warning": warning})
        tick(path)

    if jobs == 1:
        for path, payload, sha256 in to_decode():
            finish(path, sha256, lambda p=payload, n=path.name: _decode(p, n, default_timezone))
        return report

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: dict[Future, tuple[Path, str]] = {}
        for path, payload, sha256 in to_decode():
            pending[pool.submit(_decode, payload, path.name, default_timezone)] = (path, sha256)
            if len(pending) >= jobs * 4:  # bound memory: a few files in flight per worker
                _drain(pending, finish, until=jobs * 2)
        _drain(pending, finish, until=0)
    return report


def _drain(
    pending: dict[Future, tuple[Path, str]],
    finish: Callable[[Path, str, Callable[[], list[Activity]]], None],
    until: int,
) -> None:
    while len(pending) > until:
        completed, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in completed:
            path, sha256 = pending.pop(future)
            finish(path, sha256, future.result)


def _reason(exc: StridewiseError, path: Path) -> str:
    """The reason part of a message that starts with the file name."""
    text = str(exc)
    prefix = f"{path.name}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def _fail(
    store: Store, report: ImportReport, athlete: str, path: Path, sha256: str, error: str
) -> None:
    report.failed.append({"path": str(path), "error": error})
    store.log_file(athlete, str(path), sha256, "failed", error)
