"""Garmin Connect "export your data" archive (FORMATS.md), zipped or unpacked.

The tree may sit under a UUID-named folder, so every marker file is searched for by name:

* ``DI-Connect-Fitness/*summarizedActivities.json``: one summary per activity, wrapped as
  ``[{"summarizedActivitiesExport": [...]}]``; distances in cm, durations in ms, times as epoch
  ms (often floats), ``startTimeLocal - startTimeGmt`` is the local offset. The activity type
  gives the surface (trail, treadmill, track; plain ``running`` says nothing). Multisport parents
  are left out: their legs are listed too.
* ``DI-Connect-Fitness/*gear.json``: shoes (``gearDTOS``) and which activities wore them
  (``gearActivityDTOs``).
* ``DI-Connect-Aggregator/UDSFile_*.json``: a record a day with ``restingHeartRate``.
* ``DI-Connect-Wellness/*sleepData.json``: a night a record (``calendarDate``, the day the night
  ended, and ``deepSleepSeconds``/``lightSleepSeconds``/``remSleepSeconds``; awake time is not
  sleep).
* ``DI-Connect-User/*user_profile*.json`` and ``*userBioMetric*.json`` (names vary by year):
  ``birthDate``, ``gender``, ``maxHeartRate``, ``lactateThresholdHeartRate`` where present. These
  key names come from public code, not from a real export checked here: missing or renamed keys
  leave the facts unknown.
* ``DI-Connect-Uploaded-Files/UploadedFiles_*.zip``: the FIT files, named by upload id. The
  import pipeline matches them to summaries by start time (``MATCH_BY_START``); the summaries left
  over become summary-only activities.

This module decodes only: ``read_garmin_export`` returns the export's ``ExportContents``.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import Any

from stridewise.archive import Source
from stridewise.errors import CorruptFile, StridewiseError
from stridewise.importers.exports import (
    MATCH_BY_START,
    ExportContents,
    ExportProblem,
    ExportShoe,
    ExportSummary,
    WellnessDay,
)
from stridewise.importers.sizes import MAX_DECOMPRESSED_BYTES
from stridewise.limits import (
    HEART_RATE_RANGE_BPM,
    RESTING_HEART_RATE_RANGE_BPM,
    plausible_offset,
)
from stridewise.localtime import offset_in_zone
from stridewise.model import Activity

#: Garmin activity type -> (sport, sub_sport, surface), sports and sub-sports in FIT's names.
#: Plain "running" says nothing explicit about the surface: unknown.
GARMIN_TYPES: dict[str, tuple[str, str | None, str]] = {
    "running": ("running", None, "unknown"),
    "street_running": ("running", "street", "road"),
    "trail_running": ("running", "trail", "trail"),
    "treadmill_running": ("running", "treadmill", "treadmill"),
    "indoor_running": ("running", "indoor_running", "treadmill"),
    "track_running": ("running", "track", "track"),
    "virtual_run": ("running", "virtual_activity", "treadmill"),
    "ultra_run": ("running", None, "unknown"),
    "obstacle_run": ("running", None, "unknown"),
    "walking": ("walking", None, "unknown"),
    "casual_walking": ("walking", None, "unknown"),
    "speed_walking": ("walking", None, "unknown"),
    "hiking": ("hiking", None, "unknown"),
    "cycling": ("cycling", None, "unknown"),
    "road_biking": ("cycling", "road", "unknown"),
    "mountain_biking": ("cycling", "mountain", "unknown"),
    "gravel_cycling": ("cycling", "gravel_cycling", "unknown"),
    "indoor_cycling": ("cycling", "indoor_cycling", "unknown"),
    "virtual_ride": ("cycling", "virtual_activity", "unknown"),
    "e_bike_fitness": ("cycling", "e_bike_fitness", "unknown"),
    "e_bike_mountain": ("cycling", "e_bike_mountain", "unknown"),
    "lap_swimming": ("swimming", "lap_swimming", "unknown"),
    "open_water_swimming": ("swimming", "open_water", "unknown"),
    "strength_training": ("training", "strength_training", "unknown"),
    "indoor_cardio": ("training", "cardio_training", "unknown"),
    "hiit": ("training", "hiit", "unknown"),
    "yoga": ("training", "yoga", "unknown"),
    "pilates": ("training", "pilates", "unknown"),
    "breathwork": ("training", "breathing", "unknown"),
    "mobility": ("training", "mobility", "unknown"),
    "elliptical": ("fitness_equipment", "elliptical", "unknown"),
    "stair_climbing": ("fitness_equipment", "stair_climbing", "unknown"),
    "indoor_rowing": ("rowing", "indoor_rowing", "unknown"),
    "indoor_climbing": ("rock_climbing", "indoor_climbing", "unknown"),
    "bouldering": ("rock_climbing", "bouldering", "unknown"),
    "resort_skiing_snowboarding": ("alpine_skiing", "resort", "unknown"),
    "resort_skiing": ("alpine_skiing", "resort", "unknown"),
    "backcountry_skiing_snowboarding": ("backcountry_skiing", None, "unknown"),
    "skate_skiing": ("cross_country_skiing", "skate_skiing", "unknown"),
    "snow_shoe": ("snowshoeing", None, "unknown"),
}

#: Suffixes Garmin Connect added to some type keys over the years (``rowing_v2``,
#: ``cross_country_skiing_ws``): the key without them names the same sport.
_TYPE_KEY_SUFFIXES = ("_v2", "_ws")

#: Types of the summary that stands for a multisport activity as a whole.
MULTISPORT_TYPES = frozenset({"multi_sport", "multisport", "triathlon", "duathlon"})

#: A summary this close in start time is the FIT file's even when their sports are named apart
#: (``fitness_equipment`` in the file, ``indoor_rowing`` in the account) [s].
ANY_SPORT_TOLERANCE_S = 15.0

SUMMARY_FILE_NAME = "summarizedActivities.json"
SOURCE_FORMAT = "garmin-summary"
WELLNESS_SOURCE = "garmin export"


def read_garmin_export(source: Source, *, default_timezone: str | None = None) -> ExportContents:
    """A Garmin export's summaries, gear and resting heart rates (its files are read later).

    A member's problem is named by the export and the member (``garmin.zip/DI_CONNECT/...``),
    so that with several exports the runner can tell which one it is in.
    """
    export = ExportContents(kind="garmin", match=MATCH_BY_START)
    names = source.names()
    shoe_by_activity: dict[int, str] = {}
    for name in _named(names, "gear.json"):
        label = f"{source.label}/{name}"
        try:
            shoes, worn = read_gear(source.read(name, MAX_DECOMPRESSED_BYTES), label)
        except StridewiseError as exc:
            export.problems.append(ExportProblem(label, str(exc)))
            continue
        export.shoes.extend(shoes)
        shoe_by_activity.update(worn)
    left_out: list[tuple[str, str]] = []
    for name in _named(names, SUMMARY_FILE_NAME.lower()):
        label = f"{source.label}/{name}"
        try:
            summaries = read_summarized_activities(
                source.read(name, MAX_DECOMPRESSED_BYTES),
                label,
                default_timezone=default_timezone,
                left_out=left_out,
            )
        except StridewiseError as exc:
            export.problems.append(ExportProblem(label, str(exc)))
            continue
        for activity_id, summary in summaries:
            if activity_id in shoe_by_activity and summary.activity.sport == "running":
                summary.activity.shoe = shoe_by_activity[activity_id]
            export.summaries.append(summary)
    for key, reason in left_out:  # named as the summaries stored are: export/summary key
        export.problems.append(
            ExportProblem(f"{source.label}/{key}", f"{source.label}/{key}: {reason}")
        )
    sleep: dict[str, float] = {}
    for name in _named(names, "sleepdata.json"):
        label = f"{source.label}/{name}"
        try:
            sleep.update(read_sleep(source.read(name, MAX_DECOMPRESSED_BYTES), label))
        except StridewiseError as exc:
            export.problems.append(ExportProblem(label, str(exc)))
    if sleep:
        export.wellness.extend(WellnessDay(day, sleep_s=seconds) for day, seconds in sleep.items())
    for name in names:
        base = PurePosixPath(name).name.lower()
        if base.endswith(".json") and (
            "user_profile" in base or "userprofile" in base or "biometric" in base
        ):
            label = f"{source.label}/{name}"
            try:
                export.facts.update(
                    read_athlete_facts(source.read(name, MAX_DECOMPRESSED_BYTES), label)
                )
            except StridewiseError as exc:
                export.problems.append(ExportProblem(label, str(exc)))
    for name in names:
        base = PurePosixPath(name).name.lower()
        if base.startswith("udsfile") and base.endswith(".json"):
            label = f"{source.label}/{name}"
            try:
                days = read_resting_heart_rates(source.read(name, MAX_DECOMPRESSED_BYTES), label)
            except StridewiseError as exc:
                export.problems.append(ExportProblem(label, str(exc)))
                continue
            export.wellness.extend(WellnessDay(day, resting_hr_bpm=bpm) for day, bpm in days)
    return export


def _named(names: list[str], suffix: str) -> list[str]:
    return [name for name in names if PurePosixPath(name).name.lower().endswith(suffix)]


def _load_json(data: bytes, name: str) -> Any:
    """A member's JSON document; ``CorruptFile`` naming the member when it is not JSON, or is
    nested deeper than Python's parser can follow (200,000 ``[`` raised ``RecursionError``)."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptFile(f"{name}: not valid JSON ({exc})") from exc
    except RecursionError:
        raise CorruptFile(f"{name}: JSON nested too deeply to be read; refused") from None


# --- summarizedActivities.json ------------------------------------------------------------------


def read_summarized_activities(
    data: bytes,
    name: str,
    *,
    default_timezone: str | None = None,
    left_out: list[tuple[str, str]] | None = None,
) -> list[tuple[int, ExportSummary]]:
    """``(activityId, summary)`` for every activity but multisport parents, in file order.

    A summary whose start time is not a date is left out, and added to ``left_out`` (when
    given) as ``(summary key, reason)``.
    """
    document = _load_json(data, name)
    items = _summary_items(document)
    if items is None:
        raise CorruptFile(f"{name}: no summarizedActivitiesExport list in it")
    summaries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        activity_id = _integer(item.get("activityId"))
        key = f"{SUMMARY_FILE_NAME} #{activity_id}"
        try:
            activity = summary_activity(item, default_timezone=default_timezone)
        except CorruptFile as exc:  # one damaged summary: the others are still good
            if left_out is not None:
                left_out.append((key, str(exc)))
            continue
        if activity is None:
            continue
        activity.source_name = key
        activity.source_format = SOURCE_FORMAT
        try:
            sha256 = hashlib.sha256(
                json.dumps(item, sort_keys=True, default=str).encode("utf-8")
            ).hexdigest()
        except RecursionError:  # a value nested about as deep as the parser could follow
            if left_out is not None:
                left_out.append((key, "a value nested too deeply to be read; left out"))
            continue
        activity.source_sha256 = sha256
        summaries.append((activity_id or 0, ExportSummary(key, activity, sha256)))
    return summaries


def _summary_items(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        if document and all(
            isinstance(x, dict) and "summarizedActivitiesExport" in x for x in document
        ):
            return [item for x in document for item in x["summarizedActivitiesExport"] or []]
        return document
    if isinstance(document, dict) and isinstance(document.get("summarizedActivitiesExport"), list):
        return document["summarizedActivitiesExport"]
    return None


def summary_activity(
    item: dict[str, Any], *, default_timezone: str | None = None
) -> Activity | None:
    """A summary-only Activity from one Garmin summary (SI units), or None for a multisport
    parent or an entry without a start time; ``CorruptFile`` (naming the value, not the file)
    when the start time is no date at all."""
    type_key = _type_key(item.get("activityType"))
    if item.get("parent") is True or type_key in MULTISPORT_TYPES:
        return None
    start_ms = _number(item.get("startTimeGmt"))
    if start_ms is None:
        start_ms = _number(item.get("beginTimestamp"))
    if start_ms is None:
        return None
    try:
        start = datetime.fromtimestamp(start_ms / 1000.0, tz=UTC)
    except (OverflowError, ValueError, OSError) as exc:  # beyond the years 1..9999
        raise CorruptFile(
            f"the start time ({start_ms:g} ms since 1970) is not a date; left out"
        ) from exc
    local_ms = _number(item.get("startTimeLocal"))
    offset = None if local_ms is None else round((local_ms - start_ms) / 1000.0)
    if offset is not None and not plausible_offset(offset):
        offset = None
    if offset is None and default_timezone:
        offset = offset_in_zone(default_timezone, start)
    sport, sub_sport, surface = garmin_sport(type_key)
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        surface=surface,
        surface_source="export" if surface != "unknown" else None,
        start_utc=start,
        utc_offset_s=offset,
        elapsed_s=_scaled(item.get("elapsedDuration"), 1000.0)
        or _scaled(item.get("duration"), 1000.0),
        timer_s=_scaled(item.get("duration"), 1000.0),
        moving_s=_scaled(item.get("movingDuration"), 1000.0),
        distance_m=_scaled(item.get("distance"), 100.0),  # cm
        ascent_m=_scaled(item.get("elevationGain"), 100.0),  # cm
        avg_heart_rate_bpm=_number(item.get("avgHr")),
        max_heart_rate_bpm=_number(item.get("maxHr")),
        avg_cadence_spm=_cadence_spm(item, running=sport == "running"),
        name=item.get("name") if isinstance(item.get("name"), str) else None,
    )


def _type_key(value: Any) -> str:
    if isinstance(value, dict):  # the web API's {"typeKey": ...}
        value = value.get("typeKey")
    return str(value or "").strip().lower()


def garmin_sport(type_key: str) -> tuple[str, str | None, str]:
    """(sport, sub_sport, surface) of a Garmin activity type key, in FIT's names: from
    ``GARMIN_TYPES``, else the key itself (a running, cycling or swimming key is that sport)."""
    key = type_key.strip().lower()
    for suffix in _TYPE_KEY_SUFFIXES:
        key = key.removesuffix(suffix)
    return GARMIN_TYPES.get(key, (_fallback_sport(key), None, "unknown"))


def _fallback_sport(type_key: str) -> str:
    if "running" in type_key or type_key.endswith("_run"):
        return "running"
    if "cycling" in type_key or "biking" in type_key:
        return "cycling"
    if "swimming" in type_key:
        return "swimming"
    return type_key or "generic"


def _cadence_spm(item: dict[str, Any], *, running: bool) -> float | None:
    """Steps per minute: ``avgDoubleCadence``, else 2 x (strides + fractional strides)."""
    if not running:
        return _number(item.get("avgBikeCadence"))
    double = _number(item.get("avgDoubleCadence"))
    if double is not None:
        return double
    strides = _number(item.get("avgRunCadence"))
    if strides is None:
        return None
    return 2.0 * (strides + (_number(item.get("avgFractionalCadence")) or 0.0))


# --- gear.json ----------------------------------------------------------------------------------


def read_gear(data: bytes, name: str) -> tuple[list[ExportShoe], dict[int, str]]:
    """Shoes (bikes left out) and the shoe name of each activity that wore one."""
    document = _load_json(data, name)
    if isinstance(document, list):
        document = next((x for x in document if isinstance(x, dict) and "gearDTOS" in x), {})
    if not isinstance(document, dict):
        raise CorruptFile(f"{name}: no gearDTOS in it")
    shoes: list[ExportShoe] = []
    name_by_pk: dict[str, str] = {}
    for gear in document.get("gearDTOS") or []:
        if not isinstance(gear, dict):
            continue
        gear_type = str(gear.get("gearTypeName") or "shoes").lower()
        shoe_name = _gear_name(gear)
        if "shoe" not in gear_type or not shoe_name:
            continue
        name_by_pk[str(gear.get("gearPk"))] = shoe_name
        maximum_m = _number(gear.get("maximumMeters"))
        retired = str(gear.get("gearStatusName") or "").lower() == "retired"
        shoes.append(
            ExportShoe(
                name=shoe_name,
                limit_km=maximum_m / 1000.0 if maximum_m else None,
                retired_on=_retirement_date(gear) if retired else None,
            )
        )
    worn: dict[int, str] = {}
    for gear_pk, entries in (document.get("gearActivityDTOs") or {}).items():
        shoe_name = name_by_pk.get(str(gear_pk))
        if shoe_name is None:
            continue
        for entry in entries or []:
            activity_id = _integer(entry.get("activityId") if isinstance(entry, dict) else entry)
            if activity_id is not None:
                worn[activity_id] = shoe_name
    return shoes, worn


def _gear_name(gear: dict[str, Any]) -> str | None:
    for key in ("displayName", "customMakeModel"):
        value = gear.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    make_model = " ".join(
        str(gear.get(key)).strip() for key in ("gearMakeName", "gearModelName") if gear.get(key)
    )
    return make_model or None


def _retirement_date(gear: dict[str, Any]) -> date:
    for key in ("dateEnd", "updateDate"):
        value = gear.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return date.today()


# --- UDSFile_*.json -----------------------------------------------------------------------------


def read_resting_heart_rates(data: bytes, name: str) -> list[tuple[str, float]]:
    """``(ISO date, resting heart rate [1/min])`` for each day that has one."""
    document = _load_json(data, name)
    if isinstance(document, dict):
        document = next((v for v in document.values() if isinstance(v, list)), [])
    if not isinstance(document, list):
        raise CorruptFile(f"{name}: not a list of daily records")
    days = []
    for record in document:
        if not isinstance(record, dict):
            continue
        day = record.get("calendarDate")
        if isinstance(day, dict):
            day = day.get("date")
        bpm = _number(record.get("restingHeartRate"))
        low, high = RESTING_HEART_RATE_RANGE_BPM
        if not isinstance(day, str) or bpm is None or not low <= bpm <= high:
            continue
        try:
            day_text = date.fromisoformat(day[:10]).isoformat()
        except ValueError:
            continue
        days.append((day_text, bpm))
    return days


# --- *sleepData.json ---------------------------------------------------------------------------


def read_sleep(data: bytes, name: str) -> dict[str, float]:
    """Seconds asleep [s] by the local date each night ended (deep + light + REM sleep)."""
    document = _load_json(data, name)
    if isinstance(document, dict):
        document = next((v for v in document.values() if isinstance(v, list)), [])
    if not isinstance(document, list):
        raise CorruptFile(f"{name}: not a list of nights")
    nights: dict[str, float] = {}
    for night in document:
        if not isinstance(night, dict):
            continue
        day = night.get("calendarDate")
        if isinstance(day, dict):
            day = day.get("date")
        parts = [
            _number(night.get(key))
            for key in ("deepSleepSeconds", "lightSleepSeconds", "remSleepSeconds")
        ]
        if not isinstance(day, str) or all(part is None for part in parts):
            continue
        seconds = sum(part for part in parts if part is not None and part > 0)
        try:
            day_text = date.fromisoformat(day[:10]).isoformat()
        except ValueError:
            continue
        if 0 < seconds <= MAX_SLEEP_S:
            nights[day_text] = seconds
    return nights


#: Longest sleep a night can hold [s]; more is a device that slept with nobody wearing it.
MAX_SLEEP_S = 20 * 3600.0


# --- user profile and biometrics ---------------------------------------------------------------


def read_athlete_facts(data: bytes, name: str) -> dict[str, object]:
    """Birth year, sex, maximum and lactate-threshold heart rate, where the file names them."""
    document = _load_json(data, name)
    items = document if isinstance(document, list) else [document]
    facts: dict[str, object] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("userData", "userProfile", "biometricProfile"):
            if isinstance(item.get(key), dict):
                item = {**item, **item[key]}
        birth = item.get("birthDate")
        if isinstance(birth, str) and len(birth) >= 4 and birth[:4].isdigit():
            facts["birth_year"] = int(birth[:4])
        gender = str(item.get("gender") or "").lower()
        if gender in ("male", "female"):
            facts["sex"] = gender
        low, high = HEART_RATE_RANGE_BPM
        for key, fact in (("maxHeartRate", "max_hr"), ("lactateThresholdHeartRate", "lthr_bpm")):
            value = _number(item.get(key))
            if value is not None and low <= value <= high:
                facts[fact] = value
    return facts


# --- values -------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _scaled(value: Any, divisor: float) -> float | None:
    number = _number(value)
    return None if number is None else number / divisor


def _integer(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)
