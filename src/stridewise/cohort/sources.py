"""What a cohort reads: a Parquet export, or a folder of per-athlete stores.

A cohort folder is either an export (``stridewise export --format parquet``: ``activities/
athlete=NAME/`` partitions) or a folder of stridewise databases (``*.db``) — what coaches and
study participants send. A store is opened read-only and converted on the fly: its athletes'
records are read from it directly, never written anywhere first. Each store's athletes are named
after the file (``anna.db`` → ``anna``; a store holding several athletes gives
``anna:me``, ``anna:tom``), and a profile file beside it (``anna.toml``) is the profile
exported with them.

Each athlete becomes a small picklable ``AthleteSource`` that a worker process (or a Spark
conversion) loads by itself, so an athlete's records never pass through the parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stridewise.cohort.parquet import AthletePartition, read_partition, scan_export
from stridewise.cohort.records import AthleteRecords, records_from_store, records_from_tables
from stridewise.cohort.schema import MANIFEST
from stridewise.errors import InvalidInput, StridewiseError
from stridewise.profile import Profile, load_profile
from stridewise.store import Store

STORE_SUFFIX = ".db"


@dataclass(frozen=True)
class ParquetAthlete:
    """One athlete's partition of an export."""

    root: Path
    partition: AthletePartition

    @property
    def name(self) -> str:
        return self.partition.athlete

    def load(self) -> AthleteRecords:
        return records_from_tables(self.name, read_partition(self.root, self.partition))


@dataclass(frozen=True)
class StoreAthlete:
    """One athlete of a per-athlete store; ``name`` is the athlete's name in the cohort."""

    path: Path
    athlete: str
    name: str
    profile_path: Path | None = None

    def load(self) -> AthleteRecords:
        profile = load_profile(self.profile_path) if self.profile_path else None
        with Store(self.path, readonly=True) as store:
            records = records_from_store(store, self.athlete, profile or Profile())
        return AthleteRecords(
            athlete=self.name,
            activities=records.activities.assign(athlete=self.name),
            metric_entries=records.metric_entries,
            shoes=records.shoes,
            assignments=records.assignments,
            wellness=records.wellness,
            pain=records.pain,
            profile=profile,
        )


AthleteSource = ParquetAthlete | StoreAthlete


@dataclass(frozen=True)
class CohortInput:
    """The athletes found in a cohort folder, and one line per thing left out."""

    kind: str  # "parquet" or "stores"
    root: Path
    athletes: list[AthleteSource]
    problems: list[str]


def open_input(root: Path) -> CohortInput:
    """The athletes of an export or a folder of stores (see the module text)."""
    if not root.is_dir():
        raise InvalidInput(f"{root}: no such folder")
    if (root / MANIFEST).is_file() or (root / "activities").is_dir():
        scan = scan_export(root)
        athletes: list[AthleteSource] = [ParquetAthlete(root, p) for p in scan.partitions]
        return CohortInput("parquet", root, athletes, scan.problems)
    stores = sorted(p for p in root.iterdir() if p.suffix == STORE_SUFFIX and p.is_file())
    if not stores:
        raise InvalidInput(
            f"{root}: neither a Parquet export (activities/athlete=NAME/ folders) nor a folder "
            f"of stridewise databases (*{STORE_SUFFIX})"
        )
    athletes, problems = [], []
    for path in stores:
        try:
            with Store(path, readonly=True) as store:
                names = [summary.athlete for summary in store.athletes()]
        except StridewiseError as exc:
            problems.append(f"store {path.name}: {exc}; not evaluated")
            continue
        if not names:
            problems.append(f"store {path.name}: holds no athlete; nothing to evaluate")
            continue
        beside = path.with_suffix(".toml")
        for athlete in names:
            name = path.stem if len(names) == 1 else f"{path.stem}:{athlete}"
            athletes.append(StoreAthlete(path, athlete, name, beside if beside.is_file() else None))
    return CohortInput("stores", root, athletes, problems)
