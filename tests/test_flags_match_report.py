"""One analysis, two views: for every week of the bundled samples, ``flags --json`` over that
week equals the flags of the week's ``report.json``, and both state the same estimated maximum
heart rate (the profile here gives none, so both must estimate it, from the whole history)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "config.toml").is_file(), reason="data/samples has not been generated"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path]:
    """(database, config without max_hr and resting_hr) with the samples imported."""
    folder = tmp_path_factory.mktemp("one-analysis")
    config = folder / "config.toml"
    config.write_text(
        '[athlete]\nsex = "female"\ntimezone = "Europe/Amsterdam"\nunits = "metric"\n',
        encoding="utf-8",
    )
    db = folder / "stridewise.db"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--config", str(config), "-q", "import", str(SAMPLES)]
    )
    assert result.exit_code == 0, result.output
    return db, config


def run(imported: tuple[Path, Path], *args: str) -> str:
    db, config = imported
    result = CliRunner().invoke(cli, ["--db", str(db), "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def weeks_with_runs(imported: tuple[Path, Path]) -> list[date]:
    days = {
        date.fromisoformat(row["local_date"])
        for row in json.loads(run(imported, "activities", "--json"))
        if row["kind"] == "run"
    }
    return sorted({day - timedelta(days=day.weekday()) for day in days})


def stated_max_hr(text: str) -> str:
    """The estimated maximum heart rate a text states [beats/min]."""
    found = re.findall(r"Maximum heart rate[^0-9]*?(\d+(?:\.\d+)?) (?:bpm|beats/min)", text)
    assert found, text
    return found[0]


def test_every_week_of_flags_equals_its_report(imported, tmp_path):
    mondays = weeks_with_runs(imported)
    assert len(mondays) >= 10
    for monday in mondays:
        sunday = monday + timedelta(days=6)
        period = ["--since", monday.isoformat(), "--until", sunday.isoformat()]
        flags = json.loads(run(imported, "flags", *period, "--json"))
        year, week, _ = monday.isocalendar()
        label = f"{year}-W{week:02d}"
        out = tmp_path / label
        run(imported, "report", "--week", label, "--format", "json", "--out", str(out))
        document = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert document["flags"] == flags, label
        text = run(imported, "flags", *period)
        assert stated_max_hr(text) == stated_max_hr(" ".join(document["notes"])), label
