"""Builders of synthetic Garmin Connect and Strava exports (no personal data) in temporary folders.

The layouts and headers follow FORMATS.md: a Garmin export keeps its FIT files in
``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`` (named by upload id), its
summaries in ``DI-Connect-Fitness/<email>_0_summarizedActivities.json`` (cm, ms, epoch ms written
as floats), gear in ``<email>_gear.json`` and resting heart rate in
``DI-Connect-Aggregator/UDSFile_*.json``; a Strava export has ``activities.csv`` (with repeated
column names), ``activities/<id>.fit.gz`` etc., ``shoes.csv`` and ``bikes.csv``.

FIT files are written with fit-tool: one definition per message type, then the record message
re-encoded for each second (fast enough for the benchmark's thousand runs). Imported by
tests/importers, tests/test_dedupe.py, tests/test_archive.py and benchmarks/ (pytest puts tests/
on sys.path for tests/conftest.py).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fit_tool.data_message import DataMessage
from fit_tool.definition_message import DefinitionMessage
from fit_tool.fit_file_header import FitFileHeader
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.monitoring_message import MonitoringMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport, SubSport
from fit_tool.record import Record
from fit_tool.utils.crc import crc16

FIT_EPOCH_UNIX_S = 631065600
EARTH_RADIUS_M = 6371000.0
EMAIL = "runner@example.com"
UUID_FOLDER = "0f0e0d0c-0b0a-4909-8807-060504030201"

_SUB_SPORTS = {
    "generic": SubSport.GENERIC,
    "treadmill": SubSport.TREADMILL,
    "street": SubSport.STREET,
    "trail": SubSport.TRAIL,
    "track": SubSport.TRACK,
    "strength_training": SubSport.STRENGTH_TRAINING,
    "yoga": SubSport.YOGA,
    "pilates": SubSport.PILATES,
    "breathing": SubSport.BREATHING,
    "cardio_training": SubSport.CARDIO_TRAINING,
    "elliptical": SubSport.ELLIPTICAL,
}
_SPORTS = {
    "running": Sport.RUNNING,
    "cycling": Sport.CYCLING,
    "walking": Sport.WALKING,
    "training": Sport.TRAINING,
    "fitness_equipment": Sport.FITNESS_EQUIPMENT,
}


@dataclass
class Run:
    """One synthetic activity: steady pace northwards from a start point, 1 Hz."""

    start_utc: datetime
    duration_s: int
    distance_m: float
    utc_offset_s: int = 7200
    sport: str = "running"
    sub_sport: str = "generic"
    start_lat_deg: float = 52.0
    start_lon_deg: float = 4.5
    heart_rate_bpm: int = 148
    cadence_spm: int = 172  # steps/min; FIT stores strides

    @property
    def speed_mps(self) -> float:
        return self.distance_m / self.duration_s

    @property
    def has_position(self) -> bool:
        return self.sub_sport != "treadmill"

    def position_at(self, second: int) -> tuple[float, float]:
        """Latitude, longitude [degree] after ``second`` s: due north, exactly the distance."""
        travelled = self.speed_mps * second
        return (
            self.start_lat_deg + math.degrees(travelled / EARTH_RADIUS_M),
            self.start_lon_deg,
        )


# --- FIT ----------------------------------------------------------------------------------------


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


class _FitWriter:
    """Definition + data records in file order, then header and CRC."""

    def __init__(self) -> None:
        self.body = bytearray()

    def define(self, message: DataMessage, local_id: int) -> None:
        message.local_id = local_id
        definition = DefinitionMessage.from_data_message(message)
        message.set_definition_message(definition)
        self.body += Record.from_message(definition).to_bytes()

    def data(self, message: DataMessage) -> None:
        self.body += bytes([message.local_id & 0x0F]) + message.to_bytes()

    def add(self, message: DataMessage, local_id: int) -> None:
        self.define(message, local_id)
        self.data(message)

    def to_bytes(self) -> bytes:
        header = FitFileHeader(records_size=len(self.body), gen_crc=True).to_bytes()
        crc = crc16(bytes(self.body), crc=crc16(header))
        return header + bytes(self.body) + crc.to_bytes(2, "little")


def fit_bytes(run: Run, serial_number: int = 3_900_000_001) -> bytes:
    """A watch's FIT activity file of ``run``: records each second, session, activity."""
    writer = _FitWriter()
    start_ms = _ms(run.start_utc)
    end_ms = start_ms + run.duration_s * 1000
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 3113
    file_id.serial_number = serial_number
    file_id.time_created = start_ms
    writer.add(file_id, 0)
    writer.add(_timer_event(start_ms, EventType.START), 1)

    record = RecordMessage()
    _set_record(record, run, 0, start_ms)
    writer.define(record, 2)
    for second in range(run.duration_s + 1):
        _set_record(record, run, second, start_ms)
        writer.data(record)

    writer.add(_timer_event(end_ms, EventType.STOP_ALL), 1)
    session = SessionMessage()
    session.timestamp = end_ms
    session.start_time = start_ms
    session.sport = _SPORTS[run.sport]
    session.sub_sport = _SUB_SPORTS[run.sub_sport]
    session.total_elapsed_time = float(run.duration_s)
    session.total_timer_time = float(run.duration_s)
    session.total_distance = run.distance_m
    session.avg_heart_rate = run.heart_rate_bpm
    session.avg_cadence = run.cadence_spm // 2
    writer.add(session, 3)
    activity = ActivityMessage()
    activity.timestamp = end_ms
    activity.total_timer_time = float(run.duration_s)
    activity.num_sessions = 1
    activity.local_timestamp = end_ms // 1000 - FIT_EPOCH_UNIX_S + run.utc_offset_s
    writer.add(activity, 4)
    return writer.to_bytes()


def _timer_event(timestamp_ms: int, event_type: EventType) -> EventMessage:
    event = EventMessage()
    event.timestamp = timestamp_ms
    event.event = Event.TIMER
    event.event_type = event_type
    return event


def _set_record(record: RecordMessage, run: Run, second: int, start_ms: int) -> None:
    record.timestamp = start_ms + second * 1000
    record.distance = run.speed_mps * second
    record.enhanced_speed = run.speed_mps
    record.heart_rate = run.heart_rate_bpm + (second // 60) % 7
    record.cadence = run.cadence_spm // 2
    record.enhanced_altitude = 10.0 + (second % 300) / 30.0
    if run.has_position:
        lat, lon = run.position_at(second)
        record.position_lat = lat
        record.position_long = lon


def monitoring_fit_bytes(day: datetime, serial_number: int = 3_900_000_001) -> bytes:
    """A non-activity FIT file (daily monitoring, as Garmin exports hold by the thousand)."""
    writer = _FitWriter()
    file_id = FileIdMessage()
    file_id.type = FileType.MONITORING_B
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 3113
    file_id.serial_number = serial_number
    file_id.time_created = _ms(day)
    writer.add(file_id, 0)
    monitoring = MonitoringMessage()
    monitoring.timestamp = _ms(day)
    monitoring.heart_rate = 61
    writer.define(monitoring, 1)
    for minute in range(0, 24 * 60, 15):
        monitoring.timestamp = _ms(day + timedelta(minutes=minute))
        monitoring.heart_rate = 55 + minute % 20
        writer.data(monitoring)
    return writer.to_bytes()


# --- GPX and TCX --------------------------------------------------------------------------------


#: Strava's <type> codes in its GPX files.
STRAVA_GPX_TYPES = {"running": "9", "cycling": "1", "walking": "10"}


def gpx_bytes(run: Run, step_s: int = 5, gpx_type: str | None = "strava") -> bytes:
    """The GPX Strava writes of a run (one point every ``step_s`` seconds, HR extension)."""
    points = []
    for second in range(0, run.duration_s + 1, step_s):
        lat, lon = run.position_at(second)
        moment = (run.start_utc + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>10.0</ele><time>{moment}</time>'
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{run.heart_rate_bpm}</gpxtpx:hr>"
            f"</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    if gpx_type == "strava":
        gpx_type = STRAVA_GPX_TYPES[run.sport]
    type_element = f"<type>{gpx_type}</type>" if gpx_type else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<metadata><time>{run.start_utc:%Y-%m-%dT%H:%M:%SZ}</time></metadata>\n"
        f"<trk><name>Run</name>{type_element}<trkseg>\n"
        + "\n".join(points)
        + "\n</trkseg></trk>\n</gpx>\n"
    ).encode()


def tcx_bytes(run: Run, step_s: int = 5) -> bytes:
    """Strava's TCX of a run (it starts with spaces before <?xml)."""
    points = []
    for second in range(0, run.duration_s + 1, step_s):
        lat, lon = run.position_at(second)
        moment = (run.start_utc + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f"<Trackpoint><Time>{moment}</Time><Position><LatitudeDegrees>{lat:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
            f"<DistanceMeters>{run.speed_mps * second:.1f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{run.heart_rate_bpm}</Value></HeartRateBpm></Trackpoint>"
        )
    start = f"{run.start_utc:%Y-%m-%dT%H:%M:%SZ}"
    return (
        '          <?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{start}</Id><Lap StartTime="{start}">'
        f"<TotalTimeSeconds>{run.duration_s}</TotalTimeSeconds>"
        f"<DistanceMeters>{run.distance_m:.1f}</DistanceMeters><Track>"
        + "".join(points)
        + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    ).encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# --- Garmin Connect export ----------------------------------------------------------------------

#: Garmin activity types by FIT sub_sport, as Garmin Connect would list the run.
GARMIN_TYPE_BY_SUB_SPORT = {
    "generic": "running",
    "street": "running",
    "trail": "trail_running",
    "treadmill": "treadmill_running",
    "track": "track_running",
}


@dataclass
class GarminActivity:
    """A run in a Garmin export: its FIT file (unless ``with_fit`` is off) and its summary."""

    run: Run
    activity_id: int
    activity_type: str | None = None  # default from the run's sub_sport
    name: str = "Running"
    with_fit: bool = True
    gear_pk: int | None = None


@dataclass
class GarminGear:
    gear_pk: int
    display_name: str | None
    make_model: str
    maximum_meters: float = 0.0
    status: str = "active"
    gear_type: str = "Shoes"
    date_end: str | None = None


@dataclass
class GarminExportSpec:
    activities: list[GarminActivity]
    gear: list[GarminGear] = field(default_factory=list)
    resting_hr: dict[str, int | None] = field(default_factory=dict)  # ISO date -> bpm
    monitoring_days: list[datetime] = field(default_factory=list)
    multisport_parent_ids: list[int] = field(default_factory=list)
    under_uuid_folder: bool = True


def garmin_summary(activity: GarminActivity) -> dict:
    """One summarizedActivities entry in Garmin's units (cm, ms, epoch ms as floats, speed/10)."""
    run = activity.run
    start_ms = float(_ms(run.start_utc))
    activity_type = activity.activity_type or GARMIN_TYPE_BY_SUB_SPORT[run.sub_sport]
    return {
        "activityId": activity.activity_id,
        "uuidMsb": 1234,
        "name": activity.name,
        "activityType": activity_type,
        "userProfileId": 1,
        "timeZoneId": 124,
        "beginTimestamp": start_ms,
        "eventTypeId": 9,
        "rule": "subscribers",
        "sportType": "RUNNING",
        "startTimeGmt": start_ms,
        "startTimeLocal": start_ms + run.utc_offset_s * 1000.0,
        "duration": run.duration_s * 1000.0,
        "distance": run.distance_m * 100.0,
        "elevationGain": 1200.0,
        "elevationLoss": 1150.0,
        "avgSpeed": run.speed_mps / 10.0,
        "maxSpeed": run.speed_mps / 10.0 * 1.2,
        "avgHr": float(run.heart_rate_bpm),
        "maxHr": float(run.heart_rate_bpm + 20),
        "avgRunCadence": run.cadence_spm / 2.0,
        "avgFractionalCadence": 0.0,
        "elapsedDuration": run.duration_s * 1000.0 + 5000.0,
        "movingDuration": run.duration_s * 1000.0 - 3000.0,
        "deviceId": 3900000001,
        "manufacturer": "GARMIN",
        "lapCount": 5,
        "parent": False,
        "purposeful": False,
        "favorite": False,
        "pr": False,
        "autoCalcCalories": False,
        "hrTimeInZone_1": 60000.0,
    }


def _multisport_parent(activity_id: int, start: datetime) -> dict:
    return {
        "activityId": activity_id,
        "name": "Multisport",
        "activityType": "multi_sport",
        "startTimeGmt": float(_ms(start)),
        "startTimeLocal": float(_ms(start)) + 7200000.0,
        "duration": 3600000.0,
        "distance": 2000000.0,
        "parent": True,
        "childIds": [activity_id + 1, activity_id + 2],
    }


def garmin_export_files(
    spec: GarminExportSpec, map_function: Callable[..., Iterable[bytes]] = map
) -> dict[str, bytes]:
    """Path inside the export -> bytes, with the upload part zip already built.

    ``map_function`` writes the FIT files (a process pool's ``map`` for thousands of them).
    """
    prefix = f"{UUID_FOLDER}/" if spec.under_uuid_folder else ""
    connect = f"{prefix}DI_CONNECT"
    summaries = [garmin_summary(a) for a in spec.activities]
    summaries += [
        _multisport_parent(i, spec.activities[0].run.start_utc) for i in spec.multisport_parent_ids
    ]
    part = io.BytesIO()
    recorded = [(n, a) for n, a in enumerate(spec.activities) if a.with_fit]
    fits = map_function(fit_bytes, [a.run for _, a in recorded])
    monitoring = map_function(monitoring_fit_bytes, spec.monitoring_days)
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as upload_zip:
        for (number, _), data in zip(recorded, fits, strict=True):
            upload_id = 9_000_000_000 + number * 17  # upload ids, not activity ids
            upload_zip.writestr(f"{upload_id}.fit", data)
        for number, data in enumerate(monitoring):
            upload_zip.writestr(f"{8_000_000_000 + number}.fit", data)
    gear = {
        "gearDTOS": [
            {
                "gearPk": g.gear_pk,
                "uuid": f"uuid-{g.gear_pk}",
                "gearMakeName": g.make_model.split()[0],
                "gearModelName": "Unknown",
                "gearTypeName": g.gear_type,
                "gearStatusName": g.status,
                "displayName": g.display_name,
                "customMakeModel": g.make_model,
                "maximumMeters": g.maximum_meters,
                "dateBegin": "2026-01-01T00:00:00.0",
                "dateEnd": g.date_end,
            }
            for g in spec.gear
        ],
        "gearActivityDTOs": {
            str(g.gear_pk): [
                {"activityId": a.activity_id, "gearPk": g.gear_pk}
                for a in spec.activities
                if a.gear_pk == g.gear_pk
            ]
            for g in spec.gear
        },
    }
    days = sorted(spec.resting_hr)
    uds = [
        {"userProfilePK": 1, "calendarDate": day, "restingHeartRate": bpm, "totalSteps": 9000}
        for day, bpm in sorted(spec.resting_hr.items())
    ]
    files = {
        f"{connect}/DI-Connect-Fitness/{EMAIL}_0_summarizedActivities.json": json.dumps(
            [{"summarizedActivitiesExport": summaries}]
        ).encode(),
        f"{connect}/DI-Connect-Fitness/{EMAIL}_gear.json": json.dumps(gear).encode(),
        f"{connect}/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": part.getvalue(),
        f"{connect}/DI-Connect-User/user_profile.json": b'{"userName": "runner"}',
        f"{connect}/DI-Connect-Wellness/{EMAIL}_0_healthStatusData.json": b"[]",
    }
    if days:
        files[f"{connect}/DI-Connect-Aggregator/UDSFile_{days[0]}_{days[-1]}.json"] = json.dumps(
            uds
        ).encode()
    return files


def write_tree(files: dict[str, bytes], target: Path, *, as_zip: bool) -> Path:
    """Write ``files`` as a zip at ``target`` or unpacked under the folder ``target``."""
    if as_zip:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return target
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


# --- Strava export ------------------------------------------------------------------------------

#: The current English header of Strava's activities.csv, names repeated as Strava repeats them.
STRAVA_HEADER = [
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Activity Description",
    "Elapsed Time",
    "Distance",
    "Max Heart Rate",
    "Relative Effort",
    "Commute",
    "Activity Private Note",
    "Activity Gear",
    "Filename",
    "Athlete Weight",
    "Bike Weight",
    "Elapsed Time",
    "Moving Time",
    "Distance",
    "Max Speed",
    "Average Speed",
    "Elevation Gain",
    "Elevation Loss",
    "Elevation Low",
    "Elevation High",
    "Max Grade",
    "Average Grade",
    "Average Positive Grade",
    "Average Negative Grade",
    "Max Cadence",
    "Average Cadence",
    "Max Heart Rate",
    "Average Heart Rate",
    "Max Watts",
    "Average Watts",
    "Calories",
    "Max Temperature",
    "Average Temperature",
    "Relative Effort",
    "Total Work",
    "Number of Runs",
    "Uphill Time",
    "Downhill Time",
    "Other Time",
    "Perceived Exertion",
    "Type",
    "Start Time",
    "Weighted Average Power",
    "Power Count",
    "Prefer Perceived Exertion",
    "Perceived Relative Effort",
    "Commute",
    "Total Weight Lifted",
    "From Upload",
    "Grade Adjusted Distance",
    "Weather Observation Time",
    "Weather Condition",
    "Weather Temperature",
    "Apparent Temperature",
    "Dewpoint",
    "Humidity",
    "Weather Pressure",
    "Wind Speed",
    "Wind Gust",
    "Wind Bearing",
    "Precipitation Intensity",
    "Sunrise Time",
    "Sunset Time",
    "Moon Phase",
    "Bike",
    "Gear",
    "Precipitation Probability",
    "Precipitation Type",
    "Cloud Cover",
    "Weather Visibility",
    "UV Index",
    "Weather Ozone",
    "Jump Count",
    "Total Grit",
    "Average Flow",
    "Flagged",
    "Average Elapsed Speed",
    "Dirt Distance",
    "Newly Explored Distance",
    "Newly Explored Dirt Distance",
    "Activity Count",
    "Total Steps",
    "Carbon Saved",
    "Pool Length",
    "Training Load",
    "Intensity",
    "Average Grade Adjusted Pace",
    "Timer Time",
    "Total Cycles",
    "Media",
]

#: The same columns in a German export (the ones a reader needs; the rest left in English).
STRAVA_GERMAN = {
    "Activity ID": "Aktivitäts-ID",
    "Activity Date": "Aktivitätsdatum",
    "Activity Name": "Name der Aktivität",
    "Activity Type": "Aktivitätsart",
    "Activity Description": "Aktivitätsbeschreibung",
    "Elapsed Time": "Verstrichene Zeit",
    "Distance": "Distanz",
    "Max Heart Rate": "Max. Herzfrequenz",
    "Commute": "Pendeln",
    "Activity Gear": "Aktivitätsausrüstung",
    "Filename": "Dateiname",
    "Moving Time": "Bewegungszeit",
    "Average Speed": "Durchschnittliche Geschwindigkeit",
    "Elevation Gain": "Höhenzunahme",
    "Average Cadence": "Durchschnittliche Trittfrequenz",
    "Average Heart Rate": "Durchschnittliche Herzfrequenz",
}

STRAVA_GERMAN_TYPES = {
    "Run": "Lauf",
    "Trail Run": "Traillauf",
    "Ride": "Radfahrt",
    "Walk": "Spaziergang",
    "Virtual Run": "Virtueller Lauf",
}


@dataclass
class StravaActivity:
    """A row of activities.csv and, unless ``file_kind`` is None, its file under activities/."""

    run: Run
    activity_id: int
    activity_type: str = "Run"
    name: str = "Morning Run"
    description: str = ""
    gear: str = ""
    file_kind: str | None = "fit.gz"  # fit, fit.gz, gpx, gpx.gz, tcx.gz or None (manual entry)
    upload_id: int | None = None


@dataclass
class StravaExportSpec:
    activities: list[StravaActivity]
    shoes: list[tuple[str, str, str]] = field(default_factory=list)  # (name, brand, model)
    bikes: list[tuple[str, str, str]] = field(default_factory=list)
    german: bool = False
    display_miles: bool = False


def strava_date(moment: datetime, german: bool) -> str:
    moment = moment.astimezone(UTC)
    if german:
        return moment.strftime("%d.%m.%Y, %H:%M:%S")
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M:%S} {moment:%p}"


def _strava_number(value: float, german: bool, digits: int = 2) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if german else text


def strava_file_name(activity: StravaActivity) -> str:
    if activity.file_kind is None:
        return ""
    upload_id = activity.upload_id or activity.activity_id + 1_000_000
    return f"activities/{upload_id}.{activity.file_kind}"


def strava_file_bytes(activity: StravaActivity) -> bytes:
    kind = activity.file_kind or ""
    plain = {"fit": fit_bytes, "gpx": gpx_bytes, "tcx": tcx_bytes}[kind.split(".")[0]](activity.run)
    return gzipped(plain) if kind.endswith(".gz") else plain


def strava_activities_csv(spec: StravaExportSpec) -> bytes:
    """activities.csv: every column by name, repeated names filled by occurrence."""
    header = [STRAVA_GERMAN.get(n, n) if spec.german else n for n in STRAVA_HEADER]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for activity in spec.activities:
        run = activity.run
        unit = 1609.344 if spec.display_miles else 1000.0
        occurrence: dict[str, int] = {}
        row = []
        for name in STRAVA_HEADER:
            occurrence[name] = occurrence.get(name, 0) + 1
            row.append(_strava_cell(spec, activity, run, name, occurrence[name], unit))
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _strava_cell(
    spec: StravaExportSpec, activity: StravaActivity, run: Run, name: str, nth: int, unit: float
) -> str:
    german = spec.german
    activity_type = (
        STRAVA_GERMAN_TYPES.get(activity.activity_type, activity.activity_type)
        if german
        else activity.activity_type
    )
    values = {
        ("Activity ID", 1): str(activity.activity_id),
        ("Activity Date", 1): strava_date(run.start_utc, german),
        ("Activity Name", 1): activity.name,
        ("Activity Type", 1): activity_type,
        ("Activity Description", 1): activity.description,
        ("Elapsed Time", 1): str(run.duration_s + 5),
        ("Distance", 1): _strava_number(run.distance_m / unit, german),
        ("Max Heart Rate", 1): _strava_number(run.heart_rate_bpm + 20, german, 1),
        ("Commute", 1): "false",
        ("Activity Gear", 1): activity.gear,
        ("Filename", 1): strava_file_name(activity),
        ("Elapsed Time", 2): _strava_number(run.duration_s + 5, german, 1),
        ("Moving Time", 1): _strava_number(run.duration_s, german, 1),
        ("Distance", 2): _strava_number(run.distance_m, german, 5),
        ("Average Speed", 1): _strava_number(run.speed_mps, german, 6),
        ("Elevation Gain", 1): _strava_number(12.0, german, 1),
        ("Average Cadence", 1): _strava_number(run.cadence_spm / 2, german, 1),
        ("Average Heart Rate", 1): _strava_number(run.heart_rate_bpm, german, 1),
        ("Commute", 2): "0.0",
        ("From Upload", 1): "1.0" if activity.file_kind else "0.0",
    }
    return values.get((name, nth), "")


def strava_export_files(spec: StravaExportSpec) -> dict[str, bytes]:
    """Path inside the export -> bytes."""
    files = {"activities.csv": strava_activities_csv(spec)}
    for activity in spec.activities:
        if activity.file_kind:
            files[strava_file_name(activity)] = strava_file_bytes(activity)
    shoe_header = "Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\n"
    files["shoes.csv"] = (
        shoe_header + "".join(f"{n},{b},{m},Run\n" for n, b, m in spec.shoes)
    ).encode()
    bike_header = "Bike Name,Bike Brand,Bike Model,Bike Default Sport Types\n"
    files["bikes.csv"] = (
        bike_header + "".join(f"{n},{b},{m},Ride\n" for n, b, m in spec.bikes)
    ).encode()
    files["profile.csv"] = b"Athlete ID,Email Address,First Name\n1,runner@example.com,Runner\n"
    files["media/readme.txt"] = b"no media"
    return files
