"""Realistic runners: whole training histories, generated deterministically (issue 15).

Each generator returns a ``RunnerHistory`` named after what it is — a hot-climate runner with
wrist heart rate, a 3-up-1-down plan, a return from a ten-week break — as the canonical
``Activity`` objects an import would store, with per-second records (heart rate, speed and
distance, cadence, altitude on hilly routes) where a rule reads records, and summaries where none
does. The acceptance suite (``test_realistic_runners.py``) stores each history, evaluates every
rule and compares the flags with what a coach would expect; ``scripts/generate_runners.py`` prints
the histories and writes them as FIT files.

How the records are made (one model for every runner, so only the plan differs):

- a run is a list of sections of road, each with a flat pace and a grade; on a slope the runner
  slows or speeds up partly (speed × cost ratio^-0.45, Minetti 2002 cost of running);
- heart rate follows the effort of the grade-adjusted speed — resting HR + (easy HR − resting HR)
  × grade-adjusted speed / easy speed — through a 30 s lag, starts low and settles over the first
  minutes (a slow 18 bpm deficit, 5 min time constant), drifts up slowly (a few bpm per hour) and
  carries a little sensor noise; a hot climate adds 10-20 bpm at the same pace;
- a wrist sensor locks onto cadence at the start on some runs: 170-180 bpm for 30-60 s of
  minute 1, then the true heart rate;
- cadence rises with speed (14 steps/min per m/s) around the runner's own easy cadence.

Every random number comes from ``numpy.random.default_rng`` seeded with ``SEED``, the history's
name and the activity's index, so a history is the same every time it is generated.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta, timezone

import numpy as np
import pandas as pd

from stridewise.model import Activity
from stridewise.profile import Profile

SEED = 20261204
#: Every history ends on this Sunday (local), the last day the suite evaluates.
LAST_DAY = date(2026, 11, 29)


# -- plans ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Session:
    """One planned activity.

    ``kind``: ``easy``, ``long``, ``jog`` (a separate warm-up or shake-out jog), ``tempo`` (a
    tempo run that starts at tempo pace), ``intervals`` (6 × 800 m from the first metre),
    ``hill_easy`` / ``hill_long`` (out and back: flat, down, back up, flat — the climb in the
    second half), or ``bike`` (a ride, summary only).
    """

    km: float  # [km]
    kind: str = "easy"
    at: time | None = None  # local start; None: the runner's usual time that weekday
    after_min: float | None = None  # start this long after the day's previous activity ended [min]
    offset_h: float | None = None  # UTC offset while travelling [h]; None: at home
    heat_bpm: float | None = None  # heat's extra heart rate [1/min]; None: the home climate's
    spike: bool | None = None  # wrist-HR spike in minute 1; None: at the runner's usual rate
    mark: str | None = None  # the history keeps the activity under this name (planted runs)


#: A day of a plan: a rest day (None), an easy run of so many km, one session or several.
Day = None | float | Session | tuple[Session, ...]


@dataclass(frozen=True)
class Runner:
    """A runner's physiology and habits: what the records are made from."""

    easy_pace_s_per_km: float  # [s/km]
    easy_hr_bpm: float | None  # steady heart rate at easy pace in a temperate climate [1/min]
    resting_hr_bpm: float = 55.0  # [1/min]
    true_max_hr_bpm: float = 188.0  # [1/min]; a cap for the model, never given to the profile
    cadence_spm: float = 170.0  # at easy pace [1/min]
    offset_h: float = 1.0  # home UTC offset [h]
    heat_bpm: float = 0.0  # the home climate's extra heart rate at the same pace [1/min]
    weekday_at: time = time(18, 30)
    weekend_at: time = time(8, 30)
    spike_rate: float = 0.0  # share of runs whose wrist HR locks onto cadence in minute 1
    drift_bpm_per_h: float = 3.0  # [1/min per h]
    records: bool = True  # False: a log of summaries (no rule of the history needs records)
    altitude_m: float | None = None  # home altitude [m] when the watch records altitude
    device: str = "Forerunner 255"


@dataclass(frozen=True)
class RunnerHistory:
    """A whole history and what the suite asserts on it.

    ``since``…``until`` are the local days (Monday to Sunday) whose flags are asserted; the days
    before are the baseline the rules need. ``calm``: no risk was planted (the quiet-history
    quota applies). ``marks``: planted activities by name.
    """

    name: str
    activities: tuple[Activity, ...]
    profile: Profile
    since: date
    until: date
    calm: bool
    marks: Mapping[str, Activity] = field(default_factory=dict)

    @property
    def weeks(self) -> int:
        """ISO weeks asserted on."""
        return ((self.until - self.since).days + 1) // 7


def runner_profile(
    *, sex: str | None = None, max_hr: float | None = None, birth_year: int | None = None
) -> Profile:
    """The profile a real runner would write. ``birth_year`` is passed only when ``Profile`` has
    the field (it is being added beside this suite); without it the profile simply lacks it."""
    values: dict[str, object] = {"sex": sex, "max_hr": max_hr}
    if birth_year is not None and "birth_year" in {f.name for f in fields(Profile)}:
        values["birth_year"] = birth_year
    return Profile(**values)  # type: ignore[arg-type]


def monday(weeks_before_last: int) -> date:
    """The Monday ``weeks_before_last`` weeks before the last week (0 = the last week)."""
    return LAST_DAY - timedelta(days=6 + 7 * weeks_before_last)


def usual_week(total_km: float, long_km: float, runs: int = 5) -> tuple[Day, ...]:
    """A week of ``runs`` runs (4 or 5) adding up to ``total_km``, the long run on Sunday.

    Five runs: rest Monday and Friday; four: rest Monday, Wednesday and Friday. The other runs
    share what the long run leaves, the middle one a little longer [km].
    """
    rest = total_km - long_km
    if runs == 5:
        shares = (0.24, 0.28, 0.24, 0.24)
        a, b, c, d = (round(rest * s, 1) for s in shares)
        d = round(rest - a - b - c, 1)
        return (None, a, b, c, None, d, Session(long_km, "long"))
    shares = (0.32, 0.36, 0.32)
    a, b, c = (round(rest * s, 1) for s in shares)
    c = round(rest - a - b, 1)
    return (None, a, None, b, None, c, Session(long_km, "long"))


# -- records -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    """A stretch of a route: its length [m], the runner's pace there on the flat [s/km], grade."""

    metres: float
    pace_s_per_km: float
    grade: float = 0.0  # rise over run [-]


def minetti_cost_ratio(grade: np.ndarray) -> np.ndarray:
    """Energy cost of running on a slope relative to the flat (Minetti 2002) [-]."""
    i = np.asarray(grade, dtype="float64")
    cost = 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6
    return cost / 3.6


def sections(kind: str, km: float, easy_pace: float) -> list[Section]:
    """The route and pacing of a session of ``km`` [km] for a runner of ``easy_pace`` [s/km]."""
    metres = km * 1000.0
    if kind == "easy":
        start = min(800.0, metres / 3)
        return [Section(start, easy_pace * 1.05), Section(metres - start, easy_pace)]
    if kind == "long":
        return [Section(1000.0, easy_pace * 1.06), Section(metres - 1000.0, easy_pace * 1.03)]
    if kind == "jog":
        return [Section(metres, easy_pace * 1.07)]
    if kind == "tempo":
        cool = 800.0
        return [Section(metres - cool, easy_pace * 0.80), Section(cool, easy_pace * 1.08)]
    if kind == "intervals":
        reps: list[Section] = []
        for rep in range(6):
            reps.append(Section(800.0, easy_pace * 0.70))
            if rep < 5:
                reps.append(Section(400.0, easy_pace * 1.25))
        done = sum(s.metres for s in reps)
        return [*reps, Section(max(metres - done, 500.0), easy_pace * 1.08)]
    if kind in ("hill_easy", "hill_long"):
        grade = 0.05 if kind == "hill_long" else 0.04
        pace = easy_pace * (1.03 if kind == "hill_long" else 1.0)
        start = 800.0
        return [
            Section(start, pace * 1.05),
            Section(0.30 * metres - start, pace),
            Section(0.20 * metres, pace, -grade),
            Section(0.20 * metres, pace, grade),
            Section(0.30 * metres, pace),
        ]
    raise ValueError(f"unknown session kind {kind!r}")


def _ar1(rng: np.random.Generator, n: int, sd: float, keep: float) -> np.ndarray:
    """Smooth noise: an AR(1) series of standard deviation ``sd`` and memory ``keep``."""
    shocks = rng.normal(0.0, sd * math.sqrt(1.0 - keep * keep), n)
    # x_t = keep·x_{t-1} + shock_t is an exponential filter of shock / (1 - keep)
    inputs = np.concatenate([[rng.normal(0.0, sd)], shocks / (1.0 - keep)])
    smoothed = pd.Series(inputs).ewm(alpha=1.0 - keep, adjust=False).mean().to_numpy()
    return smoothed[1:]


def _lag(target: np.ndarray, start: float, tau_s: float) -> np.ndarray:
    """A first-order lag of ``target`` (1 Hz) from ``start``, time constant ``tau_s`` [s]."""
    alpha = 1.0 - math.exp(-1.0 / tau_s)
    padded = pd.Series(np.concatenate([[start], target]))
    return padded.ewm(alpha=alpha, adjust=False).mean().to_numpy()[1:]


def run_records(
    runner: Runner,
    session: Session,
    start_utc: datetime,
    rng: np.random.Generator,
    *,
    heat_bpm: float,
    spike: bool,
    warmed_up: bool,
) -> pd.DataFrame:
    """Per-second canonical samples of one run (see the module text for the model)."""
    plan = sections(session.kind, session.km, runner.easy_pace_s_per_km)
    flat_speed = np.array([1000.0 / s.pace_s_per_km for s in plan])
    grades = np.array([s.grade for s in plan])
    speed_on_grade = flat_speed * minetti_cost_ratio(grades) ** -0.45
    seconds_in = np.array([s.metres for s in plan]) / speed_on_grade
    ends = np.cumsum(seconds_in)
    n = int(math.ceil(ends[-1]))
    t = np.arange(n, dtype="float64")
    part = np.minimum(np.searchsorted(ends, t, side="right"), len(plan) - 1)
    speed = speed_on_grade[part] * (1.0 + _ar1(rng, n, 0.025, 0.97))
    speed = np.clip(speed, 1.2, None)
    grade = grades[part]
    distance = np.concatenate([[0.0], np.cumsum(speed[:-1])])
    columns: dict[str, np.ndarray] = {"distance_m": distance, "speed_mps": speed}
    if runner.altitude_m is not None:
        climb = np.concatenate([[0.0], np.cumsum(grade[:-1] * speed[:-1])])
        columns["altitude_m"] = runner.altitude_m + climb + _ar1(rng, n, 0.3, 0.98)
    if runner.easy_hr_bpm is not None:
        columns["heart_rate_bpm"] = _heart_rate(
            runner, speed, grade, rng, heat_bpm=heat_bpm, spike=spike, warmed_up=warmed_up
        )
    easy_speed = 1000.0 / runner.easy_pace_s_per_km
    cadence = runner.cadence_spm + 14.0 * (speed - easy_speed) + _ar1(rng, n, 1.2, 0.8)
    columns["cadence_spm"] = np.round(np.clip(cadence, 150.0, 200.0), 1)
    if heat_bpm > 0:
        columns["temperature_c"] = np.round(28.0 + 2.0 * t / max(n, 1) + _ar1(rng, n, 0.2, 0.99))
    index = pd.DatetimeIndex(
        pd.Timestamp(start_utc) + pd.to_timedelta(t, unit="s"), name="time"
    ).as_unit("ns")
    return pd.DataFrame(columns, index=index)


def _heart_rate(
    runner: Runner,
    speed: np.ndarray,
    grade: np.ndarray,
    rng: np.random.Generator,
    *,
    heat_bpm: float,
    spike: bool,
    warmed_up: bool,
) -> np.ndarray:
    """Heart rate [1/min] of a run from its grade-adjusted speed (module text)."""
    assert runner.easy_hr_bpm is not None
    n = len(speed)
    t = np.arange(n, dtype="float64")
    easy_speed = 1000.0 / runner.easy_pace_s_per_km
    effort = speed * minetti_cost_ratio(grade) / easy_speed
    rest = runner.resting_hr_bpm
    target = rest + (runner.easy_hr_bpm + heat_bpm - rest) * effort
    target = np.minimum(target, runner.true_max_hr_bpm - 2.0)
    start = (118.0 if warmed_up else 92.0) + rng.normal(0.0, 3.0)
    deficit = (6.0 if warmed_up else 18.0) * np.exp(-t / 300.0)
    drift = runner.drift_bpm_per_h * t / 3600.0
    heart_rate = _lag(target, start, 30.0) - deficit + drift + _ar1(rng, n, 1.0, 0.95)
    if spike:
        length = int(rng.integers(30, 61))
        lock = 170.0 + rng.uniform(2.0, 8.0) + _ar1(rng, length, 1.5, 0.9)
        heart_rate[:length] = lock[: min(length, n)]
    return np.round(np.clip(heart_rate, 40.0, runner.true_max_hr_bpm))


# -- building a history --------------------------------------------------------------------------
KIND_NAMES = {
    "easy": "Run",
    "long": "Long Run",
    "jog": "Warm-up",
    "tempo": "Tempo",
    "intervals": "Intervals",
    "hill_easy": "Hill Run",
    "hill_long": "Long Hill Run",
    "bike": "Ride",
}
#: Average pace of a summary-only session as a multiple of the easy pace [-].
SUMMARY_PACE = {"easy": 1.0, "long": 1.03, "jog": 1.07, "tempo": 0.85, "intervals": 0.9}
BIKE_SPEED_KMH = 22.0


def _stable(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def _sessions(day: Day) -> tuple[Session, ...]:
    if day is None:
        return ()
    if isinstance(day, int | float):
        return (Session(float(day)),)
    if isinstance(day, Session):
        return (day,)
    return tuple(day)


def build_activities(
    name: str, runner: Runner, first_monday: date, weeks: Sequence[Sequence[Day]]
) -> tuple[list[Activity], dict[str, Activity]]:
    """The activities of a plan (one 7-day sequence per week from ``first_monday``) and the
    marked ones by mark."""
    plan_rng = np.random.default_rng([SEED, _stable(name)])
    activities: list[Activity] = []
    marks: dict[str, Activity] = {}
    for week_index, week in enumerate(weeks):
        if len(week) != 7:
            raise ValueError(f"{name}: week {week_index + 1} has {len(week)} days, not 7")
        for weekday, day in enumerate(week):
            local_day = first_monday + timedelta(days=7 * week_index + weekday)
            previous_end: datetime | None = None
            for session in _sessions(day):
                offset_h = session.offset_h if session.offset_h is not None else runner.offset_h
                zone = timezone(timedelta(hours=offset_h))
                if session.after_min is not None and previous_end is not None:
                    local_start = previous_end.astimezone(zone) + timedelta(
                        minutes=session.after_min
                    )
                else:
                    usual = runner.weekday_at if weekday < 5 else runner.weekend_at
                    at = session.at or usual
                    jitter = 0 if session.at else int(plan_rng.integers(0, 20))
                    local_start = datetime.combine(local_day, at, zone) + timedelta(minutes=jitter)
                spike_roll = plan_rng.random()
                rng = np.random.default_rng([SEED, _stable(name), len(activities)])
                activity = _activity(
                    name,
                    runner,
                    session,
                    local_start,
                    rng,
                    index=len(activities),
                    spike=session.spike
                    if session.spike is not None
                    else spike_roll < runner.spike_rate,
                    warmed_up=session.after_min is not None,
                )
                activities.append(activity)
                if session.mark:
                    marks[session.mark] = activity
                previous_end = activity.start_utc + timedelta(seconds=activity.elapsed_s or 0.0)
    return activities, marks


def _activity(
    name: str,
    runner: Runner,
    session: Session,
    local_start: datetime,
    rng: np.random.Generator,
    *,
    index: int,
    spike: bool,
    warmed_up: bool,
) -> Activity:
    start_utc = local_start.astimezone(UTC)
    offset_s = int(local_start.utcoffset().total_seconds())  # type: ignore[union-attr]
    label = f"{name}/{index:04d}-{local_start:%Y%m%d-%H%M}-{session.kind}"
    sha = hashlib.sha256(label.encode("utf-8")).hexdigest()
    part_of_day = "Morning" if local_start.hour < 12 else "Evening"
    activity = Activity(
        sport="cycling" if session.kind == "bike" else "running",
        start_utc=start_utc,
        utc_offset_s=offset_s,
        device=runner.device,
        name=f"{part_of_day} {KIND_NAMES[session.kind]}",
        source_name=f"{label}.fit",
        source_format="fit",
        source_sha256=sha,
    )
    if session.kind == "bike":
        seconds = session.km / BIKE_SPEED_KMH * 3600.0
        activity.elapsed_s = activity.timer_s = round(seconds)
        activity.distance_m = session.km * 1000.0
        return activity
    if not runner.records:
        pace = runner.easy_pace_s_per_km * SUMMARY_PACE.get(session.kind, 1.0)
        activity.elapsed_s = activity.timer_s = round(session.km * pace)
        activity.distance_m = session.km * 1000.0
        return activity
    heat = session.heat_bpm if session.heat_bpm is not None else runner.heat_bpm
    samples = run_records(
        runner, session, start_utc, rng, heat_bpm=heat, spike=spike, warmed_up=warmed_up
    )
    activity.samples = samples
    activity.elapsed_s = activity.timer_s = float(len(samples))
    activity.distance_m = float(samples["distance_m"].iloc[-1] + samples["speed_mps"].iloc[-1])
    if "heart_rate_bpm" in samples:
        activity.avg_heart_rate_bpm = round(float(samples["heart_rate_bpm"].mean()))
        activity.max_heart_rate_bpm = float(samples["heart_rate_bpm"].max())
    activity.avg_cadence_spm = round(float(samples["cadence_spm"].mean()), 1)
    if "altitude_m" in samples:
        rises = np.diff(samples["altitude_m"].rolling(30, min_periods=1).mean().to_numpy())
        activity.ascent_m = round(float(rises[rises > 0].sum()))
    return activity


def history(
    name: str,
    runner: Runner,
    weeks: Sequence[Sequence[Day]],
    *,
    asserted_weeks: int | None,
    profile: Profile,
    calm: bool,
) -> RunnerHistory:
    """A history whose plan ends in the week of ``LAST_DAY``; the last ``asserted_weeks`` weeks
    are asserted on (None: all of them)."""
    first = monday(len(weeks) - 1)
    activities, marks = build_activities(name, runner, first, weeks)
    shown = len(weeks) if asserted_weeks is None else asserted_weeks
    return RunnerHistory(
        name=name,
        activities=tuple(activities),
        profile=profile,
        since=monday(shown - 1),
        until=LAST_DAY,
        calm=calm,
        marks=marks,
    )


# -- the calm runners ----------------------------------------------------------------------------
def hot_climate_wrist_hr_runner() -> RunnerHistory:
    """A recreational runner in a hot climate (UTC+8) with a wrist sensor, 17 weeks.

    Five easy runs a week at 6:00/km, the Sunday long run 9-12 km (about 30 % of the week),
    heart rate about 157 at easy pace in the heat (143 in a temperate climate) and about 148 over
    minutes 2-10; on 60 % of runs the wrist sensor reads 170-180 for 30-60 s of minute 1. Weeks
    11-12 are a trip to Europe (UTC+1, 13 bpm cooler). No max HR in the profile. The real runner
    behind it got flags in 16 of 18 weeks, 16 of them ``warmup``. A coach expects nothing: every
    run is easy and starts easy.
    """
    runner = Runner(
        easy_pace_s_per_km=360.0,
        easy_hr_bpm=143.0,
        resting_hr_bpm=52.0,
        true_max_hr_bpm=190.0,
        cadence_spm=168.0,
        offset_h=8.0,
        heat_bpm=14.0,
        weekday_at=time(6, 10),
        weekend_at=time(6, 0),
        spike_rate=0.6,
        drift_bpm_per_h=4.0,
        device="Forerunner 55 (wrist HR)",
    )
    longs = (9.0, 9.5, 10.0, 10.5, 10.0, 11.0, 11.0, 10.0, 10.5, 11.0, 9.0, 9.5, 10.5, 11.0,
             11.5, 11.0, 12.0)  # fmt: skip
    weeks: list[tuple[Day, ...]] = []
    for number, long_km in enumerate(longs, start=1):
        week = (None, 6.0, 7.0, 6.0, None, 5.0, long_km)
        kinds = ("easy",) * 6 + ("long",)
        on_trip = number in (11, 12)  # cooler, another clock, later starts
        weeks.append(
            tuple(
                None
                if km is None
                else Session(km, kind, time(7, 45), offset_h=1.0, heat_bpm=0.0)
                if on_trip
                else Session(km, kind)
                for km, kind in zip(week, kinds, strict=True)
            )
        )
    return history(
        "hot_climate_wrist_hr_runner",
        runner,
        weeks,
        asserted_weeks=8,
        profile=runner_profile(),
        calm=True,
    )


def easy_only_runner_without_max_hr() -> RunnerHistory:
    """An easy-only runner who never set a max HR, 15 weeks (UTC+1, evening runs).

    Four runs a week at 6:15/km with heart rate 142 (true max 188, never approached: the highest
    heart rate of the whole history is about 150), the Sunday long run 9-12 km. The real runner
    got an estimated max HR of 143 and a flag every week; the old rules estimate 147 here and
    flag every week too. The profile gives a birth year (1988) where ``Profile`` has the field.
    A coach expects nothing.
    """
    runner = Runner(
        easy_pace_s_per_km=375.0,
        easy_hr_bpm=142.0,
        resting_hr_bpm=58.0,
        true_max_hr_bpm=188.0,
        cadence_spm=170.0,
        offset_h=1.0,
        weekday_at=time(18, 30),
        weekend_at=time(9, 0),
        drift_bpm_per_h=3.0,
    )
    longs = (9.0, 9.5, 10.0, 10.0, 10.5, 9.0, 10.0, 10.5, 11.0, 11.0, 11.5, 10.0, 11.0, 11.5, 12.0)
    weeks = [(None, 6.0, None, 7.0, None, 5.0, Session(km, "long")) for km in longs]
    return history(
        "easy_only_runner_without_max_hr",
        runner,
        weeks,
        asserted_weeks=6,
        profile=runner_profile(sex="male", birth_year=1988),
        calm=True,
    )


def three_up_one_down_plan() -> RunnerHistory:
    """A runner on a 3-up-1-down plan, 21 weeks of summaries (UTC+0).

    Five blocks of three building weeks and a cutback week — 30/33/36/24, 32/35/38/25,
    34/37/40/26, 36/39/42/27, 38/41/44/28 km — and the week after the last cutback back at block
    level (40 km). The long run is about 30 % of the week and grows by less than 1 km at a time.
    The old ``weekly_jump`` flagged every week after a cutback (133-143 % of the cutback); judged
    against the block (the 3-week mean), each is 103-106 %. A coach expects nothing.
    """
    runner = Runner(
        easy_pace_s_per_km=330.0,
        easy_hr_bpm=None,
        offset_h=0.0,
        weekday_at=time(6, 45),
        weekend_at=time(8, 0),
        records=False,
    )
    blocks = (
        ((30, 9.0), (33, 9.9), (36, 10.8), (24, 7.5)),
        ((32, 10.0), (35, 10.9), (38, 11.8), (25, 8.0)),
        ((34, 11.0), (37, 11.9), (40, 12.8), (26, 8.0)),
        ((36, 12.0), (39, 12.9), (42, 13.8), (27, 8.5)),
        ((38, 13.0), (41, 13.9), (44, 14.8), (28, 9.0)),
    )
    weeks = [usual_week(total, long_km) for block in blocks for total, long_km in block]
    weeks.append(usual_week(40, 14.0))
    return history(
        "three_up_one_down_plan",
        runner,
        weeks,
        asserted_weeks=17,
        profile=runner_profile(),
        calm=True,
    )


def travel_week_runner() -> RunnerHistory:
    """A runner with a short travel week between normal weeks, 12 weeks of summaries (UTC+1).

    Four runs a week, about 22 km; weeks 8-11 are 23.2, 20.0, 12.6 and 20.8 km — the real
    runner's numbers. The travel week is in New York (UTC-5) with three short runs, the last on
    Sunday evening at 19:30 (already Monday in UTC). The old ``weekly_jump`` flagged the week
    after it (165 % of 12.6 km); against the 3-week mean (18.6 km) it is 112 %. A coach expects
    nothing.
    """
    runner = Runner(
        easy_pace_s_per_km=350.0,
        easy_hr_bpm=None,
        offset_h=1.0,
        weekday_at=time(7, 0),
        weekend_at=time(9, 30),
        records=False,
    )
    totals = (22.5, 23.0, 21.8, 24.0, 22.4, 23.5, 22.0, 23.2, 20.0, None, 20.8, 22.6)
    weeks: list[tuple[Day, ...]] = []
    for total in totals:
        if total is None:  # in New York
            weeks.append(
                (
                    None,
                    None,
                    Session(4.1, at=time(19, 0), offset_h=-5.0),
                    None,
                    Session(4.0, at=time(6, 30), offset_h=-5.0),
                    None,
                    Session(4.5, at=time(19, 30), offset_h=-5.0),
                )
            )
        else:
            weeks.append(usual_week(total, round(total * 0.32, 1), runs=4))
    return history(
        "travel_week_runner",
        runner,
        weeks,
        asserted_weeks=8,
        profile=runner_profile(sex="female"),
        calm=True,
    )


def _break_runner() -> Runner:
    return Runner(
        easy_pace_s_per_km=345.0,
        easy_hr_bpm=None,
        offset_h=1.0,
        weekday_at=time(18, 0),
        weekend_at=time(9, 0),
        records=False,
    )


#: Eight ordinary weeks before a break: about 32 km, the long run 10-11 km.
BEFORE_BREAK = tuple(
    usual_week(total, long_km)
    for total, long_km in (
        (30.0, 10.0), (31.0, 10.5), (32.0, 10.5), (30.0, 10.0),
        (32.0, 11.0), (31.0, 10.5), (32.0, 11.0), (32.0, 11.0),
    )
)  # fmt: skip
OFF: tuple[Day, ...] = (None,) * 7


def two_week_break_and_return() -> RunnerHistory:
    """Two weeks off (a flu) after eight weeks of about 32 km, and a gradual return.

    Three weeks of four short runs (3-4 km, about 14.5 km a week, well under half the 11 km
    longest run before the break), then about 2 km more a week (17.7, 19.5, 21.3 km) with the
    long run growing by at most 0.8 km over the longest of the last 30 days. A coach expects
    nothing.
    """
    weeks = [
        *BEFORE_BREAK,
        OFF,
        OFF,
        (None, 3.5, None, 3.5, None, 3.5, 4.0),
        (None, 3.0, None, 3.5, None, 4.0, 4.0),
        (None, 3.5, None, 3.5, None, 3.0, 4.0),
        (None, 4.0, None, 4.5, None, 4.0, 5.2),
        (None, 4.5, None, 4.5, None, 4.5, 6.0),
        (None, 5.0, None, 5.0, None, 4.5, Session(6.8, "long")),
    ]
    return history(
        "two_week_break_and_return",
        _break_runner(),
        weeks,
        asserted_weeks=11,
        profile=runner_profile(sex="female"),
        calm=True,
    )


def five_week_break_and_return() -> RunnerHistory:
    """Five weeks off after eight weeks of about 32 km, and a cautious return.

    Three runs a week of 4-4.7 km for three weeks (about 40 % of the old volume, at most half the
    old longest run), then four and five runs a week growing by about 2-3 km a week (17.2, 18.6,
    20.7, 23.5, 26.3 km), the long run by at most 0.8 km at a time. A coach expects nothing.
    """
    weeks = [
        *BEFORE_BREAK,
        *(OFF,) * 5,
        (None, 4.0, None, 4.0, None, None, 4.5),
        (None, 4.0, None, 4.5, None, None, 4.5),
        (None, 4.2, None, 4.5, None, None, 4.7),
        (None, 4.0, None, 4.5, None, 3.5, 5.2),
        (None, 4.5, None, 5.0, None, 3.5, 5.6),
        (None, 5.0, None, 5.5, None, 4.0, 6.2),
        (None, 5.5, None, 6.0, None, 5.0, Session(7.0, "long")),
        (None, 4.5, 5.0, 5.0, None, 4.0, Session(7.8, "long")),
    ]
    return history(
        "five_week_break_and_return",
        _break_runner(),
        weeks,
        asserted_weeks=16,
        profile=runner_profile(sex="male"),
        calm=True,
    )


def ten_week_break_and_return() -> RunnerHistory:
    """Ten weeks off (an injury) after eight weeks of about 32 km, and a physio-style return.

    Three runs of 3-4 km a week at first (9, 11, 11 km), then about 2 km more each week to
    22 km, the long run growing by at most 0.8 km at a time. A coach expects nothing.
    """
    weeks = [
        *BEFORE_BREAK,
        *(OFF,) * 10,
        (None, 3.0, None, 3.0, None, None, 3.0),
        (None, 3.5, None, 3.5, None, None, 4.0),
        (None, 3.5, None, 3.5, None, None, 4.0),
        (None, 3.5, None, 4.0, None, 3.0, 3.0),
        (None, 4.0, None, 4.0, None, 3.5, 4.0),
        (None, 4.0, None, 4.5, None, 4.0, 4.8),
        (None, 4.5, None, 5.0, None, 4.5, 5.5),
        (None, 5.0, None, 5.5, None, 5.0, 6.2),
    ]
    return history(
        "ten_week_break_and_return",
        _break_runner(),
        weeks,
        asserted_weeks=21,
        profile=runner_profile(sex="female"),
        calm=True,
    )


def first_ever_runner_from_2_km() -> RunnerHistory:
    """A first-ever runner building from 2 km by small steps, 12 weeks (UTC+10, evening runs).

    Three runs a week (Tuesday, Thursday, Sunday) at 7:30/km: 2, 2, 2.5 km in week one, the
    longest run growing by 0.5 km at most (2 → 2.5 → 3 …) to 7.5 km in week 12, with a lighter
    week 10. Asserted from the very first run. A coach would call every step progress and
    expects nothing.
    """
    runner = Runner(
        easy_pace_s_per_km=450.0,
        easy_hr_bpm=None,
        offset_h=10.0,
        weekday_at=time(18, 0),
        weekend_at=time(7, 30),
        records=False,
    )
    runs = (
        (2.0, 2.0, 2.5), (2.5, 2.5, 3.0), (3.0, 3.0, 3.5), (3.0, 3.5, 4.0),
        (3.5, 3.5, 4.5), (3.5, 4.0, 5.0), (4.0, 4.0, 5.5), (4.0, 4.5, 6.0),
        (4.5, 4.5, 6.5), (4.0, 4.0, 5.0), (4.5, 5.0, 7.0), (5.0, 5.0, 7.5),
    )  # fmt: skip
    weeks = [(None, a, None, b, None, None, c) for a, b, c in runs]
    return history(
        "first_ever_runner_from_2_km",
        runner,
        weeks,
        asserted_weeks=None,
        profile=runner_profile(sex="female"),
        calm=True,
    )


def hilly_runner_with_negative_split_climbs() -> RunnerHistory:
    """A runner who lives up a hill, 14 weeks (UTC+1, barometric altitude): every run goes out
    and back — flat, down, back up, flat — so the climbing comes in the second half.

    Easy runs of 7-8 km descend and climb at 4 %; the Sunday long run (11-13 km) at 5 % (about
    130 m down and up). Heart rate follows the grade-adjusted effort, so the raw heart rate per
    speed falls apart in the second half — the old ``decoupling`` reads about 12 % (a warning) on
    every long run, the real runner's read 14.4 % — while the grade-adjusted decoupling stays
    within a few percent. A coach expects nothing.
    """
    runner = Runner(
        easy_pace_s_per_km=345.0,
        easy_hr_bpm=145.0,
        resting_hr_bpm=55.0,
        true_max_hr_bpm=184.0,
        cadence_spm=172.0,
        offset_h=1.0,
        weekday_at=time(17, 45),
        weekend_at=time(8, 15),
        drift_bpm_per_h=3.0,
        altitude_m=640.0,
        device="Fenix 7 (barometric altitude)",
    )
    longs = (11.0, 11.5, 12.0, 11.0, 12.0, 12.5, 11.5, 12.0, 12.5, 13.0, 12.0, 12.5, 13.0, 12.0)
    weeks = [
        (
            None,
            Session(7.0, "hill_easy"),
            None,
            Session(8.0, "hill_easy"),
            None,
            Session(6.0, "hill_easy"),
            Session(long_km, "hill_long"),
        )
        for long_km in longs
    ]
    return history(
        "hilly_runner_with_negative_split_climbs",
        runner,
        weeks,
        asserted_weeks=5,
        profile=runner_profile(sex="female", birth_year=1979),
        calm=True,
    )


def _warmup_runner() -> Runner:
    return Runner(
        easy_pace_s_per_km=330.0,
        easy_hr_bpm=140.0,
        resting_hr_bpm=48.0,
        true_max_hr_bpm=190.0,
        cadence_spm=174.0,
        offset_h=1.0,
        weekday_at=time(18, 0),
        weekend_at=time(8, 0),
        drift_bpm_per_h=2.5,
        device="Forerunner 965 + HRM-Pro",
    )


def _warmup_weeks(skip_warmup_in_last_week: bool) -> list[tuple[Day, ...]]:
    longs = (14.0, 14.5, 15.0, 14.0, 15.0, 15.5, 14.5, 15.5, 16.0, 15.0, 15.5, 16.0, 15.0, 16.0)
    weeks: list[tuple[Day, ...]] = []
    for number, long_km in enumerate(longs, start=1):
        last = number == len(longs)
        if last and skip_warmup_in_last_week:
            thursday: Day = Session(6.0, "tempo", mark="cold tempo")
        else:
            thursday = (Session(1.8, "jog"), Session(6.0, "tempo", after_min=4.0))
        weeks.append(
            (
                None,
                (Session(2.0, "jog"), Session(8.6, "intervals", after_min=3.0)),
                8.0,
                thursday,
                None,
                6.0,
                Session(long_km, "long"),
            )
        )
    return weeks


def separate_warmup_activity_runner() -> RunnerHistory:
    """A runner who records the warm-up as its own activity, 14 weeks (UTC+1).

    Tuesday: a 12-minute warm-up jog (2 km), then 3 minutes later the interval session, which
    starts with its first 800 m repetition; Thursday: a 10-minute jog, then 4 minutes later a
    tempo run from the first metre at 4:24/km. Easy runs Wednesday and Saturday, the long run on
    Sunday. A chest strap, max HR 190 set from a lab test. A coach sees every hard session
    warmed up and expects nothing.
    """
    return history(
        "separate_warmup_activity_runner",
        _warmup_runner(),
        _warmup_weeks(skip_warmup_in_last_week=False),
        asserted_weeks=5,
        profile=runner_profile(sex="male", max_hr=190.0),
        calm=True,
    )


# -- runners with one planted risk ---------------------------------------------------------------
def separate_warmup_runner_starts_cold_once() -> RunnerHistory:
    """The separate-warm-up runner, who in the last week skips the warm-up jog and starts the
    Thursday tempo at 4:24/km from the first metre (mark ``cold tempo``). A coach expects one
    ``warmup`` caution on that run, and nothing else."""
    return history(
        "separate_warmup_runner_starts_cold_once",
        _warmup_runner(),
        _warmup_weeks(skip_warmup_in_last_week=True),
        asserted_weeks=5,
        profile=runner_profile(sex="male", max_hr=190.0),
        calm=False,
    )


def _summary_runner(offset_h: float = 1.0, pace: float = 340.0) -> Runner:
    return Runner(
        easy_pace_s_per_km=pace,
        easy_hr_bpm=None,
        offset_h=offset_h,
        weekday_at=time(18, 15),
        weekend_at=time(9, 0),
        records=False,
    )


def bike_days_runner() -> RunnerHistory:
    """A runner who rides a bike on a day off running, 12 weeks of summaries (UTC+1).

    Runs Tuesday, Wednesday, Friday and Saturday (long), rides 14.5-25 km on Sunday, rests Monday
    and Thursday: two days a week without any training. In week 11 the runner also runs on
    Monday (a bank holiday, mark ``holiday run``): with the Sunday ride, Thursday is the only
    training-free day in every 7 days of that week. RULES.md: a day with only cross-training is
    not a rest day. A coach expects one ``rest_days`` caution that Monday (the old rules counted
    the ride days as rest days and saw two or three a week).
    """
    weeks: list[tuple[Day, ...]] = []
    rides = (20.0, 14.5, 25.0, 18.0, 14.5, 22.0, 20.0, 14.5, 25.0, 18.0, 14.5, 20.0)
    longs = (9.0, 9.5, 9.0, 10.0, 9.5, 10.0, 10.5, 10.0, 10.5, 11.0, 10.5, 11.0)
    for number, (ride, long_km) in enumerate(zip(rides, longs, strict=True), start=1):
        monday_run: Day = Session(5.0, mark="holiday run", at=time(10, 0)) if number == 11 else None
        weeks.append(
            (
                monday_run,
                6.0,
                5.0,
                None,
                5.0,
                Session(long_km, "long"),
                Session(ride, "bike", at=time(10, 0)),
            )
        )
    return history(
        "bike_days_runner",
        _summary_runner(),
        weeks,
        asserted_weeks=8,
        profile=runner_profile(sex="male"),
        calm=False,
    )


def eight_day_running_streak() -> RunnerHistory:
    """A runner who runs eight days in a row on holiday, 12 weeks of summaries (UTC+1).

    Usually five runs a week (rest Monday and Friday, about 33 km); the week before the holiday
    has a third rest day (Sunday). Then Monday of week 11 to Monday of week 12 are eight running
    days — long and short runs alternating (2.5 km shake-outs between 6-11 km runs, so the days
    are not alike) — and Tuesday is a rest day again. A coach expects one ``rest_days`` caution, on
    the Sunday the streak reached seven days (mark ``seventh day``).
    """
    weeks = [usual_week(33.0, long_km) for long_km in (9.5, 10.0, 10.5, 10.0, 10.5, 11.0, 10.5,
                                                        11.0, 10.5)]  # fmt: skip
    weeks.append((None, 7.0, 8.0, 7.0, None, Session(11.0, "long"), None))
    weeks.append(
        (
            2.5,
            9.0,
            2.5,
            7.0,
            2.5,
            Session(11.0, "long"),
            Session(2.5, mark="seventh day"),
        )
    )
    weeks.append((6.0, None, 6.0, 7.0, None, 6.0, Session(10.0, "long")))
    return history(
        "eight_day_running_streak",
        _summary_runner(),
        weeks,
        asserted_weeks=8,
        profile=runner_profile(sex="female"),
        calm=False,
    )


def single_session_spike_over_100_pct() -> RunnerHistory:
    """A runner of about 25 km a week (longest run 8 km) who runs 17 km one Sunday, 12 weeks of
    summaries (UTC+1): 112.5 % longer than the longest run of the previous 30 days. The runner
    eased off that week (26 km in all). A coach expects one ``session_spike`` warning on the
    17 km run (mark ``17 km``), and nothing else."""
    weeks = [usual_week(25.0, long_km, runs=4) for long_km in (7.0, 7.5, 7.5, 8.0, 7.5, 8.0, 8.0,
                                                                7.5, 8.0, 8.0)]  # fmt: skip
    weeks.append((None, 5.0, None, 4.0, None, None, Session(17.0, "long", mark="17 km")))
    weeks.append(usual_week(25.0, 8.0, runs=4))
    return history(
        "single_session_spike_over_100_pct",
        _summary_runner(),
        weeks,
        asserted_weeks=8,
        profile=runner_profile(sex="male"),
        calm=False,
    )


def full_week_after_two_light_weeks() -> RunnerHistory:
    """A runner of about 22 km a week (four runs) who, after two light weeks (9.0 and 5.8 km: a
    busy fortnight), runs 23.6 km the next week (mark ``week back``: its Sunday run) — the real
    runner's numbers — and eases to 16.5 km the week after, 12 weeks of summaries (UTC+1). The
    old rules missed it (the week before was under 10 km). Against the 3-week mean (12.5 km) it
    is 189 %. A coach expects one ``weekly_jump`` caution for that week, dated its Sunday."""
    weeks = [
        usual_week(total, long_km, runs=4)
        for total, long_km in ((21.5, 6.8), (22.0, 7.0), (22.5, 7.0), (21.8, 7.0), (22.4, 7.2),
                               (22.0, 7.0), (22.6, 7.2))
    ]  # fmt: skip
    weeks += [
        (None, 4.5, None, None, None, 4.5, None),
        (None, None, 2.8, None, None, None, 3.0),
        (None, 5.5, None, 6.0, None, 5.0, Session(7.1, "long", mark="week back")),
        (None, 4.0, None, 4.5, None, None, Session(8.0, "long")),
        (None, 5.0, None, 5.0, None, 3.5, Session(6.0, "long")),
    ]
    return history(
        "full_week_after_two_light_weeks",
        _summary_runner(),
        weeks,
        asserted_weeks=8,
        profile=runner_profile(sex="female"),
        calm=False,
    )


def long_run_jump_in_first_month() -> RunnerHistory:
    """A runner whose history starts with 4-5 km runs, builds to a 7.5 km longest run and, 29 days
    after the first run, runs 10.0 km (33 % longer; mark ``10 km``), 5 weeks of summaries. The old
    rules hid it (they needed 30 days of history). A coach expects one ``session_spike`` caution
    on it, and nothing else — the 4-5 km runs of the first two weeks are no comeback."""
    runner = _summary_runner(offset_h=-5.0, pace=360.0)
    weeks = [
        (None, 4.0, None, 4.5, None, None, 5.0),
        (None, 4.0, None, 4.5, None, None, 5.0),
        (None, 3.5, None, 4.0, None, None, 5.8),
        (None, 3.5, None, 6.6, None, None, 7.5),
        (None, None, Session(10.0, "long", mark="10 km"), None, 4.0, None, 4.5),
    ]
    return history(
        "long_run_jump_in_first_month",
        runner,
        weeks,
        asserted_weeks=None,
        profile=runner_profile(),
        calm=False,
    )


def beginner_doubles_a_short_run() -> RunnerHistory:
    """A beginner of five weeks whose walk-runs were 1.5-1.9 km runs 4.3 km (mark ``4.3 km``),
    126 % longer than the longest run so far, 6 weeks of summaries (UTC+2). The old rules raised
    it as "high". RULES.md: at most a caution for a run of 5 km or less. A coach expects one
    ``session_spike`` caution on it."""
    runner = _summary_runner(offset_h=2.0, pace=480.0)
    weeks = [
        (None, 1.5, None, 1.6, None, None, 1.7),
        (None, 1.6, None, 1.7, None, None, 1.8),
        (None, 1.7, None, 1.8, None, None, 1.9),
        (None, 1.6, None, 1.8, None, None, 1.9),
        (None, 1.7, None, 1.8, None, None, 1.9),
        (None, 1.8, None, Session(4.3, mark="4.3 km"), None, None, 2.0),
    ]
    return history(
        "beginner_doubles_a_short_run",
        runner,
        weeks,
        asserted_weeks=None,
        profile=runner_profile(sex="female"),
        calm=False,
    )


def first_ever_run_of_12_7_km() -> RunnerHistory:
    """A history whose first run is 12.7 km (mark ``first run``), then runs of 4-5 km for two
    weeks and 4-8 km after, 6 weeks of summaries (UTC+1). RULES.md ``comeback``: a first run ever
    longer than 5 km. The old rules never evaluated it. A coach expects one ``comeback`` caution
    on the first run."""
    runner = _summary_runner()
    weeks = [
        (None, None, None, None, None, None, Session(12.7, "long", mark="first run")),
        (None, 4.0, None, 4.5, None, None, 5.0),
        (None, 4.0, None, 4.5, None, None, 4.5),
        (None, 5.0, None, 5.5, None, None, 7.0),
        (None, 5.0, None, 6.0, None, None, 8.0),
        (None, 5.0, None, 5.5, None, 4.0, 6.0),
    ]
    return history(
        "first_ever_run_of_12_7_km",
        runner,
        weeks,
        asserted_weeks=None,
        profile=runner_profile(sex="male"),
        calm=False,
    )


#: The last week before a break that starts on a Friday.
UNTIL_THURSDAY: tuple[Day, ...] = (None, 7.0, 8.0, 6.5, None, None, None)


def too_long_run_after_five_week_break() -> RunnerHistory:
    """Eight weeks of about 32 km (longest 11 km in the 30 days before the break), 38 days from
    the last run (a Thursday) to 9.6 km on the first day back (a Sunday; mark ``first run back``:
    more than half of 11 km) — the real runner's numbers — and a cautious return of 3-4.5 km
    runs. The old rules never evaluated it. A coach expects one ``comeback`` caution on that
    run."""
    weeks = [
        *BEFORE_BREAK[:-1],
        UNTIL_THURSDAY,
        *(OFF,) * 4,
        (None, None, None, None, None, None, Session(9.6, "long", mark="first run back")),
        (None, 4.0, None, 4.0, None, None, 4.0),
        (None, 3.5, None, 4.0, None, None, 4.0),
        (None, 3.5, None, 4.0, None, 3.5, 4.0),
        (None, 4.0, None, 4.5, None, 4.0, 4.5),
    ]
    return history(
        "too_long_run_after_five_week_break",
        _break_runner(),
        weeks,
        asserted_weeks=10,
        profile=runner_profile(sex="female"),
        calm=False,
    )


def too_long_run_after_ten_week_break() -> RunnerHistory:
    """Eight weeks of about 32 km (longest 11 km), 73 days from the last run (a Thursday) to
    12.1 km on the first day back (a Sunday; mark ``first run back``) — the real runner's numbers
    — and runs of 3.5-5 km for the following weeks. The old rules never evaluated it. A coach
    expects one ``comeback`` caution on that run."""
    weeks = [
        *BEFORE_BREAK[:-1],
        UNTIL_THURSDAY,
        *(OFF,) * 9,
        (None, None, None, None, None, None, Session(12.1, "long", mark="first run back")),
        (None, 4.0, None, 4.0, None, None, 4.0),
        (None, 4.0, None, 4.0, None, None, 4.0),
        (None, 4.0, None, 4.0, None, 3.5, 4.5),
        (None, 4.0, None, 4.5, None, 4.0, 5.0),
    ]
    return history(
        "too_long_run_after_ten_week_break",
        _break_runner(),
        weeks,
        asserted_weeks=15,
        profile=runner_profile(sex="male"),
        calm=False,
    )


#: The histories with no planted risk (the quiet-history quota applies to them).
CALM = (
    "hot_climate_wrist_hr_runner",
    "easy_only_runner_without_max_hr",
    "three_up_one_down_plan",
    "travel_week_runner",
    "two_week_break_and_return",
    "five_week_break_and_return",
    "ten_week_break_and_return",
    "first_ever_runner_from_2_km",
    "hilly_runner_with_negative_split_climbs",
    "separate_warmup_activity_runner",
)

#: Every history, calm ones first, by name.
HISTORIES: dict[str, Callable[[], RunnerHistory]] = {
    f.__name__: f
    for f in (
        hot_climate_wrist_hr_runner,
        easy_only_runner_without_max_hr,
        three_up_one_down_plan,
        travel_week_runner,
        two_week_break_and_return,
        five_week_break_and_return,
        ten_week_break_and_return,
        first_ever_runner_from_2_km,
        hilly_runner_with_negative_split_climbs,
        separate_warmup_activity_runner,
        separate_warmup_runner_starts_cold_once,
        bike_days_runner,
        eight_day_running_streak,
        single_session_spike_over_100_pct,
        full_week_after_two_light_weeks,
        long_run_jump_in_first_month,
        beginner_doubles_a_short_run,
        first_ever_run_of_12_7_km,
        too_long_run_after_five_week_break,
        too_long_run_after_ten_week_break,
    )
}


def local_day(activity: Activity) -> date:
    """The runner's local date of an activity."""
    start = activity.local_start
    assert start is not None
    return start.date()
