"""The canonical activity's samples: a ``SampleTable`` of numpy arrays, shown as a DataFrame."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from stridewise.model import Activity, SampleTable, check_samples, nanoseconds_of

START = datetime(2026, 3, 2, 7, tzinfo=UTC)


def _frame(unit: str = "ns") -> pd.DataFrame:
    index = pd.DatetimeIndex(
        ["2026-03-02T07:00:00Z", "2026-03-02T07:00:01Z", "2026-03-02T07:00:03Z"], name="time"
    ).as_unit(unit)
    return pd.DataFrame(
        {"heart_rate_bpm": [120.0, np.nan, 122.0], "distance_m": [0.0, 3.0, 9.0]}, index=index
    )


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_a_frame_and_its_table_hold_the_same_samples(unit: str):
    table = SampleTable.of(_frame(unit))
    assert table.times_ns.tolist() == [nanoseconds_of(START) + s * 1_000_000_000 for s in (0, 1, 3)]
    assert table.names == ["heart_rate_bpm", "distance_m"]
    assert table.seconds().tolist() == [0.0, 1.0, 3.0]
    pd.testing.assert_frame_equal(table.frame(), _frame("ns"))
    check_samples(table.frame())


def test_a_reader_helper_column_stays_behind():
    frame = _frame().assign(segment=["a", "a", "b"])
    assert SampleTable.of(frame).names == ["heart_rate_bpm", "distance_m"]


def test_times_beyond_the_nanosecond_range_stay_outside_1990_to_2099():
    """A reader's microsecond index holds year 9999 (a broken clock); the table pins it to the
    end of its range, where the cleaning removes it like any time after 2099."""
    index = pd.DatetimeIndex(
        np.array(["2026-03-02T07:00:00", "9999-12-31T00:00:00"], dtype="datetime64[us]"),
        name="time",
    ).tz_localize("UTC")
    table = SampleTable.of(pd.DataFrame({"speed_mps": [3.0, 3.0]}, index=index))
    assert table.times_ns[0] == nanoseconds_of(START)
    assert table.times_ns[1] > nanoseconds_of(datetime(2100, 1, 1, tzinfo=UTC))


def test_rows_are_taken_by_slice_mask_or_position():
    table = SampleTable.of(_frame())
    assert table.take(slice(1, None)).times_ns.tolist() == table.times_ns[1:].tolist()
    masked = table.take(np.array([True, False, True]))
    assert masked["distance_m"].tolist() == [0.0, 9.0]
    assert table.take(np.array([2, 0]))["distance_m"].tolist() == [9.0, 0.0]
    assert table.time_at(2) == datetime(2026, 3, 2, 7, 0, 3, tzinfo=UTC)
    assert table.span_s() == 3.0


def test_columns_must_be_as_long_as_the_times():
    with pytest.raises(ValueError, match="distance_m has 2 values for 3 times"):
        SampleTable([1, 2, 3], {"distance_m": [0.0, 1.0]})


def test_an_activity_takes_a_frame_or_a_table_and_shows_a_frame():
    from_frame = Activity(sport="running", start_utc=START, samples=_frame())
    table = SampleTable.of(_frame())
    from_table = Activity(sport="running", start_utc=START, table=table)
    assert from_table.table is table
    for activity in (from_frame, from_table):
        pd.testing.assert_frame_equal(activity.samples, _frame())
        assert activity.has_records


def test_assigning_a_frame_replaces_the_samples():
    activity = Activity(sport="running", start_utc=START)
    assert not activity.has_records and len(activity.table) == 0
    activity.samples = _frame()
    assert len(activity.table) == 3
    frame = activity.samples
    frame["distance_m"] = 0.0  # a copy: the activity's samples change only when assigned
    assert activity.table["distance_m"].tolist() == [0.0, 3.0, 9.0]


def test_times_without_columns_are_samples_but_no_records():
    activity = Activity(sport="running", start_utc=START, table=SampleTable([1, 2]))
    assert len(activity.table) == 2
    assert not activity.has_records
    assert len(activity.samples) == 2 and list(activity.samples.columns) == []


def test_a_copy_with_changes_keeps_the_samples():
    activity = Activity(sport="running", start_utc=START, samples=_frame())
    copy = dataclasses.replace(activity, sport="walking", samples=None)
    assert copy.sport == "walking"
    assert copy.table is activity.table


def test_samples_are_never_changed_in_place():
    """The per-run metrics read the arrays the store then encodes: a write in place raises."""
    distance = np.array([0.0, 3.0, 9.0])
    table = SampleTable([1, 2, 3], {"distance_m": distance})
    with pytest.raises(ValueError, match="read-only"):
        table["distance_m"][0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        table.times_ns[0] = 0
    assert distance.flags.writeable  # the table holds a read-only view; the array stays as it was
    frame = Activity(sport="running", start_utc=START, table=table).samples
    frame.iloc[0, 0] = 5.0  # a frame of the samples is a copy, free to change
    assert table["distance_m"].tolist() == [0.0, 3.0, 9.0]


def test_the_first_position_is_the_first_sample_with_both_coordinates():
    table = SampleTable(
        [1, 2, 3], {"lat_deg": [np.nan, 55.6, 55.7], "lon_deg": [12.5, np.nan, 12.6]}
    )
    assert table.first_position() == (55.7, 12.6)
    assert SampleTable([1], {"lat_deg": [55.6]}).first_position() is None
    assert SampleTable([1], {"lat_deg": [np.nan], "lon_deg": [1.0]}).first_position() is None
