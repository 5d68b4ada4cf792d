"""Recordings with the faults real ones have (issue 14), built by code: nothing here is copied.

Each builder returns the bytes of one file shaped like a fault measured on real exports — a phone
app's clock jitter, a car ride inside a run, a watch clock that jumps when GPS time arrives, a
file offset that contradicts the position, a file holding two outings weeks apart, inverted
elapsed and timer times, a moving time far from the timer time, runs without a sport, GPS-only
altitude in a city — and the values a correct import stores (``Expected``). ``FIXTURES`` names
them all; ``scripts/make_fault_fixtures.py`` writes them to a folder to try by hand.

Paths are wiggly loops around real city centres, sampled along their length, so the distance
of a track in file order is known exactly (``path_length_m``, the sum of great-circle steps).
Imported by tests/pipeline (pytest puts tests/ on sys.path) and scripts/make_fault_fixtures.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from exports import FIT_EPOCH_UNIX_S, _FitWriter, _timer_event
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import EventType, FileType, Manufacturer, Sport, SubSport

EARTH_RADIUS_M = 6371000.0

#: Garmin product ids (FIT ``garmin_product``) of the watches the fixtures stand for.
FR235 = 2431  # Forerunner 235: no barometric altimeter
FENIX5 = 2697  # fenix 5: barometric altimeter

_SPORTS = {"running": Sport.RUNNING, "cycling": Sport.CYCLING, "walking": Sport.WALKING}
_SUB_SPORTS = {"generic": SubSport.GENERIC, "street": SubSport.STREET, "trail": SubSport.TRAIL,
               "treadmill": SubSport.TREADMILL}  # fmt: skip


# --- paths ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loop:
    """A wiggly closed loop of ``length_m`` [m] around a centre [degree]: positions by distance."""

    lat_deg: float
    lon_deg: float
    length_m: float
    wiggles: int = 7

    def positions(self, along_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude [degree] at distances [m] along the loop (laps repeat)."""
        theta = np.linspace(0.0, 2.0 * math.pi, 40001)
        radius = 1.0 + 0.08 * np.sin(self.wiggles * theta)
        x, y = radius * np.cos(theta), radius * np.sin(theta)
        unit_lat, unit_lon = self._degrees(x, y, 1000.0)
        unit_length = path_length_m(unit_lat, unit_lon)
        lat, lon = self._degrees(x, y, 1000.0 * self.length_m / unit_length)
        cumulative = np.concatenate(([0.0], np.cumsum(_steps_m(lat, lon))))
        where = np.mod(along_m, cumulative[-1])
        return np.interp(where, cumulative, lat), np.interp(where, cumulative, lon)

    def _degrees(self, x: np.ndarray, y: np.ndarray, scale_m: float) -> tuple[np.ndarray, ...]:
        lat = self.lat_deg + np.degrees(y * scale_m / EARTH_RADIUS_M)
        lon = self.lon_deg + np.degrees(
            x * scale_m / (EARTH_RADIUS_M * math.cos(math.radians(self.lat_deg)))
        )
        return lat, lon


def _steps_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat1, lat2 = np.radians(lat[:-1]), np.radians(lat[1:])
    dlat, dlon = lat2 - lat1, np.radians(np.diff(lon))
    a = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def path_length_m(lat: np.ndarray, lon: np.ndarray) -> float:
    """Length of a path in the order given [m]: the sum of its great-circle steps."""
    return float(_steps_m(np.asarray(lat, float), np.asarray(lon, float)).sum())


# --- writers -------------------------------------------------------------------------------------


@dataclass
class Point:
    """One track point: a time and what was measured then."""

    time: datetime
    lat: float | None = None
    lon: float | None = None
    altitude_m: float | None = None
    distance_m: float | None = None
    speed_mps: float | None = None
    heart_rate: int | None = None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_bytes(
    points: list[Point],
    *,
    creator: str,
    name: str | None = None,
    track_type: str | None = None,
) -> bytes:
    """A GPX 1.1 track of ``points`` in the order given, with heart rate where known."""
    rows = []
    for p in points:
        ele = "" if p.altitude_m is None else f"<ele>{p.altitude_m:.1f}</ele>"
        hr = (
            ""
            if p.heart_rate is None
            else "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>"
            f"{p.heart_rate}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
        )
        rows.append(f'<trkpt lat="{p.lat:.7f}" lon="{p.lon:.7f}">{ele}<time>{_iso(p.time)}'
                    f"</time>{hr}</trkpt>")  # fmt: skip
    name_element = f"<name>{name}</name>" if name else ""
    type_element = f"<type>{track_type}</type>" if track_type else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx creator="{creator}" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<trk>{name_element}{type_element}<trkseg>\n"
        + "\n".join(rows)
        + "\n</trkseg></trk>\n</gpx>\n"
    ).encode()


@dataclass
class FitSession:
    """What a watch writes in a FIT file's session and activity messages."""

    start: datetime  # session start_time (the watch's clock at the start)
    end: datetime  # session and activity timestamp
    elapsed_s: float
    timer_s: float
    distance_m: float
    sport: str = "running"
    sub_sport: str = "generic"
    moving_s: float | None = None
    avg_heart_rate: int | None = None
    utc_offset_s: int | None = 0  # activity.local_timestamp - timestamp; None: not written
    product: int = FR235


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def fit_bytes(points: list[Point], session: FitSession, serial: int = 3_912_345_678) -> bytes:
    """A watch's FIT activity: file_id, timer events, a record per point, session, activity."""
    writer = _FitWriter()
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = session.product
    file_id.serial_number = serial
    file_id.time_created = _ms(session.start)
    writer.add(file_id, 0)
    writer.add(_timer_event(_ms(session.start), EventType.START), 1)
    record = RecordMessage()
    _set_record(record, points[0])
    writer.define(record, 2)  # every point of a fixture carries the same fields
    for point in points:
        _set_record(record, point)
        writer.data(record)
    writer.add(_timer_event(_ms(session.end), EventType.STOP_ALL), 1)
    message = SessionMessage()
    message.timestamp = _ms(session.end)
    message.start_time = _ms(session.start)
    message.sport = _SPORTS[session.sport]
    message.sub_sport = _SUB_SPORTS[session.sub_sport]
    message.total_elapsed_time = float(session.elapsed_s)
    message.total_timer_time = float(session.timer_s)
    message.total_distance = float(session.distance_m)
    if session.moving_s is not None:
        message.total_moving_time = float(session.moving_s)
    if session.avg_heart_rate is not None:
        message.avg_heart_rate = session.avg_heart_rate
    writer.add(message, 3)
    activity = ActivityMessage()
    activity.timestamp = _ms(session.end)
    activity.total_timer_time = float(session.timer_s)
    activity.num_sessions = 1
    if session.utc_offset_s is not None:
        end_fit_s = _ms(session.end) // 1000 - FIT_EPOCH_UNIX_S
        activity.local_timestamp = end_fit_s + session.utc_offset_s
    writer.add(activity, 4)
    return writer.to_bytes()


def _set_record(record: RecordMessage, point: Point) -> None:
    record.timestamp = _ms(point.time)
    if point.distance_m is not None:
        record.distance = point.distance_m
    if point.speed_mps is not None:
        record.enhanced_speed = point.speed_mps
    if point.heart_rate is not None:
        record.heart_rate = point.heart_rate
    if point.altitude_m is not None:
        record.enhanced_altitude = point.altitude_m
    if point.lat is not None and point.lon is not None:
        record.position_lat = point.lat
        record.position_long = point.lon


# --- the faults ----------------------------------------------------------------------------------


@dataclass
class Fixture:
    """A file shaped like a real fault, and what a correct import stores from it."""

    name: str  # the file name: named after the fault
    data: bytes
    distance_m: float | None = None  # [m] the expected path (on foot for a vehicle fault)
    local_start: str | None = None  # ISO local wall-clock start
    utc_offset_s: int | None = None
    sport: str | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None
    moving_s: float | None = None
    surface: str = "unknown"
    surface_source: str | None = None
    altitude_source: str | None = None
    notes: dict[str, object] = field(default_factory=dict)  # more numbers a test may need


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _local(moment: datetime, offset_s: int) -> str:
    return (moment + timedelta(seconds=offset_s)).strftime("%Y-%m-%dT%H:%M:%S")


def sports_tracker_clock_jitter() -> Fixture:
    """A Sports Tracker GPX whose point times step 1-7 s backwards at a third of its points.

    A 12.3 km outing in Helsinki, one point a second (7,785 points); each point stamped up to
    8 s early, as a phone app stamping points from two clocks does. In file order the track is
    12.3 km; sorted by time it zig-zags to several times that.
    """
    count = 7785
    start = datetime(2019, 8, 17, 7, 2, 0, tzinfo=UTC)
    loop = Loop(60.1699, 24.9384, 12_300.0)
    along = np.arange(count) * (loop.length_m / (count - 1))
    lat, lon = loop.positions(along)
    early = _rng(14).integers(0, 9, size=count)  # 0-8 s early: steps back by 1-7 s
    points = [
        Point(start + timedelta(seconds=int(i - early[i])), float(lat[i]), float(lon[i]),
              20.0 + 5.0 * math.sin(i / 400.0))
        for i in range(count)
    ]  # fmt: skip
    steps = np.diff(np.arange(count) - early)
    return Fixture(
        "sports-tracker-clock-jitter.gpx",
        gpx_bytes(points, creator="Sports Tracker"),
        distance_m=path_length_m(lat, lon),
        local_start=_local(start - timedelta(seconds=int(early[0])), 3 * 3600),
        utc_offset_s=3 * 3600,
        sport="generic",
        notes={"backward_steps": int((steps < 0).sum()), "largest_step_back_s": int(-steps.min())},
    )


def movescount_same_outing() -> Fixture:
    """The same outing as ``sports_tracker_clock_jitter`` recorded by a Suunto watch (Movescount
    GPX): 12.0 km, a point every 10 s, starting 40 s later."""
    start = datetime(2019, 8, 17, 7, 2, 40, tzinfo=UTC)
    loop = Loop(60.1699, 24.9384, 12_000.0)
    count = 778
    along = np.arange(count) * (loop.length_m / (count - 1))
    lat, lon = loop.positions(along)
    points = [
        Point(start + timedelta(seconds=10 * i), float(lat[i]), float(lon[i]), 21.0)
        for i in range(count)
    ]
    return Fixture(
        "movescount-same-outing.gpx",
        gpx_bytes(points, creator="Movescount - http://www.movescount.com"),
        distance_m=path_length_m(lat, lon),
        sport="generic",
    )


def phone_run_with_car_ride() -> Fixture:
    """A phone kept recording in a car: 139 points at 12.5-21.6 m/s (2.5 km) inside a 7.4 km run.

    Strava's Android app (GPX ``<type>9</type>``), one point a second in Amsterdam: 4.9 km at
    3 m/s, the car, then 2.5 km at 3 m/s.
    """
    start = datetime(2023, 6, 10, 5, 30, 0, tzinfo=UTC)
    before, after, car_s = 4900.0, 2500.0, 139
    ramp = np.sin(np.linspace(0.0, math.pi, car_s))  # 0 .. 1 .. 0
    car_speeds = 12.5 + (21.6 - 12.5) * ramp
    speeds = np.concatenate(
        (np.full(int(before / 3.0), 3.0), car_speeds, np.full(int(after / 3.0), 3.0))
    )
    along = np.concatenate(([0.0], np.cumsum(speeds)))
    lat, lon = Loop(52.3676, 4.9041, 25_000.0).positions(along)
    points = [
        Point(start + timedelta(seconds=i), float(lat[i]), float(lon[i]), 2.0, heart_rate=150)
        for i in range(len(along))
    ]
    car_start = int(before / 3.0)
    foot = path_length_m(lat[: car_start + 1], lon[: car_start + 1]) + path_length_m(
        lat[car_start + car_s :], lon[car_start + car_s :]
    )
    return Fixture(
        "phone-run-with-car-ride.gpx",
        gpx_bytes(points, creator="StravaGPX Android", name="Morning Run", track_type="9"),
        distance_m=foot,
        local_start=_local(start, 7200),
        utc_offset_s=7200,
        sport="running",
        elapsed_s=float(len(along) - 1),
        notes={
            "car_start": start + timedelta(seconds=car_start),
            "car_s": car_s,
            "car_m": float(car_speeds.sum()),
            "recorded_m": path_length_m(lat, lon),
        },
    )


def watch_clock_jump(jump: timedelta, at_record: int) -> Fixture:
    """A Forerunner 235 whose clock was stale until GPS time arrived: the record times jump
    forward by ``jump`` at record ``at_record`` (1-based) while distance and timer run on.

    A 45-minute, 8 km run in Ho Chi Minh City at 06:05 local time (UTC+7); the session's
    start_time is the stale clock's, its end and the activity's local offset the true clock's.
    """
    true_start = datetime(2019, 3, 9, 23, 5, 0, tzinfo=UTC)
    duration_s, distance_m = 2700, 8000.0
    speed = distance_m / duration_s
    lat, lon = Loop(10.7769, 106.7009, 9_000.0).positions(np.arange(duration_s + 1) * speed)
    points = []
    for i in range(duration_s + 1):
        moment = true_start + timedelta(seconds=i)
        if i < at_record - 1:
            moment -= jump
        points.append(
            Point(moment, float(lat[i]), float(lon[i]), 9.0, i * speed, speed, heart_rate=140)
        )
    session = FitSession(
        start=true_start - jump,
        end=true_start + timedelta(seconds=duration_s),
        elapsed_s=duration_s,
        timer_s=duration_s,
        distance_m=distance_m,
        avg_heart_rate=140,
        utc_offset_s=7 * 3600,
    )
    hours, minutes = divmod(round(jump.total_seconds() / 60), 60)
    return Fixture(
        f"forerunner-clock-jump-{hours}h{minutes:02d}-at-record-{at_record}.fit",
        fit_bytes(points, session),
        distance_m=distance_m,
        local_start=_local(true_start, 7 * 3600),
        utc_offset_s=7 * 3600,
        sport="running",
        elapsed_s=duration_s,
        timer_s=duration_s,
        notes={"true_start": true_start, "stale_start": true_start - jump},
    )


def offset_contradicts_position() -> Fixture:
    """A FIT whose local_timestamp says UTC+1, recorded in Richmond, Virginia in January (UTC-5):
    a 30-minute, 5 km run at 12:14 local time."""
    start = datetime(2020, 1, 15, 17, 14, 0, tzinfo=UTC)
    duration_s, distance_m = 1800, 5000.0
    speed = distance_m / duration_s
    lat, lon = Loop(37.5407, -77.4360, 6_000.0).positions(np.arange(duration_s + 1) * speed)
    points = [
        Point(start + timedelta(seconds=i), float(lat[i]), float(lon[i]), 50.0, i * speed, speed,
              heart_rate=145)
        for i in range(duration_s + 1)
    ]  # fmt: skip
    session = FitSession(
        start=start,
        end=start + timedelta(seconds=duration_s),
        elapsed_s=duration_s,
        timer_s=duration_s,
        distance_m=distance_m,
        utc_offset_s=3600,
        product=FENIX5,
    )
    return Fixture(
        "offset-plus-one-hour-recorded-in-richmond.fit",
        fit_bytes(points, session),
        distance_m=distance_m,
        local_start=_local(start, -5 * 3600),
        utc_offset_s=-5 * 3600,
        sport="running",
    )


def one_file_two_outings() -> Fixture:
    """A FIT holding 4 s on one day and a 57 km, 2 h ride about four weeks later (one session
    whose elapsed time is 670.2 hours): a point every 5 s of the ride, in Utrecht."""
    sliver_start = datetime(2021, 4, 3, 9, 0, 0, tzinfo=UTC)
    ride_start = sliver_start + timedelta(hours=668, minutes=12)
    ride_s, ride_m = 7200, 57_000.0
    speed = ride_m / ride_s
    loop = Loop(52.0907, 5.1214, 60_000.0)
    sliver_lat, sliver_lon = loop.positions(np.zeros(5))
    points = [
        Point(sliver_start + timedelta(seconds=i), float(sliver_lat[i]), float(sliver_lon[i]),
              5.0, 0.0, 0.0, heart_rate=90)
        for i in range(5)
    ]  # fmt: skip
    seconds = np.arange(0, ride_s + 1, 5)
    lat, lon = loop.positions(seconds * speed)
    points += [
        Point(ride_start + timedelta(seconds=int(s)), float(la), float(lo), 5.0, float(s * speed),
              speed, heart_rate=135)
        for s, la, lo in zip(seconds, lat, lon, strict=True)
    ]  # fmt: skip
    end = ride_start + timedelta(seconds=ride_s)
    session = FitSession(
        start=sliver_start,
        end=end,
        elapsed_s=(end - sliver_start).total_seconds(),
        timer_s=ride_s + 4,
        distance_m=ride_m,
        sport="cycling",
        utc_offset_s=7200,
        product=FENIX5,
    )
    return Fixture(
        "one-file-two-outings-four-weeks-apart.fit",
        fit_bytes(points, session),
        distance_m=ride_m,
        local_start=_local(ride_start, 7200),
        utc_offset_s=7200,
        sport="cycling",
        elapsed_s=float(ride_s),
        notes={"sliver_start": sliver_start, "hours": (end - sliver_start) / timedelta(hours=1)},
    )


def elapsed_shorter_than_timer() -> Fixture:
    """A FIT whose session says 1,632 s elapsed but 2,760 s of timer time, over 2,761 records a
    second apart (an indoor ride, no positions)."""
    start = datetime(2024, 2, 11, 18, 0, 0, tzinfo=UTC)
    duration_s = 2760
    speed = 8.0
    points = [
        Point(start + timedelta(seconds=i), distance_m=i * speed, speed_mps=speed, heart_rate=130)
        for i in range(duration_s + 1)
    ]
    session = FitSession(
        start=start,
        end=start + timedelta(seconds=duration_s),
        elapsed_s=1632,
        timer_s=duration_s,
        distance_m=duration_s * speed,
        sport="cycling",
        utc_offset_s=3600,
        product=FENIX5,
    )
    return Fixture(
        "elapsed-shorter-than-timer.fit",
        fit_bytes(points, session),
        distance_m=duration_s * speed,
        sport="cycling",
        elapsed_s=float(duration_s),
        timer_s=float(duration_s),
    )


def treadmill_moving_time() -> Fixture:
    """A treadmill run whose watch wrote a moving time 36 % below its timer time (a Forerunner
    235 on a treadmill: the wrist's steps say standing while the belt ran): timer 3,600 s,
    moving 2,300 s, 7 km by the wrist."""
    start = datetime(2022, 11, 21, 17, 30, 0, tzinfo=UTC)
    duration_s, distance_m = 3600, 7000.0
    speed = distance_m / duration_s
    points = [
        Point(start + timedelta(seconds=i), distance_m=i * speed, speed_mps=speed, heart_rate=150)
        for i in range(duration_s + 1)
    ]
    session = FitSession(
        start=start,
        end=start + timedelta(seconds=duration_s),
        elapsed_s=duration_s,
        timer_s=duration_s,
        moving_s=2300,
        distance_m=distance_m,
        sub_sport="treadmill",
        utc_offset_s=3600,
    )
    return Fixture(
        "treadmill-moving-time-36-percent-below-timer.fit",
        fit_bytes(points, session),
        distance_m=distance_m,
        local_start=_local(start, 3600),
        sport="running",
        elapsed_s=float(duration_s),
        timer_s=float(duration_s),
        moving_s=2300.0,
        surface="treadmill",
        surface_source="file",
    )


def gpx_run_with_standstill() -> Fixture:
    """A phone GPX run with no moving time of its own: 20 min at 3 m/s, 5 min standing at a
    crossing (points still coming, no movement), 20 min at 3 m/s, in Copenhagen."""
    start = datetime(2022, 5, 4, 16, 0, 0, tzinfo=UTC)
    speeds = np.concatenate((np.full(1200, 3.0), np.zeros(300), np.full(1200, 3.0)))
    along = np.concatenate(([0.0], np.cumsum(speeds)))
    lat, lon = Loop(55.6761, 12.5683, 10_000.0).positions(along)
    points = [
        Point(start + timedelta(seconds=i), float(lat[i]), float(lon[i]), 8.0)
        for i in range(len(along))
    ]
    return Fixture(
        "phone-run-with-five-minute-standstill.gpx",
        gpx_bytes(points, creator="StravaGPX iPhone", name="Afternoon Run", track_type="9"),
        distance_m=path_length_m(lat, lon),
        sport="running",
        elapsed_s=2700.0,
        moving_s=2400.0,
    )


def _phone_run(
    start: datetime, loop: Loop, *, creator: str, name: str | None, track_type: str | None,
    altitude: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[bytes, float]:  # fmt: skip
    seconds = np.arange(0, 1801, 2)
    along = seconds * 2.9
    lat, lon = loop.positions(along)
    heights = altitude(along) if altitude else np.full(len(along), 5.0)
    points = [
        Point(start + timedelta(seconds=int(s)), float(la), float(lo), float(h))
        for s, la, lo, h in zip(seconds, lat, lon, heights, strict=True)
    ]
    data = gpx_bytes(points, creator=creator, name=name, track_type=track_type)
    return data, path_length_m(lat, lon)


def runs_without_a_sport() -> list[Fixture]:
    """GPX runs whose files name no sport in words stridewise knew: a Nike Run Club export
    without ``<type>``, a Strava GPX with a numeric code (10: walk), a file named "Morning
    Run" by an app that writes no type, and one with nothing to tell (stays ``generic``)."""
    base = datetime(2021, 3, 1, 6, 0, 0, tzinfo=UTC)
    cases = [
        ("nike-run-club-without-type.gpx", "Nike Run Club", None, None, "running"),
        ("strava-numeric-type-10.gpx", "StravaGPX", "Evening stroll", "10", "walking"),
        ("named-morning-run-without-type.gpx", "gpx.py -- https://github.com/tkrajina/gpxpy",
         "Sexta-Feira Corrida Matutina", None, "running"),
        ("nothing-names-the-sport.gpx", "gpx.py -- https://github.com/tkrajina/gpxpy", None, None,
         "generic"),
    ]  # fmt: skip
    fixtures = []
    for day, (file_name, creator, name, track_type, sport) in enumerate(cases):
        data, length = _phone_run(
            base + timedelta(days=2 * day),
            Loop(-8.0476, -34.8770, 6_000.0),
            creator=creator,
            name=name,
            track_type=track_type,
        )
        fixtures.append(Fixture(file_name, data, distance_m=length, sport=sport))
    return fixtures


def _city_noise(seed: int, range_m: float) -> Callable[[np.ndarray], np.ndarray]:
    """GPS-only altitude in a flat city: a random walk of tens of metres with spikes."""

    def altitude(along: np.ndarray) -> np.ndarray:
        rng = _rng(seed)
        walk = np.cumsum(rng.normal(0.0, 4.0, len(along)))
        walk = (walk - walk.min()) / max(np.ptp(walk), 1.0) * range_m
        return 10.0 + walk + rng.normal(0.0, 6.0, len(along))

    return altitude


def _trail_profile(along: np.ndarray) -> np.ndarray:
    """A barometer's altitude on a trail: short steep ups and downs [m]."""
    return 300.0 + 25.0 * np.sin(along / 60.0) + 12.0 * np.sin(along / 23.0)


def surfaces_from_altitude() -> list[Fixture]:
    """Runs whose surface could be guessed from altitude, and whether it may be.

    * a Forerunner 235 (GPS-only altitude) in the centre of Singapore, with 230 m of altitude
      range in a city whose highest point is 163 m: surface unknown, altitude "gps";
    * a phone GPX along the Cairo riverside: unknown, "gps";
    * a fenix 5 (barometric altimeter) on a hilly trail: "trail", inferred.
    """
    start = datetime(2023, 1, 8, 23, 30, 0, tzinfo=UTC)
    fixtures = []
    duration_s, distance_m = 2400, 7000.0
    speed = distance_m / duration_s
    for name, product, loop, altitude, expected in (
        ("forerunner235-city-gps-altitude.fit", FR235, Loop(1.2903, 103.8519, 7_500.0),
         _city_noise(11, 230.0), ("unknown", None, "gps")),
        ("fenix5-barometric-trail.fit", FENIX5, Loop(47.2692, 11.4041, 7_500.0),
         _trail_profile, ("trail", "inferred", "barometric")),
    ):  # fmt: skip
        along = np.arange(duration_s + 1) * speed
        lat, lon = loop.positions(along)
        heights = altitude(along)
        points = [
            Point(start + timedelta(seconds=i), float(lat[i]), float(lon[i]), float(heights[i]),
                  float(along[i]), speed, heart_rate=150)
            for i in range(duration_s + 1)
        ]  # fmt: skip
        session = FitSession(
            start=start,
            end=start + timedelta(seconds=duration_s),
            elapsed_s=duration_s,
            timer_s=duration_s,
            distance_m=distance_m,
            product=product,
            utc_offset_s=8 * 3600 if product == FR235 else 3600,
        )
        surface, source, altitude_source = expected
        fixtures.append(
            Fixture(name, fit_bytes(points, session), distance_m=distance_m, sport="running",
                    surface=surface, surface_source=source, altitude_source=altitude_source)
        )  # fmt: skip
        start += timedelta(days=1)
    data, length = _phone_run(
        start, Loop(30.0444, 31.2357, 6_000.0), creator="StravaGPX Android", name="Nile run",
        track_type="9", altitude=_city_noise(12, 60.0),
    )  # fmt: skip
    fixtures.append(
        Fixture("phone-cairo-riverside-gps-altitude.gpx", data, distance_m=length, sport="running",
                altitude_source="gps")
    )  # fmt: skip
    return fixtures


def device_and_app_copies() -> tuple[Fixture, Fixture, bytes]:
    """One run three times: the watch's FIT (4.489 km, HR 130), the GPX an app exported of it
    (4.395 km, HR 134: thinned points, its own heart rate) and a row of Strava's
    activities.csv naming it and its shoe (4.40 km, HR 133). Returns (FIT, GPX, CSV bytes)."""
    start = datetime(2022, 9, 3, 6, 45, 0, tzinfo=UTC)
    loop = Loop(41.3874, 2.1686, 5_000.0)
    duration_s, fit_m = 1500, 4489.0
    speed = fit_m / duration_s
    lat, lon = loop.positions(np.arange(duration_s + 1) * speed)
    points = [
        Point(start + timedelta(seconds=i), float(lat[i]), float(lon[i]), 12.0, i * speed, speed,
              heart_rate=130)
        for i in range(duration_s + 1)
    ]  # fmt: skip
    session = FitSession(
        start=start,
        end=start + timedelta(seconds=duration_s),
        elapsed_s=duration_s,
        timer_s=duration_s,
        distance_m=fit_m,
        avg_heart_rate=130,
        utc_offset_s=7200,
        product=FENIX5,
    )
    fit = Fixture(
        "watch-device-recording.fit",
        fit_bytes(points, session),
        distance_m=fit_m,
        sport="running",
        timer_s=float(duration_s),
        notes={"avg_heart_rate": 130.0},
    )
    gpx_lat, gpx_lon = loop.positions(np.arange(0, duration_s + 1, 10) * (4395.0 / duration_s))
    gpx_points = [
        Point(start + timedelta(seconds=10 * i), float(la), float(lo), 12.0, heart_rate=134)
        for i, (la, lo) in enumerate(zip(gpx_lat, gpx_lon, strict=True))
    ]
    gpx = Fixture(
        "app-export-of-the-same-run.gpx",
        gpx_bytes(gpx_points, creator="StravaGPX", name="Tempo by the sea", track_type="9"),
        distance_m=path_length_m(gpx_lat, gpx_lon),
        sport="running",
    )
    csv = strava_list_csv(
        [ListRow(7788, start, "Tempo by the sea", "Run", 4400.0, 1490, 1500, 133.0, "Pegasus 40")]
    )
    return fit, gpx, csv


@dataclass(frozen=True)
class ListRow:
    """A row of Strava's activities.csv (what the runner's account says of an activity)."""

    activity_id: int
    start: datetime
    name: str
    activity_type: str
    distance_m: float
    moving_s: int
    elapsed_s: int
    avg_heart_rate: float | None = None
    gear: str = ""


def strava_list_csv(rows: list[ListRow]) -> bytes:
    """Strava's activities.csv with the columns a reader needs (names repeated as Strava does:
    the first Distance in km, the second in metres); rows without an activity file."""
    lines = [
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Activity Gear,Filename,Moving Time,Distance,Average Heart Rate"
    ]
    for row in rows:
        moment = row.start.astimezone(UTC)
        hour = moment.hour % 12 or 12
        date = f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M:%S} {moment:%p}"
        heart_rate = "" if row.avg_heart_rate is None else f"{row.avg_heart_rate:.1f}"
        lines.append(
            f'{row.activity_id},"{date}",{row.name},{row.activity_type},{row.elapsed_s},'
            f"{row.distance_m / 1000:.2f},{row.gear},,{row.moving_s},{row.distance_m:.1f},"
            f"{heart_rate}"
        )
    return ("\n".join(lines) + "\n").encode()


def all_fixtures() -> list[Fixture]:
    """Every single-file fixture (what scripts/make_fault_fixtures.py writes)."""
    fit, gpx, _ = device_and_app_copies()
    return [
        sports_tracker_clock_jitter(),
        movescount_same_outing(),
        phone_run_with_car_ride(),
        watch_clock_jump(timedelta(hours=17, minutes=43), 32),
        watch_clock_jump(timedelta(hours=34, minutes=35), 80),
        offset_contradicts_position(),
        one_file_two_outings(),
        elapsed_shorter_than_timer(),
        treadmill_moving_time(),
        gpx_run_with_standstill(),
        *runs_without_a_sport(),
        *surfaces_from_altitude(),
        fit,
        gpx,
    ]
