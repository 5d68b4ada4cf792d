"""The back-pain journal: one score a day, 0 (none) to 10 (worst), with an optional note."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd

from stridewise.errors import InvalidInput
from stridewise.inputs import read_regular_file
from stridewise.store import Store

#: Largest pain journal accepted [bytes]: a line a day for a lifetime is a few MB.
MAX_JOURNAL_BYTES = 16 * 2**20


def parse_day(text: str, today: date, where: str = "") -> date:
    """A journal date (YYYY-MM-DD): real, and not in the future."""
    prefix = f"{where}: " if where else ""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{prefix}'{text}' is not a date (use YYYY-MM-DD)") from None
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
    """Log one day's score; returns True when it replaced that day's earlier entry."""
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

    Returns (entries written, of which replaced an earlier entry).
    """
    try:
        text = read_regular_file(path, MAX_JOURNAL_BYTES, "a pain journal").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: cannot be read ({exc})") from exc
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().lower() == "date":
        rows = rows[1:]
    entries: dict[date, tuple[int, str | None]] = {}
    for number, row in enumerate(rows, start=1):
        where = f"{path.name}, row {number}"
        if len(row) < 2:
            raise InvalidInput(f"{where}: expected date,score[,note]")
        day = parse_day(row[0], today, where)
        note = ",".join(row[2:]).strip() or None
        entries[day] = (parse_score(row[1], where), note)
    replaced = store.write_pain(
        athlete, [(day, score, note) for day, (score, note) in sorted(entries.items())]
    )
    return len(entries), replaced
