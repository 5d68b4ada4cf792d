"""The pain journal: CLI commands with their exact messages."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.store import Store


@pytest.fixture
def db(tmp_path):
    return tmp_path / "sw.db"


def sw(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_add_and_replace(db):
    assert sw(db, "pain", "add", "2026-11-20", "3", "--note", "stiff").output == (
        "Logged 3/10 for 2026-11-20.\n"
    )
    assert sw(db, "pain", "add", "2026-11-20", "5").output == (
        "Replaced the entry for 2026-11-20: now 5/10.\n"
    )
    listed = json.loads(sw(db, "pain", "list", "--json").stdout)
    assert listed["entries"] == [{"date": "2026-11-20", "score": 5, "note": None}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-13-01", "3"], "Error: '2026-13-01' is not a date (use YYYY-MM-DD)\n"),
        (["yesterday", "3"], "Error: 'yesterday' is not a date (use YYYY-MM-DD)\n"),
        (["2026-11-20", "11"], "Error: score 11 is outside 0-10\n"),
        (["--", "2026-11-20", "-1"], "Error: score -1 is outside 0-10\n"),
        (["2026-11-20", "mild"], "Error: score 'mild' must be a whole number from 0 to 10\n"),
    ],
)
def test_add_errors(db, args, message):
    result = sw(db, "pain", "add", *args)
    assert result.exit_code == 1
    assert result.output == message


def test_future_dates_are_refused(db):
    future = (date.today() + timedelta(days=3)).isoformat()
    result = sw(db, "pain", "add", future, "2")
    assert result.output == f"Error: {future} is in the future\n"


def test_list_text(db):
    Store(db).close()
    assert sw(db, "pain", "list").output == (
        "No pain logged. Log a day with: stridewise pain add DATE SCORE\n"
    )
    sw(db, "pain", "add", "2026-11-18", "2", "--note", "after trail run")
    assert sw(db, "pain", "list").output == (
        "date        score  note\n"
        "2026-11-18  2/10   after trail run\n"
        "\n"
        "0 of 1 logged days scored 3 or more.\n"
        "Only 0 pain days (score ≥ 3) logged: too few for the shares to mean much.\n"
        "These are associations in your own journal: a factor associated with, not caused by, "
        "your back pain. Pain has many sources; if it persists, see a doctor or physical "
        "therapist.\n"
    )


def test_import_csv(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_text("date,score,note\n2026-11-01,2,\n2026-11-02,4,sore, after hills\n")
    sw(db, "pain", "add", "2026-11-02", "1")
    assert sw(db, "pain", "import", str(csv_file)).output == (
        "Imported 2 days from pain.csv (1 replaced earlier entries).\n"
    )
    entries = json.loads(sw(db, "pain", "list", "--json").stdout)["entries"]
    assert entries[1] == {"date": "2026-11-02", "score": 4, "note": "sore, after hills"}


def test_import_csv_is_all_or_nothing(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_text("2026-11-01,2\n2026-11-02,12\n")
    result = sw(db, "pain", "import", str(csv_file))
    assert result.output == "Error: pain.csv, row 2: score 12 is outside 0-10\n"
    assert json.loads(sw(db, "pain", "list", "--json").stdout)["entries"] == []
