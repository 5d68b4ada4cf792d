"""Apple Health exports: generated ones (scripts/generate_apple_export.py) in both layouts and
both unit systems, and the two real fixtures of the real-file corpus (tests/realdata.py)."""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from realdata import REAL

from stridewise.errors import CorruptFile, UnsupportedFile
from stridewise.importers import apple_health
from stridewise.importers.apple_health import (
    AppleHealthExport,
    ProfileHints,
    is_apple_health_folder,
    is_apple_health_zip,
    looks_like_apple_health_xml,
    open_apple_health,
    parse_quantity_m,
    pause_seconds,
    sport_of,
)
from stridewise.importers.apple_health_wellness import SLEEP_GAP_S, sleep_by_day
from stridewise.importers.apple_health_xml import parse_date, skip_doctype
from stridewise.importers.exports import WellnessDay
from stridewise.model import Activity, check_samples

REPO = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_apple_export", REPO / "scripts" / "generate_apple_export.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


GEN = _generator()
EXPECTED = GEN.EXPECTED
LAYOUTS = [
    ("ios17", GEN.METRIC),
    ("ios17", GEN.IMPERIAL),
    ("ios15", GEN.METRIC),
    ("ios15", GEN.IMPERIAL),
]
LABEL = "export.zip/apple_health_export/export.xml"


def read_all(path: Path) -> tuple[AppleHealthExport, list[Activity]]:
    with open_apple_health(path) as export:
        activities = list(export.activities())
    for activity in activities:
        check_samples(activity.samples)
    return export, activities


@pytest.fixture(scope="module", params=LAYOUTS, ids=lambda p: f"{p[0]}-{p[1].locale}")
def imported(request, tmp_path_factory) -> tuple[str, AppleHealthExport, dict[str, Activity]]:
    layout, units = request.param
    path = GEN.write_export(tmp_path_factory.mktemp(layout), layout=layout, units=units)
    export, activities = read_all(path)
    by_start = {f"{a.local_start:%Y-%m-%d %H:%M}": a for a in activities}
    names = {
        value["local_start"]: key
        for key, value in EXPECTED.items()
        if isinstance(value, dict) and "local_start" in value
    }
    return layout, export, {names[start]: activity for start, activity in by_start.items()}


# --- the generated exports -----------------------------------------------------------------


def test_the_generated_ios16_dtd_breaks_elementtree_as_real_exports_do():
    with pytest.raises(ET.ParseError, match=r"^syntax error: line 155, column 2$"):
        ET.fromstring(GEN.export_xml("ios17"))
    ET.fromstring(GEN.export_xml("ios15"))  # the older DTD is well-formed


def test_every_workout_becomes_one_activity(imported):
    layout, export, activities = imported
    expected = {"run", "walk", "strength", "treadmill"} | (
        {"interval"} if layout == "ios17" else set()
    )
    assert set(activities) == expected
    assert export.activity_count == len(expected)
    assert export.warnings == []
    assert export.problems == []


def test_outdoor_run_summary(imported):
    _, _, activities = imported
    run = activities["run"]
    want = EXPECTED["run"]
    assert (run.sport, run.sub_sport, run.surface) == ("running", None, "unknown")
    assert run.start_utc == datetime(2026, 3, 14, 6, 12, tzinfo=UTC)
    assert run.utc_offset_s == 3600
    assert run.elapsed_s == want["elapsed_s"]
    assert run.timer_s == want["timer_s"]  # less the 2-minute pause
    assert run.distance_m == pytest.approx(want["distance_m"], abs=1e-3)
    assert run.avg_heart_rate_bpm == want["avg_hr"]
    assert run.max_heart_rate_bpm == want["max_hr"]
    assert run.ascent_m == pytest.approx(want["ascent_m"])
    assert run.avg_cadence_spm == pytest.approx(want["cadence_spm"])  # the watch's, not the phone's
    assert run.device == "Apple Watch Watch6,2"
    assert run.source_format == "apple-health"
    assert run.source_name == f"{LABEL} Workout 2026-03-14 07:12"
    assert run.source_index == 0
    assert run.warnings == []


def test_outdoor_run_samples_from_route_and_watch_records(imported):
    _, _, activities = imported
    samples = activities["run"].samples
    assert list(samples.columns) == [
        "distance_m",
        "speed_mps",
        "altitude_m",
        "lat_deg",
        "lon_deg",
        "heart_rate_bpm",
        "cadence_spm",
        "power_w",
        "vertical_oscillation_mm",
        "stance_time_ms",
        "step_length_mm",
    ]
    start = pd.Timestamp("2026-03-14 06:12:00", tz="UTC")
    first = samples.loc[start]
    assert first["heart_rate_bpm"] == 148
    assert first["speed_mps"] == pytest.approx(3.5, abs=1e-5)  # from km/hr or mi/hr
    assert first["power_w"] == 250
    assert first["stance_time_ms"] == 240
    assert first["vertical_oscillation_mm"] == pytest.approx(84.0)  # 8.4 cm
    assert first["step_length_mm"] == pytest.approx(1250.0, abs=0.01)  # m or ft
    assert first["lat_deg"] == pytest.approx(52.520008)
    assert samples.loc[start + pd.Timedelta(seconds=5), "cadence_spm"] == pytest.approx(168.0)
    assert set(samples["cadence_spm"].dropna().round(6)) == {168.0}  # the phone's 150 left out
    assert samples["distance_m"].dropna().iloc[-1] == pytest.approx(7980.0, abs=1e-3)
    assert samples["distance_m"].dropna().is_monotonic_increasing
    assert samples["heart_rate_bpm"].count() == 480
    # the route's points: 1 Hz while moving, none in the pause
    assert samples["lat_deg"].count() == 2280
    pause = samples.loc["2026-03-14 06:30:01":"2026-03-14 06:31:59"]
    assert pause["lat_deg"].count() == 0


def test_treadmill_run(imported):
    _, _, activities = imported
    run = activities["treadmill"]
    assert (run.sport, run.sub_sport, run.surface, run.surface_source) == (
        "running",
        "treadmill",
        "treadmill",
        "file",
    )
    assert run.distance_m == pytest.approx(6000.0, abs=1e-3)
    assert run.avg_heart_rate_bpm == 145.0
    assert run.elapsed_s == run.timer_s == 1800.0
    assert "lat_deg" not in run.samples
    assert run.samples["distance_m"].iloc[-1] == pytest.approx(6000.0, abs=1e-3)


def test_walk_recorded_by_the_phone_uses_the_phones_records(imported):
    _, _, activities = imported
    walk = activities["walk"]
    assert (walk.sport, walk.sub_sport) == ("walking", None)
    assert walk.distance_m == pytest.approx(3600.0, abs=1e-3)
    assert walk.avg_cadence_spm == pytest.approx(110.0)
    assert walk.device == "iPhone iPhone14,5"
    assert walk.avg_heart_rate_bpm is None


def test_strength_workout_abroad_takes_its_local_time_from_hktimezone(imported):
    _, _, activities = imported
    strength = activities["strength"]
    assert (strength.sport, strength.sub_sport) == ("training", "strength_training")
    assert strength.utc_offset_s == -4 * 3600
    assert f"{strength.local_start:%Y-%m-%d %H:%M}" == "2026-03-15 13:00"
    assert strength.distance_m is None
    assert strength.avg_heart_rate_bpm == 110.0
    assert strength.max_heart_rate_bpm == 115.0
    assert strength.avg_cadence_spm is None and "cadence_spm" not in strength.samples
    assert strength.warnings == [
        "its dates are written with UTC offset +01:00, but HKTimeZone America/New_York was "
        "-04:00 at the start; local time from HKTimeZone"
    ]


def test_interval_workout_totals_come_from_its_workout_activities(imported):
    layout, _, activities = imported
    if layout != "ios17":
        pytest.skip("WorkoutActivity exists from iOS 16 on")
    run = activities["interval"]
    assert run.sport == "running" and run.sub_sport is None
    assert run.distance_m == pytest.approx(8300.0, abs=1e-3)
    assert run.avg_heart_rate_bpm == pytest.approx(146.25)
    assert run.max_heart_rate_bpm == 175.0
    assert run.timer_s == 2340.0  # one minute of auto-pause
    assert run.utc_offset_s == 3600  # HKTimeZone from inside the WorkoutActivity


def test_wellness_days(imported):
    _, export, _ = imported
    days = {f"{day.date}": day for day in export.wellness}
    assert sorted(days) == [f"2026-03-{d}" for d in range(10, 17)]
    assert {d: v.resting_hr_bpm for d, v in days.items()} == EXPECTED["resting_hr"]
    assert {d: v.hrv_sdnn_ms for d, v in days.items()} == EXPECTED["hrv"]
    assert {d: v.sleep_s for d, v in days.items() if v.sleep_s} == EXPECTED["sleep_s"]
    assert days["2026-03-15"] == WellnessDay("2026-03-15", 48.0, 55.0, 27000.0)


def test_profile(imported):
    _, export, _ = imported
    assert export.profile == ProfileHints(birth_year=1988, sex="female")


def test_workouts_before_records_give_the_same_activities(tmp_path):
    first, _ = read_all(GEN.write_export(tmp_path / "a", workouts_first=True))
    second, _ = read_all(GEN.write_export(tmp_path / "b"))
    with (
        open_apple_health(tmp_path / "a" / "export.zip") as a,
        open_apple_health(tmp_path / "b" / "export.zip") as b,
    ):
        for one, other in zip(a.activities(), b.activities(), strict=True):
            assert one.source_sha256 == other.source_sha256
            pd.testing.assert_frame_equal(one.samples, other.samples)
            assert one.distance_m == other.distance_m
    assert first.wellness == second.wellness


def test_the_same_workouts_keep_their_keys_across_exports_and_forms(tmp_path):
    _, metric = read_all(GEN.write_export(tmp_path / "m", units=GEN.METRIC))
    _, imperial = read_all(GEN.write_export(tmp_path / "i", units=GEN.IMPERIAL))
    folder = GEN.write_folder(tmp_path / "f")
    _, unpacked = read_all(folder)
    keys = [a.source_sha256 for a in metric]
    assert len(set(keys)) == len(keys)
    assert keys == [a.source_sha256 for a in imperial] == [a.source_sha256 for a in unpacked]


def test_unpacked_folder_and_bare_export_xml_find_the_route(tmp_path):
    folder = GEN.write_folder(tmp_path)
    for path, label in (
        (folder, f"{folder}/export.xml"),
        (tmp_path, f"{folder}/export.xml"),
        (folder / "export.xml", "export.xml"),
    ):
        export, activities = read_all(path)
        assert export.label == label
        run = activities[0]
        assert run.source_name == f"{label} Workout 2026-03-14 07:12"
        assert run.samples["lat_deg"].count() == 2280


def test_a_missing_route_file_leaves_the_run_without_positions(tmp_path):
    _, activities = read_all(GEN.write_export(tmp_path, with_route=False))
    run = activities[0]
    assert run.warnings == [
        "route file /workout-routes/route_2026-03-14_7.12am.gpx is not in the export; "
        "imported without it"
    ]
    assert "lat_deg" not in run.samples
    assert run.distance_m == pytest.approx(7980.0)  # the records still give the rest
    assert run.samples["heart_rate_bpm"].count() == 480


def _with_xml(tmp_path: Path, xml: str, *, route: bool = True) -> Path:
    entries = {"apple_health_export/export.xml": xml}
    if route:
        entries[f"apple_health_export{GEN.RUN_ROUTE}"] = GEN.route_gpx()
    path = tmp_path / "export.zip"
    path.write_bytes(GEN.zip_bytes(entries))
    return path


def test_records_with_an_unknown_unit_are_skipped_with_one_warning_per_type(tmp_path):
    def unit(kind: str, old: str, new: str) -> tuple[str, str]:
        prefix = (
            f'type="HKQuantityTypeIdentifier{kind}" sourceName="{GEN.WATCH}" sourceVersion="10.3"'
        )
        return f'{prefix} unit="{old}"', f'{prefix} unit="{new}"'

    xml = GEN.export_xml()
    for old, new in (
        unit("RunningPower", "W", "hp"),
        unit("RunningGroundContactTime", "ms", "fortnight"),
    ):
        assert old in xml
        xml = xml.replace(old, new)
    export, activities = read_all(_with_xml(tmp_path, xml))
    assert export.warnings == [
        f"{LABEL}: 456 RunningGroundContactTime records during workouts have an unknown unit "
        "('fortnight') and were skipped",
        f"{LABEL}: 456 RunningPower records during workouts have an unknown unit ('hp') and "
        "were skipped",
    ]
    assert "power_w" not in activities[0].samples
    assert "stance_time_ms" not in activities[0].samples


def test_workouts_already_imported_are_skipped_before_anything_is_read(tmp_path, monkeypatch):
    path = GEN.write_export(tmp_path)
    with open_apple_health(path) as export:
        keys = [a.source_sha256 for a in export.activities()]
    passes = []
    real = apple_health.collect_records
    monkeypatch.setattr(
        apple_health, "collect_records", lambda *args: passes.append(1) or real(*args)
    )
    with open_apple_health(path) as export:
        assert list(export.activities(skip=lambda key: True)) == []
        assert passes == []  # no second pass at all
        kept = list(export.activities(skip=lambda key: key != keys[1]))
    assert passes == [1]
    assert [a.source_sha256 for a in kept] == [keys[1]]
    assert kept[0].sport == "walking" and kept[0].avg_cadence_spm == pytest.approx(110.0)


def test_activities_can_be_read_twice_and_warn_once(tmp_path):
    xml = GEN.export_xml().replace('unit="W"', 'unit="hp"')
    with open_apple_health(_with_xml(tmp_path, xml)) as export:
        first = [a.source_sha256 for a in export.activities()]
        second = [a.source_sha256 for a in export.activities()]
        assert first == second
        assert len(export.warnings) == 1


def test_a_workout_from_another_app_borrows_the_watchs_heart_rate(tmp_path):
    xml = GEN.export_xml().replace(
        f'workoutActivityType="HKWorkoutActivityTypeRunning" duration="38" durationUnit="min" '
        f'sourceName="{GEN.WATCH}"',
        'workoutActivityType="HKWorkoutActivityTypeRunning" duration="38" durationUnit="min" '
        'sourceName="Runna"',
    )
    _, activities = read_all(_with_xml(tmp_path, xml))
    run = activities[0]
    assert run.samples["heart_rate_bpm"].count() == 480
    assert set(run.samples["cadence_spm"].dropna().round(6)) == {168.0}  # the watch: most records
    assert "HeartRate from 'Alex’s Apple Watch': the workout's own source 'Runna' wrote none" in (
        run.warnings
    )


# --- bad input -------------------------------------------------------------------------------


def test_a_truncated_export_is_refused_whole_with_where_it_was_cut(tmp_path):
    xml = GEN.export_xml().encode()
    cut = xml[: len(xml) * 2 // 3]
    path = _with_xml(tmp_path, cut.decode("utf-8", "ignore"))
    line = cut.count(b"\n") + 1
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    message = str(caught.value)
    assert message.startswith(f"{LABEL}: cut short at line {line:,}, column ")
    assert message.endswith(
        "inside an element still open); the export was not imported: export it again from the "
        "Health app"
    )
    assert "\n" not in message


def test_a_zip_without_export_xml_is_refused(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(GEN.zip_bytes({"apple_health_export/workout-routes/r.gpx": "<gpx/>"}))
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        "export.zip: no export.xml inside; not an Apple Health export, or an incomplete one"
    )


def test_export_cda_xml_alone_says_what_it_is(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(GEN.zip_bytes({"apple_health_export/export_cda.xml": GEN.CDA}))
    with pytest.raises(UnsupportedFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        "export.zip: holds only export_cda.xml, the clinical-documents file of an Apple Health "
        "export, not the health data; import export.zip or its export.xml"
    )
    bare = tmp_path / "export_cda.xml"
    bare.write_text(GEN.CDA)
    with pytest.raises(UnsupportedFile, match=r"^export_cda.xml: holds only export_cda.xml, "):
        open_apple_health(bare)
    renamed = tmp_path / "export.xml"
    renamed.write_text(GEN.CDA)
    with pytest.raises(UnsupportedFile, match=r"^export.xml: holds only export_cda.xml, "):
        open_apple_health(renamed)


def test_an_xml_file_that_is_not_an_export(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0"?><gpx version="1.1"></gpx>')
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        "export.xml: not an Apple Health export (its root element is <gpx>, not <HealthData>)"
    )


def test_xml_that_is_not_well_formed_names_line_and_column(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        '<HealthData locale="en_US">\n <Record type="x" value="1"></Workout>\n</HealthData>\n'
    )
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == "export.xml: not valid XML: mismatched tag (line 2, column 31)"


def test_an_empty_export_xml(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(b"")
    with pytest.raises(CorruptFile, match=r"^export.xml: the file is empty$"):
        open_apple_health(path)


# --- recognition -----------------------------------------------------------------------------


def test_recognition(tmp_path):
    assert is_apple_health_zip(["apple_health_export/export.xml", "__MACOSX/._export.xml"])
    assert is_apple_health_zip(["export.xml"])
    assert is_apple_health_zip(["apple_health_export/export_cda.xml"])
    assert not is_apple_health_zip(["__MACOSX/apple_health_export/._export.xml", "a.fit"])
    assert not is_apple_health_zip(["DI_CONNECT/x.json", "activities.csv"])
    folder = GEN.write_folder(tmp_path)
    assert is_apple_health_folder(folder)
    assert is_apple_health_folder(tmp_path)
    assert not is_apple_health_folder(tmp_path / "apple_health_export" / "workout-routes")
    head = (folder / "export.xml").read_bytes()[:65536]
    assert looks_like_apple_health_xml(head)
    assert looks_like_apple_health_xml(b'<?xml version="1.0"?>\n<HealthData locale="en_US">')
    assert not looks_like_apple_health_xml(b'<?xml version="1.0"?>\n<gpx version="1.1">')


# --- the pieces ------------------------------------------------------------------------------


def test_parse_date():
    assert parse_date("2020-02-24 09:44:00 -0800") == (
        int(datetime(2020, 2, 24, 17, 44, tzinfo=UTC).timestamp()),
        -8 * 3600,
    )
    assert parse_date("2024-01-01 01:01:36 +0530")[1] == 5 * 3600 + 30 * 60
    for bad in ("2020-02-24T09:44:00Z", "yesterday", "2020-02-24 09:61:00 -0800", ""):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_skip_doctype_keeps_line_numbers_and_needs_the_whole_doctype():
    text = b'<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!-- a ] in a "comment -->\n]>\n<a/>'
    assert skip_doctype(text, "x") == b'<?xml version="1.0"?>\n\n\n\n<a/>'
    assert skip_doctype(text[:40], "x") is None
    assert skip_doctype(b"<a/>", "x") == b"<a/>"


def test_pause_seconds():
    assert pause_seconds([], 0, 100) is None
    assert pause_seconds([("HKWorkoutEventTypeSegment", 5)], 0, 100) is None
    events = [("HKWorkoutEventTypePause", 10), ("HKWorkoutEventTypeResume", 30)]
    assert pause_seconds(events, 0, 100) == 20
    # an auto-pause inside a manual one counts once; a pause open at the end runs to the end
    events += [
        ("HKWorkoutEventTypeMotionPaused", 20),
        ("HKWorkoutEventTypeMotionResumed", 40),
        ("HKWorkoutEventTypePause", 90),
    ]
    assert pause_seconds(events, 0, 100) == 30 + 10


def test_sleep_by_day():
    hour = 3600
    night = 20 * 86400  # 1970-01-21 00:00 UTC
    intervals = [
        (night - 2 * hour, night + 2 * hour, 0),  # 22:00-02:00
        (night + hour, night + 3 * hour, 0),  # overlaps (another source): union to 03:00
        (night + 4 * hour, night + 6 * hour, 0),  # after an hour awake: the same sleep
        (night + 14 * hour, night + 15 * hour, 0),  # a nap: another sleep, the same date
    ]
    assert sleep_by_day(intervals) == {date(1970, 1, 21): (5 + 2 + 1) * hour}
    # a sleep ending after midnight UTC but before local midnight (-05:00) counts the day before
    assert sleep_by_day([(night - hour, night + hour, -5 * hour)]) == {date(1970, 1, 20): 7200}
    assert 2 * hour == SLEEP_GAP_S


@pytest.mark.parametrize(
    ("kind", "indoor", "expected"),
    [
        ("HKWorkoutActivityTypeRunning", "1", ("running", "treadmill", "treadmill")),
        ("HKWorkoutActivityTypeRunning", "0", ("running", None, "unknown")),
        ("HKWorkoutActivityTypeCycling", "1", ("cycling", "indoor_cycling", "unknown")),
        ("HKWorkoutActivityTypeCoreTraining", None, ("training", "core_training", "unknown")),
        ("HKWorkoutActivityTypeYoga", None, ("training", "yoga", "unknown")),
        ("HKWorkoutActivityTypeTaiChi", None, ("training", "tai_chi", "unknown")),
        ("HKWorkoutActivityTypeElliptical", None, ("fitness_equipment", "elliptical", "unknown")),
        ("HKWorkoutActivityTypeRowing", "1", ("rowing", "indoor_rowing", "unknown")),
        (
            "HKWorkoutActivityTypeHighIntensityIntervalTraining",
            None,
            ("training", "hiit", "unknown"),
        ),
        (
            "HKWorkoutActivityTypeCrossCountrySkiing",
            None,
            ("cross_country_skiing", None, "unknown"),
        ),
        ("HKWorkoutActivityTypeJumpRope", None, ("jump_rope", None, "unknown")),
    ],
)
def test_sport_of(kind, indoor, expected):
    metadata = {"HKIndoorWorkout": indoor} if indoor is not None else {}
    assert sport_of(kind, metadata) == expected


def test_swimming_location():
    assert sport_of("HKWorkoutActivityTypeSwimming", {"HKSwimmingLocationType": "1"})[1] == (
        "lap_swimming"
    )


def test_parse_quantity_m():
    assert parse_quantity_m("217 cm") == pytest.approx(2.17)
    assert parse_quantity_m("71.5 ft") == pytest.approx(21.7932)
    assert parse_quantity_m("12 parsecs") is None
    assert parse_quantity_m("") is None


# --- real exports ----------------------------------------------------------------------------

APPLE = REAL / "apple" if REAL is not None else None


def _real(name: str) -> Path:
    if APPLE is None or not (APPLE / name).exists():
        pytest.skip("the real Apple Health fixtures are not present")
    return APPLE / name


@pytest.mark.parametrize("name", ["dogsheep/export.xml", "dogsheep/export.zip"])
def test_real_dogsheep_export(name):
    """One hand-made running workout: 0.4971749504535062 mi, 07:25:41-07:30:52 written -0700,
    HKTimeZone America/Los_Angeles (-08:00 in November)."""
    export, activities = read_all(_real(name))
    assert export.profile == ProfileHints(birth_year=1990, sex="male")
    assert export.wellness == []  # its one heart rate is no resting heart rate
    assert len(activities) == 1
    run = activities[0]
    assert (run.sport, run.sub_sport) == ("running", None)
    assert run.start_utc == datetime(2016, 11, 14, 14, 25, 41, tzinfo=UTC)
    assert run.utc_offset_s == -8 * 3600
    assert run.elapsed_s == 311.0
    assert run.timer_s == 311.0  # its duration, 5.19 min, is not shorter
    assert run.distance_m == pytest.approx(0.4971749504535062 * 1609.344)
    assert run.device == "Apple Watch"
    offsets = (
        "its dates are written with UTC offset -07:00, but HKTimeZone America/Los_Angeles was "
        "-08:00 at the start; local time from HKTimeZone"
    )
    if name.endswith(".xml"):  # its route is inline <Location>s, the old way
        assert run.warnings == [
            "the workout's 2 inline <Location> points (exports before iOS 12) were not read",
            offsets,
        ]
    else:  # the zip's route GPX is from another day (2019-06-11): not this run's
        assert run.warnings == [
            "route file /workout-routes/route_2019-06-11_3.00pm.gpx was recorded at another "
            "time than the workout; imported without it",
            offsets,
        ]
    assert run.samples.empty


@pytest.mark.parametrize("name", ["alxdrcirilo/export.xml", "alxdrcirilo/export.zip"])
def test_real_alxdrcirilo_export(name):
    """No workout; one AsleepCore interval 03:27:53-03:40:23 (+0200, Europe/Amsterdam) and an
    InBed one that does not count."""
    export, activities = read_all(_real(name))
    assert activities == []
    assert export.profile == ProfileHints(birth_year=1990, sex="male")
    assert export.wellness == [WellnessDay("2024-01-01", None, None, 750.0)]
    assert export.warnings == []


def test_the_zip_member_is_streamed_to_its_end(tmp_path):
    path = GEN.write_export(tmp_path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("apple_health_export/export.xml")
    with open_apple_health(path) as export:
        assert export.bytes_read == info.file_size
        assert export.records_seen == GEN.export_xml().count("<Record ")
