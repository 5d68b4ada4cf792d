"""The back-pain journal: one score a day, 0 (none) to 10 (worst), with an optional note.

A journal kept in a spreadsheet is imported as CSV through the CSV text layer
(``stridewise.csvtext``), like every CSV: UTF-8 or UTF-16, ``,`` or ``;``, and dates as a run log
writes them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from stridewise import days
from stridewise.csvtext import CellError, Limits, Record, parse_datetime, read_table, slash_order
from stridewise.errors import InvalidInput, StridewiseError
from stridewise.inputs import read_regular_file
from stridewise.store import Store

#: Largest pain journal accepted [bytes]: a line a day for a lifetime is a few MB.
MAX_JOURNAL_BYTES = 16 * 2**20
#: What a journal CSV may hold: the CSV layer's limits.
_LIMITS = Limits("a pain journal")
_HEADER_WORDS = frozenset({"date", "score", "note"})
_SCORES = frozenset(str(score) for score in range(11))


def parse_day(text: str, today: date, where: str = "") -> date:
    """A journal date (YYYY-MM-DD): real, in range (``days.parse_day``), not in the future."""
    prefix = f"{where}: " if where else ""
    try:
        day = days.parse_day(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{prefix}{exc}") from None
    return _not_future(day, today, prefix)


def check_not_future(day: date, today: date) -> date:
    """A journal day typed as a date: in range (``days.check_day``) and not after ``today``."""
    return _not_future(day, today, "")


def _not_future(day: date, today: date, prefix: str) -> date:
    """``day`` when it is in range and not after ``today``."""
    try:
        days.check_day(day)
    except InvalidInput as exc:
        raise InvalidInput(f"{prefix}{exc}") from None
    if day > today:
        raise InvalidInput(f"{prefix}{day.isoformat()} is in the future")
    return day


def parse_score(text: str | int, where: str = "") -> int:
    prefix = f"{where}: " if where else ""
    try:
        score = int(str(text).strip())
    except ValueError:
        raise InvalidInput(f"{prefix}score '{text}' must be a whole number from 0 to 10") from None
    if not 0 <= score <= 10:
        raise InvalidInput(f"{prefix}score {score} is outside 0-10")
    return score


def add_pain(store: Store, athlete: str, day: date, score: int, note: str | None = None) -> bool:
    """Log one day's score; returns True when it replaced that day's earlier entry. A day out of
    range (``days.check_day``) or a score outside 0-10 is refused before anything is stored."""
    days.check_day(day)
    parse_score(score)
    return store.write_pain(athlete, [(day, score, note)]) > 0


def pain_frame(store: Store, athlete: str) -> pd.DataFrame:
    """Every logged day, oldest first: date (datetime.date), score, note (None when none)."""
    return journal_frame(store.pain_entries(athlete))


def journal_frame(entries: list[tuple[date, int, str | None]]) -> pd.DataFrame:
    """Journal entries ``(date, score, note)`` as a frame with those three columns."""
    return pd.DataFrame(
        {
            "date": pd.Series([e[0] for e in entries], dtype="object"),
            "score": pd.Series([e[1] for e in entries], dtype="int64"),
            "note": pd.Series([e[2] for e in entries], dtype="object"),
        }
    )


def import_pain_csv(store: Store, athlete: str, path: Path, today: date) -> tuple[int, int]:
    """Read ``date,score[,note]`` rows (header optional); all rows or none.

    The CSV layer reads the file: UTF-8 or UTF-16 (Windows-1252 otherwise), ``,``, ``;``, tab or
    ``|`` between cells, dates as ISO, ``14.03.2026``, ``14 Mar 2026`` or slashes (their order
    decided by the whole file). Rows are named by the number a spreadsheet shows. A note holding
    the delimiter unquoted is kept whole.

    Returns (entries written, of which replaced an earlier entry).
    """
    try:
        data = read_regular_file(path, MAX_JOURNAL_BYTES, "a pain journal")
    except StridewiseError as exc:
        raise InvalidInput(str(exc)) from exc
    # spaces kept after delimiters: a note split at its unquoted commas is joined back as written
    table = read_table(
        data, path.name, _LIMITS, known_header=_journal_cell, keep_leading_spaces=True
    )
    rows = list(table.rows)
    if table.header and table.header[0].strip().lower() != "date":
        rows.insert(0, Record(table.header_row, table.header))  # no header: a day already
    slash_day_first = slash_order(((row.number, row.cells[0].strip()) for row in rows), path.name)
    entries: dict[date, tuple[int, str | None]] = {}
    for number, row in rows:
        where = f"{path.name}, row {number}"
        if len(row) < 2:
            raise InvalidInput(f"{where}: expected date,score[,note]")
        day = _csv_day(row[0], today, where, slash_day_first)
        note = table.delimiter.join(row[2:]).strip() or None
        entries[day] = (parse_score(row[1], where), note)
    replaced = store.write_pain(
        athlete, [(day, score, note) for day, (score, note) in sorted(entries.items())]
    )
    return len(entries), replaced


def _csv_day(text: str, today: date, where: str, slash_day_first: bool | None) -> date:
    """A journal date as the CSV layer reads dates: real, and not in the future."""
    try:
        day = parse_datetime(text, slash_day_first).date()
    except CellError:
        raise InvalidInput(f"{where}: '{text}' is not a date (use YYYY-MM-DD)") from None
    return _not_future(day, today, f"{where}: ")


def _journal_cell(cell: str) -> bool:
    """Whether a cell of the first line is one a journal has (a header word, a date or a score):
    the delimiter is the one that splits that line into such cells, header or not."""
    text = cell.strip()
    if text.lower() in _HEADER_WORDS or text in _SCORES:
        return True
    try:
        parse_datetime(text)
    except CellError:
        return False
    return True
