"""``stridewise report``: files, terminal summary, and errors in words."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_history import REPORT_WEEK

from stridewise.cli import cli

CONFIG = """
[athlete]
sex = "female"
max_hr = 190
resting_hr = 50
timezone = "Europe/Amsterdam"
"""


@pytest.fixture
def run(report_db: Path, tmp_path: Path):
    database = tmp_path / "stridewise.db"
    shutil.copy(report_db, database)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(database), "--config", str(config), *args])

    return invoke


def test_report_writes_every_format_and_prints_a_summary(run, tmp_path):
    out = tmp_path / "w47"
    result = run("report", "--week", REPORT_WEEK, "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "2026-W47 (Mon 16 Nov 2026 – Sun 22 Nov 2026): 4 runs, 45.0 km, 4:08 h, 2 rest days, "
        "longest 25.0 km."
    )
    assert lines[1].startswith("Flags: ") and "session_spike" in lines[1]
    assert lines[-1] == f"Report: {out / 'index.html'}"
    names = {path.name for path in out.iterdir()}
    assert {"index.html", "report.md", "report.json", "weekly-distance.svg"} <= names
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["week"] == REPORT_WEEK


def test_report_writes_only_the_chosen_formats(run, tmp_path):
    out = tmp_path / "json-only"
    result = run("report", "--week", REPORT_WEEK, "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"Report: {out / 'report.json'}"
    assert not (out / "index.html").exists() and not (out / "report.md").exists()


def test_default_folder_is_named_after_the_week(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", "--week", REPORT_WEEK, "--format", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "stridewise-report-2026-W47" / "report.md").is_file()


def test_a_week_without_runs_is_reported_not_an_error(run, tmp_path):
    result = run("report", "--week", "2026-W30", "--out", str(tmp_path / "empty"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "2026-W30 (Mon 20 Jul 2026 – Sun 26 Jul 2026): no runs."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "Error: unknown report format 'pdf'; use any of html, md, json"),
    ],
)
def test_bad_options_are_errors_in_words(run, args, message):
    result = run("report", *args)
    assert result.exit_code == 1
    assert result.output.strip() == message


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("47", "week '47' is not an ISO week; use YYYY-Www, e.g. 2026-W47"),
        ("2026-W54", "week '2026-W54' does not exist: 2026 has no week 54"),
        # these overflowed Python's dates with a traceback
        ("0001-W01", "week '0001-W01' is out of range (use a week from 1990-W01 to 2099-W53)"),
        ("9999-W52", "week '9999-W52' is out of range (use a week from 1990-W01 to 2099-W53)"),
    ],
)
def test_a_wrong_week_is_a_usage_error(run, week, message):
    result = run("report", "--week", week)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: Invalid value for '--week': {message}"


def test_an_empty_database_says_how_to_start(tmp_path):
    from stridewise.store import Store

    Store(tmp_path / "empty.db").close()  # created, nothing imported
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "empty.db"), "report"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: no runs imported yet; import some first with: stridewise import PATH"
    )


def test_a_missing_database_is_named_and_not_created(tmp_path):
    path = tmp_path / "typo" / "new.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "report"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {path}: no such database; import something first: stridewise import PATH"
    )
    assert not path.parent.exists()
