"""Empty results say what was looked at, and dates are checked as dates with one wording and
exit 2 everywhere (each case was measured as a dishonest answer or a traceback)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.cli.app import DateType

LOG = (
    "date,distance_km,duration\n"
    "2026-03-02,10.0,0:55:00\n"
    "2026-03-04,5.5,30:15\n"
    "2026-03-07,8.0,45:00\n"
)


@pytest.fixture
def db(tmp_path) -> Path:
    log = tmp_path / "runs.csv"
    log.write_text(LOG)
    path = tmp_path / "sw.db"
    assert CliRunner().invoke(cli, ["--db", str(path), "import", str(log)]).exit_code == 0
    return path


def sw(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_a_period_without_activities_says_how_many_are_stored(db):
    result = sw(db, "activities", "--since", "2027-01-01")
    assert (result.exit_code, result.output) == (
        0,
        "No activities on or after 2027-01-01 (3 stored).\n",
    )
    result = sw(db, "activities", "--since", "2026-03-05", "--until", "2026-03-06")
    assert result.output == "No activities between 2026-03-05 and 2026-03-06 (3 stored).\n"
    result = sw(db, "activities", "--until", "2026-01-31")
    assert result.output == "No activities on or before 2026-01-31 (3 stored).\n"


def test_a_period_without_runs_has_no_flags_and_says_why(db):
    result = sw(db, "flags", "--since", "2027-01-01")
    assert (result.exit_code, result.output) == (
        0,
        "No runs on or after 2027-01-01 (3 stored), so no flags.\n",
    )


@pytest.mark.parametrize(
    "command",
    [("activities",), ("flags",), ("activities", "--json"), ("flags", "--csv")],
    ids=" ".join,
)
def test_since_after_until_is_a_usage_error(db, command):
    result = sw(db, *command, "--since", "2026-11-20", "--until", "2026-11-01")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: --since 2026-11-20 is after --until 2026-11-01"


def test_shoes_assign_since_after_until_is_a_usage_error(db):
    sw(db, "shoes", "add", "Ghost 15")
    result = sw(db, "shoes", "assign", "Ghost 15", "--since", "2026-03-07", "--until", "2026-03-01")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: --since 2026-03-07 is after --until 2026-03-01"


def test_another_athletes_data_is_named(db):
    """A coach's default athlete "me" has nothing; the database holds anna's runs."""
    log = db.parent / "runs.csv"
    sw(db, "--athlete", "anna", "import", str(log))
    other = db.parent / "other.db"
    CliRunner().invoke(cli, ["--db", str(other), "--athlete", "anna", "import", str(log)])
    result = sw(other, "activities")
    assert result.exit_code == 0
    assert result.output == (
        "No activities for athlete 'me'; this database holds anna (3). "
        "Choose one with: stridewise --athlete NAME\n"
    )


def test_importing_an_empty_folder_fails_and_names_it(tmp_path):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    (empty / "notes.txt").write_text("not an activity")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "sw.db"), "import", str(empty)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no supported files found in {empty} (stridewise reads .fit .gpx .tcx .csv "
        ".fit.gz .gpx.gz .tcx.gz .zip)\n"
    )


def test_an_empty_folder_beside_good_files_fails_the_import(tmp_path, db):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    log = tmp_path / "more.csv"
    log.write_text("date,distance_km,duration\n2026-03-09,6.0,33:00\n")
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(log), str(empty)])
    assert result.exit_code == 1
    assert f"failed: no supported files found in {empty} (stridewise reads" in result.output
    assert "Imported 1 activities from 1 files" in result.output


def date_options(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """(command path, option or argument name) of every DATE parameter in the tree."""
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        for param in command.params:
            if isinstance(param.type, DateType):
                yield path, param
        if isinstance(command, click.Group):
            yield from date_options(command, path)


DATE_PARAMS = list(date_options())
#: What each command needs besides the date to reach its checks.
REST = {
    ("pain", "add"): ["3"],
    ("shoes", "assign"): ["Ghost 15"],
    ("shoes", "retire"): ["Ghost 15"],
}


def test_every_date_parameter_is_found():
    found = {(path, param.name) for path, param in DATE_PARAMS}
    assert found >= {
        (("activities",), "since"),
        (("activities",), "until"),
        (("flags",), "since"),
        (("pain", "add"), "day"),
        (("shoes", "add"), "since"),
        (("shoes", "assign"), "until"),
        (("shoes", "retire"), "on"),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13-01", "'2026-13-01' is not a date (use YYYY-MM-DD)"),
        ("2026-02-30", "'2026-02-30' is not a date (use YYYY-MM-DD)"),
        ("20261101", "'20261101' is not a date (use YYYY-MM-DD)"),
        ("0001-01-01", "'0001-01-01' is out of range (use a date from 1990-01-01 to 2099-12-31)"),
        ("9999-12-31", "'9999-12-31' is out of range (use a date from 1990-01-01 to 2099-12-31)"),
    ],
)
@pytest.mark.parametrize(
    ("path", "param"),
    DATE_PARAMS,
    ids=lambda v: getattr(v, "name", " ".join(v) if isinstance(v, tuple) else v),
)
def test_a_wrong_date_is_a_usage_error_in_one_wording(db, path, param, text, message):
    if isinstance(param, click.Argument):
        args = [*path, text, *REST.get(path, [])]
    else:
        args = [*path, *REST.get(path, []), param.opts[0], text]
    result = sw(db, *args)
    assert result.exit_code == 2, result.output
    shown = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
    assert result.output.splitlines()[-1] == f"Error: Invalid value for '{shown}': {message}"


def test_a_future_retirement_is_refused(db):
    """``pain add`` refuses future dates; so does ``shoes retire`` (it accepted 2030-11-01)."""
    sw(db, "shoes", "add", "Ghost 15")
    result = sw(db, "shoes", "retire", "Ghost 15", "--date", "2099-11-01")
    assert result.exit_code == 1
    assert result.output == "Error: 2099-11-01 is in the future; retire a pair today or earlier\n"


def test_a_journal_day_out_of_range_is_refused_by_the_library(tmp_path):
    """``pain add 0001-01-01 3`` was stored, and broke every later ``pain list``."""
    from datetime import date

    from stridewise.errors import InvalidInput
    from stridewise.pain import add_pain
    from stridewise.store import Store

    with Store(tmp_path / "sw.db") as store:
        with pytest.raises(InvalidInput, match=r"^'0001-01-01' is out of range"):
            add_pain(store, "me", date(1, 1, 1), 3)
        assert store.pain_entries("me") == []


def test_a_journal_csv_day_out_of_range_is_refused(tmp_path):
    journal = tmp_path / "pain.csv"
    journal.write_text("date,score\n2026-03-01,2\n0001-01-01,3\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "sw.db"), "pain", "import", str(journal)]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: pain.csv, row 3: '0001-01-01' is out of range "
        "(use a date from 1990-01-01 to 2099-12-31)\n"
    )
