"""The same rules for a cohort of thousands of athletes, on this machine or on Apache Spark.

A cohort is a Parquet export (``stridewise export --format parquet``, partitioned by athlete;
``schema`` documents the tables) or a folder of per-athlete stores (``sources``). ``run_cohort``
evaluates every athlete's rules with one engine and writes one findings table, each athlete's
status and a summary (``output``):

- ``local`` (``local.py``): athletes in worker processes on this machine;
- ``spark`` (``spark.py``): Spark reads the partitions, groups the rows by athlete and runs the
  same per-athlete function with ``groupBy(athlete).applyInPandas``.

Both engines call ``evaluate.evaluate_athlete``, which builds each athlete's ``History`` exactly
as ``History.from_store`` does (``records.history_of``): no rule is written twice, and a cohort
finds what ``stridewise flags --json --athlete NAME`` finds. An athlete whose data cannot be
used — a partition of a foreign schema version, a damaged file, no runs — is named in one line
and the others are evaluated.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stridewise.cohort.evaluate import EVALUATED, FAILED, AthleteOutcome
from stridewise.cohort.output import FindingsWriter, prepare_out
from stridewise.cohort.sources import AthleteSource, open_input
from stridewise.errors import InvalidInput
from stridewise.profile import Config

ENGINES = ("local", "spark")
DEFAULT_MASTER = "local[2]"


@dataclass(frozen=True)
class CohortReport:
    """What a cohort run did."""

    engine: str
    out: Path
    athletes: int  # athletes found
    evaluated: int  # athletes whose rules ran
    findings: int
    athlete_years: float  # [years], summed over the evaluated athletes
    seconds: float  # wall-clock time of the whole run [s]
    problems: list[str]  # one line per athlete (or store) left out or with nothing to evaluate
    failed: int  # athletes (or stores) whose data could not be used

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def athlete_years_per_s(self) -> float:
        return self.athlete_years / self.seconds if self.seconds > 0 else 0.0


def run_cohort(
    root: Path,
    out: Path,
    *,
    engine: str = "local",
    master: str = DEFAULT_MASTER,
    config: Config | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CohortReport:
    """Evaluate every athlete under ``root`` and write the outputs to ``out``.

    ``config``: the profile file, whose profile for each athlete (their own section over the
    shared default) wins over the exported one (profile column).
    ``jobs``: worker processes of the local engine (default: one per core); also the processes
    that convert a folder of stores for Spark. ``master``: the Spark master URL.
    """
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine '{engine}'; choose local or spark")
    started = time.perf_counter()
    if out.resolve() == root.resolve() or root.resolve() in out.resolve().parents:
        raise InvalidInput(f"{out}: --out must not be inside the cohort folder {root}")
    cohort = open_input(root)
    prepare_out(out)
    if engine == "local":
        statuses, findings = _run_local(cohort.athletes, out, config, jobs, progress)
    else:
        from stridewise.cohort.spark import run_spark

        staging = out / ".stores-as-parquet"
        try:
            parquet_root, partitions, failed = cohort.root, cohort.athletes, []
            if cohort.kind == "stores":
                parquet_root, partitions, failed = _stores_to_parquet(
                    cohort.athletes, staging, jobs
                )
            if partitions:
                statuses, findings = run_spark(
                    parquet_root,
                    [source.partition for source in partitions],  # type: ignore[union-attr]
                    out,
                    config=config,
                    master=master,
                )
            else:  # nobody to evaluate: the outputs are written empty, as the local engine does
                statuses, findings = _run_local([], out, config, jobs, progress)
            statuses = pd.concat([statuses, _failed_statuses(failed)], ignore_index=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    problems = list(cohort.problems) + [
        p for p in statuses.sort_values("athlete")["problem"] if isinstance(p, str)
    ]
    evaluated = statuses[statuses["status"] == EVALUATED]
    return CohortReport(
        engine=engine,
        out=out,
        athletes=len(cohort.athletes) + len(cohort.problems),
        evaluated=len(evaluated),
        findings=findings,
        athlete_years=float(evaluated["years"].sum()),
        seconds=time.perf_counter() - started,
        problems=problems,
        failed=sum(p.endswith("not evaluated") for p in cohort.problems)
        + int((statuses["status"] == FAILED).sum()),
    )


def _run_local(
    sources: list[AthleteSource],
    out: Path,
    config: Config | None,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[pd.DataFrame, int]:
    from stridewise.cohort.local import run_local

    writer = FindingsWriter(out)
    for outcome in run_local(sources, config, jobs=jobs, progress=progress):
        writer.add(outcome)
    return writer.close(), writer.findings


def _stores_to_parquet(
    sources: list[AthleteSource], staging: Path, jobs: int | None
) -> tuple[Path, list[AthleteSource], list[AthleteOutcome]]:
    """A folder of stores as a temporary Parquet export for Spark to read, converted in worker
    processes; the athletes whose store could not be read, as outcomes with their problem."""
    from stridewise.cohort.local import convert_sources
    from stridewise.cohort.parquet import scan_export, write_manifest
    from stridewise.cohort.sources import ParquetAthlete

    staging.mkdir(parents=True, exist_ok=True)
    failed = convert_sources(sources, staging, jobs=jobs)
    write_manifest(staging, len(sources), samples=False)
    if not (staging / "activities").is_dir():
        return staging, [], failed
    scan = scan_export(staging)
    partitions = [ParquetAthlete(staging, p) for p in scan.partitions]
    return staging, partitions, failed


def _failed_statuses(failed: list[AthleteOutcome]) -> pd.DataFrame:
    from stridewise.cohort.evaluate import STATUS_COLUMNS, status_row, typed_frame

    if not failed:
        return typed_frame([], STATUS_COLUMNS)
    return pd.concat([status_row(outcome) for outcome in failed], ignore_index=True)
