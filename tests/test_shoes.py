"""Shoes: library and CLI, with exact messages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.model import Activity
from stridewise.profile import Profile
from stridewise.shoes import activity_shoes, name_key, shoes_frame
from stridewise.store import Store


def run(
    day: str, km: float, shoe: str | None = None, sport: str = "running", index: int = 0
) -> Activity:
    start = datetime.fromisoformat(f"{day}T08:00:00").replace(tzinfo=UTC)
    return Activity(
        sport=sport,
        start_utc=start,
        distance_m=km * 1000,
        timer_s=km * 330,
        utc_offset_s=0,
        shoe=shoe,
        source_name=f"{day}.csv",
        source_format="csv",
        source_sha256=f"{day}-{index}-{sport}",
        source_index=index,
    )


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "sw.db"
    with Store(path) as store:
        store.save_file("me", "a", "a", [run("2026-10-01", 10), run("2026-10-03", 12)])
        store.save_file("me", "b", "b", [run("2026-10-05", 8, shoe="pegasus  40")])
        store.save_file("me", "c", "c", [run("2026-10-06", 30, sport="cycling")])
    return path


def sw(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_name_key_ignores_case_and_spaces():
    assert name_key("Pegasus 40") == name_key("  pegasus40 ") == name_key("PEGASUS\t40")


def test_default_shoe_takes_unnamed_runs_from_its_start(db):
    result = sw(
        db,
        "shoes",
        "add",
        "Ghost 15",
        "--default",
        "--since",
        "2026-10-02",
        "--initial-km",
        "100",
        "--limit-km",
        "500",
    )
    assert result.output == "Added shoe 'Ghost 15' (limit 500 km, default from 2026-10-02).\n"
    rows = json.loads(sw(db, "shoes", "list", "--json").stdout)
    ghost = next(r for r in rows if r["name"] == "Ghost 15")
    # 12 km on 10-03 only: 10-01 is before --since, 10-05 named its own shoe, 10-06 is a ride
    assert ghost["distance_km"] == 112.0
    assert ghost["runs"] == 1
    assert ghost["first_used"] == ghost["last_used"] == "2026-10-03"
    assert ghost["limit_km"] == 500.0
    assert ghost["retired"] is False


def test_a_shoe_named_by_an_import_merges_with_one_added_by_hand(db):
    result = sw(db, "shoes", "add", "Pegasus 40", "--limit-km", "700")
    assert result.output == (
        "Updated shoe 'Pegasus 40' (limit 700 km). It was already known from your imports.\n"
    )
    rows = json.loads(sw(db, "shoes", "list", "--json").stdout)
    assert [r["name"] for r in rows] == ["Pegasus 40"]
    assert rows[0]["distance_km"] == 8.0 and rows[0]["limit_km"] == 700.0


def test_adding_the_same_shoe_twice_is_an_error(db):
    sw(db, "shoes", "add", "Ghost 15")
    result = sw(db, "shoes", "add", "ghost15")
    assert result.exit_code == 1
    assert result.output == (
        "Error: a shoe named 'Ghost 15' already exists; change it with: "
        'stridewise shoes edit "Ghost 15"\n'
    )


def test_assign_wins_over_source_and_default(db):
    sw(db, "shoes", "add", "Ghost 15", "--default")
    assert sw(db, "shoes", "assign", "Ghost 15", "--since", "2026-10-04").output == (
        "Assigned 1 run to 'Ghost 15'.\n"
    )
    with Store(db) as store:
        worn = activity_shoes(store, "me")
    assert worn.to_dict() == {1: "Ghost 15", 2: "Ghost 15", 3: "Ghost 15"}


def test_assign_one_activity_and_its_errors(db):
    sw(db, "shoes", "add", "Ghost 15")
    assert sw(db, "shoes", "assign", "Ghost 15", "--activity", "1").output == (
        "Assigned 1 run to 'Ghost 15'.\n"
    )
    assert sw(db, "shoes", "assign", "Ghost 15", "--activity", "99").output == (
        "Error: no activity with id 99\n"
    )
    assert sw(db, "shoes", "assign", "Ghost 15", "--activity", "4").output == (
        "Error: activity 4 is not a run; only runs wear shoes\n"
    )
    assert sw(db, "shoes", "assign", "Nope", "--activity", "1").output == (
        "Error: no shoe named 'Nope'; see: stridewise shoes list\n"
    )
    usage = sw(db, "shoes", "assign", "Ghost 15")
    assert usage.exit_code == 2 and "give either --activity ID or --since DATE" in usage.output


def test_retire(db):
    sw(db, "shoes", "add", "Ghost 15", "--default")
    assert sw(db, "shoes", "retire", "Ghost 15", "--date", "2026-10-02").output == (
        "Retired 'Ghost 15' on 2026-10-02.\n"
    )
    rows = json.loads(sw(db, "shoes", "list", "--json").stdout)
    ghost = next(r for r in rows if r["name"] == "Ghost 15")
    assert ghost["retired"] is True and ghost["status"] == "retired"
    assert sw(db, "shoes", "retire", "Nope").output == (
        "Error: no shoe named 'Nope'; see: stridewise shoes list\n"
    )


def test_bad_numbers_are_usage_errors(db):
    result = sw(db, "shoes", "add", "X", "--limit-km", "0")
    assert result.exit_code == 2 and "--limit-km" in result.output


def test_status_and_four_week_share(db):
    with Store(db) as store:
        store.conn.execute(
            "INSERT INTO shoes (athlete, name, name_key, initial_km, limit_km, "
            "is_default, origin, created_at) VALUES ('me', 'Old', 'old', 590, 600,"
            " 1, 'user', 'x')"
        )
        frame = shoes_frame(store, "me", Profile(), today=date(2026, 10, 6))
    old = frame.set_index("name").loc["Old"]
    assert old["distance_km"] == 612.0 and old["status"] == "past limit"
    assert old["share_4w"] == pytest.approx(22 / 30, abs=1e-3)


def test_list_in_miles(db, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[athlete]\nunits = "imperial"\n')
    result = sw(db, "--config", str(config), "shoes", "list")
    assert result.stdout.splitlines()[0].split()[:3] == ["name", "mi", "limit"]
    assert "373" in result.stdout  # the default 600 km limit in miles


def test_activities_show_the_pair_each_run_was_in(db):
    sw(db, "shoes", "add", "Ghost 15", "--default", "--since", "2026-10-02")
    listed = json.loads(sw(db, "activities", "--json").stdout)
    assert [a["shoe"] for a in listed] == [None, "Ghost 15", "pegasus  40", None]
