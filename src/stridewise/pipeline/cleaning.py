"""Values that make no physical sense are cleaned or refused before they reach the store.

Every activity a reader returns passes through ``clean_activities``, the import pipeline's
cleaning step (run in the worker that decoded the file). Each cleaning leaves one counted warning
on the activity, in words a runner understands; an activity that cannot be repaired is refused
with a reason.

What is cleaned (the value becomes NaN in the samples, or None in the summary):

* Samples timed before 1990 or more than a day in the future: removed (the rows).
* Heart rate outside ``HEART_RATE_RANGE_BPM`` (25-250 bpm): sample NaN; a summary average or
  maximum outside it is taken from the cleaned samples instead, else left unknown. A heart rate
  of exactly 0 is how apps write "no reading" (a strap out of contact): it becomes NaN too, but
  without a warning, since nothing impossible was written.
* Speed above the sport's limit (``limits.speed_limit_mps``: 12 m/s on foot, faster than any
  runner holds for a second) or below zero: sample NaN.
* Positions at exactly 0°, 0° (a receiver without a fix writes them) and GPS jumps: a position
  that implies moving faster than ``jump_speed_limit_mps`` (50 m/s on foot) from the last good one
  (see ``geometry.gps_jumps``); not in a virtual activity, whose positions are in a game's world.
  The GPX and TCX readers leave the same jumps out of the distance they derive from positions
  (``importers.track.path_steps``); a device's own distance is kept as written.
* Negative or non-finite distance samples, and other non-finite sample values.
* Negative or non-finite summary times, distance and ascent.
* A summary distance that, over the activity's duration, means an average speed above the
  sport's limit: the distance is left unknown and the activity kept. The time, heart rate and
  the runner's own notes still carry its training load, while a distance off by a unit or a
  corrupted total would inflate every weekly figure; which of distance and time is wrong cannot
  be told, and a wrong time inflates nothing the rules compare across weeks as much.

What is refused (``reject_reason``): a start before 1990 (no GPS watch recorded runs then; a
clock that was never set), a start more than a day in the future (a wrong clock), and a duration
over 48 hours (a recording left running, or a broken clock; even multi-day ultras are recorded
in stages). A file keeps its other activities; one with none left is a ``CorruptFile``.

Faults of real recordings are repaired here too, each with its warning, before the values above
are checked (issue 14; the modules say how and why):

1. a watch clock that jumps forward during the run (``timing.repair_clock_jump``), then a file
   that holds outings hours or weeks apart, split into activities (``timing.split_at_gaps``):
   both before the 48-hour refusal, which they would otherwise trip;
2. per activity: its sport when the file names none (``sports.settle_sport``), a UTC offset that
   contradicts the position (``timing.check_offset``), a vehicle ride inside an activity on foot
   (``vehicles.cut_vehicle_stretches``, before the speed samples are cleared), then the values
   above, an elapsed time shorter than the timer (``timing.settle_times``) and where the
   altitude came from (``sports.settle_altitude_source``).

Points of a GPX or TCX track that step back in time a little are clock jitter: the readers keep
them as a path in file order (``importers.track.time_order``), because the distance, pauses and
speeds a reader derives from the points need a time index that never goes back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np

from stridewise.errors import CorruptFile
from stridewise.geometry import gps_jumps
from stridewise.limits import (
    EARLIEST_START,
    FUTURE_TOLERANCE_S,
    HEART_RATE_RANGE_BPM,
    MAX_DURATION_S,
    jump_speed_limit_mps,
    speed_limit_mps,
)
from stridewise.model import Activity, SampleTable, nanoseconds_of
from stridewise.pipeline.sports import SportChoice, settle_altitude_source, settle_sport
from stridewise.pipeline.timing import (
    check_offset,
    repair_clock_jump,
    settle_times,
    split_at_gaps,
)
from stridewise.pipeline.vehicles import cut_vehicle_stretches


def clean_activities(
    activities: Iterable[Activity],
    source_name: str,
    *,
    now: datetime | None = None,
    default_sport: SportChoice | None = None,
) -> list[Activity]:
    """Clean every activity of a file in place and leave out those that must be refused.

    A file holding outings hours apart gives one activity per outing (their ``source_index``
    then numbers the file's activities afresh). A refused activity is named in a warning on the
    first one kept; when none is kept, raises ``CorruptFile`` with the reasons. ``now`` (UTC) is
    the present, for tests; ``default_sport`` the sport of activities whose file names none
    (``import --sport``).
    """
    now = now or datetime.now(UTC)
    activities = list(activities)
    kept: list[Activity] = []
    refused: list[str] = []
    was_split = False
    for number, activity in enumerate(activities, start=1):
        which = "" if len(activities) == 1 else f"activity {number} of {len(activities)} "
        early: list[str] = []
        activity.table = _within_time(activity.table, now, early)
        activity.warnings.extend(early)
        repair_clock_jump(activity)
        parts = split_at_gaps(activity)
        was_split = was_split or len(parts) != 1 or parts[0] is not activity
        if not parts:
            refused.append(f"{which}holds only recordings shorter than a minute".strip())
        for part in parts:
            reason = reject_reason(part, now=now)
            if reason is None:
                clean_activity(part, now=now, default_sport=default_sport)
                kept.append(part)
            else:
                refused.append(f"{which}{reason}")
    if not kept:
        raise CorruptFile(f"{source_name}: {'; '.join(refused)}; refused")
    if refused:
        kept[0].warnings.extend(f"{reason}; left out" for reason in refused)
    if was_split:
        for index, activity in enumerate(kept):
            activity.source_index = index
    return kept


def reject_reason(activity: Activity, *, now: datetime | None = None) -> str | None:
    """Why an activity cannot be stored at all (None when it can)."""
    now = now or datetime.now(UTC)
    start = activity.start_utc
    if start < EARLIEST_START:
        return f"starts on {start:%Y-%m-%d}, before 1990 (a clock not set, or a mistyped year)"
    if start > now + timedelta(seconds=FUTURE_TOLERANCE_S):
        return f"starts on {start:%Y-%m-%d}, in the future (a wrong clock, or a mistyped year)"
    for label, value in (("elapsed", activity.elapsed_s), ("timer", activity.timer_s)):
        if value is not None and math.isfinite(value) and value > MAX_DURATION_S:
            return (
                f"lasts {value / 3600:.1f} hours ({label} time), more than "
                f"{MAX_DURATION_S / 3600:.0f} hours (a recording left running or a broken clock)"
            )
    return None


def clean_activity(
    activity: Activity, *, now: datetime | None = None, default_sport: SportChoice | None = None
) -> None:
    """Clean an activity's samples and summary in place, with one warning per kind of fix."""
    now = now or datetime.now(UTC)
    warnings: list[str] = []
    settle_sport(activity, default_sport, warnings)
    check_offset(activity, warnings)
    cut_vehicle_stretches(activity, warnings)
    activity.table = _clean_samples(
        activity.table, activity.sport, activity.sub_sport, now, warnings
    )
    _clean_summary(activity, warnings)
    settle_times(activity, warnings)
    settle_altitude_source(activity)
    activity.warnings.extend(warnings)


# --- samples -------------------------------------------------------------------------------------


def _clean_samples(
    samples: SampleTable, sport: str, sub_sport: str | None, now: datetime, warnings: list[str]
) -> SampleTable:
    if len(samples) == 0:  # (a table of times without columns is not "empty" here)
        return samples
    original = samples
    samples = _within_time(samples, now, warnings)
    before = samples.columns
    values = {name: column.copy() for name, column in before.items()}
    _clear_non_finite(values, warnings)
    low, high = HEART_RATE_RANGE_BPM
    if "heart_rate_bpm" in values:  # 0 is how apps write "no reading": missing, not impossible
        values["heart_rate_bpm"][values["heart_rate_bpm"] == 0] = np.nan
    _clear(
        values,
        "heart_rate_bpm",
        lambda hr: (hr < low) | (hr > high),
        ("heart-rate sample", f" outside {low:.0f}-{high:.0f} bpm"),
        warnings,
    )
    limit = speed_limit_mps(sport)
    _clear(
        values,
        "speed_mps",
        lambda speed: (speed < 0) | (speed > limit),
        ("speed sample", f" below 0 or above {limit:g} m/s"),
        warnings,
    )
    _clear(values, "distance_m", lambda distance: distance < 0, ("negative distance", ""), warnings)
    if "lat_deg" in values and "lon_deg" in values:
        _clean_positions(values, samples.seconds(), sport, sub_sport, warnings)
    unchanged = all(
        np.array_equal(before[name], column, equal_nan=True) for name, column in values.items()
    )
    if samples is original and not warnings and unchanged:
        return samples  # nothing to fix: the reader's table as it was
    # a column left without data is absent
    kept = {name: column for name, column in values.items() if not np.isnan(column).all()}
    return SampleTable(samples.times_ns, kept)


def _within_time(samples: SampleTable, now: datetime, warnings: list[str]) -> SampleTable:
    """The samples timed between 1990 and a day from now (the rows outside removed)."""
    latest = nanoseconds_of(now + timedelta(seconds=FUTURE_TOLERANCE_S))
    earliest = nanoseconds_of(EARLIEST_START)
    times = samples.times_ns
    if not len(times) or (
        times[0] >= earliest and times[-1] <= latest and not (np.diff(times) < 0).any()
    ):
        return samples  # the usual table, told from its ends (it is called twice per activity)
    outside = (times < earliest) | (times > latest)
    count = int(outside.sum())
    if not count:
        return samples
    warnings.append(f"removed {_count(count, 'sample')} timed before 1990 or in the future")
    return samples.take(~outside)


def _clear_non_finite(values: dict[str, np.ndarray], warnings: list[str]) -> None:
    count = 0
    for column in values.values():
        infinite = np.isinf(column)
        count += int(infinite.sum())
        column[infinite] = np.nan
    if count:
        warnings.append(f"removed {_count(count, 'infinite sample value')}")


def _clear(
    values: dict[str, np.ndarray],
    name: str,
    impossible: object,
    what: tuple[str, str],
    warnings: list[str],
) -> None:
    """Set the values of column ``name`` that are ``impossible`` to NaN; ``what`` is the noun
    counted and the words after it in the warning."""
    if name not in values:
        return
    column = values[name]
    with np.errstate(invalid="ignore"):
        mask = impossible(column) & ~np.isnan(column)  # type: ignore[operator]
    count = int(mask.sum())
    if count:
        column[mask] = np.nan
        noun, rest = what
        warnings.append(f"removed {_count(count, noun)}{rest}")


def _clean_positions(
    values: dict[str, np.ndarray],
    seconds: np.ndarray,
    sport: str,
    sub_sport: str | None,
    warnings: list[str],
) -> None:
    lat, lon = values["lat_deg"], values["lon_deg"]
    outside = (np.abs(lat) > 90) | (np.abs(lon) > 180)
    no_fix = (lat == 0) & (lon == 0)
    # a position is a pair: half of one is no position
    half = np.isnan(lat) != np.isnan(lon)
    for mask, what in (
        (outside, " outside the Earth's coordinates"),
        (no_fix, " at 0°, 0° (no GPS fix)"),
        (half, " missing a latitude or a longitude"),
    ):
        count = int(mask.sum())
        if count:
            lat[mask] = lon[mask] = np.nan
            warnings.append(f"removed {_count(count, 'position')}{what}")
    if sub_sport == "virtual_activity":
        return  # positions in a game's world (Zwift): its teleports are not GPS jumps
    limit = jump_speed_limit_mps(sport)
    jumps = gps_jumps(seconds, lat, lon, limit)
    count = int(jumps.sum())
    if count:
        lat[jumps] = lon[jumps] = np.nan
        positions = "a position" if count == 1 else "positions"
        warnings.append(
            f"removed {_count(count, 'GPS jump')} ({positions} reached faster than {limit:g} m/s)"
        )


# --- summary -------------------------------------------------------------------------------------


#: Summary numbers that cannot be negative, with the words for them.
_NON_NEGATIVE_TOTALS = {
    "elapsed_s": "total elapsed time",
    "timer_s": "total timer time",
    "distance_m": "total distance",
    "ascent_m": "total ascent",
    "avg_cadence_spm": "average cadence",
}


def _clean_summary(activity: Activity, warnings: list[str]) -> None:
    for name, what in _NON_NEGATIVE_TOTALS.items():
        value = getattr(activity, name)
        if value is not None and (not math.isfinite(value) or value < 0):
            setattr(activity, name, None)
            warnings.append(f"the file's {what} ({value:g}) is impossible; left out")
    if activity.rpe is not None and not 0 <= activity.rpe <= 10:  # CR-10 (also NaN, inf)
        warnings.append(f"the RPE ({activity.rpe:g}) is not from 0 to 10; left out")
        activity.rpe = None
    _clean_heart_rate_summary(activity, warnings)
    _check_average_speed(activity, warnings)


def _clean_heart_rate_summary(activity: Activity, warnings: list[str]) -> None:
    low, high = HEART_RATE_RANGE_BPM
    samples = activity.table
    for name, what, from_samples in (
        ("avg_heart_rate_bpm", "average", "mean"),
        ("max_heart_rate_bpm", "maximum", "max"),
    ):
        value = getattr(activity, name)
        if value == 0:  # "no reading", as in the samples
            setattr(activity, name, None)
        if value is None or value == 0 or (math.isfinite(value) and low <= value <= high):
            continue
        replacement = None
        # the samples are read only for a value to replace: most files have none
        heart_rate = samples.get("heart_rate_bpm")
        if heart_rate is not None and not np.isnan(heart_rate).all():
            replacement = float(getattr(np, f"nan{from_samples}")(heart_rate))
        setattr(activity, name, replacement)
        instead = (
            f"taken from the samples instead ({replacement:.0f} bpm)"
            if replacement is not None
            else "left out"
        )
        warnings.append(
            f"the file's {what} heart rate ({value:g} bpm) is outside "
            f"{low:.0f}-{high:.0f} bpm; {instead}"
        )


def _check_average_speed(activity: Activity, warnings: list[str]) -> None:
    distance, duration = activity.distance_m, activity.duration_s
    if distance is None or not duration or duration <= 0:
        return
    limit = speed_limit_mps(activity.sport)
    average = distance / duration
    if average > limit:
        activity.distance_m = None
        warnings.append(
            f"the distance ({distance / 1000:.2f} km in {duration / 60:.1f} min) means "
            f"{average:.1f} m/s on average, above {limit:g} m/s; distance left out"
        )


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"
