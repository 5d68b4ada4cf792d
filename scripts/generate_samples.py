"""Generate the bundled sample history in data/samples/ (deterministic, re-runnable).

Twenty-two weeks of one runner, "me", from her first run back after a winter without running
(Thursday 2026-06-18) to Sunday 2026-11-22 (ISO weeks 2026-W25 to W47):

* W25-W33, the build-up: summaries of her runs, strength and yoga sessions in a trimmed Garmin
  Connect export (no FIT files); its first 14 days hold no run over 5 km, so that the
  ``comeback`` rule has nothing to say about the start of the history;
* W34-W47: FIT files from a watch (those of W34-W40 gzip-compressed as in a Strava export), a
  few GPX files from a phone app, and a CSV log of what has no file (treadmill runs, pilates);
  strength sessions on Wednesdays and a yoga class every other Monday as FIT files;
* daily resting heart rate and sleep in the Garmin export, from 60 days before the first run.

Weeks W25-W45 are calm; W46 and W47 carry the patterns listed in data/samples/patterns.json,
each on a known local date. The watch weeks' runs were generated first and keep their random
streams and numbers, so adding the build-up, the sessions and the wellness files left their
files byte for byte as they were.

The same command writes byte-identical files every time: every random number comes from
``numpy.random.default_rng`` seeded with SEED (one stream for each plan, one per run and
session), FIT and GPX times are set explicitly and gzip is written with mtime 0.

    python scripts/generate_samples.py                      # everything into data/samples/
    python scripts/generate_samples.py --out /tmp/s --only 'log/*' --only patterns.json

``--only`` (repeatable, shell-style patterns on the path inside the output folder) writes a
subset; the whole history is still simulated, so the subset is identical to a full run.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import gzip
import io
import json
import math
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from fit_tool.data_message import DataMessage
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Activity,
    AntplusDeviceType,
    BatteryStatus,
    Event,
    EventType,
    FileType,
    GarminProduct,
    LapTrigger,
    Manufacturer,
    SessionTrigger,
    SourceType,
    Sport,
    SubSport,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "samples"

SEED = 20261122

# ---------------------------------------------------------------------------------------------
# The runner
# ---------------------------------------------------------------------------------------------

PROFILE = {
    "sex": "female",
    "max_hr": 188,
    "resting_hr": 52,
    "threshold_pace": "4:45",
    "timezone": "Europe/Amsterdam",
    "units": "metric",
}
ZONE = ZoneInfo(PROFILE["timezone"])
#: Her first run back after a winter without running (Thursday of ISO week 2026-W25): the first
#: day of the history. Its first 14 days hold only runs of at most 5 km, as ``comeback`` wants of
#: a history's first runs, and the build-up to the watch weeks follows the load rules.
HISTORY_FIRST_DAY = date(2026, 6, 18)
BUILD_UP_MONDAY = date(2026, 6, 15)  # Monday of W25
BUILD_UP_WEEKS = 9  # W25 ... W33, summaries in the Garmin Connect export
FIRST_DAY = date(2026, 8, 17)  # Monday of ISO week 2026-W34: the first week with watch files
N_WEEKS = 14  # W34 ... W47
LAST_DAY = FIRST_DAY + timedelta(days=7 * N_WEEKS - 1)  # Sunday 2026-11-22
#: Daily wellness (resting heart rate, sleep) starts 60 days before the first run, so that the
#: resting_hr_rise rule has its 60-day baseline from the first day of the history.
WELLNESS_FIRST_DAY = HISTORY_FIRST_DAY - timedelta(days=60)
CALM_WEEKS = tuple(f"2026-W{week}" for week in range(25, 46))  # W25 ... W45
#: Rules that must stay silent in the calm weeks: every rule (docs/RULES.md).
CALM_RULES = (
    "session_spike",
    "comeback",
    "weekly_jump",
    "acwr",
    "monotony",
    "rest_days",
    "decoupling",
    "form_drift",
    "surface_change",
    "shoe_mileage",
    "shoe_rotation",
    "cadence",
    "gct_balance",
    "warmup",
    "strength_mobility",
    "resting_hr_rise",
    "short_sleep",
    "descent_spike",
)
WARMUP_S = 600  # the rules' warm-up window: the first 10 minutes [s]
WARMUP_HR_LIMIT = 0.8 * PROFILE["max_hr"]  # 150.4 [1/min]

ROAD_SHOE, GYM_SHOE, TRAIL_SHOE = "Pegasus 40", "Novablast 4", "Speedgoat 5"
ROAD_SHOE_LIMIT_KM = 600
#: The road shoe's distance before the history starts is chosen so that it passes 90 % of its limit
#: with the long run of W46 (this many km before that run) and its limit during W47.
ROAD_SHOE_KM_BEFORE_W46_LONG_RUN = 535.0

# Physiology: steady-state heart rate is linear in speed around easy pace; fitness improves it a
# little each week. Cadence rises with speed (speed-matched); ground contact shortens with speed.
EASY_SPEED = 2.78  # [m/s], 6:00 min/km
HR_AT_EASY = 136.0  # [1/min]
HR_PER_MPS = 43.8  # [1/min per m/s]: 136 at 6:00/km, 168 at threshold 4:45/km
HR_FITNESS_PER_WEEK = 0.22  # [1/min]
HR_CEILING = 184.0  # [1/min]
SPM_AT_EASY = 172.0  # [steps/min]
SPM_PER_MPS = 14.0  # [steps/min per m/s]
GCT_AT_EASY = 262.0  # [ms]
GCT_PER_MPS = -55.0  # [ms per m/s]
VO_AT_EASY = 84.0  # [mm]
VO_PER_MPS = 5.0  # [mm per m/s]


# ---------------------------------------------------------------------------------------------
# Routes: polylines around Amsterdam and in the dunes near Haarlem, walked by arc length
# ---------------------------------------------------------------------------------------------

Coord = tuple[float, float]  # (lat, lon) [degree]
EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class Route:
    """An approach from the start (home, a car park) to a loop that is run k times and a bit."""

    name: str
    approach: tuple[Coord, ...]
    loop: tuple[Coord, ...]  # closed: the last point joins the first
    terrain: str  # "polder" (flat Amsterdam) or "dunes"


HOME: Coord = (52.35385, 4.85530)  # near Hoofddorpplein, Amsterdam
KOEVLAK: Coord = (52.39360, 4.59000)  # car park at the edge of the dunes, Overveen

VONDELPARK = Route(
    "Vondelpark",
    approach=(HOME, (52.35470, 4.85580), (52.35560, 4.85640)),
    loop=(
        (52.35560, 4.85640), (52.35640, 4.86000), (52.35730, 4.86420), (52.35830, 4.86850),
        (52.35930, 4.87250), (52.36020, 4.87650), (52.36110, 4.88000), (52.36150, 4.88150),
        (52.36080, 4.88120), (52.35990, 4.87800), (52.35890, 4.87380), (52.35790, 4.86950),
        (52.35690, 4.86520), (52.35600, 4.86100), (52.35530, 4.85760),
    ),
    terrain="polder",
)  # fmt: skip
AMSTERDAMSE_BOS = Route(
    "Amsterdamse Bos",
    approach=(
        HOME, (52.35000, 4.85620), (52.34600, 4.85700), (52.34200, 4.85650), (52.33800, 4.85450),
        (52.33450, 4.85200),
    ),
    loop=(
        (52.33450, 4.85200), (52.33300, 4.84500), (52.33150, 4.83700), (52.32950, 4.82900),
        (52.32700, 4.82300), (52.32300, 4.82000), (52.31900, 4.82300), (52.31700, 4.83000),
        (52.31800, 4.83900), (52.32100, 4.84700), (52.32500, 4.85200), (52.32950, 4.85450),
    ),
    terrain="polder",
)  # fmt: skip
DUNES = Route(
    "Zuid-Kennemerland dunes",
    approach=(KOEVLAK, (52.39380, 4.58860)),
    loop=(
        (52.39380, 4.58860), (52.39500, 4.58200), (52.39620, 4.57500), (52.39850, 4.56800),
        (52.40050, 4.56000), (52.39900, 4.55300), (52.39500, 4.55000), (52.39000, 4.55200),
        (52.38550, 4.55700), (52.38250, 4.56400), (52.38300, 4.57300), (52.38600, 4.58000),
        (52.38950, 4.58500),
    ),
    terrain="dunes",
)  # fmt: skip
STADIUM_CENTRE: Coord = (52.34345, 4.85410)  # Olympic Stadium, Amsterdam: 400 m track


def _track_oval(centre: Coord, points_per_bend: int = 24) -> tuple[Coord, ...]:
    """Lane 1 of a standard 400 m track, straights north-south [degree]."""
    half_straight, radius = 84.39 / 2, 36.5  # [m]: 2 x 84.39 + 2 x pi x 36.5 = 398 m (+ lane)
    xy: list[tuple[float, float]] = [(radius, -half_straight), (radius, half_straight)]
    for i in range(1, points_per_bend):  # north bend, east to west
        angle = math.pi * i / points_per_bend
        xy.append((radius * math.cos(angle), half_straight + radius * math.sin(angle)))
    xy += [(-radius, half_straight), (-radius, -half_straight)]
    for i in range(1, points_per_bend):  # south bend, west to east
        angle = math.pi + math.pi * i / points_per_bend
        xy.append((radius * math.cos(angle), -half_straight + radius * math.sin(angle)))
    lat0, lon0 = centre
    scale_lon = 180 / math.pi / (EARTH_RADIUS_M * math.cos(math.radians(lat0)))
    scale_lat = 180 / math.pi / EARTH_RADIUS_M
    return tuple((lat0 + y * scale_lat, lon0 + x * scale_lon) for x, y in xy)


TRACK = Route(
    "Olympic Stadium track",
    approach=(
        HOME,
        (52.35000, 4.85620),
        (52.34600, 4.85700),
        (52.34420, 4.85640),
        _track_oval(STADIUM_CENTRE)[0],
    ),
    loop=_track_oval(STADIUM_CENTRE),
    terrain="polder",
)


def _to_xy(points: Iterable[Coord], origin: Coord) -> np.ndarray:
    """Local east/north coordinates [m] of (lat, lon) points around ``origin``."""
    array = np.asarray(list(points), dtype=float)
    lat0, lon0 = origin
    north = np.radians(array[:, 0] - lat0) * EARTH_RADIUS_M
    east = np.radians(array[:, 1] - lon0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    return np.column_stack([east, north])


def _to_latlon(xy: np.ndarray, origin: Coord) -> tuple[np.ndarray, np.ndarray]:
    lat0, lon0 = origin
    lat = lat0 + np.degrees(xy[:, 1] / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(xy[:, 0] / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    return lat, lon


def _cumulative(xy: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])


def _prefix(xy: np.ndarray, length: float) -> np.ndarray:
    """The first ``length`` metres of a polyline, ending with an interpolated point."""
    cum = _cumulative(xy)
    keep = xy[cum < length]
    end = np.array([np.interp(length, cum, xy[:, 0]), np.interp(length, cum, xy[:, 1])])
    return np.vstack([keep, end])


@dataclass(frozen=True)
class Traversal:
    """The path of one run of ``distance_m`` along a route, as a polyline with arc length."""

    origin: Coord
    xy: np.ndarray  # [m]
    arc_m: np.ndarray  # [m]

    def positions(self, s_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lat, lon) [degree] at arc lengths ``s_m`` [m]."""
        s = np.clip(s_m, 0.0, self.arc_m[-1])
        xy = np.column_stack(
            [np.interp(s, self.arc_m, self.xy[:, 0]), np.interp(s, self.arc_m, self.xy[:, 1])]
        )
        return _to_latlon(xy, self.origin)


def traverse(route: Route, distance_m: float) -> Traversal:
    """Out along the approach, k whole loops, out and back on the loop for the rest, home again."""
    origin = route.approach[0]
    approach = _to_xy(route.approach, origin)
    loop = _to_xy(route.loop + route.loop[:1], origin)
    approach_m, loop_m = _cumulative(approach)[-1], _cumulative(loop)[-1]
    inner = distance_m - 2 * approach_m
    if inner < 0:  # shorter than the way to the loop and back: turn on the approach
        half = _prefix(approach, distance_m / 2)
        parts = [half, half[::-1]]
    else:
        laps, rest = divmod(inner, loop_m)
        extra = _prefix(loop, rest / 2)
        parts = [approach, *([loop] * int(laps)), extra, extra[::-1], approach[::-1]]
    xy = np.vstack(parts)
    steps = np.hypot(*np.diff(xy, axis=0).T)
    xy = np.vstack([xy[:1], xy[1:][steps > 1e-6]])  # drop zero-length joins
    return Traversal(origin, xy, _cumulative(xy))


def terrain_altitude(terrain: str, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Ground altitude [m] at positions [degree]: a fixed smooth field, the same for every run."""
    if terrain == "polder":  # Amsterdam: -1 to +1.5 m, bridges and dikes
        return (
            -0.4
            + 0.8 * np.sin(lat * 2900.0) * np.cos(lon * 1700.0)
            + 0.5 * np.sin(lon * 5100.0 + 1.3)
        )
    # dunes: flat for the first 1.5 km from the car park (the warm-up), then 5-30 m sand ridges
    north = np.radians(lat - KOEVLAK[0]) * EARTH_RADIUS_M
    east = np.radians(lon - KOEVLAK[1]) * EARTH_RADIUS_M * math.cos(math.radians(KOEVLAK[0]))
    taper = np.clip((np.hypot(north, east) - 1500.0) / 700.0, 0.0, 1.0)
    taper = taper * taper * (3 - 2 * taper)
    ridges = (
        8.0 * np.sin(lat * 1800.0 + 0.4) * np.cos(lon * 1100.0 + 0.9)
        + 3.0 * np.sin(lat * 3700.0 + lon * 2300.0 + 2.1)
        + 5.0 * np.sin(lon * 700.0 + 0.3)
    )
    return 6.0 + taper * (10.0 + ridges)


# ---------------------------------------------------------------------------------------------
# The plan: one entry per run
# ---------------------------------------------------------------------------------------------

KINDS = ("easy", "steady", "long", "track", "treadmill", "tempo", "fading", "trail")


@dataclass(frozen=True)
class RunPlan:
    """One planned run: when, how far, what kind, and how it is stored."""

    number: int  # 1-based, in date order; seeds the run's random stream
    local_date: date
    local_time: tuple[int, int, int]  # start, local wall clock (h, m, s)
    kind: str
    distance_km: float
    #: "fit.gz" (Strava-style), "fit" (from the watch), "gpx" (phone), "csv" (log), "garmin" (a
    #: summary in the Garmin Connect export)
    source: str
    route: Route | None = None
    sub_sport: str = "street"  # FIT sub_sport: street, trail, track, treadmill, generic
    dynamics: bool = True  # HRM-Pro strap worn: running dynamics in the records
    pause: tuple[float, int] | None = None  # (at distance [km], standing still [s])
    shoe: str | None = None  # only for CSV rows; FIT/GPX files name no shoe
    rpe: int | None = None  # CSV rows only
    duration_s: int | None = None  # CSV rows only: the logged duration [s]
    notes: str = ""

    @property
    def week(self) -> int:
        return (self.local_date - FIRST_DAY).days // 7

    @property
    def iso_week(self) -> str:
        year, week, _ = self.local_date.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def surface(self) -> str:
        return {
            "street": "road",
            "trail": "trail",
            "track": "track",
            "treadmill": "treadmill",
            "generic": "unknown",  # Garmin's plain "running" says nothing of the ground
        }[self.sub_sport]

    def start_local(self) -> datetime:
        return datetime.combine(self.local_date, datetime.min.time(), tzinfo=ZONE).replace(
            hour=self.local_time[0], minute=self.local_time[1], second=self.local_time[2]
        )

    def start_utc(self) -> datetime:
        return self.start_local().astimezone(UTC)


#: Weekly distance [km] and longest run [km], W34...W47. Growth stays within 10 % a week and the
#: long run within +10 % of the longest of the previous 30 days, until W47 breaks both on purpose.
WEEK_KM = (32.0, 33.5, 35.0, 33.0, 36.0, 38.0, 39.5, 37.0, 40.0, 42.0, 43.0, 40.0, 40.5, 72.0)
LONG_KM = (12.0, 12.5, 13.0, 12.5, 13.8, 14.5, 15.0, 14.0, 15.8, 16.5, 17.0, 15.0, 17.5, 24.0)
TRACK_KM = 10.6
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = 1, 2, 3, 4, 5, 6


def plan_history() -> list[RunPlan]:
    """The runs of W34-W47, in date order, with their numbers filled in."""
    rng = np.random.default_rng([SEED, 0])
    runs: list[RunPlan] = []
    for week in range(N_WEEKS - 1):
        runs += _calm_week(week, rng)
    runs += _pattern_week(N_WEEKS - 1, rng)
    runs.sort(key=lambda run: run.local_date)
    return [replace(run, number=index) for index, run in enumerate(runs, start=1)]


def _day(week: int, weekday: int) -> date:
    return FIRST_DAY + timedelta(days=7 * week + weekday)


def _start_time(rng: np.random.Generator, weekday: int) -> tuple[int, int, int]:
    """Weekday runs before work or after it, weekend runs mid-morning (local time)."""
    if weekday >= SATURDAY:
        hour, minute = 9, int(rng.integers(0, 50))
    elif rng.random() < 0.4:
        hour, minute = 18, int(rng.integers(25, 59))
    else:
        hour, minute = 7, int(rng.integers(0, 35))
    return (hour, minute, int(rng.integers(0, 60)))


def _calm_week(week: int, rng: np.random.Generator) -> list[RunPlan]:
    """Four runs: Tuesday easy (gym treadmill every other week), Thursday steady, Saturday easy,
    Sunday long; W46 moves Saturday to Friday. The same weekdays every week keep every 7-day
    window alike, so rolling comparisons stay calm."""
    others = WEEK_KM[week] - LONG_KM[week]
    source = "fit.gz" if week <= 6 else "fit"  # W34-W40 came from a Strava export
    shares = np.array([0.33, 0.37, 0.30]) * (1 + rng.uniform(-0.04, 0.04, 3))
    tue_km, thu_km, _ = np.round(others * shares / shares.sum(), 1)
    if week == 6:  # W40: the track session sets Thursday's distance
        tue_km, thu_km = round((others - TRACK_KM) * 0.53, 1), TRACK_KM
    if week == 12:  # W46: a short easy Friday instead of Saturday
        tue_km, thu_km = 8.0, 10.0
    sat_km = round(others - tue_km - thu_km, 1)  # the week adds up exactly

    def run(weekday: int, kind: str, km: float, route: Route, **extra) -> RunPlan:
        start = _start_time(rng, weekday)
        return RunPlan(0, _day(week, weekday), start, kind, float(km), source, route, **extra)

    runs = [
        _tuesday(week, float(tue_km), source, rng),
        run(THURSDAY, "steady", thu_km, VONDELPARK, dynamics=week != 11),
        run(FRIDAY if week == 12 else SATURDAY, "easy", sat_km,
            VONDELPARK if week % 2 else AMSTERDAMSE_BOS, dynamics=week not in (1, 7)),
        run(SUNDAY, "long", LONG_KM[week], AMSTERDAMSE_BOS),
    ]  # fmt: skip
    return [_special(run) for run in runs]


def _tuesday(week: int, km: float, source: str, rng: np.random.Generator) -> RunPlan:
    """An easy run, or in even weeks the gym treadmill, logged by hand, in the Novablast."""
    when = _day(week, TUESDAY)
    if week % 2:
        start = _start_time(rng, TUESDAY)
        return RunPlan(0, when, start, "easy", km, source, VONDELPARK, dynamics=week != 5)
    belt_kmh = float(rng.choice([9.8, 10.0, 10.2]))
    return RunPlan(0, when, (0, 0, 0), "treadmill", km, "csv", sub_sport="treadmill",
                   shoe=GYM_SHOE, rpe=int(rng.integers(3, 5)),
                   duration_s=int(round(km / belt_kmh * 3600)),
                   notes=f"gym treadmill, 1 % incline, {belt_kmh:.1f} km/h")  # fmt: skip


def _special(run: RunPlan) -> RunPlan:
    """The calm weeks' one-off runs: other sources, the track, a treadmill, a pause, DST."""
    day = run.local_date
    if day == date(2026, 9, 5):
        return replace(run, source="gpx", dynamics=False, notes="phone app: watch was charging")
    if day == date(2026, 9, 12):
        return replace(
            run,
            source="csv",
            route=None,
            shoe=ROAD_SHOE,
            rpe=3,
            duration_s=int(round(run.distance_km * 362)),
            notes="watch battery died; distance from the route planner",
        )
    if day == date(2026, 9, 20):
        return replace(run, pause=(8.4, 245), notes="stopped the watch for a drink and a chat")
    if day == date(2026, 9, 24):
        return replace(run, source="gpx", dynamics=False, notes="phone app: watch was charging")
    if day == date(2026, 10, 1):
        return replace(
            run,
            kind="track",
            route=TRACK,
            sub_sport="track",
            notes="6 x 800 m on the track, 400 m jog between",
        )
    if day == date(2026, 10, 15):
        return replace(
            run,
            kind="treadmill",
            route=None,
            sub_sport="treadmill",
            notes="hotel treadmill, Rotterdam",
        )
    if day == date(2026, 10, 25):
        return replace(run, notes="the morning the clocks went back (CEST to CET)")
    if day == date(2026, 10, 29):
        return replace(run, source="gpx", dynamics=False, notes="phone app: watch was charging")
    return run


def _pattern_week(week: int, rng: np.random.Generator) -> list[RunPlan]:
    """W47: seven running days in a row, a fast start, a fading run, a first trail run and a
    long run 37 % longer than anything in the previous 30 days."""

    def run(weekday: int, kind: str, km: float, route: Route, **extra) -> RunPlan:
        start = extra.pop("start", None) or _start_time(rng, weekday)
        return RunPlan(0, _day(week, weekday), start, kind, km, "fit", route, **extra)

    return [
        run(0, "easy", 6.0, VONDELPARK, notes="recovery jog"),
        run(
            TUESDAY,
            "tempo",
            8.0,
            VONDELPARK,
            start=(19, 2, 14),
            notes="club run: straight out at tempo with the group, no warm-up jog",
        ),
        run(
            WEDNESDAY,
            "fading",
            13.0,
            AMSTERDAMSE_BOS,
            notes="third day in a row; legs fading over the last 4 km",
        ),
        run(THURSDAY, "easy", 6.0, VONDELPARK, notes="short and easy"),
        run(FRIDAY, "easy", 5.0, VONDELPARK, dynamics=False, notes="short and easy"),
        run(
            SATURDAY,
            "trail",
            10.0,
            DUNES,
            sub_sport="trail",
            dynamics=False,
            notes="first trail run: the dunes of Zuid-Kennemerland, new Speedgoat 5",
        ),
        run(
            SUNDAY,
            "long",
            LONG_KM[week],
            AMSTERDAMSE_BOS,
            notes="longest run so far: 24 km in the Amsterdamse Bos",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Before the watch files: the build-up of W25-W33 (summaries in the Garmin Connect export)
# ---------------------------------------------------------------------------------------------

#: Distances [km] of each build-up week's runs on Tuesday, Thursday, Saturday and Sunday (None:
#: no run), W25 ... W33. The first 14 days hold no run over 5 km (``comeback`` judges a
#: history's first runs against 5 km); then the longest run grows by at most 0.9 km a week
#: (``session_spike`` flags > 10 % and >= 1 km over the longest of 30 days), each week stays
#: within 125 % of the mean of the three before (``weekly_jump``: 130 %), and W33's 11.2 km
#: long run leads to W34's 12 km.
BUILD_UP_KM = (
    (None, 3.5, 4.0, 4.5),
    (4.0, 4.5, 4.0, 5.0),
    (4.5, 5.0, 4.5, 5.9),
    (5.0, 5.5, 5.0, 6.8),
    (5.5, 6.0, 5.0, 7.7),
    (5.5, 6.5, 5.5, 8.6),
    (6.0, 7.0, 5.5, 9.5),
    (6.0, 7.5, 6.0, 10.4),
    (6.0, 7.5, 6.0, 11.2),
)
BUILD_UP_NUMBER = 1001  # build-up runs are numbered apart: the watch runs keep their numbers


def plan_build_up() -> list[RunPlan]:
    """The runs of W25-W33, in date order: easy runs and a Sunday long run, as summaries."""
    rng = np.random.default_rng([SEED, 4])
    runs = []
    for week, distances in enumerate(BUILD_UP_KM):
        for weekday, km in zip((TUESDAY, THURSDAY, SATURDAY, SUNDAY), distances, strict=True):
            if km is None:
                continue
            day = BUILD_UP_MONDAY + timedelta(days=7 * week + weekday)
            notes = "first run back after the winter" if day == HISTORY_FIRST_DAY else ""
            runs.append(
                RunPlan(
                    BUILD_UP_NUMBER + len(runs),
                    day,
                    _start_time(rng, weekday),
                    "long" if weekday == SUNDAY else "easy",
                    km,
                    "garmin",
                    sub_sport="generic",
                    dynamics=False,
                    notes=notes,
                )
            )
    return runs


@dataclass(frozen=True)
class BuildUpValues:
    """What Garmin Connect's summary of a build-up run says (no records: summary only)."""

    moving_s: int
    elapsed_s: int
    avg_hr: int
    max_hr: int
    strides_per_min: float  # running cadence as Garmin writes it (steps/min = 2 x strides)
    ascent_m: float
    descent_m: float


def build_up_values(run: RunPlan) -> BuildUpValues:
    """A summary that follows the watch runs' physiology: the same speed, heart-rate and cadence
    relations, a little less fit each week before W34."""
    rng = np.random.default_rng([SEED, 5, run.number])
    speed = _speeds(run)[run.kind] * (1 + rng.normal(0.0, 0.01))
    moving_s = int(round(run.distance_km * 1000 / speed))
    hours = moving_s / 3600.0
    steady = HR_AT_EASY + HR_PER_MPS * (speed - EASY_SPEED) - HR_FITNESS_PER_WEEK * run.week
    avg_hr = steady * (1 + 0.015 * hours) + rng.normal(0.0, 1.5) - 2.0  # the easy start
    spm = SPM_AT_EASY + SPM_PER_MPS * (speed - EASY_SPEED) + rng.normal(0.0, 0.8)
    return BuildUpValues(
        moving_s=moving_s,
        elapsed_s=moving_s + int(rng.integers(5, 40)),  # traffic lights
        avg_hr=int(round(avg_hr)),
        max_hr=int(round(avg_hr + rng.uniform(9, 14))),
        strides_per_min=round(spm / 2.0, 1),
        ascent_m=round(float(rng.uniform(4.0, 12.0)) * run.distance_km / 5.0, 1),
        descent_m=round(float(rng.uniform(4.0, 12.0)) * run.distance_km / 5.0, 1),
    )


# ---------------------------------------------------------------------------------------------
# Strength, yoga and pilates: the remedies beside the running
# ---------------------------------------------------------------------------------------------

#: Sessions of the runner's kinds (stridewise.kinds): strength work ends a rest day, mobility
#: (yoga, pilates) does not.
SESSION_KINDS = {"strength_training": "strength", "yoga": "mobility", "pilates": "mobility"}
#: Weeks without the Wednesday strength session (a busy week in W38, late at work in W43): the
#: yoga class or a pilates class keeps a remedy in every 14 days.
NO_STRENGTH_WEEKS = ("2026-W38", "2026-W43")
#: Fridays with a pilates class at lunch time (logged by hand: the watch stayed in the bag).
PILATES_DAYS = (date(2026, 9, 4), date(2026, 10, 2), date(2026, 10, 23))
#: The last remedy before the gap: late at work in W45, a cold in W46, so 14 days later the
#: strength_mobility rule informs (on 2026-11-11).
LAST_REMEDY_DAY = date(2026, 10, 28)
#: Back to yoga on the Sunday afternoon the cold was gone, after the long run: the 14 days of
#: W47 hold a session again.
RETURN_TO_YOGA = datetime(2026, 11, 15, 16, 0, 12)


@dataclass(frozen=True)
class SessionPlan:
    """A strength, yoga or pilates session: when, how long, and how it is stored."""

    number: int  # seeds the session's random stream
    local_date: date
    local_time: tuple[int, int, int]
    sub_sport: str  # FIT's names: strength_training, yoga, pilates
    duration_s: int
    source: str  # "garmin" (summary), "fit.gz" (Strava export), "fit" (watch), "csv" (log)
    notes: str = ""

    @property
    def kind(self) -> str:
        return SESSION_KINDS[self.sub_sport]

    @property
    def iso_week(self) -> str:
        year, week, _ = self.local_date.isocalendar()
        return f"{year}-W{week:02d}"

    def start_local(self) -> datetime:
        return datetime.combine(self.local_date, datetime.min.time(), tzinfo=ZONE).replace(
            hour=self.local_time[0], minute=self.local_time[1], second=self.local_time[2]
        )

    def start_utc(self) -> datetime:
        return self.start_local().astimezone(UTC)


def _session_source(day: date) -> str:
    if day < FIRST_DAY:
        return "garmin"
    return "fit.gz" if day < FIRST_DAY + timedelta(weeks=7) else "fit"  # as the runs: W34-W40


def plan_sessions() -> list[SessionPlan]:
    """Strength on Wednesday evenings, a yoga class every other Monday, three pilates classes,
    until LAST_REMEDY_DAY; then nothing until the yoga class of RETURN_TO_YOGA."""
    rng = np.random.default_rng([SEED, 6])
    sessions: list[SessionPlan] = []

    def add(day: date, time_of_day, sub_sport: str, minutes: float, source: str, notes=""):
        sessions.append(
            SessionPlan(
                2001 + len(sessions), day, time_of_day, sub_sport, int(round(minutes * 60)),
                source, notes,
            )
        )  # fmt: skip

    monday = BUILD_UP_MONDAY + timedelta(weeks=1)  # W26: the first whole week back
    while monday + timedelta(days=WEDNESDAY) <= LAST_REMEDY_DAY:
        week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
        if monday.isocalendar()[1] % 2 == 0:
            add(monday, (19, 30, int(rng.integers(0, 60))), "yoga", 60 + rng.integers(-2, 3),
                _session_source(monday), "yoga class")  # fmt: skip
        wednesday = monday + timedelta(days=WEDNESDAY)
        if week not in NO_STRENGTH_WEEKS:
            start = (18, int(rng.integers(20, 45)), int(rng.integers(0, 60)))
            add(wednesday, start, "strength_training", 38 + rng.integers(0, 9),
                _session_source(wednesday), "core and legs at the gym")  # fmt: skip
        friday = monday + timedelta(days=FRIDAY)
        if friday in PILATES_DAYS:
            add(friday, (12, 0, 0), "pilates", 55, "csv", "pilates class at lunch time")
        monday += timedelta(weeks=1)
    back = RETURN_TO_YOGA
    add(back.date(), (back.hour, back.minute, back.second), "yoga", 61, "fit",
        "yoga class, the cold gone")  # fmt: skip
    return sorted(sessions, key=lambda session: session.local_date)


@dataclass
class SessionSamples:
    """Heart rate once a second while a strength or yoga session's timer ran."""

    start_utc: datetime
    time_s: np.ndarray  # [s]
    heart_rate_bpm: np.ndarray  # integers [1/min]

    @property
    def elapsed_s(self) -> int:
        return int(self.time_s[-1] - self.time_s[0])

    @property
    def timer_s(self) -> int:
        return self.elapsed_s


def simulate_session(session: SessionPlan) -> SessionSamples:
    """Strength: sets of about 45 s that lift the heart rate to ~125, with 75 s rests; yoga: a
    calm ~85 with the standing poses a little higher."""
    rng = np.random.default_rng([SEED, 7, session.number])
    n = session.duration_s + 1
    t = np.arange(n, dtype=float)
    if session.sub_sport == "strength_training":
        warm = t < 300  # five minutes on the bike first
        in_set = ((t - 300) % 120) < 45
        target = np.where(warm, 108.0, np.where(in_set, 126.0, 101.0))
        target += rng.normal(0.0, 2.0)
    else:
        target = 84.0 + 8.0 * _smoothstep(np.sin(t / 600.0 * math.pi) ** 2) + rng.normal(0, 2.0)
    heart = _lag(target, float(rng.uniform(78, 88)), 20.0, 35.0) + _ar1(rng, n, 1.5, 0.9)
    return SessionSamples(
        start_utc=session.start_utc(),
        time_s=np.arange(n, dtype=np.int64),
        heart_rate_bpm=np.round(heart).astype(np.int64),
    )


# ---------------------------------------------------------------------------------------------
# Wellness: resting heart rate and sleep from the watch worn day and night
# ---------------------------------------------------------------------------------------------

#: A cold caught at the weekend of 7-8 November: the resting heart rate [1/min] above its
#: trend, and the sleep lost [h] in the nights that ended on these mornings. Both fade by
#: Friday, so that the 7-day means cross the rules' limits in W46 only: the days before and
#: after the week stay within the rules (the windows reach into W45 and W47).
COLD_RESTING_HR_RISE = {
    date(2026, 11, 7): 4,
    date(2026, 11, 8): 8,
    date(2026, 11, 9): 9,
    date(2026, 11, 10): 8,
    date(2026, 11, 11): 6,
    date(2026, 11, 12): 3,
    date(2026, 11, 13): 1,
}
COLD_SLEEP_LOSS_H = {
    date(2026, 11, 8): 2.4,
    date(2026, 11, 9): 2.4,
    date(2026, 11, 10): 1.5,
    date(2026, 11, 11): 0.6,
    date(2026, 11, 12): 0.2,
}


@dataclass(frozen=True)
class WellnessDay:
    """One local day of wellness data; None where the watch measured nothing."""

    day: date
    resting_hr_bpm: int | None
    sleep_s: int | None  # deep + light + REM sleep of the night that ended this morning [s]
    awake_s: int  # awake time in bed [s]
    bedtime: datetime | None  # local time the night began
    steps: int


def wellness_days() -> list[WellnessDay]:
    """Resting heart rate drifts down from 55 to 50 as she gets fitter (from her first run back
    to October), sleep is about 7.6 hours (8.1 on weekend mornings); a few days are missing (the
    watch charging); the cold of W46 raises the one and shortens the other."""
    rng = np.random.default_rng([SEED, 8])
    days = []
    day = WELLNESS_FIRST_DAY
    while day <= LAST_DAY:
        since_start = (day - HISTORY_FIRST_DAY).days
        trend = 55.0 - 5.0 * min(max(since_start, 0) / 110.0, 1.0)
        resting = trend + rng.normal(0.0, 1.0)
        weekend = day.weekday() >= SATURDAY
        sleep_h = (8.1 if weekend else 7.6) + rng.normal(0.0, 0.3)
        resting += COLD_RESTING_HR_RISE.get(day, 0)
        sleep_h -= COLD_SLEEP_LOSS_H.get(day, 0.0)
        planted = day in COLD_RESTING_HR_RISE or day in COLD_SLEEP_LOSS_H
        resting_missing = rng.random() < 0.04 and not planted
        sleep_missing = rng.random() < 0.05 and not planted
        bedtime = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=ZONE)
        bedtime += timedelta(minutes=int(rng.integers(22 * 60 + 30, 23 * 60 + 40)))
        days.append(
            WellnessDay(
                day=day,
                resting_hr_bpm=None if resting_missing else int(round(resting)),
                sleep_s=None if sleep_missing else int(round(sleep_h * 3600 / 60)) * 60,
                awake_s=int(rng.integers(8, 35)) * 60,
                bedtime=None if sleep_missing else bedtime,
                steps=int(rng.integers(6500, 12500)),
            )
        )
        day += timedelta(days=1)
    return days


# ---------------------------------------------------------------------------------------------
# Simulation: one second at a time
# ---------------------------------------------------------------------------------------------


@dataclass
class Samples:
    """What the watch (or phone) recorded, one row a second while the timer ran."""

    start_utc: datetime
    time_s: np.ndarray  # seconds since the start, pauses included [s]
    distance_m: np.ndarray
    speed_mps: np.ndarray
    altitude_m: np.ndarray
    heart_rate_bpm: np.ndarray  # integers
    cadence_spm: np.ndarray  # steps/min
    lat_deg: np.ndarray | None = None
    lon_deg: np.ndarray | None = None
    vertical_oscillation_mm: np.ndarray | None = None
    stance_time_ms: np.ndarray | None = None
    stance_time_balance_pct: np.ndarray | None = None
    step_length_mm: np.ndarray | None = None
    pause: tuple[int, int] | None = None  # (index of the last record before, length [s])

    @property
    def elapsed_s(self) -> int:
        return int(self.time_s[-1] - self.time_s[0])

    @property
    def timer_s(self) -> int:
        return self.elapsed_s - (self.pause[1] if self.pause else 0)

    @property
    def vertical_ratio_pct(self) -> np.ndarray:
        return self.vertical_oscillation_mm / self.step_length_mm * 100.0


def _ar1(rng: np.random.Generator, n: int, sd: float, keep: float) -> np.ndarray:
    """Correlated noise with stationary standard deviation ``sd`` and lag-1 correlation ``keep``."""
    shocks = rng.normal(0.0, sd * math.sqrt(1 - keep * keep), n)
    out = np.empty(n)
    value = rng.normal(0.0, sd)
    for i in range(n):
        value = keep * value + shocks[i]
        out[i] = value
    return out


def _smoothstep(x: np.ndarray | float) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _speeds(run: RunPlan) -> dict[str, float]:
    """Target speeds [m/s] for the run's week: fitness improves a little each week."""
    week = run.week
    easy = 2.74 + 0.005 * week
    return {
        "easy": easy,
        "long": easy - 0.02,
        "recovery": 2.68,
        "steady": 3.04 + 0.006 * week,
        "tempo": 3.30,
        "fading": 2.92,
        "trail": 2.72,
        "rep": 3.85,  # 4:20 min/km on the track
        "treadmill": 2.78,
    }


def _easing_in(t: float) -> float:
    """Share of the intended speed at moving time t [s]: runs start 14 % slower for 5 minutes."""
    return 0.86 + 0.14 * min(1.0, t / 300.0)


def _target_speed(run: RunPlan, speeds: dict[str, float]) -> Callable[[float, float], float]:
    """The runner's intended speed [m/s] at moving time t [s] and distance s [m]."""
    kind = run.kind
    if kind in ("easy", "long", "trail"):
        short = kind == "easy" and run.distance_km <= 6.0  # short easy runs are recovery jogs
        base = speeds["recovery" if short else kind]
        return lambda t, s: base * _easing_in(t)
    if kind in ("steady", "fading"):
        fast = speeds["steady" if kind == "steady" else "fading"]
        easy = speeds["easy"]

        def steady(t: float, s: float) -> float:
            if t < WARMUP_S:
                return easy * _easing_in(t)
            return easy + (fast - easy) * min(1.0, (t - WARMUP_S) / 60.0)

        return steady
    if kind == "tempo":
        return lambda t, s: speeds["tempo"] * (0.92 + 0.08 * min(1.0, t / 20.0))
    if kind == "treadmill":  # the belt speeds up over half a minute
        return lambda t, s: speeds["treadmill"] * min(1.0, 0.55 + t / 60.0)
    if kind == "track":
        return _track_session(speeds)
    raise ValueError(f"unknown kind {kind}")


def _track_session(speeds: dict[str, float]) -> Callable[[float, float], float]:
    """1.9 km easy (run to the stadium, two laps), 6 x 800 m with 400 m jogs, 1.5 km easy."""
    warm_m, rep_m, jog_m, reps = 1900.0, 800.0, 400.0, 6
    easy, fast, jog = speeds["easy"], speeds["rep"], speeds["easy"] * 0.88

    def session(t: float, s: float) -> float:
        if s < warm_m:
            return easy * _easing_in(t)
        into = s - warm_m
        block, within = divmod(into, rep_m + jog_m)
        if block >= reps or (block == reps - 1 and within >= rep_m):
            return easy
        return fast if within < rep_m else jog

    return session


def simulate(run: RunPlan) -> Samples:
    """Second-by-second record of one run: speed, position, heart rate, cadence, dynamics."""
    rng = np.random.default_rng([SEED, 1, run.number])
    distance_m = run.distance_km * 1000.0
    traversal = traverse(run.route, distance_m) if run.route else None
    grade_at = _grade_profile(run, traversal)
    target = _target_speed(run, _speeds(run))
    max_steps = int(distance_m / 1.5) + 1200
    speed_noise = _ar1(rng, max_steps, 0.025 if run.kind != "treadmill" else 0.008, 0.97)
    pause_at_m, pause_s = (run.pause[0] * 1000.0, run.pause[1]) if run.pause else (math.inf, 0)

    # integrate speed over distance, one second at a time; the timer stops once for a pause
    times, dists, speeds, efforts = [0], [0.0], [], []
    t_moving, s, restart_t = 0.0, 0.0, -math.inf
    pause_index = None
    while True:
        intended = target(t_moving, s) * (1 + speed_noise[len(speeds)])
        if t_moving - restart_t < 60:  # getting going again after the pause
            intended *= 0.8 + 0.2 * (t_moving - restart_t) / 60
        speed, effort = _grade_adjusted(intended, grade_at(s), run.kind == "trail")
        speeds.append(speed)
        efforts.append(effort)
        if s >= distance_m:
            break
        if pause_index is None and s >= pause_at_m:
            # this record is the last before the timer stops; the next one is where it
            # starts again, at the same place, pause_s later
            pause_index = len(times) - 1
            times.append(times[-1] + pause_s)
            dists.append(s)
            restart_t = t_moving
            continue
        s += speed
        t_moving += 1
        times.append(times[-1] + 1)
        dists.append(s)
    time_s = np.array(times, dtype=np.int64)
    true_speed = np.array(speeds)
    distance = np.array(dists)
    effort = np.array(efforts)

    heart = _heart_rate(run, rng, time_s, effort, distance / distance_m)
    cadence = _cadence(run, rng, true_speed, distance / distance_m)
    samples = Samples(
        start_utc=run.start_utc(),
        time_s=time_s,
        distance_m=distance,
        # the watch's speed estimate is a little noisier than the truth
        speed_mps=np.clip(true_speed + _ar1(rng, len(time_s), 0.04, 0.8), 0.3, None),
        altitude_m=np.zeros(len(time_s)),
        heart_rate_bpm=heart,
        cadence_spm=cadence,
        pause=(pause_index, pause_s) if pause_index is not None else None,
    )
    _add_positions(samples, run, traversal, rng)
    if run.dynamics:
        _add_dynamics(samples, run, rng, true_speed, cadence, distance / distance_m)
    return samples


def _grade_profile(run: RunPlan, traversal: Traversal | None) -> Callable[[float], float]:
    """Ground grade [fraction] along the run's path, smoothed over 30 m."""
    if traversal is None or run.route.terrain != "dunes":
        return lambda s: 0.0
    s_grid = np.arange(0.0, traversal.arc_m[-1] + 10.0, 5.0)
    lat, lon = traversal.positions(s_grid)
    altitude = terrain_altitude("dunes", lat, lon)
    grade = np.gradient(np.convolve(altitude, np.ones(7) / 7, mode="same"), 5.0)
    return lambda s: float(np.interp(s, s_grid, grade))


def _grade_adjusted(intended: float, grade: float, soft_ground: bool) -> tuple[float, float]:
    """Speed over ground and effort-equivalent flat speed [m/s] for an intended flat speed.

    On trail the runner slows on climbs (and sand) to hold the effort, but not completely: an
    8 % climb still raises the effort by about 10 %."""
    if not soft_ground:
        return intended, intended
    sand = 0.9
    if grade >= 0:
        speed = intended * sand / (1 + 3.3 * grade)
        effort = intended * (1 + 1.2 * grade)
    else:
        speed = min(intended * sand / (1 + 1.8 * grade), intended * 1.1)
        effort = intended * (1 + 0.4 * grade)
    return speed, effort


def _heart_rate(
    run: RunPlan,
    rng: np.random.Generator,
    time_s: np.ndarray,
    effort_mps: np.ndarray,
    progress: np.ndarray,
) -> np.ndarray:
    """Heart rate [1/min]: follows the effort with a lag, drifts upwards over time (cardiac drift),
    recovers while standing during a pause."""
    total_s = int(time_s[-1]) + 1
    effort = np.full(total_s, np.nan)
    effort[time_s] = effort_mps
    share = np.full(total_s, np.nan)
    share[time_s] = progress
    standing = np.isnan(effort)  # seconds of the pause
    effort = _fill_forward(effort)
    share = _fill_forward(share)
    smooth = _lag(effort, effort[0], 15.0, 15.0)  # effort is felt over a few strides
    day_offset = rng.normal(0.0, 1.5)
    steady = (
        HR_AT_EASY
        + HR_PER_MPS * (smooth - EASY_SPEED)
        - HR_FITNESS_PER_WEEK * run.week
        + day_offset
    )
    hours = np.arange(total_s) / 3600.0
    drift = 1 + 0.03 * hours
    if run.kind == "fading":  # fatigue: heart rate climbs at the same pace
        drift = drift + 0.09 * _smoothstep((share - 0.45) / 0.45)
    target = np.minimum(steady * drift, HR_CEILING)
    target[standing] = 98.0
    start = float(rng.uniform(86, 96))
    heart = _lag(target, start, 30.0, 45.0)
    noise_sd = 1.0 if run.dynamics else 2.2  # chest strap vs wrist sensor
    heart = heart + _ar1(rng, total_s, noise_sd, 0.9)
    return np.round(heart[time_s]).astype(np.int64)


def _fill_forward(values: np.ndarray) -> np.ndarray:
    index = np.where(np.isnan(values), 0, np.arange(len(values)))
    return values[np.maximum.accumulate(index)]


def _lag(target: np.ndarray, start: float, tau_up_s: float, tau_down_s: float) -> np.ndarray:
    """First-order response to ``target`` with time constants [s] for rising and falling."""
    up, down = 1 - math.exp(-1 / tau_up_s), 1 - math.exp(-1 / tau_down_s)
    out = np.empty(len(target))
    value = start
    for i, goal in enumerate(target):
        value += (goal - value) * (up if goal > value else down)
        out[i] = value
    return out


def _cadence(
    run: RunPlan, rng: np.random.Generator, speed_mps: np.ndarray, progress: np.ndarray
) -> np.ndarray:
    """Steps per minute: rises with speed; drops 7 % over the last part of the fading run."""
    smooth = _lag(speed_mps, speed_mps[0], 4.0, 4.0)
    base = SPM_AT_EASY + rng.normal(0.0, 0.8) + SPM_PER_MPS * (smooth - EASY_SPEED)
    if run.kind == "fading":
        base = base * (1 - 0.07 * _smoothstep((progress - 0.45) / 0.45))
    return np.clip(base + _ar1(rng, len(speed_mps), 1.0, 0.85), 150.0, 200.0)


def _add_positions(samples: Samples, run: RunPlan, traversal: Traversal | None, rng) -> None:
    """GPS positions with a few metres of correlated error, and barometric altitude."""
    n = len(samples.time_s)
    if traversal is None:  # treadmill: no GPS; the barometer sees a building floor
        samples.altitude_m = 4.0 + _ar1(rng, n, 0.15, 0.99)
        return
    # GPS error wanders slowly (it is mostly a drifting bias): a jittery track would add length
    # to the distance a GPX reader sums from the positions
    gps_sd = 3.0 if run.source == "gpx" else 2.0  # phones wander more than watches
    lat, lon = traversal.positions(samples.distance_m)
    north = _ar1(rng, n, gps_sd, 0.998)
    east = _ar1(rng, n, gps_sd, 0.998)
    samples.lat_deg = lat + np.degrees(north / EARTH_RADIUS_M)
    samples.lon_deg = lon + np.degrees(east / (EARTH_RADIUS_M * math.cos(math.radians(lat[0]))))
    ground = terrain_altitude(run.route.terrain, lat, lon)
    samples.altitude_m = ground + 1.2 + _ar1(rng, n, 0.3, 0.995)


def _add_dynamics(samples: Samples, run, rng, speed_mps, cadence_spm, progress) -> None:
    """Running dynamics from the chest strap: contact time, oscillation, balance, step length."""
    n = len(speed_mps)
    smooth = _lag(speed_mps, speed_mps[0], 4.0, 4.0)
    fade = _smoothstep((progress - 0.45) / 0.45) if run.kind == "fading" else np.zeros(n)
    gct = GCT_AT_EASY + rng.normal(0, 3) + GCT_PER_MPS * (smooth - EASY_SPEED)
    samples.stance_time_ms = gct * (1 + 0.095 * fade) + _ar1(rng, n, 3.0, 0.8)
    samples.vertical_oscillation_mm = (
        VO_AT_EASY
        + rng.normal(0, 1.5)
        + VO_PER_MPS * (smooth - EASY_SPEED)
        + _ar1(rng, n, 1.2, 0.8)
    )
    balance = 50.05 + rng.uniform(-0.15, 0.15)
    samples.stance_time_balance_pct = balance + _ar1(rng, n, 0.25, 0.9)
    samples.step_length_mm = smooth / (cadence_spm / 60.0) * 1000.0


# ---------------------------------------------------------------------------------------------
# Writers: FIT (fit-tool), GPX 1.1, CSV
# ---------------------------------------------------------------------------------------------

FIT_EPOCH_S = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds
WATCH_SERIAL = 3_421_987_654
STRAP_SERIAL = 1_234_567
LOCAL_IDS = {
    "file_id": 0,
    "device_info": 1,
    "event": 2,
    "record": 3,
    "lap": 4,
    "session": 5,
    "activity": 6,
}
SUB_SPORTS = {
    "street": SubSport.STREET,
    "trail": SubSport.TRAIL,
    "track": SubSport.TRACK,
    "treadmill": SubSport.TREADMILL,
}


def _ms(start_utc: datetime, offset_s: float) -> int:
    """fit-tool timestamps are Unix milliseconds."""
    return int(round((start_utc.timestamp() + offset_s) * 1000))


class _Records:
    """Builds record messages holding only the fields this run has.

    fit-tool's RecordMessage() constructor creates all ~85 profile fields for every message, which
    makes a 1 Hz hour-long run take seconds; a message built from just the fields in use encodes to
    the same bytes three times faster."""

    def __init__(self, names: list[str]) -> None:
        template = RecordMessage()
        self.field_types = [type(f) for f in template.fields if f.name in names]

    def new(self) -> RecordMessage:
        message = RecordMessage.__new__(RecordMessage)
        DataMessage.__init__(
            message,
            name=RecordMessage.NAME,
            global_id=RecordMessage.ID,
            local_id=LOCAL_IDS["record"],
            fields=[field_type(size=0, growable=True) for field_type in self.field_types],
        )
        message.growable = True
        return message


def fit_bytes(run: RunPlan, samples: Samples) -> bytes:
    """A FIT activity file as a Garmin watch writes it (file_id, device_info, events, records,
    1 km auto-laps, session, activity with local_timestamp)."""
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    start = samples.start_utc
    end_offset = float(samples.time_s[-1])
    builder.add(_file_id(start))
    for message in _device_infos(start, run.dynamics):
        builder.add(message)
    builder.add(_timer_event(start, 0.0, EventType.START))
    laps = _lap_bounds(samples)
    record_builder = _Records(_record_field_names(samples))
    next_lap = 0
    for i in range(len(samples.time_s)):
        builder.add(_record(record_builder, samples, i))
        if samples.pause and i == samples.pause[0]:
            builder.add(_timer_event(start, float(samples.time_s[i]), EventType.STOP_ALL))
            restart = float(samples.time_s[i + 1])
            builder.add(_timer_event(start, restart, EventType.START))
        if next_lap < len(laps) - 1 and i == laps[next_lap][1]:
            builder.add(_lap(run, samples, laps[next_lap], next_lap, LapTrigger.DISTANCE))
            next_lap += 1
    builder.add(_timer_event(start, end_offset, EventType.STOP_ALL))
    builder.add(_lap(run, samples, laps[-1], len(laps) - 1, LapTrigger.SESSION_END))
    builder.add(_session(run, samples, len(laps)))
    builder.add(_activity(samples))
    return builder.build_bytes()


def _file_id(start: datetime) -> FileIdMessage:
    message = FileIdMessage(local_id=LOCAL_IDS["file_id"])
    message.type = FileType.ACTIVITY
    message.manufacturer = Manufacturer.GARMIN.value
    message.product = GarminProduct.FR255.value
    message.serial_number = WATCH_SERIAL
    message.time_created = _ms(start, 0)  # set explicitly: never the time of generation
    return message


def _device_infos(start: datetime, strap: bool) -> list[DeviceInfoMessage]:
    watch = DeviceInfoMessage(local_id=LOCAL_IDS["device_info"])
    watch.timestamp = _ms(start, 0)
    watch.device_index = 0  # the creator
    watch.manufacturer = Manufacturer.GARMIN.value
    watch.product = GarminProduct.FR255.value
    watch.serial_number = WATCH_SERIAL
    watch.software_version = 20.26
    watch.source_type = SourceType.LOCAL
    if not strap:
        return [watch]
    hrm = DeviceInfoMessage(local_id=LOCAL_IDS["device_info"])
    hrm.timestamp = _ms(start, 0)
    hrm.device_index = 1
    hrm.source_type = SourceType.ANTPLUS
    hrm.antplus_device_type = AntplusDeviceType.HEART_RATE.value
    hrm.manufacturer = Manufacturer.GARMIN.value
    hrm.product = GarminProduct.HRM_PRO_PLUS.value
    hrm.serial_number = STRAP_SERIAL
    hrm.battery_status = BatteryStatus.GOOD.value
    return [watch, hrm]


def _timer_event(start: datetime, offset_s: float, kind: EventType) -> EventMessage:
    message = EventMessage(local_id=LOCAL_IDS["event"])
    message.timestamp = _ms(start, offset_s)
    message.event = Event.TIMER
    message.event_type = kind
    message.event_group = 0
    return message


def _record_field_names(samples: Samples) -> list[str]:
    names = [
        "timestamp",
        "distance",
        "enhanced_speed",
        "enhanced_altitude",
        "heart_rate",
        "cadence",
        "fractional_cadence",
    ]
    if samples.lat_deg is not None:
        names += ["position_lat", "position_long"]
    if samples.stance_time_ms is not None:
        names += [
            "vertical_oscillation",
            "stance_time",
            "stance_time_balance",
            "vertical_ratio",
            "step_length",
        ]
    return names


def _strides(steps_per_min: float) -> tuple[int, float]:
    """FIT running cadence: whole strides/min plus the fraction in 1/128 steps."""
    units = int(round(steps_per_min / 2.0 * 128))
    return units // 128, (units % 128) / 128


def _record(records: _Records, samples: Samples, i: int) -> RecordMessage:
    message = records.new()
    message.timestamp = _ms(samples.start_utc, float(samples.time_s[i]))
    message.distance = float(samples.distance_m[i])
    message.enhanced_speed = float(samples.speed_mps[i])
    message.enhanced_altitude = float(samples.altitude_m[i])
    message.heart_rate = int(samples.heart_rate_bpm[i])
    message.cadence, message.fractional_cadence = _strides(float(samples.cadence_spm[i]))
    if samples.lat_deg is not None:
        message.position_lat = float(samples.lat_deg[i])
        message.position_long = float(samples.lon_deg[i])
    if samples.stance_time_ms is not None:
        message.vertical_oscillation = float(samples.vertical_oscillation_mm[i])
        message.stance_time = float(samples.stance_time_ms[i])
        message.stance_time_balance = float(samples.stance_time_balance_pct[i])
        message.vertical_ratio = float(samples.vertical_ratio_pct[i])
        message.step_length = float(samples.step_length_mm[i])
    return message


def _lap_bounds(samples: Samples) -> list[tuple[int, int]]:
    """Auto-laps every kilometre: (first, last) record index of each lap, sharing boundaries."""
    km_marks = np.searchsorted(
        samples.distance_m, np.arange(1000.0, samples.distance_m[-1], 1000.0)
    )
    bounds = [0, *[int(i) for i in km_marks if 0 < i < len(samples.time_s) - 1]]
    bounds.append(len(samples.time_s) - 1)
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _ascent_descent(altitude_m: np.ndarray, dead_band_m: float = 2.0) -> tuple[int, int]:
    """Total ascent and descent [m] with a dead band, as devices filter barometer noise."""
    up = down = 0.0
    anchor = altitude_m[0]
    for value in altitude_m[1:]:
        if value - anchor >= dead_band_m:
            up += value - anchor
            anchor = value
        elif anchor - value >= dead_band_m:
            down += anchor - value
            anchor = value
    return int(round(up)), int(round(down))


@dataclass(frozen=True)
class _Totals:
    elapsed_s: float
    timer_s: float
    distance_m: float
    avg_speed: float
    max_speed: float
    avg_hr: int
    max_hr: int
    cadence: tuple[int, float]
    max_cadence: int
    ascent_m: int
    descent_m: int
    dynamics: dict[str, float]


def _totals(samples: Samples, first: int, last: int) -> _Totals:
    """Summary of records first..last (inclusive), as the watch computes it."""
    part = slice(first, last + 1)
    time_s = samples.time_s[part]
    elapsed = float(time_s[-1] - time_s[0])
    steps = np.diff(time_s)
    timer = float(steps[steps == 1].sum())  # a pause is the one step longer than a second
    distance = float(samples.distance_m[last] - samples.distance_m[first])
    ascent, descent = _ascent_descent(samples.altitude_m[part])
    dynamics = {}
    if samples.stance_time_ms is not None:
        dynamics = {
            "avg_vertical_oscillation": float(samples.vertical_oscillation_mm[part].mean()),
            "avg_stance_time": float(samples.stance_time_ms[part].mean()),
            "avg_stance_time_balance": float(samples.stance_time_balance_pct[part].mean()),
            "avg_vertical_ratio": float(samples.vertical_ratio_pct[part].mean()),
            "avg_step_length": float(samples.step_length_mm[part].mean()),
        }
    return _Totals(
        elapsed_s=elapsed,
        timer_s=timer,
        distance_m=distance,
        avg_speed=distance / timer if timer else 0.0,
        max_speed=float(samples.speed_mps[part].max()),
        avg_hr=int(round(samples.heart_rate_bpm[part].mean())),
        max_hr=int(samples.heart_rate_bpm[part].max()),
        cadence=_strides(float(samples.cadence_spm[part].mean())),
        max_cadence=_strides(float(samples.cadence_spm[part].max()))[0],
        ascent_m=ascent,
        descent_m=descent,
        dynamics=dynamics,
    )


def _fill_summary(message, run: RunPlan, samples: Samples, totals: _Totals, first: int) -> None:
    """Fields that laps and sessions share."""
    message.start_time = _ms(samples.start_utc, float(samples.time_s[first]))
    message.sport = Sport.RUNNING
    message.sub_sport = SUB_SPORTS[run.sub_sport]
    message.total_elapsed_time = totals.elapsed_s
    message.total_timer_time = totals.timer_s
    message.total_distance = totals.distance_m
    message.total_calories = int(round(totals.distance_m / 1000 * 62))  # about 1 kcal/kg/km
    message.avg_speed = totals.avg_speed
    message.max_speed = totals.max_speed
    message.enhanced_avg_speed = totals.avg_speed
    message.enhanced_max_speed = totals.max_speed
    message.avg_heart_rate = totals.avg_hr
    message.max_heart_rate = totals.max_hr
    message.avg_running_cadence, message.avg_fractional_cadence = totals.cadence
    message.max_running_cadence = totals.max_cadence
    message.total_ascent = totals.ascent_m
    message.total_descent = totals.descent_m
    for name, value in totals.dynamics.items():
        setattr(message, name, value)
    if samples.lat_deg is not None:
        message.start_position_lat = float(samples.lat_deg[first])
        message.start_position_long = float(samples.lon_deg[first])


def _lap(run, samples: Samples, bounds: tuple[int, int], index: int, trigger) -> LapMessage:
    first, last = bounds
    totals = _totals(samples, first, last)
    message = LapMessage(local_id=LOCAL_IDS["lap"])
    message.message_index = index
    message.timestamp = _ms(samples.start_utc, float(samples.time_s[last]))
    message.event = Event.LAP
    message.event_type = EventType.STOP
    message.lap_trigger = trigger
    _fill_summary(message, run, samples, totals, first)
    if samples.lat_deg is not None:
        message.end_position_lat = float(samples.lat_deg[last])
        message.end_position_long = float(samples.lon_deg[last])
    return message


def _session(run: RunPlan, samples: Samples, n_laps: int) -> SessionMessage:
    last = len(samples.time_s) - 1
    totals = _totals(samples, 0, last)
    message = SessionMessage(local_id=LOCAL_IDS["session"])
    message.message_index = 0
    message.timestamp = _ms(samples.start_utc, float(samples.time_s[last]))
    message.event = Event.SESSION
    message.event_type = EventType.STOP
    message.trigger = SessionTrigger.ACTIVITY_END
    _fill_summary(message, run, samples, totals, 0)
    message.first_lap_index = 0
    message.num_laps = n_laps
    return message


def _activity(samples: Samples) -> ActivityMessage:
    end_utc = samples.start_utc + timedelta(seconds=int(samples.time_s[-1]))
    offset_s = int(end_utc.astimezone(ZONE).utcoffset().total_seconds())
    message = ActivityMessage(local_id=LOCAL_IDS["activity"])
    message.timestamp = _ms(samples.start_utc, float(samples.time_s[-1]))
    message.total_timer_time = float(samples.timer_s)
    message.num_sessions = 1
    message.type = Activity.MANUAL
    message.event = Event.ACTIVITY
    message.event_type = EventType.STOP
    # local_timestamp is a plain FIT-epoch count of local wall-clock seconds (no scale, no offset)
    message.local_timestamp = int(end_utc.timestamp()) + offset_s - FIT_EPOCH_S
    return message


SESSION_SUB_SPORTS = {"strength_training": SubSport.STRENGTH_TRAINING, "yoga": SubSport.YOGA}


def session_fit_bytes(session: SessionPlan, samples: SessionSamples) -> bytes:
    """A strength or yoga session as the watch writes it: sport training, heart rate records,
    one lap, a session and the activity with its local time (no position, no distance)."""
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    start = samples.start_utc
    end_s = float(samples.time_s[-1])
    builder.add(_file_id(start))
    for message in _device_infos(start, strap=False):
        builder.add(message)
    builder.add(_timer_event(start, 0.0, EventType.START))
    records = _Records(["timestamp", "heart_rate"])
    for offset, heart in zip(samples.time_s, samples.heart_rate_bpm, strict=True):
        message = records.new()
        message.timestamp = _ms(start, float(offset))
        message.heart_rate = int(heart)
        builder.add(message)
    builder.add(_timer_event(start, end_s, EventType.STOP_ALL))
    calories = int(round(samples.elapsed_s / 60 * (6.5 if session.kind == "strength" else 3.5)))
    lap = LapMessage(local_id=LOCAL_IDS["lap"])
    lap.message_index = 0
    lap.timestamp = _ms(start, end_s)
    lap.event = Event.LAP
    lap.event_type = EventType.STOP
    lap.lap_trigger = LapTrigger.SESSION_END
    summary = SessionMessage(local_id=LOCAL_IDS["session"])
    summary.message_index = 0
    summary.timestamp = _ms(start, end_s)
    summary.event = Event.SESSION
    summary.event_type = EventType.STOP
    summary.trigger = SessionTrigger.ACTIVITY_END
    summary.first_lap_index = 0
    summary.num_laps = 1
    for message in (lap, summary):
        message.start_time = _ms(start, 0.0)
        message.sport = Sport.TRAINING
        message.sub_sport = SESSION_SUB_SPORTS[session.sub_sport]
        message.total_elapsed_time = float(samples.elapsed_s)
        message.total_timer_time = float(samples.elapsed_s)
        message.total_calories = calories
        message.avg_heart_rate = int(round(samples.heart_rate_bpm.mean()))
        message.max_heart_rate = int(samples.heart_rate_bpm.max())
    builder.add(lap)
    builder.add(summary)
    builder.add(_activity(samples))
    return builder.build_bytes()


def _epoch_ms(moment: datetime) -> float:
    return float(round(moment.timestamp() * 1000))


def garmin_summary(item: RunPlan | SessionPlan, activity_id: int) -> dict:
    """One summarizedActivities entry as Garmin Connect writes it: cm, ms, epoch ms as floats,
    speed / 10, running cadence in strides/min."""
    start = item.start_utc()
    entry: dict[str, object] = {
        "activityId": activity_id,
        "userProfileId": GARMIN_USER_PK,
        "timeZoneId": 124,  # Europe/Amsterdam
        "beginTimestamp": _epoch_ms(start),
        "startTimeGmt": _epoch_ms(start),
        "startTimeLocal": _epoch_ms(start) + _offset_s(start) * 1000.0,
        "deviceId": 3_421_000_017,
        "manufacturer": "GARMIN",
        "lapCount": 1,
        "parent": False,
        "purposeful": False,
        "favorite": False,
        "pr": False,
    }
    if isinstance(item, RunPlan):
        values = build_up_values(item)
        entry.update(
            name="Amsterdam Running",
            activityType="running",
            sportType="RUNNING",
            duration=values.moving_s * 1000.0,
            elapsedDuration=values.elapsed_s * 1000.0,
            movingDuration=values.moving_s * 1000.0,
            distance=round(item.distance_km * 100_000.0, 1),
            elevationGain=round(values.ascent_m * 100.0, 1),
            elevationLoss=round(values.descent_m * 100.0, 1),
            avgSpeed=round(item.distance_km * 1000 / values.moving_s / 10.0, 5),
            avgHr=float(values.avg_hr),
            maxHr=float(values.max_hr),
            avgRunCadence=values.strides_per_min,
            calories=round(item.distance_km * 62.0, 1),
            lapCount=int(math.ceil(item.distance_km)),
        )
    else:
        samples = simulate_session(item)
        entry.update(
            activityType=item.sub_sport,
            sportType="TRAINING",
            name="Yoga" if item.sub_sport == "yoga" else "Strength",
            duration=samples.elapsed_s * 1000.0,
            elapsedDuration=samples.elapsed_s * 1000.0,
            movingDuration=samples.elapsed_s * 1000.0,
            avgHr=float(round(samples.heart_rate_bpm.mean())),
            maxHr=float(samples.heart_rate_bpm.max()),
        )
    return entry


def garmin_export_files(
    runs: list[RunPlan], sessions: list[SessionPlan], days: list[WellnessDay]
) -> dict[str, str]:
    """The trimmed Garmin Connect export: the summaries of the build-up (runs, strength, yoga),
    daily resting heart rate (``DI-Connect-Aggregator/UDSFile_*``) and sleep
    (``DI-Connect-Wellness/*_sleepData.json``) in chunks of WELLNESS_CHUNK_DAYS, compact JSON
    as Garmin writes it."""
    items = sorted(
        [run for run in runs if run.source == "garmin"]
        + [session for session in sessions if session.source == "garmin"],
        key=lambda item: item.start_utc(),
    )
    rng = np.random.default_rng([SEED, 10])
    activity_id = 13_210_000_000 + int(rng.integers(0, 999_999))
    summaries = []
    for item in items:
        activity_id += int(rng.integers(40_000, 90_000))
        summaries.append(garmin_summary(item, activity_id))
    files = {GARMIN_SUMMARIES: _compact([{"summarizedActivitiesExport": summaries}])}
    for first in range(0, len(days), WELLNESS_CHUNK_DAYS):
        chunk = days[first : first + WELLNESS_CHUNK_DAYS]
        span = f"{chunk[0].day}_{chunk[-1].day}"
        files[f"{GARMIN_CONNECT}/DI-Connect-Aggregator/UDSFile_{span}.json"] = _compact(
            [_uds_record(day) for day in chunk]
        )
        nights = [_sleep_record(day) for day in chunk if day.sleep_s is not None]
        name = f"{GARMIN_CONNECT}/DI-Connect-Wellness/{span}_{GARMIN_USER_PK}_sleepData.json"
        files[name] = _compact(nights)
    return files


def _compact(document: object) -> str:
    return json.dumps(document, separators=(",", ":"))


def _uds_record(day: WellnessDay) -> dict:
    record: dict[str, object] = {
        "userProfilePK": GARMIN_USER_PK,
        "calendarDate": day.day.isoformat(),
        "totalSteps": day.steps,
        "includesWellnessData": True,
    }
    if day.resting_hr_bpm is not None:  # a night without the watch: no resting heart rate
        record["restingHeartRate"] = day.resting_hr_bpm
        record["minHeartRate"] = day.resting_hr_bpm - 4
    return record


def _sleep_record(day: WellnessDay) -> dict:
    sleep = day.sleep_s or 0
    deep, rem = round(sleep * 0.19 / 60) * 60, round(sleep * 0.22 / 60) * 60
    start = day.bedtime.astimezone(UTC)
    end = start + timedelta(seconds=sleep + day.awake_s)
    return {
        "sleepStartTimestampGMT": start.strftime("%Y-%m-%dT%H:%M:%S.0"),
        "sleepEndTimestampGMT": end.strftime("%Y-%m-%dT%H:%M:%S.0"),
        "calendarDate": day.day.isoformat(),
        "sleepWindowConfirmationType": "ENHANCED_CONFIRMED_FINAL",
        "deepSleepSeconds": deep,
        "lightSleepSeconds": sleep - deep - rem,
        "remSleepSeconds": rem,
        "awakeSleepSeconds": day.awake_s,
        "unmeasurableSeconds": 0,
    }


def gpx_text(run: RunPlan, samples: Samples) -> str:
    """GPX 1.1 as a phone app writes it, heart rate and cadence (strides/min) in Garmin's
    TrackPointExtension v1."""
    name = f"{'Morning' if run.local_time[0] < 12 else 'Evening'} Run"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="stridewise sample generator (phone app with a Bluetooth HR'
        ' strap)" xmlns="http://www.topografix.com/GPX/1/1"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
        ' xsi:schemaLocation="http://www.topografix.com/GPX/1/1'
        ' http://www.topografix.com/GPX/1/1/gpx.xsd">',
        f"  <metadata><time>{_iso_z(samples.start_utc)}</time></metadata>",
        "  <trk>",
        f"    <name>{name}</name>",
        "    <type>running</type>",
        "    <trkseg>",
    ]
    for i, offset in enumerate(samples.time_s):
        when = _iso_z(samples.start_utc + timedelta(seconds=int(offset)))
        strides = int(round(samples.cadence_spm[i] / 2))
        lines.append(
            f'      <trkpt lat="{samples.lat_deg[i]:.7f}" lon="{samples.lon_deg[i]:.7f}">'
            f"<ele>{samples.altitude_m[i]:.1f}</ele><time>{when}</time>"
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{samples.heart_rate_bpm[i]}"
            f"</gpxtpx:hr><gpxtpx:cad>{strides}</gpxtpx:cad></gpxtpx:TrackPointExtension>"
            "</extensions></trkpt>"
        )
    lines += ["    </trkseg>", "  </trk>", "</gpx>", ""]
    return "\n".join(lines)


def _iso_z(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


CSV_COLUMNS = ("date", "sport", "distance_km", "duration", "shoe", "surface", "rpe", "notes")


def csv_log(runs: list[RunPlan], sessions: list[SessionPlan]) -> str:
    """The runner's own log of what has no watch file (no row repeats a FIT or GPX run): runs
    on the gym treadmill, a run after the watch battery died, and pilates classes."""
    rows = [
        (
            run.local_date,
            [
                run.local_date.isoformat(),
                "run",
                f"{run.distance_km:.2f}",
                _hms(run.duration_s),
                run.shoe,
                run.surface,
                run.rpe,
                run.notes,
            ],
        )
        for run in runs
    ]
    rows += [
        (
            session.local_date,
            [
                session.local_date.isoformat(),
                session.sub_sport,
                "",
                _hms(session.duration_s),
                "",
                "",
                3,
                session.notes,
            ],
        )
        for session in sessions
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for _, row in sorted(rows, key=lambda pair: pair[0]):
        writer.writerow(row)
    return out.getvalue()


def _hms(seconds: int) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


# ---------------------------------------------------------------------------------------------
# File names and the activity index
# ---------------------------------------------------------------------------------------------

CSV_PATH = "log/training-log.csv"
GARMIN_ACCOUNT = "me@example.org"
GARMIN_USER_PK = 81_234_567
GARMIN_CONNECT = "garmin/DI_CONNECT"
GARMIN_SUMMARIES = (
    f"{GARMIN_CONNECT}/DI-Connect-Fitness/{GARMIN_ACCOUNT}_0_summarizedActivities.json"
)
#: Garmin splits the daily files into chunks of about 100 days.
WELLNESS_CHUNK_DAYS = 100


def file_name(run: RunPlan | SessionPlan, upload_ids: dict[int, int]) -> str:
    """Where the run or session is stored inside the samples folder."""
    stamp = run.start_local().strftime("%Y-%m-%d-%H-%M-%S")
    if run.source == "fit.gz":
        return f"strava/{upload_ids[run.number]}.fit.gz"
    if run.source == "fit":
        return f"watch/{stamp}.fit"
    if run.source == "gpx":
        return f"phone/{stamp}.gpx"
    if run.source == "garmin":
        return GARMIN_SUMMARIES
    return CSV_PATH


def strava_upload_ids(runs: list[RunPlan], sessions: list[SessionPlan]) -> dict[int, int]:
    """Strava names exported files by upload id: increasing, with irregular gaps. A session's
    id lies between those of the runs before and after it (the watch runs are drawn first, so
    their names do not depend on the sessions)."""
    rng = np.random.default_rng([SEED, 3])
    upload_id = 15_873_000_000 + int(rng.integers(0, 999_999))
    ids = {}
    moments = []  # (start, upload id) of every watch run, in order
    for run in runs:
        upload_id += int(rng.integers(1_800_000, 2_900_000))
        moments.append((run.start_utc(), upload_id))
        if run.source == "fit.gz":
            ids[run.number] = upload_id
    rng = np.random.default_rng([SEED, 9])
    for session in sessions:
        if session.source != "fit.gz":
            continue
        after = min(i for start, i in moments if start > session.start_utc())
        before = max((i for start, i in moments if start < session.start_utc()), default=None)
        if before is None:  # before the first watch run: a gap like the others
            before = after - 2_000_000
        ids[session.number] = before + int(rng.integers(1, after - before))
    return ids


@dataclass(frozen=True)
class Summary:
    """One run as the importers should see it, for the index and the design checks."""

    run: RunPlan
    file: str
    distance_km: float
    timer_s: int
    elapsed_s: int
    shoe: str | None
    utc_offset_s: int | None
    early_max_hr: int | None = None  # highest heart rate in the first 10 minutes [1/min]
    warmup_hr: float | None = None  # mean heart rate of minutes 1.5-10 [1/min]
    decoupling_pct: float | None = None
    cadence_change_pct: float | None = None  # last 20 % vs first post-warm-up 20 %
    gct_change_pct: float | None = None
    speed_change_pct: float | None = None
    mean_cadence_spm: float | None = None
    mean_balance_pct: float | None = None
    trimp: float = 0.0  # Banister TRIMP, women's weighting


def banister_trimp(heart_rate_bpm: np.ndarray, seconds: float) -> float:
    """Banister TRIMP for a woman (Morton et al. 1990), one heart-rate value per second."""
    reserve = (heart_rate_bpm - PROFILE["resting_hr"]) / (PROFILE["max_hr"] - PROFILE["resting_hr"])
    per_minute = reserve * 0.86 * np.exp(1.67 * reserve)
    return float(per_minute.mean() * seconds / 60)


def shoe_of(run: RunPlan) -> str | None:
    """The pair a run is counted in once the demo registers the shoes: none before the road
    pair's ``since`` (the build-up names no shoe)."""
    if run.shoe:
        return run.shoe
    if run.local_date < FIRST_DAY:
        return None
    return TRAIL_SHOE if run.sub_sport == "trail" else ROAD_SHOE


def _offset_s(moment: datetime) -> int:
    return int(moment.astimezone(ZONE).utcoffset().total_seconds())


def summarise(run: RunPlan, file: str, samples: Samples | None) -> Summary:
    if run.source == "garmin":  # a summary: its average heart rate carries the load
        values = build_up_values(run)
        return Summary(
            run,
            file,
            run.distance_km,
            values.moving_s,
            values.elapsed_s,
            shoe_of(run),
            _offset_s(run.start_utc()),
            trimp=banister_trimp(np.array([values.avg_hr]), values.moving_s),
        )
    if samples is None:  # a CSV row: no heart rate, counted as an easy run for the load checks
        easy = banister_trimp(np.array([HR_AT_EASY]), run.duration_s)
        return Summary(
            run,
            file,
            run.distance_km,
            run.duration_s,
            run.duration_s,
            shoe_of(run),
            None,
            trimp=easy,
        )
    end_utc = samples.start_utc + timedelta(seconds=int(samples.time_s[-1]))
    moving = samples.time_s - np.concatenate([[0], np.cumsum(np.diff(samples.time_s) - 1)])
    early = moving < WARMUP_S
    values = {
        "early_max_hr": int(samples.heart_rate_bpm[early].max()),
        "warmup_hr": float(samples.heart_rate_bpm[early & (moving >= 90)].mean()),
        "decoupling_pct": _decoupling(samples, moving),
        "mean_cadence_spm": float(samples.cadence_spm.mean()),
        "trimp": banister_trimp(samples.heart_rate_bpm, samples.timer_s),
    }
    values.update(_form_drift(samples, moving))
    if samples.stance_time_balance_pct is not None:
        values["mean_balance_pct"] = float(samples.stance_time_balance_pct.mean())
    return Summary(
        run=run,
        file=file,
        distance_km=_gpx_distance_km(samples)
        if run.source == "gpx"
        else samples.distance_m[-1] / 1000,
        timer_s=samples.timer_s,
        elapsed_s=samples.elapsed_s,
        shoe=shoe_of(run),
        utc_offset_s=int(end_utc.astimezone(ZONE).utcoffset().total_seconds()),
        **values,
    )


def _gpx_distance_km(samples: Samples) -> float:
    """What a GPX reader measures: haversine steps between the positions as written (7 decimals)."""
    lat = np.radians(np.round(samples.lat_deg, 7))
    lon = np.radians(np.round(samples.lon_deg, 7))
    a = (
        np.sin(np.diff(lat) / 2) ** 2
        + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    )
    return float(2 * 6_371_008.8 * np.arcsin(np.sqrt(a)).sum() / 1000)


def _decoupling(samples: Samples, moving: np.ndarray) -> float:
    """Pa:HR decoupling [%] over the two halves of the run after the first 10 minutes."""
    after = moving >= WARMUP_S
    speed, heart = samples.speed_mps[after], samples.heart_rate_bpm[after]
    half = len(speed) // 2
    first = speed[:half].mean() / heart[:half].mean()
    second = speed[half:].mean() / heart[half:].mean()
    return float((first - second) / first * 100)


def _form_drift(samples: Samples, moving: np.ndarray) -> dict[str, float]:
    """Cadence, contact time and speed of the last 20 % against the first post-warm-up 20 %."""
    after = np.flatnonzero(moving >= WARMUP_S)
    if len(after) < 100:
        return {}
    first = after[: len(after) // 5]
    last = np.arange(len(moving) - len(moving) // 5, len(moving))

    def change(values: np.ndarray) -> float:
        return float((values[last].mean() / values[first].mean() - 1) * 100)

    out = {
        "cadence_change_pct": change(samples.cadence_spm),
        "speed_change_pct": change(samples.speed_mps),
    }
    if samples.stance_time_ms is not None:
        out["gct_change_pct"] = change(samples.stance_time_ms)
    return out


# ---------------------------------------------------------------------------------------------
# Design checks: the calm weeks stay calm, the patterns are where patterns.json says
# ---------------------------------------------------------------------------------------------


class DesignError(AssertionError):
    """The generated history does not have the shape it was designed to have."""


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise DesignError(message)


def _history_days() -> list[date]:
    return [
        HISTORY_FIRST_DAY + timedelta(days=i)
        for i in range((LAST_DAY - HISTORY_FIRST_DAY).days + 1)
    ]


def _daily(summaries: list[Summary], value: Callable[[Summary], float]) -> dict[date, float]:
    days = dict.fromkeys(_history_days(), 0.0)
    for summary in summaries:
        days[summary.run.local_date] += value(summary)
    return days


def _iso(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def check_design(
    summaries: list[Summary],
    sessions: list[SessionPlan],
    wellness: list[WellnessDay],
    road_shoe_initial_km: float,
) -> dict[str, object]:
    """Raise DesignError when the history misses its design; return the numbers behind it.

    Each check mirrors a rule of docs/RULES.md with a margin: the calm weeks stay clear of every
    trigger, and each pattern lands on its day."""
    facts: dict[str, object] = {}
    calm = set(CALM_WEEKS)
    km = _daily(summaries, lambda s: s.distance_km)
    minutes = _daily(summaries, lambda s: s.timer_s / 60)
    trimp = _daily(summaries, lambda s: s.trimp)
    days = sorted(km)

    # one run a day at most; 4 runs a calm week (3 in W25, which starts on Thursday)
    _expect(len({s.run.local_date for s in summaries}) == len(summaries), "two runs on one day")
    for week in CALM_WEEKS:
        n = sum(1 for s in summaries if s.run.iso_week == week)
        _expect(n == (3 if week == "2026-W25" else 4), f"{week}: {n} runs")
    run_days = {s.run.local_date for s in summaries}
    _expect(min(run_days) == HISTORY_FIRST_DAY, "the history starts with a run")
    for session in sessions:  # nothing warms up a run (an activity ending <= 15 min before)
        end = session.start_local() + timedelta(seconds=session.duration_s)
        for s in summaries:
            if s.run.local_date == session.local_date and s.run.source != "csv":
                gap = s.run.start_local() - end
                _expect(gap > timedelta(hours=2) or s.run.start_local() < session.start_local(),
                        f"{session.local_date}: a session just before a run")  # fmt: skip

    facts.update(_check_rest(days, run_days, sessions, calm))
    facts.update(_check_weekly_load(km, {"km": km, "min": minutes, "trimp": trimp}, days, calm))
    facts.update(_check_spikes(summaries, calm))
    facts.update(_check_shoes(summaries, road_shoe_initial_km))
    facts.update(_check_runs(summaries, calm))
    facts.update(_check_remedies(days, summaries, sessions, calm))
    facts.update(_check_wellness(wellness, calm))
    return facts


def _check_rest(days, run_days, sessions, calm) -> dict[str, object]:
    """rest_days: a rest day has no training at all (a strength session ends it, yoga and
    pilates do not); 2 rest days in every 7 and no streak over 3 days in the calm weeks; W47
    trains every day."""
    strength_days = {s.local_date for s in sessions if s.kind == "strength"}
    trained = {day: day in run_days or day in strength_days for day in days}
    streak, longest_calm_streak, low_rest = 0, 0, []
    for i, day in enumerate(days):
        streak = streak + 1 if trained[day] else 0
        if _iso(day) in calm:
            longest_calm_streak = max(longest_calm_streak, streak)
        if i >= 6 and sum(1 for d in days[i - 6 : i + 1] if not trained[d]) < 2:
            _expect(_iso(day) == "2026-W47", f"{day}: fewer than 2 rest days in the last 7")
            low_rest.append(day.isoformat())
    _expect(longest_calm_streak <= 3, f"calm weeks have a {longest_calm_streak}-day streak")
    _expect(all(trained[d] for d in days if _iso(d) == "2026-W47"), "W47 must train every day")
    first = LAST_DAY
    while trained[first - timedelta(days=1)]:
        first -= timedelta(days=1)
    return {
        "low_rest_dates": low_rest,
        "streak": {
            "first": first.isoformat(),
            "last": LAST_DAY.isoformat(),
            "days": (LAST_DAY - first).days + 1,
            "reached_7": (first + timedelta(days=6)).isoformat(),
        },
    }


def _complete_weeks(km: dict[date, float]) -> dict[str, float]:
    """Distance [km] of every ISO week the history covers whole (W25 starts on a Thursday)."""
    weeks: dict[str, list[float]] = {}
    for day, value in km.items():
        weeks.setdefault(_iso(day), []).append(value)
    return {week: sum(values) for week, values in weeks.items() if len(values) == 7}


def _check_weekly_load(km, loads, days, calm) -> dict[str, object]:
    facts: dict[str, object] = {}
    weeks = _complete_weeks(km)
    names = list(weeks)
    # weekly_jump: a week against the mean of the 3 complete weeks before
    for i, week in enumerate(names[3:], start=3):
        mean = sum(weeks[w] for w in names[i - 3 : i]) / 3
        ratio, increase = weeks[week] / mean, weeks[week] - mean
        if week in calm or week == "2026-W46":
            _expect(ratio <= 1.25 or increase < 4.0, f"{week}: {ratio * 100:.0f} % of 3 weeks")
        else:
            _expect(ratio > 1.5 and increase >= 5, "W47 must jump > 130 % of 3 weeks with margin")
            facts["weekly_jump"] = {"pct": round(ratio * 100, 1), "baseline_km": round(mean, 2)}
    facts["weekly_km"] = {week: round(float(value), 2) for week, value in weeks.items()}
    facts["partial_weeks_km"] = {
        _iso(HISTORY_FIRST_DAY): round(sum(v for d, v in km.items() if _iso(d) == "2026-W25"), 2)
    }

    # monotony (Foster) of every 7-day window: by distance, duration and TRIMP in the calm
    # weeks; in W46-W47 by Banister TRIMP, the load model the rules use (W47's daily runs of
    # 5-24 km are monotonous by distance on some days, not by their heart-rate load)
    for name, load in loads.items():
        series = np.array([load[d] for d in days])
        for i in range(6, len(series)):
            values = series[i - 6 : i + 1]
            monotony = values.mean() / max(values.std(), 1e-9)
            if _iso(days[i]) in calm:
                _expect(monotony < 1.9, f"{days[i]}: monotony {monotony:.2f} ({name})")
            elif name == "trimp":
                _expect(monotony < 2.0, f"{days[i]}: monotony {monotony:.2f} ({name})")

    # acute:chronic, uncoupled (Windt & Gabbett) and EWMA (Williams, both starting at the first
    # week's mean daily load), hidden for the first 28 days as the acwr rule does
    highest = {"uncoupled": 0.0, "ewma": 0.0}
    for name, load in loads.items():
        series = np.array([load[d] for d in days])
        acute_ewma = chronic_ewma = float(series[:7].mean())
        for i, value in enumerate(series):
            acute_ewma += (value - acute_ewma) * 2 / 8
            chronic_ewma += (value - chronic_ewma) * 2 / 29
            if i < 28:
                continue
            ratios = {
                "uncoupled": series[i - 6 : i + 1].sum() / (series[i - 27 : i - 6].sum() / 3),
                "ewma": acute_ewma / chronic_ewma,
            }
            if _iso(days[i]) in calm:
                for form, ratio in ratios.items():
                    highest[form] = max(highest[form], ratio)
            if name == "km" and days[i] == LAST_DAY:
                facts["acwr_last_day_km"] = {f: round(float(r), 2) for f, r in ratios.items()}
    for form, value in highest.items():
        _expect(value < 1.45, f"calm weeks: {form} acute:chronic up to {value:.2f}")
    facts["calm_acwr_max"] = {form: round(float(value), 2) for form, value in highest.items()}
    return facts


def _check_spikes(summaries: list[Summary], calm: set[str]) -> dict[str, object]:
    """comeback: no run over 5 km in the history's first 14 days; session_spike: after them,
    no calm run more than 8 % and 0.9 km longer than the longest of the 30 days before (the rule
    flags > 10 % and >= 1 km); the W47 long run is 30-100 % longer (a caution)."""
    facts: dict[str, object] = {}
    for summary in summaries:
        day = summary.run.local_date
        if (day - HISTORY_FIRST_DAY).days < 14:
            _expect(summary.distance_km <= 5.0, f"{day}: {summary.distance_km} km in the first 14")
            continue
        before = [
            s.distance_km for s in summaries if day - timedelta(days=30) <= s.run.local_date < day
        ]
        longest = max(before)
        ratio, increase = summary.distance_km / longest, summary.distance_km - longest
        if summary.run.iso_week in calm or summary.run.iso_week == "2026-W46":
            _expect(ratio <= 1.08 or round(increase, 6) <= 0.9, f"{day}: {ratio:.2f} x 30 days'")
        elif ratio > 1.1 and increase >= 1.0:
            _expect(day == LAST_DAY and 1.33 < ratio < 1.9, f"{day}: unplanned spike {ratio:.2f}")
            facts["spike"] = {
                "date": day.isoformat(),
                "ratio": round(ratio, 3),
                "km": round(summary.distance_km, 2),
                "previous_longest_km": round(longest, 2),
            }
    _expect("spike" in facts, "no long-run spike in W47")
    trail = [s for s in summaries if s.run.surface == "trail"]
    _expect(all(s.run.local_date == date(2026, 11, 21) for s in trail), "trail outside W47")
    facts["trail_km"] = round(sum(s.distance_km for s in trail), 2)
    facts["days_without_trail"] = (date(2026, 11, 21) - HISTORY_FIRST_DAY).days
    _expect(facts["trail_km"] >= 5.0, "trail week needs >= 5 km")
    return facts


def _check_shoes(summaries: list[Summary], initial_km: float) -> dict[str, object]:
    """The road shoe passes 90 % of its limit in W46 and its limit in W47, not before."""
    total = initial_km
    crossings: dict[str, str] = {}
    for summary in summaries:
        if summary.shoe != ROAD_SHOE:
            continue
        before, total = total, total + summary.distance_km
        for name, limit in (("caution", 0.9 * ROAD_SHOE_LIMIT_KM), ("warning", ROAD_SHOE_LIMIT_KM)):
            if before < limit <= total:
                _expect(limit - before > 2 and total - limit > 2, f"{name} crossing too close")
                crossings[name] = summary.run.local_date.isoformat()
    _expect(_iso(date.fromisoformat(crossings["caution"])) == "2026-W46", "caution not in W46")
    _expect(_iso(date.fromisoformat(crossings["warning"])) == "2026-W47", "warning not in W47")
    # every 28 days (once there are 28 days of history) hold a run in a second pair
    for offset in range(27, (LAST_DAY - FIRST_DAY).days + 1):
        day = FIRST_DAY + timedelta(days=offset)
        shoes = {s.shoe for s in summaries if day - timedelta(days=27) <= s.run.local_date <= day}
        _expect(len(shoes) != 1, f"{day}: one pair for 28 days")
    return {"road_shoe_crossings": crossings, "road_shoe_final_km": round(total, 1)}


def _check_runs(summaries: list[Summary], calm: set[str]) -> dict[str, object]:
    """Warm-up, decoupling, form drift, cadence and balance run by run."""
    facts: dict[str, object] = {}
    for s in summaries:
        if s.early_max_hr is None:
            continue
        label = f"{s.run.local_date} {s.run.kind}"
        if s.run.kind == "tempo":
            _expect(s.early_max_hr > WARMUP_HR_LIMIT + 8, f"{label}: start not fast enough")
            facts["warmup"] = {
                "date": s.run.local_date.isoformat(),
                "max_hr": s.early_max_hr,
                "warmup_hr": round(s.warmup_hr, 1),
            }
        else:
            _expect(s.early_max_hr < WARMUP_HR_LIMIT - 3, f"{label}: early HR {s.early_max_hr}")
        _expect(155 <= s.mean_cadence_spm <= 190, f"{label}: cadence {s.mean_cadence_spm:.0f}")
        if s.mean_balance_pct is not None:
            _expect(49.8 <= s.mean_balance_pct <= 50.3, f"{label}: balance {s.mean_balance_pct}")
        steady = s.run.kind not in ("track",) and s.timer_s >= 40 * 60
        if s.run.kind == "track":
            facts["track_speed_change_pct"] = round(s.speed_change_pct)
        if s.run.kind == "fading":
            _expect(6.0 <= s.decoupling_pct <= 9.5, f"{label}: decoupling {s.decoupling_pct:.1f}")
            _expect(s.cadence_change_pct <= -5.5, f"{label}: cadence {s.cadence_change_pct:.1f}")
            _expect(s.gct_change_pct >= 7.5, f"{label}: contact time {s.gct_change_pct:.1f}")
            _expect(abs(s.speed_change_pct) < 3, f"{label}: speed {s.speed_change_pct:.1f}")
            facts["fading"] = {
                "date": s.run.local_date.isoformat(),
                "decoupling_pct": round(s.decoupling_pct, 1),
                "cadence_change_pct": round(s.cadence_change_pct, 1),
                "gct_change_pct": round(s.gct_change_pct, 1),
                "speed_change_pct": round(s.speed_change_pct, 1),
                "minutes": s.timer_s / 60,
            }
            continue
        if steady:
            _expect(s.decoupling_pct < 4.5, f"{label}: decoupling {s.decoupling_pct:.1f}")
        if s.cadence_change_pct is not None and s.run.kind != "track":
            _expect(s.cadence_change_pct > -2.5, f"{label}: cadence {s.cadence_change_pct:.1f}")
        if s.gct_change_pct is not None and s.run.kind != "track":
            _expect(s.gct_change_pct < 3.0, f"{label}: contact time {s.gct_change_pct:.1f}")
    return facts


def _check_remedies(days, summaries, sessions, calm) -> dict[str, object]:
    """strength_mobility: every 14 days with 4 runs or more hold a strength, yoga or pilates
    session, but for a gap (late at work in W45, a cold in W46): the rule informs once, in W46,
    and the yoga class at the end of W46 covers W47."""
    remedy_days = [s.local_date for s in sessions]
    runs = [s.run.local_date for s in summaries]
    first_days: dict[str, str] = {}
    for day in days[13:]:
        window = (day - timedelta(days=13), day)
        remedies = sum(1 for d in remedy_days if window[0] <= d <= window[1])
        ran = sum(1 for d in runs if window[0] <= d <= window[1])
        if remedies == 0 and ran >= 4:
            first_days.setdefault(_iso(day), day.isoformat())
    _expect(list(first_days) == ["2026-W46"], f"strength_mobility in {list(first_days)}")
    counts = {
        kind: sum(1 for s in sessions if s.kind == kind) for kind in ("strength", "mobility")
    }
    return {"strength_mobility": first_days["2026-W46"], "remedy_sessions": counts}


def _rolling_mean(values: np.ndarray, window: int, least: int) -> np.ndarray:
    """Mean of each ``window`` values ending at a position, NaN unless ``least`` are known (as
    pandas' rolling(window, min_periods=least).mean())."""
    out = np.full(len(values), np.nan)
    for i in range(len(values)):
        part = values[max(0, i - window + 1) : i + 1]
        known = part[~np.isnan(part)]
        if len(known) >= least:
            out[i] = known.mean()
    return out


def _check_wellness(wellness: list[WellnessDay], calm: set[str]) -> dict[str, object]:
    """resting_hr_rise (7-day mean >= the 60-day baseline before it + 5 bpm, 4 of 7 measured,
    21 baseline days) and short_sleep (7-night mean < 7 h, 4 of 7 measured): once each, in W46,
    on the week's highest rise and lowest mean; clear of both elsewhere."""
    days = [w.day for w in wellness]
    resting = np.array([np.nan if w.resting_hr_bpm is None else w.resting_hr_bpm for w in wellness])
    sleep_h = np.array([np.nan if w.sleep_s is None else w.sleep_s / 3600 for w in wellness])
    recent = _rolling_mean(resting, 7, 4)
    before = np.concatenate([np.full(7, np.nan), resting[:-7]])  # the days before the 7
    base = _rolling_mean(before, 60, 21)
    rise = recent - base
    nights = _rolling_mean(sleep_h, 7, 4)
    facts: dict[str, object] = {}
    for name, values, fired, worst in (
        ("resting_hr_rise", rise, lambda v: v >= 5.0, np.argmax),
        ("short_sleep", nights, lambda v: v < 7.0, np.argmin),
    ):
        weeks: dict[str, list[int]] = {}
        for i, value in enumerate(values):
            if not np.isnan(value) and fired(value):
                weeks.setdefault(_iso(days[i]), []).append(i)
        _expect(list(weeks) == ["2026-W46"], f"{name} in {list(weeks)}")
        chosen = weeks["2026-W46"][int(worst(values[weeks["2026-W46"]]))]
        facts[name] = {"date": days[chosen].isoformat(), "index": chosen}
        elsewhere = values[[_iso(d) != "2026-W46" for d in days]]
        margin = np.nanmax(elsewhere) if name == "resting_hr_rise" else np.nanmin(elsewhere)
        _expect(margin < 4.0 if name == "resting_hr_rise" else margin > 7.2, f"{name}: {margin}")
    rise_day = facts["resting_hr_rise"]["index"]
    facts["resting_hr_rise"].update(
        mean_bpm=round(float(recent[rise_day]), 1),
        baseline_bpm=round(float(base[rise_day]), 1),
        rise_bpm=round(float(rise[rise_day]), 1),
    )
    sleep_day = facts["short_sleep"]["index"]
    facts["short_sleep"]["mean_h"] = round(float(nights[sleep_day]), 2)
    facts["wellness_days"] = {
        "resting_hr": int(np.count_nonzero(~np.isnan(resting))),
        "sleep": int(np.count_nonzero(~np.isnan(sleep_h))),
    }
    return facts


# ---------------------------------------------------------------------------------------------
# The text files: patterns.json, shoes.toml, config.toml, README.md
# ---------------------------------------------------------------------------------------------


def road_shoe_initial_km(summaries: list[Summary]) -> int:
    """Distance on the road shoe before 2026-08-17, from where its 90 % mark should fall."""
    w46_long = next(s for s in summaries if s.run.iso_week == "2026-W46" and s.run.kind == "long")
    before = sum(
        s.distance_km
        for s in summaries
        if s.shoe == ROAD_SHOE and s.run.local_date < w46_long.run.local_date
    )
    return int(round(ROAD_SHOE_KM_BEFORE_W46_LONG_RUN - before))


SHOES = (
    # name, initial km, limit km, default, since, how the demo places it
    (
        ROAD_SHOE,
        None,
        ROAD_SHOE_LIMIT_KM,
        True,
        FIRST_DAY.isoformat(),
        "road shoe, bought second-hand with the watch; the default for every run no source "
        "names from 2026-08-17",
    ),
    (GYM_SHOE, 240, 700, False, None, "gym treadmill shoe; the CSV log names it"),
    (TRAIL_SHOE, 0, 800, False, "2026-11-21", "trail shoe, new; first worn on the dunes run"),
)
SHOES_IMPORT = "stridewise shoes import data/samples/shoes.toml"


def shoes_toml(initial_km: int) -> str:
    lines = [
        "# The sample runner's shoes. FIT and GPX files and the Garmin summaries name no shoe;",
        "# the CSV log names its own. The demo registers them after importing data/samples/",
        "# (see README.md):",
        f"#   {SHOES_IMPORT}",
        "# The road pair is the default from 2026-08-17 on (the build-up before it names no",
        "# shoe); the trail pair is assigned the one dunes run.",
        "",
    ]
    for name, initial, limit, default, since, notes in SHOES:
        before_km = initial_km if initial is None else initial
        lines += [
            "[[shoe]]",
            f'name = "{name}"',
            f"initial_km = {before_km}",
            f"limit_km = {limit}",
            f"default = {'true' if default else 'false'}",
        ]
        if since:
            lines.append(f'since = "{since}"')
        if name == TRAIL_SHOE:
            lines.append('assign = [{ since = "2026-11-21", until = "2026-11-21" }]')
        lines += [f'notes = "{notes}"', ""]
    return "\n".join(lines)


def config_toml() -> str:
    return "\n".join(
        [
            "# Athlete profile of the sample runner (format: docs/CLI.md).",
            "[athlete]",
            f'sex = "{PROFILE["sex"]}"',
            f"max_hr = {PROFILE['max_hr']}",
            f"resting_hr = {PROFILE['resting_hr']}",
            f'threshold_pace = "{PROFILE["threshold_pace"]}"   # min/km',
            f'timezone = "{PROFILE["timezone"]}"',
            f'units = "{PROFILE["units"]}"',
            "",
        ]
    )


@dataclass(frozen=True)
class SessionSummary:
    """One strength, yoga or pilates session as the importers should see it (the index)."""

    session: SessionPlan
    file: str
    duration_s: int
    utc_offset_s: int | None


def summarise_session(session: SessionPlan, file: str) -> SessionSummary:
    if session.source == "csv":  # a date without a time: noon local, its offset from the zone
        return SessionSummary(session, file, session.duration_s, None)
    samples = simulate_session(session)
    return SessionSummary(session, file, samples.elapsed_s, _offset_s(session.start_utc()))


def patterns_document(
    summaries: list[Summary], sessions: list[SessionSummary], facts: dict, initial_km: int
) -> dict:
    by_date = {s.run.local_date.isoformat(): s for s in summaries}

    def file_on(day: str) -> str:
        return by_date[day].file

    spike = facts["spike"]
    crossings = facts["road_shoe_crossings"]
    fading = facts["fading"]
    streak = facts["streak"]
    acwr = facts["acwr_last_day_km"]
    jump = facts["weekly_jump"]
    resting = facts["resting_hr_rise"]
    sleep = facts["short_sleep"]
    remedy_day = date.fromisoformat(facts["strength_mobility"])
    runs_in_window = sum(
        1 for s in summaries if remedy_day - timedelta(days=13) <= s.run.local_date <= remedy_day
    )
    patterns = [
        {
            "rule": "shoe_mileage",
            "local_date": crossings["caution"],
            "file": None,
            "shoe": ROAD_SHOE,
            "severity": "caution",
            "value": 0.9 * ROAD_SHOE_LIMIT_KM,
            "unit": "km",
            "why": f"{ROAD_SHOE} passes 90 % of its {ROAD_SHOE_LIMIT_KM} km limit (long run)",
        },
        {
            "rule": "warmup",
            "local_date": facts["warmup"]["date"],
            "file": file_on(facts["warmup"]["date"]),
            "severity": "caution",
            "value": facts["warmup"]["warmup_hr"],
            "unit": "bpm",
            "why": "club run that went straight out at tempo: heart rate "
            f"{facts['warmup']['warmup_hr']:.0f} over minutes 1.5-10, above her easy level "
            "(the median heart rate of her easy runs of 60 days, about 134), at a pace faster "
            "than her easy pace",
        },
        {
            "rule": "form_drift",
            "local_date": fading["date"],
            "file": file_on(fading["date"]),
            "severity": "caution",
            "value": fading["cadence_change_pct"],
            "unit": "%",
            "why": f"last 20 % against the first 20 % after the warm-up, at "
            f"{fading['speed_change_pct']:+.1f} % speed: cadence "
            f"{fading['cadence_change_pct']:+.1f} %, ground contact time "
            f"{fading['gct_change_pct']:+.1f} %",
        },
        {
            "rule": "decoupling",
            "local_date": fading["date"],
            "file": file_on(fading["date"]),
            "severity": "caution",
            "value": fading["decoupling_pct"],
            "unit": "%",
            "why": f"same fading run: pace:heart-rate decoupling {fading['decoupling_pct']:.1f} % "
            f"(5-10 %) on a steady {fading['minutes']:.0f}-minute run",
        },
        {
            "rule": "strength_mobility",
            "local_date": remedy_day.isoformat(),
            "week": _iso(remedy_day),
            "file": None,
            "severity": "info",
            "value": 0,
            "unit": "sessions",
            "why": f"no strength, yoga or pilates session in the 14 days to {remedy_day} (the "
            f"last on {LAST_REMEDY_DAY}), while running {runs_in_window} times: late at work "
            f"in W45, a cold in W46; back to yoga on {RETURN_TO_YOGA.date()}",
        },
        {
            "rule": "rest_days",
            "local_date": streak["reached_7"],
            "file": None,
            "severity": "caution",
            "value": streak["days"],
            "unit": "consecutive training days",
            "low_rest_dates": facts["low_rest_dates"],
            "why": f"{streak['days']} training days in a row, {streak['first']} to "
            f"{streak['last']} (the 7th on {streak['reached_7']}); the 7-day windows ending "
            f"{facts['low_rest_dates'][0]} to {facts['low_rest_dates'][-1]} hold fewer than 2 "
            "rest days too, but a streak is reported once and covers those weeks",
        },
        {
            "rule": "surface_change",
            "local_date": "2026-11-21",
            "file": file_on("2026-11-21"),
            "severity": "caution",
            "value": facts["days_without_trail"],
            "unit": "days without trail",
            "why": "first trail run of the history (dunes near Overveen, sub_sport trail): "
            f"{facts['trail_km']:.1f} km after {facts['days_without_trail']} days without trail",
        },
        {
            "rule": "session_spike",
            "local_date": spike["date"],
            "file": file_on(spike["date"]),
            "severity": "caution",
            "value": round((spike["ratio"] - 1) * 100, 1),
            "unit": "%",
            "why": f"{spike['km']:.1f} km long run, {(spike['ratio'] - 1) * 100:.0f} % longer than "
            f"the longest run of the previous 30 days ({spike['previous_longest_km']:.1f} km): "
            "the 30-100 % band, a caution (a warning needs more than 100 %)",
        },
        {
            "rule": "weekly_jump",
            "local_date": LAST_DAY.isoformat(),
            "week": "2026-W47",
            "file": None,
            "severity": "caution",
            "value": jump["pct"],
            "unit": "%",
            "why": f"W47 {facts['weekly_km']['2026-W47']:.1f} km against a mean of "
            f"{jump['baseline_km']:.1f} km in W44-W46",
        },
        {
            "rule": "shoe_mileage",
            "local_date": crossings["warning"],
            "file": None,
            "shoe": ROAD_SHOE,
            "severity": "warning",
            "value": facts["road_shoe_final_km"],
            "unit": "km",
            "why": f"{ROAD_SHOE} passes its {ROAD_SHOE_LIMIT_KM} km limit "
            f"({facts['road_shoe_final_km']:.0f} km at the end of W47)",
        },
        {
            "rule": "resting_hr_rise",
            "local_date": resting["date"],
            "file": None,
            "source": "garmin/DI_CONNECT/DI-Connect-Aggregator",
            "severity": "caution",
            "value": resting["mean_bpm"],
            "unit": "bpm",
            "why": f"resting heart rate {resting['mean_bpm']:.1f} bpm over the 7 days to "
            f"{resting['date']}, {resting['rise_bpm']:.1f} bpm above its 60-day baseline of "
            f"{resting['baseline_bpm']:.1f}: a cold caught at the weekend of 7-8 November, the "
            "week before the big week",
        },
        {
            "rule": "short_sleep",
            "local_date": sleep["date"],
            "file": None,
            "source": "garmin/DI_CONNECT/DI-Connect-Wellness",
            "severity": "info",
            "value": sleep["mean_h"],
            "unit": "hours a night",
            "why": f"sleep {sleep['mean_h']:.1f} hours a night over the 7 nights to "
            f"{sleep['date']} (the cold), against about 7.7 before",
        },
        {
            "rule": "acwr",
            "local_date": LAST_DAY.isoformat(),
            "week": "2026-W47",
            "file": None,
            "severity": "info",
            "optional": True,
            "value": acwr["ewma"],
            "unit": "ratio",
            "why": f"acute load of W47 far above the chronic load: by distance, EWMA "
            f"{acwr['ewma']:.2f}, uncoupled {acwr['uncoupled']:.2f} on {LAST_DAY}; information "
            "only, and whether it passes 1.5 depends on the load model and the ratio form",
        },
    ]
    patterns.sort(key=lambda pattern: pattern["local_date"])
    activities = [
        {
            "file": s.file,
            "local_date": s.run.local_date.isoformat(),
            "local_start": None
            if s.run.source == "csv"
            else s.run.start_local().strftime("%H:%M:%S"),
            "utc_offset_s": s.utc_offset_s,
            "iso_week": s.run.iso_week,
            "session": "run",
            "kind": s.run.kind,
            "surface": s.run.surface,
            "distance_km": round(s.distance_km, 3),
            "timer_s": s.timer_s,
            "elapsed_s": s.elapsed_s,
            "shoe": s.shoe,
            "running_dynamics": s.run.dynamics and s.run.source in ("fit", "fit.gz"),
            "notes": s.run.notes,
        }
        for s in summaries
    ]
    activities += [
        {
            "file": s.file,
            "local_date": s.session.local_date.isoformat(),
            "local_start": None
            if s.session.source == "csv"
            else s.session.start_local().strftime("%H:%M:%S"),
            "utc_offset_s": s.utc_offset_s,
            "iso_week": s.session.iso_week,
            "session": s.session.kind,
            "kind": s.session.sub_sport,
            "surface": None,
            "distance_km": None,
            "timer_s": s.duration_s,
            "elapsed_s": s.duration_s,
            "shoe": None,
            "running_dynamics": False,
            "notes": s.session.notes,
        }
        for s in sessions
    ]
    activities.sort(key=lambda entry: (entry["local_date"], entry["session"] != "run"))
    return {
        "athlete": "me",
        "profile": PROFILE,
        "history": {
            "first_local_date": HISTORY_FIRST_DAY.isoformat(),
            "watch_files_from": FIRST_DAY.isoformat(),
            "last_local_date": LAST_DAY.isoformat(),
            "wellness_from": WELLNESS_FIRST_DAY.isoformat(),
            "seed": SEED,
        },
        "calm_weeks": list(CALM_WEEKS),
        "calm_rules": list(CALM_RULES),
        "patterns": patterns,
        "shoes": [
            {
                "name": name,
                "initial_km": initial_km if initial is None else initial,
                "limit_km": limit,
                "default": default,
                "since": since,
            }
            for name, initial, limit, default, since, _ in SHOES
        ],
        "shoe_commands": [SHOES_IMPORT],
        "design_numbers": {
            "calm_acwr_max": facts["calm_acwr_max"],
            "track_speed_change_pct": facts["track_speed_change_pct"],
            "weekly_km": facts["weekly_km"],
            "partial_weeks_km": facts["partial_weeks_km"],
            "remedy_sessions": facts["remedy_sessions"],
            "wellness_days": facts["wellness_days"],
        },
        "activities": activities,
    }


def readme_text(document: dict, summaries: list[Summary], sessions: list[SessionSummary]) -> str:
    patterns = document["patterns"]
    rows = "\n".join(
        f"| `{p['rule']}` | {p['local_date']} | {p['severity']} | "
        f"{p['file'] or p.get('source') or ('week ' + p['week'] if 'week' in p else '-')} | "
        f"{p['why']} |"
        for p in patterns
    )
    counts = {
        source: sum(1 for s in summaries if s.run.source == source)
        for source in ("fit.gz", "fit", "gpx", "csv", "garmin")
    }
    session_counts = {
        (source, kind): sum(
            1 for s in sessions if s.session.source == source and s.session.sub_sport == kind
        )
        for source in ("fit.gz", "fit", "csv", "garmin")
        for kind in ("strength_training", "yoga", "pilates")
    }

    def sessions_text(source: str) -> str:
        named = {"strength_training": "strength", "yoga": "yoga", "pilates": "pilates"}
        parts = [
            f"{session_counts[source, kind]} {named[kind]}"
            for kind in named
            if session_counts[source, kind]
        ]
        return " and ".join(parts) + " sessions"

    weeks = " · ".join(
        f"{week[-3:]} {km:.1f}" for week, km in document["design_numbers"]["weekly_km"].items()
    )
    partial = document["design_numbers"]["partial_weeks_km"]["2026-W25"]
    columns = ",".join(CSV_COLUMNS)
    calm_weeks = f"{document['calm_weeks'][0]} to {document['calm_weeks'][-1]}"
    acwr = ", ".join(
        f"{form} {value}" for form, value in document["design_numbers"]["calm_acwr_max"].items()
    )
    wellness = document["design_numbers"]["wellness_days"]
    files = [
        ("path", "what"),
        ("---", "---"),
        (
            "`strava/*.fit.gz`",
            f"{counts['fit.gz']} runs and {sessions_text('fit.gz')} of W34–W40 as FIT files, "
            "gzip-compressed and named by upload id as in a Strava bulk export (activity files "
            "only, no `activities.csv`)",
        ),
        (
            "`watch/*.fit`",
            f"{counts['fit']} runs and {sessions_text('fit')} of W41–W47 as FIT files copied "
            "from the watch (Forerunner 255), named by local start time",
        ),
        ("`phone/*.gpx`", f"{counts['gpx']} GPX 1.1 runs from a phone app while the watch charged"),
        (
            f"`{CSV_PATH}`",
            f"{counts['csv']} runs with no file (gym treadmill; one run after the watch battery "
            f"died) and {sessions_text('csv')} (the watch stayed in the bag)",
        ),
        (
            "`garmin/DI_CONNECT/`",
            "a trimmed Garmin Connect export (\"export your data\", unpacked): "
            f"`DI-Connect-Fitness/*_summarizedActivities.json` with the summaries of the "
            f"build-up, {counts['garmin']} runs and {sessions_text('garmin')} of W25–W33; "
            "`DI-Connect-Aggregator/UDSFile_*.json` with the daily resting heart rate "
            f"({wellness['resting_hr']} days); `DI-Connect-Wellness/*_sleepData.json` with sleep "
            f"({wellness['sleep']} nights), both from {WELLNESS_FIRST_DAY} to {LAST_DAY}",
        ),
        ("`config.toml`", "the athlete profile (docs/CLI.md)"),
        ("`shoes.toml`", "the runner's three pairs, for `stridewise shoes import`"),
        (
            "`patterns.json`",
            "the patterns built in on purpose, the calm weeks, an index of every activity",
        ),
    ]
    track_change = document["design_numbers"]["track_speed_change_pct"]
    files_table = "\n".join(f"| {path} | {what} |" for path, what in files)
    return f"""# Sample training history

Twenty-two weeks of one runner, "me" (female, max HR 188, resting HR 52, threshold pace 4:45
min/km, living in Amsterdam: Europe/Amsterdam; the clocks went back on 2026-10-25 and a long run
that morning is in CET), from her first run back after a winter without running on
{HISTORY_FIRST_DAY} to {LAST_DAY} (ISO weeks 2026-W25 to 2026-W47): a nine-week build-up
(W25–W33) kept in her Garmin Connect account, then fourteen weeks of watch files (W34–W47), with
strength, yoga and pilates sessions beside the running and the watch's daily resting heart rate
and sleep. **Generated** by `scripts/generate_samples.py` (seed {SEED}); do not edit by hand —
change the generator and run it again. The same command writes byte-identical files.

```
python scripts/generate_samples.py            # rewrites data/samples/ (a minute or two)
```

## What is here

{files_table}

- FIT runs: 1 Hz records with position, distance, `enhanced_speed`, `enhanced_altitude`, heart
  rate, running cadence in strides/min (`cadence` + `fractional_cadence`; steps/min = 2 × both)
  and, when the HRM-Pro strap was worn (most runs), running dynamics (`vertical_oscillation`,
  `stance_time`, `stance_time_balance`, `vertical_ratio`, `step_length`). 1 km auto-laps, a
  session whose totals are the records' (total distance = last record distance), timer start/stop
  events, and `activity.local_timestamp`, so the local offset is in the file. `sub_sport` is
  street, trail (the dunes), track (Olympic Stadium) or treadmill (hotel). The long run of
  2026-09-20 has a pause: the timer stopped for 4 minutes, so elapsed time > timer time.
- FIT sessions: `sport` training with `sub_sport` strength_training (Wednesday evenings at the
  gym) or yoga (a class every other Monday): heart rate once a second, one lap, no position.
- GPX: `<type>running</type>`, UTC times, heart rate and cadence in Garmin's
  TrackPointExtension v1. **Cadence is in strides/min** (about 86, as Garmin writes it); the GPX
  importer doubles a running cadence whose median is below 120.
- CSV: `{columns}`:
  sport `run` or `pilates`, distance in km, duration as h:mm:ss, local dates without a time
  (noon is assumed). No row repeats an activity that has a file.
- Garmin export: compact JSON as Garmin writes it (distances in cm, times in ms, starts as epoch
  ms, `activityType` running, strength_training or yoga); the daily files come in chunks of
  {WELLNESS_CHUNK_DAYS} days; a night's `calendarDate` is the morning it ended, and its sleep is
  deep + light + REM (awake time is not sleep). A real export also holds the FIT files of these
  activities (`DI-Connect-Uploaded-Files`) and much else; this one keeps only what the samples
  need, so the build-up's activities import as summaries without records. It holds no activity
  of W34–W47, so nothing is stored twice.

## Why the history starts with a build-up

The `comeback` rule judges the first 14 days of a history as a return from a break: with no run
in the month before, every distance is a spike (Frandsen 2025), so it flags runs over 5 km there.
A history that started with fourteen weeks of an established runner would raise that flag on its
first long runs — honestly, since the rule cannot know she ran before. The samples instead start
where her running did: her first 14 days back hold only runs of at most 5 km, and the build-up
then follows the load rules — the longest run grows by at most 0.9 km a week (`session_spike`
flags a run more than 10 % and at least 1 km longer than the longest of 30 days), and no week
exceeds 125 % of the mean of the three before (`weekly_jump`: 130 %) — until W34's 12 km long run.

## The demo

```
stridewise --config data/samples/config.toml import data/samples/
{SHOES_IMPORT}
stridewise --config data/samples/config.toml report --out demo/
```

(`bash scripts/demo` does the same in a fresh database.) FIT and GPX files and the Garmin
summaries name no shoe. `{ROAD_SHOE}` is the default from {FIRST_DAY} on, so every run the
sources do not name from then on is in it (the build-up before names no shoe); the CSV rows name
{GYM_SHOE} (treadmill) and {ROAD_SHOE}; the one trail run is assigned to {TRAIL_SHOE}.
`initial_km` is the distance a pair had before; {ROAD_SHOE}'s is chosen so that it passes 90 %
of its 600 km limit in W46 and the limit itself in W47. Another pair ({GYM_SHOE}) is worn at
least every 14 days, so no 28-day window is run in a single pair.

The report's default week is the last complete week with data, 2026-W47.

## The pattern weeks, W46 and W47

W46 (9–15 November): a cold caught at the weekend of 7–8 November raises her resting heart rate
by up to 9 bpm over its trend and costs her sleep; late at work the week before and ill now, she
has not been to the gym or to yoga since 28 October. She runs anyway (the treadmill, a steady
10 km, 5 km and a 17.5 km long run in which her road shoes pass 90 % of their limit), and on
Sunday afternoon, the cold gone, she is back at yoga. W47 (16–22 November): a week off work with
a run every day — a recovery jog, a club run that went straight out at tempo, a 13 km run on
which her legs faded, two short runs, her first trail run (the dunes, new shoes) and a 24 km long
run. The remedy and recovery flags sit in W46 rather than in W47 so that the report of W47, which
opens the chart of every flag of its week, stays short enough to read on a phone; it still draws
the minutes-by-kind and the recovery charts, under "More charts".

## Patterns built in on purpose

Each entry of `patterns.json` → `patterns` names a rule id of docs/RULES.md, the local date the
flag belongs to, the file (or the ISO week, or the wellness files), the severity RULES.md gives
that case, the value behind it and why. `"optional": true` marks a flag that may or may not show
depending on the model a rule uses (acute:chronic ratios).

| rule | local date | severity | file | why |
|---|---|---|---|---|
{rows}

Weekly distance [km] of the complete weeks: {weeks} (W25, from Thursday: {partial:.1f}).

## Calm weeks

{calm_weeks} must raise no flag of any rule; a flag there is a false alarm. From W26
there are 4 runs a week (Tuesday, Thursday, Saturday, Sunday; W25 starts on Thursday with 3), a
strength session on most Wednesdays (it ends a rest day, so Monday and Friday stay rest days:
2 in every 7 days, and never more than 3 training days in a row), a yoga class every other
Monday and three pilates classes on Fridays (mobility: it does not end a rest day), so that
every 14 days hold a strength or mobility session. The first 14 days hold no run over 5 km;
after them no run is more than 8 % and 0.9 km longer than the longest of the previous 30 days,
and no week exceeds 125 % of the mean of the three complete weeks before. Every run starts easy
(heart rate below 148 in the first 10 minutes), all runs are on road, track or treadmill (the
build-up's plain "running" says nothing of the ground), cadence is about 172 steps/min at easy
pace and follows speed, ground-contact balance stays within 49.8–50.3 %, and steady runs
decouple by less than 4.5 %. The highest acute:chronic ratios in the calm weeks (by distance,
duration and Banister TRIMP, after the first 28 days) are {acwr}. Resting heart
rate drifts down from 55 to 50 bpm as she gets fitter, about 1 bpm from day to day, and she
sleeps about 7.6 hours (8.1 on weekend mornings); a few days and nights are missing (the watch
charging).

Two runs check that the form and fatigue rules compare like with like: the track session of
2026-10-01 (6 x 800 m, a calm week) is not a steady run, and its last 20 % (the cool-down) is
{-track_change} % slower than its first 20 % after the warm-up, so `form_drift` and
`decoupling` must not compare them; the trail run of 2026-11-21 climbs and descends dunes, so
its pace follows the ground (under 100 m of descent, far from the 200 m of `descent_spike`).

Rules that look back in time must not read the days before {HISTORY_FIRST_DAY} as zero load:
there is no data before then. `session_spike` needs 14 days of history, `acwr` 28 days,
`weekly_jump` three complete weeks before the week it judges (W29 is the first), and
`resting_hr_rise` a baseline of 21 measured days (the wellness files start 60 days before the
first run).
"""


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def build(out: Path, only: list[str]) -> list[tuple[str, int]]:
    """Simulate the history, check its design, write the files that match ``only``."""
    runs = plan_history()
    build_up = plan_build_up()
    sessions = plan_sessions()
    wellness = wellness_days()
    upload_ids = strava_upload_ids(runs, sessions)
    csv_text = csv_log(
        [run for run in runs if run.source == "csv"],
        [session for session in sessions if session.source == "csv"],
    )
    samples = {run.number: simulate(run) for run in runs if run.source not in ("csv", "garmin")}
    summaries = [
        summarise(run, file_name(run, upload_ids), samples.get(run.number))
        for run in build_up + runs
    ]
    session_summaries = [
        summarise_session(session, file_name(session, upload_ids)) for session in sessions
    ]
    initial_km = road_shoe_initial_km(summaries)
    facts = check_design(summaries, sessions, wellness, initial_km)
    document = patterns_document(summaries, session_summaries, facts, initial_km)

    texts = {
        CSV_PATH: csv_text,
        "patterns.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        "shoes.toml": shoes_toml(initial_km),
        "config.toml": config_toml(),
        "README.md": readme_text(document, summaries, session_summaries),
        **garmin_export_files(build_up, sessions, wellness),
    }
    wanted = lambda name: not only or any(fnmatch.fnmatch(name, p) for p in only)  # noqa: E731
    written = []
    for name, text in texts.items():
        if wanted(name):
            written.append((name, _write(out / name, text.encode("utf-8"))))
    for run, summary in zip(build_up + runs, summaries, strict=True):
        if run.source in ("csv", "garmin") or not wanted(summary.file):
            continue
        data = _encode(run, samples[run.number])
        written.append((summary.file, _write(out / summary.file, data)))
    for session, summary in zip(sessions, session_summaries, strict=True):
        if session.source in ("csv", "garmin") or not wanted(summary.file):
            continue
        data = session_fit_bytes(session, simulate_session(session))
        if session.source == "fit.gz":
            data = gzip.compress(data, compresslevel=9, mtime=0)
        written.append((summary.file, _write(out / summary.file, data)))
    return written


def _encode(run: RunPlan, samples: Samples) -> bytes:
    if run.source == "gpx":
        return gpx_text(run, samples).encode("utf-8")
    data = fit_bytes(run, samples)
    if run.source == "fit.gz":
        return gzip.compress(data, compresslevel=9, mtime=0)  # mtime 0: no time of generation
    return data


def _write(path: Path, data: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="write only files matching this pattern (repeatable)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = build(args.out, args.only)
    for name, size in sorted(written):
        print(f"{size:>10,d}  {args.out / name}")
    total = sum(size for _, size in written)
    print(f"{len(written)} files, {total / 1e6:.2f} MB, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
