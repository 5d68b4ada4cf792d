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
  counts as trail. A ``sport``/``type`` column may name another sport (walk, ride, strength) or a
  kind of run (tempo, long, trail run, treadmill); an unknown word is an error, not a guess.

A row the reader cannot understand fails the whole file, with the row number a spreadsheet shows
(the header is row 1): the store saves a file all or nothing, and a log fixed and imported again is
a new file anyway. Empty rows, rows with only a date (a template's future days) and rest days (zero
distance and time, or a ``rest`` sport) hold no activity and are passed over.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stridewise.errors import CorruptFile, SkippedFile, StridewiseError, UnsupportedFile
from stridewise.localtime import offset_in_zone
from stridewise.model import Activity, empty_samples

#: Most columns a run log can have; Strava's export has about 100, a log a dozen.
MAX_COLUMNS = 1_000
#: Longest cell accepted [characters]: a note of a few pages.
MAX_CELL_CHARS = 10_000
#: Most rows accepted: a run a day for more than 270 years.
MAX_ROWS = 100_000
#: Longest distance one row may hold [m]; more is almost always a unit slip (metres under "km").
MAX_DISTANCE_M = 1_000_000.0
#: Longest cell read as a value (date, distance, duration, ...) [characters]; notes may be longer.
MAX_VALUE_CHARS = 64
#: Running paces outside this range [s/km] get a warning: they usually mean a unit slip.
PLAUSIBLE_PACE_S_PER_KM = (90.0, 3600.0)
#: Average heart rates a person can have [1/min].
PLAUSIBLE_HEART_RATE_BPM = (25.0, 250.0)
#: Local time given to a row without a time of day. Noon is the instant farthest from both
#: midnights, so the row's local date survives any later conversion by up to +-11 h.
NOON = time(12, 0)

METRES_PER_MILE = 1609.344

_DISTANCE_UNITS_M = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "k": 1000.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
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
#: Other sports -> the FIT sport names the other importers use.
_OTHER_SPORTS = {
    "walk": "walking",
    "walking": "walking",
    "hike": "hiking",
    "hiking": "hiking",
    "ride": "cycling",
    "bike": "cycling",
    "biking": "cycling",
    "cycle": "cycling",
    "cycling": "cycling",
    "swim": "swimming",
    "swimming": "swimming",
    "row": "rowing",
    "rowing": "rowing",
    "strength": "training",
    "strength training": "training",
    "gym": "training",
    "weights": "training",
    "core": "training",
    "crossfit": "training",
    "yoga": "training",
    "pilates": "training",
    "cross training": "training",
    "elliptical": "fitness_equipment",
    "ski": "cross_country_skiing",
    "xc ski": "cross_country_skiing",
    "cross country skiing": "cross_country_skiing",
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

#: Cell values that mean "nothing here".
_PLACEHOLDERS = frozenset({"-", "--", "\u2013", "\u2014", "n/a", "na", "none", "null", "nan"})

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DOT_DATE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\.?")
_SLASH_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\.?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4}|\d{2})")
_MONTH_NAME_DAY = re.compile(r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_WEEKDAY_PREFIX = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+")
_TIME_TEXT = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?\s?m\.?)?"
_TRAILING_TIME = re.compile(rf"(?:[\s,]+|t)({_TIME_TEXT})$")  # on casefolded text
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([ap])\.?\s?m\.?)?")
_COLON_DURATION = re.compile(r"(\d+):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d+))?")
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z'\"]*)")
_NUMBER_WITH_UNIT = re.compile(r"([\d.,' \u00a0\u202f]*\d[\d.,]*|[.,]\d+)\s*([^\d\s.,][^\d\s]*)?")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ '\u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_DELIMITERS = (",", ";", "\t", "|")
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
    message stays one line."""

    @functools.wraps(read)
    def reader(*args: Any, **kwargs: Any) -> list[Activity]:
        try:
            return read(*args, **kwargs)
        except StridewiseError as exc:
            text = str(exc)
            if "\n" not in text and "\r" not in text:
                raise
            raise type(exc)(re.sub(r"\r\n|\r|\n", " ↵ ", text)) from exc

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
    zone = _zone(default_timezone)
    text = _decode(data, source_name)
    delimiter, header, rows = _records(text, source_name)
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
    layout = _layout(header, rows, delimiter, source_name)
    activities: list[Activity] = []
    for row_number, cells in rows:
        try:
            activity = _activity_from_row(cells, layout, zone)
        except _RowProblem as problem:
            raise CorruptFile(f"{source_name}, row {row_number}: {problem}") from None
        if activity is not None:
            activity.warnings = [f"row {row_number}: {w}" for w in activity.warnings]
            activities.append(activity)
    if not activities:
        raise SkippedFile(f"{source_name}: the log holds no runs (only empty rows or rest days)")
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


# --- text and records ---------------------------------------------------------------------------


def _zone(default_timezone: str | None) -> str | None:
    """The profile's zone name, checked once up front (ConfigError when unknown)."""
    if not default_timezone:
        return None
    offset_in_zone(default_timezone, datetime.now(UTC))
    return default_timezone


def _decode(data: bytes, source_name: str) -> str:
    """Text of the file: UTF-16 with a BOM (Excel's "Unicode text"), UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CorruptFile(f"{source_name}: not valid UTF-16 text ({exc.reason})") from exc
    else:
        if b"\x00" in data:
            raise UnsupportedFile(f"{source_name}: is a binary file, not CSV text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")  # Excel on Windows
            except UnicodeDecodeError:
                text = data.decode("latin-1")  # decodes every byte
    if "\x00" in text:
        raise UnsupportedFile(f"{source_name}: is a binary file, not CSV text")
    return text.lstrip("\ufeff")


#: One line and its end, as csv and StringIO(newline="") split them (\r\n, \r or \n).
_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def _records(text: str, source_name: str) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """The delimiter, the header and the non-empty rows with their spreadsheet row numbers."""
    excel_hint = re.match(r"[ \t\r\n]*sep=(.)[ \t]*(?:\r\n|\r|\n|$)", text, flags=re.IGNORECASE)
    if excel_hint:  # Excel's "sep=;" line names the delimiter and is not shown as a row
        delimiter = excel_hint.group(1)
        text = text[excel_hint.end() :]
    else:
        # lines found in place: a StringIO would copy the text at four bytes a character
        lines = (match.group(1) for match in _LINE.finditer(text))
        numbered = ((n, line) for n, line in enumerate(lines, 1) if line.strip())
        header_row, first_line = next(numbered, (0, None))
        if first_line is None:
            raise CorruptFile(f"{source_name}: the file is empty")
        delimiter = _sniff_delimiter(first_line)
        if '"' not in first_line and first_line.count(delimiter) >= MAX_COLUMNS:
            # refused before the csv module splits it: that costs ~100 bytes a cell
            raise UnsupportedFile(
                f"{source_name}, row {header_row}: {first_line.count(delimiter) + 1:,} columns "
                f"(at most {MAX_COLUMNS:,}); not a run log"
            )
    # skipinitialspace: `10, "windy, cold"` quotes the note even after the space
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for row_number, cells in enumerate(reader, start=1):
            _check_size(cells, row_number, source_name)
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
            else:
                rows.append((row_number, cells))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise UnsupportedFile(
                f"{source_name}: a cell is larger than {csv.field_size_limit():,} characters; "
                "not a run log"
            ) from exc
        raise CorruptFile(f"{source_name}: not a readable CSV file ({exc})") from exc
    if header is None:
        raise CorruptFile(f"{source_name}: the file is empty")
    return delimiter, header, rows


def _check_size(cells: list[str], row_number: int, source_name: str) -> None:
    """Fail fast on input no run log has: thousands of columns, giant cells, endless rows."""
    if len(cells) > MAX_COLUMNS:
        raise UnsupportedFile(
            f"{source_name}, row {row_number}: {len(cells):,} columns "
            f"(at most {MAX_COLUMNS:,}); not a run log"
        )
    if row_number > MAX_ROWS + 1:
        raise UnsupportedFile(f"{source_name}: more than {MAX_ROWS:,} rows; not a run log")
    longest = max((len(cell) for cell in cells), default=0)
    if longest > MAX_CELL_CHARS:
        raise UnsupportedFile(
            f"{source_name}, row {row_number}: a cell of {longest:,} characters "
            f"(at most {MAX_CELL_CHARS:,}); not a run log"
        )


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter under which the header names the most known columns (then: most columns).

    The header decides because data rows cannot: "10,5" holds a comma whether or not the comma is
    the delimiter.
    """

    def score(delimiter: str) -> tuple[int, int]:
        if header_line.count(delimiter) >= MAX_COLUMNS:  # refused later; do not split it here
            return 0, header_line.count(delimiter) + 1
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter, skipinitialspace=True))
        except (csv.Error, StopIteration):
            return 0, 0  # the real read below says what is wrong
        return sum(1 for cell in cells if _classify_header(cell) is not None), len(cells)

    return max(_DELIMITERS, key=score)


# --- header -------------------------------------------------------------------------------------


def _words(text: str) -> str:
    """Lower-case words of a text: "Off-Road" -> "off road", "distance_km" -> "distance km"."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _normalise_header(cell: str) -> tuple[str, list[str]]:
    """A header's name in lower-case words, and the hints in its brackets ("km", "0 10")."""
    text = cell.strip().lstrip("\ufeff")[:_MAX_HEADER_CHARS]
    hints = [_words(hint) for hint in _BRACKETED.findall(text)]
    return _words(_BRACKETED.sub(" ", text)), hints


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
    # With ";" as delimiter a spreadsheet is free to use the decimal comma: the European form.
    decimal_mark = _decimal_mark(numeric_cells, default="," if delimiter == ";" else ".")
    slash_day_first = _slash_order(rows, columns["date"].index, source_name)
    layout = _Layout(columns, len(header), delimiter, decimal_mark, slash_day_first, more_notes)
    _check_distance_unit(rows, layout, source_name)
    return layout


def _cell(cells: list[str], index: int) -> str:
    """A cell's text, stripped; "" for a missing cell or a placeholder such as "--"."""
    text = cells[index].strip() if index < len(cells) else ""
    return "" if text.casefold() in _PLACEHOLDERS else text


def _value_cell(cells: list[str], index: int) -> str:
    """A value cell for the file-wide checks; an overlong one is left to its row's error."""
    text = _cell(cells, index)
    return text if len(text) <= MAX_VALUE_CHARS else ""


def _decimal_mark(cells: Iterable[str], default: str) -> str:
    """The file's decimal mark: the one its unambiguous numbers use, else ``default``."""
    seen = set()
    for cell in cells:
        for token in re.findall(r"\d*[.,]\d+(?:[.,]\d+)*", cell):
            seen.add(_unambiguous_decimal_mark(token))
    seen.discard(None)
    return seen.pop() if len(seen) == 1 else default


def _unambiguous_decimal_mark(token: str) -> str | None:
    """The decimal mark a number must be using, or None when it reads both ways ("1,500")."""
    if "," in token and "." in token:
        return token[max(token.rfind(","), token.rfind("."))]  # "1,234.5", "1.234,5"
    mark = "," if "," in token else "."
    whole, *fractions = token.split(mark)
    if len(fractions) != 1:
        return None  # "1,234,567": grouping
    if len(fractions[0]) != 3 or whole in ("", "0"):
        return mark  # "10,5", "0,500": no thousands grouping looks like that
    return None


def _parse_number(text: str, decimal_mark: str) -> float | None:
    """A non-negative number written with either decimal mark and optional grouping, or None."""
    text = text.strip()
    if _SPACE_GROUPED.fullmatch(text):
        text = re.sub(r"[ '\u00a0\u202f]", "", text)  # "5 000", "1'000"
    if not re.fullmatch(r"\d*(?:[.,]\d+)*", text) or not text[-1:].isdigit():
        return None
    if "," in text and "." in text:
        mark = text[max(text.rfind(","), text.rfind("."))]
        grouping = "." if mark == "," else ","
        whole, fraction = text.rsplit(mark, 1)
        if grouping in fraction or not _is_grouped(whole, grouping):
            return None
        return float(f"{whole.replace(grouping, '')}.{fraction}")
    if "," not in text and "." not in text:
        return float(text)
    separator = "," if "," in text else "."
    parts = text.split(separator)
    if len(parts) == 2:
        whole, fraction = parts
        reads_as_decimal = separator == decimal_mark or len(fraction) != 3 or whole in ("", "0")
        return float(f"{whole or 0}.{fraction}") if reads_as_decimal else float(whole + fraction)
    return float(text.replace(separator, "")) if _is_grouped(text, separator) else None


def _is_grouped(text: str, separator: str) -> bool:
    return bool(re.fullmatch(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})*", text))


def _slash_parts(cell: str) -> tuple[int, int, str] | None:
    """(first, second, date text) of a slash date with the year last, else None."""
    match = _SLASH_DATE.fullmatch(_date_text(cell)[0])
    return (int(match[1]), int(match[2]), match[0]) if match else None


def _slash_order(
    rows: list[tuple[int, list[str]]], date_index: int, source_name: str
) -> bool | None:
    """Whether slash dates are day-first, decided by a date whose day is above 12.

    None when no slash date depends on the order ("05/05/2026" reads the same both ways).
    Refuses a file whose dates contradict each other or where nothing decides.
    """
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    undecided: tuple[int, int, int, str] | None = None
    for row_number, cells in rows:
        parts = _slash_parts(_value_cell(cells, date_index))
        if parts is None:
            continue
        first, second, text = parts
        if first > 12 >= second and day_first is None:
            day_first = (row_number, text)
        elif second > 12 >= first and month_first is None:
            month_first = (row_number, text)
        elif first != second and max(first, second) <= 12 and undecided is None:
            undecided = (row_number, first, second, text)
    if day_first and month_first:
        raise CorruptFile(
            f"{source_name}: dates are day-first in row {day_first[0]} ('{day_first[1]}') but "
            f"month-first in row {month_first[0]} ('{month_first[1]}'); use one order, "
            "or write dates as YYYY-MM-DD"
        )
    if day_first or month_first:
        return day_first is not None
    if undecided:
        row_number, first, second, text = undecided
        raise CorruptFile(
            f"{source_name}: the date '{text}' in row {row_number} could be "
            f"{first} {_MONTHS[second - 1].title()} or {_MONTHS[first - 1].title()} {second}, "
            "and no date in the file has a day above 12 to tell which; "
            "write dates as YYYY-MM-DD"
        )
    return None


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
        number = _parse_number(split[0], layout.decimal_mark)
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
            f"(text holding {_DELIMITER_NAMES.get(layout.delimiter, layout.delimiter)} "
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
    pace_warning = _pace_warning(sport_name, distance_m, duration_s)
    if pace_warning:
        warnings.append(pace_warning)
    return Activity(
        sport=sport_name,
        start_utc=start_utc,
        samples=empty_samples(),
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


_DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a bar"}


def _date_text(cell: str) -> tuple[str, str | None]:
    """A date cell split into its date and its time of day ("Sat, 14 Mar 2026, 7:30 AM")."""
    text = cell.strip().casefold()
    weekday = _WEEKDAY_PREFIX.match(text)
    if weekday:
        text = text[weekday.end() :]
    clock = _TRAILING_TIME.search(text)
    if clock:
        return text[: clock.start()].strip(), clock.group(1)
    return text, None


def _local_start(date_cell: str, time_cell: str, layout: _Layout) -> datetime:
    """Start of a row: local wall-clock time (naive), or an instant when the cell has an offset."""
    if _ISO_DATE.match(date_cell) and len(date_cell) > 10:
        try:
            instant = datetime.fromisoformat(date_cell)
        except ValueError:
            instant = None
        if instant is not None and instant.tzinfo is not None:
            return instant  # "2026-03-14T07:30:00+01:00" says its own offset
    date_text, clock_text = _date_text(date_cell)
    day = _date(date_text, date_cell, layout.slash_day_first)
    if time_cell:
        clock = _time_of_day(time_cell)
    elif clock_text:
        clock = _time_of_day(clock_text)
    else:
        clock = NOON
    return datetime.combine(day, clock)


def _date(text: str, cell: str, slash_day_first: bool | None) -> date:
    problem = _RowProblem(f"date '{cell}' is not a date like 2026-03-14, 14.03.2026 or 03/14/2026")
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DOT_DATE.fullmatch(text):
        day, month, year = int(match[1]), int(match[2]), _full_year(match[3])
    elif match := _SLASH_DATE.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), _full_year(match[3])
        if slash_day_first is None:
            slash_day_first = first > 12  # the file-wide check left only orders that agree
        day, month = (first, second) if slash_day_first else (second, first)
    elif match := _DAY_MONTH_NAME.fullmatch(text):
        day, month, year = int(match[1]), _month(match[2], problem), _full_year(match[3])
    elif match := _MONTH_NAME_DAY.fullmatch(text):
        month, day, year = _month(match[1], problem), int(match[2]), int(match[3])
    else:
        raise problem
    try:
        return date(year, month, day)
    except ValueError:
        raise _RowProblem(f"date '{cell}' does not exist") from None


def _month(word: str, problem: _RowProblem) -> int:
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word):
            return number
    raise problem


def _full_year(text: str) -> int:
    """A four-digit year; "26" is 2026 and "98" 1998 (the century that is not in the future)."""
    year = int(text)
    if len(text) > 2:
        return year
    return 2000 + year if year <= date.today().year % 100 + 1 else 1900 + year


def _time_of_day(text: str) -> time:
    match = _TIME_OF_DAY.fullmatch(text.strip().casefold())
    problem = _RowProblem(f"start time '{text}' is not a time of day like 07:30 or 7:30 PM")
    if not match:
        raise problem
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[5]:
        if not 1 <= hour <= 12:
            raise problem
        hour = hour % 12 + (12 if match[5] == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise problem
    return time(hour, minute, second)


def _to_utc(local_start: datetime, zone: str | None) -> tuple[datetime, int]:
    """(start in UTC, UTC offset [s]) of a local start; without a zone the log is taken as UTC."""
    if local_start.tzinfo is not None:
        offset = local_start.utcoffset() or timedelta(0)
        return local_start.astimezone(UTC), int(offset.total_seconds())
    if zone is None:
        return local_start.replace(tzinfo=UTC), 0
    start_utc = local_start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return start_utc, offset_in_zone(zone, start_utc)


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
    if key in _OTHER_SPORTS:
        return _OTHER_SPORTS[key], None, None, None
    header = column.header if column else "sport"
    raise _RowProblem(
        f"sport '{text}' is not one stridewise knows (such as run, trail run, treadmill, walk, "
        f"ride, swim or strength); leave it empty for a run, or rename the column '{header}' "
        "if it is not the sport"
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
    number = _parse_number(split[0], decimal_mark) if split else None
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
    problem = _RowProblem(f"duration '{text}' is not h:mm:ss, mm:ss or minutes")
    lowered = text.strip().casefold()
    if match := _COLON_DURATION.fullmatch(lowered):
        first, second = int(match[1]), int(match[2])
        fraction = float(f"0.{match[4]}") if match[4] else 0.0
        if match[3] is None:  # mm:ss; minutes may pass 59 ("95:10")
            if second > 59:
                raise problem
            return first * 60 + second + fraction
        third = int(match[3])
        if second > 59 or third > 59:
            raise problem
        return first * 3600 + second * 60 + third + fraction
    bare = _parse_number(lowered, decimal_mark)
    if bare is not None:
        return bare * (column.unit or 60.0)
    return _worded_duration_s(lowered, decimal_mark, problem)


_WORDED_DURATION = re.compile(
    r"(?:(?P<h>[\d.,]+)\s*(?:h|hr|hrs|hours?)\s*)?"
    r"(?:(?P<m>[\d.,]+)\s*(?P<m_unit>m|min|mins|minutes?|')?\s*)?"
    r"(?:(?P<s>[\d.,]+)\s*(?:s|sec|secs|seconds?|\")\s*)?"
)


def _worded_duration_s(text: str, decimal_mark: str, problem: _RowProblem) -> float:
    """ "1h05", "1h 20m 30s", "45 min", "90 s" -> seconds."""
    match = _WORDED_DURATION.fullmatch(text)
    if not match or not any(match.group("h", "m", "s")):
        raise problem
    if match["m"] and not match["m_unit"] and not match["h"]:
        raise problem  # a bare number after nothing is minutes only on its own (handled before)
    total = 0.0
    for group, seconds_per_unit in (("h", 3600.0), ("m", 60.0), ("s", 1.0)):
        if match[group]:
            number = _parse_number(match[group], decimal_mark)
            if number is None:
                raise problem
            total += number * seconds_per_unit
    return total


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
    value = _parse_number(re.sub(r"\s*/\s*10$", "", text), decimal_mark)
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
    value = _parse_number(re.sub(r"\s*bpm$", "", text.casefold()), decimal_mark)
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
    pace_s_per_km = duration_s / (distance_m / 1000.0)
    fastest, slowest = PLAUSIBLE_PACE_S_PER_KM
    if fastest <= pace_s_per_km <= slowest:
        return None
    rounded = round(pace_s_per_km)
    return (
        f"pace {rounded // 60}:{rounded % 60:02d} min/km is not a running pace; "
        "check the units of distance and duration"
    )
