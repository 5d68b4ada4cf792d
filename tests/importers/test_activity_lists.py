"""Garmin Connect Activities.csv and Strava activities.csv given alone: summary-only activities.

The real files in the real-file corpus's export/ (tests/realdata.py) are checked row by row
against values read off the file by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from exports import Run, StravaActivity, StravaExportSpec, strava_activities_csv

from stridewise.csvtext import decimal_mark, parse_duration_s, parse_number
from stridewise.errors import CorruptFile
from stridewise.importers.activity_types import sport_of
from stridewise.importers.garmin_list import read_garmin_activities
from stridewise.importers.strava_list import parse_strava_csv, read_strava_activities
from stridewise.pipeline import import_paths, read_activities
from stridewise.profile import Profile
from stridewise.store import Store
from stridewise.views import activity_rows

MILE_M = 1609.344
FOOT_M = 0.3048


def garmin(real_dir: Path, name: str) -> Path:
    return real_dir / "export" / "garmin_connect" / name


# --- real Garmin Connect lists ------------------------------------------------------------------


def test_real_danish_list_reads_km_and_local_dates(real_dir):
    path = garmin(real_dir, "Activities_danish.csv")
    activities = read_garmin_activities(
        path.read_bytes(), path.name, default_timezone="Europe/Copenhagen"
    )
    assert len(activities) == 41
    assert {a.sport for a in activities} == {"running"}  # "Løb"
    # Løb,2020-03-02 15:05:08,false,"5k, dukkert, barfod hjem","6.29","469","00:36:26","150",..
    first = activities[0]
    assert first.start_utc == datetime(2020, 3, 2, 14, 5, 8, tzinfo=UTC)  # CET, +1 h
    assert first.utc_offset_s == 3600
    assert first.name == "5k, dukkert, barfod hjem"
    assert first.distance_m == pytest.approx(6290.0)
    assert first.timer_s == 36 * 60 + 26
    assert (first.avg_heart_rate_bpm, first.max_heart_rate_bpm) == (150.0, 167.0)
    assert first.avg_cadence_spm == 171.0
    assert first.ascent_m == 69.0
    # Løb,2019-06-10 16:00:15,false,"Løb","6.50","567","00:45:00","150","--",... (summer time)
    manual = next(a for a in activities if a.name == "Løb")
    assert manual.start_utc == datetime(2019, 6, 10, 14, 0, 15, tzinfo=UTC)
    assert manual.max_heart_rate_bpm is None  # "--"
    assert manual.distance_m == pytest.approx(6500.0)
    assert first.warnings == []


def test_real_imperial_list_reads_miles_and_feet(real_dir):
    path = garmin(real_dir, "Activities_imperial_running_dynamics.csv")
    activities = read_garmin_activities(path.read_bytes(), path.name, default_timezone=None)
    assert len(activities) == 80
    # Running,2025-05-26 17:40:55,false,"Underhill Running","6.24","774","00:54:43","157",...,
    # "514" ft ascent, ..., Moving Time "00:54:37", Elapsed Time "00:54:43"
    run = activities[0]
    assert run.distance_m == pytest.approx(6.24 * MILE_M)
    assert run.ascent_m == pytest.approx(514 * FOOT_M)
    assert (run.timer_s, run.elapsed_s) == (54 * 60 + 43, 54 * 60 + 43)
    assert run.start_utc == datetime(2025, 5, 26, 17, 40, 55, tzinfo=UTC)  # wall clock kept
    assert run.utc_offset_s is None  # no time zone: offset unknown
    assert any("local time and the profile has no time zone" in w for w in run.warnings)
    # Indoor Rowing,2025-05-23 13:51:12,false,"Indoor Rowing","--",...
    rowing = activities[1]
    assert (rowing.sport, rowing.distance_m) == ("rowing", None)
    # Walking,2025-05-19 13:16:43,false,"Burlington Walking","0.08",...,"00:01:18.0"
    walk = next(a for a in activities if a.name == "Burlington Walking")
    assert walk.sport == "walking"
    assert walk.distance_m == pytest.approx(0.08 * MILE_M)
    assert walk.timer_s == 78.0
    # Cycling ... "53.07" mi, "4,866" ft ascent (a thousands separator)
    ride = next(a for a in activities if a.name == "Underhill Cycling")
    assert ride.distance_m == pytest.approx(53.07 * MILE_M)
    assert ride.ascent_m == pytest.approx(4866 * FOOT_M)


def test_real_metric_list_reads_trail_and_treadmill_types(real_dir):
    path = garmin(real_dir, "Activities_metric_trail.csv")
    activities = read_garmin_activities(path.read_bytes(), path.name, default_timezone=None)
    assert len(activities) == 760
    surfaces = [a.surface for a in activities]
    assert (surfaces.count("trail"), surfaces.count("treadmill")) == (14, 16)
    # Trail Running,2024-08-24 15:24:46,false,"Lubhu Trail Running","12.43",...,"01:54:29",
    # ..., Moving Time "01:42:34", Elapsed Time "02:12:21"
    trail = activities[2]
    assert (trail.sport, trail.surface, trail.surface_source) == ("running", "trail", "export")
    assert trail.distance_m == pytest.approx(12430.0)
    assert (trail.timer_s, trail.elapsed_s) == (1 * 3600 + 54 * 60 + 29, 2 * 3600 + 12 * 60 + 21)
    assert activities[0].distance_m == pytest.approx(13780.0)  # "13.78" km, not miles


@pytest.mark.parametrize(
    "name",
    [
        "Activities_danish.csv",
        "Activities_imperial_running_dynamics.csv",
        "Activities_metric_trail.csv",
    ],
)
def test_real_garmin_lists_import_with_local_dates_as_written(real_dir, tmp_path, name):
    path = garmin(real_dir, name)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1, default_timezone="America/New_York")
        rows = activity_rows(store, "me", Profile(timezone="America/New_York"))
    dates = [line.split(",")[1][:10] for line in path.read_text("utf-8-sig").splitlines()[1:]]
    assert report.failed == []
    assert report.imported == len(dates)
    assert sorted(r["local_date"] for r in rows) == sorted(dates)
    assert {r["format"] for r in rows} == {"garmin-csv"}
    assert {r["records"] for r in rows} == {0}


# --- the real Strava list -----------------------------------------------------------------------


def strava_path(real_dir: Path) -> Path:
    return real_dir / "export" / "strava" / "activities.csv"


def test_real_strava_list_maps_repeated_columns_by_occurrence(real_dir):
    path = strava_path(real_dir)
    rows = parse_strava_csv(path.read_bytes(), path.name)
    assert len(rows) == 610
    # 7926971219,"Oct 6, 2022, 11:19:20 PM",Evening Run,Run,,979,2.43,177.0,...,
    # activities/8474917700.fit.gz,,,979.0,971.0,2432.77001953125,...
    first = rows[0]
    assert first.activity_id == "7926971219"
    assert first.file_name == "activities/8474917700.fit.gz"
    activity = first.activity
    assert activity.start_utc == datetime(2022, 10, 6, 23, 19, 20, tzinfo=UTC)
    assert activity.distance_m == pytest.approx(2432.77001953125)  # the second Distance, metres
    assert (activity.elapsed_s, activity.timer_s) == (979.0, 971.0)
    assert activity.max_heart_rate_bpm == 177.0
    assert (activity.sport, activity.surface, activity.name) == (
        "running",
        "unknown",
        "Evening Run",
    )


def test_real_strava_list_keeps_manual_entries_gear_and_descriptions(real_dir):
    path = strava_path(real_dir)
    rows = {row.activity_id: row for row in parse_strava_csv(path.read_bytes(), path.name)}
    manual = [row for row in rows.values() if row.file_name is None]
    assert sorted(row.activity_id for row in manual) == ["10796065680", "9411471721", "9509760870"]
    # 9411471721,"Jul 8, 2023, 11:32:20 AM",Morning Treadmill workout ,Run,,3480,9.33,...,
    # Saucony Endorphin Speed 3 Blue bolts,,,,3480.0,3480.0,9334.2138671875
    treadmill = rows["9411471721"].activity
    assert treadmill.distance_m == pytest.approx(9334.2138671875)
    assert treadmill.start_utc == datetime(2023, 7, 8, 11, 32, 20, tzinfo=UTC)
    assert treadmill.shoe == "Saucony Endorphin Speed 3 Blue bolts"
    assert rows["9509760870"].activity.sport == "training"  # Weight Training
    assert rows["9509760870"].activity.shoe is None
    described = rows["9543349658"].activity.notes
    assert described.startswith("Those good for nothing hills, kicked my butt😂😂\nThank you")
    gear = [row.activity.shoe for row in rows.values()]
    assert "Saucony Endorphin Pro 2 Yellove" in gear  # "…Yellove " with its trailing space


def test_real_strava_list_imports_alone_as_summary_only_runs(real_dir, tmp_path):
    path = strava_path(real_dir)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
        rows = activity_rows(store, "me", Profile())
        again = import_paths(store, [path], jobs=1)
        count = store.count_activities()
    assert report.imported == 610
    assert report.failed == []
    first = next(r for r in rows if r["start_utc"] == "2022-10-06T23:19:20Z")
    assert (first["distance_km"], first["records"], first["format"]) == (2.433, 0, "strava-csv")
    assert (again.imported, count) == (0, 610)


# --- synthetic lists: layouts the real files do not show --------------------------------------

START = datetime(2026, 9, 20, 14, 12, 12, tzinfo=UTC)


def test_german_strava_list_with_decimal_commas_and_german_dates():
    spec = StravaExportSpec(
        [StravaActivity(Run(START, 3000, 10_500.5), 77, "Traillauf", "Berglauf", gear="Hoka")],
        german=True,
    )
    data = strava_activities_csv(spec)
    assert b'"20.09.2026, 14:12:12"' in data
    assert b'"10500,50000"' in data
    [activity] = read_strava_activities(data, "activities.csv")
    assert activity.start_utc == START
    assert activity.distance_m == pytest.approx(10_500.5)
    assert (activity.timer_s, activity.elapsed_s) == (3000.0, 3005.0)
    assert (activity.surface, activity.shoe, activity.name) == ("trail", "Hoka", "Berglauf")


def test_strava_list_from_before_2019_is_in_metres():
    data = (
        b"id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
        b'123,2017-03-04 08:12:45,Long run,Run,"Windy,\nvery windy",5400,16093.4,false,'
        b"Brooks Ghost,activities/123.gpx\n"
    )
    [row] = parse_strava_csv(data, "activities.csv")
    assert row.activity.start_utc == datetime(2017, 3, 4, 8, 12, 45, tzinfo=UTC)
    assert row.activity.distance_m == pytest.approx(16093.4)
    assert (row.activity.elapsed_s, row.activity.shoe) == (5400.0, "Brooks Ghost")
    assert row.activity.notes == "Windy,\nvery windy"
    assert row.file_name == "activities/123.gpx"


def test_strava_dates_with_narrow_spaces_before_pm():
    data = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Elapsed Time,Distance\n"
        '9,"Oct 6, 2022, 11:19:20\u202fPM",Late run,Run,979,2.43,979.0,2432.8\n'
    ).encode()
    [activity] = read_strava_activities(data, "activities.csv")
    assert activity.start_utc == datetime(2022, 10, 6, 23, 19, 20, tzinfo=UTC)


def test_strava_row_with_unreadable_date_is_left_out_with_a_warning():
    data = (
        b"Activity ID,Activity Date,Activity Name,Activity Type,Distance,Distance\n"
        b'1,"Oct 6, 2022, 11:19:20 PM",A,Run,2.4,2400\n'
        b"2,yesterday,B,Run,3.1,3100\n"
    )
    [activity] = read_strava_activities(data, "activities.csv")
    assert activity.warnings == ["row 3: date 'yesterday' cannot be read; row left out"]


def test_garmin_list_with_bom_decimal_commas_and_a_repeated_column():
    data = (
        "\ufeffActivity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Avg Run Cadence,"
        "Avg Stride Length,Steps,Time\n"
        'Trail Running,2026-09-20 07:30:00,false,"Bergauf, bergab","10,50","1.706",'
        '"01:05:00","151","170","0,93","11.290","00:00:01"\n'
        'Treadmill Running,2026-09-21 18:00:00,false,"Band","8,00","800","00:45:00","140",'
        '"168","1,06","7.560","00:00:01"\n'
    ).encode("utf-8")
    trail, band = read_garmin_activities(data, "Activities.csv", default_timezone="Europe/Berlin")
    assert trail.distance_m == pytest.approx(10_500.0)
    assert trail.timer_s == 3900.0  # the first Time column, not the repeated one
    assert trail.start_utc == datetime(2026, 9, 20, 5, 30, tzinfo=UTC)
    assert (trail.surface, band.surface) == ("trail", "treadmill")
    assert trail.warnings == []


def test_garmin_list_without_stride_data_is_read_as_km_with_a_warning():
    data = (
        b"Activity Type,Date,Favorite,Title,Distance,Calories,Time\n"
        b"Running,2026-09-20 07:30:00,false,Run,5.00,300,00:30:00\n"
    )
    [run] = read_garmin_activities(data, "Activities.csv", default_timezone="UTC")
    assert run.distance_m == 5000.0
    assert run.warnings == [
        "km or miles cannot be told from this list (no stride data); read as km"
    ]


def test_csv_dispatch_sends_lists_here_and_logs_to_the_log_reader(tmp_path):
    strava = tmp_path / "activities.csv"
    strava.write_bytes(
        strava_activities_csv(StravaExportSpec([StravaActivity(Run(START, 600, 2000.0), 5)]))
    )
    [activity] = read_activities(strava)
    assert (activity.source_format, activity.distance_m) == ("strava-csv", 2000.0)
    log = tmp_path / "log.csv"
    log.write_text("date,distance_km,duration\n2026-09-20,5.5,0:30:00\n")
    [run] = read_activities(log)
    assert (run.source_format, run.distance_m) == ("csv", 5500.0)


def test_list_without_a_date_column_is_damaged():
    data = b"Activity ID,Activity Name,Activity Type,Distance\n1,A,Run,2.0\n"
    with pytest.raises(CorruptFile) as damaged:
        parse_strava_csv(data, "activities.csv")
    assert str(damaged.value) == (
        "activities.csv: no 'Activity Date' column; is this Strava's activities.csv?"
    )


# --- numbers, durations, sports -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "mark"),
    [
        (["6.29", "1,706", "150"], "."),
        (["6,29", "1.706", "150"], ","),
        (["1,706", "2,552"], "."),  # thousands only: ambiguous, dot by default
        (["2432,77001953125"], ","),
        (["1.234,5"], ","),
        (["1,234.5"], "."),
    ],
)
def test_decimal_mark_from_unambiguous_values(values, mark):
    assert decimal_mark(values) == mark


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("1,706", ".", 1706.0),
        ("6,29", ",", 6.29),
        ("1.234,5", ",", 1234.5),
        ("--", ".", None),
        (None, ".", None),
        ("NaN", ".", None),
        ("12 345", ".", 12345.0),
    ],
)
def test_parse_number(text, mark, value):
    from stridewise.csvtext import cell

    assert parse_number(cell([text], 0) if text is not None else None, mark) == value


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:36:26", 2186.0),
        ("00:01:18.0", 78.0),
        ("36:26", 2186.0),
        ("979", 979.0),
        ("1:02:03", 3723.0),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration_s(text) == seconds


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Run", ("running", None, "unknown", None)),
        ("Trail Run", ("running", "trail", "trail", "export")),
        ("Virtual Run", ("running", "virtual_activity", "treadmill", "export")),
        ("Løb", ("running", None, "unknown", None)),
        ("Lauf", ("running", None, "unknown", None)),
        ("Walk", ("walking", None, "unknown", None)),
        ("Ride", ("cycling", None, "unknown", None)),
        ("Treadmill Running", ("running", "treadmill", "treadmill", "export")),
        ("Incident Detected", ("incident_detected", None, "unknown", None)),
    ],
)
def test_activity_type_words(word, expected):
    assert sport_of(word) == expected
