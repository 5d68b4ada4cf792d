"""TCX (Garmin Training Center XML): one Activity per ``<Activity>``, parsed safely.

* Safety and text quirks as for GPX (``xmlsafe``): entities refused, a byte-order mark or
  whitespace before ``<?xml`` (Strava) tolerated, broken XML is a ``CorruptFile``.
* Totals are the device's: ``timer_s`` = sum of lap ``TotalTimeSeconds``, ``distance_m`` = sum
  of lap ``DistanceMeters``, heart rate from the laps' averages (weighted by lap time) and
  maxima; each falls back to the trackpoints when the laps lack it. ``elapsed_s`` = last −
  first trackpoint time, never shorter than the timer (the timer includes the last second).
* Start: ``<Id>``, else the first lap's ``StartTime``, else the first trackpoint.
* Samples: ``Time``, ``Position``, ``AltitudeMeters``, ``DistanceMeters`` (else distance from
  positions), ``HeartRateBpm/Value``, ``Cadence`` and the ActivityExtension ``TPX`` values
  ``Speed``, ``RunCadence`` and ``Watts`` (matched by namespace URI, under any prefix). Each
  ``<Track>`` of a lap is a segment: a new one starts after a pause. Speed is the device's when
  written, else distance over time between trackpoints.
* Cadence: ``RunCadence`` (preferred) and running ``Cadence`` are strides/min and are doubled
  to steps/min, checked for plausibility as in GPX; biking ``Cadence`` is rpm, kept as is.
* Sport: ``Running`` -> running, ``Biking`` -> cycling, anything else -> generic.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from stridewise.errors import CorruptFile, SkippedFile
from stridewise.importers.track import (
    ascent_m,
    canonical_samples,
    clean_altitude,
    column_max,
    column_mean,
    derived_speed_mps,
    drop_duplicate_times,
    first_position,
    moving_cadence_mean,
    path_steps,
    running_cadence_spm,
    seconds_since_start,
    sort_by_time,
)
from stridewise.importers.xmlsafe import decode_xml, finite_float, iso_time, parse_xml, split_tag
from stridewise.limits import jump_speed_limit_mps
from stridewise.localtime import offset_at
from stridewise.model import Activity, empty_samples

_ACTIVITY_EXTENSION = re.compile(r"^https?://www\.garmin\.com/xmlschemas/ActivityExtension/v[12]$")
_EXTENSION_COLUMNS = {"Speed": "speed_mps", "RunCadence": "run_cadence", "Watts": "power_w"}
_SPORTS = {"running": "running", "biking": "cycling"}


def read_tcx(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read every activity of a TCX file.

    ``default_timezone`` (IANA name) gives the local offset when no position has a zone.
    Raises ``SkippedFile`` when the file holds no recorded activity (a course, a workout),
    ``UnsafeFile`` for XML entities and ``CorruptFile`` for text that is not TCX.
    """
    text = decode_xml(data, source_name)
    root = parse_xml(text, source_name)
    namespace, name = split_tag(root.tag)
    if name != "TrainingCenterDatabase":
        raise CorruptFile(
            f"{source_name}: not a TCX file (it starts with <{name}>, not <TrainingCenterDatabase>)"
        )
    tcx = _Names(f"{{{namespace}}}" if namespace else "")
    elements = list(root.iter(tcx.tag("Activity")))
    if not elements:
        raise SkippedFile(
            f"{source_name}: no activity in the file (a course or workout, not a recorded one)"
        )
    activities = [
        activity
        for element in elements
        if (activity := _read_activity(element, tcx, default_timezone)) is not None
    ]
    if not activities:
        raise SkippedFile(f"{source_name}: no activity has a start time or any data")
    return activities


@dataclass(frozen=True)
class _Names:
    """Tags in the document's TCX namespace."""

    prefix: str

    def tag(self, *path: str) -> str:
        return "/".join(self.prefix + part for part in path)


@dataclass
class _Lap:
    start: datetime | None
    timer_s: float | None
    distance_m: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None


@dataclass
class _Trackpoints:
    rows: list[dict[str, object]] = field(default_factory=list)
    untimed: int = 0
    naive_times: int = 0


def _read_activity(
    element: ET.Element, tcx: _Names, default_timezone: str | None
) -> Activity | None:
    warnings: list[str] = []
    laps = [_read_lap(lap, tcx) for lap in element.findall(tcx.tag("Lap"))]
    points = _read_trackpoints(element, tcx)
    sport = _SPORTS.get((element.get("Sport") or "").strip().lower(), "generic")
    samples = _samples(points, warnings, jump_speed_limit_mps(sport))
    start = _start(element, tcx, laps, samples)
    if start is None or (samples.empty and not laps):
        return None
    if sport == "running" and "cadence_spm" in samples:
        samples["cadence_spm"] = running_cadence_spm(samples["cadence_spm"], warnings)
    timer_s = _lap_sum(laps, "timer_s")
    elapsed_s = _elapsed_s(samples, laps, timer_s)
    lat, lon = first_position(samples)
    return Activity(
        sport=sport,
        start_utc=start,
        samples=canonical_samples(samples),
        utc_offset_s=offset_at(lat, lon, start, default_timezone),
        elapsed_s=elapsed_s,
        timer_s=timer_s if timer_s is not None else elapsed_s,
        distance_m=_distance_m(laps, samples),
        ascent_m=ascent_m(samples),
        avg_heart_rate_bpm=_lap_weighted_heart_rate(laps) or column_mean(samples, "heart_rate_bpm"),
        max_heart_rate_bpm=_lap_max_heart_rate(laps) or column_max(samples, "heart_rate_bpm"),
        avg_cadence_spm=moving_cadence_mean(samples),
        device=_text(element.find(tcx.tag("Creator", "Name"))),
        notes=_text(element.find(tcx.tag("Notes"))),
        warnings=warnings + _point_warnings(points),
    )


def _read_lap(lap: ET.Element, tcx: _Names) -> _Lap:
    def total(*path: str) -> float | None:
        value = finite_float(lap.findtext(tcx.tag(*path)))
        return value if value is not None and value >= 0 else None  # a negative total is junk

    return _Lap(
        start=iso_time(lap.get("StartTime"))[0],
        timer_s=total("TotalTimeSeconds"),
        distance_m=total("DistanceMeters"),
        avg_heart_rate_bpm=total("AverageHeartRateBpm", "Value"),
        max_heart_rate_bpm=total("MaximumHeartRateBpm", "Value"),
    )


def _read_trackpoints(element: ET.Element, tcx: _Names) -> _Trackpoints:
    points = _Trackpoints()
    segment = 0
    for track in element.iter(tcx.tag("Track")):
        segment += 1
        for trackpoint in track.findall(tcx.tag("Trackpoint")):
            when, naive = iso_time(trackpoint.findtext(tcx.tag("Time")))
            if when is None:
                points.untimed += 1
                continue
            points.naive_times += naive
            points.rows.append(_trackpoint_row(trackpoint, tcx, when, segment))
    return points


def _trackpoint_row(
    trackpoint: ET.Element, tcx: _Names, when: datetime, segment: int
) -> dict[str, object]:
    lat = finite_float(trackpoint.findtext(tcx.tag("Position", "LatitudeDegrees")))
    lon = finite_float(trackpoint.findtext(tcx.tag("Position", "LongitudeDegrees")))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    row: dict[str, object] = {
        "time": when,
        "segment": segment,
        "lat_deg": lat,
        "lon_deg": lon,
        "altitude_m": finite_float(trackpoint.findtext(tcx.tag("AltitudeMeters"))),
        "distance_m": finite_float(trackpoint.findtext(tcx.tag("DistanceMeters"))),
        "heart_rate_bpm": finite_float(trackpoint.findtext(tcx.tag("HeartRateBpm", "Value"))),
        "cadence_spm": finite_float(trackpoint.findtext(tcx.tag("Cadence"))),
    }
    extensions = trackpoint.find(tcx.tag("Extensions"))
    for child in extensions.iter() if extensions is not None else ():
        namespace, name = split_tag(child.tag)
        if _ACTIVITY_EXTENSION.match(namespace) and name in _EXTENSION_COLUMNS:
            row[_EXTENSION_COLUMNS[name]] = finite_float(child.text)
    run_cadence = row.pop("run_cadence", None)
    if run_cadence is not None:
        row["cadence_spm"] = run_cadence
    return row


def _samples(points: _Trackpoints, warnings: list[str], jump_speed_mps: float) -> pd.DataFrame:
    """Trackpoints as a sample frame (with a ``segment`` column); empty without trackpoints.

    A distance derived from positions leaves out GPS jumps faster than ``jump_speed_mps`` [m/s].
    """
    if not points.rows:
        return empty_samples()
    frame = pd.DataFrame(points.rows)
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame = sort_by_time(frame.set_index("time"), warnings)
    for column in frame.columns.drop("segment"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    seconds = seconds_since_start(frame.index)
    step_m, pause_before = path_steps(
        seconds,
        frame["lat_deg"].to_numpy(),
        frame["lon_deg"].to_numpy(),
        frame["segment"],
        jump_speed_mps,
    )
    if frame["distance_m"].isna().all() and frame["lat_deg"].notna().any():
        frame["distance_m"] = np.cumsum(step_m)
    if "speed_mps" not in frame or frame["speed_mps"].isna().all():
        distance_step = np.diff(frame["distance_m"].to_numpy(), prepend=np.nan)
        frame["speed_mps"] = derived_speed_mps(seconds, distance_step, pause_before)
    return clean_altitude(drop_duplicate_times(frame), warnings)


def _start(
    element: ET.Element, tcx: _Names, laps: list[_Lap], samples: pd.DataFrame
) -> datetime | None:
    start = iso_time(element.findtext(tcx.tag("Id")))[0]
    if start is None:
        start = next((lap.start for lap in laps if lap.start is not None), None)
    if start is None and not samples.empty:
        start = samples.index[0].to_pydatetime()
    return start


def _lap_sum(laps: list[_Lap], attribute: str) -> float | None:
    values = [getattr(lap, attribute) for lap in laps if getattr(lap, attribute) is not None]
    return float(sum(values)) if values else None


def _elapsed_s(samples: pd.DataFrame, laps: list[_Lap], timer_s: float | None) -> float | None:
    """Trackpoint span [s], else the laps' span; never shorter than the timer [s]."""
    if len(samples) >= 2:
        elapsed = (samples.index[-1] - samples.index[0]).total_seconds()
    else:
        timed = [(lap.start, lap.timer_s) for lap in laps if lap.start and lap.timer_s]
        if not timed:
            return timer_s
        end = max(start.timestamp() + seconds for start, seconds in timed)
        elapsed = end - min(start.timestamp() for start, _ in timed)
    return max(elapsed, timer_s or 0.0)


def _distance_m(laps: list[_Lap], samples: pd.DataFrame) -> float | None:
    lap_total = _lap_sum(laps, "distance_m")
    if lap_total is not None:
        return lap_total
    if "distance_m" in samples and samples["distance_m"].notna().any():
        return float(samples["distance_m"].max())
    return None


def _lap_weighted_heart_rate(laps: list[_Lap]) -> float | None:
    """Average heart rate [1/min] of the laps, weighted by lap time [s]."""
    timed = [(lap.avg_heart_rate_bpm, lap.timer_s) for lap in laps if lap.avg_heart_rate_bpm]
    if not timed or any(not seconds for _, seconds in timed):
        return None
    total_s = sum(seconds for _, seconds in timed)
    return sum(bpm * seconds for bpm, seconds in timed) / total_s


def _lap_max_heart_rate(laps: list[_Lap]) -> float | None:
    maxima = [lap.max_heart_rate_bpm for lap in laps if lap.max_heart_rate_bpm]
    return max(maxima) if maxima else None


def _point_warnings(points: _Trackpoints) -> list[str]:
    warnings = []
    if points.untimed:
        warnings.append(f"{points.untimed} trackpoints without a time were left out")
    if points.naive_times:
        warnings.append(
            f"{points.naive_times} trackpoint times carry no time zone; read as UTC "
            "(if the app wrote local time, the start is off by the UTC offset)"
        )
    return warnings


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None
