"""Whole exports as import units: summaries pass sanity like files, and a member's problem names
the export it is in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from exports import Run, StravaActivity, StravaExportSpec, strava_export_files, write_tree

from stridewise.importers.exports import ExportSummary
from stridewise.model import Activity
from stridewise.pipeline import import_paths
from stridewise.pipeline.exports import apply_summary
from stridewise.store import Store

START = datetime(2026, 9, 14, 5, 15, tzinfo=UTC)


def _strava_export(tmp_path, *activities: StravaActivity, **members: bytes):
    files = strava_export_files(StravaExportSpec(activities=list(activities)))
    files.update({f"{name}.csv": data for name, data in members.items()})
    return write_tree(files, tmp_path / "strava-export.zip", as_zip=True)


def _manual(activity_id: int, run: Run) -> StravaActivity:
    return StravaActivity(run, activity_id, name=f"Row {activity_id}", file_kind=None)


def test_impossible_summary_values_are_left_out_with_a_warning(tmp_path):
    path = _strava_export(tmp_path, _manual(1, Run(START, 1800, 5000.0, heart_rate_bpm=300)))
    with Store(tmp_path / "s.db") as store:
        report = import_paths(store, [path], jobs=1)
        row = store.conn.execute(
            "SELECT avg_heart_rate_bpm, max_heart_rate_bpm, distance_m FROM activities"
        ).fetchone()
    assert report.imported == 1
    assert tuple(row) == (None, None, 5000.0)
    label = f"{path}/activities.csv #1"
    assert report.warnings == [
        {
            "path": label,
            "warning": "the file's average heart rate (300 bpm) is outside 25-250 bpm; left out",
        },
        {
            "path": label,
            "warning": "the file's maximum heart rate (320 bpm) is outside 25-250 bpm; left out",
        },
        {
            "path": label,
            "warning": "no time zone in this summary, no recording within 30 days and none in "
            "the profile: its time is kept in UTC (set timezone under [athlete])",
        },
    ]


def test_a_summary_that_cannot_be_stored_fails_alone_named_by_the_export(tmp_path):
    path = _strava_export(
        tmp_path,
        _manual(1, Run(START, 1800, 5000.0)),
        _manual(2, Run(datetime(1985, 6, 1, 8, 0, tzinfo=UTC), 1800, 5000.0)),
    )
    with Store(tmp_path / "s.db") as store:
        report = import_paths(store, [path], jobs=1)
    label = f"{path}/activities.csv #2"
    assert report.imported == 1
    assert report.failed == [
        {
            "path": label,
            "error": f"{label}: starts on 1985-06-01, before 1990 (a clock not set, or a "
            "mistyped year); refused",
        }
    ]


def test_a_damaged_gear_list_names_the_export_and_an_empty_one_is_no_problem(tmp_path):
    path = _strava_export(
        tmp_path, _manual(1, Run(START, 1800, 5000.0)), shoes=b"\xff\xfe\x00\x00\x00", bikes=b""
    )
    with Store(tmp_path / "s.db") as store:
        report = import_paths(store, [path], jobs=1)
    assert report.imported == 1
    assert report.failed == [
        {
            "path": f"{path}/shoes.csv",
            "error": f"{path}/shoes.csv: is a binary file, not CSV text",
        }
    ]


def _recording(seconds: int, speed_mps: float, sport: str) -> Activity:
    """A file's activity: ``seconds`` of samples at a steady speed, without a distance."""
    times = pd.date_range(START, periods=seconds, freq="s", name="time")
    samples = pd.DataFrame({"speed_mps": [speed_mps] * seconds}, index=times)
    return Activity(sport=sport, start_utc=START, samples=samples, timer_s=float(seconds))


def _summary(**values: Any) -> ExportSummary:
    activity = Activity(start_utc=START, source_format="garmin-summary", **values)
    return ExportSummary("summarizedActivities.json #1", activity, "sha")


def test_a_summary_distance_impossible_over_the_recording_time_is_not_merged():
    recording = _recording(600, 3.0, "running")
    # 20 km in 6000 s is a plausible run, but the recording lasted 600 s: 33 m/s
    apply_summary(recording, _summary(sport="running", timer_s=6000.0, distance_m=20_000.0))
    assert recording.distance_m is None
    assert recording.warnings == [
        "the distance (20.00 km in 10.0 min) means 33.3 m/s on average, above 12 m/s; "
        "distance left out"
    ]


def test_a_sport_from_the_summary_is_checked_against_the_recording_speeds():
    recording = _recording(10, 20.0, "generic")  # no sport in the file: 20 m/s passed
    apply_summary(recording, _summary(sport="running", name="Track session"))
    assert recording.sport == "running"
    assert "speed_mps" not in recording.samples  # every sample above 12 m/s: none left
    assert recording.warnings == ["removed 10 speed samples below 0 or above 12 m/s"]


def test_a_summary_adding_only_words_leaves_the_recording_as_it_was():
    recording = _recording(10, 20.0, "cycling")
    table = recording.table
    apply_summary(recording, _summary(sport="cycling", name="Commute", shoe=None))
    assert recording.name == "Commute"
    assert recording.table is table
    assert recording.warnings == []
