"""The whole real corpus (the device files tests/realdata.py finds) in one store, then every command
that reads it: nothing a real file holds may end in a traceback.

Every file is imported in one ``stridewise import`` of the corpus folder; the files that cannot
be imported (fitparse's record dumps, broken files from parser test suites) fail with one line
each. Then ``flags``, ``activities``, ``shoes list``, ``pain list`` and ``rules`` run in every
output format, and a report is built for every ISO week with an activity: as JSON for each week
(one History read once, as ``report`` reads it), and through ``stridewise report`` with every
format and its charts for the first, a middle, the last and the default week. By default the
JSON reports cover the weeks that hold a recording; ``STRIDEWISE_EVERY_WEEK=1`` covers every week
with an activity. Skipped without the corpus.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli

COMMANDS = [
    ("flags",),
    ("flags", "--json"),
    ("flags", "--csv"),
    ("activities",),
    ("activities", "--json"),
    ("activities", "--csv"),
    ("shoes", "list"),
    ("shoes", "list", "--json"),
    ("pain", "list"),
    ("pain", "list", "--json"),
    ("rules",),
    ("rules", "--json"),
]


def sw(folder: Path, *args: str):
    env = {"STRIDEWISE_CONFIG": str(folder / "absent.toml")}
    return CliRunner().invoke(cli, ["--db", str(folder / "corpus.db"), *args], env=env)


def clean(result, *codes: int) -> None:
    """No exception escaped, no traceback printed, an expected exit code."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code in (codes or (0,)), result.output[-3000:]


@pytest.fixture(scope="module")
def corpus(real_dir: Path, tmp_path_factory) -> tuple[Path, dict]:
    """The store holding the whole corpus, and the import's summary."""
    folder = tmp_path_factory.mktemp("corpus")
    result = sw(folder, "import", str(real_dir), "--json")
    clean(result, 0, 1)
    summary = json.loads(result.stdout)
    for day, score in ((date(2021, 3, 1), 4), (date(2021, 3, 8), 2), (date(2020, 12, 14), 6)):
        clean(sw(folder, "pain", "add", day.isoformat(), str(score)))
    return folder, summary


def test_every_file_is_imported_or_refused_in_one_line(corpus, real_dir):
    _, summary = corpus
    assert summary["imported"] > 1000
    for entry in summary["failed"]:
        assert entry["path"].startswith(str(real_dir)), entry
        assert "\n" not in entry["error"]
        assert entry["error"].startswith(Path(entry["path"]).name + ": "), entry
    print(
        f"{summary['files']} files: {summary['imported']} activities, "
        f"{len(summary['failed'])} failed, {len(summary['skipped'])} skipped"
    )


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_reading_command_runs_cleanly(corpus, args):
    folder, _ = corpus
    result = sw(folder, *args)
    clean(result)
    if "--json" in args:
        json.loads(result.stdout)
    elif "--csv" in args:
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len(rows) > 1 and len({len(row) for row in rows}) == 1


#: Formats of the activity lists (Garmin's Activities.csv, Strava's activities.csv): summaries
#: without records. Their weeks are reported too with ``STRIDEWISE_EVERY_WEEK=1`` (277 weeks,
#: 1.5-4 minutes); by default the 111 weeks holding a recording are (about 30 s).
LIST_FORMATS = ("garmin-csv", "strava-csv")


def _weeks(folder: Path, *, recorded_only: bool = False) -> list[date]:
    listed = json.loads(sw(folder, "activities", "--json").stdout)
    days = {
        date.fromisoformat(a["local_date"])
        for a in listed
        if not (recorded_only and a["format"] in LIST_FORMATS)
    }
    return sorted({day - timedelta(days=day.weekday()) for day in days})


def test_a_report_is_built_for_every_week_with_data(corpus):
    from stridewise.history import History
    from stridewise.profile import Profile
    from stridewise.report import build_report_from_history
    from stridewise.report.jsonout import render_json
    from stridewise.store import Store

    folder, _ = corpus
    weeks = _weeks(folder, recorded_only=not os.environ.get("STRIDEWISE_EVERY_WEEK"))
    with Store(folder / "corpus.db", readonly=True) as store:
        history = History.from_store(store, "me", Profile())
        for monday in weeks:
            report = build_report_from_history(history, monday, draw_charts=False)
            document = json.loads(render_json(report))
            assert document["week"] == f"{monday:%G-W%V}"
    print(f"{len(weeks)} weeks, {weeks[0]} to {weeks[-1]}")


def test_the_report_command_writes_every_format_for_sampled_weeks(corpus):
    folder, _ = corpus
    weeks = _weeks(folder)
    sampled = [weeks[0], weeks[len(weeks) // 2], weeks[-1]]
    for monday in sampled:
        week = f"{monday:%G-W%V}"
        out = folder / f"report-{week}"
        result = sw(folder, "report", "--week", week, "--out", str(out))
        clean(result)
        assert json.loads((out / "report.json").read_text())["week"] == week
        assert (out / "index.html").stat().st_size > 0 and (out / "report.md").stat().st_size > 0
    clean(sw(folder, "report", "--format", "json", "--out", str(folder / "default-week")))
