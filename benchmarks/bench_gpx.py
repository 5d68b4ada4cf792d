"""GPX and TCX reading: the streaming readers against the tree readers they replaced.

Generates a 10-hour 1 Hz run as GPX (TrackPointExtension heart rate and cadence, the way Garmin
Connect writes it) and as TCX, and measures in one process (best of a few runs):

* the floor: a bare lxml ``iterparse`` walk over the points (when lxml is importable; it is not
  a dependency, so give its folder with --lxml-path);
* gpxpy alone (``gpxpy.parse``);
* the reference readers (``read_gpx_reference``: defusedxml, then gpxpy; ``read_tcx_reference``);
* the fast readers (``read_gpx_fast``, ``read_tcx_fast``);

then every real GPX file of the real device files (tests/realdata.py) as a folder, the peak
memory of reading the 10-hour GPX with each reader in a fresh process (VmHWM above the memory
before reading), and a 1-hour GPX imported by ``stridewise import`` as a whole process
(``processes.py``).

    python benchmarks/bench_gpx.py [--lxml-path DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
import processes  # noqa: E402  (beside this script)
from processes import Figures, Spread, load_average, stridewise  # noqa: E402
from realdata import REAL  # noqa: E402  (the tests' real-file finder)

REAL_GPX = REAL / "gpx" if REAL else REPO / "no-real-files"
GPX_NS = "http://www.topografix.com/GPX/1/1"
TPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def _track(seconds: int) -> list[tuple[str, float, float, float, int, int]]:
    """(time, lat, lon, elevation, heart rate, cadence) of a run at about 3 m/s."""
    start = datetime(2024, 5, 4, 6, 0, tzinfo=UTC)
    lat, lon, points = 52.0, 13.0, []
    for i in range(seconds):
        lat += 3.0 / 111_195 * math.cos(i / 900)
        lon += 3.0 / 68_460 * math.sin(i / 900)
        when = (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        points.append((when, lat, lon, 50 + 20 * math.sin(i / 600), 130 + i % 30, 85 + i % 5))
    return points


def gpx_10h(seconds: int = 36_000) -> bytes:
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="Garmin Connect" version="1.1" '
        f'xmlns="{GPX_NS}" xmlns:ns3="{TPX_NS}">\n  <trk>\n    <name>Long Run</name>\n'
        "    <type>running</type>\n    <trkseg>\n"
    ]
    for when, lat, lon, ele, hr, cad in _track(seconds):
        parts.append(
            f'      <trkpt lat="{lat:.10f}" lon="{lon:.10f}">\n        <ele>{ele:.1f}</ele>\n'
            f"        <time>{when}</time>\n        <extensions>\n"
            f"          <ns3:TrackPointExtension>\n            <ns3:hr>{hr}</ns3:hr>\n"
            f"            <ns3:cad>{cad}</ns3:cad>\n          </ns3:TrackPointExtension>\n"
            "        </extensions>\n      </trkpt>\n"
        )
    parts.append("    </trkseg>\n  </trk>\n</gpx>\n")
    return "".join(parts).encode()


def tcx_10h(seconds: int = 36_000) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns='
        '"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3='
        '"http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n <Activities>\n'
        '  <Activity Sport="Running">\n   <Id>2024-05-04T06:00:00.000Z</Id>\n'
        '   <Lap StartTime="2024-05-04T06:00:00.000Z">\n'
        f"    <TotalTimeSeconds>{seconds}</TotalTimeSeconds>\n    <Track>\n"
    ]
    distance = 0.0
    for when, lat, lon, ele, hr, cad in _track(seconds):
        distance += 3.0
        parts.append(
            f"     <Trackpoint>\n      <Time>{when}</Time>\n      <Position>\n"
            f"       <LatitudeDegrees>{lat:.10f}</LatitudeDegrees>\n"
            f"       <LongitudeDegrees>{lon:.10f}</LongitudeDegrees>\n      </Position>\n"
            f"      <AltitudeMeters>{ele:.1f}</AltitudeMeters>\n"
            f"      <DistanceMeters>{distance:.1f}</DistanceMeters>\n"
            f"      <HeartRateBpm><Value>{hr}</Value></HeartRateBpm>\n"
            "      <Extensions><ns3:TPX><ns3:Speed>3.0</ns3:Speed>"
            f"<ns3:RunCadence>{cad}</ns3:RunCadence></ns3:TPX></Extensions>\n"
            "     </Trackpoint>\n"
        )
    parts.append(
        "    </Track>\n   </Lap>\n  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n"
    )
    return "".join(parts).encode()


def lxml_walk(data: bytes) -> int:
    """The floor: every point's position, time and heart rate, elements cleared behind."""
    from lxml import etree

    points = 0
    ns, tpx = f"{{{GPX_NS}}}", f"{{{TPX_NS}}}"
    for _, element in etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=ns + "trkpt",
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
    ):
        element.get("lat"), element.get("lon"), element.findtext(ns + "time")
        element.findtext(f"{ns}extensions/{tpx}TrackPointExtension/{tpx}hr")
        points += 1
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del element.getparent()[0]
    return points


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


_PEAK = """
import sys
from stridewise.importers import gpx
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
data = open(sys.argv[2], "rb").read()
before = status("VmRSS:")
getattr(gpx, sys.argv[1])(data, "run.gpx", None)
print((status("VmHWM:") - before) / 2**20)
"""


def peak_mb(reader: str, path: Path) -> float:
    env = {"PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, reader, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, **env},
    )
    return float(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lxml-path", help="a folder holding lxml (it is not a dependency)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.lxml_path:
        sys.path.insert(0, args.lxml_path)
    sys.path.insert(0, str(REPO / "src"))
    import gpxpy

    from stridewise.importers.gpx import read_gpx_fast, read_gpx_reference
    from stridewise.importers.tcx import read_tcx_fast, read_tcx_reference

    gpx, tcx = gpx_10h(), tcx_10h()
    print(f"10-hour 1 Hz run: GPX {len(gpx) / 2**20:.1f} MB, TCX {len(tcx) / 2**20:.1f} MB")
    fast_s = best(lambda: read_gpx_fast(gpx, "run.gpx"), args.repeat)
    reference_s = best(lambda: read_gpx_reference(gpx, "run.gpx"), max(1, args.repeat // 2))
    gpxpy_s = best(lambda: gpxpy.parse(gpx.decode()), max(1, args.repeat // 2))
    try:
        floor_s = best(lambda: lxml_walk(gpx), args.repeat)
    except ImportError:
        floor_s = math.nan
    print(f"  bare lxml point walk (floor)  {floor_s:7.3f} s")
    print(f"  gpxpy.parse alone             {gpxpy_s:7.3f} s")
    print(f"  reference read_gpx (gpxpy)    {reference_s:7.3f} s")
    print(f"  fast read_gpx                 {fast_s:7.3f} s")
    print(f"  fast / floor {fast_s / floor_s:.2f}x; reference / fast {reference_s / fast_s:.1f}x")
    tcx_fast = best(lambda: read_tcx_fast(tcx, "run.tcx"), args.repeat)
    tcx_reference = best(lambda: read_tcx_reference(tcx, "run.tcx"), max(1, args.repeat // 2))
    print(
        f"  TCX: reference {tcx_reference:.3f} s, fast {tcx_fast:.3f} s, "
        f"{tcx_reference / tcx_fast:.1f}x"
    )

    files = sorted(REAL_GPX.rglob("*.gpx")) if REAL_GPX.is_dir() else []
    if files:
        payloads = [(path.name, path.read_bytes()) for path in files]

        def folder(reader: Callable[..., object]) -> None:
            for name, data in payloads:
                with contextlib.suppress(Exception):  # skipped routes count as read
                    reader(data, name)

        fast_folder = best(lambda: folder(read_gpx_fast), args.repeat)
        reference_folder = best(lambda: folder(read_gpx_reference), 1)
        print(
            f"{len(files)} real GPX files: reference {reference_folder:.2f} s, fast "
            f"{fast_folder:.2f} s, {reference_folder / fast_folder:.1f}x"
        )

    if Path("/proc/self/status").exists():
        with tempfile.TemporaryDirectory() as folder_name:
            path = Path(folder_name) / "run.gpx"
            path.write_bytes(gpx)
            print(
                "peak memory reading the 10-hour GPX (above the process before reading): "
                f"reference {peak_mb('read_gpx_reference', path):.0f} MB, "
                f"fast {peak_mb('read_gpx_fast', path):.0f} MB"
            )
    import_runs = import_as_process(gpx_10h(3_600), args.repeat * 3)
    print(
        "one 1-hour GPX imported as a process (stridewise -q --db NEW import FILE), "
        f"{len(import_runs)} runs: wall {Spread.of([r.wall_s for r in import_runs]).text()} s, "
        f"process time {Spread.of([r.cpu_s for r in import_runs]).text()} s, "
        f"peak RSS {Spread.of([r.peak_rss_mib for r in import_runs]).text(digits=0)} MiB; "
        f"{load_average()}"
    )
    print(json.dumps({"fast_s": fast_s, "reference_s": reference_s, "floor_s": floor_s}))


def import_as_process(data: bytes, runs: int) -> list[Figures]:
    """``stridewise import`` of one GPX file into a new database, as a whole process: once
    untimed (bytecode cached), then ``runs`` times."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        path = folder / "run.gpx"
        path.write_bytes(data)

        def once(number: int) -> Figures:
            return processes.run(stridewise("-q", "--db", str(folder / f"{number}.db"), "import",
                                            str(path)))  # fmt: skip

        once(-1)
        return [once(number) for number in range(runs)]


if __name__ == "__main__":
    main()
