"""Load over days: daily load, the performance-management chart, acute and chronic load,
monotony and strain.

All functions take a *daily* load Series (a DatetimeIndex of consecutive local days, zero-filled,
as ``daily_load`` returns) and are vectorised over it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Performance-management chart time constants [days].
CTL_DAYS = 42
ATL_DAYS = 7
#: The PMC convention, stated for the report (RULES.md: Runalyze uses λ = 2/(N+1) instead).
PMC_CONVENTION = (
    "CTL_t = CTL_{t-1}·e^(-1/42) + L_t·(1 - e^(-1/42)); ATL the same with 7 days; both start at 0 "
    "on the first day of the history; TSB_t = CTL_{t-1} - ATL_{t-1}; ramp = CTL_t - CTL_{t-7} "
    "(the e^(-1/N) convention of GoldenCheetah and TrainingPeaks; Banister model, Morton 1990)"
)
#: EWMA acute and chronic windows (Williams 2017) [days].
EWMA_ACUTE_DAYS = 7
EWMA_CHRONIC_DAYS = 28
#: Monotony: the standard deviation is floored at this share of the mean daily load [-], so a
#: week of identical days gives monotony 1 / 0.1 = 10 instead of infinity.
MONOTONY_SD_FLOOR = 0.1


def daily_load(
    days: pd.Series | pd.DatetimeIndex,
    loads: pd.Series,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.Series:
    """Load per local day, zero on days without a run, from ``start`` to ``end`` inclusive.

    ``days`` are the runs' local days (datetime64, midnight), ``loads`` their loads [model unit]
    (same length). ``start``/``end`` default to the first and last run day. Returns a Series on a
    daily DatetimeIndex named ``day``.
    """
    days = pd.DatetimeIndex(pd.to_datetime(np.asarray(days))).normalize()
    totals = pd.Series(np.asarray(loads, dtype="float64"), index=days).groupby(level=0).sum()
    if start is None:
        start = totals.index.min() if len(totals) else None
    if end is None:
        end = totals.index.max() if len(totals) else None
    if start is None or end is None:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="day"), name="load")
    calendar = pd.date_range(start, end, freq="D", name="day")
    return totals.reindex(calendar, fill_value=0.0).rename("load")


def _exponential(load: pd.Series, alpha: float, start: float = 0.0) -> pd.Series:
    """y_t = y_{t-1}·(1 - α) + α·L_t with y before the first day = ``start``."""
    padded = pd.concat([pd.Series([start]), pd.Series(load.to_numpy(dtype="float64"))])
    smoothed = padded.ewm(alpha=alpha, adjust=False).mean().to_numpy()[1:]
    return pd.Series(smoothed, index=load.index)


def pmc(load: pd.Series, ctl_days: int = CTL_DAYS, atl_days: int = ATL_DAYS) -> pd.DataFrame:
    """Performance-management chart: CTL, ATL, TSB and ramp rate (see ``PMC_CONVENTION``).

    Parameters: ``load`` daily load [model unit]; ``ctl_days`` and ``atl_days`` time constants
    [days]. Returns columns ``load``, ``ctl``, ``atl`` [model unit per day], ``tsb`` and
    ``ramp`` (CTL change over 7 days) [model unit per day]. Not an injury signal.
    """
    ctl = _exponential(load, 1.0 - np.exp(-1.0 / ctl_days))
    atl = _exponential(load, 1.0 - np.exp(-1.0 / atl_days))
    return pd.DataFrame(
        {
            "load": load,
            "ctl": ctl,
            "atl": atl,
            "tsb": (ctl - atl).shift(1, fill_value=0.0),
            "ramp": ctl - ctl.shift(7, fill_value=0.0),
        }
    )


def acute_chronic(load: pd.Series) -> pd.DataFrame:
    """Acute and chronic load, shown separately, and the ratios RULES.md allows.

    - ``acute``: load of the last 7 days (days t-6…t) [model unit per week].
    - ``chronic``: uncoupled chronic load, the mean weekly load of days t-27…t-7 (Windt & Gabbett
      2019, doi:10.1136/bjsports-2017-098925) [model unit per week]; NaN before 28 days.
    - ``ratio_uncoupled``: acute / chronic [-].
    - ``ewma_acute``, ``ewma_chronic``: EWMA with λ = 2/(N+1), N = 7 and 28 (Williams 2017,
      doi:10.1136/bjsports-2016-096589), both starting at the mean daily load of the first week
      (RULES.md: starting at 0 would make every early week look like a jump) [model unit per
      day]; ``ratio_ewma`` [-].

    ``load`` is daily load [model unit]. The ratio has no causal or threshold support
    (Impellizzeri 2020): never read a range of it as safe.
    """
    acute = load.rolling(7, min_periods=7).sum()
    chronic = load.shift(7).rolling(21, min_periods=21).sum() / 3.0
    first_week = float(load.iloc[:7].mean()) if len(load) else 0.0
    ewma_acute = _exponential(load, 2.0 / (EWMA_ACUTE_DAYS + 1), first_week)
    ewma_chronic = _exponential(load, 2.0 / (EWMA_CHRONIC_DAYS + 1), first_week)
    return pd.DataFrame(
        {
            "acute": acute,
            "chronic": chronic,
            "ratio_uncoupled": (acute / chronic).where(chronic > 0),
            "ewma_acute": ewma_acute,
            "ewma_chronic": ewma_chronic,
            "ratio_ewma": (ewma_acute / ewma_chronic).where(ewma_chronic > 0),
        }
    )


def foster_monotony(load: pd.Series, sd_floor: float = MONOTONY_SD_FLOOR) -> pd.DataFrame:
    """Foster monotony and strain over each 7-day window ending on a day.

    monotony = mean / SD of the 7 daily loads (rest days count 0; SD is the population SD of the
    whole week, floored at ``sd_floor`` × mean); strain = weekly load × monotony (Foster 1998,
    doi:10.1097/00005768-199807000-00023). Parameters: ``load`` daily load [model unit];
    ``sd_floor`` [-]. Returns ``weekly_load`` [model unit], ``monotony`` [-] (NaN for a week
    without load or before 7 days), ``strain`` [model unit] and ``floored`` (the week had too
    little variation to measure: monotony is 1 / ``sd_floor`` or more).
    """
    window = load.rolling(7, min_periods=7)
    mean = window.mean()
    deviation = window.std(ddof=0)
    floored = np.maximum(deviation, sd_floor * mean)
    monotony = (mean / floored).where(mean > 0)
    weekly = window.sum()
    return pd.DataFrame(
        {
            "weekly_load": weekly,
            "monotony": monotony,
            "strain": weekly * monotony,
            # the SD was below its floor: monotony is at its ceiling (1 / floor), not a measure
            "floored": (deviation < sd_floor * mean) & (mean > 0),
        }
    )
