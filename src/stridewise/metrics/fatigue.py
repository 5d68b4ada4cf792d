"""Fatigue within a run: aerobic decoupling (Pa:HR) and form drift.

Both look at the run *after* the warm-up (the first ``WARMUP_S`` of moving time), when heart
rate and stride have settled.

- Aerobic decoupling Pa:HR = (EF₁ − EF₂)/EF₁ × 100, EF = mean *grade-adjusted* speed / mean heart
  rate over the two halves (by moving time) of the steady part; < 5 % good, 5-10 % moderate,
  > 10 % poor (Friel / TrainingPeaks convention). Speed is adjusted to the flat speed of equal
  energy cost (Minetti et al. 2002, doi:10.1152/japplphysiol.01177.2001): a second half that
  climbs raises heart rate at the same speed, which is not fatigue. A run is *steady* when the
  coefficient of variation of its 1-minute mean speeds after the warm-up is small (the
  decoupling rule's ``max_speed_cv``, default 0.10): intervals and fartlek change heart rate for
  reasons other than fatigue.
- Form drift compares the last 20 % of the run's moving time with the first 20 % after the
  warm-up: cadence, ground contact time and vertical oscillation change [%]. Running mechanics
  change with speed, so a change means fatigue only at similar speed (Zandbergen et al. 2023,
  doi:10.3389/fspor.2023.1085513); the speed change of the two windows is kept beside the
  changes, and the form-drift rule compares only when it is within 5 % (no regression on speed:
  two windows of one run give too few points for one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from stridewise.metrics.load import moving_graded_speed
from stridewise.metrics.records import (
    Track,
    as_track,
    clock_slice,
    median,
    moving_columns,
    weighted_mean,
)
from stridewise.metrics.warmup import WARMUP_S

if TYPE_CHECKING:
    import pandas as pd

#: Length of the speed bins whose variation decides whether a run is steady [s].
STEADY_BIN_S = 60.0
#: Share of the run's moving time in each form-drift window [-].
DRIFT_WINDOW_SHARE = 0.2


class Decoupling(NamedTuple):
    decoupling_pct: float  # Pa:HR [%]; positive = heart rate rose relative to speed
    steady_s: float  # moving time after the warm-up [s]
    speed_cv: float  # coefficient of variation of 1-minute mean speeds after the warm-up [-]
    hr_coverage: float  # share of the steady part with heart rate and speed [0-1]
    efficiency_first: float  # EF of the first half, grade-adjusted speed [m/s per 1/min]
    efficiency_second: float  # EF of the second half, grade-adjusted speed [m/s per 1/min]


def aerobic_decoupling(track: Track | pd.DataFrame, warmup_s: float = WARMUP_S) -> Decoupling:
    """Pa:HR aerobic decoupling of the part of a run after ``warmup_s`` of moving time.

    Parameters: ``track`` from ``prepare_track``; ``warmup_s`` [s]. NaN values when speed or
    heart rate is missing.
    """
    nan = float("nan")
    track = as_track(track)
    moving = moving_columns(track, "speed_mps", "heart_rate_bpm")
    after = clock_slice(moving["t_s"], warmup_s)
    clock, dt = moving["t_s"][after], moving["dt_s"][after]
    if not len(clock) or "heart_rate_bpm" not in moving:
        return Decoupling(nan, float(dt.sum()), nan, 0.0, nan, nan)
    speed, heart_rate = moving["speed_mps"][after], moving["heart_rate_bpm"][after]
    end = float((clock + dt).max())
    middle = warmup_s + (end - warmup_s) / 2.0
    usable = ~np.isnan(speed) & ~np.isnan(heart_rate)
    everywhere = bool(usable.all())  # the usual run: slices, no copies
    coverage = float((dt if everywhere else dt[usable]).sum()) / float(dt.sum())
    # unknown grade counts as flat (minetti_cost_ratio), so a run without altitude is unchanged
    graded = moving_graded_speed(track)[after]
    efficiencies = []
    halfway = clock_slice(clock, end_s=middle).stop
    for half in (slice(0, halfway), slice(halfway, None)):
        chosen = slice(None) if everywhere else usable[half]
        weights = dt[half][chosen]
        half_speed = weighted_mean(graded[half][chosen], weights)
        half_heart_rate = weighted_mean(heart_rate[half][chosen], weights)
        efficiencies.append(half_speed / half_heart_rate if half_heart_rate > 0 else nan)
    first, second = efficiencies
    decoupling = (first - second) / first * 100.0 if first > 0 else nan
    variation = _speed_variation(clock, dt, speed, STEADY_BIN_S)
    return Decoupling(decoupling, end - warmup_s, variation, coverage, first, second)


def speed_variation(part: pd.DataFrame, bin_s: float = STEADY_BIN_S) -> float:
    """Coefficient of variation of the mean speed of each ``bin_s`` [s] of moving time [-].

    Bins with less than half their time recorded are left out. ``part`` is a slice of a track.
    """
    return _speed_variation(
        part["t_s"].to_numpy(dtype="float64"),
        part["dt_s"].to_numpy(dtype="float64"),
        part["speed_mps"].to_numpy(dtype="float64"),
        bin_s,
    )


def _speed_variation(clock: np.ndarray, dt: np.ndarray, speed: np.ndarray, bin_s: float) -> float:
    """``speed_variation`` of records' moving clock [s], steps [s] and speeds [m/s]."""
    known = ~np.isnan(speed)
    if not known.any():
        return float("nan")
    if not known.all():
        clock, dt, speed = clock[known], dt[known], speed[known]
    offsets = clock - clock[0]
    if float(bin_s).is_integer() and (np.floor(offsets) == offsets).all():
        bins = offsets.astype("int64") // int(bin_s)  # whole seconds: the same bins, in integers
    else:
        bins = (offsets // bin_s).astype("int64")
    weighted = np.bincount(bins, weights=speed * dt)
    seconds = np.bincount(bins, weights=dt)
    filled = seconds >= bin_s / 2.0  # also leaves out the bins no record fell in
    means = weighted[filled] / seconds[filled]
    if len(means) < 2:
        return float("nan")
    # mean and population standard deviation as pandas computes them
    mean = means.sum() / len(means)
    if mean <= 0:
        return float("nan")
    deviation = np.sqrt(((mean - means) ** 2).sum() / len(means))
    return float(deviation / mean)


class FormDrift(NamedTuple):
    speed_change_pct: float  # last window vs first [%]
    cadence_change_pct: float  # [%]; negative = fewer steps per minute late in the run
    stance_time_change_pct: float  # ground contact time [%]; positive = longer contact
    vertical_oscillation_change_pct: float  # [%]
    window_s: float  # length of each window [s]


def form_drift(
    track: Track | pd.DataFrame, warmup_s: float = WARMUP_S, share: float = DRIFT_WINDOW_SHARE
) -> FormDrift:
    """Change of cadence, ground contact time and vertical oscillation over a run.

    Window 1 is [``warmup_s``, ``warmup_s`` + share·T) and window 2 the last share·T of moving
    time T. Each value is the window's median (mean for speed) and the change is
    (window 2 / window 1 − 1) × 100. NaN when the run is too short for two separate windows
    (T < ``warmup_s`` / (1 − 2·share)) or a column is missing. Parameters: ``track`` from
    ``prepare_track``; ``warmup_s`` [s]; ``share`` [-].
    """
    nan = float("nan")
    columns = ("speed_mps", "cadence_spm", "stance_time_ms", "vertical_oscillation_mm")
    moving = moving_columns(track, *columns)
    clock, dt = moving["t_s"], moving["dt_s"]
    total = float((clock + dt).max()) if len(clock) else 0.0
    window = share * total
    if warmup_s + window > total - window:
        return FormDrift(nan, nan, nan, nan, window)
    first = clock_slice(clock, warmup_s, warmup_s + window)
    last = clock_slice(clock, total - window)

    def change(column: str, statistic: str) -> float:
        if column not in moving:
            return nan
        values = moving[column]
        if statistic == "mean":
            before = weighted_mean(values[first], dt[first])
            after = weighted_mean(values[last], dt[last])
        else:
            before, after = median(values[first]), median(values[last])
        if not (before > 0) or np.isnan(after):
            return nan
        return (after / before - 1.0) * 100.0

    return FormDrift(
        change("speed_mps", "mean"),
        change("cadence_spm", "median"),
        change("stance_time_ms", "median"),
        change("vertical_oscillation_mm", "median"),
        window,
    )
