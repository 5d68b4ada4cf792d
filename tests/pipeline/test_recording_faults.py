"""Each fault of real recordings (issue 14), on a file built like it: what is stored, and what the
import says. The fixtures come from tests/recording_faults.py (also written out by
scripts/make_fault_fixtures.py); distances are asserted within 1 % of the path in file order."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from recording_faults import (
    Fixture,
    elapsed_shorter_than_timer,
    gpx_run_with_standstill,
    movescount_same_outing,
    offset_contradicts_position,
    one_file_two_outings,
    phone_run_with_car_ride,
    runs_without_a_sport,
    sports_tracker_clock_jitter,
    surfaces_from_altitude,
    treadmill_moving_time,
    watch_clock_jump,
)

from stridewise.pipeline import ImportReport, import_paths
from stridewise.profile import Profile
from stridewise.store import Store
from stridewise.views import activity_rows


def _import(store: Store, folder: Path, *fixtures: Fixture) -> ImportReport:
    paths = []
    for fixture in fixtures:
        path = folder / fixture.name
        path.write_bytes(fixture.data)
        paths.append(path)
    return import_paths(store, paths, jobs=1)


def _rows(store: Store) -> list[dict]:
    return activity_rows(store, "me", Profile())


def _warnings(report: ImportReport, name: str) -> list[str]:
    return [w["warning"] for w in report.warnings if Path(w["path"]).name == name]


# 1 ------------------------------------------------------------------------------------------------


def test_clock_jitter_keeps_the_path_in_file_order(tmp_path):
    jitter = sports_tracker_clock_jitter()
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, jitter)
        [row] = _rows(store)
    assert row["distance_km"] * 1000 == pytest.approx(jitter.distance_m, rel=0.01)
    assert row["local_start"] == jitter.local_start
    assert _warnings(report, jitter.name) == [
        f"{jitter.notes['backward_steps']} point times stepped back by up to "
        f"{jitter.notes['largest_step_back_s']} s (clock jitter); the points were kept in file "
        "order and those times spread between their neighbours"
    ]


def test_the_jittered_outing_and_its_other_recording_are_one_run(tmp_path):
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, sports_tracker_clock_jitter(), movescount_same_outing())
        rows = _rows(store)
    assert (report.imported, report.merged) == (1, 1)
    assert len(rows) == 1


# 2 ------------------------------------------------------------------------------------------------


def test_a_car_ride_inside_a_run_is_cut_from_distance_and_moving_time(tmp_path):
    run = phone_run_with_car_ride()
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, run)
        [row] = _rows(store)
        samples = store.load_samples(row["id"])
    car_s = run.notes["car_s"]
    assert row["distance_km"] * 1000 == pytest.approx(run.distance_m, rel=0.01)
    assert run.notes["recorded_m"] > 1.3 * run.distance_m  # the car was in the file
    assert row["elapsed_s"] == run.elapsed_s
    assert row["duration_s"] == run.elapsed_s - car_s
    assert row["moving_s"] == pytest.approx(run.elapsed_s - car_s, abs=2)
    assert len(samples) == run.elapsed_s + 1 - car_s
    assert samples["distance_m"].iloc[-1] == pytest.approx(run.distance_m, rel=0.01)
    car_start = run.notes["car_start"] + timedelta(hours=2)
    car_m = run.notes["car_m"]
    assert _warnings(report, run.name) == [
        f"a stretch of {car_m / 1000:.2f} km in 2 min 19 s ({car_m / car_s:.1f} m/s on average), "
        f"from {car_start:%Y-%m-%d %H:%M} local time, is faster than anyone runs (a vehicle); "
        "left out of distance and moving time"
    ]


# 3 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jump", "record", "stale_local"),
    [
        (timedelta(hours=17, minutes=43), 32, "2019-03-09 12:22"),
        (timedelta(hours=34, minutes=35), 80, "2019-03-08 19:30"),
    ],
)
def test_a_watch_clock_jump_keeps_the_true_start_and_date(tmp_path, jump, record, stale_local):
    run = watch_clock_jump(jump, record)
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, run)
        [row] = _rows(store)
        samples = store.load_samples(row["id"])
    assert row["local_start"] == run.local_start == "2019-03-10T06:05:00"
    assert row["local_date"] == "2019-03-10"
    assert row["distance_km"] == 8.0
    assert (row["elapsed_s"], row["duration_s"]) == (2700.0, 2700.0)
    assert samples.index[-1] - samples.index[0] == timedelta(seconds=2700)
    hours, minutes = divmod(round(jump.total_seconds() / 60), 60)
    assert _warnings(report, run.name) == [
        f"the clock jumped {hours} h {minutes} min forward at record {record} while distance "
        "and timer ran on (a watch clock set by GPS during the run); the clock after the jump "
        f"is taken as true: the start moved from {stale_local} local time to 2019-03-10 06:05 "
        "local time"
    ]


# 4 ------------------------------------------------------------------------------------------------


def test_the_position_wins_over_a_contradicting_file_offset(tmp_path):
    run = offset_contradicts_position()
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, run)
        [row] = _rows(store)
    assert row["utc_offset_s"] == run.utc_offset_s == -5 * 3600
    assert row["local_start"] == run.local_start == "2020-01-15T12:14:00"
    assert _warnings(report, run.name) == [
        "the file's UTC offset (UTC+01:00) disagrees with the time zone where it was recorded "
        "(America/New_York, UTC-05:00); the position's is used: local start 2020-01-15 12:14"
    ]


# 7, 8 -------------------------------------------------------------------------------------------


def test_one_file_holding_two_outings_keeps_the_ride_and_drops_the_sliver(tmp_path):
    ride = one_file_two_outings()
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, ride)
        [row] = _rows(store)
    assert report.failed == []
    assert row["sport"] == ride.sport == "cycling"
    assert row["local_start"] == ride.local_start == "2021-05-01T07:12:00"
    assert row["distance_km"] * 1000 == pytest.approx(ride.distance_m, rel=0.01)
    assert (row["elapsed_s"], row["duration_s"]) == (7200.0, 7200.0)
    assert _warnings(report, ride.name) == [
        "the records have a gap of 668.2 hours: not one outing; the one of 2021-05-01 07:12 "
        "local time is kept, with its totals from its own records",
        "left out 4 s of recording at 2021-04-03 11:00 local time, too short to be an outing",
    ]


def test_an_elapsed_time_shorter_than_the_timer_is_never_stored(tmp_path):
    ride = elapsed_shorter_than_timer()
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, ride)
        [row] = _rows(store)
    assert (row["elapsed_s"], row["duration_s"]) == (2760.0, 2760.0)
    assert _warnings(report, ride.name) == [
        "the file's elapsed time (1632 s) is shorter than its timer time (2760 s); elapsed time "
        "taken from the records (2760 s)"
    ]


# 9 ------------------------------------------------------------------------------------------------


def test_the_devices_moving_time_is_stored_beside_the_timer(tmp_path):
    treadmill = treadmill_moving_time()
    with Store(tmp_path / "db.sqlite") as store:
        _import(store, tmp_path, treadmill)
        [row] = _rows(store)
    assert (row["duration_s"], row["moving_s"]) == (3600.0, 2300.0)
    assert (row["surface"], row["surface_source"]) == ("treadmill", "file")


def test_a_file_without_moving_time_gets_the_records_moving_time(tmp_path):
    run = gpx_run_with_standstill()
    with Store(tmp_path / "db.sqlite") as store:
        _import(store, tmp_path, run)
        [row] = _rows(store)
    assert row["duration_s"] == 2700.0  # the timer ran at the crossing
    assert row["moving_s"] == pytest.approx(2400.0, abs=2)  # standing still is not moving


def test_an_exports_moving_time_wins_over_the_records_and_keeps_the_altitude_source(tmp_path):
    from datetime import UTC, datetime

    from exports import GarminActivity, GarminExportSpec, Run, garmin_export_files, write_tree

    run = Run(datetime(2026, 5, 3, 6, 0, tzinfo=UTC), 1800, 6000.0)  # a Forerunner 945's FIT
    path = write_tree(
        garmin_export_files(GarminExportSpec([GarminActivity(run, 1)])),
        tmp_path / "garmin.zip",
        as_zip=True,
    )
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [path], jobs=1)
        [row] = _rows(store)
    # the summary's movingDuration (1,797 s) over the records' 1,800 s; the summary merged into
    # the recording does not lose what the recording's own records said of its altitude
    assert (row["duration_s"], row["moving_s"], row["altitude_source"]) == (
        1800.0, 1797.0, "barometric"
    )  # fmt: skip


# 10 -----------------------------------------------------------------------------------------------


def test_the_sport_comes_from_the_app_the_code_or_the_name(tmp_path):
    fixtures = runs_without_a_sport()
    with Store(tmp_path / "db.sqlite") as store:
        report = _import(store, tmp_path, *fixtures)
        rows = _rows(store)
    assert [row["sport"] for row in rows] == [f.sport for f in fixtures]
    assert report.no_sport == 1
    assert _warnings(report, "nike-run-club-without-type.gpx") == [
        "the file names no sport; running taken from the app that wrote it (Nike Run Club)"
    ]
    assert _warnings(report, "named-morning-run-without-type.gpx") == [
        "the file names no sport; running taken from its name ('Sexta-Feira Corrida Matutina')"
    ]
    assert _warnings(report, "strava-numeric-type-10.gpx") == []  # Strava's code for a walk


def test_import_sport_names_what_the_files_do_not(tmp_path):
    fixtures = runs_without_a_sport()
    from stridewise.pipeline.sports import sport_choice

    with Store(tmp_path / "db.sqlite") as store:
        for fixture in fixtures:
            (tmp_path / fixture.name).write_bytes(fixture.data)
        report = import_paths(store, [tmp_path], jobs=1, sport=sport_choice("run"))
        rows = _rows(store)
    # the file's own sport still wins (the walk); only what names none takes the given one
    assert [row["sport"] for row in rows] == ["running", "walking", "running", "running"]
    assert report.no_sport == 0


# 11 -----------------------------------------------------------------------------------------------


def test_the_surface_is_inferred_only_from_barometric_altitude(tmp_path):
    fixtures = surfaces_from_altitude()
    with Store(tmp_path / "db.sqlite") as store:
        _import(store, tmp_path, *fixtures)
        rows = _rows(store)
    assert [(r["surface"], r["surface_source"], r["altitude_source"]) for r in rows] == [
        (f.surface, f.surface_source, f.altitude_source) for f in fixtures
    ]
