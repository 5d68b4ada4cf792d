"""The fuzzing kit shared by tests/robustness/test_fuzz_*.py and benchmarks/fuzz_importers.py.

* Seeds: small files from data/samples and tests/fixtures (always there), and from
  the real device files (tests/realdata.py) when present; big ones are shortened (a FIT file to
  its first records, a GPX/TCX to its first points, a CSV to its first rows) so that one input
  costs milliseconds.
* Mutators: byte-level (bit flips, interesting bytes, truncation, chunks deleted, duplicated or
  inserted) and format-aware: FIT messages found by walking the record headers (truncation at
  every message boundary, swapped definitions, absurd field values, huge declared sizes,
  foreign endianness), XML (absurd numbers and times, elements cut, duplicated and nested deep,
  entities, encodings), CSV (absurd cells, delimiters, quotes, columns) and containers (gzip,
  one-entry zips with hostile entry names).
* Generators: FIT files written from scratch (``fit_file``) with plausible or absurd values, and
  GPX, TCX, CSV logs and Strava / Garmin activity lists from random values.
* The oracle (``check_input``): every input must end in a list of whole, clean activities, a
  ``SkippedFile`` or another ``StridewiseError`` whose one-line message names the file; never
  another exception, a hang (``time_limit_s``, enforced with SIGALRM) or a heap peak over
  ``memory_limit`` (tracemalloc). ``check_import`` does the same through ``import_paths`` for a
  file on disk (export archives) and checks the store afterwards.

Every generator and mutator takes a ``random.Random``: an input is reproducible from its seed.
"""

from __future__ import annotations

import gzip
import io
import math
import random
import re
import signal
import sqlite3
import struct
import threading
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from stridewise.errors import SkippedFile, StridewiseError
from stridewise.importers.dispatch import unpack
from stridewise.limits import (
    EARLIEST_START,
    FUTURE_TOLERANCE_S,
    HEART_RATE_RANGE_BPM,
    MAX_DURATION_S,
    speed_limit_mps,
)
from stridewise.model import SAMPLE_COLUMNS, Activity, check_samples
from stridewise.pipeline import read_raw
from stridewise.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"
FIXTURES = REPO / "tests" / "fixtures"

#: Formats fuzzed, by the suffix the input is named with.
FORMATS = ("fit", "gpx", "tcx", "csv")

#: Biggest seed taken as it is; a bigger one is shortened first [bytes]. fitparse decodes about
#: 4,000 messages a second, so a FIT seed of a few hundred messages keeps an input near 30 ms.
SEED_BYTES = 16 * 1024

FIT_EPOCH_UNIX_S = 631065600


# --- the oracle ----------------------------------------------------------------------------------


class InputTimedOut(BaseException):
    """Raised by the alarm inside a reader: a BaseException, so no ``except Exception`` in a
    reader can swallow it."""


@dataclass
class Outcome:
    """How an input ended: "activities", "skipped" or "error" (a StridewiseError)."""

    kind: str
    detail: str = ""
    activities: int = 0
    peak_bytes: int = 0


@dataclass
class Finding:
    """An input that broke a rule: what happened, and the input to reproduce it."""

    name: str
    data: bytes
    problem: str

    def __str__(self) -> str:
        return f"{self.name} ({len(self.data)} bytes): {self.problem}"


class FuzzFailure(AssertionError):
    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def memory_limit(size: int) -> int:
    """Heap peak allowed while reading an input of ``size`` bytes [bytes]: a fixed allowance for
    the frames an activity needs plus a multiple of the input."""
    return 96 * 2**20 + 64 * size


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``InputTimedOut`` in this (main) thread after ``seconds``; a no-op elsewhere."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise InputTimedOut(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def traced_peak(enabled: bool) -> Iterator[list[int]]:
    """Yields a one-item list that holds the tracemalloc peak [bytes] afterwards (0 if off)."""
    box = [0]
    if not enabled:
        yield box
        return
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        yield box
    finally:
        box[0] = max(0, tracemalloc.get_traced_memory()[1] - base)
        if started:
            tracemalloc.stop()


def check_input(
    data: bytes,
    name: str,
    *,
    time_limit_s: float = 10.0,
    trace_memory: bool = True,
    store: Store | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Read ``data`` named ``name`` the way an import does and check the outcome.

    Raises ``FuzzFailure`` when the input ended any other way than whole clean activities,
    ``SkippedFile`` or a one-line ``StridewiseError`` naming the file. With ``store``, the
    activities are saved there too (they must be storable).
    """
    now = now or datetime.now(UTC)
    try:
        with traced_peak(trace_memory) as peak, time_limit(time_limit_s):
            activities = read_raw(unpack(data, name))
    except InputTimedOut as exc:
        raise FuzzFailure(Finding(name, data, f"hang: {exc}")) from None
    except SkippedFile as exc:
        outcome = Outcome("skipped", str(exc))
    except StridewiseError as exc:
        outcome = Outcome("error", str(exc))
    except MemoryError:
        raise FuzzFailure(Finding(name, data, "MemoryError")) from None
    except Exception as exc:  # the bug this kit looks for
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        raise FuzzFailure(
            Finding(
                name,
                data,
                f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})",
            )
        ) from exc
    else:
        outcome = Outcome("activities", activities=len(activities))
        problem = activity_problems(activities, name, now)
        if problem:
            raise FuzzFailure(Finding(name, data, problem))
        if store is not None:
            _store_and_check(store, activities, name, data)
    outcome.peak_bytes = peak[0]
    if outcome.kind != "activities":
        problem = message_problem(outcome.detail, name)
        if problem:
            raise FuzzFailure(Finding(name, data, problem))
    if trace_memory and peak[0] > memory_limit(len(data)):
        raise FuzzFailure(Finding(name, data, f"heap peak {peak[0] / 2**20:.0f} MB over the bound"))
    return outcome


def message_problem(message: str, name: str) -> str | None:
    """What is wrong with an error message a runner would read (None when it is fine)."""
    if "\n" in message:
        return f"message on more than one line: {message!r}"
    if Path(name).name not in message:
        return f"message does not name the file: {message!r}"
    if not message.strip() or message.strip() == f"{name}:":
        return f"empty message: {message!r}"
    return None


_SUMMARY_NUMBERS = (
    "elapsed_s",
    "timer_s",
    "distance_m",
    "ascent_m",
    "avg_heart_rate_bpm",
    "max_heart_rate_bpm",
    "avg_cadence_spm",
    "rpe",
    "utc_offset_s",
)


def activity_problems(activities: list[Activity], name: str, now: datetime) -> str | None:
    """Why a reader's activities are not whole and clean (None when they are)."""
    if not activities:
        return "an empty list of activities (a SkippedFile was due)"
    low_hr, high_hr = HEART_RATE_RANGE_BPM
    latest = now + timedelta(seconds=FUTURE_TOLERANCE_S)
    for activity in activities:
        if not isinstance(activity, Activity):
            return f"not an Activity: {type(activity).__name__}"
        try:
            check_samples(activity.samples)
        except ValueError as exc:
            return f"samples out of shape: {exc}"
        if not EARLIEST_START <= activity.start_utc <= latest:
            return f"start {activity.start_utc} outside 1990..now+1 day"
        for attribute in _SUMMARY_NUMBERS:
            value = getattr(activity, attribute)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"{attribute} is a {type(value).__name__}, not a number"
            if not math.isfinite(value):
                return f"{attribute} is {value}"
        for attribute in ("elapsed_s", "timer_s"):
            value = getattr(activity, attribute)
            if value is not None and not 0 <= value <= MAX_DURATION_S:
                return f"{attribute} {value} outside 0..48 h"
        if activity.distance_m is not None and activity.distance_m < 0:
            return f"negative distance {activity.distance_m}"
        for attribute in ("avg_heart_rate_bpm", "max_heart_rate_bpm"):
            value = getattr(activity, attribute)
            if value is not None and not low_hr <= value <= high_hr:
                return f"{attribute} {value} outside 25-250"
        samples = activity.samples
        if len(samples):
            if samples.index[0] < EARLIEST_START or samples.index[-1] > latest:
                return "sample times outside 1990..now+1 day"
            for column in samples.columns:
                if column not in SAMPLE_COLUMNS:
                    return f"unknown column {column}"
                values = samples[column].to_numpy(dtype=float)
                if np.isinf(values).any():
                    return f"infinite values in {column}"
            if "heart_rate_bpm" in samples:
                hr = samples["heart_rate_bpm"].dropna()
                if ((hr < low_hr) | (hr > high_hr)).any():
                    return "heart-rate samples outside 25-250"
            if "speed_mps" in samples:
                speed = samples["speed_mps"].dropna()
                if ((speed < 0) | (speed > speed_limit_mps(activity.sport))).any():
                    return "speed samples beyond the sport's limit"
            if "distance_m" in samples and (samples["distance_m"].dropna() < 0).any():
                return "negative distance samples"
        for warning in activity.warnings:
            if not isinstance(warning, str) or "\n" in warning:
                return f"bad warning {warning!r}"
    return None


def _store_and_check(store: Store, activities: list[Activity], name: str, data: bytes) -> None:
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    try:
        ids = store.save_file("fuzz", name, sha, activities)
        if not ids:  # the same bytes came before: stored once
            return
        for activity_id, activity in zip(ids, activities, strict=True):
            stored = store.load_samples(activity_id)
            if len(stored) != len(activity.samples):
                raise FuzzFailure(Finding(name, data, "samples changed length in the store"))
    except FuzzFailure:
        raise
    except (StridewiseError, sqlite3.Error, ValueError, TypeError, OverflowError) as exc:
        raise FuzzFailure(
            Finding(name, data, f"cannot be stored: {type(exc).__name__}: {exc}")
        ) from exc


def check_import(path: Path, store: Store, *, time_limit_s: float = 30.0) -> Outcome:
    """Import a file on disk (an export archive, say) with ``import_paths`` and check that it
    raised nothing, reported each failure with a one-line message naming the file, and left
    the store consistent (no orphan samples, no file stored twice)."""
    from stridewise.pipeline import import_paths

    data = path.read_bytes()
    try:
        with time_limit(time_limit_s):
            report = import_paths(store, [path], jobs=1)
    except InputTimedOut as exc:
        raise FuzzFailure(Finding(path.name, data, f"hang: {exc}")) from None
    except Exception as exc:
        raise FuzzFailure(
            Finding(path.name, data, f"import_paths raised {type(exc).__name__}: {exc}")
        ) from exc
    problem = store_problems(store.conn) or stored_value_problems(store.conn)
    if problem:
        raise FuzzFailure(Finding(path.name, data, problem))
    for failure in report.failed:
        problem = message_problem(failure["error"], path.name)
        if problem:
            raise FuzzFailure(Finding(path.name, data, problem))
    kind = "error" if report.failed else "activities" if report.imported else "skipped"
    return Outcome(kind, "; ".join(f["error"] for f in report.failed), report.imported)


def stored_value_problems(conn: sqlite3.Connection, now: datetime | None = None) -> str | None:
    """Which stored summary value makes no physical sense (None when none does): everything
    stored must have passed the pipeline's cleaning (``stridewise.pipeline.cleaning``), summaries
    from exports included."""
    latest = (now or datetime.now(UTC)) + timedelta(seconds=FUTURE_TOLERANCE_S)
    low, high = HEART_RATE_RANGE_BPM
    checks = {
        "start before 1990 or in the future": "start_utc < ? OR start_utc > ?",
        "duration over 48 h or negative": (
            f"elapsed_s > {MAX_DURATION_S} OR timer_s > {MAX_DURATION_S} "
            "OR elapsed_s < 0 OR timer_s < 0"
        ),
        "negative distance": "distance_m < 0",
        "heart rate outside 25-250": (
            f"avg_heart_rate_bpm NOT BETWEEN {low} AND {high} "
            f"OR max_heart_rate_bpm NOT BETWEEN {low} AND {high}"
        ),
    }
    for what, condition in checks.items():
        params = (
            (EARLIEST_START.strftime("%Y-%m-%dT%H:%M:%S"), latest.strftime("%Y-%m-%dT%H:%M:%S"))
            if "?" in condition
            else ()
        )
        row = conn.execute(
            f"SELECT source_name, source_format FROM activities WHERE {condition} LIMIT 1", params
        ).fetchone()
        if row:
            return f"stored with {what}: {row[1]} activity from {row[0]}"
    return None


def store_problems(conn: sqlite3.Connection) -> str | None:
    """Why a store is inconsistent (None when it is not)."""
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        return "integrity_check failed"
    orphans = conn.execute(
        "SELECT count(*) FROM samples WHERE activity_id NOT IN (SELECT id FROM activities)"
    ).fetchone()[0]
    if orphans:
        return f"{orphans} orphan sample columns"
    twice = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM activities GROUP BY athlete, source_sha256, "
        "source_index HAVING count(*) > 1)"
    ).fetchone()[0]
    if twice:
        return "a file's activity stored twice"
    broken = conn.execute(
        "SELECT count(*) FROM (SELECT a.id FROM activities a LEFT JOIN samples s "
        "ON s.activity_id = a.id GROUP BY a.id HAVING (a.n_samples > 0) != (count(s.name) > 0))"
    ).fetchone()[0]
    if broken:
        return f"{broken} activities whose samples are missing"
    return None


# --- FIT structure ------------------------------------------------------------------------------

_CRC_TABLE = (
    0x0000,
    0xCC01,
    0xD801,
    0x1400,
    0xF001,
    0x3C00,
    0x2800,
    0xE401,
    0xA001,
    0x6C00,
    0x7800,
    0xB401,
    0x5000,
    0x9C01,
    0x8801,
    0x4400,
)


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16 of ``data`` (FIT SDK, "FIT file CRC")."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


@dataclass
class FitField:
    number: int
    size: int
    base_type: int
    offset: int  # from the start of the data message (after its header byte)


@dataclass
class FitMessage:
    """One message of a FIT file, as found by walking the record headers."""

    offset: int
    length: int
    definition: bool
    local_type: int
    global_number: int
    fields: list[FitField] = field(default_factory=list)
    big_endian: bool = False


@dataclass
class FitLayout:
    header_size: int
    data_end: int  # offset of the file CRC (header size + declared data size)
    messages: list[FitMessage]

    def boundaries(self) -> list[int]:
        """Every offset where a message starts, plus the end of the last one."""
        points = [self.header_size] + [m.offset + m.length for m in self.messages]
        return sorted(set(points))


def walk_fit(data: bytes) -> FitLayout:
    """The messages of the first FIT file in ``data``, by their record headers; stops quietly at
    the first thing that does not add up (mutators walk inputs that earlier mutators damaged)."""
    try:
        return _walk_fit(data)
    except (IndexError, struct.error):
        return FitLayout(min(len(data), 14), len(data), [])


def _walk_fit(data: bytes) -> FitLayout:
    if len(data) < 12:
        return FitLayout(len(data), len(data), [])
    header_size = data[0]
    data_end = min(header_size + struct.unpack_from("<I", data, 4)[0], len(data))
    definitions: dict[int, FitMessage] = {}
    messages: list[FitMessage] = []
    position = header_size
    while position < data_end:
        header = data[position]
        if header & 0x80:  # compressed timestamp header: a data message
            local = (header >> 5) & 0x3
            definition = definitions.get(local)
            if definition is None:
                break
            length = 1 + sum(f.size for f in definition.fields)
            messages.append(FitMessage(position, length, False, local, definition.global_number))
        elif header & 0x40:
            if position + 6 > data_end:
                break
            big_endian = data[position + 2] == 1
            number = struct.unpack_from(">H" if big_endian else "<H", data, position + 3)[0]
            count = data[position + 5]
            fields, offset = [], 0
            for index in range(count):
                start = position + 6 + 3 * index
                if start + 3 > data_end:
                    break
                field_number, size, base_type = data[start : start + 3]
                fields.append(FitField(field_number, size, base_type, offset))
                offset += size
            length = 6 + 3 * count
            if header & 0x20:  # developer fields
                if position + length >= data_end:
                    break
                developer_count = data[position + length]
                for index in range(developer_count):
                    start = position + length + 1 + 3 * index
                    if start + 3 > data_end:
                        break
                    size = data[start + 1]
                    fields.append(FitField(-1, size, 0x0D, offset))
                    offset += size
                length += 1 + 3 * developer_count
            message = FitMessage(position, length, True, header & 0x0F, number, fields, big_endian)
            definitions[header & 0x0F] = message
            messages.append(message)
        else:
            local = header & 0x0F
            definition = definitions.get(local)
            if definition is None:
                break
            length = 1 + sum(f.size for f in definition.fields)
            messages.append(
                FitMessage(
                    position,
                    length,
                    False,
                    local,
                    definition.global_number,
                    definition.fields,
                    definition.big_endian,
                )
            )
        position += length
    if position > data_end and messages:  # the last message ran past the declared end
        messages.pop()
    return FitLayout(header_size, data_end, messages)


def fit_with_messages(data: bytes, layout: FitLayout, keep: list[FitMessage]) -> bytes:
    """A valid FIT file (header and both CRCs right) holding only the messages ``keep``."""
    body = b"".join(data[m.offset : m.offset + m.length] for m in keep)
    header = bytearray(data[: layout.header_size])
    struct.pack_into("<I", header, 4, len(body))
    if layout.header_size >= 14:
        struct.pack_into("<H", header, 12, fit_crc(bytes(header[:12])))
    file_bytes = bytes(header) + body
    return file_bytes + struct.pack("<H", fit_crc(file_bytes))


def shorten_fit(data: bytes, records: int) -> bytes:
    """The file with only its first ``records`` record messages (every other message kept)."""
    layout = walk_fit(data)
    keep, seen = [], 0
    for message in layout.messages:
        if not message.definition and message.global_number == 20:
            seen += 1
            if seen > records:
                continue
        keep.append(message)
    return fit_with_messages(data, layout, keep)


# --- FIT generation -----------------------------------------------------------------------------

#: FIT base types used here: code -> struct format.
_BASE = {0x00: "B", 0x02: "B", 0x84: "H", 0x85: "i", 0x86: "I", 0x8C: "I", 0x83: "h"}
_INVALID = {0x00: 0xFF, 0x02: 0xFF, 0x84: 0xFFFF, 0x85: 0x7FFFFFFF, 0x86: 0xFFFFFFFF, 0x83: 0x7FFF}
_FIELD_TYPES = {
    # message -> field number -> (base type, name)
    0: {0: 0x00, 1: 0x84, 2: 0x84, 3: 0x8C, 4: 0x86},  # file_id
    20: {253: 0x86, 0: 0x85, 1: 0x85, 2: 0x84, 3: 0x02, 4: 0x02, 5: 0x86, 6: 0x84, 7: 0x84},
    18: {253: 0x86, 2: 0x86, 5: 0x00, 6: 0x00, 7: 0x86, 8: 0x86, 9: 0x86, 16: 0x02, 17: 0x02},
    21: {253: 0x86, 0: 0x00, 1: 0x00},  # event
    34: {253: 0x86, 0: 0x86, 1: 0x84, 5: 0x86},  # activity (local_timestamp = 5)
}


def _fit_time(moment: datetime) -> int:
    return int(moment.timestamp()) - FIT_EPOCH_UNIX_S


def _pack(base_type: int, value: int) -> bytes:
    fmt = "<" + _BASE[base_type]
    try:
        return struct.pack(fmt, value)
    except struct.error:
        return struct.pack(fmt, _INVALID[base_type])


def fit_file(rng: random.Random, *, absurd: float = 0.1) -> bytes:
    """A FIT activity file written from scratch: file_id, records, maybe events, a session and
    an activity message; each value absurd (out of range, invalid, extreme) with probability
    ``absurd``. CRCs are right, so only the values are hostile."""
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(300 * 86400))
    if rng.random() < absurd:
        start = rng.choice(
            [
                datetime(1989, 12, 31, tzinfo=UTC),
                datetime(2100, 1, 1, tzinfo=UTC),
                datetime(1995, 6, 1, tzinfo=UTC),
                datetime.now(UTC) + timedelta(days=3),
            ]
        )
    count = rng.choice([0, 1, 2, 5, 30, 120])
    sport = rng.choice([1, 1, 1, 2, 11, 0, 17, 254])  # running, cycling, walking, generic, ...
    step_s = rng.choice([1, 1, 1, 2, 5, 0])
    lat0 = rng.uniform(-60, 60)
    lon0 = rng.uniform(-180, 180)
    speed = rng.uniform(0, 6)

    def value(base_type: int, plausible: int) -> int:
        if rng.random() >= absurd:
            return plausible
        return rng.choice([_INVALID[base_type], 0, 1, 2**31 - 1, 2**32 - 1, 2**15, 255, -(2**31)])

    out = bytearray()

    def define(local: int, number: int, numbers: list[int]) -> None:
        out.extend(bytes([0x40 | local, 0, 0]) + struct.pack("<H", number))
        out.append(len(numbers))
        for field_number in numbers:
            base_type = _FIELD_TYPES[number][field_number]
            out.extend(bytes([field_number, struct.calcsize(_BASE[base_type]), base_type]))

    def write(local: int, number: int, values: dict[int, int]) -> None:
        out.append(local)
        for field_number, field_value in values.items():
            out.extend(_pack(_FIELD_TYPES[number][field_number], field_value))

    file_type = 4 if rng.random() > absurd else rng.choice([4, 2, 32, 5, 0xFF])
    define(0, 0, [0, 1, 2, 3, 4])
    write(0, 0, {0: file_type, 1: 1, 2: 2697, 3: 12345, 4: value(0x86, _fit_time(start))})
    record_fields = [253, 0, 1, 2, 3, 4, 5, 6]
    define(1, 20, record_fields)
    distance = 0.0
    for index in range(count):
        moment = _fit_time(start) + index * step_s
        distance += speed * max(step_s, 1)
        lat = lat0 + index * 1e-5
        write(
            1,
            20,
            {
                253: value(0x86, moment),
                0: value(0x85, round(lat * 2**31 / 180)),
                1: value(0x85, round(lon0 * 2**31 / 180)),
                2: value(0x84, round((100 + 500) * 5)),
                3: value(0x02, rng.randrange(60, 190)),
                4: value(0x02, rng.randrange(70, 95)),
                5: value(0x86, round(distance * 100)),
                6: value(0x84, round(speed * 1000)),
            },
        )
    if rng.random() < 0.5:
        define(2, 21, [253, 0, 1])
        write(2, 21, {253: value(0x86, _fit_time(start)), 0: 0, 1: 0})
        write(2, 21, {253: value(0x86, _fit_time(start) + count * step_s), 0: 0, 1: 4})
    if rng.random() < 0.8:
        define(3, 18, [253, 2, 5, 6, 7, 8, 9, 16, 17])
        elapsed = count * max(step_s, 1)
        write(
            3,
            18,
            {
                253: value(0x86, _fit_time(start) + elapsed),
                2: value(0x86, _fit_time(start)),
                5: sport,
                6: value(0x00, rng.choice([0, 1, 2, 3, 4, 58])),
                7: value(0x86, elapsed * 1000),
                8: value(0x86, elapsed * 1000),
                9: value(0x86, round(distance * 100)),
                16: value(0x02, 140),
                17: value(0x02, 180),
            },
        )
    if rng.random() < 0.7:
        define(4, 34, [253, 0, 1, 5])
        offset = rng.choice([0, 3600, -18000, 7200, 12345])
        end = _fit_time(start) + count * max(step_s, 1)
        write(4, 34, {253: value(0x86, end), 0: 0, 1: 1, 5: value(0x86, end + offset)})
    header = bytearray(struct.pack("<BBHI4s", 14, 0x20, 2147, len(out), b".FIT") + b"\0\0")
    struct.pack_into("<H", header, 12, fit_crc(bytes(header[:12])))
    body = bytes(header) + bytes(out)
    return body + struct.pack("<H", fit_crc(body))


# --- byte-level mutators -------------------------------------------------------------------------

_INTERESTING_BYTES = (0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, 0x40, 0x20)


def flip_bits(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 8, 32])):
        position = rng.randrange(len(out))
        out[position] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.choice([1, 2, 4])):
        position = rng.randrange(len(out))
        width = rng.choice([1, 2, 4])
        out[position : position + width] = bytes([rng.choice(_INTERESTING_BYTES)] * width)
    return bytes(out[: len(data)])


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] if data else data


def delete_chunk(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, min(256, len(data) - start) + 1) :]


def duplicate_chunk(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randrange(1, 512)]
    at = rng.randrange(len(data) + 1)
    return data[:at] + chunk * rng.choice([1, 2, 16]) + data[at:]


def insert_random(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.choice([1, 4, 64, 1024])) + data[at:]


BYTE_MUTATORS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    flip_bits,
    set_bytes,
    truncate,
    delete_chunk,
    duplicate_chunk,
    insert_random,
)


# --- FIT-aware mutators --------------------------------------------------------------------------


def fit_truncate_at_boundary(rng: random.Random, data: bytes) -> bytes:
    cuts = walk_fit(data).boundaries()
    return data[: rng.choice(cuts) + rng.choice([0, 0, 0, 1, -1, 2])]


def fit_swap_definitions(rng: random.Random, data: bytes) -> bytes:
    """Two definitions trade their global message numbers: records read as sessions, etc."""
    definitions = [m for m in walk_fit(data).messages if m.definition]
    if len(definitions) < 2:
        return data
    first, second = rng.sample(definitions, 2)
    out = bytearray(data)
    a, b = first.offset + 3, second.offset + 3
    out[a : a + 2], out[b : b + 2] = data[b : b + 2], data[a : a + 2]
    return bytes(out)


def fit_absurd_field(rng: random.Random, data: bytes) -> bytes:
    """Some fields of data messages take absurd values (max, min, invalid, zero, random)."""
    messages = [m for m in walk_fit(data).messages if not m.definition and m.fields]
    if not messages:
        return data
    out = bytearray(data)
    for message in rng.sample(messages, min(len(messages), rng.choice([1, 3, 20]))):
        chosen = rng.choice(message.fields)
        if rng.random() < 0.5:  # a number field that matters more
            chosen = next(
                (f for f in message.fields if f.number in (253, 2, 3, 5, 6, 7, 8, 9)), chosen
            )
        start = message.offset + 1 + chosen.offset
        pattern = rng.choice([b"\xff", b"\x7f", b"\x80", b"\x00", b"\x01", None])
        size = chosen.size
        value = rng.randbytes(size) if pattern is None else pattern + b"\xff" * (size - 1)
        if pattern == b"\x7f" and size > 1:  # little-endian maximum signed value
            value = b"\xff" * (size - 1) + b"\x7f"
        out[start : start + size] = value[:size]
    return bytes(out[: len(data)])


def fit_huge_sizes(rng: random.Random, data: bytes) -> bytes:
    """Declared sizes that lie: the header's data size, a field's size, a field count."""
    layout = walk_fit(data)
    out = bytearray(data)
    choice = rng.randrange(5)
    definitions = [m for m in layout.messages if m.definition]
    if choice == 0 and len(out) >= 8:
        struct.pack_into("<I", out, 4, rng.choice([0xFFFFFFFF, 0x7FFFFFFF, 0, 1, len(data) * 3]))
    elif choice == 1 and definitions:
        message = rng.choice(definitions)
        if message.fields:
            index = rng.randrange(len(message.fields))
            out[message.offset + 6 + 3 * index + 1] = rng.choice([0, 3, 255, 7, 128])
    elif choice == 2 and definitions:
        out[rng.choice(definitions).offset + 5] = rng.choice([0, 255, 64])
    elif choice == 3 and definitions:
        out[rng.choice(definitions).offset] |= 0x20  # claims developer fields it does not have
    elif len(out) > 0:
        out[0] = rng.choice([0, 1, 12, 13, 15, 64, 255])  # header size
    return bytes(out)


def fit_foreign_endianness(rng: random.Random, data: bytes) -> bytes:
    definitions = [m for m in walk_fit(data).messages if m.definition]
    if not definitions:
        return data
    out = bytearray(data)
    for message in rng.sample(definitions, min(len(definitions), rng.choice([1, 3]))):
        out[message.offset + 2] ^= 1
    return bytes(out)


def fit_reorder_messages(rng: random.Random, data: bytes) -> bytes:
    """Messages deleted, duplicated or moved (a data message before its definition, say)."""
    layout = walk_fit(data)
    messages = list(layout.messages)
    if len(messages) < 2:
        return data
    action = rng.randrange(3)
    index = rng.randrange(len(messages))
    if action == 0:
        del messages[index]
    elif action == 1:
        messages.insert(rng.randrange(len(messages)), messages[index])
    else:
        moved = messages.pop(index)
        messages.insert(rng.randrange(len(messages) + 1), moved)
    return fit_with_messages(data, layout, messages)


def fit_bad_local_type(rng: random.Random, data: bytes) -> bytes:
    messages = [m for m in walk_fit(data).messages if not m.definition]
    if not messages:
        return data
    out = bytearray(data)
    message = rng.choice(messages)
    out[message.offset] = (out[message.offset] & 0xF0) | rng.randrange(16)
    return bytes(out)


def fit_chain(rng: random.Random, data: bytes) -> bytes:
    """Two FIT files chained (as devices do), the second maybe cut or damaged."""
    second = data if rng.random() < 0.5 else flip_bits(rng, data)
    return data + second[: rng.randrange(len(second) + 1)]


FIT_MUTATORS = (
    fit_truncate_at_boundary,
    fit_swap_definitions,
    fit_absurd_field,
    fit_huge_sizes,
    fit_foreign_endianness,
    fit_reorder_messages,
    fit_bad_local_type,
    fit_chain,
)


# --- XML-aware mutators --------------------------------------------------------------------------

_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
_ABSURD_NUMBERS = (
    b"1e308",
    b"-1e308",
    b"NaN",
    b"inf",
    b"-inf",
    b"-0",
    b"99999999999999999999999",
    b"-400",
    b"1e-320",
    b"",
    b"0",
    b"255",
    b"-1",
    b"1,5",
    b"0x10",
    b"\xef\xbc\x91",  # a full-width digit one
)
_ABSURD_TIMES = (
    b"0001-01-01T00:00:00Z",
    b"9999-12-31T23:59:59Z",
    b"2020-13-45T99:99:99Z",
    b"1901-12-13T20:45:52Z",
    b"1989-12-31T00:00:00Z",
    b"2099-01-01T00:00:00+14:00",
    b"2026-03-29T02:30:00-23:59",
    b"2026-01-01T00:00:00",
    b"yesterday",
    b"",
    b"2026-01-01T00:00:00.999999999999Z",
)


def _replace_matches(
    rng: random.Random, data: bytes, pattern: re.Pattern[bytes], choices: tuple[bytes, ...]
) -> bytes:
    matches = list(pattern.finditer(data[: 256 * 1024]))
    if not matches:
        return data
    out, last = [], 0
    chosen = sorted(
        rng.sample(matches, min(len(matches), rng.choice([1, 2, 10, 100]))), key=lambda m: m.start()
    )
    for match in chosen:
        out += [data[last : match.start()], rng.choice(choices)]
        last = match.end()
    out.append(data[last:])
    return b"".join(out)


def xml_absurd_numbers(rng: random.Random, data: bytes) -> bytes:
    return _replace_matches(rng, data, _NUMBER, _ABSURD_NUMBERS)


def xml_absurd_times(rng: random.Random, data: bytes) -> bytes:
    return _replace_matches(rng, data, _TIME, _ABSURD_TIMES)


def xml_shuffle_times(rng: random.Random, data: bytes) -> bytes:
    """Times moved between points: out of order, repeated, going backwards."""
    matches = list(_TIME.finditer(data))
    if len(matches) < 2:
        return data
    texts = [m.group() for m in matches]
    rng.shuffle(texts)
    out, last = [], 0
    for match, text in zip(matches, texts, strict=True):
        out += [data[last : match.start()], text]
        last = match.end()
    out.append(data[last:])
    return b"".join(out)


_ELEMENT = re.compile(rb"<([A-Za-z_][\w:.-]*)[^<>]*>")


def xml_element_surgery(rng: random.Random, data: bytes) -> bytes:
    """An element deleted, duplicated many times, or its start tag cut loose."""
    starts = list(_ELEMENT.finditer(data[: 256 * 1024]))
    if not starts:
        return data
    start = rng.choice(starts)
    end_tag = b"</" + start.group(1) + b">"
    end = data.find(end_tag, start.end())
    if end < 0:
        return data[: start.start()] + data[start.end() :]
    end += len(end_tag)
    element = data[start.start() : end]
    action = rng.randrange(3)
    if action == 0:
        return data[: start.start()] + data[end:]
    if action == 1:
        return data[:end] + element * rng.choice([2, 10, 200]) + data[end:]
    return data[: start.start()] + data[start.end() :]  # an end tag without its start


def xml_truncate_at_tag(rng: random.Random, data: bytes) -> bytes:
    cuts = [m.start() for m in re.finditer(rb"<", data[: 256 * 1024])]
    return data[: rng.choice(cuts)] if cuts else data


def xml_hostile_text(rng: random.Random, data: bytes) -> bytes:
    """Inserts what XML parsers and readers trip on: control characters, character references
    out of range, CDATA, comments, huge text, deep nesting, a DOCTYPE with an entity."""
    payload = rng.choice(
        [
            b"\x00",
            b"\x1b[31m",
            b"&#0;",
            b"&#x110000;",
            b"&amp;&lt;",
            b"<![CDATA[ <trkpt> ]]>",
            b"<!-- -- -->",
            b"<?pi x?>",
            b"\xff\xfe",
            b"\xc3\x28",
            b"a" * 100_000,
            b"<e>" * 2000 + b"</e>" * 2000,
            b"<!DOCTYPE gpx [<!ENTITY a 'b'>]>",
            b"&a;",
            b'<ns:x xmlns:ns="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            b"<ns:hr>1e999</ns:hr></ns:x>",
        ]
    )
    at = rng.randrange(len(data) + 1)
    return data[:at] + payload + data[at:]


def xml_encoding(rng: random.Random, data: bytes) -> bytes:
    """The declared encoding changed, or the text re-encoded, or a byte-order mark added."""
    action = rng.randrange(4)
    if action == 0:
        return re.sub(
            rb'encoding="[^"]*"',
            b'encoding="' + rng.choice([b"utf-16", b"latin-1", b"bogus", b"ascii", b""]) + b'"',
            data,
            count=1,
        )
    if action == 1:
        try:
            return data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-be", "utf-32"]))
        except UnicodeError:
            return data
    if action == 2:
        return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"  \n\t"]) + data
    return data.replace(b'"', b"'", rng.randrange(1, 20))


XML_MUTATORS = (
    xml_absurd_numbers,
    xml_absurd_numbers,
    xml_absurd_times,
    xml_shuffle_times,
    xml_element_surgery,
    xml_truncate_at_tag,
    xml_hostile_text,
    xml_encoding,
)


# --- CSV-aware mutators --------------------------------------------------------------------------

_ABSURD_CELLS = (
    b"",
    b"-5",
    b"-5 km",
    b"1e308",
    b"1e308 km",
    b"NaN",
    b"inf",
    b"99999 mi",
    b"0",
    b"0:00:00",
    b"25:61:99",
    b"999:59:59",
    b"-1:00:00",
    b"0000-00-00",
    b"31.02.2026",
    b"1850-01-01",
    b"2999-12-31",
    b"13/13/2026",
    b"--",
    b'"',
    b'"a""b',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"x" * 70_000,
    b"300",
    b"-20",
    b"10,5",
    b"1,500",
    b"1.500,5",
    b"\xe2\x80\x8b10 km",
    b"10\xc2\xa0km",
    b"1h05",
    b"45 min",
    b"Run",
    b"rest",
)


def csv_absurd_cells(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    delimiter = max(b",;\t|", key=lambda d: lines[0].count(bytes([d])))
    delimiter_bytes = bytes([delimiter])
    for _ in range(rng.choice([1, 2, 5, 20])):
        row = rng.randrange(len(lines))
        cells = lines[row].split(delimiter_bytes)
        cells[rng.randrange(len(cells))] = rng.choice(_ABSURD_CELLS)
        lines[row] = delimiter_bytes.join(cells)
    return b"\n".join(lines)


def csv_structure(rng: random.Random, data: bytes) -> bytes:
    """Rows and columns broken: header gone or repeated, columns added, delimiters changed,
    quotes left open, line endings mixed, a BOM, a huge row."""
    lines = data.split(b"\n")
    action = rng.randrange(9)
    if action == 0 and len(lines) > 1:
        del lines[0]
    elif action == 1:
        lines.insert(rng.randrange(len(lines) + 1), lines[0])
    elif action == 2:
        row = rng.randrange(len(lines))
        lines[row] += b"," * rng.choice([1, 10, 5000])
    elif action == 3:
        old, new = rng.choice([(b",", b";"), (b";", b","), (b",", b"\t"), (b".", b",")])
        return data.replace(old, new)
    elif action == 4:
        row = rng.randrange(len(lines))
        lines[row] = b'"' + lines[row]
    elif action == 5:
        return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"]))
    elif action == 6:
        return b"\xef\xbb\xbf" + data
    elif action == 7:
        lines.append(b",".join([b"x"] * rng.choice([100, 1500, 20000])))
    else:
        row = rng.randrange(len(lines))
        lines[row] = lines[row].decode("utf-8", "replace").encode("utf-16")
    return b"\n".join(lines)


CSV_MUTATORS = (csv_absurd_cells, csv_absurd_cells, csv_structure)


# --- containers ----------------------------------------------------------------------------------


def gzip_wrap(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=1, mtime=0)


_EVIL_ENTRY_NAMES = (
    "../../escape.fit",
    "/etc/escape.fit",
    "C:\\escape.fit",
    "a/../../escape.fit",
    "nul\x00.fit",
    "__MACOSX/._run.fit",
    "run.fit/",
    "ünïcødé.fit",
    "x" * 300 + ".fit",
)


def zip_wrap(rng: random.Random, data: bytes, inner_name: str) -> bytes:
    """A zip holding the file, maybe under a hostile name, maybe beside other entries."""
    buffer = io.BytesIO()
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2])
    with zipfile.ZipFile(buffer, "w", method) as archive:
        name = inner_name if rng.random() < 0.7 else rng.choice(_EVIL_ENTRY_NAMES)
        archive.writestr(name, data)
        if rng.random() < 0.2:
            archive.writestr(rng.choice(["__MACOSX/._x.fit", "notes.txt", "second.gpx"]), data)
        if rng.random() < 0.1:
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as nested:
                nested.writestr(inner_name, data)
            archive.writestr("nested.zip", inner.getvalue())
    return buffer.getvalue()


# --- generated text formats ----------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _random_track(rng: random.Random, absurd: float) -> list[dict[str, object]]:
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(600 * 86400))
    lat, lon = rng.uniform(-70, 70), rng.uniform(-179, 179)
    points = []
    for index in range(rng.choice([0, 1, 2, 3, 10, 60, 300])):
        lat += rng.gauss(0, 2e-5)
        lon += rng.gauss(0, 2e-5)
        point: dict[str, object] = {
            "time": _iso(start + timedelta(seconds=index * rng.choice([1, 1, 5]))),
            "lat": f"{lat:.7f}",
            "lon": f"{lon:.7f}",
            "ele": f"{rng.uniform(-10, 2000):.1f}",
            "hr": str(rng.randrange(60, 190)),
            "cad": str(rng.randrange(75, 95)),
        }
        for key in list(point):
            if rng.random() < absurd:
                if key == "time":
                    point[key] = rng.choice(_ABSURD_TIMES).decode()
                else:
                    point[key] = rng.choice(_ABSURD_NUMBERS).decode("utf-8")
        if rng.random() < absurd:
            point["lat"], point["lon"] = rng.choice([("0", "0"), ("91", "181"), ("45", "-500")])
        points.append(point)
    return points


def gpx_file(rng: random.Random, *, absurd: float = 0.1) -> bytes:
    points = _random_track(rng, absurd)
    kind = rng.choice(["running", "9", "cycling", "", "walking", "unknown"])
    rows = "".join(
        f'<trkpt lat="{p["lat"]}" lon="{p["lon"]}"><ele>{p["ele"]}</ele><time>{p["time"]}</time>'
        f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{p['hr']}</gpxtpx:hr>"
        f"<gpxtpx:cad>{p['cad']}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"
        + ("</trkseg><trkseg>" if rng.random() < 0.02 else "")
        for p in points
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="fuzz" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>fuzz</name><type>{kind}</type><trkseg>{rows}</trkseg></trk></gpx>"
    ).encode()


def tcx_file(rng: random.Random, *, absurd: float = 0.1) -> bytes:
    points = _random_track(rng, absurd)
    sport = rng.choice(["Running", "Biking", "Other", ""])
    distance = 0.0
    rows = []
    for point in points:
        distance += rng.uniform(0, 5)
        shown = f"{distance:.1f}" if rng.random() >= absurd else rng.choice(["-5", "1e308", ""])
        rows.append(
            f"<Trackpoint><Time>{point['time']}</Time><Position><LatitudeDegrees>{point['lat']}"
            f"</LatitudeDegrees><LongitudeDegrees>{point['lon']}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{point['ele']}</AltitudeMeters><DistanceMeters>{shown}"
            f"</DistanceMeters><HeartRateBpm><Value>{point['hr']}</Value></HeartRateBpm>"
            f"<Cadence>{point['cad']}</Cadence><Extensions><ns3:TPX><ns3:Speed>"
            f"{rng.choice(['3.1', '2.5', '40', '-1']) if rng.random() < absurd else '3.0'}"
            "</ns3:Speed></ns3:TPX></Extensions></Trackpoint>"
        )
    first = points[0]["time"] if points else "2026-01-01T00:00:00Z"
    lap_time = (
        rng.choice(["1800", "-5", "1e308", "200000", "NaN"]) if rng.random() < absurd else "1800"
    )
    lap_distance = rng.choice(["5000", "-1", "1e9", ""]) if rng.random() < absurd else "5000"
    lap_hr = rng.choice(["150", "0", "300", "1e6"]) if rng.random() < absurd else "150"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><Activities>'
        f'<Activity Sport="{sport}"><Id>{first}</Id><Lap StartTime="{first}">'
        f"<TotalTimeSeconds>{lap_time}</TotalTimeSeconds><DistanceMeters>{lap_distance}"
        f"</DistanceMeters><AverageHeartRateBpm><Value>{lap_hr}</Value></AverageHeartRateBpm>"
        f"<Track>{''.join(rows)}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


_LOG_HEADERS = (
    ["date", "distance_km", "duration"],
    ["Date", "Distance", "Time", "Shoe", "Surface", "RPE", "Notes"],
    ["day", "km", "moving time", "effort", "comment"],
    ["date", "time", "miles", "duration", "avg hr", "sport"],
    ["Datum", "Distanz (km)", "Dauer"],
)

STRAVA_LIST_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,"
    "Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,"
    "Elevation Gain,Average Heart Rate,Average Cadence"
)
GARMIN_LIST_HEADER = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Avg Run Cadence,"
    "Avg Pace,Total Ascent,Moving Time,Elapsed Time"
)


def _csv_value(rng: random.Random, plausible: str, absurd: float) -> str:
    if rng.random() < absurd:
        return rng.choice(_ABSURD_CELLS).decode("utf-8", "replace")[:200]
    return plausible


def csv_log_file(rng: random.Random, *, absurd: float = 0.1) -> bytes:
    header = rng.choice(_LOG_HEADERS)
    delimiter = rng.choice([",", ";", "\t"])
    lines = [delimiter.join(header)]
    day = datetime(2025, 1, 1) + timedelta(days=rng.randrange(600))
    for _ in range(rng.choice([0, 1, 3, 20])):
        day += timedelta(days=rng.choice([0, 1, 2]))
        plausible = {
            "date": day.strftime("%Y-%m-%d"),
            "day": day.strftime("%d.%m.%Y"),
            "datum": day.strftime("%d.%m.%Y"),
            "time": "07:30",
            "distance_km": f"{rng.uniform(1, 30):.2f}",
            "distance": f"{rng.uniform(1, 30):.1f} km",
            "distanz (km)": f"{rng.uniform(1, 30):.1f}",
            "km": f"{rng.uniform(1, 30):.1f}",
            "miles": f"{rng.uniform(1, 20):.1f}",
            "duration": f"{rng.randrange(0, 3)}:{rng.randrange(60):02d}:{rng.randrange(60):02d}",
            "dauer": f"{rng.randrange(20, 200)}",
            "moving time": f"{rng.randrange(20, 200)} min",
            "shoe": rng.choice(["Pegasus", "", "Old ones"]),
            "surface": rng.choice(["road", "trail", "grass", "treadmill", ""]),
            "rpe": str(rng.randrange(0, 11)),
            "effort": rng.choice(["easy", "hard", "5"]),
            "avg hr": str(rng.randrange(100, 180)),
            "sport": rng.choice(["run", "tempo", "walk", "ride"]),
        }
        cells = [_csv_value(rng, plausible.get(h.lower(), "x"), absurd) for h in header]
        lines.append(delimiter.join(cells))
    return ("\n".join(lines) + "\n").encode()


def activity_list_file(rng: random.Random, *, absurd: float = 0.1) -> bytes:
    """A Strava activities.csv or a Garmin Connect Activities.csv with random rows."""
    strava = rng.random() < 0.5
    header = STRAVA_LIST_HEADER if strava else GARMIN_LIST_HEADER
    lines = [header]
    moment = datetime(2025, 1, 1, 7, tzinfo=UTC) + timedelta(hours=rng.randrange(10000))
    for index in range(rng.choice([0, 1, 3, 10])):
        moment += timedelta(hours=rng.randrange(1, 60))
        distance_km = rng.uniform(1, 30)
        seconds = int(distance_km * rng.uniform(200, 500))
        if strava:
            date = moment.strftime("%b %-d, %Y, %-I:%M:%S %p")
            values = [
                str(1000 + index),
                f'"{date}"',
                "Run",
                rng.choice(["Run", "Trail Run", "Ride"]),
                "",
                str(seconds),
                f"{distance_km:.2f}",
                "180",
                "",
                "false",
                "",
                "Shoe",
                "",
                "",
                "",
                str(seconds),
                str(seconds),
                f"{distance_km * 1000:.1f}",
                "5",
                "3",
                "12",
                "150",
                "85",
            ]
        else:
            date = moment.strftime("%Y-%m-%d %H:%M:%S")
            clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            values = [
                rng.choice(["Running", "Trail Running", "Cycling"]),
                date,
                "false",
                "Run",
                f"{distance_km:.2f}",
                "500",
                clock,
                "150",
                "180",
                "170",
                "5:00",
                "30",
                clock,
                clock,
            ]
        values = [_csv_value(rng, v, absurd) for v in values]
        lines.append(",".join(values))
    return ("\n".join(lines) + "\n").encode()


# --- seeds ---------------------------------------------------------------------------------------


def _shorten_xml(data: bytes, point_tag: bytes, closing: bytes, points: int) -> bytes:
    end, position = -1, 0
    for _ in range(points):
        found = data.find(b"</" + point_tag + b">", position)
        if found < 0:
            return data
        end = position = found + len(point_tag) + 3
    return data[:end] + closing if end > 0 else data


def shorten(name: str, data: bytes, size: int = SEED_BYTES) -> bytes:
    """A seed over ``size`` bytes cut to its first points or rows, still well-formed."""
    lower = name.lower()
    if len(data) <= size:
        return data
    if lower.endswith(".fit"):
        return shorten_fit(data, max(10, size // 160))
    if lower.endswith(".gpx"):
        return _shorten_xml(data, b"trkpt", b"</trkseg></trk></gpx>\n", 150)
    if lower.endswith(".tcx"):
        return _shorten_xml(
            data,
            b"Trackpoint",
            b"</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n",
            150,
        )
    if lower.endswith(".csv"):
        return b"\n".join(data.split(b"\n")[:12]) + b"\n"
    return data[:SEED_BYTES]


def seed_files(
    fmt: str, real_dir: Path | None = None, limit: int = 40, size: int = SEED_BYTES
) -> list[tuple[str, bytes]]:
    """(name, bytes) seeds of one format: the repo's samples and fixtures, and the real files
    when ``real_dir`` is given; those over ``size`` bytes shortened, at most ``limit``, smallest
    first."""
    folders = [SAMPLES, FIXTURES]
    if real_dir is not None:
        folders.append(real_dir)
    found: dict[str, tuple[str, bytes]] = {}
    for folder in folders:
        for path in sorted(folder.rglob(f"*.{fmt}")):
            if path.stat().st_size > 4 * 2**20 or "billion" in path.name or "entity" in path.name:
                continue
            data = shorten(path.name, path.read_bytes(), size)
            found.setdefault(f"{folder.name}/{path.relative_to(folder)}", (path.name, data))
        for path in sorted(folder.rglob(f"*.{fmt}.gz")):
            data = shorten(path.name[:-3], gzip.decompress(path.read_bytes()), size)
            found.setdefault(f"{folder.name}/{path.relative_to(folder)}", (path.name[:-3], data))
    seeds = sorted(found.values(), key=lambda item: len(item[1]))
    if len(seeds) > limit:  # keep the spread of sizes, not only the tiny ones
        step = len(seeds) / limit
        seeds = [seeds[int(i * step)] for i in range(limit)]
    return seeds


# --- one input from a seed -----------------------------------------------------------------------

GENERATORS: dict[str, Callable[..., bytes]] = {
    "fit": fit_file,
    "gpx": gpx_file,
    "tcx": tcx_file,
    "csv": csv_log_file,
    "activity-list": activity_list_file,
}

_FORMAT_MUTATORS = {"fit": FIT_MUTATORS, "gpx": XML_MUTATORS, "tcx": XML_MUTATORS}


def make_input(rng: random.Random, fmt: str, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """One fuzz input of format ``fmt`` ("fit", "gpx", "tcx", "csv"): a generated file or a
    mutated seed, maybe gzipped or zipped. Returns (name, bytes)."""
    if seeds and rng.random() < 0.7:
        _, data = rng.choice(seeds)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if fmt == "csv":
                mutators = CSV_MUTATORS + BYTE_MUTATORS[:3]
            else:
                mutators = _FORMAT_MUTATORS[fmt] + BYTE_MUTATORS
            data = rng.choice(mutators)(rng, data)
    else:
        generator = GENERATORS["activity-list" if fmt == "csv" and rng.random() < 0.4 else fmt]
        data = generator(rng, absurd=rng.choice([0.0, 0.02, 0.1, 0.5]))
        if rng.random() < 0.3:
            data = rng.choice(BYTE_MUTATORS)(rng, data)
    return wrap(rng, fmt, data)


def wrap(rng: random.Random, fmt: str, data: bytes) -> tuple[str, bytes]:
    """Maybe gzip (FIT, GPX, TCX) or zip the file; maybe damage the container."""
    roll = rng.random()
    if fmt != "csv" and roll < 0.1:
        packed = gzip_wrap(data)
        if rng.random() < 0.3:
            packed = rng.choice(BYTE_MUTATORS)(rng, packed)
        return f"fuzz.{fmt}.gz", packed
    if fmt != "csv" and roll < 0.2:
        packed = zip_wrap(rng, data, f"run.{fmt}")
        if rng.random() < 0.3:
            packed = rng.choice(BYTE_MUTATORS)(rng, packed)
        return "fuzz.zip", packed
    return f"fuzz.{fmt}", data


# --- export archives -----------------------------------------------------------------------------


def export_seeds() -> dict[str, dict[str, bytes]]:
    """A small Garmin Connect export and a small Strava export (tests/exports.py builders), as
    path -> bytes: two short runs each, a gear list, resting heart rates."""
    from exports import (
        GarminActivity,
        GarminExportSpec,
        GarminGear,
        Run,
        StravaActivity,
        StravaExportSpec,
        garmin_export_files,
        strava_export_files,
    )

    start = datetime(2026, 3, 2, 7, tzinfo=UTC)
    runs = [
        Run(start, duration_s=40, distance_m=120.0),
        Run(start + timedelta(days=2), duration_s=30, distance_m=90.0, sub_sport="trail"),
    ]
    garmin = garmin_export_files(
        GarminExportSpec(
            [
                GarminActivity(runs[0], 101, gear_pk=7),
                GarminActivity(runs[1], 102, with_fit=False),
            ],
            gear=[GarminGear(7, "Daily trainer", "Brand Model")],
            resting_hr={"2026-03-02": 52},
        )
    )
    strava = strava_export_files(
        StravaExportSpec(
            [
                StravaActivity(runs[0], 201, gear="Daily trainer"),
                StravaActivity(runs[1], 202, file_kind="gpx"),
            ],
            shoes=[("Daily trainer", "Brand", "Model")],
        )
    )
    return {"garmin": garmin, "strava": strava}


def _mutate_member(rng: random.Random, name: str, data: bytes) -> bytes:
    lower = name.lower()
    if lower.endswith(".gz"):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError):
            return flip_bits(rng, data)
        return gzip_wrap(_mutate_member(rng, name[:-3], inner))
    if lower.endswith(".zip"):
        return _mutate_zip_members(rng, data)
    if lower.endswith(".fit"):
        mutators = FIT_MUTATORS + BYTE_MUTATORS
    elif lower.endswith((".gpx", ".tcx")):
        mutators = XML_MUTATORS
    elif lower.endswith(".csv"):
        mutators = CSV_MUTATORS
    elif lower.endswith(".json"):
        mutators = (xml_absurd_numbers, xml_absurd_numbers, truncate, flip_bits, duplicate_chunk)
    else:
        mutators = BYTE_MUTATORS
    return rng.choice(mutators)(rng, data)


def _mutate_zip_members(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    if members:
        chosen = rng.choice(sorted(members))
        members[chosen] = _mutate_member(rng, chosen, members[chosen])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, member in members.items():
            archive.writestr(name, member)
    return buffer.getvalue()


def _hostile_member(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(_EVIL_ENTRY_NAMES), b"x"
    if kind == 1:  # a small bomb: 2 MB of zeros, compressed about 1000 times
        return "bomb.fit", bytes(2 * 2**20)
    if kind == 2:  # a zip in a zip in a zip
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as deepest:
            deepest.writestr("run.fit", b"")
        middle = io.BytesIO()
        with zipfile.ZipFile(middle, "w") as nested:
            nested.writestr("inner.zip", inner.getvalue())
        return "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_9-_Part9.zip", middle.getvalue()
    return "activities/" + rng.choice(["9.fit", "9.gpx.gz", "9.tcx", "9.fit.gz"]), rng.randbytes(64)


def export_input(rng: random.Random, seeds: dict[str, dict[str, bytes]]) -> tuple[str, bytes]:
    """A Garmin or Strava export zip with a few members mutated, maybe a hostile member added
    or the archive itself damaged. Returns (name, bytes)."""
    kind = rng.choice(sorted(seeds))
    members = dict(seeds[kind])
    for _ in range(rng.choice([0, 1, 1, 2, 4])):
        chosen = rng.choice(sorted(members))
        members[chosen] = _mutate_member(rng, chosen, members[chosen])
    if rng.random() < 0.15:
        name, data = _hostile_member(rng)
        members[name] = data
    if rng.random() < 0.1:
        del members[rng.choice(sorted(members))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    packed = buffer.getvalue()
    if rng.random() < 0.1:
        packed = rng.choice(BYTE_MUTATORS)(rng, packed)
    return f"{kind}-export.zip", packed


# --- hypothesis: settings and strategies for the CI fuzz tests ------------------------------------


def fuzz_settings(max_examples: int):
    """Hypothesis settings of a CI fuzz test: derandomized (the same inputs on every run, so CI
    is reproducible and bounded), no deadline (the per-input limit is ``check_input``'s alarm),
    no example database. ``STRIDEWISE_FUZZ_RANDOM=1`` explores new inputs instead, and
    ``STRIDEWISE_FUZZ_SCALE`` multiplies the number of examples."""
    import os

    from hypothesis import HealthCheck, settings

    scale = float(os.environ.get("STRIDEWISE_FUZZ_SCALE", "1"))
    return settings(
        max_examples=max(1, round(max_examples * scale)),
        deadline=None,
        derandomize=not os.environ.get("STRIDEWISE_FUZZ_RANDOM"),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def mutated(seeds: list[tuple[str, bytes]], mutators: tuple[Callable, ...]):
    """Strategy: (name, bytes) of a seed after one to three mutations, each from its own seed."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        name, data = draw(st.sampled_from(seeds))
        steps = draw(
            st.lists(
                st.tuples(st.sampled_from(mutators), st.integers(0, 2**32 - 1)),
                min_size=1,
                max_size=3,
            )
        )
        for mutator, seed in steps:
            data = mutator(random.Random(seed), data)
        return name, data

    return build()


def generated(generator: Callable[..., bytes]):
    """Strategy: bytes from one of the generators above, absurd values more or less often."""
    from hypothesis import strategies as st

    return st.builds(
        lambda seed, absurd: generator(random.Random(seed), absurd=absurd),
        st.integers(0, 2**32 - 1),
        st.sampled_from([0.0, 0.05, 0.2, 0.6]),
    )
