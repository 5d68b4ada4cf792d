"""FIT importer: the real device corpus (tests/realdata.py) and tiny files written with fit-tool.

Real files are imported once per test session (``_imported``): decoding the whole corpus takes
about 20 s, and every test below reads from that cache.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, datetime
from pathlib import Path

import fitparse
import numpy as np
import pandas as pd
import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    Manufacturer,
    Sport,
    SubSport,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from realdata import REAL, read_tsv

from stridewise.errors import CorruptFile, SkippedFile, StridewiseError
from stridewise.importers import fit, track
from stridewise.importers.fit import FIT_EPOCH_UNIX_S, read_fit
from stridewise.model import SAMPLE_COLUMNS, SURFACES, Activity, check_samples
from stridewise.pipeline import read_activities

# --- the real corpus -----------------------------------------------------------------------------

FIT_DIR = REAL / "fit" if REAL else None


def _listing(*patterns: str) -> list[str]:
    """Files under the real corpus's fit/ matching ``patterns``, relative to it."""
    if FIT_DIR is None:
        return []
    found = {path for pattern in patterns for path in FIT_DIR.glob(pattern) if path.is_file()}
    return sorted(str(path.relative_to(FIT_DIR)) for path in found)


ACTIVITY_FILES = _listing("activity/**/*", "compressed/*")
CORRUPT_FILES = _listing("corrupt/*")
NON_ACTIVITY_FILES = _listing("non_activity/*")
SESSION_ROWS = read_tsv(REAL / "fit_sessions.tsv") if REAL else []


def _rows_of(relative: str) -> list[dict[str, str]]:
    return [row for row in SESSION_ROWS if row["path"] == f"fit/{relative}"]


#: Activity files refused on purpose, with the reason the runner reads.
REFUSED = {
    # Garmin FR70 ANT-FS dumps count seconds from power-on (< 0x10000000) in every message,
    # file_id.time_created included; their activity.local_timestamp (2012-02-13 12:21:03) is the
    # same in two different runs, so it dates neither. No honest start time exists.
    "activity/fitparse/antfs-dump.63.fit": "no real date in the file (device-relative timestamps)",
    "activity/fitparse/compressed-speed-distance.fit": (
        "no real date in the file (device-relative timestamps)"
    ),
    # FIT SDK developer-data example: 3 records without any timestamp, no session.
    "activity/fitparse/DeveloperData.fit": "no date or time in the file",
}

#: Activity files that import with warnings (all others must import without any).
EXPECTED_WARNINGS = {
    # Zwift via an Edge 1030: 2760 records one second apart, session "elapsed" 1632 s; the
    # cleaning (read_activities) never stores an elapsed time shorter than the timer time
    "compressed/14582164182.fit.gz": [
        "the file's elapsed time (1632 s) is shorter than its timer time (2760 s); elapsed time "
        "taken from the records (2760 s)"
    ],
}

#: Sessions whose elapsed time is not kept as written: shorter than the timer time, it comes
#: from the records instead (issue 14, fault 8).
ELAPSED_FROM_RECORDS = {"compressed/14582164182.fit.gz": 2760.0}


@functools.cache
def _imported(relative: str) -> list[Activity] | StridewiseError:
    """A real file's activities, or the error it raised; compressed files through the dispatch."""
    path = FIT_DIR / relative
    try:
        if path.suffix.lower() == ".fit":
            return read_fit(path.read_bytes(), path.name)
        return read_activities(path)
    except StridewiseError as exc:
        return exc


def _activities(relative: str) -> list[Activity]:
    result = _imported(relative)
    if isinstance(result, StridewiseError):
        pytest.fail(f"{relative} raised {type(result).__name__}: {result}")
    return result


@pytest.mark.parametrize("relative", ACTIVITY_FILES)
def test_every_activity_file_imports_in_canonical_shape(real_dir: Path, relative: str) -> None:
    result = _imported(relative)
    if relative in REFUSED:
        assert isinstance(result, CorruptFile)
        assert str(result) == f"{Path(relative).name}: {REFUSED[relative]}"
        return
    activities = _activities(relative)
    n_sessions = int(_rows_of(relative)[0]["n_sessions"])
    assert len(activities) == max(n_sessions, 1)  # a file without a session is one activity
    for activity in activities:
        samples = activity.samples
        check_samples(samples)
        assert samples.index.name == "time"
        assert not samples.index.has_duplicates
        assert set(samples.dtypes) <= {np.dtype("float64")}
        assert not samples.isna().all().any(), "all-NaN columns must be dropped"
        assert activity.start_utc.utcoffset().total_seconds() == 0
        assert activity.surface in SURFACES
        assert activity.sport and isinstance(activity.sport, str)
    warnings = [warning for activity in activities for warning in activity.warnings]
    assert warnings == EXPECTED_WARNINGS.get(relative, [])


def _totals_rows() -> list[tuple[str, dict[str, str]]]:
    rows = []
    for row in SESSION_ROWS:
        relative = row["path"].removeprefix("fit/")
        if not relative.startswith(("activity/", "compressed/")) or relative in REFUSED:
            continue
        if row["total_distance"] and row["total_timer_time"]:
            rows.append((relative, row))
    return rows


def _record_distance_m(activities: list[Activity], index: int) -> float:
    """Distance the records of session ``index`` cover, counted the way the device counts it.

    Devices either restart the record distance at each session (fenix2) or keep counting across
    sessions (fr920xt): then a session runs from its first record to the next session's first.
    """

    def distance(position: int) -> pd.Series:
        return activities[position].samples["distance_m"].dropna()

    own = distance(index)
    restarted = index == 0 or own.iloc[0] < distance(index - 1).iloc[-1]
    start = 0.0 if restarted else own.iloc[0]
    following = distance(index + 1) if index + 1 < len(activities) else None
    continued = following is not None and not following.empty and following.iloc[0] >= own.max()
    end = following.iloc[0] if continued else own.max()
    return float(end - start)


@pytest.mark.parametrize(
    ("relative", "row"),
    _totals_rows(),
    ids=[f"{relative}#{row['session_index']}" for relative, row in _totals_rows()],
)
def test_device_totals_are_kept_and_agree_with_records(
    real_dir: Path, relative: str, row: dict[str, str]
) -> None:
    activity = _activities(relative)[int(row["session_index"])]
    assert activity.sport == (row["sport"] or "generic")
    assert activity.sub_sport == (row["sub_sport"] or None)
    assert activity.distance_m == pytest.approx(float(row["total_distance"]), abs=1e-6)
    assert activity.timer_s == pytest.approx(float(row["total_timer_time"]), abs=1e-6)
    if relative in ELAPSED_FROM_RECORDS:
        assert activity.elapsed_s == ELAPSED_FROM_RECORDS[relative]
    elif row["total_elapsed_time"]:
        assert activity.elapsed_s == pytest.approx(float(row["total_elapsed_time"]), abs=1e-6)
    if "distance_m" not in activity.samples:
        # no distance in the records: indoor and pool files whose device total is 0
        assert activity.distance_m == 0.0
        return
    record_distance = _record_distance_m(_activities(relative), int(row["session_index"]))
    if row["sport"] == "transition":
        # a transition lasts seconds to minutes: its few metres differ from the device's by what
        # one record spacing covers (fr920xt T2: 34.4 m vs 31.9 m), so allow metres, not percent
        assert record_distance == pytest.approx(float(row["total_distance"]), abs=5.0)
    else:
        assert record_distance == pytest.approx(float(row["total_distance"]), rel=0.01, abs=0.01)


def _device_total_ascent_m(relative: str) -> float | None:
    """The total ascent the device wrote in a file's only session, as fitparse reads it."""
    try:
        sessions = [
            m.get_values()
            for m in fitparse.FitFile(str(FIT_DIR / relative)).get_messages("session")
        ]
    except fitparse.FitParseError:
        return None
    total = sessions[0].get("total_ascent") if len(sessions) == 1 else None
    return None if total is None else float(total)


def test_the_ascent_rule_on_the_records_is_close_to_the_devices_totals(real_dir: Path) -> None:
    # the rule gives ascent where a file has no total (GPX, TCX, a FIT file without a session,
    # the parts of a split outing): on the files whose device wrote one, it must agree with it
    errors = {}
    for relative in ACTIVITY_FILES:
        device = _device_total_ascent_m(relative) if relative.endswith(".fit") else None
        activities = _imported(relative)
        if device is None or isinstance(activities, StridewiseError) or len(activities) != 1:
            continue
        assert activities[0].ascent_m == device  # the device's total is kept
        rule = track.ascent_m(activities[0].table)
        if rule is not None:
            errors[relative] = abs(rule - device) / max(device, 10.0)
    assert len(errors) >= 20
    # measured on 28 files: median 8 % of the device's total (or of 10 m, when it is smaller); the
    # rule the FIT reader had of its own before came to 10 %
    assert float(np.median(list(errors.values()))) < 0.10, errors


MULTISPORT_FILES = sorted(
    {
        row["path"].removeprefix("fit/")
        for row in SESSION_ROWS
        if int(row["n_sessions"]) > 1 and row["path"].startswith("fit/activity/")
    }
)


@pytest.mark.parametrize("relative", MULTISPORT_FILES)
def test_multisport_gives_one_activity_per_session_in_order(real_dir: Path, relative: str) -> None:
    rows = _rows_of(relative)
    activities = _activities(relative)
    assert [a.sport for a in activities] == [row["sport"] or "generic" for row in rows]
    starts = [a.start_utc for a in activities]
    assert starts == sorted(starts)
    with_records = [a.samples for a in activities if a.has_records]
    for earlier, later in zip(with_records, with_records[1:], strict=False):
        assert earlier.index[-1] < later.index[0], "a record belongs to one session only"


def test_big_multisport_file_has_seven_sessions(real_dir: Path) -> None:
    activities = _activities("activity/fitparse/activity-large-fenxi2-multisport.fit")
    assert [a.sport for a in activities] == [
        "generic",
        "transition",
        "running",
        "transition",
        "running",
        "transition",
        "cycling",
    ]


# --- corrupt and non-activity files --------------------------------------------------------------

#: Every file of fit/corrupt with the warnings its salvage must carry (imported, never refused).
CORRUPT_OUTCOMES = {
    "activity-filecrc.fit": ["the file's checksum does not match its contents; imported anyway"],
    # the same activity chained twice, the checksum of the second copy wrong
    "activity-activity-filecrc.fit": [
        "the file's checksum does not match its contents; imported anyway",
        "1 repeated session left out",
    ],
    "activity-settings-corruptheader.fit": [
        "a second FIT part starting at byte 769 has a broken header; "
        "imported the 14 records before it"
    ],
    "activity-settings-nodata.fit": ["file is truncated; imported the 14 records before byte 769"],
    "activity-unexpected-eof.fit": ["file is truncated; imported the 14 records before byte 768"],
    # the misaligned field is an event's `data`, which stridewise does not use: a clean import
    "coros-pace-2-cycling-misaligned-fields.fit": [],
    # unterminated Sigma file: no checksum, last message cut, no session
    "nick.fit": ["file is truncated; imported the 14392 records before byte 403456"],
    # session written first, then records until an undefined message type: partial salvage
    "strava-android-app-201.10-b1218918.fit": [
        "file is damaged at byte 7471 (Got data message with invalid local message type 11); "
        "imported the 473 records before it"
    ],
}


@pytest.mark.parametrize("relative", CORRUPT_FILES)
def test_corrupt_file_outcome(real_dir: Path, relative: str) -> None:
    name = Path(relative).name
    assert name in CORRUPT_OUTCOMES, f"{name}: new corrupt file without an expected outcome"
    activities = _activities(relative)
    assert len(activities) == 1
    assert activities[0].warnings == CORRUPT_OUTCOMES[name]
    check_samples(activities[0].samples)
    row = _rows_of(relative)[0]
    if row["total_distance"]:  # the salvaged summary is the device's own
        assert activities[0].distance_m == pytest.approx(float(row["total_distance"]))
        assert activities[0].timer_s == pytest.approx(float(row["total_timer_time"]))


def test_salvaged_partial_strava_file_keeps_only_what_was_read(real_dir: Path) -> None:
    (activity,) = _activities("corrupt/strava-android-app-201.10-b1218918.fit")
    assert activity.distance_m == pytest.approx(11274.04)  # the app's session summary
    assert activity.samples["distance_m"].max() < 1000  # records stop after 0.9 km
    assert activity.ascent_m is None  # not summed from a tenth of the run


def test_unterminated_file_summary_comes_from_its_records(real_dir: Path) -> None:
    (activity,) = _activities("corrupt/nick.fit")
    row = _rows_of("corrupt/nick.fit")[0]
    assert activity.sport == "cycling"  # from its `sport` message
    assert activity.distance_m == pytest.approx(float(row["record_distance"]))
    assert (
        activity.elapsed_s
        == (activity.samples.index[-1] - activity.samples.index[0]).total_seconds()
    )
    assert activity.timer_s < activity.elapsed_s  # timer stop/start events say it paused


@pytest.mark.parametrize("relative", NON_ACTIVITY_FILES)
def test_non_activity_files_are_skipped(real_dir: Path, relative: str) -> None:
    result = _imported(relative)
    assert isinstance(result, SkippedFile)
    assert str(result).startswith(f"{Path(relative).name}: not an activity (")


# --- values --------------------------------------------------------------------------------------

RUNNING_FILES_WITH_CADENCE = sorted(
    {
        row["path"].removeprefix("fit/")
        for row in SESSION_ROWS
        if row["sport"] == "running"
        and row["avg_running_cadence"]
        and row["path"].startswith(("fit/activity/", "fit/compressed/"))
        and row["path"].removeprefix("fit/") not in REFUSED
    }
)


@pytest.mark.parametrize("relative", RUNNING_FILES_WITH_CADENCE)
def test_running_cadence_is_in_steps_per_minute(real_dir: Path, relative: str) -> None:
    runs = [a for a in _activities(relative) if a.is_running]
    assert runs
    for run in runs:
        cadence = run.samples["cadence_spm"]
        stepping = cadence[cadence > 0]
        # session and records are doubled separately: they must tell the same story
        assert stepping.mean() == pytest.approx(run.avg_cadence_spm, rel=0.1)
        at_running_speed = run.samples["speed_mps"] > 2.0
        if at_running_speed.mean() >= 0.4:  # mostly running, not a walk logged as a run
            assert 150 <= cadence[at_running_speed & (cadence > 0)].mean() <= 200


def _raw_cadence(path: Path) -> pd.Series:
    """Record cadence + fractional cadence as fitparse gives them, by UTC time."""
    values = {}
    for message in fitparse.FitFile(str(path)).get_messages("record"):
        record = message.get_values()
        if record.get("cadence") is not None:
            when = pd.Timestamp(record["timestamp"], tz="UTC")
            values[when] = record["cadence"] + (record.get("fractional_cadence") or 0.0)
    return pd.Series(values, dtype=float)


@pytest.mark.parametrize(
    ("relative", "factor"),
    [
        ("activity/fitparse/garmin-fenix-5-run.fit", 2.0),
        ("activity/fitparse/garmin-edge-820-bike.fit", 1.0),
        ("activity/sweatpy/2020-06-01-16-52-40.fit", 1.0),
        ("activity/fitparse/garmin-fenix-5-walk.fit", 1.0),
    ],
)
def test_only_running_cadence_is_doubled(real_dir: Path, relative: str, factor: float) -> None:
    (activity,) = _activities(relative)
    raw = _raw_cadence(FIT_DIR / relative)
    assert len(raw) > 10
    ours = activity.samples["cadence_spm"].reindex(raw.index)
    np.testing.assert_allclose(ours.to_numpy(), factor * raw.to_numpy())


@pytest.mark.parametrize(
    "relative",
    [
        "activity/fitparse/garmin-fenix-5-run.fit",
        "activity/goldencheetah/Garmin920_withFirstbeat.fit",
        "compressed/4077461142.zip",
    ],
)
def test_running_dynamics_agree_with_session_averages(real_dir: Path, relative: str) -> None:
    (run,) = _activities(relative)
    row = _rows_of(relative)[0]
    samples = run.samples
    for column, average in [
        ("vertical_oscillation_mm", "avg_vertical_oscillation"),
        ("stance_time_ms", "avg_stance_time"),
        ("step_length_mm", "avg_step_length"),
        ("vertical_ratio_pct", "avg_vertical_ratio"),
    ]:
        assert samples[column].mean() == pytest.approx(float(row[average]), rel=0.1), column
    balance = samples["stance_time_balance_pct"].mean()
    assert balance == pytest.approx(float(row["avg_stance_time_balance"]), abs=1.0)
    assert 45 < balance < 55


def test_developer_power_is_not_device_power(real_dir: Path) -> None:
    relative = "activity/goldencheetah/3386684871.fit"
    developer_fields = {
        field_data.name
        for message in fitparse.FitFile(str(FIT_DIR / relative)).get_messages("record")
        for field_data in message.fields
        if isinstance(field_data.field, fitparse.records.DevField)
    }
    assert "Power" in developer_fields  # Stryd's, through developer fields
    (run,) = _activities(relative)
    assert "power_w" not in run.samples


def _offset_rows() -> list[tuple[str, dict[str, str]]]:
    unique = {}
    for row in SESSION_ROWS:
        relative = row["path"].removeprefix("fit/")
        if relative.startswith(("activity/", "compressed/")) and row["utc_offset_s"]:
            unique.setdefault(relative, row)
    return sorted(unique.items())


@pytest.mark.parametrize(("relative", "row"), _offset_rows(), ids=[r for r, _ in _offset_rows()])
def test_local_offset_from_the_file_when_plausible(
    real_dir: Path, relative: str, row: dict[str, str]
) -> None:
    file_offset = int(row["utc_offset_s"])
    for activity in _activities(relative):
        if "local_timestamp implausible" in row["notes"]:
            assert activity.utc_offset_s != file_offset
        else:
            assert activity.utc_offset_s == file_offset


@pytest.mark.parametrize(
    ("relative", "offset_s"),
    [
        # bogus local_timestamp; the first position is in Essex: London in January
        ("activity/goldencheetah/FR55-CoreTemp-Walk.fit", 0),
        # bogus local_timestamp, no position: nothing to tell
        ("activity/goldencheetah/GarminSwimExample.fit", None),
        # Zwift rides: their positions are in the game's world, not where the rider is
        ("activity/fitparse/null_compressed_speed_dist.fit", None),
        ("compressed/14582164182.fit.gz", None),
    ],
)
def test_bogus_file_offset_falls_back_to_position(
    real_dir: Path, relative: str, offset_s: int | None
) -> None:
    (activity,) = _activities(relative)
    assert activity.utc_offset_s == offset_s


def test_zero_file_offset_gives_way_to_the_position(real_dir: Path) -> None:
    # COROS writes local_timestamp = timestamp; the ride's first position is in Bogota (UTC-5)
    (ride,) = _activities("corrupt/coros-pace-2-cycling-misaligned-fields.fit")
    assert ride.utc_offset_s == -5 * 3600


def test_default_timezone_when_nothing_else_tells(real_dir: Path) -> None:
    path = FIT_DIR / "activity/goldencheetah/GarminSwimExample.fit"
    (swim,) = read_fit(path.read_bytes(), path.name, default_timezone="America/New_York")
    assert swim.utc_offset_s == -5 * 3600  # 2015-11-05: standard time again


@pytest.mark.parametrize(
    ("relative", "surface", "source"),
    [
        ("compressed/4077461142.zip", "trail", "file"),
        ("activity/fitparse/garmin-fenix-5-run.fit", "unknown", None),  # sub_sport generic
        ("activity/goldencheetah/SigmaRox11_1.fit", "unknown", None),  # a road *ride*
    ],
)
def test_surface_of_real_files(real_dir: Path, relative: str, surface: str, source: str) -> None:
    (activity,) = _activities(relative)
    assert (activity.surface, activity.surface_source) == (surface, source)


@pytest.mark.parametrize(
    ("relative", "device"),
    [
        ("activity/fitparse/garmin-fenix-5-run.fit", "garmin fenix5"),
        ("activity/goldencheetah/Move_2020_01_15_19_27_16_Running.fit", "suunto 34"),
        ("activity/goldencheetah/3386684871-saved.fit", None),  # GoldenCheetah: maker 0
    ],
)
def test_device_from_file_id(real_dir: Path, relative: str, device: str | None) -> None:
    (activity,) = _activities(relative)
    assert activity.device == device


def test_session_without_records_is_a_summary_only_activity(real_dir: Path) -> None:
    (ride,) = _activities("activity/goldencheetah/2012_02_05_09_03_59.fit")
    assert not ride.has_records
    assert (ride.elapsed_s, ride.timer_s) == (38.35, 18.71)


def test_file_without_session_gets_its_summary_from_records(real_dir: Path) -> None:
    (ride,) = _activities("activity/garmin_sdk/WithGearChangeData.fit")
    samples = ride.samples
    assert ride.distance_m == pytest.approx(
        samples["distance_m"].dropna().iloc[-1] - samples["distance_m"].dropna().iloc[0]
    )
    assert ride.elapsed_s == (samples.index[-1] - samples.index[0]).total_seconds()
    assert ride.max_heart_rate_bpm == samples["heart_rate_bpm"].max()
    # its altitude leaps 1097 m -> 11029 m within a second: those leaps are not climbing
    assert ride.ascent_m is not None and ride.ascent_m < 100


# --- tiny files written with fit-tool ------------------------------------------------------------

#: Start of every hand-made activity: 2024-05-01 06:00:00 UTC [Unix s].
START = int(datetime(2024, 5, 1, 6, 0, tzinfo=UTC).timestamp())


def _ms(unix_s: float) -> int:
    """fit-tool wants times in milliseconds since 1970."""
    return round(unix_s * 1000)


def _message(kind: type, **fields: object) -> object:
    message = kind()
    for name, value in fields.items():
        setattr(message, name, value)
    return message


def _fit(*messages: object) -> bytes:
    builder = FitFileBuilder(auto_define=True)
    builder.add_all(list(messages))
    return builder.build().to_bytes()


def _file_id(file_type: FileType = FileType.ACTIVITY, created_ms: int | None = None) -> object:
    return _message(
        FileIdMessage,
        type=file_type,
        manufacturer=Manufacturer.GARMIN.value,
        product=2697,  # fenix5, as fitparse names it
        time_created=_ms(START) if created_ms is None else created_ms,
    )


def _timer(second: int, event_type: EventType) -> object:
    return _message(EventMessage, event=Event.TIMER, event_type=event_type, timestamp=_ms(second))


def _run_records(seconds: range, *, cadence: int = 80) -> list[object]:
    """1 Hz records at 3 m/s heading north from 45 N 7.5 E, 150-ish bpm."""
    return [
        _message(
            RecordMessage,
            timestamp=_ms(START + s),
            distance=3.0 * s,
            enhanced_speed=3.0,
            position_lat=45.0 + s * 1e-5,
            position_long=7.5,
            heart_rate=140 + s % 20,
            cadence=cadence,
            fractional_cadence=0.5,
            stance_time_balance=49.5,
        )
        for s in seconds
    ]


def _session(sport: Sport, sub_sport: SubSport, elapsed_s: float, timer_s: float) -> object:
    return _message(
        SessionMessage,
        timestamp=_ms(START + elapsed_s),
        start_time=_ms(START),
        sport=sport,
        sub_sport=sub_sport,
        total_elapsed_time=elapsed_s,
        total_timer_time=timer_s,
        total_distance=3.0 * elapsed_s,
        avg_heart_rate=150,
        max_heart_rate=159,
        avg_cadence=80,
        avg_fractional_cadence=0.5,
    )


@pytest.fixture
def run_with_a_one_minute_pause() -> bytes:
    """Ten seconds of running, a 60 s pause (timer stopped), ten more; the file says UTC+2."""
    return _fit(
        _file_id(),
        _timer(START, EventType.START),
        *_run_records(range(0, 10)),
        _timer(START + 9, EventType.STOP_ALL),
        _timer(START + 69, EventType.START),
        *_run_records(range(69, 79)),
        _timer(START + 78, EventType.STOP_ALL),
        _session(Sport.RUNNING, SubSport.STREET, elapsed_s=78.0, timer_s=18.0),
        _message(
            ActivityMessage,
            timestamp=_ms(START + 78),
            local_timestamp=START + 78 - FIT_EPOCH_UNIX_S + 7200,
            num_sessions=1,
        ),
    )


def test_pause_counts_in_elapsed_not_in_timer(run_with_a_one_minute_pause: bytes) -> None:
    (run,) = read_fit(run_with_a_one_minute_pause, "pause.fit")
    assert (run.elapsed_s, run.timer_s) == (78.0, 18.0)
    assert run.start_utc == datetime.fromtimestamp(START, UTC)
    assert len(run.samples) == 20
    gaps = run.samples.index.to_series().diff().dt.total_seconds()
    assert gaps.max() == 60.0  # the pause stays a gap in the samples, not filled
    assert run.warnings == []


def test_running_cadence_doubles_strides_with_fraction(run_with_a_one_minute_pause: bytes) -> None:
    (run,) = read_fit(run_with_a_one_minute_pause, "pause.fit")
    assert (run.samples["cadence_spm"] == 2 * (80 + 0.5)).all()
    assert run.avg_cadence_spm == 2 * (80 + 0.5)


def test_summary_and_samples_of_a_hand_made_run(run_with_a_one_minute_pause: bytes) -> None:
    (run,) = read_fit(run_with_a_one_minute_pause, "pause.fit")
    assert run.sport == "running" and run.sub_sport == "street"
    assert (run.surface, run.surface_source) == ("road", "file")
    assert run.utc_offset_s == 7200
    assert run.device == "garmin fenix5"
    assert (run.distance_m, run.avg_heart_rate_bpm, run.max_heart_rate_bpm) == (234.0, 150, 159)
    samples = run.samples
    assert set(samples.columns) <= set(SAMPLE_COLUMNS)
    assert samples["lat_deg"].iloc[0] == pytest.approx(45.0, abs=1e-6)  # semicircles undone
    assert samples["lon_deg"].iloc[0] == pytest.approx(7.5, abs=1e-6)
    assert samples["distance_m"].iloc[-1] == 3.0 * 78
    assert (samples["speed_mps"] == 3.0).all()
    assert (samples["stance_time_balance_pct"] == 49.5).all()


def test_without_session_the_summary_comes_from_records_and_timer_events() -> None:
    data = _fit(
        _file_id(),
        _timer(START, EventType.START),
        *_run_records(range(0, 10)),
        _timer(START + 9, EventType.STOP_ALL),
        _timer(START + 69, EventType.START),
        *_run_records(range(69, 79)),
        _timer(START + 78, EventType.STOP_ALL),
    )
    (activity,) = read_fit(data, "no-session.fit")
    assert activity.sport == "generic"  # nothing says what it was
    assert activity.elapsed_s == 78.0  # last record minus first
    assert activity.timer_s == 9.0 + 9.0  # timer start->stop spans
    assert activity.distance_m == 3.0 * 78
    heart_rates = [140 + s % 20 for s in [*range(0, 10), *range(69, 79)]]
    assert activity.avg_heart_rate_bpm == pytest.approx(np.mean(heart_rates))
    assert activity.max_heart_rate_bpm == max(heart_rates)
    assert activity.avg_cadence_spm == 80.5  # not known to be running: not doubled


def test_cycling_cadence_is_not_doubled() -> None:
    data = _fit(
        _file_id(),
        *_run_records(range(0, 5), cadence=90),
        _session(Sport.CYCLING, SubSport.ROAD, elapsed_s=4.0, timer_s=4.0),
    )
    (ride,) = read_fit(data, "ride.fit")
    assert (ride.samples["cadence_spm"] == 90.5).all()
    assert ride.avg_cadence_spm == 80.5  # the session's own avg_cadence + fraction
    assert (ride.surface, ride.surface_source) == ("unknown", None)  # a road ride, not a run


@pytest.mark.parametrize(
    ("sub_sport", "surface", "source"),
    [
        (SubSport.GENERIC, "unknown", None),
        (SubSport.TREADMILL, "treadmill", "file"),
        (SubSport.STREET, "road", "file"),
        (SubSport.TRAIL, "trail", "file"),
        (SubSport.TRACK, "track", "file"),
        (SubSport.INDOOR_RUNNING, "treadmill", "file"),
        (SubSport.VIRTUAL_ACTIVITY, "treadmill", "file"),
    ],
)
def test_running_surface_from_sub_sport(sub_sport: SubSport, surface: str, source: str) -> None:
    data = _fit(
        _file_id(),
        *_run_records(range(0, 3)),
        _session(Sport.RUNNING, sub_sport, elapsed_s=2.0, timer_s=2.0),
    )
    (run,) = read_fit(data, "surface.fit")
    assert (run.surface, run.surface_source) == (surface, source)


def test_records_sharing_a_time_are_merged_later_winning() -> None:
    data = _fit(
        _file_id(),
        _message(RecordMessage, timestamp=_ms(START), position_lat=45.0, position_long=7.5),
        _message(RecordMessage, timestamp=_ms(START), distance=0.0, heart_rate=120),
        _message(RecordMessage, timestamp=_ms(START + 1), distance=3.0, heart_rate=121),
        _message(RecordMessage, timestamp=_ms(START + 1), heart_rate=125),
    )
    (activity,) = read_fit(data, "split-records.fit")
    samples = activity.samples
    assert len(samples) == 2
    assert samples["lat_deg"].iloc[0] == pytest.approx(45.0, abs=1e-6)
    assert samples["distance_m"].tolist() == [0.0, 3.0]
    assert samples["heart_rate_bpm"].tolist() == [120.0, 125.0]


def _relative_ms(fit_seconds: int) -> int:
    """A device-relative FIT time (seconds since power-on) as fit-tool milliseconds."""
    return _ms(FIT_EPOCH_UNIX_S + fit_seconds)


def test_relative_times_anchored_to_a_real_creation_time() -> None:
    records = [
        _message(RecordMessage, timestamp=_relative_ms(5000 + s), heart_rate=130) for s in range(5)
    ]
    data = _fit(_file_id(created_ms=_ms(START)), *records)
    (activity,) = read_fit(data, "relative.fit")
    assert activity.start_utc == datetime.fromtimestamp(START, UTC)
    assert activity.elapsed_s == 4.0
    assert activity.warnings == [
        "the device wrote times counted from its own start, not dates; "
        "the start time is the file's creation time"
    ]


def test_relative_times_without_any_date_are_refused() -> None:
    records = [_message(RecordMessage, timestamp=_relative_ms(5000 + s)) for s in range(5)]
    data = _fit(_file_id(created_ms=_relative_ms(4990)), *records)
    with pytest.raises(CorruptFile, match=r"^relative\.fit: no real date in the file"):
        read_fit(data, "relative.fit")


def test_settings_file_is_skipped_before_its_records_are_decoded() -> None:
    data = bytearray(_fit(_file_id(FileType.SETTINGS), *_run_records(range(0, 20))))
    # wreck everything after the header and the file_id: decoding on would hit the damage
    file_id_end = len(_fit(_file_id(FileType.SETTINGS))) - 2  # its checksum left out
    data[file_id_end:-2] = b"\xff" * (len(data) - 2 - file_id_end)
    with pytest.raises(SkippedFile, match=r"^settings\.fit: not an activity \(settings\)$"):
        read_fit(bytes(data), "settings.fit")


def test_wrong_checksum_imports_with_a_warning(run_with_a_one_minute_pause: bytes) -> None:
    data = run_with_a_one_minute_pause[:-2] + b"\x00\x00"
    (run,) = read_fit(data, "crc.fit")
    assert run.warnings == ["the file's checksum does not match its contents; imported anyway"]
    assert len(run.samples) == 20


def test_file_cut_mid_run_keeps_the_records_before_the_cut(
    run_with_a_one_minute_pause: bytes,
) -> None:
    whole = read_fit(run_with_a_one_minute_pause, "whole.fit")[0]
    cut_at = len(run_with_a_one_minute_pause) // 2
    (run,) = read_fit(run_with_a_one_minute_pause[:cut_at], "cut.fit")
    assert 0 < len(run.samples) < len(whole.samples)
    truncated = re.fullmatch(
        r"file is truncated; imported the (\d+) records before byte (\d+)", run.warnings[0]
    )
    assert truncated, run.warnings
    assert int(truncated[1]) >= len(run.samples)
    assert int(truncated[2]) <= cut_at
    assert run.distance_m == run.samples["distance_m"].iloc[-1]  # no session: from the records


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"<?xml version='1.0'?><gpx></gpx>", "not a FIT file"),
        (b"\x0e\x10\x00\x00", "not a FIT file"),  # shorter than a FIT header
    ],
)
def test_unreadable_bytes_raise_corrupt_file_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(CorruptFile) as raised:
        read_fit(data, "broken.fit")
    assert str(raised.value) == f"broken.fit: {reason}"


def test_header_only_is_truncated_before_any_record(run_with_a_one_minute_pause: bytes) -> None:
    with pytest.raises(CorruptFile, match=r"^cut\.fit: truncated or damaged before any record$"):
        read_fit(run_with_a_one_minute_pause[:20], "cut.fit")


def _outcome_is_clean(data: bytes) -> None:
    """Either whole activities or a StridewiseError naming the file; nothing else."""
    try:
        activities = read_fit(data, "fuzzed.fit")
    except StridewiseError as exc:
        assert str(exc).startswith("fuzzed.fit: ")
        assert "\n" not in str(exc)
        return
    for activity in activities:
        check_samples(activity.samples)
        assert math.isfinite(activity.start_utc.timestamp())


_SMALL_RUN = _fit(
    _file_id(),
    *_run_records(range(0, 6)),
    _session(Sport.RUNNING, SubSport.TRAIL, elapsed_s=5.0, timer_s=5.0),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(_SMALL_RUN)))
def test_any_truncation_is_salvaged_or_refused_cleanly(cut: int) -> None:
    _outcome_is_clean(_SMALL_RUN[:cut])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(_SMALL_RUN) - 1),
    value=st.integers(min_value=0, max_value=255),
)
def test_any_damaged_byte_is_salvaged_or_refused_cleanly(position: int, value: int) -> None:
    data = bytearray(_SMALL_RUN)
    data[position] = value
    _outcome_is_clean(bytes(data))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6),
            st.one_of(st.none(), st.floats(-1e3, 1e3)),
            st.one_of(st.none(), st.floats(-1e3, 1e3)),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_records_sharing_a_time_merge_as_pandas_groupby_last(rows):
    """Records of one moment split over two (Strava): one row per time, in time order, each
    column's last value among them in record order; what ``groupby(level=0).last()`` gives."""
    seconds = np.array([row[0] for row in rows], dtype="int64")
    columns = {
        name: np.array([np.nan if row[i] is None else row[i] for row in rows], dtype=float)
        for i, name in ((1, "distance_m"), (2, "heart_rate_bpm"))
    }
    table = fit._one_row_per_time(seconds * 1_000_000_000, columns)
    frame = pd.DataFrame(columns, index=seconds).groupby(level=0, sort=True).last()
    assert table.times_ns.tolist() == (frame.index.to_numpy() * 1_000_000_000).tolist()
    for name in columns:
        np.testing.assert_array_equal(table[name], frame[name].to_numpy())
