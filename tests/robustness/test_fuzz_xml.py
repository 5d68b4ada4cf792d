"""Fuzzing the GPX and TCX importers: mutated and generated files end in clean activities, a
SkippedFile or another StridewiseError naming the file; never another exception, a hang or an
unbounded heap.

The long run is benchmarks/fuzz_importers.py; these are its bounded, derandomized CI part.
"""

from __future__ import annotations

import functools
from pathlib import Path

import fuzzing
import pytest
from hypothesis import given
from hypothesis import strategies as st

FORMATS = ("gpx", "tcx")
GENERATORS = {"gpx": fuzzing.gpx_file, "tcx": fuzzing.tcx_file}
REPO_SEEDS = {fmt: fuzzing.seed_files(fmt, None, limit=20, size=8192) for fmt in FORMATS}
MUTATORS = fuzzing.XML_MUTATORS + fuzzing.BYTE_MUTATORS

#: numpy warns of overflow when absurd values (1e308) are summed; the oracle checks the outcome.
pytestmark = [
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
    pytest.mark.parametrize("fmt", FORMATS),
]


@functools.cache
def _real_seeds(fmt: str, real_dir: Path) -> list[tuple[str, bytes]]:
    return fuzzing.seed_files(fmt, real_dir, limit=30, size=8192)


def _check(name: str, data: bytes) -> fuzzing.Outcome:
    return fuzzing.check_input(data, name)


@fuzzing.fuzz_settings(120)
@given(data=st.data())
def test_mutated_fixture_and_sample_files(fmt: str, data: st.DataObject) -> None:
    _check(*data.draw(fuzzing.mutated(REPO_SEEDS[fmt], MUTATORS)))


@fuzzing.fuzz_settings(100)
@given(data=st.data())
def test_mutated_real_files(fmt: str, real_dir: Path, data: st.DataObject) -> None:
    _check(*data.draw(fuzzing.mutated(_real_seeds(fmt, real_dir), MUTATORS)))


@fuzzing.fuzz_settings(100)
@given(data=st.data())
def test_generated_files_with_absurd_values(fmt: str, data: st.DataObject) -> None:
    _check(f"generated.{fmt}", data.draw(fuzzing.generated(GENERATORS[fmt])))
