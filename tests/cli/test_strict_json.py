"""Every ``--json`` is strict JSON: on a store full of missing values (a pair with no runs and no
start date, pain days without a note, runs without heart rate), each command that has ``--json``
prints what ``JSON.parse`` accepts: ``null``, never ``NaN`` or ``Infinity``."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from stridewise.cli import cli

LOG = (
    "date,distance_km,duration,shoe\n"
    "2026-03-02,10.0,0:55:00,Pegasus\n"
    "2026-03-04,5.5,30:15,\n"
    "2026-03-05,,45:00,\n"
)


def strict_json(text: str):
    """``json.loads`` that refuses NaN and the infinities, as JavaScript's JSON.parse does."""

    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def gappy(tmp_path_factory) -> tuple[Path, Path]:
    """A database with gaps everywhere, and the CSV it was imported from."""
    folder = tmp_path_factory.mktemp("gappy")
    db, log = folder / "sw.db", folder / "runs.csv"
    log.write_text(LOG)
    runner = CliRunner()
    for args in (
        ["import", str(log)],
        ["shoes", "add", "Spare pair"],  # no --since, no runs: since and first_used missing
        ["pain", "add", "2026-03-03", "2"],  # no note
        ["pain", "add", "2026-03-04", "4", "--note", "stiff"],
    ):
        result = runner.invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, (args, result.output)
    return db, log


def json_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if any("--json" in getattr(param, "opts", ()) for param in command.params):
            yield path
        if isinstance(command, click.Group):
            yield from json_commands(command, path)


#: Arguments a command needs besides --json (a command not named here needs none).
ARGUMENTS = {
    ("import",): lambda log: [str(log)],
    ("activities", "add"): lambda _: ["2026-03-05", "yoga", "--minutes", "30"],
}


def test_every_json_command_is_covered():
    assert set(json_commands()) >= {
        ("import",),
        ("activities",),
        ("flags",),
        ("shoes", "list"),
        ("pain", "list"),
    }


@pytest.mark.parametrize("path", list(json_commands()), ids=" ".join)
def test_json_is_strict(gappy, path):
    db, log = gappy
    arguments = ARGUMENTS.get(path, lambda _: [])(log)
    result = CliRunner().invoke(cli, ["--db", str(db), *path, *arguments, "--json"])
    assert result.exit_code == 0, result.output
    strict_json(result.stdout)


def test_shoes_list_json_has_null_for_a_missing_start(gappy):
    """Measured: ``"since": NaN``."""
    db, _ = gappy
    result = CliRunner().invoke(cli, ["--db", str(db), "shoes", "list", "--json"])
    spare = next(row for row in strict_json(result.stdout) if row["name"] == "Spare pair")
    assert (spare["since"], spare["first_used"], spare["last_used"]) == (None, None, None)


def test_pain_list_json_has_null_for_a_missing_note(gappy):
    """Measured: ``"note": NaN``."""
    db, _ = gappy
    result = CliRunner().invoke(cli, ["--db", str(db), "pain", "list", "--json"])
    assert strict_json(result.stdout)["entries"] == [
        {"date": "2026-03-03", "score": 2, "note": None},
        {"date": "2026-03-04", "score": 4, "note": "stiff"},
    ]


def test_pain_list_with_and_without_a_note(gappy):
    """Measured: a traceback (``object of type 'float' has no len()``) in the table printer."""
    db, _ = gappy
    result = CliRunner().invoke(cli, ["--db", str(db), "pain", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "date        score  note",
        "2026-03-03  2/10",
        "2026-03-04  4/10   stiff",
    ]


def test_shoes_list_with_a_pair_never_worn(gappy):
    """A pair with no runs has no first or last day: a dash, not a crash in the table."""
    db, _ = gappy
    result = CliRunner().invoke(cli, ["--db", str(db), "shoes", "list"])
    assert result.exit_code == 0, result.output
    spare = next(line for line in result.output.splitlines() if line.startswith("Spare pair"))
    assert spare.split() == ["Spare", "pair", "0", "600", "0", "-", "-", "0%", "ok"]
