"""The fuzzing kit for the analysis (issue 11: "a fuzz target for the analysis itself"), shared
by tests/robustness/test_fuzz_analysis.py (a short run in CI) and benchmarks/fuzz_analysis.py
(a long run).

A case is a runner's whole history drawn from one seed: random but well-typed activities of
every kind, with summary values and records that are empty, constant, NaN, one sample long, at
the limits the cleaning allows (a heart rate of 25 or 250, a speed of 0 or 12 m/s, 1 s or 24 h,
0 m), with duplicated or irregular times; shoes with odd names; pain days; wellness days with
NaN; odd facts from exports; and a profile with valid but extreme values. Each activity goes the
import's way (``cleaning.clean_activities``, ``metrics.run.metrics_json``,
``merging.save_deduplicated``) into a store, and then everything that reads the store runs on
it: ``History.from_store``, ``evaluate`` and its text and JSON, the weekly report of a few weeks
(``build_report_from_history``, charts drawn for some) in HTML, Markdown and JSON, the
activity rows and table, the shoe table and the pain associations.

The oracle (``check_case``): no exception escapes, and the JSON is strict (no NaN). A
``StridewiseError`` is an answer only where the library raises one for input it refuses (a
refused activity is left out, as an import leaves it out).
"""

from __future__ import annotations

import json
import math
import random
import traceback
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from stridewise.errors import StridewiseError
from stridewise.importers.exports import WellnessDay
from stridewise.model import SAMPLE_COLUMNS, Activity, empty_samples
from stridewise.profile import Profile, profile_from_dict
from stridewise.store import Store

#: The day the reports are made on.
TODAY = date(2026, 6, 1)

#: (sport, sub_sport) pairs of every kind, as the importers store them (kinds.py).
SPORTS: list[tuple[str, str | None]] = [
    ("running", None),
    ("running", "street"),
    ("running", "trail"),
    ("running", "track"),
    ("running", "treadmill"),
    ("running", "indoor_running"),
    ("running", "virtual_activity"),
    ("running", "generic"),
    ("training", "strength_training"),
    ("training", "core_training"),
    ("training", "yoga"),
    ("training", "pilates"),
    ("training", "breathing"),
    ("training", None),
    ("cycling", None),
    ("cycling", "virtual_activity"),
    ("swimming", "lap_swimming"),
    ("walking", None),
    ("hiking", None),
    ("fitness_equipment", "elliptical"),
    ("rowing", "indoor_rowing"),
    ("alpine_skiing", None),
    ("generic", None),
    ("transition", None),
    ("physio", None),
    ("other", None),
    ("unknown-sport", None),
]

SURFACES = ("road", "trail", "track", "treadmill", "unknown")
SURFACE_SOURCES = (None, "user", "file", "export", "log", "inferred")

ODD_NAMES = [
    "Pegasus 40",
    "pegasus40",
    "PEGASUS  40",
    "$120 / $160",
    "=cmd|' /C calc'!A0",
    "<img src=x onerror=alert(1)>",
    "\x1b]0;pwned\x07",
    "名前のある靴",
    "🏃‍♀️👟",
    "a",
    " ",
    "x" * 80,
    "None",
    "nan",
    "0",
    "-",
    "Ünïcödé\u200b",
    "line\nbreak",
    "tab\there",
]

#: Values at and near the limits of each sample column, as the cleaning lets them through.
EXTREMES: dict[str, tuple[float, ...]] = {
    "distance_m": (0.0, 0.001, 1e5),
    "speed_mps": (0.0, 0.01, 11.99),
    "altitude_m": (-450.0, 0.0, 8999.0),
    "lat_deg": (-89.9, 0.0001, 89.9),
    "lon_deg": (-179.99, 0.0001, 179.99),
    "heart_rate_bpm": (25.0, 250.0, 180.0),
    "cadence_spm": (0.0, 1.0, 300.0),
    "power_w": (0.0, 2500.0),
    "vertical_oscillation_mm": (0.0, 200.0),
    "stance_time_ms": (0.0, 1500.0),
    "stance_time_balance_pct": (0.0, 50.0, 100.0),
    "vertical_ratio_pct": (0.0, 30.0),
    "step_length_mm": (0.0, 3000.0),
    "temperature_c": (-40.0, 60.0),
}

#: A typical value and step of each column, for random walks [column unit].
TYPICAL: dict[str, tuple[float, float]] = {
    "speed_mps": (3.0, 0.3),
    "altitude_m": (50.0, 0.5),
    "heart_rate_bpm": (145.0, 2.0),
    "cadence_spm": (170.0, 2.0),
    "power_w": (250.0, 10.0),
    "vertical_oscillation_mm": (85.0, 2.0),
    "stance_time_ms": (250.0, 5.0),
    "stance_time_balance_pct": (50.0, 0.5),
    "vertical_ratio_pct": (8.0, 0.2),
    "step_length_mm": (1100.0, 20.0),
    "temperature_c": (15.0, 0.1),
}


@dataclass
class Case:
    """One history drawn from ``seed``, and what happened to it."""

    seed: int
    profile: Profile
    activities: list[Activity] = field(default_factory=list)
    shoes: list[dict] = field(default_factory=list)
    pain: list[tuple[date, int, str | None]] = field(default_factory=list)
    wellness: list[WellnessDay] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)
    draw_charts: bool = False
    refused: int = 0  # activities the cleaning refused (left out, as an import would)


@dataclass
class Finding:
    """A case that broke the oracle: where, what, and the seed to reproduce it."""

    seed: int
    stage: str
    problem: str

    def __str__(self) -> str:
        return f"seed {self.seed}, {self.stage}: {self.problem}"


class AnalysisFailure(AssertionError):
    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


# --- generation ----------------------------------------------------------------------------------


def random_case(seed: int, *, draw_charts: bool | None = None) -> Case:
    """A whole history from ``seed`` (reproducible)."""
    rng = random.Random(seed)
    case = Case(seed=seed, profile=_profile(rng))
    case.draw_charts = rng.random() < 0.15 if draw_charts is None else draw_charts
    days = rng.choice([1, 3, 14, 60, 120, 400, 3000])
    count = rng.choice([0, 1, 2, 5, 12, 30, 60])
    one_day = rng.random() < 0.1  # everything on one day
    for index in range(count):
        start = _start(rng, days, one_day)
        case.activities.append(_activity(rng, start, index))
    case.shoes = [_shoe(rng, days) for _ in range(rng.choice([0, 0, 1, 2, 4]))]
    case.pain = _pain(rng, days)
    case.wellness = _wellness(rng, days)
    if rng.random() < 0.2:
        case.facts = {
            "birth_year": rng.choice(["1988", "abc", "1800", "2030", ""]),
            "sex": rng.choice(["female", "male", "other", ""]),
            "max_hr": rng.choice(["190", "300", "nan", "-1", "25"]),
        }
    return case


def _profile(rng: random.Random) -> Profile:
    athlete: dict[str, object] = {}
    if rng.random() < 0.5:
        athlete["max_hr"] = rng.choice([25, 120, 185, 250])
    if rng.random() < 0.5:
        athlete["resting_hr"] = rng.choice([25, 40, 60, 150])
    if athlete.get("max_hr", 251) <= athlete.get("resting_hr", 0):  # type: ignore[operator]
        del athlete["resting_hr"]  # refused when the profile is read (tested in test_round_two)
    if rng.random() < 0.4:
        athlete["threshold_pace"] = rng.choice(["2:00", "4:45", "20:00"])
    if rng.random() < 0.4:
        athlete["sex"] = rng.choice(["female", "male"])
    if rng.random() < 0.5:
        athlete["timezone"] = rng.choice(
            ["UTC", "Europe/Amsterdam", "Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu"]
        )
    if rng.random() < 0.3:
        athlete["units"] = "imperial"
    if rng.random() < 0.3:
        athlete["birth_year"] = rng.choice([TODAY.year - 110, 1988, TODAY.year - 5])
    rules: dict[str, dict[str, object]] = {}
    if rng.random() < 0.2:
        rules["shoe_mileage"] = {"limit_km": rng.choice([0.1, 500, 100_000])}
    if rng.random() < 0.1:
        rules["session_spike"] = {"enabled": False}
    return profile_from_dict({"athlete": athlete, "rules": rules})


def _start(rng: random.Random, days: int, one_day: bool) -> datetime:
    day = TODAY - timedelta(days=0 if one_day else rng.randrange(days))
    seconds = rng.choice([0, 1, 3600 * 7, 3600 * 12, 86_399, rng.randrange(86_400)])
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


def _maybe(rng: random.Random, *values: float | None) -> float | None:
    return rng.choice([None, math.nan, *values])


def _activity(rng: random.Random, start: datetime, index: int) -> Activity:
    sport, sub_sport = rng.choice(SPORTS)
    duration = rng.choice([0.0, 1.0, 60.0, 1800.0, 3600.0, 5400.0, 86_400.0, math.nan, None])
    samples = _samples(rng, start, sport, duration)
    timer = duration
    elapsed = None if duration is None else duration + rng.choice([0.0, 0.0, 60.0, -1.0, 3600.0])
    distance = _maybe(rng, 0.0, 1.0, 5000.0, 10_000.0, 42_195.0)
    if distance and timer and not math.isnan(distance + timer):
        distance = min(distance, timer * 11.0 if sport == "running" else distance)
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_utc=start,
        samples=samples,
        surface=rng.choice(SURFACES),
        surface_source=rng.choice(SURFACE_SOURCES),
        utc_offset_s=rng.choice([None, 0, 3600, -9000, 14 * 3600, -12 * 3600, 20_700]),
        elapsed_s=elapsed,
        timer_s=timer,
        moving_s=_maybe(rng, 0.0, timer if timer else 1.0),
        distance_m=distance,
        ascent_m=_maybe(rng, 0.0, 10.0, 3000.0),
        altitude_source=rng.choice([None, "barometric", "corrected", "gps"]),
        avg_heart_rate_bpm=_maybe(rng, 25.0, 140.0, 250.0),
        max_heart_rate_bpm=_maybe(rng, 25.0, 190.0, 250.0),
        avg_cadence_spm=_maybe(rng, 0.0, 170.0, 300.0),
        device=rng.choice([None, "Forerunner 965", *ODD_NAMES[:4]]),
        name=rng.choice([None, "Easy run", *ODD_NAMES]),
        shoe=rng.choice([None, None, *ODD_NAMES[:6], "Pegasus 40"]),
        rpe=_maybe(rng, 0.0, 1.0, 5.0, 10.0),
        notes=rng.choice([None, "felt fine", "x" * 2000]),
        source_name=f"case-{index}.fit",
        source_format=rng.choice(
            ["fit", "gpx", "tcx", "csv", "garmin-summary", "strava-csv", "manual"]
        ),
        source_sha256=f"{rng.getrandbits(64):016x}{index:08d}",
    )


def _samples(
    rng: random.Random, start: datetime, sport: str, duration: float | None
) -> pd.DataFrame:
    shape = rng.choice(
        ["none", "none", "one", "constant", "walk", "walk", "gaps", "duplicates", "nan", "noise"]
    )
    if shape == "none":
        return empty_samples()
    length = 1 if shape == "one" else rng.choice([2, 10, 300, 1800, 3600, 10_800, 86_400])
    if duration is not None and not math.isnan(duration) and duration < 86_400:
        length = min(length, int(duration) + 1)
    # records may start before the summary's start, or well after it
    start = start + timedelta(seconds=rng.choice([0, 0, 0, -60, 5, 3600]))
    np_rng = np.random.default_rng(rng.getrandbits(32))
    seconds = np.arange(length, dtype=float)
    if shape == "gaps":
        seconds = np.cumsum(np_rng.choice([1.0, 1.0, 2.0, 7.0, 120.0, 1800.0], size=length))
    if shape == "duplicates":
        seconds = np.sort(np_rng.integers(0, max(length // 2, 1), size=length)).astype(float)
    index = pd.DatetimeIndex(
        pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"), name="time"
    ).as_unit("ns")
    columns = rng.sample(list(SAMPLE_COLUMNS), rng.randrange(0, len(SAMPLE_COLUMNS) + 1))
    frame = {}
    for column in columns:
        frame[column] = _column(rng, np_rng, column, length, shape)
    if {"lat_deg", "lon_deg"} & set(frame) and rng.random() < 0.7:
        lat, lon = _track(np_rng, length)
        frame["lat_deg"], frame["lon_deg"] = lat, lon
    return pd.DataFrame(frame, index=index)


def _column(
    rng: random.Random, np_rng: np.random.Generator, column: str, length: int, shape: str
) -> np.ndarray:
    if shape == "nan" or rng.random() < 0.05:
        return np.full(length, np.nan)
    if shape == "constant" or rng.random() < 0.1:
        return np.full(length, rng.choice(EXTREMES[column]))
    if shape == "noise":  # anything the cleaning allows, in any order
        low, high = min(EXTREMES[column]), max(EXTREMES[column])
        return np_rng.uniform(low, high, size=length)
    if column == "distance_m":
        steps = np_rng.uniform(0.0, 4.0, size=length)
        return np.cumsum(steps)
    if column in ("lat_deg", "lon_deg"):
        return _track(np_rng, length)[0 if column == "lat_deg" else 1]
    typical, step = TYPICAL[column]
    values = typical + np.cumsum(np_rng.normal(0.0, step, size=length))
    low, high = min(EXTREMES[column]), max(EXTREMES[column])
    values = np.clip(values, low, high)
    holes = np_rng.random(length) < rng.choice([0.0, 0.0, 0.1, 0.9])
    values[holes] = np.nan
    return values


def _track(np_rng: np.random.Generator, length: int) -> tuple[np.ndarray, np.ndarray]:
    lat0 = float(np_rng.uniform(-60, 70))
    lon0 = float(np_rng.uniform(-179, 179))
    lat = lat0 + np.cumsum(np_rng.normal(2.5e-5, 1e-5, size=length))
    lon = lon0 + np.cumsum(np_rng.normal(0.0, 1e-5, size=length))
    return lat, lon


def _shoe(rng: random.Random, days: int) -> dict:
    return {
        "name": rng.choice([*ODD_NAMES[:7], "Pegasus 40", "Vomero"]).strip() or "unnamed",
        "initial_km": rng.choice([0.0, 0.0, 550.0, 10_000.0]),
        "limit_km": rng.choice([None, 0.1, 600.0, 100_000.0]),
        "default": rng.random() < 0.5,
        "since": rng.choice([None, TODAY - timedelta(days=rng.randrange(days))]),
    }


def _pain(rng: random.Random, days: int) -> list[tuple[date, int, str | None]]:
    if rng.random() < 0.4:
        return []
    logged = {TODAY - timedelta(days=rng.randrange(days)) for _ in range(rng.choice([1, 3, 30]))}
    return [
        (day, rng.choice([0, 3, 10]), rng.choice([None, "stiff", ODD_NAMES[5]]))
        for day in sorted(logged)
    ]


def _wellness(rng: random.Random, days: int) -> list[WellnessDay]:
    if rng.random() < 0.4:
        return []
    picked = {TODAY - timedelta(days=rng.randrange(days)) for _ in range(rng.choice([1, 5, 60]))}
    return [
        WellnessDay(
            day.isoformat(),
            resting_hr_bpm=rng.choice([None, math.nan, 25.0, 48.0, 150.0]),
            hrv_sdnn_ms=rng.choice([None, math.nan, 0.0, 60.0]),
            sleep_s=rng.choice([None, math.nan, 0.0, 3600.0, 86_400.0]),
        )
        for day in sorted(picked)
    ]


# --- the oracle ----------------------------------------------------------------------------------


def store_case(case: Case, store: Store, athlete: str = "me") -> None:
    """Store a case the import's way; activities the cleaning refuses are left out."""
    from stridewise.metrics.run import metrics_json
    from stridewise.pipeline.cleaning import clean_activities
    from stridewise.pipeline.merging import save_deduplicated
    from stridewise.shoes import add_shoe

    for activity in case.activities:
        try:
            (cleaned,) = clean_activities([activity], activity.source_name, now=_now())
        except StridewiseError:
            case.refused += 1
            continue
        if len(cleaned.samples.index):
            cleaned.metrics_json = metrics_json(cleaned.samples)
        save_deduplicated(
            store, athlete, cleaned.source_name, cleaned.source_sha256, [cleaned]
        )
    for shoe in case.shoes:
        try:
            add_shoe(
                store,
                athlete,
                shoe["name"],
                initial_km=shoe["initial_km"],
                limit_km=shoe["limit_km"],
                default=shoe["default"],
                since=shoe["since"],
            )
        except StridewiseError:
            continue  # a name refused, or one already there: as the command line says
    if case.pain:
        store.write_pain(athlete, case.pain)
    if case.wellness:
        store.save_wellness(athlete, case.wellness, "fuzz")
    if case.facts:
        store.save_athlete_facts(athlete, case.facts, "fuzz export")
    _assign_and_retire(case, store, athlete)


def _assign_and_retire(case: Case, store: Store, athlete: str) -> None:
    """What a runner does with pairs afterwards: one assigned to a run, one retired."""
    from stridewise.shoes import assign_shoe, get_shoes, retire_shoe

    rng = random.Random(case.seed + 1)
    shoes, ids = get_shoes(store, athlete), store.activity_ids(athlete)
    if not shoes or not ids:
        return
    try:
        if rng.random() < 0.5:
            assign_shoe(store, athlete, rng.choice(shoes).name, activity_id=rng.choice(ids))
        if rng.random() < 0.3:
            retire_shoe(store, athlete, rng.choice(shoes).name, TODAY - timedelta(days=3), TODAY)
    except StridewiseError:
        return  # refused as the command line refuses it (a walk, a pair retired twice)


def _now() -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, 23, tzinfo=UTC)


def analyse(case: Case, store: Store, athlete: str = "me") -> dict[str, int]:
    """Everything that reads a store, over this one; figures of what was produced."""
    from stridewise import jsontext
    from stridewise.associations import associations_from_store
    from stridewise.history import History
    from stridewise.report import build_report_from_history
    from stridewise.report.html import render_html
    from stridewise.report.jsonout import render_json
    from stridewise.report.markdown import render_markdown
    from stridewise.rules import evaluate, render_findings_text
    from stridewise.shoes import shoe_table
    from stridewise.views import activities_table, activity_rows

    history = History.from_store(store, athlete, case.profile)
    evaluation = evaluate(history)
    render_findings_text(evaluation, case.profile)
    _strict(jsontext.dumps([finding.to_json() for finding in evaluation.findings]))
    _strict(jsontext.dumps(evaluation.to_json()))
    rows = activity_rows(store, athlete, case.profile)
    activities_table(rows, case.profile)
    _strict(jsontext.dumps(rows))
    shoe_table(history.shoe_book, history.activities, case.profile, TODAY)
    associations_from_store(store, athlete, case.profile)
    weeks = _report_weeks(history)
    for number, monday in enumerate(weeks):
        report = build_report_from_history(
            history, monday, TODAY, athlete=athlete, draw_charts=case.draw_charts and number == 0
        )
        _strict(render_json(report))
        render_markdown(report)
        render_html(report)
    return {"findings": len(evaluation.findings), "weeks": len(weeks), "rows": len(rows)}


def _report_weeks(history) -> list[date]:
    """The week of the last activity, and one more: the week before the first, if any."""
    days = sorted(history.activities["local_date"]) if len(history.activities) else []
    weeks = [TODAY - timedelta(days=TODAY.weekday() + 7)]
    if days:
        last = days[-1]
        weeks.append(last - timedelta(days=last.weekday()))
        first = days[0]
        weeks.append(first - timedelta(days=first.weekday()))
    return list(dict.fromkeys(weeks))


def _strict(text: str) -> None:
    json.loads(text, parse_constant=_no_constant)


def _no_constant(name: str) -> None:
    raise ValueError(f"JSON holds {name}")


def check_case(seed: int, *, draw_charts: bool | None = None) -> dict[str, int]:
    """Generate, store and analyse one case; ``AnalysisFailure`` naming the seed and the stage
    when anything escapes."""
    case = random_case(seed, draw_charts=draw_charts)
    stage = "store"
    try:
        with Store(":memory:") as store:
            store_case(case, store)
            stage = "analyse"
            figures = analyse(case, store)
    except Exception as exc:  # the oracle: nothing may escape
        where = traceback.extract_tb(exc.__traceback__)[-1]
        problem = f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
        raise AnalysisFailure(Finding(seed, stage, problem)) from exc
    figures.update(activities=len(case.activities), refused=case.refused)
    return figures
