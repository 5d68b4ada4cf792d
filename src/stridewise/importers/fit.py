"""FIT importer: Garmin, COROS, Wahoo, Suunto, Polar, Zwift, Stryd and friends.

Two steps, kept apart on purpose:

1. decoding (``_decode_messages``): fitparse turns the bytes into plain dicts of message values
   (``FitMessages``), salvaging what it can from damaged files;
2. mapping (``_activities_from_messages``): those values become ``Activity`` objects.

A second decoder, ``fit_bulk`` (numpy, bulk), produces the same ``FitMessages`` about a hundred
times faster and is tried first; a file it declines is decoded by fitparse (see ``read_fit``). The
plain values follow fitparse's field names with scale and offset applied, except that every time
(``timestamp``, ``start_time``, ``time_created``, ``local_timestamp``) stays a raw FIT time: whole
seconds since 1989-12-31T00:00Z, a value below ``FIRST_REAL_FIT_TIME`` being device-relative.
Developer fields are left out.
"""

from __future__ import annotations

import bisect
import io
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import fitparse
import numpy as np
from fitparse.records import DevField
from fitparse.utils import FitCRCError, FitEOFError, FitHeaderError

from stridewise import localtime
from stridewise.errors import ConfigError, CorruptFile, SkippedFile, StridewiseError
from stridewise.importers import fit_bulk
from stridewise.importers.fit_bulk import RecordColumns
from stridewise.importers.fit_messages import (
    DEGREES_PER_SEMICIRCLE,
    FIRST_REAL_FIT_TIME,
    FIT_EPOCH_UNIX_S,
    FitMessages,
    file_message,
)
from stridewise.importers.track import (
    ascent_m,
    column_max,
    column_mean,
    column_span,
    moving_cadence_mean,
)
from stridewise.limits import PLAUSIBLE_ALTITUDE_M, plausible_offset
from stridewise.model import Activity, SampleTable

#: Running surface by FIT ``sub_sport`` (FORMATS.md); other sub-sports say nothing of the surface.
RUNNING_SURFACE_BY_SUB_SPORT = {
    "treadmill": "treadmill",
    "street": "road",
    "trail": "trail",
    "track": "track",
    "indoor_running": "treadmill",
    "virtual_activity": "treadmill",
}

#: Canonical sample column -> record fields to read, first present wins.
_RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "distance_m": ("distance",),
    "speed_mps": ("enhanced_speed", "speed"),
    "altitude_m": ("enhanced_altitude", "altitude"),
    "heart_rate_bpm": ("heart_rate",),
    "power_w": ("power",),
    "vertical_oscillation_mm": ("vertical_oscillation",),
    "stance_time_ms": ("stance_time",),
    "stance_time_balance_pct": ("stance_time_balance",),
    "vertical_ratio_pct": ("vertical_ratio",),
    "step_length_mm": ("step_length",),
    "temperature_c": ("temperature",),
}

_TIMER_STOPS = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})


def read_fit(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read every activity (one per session) of a FIT file.

    ``default_timezone`` (an IANA name) gives the local offset when the file carries neither a
    plausible offset nor a position. Raises ``SkippedFile`` for a FIT file that is not an activity
    (settings, monitoring, workouts…) and ``CorruptFile`` when nothing usable can be read.
    ``$STRIDEWISE_FIT_DECODER`` chooses the decoder (``DECODER_VARIABLE``); each activity's
    ``decoder`` says which one read it.
    """
    messages, decoder = _decode_with_chosen_decoder(data, source_name)
    activities = _activities_from_messages(messages, source_name, default_timezone=default_timezone)
    for activity in activities:
        activity.decoder = decoder
    return activities


# --- choosing the decoder -----------------------------------------------------------------------

#: Environment variable choosing the FIT decoder: "auto" (default: the bulk decoder, fitparse for a
#: file it declines), "fast" (the bulk decoder only: a declined file is an error) or "fitparse".
DECODER_VARIABLE = "STRIDEWISE_FIT_DECODER"


def _decode_with_chosen_decoder(data: bytes, source_name: str) -> tuple[FitMessages, str]:
    """Decoded messages and the decoder: "fast", "fitparse" or "fitparse-fallback: <reason>"."""
    choice = os.environ.get(DECODER_VARIABLE, "auto").strip().lower() or "auto"
    if choice == "fitparse":
        return _decode_messages(data, source_name), "fitparse"
    if choice not in ("auto", "fast"):
        raise ConfigError(
            f"{DECODER_VARIABLE} must be auto, fast or fitparse, not '{choice}' ({source_name})"
        )
    try:
        return fit_bulk.decode_messages(data, source_name), "fast"
    except fit_bulk.FastPathDeclined as declined:
        if choice == "fast":
            raise
        reason = declined.reason
    except StridewiseError:
        raise  # SkippedFile: not an activity
    except Exception as exc:  # a bug in the bulk decoder must not cost the runner the file
        if choice == "fast":
            raise
        reason = f"fast decoder failed ({type(exc).__name__})"
    return _decode_messages(data, source_name), f"fitparse-fallback: {reason}"


# --- decoding ------------------------------------------------------------------------------------


class _PlainValues(fitparse.FitFileDataProcessor):
    """Leaves values as decoded: times stay raw FIT seconds, which also halves decoding time."""

    def run_type_processor(self, field_data: Any) -> None:
        pass

    def run_field_processor(self, field_data: Any) -> None:
        pass

    def run_unit_processor(self, field_data: Any) -> None:
        pass

    def run_message_processor(self, data_message: Any) -> None:
        pass


class _ChecksumTolerantFitFile(fitparse.UncachedFitFile):
    """Counts checksum mismatches instead of stopping at them.

    A wrong checksum says the bytes may be damaged, not that the messages are unreadable; the runner
    gets a warning. (fitparse's own ``check_crc=False`` also skips reading the checksum bytes, so a
    chained second part would then start two bytes early and fail.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.checksum_mismatches = 0
        super().__init__(*args, **kwargs)

    def _read_and_assert_crc(self, allow_zero: bool = False) -> None:
        try:
            super()._read_and_assert_crc(allow_zero=allow_zero)
        except FitCRCError:
            self.checksum_mismatches += 1


def _decode_messages(data: bytes, source_name: str) -> FitMessages:
    """Decode the messages the mapping needs, keeping everything read before any damage.

    Raises ``SkippedFile`` as soon as the first ``file_id`` says the file is not an activity, so
    monitoring and settings files are never decoded further.
    """
    if not data:
        raise CorruptFile(f"{source_name}: the file is empty")
    stream = io.BytesIO(data)
    result = FitMessages()
    with warnings.catch_warnings():
        # fitparse warns about each oddity it forgives (byte fallbacks, a cut last message); what
        # the runner needs is the outcome, reported below
        warnings.simplefilter("ignore")
        try:
            fit = _ChecksumTolerantFitFile(
                stream, check_crc=True, check_developer_data=False, data_processor=_PlainValues()
            )
        except Exception as exc:  # fitparse raises several types on a bad header; all mean the same
            raise CorruptFile(f"{source_name}: not a FIT file") from exc
        end_of_last_message = stream.tell()
        try:
            for message in fit.get_messages():
                _collect(message, result, source_name)
                if not stream.closed:  # fitparse closes it after the last message
                    end_of_last_message = stream.tell()
        except SkippedFile:
            raise
        except Exception as exc:  # damaged bytes surface as many exception types; keep what we have
            result.failure = _failure_in_words(exc, end_of_last_message, len(data), result)
    if result.failure is not None and (result.records or result.sessions):
        result.warnings.append(result.failure)
    if fit.checksum_mismatches:
        result.warnings.append("the file's checksum does not match its contents; imported anyway")
    return result


#: Messages the mapping reads; the others are decoded (fitparse must) but not kept.
_COLLECTED_MESSAGES = frozenset({"record", "event", "session", "file_id", "activity", "sport"})


def _collect(message: Any, result: FitMessages, source_name: str) -> None:
    """File one decoded message into ``result``; stop at a non-activity ``file_id``."""
    if message.name in _COLLECTED_MESSAGES:
        file_message(message.name, _plain_values(message), result, source_name)


def _plain_values(message: Any) -> dict[str, Any]:
    """Field name -> value of a message's valid fields, without developer fields.

    Developer fields stay out because Stryd's "Power" is not the device's power. Invalid values
    stay out because a null compressed_speed_distance (Zwift) expands into a ``distance`` of None
    after the real one.
    """
    return {
        f.name: f.value
        for f in message.fields
        if f.value is not None and not isinstance(f.field, DevField)
    }


def _failure_in_words(exc: Exception, position: int, size: int, result: FitMessages) -> str:
    """Why decoding stopped at byte ``position`` of ``size``, and what was kept."""
    records = _count(len(result.records), "record")
    if isinstance(exc, FitEOFError) or position >= size:
        return f"file is truncated; imported the {records} before byte {position}"
    if isinstance(exc, FitHeaderError):
        return (
            f"a second FIT part starting at byte {position} has a broken header; "
            f"imported the {records} before it"
        )
    return f"file is damaged at byte {position} ({exc}); imported the {records} before it"


# --- mapping -------------------------------------------------------------------------------------


def _activities_from_messages(
    messages: FitMessages, source_name: str, *, default_timezone: str | None
) -> list[Activity]:
    """Turn decoded FIT messages into one ``Activity`` per session (or one for the records)."""
    messages = _with_real_times(messages, source_name)
    if isinstance(messages.records, RecordColumns):
        records = messages.records.real_time_sorted()
    else:
        records = sorted(
            (r for r in messages.records if _is_real_time(r.get("timestamp"))),
            key=lambda record: record["timestamp"],
        )
    distinct_sessions = _without_repeats(messages.sessions)
    sessions = _sessions_with_start(distinct_sessions, records)
    if not records and not sessions:
        raise CorruptFile(f"{source_name}: {_why_nothing_usable(messages)}")
    warnings_for_all = list(messages.warnings)
    dropped = len(messages.records) - len(records)
    if dropped:
        warnings_for_all.append(f"{_count(dropped, 'record')} without a real time left out")
    repeated = len(messages.sessions) - len(distinct_sessions)
    if repeated:
        # a file chained to a copy of itself: importing the copy would count the load twice
        warnings_for_all.append(f"{_count(repeated, 'repeated session')} left out")
    untimed = len(distinct_sessions) - len(sessions)
    if untimed:
        warnings_for_all.append(f"{_count(untimed, 'session')} without a start time left out")
    if not sessions:
        # no summary from the device (WithGearChangeData.fit): everything comes from the records
        sessions = [(_session_from_other_messages(messages), records[0]["timestamp"])]
    file_offset_s = _file_utc_offset_s(messages.activity)
    device = _device_name(messages.file_id)
    complete_records = messages.failure is None or not messages.sessions
    activities = []
    for session, start, session_records in _records_per_session(sessions, records):
        activity = _activity_from_session(session, start, session_records)
        # a damaged file's records may cover only part of a session the device summarised
        # (Strava Android: 0.9 of 11 km); then what the session lacks is left unknown
        _fill_summary(activity, session, messages.events, records_complete=complete_records)
        activity.device = device
        activity.utc_offset_s = _utc_offset_s(activity, file_offset_s, records, default_timezone)
        activity.warnings = warnings_for_all + activity.warnings
        activities.append(activity)
    return activities


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def _is_real_time(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= FIRST_REAL_FIT_TIME


def _is_relative_time(value: Any) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value < FIRST_REAL_FIT_TIME
    )


def _to_utc(fit_time: float) -> datetime:
    return datetime.fromtimestamp(FIT_EPOCH_UNIX_S + fit_time, tz=UTC)


def _why_nothing_usable(messages: FitMessages) -> str:
    if messages.failure is not None:
        return "truncated or damaged before any record"
    if messages.records:
        return "no date or time in the file"
    return "no records and no session in the file"


def _with_real_times(messages: FitMessages, source_name: str) -> FitMessages:
    """Messages whose times are dates: device-relative times are anchored or refused.

    Some devices (Garmin FR70 ANT-FS dumps) count seconds from power-on. When the file's creation
    time is a real date we take it as the start, with a warning; otherwise there is no honest date
    to give the activity, and we refuse the file rather than invent one.
    """
    if isinstance(messages.records, RecordColumns):
        if messages.records.real_time_mask().any():
            return messages
        # rare (device-relative times): the dict path below, unchanged
        messages = replace(messages, records=messages.records.to_dicts())
    times = [r.get("timestamp") for r in messages.records]
    times += [s.get("start_time") for s in messages.sessions]
    if any(_is_real_time(t) for t in times):
        return messages
    relative = [t for t in times if _is_relative_time(t)]
    if not relative:
        return messages  # no times at all: _activities_from_messages says so
    time_created = messages.file_id.get("time_created")
    if not _is_real_time(time_created):
        raise CorruptFile(f"{source_name}: no real date in the file (device-relative timestamps)")
    shift = time_created - min(relative)

    def shifted(message: dict[str, Any]) -> dict[str, Any]:
        moved = {
            key: message[key] + shift
            for key in ("timestamp", "start_time")
            if _is_relative_time(message.get(key))
        }
        return {**message, **moved}

    return replace(
        messages,
        records=[shifted(r) for r in messages.records],
        sessions=[shifted(s) for s in messages.sessions],
        events=[shifted(e) for e in messages.events],
        activity=None,  # its local_timestamp cannot be compared with a guessed UTC time
        warnings=messages.warnings
        + [
            "the device wrote times counted from its own start, not dates; "
            "the start time is the file's creation time"
        ],
    )


def _without_repeats(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sessions in file order, each identical copy after the first left out."""
    distinct: list[dict[str, Any]] = []
    for session in sessions:
        if session not in distinct:
            distinct.append(session)
    return distinct


def _sessions_with_start(
    sessions: list[dict[str, Any]], records: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], int]]:
    """Sessions with their start [FIT s]; a lone session lacking one starts at its records."""
    timed = [(session, _session_start(session)) for session in sessions]
    if len(timed) == 1 and timed[0][1] is None and records:
        return [(sessions[0], records[0]["timestamp"])]
    return [(session, start) for session, start in timed if start is not None]


def _session_start(session: dict[str, Any]) -> int | None:
    """Start of a session [FIT s]: its start_time, else its end minus its elapsed time."""
    start = session.get("start_time")
    if _is_real_time(start):
        return start
    end, elapsed = session.get("timestamp"), _number(session.get("total_elapsed_time"))
    if _is_real_time(end) and elapsed is not None:
        return int(end - elapsed)
    return None


def _session_from_other_messages(messages: FitMessages) -> dict[str, Any]:
    """A stand-in session when the file has none: sport from a `sport` message, if any."""
    session: dict[str, Any] = {}
    if messages.sports:
        session["sport"] = messages.sports[0].get("sport")
        session["sub_sport"] = messages.sports[0].get("sub_sport")
    return session


def _records_per_session(
    sessions: list[tuple[dict[str, Any], int]], records: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], int, list[dict[str, Any]]]]:
    """Each session (in file order) and its start, with the records up to the next one's start.

    Records before the first start belong to the first session and records after the last
    session's end to the last: devices write session start and elapsed times that disagree with
    their own records (a fenix2 multisport session starting 45 min after its first record, a Zwift
    ride "elapsed" for half its records), and a record is never dropped for it.
    """
    times = _times(records)
    order = sorted(range(len(sessions)), key=lambda i: sessions[i][1])
    bounds: dict[int, tuple[int, int]] = {}
    for position, index in enumerate(order):
        first = 0 if position == 0 else bisect.bisect_left(times, sessions[index][1])
        if position + 1 < len(order):
            last = bisect.bisect_left(times, sessions[order[position + 1]][1])
        else:
            last = len(records)
        bounds[index] = (first, last)
    for index, (session, start) in enumerate(sessions):
        first, last = bounds[index]
        yield session, start, records[first:last]


def _activity_from_session(
    session: dict[str, Any], start: int, records: list[dict[str, Any]]
) -> Activity:
    sport = session.get("sport")
    sport = "generic" if sport is None else str(sport)
    sub_sport = session.get("sub_sport")
    sub_sport = None if sub_sport is None else str(sub_sport)
    running = sport == "running"
    samples = _sample_table(records, running=running)
    surface = RUNNING_SURFACE_BY_SUB_SPORT.get(sub_sport or "", "unknown") if running else "unknown"
    activity = Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_utc=_to_utc(start),
        table=samples,
        surface=surface,
        surface_source="file" if surface != "unknown" else None,
    )
    return activity


def _fill_summary(
    activity: Activity,
    session: dict[str, Any],
    events: list[dict[str, Any]],
    *,
    records_complete: bool,
) -> None:
    """Device summary values from the session; what the session lacks, from complete records."""
    samples = activity.table if records_complete else SampleTable.empty()
    elapsed = _number(session.get("total_elapsed_time"))
    timer = _number(session.get("total_timer_time"))
    # an elapsed time shorter than the timer is kept as written: the cleaning settles it
    activity.elapsed_s = _or_else(elapsed, lambda: _elapsed_s(samples))
    activity.timer_s = _or_else(timer, lambda: _timer_from_events(activity, events))
    activity.moving_s = _number(session.get("total_moving_time"))  # the device's, when written
    activity.distance_m = _or_else(
        _number(session.get("total_distance")), lambda: column_span(samples, "distance_m")
    )
    activity.ascent_m = _or_else(_number(session.get("total_ascent")), lambda: ascent_m(samples))
    activity.avg_heart_rate_bpm = _or_else(
        _number(session.get("avg_heart_rate")),
        lambda: column_mean(samples, "heart_rate_bpm"),
    )
    activity.max_heart_rate_bpm = _or_else(
        _number(session.get("max_heart_rate")),
        lambda: column_max(samples, "heart_rate_bpm"),
    )
    activity.avg_cadence_spm = _or_else(
        _session_cadence(session, running=activity.is_running), lambda: moving_cadence_mean(samples)
    )


def _or_else(device_value: float | None, from_records: Callable[[], float | None]) -> float | None:
    return device_value if device_value is not None else from_records()


def _elapsed_s(samples: SampleTable) -> float | None:
    """First to last sample [s]; a table may have times but no columns (Moxy's SmO2 records)."""
    return samples.span_s()


def _session_cadence(session: dict[str, Any], *, running: bool) -> float | None:
    """Average cadence; FIT running cadence is strides/min, so running doubles to steps/min."""
    whole = session.get("avg_running_cadence")
    if whole is None:
        whole = session.get("avg_cadence")
    whole = _number(whole)
    if whole is None:
        return None
    cadence = whole + (_number(session.get("avg_fractional_cadence")) or 0.0)
    return 2.0 * cadence if running else cadence


def _timer_from_events(activity: Activity, events: list[dict[str, Any]]) -> float | None:
    """Timer time [s] from timer start/stop events inside the activity; elapsed when none."""
    if activity.elapsed_s is None:
        return None
    start = activity.start_utc.timestamp() - FIT_EPOCH_UNIX_S
    end = start + activity.elapsed_s
    timer_events = sorted(
        (e for e in events if e.get("event") == "timer" and _is_real_time(e.get("timestamp"))),
        key=lambda e: e["timestamp"],
    )
    timer_events = [e for e in timer_events if start <= e["timestamp"] <= end]
    if not timer_events:
        return activity.elapsed_s
    total, running_since = 0.0, None
    for event in timer_events:
        if event.get("event_type") == "start" and running_since is None:
            running_since = event["timestamp"]
        elif event.get("event_type") in _TIMER_STOPS and running_since is not None:
            total += event["timestamp"] - running_since
            running_since = None
    if running_since is not None:
        total += end - running_since
    return total


def _number(value: Any) -> float | None:
    """A scalar FIT value as float; None for missing, text, arrays and flags."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _times(records: Sequence[dict[str, Any]]) -> Sequence[int]:
    """The records' timestamps [FIT s] (records with real times only)."""
    if isinstance(records, RecordColumns):
        return records.timestamps()
    return [record["timestamp"] for record in records]


def _column(records: Sequence[dict[str, Any]], names: tuple[str, ...]) -> np.ndarray:
    """Float column of the first present field among ``names`` per record (NaN where none is)."""
    if isinstance(records, RecordColumns):
        return records.numbers(names)
    values = []
    for record in records:
        value = None
        for name in names:
            value = record.get(name)
            if value is not None:
                break
        values.append(value if type(value) in (int, float) else None)
    return np.array(values, dtype=float)


def _sample_table(records: list[dict[str, Any]], *, running: bool) -> SampleTable:
    """The canonical samples of time-sorted records, one row per distinct time."""
    if not records:
        return SampleTable.empty()
    columns = {name: _column(records, fields) for name, fields in _RECORD_FIELDS.items()}
    cadence = _column(records, ("cadence",))
    fraction = np.nan_to_num(_column(records, ("fractional_cadence",)))
    columns["cadence_spm"] = (cadence + fraction) * (2.0 if running else 1.0)
    altitude = columns["altitude_m"]
    low, high = PLAUSIBLE_ALTITUDE_M
    altitude[(altitude < low) | (altitude > high)] = np.nan
    for name, field_name, limit in (
        ("lat_deg", "position_lat", 90),
        ("lon_deg", "position_long", 180),
    ):
        degrees = _column(records, (field_name,)) * DEGREES_PER_SEMICIRCLE
        degrees[np.abs(degrees) > limit] = np.nan
        columns[name] = degrees
    times = np.asarray(_times(records), dtype="int64")
    nanoseconds = (times + FIT_EPOCH_UNIX_S) * 1_000_000_000
    # columns no record fills are left out
    columns = {name: values for name, values in columns.items() if not np.isnan(values).all()}
    ascending = not (np.diff(nanoseconds) <= 0).any()  # the usual records: no time repeats
    if not ascending and len(np.unique(nanoseconds)) < len(nanoseconds):
        # some apps (Strava) split one moment over two records, position in one and distance in
        # the other: merge them, the later record winning where both carry a value
        return _one_row_per_time(nanoseconds, columns)
    return SampleTable(nanoseconds, columns)


def _one_row_per_time(nanoseconds: np.ndarray, columns: dict[str, np.ndarray]) -> SampleTable:
    """One row per distinct time, in time order: each column's last value (in record order)
    among the records of that time, NaN when none of them has one."""
    order = np.argsort(nanoseconds, kind="stable")
    times = nanoseconds[order]
    firsts = np.flatnonzero(np.concatenate(([True], times[1:] != times[:-1])))
    positions = np.arange(len(times))
    merged = {}
    for name, values in columns.items():
        values = values[order]
        # the last position holding a value in each group of equal times (-1: none)
        last = np.maximum.reduceat(np.where(np.isnan(values), -1, positions), firsts)
        merged[name] = np.where(last >= 0, values[np.maximum(last, 0)], np.nan)
    return SampleTable(times[firsts], merged)


def _file_utc_offset_s(activity_message: dict[str, Any] | None) -> int | None:
    """UTC offset [s] as activity.local_timestamp − activity.timestamp, when a clock can have it."""
    if not activity_message:
        return None
    local, utc = activity_message.get("local_timestamp"), activity_message.get("timestamp")
    if not (_is_real_time(local) and _is_real_time(utc)):
        return None
    offset = local - utc
    return offset if plausible_offset(offset) else None


def _utc_offset_s(
    activity: Activity,
    file_offset_s: int | None,
    records: list[dict[str, Any]],
    default_timezone: str | None,
) -> int | None:
    """Local UTC offset [s]: the file's own, else the first position's zone, else the default zone.

    A file offset of zero is what writers that copy UTC into local_timestamp produce (a COROS
    ride in Bogota says 0): when the first position's zone disagrees, the position wins.
    """
    if file_offset_s:
        return file_offset_s
    position = _first_position(activity, records)
    if position is not None:
        from_position = localtime.offset_at(*position, activity.start_utc, None)
        if from_position is not None:
            return from_position
    if file_offset_s is not None:
        return file_offset_s
    return localtime.offset_at(None, None, activity.start_utc, default_timezone)


def _first_position(
    activity: Activity, all_records: list[dict[str, Any]]
) -> tuple[float, float] | None:
    """First (latitude, longitude) [degree] of the activity, else of the file.

    A virtual ride's positions are in the game's world (Zwift's Watopia, "London"), not where the
    rider sits, so it has none.
    """
    if activity.sub_sport == "virtual_activity":
        return None
    position = activity.table.first_position()
    if position is not None:
        return position
    if isinstance(all_records, RecordColumns):
        semicircles = all_records.first_position()
        if semicircles is None:
            return None
        return semicircles[0] * DEGREES_PER_SEMICIRCLE, semicircles[1] * DEGREES_PER_SEMICIRCLE
    for record in all_records:
        lat, lon = _number(record.get("position_lat")), _number(record.get("position_long"))
        if lat is not None and lon is not None:
            return lat * DEGREES_PER_SEMICIRCLE, lon * DEGREES_PER_SEMICIRCLE
    return None


def _device_name(file_id: dict[str, Any]) -> str | None:
    """Device such as "garmin fenix5" from file_id maker and product; None when no maker."""
    manufacturer = file_id.get("manufacturer")
    if manufacturer in (None, 0):  # software-written files (GoldenCheetah) leave both at 0
        return None
    product = file_id.get("garmin_product")
    if product is None:
        product = file_id.get("product")
    return f"{manufacturer} {product}" if product is not None else str(manufacturer)
