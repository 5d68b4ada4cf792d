"""The bulk FIT decoder against fitparse: same messages, same activities, or a named fallback.

Three kinds of input:
- every activity FIT of the real corpus (tests/realdata.py) and the generated history in
  data/samples, each decoded by both decoders (fitparse once per file, cached);
- FIT bytes assembled here message by message (``_definition``, ``_data``, ``_fit_file``) for the
  layouts the decoder must get right: compressed timestamps rolling over, big-endian definitions,
  developer fields, arrays, chained parts, invalid values, accumulated components;
- those files damaged at random (hypothesis): the bulk decoder either declines or agrees.
"""

from __future__ import annotations

import dataclasses
import functools
import struct
from datetime import UTC, datetime
from pathlib import Path

import fitparse
import pandas as pd
import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport, SubSport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from realdata import REAL, REPO

from stridewise.errors import ConfigError, SkippedFile, StridewiseError
from stridewise.importers import fit, fit_bulk
from stridewise.importers.fit import FIT_EPOCH_UNIX_S, FitMessages
from stridewise.importers.fit_bulk import FastPathDeclined, RecordColumns
from stridewise.pipeline import load_raw, read_activities

# --- the real corpus and the samples --------------------------------------------------------------

FIT_DIR = REAL / "fit" if REAL else None
SAMPLES_DIR = REPO / "data" / "samples"


def _real(*patterns: str) -> list[str]:
    if FIT_DIR is None:
        return []
    found = {path for pattern in patterns for path in FIT_DIR.glob(pattern) if path.is_file()}
    return sorted(str(path.relative_to(FIT_DIR)) for path in found)


def _samples() -> list[str]:
    if not SAMPLES_DIR.is_dir():
        return []
    found = [*SAMPLES_DIR.rglob("*.fit"), *SAMPLES_DIR.rglob("*.fit.gz")]
    return sorted(str(path.relative_to(REPO)) for path in found)


REAL_ACTIVITY_FILES = _real("activity/**/*", "compressed/*", "corrupt/*")
NON_ACTIVITY_FILES = _real("non_activity/*")
SAMPLE_FILES = _samples()

#: Real files the bulk decoder hands to fitparse, and why; every other file must decode "fast".
FALLBACKS = {
    "corrupt/activity-activity-filecrc.fit": "the checksum does not match",
    "corrupt/activity-filecrc.fit": "the checksum does not match",
    "corrupt/activity-settings-corruptheader.fit": "no FIT header where one should be",
    "corrupt/activity-settings-nodata.fit": "the file is truncated",
    "corrupt/activity-unexpected-eof.fit": "the file is truncated",
    "corrupt/coros-pace-2-cycling-misaligned-fields.fit": (
        "field 3 of event is 1 bytes, not a whole number of uint32"
    ),
    # unterminated Sigma file: its header's data size ends inside a message
    "corrupt/nick.fit": "a message runs past the end of the data",
    # the header promises more data than the file holds
    "corrupt/strava-android-app-201.10-b1218918.fit": "the file is truncated",
}


def _path(name: str) -> Path:
    return REPO / name if name.startswith("data/") else FIT_DIR / name


@functools.cache
def _bytes(name: str) -> bytes:
    """The FIT bytes of a real or sample file, compressed ones undone by the dispatcher's loader."""
    return load_raw(_path(name)).data


def _decode(decoder: object, data: bytes) -> FitMessages | StridewiseError:
    try:
        return decoder(data, "file.fit")
    except StridewiseError as exc:
        return exc


@functools.cache
def _by_fitparse(name: str) -> FitMessages | StridewiseError:
    return _decode(fit._decode_messages, _bytes(name))


def _activities(messages: FitMessages) -> list:
    return fit._activities_from_messages(messages, "file.fit", default_timezone=None)


def _assert_same_activities(expected: list, got: list) -> None:
    """Summaries equal and sample frames equal, value for value (same columns, same times)."""
    assert len(got) == len(expected)
    for one, other in zip(expected, got, strict=True):
        summary = [f.name for f in dataclasses.fields(one) if f.name not in ("table", "decoder")]
        assert {name: getattr(other, name) for name in summary} == {
            name: getattr(one, name) for name in summary
        }
        pd.testing.assert_frame_equal(other.samples, one.samples, check_exact=True)


def _typed(value: object) -> object:
    """``value`` with the type of every number, name and tuple in it: 1 == 1.0, but not here."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(item) for item in value])
    return (type(value).__name__, value)


def _assert_same_messages(expected: FitMessages, got: FitMessages) -> None:
    """Same messages, value for value and type for type (integers exact, floats bit for bit)."""
    assert isinstance(got.records, RecordColumns)
    assert _typed(got.records.to_dicts()) == _typed(list(expected.records))
    for name in ("file_id", "sessions", "events", "activity", "sports"):
        assert _typed(getattr(got, name)) == _typed(getattr(expected, name)), name
    assert got == expected


@pytest.mark.parametrize("name", REAL_ACTIVITY_FILES + SAMPLE_FILES)
def test_bulk_decoder_agrees_with_fitparse_or_says_why_not(name: str) -> None:
    expected = _by_fitparse(name)
    try:
        got = fit_bulk.decode_messages(_bytes(name), "file.fit")
    except FastPathDeclined as declined:
        assert FALLBACKS.get(name) == declined.reason
        return
    assert name not in FALLBACKS, f"{name} decoded fast, expected: {FALLBACKS.get(name)}"
    assert not isinstance(expected, StridewiseError)
    _assert_same_messages(expected, got)
    try:
        expected_activities = _activities(expected)
    except StridewiseError as refused:  # refused on purpose (no real date): refused alike
        with pytest.raises(type(refused), match="^file.fit: "):
            _activities(got)
        return
    _assert_same_activities(expected_activities, _activities(got))


@pytest.mark.parametrize("name", NON_ACTIVITY_FILES)
def test_non_activity_files_are_skipped_by_the_bulk_decoder_itself(name: str) -> None:
    expected = _by_fitparse(name)
    assert isinstance(expected, SkippedFile)
    with pytest.raises(SkippedFile) as skipped:
        fit_bulk.decode_messages(_bytes(name), "file.fit")
    assert str(skipped.value) == str(expected)


@pytest.mark.parametrize(
    "name",
    [
        "compressed/4077461142.zip",  # running dynamics and developer fields, inside a zip
        "compressed/14582164182.fit.gz",
        "corrupt/nick.fit",
    ],
)
def test_the_dispatcher_reads_with_the_bulk_decoder_and_says_so(
    real_dir: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(fit.DECODER_VARIABLE, raising=False)
    activities = read_activities(FIT_DIR / name)
    expected = "fast" if name not in FALLBACKS else f"fitparse-fallback: {FALLBACKS[name]}"
    assert {activity.decoder for activity in activities} == {expected}
    monkeypatch.setenv(fit.DECODER_VARIABLE, "fitparse")
    by_fitparse = read_activities(FIT_DIR / name)
    assert {activity.decoder for activity in by_fitparse} == {"fitparse"}
    _assert_same_activities(by_fitparse, activities)


def test_most_of_the_corpus_decodes_fast(real_dir: Path) -> None:
    # guards against a regression that quietly hands everything to fitparse
    assert len(REAL_ACTIVITY_FILES) - len(FALLBACKS) >= 50
    assert set(FALLBACKS) <= set(REAL_ACTIVITY_FILES)


# --- FIT bytes assembled here ---------------------------------------------------------------------

#: A FIT time well after FIRST_REAL_FIT_TIME whose low five bits are 30 (for rollover tests) [s].
T0 = 1_100_000_030
assert T0 % 32 == 30

# base type numbers of the FIT protocol
ENUM, UINT8, SINT32, UINT16, UINT32, BYTE = 0x00, 0x02, 0x85, 0x84, 0x86, 0x0D


def _definition(
    local: int,
    mesg_num: int,
    fields: list[tuple[int, int, int]],
    *,
    big_endian: bool = False,
    dev_fields: list[tuple[int, int, int]] = (),
) -> bytes:
    """A definition message: fields as (number, size, base type), dev fields as (number, size,
    developer data index)."""
    header = 0x40 | local | (0x20 if dev_fields else 0)
    endian = ">" if big_endian else "<"
    body = struct.pack(endian + "BBBHB", header, 0, int(big_endian), mesg_num, len(fields))
    body += b"".join(bytes(field) for field in fields)
    if dev_fields:
        body += bytes([len(dev_fields)]) + b"".join(bytes(field) for field in dev_fields)
    return body


def _data(local: int, payload: bytes, *, time_offset: int | None = None) -> bytes:
    """A data message, with a compressed-timestamp header when ``time_offset`` is given."""
    header = local if time_offset is None else 0x80 | (local << 5) | time_offset
    return bytes([header]) + payload


def _fit_file(*messages: bytes, crc: int | None = None) -> bytes:
    """A 14-byte header, the messages, and the checksum (fitparse's own CRC unless given)."""
    body = b"".join(messages)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fitparse.records.Crc.calculate(header))
    whole = header + body
    return whole + struct.pack("<H", fitparse.records.Crc.calculate(whole) if crc is None else crc)


FILE_ID_DEFINITION = _definition(0, 0, [(0, 1, ENUM), (1, 2, UINT16), (2, 2, UINT16)])


def _file_id(file_type: int = 4) -> bytes:
    """file_id: type (4 = activity), manufacturer garmin (1), product 2697 (fenix5)."""
    return _data(0, struct.pack("<BHH", file_type, 1, 2697))


def _both(data: bytes) -> tuple[FitMessages | StridewiseError, FitMessages]:
    """What fitparse and the bulk decoder make of ``data`` (the bulk one must accept it)."""
    return _decode(fit._decode_messages, data), fit_bulk.decode_messages(data, "file.fit")


def test_compressed_timestamps_roll_over_against_the_last_full_timestamp() -> None:
    record = _definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)])
    heart_rate_only = _definition(2, 20, [(3, 1, UINT8)])
    data = _fit_file(
        FILE_ID_DEFINITION,
        _file_id(),
        record,
        heart_rate_only,
        _data(1, struct.pack("<IB", T0, 100)),  # full timestamp, low bits 30
        _data(2, bytes([101]), time_offset=31),  # +1
        _data(2, bytes([102]), time_offset=2),  # 2 < 31: rolled over, +3
        _data(2, bytes([103]), time_offset=2),  # same offset, same time
        _data(1, struct.pack("<IB", T0 + 100, 104)),  # a full timestamp resets the count
        _data(2, bytes([105]), time_offset=0),  # (T0 + 100) % 32 == 2: 0 < 2, rolled over
    )
    expected, got = _both(data)
    _assert_same_messages(expected, got)
    times = [record["timestamp"] for record in got.records]
    assert times == [T0, T0 + 1, T0 + 4, T0 + 4, T0 + 100, T0 + 100 + 30]


def test_big_endian_definitions_scale_offset_and_components() -> None:
    # position_lat, distance (scale 100), altitude (scale 5, offset 500 -> enhanced_altitude too),
    # speed (scale 1000 -> enhanced_speed too), timestamp
    record = _definition(
        1,
        20,
        [(0, 4, SINT32), (5, 4, UINT32), (2, 2, UINT16), (6, 2, UINT16), (253, 4, UINT32)],
        big_endian=True,
    )
    payload = struct.pack(">iIHHI", -536_870_912, 123_456, 2_600, 3_210, T0)
    expected, got = _both(_fit_file(FILE_ID_DEFINITION, _file_id(), record, _data(1, payload)))
    _assert_same_messages(expected, got)
    (values,) = got.records
    assert values == {
        "position_lat": -536_870_912,
        "distance": 1234.56,
        "enhanced_altitude": 20.0,
        "altitude": 20.0,
        "enhanced_speed": 3.21,
        "speed": 3.21,
        "timestamp": T0,
    }


def test_invalid_values_are_missing_not_zero() -> None:
    record = _definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8), (5, 4, UINT32), (6, 2, UINT16)])
    payloads = [
        struct.pack("<IBIH", T0, 0xFF, 0xFFFFFFFF, 0xFFFF),  # all invalid but the time
        struct.pack("<IBIH", T0 + 1, 150, 1_000, 0xFFFF),  # speed invalid
        struct.pack("<IBIH", T0 + 2, 151, 1_300, 3_000),
    ]
    messages = [_data(1, payload) for payload in payloads]
    expected, got = _both(_fit_file(FILE_ID_DEFINITION, _file_id(), record, *messages))
    _assert_same_messages(expected, got)
    assert list(got.records) == [
        {"timestamp": T0},
        {"timestamp": T0 + 1, "heart_rate": 150, "distance": 10.0},
        {
            "timestamp": T0 + 2,
            "heart_rate": 151,
            "distance": 13.0,
            "speed": 3.0,
            "enhanced_speed": 3.0,
        },
    ]


def test_developer_fields_are_skipped_and_left_out() -> None:
    developer_data_id = _definition(3, 207, [(3, 1, UINT8)])
    # field_description: developer_data_index, field_definition_number, fit_base_type_id
    field_description = _definition(4, 206, [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8)])
    record = _definition(1, 20, [(253, 4, UINT32), (7, 2, UINT16)], dev_fields=[(0, 2, 0)])
    data = _fit_file(
        FILE_ID_DEFINITION,
        _file_id(),
        developer_data_id,
        _data(3, bytes([0])),
        field_description,
        _data(4, bytes([0, 0, UINT16])),
        record,
        _data(1, struct.pack("<IHH", T0, 250, 0x1234)),
        _data(1, struct.pack("<IHH", T0 + 1, 260, 0x5678)),
    )
    expected, got = _both(data)
    _assert_same_messages(expected, got)
    assert list(got.records) == [
        {"timestamp": T0, "power": 250},
        {"timestamp": T0 + 1, "power": 260},
    ]


def test_developer_field_of_a_size_its_type_cannot_have_falls_back() -> None:
    developer_data_id = _definition(3, 207, [(3, 1, UINT8)])
    field_description = _definition(4, 206, [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8)])
    record = _definition(1, 20, [(253, 4, UINT32)], dev_fields=[(0, 3, 0)])  # 3 bytes of uint16
    data = _fit_file(
        FILE_ID_DEFINITION,
        _file_id(),
        developer_data_id,
        _data(3, bytes([0])),
        field_description,
        _data(4, bytes([0, 0, UINT16])),
        record,
        _data(1, struct.pack("<I", T0) + b"\x01\x02\x03"),
    )
    with pytest.raises(FastPathDeclined) as declined:
        fit_bulk.decode_messages(data, "dev.fit")
    assert declined.value.reason == "a developer field of record has a size it cannot have"


def test_array_byte_and_unknown_fields_as_fitparse_gives_them() -> None:
    # enhanced_altitude as two uint32 (FR55 writes this), an unknown field 250, a byte field
    # (left_right_balance is uint8; field 30 declared as 2 bytes of type byte here)
    record = _definition(
        1, 20, [(253, 4, UINT32), (78, 8, UINT32), (250, 2, UINT16), (30, 2, BYTE)]
    )
    payloads = [
        struct.pack("<III", T0, 2_600, 0xFFFFFFFF) + struct.pack("<H", 7) + b"\x01\xff",
        struct.pack("<III", T0 + 1, 0xFFFFFFFF, 0xFFFFFFFF)
        + struct.pack("<H", 0xFFFF)
        + b"\xff\xff",
    ]
    messages = [_data(1, payload) for payload in payloads]
    expected, got = _both(_fit_file(FILE_ID_DEFINITION, _file_id(), record, *messages))
    _assert_same_messages(expected, got)
    assert list(got.records) == [
        {
            "timestamp": T0,
            "enhanced_altitude": (20.0, None),
            "unknown_250": 7,
            "left_right_balance": (1, 255),
        },
        {"timestamp": T0 + 1, "enhanced_altitude": (None, None)},  # a tuple even when empty
    ]


def test_accumulated_components_decode_message_by_message_like_fitparse() -> None:
    # cycles (uint8) accumulates into total_cycles; a new definition restarts the count
    record = _definition(1, 20, [(253, 4, UINT32), (18, 1, UINT8)])
    counts = [250, 254, 3, 10]
    messages = [_data(1, struct.pack("<IB", T0 + i, c)) for i, c in enumerate(counts)]
    data = _fit_file(
        FILE_ID_DEFINITION,
        _file_id(),
        record,
        *messages[:3],
        record,
        messages[3],
    )
    expected, got = _both(data)
    _assert_same_messages(expected, got)
    assert [record["total_cycles"] for record in got.records] == [250, 254, 259, 10]


def test_chained_parts_are_all_read() -> None:
    record = _definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)])
    first = _fit_file(FILE_ID_DEFINITION, _file_id(), record, _data(1, struct.pack("<IB", T0, 1)))
    # the second part must define its local types again
    second = _fit_file(record, _data(1, struct.pack("<IB", T0 + 1, 2)))
    expected, got = _both(first + second)
    _assert_same_messages(expected, got)
    assert [record["heart_rate"] for record in got.records] == [1, 2]


@pytest.mark.parametrize(
    ("messages", "reason"),
    [
        ([FILE_ID_DEFINITION, _file_id(), _data(5, b"\x00")], "uses an undefined local type"),
        (
            [
                FILE_ID_DEFINITION,
                _file_id(),
                _definition(1, 20, [(5, 3, UINT32)]),
                _data(1, b"abc"),
            ],
            "field 5 of record is 3 bytes, not a whole number of uint32",
        ),
    ],
)
def test_unexpected_layouts_fall_back_with_a_reason(messages: list[bytes], reason: str) -> None:
    with pytest.raises(FastPathDeclined) as declined:
        fit_bulk.decode_messages(_fit_file(*messages), "odd.fit")
    assert reason in declined.value.reason
    assert str(declined.value).startswith("odd.fit: ")


def test_checksum_and_truncation_fall_back() -> None:
    whole = _fit_file(FILE_ID_DEFINITION, _file_id())
    with pytest.raises(FastPathDeclined, match=r"checksum does not match"):
        fit_bulk.decode_messages(whole[:-2] + b"\x00\x01", "crc.fit")
    with pytest.raises(FastPathDeclined, match=r"truncated"):
        fit_bulk.decode_messages(whole[:-3], "cut.fit")


def test_non_activity_is_skipped_before_damaged_records() -> None:
    record = _definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)])
    data = bytearray(_fit_file(FILE_ID_DEFINITION, _file_id(file_type=2), record))
    data[-4:-2] = b"\x05\x05"  # damage after the file_id (undefined local type, wrong checksum)
    with pytest.raises(SkippedFile, match=r"^settings\.fit: not an activity \(settings\)$"):
        fit_bulk.decode_messages(bytes(data), "settings.fit")


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=3000))
def test_checksum_matches_fitparse(data: bytes) -> None:
    assert fit_bulk.fit_crc(data) == fitparse.records.Crc.calculate(data)


# --- the decoder switch ------------------------------------------------------------------------

#: 2024-05-01 06:00:00 UTC [Unix s].
START = int(datetime(2024, 5, 1, 6, 0, tzinfo=UTC).timestamp())


def _message(kind: type, **fields: object) -> object:
    message = kind()
    for name, value in fields.items():
        setattr(message, name, value)
    return message


def _written_run(seconds: int = 20) -> bytes:
    """A run written by fit-tool: records with running dynamics, a session, timer events."""
    builder = FitFileBuilder(auto_define=True)
    builder.add(
        _message(
            FileIdMessage,
            type=FileType.ACTIVITY,
            manufacturer=Manufacturer.GARMIN.value,
            product=2697,
            time_created=START * 1000,
        )
    )
    builder.add(
        _message(
            EventMessage, event=Event.TIMER, event_type=EventType.START, timestamp=START * 1000
        )
    )
    for s in range(seconds):
        builder.add(
            _message(
                RecordMessage,
                timestamp=(START + s) * 1000,
                position_lat=52.37 + s * 1e-5,
                position_long=4.89,
                distance=3.1 * s,
                enhanced_speed=3.1,
                enhanced_altitude=2.0 + 0.2 * (s % 7),
                heart_rate=130 + s,
                cadence=85,
                fractional_cadence=0.25,
                vertical_oscillation=80.5,
                stance_time=250.0 + s,
                stance_time_balance=49.8,
                vertical_ratio=8.1,
                step_length=1050.0,
            )
        )
    builder.add(
        _message(
            EventMessage,
            event=Event.TIMER,
            event_type=EventType.STOP_ALL,
            timestamp=(START + seconds - 1) * 1000,
        )
    )
    builder.add(
        _message(
            SessionMessage,
            timestamp=(START + seconds - 1) * 1000,
            start_time=START * 1000,
            sport=Sport.RUNNING,
            sub_sport=SubSport.STREET,
            total_elapsed_time=seconds - 1.0,
            total_timer_time=seconds - 1.0,
            total_distance=3.1 * (seconds - 1),
        )
    )
    builder.add(
        _message(
            ActivityMessage,
            timestamp=(START + seconds - 1) * 1000,
            local_timestamp=START + seconds - 1 - FIT_EPOCH_UNIX_S + 7200,
            num_sessions=1,
        )
    )
    return builder.build().to_bytes()


WRITTEN_RUN = _written_run()


@pytest.mark.parametrize(
    ("choice", "data", "decoder"),
    [
        (None, WRITTEN_RUN, "fast"),
        ("fast", WRITTEN_RUN, "fast"),
        ("fitparse", WRITTEN_RUN, "fitparse"),
        (None, WRITTEN_RUN[:-2] + b"\x00\x00", "fitparse-fallback: the checksum does not match"),
    ],
)
def test_decoder_switch(
    monkeypatch: pytest.MonkeyPatch, choice: str | None, data: bytes, decoder: str
) -> None:
    if choice is None:
        monkeypatch.delenv(fit.DECODER_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(fit.DECODER_VARIABLE, choice)
    (run,) = fit.read_fit(data, "run.fit")
    assert run.decoder == decoder
    monkeypatch.setenv(fit.DECODER_VARIABLE, "fitparse")
    (by_fitparse,) = fit.read_fit(data, "run.fit")
    _assert_same_activities([by_fitparse], [run])


def test_fast_only_refuses_what_it_would_hand_to_fitparse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fit.DECODER_VARIABLE, "fast")
    with pytest.raises(FastPathDeclined, match=r"^crc\.fit: .*checksum does not match"):
        fit.read_fit(WRITTEN_RUN[:-2] + b"\x00\x00", "crc.fit")


def test_unknown_decoder_choice_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fit.DECODER_VARIABLE, "numpy")
    with pytest.raises(ConfigError, match=r"STRIDEWISE_FIT_DECODER must be auto, fast or fitparse"):
        fit.read_fit(WRITTEN_RUN, "run.fit")


def test_record_columns_behave_as_the_list_of_dicts() -> None:
    expected, got = _both(WRITTEN_RUN)
    records, dicts = got.records, list(expected.records)
    assert len(records) == len(dicts) == 20
    assert records[0] == dicts[0] and records[-1] == dicts[-1]
    assert records[3:7] == dicts[3:7]
    assert list(iter(records)) == dicts
    with pytest.raises(IndexError):
        records[20]


# --- damaged files ------------------------------------------------------------------------------


def _with_fresh_checksums(data: bytearray) -> bytes:
    """The file with its data size and both checksums made to fit whatever the bytes now are."""
    header_size = data[0] if data else 0
    if header_size not in (12, 14) or len(data) < header_size + 2:
        return bytes(data)
    struct.pack_into("<I", data, 4, len(data) - header_size - 2)
    if header_size == 14:
        struct.pack_into("<H", data, 12, fitparse.records.Crc.calculate(bytes(data[:12])))
    struct.pack_into("<H", data, len(data) - 2, fitparse.records.Crc.calculate(bytes(data[:-2])))
    return bytes(data)


def _assert_declines_or_agrees(data: bytes) -> None:
    """The bulk decoder raises only StridewiseErrors, and when it accepts, fitparse agrees."""
    try:
        got = fit_bulk.decode_messages(data, "file.fit")
    except FastPathDeclined as declined:
        assert str(declined).startswith("file.fit: ") and "\n" not in str(declined)
        return
    except SkippedFile as skipped:
        expected = _decode(fit._decode_messages, data)
        assert isinstance(expected, SkippedFile) and str(expected) == str(skipped)
        return
    expected = _decode(fit._decode_messages, data)
    assert not isinstance(expected, StridewiseError), expected
    _assert_same_messages(expected, got)


def _mutations(original: bytes) -> st.SearchStrategy[bytes]:
    """Damaged copies of ``original``.

    "values": a few bits flipped past the header, checksums recomputed, so that most copies are
    well-formed files with other values (the bulk decoder must accept them and agree); "cut": cut
    anywhere, the checksum kept, dropped or recomputed; "wild": both, checksums either way.
    """

    @st.composite
    def mutated(draw: st.DrawFn) -> bytes:
        data = bytearray(original)
        kind = draw(st.sampled_from(["values", "cut", "wild"]))
        if kind in ("cut", "wild"):
            cut = draw(st.integers(min_value=0, max_value=len(data) - 2))
            data = data[:cut] + data[-2:] if draw(st.booleans()) else data[:cut]
        if kind in ("values", "wild"):
            for _ in range(draw(st.integers(min_value=1, max_value=3))):
                if len(data) > 16:
                    position = draw(st.integers(min_value=data[0], max_value=len(data) - 3))
                    data[position] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        if kind == "values" or draw(st.booleans()):
            return _with_fresh_checksums(data)
        return bytes(data)

    return mutated()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations(WRITTEN_RUN))
def test_damaged_written_file_is_declined_or_decoded_as_fitparse_does(data: bytes) -> None:
    _assert_declines_or_agrees(data)


REAL_SMALL_FILE = "activity/fitparse/garmin-fenix-5-run.fit"  # running dynamics, unknown fields


@pytest.mark.skipif(REAL is None, reason="the real device files are not present")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_real_file_is_declined_or_decoded_as_fitparse_does(data: st.DataObject) -> None:
    _assert_declines_or_agrees(data.draw(_mutations(_bytes(REAL_SMALL_FILE))))
