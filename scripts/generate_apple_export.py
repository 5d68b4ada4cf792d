"""Write realistic Apple Health exports ("Export All Health Data") for tests, deterministically.

    python scripts/generate_apple_export.py OUT_DIR [--layout ios17|ios15] [--units metric|imperial]

writes ``OUT_DIR/export.zip`` as the phone does: ``apple_health_export/export.xml`` (records
first, then workouts, as HealthKit writes them), ``export_cda.xml``, ``workout-routes/*.gpx``,
``electrocardiograms/*.csv`` and ``__MACOSX/._*`` junk. Tests import this module and call
``write_export`` into a temporary folder; ``EXPECTED`` holds the values they check.

Layouts: ``ios17`` starts with the malformed DTD of iOS 16+ (``<!ATTLIST VisionPrescription``
without its closing ``>``, so expat and ElementTree stop with "syntax error: line 155,
column 2"), writes
heart-rate and distance totals as ``WorkoutStatistics`` and nests ``WorkoutActivity`` children;
``ios15`` has a well-formed DTD, totals as Workout attributes and the old "Asleep" sleep value.
Units follow the locale: ``metric`` (de_DE: km, km/hr, m) or ``imperial`` (en_US: mi, mi/hr, ft).

What is in it (times are Europe/Berlin, +01:00, March 2026; the phone wrote the dates with
+0100):

* an outdoor run, Sat 14 March 07:12, 40 min with a 2-minute pause (38 min moving at 3.5 m/s),
  its route GPX (1 Hz while moving), watch records every 5 s (heart rate 148/150/152, running
  speed, power, ground contact time, vertical oscillation, stride length) and every 10 s
  (distance 35 m, 28 steps), and the phone's own steps and distance overlapping them;
* a walk, Sun 15 March 12:00, 45 min, recorded by the phone alone (its steps give the cadence);
* a strength workout, Sun 15 March 18:00 +0100, recorded in New York (HKTimeZone
  America/New_York: local 13:00);
* a treadmill run, Mon 16 March 18:00, 30 min, HKIndoorWorkout = 1, no route;
* (ios17 only) an interval run, Tue 17 March 07:00, 40 min, its totals only inside three
  ``WorkoutActivity`` children, with an auto-pause (motion paused/resumed) of one minute;
* resting heart rate and HRV every day 10-16 March, sleep from the watch and a second app
  overlapping (plus InBed and Awake), a night that starts before midnight and a nap.
"""

# ruff: noqa: E501 - the DTD is written line for line as the phone writes it

from __future__ import annotations

import argparse
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

#: The zone the phone wrote every date in (the export's own offset).
WRITTEN = timezone(timedelta(hours=1))

WATCH = "Alex’s Apple Watch"
PHONE = "Alex’s iPhone"
SLEEP_APP = "Sleep Cycle"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x283a2c0a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.3&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x2819e4aa0&gt;, name:iPhone, manufacturer:Apple Inc., "
    "model:iPhone, hardware:iPhone14,5, software:17.3&gt;"
)

MILE_M = 1609.344
FOOT_M = 0.3048

# --- the DTD ---------------------------------------------------------------------------------

_DTD_HEAD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth                   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex                 CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType                     CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse   CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics|WorkoutActivity)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutActivity ((MetadataEntry|WorkoutEvent|WorkoutStatistics)*)>
<!ATTLIST WorkoutActivity
  uuid         CDATA #REQUIRED
  startDate    CDATA #REQUIRED
  endDate      CDATA #IMPLIED
  duration     CDATA #IMPLIED
  durationUnit CDATA #IMPLIED
>
<!ELEMENT WorkoutEvent (MetadataEntry*)>
<!ATTLIST WorkoutEvent
  type         CDATA #REQUIRED
  date         CDATA #REQUIRED
  duration     CDATA #IMPLIED
  durationUnit CDATA #IMPLIED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type      CDATA #REQUIRED
  startDate CDATA #REQUIRED
  endDate   CDATA #REQUIRED
  average   CDATA #IMPLIED
  minimum   CDATA #IMPLIED
  maximum   CDATA #IMPLIED
  sum       CDATA #IMPLIED
  unit      CDATA #IMPLIED
>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleMoveTime            CDATA #IMPLIED
  appleMoveTimeGoal        CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!-- HeartRateVariabilityMetadataList is only present on HKQuantityTypeIdentifierHeartRateVariabilitySDNN records -->
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
>
<!ELEMENT ClinicalRecord EMPTY>
<!ATTLIST ClinicalRecord
  type              CDATA #REQUIRED
  identifier        CDATA #REQUIRED
  sourceName        CDATA #REQUIRED
  sourceURL         CDATA #REQUIRED
  receivedDate      CDATA #REQUIRED
  resourceFilePath  CDATA #REQUIRED
>
<!ELEMENT Audiogram ((SensitivityPoint)*)>
<!ATTLIST Audiogram
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT SensitivityPoint EMPTY>
<!ATTLIST SensitivityPoint
  frequencyValue   CDATA #REQUIRED
  frequencyUnit    CDATA #REQUIRED
  leftEarValue     CDATA #IMPLIED
  rightEarValue    CDATA #IMPLIED
>
"""

#: iOS 16+: the VisionPrescription declaration is not closed (the export's real defect).
_DTD_VISION_MALFORMED = """<!ELEMENT VisionPrescription ((RightEye|LeftEye|Attachment|MetadataEntry)*)>
<!ATTLIST VisionPrescription
  type             CDATA #REQUIRED
  dateIssued       CDATA #REQUIRED
  expirationDate   CDATA #IMPLIED
  brand            CDATA #IMPLIED
  <!ELEMENT RightEye EMPTY>
<!ATTLIST RightEye
  sphere           CDATA #IMPLIED
  sphereUnit       CDATA #IMPLIED
  cylinder         CDATA #IMPLIED
  cylinderUnit     CDATA #IMPLIED
  axis             CDATA #IMPLIED
  axisUnit         CDATA #IMPLIED
>
<!ELEMENT LeftEye EMPTY>
<!ATTLIST LeftEye
  sphere           CDATA #IMPLIED
  sphereUnit       CDATA #IMPLIED
  cylinder         CDATA #IMPLIED
  cylinderUnit     CDATA #IMPLIED
  axis             CDATA #IMPLIED
  axisUnit         CDATA #IMPLIED
>
<!ELEMENT Attachment EMPTY>
<!ATTLIST Attachment
  identifier       CDATA #IMPLIED
>
]>
"""

_DTD_TAIL_IOS15 = "]>\n"


def prolog(layout: str) -> str:
    """The XML declaration and DOCTYPE an export of ``layout`` starts with."""
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if layout == "ios17":
        return declaration + _DTD_HEAD + _DTD_VISION_MALFORMED
    return declaration + _DTD_HEAD + _DTD_TAIL_IOS15


# --- writing elements ------------------------------------------------------------------------


def date_text(when: datetime, zone: timezone = WRITTEN) -> str:
    """A date as the export writes it: local wall-clock time and its offset."""
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %z")


def record(
    kind: str,
    source: str,
    start: datetime,
    end: datetime | None = None,
    *,
    unit: str | None = None,
    value: str | float | None = None,
    device: str | None = None,
    children: str = "",
) -> str:
    """One ``<Record>`` line (``kind`` without its HK…Identifier prefix unless it has one)."""
    if not kind.startswith("HK"):
        kind = f"HKQuantityTypeIdentifier{kind}"
    end = end or start
    attrs = f' type="{kind}" sourceName="{source}" sourceVersion="10.3"'
    if device:
        attrs += f' device="{device}"'
    if unit is not None:
        attrs += f' unit="{unit}"'
    attrs += (
        f' creationDate="{date_text(end)}" startDate="{date_text(start)}"'
        f' endDate="{date_text(end)}"'
    )
    if value is not None:
        attrs += f' value="{value}"'
    if children:
        return f" <Record{attrs}>\n{children} </Record>\n"
    return f" <Record{attrs}/>\n"


def metadata(key: str, value: str, indent: str = "  ") -> str:
    return f'{indent}<MetadataEntry key="{key}" value="{value}"/>\n'


def number(value: float, digits: int = 10) -> str:
    """A number as the export writes it: no trailing zeros."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


# --- the scenario ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Units:
    locale: str
    distance: str  # totals and distance records
    distance_m: float
    speed: str
    speed_mps: float
    stride: str
    stride_m: float


METRIC = Units("de_DE", "km", 1000.0, "km/hr", 1 / 3.6, "m", 1.0)
IMPERIAL = Units("en_US", "mi", MILE_M, "mi/hr", 0.44704, "ft", FOOT_M)


def berlin(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant in March 2026 given in Berlin's winter time (+01:00)."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=WRITTEN)


RUN_START = berlin(14, 7, 12)
RUN_PAUSE = (berlin(14, 7, 30), berlin(14, 7, 32))
RUN_END = berlin(14, 7, 52)
RUN_SPEED_MPS = 3.5
RUN_ROUTE = "/workout-routes/route_2026-03-14_7.12am.gpx"
ROUTE_START = (52.520008, 13.404954)
METRES_PER_DEGREE_LAT = 111_195.0

WALK_START, WALK_END = berlin(15, 12), berlin(15, 12, 45)
STRENGTH_START, STRENGTH_END = berlin(15, 18), berlin(15, 18, 30)
TREADMILL_START, TREADMILL_END = berlin(16, 18), berlin(16, 18, 30)
INTERVAL_START, INTERVAL_END = berlin(17, 7), berlin(17, 7, 40)
INTERVAL_PAUSE = (berlin(17, 7, 15), berlin(17, 7, 16))
#: The interval run's three WorkoutActivity steps: (minutes from start, minutes, km, avg, max).
INTERVAL_STEPS = ((0, 10, 1.8, 130, 140), (10, 20, 5.0, 160, 175), (30, 10, 1.5, 135, 150))

#: What the generated export holds, for the tests (SI units, local times in Berlin).
EXPECTED = {
    "run": {
        "local_start": "2026-03-14 07:12",
        "elapsed_s": 2400.0,
        "timer_s": 2280.0,
        "distance_m": 7980.0,  # 228 intervals of 35 m
        "avg_hr": 150.0,
        "max_hr": 152.0,
        "ascent_m": 42.0,
        "cadence_spm": 168.0,
    },
    "walk": {"local_start": "2026-03-15 12:00", "distance_m": 3600.0, "cadence_spm": 110.0},
    "strength": {"local_start": "2026-03-15 13:00", "avg_hr": 110.0, "utc_offset_s": -4 * 3600},
    "treadmill": {"local_start": "2026-03-16 18:00", "distance_m": 6000.0, "avg_hr": 145.0},
    "interval": {
        "local_start": "2026-03-17 07:00",
        "distance_m": 8300.0,
        "avg_hr": 146.25,  # (130 × 10 + 160 × 20 + 135 × 10) / 40
        "max_hr": 175.0,
        "timer_s": 2340.0,
    },
    "resting_hr": {f"2026-03-{d:02d}": 48.0 + d % 3 for d in range(10, 17)},
    "hrv": {f"2026-03-{d:02d}": 40.0 + d for d in range(10, 17)},  # mean of (d+35, d+45)
    # 14th: the union of the watch's and the app's asleep intervals, 23:00-06:40;
    # 15th: 22:30-23:50 and 00:20-06:00 (one sleep across midnight) plus a 30-minute nap
    "sleep_s": {"2026-03-14": 27600.0, "2026-03-15": 25200.0 + 1800.0},
    "birth_year": 1988,
    "sex": "female",
}


def _run_moving_seconds() -> list[int]:
    """Seconds after the run's start at which the runner moved (the pause excluded)."""
    pause_from = int((RUN_PAUSE[0] - RUN_START).total_seconds())
    pause_to = int((RUN_PAUSE[1] - RUN_START).total_seconds())
    total = int((RUN_END - RUN_START).total_seconds())
    return [s for s in range(total) if not pause_from <= s < pause_to]


def run_records(units: Units) -> list[str]:
    """The watch's records during the outdoor run, and the phone's overlapping ones."""
    lines: list[str] = []
    total = int((RUN_END - RUN_START).total_seconds())
    for i, second in enumerate(range(0, total, 5)):
        when = RUN_START + timedelta(seconds=second)
        hr = 148 + 2 * (i % 3)
        motion = metadata("HKMetadataKeyHeartRateMotionContext", "2", "  ")
        lines.append(
            record(
                "HeartRate",
                WATCH,
                when,
                unit="count/min",
                value=hr,
                device=WATCH_DEVICE,
                children=motion,
            )
        )
    moving = set(_run_moving_seconds())
    for second in sorted(moving):
        when = RUN_START + timedelta(seconds=second)
        if second % 5 == 0:
            speed = number(RUN_SPEED_MPS / units.speed_mps, 6)
            lines.append(record("RunningSpeed", WATCH, when, unit=units.speed, value=speed))
            lines.append(record("RunningPower", WATCH, when, unit="W", value=250))
            lines.append(record("RunningGroundContactTime", WATCH, when, unit="ms", value=240))
            lines.append(record("RunningVerticalOscillation", WATCH, when, unit="cm", value=8.4))
            stride = number(1.25 / units.stride_m, 6)
            lines.append(
                record("RunningStrideLength", WATCH, when, unit=units.stride, value=stride)
            )
        if second % 10 == 0 and second + 10 - 1 in moving:
            end = when + timedelta(seconds=10)
            distance = number(35.0 / units.distance_m)
            lines.append(
                record(
                    "DistanceWalkingRunning",
                    WATCH,
                    when,
                    end,
                    unit=units.distance,
                    value=distance,
                    device=WATCH_DEVICE,
                )
            )
            lines.append(record("StepCount", WATCH, when, end, unit="count", value=28))
    for minute in range(40):  # the phone in the pocket counts too: never to be added
        when = RUN_START + timedelta(minutes=minute)
        end = when + timedelta(minutes=1)
        lines.append(
            record("StepCount", PHONE, when, end, unit="count", value=150, device=PHONE_DEVICE)
        )
        lines.append(
            record(
                "DistanceWalkingRunning",
                PHONE,
                when,
                end,
                unit=units.distance,
                value=number(200 / units.distance_m),
                device=PHONE_DEVICE,
            )
        )
    return lines


def other_workout_records(layout: str) -> list[str]:
    """Heart rate of the other workouts and the walk's phone records."""
    lines: list[str] = []
    for minute in range(45):  # the walk: the phone alone
        when = WALK_START + timedelta(minutes=minute)
        lines.append(
            record(
                "StepCount",
                PHONE,
                when,
                when + timedelta(minutes=1),
                unit="count",
                value=110,
                device=PHONE_DEVICE,
            )
        )
    for second in range(0, 30 * 60, 10):  # the strength workout
        when = STRENGTH_START + timedelta(seconds=second)
        lines.append(
            record("HeartRate", WATCH, when, unit="count/min", value=105 + 10 * (second // 10 % 2))
        )
    for second in range(0, 30 * 60, 10):  # the treadmill run
        when = TREADMILL_START + timedelta(seconds=second)
        lines.append(
            record("HeartRate", WATCH, when, unit="count/min", value=140 + 10 * (second // 10 % 2))
        )
        if second % 60 == 0:
            lines.append(
                record(
                    "DistanceWalkingRunning",
                    WATCH,
                    when,
                    when + timedelta(seconds=60),
                    unit="km",
                    value=0.2,
                )
            )
    if layout == "ios17":
        for second in range(0, 40 * 60, 30):
            when = INTERVAL_START + timedelta(seconds=second)
            lines.append(record("HeartRate", WATCH, when, unit="count/min", value=150))
    return lines


def wellness_records(layout: str) -> list[str]:
    lines: list[str] = []
    for day in range(10, 17):
        lines.append(
            record(
                "RestingHeartRate",
                WATCH,
                berlin(day, 0),
                berlin(day, 23, 59),
                unit="count/min",
                value=48 + day % 3,
            )
        )
        for hour, delta in ((3, 35), (15, 45)):
            beats = "".join(
                f'   <InstantaneousBeatsPerMinute bpm="{60 + k}" time="{hour}:00:0{k}.00"/>\n'
                for k in range(3)
            )
            tag = "HeartRateVariabilityMetadataList"
            children = f"  <{tag}>\n{beats}  </{tag}>\n"
            lines.append(
                record(
                    "HeartRateVariabilitySDNN",
                    WATCH,
                    berlin(day, hour),
                    berlin(day, hour, 1),
                    unit="ms",
                    value=day + delta,
                    children=children,
                )
            )
    asleep = "HKCategoryValueSleepAnalysisAsleep"
    core = f"{asleep}Core" if layout == "ios17" else asleep
    deep = f"{asleep}Deep" if layout == "ios17" else asleep
    rem = f"{asleep}REM" if layout == "ios17" else asleep
    unspecified = f"{asleep}Unspecified" if layout == "ios17" else asleep
    zone = metadata("HKTimeZone", "Europe/Berlin", "  ")
    sleep = "HKCategoryTypeIdentifierSleepAnalysis"
    nights = [
        (PHONE, berlin(13, 22, 45), berlin(14, 6, 45), "HKCategoryValueSleepAnalysisInBed"),
        (WATCH, berlin(13, 23), berlin(14, 1), core),
        (WATCH, berlin(14, 1), berlin(14, 2), deep),
        (WATCH, berlin(14, 2), berlin(14, 2, 15), "HKCategoryValueSleepAnalysisAwake"),
        (WATCH, berlin(14, 2, 15), berlin(14, 4), rem),
        (WATCH, berlin(14, 4), berlin(14, 6, 30), core),
        (SLEEP_APP, berlin(13, 23, 30), berlin(14, 3), unspecified),
        (SLEEP_APP, berlin(14, 3, 30), berlin(14, 6, 40), unspecified),
        (WATCH, berlin(14, 22, 30), berlin(14, 23, 50), core),
        (WATCH, berlin(14, 23, 50), berlin(15, 0, 20), "HKCategoryValueSleepAnalysisAwake"),
        (WATCH, berlin(15, 0, 20), berlin(15, 6), deep),
        (WATCH, berlin(15, 14), berlin(15, 14, 30), unspecified),
    ]
    for source, start, end, value in nights:
        lines.append(record(sleep, source, start, end, value=value, children=zone))
    return lines


def workouts(layout: str, units: Units) -> list[str]:
    return [
        _outdoor_run(layout, units),
        _walk(layout, units),
        _strength(layout),
        _treadmill(layout, units),
        *([_interval_run(units)] if layout == "ios17" else []),
    ]


def _workout_open(
    kind: str,
    source: str,
    start: datetime,
    end: datetime,
    *,
    minutes: float,
    totals: str = "",
    device: str | None = WATCH_DEVICE,
) -> str:
    device_attr = f' device="{device}"' if device else ""
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{number(minutes)}"'
        f' durationUnit="min"{totals} sourceName="{source}" sourceVersion="10.3"{device_attr}'
        f' creationDate="{date_text(end)}" startDate="{date_text(start)}"'
        f' endDate="{date_text(end)}">\n'
    )


def _totals(layout: str, distance_m: float | None, units: Units) -> str:
    if layout == "ios17" or distance_m is None:
        return ""
    return (
        f' totalDistance="{number(distance_m / units.distance_m)}"'
        f' totalDistanceUnit="{units.distance}"'
    )


def _statistics(
    layout: str,
    start: datetime,
    end: datetime,
    *,
    distance_m: float | None,
    hr: tuple[float, float, float] | None,
    units: Units,
    indent: str = "  ",
) -> str:
    if layout != "ios17":
        return ""
    text = ""
    period = f'startDate="{date_text(start)}" endDate="{date_text(end)}"'
    if hr is not None:
        text += (
            f'{indent}<WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" {period}'
            f' average="{number(hr[0])}" minimum="{number(hr[1])}" maximum="{number(hr[2])}"'
            ' unit="count/min"/>\n'
        )
    if distance_m is not None:
        text += (
            f'{indent}<WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning"'
            f' {period} sum="{number(distance_m / units.distance_m)}" unit="{units.distance}"/>\n'
        )
    return text


def _activity(layout: str, start: datetime, end: datetime, inner: str = "") -> str:
    """The WorkoutActivity every iOS 16+ workout carries, mirroring the workout."""
    if layout != "ios17":
        return ""
    minutes = (end - start).total_seconds() / 60
    return (
        f'  <WorkoutActivity uuid="{start:%Y%m%d%H%M}-0000-4000-8000-000000000000"'
        f' startDate="{date_text(start)}" endDate="{date_text(end)}"'
        f' duration="{number(minutes)}" durationUnit="min">\n{inner}  </WorkoutActivity>\n'
    )


def _outdoor_run(layout: str, units: Units) -> str:
    distance = EXPECTED["run"]["distance_m"]
    text = _workout_open(
        "Running", WATCH, RUN_START, RUN_END, minutes=38, totals=_totals(layout, distance, units)
    )
    text += metadata("HKIndoorWorkout", "0")
    text += metadata("HKTimeZone", "Europe/Berlin")
    text += metadata("HKWeatherTemperature", "45 degF")
    text += metadata("HKWeatherHumidity", "8100 %")
    text += metadata("HKElevationAscended", "4200 cm")
    text += metadata("HKAverageMETs", "10.2 kcal/hr·kg")
    for kind, when in (("Pause", RUN_PAUSE[0]), ("Resume", RUN_PAUSE[1])):
        text += f'  <WorkoutEvent type="HKWorkoutEventType{kind}" date="{date_text(when)}"/>\n'
    text += (
        f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{date_text(RUN_START)}"'
        ' duration="5.1" durationUnit="min"/>\n'
    )
    text += _activity(layout, RUN_START, RUN_END, metadata("HKIndoorWorkout", "0", "   "))
    text += _statistics(
        layout, RUN_START, RUN_END, distance_m=distance, hr=(150, 148, 152), units=units
    )
    text += (
        f'  <WorkoutRoute sourceName="{WATCH}" sourceVersion="10.3"'
        f' creationDate="{date_text(RUN_END)}" startDate="{date_text(RUN_START)}"'
        f' endDate="{date_text(RUN_END)}">\n'
        + metadata("HKMetadataKeySyncVersion", "2", "   ")
        + f'   <FileReference path="{RUN_ROUTE}"/>\n  </WorkoutRoute>\n'
    )
    return text + " </Workout>\n"


def _walk(layout: str, units: Units) -> str:
    distance = EXPECTED["walk"]["distance_m"]
    text = _workout_open(
        "Walking",
        PHONE,
        WALK_START,
        WALK_END,
        minutes=45,
        totals=_totals(layout, distance, units),
        device=PHONE_DEVICE,
    )
    text += metadata("HKIndoorWorkout", "0") + metadata("HKTimeZone", "Europe/Berlin")
    text += _activity(layout, WALK_START, WALK_END)
    text += _statistics(layout, WALK_START, WALK_END, distance_m=distance, hr=None, units=units)
    return text + " </Workout>\n"


def _strength(layout: str) -> str:
    text = _workout_open(
        "TraditionalStrengthTraining", WATCH, STRENGTH_START, STRENGTH_END, minutes=30
    )
    text += metadata("HKTimeZone", "America/New_York")
    text += _activity(layout, STRENGTH_START, STRENGTH_END)
    text += _statistics(
        layout, STRENGTH_START, STRENGTH_END, distance_m=None, hr=(110, 105, 115), units=METRIC
    )
    return text + " </Workout>\n"


def _treadmill(layout: str, units: Units) -> str:
    distance = EXPECTED["treadmill"]["distance_m"]
    text = _workout_open(
        "Running",
        WATCH,
        TREADMILL_START,
        TREADMILL_END,
        minutes=30,
        totals=_totals(layout, distance, units),
    )
    text += metadata("HKIndoorWorkout", "1") + metadata("HKTimeZone", "Europe/Berlin")
    text += _activity(
        layout, TREADMILL_START, TREADMILL_END, metadata("HKIndoorWorkout", "1", "   ")
    )
    text += _statistics(
        layout, TREADMILL_START, TREADMILL_END, distance_m=distance, hr=(145, 140, 150), units=units
    )
    return text + " </Workout>\n"


def _interval_run(units: Units) -> str:
    """iOS 17 custom workout: totals, HKIndoorWorkout and HKTimeZone only in its three steps."""
    text = _workout_open("Running", WATCH, INTERVAL_START, INTERVAL_END, minutes=39)
    for kind, when in (("MotionPaused", INTERVAL_PAUSE[0]), ("MotionResumed", INTERVAL_PAUSE[1])):
        text += f'  <WorkoutEvent type="HKWorkoutEventType{kind}" date="{date_text(when)}"/>\n'
    for index, (offset, minutes, km, average, maximum) in enumerate(INTERVAL_STEPS):
        start = INTERVAL_START + timedelta(minutes=offset)
        end = start + timedelta(minutes=minutes)
        inner = _statistics(
            "ios17",
            start,
            end,
            distance_m=km * 1000,
            hr=(average, average - 10, maximum),
            units=units,
            indent="   ",
        )
        inner += metadata("HKIndoorWorkout", "0", "   ")
        inner += metadata("HKTimeZone", "Europe/Berlin", "   ")
        inner += metadata("WOIntervalStepKeyPath", f"0.{index}.0", "   ")
        text += _activity("ios17", start, end, inner)
    return text + " </Workout>\n"


def route_gpx() -> str:
    """The outdoor run's route as the export writes it (GPX 1.1, 1 Hz while moving)."""
    points = []
    for step, second in enumerate(_run_moving_seconds()):
        when = RUN_START + timedelta(seconds=second)
        lat = ROUTE_START[0] + step * RUN_SPEED_MPS / METRES_PER_DEGREE_LAT
        points.append(
            f'   <trkpt lon="{ROUTE_START[1]:.6f}" lat="{lat:.7f}"><ele>{34 + step % 50 * 0.1:.1f}'
            f"</ele><time>{when.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}</time><extensions>"
            f"<speed>{RUN_SPEED_MPS}</speed><course>0.0</course><hAcc>2.5</hAcc>"
            "<vAcc>1.8</vAcc></extensions></trkpt>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Apple Health Export" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
        'http://www.topografix.com/GPX/1/1/gpx.xsd">\n'
        f" <metadata>\n  <time>{RUN_END.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}</time>\n </metadata>\n"
        f" <trk>\n  <name>Route 2026-03-14 7:12am</name>\n  <trkseg>\n{''.join(points)}"
        "  </trkseg>\n </trk>\n</gpx>\n"
    )


def export_xml(
    layout: str = "ios17", units: Units = METRIC, *, workouts_first: bool = False
) -> str:
    """The whole ``export.xml`` of the scenario."""
    head = prolog(layout) + (
        f'<HealthData locale="{units.locale}">\n'
        f' <ExportDate value="{date_text(berlin(18, 9))}"/>\n'
        ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-07-02"'
        ' HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"'
        ' HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet"'
        ' HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet"'
        ' HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n'
    )
    records = run_records(units) + other_workout_records(layout) + wellness_records(layout)
    body = workouts(layout, units)
    summary = (
        ' <ActivitySummary dateComponents="2026-03-14" activeEnergyBurned="612.4"'
        ' activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="kcal" appleExerciseTime="52"'
        ' appleExerciseTimeGoal="30" appleStandHours="11" appleStandHoursGoal="12"/>\n'
    )
    parts = body + records if workouts_first else records + body
    return head + "".join(parts) + summary + "</HealthData>\n"


CDA = (
    '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">\n'
    " <title>Health Data Export</title>\n</ClinicalDocument>\n"
)


def write_export(
    out_dir: Path,
    *,
    layout: str = "ios17",
    units: Units = METRIC,
    workouts_first: bool = False,
    with_route: bool = True,
    name: str = "export.zip",
) -> Path:
    """Write the scenario as ``out_dir/name`` (a zip as the phone makes it); return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    top = "apple_health_export"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{top}/", b"")
        archive.writestr(
            f"{top}/export.xml", export_xml(layout, units, workouts_first=workouts_first)
        )
        archive.writestr(f"{top}/export_cda.xml", CDA)
        if with_route:
            archive.writestr(f"{top}{RUN_ROUTE}", route_gpx())
        archive.writestr(
            f"{top}/electrocardiograms/ecg_2026-03-01.csv",
            "Name,Alex\nDate of Birth,1988-07-02\nRecorded Date,2026-03-01 08:00:00 +0100\n",
        )
        archive.writestr("__MACOSX/apple_health_export/._export.xml", b"\x00\x05\x16\x07junk")
        archive.writestr(f"{top}/.DS_Store", b"\x00\x00\x00\x01Bud1")
    return path


def write_folder(out_dir: Path, **kwargs: object) -> Path:
    """The same export unpacked: ``out_dir/apple_health_export/``; return that folder."""
    zip_path = write_export(out_dir, name="_export.zip", **kwargs)  # type: ignore[arg-type]
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(out_dir)
    zip_path.unlink()
    return out_dir / "apple_health_export"


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    """A zip made of ``entries`` (for hostile variations)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--layout", choices=("ios17", "ios15"), default="ios17")
    parser.add_argument("--units", choices=("metric", "imperial"), default="metric")
    parser.add_argument("--workouts-first", action="store_true")
    args = parser.parse_args()
    path = write_export(
        args.out_dir,
        layout=args.layout,
        units=METRIC if args.units == "metric" else IMPERIAL,
        workouts_first=args.workouts_first,
    )
    print(path)


if __name__ == "__main__":
    main()
