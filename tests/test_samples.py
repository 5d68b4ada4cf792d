"""The bundled sample history (data/samples/): it regenerates byte for byte, every file imports,
and the imported runs have the shape patterns.json says they were built with."""

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
from stridewise.model import Activity
from stridewise.pipeline import read_activities

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
GENERATOR = REPO / "scripts" / "generate_samples.py"
PATTERNS = json.loads((SAMPLES / "patterns.json").read_text(encoding="utf-8"))
PROFILE = PATTERNS["profile"]
INDEX = PATTERNS["activities"]
FIRST_DAY = date.fromisoformat(PATTERNS["history"]["first_local_date"])
LAST_DAY = date.fromisoformat(PATTERNS["history"]["last_local_date"])
CALM_WEEKS = set(PATTERNS["calm_weeks"])

MAX_FOLDER_BYTES = 10 * 1024 * 1024
WARMUP_S = 600  # the warm-up rule's first 10 minutes [s]
WARMUP_HR = 0.8 * PROFILE["max_hr"]  # [1/min]
ROAD_SHOE = next(shoe for shoe in PATTERNS["shoes"] if shoe["default"])


def relative(path: Path) -> str:
    return path.relative_to(SAMPLES).as_posix()


def sample_files() -> list[Path]:
    return sorted(path for path in SAMPLES.rglob("*") if path.is_file() and is_supported(path.name))


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
    """Every sample file read once, by its path inside data/samples."""
    return {
        relative(path): read_activities(path, default_timezone=PROFILE["timezone"])
        for path in sample_files()
    }


@pytest.fixture(scope="module")
def runs(imported: dict[str, list[Activity]]) -> list[tuple[dict, Activity]]:
    """(index entry, imported activity) pairs in date order; CSV rows pair up by date order."""
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
    assert {relative(path) for path in sample_files()} == {entry["file"] for entry in INDEX}


def test_sample_folder_stays_under_10_mb() -> None:
    total = sum(path.stat().st_size for path in SAMPLES.rglob("*") if path.is_file())
    assert total < MAX_FOLDER_BYTES


def test_every_sample_file_imports_as_runs(runs: list[tuple[dict, Activity]]) -> None:
    assert len(runs) == len(INDEX)
    for entry, activity in runs:
        assert activity.is_running, entry["file"]
        if activity.source_format == "gpx":  # the phone app's file says nothing about the ground
            assert activity.surface in ("unknown", entry["surface"]), entry["file"]
        else:
            assert activity.surface == entry["surface"], entry["file"]


def test_local_dates_and_offsets_match_the_index(runs: list[tuple[dict, Activity]]) -> None:
    for entry, activity in runs:
        assert activity.local_start is not None, entry["file"]
        assert local_day(activity).isoformat() == entry["local_date"], entry["file"]
        if entry["utc_offset_s"] is not None:  # the CSV log has dates only
            assert activity.utc_offset_s == entry["utc_offset_s"], entry["file"]
            assert activity.local_start.strftime("%H:%M:%S") == entry["local_start"], entry["file"]
    offsets = {entry["utc_offset_s"] for entry, _ in runs} - {None}
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
        else:
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
    for entry, activity in runs:
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
    weekly: dict[str, float] = defaultdict(float)
    for _, activity in runs:
        weekly[iso_week(local_day(activity))] += activity.distance_m / 1000
    weeks = sorted(weekly)
    for before, week in zip(weeks, weeks[1:], strict=False):
        ratio = weekly[week] / weekly[before]
        if week in CALM_WEEKS:
            assert ratio <= 1.10, week
    (jump,) = patterns_of("weekly_jump")
    assert weekly[jump["week"]] / weekly[weeks[weeks.index(jump["week"]) - 1]] > 1.30


def test_only_the_pattern_run_spikes_past_the_longest_of_30_days(
    runs: list[tuple[dict, Activity]],
) -> None:
    (spike,) = patterns_of("session_spike")
    for entry, activity in runs:
        day = local_day(activity)
        if day - timedelta(days=30) < FIRST_DAY:
            continue  # the rule needs 30 days of history
        before = [a.distance_m for _, a in runs if day - timedelta(days=30) <= local_day(a) < day]
        growth_pct = (activity.distance_m / max(before) - 1) * 100
        if entry["file"] == spike["file"]:
            assert growth_pct == pytest.approx(spike["value"], abs=0.5)
            assert growth_pct > 30
        else:
            assert growth_pct <= 10, entry["file"]


def test_trail_appears_only_in_the_surface_change_run(runs: list[tuple[dict, Activity]]) -> None:
    (change,) = patterns_of("surface_change")
    trail = [entry["file"] for entry, activity in runs if activity.surface == "trail"]
    assert trail == [change["file"]]


def test_rest_days_run_out_only_where_the_pattern_says(runs: list[tuple[dict, Activity]]) -> None:
    (rest,) = patterns_of("rest_days")
    flagged = set(rest["caution_dates"]) | set(rest["warning_dates"])
    running = {local_day(activity) for _, activity in runs}
    for offset in range(6, (LAST_DAY - FIRST_DAY).days + 1):
        day = FIRST_DAY + timedelta(days=offset)
        rest_days = sum(1 for back in range(7) if day - timedelta(days=back) not in running)
        assert (rest_days < 2) == (day.isoformat() in flagged), day


def test_road_shoe_passes_its_marks_on_the_pattern_dates(runs: list[tuple[dict, Activity]]) -> None:
    shoes = tomllib.loads((SAMPLES / "shoes.toml").read_text(encoding="utf-8"))["shoe"]
    road = next(shoe for shoe in shoes if shoe["name"] == ROAD_SHOE["name"])
    assigned_away = {
        day.isoformat() for shoe in shoes for span in shoe.get("assign", []) for day in days(span)
    }
    total_km = road["initial_km"]
    crossed = {}
    for _, activity in runs:
        named_elsewhere = activity.shoe is not None and activity.shoe != road["name"]
        if named_elsewhere or local_day(activity).isoformat() in assigned_away:
            continue
        before_km, total_km = total_km, total_km + activity.distance_m / 1000
        for severity, mark in (("caution", 0.9 * road["limit_km"]), ("warning", road["limit_km"])):
            if before_km < mark <= total_km:
                crossed[severity] = local_day(activity).isoformat()
    expected = {p["severity"]: p["local_date"] for p in patterns_of("shoe_mileage")}
    assert crossed == expected
