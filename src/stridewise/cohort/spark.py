"""The Spark engine: Spark reads an export, groups every row by athlete and runs the same
per-athlete function as the local engine, with ``groupBy(athlete).applyInPandas``.

The plan, and where its cost is:

1. Read the cohort's tables (activities with their per-run metrics, shoes, wellness, pain, the
   profile) from the partitions ``parquet.scan_export`` found readable — a narrow scan,
   linear in the data.
2. Put them in one frame: each table's columns prefixed with its name (``activities__sport``)
   and a ``record`` column naming the table, so one group holds all of an athlete's rows.
3. Shuffle by athlete (``repartition(n, athlete)`` — the only wide step; the ``groupBy`` that
   follows reuses its partitioning) and, per athlete, call ``_evaluate_group``: it splits the
   group back into the export's tables, builds the athlete's records (``records_from_tables``,
   the same code that reads a Parquet partition) and runs ``evaluate.evaluate_athlete``. One
   athlete's whole history is in memory at a time in each Python worker.
4. Write the findings with Spark (folders of part files) and collect only the small tables — one
   status row per athlete, and the summary (athletes per rule and severity per week, one more
   small aggregation).

pyspark is an optional dependency (``pip install 'stridewise[spark]'``); on ``local[N]`` masters
the Python workers are this interpreter, so they import the same stridewise.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from stridewise.cohort.evaluate import (
    FINDING_COLUMNS,
    STATUS_COLUMNS,
    AthleteOutcome,
    evaluate_athlete,
    finding_rows,
    status_row,
)
from stridewise.cohort.output import SUMMARY_COLUMNS, iso_week, write_frame
from stridewise.cohort.parquet import AthletePartition
from stridewise.cohort.records import records_from_tables
from stridewise.cohort.schema import COHORT_TABLES, PARTITION, TABLES
from stridewise.errors import InvalidInput, MissingExtra, StridewiseError
from stridewise.profile import Config

PYSPARK_MISSING = (
    "the spark engine needs pyspark, which is not installed; install it with: "
    "pip install 'stridewise[spark]'"
)
#: Athlete groups per shuffle partition and core: several, so that a slow athlete does not
#: leave the other cores idle at the end.
PARTITIONS_PER_CORE = 4
SEPARATOR = "__"
#: Spark SQL type of each schema type name.
SPARK_TYPES = {
    "int64": "bigint",
    "int32": "int",
    "float64": "double",
    "string": "string",
    "bool": "boolean",
    "date32": "date",
    "timestamp_utc": "timestamp",
    "timestamp": "timestamp_ntz",
}
#: What each athlete's group returns: a finding or the athlete's status per row.
OUTPUT_COLUMNS: dict[str, str] = {"record": "string", **FINDING_COLUMNS}
OUTPUT_COLUMNS.update({k: v for k, v in STATUS_COLUMNS.items() if k != "athlete"})


def require_pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        raise MissingExtra(PYSPARK_MISSING) from None
    return pyspark.sql


def ddl(columns: dict[str, str]) -> str:
    """A Spark DDL schema string (``name type, ...``) from schema type names."""
    return ", ".join(f"`{name}` {SPARK_TYPES[kind]}" for name, kind in columns.items())


def session(master: str) -> Any:
    """A Spark session on ``master``: UTC session time (timestamps reach pandas as UTC),
    partition values kept as text (an athlete named 123 stays "123"), no web UI."""
    sql = require_pyspark()
    if master.startswith("local"):
        # the Python workers must be this interpreter, with the same stridewise and pandas
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        sql.SparkSession.builder.master(master)
        .appName("stridewise cohort")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def _evaluate_group(config: Config | None, group: pd.DataFrame) -> pd.DataFrame:
    """Runs in a Spark Python worker: one athlete's rows in, its findings and status out."""
    athlete = str(group[PARTITION].iloc[0])
    try:
        records = records_from_tables(athlete, split_group(group))
        outcome = evaluate_athlete(records, config)
    except StridewiseError as exc:
        outcome = AthleteOutcome.failed(athlete, str(exc))
    findings = finding_rows(outcome).assign(record="finding")
    status = status_row(outcome).assign(record="athlete")
    frame = pd.concat([findings, status], ignore_index=True) if len(findings) else status
    frame = frame.reindex(columns=list(OUTPUT_COLUMNS))
    # pandas 3 keeps text as Arrow-backed strings, which pyspark cannot yet send back: objects
    for name, kind in OUTPUT_COLUMNS.items():
        if kind in ("string", "date32"):
            values = frame[name].astype(object)
            frame[name] = values.where(values.notna(), None)
    return frame


def split_group(group: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One athlete's group back into the export's tables (prefixes stripped)."""
    tables = {}
    for table in COHORT_TABLES:
        rows = group[group["record"] == table]
        columns = [c.name for c in TABLES[table]]
        # a table no athlete of the cohort has (no pain logged anywhere) has no columns at all
        frame = rows.reindex(columns=[f"{table}{SEPARATOR}{c}" for c in columns])
        tables[table] = frame.set_axis(columns, axis=1).reset_index(drop=True)
    return tables


def run_spark(
    root: Path,
    partitions: list[AthletePartition],
    out: Path,
    *,
    config: Config | None = None,
    master: str = "local[2]",
) -> tuple[pd.DataFrame, int]:
    """Evaluate the athletes of ``partitions`` with Spark; write the findings, the athletes'
    status and the summary to ``out``. Returns the status table and the number of findings."""
    sql = require_pyspark()
    if not partitions:
        raise InvalidInput(f"{root}: no athlete whose partition can be read")
    with warnings.catch_warnings():
        # pyspark warns that it does not yet fully support pandas 3 (it works here: the tests
        # compare its findings with the local engine's), on every conversion
        warnings.filterwarnings("ignore", module=r"pyspark\.")
        return _run(sql, root, partitions, out, config, master)


def _run(
    sql: Any,
    root: Path,
    partitions: list[AthletePartition],
    out: Path,
    config: Config | None,
    master: str,
) -> tuple[pd.DataFrame, int]:
    functions = sql.functions
    spark_active = sql.SparkSession.getActiveSession()
    spark = session(master)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        frames = []
        for table in COHORT_TABLES:
            paths = [str(p) for part in partitions for p in part.files.get(table, [])]
            if not paths:
                continue
            schema = ddl({c.name: c.type for c in TABLES[table]} | {PARTITION: "string"})
            frame = spark.read.schema(schema).option("basePath", str(root / table)).parquet(*paths)
            frames.append(
                frame.select(
                    functions.col(PARTITION),
                    functions.lit(table).alias("record"),
                    *[
                        functions.col(c.name).alias(f"{table}{SEPARATOR}{c.name}")
                        for c in TABLES[table]
                    ],
                )
            )
        rows = frames[0]
        for frame in frames[1:]:
            rows = rows.unionByName(frame, allowMissingColumns=True)
        cores = spark.sparkContext.defaultParallelism
        groups = max(1, min(len(partitions), cores * PARTITIONS_PER_CORE))
        result = (
            rows.repartition(groups, PARTITION)
            .groupBy(PARTITION)
            .applyInPandas(lambda group: _evaluate_group(config, group), schema=ddl(OUTPUT_COLUMNS))
            .persist()
        )
        findings = (
            result.filter(functions.col("record") == "finding")
            .select(*FINDING_COLUMNS)
            .sortWithinPartitions(PARTITION, "finding")
        )
        findings.write.mode("overwrite").parquet(str(out / "findings.parquet"))
        findings.write.mode("overwrite").option("header", True).option("escape", '"').csv(
            str(out / "findings.csv")
        )
        statuses = (
            result.filter(functions.col("record") == "athlete").select(*STATUS_COLUMNS).toPandas()
        )
        monday = functions.date_sub(functions.col("date"), (functions.dayofweek("date") + 5) % 7)
        summary = (
            findings.withColumn("week_start", monday)
            .groupBy("week_start", "rule", "severity")
            .agg(functions.countDistinct(PARTITION).alias("athletes"))
            .toPandas()
        )
        result.unpersist()
    finally:
        if spark_active is None:
            spark.stop()
    statuses = statuses.sort_values(PARTITION, kind="stable").reset_index(drop=True)
    write_frame(out, "athletes", statuses, STATUS_COLUMNS)
    write_frame(out, "summary", _summary(summary), SUMMARY_COLUMNS)
    return statuses, int(statuses["findings"].fillna(0).sum())


def _summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Spark's (week_start, rule, severity, athletes) rows as the summary table, sorted."""
    frame = frame.assign(
        week_start=[pd.Timestamp(d).date() for d in frame["week_start"]],
        athletes=frame["athletes"].astype("int64"),
    )
    frame["week"] = [iso_week(d) for d in frame["week_start"]]
    frame = frame.sort_values(["week_start", "rule", "severity"], kind="stable")
    return frame[list(SUMMARY_COLUMNS)].reset_index(drop=True)
