"""TCX (Garmin Training Center XML): one Activity per ``<Activity>``, read in one streaming pass.

Two readers give the same Activities, as for GPX (``xmlstream.read_with_chosen_reader``,
``$STRIDEWISE_GPX_READER``): the fast reader (``read_tcx_fast``) streams the file once through
expat (``xmlstream``: entities and deep nesting refused in that pass) and keeps the values the
tree reader would find; the reference reader (``read_tcx_reference``) builds an ElementTree and
reads it with ``find``. Both hand the same parts (``_Parts``) to one mapping.

* Safety and text quirks as for GPX (``xmlsafe``): entities refused, a byte-order mark or
  whitespace before ``<?xml`` (Strava) tolerated, broken XML is a ``CorruptFile``.
* Totals are the device's: ``timer_s`` = sum of lap ``TotalTimeSeconds``, ``distance_m`` = sum
  of lap ``DistanceMeters``, heart rate from the laps' averages (weighted by lap time) and
  maxima; each falls back to the trackpoints when the laps lack it. ``elapsed_s`` = last −
  first trackpoint time, never shorter than the timer (the timer includes the last second).
* Start: ``<Id>``, else the first lap's ``StartTime``, else the first trackpoint.
* An activity without timed trackpoints is kept as a summary (laps' totals, no records) when a
  lap has a time or distance; without either it holds nothing and is left out (a file of such
  activities only is skipped, with the count of trackpoints that had no time).
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

import math
import re
import xml.etree.ElementTree as ET
from array import array
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from stridewise.errors import CorruptFile, SkippedFile, UnsafeFile
from stridewise.importers.track import (
    TrackPoints,
    cadence_factor,
    column_max,
    column_mean,
    derived_speed_mps,
    moving_cadence_mean,
    path_steps,
    points_of_rows,
)
from stridewise.importers.xmlsafe import decode_xml, finite_float, iso_time, parse_xml, split_tag
from stridewise.importers.xmlstream import (
    MAX_DEPTH,
    MAX_TRACK_POINTS,
    FastReaderDeclined,
    XmlSource,
    depth_refused_message,
    points_refused_message,
    read_with_chosen_reader,
    stream_xml,
    utc_microseconds,
)
from stridewise.limits import jump_speed_limit_mps
from stridewise.localtime import offset_at
from stridewise.model import Activity

_ACTIVITY_EXTENSION = re.compile(r"^https?://www\.garmin\.com/xmlschemas/ActivityExtension/v[12]$")
_EXTENSION_COLUMNS = {"Speed": "speed_mps", "RunCadence": "run_cadence", "Watts": "power_w"}
_SPORTS = {"running": "running", "biking": "cycling"}


def read_tcx(
    data: XmlSource, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read every activity of a TCX file.

    ``data`` is the file's bytes or a binary stream (a ``gzip.GzipFile``, read once a chunk at a
    time). ``default_timezone`` (IANA name) gives the local offset when no position has a zone.
    Raises ``SkippedFile`` when the file holds no recorded activity (a course, a workout),
    ``UnsafeFile`` for XML entities, deep nesting and too many points, and ``CorruptFile`` for
    text that is not TCX. ``$STRIDEWISE_GPX_READER`` chooses the reader; each activity's
    ``decoder`` says which: "fast", "elementtree" or "elementtree-fallback: <reason>".
    """
    return read_with_chosen_reader(
        data,
        source_name,
        fast=read_tcx_fast,
        reference=read_tcx_reference,
        reference_name="elementtree",
        default_timezone=default_timezone,
    )


def read_tcx_reference(
    data: bytes, source_name: str, default_timezone: str | None = None
) -> list[Activity]:
    """``read_tcx`` with an ElementTree of the whole file (defusedxml)."""
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
    parts = [_parts_of(element, tcx) for element in elements]
    return _activities(parts, source_name, default_timezone)


def _activities(
    parts: list[_Parts], source_name: str, default_timezone: str | None
) -> list[Activity]:
    activities = [
        activity
        for activity_parts in parts
        if (activity := _read_activity(activity_parts, default_timezone)) is not None
    ]
    if not activities:
        untimed = sum(activity_parts.points.untimed for activity_parts in parts)
        if untimed:
            raise SkippedFile(
                f"{source_name}: none of its {untimed} trackpoints has a time and no lap has a "
                "time or distance; nothing to import"
            )
        raise SkippedFile(f"{source_name}: no activity has a start time or any data")
    return activities


def _has_totals(laps: list[_Lap]) -> bool:
    """Whether a lap holds what a summary-only activity needs: a time or a distance."""
    return any(lap.timer_s or lap.distance_m for lap in laps)


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

    def track(self) -> TrackPoints | None:
        """The timed trackpoints as a track (unsorted); None without any."""
        return points_of_rows(self.rows) if self.rows else None


@dataclass
class _Parts:
    """What an ``<Activity>`` holds, as either reader finds it."""

    sport: str | None  # the Sport attribute
    id_text: str | None
    laps: list[_Lap]
    points: Any  # _Trackpoints or _PointColumns: .track(), .untimed, .naive_times
    device: str | None
    notes: str | None


def _parts_of(element: ET.Element, tcx: _Names) -> _Parts:
    return _Parts(
        sport=element.get("Sport"),
        id_text=element.findtext(tcx.tag("Id")),
        laps=[_read_lap(lap, tcx) for lap in element.findall(tcx.tag("Lap"))],
        points=_read_trackpoints(element, tcx),
        device=_text(element.find(tcx.tag("Creator", "Name"))),
        notes=_text(element.find(tcx.tag("Notes"))),
    )


def _read_activity(parts: _Parts, default_timezone: str | None) -> Activity | None:
    warnings: list[str] = []
    laps, points = parts.laps, parts.points
    sport = _SPORTS.get((parts.sport or "").strip().lower(), "generic")
    samples = _samples(points.track(), warnings, jump_speed_limit_mps(sport))
    start = _start(parts.id_text, laps, samples)
    if start is None or (not len(samples) and not _has_totals(laps)):
        return None  # nothing recorded: no timed trackpoint and no lap time or distance
    if sport == "running" and "cadence_spm" in samples.columns:
        cadence = samples.columns["cadence_spm"]
        samples = samples.with_columns(cadence_spm=cadence * cadence_factor(cadence, warnings))
    timer_s = _lap_sum(laps, "timer_s")
    elapsed_s = _elapsed_s(samples, laps, timer_s)
    table = samples.sample_table()
    lat, lon = table.first_position() or (None, None)
    return Activity(
        sport=sport,
        start_utc=start,
        table=table,
        utc_offset_s=offset_at(lat, lon, start, default_timezone),
        elapsed_s=elapsed_s,
        timer_s=timer_s if timer_s is not None else elapsed_s,
        distance_m=_distance_m(laps, samples),
        ascent_m=samples.ascent_m(),
        avg_heart_rate_bpm=_lap_weighted_heart_rate(laps) or column_mean(table, "heart_rate_bpm"),
        max_heart_rate_bpm=_lap_max_heart_rate(laps) or column_max(table, "heart_rate_bpm"),
        avg_cadence_spm=moving_cadence_mean(table),
        device=parts.device,
        notes=parts.notes,
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


def _samples(track: TrackPoints | None, warnings: list[str], jump_speed_mps: float) -> TrackPoints:
    """Trackpoints in time order, one per time, with distance and speed; empty without any.

    A distance derived from positions leaves out GPS jumps faster than ``jump_speed_mps`` [m/s].
    """
    if track is None:
        return TrackPoints.empty()
    track = track.in_time_order(warnings)
    seconds = track.seconds()
    columns = track.columns
    step_m, pause_before = path_steps(
        seconds, columns["lat_deg"], columns["lon_deg"], columns["segment"], jump_speed_mps
    )
    if np.isnan(columns["distance_m"]).all() and not np.isnan(columns["lat_deg"]).all():
        track = track.with_columns(distance_m=np.cumsum(step_m))
    if "speed_mps" not in track.columns or np.isnan(track.columns["speed_mps"]).all():
        distance_step = np.diff(track.columns["distance_m"], prepend=np.nan)
        track = track.with_columns(
            speed_mps=derived_speed_mps(seconds, distance_step, pause_before)
        )
    return track.without_duplicate_times().with_plausible_altitude(warnings)


def _start(id_text: str | None, laps: list[_Lap], samples: TrackPoints) -> datetime | None:
    start = iso_time(id_text)[0]
    if start is None:
        start = next((lap.start for lap in laps if lap.start is not None), None)
    if start is None and len(samples):
        start = samples.start()
    return start


def _lap_sum(laps: list[_Lap], attribute: str) -> float | None:
    values = [getattr(lap, attribute) for lap in laps if getattr(lap, attribute) is not None]
    return float(sum(values)) if values else None


def _elapsed_s(samples: TrackPoints, laps: list[_Lap], timer_s: float | None) -> float | None:
    """Trackpoint span [s], else the laps' span; never shorter than the timer [s]."""
    if len(samples) >= 2:
        elapsed = float(samples.seconds()[-1])
    else:
        timed = [(lap.start, lap.timer_s) for lap in laps if lap.start and lap.timer_s]
        if not timed:
            return timer_s
        end = max(start.timestamp() + seconds for start, seconds in timed)
        elapsed = end - min(start.timestamp() for start, _ in timed)
    return max(elapsed, timer_s or 0.0)


def _distance_m(laps: list[_Lap], samples: TrackPoints) -> float | None:
    lap_total = _lap_sum(laps, "distance_m")
    if lap_total is not None:
        return lap_total
    distance = samples.columns.get("distance_m")
    if distance is not None and not np.isnan(distance).all():
        return float(np.nanmax(distance))
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


def _point_warnings(points: Any) -> list[str]:
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


# --- the fast reader: one streaming pass ---------------------------------------------------------


def read_tcx_fast(
    data: XmlSource, source_name: str, default_timezone: str | None = None
) -> list[Activity]:
    """``read_tcx`` in one streaming pass (``xmlstream``): the same Activities as the reference.

    Raises ``FastReaderDeclined`` for an ``<Activity>`` or ``<Track>`` inside another (the tree
    reader's order of points would differ), once the whole file passed the safety checks.
    """
    stream = _TcxStream(source_name)
    stream_xml(data, source_name, stream)
    return stream.finish(default_timezone)


#: Element kinds while streaming.
(
    _OUTSIDE,  # not in an activity: an <Activity> may still come, at any depth
    _ACTIVITY,
    _IN_ACTIVITY,  # any other element of an activity: a <Track> may still come
    _LAP,
    _LAP_HEART_RATE,
    _CREATOR,
    _TRACK,
    _POINT,
    _POSITION,
    _HEART_RATE,
    _EXTENSIONS,
    _TEXT,
) = range(12)

#: Points whose time texts are kept before they are converted together [points].
_BATCH = 8192


def _fromisoformat(text: str) -> datetime | None:
    """``iso_time``'s reading, with a naive time left naive (``utc_microseconds`` flags it)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


class _PointColumns:
    """The timed trackpoints of one activity as they stream by, as growing arrays."""

    NAMES = ("lat_deg", "lon_deg", "altitude_m", "distance_m", "heart_rate_bpm", "cadence_spm")

    def __init__(self) -> None:
        self.count = 0
        self.segment = array("q")
        self.values = {name: array("d") for name in (*self.NAMES, "speed_mps", "power_w")}
        self.times: list[str | None] = []
        self.micros = array("q")
        self.naive = array("b")
        self.readable = array("b")
        self.untimed = 0
        self.naive_times = 0

    def add(self, segment: int, time: str | None, row: dict[str, str | None]) -> None:
        values = self.values
        lat = finite_float(row.get("lat"))
        lon = finite_float(row.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            lat = lon = None
        values["lat_deg"].append(math.nan if lat is None else lat)
        values["lon_deg"].append(math.nan if lon is None else lon)
        for name, key in (
            ("altitude_m", "altitude"),
            ("distance_m", "distance"),
            ("heart_rate_bpm", "hr"),
        ):
            value = finite_float(row.get(key))
            values[name].append(math.nan if value is None else value)
        cadence = finite_float(row.get("RunCadence")) if "RunCadence" in row else None
        if cadence is None:
            cadence = finite_float(row.get("cadence"))
        values["cadence_spm"].append(math.nan if cadence is None else cadence)
        for name, key in (("speed_mps", "Speed"), ("power_w", "Watts")):
            value = finite_float(row.get(key))
            values[name].append(math.nan if value is None else value)
        self.segment.append(segment)
        self.count += 1
        self.times.append(time)
        if len(self.times) >= _BATCH:
            self._convert_times()

    def _convert_times(self) -> None:
        micros, naive, readable = utc_microseconds(self.times, _fromisoformat)
        self.micros.extend(micros.tolist())
        self.naive.extend(naive.astype(np.int8).tolist())
        self.readable.extend(readable.astype(np.int8).tolist())
        self.times = []

    def finish(self) -> None:
        """Convert the last times and count the trackpoints without a readable time."""
        self._convert_times()
        readable = np.frombuffer(self.readable, dtype=np.int8).astype(bool)
        naive = np.frombuffer(self.naive, dtype=np.int8).astype(bool)
        self.untimed = int(self.count - readable.sum())
        self.naive_times = int((naive & readable).sum())
        self.kept = readable

    def track(self) -> TrackPoints | None:
        """The timed trackpoints as the reference's track (unsorted); None without any."""
        keep = self.kept
        if not keep.any():
            return None
        micros = np.frombuffer(self.micros, dtype=np.int64)[keep]
        columns: dict[str, np.ndarray] = {
            "segment": np.frombuffer(self.segment, dtype=np.int64)[keep]
        }
        for name, values in self.values.items():
            kept = np.frombuffer(values, dtype=float)[keep]
            if name in self.NAMES or not np.isnan(kept).all():
                columns[name] = kept
        return TrackPoints(micros, columns)


class _TcxStream:
    """Expat callbacks for one TCX file: the values ``_parts_of`` finds in a tree, as columns.

    An element counts by its full name (namespace of the root, as the tree reader matches
    them); ``find``'s rules are kept: the first child of a name, ``a/b`` the first ``b`` under
    any ``a``, a trackpoint's ``Extensions`` values the last of each name.
    """

    def __init__(self, source_name: str) -> None:
        self.name = source_name
        self.parser: Any = None
        self.kinds: list[int] = []
        self.buffer: list[str] = []
        self.text = self.buffer.append
        self.wanted: dict[str, str | None] | None = None  # where the open element's text goes
        self.wanted_key = ""
        self.root = ""
        self.tags: dict[str, str] = {}  # full name -> TCX name, for the root's namespace
        self.parts: list[_Parts] = []
        self.activity: dict[str, str | None] = {}
        self.activity_firsts: set[str] = set()
        self.laps: list[_Lap] = []
        self.lap: dict[str, str | None] = {}
        self.points = _PointColumns()
        self.in_activity = False
        self.in_track = False
        self.segment = 0
        self.point: dict[str, str | None] = {}
        self.extensions_met = False
        self.declined: str | None = None

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if self.wanted is not None:
            self._take_text()
        self.buffer.clear()
        kinds = self.kinds
        if len(kinds) >= MAX_DEPTH:
            raise UnsafeFile(depth_refused_message(self.name))
        if not kinds:
            self._start_root(name)
            return
        parent = kinds[-1]
        tag = self.tags.get(name, "")
        if tag == "Activity":
            kinds.append(self._start_activity(attributes))
        elif tag == "Track" and self.in_activity:
            kinds.append(self._start_track())
        elif parent == _OUTSIDE:
            kinds.append(_OUTSIDE)
        elif parent == _POINT:
            kinds.append(self._point_child(tag))
        elif parent in (_POSITION, _HEART_RATE):
            key = {"LatitudeDegrees": "lat", "LongitudeDegrees": "lon", "Value": "hr"}.get(tag)
            if (tag == "Value") == (parent == _HEART_RATE) and key and key not in self.point:
                kinds.append(self._want(self.point, key))
            else:
                kinds.append(_IN_ACTIVITY)
        elif parent == _EXTENSIONS:
            kinds.append(_EXTENSIONS)
            namespace, _, local = name.partition("}")
            if local in _EXTENSION_COLUMNS and _ACTIVITY_EXTENSION.match(namespace):
                self.wanted, self.wanted_key = self.point, local  # the last one wins
        elif parent == _TRACK:
            kinds.append(self._start_point() if tag == "Trackpoint" else _IN_ACTIVITY)
        else:
            kinds.append(self._activity_child(parent, tag, attributes))

    def end(self, name: str) -> None:
        if self.wanted is not None:
            self._take_text()
        self.buffer.clear()
        kind = self.kinds.pop()
        if kind == _POINT:
            time = self.point.pop("time", None)
            self.points.add(self.segment, time.strip() if time else None, self.point)
        elif kind == _TRACK:
            self.in_track = False
        elif kind == _LAP:
            self.laps.append(_lap_of(self.lap))
        elif kind == _ACTIVITY:
            self._end_activity()

    def _take_text(self) -> None:
        self.wanted[self.wanted_key] = "".join(self.buffer) if self.buffer else None  # type: ignore[index]
        self.wanted = None

    def _want(self, into: dict[str, str | None], key: str) -> int:
        self.wanted, self.wanted_key = into, key
        return _TEXT

    def _start_root(self, name: str) -> None:
        namespace, _, local = name.rpartition("}")
        self.root = local
        prefix = f"{namespace}}}" if namespace else ""
        names = (
            "Activity Lap Track Trackpoint Id Creator Name Notes TotalTimeSeconds DistanceMeters "
            "AverageHeartRateBpm MaximumHeartRateBpm Value Time Position LatitudeDegrees "
            "LongitudeDegrees AltitudeMeters HeartRateBpm Cadence Extensions"
        )
        self.tags = {prefix + tag: tag for tag in names.split()}
        self.kinds.append(_OUTSIDE)

    def _start_activity(self, attributes: dict[str, str]) -> int:
        if self.in_activity:
            self.declined = "an <Activity> inside another"
            return _IN_ACTIVITY
        self.in_activity = True
        self.activity = {"sport": attributes.get("Sport")}
        self.activity_firsts = set()
        self.laps = []
        self.points = _PointColumns()
        self.segment = 0
        return _ACTIVITY

    def _end_activity(self) -> None:
        self.in_activity = False
        self.points.finish()
        activity = self.activity
        self.parts.append(
            _Parts(
                sport=activity.get("sport"),
                id_text=activity.get("Id"),
                laps=self.laps,
                points=self.points,
                device=_stripped(activity.get("Creator")),
                notes=_stripped(activity.get("Notes")),
            )
        )

    def _start_track(self) -> int:
        if self.in_track:
            self.declined = "a <Track> inside another"
            return _IN_ACTIVITY
        self.in_track = True
        self.segment += 1
        return _TRACK

    def _activity_child(self, parent: int, tag: str, attributes: dict[str, str]) -> int:
        if parent == _ACTIVITY:
            if tag == "Lap":
                self.lap = {"StartTime": attributes.get("StartTime")}
                self.lap_firsts: set[str] = set()
                return _LAP
            if tag == "Creator":
                return _CREATOR
            if tag in ("Id", "Notes") and tag not in self.activity_firsts:
                self.activity_firsts.add(tag)
                return self._want(self.activity, tag)
        elif parent == _LAP:
            if tag in ("AverageHeartRateBpm", "MaximumHeartRateBpm"):
                self.lap_heart_rate = tag
                return _LAP_HEART_RATE
            if tag in ("TotalTimeSeconds", "DistanceMeters") and tag not in self.lap_firsts:
                self.lap_firsts.add(tag)
                return self._want(self.lap, tag)
        elif parent == _LAP_HEART_RATE:
            if tag == "Value" and self.lap_heart_rate not in self.lap:
                return self._want(self.lap, self.lap_heart_rate)
        elif parent == _CREATOR and tag == "Name" and "Creator" not in self.activity:
            return self._want(self.activity, "Creator")
        return _IN_ACTIVITY

    def _start_point(self) -> int:
        if self.points.count >= MAX_TRACK_POINTS:
            raise UnsafeFile(points_refused_message(self.name))
        self.point = {}
        self.extensions_met = False
        return _POINT

    def _point_child(self, tag: str) -> int:
        point = self.point
        key = _POINT_TEXTS.get(tag)
        if key is not None:
            return self._want(point, key) if key not in point else _IN_ACTIVITY
        if tag == "Position":
            return _POSITION
        if tag == "HeartRateBpm":
            return _HEART_RATE
        if tag == "Extensions" and not self.extensions_met:
            self.extensions_met = True
            return _EXTENSIONS
        return _IN_ACTIVITY

    def finish(self, default_timezone: str | None) -> list[Activity]:
        name = self.name
        if self.root != "TrainingCenterDatabase":
            raise CorruptFile(
                f"{name}: not a TCX file (it starts with <{self.root}>, "
                "not <TrainingCenterDatabase>)"
            )
        if self.declined:
            raise FastReaderDeclined(name, self.declined)
        if not self.parts:
            raise SkippedFile(
                f"{name}: no activity in the file (a course or workout, not a recorded one)"
            )
        return _activities(self.parts, name, default_timezone)


#: Trackpoint children read for their text, by TCX name.
_POINT_TEXTS = {
    "Time": "time",
    "AltitudeMeters": "altitude",
    "DistanceMeters": "distance",
    "Cadence": "cadence",
}


def _lap_of(texts: dict[str, str | None]) -> _Lap:
    def total(name: str) -> float | None:
        value = finite_float(texts.get(name))
        return value if value is not None and value >= 0 else None  # a negative total is junk

    return _Lap(
        start=iso_time(texts.get("StartTime"))[0],
        timer_s=total("TotalTimeSeconds"),
        distance_m=total("DistanceMeters"),
        avg_heart_rate_bpm=total("AverageHeartRateBpm"),
        max_heart_rate_bpm=total("MaximumHeartRateBpm"),
    )


def _stripped(text: str | None) -> str | None:
    return (text.strip() or None) if text is not None else None
