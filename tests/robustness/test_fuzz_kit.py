"""The fuzzing kit's oracle fails on what it must catch: a fuzz test that cannot fail proves
nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import fuzzing
import numpy as np
import pandas as pd
import pytest

from stridewise.errors import CorruptFile
from stridewise.model import Activity


def _reader_that(behaviour):
    def read_raw(raw, **_: object):
        return behaviour()

    return read_raw


def _heap_hog() -> list[Activity]:
    hog = np.empty(200 * 2**20 // 8)  # 200 MB, allocated (and traced) without being touched
    del hog
    return [Activity(sport="running", start_utc=datetime(2026, 1, 1, tzinfo=UTC))]


@pytest.mark.parametrize(
    ("behaviour", "problem"),
    [
        (lambda: {}["distance"], "KeyError: 'distance'"),
        (lambda: time.sleep(5), "hang: still running after 0.5 s"),
        (lambda: (_ for _ in ()).throw(CorruptFile("other.fit: broken")), "does not name"),
        (lambda: (_ for _ in ()).throw(CorruptFile("x.fit: two\nlines")), "more than one line"),
        (lambda: [], "an empty list of activities"),
        (_heap_hog, "heap peak 200 MB over the bound"),
    ],
)
def test_the_oracle_reports_each_kind_of_failure(
    monkeypatch: pytest.MonkeyPatch, behaviour, problem: str
) -> None:
    monkeypatch.setattr(fuzzing, "read_raw", _reader_that(behaviour))
    with pytest.raises(fuzzing.FuzzFailure) as failed:
        fuzzing.check_input(b"data", "x.fit", time_limit_s=0.5)
    assert problem in failed.value.finding.problem


def test_the_oracle_reports_impossible_values_left_in_an_activity() -> None:
    index = pd.DatetimeIndex([datetime(2026, 1, 1, tzinfo=UTC)], name="time").as_unit("ns")
    activity = Activity(
        sport="running",
        start_utc=datetime(2026, 1, 1, tzinfo=UTC),
        samples=pd.DataFrame({"heart_rate_bpm": [300.0]}, index=index),
    )
    now = datetime(2026, 2, 1, tzinfo=UTC)
    assert fuzzing.activity_problems([activity], "x.fit", now) == (
        "heart-rate samples outside 25-250"
    )
    activity.samples = activity.samples.iloc[:0]
    activity.elapsed_s = float("inf")
    assert fuzzing.activity_problems([activity], "x.fit", now) == "elapsed_s is inf"
