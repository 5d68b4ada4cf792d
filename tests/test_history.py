from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from synthetic import easy_heart_rate, run_samples

import stridewise.history as history_module
import stridewise.pipeline as pipeline_module
from stridewise.history import (
    History,
    cadence_vs_baseline,
    daily_load,
    pmc,
    rest_calendar,
    weekly_totals,
)
from stridewise.metrics.run import METRICS_VERSION
from stridewise.model import Activity
from stridewise.pipeline import refresh_run_metrics
from stridewise.profile import Profile
from stridewise.shoes import add_shoe, assign_shoe
from stridewise.store import Store

FIRST = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam, a Monday


def save_run(
    store: Store,
    day: int,
    samples: pd.DataFrame | None = None,
    km: float = 8.0,
    shoe: str | None = None,
    sport: str = "running",
) -> int:
    start = FIRST + timedelta(days=day)
    if samples is not None:
        samples = samples.set_axis(samples.index - samples.index[0] + start)
    activity = Activity(
        sport=sport,
        start_utc=start,
        utc_offset_s=3600,
        distance_m=km * 1000,
        timer_s=km * 330,
        source_name=f"run{day}.fit",
        source_format="fit",
        source_sha256=f"sha{day}",
        shoe=shoe,
        **({"samples": samples} if samples is not None else {}),
    )
    [activity_id] = store.save_file("me", f"run{day}.fit", f"sha{day}", [activity])
    return activity_id


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "history.db") as opened:
        yield opened


def test_reading_computes_missing_metrics_in_memory_and_never_writes(store):
    hard_id = save_run(store, 0, run_samples(45, heart_rate=lambda t: np.where(t < 600, 175, 150)))
    easy_id = save_run(store, 2, run_samples(45, heart_rate=easy_heart_rate))
    summary_id = save_run(store, 4)  # no records: no metrics
    progress = []
    first = History.from_store(
        store, "me", Profile(), progress=lambda d, n: progress.append((d, n))
    )
    assert progress == [(1, 2), (2, 2)]
    assert first.stale_metrics == 2
    assert store.run_metrics_entries("me", METRICS_VERSION) == {}  # a reading never writes
    assert first.runs.loc[hard_id, "warmup_hr_bpm"] == 175.0
    assert first.runs.loc[easy_id, "moving_s"] > 0
    assert first.runs.loc[summary_id, "moving_s"] != first.runs.loc[summary_id, "moving_s"]  # NaN


def test_an_import_stores_the_metrics_and_readings_use_them(store, monkeypatch):
    hard_id = save_run(store, 0, run_samples(45, heart_rate=lambda t: np.where(t < 600, 175, 150)))
    easy_id = save_run(store, 2, run_samples(45, heart_rate=easy_heart_rate))
    save_run(store, 4)  # no records: nothing to store
    first = History.from_store(store, "me", Profile())
    assert refresh_run_metrics(store, "me") == 2
    stored = store.run_metrics_entries("me", METRICS_VERSION)
    assert set(stored) == {hard_id, easy_id}
    assert json.loads(stored[hard_id])["warmup_hr_bpm"] == 175.0

    def no_recompute(samples):
        raise AssertionError("a stored run was computed again")

    monkeypatch.setattr(history_module, "summarize_run", no_recompute)
    again = History.from_store(store, "me", Profile())
    assert again.stale_metrics == 0
    pd.testing.assert_series_equal(again.runs["decoupling_pct"], first.runs["decoupling_pct"])


def test_a_new_metrics_version_is_recomputed_by_the_next_import(store, monkeypatch):
    activity_id = save_run(store, 0, run_samples(45, heart_rate=150.0))
    assert refresh_run_metrics(store, "me") == 1
    for module in (history_module, pipeline_module):
        monkeypatch.setattr(module, "METRICS_VERSION", METRICS_VERSION + 1)
    assert History.from_store(store, "me", Profile()).stale_metrics == 1
    assert refresh_run_metrics(store, "me") == 1
    assert activity_id in store.run_metrics_entries("me", METRICS_VERSION + 1)
    assert store.run_metrics_entries("me", METRICS_VERSION) == {}


def test_deleting_an_activity_deletes_its_metrics(store):
    activity_id = save_run(store, 0, run_samples(30, heart_rate=150.0))
    refresh_run_metrics(store, "me")
    store.conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))
    assert store.conn.execute("SELECT count(*) FROM run_metrics").fetchone()[0] == 0


def test_max_hr_is_estimated_from_records_and_reported(store):
    for day in range(3):  # 3 x 60 min: 99.5th percentile of the heart rates
        save_run(store, day, run_samples(60, heart_rate=lambda t: 140 + 45 * (t > 3580)))
    history = History.from_store(store, "me", Profile())
    assert history.heart_rates.max_hr == 185.0
    assert history.estimated["max_hr"]["value"] == 185
    assert "99.5th percentile of 3 h" in history.estimated["max_hr"]["how"]
    given = History.from_store(store, "me", Profile(max_hr=192))
    assert given.heart_rates.max_hr == 192 and given.estimated == {}


def test_resting_hr_from_the_watchs_daily_records(store):
    save_run(store, 0, run_samples(40, heart_rate=150.0))
    store.conn.executemany(
        "INSERT INTO wellness (athlete, date, resting_hr_bpm, source) VALUES ('me', ?, ?, 'uds')",
        [("2026-02-27", 50.0), ("2026-02-28", 54.0), ("2026-03-01", 52.0)],
    )
    history = History.from_store(store, "me", Profile(max_hr=190))
    assert history.heart_rates.resting_hr == 52.0
    assert "median of 3 daily resting heart rates" in history.estimated["resting_hr"]["how"]
    assert history.load_choice.model == "banister"


def test_without_resting_hr_the_load_model_is_edwards_trimp(store):
    save_run(store, 0, run_samples(40, heart_rate=150.0))
    history = History.from_store(store, "me", Profile(max_hr=190))
    assert history.load_choice.model == "edwards"
    # 40 min at 150/190 = 79 % of max: zone 3
    assert history.runs["load"].iloc[0] == pytest.approx(40 * 3)


def test_shoes_come_from_the_shoes_table(store):
    named = save_run(store, 0, shoe="pegasus 40")
    unnamed = save_run(store, 1)
    moved = save_run(store, 2, shoe="Pegasus 40")
    add_shoe(store, "me", "Pegasus 40", initial_km=50, limit_km=700)
    add_shoe(store, "me", "Clifton", default=True, since=date(2026, 3, 1))
    assign_shoe(store, "me", "Clifton", activity_id=moved)
    history = History.from_store(store, "me", Profile())
    assert history.runs.loc[[named, unnamed, moved], "shoe"].tolist() == [
        "Pegasus 40",
        "Clifton",
        "Clifton",
    ]
    pegasus = history.shoes.set_index("name").loc["Pegasus 40"]
    assert (pegasus["initial_km"], pegasus["limit_km"], pegasus["retired"]) == (50.0, 700.0, False)


def test_other_sports_are_not_runs(store):
    save_run(store, 0)
    save_run(store, 1, sport="cycling", km=30)
    history = History.from_store(store, "me", Profile())
    assert len(history.runs) == 1
    # a day with only a bike ride is not a rest day, and not a running day either (RULES.md)
    assert history.calendar["rest"].tolist() == [False, False]
    assert history.calendar["ran"].tolist() == [True, False]
    assert history.calendar["cross_only"].tolist() == [False, True]


def test_report_accessors_cover_the_whole_calendar(store):
    for day in (0, 1, 3, 6, 7):
        save_run(store, day, run_samples(40, heart_rate=easy_heart_rate, cadence=172.0))
    history = History.from_store(store, "me", Profile(max_hr=190, resting_hr=50))
    load = daily_load(history)
    assert len(load) == 8 and load.index[0] == pd.Timestamp("2026-03-02")
    assert (load == 0).sum() == 3
    assert list(pmc(history).columns) == ["load", "ctl", "atl", "tsb", "ramp"]
    assert weekly_totals(history)["week"].tolist() == ["2026-W10", "2026-W11"]
    assert rest_calendar(history)["rest"].sum() == 3
    assert cadence_vs_baseline(history)["cadence_spm"].tolist() == [172.0] * 5


def test_truncated_history_forgets_later_runs(store):
    for day in range(5):
        save_run(store, day)
    history = History.from_store(store, "me", Profile()).truncated(date(2026, 3, 4))
    assert history.end == pd.Timestamp("2026-03-04")
    assert len(history.runs) == 3


def test_a_history_is_cut_once_per_day(store):
    """The report's week and its pain associations both read the history as it stood at the
    week's end: the second reader gets the same cut, with its runs and loads already worked out."""
    for day in range(5):
        save_run(store, day)
    history = History.from_store(store, "me", Profile())
    cut = history.truncated(date(2026, 3, 4))
    assert history.truncated(date(2026, 3, 4)) is cut
    assert len(history.truncated(date(2026, 3, 3)).runs) == 2
    assert len(cut.runs) == 3


def test_values_from_an_export_fill_what_the_profile_leaves_unset(store):
    save_run(store, 0, run_samples(40, heart_rate=150.0))
    store.save_athlete_facts("me", {"birth_year": 1986, "sex": "female"}, "Garmin export")
    history = History.from_store(store, "me", Profile())
    assert (history.profile.birth_year, history.profile.sex) == (1986, "female")
    assert history.estimated["birth_year"]["how"].startswith("from your Garmin export")
    # the runner's own profile wins
    own = History.from_store(store, "me", Profile(sex="male"))
    assert own.profile.sex == "male" and "sex" not in own.profile_sources


def test_from_frames_gives_a_missing_offset_the_profiles_zone_as_the_store_does():
    # 23:30 UTC on 1 July: 01:30 the next day in Amsterdam (UTC+2 in summer)
    frame = pd.DataFrame(
        {
            "start_utc": ["2026-07-01T23:30:00.000000Z", "2026-07-01T22:00:00.000000Z"],
            "utc_offset_s": [None, 3600],
            "distance_m": [5000.0, 6000.0],
            "timer_s": [1500.0, 1800.0],
        }
    )
    history = History.from_frames(frame, profile=Profile(timezone="Europe/Amsterdam"))
    assert list(history.activities["local_date"]) == [date(2026, 7, 1), date(2026, 7, 2)]
    # oldest first by the UTC start, as the store orders them
    assert list(history.activities["id"]) == [2, 1]
    without_zone = History.from_frames(frame)
    assert list(without_zone.activities["local_date"]) == [date(2026, 7, 1), date(2026, 7, 1)]


def test_from_frames_gives_summary_columns_one_dtype_whatever_the_source_gave():
    frame = pd.DataFrame(
        {"local_date": ["2026-03-02"], "distance_m": [5000.0], "rpe": [None], "device": [np.nan]}
    )
    frame["rpe"] = frame["rpe"].astype(object)
    activities = History.from_frames(frame).activities
    assert activities["rpe"].dtype == "float64"
    assert activities["device"].dtype == object and activities["device"].iloc[0] is None


def test_from_store_and_from_frames_of_the_same_tables_agree(store):
    first = save_run(store, 0, shoe="Pegasus 40")
    save_run(store, 1)
    add_shoe(store, "me", "Clifton 9", default=True, since=date(2026, 3, 1))
    assign_shoe(store, "me", "Clifton 9", activity_id=first)
    profile = Profile(timezone="Europe/Amsterdam")
    from_store = History.from_store(store, "me", profile)
    from stridewise.history import run_metric_entries
    from stridewise.shoes import ShoeBook

    raw = store.activities_frame("me").drop(columns=["local_start", "local_date"])
    entries, _ = run_metric_entries(store, "me", store.activities_frame("me"))
    from_frames = History.from_frames(
        raw,
        metric_entries=entries,
        shoe_book=ShoeBook.from_store(store, "me"),
        wellness=store.wellness_frame("me"),
        profile=profile,
    )
    pd.testing.assert_frame_equal(from_store.activities, from_frames.activities)
    assert list(from_store.activities["shoe"]) == ["Clifton 9", "Clifton 9"]
    pd.testing.assert_frame_equal(from_store.shoes, from_frames.shoes)
