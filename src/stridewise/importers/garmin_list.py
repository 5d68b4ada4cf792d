"""Garmin Connect's Activities.csv: one summary-only activity per row, through the CSV text layer.

Garmin Connect's web list ("Export CSV" under Activities) holds the totals of each activity and
no per-second records, so every row becomes a summary-only activity; when the recording itself
arrives too, ``stridewise.dedupe`` keeps the recording and merges the row's name into it.

The header varies by account, year and language (English, Danish, German, ... are listed; any
other language is read by the order every Garmin list starts with). ``--`` means missing,
thousands separators (``"1,706"``) and decimal commas occur, and ``Date`` is local wall-clock
time without an offset: it is converted with the profile's time zone. Distances follow the
account's units (km or miles, told from the runner's own steps), ascent is in metres or feet,
pool swims in metres or yards. Text, delimiter, decimal mark, numbers, durations and dates are the
CSV layer's (``stridewise.csvtext``).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    slash_order,
    to_utc,
    wall_clock_note,
)
from stridewise.errors import CorruptFile, SkippedFile
from stridewise.importers.activity_types import sport_of
from stridewise.model import Activity
from stridewise.units import (
    FEET_PER_MILE,
    METRES_PER_FOOT,
    METRES_PER_KM,
    METRES_PER_MILE,
    METRES_PER_YARD,
    closest_unit,
)

#: What the list may hold: the CSV layer's limits.
LIMITS = Limits("Garmin Connect's Activities.csv")

_G_TYPE = (
    "Activity Type",
    "Aktivitetstype",
    "Aktivitätstyp",
    "Type d'activité",
    "Tipo di attività",
    "Tipo de actividad",
    "Activiteittype",
)
_G_DATE = ("Date", "Dato", "Datum", "Data", "Fecha")
_G_TITLE = ("Title", "Titel", "Titre", "Titolo", "Título")
_G_DISTANCE = ("Distance", "Distanz", "Afstand", "Distanza", "Distancia")
_G_TIME = ("Time", "Tid", "Zeit", "Temps", "Tempo", "Tiempo", "Tijd")
_G_MOVING = ("Moving Time", "Bevægelsestid", "Zeit in Bewegung")
_G_ELAPSED = ("Elapsed Time", "Forløbet tid", "Verstrichene Zeit")
_G_AVG_HR = ("Avg HR", "Gennemsnitlig puls", "Ø Herzfrequenz", "FC moyenne")
_G_MAX_HR = ("Max HR", "Maks. puls", "Maximale Herzfrequenz", "Max. Herzfrequenz", "FC max.")
_G_CADENCE = ("Avg Run Cadence", "Gennemsnit kadence løb", "Ø Schrittfrequenz (Laufen)")
_G_ASCENT = ("Total Ascent", "Højdeforøgelse", "Anstieg gesamt", "Gesamtanstieg")
_G_STRIDE = ("Avg Stride Length", "Gennemsnitlig skridtlængde", "Ø Schrittlänge")
_G_STEPS = ("Steps", "Skridt", "Schritte")
_G_FAVORITE_PREFIX = "favo"  # Favorite, Favorit, Favori, Favoriet, Favorito


@dataclass
class _GarminColumns:
    type: int | None
    date: int | None
    title: int | None
    distance: int | None
    time: int | None
    moving: int | None
    elapsed: int | None
    avg_hr: int | None
    max_hr: int | None
    cadence: int | None
    ascent: int | None
    stride: int | None
    steps: int | None

    def numeric_columns(self) -> list[int]:
        candidates = (
            self.distance,
            self.avg_hr,
            self.max_hr,
            self.cadence,
            self.ascent,
            self.stride,
            self.steps,
        )
        return [i for i in candidates if i is not None]


def _garmin_columns(columns: Columns, source_name: str) -> _GarminColumns:
    found = _GarminColumns(
        type=columns.find(_G_TYPE),
        date=columns.find(_G_DATE),
        title=columns.find(_G_TITLE),
        distance=columns.find(_G_DISTANCE),
        time=columns.find(_G_TIME),
        moving=columns.find(_G_MOVING),
        elapsed=columns.find(_G_ELAPSED),
        avg_hr=columns.find(_G_AVG_HR),
        max_hr=columns.find(_G_MAX_HR),
        cadence=columns.find(_G_CADENCE),
        ascent=columns.find(_G_ASCENT),
        stride=columns.find(_G_STRIDE),
        steps=columns.find(_G_STEPS),
    )
    favorite_third = len(columns.names) > 6 and columns.names[2].startswith(_G_FAVORITE_PREFIX)
    if favorite_third and None in (found.type, found.date, found.distance, found.time):
        # a language not listed above: every Garmin list starts Type, Date, Favorite, Title,
        # Distance, Calories, Time
        found.type = found.type if found.type is not None else 0
        found.date = found.date if found.date is not None else 1
        found.title = found.title if found.title is not None else 3
        found.distance = found.distance if found.distance is not None else 4
        found.time = found.time if found.time is not None else 6
    if found.date is None:
        raise CorruptFile(
            f"{source_name}: no 'Date' column; is this Garmin Connect's Activities.csv?"
        )
    return found


def read_garmin_activities(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """A Garmin Connect Activities.csv: one summary-only activity per row.

    ``Date`` is local wall-clock time: with ``default_timezone`` (IANA name) it becomes UTC with
    a known offset; without, the offset stays unknown (start kept as the wall-clock time, with a
    warning). Distances are in km or miles as the account was set: told from stride length x
    steps (or cadence x time) against the distance, km with a warning when the file cannot say.
    """
    table = read_table(data, source_name, LIMITS)
    return activities_from_table(table, source_name, default_timezone=default_timezone)


def activities_from_table(
    table: Table, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """``read_garmin_activities`` of a file already split by ``csvtext.read_table``."""
    zone = checked_zone(default_timezone)
    check_table(table, LIMITS, source_name)  # again, when read before its kind was known
    if table.empty:
        raise SkippedFile(f"{source_name}: the file is empty")
    rows = table.rows
    where = _garmin_columns(Columns(table.header), source_name)
    numeric = [cells[i] for _, cells in rows for i in where.numeric_columns() if i < len(cells)]
    mark = decimal_mark(numeric, table.delimiter)
    slash_day_first = slash_order(
        ((number, cell(cells, where.date) or "") for number, cells in rows), source_name
    )
    unit_m, warning = _garmin_distance_unit(rows, where, mark)
    imperial = unit_m == METRES_PER_MILE
    activities: list[Activity] = []
    problems: list[str] = []
    for row_number, cells in rows:
        try:
            activity = _garmin_row(cells, where, mark, slash_day_first, unit_m, imperial, zone)
        except ValueError:  # csvtext.CellError
            problems.append(f"row {row_number}: date {cell(cells, where.date)!r} cannot be read")
            continue
        activity.warnings = [f"row {row_number}: {w}" for w in activity.warnings]
        activities.append(activity)
    if not activities:
        if problems:
            raise CorruptFile(f"{source_name}: no row has a readable date ({problems[0]})")
        raise SkippedFile(f"{source_name}: the list holds no activities")
    notes = [w for w in (table.warning, warning) if w]
    if zone is None:
        notes.append(
            "Garmin's Date column is local time and the profile has no time zone: the local "
            "dates are kept, the UTC offset is unknown (set timezone under [athlete])"
        )
    activities[0].warnings.extend([*notes, *(f"{p}; row left out" for p in problems)])
    return activities


def _garmin_row(
    cells: list[str],
    where: _GarminColumns,
    mark: str,
    slash_day_first: bool | None,
    unit_m: float,
    imperial: bool,
    zone: str | None,
) -> Activity:
    # local wall-clock time; without a zone it is kept as if UTC, its offset unknown
    local = parse_datetime(cell(cells, where.date) or "", slash_day_first)
    start, offset = to_utc(local, zone)
    sport, sub_sport, surface, surface_source = sport_of(cell(cells, where.type))
    shown = parse_number(cell(cells, where.distance), mark)
    if shown is None:
        distance_m = None
    elif sport == "swimming":  # pools count in metres or yards, not km or mi
        distance_m = shown * (METRES_PER_YARD if imperial else 1.0)
    else:
        distance_m = shown * unit_m
    ascent = parse_number(cell(cells, where.ascent), mark)
    timer = parse_duration_s(cell(cells, where.time), mark)
    elapsed = parse_duration_s(cell(cells, where.elapsed), mark) or timer
    title = cell(cells, where.title)
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        surface=surface,
        surface_source=surface_source,
        start_utc=start,
        utc_offset_s=offset,
        elapsed_s=elapsed,
        timer_s=timer,
        moving_s=parse_duration_s(cell(cells, where.moving), mark),
        distance_m=distance_m,
        ascent_m=None if ascent is None else ascent * (METRES_PER_FOOT if imperial else 1.0),
        avg_heart_rate_bpm=parse_number(cell(cells, where.avg_hr), mark),
        max_heart_rate_bpm=parse_number(cell(cells, where.max_hr), mark),
        avg_cadence_spm=parse_number(cell(cells, where.cadence), mark),  # already steps/min
        name=title,
        source_format="garmin-csv",
        warnings=[note] if (note := wall_clock_note(local, zone)) else [],
    )


#: Stride length x steps / Distance, for each unit it can be: metres per km, metres per mile, and
#: feet per mile (some imperial lists give the stride in feet).
_UNITS = {
    METRES_PER_KM: METRES_PER_KM,
    METRES_PER_MILE: METRES_PER_MILE,
    FEET_PER_MILE: METRES_PER_MILE,
}
_UNKNOWN_UNIT = "km or miles cannot be told from this list (no stride data); read as km"


def _garmin_distance_unit(
    rows: list[Record], where: _GarminColumns, mark: str
) -> tuple[float, str | None]:
    """Metres per unit of Distance (km or mi), told from the runner's own steps.

    Average stride length [m, or ft in some imperial files] x steps (or x cadence [1/min] x time)
    is the distance walked in stride units; divided by the Distance value it gives the metres
    (1000), or metres (1609) or feet (5280) per mile.
    """
    ratios = []
    for _, cells in rows:
        shown = parse_number(cell(cells, where.distance), mark)
        stride = parse_number(cell(cells, where.stride), mark)
        if not shown or not stride or shown < 0.5 or stride <= 0:
            continue
        steps = parse_number(cell(cells, where.steps), mark)
        if not steps:
            cadence = parse_number(cell(cells, where.cadence), mark)
            minutes = (parse_duration_s(cell(cells, where.time), mark) or 0) / 60
            steps = cadence * minutes if cadence else None
        if steps:
            ratios.append(stride * steps / shown)
    unit = closest_unit(ratios, _UNITS)
    if unit is None:
        return METRES_PER_KM, _UNKNOWN_UNIT
    return unit, None
