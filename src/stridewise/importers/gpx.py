"""GPX: recorded tracks (``<trk>``/``<trkseg>``/``<trkpt>``) read with gpxpy, made safe first.

How a GPX file becomes an Activity (one per file; every track and segment belongs to it):

* Safety: the text is parsed with defusedxml (entities and external references forbidden,
  ``xmlsafe``) before gpxpy sees it. gpxpy then parses the very same text (with ElementTree, or
  lxml when installed): a document that passed the check declares no entity, so there is
  nothing to expand and nothing external to fetch whichever parser gpxpy uses.
* Times: GPX times are UTC. A time without ``Z`` or offset is read as UTC too, as the standard
  says, with a warning, because some apps write local wall-clock time there. A file without
  times is a route, not a recorded activity, and is skipped; so is a file whose points mostly
  lack times. The few untimed points of an otherwise timed track are left out, with a warning.
  Points out of time order are sorted.
* Pauses: GPX has no timer events. A gap between segments (or tracks) is a pause, and so is a
  gap of more than ``STATIONARY_GAP_S`` inside a segment during which the position moved slower
  than ``STATIONARY_SPEED_MPS`` (the app stopped recording while the runner stood still or
  rode home: one real file has a 15-hour gap). A pause adds neither distance nor timer time,
  so ``timer_s`` = elapsed − pauses, close to a moving time.
* Distance: great-circle (haversine) steps between consecutive points. Speed: the device's own
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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC

import gpxpy
import gpxpy.gpx
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
from stridewise.importers.xmlsafe import (
    decode_xml,
    finite_float,
    local_name,
    one_line,
    parse_xml,
    split_tag,
)
from stridewise.limits import jump_speed_limit_mps
from stridewise.localtime import offset_at
from stridewise.model import Activity

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
    "9": ("running", None),  # Strava's code for Run
    "1": ("cycling", None),  # Strava's code for Ride
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
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read the recorded activity of a GPX file (one Activity for all its tracks).

    ``default_timezone`` (IANA name) gives the local offset when no position has a zone.
    Raises ``SkippedFile`` for routes and files without times, ``UnsafeFile`` for XML entities
    and ``CorruptFile`` for text that is not GPX.
    """
    text = decode_xml(data, source_name)
    root = parse_xml(text, source_name)  # refuses entities before gpxpy parses the same text
    if local_name(root.tag) != "gpx":
        raise CorruptFile(
            f"{source_name}: not a GPX file (it starts with <{local_name(root.tag)}>, not <gpx>)"
        )
    gpx = _parse_with_gpxpy(text, source_name)
    stripped = _FIRST_DEFAULT_NAMESPACE.search(text)
    points = _collect_points(gpx, stripped.group(2) if stripped else "")
    frame, warnings = _timed_frame(points, source_name)
    sport, sub_sport = _sport(gpx)
    return [_activity(gpx, frame, sport, sub_sport, warnings, source_name, default_timezone)]


def _parse_with_gpxpy(text: str, source_name: str) -> gpxpy.gpx.GPX:
    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXException as exc:  # its messages quote the file, line breaks and all
        raise CorruptFile(f"{source_name}: not a valid GPX file ({one_line(str(exc))})") from exc
    except (ValueError, TypeError, AttributeError) as exc:  # gpxpy lets some slip through
        raise CorruptFile(f"{source_name}: not a valid GPX file ({one_line(str(exc))})") from exc


@dataclass
class _Points:
    """Every track point of a file, as columns, plus what was wrong with some of them."""

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


def _timed_frame(points: _Points, source_name: str) -> tuple[pd.DataFrame, list[str]]:
    """The timed, positioned points as a frame sorted by time; skip files that are not
    recordings (routes, tracks without times or with one placeholder time)."""
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
    if not points.rows:
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
    frame = pd.DataFrame(points.rows)
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame = frame.set_index("time")
    distinct_times = frame.index.nunique()
    if distinct_times < 2 or distinct_times <= MAX_UNTIMED_SHARE * len(frame):
        # GPSBabel writes one placeholder time (1901-12-13) to every point of a drawn track
        raise SkippedFile(
            f"{source_name}: the {len(frame)} track points carry only {distinct_times} "
            "different times (not a recorded activity)"
        )
    frame = sort_by_time(frame, warnings)
    for column in frame.columns.drop("segment"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame, warnings


def _sport(gpx: gpxpy.gpx.GPX) -> tuple[str, str | None]:
    for track in gpx.tracks:
        if track.type:
            key = re.sub(r"[\s-]+", "_", track.type.strip().lower())
            return _SPORT_BY_TYPE.get(key, ("generic", None))
    return "generic", None


def _activity(
    gpx: gpxpy.gpx.GPX,
    frame: pd.DataFrame,
    sport: str,
    sub_sport: str | None,
    warnings: list[str],
    source_name: str,
    default_timezone: str | None,
) -> Activity:
    start = frame.index[0].to_pydatetime()
    elapsed_s = (frame.index[-1] - frame.index[0]).total_seconds()
    seconds = seconds_since_start(frame.index)
    step_m, pause_before = path_steps(
        seconds,
        frame["lat_deg"].to_numpy(),
        frame["lon_deg"].to_numpy(),
        frame["segment"],
        jump_speed_limit_mps(sport),  # a GPS jump adds no distance
    )
    pause_s = float(np.sum(np.diff(seconds, prepend=seconds[0])[pause_before]))
    samples = frame.assign(distance_m=np.cumsum(step_m))
    if samples["speed_mps"].isna().all():
        samples["speed_mps"] = derived_speed_mps(seconds, step_m, pause_before)
    samples = clean_altitude(drop_duplicate_times(samples), warnings)
    if sport == "running" and "cadence_spm" in samples:
        samples["cadence_spm"] = running_cadence_spm(samples["cadence_spm"], warnings)
    lat, lon = first_position(samples)
    track = gpx.tracks[0] if gpx.tracks else None
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_utc=start,
        samples=canonical_samples(samples),
        utc_offset_s=offset_at(lat, lon, start, default_timezone),
        elapsed_s=elapsed_s,
        timer_s=elapsed_s - pause_s,
        distance_m=float(samples["distance_m"].iloc[-1]),
        ascent_m=ascent_m(samples),
        avg_heart_rate_bpm=column_mean(samples, "heart_rate_bpm"),
        max_heart_rate_bpm=column_max(samples, "heart_rate_bpm"),
        avg_cadence_spm=moving_cadence_mean(samples),
        device=(gpx.creator or "").strip() or None,
        name=_first_text([t.name for t in gpx.tracks] + [gpx.name]),
        notes=_first_text([track.description if track else None, gpx.description]),
        warnings=warnings,
    )


def _first_text(candidates: Iterable[str | None]) -> str | None:
    for candidate in candidates:
        if candidate and candidate.strip():
            return candidate.strip()
    return None


# --- track helpers shared with the TCX reader -------------------------------------------------
