"""How fast a whole Garmin Connect export imports: wall time, files/s, records/s, peak memory.

    python benchmarks/bench_import_export.py [--runs 1000] [--monitoring 300] [--jobs N]
                                             [--decoder auto|fast|fitparse]

Generates (once; cached) a Garmin Connect export zip shaped like the real one: 1,000 runs of
30-60 minutes recorded at 1 Hz as FIT files (written with fit-tool) inside the nested
``DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip``, plus daily monitoring FIT files that
must be skipped, ``summarizedActivities.json`` (with some runs that have no file), gear and
resting heart rates. Then imports it into a fresh database and prints the figures, so that a
faster FIT decoder can be compared later. A second import (everything already stored) is timed
too: it measures the sha256 look-up path.

Peak memory is the resident set size high-water mark (``ru_maxrss``) of this process and of the
largest worker process (including the generator's workers on the run that generates the export),
and with ``--tracemalloc`` the Python heap peak of this process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from exports import (  # noqa: E402  (tests/ holds the export builders)
    GarminActivity,
    GarminExportSpec,
    GarminGear,
    Run,
    garmin_export_files,
    write_tree,
)

from stridewise.pipeline import import_paths  # noqa: E402
from stridewise.store import Store  # noqa: E402

#: Bump when the generated export changes, so that an old cached one is not reused.
GENERATOR_VERSION = 1
SUB_SPORTS = ("generic", "generic", "generic", "generic", "street", "trail", "treadmill")


def plan(runs: int, monitoring_days: int, seed: int = 2026) -> GarminExportSpec:
    """Runs every day or so from 2023 on, 30-60 min at 4:30-6:30 min/km; a few without a file."""
    rng = np.random.default_rng(seed)
    first = datetime(2023, 1, 2, 6, 0, tzinfo=UTC)
    activities = []
    for number in range(runs):
        duration_s = int(rng.integers(30 * 60, 60 * 60 + 1))
        pace_s_per_km = float(rng.uniform(270, 390))
        start = first + timedelta(days=number * 1.1, minutes=int(rng.integers(0, 600)))
        run = Run(
            start_utc=start,
            duration_s=duration_s,
            distance_m=round(duration_s / pace_s_per_km * 1000, 1),
            utc_offset_s=3600 if start.month in (1, 2, 3, 11, 12) else 7200,
            sub_sport=SUB_SPORTS[number % len(SUB_SPORTS)],
            start_lat_deg=52.0 + float(rng.uniform(-0.05, 0.05)),
            heart_rate_bpm=int(rng.integers(135, 160)),
        )
        activities.append(
            GarminActivity(
                run, 10_000_000_000 + number, gear_pk=1 + number // 400, with_fit=number % 50 != 7
            )
        )
    gear = [GarminGear(pk, None, f"Shoe model {pk}", 800_000.0) for pk in range(1, runs // 400 + 2)]
    days = [first + timedelta(days=n) for n in range(monitoring_days)]
    resting = {(first + timedelta(days=n)).date().isoformat(): 48 + n % 7 for n in range(runs)}
    return GarminExportSpec(activities, gear, resting, days)


def cached_export(runs: int, monitoring_days: int, cache: Path, jobs: int) -> Path:
    path = cache / f"garmin-export-{runs}-runs-{monitoring_days}-mon-v{GENERATOR_VERSION}.zip"
    if path.exists():
        print(f"export: {path} (cached)")
        return path
    started = time.perf_counter()
    spec = plan(runs, monitoring_days)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        files = garmin_export_files(spec, map_function=lambda f, xs: pool.map(f, xs, chunksize=8))
    partial = path.with_suffix(".partial")
    write_tree(files, partial, as_zip=True)
    partial.rename(path)
    print(f"export: {path} generated in {time.perf_counter() - started:.0f} s")
    return path


def peak_rss_mb(who: int) -> float:
    """ru_maxrss in MB (Linux reports KiB, macOS bytes)."""
    value = resource.getrusage(who).ru_maxrss
    return value / 2**20 if sys.platform == "darwin" else value / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs in the export (1000)")
    parser.add_argument("--monitoring", type=int, default=300, help="non-activity FITs (300)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="decode workers")
    parser.add_argument(
        "--decoder",
        choices=("auto", "fast", "fitparse"),
        help="FIT decoder, passed on as $STRIDEWISE_FIT_DECODER (default: as set, else auto)",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace the main process's Python heap (slows the import down)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "stridewise-bench",
        help="where the generated export is kept between runs",
    )
    args = parser.parse_args()
    if args.decoder:
        os.environ["STRIDEWISE_FIT_DECODER"] = args.decoder  # worker processes inherit it
    args.cache.mkdir(parents=True, exist_ok=True)
    export = cached_export(args.runs, args.monitoring, args.cache, args.jobs)
    decoder = os.environ.get("STRIDEWISE_FIT_DECODER", "auto")
    print(
        f"export size: {export.stat().st_size / 2**20:.1f} MB, jobs: {args.jobs}, "
        f"FIT decoder: {decoder}"
    )

    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        report = import_paths(store, [export], jobs=args.jobs)
        wall = time.perf_counter() - started
        heap_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        tracemalloc.stop()
        records = store.conn.execute(
            "SELECT coalesce(sum(n_samples), 0) FROM activities"
        ).fetchone()[0]
        summary_only = store.conn.execute(
            "SELECT count(*) FROM activities WHERE n_samples = 0"
        ).fetchone()[0]
        started = time.perf_counter()
        again = import_paths(store, [export], jobs=args.jobs)
        rerun = time.perf_counter() - started
        db_mb = sum(p.stat().st_size for p in Path(folder).glob("bench.db*")) / 2**20

    print(
        f"files looked at:     {report.files} ({len(report.skipped)} skipped, "
        f"{len(report.failed)} failed)"
    )
    print(f"activities imported: {report.imported} ({summary_only} summary-only)")
    print(f"records imported:    {records}")
    print(f"wall time:           {wall:.1f} s")
    print(f"files/s:             {report.files / wall:.1f}")
    print(f"records/s:           {records / wall:,.0f}")
    print(f"peak RSS main:       {peak_rss_mb(resource.RUSAGE_SELF):.0f} MB")
    print(f"peak RSS worker:     {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    if heap_peak is not None:
        print(f"peak heap main:      {heap_peak / 2**20:.0f} MB (tracemalloc)")
    print(f"database size:       {db_mb:.0f} MB")
    print(
        f"re-import:           {rerun:.1f} s, {again.imported} new, {again.duplicates} duplicates"
    )


if __name__ == "__main__":
    main()
