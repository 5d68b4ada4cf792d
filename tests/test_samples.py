"""The bundled sample history (data/samples/): it regenerates byte for byte, every file imports,
and the imported runs, sessions and wellness days have the shape patterns.json says they were
built with."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from realdata import SHARED

from stridewise.importers.dispatch import is_supported
from stridewise.kinds import MOBILITY, RUN, STRENGTH, kind_of
from stridewise.model import Activity
from stridewise.pipeline import read_activities
from stridewise.pipeline.exports import open_export

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
GENERATOR = REPO / "scripts" / "generate_samples.py"
PATTERNS = json.loads((SAMPLES / "patterns.json").read_text(encoding="utf-8"))
PROFILE = PATTERNS["profile"]
INDEX = PATTERNS["activities"]
FIRST_DAY = date.fromisoformat(PATTERNS["history"]["first_local_date"])
LAST_DAY = date.fromisoformat(PATTERNS["history"]["last_local_date"])
WELLNESS_FROM = date.fromisoformat(PATTERNS["history"]["wellness_from"])
GARMIN = SAMPLES / "garmin"  # an unpacked Garmin Connect export: summaries and wellness
CALM_WEEKS = set(PATTERNS["calm_weeks"])

MAX_FOLDER_BYTES = 10 * 1024 * 1024
WARMUP_S = 600  # the warm-up rule's first 10 minutes [s]
WARMUP_HR = 0.8 * PROFILE["max_hr"]  # [1/min]
ROAD_SHOE = next(shoe for shoe in PATTERNS["shoes"] if shoe["default"])


def relative(path: Path) -> str:
    return path.relative_to(SAMPLES).as_posix()


def sample_files() -> list[Path]:
    """The activity files (the export's JSON files are read as an export, not one by one)."""
    return sorted(path for path in SAMPLES.rglob("*") if path.is_file() and is_supported(path.name))


def garmin_summaries() -> tuple[str, list[Activity]]:
    """(path inside data/samples, activities) of the Garmin export's summaries."""
    export = open_export(GARMIN, PROFILE["timezone"])
    try:
        (name,) = {summary.key.split(" #")[0] for summary in export.summaries}
        files = [n for n in export.source.names() if n.endswith(name)]
        assert len(files) == 1 and export.contents.problems == []
        return relative(GARMIN / files[0]), [summary.activity for summary in export.summaries]
    finally:
        export.close()


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_day(activity: Activity) -> date:
    return activity.local_start.date()


def days(span: dict) -> list[date]:
    """The local dates of a {"since", "until"} span, both included."""
    first, last = date.fromisoformat(span["since"]), date.fromisoformat(span["until"])
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def patterns_of(rule: str) -> list[dict]:
    return [pattern for pattern in PATTERNS["patterns"] if pattern["rule"] == rule]


@pytest.fixture(scope="module")
def imported() -> dict[str, list[Activity]]:
    """Every sample file read once, by its path inside data/samples; the Garmin export's
    summaries under the path of its summaries file."""
    files = {
        relative(path): read_activities(path, default_timezone=PROFILE["timezone"])
        for path in sample_files()
    }
    name, summaries = garmin_summaries()
    return files | {name: summaries}


@pytest.fixture(scope="module")
def activities(imported: dict[str, list[Activity]]) -> list[tuple[dict, Activity]]:
    """(index entry, imported activity) pairs of every run and session in date order; the rows
    of a log or an export pair up by start time."""
    entries_by_file: dict[str, list[dict]] = defaultdict(list)
    for entry in INDEX:
        entries_by_file[entry["file"]].append(entry)
    pairs = []
    for file, entries in entries_by_file.items():
        found = sorted(imported[file], key=lambda activity: activity.start_utc)
        assert len(found) == len(entries), (
            f"{file}: {len(found)} activities, index has {len(entries)}"
        )
        pairs += zip(entries, found, strict=True)
    return sorted(pairs, key=lambda pair: pair[0]["local_date"])


@pytest.fixture(scope="module")
def runs(activities: list[tuple[dict, Activity]]) -> list[tuple[dict, Activity]]:
    """The runs of ``activities``."""
    return [(entry, activity) for entry, activity in activities if entry["session"] == "run"]


def test_regenerating_gives_byte_identical_files(tmp_path: Path) -> None:
    # a subset keeps this quick: the generator simulates the whole history anyway and writes
    # only what --only selects; one file of each kind, including the pause and the DST morning
    fits = [entry for entry in INDEX if entry["file"].endswith((".fit", ".fit.gz"))]
    paused = next(entry["file"] for entry in fits if entry["elapsed_s"] > entry["timer_s"])
    after_dst = next(entry["file"] for entry in fits if entry["utc_offset_s"] == 3600)
    gpx = next(entry["file"] for entry in INDEX if entry["file"].endswith(".gpx"))
    csv_log = next(entry["file"] for entry in INDEX if entry["file"].endswith(".csv"))
    subset = [
        paused,
        after_dst,
        gpx,
        csv_log,
        "patterns.json",
        "shoes.toml",
        "config.toml",
        "README.md",
    ]
    command = [sys.executable, str(GENERATOR), "--out", str(tmp_path)]
    for name in subset:
        command += ["--only", name]
    subprocess.run(command, check=True, capture_output=True, timeout=300)

    written = sorted(
        relative_to_tmp.relative_to(tmp_path).as_posix()
        for relative_to_tmp in tmp_path.rglob("*")
        if relative_to_tmp.is_file()
    )
    assert written == sorted(subset)
    for name in subset:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_index_lists_every_sample_file() -> None:
    files = {relative(path) for path in sample_files()} | {garmin_summaries()[0]}
    assert files == {entry["file"] for entry in INDEX}


def test_sample_folder_stays_under_10_mb() -> None:
    total = sum(path.stat().st_size for path in SAMPLES.rglob("*") if path.is_file())
    assert total < MAX_FOLDER_BYTES


def test_every_activity_imports_as_its_kind(activities: list[tuple[dict, Activity]]) -> None:
    assert len(activities) == len(INDEX)
    for entry, activity in activities:
        assert kind_of(activity.sport, activity.sub_sport) == entry["session"], entry
        if entry["session"] != RUN:
            assert activity.timer_s == entry["timer_s"], entry
        elif activity.source_format == "gpx":  # the phone app's file says nothing of the ground
            assert activity.surface in ("unknown", entry["surface"]), entry["file"]
        else:
            assert activity.surface == entry["surface"], entry["file"]
    kinds = {entry["kind"] for entry, _ in activities if entry["session"] != RUN}
    assert kinds == {"strength_training", "yoga", "pilates"}


def test_local_dates_and_offsets_match_the_index(activities: list[tuple[dict, Activity]]) -> None:
    for entry, activity in activities:
        assert activity.local_start is not None, entry["file"]
        assert local_day(activity).isoformat() == entry["local_date"], entry["file"]
        if entry["utc_offset_s"] is not None:  # the CSV log has dates only
            assert activity.utc_offset_s == entry["utc_offset_s"], entry["file"]
            assert activity.local_start.strftime("%H:%M:%S") == entry["local_start"], entry["file"]
    offsets = {entry["utc_offset_s"] for entry, _ in activities} - {None}
    assert offsets == {7200, 3600}  # summer time until 2026-10-25, winter time after


def test_patterns_name_rules_and_runs_that_exist(runs: list[tuple[dict, Activity]]) -> None:
    by_file = {entry["file"]: activity for entry, activity in runs}
    run_days = {local_day(activity) for _, activity in runs}
    for pattern in PATTERNS["patterns"]:
        day = date.fromisoformat(pattern["local_date"])
        assert FIRST_DAY <= day <= LAST_DAY
        assert iso_week(day) not in CALM_WEEKS, pattern
        if pattern["file"] is not None:
            assert local_day(by_file[pattern["file"]]) == day, pattern
        elif "source" in pattern:  # a wellness rule: a day the watch measured
            assert (SAMPLES / pattern["source"]).is_dir(), pattern
        elif pattern["rule"] != "strength_mobility":  # that one is dated on any day
            assert day in run_days, pattern
    if SHARED is not None:  # every rule id is one of RULES.md
        rules = (SHARED / "docs" / "RULES.md").read_text(encoding="utf-8")
        for pattern in PATTERNS["patterns"]:
            assert f"| `{pattern['rule']}` |" in rules, pattern["rule"]


def test_record_totals_match_session_totals(runs: list[tuple[dict, Activity]]) -> None:
    fit_runs = [(e, a) for e, a in runs if a.source_format == "fit"]
    assert fit_runs
    for entry, activity in fit_runs:
        samples = activity.samples
        seconds = np.diff(samples.index.asi8) / 1e9
        assert samples["distance_m"].iloc[-1] == pytest.approx(activity.distance_m, rel=0.01)
        assert seconds[seconds == 1].sum() == activity.timer_s, entry["file"]  # pauses excluded
        assert seconds.sum() == activity.elapsed_s, entry["file"]
        assert activity.timer_s == entry["timer_s"]
    assert any(a.elapsed_s > a.timer_s for _, a in fit_runs), "one run has a pause"


def test_running_cadence_is_in_steps_per_minute(runs: list[tuple[dict, Activity]]) -> None:
    with_cadence = [(e, a) for e, a in runs if "cadence_spm" in a.samples]
    assert {a.source_format for _, a in with_cadence} == {"fit", "gpx"}
    for entry, activity in with_cadence:
        assert 150 <= activity.samples["cadence_spm"].median() <= 200, entry["file"]
        assert 150 <= activity.avg_cadence_spm <= 200, entry["file"]


def test_calm_runs_start_easy_and_the_warmup_run_does_not(
    runs: list[tuple[dict, Activity]],
) -> None:
    (warmup,) = patterns_of("warmup")
    for entry, activity in runs:  # summaries (the build-up, the log) have no records
        if "heart_rate_bpm" not in activity.samples:
            continue
        samples = activity.samples
        first_minutes = (samples.index - samples.index[0]).total_seconds() < WARMUP_S
        early_max = samples["heart_rate_bpm"][first_minutes].max()
        if entry["file"] == warmup["file"]:
            assert early_max > WARMUP_HR
        else:
            assert early_max < WARMUP_HR, entry["file"]


def test_distance_grows_gently_until_the_pattern_week(runs: list[tuple[dict, Activity]]) -> None:
    """Each complete week against the mean of the three complete weeks before (weekly_jump)."""
    weekly: dict[str, float] = defaultdict(float)
    for _, activity in runs:
        weekly[iso_week(local_day(activity))] += activity.distance_m / 1000
    complete = [week for week in sorted(weekly) if week != iso_week(FIRST_DAY)]  # from Thursday
    assert FIRST_DAY.isoweekday() == 4 and complete[0] == iso_week(FIRST_DAY + timedelta(days=4))
    (jump,) = patterns_of("weekly_jump")
    for i, week in enumerate(complete[3:], start=3):
        ratio = weekly[week] / (sum(weekly[w] for w in complete[i - 3 : i]) / 3)
        if week in CALM_WEEKS:
            assert ratio <= 1.25, week
        elif week == jump["week"]:
            assert ratio * 100 == pytest.approx(jump["value"], abs=0.5)
            assert ratio > 1.30


def test_the_first_14_days_hold_no_run_over_5_km(runs: list[tuple[dict, Activity]]) -> None:
    first = [a for _, a in runs if local_day(a) < FIRST_DAY + timedelta(days=14)]
    assert len(first) == 8  # Thu, Sat, Sun; four runs the next week; the Tuesday after
    assert max(a.distance_m for a in first) == pytest.approx(5000, abs=1)


def test_only_the_pattern_run_spikes_past_the_longest_of_30_days(
    runs: list[tuple[dict, Activity]],
) -> None:
    """After the first 14 days: no run longer than the longest of the 30 days before by more
    than 10 % and 1 km (the build-up's long runs grow by 0.9 km, more than 10 % at first)."""
    (spike,) = patterns_of("session_spike")
    for entry, activity in runs:
        day = local_day(activity)
        if day - timedelta(days=14) < FIRST_DAY:
            continue  # the first 14 days are comeback's
        before = [a.distance_m for _, a in runs if day - timedelta(days=30) <= local_day(a) < day]
        growth_pct = (activity.distance_m / max(before) - 1) * 100
        increase_m = activity.distance_m - max(before)
        if entry["file"] == spike["file"]:
            assert growth_pct == pytest.approx(spike["value"], abs=0.5)
            assert 30 < growth_pct <= 100  # the caution band
        else:
            assert growth_pct <= 10 or increase_m < 1000, entry["file"]


def test_trail_appears_only_in_the_surface_change_run(runs: list[tuple[dict, Activity]]) -> None:
    (change,) = patterns_of("surface_change")
    trail = [entry["file"] for entry, activity in runs if activity.surface == "trail"]
    assert trail == [change["file"]]


def test_rest_days_run_out_only_where_the_pattern_says(
    activities: list[tuple[dict, Activity]],
) -> None:
    """A rest day has no training: a strength session ends it, yoga and pilates do not."""
    (rest,) = patterns_of("rest_days")
    trained = {local_day(a) for entry, a in activities if entry["session"] in (RUN, STRENGTH)}
    assert any(entry["session"] == MOBILITY for entry, _ in activities)
    for offset in range(6, (LAST_DAY - FIRST_DAY).days + 1):
        day = FIRST_DAY + timedelta(days=offset)
        rest_days = sum(1 for back in range(7) if day - timedelta(days=back) not in trained)
        assert (rest_days < 2) == (day.isoformat() in rest["low_rest_dates"]), day
    streak = [LAST_DAY - timedelta(days=back) for back in range(rest["value"])]
    assert all(day in trained for day in streak)
    assert streak[-1] - timedelta(days=1) not in trained
    assert date.fromisoformat(rest["local_date"]) == streak[-1] + timedelta(days=6)


def test_the_garmin_export_holds_wellness_from_60_days_before_the_first_run() -> None:
    export = open_export(GARMIN, PROFILE["timezone"])
    try:
        wellness = export.contents.wellness
    finally:
        export.close()
    resting = sorted(day.date for day in wellness if day.resting_hr_bpm is not None)
    nights = sorted(day.date for day in wellness if day.sleep_s is not None)
    assert FIRST_DAY - timedelta(days=60) == WELLNESS_FROM
    for measured in (resting, nights):
        assert measured[0] <= (WELLNESS_FROM + timedelta(days=3)).isoformat()
        assert measured[-1] == LAST_DAY.isoformat()
        assert len(measured) > 0.9 * ((LAST_DAY - WELLNESS_FROM).days + 1)  # a few missing


def test_road_shoe_passes_its_marks_on_the_pattern_dates(runs: list[tuple[dict, Activity]]) -> None:
    shoes = tomllib.loads((SAMPLES / "shoes.toml").read_text(encoding="utf-8"))["shoe"]
    road = next(shoe for shoe in shoes if shoe["name"] == ROAD_SHOE["name"])
    assigned_away = {
        day.isoformat() for shoe in shoes for span in shoe.get("assign", []) for day in days(span)
    }
    since = date.fromisoformat(road["since"])  # the build-up before it names no shoe
    total_km = road["initial_km"]
    crossed = {}
    for _, activity in runs:
        named_elsewhere = activity.shoe is not None and activity.shoe != road["name"]
        if named_elsewhere or local_day(activity).isoformat() in assigned_away:
            continue
        if local_day(activity) < since:
            continue
        before_km, total_km = total_km, total_km + activity.distance_m / 1000
        for severity, mark in (("caution", 0.9 * road["limit_km"]), ("warning", road["limit_km"])):
            if before_km < mark <= total_km:
                crossed[severity] = local_day(activity).isoformat()
    expected = {p["severity"]: p["local_date"] for p in patterns_of("shoe_mileage")}
    assert crossed == expected
