"""Apple Health records as workout samples: matched to workouts by time, kept compact, turned
into canonical sample columns.

An export has no per-workout sample list: heart rate, running dynamics, distance and steps are
top-level ``<Record>``s, from every device (the phone and the watch record steps and distance at
the same time), all day long, in no guaranteed order relative to the workouts. So:

* **Matching**: the workouts' intervals are sorted once by start; each record's time is placed
  among them with a binary search (``bisect``), and a running maximum of the ends lets the
  search stop at once when no earlier workout can still be open. One pass over the records, no
  search of every workout per record. A record belongs to a workout when its time (the middle
  of its interval) lies within the workout, ends included.
* **Buffers**: a matched record is appended to five flat typed arrays (workout, type, source,
  time, value; 23 bytes a record), never a dict or an object per record, and they are sorted
  once at the end with numpy.
* **Sources**: for each workout and record type the workout's own source (its ``sourceName``)
  is used; when it wrote none of that type (a workout recorded by a third-party app, heart rate
  from the watch) the source with the most records of that type in the workout is used, and the
  activity says so. Sources are never mixed, so overlapping phone and watch steps or distance
  are not counted twice.
* **Units** always come from the ``unit`` attribute (``UNITS``); a record with a unit not in the
  table is skipped and counted, and the export warns once per type.

Columns made (Apple's name → canonical column):

========================================  ===========================  ==========================
record type (HKQuantityTypeIdentifier…)   canonical column             conversion
========================================  ===========================  ==========================
HeartRate                                 heart_rate_bpm               count/min (count/s × 60)
RunningSpeed, CyclingSpeed                speed_mps                    m/s, km/hr, mi/hr
RunningPower, CyclingPower                power_w                      W
RunningGroundContactTime                  stance_time_ms               ms
RunningVerticalOscillation                vertical_oscillation_mm      cm → mm (any length)
RunningStrideLength                       step_length_mm               m → mm: Apple's "stride"
                                                                       is one step
DistanceWalkingRunning / Cycling /        distance_m                   per interval (km, mi, m,
Swimming (the one of the sport)                                        yd): summed to cumulative,
                                                                       stamped at interval end
StepCount                                 cadence_spm (on foot)        steps / interval × 60,
                                                                       stamped at its middle
CyclingCadence                            cadence_spm (cycling)        count/min
========================================  ===========================  ==========================
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from stridewise.importers.apple_health_xml import parse_date, stream_elements

if TYPE_CHECKING:
    import pandas as pd

_LENGTH_M = {
    "m": 1.0,
    "km": 1000.0,
    "cm": 0.01,
    "mm": 0.001,
    "mi": 1609.344,
    "yd": 0.9144,
    "ft": 0.3048,
    "in": 0.0254,
}

#: Units each kind of quantity is read in, with the factor to the canonical unit.
UNITS: dict[str, dict[str, float]] = {
    "heart_rate": {"count/min": 1.0, "count/s": 60.0},
    "speed": {"m/s": 1.0, "km/hr": 1 / 3.6, "km/h": 1 / 3.6, "mi/hr": 0.44704, "mph": 0.44704},
    "power": {"W": 1.0, "kW": 1000.0},
    "time_ms": {"ms": 1.0, "s": 1000.0},
    "length_mm": {unit: factor * 1000.0 for unit, factor in _LENGTH_M.items()},
    "length_m": _LENGTH_M,
    "count": {"count": 1.0},
    "cadence": {"count/min": 1.0},
}


@dataclass(frozen=True)
class RecordKind:
    """How one record type becomes samples."""

    code: int
    identifier: str  # HKQuantityTypeIdentifier…
    column: str  # canonical column, or "distance" / "steps" for the interval kinds
    quantity: str  # key of UNITS


_KINDS = (
    RecordKind(1, "HKQuantityTypeIdentifierHeartRate", "heart_rate_bpm", "heart_rate"),
    RecordKind(2, "HKQuantityTypeIdentifierRunningSpeed", "speed_mps", "speed"),
    RecordKind(3, "HKQuantityTypeIdentifierRunningPower", "power_w", "power"),
    RecordKind(4, "HKQuantityTypeIdentifierRunningGroundContactTime", "stance_time_ms", "time_ms"),
    RecordKind(
        5,
        "HKQuantityTypeIdentifierRunningVerticalOscillation",
        "vertical_oscillation_mm",
        "length_mm",
    ),
    RecordKind(6, "HKQuantityTypeIdentifierRunningStrideLength", "step_length_mm", "length_mm"),
    RecordKind(7, "HKQuantityTypeIdentifierDistanceWalkingRunning", "distance", "length_m"),
    RecordKind(8, "HKQuantityTypeIdentifierDistanceCycling", "distance", "length_m"),
    RecordKind(9, "HKQuantityTypeIdentifierDistanceSwimming", "distance", "length_m"),
    RecordKind(10, "HKQuantityTypeIdentifierStepCount", "steps", "count"),
    RecordKind(11, "HKQuantityTypeIdentifierCyclingSpeed", "speed_mps", "speed"),
    RecordKind(12, "HKQuantityTypeIdentifierCyclingPower", "power_w", "power"),
    RecordKind(13, "HKQuantityTypeIdentifierCyclingCadence", "cadence_spm", "cadence"),
)
KIND_BY_IDENTIFIER = {kind.identifier: kind for kind in _KINDS}
KIND_BY_CODE = {kind.code: kind for kind in _KINDS}

#: Which distance record belongs to which sport; other sports take walking/running distance.
DISTANCE_CODE_BY_SPORT = {"cycling": 8, "swimming": 9}
_WALKING_RUNNING_DISTANCE = 7
_STEPS = 10
_CYCLING_CADENCE = 13

#: Sports whose steps are a cadence (steps/min).
ON_FOOT_SPORTS = frozenset({"running", "walking", "hiking"})


@dataclass(frozen=True)
class WorkoutWindow:
    """The time a workout covers, to match records to [s since 1970, UTC]."""

    start_s: float
    end_s: float


@dataclass
class RecordSamples:
    """The records matched to the workouts, sorted by workout, type, source and time."""

    sources: list[str]
    workout: np.ndarray  # int32
    code: np.ndarray  # uint8
    source: np.ndarray  # uint16
    time_s: np.ndarray  # float64 [s since 1970]
    value: np.ndarray  # float64, canonical unit (distance: m per interval; steps: steps/min)
    records_seen: int = 0
    bytes_read: int = 0
    unknown_units: dict[str, dict[str, int]] = field(default_factory=dict)  # type -> unit -> n
    bad_records: int = 0
    bounds: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))

    def of_workout(self, index: int) -> slice:
        """Where workout ``index``'s records lie in the sorted arrays."""
        if index + 1 >= len(self.bounds):
            return slice(0, 0)
        return slice(int(self.bounds[index]), int(self.bounds[index + 1]))


class _Collector:
    """The expat handler of the record pass: matches each sample record to its workouts."""

    def __init__(self, windows: Sequence[WorkoutWindow]) -> None:
        order = sorted(range(len(windows)), key=lambda i: windows[i].start_s)
        self.order = order
        self.starts = [windows[i].start_s for i in order]
        self.ends = [windows[i].end_s for i in order]
        running_max: list[float] = []
        highest = float("-inf")
        for end in self.ends:
            highest = max(highest, end)
            running_max.append(highest)
        self.max_end = running_max
        self.workout = array("i")
        self.code = array("B")
        self.source = array("H")
        self.time_s = array("d")
        self.value = array("d")
        self.sources: dict[str, int] = {}
        self.records_seen = 0
        self.bad_records = 0
        self.unknown_units: dict[str, dict[str, int]] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name != "Record":
            return
        self.records_seen += 1
        kind = KIND_BY_IDENTIFIER.get(attrs.get("type", ""))
        if kind is None:
            return
        try:
            start_s = parse_date(attrs["startDate"])[0]
            end_s = parse_date(attrs["endDate"])[0]
        except (KeyError, ValueError):
            self.bad_records += 1
            return
        middle = (start_s + end_s) / 2
        at = bisect.bisect_right(self.starts, middle) - 1
        if at < 0 or self.max_end[at] < middle:
            return  # no workout is open at this time: the usual case, decided in O(log n)
        matches = []
        while at >= 0 and self.max_end[at] >= middle:
            if self.ends[at] >= middle:
                matches.append(self.order[at])
            at -= 1
        if matches:
            self._keep(kind, attrs, start_s, end_s, matches)

    def _keep(
        self, kind: RecordKind, attrs: dict[str, str], start_s: int, end_s: int, matches: list[int]
    ) -> None:
        unit = attrs.get("unit", "")
        factor = UNITS[kind.quantity].get(unit)
        if factor is None:
            per_unit = self.unknown_units.setdefault(kind.identifier, {})
            per_unit[unit] = per_unit.get(unit, 0) + 1
            return
        try:
            value = float(attrs["value"]) * factor
        except (KeyError, ValueError):
            self.bad_records += 1
            return
        if value != value or value in (float("inf"), float("-inf")):
            self.bad_records += 1
            return
        if kind.column == "distance":
            stamp = float(end_s)  # the distance is covered by the end of its interval
        elif kind.column == "steps":
            if end_s <= start_s:
                return  # a count without a duration says nothing about cadence
            value = value / (end_s - start_s) * 60.0
            stamp = float((start_s + end_s) // 2)
        else:
            stamp = float((start_s + end_s) // 2)
        source_name = attrs.get("sourceName", "")
        source = self.sources.get(source_name)
        if source is None:
            source = self.sources[source_name] = min(len(self.sources), 0xFFFF)
        for workout in matches:
            self.workout.append(workout)
            self.code.append(kind.code)
            self.source.append(source)
            self.time_s.append(stamp)
            self.value.append(value)

    def result(self, bytes_read: int) -> RecordSamples:
        workout = np.frombuffer(self.workout, dtype=np.int32)
        code = np.frombuffer(self.code, dtype=np.uint8)
        source = np.frombuffer(self.source, dtype=np.uint16)
        time_s = np.frombuffer(self.time_s, dtype=np.float64)
        value = np.frombuffer(self.value, dtype=np.float64)
        order = np.lexsort((time_s, source, code, workout))
        workout = workout[order]
        return RecordSamples(
            sources=list(self.sources),
            workout=workout,
            code=code[order],
            source=source[order],
            time_s=time_s[order],
            value=value[order],
            records_seen=self.records_seen,
            bytes_read=bytes_read,
            unknown_units=self.unknown_units,
            bad_records=self.bad_records,
            bounds=np.searchsorted(workout, np.arange(len(self.order) + 1)),
        )


def collect_records(
    stream: BinaryIO, label: str, windows: Sequence[WorkoutWindow]
) -> RecordSamples:
    """Read every sample record of an export from ``stream`` and keep those inside a workout
    (``windows[i]`` is workout ``i``). See the module docstring for the matching rules."""
    collector = _Collector(windows)
    bytes_read = stream_elements(stream, label, collector.start)
    return collector.result(bytes_read)


@dataclass
class WorkoutColumns:
    """The sample columns records give one workout, and which sources they came from."""

    columns: dict[str, pd.Series]
    borrowed: dict[str, str]  # record type -> source used instead of the workout's own


def workout_columns(
    records: RecordSamples, index: int, own_source: str, sport: str
) -> WorkoutColumns:
    """Canonical sample columns (UTC-indexed Series) from workout ``index``'s records.

    ``own_source`` is the workout's ``sourceName``; ``sport`` picks the distance record and
    whether steps are a cadence.
    """
    part = records.of_workout(index)
    codes = records.code[part]
    sources = records.source[part]
    times = records.time_s[part]
    values = records.value[part]
    own = records.sources.index(own_source) if own_source in records.sources else -1
    columns: dict[str, pd.Series] = {}
    borrowed: dict[str, str] = {}
    distance_code = DISTANCE_CODE_BY_SPORT.get(sport, _WALKING_RUNNING_DISTANCE)
    for code in np.unique(codes):
        kind = KIND_BY_CODE[int(code)]
        if kind.column == "distance" and kind.code != distance_code:
            continue
        if kind.code == _STEPS and sport not in ON_FOOT_SPORTS:
            continue
        if kind.code == _CYCLING_CADENCE and sport != "cycling":
            continue
        of_kind = codes == code
        chosen = _chosen_source(sources[of_kind], own)
        if chosen != own:
            borrowed[kind.identifier] = records.sources[chosen]
        keep = of_kind & (sources == chosen)
        series = _series(times[keep], values[keep], cumulative=kind.column == "distance")
        column = {"distance": "distance_m", "steps": "cadence_spm"}.get(kind.column, kind.column)
        if column in columns:  # RunningSpeed and CyclingSpeed in one workout: keep the first
            continue
        columns[column] = series
    return WorkoutColumns(columns, borrowed)


def _chosen_source(sources: np.ndarray, own: int) -> int:
    """The workout's own source when it wrote any of these records, else the most frequent."""
    if own >= 0 and bool(np.any(sources == own)):
        return own
    counts = np.bincount(sources)
    return int(np.argmax(counts))


def _series(times: np.ndarray, values: np.ndarray, *, cumulative: bool) -> pd.Series:
    """Values at their times (one per time: summed for distance, else averaged)."""
    import pandas as pd

    index = pd.to_datetime(times, unit="s", utc=True)
    series = pd.Series(values, index=index)
    if cumulative:
        return series.groupby(level=0).sum().cumsum()
    return series.groupby(level=0).mean()
