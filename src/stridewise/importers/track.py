"""Track helpers: distance, pauses, speed, ascent and cadence of the GPX and TCX readers, and the
column summaries (mean, maximum, span, ascent) the FIT and Apple Health readers and the split of an
outing use too.

GPX and TCX give positions and times but no timer events or device totals per point, so both
derive the same things from the track in the same way. The ascent rule is that of every format:
the FIT reader and the split of an outing use it too where no device total exists. Both readers
keep their points in a ``TrackPoints`` (times in microseconds, one array per column) from the file
to the ``SampleTable``, so that the streaming readers, which import every file but the rare one
they decline, need no pandas; the reference readers' rows become a track through one DataFrame
(``points_of_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from stridewise.geometry import gps_jumps, haversine_m
from stridewise.limits import MAX_CLIMB_RATE_MPS, PLAUSIBLE_ALTITUDE_M
from stridewise.model import (
    SAMPLE_COLUMNS,
    SampleTable,
    nanoseconds_of_ticks,
    utc_of_microseconds,
)

if TYPE_CHECKING:
    import pandas as pd

#: A gap inside a segment longer than this may be a pause [s] ...
STATIONARY_GAP_S = 60.0
#: ... when the position moved slower than this across it [m/s] (a slow walk is ~1 m/s).
STATIONARY_SPEED_MPS = 0.5

#: Running cadence whose median (moving) is below this is strides/min [1/min].
STRIDE_CADENCE_LIMIT_PER_MIN = 120.0
#: Median running cadence in this range could be either unit: warn [1/min].
AMBIGUOUS_CADENCE_PER_MIN = (100.0, 140.0)

#: A point's time stepping back by at most this is clock jitter, not a reordered file [s].
#: Phone apps stamp points from the GPS and the system clock and step back by a few seconds;
#: a file whose tracks were written out of order steps back by a whole track (minutes or more).
MAX_CLOCK_JITTER_S = 60.0

#: A climb counts once the altitude rose this much above the last low [m] (noise filter).
ASCENT_HYSTERESIS_M = 3.0


@dataclass(frozen=True)
class TrackPoints:
    """A file's timed points as arrays, in the order given: times [us since 1970, UTC: any year
    fits, unlike in nanoseconds] and columns: ``segment`` (int64, the track segment a point is
    in) and float64 values under the names of ``SAMPLE_COLUMNS`` (NaN: none)."""

    micros: np.ndarray
    columns: dict[str, np.ndarray]

    @classmethod
    def empty(cls) -> TrackPoints:
        return cls(np.empty(0, dtype=np.int64), {})

    def __len__(self) -> int:
        return len(self.micros)

    def take(self, rows: np.ndarray) -> TrackPoints:
        """The points ``rows`` selects (a boolean mask or positions), in that order."""
        return TrackPoints(self.micros[rows], {name: v[rows] for name, v in self.columns.items()})

    def with_columns(self, **columns: np.ndarray) -> TrackPoints:
        return TrackPoints(self.micros, {**self.columns, **columns})

    def start(self) -> datetime:
        """The first point's time (UTC)."""
        return utc_of_microseconds(int(self.micros[0]))

    def seconds(self) -> np.ndarray:
        """Seconds [s] of each point after the first one."""
        return (self.micros - self.micros[0]) / 1e6

    def in_time_order(self, warnings: list[str]) -> TrackPoints:
        """The points with times that never go back (``time_order``)."""
        rows, repaired = time_order(self.micros, 1e6, warnings)
        if rows is not None:
            return self.take(rows)
        return self if repaired is None else TrackPoints(repaired, self.columns)

    def without_duplicate_times(self) -> TrackPoints:
        """One point of those sharing a time (``duplicate_times``)."""
        return self.take(~duplicate_times(self.micros))

    def with_plausible_altitude(self, warnings: list[str]) -> TrackPoints:
        """``plausible_altitude``, the column left out when it holds no data."""
        if "altitude_m" not in self.columns:
            return self
        columns = dict(self.columns)
        altitude = plausible_altitude(columns.pop("altitude_m"), warnings)
        if altitude is not None:
            columns["altitude_m"] = altitude
        return TrackPoints(self.micros, columns)

    def ascent_m(self) -> float | None:
        """``track_ascent_m`` of the points, per segment; None without altitude."""
        if "altitude_m" not in self.columns:
            return None
        return track_ascent_m(self.columns["altitude_m"], self.seconds(), self.columns["segment"])

    def sample_table(self) -> SampleTable:
        """The canonical columns that hold a value, at the times in nanoseconds."""
        return SampleTable(
            nanoseconds_of_ticks(self.micros, "us"),
            {
                name: self.columns[name]
                for name in SAMPLE_COLUMNS
                if name in self.columns and not np.isnan(self.columns[name]).all()
            },
        )


def points_of_rows(rows: list[dict[str, object]]) -> TrackPoints:
    """A tree reader's points, one dict each (``time``: an aware datetime, ``segment`` and
    values), as a track: every value a float, NaN where a point has none or not a number."""
    import pandas as pd  # the reference readers'; the streaming readers fill arrays themselves

    frame = pd.DataFrame(rows)
    times = pd.DatetimeIndex(pd.to_datetime(frame.pop("time"), utc=True)).as_unit("us")
    columns = {"segment": frame.pop("segment").to_numpy(dtype="int64")}
    for column in frame.columns:
        columns[column] = pd.to_numeric(frame[column], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
    return TrackPoints(times.asi8, columns)


def time_order(
    ticks: np.ndarray, ticks_per_second: float, warnings: list[str]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """How to put points with these times (integer ticks) in an order whose times never go
    back: ``(rows, None)`` to take the points in the order ``rows``, ``(None, times)`` to keep
    their order with the new ``times``, ``(None, None)`` when they already are.

    Points are a path in the order the file lists them. A time that steps back by at most
    ``MAX_CLOCK_JITTER_S`` [s] is clock jitter (a phone app stamping points from two clocks:
    one real Sports Tracker file steps back 1-7 s at 3,078 of its 7,785 points): the points
    keep their order, and each time that does not move forward is spread evenly between the
    last time before it and the next later one (``spread_jittered_times``). Sorting such a
    file zig-zags the path: 36.6 km instead of 12.3 km. A file whose times step back further
    was written out of order (tracks listed last-first): it is sorted by time (stable). Both
    repairs leave a warning.
    """
    ticks = np.asarray(ticks, dtype=np.int64)
    steps = np.diff(ticks)
    if not (steps < 0).any():
        return None, None
    backwards = -steps[steps < 0] / ticks_per_second
    if backwards.max() > MAX_CLOCK_JITTER_S:
        warnings.append(
            f"{len(backwards)} points were out of time order (by up to "
            f"{_seconds_text(backwards.max())}) and were sorted by time"
        )
        return np.argsort(ticks, kind="stable"), None
    warnings.append(
        f"{len(backwards)} point times stepped back by up to {_seconds_text(backwards.max())} "
        "(clock jitter); the points were kept in file order and those times spread between "
        "their neighbours"
    )
    return None, spread_jittered_times(ticks)


def spread_jittered_times(ticks: np.ndarray) -> np.ndarray:
    """Times (integer ticks of any unit) that never go back: every time not later than all
    before it is replaced by an even spread between the latest time before it and the next time
    later than that; at the end of the track, where no later time follows, by the latest time
    (a repeat, which the reader then drops)."""
    times = np.asarray(ticks, dtype=np.int64)
    latest_before = np.maximum.accumulate(times)
    behind = np.zeros(len(times), dtype=bool)
    behind[1:] = times[1:] <= latest_before[:-1]
    if not behind.any():
        return times.copy()
    repaired = times.copy()
    # runs of consecutive points that are behind: [start, stop)
    edges = np.diff(np.concatenate(([0], behind.astype(np.int8), [0])))
    for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        low = latest_before[start - 1]
        if stop < len(times):
            high = times[stop]
            count = stop - start + 1
            repaired[start:stop] = low + (high - low) * np.arange(1, count) // count
        else:
            repaired[start:stop] = low
    return repaired


def _seconds_text(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 1 else f"{seconds:.1f} s"


def path_steps(
    seconds: np.ndarray,
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    segment: Iterable[object],
    jump_speed_mps: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Distance moved into each point [m] and whether a pause ends at it.

    A pause is a change of segment, or a gap longer than ``STATIONARY_GAP_S`` [s] crossed slower
    than ``STATIONARY_SPEED_MPS`` [m/s]. A change of segment moves no distance; a stationary gap
    moves what the position moved across it (the track is a path in file order: standing still
    moves centimetres, and a sparse track of a slow hike is not shortened). ``seconds`` [s] must be
    sorted. Points without a position [degree] (NaN) add nothing: the step from the previous
    positioned point is counted at the next positioned one. With ``jump_speed_mps`` [m/s], GPS
    jumps (``gps_jumps``) count as unpositioned and a step faster than it moves no distance.
    """
    segment = np.asarray(list(segment))
    step = np.zeros(len(seconds))
    pause = np.zeros(len(seconds), dtype=bool)
    pause[1:] = segment[1:] != segment[:-1]
    has_position = np.isfinite(lat_deg) & np.isfinite(lon_deg)
    if jump_speed_mps is not None:
        has_position &= ~gps_jumps(seconds, lat_deg, lon_deg, jump_speed_mps)
    positioned = np.flatnonzero(has_position)
    if len(positioned) < 2:
        return step, pause
    here, before = positioned[1:], positioned[:-1]
    moved = haversine_m(lat_deg[before], lon_deg[before], lat_deg[here], lon_deg[here])
    span = seconds[here] - seconds[before]
    with np.errstate(divide="ignore", invalid="ignore"):
        stationary = (span > STATIONARY_GAP_S) & (moved / span < STATIONARY_SPEED_MPS)
    same_segment = segment[here] == segment[before]
    counted = same_segment.copy()
    if jump_speed_mps is not None:  # the step onto a relocation is a jump too
        counted &= moved <= jump_speed_mps * np.maximum(span, 1.0)
    step[here] = np.where(counted, moved, 0.0)
    pause[here] |= stationary
    return step, pause


def derived_speed_mps(
    seconds: np.ndarray, step_m: np.ndarray, pause_before: np.ndarray
) -> np.ndarray:
    """Speed [m/s] from step distance [m] over step time [s]; NaN after a pause or at the start."""
    gap = np.diff(seconds, prepend=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where((gap > 0) & ~pause_before, step_m / gap, np.nan)
    return speed


def duplicate_times(ticks: np.ndarray) -> np.ndarray:
    """Which samples to drop so that one of those sharing a time is kept: the first, but the
    last at the very end, whose cumulative distance is the track's whole length."""
    ticks = np.asarray(ticks)
    duplicated = np.ones(len(ticks), dtype=bool)
    duplicated[np.unique(ticks, return_index=True)[1]] = False  # the first of each time
    if len(duplicated) and duplicated[-1]:
        at_end = np.flatnonzero(ticks == ticks[-1])
        duplicated[at_end] = True
        duplicated[at_end[-1]] = False
    return duplicated


def plausible_altitude(altitude: np.ndarray, warnings: list[str]) -> np.ndarray | None:
    """Elevations [m] outside ``PLAUSIBLE_ALTITUDE_M`` removed (NaN), with a warning; None when
    none is left, or when all are exactly 0: a writer's placeholder, not a run at sea level."""
    low, high = PLAUSIBLE_ALTITUDE_M
    impossible = (altitude < low) | (altitude > high)
    if impossible.any():
        warnings.append(f"removed {int(impossible.sum())} elevations outside {low:g} to {high:g} m")
        altitude = np.where(impossible, np.nan, altitude)
    known = altitude[~np.isnan(altitude)]
    if not known.size:
        return None
    if (known == 0).all():
        warnings.append("every elevation is 0; treated as missing")
        return None
    return altitude


def ascent_m(samples: SampleTable) -> float | None:
    """``track_ascent_m`` of a sample table's altitude; None without altitude."""
    if "altitude_m" not in samples:
        return None
    return track_ascent_m(samples["altitude_m"], samples.seconds())


def track_ascent_m(
    altitude_m: np.ndarray, seconds: np.ndarray, segment: np.ndarray | None = None
) -> float | None:
    """Total climb [m] of altitudes [m] at seconds [s] with a hysteresis of
    ``ASCENT_HYSTERESIS_M`` [m], summed per segment (numbers) when given (a climb during a pause
    does not count); None when no altitude is known.

    A climb starts once the altitude is that far above the lowest point since the last climb;
    from then on every rise counts until the altitude falls that far below the top. A step
    faster than ``MAX_CLIMB_RATE_MPS`` [m/s] shifts the reference without counting.
    """
    altitude = np.asarray(altitude_m, dtype="float64")
    if np.isnan(altitude).all():
        return None
    segment = np.zeros(len(altitude)) if segment is None else np.asarray(segment, dtype="float64")
    known = ~(np.isnan(altitude) | np.isnan(seconds) | np.isnan(segment))
    altitude, seconds, segment = altitude[known], seconds[known], segment[known]
    return float(
        sum(
            _ascent_of(altitude[segment == part], seconds[segment == part])
            for part in np.unique(segment)
        )
    )


def _ascent_of(altitude: np.ndarray, seconds: np.ndarray) -> float:
    steps = np.diff(altitude)
    jumps = np.abs(steps) > MAX_CLIMB_RATE_MPS * np.maximum(np.diff(seconds), 1.0)
    # a value equal to the one before it changes neither the state nor the reference below, and
    # altimeters repeat a lot: leaving those steps out is exact (the jumps were found on every step)
    moved = steps != 0
    total = 0.0
    reference = float(altitude[0])  # the lowest point while descending, the top while climbing
    climbing = False
    # plain floats: a loop over numpy scalars is several times slower
    for value, change, jump in zip(
        altitude[1:][moved].tolist(), steps[moved].tolist(), jumps[moved].tolist(), strict=True
    ):
        if jump:
            reference += change  # a sensor jump moves the whole profile, it is not a climb
        elif climbing:
            if value > reference:
                total += value - reference
                reference = value
            elif reference - value >= ASCENT_HYSTERESIS_M:
                climbing, reference = False, value
        elif value < reference:
            reference = value
        elif value - reference >= ASCENT_HYSTERESIS_M:
            total += value - reference
            climbing, reference = True, value
    return total


def cadence_factor(cadence: np.ndarray, warnings: list[str]) -> int:
    """What turns a running cadence [1/min] into steps/min: 2 when the writer used strides/min.

    Decided on the median moving (non-zero) value: below ``STRIDE_CADENCE_LIMIT_PER_MIN`` it is
    strides/min. A median inside ``AMBIGUOUS_CADENCE_PER_MIN`` adds a warning.
    """
    moving = cadence[cadence > 0]
    if not moving.size:
        return 1
    median = float(np.median(moving))
    doubled = median < STRIDE_CADENCE_LIMIT_PER_MIN
    low, high = AMBIGUOUS_CADENCE_PER_MIN
    if low <= median < high:
        unit = "strides/min and doubled" if doubled else "steps/min"
        warnings.append(
            f"running cadence (median {median:.0f}/min) could be strides or steps per minute; "
            f"read as {unit}"
        )
    return 2 if doubled else 1


def column_mean(samples: pd.DataFrame | SampleTable, column: str) -> float | None:
    """Mean of a sample column (its values), or None when it is absent or holds none."""
    values = _known_values(samples, column)
    return float(values.mean()) if values is not None else None


def column_max(samples: pd.DataFrame | SampleTable, column: str) -> float | None:
    """Maximum of a sample column (its values), or None when it is absent or holds none."""
    values = _known_values(samples, column)
    return float(values.max()) if values is not None else None


def _known_values(samples: pd.DataFrame | SampleTable, column: str) -> np.ndarray | None:
    if column not in samples:
        return None
    values = np.asarray(samples[column], dtype="float64")
    values = values[~np.isnan(values)]
    return values if values.size else None


def column_span(samples: pd.DataFrame | SampleTable, column: str) -> float | None:
    """Last minus first value of a cumulative column (distance), ignoring gaps; None when it is
    absent or holds none."""
    values = _known_values(samples, column)
    return float(values[-1] - values[0]) if values is not None else None


def moving_cadence_mean(samples: pd.DataFrame | SampleTable) -> float | None:
    """Mean cadence [1/min] over samples with a non-zero cadence (standing still is not 0 spm)."""
    if "cadence_spm" not in samples:
        return None
    cadence = np.asarray(samples["cadence_spm"], dtype="float64")
    moving = cadence[cadence > 0]
    return float(moving.mean()) if moving.size else None


def canonical_samples(samples: pd.DataFrame) -> pd.DataFrame:
    """Only the canonical columns that hold data, in the order of ``SAMPLE_COLUMNS``."""
    return samples[[c for c in SAMPLE_COLUMNS if c in samples.columns and samples[c].notna().any()]]
