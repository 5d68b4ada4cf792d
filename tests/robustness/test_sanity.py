"""Values that make no physical sense are cleaned (with a counted warning) or refused with a reason.

Hand-made activities for each rule of the pipeline's cleaning (``stridewise.pipeline.cleaning``),
and GPX/TCX files read end to end (``read_activities`` applies the cleaning) to check that a GPS
jump adds no distance.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stridewise.errors import CorruptFile
from stridewise.geometry import gps_jumps, haversine_m
from stridewise.model import Activity
from stridewise.pipeline import read_activities
from stridewise.pipeline.cleaning import clean_activities, clean_activity

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
START = datetime(2026, 5, 30, 7, tzinfo=UTC)


def _run(sport: str = "running", **columns: list[float]) -> Activity:
    """An activity with 1 Hz samples of the given columns, from START."""
    count = len(next(iter(columns.values()))) if columns else 0
    index = pd.DatetimeIndex(
        [START + timedelta(seconds=s) for s in range(count)], name="time"
    ).as_unit("ns")
    return Activity(
        sport=sport,
        start_utc=START,
        samples=pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in columns.items()}, index),
        elapsed_s=float(max(count - 1, 0)),
        timer_s=float(max(count - 1, 0)),
    )


def _clean(activity: Activity) -> Activity:
    clean_activity(activity, now=NOW)
    return activity


def test_a_clean_activity_is_left_as_it_was() -> None:
    run = _run(heart_rate_bpm=[120, 130, 140], speed_mps=[3.0, 3.1, 3.2])
    table = run.table
    assert _clean(run).table is table
    assert run.warnings == []


def test_heart_rates_outside_25_to_250_become_nan_with_a_count() -> None:
    run = _clean(_run(heart_rate_bpm=[140, 255, 20, 150, 0, 251]))
    assert run.samples["heart_rate_bpm"].isna().tolist() == [False, True, True, False, True, True]
    # 0 is "no reading": cleared too, but not counted as an impossible value
    assert run.warnings == ["removed 3 heart-rate samples outside 25-250 bpm"]


def test_summary_heart_rate_out_of_range_is_taken_from_the_cleaned_samples() -> None:
    run = _run(heart_rate_bpm=[140, 255, 160])
    run.avg_heart_rate_bpm, run.max_heart_rate_bpm = 185.0, 255.0
    _clean(run)
    assert (run.avg_heart_rate_bpm, run.max_heart_rate_bpm) == (185.0, 160.0)
    assert run.warnings[-1] == (
        "the file's maximum heart rate (255 bpm) is outside 25-250 bpm; "
        "taken from the samples instead (160 bpm)"
    )


def test_running_speed_above_12_mps_is_removed_but_not_cycling_speed() -> None:
    run = _clean(_run(speed_mps=[3.0, 12.5, -1.0, 11.9]))
    assert run.samples["speed_mps"].isna().tolist() == [False, True, True, False]
    assert run.warnings == ["removed 2 speed samples below 0 or above 12 m/s"]
    ride = _clean(_run("cycling", speed_mps=[3.0, 12.5, 20.0]))
    assert ride.samples["speed_mps"].notna().all() and ride.warnings == []


def test_an_average_speed_above_the_limit_leaves_the_distance_unknown() -> None:
    run = _run(speed_mps=[3.0, 3.0])
    run.distance_m, run.timer_s, run.elapsed_s = 42_195.0, 600.0, 600.0
    _clean(run)
    assert run.distance_m is None
    assert run.warnings == [
        "the distance (42.20 km in 10.0 min) means 70.3 m/s on average, above 12 m/s; "
        "distance left out"
    ]


def test_negative_distances_are_removed() -> None:
    run = _run(distance_m=[0.0, -3.0, 6.0])
    run.distance_m = -5.0
    _clean(run)
    assert run.samples["distance_m"].isna().tolist() == [False, True, False]
    assert run.distance_m is None
    assert run.warnings == [
        "removed 1 negative distance",
        "the file's total distance (-5) is impossible; left out",
    ]


def test_infinite_sample_values_are_removed() -> None:
    run = _clean(_run(power_w=[200.0, math.inf, 210.0]))
    assert run.samples["power_w"].isna().tolist() == [False, True, False]
    assert run.warnings == ["removed 1 infinite sample value"]


def test_a_column_left_without_values_is_dropped() -> None:
    run = _clean(_run(heart_rate_bpm=[300.0, 300.0], speed_mps=[3.0, 3.0]))
    assert list(run.samples.columns) == ["speed_mps"]


def test_samples_timed_in_the_future_are_removed() -> None:
    run = _run(speed_mps=[3.0, 3.0, 3.0])
    samples = run.samples  # a frame of the samples: changed, then assigned back
    late = samples.index[-1] + pd.Timedelta(days=400)
    samples.index = samples.index[:-1].append(pd.DatetimeIndex([late], name="time"))
    run.samples = samples
    _clean(run)
    assert len(run.samples) == 2
    assert run.warnings == ["removed 1 sample timed before 1990 or in the future"]


# --- positions -----------------------------------------------------------------------------------

#: Due north at 3 m/s from 52°N 4.5°E, 1 Hz [degree of latitude per second].
STEP_DEG = math.degrees(3.0 / 6_371_008.8)


def _track(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seconds = np.arange(count, dtype=float)
    return seconds, 52.0 + STEP_DEG * seconds, np.full(count, 4.5)


def test_a_single_spike_is_a_jump_and_its_neighbours_are_not() -> None:
    seconds, lat, lon = _track(30)
    lat[12] += 0.01  # 1.1 km away for one second
    jumps = gps_jumps(seconds, lat, lon, 50.0)
    assert np.flatnonzero(jumps).tolist() == [12]


def test_a_wrong_first_position_is_a_jump() -> None:
    seconds, lat, lon = _track(30)
    lat[0] = 10.0
    assert np.flatnonzero(gps_jumps(seconds, lat, lon, 50.0)).tolist() == [0]


def test_a_good_first_position_before_a_spike_stays() -> None:
    seconds, lat, lon = _track(30)
    lat[1] += 0.01
    assert np.flatnonzero(gps_jumps(seconds, lat, lon, 50.0)).tolist() == [1]


def test_a_lasting_relocation_is_taken_as_real_after_ten_points() -> None:
    seconds, lat, lon = _track(40)
    lat[20:] += 0.05  # the receiver found itself 5.5 km away and stayed there
    assert np.flatnonzero(gps_jumps(seconds, lat, lon, 50.0)).tolist() == []


def test_jumps_and_null_island_positions_are_removed_with_counts() -> None:
    _, lat, lon = _track(30)
    lat[12] += 0.01
    lat[3], lon[3] = 0.0, 0.0
    run = _clean(_run(lat_deg=lat.tolist(), lon_deg=lon.tolist()))
    assert np.flatnonzero(run.samples["lat_deg"].isna()).tolist() == [3, 12]
    assert run.warnings == [
        "removed 1 position at 0°, 0° (no GPS fix)",
        "removed 1 GPS jump (a position reached faster than 50 m/s)",
    ]


def test_positions_of_a_virtual_ride_are_not_judged() -> None:
    _, lat, lon = _track(30)
    lat[12] += 1.0  # Zwift teleports between its worlds
    ride = _run("cycling", lat_deg=lat.tolist(), lon_deg=lon.tolist())
    ride.sub_sport = "virtual_activity"
    assert _clean(ride).samples["lat_deg"].notna().all()


def _gpx(points: list[tuple[float, float]], sport: str = "running") -> bytes:
    rows = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>'
        f"{(START + timedelta(seconds=second)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for second, (lat, lon) in enumerate(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>{sport}</type><trkseg>{rows}</trkseg></trk></gpx>"
    ).encode()


def test_a_gps_jump_in_a_gpx_file_adds_no_distance(tmp_path: Path) -> None:
    _, lat, lon = _track(120)
    clean = tmp_path / "clean.gpx"
    clean.write_bytes(_gpx(list(zip(lat, lon, strict=True))))
    lat[60] += 0.01
    spiked = tmp_path / "spiked.gpx"
    spiked.write_bytes(_gpx(list(zip(lat, lon, strict=True))))
    (expected,), (activity,) = read_activities(clean), read_activities(spiked)
    # the spike's neighbours are 2 s apart: their step is the one counted instead
    assert activity.distance_m == pytest.approx(expected.distance_m, abs=0.01)
    assert activity.distance_m == pytest.approx(119 * 3.0, rel=1e-3)
    assert "removed 1 GPS jump (a position reached faster than 50 m/s)" in activity.warnings
    assert math.isnan(activity.samples["lat_deg"].iloc[60])


def test_a_gps_jump_in_a_tcx_file_without_distances_adds_no_distance(tmp_path: Path) -> None:
    _, lat, lon = _track(120)
    lat[30] += 0.02
    points = "".join(
        f"<Trackpoint><Time>{(START + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        f"</Time><Position><LatitudeDegrees>{la:.7f}</LatitudeDegrees><LongitudeDegrees>"
        f"{lo:.7f}</LongitudeDegrees></Position></Trackpoint>"
        for i, (la, lo) in enumerate(zip(lat, lon, strict=True))
    )
    path = tmp_path / "spiked.tcx"
    path.write_text(
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f"<Id>{START.strftime('%Y-%m-%dT%H:%M:%SZ')}</Id><Lap><Track>{points}</Track></Lap>"
        "</Activity></Activities></TrainingCenterDatabase>"
    )
    (activity,) = read_activities(path)
    straight = float(haversine_m(lat[0], lon[0], lat[-1], lon[-1]))
    assert activity.distance_m == pytest.approx(straight, rel=1e-3)


# --- refused -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "elapsed_s", "reason"),
    [
        (
            datetime(1989, 12, 31, 23, tzinfo=UTC),
            600.0,
            "starts on 1989-12-31, before 1990 (a clock not set, or a mistyped year)",
        ),
        (
            NOW + timedelta(days=2),
            600.0,
            "starts on 2026-06-03, in the future (a wrong clock, or a mistyped year)",
        ),
        (
            START,
            50 * 3600.0,
            "lasts 50.0 hours (elapsed time), more than 48 hours "
            "(a recording left running or a broken clock)",
        ),
    ],
)
def test_impossible_starts_and_durations_refuse_the_file(
    start: datetime, elapsed_s: float, reason: str
) -> None:
    activity = Activity(sport="running", start_utc=start, elapsed_s=elapsed_s)
    with pytest.raises(CorruptFile) as refused:
        clean_activities([activity], "watch.fit", now=NOW)
    assert str(refused.value) == f"watch.fit: {reason}; refused"


def test_a_start_within_a_day_ahead_is_accepted() -> None:
    early = Activity(sport="running", start_utc=NOW + timedelta(hours=20), elapsed_s=60.0)
    assert clean_activities([early], "watch.fit", now=NOW) == [early]


def test_one_refused_activity_of_several_is_left_out_with_a_warning() -> None:
    good = [Activity(sport="running", start_utc=START + timedelta(days=d)) for d in (0, 1)]
    bad = Activity(sport="running", start_utc=datetime(1985, 6, 1, 12, tzinfo=UTC))
    kept = clean_activities([good[0], bad, good[1]], "log.csv", now=NOW)
    assert kept == good
    assert good[0].warnings == [
        "activity 2 of 3 starts on 1985-06-01, before 1990 (a clock not set, or a mistyped "
        "year); left out"
    ]


def test_a_log_row_dated_1985_is_refused_through_read_activities(tmp_path: Path) -> None:
    path = tmp_path / "old-log.csv"
    path.write_text("date,distance_km,duration\n1985-06-01,10,0:50:00\n")
    with pytest.raises(CorruptFile) as refused:
        read_activities(path)
    assert str(refused.value) == (
        "old-log.csv: starts on 1985-06-01, before 1990 (a clock not set, or a mistyped year); "
        "refused"
    )
