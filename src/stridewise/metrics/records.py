"""A run's per-second records made ready for metrics: time steps, moving time, speed and grade.

Every per-run metric (warm-up, decoupling, form drift, cadence, balance, surface, graded pace)
works on the *track* this module builds from a canonical sample frame (``stridewise.model``):

- ``dt_s``: the time a record stands for [s] — the step to the next record. A step longer than
  ``MAX_GAP_S`` is a pause (the timer stopped, or the watch lost the runner): the record before it
  stands for the typical step only, so a pause adds neither effort nor time. Smart recording
  (irregular steps of 1-10 s) is not a pause.
- ``moving``: the record counts as running time — its step is not a pause and, when speed is
  known, the runner moved at ``MIN_MOVING_SPEED_MPS`` or faster (standing at a crossing is not
  running, even with the timer on).
- ``t_s``: moving time at the record's start [s]: the clock every "first 10 minutes" and
  "last 20 %" below is read on.
- ``speed_mps``: the device's speed, else the change of distance over time (median of 5).
- ``grade``: rise over run from altitude and distance, over 50 m centred on the record [-].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.limits import FOOT_SPEED_LIMIT_MPS, HEART_RATE_RANGE_BPM

#: A step between records longer than this is a pause, not effort [s].
MAX_GAP_S = 30.0
#: Below this speed the runner is standing, not running [m/s].
MIN_MOVING_SPEED_MPS = 0.5
#: Distance over which a record's grade is measured [m]; shorter is GPS/barometer noise.
GRADE_BASE_M = 50.0
#: Steepest grade believed [-]; steeper values are altitude glitches.
MAX_GRADE = 0.45

#: Plausible ranges; values outside are sensor artefacts and become missing. Heart rate: the one
#: range of ``stridewise.limits`` (the cleaning removed everything outside it already).
PLAUSIBLE = {
    "heart_rate_bpm": HEART_RATE_RANGE_BPM,
    "cadence_spm": (100.0, 250.0),  # running steps/min; lower is walking or a dropout
    "stance_time_ms": (100.0, 500.0),
    "stance_time_balance_pct": (30.0, 70.0),
    "vertical_oscillation_mm": (20.0, 200.0),
}


def prepare_track(samples: pd.DataFrame) -> pd.DataFrame:
    """The track of a run: time steps, moving flag and time, speed, grade and clean sensor values.

    ``samples`` is a canonical sample frame (UTC DatetimeIndex, columns of
    ``stridewise.model.SAMPLE_COLUMNS``). Returns a frame on the same index with ``dt_s`` [s],
    ``moving`` [bool], ``t_s`` [s], ``speed_mps`` [m/s], ``grade`` [-] and, when the samples carry
    them, ``heart_rate_bpm``, ``cadence_spm``, ``stance_time_ms``, ``stance_time_balance_pct``,
    ``vertical_oscillation_mm``, ``distance_m``, ``altitude_m`` — sensor values outside their
    plausible range set to NaN. A frame without rows gives an empty track; one with times but no
    columns (a file that recorded only its clock) a track of time and nothing else.
    """
    track = pd.DataFrame(index=samples.index)
    if len(samples.index) == 0:
        for column in ("dt_s", "t_s", "speed_mps", "grade"):
            track[column] = pd.Series(dtype="float64")
        track["moving"] = pd.Series(dtype="bool")
        return track
    seconds = (samples.index - samples.index[0]).total_seconds().to_numpy(dtype="float64")
    dt = _steps(seconds)
    speed = _speed(samples, seconds)
    moving = (dt > 0) & ~(speed < MIN_MOVING_SPEED_MPS)  # unknown speed counts as moving
    moving_dt = np.where(moving, dt, 0.0)
    track["dt_s"] = dt
    track["moving"] = moving
    track["t_s"] = np.cumsum(moving_dt) - moving_dt
    track["speed_mps"] = speed
    track["grade"] = _grade(samples)
    for column in ("distance_m", "altitude_m"):
        if column in samples:
            track[column] = samples[column].to_numpy(dtype="float64")
    for column, (low, high) in PLAUSIBLE.items():
        if column in samples:
            values = samples[column].to_numpy(dtype="float64")
            track[column] = np.where((values >= low) & (values <= high), values, np.nan)
    return track


def _steps(seconds: np.ndarray) -> np.ndarray:
    """Forward time steps [s]. The record before a pause, and the last record, stand for the
    typical (median) step: the pause itself counts nothing."""
    if len(seconds) == 1:
        return np.array([1.0])
    steps = np.diff(seconds)
    typical = min(float(np.median(steps[steps > 0])) if (steps > 0).any() else 1.0, MAX_GAP_S)
    dt = np.append(steps, typical)
    dt[dt > MAX_GAP_S] = typical
    dt[dt < 0] = 0.0
    return dt


def _speed(samples: pd.DataFrame, seconds: np.ndarray) -> np.ndarray:
    """Device speed when it covers most records, else d(distance)/dt smoothed [m/s]."""
    if "speed_mps" in samples and samples["speed_mps"].notna().mean() >= 0.5:
        return samples["speed_mps"].to_numpy(dtype="float64")
    if "distance_m" not in samples or samples["distance_m"].notna().sum() < 2:
        return np.full(len(samples), np.nan)
    distance = samples["distance_m"].interpolate(limit_area="inside").to_numpy(dtype="float64")
    steps = np.diff(seconds)
    with np.errstate(divide="ignore", invalid="ignore"):
        forward = np.where(steps > 0, np.diff(distance) / steps, np.nan)
    raw = pd.Series(np.append(forward, forward[-1] if len(forward) else np.nan))
    smoothed = raw.rolling(5, center=True, min_periods=1).median()
    return smoothed.clip(lower=0.0, upper=FOOT_SPEED_LIMIT_MPS).to_numpy()


def _grade(samples: pd.DataFrame) -> np.ndarray:
    """Grade over ``GRADE_BASE_M`` centred on each record, from altitude vs distance [-]."""
    if "altitude_m" not in samples or "distance_m" not in samples:
        return np.full(len(samples), np.nan)
    where = samples["distance_m"].to_numpy(dtype="float64")
    altitudes = samples["altitude_m"].to_numpy(dtype="float64")
    both = ~np.isnan(where) & ~np.isnan(altitudes)  # the records with both, as dropna keeps
    known = where[both]
    if len(known) < 2 or known[-1] - known[0] < GRADE_BASE_M:
        return np.full(len(samples), np.nan)
    along = np.maximum.accumulate(known)
    altitude = altitudes[both]
    half = GRADE_BASE_M / 2.0
    ahead = np.interp(np.minimum(where + half, along[-1]), along, altitude)
    behind = np.interp(np.maximum(where - half, along[0]), along, altitude)
    span = np.minimum(where + half, along[-1]) - np.maximum(where - half, along[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(span >= half, (ahead - behind) / span, np.nan)
    return np.clip(grade, -MAX_GRADE, MAX_GRADE)


def weighted_mean(values: pd.Series | np.ndarray, weights: pd.Series | np.ndarray) -> float:
    """Time-weighted mean of the values that are known [unit of values]; NaN when none are.

    ``weights`` are the records' time steps [s].
    """
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    known = ~np.isnan(values) & (weights > 0)
    total = weights[known].sum()
    return float((values[known] * weights[known]).sum() / total) if total > 0 else float("nan")


def covered_seconds(values: pd.Series | np.ndarray, weights: pd.Series | np.ndarray) -> float:
    """Seconds of the records where ``values`` is known [s]; ``weights`` are time steps [s]."""
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    return float(weights[~np.isnan(values)].sum())


def moving_columns(track: pd.DataFrame, *names: str) -> dict[str, np.ndarray]:
    """The moving records' ``t_s``, ``dt_s`` and those of ``names`` the track has, as float
    arrays: the per-run metrics select rows of these few arrays instead of copying the track's
    rows (pandas' cost per operation outweighs the arithmetic on one run's records)."""
    moving = track["moving"].to_numpy(dtype=bool)
    return {
        name: track[name].to_numpy(dtype="float64")[moving]
        for name in ("t_s", "dt_s", *names)
        if name in track
    }


def median(values: np.ndarray) -> float:
    """The median of the values that are known, as ``pandas.Series.median`` gives it (NaN when
    none is)."""
    known = values[~np.isnan(values)]
    return float(np.nanmedian(known)) if len(known) else float("nan")
