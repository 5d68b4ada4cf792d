"""Warm-up intensity: how hard the first minutes of a run were.

Warm-up programmes showed no injury effect in runners (van Mechelen 1993, AJSM 21:711) and are
inconclusive across sports (Fradkin 2006, doi:10.1016/j.jsams.2006.03.026); this only measures
whether a run *started* hard. Heart rate lags effort by a minute or two and optical sensors spike
at the start (cadence lock), so besides the highest and mean heart rate of the first 10 minutes
the *sustained* heart rate is kept: the highest mean over any full 2 minutes of them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from stridewise.metrics.records import covered_seconds, weighted_mean

#: The warm-up: the first minutes of moving time [s].
WARMUP_S = 600.0
#: Window of the sustained heart rate [s].
SUSTAINED_S = 120.0


class WarmupIntensity(NamedTuple):
    hr_max_bpm: float  # highest heart rate of the warm-up [1/min]
    hr_mean_bpm: float  # time-weighted mean heart rate of the warm-up [1/min]
    hr_sustained_bpm: float  # highest mean over a full SUSTAINED_S window [1/min]
    hr_coverage: float  # share of the warm-up with heart rate [0-1]
    speed_ratio: float  # warm-up mean speed / the run's median moving speed [-]


def warmup_intensity(
    track: pd.DataFrame, warmup_s: float = WARMUP_S, sustained_s: float = SUSTAINED_S
) -> WarmupIntensity:
    """Heart rate and speed of the first ``warmup_s`` of moving time.

    Parameters: ``track`` from ``prepare_track``; ``warmup_s`` [s]; ``sustained_s`` [s].
    ``speed_ratio`` > 1 means the warm-up was faster than the run's median pace. Values are NaN
    when the data is missing.
    """
    moving = track[track["moving"]]
    warmup = moving[moving["t_s"] < warmup_s]
    nan = float("nan")
    if warmup.empty:
        return WarmupIntensity(nan, nan, nan, 0.0, nan)
    heart_rate = warmup.get("heart_rate_bpm")
    if heart_rate is not None and heart_rate.notna().any():
        hr_max = float(heart_rate.max())
        hr_mean = weighted_mean(heart_rate, warmup["dt_s"])
        hr_sustained = _sustained(warmup, sustained_s)
        coverage = covered_seconds(heart_rate, warmup["dt_s"]) / float(warmup["dt_s"].sum())
    else:
        hr_max = hr_mean = hr_sustained = nan
        coverage = 0.0
    median_speed = float(moving["speed_mps"].median())
    warmup_speed = weighted_mean(warmup["speed_mps"], warmup["dt_s"])
    ratio = warmup_speed / median_speed if median_speed > 0 else nan
    return WarmupIntensity(hr_max, hr_mean, hr_sustained, coverage, ratio)


def _sustained(warmup: pd.DataFrame, window_s: float) -> float:
    """Highest time-weighted mean heart rate over any window of ``window_s`` that has at least
    80 % of it recorded [1/min]."""
    known = warmup["heart_rate_bpm"].notna()
    weights = warmup["dt_s"].where(known, 0.0)
    clock = pd.DatetimeIndex(pd.to_datetime(warmup["t_s"].to_numpy(), unit="s"))
    weighted = pd.Series((warmup["heart_rate_bpm"].fillna(0.0) * weights).to_numpy(), index=clock)
    seconds = pd.Series(weights.to_numpy(), index=clock)
    window = f"{window_s:g}s"
    sums = weighted.rolling(window).sum()
    covered = seconds.rolling(window).sum()
    means = (sums / covered).where(covered >= 0.8 * window_s)
    return float(np.nanmax(means.to_numpy())) if means.notna().any() else float("nan")
