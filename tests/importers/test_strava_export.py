"""Strava bulk export: activities.csv linked to its files, shoes.csv, localised headers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pytest
from exports import (
    Run,
    StravaActivity,
    StravaExportSpec,
    strava_activities_csv,
    strava_export_files,
    strava_file_name,
    write_tree,
)

from stridewise.importers.strava_list import parse_strava_csv
from stridewise.pipeline import import_paths
from stridewise.profile import Profile
from stridewise.shoes import shoes_frame
from stridewise.store import Store
from stridewise.views import activity_rows

START = datetime(2026, 9, 14, 5, 15, tzinfo=UTC)
SPEED = "Saucony Endorphin Speed 3 Blue bolts"
GHOST = "Brooks Ghost 15"


def day(number: int, seconds: int = 1200, metres: float = 4000.0, **run) -> Run:
    return Run(START + timedelta(days=number), seconds, metres, **run)


def spec(german: bool = False) -> StravaExportSpec:
    return StravaExportSpec(
        activities=[
            StravaActivity(day(0), 1001, "Trail Run", "Hills", gear=SPEED, file_kind="fit.gz"),
            StravaActivity(day(1, 1500, 5000.0), 1002, "Run", "Easy", gear=GHOST, file_kind="gpx"),
            StravaActivity(day(2), 1003, "Run", "Tempo", gear=SPEED + " ", file_kind="tcx.gz"),
            StravaActivity(
                day(3, 2400, 7000.0),
                1004,
                "Run",
                "Treadmill at the gym",
                description="Belt broke at 5 km,\nfinished on the next one",
                gear=GHOST,
                file_kind=None,
            ),
            StravaActivity(
                day(4, 3600, 25000.0, sport="cycling"),
                1005,
                "Ride",
                "Gravel ride",
                gear="Grey bike",
                file_kind="fit",
            ),
            StravaActivity(day(5), 1006, "Virtual Run", "Zwift", file_kind=None),
            StravaActivity(
                day(6, 3000, 4500.0, sport="walking"),
                1007,
                "Walk",
                "Dog walk",
                gear="Old trainers",
                file_kind="gpx.gz",
            ),
        ],
        shoes=[("Blue bolts", "Saucony", "Endorphin Speed 3"), ("", "Brooks", "Ghost 15")],
        bikes=[("Grey bike", "Canyon", "Grail")],
        german=german,
    )


@lru_cache(maxsize=2)
def export_files(german: bool = False) -> dict[str, bytes]:
    return strava_export_files(spec(german))


def rows_by_name(store: Store, zone: str | None = None) -> dict[str, dict]:
    return {row["name"]: row for row in activity_rows(store, "me", Profile(timezone=zone))}


def test_strava_export_zip_links_rows_to_files_and_keeps_manual_entries(tmp_path):
    path = write_tree(export_files(), tmp_path / "export_12345.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1, default_timezone="Europe/Berlin")
        rows = rows_by_name(store)
        shoes = shoes_frame(store, "me", Profile(), today=date(2026, 9, 30)).set_index("name")

    assert report.imported == 7
    assert (report.failed, report.skipped, report.duplicates) == ([], [], 0)
    hills, easy, tempo = rows["Hills"], rows["Easy"], rows["Tempo"]
    assert (hills["format"], easy["format"], tempo["format"]) == ("fit", "gpx", "tcx")
    assert (hills["surface"], hills["surface_source"]) == ("trail", "export")
    assert (easy["surface"], tempo["surface"]) == ("unknown", "unknown")
    assert hills["records"] > 0 and easy["records"] > 0 and tempo["records"] > 0
    assert (hills["shoe"], easy["shoe"], tempo["shoe"]) == (SPEED, GHOST, SPEED)

    gym = rows["Treadmill at the gym"]
    assert (gym["records"], gym["source"], gym["distance_km"]) == (0, "activities.csv #1004", 7.0)
    assert gym["local_date"] == (START + timedelta(days=3, hours=2)).date().isoformat()
    assert gym["utc_offset_s"] == 7200  # Europe/Berlin in September, from the profile's zone
    zwift = rows["Zwift"]
    assert (zwift["surface"], zwift["surface_source"], zwift["records"]) == (
        "treadmill",
        "export",
        0,
    )

    ride, walk = rows["Gravel ride"], rows["Dog walk"]
    assert (ride["sport"], ride["shoe"]) == ("cycling", None)  # its gear is a bike
    assert (walk["sport"], walk["shoe"]) == ("walking", "Old trainers")  # on foot: kept

    assert shoes.loc[SPEED, "distance_km"] == pytest.approx(8.0)  # 4 km trail + 4 km tempo
    assert shoes.loc[GHOST, "distance_km"] == pytest.approx(12.0)  # 5 km + 7 km manual entry
    assert shoes.loc[SPEED, "origin"] == "strava"
    assert report.shoes == 2


def test_multi_line_description_is_kept_whole(tmp_path):
    path = write_tree(export_files(), tmp_path / "export", as_zip=False)
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [path], jobs=1)
        notes = store.conn.execute(
            "SELECT notes FROM activities WHERE notes IS NOT NULL"
        ).fetchall()
    assert notes == [("Belt broke at 5 km,\nfinished on the next one",)]


def test_german_export_folder_reads_decimal_commas_and_german_dates(tmp_path):
    export = spec(german=True)
    folder = write_tree(export_files(german=True), tmp_path / "strava", as_zip=False)
    csv_text = (folder / "activities.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart")
    assert f'"{START:%d.%m.%Y, %H:%M:%S}"' in csv_text
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [tmp_path], jobs=1)
        rows = rows_by_name(store)
    assert report.imported == len(export.activities)
    gym = rows["Treadmill at the gym"]
    assert gym["distance_km"] == 7.0
    assert gym["start_utc"] == f"{START + timedelta(days=3):%Y-%m-%dT%H:%M:%SZ}"
    assert gym["shoe"] == GHOST
    assert (rows["Hills"]["surface"], rows["Zwift"]["surface"]) == ("trail", "treadmill")


def test_the_second_distance_column_is_metres_whatever_the_display_unit(tmp_path):
    export = spec()
    export.display_miles = True
    rows = parse_strava_csv(strava_activities_csv(export), "activities.csv")
    assert [r.activity.distance_m for r in rows] == [
        pytest.approx(a.run.distance_m) for a in export.activities
    ]
    assert [r.file_name for r in rows] == [strava_file_name(a) or None for a in export.activities]
    assert rows[0].file_name == "activities/1001001.fit.gz"


def test_importing_the_export_again_changes_nothing(tmp_path):
    path = write_tree(export_files(), tmp_path / "export.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [path], jobs=1)
        before = activity_rows(store, "me", Profile())
        again = import_paths(store, [path], jobs=1)
        after = activity_rows(store, "me", Profile())
    assert (again.imported, again.failed) == (0, [])
    assert again.duplicates == 5 + 2  # five files already imported, two manual entries
    assert after == before


def test_row_whose_file_is_missing_is_kept_from_the_row(tmp_path):
    files = dict(export_files())
    del files["activities/1001002.gpx"]
    path = write_tree(files, tmp_path / "export.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
        easy = rows_by_name(store)["Easy"]
    assert report.imported == 7
    assert (easy["records"], easy["distance_km"], easy["shoe"]) == (0, 5.0, GHOST)
    assert {
        "path": f"{path}/activities.csv #1002",
        "warning": "its file activities/1001002.gpx is not in the export",
    } in report.warnings


def test_row_whose_file_cannot_be_read_falls_back_to_the_row(tmp_path):
    files = dict(export_files())
    files["activities/1001002.gpx"] = b"<gpx><broken"
    path = write_tree(files, tmp_path / "export.zip", as_zip=True)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
        easy = rows_by_name(store)["Easy"]
    assert [f["path"] for f in report.failed] == [f"{path}/activities/1001002.gpx"]
    assert (easy["records"], easy["distance_km"]) == (0, 5.0)
    assert report.imported == 7


@pytest.mark.parametrize("hand_first", [False, True])
def test_a_strava_shoe_and_one_added_by_hand_are_one_pair(tmp_path, hand_first):
    from stridewise.shoes import add_shoe, get_shoes

    export = write_tree(export_files(), tmp_path / "strava.zip", as_zip=True)
    with Store(tmp_path / "s.db") as store:
        if hand_first:  # the runner's own spelling, then the export's
            add_shoe(store, "me", "brooks  GHOST15", limit_km=500.0)
        import_paths(store, [export], jobs=1)
        if not hand_first:
            add_shoe(store, "me", "brooks  GHOST15", limit_km=500.0)
        ghosts = [shoe for shoe in get_shoes(store, "me") if "ghost" in shoe.name.lower()]
        assert len(ghosts) == 1 and ghosts[0].limit_km == 500.0
        frame = shoes_frame(store, "me", Profile(), today=date(2026, 10, 1))
        ghost = frame[frame["name"] == ghosts[0].name].iloc[0]
        assert (ghost["runs"], ghost["distance_km"]) == (2, 12.0)  # 5 km + the 7 km manual entry
