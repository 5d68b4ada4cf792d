"""Garmin Connect export: FITs from the nested upload zip matched to summaries, gear, resting HR."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pytest
from exports import (
    GarminActivity,
    GarminExportSpec,
    GarminGear,
    Run,
    garmin_export_files,
    garmin_summary,
    write_tree,
)

from stridewise.errors import CorruptFile
from stridewise.importers.garmin_export import (
    read_gear,
    read_resting_heart_rates,
    read_summarized_activities,
    summary_activity,
)
from stridewise.pipeline import import_paths
from stridewise.profile import Profile
from stridewise.shoes import shoes_frame
from stridewise.store import Store
from stridewise.views import activity_rows

# 22:30 UTC at +2 h: the local date is the next day, so a UTC date would be caught out
START = datetime(2026, 9, 20, 22, 30, tzinfo=UTC)


def spec() -> GarminExportSpec:
    return GarminExportSpec(
        activities=[
            # plain FIT (sub_sport generic) of a run Garmin Connect lists as trail running
            GarminActivity(Run(START, 1800, 5000.0), 101, "trail_running", "Night trail", True, 1),
            GarminActivity(
                Run(START + timedelta(days=1), 2400, 8000.0, sub_sport="treadmill"), 102, gear_pk=2
            ),
            GarminActivity(Run(START + timedelta(days=2), 3000, 10000.0, sub_sport="street"), 103),
            # a run without a file (entered by hand on Garmin Connect)
            GarminActivity(
                Run(START + timedelta(days=3), 1500, 4000.0),
                104,
                name="Forgot the watch",
                with_fit=False,
                gear_pk=1,
            ),
        ],
        gear=[
            GarminGear(1, "Pegasus 40", "Nike Pegasus 40", maximum_meters=800_000.0),
            GarminGear(
                2, None, "Hoka Clifton 8", status="retired", date_end="2026-10-01T00:00:00.0"
            ),
            GarminGear(3, "Gravel bike", "Canyon Grizl", gear_type="Bike"),
        ],
        resting_hr={"2026-09-20": 52, "2026-09-21": 50, "2026-09-22": None},
        monitoring_days=[START - timedelta(days=n) for n in range(3)],
        multisport_parent_ids=[900],
    )


@lru_cache(maxsize=2)
def export_files(under_uuid_folder: bool = True) -> dict[str, bytes]:
    """The export's files, built once per layout (FIT writing is the slow part)."""
    export = spec()
    export.under_uuid_folder = under_uuid_folder
    return garmin_export_files(export)


def local_date(run: Run) -> str:
    return (run.start_utc + timedelta(seconds=run.utc_offset_s)).date().isoformat()


def rows_by_date(store: Store) -> dict[str, dict]:
    return {row["local_date"]: row for row in activity_rows(store, "me", Profile())}


def test_garmin_export_zip_imports_runs_shoes_surfaces_and_resting_heart_rate(tmp_path):
    export = spec()
    path = write_tree(export_files(), tmp_path / "garmin.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=2)
        rows = rows_by_date(store)
        shoes = shoes_frame(store, "me", Profile(), today=date(2026, 10, 1)).set_index("name")
        wellness = store.conn.execute(
            "SELECT date, resting_hr_bpm, source FROM wellness ORDER BY date"
        ).fetchall()

    trail, treadmill, street, by_hand = (a.run for a in export.activities)
    assert report.imported == 4  # three FITs and the run without a file; no multisport parent
    assert report.failed == []
    assert sorted(s["reason"] for s in report.skipped) == ["not an activity (monitoring_b)"] * 3
    assert sorted(rows) == [local_date(r) for r in (trail, treadmill, street, by_hand)]

    first = rows[local_date(trail)]
    assert (first["surface"], first["surface_source"]) == ("trail", "export")
    assert (first["name"], first["shoe"]) == ("Night trail", "Pegasus 40")
    assert first["records"] == trail.duration_s + 1
    assert first["distance_km"] == trail.distance_m / 1000
    assert first["utc_offset_s"] == trail.utc_offset_s
    assert (rows[local_date(treadmill)]["surface"], rows[local_date(treadmill)]["shoe"]) == (
        "treadmill",
        "Hoka Clifton 8",
    )
    assert rows[local_date(street)]["surface"] == "road"  # the FIT's street beats plain "running"

    manual = rows[local_date(by_hand)]
    assert manual["source"] == "summarizedActivities.json #104"
    assert manual["records"] == 0
    assert (manual["distance_km"], manual["duration_s"]) == (4.0, by_hand.duration_s)
    assert (manual["surface"], manual["name"], manual["shoe"]) == (
        "unknown",
        "Forgot the watch",
        "Pegasus 40",
    )

    assert sorted(shoes.index) == ["Hoka Clifton 8", "Pegasus 40"]  # the bike is no shoe
    pegasus, clifton = shoes.loc["Pegasus 40"], shoes.loc["Hoka Clifton 8"]
    assert pegasus["distance_km"] == (trail.distance_m + by_hand.distance_m) / 1000
    assert (pegasus["runs"], pegasus["limit_km"], pegasus["retired"]) == (2, 800.0, False)
    assert (clifton["distance_km"], clifton["retired_on"]) == (8.0, "2026-10-01")
    assert wellness == [
        ("2026-09-20", 52.0, "garmin export"),
        ("2026-09-21", 50.0, "garmin export"),
    ]
    assert (report.shoes, report.wellness_days) == (2, 2)


def test_importing_the_export_again_changes_nothing(tmp_path):
    path = write_tree(export_files(), tmp_path / "garmin.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [path], jobs=1)
        before = activity_rows(store, "me", Profile())
        again = import_paths(store, [path], jobs=1)
        after = activity_rows(store, "me", Profile())
    assert (again.imported, again.duplicates, again.failed, again.wellness_days) == (0, 4, [], 0)
    assert after == before


@pytest.mark.parametrize("under_uuid_folder", [True, False])
def test_unpacked_export_folder_imports_like_the_zip(tmp_path, under_uuid_folder):
    files = export_files(under_uuid_folder)
    zipped = write_tree(files, tmp_path / "garmin.zip", as_zip=True)
    write_tree(files, tmp_path / "Downloads" / "garmin", as_zip=False)
    with Store(tmp_path / "zip.db") as from_zip, Store(tmp_path / "folder.db") as from_folder:
        import_paths(from_zip, [zipped], jobs=1)
        report = import_paths(from_folder, [tmp_path / "Downloads"], jobs=1)
        expected = _comparable(activity_rows(from_zip, "me", Profile()))
        got = _comparable(activity_rows(from_folder, "me", Profile()))
    assert report.imported == 4
    assert report.failed == []
    assert got == expected


def _comparable(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("id",)} for row in rows]


def test_an_interrupted_import_completes_when_run_again(tmp_path):
    path = write_tree(export_files(), tmp_path / "garmin.zip", as_zip=True)

    def interrupt_after_three(done: int, total: int, label: str) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with Store(tmp_path / "clean.db") as clean:
        import_paths(clean, [path], jobs=1)
        expected = _comparable(activity_rows(clean, "me", Profile()))
    with Store(tmp_path / "db.sqlite") as store:
        with pytest.raises(KeyboardInterrupt):
            import_paths(store, [path], jobs=1, progress=interrupt_after_three)
        partial = store.count_activities()
        report = import_paths(store, [path], jobs=1)
        got = _comparable(activity_rows(store, "me", Profile()))
    assert 0 < partial < 4
    assert report.imported == 4 - partial
    assert [{k: v for k, v in r.items() if k != "source"} for r in got] == [
        {k: v for k, v in r.items() if k != "source"} for r in expected
    ]


def test_progress_counts_every_file_and_summary_against_a_growing_total(tmp_path):
    path = write_tree(export_files(), tmp_path / "garmin.zip", as_zip=True)
    calls: list[tuple[int, int]] = []
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [path], jobs=1, progress=lambda d, t, _: calls.append((d, t)))
    files, summaries = 3 + 3, 4  # FITs + monitoring files in the upload zip; summaries
    assert [done for done, _ in calls] == list(range(1, files + summaries + 1))
    assert calls[-1] == (files + summaries, files + summaries)


# --- the files, one by one ----------------------------------------------------------------------


def test_summary_units_times_and_local_offset():
    run = Run(START, 1800, 5000.0, utc_offset_s=-4 * 3600)
    item = garmin_summary(GarminActivity(run, 7, "running", "Evening Run"))
    activity = summary_activity(item)
    assert activity is not None
    assert activity.start_utc == START
    assert activity.utc_offset_s == -4 * 3600
    assert activity.distance_m == pytest.approx(5000.0)  # written in cm
    assert activity.timer_s == 1800.0  # written in ms
    assert activity.elapsed_s == 1805.0
    assert activity.ascent_m == 12.0
    assert activity.avg_cadence_spm == run.cadence_spm  # strides doubled
    assert (activity.sport, activity.surface, activity.surface_source) == (
        "running",
        "unknown",
        None,
    )


@pytest.mark.parametrize(
    ("activity_type", "sport", "surface"),
    [
        ("running", "running", "unknown"),
        ("trail_running", "running", "trail"),
        ("treadmill_running", "running", "treadmill"),
        ("indoor_running", "running", "treadmill"),
        ("track_running", "running", "track"),
        ("virtual_run", "running", "treadmill"),
        ("walking", "walking", "unknown"),
        ("road_biking", "cycling", "unknown"),
        ("backcountry_skiing", "backcountry_skiing", "unknown"),
    ],
)
def test_activity_type_gives_sport_and_surface(activity_type, sport, surface):
    item = garmin_summary(GarminActivity(Run(START, 600, 2000.0), 1, activity_type))
    activity = summary_activity(item)
    assert activity is not None
    assert (activity.sport, activity.surface) == (sport, surface)
    assert activity.surface_source == (None if surface == "unknown" else "export")


def test_multisport_parent_is_left_out_but_its_legs_stay():
    leg = garmin_summary(GarminActivity(Run(START, 600, 2000.0), 2, "running"))
    parent = dict(leg, activityId=1, activityType="multi_sport", parent=True)
    document = json.dumps([{"summarizedActivitiesExport": [parent, leg]}]).encode()
    summaries = read_summarized_activities(document, "x_summarizedActivities.json")
    assert [activity_id for activity_id, _ in summaries] == [2]
    assert summaries[0][1].key == "summarizedActivities.json #2"


def test_summaries_that_are_not_json_are_damaged():
    with pytest.raises(CorruptFile) as damaged:
        read_summarized_activities(b"[{", "x_summarizedActivities.json")
    assert str(damaged.value).startswith("x_summarizedActivities.json: not valid JSON")


def test_gear_lists_shoes_with_limits_and_which_activities_wore_them():
    document = {
        "gearDTOS": [
            {
                "gearPk": 5,
                "displayName": None,
                "customMakeModel": " Asics  Novablast 4 ",
                "gearTypeName": "Shoes",
                "gearStatusName": "active",
                "maximumMeters": 650000.0,
            },
            {
                "gearPk": 6,
                "displayName": "Old",
                "customMakeModel": "Saucony Ride",
                "gearStatusName": "retired",
                "dateEnd": "2026-03-01T00:00:00.0",
            },
            {"gearPk": 7, "displayName": "Bike", "gearTypeName": "Bike"},
        ],
        "gearActivityDTOs": {
            "5": [{"activityId": 11}, {"activityId": 12}],
            "7": [{"activityId": 13}],
        },
    }
    shoes, worn = read_gear(json.dumps(document).encode(), "x_gear.json")
    assert [(s.name, s.limit_km, s.retired_on) for s in shoes] == [
        ("Asics Novablast 4", 650.0, None),
        ("Old", None, date(2026, 3, 1)),
    ]
    assert worn == {11: "Asics Novablast 4", 12: "Asics Novablast 4"}


def test_resting_heart_rate_a_record_a_day():
    document = [
        {"calendarDate": "2026-09-01", "restingHeartRate": 51},
        {"calendarDate": {"date": "2026-09-02"}, "restingHeartRate": 49.0},
        {"calendarDate": "2026-09-03", "restingHeartRate": None},
        {"calendarDate": "2026-09-04", "restingHeartRate": 0},
    ]
    days = read_resting_heart_rates(json.dumps(document).encode(), "UDSFile_1_2.json")
    assert days == [("2026-09-01", 51.0), ("2026-09-02", 49.0)]


def test_shoe_from_the_export_merges_with_one_added_by_hand(tmp_path):
    from stridewise.shoes import add_shoe

    path = write_tree(export_files(), tmp_path / "garmin.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        add_shoe(store, "me", "pegasus40", limit_km=600.0)
        import_paths(store, [path], jobs=1)
        shoes = shoes_frame(store, "me", Profile(), today=date(2026, 10, 1)).set_index("name")
    assert sorted(shoes.index) == ["Hoka Clifton 8", "pegasus40"]
    assert shoes.loc["pegasus40", "limit_km"] == 600.0  # the runner's own limit stays
    assert shoes.loc["pegasus40", "runs"] == 2


def test_a_fit_claims_a_summary_of_another_sport_name_only_at_the_same_second(tmp_path):
    from stridewise.archive import FolderSource
    from stridewise.importers.exports import ExportContents, ExportSummary
    from stridewise.model import Activity
    from stridewise.pipeline.exports import ExportFile, OpenExport

    def listed(activity_type: str, shift_s: int) -> ExportSummary:
        item = garmin_summary(GarminActivity(Run(START, 600, 0.0), shift_s, activity_type))
        item["startTimeGmt"] += shift_s * 1000.0
        activity = summary_activity(item)
        assert activity is not None
        return ExportSummary(f"#{shift_s}", activity, f"sha{shift_s}")

    contents = ExportContents(kind="garmin")
    contents.summaries = [listed("indoor_rowing", 10), listed("indoor_rowing", 60)]
    export = OpenExport(FolderSource(tmp_path), contents)
    rowing = Activity(sport="fitness_equipment", start_utc=START)
    file = ExportFile(export.source, "1.fit", "1.fit")
    [(_, claimed)] = export.claim(file, [rowing])
    assert claimed.key == "#10"
    later = Activity(sport="fitness_equipment", start_utc=START + timedelta(seconds=60 - 30))
    assert export.claim(file, [later]) == []  # 30 s from any summary: not claimed across sports


def test_sleep_nights_are_read_as_the_seconds_asleep_of_the_day_they_ended():
    from stridewise.importers.garmin_export import read_sleep

    nights = [
        {
            "calendarDate": "2026-03-14",
            "deepSleepSeconds": 5400,
            "lightSleepSeconds": 14400,
            "remSleepSeconds": 5400,
            "awakeSleepSeconds": 1800,  # awake is not sleep
        },
        {"calendarDate": "2026-03-15", "deepSleepSeconds": None},  # nothing measured
        {"calendarDate": "not a date", "deepSleepSeconds": 3600},
    ]
    assert read_sleep(json.dumps(nights).encode(), "x_sleepData.json") == {"2026-03-14": 25200.0}


def test_the_user_profile_gives_birth_year_sex_and_heart_rates():
    from stridewise.importers.garmin_export import read_athlete_facts

    document = {
        "birthDate": "1986-04-12",
        "gender": "FEMALE",
        "maxHeartRate": 186,
        "lactateThresholdHeartRate": 168,
    }
    facts = read_athlete_facts(json.dumps(document).encode(), "user_profile.json")
    assert facts == {"birth_year": 1986, "sex": "female", "max_hr": 186.0, "lthr_bpm": 168.0}
    assert read_athlete_facts(b'{"gender": "OTHER", "maxHeartRate": 900}', "u.json") == {}


def test_an_export_with_sleep_and_a_profile_stores_them(tmp_path):
    root = tmp_path / "export" / "DI_CONNECT"
    (root / "DI-Connect-Wellness").mkdir(parents=True)
    (root / "DI-Connect-User").mkdir(parents=True)
    (root / "DI-Connect-Wellness" / "a_sleepData.json").write_text(
        json.dumps([{"calendarDate": "2026-03-14", "lightSleepSeconds": 25000}])
    )
    (root / "DI-Connect-User" / "user_profile.json").write_text(
        json.dumps({"birthDate": "1986-04-12", "gender": "MALE"})
    )
    with Store(tmp_path / "x.db") as store:
        report = import_paths(store, [tmp_path / "export"], jobs=1)
        assert report.failed == []
        assert report.wellness_days == 1
        wellness = store.wellness_frame("me")
        facts = store.athlete_facts("me")
    assert wellness["sleep_s"].tolist() == [25000.0]
    assert facts == {"birth_year": ("1986", "Garmin export"), "sex": ("male", "Garmin export")}
