"""Measuring a command the way its user waits for it: as a whole process.

Shared by the benchmarks that time ``stridewise`` commands (``bench_startup.py``,
``bench_fit_process.py``, ``bench_first_flags.py``, ``bench_report.py``). Each command runs as a
child process of this one; ``os.wait4`` gives that child's own resource usage, which on Linux
includes the children it waited for (an import's worker processes), so that:

- **wall**: what the user waits [s];
- **cpu**: user + system time of the process and its workers [s] ("process time": what a
  loaded machine cannot inflate as much as the wall time, since waiting for a core is not counted);
- **peak RSS**: the largest resident set of the process or any of its workers [MiB].

The child imports this repository's ``src`` (PYTHONPATH), whatever is installed, with its
compiled bytecode kept (``PYTHONPYCACHEPREFIX`` in the temporary directory) as an installed wheel
has it: with ``PYTHONDONTWRITEBYTECODE`` set, every process would compile the package's sources
anew, half a second more than a user ever waits. Run a command once before timing it. It is started
by a small launcher (``python -S``, 8 MiB) rather than by this process: a child's peak RSS counts
the memory of the process it was forked from, and this one may hold pandas.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Figures:
    """One run of a command as a process."""

    wall_s: float  # [s]
    cpu_s: float  # user + system, the process and the children it waited for [s]
    peak_rss_mib: float  # [MiB]
    returncode: int
    stdout: str
    stderr: str


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment with the repository's ``src`` first on the child's import path, and
    bytecode written and reused."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "stridewise-pycache"))
    parts = [str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env.update(extra or {})
    return env


def stridewise(*args: str) -> list[str]:
    """The argv of ``stridewise ARGS`` as the installed console script runs it."""
    return [sys.executable, "-c", "import sys; from stridewise.cli import main; sys.exit(main())",
            *args]  # fmt: skip


#: Forks and execs the command, waits for it and writes its figures to the file named first.
LAUNCHER = """\
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} "
              f"{os.waitstatus_to_exitcode(status)}")
"""


def run(argv: Sequence[str], *, env: dict[str, str] | None = None, check: bool = True) -> Figures:
    """Run ``argv`` to its end and measure it (stdout and stderr are captured to files)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".figures") as figures_file,
    ):
        launcher = [sys.executable, "-S", "-c", LAUNCHER, figures_file.name]
        subprocess.run([*launcher, *argv], stdout=out, stderr=err, env=env or child_env())
        wall, cpu, rss_kib, returncode = figures_file.read().split()
        out.seek(0)
        err.seek(0)
        figures = Figures(
            wall_s=float(wall),
            cpu_s=float(cpu),
            peak_rss_mib=float(rss_kib) / (2**20 if sys.platform == "darwin" else 1024),
            returncode=int(returncode),
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )
    if check and figures.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv[-4:])}: exit {figures.returncode}\n{figures.stderr[-2000:]}"
        )
    return figures


def repeat(argv: Sequence[str], times: int, **options) -> list[Figures]:
    """``run`` ``times`` times in a row."""
    return [run(argv, **options) for _ in range(times)]


@dataclass(frozen=True)
class Spread:
    """Median and range of one figure over repeated runs."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def text(self, scale: float = 1.0, digits: int = 2, unit: str = "") -> str:
        return (
            f"{self.median * scale:.{digits}f}{unit} "
            f"({self.low * scale:.{digits}f}-{self.high * scale:.{digits}f})"
        )


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages (other work on the machine skews every figure)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"
