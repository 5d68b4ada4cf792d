"""``stridewise athletes``: who is in a coach's database and whose data is stale."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from stridewise.athletes import athlete_overview, athletes_table
from stridewise.cli import cli
from stridewise.model import Activity
from stridewise.pain import add_pain
from stridewise.profile import load_config
from stridewise.store import Store

CONFIG = """
[athlete]
timezone = "Europe/Amsterdam"

[athletes.ben]
timezone = "America/New_York"

[athletes.carla]
max_hr = 190
"""


def run(start_utc: datetime, offset_s: int | None, sha: str) -> Activity:
    return Activity(
        sport="running",
        start_utc=start_utc,
        utc_offset_s=offset_s,
        timer_s=1800.0,
        distance_m=5000.0,
        source_name=f"{sha}.fit",
        source_format="fit",
        source_sha256=sha,
    )


@pytest.fixture
def coach_db(tmp_path):
    """anna: two runs whose local dates differ from their UTC dates (offset +1 h); ben: a run
    without an offset (his profile's New York time applies) and a ride; dora: pain only."""
    path = tmp_path / "coach.db"
    with Store(path) as store:
        store.save_file(
            "anna",
            "a1.fit",
            "a1",
            [run(datetime(2026, 9, 30, 23, 30, tzinfo=UTC), 3600, "a1")],  # 1 Oct local
        )
        store.save_file(
            "anna",
            "a2.fit",
            "a2",
            [run(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), 3600, "a2")],  # 23 Nov local
        )
        ride = run(datetime(2026, 11, 2, 12, 0, tzinfo=UTC), None, "b2")
        ride.sport = "cycling"
        store.save_file(
            "ben",
            "b1.fit",
            "b1",
            [run(datetime(2026, 11, 10, 3, 0, tzinfo=UTC), None, "b1"), ride],  # 9 Nov local
        )
        add_pain(store, "dora", date(2026, 11, 20), 4)
        add_pain(store, "dora", date(2026, 11, 12), 2)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    return path, config


def test_each_athlete_with_local_first_and_last_dates_and_staleness(coach_db):
    path, config = coach_db
    with Store(path, readonly=True) as store:
        rows = athlete_overview(store, load_config(config), today=date(2026, 11, 25))
    assert [row.athlete for row in rows] == ["anna", "ben", "dora"]
    anna, ben, dora = rows
    assert (anna.activities, anna.runs) == (2, 2)
    assert (anna.first_date, anna.last_date, anna.days_since_last) == (
        date(2026, 10, 1),
        date(2026, 11, 23),
        2,
    )
    assert (ben.activities, ben.runs) == (2, 1)
    # the ride (12:00 UTC = 07:00 in New York) and the run (03:00 UTC = 22:00 the day before)
    assert (ben.first_date, ben.last_date, ben.days_since_last) == (
        date(2026, 11, 2),
        date(2026, 11, 9),
        16,
    )
    assert ben.own_profile and not anna.own_profile
    assert anna.last_import_utc is not None and anna.last_import_utc.tzinfo is not None
    assert (dora.activities, dora.first_date, dora.last_date, dora.days_since_last) == (
        0,
        None,
        None,
        None,
    )
    assert (dora.pain_entries, dora.last_pain_date, dora.last_import_utc) == (
        2,
        date(2026, 11, 20),
        None,
    )


def test_an_activity_without_offset_and_without_a_zone_is_dated_in_utc(coach_db):
    path, _ = coach_db
    with Store(path, readonly=True) as store:
        rows = athlete_overview(store, load_config(None), today=date(2026, 11, 25))
    ben = rows[1]
    assert (ben.first_date, ben.last_date) == (date(2026, 11, 2), date(2026, 11, 10))


def test_the_text_table(coach_db):
    path, config = coach_db
    with Store(path, readonly=True) as store:
        rows = athlete_overview(store, load_config(config), today=date(2026, 11, 25))
    lines = athletes_table(rows).splitlines()
    assert lines[0].split() == [
        "athlete",
        "activities",
        "runs",
        "first",
        "last",
        "activity",
        "last",
        "import",
        "pain",
    ]
    assert "2026-11-23 (2 days ago)" in lines[1]
    assert lines[2].startswith("ben *") and "2026-11-09 (16 days ago)" in lines[2]
    assert lines[3].split()[:5] == ["dora", "0", "0", "-", "-"]
    assert lines[3].endswith("2 (last 2026-11-20)")
    assert lines[-1] == "* has an [athletes.NAME] section of its own in the config"


def test_the_command_as_json_and_text(coach_db):
    path, config = coach_db
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(path), "--config", str(config), "athletes", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [entry["athlete"] for entry in listed] == ["anna", "ben", "dora"]
    assert set(listed[0]) == {
        "athlete",
        "activities",
        "runs",
        "first_date",
        "last_date",
        "days_since_last",
        "last_import",
        "pain_entries",
        "last_pain_date",
        "own_profile",
    }
    assert (listed[0]["first_date"], listed[0]["last_date"]) == ("2026-10-01", "2026-11-23")
    assert listed[0]["last_import"].endswith("Z")
    text = runner.invoke(cli, ["--db", str(path), "--config", str(config), "athletes"])
    assert text.exit_code == 0
    assert text.stdout.splitlines()[-1] == (
        "In the config but with nothing in this database: carla"
    )


def test_the_command_on_an_empty_database(tmp_path):
    Store(tmp_path / "empty.db").close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(tmp_path / "empty.db"), "athletes"])
    assert result.exit_code == 0
    assert result.stdout == (
        "No athletes in this database yet. Import for one with: "
        "stridewise --athlete NAME import PATH\n"
    )
    as_json = runner.invoke(cli, ["--db", str(tmp_path / "empty.db"), "athletes", "--json"])
    assert as_json.stdout == "[]\n"


def test_athlete_names_cannot_reach_the_terminal_as_escapes(tmp_path):
    path = tmp_path / "x.db"
    with Store(path) as store:
        add_pain(store, "evil\x1b[2Jname", date(2026, 11, 20), 1)
    result = CliRunner().invoke(cli, ["--db", str(path), "athletes"])
    assert "\x1b" not in result.stdout
    assert "evil\\x1b[2Jname" in result.stdout


# -- each athlete's own profile on the command line ----------------------------------------------
def test_athlete_picks_their_own_section(coach_db, tmp_path):
    path, _ = coach_db
    config = tmp_path / "units.toml"
    config.write_text('[athlete]\nunits = "metric"\n[athletes.anna]\nunits = "imperial"\n')
    runner = CliRunner()
    anna = runner.invoke(
        cli, ["--db", str(path), "--config", str(config), "--athlete", "anna", "activities"]
    )
    ben = runner.invoke(
        cli, ["--db", str(path), "--config", str(config), "--athlete", "ben", "activities"]
    )
    assert anna.exit_code == ben.exit_code == 0
    assert " mi " in anna.stdout.splitlines()[0] and "3.11" in anna.stdout  # 5 km
    assert " km " in ben.stdout.splitlines()[0] and "5.00" in ben.stdout


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[rules.shoe_mileage]\nlimit_km = inf\n",
            "rules.shoe_mileage.limit_km must be a number of 0 or more, not inf",
        ),
        (
            "[athletes.anna.rules.shoe_mileage]\nlimit_km = nan\n",
            "athletes.anna.rules.shoe_mileage.limit_km must be a number of 0 or more, not nan",
        ),
        (
            "[athlete]\nmax_hr = 120\n[athletes.anna]\nresting_hr = 130\n",
            "athlete.max_hr (120) must be above athletes.anna.resting_hr (130)",
        ),
    ],
)
def test_a_bad_setting_stops_the_report_with_one_line(coach_db, tmp_path, toml, message):
    path, _ = coach_db
    config = tmp_path / "bad.toml"
    config.write_text(toml)
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(path),
            "--config",
            str(config),
            "--athlete",
            "anna",
            "report",
            "--week",
            "2026-W47",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 1
    assert result.output == f"Error: {config}: {message}\n"


def test_listing_athletes_leaves_the_database_byte_identical(coach_db):
    path, config = coach_db
    before = path.read_bytes()
    for extra in ((), ("--json",)):
        result = CliRunner().invoke(
            cli, ["--db", str(path), "--config", str(config), "athletes", *extra]
        )
        assert result.exit_code == 0
    assert path.read_bytes() == before


def test_listing_athletes_never_creates_a_database(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "nope.db"), "athletes"])
    assert result.exit_code == 1
    assert not (tmp_path / "nope.db").exists()
