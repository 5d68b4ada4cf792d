"""``shoes edit|remove|unretire|import`` and distances in miles: the dead ends a runner met
(no way to rename, change a limit, remove or un-retire a pair; km only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.model import Activity
from stridewise.store import Store

REPO = Path(__file__).resolve().parents[2]


def run(day: str, km: float, shoe: str | None = None) -> Activity:
    return Activity(
        sport="running",
        start_utc=datetime.fromisoformat(f"{day}T08:00:00").replace(tzinfo=UTC),
        distance_m=km * 1000,
        timer_s=km * 330,
        utc_offset_s=0,
        shoe=shoe,
        source_name=f"{day}.csv",
        source_format="csv",
        source_sha256=day,
        source_index=0,
    )


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "sw.db"
    with Store(path) as store:
        for day, km, shoe in [
            ("2026-10-01", 10, None),
            ("2026-10-03", 12, None),
            ("2026-10-05", 8, "Clifton 9"),  # named by its source
        ]:
            store.save_file("me", day, day, [run(day, km, shoe)])
    return path


def sw(db: Path, *args: str, config: Path | None = None):
    options = ["--db", str(db)] + (["--config", str(config)] if config else [])
    return CliRunner().invoke(cli, [*options, *args])


def pairs(db: Path) -> dict[str, dict]:
    return {row["name"]: row for row in json.loads(sw(db, "shoes", "list", "--json").output)}


def test_rename_keeps_the_runs(db):
    sw(db, "shoes", "add", "Ghost 15", "--default")
    result = sw(db, "shoes", "edit", "ghost15", "--rename", "Ghost 15 (blue)")
    assert result.output == "Changed 'Ghost 15 (blue)': renamed from 'Ghost 15'.\n"
    assert pairs(db)["Ghost 15 (blue)"]["runs"] == 2


def test_edit_limit_and_initial_distance_in_either_unit(db):
    sw(db, "shoes", "add", "Ghost 15")
    result = sw(db, "shoes", "edit", "Ghost 15", "--limit-mi", "500", "--initial-km", "40")
    assert result.output == "Changed 'Ghost 15': limit 805 km, initial distance 40 km.\n"
    ghost = pairs(db)["Ghost 15"]
    assert ghost["limit_km"] == pytest.approx(804.672)
    assert ghost["initial_km"] == 40.0


def test_edit_errors(db):
    sw(db, "shoes", "add", "Ghost 15")
    sw(db, "shoes", "add", "Pegasus 40")
    nothing = sw(db, "shoes", "edit", "Ghost 15")
    assert nothing.exit_code == 2
    assert nothing.output.splitlines()[-1] == (
        "Error: nothing to change; give --rename, --limit-km/--limit-mi or "
        "--initial-km/--initial-mi"
    )
    both = sw(db, "shoes", "edit", "Ghost 15", "--limit-km", "600", "--limit-mi", "400")
    assert both.exit_code == 2
    assert both.output.splitlines()[-1] == "Error: give --limit-km or --limit-mi, not both"
    taken = sw(db, "shoes", "edit", "Ghost 15", "--rename", "pegasus 40")
    assert taken.output == "Error: a shoe named 'Pegasus 40' already exists\n"
    assert sw(db, "shoes", "edit", "Nope", "--limit-km", "500").output == (
        "Error: no shoe named 'Nope'; see: stridewise shoes list\n"
    )


def test_an_imperial_runner_adds_in_miles(db, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[athlete]\nunits = "imperial"\n')
    result = sw(
        db, "shoes", "add", "Ghost 15", "--limit-mi", "400", "--initial-mi", "10", config=config
    )
    assert result.output == "Added shoe 'Ghost 15' (limit 400 mi).\n"
    ghost = pairs(db)["Ghost 15"]
    assert ghost["limit_km"] == pytest.approx(643.7376)
    assert ghost["initial_km"] == pytest.approx(16.09344)


def test_remove_is_refused_while_runs_are_assigned_unless_forced(db):
    sw(db, "shoes", "add", "Ghost 15", "--default")
    sw(db, "shoes", "add", "Speedgoat 5")
    sw(db, "shoes", "assign", "Speedgoat 5", "--activity", "2")
    refused = sw(db, "shoes", "remove", "Speedgoat 5")
    assert refused.exit_code == 1
    assert refused.output == (
        "Error: 1 run is assigned to 'Speedgoat 5'; remove it anyway with --force (those runs "
        "then fall back to the default pair)\n"
    )
    forced = sw(db, "shoes", "remove", "Speedgoat 5", "--force")
    assert forced.output == (
        "Removed 'Speedgoat 5'; its 1 assigned run fall back to the shoe their source named or "
        "the default pair.\n"
    )
    assert pairs(db)["Ghost 15"]["runs"] == 2  # run 2 is back in the default pair
    assert "Speedgoat 5" not in pairs(db)
    assert sw(db, "shoes", "remove", "Ghost 15").output == "Removed 'Ghost 15'.\n"


def test_unretire(db):
    sw(db, "shoes", "add", "Ghost 15", "--default")
    assert sw(db, "shoes", "unretire", "Ghost 15").output == "Error: 'Ghost 15' is not retired\n"
    sw(db, "shoes", "retire", "Ghost 15", "--date", "2026-10-02")
    assert pairs(db)["Ghost 15"]["status"] == "retired"
    assert sw(db, "shoes", "unretire", "Ghost 15").output == "'Ghost 15' is in service again.\n"
    assert pairs(db)["Ghost 15"]["status"] == "ok"


def test_a_retired_default_pair_keeps_its_runs(db):
    """Retiring the default pair once took every run it had covered away from it."""
    sw(db, "shoes", "add", "Ghost 15", "--default", "--initial-km", "100")
    sw(db, "shoes", "retire", "Ghost 15", "--date", "2026-10-02")
    ghost = pairs(db)["Ghost 15"]
    assert (ghost["runs"], ghost["distance_km"]) == (1, 110.0)  # 10-01 only; 10-03 is after


def test_add_on_an_existing_name(db):
    """A pair an import named becomes the runner's once; after that ``add`` is an error."""
    first = sw(db, "shoes", "add", "clifton 9", "--limit-km", "700")
    assert first.output == (
        "Updated shoe 'clifton 9' (limit 700 km). It was already known from your imports.\n"
    )
    again = sw(db, "shoes", "add", "Clifton 9")
    assert again.exit_code == 1
    assert again.output == (
        "Error: a shoe named 'clifton 9' already exists; change it with: "
        'stridewise shoes edit "clifton 9"\n'
    )


def test_import_the_samples_shoes_file(db, tmp_path):
    result = sw(db, "shoes", "import", str(REPO / "data" / "samples" / "shoes.toml"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Imported 3 shoes from shoes.toml."
    listed = pairs(db)
    assert listed["Pegasus 40"]["initial_km"] == 116.0 and listed["Pegasus 40"]["default"]
    assert listed["Speedgoat 5"]["limit_km"] == 800.0
    again = sw(db, "shoes", "import", str(REPO / "data" / "samples" / "shoes.toml"))
    assert again.exit_code == 1
    assert again.output == (
        "Error: shoes.toml: a shoe named 'Pegasus 40' already exists; nothing was imported "
        '(change it with: stridewise shoes edit "Pegasus 40")\n'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[shoe]]\nname = "A"\nlimit_km = 0\n',
            "shoes.toml, shoe 1 ('A'): limit_km must be more than 0 (and below 100000), not 0",
        ),
        (
            '[[shoe]]\nname = "A"\ncolour = "red"\n',
            "shoes.toml, shoe 1 ('A'): unknown key 'colour' (use assign, default, initial_km, "
            "initial_mi, limit_km, limit_mi, name, notes, retired_on, since)",
        ),
        (
            '[[shoe]]\nname = "A"\nsince = "2026-13-01"\n',
            "shoes.toml, shoe 1 ('A'): since '2026-13-01' is not a date (use YYYY-MM-DD)",
        ),
        (
            '[[shoe]]\nname = "A"\n[[shoe]]\nname = "a"\n',
            "shoes.toml: the shoe 'a' is in the file twice",
        ),
        ("[[shoe]]\nlimit_km = 600\n", "shoes.toml, shoe 1: every shoe needs a name"),
        (
            '[[shoe]]\nname = "A"\nassign = [{ until = "2026-10-01" }]\n',
            "shoes.toml, shoe 1 ('A'): each assign entry needs activity or since",
        ),
        ("shoe = 3", "shoes.toml: 'shoe' must be [[shoe]] tables"),
        (
            "[[shoe]\n",
            "shoes.toml: not valid TOML (Expected ']]' at the end of an array declaration "
            "(at line 1, column 7))",
        ),
    ],
)
def test_import_refuses_a_wrong_file_whole(db, tmp_path, text, message):
    path = tmp_path / "shoes.toml"
    path.write_text(text)
    result = sw(db, "shoes", "import", str(path))
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert "A" not in pairs(db)


def test_import_assigns_and_retires(db, tmp_path):
    path = tmp_path / "shoes.toml"
    path.write_text(
        '[[shoe]]\nname = "Ghost 15"\ndefault = true\nretired_on = 2026-10-04\n'
        '[[shoe]]\nname = "Speedgoat 5"\nlimit_mi = 500\nassign = [{ activity = 1 }]\n'
    )
    result = sw(db, "shoes", "import", str(path))
    assert result.output.splitlines()[-1] == "Imported 2 shoes from shoes.toml, 1 run assigned."
    listed = pairs(db)
    assert (listed["Ghost 15"]["runs"], listed["Ghost 15"]["retired_on"]) == (1, "2026-10-04")
    assert listed["Speedgoat 5"]["runs"] == 1
