"""Daily wellness from an Apple Health export: resting heart rate, HRV and sleep.

* **Resting heart rate** (``HKQuantityTypeIdentifierRestingHeartRate``, count/min, one a day
  from the watch) and **HRV** (``HeartRateVariabilitySDNN``, ms, a few readings a day): the
  mean of the day's values, on the local date of each reading's start.
* **Sleep** (``HKCategoryTypeIdentifierSleepAnalysis``): only asleep values count (Core, Deep,
  REM, Unspecified, and "Asleep" before iOS 16); InBed and Awake never do. The watch, the phone
  and sleep apps write overlapping intervals, so all asleep intervals are merged into their
  union first and no minute counts twice. Intervals less than ``SLEEP_GAP_S`` apart form one
  sleep (waking at night, a gap between sources), and a sleep counts on the local date it ends:
  a night from 23:00 to 07:00 belongs to the morning's date, as a runner reads "last night's
  sleep" on the day it helps or hurts.
* **Local dates** come from the record's ``HKTimeZone`` metadata when present (sleep records
  carry it), else from the offset its date is written with (the phone's zone at export time).
* A value with a unit not in the table is skipped and counted; the export warns once per type.

Memory: one small tuple per asleep interval and one list of values per day, a few MB for years.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np

from stridewise.errors import ConfigError
from stridewise.importers.apple_health_samples import UNITS
from stridewise.importers.apple_health_xml import parse_date
from stridewise.importers.exports import WellnessDay
from stridewise.localtime import offset_in_zone

WELLNESS_SOURCE = "apple health"

#: Asleep intervals closer than this are one sleep [s].
SLEEP_GAP_S = 2 * 3600

RESTING_HR = "HKQuantityTypeIdentifierRestingHeartRate"
HRV_SDNN = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
WELLNESS_TYPES = frozenset({RESTING_HR, HRV_SDNN, SLEEP})

ASLEEP_VALUES = frozenset(
    {
        "HKCategoryValueSleepAnalysisAsleep",  # before iOS 16
        "HKCategoryValueSleepAnalysisAsleepUnspecified",
        "HKCategoryValueSleepAnalysisAsleepCore",
        "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepREM",
    }
)
_UNITS = {RESTING_HR: UNITS["heart_rate"], HRV_SDNN: {"ms": 1.0, "s": 1000.0}}
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class WellnessCollector:
    """Collects the wellness records of one pass over an export, one record at a time."""

    def __init__(self) -> None:
        self._daily: dict[str, dict[date, list[float]]] = {RESTING_HR: {}, HRV_SDNN: {}}
        self._sleep: list[tuple[int, int, int]] = []  # (start, end [s since 1970], offset [s])
        self._unknown_units: dict[str, dict[str, int]] = {}
        self._unreadable = 0
        self._bad_zones: set[str] = set()

    def add(self, attrs: dict[str, str], zone: str | None) -> None:
        """One ``<Record>`` of a type in ``WELLNESS_TYPES``; ``zone`` is its HKTimeZone."""
        kind = attrs.get("type", "")
        try:
            start_s, start_offset = parse_date(attrs["startDate"])
            end_s, end_offset = parse_date(attrs["endDate"])
        except (KeyError, ValueError):
            self._unreadable += 1
            return
        if kind == SLEEP:
            if attrs.get("value") in ASLEEP_VALUES and end_s > start_s:
                self._sleep.append((start_s, end_s, self._offset(zone, end_s, end_offset)))
            return
        unit = attrs.get("unit", "")
        factor = _UNITS[kind].get(unit)
        if factor is None:
            per_unit = self._unknown_units.setdefault(kind, {})
            per_unit[unit] = per_unit.get(unit, 0) + 1
            return
        try:
            value = float(attrs["value"]) * factor
        except (KeyError, ValueError):
            self._unreadable += 1
            return
        if not math.isfinite(value):
            self._unreadable += 1
            return
        day = local_date(start_s, self._offset(zone, start_s, start_offset))
        self._daily[kind].setdefault(day, []).append(value)

    def _offset(self, zone: str | None, when_s: int, written_offset_s: int) -> int:
        if zone:
            offset = zone_offset(zone, when_s)
            if offset is not None:
                return offset
            self._bad_zones.add(zone)
        return written_offset_s

    def days(self) -> list[WellnessDay]:
        """The days with any value, in date order."""
        resting = {day: float(np.mean(v)) for day, v in self._daily[RESTING_HR].items()}
        hrv = {day: float(np.mean(v)) for day, v in self._daily[HRV_SDNN].items()}
        sleep = sleep_by_day(self._sleep)
        return [
            WellnessDay(day.isoformat(), resting.get(day), hrv.get(day), sleep.get(day))
            for day in sorted(resting.keys() | hrv.keys() | sleep.keys())
        ]

    def warnings(self, label: str) -> list[str]:
        """What was skipped, one line each, starting with ``label`` (the export's name)."""
        messages = []
        for kind, units in sorted(self._unknown_units.items()):
            names = ", ".join(repr(unit) for unit in sorted(units))
            short = kind.removeprefix("HKQuantityTypeIdentifier")
            messages.append(
                f"{label}: {sum(units.values())} {short} records have an unknown unit "
                f"({names}) and were skipped"
            )
        if self._unreadable:
            messages.append(
                f"{label}: {self._unreadable} resting heart rate, HRV or sleep records have an "
                "unreadable date or value and were skipped"
            )
        for zone in sorted(self._bad_zones):
            messages.append(
                f"{label}: unknown time zone {zone!r} in HKTimeZone; the offset the dates are "
                "written with was used"
            )
        return messages


def sleep_by_day(intervals: list[tuple[int, int, int]]) -> dict[date, float]:
    """Time asleep [s] by the local date each sleep ends.

    ``intervals`` are ``(start, end [s since 1970, UTC], UTC offset at the end [s])`` of
    asleep records from any sources. Overlaps are merged (their union counts once), intervals
    less than ``SLEEP_GAP_S`` apart form one sleep, and a sleep counts on the local date of its
    end; two sleeps ending on one date (a night and a nap) add up.
    """
    totals: dict[date, float] = {}
    if not intervals:
        return totals
    ordered = sorted(intervals)
    session_asleep = 0.0
    merged_start, merged_end, end_offset = ordered[0]
    session_end, session_offset = merged_end, end_offset

    def close_session() -> None:
        day = local_date(session_end, session_offset)
        totals[day] = totals.get(day, 0.0) + session_asleep

    for start, end, offset in ordered[1:]:
        if start <= merged_end:  # overlapping or touching: one interval
            if end > merged_end:
                merged_end, end_offset = end, offset
            continue
        session_asleep += merged_end - merged_start
        session_end, session_offset = merged_end, end_offset
        if start - merged_end >= SLEEP_GAP_S:
            close_session()
            session_asleep = 0.0
        merged_start, merged_end, end_offset = start, end, offset
    session_asleep += merged_end - merged_start
    session_end, session_offset = merged_end, end_offset
    close_session()
    return totals


def local_date(when_s: int, offset_s: int) -> date:
    """The local calendar date of an instant [s since 1970, UTC] at a UTC offset [s]."""
    return date.fromordinal(_UNIX_EPOCH_ORDINAL + (when_s + offset_s) // 86400)


def zone_offset(zone: str, when_s: int) -> int | None:
    """UTC offset [s] of IANA zone ``zone`` at an instant [s since 1970], None if unknown."""
    try:
        return offset_in_zone(zone, datetime.fromtimestamp(when_s, UTC))
    except ConfigError:
        return None
