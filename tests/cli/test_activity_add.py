"""``stridewise activities add``, run in process: a session of each kind, the exact lines it
prints, and one clear line with the exit code of CLI.md for bad input (1: the library refused
it; 2: click's own usage errors)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from exports import Run, fit_bytes

from stridewise.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[athlete]\ntimezone = "Europe/Amsterdam"\n')
    return path


def invoke(runner: CliRunner, tmp_path: Path, config: Path, *args: str):
    return runner.invoke(cli, ["--db", str(tmp_path / "sw.db"), "--config", str(config), *args])


def add(runner, tmp_path, config, *args: str):
    return invoke(runner, tmp_path, config, "activities", "add", *args)


def listed(runner, tmp_path, config, *options: str) -> list[dict]:
    return json.loads(invoke(runner, tmp_path, config, *options, "activities", "--json").stdout)


@pytest.mark.parametrize(
    ("args", "line", "kind"),
    [
        (
            ("2025-05-04", "core", "--minutes", "15"),
            "Added activity 1: core on 2025-05-04, 15 min (kind: strength).",
            "strength",
        ),
        (
            ("2025-05-04", "strength", "--minutes", "40", "--rpe", "7"),
            "Added activity 1: strength on 2025-05-04, 40 min, RPE 7 (kind: strength).",
            "strength",
        ),
        (
            ("2025-05-04", "yoga", "--minutes", "60", "--time", "19:30"),
            "Added activity 1: yoga on 2025-05-04 19:30, 60 min (kind: mobility).",
            "mobility",
        ),
        (
            ("2025-05-04", "physio", "--minutes", "45", "--note", "lower back"),
            "Added activity 1: physio on 2025-05-04, 45 min (kind: other).",
            "other",
        ),
        (
            ("2025-05-04", "ride", "--minutes", "90", "--km", "42.5"),
            "Added activity 1: ride on 2025-05-04, 90 min, 42.50 km (kind: cross).",
            "cross",
        ),
        (
            ("2025-05-04", "Treadmill", "--minutes", "42", "--km", "8", "--rpe", "6"),
            "Added activity 1: treadmill on 2025-05-04, 42 min, 8.00 km, RPE 6 (kind: run).",
            "run",
        ),
    ],
)
def test_a_session_of_each_kind(runner, tmp_path, config, args, line, kind):
    result = add(runner, tmp_path, config, *args)
    assert (result.exit_code, result.output) == (0, line + "\n")
    [row] = listed(runner, tmp_path, config)
    assert (row["id"], row["kind"], row["format"], row["source"]) == (
        1,
        kind,
        "manual",
        "stridewise activities add",
    )
    assert row["local_date"] == "2025-05-04"


def test_json_prints_the_stored_activity(runner, tmp_path, config):
    args = ("2025-05-05", "treadmill", "--minutes", "42", "--km", "8", "--rpe", "6", "--json")
    row = json.loads(add(runner, tmp_path, config, *args).stdout)
    assert row == listed(runner, tmp_path, config)[0]
    assert {k: row[k] for k in ("sport", "sub_sport", "kind", "surface", "surface_source")} == {
        "sport": "running",
        "sub_sport": "treadmill",
        "kind": "run",
        "surface": "treadmill",
        "surface_source": "user",
    }
    assert (row["local_start"], row["utc_offset_s"]) == ("2025-05-05T12:00:00", 7200)
    assert (row["distance_km"], row["duration_s"]) == (8.0, 2520.0)


def test_miles_in_the_line_when_the_profile_says_imperial(runner, tmp_path):
    config = tmp_path / "imperial.toml"
    config.write_text('[athlete]\nunits = "imperial"\ntimezone = "UTC"\n')
    result = add(runner, tmp_path, config, "2025-05-05", "run", "--minutes", "50", "--km", "10")
    assert result.output == "Added activity 1: run on 2025-05-05, 50 min, 6.21 mi (kind: run).\n"


def test_the_athlete_option_chooses_whose_it_is(runner, tmp_path, config):
    base = ["--db", str(tmp_path / "sw.db"), "--config", str(config), "--athlete", "anna"]
    result = runner.invoke(
        cli, [*base, "activities", "add", "2025-05-04", "core", "--minutes", "15"]
    )
    assert result.exit_code == 0
    assert len(listed(runner, tmp_path, config, "--athlete", "anna")) == 1
    assert listed(runner, tmp_path, config) == []


def test_the_same_session_twice_says_so(runner, tmp_path, config):
    add(runner, tmp_path, config, "2025-05-04", "core", "--minutes", "15")
    result = add(runner, tmp_path, config, "2025-05-04", "core", "--minutes", "15")
    assert result.exit_code == 0
    assert result.output == (
        "Activity 1 (2025-05-04 12:00, stridewise activities add) is the same session: stored "
        "once, nothing new to add (for another session that day, give --time).\n"
    )
    assert len(listed(runner, tmp_path, config)) == 1


def test_rpe_and_note_for_a_run_the_watch_recorded(runner, tmp_path, config):
    watch = tmp_path / "watch.fit"
    watch.write_bytes(fit_bytes(Run(datetime(2025, 5, 4, 5, 0, tzinfo=UTC), 3000, 10000.0)))
    invoke(runner, tmp_path, config, "import", str(watch))
    args = ("--minutes", "50", "--km", "10", "--rpe", "6", "--note", "heavy", "--time", "07:00")
    result = add(runner, tmp_path, config, "2025-05-04", "run", *args)
    assert result.exit_code == 0
    assert result.output == (
        "Activity 1 (2025-05-04 07:00, watch.fit) is the same session: stored once, with your "
        "RPE and note.\n"
    )


# --- bad input ----------------------------------------------------------------------------------


def test_a_future_date_is_refused(runner, tmp_path, config):
    future = date.today() + timedelta(days=3)  # beyond today in any time zone
    result = add(runner, tmp_path, config, future.isoformat(), "run", "--minutes", "30")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {future} is in the future (today is ")
    assert result.output.endswith("); add a session once it happened\n")
    assert result.output.count("\n") == 1


def test_a_distance_for_yoga_is_refused(runner, tmp_path, config):
    result = add(runner, tmp_path, config, "2025-05-04", "yoga", "--minutes", "30", "--km", "2")
    assert (result.exit_code, result.output) == (
        1,
        "Error: a yoga session covers no distance: leave out km\n",
    )


def test_an_impossible_speed_is_refused(runner, tmp_path, config):
    result = add(runner, tmp_path, config, "2025-05-04", "run", "--minutes", "10", "--km", "25")
    assert (result.exit_code, result.output) == (
        1,
        "Error: 25 km in 10 min is 150 km/h, faster than anyone goes in a run session; check km "
        "and minutes\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("2025-05-04", "zumba", "--minutes", "30"),
            "Error: Invalid value for 'SPORT': 'zumba' is not one of 'run', 'treadmill', "
            "'trail', 'strength', 'core', 'mobility', 'yoga', 'pilates', 'tai_chi', 'stretching', "
            "'breathwork', 'physio', 'ride', 'swim', 'row', 'elliptical', 'walk', 'hike', "
            "'other'.",
        ),
        (
            ("2026-13-01", "run", "--minutes", "30"),
            "Error: Invalid value for 'DATE': '2026-13-01' is not a date (use YYYY-MM-DD)",
        ),
        (
            ("2025-05-04", "run", "--minutes", "-5"),
            "Error: Invalid value for '--minutes': -5.0 is not in the range 0<x<=1440.0.",
        ),
        (
            ("2025-05-04", "run", "--minutes", "0"),
            "Error: Invalid value for '--minutes': 0.0 is not in the range 0<x<=1440.0.",
        ),
        (
            ("2025-05-04", "run", "--minutes", "30", "--km", "-1"),
            "Error: Invalid value for '--km': -1.0 is not in the range x>=0.",
        ),
        (
            ("2025-05-04", "run", "--minutes", "30", "--rpe", "11"),
            "Error: Invalid value for '--rpe': 11.0 is not in the range 0<=x<=10.",
        ),
        (
            ("2025-05-04", "run", "--minutes", "30", "--time", "25:00"),
            "Error: Invalid value for '--time': '25:00' does not match the format '%H:%M'.",
        ),
        (("2025-05-04", "run"), "Error: Missing option '--minutes'."),
    ],
)
def test_usage_errors_are_clicks_with_exit_2(runner, tmp_path, config, args, message):
    result = add(runner, tmp_path, config, *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
    assert not (tmp_path / "sw.db").exists()
