"""Over every real GPX and TCX file of the real-file corpus (tests/realdata.py), the distance an
import stores is the track's length in file order (issue 14, must-show 2): within 1 % of gpxpy's
2D length of the track as the file lists it. The files where a clock fault was reported are
listed with the reason; a file split into outings is compared without the steps across its gaps;
a TCX stores the device's own lap total (the laps matched the devices exactly), which is checked
against the laps instead. ``read_activities`` is the import's decode-and-clean path without the
store: a single file's stored distance is exactly its result."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import gpxpy
import gpxpy.geo
import pytest
from realdata import REAL

from stridewise.errors import SkippedFile, StridewiseError
from stridewise.pipeline import read_activities
from stridewise.pipeline.timing import SPLIT_GAP_S

FILES = sorted(
    [*REAL.glob("gpx/**/*.gpx"), *REAL.glob("tcx/**/*.tcx")] if REAL else []
)

#: Files whose stored distance is not their length in file order, with the fault reported.
REPORTED_FAULTS = {
    # a hand-made file whose times go back an hour: sorted by time, and said so
    "gpx/gpxpy/first_and_last_elevation.gpx": "points were out of time order",
    # 358 of 871 points have no time: left out of the activity, and said so
    "gpx/gpxpy/korita-zbevnica.gpx": "358 of 871 track points have no time",
}

_TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def _relative(path: Path) -> str:
    return path.relative_to(REAL).as_posix()


def _gpx_length_m(path: Path) -> float:
    """gpxpy's 2D length of every segment in file order, less the steps across gaps of
    ``SPLIT_GAP_S`` or more (the import stores what lies on either side as two outings)."""
    gpx = gpxpy.parse(path.read_text(encoding="utf-8-sig"))
    total = 0.0
    for track in gpx.tracks:
        for segment in track.segments:
            total += segment.length_2d()
            points = segment.points
            for before, after in zip(points, points[1:], strict=False):
                timed = before.time is not None and after.time is not None
                if timed and (after.time - before.time).total_seconds() >= SPLIT_GAP_S:
                    total -= gpxpy.geo.distance(
                        before.latitude, before.longitude, None,
                        after.latitude, after.longitude, None,
                    )  # fmt: skip
    return total


def _tcx_laps_m(path: Path) -> list[float | None]:
    """Each activity's sum of lap DistanceMeters, None when its laps give none."""
    root = ET.fromstring(path.read_bytes().lstrip())
    sums = []
    for activity in root.iter(f"{_TCX}Activity"):
        values = [
            float(lap.findtext(f"{_TCX}DistanceMeters"))
            for lap in activity.iter(f"{_TCX}Lap")
            if lap.findtext(f"{_TCX}DistanceMeters") is not None
        ]
        sums.append(sum(values) if values else None)
    return sums


@pytest.mark.skipif(not FILES, reason="no real files")
@pytest.mark.parametrize("path", FILES, ids=[_relative(p) for p in FILES])
def test_stored_distance_is_the_track_in_file_order(path: Path):
    relative = _relative(path)
    try:
        activities = read_activities(path)
    except SkippedFile:
        return  # routes and files without times: nothing is stored
    except StridewiseError:
        return  # broken XML: refused with its reason (tests/importers)
    warnings = [w for a in activities for w in a.warnings]
    if relative in REPORTED_FAULTS:
        assert any(w.startswith(REPORTED_FAULTS[relative]) or REPORTED_FAULTS[relative] in w
                   for w in warnings), warnings  # fmt: skip
        return
    if path.suffix == ".tcx":
        for activity, laps in zip(activities, _tcx_laps_m(path), strict=True):
            if laps is not None:
                assert activity.distance_m == pytest.approx(laps, abs=0.01)
        return
    stored = sum(a.distance_m or 0.0 for a in activities)
    assert stored == pytest.approx(_gpx_length_m(path), rel=0.01)


NRC_15_HOUR_GAP = "gpx/runpandas_nrc_history/2021-01-17_720bf570-d855-4303-87c2-74d85429e52d.gpx"


@pytest.mark.skipif(not FILES, reason="no real files")
def test_the_nrc_file_with_a_15_hour_gap_is_two_outings():
    path = REAL / NRC_15_HOUR_GAP
    first, second = read_activities(path)
    assert (first.start_utc.date().isoformat(), second.start_utc.date().isoformat()) == (
        "2021-01-17", "2021-01-18"
    )  # fmt: skip
    assert first.warnings[0] == (
        "the records have a gap of 15.0 hours (2 outings in one file); each is stored as an "
        "activity of its own, with its totals from its own records"
    )
