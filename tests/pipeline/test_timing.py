"""The cleaning step's repairs of time, offsets and vehicles, on hand-built activities."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from synthetic import run_samples

from stridewise.importers.track import TrackPoints, spread_jittered_times
from stridewise.model import Activity
from stridewise.pipeline.cleaning import clean_activities
from stridewise.pipeline.timing import (
    SPLIT_GAP_S,
    check_offset,
    offset_text,
    repair_clock_jump,
    settle_times,
    split_at_gaps,
)
from stridewise.pipeline.vehicles import VEHICLE_JOIN_S, VEHICLE_MIN_S, vehicle_stretches

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _with_gap(gap_s: float, at: int = 60, minutes: float = 30.0) -> pd.DataFrame:
    """A 3 m/s run whose records after ``at`` are ``gap_s`` later."""
    samples = run_samples(minutes)
    nanoseconds = samples.index.as_unit("ns").asi8.copy()
    nanoseconds[at:] += int(gap_s * 1e9)
    index = pd.DatetimeIndex(nanoseconds.view("datetime64[ns]"), name="time").tz_localize("UTC")
    return samples.set_axis(index, axis=0)


def _activity(samples: pd.DataFrame, elapsed_s: float, **values) -> Activity:
    return Activity(
        sport="running", start_utc=samples.index[0].to_pydatetime(), samples=samples,
        elapsed_s=elapsed_s, timer_s=values.pop("timer_s", elapsed_s), **values,
    )  # fmt: skip


# --- clock jumps ---------------------------------------------------------------------------------


def test_a_jump_the_device_did_not_count_moves_the_start():
    activity = _activity(_with_gap(3 * 3600.0), elapsed_s=1800.0)
    repair_clock_jump(activity)
    assert activity.start_utc == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert activity.samples.index[-1] - activity.samples.index[0] == pd.Timedelta(seconds=1799)
    assert activity.samples.index.is_monotonic_increasing


def test_a_pause_the_device_counted_is_no_clock_jump():
    samples = _with_gap(3 * 3600.0)
    activity = _activity(samples, elapsed_s=1800.0 + 3 * 3600.0, timer_s=1800.0)
    table = activity.table
    repair_clock_jump(activity)
    assert activity.start_utc == START
    assert activity.table is table
    assert activity.warnings == []


def test_a_pause_an_app_left_out_of_its_elapsed_time_is_no_clock_jump():
    samples = _with_gap(3 * 3600.0)  # the distance stands still across the gap: a pause
    samples["distance_m"] = np.concatenate(
        (samples["distance_m"].iloc[:60], samples["distance_m"].iloc[60:] - 3.0)
    )
    activity = _activity(samples, elapsed_s=1800.0)  # elapsed written as the timer time
    repair_clock_jump(activity)
    assert activity.start_utc == START
    assert activity.warnings == []


# --- outings weeks apart -------------------------------------------------------------------------


def test_two_outings_a_day_apart_become_two_activities_with_their_own_totals():
    samples = _with_gap(24 * 3600.0, at=1200)  # 20 min, then 10 min the next day
    activity = _activity(samples, elapsed_s=24 * 3600.0 + 1800.0, distance_m=5400.0)
    first, second = split_at_gaps(activity)
    assert (first.start_utc, first.elapsed_s, first.distance_m) == (START, 1199.0, 3597.0)
    assert second.start_utc == datetime(2026, 3, 3, 7, 20, tzinfo=UTC)
    assert (second.elapsed_s, second.timer_s, second.distance_m) == (599.0, 599.0, 1797.0)
    assert first.warnings == [
        "the records have a gap of 24.0 hours (2 outings in one file); each is stored as an "
        "activity of its own, with its totals from its own records"
    ]


def test_a_gap_shorter_than_the_split_gap_stays_one_outing():
    activity = _activity(_with_gap(SPLIT_GAP_S - 60.0), elapsed_s=SPLIT_GAP_S + 1800.0)
    assert split_at_gaps(activity) == [activity]


def test_a_file_of_slivers_only_is_refused():
    samples = _with_gap(SPLIT_GAP_S, at=30, minutes=1.0)  # 30 s, then 30 s hours later
    activity = _activity(samples, elapsed_s=SPLIT_GAP_S + 60.0)
    with pytest.raises(Exception, match=r"^a\.fit: holds only recordings shorter than a minute"):
        clean_activities([activity], "a.fit", now=datetime(2026, 4, 1, tzinfo=UTC))


def test_split_parts_of_a_file_are_numbered_afresh():
    samples = _with_gap(24 * 3600.0, at=1200)
    activity = _activity(samples, elapsed_s=24 * 3600.0 + 1800.0)
    activity.source_index = 0
    kept = clean_activities([activity], "a.fit", now=datetime(2026, 4, 1, tzinfo=UTC))
    assert [a.source_index for a in kept] == [0, 1]


# --- elapsed, timer, moving ----------------------------------------------------------------------


def test_elapsed_without_records_to_fall_back_on_becomes_the_timer_time():
    activity = Activity(sport="running", start_utc=START, elapsed_s=600.0, timer_s=900.0)
    warnings: list[str] = []
    settle_times(activity, warnings)
    assert activity.elapsed_s == 900.0
    assert warnings == [
        "the file's elapsed time (600 s) is shorter than its timer time (900 s); elapsed time "
        "set to the timer time (the records do not cover it)"
    ]


def test_a_moving_time_longer_than_the_timer_becomes_the_timer_time():
    activity = Activity(sport="running", start_utc=START, timer_s=900.0, moving_s=1000.0)
    warnings: list[str] = []
    settle_times(activity, warnings)
    assert activity.moving_s == 900.0
    assert warnings == [
        "the file's moving time (1000 s) is longer than its timer time (900 s); moving time set "
        "to the timer time"
    ]


# --- offsets -------------------------------------------------------------------------------------


def _at(lat: float, lon: float) -> pd.DataFrame:
    samples = run_samples(5.0)
    return samples.assign(lat_deg=lat, lon_deg=lon)


def test_an_offset_within_an_hour_of_the_positions_zone_is_kept():
    activity = _activity(_at(52.37, 4.90), 300.0, utc_offset_s=3600 + 1800)  # Amsterdam, +1
    warnings: list[str] = []
    check_offset(activity, warnings)
    assert (activity.utc_offset_s, warnings) == (5400, [])


def test_a_first_position_at_zero_zero_is_no_fix_and_tells_no_zone():
    samples = _at(52.37, 4.90)
    samples.iloc[0, samples.columns.get_loc("lat_deg")] = 0.0
    samples.iloc[0, samples.columns.get_loc("lon_deg")] = 0.0
    activity = _activity(samples, 300.0, utc_offset_s=3600)
    warnings: list[str] = []
    check_offset(activity, warnings)
    assert (activity.utc_offset_s, warnings) == (3600, [])


@pytest.mark.parametrize(
    ("offset_s", "text"), [(0, "UTC+00:00"), (19800, "UTC+05:30"), (-18000, "UTC-05:00")]
)
def test_offsets_are_written_with_sign_hours_and_minutes(offset_s, text):
    assert offset_text(offset_s) == text


# --- vehicles ------------------------------------------------------------------------------------


def _speeds(*parts: tuple[float, int]) -> pd.DataFrame:
    speed = np.concatenate([np.full(count, value) for value, count in parts])
    distance = np.concatenate(([0.0], np.cumsum(speed)))
    index = pd.DatetimeIndex(START + pd.to_timedelta(np.arange(len(distance)), "s"), name="time")
    return pd.DataFrame({"distance_m": distance}, index=index)


def test_a_burst_shorter_than_the_vehicle_minimum_is_gps_noise():
    samples = _speeds((3.0, 100), (20.0, int(VEHICLE_MIN_S) - 1), (3.0, 100))
    assert vehicle_stretches(samples) == []


def test_fast_stretches_close_together_are_one_ride():
    gap = int(VEHICLE_JOIN_S) - 5  # a car waiting at a crossing
    samples = _speeds((3.0, 100), (15.0, 20), (0.0, gap), (15.0, 20), (3.0, 100))
    [ride] = vehicle_stretches(samples)
    assert (ride.first, ride.last) == (101, 100 + 20 + gap + 20)
    assert ride.distance_m == 600.0
    assert ride.duration_s == 40 + gap


# --- clock jitter (the readers' side) ------------------------------------------------------------


def test_times_stepping_back_are_spread_between_their_neighbours():
    assert spread_jittered_times(np.array([0, 5, 3, 8, 7, 7, 12, 10])).tolist() == [
        0, 5, 6, 8, 9, 10, 12, 12
    ]  # fmt: skip


def test_a_track_written_out_of_order_is_sorted_by_time():
    seconds = np.array([600, 601, 602, 0, 1, 2])
    track = TrackPoints(seconds * 10**6, {"lat_deg": np.arange(6.0)})
    warnings: list[str] = []
    ordered = track.in_time_order(warnings)
    assert ordered.columns["lat_deg"].tolist() == [3.0, 4.0, 5.0, 0.0, 1.0, 2.0]
    assert warnings == ["1 points were out of time order (by up to 602 s) and were sorted by time"]
