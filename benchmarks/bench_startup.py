"""How long ``stridewise --help`` takes against a bare ``python -c pass`` (issue 13).

    python benchmarks/bench_startup.py [--repeat 20] [--all]

Runs each command line ``--repeat`` times as a process (the console script's way: ``from
stridewise.cli import main``), interleaved so that a burst of load from other work hits every
command alike, and prints the median and range of the process time (user + system, what the
interpreter itself spent: waiting for a core on a loaded machine is not counted) and of the wall
time, each also above the bare interpreter. ``--all`` adds every command's and subcommand's
``--help``. The target: ``--help`` under 80 ms of process time above ``python -c pass``.
"""

from __future__ import annotations

import argparse
import sys

import click
from processes import Spread, load_average, run, stridewise

TARGET_ABOVE_BARE_S = 0.080


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand of the group, as the words that name it."""
    paths = []
    for name in sorted(group.commands):
        command = group.commands[name]
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--all", action="store_true", help="every command's --help too")
    args = parser.parse_args()
    lines: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "stridewise --help": stridewise("--help"),
        "stridewise --version": stridewise("--version"),
    }
    if args.all:
        from stridewise.cli import cli

        for words in command_paths(cli):
            lines[f"stridewise {' '.join(words)} --help"] = stridewise(*words, "--help")
    print(f"{args.repeat} runs of each, interleaved; {load_average()}")
    for argv in lines.values():  # once untimed: the bytecode cache is filled
        run(argv)
    runs: dict[str, list] = {label: [] for label in lines}
    for _ in range(args.repeat):
        for label, argv in lines.items():
            runs[label].append(run(argv))
    bare_cpu = Spread.of([f.cpu_s for f in runs["python -c pass"]]).median
    bare_wall = Spread.of([f.wall_s for f in runs["python -c pass"]]).median
    print(f"{'command':<44} {'process time [ms]':>20} {'above bare':>10} {'x bare':>7} "
          f"{'wall [ms]':>20} {'above bare':>10} {'peak MiB':>8}")  # fmt: skip
    worst = 0.0
    for label, figures in runs.items():
        cpu = Spread.of([f.cpu_s for f in figures])
        wall = Spread.of([f.wall_s for f in figures])
        rss = Spread.of([f.peak_rss_mib for f in figures])
        if label != "python -c pass":
            worst = max(worst, cpu.median - bare_cpu)
        print(
            f"{label[:44]:<44} {cpu.text(1000, 0):>20} {(cpu.median - bare_cpu) * 1000:>10.0f} "
            f"{cpu.median / bare_cpu:>7.1f} {wall.text(1000, 0):>20} "
            f"{(wall.median - bare_wall) * 1000:>10.0f} {rss.median:>8.0f}"
        )
    verdict = "met" if worst < TARGET_ABOVE_BARE_S else "MISSED"
    print(
        f"most process time above bare python: {worst * 1000:.0f} ms "
        f"(target < {TARGET_ABOVE_BARE_S * 1000:.0f} ms): {verdict}; {load_average()}"
    )
    return 0 if worst < TARGET_ABOVE_BARE_S else 1


if __name__ == "__main__":
    sys.exit(main())
