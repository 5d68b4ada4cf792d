"""The athletes of a database, for a coach: how much each has stored and how fresh it is.

A coach imports for several athletes (``--athlete NAME``) and needs to see whose data is stale
before reading anything into it: the last activity (a local date, with how many days ago) and the
last import per athlete, beside the counts and the pain journal. ``stridewise athletes`` prints
this; the team page shows the same last-activity date on each athlete's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from stridewise.inputs import printable
from stridewise.profile import Config
from stridewise.store import Store
from stridewise.views import text_table


@dataclass(frozen=True)
class AthleteOverview:
    """One athlete of the database as of ``today`` (a local date)."""

    athlete: str
    activities: int
    runs: int
    first_date: date | None  # local date of the first activity
    last_date: date | None  # local date of the last activity
    days_since_last: int | None  # days from the last activity to today
    last_import_utc: datetime | None
    pain_entries: int
    last_pain_date: date | None
    own_profile: bool  # the config has an [athletes.NAME] section for them

    def to_json(self) -> dict[str, Any]:
        """The fields of ``athletes --json``: dates local ISO, the import instant UTC."""
        return {
            "athlete": self.athlete,
            "activities": self.activities,
            "runs": self.runs,
            "first_date": _iso(self.first_date),
            "last_date": _iso(self.last_date),
            "days_since_last": self.days_since_last,
            "last_import": None
            if self.last_import_utc is None
            else self.last_import_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "pain_entries": self.pain_entries,
            "last_pain_date": _iso(self.last_pain_date),
            "own_profile": self.own_profile,
        }


def athlete_overview(store: Store, config: Config, today: date) -> list[AthleteOverview]:
    """Every athlete of the database, by name; local dates in each athlete's own time zone."""
    zones = {name: config.profile(name).timezone for name in config.names}
    shared_zone = config.profile(None).timezone
    summaries = store.athletes(lambda name: zones.get(name, shared_zone))
    return [
        AthleteOverview(
            athlete=summary.athlete,
            activities=summary.activities,
            runs=summary.runs,
            first_date=summary.first_date,
            last_date=summary.last_date,
            days_since_last=None if summary.last_date is None else (today - summary.last_date).days,
            last_import_utc=summary.last_import_utc,
            pain_entries=summary.pain_entries,
            last_pain_date=summary.last_pain_date,
            own_profile=summary.athlete in config.athletes,
        )
        for summary in summaries
    ]


def athletes_table(rows: list[AthleteOverview]) -> str:
    """The text table ``stridewise athletes`` prints, names made safe for a terminal; athletes
    with a config section of their own are starred."""
    header = ("athlete", "activities", "runs", "first", "last activity", "last import", "pain")
    lines = [
        (
            printable(row.athlete) + (" *" if row.own_profile else ""),
            str(row.activities),
            str(row.runs),
            _iso(row.first_date) or "-",
            _last_activity(row),
            "-"
            if row.last_import_utc is None
            else row.last_import_utc.strftime("%Y-%m-%d %H:%M UTC"),
            f"{row.pain_entries} (last {_iso(row.last_pain_date)})" if row.pain_entries else "-",
        )
        for row in rows
    ]
    table = text_table(header, lines)
    if any(row.own_profile for row in rows):
        table += "\n* has an [athletes.NAME] section of its own in the config"
    return table


def _last_activity(row: AthleteOverview) -> str:
    if row.last_date is None or row.days_since_last is None:
        return "-"
    days = row.days_since_last
    if days == 0:
        ago = "today"
    elif days == 1:
        ago = "1 day ago"
    elif days > 0:
        ago = f"{days} days ago"
    else:  # an activity dated after today: a watch clock or time zone off
        ago = f"in {-days} day{'s' if days != -1 else ''}"
    return f"{row.last_date.isoformat()} ({ago})"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
