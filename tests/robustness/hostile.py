"""Builders of hostile inputs and the good batches around them, shared by test_round_two.py and
test_hostile_memory.py (issue 11, round two).

Every builder writes a small file named after its edge case, or streams a large one a block at a
time so that the test itself never holds it whole. ``run_cli`` runs the command line in a child
process (with a timeout: a hang is a failure, not a stuck suite) and reports the child's peak
memory, its workers' included.
"""

from __future__ import annotations

import gzip
import json
import os
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

GPX_HEAD = (
    '<?xml version="1.0"?><gpx version="1.1" creator="t" '
    'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
)
GPX_TAIL = "</trkseg></trk></gpx>"
TCX_HEAD = (
    '<?xml version="1.0"?><TrainingCenterDatabase '
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
    '<Activity Sport="Running"><Id>{start}</Id><Lap StartTime="{start}">{totals}<Track>'
)
TCX_TAIL = "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"

#: Due north at 3 m/s, one point every 2 s [degree of latitude per 2 s].
STEP_DEG = 2 * 3.0 / 111_195.0


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def good_logs(folder: Path, count: int, first: date = date(2024, 3, 4)) -> list[Path]:
    """``count`` one-run CSV logs, a day apart from ``first``: the good files of a batch."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        day = first + timedelta(days=number)
        path = folder / f"log-{number:03d}.csv"
        path.write_text(f"date,distance_km,duration\n{day.isoformat()},{5 + number % 4},0:30:00\n")
        paths.append(path)
    return paths


def gpx_run(start: datetime, seconds: int = 600, point_extra: str = "", at_point: int = 3) -> str:
    """A GPX run of ``seconds`` with a point every 2 s; ``point_extra`` goes inside point
    ``at_point`` (after its time)."""
    points = "".join(
        f'<trkpt lat="{52 + n * STEP_DEG:.7f}" lon="4.5">'
        f"<time>{iso(start + timedelta(seconds=2 * n))}</time>"
        f"{point_extra if n == at_point else ''}</trkpt>"
        for n in range(seconds // 2)
    )
    return GPX_HEAD + points + GPX_TAIL


def good_gpx_runs(folder: Path, count: int, first: datetime) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"run-{number:03d}.gpx"
        path.write_text(gpx_run(first + timedelta(days=number)))
        paths.append(path)
    return paths


def nested(depth: int) -> str:
    return "<x>" * depth + "</x>" * depth


def tcx_run(start: datetime, points: str, totals: str = "") -> str:
    """A TCX running activity with ``points`` (Trackpoint elements) in one lap."""
    return TCX_HEAD.format(start=iso(start), totals=totals) + points + TCX_TAIL


def bare_points_gz(path: Path, head: str, point: str, tail: str, size: int) -> Path:
    """A gzip file of about ``size`` bytes of XML, nearly all bare trackpoints, written a block at
    a time (neither the XML nor the compressed file is ever whole in memory here)."""
    block = (point * (2**20 // len(point))).encode()
    with gzip.open(path, "wb", compresslevel=9) as packed:
        packed.write(head.encode())
        for _ in range(size // len(block)):
            packed.write(block)
        packed.write(tail.encode())
    return path


def junk_bytes(size: int, seed: int = 1) -> bytes:
    """``size`` bytes of junk that deflate shrinks about 25 times: runs of 64 equal random bytes
    (under the archive's zip-bomb ratio of 200, so only the FIT cap can refuse them)."""
    runs = np.random.default_rng(seed).integers(0, 256, -(-size // 64), dtype=np.uint8)
    return np.repeat(runs, 64)[:size].tobytes()


def zip_of_copies(path: Path, names: list[str], data: bytes, extra: dict[str, bytes]) -> Path:
    """A zip whose entries ``names`` all hold ``data`` (deflated once, the compressed bytes
    written for each), plus the small entries of ``extra``. Written by hand: zipfile would
    compress 16 × 250 MB again for each entry."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    entries = [(name, packed, zlib.crc32(data), len(data)) for name in names]
    for name, small in extra.items():
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = packer.compress(small) + packer.flush()
        entries.append((name, body, zlib.crc32(small), len(small)))
    central = bytearray()
    with path.open("wb") as out:
        for name, body, crc, size in entries:
            offset = out.tell()
            encoded = name.encode()
            fields = (20, 0, 8, 0, 0x21, crc, len(body), size, len(encoded), 0)
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded)
            out.write(body)
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset
            )
            central += encoded
        start = out.tell()
        out.write(central)
        out.write(
            struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                        start, 0)
        )  # fmt: skip
    return path


#: Runs the CLI, then writes as JSON its exit code and peak resident memory [bytes]: its own
#: (VmHWM) and that of its worker processes (``RUSAGE_CHILDREN``; a forked worker's figure
#: includes the pages it shares with this process, so it is an upper bound).
_CLI_CHILD = """
import json, resource, sys
report = sys.argv[1]
sys.argv = ["stridewise"] + sys.argv[2:]
def peaks():
    own = 0
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            own = int(line.split()[1]) * 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return own, workers
code = 0
try:
    from stridewise.cli import main
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
own, workers = peaks()
json.dump({"code": code, "own": own, "workers": workers}, open(report, "w"))
sys.exit(code)
"""


@dataclass
class ChildRun:
    code: int
    stdout: str
    stderr: str
    own_peak: int  # [bytes]
    workers_peak: int  # [bytes]

    @property
    def peak(self) -> int:
        return max(self.own_peak, self.workers_peak)

    def json(self) -> dict:
        return json.loads(self.stdout)


def run_cli(tmp_path: Path, *args: str, timeout: float = 120.0, prelude: str = "") -> ChildRun:
    """``stridewise ARGS`` in a child process (no profile), with its peak memory. ``prelude``
    is Python run first in the child (to shorten a timeout or plant a fault)."""
    report = tmp_path / f"child-{os.getpid()}-{len(list(tmp_path.glob('child-*')))}.json"
    env = {**os.environ, "STRIDEWISE_CONFIG": str(tmp_path / "absent.toml")}
    result = subprocess.run(
        [sys.executable, "-c", prelude + _CLI_CHILD, str(report), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if not report.exists():  # killed or crashed before it could report
        return ChildRun(result.returncode, result.stdout, result.stderr, 0, 0)
    figures = json.loads(report.read_text())
    return ChildRun(
        result.returncode, result.stdout, result.stderr, figures["own"], figures["workers"]
    )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
