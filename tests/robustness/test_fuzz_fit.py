"""Fuzzing the FIT importer: every input ends in clean activities, a SkippedFile or another
StridewiseError naming the file; never another exception, a hang or an unbounded heap.

The long run is benchmarks/fuzz_importers.py; these are its bounded, derandomized CI part.
"""

from __future__ import annotations

import functools
import random
import struct
from datetime import UTC, datetime
from pathlib import Path

import fuzzing
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridewise.model import Activity
from stridewise.store import Store

#: Seeds of a few kilobytes: fitparse decodes about 4,000 messages a second, and the CI part of
#: the fuzzing must stay within its minute or two.
REPO_SEEDS = fuzzing.seed_files("fit", None, limit=12, size=4096)

#: numpy warns of overflow when absurd values (1e308) are summed; the oracle checks the outcome.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@functools.cache
def _real_seeds(real_dir: Path) -> list[tuple[str, bytes]]:
    return fuzzing.seed_files("fit", real_dir, limit=30, size=4096)


def _check(name: str, data: bytes, *, trace_memory: bool = True) -> fuzzing.Outcome:
    return fuzzing.check_input(
        data, name if name.endswith(".fit") else f"{name}.fit", trace_memory=trace_memory
    )


def _smallest_activity(seeds: list[tuple[str, bytes]], at_least: int) -> tuple[str, bytes]:
    """The smallest seed of at least ``at_least`` bytes that imports as an activity."""
    for name, data in seeds:
        if len(data) >= at_least and _check(name, data).kind == "activities":
            return name, data
    raise AssertionError("no FIT seed imports")


def test_walk_fit_finds_every_message_of_a_written_file() -> None:
    data = fuzzing.fit_file(random.Random(7), absurd=0.0)
    layout = fuzzing.walk_fit(data)
    assert layout.header_size == 14
    assert layout.messages[-1].offset + layout.messages[-1].length == layout.data_end
    assert layout.data_end == len(data) - 2  # the file CRC follows
    assert struct.unpack("<H", data[-2:])[0] == fuzzing.fit_crc(data[:-2])
    assert [m.global_number for m in layout.messages[:2]] == [0, 0]  # file_id: definition, data


def test_shortened_seed_keeps_its_session_and_imports() -> None:
    name, data = max(REPO_SEEDS, key=lambda seed: len(seed[1]))
    short = fuzzing.shorten_fit(data, 10)
    records = [m for m in fuzzing.walk_fit(short).messages if m.global_number == 20]
    assert sum(not m.definition for m in records) == 10
    assert _check(name, short).kind == "activities"


@pytest.mark.parametrize("at_least", [0, 2000])
def test_truncated_at_every_message_boundary(at_least: int) -> None:
    """Cut a file at every message boundary (and a byte either side): salvage or a clear error."""
    name, data = _smallest_activity(REPO_SEEDS, at_least)
    cuts = fuzzing.walk_fit(data).boundaries()
    assert len(cuts) > 20
    outcomes = set()
    for cut in cuts:
        for position in {cut - 1, cut, cut + 1} & set(range(len(data) + 1)):
            # the heap is bounded by the mutation tests; here time goes to the many cuts
            outcomes.add(_check(name, data[:position], trace_memory=False).kind)
    assert outcomes >= {"activities", "error"}


def test_truncated_real_files_at_every_message_boundary(real_dir: Path) -> None:
    for relative in ("fit/activity/fitparse/Activity.fit", "fit/non_activity/Settings.fit"):
        data = (real_dir / relative).read_bytes()
        for cut in fuzzing.walk_fit(data).boundaries():
            _check(Path(relative).name, data[:cut], trace_memory=False)


@fuzzing.fuzz_settings(120)
@given(fuzzing.mutated(REPO_SEEDS, fuzzing.FIT_MUTATORS + fuzzing.BYTE_MUTATORS))
def test_mutated_sample_files(seed: tuple[str, bytes]) -> None:
    _check(*seed)


@fuzzing.fuzz_settings(80)
@given(data=st.data())
def test_mutated_real_files(real_dir: Path, data: st.DataObject) -> None:
    seeds = _real_seeds(real_dir)
    name, payload = data.draw(fuzzing.mutated(seeds, fuzzing.FIT_MUTATORS + fuzzing.BYTE_MUTATORS))
    _check(name, payload)


@fuzzing.fuzz_settings(100)
@given(fuzzing.generated(fuzzing.fit_file))
def test_generated_files_with_absurd_values(payload: bytes) -> None:
    _check("generated.fit", payload)


@fuzzing.fuzz_settings(60)
@given(fuzzing.mutated(REPO_SEEDS, fuzzing.FIT_MUTATORS))
def test_mutated_files_through_the_bulk_decoder_alone(seed: tuple[str, bytes]) -> None:
    """With STRIDEWISE_FIT_DECODER=fast a bug in the bulk decoder is not hidden by fitparse."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STRIDEWISE_FIT_DECODER", "fast")
        _check(*seed)


def test_a_declared_data_size_of_4_gb_is_read_as_far_as_the_bytes_go() -> None:
    _, data = _smallest_activity(REPO_SEEDS, 0)
    huge = bytearray(data)
    struct.pack_into("<I", huge, 4, 0xFFFFFFFF)
    outcome = _check("huge-declared-size.fit", bytes(huge))
    assert outcome.kind == "activities"
    assert outcome.peak_bytes < fuzzing.memory_limit(len(huge))


def test_random_bytes_named_fit_are_not_a_fit_file() -> None:
    outcome = _check("noise.fit", random.Random(3).randbytes(4096))
    assert (outcome.kind, outcome.detail) == ("error", "noise.fit: not a FIT file")


def test_records_with_times_but_no_values_are_stored_whole() -> None:
    """Found by fuzzing: records whose every field is invalid leave a frame of times without
    columns, which the store used to drop while counting its rows (n_samples > 0, no samples)."""
    index = pd.DatetimeIndex(["2026-03-01T07:00:00Z", "2026-03-01T07:00:01Z"], name="time")
    activity = Activity(
        sport="running",
        start_utc=datetime(2026, 3, 1, 7, tzinfo=UTC),
        samples=pd.DataFrame(index=index.as_unit("ns")),
    )
    with Store(":memory:") as store:
        (activity_id,) = store.save_file("me", "times-only.fit", "c3" * 32, [activity])
        assert len(store.load_samples(activity_id)) == 2
        assert fuzzing.store_problems(store.conn) is None
