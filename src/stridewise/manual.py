"""Sessions no watch recorded, added by hand (``stridewise activities add``): fifteen minutes of
core work at home, a physiotherapist's appointment, a treadmill run at the gym without a watch.

A session added by hand is an activity like an imported one, without records:

- its sport and sub-sport, in FIT's names, come from the runner's word (``kinds.SESSION_SPORTS``:
  ``strength`` is ``training/strength_training``, ``physio`` its own sport, of kind ``other``),
  and so does its surface (``treadmill``, ``trail``: the runner's own word, ``user``);
- it starts at local noon of its date, or at the time of day given, in the profile's time zone
  (else this computer's), so that its local date is the date typed;
- its duration is the minutes given (elapsed and timer time alike), its distance the km given;
  its RPE and note are the runner's.

It is saved through the import pipeline's merging step (``pipeline.merging``), like a row of a
CSV log: a recording of the same session (same sport, a start within two minutes, the same
distance or duration) keeps one activity, and the runner's RPE and note win over the
recording's. A session added without a time of day stands at noon, so in practice it is merged
only when its time was given; two sessions of one day are two sessions. A run the runner removed
earlier may be added again by hand. Runs added by hand count in load and distance like any run
without records (``metrics.load.score_runs``: session RPE when given, else the fallbacks).

Refused with one line (``InvalidInput``): an unknown sport, minutes not above 0 or beyond a day,
a negative distance or one for a sport that covers none, a speed faster than the sport's limit
(``limits.speed_limit_mps``), an RPE outside 0-10, a date before 1990, and a session still to
come.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridewise.errors import ConfigError, InvalidInput
from stridewise.kinds import SESSION_SPORTS, SessionSport, session_sport
from stridewise.limits import (
    EARLIEST_START,
    MAX_ADDED_SESSION_S,
    MAX_UTC_OFFSET_S,
    speed_limit_mps,
)
from stridewise.model import Activity
from stridewise.pipeline.merging import MANUAL_FORMAT, START_TOLERANCE_S, save_deduplicated
from stridewise.store import Store

#: What ``activities --json`` and the import log show as the source of a session added by hand.
SOURCE_NAME = "stridewise activities add"

#: Time of day of a session added without one: noon, the instant farthest from both midnights,
#: so that its local date survives any time-zone conversion (as for a CSV log's rows).
NOON = time(12, 0)

#: Highest session RPE (Borg CR-10).
MAX_RPE = 10.0

#: What the runner may change of a stored activity by adding the same session by hand.
_COMPARED = tuple(
    f.name
    for f in fields(Activity)
    if f.name not in ("samples", "warnings", "packed_samples", "metrics_json", "decoder", "id")
)


@dataclass(frozen=True)
class ManualSession:
    """A session as the runner describes it: a local date and the ``SESSION_SPORTS`` word."""

    day: date
    sport: str
    minutes: float  # [min]
    km: float | None = None  # [km]
    rpe: float | None = None  # session RPE [0-10]
    note: str | None = None
    time_of_day: time | None = None  # local; noon when not given


@dataclass(frozen=True)
class AddOutcome:
    """What adding a session did: a new activity, or the stored one it was the same session as
    (``added`` False), with the summary fields the session changed on it."""

    activity_id: int
    added: bool
    changed: tuple[str, ...] = ()
    same_as: str | None = None  # the stored activity's source, when it was the same session


def known_sports() -> str:
    """The sport words a session may name, for messages."""
    return ", ".join(SESSION_SPORTS)


def manual_activity(
    session: ManualSession,
    *,
    athlete: str = "me",
    zone: str | None = None,
    now: datetime | None = None,
) -> Activity:
    """The activity a session added by hand stands for; ``InvalidInput`` when it cannot be.

    ``zone`` is the runner's IANA time zone (the profile's), None for this computer's; ``now``
    (aware) is the present, for tests.
    """
    now = now or datetime.now(UTC)
    named = _sport(session.sport)
    seconds = _seconds(session.minutes)
    distance_m = _distance_m(session, named, seconds)
    rpe = _rpe(session.rpe)
    start = _local_start(session, zone, now)
    offset = start.utcoffset()
    note = (session.note or "").strip() or None
    start_utc = start.astimezone(UTC)
    key = "|".join(
        str(value)
        for value in (athlete, start_utc, named, seconds, distance_m, rpe, note, uuid.uuid4())
    )
    return Activity(
        sport=named.sport,
        sub_sport=named.sub_sport,
        surface=named.surface,
        surface_source=None if named.surface == "unknown" else "user",
        start_utc=start_utc,
        utc_offset_s=None if offset is None else int(offset.total_seconds()),
        elapsed_s=seconds,
        timer_s=seconds,
        distance_m=distance_m,
        rpe=rpe,
        notes=note,
        source_name=SOURCE_NAME,
        source_format=MANUAL_FORMAT,
        # no file behind it: a key of its own, never another session's
        source_sha256=hashlib.sha256(key.encode("utf-8")).hexdigest(),
        athlete=athlete,
    )


def add_session(
    store: Store,
    athlete: str,
    session: ManualSession,
    *,
    zone: str | None = None,
    now: datetime | None = None,
) -> AddOutcome:
    """Store a session added by hand (``manual_activity``) through the import pipeline's merging
    step: a new activity, or, when a stored recording is the same session, that activity with
    the runner's RPE and note."""
    activity = manual_activity(session, athlete=athlete, zone=zone, now=now)
    # the activities it could be the same session as, as they were before
    window_s = MAX_UTC_OFFSET_S + START_TOLERANCE_S
    before = {
        row["id"]: row for row in store.activities_near(athlete, activity.start_utc, window_s)
    }
    label = f"activities add {session.day.isoformat()} {session.sport}"
    saved = save_deduplicated(store, athlete, label, activity.source_sha256, [activity])
    if saved.new_ids:
        return AddOutcome(saved.new_ids[0], added=True)
    if not saved.duplicates or saved.duplicates[0][1] is None:
        raise InvalidInput(f"the {session.sport} session of {session.day} was not stored")
    stored_id = int(saved.duplicates[0][1])
    old = before.get(stored_id, {})
    new = store.activity_row(athlete, stored_id) or {}
    changed = tuple(name for name in _COMPARED if name in new and old.get(name) != new[name])
    return AddOutcome(stored_id, added=False, changed=changed, same_as=new.get("source_name"))


# --- checks -------------------------------------------------------------------------------------


def _sport(word: str) -> SessionSport:
    named = session_sport(word)
    if named is None:
        raise InvalidInput(f"unknown sport '{word}': choose one of {known_sports()}")
    return named


def _seconds(minutes: float) -> float:
    most = MAX_ADDED_SESSION_S / 60.0
    if not math.isfinite(minutes) or not 0.0 < minutes <= most:
        raise InvalidInput(
            f"minutes must be more than 0 and at most {most:g} (a day); got {minutes:g}"
        )
    return minutes * 60.0


def _distance_m(session: ManualSession, named: SessionSport, seconds: float) -> float | None:
    km = session.km
    if km is None:
        return None
    if not math.isfinite(km) or km < 0:
        raise InvalidInput(f"km must be 0 or more; got {km:g}")
    if not named.covers_distance:
        if km == 0:
            return None
        raise InvalidInput(f"a {session.sport} session covers no distance: leave out km")
    speed_mps = km * 1000.0 / seconds
    if speed_mps > speed_limit_mps(named.sport):
        raise InvalidInput(
            f"{km:g} km in {session.minutes:g} min is {speed_mps * 3.6:.0f} km/h, faster than "
            f"anyone goes in a {session.sport} session; check km and minutes"
        )
    return km * 1000.0


def _rpe(rpe: float | None) -> float | None:
    if rpe is not None and (not math.isfinite(rpe) or not 0.0 <= rpe <= MAX_RPE):
        raise InvalidInput(f"RPE must be from 0 to {MAX_RPE:g} (the CR-10 scale); got {rpe:g}")
    return rpe


def _local_start(session: ManualSession, zone: str | None, now: datetime) -> datetime:
    """The session's start as an aware local time; refused before 1990 or still to come."""
    tz = _zone(zone)
    today = now.astimezone(tz).date() if tz else now.astimezone().date()
    if session.day > today:
        raise InvalidInput(
            f"{session.day} is in the future (today is {today}); add a session once it happened"
        )
    if session.day < EARLIEST_START.date():
        raise InvalidInput(f"{session.day} is before {EARLIEST_START.year}; is the year right?")
    local = datetime.combine(session.day, session.time_of_day or NOON)
    start = local.replace(tzinfo=tz) if tz else local.astimezone()
    if session.time_of_day is not None and start > now:
        raise InvalidInput(
            f"{session.time_of_day:%H:%M} on {session.day} is still to come; add a session once "
            "it happened"
        )
    return start


def _zone(zone: str | None) -> ZoneInfo | None:
    if not zone:
        return None
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone '{zone}'") from exc
