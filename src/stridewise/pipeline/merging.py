"""One run, stored once: recognising the same activity arriving from two sources (the merging step
of the import pipeline).

A watch's FIT file, the GPX Strava made of it, a row of Strava's ``activities.csv`` and a Garmin
Connect summary all describe one run. Two activities are the same when their sports agree
(``generic`` agrees with any sport: the file did not say), they start within
``START_TOLERANCE_S`` of each other and their distances differ by at most
``DISTANCE_TOLERANCE`` (activities without a distance compare durations instead). A Garmin
Connect list imported without a time zone knows only the local wall-clock start: it is compared
with the other source's local start.

The device's own recording is the reference for the totals, whatever the order the copies
arrive in (``takes_precedence``): a recording with per-second records beats a summary; among
recordings the watch's FIT file beats the TCX and GPX files apps and platforms export of it
(thinned points, their own distance and heart rate: a GPX said 4.395 km and 134 bpm where the
watch's FIT said 4.489 km and 130 bpm), a FIT a device wrote beats one software re-wrote, then
more records beat fewer, and between equals the file whose content hash sorts first. So the same
copies give the same stored run in any order, and after an interrupted import too. What the
others add is merged into the reference: a shoe, a name, a better-founded surface
(``model.SURFACE_SOURCES``; the runner's own setting is never overridden), a local offset, any
summary value it lacks; and from the runner's own account (a log, Strava's or Garmin's list) the
name, shoe, notes and RPE win over a recording's. A value the reference lacks is taken from the
first other copy that has it.
A session the runner added by hand (``stridewise activities add``) is such an account: merged
like any summary when a recording of it starts within ``START_TOLERANCE_S`` and agrees in
distance (or duration), and kept apart otherwise — a session added without a time of day stands
at local noon, so in practice it merges only when its time was given.
When the reference arrives after another copy it takes the stored activity's place under the
same id, so explicit shoe assignments keep pointing at it. All of this happens in the single
writer, inside the transaction that saves the file.

A summary row that names no time zone (Strava's ``activities.csv`` gives UTC dates only) and has
no recording to be merged into takes the time zone of the athlete's recording nearest in time
within ``OFFSET_NEIGHBOUR_WINDOW_S`` (where the athlete was that month: the zone at its position,
else its UTC offset), else the profile's time zone, and says which (``borrow_offset``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from stridewise.limits import MAX_UTC_OFFSET_S
from stridewise.localtime import offset_in_zone, zone_at
from stridewise.metrics.run import METRICS_VERSION
from stridewise.model import RUNNING_SPORTS, SURFACE_SOURCES, Activity
from stridewise.pipeline.timing import fill_moving_time, offset_text
from stridewise.store import Store

#: Largest difference between the start times of one activity from two sources [s].
START_TOLERANCE_S = 120.0

#: Largest relative difference between the distances of one activity from two sources [1].
DISTANCE_TOLERANCE = 0.03

#: Largest difference between durations when neither source has a distance [s], or 3 %.
DURATION_TOLERANCE_S = 60.0

#: The source format whose start may be local wall-clock time with an unknown offset.
WALL_CLOCK_FORMAT = "garmin-csv"

#: A sport that says nothing (a GPX file without <type>): it agrees with any sport.
UNSPECIFIED_SPORT = "generic"

#: Summary values one source may fill in for the other when it lacks them.
FILLABLE_FIELDS = (
    "utc_offset_s",
    "elapsed_s",
    "timer_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "avg_heart_rate_bpm",
    "max_heart_rate_bpm",
    "avg_cadence_spm",
    "device",
    "name",
    "shoe",
    "rpe",
    "notes",
)


#: The source format of a session the runner added by hand (``stridewise activities add``).
MANUAL_FORMAT = "manual"

#: Sources that are the runner's own account of an activity (a log, Strava's or Garmin Connect's
#: list, a session added by hand): their name, shoe, notes and RPE win over a recording's, which
#: only fills gaps.
ACCOUNT_FORMATS = frozenset({"csv", "strava-csv", "garmin-csv", "garmin-summary", MANUAL_FORMAT})

#: What the runner writes and may edit in the account after the recording.
ACCOUNT_FIELDS = ("name", "shoe", "notes", "rpe")


#: How close a format is to the device's own recording: the watch's FIT file, then the TCX and
#: GPX files apps and platforms export of it (an Apple Health workout is the Apple Watch's own
#: recording, so it ranks with a FIT file). Summaries (lists, logs) have no records.
FORMAT_PRECEDENCE = {"fit": 3, "apple-health": 3, "tcx": 2, "gpx": 1}

#: How far in time a summary without a time zone looks for a recording's offset [s].
OFFSET_NEIGHBOUR_WINDOW_S = 30 * 86400.0

#: Summary formats whose rows never carry a time zone (Strava's list: UTC dates only).
ZONELESS_FORMATS = frozenset({"strava-csv"})


@dataclass
class Stored:
    """An activity as the store holds it: its summary (no samples) and how many records it has."""

    activity: Activity
    n_samples: int

    @property
    def id(self) -> int:
        assert self.activity.id is not None
        return self.activity.id


@dataclass
class SaveOutcome:
    """What saving one file's activities did."""

    new_ids: list[int] = field(default_factory=list)
    #: (incoming activity, id of the stored activity it duplicated, which stayed; None when a
    #: concurrent import stored the same file first)
    duplicates: list[tuple[Activity, int | None]] = field(default_factory=list)
    #: ids of stored activities replaced by a richer recording of the same run
    replaced: list[int] = field(default_factory=list)
    #: incoming activities left out because the runner removed that run earlier
    removed: list[Activity] = field(default_factory=list)


def sports_agree(sport_a: str | None, sport_b: str | None) -> bool:
    """Equal sports, or one of them unspecified."""
    unspecified = (None, UNSPECIFIED_SPORT)
    return sport_a == sport_b or sport_a in unspecified or sport_b in unspecified


def is_same_activity(a: Activity, b: Activity) -> bool:
    """Whether two activities are one recorded twice (sport, start and distance agree)."""
    if not sports_agree(a.sport, b.sport):
        return False
    if start_gap_s(a, b) > START_TOLERANCE_S:
        return False
    distance_a, distance_b = _positive(a.distance_m), _positive(b.distance_m)
    if distance_a and distance_b:
        return abs(distance_a - distance_b) <= DISTANCE_TOLERANCE * max(distance_a, distance_b)
    if distance_a or distance_b:
        return False  # one moved, the other did not: not the same thing
    duration_a, duration_b = _positive(a.duration_s), _positive(b.duration_s)
    if duration_a and duration_b:
        tolerance = max(DURATION_TOLERANCE_S, DISTANCE_TOLERANCE * max(duration_a, duration_b))
        return abs(duration_a - duration_b) <= tolerance
    return True


def is_wall_clock_only(activity: Activity) -> bool:
    """A start known only as local wall-clock time (kept as if UTC, offset unknown): a Garmin
    Connect list imported without a profile time zone."""
    return activity.source_format == WALL_CLOCK_FORMAT and activity.utc_offset_s is None


def start_gap_s(a: Activity, b: Activity) -> float:
    """Seconds between two starts [s]; wall clock against wall clock when one knows only that."""
    start_a, start_b = a.start_utc, b.start_utc
    if is_wall_clock_only(a) != is_wall_clock_only(b):
        other = b if is_wall_clock_only(a) else a
        if other.utc_offset_s is not None:
            shift = timedelta(seconds=other.utc_offset_s)
            start_a, start_b = (
                (start_a, start_b + shift) if other is b else (start_a + shift, start_b)
            )
    return abs((start_a - start_b).total_seconds())


def find_same(activity: Activity, candidates: Iterable[Stored]) -> Stored | None:
    """The candidate that is the same activity, the nearest in start time when several are."""
    matches = [c for c in candidates if is_same_activity(activity, c.activity)]
    if not matches:
        return None
    return min(
        matches,
        key=lambda c: (start_gap_s(c.activity, activity), c.activity.id or 0),
    )


def precedence(activity: Activity, n_samples: int) -> tuple[int, int, int]:
    """How good a reference for the totals a copy of an activity is (larger is better): records
    over a summary, then the format (``FORMAT_PRECEDENCE``; a FIT without a device, re-written by
    software, ranks as an export), then the number of records."""
    rank = FORMAT_PRECEDENCE.get(activity.source_format, 0)
    if activity.source_format == "fit" and not activity.device:
        rank = FORMAT_PRECEDENCE["tcx"]
    return (1 if n_samples > 0 else 0, rank, n_samples)


def takes_precedence(
    new: Activity, new_samples: int, stored: Activity, stored_samples: int
) -> bool:
    """Whether ``new`` should replace ``stored`` as the reference for their run: by
    ``precedence``, and between equals by the content hash of their files, so that the choice is
    the same in any order. A session added by hand has no file behind it: between equals the
    one stored first stays."""
    mine, theirs = precedence(new, new_samples), precedence(stored, stored_samples)
    if mine != theirs:
        return mine > theirs
    if MANUAL_FORMAT in (new.source_format, stored.source_format):
        return False
    return new.source_sha256 < stored.source_sha256


def additions(kept: Activity, other: Activity) -> dict[str, Any]:
    """Values ``other`` adds to ``kept``: gaps filled, a better-founded surface, a real sport."""
    changes: dict[str, Any] = {}
    for name in FILLABLE_FIELDS:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if _missing(mine) and not _missing(theirs):
            changes[name] = theirs
    if is_wall_clock_only(kept):
        changes.pop("utc_offset_s", None)  # its start is wall-clock time: an offset would shift it
    if kept.sport == UNSPECIFIED_SPORT and other.sport not in (None, UNSPECIFIED_SPORT):
        changes["sport"] = other.sport
        if kept.sub_sport in (None, "generic") and other.sub_sport:
            changes["sub_sport"] = other.sub_sport
    their_setting = other.surface_source == "user" and kept.surface_source != "user"
    if kept.surface_source != "user" and (
        their_setting or _surface_rank(other) < _surface_rank(kept)
    ):
        changes["surface"] = other.surface
        changes["surface_source"] = other.surface_source
        if kept.sub_sport in (None, "generic") and other.sub_sport:
            changes["sub_sport"] = other.sub_sport
    return changes


def account_overrides(kept: Activity, other: Activity) -> dict[str, Any]:
    """The runner's own words from ``other`` when it is an account summary (``ACCOUNT_FORMATS``)
    and ``kept`` is not: they win over a recording's."""
    if other.source_format not in ACCOUNT_FORMATS or kept.source_format in ACCOUNT_FORMATS:
        return {}
    return {
        name: getattr(other, name)
        for name in ACCOUNT_FIELDS
        if not _missing(getattr(other, name)) and getattr(other, name) != getattr(kept, name)
    }


def merge_into(kept: Activity, other: Activity) -> dict[str, Any]:
    """Apply ``additions(kept, other)`` and ``account_overrides`` to ``kept``; return them."""
    changes = {**additions(kept, other), **account_overrides(kept, other)}
    for name, value in changes.items():
        setattr(kept, name, value)
    return changes


def save_deduplicated(
    store: Store,
    athlete: str,
    path: str,
    sha256: str,
    activities: Sequence[Activity],
    *,
    also_log: Sequence[tuple[str, str, str, str | None]] = (),
    default_timezone: str | None = None,
) -> SaveOutcome:
    """Store a file's activities, each once per run, with its import-log row: all or nothing.

    Activities of one file are never duplicates of each other (two runs of one day in a log
    stay two runs), but each may be the same run as one stored from another file. A run the
    runner removed (``stridewise activities remove``) is not brought back, unless the runner
    adds it again by hand (``MANUAL_FORMAT``). Each activity's
    per-run metrics are stored with it, and the shoe names the file's runs carry become pairs.
    ``also_log`` holds more import-log rows written in the same transaction, as
    ``(path, sha256, outcome, reason)``: the export summaries this file's activities absorbed.
    ``default_timezone`` is the profile's zone (IANA), for summaries without one
    (``borrow_offset``).
    """
    outcome = SaveOutcome()
    notes: list[str] = []
    with store.transaction() as conn:
        if store.holds_file(conn, athlete, sha256):  # a concurrent import stored it first
            store.insert_log(conn, athlete, path, sha256, "duplicate", "already imported", 0)
            outcome.duplicates.extend((activity, None) for activity in activities)
            return outcome
        for activity in activities:
            # a session added by hand is the runner's word now, even for a run removed before
            if activity.source_format != MANUAL_FORMAT and _was_removed(store, athlete, activity):
                outcome.removed.append(activity)
                notes.append(
                    f"left out the run of {activity.start_utc:%Y-%m-%d %H:%M} UTC: "
                    "you removed it earlier (stridewise activities remove)"
                )
                continue
            candidates = [
                stored
                for stored in _stored_near(store, athlete, activity.start_utc)
                if stored.activity.source_sha256 != sha256  # never a duplicate of itself
            ]
            fill_moving_time(activity)  # after any summary of the file's export was merged in
            stored = find_same(activity, candidates)
            metrics = None if activity.metrics_json is None else _metrics(activity)
            n_samples = len(activity.table)
            if stored is None:
                borrow_offset(store, athlete, activity, default_timezone)
                activity_id = store.insert_activity(conn, athlete, activity, metrics)
                outcome.new_ids.append(activity_id)
            elif takes_precedence(activity, n_samples, stored.activity, stored.n_samples):
                merge_into(activity, stored.activity)
                store.replace_activity(conn, stored.id, athlete, activity, metrics)
                activity_id = stored.id
                outcome.replaced.append(stored.id)
                what = "recording" if stored.n_samples else "summary"
                notes.append(
                    f"this file is now the reference for activity {stored.id}, the same run "
                    f"as the {what} {stored.activity.source_name}, which it replaced"
                )
            else:
                changes = merge_into(stored.activity, activity)
                if changes:
                    store.update_activity(conn, stored.id, changes)
                outcome.duplicates.append((activity, stored.id))
                notes.append(f"same run as activity {stored.id} ({stored.activity.source_name})")
                if changes.get("shoe") and stored.activity.sport in RUNNING_SPORTS:
                    store.adopt_shoe_names(conn, athlete, [str(changes["shoe"])])
                continue
            activity.id = activity_id
            activity.athlete = athlete
        store.adopt_shoe_names(
            conn,
            athlete,
            [a.shoe for a in activities if a.id is not None and a.shoe and a.is_running],
        )
        stored_count = len(outcome.new_ids) + len(outcome.replaced)
        reason = "; ".join([*(w for a in activities for w in a.warnings), *notes]) or None
        store.insert_log(
            conn,
            athlete,
            path,
            sha256,
            "imported" if stored_count else "duplicate",
            reason,
            stored_count,
        )
        for extra_path, extra_sha256, extra_outcome, extra_reason in also_log:
            store.insert_log(
                conn, athlete, extra_path, extra_sha256, extra_outcome, extra_reason, 0
            )
    return outcome


def borrow_offset(
    store: Store, athlete: str, activity: Activity, default_timezone: str | None
) -> None:
    """Give a summary without a time zone the UTC offset of the athlete's recording nearest in
    time (within ``OFFSET_NEIGHBOUR_WINDOW_S``), else the profile's zone's, in place, and say
    which in a warning. Recordings, wall-clock lists and runner's logs (whose dates are local
    already) are left alone."""
    if len(activity.table) or activity.source_format == "csv":
        return
    if is_wall_clock_only(activity):
        return
    if activity.source_format not in ZONELESS_FORMATS and activity.utc_offset_s is not None:
        return
    row = store.nearest_recording_offset(athlete, activity.start_utc, OFFSET_NEIGHBOUR_WINDOW_S)
    if row is not None:
        neighbour = datetime.fromisoformat(str(row["start_utc"]).replace("Z", "+00:00"))
        local_day = (neighbour + timedelta(seconds=int(row["utc_offset_s"]))).date()
        which = (
            f"the nearest recording, activity {row['id']} of {local_day} "
            f"({PurePosixPath(str(row['source_name'])).name})"
        )
        zone = _zone_of(store, int(row["id"]))
        if zone is not None:  # its zone, so that a change of summer time is followed
            offset = offset_in_zone(zone, activity.start_utc)
            taken = f"{zone} ({offset_text(offset)}) taken from where {which} was recorded"
        else:
            offset = int(row["utc_offset_s"])
            taken = f"{offset_text(offset)} taken from {which}"
        activity.utc_offset_s = offset
        activity.warnings.append(f"no time zone in this summary; {taken}")
        return
    days = OFFSET_NEIGHBOUR_WINDOW_S / 86400
    if default_timezone:
        offset = offset_in_zone(default_timezone, activity.start_utc)
        activity.utc_offset_s = offset
        activity.warnings.append(
            f"no time zone in this summary and no recording within {days:.0f} days; the "
            f"profile's ({default_timezone}, {offset_text(offset)}) is used"
        )
        return
    activity.warnings.append(
        f"no time zone in this summary, no recording within {days:.0f} days and none in the "
        "profile: its time is kept in UTC (set timezone under [athlete])"
    )


def _zone_of(store: Store, activity_id: int) -> str | None:
    """The time zone at a stored recording's first position, if it has one."""
    position = store.load_sample_table(activity_id, ["lat_deg", "lon_deg"]).first_position()
    return None if position is None else zone_at(*position)


def _metrics(activity: Activity) -> tuple[int, str]:
    """The ``(version, JSON)`` the store keeps of an activity's per-run metrics."""
    return (METRICS_VERSION, str(activity.metrics_json))


def _was_removed(store: Store, athlete: str, activity: Activity) -> bool:
    """Whether the runner removed this run: the same file's same activity, or the same run
    recorded by another source (sport, start and distance agree)."""
    if activity.source_sha256 and store.was_removed(
        athlete, activity.source_sha256, activity.source_index
    ):
        return True
    for row in store.removed_near(athlete, activity.start_utc, START_TOLERANCE_S):
        removed = Activity(
            sport=row["sport"],
            start_utc=datetime.fromisoformat(str(row["start_utc"]).replace("Z", "+00:00")),
            distance_m=row["distance_m"],
            timer_s=row["duration_s"],
        )
        if is_same_activity(activity, removed):
            return True
    return False


def _stored_near(store: Store, athlete: str, start_utc: datetime) -> list[Stored]:
    # wide enough for a wall-clock-only start against a UTC one (offsets reach 14 h)
    rows = store.activities_near(athlete, start_utc, MAX_UTC_OFFSET_S + START_TOLERANCE_S)
    return [Stored(stored_activity(row), int(row["n_samples"])) for row in rows]


def stored_activity(row: dict[str, Any]) -> Activity:
    """An Activity (without samples) from a row of the ``activities`` table."""
    values = {
        name: row[name]
        for name in Activity.__dataclass_fields__
        if name in row and name not in ("samples", "warnings", "start_utc")
    }
    start = datetime.fromisoformat(str(row["start_utc"]).replace("Z", "+00:00"))
    return Activity(start_utc=start, **values)


def _surface_rank(activity: Activity) -> int:
    """Lower is better founded; an unknown surface ranks below every known one."""
    if activity.surface in (None, "unknown"):
        return len(SURFACE_SOURCES) + 1
    if activity.surface_source in SURFACE_SOURCES:
        return SURFACE_SOURCES.index(activity.surface_source)
    return len(SURFACE_SOURCES)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _positive(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value <= 0:
        return None
    return float(value)
