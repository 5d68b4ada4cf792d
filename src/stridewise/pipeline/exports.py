"""Whole exports (Garmin Connect, Strava, any zip or folder of activity files) as one import unit.

An export is read in three parts, so that the pipeline keeps its one path for files:

* what it knows up front — shoes, daily wellness and the summaries of its activities — read by
  the export's reader (``importers.garmin_export``, ``importers.strava_export``) when it is opened,
  and cleaned here like any activity;
* its activity files (``OpenExport.files``), read one by one from the archive or folder,
  including the files inside nested part zips, and decoded by the ordinary readers;
* what links the two: ``claim`` finds the summaries a decoded file describes (Garmin: by start
  time, Strava: by the file a row names), so that their name, shoe and surface are merged into
  the recording; the summaries nobody claimed are imported at the end as summary-only
  activities.
"""

from __future__ import annotations

import bisect
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from stridewise.archive import (
    MAX_NESTING_DEPTH,
    FolderSource,
    Source,
    ZipSource,
    is_activity_name,
)
from stridewise.errors import CorruptFile, StridewiseError
from stridewise.importers.dispatch import is_supported
from stridewise.importers.exports import (
    MATCH_BY_FILE_NAME,
    ExportContents,
    ExportProblem,
    ExportSummary,
    export_kind,
    folder_export_kind,
)
from stridewise.inputs import regular_file_problem
from stridewise.model import Activity
from stridewise.pipeline.cleaning import clean_activities, clean_activity
from stridewise.pipeline.files import unsupported_reason
from stridewise.pipeline.merging import START_TOLERANCE_S, merge_into, sports_agree

if TYPE_CHECKING:
    from stridewise.importers.apple_health import AppleHealthExport

# The readers of Garmin, Strava and Apple Health exports are imported when an export comes:
# importing one activity file loads none of them.


@dataclass(frozen=True)
class ExportFile:
    """One file inside an export, to be decoded like a file on disk."""

    source: Source
    name: str  # entry name inside ``source``
    label: str  # path the runner sees and the import log keeps


@dataclass(frozen=True)
class ExportPart:
    """A nested archive was opened: it holds ``count`` files to import (for the progress total)."""

    label: str
    count: int


ExportItem = ExportFile | ExportPart | ExportProblem


@dataclass
class OpenExport:
    """An export during an import: its tree of files and what its readers found up front."""

    source: Source
    contents: ExportContents
    _consumed: set[str] = field(default_factory=set)
    _by_start: list[ExportSummary] | None = None
    _starts: list[float] = field(default_factory=list)  # start times of _by_start [s since 1970]
    _by_file: dict[str, ExportSummary] | None = None
    #: entries of the tree (nested parts included, once opened) not imported, counted by reason
    not_imported: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.source.label

    @property
    def kind(self) -> str:
        return self.contents.kind

    @property
    def summaries(self) -> list[ExportSummary]:
        return self.contents.summaries

    def _is_import_file(self, name: str) -> bool:
        """Activity files always; in a plain archive every supported file (a runner's CSV log
        beside the FIT files), while an export's own CSVs were read as its lists already."""
        if is_activity_name(name):
            return True
        return self.kind == "archive" and name.lower().endswith(".csv") and is_supported(name)

    def known_file_count(self) -> int:
        """Files to import directly in the tree (nested parts add theirs when opened)."""
        return sum(1 for name in self.source.names() if self._is_import_file(name))

    def files(self) -> Iterator[ExportItem]:
        """Every file to import, those in nested zips included (each part opened in turn); the
        other entries are counted in ``not_imported``."""
        names = self.source.names()
        for name in names:
            if self._is_import_file(name):
                yield ExportFile(self.source, name, f"{self.label}/{name}")
            elif not name.lower().endswith(".zip"):
                self._not_imported(name)
        for name in names:
            if name.lower().endswith(".zip"):
                yield from self._nested_files(name)

    def _not_imported(self, name: str) -> None:
        if self.kind == "archive":
            reason = unsupported_reason(name)
        else:  # its lists were read when it was opened; the rest holds no activity
            reason = f"other files of the {self.kind.capitalize()} export (lists, settings, media)"
        self.not_imported[reason] = self.not_imported.get(reason, 0) + 1

    def _nested_files(self, name: str) -> Iterator[ExportItem]:
        label = f"{self.label}/{name}"
        try:
            part = self.source.open_nested(name)
        except StridewiseError as exc:
            yield ExportProblem(label, str(exc))
            return
        try:
            inner = part.names()
            wanted = [n for n in inner if self._is_import_file(n)]
            for inner_name in set(inner).difference(wanted):
                if not inner_name.lower().endswith(".zip"):
                    self._not_imported(inner_name)
            yield ExportPart(part.label, len(wanted))
            for inner_name in wanted:
                yield ExportFile(part, inner_name, f"{part.label}/{inner_name}")
            for inner_name in inner:
                if inner_name.lower().endswith(".zip"):
                    yield ExportProblem(
                        f"{part.label}/{inner_name}",
                        f"{part.label}/{inner_name}: a zip inside a zip inside a zip; archives "
                        f"nested more than {MAX_NESTING_DEPTH} deep are refused",
                    )
        finally:
            part.close()

    # -- pairing files with their summaries -------------------------------------------------
    def claim(
        self, file: ExportFile, activities: list[Activity]
    ) -> list[tuple[Activity, ExportSummary]]:
        """``(activity, summary)`` for each of ``activities`` (decoded from ``file``) that an
        unclaimed summary describes."""
        if not self.summaries or not activities:
            return []
        if self.contents.match == MATCH_BY_FILE_NAME:
            return self._claim_by_file_name(file, activities)
        return self._claim_by_start(activities)

    def _claim_by_file_name(
        self, file: ExportFile, activities: list[Activity]
    ) -> list[tuple[Activity, ExportSummary]]:
        """The row naming this file, paired with the file's activity nearest to it in time."""
        from stridewise.importers.strava_export import file_key

        if self._by_file is None:
            self._by_file = {
                file_key(s.file_name): s for s in reversed(self.summaries) if s.file_name
            }
        summary = self._by_file.get(file_key(file.name))
        if summary is None or self.is_consumed(summary):
            return []
        nearest = min(
            activities,
            key=lambda a: abs((a.start_utc - summary.activity.start_utc).total_seconds()),
        )
        return [(nearest, summary)]

    def _claim_by_start(self, activities: list[Activity]) -> list[tuple[Activity, ExportSummary]]:
        """For each activity, the unclaimed summary nearest in start time: of the same sport
        within the merging tolerance, else of any sport within ``ANY_SPORT_TOLERANCE_S`` (an
        account names some sports differently from the FIT file)."""
        from stridewise.importers.garmin_export import ANY_SPORT_TOLERANCE_S

        pairs: list[tuple[Activity, ExportSummary]] = []
        taken: set[str] = set()
        for activity in activities:
            if activity.sport == "transition":  # multisport transitions have no summary
                continue
            best = self._nearest(activity, taken, same_sport=True, tolerance_s=START_TOLERANCE_S)
            if best is None:
                best = self._nearest(
                    activity, taken, same_sport=False, tolerance_s=ANY_SPORT_TOLERANCE_S
                )
            if best is not None:
                taken.add(best.sha256)
                pairs.append((activity, best))
        return pairs

    def _nearest(
        self, activity: Activity, taken: set[str], *, same_sport: bool, tolerance_s: float
    ) -> ExportSummary | None:
        if self._by_start is None or len(self._by_start) != len(self.summaries):
            self._by_start = sorted(self.summaries, key=lambda s: s.activity.start_utc)
            self._starts = [s.activity.start_utc.timestamp() for s in self._by_start]
        moment = activity.start_utc.timestamp()
        low = bisect.bisect_left(self._starts, moment - tolerance_s)
        high = bisect.bisect_right(self._starts, moment + tolerance_s)
        best: ExportSummary | None = None
        best_gap = tolerance_s
        for summary, start in zip(self._by_start[low:high], self._starts[low:high], strict=True):
            if self.is_consumed(summary) or summary.sha256 in taken:
                continue
            if same_sport and not sports_agree(summary.activity.sport, activity.sport):
                continue
            if abs(start - moment) <= best_gap:
                best, best_gap = summary, abs(start - moment)
        return best

    def consume(self, summaries: list[ExportSummary]) -> None:
        """Mark summaries as merged into a stored recording."""
        self._consumed.update(summary.sha256 for summary in summaries)

    def is_consumed(self, summary: ExportSummary) -> bool:
        return summary.sha256 in self._consumed

    def close(self) -> None:
        self.source.close()


#: Values a summary may bring into a recording that the cleaning checks against the recording's
#: own (an average heart rate against its samples, a distance against its duration, a sport
#: against its speeds).
_CHECKED_FIELDS = frozenset(
    {
        "elapsed_s",
        "timer_s",
        "distance_m",
        "ascent_m",
        "avg_heart_rate_bpm",
        "max_heart_rate_bpm",
        "avg_cadence_spm",
        "rpe",
        "sport",
    }
)


def apply_summary(activity: Activity, summary: ExportSummary) -> None:
    """Merge an export's summary into the activity decoded from the file it describes: gaps are
    filled, and the account's name, shoe, notes and RPE win (``merging.account_overrides``).

    The summary was cleaned alone when the export was opened; what it adds is checked again
    with the recording (``cleaning.clean_activity``), so nothing impossible is merged in.
    """
    changes = merge_into(activity, summary.activity)
    if changes.keys() & _CHECKED_FIELDS:
        clean_activity(activity)


def open_export(
    path: Path, default_timezone: str | None
) -> OpenExport | AppleHealthExport | None:
    """Open a folder, zip or ``export.xml`` as an export (None for a plain file or a
    one-activity zip). An Apple Health export is recognised first: it is read apart (its
    activities come from its XML, not from files; ``import_apple_health``).

    Anything but a folder or a regular file (a FIFO or ``/dev/zero`` named ``x.zip``) is left to
    the plain-file path, which refuses it in one line: opening it as a zip would block or read
    without end."""
    if not path.is_dir() and regular_file_problem(path) is not None:
        return None
    if is_apple_health(path):
        from stridewise.importers.apple_health import open_apple_health

        return open_apple_health(path)
    if path.is_dir():
        folder = FolderSource(path)
        kind = folder_export_kind(path) or export_kind(folder.names()) or "archive"
        return _opened(folder, kind, default_timezone)
    if not path.name.lower().endswith(".zip"):
        return None
    archive = ZipSource(path, str(path), depth=1)
    try:
        names = archive.names()
        kind = export_kind(names)
        if kind is None:
            files = sum(1 for name in names if is_activity_name(name) or _is_csv(name))
            nested = any(name.lower().endswith(".zip") for name in names)
            if files <= 1 and not nested and not any(_is_csv(name) for name in names):
                archive.close()  # a one-activity zip ("export original"): a plain file
                return None
            kind = "archive"
        return _opened(archive, kind, default_timezone)
    except BaseException:
        archive.close()
        raise


def is_apple_health(path: Path) -> bool:
    """Whether a path is an Apple Health export: the unpacked folder, its ``export.zip`` (told
    from the entry names alone, before the archive checks: a real export may be larger than
    other archives are allowed to be; the Apple reader applies its own caps), or ``export.xml``."""
    lower = path.name.lower()
    if not (lower.endswith((".zip", ".xml")) or path.is_dir()):
        return False  # a plain activity file: the Apple Health reader is not even loaded
    from stridewise.importers import apple_health

    if path.is_dir():
        return apple_health.is_apple_health_folder(path)
    if lower.endswith(".zip") and regular_file_problem(path) is None:
        try:
            with zipfile.ZipFile(path) as archive:
                return apple_health.is_apple_health_zip(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return False  # not a zip: the ordinary path says what is wrong with it
    if lower.endswith(".xml") and regular_file_problem(path) is None:
        try:
            with path.open("rb") as handle:
                return apple_health.looks_like_apple_health_xml(handle.read(64 * 1024))
        except OSError:
            return False
    return False


def _is_csv(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() == ".csv"


def _opened(source: Source, kind: str, default_timezone: str | None) -> OpenExport:
    """Read what an export knows up front and clean its summaries."""
    if kind == "garmin":
        from stridewise.importers.garmin_export import read_garmin_export

        contents = read_garmin_export(source, default_timezone=default_timezone)
    elif kind == "strava":
        from stridewise.importers.strava_export import read_strava_export

        contents = read_strava_export(source, default_timezone=default_timezone)
    else:
        contents = ExportContents(kind="archive")
    clean_summaries(contents, source.label)
    return OpenExport(source, contents)


def clean_summaries(contents: ExportContents, label: str) -> None:
    """Clean every summary in place (``cleaning.clean_activities``); move those refused to
    ``contents.problems``, named by the export and the summary."""
    kept: list[ExportSummary] = []
    for summary in contents.summaries:
        summary_label = f"{label}/{summary.key}"
        try:
            clean_activities([summary.activity], summary_label)
        except CorruptFile as exc:
            contents.problems.append(ExportProblem(summary_label, str(exc)))
            continue
        kept.append(summary)
    contents.summaries = kept
