"""The ``runs`` and ``weeks`` views (schema 6) for people who open the database: the shoe is the
one ``shoes list`` counts, dates are local, ISO weeks are ISO weeks; and ``sqlite3`` answers on
the demo database."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.model import Activity
from stridewise.shoes import activity_shoes
from stridewise.store import Store
from stridewise.store.schema import MIGRATIONS

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"


def activity(
    start: str,
    km: float,
    *,
    offset_h: float | None = 0,
    shoe: str | None = None,
    sport: str = "running",
    index: int = 0,
) -> Activity:
    return Activity(
        sport=sport,
        start_utc=datetime.fromisoformat(start).replace(tzinfo=UTC),
        distance_m=km * 1000,
        timer_s=km * 300,
        utc_offset_s=None if offset_h is None else int(offset_h * 3600),
        shoe=shoe,
        avg_heart_rate_bpm=141.4,
        source_name=f"/home/runner/watch/{start[:10]}.fit",
        source_format="fit",
        source_sha256=f"{start}-{index}",
        source_index=index,
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "sw.db") as opened:
        runs = [
            activity("2026-10-01T08:00:00", 10),  # default pair A from 10-01
            activity("2026-10-02T08:00:00", 5, shoe="  PEGASUS   40 "),  # names a pair, oddly
            activity("2026-10-03T08:00:00", 6, shoe="Mystery Shoe"),  # names no known pair
            activity("2026-10-04T08:00:00", 7, shoe="   "),  # names nothing: the default
            activity("2026-10-05T23:30:00", 8, offset_h=2),  # 10-06 locally: pair B's first day
            activity("2026-10-07T08:00:00", 9),  # assigned below
            activity("2026-10-10T08:00:00", 4, offset_h=None),  # no offset: UTC in the view
            activity("2026-10-20T08:00:00", 3),  # after pair B retired: default A again
            activity("2026-10-08T08:00:00", 20, sport="cycling", shoe="Pegasus 40"),
        ]
        for number, run in enumerate(runs):
            opened.save_file("me", str(number), str(number), [run])
        # the import adopted "PEGASUS   40" and "Mystery Shoe"; the runner renamed the one and
        # removed the other (its run keeps the name its source gave)
        adopted = opened.shoe_by_key("me", "pegasus40")
        opened.update_shoe(adopted.id, {"name": "Pegasus 40", "origin": "user"})
        opened.delete_shoe(opened.shoe_by_key("me", "mysteryshoe").id)
        opened.insert_shoe("me", "Alpha", "alpha", is_default=True, since=date(2026, 10, 1))
        opened.insert_shoe(
            "me",
            "Bravo",
            "bravo",
            is_default=True,
            since=date(2026, 10, 6),
            retired_on=date(2026, 10, 15),
        )
        opened.insert_shoe("me", "Zulu", "zulu", is_default=True, since=date(2026, 10, 6))
        trail = opened.shoe_by_key("me", "pegasus40")
        opened.assign_shoe([6], trail.id)
        yield opened


def view(store: Store, query: str) -> list[dict]:
    cursor = store.conn.execute(query)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_runs_view_wears_the_shoe_shoes_list_counts(store):
    expected = activity_shoes(store, "me").to_dict()  # the library: no profile time zone
    shown = {row["id"]: row["shoe"] for row in view(store, "SELECT id, shoe FROM runs")}
    assert shown == expected
    assert shown == {
        1: "Alpha",
        2: "Pegasus 40",
        3: "Mystery Shoe",
        4: "Alpha",
        5: "Bravo",  # Bravo and Zulu start the same day: the first by name, as the library does
        6: "Pegasus 40",
        7: "Bravo",
        8: "Zulu",
    }


def test_the_runs_view_is_in_local_time_and_plain_units(store):
    rows = {row["id"]: row for row in view(store, "SELECT * FROM runs")}
    assert list(rows[5]) == [
        "id",
        "athlete",
        "date",
        "time",
        "sport",
        "sub_sport",
        "km",
        "moving_time",
        "moving_s",
        "pace_per_km",
        "avg_hr",
        "surface",
        "surface_source",
        "source",
        "shoe",
    ]
    late = rows[5]
    assert (late["date"], late["time"]) == ("2026-10-06", "01:30")  # 23:30 UTC at +2 h
    assert (late["km"], late["moving_time"], late["pace_per_km"]) == (8.0, "0:40:00", "5:00")
    assert (late["avg_hr"], late["source"]) == (141, "2026-10-05.fit")
    assert (rows[7]["date"], rows[7]["time"]) == ("2026-10-10", "08:00")  # no offset: UTC
    assert 9 not in rows  # the ride is not a run


def test_the_weeks_view_counts_iso_weeks_runs_and_rest_days(store):
    weeks = view(store, "SELECT * FROM weeks")
    assert [
        (w["week"], w["week_start"], w["runs"], w["km"], w["rest_days"], w["days"]) for w in weeks
    ] == [
        ("2026-W40", "2026-09-28", 4, 28.0, 0, 4),  # Thu 10-01 to Sun 10-04
        ("2026-W41", "2026-10-05", 3, 21.0, 3, 7),  # the ride on 10-08 is no rest day
        ("2026-W42", "2026-10-12", 0, 0.0, 7, 7),
        ("2026-W43", "2026-10-19", 1, 3.0, 1, 2),  # Mon 10-19 and the last day, Tue 10-20
    ]


def test_iso_weeks_at_the_turn_of_the_year(tmp_path):
    """The view's week arithmetic against Python's ``isocalendar`` over three year ends."""
    with Store(tmp_path / "sw.db") as store:
        days = [date(2026, 12, 20) + timedelta(days=n) for n in range(0, 3 * 366, 5)]
        for number, day in enumerate(days):
            store.save_file("me", str(number), str(number), [activity(f"{day}T12:00:00", 5)])
        weeks = view(store, "SELECT week, week_start FROM weeks")
    for row in weeks:
        monday = date.fromisoformat(row["week_start"])
        year, week, weekday = monday.isocalendar()
        assert (row["week"], weekday) == (f"{year}-W{week:02d}", 1)
    assert {"2026-W53", "2027-W52", "2028-W52", "2029-W01"} <= {row["week"] for row in weeks}


def test_migration_6_fills_the_shoe_key_of_stored_runs(tmp_path):
    """A database of schema 5 gains the view, and its runs' shoe keys, when it is opened."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for version, migration in enumerate(MIGRATIONS[:5], 1):
        conn.executescript(migration)
        conn.execute("INSERT INTO schema_version VALUES (?)", (version,))
    conn.execute(
        "INSERT INTO activities (athlete, sport, start_utc, utc_offset_s, timer_s, distance_m, "
        "shoe, source_name, source_format, source_sha256, source_index, imported_at) VALUES "
        "('me', 'running', '2026-10-01T08:00:00.000000Z', 0, 3000, 10000, 'Ghost  15', 'a.csv', "
        "'csv', 'x', 0, 'now')"
    )
    conn.execute(
        "INSERT INTO shoes (athlete, name, name_key, created_at) VALUES "
        "('me', 'GHOST 15', 'ghost15', 'now')"
    )
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert view(store, "SELECT shoe FROM runs") == [{"shoe": "GHOST 15"}]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo's database: the samples imported, the sample runner's shoes registered."""
    db = tmp_path_factory.mktemp("demo") / "stridewise.db"
    runner = CliRunner()
    base = ["--db", str(db), "--config", str(SAMPLES / "config.toml")]
    assert runner.invoke(cli, [*base, "-q", "import", str(SAMPLES)]).exit_code == 0
    shoes = runner.invoke(cli, [*base, "shoes", "import", str(SAMPLES / "shoes.toml")])
    assert shoes.exit_code == 0, shoes.output
    return db


def test_sqlite3_answers_on_the_demo_database(demo_db):
    """``sqlite3 stridewise.db 'select * from runs limit 3'``: the sqlite3 program where it is
    installed, else the same query from a separate Python process."""
    query = "select * from runs limit 3"
    if shutil.which("sqlite3"):
        command = ["sqlite3", str(demo_db), query]
    else:
        command = [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):\n"
            "    print('|'.join('' if v is None else str(v) for v in row))",
            str(demo_db),
            query,
        ]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    first = lines[0].split("|")
    assert first[2:5] == ["2026-06-18", "07:17", "running"]  # her first run back
    assert first[-2].startswith("summarizedActivities.json #")  # a Garmin export's summary
    assert first[-1] == ""  # the build-up names no shoe


def test_the_demo_weeks_are_the_samples_weeks(demo_db):
    """The weekly distances the samples' README states, W25 (from Thursday) to W47."""
    with Store(demo_db, readonly=True) as store:
        weeks = view(store, "SELECT week, km, runs FROM weeks")
        worn = view(store, "SELECT shoe, count(*) AS runs FROM runs GROUP BY shoe ORDER BY shoe")
    assert [week["km"] for week in weeks] == [
        12.0,
        17.5,
        19.9,
        22.3,
        24.2,
        26.1,
        28.0,
        29.9,
        30.7,
        32.0,
        33.5,
        35.0,
        33.0,
        36.0,
        38.0,
        39.5,
        37.0,
        40.0,
        42.0,
        43.0,
        40.0,
        40.5,
        72.0,
    ]
    assert (weeks[0]["week"], weeks[-1]["week"]) == ("2026-W25", "2026-W47")
    # activities.shoe is NULL for 86 of these runs; the view shows the pair 51 of them were in
    # (the default pair from 2026-08-17 on); the 35 runs of the build-up before name none
    assert worn == [
        {"shoe": None, "runs": 35},
        {"shoe": "Novablast 4", "runs": 7},
        {"shoe": "Pegasus 40", "runs": 51},
        {"shoe": "Speedgoat 5", "runs": 1},
    ]
