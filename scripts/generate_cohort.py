"""Generate a cohort: N athletes × Y years in one store, with mixed profiles and planted patterns.

    python scripts/generate_cohort.py OUT [--athletes 200] [--years 2] [--parquet] [--stores]

writes ``OUT/cohort.db`` (every athlete in one database, as a coach's or a platform's would be)
and ``OUT/profiles/NAME.toml`` (each athlete's profile), and with ``--parquet`` the export
``OUT/parquet/`` (each athlete with its own profile in the profile column), with ``--stores`` a
folder of per-athlete databases ``OUT/stores/NAME.db`` with ``NAME.toml`` beside each (what study
participants would send). Then, for example:

    stridewise --db OUT/cohort.db --config OUT/profiles/a007.toml --athlete a007 flags --json
    stridewise cohort OUT/parquet --out OUT/flags --engine spark

The athletes differ the way a club or a study does: 3-6 runs a week, 12-60 km, easy paces from
4:30 to 6:30 per km; a profile with or without maximum and resting heart rate, sex, birth year,
threshold pace, rule overrides, in four time zones, metric or imperial; heart rate on most runs;
watch resting heart rates, a pain journal, strength or cycling sessions, one to three pairs of
shoes for some. Every eighth athlete has the same planted pattern (``PATTERNS``): a session
spike, a weekly jump, a comeback after seven weeks off, two weeks without rest, a move to trail,
a worn-out pair of shoes, or fading form (decoupling and cadence) — the others train calmly. The
last athlete only cycles (no runs: the cohort names it and evaluates the rest).

Most runs carry a per-run metrics entry as the import pipeline computes it from records
(synthetic values, in the store's ``run_metrics`` table) without the records themselves: two
years of 1 Hz records for 200 athletes would be some 300 million rows. A few athletes
(``RECORDED``) have short runs with real 1 Hz records whose metrics are computed from them, one of
them left without stored metrics (computed in memory when read, as after an upgrade).

Deterministic: the same arguments give the same database every time (but its import times).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from stridewise.importers.exports import WellnessDay  # noqa: E402
from stridewise.localtime import offset_in_zone  # noqa: E402
from stridewise.metrics.run import METRICS_VERSION  # noqa: E402
from stridewise.model import Activity, empty_samples  # noqa: E402
from stridewise.pipeline import refresh_run_metrics  # noqa: E402
from stridewise.profile import Profile, load_profile  # noqa: E402
from stridewise.shoes import add_shoe, require_shoe, retire_shoe  # noqa: E402
from stridewise.store import Store  # noqa: E402

SEED = 2026
#: The last day of every history (a Sunday).
LAST_DAY = date(2026, 11, 29)
ZONES = ("Europe/Amsterdam", "America/New_York", "Asia/Singapore", "Australia/Sydney")
PATTERNS = (
    "calm",
    "session_spike",
    "weekly_jump",
    "comeback",
    "no_rest",
    "trail_move",
    "worn_shoes",
    "fading_form",
)
#: Athletes (by index) whose last runs have real 1 Hz records; the first is left without stored
#: per-run metrics.
RECORDED = (5, 45, 85)
RECORD_RUNS = 4
#: One empty record frame shared by every summary-only activity (building one each costs more
#: than the rest of the activity).
NO_RECORDS = empty_samples()
SHOE_MODELS = ("Pegasus 40", "Clifton 9", "Speedgoat 5", "Novablast 4", "Ghost 15")


@dataclass
class CohortAthlete:
    """One generated athlete: profile, activities and what else the store holds for them."""

    name: str
    pattern: str
    profile: dict  # the TOML document
    activities: list[Activity] = field(default_factory=list)
    entries: dict[int, dict] = field(default_factory=dict)  # by index into activities
    shoes: list[dict] = field(default_factory=list)  # add_shoe keyword arguments + name
    assignments: list[tuple[int, str]] = field(default_factory=list)  # (activity index, shoe)
    retired: list[tuple[str, date]] = field(default_factory=list)
    wellness: list[WellnessDay] = field(default_factory=list)
    pain: list[tuple[date, int, str | None]] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return sum(a.sport == "running" for a in self.activities)


def athlete_name(index: int) -> str:
    return f"a{index:03d}"


# -- profiles ------------------------------------------------------------------------------------
def make_profile(index: int, rng: np.random.Generator) -> dict:
    """A profile document: every athlete a different mix of what runners fill in."""
    athlete: dict[str, object] = {"timezone": ZONES[index % len(ZONES)]}
    if rng.random() < 0.8:
        athlete["sex"] = "female" if rng.random() < 0.5 else "male"
    if rng.random() < 0.5:
        athlete["max_hr"] = int(rng.integers(176, 200))
    if rng.random() < 0.3:
        athlete["resting_hr"] = int(rng.integers(44, 62))
    if rng.random() < 0.3:
        athlete["threshold_pace"] = f"{int(rng.integers(3, 6))}:{int(rng.integers(0, 60)):02d}"
    if rng.random() < 0.6:
        athlete["birth_year"] = int(rng.integers(1960, 2004))
    if rng.random() < 0.2:
        athlete["units"] = "imperial"
    rules: dict[str, dict[str, object]] = {}
    if rng.random() < 0.15:
        rules["shoe_mileage"] = {"limit_km": int(rng.choice([500, 700, 800]))}
    if rng.random() < 0.05:
        rules["monotony"] = {"enabled": False}
    document: dict = {"athlete": athlete}
    if rules:
        document["rules"] = rules
    return document


def toml_text(document: dict) -> str:
    """A profile document as TOML (strings, numbers and booleans in flat tables)."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return json.dumps(v)
        return str(v)

    lines = ["[athlete]", *[f"{k} = {value(v)}" for k, v in document["athlete"].items()]]
    for rule, settings in document.get("rules", {}).items():
        lines += ["", f"[rules.{rule}]", *[f"{k} = {value(v)}" for k, v in settings.items()]]
    return "\n".join(lines) + "\n"


# -- training ------------------------------------------------------------------------------------
def weekly_plan(pattern: str, weeks: int, rng: np.random.Generator) -> list[list[float]]:
    """Kilometres per day (Monday first) for every week; 0 is a rest day."""
    runs = int(rng.integers(3, 7))
    base = float(rng.uniform(12.0, 60.0))
    days_by_runs = {3: (1, 3, 6), 4: (1, 3, 5, 6), 5: (0, 1, 3, 5, 6), 6: (0, 1, 2, 3, 5, 6)}
    plan = []
    for week in range(weeks):
        total = base * (1.0 + 0.08 * np.sin(week / 5.0)) * float(rng.uniform(0.92, 1.08))
        if week % 4 == 3:
            total *= 0.8  # a cutback week
        days = [0.0] * 7
        chosen = days_by_runs[runs]
        long_km = round(total * 0.3, 1)
        rest = total - long_km
        for day in chosen[:-1]:
            days[day] = round(rest / (len(chosen) - 1) * float(rng.uniform(0.85, 1.15)), 1)
        days[chosen[-1]] = long_km
        plan.append(days)
    return _plant(pattern, plan, weeks)


def _plant(pattern: str, plan: list[list[float]], weeks: int) -> list[list[float]]:
    """The athlete's pattern, planted in the second year."""
    if pattern == "session_spike":
        longest = max(max(week) for week in plan[weeks - 20 : weeks - 14])
        plan[weeks - 14][6] = round(longest * 2.2, 1)
    elif pattern == "weekly_jump":
        plan[weeks - 30] = [round(km * 1.7, 1) for km in plan[weeks - 30]]
    elif pattern == "comeback":
        for week in range(weeks - 46, weeks - 39):
            plan[week] = [0.0] * 7
    elif pattern == "no_rest":
        for week in (weeks - 22, weeks - 21):
            plan[week] = [km if km else 5.0 for km in plan[week]]
    return plan


@dataclass(frozen=True)
class Runner:
    easy_pace_s_per_km: float
    easy_hr_bpm: float | None
    cadence_spm: float
    start_hour: int


def build_athlete(index: int, count: int, weeks: int) -> CohortAthlete:
    """Athlete ``index`` of a cohort of ``count`` (see the module text)."""
    rng = np.random.default_rng([SEED, index])
    name = athlete_name(index)
    profile = make_profile(index, rng)
    zone = str(profile["athlete"]["timezone"])
    if index == count - 1:
        return _cyclist(name, profile, zone, weeks)
    pattern = PATTERNS[index % len(PATTERNS)]
    has_hr = rng.random() < 0.8
    runner = Runner(
        easy_pace_s_per_km=float(rng.uniform(270.0, 390.0)),
        easy_hr_bpm=float(rng.uniform(132.0, 156.0)) if has_hr else None,
        cadence_spm=float(rng.uniform(160.0, 182.0)),
        start_hour=int(rng.choice([6, 7, 12, 18])),
    )
    athlete = CohortAthlete(name, pattern, profile)
    with_metrics = rng.random() < 0.75
    cross = rng.choice(["none", "strength", "cycling"], p=[0.6, 0.25, 0.15])
    first = LAST_DAY - timedelta(days=7 * weeks - 1)
    for week, days in enumerate(weekly_plan(pattern, weeks, rng)):
        for weekday, km in enumerate(days):
            day = first + timedelta(days=7 * week + weekday)
            if km > 0:
                _add_run(athlete, runner, day, km, zone, rng, week, weeks, with_metrics)
            elif cross != "none" and weekday == 2 and rng.random() < 0.7:
                _add_cross(athlete, str(cross), day, zone, rng)
    _add_shoes(athlete, first, rng)
    if rng.random() < 0.5:
        _add_wellness(athlete, first, weeks, rng)
    if rng.random() < 0.25:
        for _ in range(int(rng.integers(1, 8))):
            day = first + timedelta(days=int(rng.integers(0, 7 * weeks)))
            athlete.pain.append(
                (day, int(rng.integers(1, 7)), "stiff" if rng.random() < 0.5 else None)
            )
        athlete.pain = sorted(dict((p[0], p) for p in athlete.pain).values())
    return athlete


def _start(day: date, hour: int, zone: str, rng: np.random.Generator) -> tuple[datetime, int]:
    local = datetime.combine(day, time(hour, int(rng.integers(0, 50))))
    guess = local.replace(tzinfo=UTC)
    offset = offset_in_zone(zone, guess)
    return (local - timedelta(seconds=offset)).replace(tzinfo=UTC), offset


def _add_run(athlete, runner, day, km, zone, rng, week, weeks, with_metrics) -> None:
    start, offset = _start(day, runner.start_hour, zone, rng)
    pace = runner.easy_pace_s_per_km * float(rng.uniform(0.95, 1.08))
    seconds = round(km * pace)
    trail = athlete.pattern == "trail_move" and week >= weeks - 10
    index = len(athlete.activities)
    source = f"{athlete.name}-{index:05d}.fit"
    activity = Activity(
        samples=NO_RECORDS,
        sport="running",
        sub_sport="trail" if trail else None,
        surface="trail" if trail else "road",
        surface_source="file",
        start_utc=start,
        # a tenth of the files carry no offset: the profile's time zone decides their day
        utc_offset_s=None if rng.random() < 0.1 else offset,
        elapsed_s=float(seconds + int(rng.integers(0, 120))),
        timer_s=float(seconds),
        distance_m=round(km * 1000.0, 1),
        avg_heart_rate_bpm=round(runner.easy_hr_bpm + float(rng.normal(0, 3)))
        if runner.easy_hr_bpm
        else None,
        avg_cadence_spm=round(runner.cadence_spm + float(rng.normal(0, 1.5)), 1),
        device="Forerunner 265",
        name="Trail Run" if trail else "Run",
        rpe=float(rng.integers(2, 8))
        if runner.easy_hr_bpm is None and rng.random() < 0.5
        else None,
        source_name=source,
        source_format="fit",
        source_sha256=hashlib.sha256(source.encode()).hexdigest(),
    )
    athlete.activities.append(activity)
    if with_metrics:
        fading = athlete.pattern == "fading_form" and week >= weeks - 8
        athlete.entries[index] = _entry(activity, runner, rng, fading, trail)


def _entry(activity: Activity, runner: Runner, rng, fading: bool, trail: bool) -> dict:
    """A per-run metrics entry as the pipeline computes it from records (synthetic values)."""
    seconds = float(activity.timer_s or 0.0)
    speed = float(activity.distance_m or 0.0) / seconds
    entry: dict[str, object] = {
        "moving_s": seconds,
        "hr_seconds": seconds if runner.easy_hr_bpm else 0.0,
        "ngp_speed_mps": speed * float(rng.uniform(0.99, 1.03)),
        "warmup_hr_bpm": None,
        "warmup_speed_mps": None,
        "warmup_hr_coverage": None,
        "start_speed_mps": speed * float(rng.uniform(0.9, 1.0)),
        "steady_hr_bpm": None,
        "peak_hr_2min_bpm": None,
        "decoupling_pct": None,
        "steady_s": seconds - 600.0 if seconds > 1800 else None,
        "steady_speed_cv": float(abs(rng.normal(0.05, 0.02))),
        "decoupling_hr_coverage": None,
        "drift_speed_pct": float(rng.normal(0, 3)),
        "drift_cadence_pct": float(rng.normal(-1, 1.5)) - (4.0 if fading else 0.0),
        "drift_stance_time_pct": None,
        "drift_vertical_oscillation_pct": None,
        "cadence_spm": (activity.avg_cadence_spm or 170.0) - (6.0 if fading else 0.0),
        "speed_mps": speed,
        "balance_pct": round(float(rng.normal(50.1, 0.5)), 2),
        "roughness": 0.12 if trail else float(abs(rng.normal(0.01, 0.004))),
        "hr_hist": None,
    }
    if runner.easy_hr_bpm:
        hr = float(activity.avg_heart_rate_bpm or runner.easy_hr_bpm)
        entry.update(
            warmup_hr_bpm=hr - float(rng.uniform(8, 16)),
            warmup_speed_mps=speed * 0.95,
            warmup_hr_coverage=1.0,
            steady_hr_bpm=hr,
            peak_hr_2min_bpm=hr + float(rng.uniform(6, 22)),
            decoupling_pct=float(rng.normal(3.0, 2.0)) + (9.0 if fading else 0.0)
            if seconds > 1800
            else None,
            decoupling_hr_coverage=1.0 if seconds > 1800 else None,
        )
        values = np.clip(rng.normal(hr, 8.0, 240), 80, 200).astype(int)
        lowest = int(values.min())
        histogram = np.bincount(values - lowest) * seconds / len(values)
        entry["hr_hist"] = {"lo": lowest, "s": [round(float(s), 1) for s in histogram]}
    return entry


def _add_cross(athlete, kind: str, day: date, zone: str, rng) -> None:
    start, offset = _start(day, 18, zone, rng)
    index = len(athlete.activities)
    source = f"{athlete.name}-{index:05d}.fit"
    minutes = float(rng.integers(30, 75))
    athlete.activities.append(
        Activity(
            samples=NO_RECORDS,
            sport="cycling" if kind == "cycling" else "training",
            sub_sport="strength_training" if kind == "strength" else None,
            start_utc=start,
            utc_offset_s=offset,
            elapsed_s=minutes * 60.0,
            timer_s=minutes * 60.0,
            distance_m=minutes * 400.0 if kind == "cycling" else None,
            source_name=source,
            source_format="fit",
            source_sha256=hashlib.sha256(source.encode()).hexdigest(),
        )
    )


def _cyclist(name: str, profile: dict, zone: str, weeks: int) -> CohortAthlete:
    """The athlete without runs: three rides a week."""
    rng = np.random.default_rng([SEED, 9999])
    athlete = CohortAthlete(name, "no_runs", profile)
    first = LAST_DAY - timedelta(days=7 * weeks - 1)
    for week in range(weeks):
        for weekday in (1, 3, 6):
            _add_cross(athlete, "cycling", first + timedelta(days=7 * week + weekday), zone, rng)
    return athlete


def _add_shoes(athlete: CohortAthlete, first: date, rng) -> None:
    """No pairs, one default pair, or a rotation with assignments and a retired pair."""
    choice = rng.random()
    if athlete.pattern == "worn_shoes":
        athlete.shoes.append({"name": "Old Faithful", "default": True, "limit_km": 400.0})
        return
    if choice < 0.3:
        return
    models = list(rng.permutation(SHOE_MODELS))
    athlete.shoes.append(
        {"name": str(models[0]), "default": True, "since": first, "initial_km": 50.0}
    )
    if choice < 0.6:
        return
    span = (LAST_DAY - first).days
    second_since = first + timedelta(days=int(rng.integers(span * 2 // 5, span * 3 // 5)))
    athlete.shoes.append({"name": str(models[1]), "default": True, "since": second_since})
    athlete.retired.append((str(models[0]), second_since - timedelta(days=1)))
    athlete.shoes.append({"name": str(models[2]), "limit_km": 500.0})
    runs = [i for i, a in enumerate(athlete.activities) if a.sport == "running"]
    for i in runs[::7]:  # every seventh run in the third pair
        athlete.assignments.append((i, str(models[2])))
    for i in runs[3::11]:  # and some runs whose source named a pair
        athlete.activities[i].shoe = str(models[1]).lower()


def _add_wellness(athlete: CohortAthlete, first: date, weeks: int, rng) -> None:
    rest = float(rng.uniform(44, 62))
    for offset in range(0, 7 * weeks, 1):
        if rng.random() < 0.2:
            continue
        day = first + timedelta(days=offset)
        athlete.wellness.append(
            WellnessDay(
                date=day.isoformat(),
                resting_hr_bpm=round(rest + float(rng.normal(0, 2))),
                hrv_sdnn_ms=round(float(rng.normal(55, 10)), 1) if rng.random() < 0.5 else None,
                sleep_s=float(rng.integers(300, 540)) * 60.0 if rng.random() < 0.6 else None,
            )
        )


# -- records for a few athletes ------------------------------------------------------------------
def record_samples(activity: Activity, rng) -> pd.DataFrame:
    """1 Hz records for a run of 20 minutes (speed, distance, heart rate, cadence, altitude)."""
    n = 1200
    speed = float(activity.distance_m or 1.0) / float(activity.timer_s or 1.0)
    speeds = np.clip(speed * (1 + rng.normal(0, 0.03, n)), 1.0, None)
    t = np.arange(n, dtype="float64")
    heart = 120 + 25 * (1 - np.exp(-t / 240)) + rng.normal(0, 1.5, n) + t / 600
    index = pd.DatetimeIndex(pd.Timestamp(activity.start_utc) + pd.to_timedelta(t, unit="s"))
    return pd.DataFrame(
        {
            "distance_m": np.concatenate([[0.0], np.cumsum(speeds[:-1])]),
            "speed_mps": speeds,
            "heart_rate_bpm": np.round(heart),
            "cadence_spm": np.round(170 + rng.normal(0, 1.5, n)),
            "altitude_m": 20 + np.cumsum(rng.normal(0, 0.05, n)),
        },
        index=index.rename("time").as_unit("ns"),
    )


def add_records(athlete: CohortAthlete, rng) -> None:
    """The athlete's last runs get 20 minutes of real records (and no synthetic entry)."""
    runs = [i for i, a in enumerate(athlete.activities) if a.sport == "running"]
    for i in runs[-RECORD_RUNS:]:
        activity = athlete.activities[i]
        activity.samples = record_samples(activity, rng)
        activity.timer_s = activity.elapsed_s = 1200.0
        activity.distance_m = round(float(activity.samples["distance_m"].iloc[-1]), 1)
        athlete.entries.pop(i, None)


# -- writing ---------------------------------------------------------------------------------------
def build_cohort(count: int = 200, years: int = 2) -> list[CohortAthlete]:
    weeks = 52 * years
    athletes = [build_athlete(index, count, weeks) for index in range(count)]
    for index in RECORDED:
        if index < count - 1:
            add_records(athletes[index], np.random.default_rng([SEED, index, 1]))
    return athletes


def store_athlete(store: Store, athlete: CohortAthlete, today: date) -> None:
    """Save an athlete as an import would: activities, metrics, shoes, wellness, pain."""
    ids = store.save_file(athlete.name, f"{athlete.name}.zip", athlete.name, athlete.activities)
    entries = {ids[i]: json.dumps(entry) for i, entry in athlete.entries.items()}
    if entries:
        store.save_run_metrics(entries, METRICS_VERSION)
    for shoe in athlete.shoes:
        values = {k: v for k, v in shoe.items() if k != "name"}
        add_shoe(store, athlete.name, shoe["name"], **values)
    by_shoe: dict[str, list[int]] = {}
    for i, name in athlete.assignments:
        by_shoe.setdefault(name, []).append(ids[i])
    for name, activity_ids in by_shoe.items():
        store.assign_shoe(activity_ids, require_shoe(store, athlete.name, name).id)
    for name, day in athlete.retired:
        retire_shoe(store, athlete.name, name, day, today)
    if athlete.wellness:
        store.save_wellness(athlete.name, athlete.wellness, "watch")
    if athlete.pain:
        store.write_pain(athlete.name, athlete.pain)


@dataclass(frozen=True)
class CohortFiles:
    """Where a generated cohort was written."""

    folder: Path
    store: Path
    profiles: Path
    athletes: list[str]
    parquet: Path | None = None
    stores: Path | None = None

    def profile_path(self, athlete: str) -> Path:
        return self.profiles / f"{athlete}.toml"


def write_cohort(
    folder: Path,
    count: int = 200,
    years: int = 2,
    *,
    parquet: bool = False,
    stores: bool = False,
) -> CohortFiles:
    """Generate the cohort into ``folder`` (see the module text)."""
    athletes = build_cohort(count, years)
    folder.mkdir(parents=True, exist_ok=True)
    profiles = folder / "profiles"
    profiles.mkdir(exist_ok=True)
    for athlete in athletes:
        (profiles / f"{athlete.name}.toml").write_text(toml_text(athlete.profile), "utf-8")
    path = folder / "cohort.db"
    with Store(path) as store:
        for athlete in athletes:
            store_athlete(store, athlete, LAST_DAY)
        # the recorded runs' metrics, as the import computes them; the first athlete's are left
        # out, as if stored by an older stridewise
        for index in RECORDED[1:]:
            if index < count - 1:
                refresh_run_metrics(store, athletes[index].name)
    files = CohortFiles(folder, path, profiles, [a.name for a in athletes])
    if parquet:
        from stridewise.cohort.parquet import export_store

        out = folder / "parquet"
        with Store(path, readonly=True) as store:
            export_store(store, out, lambda name: load_profile(files.profile_path(name)))
        files = _replace(files, parquet=out)
    if stores:
        out = folder / "stores"
        out.mkdir(exist_ok=True)
        for athlete in athletes:
            with Store(out / f"{athlete.name}.db") as store:
                single = _renamed(athlete, "me")
                store_athlete(store, single, LAST_DAY)
            (out / f"{athlete.name}.toml").write_text(toml_text(athlete.profile), "utf-8")
        files = _replace(files, stores=out)
    return files


def _replace(files: CohortFiles, **changes) -> CohortFiles:
    from dataclasses import replace

    return replace(files, **changes)


def _renamed(athlete: CohortAthlete, name: str) -> CohortAthlete:
    """The athlete as a participant's own database holds them (athlete ``me``)."""
    from copy import deepcopy

    copy = deepcopy(athlete)
    copy.name = name
    return copy


def profile_of(files: CohortFiles, athlete: str) -> Profile:
    return load_profile(files.profile_path(athlete))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--athletes", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--parquet", action="store_true", help="also write OUT/parquet/")
    parser.add_argument("--stores", action="store_true", help="also write OUT/stores/")
    args = parser.parse_args(argv)
    files = write_cohort(
        args.out, args.athletes, args.years, parquet=args.parquet, stores=args.stores
    )
    print(f"{len(files.athletes)} athletes × {args.years} years in {files.store}")
    for extra in (files.parquet, files.stores):
        if extra is not None:
            print(f"and {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
