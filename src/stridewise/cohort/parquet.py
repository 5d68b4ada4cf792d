"""Writing a store as Parquet partitioned by athlete, and finding and reading those partitions.

Layout (``schema`` documents the columns)::

    OUT/stridewise-export.json                  manifest: schema version, tables, athletes
    OUT/<table>/athlete=<name>/part-0.parquet   one file per table and athlete

Partition folder names escape what Spark escapes (``/``, ``=``, ``%``, ``:`` … as ``%XX``), so
Spark, DuckDB (``hive_partitioning``) and pyarrow read the same athlete names back. Each file is
written to a hidden temporary name and renamed, so a reader never sees half a file.

Reading is per athlete and defensive: ``scan_export`` checks every file's footer (its schema
version and columns) without reading its data, so that a partition of a foreign version or a
damaged file is named — in one line — and left out while the other athletes are evaluated.

pyarrow is an optional dependency (``pip install 'stridewise[cohort]'``): without it these
functions raise ``MissingExtra`` with that command.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from stridewise.cohort.records import AthleteRecords, records_from_store, tables_from_records
from stridewise.cohort.schema import (
    COHORT_TABLES,
    EXPORT_SCHEMA_VERSION,
    MANIFEST,
    PARTITION,
    REQUIRED_TABLES,
    TABLES,
    VERSION_KEY,
)
from stridewise.errors import CorruptFile, InvalidInput, MissingExtra
from stridewise.model import SAMPLE_COLUMNS
from stridewise.profile import Profile
from stridewise.store import Store

#: What a missing pyarrow says, and how to get it.
PYARROW_MISSING = (
    "Parquet needs pyarrow, which is not installed; install it with: "
    "pip install 'stridewise[cohort]'"
)
#: Characters Spark escapes in partition values (ExternalCatalogUtils.escapePathName).
_ESCAPED = frozenset("\"#%'*/:=?\\{[]^\x7f") | frozenset(chr(c) for c in range(1, 32))
FILE_NAME = "part-0.parquet"


def require_pyarrow() -> Any:
    """The pyarrow module, or ``MissingExtra`` naming the extra that brings it."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingExtra(PYARROW_MISSING) from None
    return pyarrow


def arrow_type(name: str) -> Any:
    pa = require_pyarrow()
    return {
        "int64": pa.int64(),
        "int32": pa.int32(),
        "float64": pa.float64(),
        "string": pa.string(),
        "bool": pa.bool_(),
        "date32": pa.date32(),
        "timestamp_utc": pa.timestamp("us", tz="UTC"),
        "timestamp": pa.timestamp("us"),
    }[name]


def arrow_schema(table: str) -> Any:
    """The Arrow schema of one table, with the schema version in its metadata."""
    pa = require_pyarrow()
    return pa.schema(
        [pa.field(c.name, arrow_type(c.type)) for c in TABLES[table]],
        metadata={VERSION_KEY: str(EXPORT_SCHEMA_VERSION), "stridewise.table": table},
    )


# -- partition names ----------------------------------------------------------------------------
def partition_name(athlete: str) -> str:
    """``athlete=<name>`` with Spark's escapes, and a leading ``.`` or ``_`` escaped too (Spark,
    pyarrow and DuckDB skip folders whose names start with them)."""
    escaped = "".join(f"%{ord(ch):02X}" if ch in _ESCAPED else ch for ch in athlete)
    if escaped[:1] in (".", "_"):
        escaped = f"%{ord(escaped[0]):02X}{escaped[1:]}"
    return f"{PARTITION}={escaped}"


def athlete_of(folder_name: str) -> str | None:
    """The athlete a partition folder name stands for (None: not a partition folder)."""
    prefix = f"{PARTITION}="
    if not folder_name.startswith(prefix):
        return None
    text, out, i = folder_name[len(prefix) :], [], 0
    while i < len(text):
        code = text[i + 1 : i + 3]
        if text[i] == "%" and len(code) == 2 and all(c in "0123456789abcdefABCDEF" for c in code):
            out.append(chr(int(code, 16)))
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# -- writing --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    folder: Path
    athletes: int
    activities: int
    files: int
    samples: bool


def export_store(
    store: Store,
    out: Path,
    profile_for: Callable[[str], Profile],
    *,
    samples: bool = False,
    athletes: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportSummary:
    """Write the store's athletes (all, or ``athletes``) as Parquet under ``out``.

    ``profile_for`` gives each athlete's profile (its time zone decides local dates, and it is
    written to the ``athletes`` table for the cohort). ``out`` must be missing, empty, or an
    earlier export (whose tables are replaced).
    """
    require_pyarrow()
    _prepare_folder(out)
    names = list(athletes) if athletes is not None else [a.athlete for a in store.athletes()]
    files = activities = 0
    for done, athlete in enumerate(names, start=1):
        records = records_from_store(store, athlete, profile_for(athlete))
        extra = _samples_table(store, records) if samples else None
        files += write_athlete(out, records, extra)
        activities += len(records.activities)
        if progress:
            progress(done, len(names))
    write_manifest(out, len(names), samples)
    return ExportSummary(out, len(names), activities, files, samples)


def write_athlete(out: Path, records: AthleteRecords, samples: pd.DataFrame | None = None) -> int:
    """One athlete's partition of every table; how many files were written. Empty tables are
    left out, but for ``athletes`` and ``activities``."""
    tables = tables_from_records(records)
    if samples is not None:
        tables["samples"] = samples
    written = 0
    for table, frame in tables.items():
        if frame.empty and table not in REQUIRED_TABLES:
            continue
        folder = out / table / partition_name(records.athlete)
        write_table(folder / FILE_NAME, table, frame)
        written += 1
    return written


def write_table(path: Path, table: str, frame: pd.DataFrame) -> None:
    """One table's rows as a Parquet file of its schema, atomically (temporary name, rename)."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    arrays = [
        pa.array(_cells(frame[column.name], column.type), type=arrow_type(column.type))
        for column in TABLES[table]
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), temporary, compression="zstd")
    os.replace(temporary, path)


def _cells(series: pd.Series, kind: str) -> list[Any] | Any:
    """A column's values as Arrow takes them, missing values as None."""
    if kind in ("float64",):
        return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
    if kind == "timestamp_utc":
        return pd.to_datetime(series, utc=True).dt.as_unit("us")
    if kind == "timestamp":
        return pd.to_datetime(series).dt.as_unit("us")
    values = series.astype(object).where(series.notna(), None).tolist()
    if kind in ("int64", "int32"):
        return [None if v is None else int(v) for v in values]
    if kind == "bool":
        return [None if v is None else bool(v) for v in values]
    if kind == "string":
        return [None if v is None else str(v) for v in values]
    return values


def _samples_table(store: Store, records: AthleteRecords) -> pd.DataFrame:
    """Every record of the athlete's activities, one row per record and activity."""
    parts = []
    with_records = records.activities.loc[records.activities["n_samples"] > 0, "id"]
    for activity_id in with_records.astype(int):
        samples = store.load_samples(activity_id)
        if samples.empty:
            continue
        part = samples.reindex(columns=list(SAMPLE_COLUMNS)).astype("float64")
        part.insert(0, "time", samples.index)
        part.insert(0, "activity_id", activity_id)
        parts.append(part.reset_index(drop=True))
    if not parts:
        return pd.DataFrame(columns=[c.name for c in TABLES["samples"]])
    return pd.concat(parts, ignore_index=True)


def _prepare_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MANIFEST).is_file():
            raise InvalidInput(
                f"{out}: not empty and not a stridewise export; choose an empty or new folder"
            )
        for table in TABLES:  # an earlier export: its tables are replaced
            shutil.rmtree(out / table, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def write_manifest(out: Path, athletes: int, samples: bool) -> None:
    from stridewise.metrics.run import METRICS_VERSION

    manifest = {
        "format": "stridewise Parquet export",
        "schema_version": EXPORT_SCHEMA_VERSION,
        "metrics_version": METRICS_VERSION,
        "partitioning": f"hive: <table>/{PARTITION}=<name>/",
        "athletes": athletes,
        "tables": {
            table: [
                {"name": c.name, "type": c.type, "unit": c.unit, "meaning": c.meaning}
                for c in columns
            ]
            for table, columns in TABLES.items()
            if samples or table != "samples"
        },
    }
    temporary = out / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, out / MANIFEST)


# -- finding and reading partitions ----------------------------------------------------------------
@dataclass(frozen=True)
class AthletePartition:
    """One athlete's files of each table the cohort reads (a table may have none)."""

    athlete: str
    files: dict[str, list[Path]] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportScan:
    """The athletes of an export whose files can be read, and one line per athlete left out."""

    partitions: list[AthletePartition]
    problems: list[str]


def scan_export(root: Path) -> ExportScan:
    """Every athlete's partition of ``root``, each file's footer checked (schema version and
    columns); an athlete with a bad file is named in ``problems`` and left out."""
    require_pyarrow()
    if not root.is_dir():
        raise InvalidInput(f"{root}: no such folder")
    found: dict[str, dict[str, list[Path]]] = {}
    for table in COHORT_TABLES:
        folder = root / table
        if not folder.is_dir():
            continue
        for partition in sorted(folder.iterdir()):
            athlete = athlete_of(partition.name)
            if athlete is None or not partition.is_dir():
                continue
            files = sorted(p for p in partition.glob("*.parquet") if p.name[:1] not in "._")
            found.setdefault(athlete, {})[table] = files
    if not found:
        raise InvalidInput(
            f"{root}: no athlete partitions (expected activities/{PARTITION}=NAME/ folders of "
            "Parquet files written by stridewise export --format parquet)"
        )
    partitions, problems = [], []
    for athlete in sorted(found):
        problem = _partition_problem(root, athlete, found[athlete])
        if problem:
            problems.append(f"athlete {athlete}: {problem}; not evaluated")
        else:
            partitions.append(AthletePartition(athlete, found[athlete]))
    return ExportScan(partitions, problems)


def _partition_problem(root: Path, athlete: str, files: dict[str, list[Path]]) -> str | None:
    import pyarrow.parquet as pq

    for table in REQUIRED_TABLES:
        if not files.get(table):
            return f"no {table} file in {table}/{partition_name(athlete)}/"
    for table, paths in files.items():
        for path in paths:
            shown = path.relative_to(root)
            try:
                metadata = pq.read_schema(path)
            except (OSError, ValueError) as exc:
                return f"{shown} is damaged or not a Parquet file ({_reason(exc)})"
            version = (metadata.metadata or {}).get(VERSION_KEY.encode())
            if version is None:
                return f"{shown} has no stridewise schema version (not written by stridewise)"
            if version.decode(errors="replace") != str(EXPORT_SCHEMA_VERSION):
                return (
                    f"{shown} has schema version {version.decode(errors='replace')}, this "
                    f"stridewise reads version {EXPORT_SCHEMA_VERSION}"
                )
            missing = [c.name for c in TABLES[table] if c.name not in metadata.names]
            if missing:
                return f"{shown} lacks the column {missing[0]}"
    return None


def read_partition(root: Path, partition: AthletePartition) -> dict[str, pd.DataFrame]:
    """One athlete's tables; ``CorruptFile`` naming the file when its data cannot be read."""
    require_pyarrow()
    import pyarrow.parquet as pq

    tables = {}
    for table, paths in partition.files.items():
        frames = []
        for path in paths:
            try:
                frames.append(pq.read_table(path).to_pandas())
            except (OSError, ValueError) as exc:
                raise CorruptFile(
                    f"{path.relative_to(root)} cannot be read ({_first_line(exc)})"
                ) from exc
        tables[table] = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return tables


def _reason(exc: BaseException) -> str:
    """What pyarrow says about an unreadable file, in words (its text names no file of ours)."""
    text = str(exc)
    if "magic bytes not found" in text:
        return "no Parquet footer"
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
