"""Cohort throughput: athlete-years per second of the local and Spark engines.

    python benchmarks/bench_cohort.py [--athletes 200 2000] [--years 2] [--engines local spark]

For each cohort size, generates the cohort (``scripts/generate_cohort.py``: one store, exported
to Parquet with each athlete's profile), then runs ``stridewise cohort`` on the export with each
engine (``--engine spark`` on ``local[2]``) and prints the wall-clock time, athletes and
athlete-years per second, and the Spark/local ratio. Also printed, to ground the README's
extrapolation: the machine's load average after each run (other work on the 2 shared cores
slows either engine), Spark's start-up (a session on local[2], created and stopped), and one
athlete's size — rows, bytes on disk, and bytes in pandas of the tables one Spark group holds.

The generation and export are timed too but are not part of the throughput.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from stridewise.cohort import run_cohort  # noqa: E402
from stridewise.cohort.parquet import read_partition, scan_export  # noqa: E402


def generator():
    spec = importlib.util.spec_from_file_location(
        "generate_cohort", REPO / "scripts" / "generate_cohort.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_cohort"] = module
    spec.loader.exec_module(module)
    return module


def spark_start_s(master: str) -> float:
    from stridewise.cohort.spark import session

    started = time.perf_counter()
    spark = session(master)
    spark.range(1).count()
    elapsed = time.perf_counter() - started
    spark.stop()
    return elapsed


def athlete_size(root: Path) -> str:
    """Median rows, bytes on disk and bytes in pandas of one athlete's cohort tables."""
    scan = scan_export(root)
    sizes = []
    for partition in scan.partitions[:: max(1, len(scan.partitions) // 20)]:
        tables = read_partition(root, partition)
        rows = sum(len(t) for t in tables.values())
        memory = sum(int(t.memory_usage(deep=True).sum()) for t in tables.values())
        disk = sum(p.stat().st_size for paths in partition.files.values() for p in paths)
        sizes.append((rows, disk, memory))
    sizes.sort(key=lambda s: s[2])
    rows, disk, memory = sizes[len(sizes) // 2]
    return f"median athlete: {rows} rows, {disk / 1e3:.0f} kB Parquet, {memory / 1e6:.1f} MB pandas"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--engines", nargs="+", default=["local", "spark"])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=2, help="runs per engine up to 500 athletes")
    args = parser.parse_args()
    gen = generator()
    if "spark" in args.engines:
        print(f"spark start-up on {args.master}: {spark_start_s(args.master):.1f} s")
    for count in args.athletes:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            files = gen.write_cohort(Path(folder), count, args.years, parquet=True)
            print(
                f"\n{count} athletes × {args.years} years: generated and exported in "
                f"{time.perf_counter() - started:.0f} s; {athlete_size(files.parquet)}"
            )
            rates: dict[str, float] = {}
            repeats = args.repeat if count <= 500 else 1
            for _ in range(repeats):  # alternating, so that both see the same machine load
                for engine in args.engines:
                    report = run_cohort(
                        files.parquet, Path(folder) / f"out-{engine}", engine=engine,
                        master=args.master,
                    )  # fmt: skip
                    rates[engine] = max(rates.get(engine, 0.0), report.athlete_years_per_s)
                    print(
                        f"  {engine:5}: {report.seconds:6.1f} s, {report.evaluated} athletes, "
                        f"{report.findings} findings, {report.evaluated / report.seconds:5.2f} "
                        f"athletes/s, {report.athlete_years_per_s:5.2f} athlete-years/s "
                        f"(load average {os.getloadavg()[0]:.1f})"
                    )
            if len(rates) == 2:
                print(f"  spark / local (best runs): {rates['spark'] / rates['local']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
