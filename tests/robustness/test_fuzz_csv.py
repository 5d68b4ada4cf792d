"""Fuzzing the CSV readers, every layout: a runner's own log (``csv_log``), Strava's
activities.csv (``strava_list``) and Garmin Connect's Activities.csv (``garmin_list``). Mutated
and generated files end in clean activities, a SkippedFile or another StridewiseError naming the
file.

The long run is benchmarks/fuzz_importers.py; these are its bounded, derandomized CI part.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import fuzzing
import pytest
from hypothesis import given
from hypothesis import strategies as st

LOG_SEEDS = fuzzing.seed_files("csv", None, limit=40)
MUTATORS = fuzzing.CSV_MUTATORS + fuzzing.BYTE_MUTATORS[:3]

#: numpy warns of overflow when absurd values (1e308) are summed; the oracle checks the outcome.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@functools.cache
def _list_seeds(real_dir: Path) -> list[tuple[str, bytes]]:
    """The real Strava and Garmin lists, cut to their header and first rows."""
    return [
        (path.name, fuzzing.shorten(path.name, path.read_bytes(), 4096))
        for path in sorted((real_dir / "export").rglob("*.csv"))
    ]


def _check(name: str, data: bytes) -> fuzzing.Outcome:
    return fuzzing.check_input(data, name)


@fuzzing.fuzz_settings(150)
@given(fuzzing.mutated(LOG_SEEDS, MUTATORS))
def test_mutated_run_logs(seed: tuple[str, bytes]) -> None:
    _check(*seed)


@fuzzing.fuzz_settings(100)
@given(fuzzing.generated(fuzzing.csv_log_file))
def test_generated_run_logs(payload: bytes) -> None:
    _check("log.csv", payload)


@fuzzing.fuzz_settings(120)
@given(fuzzing.generated(fuzzing.activity_list_file))
def test_generated_strava_and_garmin_lists(payload: bytes) -> None:
    _check("activities.csv", payload)


@fuzzing.fuzz_settings(120)
@given(data=st.data())
def test_mutated_real_strava_and_garmin_lists(real_dir: Path, data: st.DataObject) -> None:
    _check(*data.draw(fuzzing.mutated(_list_seeds(real_dir), MUTATORS)))


@pytest.mark.parametrize(
    ("generator", "layout"),
    [
        (fuzzing.activity_list_file, fuzzing.STRAVA_LIST_HEADER),
        (fuzzing.activity_list_file, fuzzing.GARMIN_LIST_HEADER),
        (fuzzing.csv_log_file, ""),
    ],
)
def test_generators_reach_every_layout(generator, layout: str) -> None:
    """Without absurd values the generators write files each reader takes: fuzzing reaches
    past the header checks into every layout's rows."""
    imported = 0
    for seed in range(40):
        payload = generator(random.Random(seed), absurd=0.0)
        if payload.decode().startswith(layout):
            imported += _check("layout.csv", payload).kind == "activities"
    assert imported >= 8


def test_a_cell_with_line_breaks_is_quoted_on_one_line() -> None:
    """Found by the long fuzz run: a quoted cell holding line breaks made a multi-line error."""
    outcome = _check("breaks.csv", b'date,distance_km,duration\n2026-03-01,10,"a\nb\r\nc"\n')
    assert (
        outcome.detail == "breaks.csv, row 2: duration 'a ↵ b ↵ c' is not h:mm:ss, mm:ss or minutes"
    )
