"""FIT decoding speed: fitparse against stridewise's bulk decoder, same files, same process.

    python benchmarks/bench_fit.py [FILE ...] [--samples] [--repeat 30] [--slow-repeat 3]

Always measures a one-hour 1 Hz run with running dynamics, written with fit-tool the way a Garmin
watch writes it (file_id, device_info, timer events, 3,600 records, 1 km laps, session, activity)
and cached in the temporary directory. ``FILE ...`` adds FIT files (``.fit.gz`` and ``.zip`` are
undone as the importer does); ``--samples`` adds every FIT file of data/samples.

For each file, four timings (best of ``--repeat`` runs; fitparse best of ``--slow-repeat``):

- decode: bytes to ``FitMessages``, the step the two decoders share. The bulk decoder's records
  stay columns (``RecordColumns``) until asked for;
- decode + dicts: the same with the records built as fitparse's dicts, what a caller iterating
  them pays;
- read_fit: bytes to ``Activity`` objects (decode and mapping), the importer's whole FIT step;
- first call: the bulk decoder's decode with an empty plan cache (a device's first file).

Both decoders' messages are compared before anything is timed; a difference stops the benchmark.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fit_tool.data_message import DataMessage
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    GarminProduct,
    Manufacturer,
    Sport,
    SubSport,
)

from stridewise.importers import fit, fit_bulk
from stridewise.pipeline import load_raw

REPO = Path(__file__).resolve().parents[1]

#: Bump when the generated run changes, so that an old cached one is not reused.
GENERATOR_VERSION = 2

#: Start of the generated run: 2026-03-01 07:00 UTC [Unix s].
START_S = int(datetime(2026, 3, 1, 7, 0, tzinfo=UTC).timestamp())

RECORD_FIELDS = (
    "timestamp",
    "position_lat",
    "position_long",
    "distance",
    "enhanced_speed",
    "enhanced_altitude",
    "heart_rate",
    "cadence",
    "fractional_cadence",
    "vertical_oscillation",
    "stance_time",
    "stance_time_balance",
    "vertical_ratio",
    "step_length",
    "temperature",
)


def _lean_record(field_types: list[type]) -> RecordMessage:
    """A record holding only the fields in use (fit-tool's constructor makes all ~85: slow)."""
    message = RecordMessage.__new__(RecordMessage)
    DataMessage.__init__(
        message,
        name=RecordMessage.NAME,
        global_id=RecordMessage.ID,
        local_id=2,
        fields=[field_type(size=0, growable=True) for field_type in field_types],
    )
    message.growable = True
    return message


def _ms(offset_s: float) -> int:
    """fit-tool times are Unix milliseconds."""
    return round((START_S + offset_s) * 1000)


def one_hour_run(seconds: int = 3600) -> bytes:
    """A 1 Hz run of ``seconds`` with position, speed, altitude, heart rate, cadence, dynamics."""
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    file_id = FileIdMessage(local_id=0)
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = GarminProduct.FR255.value
    file_id.serial_number = 3_421_987_654
    file_id.time_created = _ms(0)
    builder.add(file_id)
    device = DeviceInfoMessage(local_id=1)
    device.timestamp = _ms(0)
    device.device_index = 0
    device.manufacturer = Manufacturer.GARMIN.value
    device.product = GarminProduct.FR255.value
    device.software_version = 20.26
    builder.add(device)
    builder.add(_timer(0, EventType.START))
    field_types = [type(f) for f in RecordMessage().fields if f.name in RECORD_FIELDS]
    distance, lap_start = 0.0, 0
    for second in range(seconds):
        speed = 3.0 + 0.3 * math.sin(second / 300)
        distance += speed
        record = _lean_record(field_types)
        record.timestamp = _ms(second)
        record.position_lat = 52.35 + distance / 111_000
        record.position_long = 4.90 + 0.001 * math.sin(second / 600)
        record.distance = distance
        record.enhanced_speed = speed
        record.enhanced_altitude = 2.0 + 3.0 * math.sin(second / 900)
        record.heart_rate = 140 + int(12 * math.sin(second / 400))
        record.cadence = 85 + second % 3
        record.fractional_cadence = 0.5
        record.vertical_oscillation = 82.0 + (second % 7) / 2
        record.stance_time = 250.0 + second % 11
        record.stance_time_balance = 49.8 + (second % 5) / 10
        record.vertical_ratio = 8.2
        record.step_length = 1050.0 + second % 13
        record.temperature = 18
        builder.add(record)
        if distance // 1000 > lap_start // 1000 or second == seconds - 1:
            builder.add(_lap(second, distance))
            lap_start = int(distance)
    builder.add(_timer(seconds - 1, EventType.STOP_ALL))
    session = SessionMessage(local_id=6)
    session.timestamp = _ms(seconds - 1)
    session.start_time = _ms(0)
    session.sport = Sport.RUNNING
    session.sub_sport = SubSport.STREET
    session.total_elapsed_time = seconds - 1.0
    session.total_timer_time = seconds - 1.0
    session.total_distance = distance
    session.total_ascent = 36
    session.total_descent = 36
    session.avg_heart_rate = 140
    session.max_heart_rate = 152
    session.avg_cadence = 86
    session.avg_fractional_cadence = 0.5
    builder.add(session)
    activity = ActivityMessage(local_id=7)
    activity.timestamp = _ms(seconds - 1)
    activity.local_timestamp = START_S + seconds - 1 - fit.FIT_EPOCH_UNIX_S + 3600
    activity.num_sessions = 1
    builder.add(activity)
    return builder.build().to_bytes()


def _timer(offset_s: float, kind: EventType) -> EventMessage:
    event = EventMessage(local_id=3)
    event.timestamp = _ms(offset_s)
    event.event = Event.TIMER
    event.event_type = kind
    return event


def _lap(second: int, distance: float) -> LapMessage:
    lap = LapMessage(local_id=4)
    lap.timestamp = _ms(second)
    lap.total_distance = distance
    return lap


def cached_one_hour_run() -> Path:
    path = Path(tempfile.gettempdir()) / f"stridewise-bench-one-hour-run-v{GENERATOR_VERSION}.fit"
    if not path.exists():
        started = time.perf_counter()
        data = one_hour_run()
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def best_time(action: Callable[[], object], repeat: int) -> float:
    """Shortest of ``repeat`` timings of ``action`` [s] (the least disturbed by other load)."""
    timings = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def read_fit_with(decoder: str, data: bytes, name: str) -> object:
    os.environ[fit.DECODER_VARIABLE] = decoder
    try:
        return fit.read_fit(data, name)
    finally:
        del os.environ[fit.DECODER_VARIABLE]


def measure(path: Path, repeat: int, slow_repeat: int) -> dict[str, float]:
    data = load_raw(path).data
    name = path.name
    reference = fit._decode_messages(data, name)
    fast = fit_bulk.decode_messages(data, name)
    if fast != reference:
        raise SystemExit(f"{name}: the bulk decoder's messages differ from fitparse's")
    fit_bulk._PLAN_CACHE.clear()
    started = time.perf_counter()
    fit_bulk.decode_messages(data, name)
    first_call = time.perf_counter() - started
    return {
        "records": len(reference.records),
        "fitparse_decode": best_time(lambda: fit._decode_messages(data, name), slow_repeat),
        "fast_decode": best_time(lambda: fit_bulk.decode_messages(data, name), repeat),
        "fast_dicts": best_time(
            lambda: fit_bulk.decode_messages(data, name).records.to_dicts(), repeat
        ),
        "fitparse_read": best_time(lambda: read_fit_with("fitparse", data, name), slow_repeat),
        "fast_read": best_time(lambda: read_fit_with("fast", data, name), repeat),
        "first_call": first_call,
    }


def _rate(records: float, seconds: float) -> str:
    return f"{records / seconds:,.0f}"


def print_table(rows: list[tuple[str, dict[str, float]]]) -> None:
    header = (
        f"{'file':<34} {'records':>7} | {'fitparse rec/s':>14} {'fast rec/s':>12} {'x':>6} | "
        f"{'+dicts rec/s':>12} {'x':>5} | {'read_fit fp ms':>14} {'fast ms':>8} {'x':>6} | "
        f"{'1st call ms':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, m in rows:
        n = m["records"]
        print(
            f"{name[-34:]:<34} {n:>7} | "
            f"{_rate(n, m['fitparse_decode']):>14} {_rate(n, m['fast_decode']):>12} "
            f"{m['fitparse_decode'] / m['fast_decode']:>6.0f} | "
            f"{_rate(n, m['fast_dicts']):>12} {m['fitparse_decode'] / m['fast_dicts']:>5.0f} | "
            f"{m['fitparse_read'] * 1e3:>14.1f} {m['fast_read'] * 1e3:>8.2f} "
            f"{m['fitparse_read'] / m['fast_read']:>6.0f} | {m['first_call'] * 1e3:>11.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="more FIT files to measure")
    parser.add_argument("--samples", action="store_true", help="add every FIT of data/samples")
    parser.add_argument("--repeat", type=int, default=30, help="runs of the bulk decoder (30)")
    parser.add_argument("--slow-repeat", type=int, default=3, help="runs of fitparse (3)")
    args = parser.parse_args()
    paths = [cached_one_hour_run(), *args.files]
    if args.samples:
        samples = REPO / "data" / "samples"
        paths += sorted([*samples.rglob("*.fit"), *samples.rglob("*.fit.gz")])
    rows = [(path.name, measure(path, args.repeat, args.slow_repeat)) for path in paths]
    print_table(rows)
    if len(rows) > 1:
        total = {key: sum(m[key] for _, m in rows) for key in rows[0][1]}
        print_table([(f"all {len(rows)} files", total)])
        ratios = [m["fitparse_decode"] / m["fast_decode"] for _, m in rows]
        print(
            f"decode ratio per file: median {statistics.median(ratios):.0f}, min {min(ratios):.0f}"
        )


if __name__ == "__main__":
    main()
