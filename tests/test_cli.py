"""The command line, run in process: exact messages, exit codes, JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.store import Store

LOG = (
    "date,distance_km,duration,shoe\n"
    "2026-03-02,10.0,0:55:00,Pegasus\n"
    "2026-03-04,5.5,30:15,Pegasus\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder with one good log, one file of garbage named .fit and one unrelated file."""
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "runs.csv").write_text(LOG)
    (folder / "garbage.fit").write_bytes(b"\x00this is not a FIT file at all" * 4)
    (folder / "notes.txt").write_text("not an activity file type, ignored inside folders")
    return folder


def invoke(runner: CliRunner, tmp_path: Path, *args: str):
    return runner.invoke(cli, ["--db", str(tmp_path / "sw.db"), *args])


def test_import_reports_each_outcome_and_goes_on(runner, tmp_path, batch):
    result = invoke(runner, tmp_path, "import", str(batch), "--json")
    assert result.exit_code == 1  # some inputs failed
    summary = json.loads(result.stdout)
    assert summary["imported"] == 2
    assert summary["duplicates"] == 0
    assert [Path(f["path"]).name for f in summary["failed"]] == ["garbage.fit"]
    assert summary["failed"][0]["error"].startswith("garbage.fit: ")
    assert "Traceback" not in result.output


def test_importing_the_same_folder_twice_stores_nothing_new(runner, tmp_path, batch):
    invoke(runner, tmp_path, "import", str(batch))
    again = invoke(runner, tmp_path, "import", str(batch))
    assert "Imported 0 activities (nothing new)" in again.stdout
    assert "  not stored again: 1\n    1 already imported before\n" in again.stdout
    listed = json.loads(invoke(runner, tmp_path, "activities", "--json").stdout)
    assert len(listed) == 2


def test_activities_json_fields(runner, tmp_path, batch):
    invoke(runner, tmp_path, "import", str(batch / "runs.csv"))
    [first, second] = json.loads(invoke(runner, tmp_path, "activities", "--json").stdout)
    for key in (
        "id",
        "start_utc",
        "local_date",
        "sport",
        "sub_sport",
        "surface",
        "surface_source",
        "distance_km",
        "duration_s",
        "source",
        "shoe",
    ):
        assert key in first
    assert first["local_date"] == "2026-03-02"
    assert first["distance_km"] == 10.0
    assert first["duration_s"] == 3300.0
    assert second["duration_s"] == 1815.0
    assert first["shoe"] == "Pegasus"
    assert first["source"].startswith("runs.csv")


def test_activities_since_until_and_csv(runner, tmp_path, batch):
    invoke(runner, tmp_path, "import", str(batch / "runs.csv"))
    result = invoke(runner, tmp_path, "activities", "--since", "2026-03-03", "--csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("id,")
    assert len(lines) == 2 and ",2026-03-04," in lines[1]


def test_activities_in_miles_per_profile(runner, tmp_path, batch):
    config = tmp_path / "config.toml"
    config.write_text('[athlete]\nunits = "imperial"\n')
    invoke(runner, tmp_path, "import", str(batch / "runs.csv"))
    result = invoke(runner, tmp_path, "--config", str(config), "activities")
    assert " mi " in result.stdout.splitlines()[0] + " "
    assert "6.21" in result.stdout  # 10 km


def test_missing_path_is_a_failure_not_a_crash(runner, tmp_path):
    result = invoke(runner, tmp_path, "import", str(tmp_path / "nope.fit"), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failed"][0]["error"].endswith("no such file or folder")


def test_bad_config_is_one_error_line(runner, tmp_path, batch):
    config = tmp_path / "config.toml"
    config.write_text("[athlete]\nmax_hr = 900\n")
    result = invoke(runner, tmp_path, "--config", str(config), "import", str(batch))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {config}: athlete.max_hr must be a heart rate 25-250, not 900"
    )


def test_debug_shows_the_traceback(runner, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[athlete]\nmax_hr = 900\n")
    Store(tmp_path / "x.db").close()
    result = runner.invoke(
        cli, ["--debug", "--db", str(tmp_path / "x.db"), "--config", str(config), "activities"]
    )
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "ConfigError"


def test_empty_database_says_how_to_start(runner, tmp_path):
    Store(tmp_path / "sw.db").close()  # created by an import that found nothing
    result = invoke(runner, tmp_path, "activities")
    assert result.exit_code == 0
    assert "stridewise import PATH" in result.stdout


def _command_paths(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _command_paths(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_command_paths()), ids=" ".join)
def test_every_command_has_help_with_an_example(runner, path):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_flags_on_an_empty_database(runner, tmp_path):
    Store(tmp_path / "sw.db").close()
    result = invoke(runner, tmp_path, "flags")
    assert result.output == "No runs imported yet. Import some with: stridewise import PATH\n"
    assert invoke(runner, tmp_path, "flags", "--json").output == "[]\n"


def test_flags_unknown_rule_is_one_error_line(runner, tmp_path, batch):
    invoke(runner, tmp_path, "import", str(batch / "runs.csv"))
    result = invoke(runner, tmp_path, "flags", "--rule", "nope")
    assert result.exit_code == 1 and result.output.startswith("Error: unknown rule 'nope'")
