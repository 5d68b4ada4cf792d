"""Peak memory of the command line over every hostile input of issue 11 (both rounds) stays under
1 GB, each measured in a child process of its own: its resident high-water mark (VmHWM) and that
of its worker processes (``RUSAGE_CHILDREN``), whichever is higher.

Round two found gigabytes spent on files that were skipped in the end: a 546 KB ``.gpx.gz`` of
bare trackpoints took 9.97 GB, a 249 MB GPX 6.55 GB, a 435 KB ``.tcx.gz`` 1.94 GB, a 160 MB zip
of 16 junk 250 MB ``.fit`` entries 2.46 GB, ``/dev/zero`` behind a ``.zip`` name 14.5 GB, and
``pain import /dev/zero`` 4.1 GB. Each input here is built in the test (big ones streamed to
disk a block at a time), imported beside a good file, and must end in a one-line refusal (or a
clean import) with the good file imported. Run with ``-s`` to see each figure.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hostile import (
    GPX_HEAD,
    GPX_TAIL,
    TCX_HEAD,
    TCX_TAIL,
    bare_points_gz,
    good_logs,
    gpx_run,
    iso,
    junk_bytes,
    nested,
    run_cli,
    utc,
    zip_of_copies,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: The bound the issue sets for any input [bytes].
PEAK_LIMIT = 2**30

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="peak memory from Linux /proc"),
]

START = utc(2024, 5, 4, 7)
TCX_OPEN = TCX_HEAD.format(start=iso(START), totals="")


def _gpx_gz_of_bare_points(folder: Path) -> Path:
    """546 KB on disk, 225 MB of ``<trkpt lat="0" lon="0"/>`` inside (9.97 GB before)."""
    return bare_points_gz(
        folder / "bare-points.gpx.gz", GPX_HEAD, '<trkpt lat="0" lon="0"/>', GPX_TAIL, 225 * 2**20
    )


def _tcx_gz_of_bare_points(folder: Path) -> Path:
    """A few hundred KB of ``<Trackpoint/>`` unpacking to 225 MB (1.94 GB before)."""
    return bare_points_gz(
        folder / "bare-points.tcx.gz", TCX_OPEN, "<Trackpoint/>", TCX_TAIL, 225 * 2**20
    )


def _gpx_of_249_mb(folder: Path, name: str = "249-mb.gpx", first_lat: float = 52.0) -> Path:
    """249 MB named .gpx, just under the 256 MB GPX cap (6.55 GB before): 25 MB of timed
    points, more than the point cap, then a sparse tail of zeros (no disk written for it)."""
    path = folder / name
    block = "".join(
        f'<trkpt lat="{first_lat + n * 1e-5:.6f}" lon="4.5"><ele>1.0</ele>'
        f"<time>{iso(START + timedelta(seconds=n))}</time></trkpt>"
        for n in range(10_000)
    ).encode()
    with path.open("wb") as out:
        out.write(GPX_HEAD.encode())
        for _ in range(26):
            out.write(block)
        out.truncate(249 * 2**20)
    return path


def _four_gpx_of_249_mb(folder: Path) -> Path:
    """A batch of four (with workers): each file's bytes were held until the batch ended, and
    a pool kept a pickled copy of the last one sent; six such files took 2 GB."""
    batch = folder / "four-249-mb"
    batch.mkdir()
    for number in range(4):
        _gpx_of_249_mb(batch, f"249-mb-{number}.gpx", first_lat=50.0 + number)
    good_logs(batch, 2, date(2023, 1, 1))
    return batch


def _gpx_gz_at_the_point_cap(folder: Path) -> Path:
    """The costliest file that is read, not refused: 249,990 timed, moving points."""
    path = folder / "at-the-point-cap.gpx.gz"
    count = 249_990
    with gzip.open(path, "wb", compresslevel=1) as packed:
        packed.write(GPX_HEAD.encode())
        for first in range(0, count, 10_000):
            packed.write(
                "".join(
                    f'<trkpt lat="{52 + n * 2e-5:.6f}" lon="4.5">'
                    f"<time>{iso(START + timedelta(seconds=n))}</time></trkpt>"
                    for n in range(first, min(first + 10_000, count))
                ).encode()
            )
        packed.write(GPX_TAIL.encode())
    return path


def _nested_gpx(folder: Path) -> Path:
    path = folder / "160000-nested-extensions.gpx"
    path.write_text(gpx_run(START, point_extra=f"<extensions>{nested(160_000)}</extensions>"))
    return path


def _nested_tcx(folder: Path) -> Path:
    path = folder / "160000-nested-extensions.tcx"
    point = f"<Trackpoint><Time>{iso(START)}</Time><Extensions>{nested(160_000)}</Extensions>"
    path.write_text(TCX_OPEN + point + "</Trackpoint>" + TCX_TAIL)
    return path


def _fixture(name: str) -> Callable[[Path], Path]:
    def copy(folder: Path) -> Path:
        return Path(shutil.copy(FIXTURES / name, folder / Path(name).name))

    copy.__doc__ = f"tests/fixtures/{name}"
    return copy


def _dev_zero_zip(folder: Path) -> Path:
    """``ln -s /dev/zero z.zip`` (14.5 GB after 124 s before)."""
    path = folder / "z.zip"
    path.symlink_to("/dev/zero")
    return path


def _junk_fit_zip(folder: Path) -> Path:
    """160 MB of zip: 16 entries of 250 MB of junk named .fit (2.46 GB before)."""
    names = [f"junk-{n:02d}.fit" for n in range(16)]
    return zip_of_copies(folder / "junk-fits.zip", names, junk_bytes(250 * 2**20), {})


def _two_million_rows(folder: Path) -> Path:
    path = folder / "2m-rows.csv"
    row = b"2024-05-04,5.0,0:30:00\n"
    with path.open("wb") as out:
        out.write(b"date,distance_km,duration\n")
        for _ in range(20):
            out.write(row * 100_000)
    return path


def _million_columns(folder: Path) -> Path:
    path = folder / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n")
    return path


def _random_gigabyte_fit(folder: Path) -> Path:
    """1 GB named .fit: random bytes up front, the rest sparse."""
    path = folder / "noise.fit"
    with path.open("wb") as handle:
        handle.write(random.Random(1).randbytes(2**20))
        handle.truncate(2**30)
    return path


def _zeros_fit_gz(folder: Path) -> Path:
    path = folder / "zeros.fit.gz"
    with gzip.open(path, "wb", compresslevel=1) as packed:
        for _ in range(65):
            packed.write(bytes(2**20))
    return path


def _zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.zip"
    zip_of_copies(path, ["bomb.fit"], bytes(64 * 2**20), {})
    return path


def _garmin_json_200000_deep(folder: Path) -> Path:
    from exports import GarminActivity, GarminExportSpec, Run, garmin_export_files, write_tree

    runs = [GarminActivity(Run(utc(2024, 5, 6 + n, 7), 1800, 5000.0), 100 + n) for n in range(3)]
    files = garmin_export_files(GarminExportSpec(runs))
    for name in files:
        if name.endswith("summarizedActivities.json"):
            files[name] = b"[" * 200_000 + b"]" * 200_000
    return write_tree(files, folder / "garmin-deep-json.zip", as_zip=True)


def _fifo(folder: Path) -> Path:
    path = folder / "x.fit"
    os.mkfifo(path)
    return path


#: Each hostile input: (id, builder). The builder writes the input into a folder and returns it.
IMPORTS: list[tuple[str, Callable[[Path], Path]]] = [
    ("gpx.gz of 225 MB of bare points", _gpx_gz_of_bare_points),
    ("tcx.gz of 225 MB of bare points", _tcx_gz_of_bare_points),
    ("249 MB GPX under the cap", _gpx_of_249_mb),
    ("four 249 MB GPX in a batch", _four_gpx_of_249_mb),
    ("gpx.gz at the point cap", _gpx_gz_at_the_point_cap),
    ("GPX nested 160,000 deep", _nested_gpx),
    ("TCX nested 160,000 deep", _nested_tcx),
    ("GPX billion laughs", _fixture("gpx/billion-laughs.gpx")),
    ("TCX billion laughs", _fixture("tcx/billion-laughs.tcx")),
    ("GPX external entity", _fixture("gpx/external-entity.gpx")),
    ("/dev/zero named z.zip", _dev_zero_zip),
    ("zip of 16 x 250 MB junk .fit", _junk_fit_zip),
    ("2 M-row CSV", _two_million_rows),
    ("million-column CSV", _million_columns),
    ("1 GB of random bytes named .fit", _random_gigabyte_fit),
    ("65 MB of zeros in a .fit.gz", _zeros_fit_gz),
    ("64 MB zip bomb", _zip_bomb),
    ("Garmin export JSON 200,000 deep", _garmin_json_200000_deep),
    ("FIFO named x.fit", _fifo),
]


@pytest.mark.parametrize(("case", "build"), IMPORTS, ids=[case for case, _ in IMPORTS])
def test_importing_a_hostile_input_stays_under_1_gb(tmp_path, case, build):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    hostile = build(inputs)
    (good,) = good_logs(tmp_path / "good", 1)
    child = run_cli(
        tmp_path,
        *("--db", str(tmp_path / "s.db"), "import", str(hostile), str(good)),
        *("--jobs", "2", "--json"),
        timeout=300,
    )
    print(
        f"{case}: exit {child.code}, peak {child.own_peak / 2**20:.0f} MB, "
        f"workers {child.workers_peak / 2**20:.0f} MB"
    )
    assert child.code in (0, 1), child.stderr[-3000:]
    assert "Traceback" not in child.stderr
    summary = child.json()
    assert summary["imported"] >= 1  # the good log at least
    for failure in summary["failed"]:
        assert "\n" not in failure["error"]
    assert child.peak < PEAK_LIMIT, f"{case}: {child.peak / 2**20:.0f} MB"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_pain_import_of_dev_zero_stays_under_1_gb(tmp_path):
    child = run_cli(tmp_path, "--db", str(tmp_path / "s.db"), "pain", "import", "/dev/zero")
    print(f"pain import /dev/zero: peak {child.own_peak / 2**20:.0f} MB")
    assert (child.code, child.stderr) == (1, "Error: zero: is a device, not a regular file\n")
    assert child.peak < PEAK_LIMIT
