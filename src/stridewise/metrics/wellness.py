"""Daily wellness measurements as series: resting heart rate, sleep and HRV per local day.

A watch measures them most days, not all: a day without a measurement is unknown (NaN), never
zero. The resting heart rate baseline is the runner's own — the mean of the ``baseline_days``
before a 7-day window, as monitoring studies recommend individual baselines (Buchheit 2014,
doi:10.3389/fphys.2014.00073) — so a rise is judged against the runner, not a population.
"""

from __future__ import annotations

import pandas as pd

#: Days of the recent window compared with the baseline [days].
RECENT_DAYS = 7


def daily_values(wellness: pd.DataFrame, column: str) -> pd.Series:
    """One wellness column per local day, from its first to its last measurement (NaN where not
    measured), indexed by day (datetime64). ``wellness`` has ``date`` (ISO text or dates) and
    ``column``; a day given twice counts as the mean of its values. Empty when never measured."""
    if column not in wellness:
        return pd.Series(dtype="float64")
    measured = wellness.dropna(subset=[column])
    if measured.empty:
        return pd.Series(dtype="float64")
    values = pd.Series(
        measured[column].astype("float64").to_numpy(),
        index=pd.DatetimeIndex(pd.to_datetime(measured["date"])).normalize(),
    )
    values = values.groupby(level=0).mean()
    return values.reindex(pd.date_range(values.index.min(), values.index.max(), name="day"))


def recent_mean(values: pd.Series, min_days: int, days: int = RECENT_DAYS) -> pd.DataFrame:
    """Per day: ``mean`` of the ``days`` to it (NaN unless ``min_days`` are measured) and
    ``measured`` (how many were). ``values`` from ``daily_values``."""
    window = values.rolling(days, min_periods=min_days)
    return pd.DataFrame({"mean": window.mean(), "measured": window.count()}, index=values.index)


def baseline(
    values: pd.Series, baseline_days: int, min_days: int, recent_days: int = RECENT_DAYS
) -> pd.Series:
    """Per day: the mean of the ``baseline_days`` before its ``recent_days`` window (NaN unless
    ``min_days`` of them are measured) [unit of ``values``]."""
    return values.shift(recent_days).rolling(baseline_days, min_periods=min_days).mean()
