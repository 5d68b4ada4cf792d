"""Ten years of daily runs: how long the import takes, then the first ``flags`` (issue 13).

    python benchmarks/bench_first_flags.py [--years 10] [--repeat 2] [--before] [--cache DIR]

Generates (once; cached) one FIT file per day for ``--years`` years, each a run of 30-60 minutes
(80-110 on Sundays) recorded at 1 Hz with position, distance, speed, altitude, heart rate and
cadence, written with fit-tool (``tests/exports.py``); a tenth on trails, a twentieth on a
treadmill. Then, as whole processes, the way a runner types them:

1. ``stridewise --db NEW import FOLDER`` into a fresh database (the workers decode, clean and
   compute each run's per-run metrics; the one writer stores them);
2. ``stridewise --db DB --config CONFIG flags`` over the whole history: the first reading
   command after the import; then ``--repeat`` more, and ``flags --since`` the last four weeks.

Before issue 13 the per-run metrics were computed one run at a time by the first reading command
after an import: 20.4 s of import, then 38.6 s for the first ``flags`` on this machine. The
targets: the first ``flags`` under 3 s, the import at most 20 % above 20.4 s (24.5 s).

``--before`` measures the old order of work on the same files, machine and load, for a ratio
that does not depend on how busy the machine was when 20.4 s was measured: the same commands,
with the import leaving the per-run metrics out (its workers' ``metrics_json`` and the final
``refresh_run_metrics`` stubbed in the importing process, whose forked workers inherit the
stubs, so this needs the fork start method: Linux), so that the first ``flags`` computes them one
run at a time, as it did. The metrics themselves are today's code, so the old first ``flags``
measured this way is faster than it was.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from processes import REPO, Figures, Spread, load_average, run, stridewise

sys.path.insert(0, str(REPO / "tests"))

from exports import Run, fit_bytes  # noqa: E402  (tests/ holds the FIT builder)

#: Bump when the generated files change, so that an old cached folder is not reused.
GENERATOR_VERSION = 1
#: The last day of the history (a Sunday), the same as the realistic runners'.
LAST_DAY = date(2026, 11, 29)
#: Issue 13's figures before the per-run metrics moved into the import [s].
OLD_IMPORT_S = 20.4
OLD_FIRST_FLAGS_S = 38.6
FIRST_FLAGS_TARGET_S = 3.0
IMPORT_ALLOWANCE = 1.2  # the import may be 20 % slower than before

#: ``stridewise`` as it imported before issue 13: no per-run metrics (see the docstring).
BEFORE = """\
import sys
import stridewise.pipeline
import stridewise.pipeline.workers
stridewise.pipeline.workers.metrics_json = lambda samples: None
stridewise.pipeline.refresh_run_metrics = lambda *args, **kwargs: 0
from stridewise.cli import main
sys.exit(main())
"""

CONFIG = """\
[athlete]
sex = "female"
birth_year = 1986
timezone = "Europe/Amsterdam"
"""


def plan(years: int, seed: int = 2026) -> list[tuple[str, Run]]:
    """One run a day for ``years`` years up to ``LAST_DAY``: (file name, run)."""
    rng = np.random.default_rng(seed)
    first = LAST_DAY - timedelta(days=round(years * 365.25) - 1)
    runs = []
    for number in range((LAST_DAY - first).days + 1):
        day = first + timedelta(days=number)
        summer = 4 <= day.month <= 9
        offset_s = 7200 if summer else 3600
        minutes = rng.integers(80, 111) if day.weekday() == 6 else rng.integers(30, 61)
        duration_s = int(minutes * 60)
        pace_s_per_km = float(rng.uniform(280, 380))
        local_start = datetime(day.year, day.month, day.day, 6, 0) + timedelta(
            minutes=int(rng.integers(0, 120))
        )
        draw = rng.random()
        sub_sport = "trail" if draw < 0.10 else "treadmill" if draw < 0.15 else "street"
        run_ = Run(
            start_utc=(local_start - timedelta(seconds=offset_s)).replace(tzinfo=UTC),
            duration_s=duration_s,
            distance_m=round(duration_s / pace_s_per_km * 1000, 1),
            utc_offset_s=offset_s,
            sub_sport=sub_sport,
            start_lat_deg=52.3 + float(rng.uniform(-0.05, 0.05)),
            heart_rate_bpm=int(rng.integers(132, 158)),
            cadence_spm=int(rng.integers(164, 180)),
        )
        runs.append((f"{day.isoformat()}.fit", run_))
    return runs


def _write(folder: Path, name: str, run_: Run) -> None:
    path = folder / name
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(fit_bytes(run_))
        partial.replace(path)


def cached_folder(years: int, cache: Path, jobs: int) -> Path:
    """The folder of FIT files, generated on first use (resumable: files are written whole)."""
    folder = cache / f"daily-runs-{years}y-v{GENERATOR_VERSION}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    runs = plan(years)
    started = time.perf_counter()
    print(f"generating {len(runs)} FIT files with fit-tool into {folder} ...", flush=True)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_write, [folder] * len(runs), *zip(*runs, strict=True), chunksize=16))
    done.write_text("")
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def attempt(
    folder: Path, tmp: Path, label: str, import_argv: list[str], config: Path, since: str
) -> dict[str, Figures]:
    """One import into a new store, then the first ``flags``, again, and the last 4 weeks."""
    db = tmp / f"{label}.db"
    imported = run([*import_argv, "-q", "--db", str(db), "import", "--json", str(folder)])
    read = ["--db", str(db), "--config", str(config)]
    figures = {
        "import": imported,
        "first flags": run(stridewise(*read, "flags")),
        "flags again": run(stridewise(*read, "flags")),
        "flags --since": run(stridewise(*read, "flags", "--since", since)),
    }
    for path in tmp.glob(f"{label}.db*"):
        path.unlink()
    summary = json.loads(imported.stdout)
    print(
        f"{label}: imported {summary['imported']}, failed {len(summary['failed'])}; "
        + ", ".join(
            f"{name} {f.wall_s:.2f} s (cpu {f.cpu_s:.2f} s, {f.peak_rss_mib:.0f} MiB)"
            for name, f in figures.items()
        )
        + f"; {load_average()}",
        flush=True,
    )
    return figures


def table(label: str, attempts: list[dict[str, Figures]]) -> None:
    print(f"{label:<14} {'':<16} {'wall [s]':>20} {'cpu [s]':>20} {'peak RSS [MiB]':>16}")
    for name in attempts[0]:
        wall = Spread.of([a[name].wall_s for a in attempts])
        cpu = Spread.of([a[name].cpu_s for a in attempts])
        rss = Spread.of([a[name].peak_rss_mib for a in attempts])
        print(f"{'':<14} {name:<16} {wall.text():>20} {cpu.text():>20} {rss.text(digits=0):>16}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2, help="imports, each into a new store")
    parser.add_argument("--before", action="store_true", help="measure the old way too")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="generator workers")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "stridewise-bench",
        help="where the generated files are kept between runs",
    )
    args = parser.parse_args()
    folder = cached_folder(args.years, args.cache, args.jobs)
    files = sorted(folder.glob("*.fit"))
    size_mib = sum(p.stat().st_size for p in files) / 2**20
    print(f"{len(files)} FIT files, {size_mib:.0f} MiB; {load_average()}", flush=True)
    now: list[dict[str, Figures]] = []
    before: list[dict[str, Figures]] = []
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-") as name:
        tmp = Path(name)
        config = tmp / "config.toml"
        config.write_text(CONFIG)
        since = (LAST_DAY - timedelta(days=27)).isoformat()
        run(stridewise("--version"))  # untimed: the bytecode cache is filled
        for number in range(args.repeat):  # interleaved: both ways see the same load
            now.append(attempt(folder, tmp, f"now-{number + 1}", stridewise(), config, since))
            if args.before:
                old = [sys.executable, "-c", BEFORE]
                before.append(attempt(folder, tmp, f"before-{number + 1}", old, config, since))
    print()
    print(f"median (range) of {args.repeat} runs")
    table("now", now)
    if before:
        table("before", before)
    import_s = Spread.of([a["import"].wall_s for a in now]).median
    first_s = Spread.of([a["first flags"].wall_s for a in now]).median
    print()
    print(
        f"against issue 13's figures: import {import_s:.1f} s / {OLD_IMPORT_S} s = "
        f"{import_s / OLD_IMPORT_S:.2f} (allowed {IMPORT_ALLOWANCE:.2f}); first flags "
        f"{first_s:.2f} s / {OLD_FIRST_FLAGS_S} s = {first_s / OLD_FIRST_FLAGS_S:.3f}"
    )
    if before:
        old_import = Spread.of([a["import"].wall_s for a in before]).median
        old_first = Spread.of([a["first flags"].wall_s for a in before]).median
        old_cpu = Spread.of([a["import"].cpu_s for a in before]).median
        new_cpu = Spread.of([a["import"].cpu_s for a in now]).median
        print(
            f"against the old way, same files and load: import {import_s / old_import:.2f}x "
            f"(cpu {new_cpu / old_cpu:.2f}x), first flags {first_s / old_first:.3f}x "
            f"({old_first / first_s:.0f}x faster); import + first flags "
            f"{import_s + first_s:.1f} s against {old_import + old_first:.1f} s"
        )
    met = first_s < FIRST_FLAGS_TARGET_S and import_s <= OLD_IMPORT_S * IMPORT_ALLOWANCE
    print(
        f"targets (first flags < {FIRST_FLAGS_TARGET_S:g} s, import <= "
        f"{OLD_IMPORT_S * IMPORT_ALLOWANCE:.1f} s): {'met' if met else 'MISSED'}; "
        f"{load_average()}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
