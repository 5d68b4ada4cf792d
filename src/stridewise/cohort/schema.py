"""The Parquet export's tables and columns: one documented table of names, types and units.

An export (``stridewise export --format parquet OUT``) is a folder of tables, each partitioned by
athlete the way Spark, DuckDB and pyarrow read partitions (``OUT/<table>/athlete=<name>/
part-0.parquet``). Every file carries ``EXPORT_SCHEMA_VERSION`` in its key-value metadata
(``stridewise.schema_version``) and the folder a manifest (``stridewise-export.json``). A change
of any column here must raise ``EXPORT_SCHEMA_VERSION``: the cohort refuses partitions of
another version by name instead of misreading them.

The athlete is the partition column: it is in the path, not in the files (Spark refuses a column
that is both). Types are named here without importing pyarrow (``parquet.arrow_schema`` maps
them), so that documentation and checks need no optional dependency.
"""

from __future__ import annotations

from dataclasses import dataclass

from stridewise.metrics.run import RUN_METRIC_FIELDS
from stridewise.model import SAMPLE_COLUMNS

#: Version of the tables and columns below; raise it whenever one changes.
EXPORT_SCHEMA_VERSION = 1
#: The key under which every Parquet file of an export carries the schema version.
VERSION_KEY = "stridewise.schema_version"
#: The manifest at the top of an export folder.
MANIFEST = "stridewise-export.json"
#: The partition column: in each table's folder names, ``athlete=<name>``.
PARTITION = "athlete"


@dataclass(frozen=True)
class Column:
    """One column: its name, type (int64, int32, float64, string, bool, date32, timestamp_utc,
    timestamp), unit ("-" for none) and what it holds."""

    name: str
    type: str
    unit: str
    meaning: str


def _metric_columns() -> list[Column]:
    columns = [
        Column(
            "metrics_version",
            "int32",
            "-",
            "version of the per-run metric formulas (null: the activity has no records)",
        )
    ]
    columns += [
        Column(
            f"metric_{name}", "float64", unit, f"per-run metric {name} computed from the records"
        )
        for name, unit in RUN_METRIC_FIELDS.items()
    ]
    columns += [
        Column("metric_hr_hist", "string", "-", "seconds per heart rate, as JSON {lo, s}"),
        Column("metric_errors", "string", "-", "metrics that failed on this run and why, JSON"),
    ]
    return columns


ACTIVITIES = [
    Column("activity_id", "int64", "-", "the activity's id in the exporting store"),
    Column("start_utc", "timestamp_utc", "-", "start, UTC [µs]"),
    Column("utc_offset_s", "int64", "s", "local offset at the start (null: the file had none)"),
    Column("local_start", "timestamp", "-", "local wall-clock start, for queries (see README)"),
    Column("local_date", "date32", "-", "local date, for queries (see README)"),
    Column("sport", "string", "-", "running, cycling, training, ... (FIT sport names)"),
    Column("sub_sport", "string", "-", "trail, treadmill, strength_training, ..."),
    Column("surface", "string", "-", "road, trail, track, treadmill or unknown"),
    Column("surface_source", "string", "-", "user, file, export, log or inferred"),
    Column("elapsed_s", "float64", "s", "elapsed time"),
    Column("timer_s", "float64", "s", "timer (moving by the device's pauses) time"),
    Column("moving_s", "float64", "s", "time spent moving"),
    Column("distance_m", "float64", "m", "distance"),
    Column("ascent_m", "float64", "m", "total ascent"),
    Column("altitude_source", "string", "-", "barometric, corrected or gps"),
    Column("avg_heart_rate_bpm", "float64", "1/min", "average heart rate"),
    Column("max_heart_rate_bpm", "float64", "1/min", "highest heart rate"),
    Column("avg_cadence_spm", "float64", "1/min", "average cadence (running: steps)"),
    Column("device", "string", "-", "recording device"),
    Column("name", "string", "-", "the activity's name"),
    Column("shoe", "string", "-", "the shoe its source named"),
    Column("rpe", "float64", "-", "session RPE, CR-10"),
    Column("notes", "string", "-", "notes"),
    Column("source_name", "string", "-", "the file (or export and row) it came from"),
    Column("source_format", "string", "-", "fit, gpx, tcx, csv, ..."),
    Column("source_sha256", "string", "-", "SHA-256 of the source file"),
    Column("source_index", "int64", "-", "which activity of the source file"),
    Column("n_samples", "int64", "-", "number of per-second records stored"),
    Column("assigned_shoe_id", "int64", "-", "shoes.shoe_id the runner assigned (null: none)"),
    *_metric_columns(),
]

SHOES = [
    Column("shoe_id", "int64", "-", "the pair's id (activities.assigned_shoe_id)"),
    Column("name", "string", "-", "the pair's name"),
    Column("initial_km", "float64", "km", "distance the pair had before it was added"),
    Column("limit_km", "float64", "km", "wear limit (null: the rule's default)"),
    Column("since", "date32", "-", "first day as the default pair (null: always)"),
    Column("retired_on", "date32", "-", "retired on this day (null: in service)"),
    Column("is_default", "bool", "-", "the default pair for runs no source names"),
    Column("origin", "string", "-", "user, or the import that brought it (garmin, strava, ...)"),
]

WELLNESS = [
    Column("date", "date32", "-", "local date"),
    Column("resting_hr_bpm", "float64", "1/min", "resting heart rate the watch recorded"),
    Column("hrv_sdnn_ms", "float64", "ms", "heart-rate variability (SDNN)"),
    Column("sleep_s", "float64", "s", "sleep"),
]

PAIN = [
    Column("date", "date32", "-", "local date"),
    Column("score", "int32", "-", "lower back pain that day, 0-10"),
    Column("note", "string", "-", "the runner's note"),
]

ATHLETES = [
    Column("sex", "string", "-", "female or male (profile)"),
    Column("max_hr", "float64", "1/min", "maximum heart rate (profile; null: estimated)"),
    Column("resting_hr", "float64", "1/min", "resting heart rate (profile)"),
    Column("threshold_pace_s_per_km", "float64", "s/km", "threshold pace (profile)"),
    Column("timezone", "string", "-", "IANA time zone for activities without an offset"),
    Column("units", "string", "-", "metric or imperial"),
    Column("birth_year", "int32", "-", "birth year (profile)"),
    Column("rules_json", "string", "-", "the profile's [rules.<id>] tables as JSON"),
    Column(
        "facts_json", "string", "-",
        "what exports said about the athlete (birth_year, sex, max_hr) as JSON "
        "{key: [value, source]}; used where the profile sets nothing, as in the store",
    ),  # fmt: skip
]

SAMPLES = [
    Column("activity_id", "int64", "-", "activities.activity_id"),
    Column("time", "timestamp_utc", "-", "record time, UTC [µs]"),
    *[Column(name, "float64", unit, meaning) for name, (unit, meaning) in SAMPLE_COLUMNS.items()],
]

#: Every table of an export, in the order they are written; ``samples`` only with --samples.
TABLES: dict[str, list[Column]] = {
    "athletes": ATHLETES,
    "activities": ACTIVITIES,
    "shoes": SHOES,
    "wellness": WELLNESS,
    "pain": PAIN,
    "samples": SAMPLES,
}
#: Tables the cohort reads (samples are for other engines' own analyses).
COHORT_TABLES = ("athletes", "activities", "shoes", "wellness", "pain")
#: Tables every athlete's partition has, even when empty.
REQUIRED_TABLES = ("athletes", "activities")


def columns_markdown() -> str:
    """The tables and columns as Markdown (docs/PARQUET.md is written from this)."""
    lines = []
    for table, columns in TABLES.items():
        lines += [f"### `{table}`", "", "| column | type | unit | meaning |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.unit} | {c.meaning} |" for c in columns]
        lines.append("")
    return "\n".join(lines)
