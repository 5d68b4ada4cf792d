"""Physical limits: what a person, a watch and a clock can do. One fact, one place.

Every reader, the cleaning step and the metrics read their limits here, so that two copies can
never disagree again (the climb-rate limit was once 10 m/s for FIT and 5 m/s for GPX/TCX, and
the heart-rate range was written twice). Where the copies differed, the chosen value and the
reason are given beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime

#: Heart rates a person can have [1/min]; outside is a sensor error or a "no value" code. The
#: metrics once used 30-240 and the cleaning 25-250: 25-250 is kept everywhere, because a
#: resting elite endurance athlete can read below 30 and a child or a sprinter above 240, and
#: values inside it that are merely unusual are for the rules to judge, not for the cleaning.
HEART_RATE_RANGE_BPM = (25.0, 250.0)

#: Resting heart rates a person can have [1/min]: the lowest ever measured in athletes are in the
#: high 20s; above 150 at rest is a measurement taken while moving, not a resting value.
RESTING_HEART_RATE_RANGE_BPM = (25.0, 150.0)

#: Fastest speed on foot a sample may show [m/s]. 12 m/s (43 km/h) is faster than any runner
#: holds even for a second of a training run (Bolt's 100 m peak was 12.4 m/s).
FOOT_SPEED_LIMIT_MPS = 12.0

#: Sports done on foot: their samples are held to ``FOOT_SPEED_LIMIT_MPS``.
ON_FOOT_SPORTS = frozenset({"running", "walking", "hiking"})

#: Every other sport (cycling, skiing, rowing, unknown): 100 m/s (360 km/h) is beyond any
#: human-powered or gravity-powered record, so above it is a glitch whatever the sport [m/s].
OTHER_SPEED_LIMIT_MPS = 100.0

#: A position implying more than this from the last good one is a GPS jump, on foot [m/s].
#: Higher than the speed limit because positions jitter by a few metres from one second to the
#: next; a real jump (a reflection off buildings, a cold start) is hundreds of metres.
FOOT_JUMP_SPEED_MPS = 50.0

#: Earliest start accepted: GPS running watches appeared in the 2000s; earlier is an unset clock.
EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)

#: How far in the future an activity may start (clock skew, time zones) [s].
FUTURE_TOLERANCE_S = 24 * 3600.0

#: Longest activity accepted [s]: 48 hours (even multi-day ultras are recorded in stages).
MAX_DURATION_S = 48 * 3600.0

#: Longest session a runner adds by hand [s]: one day's session (``stridewise activities add``);
#: more is a slip of the unit (hours typed as minutes).
MAX_ADDED_SESSION_S = 24 * 3600.0

#: Elevations a person can be at [m]: the Dead Sea shore (-430 m) to above Everest (8,849 m).
#: Outside lie writers' "no value" codes (FIT's raw 0 is -500 m).
PLAUSIBLE_ALTITUDE_M = (-450.0, 9000.0)

#: Altitude changing faster than this is a sensor jump (barometer calibration, GPS spike), not a
#: climb [m/s]. FIT used 10 m/s and GPX/TCX 5 m/s: 10 m/s is kept for every format, because FIT
#: files also come from ski days (a fast descent drops several metres a second, a gondola climbs
#: up to 7 m/s), while the glitches it is meant to catch jump tens to hundreds of metres at once.
MAX_CLIMB_RATE_MPS = 10.0

#: Largest UTC offset a clock can have [s] (UTC+14, Kiribati).
MAX_UTC_OFFSET_S = 14 * 3600

#: UTC offsets come in steps of 15 minutes [s] (Nepal's +5:45, the Chatham Islands' +12:45).
UTC_OFFSET_STEP_S = 900


def speed_limit_mps(sport: str | None) -> float:
    """Fastest plausible sample speed for a sport [m/s]."""
    return FOOT_SPEED_LIMIT_MPS if sport in ON_FOOT_SPORTS else OTHER_SPEED_LIMIT_MPS


def jump_speed_limit_mps(sport: str | None) -> float:
    """Speed between positions above which a position is a GPS jump, for a sport [m/s]."""
    return max(FOOT_JUMP_SPEED_MPS, speed_limit_mps(sport))


def plausible_heart_rate(bpm: float) -> bool:
    """Whether a heart rate [1/min] is inside ``HEART_RATE_RANGE_BPM``."""
    low, high = HEART_RATE_RANGE_BPM
    return low <= bpm <= high


def plausible_offset(offset_s: float) -> bool:
    """Whether a UTC offset [s] is one a clock can have: a multiple of 15 min within ±14 h."""
    return abs(offset_s) <= MAX_UTC_OFFSET_S and round(offset_s) % UTC_OFFSET_STEP_S == 0
