"""How a run started, and how hard the runner usually runs: the inputs of the warm-up rule.

Warm-up programmes showed no injury effect in runners (van Mechelen 1993, AJSM 21:711) and are
inconclusive across sports (Fradkin 2006, doi:10.1016/j.jsams.2006.03.026); this only measures
whether a run *started* harder than the runner's own easy running. Everything is read on the
run's moving-time clock (``t_s`` of ``prepare_track``):

- the start: minutes 1.5-10 (``WARMUP_FROM_S`` to ``WARMUP_S``) — the first 90 s of wrist heart
  rate are unreliable (optical sensors lock onto cadence and spike), so they are left out;
- the first five minutes (0-5 min, ``EASY_START_S``): intervals preceded by five easy minutes are
  warmed up;
- the steady part (minutes 10-30, ``STEADY_FROM_S`` to ``STEADY_TO_S``): its median heart rate,
  over the runner's easy runs, is their easy level.

Heat, altitude and wrist sensors move heart rate by 10-20 bpm, so a start is judged against the
runner's own easy level, never against a share of maximum heart rate (RULES.md, Warm-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from stridewise.metrics.records import (
    Track,
    clock_slice,
    covered_seconds,
    median,
    moving_columns,
    running_sums,
    weighted_mean,
    window_starts,
)

if TYPE_CHECKING:
    import pandas as pd

#: The start judged: moving time from this … [s]
WARMUP_FROM_S = 90.0
#: … to this [s] (minute 10).
WARMUP_S = 600.0
#: The first minutes that, run easily, make a run warmed up whatever follows [s].
EASY_START_S = 300.0
#: The steady part whose heart rate is a run's steady level: minutes 10-30 [s].
STEADY_FROM_S = 600.0
STEADY_TO_S = 1800.0
#: Window of the highest sustained heart rate of a run (the max-HR floor, RULES.md) [s].
PEAK_WINDOW_S = 120.0


class RunStart(NamedTuple):
    warmup_hr_bpm: float  # time-weighted mean heart rate of minutes 1.5-10 [1/min]
    warmup_speed_mps: float  # mean moving speed of minutes 1.5-10 [m/s]
    warmup_hr_coverage: float  # share of minutes 1.5-10 with heart rate [0-1]
    start_speed_mps: float  # mean moving speed of minutes 0-5 [m/s]
    steady_hr_bpm: float  # median heart rate of minutes 10-30 [1/min]
    peak_hr_2min_bpm: float  # highest 2-minute mean heart rate of the run [1/min]


def run_start(track: Track | pd.DataFrame) -> RunStart:
    """The start, first five minutes, steady part and peak of one run (see the module text).

    ``track`` from ``prepare_track``. Values are NaN when the run or the data is missing.
    """
    nan = float("nan")
    moving = moving_columns(track, "speed_mps", "heart_rate_bpm")
    clock, dt = moving["t_s"], moving["dt_s"]
    if not len(clock):
        return RunStart(nan, nan, 0.0, nan, nan, nan)
    warmup = clock_slice(clock, WARMUP_FROM_S, WARMUP_S)
    start = clock_slice(clock, end_s=EASY_START_S)
    steady = clock_slice(clock, STEADY_FROM_S, STEADY_TO_S)
    heart_rate = moving.get("heart_rate_bpm")
    warmup_dt = dt[warmup]
    if heart_rate is not None and len(warmup_dt) and warmup_dt.sum() > 0:
        warmup_hr = weighted_mean(heart_rate[warmup], warmup_dt)
        coverage = covered_seconds(heart_rate[warmup], warmup_dt) / float(warmup_dt.sum())
    else:
        warmup_hr, coverage = nan, 0.0
    has_steady = steady.stop > steady.start
    steady_hr = median(heart_rate[steady]) if heart_rate is not None and has_steady else nan
    speed = moving["speed_mps"]
    return RunStart(
        warmup_hr_bpm=warmup_hr,
        warmup_speed_mps=weighted_mean(speed[warmup], warmup_dt) if len(warmup_dt) else nan,
        warmup_hr_coverage=coverage,
        start_speed_mps=weighted_mean(speed[start], dt[start]) if start.stop else nan,
        steady_hr_bpm=steady_hr,
        peak_hr_2min_bpm=(
            _peak_heart_rate(heart_rate, dt, clock) if heart_rate is not None else nan
        ),
    )


def peak_heart_rate(moving: pd.DataFrame, window_s: float = PEAK_WINDOW_S) -> float:
    """Highest time-weighted mean heart rate over any ``window_s`` [s] of moving time that has
    at least 80 % of it recorded [1/min]; NaN without such a window."""
    if "heart_rate_bpm" not in moving or moving.empty:
        return float("nan")
    return _peak_heart_rate(
        moving["heart_rate_bpm"].to_numpy(dtype="float64"),
        moving["dt_s"].to_numpy(dtype="float64"),
        moving["t_s"].to_numpy(dtype="float64"),
        window_s,
    )


def _peak_heart_rate(
    heart_rate: np.ndarray, dt: np.ndarray, clock: np.ndarray, window_s: float = PEAK_WINDOW_S
) -> float:
    """``peak_heart_rate`` of the moving records' heart rate [1/min], steps [s] and clock [s]."""
    if not len(heart_rate):
        return float("nan")
    known = ~np.isnan(heart_rate)
    if known.all():
        weights, values = dt, heart_rate * dt
    else:
        weights = np.where(known, dt, 0.0)
        values = np.where(known, heart_rate, 0.0) * weights
    ends = clock + dt
    weight_sum = running_sums(weights)
    value_sum = running_sums(values)
    # for each record, the first record inside the window that ends with it
    first = window_starts(ends, window_s)
    covered = weight_sum[1:] - weight_sum[first]  # [1:]: the sums up to each record itself
    long_enough = covered >= 0.8 * window_s
    if not long_enough.any():
        return float("nan")
    means = (value_sum[1:] - value_sum[first])[long_enough] / covered[long_enough]
    return float(means.max())
