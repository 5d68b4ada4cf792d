"""The pain journal: CLI commands with their exact messages."""

from __future__ import annotations

import codecs
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
        (["2026-11-20", "11"], "Error: score 11 is outside 0-10\n"),
        (["--", "2026-11-20", "-1"], "Error: score -1 is outside 0-10\n"),
        (["2026-11-20", "mild"], "Error: score 'mild' must be a whole number from 0 to 10\n"),
    ],
)
def test_add_errors(db, args, message):
    result = sw(db, "pain", "add", *args)
    assert result.exit_code == 1
    assert result.output == message


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-13-01", "'2026-13-01' is not a date (use YYYY-MM-DD)"),
        ("yesterday", "'yesterday' is not a date (use YYYY-MM-DD)"),
        # year 1 was stored once, and every later reading of the journal overflowed
        ("0001-01-01", "'0001-01-01' is out of range (use a date from 1990-01-01 to 2099-12-31)"),
    ],
)
def test_a_wrong_date_is_a_usage_error(db, day, message):
    result = sw(db, "pain", "add", day, "3")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: Invalid value for 'DATE': {message}"
    assert sw(db, "pain", "list", "--json").exit_code == 1  # nothing stored: no database yet


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


# --- the journal CSV reads through the CSV layer, like every CSV ---------------------------------

SEMICOLON_JOURNAL = "Date;Score;Note\n01.11.2026;2;\n2026-11-02;4;sore, after hills\n"


def _listed(db) -> list[dict]:
    return json.loads(sw(db, "pain", "list", "--json").stdout)["entries"]


@pytest.mark.parametrize(
    "data",
    [
        SEMICOLON_JOURNAL.encode("utf-8"),
        codecs.BOM_UTF16_LE + SEMICOLON_JOURNAL.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SEMICOLON_JOURNAL.encode("utf-16-be"),
        SEMICOLON_JOURNAL.replace(";", "\t").encode("utf-16"),  # Excel's "Unicode text"
    ],
    ids=["semicolon-utf8", "semicolon-utf16-le", "semicolon-utf16-be", "tab-utf16"],
)
def test_import_csv_with_semicolons_or_tabs_in_utf8_or_utf16(db, tmp_path, data):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_bytes(data)
    assert sw(db, "pain", "import", str(csv_file)).output == "Imported 2 days from pain.csv.\n"
    entries = _listed(db)
    assert [(entry["date"], entry["score"]) for entry in entries] == [
        ("2026-11-01", 2),
        ("2026-11-02", 4),
    ]
    assert entries[1]["note"] == "sore, after hills"


def test_import_csv_without_header_split_by_semicolons_keeps_a_note_with_commas(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_text("2026-11-01;3;after run, knees, back\n")
    assert sw(db, "pain", "import", str(csv_file)).output == "Imported 1 day from pain.csv.\n"
    assert _listed(db) == [{"date": "2026-11-01", "score": 3, "note": "after run, knees, back"}]


def test_import_csv_names_the_row_a_spreadsheet_shows(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_text("date,score\n\n2026-11-01,2\n2026-11-31,4\n")
    result = sw(db, "pain", "import", str(csv_file))
    assert result.output == "Error: pain.csv, row 4: '2026-11-31' is not a date (use YYYY-MM-DD)\n"


def test_import_csv_refuses_slash_dates_nothing_decides(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_text("date,score\n03/04/2026,2\n")
    assert sw(db, "pain", "import", str(csv_file)).output == (
        "Error: pain.csv: the date '03/04/2026' in row 2 could be 3 April or March 4, and no "
        "date in the file has a day above 12 to tell which; write dates as YYYY-MM-DD\n"
    )


def test_import_csv_reads_slash_dates_in_the_files_order(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_text("03/04/2026,2\n13/04/2026,1\n")
    sw(db, "pain", "import", str(csv_file))
    assert [entry["date"] for entry in _listed(db)] == ["2026-04-03", "2026-04-13"]


def test_import_binary_file_is_refused(db, tmp_path):
    csv_file = tmp_path / "pain.csv"
    csv_file.write_bytes(b"\x0e\x10\x08\x00.FIT\x00\x00")
    result = sw(db, "pain", "import", str(csv_file))
    assert (result.exit_code, result.output) == (
        1,
        "Error: pain.csv: is a binary file, not CSV text\n",
    )
