"""Hostile GPX and TCX files against the streaming readers: each refused with one line naming the
file, in bounded time and memory, without a crash.

* 160,000 elements nested inside one trackpoint's ``<extensions>`` (gpxpy's deep copy crashed
  the process on it): refused while streaming, checked in a child process so that a crash
  cannot take pytest down with it;
* a small ``.gpx.gz`` (and ``.tcx.gz``) unpacking to 225 MB of bare trackpoints (gpxpy took
  9.97 GB to skip it): refused at the point cap while streaming, with the child's peak memory
  (VmHWM) under four times the file plus 100 MB above what it held before reading;
* a billion-laughs entity bomb: refused by the fast reader itself, in the same pass.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import bare_points_gz

from stridewise.errors import UnsafeFile
from stridewise.importers.gpx import read_gpx_fast
from stridewise.importers.tcx import read_tcx_fast
from stridewise.importers.xmlsafe import entities_refused_message
from stridewise.importers.xmlstream import (
    MAX_TRACK_POINTS,
    depth_refused_message,
    points_refused_message,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEEDS_PROC = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="peak memory from Linux /proc"
)

GPX_HEAD = (
    '<?xml version="1.0"?><gpx version="1.1" creator="t" '
    'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
)
TCX_HEAD = (
    '<?xml version="1.0"?><TrainingCenterDatabase '
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
    '<Activity Sport="Running"><Id>2024-05-04T07:00:00Z</Id><Lap><Track>'
)

#: Reads one file with ``read_activities`` in a fresh process and prints, as JSON, the outcome
#: and the peak memory above what the process held before reading (VmHWM - VmRSS, bytes).
_READ_IN_A_CHILD = """
import json, sys
from stridewise.errors import StridewiseError
from stridewise.pipeline import read_activities
import stridewise.importers.gpx, stridewise.importers.tcx, stridewise.pipeline.cleaning
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
before = status("VmRSS:")
try:
    outcome = {"activities": len(read_activities(sys.argv[1]))}
except StridewiseError as exc:
    outcome = {"error": type(exc).__name__, "message": str(exc)}
outcome.update(before=before, peak=status("VmHWM:"))
print(json.dumps(outcome))
"""


def _read_in_a_child(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _READ_IN_A_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    return json.loads(result.stdout)


# --- deep nesting ---------------------------------------------------------------------------


def _deeply_nested(head: str, point: str, tail: str, depth: int = 160_000) -> bytes:
    return (head + point.format(nested="<x>" * depth + "</x>" * depth) + tail).encode()


@NEEDS_PROC
@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "160000-nested-extensions.gpx",
            _deeply_nested(
                GPX_HEAD,
                '<trkpt lat="1" lon="2"><time>2024-05-04T07:00:00Z</time>'
                "<extensions>{nested}</extensions></trkpt>",
                "</trkseg></trk></gpx>",
            ),
        ),
        (
            "160000-nested-extensions.tcx",
            _deeply_nested(
                TCX_HEAD,
                "<Trackpoint><Time>2024-05-04T07:00:00Z</Time><Extensions>{nested}"
                "</Extensions></Trackpoint>",
                "</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
            ),
        ),
    ],
)
def test_160000_nested_extension_elements_are_refused_in_one_line(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    outcome = _read_in_a_child(path)
    assert outcome["error"] == "UnsafeFile"
    assert outcome["message"] == depth_refused_message(name)
    assert "\n" not in outcome["message"]


# --- huge files in small gzip files -----------------------------------------------------------


@NEEDS_PROC
@pytest.mark.parametrize(
    ("name", "head", "point", "tail"),
    [
        ("bare-points.gpx.gz", GPX_HEAD, '<trkpt lat="0" lon="0"/>', "</trkseg></trk></gpx>"),
        (
            "bare-points.tcx.gz",
            TCX_HEAD,
            "<Trackpoint/>",
            "</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
        ),
    ],
)
def test_225_mb_of_bare_trackpoints_in_a_small_gz_are_refused_in_bounded_memory(
    tmp_path: Path, name: str, head: str, point: str, tail: str
) -> None:
    path = tmp_path / name
    bare_points_gz(path, head, point, tail, size=225 * 2**20)
    size = path.stat().st_size
    assert size < 2 * 2**20  # a small file on disk
    outcome = _read_in_a_child(path)
    assert outcome["error"] == "UnsafeFile"
    assert outcome["message"] == points_refused_message(name)
    assert outcome["peak"] - outcome["before"] < 4 * size + 100 * 2**20, outcome


@NEEDS_PROC
def test_the_largest_accepted_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """Just under the point cap, every point timed and moving: the costliest file that is read
    rather than refused, as a small .gpx.gz."""
    path = tmp_path / "at-the-cap.gpx.gz"
    count = MAX_TRACK_POINTS - 10
    with gzip.open(path, "wb", compresslevel=9) as packed:
        packed.write(GPX_HEAD.encode())
        for start in range(0, count, 10_000):
            packed.write(
                "".join(
                    f'<trkpt lat="0" lon="{i * 2e-5:.5f}">'
                    f"<time>2024-05-0{1 + i // 86_400}T{i // 3600 % 24:02d}:"
                    f"{i // 60 % 60:02d}:{i % 60:02d}Z</time></trkpt>"
                    for i in range(start, min(start + 10_000, count))
                ).encode()
            )
        packed.write(b"</trkseg></trk></gpx>")
    outcome = _read_in_a_child(path)
    size = path.stat().st_size
    print(f"{size / 2**20:.1f} MB gz: {outcome}")
    assert outcome["peak"] - outcome["before"] < 4 * size + 100 * 2**20, outcome


# --- entities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reader"),
    [("gpx/billion-laughs.gpx", read_gpx_fast), ("tcx/billion-laughs.tcx", read_tcx_fast)],
)
def test_the_fast_readers_refuse_a_billion_laughs_in_their_own_pass(name: str, reader) -> None:
    with pytest.raises(UnsafeFile) as caught:
        reader((FIXTURES / name).read_bytes(), Path(name).name)
    assert str(caught.value) == entities_refused_message(Path(name).name)
