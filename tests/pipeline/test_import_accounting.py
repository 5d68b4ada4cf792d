"""Every file an import is given is accounted for, and the summary says what each was (issue 14,
faults 5, 12 and 13): the runner's log inside a zip, entries that are not activities, copies and
merges told apart, folders with nothing to import, summary rows without a time zone."""

from __future__ import annotations

import gzip
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from exports import Run, StravaActivity, StravaExportSpec, strava_export_files, write_tree
from recording_faults import device_and_app_copies

from stridewise.cli import cli
from stridewise.pipeline import import_paths
from stridewise.profile import Profile
from stridewise.store import Store
from stridewise.views import activity_rows

LOG = "date,distance_km,duration\n2022-09-10,8.0,0:44:00\n2022-09-12,5.0,0:28:00\n"


def _runner(tmp_path: Path) -> CliRunner:
    return CliRunner(env={"STRIDEWISE_CONFIG": str(tmp_path / "absent.toml")})


def _zip_of_a_watch_folder(tmp_path: Path) -> Path:
    """A zip a runner made of a folder: a FIT, a gzipped GPX of another run, their CSV log, a
    photo and a note."""
    fit, _, _ = device_and_app_copies()
    other = Run(datetime(2022, 9, 5, 6, 0, tzinfo=UTC), 1800, 6000.0)
    from exports import gpx_bytes

    path = tmp_path / "my-runs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("runs/watch.fit", fit.data)
        archive.writestr("runs/tuesday.gpx.gz", gzip.compress(gpx_bytes(other), mtime=0))
        archive.writestr("runs/log.csv", LOG)
        archive.writestr("runs/finish.jpg", b"\xff\xd8\xff photo")
        archive.writestr("runs/README.txt", b"my runs")
        archive.writestr("__MACOSX/runs/._watch.fit", b"resource fork")
    return path


def test_every_entry_of_a_zip_is_imported_or_counted(tmp_path):
    path = _zip_of_a_watch_folder(tmp_path)
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
        rows = activity_rows(store, "me", Profile())
    assert report.imported == 4  # the FIT, the GPX and both rows of the log
    assert sorted(r["source"] for r in rows) == [
        "log.csv", "log.csv #2", "tuesday.gpx.gz", "watch.fit"
    ]  # fmt: skip
    assert report.not_imported == {
        "not a file type stridewise reads (.jpg)": 1,
        "not a file type stridewise reads (.txt)": 1,
    }
    assert report.failed == [] and report.skipped == []


def test_the_summary_of_a_zip_accounts_for_every_entry(tmp_path):
    path = _zip_of_a_watch_folder(tmp_path)
    db = tmp_path / "db.sqlite"
    result = _runner(tmp_path).invoke(cli, ["--db", str(db), "import", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Imported 4 activities from 3 files into {db}.",
        "  not stored again: 0",
        "  skipped: 2",
        "    1 x not a file type stridewise reads (.jpg)",
        "    1 x not a file type stridewise reads (.txt)",
        "  failed: 0",
    ]


def _strava_export_with_copies(tmp_path: Path) -> Path:
    """A Strava export whose files include a byte-identical copy (the same upload twice) and the
    GPX of a run whose FIT is there too."""
    start = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
    runs = [Run(start + timedelta(days=2 * i), 1800, 6000.0 + 100 * i) for i in range(3)]
    spec = StravaExportSpec(
        [StravaActivity(run, 100 + i, file_kind="fit.gz") for i, run in enumerate(runs)]
        + [StravaActivity(runs[0], 200, file_kind="fit.gz", upload_id=777)]
        + [StravaActivity(runs[1], 201, file_kind="gpx")]
    )
    files = strava_export_files(spec)
    return write_tree(files, tmp_path / "strava-export.zip", as_zip=True)


def test_a_first_import_says_copies_and_merges_not_already_stored(tmp_path):
    path = _strava_export_with_copies(tmp_path)
    db = tmp_path / "db.sqlite"
    result = _runner(tmp_path).invoke(cli, ["--db", str(db), "import", str(path)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        f"Imported 3 activities from 5 files into {db}.",
        "  not stored again: 3",
        "    1 byte-identical copies of another file in this import",
        # the GPX of the second run, and the row of the copy (its file was not read again)
        "    2 the same run as another file or row, merged into one activity",
    ]
    assert "already imported before" not in result.stdout
    assert "    5 x other files of the Strava export (lists, settings, media)" in lines


def test_a_folder_with_nothing_to_import_says_so(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "finish.jpg").write_bytes(b"\xff\xd8\xff")
    db = tmp_path / "db.sqlite"
    result = _runner(tmp_path).invoke(cli, ["--db", str(db), "import", str(folder)])
    assert result.exit_code == 1  # docs/CLI.md: a folder without a supported file is an error
    assert result.stderr == (
        f"Error: no supported files found in {folder} (stridewise reads .fit .gpx .tcx .csv "
        ".fit.gz .gpx.gz .tcx.gz .zip)\n"
    )
    assert result.stdout == ""


def test_files_without_a_sport_are_counted_in_the_summary(tmp_path):
    from recording_faults import runs_without_a_sport

    for fixture in runs_without_a_sport():
        (tmp_path / fixture.name).write_bytes(fixture.data)
    db = tmp_path / "db.sqlite"
    result = _runner(tmp_path).invoke(cli, ["--db", str(db), "import", str(tmp_path)])
    assert result.stdout.splitlines()[:2] == [
        f"Imported 4 activities from 4 files into {db}.",
        "  of which 1 have no sport (their files name none): set it with `stridewise "
        "activities set ID --sport running`; `import --sport` names it for files imported later",
    ]
    again = _runner(tmp_path).invoke(
        cli, ["--db", str(tmp_path / "b.sqlite"), "import", str(tmp_path), "--sport", "hop"]
    )
    assert again.exit_code == 2
    assert "Invalid value for --sport: sport 'hop' is not one stridewise knows" in again.output


# --- summary rows without a time zone (fault 5) ------------------------------------------------

ATHENS = {"start_lat_deg": 37.98, "start_lon_deg": 23.73}


def _export_with_manual_rows(
    tmp_path: Path,
    manual_day: datetime,
    first_run: datetime = datetime(2025, 7, 1, 4, 30, tzinfo=UTC),
) -> Path:
    """Three runs recorded in Athens in summer (UTC+3) from ``first_run``, and a row without a
    file (a treadmill run typed in) on ``manual_day``."""
    recorded = [
        StravaActivity(Run(first_run + timedelta(days=d), 1800, 6000.0, 10800, **ATHENS), 10 + d)
        for d in (0, 2, 4)
    ]
    manual = StravaActivity(Run(manual_day, 2400, 7000.0), 99, name="Treadmill", file_kind=None)
    files = strava_export_files(StravaExportSpec([*recorded, manual]))
    return write_tree(files, tmp_path / "strava.zip", as_zip=True)


def test_a_row_without_a_file_takes_the_offset_of_the_nearest_recording(tmp_path):
    path = _export_with_manual_rows(tmp_path, datetime(2025, 7, 9, 21, 30, tzinfo=UTC))
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1, default_timezone="Europe/London")
        rows = activity_rows(store, "me", Profile())
    manual = next(r for r in rows if r["name"] == "Treadmill")
    assert manual["utc_offset_s"] == 10800
    assert (manual["local_start"], manual["local_date"]) == ("2025-07-10T00:30:00", "2025-07-10")
    assert [w["warning"] for w in report.warnings] == [
        "no time zone in this summary; Europe/Athens (UTC+03:00) taken from where the nearest "
        "recording, activity 3 of 2025-07-05 (1000014.fit.gz) was recorded"
    ]


def test_the_zone_of_the_nearest_recording_follows_summer_time(tmp_path):
    # runs in Athens from 20 October (UTC+3), a row on 28 October: summer time ended on the 26th
    path = _export_with_manual_rows(
        tmp_path,
        datetime(2025, 10, 28, 17, 0, tzinfo=UTC),
        first_run=datetime(2025, 10, 20, 4, 30, tzinfo=UTC),
    )
    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [path], jobs=1)
        rows = activity_rows(store, "me", Profile())
    manual = next(r for r in rows if r["name"] == "Treadmill")
    assert manual["utc_offset_s"] == 7200


def test_a_row_far_from_any_recording_takes_the_profiles_zone(tmp_path):
    path = _export_with_manual_rows(tmp_path, datetime(2025, 12, 1, 18, 0, tzinfo=UTC))
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1, default_timezone="Europe/London")
        rows = activity_rows(store, "me", Profile())
    manual = next(r for r in rows if r["name"] == "Treadmill")
    assert manual["utc_offset_s"] == 0
    assert [w["warning"] for w in report.warnings] == [
        "no time zone in this summary and no recording within 30 days; the profile's "
        "(Europe/London, UTC+00:00) is used"
    ]


@pytest.mark.parametrize("sport", ["running", "run"])
def test_sport_words_are_those_of_the_activity_lists(sport):
    from stridewise.pipeline.sports import SportChoice, sport_choice

    assert sport_choice(sport) == SportChoice("running")
    assert sport_choice("treadmill") == SportChoice("running", "treadmill", "treadmill")
