"""The Spark engine (local[2]) writes what the local engine writes: the same findings, athletes
and summary, the same lines for bad input, and a folder of stores converted on the fly.

Marked ``slow``: Spark starts a JVM (about 10 s); ``scripts/test`` runs these with ``-m slow``.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from stridewise.cli import cli

from .cohort_data import cohort_findings, export_with_profiles, generator, small_cohort

pytestmark = pytest.mark.slow
pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def broken_cohort(tmp_path_factory):
    """Five athletes: a003's partition of another schema version, a005's wellness file cut in
    half, a199 without runs."""
    folder = tmp_path_factory.mktemp("cohort")
    small_cohort(folder, [1, 3, 5, 8, 199])
    export_with_profiles(folder, folder / "parquet")
    path = folder / "parquet" / "activities" / "athlete=a003" / "part-0.parquet"
    table = pq.read_table(path)
    pq.write_table(table.replace_schema_metadata({b"stridewise.schema_version": b"99"}), path)
    path = folder / "parquet" / "wellness" / "athlete=a005" / "part-0.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return folder


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_spark_writes_what_the_local_engine_writes(broken_cohort, tmp_path):
    source = broken_cohort / "parquet"
    local = invoke("cohort", str(source), "--out", str(tmp_path / "local"))
    spark = invoke("cohort", str(source), "--out", str(tmp_path / "spark"), "--engine", "spark")
    assert spark.exit_code == local.exit_code == 1, spark.output
    assert spark.stderr == local.stderr
    assert len(local.stderr.splitlines()) == 3
    assert spark.stdout.startswith("Evaluated 2 of 5 athletes (spark on local[2]): ")
    assert cohort_findings(tmp_path / "spark") == cohort_findings(tmp_path / "local")
    for table in ("athletes", "summary"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "spark" / f"{table}.parquet"),
            pd.read_parquet(tmp_path / "local" / f"{table}.parquet"),
        )
    # Spark writes its findings as folders of part files, the CSV with a header in each
    parts = sorted((tmp_path / "spark" / "findings.csv").glob("part-*.csv"))
    text = pd.concat([pd.read_csv(p) for p in parts], ignore_index=True)
    assert len(text) == len(pd.read_parquet(tmp_path / "local" / "findings.parquet"))


def test_spark_converts_a_folder_of_stores(broken_cohort, tmp_path):
    gen = generator()
    stores = tmp_path / "stores"
    stores.mkdir()
    for index in (1, 199):
        athlete = gen.build_athlete(index, 200, 26)
        (stores / f"{athlete.name}.toml").write_text(gen.toml_text(athlete.profile), "utf-8")
        athlete.name = "me"
        with gen.Store(stores / f"a{index:03d}.db") as store:
            gen.store_athlete(store, athlete, gen.LAST_DAY)
    local = invoke("cohort", str(stores), "--out", str(tmp_path / "local"))
    spark = invoke("cohort", str(stores), "--out", str(tmp_path / "spark"), "--engine", "spark")
    assert spark.exit_code == local.exit_code == 0, spark.output
    assert spark.stderr == local.stderr == "athlete a199: no runs; nothing to evaluate\n"
    assert cohort_findings(tmp_path / "spark") == cohort_findings(tmp_path / "local")
    assert not (tmp_path / "spark" / ".stores-as-parquet").exists()
    shutil.rmtree(stores)


def test_spark_with_no_readable_athlete_names_it_and_writes_empty_tables(broken_cohort, tmp_path):
    source = tmp_path / "only-a003"
    shutil.copytree(broken_cohort / "parquet", source)
    for folder in source.glob("*/athlete=*"):
        if folder.name != "athlete=a003":
            shutil.rmtree(folder)
    result = invoke("cohort", str(source), "--out", str(tmp_path / "out"), "--engine", "spark")
    assert result.exit_code == 1
    assert result.stderr.startswith("athlete a003: activities/athlete=a003/part-0.parquet has ")
    assert pd.read_parquet(tmp_path / "out" / "findings.parquet").empty
    assert pd.read_parquet(tmp_path / "out" / "summary.parquet").empty
