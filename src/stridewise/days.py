"""Dates and ISO weeks as a runner types them: checked as dates, within the years stridewise
keeps, in one wording everywhere (the command line's ``--since``, ``--until``, ``--date`` and
``--week``, the pain journal, the API).

A typo such as ``0001-01-01`` or ``9999-W52`` is a real date to Python, but a week before it or a
day after it does not exist, so the arithmetic of every later reading overflowed (a pain entry
of year 1 broke every ``pain list`` for good). Days outside ``EARLIEST_DAY`` to ``LATEST_DAY``
are refused when they are typed, never stored.
"""

from __future__ import annotations

import re
from datetime import date

from stridewise.errors import InvalidInput
from stridewise.limits import EARLIEST_START

#: First day a date may name: the earliest activity start accepted (``limits.EARLIEST_START``).
EARLIEST_DAY = EARLIEST_START.date()
#: Last day a date may name: far beyond any training plan, far from the calendar's end.
LATEST_DAY = date(2099, 12, 31)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})")


def parse_day(text: str) -> date:
    """A date written YYYY-MM-DD that exists and lies in ``EARLIEST_DAY``-``LATEST_DAY``.

    Raises ``InvalidInput``: ``'2026-13-01' is not a date (use YYYY-MM-DD)``, or ``'0001-01-01'
    is out of range (use a date from 1990-01-01 to 2099-12-31)``.
    """
    cleaned = text.strip()
    try:
        # fromisoformat alone would also take 20261101 and 2026-W47-1
        if not _DAY.fullmatch(cleaned):
            raise ValueError(cleaned)
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date (use YYYY-MM-DD)") from None
    return check_day(day, text)


def check_day(day: date, text: str | None = None) -> date:
    """``day`` when it lies in ``EARLIEST_DAY``-``LATEST_DAY``; ``InvalidInput`` naming ``text``
    (default: the ISO date) otherwise."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(
            f"'{text if text is not None else day.isoformat()}' is out of range (use a date from "
            f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()})"
        )
    return day


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www`` (e.g. 2026-W47) that exists and lies in
    ``EARLIEST_DAY``-``LATEST_DAY``; ``InvalidInput`` in words otherwise."""
    match = _WEEK.fullmatch(text.strip().upper())
    if match is None:
        raise InvalidInput(f"week '{text}' is not an ISO week; use YYYY-Www, e.g. 2026-W47")
    year, week = int(match[1]), int(match[2])
    # ISO year 1990 starts on 1990-01-01 and 2099's last week is within 2099: the years suffice
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise InvalidInput(
            f"week '{text}' is out of range (use a week from {EARLIEST_DAY.year}-W01 to "
            f"{LATEST_DAY.year}-W{LATEST_DAY.isocalendar().week:02d})"
        )
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidInput(f"week '{text}' does not exist: {year} has no week {week}") from None
