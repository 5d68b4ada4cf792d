"""Strava's activities.csv: one summary-only activity per row, read through the CSV text layer.

The list holds every activity of the account with its totals and no per-second records, so every
row becomes a summary-only activity; when the recording itself arrives too (the export's file, a
FIT file), ``stridewise.dedupe`` keeps the recording and merges the row's name, shoe and surface
into it. ``importers.strava_export`` links rows to the export's files through ``StravaRow``.

Columns are found by name and occurrence, never by position or count: the current header repeats
names (the first ``Distance`` is in the runner's display unit, the second in metres) and is
localised (English and German here); exports before mid-2019 use ``id,date,...,filename`` in
metres. ``Activity Date`` is UTC. Text, delimiter, decimal mark, numbers, durations and dates are
the CSV layer's (``stridewise.csvtext``): a list Excel saved as UTF-16 or with ``;`` reads alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from stridewise.csvtext import (
    Columns,
    Limits,
    Record,
    Table,
    cell,
    check_table,
    checked_zone,
    decimal_mark,
    parse_datetime,
    parse_duration_s,
    parse_number,
    read_table,
    row_sha256,
    slash_order,
    to_utc,
)
from stridewise.errors import CorruptFile, SkippedFile
from stridewise.importers.activity_types import sport_of
from stridewise.localtime import offset_in_zone
from stridewise.model import Activity
from stridewise.units import METRES_PER_KM, METRES_PER_MILE, closest_unit

#: Longest cell of the list [characters]: a description may be a whole race report, and Strava
#: states no limit; the csv module's own is 131,072.
MAX_CELL_CHARS = 100_000
#: What the list may hold; the other limits are the CSV layer's.
LIMITS = Limits("Strava's activities.csv", cell_chars=MAX_CELL_CHARS)

_S_ID = ("Activity ID", "Aktivitäts-ID", "id")
_S_DATE = ("Activity Date", "Aktivitätsdatum", "date")
_S_NAME = ("Activity Name", "Name der Aktivität", "Aktivitätsname", "name")
_S_TYPE = ("Activity Type", "Aktivitätsart", "type")
_S_DESCRIPTION = (
    "Activity Description",
    "Aktivitätsbeschreibung",
    "Beschreibung der Aktivität",
    "description",
)
_S_ELAPSED = ("Elapsed Time", "Verstrichene Zeit", "elapsed_time")
_S_MOVING = ("Moving Time", "Bewegungszeit")
_S_DISTANCE = ("Distance", "Distanz", "distance")
_S_GEAR = ("Activity Gear", "Aktivitätsausrüstung")
_S_OLD_GEAR = ("gear",)
_S_FILENAME = ("Filename", "Dateiname", "filename")
_S_AVG_HR = ("Average Heart Rate", "Durchschnittliche Herzfrequenz")
_S_MAX_HR = ("Max Heart Rate", "Max. Herzfrequenz", "Maximale Herzfrequenz")
_S_CADENCE = ("Average Cadence", "Durchschnittliche Trittfrequenz")
_S_ASCENT = ("Elevation Gain", "Höhenzunahme")
_S_SPEED = ("Average Speed", "Durchschnittliche Geschwindigkeit")
_S_EFFORT = ("Perceived Exertion", "Wahrgenommene Anstrengung")


@dataclass
class StravaRow:
    """One row of Strava's activities.csv as a summary-only activity, with what links it on."""

    row_number: int
    activity_id: str | None
    activity: Activity
    file_name: str | None  # "activities/8474917700.fit.gz"; None for a manual entry
    sha256: str  # of the row's cells


def parse_strava_date(text: str, slash_day_first: bool | None = True) -> datetime:
    """A Strava ``Activity Date`` (UTC) in any layout the CSV layer reads ("Oct 6, 2022, 11:19:20
    PM", "20.09.2026, 14:12:12", "2017-03-04 08:12:45"); ``CellError`` (a ValueError) else."""
    return to_utc(parse_datetime(text, slash_day_first), None)[0]


def parse_strava_csv(
    data: bytes,
    source_name: str,
    *,
    default_timezone: str | None = None,
    foot_gear_only: bool = True,
) -> list[StravaRow]:
    """Every row of a Strava activities.csv (current, localised or pre-2019 layout).

    ``Activity Gear`` becomes the activity's shoe for on-foot sports (with ``foot_gear_only``; a
    ride's gear is a bike). A row whose date cannot be read is left out with a warning on the
    first activity; ``CorruptFile`` when the date or type column is missing.
    """
    return parse_strava_table(
        read_table(data, source_name, LIMITS),
        source_name,
        default_timezone=default_timezone,
        foot_gear_only=foot_gear_only,
    )


def parse_strava_table(
    table: Table,
    source_name: str,
    *,
    default_timezone: str | None = None,
    foot_gear_only: bool = True,
) -> list[StravaRow]:
    """``parse_strava_csv`` of a file already split by ``csvtext.read_table``."""
    zone = checked_zone(default_timezone)
    check_table(table, LIMITS, source_name)  # again, when read before its kind was known
    if table.empty:
        raise SkippedFile(f"{source_name}: the file is empty")
    rows = table.rows
    columns = Columns(table.header)
    old_layout = (
        columns.find(("Activity ID", "Aktivitäts-ID")) is None
        and columns.find(("elapsed_time",)) is not None
    )
    where = _strava_columns(columns, old_layout, source_name)
    numeric = [cells[i] for _, cells in rows for i in where.numeric_columns() if i < len(cells)]
    mark = decimal_mark(numeric, table.delimiter)
    # Strava writes slash dates day-first only ("06/10/2022, 23:19:20"): that decides a list
    # whose days are all 12 or less
    slash_day_first = slash_order(
        ((number, cell(cells, where.date) or "") for number, cells in rows),
        source_name,
        default=True,
    )
    display_unit_m, unit_warning = _strava_display_unit(rows, where, mark)
    parsed: list[StravaRow] = []
    problems: list[str] = []
    for row_number, cells in rows:
        try:
            start = parse_strava_date(cell(cells, where.date) or "", slash_day_first)
        except ValueError:  # csvtext.CellError
            problems.append(f"row {row_number}: date {cell(cells, where.date)!r} cannot be read")
            continue
        parsed.append(
            _strava_row(cells, row_number, start, where, mark, display_unit_m, zone, foot_gear_only)
        )
    if not parsed:
        if problems:
            raise CorruptFile(f"{source_name}: no row has a readable date ({problems[0]})")
        raise SkippedFile(f"{source_name}: the list holds no activities")
    notes = [w for w in (table.warning, unit_warning) if w]
    extra = notes + [f"{p}; row left out" for p in problems]
    parsed[0].activity.warnings.extend(extra)
    return parsed


@dataclass
class _StravaColumns:
    id: int | None
    date: int
    name: int | None
    type: int | None
    description: int | None
    elapsed: int | None
    moving: int | None
    distance_display: int | None
    distance_m: int | None
    gear: int | None
    filename: int | None
    avg_hr: int | None
    max_hr: int | None
    cadence: int | None
    ascent: int | None
    speed: int | None
    effort: int | None

    def numeric_columns(self) -> list[int]:
        candidates = (
            self.distance_display,
            self.distance_m,
            self.elapsed,
            self.moving,
            self.avg_hr,
            self.max_hr,
            self.cadence,
            self.ascent,
            self.speed,
        )
        return [i for i in candidates if i is not None]


def _strava_columns(columns: Columns, old_layout: bool, source_name: str) -> _StravaColumns:
    date = columns.find(_S_DATE)
    if date is None:
        raise CorruptFile(
            f"{source_name}: no 'Activity Date' column; is this Strava's activities.csv?"
        )
    distances = columns.count(_S_DISTANCE)
    if old_layout:  # id,date,name,type,description,elapsed_time,distance,commute,gear,filename
        distance_display, distance_m = None, columns.find(_S_DISTANCE)
    elif distances >= 2:  # the first in km or mi, the second in metres
        distance_display, distance_m = columns.find(_S_DISTANCE), columns.find(_S_DISTANCE, 2)
    else:
        distance_display, distance_m = columns.find(_S_DISTANCE), None
    return _StravaColumns(
        id=columns.find(_S_ID),
        date=date,
        name=columns.find(_S_NAME),
        type=columns.find(_S_TYPE),
        description=columns.find(_S_DESCRIPTION),
        elapsed=columns.find(_S_ELAPSED),
        moving=columns.find(_S_MOVING),
        distance_display=distance_display,
        distance_m=distance_m,
        gear=columns.find(_S_GEAR) if not old_layout else columns.find(_S_OLD_GEAR),
        filename=columns.find(_S_FILENAME),
        avg_hr=columns.find(_S_AVG_HR),
        max_hr=columns.find(_S_MAX_HR),
        cadence=columns.find(_S_CADENCE),
        ascent=columns.find(_S_ASCENT),
        speed=columns.find(_S_SPEED),
        effort=columns.find(_S_EFFORT),
    )


_UNKNOWN_UNIT = "Distance has no metres column and its unit cannot be told; read as km"


def _strava_display_unit(
    rows: list[Record], where: _StravaColumns, mark: str
) -> tuple[float, str | None]:
    """Metres per display unit of the first Distance, needed only when no metres column exists.

    Told from Average Speed [m/s] x Moving Time against the display distance; km when unknown.
    """
    if where.distance_m is not None or where.distance_display is None:
        return METRES_PER_KM, None
    ratios = []
    for _, cells in rows:
        shown = parse_number(cell(cells, where.distance_display), mark)
        speed = parse_number(cell(cells, where.speed), mark)
        moving = parse_duration_s(cell(cells, where.moving), mark)
        if shown and speed and moving and shown > 0.5:
            ratios.append(speed * moving / shown)
    unit = closest_unit(ratios, {METRES_PER_KM: METRES_PER_KM, METRES_PER_MILE: METRES_PER_MILE})
    if unit is None:
        return METRES_PER_KM, _UNKNOWN_UNIT
    return unit, None


def _strava_row(
    cells: list[str],
    row_number: int,
    start: datetime,
    where: _StravaColumns,
    mark: str,
    display_unit_m: float,
    zone: str | None,
    foot_gear_only: bool,
) -> StravaRow:
    sport, sub_sport, surface, surface_source = sport_of(cell(cells, where.type))
    distance_m = parse_number(cell(cells, where.distance_m), mark)
    if distance_m is None:
        shown = parse_number(cell(cells, where.distance_display), mark)
        distance_m = None if shown is None else shown * display_unit_m
    cadence = parse_number(cell(cells, where.cadence), mark)
    if cadence is not None and sport == "running":
        cadence *= 2  # Strava's run cadence is strides per minute
    gear = cell(cells, where.gear)
    if gear and foot_gear_only and sport not in ("running", "walking", "hiking"):
        gear = None
    effort = parse_number(cell(cells, where.effort), mark)
    activity = Activity(
        sport=sport,
        sub_sport=sub_sport,
        surface=surface,
        surface_source=surface_source,
        start_utc=start,
        utc_offset_s=None if zone is None else offset_in_zone(zone, start),
        elapsed_s=parse_duration_s(cell(cells, where.elapsed), mark),
        timer_s=parse_duration_s(cell(cells, where.moving), mark),
        moving_s=parse_duration_s(cell(cells, where.moving), mark),
        distance_m=distance_m,
        ascent_m=parse_number(cell(cells, where.ascent), mark),
        avg_heart_rate_bpm=parse_number(cell(cells, where.avg_hr), mark),
        max_heart_rate_bpm=parse_number(cell(cells, where.max_hr), mark),
        avg_cadence_spm=cadence,
        name=cell(cells, where.name),
        shoe=re.sub(r"\s+", " ", gear).strip() if gear else None,
        notes=cell(cells, where.description),
        rpe=effort if effort is not None and 0 <= effort <= 10 else None,
        source_format="strava-csv",
    )
    file_name = cell(cells, where.filename)
    return StravaRow(
        row_number=row_number,
        activity_id=cell(cells, where.id),
        activity=activity,
        file_name=file_name.replace("\\", "/") if file_name else None,
        sha256=row_sha256("strava", cells),
    )


def read_strava_activities(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """A Strava activities.csv given alone: one summary-only activity per row."""
    table = read_table(data, source_name, LIMITS)
    return activities_from_table(table, source_name, default_timezone=default_timezone)


def activities_from_table(
    table: Table, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """``read_strava_activities`` of a file already split by ``csvtext.read_table``."""
    return [
        row.activity
        for row in parse_strava_table(table, source_name, default_timezone=default_timezone)
    ]
