"""Fuzzing the TCX importer: mutated and generated files end in clean activities, a SkippedFile
or another StridewiseError naming the file; never another exception, a hang or an unbounded heap.

The long run is benchmarks/fuzz_importers.py; these are its bounded, derandomized CI part.
"""

from __future__ import annotations

import functools
from pathlib import Path

import fuzzing
import pytest
from hypothesis import given
from hypothesis import strategies as st

REPO_SEEDS = fuzzing.seed_files("tcx", None, limit=20, size=8192)

#: numpy warns of overflow when absurd values (1e308) are summed; the oracle checks the outcome.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@functools.cache
def _real_seeds(real_dir: Path) -> list[tuple[str, bytes]]:
    return fuzzing.seed_files("tcx", real_dir, limit=30, size=8192)


def _check(name: str, data: bytes) -> fuzzing.Outcome:
    return fuzzing.check_input(data, name)


@fuzzing.fuzz_settings(120)
@given(fuzzing.mutated(REPO_SEEDS, fuzzing.XML_MUTATORS + fuzzing.BYTE_MUTATORS))
def test_mutated_fixture_and_sample_files(seed: tuple[str, bytes]) -> None:
    _check(*seed)


@fuzzing.fuzz_settings(100)
@given(data=st.data())
def test_mutated_real_files(real_dir: Path, data: st.DataObject) -> None:
    seeds = _real_seeds(real_dir)
    _check(*data.draw(fuzzing.mutated(seeds, fuzzing.XML_MUTATORS + fuzzing.BYTE_MUTATORS)))


@fuzzing.fuzz_settings(100)
@given(fuzzing.generated(fuzzing.tcx_file))
def test_generated_files_with_absurd_values(payload: bytes) -> None:
    _check("generated.tcx", payload)
