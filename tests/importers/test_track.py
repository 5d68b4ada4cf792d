"""The track helpers (``importers.track``): the rules the GPX and TCX readers apply to their
points, on arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridewise.importers.track import (
    ASCENT_HYSTERESIS_M,
    TrackPoints,
    cadence_factor,
    duplicate_times,
    plausible_altitude,
    time_order,
    track_ascent_m,
)
from stridewise.limits import MAX_CLIMB_RATE_MPS

SECOND_US = 1_000_000


def test_of_points_sharing_a_time_the_first_is_kept_but_the_last_at_the_end():
    ticks = np.array([0, 1, 1, 2, 2, 2]) * SECOND_US
    assert duplicate_times(ticks).tolist() == [False, False, True, True, True, False]


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_duplicate_times_keep_what_pandas_keeps(seconds: list[int]):
    """The rule as it was written on pandas: the first of each time (``duplicated``), the last
    of the times at the very end."""
    index = pd.DatetimeIndex(np.array(seconds, dtype="int64") * 10**9, tz="UTC")
    duplicated = index.duplicated(keep="first")
    if duplicated[-1]:
        at_end = index == index[-1]
        duplicated = duplicated & ~at_end
        duplicated[np.flatnonzero(at_end)[:-1]] = True
    assert duplicate_times(index.asi8).tolist() == duplicated.tolist()
    track = TrackPoints(index.asi8 // 1000, {"x": np.arange(len(index), dtype=float)})
    kept = track.without_duplicate_times().columns["x"]
    assert kept.tolist() == np.flatnonzero(~duplicated).tolist()


def test_points_in_time_order_are_left_as_they_are():
    warnings: list[str] = []
    assert time_order(np.array([0, 1, 1, 5]) * SECOND_US, 1e6, warnings) == (None, None)
    assert warnings == []


def test_times_that_step_back_a_little_are_spread_in_file_order():
    warnings: list[str] = []
    rows, times = time_order(np.array([0, 10, 7, 8, 20]) * SECOND_US, 1e6, warnings)
    assert rows is None
    assert times.tolist() == [0, 10 * SECOND_US, 13_333_333, 16_666_666, 20 * SECOND_US]
    assert warnings == [
        "1 point times stepped back by up to 3 s (clock jitter); the points were kept in file "
        "order and those times spread between their neighbours"
    ]


def test_points_written_out_of_order_are_sorted_stably():
    warnings: list[str] = []
    rows, times = time_order(np.array([600, 601, 0, 1, 1]) * SECOND_US, 1e6, warnings)
    assert times is None
    assert rows.tolist() == [2, 3, 4, 0, 1]
    assert warnings == ["1 points were out of time order (by up to 601 s) and were sorted by time"]


@pytest.mark.parametrize(
    ("altitude", "expected", "warning"),
    [
        ([10.0, np.nan, 12.0], [10.0, np.nan, 12.0], None),
        ([10.0, -1000.0, 9500.0], [10.0, np.nan, np.nan], "removed 2 elevations outside"),
        ([0.0, 0.0, np.nan], None, "every elevation is 0"),
        ([np.nan, np.nan], None, None),
    ],
)
def test_plausible_altitude(altitude, expected, warning):
    warnings: list[str] = []
    result = plausible_altitude(np.array(altitude), warnings)
    if expected is None:
        assert result is None
    else:
        np.testing.assert_array_equal(result, expected)
    assert [w.startswith(warning) for w in warnings] == ([True] if warning else [])


@pytest.mark.parametrize(
    ("cadence", "factor", "warned"),
    [
        ([0.0, 84.0, 86.0, np.nan], 2, False),  # strides/min
        ([0.0, 170.0, 172.0], 1, False),
        ([110.0, 112.0, 108.0], 2, True),  # could be either: read as strides, with a warning
        ([0.0, np.nan], 1, False),
    ],
)
def test_cadence_factor(cadence, factor, warned):
    warnings: list[str] = []
    assert cadence_factor(np.array(cadence), warnings) == factor
    assert bool(warnings) == warned


def test_ascent_counts_each_segment_on_its_own():
    altitude = np.array([100.0, 110.0, 120.0, 100.0, 110.0])
    seconds = np.arange(5) * 60.0
    assert track_ascent_m(altitude, seconds) == 30.0
    # the drop to 100 m happens across a pause: the second segment climbs 10 m from there
    assert track_ascent_m(altitude, seconds, np.array([0, 0, 0, 1, 1])) == 30.0
    assert track_ascent_m(np.full(3, np.nan), seconds[:3]) is None


def _ascent_one_step_at_a_time(altitude: list[float], seconds: list[float]) -> float:
    """The ascent rule as its docstring states it, every step in turn: the oracle for the loop
    that leaves out repeated values."""
    total, reference, climbing = 0.0, altitude[0], False
    for i in range(1, len(altitude)):
        value, change = altitude[i], altitude[i] - altitude[i - 1]
        if abs(change) > MAX_CLIMB_RATE_MPS * max(seconds[i] - seconds[i - 1], 1.0):
            reference += change
        elif climbing and value > reference:
            total, reference = total + value - reference, value
        elif climbing and reference - value >= ASCENT_HYSTERESIS_M:
            climbing, reference = False, value
        elif not climbing and value < reference:
            reference = value
        elif not climbing and value - reference >= ASCENT_HYSTERESIS_M:
            total, reference, climbing = total + value - reference, value, True
    return total


@given(
    st.lists(
        st.tuples(
            # repeats, wiggles under the hysteresis, climbs and altimeter jumps
            st.sampled_from([0.0, 0.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 4.5, -6.0, 250.0, -250.0]),
            st.sampled_from([0.0, 1.0, 1.0, 5.0, 300.0]),  # seconds since the point before
        ),
        min_size=1,
        max_size=60,
    )
)
def test_ascent_leaving_out_repeated_values_is_exact(steps: list[tuple[float, float]]):
    altitude = (100.0 + np.cumsum([change for change, _ in steps])).tolist()
    seconds = np.cumsum([gap for _, gap in steps]).tolist()
    assert track_ascent_m(np.array(altitude), np.array(seconds)) == pytest.approx(
        _ascent_one_step_at_a_time(altitude, seconds), abs=1e-9
    )
