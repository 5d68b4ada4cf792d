"""One 1-hour FIT file imported as a whole process, against peers that only decode it (issue 13).

    python benchmarks/bench_fit_process.py [--repeat 10] [FILE]

What a runner waits for when they import the run they just finished: ``stridewise -q --db NEW
import FILE`` into a fresh database, as a process (start-up, decoding, cleaning, the per-run
metrics, saving). Beside it, as processes too, scripts that only decode the same file: Garmin's
own SDK (``garmin-fit-sdk``: ``Decoder(Stream.from_file(FILE)).read()``), fitparse (every
message's values), a bare ``python -c pass`` for the interpreter's own start, and the floor of
the stack the project is built on: a process that only imports click, numpy and fitparse (the
command line, the sample arrays and the FIT profile), before any of stridewise. FILE defaults
to bench_fit.py's one-hour run (3,600 records at 1 Hz with running dynamics, written with
fit-tool).

Printed for each: wall time, process time (user + system) and peak RSS (median and range over
``--repeat`` runs, interleaved) and their ratios to the SDK's. The target: the import no slower
than the SDK's decode. A peer that is not installed is reported as skipped (``pip install
'stridewise[bench]'`` brings garmin-fit-sdk).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

from bench_fit import cached_one_hour_run
from processes import Figures, Spread, load_average, run, stridewise

GARMIN_SDK = """\
import sys
from garmin_fit_sdk import Decoder, Stream
messages, errors = Decoder(Stream.from_file(sys.argv[1])).read()
if errors or not messages.get("record_mesgs"):
    sys.exit(f"garmin-fit-sdk: {errors}")
"""

#: What any stridewise import loads before its own code: the command line (click), the sample
#: arrays (numpy, which pandas needs anyway) and fitparse's FIT profile. No work is done. OpenBLAS
#: runs on one thread, as the command line sets it.
STACK_FLOOR = """\
import os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import click, numpy, fitparse.profile, fitparse.records
"""

FITPARSE = """\
import sys
import fitparse
messages = [m.get_values() for m in fitparse.FitFile(sys.argv[1]).get_messages()]
"""


def peers() -> dict[str, list[str] | None]:
    """Each peer's argv without the file, or None when its package is not installed."""

    def script(module: str, code: str) -> list[str] | None:
        if importlib.util.find_spec(module) is None:
            return None
        return [sys.executable, "-c", code]

    return {
        "garmin-fit-sdk decode": script("garmin_fit_sdk", GARMIN_SDK),
        "fitparse decode": script("fitparse", FITPARSE),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="a FIT file (default: one-hour run)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    path = args.file or cached_one_hour_run()
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB; {args.repeat} runs of each")
    floor = [sys.executable, "-c", STACK_FLOOR]
    figures: dict[str, list[Figures]] = {
        "python -c pass": [],
        "stack floor (imports)": [],
        "stridewise import": [],
    }
    available = {name: argv for name, argv in peers().items() if argv is not None}
    for name in peers():
        if name not in available:
            print(f"{name}: skipped (not installed; pip install 'stridewise[bench]')")
    figures.update({name: [] for name in available})
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-") as folder:
        run(stridewise("-q", "--db", str(Path(folder) / "warm-up.db"), "import", str(path)))
        run(floor)
        for argv in available.values():  # once untimed: the bytecode caches are filled
            run([*argv, str(path)])
        for attempt in range(args.repeat):
            database = Path(folder) / f"fresh-{attempt}.db"
            imported = run(stridewise("-q", "--db", str(database), "import", str(path)))
            if not imported.stdout.startswith("Imported 1 activities"):
                raise SystemExit(f"the import did not import the file:\n{imported.stdout}")
            figures["stridewise import"].append(imported)
            figures["python -c pass"].append(run([sys.executable, "-c", "pass"]))
            figures["stack floor (imports)"].append(run(floor))
            for name, argv in available.items():
                figures[name].append(run([*argv, str(path)]))
    reference = figures.get("garmin-fit-sdk decode")
    base = {
        key: Spread.of([getattr(f, key) for f in reference]).median if reference else None
        for key in ("wall_s", "cpu_s", "peak_rss_mib")
    }
    print(
        f"{'process':<22} {'wall [ms]':>18} {'process time [ms]':>18} {'peak RSS [MiB]':>15}"
        f" {'x SDK wall':>10} {'x SDK cpu':>9} {'x SDK RSS':>9}"
    )
    for name, runs in figures.items():
        wall = Spread.of([f.wall_s for f in runs])
        cpu = Spread.of([f.cpu_s for f in runs])
        rss = Spread.of([f.peak_rss_mib for f in runs])
        ratios = (
            f"{wall.median / base['wall_s']:>10.2f} {cpu.median / base['cpu_s']:>9.2f} "
            f"{rss.median / base['peak_rss_mib']:>9.2f}"
            if reference
            else ""
        )
        print(
            f"{name:<22} {wall.text(1000, 0):>18} {cpu.text(1000, 0):>18} {rss.text(1, 0):>15} "
            f"{ratios}"
        )
    print(load_average())
    if not reference:
        return 0
    ours = Spread.of([f.wall_s for f in figures["stridewise import"]]).median
    met = ours <= base["wall_s"]
    print(
        f"import / garmin-fit-sdk decode, wall: {ours / base['wall_s']:.2f} "
        f"(target <= 1): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
