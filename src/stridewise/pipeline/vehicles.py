"""A vehicle inside an activity on foot, cut out in the cleaning step.

A phone left recording in a car, a bus or a train adds its ride to the run: one real file had
139 points at 12-21.6 m/s covering 2.5 km, and kept the car in its distance (8.60 km against the
runner's 7.40) and its time. Dropping the speed samples alone (what the sample cleaning does to a
single impossible value) leaves both.

So in an activity on foot (``limits.ON_FOOT_SPORTS``) a vehicle is a stretch during which the
runner got away faster than anyone runs: the position moved more than
``limits.FOOT_SPEED_LIMIT_MPS`` × ``VEHICLE_WINDOW_S`` in every window of that length (measured
straight, from the position ``VEHICLE_WINDOW_S`` earlier), for ``VEHICLE_MIN_S`` or longer. The
net displacement tells a ride from a phone's GPS noise, whose points jump back and forth by tens
of metres (a noisy track's path grows fast, its position does not move away), and from a single
GPS jump, which lasts one window. Without positions the cumulative distance is used. The stretch
runs from the last point before the first step faster than on foot to the last such step; fast
stretches less than ``VEHICLE_JOIN_S`` apart are one ride (a car waits at a crossing).

Its records are removed (the records after it keep a cumulative distance without it, and the hole
is a pause to every metric), its path distance is taken off the activity's distance and its
duration off the timer and moving times, and a warning says where (local time), how long and how
far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from stridewise.geometry import gps_jumps, haversine_m
from stridewise.limits import FOOT_SPEED_LIMIT_MPS, ON_FOOT_SPORTS, jump_speed_limit_mps
from stridewise.model import Activity, SampleTable
from stridewise.pipeline.timing import duration_text, local_time_text

if TYPE_CHECKING:
    import pandas as pd

#: The window over which the position must move away faster than on foot [s]: longer than GPS
#: noise takes to swing back, short enough to see a car between two traffic lights.
VEHICLE_WINDOW_S = 10.0

#: A vehicle keeps moving away faster than on foot for at least this long [s]: a sprinter holds
#: 12 m/s for a second or two, a GPS jump lasts one window.
VEHICLE_MIN_S = 10.0

#: Fast stretches closer together than this are one vehicle ride [s].
VEHICLE_JOIN_S = 30.0


@dataclass(frozen=True)
class Stretch:
    """A vehicle ride: records ``first``..``last`` (positions in the frame) were reached in it."""

    first: int
    last: int
    start: datetime  # the last record on foot before the ride
    duration_s: float  # [s]
    distance_m: float  # [m] along the track


def vehicle_stretches(samples: SampleTable | pd.DataFrame) -> list[Stretch]:
    """The vehicle rides of samples with a cumulative ``distance_m``, oldest first."""
    samples = SampleTable.of(samples)
    if "distance_m" not in samples or len(samples) < 3:
        return []
    distance = samples["distance_m"]
    rows = np.flatnonzero(np.isfinite(distance))
    seconds_all = samples.seconds()
    if len(rows) < 3 or not _fast_along(seconds_all[rows], distance[rows]).any():
        return []  # the usual run: the path never grows faster than on foot over a window
    positions = _positions(samples, rows, seconds_all)
    if positions is not None:
        rows, lat, lon = positions
    if len(rows) < 3:
        return []
    seconds, along = seconds_all[rows], distance[rows]
    earlier = _window_starts(seconds)
    if positions is not None:
        moved = haversine_m(lat[earlier], lon[earlier], lat, lon)
        fast_window = _speed_over(seconds, earlier, moved) > FOOT_SPEED_LIMIT_MPS
    else:
        fast_window = _fast_along(seconds, along)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.diff(along) / np.diff(seconds)  # step[i]: into point i + 1
    stretches: list[list[int]] = []
    for first, last in _runs(fast_window):
        if seconds[last] - seconds[first] < VEHICLE_MIN_S:
            continue  # a GPS jump or a burst: shorter than any ride
        begin, end = _bounds(step, earlier[first], last)
        if stretches and seconds[begin] - seconds[stretches[-1][1]] < VEHICLE_JOIN_S:
            stretches[-1][1] = end
        else:
            stretches.append([begin, end])
    return [
        Stretch(
            first=int(rows[begin + 1]),
            last=int(rows[end]),
            start=samples.time_at(int(rows[begin])),
            duration_s=float(seconds[end] - seconds[begin]),
            distance_m=float(along[end] - along[begin]),
        )
        for begin, end in stretches
    ]


def _window_starts(seconds: np.ndarray) -> np.ndarray:
    """For each point, the last point at least ``VEHICLE_WINDOW_S`` before it (-1: none)."""
    return np.searchsorted(seconds, seconds - VEHICLE_WINDOW_S, side="right") - 1


def _speed_over(seconds: np.ndarray, earlier: np.ndarray, moved: np.ndarray) -> np.ndarray:
    """Speed [m/s] over each point's window (NaN without a window)."""
    has_window = earlier >= 0
    span = seconds - seconds[np.where(has_window, earlier, 0)]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(has_window, moved / span, np.nan)


def _fast_along(seconds: np.ndarray, along: np.ndarray) -> np.ndarray:
    """Whether the cumulative distance grew faster than on foot over each point's window (it
    bounds the speed of moving away: a straight line is never longer than the path)."""
    earlier = _window_starts(seconds)
    moved = along - along[np.where(earlier >= 0, earlier, 0)]
    return _speed_over(seconds, earlier, moved) > FOOT_SPEED_LIMIT_MPS


def _positions(
    samples: SampleTable, rows: np.ndarray, seconds: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The rows with a distance and a position that is no GPS jump, with their positions; None
    when fewer than half the rows have one (the distance is used instead)."""
    if "lat_deg" not in samples or "lon_deg" not in samples:
        return None
    lat, lon = samples["lat_deg"][rows], samples["lon_deg"][rows]
    usable = np.isfinite(lat) & np.isfinite(lon)
    usable[usable] &= ~gps_jumps(
        seconds[rows][usable], lat[usable], lon[usable], jump_speed_limit_mps("running")
    )
    if usable.sum() < max(3, len(rows) // 2):
        return None
    return rows[usable], lat[usable], lon[usable]


def _bounds(step: np.ndarray, begin: int, end: int) -> tuple[int, int]:
    """The stretch between points ``begin`` and ``end`` narrowed to its steps faster than on
    foot: from the point before the first such step to the point after the last."""
    fast = np.flatnonzero(step[begin:end] > FOOT_SPEED_LIMIT_MPS)
    if not len(fast):
        return begin, end
    return begin + int(fast[0]), begin + int(fast[-1]) + 1


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of each run of True, inclusive."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(a), int(b) - 1) for a, b in zip(starts, stops, strict=True)]


def cut_vehicle_stretches(activity: Activity, warnings: list[str]) -> None:
    """Remove the vehicle rides of an activity on foot from its records, distance and times, in
    place, with one warning per ride."""
    if activity.sport not in ON_FOOT_SPORTS:
        return
    samples = activity.table
    stretches = vehicle_stretches(samples)
    if not stretches:
        return
    keep = np.ones(len(samples), dtype=bool)
    distance = samples["distance_m"].copy()
    for stretch in stretches:
        keep[stretch.first : stretch.last + 1] = False
        distance[stretch.last + 1 :] -= stretch.distance_m
        warnings.append(
            f"a stretch of {stretch.distance_m / 1000:.2f} km in "
            f"{duration_text(stretch.duration_s)} ({stretch.distance_m / stretch.duration_s:.1f} "
            f"m/s on average), from {local_time_text(stretch.start, activity.utc_offset_s)}, is "
            "faster than anyone runs (a vehicle); left out of distance and moving time"
        )
    columns = {**samples.columns, "distance_m": distance}
    activity.table = SampleTable(samples.times_ns, columns).take(keep)
    cut_m = sum(s.distance_m for s in stretches)
    cut_s = sum(s.duration_s for s in stretches)
    if activity.distance_m is not None:
        activity.distance_m = max(activity.distance_m - cut_m, 0.0)
    for name in ("timer_s", "moving_s"):
        value = getattr(activity, name)
        if value is not None:
            setattr(activity, name, max(value - cut_s, 0.0))
