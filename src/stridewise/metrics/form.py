"""Running form per run — cadence and ground-contact balance — and the runner's own baselines.

Cadence depends on speed, so a run's cadence is compared with what the runner's own previous
runs predict at that speed: a least-squares line of per-run median cadence on per-run median
speed over the previous ``BASELINE_DAYS`` (Heiderscheit 2011, doi:10.1249/MSS.0b013e3181ebedf4:
cadence +5 % reduces knee loading; the injury evidence is limited, Anderson 2022,
doi:10.1186/s40798-022-00504-0). The line is only used within the speeds it was fitted on (± 10 %),
its slope is kept between 0 and ``MAX_CADENCE_SLOPE`` (cadence does not fall with speed), and with
almost no spread of speeds (SD < 0.1 m/s) it is the mean cadence.

Ground-contact balance (share of contact time on the left foot) is averaged per run on level
ground (|grade| ≤ 3 %, or everywhere when altitude is missing), and compared with 50 % and with the
median of the runner's previous runs (Malisoux 2024, doi:10.1136/bmjsem-2023-001787: asymmetry
did not raise injury risk, so changes from baseline matter more than the level).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from stridewise.metrics.records import Track, as_track, median, weighted_mean

# pandas only where a function needs it: the import's per-run metrics load without it
if TYPE_CHECKING:
    import pandas as pd

#: How far back a baseline looks [days] (12 weeks).
BASELINE_DAYS = 84
#: Steepest believable rise of cadence with speed [1/min per m/s].
MAX_CADENCE_SLOPE = 25.0
#: Below this spread of speeds the baseline is a plain mean [m/s].
MIN_SPEED_SD = 0.1
#: Steepest grade counted as level for the balance mean [-].
LEVEL_GRADE = 0.03


class RunCadence(NamedTuple):
    cadence_spm: float  # median running cadence [1/min]
    speed_mps: float  # median moving speed [m/s]


def run_cadence(track: Track | pd.DataFrame) -> RunCadence:
    """Median cadence of the moving records with a running cadence, and median moving speed.

    ``track`` from ``prepare_track`` (cadence outside 100-250 steps/min is already missing).
    """
    track = as_track(track)
    cadence = median(track.moving_values("cadence_spm")) if "cadence_spm" in track else np.nan
    return RunCadence(float(cadence), median(track.moving_values("speed_mps")))


def stance_balance(track: Track | pd.DataFrame, level_grade: float = LEVEL_GRADE) -> float:
    """Time-weighted mean ground-contact balance on level moving ground [% left].

    Parameters: ``track`` from ``prepare_track``; ``level_grade`` [-]. NaN without balance
    records.
    """
    if "stance_time_balance_pct" not in track:
        return float("nan")
    track = as_track(track)
    level = track["moving"] & ~(np.abs(track["grade"]) > level_grade)
    return weighted_mean(track["stance_time_balance_pct"][level], track["dt_s"][level])


def cadence_baseline(
    runs: pd.DataFrame, window_days: int = BASELINE_DAYS, min_runs: int = 8
) -> pd.DataFrame:
    """Speed-matched cadence each run would have by the runner's previous runs.

    ``runs``: one row per run, sorted by ``start`` (local start, datetime64), with
    ``cadence_spm`` [1/min] and ``speed_mps`` [m/s] (NaN when unknown). For each run, a line
    cadence = a + b·speed is fitted to the runs with both values in the ``window_days`` [days]
    before it (the run itself excluded); ``min_runs`` is the least count it needs. Returns, on the
    same index, ``baseline_runs``, ``expected_spm`` [1/min] (NaN under ``min_runs`` or outside
    the fitted speeds ± 10 %), ``deviation_pct`` [%] (cadence / expected − 1) and the fitted
    ``speed_low`` / ``speed_high`` [m/s].
    """
    import pandas as pd

    known = runs["cadence_spm"].notna() & runs["speed_mps"].notna()
    x = runs["speed_mps"].where(known, 0.0)
    y = runs["cadence_spm"].where(known, 0.0)
    parts = pd.DataFrame(
        {
            "n": known.astype("float64"),
            "x": x,
            "y": y,
            "xx": x * x,
            "xy": x * y,
            "low": runs["speed_mps"].where(known),
            "high": runs["speed_mps"].where(known),
        }
    )
    parts.index = pd.DatetimeIndex(runs["start"])
    window = f"{window_days}D"
    sums = parts[["n", "x", "y", "xx", "xy"]].rolling(window, closed="left").sum()
    low = parts["low"].rolling(window, closed="left", min_periods=1).min()
    high = parts["high"].rolling(window, closed="left", min_periods=1).max()
    n = sums["n"].fillna(0.0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = n * sums["xx"].to_numpy() - sums["x"].to_numpy() ** 2
        slope = (n * sums["xy"].to_numpy() - sums["x"].to_numpy() * sums["y"].to_numpy()) / spread
        slope = np.where(spread / np.maximum(n, 1) ** 2 < MIN_SPEED_SD**2, 0.0, slope)
        slope = np.clip(np.nan_to_num(slope), 0.0, MAX_CADENCE_SLOPE)
        intercept = (sums["y"].to_numpy() - slope * sums["x"].to_numpy()) / n
    speed = runs["speed_mps"].to_numpy()
    within = (speed >= low.to_numpy() * 0.9) & (speed <= high.to_numpy() * 1.1)
    expected = np.where((n >= min_runs) & within, intercept + slope * speed, np.nan)
    result = pd.DataFrame(
        {
            "baseline_runs": n.astype("int64"),
            "expected_spm": expected,
            "speed_low": low.to_numpy(),
            "speed_high": high.to_numpy(),
        },
        index=runs.index,
    )
    result["deviation_pct"] = (runs["cadence_spm"] / result["expected_spm"] - 1.0) * 100.0
    return result


def balance_baseline(
    runs: pd.DataFrame, window_days: int = BASELINE_DAYS, min_runs: int = 5
) -> pd.DataFrame:
    """Each run's ground-contact balance against the median of the runner's previous runs.

    ``runs``: sorted by ``start`` (datetime64) with ``balance_pct`` [% left]. Baseline: median
    over the ``window_days`` [days] before the run, the run excluded, with at least ``min_runs``
    runs. Returns ``baseline_runs``, ``baseline_pct`` [%] and ``shift_points`` (run − baseline)
    [percentage points].
    """
    import pandas as pd

    balance = pd.Series(runs["balance_pct"].to_numpy(), index=pd.DatetimeIndex(runs["start"]))
    rolling = balance.rolling(f"{window_days}D", closed="left", min_periods=1)
    count = rolling.count().fillna(0).to_numpy()
    median = rolling.median().to_numpy()
    baseline = np.where(count >= min_runs, median, np.nan)
    result = pd.DataFrame(
        {"baseline_runs": count.astype("int64"), "baseline_pct": baseline}, index=runs.index
    )
    result["shift_points"] = runs["balance_pct"] - result["baseline_pct"]
    return result
