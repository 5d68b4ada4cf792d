"""A runner's own CSV log: aliases, units, decimal marks, dates, local time and clear errors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.errors import ConfigError, CorruptFile, SkippedFile, UnsupportedFile
from stridewise.importers.csv_log import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    METRES_PER_MILE,
    detect_csv_kind,
    read_csv_log,
)
from stridewise.model import check_samples
from stridewise.pipeline import read_activities

NEW_YORK = "America/New_York"
AUCKLAND = "Pacific/Auckland"


@pytest.fixture
def log_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "csv_log"


def read(log_dir: Path, name: str, zone: str | None = NEW_YORK):
    return read_csv_log((log_dir / name).read_bytes(), name, default_timezone=zone)


def error_of(log_dir: Path, name: str, kind: type[Exception]) -> str:
    with pytest.raises(kind) as caught:
        read(log_dir, name)
    return str(caught.value)


# --- numbers and units ----------------------------------------------------------------------------


def test_semicolon_delimiter_with_decimal_comma(log_dir):
    runs = read(log_dir, "semicolon-decimal-comma.csv")
    assert [run.distance_m for run in runs] == [10_500.0, 21_100.0]
    assert [run.timer_s for run in runs] == [52 * 60 + 30, 3600 + 55 * 60 + 2]
    assert [run.elapsed_s for run in runs] == [3150.0, 6902.0]
    assert [run.rpe for run in runs] == [6.5, 8.0]
    assert [run.shoe for run in runs] == ["Pegasus 40", "Pegasus 40"]


def test_distance_units_written_in_cells(log_dir):
    runs = read(log_dir, "distance-units-in-cells.csv")
    assert [run.distance_m for run in runs] == pytest.approx(
        [10_000.0, 6.2 * METRES_PER_MILE, 5_000.0, 10_500.0, 5_000.0, 3.1 * METRES_PER_MILE],
        rel=1e-12,
    )
    assert runs[1].distance_m == pytest.approx(9977.9328)


def test_miles_header_gives_the_unit(log_dir):
    runs = read(log_dir, "miles-header.csv")
    assert [run.distance_m for run in runs] == pytest.approx(
        [9977.9328, 21082.4064, 4828.032], rel=1e-12
    )
    assert [run.timer_s for run in runs] == [3000.0, 6300.0, 1620.0]


def test_units_in_header_suffixes(log_dir):
    runs = read(log_dir, "duration-in-seconds-header.csv")  # distance_m, duration_s
    assert [(run.distance_m, run.timer_s) for run in runs] == [(10_000.0, 3000.0), (5000.0, 1500.5)]


def test_excel_sep_line_and_minutes_header(log_dir):
    (run,) = read(log_dir, "excel-sep-line.csv")  # sep=; then "Duration (min)"
    assert (run.distance_m, run.timer_s) == (10_000.0, 3000.0)


def test_durations_in_mixed_formats(log_dir):
    runs = read(log_dir, "durations-mixed-formats.csv")
    assert [run.timer_s for run in runs] == [
        1 * 3600 + 2 * 60 + 3,  # 1:02:03
        25 * 60 + 30,  # 25:30
        45 * 60,  # 45 (minutes)
        45 * 60,  # 45 min
        3600 + 5 * 60,  # 1h05
        12.5 * 60,  # 12.5 (minutes)
        95 * 60 + 10,  # 95:10
        3600 + 20 * 60 + 30,  # 1h 20m 30s
        3 * 60 + 30.5,  # 3:30.5
    ]


def test_grouped_thousands_with_comma_delimiter(log_dir):
    runs = read(log_dir, "grouped-metres-comma-delimiter.csv")  # "5,000 m", "1 500 m"
    assert [run.distance_m for run in runs] == [5000.0, 1500.0]


def test_three_decimals_follow_the_semicolon_convention(log_dir):
    runs = read(log_dir, "three-decimals-semicolon.csv")  # "10,250" and "1,500" km
    assert [run.distance_m for run in runs] == [10_250.0, 1500.0]


def test_decimal_comma_learnt_from_other_rows(log_dir):
    # "10,250" alone could be ten thousand; "8,5" shows the file writes decimal commas
    runs = read(log_dir, "decimal-evidence-from-other-rows.csv")
    assert [run.distance_m for run in runs] == [10_250.0, 8500.0]


# --- encodings and headers ------------------------------------------------------------------------


def test_bom_spaces_and_header_aliases(log_dir):
    (run,) = read(log_dir, "bom-header-aliases.csv")
    assert run.distance_m == 10_000.0
    assert run.timer_s == run.elapsed_s == 3000.0
    assert run.shoe == "Pegasus 40"  # inner double space collapsed
    assert (run.surface, run.surface_source) == ("road", "log")  # Asphalt
    assert run.rpe == 5.0
    assert run.notes == "felt good, windy"
    assert run.name == "Saturday long"
    assert run.avg_heart_rate_bpm == 145.0
    assert run.sport == "running"
    # 07:30 in New York on 14 March 2026 is daylight time (UTC-4)
    assert run.start_utc == datetime(2026, 3, 14, 11, 30, tzinfo=UTC)
    assert run.utc_offset_s == -4 * 3600
    assert run.warnings == []
    check_samples(run.samples)
    assert not run.has_records


def test_windows_1252_notes(log_dir):
    (run,) = read(log_dir, "cp1252-notes.csv")
    assert run.notes == "café stop, 2 € water"


def test_utf16_tab_separated_excel_text(log_dir):
    (run,) = read(log_dir, "utf16-tab-excel.csv")
    assert (run.distance_m, run.timer_s, run.notes) == (10_500.0, 3150.0, "Nürburgring")


def test_date_wins_over_weekday_day_column(log_dir):
    runs = read(log_dir, "day-and-date-columns.csv")
    assert [run.local_start.date() for run in runs] == [date(2026, 3, 14), date(2026, 3, 15)]


def test_two_distance_columns_are_refused(log_dir):
    assert error_of(log_dir, "duplicate-distance-columns.csv", CorruptFile) == (
        "duplicate-distance-columns.csv: columns 'Distance (km)' and 'Distance (mi)' both look "
        "like the distance; rename or remove one"
    )


def test_two_notes_columns_are_both_kept(log_dir):
    runs = read(log_dir, "two-notes-columns.csv")
    assert [run.notes for run in runs] == ["easy\nleft calf tight", "windy"]


def test_no_date_column_is_not_a_log(log_dir):
    assert error_of(log_dir, "date-column-missing.csv", UnsupportedFile) == (
        "date-column-missing.csv: not a run log: no date column "
        "(a log needs date, distance and duration columns)"
    )


def test_no_distance_or_duration_column_is_not_a_log(log_dir):
    assert error_of(log_dir, "no-distance-or-duration-column.csv", UnsupportedFile) == (
        "no-distance-or-duration-column.csv: not a run log: it has a date column but no "
        "distance or duration column"
    )


def test_header_only_log_is_skipped(log_dir):
    assert error_of(log_dir, "header-only.csv", SkippedFile) == (
        "header-only.csv: the log holds no runs (only empty rows or rest days)"
    )


# --- dates and local time -------------------------------------------------------------------------


def test_no_time_of_day_means_local_noon_in_new_york(log_dir):
    runs = read(log_dir, "miles-header.csv", zone=NEW_YORK)
    assert [run.start_utc for run in runs] == [
        datetime(2026, 3, 14, 16, 0, tzinfo=UTC),  # EDT, UTC-4 (from 8 March)
        datetime(2026, 3, 15, 16, 0, tzinfo=UTC),
        datetime(2026, 7, 4, 16, 0, tzinfo=UTC),
    ]
    assert [run.local_start.date() for run in runs] == [
        date(2026, 3, 14),
        date(2026, 3, 15),
        date(2026, 7, 4),
    ]


def test_local_noon_in_auckland_keeps_the_local_date(log_dir):
    runs = read(log_dir, "miles-header.csv", zone=AUCKLAND)
    # noon NZDT (UTC+13) is 23:00 UTC the day before; noon NZST (UTC+12) in July is 00:00 UTC
    assert [run.start_utc for run in runs] == [
        datetime(2026, 3, 13, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 14, 23, 0, tzinfo=UTC),
        datetime(2026, 7, 4, 0, 0, tzinfo=UTC),
    ]
    assert [run.utc_offset_s for run in runs] == [13 * 3600, 13 * 3600, 12 * 3600]
    assert [run.local_start.date() for run in runs] == [
        date(2026, 3, 14),
        date(2026, 3, 15),
        date(2026, 7, 4),
    ]


def test_time_column_beside_duration_is_the_time_of_day(log_dir):
    runs = read(log_dir, "date-and-time-columns.csv", zone=NEW_YORK)
    assert [run.start_utc for run in runs] == [
        datetime(2026, 3, 7, 11, 30, tzinfo=UTC),  # 06:30 EST
        datetime(2026, 3, 8, 22, 45, tzinfo=UTC),  # 18:45 EDT, the day clocks went forward
        datetime(2026, 11, 2, 0, 15, tzinfo=UTC),  # 7:15 PM EST on 1 November
    ]
    assert [run.utc_offset_s for run in runs] == [-5 * 3600, -4 * 3600, -5 * 3600]
    assert runs[2].local_start.date() == date(2026, 11, 1)
    assert [run.timer_s for run in runs] == [3000.0, 2400.0, 1500.0]


def test_time_of_day_in_auckland(log_dir):
    runs = read(log_dir, "date-and-time-columns.csv", zone=AUCKLAND)
    assert runs[0].start_utc == datetime(2026, 3, 6, 17, 30, tzinfo=UTC)  # 06:30 NZDT
    assert runs[0].local_start.date() == date(2026, 3, 7)


def test_without_a_zone_the_log_is_utc_with_one_warning(log_dir):
    runs = read(log_dir, "miles-header.csv", zone=None)
    assert [run.start_utc for run in runs] == [
        datetime(2026, 3, 14, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
        datetime(2026, 7, 4, 12, 0, tzinfo=UTC),
    ]
    assert [run.utc_offset_s for run in runs] == [0, 0, 0]
    assert runs[0].warnings == [
        "no time zone in the profile: the log's dates and times are read as UTC "
        "(set timezone under [athlete])"
    ]
    assert runs[1].warnings == runs[2].warnings == []


def test_unknown_zone_is_a_config_error(log_dir):
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        read(log_dir, "miles-header.csv", zone="Mars/Olympus")


def test_dates_with_times_and_offsets(log_dir):
    runs = read(log_dir, "dates-with-times-and-offsets.csv", zone=NEW_YORK)
    # an explicit offset in the cell wins over the profile's zone
    assert runs[0].start_utc == datetime(2026, 3, 14, 6, 30, tzinfo=UTC)
    assert runs[0].utc_offset_s == 3600
    assert runs[1].start_utc == datetime(2026, 3, 15, 10, 5, tzinfo=UTC)  # 06:05 EDT
    assert runs[2].start_utc == datetime(2026, 3, 21, 11, 30, tzinfo=UTC)  # Sat, ..., 7:30 AM


def test_dates_with_month_names_and_weekdays(log_dir):
    runs = read(log_dir, "named-month-dates.csv")
    assert [run.local_start.date() for run in runs] == [
        date(2026, 3, 14),
        date(2026, 3, 15),
        date(2026, 3, 16),
        date(2026, 3, 17),
    ]


def test_ambiguous_slash_dates_are_refused(log_dir):
    assert error_of(log_dir, "ambiguous-slash-dates.csv", CorruptFile) == (
        "ambiguous-slash-dates.csv: the date '03/04/2026' in row 2 could be 3 April or March 4, "
        "and no date in the file has a day above 12 to tell which; write dates as YYYY-MM-DD"
    )


def test_a_day_above_12_makes_slash_dates_day_first(log_dir):
    runs = read(log_dir, "slash-dates-day-first.csv")
    assert [run.local_start.date() for run in runs] == [date(2026, 4, 3), date(2026, 4, 14)]


def test_a_day_above_12_makes_slash_dates_month_first(log_dir):
    runs = read(log_dir, "slash-dates-month-first.csv")
    assert [run.local_start.date() for run in runs] == [
        date(2026, 3, 4),
        date(2026, 4, 14),
        date(2026, 5, 5),  # 05/05/26 reads the same both ways
    ]


def test_slash_dates_in_both_orders_are_refused(log_dir):
    assert error_of(log_dir, "slash-dates-mixed-order.csv", CorruptFile) == (
        "slash-dates-mixed-order.csv: dates are day-first in row 2 ('14/03/2026') but "
        "month-first in row 3 ('03/15/2026'); use one order, or write dates as YYYY-MM-DD"
    )


def test_a_date_that_does_not_exist(log_dir):
    assert error_of(log_dir, "nonexistent-date.csv", CorruptFile) == (
        "nonexistent-date.csv, row 3: date '2026-02-30' does not exist"
    )


# --- sport, surface, rpe, heart rate --------------------------------------------------------------


def test_sport_column(log_dir):
    runs = read(log_dir, "sport-column.csv")
    assert [(run.sport, run.sub_sport, run.surface, run.surface_source) for run in runs] == [
        ("running", None, "unknown", None),  # Run
        ("running", "trail", "trail", "log"),  # Trail Run
        ("running", "treadmill", "treadmill", "log"),  # treadmill
        ("walking", None, "unknown", None),  # Walk
        ("running", None, "unknown", None),  # Tempo: a kind of run
        ("running", "trail", "road", "log"),  # the surface column wins over the sport's hint
        ("training", "strength_training", "unknown", None),  # Strength, with a duration only
    ]
    assert runs[4].name == "Tempo"
    assert runs[6].distance_m is None
    assert runs[6].timer_s == 45 * 60


def test_unknown_sport_is_refused_with_a_hint(log_dir):
    assert error_of(log_dir, "unknown-sport.csv", CorruptFile) == (
        "unknown-sport.csv, row 3: sport 'Z2' is not one stridewise knows (run, treadmill, "
        "trail, strength, core, mobility, yoga, pilates, tai_chi, stretching, breathwork, physio, "
        "ride, swim, row, elliptical, walk, hike, other, or a kind of run such as tempo or long "
        "run); leave it empty for a run, or rename the column 'type' if it is not the sport"
    )


def test_surface_words(log_dir):
    runs = read(log_dir, "surface-words.csv")
    # Asphalt, gravel, Track, TREADMILL, off-road, mixed, Street
    assert [run.surface for run in runs] == [
        "road",
        "trail",
        "track",
        "treadmill",
        "trail",
        "unknown",
        "road",
    ]
    assert [run.surface_source for run in runs] == ["log"] * 5 + [None, "log"]
    assert runs[5].warnings == [
        "row 7: surface 'mixed' is not road, trail, track or treadmill; kept as unknown"
    ]


def test_rpe_out_of_range(log_dir):
    assert error_of(log_dir, "rpe-out-of-range.csv", CorruptFile) == (
        "rpe-out-of-range.csv, row 3: RPE '11' is not a number from 0 to 10"
    )


def test_effort_words_are_not_rpe(log_dir):
    assert error_of(log_dir, "effort-words.csv", CorruptFile) == (
        "effort-words.csv, row 2: RPE 'hard' is not a number from 0 to 10 "
        "(rename the column 'Effort' if it is not RPE)"
    )


def test_heart_rate_out_of_range(log_dir):
    assert error_of(log_dir, "heart-rate-out-of-range.csv", CorruptFile) == (
        "heart-rate-out-of-range.csv, row 3: average heart rate '310' is not a number of beats "
        "per minute from 25 to 250"
    )


# --- rows that fail or hold nothing ---------------------------------------------------------------


def test_bad_duration_names_the_spreadsheet_row(log_dir):
    # the empty line is row 5 in a spreadsheet, so the bad duration is in row 7
    assert error_of(log_dir, "bad-duration-row.csv", CorruptFile) == (
        "bad-duration-row.csv, row 7: duration '1:75' is not h:mm:ss, mm:ss or minutes"
    )


def test_bare_distance_without_a_unit_is_refused(log_dir):
    # the rest day's bare 0 in row 2 is fine in any unit; row 3's 10.5 is not
    assert error_of(log_dir, "distance-without-unit.csv", CorruptFile) == (
        "distance-without-unit.csv: column 'distance' has no unit: row 3 says '10.5' "
        "(add km, mi or m to the header or the values)"
    )


def test_metres_under_a_km_header_are_refused(log_dir):
    assert error_of(log_dir, "metres-under-km-header.csv", CorruptFile) == (
        "metres-under-km-header.csv, row 3: distance '10500' is more than 1000 km for one run; "
        "is the unit right?"
    )


def test_rest_days_and_template_rows_hold_no_activity(log_dir):
    runs = read(log_dir, "rest-days-and-template-rows.csv")
    assert [run.local_start.date() for run in runs] == [date(2026, 3, 14), date(2026, 3, 17)]


def test_row_with_content_but_no_distance_or_duration(log_dir):
    assert error_of(log_dir, "row-without-distance-or-duration.csv", CorruptFile) == (
        "row-without-distance-or-duration.csv, row 3: has neither a distance nor a duration"
    )


def test_unquoted_delimiter_in_a_note(log_dir):
    assert error_of(log_dir, "unquoted-comma-in-notes.csv", CorruptFile) == (
        "unquoted-comma-in-notes.csv, row 3: 5 cells but the header has 4 columns "
        "(text holding a comma needs quotes)"
    )


def test_implausible_pace_is_a_warning(log_dir):
    (run,) = read(log_dir, "implausible-pace.csv")  # 10 km in "3000": minutes, or seconds?
    assert run.timer_s == 3000 * 60
    assert run.warnings == [
        "row 2: pace 300:00 min/km is not a running pace; check the units of distance and duration"
    ]


# --- absurd input ---------------------------------------------------------------------------------


def test_too_many_columns_fails_fast():
    header = ",".join(["date", "km", "duration"] + [f"c{i}" for i in range(MAX_COLUMNS)])
    with pytest.raises(UnsupportedFile) as caught:
        read_csv_log(header.encode(), "wide.csv")
    assert str(caught.value) == "wide.csv, row 1: 1,003 columns (at most 1,000); not a run log"


def test_giant_cell_fails_fast():
    data = f"date,km,duration,notes\n2026-03-14,10,50:00,{'x' * (MAX_CELL_CHARS + 1)}\n"
    with pytest.raises(UnsupportedFile) as caught:
        read_csv_log(data.encode(), "huge.csv")
    assert str(caught.value) == (
        "huge.csv, row 2: a cell of 10,001 characters (at most 10,000); not a run log"
    )


def test_cell_beyond_the_csv_field_limit_fails_fast():
    data = "date,km,duration,notes\n" + '2026-03-14,10,50:00,"' + "x" * 200_000 + '"\n'
    with pytest.raises(UnsupportedFile, match=r"^huge\.csv: a cell is larger than [\d,]+ char"):
        read_csv_log(data.encode(), "huge.csv")


def test_overlong_value_cell_is_a_row_error_not_a_slow_regex():
    data = f"date,km,duration\n2026-03-14,{'1' * 9000}x,50:00\n"
    with pytest.raises(CorruptFile) as caught:
        read_csv_log(data.encode(), "long.csv")
    assert str(caught.value) == (
        "long.csv, row 2: the distance in column 'km' is 9,001 characters long; "
        "that is not a distance"
    )


def test_binary_file_named_csv():
    with pytest.raises(UnsupportedFile) as caught:
        read_csv_log(b"\x0e\x10\x08\x00.FIT\x00\x00", "watch.csv")
    assert str(caught.value) == "watch.csv: is a binary file, not CSV text"


def test_empty_file():
    with pytest.raises(CorruptFile) as caught:
        read_csv_log(b"\n \n", "empty.csv")
    assert str(caught.value) == "empty.csv: the file is empty"


# --- through the dispatcher -----------------------------------------------------------------------


def test_dispatcher_fills_source_and_row_order(log_dir):
    runs = read_activities(log_dir / "slash-dates-day-first.csv", default_timezone=NEW_YORK)
    assert [run.source_index for run in runs] == [0, 1]
    assert {run.source_format for run in runs} == {"csv"}
    assert {run.source_name for run in runs} == {"slash-dates-day-first.csv"}


# --- what kind of CSV -----------------------------------------------------------------------------

GERMAN_STRAVA_HEADER = [
    "Aktivitäts-ID",
    "Aktivitätsdatum",
    "Name der Aktivität",
    "Aktivitätsart",
    "Beschreibung der Aktivität",
    "Verstrichene Zeit",
    "Distanz",
    "Max. Herzfrequenz",
    "Relativer Aufwand",
    "Pendelfahrt",
    "Private Notiz zur Aktivität",
    "Aktivitätsausrüstung",
    "Dateiname",
]
OLD_STRAVA_HEADER = "id,date,name,type,description,elapsed_time,distance,commute,gear,filename"


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(io.StringIO(handle.readline())))


@pytest.mark.parametrize(
    ("relative_path", "kind"),
    [
        ("export/strava/activities.csv", "strava"),
        ("export/garmin_connect/Activities_danish.csv", "garmin"),
        ("export/garmin_connect/Activities_metric_trail.csv", "garmin"),
        ("export/garmin_connect/Activities_imperial_running_dynamics.csv", "garmin"),
        ("csv/fitparse_records/garmin-fenix-5-run-records.csv", "unknown"),
        ("csv/goldencheetah/Ramp_test.csv", "unknown"),
        ("csv/goldencheetah/motoActv_powertap.csv", "unknown"),
    ],
)
def test_detect_csv_kind_on_real_headers(real_dir, relative_path, kind):
    assert detect_csv_kind(header_of(real_dir / relative_path)) == kind


def test_detect_csv_kind_on_other_headers(log_dir):
    assert detect_csv_kind(GERMAN_STRAVA_HEADER) == "strava"
    assert detect_csv_kind(OLD_STRAVA_HEADER.split(",")) == "strava"
    assert detect_csv_kind(["Date", "Distance (km)", "Duration", "Shoe"]) == "log"
    assert detect_csv_kind(["Date", "Shoe"]) == "unknown"
    assert detect_csv_kind([]) == "unknown"
    assert detect_csv_kind(header_of(log_dir / "bom-header-aliases.csv")) == "log"


def test_strava_export_is_refused_with_a_pointer(real_dir):
    data = (real_dir / "export/strava/activities.csv").read_bytes()
    with pytest.raises(UnsupportedFile) as caught:
        read_csv_log(data, "activities.csv")
    assert str(caught.value) == (
        "activities.csv: looks like a Strava activities.csv export; "
        "import the whole export folder or zip"
    )


def test_german_strava_export_is_refused():
    data = ";".join(GERMAN_STRAVA_HEADER) + "\n1;20.09.2026, 14:12:12;Lauf;Lauf\n"
    with pytest.raises(UnsupportedFile, match="looks like a Strava activities.csv export"):
        read_csv_log(data.encode(), "aktivitaeten.csv")


@pytest.mark.parametrize(
    "name", ["Activities_danish.csv", "Activities_imperial_running_dynamics.csv"]
)
def test_garmin_list_is_refused_with_a_pointer(real_dir, name):
    data = (real_dir / "export/garmin_connect" / name).read_bytes()
    with pytest.raises(UnsupportedFile) as caught:
        read_csv_log(data, name)
    assert str(caught.value) == (
        f"{name}: looks like a Garmin Connect Activities.csv list; "
        "import the Garmin Connect export zip or the activity files instead"
    )


def test_record_dump_is_not_a_log(real_dir):
    path = real_dir / "csv/fitparse_records/garmin-fenix-5-run-records.csv"
    with pytest.raises(UnsupportedFile) as caught:
        read_csv_log(path.read_bytes(), path.name)
    assert str(caught.value) == (
        "garmin-fenix-5-run-records.csv: holds the timestamped records of one activity, "
        "not a run log with a date column"
    )


# --- property: any valid log round-trips ----------------------------------------------------------

DISTANCE_HEADERS = {
    "km": ["distance (km)", "Distance_km", "KM"],
    "mi": ["distance (mi)", "miles", "Dist [mi]"],
    "m": ["distance (m)", "distance_m"],
}
METRES_PER = {"km": 1000.0, "mi": METRES_PER_MILE, "m": 1.0}


def _distance_text(metres: int, unit: str, decimal: str) -> tuple[str, float]:
    """The written value and the metres it stands for (rounded to what was written)."""
    if unit == "m":
        return str(metres), float(metres)
    written = f"{metres / METRES_PER[unit]:.2f}"
    return written.replace(".", decimal), float(written) * METRES_PER[unit]


def _duration_text(seconds: int, style: str, decimal: str) -> tuple[str, float]:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if style == "h:mm:ss":
        return f"{hours}:{minutes:02d}:{secs:02d}", float(seconds)
    if style == "mm:ss":
        return f"{seconds // 60}:{secs:02d}", float(seconds)
    if style == "words":
        return f"{hours}h {minutes}m {secs}s", float(seconds)
    written = f"{seconds / 60:.2f}"
    return written.replace(".", decimal), float(written) * 60


@st.composite
def run_logs(draw):
    runs = draw(
        st.lists(
            st.tuples(
                st.dates(date(2000, 1, 1), date(2035, 12, 31)),
                st.integers(100, 100_000),  # metres
                st.integers(60, 30_000),  # seconds
                st.sampled_from(["h:mm:ss", "mm:ss", "minutes", "words"]),
            ),
            min_size=1,
            max_size=10,
        )
    )
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    decimal = draw(st.sampled_from([".", ","]))
    unit = draw(st.sampled_from(["km", "mi", "m"]))
    unit_in_header = draw(st.booleans())
    date_style = draw(st.sampled_from(["%Y-%m-%d", "%d.%m.%Y"]))
    distance_header = draw(st.sampled_from(DISTANCE_HEADERS[unit])) if unit_in_header else "dist"
    header = [
        draw(st.sampled_from(["date", "Date", " DAY "])),
        distance_header,
        draw(st.sampled_from(["duration", "Time", "Moving Time"])),
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    expected = []
    for day, metres, seconds, style in runs:
        distance, distance_m = _distance_text(metres, unit, decimal)
        duration, duration_s = _duration_text(seconds, style, decimal)
        if not unit_in_header:
            distance = f"{distance} {unit}"
        writer.writerow([day.strftime(date_style), distance, duration])
        expected.append((day, distance_m, duration_s))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    return out.getvalue().encode(encoding), expected


@settings(max_examples=150, deadline=None)
@given(run_logs())
def test_any_valid_log_round_trips(log):
    data, expected = log
    runs = read_csv_log(data, "generated.csv", default_timezone=AUCKLAND)
    assert [run.local_start.date() for run in runs] == [day for day, _, _ in expected]
    assert [run.distance_m for run in runs] == pytest.approx([m for _, m, _ in expected], abs=1e-6)
    assert [run.timer_s for run in runs] == pytest.approx([s for _, _, s in expected], abs=1e-6)


def test_a_warning_that_quotes_a_cell_across_lines_stays_one_line():
    """A quote left open in a cell runs it on over the next rows; the warning that quotes the
    cell shows those line breaks as ↵ (every reader's warnings pass through the dispatch)."""
    from stridewise.importers.dispatch import unpack
    from stridewise.pipeline import read_raw

    log = (
        b"Date\tDistance\tTime\tSurface\n"
        b'2025-04-21\t6.5 km\t30:00\t"muddy\n'
        b"2025-04-22\t16.2 km\t1:20:00\troad\n"
    )
    [activity] = read_raw(unpack(log, "open-quote.csv"), default_timezone="UTC")
    [warning] = [w for w in activity.warnings if "surface" in w]
    assert "\n" not in warning and " ↵ " in warning
