"""Generate a coach's database: many athletes with their own profiles and planted patterns.

    python scripts/generate_coach_db.py OUT                  # 30 athletes x 2 years
    python scripts/generate_coach_db.py OUT --athletes 50 --years 5 --records-weeks 1
    stridewise --db OUT/coach.db --config OUT/config.toml team --week 2026-W47 --out OUT/team

Writes ``OUT/coach.db`` and ``OUT/config.toml`` (a shared default and an ``[athletes.NAME]``
section for every athlete: sex, maximum and resting heart rate, birth year, time zone, units,
and rule overrides for some) and prints what was planted. The team week is 2026-W47 (Monday 16
to Sunday 22 November 2026; "today" is Wednesday 25 November). Each athlete runs a steady weekly
plan of their own — 3 to 5 runs, the long run on Sunday, each run within a few per cent below
plan so that no run is longer than the month before and no week jumps — and these are planted
in the team week (``PLANTED``):

- ``ana``: a long run 2.1 x her usual one (session_spike warning);
- ``ben``: a pair of shoes that passes its 600 km limit (shoe_mileage warning);
- ``chen``: seven training days in a row, no rest day (rest_days caution);
- ``dara``: calm training, back pain logged on three days (highest 6);
- ``eli``: nothing this week: his last run was three weeks before;
- ``fay``: the same spike as ana, but her own ``warning_pct = 300`` keeps it a caution;
- ``gus``: a pair that passes 90 % of its limit (shoe_mileage caution);
- everyone else: calm (``zoë`` and ``li wei`` test names that are not file names; ``jo``
  reads miles).

Activities are canonical ``Activity`` objects stored as an import stores them
(``Store.save_file``, one "file" per athlete and ISO week), summaries only except the last
``--records-weeks`` weeks, which get 1 Hz records (heart rate, speed, cadence, ground-contact
balance) so that the weekly reports have warm-up and form charts and per-run metrics to cache
(``pipeline.refresh_run_metrics``). Deterministic: the same arguments give the same database.
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
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from stridewise.model import Activity  # noqa: E402
from stridewise.pain import add_pain  # noqa: E402
from stridewise.pipeline import refresh_run_metrics  # noqa: E402
from stridewise.shoes import add_shoe, retire_shoe  # noqa: E402
from stridewise.store import Store  # noqa: E402

TEAM_WEEK = "2026-W47"
TEAM_MONDAY = date(2026, 11, 16)
TODAY = date(2026, 11, 25)
SEED = 20261116
#: Every athlete's shoes have this limit unless their config says otherwise [km].
SHOE_LIMIT_KM = 600.0

#: Weekly plans, Monday first [km]; None is a rest day.
PLANS: dict[str, tuple[float | None, ...]] = {
    "five": (None, 8.0, 10.0, 8.0, None, 6.0, 16.0),
    "four": (None, 7.0, None, 9.0, None, 6.0, 14.0),
    "three": (None, 6.0, None, 8.0, None, None, 12.0),
}
#: The planted patterns, by athlete.
PLANTED = {
    "ana": "spike",
    "ben": "worn_shoe",
    "chen": "no_rest",
    "dara": "pain",
    "eli": "no_data",
    "fay": "spike",
    "gus": "near_shoe",
}
#: Names of the calm athletes, in order; more are numbered.
CALM_NAMES = (
    "hana", "ivo", "jo", "kai", "lena", "li wei", "mo", "nils", "omar", "pia", "quinn", "rosa",
    "sven", "tara", "uma", "vic", "wen", "xavi", "yara", "zoë", "abel", "bea", "cleo", "dev",
    "ella", "finn", "gita", "hugo", "ines", "jens", "kira", "luca", "maya", "nora", "otto",
    "paz", "rafa", "sara", "tom", "ulla", "vera", "will", "xena",
)  # fmt: skip
ZONES = ("Europe/Amsterdam", "America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney")


@dataclass(frozen=True)
class CoachAthlete:
    """One athlete of the generated database: their plan, pattern and config section."""

    name: str
    pattern: str  # "calm" or one of PLANTED's values
    plan: str  # a key of PLANS
    scale: float  # the plan's distances times this
    timezone: str
    section: dict[str, object] = field(default_factory=dict)  # [athletes.NAME] values
    rules: dict[str, dict[str, object]] = field(default_factory=dict)  # and its rule overrides

    @property
    def weekly_km(self) -> float:
        return sum(km for km in PLANS[self.plan] if km) * self.scale


def coach_athletes(count: int = 30) -> list[CoachAthlete]:
    """The planted athletes, then calm ones up to ``count`` (at least the planted seven)."""
    names = list(PLANTED) + list(CALM_NAMES)
    names += [f"athlete {i}" for i in range(len(names) + 1, count + 1)]
    athletes = []
    for index, name in enumerate(names[: max(count, len(PLANTED))]):
        pattern = PLANTED.get(name, "calm")
        plan = ("five", "four", "three")[index % 3]
        if pattern in ("spike", "no_rest"):
            plan = "four" if pattern == "spike" else "five"
        section: dict[str, object] = {
            "sex": "female" if index % 2 == 0 else "male",
            "timezone": ZONES[index % len(ZONES)],
            "birth_year": 1970 + (index * 7) % 35,
        }
        if index % 4 != 3:  # some leave their heart rates to be estimated
            section["max_hr"] = 176 + (index * 5) % 22
            section["resting_hr"] = 44 + (index * 3) % 16
        if name == "jo":
            section["units"] = "imperial"
        rules: dict[str, dict[str, object]] = {}
        if name == "fay":
            rules["session_spike"] = {"warning_pct": 300}
        if index % 5 == 4 and pattern == "calm":
            rules["shoe_mileage"] = {"limit_km": 800}
        athletes.append(
            CoachAthlete(
                name=name,
                pattern=pattern,
                plan=plan,
                scale=round(0.75 + (index * 0.11) % 0.55, 2),
                timezone=str(section["timezone"]),
                section=section,
                rules=rules,
            )
        )
    return athletes


# -- the config ----------------------------------------------------------------------------------
def coach_config(athletes: Sequence[CoachAthlete]) -> str:
    """The config.toml: a shared default and each athlete's own section."""
    lines = [
        "# A coach's config: the shared default, then each athlete's own values.",
        "[athlete]",
        'timezone = "Europe/Amsterdam"',
        "",
        "[rules.shoe_mileage]",
        f"limit_km = {SHOE_LIMIT_KM:g}",
    ]
    for athlete in athletes:
        key = _toml_key(athlete.name)
        lines += ["", f"[athletes.{key}]"]
        lines += [f"{name} = {_toml_value(value)}" for name, value in athlete.section.items()]
        for rule_id, values in athlete.rules.items():
            lines += ["", f"[athletes.{key}.rules.{rule_id}]"]
            lines += [f"{name} = {_toml_value(value)}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def _toml_key(name: str) -> str:
    bare = name.replace("_", "").replace("-", "").isalnum() and name.isascii()
    return name if bare else json.dumps(name, ensure_ascii=False)


def _toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


# -- the activities --------------------------------------------------------------------------------
def athlete_days(athlete: CoachAthlete, weeks: int) -> list[tuple[date, float]]:
    """(local day, km) of every run, the ``weeks`` ISO weeks up to the team week's Sunday."""
    rng = np.random.default_rng([SEED, _number(athlete.name)])
    first = TEAM_MONDAY - timedelta(weeks=weeks - 1)
    plan = PLANS[athlete.plan]
    runs = []
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        days = plan
        if monday == TEAM_MONDAY and athlete.pattern == "no_rest":
            days = (3.0, 9.0, 4.0, 10.0, 3.0, 8.0, 14.0)
        for weekday, km in enumerate(days):
            if km is None:
                continue
            day = monday + timedelta(days=weekday)
            # at most a few per cent below plan: no run outgrows the month before, no week jumps
            distance = km * athlete.scale * (1.0 - 0.05 * float(rng.random()))
            if monday == TEAM_MONDAY and weekday == 6 and athlete.pattern == "spike":
                distance = km * athlete.scale * 2.1
            runs.append((day, round(distance, 2)))
    if athlete.pattern == "no_data":
        last = TEAM_MONDAY - timedelta(weeks=2)
        runs = [(day, km) for day, km in runs if day < last]
    return runs


def make_run(athlete: CoachAthlete, day: date, km: float, index: int, records: bool) -> Activity:
    """A run as a watch file gives it: a summary, and 1 Hz records when ``records``."""
    zone = ZoneInfo(athlete.timezone)
    at = time(7, 0) if day.weekday() >= 5 else time(18, 15)
    local = datetime.combine(day, at, tzinfo=zone)
    start = local.astimezone(UTC)
    rng = np.random.default_rng([SEED, _number(athlete.name), index])
    # 5:30/km at the lowest volume down to 4:50/km at the highest [s/km]
    pace = float(330.0 - 40.0 * (athlete.scale - 0.75) / 0.55 + rng.uniform(-8, 8))
    hr = float(140 + rng.uniform(-4, 4))
    activity = Activity(
        sport="running",
        sub_sport="street",
        surface="road",
        surface_source="file",
        start_utc=start,
        utc_offset_s=int(local.utcoffset().total_seconds()),
        elapsed_s=km * pace + 40.0,
        timer_s=km * pace,
        distance_m=km * 1000.0,
        avg_heart_rate_bpm=hr,
        max_heart_rate_bpm=hr + 22.0,
        avg_cadence_spm=float(170 + rng.uniform(-3, 3)),
        device="Forerunner 255",
        source_name=f"{athlete.name}-{day.isoformat()}.fit",
        source_format="fit",
    )
    if records:
        activity.samples = _records(start, km, pace, hr, rng)
    return activity


def _records(start: datetime, km: float, pace: float, hr: float, rng) -> pd.DataFrame:
    seconds = np.arange(0.0, round(km * pace))
    speed = 1000.0 / pace + rng.normal(0, 0.08, len(seconds))
    return pd.DataFrame(
        {
            "distance_m": np.concatenate([[0.0], np.cumsum(speed[:-1])]),
            "speed_mps": speed,
            "heart_rate_bpm": np.minimum(hr - 40 + seconds / 8.0, hr)
            + rng.normal(0, 2, len(seconds)),
            "cadence_spm": 170 + rng.normal(0, 1.5, len(seconds)),
            "stance_time_balance_pct": 50.2 + rng.normal(0, 0.4, len(seconds)),
        },
        index=pd.DatetimeIndex(
            pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"), name="time"
        ),
    )


def fill_coach_store(
    store: Store, athletes: Sequence[CoachAthlete], weeks: int = 104, records_weeks: int = 0
) -> int:
    """Store every athlete's runs, shoes and pain journal; returns the number of runs."""
    records_from = TEAM_MONDAY - timedelta(weeks=records_weeks - 1) if records_weeks else None
    count = 0
    for athlete in athletes:
        runs = athlete_days(athlete, weeks)
        by_week: dict[date, list[Activity]] = {}
        for index, (day, km) in enumerate(runs):
            records = records_from is not None and day >= records_from
            monday = day - timedelta(days=day.weekday())
            by_week.setdefault(monday, []).append(make_run(athlete, day, km, index, records))
        ids: list[int] = []  # in the order of ``runs``
        for monday, activities in by_week.items():
            sha = hashlib.sha256(f"{athlete.name}/{monday}".encode()).hexdigest()
            for position, activity in enumerate(activities):
                activity.source_sha256, activity.source_index = sha, position
            ids += store.save_file(athlete.name, f"{athlete.name}-{monday}.fit", sha, activities)
            count += len(activities)
        _shoes(store, athlete, runs, ids)
        _pain(store, athlete)
    refresh_run_metrics(store)
    return count


def _shoes(
    store: Store, athlete: CoachAthlete, runs: list[tuple[date, float]], ids: list[int]
) -> None:
    """A new pair whenever the last one reached about 75 % of its limit, the old one retired and
    its runs assigned to it (a default pair counts no runs once retired); the current pair is the
    default. The worn and nearly worn athletes' current pair crosses 100 % or 90 % of its limit
    in the team week."""
    limit = float(athlete.rules.get("shoe_mileage", {}).get("limit_km", SHOE_LIMIT_KM))
    weeks_per_pair = max(4, int(0.75 * limit / max(athlete.weekly_km, 1.0)))
    first = runs[0][0] - timedelta(days=runs[0][0].weekday())
    pair, since = 1, first
    while since <= TEAM_MONDAY:
        following = since + timedelta(weeks=weeks_per_pair)
        name = f"Pair {pair}"
        current = following > TEAM_MONDAY
        initial = 0.0
        if current and athlete.pattern in ("worn_shoe", "near_shoe"):
            before = sum(km for day, km in runs if since <= day < TEAM_MONDAY)
            target = limit if athlete.pattern == "worn_shoe" else 0.9 * limit
            initial = max(0.0, target - 10.0 - before)
        shoe, _ = add_shoe(
            store, athlete.name, name, initial_km=initial, default=current, since=since
        )
        if not current:
            worn = [i for i, (day, _) in zip(ids, runs, strict=True) if since <= day < following]
            store.assign_shoe(worn, shoe.id)
            retire_shoe(store, athlete.name, name, following - timedelta(days=1), TODAY)
        pair, since = pair + 1, following


def _pain(store: Store, athlete: CoachAthlete) -> None:
    """dara logs pain in the team week; every third athlete logs a pain-free day now and then."""
    if athlete.pattern == "pain":
        for offset, score in ((1, 4), (3, 6), (5, 3)):
            add_pain(store, athlete.name, TEAM_MONDAY + timedelta(days=offset), score)
    elif _number(athlete.name) % 3 == 0 and athlete.pattern != "no_data":
        for weeks_back in (0, 3, 6):
            add_pain(store, athlete.name, TEAM_MONDAY + timedelta(days=2, weeks=-weeks_back), 0)


def _number(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


def generate(out: Path, count: int, years: int, records_weeks: int) -> tuple[Path, Path, int]:
    """Write ``out/coach.db`` and ``out/config.toml``; returns them and the number of runs."""
    out.mkdir(parents=True, exist_ok=True)
    db, config = out / "coach.db", out / "config.toml"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    athletes = coach_athletes(count)
    with Store(db) as store:
        runs = fill_coach_store(store, athletes, weeks=52 * years, records_weeks=records_weeks)
    config.write_text(coach_config(athletes), encoding="utf-8")
    return db, config, runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for coach.db and config.toml")
    parser.add_argument("--athletes", type=int, default=30)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--records-weeks", type=int, default=0, help="last weeks with records")
    args = parser.parse_args(argv)
    db, config, runs = generate(args.out, args.athletes, args.years, args.records_weeks)
    print(f"{db}: {args.athletes} athletes, {runs} runs over {args.years} years")
    for name, pattern in PLANTED.items():
        print(f"  planted: {name}: {pattern}")
    print(f"{config}: the shared default and a section for every athlete")
    print(
        f"stridewise --db {db} --config {config} team --week {TEAM_WEEK} --out {args.out / 'team'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
