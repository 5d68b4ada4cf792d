"""What a cohort run writes: the findings table, the athletes' status and the cohort summary.

``OUT/findings.parquet`` and ``OUT/findings.csv``: one row per finding (``evaluate.FINDING_
COLUMNS``). The local engine writes each as one file, appended athlete by athlete so that no
cohort's findings need to fit in memory; the Spark engine writes them the way Spark writes, as
folders of part files (``findings.parquet/part-*.parquet``), which pandas, pyarrow, DuckDB and
Spark read like one table.

``OUT/athletes.parquet|csv``: one row per athlete (``STATUS_COLUMNS``: runs, years, findings and
the problem, if any). ``OUT/summary.parquet|csv``: athletes per rule and severity per ISO week —
how many athletes got at least one finding of that rule and severity in that week.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from stridewise.cohort.evaluate import (
    FINDING_COLUMNS,
    STATUS_COLUMNS,
    AthleteOutcome,
    finding_rows,
    status_row,
)
from stridewise.cohort.parquet import arrow_type, require_pyarrow
from stridewise.errors import InvalidInput

#: Columns of the summary table: name -> type.
SUMMARY_COLUMNS: dict[str, str] = {
    "week": "string",  # ISO week, e.g. 2026-W47
    "week_start": "date32",  # its Monday
    "rule": "string",
    "severity": "string",
    "athletes": "int64",  # athletes with at least one such finding that week
}
#: Everything a cohort run writes; an earlier run's are replaced.
OUTPUTS = tuple(
    f"{name}.{suffix}"
    for name in ("findings", "athletes", "summary")
    for suffix in ("parquet", "csv")
)


def prepare_out(out: Path) -> None:
    """``out`` missing, empty or an earlier cohort's output folder (its outputs are replaced)."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out}: is a file, not a folder")
    if out.is_dir():
        entries = [p for p in out.iterdir() if p.name[:1] != "."]
        if entries and not any(p.name in OUTPUTS for p in entries):
            raise InvalidInput(
                f"{out}: not empty and not an earlier cohort's output; choose an empty or new "
                "folder for --out"
            )
        for name in OUTPUTS:
            path = out / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def arrow_schema_of(columns: dict[str, str]) -> Any:
    pa = require_pyarrow()
    return pa.schema([pa.field(name, arrow_type(kind)) for name, kind in columns.items()])


def write_frame(out: Path, name: str, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    """One small table as ``name.parquet`` and ``name.csv``."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    pq.write_table(_arrow_table(pa, frame, arrow_schema_of(columns)), out / f"{name}.parquet")
    frame.to_csv(out / f"{name}.csv", index=False)


def _arrow_table(pa: Any, frame: pd.DataFrame, schema: Any) -> Any:
    """A frame as an Arrow table of ``schema``, without pandas' own metadata: a reader gets the
    same dtypes from the local engine's files as from Spark's."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    return table.replace_schema_metadata(None)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def summary_frame(counts: Counter) -> pd.DataFrame:
    """The summary table from counts by (week's Monday, rule, severity)."""
    rows = [
        {
            "week": iso_week(monday),
            "week_start": monday,
            "rule": rule,
            "severity": severity,
            "athletes": count,
        }
        for (monday, rule, severity), count in sorted(counts.items())
    ]
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    frame["athletes"] = frame["athletes"].astype("int64")
    return frame


@dataclass
class FindingsWriter:
    """Writes the local engine's outputs athlete by athlete (see the module text)."""

    out: Path
    statuses: list[pd.DataFrame] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    findings: int = 0
    _parquet: Any = None
    _csv_started: bool = False

    def add(self, outcome: AthleteOutcome) -> None:
        self.statuses.append(status_row(outcome))
        if not outcome.findings:
            return
        rows = finding_rows(outcome)
        self._append(rows)
        self.findings += len(rows)
        cells = {(monday_of(f.date), f.rule, f.severity) for f in outcome.findings}
        self.counts.update(cells)

    def _append(self, rows: pd.DataFrame) -> None:
        pa = require_pyarrow()
        import pyarrow.parquet as pq

        schema = arrow_schema_of(FINDING_COLUMNS)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.out / "findings.parquet", schema)
        self._parquet.write_table(_arrow_table(pa, rows, schema))
        rows.to_csv(self.out / "findings.csv", index=False, mode="a", header=not self._csv_started)
        self._csv_started = True

    def close(self) -> pd.DataFrame:
        """Finish every file; the athletes' status table."""
        if self._parquet is None:  # no findings at all: the tables still exist, empty
            self._append(pd.DataFrame({c: pd.Series(dtype="object") for c in FINDING_COLUMNS}))
        self._parquet.close()
        statuses = (
            pd.concat(self.statuses, ignore_index=True)
            if self.statuses
            else pd.DataFrame(columns=list(STATUS_COLUMNS))
        )
        write_frame(self.out, "athletes", statuses, STATUS_COLUMNS)
        write_frame(self.out, "summary", summary_frame(self.counts), SUMMARY_COLUMNS)
        return statuses
