"""A run's per-second records made ready for metrics: time steps, moving time, speed and grade.

Every per-run metric (warm-up, decoupling, form drift, cadence, balance, surface, graded pace)
works on the *track* this module builds from a canonical sample frame (``stridewise.model``): a
``Track`` of numpy arrays (``track_arrays``, what the import computes for every run, so the
arithmetic stays on arrays: pandas' cost per operation is larger than the arithmetic on one run's
records), or the same columns as a frame (``prepare_track``, for the report's chart). Its
columns:

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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from stridewise.limits import FOOT_SPEED_LIMIT_MPS, HEART_RATE_RANGE_BPM
from stridewise.model import SampleTable

# pandas only where a function needs it: the import's per-run metrics load without it
if TYPE_CHECKING:
    import pandas as pd

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


@dataclass
class Track:
    """A run's track as plain float arrays, one per column of ``prepare_track`` (``moving`` is
    bool), built once per run by ``track_arrays``.

    The per-run metrics read these arrays, and the moving records' values through
    ``moving_values`` (selected once per column, then shared by every metric): pandas' cost per
    operation outweighs the arithmetic on one run's few thousand records. Arrays are never
    changed in place.
    """

    columns: dict[str, np.ndarray]
    _moving: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _all_moving: bool | None = field(default=None, repr=False)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __len__(self) -> int:
        return len(self.columns["dt_s"])

    def get(self, name: str) -> np.ndarray | None:
        return self.columns.get(name)

    def moving_values(self, name: str) -> np.ndarray:
        """The values of column ``name`` at the moving records."""
        if name not in self._moving:
            moving = self.columns["moving"]
            if self._all_moving is None:
                self._all_moving = bool(moving.all())
            # most runs move all along: their columns are the moving values, uncopied
            values = self.columns[name]
            self._moving[name] = values if self._all_moving else values[moving]
        return self._moving[name]

    def derived(self, name: str, compute: Callable[[Track], Any]) -> Any:
        """``compute(self)``, computed once per track and kept under ``name``: what two metrics
        both derive from the records (the graded speed, the altitude profile) is derived once."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

    def frame(self, index: pd.Index) -> pd.DataFrame:
        """The track as the frame ``prepare_track`` gives, on the samples' ``index``."""
        import pandas as pd

        return pd.DataFrame(self.columns, index=index)


def prepare_track(samples: pd.DataFrame) -> pd.DataFrame:
    """The track of a run: time steps, moving flag and time, speed, grade and clean sensor values.

    ``samples`` is a canonical sample frame (UTC DatetimeIndex, columns of
    ``stridewise.model.SAMPLE_COLUMNS``). Returns a frame on the same index with ``dt_s`` [s],
    ``moving`` [bool], ``t_s`` [s], ``speed_mps`` [m/s], ``grade`` [-] and, when the samples carry
    them, ``distance_m``, ``altitude_m``, ``heart_rate_bpm``, ``cadence_spm``,
    ``stance_time_ms``, ``stance_time_balance_pct``, ``vertical_oscillation_mm`` — sensor values
    outside their plausible range set to NaN. A frame without rows gives an empty track; one with
    times but no columns (a file that recorded only its clock) a track of time and nothing else.
    """
    return track_arrays(SampleTable.of(samples)).frame(samples.index)


def track_arrays(samples: SampleTable) -> Track:
    """``prepare_track`` as a ``Track`` of arrays, of a sample table (the import's path)."""
    if len(samples) == 0:
        empty = np.empty(0, dtype="float64")
        return Track(
            {
                "dt_s": empty,
                "moving": np.empty(0, dtype=bool),
                "t_s": empty,
                "speed_mps": empty,
                "grade": empty,
            }
        )
    wanted = ("speed_mps", "distance_m", "altitude_m", *PLAUSIBLE)
    given = {name: values for name, values in samples.columns.items() if name in wanted}
    seconds = samples.seconds()
    dt = _steps(seconds)
    speed = _speed(given.get("speed_mps"), given.get("distance_m"), seconds)
    moving = (dt > 0) & ~(speed < MIN_MOVING_SPEED_MPS)  # unknown speed counts as moving
    moving_dt = dt if moving.all() else np.where(moving, dt, 0.0)
    columns = {
        "dt_s": dt,
        "moving": moving,
        "t_s": np.cumsum(moving_dt) - moving_dt,
        "speed_mps": speed,
    }
    profile = None
    if "distance_m" in given and "altitude_m" in given:
        profile = altitude_profile(given["distance_m"], given["altitude_m"])
    columns["grade"] = _grade(given.get("distance_m"), profile, len(seconds))
    for column in ("distance_m", "altitude_m"):
        if column in given:
            columns[column] = given[column]
    for column, (low, high) in PLAUSIBLE.items():
        if column in given:
            values = given[column]
            columns[column] = np.where((values >= low) & (values <= high), values, np.nan)
    track = Track(columns)
    if profile is not None:  # surface roughness interpolates on it too
        track.derived("altitude profile", lambda _: profile)
    return track


def clock_slice(clock: np.ndarray, start_s: float = -np.inf, end_s: float = np.inf) -> slice:
    """The records of a non-decreasing clock [s] from ``start_s`` (included) to ``end_s``
    (excluded) [s], as a slice: the moving clock ``t_s`` never goes back, so a window of it is a
    view of the arrays, where a boolean mask would copy them."""
    return slice(
        int(np.searchsorted(clock, start_s, side="left")),
        int(np.searchsorted(clock, end_s, side="left")),
    )


def as_track(track: Track | pd.DataFrame) -> Track:
    """A ``Track`` of a track frame (``prepare_track``), or the track itself."""
    if isinstance(track, Track):
        return track
    return Track(
        {
            name: track[name].to_numpy(dtype=bool if name == "moving" else "float64")
            for name in track.columns
        }
    )


def _steps(seconds: np.ndarray) -> np.ndarray:
    """Forward time steps [s]. The record before a pause, and the last record, stand for the
    typical (median) step: the pause itself counts nothing."""
    if len(seconds) == 1:
        return np.array([1.0])
    steps = np.diff(seconds)
    if 0 < steps[0] <= MAX_GAP_S and steps.min() == steps.max():
        return np.append(steps, steps[0])  # an even clock: every step is the typical one
    positive = steps[steps > 0]
    typical = min(_median_of(positive) if len(positive) else 1.0, MAX_GAP_S)
    dt = np.append(steps, typical)
    dt[dt > MAX_GAP_S] = typical
    dt[dt < 0] = 0.0
    return dt


def _speed(
    device: np.ndarray | None, distance: np.ndarray | None, seconds: np.ndarray
) -> np.ndarray:
    """Device speed when it covers most records, else d(distance)/dt smoothed [m/s].

    ``device`` speeds [m/s] and ``distance`` [m] of the records (None: not recorded)."""
    if device is not None and 2 * np.count_nonzero(~np.isnan(device)) >= len(device):
        return device
    if distance is None or np.count_nonzero(~np.isnan(distance)) < 2:
        return np.full(len(seconds), np.nan)
    distance = _interpolate_inside(distance)
    steps = np.diff(seconds)
    with np.errstate(divide="ignore", invalid="ignore"):
        forward = np.where(steps > 0, np.diff(distance) / steps, np.nan)
    raw = np.append(forward, forward[-1] if len(forward) else np.nan)
    return np.clip(_rolling_median_5(raw), 0.0, FOOT_SPEED_LIMIT_MPS)


def _interpolate_inside(values: np.ndarray) -> np.ndarray:
    """Missing values between known ones linearly interpolated by position, as
    ``Series.interpolate(limit_area="inside")``; those before the first or after the last known
    value stay missing."""
    known = np.flatnonzero(~np.isnan(values))
    inside = np.isnan(values)
    inside[: known[0]] = False
    inside[known[-1] + 1 :] = False
    if not inside.any():
        return values
    filled = values.copy()
    filled[inside] = np.interp(np.flatnonzero(inside), known, values[known])
    return filled


def _rolling_median_5(values: np.ndarray) -> np.ndarray:
    """Median of the known values of each 5 records centred on a record (fewer at the ends), as
    ``Series.rolling(5, center=True, min_periods=1).median()``: NaN where none is known, the mean
    of the middle two for an even count."""
    count = len(values)
    padded = np.concatenate([[np.nan, np.nan], values, [np.nan, np.nan]])
    a, b, c, d, e = (padded[i : i + count] for i in range(5))
    # Five known values: their middle one, picked by min and max alone (the median of the middle
    # of two pairs and the fifth value); a NaN anywhere in the window makes it NaN
    low_pair = np.maximum(np.minimum(a, b), np.minimum(c, d))
    high_pair = np.minimum(np.maximum(a, b), np.maximum(c, d))
    medians = np.maximum(np.minimum(e, low_pair), np.minimum(np.maximum(e, low_pair), high_pair))
    partial = np.flatnonzero(np.isnan(medians))  # the ends, and windows with a value missing
    if len(partial):
        windows = np.sort(sliding_window_view(padded, 5)[partial], axis=1)  # NaN sorts last
        known = np.count_nonzero(~np.isnan(windows), axis=1)
        rows = np.arange(len(partial))
        low = windows[rows, np.maximum(known - 1, 0) // 2]
        high = windows[rows, known // 2]
        medians[partial] = np.where(known > 0, (low + high) / 2.0, np.nan)
    return medians


def _grade(
    distance: np.ndarray | None,
    profile: tuple[np.ndarray, np.ndarray, float] | None,
    count: int,
) -> np.ndarray:
    """Grade over ``GRADE_BASE_M`` centred on each record, from altitude vs distance [-].

    ``distance`` of every record [m]; ``profile`` the run's ``altitude_profile`` (None without
    distance or altitude)."""
    if profile is None or distance is None:
        return np.full(count, np.nan)
    where = distance
    along, altitude, last = profile
    if len(along) < 2 or last - along[0] < GRADE_BASE_M:
        return np.full(count, np.nan)
    half = GRADE_BASE_M / 2.0
    upper = np.minimum(where + half, along[-1])
    lower = np.maximum(where - half, along[0])
    ahead = np.interp(upper, along, altitude)
    behind = np.interp(lower, along, altitude)
    span = upper - lower
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(span >= half, (ahead - behind) / span, np.nan)
    return np.clip(grade, -MAX_GRADE, MAX_GRADE)


def altitude_profile(
    distance: np.ndarray, altitude: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """The records with both a distance and an altitude, as ``(distance, altitude, last)``
    [m, m, m]: the distance made non-decreasing (a distance that goes back is read as the
    furthest so far), the profile that grade and surface roughness interpolate on, and the last
    of these records' distance as written (NaN when none has both)."""
    both = ~np.isnan(distance) & ~np.isnan(altitude)  # the records with both, as dropna keeps
    if both.all():
        known, known_altitude = distance, altitude
    else:
        known, known_altitude = distance[both], altitude[both]
    last = float(known[-1]) if len(known) else float("nan")
    if len(known) > 1 and not (known[1:] >= known[:-1]).all():
        known = np.maximum.accumulate(known)
    return known, known_altitude, last


def weighted_mean(values: pd.Series | np.ndarray, weights: pd.Series | np.ndarray) -> float:
    """Time-weighted mean of the values that are known [unit of values]; NaN when none are.

    ``weights`` are the records' time steps [s].
    """
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    known = ~np.isnan(values) & (weights > 0)
    if not known.all():  # else the same sums without the copies
        values, weights = values[known], weights[known]
    total = weights.sum()
    return float((values * weights).sum() / total) if total > 0 else float("nan")


def covered_seconds(values: pd.Series | np.ndarray, weights: pd.Series | np.ndarray) -> float:
    """Seconds of the records where ``values`` is known [s]; ``weights`` are time steps [s]."""
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    return float(weights[~np.isnan(values)].sum())


def moving_columns(track: Track | pd.DataFrame, *names: str) -> dict[str, np.ndarray]:
    """The moving records' ``t_s``, ``dt_s`` and those of ``names`` the track has, as float
    arrays: the per-run metrics select rows of these few arrays instead of copying the track's
    rows (pandas' cost per operation outweighs the arithmetic on one run's records)."""
    track = as_track(track)
    return {name: track.moving_values(name) for name in ("t_s", "dt_s", *names) if name in track}


def median(values: np.ndarray) -> float:
    """The median of the values that are known, as ``pandas.Series.median`` gives it (NaN when
    none is)."""
    known = values[~np.isnan(values)]
    return _median_of(known) if len(known) else float("nan")


def _median_of(values: np.ndarray) -> float:
    """``np.median`` of values without NaN, at least one: the partition it makes and the mean of
    the middle two it takes for an even count, without its wrapping (~8 us a call)."""
    half = len(values) // 2
    if len(values) % 2:
        return float(np.partition(values, half)[half])
    middle = np.partition(values, (half - 1, half))
    return float((middle[half - 1] + middle[half]) / 2.0)


def running_sums(values: np.ndarray) -> np.ndarray:
    """0, then the cumulative sums of ``values``: ``sums[j] - sums[i]`` is the sum of records
    i to j - 1. The cumulative sum is written in place after the 0 (no concatenated copy)."""
    sums = np.empty(len(values) + 1, dtype="float64")
    sums[0] = 0.0
    np.cumsum(values, out=sums[1:])
    return sums


def window_starts(times: np.ndarray, width: float) -> np.ndarray:
    """For each record of a non-decreasing clock ``times``, the first record of the window of
    ``width`` that ends with it — the first ``j`` with ``times[j] > times[i] - width`` —, as
    ``np.searchsorted(times, times - width, side="right")``. On an evenly spaced clock of whole
    units (1 Hz without a pause, the usual run) it is ``i - ceil(width / step) + 1``, counted
    exactly in integers without the search."""
    count = len(times)
    if count > 1 and float(width).is_integer():
        step = times[1] - times[0]
        if (
            step > 0
            and float(step).is_integer()
            and float(times[0]).is_integer()
            and (np.diff(times) == step).all()
        ):
            reach = -(-int(width) // int(step))  # ceil(width / step)
            return np.maximum(np.arange(1 - reach, count + 1 - reach), 0)
    return np.searchsorted(times, times - width, side="right")
