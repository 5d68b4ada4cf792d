"""The import pipeline: open → decode → clean → merge → save, for files, folders and exports.

One path for everything an import reads:

1. **open** (``files``, ``exports``): paths and folders become files and export units; only
   regular files are read, each within the cap of its format (``importers.sizes``);
2. **decode** (``importers.dispatch``): bytes become canonical activities, in worker processes;
3. **clean** (``cleaning``): impossible values are removed or the activity refused, and the
   faults of real recordings repaired (clock jumps and jitter, vehicle rides, outings weeks apart
   in one file, offsets that contradict the position, a missing sport), in the same worker; the
   worker also computes each run's per-run metrics (``workers.measure_activity``: the surface is
   inferred there from reliable altitude) and encodes its samples;
4. **merge** (``merging``, ``exports.apply_summary``): an export's summary is merged into the
   recording it describes, and one run from two sources is stored once, the device's recording
   being the reference for its totals whatever the order;
5. **save** (``stridewise.store``): one writer, one transaction per file, with the import-log row.

Each file is read once; its sha256 is looked up in the import log first, so a file imported (or
skipped) before costs one hash and no decoding. A bad file never stops the batch: it is reported
with a one-line reason, and so is a worker that crashed on a file. An interrupted import leaves
whole files only, and running it again completes it.

``read_activities`` is the same path without the store: a file's clean activities.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stridewise.errors import SkippedFile, StridewiseError
from stridewise.importers.dispatch import RawFile, decode, unpack
from stridewise.importers.exports import ExportProblem
from stridewise.importers.sizes import max_file_bytes, max_member_bytes
from stridewise.inputs import read_regular_file, shown_path
from stridewise.metrics.run import METRICS_VERSION, metrics_json
from stridewise.model import Activity
from stridewise.pipeline.cleaning import clean_activities
from stridewise.pipeline.exports import (
    ExportFile,
    ExportPart,
    OpenExport,
    apply_summary,
    open_export,
)
from stridewise.pipeline.files import file_sha256, find_files
from stridewise.pipeline.merging import UNSPECIFIED_SPORT, SaveOutcome, save_deduplicated
from stridewise.pipeline.sports import SportChoice
from stridewise.pipeline.workers import (
    measure_activity,
    new_pool,
    prepare_file,
    stored_metrics,
    worker_count,
)
from stridewise.shoes import merge_export_shoe
from stridewise.store import Store

if TYPE_CHECKING:  # loaded when used: importing one FIT file needs neither
    from concurrent.futures import ProcessPoolExecutor

    from stridewise.importers.apple_health import AppleHealthExport

ProgressCallback = Callable[[int, int, str], None]

#: Smallest import worth starting worker processes for: below, one process decodes faster.
MIN_FILES_FOR_WORKERS = 4

#: Most bytes of files handed to workers and not yet finished [bytes]. A few files are in flight
#: per worker to keep them busy, but the writer holds each one's bytes until it is done (to
#: decode it again alone should its worker die): six 249 MB GPX files in flight took 2 GB. Past
#: this, the writer waits for files to finish before reading more.
MAX_BYTES_IN_FLIGHT = 128 * 2**20

#: A file larger than this goes to a worker of its own, started for it and stopped after it
#: [bytes]: a pool keeps a pickled copy of the last file it sent (its queue's feeder thread
#: holds it until the next one), a second copy of a 250 MB GPX for as long as the pool lives.
ALONE_FROM_BYTES = 32 * 2**20


@dataclass
class ImportReport:
    """What an import did. ``imported`` counts activities; the lists hold one entry per file.

    ``duplicates`` (CLI.md) is the sum of what was not stored again, told apart: files stored
    by an earlier import (``already_imported``), byte-identical copies within this batch
    (``copies``), and runs that another source of this or an earlier batch already recorded
    (``merged``, which includes the ``replaced`` copies: a stored summary or recording that a
    better source of the same run took the place of). ``no_sport`` counts the activities stored
    without a sport (nothing in their files named one). Files inside archives and folders that
    are not imported are counted by reason in ``not_imported``, so every entry is accounted for.
    """

    imported: int = 0
    duplicates: int = 0
    already_imported: int = 0
    copies: int = 0
    merged: int = 0
    files: int = 0
    replaced: int = 0  # stored copies a better source of the same run replaced (in merged)
    no_sport: int = 0  # activities stored whose files named no sport (``generic``)
    removed: int = 0  # runs left out because the runner removed them earlier
    shoes: int = 0  # pairs an export listed (new or merged)
    wellness_days: int = 0  # days of wellness values an export added
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    #: folders given that held no supported file
    empty_folders: list[str] = field(default_factory=list)
    #: files in folders and archives that were not imported, counted by reason
    not_imported: dict[str, int] = field(default_factory=dict)
    #: FIT files the fast decoder handed to fitparse, with the reason (correctness never depends
    #: on the fast path; a long list here means the fast path is missing something)
    fitparse_fallbacks: list[dict[str, str]] = field(default_factory=list)
    #: every file a fast reader handed to its reference reader (fitparse, gpxpy, ElementTree)
    reader_fallbacks: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": self.failed,
            "warnings": self.warnings,
            "files": self.files,
            "already_imported": self.already_imported,
            "copies": self.copies,
            "merged": self.merged,
            "replaced": self.replaced,
            "no_sport": self.no_sport,
            "removed": self.removed,
            "shoes": self.shoes,
            "wellness_days": self.wellness_days,
            "empty_folders": self.empty_folders,
            "not_imported": [
                {"reason": reason, "count": count}
                for reason, count in sorted(self.not_imported.items())
            ],
            "fitparse_fallbacks": self.fitparse_fallbacks,
            "reader_fallbacks": self.reader_fallbacks,
        }


def read_activities(path: str | Path, *, default_timezone: str | None = None) -> list[Activity]:
    """Every activity a file holds, decoded and cleaned; nothing is stored.

    ``default_timezone`` (an IANA name) gives the local offset of a file that carries neither an
    offset nor a position. Raises ``SkippedFile`` when the file holds no activity and another
    ``StridewiseError`` when it cannot be read.
    """
    return read_raw(load_raw(Path(path)), default_timezone=default_timezone)


def load_raw(path: Path) -> RawFile:
    """A file from disk, unpacked (.gz, a one-activity .zip), within its format's size cap."""
    payload = read_regular_file(path, *max_file_bytes(path.name))
    return unpack(payload, shown_path(path.name))


def read_raw(raw: RawFile, *, default_timezone: str | None = None) -> list[Activity]:
    """The clean activities of an unpacked file (``load_raw``, ``importers.dispatch.unpack``)."""
    return clean_activities(decode(raw, default_timezone=default_timezone), raw.source_name)


@dataclass
class _Item:
    """One file to decode: on disk, or inside an export."""

    label: str  # what the report and the import log show
    name: str  # what the reader sees: its suffix picks the format, its messages start with it
    read: Callable[[], bytes]
    export: OpenExport | None = None
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


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    athlete: str = "me",
    default_timezone: str | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    debug: bool = False,
    sport: SportChoice | None = None,
) -> ImportReport:
    """Import files, folders and exports for one athlete. A bad file never stops the batch.

    An unexpected exception inside a reader is a bug; it fails that file with its name, unless
    ``debug`` is set, when it is raised with its traceback. ``progress`` is called after each file
    and summary as ``(done, total, path)``; the total grows when a nested archive is opened.
    ``sport`` is the sport of activities whose files name none (``import --sport``).
    Raises ``StoreError`` when the database cannot be written (locked by another program for
    longer than its timeout, read-only): what was saved before stays.
    """
    report = ImportReport()
    found = find_files(paths)
    report.skipped.extend({"path": p, "reason": reason} for p, reason in found.skipped)
    report.failed.extend(
        {"path": p, "error": f"{p}: no such file or folder"} for p in found.missing
    )
    report.empty_folders.extend(found.empty_folders)
    _add_counts(report.not_imported, found.unsupported)
    plain: list[Path] = []
    exports: list[OpenExport] = []
    apple: list[AppleHealthExport] = []
    try:
        for path in found.paths:
            export = _open_unit(store, report, athlete, path, default_timezone)
            if export is None:
                plain.append(path)
            elif isinstance(export, OpenExport):
                for problem in export.contents.problems:
                    report.failed.append({"path": problem.label, "error": problem.error})
                exports.append(export)
            elif export:  # an Apple Health export (False: refused, reported)
                apple.append(export)
        for export in exports:
            _store_export_extras(store, report, athlete, export)
        total = len(plain) + sum(e.known_file_count() + len(e.summaries) for e in exports)
        total += sum(export.activity_count for export in apple)
        tracker = _Progress(progress, total)
        items = _items(plain, exports, report, tracker)
        workers = worker_count(jobs) if total >= MIN_FILES_FOR_WORKERS else 1
        writer = _Writer(store, report, athlete, tracker, debug, default_timezone)
        _decode_all(items, writer, workers, default_timezone, sport)
        for export in exports:
            _store_summaries(writer, export)
            _add_counts(report.not_imported, export.not_imported)
        for health in apple:
            _import_apple_health(writer, health)
    finally:
        for export in exports:
            export.close()
        for health in apple:
            health.close()
    refresh_run_metrics(store, athlete, jobs=jobs)
    return report


#: Activities whose metrics one worker computes at a time, when metrics are refreshed.
REFRESH_BATCH = 32


def refresh_run_metrics(
    store: Store, athlete: str | None = None, *, jobs: int | None = None
) -> int:
    """Compute and store the per-run metrics that are missing or of an older version (after an
    upgrade changed a formula), in worker processes; how many were computed.

    Reading commands never write, so an import does this for them: their results are then read
    from the store instead of being computed again on every reading."""
    missing = store.activities_missing_metrics(athlete, METRICS_VERSION)
    if not missing:
        return 0
    batches = [missing[i : i + REFRESH_BATCH] for i in range(0, len(missing), REFRESH_BATCH)]
    workers = worker_count(jobs) if len(batches) > 1 and str(store.path) != ":memory:" else 1
    if workers == 1:
        entries = {i: metrics_json(store.load_sample_table(i)) for i in missing}
        store.save_run_metrics(entries, METRICS_VERSION)
        return len(entries)
    with new_pool(workers) as pool:
        for entries in pool.map(stored_metrics, [str(store.path)] * len(batches), batches):
            store.save_run_metrics(entries, METRICS_VERSION)
    return len(missing)


def _open_unit(
    store: Store, report: ImportReport, athlete: str, path: Path, default_timezone: str | None
) -> OpenExport | AppleHealthExport | None | bool:
    """The export a path stands for (an Apple Health export has a type of its own), None for a
    plain file, False when it was refused (and reported as failed)."""
    try:
        return open_export(path, default_timezone)
    except StridewiseError as exc:
        label = shown_path(path)
        if path.is_file():
            _fail_logged(store, report, athlete, label, file_sha256(path), str(exc))
        else:
            report.failed.append({"path": label, "error": str(exc)})
        return False


def _import_apple_health(writer: _Writer, export: AppleHealthExport) -> None:
    """An Apple Health export: its wellness, what it says of the runner, then each workout as an
    activity through the same cleaning, per-run metrics and merging as any file's. Workouts an
    earlier import stored are left out before their records are read (a re-import costs one
    pass over the XML)."""
    from stridewise.importers.apple_health import workout_sha256

    store, athlete, report = writer.store, writer.athlete, writer.report
    if export.wellness:
        report.wellness_days += store.save_wellness(athlete, export.wellness, "apple health")
    facts = {"birth_year": export.profile.birth_year, "sex": export.profile.sex}
    store.save_athlete_facts(athlete, facts, "Apple Health export")

    def stored_before(sha256: str) -> bool:
        return store.file_outcome(athlete, sha256) is not None

    for info in [w for w in export.workouts if stored_before(workout_sha256(w))]:
        report.duplicates += 1
        report.already_imported += 1
        writer.tracker.tick(f"{export.label} Workout #{info.ordinal + 1}")
    try:
        for activity in export.activities(skip=stored_before):
            label = activity.source_name
            try:
                cleaned = clean_activities([activity], label)
            except StridewiseError as exc:
                _fail_logged(store, report, athlete, label, activity.source_sha256, str(exc))
                writer.tracker.tick(label)
                continue
            for each in cleaned:
                measure_activity(each)
            report.files += 1
            saved = save_deduplicated(store, athlete, label, activity.source_sha256, cleaned)
            writer.count(saved, label, cleaned)
            writer.tracker.tick(label)
    except StridewiseError as exc:  # the XML changed or broke since its first pass
        report.failed.append({"path": export.label, "error": str(exc)})
    for problem in export.problems:
        report.failed.append({"path": problem.label, "error": problem.error})
    for warning in export.warnings:
        report.warnings.append({"path": export.label, "warning": warning})


def _add_counts(into: dict[str, int], counts: dict[str, int]) -> None:
    for reason, count in counts.items():
        into[reason] = into.get(reason, 0) + count


def _store_export_extras(
    store: Store, report: ImportReport, athlete: str, export: OpenExport
) -> None:
    """Shoes (merged by name with the runner's own) and daily wellness values."""
    origin = export.kind if export.kind in ("garmin", "strava") else "source"
    for shoe in export.contents.shoes:
        merge_export_shoe(store, athlete, shoe, origin)
        report.shoes += 1
    if export.contents.wellness:
        report.wellness_days += store.save_wellness(
            athlete, export.contents.wellness, f"{export.kind} export"
        )
    if export.contents.facts:
        source = f"{export.kind.capitalize()} export"
        store.save_athlete_facts(athlete, export.contents.facts, source)


def _items(
    plain: list[Path], exports: list[OpenExport], report: ImportReport, tracker: _Progress
) -> Iterator[_Item]:
    """Every file to decode: plain files first (recordings before lists, so that a list's rows
    without a time zone find the recordings of the same batch: ``merging.borrow_offset``), then
    each export's (parts opened in turn)."""
    for path in sorted(plain, key=lambda p: p.name.lower().endswith(".csv")):
        # read_regular_file refuses a file larger than its format can be before reading it
        yield _Item(
            shown_path(path),
            shown_path(path.name),
            lambda p=path: read_regular_file(p, *max_file_bytes(p.name)),
        )
    for export in exports:
        shown = Path(export.label).name  # the export's own name, not the folders above it
        for entry in export.files():
            if isinstance(entry, ExportPart):
                tracker.grow(entry.count)
            elif isinstance(entry, ExportProblem):
                report.failed.append({"path": entry.label, "error": entry.error})
            else:
                yield _Item(
                    shown_path(entry.label),
                    shown_path(shown + entry.label[len(export.label) :]),
                    lambda e=entry: e.source.read(e.name, max_member_bytes(e.name)),
                    export,
                    entry,
                )


class _Writer:
    """The single writer: checks the import log, saves (merged), reports, ticks."""

    def __init__(
        self,
        store: Store,
        report: ImportReport,
        athlete: str,
        tracker: _Progress,
        debug: bool,
        default_timezone: str | None = None,
    ) -> None:
        self.store = store
        self.report = report
        self.athlete = athlete
        self.tracker = tracker
        self.debug = debug
        self.default_timezone = default_timezone
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
            if sha256 in self.seen_this_run:
                self.report.duplicates += 1
                self.report.copies += 1
                self.store.log_file(
                    self.athlete, item.label, sha256, "duplicate", "a copy of a file in this import"
                )
                self.tracker.tick(item.label)
                continue
            before = self.store.file_outcome(self.athlete, sha256)
            if before and before[0] != "skipped":
                self.report.duplicates += 1
                self.report.already_imported += 1
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
        except BrokenExecutor:
            raise
        except Exception as exc:
            if self.debug:
                raise
            self.fail(item, sha256, f"{item.name}: could not be read ({type(exc).__name__}: {exc})")
        else:
            self.save(item, sha256, activities)
        self.tracker.tick(item.label)

    def save(self, item: _Item, sha256: str, activities: list[Activity]) -> None:
        claimed = []
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
            default_timezone=self.default_timezone,
        )
        if item.export is not None:
            item.export.consume(claimed)
        self.count(saved, item.label, activities)

    def save_summary(self, label: str, summary_activity: Activity, sha256: str) -> None:
        """A summary no file claimed: a summary-only activity (unless already stored)."""
        before = self.store.file_outcome(self.athlete, sha256)
        if before is None:
            activities = [summary_activity]
            saved = save_deduplicated(
                self.store,
                self.athlete,
                label,
                sha256,
                activities,
                default_timezone=self.default_timezone,
            )
            self.count(saved, label, activities)
        elif before[0] == "imported":
            self.report.duplicates += 1  # a summary-only activity stored by an earlier import
            self.report.already_imported += 1
        # 'duplicate': merged into its file by an earlier import; nothing to say
        self.tracker.tick(label)

    def count(self, saved: SaveOutcome, label: str, activities: list[Activity]) -> None:
        self.report.imported += len(saved.new_ids)
        merged = len(saved.duplicates) + len(saved.replaced)
        self.report.duplicates += merged
        self.report.merged += merged
        self.report.replaced += len(saved.replaced)
        self.report.removed += len(saved.removed)
        new_ids = set(saved.new_ids)
        self.report.no_sport += sum(
            1 for a in activities if a.id in new_ids and a.sport in (UNSPECIFIED_SPORT, None, "")
        )
        for activity in activities:
            for warning in activity.warnings:
                self.report.warnings.append({"path": label, "warning": warning})
        fallback = next((a.decoder for a in activities if "-fallback" in (a.decoder or "")), None)
        if fallback:
            reader, _, reason = fallback.partition(":")
            entry = {"path": label, "reason": reason.strip() or "unknown"}
            reader = reader.removesuffix("-fallback")
            self.report.reader_fallbacks.append({**entry, "reader": reader})
            if reader == "fitparse":
                self.report.fitparse_fallbacks.append(entry)

    def fail(self, item: _Item, sha256: str, error: str) -> None:
        _fail_logged(self.store, self.report, self.athlete, item.label, sha256, error)
        self.tracker.tick(item.label)


def _decode_all(
    items: Iterator[_Item],
    writer: _Writer,
    workers: int,
    default_timezone: str | None,
    sport: SportChoice | None,
) -> None:
    if workers == 1:
        for item, payload, sha256 in writer.admit(items):
            writer.finish(
                item,
                sha256,
                lambda p=payload, n=item.name: prepare_file(p, n, default_timezone, False, sport),
            )
        return
    _decode_in_workers(writer.admit(items), writer, workers, (default_timezone, sport))


def _decode_in_workers(
    admitted: Iterator[tuple[_Item, bytes, str]],
    writer: _Writer,
    workers: int,
    options: tuple[str | None, SportChoice | None],
) -> None:
    """Decode in a pool of worker processes, a few files in flight per worker.

    A worker that dies on a file (a crash in a library, the kernel's out-of-memory killer)
    breaks the pool and every file in flight with it: the pool is replaced, and the files that
    were in flight are decoded again one at a time, so that the one that kills its worker is
    the only one that fails.
    """
    pool = new_pool(workers)
    pending: dict[Future, tuple[_Item, bytes, str]] = {}
    try:
        for item, payload, sha256 in admitted:
            if len(payload) > ALONE_FROM_BYTES:
                _isolate([(item, payload, sha256)], writer, options)
                del payload  # not held while the next file is read
                continue
            try:
                future = pool.submit(prepare_file, payload, item.name, options[0], True, options[1])
            except BrokenExecutor:
                # a worker died after the last drain, before this file was handed over: the
                # files in flight and this one are decoded one at a time, a new pool goes on
                unsent = [(item, payload, sha256)]
                del payload
                _after_broken_pool(pool, pending, writer, options, unsent)
                pool = new_pool(workers)
                continue
            pending[future] = (item, payload, sha256)
            del payload
            if len(pending) >= workers * 4:  # bound memory: a few files in flight per worker
                pool = _drain(pool, pending, writer, workers, options, until=workers * 2)
            if _bytes_in_flight(pending) > MAX_BYTES_IN_FLIGHT:  # and a few bytes
                pool = _drain(
                    pool, pending, writer, workers, options, until=workers * 4,
                    max_bytes=MAX_BYTES_IN_FLIGHT,
                )  # fmt: skip
        pool = _drain(pool, pending, writer, workers, options, until=0)
    except BaseException:
        # Ctrl-C or an error: stop at once; every file saved so far is whole
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _bytes_in_flight(pending: dict[Future, tuple[_Item, bytes, str]]) -> int:
    return sum(len(payload) for _, payload, _ in pending.values())


def _drain(
    pool: ProcessPoolExecutor,
    pending: dict[Future, tuple[_Item, bytes, str]],
    writer: _Writer,
    workers: int,
    options: tuple[str | None, SportChoice | None],
    until: int,
    max_bytes: int | None = None,
) -> ProcessPoolExecutor:
    """Finish files until at most ``until`` are in flight, and (with ``max_bytes``) until
    their bytes are within ``max_bytes`` or none is left; the pool to go on with (a new one
    after a worker died, unless ``until`` is 0: the last drain)."""
    while len(pending) > until or (
        max_bytes is not None and pending and _bytes_in_flight(pending) > max_bytes
    ):
        completed, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        broken = [f for f in completed if isinstance(f.exception(), BrokenExecutor)]
        if broken:
            _after_broken_pool(pool, pending, writer, options)
            return new_pool(workers) if until else pool
        for future in completed:
            item, payload, sha256 = pending.pop(future)
            del payload  # see _isolate: a finished frame must not keep a file's bytes
            writer.finish(item, sha256, future.result)
    return pool


def _after_broken_pool(
    pool: ProcessPoolExecutor,
    pending: dict[Future, tuple[_Item, bytes, str]],
    writer: _Writer,
    options: tuple[str | None, SportChoice | None],
    unsent: list[tuple[_Item, bytes, str]] | None = None,
) -> None:
    """A worker died and broke ``pool`` with every file in flight (and ``unsent``, the file it
    refused): those files are decoded again one at a time, so that only the one that kills its
    worker fails."""
    survivors = [*pending.values(), *(unsent or [])]
    if unsent:
        unsent.clear()  # no frame keeps a file's bytes (see _isolate)
    pending.clear()
    pool.shutdown(wait=False, cancel_futures=True)
    _isolate(survivors, writer, options)


def _isolate(
    items: list[tuple[_Item, bytes, str]],
    writer: _Writer,
    options: tuple[str | None, SportChoice | None],
) -> None:
    """Decode each file in a worker of its own: the one that crashes it fails alone.

    ``items`` is emptied as its files are handed over, and no variable here keeps a file's bytes
    once handed over: a failure's traceback keeps the frames it passed through alive (until the
    garbage collector finds the cycle through the future), and six 249 MB files were kept so.
    """
    while items:
        item, payload, sha256 = items.pop(0)
        pool = new_pool(1)
        future = pool.submit(prepare_file, payload, item.name, options[0], True, options[1])
        del payload
        try:
            activities = future.result()
        except BrokenExecutor:
            writer.fail(
                item,
                sha256,
                f"{item.name}: the reader crashed on this file (its worker process died); skipped",
            )
            pool.shutdown(wait=False, cancel_futures=True)
            continue
        except BaseException as exc:  # an ordinary failure: report it as finish would
            pool.shutdown(wait=True)
            writer.finish(item, sha256, lambda e=exc: _raise(e))
            continue
        pool.shutdown(wait=True)
        writer.finish(item, sha256, lambda a=activities: a)


def _raise(exc: BaseException) -> list[Activity]:
    raise exc


def _store_summaries(writer: _Writer, export: OpenExport) -> None:
    for summary in export.summaries:
        label = f"{export.label}/{summary.key}"
        if export.is_consumed(summary):
            writer.tracker.tick(label)
        else:
            writer.save_summary(label, summary.activity, summary.sha256)


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
