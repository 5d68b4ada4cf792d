"""What a whole export (Garmin Connect, Strava) holds besides its activity files, as plain data.

An export reader (``garmin_export``, ``strava_export``) reads the export's JSON and CSV members
into an ``ExportContents``: the shoes, the daily wellness values and the summaries of its
activities, and how a summary is matched with its recording (``match``). It decodes only;
opening the export, pairing its files with their summaries, cleaning and saving belong to the
import pipeline (``stridewise.pipeline``).

This module also recognises exports from the names in a tree (``export_kind``,
``folder_export_kind``), which the pipeline asks before it opens a zip or a folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from stridewise.archive import is_activity_name
from stridewise.model import Activity


@dataclass(frozen=True)
class ExportShoe:
    """A pair of shoes an export lists."""

    name: str
    limit_km: float | None = None  # [km]
    retired_on: date | None = None


@dataclass(frozen=True)
class WellnessDay:
    """One day of what a watch measured outside activities; None where nothing was recorded."""

    date: str  # local ISO date
    resting_hr_bpm: float | None = None  # [1/min]
    hrv_sdnn_ms: float | None = None  # [ms]
    sleep_s: float | None = None  # asleep time of the night that ended on this date [s]


@dataclass
class ExportSummary:
    """An activity an export lists without records (a Strava row, a Garmin summary)."""

    key: str  # what the runner sees, e.g. "summarizedActivities.json #1234"
    activity: Activity
    sha256: str  # of the summary's own content: its import-log key
    file_name: str | None = None  # Strava: the export's file for this row


@dataclass(frozen=True)
class ExportProblem:
    """Something inside the export that cannot be read (a refused nested archive, bad JSON)."""

    label: str
    error: str


#: How an export's summaries find their recordings: by start time (Garmin names its uploaded
#: files by upload id, which says nothing about the activity) or by the file a row names (Strava).
MATCH_BY_START = "start"
MATCH_BY_FILE_NAME = "file_name"


@dataclass
class ExportContents:
    """What an export knows up front, read from its JSON and CSV members."""

    kind: str  # "garmin", "strava", or "archive" for a plain zip or folder of activity files
    match: str = MATCH_BY_START
    shoes: list[ExportShoe] = field(default_factory=list)
    wellness: list[WellnessDay] = field(default_factory=list)
    summaries: list[ExportSummary] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    #: what the export says about the runner: birth_year, sex, max_hr, lthr_bpm (the runner's
    #: own profile overrides each)
    facts: dict[str, object] = field(default_factory=dict)


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
