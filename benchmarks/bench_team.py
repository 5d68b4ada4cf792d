"""How long ``stridewise team`` takes for a coach's database, and how much memory it needs.

    python benchmarks/bench_team.py [--athletes 50] [--years 5] [--jobs N] [--serial]
                                    [--keep DIR [--reuse]]

Builds a coach database with ``scripts/generate_coach_db.py`` (``--athletes`` athletes with their
own profiles and planted patterns, ``--years`` of summaries each and 1 Hz records for the team
week's runs, their per-run metrics cached as an import caches them), then runs the command a
coach runs — ``stridewise --db coach.db --config config.toml team --week 2026-W47 --out DIR``, a
separate process, each athlete's full weekly report written beside the page — and prints its
wall time and peak memory: the peak resident set (VmHWM) of the command's process and of each of
its worker processes, sampled from /proc while it runs, and their sum (an upper bound of what
was resident at once). ``--serial`` also times ``--jobs 1``, for the speed-up of the workers.
Exits 1 when the run is over the targets (60 s, 1 GB).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import generate_coach_db as coach  # noqa: E402

TARGET_S = 60.0
TARGET_MB = 1024.0


def vm_hwm_mb(pid: int) -> float | None:
    """The peak resident set of a process [MB], None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:
        pass
    return found


class PeakMemory:
    """Samples the VmHWM of a process and its children (workers) until stopped."""

    def __init__(self, pid: int, every_s: float = 0.05) -> None:
        self.pid, self.every_s = pid, every_s
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in [self.pid, *children(self.pid)]:
                peak = vm_hwm_mb(pid)
                if peak is not None:
                    self.peaks[pid] = max(peak, self.peaks.get(pid, 0.0))
            time.sleep(self.every_s)


def run_team(
    db: Path, config: Path, out: Path, jobs: int | None
) -> tuple[float, float, PeakMemory, str]:
    """Wall time [s], CPU time of the command and its workers [s], their memory, the output."""
    command = [
        sys.executable,
        "-m",
        "stridewise",
        "--db",
        str(db),
        "--config",
        str(config),
        "team",
        "--week",
        coach.TEAM_WEEK,
        "--out",
        str(out),
        *(["--jobs", str(jobs)] if jobs else []),
    ]
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cpu_before = _children_cpu_s()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with PeakMemory(process.pid) as memory:
        output, errors = process.communicate()
    elapsed = time.perf_counter() - started
    cpu = _children_cpu_s() - cpu_before
    if process.returncode != 0:
        raise SystemExit(f"stridewise team failed ({process.returncode}): {errors.strip()}")
    return elapsed, cpu, memory, output


def _children_cpu_s() -> float:
    """User and system time of every finished child process and their waited-for workers [s]."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def describe(label: str, elapsed: float, cpu: float, memory: PeakMemory, parent: int) -> float:
    peaks = memory.peaks
    workers = sorted((mb for pid, mb in peaks.items() if pid != parent), reverse=True)
    total = sum(peaks.values())
    print(f"{label}: {elapsed:.1f} s wall, {cpu:.1f} s CPU (command and workers)")
    print(
        f"  peak memory (VmHWM): command {peaks.get(parent, 0.0):.0f} MB, "
        f"{len(workers)} worker{'s' if len(workers) != 1 else ''} "
        + (", ".join(f"{mb:.0f}" for mb in workers) or "-")
        + f" MB; sum {total:.0f} MB"
    )
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--jobs", type=int, help="workers (default: one per core)")
    parser.add_argument("--serial", action="store_true", help="also time --jobs 1")
    parser.add_argument("--keep", type=Path, help="write the database and the page here")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: use the database already there"
    )
    args = parser.parse_args(argv)
    if args.keep:
        return measure(args.keep, args)
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-team-") as folder:
        return measure(Path(folder), args)


def measure(folder: Path, args: argparse.Namespace) -> int:
    db, config = folder / "coach.db", folder / "config.toml"
    if args.reuse and db.exists() and config.exists():
        print(f"coach database: {db}, as generated before")
    else:
        started = time.perf_counter()
        db, config, runs = coach.generate(folder, args.athletes, args.years, records_weeks=1)
        built = time.perf_counter() - started
        size = sum(p.stat().st_size for p in folder.glob("coach.db*")) / 2**20
        print(
            f"coach database: {args.athletes} athletes, {runs} runs over {args.years} years "
            f"(records for the team week's), {size:.0f} MB, built in {built:.1f} s"
        )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    elapsed, cpu, memory, output = run_team(db, config, folder / "team", args.jobs)
    total = describe(f"stridewise team {coach.TEAM_WEEK}", elapsed, cpu, memory, memory.pid)
    print("  " + output.strip().splitlines()[0])
    reports = len(list((folder / "team" / "athletes").glob("*/index.html")))
    print(
        f"  {reports} athlete reports written: {cpu / max(reports, 1):.2f} s CPU each; "
        f"on {os.cpu_count()} idle cores about {cpu / (os.cpu_count() or 1):.0f} s wall"
    )
    if args.serial:
        serial, serial_cpu, serial_memory, _ = run_team(db, config, folder / "team-serial", 1)
        describe("the same with --jobs 1", serial, serial_cpu, serial_memory, serial_memory.pid)
        print(f"  speed-up of the workers: {serial / elapsed:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    ok = elapsed <= TARGET_S and total <= TARGET_MB
    verdict = "within" if ok else "OVER"
    print(f"{verdict} the targets ({TARGET_S:.0f} s, {TARGET_MB:.0f} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
