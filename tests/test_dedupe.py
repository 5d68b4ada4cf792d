"""One run from several sources is stored once, with the richest recording and everyone's extras."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pytest
from click.testing import CliRunner
from exports import (
    GarminActivity,
    GarminExportSpec,
    GarminGear,
    Run,
    StravaActivity,
    StravaExportSpec,
    fit_bytes,
    garmin_export_files,
    gpx_bytes,
    strava_activities_csv,
    strava_export_files,
    write_tree,
)

from stridewise.cli import cli
from stridewise.model import Activity
from stridewise.pipeline import import_paths
from stridewise.pipeline.merging import (
    DISTANCE_TOLERANCE,
    START_TOLERANCE_S,
    additions,
    is_same_activity,
)
from stridewise.profile import Profile
from stridewise.shoes import add_shoe, assign_shoe, shoes_frame
from stridewise.store import Store
from stridewise.views import activity_rows

START = datetime(2026, 10, 4, 6, 30, tzinfo=UTC)
RUN = Run(START, 1800, 6000.0)


def summary(start: datetime = START, distance_m: float | None = 6000.0, **values) -> Activity:
    return Activity(
        sport=values.pop("sport", "running"), start_utc=start, distance_m=distance_m, **values
    )


# --- matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shift_s", "distance_m", "same"),
    [
        (0, 6000.0, True),
        (START_TOLERANCE_S, 6000.0, True),
        (START_TOLERANCE_S + 1, 6000.0, False),
        (-START_TOLERANCE_S, 6000.0 * (1 - DISTANCE_TOLERANCE) + 1, True),
        (0, 6000.0 * (1 - DISTANCE_TOLERANCE) - 1, False),
        (0, None, False),  # one moved, the other has no distance
    ],
)
def test_same_activity_within_two_minutes_and_three_percent(shift_s, distance_m, same):
    other = summary(START + timedelta(seconds=shift_s), distance_m)
    assert is_same_activity(summary(), other) is same
    assert is_same_activity(other, summary()) is same


def test_sports_must_agree_unless_one_is_unspecified():
    assert not is_same_activity(summary(), summary(sport="cycling"))
    assert is_same_activity(summary(), summary(sport="generic"))


def test_activities_without_distance_compare_durations():
    gym = summary(distance_m=None, sport="training", timer_s=3000.0)
    assert is_same_activity(gym, summary(distance_m=None, sport="training", timer_s=3050.0))
    assert not is_same_activity(gym, summary(distance_m=None, sport="training", timer_s=3600.0))


def test_a_better_founded_surface_and_missing_values_are_added():
    fit = summary(surface="road", surface_source="file", sub_sport="street", avg_heart_rate_bpm=150)
    row = summary(
        surface="trail",
        surface_source="export",
        sub_sport="trail",
        shoe="Pegasus",
        name="Hills",
        avg_heart_rate_bpm=149,
    )
    assert additions(fit, row) == {"shoe": "Pegasus", "name": "Hills"}  # a file beats an export
    plain = summary(sub_sport="generic")
    assert additions(plain, row) == {
        "avg_heart_rate_bpm": 149,
        "name": "Hills",
        "shoe": "Pegasus",
        "surface": "trail",
        "surface_source": "export",
        "sub_sport": "trail",
    }


# --- the same run as FIT, GPX and a row of activities.csv, in every order ------------------------


@lru_cache(maxsize=1)
def three_sources() -> dict[str, tuple[str, bytes]]:
    row = StravaActivity(RUN, 555, "Run", "Sunday long run", gear="Ghost 15", file_kind=None)
    return {
        "fit": ("run.fit", fit_bytes(RUN)),
        "gpx": ("run.gpx", gpx_bytes(RUN)),
        "csv": ("activities.csv", strava_activities_csv(StravaExportSpec([row]))),
    }


@pytest.mark.parametrize("order", list(itertools.permutations(["fit", "gpx", "csv"])))
def test_fit_gpx_and_csv_row_of_one_run_are_stored_once(tmp_path, order):
    sources = three_sources()
    reports = []
    with Store(tmp_path / "db.sqlite") as store:
        for kind in order:
            name, data = sources[kind]
            path = tmp_path / kind / name
            path.parent.mkdir()
            path.write_bytes(data)
            reports.append(import_paths(store, [path], jobs=1))
        [row] = activity_rows(store, "me", Profile())
        stored = store.count_activities()
    assert stored == 1
    assert [r.imported for r in reports] == [1, 0, 0]
    assert [r.duplicates for r in reports] == [0, 1, 1]
    assert row["format"] == "fit"  # the watch's own recording is the reference, in any order
    assert row["records"] > 0
    assert (row["name"], row["shoe"]) == ("Sunday long run", "Ghost 15")  # from the row
    assert row["utc_offset_s"] == RUN.utc_offset_s  # from the recording
    assert row["distance_km"] == pytest.approx(6.0, abs=0.01)


def test_a_recording_replacing_a_summary_keeps_its_id_and_shoe_assignment(tmp_path):
    _, csv_data = three_sources()["csv"]
    listing, fit = tmp_path / "activities.csv", tmp_path / "run.fit"
    listing.write_bytes(csv_data)
    fit.write_bytes(three_sources()["fit"][1])
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [listing], jobs=1)
        [summary_id] = store.activity_ids("me")
        add_shoe(store, "me", "Trail shoe")
        assign_shoe(store, "me", "Trail shoe", activity_id=summary_id)
        report = import_paths(store, [fit], jobs=1)
        [kept_id] = store.activity_ids("me")
        samples = store.load_samples(kept_id)
        worn = shoes_frame(store, "me", Profile(), today=date(2026, 10, 10)).set_index("name")
        logged = store.import_log()
    assert kept_id == summary_id
    assert len(samples) == RUN.duration_s + 1
    assert (report.imported, report.duplicates, report.replaced) == (0, 1, 1)
    assert worn.loc["Trail shoe", "runs"] == 1  # the explicit assignment survived
    assert list(logged["outcome"]) == ["imported", "imported"]
    assert (
        logged["reason"].iloc[-1]
        == f"this file is now the reference for activity {summary_id}, the same run as the "
        "summary activities.csv, which it replaced"
    )


@pytest.mark.parametrize("list_first", [True, False])
def test_garmin_list_without_time_zone_meets_its_fit_on_the_local_clock(tmp_path, list_first):
    local = START + timedelta(seconds=RUN.utc_offset_s)  # Garmin's Date column: local time
    listing = tmp_path / "Activities.csv"
    listing.write_text(
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg Stride Length,Steps\n"
        f'Running,{local:%Y-%m-%d %H:%M:%S},false,"Sunday",6.00,400,00:30:00,1.16,"5,172"\n'
    )
    fit = tmp_path / "run.fit"
    fit.write_bytes(three_sources()["fit"][1])
    with Store(tmp_path / "db.sqlite") as store:
        for path in (listing, fit) if list_first else (fit, listing):
            import_paths(store, [path], jobs=1)  # no time zone in the profile
        [row] = activity_rows(store, "me", Profile())
    assert row["start_utc"] == f"{START:%Y-%m-%dT%H:%M:%SZ}"  # the recording's, not the clock's
    assert (row["format"], row["name"], row["utc_offset_s"]) == ("fit", "Sunday", RUN.utc_offset_s)


def test_two_runs_of_one_morning_are_two_activities(tmp_path):
    later = Run(START + timedelta(minutes=40), 900, 3000.0)
    for name, run in (("a.fit", RUN), ("b.fit", later)):
        (tmp_path / name).write_bytes(fit_bytes(run))
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [tmp_path], jobs=1)
    assert (report.imported, report.duplicates) == (2, 0)


def test_a_duplicate_file_is_not_decoded_again_on_the_next_import(tmp_path):
    (tmp_path / "run.fit").write_bytes(three_sources()["fit"][1])
    (tmp_path / "run.gpx").write_bytes(three_sources()["gpx"][1])
    with Store(tmp_path / "db.sqlite") as store:
        first = import_paths(store, [tmp_path], jobs=1)
        second = import_paths(store, [tmp_path], jobs=1)
        outcomes = list(store.import_log()["outcome"])
    assert (first.imported, first.duplicates) == (1, 1)
    assert (second.imported, second.duplicates) == (0, 2)
    assert outcomes == ["imported", "duplicate", "duplicate", "duplicate"]


# --- a Garmin and a Strava export of the same watch ---------------------------------------------


def watch_runs() -> list[Run]:
    return [
        Run(
            START + timedelta(days=n),
            1500 + 60 * n,
            4000.0 + 500 * n,
            sub_sport="trail" if n == 1 else "generic",
        )
        for n in range(4)
    ]


@lru_cache(maxsize=1)
def both_exports() -> tuple[dict[str, bytes], dict[str, bytes]]:
    runs = watch_runs()
    garmin = GarminExportSpec(
        [GarminActivity(run, 700 + n, gear_pk=1, with_fit=n != 3) for n, run in enumerate(runs)],
        gear=[GarminGear(1, None, "Nike Pegasus 40", maximum_meters=700_000.0)],
    )
    strava = StravaExportSpec(
        [
            StravaActivity(
                run,
                900 + n,
                "Run",
                f"Run {n}",
                gear="Nike Pegasus 40",
                file_kind="fit.gz" if n % 2 else "gpx",
            )
            for n, run in enumerate(runs)
        ],
        shoes=[("", "Nike", "Pegasus 40")],
    )
    return garmin_export_files(garmin), strava_export_files(strava)


@pytest.mark.parametrize("garmin_first", [True, False])
def test_garmin_and_strava_exports_of_one_watch_store_each_run_once(tmp_path, garmin_first):
    garmin_files, strava_files = both_exports()
    garmin = write_tree(garmin_files, tmp_path / "garmin.zip", as_zip=True)
    strava = write_tree(strava_files, tmp_path / "strava.zip", as_zip=True)
    env = {"STRIDEWISE_CONFIG": str(tmp_path / "absent.toml")}
    db = tmp_path / "db.sqlite"
    outputs = []
    for path in (garmin, strava) if garmin_first else (strava, garmin):
        result = CliRunner(env=env).invoke(
            cli, ["--db", str(db), "import", str(path), "--json", "--jobs", "1"]
        )
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.stdout))
    with Store(db) as store:
        rows = activity_rows(store, "me", Profile())
        shoes = shoes_frame(store, "me", Profile(), today=date(2026, 10, 10)).set_index("name")
    runs = watch_runs()
    assert len(rows) == len(runs)
    assert [o["imported"] for o in outputs] == [len(runs), 0]
    assert outputs[1]["duplicates"] == len(runs)
    assert all(r["records"] > 0 for r in rows)  # every run has a recording in one export
    assert rows[1]["surface"] == "trail"
    assert list(shoes.index) == ["Nike Pegasus 40"]
    assert shoes.loc["Nike Pegasus 40", "distance_km"] == pytest.approx(
        sum(r.distance_m for r in runs) / 1000, abs=0.05
    )


def test_cli_import_json_counts_duplicates(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "run.fit").write_bytes(three_sources()["fit"][1])
    (folder / "run.gpx").write_bytes(three_sources()["gpx"][1])
    result = CliRunner(env={"STRIDEWISE_CONFIG": str(tmp_path / "absent.toml")}).invoke(
        cli, ["--db", str(tmp_path / "db.sqlite"), "import", str(folder), "--json"]
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert (report["imported"], report["duplicates"], report["failed"]) == (1, 1, [])


def test_import_summary_says_how_many_duplicates(tmp_path):
    (tmp_path / "run.fit").write_bytes(three_sources()["fit"][1])
    (tmp_path / "run.gpx").write_bytes(three_sources()["gpx"][1])
    db = tmp_path / "db.sqlite"
    result = CliRunner(env={"STRIDEWISE_CONFIG": str(tmp_path / "absent.toml")}).invoke(
        cli, ["--db", str(db), "import", str(tmp_path / "run.fit"), str(tmp_path / "run.gpx")]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Imported 1 activities from 2 files into {db}.",
        "  not stored again: 1",
        "    1 the same run as another file or row, merged into one activity",
        "  skipped: 0",
        "  failed: 0",
    ]
