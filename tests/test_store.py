from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from stridewise.errors import StoreError
from stridewise.model import Activity
from stridewise.store import SCHEMA_VERSION, Store


def make_activity(
    start: str = "2026-03-01T06:30:00",
    offset_s: int | None = 3600,
    n: int = 5,
    distance_m: float = 1000.0,
) -> Activity:
    start_utc = datetime.fromisoformat(start).replace(tzinfo=UTC)
    index = pd.date_range(start_utc, periods=n, freq="1s", name="time")
    samples = pd.DataFrame(
        {
            "distance_m": np.linspace(0, distance_m, n),
            "heart_rate_bpm": [120.0, np.nan, 122, 123, 124],
        },
        index=index,
    )
    return Activity(
        sport="running",
        start_utc=start_utc,
        samples=samples,
        utc_offset_s=offset_s,
        distance_m=distance_m,
        timer_s=4.0,
        elapsed_s=4.0,
        source_name="a.fit",
        source_format="fit",
        source_sha256="abc",
        surface="road",
        surface_source="file",
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "test.db") as opened:
        yield opened


def test_samples_round_trip_keeps_values_and_missing(store):
    activity = make_activity()
    [activity_id] = store.save_file("me", "a.fit", "abc", [activity])
    loaded = store.load_samples(activity_id)
    expected = activity.samples.set_axis(activity.samples.index.as_unit("ns"))
    pd.testing.assert_frame_equal(loaded, expected, check_freq=False)
    assert np.isnan(loaded["heart_rate_bpm"].iloc[1])


def test_load_samples_of_selected_columns(store):
    [activity_id] = store.save_file("me", "a.fit", "abc", [make_activity()])
    assert list(store.load_samples(activity_id, ["heart_rate_bpm"]).columns) == ["heart_rate_bpm"]


def test_local_date_uses_the_files_offset(store):
    # 23:30 UTC on Sunday is Monday 01:30 in UTC+2: the local calendar decides the day
    store.save_file("me", "a.fit", "abc", [make_activity("2026-03-01T23:30:00", offset_s=7200)])
    frame = store.activities_frame("me")
    assert frame.loc[0, "local_date"] == date(2026, 3, 2)
    assert frame.loc[0, "local_start"] == pd.Timestamp("2026-03-02T01:30:00")


def test_missing_offset_falls_back_to_profile_zone(store):
    store.save_file("me", "a.fit", "abc", [make_activity("2026-07-01T22:30:00", offset_s=None)])
    frame = store.activities_frame("me", default_timezone="Pacific/Auckland")  # UTC+12 in July
    assert frame.loc[0, "local_date"] == date(2026, 7, 2)
    assert store.activities_frame("me").loc[0, "local_date"] == date(2026, 7, 1)  # UTC


def test_since_until_are_inclusive_local_dates(store):
    for day in (1, 2, 3):
        activity = make_activity(f"2026-03-0{day}T10:00:00")
        activity.source_index = day
        store.save_file("me", "a.fit", f"sha{day}", [activity])
    frame = store.activities_frame("me", since=date(2026, 3, 2), until=date(2026, 3, 2))
    assert [d.day for d in frame["local_date"]] == [2]


def test_athletes_are_kept_apart(store):
    store.save_file("me", "a.fit", "abc", [make_activity()])
    store.save_file("coach-client", "a.fit", "abc", [make_activity()])
    assert store.count_activities("me") == 1
    assert store.count_activities("coach-client") == 1
    assert store.file_outcome("me", "abc") == ("imported", None)


def test_a_file_is_saved_all_or_nothing(store):
    good = make_activity()
    clash = make_activity()  # same sha256 and index: violates the unique key mid-file
    with pytest.raises(sqlite3.IntegrityError):
        store.save_file("me", "a.fit", "abc", [good, clash])
    assert store.count_activities() == 0
    assert store.conn.execute("SELECT count(*) FROM samples").fetchone()[0] == 0
    assert store.import_log().empty


def test_schema_is_created_once_and_reopens(tmp_path):
    path = tmp_path / "x.db"
    with Store(path) as first:
        first.save_file("me", "a.fit", "abc", [make_activity()])
        assert first.schema_version == SCHEMA_VERSION
    with Store(path) as again:
        assert again.count_activities() == 1
        assert again.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == (
            SCHEMA_VERSION
        )


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.db"
    with Store(path) as store:
        store.conn.execute("INSERT INTO schema_version VALUES (999)")
    with pytest.raises(StoreError, match="newer than this stridewise"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="notes.db: not a stridewise database, or a damaged one"):
        Store(path)


def test_wellness_counts_a_date_once_when_its_heart_rate_and_sleep_come_apart(tmp_path):
    """A Garmin export gives a day's resting heart rate and its sleep in different files."""
    from stridewise.importers.exports import WellnessDay

    days = [
        WellnessDay("2026-11-01", resting_hr_bpm=50.0),
        WellnessDay("2026-11-01", sleep_s=26_000.0),
        WellnessDay("2026-11-02", resting_hr_bpm=51.0),
    ]
    with Store(tmp_path / "s.db") as store:
        assert store.save_wellness("me", days, "garmin export") == 2
        assert store.save_wellness("me", days, "garmin export") == 0  # nothing new
        frame = store.wellness_frame("me")
    assert frame[["date", "resting_hr_bpm", "sleep_s"]].to_dict("records")[0] == {
        "date": "2026-11-01",
        "resting_hr_bpm": 50.0,
        "sleep_s": 26_000.0,
    }
