"""A database written by an earlier schema version migrates forward with its data intact.

tests/fixtures/db/schema-v1.db holds what schema version 1 stored (scripts/make_schema_fixture.py
wrote it); a copy is opened with ``Store``, which applies every later migration, and then every
summary value and sample must read back as written, and every later feature must work on it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.importers.exports import WellnessDay
from stridewise.pain import add_pain, pain_frame
from stridewise.pipeline import import_paths
from stridewise.shoes import add_shoe, get_shoes
from stridewise.store import MIGRATIONS, SCHEMA_VERSION, Store

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "db" / "schema-v1.db"


def _fixture_script():
    spec = importlib.util.spec_from_file_location(
        "make_schema_fixture", REPO / "scripts" / "make_schema_fixture.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WRITTEN = _fixture_script().ACTIVITIES


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    """A copy of the version-1 database (the committed file is never migrated itself)."""
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, copy)
    return copy


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_the_fixture_is_schema_version_1(old_db: Path) -> None:
    with sqlite3.connect(old_db) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone() == (1,)
    assert _tables(old_db) == {"schema_version", "activities", "samples", "import_log"}
    assert len(MIGRATIONS) > 1  # there is something to migrate


def test_opening_migrates_to_the_latest_version_once(old_db: Path) -> None:
    with Store(old_db) as store:
        assert store.schema_version == SCHEMA_VERSION
    with Store(old_db) as store:  # opening again changes nothing
        versions = [row[0] for row in store.conn.execute("SELECT version FROM schema_version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert {"shoes", "pain", "wellness", "run_metrics"} <= _tables(old_db)


def test_summaries_and_samples_read_back_as_written(old_db: Path) -> None:
    with Store(old_db) as store:
        frame = store.activities_frame("me")
        assert len(frame) == len(WRITTEN)
        for (_, row), written in zip(frame.iterrows(), WRITTEN, strict=True):
            summary = written["summary"]
            assert row["start_utc"] == pd.Timestamp(summary["start_utc"])
            for column in ("sport", "surface", "distance_m", "timer_s", "shoe", "rpe", "notes"):
                expected = summary[column]
                assert (row[column] == expected) or (expected is None and pd.isna(row[column]))
            assert row["n_samples"] == summary["n_samples"]
            samples = store.load_samples(int(row["id"]))
            if written["samples"] is None:
                assert samples.empty
                continue
            first_ns, step_s, columns = written["samples"]
            assert samples.index[0] == pd.Timestamp(first_ns, unit="ns", tz="UTC")
            assert (np.diff(samples.index.asi8) == step_s * 10**9).all()
            assert sorted(samples.columns) == sorted(columns)
            for name, values in columns.items():
                np.testing.assert_array_equal(samples[name].to_numpy(), values)
        # the local date comes from the stored offset (+2 h on the first run)
        assert frame["local_start"].iloc[0] == pd.Timestamp("2025-05-04 09:00:00")


def test_the_import_log_still_knows_the_old_files(old_db: Path) -> None:
    with Store(old_db) as store:
        for written in WRITTEN:
            assert store.file_outcome("me", written["summary"]["source_sha256"]) == (
                "imported",
                None,
            )


def test_later_features_work_on_the_migrated_database(old_db: Path, tmp_path: Path) -> None:
    log = tmp_path / "new-runs.csv"
    log.write_text("date,distance_km,duration,shoe\n2025-05-08,8.0,0:44:00,Pegasus\n")
    with Store(old_db) as store:
        report = import_paths(store, [log], jobs=1)
        assert (report.imported, report.failed) == (1, [])
        add_shoe(store, "me", "Pegasus", limit_km=700)
        assert [shoe.name for shoe in get_shoes(store, "me")] == ["Pegasus"]
        assert not add_pain(store, "me", date(2025, 5, 7), 3, "after the trail run")  # new day
        assert len(pain_frame(store, "me")) == 1
        assert store.save_wellness("me", [WellnessDay("2025-05-07", 51.0)], "test") == 1
        assert store.count_activities("me") == len(WRITTEN) + 1
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", str(old_db), "activities", "--json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) == len(WRITTEN) + 1
    flags = runner.invoke(cli, ["--db", str(old_db), "flags", "--json"])
    assert flags.exit_code == 0, flags.output
    assert isinstance(json.loads(flags.stdout), list)
