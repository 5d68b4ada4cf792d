"""Recording faults of time, repaired in the cleaning step: clock jumps, outings weeks apart in
one file, elapsed times shorter than the timer, and UTC offsets that contradict the position.

Each repair leaves one warning saying what was found and what was stored instead:

* **A clock jump** (``repair_clock_jump``): a watch whose clock was stale until GPS time arrived
  jumps forward by hours a minute into the run while distance and timer run on smoothly (two
  Forerunner 235 files jump 17 h 43 min at record 32 and 34 h 35 min at record 80). It is told
  from a pause by the device's own elapsed time (a pause is inside it, a jump is not) and by the
  distance, which grows across a jump as across any step and stands still across a pause (for
  apps that write the timer time as elapsed time). The clock after the jump is the true one: the
  records before it, and the start, move forward by the jump (so the start is that clock minus
  the elapsed time), and the run keeps its true date.
* **Outings weeks apart in one file** (``split_at_gaps``): a gap of ``SPLIT_GAP_S`` or more
  between records separates two outings (a FIT held 4 s on one day and a 57 km ride four weeks
  later, "670.2 hours" long). Each part becomes an activity of its own with its totals from its
  records; a part shorter than ``MIN_OUTING_S`` is a sliver, left out with a warning.
* **Elapsed shorter than timer or moving time** (``settle_times``): never stored; elapsed is
  taken from the records, else raised to the timer time.
* **Moving time** (``fill_moving_time``, called by the writer once an export's summary has been
  merged in): the device's where its file wrote one (FIT ``total_moving_time``), else the
  platform's (Garmin ``movingDuration``, Strava's ``Moving Time``), else computed from the
  records by the rule of ``metrics.records``.
* **An offset that contradicts the position** (``check_offset``): when the time zone where the
  activity was recorded and the file's own UTC offset disagree by ``OFFSET_DISAGREEMENT_S`` or
  more, the position wins (a FIT saying UTC+1 recorded in Richmond, Virginia in January).
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np

from stridewise.importers.track import (
    ascent_m,
    column_max,
    column_mean,
    column_span,
    moving_cadence_mean,
)
from stridewise.localtime import offset_in_zone, zone_at
from stridewise.metrics.records import MAX_GAP_S
from stridewise.model import Activity, SampleTable

#: A forward step of the records' clock this long or more may be a clock jump [s].
CLOCK_JUMP_MIN_S = 600.0

#: How closely the records without the jump must match the device's elapsed time for a step to
#: count as a clock jump: the larger of this [s] and ``CLOCK_JUMP_TOLERANCE`` of it.
CLOCK_JUMP_TOLERANCE_S = 60.0
CLOCK_JUMP_TOLERANCE = 0.05

#: A gap between records this long or more separates two outings [s]: longer than any pause
#: inside one (a lunch stop on a long hike, a café stop on a ride), shorter than the night
#: between two days' outings.
SPLIT_GAP_S = 4 * 3600.0

#: A part of a split file shorter than this is a sliver (a watch started by mistake), not an
#: outing [s].
MIN_OUTING_S = 60.0

#: A file's UTC offset that differs from the zone at its position by this much or more is wrong
#: [s]; smaller differences are left alone (a zone boundary nearby, a half-hour zone).
OFFSET_DISAGREEMENT_S = 3600

#: Summary values that describe the whole file and are taken from the records for each part of
#: a split.
_PART_TOTALS = (
    "elapsed_s",
    "timer_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "avg_heart_rate_bpm",
    "max_heart_rate_bpm",
    "avg_cadence_spm",
)


# --- clock jumps ---------------------------------------------------------------------------------


def repair_clock_jump(activity: Activity) -> None:
    """Move the records before a clock jump (and the start) forward by the jump, in place."""
    samples = activity.table
    elapsed = activity.elapsed_s
    if len(samples) < 3 or elapsed is None or not math.isfinite(elapsed) or elapsed <= 0:
        return
    seconds = samples.seconds()
    steps = np.diff(seconds)
    jump_at = int(np.argmax(steps))
    gap = float(steps[jump_at])
    if gap < CLOCK_JUMP_MIN_S:
        return
    typical = float(np.median(steps[steps > 0]))
    without_jump = seconds[-1] - gap + typical
    tolerance = max(CLOCK_JUMP_TOLERANCE_S, CLOCK_JUMP_TOLERANCE * elapsed)
    if abs(without_jump - elapsed) > tolerance:
        return  # the device counted the gap in its elapsed time: a pause, not a jump
    if not _distance_runs_on(samples, jump_at):
        return  # the runner stopped across the gap (an app whose elapsed time is its timer's)
    shift = timedelta(seconds=gap - typical)
    moved = samples.times_ns.copy()
    moved[: jump_at + 1] += shift // timedelta(microseconds=1) * 1000
    activity.table = samples.with_times(moved)
    before = activity.start_utc
    if activity.start_utc < samples.time_at(jump_at + 1):
        activity.start_utc = activity.start_utc + shift
    offset = activity.utc_offset_s
    activity.warnings.append(
        f"the clock jumped {duration_text(shift.total_seconds())} forward at record "
        f"{jump_at + 2} while distance and timer ran on (a watch clock set by GPS during the "
        f"run); the clock after the jump is taken as true: the start moved from "
        f"{local_time_text(before, offset)} to {local_time_text(activity.start_utc, offset)}"
    )


def _distance_runs_on(samples: SampleTable, at: int) -> bool:
    """Whether the distance grows across the step after record ``at`` as it does across a
    typical step (a third to three times as much): the runner ran on while the clock jumped,
    where across a pause the distance stands still."""
    if "distance_m" not in samples:
        return False
    steps = np.diff(samples["distance_m"])
    moving = steps[np.isfinite(steps) & (steps > 0)]
    if not len(moving) or not np.isfinite(steps[at]):
        return False
    typical = float(np.median(moving))
    return typical / 3.0 <= steps[at] <= typical * 3.0


# --- outings weeks apart in one file -------------------------------------------------------------


def split_at_gaps(activity: Activity) -> list[Activity]:
    """The activity, or its outings when its records have gaps of ``SPLIT_GAP_S`` or more: each
    part with its own start and totals from its records; slivers under ``MIN_OUTING_S`` are left
    out (said in a warning on the parts kept). Empty when every part is a sliver."""
    samples = activity.table
    if len(samples) < 2:
        return [activity]
    seconds = samples.seconds()
    cuts = np.flatnonzero(np.diff(seconds) >= SPLIT_GAP_S) + 1
    if not len(cuts):
        return [activity]
    bounds = list(zip([0, *cuts.tolist()], [*cuts.tolist(), len(seconds)], strict=True))
    kept: list[Activity] = []
    notes: list[str] = []
    for first, stop in bounds:
        part = samples.take(slice(first, stop))
        duration = seconds[stop - 1] - seconds[first]
        start = part.time_at(0)
        if duration < MIN_OUTING_S:
            notes.append(
                f"left out {duration_text(duration)} of recording at "
                f"{local_time_text(start, activity.utc_offset_s)}, too short to be an outing"
            )
            continue
        kept.append(_part(activity, part))
    gaps = [(seconds[c] - seconds[c - 1]) / 3600.0 for c in cuts]
    gap_text = " and ".join(f"{hours:.1f} hours" for hours in gaps)
    gap_words = f"{'a gap' if len(gaps) == 1 else 'gaps'} of {gap_text}"
    if len(kept) == 1:
        summary = (
            f"the records have {gap_words}: not one outing; the one of "
            f"{local_time_text(kept[0].start_utc, activity.utc_offset_s)} is kept, with its "
            "totals from its own records"
        )
    else:
        summary = (
            f"the records have {gap_words} ({len(kept)} outings in one file); each is stored as "
            "an activity of its own, with its totals from its own records"
        )
    for part in kept:
        part.warnings.extend([summary, *notes])
    return kept


def _part(activity: Activity, samples: SampleTable) -> Activity:
    """One outing of a split file: the file's descriptions, totals from its own records."""
    part = replace(
        activity,
        samples=None,  # given, so that replace does not build the frame view to copy it
        table=samples,
        start_utc=samples.time_at(0),
        warnings=list(activity.warnings),
        **dict.fromkeys(_PART_TOTALS),
    )
    seconds = samples.seconds()
    steps = np.diff(seconds)
    part.elapsed_s = float(seconds[-1])
    part.timer_s = float(steps[steps <= MAX_GAP_S].sum())
    part.distance_m = column_span(samples, "distance_m")
    part.ascent_m = ascent_m(samples)
    part.avg_heart_rate_bpm = column_mean(samples, "heart_rate_bpm")
    part.max_heart_rate_bpm = column_max(samples, "heart_rate_bpm")
    part.avg_cadence_spm = moving_cadence_mean(samples)
    return part


# --- elapsed, timer and moving time --------------------------------------------------------------


def settle_times(activity: Activity, warnings: list[str]) -> None:
    """Make elapsed >= timer >= moving time, in place: an elapsed time shorter than the timer
    comes from the records (else becomes the timer time); a moving time longer than the timer
    becomes the timer time."""
    elapsed, timer = activity.elapsed_s, activity.timer_s
    if elapsed is not None and timer is not None and timer > elapsed + 1.0:
        from_records = activity.table.span_s() if len(activity.table) >= 2 else None
        if from_records is not None and from_records + 1.0 >= timer:
            # the timer counts the last record's second, the span between records does not
            activity.elapsed_s = max(from_records, timer)
            how = f"taken from the records ({activity.elapsed_s:.0f} s)"
        else:
            activity.elapsed_s = timer
            how = "set to the timer time (the records do not cover it)"
        warnings.append(
            f"the file's elapsed time ({elapsed:.0f} s) is shorter than its timer time "
            f"({timer:.0f} s); elapsed time {how}"
        )
    moving, limit = activity.moving_s, activity.timer_s or activity.elapsed_s
    if moving is not None and limit is not None and moving > limit + 1.0:
        activity.moving_s = limit
        warnings.append(
            f"the file's moving time ({moving:.0f} s) is longer than its timer time "
            f"({limit:.0f} s); moving time set to the timer time"
        )


def fill_moving_time(activity: Activity) -> None:
    """The moving time of an activity whose file wrote none, from its per-run metrics, in place.

    The rule (``metrics.records``): a record stands for the step to the next one; a step longer
    than ``MAX_GAP_S`` is a pause, and a record slower than ``MIN_MOVING_SPEED_MPS`` (0.5 m/s) is
    standing still. Never more than the timer time.
    """
    if activity.moving_s is not None or not activity.metrics_json:
        return
    moving = json.loads(activity.metrics_json).get("moving_s")
    if moving is None:
        return
    limit = activity.timer_s if activity.timer_s is not None else activity.elapsed_s
    activity.moving_s = float(moving) if limit is None else min(float(moving), limit)


# --- the UTC offset against the position ---------------------------------------------------------


def check_offset(activity: Activity, warnings: list[str]) -> None:
    """Replace a UTC offset that disagrees with the zone at the first position by
    ``OFFSET_DISAGREEMENT_S`` or more, in place (not for virtual activities, whose positions are
    in a game's world)."""
    if activity.utc_offset_s is None or activity.sub_sport == "virtual_activity":
        return
    position = _first_position(activity.table)
    if position is None:
        return
    zone = zone_at(*position)
    if not zone:
        return
    offset = offset_in_zone(zone, activity.start_utc)
    if abs(offset - activity.utc_offset_s) < OFFSET_DISAGREEMENT_S:
        return
    warnings.append(
        f"the file's UTC offset ({offset_text(activity.utc_offset_s)}) disagrees with the time "
        f"zone where it was recorded ({zone}, {offset_text(offset)}); the position's is used: "
        f"local start {_local(activity.start_utc, offset):%Y-%m-%d %H:%M}"
    )
    activity.utc_offset_s = offset


def _first_position(samples: SampleTable) -> tuple[float, float] | None:
    """The first position that is one [degree]: on the Earth, and not 0°, 0° (no fix yet)."""
    if "lat_deg" not in samples or "lon_deg" not in samples:
        return None
    lat, lon = samples["lat_deg"], samples["lon_deg"]
    with np.errstate(invalid="ignore"):
        valid = (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & ~((lat == 0) & (lon == 0))
    found = np.flatnonzero(valid)
    return (float(lat[found[0]]), float(lon[found[0]])) if len(found) else None


# --- words ---------------------------------------------------------------------------------------


def offset_text(offset_s: int) -> str:
    """A UTC offset as "UTC+05:30" / "UTC-05:00" [s]."""
    sign = "-" if offset_s < 0 else "+"
    hours, minutes = divmod(abs(int(offset_s)) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _local(moment: datetime, offset_s: int) -> datetime:
    return moment.astimezone(timezone(timedelta(seconds=offset_s)))


def local_time_text(moment: datetime, offset_s: int | None) -> str:
    """A moment in local time when the offset is known, else in UTC."""
    if offset_s is None:
        return f"{moment:%Y-%m-%d %H:%M} UTC"
    return f"{_local(moment, offset_s):%Y-%m-%d %H:%M} local time"


def duration_text(seconds: float) -> str:
    """A duration in words, such as "4 s", "2 min 19 s" or "17 h 43 min" [s]."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
