"""The Parquet export: documented columns, partition names, and a round trip that gives the
rules the same history as the store."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import pandas as pd
import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.cohort.parquet import (
    AthletePartition,
    athlete_of,
    export_store,
    partition_name,
    read_partition,
    scan_export,
)
from stridewise.cohort.records import history_of, records_from_store, records_from_tables
from stridewise.cohort.schema import EXPORT_SCHEMA_VERSION, MANIFEST, TABLES
from stridewise.errors import InvalidInput, MissingExtra
from stridewise.history import History
from stridewise.profile import Profile, load_profile
from stridewise.store import SUMMARY_FIELDS, Store

from .cohort_data import generator, small_cohort


def test_every_stored_activity_column_is_exported_and_documented():
    names = [c.name for c in TABLES["activities"]]
    assert set(SUMMARY_FIELDS) <= set(names)
    for table, columns in TABLES.items():
        for column in columns:
            assert column.unit and column.meaning, f"{table}.{column.name} is undocumented"


@pytest.mark.parametrize(
    ("athlete", "folder"),
    [
        ("me", "athlete=me"),
        ("anna/tom", "athlete=anna%2Ftom"),
        ("x=1%", "athlete=x%3D1%25"),
        (".hidden", "athlete=%2Ehidden"),
        ("_tmp", "athlete=%5Ftmp"),
        ("Zoë Müller", "athlete=Zoë Müller"),
        ("123", "athlete=123"),
    ],
)
def test_partition_folder_names_escape_what_spark_escapes(athlete, folder):
    assert partition_name(athlete) == folder
    assert athlete_of(folder) == athlete


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Four generated athletes over 26 weeks, one with real records, in one store."""
    folder = tmp_path_factory.mktemp("cohort")
    gen = generator()
    athletes = small_cohort(folder, [1, 6, 14, 23])
    recorded = gen.build_athlete(45, 200, 8)
    gen.add_records(recorded, __import__("numpy").random.default_rng(1))
    with Store(folder / "cohort.db") as store:
        gen.store_athlete(store, recorded, gen.LAST_DAY)
    (folder / "profiles" / "a045.toml").write_text(gen.toml_text(recorded.profile), "utf-8")
    return folder, [a.name for a in athletes] + ["a045"]


def test_an_exported_athlete_reads_back_as_the_same_history(cohort, tmp_path):
    folder, names = cohort
    with Store(folder / "cohort.db", readonly=True) as store:
        export_store(
            store, tmp_path, lambda name: load_profile(folder / "profiles" / f"{name}.toml")
        )
        scan = scan_export(tmp_path)
        assert [p.athlete for p in scan.partitions] == sorted(names) and scan.problems == []
        for partition in scan.partitions:
            profile = load_profile(folder / "profiles" / f"{partition.athlete}.toml")
            stored = History.from_store(store, partition.athlete, profile)
            records = records_from_tables(partition.athlete, read_partition(tmp_path, partition))
            exported = history_of(records, records.profile)
            pd.testing.assert_frame_equal(stored.activities, exported.activities)
            pd.testing.assert_frame_equal(
                stored.run_metrics.drop(columns="hr_hist"),
                exported.run_metrics.drop(columns="hr_hist"),
            )
            pd.testing.assert_frame_equal(stored.shoes, exported.shoes)
            pd.testing.assert_frame_equal(stored.wellness, exported.wellness)
            pd.testing.assert_frame_equal(stored.pain, exported.pain)
            assert stored.metric_notes == exported.metric_notes
            for field in ("sex", "max_hr", "resting_hr", "threshold_pace_s_per_km", "timezone",
                          "units", "birth_year", "rules"):  # fmt: skip
                assert getattr(records.profile, field) == getattr(profile, field), field


def test_records_computed_at_reading_are_exported(cohort, tmp_path):
    """a045's runs have records but no stored metrics: the export carries them computed."""
    folder, _ = cohort
    with Store(folder / "cohort.db", readonly=True) as store:
        records = records_from_store(store, "a045", Profile())
    recorded = records.activities.loc[records.activities["n_samples"] > 0, "id"]
    assert len(recorded) == 4
    assert all(int(i) in records.metric_entries for i in recorded)


def test_what_an_export_said_about_the_athlete_travels_with_the_export(tmp_path):
    """Facts from a Garmin export (birth year, sex, max HR) fill what the profile leaves unset,
    in the cohort as in the store's history: the same profile, the same sources."""
    small_cohort(tmp_path, [2])
    facts = {"birth_year": 1979, "sex": "female", "max_hr": 183}
    with Store(tmp_path / "cohort.db") as store:
        store.save_athlete_facts("a002", facts, "Garmin export")
    with Store(tmp_path / "cohort.db", readonly=True) as store:
        export_store(store, tmp_path / "parquet", lambda name: Profile(max_hr=190))
        stored = History.from_store(store, "a002", Profile(max_hr=190))
    scan = scan_export(tmp_path / "parquet")
    records = records_from_tables("a002", read_partition(tmp_path / "parquet", scan.partitions[0]))
    assert dict(records.facts) == {
        "birth_year": ("1979", "Garmin export"),
        "sex": ("female", "Garmin export"),
        "max_hr": ("183", "Garmin export"),
    }
    exported = history_of(records, records.profile)
    assert (exported.profile.birth_year, exported.profile.sex, exported.profile.max_hr) == (
        1979, "female", 190.0,
    )  # fmt: skip  (the runner's own max_hr wins)
    assert replace(exported.profile, source=None) == stored.profile
    assert exported.profile_sources == stored.profile_sources == {
        "birth_year": "Garmin export",
        "sex": "Garmin export",
    }


def test_the_export_command_writes_every_table_and_the_manifest(cohort, tmp_path):
    folder, names = cohort
    out = tmp_path / "export"
    result = CliRunner().invoke(
        cli, ["--db", str(folder / "cohort.db"), "export", "--format", "parquet", str(out)]
    )
    assert result.exit_code == 0, result.output
    activities = pd.read_parquet(out / "activities")
    assert result.output == (
        f"Exported 5 athletes ({len(activities)} activities, without per-second records) to "
        f"{out} as Parquet (schema version {EXPORT_SCHEMA_VERSION}, "
        f"{sum(1 for _ in out.rglob('*.parquet'))} files).\n"
    )
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["schema_version"] == EXPORT_SCHEMA_VERSION
    assert "samples" not in manifest["tables"]
    assert sorted(activities["athlete"].astype(str).unique()) == sorted(names)


def test_duckdb_reads_the_export_with_its_partitions(cohort, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    folder, _ = cohort
    with Store(folder / "cohort.db", readonly=True) as store:
        export_store(store, tmp_path, lambda name: Profile())
        expected = store.count_activities()
    rows = duckdb.sql(
        f"SELECT athlete, count(*) AS n FROM read_parquet('{tmp_path}/activities/*/*.parquet', "
        "hive_partitioning = true) GROUP BY athlete ORDER BY athlete"
    ).fetchall()
    assert sum(n for _, n in rows) == expected and rows[0][0] == "a001"


def test_samples_are_exported_on_request(cohort, tmp_path):
    folder, _ = cohort
    with Store(folder / "cohort.db", readonly=True) as store:
        export_store(store, tmp_path, lambda name: Profile(), samples=True, athletes=["a045"])
    samples = pd.read_parquet(tmp_path / "samples")
    assert len(samples) == 4 * 1200
    assert samples["heart_rate_bpm"].notna().all() and samples["power_w"].isna().all()


def test_an_export_goes_only_into_an_empty_folder_or_an_earlier_export(cohort, tmp_path):
    folder, _ = cohort
    (tmp_path / "notes.txt").write_text("mine")
    with Store(folder / "cohort.db", readonly=True) as store, pytest.raises(InvalidInput) as error:
        export_store(store, tmp_path, lambda name: Profile())
    assert str(error.value) == (
        f"{tmp_path}: not empty and not a stridewise export; choose an empty or new folder"
    )


def test_without_pyarrow_the_error_names_the_extra(cohort, tmp_path, monkeypatch):
    folder, _ = cohort
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = CliRunner().invoke(
        cli, ["--db", str(folder / "cohort.db"), "export", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: Parquet needs pyarrow, which is not installed; install it with: "
        "pip install 'stridewise[cohort]'\n"
    )
    with pytest.raises(MissingExtra):
        read_partition(tmp_path, AthletePartition("me", {}))


def test_the_documented_columns_are_the_exported_ones():
    from pathlib import Path

    from stridewise.cohort.schema import columns_markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "PARQUET.md"
    text = docs.read_text(encoding="utf-8")
    assert columns_markdown() in text, "docs/PARQUET.md: write its tables from columns_markdown()"
    assert f"schema version {EXPORT_SCHEMA_VERSION})" in text


def test_exporting_leaves_the_database_byte_identical_and_creates_none(cohort, tmp_path):
    import hashlib

    folder, _ = cohort
    before = hashlib.sha256((folder / "cohort.db").read_bytes()).hexdigest()
    result = CliRunner().invoke(
        cli, ["--db", str(folder / "cohort.db"), "export", str(tmp_path / "x")]
    )
    assert result.exit_code == 0, result.output
    assert hashlib.sha256((folder / "cohort.db").read_bytes()).hexdigest() == before
    missing = tmp_path / "misspelt" / "stridewise.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "export", str(tmp_path / "y")])
    assert result.output == (
        f"Error: {missing}: no such database; import something first: stridewise import PATH\n"
    )
    assert not missing.parent.exists() and not (tmp_path / "y").exists()
