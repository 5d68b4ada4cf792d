"""Account-level activity lists: Strava's activities.csv and Garmin Connect's Activities.csv.

Both list one activity a row with its totals and no per-second records, so every row becomes a
summary-only activity; when the recording itself arrives too (a FIT file, the export's file),
the import pipeline (``pipeline.merging``) keeps the recording and merges the row's name, shoe and
surface into it.

Columns are found by name and occurrence, never by position or count: Strava repeats names
(the first ``Distance`` is in the runner's display unit, the second in metres) and localises them
(English and German here; Garmin also Danish). Numbers may use decimal commas and thousands
separators (``"1,706"``), ``--`` and ``NaN`` mean missing. Strava's ``Activity Date`` is UTC;
Garmin's ``Date`` is local time without an offset, converted with the profile's time zone.

``read_csv`` is the dispatch point for every ``.csv`` file: these two lists come here, anything
else goes to the runner's-log reader (``csv_log``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridewise.errors import ConfigError, CorruptFile, SkippedFile
from stridewise.model import Activity

KM_M = 1000.0
MILE_M = 1609.344
FOOT_M = 0.3048
YARD_M = 0.9144

#: Values that mean "no value" in these lists.
_MISSING = frozenset({"", "--", "nan", "null", "none", "n/a"})


# --- dispatch -----------------------------------------------------------------------------------


def read_csv(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read any CSV: a Strava or Garmin Connect activity list here, a runner's log otherwise."""
    from stridewise.importers import csv_log

    kind = csv_log.detect_csv_kind(_header_cells(data))
    if kind == "strava":
        return read_strava_activities(data, source_name, default_timezone=default_timezone)
    if kind == "garmin":
        return read_garmin_activities(data, source_name, default_timezone=default_timezone)
    return csv_log.read_csv_log(data, source_name, default_timezone=default_timezone)


def _header_cells(data: bytes) -> list[str]:
    """The first record's cells (empty when the bytes are not text: the log reader says why)."""
    try:
        text = data[: 64 * 1024].decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    try:
        return next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    except csv.Error:
        return []


# --- shared: text, columns, numbers, durations --------------------------------------------------


def decode_text(data: bytes, source_name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel); never fails on a byte."""
    if b"\x00" in data[:4096]:
        raise CorruptFile(f"{source_name}: is a binary file, not CSV text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.lstrip("\ufeff")


def read_records(text: str, source_name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(row number, cells)`` rows; quoted cells may hold commas and line breaks."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        rows = [(number + 2, cells) for number, cells in enumerate(reader) if any(cells)]
    except StopIteration:
        raise SkippedFile(f"{source_name}: the file is empty") from None
    except csv.Error as exc:
        raise CorruptFile(f"{source_name}: not readable as CSV ({exc})") from exc
    return header, rows


def normalise_header(cell: str) -> str:
    """Header cell compared case-insensitively, without BOM, surrounding or doubled spaces."""
    return re.sub(r"\s+", " ", cell.replace("\ufeff", "")).strip().casefold()


class Columns:
    """Column positions by (name, occurrence): the n-th column carrying one of the names."""

    def __init__(self, header: Sequence[str]) -> None:
        self.names = [normalise_header(cell) for cell in header]

    def find(self, aliases: Sequence[str], occurrence: int = 1) -> int | None:
        """Index of the ``occurrence``-th (1-based) column named like one of ``aliases``."""
        wanted = {normalise_header(alias) for alias in aliases}
        seen = 0
        for index, name in enumerate(self.names):
            if name in wanted:
                seen += 1
                if seen == occurrence:
                    return index
        return None

    def count(self, aliases: Sequence[str]) -> int:
        wanted = {normalise_header(alias) for alias in aliases}
        return sum(name in wanted for name in self.names)


def cell(cells: Sequence[str], index: int | None) -> str | None:
    """A stripped cell, or None when the column is absent, short or holds a 'missing' mark."""
    if index is None or index >= len(cells):
        return None
    value = cells[index].strip()
    return None if value.casefold() in _MISSING else value


_DOT_DECIMAL = (
    re.compile(r"-?\d+\.\d+"),
    re.compile(r"-?\d{1,3}(,\d{3})+\.\d+"),
    re.compile(r"-?\d{1,3}(,\d{3}){2,}"),
)
_COMMA_DECIMAL = (
    re.compile(r"-?\d+,\d+"),
    re.compile(r"-?\d{1,3}(\.\d{3})+,\d+"),
    re.compile(r"-?\d{1,3}(\.\d{3}){2,}"),
)
_AMBIGUOUS_GROUP = (re.compile(r"-?\d{1,3}\.\d{3}"), re.compile(r"-?\d{1,3},\d{3}"))


def decimal_mark(values: Sequence[str | None]) -> str:
    """'.' or ',': what the file's numbers use as decimal mark, by the unambiguous ones.

    ``1,706`` could be either (Garmin writes thousands that way); ``6,29`` and ``2432.77`` cannot.
    """
    dots = commas = 0
    for value in values:
        if not value:
            continue
        token = value.replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if any(pattern.fullmatch(token) for pattern in _AMBIGUOUS_GROUP):
            continue
        if any(pattern.fullmatch(token) for pattern in _DOT_DECIMAL):
            dots += 1
        elif any(pattern.fullmatch(token) for pattern in _COMMA_DECIMAL):
            commas += 1
    return "," if commas > dots else "."


def parse_number(value: str | None, mark: str = ".") -> float | None:
    """A number written with decimal mark ``mark`` and optional thousands separators."""
    if value is None:
        return None
    token = re.sub(r"[\s\u202f\xa0']", "", value)
    # the other mark can only be a thousands separator
    token = token.replace(".", "").replace(",", ".") if mark == "," else token.replace(",", "")
    try:
        number = float(token)
    except ValueError:
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def parse_duration_s(value: str | None, mark: str = ".") -> float | None:
    """Seconds [s] from ``h:mm:ss(.f)``, ``mm:ss`` or a plain number of seconds."""
    if value is None:
        return None
    if ":" not in value:
        return parse_number(value, mark)
    parts = value.replace(",", ".").split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def row_sha256(kind: str, cells: Sequence[str]) -> str:
    """A stable key for one row's content (the import log's sha256 of a summary-only row)."""
    return hashlib.sha256("\x1f".join([kind, *cells]).encode("utf-8")).hexdigest()


def _zone(default_timezone: str | None) -> ZoneInfo | None:
    if not default_timezone:
        return None
    try:
        return ZoneInfo(default_timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone '{default_timezone}'") from exc


def _offset_in(zone: ZoneInfo | None, start_utc: datetime) -> int | None:
    if zone is None:
        return None
    offset = start_utc.astimezone(zone).utcoffset()
    return None if offset is None else int(offset.total_seconds())


# --- sports ------------------------------------------------------------------------------------

#: (sport, sub_sport, surface) for activity type words, any language, spaces and dashes removed.
#: Plain "run" says nothing about the surface: it stays unknown.
_TYPE_WORDS: dict[str, tuple[str, str | None, str]] = {}


def _register(words: str, sport: str, sub_sport: str | None = None, surface: str = "unknown"):
    for word in words.split("|"):
        _TYPE_WORDS[_type_key(word)] = (sport, sub_sport, surface)


def _type_key(text: str) -> str:
    return re.sub(r"[\s\-_.]+", "", text).casefold()


_register(
    "run|running|lauf|laufen|løb|løp|løping|course à pied|course|corsa|carrera|hardlopen|corrida"
    "|correr|juoksu|bieg|bieganie|ultra run|obstacle run",
    "running",
)
_register(
    "trail run|trail running|traillauf|trailrun|trailrunning|trailløb|course sur sentier"
    "|corsa su trail|carrera de trail|carrera por senderos",
    "running",
    "trail",
    "trail",
)
_register("street running|road running|straßenlauf", "running", "street", "road")
_register(
    "treadmill running|treadmill run|treadmill|laufband|løbebånd|course sur tapis|tapis roulant",
    "running",
    "treadmill",
    "treadmill",
)
_register(
    "indoor running|indoor run|indendørs løb|hallenlauf", "running", "indoor_running", "treadmill"
)
_register("track running|track run|bahnlauf|baneløb", "running", "track", "track")
_register(
    "virtual run|virtueller lauf|course virtuelle|corsa virtuale|carrera virtual",
    "running",
    "virtual_activity",
    "treadmill",
)
_register(
    "walk|walking|spaziergang|spazieren|gehen|gang|gåtur|marche|camminata|caminata|wandelen"
    "|casual walking|speed walking",
    "walking",
)
_register("hike|hiking|wanderung|wandern|vandring|randonnée|escursionismo|senderismo", "hiking")
_register(
    "ride|cycling|radfahrt|radfahren|cykling|vélo|ciclismo|fietsen|road cycling|road biking"
    "|virtual ride|virtuelle radfahrt|virtuelle ausfahrt|indoor cycling|mountain bike ride"
    "|mountain biking|mountainbike|gravel ride|gravel cycling|gravel|ebike ride|e-bike ride"
    "|e-bike|e bike ride|velomobile|handcycle",
    "cycling",
)
_register(
    "swim|swimming|pool swim|open water swimming|schwimmen|svømning|natation|nuoto|natación"
    "|zwemmen",
    "swimming",
)
_register(
    "weight training|strength training|krafttraining|styrketræning|musculation|workout|training"
    "|entraînement|cardio|hiit|yoga|pilates|crossfit",
    "training",
)
_register("rowing|indoor rowing|rudern|roning|aviron", "rowing")


def sport_of(type_text: str | None) -> tuple[str, str | None, str, str | None]:
    """(sport, sub_sport, surface, surface_source) for an activity type as a list writes it."""
    if not type_text:
        return "generic", None, "unknown", None
    known = _TYPE_WORDS.get(_type_key(type_text))
    if known is None:
        sport = re.sub(r"[\s\-]+", "_", type_text.strip()).casefold()
        return sport, None, "unknown", None
    sport, sub_sport, surface = known
    return sport, sub_sport, surface, "export" if surface != "unknown" else None


# --- Strava activities.csv ----------------------------------------------------------------------

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

_STRAVA_DATE_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",  # Oct 6, 2022, 11:19:20 PM
    "%b %d, %Y %I:%M:%S %p",
    "%d %b %Y, %H:%M:%S",  # 6 Oct 2022, 23:19:20
    "%d.%m.%Y, %H:%M:%S",  # 20.09.2026, 14:12:12
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",  # exports before mid-2019
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S",
)


@dataclass
class StravaRow:
    """One row of Strava's activities.csv as a summary-only activity, with what links it on."""

    row_number: int
    activity_id: str | None
    activity: Activity
    file_name: str | None  # "activities/8474917700.fit.gz"; None for a manual entry
    sha256: str  # of the row's cells


def parse_strava_date(text: str) -> datetime:
    """A Strava ``Activity Date`` (UTC) in any of the layouts seen; ValueError when none fits."""
    cleaned = re.sub(r"[\u202f\xa0]", " ", text).strip()
    cleaned = re.sub(r"\bSept\b", "Sep", cleaned)
    for layout in _STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(text)


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
    zone = _zone(default_timezone)
    header, rows = read_records(decode_text(data, source_name), source_name)
    columns = Columns(header)
    old_layout = (
        columns.find(("Activity ID", "Aktivitäts-ID")) is None
        and columns.find(("elapsed_time",)) is not None
    )
    where = _strava_columns(columns, old_layout, source_name)
    numeric = [cells[i] for _, cells in rows for i in where.numeric_columns() if i < len(cells)]
    mark = decimal_mark(numeric)
    display_unit_m, unit_warning = _strava_display_unit(rows, where, mark)
    parsed: list[StravaRow] = []
    problems: list[str] = []
    for row_number, cells in rows:
        try:
            start = parse_strava_date(cell(cells, where.date) or "")
        except ValueError:
            problems.append(f"row {row_number}: date {cell(cells, where.date)!r} cannot be read")
            continue
        parsed.append(
            _strava_row(cells, row_number, start, where, mark, display_unit_m, zone, foot_gear_only)
        )
    if not parsed:
        if problems:
            raise CorruptFile(f"{source_name}: no row has a readable date ({problems[0]})")
        raise SkippedFile(f"{source_name}: the list holds no activities")
    extra = [w for w in (unit_warning,) if w] + [f"{p}; row left out" for p in problems]
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


def _strava_display_unit(
    rows: list[tuple[int, list[str]]], where: _StravaColumns, mark: str
) -> tuple[float, str | None]:
    """Metres per display unit of the first Distance, needed only when no metres column exists.

    Told from Average Speed [m/s] x Moving Time against the display distance; km when unknown.
    """
    if where.distance_m is not None or where.distance_display is None:
        return KM_M, None
    ratios = []
    for _, cells in rows:
        shown = parse_number(cell(cells, where.distance_display), mark)
        speed = parse_number(cell(cells, where.speed), mark)
        moving = parse_duration_s(cell(cells, where.moving), mark)
        if shown and speed and moving and shown > 0.5:
            ratios.append(speed * moving / shown)
    unit = _closest_unit(ratios, {KM_M: KM_M, MILE_M: MILE_M})
    if unit is None:
        return KM_M, "Distance has no metres column and its unit cannot be told; read as km"
    return unit, None


def _strava_row(
    cells: list[str],
    row_number: int,
    start: datetime,
    where: _StravaColumns,
    mark: str,
    display_unit_m: float,
    zone: ZoneInfo | None,
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
        utc_offset_s=_offset_in(zone, start),
        elapsed_s=parse_duration_s(cell(cells, where.elapsed), mark),
        timer_s=parse_duration_s(cell(cells, where.moving), mark),
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
    return [
        row.activity
        for row in parse_strava_csv(data, source_name, default_timezone=default_timezone)
    ]


# --- Garmin Connect Activities.csv --------------------------------------------------------------

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

_GARMIN_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


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
    zone = _zone(default_timezone)
    header, rows = read_records(decode_text(data, source_name), source_name)
    where = _garmin_columns(Columns(header), source_name)
    numeric = [cells[i] for _, cells in rows for i in where.numeric_columns() if i < len(cells)]
    mark = decimal_mark(numeric)
    unit_m, warning = _garmin_distance_unit(rows, where, mark)
    imperial = unit_m == MILE_M
    activities: list[Activity] = []
    problems: list[str] = []
    for row_number, cells in rows:
        try:
            activities.append(_garmin_row(cells, where, mark, unit_m, imperial, zone))
        except ValueError:
            problems.append(f"row {row_number}: date {cell(cells, where.date)!r} cannot be read")
    if not activities:
        if problems:
            raise CorruptFile(f"{source_name}: no row has a readable date ({problems[0]})")
        raise SkippedFile(f"{source_name}: the list holds no activities")
    notes = [warning] if warning else []
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
    unit_m: float,
    imperial: bool,
    zone: ZoneInfo | None,
) -> Activity:
    local = _garmin_local_start(cell(cells, where.date) or "")
    if zone is not None:
        aware = local.replace(tzinfo=zone)
        start, offset = aware.astimezone(UTC), _offset_in(zone, aware.astimezone(UTC))
    else:
        start, offset = local.replace(tzinfo=UTC), None
    sport, sub_sport, surface, surface_source = sport_of(cell(cells, where.type))
    shown = parse_number(cell(cells, where.distance), mark)
    if shown is None:
        distance_m = None
    elif sport == "swimming":  # pools count in metres or yards, not km or mi
        distance_m = shown * (YARD_M if imperial else 1.0)
    else:
        distance_m = shown * unit_m
    ascent = parse_number(cell(cells, where.ascent), mark)
    timer = parse_duration_s(cell(cells, where.time))
    elapsed = parse_duration_s(cell(cells, where.elapsed)) or timer
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
        distance_m=distance_m,
        ascent_m=None if ascent is None else ascent * (FOOT_M if imperial else 1.0),
        avg_heart_rate_bpm=parse_number(cell(cells, where.avg_hr), mark),
        max_heart_rate_bpm=parse_number(cell(cells, where.max_hr), mark),
        avg_cadence_spm=parse_number(cell(cells, where.cadence), mark),  # already steps/min
        name=title,
        source_format="garmin-csv",
    )


def _garmin_local_start(text: str) -> datetime:
    for layout in _GARMIN_DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), layout)
        except ValueError:
            continue
    raise ValueError(text)


def _garmin_distance_unit(
    rows: list[tuple[int, list[str]]], where: _GarminColumns, mark: str
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
            minutes = (parse_duration_s(cell(cells, where.time)) or 0) / 60
            steps = cadence * minutes if cadence else None
        if steps:
            ratios.append(stride * steps / shown)
    unit = _closest_unit(ratios, {KM_M: KM_M, MILE_M: MILE_M, 5280.0: MILE_M})
    if unit is None:
        return KM_M, "km or miles cannot be told from this list (no stride data); read as km"
    return unit, None


def _closest_unit(ratios: list[float], units: dict[float, float]) -> float | None:
    """The unit whose expected ratio the median ratio is within 20 % of, else None."""
    if not ratios:
        return None
    median = statistics.median(ratios)
    if median <= 0:
        return None
    expected, unit = min(units.items(), key=lambda item: abs(math.log(median / item[0])))
    return unit if abs(math.log(median / expected)) < math.log(1.2) else None
