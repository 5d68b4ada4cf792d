"""A runner's own CSV log: one row per run, written by hand or by a spreadsheet.

There is no standard, so the reader is liberal in what it accepts and strict about what it cannot
know:

- Columns are found by name, case- and space-insensitively, from a table of aliases
  (``date``/``day``, ``distance``/``dist``/``km``/``miles``, ``duration``/``time``/``moving time``,
  ``shoe``/``gear``, ``surface``/``terrain``, ``rpe``/``effort``, ``notes``/``comment``, ...).
  Columns it does not know (pace, weather) are ignored.
- Distances carry their unit in the cell (``10 km``, ``6.2 mi``, ``5000 m``, ``5k``) or in the
  header (``km``, ``miles``, ``distance_km``, ``Distance (mi)``). A bare number under a header
  without a unit is refused: 10 could be kilometres or miles, and a wrong guess corrupts every
  load figure.
- Durations are ``h:mm:ss``, ``mm:ss``, ``1h05``, ``45 min`` or a bare number of minutes (or of the
  unit in the header, ``duration_s``).
- The delimiter is taken from the header (``,``, ``;``, tab or ``|``; Excel's ``sep=;`` line too).
  The decimal mark is taken from cells that can only be read one way (``10,5``); cells that could be
  either (``1,500``) follow them, or else the delimiter: ``;`` goes with a decimal comma.
- Dates are ISO (``2026-03-14``), day-first with dots (``14.03.2026``), with English month names
  (``14 Mar 2026``), or with slashes. Slash dates are read day-first or month-first for the whole
  file, decided by a date whose day is above 12; when no date decides it, the file is refused.

- Each row is a local date (and maybe a time of day): it is converted with the profile's time zone,
  and taken as UTC (offset 0, one warning) when the profile has none, so that the date written is
  the date kept. A row without a time of day starts at local noon for the same reason.
- Surfaces map onto road, trail, track and treadmill; every unpaved footing (gravel, grass, sand)
  counts as trail. A ``sport``/``type`` column may name a kind of run (tempo, long, trail run,
  treadmill) or another session by the words of ``stridewise activities add`` (strength, core,
  yoga, pilates, tai chi, stretching, breathwork, physio, ride, swim, walk, …;
  ``kinds.SESSION_SPORTS``) or of Strava's and Garmin's lists; an unknown word is an error, not
  a guess.

A row the reader cannot understand fails the whole file, with the row number a spreadsheet shows
(the header is row 1): the store saves a file all or nothing, and a log fixed and imported again is
a new file anyway. Empty rows, rows with only a date (a template's future days) and rest days (zero
distance and time, or a ``rest`` sport) hold no activity and are passed over.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from stridewise.csvtext import (
    DELIMITER_NAMES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_VALUE_CHARS,
    CellError,
    Limits,
    Table,
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
from stridewise.csvtext import cell as cell_text
from stridewise.errors import CorruptFile, SkippedFile, StridewiseError, UnsupportedFile
from stridewise.importers.activity_types import known_type
from stridewise.inputs import one_line
from stridewise.kinds import SESSION_SPORTS, session_sport
from stridewise.model import Activity
from stridewise.units import METRES_PER_KM, METRES_PER_MILE

#: What a run log may hold (columns, cell length, rows): the CSV layer's limits.
LIMITS = Limits("a run log", columns=MAX_COLUMNS, cell_chars=MAX_CELL_CHARS, rows=MAX_ROWS)
#: Longest distance one row may hold [m]; more is almost always a unit slip (metres under "km").
MAX_DISTANCE_M = 1_000_000.0
#: Running paces outside this range [s/km] get a warning: they usually mean a unit slip.
PLAUSIBLE_PACE_S_PER_KM = (90.0, 3600.0)
#: Average heart rates a person can have [1/min].
PLAUSIBLE_HEART_RATE_BPM = (25.0, 250.0)
#: Local time given to a row without a time of day. Noon is the instant farthest from both
#: midnights, so the row's local date survives any later conversion by up to +-11 h.
NOON = time(12, 0)

_DISTANCE_UNITS_M = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "k": METRES_PER_KM,
    "km": METRES_PER_KM,
    "kms": METRES_PER_KM,
    "kilometer": METRES_PER_KM,
    "kilometers": METRES_PER_KM,
    "kilometre": METRES_PER_KM,
    "kilometres": METRES_PER_KM,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
}
_DURATION_UNITS_S = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    '"': 1.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "'": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
}

#: Header aliases: field -> tiers of normalised names, best first. When two columns name the same
#: field, the better tier wins ("date" over a weekday "day"); two of the same tier are refused.
_FIELD_ALIASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "date": (("date", "run date"), ("day",)),
    "distance": (
        ("distance", "dist", "run distance", "total distance"),
        ("km", "kms", "kilometers", "kilometres", "mi", "miles", "mileage"),
    ),
    "duration": (
        ("duration", "moving time"),
        ("elapsed time", "total time", "run time", "minutes", "mins", "min"),
        ("time",),
    ),
    "start_time": (("start time", "time of day", "start", "starting time", "clock time"),),
    "sport": (("sport",), ("type", "activity", "activity type")),
    "surface": (("surface", "terrain"),),
    "shoe": (("shoe", "shoes", "gear"),),
    "rpe": (("rpe",), ("effort", "perceived effort")),
    "notes": (("notes", "note", "comment", "comments", "description", "remarks"),),
    "name": (("name", "title"),),
    "avg_hr": (
        ("avg hr", "average hr", "avg heart rate", "average heart rate", "heart rate", "hr"),
    ),
}
_ALIAS_INDEX = {
    alias: (field_name, tier)
    for field_name, tiers in _FIELD_ALIASES.items()
    for tier, aliases in enumerate(tiers)
    for alias in aliases
}
#: A header that is itself a unit ("miles", "minutes") gives the unit of its values.
_UNIT_HEADERS = {"km", "kms", "kilometers", "kilometres", "mi", "miles", "minutes", "mins", "min"}

#: Sport words -> (sub_sport, surface) for running; the surface is a hint from the log.
_RUNNING_KINDS: dict[str, tuple[str | None, str | None]] = {
    "run": (None, None),
    "running": (None, None),
    "jog": (None, None),
    "jogging": (None, None),
    "road run": ("street", "road"),
    "road running": ("street", "road"),
    "trail": ("trail", "trail"),
    "trail run": ("trail", "trail"),
    "trail running": ("trail", "trail"),
    "track": ("track", "track"),
    "track run": ("track", "track"),
    "track running": ("track", "track"),
    "treadmill": ("treadmill", "treadmill"),
    "treadmill run": ("treadmill", "treadmill"),
    "treadmill running": ("treadmill", "treadmill"),
    "indoor run": ("treadmill", "treadmill"),
    "indoor running": ("treadmill", "treadmill"),
    "virtual run": ("treadmill", "treadmill"),
}
#: Kinds of run workout that logs often keep in a "type" column: still running.
_WORKOUT_WORDS = frozenset(
    {
        "easy", "easy run", "recovery", "recovery run", "long", "long run", "tempo", "tempo run",
        "threshold", "interval", "intervals", "fartlek", "race", "workout", "hills", "hill repeats",
        "progression", "steady", "speed", "strides", "lsd", "base", "aerobic", "repeats",
        "time trial", "parkrun",
    }
)  # fmt: skip
#: More words for the sports of ``kinds.SESSION_SPORTS`` (which a log may name as they are):
#: the SESSION_SPORTS word each stands for. Words of Strava's and Garmin's lists in any language
#: are known too (``activity_types``).
_SPORT_ALIASES = {
    "walking": "walk",
    "hiking": "hike",
    "bike": "ride",
    "biking": "ride",
    "cycle": "ride",
    "cycling": "ride",
    "swimming": "swim",
    "rowing": "row",
    "strength training": "strength",
    "weight training": "strength",
    "weights": "strength",
    "core training": "core",
    "core work": "core",
    "taichi": "tai_chi",
    "stretch": "stretching",
    "breathing": "breathwork",
    "physiotherapy": "physio",
    "physical therapy": "physio",
    "physiotherapist": "physio",
    "mobility work": "mobility",
}
#: Other sports a log names, in FIT's names: (sport, sub_sport).
_OTHER_SPORTS: dict[str, tuple[str, str | None]] = {
    "gym": ("training", None),
    "cross training": ("training", None),
    "ski": ("cross_country_skiing", None),
    "xc ski": ("cross_country_skiing", None),
}
_REST_WORDS = frozenset({"rest", "rest day", "off", "day off"})

#: Surface words -> SURFACES. "trail" stands for every unpaved, uneven footing: gravel, grass, sand
#: and dirt change leg stiffness like a trail does (RULES.md, Surface), so they count as trail.
_SURFACE_WORDS = {
    **dict.fromkeys(
        ("road", "street", "asphalt", "pavement", "tarmac", "concrete", "sidewalk", "paved"),
        "road",
    ),
    **dict.fromkeys(
        ("trail", "trails", "off road", "offroad", "gravel", "dirt", "grass", "forest", "woods")
        + ("mud", "sand", "beach", "mountain", "fell", "unpaved", "cross country", "xc"),
        "trail",
    ),
    **dict.fromkeys(("track", "athletics track", "running track", "tartan", "oval"), "track"),
    **dict.fromkeys(("treadmill", "tread", "indoor treadmill"), "treadmill"),
}

#: Fields that hold free text rather than a value.
_TEXT_FIELDS = frozenset({"notes", "name", "shoe"})

_NUMBER_WITH_UNIT = re.compile(r"([\d.,' \u00a0\u202f]*\d[\d.,]*|[.,]\d+)\s*([^\d\s.,][^\d\s]*)?")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
#: Header names longer than this [characters] are cut before matching: no alias is that long.
_MAX_HEADER_CHARS = 100


#: Header names that only Strava's activities.csv has together.
_STRAVA_SIGNATURES = (
    frozenset({"activity id", "activity date"}),
    frozenset({"aktivitäts id", "aktivitätsdatum"}),
    frozenset({"id", "date", "elapsed time", "distance", "filename"}),  # before mid-2019
)


class _RowProblem(Exception):
    """What is wrong with one row; becomes a CorruptFile naming the file and the row."""


@dataclass(frozen=True)
class _Column:
    index: int
    header: str  # as written in the file, for messages
    unit: float | None = None  # metres or seconds per unit written in the header


@dataclass(frozen=True)
class _Layout:
    """Where each field is, and the file-wide reading conventions."""

    columns: dict[str, _Column]
    width: int  # number of columns in the header
    delimiter: str
    decimal_mark: str
    slash_day_first: bool | None  # None: the file has no slash date that depends on the order
    more_notes: tuple[_Column, ...] = ()  # "Notes" and "Comment" side by side: both are kept


def _one_line_errors(read: Callable[..., list[Activity]]) -> Callable[..., list[Activity]]:
    """Errors quote cells, and a quoted cell may hold line breaks: show them as ↵ so that the
    message stays one line (``importers.dispatch`` does the same for every reader's warnings)."""

    @functools.wraps(read)
    def reader(*args: Any, **kwargs: Any) -> list[Activity]:
        try:
            return read(*args, **kwargs)
        except StridewiseError as exc:
            text = str(exc)
            if "\n" not in text and "\r" not in text:
                raise
            raise type(exc)(one_line(text)) from exc

    return reader


@_one_line_errors
def read_csv_log(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read a runner's CSV log: one Activity per run row, in row order.

    Dates and times in a log are local: they are converted with ``default_timezone`` (an IANA
    name), or taken as UTC when there is none (with a warning on the first activity). A row
    without a time of day starts at local noon, so that its local date stays the one written.
    Raises ``UnsupportedFile`` for a CSV that is not a run log (Strava or Garmin exports included),
    ``CorruptFile`` naming the row for a row that cannot be read or an ambiguous unit or date, and
    ``SkippedFile`` for a log with no run in it.
    """
    checked_zone(default_timezone)  # a wrong profile is said before anything about the file
    table = read_table(data, source_name, LIMITS, known_header=is_log_header)
    return activities_from_table(table, source_name, default_timezone=default_timezone)


@_one_line_errors
def activities_from_table(
    table: Table, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """``read_csv_log`` of a file already split by ``csvtext.read_table`` (the CSV dispatch reads
    each file once); the log's limits are checked again, since the table may have been read under
    an activity list's."""
    zone = checked_zone(default_timezone)
    check_table(table, LIMITS, source_name)
    if table.empty:
        raise CorruptFile(f"{source_name}: the file is empty")
    header = [cell.strip() for cell in table.header]
    kind = detect_csv_kind(header)
    if kind == "strava":
        raise UnsupportedFile(
            f"{source_name}: looks like a Strava activities.csv export; "
            "import the whole export folder or zip"
        )
    if kind == "garmin":
        raise UnsupportedFile(
            f"{source_name}: looks like a Garmin Connect Activities.csv list; "
            "import the Garmin Connect export zip or the activity files instead"
        )
    rows = [(record.number, record.cells) for record in table.rows]
    layout = _layout(header, rows, table.delimiter, source_name)
    activities: list[Activity] = []
    for row_number, cells in rows:
        try:
            activity = _activity_from_row(cells, layout, zone)
        except (_RowProblem, CellError) as problem:
            raise CorruptFile(f"{source_name}, row {row_number}: {problem}") from None
        if activity is not None:
            activity.warnings = [f"row {row_number}: {w}" for w in activity.warnings]
            activities.append(activity)
    if not activities:
        raise SkippedFile(f"{source_name}: the log holds no runs (only empty rows or rest days)")
    if table.warning:
        activities[0].warnings.append(table.warning)
    if zone is None:
        activities[0].warnings.append(
            "no time zone in the profile: the log's dates and times are read as UTC "
            "(set timezone under [athlete])"
        )
    return activities


def detect_csv_kind(header: list[str]) -> str:
    """What a CSV is, from its header: 'log', 'strava', 'garmin' or 'unknown'.

    Strava's activities.csv starts with the activity id (any language: ``Activity ID``,
    ``Aktivitäts-ID``) and has dozens of columns; exports before mid-2019 use
    ``id,date,...,filename``. Garmin Connect's Activities.csv has a ``Favorite`` column in every
    language and ``Activity Type`` + ``Date`` in English. A log has a date column and a distance
    or duration column.
    """
    names = [_normalise_header(cell)[0] for cell in header]
    name_set = set(names)
    first_words = names[0].split() if names else []
    if any(signature <= name_set for signature in _STRAVA_SIGNATURES):
        return "strava"
    if "id" in first_words and len(names) >= 40:
        return "strava"  # other languages: "ID de l'activité", "Activiteits-ID", ...
    has_favorite = any(name.startswith("favo") for name in names)
    if {"activity type", "date"} <= name_set and (has_favorite or len(names) >= 15):
        return "garmin"
    if has_favorite and len(names) >= 10:
        return "garmin"  # localised: "Aktivitetstype,Dato,Favorit,..."
    fields = {match[0] for match in map(_classify_header, header) if match is not None}
    if "date" in fields and fields & {"distance", "duration"}:
        return "log"
    return "unknown"


# --- header -------------------------------------------------------------------------------------


def _words(text: str) -> str:
    """Lower-case words of a text: "Off-Road" -> "off road", "distance_km" -> "distance km"."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _normalise_header(cell: str) -> tuple[str, list[str]]:
    """A header's name in lower-case words, and the hints in its brackets ("km", "0 10")."""
    text = cell.strip().lstrip("\ufeff")[:_MAX_HEADER_CHARS]
    hints = [_words(hint) for hint in _BRACKETED.findall(text)]
    return _words(_BRACKETED.sub(" ", text)), hints


def is_log_header(cell: str) -> bool:
    """Whether a header cell names a column the log reader uses (it decides the delimiter)."""
    return _classify_header(cell) is not None


def _classify_header(cell: str) -> tuple[str, int, float | None] | None:
    """(field, tier, unit) a header names, or None for a column the log reader does not use.

    The unit is metres per distance unit or seconds per duration unit, from the name itself
    ("miles"), its last word ("distance_km") or a bracket ("Distance (mi)").
    """
    base, hints = _normalise_header(cell)
    unit: float | None = None
    match = _ALIAS_INDEX.get(base)
    if match is None:
        head, _, last = base.rpartition(" ")
        match = _ALIAS_INDEX.get(head)
        if match is None or _unit_for(match[0], last) is None:
            return None
        unit = _unit_for(match[0], last)
    elif base in _UNIT_HEADERS:
        unit = _unit_for(match[0], base)
    for hint in hints:
        unit = _unit_for(match[0], hint) or unit
    return match[0], match[1], unit


def _unit_for(field_name: str, word: str) -> float | None:
    if field_name == "distance":
        return _DISTANCE_UNITS_M.get(word)
    if field_name == "duration":
        return _DURATION_UNITS_S.get(word)
    return None


def _resolve_columns(
    header: list[str], source_name: str
) -> tuple[dict[str, _Column], tuple[_Column, ...]]:
    """Field -> column, and the notes columns after the first.

    The best alias tier wins; two value columns of the same tier are refused, since either could
    be the right one. Several notes columns are all kept.
    """
    best: dict[str, tuple[int, _Column]] = {}
    time_column: _Column | None = None
    notes_columns: list[_Column] = []
    for index, cell in enumerate(header):
        match = _classify_header(cell)
        if match is None:
            continue
        field_name, tier, unit = match
        column = _Column(index, cell, unit)
        if _normalise_header(cell)[0] == "time":
            time_column = column
        if field_name == "notes":
            notes_columns.append(column)
            continue
        if field_name in best and best[field_name][0] == tier:
            raise CorruptFile(
                f"{source_name}: columns '{best[field_name][1].header}' and '{column.header}' "
                f"both look like the {field_name.replace('_', ' ')}; rename or remove one"
            )
        if field_name not in best or tier < best[field_name][0]:
            best[field_name] = (tier, column)
    columns = {field_name: column for field_name, (_, column) in best.items()}
    if notes_columns:
        columns["notes"] = notes_columns[0]
    # "Date, Time, Distance, Duration": beside a real duration column, "Time" is the time of day
    if time_column and columns.get("duration") != time_column and "start_time" not in columns:
        columns["start_time"] = time_column
    if "date" not in columns:
        raise UnsupportedFile(f"{source_name}: {_not_a_log_reason(header)}")
    if "distance" not in columns and "duration" not in columns:
        raise UnsupportedFile(
            f"{source_name}: not a run log: it has a date column but no distance or duration column"
        )
    return columns, tuple(notes_columns[1:])


def _not_a_log_reason(header: list[str]) -> str:
    if any("timestamp" in _normalise_header(cell)[0] for cell in header):
        return "holds the timestamped records of one activity, not a run log with a date column"
    return "not a run log: no date column (a log needs date, distance and duration columns)"


# --- file-wide conventions ----------------------------------------------------------------------


def _layout(
    header: list[str], rows: list[tuple[int, list[str]]], delimiter: str, source_name: str
) -> _Layout:
    columns, more_notes = _resolve_columns(header, source_name)
    numeric_cells = [
        _value_cell(cells, columns[name].index)
        for _, cells in rows
        for name in ("distance", "duration", "rpe", "avg_hr")
        if name in columns
    ]
    mark = decimal_mark(numeric_cells, delimiter)
    date_index = columns["date"].index
    slash_day_first = slash_order(
        ((row_number, _value_cell(cells, date_index)) for row_number, cells in rows), source_name
    )
    layout = _Layout(columns, len(header), delimiter, mark, slash_day_first, more_notes)
    _check_distance_unit(rows, layout, source_name)
    return layout


def _cell(cells: list[str], index: int) -> str:
    """A cell's text, stripped; "" for a missing cell or a placeholder such as "--"."""
    return cell_text(cells, index) or ""


def _value_cell(cells: list[str], index: int) -> str:
    """A value cell for the file-wide checks; an overlong one is left to its row's error."""
    text = _cell(cells, index)
    return text if len(text) <= MAX_VALUE_CHARS else ""


def _check_distance_unit(
    rows: list[tuple[int, list[str]]], layout: _Layout, source_name: str
) -> None:
    """Refuse bare distances under a header without a unit: 10 could be km or miles."""
    column = layout.columns.get("distance")
    if column is None or column.unit is not None:
        return
    for row_number, cells in rows:
        text = _value_cell(cells, column.index)
        split = _split_number_unit(text)
        if split is None or split[1] is not None:
            continue  # empty, or a unit in the cell; anything else is the row's own error
        number = parse_number(split[0], layout.decimal_mark)
        if number:  # a bare 0 is 0 in every unit
            raise CorruptFile(
                f"{source_name}: column '{column.header}' has no unit: row {row_number} says "
                f"'{text}' (add km, mi or m to the header or the values)"
            )


# --- one row ------------------------------------------------------------------------------------


def _activity_from_row(cells: list[str], layout: _Layout, zone: str | None) -> Activity | None:
    """The activity of one row, None for a row that holds none (template day, rest day)."""
    columns = layout.columns
    values = {name: _cell(cells, column.index) for name, column in columns.items()}
    if layout.more_notes:
        notes = [values["notes"], *(_cell(cells, column.index) for column in layout.more_notes)]
        values["notes"] = "\n".join(note for note in notes if note)
    extra = [cell for cell in cells[layout.width :] if cell.strip()]
    if extra:
        raise _RowProblem(
            f"{layout.width + len(extra)} cells but the header has {layout.width} columns "
            f"(text holding {DELIMITER_NAMES.get(layout.delimiter, layout.delimiter)} "
            "needs quotes)"
        )
    if not any(value for name, value in values.items() if name != "date"):
        return None  # only a date: a template's day still to come
    for name, value in values.items():
        if len(value) > MAX_VALUE_CHARS and name not in _TEXT_FIELDS:
            raise _RowProblem(
                f"the {name.replace('_', ' ')} in column '{columns[name].header}' is "
                f"{len(value):,} characters long; that is not a {name.replace('_', ' ')}"
            )
    if not values["date"]:
        raise _RowProblem("the date is empty")
    local_start = _local_start(values["date"], values.get("start_time", ""), layout)
    sport = _sport(values.get("sport", ""), columns.get("sport"))
    if sport is None:
        return None  # a rest day
    sport_name, sub_sport, sport_surface, workout = sport
    distance_m = (
        _distance_m(values["distance"], columns["distance"], layout.decimal_mark)
        if values.get("distance")
        else None
    )
    duration_s = (
        _duration_s(values["duration"], columns["duration"], layout.decimal_mark)
        if values.get("duration")
        else None
    )
    if distance_m is None and duration_s is None:
        raise _RowProblem("has neither a distance nor a duration")
    if not distance_m and not duration_s:
        return None  # zero distance and zero time: a rest day
    if duration_s == 0:
        raise _RowProblem(f"duration '{values['duration']}' is zero for a distance")
    start_utc, utc_offset_s = _to_utc(local_start, zone)
    surface, surface_source, surface_warning = _surface(values.get("surface", ""), sport_surface)
    warnings = [surface_warning] if surface_warning else []
    clock_note = wall_clock_note(local_start, zone)
    if clock_note:
        warnings.append(clock_note)
    pace_warning = _pace_warning(sport_name, distance_m, duration_s)
    if pace_warning:
        warnings.append(pace_warning)
    return Activity(
        sport=sport_name,
        start_utc=start_utc,
        sub_sport=sub_sport,
        surface=surface,
        surface_source=surface_source,
        utc_offset_s=utc_offset_s,
        elapsed_s=duration_s,
        timer_s=duration_s,
        distance_m=distance_m,
        avg_heart_rate_bpm=_heart_rate(values.get("avg_hr", ""), layout.decimal_mark),
        name=values.get("name") or workout,
        shoe=" ".join(values.get("shoe", "").split()) or None,
        rpe=_rpe(values.get("rpe", ""), columns.get("rpe"), layout.decimal_mark),
        notes=values.get("notes") or None,
        warnings=warnings,
    )


def _local_start(date_cell: str, time_cell: str, layout: _Layout) -> datetime:
    """Start of a row: local wall-clock time (naive), or an instant when the cell has an offset."""
    return parse_datetime(date_cell, layout.slash_day_first, time_text=time_cell, default_time=NOON)


def _to_utc(local_start: datetime, zone: str | None) -> tuple[datetime, int]:
    """(start in UTC, UTC offset [s]) of a local start; without a zone the log is taken as UTC."""
    start_utc, offset_s = to_utc(local_start, zone)
    return start_utc, 0 if offset_s is None else offset_s


def _sport(
    text: str, column: _Column | None
) -> tuple[str, str | None, str | None, str | None] | None:
    """(sport, sub_sport, surface hint, workout name) of a sport cell; None for a rest day."""
    if not text:
        return "running", None, None, None
    key = _words(text)
    if key in _REST_WORDS:
        return None
    if key in _RUNNING_KINDS:
        return "running", *_RUNNING_KINDS[key], None
    if key in _WORKOUT_WORDS:
        return "running", None, None, text
    named = session_sport(_SPORT_ALIASES.get(key, key))
    if named is not None:
        surface_hint = None if named.surface == "unknown" else named.surface
        return named.sport, named.sub_sport, surface_hint, None
    if key in _OTHER_SPORTS:
        return *_OTHER_SPORTS[key], None, None
    listed = known_type(text)
    if listed is not None:
        sport, sub_sport, surface = listed
        return sport, sub_sport, None if surface == "unknown" else surface, None
    header = column.header if column else "sport"
    raise _RowProblem(
        f"sport '{text}' is not one stridewise knows ({', '.join(SESSION_SPORTS)}, or a kind "
        f"of run such as tempo or long run); leave it empty for a run, or rename the column "
        f"'{header}' if it is not the sport"
    )


def _split_number_unit(text: str) -> tuple[str, str | None] | None:
    """("6.2", "mi") of "6.2 mi"; ("10", None) of "10"; None when it is not a number."""
    match = _NUMBER_WITH_UNIT.fullmatch(text.strip().casefold())
    if not match:
        return None
    unit = match[2].rstrip(".") if match[2] else None
    return match[1].strip(), unit


def _distance_m(text: str, column: _Column, decimal_mark: str) -> float:
    """Distance of a cell [m]: its own unit, else the header's."""
    problem = _RowProblem(f"distance '{text}' is not a number with km, mi or m")
    split = _split_number_unit(text)
    number = parse_number(split[0], decimal_mark) if split else None
    if split is None or number is None:
        raise problem
    if split[1] is not None:
        metres_per_unit = _DISTANCE_UNITS_M.get(split[1])
        if metres_per_unit is None:
            raise _RowProblem(f"distance '{text}' has an unknown unit (use km, mi or m)")
    else:
        metres_per_unit = column.unit or 0.0  # no unit anywhere is allowed only for 0
    distance_m = number * metres_per_unit
    if distance_m > MAX_DISTANCE_M:
        raise _RowProblem(f"distance '{text}' is more than 1000 km for one run; is the unit right?")
    return distance_m


def _duration_s(text: str, column: _Column, decimal_mark: str) -> float:
    """Duration of a cell [s]: h:mm:ss, mm:ss, 1h05, 45 min, or a bare number in the header's
    unit (minutes when the header names none)."""
    seconds = parse_duration_s(text, decimal_mark, bare_unit_s=column.unit or 60.0)
    if seconds is None:
        raise _RowProblem(f"duration '{text}' is not h:mm:ss, mm:ss or minutes")
    return seconds


def _surface(text: str, sport_hint: str | None) -> tuple[str, str | None, str | None]:
    """(surface, surface_source, warning): the surface column first, else the sport's hint."""
    if text:
        surface = _SURFACE_WORDS.get(_words(text))
        if surface:
            return surface, "log", None
        warning = f"surface '{text}' is not road, trail, track or treadmill; kept as unknown"
        if sport_hint:
            return sport_hint, "log", warning
        return "unknown", None, warning
    if sport_hint:
        return sport_hint, "log", None
    return "unknown", None, None


def _rpe(text: str, column: _Column | None, decimal_mark: str) -> float | None:
    """Session RPE on the CR-10 scale [0-10]; "7/10" is accepted."""
    if not text or column is None:
        return None
    value = parse_number(re.sub(r"\s*/\s*10$", "", text), decimal_mark)
    if value is None or value > 10:
        hint = ""
        if _normalise_header(column.header)[0] != "rpe":
            hint = f" (rename the column '{column.header}' if it is not RPE)"
        raise _RowProblem(f"RPE '{text}' is not a number from 0 to 10{hint}")
    return value


def _heart_rate(text: str, decimal_mark: str) -> float | None:
    """Average heart rate [1/min]; "145 bpm" is accepted."""
    if not text:
        return None
    value = parse_number(re.sub(r"\s*bpm$", "", text.casefold()), decimal_mark)
    low, high = PLAUSIBLE_HEART_RATE_BPM
    if value is None or not low <= value <= high:
        raise _RowProblem(
            f"average heart rate '{text}' is not a number of beats per minute "
            f"from {low:.0f} to {high:.0f}"
        )
    return value


def _pace_warning(sport: str, distance_m: float | None, duration_s: float | None) -> str | None:
    if sport != "running" or not distance_m or not duration_s:
        return None
    pace_s_per_km = duration_s / (distance_m / METRES_PER_KM)
    fastest, slowest = PLAUSIBLE_PACE_S_PER_KM
    if fastest <= pace_s_per_km <= slowest:
        return None
    rounded = round(pace_s_per_km)
    return (
        f"pace {rounded // 60}:{rounded % 60:02d} min/km is not a running pace; "
        "check the units of distance and duration"
    )
