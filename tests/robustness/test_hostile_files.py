"""Hostile files, each refused quickly, with bounded memory and an exact message, end to end
through ``stridewise import --json``.

XML entity bombs and external entities (GPX, TCX), zip-slip entries, zip bombs, archives nested
too deep, symbolic links leading out of an imported folder, a 1-GB file of random bytes named
.fit, and a CSV with a million columns.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.errors import StridewiseError, UnsafeFile
from stridewise.pipeline import read_activities

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE_FIT = sorted((REPO / "data" / "samples" / "watch").glob("*.fit"))[0]

ENTITIES_REFUSED = "XML entities are not allowed (possible entity-expansion attack); refused"

#: Most a refused file may take to import [s] and its heap peak [bytes] (the CLI in process).
QUICK_S = 2.0
SMALL_HEAP = 32 * 2**20


def _import(tmp_path: Path, *paths: Path) -> tuple[dict, float, int]:
    """``stridewise import --json PATHS`` in process: (summary, seconds, heap peak [bytes]).

    A real FIT file is imported first into another database, so that the time and heap measured
    are the hostile file's, not those of loading the readers and the time-zone tables.
    """
    runner = CliRunner()
    warm = tmp_path / "warm-up"
    warm.mkdir(exist_ok=True)
    (warm / SAMPLE_FIT.name).write_bytes(SAMPLE_FIT.read_bytes())
    runner.invoke(cli, ["--db", str(warm / "warm.db"), "import", str(warm)])
    db = tmp_path / "stridewise.db"
    runner.invoke(cli, ["--db", str(db), "activities"])  # create the store: not measured
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = runner.invoke(cli, ["--db", str(db), "import", *map(str, paths), "--json"])
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Traceback" not in result.output
    return json.loads(result.stdout), seconds, peak


def _refused(tmp_path: Path, path: Path, heap: int = SMALL_HEAP) -> str:
    """The one error of importing ``path``, checked to be quick and within ``heap`` [bytes]."""
    summary, seconds, peak = _import(tmp_path, path)
    assert summary["imported"] == 0
    assert len(summary["failed"]) == 1, summary
    assert seconds < QUICK_S
    assert peak < heap
    return summary["failed"][0]["error"]


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


# --- XML entities --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture", ["gpx/billion-laughs.gpx", "gpx/external-entity.gpx", "tcx/billion-laughs.tcx"]
)
def test_xml_entity_bombs_and_external_entities_are_refused(tmp_path: Path, fixture: str) -> None:
    path = FIXTURES / fixture
    assert _refused(tmp_path, path) == f"{path.name}: {ENTITIES_REFUSED}"


def test_tcx_external_entity_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    path = tmp_path / "external-entity.tcx"
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>&secret;</Id>'
        "</Activity></Activities></TrainingCenterDatabase>"
    )
    assert _refused(tmp_path, path) == f"external-entity.tcx: {ENTITIES_REFUSED}"


def test_quadratic_blowup_entity_is_refused(tmp_path: Path) -> None:
    """One big entity referenced many times (no nesting: defeats naive depth limits)."""
    path = tmp_path / "quadratic.gpx"
    big = "x" * 50_000
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "{big}">]>'
        '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{'&a;' * 20_000}</name></trk></gpx>"
    )
    assert _refused(tmp_path, path) == f"quadratic.gpx: {ENTITIES_REFUSED}"


# --- archives ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("../../evil.fit", "climbs out of the archive with '..'"),
        ("runs/../../../evil.fit", "climbs out of the archive with '..'"),
        ("/etc/evil.fit", "has an absolute path"),
        ("C:\\Users\\evil.fit", "has an absolute path"),
    ],
)
def test_zip_slip_entries_are_refused(tmp_path: Path, entry: str, reason: str) -> None:
    path = tmp_path / "slip.zip"
    path.write_bytes(_zip([(entry, SAMPLE_FIT.read_bytes())]))
    assert _refused(tmp_path, path) == f"{path}: entry {entry!r} {reason}; refused"


def test_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip([("bomb.fit", bytes(64 * 2**20))]))  # 64 MB of zeros in 64 KB
    info = zipfile.ZipFile(path).getinfo("bomb.fit")
    ratio = info.file_size / info.compress_size
    assert _refused(tmp_path, path) == (
        f"{path}: entry bomb.fit would expand {ratio:.0f} times (to 64 MB); refused as a zip bomb"
    )


def _understated(entries: list[tuple[str, bytes]], declared: int) -> bytes:
    """A zip whose first entry declares ``declared`` bytes but holds more."""
    data = bytearray(_zip(entries))
    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, declared)
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, declared)
    return bytes(data)


def test_entry_holding_more_than_it_declares_is_refused(tmp_path: Path) -> None:
    fit = SAMPLE_FIT.read_bytes()
    path = tmp_path / "liar.zip"
    path.write_bytes(_understated([("a/run.fit", fit), ("a/second.fit", fit[:4000])], 1000))
    summary, seconds, peak = _import(tmp_path, path)
    assert summary["failed"] == [
        {
            "path": f"{path}/a/run.fit",
            "error": f"{path}/a/run.fit: holds more data than the archive declares; "
            "refused as a zip bomb",
        }
    ]
    assert summary["imported"] == 1  # the honest entry (the start of the same run) is kept
    assert seconds < QUICK_S
    assert peak < SMALL_HEAP


def test_one_activity_zip_understating_its_size_is_not_decompressed_past_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "liar.zip"
    path.write_bytes(_understated([("run.fit", SAMPLE_FIT.read_bytes())], 1000))
    assert _refused(tmp_path, path) == (
        "liar.zip: entry run.fit holds more data than the archive declares; refused as a zip bomb"
    )


def test_archives_nested_three_deep_are_refused(tmp_path: Path) -> None:
    deepest = _zip([("run.fit", SAMPLE_FIT.read_bytes())])
    path = tmp_path / "nested.zip"
    path.write_bytes(_zip([("middle.zip", _zip([("deepest.zip", deepest)]))]))
    assert _refused(tmp_path, path) == (
        f"{path}/middle.zip/deepest.zip: a zip inside a zip inside a zip; archives nested more "
        "than 2 deep are refused"
    )


# --- folders -------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symbolic_links_leading_out_of_the_folder_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.csv").write_text("date,distance_km,duration\n2025-01-02,5,0:30:00\n")
    (outside / "run.fit").write_bytes(SAMPLE_FIT.read_bytes())
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "log.csv").write_text("date,distance_km,duration\n2025-01-05,8,0:45:00\n")
    (folder / "private.csv").symlink_to(outside / "private.csv")
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    (folder / "same-log.csv").symlink_to(folder / "log.csv")  # inside: the same file, once
    summary, _, _ = _import(tmp_path, folder)
    assert summary["skipped"] == [
        {"path": str(folder / "private.csv"), "reason": "symbolic link pointing outside the folder"}
    ]
    assert (summary["imported"], summary["failed"]) == (1, [])


# --- size ----------------------------------------------------------------------------------------


def test_a_million_columns_csv_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n")
    # the file is read and decoded once each (about 9 MB apiece); the columns are never split
    error = _refused(tmp_path, path, heap=5 * path.stat().st_size)
    assert error == "wide.csv, row 1: 1,000,000 columns (at most 1,000); not a run log"


#: What importing.py / importers/__init__.py say about an oversized file: its size is checked
#: (stat) before it is read.
OVERSIZED = "noise.fit: 1024 MB is too large for a FIT file (at most 64 MB); refused"


#: Runs the CLI and writes its own peak resident memory (VmHWM, kB) to argv[1] on exit. Not the
#: child's rusage: on Linux a child's ru_maxrss includes the parent's memory at fork time (a
#: large pytest process), and it survives exec; VmHWM belongs to the new program's memory map.
_CLI_WITH_PEAK_MEMORY = """
import atexit, sys
def peak(path=sys.argv[1]):
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(path, "w").write(line.split()[1])
atexit.register(peak)
sys.argv = ["stridewise"] + sys.argv[2:]
from stridewise.cli import main
main()
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_1_gb_file_of_random_bytes_named_fit_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "noise.fit"
    with path.open("wb") as handle:  # random bytes up front, the rest sparse: no 1 GB on disk
        handle.write(random.Random(1).randbytes(2**20))
        handle.truncate(2**30)
    env = {**os.environ, "STRIDEWISE_CONFIG": str(tmp_path / "absent.toml")}
    peak_file = tmp_path / "peak-kb"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _CLI_WITH_PEAK_MEMORY, str(peak_file)]
        + ["--db", str(tmp_path / "s.db"), "import", str(path), "--json"],
        stdout=subprocess.PIPE,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    summary = json.loads(result.stdout)
    assert summary["failed"] == [{"path": str(path), "error": OVERSIZED}]
    assert seconds < 5.0
    assert int(peak_file.read_text()) * 1024 < 400 * 2**20


def test_read_activities_refuses_an_oversized_file_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "noise.fit"
    with path.open("wb") as handle:
        handle.truncate(2**30)
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFile) as refused:
            read_activities(path)
        peak = tracemalloc.get_traced_memory()[1]
    except BaseException as exc:
        raise AssertionError(f"not refused as unsafe: {exc}") from None
    finally:
        tracemalloc.stop()
    assert str(refused.value) == OVERSIZED
    assert peak < SMALL_HEAP


def test_each_format_has_its_own_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.gpx"
    with path.open("wb") as handle:  # sparse: nothing written
        handle.truncate(300 * 2**20)
    with pytest.raises(UnsafeFile) as refused:
        read_activities(path)
    assert str(refused.value) == (
        "big.gpx: 300 MB is too large for a GPX file (at most 256 MB); refused"
    )
    path.unlink()
    with path.open("wb") as handle:
        handle.truncate(65 * 2**20)  # over a FIT's cap, not a GPX's: read, and found no GPX
    with pytest.raises(StridewiseError) as unreadable:
        read_activities(path)
    assert not isinstance(unreadable.value, UnsafeFile)


def test_a_gz_file_unpacking_past_its_formats_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zeros.fit.gz"
    path.write_bytes(gzip.compress(bytes(65 * 2**20)))  # 65 MB of zeros in 64 kB
    with pytest.raises(UnsafeFile) as refused:
        read_activities(path)
    assert str(refused.value) == "zeros.fit.gz: decompresses to more than 64 MB; refused"
