"""The per-run metrics as METRICS_VERSION 4 computed them before they moved to numpy arrays
(issue 13), frozen: the reference that ``test_run_arrays.py`` compares ``summarize_run`` with.

A copy of ``summarize_run`` and everything it called in ``stridewise.metrics`` at that version
(records, load, warmup, fatigue, form, surface, elevation, heart_rate), pandas included where
pandas did the arithmetic. Do not change it to follow the package: it is what the package must
keep giving (within float rounding) for as long as ``METRICS_VERSION`` stays 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from stridewise.limits import FOOT_SPEED_LIMIT_MPS, HEART_RATE_RANGE_BPM

MAX_GAP_S = 30.0
MIN_MOVING_SPEED_MPS = 0.5
GRADE_BASE_M = 50.0
MAX_GRADE = 0.45
PLAUSIBLE = {
    "heart_rate_bpm": HEART_RATE_RANGE_BPM,
    "cadence_spm": (100.0, 250.0),
    "stance_time_ms": (100.0, 500.0),
    "stance_time_balance_pct": (30.0, 70.0),
    "vertical_oscillation_mm": (20.0, 200.0),
}
NGP_ROLLING_S = 30.0
WARMUP_FROM_S = 90.0
WARMUP_S = 600.0
EASY_START_S = 300.0
STEADY_FROM_S = 600.0
STEADY_TO_S = 1800.0
PEAK_WINDOW_S = 120.0
STEADY_BIN_S = 60.0
DRIFT_WINDOW_SHARE = 0.2
LEVEL_GRADE = 0.03
ROUGHNESS_STEP_M = 100.0
ROUGHNESS_MIN_DISTANCE_M = 2000.0
HYSTERESIS_M = 3.0

RUN_METRIC_FIELDS = (
    "moving_s",
    "hr_seconds",
    "ngp_speed_mps",
    "warmup_hr_bpm",
    "warmup_speed_mps",
    "warmup_hr_coverage",
    "start_speed_mps",
    "steady_hr_bpm",
    "peak_hr_2min_bpm",
    "decoupling_pct",
    "steady_s",
    "steady_speed_cv",
    "decoupling_hr_coverage",
    "drift_speed_pct",
    "drift_cadence_pct",
    "drift_stance_time_pct",
    "drift_vertical_oscillation_pct",
    "cadence_spm",
    "speed_mps",
    "balance_pct",
    "roughness",
    "descent_m",
)


# -- records ---------------------------------------------------------------------------------
def prepare_track(samples: pd.DataFrame) -> pd.DataFrame:
    track = pd.DataFrame(index=samples.index)
    if len(samples.index) == 0:
        for column in ("dt_s", "t_s", "speed_mps", "grade"):
            track[column] = pd.Series(dtype="float64")
        track["moving"] = pd.Series(dtype="bool")
        return track
    seconds = (samples.index - samples.index[0]).total_seconds().to_numpy(dtype="float64")
    dt = _steps(seconds)
    speed = _speed(samples, seconds)
    moving = (dt > 0) & ~(speed < MIN_MOVING_SPEED_MPS)
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
    if len(seconds) == 1:
        return np.array([1.0])
    steps = np.diff(seconds)
    typical = min(float(np.median(steps[steps > 0])) if (steps > 0).any() else 1.0, MAX_GAP_S)
    dt = np.append(steps, typical)
    dt[dt > MAX_GAP_S] = typical
    dt[dt < 0] = 0.0
    return dt


def _speed(samples: pd.DataFrame, seconds: np.ndarray) -> np.ndarray:
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
    if "altitude_m" not in samples or "distance_m" not in samples:
        return np.full(len(samples), np.nan)
    where = samples["distance_m"].to_numpy(dtype="float64")
    altitudes = samples["altitude_m"].to_numpy(dtype="float64")
    both = ~np.isnan(where) & ~np.isnan(altitudes)
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


def weighted_mean(values: Any, weights: Any) -> float:
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    known = ~np.isnan(values) & (weights > 0)
    total = weights[known].sum()
    return float((values[known] * weights[known]).sum() / total) if total > 0 else float("nan")


def covered_seconds(values: Any, weights: Any) -> float:
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    return float(weights[~np.isnan(values)].sum())


def moving_columns(track: pd.DataFrame, *names: str) -> dict[str, np.ndarray]:
    moving = track["moving"].to_numpy(dtype=bool)
    return {
        name: track[name].to_numpy(dtype="float64")[moving]
        for name in ("t_s", "dt_s", *names)
        if name in track
    }


def median(values: np.ndarray) -> float:
    known = values[~np.isnan(values)]
    return float(np.nanmedian(known)) if len(known) else float("nan")


# -- heart rate ------------------------------------------------------------------------------
def heart_rate_histogram(heart_rate_bpm: Any, dt_s: Any) -> dict | None:
    heart_rate = np.asarray(heart_rate_bpm, dtype="float64")
    weights = np.asarray(dt_s, dtype="float64")
    known = ~np.isnan(heart_rate) & (weights > 0)
    if not known.any():
        return None
    bins = np.rint(heart_rate[known]).astype(int)
    lowest = int(bins.min())
    seconds = np.bincount(bins - lowest, weights=weights[known])
    return {"lo": lowest, "s": [round(float(s), 1) for s in seconds]}


# -- load ------------------------------------------------------------------------------------
def minetti_cost_ratio(grade: Any) -> np.ndarray:
    i = np.nan_to_num(np.asarray(grade, dtype="float64"), nan=0.0)
    cost = 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6
    return cost / 3.6


def normalized_graded_speed(track: pd.DataFrame) -> float:
    moving = moving_columns(track, "speed_mps", "grade")
    known = ~np.isnan(moving["speed_mps"])
    if not known.any():
        return float("nan")
    graded = moving["speed_mps"][known] * minetti_cost_ratio(moving["grade"][known])
    clock = pd.DatetimeIndex(pd.to_datetime(moving["t_s"][known], unit="s"))
    rolling = pd.Series(graded, index=clock).rolling(f"{NGP_ROLLING_S:g}s").mean()
    weights = moving["dt_s"][known]
    if weights.sum() <= 0:
        return float("nan")
    return float((np.average(rolling.to_numpy() ** 4, weights=weights)) ** 0.25)


# -- warm-up ---------------------------------------------------------------------------------
def run_start(track: pd.DataFrame) -> dict[str, float]:
    nan = float("nan")
    moving = moving_columns(track, "speed_mps", "heart_rate_bpm")
    clock, dt = moving["t_s"], moving["dt_s"]
    if not len(clock):
        return dict(
            warmup_hr_bpm=nan,
            warmup_speed_mps=nan,
            warmup_hr_coverage=0.0,
            start_speed_mps=nan,
            steady_hr_bpm=nan,
            peak_hr_2min_bpm=nan,
        )
    warmup = (clock >= WARMUP_FROM_S) & (clock < WARMUP_S)
    start = clock < EASY_START_S
    steady = (clock >= STEADY_FROM_S) & (clock < STEADY_TO_S)
    heart_rate = moving.get("heart_rate_bpm")
    if heart_rate is not None and warmup.any() and dt[warmup].sum() > 0:
        warmup_hr = weighted_mean(heart_rate[warmup], dt[warmup])
        coverage = covered_seconds(heart_rate[warmup], dt[warmup]) / float(dt[warmup].sum())
    else:
        warmup_hr, coverage = nan, 0.0
    steady_hr = median(heart_rate[steady]) if heart_rate is not None and steady.any() else nan
    speed = moving["speed_mps"]
    return dict(
        warmup_hr_bpm=warmup_hr,
        warmup_speed_mps=weighted_mean(speed[warmup], dt[warmup]) if warmup.any() else nan,
        warmup_hr_coverage=coverage,
        start_speed_mps=weighted_mean(speed[start], dt[start]) if start.any() else nan,
        steady_hr_bpm=steady_hr,
        peak_hr_2min_bpm=(
            _peak_heart_rate(heart_rate, dt, clock) if heart_rate is not None else nan
        ),
    )


def _peak_heart_rate(
    heart_rate: np.ndarray, dt: np.ndarray, clock: np.ndarray, window_s: float = PEAK_WINDOW_S
) -> float:
    if not len(heart_rate):
        return float("nan")
    known = ~np.isnan(heart_rate)
    weights = np.where(known, dt, 0.0)
    values = np.nan_to_num(heart_rate) * weights
    ends = clock + dt
    weight_sum = np.concatenate([[0.0], np.cumsum(weights)])
    value_sum = np.concatenate([[0.0], np.cumsum(values)])
    first = np.searchsorted(ends, ends - window_s, side="right")
    last = np.arange(1, len(ends) + 1)
    covered = weight_sum[last] - weight_sum[first]
    long_enough = covered >= 0.8 * window_s
    if not long_enough.any():
        return float("nan")
    means = (value_sum[last] - value_sum[first])[long_enough] / covered[long_enough]
    return float(means.max())


# -- fatigue ---------------------------------------------------------------------------------
def aerobic_decoupling(track: pd.DataFrame, warmup_s: float = WARMUP_S) -> dict[str, float]:
    nan = float("nan")
    moving = moving_columns(track, "speed_mps", "heart_rate_bpm", "grade")
    after = moving["t_s"] >= warmup_s
    clock, dt = moving["t_s"][after], moving["dt_s"][after]
    if not len(clock) or "heart_rate_bpm" not in moving:
        return dict(decoupling_pct=nan, steady_s=float(dt.sum()), speed_cv=nan, hr_coverage=0.0)
    speed, heart_rate = moving["speed_mps"][after], moving["heart_rate_bpm"][after]
    end = float((clock + dt).max())
    middle = warmup_s + (end - warmup_s) / 2.0
    both = np.where(~np.isnan(heart_rate), speed, nan)
    coverage = covered_seconds(both, dt) / float(dt.sum())
    graded = speed * minetti_cost_ratio(moving["grade"][after])
    usable = ~np.isnan(speed) & ~np.isnan(heart_rate)
    efficiencies = []
    for half in (clock < middle, clock >= middle):
        chosen = half & usable
        half_speed = weighted_mean(graded[chosen], dt[chosen])
        half_heart_rate = weighted_mean(heart_rate[chosen], dt[chosen])
        efficiencies.append(half_speed / half_heart_rate if half_heart_rate > 0 else nan)
    first, second = efficiencies
    decoupling = (first - second) / first * 100.0 if first > 0 else nan
    variation = _speed_variation(clock, dt, speed, STEADY_BIN_S)
    return dict(
        decoupling_pct=decoupling, steady_s=end - warmup_s, speed_cv=variation, hr_coverage=coverage
    )


def _speed_variation(clock: np.ndarray, dt: np.ndarray, speed: np.ndarray, bin_s: float) -> float:
    known = ~np.isnan(speed)
    if not known.any():
        return float("nan")
    clock, dt, speed = clock[known], dt[known], speed[known]
    bins = ((clock - clock[0]) // bin_s).astype("int64")
    sums = pd.DataFrame({"weighted": speed * dt, "seconds": dt}).groupby(bins).sum()
    weighted, seconds = sums["weighted"].to_numpy(), sums["seconds"].to_numpy()
    means = (weighted / seconds)[seconds >= bin_s / 2.0]
    if len(means) < 2:
        return float("nan")
    mean = means.sum() / len(means)
    if mean <= 0:
        return float("nan")
    deviation = np.sqrt(((mean - means) ** 2).sum() / len(means))
    return float(deviation / mean)


def form_drift(
    track: pd.DataFrame, warmup_s: float = WARMUP_S, share: float = DRIFT_WINDOW_SHARE
) -> dict[str, float]:
    nan = float("nan")
    columns = ("speed_mps", "cadence_spm", "stance_time_ms", "vertical_oscillation_mm")
    moving = moving_columns(track, *columns)
    clock, dt = moving["t_s"], moving["dt_s"]
    total = float((clock + dt).max()) if len(clock) else 0.0
    window = share * total
    if warmup_s + window > total - window:
        return dict.fromkeys(columns, nan)
    first = (clock >= warmup_s) & (clock < warmup_s + window)
    last = clock >= total - window

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

    return {
        "speed_mps": change("speed_mps", "mean"),
        "cadence_spm": change("cadence_spm", "median"),
        "stance_time_ms": change("stance_time_ms", "median"),
        "vertical_oscillation_mm": change("vertical_oscillation_mm", "median"),
    }


# -- form, surface, elevation ----------------------------------------------------------------
def run_cadence(track: pd.DataFrame) -> tuple[float, float]:
    moving = track[track["moving"]]
    cadence = moving["cadence_spm"].median() if "cadence_spm" in moving else np.nan
    return float(cadence), float(moving["speed_mps"].median())


def stance_balance(track: pd.DataFrame, level_grade: float = LEVEL_GRADE) -> float:
    if "stance_time_balance_pct" not in track:
        return float("nan")
    level = track["moving"] & ~(track["grade"].abs() > level_grade)
    part = track[level]
    return weighted_mean(part["stance_time_balance_pct"], part["dt_s"])


def grade_roughness(track: pd.DataFrame, step_m: float = ROUGHNESS_STEP_M) -> float:
    if "distance_m" not in track or "altitude_m" not in track:
        return float("nan")
    distance = track["distance_m"].to_numpy(dtype="float64")
    altitudes = track["altitude_m"].to_numpy(dtype="float64")
    both = ~np.isnan(distance) & ~np.isnan(altitudes)
    if both.sum() < 10:
        return float("nan")
    along = np.maximum.accumulate(distance[both])
    if along[-1] - along[0] < ROUGHNESS_MIN_DISTANCE_M:
        return float("nan")
    grid = np.arange(along[0], along[-1], step_m)
    altitude = np.interp(grid, along, altitudes[both])
    grade = np.diff(altitude) / step_m
    return float(np.std(np.diff(grade)))


def climb_and_descent(
    altitude_m: np.ndarray, hysteresis_m: float = HYSTERESIS_M
) -> tuple[float, float]:
    known = np.asarray(altitude_m, dtype="float64")
    known = known[np.isfinite(known)]
    if len(known) < 2:
        return float("nan"), float("nan")
    climb = descent = 0.0
    anchor = float(known[0])
    for altitude in known[1:].tolist():
        if altitude > anchor + hysteresis_m:
            climb += altitude - anchor
            anchor = altitude
        elif altitude < anchor - hysteresis_m:
            descent += anchor - altitude
            anchor = altitude
    return climb, descent


# -- the entry -------------------------------------------------------------------------------
def summarize_run(samples: pd.DataFrame, rounded: bool = True) -> dict:
    """The METRICS_VERSION 4 entry of one run's records; ``rounded=False`` keeps every value
    as computed (the store keeps 6 decimals)."""
    errors: dict[str, str] = {}
    track = _attempt("track", lambda: prepare_track(samples), errors)
    if track is None:
        track = prepare_track(samples.iloc[0:0])
    values: dict[str, Any] = {}
    values["moving_s"] = _attempt(
        "moving time",
        lambda: float(track["dt_s"].where(track["moving"], 0.0).sum()) if len(track) else 0.0,
        errors,
    )
    heart_rate = track.get("heart_rate_bpm")
    histogram = None
    if heart_rate is not None:
        histogram = _attempt(
            "heart rate", lambda: heart_rate_histogram(heart_rate, track["dt_s"]), errors
        )
        values["hr_seconds"] = _attempt(
            "heart rate", lambda: covered_seconds(heart_rate, track["dt_s"]), errors
        )
    else:
        values["hr_seconds"] = 0.0
    values["ngp_speed_mps"] = _attempt(
        "graded pace", lambda: normalized_graded_speed(track), errors
    )
    warmup = _attempt("warm-up", lambda: run_start(track), errors)
    decoupling = _attempt("decoupling", lambda: aerobic_decoupling(track), errors)
    drift = _attempt("form drift", lambda: form_drift(track), errors)
    cadence = _attempt("cadence", lambda: run_cadence(track), errors)
    for name in (
        "warmup_hr_bpm",
        "warmup_speed_mps",
        "warmup_hr_coverage",
        "start_speed_mps",
        "steady_hr_bpm",
        "peak_hr_2min_bpm",
    ):
        values[name] = None if warmup is None else warmup[name]
    for name, key in (
        ("decoupling_pct", "decoupling_pct"),
        ("steady_s", "steady_s"),
        ("steady_speed_cv", "speed_cv"),
        ("decoupling_hr_coverage", "hr_coverage"),
    ):
        values[name] = None if decoupling is None else decoupling[key]
    for name, key in (
        ("drift_speed_pct", "speed_mps"),
        ("drift_cadence_pct", "cadence_spm"),
        ("drift_stance_time_pct", "stance_time_ms"),
        ("drift_vertical_oscillation_pct", "vertical_oscillation_mm"),
    ):
        values[name] = None if drift is None else drift[key]
    values["cadence_spm"] = None if cadence is None else cadence[0]
    values["speed_mps"] = None if cadence is None else cadence[1]
    values["balance_pct"] = _attempt(
        "ground-contact balance", lambda: stance_balance(track), errors
    )
    values["roughness"] = _attempt("surface roughness", lambda: grade_roughness(track), errors)
    if "altitude_m" in track:
        values["descent_m"] = _attempt(
            "descent",
            lambda: climb_and_descent(track["altitude_m"].to_numpy())[1],
            errors,
        )
    entry: dict = {key: _finite(values.get(key), rounded) for key in RUN_METRIC_FIELDS}
    entry["hr_hist"] = histogram
    if errors:
        entry["errors"] = errors
    return entry


def _attempt(name: str, compute: Callable[[], Any], errors: dict[str, str]) -> Any:
    try:
        return compute()
    except Exception as exc:
        errors.setdefault(name, f"{type(exc).__name__}: {exc}"[:200])
        return None


def _finite(value: Any, rounded: bool = True) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or math.isinf(value):
        return None
    return round(value, 6) if rounded else value
