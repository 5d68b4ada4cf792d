"""The local engine: every athlete of a cohort evaluated in worker processes on this machine.

Each task is one athlete: a worker loads the athlete's records itself (its Parquet partition, or
its store opened read-only), evaluates them (``evaluate.evaluate_athlete``) and sends back the
findings, which are small. At most one worker per CPU core (``pipeline.workers``); workers exit
with their parent. Memory per worker is one athlete's history at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from stridewise.cohort.evaluate import AthleteOutcome, evaluate_athlete
from stridewise.cohort.parquet import write_athlete
from stridewise.cohort.sources import AthleteSource
from stridewise.errors import StridewiseError
from stridewise.pipeline.workers import new_pool, worker_count
from stridewise.profile import Config

#: Athletes sent to a worker at a time: enough to keep the pool's overhead small, few enough that
#: both workers stay busy to the end.
CHUNK = 4


def evaluate_source(source: AthleteSource, config: Config | None) -> AthleteOutcome:
    """Load and evaluate one athlete; a file or store that cannot be read is its problem."""
    try:
        records = source.load()
    except StridewiseError as exc:
        return AthleteOutcome.failed(source.name, str(exc))
    return evaluate_athlete(records, config)


def run_local(
    sources: Sequence[AthleteSource],
    config: Config | None = None,
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[AthleteOutcome]:
    """Every athlete's outcome, in the order of ``sources``."""
    workers = min(worker_count(jobs), max(1, len(sources)))
    total = len(sources)
    if workers == 1:
        for done, source in enumerate(sources, start=1):
            yield evaluate_source(source, config)
            if progress:
                progress(done, total)
        return
    with new_pool(workers) as pool:
        outcomes = pool.map(
            evaluate_source, sources, [config] * total, chunksize=min(CHUNK, total // workers or 1)
        )
        for done, outcome in enumerate(outcomes, start=1):
            yield outcome
            if progress:
                progress(done, total)


def convert_source(source: AthleteSource, out: Path) -> AthleteOutcome | None:
    """Write one athlete's records as an export's partition (a store converted for Spark);
    the athlete's problem when its records cannot be read."""
    try:
        write_athlete(out, source.load())
    except StridewiseError as exc:
        return AthleteOutcome.failed(source.name, str(exc))
    return None


def convert_sources(
    sources: Sequence[AthleteSource], out: Path, *, jobs: int | None = None
) -> list[AthleteOutcome]:
    """``convert_source`` for every athlete in worker processes; the athletes that failed."""
    workers = min(worker_count(jobs), max(1, len(sources)))
    if workers == 1:
        results = [convert_source(source, out) for source in sources]
    else:
        with new_pool(workers) as pool:
            results = list(pool.map(convert_source, sources, [out] * len(sources)))
    return [outcome for outcome in results if outcome is not None]
