"""The runner's calendar: local days, ISO weeks (Monday first), rest days and running streaks.

A day is the runner's *local* day — the wall-clock date where the run happened (``local_date``
from the store), never the UTC date: a Sunday-evening run in Los Angeles is a Monday in UTC but
belongs to the runner's Sunday and to that ISO week. A rest day has no training at all
(RULES.md): a day with only cross-training or strength work is neither a rest day nor a running
day, and the calendar counts both.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from stridewise.kinds import KINDS


def as_days(values: pd.Series | list | np.ndarray) -> pd.Series:
    """Local dates (``datetime.date`` objects, strings or timestamps) as datetime64 midnights."""
    return pd.Series(pd.to_datetime(pd.Series(values), errors="coerce")).dt.normalize()


def week_start(days: pd.Series | pd.DatetimeIndex) -> pd.Series:
    """The Monday of each day's ISO week (local calendar)."""
    days = pd.Series(days)
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def iso_week_label(day: pd.Timestamp | date) -> str:
    """ISO week of a local day as ``YYYY-Www`` (e.g. 2026-W05)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def running_calendar(
    runs: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    training_days: pd.Series | pd.DatetimeIndex | None = None,
) -> pd.DataFrame:
    """One row per local day from ``start`` to ``end``: what was run, rest days and streaks.

    ``runs`` has one row per run with ``day`` (datetime64 local day), ``distance_km`` [km] and
    ``duration_s`` [s]; ``training_days`` the local days of every other training session
    (cross-training, strength work; ``stridewise.kinds``). Columns: ``runs`` (count),
    ``distance_km`` [km], ``duration_s`` [s], ``longest_km`` [km], ``ran``, ``trained`` (a run or
    other training), ``rest`` (no training at all), ``cross_only`` (trained without running),
    ``streak`` (consecutive training days ending that day; 0 on a rest day) and ``rest_days_7``
    (rest days in the 7 days ending that day; NaN for the first 6 days, whose week reaches
    before the history).
    """
    calendar = pd.date_range(start, end, freq="D", name="day")
    grouped = runs.groupby("day")
    daily = pd.DataFrame(
        {
            "runs": grouped.size(),
            "distance_km": grouped["distance_km"].sum(min_count=1),
            "duration_s": grouped["duration_s"].sum(min_count=1),
            "longest_km": grouped["distance_km"].max(),
        }
    ).reindex(calendar)
    daily["runs"] = daily["runs"].fillna(0).astype("int64")
    daily[["distance_km", "duration_s"]] = daily[["distance_km", "duration_s"]].fillna(0.0)
    ran = daily["runs"] > 0
    other = pd.Series(False, index=calendar)
    if training_days is not None and len(training_days):
        days = pd.DatetimeIndex(training_days).normalize()
        other = pd.Series(calendar.isin(days), index=calendar)
    trained = ran | other
    daily["ran"] = ran
    daily["trained"] = trained
    daily["rest"] = ~trained
    daily["cross_only"] = trained & ~ran
    stretch = (~trained).cumsum()  # a new stretch starts at every rest day
    daily["streak"] = trained.astype("int64").groupby(stretch).cumsum()
    daily["rest_days_7"] = daily["rest"].astype("float64").rolling(7, min_periods=7).sum()
    return daily


def weekly_totals(calendar: pd.DataFrame) -> pd.DataFrame:
    """Totals per ISO week (local Monday-Sunday) from ``running_calendar``'s frame.

    Index: the week's Monday. Columns: ``week`` (YYYY-Www), ``distance_km`` [km], ``duration_s``
    [s], ``runs``, ``rest_days`` (no training at all), ``days_without_running`` and
    ``longest_run_km`` [km] (NaN in a week without a run), ``days`` (days of the week inside the
    history: a first or last week may be partial).
    """
    monday = week_start(pd.Series(calendar.index, index=calendar.index)).rename("week_start")
    grouped = calendar.groupby(monday)
    totals = pd.DataFrame(
        {
            "distance_km": grouped["distance_km"].sum(),
            "duration_s": grouped["duration_s"].sum(),
            "runs": grouped["runs"].sum(),
            "rest_days": grouped["rest"].sum(),
            "days_without_running": calendar["runs"].eq(0).groupby(monday).sum(),
            "longest_run_km": grouped["longest_km"].max(),
            "days": grouped.size(),
        }
    )
    totals.insert(0, "week", [iso_week_label(day) for day in totals.index])
    return totals


def weekly_minutes_by_kind(
    days: pd.Series, kinds: pd.Series, duration_s: pd.Series, mondays: pd.DatetimeIndex
) -> pd.DataFrame:
    """Minutes and sessions per ISO week of each kind of session (``stridewise.kinds``).

    ``days`` (local days), ``kinds`` and ``duration_s`` [s] have one value per activity; a
    session of unknown duration counts as a session of 0 minutes. Index: ``mondays``. Columns:
    one per kind [min] and ``<kind>_sessions`` (counts), zero in a week without any.
    """
    frame = pd.DataFrame(
        {
            "monday": week_start(as_days(days).reset_index(drop=True)),
            "kind": kinds.to_numpy(),
            "minutes": pd.Series(duration_s, dtype="float64").fillna(0.0).to_numpy() / 60.0,
        }
    )
    grouped = frame.groupby(["monday", "kind"])["minutes"]
    minutes = grouped.sum().unstack(fill_value=0.0).reindex(index=mondays, columns=list(KINDS))
    sessions = grouped.size().unstack(fill_value=0).reindex(index=mondays, columns=list(KINDS))
    table = minutes.fillna(0.0).astype("float64")
    for kind in KINDS:
        table[f"{kind}_sessions"] = sessions[kind].fillna(0).astype("int64")
    table.index.name = "week_start"
    table.columns.name = None
    return table
