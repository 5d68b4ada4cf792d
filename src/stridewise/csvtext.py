"""The CSV text layer: every CSV stridewise reads goes from bytes to values through here.

One layer, because the same bytes must never decode differently in two readers: a runner's log,
Strava's activities.csv and shoes.csv, Garmin Connect's Activities.csv and the pain journal all
come through these functions, so a file Excel saved as "Unicode text" (UTF-16), with ``;`` and
decimal commas, reads alike whichever reader it reaches.

- Text (``decode``): UTF-8 with or without BOM, UTF-16 LE or BE with its BOM (Excel's "Unicode
  text"), else Windows-1252 (Excel on Windows) with a warning that says so. NUL bytes mean a binary
  file, refused in one line.
- Records (``read_table``): the delimiter is sniffed from the header line (``,``, ``;``, tab or
  ``|``; Excel's ``sep=;`` line names it). Each row keeps the number a spreadsheet shows it under.
  Input no CSV of ours holds (a thousand columns, giant cells, endless rows) is refused before it
  costs memory: a header with too many columns before the csv module splits it.
- Headers (``normalise_header``, ``Columns``): compared without case, BOM or extra spaces; a column
  is found by name and occurrence (Strava repeats names), never by position.
- Values: one parser each for numbers (``parse_number``: thousands separators, either decimal
  mark, placeholders such as ``--``), durations (``parse_duration_s``) and dates and times
  (``parse_datetime``: ISO, day-first with dots, month names, slashes). The decimal mark
  (``decimal_mark``) and the order of slash dates (``slash_order``) are decided file-wide, from the
  cells that can be read only one way; when nothing decides the slash order, the file is refused
  rather than guessed, unless its format decides (Strava writes slash dates day-first only).

Nothing here knows what a column means: the readers do (``importers.csv_log``,
``importers.strava_list``, ``importers.garmin_list``, ``stridewise.pain``). Errors are one line and
start with the file's name; a cell's own problem is a ``CellError`` the reader words with its row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from stridewise.errors import CorruptFile, UnsupportedFile
from stridewise.localtime import offset_in_zone

#: Most columns a CSV may have; Strava's export has about 100, a run log a dozen.
MAX_COLUMNS = 1_000
#: Longest cell accepted [characters]: a note of a few pages.
MAX_CELL_CHARS = 10_000
#: Most rows accepted: a run a day for more than 270 years.
MAX_ROWS = 100_000
#: Longest cell read as a value (number, duration, date) [characters]; text cells may be longer.
MAX_VALUE_CHARS = 64

#: Delimiters a CSV of ours may use, in the order a tie is settled.
DELIMITERS = (",", ";", "\t", "|")
#: How a message names each delimiter.
DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a bar"}
#: Cell values that mean "no value" (compared case-insensitively).
MISSING = frozenset({"", "-", "--", "\u2013", "\u2014", "n/a", "na", "none", "null", "nan"})


class CellError(ValueError):
    """A cell that cannot be read as the value asked for. The message says why, without the file
    or the row: the reader adds those, or leaves the row out."""


# --- text ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A CSV file's text and how its bytes were read."""

    text: str
    encoding: str  # "UTF-8", "UTF-16", "Windows-1252" or "Latin-1"
    warning: str | None = None  # said once per file when the encoding had to be guessed


def decode(data: bytes, source_name: str) -> Text:
    """The text of a CSV file's bytes.

    UTF-16 needs its BOM (Excel writes one); without a BOM its NUL bytes make the file binary.
    Bytes that are not UTF-8 are read as Windows-1252, Excel's encoding on Windows, and the
    ``warning`` says so: accented letters may come out wrong, and the runner should know why.
    """
    warning = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "UTF-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            if "\x00" in data.decode("utf-16", errors="replace"):
                raise _binary(source_name) from None
            raise CorruptFile(f"{source_name}: not valid UTF-16 text ({exc.reason})") from exc
    else:
        if b"\x00" in data:
            raise _binary(source_name)
        try:
            text, encoding = data.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
                text, encoding = data.decode("latin-1"), "Latin-1"
            warning = (
                f"read as {encoding}: the file is not UTF-8 or UTF-16 text "
                "(check letters such as é and €)"
            )
    if "\x00" in text:
        raise _binary(source_name)
    return Text(text.lstrip("\ufeff"), encoding, warning)


def _binary(source_name: str) -> UnsupportedFile:
    return UnsupportedFile(f"{source_name}: is a binary file, not CSV text")


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What a CSV may hold before it is refused, and what the refusal says it is not."""

    what: str  # "a run log": the refusal ends "; not a run log"
    columns: int = MAX_COLUMNS
    cell_chars: int = MAX_CELL_CHARS
    rows: int = MAX_ROWS


class Record(NamedTuple):
    """One row of a CSV: the number a spreadsheet shows it under, and its cells as written."""

    number: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    """A CSV file split into records: the first non-blank one is the header.

    Row numbers count every record (blank ones too) from 1, as a spreadsheet shows them; a record
    is one row even when a quoted cell holds line breaks. Excel's ``sep=`` line is not a row.
    """

    header: list[str]  # cells as written; [] when the file has no non-blank record
    header_row: int  # 0 when there is no header
    rows: list[Record]  # the non-blank records after the header
    delimiter: str
    encoding: str
    warning: str | None  # the encoding's (``Text.warning``)

    @property
    def empty(self) -> bool:
        return not self.header


#: Excel's first line naming the delimiter ("sep=;"); Excel does not show it as a row.
_EXCEL_SEP = re.compile(r"[ \t\r\n]*sep=(.)[ \t]*(?:\r\n|\r|\n|$)", flags=re.IGNORECASE)
#: One line and its end, as csv and StringIO(newline="") split them (\r\n, \r or \n).
_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def read_table(
    data: bytes,
    source_name: str,
    limits: Limits,
    *,
    known_header: Callable[[str], bool] | None = None,
    keep_leading_spaces: bool = False,
) -> Table:
    """Decode a CSV file and split it into its header and numbered rows.

    ``known_header`` tells a header name the reader knows; the delimiter is the one under which
    the header names the most known columns, then the most columns. A cell's spaces after a
    delimiter are dropped (``10, "windy, cold"`` quotes the note) unless ``keep_leading_spaces``.
    Raises ``UnsupportedFile`` for input beyond ``limits`` or binary bytes, ``CorruptFile`` for
    text the csv module cannot split. An empty file gives an empty table: whether that is an
    error is the reader's to say.
    """
    text = decode(data, source_name)
    body, delimiter = _body_and_delimiter(text.text, source_name, limits, known_header)
    # skipinitialspace: `10, "windy, cold"` quotes the note even after the space
    reader = csv.reader(
        io.StringIO(body, newline=""), delimiter=delimiter, skipinitialspace=not keep_leading_spaces
    )
    header: list[str] = []
    header_row = 0
    rows: list[Record] = []
    try:
        for number, cells in enumerate(reader, start=1):
            check_record(cells, number, limits, source_name)
            if not any(cell.strip() for cell in cells):
                continue
            if not header:
                header, header_row = cells, number
            else:
                rows.append(Record(number, cells))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise UnsupportedFile(
                f"{source_name}: a cell is larger than {csv.field_size_limit():,} characters; "
                f"not {limits.what}"
            ) from exc
        raise CorruptFile(f"{source_name}: not a readable CSV file ({exc})") from exc
    return Table(header, header_row, rows, delimiter, text.encoding, text.warning)


def _body_and_delimiter(
    text: str, source_name: str, limits: Limits, known_header: Callable[[str], bool] | None
) -> tuple[str, str]:
    """The text to split (without Excel's ``sep=`` line) and its delimiter.

    A header with more delimiters than ``limits.columns`` is refused here, before the csv module
    splits it: splitting costs about 100 bytes a cell.
    """
    excel_hint = _EXCEL_SEP.match(text)
    if excel_hint:
        text = text[excel_hint.end() :]
    # lines found in place: a StringIO would copy the text at four bytes a character
    lines = (match.group(1) for match in _LINE.finditer(text))
    header_row, first_line = next(((n, s) for n, s in enumerate(lines, 1) if s.strip()), (0, ""))
    if excel_hint:
        delimiter = excel_hint.group(1)
    elif not first_line:
        return text, DELIMITERS[0]  # an empty file: nothing to split
    else:
        delimiter = sniff_delimiter(first_line, known_header, max_columns=limits.columns)
    if '"' not in first_line and first_line.count(delimiter) >= limits.columns:
        raise UnsupportedFile(
            f"{source_name}, row {header_row}: {first_line.count(delimiter) + 1:,} columns "
            f"(at most {limits.columns:,}); not {limits.what}"
        )
    return text, delimiter


def sniff_delimiter(
    header_line: str,
    known_header: Callable[[str], bool] | None = None,
    *,
    max_columns: int = MAX_COLUMNS,
) -> str:
    """The delimiter under which the header names the most known columns (then: most columns).

    The header decides because data rows cannot: "10,5" holds a comma whether or not the comma is
    the delimiter.
    """

    def score(delimiter: str) -> tuple[int, int]:
        count = header_line.count(delimiter)
        if count >= max_columns:  # refused by the caller; do not split it here
            return 0, count + 1
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter, skipinitialspace=True))
        except (csv.Error, StopIteration):
            return 0, 0  # the real read says what is wrong
        known = sum(1 for cell in cells if known_header(cell)) if known_header else 0
        return known, len(cells)

    return max(DELIMITERS, key=score)


def check_record(cells: Sequence[str], number: int, limits: Limits, source_name: str) -> None:
    """Fail fast on input no CSV of ours has: thousands of columns, giant cells, endless rows."""
    if len(cells) > limits.columns:
        raise UnsupportedFile(
            f"{source_name}, row {number}: {len(cells):,} columns "
            f"(at most {limits.columns:,}); not {limits.what}"
        )
    if number > limits.rows + 1:
        raise UnsupportedFile(f"{source_name}: more than {limits.rows:,} rows; not {limits.what}")
    longest = max((len(cell) for cell in cells), default=0)
    if longest > limits.cell_chars:
        raise UnsupportedFile(
            f"{source_name}, row {number}: a cell of {longest:,} characters "
            f"(at most {limits.cell_chars:,}); not {limits.what}"
        )


def check_table(table: Table, limits: Limits, source_name: str) -> None:
    """``check_record`` on every record of a table read under looser limits (before the reader
    that has these was chosen)."""
    if table.header:
        check_record(table.header, table.header_row, limits, source_name)
    for record in table.rows:
        check_record(record.cells, record.number, limits, source_name)


# --- headers and cells --------------------------------------------------------------------------


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
        """How many columns are named like one of ``aliases``."""
        wanted = {normalise_header(alias) for alias in aliases}
        return sum(name in wanted for name in self.names)


def cell(cells: Sequence[str], index: int | None) -> str | None:
    """A stripped cell, or None when the column is absent, short or holds a 'missing' mark."""
    if index is None or index >= len(cells):
        return None
    value = cells[index].strip()
    return None if value.casefold() in MISSING else value


def row_sha256(kind: str, cells: Sequence[str]) -> str:
    """A stable key for one row's content (the import log's sha256 of a summary-only row)."""
    return hashlib.sha256("\x1f".join([kind, *cells]).encode("utf-8")).hexdigest()


# --- numbers ------------------------------------------------------------------------------------

#: A run of digits with decimal marks or grouping inside, within a cell ("10,5" in "10,5 km").
_NUMBER_TOKEN = re.compile(r"\d*[.,]\d+(?:[.,]\d+)*")
#: Thousands grouped with spaces or apostrophes: "5 000", "1'000", "12 345,6".
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ '\u00a0\u202f]\d{3})+(?:[.,]\d+)?")


def decimal_mark(values: Iterable[str | None], delimiter: str = ",") -> str:
    """'.' or ',': the decimal mark a file's numbers use, told by those that read only one way.

    ``6,29``, ``0,500``, ``1.234,5`` and ``1,234,567`` each read one way; ``1,706`` reads both
    (Garmin writes thousands like that) and does not count. When both marks occur the more
    frequent wins. With no evidence, or as much for each, the ``delimiter`` decides: a file
    delimited by ``;`` comes from where the decimal comma is usual (that is why it is not
    delimited by commas), any other from where it is the point.
    """
    dots = commas = 0
    for value in values:
        for token in _NUMBER_TOKEN.findall(value or ""):
            mark = _unambiguous_decimal_mark(token)
            dots += mark == "."
            commas += mark == ","
    if dots == commas:
        return "," if delimiter == ";" else "."
    return "." if dots > commas else ","


def _unambiguous_decimal_mark(token: str) -> str | None:
    """The decimal mark a number must be using, or None when it reads both ways ("1,500")."""
    if "," in token and "." in token:
        return token[max(token.rfind(","), token.rfind("."))]  # "1,234.5", "1.234,5"
    mark = "," if "," in token else "."
    whole, *fractions = token.split(mark)
    if len(fractions) != 1:
        # "1,234,567": a mark that comes twice groups thousands; the other is the decimal mark
        return ("." if mark == "," else ",") if _is_grouped(token, mark) else None
    if len(fractions[0]) != 3 or whole in ("", "0"):
        return mark  # "10,5", "0,500": no thousands grouping looks like that
    return None


def parse_number(text: str | None, mark: str = ".") -> float | None:
    """A non-negative number written with decimal mark ``mark`` and optional grouping, or None.

    The other mark, and spaces or apostrophes between groups of three digits, group thousands.
    A lone separator followed by other than three digits is a decimal mark whatever ``mark`` is
    ("10,5" is 10.5 in any file); ``1,500`` follows ``mark``. Placeholders, text, NaN and
    infinities are None.
    """
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_VALUE_CHARS:
        return None
    if _SPACE_GROUPED.fullmatch(text):
        text = re.sub(r"[ '\u00a0\u202f]", "", text)  # "5 000", "1'000"
    if not re.fullmatch(r"\d*(?:[.,]\d+)*", text) or not text[-1:].isdigit():
        return None
    if "," in text and "." in text:
        last = text[max(text.rfind(","), text.rfind("."))]
        grouping = "." if last == "," else ","
        whole, fraction = text.rsplit(last, 1)
        if grouping in fraction or not _is_grouped(whole, grouping):
            return None
        number = float(f"{whole.replace(grouping, '')}.{fraction}")
    elif "," not in text and "." not in text:
        number = float(text)
    else:
        separator = "," if "," in text else "."
        parts = text.split(separator)
        if len(parts) == 2:
            whole, fraction = parts
            decimal = separator == mark or len(fraction) != 3 or whole in ("", "0")
            number = float(f"{whole or 0}.{fraction}") if decimal else float(whole + fraction)
        elif _is_grouped(text, separator):
            number = float(text.replace(separator, ""))
        else:
            return None
    return number if math.isfinite(number) else None


def _is_grouped(text: str, separator: str) -> bool:
    return bool(re.fullmatch(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})*", text))


# --- durations ----------------------------------------------------------------------------------

_COLON_DURATION = re.compile(r"(\d+):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d+))?")
#: "1h 20m 30s", "1h05", "45 min", "90 s". A number is never split in two ("90 s" is not 9 min 0 s).
_WORDED_DURATION = re.compile(
    r"(?:(?P<h>[\d.,]+)\s*(?:h|hr|hrs|hours?)\s*)?"
    r"(?:(?P<m>[\d.,]+)(?![\d.,])\s*(?P<m_unit>m|min|mins|minutes?|')?\s*)?"
    r"(?:(?P<s>[\d.,]+)\s*(?:s|sec|secs|seconds?|\")\s*)?"
)


def parse_duration_s(
    text: str | None, mark: str = ".", *, bare_unit_s: float = 1.0
) -> float | None:
    """Seconds [s] of ``h:mm:ss(.f)``, ``mm:ss``, ``1h05``, ``1h 20m 30s``, ``45 min``, or a bare
    number of ``bare_unit_s`` seconds each (a list's seconds; a log passes 60 for minutes).

    Minutes and seconds after a colon stay below 60; the first part may pass it ("95:10").
    None for anything else.
    """
    if text is None:
        return None
    lowered = text.strip().casefold()
    if len(lowered) > MAX_VALUE_CHARS:
        return None
    if match := _COLON_DURATION.fullmatch(lowered):
        first, second = int(match[1]), int(match[2])
        fraction = float(f"0.{match[4]}") if match[4] else 0.0
        if match[3] is None:  # mm:ss
            return first * 60 + second + fraction if second <= 59 else None
        third = int(match[3])
        if second > 59 or third > 59:
            return None
        return first * 3600 + second * 60 + third + fraction
    bare = parse_number(lowered, mark)
    if bare is not None:
        return bare * bare_unit_s
    return _worded_duration_s(lowered, mark)


def _worded_duration_s(text: str, mark: str) -> float | None:
    """ "1h05", "1h 20m 30s", "45 min", "90 s" -> seconds."""
    match = _WORDED_DURATION.fullmatch(text)
    if not match or not any(match.group("h", "m", "s")):
        return None
    if match["m"] and not match["m_unit"] and not match["h"]:
        return None  # a bare number is read above, in the caller's unit
    total = 0.0
    for group, seconds_per_unit in (("h", 3600.0), ("m", 60.0), ("s", 1.0)):
        if match[group]:
            number = parse_number(match[group], mark)
            if number is None:
                return None
            total += number * seconds_per_unit
    return total


# --- dates and times ----------------------------------------------------------------------------

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
#: Any instant: a zone name is checked by asking for its offset at one.
_ANY_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)


def parse_datetime(
    text: str,
    slash_day_first: bool | None = None,
    *,
    time_text: str = "",
    default_time: time = time(0, 0),
) -> datetime:
    """The date and time a cell writes: naive wall-clock time, or aware when the cell has an
    offset ("2026-03-14T07:30:00+01:00", "...Z").

    Dates are ISO (``2026-03-14``), day-first with dots (``14.03.2026``), with English month
    names (``14 Mar 2026``, ``Oct 6, 2022``, a weekday before them allowed) or with slashes, read
    day-first when ``slash_day_first`` (see ``slash_order``). A time of day may follow the date
    ("…, 11:19:20 PM") or come as ``time_text`` from its own column; else ``default_time``.
    Raises ``CellError`` naming the cell.
    """
    cleaned = re.sub(r"[\u202f\xa0]", " ", text).strip()
    if len(cleaned) > MAX_VALUE_CHARS:
        raise CellError(f"date '{text}' is not a date like 2026-03-14, 14.03.2026 or 03/14/2026")
    if _ISO_DATE.match(cleaned) and len(cleaned) > 10:
        try:
            instant = datetime.fromisoformat(cleaned)
        except ValueError:
            instant = None
        if instant is not None and instant.tzinfo is not None:
            return instant  # "2026-03-14T07:30:00+01:00" says its own offset
    date_text, clock_text = split_date_time(cleaned)
    day = _date(date_text, text, slash_day_first)
    if time_text:
        clock = parse_time_of_day(time_text)
    elif clock_text:
        clock = parse_time_of_day(clock_text)
    else:
        clock = default_time
    return datetime.combine(day, clock)


def split_date_time(text: str) -> tuple[str, str | None]:
    """A date cell, casefolded, split into its date and its time of day ("Sat, 14 Mar 2026,
    7:30 AM" -> ("14 mar 2026", "7:30 am")); a leading weekday is dropped."""
    text = text.strip().casefold()
    weekday = _WEEKDAY_PREFIX.match(text)
    if weekday:
        text = text[weekday.end() :]
    clock = _TRAILING_TIME.search(text)
    if clock:
        return text[: clock.start()].strip(), clock.group(1)
    return text, None


def _date(text: str, cell: str, slash_day_first: bool | None) -> date:
    problem = CellError(f"date '{cell}' is not a date like 2026-03-14, 14.03.2026 or 03/14/2026")
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
        raise CellError(f"date '{cell}' does not exist") from None


def _month(word: str, problem: CellError) -> int:
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


def parse_time_of_day(text: str) -> time:
    """A time of day: ``07:30``, ``7:30:15``, ``7:30 PM``, ``7.30 p.m.``; ``CellError`` else."""
    match = _TIME_OF_DAY.fullmatch(text.strip().casefold())
    problem = CellError(f"start time '{text}' is not a time of day like 07:30 or 7:30 PM")
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


def slash_order(
    dates: Iterable[tuple[int, str]], source_name: str, *, default: bool | None = None
) -> bool | None:
    """Whether a file's slash dates are day-first, decided by a date whose day is above 12.

    ``dates`` are (row number, date cell). None when no slash date depends on the order
    ("05/05/2026" reads the same both ways). Refuses (``CorruptFile``) a file whose dates
    contradict each other, and one where nothing decides, unless the format itself does
    (``default``: Strava writes slash dates day-first only).
    """
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    undecided: tuple[int, int, int, str] | None = None
    for row_number, text in dates:
        parts = _slash_parts(text) if len(text) <= MAX_VALUE_CHARS else None
        if parts is None:
            continue
        first, second, written = parts
        if first > 12 >= second and day_first is None:
            day_first = (row_number, written)
        elif second > 12 >= first and month_first is None:
            month_first = (row_number, written)
        elif first != second and max(first, second) <= 12 and undecided is None:
            undecided = (row_number, first, second, written)
    if day_first and month_first:
        raise CorruptFile(
            f"{source_name}: dates are day-first in row {day_first[0]} ('{day_first[1]}') but "
            f"month-first in row {month_first[0]} ('{month_first[1]}'); use one order, "
            "or write dates as YYYY-MM-DD"
        )
    if day_first or month_first:
        return day_first is not None
    if undecided and default is None:
        row_number, first, second, written = undecided
        raise CorruptFile(
            f"{source_name}: the date '{written}' in row {row_number} could be "
            f"{first} {_MONTHS[second - 1].title()} or {_MONTHS[first - 1].title()} {second}, "
            "and no date in the file has a day above 12 to tell which; "
            "write dates as YYYY-MM-DD"
        )
    return default if undecided else None


def _slash_parts(text: str) -> tuple[int, int, str] | None:
    """(first, second, date text) of a slash date with the year last, else None."""
    match = _SLASH_DATE.fullmatch(split_date_time(text)[0])
    return (int(match[1]), int(match[2]), match[0]) if match else None


# --- local time ---------------------------------------------------------------------------------


def checked_zone(zone: str | None) -> str | None:
    """The profile's time zone (an IANA name), checked before any row is read: ``ConfigError``
    when unknown (through ``localtime.offset_in_zone``); None when the profile has none."""
    if not zone:
        return None
    offset_in_zone(zone, _ANY_INSTANT)
    return zone


def wall_clock_note(start: datetime, zone: str | None) -> str | None:
    """What converting a wall-clock ``start`` in ``zone`` (an IANA name) had to decide, in words,
    or None when the time exists exactly once there.

    A time in the hour skipped when clocks go forward does not exist: ``to_utc`` reads it with
    the offset before the change (02:30 becomes 03:30 summer time). A time in the hour repeated
    when clocks go back happened twice: ``to_utc`` takes the first (summer time). Either way the
    runner is told, rather than the start being moved or chosen silently.
    """
    if zone is None or start.tzinfo is not None:
        return None
    try:
        tz = ZoneInfo(zone)
        first = start.replace(tzinfo=tz, fold=0)
        second = start.replace(tzinfo=tz, fold=1)
        if first.utcoffset() == second.utcoffset():
            return None
        shown = f"{start:%Y-%m-%d %H:%M}"
        read = first.astimezone(UTC).astimezone(tz)
    except (OverflowError, ValueError):  # the ends of the calendar: to_utc says so
        return None
    minutes = int((read.utcoffset() or timedelta(0)).total_seconds()) // 60
    sign, hours, rest = "+-"[minutes < 0], abs(minutes) // 60, abs(minutes) % 60
    read_as = f"{read:%H:%M} (UTC{sign}{hours:02d}:{rest:02d})"
    if read.replace(tzinfo=None) != start:
        return f"{shown} does not exist in {zone} (the clocks went forward); read as {read_as}"
    return f"{shown} happened twice in {zone} (the clocks went back); taken as the first, {read_as}"


def to_utc(start: datetime, zone: str | None) -> tuple[datetime, int | None]:
    """(start in UTC, UTC offset [s]) of a start read from a cell.

    A start with its own offset keeps it. A wall-clock start is placed in ``zone`` (checked with
    ``checked_zone``); without a zone it is taken as if it were UTC and its offset is unknown
    (None): the reader says what that means for its rows. ``CellError`` for a start at the ends
    of the calendar, where no offset can be applied.
    """
    try:
        if start.tzinfo is not None:
            offset = start.utcoffset() or timedelta(0)
            return start.astimezone(UTC), int(offset.total_seconds())
        if zone is None:
            return start.replace(tzinfo=UTC), None
        start_utc = start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    except OverflowError:
        raise CellError(f"date '{start:%Y-%m-%d}' is at the end of the calendar") from None
    return start_utc, offset_in_zone(zone, start_utc)
