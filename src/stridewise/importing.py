"""Importing files, folders and whole exports into the store: decode in parallel, write from one
place.

Each file is read once; its sha256 is looked up in the import log first, so a file imported (or
skipped) before costs one hash and no decoding. A file inside an archive is a file of its own
here, with the sha256 of its own bytes. Files are decoded in worker processes and written by this
process, one transaction per file: an interrupted import leaves whole files only, and running it
again completes it.

A Garmin Connect or Strava export (zip or unpacked folder) and a zip of several activity files
are import units of their own (``stridewise.importers.exports``): their shoes and resting heart
rates are stored first, their activity files go through the same pipeline as any file (with the
export's summary of each merged in), and their summaries without a file are stored last, as
summary-only activities. Every save goes through ``stridewise.dedupe``: one run from two sources
is stored once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from stridewise.archive import FolderSource, is_activity_name, open_zip
from stridewise.dedupe import SaveOutcome, save_deduplicated
from stridewise.errors import SkippedFile, StridewiseError
from stridewise.importers import (
    MAX_DECOMPRESSED_BYTES,
    is_supported,
    read_file,
    read_raw,
    unpack,
)
from stridewise.importers.exports import (
    Export,
    ExportFile,
    ExportPart,
    ExportProblem,
    ExportSummary,
    apply_summary,
    export_kind,
    folder_export_kind,
    open_export,
)
from stridewise.model import Activity
from stridewise.store import Store, encode_samples

ProgressCallback = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    """What an import did. ``imported`` counts activities; the lists hold one entry per file."""

    imported: int = 0
    duplicates: int = 0
    files: int = 0
    replaced: int = 0  # summaries replaced by a richer recording of the same run (in duplicates)
    shoes: int = 0  # pairs an export listed (new or merged)
    wellness_days: int = 0  # days of resting heart rate an export added
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    #: FIT files the fast decoder handed to fitparse, with the reason (correctness never depends
    #: on the fast path; a long list here means the fast path is missing something)
    fitparse_fallbacks: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": self.failed,
            "warnings": self.warnings,
            "files": self.files,
            "replaced": self.replaced,
            "shoes": self.shoes,
            "wellness_days": self.wellness_days,
            "fitparse_fallbacks": self.fitparse_fallbacks,
        }


@dataclass
class _Item:
    """One file to decode: on disk, or inside an export."""

    label: str  # what the report and the import log show
    name: str  # what the reader sees: its suffix picks the format, its messages start with it
    read: Callable[[], bytes]
    export: Export | None = None
    file: ExportFile | None = None


class _Progress:
    """Counts items done against a total that grows when a nested archive is opened."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self.done = 0

    def grow(self, count: int) -> None:
        self.total += count

    def tick(self, label: str) -> None:
        self.done += 1
        if self.callback:
            self.callback(self.done, max(self.total, self.done), label)


def find_files(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Expand files and folders (recursively) into the files and export folders to import, in a
    stable order.

    Inside a folder only supported file types are taken, the top folder of an unpacked Garmin or
    Strava export stands for its whole tree, and a symbolic link that leads outside the folder
    is skipped; a path named explicitly is always tried.
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
        if folder_export_kind(Path(folder)):
            dirnames.clear()  # the export reads its own tree
            yield Path(folder)
            continue
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
    """Bytes in, whole activities (or a StridewiseError) out."""
    return read_raw(unpack(payload, name), default_timezone=default_timezone)


def _decode_and_pack(payload: bytes, name: str, default_timezone: str | None) -> list[Activity]:
    """Runs in a worker: ``_decode``, with the samples encoded for the store there, in parallel.

    Sending the compressed columns back costs a fraction of pickling the sample frames, and the
    compression is then no longer serial work of the one writer.
    """
    activities = _decode(payload, name, default_timezone)
    for activity in activities:
        activity.packed_samples = encode_samples(activity.samples)
        activity.samples = activity.samples[[]]  # the time index: its length is the record count
    return activities


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
    """Import files, folders and exports for one athlete. A bad file never stops the batch.

    An unexpected exception inside a reader is a bug; it fails that file with its name, unless
    ``debug`` is set, when it is raised with its traceback. ``progress`` is called after each file
    and summary as ``(done, total, path)``; the total grows when a nested archive is opened.
    """
    report = ImportReport()
    plain: list[Path] = []
    exports: list[Export] = []
    try:
        for path in find_files(paths, report):
            export = _open_unit(store, report, athlete, path, default_timezone)
            if export is None:
                plain.append(path)
            elif isinstance(export, Export):
                for problem in export.problems:
                    report.failed.append({"path": problem.label, "error": problem.error})
                exports.append(export)
        for export in exports:
            _store_export_extras(store, report, athlete, export)
        total = len(plain) + sum(e.known_file_count() + len(e.summaries) for e in exports)
        tracker = _Progress(progress, total)
        items = _items(plain, exports, report, tracker)
        workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        if total < 4:  # starting worker processes costs more than it saves here
            workers = 1
        writer = _Writer(store, report, athlete, tracker, debug)
        _decode_all(items, writer, workers, default_timezone)
        for export in exports:
            _store_summaries(writer, export)
    finally:
        for export in exports:
            export.close()
    return report


def _open_unit(
    store: Store, report: ImportReport, athlete: str, path: Path, default_timezone: str | None
) -> Export | None | bool:
    """The export a path stands for, None for a plain file, False when it was refused (and
    reported as failed)."""
    try:
        return _open_export(path, default_timezone)
    except StridewiseError as exc:
        if path.is_file():
            _fail_logged(store, report, athlete, str(path), _file_sha256(path), str(exc))
        else:
            report.failed.append({"path": str(path), "error": str(exc)})
        return False


def _open_export(path: Path, default_timezone: str | None) -> Export | None:
    """Open a folder or zip as an export (None for a plain file or a one-activity zip)."""
    if path.is_dir():
        folder = FolderSource(path)
        kind = folder_export_kind(path) or export_kind(folder.names()) or "archive"
        return open_export(folder, kind, default_timezone=default_timezone)
    if not path.name.lower().endswith(".zip"):
        return None
    archive = open_zip(path)
    try:
        names = archive.names()
        kind = export_kind(names)
        if kind is None:
            activity_files = sum(1 for name in names if is_activity_name(name))
            nested = any(name.lower().endswith(".zip") for name in names)
            if activity_files <= 1 and not nested:
                archive.close()  # a one-activity zip ("export original"): a plain file
                return None
            kind = "archive"
        return open_export(archive, kind, default_timezone=default_timezone)
    except BaseException:
        archive.close()
        raise


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(2**20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _store_export_extras(store: Store, report: ImportReport, athlete: str, export: Export) -> None:
    """Shoes (merged by name with the runner's own) and daily resting heart rates."""
    from stridewise.shoes import find_shoe, upsert_shoe

    origin = export.kind if export.kind in ("garmin", "strava") else "source"
    for shoe in export.shoes:
        existing = find_shoe(store, athlete, shoe.name)
        # an export fills in what a pair lacks; it never overrides what the runner set
        upsert_shoe(
            store,
            athlete,
            shoe.name,
            origin=origin,
            limit_km=shoe.limit_km if existing is None or existing.limit_km is None else None,
            retired_on=shoe.retired_on if existing is None or existing.retired_on is None else None,
        )
        report.shoes += 1
    if export.resting_heart_rates:
        report.wellness_days += store.save_wellness(
            athlete, export.resting_heart_rates, f"{export.kind} export"
        )


def _items(
    plain: list[Path], exports: list[Export], report: ImportReport, tracker: _Progress
) -> Iterator[_Item]:
    """Every file to decode: plain files first, then each export's (parts opened in turn)."""
    for path in plain:
        # read_file refuses a file larger than its format can be before reading it
        yield _Item(str(path), path.name, lambda p=path: read_file(p))
    for export in exports:
        shown = Path(export.label).name  # the export's own name, not the folders above it
        for entry in export.files():
            if isinstance(entry, ExportPart):
                tracker.grow(entry.count)
            elif isinstance(entry, ExportProblem):
                report.failed.append({"path": entry.label, "error": entry.error})
            else:
                yield _Item(
                    entry.label,
                    shown + entry.label[len(export.label) :],
                    lambda e=entry: e.source.read(e.name, MAX_DECOMPRESSED_BYTES),
                    export,
                    entry,
                )


class _Writer:
    """The single writer: checks the import log, saves (deduplicated), reports, ticks."""

    def __init__(
        self, store: Store, report: ImportReport, athlete: str, tracker: _Progress, debug: bool
    ) -> None:
        self.store = store
        self.report = report
        self.athlete = athlete
        self.tracker = tracker
        self.debug = debug
        self.seen_this_run: set[str] = set()

    def admit(self, items: Iterable[_Item]) -> Iterator[tuple[_Item, bytes, str]]:
        """The items whose content still needs decoding, with their bytes and sha256."""
        for item in items:
            self.report.files += 1
            try:
                payload = item.read()
            except StridewiseError as exc:
                self.fail(item, "", str(exc))
                continue
            except OSError as exc:
                self.fail(item, "", f"{item.name}: cannot be read ({exc.strerror or exc})")
                continue
            sha256 = hashlib.sha256(payload).hexdigest()
            before = self.store.file_outcome(self.athlete, sha256)
            if sha256 in self.seen_this_run or (before and before[0] != "skipped"):
                self.report.duplicates += 1
                self.store.log_file(
                    self.athlete, item.label, sha256, "duplicate", "already imported"
                )
                self.tracker.tick(item.label)
                continue
            if before:
                self.report.skipped.append({"path": item.label, "reason": before[1] or "skipped"})
                self.tracker.tick(item.label)
                continue
            self.seen_this_run.add(sha256)
            yield item, payload, sha256

    def finish(self, item: _Item, sha256: str, outcome: Callable[[], list[Activity]]) -> None:
        try:
            activities = outcome()
        except SkippedFile as exc:
            reason = _reason(exc, item.name)
            self.report.skipped.append({"path": item.label, "reason": reason})
            self.store.log_file(self.athlete, item.label, sha256, "skipped", reason)
        except StridewiseError as exc:
            self.fail(item, sha256, str(exc))
        except Exception as exc:
            if self.debug:
                raise
            self.fail(item, sha256, f"{item.name}: could not be read ({type(exc).__name__}: {exc})")
        else:
            claimed: list[ExportSummary] = []
            if item.export is not None and item.file is not None:
                for activity, summary in item.export.claim(item.file, activities):
                    apply_summary(activity, summary)
                    claimed.append(summary)
            merged_note = f"merged into {item.label}"
            saved = save_deduplicated(
                self.store,
                self.athlete,
                item.label,
                sha256,
                activities,
                also_log=[
                    (f"{item.export.label}/{s.key}", s.sha256, "duplicate", merged_note)
                    for s in claimed
                    if item.export is not None
                ],
            )
            if item.export is not None:
                item.export.consume(claimed)
            self.count(saved, item.label, activities)
        self.tracker.tick(item.label)

    def save_summary(self, export: Export, summary: ExportSummary) -> None:
        """A summary no file claimed: a summary-only activity (unless already stored)."""
        label = f"{export.label}/{summary.key}"
        before = self.store.file_outcome(self.athlete, summary.sha256)
        if before is None:
            activities = [summary.activity]
            saved = save_deduplicated(self.store, self.athlete, label, summary.sha256, activities)
            self.count(saved, label, activities)
        elif before[0] == "imported":
            self.report.duplicates += 1  # a summary-only activity stored by an earlier import
        # 'duplicate': merged into its file by an earlier import; nothing to say
        self.tracker.tick(label)

    def count(self, saved: SaveOutcome, label: str, activities: list[Activity]) -> None:
        self.report.imported += len(saved.new_ids)
        self.report.duplicates += len(saved.duplicates) + len(saved.replaced)
        self.report.replaced += len(saved.replaced)
        for activity in activities:
            for warning in activity.warnings:
                self.report.warnings.append({"path": label, "warning": warning})
        fallback = next(
            (a.decoder for a in activities if (a.decoder or "").startswith("fitparse-fallback")),
            None,
        )
        if fallback:
            reason = fallback.partition(":")[2].strip() or "unknown"
            self.report.fitparse_fallbacks.append({"path": label, "reason": reason})

    def fail(self, item: _Item, sha256: str, error: str) -> None:
        _fail_logged(self.store, self.report, self.athlete, item.label, sha256, error)
        self.tracker.tick(item.label)


def _decode_all(
    items: Iterator[_Item], writer: _Writer, workers: int, default_timezone: str | None
) -> None:
    if workers == 1:
        for item, payload, sha256 in writer.admit(items):
            writer.finish(
                item, sha256, lambda p=payload, n=item.name: _decode(p, n, default_timezone)
            )
        return
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        pending: dict[Future, tuple[_Item, str]] = {}
        for item, payload, sha256 in writer.admit(items):
            future = pool.submit(_decode_and_pack, payload, item.name, default_timezone)
            pending[future] = (item, sha256)
            if len(pending) >= workers * 4:  # bound memory: a few files in flight per worker
                _drain(pending, writer, until=workers * 2)
        _drain(pending, writer, until=0)
    except BaseException:
        # Ctrl-C or an error: stop at once; every file saved so far is whole
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _drain(pending: dict[Future, tuple[_Item, str]], writer: _Writer, until: int) -> None:
    while len(pending) > until:
        completed, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in completed:
            item, sha256 = pending.pop(future)
            writer.finish(item, sha256, future.result)


def _store_summaries(writer: _Writer, export: Export) -> None:
    for summary in export.summaries:
        if export.is_consumed(summary):
            writer.tracker.tick(f"{export.label}/{summary.key}")
        else:
            writer.save_summary(export, summary)


def _reason(exc: StridewiseError, name: str) -> str:
    """The reason part of a message that starts with the file name."""
    text = str(exc)
    prefix = f"{Path(name).name}: "
    if text.startswith(f"{name}: "):
        return text[len(name) + 2 :]
    return text[len(prefix) :] if text.startswith(prefix) else text


def _fail_logged(
    store: Store, report: ImportReport, athlete: str, path: str, sha256: str, error: str
) -> None:
    report.failed.append({"path": path, "error": error})
    store.log_file(athlete, path, sha256, "failed", error)
