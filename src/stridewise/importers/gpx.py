"""GPX: recorded tracks (``<trk>``/``<trkseg>``/``<trkpt>``), read in one streaming pass.

Two readers give the same Activity (see ``read_gpx`` and ``$STRIDEWISE_GPX_READER``):

* the fast reader (``read_gpx_fast``) streams the file once through expat (``xmlstream``),
  refusing entities and deep nesting in that same pass, and keeps only the values gpxpy would
  give, as columns. It reads what gpxpy reads the way gpxpy reads it: the version decides the
  fields (GPX 1.0 points have ``<speed>``, GPX 1.1 points ``<extensions>``), only the first
  child of a name counts, the first default namespace declaration of the text is ignored as
  gpxpy strips it, and a value gpxpy rejects gives gpxpy's message. It declines the rare file
  whose meaning it cannot be sure to reproduce;
* the reference reader (``read_gpx_reference``) is the tree reader it replaced: the text is
  parsed with defusedxml (entities and external references forbidden, ``xmlsafe``), then
  gpxpy parses the very same text. It reads the files the fast reader declines, and is there
  to compare with (the tests check both give the same Activity for every sample file).

How a GPX file becomes an Activity (one per file; every track and segment belongs to it):

* Times: GPX times are UTC. A time without ``Z`` or offset is read as UTC too, as the standard
  says, with a warning, because some apps write local wall-clock time there. A file without
  times is a route, not a recorded activity, and is skipped; so is a file whose points mostly
  lack times. The few untimed points of an otherwise timed track are left out, with a warning.
  Points are a path in file order: times that step back a little are clock jitter and are
  spread between their neighbours, and only a file written out of order is sorted
  (``track.time_order``).
* Pauses: GPX has no timer events. A gap between segments (or tracks) is a pause, and so is a
  gap of more than ``STATIONARY_GAP_S`` inside a segment during which the position moved slower
  than ``STATIONARY_SPEED_MPS`` (the app stopped recording while the runner stood still). A
  pause adds no timer time, so ``timer_s`` = elapsed − pauses, close to a moving time.
* Distance: great-circle (haversine) steps between consecutive points of a segment, in file
  order (a stationary gap adds what the position moved across it: centimetres when standing
  still; a gap of hours splits the file into outings in the cleaning). Speed: the device's own
  (TrackPointExtension ``speed`` or GPX 1.0 ``<speed>``) when written, else step distance / step
  time, unsmoothed (GPS jitter stays visible; smoothing is the metrics' business).
* Heart rate, cadence, temperature, power: Garmin TrackPointExtension v1/v2 (``hr``, ``cad``,
  ``atemp``, ``speed``, ``power``) under any prefix or as default namespace, matched by
  namespace URI and local name; also Garmin PowerExtension ``PowerInWatts``, a bare
  ``<power>`` (Strava) and cluetrust gpxdata ``hr``/``cadence``/``temp``.
* Cadence: writers differ (strides or steps per minute). For running, a median moving cadence
  below ``STRIDE_CADENCE_LIMIT_PER_MIN`` is strides/min and is doubled to steps/min; a median in
  ``AMBIGUOUS_CADENCE_PER_MIN`` adds a warning. Other sports keep the device's cadence.
* Ascent: climbs summed with a hysteresis of ``ASCENT_HYSTERESIS_M`` per segment (see
  ``ascent_m``); elevations that are all exactly 0 are treated as missing.
* Surface: GPX has none, so "unknown".

The track helpers (distance, pauses, ascent, cadence) live in ``track`` and are shared with
the TCX reader.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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
from stridewise.importers.xmlsafe import (
    decode_xml,
    finite_float,
    local_name,
    one_line,
    parse_xml,
    split_tag,
)
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

if TYPE_CHECKING:
    import gpxpy.gpx  # the reference reader's; the fast reader loads gpxpy only for odd times

#: More than this share of untimed track points makes the file a route, not an activity.
MAX_UNTIMED_SHARE = 0.5

_TRACKPOINT_EXTENSION = re.compile(
    r"^https?://www\.garmin\.com/xmlschemas/TrackPointExtension/v[12]$"
)
_POWER_EXTENSION = re.compile(r"^https?://www\.garmin\.com/xmlschemas/PowerExtension(/v1|v1\.xsd)$")
_GPXDATA = "http://www.cluetrust.com/XML/GPXDATA/1/0"
_GPX_NAMESPACES = frozenset(
    {"", "http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0"}
)

_TPX_COLUMNS = {
    "hr": "heart_rate_bpm",
    "cad": "cadence_spm",
    "atemp": "temperature_c",
    "speed": "speed_mps",
    "power": "power_w",
}
_GPXDATA_COLUMNS = {"hr": "heart_rate_bpm", "cadence": "cadence_spm", "temp": "temperature_c"}

#: gpxpy strips the document's first default namespace declaration before parsing.
_FIRST_DEFAULT_NAMESPACE = re.compile(r"""\sxmlns=(['"])([^'"]+)\1""")

#: <trk><type> words and codes -> (sport, sub_sport), in fitparse's names.
_SPORT_BY_TYPE: dict[str, tuple[str, str | None]] = {
    # Strava's numeric codes (its activity types in the order Strava added them); only the codes
    # seen in Strava's own files: others say nothing, and the name may tell (pipeline.sports)
    "1": ("cycling", None),  # Ride
    "4": ("hiking", None),  # Hike
    "9": ("running", None),  # Run
    "10": ("walking", None),  # Walk
    "running": ("running", None),
    "run": ("running", None),
    "street_running": ("running", "street"),
    "road_running": ("running", "street"),
    "trail_running": ("running", "trail"),
    "trail_run": ("running", "trail"),
    "track_running": ("running", "track"),
    "treadmill_running": ("running", "treadmill"),
    "indoor_running": ("running", "indoor_running"),
    "walking": ("walking", None),
    "walk": ("walking", None),
    "hiking": ("hiking", None),
    "hike": ("hiking", None),
    "cycling": ("cycling", None),
    "biking": ("cycling", None),
    "bike": ("cycling", None),
    "ride": ("cycling", None),
    "road_biking": ("cycling", "road"),
    "mountain_biking": ("cycling", "mountain"),
    "gravel_cycling": ("cycling", "gravel_cycling"),
    "indoor_cycling": ("cycling", "indoor_cycling"),
    "swimming": ("swimming", None),
    "swim": ("swimming", None),
    "cross_country_skiing": ("cross_country_skiing", None),
    "rowing": ("rowing", None),
}


def read_gpx(
    data: XmlSource, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read the recorded activity of a GPX file (one Activity for all its tracks).

    ``data`` is the file's bytes or a binary stream (a ``gzip.GzipFile``: it is read once, a
    chunk at a time). ``default_timezone`` (IANA name) gives the local offset when no position
    has a zone. Raises ``SkippedFile`` for routes and files without times, ``UnsafeFile`` for
    XML entities, deep nesting and too many points, and ``CorruptFile`` for text that is not
    GPX. ``$STRIDEWISE_GPX_READER`` chooses the reader (``READER_VARIABLE``); each activity's
    ``decoder`` says which one read it: "fast", "gpxpy" or "gpxpy-fallback: <reason>".
    """
    return read_with_chosen_reader(
        data,
        source_name,
        fast=read_gpx_fast,
        reference=read_gpx_reference,
        reference_name="gpxpy",
        default_timezone=default_timezone,
    )


# --- the reference reader: defusedxml, then gpxpy ------------------------------------------------


def read_gpx_reference(
    data: bytes, source_name: str, default_timezone: str | None = None
) -> list[Activity]:
    """``read_gpx`` with the tree readers: defusedxml checks the text, gpxpy reads it."""
    text = decode_xml(data, source_name)
    root = parse_xml(text, source_name)  # refuses entities before gpxpy parses the same text
    if local_name(root.tag) != "gpx":
        raise CorruptFile(
            f"{source_name}: not a GPX file (it starts with <{local_name(root.tag)}>, not <gpx>)"
        )
    gpx = _parse_with_gpxpy(text, source_name)
    stripped = _FIRST_DEFAULT_NAMESPACE.search(text)
    points = _collect_points(gpx, stripped.group(2) if stripped else "")
    warnings = _point_warnings(points, source_name)
    track = _checked_track(points_of_rows(points.rows), warnings, source_name)
    return [_activity(_header_of(gpx), track, warnings, default_timezone)]


def _parse_with_gpxpy(text: str, source_name: str) -> gpxpy.gpx.GPX:
    import gpxpy
    import gpxpy.gpx

    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXException as exc:  # its messages quote the file, line breaks and all
        raise CorruptFile(f"{source_name}: not a valid GPX file ({one_line(str(exc))})") from exc
    except (ValueError, TypeError, AttributeError) as exc:  # gpxpy lets some slip through
        raise CorruptFile(f"{source_name}: not a valid GPX file ({one_line(str(exc))})") from exc


@dataclass
class _Points:
    """Every track point of a file, as rows, plus what was wrong with some of them."""

    rows: list[dict[str, object]] = field(default_factory=list)
    total: int = 0
    untimed: int = 0
    bad_position: int = 0
    naive_times: int = 0


def _collect_points(gpx: gpxpy.gpx.GPX, stripped_namespace: str) -> _Points:
    points = _Points()
    segment_number = 0
    for track in gpx.tracks:
        for segment in track.segments:
            if not segment.points:
                continue
            segment_number += 1
            for point in segment.points:
                points.total += 1
                if point.time is None:
                    points.untimed += 1
                    continue
                if not _valid_position(point.latitude, point.longitude):
                    points.bad_position += 1
                    continue
                when = point.time
                if when.tzinfo is None or when.utcoffset() is None:
                    points.naive_times += 1
                    when = when.replace(tzinfo=UTC)
                row: dict[str, object] = {
                    "time": when.astimezone(UTC),
                    "segment": segment_number,
                    "lat_deg": point.latitude,
                    "lon_deg": point.longitude,
                    "altitude_m": point.elevation,
                    "speed_mps": point.speed,
                }
                row.update(_extension_values(point.extensions, stripped_namespace))
                points.rows.append(row)
    return points


def _valid_position(lat: float | None, lon: float | None) -> bool:
    return (
        lat is not None
        and lon is not None
        and bool(np.isfinite(lat) and np.isfinite(lon))
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    )


def _extension_values(extensions: Iterable[object], stripped_namespace: str) -> dict[str, float]:
    """Sample values found in a point's <extensions>, by canonical column."""
    values: dict[str, float] = {}
    for extension in extensions:
        for element in extension.iter():  # type: ignore[attr-defined]
            namespace, name = split_tag(element.tag)
            if not namespace and isinstance(element.tag, str):
                # gpxpy removed the first default xmlns; elements in its scope lost their URI
                namespace = stripped_namespace
            column = _extension_column(namespace, name)
            value = finite_float(element.text) if column else None
            if column and value is not None and column not in values:
                values[column] = value
    return values


def _extension_column(namespace: str, name: str) -> str | None:
    if _TRACKPOINT_EXTENSION.match(namespace):
        return _TPX_COLUMNS.get(name)
    if namespace == _GPXDATA:
        return _GPXDATA_COLUMNS.get(name)
    if _POWER_EXTENSION.match(namespace) and name == "PowerInWatts":
        return "power_w"
    if namespace in _GPX_NAMESPACES and name == "power":
        return "power_w"
    return None


def _header_of(gpx: gpxpy.gpx.GPX) -> _Header:
    track = gpx.tracks[0] if gpx.tracks else None
    return _Header(
        device=(gpx.creator or "").strip() or None,
        name=_first_text([t.name for t in gpx.tracks] + [gpx.name]),
        notes=_first_text([track.description if track else None, gpx.description]),
        track_type=next((t.type for t in gpx.tracks if t.type), None),
    )


# --- shared by both readers: from points to an Activity -----------------------------------------


@dataclass(frozen=True)
class _Header:
    """What a GPX file says about the activity besides its points."""

    device: str | None  # the creator
    name: str | None  # the first track name, else the file's
    notes: str | None  # the first track's description, else the file's
    track_type: str | None  # the first track type given


def _point_warnings(points: _Points | _Counts, source_name: str) -> list[str]:
    """Warnings about the points left out; skip files that are not recordings (routes, tracks
    without times)."""
    if points.total == 0:
        raise SkippedFile(
            f"{source_name}: no track points (a route or waypoints, not a recorded activity)"
        )
    timed = points.total - points.untimed
    if timed == 0:
        raise SkippedFile(f"{source_name}: no times in the file (a route, not a recorded activity)")
    if points.untimed > MAX_UNTIMED_SHARE * points.total:
        raise SkippedFile(
            f"{source_name}: {points.untimed} of {points.total} track points have no time "
            "(a route, not a recorded activity)"
        )
    if points.total - points.untimed - points.bad_position == 0:
        raise CorruptFile(f"{source_name}: no track point has a valid position")
    warnings: list[str] = []
    if points.untimed:
        warnings.append(
            f"{points.untimed} of {points.total} track points have no time and were left out"
        )
    if points.bad_position:
        warnings.append(
            f"{points.bad_position} track points with an impossible position were left out"
        )
    if points.naive_times:
        warnings.append(
            f"{points.naive_times} point times carry no time zone; read as UTC as GPX requires "
            "(if the app wrote local time, the start is off by the UTC offset)"
        )
    return warnings


def _checked_track(track: TrackPoints, warnings: list[str], source_name: str) -> TrackPoints:
    """The points in time order (``TrackPoints.in_time_order``); skip a track with one placeholder
    time on every point."""
    count = len(track)
    distinct_times = len(np.unique(track.micros))
    if distinct_times < 2 or distinct_times <= MAX_UNTIMED_SHARE * count:
        # GPSBabel writes one placeholder time (1901-12-13) to every point of a drawn track
        raise SkippedFile(
            f"{source_name}: the {count} track points carry only {distinct_times} "
            "different times (not a recorded activity)"
        )
    return track.in_time_order(warnings)


def _sport(track_type: str | None) -> tuple[str, str | None]:
    if track_type:
        key = re.sub(r"[\s-]+", "_", track_type.strip().lower())
        return _SPORT_BY_TYPE.get(key, ("generic", None))
    return "generic", None


def _activity(
    header: _Header, track: TrackPoints, warnings: list[str], default_timezone: str | None
) -> Activity:
    sport, sub_sport = _sport(header.track_type)
    start = track.start()
    seconds = track.seconds()
    elapsed_s = float(seconds[-1])
    step_m, pause_before = path_steps(
        seconds,
        track.columns["lat_deg"],
        track.columns["lon_deg"],
        track.columns["segment"],
        jump_speed_limit_mps(sport),  # a GPS jump adds no distance
    )
    pause_s = float(np.sum(np.diff(seconds, prepend=seconds[0])[pause_before]))
    track = track.with_columns(distance_m=np.cumsum(step_m))
    if np.isnan(track.columns["speed_mps"]).all():
        track = track.with_columns(speed_mps=derived_speed_mps(seconds, step_m, pause_before))
    track = track.without_duplicate_times().with_plausible_altitude(warnings)
    if sport == "running" and "cadence_spm" in track.columns:
        cadence = track.columns["cadence_spm"]
        track = track.with_columns(cadence_spm=cadence * cadence_factor(cadence, warnings))
    table = track.sample_table()
    lat, lon = table.first_position() or (None, None)
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_utc=start,
        table=table,
        utc_offset_s=offset_at(lat, lon, start, default_timezone),
        elapsed_s=elapsed_s,
        timer_s=elapsed_s - pause_s,
        distance_m=float(track.columns["distance_m"][-1]),
        ascent_m=track.ascent_m(),
        avg_heart_rate_bpm=column_mean(table, "heart_rate_bpm"),
        max_heart_rate_bpm=column_max(table, "heart_rate_bpm"),
        avg_cadence_spm=moving_cadence_mean(table),
        device=header.device,
        name=header.name,
        notes=header.notes,
        warnings=warnings,
    )


def _first_text(candidates: Iterable[str | None]) -> str | None:
    for candidate in candidates:
        if candidate and candidate.strip():
            return candidate.strip()
    return None


# --- the fast reader: one streaming pass ---------------------------------------------------------


def read_gpx_fast(
    data: XmlSource, source_name: str, default_timezone: str | None = None
) -> list[Activity]:
    """``read_gpx`` in one streaming pass (``xmlstream``): the same Activity as the reference.

    Raises ``FastReaderDeclined`` for a file whose reading by gpxpy it cannot be sure to
    reproduce (see ``_GpxStream.finish``), only once the whole file passed the safety checks.
    """
    stream = _GpxStream(source_name)
    stream_xml(
        data,
        source_name,
        stream,
        namespace_prefixes=True,
        on_chunk=stream.scan.feed,
        namespace_start=stream.namespace_start,
        namespace_end=stream.namespace_end,
    )
    return stream.finish(default_timezone)


#: Element kinds while streaming, by what gpxpy makes of them.
_IGNORED, _ROOT, _METADATA, _TRACK, _SEGMENT, _POINT, _EXTENSIONS, _IN_EXTENSIONS = range(8)
_WAYPOINT, _ROUTE, _TEXT = range(8, 11)
_CONTAINERS = frozenset({_ROOT, _METADATA, _TRACK, _ROUTE, _WAYPOINT})

#: What the text of an element is wanted for.
_HEADER_TEXT, _POINT_FIELD, _EXTENSION_VALUE = range(1, 4)

#: Point fields gpxpy converts: tag -> (how, place in gpxpy's order of reading them), so that
#: of several values it would reject, the one it meets first is reported. Times never fail
#: (gpxpy reads an unreadable time as none). A GPX 1.0 track point also has course and speed.
_FLOAT, _INT, _FIX = "float", "int", "fix"
_POINT_FIELDS_11: dict[str, tuple[str, int]] = {
    "ele": (_FLOAT, 2),
    "time": ("", 3),
    "magvar": (_FLOAT, 6),
    "geoidheight": (_FLOAT, 7),
    "fix": (_FIX, 15),
    "sat": (_INT, 16),
    "hdop": (_FLOAT, 17),
    "vdop": (_FLOAT, 18),
    "pdop": (_FLOAT, 19),
    "ageofdgpsdata": (_FLOAT, 20),
    "dgpsid": (_INT, 21),
}
_TRACK_POINT_FIELDS_10 = {**_POINT_FIELDS_11, "course": (_FLOAT, 4), "speed": (_FLOAT, 5)}
_FIX_VALUES = ("none", "2d", "3d", "dgps", "pps", "3")
_USUAL_FIELDS = frozenset({"ele", "time", "speed"})
_BOUNDS = ("minlat", "maxlat", "minlon", "maxlon")

#: Points whose time texts are kept before they are converted together [points].
_BATCH = 8192


class _GpxRejects(Exception):
    """A value gpxpy rejects, with gpxpy's message."""


def _gpxpy_value(how: str, text: str | None, tag: str | None) -> float | None:
    """A field converted as gpxpy converts it (None when absent); ``_GpxRejects`` where gpxpy
    raises, with its message (the tag of an attribute is None in gpxpy's messages)."""
    if text is None or not how:
        return None
    if how == _FIX:
        if text not in _FIX_VALUES:
            raise _GpxRejects(f'Invalid value "{text}", possible: {_FIX_VALUES}')
        return None
    try:
        return float(text.strip()) if how == _FLOAT else float(int(text.strip()))
    except (ValueError, OverflowError) as exc:
        raise _GpxRejects(f"Invalid value for <{tag}>... {text} ({exc})") from None


def _gpxpy_time(text: str, source_name: str) -> datetime | None:
    """A point time as gpxpy reads it (None when unreadable), converted to UTC when it has an
    offset. gpxpy accepts any two digits as hours of an offset; one of a day or more is refused
    here (the reference reader raised a ValueError on it)."""
    when = _gpxpy_time_field().from_string(text)
    if when is not None and when.tzinfo is not None:
        try:
            when = when.astimezone(UTC)
        except (ValueError, OverflowError) as exc:
            raise CorruptFile(
                f"{source_name}: not a valid GPX file (time {one_line(text)!r}: {exc})"
            ) from exc
    return when


@lru_cache(maxsize=1)
def _gpxpy_time_field() -> Any:
    import gpxpy.gpxfield

    return gpxpy.gpxfield.TIME_TYPE


class _NamespaceScan:
    """Finds, as the text streams by, what gpxpy strips before parsing: the first match of
    ``_FIRST_DEFAULT_NAMESPACE`` in the text, and the UTF-8 offset (expat's) of the start tag
    holding it. ``unclear`` says why the match is not surely an element's default namespace
    declaration (it is in a comment, text or attribute value, or too far from its tag's start).
    """

    #: Text kept from one piece to the next [characters]: the start of the tag declaring the
    #: stripped namespace must lie within it.
    WINDOW = 4096

    def __init__(self) -> None:
        self.value: str | None = None
        self.tag_offset: int | None = None
        self.unclear: str | None = None
        self._fed = 0  # UTF-8 bytes seen
        self._done = False
        self._window = ""
        self._window_offset = 0

    def feed(self, chunk: str) -> None:
        start = self._fed
        self._fed += _utf8_length(chunk)
        if self._done:
            return
        text = self._window + chunk
        offset = self._window_offset if self._window else start
        found = _FIRST_DEFAULT_NAMESPACE.search(text)
        if found is not None:
            self._done = True
            self.value = found.group(2)
            tag_start = text.rfind("<", 0, found.start())
            if tag_start < 0 or not _START_TAG_HEAD.fullmatch(text, tag_start, found.start()):
                self.unclear = 'the first xmlns="..." of the text is no namespace declaration'
            else:
                self.tag_offset = offset + _utf8_length(text[:tag_start])
            return
        keep = max(0, len(text) - self.WINDOW)
        unfinished = _UNFINISHED_DEFAULT_NAMESPACE.search(text)
        if unfinished is not None and unfinished.start() < keep:
            keep = unfinished.start()
            if len(text) - keep > 2**20:
                self._done = True
                self.unclear = 'an xmlns="... whose value does not end'
                return
        self._window = text[keep:]
        self._window_offset = offset + _utf8_length(text[:keep])


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


#: A start tag up to the whitespace before one of its attributes: the element's name and whole
#: attributes (an attribute value cannot hold "<").
_START_TAG_HEAD = re.compile(
    r"""<[^\s<>/!?"'=]+(?:\s+[^\s<>/"'=]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*"""
)
_UNFINISHED_DEFAULT_NAMESPACE = re.compile(r"""\sxmlns=(['"])[^'"]*\Z""")


@dataclass
class _Counts:
    """How many track points a file has, and what was wrong with some of them."""

    total: int = 0
    untimed: int = 0
    bad_position: int = 0
    naive_times: int = 0


class _PointColumns:
    """The track points as they stream by: growing arrays, times converted in batches."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.count = 0
        self.segment = array("q")
        self.lat = array("d")
        self.lon = array("d")
        self.altitude = array("d")
        self.speed = array("d")
        self.extensions: dict[str, array] = {}
        self.times: list[str | None] = []
        self.micros = array("q")
        self.naive = array("b")
        self.readable = array("b")

    def add(
        self,
        segment: int,
        lat: float,
        lon: float,
        altitude: float,
        speed: float,
        time: str | None,
        values: dict[str, float],
    ) -> None:
        self.segment.append(segment)
        self.lat.append(lat)
        self.lon.append(lon)
        self.altitude.append(altitude)
        self.speed.append(speed)
        extensions = self.extensions
        for column, values_so_far in extensions.items():
            values_so_far.append(values.get(column, math.nan))
        if len(values) > len(extensions) or not values.keys() <= extensions.keys():
            for column, value in values.items():  # a column met for the first time
                if column not in extensions:
                    extensions[column] = array("d", [math.nan]) * self.count
                    extensions[column].append(value)
        self.count += 1
        times = self.times
        times.append(time)
        if len(times) >= _BATCH:
            self._convert_times()

    def _convert_times(self) -> None:
        micros, naive, readable = utc_microseconds(
            self.times, lambda text: _gpxpy_time(text, self.source_name)
        )
        self.micros.extend(micros.tolist())
        self.naive.extend(naive.astype(np.int8).tolist())
        self.readable.extend(readable.astype(np.int8).tolist())
        self.times = []

    def counted(self) -> tuple[_Counts, np.ndarray]:
        """The counts ``_point_warnings`` needs, and which points are kept."""
        self._convert_times()
        readable = np.frombuffer(self.readable, dtype=np.int8).astype(bool)
        naive = np.frombuffer(self.naive, dtype=np.int8).astype(bool)
        lat = np.frombuffer(self.lat, dtype=float)
        lon = np.frombuffer(self.lon, dtype=float)
        with np.errstate(invalid="ignore"):
            positioned = (
                np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180)
            )
        keep = readable & positioned
        counts = _Counts(
            total=self.count,
            untimed=int(self.count - readable.sum()),
            bad_position=int((readable & ~positioned).sum()),
            naive_times=int((keep & naive).sum()),
        )
        return counts, keep

    def track(self, keep: np.ndarray) -> TrackPoints:
        """The kept points as the reference reader's track (before sorting)."""
        micros = np.frombuffer(self.micros, dtype=np.int64)[keep]
        columns: dict[str, np.ndarray] = {
            "segment": np.frombuffer(self.segment, dtype=np.int64)[keep],
            "lat_deg": np.frombuffer(self.lat, dtype=float)[keep],
            "lon_deg": np.frombuffer(self.lon, dtype=float)[keep],
            "altitude_m": np.frombuffer(self.altitude, dtype=float)[keep],
            "speed_mps": np.frombuffer(self.speed, dtype=float)[keep],
        }
        for column, values in self.extensions.items():
            kept = np.frombuffer(values, dtype=float)[keep]
            if not np.isnan(kept).all():  # the reference's rows name a column only with a value
                columns[column] = kept
        return TrackPoints(micros, columns)


class _GpxStream:
    """Expat callbacks for one GPX file: the values gpxpy would read, kept as columns.

    Element names arrive as ``uri}local``, ``uri}local}prefix`` or ``local``. gpxpy finds GPX
    elements by their bare names after stripping the first default namespace declaration of the
    text, so an element counts when it has no namespace, or an unprefixed name in the scope of
    that stripped declaration (``_NamespaceScan``).
    """

    def __init__(self, source_name: str) -> None:
        self.name = source_name
        self.parser: Any = None  # set by stream_xml; the namespace callbacks read its offset
        self.scan = _NamespaceScan()
        self.kinds: list[int] = []
        self.firsts: list[set[str]] = []  # names met so far in each open container
        self.buffer: list[str] = []
        self.text = self.buffer.append  # character data, joined when wanted
        self.wanted = 0  # what the open element's text is for, until its first child
        self.wanted_key = ""
        self.root = ""
        self.version_11 = False
        self.point_fields = _TRACK_POINT_FIELDS_10
        self.creator: str | None = None
        self.header: dict[str, str | None] = {}  # the file's "name" and "desc"
        self.track: dict[str, str | None] = {}
        self.track_names: list[str | None] = []
        self.first_track_notes: str | None = None
        self.track_type: str | None = None
        self.views: dict[str, str | None] = {}
        self.defaults: list[bool] = []  # default namespace declarations in scope: stripped?
        self.plain_uri: str | None = None
        self.stripped_seen = False
        self.declined: str | None = None
        self.segment = 0
        self.segment_used = False
        self.point: dict[str, str | None] = {}
        self.latlon: tuple[str | None, str | None] = (None, None)
        self.values: dict[str, float] = {}
        self.extension_columns: dict[str, str | None] = {}
        self.reject: tuple[tuple[int, ...], str] | None = None
        self.counter = 0  # waypoints, routes, tracks and points met, in order
        self.track_order: tuple[int, ...] = ()
        self.route_order: tuple[int, ...] = ()
        self.waypoint_order: tuple[int, ...] = ()
        self.columns = _PointColumns(source_name)

    # --- names ------------------------------------------------------------------------------

    def namespace_start(self, prefix: str | None, uri: str | None) -> None:
        if prefix is not None:
            return
        stripped = (
            not self.stripped_seen
            and self.scan.tag_offset is not None
            and self.parser.CurrentByteIndex == self.scan.tag_offset
        )
        if stripped:
            self.stripped_seen = True
            if uri != self.scan.value:  # written with a reference; gpxpy would keep it raw
                self.declined = "the namespace gpxpy strips is written with a reference"
        self.defaults.append(stripped)
        self._plain(uri if stripped else None)

    def namespace_end(self, prefix: str | None) -> None:
        if prefix is not None:
            return
        self.defaults.pop()
        self._plain(self.scan.value if self.defaults and self.defaults[-1] else None)

    def _plain(self, uri: str | None) -> None:
        if uri != self.plain_uri:
            self.plain_uri = uri
            self.views.clear()

    def view(self, name: str) -> str | None:
        """The bare name gpxpy sees, or None when gpxpy sees a namespace on the element."""
        view = self.views.get(name, "")
        if view == "":
            parts = name.split("}")
            if len(parts) == 1:
                view = name
            elif len(parts) == 2 and parts[0] == self.plain_uri:
                view = parts[1]
            else:
                view = None
            self.views[name] = view
        return view

    def extension_column(self, name: str) -> str | None:
        column = self.extension_columns.get(name, "")
        if column == "":
            uri, _, local = name.partition("}")
            if not local:
                uri, local = "", name
            local = local.partition("}")[0]
            if not uri:
                # the current reader gives the stripped namespace to elements without one
                if self.scan.value is None:
                    self.bare_before_stripped = True
                uri = self.scan.value or ""
            column = _extension_column(uri, local)
            self.extension_columns[name] = column
        return column

    bare_before_stripped = False

    # --- callbacks ----------------------------------------------------------------------------

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if self.wanted:
            self._take_text()
        self.buffer.clear()
        kinds = self.kinds
        if len(kinds) >= MAX_DEPTH:
            raise UnsafeFile(depth_refused_message(self.name))
        parent = kinds[-1] if kinds else -1
        if parent in (_IGNORED, _TEXT):
            kinds.append(_IGNORED)
        elif parent in (_IN_EXTENSIONS, _EXTENSIONS):
            kinds.append(_IN_EXTENSIONS)
            column = self.extension_column(name)
            if column is not None:
                self.wanted, self.wanted_key = _EXTENSION_VALUE, column
        elif parent == _SEGMENT:
            if self.view(name) == "trkpt":
                self._start_point(attributes)
            else:
                kinds.append(_IGNORED)
        elif parent == -1:
            self._start_root(name, attributes)
        else:
            self._structure(parent, self.view(name), attributes)

    def end(self, name: str) -> None:
        if self.wanted:
            self._take_text()
        self.buffer.clear()
        kind = self.kinds.pop()
        if kind in _CONTAINERS:
            self.firsts.pop()
            if kind == _TRACK:
                self._end_track()
            elif kind == _WAYPOINT:
                self._check_point(self.point, self.latlon, self.waypoint_order, _POINT_FIELDS_11)

    def _take_text(self) -> None:
        text = "".join(self.buffer) if self.buffer else None
        wanted, key = self.wanted, self.wanted_key
        self.wanted = 0
        if wanted == _EXTENSION_VALUE:
            if key not in self.values:
                value = finite_float(text)
                if value is not None:
                    self.values[key] = value
        elif wanted == _POINT_FIELD:
            self.point[key] = text
        else:
            owner, _, field_name = key.partition(":")
            if owner == "trk":
                self.track[field_name] = text
            elif owner == "rte":
                self._check((*self.route_order, 0), _INT, text, field_name)
            else:
                self.header[field_name] = text

    # --- GPX structure --------------------------------------------------------------------

    def _start_root(self, name: str, attributes: dict[str, str]) -> None:
        self.root = name.split("}")[1] if "}" in name else name
        self.version_11 = attributes.get("version") == "1.1"
        self.point_fields = _POINT_FIELDS_11 if self.version_11 else _TRACK_POINT_FIELDS_10
        self.creator = attributes.get("creator")
        self.kinds.append(_ROOT)
        self.firsts.append(set())

    def _structure(self, parent: int, view: str | None, attributes: dict[str, str]) -> None:
        """A child of the root, metadata, a track, a route or a waypoint."""
        first = view is not None and view not in self.firsts[-1]
        if first:
            self.firsts[-1].add(view)  # type: ignore[arg-type]
        kind = _IGNORED
        if parent == _ROOT:
            kind = self._root_child(view, first, attributes)
        elif parent == _METADATA:
            if first and view in ("name", "desc"):
                kind = self._want(_HEADER_TEXT, f"gpx:{view}")
            elif first and view == "bounds":
                self._check_bounds(attributes)
        elif parent == _TRACK:
            if view == "trkseg":
                kind, self.segment_used = _SEGMENT, False
            elif first and view in ("name", "desc", "number", "type" if self.version_11 else ""):
                kind = self._want(_HEADER_TEXT, f"trk:{view}")
        elif parent == _ROUTE:
            if view == "rtept":
                self.counter += 1
                kind = self._start_waypoint((*self.route_order, 1, self.counter), attributes)
            elif first and view == "number":
                kind = self._want(_HEADER_TEXT, "rte:number")
        elif parent == _WAYPOINT and first and view in _POINT_FIELDS_11:
            kind = self._want(_POINT_FIELD, view)  # type: ignore[arg-type]
        self.kinds.append(kind)

    def _want(self, wanted: int, key: str) -> int:
        self.wanted, self.wanted_key = wanted, key
        return _TEXT

    def _root_child(self, view: str | None, first: bool, attributes: dict[str, str]) -> int:
        if view in ("trk", "wpt", "rte"):
            self.counter += 1
            if view == "wpt":
                return self._start_waypoint((1, self.counter), attributes)
            self.firsts.append(set())
            if view == "rte":
                self.route_order = (2, self.counter)
                return _ROUTE
            self.track_order = (3, self.counter)
            self.track = {}
            return _TRACK
        if first and view == "metadata" and self.version_11:
            self.firsts.append(set())
            return _METADATA
        if first and view in ("name", "desc") and not self.version_11:
            return self._want(_HEADER_TEXT, f"gpx:{view}")
        if first and view == "bounds" and not self.version_11:
            self._check_bounds(attributes)
        return _IGNORED

    def _start_waypoint(self, order: tuple[int, ...], attributes: dict[str, str]) -> int:
        """A waypoint or route point: read only for the values gpxpy would reject."""
        self.waypoint_order = order
        self.point = {}
        self.latlon = (attributes.get("lat"), attributes.get("lon"))
        self.firsts.append(set())
        return _WAYPOINT

    def _end_track(self) -> None:
        track = self.track
        self.track_names.append(track.get("name"))
        if len(self.track_names) == 1:
            self.first_track_notes = track.get("desc")
        if self.track_type is None and track.get("type"):
            self.track_type = track.get("type")
        self._check((*self.track_order, 0), _INT, track.get("number"), "number")

    def _check_bounds(self, attributes: dict[str, str]) -> None:
        for position, attribute in enumerate(_BOUNDS):
            self._check((0, position), _FLOAT, attributes.get(attribute), None)

    def _check(self, order: tuple[int, ...], how: str, text: str | None, tag: str | None) -> None:
        try:
            _gpxpy_value(how, text, tag)
        except _GpxRejects as exc:
            self._rejected(order, str(exc))

    def _rejected(self, order: tuple[int, ...], message: str) -> None:
        if self.reject is None or order < self.reject[0]:
            self.reject = (order, message)

    def _check_point(
        self,
        fields: dict[str, str | None],
        latlon: tuple[str | None, str | None],
        order: tuple[int, ...],
        table: dict[str, tuple[str, int]],
    ) -> None:
        """Record the first value of a point that gpxpy would reject, in gpxpy's order."""
        for position, name in enumerate(("latitude", "longitude")):
            text = latlon[position]
            if text is None:
                self._rejected((*order, position), f"{name} is mandatory in None (got None)")
                return
            self._check((*order, position), _FLOAT, text, None)
        for tag, text in fields.items():
            how, position = table.get(tag, ("", 0))
            self._check((*order, position), how, text, tag)

    # --- track points -----------------------------------------------------------------------

    def _start_point(self, attributes: dict[str, str]) -> None:
        if self.columns.count >= MAX_TRACK_POINTS:
            raise UnsafeFile(points_refused_message(self.name))
        if not self.segment_used:
            self.segment_used = True
            self.segment += 1
        self.counter += 1
        self.kinds.append(_POINT)
        if self.point_callbacks is None:
            self.point_callbacks = self._point_callbacks()
        begin, start, end = self.point_callbacks
        begin(attributes.get("lat"), attributes.get("lon"), MAX_DEPTH - len(self.kinds))
        self.parser.StartElementHandler = start
        self.parser.EndElementHandler = end

    point_callbacks: tuple[Callable[..., None], ...] | None = None

    def _point_callbacks(self) -> tuple[Callable[..., None], ...]:
        """(begin, start, end): the callbacks inside a track point, where nearly all elements
        of a file are, so kept to a few local operations each (no method calls).

        Inside a point, levels count from its children (1). gpxpy reads the first child of each
        name; in GPX 1.1 the first ``<extensions>`` too, every element in it giving a value
        by namespace and name (``extension_column``), the first finite value of a column wins.
        """
        buffer = self.buffer
        views = self.views
        columns_of = self.extension_columns
        fields = self.point_fields
        has_extensions = self.version_11
        parser = self.parser
        level = ignored = in_extensions = room = 0
        field: str | None = None
        column: str | None = None
        point: dict[str, str | None] = {}
        values: dict[str, float] = {}
        latlon: tuple[str | None, str | None] = (None, None)
        extensions_met = False
        nan = math.nan

        def begin(lat: str | None, lon: str | None, depth_room: int) -> None:
            nonlocal level, ignored, in_extensions, room, point, values, latlon, extensions_met
            level = ignored = in_extensions = 0
            room = depth_room
            point, values, latlon, extensions_met = {}, {}, (lat, lon), False

        def take_text() -> None:
            nonlocal field, column
            text = "".join(buffer) if buffer else None
            if field is not None:
                point[field] = text
                field = None
            else:
                if column not in values and text is not None:
                    try:
                        value = float(text.strip())
                    except ValueError:
                        value = math.nan
                    if value - value == 0.0:  # finite
                        values[column] = value  # type: ignore[index]
                column = None

        def start(name: str, attributes: dict[str, str]) -> None:
            nonlocal level, ignored, in_extensions, field, column, extensions_met
            if field is not None or column is not None:
                take_text()  # the text before the first child
            buffer.clear()
            level += 1
            if level > room:
                raise UnsafeFile(depth_refused_message(self.name))
            if ignored:
                return
            if in_extensions:
                found = columns_of.get(name, "")
                column = self.extension_column(name) if found == "" else found
                return
            if level > 1:
                ignored = level
                return
            view = views.get(name, "")
            if view == "":
                view = self.view(name)
            if view is None:
                ignored = level
            elif view == "extensions":
                if extensions_met or not has_extensions:
                    ignored = level
                else:
                    extensions_met, in_extensions = True, level
            elif view in fields and view not in point:
                field = view
            else:
                ignored = level

        def end(name: str) -> None:
            nonlocal level, ignored, in_extensions, field, column
            if field is not None:
                point[field] = "".join(buffer) if buffer else None
                field = None
            elif column is not None:
                if buffer and column not in values:
                    try:
                        value = float("".join(buffer).strip())
                    except ValueError:
                        value = nan
                    if value - value == 0.0:  # finite
                        values[column] = value
                column = None
            buffer.clear()
            if level == 0:  # the point itself
                parser.StartElementHandler = self.start
                parser.EndElementHandler = self.end
                self.kinds.pop()
                end_point()
                return
            if level == ignored:
                ignored = 0
            elif level == in_extensions:
                in_extensions = 0
            level -= 1

        add = self.columns.add

        def end_point() -> None:
            try:
                lat = float(latlon[0].strip())  # type: ignore[union-attr]
                lon = float(latlon[1].strip())  # type: ignore[union-attr]
                elevation = point.get("ele")
                speed = point.get("speed")
                altitude_m = nan if elevation is None else float(elevation.strip())
                speed_mps = nan if speed is None else float(speed.strip())
                if not point.keys() <= _USUAL_FIELDS:  # rarer fields: gpxpy converts them too
                    for tag, text in point.items():
                        _gpxpy_value(fields[tag][0], text, tag)
            except (ValueError, AttributeError, _GpxRejects):
                order = (*self.track_order, 1, self.counter)
                self._check_point(point, latlon, order, fields)
                return  # gpxpy rejects the file: the point is not needed
            add(self.segment, lat, lon, altitude_m, speed_mps, point.get("time"), values)

        return begin, start, end

    # --- the end ----------------------------------------------------------------------------

    def finish(self, default_timezone: str | None) -> list[Activity]:
        """The Activity, or the reference reader's errors and skips, in its order."""
        name = self.name
        if self.root != "gpx":
            raise CorruptFile(f"{name}: not a GPX file (it starts with <{self.root}>, not <gpx>)")
        declined = self.declined
        if self.scan.value is not None:
            if self.scan.unclear:
                declined = self.scan.unclear
            elif not self.stripped_seen:
                declined = "the namespace declaration gpxpy strips belongs to no element"
            elif self.bare_before_stripped:
                declined = "an extension without a namespace before the one gpxpy strips"
        if declined:
            raise FastReaderDeclined(name, declined)
        if self.reject is not None:
            raise CorruptFile(f"{name}: not a valid GPX file ({one_line(self.reject[1])})")
        header = _Header(
            device=(self.creator or "").strip() or None,
            name=_first_text([*self.track_names, self.header.get("name")]),
            notes=_first_text([self.first_track_notes, self.header.get("desc")]),
            track_type=self.track_type,
        )
        counts, keep = self.columns.counted()
        warnings = _point_warnings(counts, name)
        track = _checked_track(self.columns.track(keep), warnings, name)
        return [_activity(header, track, warnings, default_timezone)]
