"""Bulk FIT decoder: every record message decoded at once with numpy, values identical to fitparse.

fitparse decodes one field of one message at a time in Python, about 150 µs a record, and a
one-hour run has 3,600 records. This decoder walks the message headers once in Python, collecting
the byte positions of the data messages of each definition, then decodes each field of all the
record messages of one definition at once through a numpy structured view of those bytes. Scale,
offset, enum names, components, sub-fields and invalid values all come from fitparse's own profile
(``fitparse.profile``, ``fitparse.records.BASE_TYPES``), so the values are fitparse's, bit for bit.
The few other messages the mapping needs (file_id, session, event, activity, sport, and the
developer-data messages that say how wide developer fields are) are decoded one at a time during
the same walk, by a Python transcription of fitparse's own steps.

Records come back as ``RecordColumns``: a sequence of the same dicts fitparse gives (materialised
on first use) that also answers the FIT mapping's column questions without building them.

Anything this decoder does not reproduce exactly — a checksum mismatch, truncation, an undefined
local message type, a field size that is not a multiple of its base type, a component it cannot
expand in bulk — raises ``FastPathDeclined``; the caller then decodes that file with fitparse.
Decoding plans are cached by definition bytes across files, so a file of a known device costs
little more than its walk.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

import numpy as np
from fitparse.profile import FIELD_TYPE_TIMESTAMP, MESSAGE_TYPES
from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES, BaseType

from stridewise.errors import StridewiseError
from stridewise.importers.fit_messages import FIRST_REAL_FIT_TIME, FitMessages, file_message


class FastPathDeclined(StridewiseError):
    """The bulk decoder cannot promise fitparse's values for this file; decode it with fitparse."""

    def __init__(self, source_name: str, reason: str) -> None:
        super().__init__(f"{source_name}: the fast FIT decoder cannot read this file ({reason})")
        self.reason = reason


class _Decline(Exception):
    """Raised inside the decoder; turned into ``FastPathDeclined`` naming the file."""


def decode_messages(data: bytes, source_name: str) -> FitMessages:
    """Decode the messages the FIT mapping needs, exactly as fitparse would.

    Raises ``SkippedFile`` at the first ``file_id`` of a file that is not an activity (before any
    record is decoded) and ``FastPathDeclined`` (with a reason in words) for any file whose
    decoding by fitparse would differ from a clean, complete read: checksum mismatch, truncation,
    damage, or a layout this decoder does not handle in bulk.
    """
    try:
        return _Decoder(bytes(data), source_name).run()
    except _Decline as declined:
        raise FastPathDeclined(source_name, str(declined)) from declined


# --- base types, from fitparse ------------------------------------------------------------------

#: struct format character -> numpy type code (how the two libraries name types; not a profile).
_NUMPY_OF_STRUCT = {
    "b": "i1",
    "B": "u1",
    "h": "i2",
    "H": "u2",
    "i": "i4",
    "I": "u4",
    "q": "i8",
    "Q": "u8",
    "f": "f4",
    "d": "f8",
}


def _invalid_raw_value(base: BaseType) -> int | None:
    """The raw value fitparse's parser for ``base`` reads as missing (None for floats: NaN).

    Probed from fitparse's own parse function so that no sentinel is copied by hand.
    """
    if base.fmt in "fd":
        if base.parse(math.nan) is not None:
            raise RuntimeError(f"fitparse reads NaN {base.name} as a value")
        return None
    bits = 8 * base.size
    candidates = (0, 2 ** (bits - 1) - 1, 2**bits - 1)
    invalid = [value for value in candidates if base.parse(value) is None]
    if len(invalid) != 1:
        raise RuntimeError(f"cannot tell fitparse's invalid value of {base.name}")
    return invalid[0]


class _Base:
    """What the decoder needs to know about one fitparse base type."""

    __slots__ = ("base", "invalid", "is_byte", "is_float", "is_string", "numpy_code", "size")

    def __init__(self, base: BaseType) -> None:
        self.base = base
        self.size = base.size
        self.is_byte = base is BASE_TYPE_BYTE
        self.is_string = base.fmt == "s"
        self.is_float = base.fmt in "fd"
        self.numpy_code = _NUMPY_OF_STRUCT.get(base.fmt)
        self.invalid = None if (self.is_byte or self.is_string) else _invalid_raw_value(base)


_BASES = {number: _Base(base) for number, base in BASE_TYPES.items()}
#: fitparse reads a field of an unknown base type, or a developer field never described, as bytes.
_BYTE = next(base for base in _BASES.values() if base.is_byte)


# --- checksum ------------------------------------------------------------------------------------


def _crc_byte_table() -> np.ndarray:
    """FIT's CRC-16 (reflected polynomial 0xA001, initial value 0) one byte at a time."""
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ 0xA001, table >> 1)
    return table.astype(np.uint16)


_CRC_BYTE = _crc_byte_table()
_CRC_BYTE_LIST = _CRC_BYTE.tolist()


def _crc_word_table() -> np.ndarray:
    """The CRC after two bytes, as a function of (CRC xor the two bytes read little-endian)."""
    state = np.arange(65536, dtype=np.uint32)
    table = _CRC_BYTE.astype(np.uint32)
    low = table[state & 0xFF]
    return ((low >> 8) ^ table[((state >> 8) ^ low) & 0xFF]).astype(np.uint16)


_CRC_WORD = _crc_word_table()

#: Words each chunk's CRC runs over in the vectorised checksum; chunks run side by side.
_CRC_CHUNK_WORDS = 16

_CRC_SHIFT_TABLES: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _crc_python(data: bytes | memoryview, crc: int = 0) -> int:
    table = _CRC_BYTE_LIST
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _crc_shift_tables(zero_bytes: int) -> tuple[np.ndarray, np.ndarray]:
    """Tables that advance a CRC over ``zero_bytes`` zero bytes (a linear map on 16 bits)."""
    tables = _CRC_SHIFT_TABLES.get(zero_bytes)
    if tables is not None:
        return tables
    images = []
    for bit in range(16):
        crc = 1 << bit
        if zero_bytes % 2 == 0 and zero_bytes // 2 in _CRC_SHIFT_TABLES:
            low, high = _CRC_SHIFT_TABLES[zero_bytes // 2]
            for _ in range(2):
                crc = int(low[crc & 0xFF] ^ high[crc >> 8])
        else:
            for _ in range(zero_bytes):
                crc = (crc >> 8) ^ _CRC_BYTE_LIST[crc & 0xFF]
        images.append(crc)
    bits = (np.arange(256)[:, None] >> np.arange(8)) & 1
    image_array = np.array(images, dtype=np.uint16)
    low = np.bitwise_xor.reduce(np.where(bits, image_array[:8], 0), axis=1).astype(np.uint16)
    high = np.bitwise_xor.reduce(np.where(bits, image_array[8:], 0), axis=1).astype(np.uint16)
    _CRC_SHIFT_TABLES[zero_bytes] = (low, high)
    return low, high


def fit_crc(data: bytes | memoryview) -> int:
    """FIT CRC-16 of ``data``, as fitparse's ``Crc.calculate`` computes it.

    Long inputs are cut into chunks whose CRCs numpy computes side by side, two bytes a step, then
    combined pairwise (the CRC is linear: CRC(a‖b) = CRC(a) advanced over len(b) zeros ^ CRC(b)).
    Leading zero bytes do not change a CRC that starts at 0, so the input is padded in front.
    """
    size = len(data)
    if size < 4 * _CRC_CHUNK_WORDS * 2:
        return _crc_python(data)
    words_needed = (size + 1) // 2
    chunks = -(-words_needed // _CRC_CHUNK_WORDS)
    padded = np.zeros(chunks * _CRC_CHUNK_WORDS * 2, dtype=np.uint8)
    padded[len(padded) - size :] = np.frombuffer(data, dtype=np.uint8)
    columns = padded.view("<u2").reshape(chunks, _CRC_CHUNK_WORDS).T.copy()
    crcs = np.zeros(chunks, dtype=np.uint16)
    state = np.empty(chunks, dtype=np.uint16)
    for column in columns:  # in place: no new arrays in the loop
        np.bitwise_xor(crcs, column, out=state)
        _CRC_WORD.take(state, out=crcs)
    block = _CRC_CHUNK_WORDS * 2
    while len(crcs) > 1:
        if len(crcs) % 2:
            crcs = np.concatenate((np.zeros(1, dtype=np.uint16), crcs))
        low, high = _crc_shift_tables(block)
        left, right = crcs[0::2], crcs[1::2]
        crcs = low[left & 0xFF] ^ high[left >> 8] ^ right
        block *= 2
    return int(crcs[0])


# --- definitions and decoding plans ---------------------------------------------------------------

#: Data-message header byte -> slot of the local message type it refers to (16 + local type for a
#: compressed-timestamp header), -1 for a definition message. Bits fitparse ignores are ignored.
_HEADER_SLOT = tuple(
    16 + ((header >> 5) & 0x3) if header & 0x80 else (-1 if header & 0x40 else header & 0xF)
    for header in range(256)
)

_TIMESTAMP_NUMBER = FIELD_TYPE_TIMESTAMP.def_num

#: Messages the mapping reads.
_FILE_ID, _SPORT, _SESSION, _RECORD, _EVENT, _ACTIVITY = 0, 12, 18, 20, 21, 34
_FIELD_DESCRIPTION, _DEVELOPER_DATA_ID = 206, 207
_COLLECTED = {_SPORT: "sport", _SESSION: "session", _EVENT: "event", _ACTIVITY: "activity"}

#: Kinds of raw field value, as fitparse reads them.
_SCALAR, _ARRAY, _BYTES, _STRING = "scalar", "array", "bytes", "string"


class _FieldPlan:
    """One field of a definition: where its bytes are and how fitparse reads them."""

    __slots__ = (
        "base",
        "count",
        "def_num",
        "field",
        "kind",
        "name",
        "offset",
        "size",
        "unpacked",
    )

    def __init__(self, def_num: int, offset: int, size: int, base: _Base, field: Any) -> None:
        self.def_num = def_num
        self.offset = offset
        self.size = size
        self.base = base
        self.field = field  # fitparse profile Field, or None for a field the profile lacks
        self.name = field.name if field is not None else f"unknown_{def_num}"
        self.count = size // base.size
        if base.is_byte:
            self.kind, self.unpacked = _BYTES, size
        elif base.is_string:
            self.kind, self.unpacked = _STRING, 1
        else:
            self.kind = _SCALAR if self.count == 1 else _ARRAY
            self.unpacked = self.count


class _Plan:
    """How to decode the data messages of one definition; cached by the definition's bytes."""

    def __init__(self, header: int, body: bytes, dev_bases: tuple[_Base, ...]) -> None:
        self.big_endian = body[0] != 0  # fitparse: any non-zero architecture byte is big-endian
        endian = ">" if self.big_endian else "<"
        (self.mesg_num,) = struct.unpack_from(endian + "H", body, 1)
        self.mesg_type = MESSAGE_TYPES.get(self.mesg_num)
        self.name = self.mesg_type.name if self.mesg_type is not None else None
        self.problem: str | None = None  # why the decoder declines a file with this definition
        self.fields: list[_FieldPlan] = []
        offset = 0
        count = body[3]
        for index in range(count):
            def_num, size, base_number = body[4 + 3 * index : 7 + 3 * index]
            base = _BASES.get(base_number, _BYTE)
            field = self.mesg_type.fields.get(def_num) if self.mesg_type is not None else None
            if size == 0:
                self.problem = f"a field of {self._label()} has no bytes"
            elif size % base.size:
                self.problem = (
                    f"field {def_num} of {self._label()} is {size} bytes, "
                    f"not a whole number of {base.base.name}"
                )
            self.fields.append(_FieldPlan(def_num, offset, size, base, field))
            offset += size
        self.dev_numbers: list[int] = []
        if header & 0x20:
            dev_start = 4 + 3 * count
            for index in range(body[dev_start]):
                def_num, size = body[dev_start + 1 + 3 * index : dev_start + 3 + 3 * index]
                base = dev_bases[index]
                if size == 0 or size % base.size:
                    self.problem = f"a developer field of {self._label()} has a size it cannot have"
                self.dev_numbers.append(def_num)
                offset += size
        self.size = offset
        self.length = offset + 1  # with the header byte
        self._plan_timestamp()
        self._plan_components()
        self.struct = struct.Struct(
            endian + "".join(self._struct_code(field) for field in self.fields)
        )
        starts = np.cumsum([0] + [field.unpacked for field in self.fields]).tolist()
        self.slices = [(starts[i], starts[i + 1]) for i in range(len(self.fields))]
        self.dtype = np.dtype(
            {
                "names": [f"f{index}" for index in range(len(self.fields))],
                "formats": [self._numpy_code(field, endian) for field in self.fields],
                "offsets": [field.offset for field in self.fields],
                "itemsize": max(self.size, 1),
            }
        )
        self.bulk_program: list[_Source] | None = None
        self.bulk_problem: str | None = None

    def _label(self) -> str:
        return self.name or f"message {self.mesg_num}"

    def _plan_timestamp(self) -> None:
        """Which field carries the time a compressed-timestamp header counts from."""
        stamps = [i for i, field in enumerate(self.fields) if field.def_num == _TIMESTAMP_NUMBER]
        self.timestamp_index = stamps[0] if len(stamps) == 1 else None
        self.timestamp_problem = None
        if len(stamps) > 1 or _TIMESTAMP_NUMBER in self.dev_numbers:
            self.timestamp_problem = f"{self._label()} carries several timestamp fields"
        elif stamps:
            field = self.fields[stamps[0]]
            if field.kind != _SCALAR or field.base.is_float:
                self.timestamp_problem = f"the timestamp of {self._label()} is not a whole number"

    def _plan_components(self) -> None:
        """Accumulating components: fitparse restarts them at 0 at every such definition."""
        self.accumulated: list[int] = []
        for field in self.fields:
            for component in getattr(field.field, "components", None) or ():
                if component.accumulate:
                    self.accumulated.append(component.def_num)

    @staticmethod
    def _struct_code(field: _FieldPlan) -> str:
        if field.kind == _BYTES:
            return f"{field.size}B"
        if field.kind == _STRING:
            return f"{field.size}s"
        return f"{field.count}{field.base.base.fmt}"

    @staticmethod
    def _numpy_code(field: _FieldPlan, endian: str) -> Any:
        if field.kind in (_BYTES, _STRING):
            return ("u1", (field.size,))
        code = endian + field.base.numpy_code
        return code if field.kind == _SCALAR else (code, (field.count,))


_PLAN_CACHE: dict[tuple[Any, ...], _Plan] = {}
_PLAN_CACHE_LIMIT = 4096


def _plan_for(header: int, body: bytes, dev_bases: tuple[_Base, ...]) -> _Plan:
    key = (header & 0x20, body, tuple(id(base) for base in dev_bases))
    plan = _PLAN_CACHE.get(key)
    if plan is None:
        if len(_PLAN_CACHE) >= _PLAN_CACHE_LIMIT:
            _PLAN_CACHE.clear()
        plan = _PLAN_CACHE[key] = _Plan(header, body, dev_bases)
    return plan


# --- one message at a time, as fitparse does it ---------------------------------------------------


def _scale_offset(field: Any, raw: Any) -> Any:
    """fitparse's ``_apply_scale_offset``: ``float(raw) / scale - offset`` when the profile says."""
    if isinstance(raw, tuple):
        return tuple(_scale_offset(field, value) for value in raw)
    if isinstance(raw, (int, float)):
        if field.scale:
            raw = float(raw) / field.scale
        if field.offset:
            raw = raw - field.offset
    return raw


def _accumulate(raw: int, accumulated: int, bits: int) -> int:
    """fitparse's ``_apply_compressed_accumulation``: a rolling counter of ``bits`` bits."""
    top = 1 << bits
    mask = top - 1
    value = raw + (accumulated & ~mask)
    if raw < (accumulated & mask):
        value += top
    return value


def _raw_values(plan: _Plan, data: bytes, position: int) -> list[Any]:
    """The parsed raw value of each (non-developer) field, None where invalid."""
    flat = plan.struct.unpack_from(data, position + 1)
    values = []
    for field, (start, stop) in zip(plan.fields, plan.slices, strict=True):
        parse = field.base.base.parse
        if field.kind == _SCALAR or field.kind == _STRING:
            values.append(parse(flat[start]))
        elif field.kind == _BYTES:
            values.append(parse(flat[start:stop]))
        else:
            values.append(tuple(parse(value) for value in flat[start:stop]))
    return values


def _resolve_subfield(field: Any, plan: _Plan, raws: list[Any]) -> Any:
    """fitparse's ``_resolve_subfield``: the sub-field whose reference field has its value."""
    for sub_field in field.subfields or ():
        for reference in sub_field.ref_fields:
            for field_plan, raw in zip(plan.fields, raws, strict=True):
                if field_plan.def_num == reference.def_num and reference.raw_value == raw:
                    return sub_field
    return field


def _message_pairs(
    plan: _Plan,
    data: bytes,
    position: int,
    accumulators: dict[int, dict[int, int]],
    timestamp: int | None,
) -> list[tuple[str, Any]]:
    """(name, value) of each field fitparse reports for one message, in fitparse's order.

    ``timestamp`` is the compressed header's time, if any. Where fitparse's own steps raise (an
    array where a number belongs, say), fitparse stops reading the file: declined.
    """
    try:
        return _fitparse_steps(plan, data, position, accumulators, timestamp)
    except _Decline:
        raise
    except Exception as exc:
        raise _Decline(
            f"a {plan.name} message fitparse cannot read ({type(exc).__name__})"
        ) from exc


def _fitparse_steps(
    plan: _Plan,
    data: bytes,
    position: int,
    accumulators: dict[int, dict[int, int]],
    timestamp: int | None,
) -> list[tuple[str, Any]]:
    """A transcription of fitparse's ``_parse_data_message_components`` for one message.

    Components come before their field, the compressed header's timestamp last.
    """
    raws = _raw_values(plan, data, position)
    pairs: list[tuple[str, Any]] = []
    for field_plan, raw in zip(plan.fields, raws, strict=True):
        field = field_plan.field
        if field is None:
            pairs.append((field_plan.name, raw))
            continue
        field = _resolve_subfield(field, plan, raws)
        for component in field.components or ():
            try:
                component_raw = component.render(raw)
            except ValueError:  # fitparse skips a component the raw value is too short for
                continue
            if component.accumulate and component_raw is not None:
                counters = accumulators.get(plan.mesg_num, {})
                if component.def_num not in counters:
                    raise _Decline(f"an accumulated component of {plan.name} was never started")
                component_raw = _accumulate(
                    component_raw, counters[component.def_num], component.bits
                )
                counters[component.def_num] = component_raw
            component_raw = _scale_offset(component, component_raw)
            target = _resolve_subfield(plan.mesg_type.fields[component.def_num], plan, raws)
            pairs.append((target.name, target.render(component_raw)))
        pairs.append((field.name, _scale_offset(field, field.render(raw))))
    if timestamp is not None:
        pairs.append((FIELD_TYPE_TIMESTAMP.name, FIELD_TYPE_TIMESTAMP.render(timestamp)))
    return pairs


def _plain(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``fit._plain_values``: valid values by name, a later value of the same name winning."""
    return {name: value for name, value in pairs if value is not None}


# --- many messages of one definition at once ----------------------------------------------------


class _Source:
    """One value fitparse reports for every message of a definition: a field or a component."""

    __slots__ = ("component", "field_index", "name", "target")

    def __init__(self, name: str, field_index: int, component: Any = None, target: Any = None):
        self.name = name
        self.field_index = field_index
        self.component = component
        self.target = target


def _bulk_program(plan: _Plan) -> list[_Source]:
    """The sources of a definition's values in fitparse's order; raises _Decline if not bulk."""
    if plan.bulk_program is not None:
        return plan.bulk_program
    if plan.bulk_problem is not None:
        raise _Decline(plan.bulk_problem)
    program: list[_Source] = []
    try:
        for index, field_plan in enumerate(plan.fields):
            field = field_plan.field
            if field is not None and field.subfields:
                raise _Decline(f"{plan.name} has sub-fields")
            for component in (field.components or ()) if field is not None else ():
                target = plan.mesg_type.fields[component.def_num]
                if target.subfields:  # (fitparse renders a component's target, nothing more)
                    raise _Decline(f"a component of {plan.name} has sub-fields")
                program.append(_Source(target.name, index, component, target))
            program.append(_Source(field_plan.name, index))
    except _Decline as declined:
        plan.bulk_problem = str(declined)
        raise
    plan.bulk_program = program
    return program


class _Column:
    """Values of one name for every message: a numpy array and where they are valid (not None).

    The array is int64 where every valid value is a Python int, float64 where every one is a
    float, else object (names, tuples, strings, mixed).
    """

    __slots__ = ("valid", "values")

    def __init__(self, values: np.ndarray, valid: np.ndarray) -> None:
        self.values = values
        self.valid = valid

    def take(self, order: np.ndarray) -> _Column:
        return _Column(self.values[order], self.valid[order])


def _object_array(items: list[Any]) -> np.ndarray:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _as_int64(raw: np.ndarray) -> np.ndarray:
    if raw.dtype.kind == "u" and raw.dtype.itemsize == 8:
        return _object_array(raw.tolist())  # beyond int64: keep Python ints
    return raw.astype(np.int64)


def _render(field: Any, values: np.ndarray) -> np.ndarray:
    """Enum names where the profile has them (fitparse's ``render``), as an object array."""
    names = field.type.values
    return _object_array([names.get(value, value) for value in values.tolist()])


def _scaled(scale: Any, offset: Any, values: np.ndarray) -> np.ndarray:
    """``_scale_offset`` for a numeric array: float64 once scaled, integers only offset."""
    if scale:
        values = values.astype(np.float64) / scale
    if offset:
        values = values - offset
    return values


def _numeric_column(field: Any, raw: np.ndarray) -> np.ndarray:
    """Values of a scalar numeric field (``field`` None for a field the profile lacks)."""
    values = raw.astype(np.float64) if raw.dtype.kind == "f" else _as_int64(raw)
    if field is None:
        return values
    if field.type.values:
        rendered = _render(field, values)
        return _object_array([_scale_offset(field, value) for value in rendered.tolist()])
    if values.dtype == object:
        return _object_array([_scale_offset(field, value) for value in values.tolist()])
    return _scaled(field.scale, field.offset, values)


def _parse_rows(field_plan: _FieldPlan, raw: np.ndarray) -> tuple[list[Any], np.ndarray]:
    """Raw values of an array, byte or string field per message, parsed by fitparse's parser."""
    parse = field_plan.base.base.parse
    if field_plan.kind == _STRING:
        parsed = [parse(bytes(row)) for row in raw]
    elif field_plan.kind == _BYTES:
        parsed = [parse(tuple(row)) for row in raw.tolist()]
    else:
        parsed = [tuple(parse(value) for value in row) for row in raw.tolist()]
    valid = np.array([value is not None for value in parsed], dtype=bool)
    return parsed, valid


def _scalar_valid(field_plan: _FieldPlan, raw: np.ndarray) -> np.ndarray:
    """Where a scalar numeric field is not its base type's invalid value (NaN for floats)."""
    return ~np.isnan(raw) if field_plan.base.is_float else raw != field_plan.base.invalid


def _field_column(field_plan: _FieldPlan, raw: np.ndarray) -> _Column:
    field = field_plan.field
    if field_plan.kind == _SCALAR:
        return _Column(_numeric_column(field, raw), _scalar_valid(field_plan, raw))
    parsed, valid = _parse_rows(field_plan, raw)
    if field is not None:
        parsed = [_scale_offset(field, field.render(value)) for value in parsed]
    return _Column(_object_array(parsed), valid)


def _component_column(
    source: _Source, field_plan: _FieldPlan, raw: np.ndarray, plan: _Plan
) -> _Column | None:
    """A component expanded for every message; None when it yields nothing anywhere."""
    component = source.component
    if field_plan.kind == _SCALAR:
        valid = _scalar_valid(field_plan, raw)
    else:
        valid = _parse_rows(field_plan, raw)[1]
    if not valid.any():
        return None  # a None raw value expands to None values, which fitparse's dict drops
    if component.accumulate:
        raise _Decline(f"{plan.name} has accumulated components")
    if field_plan.kind != _SCALAR or field_plan.base.is_float:
        raise _Decline(f"{plan.name} has a component of a {field_plan.base.base.name} array")
    values = (_as_int64(raw) >> component.bit_offset) & ((1 << component.bits) - 1)
    values = _scaled(component.scale, component.offset, values)
    if source.target.type.values:
        values = _render(source.target, values)
    return _Column(values, valid)


def _merge(earlier: _Column, later: _Column) -> _Column:
    """A later value of the same name replaces an earlier one where it is valid."""
    if earlier.values.dtype == later.values.dtype:
        values = np.where(later.valid, later.values, earlier.values)
    else:
        values = np.where(later.valid, later.values.astype(object), earlier.values.astype(object))
    return _Column(values, earlier.valid | later.valid)


def _bulk_columns(plan: _Plan, rows: np.ndarray, stamps: np.ndarray | None) -> dict[str, _Column]:
    """Every value fitparse reports for messages ``rows`` (structured array), by name.

    ``stamps`` are the compressed headers' times (-1 where a message has a normal header).
    """
    columns: dict[str, _Column] = {}
    for source in _bulk_program(plan):
        field_plan = plan.fields[source.field_index]
        raw = rows[f"f{source.field_index}"]
        if source.component is None:
            column = _field_column(field_plan, raw)
        else:
            column = _component_column(source, field_plan, raw, plan)
            if column is None:
                continue
        known = columns.get(source.name)
        columns[source.name] = column if known is None else _merge(known, column)
    if stamps is not None:
        stamped = stamps >= 0
        if stamped.any():
            column = _Column(stamps, stamped)
            if FIELD_TYPE_TIMESTAMP.type.values:
                column = _Column(_render(FIELD_TYPE_TIMESTAMP, stamps), stamped)
            known = columns.get(FIELD_TYPE_TIMESTAMP.name)
            columns[FIELD_TYPE_TIMESTAMP.name] = column if known is None else _merge(known, column)
    return columns


def _columns_from_dicts(messages: list[dict[str, Any]]) -> dict[str, _Column]:
    """Columns of dicts decoded one at a time, typed as ``_Column`` wants."""
    names: dict[str, None] = {}
    for message in messages:
        names.update(dict.fromkeys(message))
    columns = {}
    for name in names:
        items = [message.get(name) for message in messages]
        valid = np.array([item is not None for item in items], dtype=bool)
        kinds = {type(item) for item, ok in zip(items, valid, strict=True) if ok}
        if kinds == {int} and all(-(2**63) <= item < 2**63 for item in items if item is not None):
            values = np.array([0 if item is None else item for item in items], dtype=np.int64)
        elif kinds == {float}:
            values = np.array([math.nan if item is None else item for item in items])
        else:
            values = _object_array(items)
        columns[name] = _Column(values, valid)
    return columns


def _concatenate(parts: list[tuple[int, dict[str, _Column]]]) -> dict[str, _Column]:
    """Columns of several groups of messages, one after the other (``parts``: (rows, columns))."""
    if len(parts) == 1:
        return parts[0][1]
    names: dict[str, None] = {}
    for _, columns in parts:
        names.update(dict.fromkeys(columns))
    merged = {}
    for name in names:
        present = [columns[name] for _, columns in parts if name in columns]
        dtypes = {column.values.dtype for column in present}
        dtype = dtypes.pop() if len(dtypes) == 1 else np.dtype(object)
        values, valid = [], []
        for rows, columns in parts:
            column = columns.get(name)
            if column is None:
                values.append(np.zeros(rows, dtype=dtype))
                valid.append(np.zeros(rows, dtype=bool))
            else:
                values.append(column.values.astype(dtype, copy=False))
                valid.append(column.valid)
        merged[name] = _Column(np.concatenate(values), np.concatenate(valid))
    return merged


# --- the records, as columns ----------------------------------------------------------------------

#: FIT times below this are seconds since the device powered on, not dates [s] (as fit.py says).
class RecordColumns(Sequence):
    """The record messages of a FIT file: fitparse's dicts, kept as columns until asked for.

    Indexing and iteration give exactly the dicts fitparse's decoding gives (built once, on first
    use); the methods below answer the FIT mapping's questions straight from the columns.
    """

    def __init__(self, columns: dict[str, _Column], length: int) -> None:
        self._columns = columns
        self._length = length
        self._dicts: list[dict[str, Any]] | None = None

    # -- the sequence of dicts

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            if index.indices(self._length) == (0, self._length, 1):
                return self
            return self._take(np.arange(self._length)[index])
        if self._dicts is not None:
            return self._dicts[index]
        if not -self._length <= index < self._length:
            raise IndexError("record index out of range")
        return self._take(np.array([index % self._length])).to_dicts()[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.to_dicts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (RecordColumns, list)):
            return self.to_dicts() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RecordColumns({self._length} records, fields {sorted(self._columns)})"

    def to_dicts(self) -> list[dict[str, Any]]:
        """The records as fitparse's dicts (valid values only), built once."""
        if self._dicts is None:
            self._dicts = _dicts_of(self._columns, self._length)
        return self._dicts

    def _take(self, rows: np.ndarray) -> RecordColumns:
        columns = {name: column.take(rows) for name, column in self._columns.items()}
        return RecordColumns(columns, len(rows))

    # -- what the mapping asks

    def real_time_mask(self) -> np.ndarray:
        """Records whose timestamp is a whole number at or after the first real FIT time."""
        column = self._columns.get("timestamp")
        if column is None:
            return np.zeros(self._length, dtype=bool)
        if column.values.dtype == np.int64:
            return column.valid & (column.values >= FIRST_REAL_FIT_TIME)
        return np.array(
            [
                ok and type(value) is int and value >= FIRST_REAL_FIT_TIME
                for value, ok in zip(column.values.tolist(), column.valid.tolist(), strict=True)
            ],
            dtype=bool,
        )

    def real_time_sorted(self) -> RecordColumns:
        """The records with a real time, in time order (stable, as ``sorted`` is)."""
        real = self.real_time_mask()
        times = self.timestamps()
        if real.all() and (np.diff(times) >= 0).all():
            return self  # what devices write: every record timed, in order
        rows = np.flatnonzero(real)
        return self._take(rows[np.argsort(times[rows], kind="stable")])

    def timestamps(self) -> np.ndarray:
        """Timestamps as int64 [FIT s]; only meaningful where ``real_time_mask`` holds."""
        column = self._columns.get("timestamp")
        if column is None:
            return np.zeros(self._length, dtype=np.int64)
        if column.values.dtype == np.int64:
            return column.values
        mask = self.real_time_mask()
        return np.array(
            [value if ok else 0 for value, ok in zip(column.values.tolist(), mask, strict=True)],
            dtype=np.int64,
        )

    def numbers(self, names: tuple[str, ...]) -> np.ndarray:
        """Per record, the first of ``names`` with a value, as float (NaN where none is a number).

        Same as the mapping's per-dict loop: a present value that is not an int or float (a tuple,
        a name) gives NaN rather than falling through to the next name.
        """
        result = np.full(self._length, np.nan)
        taken = np.zeros(self._length, dtype=bool)
        for name in names:
            column = self._columns.get(name)
            if column is None:
                continue
            rows = column.valid & ~taken
            if column.values.dtype.kind in "if":
                result[rows] = column.values[rows]
            else:
                result[rows] = [
                    value if type(value) in (int, float) else math.nan
                    for value in column.values[rows].tolist()
                ]
            taken |= column.valid
        return result

    def first_position(self) -> tuple[float, float] | None:
        """Raw (position_lat, position_long) of the first record with both as numbers."""
        lat = self.numbers(("position_lat",))
        lon = self.numbers(("position_long",))
        both = np.flatnonzero(~np.isnan(lat) & ~np.isnan(lon))
        if not both.size:
            return None
        return float(lat[both[0]]), float(lon[both[0]])


def _dicts_of(columns: dict[str, _Column], length: int) -> list[dict[str, Any]]:
    """Build the dicts: rows with the same valid fields share one key tuple and one zip."""
    names = [name for name, column in columns.items() if column.valid.any()]
    if not names or not length:
        return [{} for _ in range(length)]
    lists = [columns[name].values.tolist() for name in names]
    valid = np.stack([columns[name].valid for name in names], axis=1)
    if valid.all():
        return [dict(zip(names, row, strict=True)) for row in zip(*lists, strict=True)]
    rows = list(zip(*lists, strict=True))
    if len(names) > 62:
        return [
            {name: value for name, value, ok in zip(names, row, flags, strict=True) if ok}
            for row, flags in zip(rows, valid.tolist(), strict=True)
        ]
    codes = valid.astype(np.int64) @ (np.int64(1) << np.arange(len(names), dtype=np.int64))
    patterns, which = np.unique(codes, return_inverse=True)
    dicts: list[dict[str, Any]] = [{}] * length
    for number, code in enumerate(patterns.tolist()):
        chosen = [i for i in range(len(names)) if code >> i & 1]
        keys = [names[i] for i in chosen]
        members = np.flatnonzero(which == number).tolist()
        if len(chosen) == 1:
            (only,) = chosen
            for row in members:
                dicts[row] = {keys[0]: rows[row][only]}
        elif chosen:
            pick = itemgetter(*chosen)
            for row in members:
                dicts[row] = dict(zip(keys, pick(rows[row]), strict=True))
        else:
            for row in members:
                dicts[row] = {}
    return dicts


# --- the walk ---------------------------------------------------------------------------------


class _Group:
    """The data messages of one definition in one FIT part: their byte positions."""

    __slots__ = ("_array", "plan", "positions")

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        self.positions: list[int] = []
        self._array: np.ndarray | None = None

    def array(self) -> np.ndarray:
        """The positions as int64 (once the walk has filed them all)."""
        if self._array is None:
            self._array = np.array(self.positions, dtype=np.int64)
        return self._array


class _Decoder:
    """One file: its parts (chained FIT files), walked once, then decoded by definition."""

    def __init__(self, data: bytes, source_name: str) -> None:
        self.data = data
        self.source_name = source_name
        self.bytes = np.frombuffer(data, dtype=np.uint8)
        self.result = FitMessages()
        # developer fields: data index -> field number -> base type (fitparse's dev_types), kept
        # across chained parts as fitparse keeps them
        self.dev_types: dict[Any, dict[Any, _Base]] = {}
        self.record_parts: list[tuple[int, dict[str, _Column]]] = []

    def run(self) -> FitMessages:
        if not self.data:
            raise _Decline("the file is empty")
        start = 0
        while start < len(self.data):
            start = self._part(start)
        self.result.records = self._records()
        return self.result

    # -- one FIT part: header, messages, checksum

    def _part(self, start: int) -> int:
        data = self.data
        if len(data) - start < 12 or data[start + 8 : start + 12] != b".FIT":
            raise _Decline("no FIT header where one should be")
        header_size = data[start]
        if header_size not in (12, 14):
            raise _Decline(f"a FIT header of {header_size} bytes")
        (data_size,) = struct.unpack_from("<I", data, start + 4)
        body = start + header_size
        end = body + data_size
        if end + 2 > len(data):
            raise _Decline("the file is truncated")
        if header_size == 14:
            (header_crc,) = struct.unpack_from("<H", data, start + 12)
            if header_crc and header_crc != _crc_python(data[start : start + 12]):
                raise _Decline("the header checksum does not match")
        groups = self._walk(body, end)
        (file_crc,) = struct.unpack_from("<H", data, end)
        if file_crc != fit_crc(memoryview(data)[start:end]):
            raise _Decline("the checksum does not match")
        self._decode_part(groups)
        return end + 2

    def _walk(self, start: int, end: int) -> list[_Group]:
        """Walk the messages of one part once, filing each data message under its definition.

        Returns the groups of messages (one per definition in use, in order of definition).
        """
        data = self.data
        slots = _HEADER_SLOT
        undefined = self._undefined
        appenders: list[Callable[[int], None]] = [undefined] * 32
        # the list.extend of a slot whose messages are only filed (not decoded during the walk)
        extenders: list[Callable[[range], None] | None] = [None] * 32
        lengths = [1] * 32
        self.groups: dict[int, _Group] = {}
        self.resets: list[tuple[int, _Plan]] = []
        self.compressed_seen = False
        self.stamped_now: list[tuple[int, _Plan]] = []  # decoded during the walk, with a field 253
        position = start
        while position < end:
            header = data[position]
            slot = slots[header]
            if slot >= 0:
                length = lengths[slot]
                after = position + length
                if (
                    after + 2 * length < end
                    and data[after] == header
                    and data[after + 2 * length] == header
                    and extenders[slot] is not None
                ):
                    # records come back to back: find the whole run at once
                    position = self._run(position, length, end, extenders[slot])
                    continue
                appenders[slot](position)
                position = after
            else:
                position = self._define(position, end, appenders, extenders, lengths)
        if position != end:
            raise _Decline("a message runs past the end of the data")
        return list(self.groups.values())

    def _run(self, position: int, length: int, end: int, extend: Callable[[range], None]) -> int:
        """File the run of messages with the same header byte, ``length`` bytes apart.

        The message-by-message walk would read exactly these: same header byte, same definition,
        same length. Windows grow by doubling, so a short run costs little.
        """
        header = self.data[position]
        start, window = position, 64
        while start < end:
            headers = self.bytes[start : min(end, start + window * length) : length]
            same = headers == header
            if not same.all():
                start += int(np.argmin(same)) * length
                break
            start += len(headers) * length
            window *= 2
        extend(range(position, start, length))
        return start

    def _undefined(self, position: int) -> None:
        raise _Decline(f"a data message at byte {position} uses an undefined local type")

    def _define(
        self,
        position: int,
        end: int,
        appenders: list[Callable[[int], None]],
        extenders: list[Callable[[range], None] | None],
        lengths: list[int],
    ) -> int:
        """Read a definition message; point its local type's slots at the right handler."""
        data = self.data
        header = data[position]
        if position + 6 > end:
            raise _Decline("a definition runs past the end of the data")
        fields_end = position + 6 + 3 * data[position + 5]
        definition_end = fields_end
        dev_bases: tuple[_Base, ...] = ()
        if header & 0x20:
            if fields_end >= end:
                raise _Decline("a definition runs past the end of the data")
            definition_end = fields_end + 1 + 3 * data[fields_end]
            if definition_end > end:
                raise _Decline("a definition runs past the end of the data")
            dev_bases = tuple(
                self._dev_base(data[at + 2], data[at])
                for at in range(fields_end + 1, definition_end, 3)
            )
        if definition_end > end:
            raise _Decline("a definition runs past the end of the data")
        plan = _plan_for(header, data[position + 2 : definition_end], dev_bases)
        if plan.problem is not None:
            # declined even if no message uses it: fitparse stops at some of these definitions
            raise _Decline(plan.problem)
        if plan.accumulated:
            self.resets.append((position, plan))
        local = header & 0xF
        group = self.groups.get(id(plan))
        if group is None:
            group = self.groups[id(plan)] = _Group(plan)
        extender = None
        if plan.mesg_num in (_FILE_ID, _FIELD_DESCRIPTION, _DEVELOPER_DATA_ID):
            handler = self._immediate(plan, end)
        else:
            handler, extender = group.positions.append, group.positions.extend
        appenders[local], extenders[local], lengths[local] = handler, extender, plan.length
        if local < 4:  # compressed-timestamp headers name local types 0-3 only
            slot = 16 + local
            appenders[slot], lengths[slot] = self._noting_compressed(handler), plan.length
        return definition_end

    def _noting_compressed(self, handler: Callable[[int], None]) -> Callable[[int], None]:
        def note_and_handle(position: int) -> None:
            self.compressed_seen = True
            handler(position)

        return note_and_handle

    def _dev_base(self, dev_data_index: int, field_number: int) -> _Base:
        """fitparse's ``get_dev_type`` (without developer-data checks): a missing one is bytes."""
        fields = self.dev_types.setdefault(dev_data_index, {})
        return fields.setdefault(field_number, _BYTE)

    def _immediate(self, plan: _Plan, end: int) -> Callable[[int], None]:
        """A handler that decodes a message as soon as the walk meets it (it changes the walk)."""

        def decode_now(position: int) -> None:
            if position + plan.length > end:
                raise _Decline("a message runs past the end of the data")
            if self.data[position] & 0x80:
                raise _Decline(f"{plan.name} with a compressed timestamp")
            if plan.accumulated:
                raise _Decline(f"{plan.name} with accumulated components")
            if plan.timestamp_index is not None or plan.timestamp_problem is not None:
                self.stamped_now.append((position, plan))
            values = _plain(_message_pairs(plan, self.data, position, {}, None))
            if plan.mesg_num == _FILE_ID:
                self._file("file_id", values)
            elif plan.mesg_num == _DEVELOPER_DATA_ID:
                self._developer_data_id(plan, position)
            else:
                self._field_description(plan, position)

        return decode_now

    def _raw_by_name(self, plan: _Plan, position: int, name: str) -> Any:
        """fitparse's ``get_raw_value``: the raw value of the first field of that name."""
        raws = _raw_values(plan, self.data, position)
        for field_plan, raw in zip(plan.fields, raws, strict=True):
            if field_plan.field is not None and field_plan.field.name == name:
                return raw
        return None

    def _developer_data_id(self, plan: _Plan, position: int) -> None:
        index = self._raw_by_name(plan, position, "developer_data_index")
        self.dev_types[index] = {}  # fitparse forgets the fields described before

    def _field_description(self, plan: _Plan, position: int) -> None:
        """fitparse's ``add_dev_field_description``, step for step (its failures declined)."""
        index = self._raw_by_name(plan, position, "developer_data_index")
        number = self._raw_by_name(plan, position, "field_definition_number")
        base_number = self._raw_by_name(plan, position, "fit_base_type_id")
        if index not in self.dev_types:
            self.dev_types[index] = {}
        try:
            fields = self.dev_types[int(index)]  # (an array or None fails in fitparse)
        except (TypeError, ValueError, OverflowError, KeyError) as exc:
            raise _Decline("a developer field description fitparse cannot read") from exc
        if base_number not in _BASES:
            raise _Decline("a developer field description of an unknown base type")
        fields[number] = _BASES[base_number]

    # -- after the walk: decode what the mapping needs

    def _decode_part(self, groups: list[_Group]) -> None:
        groups = [group for group in groups if group.positions]
        stamps = self._compressed_timestamps(groups)
        records = [group for group in groups if group.plan.mesg_num == _RECORD]
        one_by_one = [group for group in groups if group.plan.mesg_num in _COLLECTED]
        bulk = []
        for group in records:
            positions = group.array()
            rows = self._rows(group.plan, positions)
            try:
                columns = _bulk_columns(group.plan, rows, stamps.get(id(group)))
            except _Decline:
                one_by_one.append(group)  # components fitparse accumulates message by message
                continue
            bulk.append((positions, columns))
        record_dicts = self._one_by_one(one_by_one, stamps)
        if record_dicts:
            positions = np.array([position for position, _ in record_dicts], dtype=np.int64)
            bulk.append((positions, _columns_from_dicts([values for _, values in record_dicts])))
        if not bulk:
            return
        positions = np.concatenate([positions for positions, _ in bulk])
        columns = _concatenate([(len(positions), columns) for positions, columns in bulk])
        if len(bulk) > 1:
            order = np.argsort(positions, kind="stable")
            columns = {name: column.take(order) for name, column in columns.items()}
        self.record_parts.append((len(positions), columns))

    def _rows(self, plan: _Plan, positions: np.ndarray) -> np.ndarray:
        """The payload bytes of the messages at ``positions``, viewed as the plan's fields."""
        if plan.size == 0:
            return np.zeros(len(positions), dtype=plan.dtype)
        # messages back to back form runs: each run is a strided view of the file's bytes, no copy
        breaks = (np.flatnonzero(np.diff(positions) != plan.length) + 1).tolist()
        starts = [0, *breaks]
        stops = [*breaks, len(positions)]
        # (as plain bytes: numpy concatenates those faster than structured arrays)
        raw_dtype = plan.dtype if len(starts) == 1 else np.dtype((np.void, plan.size))
        runs = [
            np.ndarray(
                shape=(stop - start,),
                dtype=raw_dtype,
                buffer=self.data,
                offset=int(positions[start]) + 1,
                strides=(plan.length,),
            )
            for start, stop in zip(starts, stops, strict=True)
        ]
        return runs[0] if len(runs) == 1 else np.concatenate(runs).view(plan.dtype)

    def _compressed_timestamps(self, groups: list[_Group]) -> dict[int, np.ndarray]:
        """Times of compressed-timestamp messages by group (-1 where a header is normal).

        fitparse keeps one running time per part: every valid field 253 of any message sets it,
        and a compressed header's 5-bit offset rolls it forward.
        """
        if not self.compressed_seen:
            return {}
        compressed = {id(group): self.bytes[group.array()] >= 0x80 for group in groups}
        stamped = [(group.plan, group.array()) for group in groups]
        stamped += [(plan, np.array([position])) for position, plan in self.stamped_now]
        events: list[tuple[int, int, int]] = []  # (position, 0, timestamp) or (position, 1, offset)
        for plan, positions in stamped:
            events += self._full_timestamps(plan, positions)
        for group in groups:
            at = group.array()[compressed[id(group)]]
            offsets = self.bytes[at] & 0x1F
            events += zip(at.tolist(), [1] * len(at), offsets.tolist(), strict=True)
        events.sort()
        running = 0
        stamp_at = {}
        for position, kind, value in events:
            if kind == 0:
                running = value
            else:
                running = _accumulate(value, running, 5)
                stamp_at[position] = running
        stamps = {}
        for group in groups:
            if compressed[id(group)].any():
                stamps[id(group)] = np.array(
                    [stamp_at.get(position, -1) for position in group.positions], dtype=np.int64
                )
        return stamps

    def _full_timestamps(self, plan: _Plan, positions: np.ndarray) -> list[tuple[int, int, int]]:
        """(position, 0, timestamp) of the messages whose field 253 is valid."""
        if plan.timestamp_problem is not None:
            raise _Decline(plan.timestamp_problem)
        if plan.timestamp_index is None:
            return []
        field_plan = plan.fields[plan.timestamp_index]
        raw = self._rows(plan, positions)[f"f{plan.timestamp_index}"]
        valid = _scalar_valid(field_plan, raw)
        at = positions[valid].tolist()
        return list(zip(at, [0] * len(at), raw[valid].tolist(), strict=True))

    def _one_by_one(
        self, groups: list[_Group], stamps: dict[int, np.ndarray]
    ) -> list[tuple[int, dict[str, Any]]]:
        """Decode messages one at a time in file order, as fitparse does; file them.

        Accumulated components restart at 0 at each definition that has them, so those
        definitions' positions are replayed in order with the messages.
        """
        work: list[tuple[int, int, Any, int | None]] = []
        for group in groups:
            group_stamps = stamps.get(id(group))
            for index, position in enumerate(group.positions):
                stamp = None if group_stamps is None else int(group_stamps[index])
                work.append((position, 1, group.plan, None if stamp == -1 else stamp))
        if any(plan.accumulated for _, _, plan, _ in work):
            work += [(position, 0, plan, None) for position, plan in self.resets]
        work.sort(key=itemgetter(0, 1))
        accumulators: dict[int, dict[int, int]] = {}
        records = []
        for position, kind, plan, stamp in work:
            if kind == 0:
                counters = accumulators.setdefault(plan.mesg_num, {})
                counters.update(dict.fromkeys(plan.accumulated, 0))
                continue
            values = _plain(_message_pairs(plan, self.data, position, accumulators, stamp))
            if plan.mesg_num == _RECORD:
                records.append((position, values))
            else:
                self._file(_COLLECTED[plan.mesg_num], values)
        return records

    def _file(self, name: str, values: dict[str, Any]) -> None:
        """File a decoded non-record message as fitparse's path does (file_id may skip the file)."""
        file_message(name, values, self.result, self.source_name)

    def _records(self) -> RecordColumns:
        if not self.record_parts:
            return RecordColumns({}, 0)
        length = sum(rows for rows, _ in self.record_parts)
        return RecordColumns(_concatenate(self.record_parts), length)
