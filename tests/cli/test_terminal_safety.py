"""Hostile text in the command line's output: a shoe, a run or a file named with an escape
sequence reaches the terminal as visible text, and CSV cells a spreadsheet would run as a
formula reach it as text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.cli.app import spreadsheet_cell

#: Sets the terminal's title (OSC 0), as a name could.
TITLE = "\x1b]0;pwned\x07"


def sw(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def no_control_characters(text: str) -> None:
    assert not [c for c in text if ord(c) < 32 and c not in "\n"], repr(text)


def test_a_shoe_named_with_an_escape_sequence(tmp_path):
    db = tmp_path / "sw.db"
    added = sw(db, "shoes", "add", f"Pegasus {TITLE}")
    assert added.output == "Added shoe 'Pegasus \\x1b]0;pwned\\x07' (limit 600 km).\n"
    listed = sw(db, "shoes", "list")
    no_control_characters(listed.output)
    assert "Pegasus \\x1b]0;pwned\\x07" in listed.output
    error = sw(db, "shoes", "retire", f"Nope {TITLE}")
    assert (
        error.output
        == "Error: no shoe named 'Nope \\x1b]0;pwned\\x07'; see: stridewise shoes list\n"
    )
    assert "\\u001b" in sw(db, "shoes", "list", "--json").output  # JSON escapes it its own way


def test_a_file_named_with_an_escape_sequence(tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "run\x1b[2J.fit").write_bytes(b"not a FIT file at all" * 4)
    result = sw(tmp_path / "sw.db", "import", str(folder))
    assert result.exit_code == 1
    no_control_characters(result.output)
    assert "run\\x1b[2J.fit" in result.output


def test_activity_names_and_shoes_from_a_log(tmp_path):
    log = tmp_path / "runs.csv"
    log.write_text(
        f"date,distance_km,duration,name,shoe\n2026-03-02,10.0,0:55:00,Tempo{TITLE},=1+2\n"
    )
    db = tmp_path / "sw.db"
    sw(db, "import", str(log))
    listed = sw(db, "activities")
    no_control_characters(listed.output)
    rows = list(csv.DictReader(io.StringIO(sw(db, "activities", "--csv").output)))
    assert rows[0]["name"] == "Tempo\\x1b]0;pwned\\x07"
    assert rows[0]["shoe"] == "'=1+2"  # shown as text, never computed
    assert rows[0]["distance_km"] == "10.0"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-5", "'-5"),  # text that looks like a number is still text
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "\\x09indented"),  # a tab is shown, so it starts nothing
        ("Pegasus 40", "Pegasus 40"),
        (-5.0, -5.0),  # a negative number stays a number
        (None, None),
        (3, 3),
    ],
)
def test_spreadsheet_cells(cell, safe):
    assert spreadsheet_cell(cell) == safe


def test_flags_csv_has_the_json_columns(tmp_path):
    log = tmp_path / "runs.csv"
    rows = ["date,distance_km,duration"]
    rows += [f"2026-03-{day:02d},8.0,45:00" for day in range(1, 29)]  # no rest day for 4 weeks
    log.write_text("\n".join(rows) + "\n")
    db = tmp_path / "sw.db"
    sw(db, "import", str(log))
    table = list(csv.DictReader(io.StringIO(sw(db, "flags", "--csv").output)))
    flags = json.loads(sw(db, "flags", "--json").output)
    assert len(table) == len(flags) > 0
    assert [row["rule"] for row in table] == [flag["rule"] for flag in flags]
    assert list(table[0]) == [
        "rule",
        "factor",
        "date",
        "activity_id",
        "severity",
        "value",
        "threshold",
        "unit",
        "message",
        "remedy",
        "evidence",
        "citation",
        "window_start",
        "window_end",
    ]
