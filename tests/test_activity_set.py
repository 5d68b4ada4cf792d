"""``stridewise activities set``: the runner corrects the sport or the surface of a stored activity,
and every command then reads the same values (issue 14, faults 10 and 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from recording_faults import device_and_app_copies, runs_without_a_sport, surfaces_from_altitude

from stridewise.cli import cli
from stridewise.history import History
from stridewise.profile import Profile
from stridewise.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the four runs of ``runs_without_a_sport``."""
    folder = tmp_path / "files"
    folder.mkdir()
    for fixture in runs_without_a_sport():
        (folder / fixture.name).write_bytes(fixture.data)
    path = tmp_path / "sw.db"
    assert sw(path, "import", str(folder)).exit_code == 0
    return path


def sw(db: Path, *args: str):
    env = {"STRIDEWISE_CONFIG": str(db.parent / "absent.toml")}
    return CliRunner(env=env).invoke(cli, ["--db", str(db), *args])


def listed(db: Path) -> dict[int, dict]:
    return {row["id"]: row for row in json.loads(sw(db, "activities", "--json").stdout)}


def id_of(db: Path, source: str) -> int:
    return next(i for i, row in listed(db).items() if row["source"] == source)


def test_the_sport_of_a_run_whose_file_named_none_can_be_set(db):
    generic = id_of(db, "nothing-names-the-sport.gpx")
    assert listed(db)[generic]["sport"] == "generic"
    result = sw(db, "activities", "set", str(generic), "--sport", "run")
    assert result.exit_code == 0
    assert result.output == f"Activity {generic}: sport running (was generic).\n"
    assert listed(db)[generic]["sport"] == "running"


def test_a_surface_set_by_the_runner_has_the_runners_source(db):
    result = sw(db, "activities", "set", "1", "--surface", "trail")
    assert result.output == (
        "Activity 1: surface trail (was unknown), surface source user (was -).\n"
    )
    assert (listed(db)[1]["surface"], listed(db)[1]["surface_source"]) == ("trail", "user")
    again = sw(db, "activities", "set", "1", "--surface", "trail")
    assert again.output == "Activity 1 already is so; nothing changed.\n"


def test_a_sport_word_can_carry_its_surface(db):
    generic = id_of(db, "nothing-names-the-sport.gpx")
    sw(db, "activities", "set", str(generic), "--sport", "treadmill")
    row = listed(db)[generic]
    assert (row["sport"], row["sub_sport"], row["surface"], row["surface_source"]) == (
        "running", "treadmill", "treadmill", "user"
    )  # fmt: skip


def test_setting_needs_an_activity_and_something_to_set(db):
    missing = sw(db, "activities", "set", "99", "--sport", "running")
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: no activity with id 99; see: stridewise activities\n",
    )
    nothing = sw(db, "activities", "set", "1")
    assert nothing.exit_code == 2
    assert "Error: give --sport, --surface or both" in nothing.output
    unknown = sw(db, "activities", "set", "1", "--sport", "hop")
    assert (unknown.exit_code, unknown.output) == (
        1,
        "Error: sport 'hop' is not one stridewise knows (such as running, trail run, treadmill, "
        "walking, hiking, cycling, swimming)\n",
    )


@pytest.mark.parametrize("first", ["fit", "gpx"])
def test_the_runners_surface_survives_a_later_import_of_the_same_run(tmp_path, first):
    fit, gpx, _ = device_and_app_copies()  # the watch's FIT infers "road" from its barometer
    files = {"fit": fit, "gpx": gpx}
    db = tmp_path / "sw.db"
    for kind in (first, "gpx" if first == "fit" else "fit"):
        path = tmp_path / kind / files[kind].name
        path.parent.mkdir()
        path.write_bytes(files[kind].data)
        sw(db, "import", str(path))
        if kind == first:
            sw(db, "activities", "set", "1", "--surface", "trail")
    [row] = listed(db).values()
    assert (row["format"], row["surface"], row["surface_source"]) == ("fit", "trail", "user")


def test_every_command_reads_the_one_stored_surface(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for fixture in surfaces_from_altitude():
        (folder / fixture.name).write_bytes(fixture.data)
    db = tmp_path / "sw.db"
    sw(db, "import", str(folder))
    listing = {row["id"]: (row["surface"], row["surface_source"]) for row in listed(db).values()}
    with Store(db, readonly=True) as store:
        runs = History.from_store(store, "me", Profile()).runs
    history = {
        int(i): (surface, source if isinstance(source, str) else None)
        for i, surface, source in zip(
            runs.index, runs["surface"], runs["surface_source"], strict=True
        )
    }
    assert history == listing
    assert sorted(listing.values(), key=str) == [
        ("trail", "inferred"), ("unknown", None), ("unknown", None)
    ]  # fmt: skip
