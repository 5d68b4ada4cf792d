"""Apple Health "Export All Health Data" (iPhone / Apple Watch): workouts, wellness, profile.

What the runner has: ``export.zip`` holding ``apple_health_export/export.xml`` (0.5-4 GB),
``export_cda.xml`` (clinical documents, not read), ``workout-routes/route_*.gpx`` and maybe
``electrocardiograms/*.csv`` and ``__MACOSX/._*`` junk; or that folder unpacked; or the bare
``export.xml``. ``open_apple_health`` reads any of the three (FORMATS.md, "Apple Health").

How it is read, and why:

* **Streamed, twice.** ``export.xml`` is streamed from the zip member (or the file) through
  expat with its DOCTYPE cut out unexpanded (``apple_health_xml``): the iOS 16+ DTD is malformed
  and must not reach the parser, and an entity in it refuses the file. The first pass collects
  the workouts (a few hundred bytes each), the daily wellness values and the profile; the second
  (``apple_health_samples``) collects the records that fall inside a workout, because records
  and workouts come in no guaranteed order (real exports write the records first). Memory
  follows the workouts' samples, never the file.
* **All or nothing.** A file cut short or not well-formed is refused whole (``CorruptFile``
  naming the file and where it ends) by the first pass, before any activity exists: the pipeline
  saves per import unit, and a partial export would look complete. The second pass runs to the
  end before the first activity is yielded, for the same reason.
* **Workouts → activities**, one per ``<Workout>`` (see ``SPORTS`` below for the sports).
  ``WorkoutActivity`` children (iOS 16+) carry no activity type of their own: every workout
  has one, and structured interval workouts have one per step (warm-up, each repetition,
  cool-down), so they are read as parts of their workout, not split off: their statistics,
  metadata and events fill in what the workout itself lacks.

  - start: ``startDate`` (its own offset gives the UTC instant); local offset from the
    ``HKTimeZone`` metadata when present (dates are written in the zone of the phone at export
    time, not of the workout: a run abroad would be off by hours), else from the route's first
    position, else the date's own offset. A date offset that disagrees with HKTimeZone adds a
    warning.
  - elapsed = end − start; timer = elapsed − pauses (``WorkoutEvent`` Pause/Resume and Motion
    paused/resumed, a pause still open at the end running to the end); without pause events the
    ``duration`` attribute (Apple's active time) when it is not longer than elapsed.
  - distance: ``totalDistance`` + unit (older exports), else the sport's ``WorkoutStatistics``
    sum (iOS 16+, also summed over the ``WorkoutActivity`` children), else the records, else the
    route.
  - heart rate: ``WorkoutStatistics`` HeartRate average/maximum, else the children's
    (duration-weighted average, highest maximum), else the samples.
  - ascent: ``HKElevationAscended`` metadata ("217 cm"); indoor: ``HKIndoorWorkout`` = 1.
  - samples: the route GPX (``WorkoutRoute/FileReference``, read with ``read_gpx`` from inside
    the zip or folder, cut to the workout's time) gives positions, altitude, speed and distance;
    the records of the workout's own device give heart rate, running dynamics, power, cadence
    and distance (``apple_health_samples``). Record distance and speed win over the route's
    GPS-derived ones (they are what Apple's own totals come from). A missing or unreadable
    route leaves the workout without positions, with a warning.
  - ``source_sha256``: a hash of the workout's type, source and UTC start and end, so the same
    workout in a later export (written in another zone, or with more data around it) is the same
    import; ``source_index`` is 0 (the hash already names the workout).
* **Wellness** (``WellnessDay``, ``apple_health_wellness``): resting heart rate and HRV SDNN
  (daily means) and time asleep (asleep values only, overlapping sources merged, a night counted
  on the local date it ends).
* **Profile** (``ProfileHints``): year of birth and sex from ``<Me>``, as hints the runner's
  profile overrides.
* **Layers**: this module decodes only. Cleaning (``sanity.clean_activities``), deduplication
  and saving are the pipeline's; ``activities(skip=...)`` lets it leave out the workouts it
  already holds before anything is read for them, so a re-import costs the first pass only.

Sports (``SPORTS``), in FIT's names; any other type becomes its name in snake case
(``HKWorkoutActivityTypeCrossCountrySkiing`` → ``cross_country_skiing``):

===========================================  ====================  =========================
HKWorkoutActivityType…                       sport                 sub_sport (indoor)
===========================================  ====================  =========================
Running                                      running               — (treadmill; surface
                                                                   "treadmill")
Walking                                      walking               — (indoor_walking)
Hiking                                       hiking                —
Cycling                                      cycling               — (indoor_cycling)
HandCycling                                  cycling               hand_cycling
Swimming                                     swimming              lap_swimming / open_water
                                                                   (HKSwimmingLocationType)
TraditionalStrengthTraining,                 training              strength_training
FunctionalStrengthTraining
CoreTraining                                 training              core_training
HighIntensityIntervalTraining                training              hiit
CrossTraining                                training              cross_training
MixedCardio, MixedMetabolicCardioTraining    training              cardio_training
Yoga                                         training              yoga
Pilates                                      training              pilates
Flexibility                                  training              flexibility_training
TaiChi                                       training              tai_chi
MindAndBody                                  training              mind_and_body
Cooldown                                     training              cooldown
Elliptical                                   fitness_equipment     elliptical
StairClimbing, Stairs                        fitness_equipment     stair_climbing
Rowing                                       rowing                — (indoor_rowing)
CrossCountrySkiing                           cross_country_skiing  —
DownhillSkiing                               alpine_skiing         —
SwimBikeRun                                  multisport            —
Transition                                   transition            —
Other                                        generic               —
===========================================  ====================  =========================
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from stridewise.archive import (
    FolderSource,
    Source,
    ZipSource,
    is_junk,
    unsafe_name_reason,
)
from stridewise.errors import (
    CorruptFile,
    SkippedFile,
    StridewiseError,
    UnsupportedFile,
)
from stridewise.importers.apple_health_samples import (
    ON_FOOT_SPORTS,
    UNITS,
    RecordSamples,
    WorkoutWindow,
    collect_records,
    workout_columns,
)
from stridewise.importers.apple_health_wellness import (
    WELLNESS_TYPES,
    WellnessCollector,
    zone_offset,
)
from stridewise.importers.apple_health_xml import parse_date, stream_elements
from stridewise.importers.exports import ExportProblem, WellnessDay
from stridewise.importers.sizes import MAX_FILE_BYTES
from stridewise.importers.track import canonical_samples, column_max, column_mean
from stridewise.model import Activity, empty_samples

if TYPE_CHECKING:  # pandas, and the GPX reader of routes, load when an Apple Health export comes
    import pandas as pd

#: Largest ``export.xml`` accepted [bytes]: real exports reach 4 GB; twice that is not one.
MAX_EXPORT_XML_BYTES = 8 * 2**30

#: Largest uncompressed size of a whole export zip [bytes]: the XML, its clinical twin, routes.
MAX_EXPORT_ZIP_BYTES = 12 * 2**30

SOURCE_FORMAT = "apple-health"

EXPORT_XML = "export.xml"
CLINICAL_XML = "export_cda.xml"

#: Years a workout may be dated in (first, first not allowed); the pipeline's sanity checks
#: are stricter (no start before 1990).
WORKOUT_YEARS = (1970, 2200)
_EARLIEST_S = int(datetime(WORKOUT_YEARS[0], 1, 1, tzinfo=UTC).timestamp())
_LATEST_S = int(datetime(WORKOUT_YEARS[1], 1, 1, tzinfo=UTC).timestamp())

#: A route point this far outside its workout's time is not the workout's [s].
ROUTE_SLACK_S = 60

#: HKWorkoutActivityType… suffix -> (sport, sub_sport, sub_sport when indoor).
SPORTS: dict[str, tuple[str, str | None, str | None]] = {
    "Running": ("running", None, "treadmill"),
    "Walking": ("walking", None, "indoor_walking"),
    "Hiking": ("hiking", None, None),
    "Cycling": ("cycling", None, "indoor_cycling"),
    "HandCycling": ("cycling", "hand_cycling", "hand_cycling"),
    "Swimming": ("swimming", None, None),
    "TraditionalStrengthTraining": ("training", "strength_training", "strength_training"),
    "FunctionalStrengthTraining": ("training", "strength_training", "strength_training"),
    "CoreTraining": ("training", "core_training", "core_training"),
    "HighIntensityIntervalTraining": ("training", "hiit", "hiit"),
    "CrossTraining": ("training", "cross_training", "cross_training"),
    "MixedCardio": ("training", "cardio_training", "cardio_training"),
    "MixedMetabolicCardioTraining": ("training", "cardio_training", "cardio_training"),
    "Yoga": ("training", "yoga", "yoga"),
    "Pilates": ("training", "pilates", "pilates"),
    "Flexibility": ("training", "flexibility_training", "flexibility_training"),
    "TaiChi": ("training", "tai_chi", "tai_chi"),
    "MindAndBody": ("training", "mind_and_body", "mind_and_body"),
    "Cooldown": ("training", "cooldown", "cooldown"),
    "Elliptical": ("fitness_equipment", "elliptical", "elliptical"),
    "StairClimbing": ("fitness_equipment", "stair_climbing", "stair_climbing"),
    "Stairs": ("fitness_equipment", "stair_climbing", "stair_climbing"),
    "Rowing": ("rowing", None, "indoor_rowing"),
    "CrossCountrySkiing": ("cross_country_skiing", None, None),
    "DownhillSkiing": ("alpine_skiing", None, None),
    "SwimBikeRun": ("multisport", None, None),
    "Transition": ("transition", None, None),
    "Other": ("generic", None, None),
}

_TYPE_PREFIX = "HKWorkoutActivityType"
_SWIM_LOCATIONS = {"1": "lap_swimming", "2": "open_water"}

_PAUSES = {"HKWorkoutEventTypePause": "manual", "HKWorkoutEventTypeMotionPaused": "motion"}
_RESUMES = {"HKWorkoutEventTypeResume": "manual", "HKWorkoutEventTypeMotionResumed": "motion"}

_DURATION_S = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0, "ms": 0.001}
_SEXES = {"HKBiologicalSexFemale": "female", "HKBiologicalSexMale": "male"}
#: One field of HealthKit's device description; a value may hold commas ("hardware:Watch6,2").
_DEVICE_NAME = re.compile(r"\bname:(.*?)(?:, [a-z]+:|>|$)")
_DEVICE_HARDWARE = re.compile(r"\bhardware:(.*?)(?:, [a-z]+:|>|$)")
_QUANTITY = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)\s*$")
_HEALTH_DATA_ROOT = re.compile(rb"<(?:!DOCTYPE\s+)?HealthData[\s>/\[]")


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileHints:
    """What the export says about the runner; the runner's own profile overrides it."""

    birth_year: int | None = None
    sex: str | None = None  # "female" or "male" (other values are left unknown)


@dataclass
class WorkoutInfo:
    """A ``<Workout>`` as the first pass keeps it: attributes, children, nothing per sample."""

    ordinal: int  # position among the file's workouts
    activity_type: str
    source_name: str
    device: str | None
    start_s: int  # [s since 1970, UTC]
    end_s: int
    written_offset_s: int  # offset its startDate is written with [s]
    attributes: dict[str, str]
    metadata: dict[str, str] = field(default_factory=dict)
    events: list[tuple[str, int]] = field(default_factory=list)  # (type, [s since 1970])
    statistics: dict[str, dict[str, str]] = field(default_factory=dict)
    parts: list[_Part] = field(default_factory=list)  # WorkoutActivity children
    route_paths: list[str] = field(default_factory=list)
    inline_locations: int = 0  # <Location> points of exports before iOS 12 (not read)

    @property
    def window(self) -> WorkoutWindow:
        return WorkoutWindow(self.start_s, self.end_s)


@dataclass
class _Part:
    """A ``WorkoutActivity`` child (iOS 16+)."""

    start_s: int | None
    end_s: int | None
    metadata: dict[str, str] = field(default_factory=dict)
    events: list[tuple[str, int]] = field(default_factory=list)
    statistics: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class AppleHealthExport:
    """An Apple Health export after its first pass: workouts known, activities still to read.

    ``activities()`` reads the records (the second pass) and then yields one ``Activity`` per
    workout; ``warnings`` and ``problems`` are complete once it is exhausted. ``wellness`` and
    ``profile`` are ready at once. Close it (or use it as a context manager) when done.
    """

    source: Source
    xml_name: str  # entry of export.xml inside ``source``
    label: str  # what the runner sees: "export.zip/apple_health_export/export.xml"
    workouts: list[WorkoutInfo]
    wellness: list[WellnessDay]
    profile: ProfileHints
    warnings: list[str] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    records_seen: int = 0
    bytes_read: int = 0
    owns_source: bool = True

    @property
    def activity_count(self) -> int:
        """How many activities ``activities()`` will yield at most (for a progress total)."""
        return len(self.workouts)

    def activities(self, skip: Callable[[str], bool] | None = None) -> Iterator[Activity]:
        """Read the records (second pass), then yield the workouts' activities one by one.

        ``skip(source_sha256)`` True leaves a workout out before anything is read for it (the
        pipeline passes "already imported": a re-import then costs the first pass only; when
        every workout is skipped there is no second pass). Raises ``CorruptFile`` (before the
        first activity) when the file changed since it was opened and is now cut short or
        damaged. A workout that cannot be made into an activity is left out and named in
        ``problems``.
        """
        todo = [w for w in self.workouts if skip is None or not skip(workout_sha256(w))]
        if not todo:
            return
        records = self._records(todo)
        self._warn_about_records(records)
        routes = _RouteFinder(self.source, self.xml_name)
        for index, info in enumerate(todo):
            try:
                activity = build_activity(info, index, records, routes, self.label)
            except StridewiseError as exc:
                label = f"{self.label} Workout #{info.ordinal + 1}"
                problem = ExportProblem(label, f"{label}: {exc}")
                if problem not in self.problems:
                    self.problems.append(problem)
                continue
            yield activity

    def _records(self, workouts: list[WorkoutInfo]) -> RecordSamples:
        with _open(self.source, self.xml_name) as stream:
            records = collect_records(stream, self.label, [w.window for w in workouts])
        self.records_seen = max(self.records_seen, records.records_seen)
        return records

    def _warn_about_records(self, records: RecordSamples) -> None:
        messages = []
        for identifier, units in sorted(records.unknown_units.items()):
            count = sum(units.values())
            names = ", ".join(repr(unit) for unit in sorted(units))
            messages.append(
                f"{self.label}: {count} {_short(identifier)} records during workouts have an "
                f"unknown unit ({names}) and were skipped"
            )
        if records.bad_records:
            messages.append(
                f"{self.label}: {records.bad_records} heart rate, running, distance or step "
                "records have an unreadable date or value and were skipped"
            )
        # activities() may be read twice: say each thing once
        self.warnings.extend(m for m in messages if m not in self.warnings)

    def close(self) -> None:
        if self.owns_source:
            self.source.close()

    def __enter__(self) -> AppleHealthExport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _short(identifier: str) -> str:
    for prefix in ("HKQuantityTypeIdentifier", "HKCategoryTypeIdentifier"):
        if identifier.startswith(prefix):
            return identifier[len(prefix) :]
    return identifier


# --- recognition -----------------------------------------------------------------------------


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name.lower()


def is_apple_health_zip(names: Iterable[str]) -> bool:
    """Whether the entry names of a zip are an Apple Health export (``export.xml`` or its
    clinical twin ``export_cda.xml`` somewhere inside, macOS junk aside)."""
    return any(_base(name) in (EXPORT_XML, CLINICAL_XML) and not is_junk(name) for name in names)


def is_apple_health_folder(path: Path) -> bool:
    """Whether ``path`` is an unpacked export: ``apple_health_export/`` itself (holding
    ``export.xml``), or a folder holding that folder."""
    folder = path / "apple_health_export" if (path / "apple_health_export").is_dir() else path
    xml = folder / EXPORT_XML
    if not xml.is_file():
        return (folder / CLINICAL_XML).is_file() and folder.name == "apple_health_export"
    if folder.name == "apple_health_export":
        return True
    try:
        with xml.open("rb") as handle:
            return looks_like_apple_health_xml(handle.read(64 * 1024))
    except OSError:
        return False


def looks_like_apple_health_xml(first_bytes: bytes) -> bool:
    """Whether a file's first bytes (64 KB: the DTD comes first) are an export's
    ``<HealthData>`` document."""
    return _HEALTH_DATA_ROOT.search(first_bytes) is not None


# --- opening ---------------------------------------------------------------------------------


def open_apple_health(path: str | Path) -> AppleHealthExport:
    """Open an Apple Health export (``export.zip``, the unpacked folder or ``export.xml``) and
    read its workouts, wellness and profile (the first pass over ``export.xml``).

    Raises ``CorruptFile`` for a file cut short, not well-formed or without ``export.xml``,
    ``UnsupportedFile`` for ``export_cda.xml`` alone, ``UnsafeFile`` for entities and zip bombs.
    """
    path = Path(path)
    if path.is_dir():
        folder = path / "apple_health_export" if (path / "apple_health_export").is_dir() else path
        source: Source = FolderSource(folder, str(path) if folder == path else str(folder))
    elif path.suffix.lower() == ".zip":
        source = ZipSource(path, path.name, depth=1, max_bytes=MAX_EXPORT_ZIP_BYTES)
    else:
        source = FolderSource(path.parent, str(path.parent))
        if path.name.lower() == CLINICAL_XML:
            raise _clinical_only(path.name)
        try:
            return open_apple_health_source(source, path.name, label=path.name)
        except BaseException:
            source.close()
            raise
    try:
        return open_apple_health_source(source)
    except BaseException:
        source.close()
        raise


def open_apple_health_source(
    source: Source, xml_name: str | None = None, *, label: str | None = None
) -> AppleHealthExport:
    """The first pass over the ``export.xml`` of an already opened zip or folder (found by name
    when ``xml_name`` is None). The returned export owns ``source`` and closes it."""
    if xml_name is None:
        xml_name = find_export_xml(source)
    label = label or f"{source.label}/{xml_name}"
    first = _FirstPass(label)
    with _open(source, xml_name) as stream:
        bytes_read = stream_elements(stream, label, first.start, first.end)
    first.check_root()
    return AppleHealthExport(
        source=source,
        xml_name=xml_name,
        label=label,
        workouts=first.workouts,
        wellness=first.wellness.days(),
        profile=first.profile,
        warnings=first.wellness.warnings(label),
        problems=first.problems,
        records_seen=first.records_seen,
        bytes_read=bytes_read,
    )


def find_export_xml(source: Source) -> str:
    """The entry name of ``export.xml`` in a zip or folder (the shallowest one)."""
    names = source.names()
    found = sorted(
        (name for name in names if _base(name) == EXPORT_XML),
        key=lambda name: (name.count("/"), name),
    )
    if found:
        return found[0]
    if any(_base(name) == CLINICAL_XML for name in names):
        raise _clinical_only(source.label)
    raise CorruptFile(
        f"{source.label}: no export.xml inside; not an Apple Health export, or an incomplete one"
    )


def _clinical_only(label: str) -> UnsupportedFile:
    return UnsupportedFile(
        f"{label}: holds only export_cda.xml, the clinical-documents file of an Apple Health "
        "export, not the health data; import export.zip or its export.xml"
    )


def _open(source: Source, name: str) -> BinaryIO:
    return source.open_stream(name, MAX_EXPORT_XML_BYTES)


# --- first pass: workouts, wellness, profile -------------------------------------------------


class _FirstPass:
    """The expat handlers of the first pass."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.root: str | None = None
        self.workouts: list[WorkoutInfo] = []
        self.problems: list[ExportProblem] = []
        self.profile = ProfileHints()
        self.records_seen = 0
        self._workout: WorkoutInfo | None = None
        self._part: _Part | None = None
        self._in_route = False
        self._workout_count = 0
        self._record: dict[str, str] | None = None  # a wellness record until its end tag
        self._record_zone: str | None = None
        self.wellness = WellnessCollector()

    # expat handlers

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
            if name != "HealthData":
                self.check_root()
            return
        if name == "Record":
            self.records_seen += 1
            if attrs.get("type") in WELLNESS_TYPES:
                self._record, self._record_zone = attrs, None
        elif name == "MetadataEntry":
            self._metadata(attrs)
        elif name == "Workout":
            self._start_workout(attrs)
        elif self._workout is not None:
            self._workout_child(name, attrs)
        elif name == "Me":
            self.profile = _profile(attrs)

    def end(self, name: str) -> None:
        if name == "Record":
            if self._record is not None:
                self.wellness.add(self._record, self._record_zone)
                self._record = None
        elif name == "Workout" and self._workout is not None:
            self.workouts.append(self._workout)
            self._workout = None
        elif name == "WorkoutActivity" and self._part is not None and self._workout is not None:
            self._workout.parts.append(self._part)
            self._part = None
        elif name == "WorkoutRoute":
            self._in_route = False

    def check_root(self) -> None:
        if self.root == "HealthData":
            return
        if self.root == "ClinicalDocument":
            raise _clinical_only(self.label)
        raise CorruptFile(
            f"{self.label}: not an Apple Health export (its root element is <{self.root}>, "
            "not <HealthData>)"
        )

    # workouts

    def _start_workout(self, attrs: dict[str, str]) -> None:
        ordinal = self._workout_count
        self._workout_count += 1
        try:
            start_s, offset_s = parse_date(attrs["startDate"])
            end_s = parse_date(attrs["endDate"])[0]
        except (KeyError, ValueError):
            label = f"{self.label} Workout #{ordinal + 1}"
            self.problems.append(
                ExportProblem(label, f"{label}: no readable start and end date; left out")
            )
            return
        reason = _impossible_times(start_s, end_s)
        if reason:
            label = f"{self.label} Workout #{ordinal + 1}"
            self.problems.append(ExportProblem(label, f"{label}: {reason}; left out"))
            return
        self._workout = WorkoutInfo(
            ordinal=ordinal,
            activity_type=attrs.get("workoutActivityType", ""),
            source_name=attrs.get("sourceName", ""),
            device=_device(attrs.get("device")) or _words(attrs.get("sourceName")),
            start_s=start_s,
            end_s=end_s,
            written_offset_s=offset_s,
            attributes=dict(attrs),
        )

    def _workout_child(self, name: str, attrs: dict[str, str]) -> None:
        workout = self._workout
        if workout is None:
            return
        target = self._part if self._part is not None else workout
        if name == "WorkoutEvent":
            when = _date_or_none(attrs.get("date"))
            if when is not None:  # an event without a readable date cannot be placed
                target.events.append((attrs.get("type", ""), when))
        elif name == "WorkoutStatistics":
            target.statistics.setdefault(attrs.get("type", ""), dict(attrs))
        elif name == "WorkoutActivity":
            self._part = _Part(
                _date_or_none(attrs.get("startDate")), _date_or_none(attrs.get("endDate"))
            )
        elif name == "WorkoutRoute":
            self._in_route = True
        elif name == "FileReference" and self._in_route and attrs.get("path"):
            workout.route_paths.append(attrs["path"])
        elif name == "Location":
            workout.inline_locations += 1

    def _metadata(self, attrs: dict[str, str]) -> None:
        key, value = attrs.get("key"), attrs.get("value")
        if key is None or value is None:
            return
        if self._record is not None:
            if key == "HKTimeZone":
                self._record_zone = value
        elif self._workout is not None and not self._in_route:
            target = self._part if self._part is not None else self._workout
            target.metadata.setdefault(key, value)


def _impossible_times(start_s: int, end_s: int) -> str | None:
    """Why a workout's times cannot be a workout's (None when they can). Dates outside
    ``WORKOUT_YEARS`` would not even fit the sample frames' nanosecond clock."""
    if end_s < start_s:
        return "ends before it starts"
    if start_s < _EARLIEST_S or end_s >= _LATEST_S:
        return f"dated outside the years {WORKOUT_YEARS[0]}-{WORKOUT_YEARS[1] - 1}"
    return None


def _date_or_none(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return parse_date(text)[0]
    except ValueError:
        return None


def _profile(attrs: dict[str, str]) -> ProfileHints:
    birth = attrs.get("HKCharacteristicTypeIdentifierDateOfBirth", "")
    try:
        birth_year: int | None = date.fromisoformat(birth.strip()[:10]).year
    except ValueError:
        birth_year = None
    sex = _SEXES.get(attrs.get("HKCharacteristicTypeIdentifierBiologicalSex", ""))
    return ProfileHints(birth_year=birth_year, sex=sex)


def _device(text: str | None) -> str | None:
    """A device name from HealthKit's description ``<<HKDevice: 0x…>, name:Apple Watch,
    manufacturer:Apple Inc., model:Watch, hardware:Watch6,7, software:10.2>``."""
    if not text:
        return None
    name = _DEVICE_NAME.search(text)
    hardware = _DEVICE_HARDWARE.search(text)
    if name is None:
        return None
    if hardware is None:
        return _words(name.group(1))
    return _words(f"{name.group(1)} {hardware.group(1)}")


def _words(text: str | None) -> str | None:
    """``text`` with its runs of whitespace (no-break spaces too: "Apple\xa0Watch") as one
    space, or None when nothing is left."""
    return " ".join(text.split()) or None if text else None


# --- activities ------------------------------------------------------------------------------


def sport_of(activity_type: str, metadata: dict[str, str]) -> tuple[str, str | None, str]:
    """(sport, sub_sport, surface) of a workout type, in FIT's names (see ``SPORTS``)."""
    short = activity_type.removeprefix(_TYPE_PREFIX)
    indoor = metadata.get("HKIndoorWorkout") == "1"
    if short in SPORTS:
        sport, sub_sport, indoor_sub_sport = SPORTS[short]
    else:
        sport = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", short).lower() or "generic"
        sub_sport, indoor_sub_sport = None, None
    if indoor and indoor_sub_sport:
        sub_sport = indoor_sub_sport
    if sport == "swimming":
        sub_sport = _SWIM_LOCATIONS.get(metadata.get("HKSwimmingLocationType", ""), sub_sport)
    surface = "treadmill" if sport == "running" and indoor else "unknown"
    return sport, sub_sport, surface


def build_activity(
    info: WorkoutInfo,
    index: int,
    records: RecordSamples,
    routes: _RouteFinder,
    label: str,
) -> Activity:
    """One workout as an ``Activity``: its summary, route and record samples."""
    metadata = _merged_metadata(info)
    sport, sub_sport, surface = sport_of(info.activity_type, metadata)
    start = datetime.fromtimestamp(info.start_s, UTC)
    warnings: list[str] = []
    if info.inline_locations:
        warnings.append(
            f"the workout's {info.inline_locations} inline <Location> points (exports before "
            "iOS 12) were not read"
        )
    route, route_offset = routes.read(info, warnings)
    columns = workout_columns(records, index, info.source_name, sport)
    for identifier, source in sorted(columns.borrowed.items()):
        warnings.append(
            f"{_short(identifier)} from {source!r}: the workout's own source "
            f"{info.source_name!r} wrote none"
        )
    samples = _merge_samples(route, columns.columns)
    offset_s = _utc_offset(info, metadata, route_offset, warnings)
    elapsed_s = float(info.end_s - info.start_s)
    avg_hr, max_hr = _heart_rate(info)
    activity = Activity(
        sport=sport,
        sub_sport=sub_sport,
        surface=surface,
        surface_source="file" if surface != "unknown" else None,
        start_utc=start,
        samples=samples,
        utc_offset_s=offset_s,
        elapsed_s=elapsed_s,
        timer_s=_timer_s(info, elapsed_s),
        distance_m=_distance_m(info, sport, samples),
        ascent_m=_ascent_m(info),
        avg_heart_rate_bpm=avg_hr if avg_hr is not None else column_mean(samples, "heart_rate_bpm"),
        max_heart_rate_bpm=max_hr if max_hr is not None else column_max(samples, "heart_rate_bpm"),
        avg_cadence_spm=_cadence(samples) if sport in ON_FOOT_SPORTS else None,
        device=info.device,
        name=None,
        source_format=SOURCE_FORMAT,
        source_index=0,
        warnings=warnings,
    )
    local = activity.local_start or start
    activity.source_name = f"{label} Workout {local:%Y-%m-%d %H:%M}"
    activity.source_sha256 = workout_sha256(info)
    return activity


def workout_sha256(info: WorkoutInfo) -> str:
    """A stable key of a workout: its type, source and UTC start and end (not the text of its
    dates, which each export writes in the phone's zone of the day)."""
    key = "|".join(
        (
            "apple-health workout",
            info.activity_type,
            info.source_name,
            str(info.start_s),
            str(info.end_s),
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _merged_metadata(info: WorkoutInfo) -> dict[str, str]:
    """The workout's metadata, filled in from its WorkoutActivity children (iOS 16+ exports may
    keep HKIndoorWorkout or HKTimeZone only there)."""
    merged = dict(info.metadata)
    for part in info.parts:
        for key, value in part.metadata.items():
            merged.setdefault(key, value)
    return merged


def _utc_offset(
    info: WorkoutInfo, metadata: dict[str, str], route_offset: int | None, warnings: list[str]
) -> int:
    zone = metadata.get("HKTimeZone")
    if zone:
        offset = zone_offset(zone, info.start_s)
        if offset is None:
            warnings.append(f"unknown time zone {zone!r} in HKTimeZone; not used")
        else:
            if offset != info.written_offset_s:
                warnings.append(
                    f"its dates are written with UTC offset {_hhmm(info.written_offset_s)}, but "
                    f"HKTimeZone {zone} was {_hhmm(offset)} at the start; local time from "
                    "HKTimeZone"
                )
            return offset
    if route_offset is not None:
        return route_offset
    return info.written_offset_s


def _hhmm(offset_s: int) -> str:
    sign = "-" if offset_s < 0 else "+"
    hours, rest = divmod(abs(offset_s), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def _timer_s(info: WorkoutInfo, elapsed_s: float) -> float:
    """Elapsed time less pauses; Apple's ``duration`` when there are no pause events."""
    events = info.events
    if not any(kind in _PAUSES or kind in _RESUMES for kind, _ in events):
        events = [event for part in info.parts for event in part.events]
    paused = pause_seconds(events, info.start_s, info.end_s)
    if paused is not None:
        return max(elapsed_s - paused, 0.0)
    duration = _duration_s(info.attributes)
    if duration is not None and 0.0 <= duration <= elapsed_s + 1.0:
        return min(duration, elapsed_s)
    return elapsed_s


def pause_seconds(events: list[tuple[str, int]], start_s: int, end_s: int) -> float | None:
    """Time paused [s] from pause/resume events, None when there are none.

    Manual pauses and motion pauses (auto-pause) are tracked apart and may overlap: the runner
    is paused while either is; a pause still open at the end lasts to the end.
    """
    relevant = sorted((when, kind) for kind, when in events if kind in _PAUSES or kind in _RESUMES)
    if not relevant:
        return None
    state = {"manual": False, "motion": False}
    paused_since: float | None = None
    total = 0.0
    for when, kind in relevant:
        moment = min(max(when, start_s), end_s)
        if kind in _PAUSES:
            state[_PAUSES[kind]] = True
        else:
            state[_RESUMES[kind]] = False
        now_paused = state["manual"] or state["motion"]
        if now_paused and paused_since is None:
            paused_since = moment
        elif not now_paused and paused_since is not None:
            total += moment - paused_since
            paused_since = None
    if paused_since is not None:
        total += end_s - paused_since
    return total


def _duration_s(attrs: dict[str, str]) -> float | None:
    factor = _DURATION_S.get(attrs.get("durationUnit", "min"))
    value = _number(attrs.get("duration"))
    if factor is None or value is None:
        return None
    return value * factor


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _distance_m(info: WorkoutInfo, sport: str, samples: pd.DataFrame) -> float | None:
    total = _number(info.attributes.get("totalDistance"))
    factor = UNITS["length_m"].get(info.attributes.get("totalDistanceUnit", ""))
    if total is not None and factor is not None:
        return total * factor
    from_statistics = _statistics_distance_m(info.statistics, sport)
    if from_statistics is not None:
        return from_statistics
    parts = [_statistics_distance_m(part.statistics, sport) for part in info.parts]
    if parts and any(part is not None for part in parts):
        return float(sum(part for part in parts if part is not None))
    if "distance_m" in samples and samples["distance_m"].notna().any():
        return float(samples["distance_m"].max())
    return None


def _statistics_distance_m(statistics: dict[str, dict[str, str]], sport: str) -> float | None:
    """The sport's distance sum among WorkoutStatistics, else any distance sum [m]."""
    preferred = {
        "cycling": "HKQuantityTypeIdentifierDistanceCycling",
        "swimming": "HKQuantityTypeIdentifierDistanceSwimming",
    }.get(sport, "HKQuantityTypeIdentifierDistanceWalkingRunning")
    candidates = [preferred] + sorted(
        kind for kind in statistics if kind.startswith("HKQuantityTypeIdentifierDistance")
    )
    for kind in candidates:
        attrs = statistics.get(kind)
        if attrs is None:
            continue
        value = _number(attrs.get("sum"))
        factor = UNITS["length_m"].get(attrs.get("unit", ""))
        if value is not None and factor is not None:
            return value * factor
    return None


def _heart_rate(info: WorkoutInfo) -> tuple[float | None, float | None]:
    """(average, maximum) heart rate [1/min] from WorkoutStatistics: the workout's own, else its
    children's (average weighted by their durations)."""
    own = _heart_rate_statistics(info.statistics)
    if own[0] is not None or own[1] is not None:
        return own
    weighted, weights, highest = 0.0, 0.0, None
    for part in info.parts:
        average, maximum = _heart_rate_statistics(part.statistics)
        if average is not None:
            span = (
                float(part.end_s - part.start_s)
                if part.start_s is not None and part.end_s is not None
                else 0.0
            )
            weight = span if span > 0 else 1.0
            weighted += average * weight
            weights += weight
        if maximum is not None:
            highest = maximum if highest is None else max(highest, maximum)
    return (weighted / weights if weights else None), highest


def _heart_rate_statistics(
    statistics: dict[str, dict[str, str]],
) -> tuple[float | None, float | None]:
    attrs = statistics.get("HKQuantityTypeIdentifierHeartRate")
    if attrs is None:
        return None, None
    factor = UNITS["heart_rate"].get(attrs.get("unit", ""))
    if factor is None:
        return None, None
    average, maximum = _number(attrs.get("average")), _number(attrs.get("maximum"))
    return (
        average * factor if average is not None else None,
        maximum * factor if maximum is not None else None,
    )


def _ascent_m(info: WorkoutInfo) -> float | None:
    """``HKElevationAscended`` ("217 cm") [m]: the workout's, else the sum of its children's."""
    own = parse_quantity_m(info.metadata.get("HKElevationAscended"))
    if own is not None:
        return own
    parts = [parse_quantity_m(part.metadata.get("HKElevationAscended")) for part in info.parts]
    if any(part is not None for part in parts):
        return float(sum(part for part in parts if part is not None))
    return None


def parse_quantity_m(text: str | None) -> float | None:
    """A length written as HealthKit quantity text ("217 cm", "71.2 ft") [m]."""
    if not text:
        return None
    match = _QUANTITY.match(text)
    if match is None:
        return None
    factor = UNITS["length_m"].get(match.group(2) or "m")
    return float(match.group(1)) * factor if factor is not None else None


def _cadence(samples: pd.DataFrame) -> float | None:
    if "cadence_spm" not in samples:
        return None
    moving = samples["cadence_spm"][samples["cadence_spm"] > 0]
    return float(moving.mean()) if not moving.empty else None


def _merge_samples(route: pd.DataFrame | None, columns: dict[str, pd.Series]) -> pd.DataFrame:
    """One frame of the route's columns and the records' columns; the records' distance and
    speed replace the route's GPS-derived ones."""
    import pandas as pd

    parts: dict[str, pd.Series] = {}
    if route is not None:
        for column in route.columns:
            if column not in columns:
                parts[column] = route[column]
    parts.update(columns)
    if not parts:
        return empty_samples()
    frame = pd.concat(parts, axis=1, sort=True).astype(float)
    frame.index = pd.DatetimeIndex(frame.index, name="time").tz_convert(UTC)
    return canonical_samples(frame)


class _RouteFinder:
    """Reads a workout's route GPX from the export (the zip or the folder ``export.xml`` is in)."""

    def __init__(self, source: Source, xml_name: str) -> None:
        self.source = source
        self.base = str(PurePosixPath(xml_name).parent)
        self._names: dict[str, str] | None = None

    def _lookup(self, path: str) -> str | None:
        if self._names is None:
            self._names = {name.lower(): name for name in self.source.names()}
        relative = path.replace("\\", "/").lstrip("/")
        candidate = relative if self.base in ("", ".") else f"{self.base}/{relative}"
        if unsafe_name_reason(candidate):
            return None
        exact = self._names.get(candidate.lower())
        if exact is not None:
            return exact
        # some tools re-zip the folder without its top level: match the route's own name
        base = PurePosixPath(relative).name.lower()
        matches = [name for lower, name in self._names.items() if lower.endswith("/" + base)]
        return matches[0] if len(matches) == 1 else None

    def read(
        self, info: WorkoutInfo, warnings: list[str]
    ) -> tuple[pd.DataFrame | None, int | None]:
        """(route samples cut to the workout, UTC offset at its first position)."""
        import pandas as pd

        from stridewise.importers.gpx import read_gpx

        frames, offset = [], None
        for path in info.route_paths:
            name = self._lookup(path)
            if name is None:
                warnings.append(f"route file {path} is not in the export; imported without it")
                continue
            label = f"{self.source.label}/{name}"
            try:
                data = self.source.read(name, MAX_FILE_BYTES[".gpx"][0])
                route = read_gpx(data, label)[0]
            except (SkippedFile, StridewiseError) as exc:
                warnings.append(f"route file {path} cannot be read ({exc}); imported without it")
                continue
            samples = route.samples
            low = pd.Timestamp(info.start_s - ROUTE_SLACK_S, unit="s", tz=UTC)
            high = pd.Timestamp(info.end_s + ROUTE_SLACK_S, unit="s", tz=UTC)
            inside = samples[(samples.index >= low) & (samples.index <= high)]
            if inside.empty:
                warnings.append(
                    f"route file {path} was recorded at another time than the workout; "
                    "imported without it"
                )
                continue
            frames.append(inside)
            if offset is None:
                offset = route.utc_offset_s
        if not frames:
            return None, None
        route_frame = pd.concat(frames).sort_index()
        route_frame = route_frame[~route_frame.index.duplicated(keep="first")]
        return route_frame, offset
