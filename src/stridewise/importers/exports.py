"""Whole exports (Garmin Connect, Strava, any zip of activity files) as one import unit.

An export is read in three parts, so that the importer can keep its one pipeline:

* what it knows up front: shoes, daily resting heart rates and the summaries of its activities
  (``summaries``), read from its JSON and CSV files when it is opened;
* its activity files (``files``), read one by one from the archive or folder, including the files
  inside nested part zips, and decoded by the ordinary readers like any other file;
* what links the two: ``claim`` finds the summaries a decoded file describes (Garmin: by start
  time, Strava: by file name) so their name, shoe and surface are merged into the recording;
  the summaries nobody claimed are imported at the end as summary-only activities.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from stridewise.archive import MAX_NESTING_DEPTH, Source, is_activity_name
from stridewise.errors import CorruptFile, StridewiseError
from stridewise.model import Activity


@dataclass(frozen=True)
class ExportShoe:
    """A pair of shoes an export lists."""

    name: str
    limit_km: float | None = None  # [km]
    retired_on: date | None = None


@dataclass
class ExportSummary:
    """An activity an export lists without records (a Strava row, a Garmin summary)."""

    key: str  # what the runner sees, e.g. "summarizedActivities.json #1234"
    activity: Activity
    sha256: str  # of the summary's own content: its import-log key
    file_name: str | None = None  # Strava: the export's file for this row


@dataclass(frozen=True)
class ExportFile:
    """One activity file inside an export."""

    source: Source
    name: str  # entry name inside ``source``
    label: str  # path the runner sees and the import log keeps


@dataclass(frozen=True)
class ExportPart:
    """A nested archive was opened: it holds ``count`` activity files (for the progress total)."""

    label: str
    count: int


@dataclass(frozen=True)
class ExportProblem:
    """Something inside the export that cannot be read (a refused nested archive, bad JSON)."""

    label: str
    error: str


ExportItem = ExportFile | ExportPart | ExportProblem


@dataclass
class Export:
    """A tree of activity files with no summaries: a zip of FIT files, a Garmin upload part."""

    source: Source
    kind: str = "archive"
    shoes: list[ExportShoe] = field(default_factory=list)
    resting_heart_rates: list[tuple[str, float]] = field(default_factory=list)  # (date, bpm)
    summaries: list[ExportSummary] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    _consumed: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.source.label

    def known_file_count(self) -> int:
        """Activity files directly in the tree (nested parts add theirs when opened)."""
        return sum(1 for name in self.source.names() if is_activity_name(name))

    def files(self) -> Iterator[ExportItem]:
        """Every activity file, those in nested zips included (each part opened in turn)."""
        names = self.source.names()
        for name in names:
            if is_activity_name(name):
                yield ExportFile(self.source, name, f"{self.label}/{name}")
        for name in names:
            if name.lower().endswith(".zip"):
                yield from self._nested_files(name)

    def _nested_files(self, name: str) -> Iterator[ExportItem]:
        label = f"{self.label}/{name}"
        try:
            part = self.source.open_nested(name)
        except StridewiseError as exc:
            yield ExportProblem(label, str(exc))
            return
        try:
            inner = part.names()
            activity_names = [n for n in inner if is_activity_name(n)]
            yield ExportPart(part.label, len(activity_names))
            for inner_name in activity_names:
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

    def claim(
        self, file: ExportFile, activities: list[Activity]
    ) -> list[tuple[Activity, ExportSummary]]:
        """``(activity, summary)`` for each of ``activities`` (decoded from ``file``) that an
        unclaimed summary describes."""
        return []

    def consume(self, summaries: list[ExportSummary]) -> None:
        """Mark summaries as merged into a stored recording."""
        self._consumed.update(summary.sha256 for summary in summaries)

    def is_consumed(self, summary: ExportSummary) -> bool:
        return summary.sha256 in self._consumed

    def remaining_summaries(self) -> list[ExportSummary]:
        """Summaries no file claimed: imported as summary-only activities."""
        return [s for s in self.summaries if s.sha256 not in self._consumed]

    def close(self) -> None:
        self.source.close()


#: Values a summary may bring into a recording that sanity checks against the recording's own
#: (an average heart rate against its samples, a distance against its duration, a sport against
#: its speeds).
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
    filled, and the account's name, shoe, notes and RPE win (``dedupe.account_overrides``).

    The summary was cleaned alone when the export was opened; what it adds is checked again
    with the recording (``sanity.clean_activity``), so nothing impossible is merged in.
    """
    from stridewise.dedupe import merge_into
    from stridewise.sanity import clean_activity

    changes = merge_into(activity, summary.activity)
    if changes.keys() & _CHECKED_FIELDS:
        clean_activity(activity)


def export_kind(names: list[str]) -> str | None:
    """'garmin', 'strava' or None, from the file names of an archive or folder tree."""
    lowers = [name.lower().replace("\\", "/") for name in names]
    for name in lowers:
        if (
            name.endswith("summarizedactivities.json")
            or "di_connect/" in f"/{name}"
            or "di-connect-uploaded-files/" in name
        ):
            return "garmin"
    basenames = {PurePosixPath(name).name for name in lowers}
    if "activities.csv" in basenames and (
        basenames & {"profile.csv", "shoes.csv", "bikes.csv"}
        or any("/activities/" in f"/{name}" and is_activity_name(name) for name in lowers)
    ):
        return "strava"
    return None


def folder_export_kind(folder: Path) -> str | None:
    """'garmin' or 'strava' when ``folder`` is the top of an unpacked export, else None."""
    if folder.name == "DI_CONNECT" or (folder / "DI_CONNECT").is_dir():
        return "garmin"
    if (folder / "activities.csv").is_file() and (
        (folder / "activities").is_dir()
        or (folder / "profile.csv").is_file()
        or (folder / "shoes.csv").is_file()
    ):
        return "strava"
    return None


def open_export(source: Source, kind: str, *, default_timezone: str | None = None) -> Export:
    """Read what an export knows up front (summaries, shoes, resting HR): ready to import.

    The summaries pass ``sanity`` as a file's activities do: impossible values are left out
    with a warning, and a summary that cannot be stored at all (a start before 1990, a
    duration over 48 hours) is left out as a problem of the export.
    """
    if kind == "garmin":
        from stridewise.importers.garmin_export import open_garmin_export

        export: Export = open_garmin_export(source, default_timezone=default_timezone)
    elif kind == "strava":
        from stridewise.importers.strava_export import open_strava_export

        export = open_strava_export(source, default_timezone=default_timezone)
    else:
        return Export(source)
    clean_summaries(export)
    return export


def clean_summaries(export: Export) -> None:
    """Clean every summary in place (``sanity.clean_activities``); move those refused to
    ``export.problems``, named by the export and the summary."""
    from stridewise.sanity import clean_activities

    kept: list[ExportSummary] = []
    for summary in export.summaries:
        label = f"{export.label}/{summary.key}"
        try:
            clean_activities([summary.activity], label)
        except CorruptFile as exc:
            export.problems.append(ExportProblem(label, str(exc)))
            continue
        kept.append(summary)
    export.summaries = kept
