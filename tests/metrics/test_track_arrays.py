"""The per-run metrics read a track's moving records as arrays (issue 13): the helpers give what
the pandas code they replaced gave — to the last bit, or to rounding where the arrays sum in
another order (cumulative and plain sums instead of pandas' compensated ones)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stridewise.metrics.fatigue import aerobic_decoupling, speed_variation
from stridewise.metrics.load import trailing_mean
from stridewise.metrics.records import (
    _interpolate_inside,
    _median_of,
    _rolling_median_5,
    as_track,
    median,
    moving_columns,
    prepare_track,
    track_arrays,
    window_starts,
)
from stridewise.metrics.warmup import peak_heart_rate, run_start
from stridewise.model import SampleTable


def test_median_is_pandas_median_of_the_known_values():
    for values in ([3.0, np.nan, 1.0, 2.0], [4.0, 1.0, np.nan, 2.0, 3.0], [0.1, 0.2, 0.7, 0.3]):
        array = np.array(values)
        assert median(array) == pd.Series(array).median()


def test_median_of_nothing_known_is_nan():
    assert np.isnan(median(np.array([np.nan, np.nan])))
    assert np.isnan(median(np.array([])))


def test_moving_columns_keep_the_moving_records_and_the_columns_the_track_has():
    track = pd.DataFrame(
        {
            "t_s": [0.0, 1.0, 1.0, 2.0],
            "dt_s": [1.0, 0.0, 1.0, 1.0],
            "moving": [True, False, True, True],
            "speed_mps": [3.0, 0.1, 3.1, np.nan],
        }
    )
    columns = moving_columns(track, "speed_mps", "heart_rate_bpm")
    assert list(columns) == ["t_s", "dt_s", "speed_mps"]
    assert columns["t_s"].tolist() == [0.0, 1.0, 2.0]
    assert columns["speed_mps"][:2].tolist() == [3.0, 3.1] and np.isnan(columns["speed_mps"][2])


def _run(seconds: int = 2400, seed: int = 13) -> pd.DataFrame:
    """1 Hz records of a run with a pause, heart-rate gaps and hills."""
    rng = np.random.default_rng(seed)
    time = np.arange(seconds, dtype="float64")
    time[1200:] += 300.0  # a five-minute pause
    speed = np.clip(3.0 + 0.4 * np.sin(time / 200) + rng.normal(0, 0.1, seconds), 0.0, None)
    speed[600:630] = 0.2  # standing at a crossing
    heart_rate = 120 + time / 40 + rng.normal(0, 2, seconds)
    heart_rate[900:960] = np.nan
    return pd.DataFrame(
        {
            "distance_m": np.cumsum(speed),
            "speed_mps": speed,
            "altitude_m": 20 + 15 * np.sin(time / 500),
            "heart_rate_bpm": heart_rate,
        },
        index=pd.DatetimeIndex(
            pd.Timestamp("2026-03-01 07:00", tz="UTC") + pd.to_timedelta(time, "s")
        ),
    )


def test_run_start_and_decoupling_are_the_pandas_computation():
    track = prepare_track(_run())
    moving = track[track["moving"]]
    clock = moving["t_s"]
    warmup = moving[(clock >= 90) & (clock < 600)]
    steady = moving[(clock >= 600) & (clock < 1800)]
    start = run_start(track)
    assert start.warmup_hr_bpm == float(
        (warmup["heart_rate_bpm"] * warmup["dt_s"]).sum() / warmup["dt_s"].sum()
    )
    assert start.steady_hr_bpm == float(steady["heart_rate_bpm"].median())
    assert start.peak_hr_2min_bpm == peak_heart_rate(moving)
    after = moving[moving["t_s"] >= 600]
    assert aerobic_decoupling(track).speed_cv == speed_variation(after)


def test_speed_variation_is_the_pandas_computation():
    track = prepare_track(_run())
    part = track[track["moving"] & (track["t_s"] >= 600)]
    known = part[part["speed_mps"].notna()]
    bins = ((known["t_s"] - known["t_s"].iloc[0]) // 60.0).astype("int64")
    weighted = (known["speed_mps"] * known["dt_s"]).groupby(bins).sum()
    seconds = known["dt_s"].groupby(bins).sum()
    means = (weighted / seconds)[seconds >= 30.0]
    # the bins' sums are plain (np.bincount), pandas' compensated: equal to rounding
    assert speed_variation(part) == pytest.approx(float(means.std(ddof=0) / means.mean()), 1e-12)


def test_speed_variation_leaves_out_empty_and_half_empty_bins():
    clock = np.array([0.0, 30.0, 60.0, 90.0, 200.0, 230.0, 300.0, 400.0])
    dt = np.array([30.0, 30.0, 30.0, 30.0, 30.0, 29.0, 30.0, 20.0])
    speed = np.array([2.0, 4.0, 3.0, 3.0, 5.0, 9.0, 7.0, 20.0])
    part = pd.DataFrame({"t_s": clock, "dt_s": dt, "speed_mps": speed})
    # 1-minute bins: 0-1 min mean 3, 1-2 min 3, 2-3 min empty, 3-4 min (5·30 + 9·29)/59,
    # 4-5 min empty, 5-6 min 7, 6-7 min only 20 s recorded: left out
    means = np.array([3.0, 3.0, (5.0 * 30 + 9.0 * 29) / 59, 7.0])
    expected = np.sqrt(((means - means.mean()) ** 2).mean()) / means.mean()
    assert speed_variation(part) == pytest.approx(expected, 1e-12)


def test_the_track_arrays_are_the_track_frame():
    samples = _run()
    frame = prepare_track(samples)
    track = track_arrays(SampleTable.of(samples))
    assert list(track.columns) == list(frame.columns)
    for name in frame.columns:
        np.testing.assert_array_equal(track[name], frame[name].to_numpy())
    assert as_track(frame).columns.keys() == track.columns.keys()


def test_rolling_median_of_five_by_hand():
    values = np.array([5.0, 1.0, np.nan, 4.0, 2.0, np.nan, np.nan, np.nan, np.nan, 8.0])
    # windows: [5 1 .] [5 1 . 4] [5 1 . 4 2] [1 . 4 2 .] [. 4 2 . .] [4 2 . . .] [2 . . . .]
    # [. . . . 8] [. . . 8] [. . 8]
    expected = [3.0, 4.0, 3.0, 2.0, 3.0, 3.0, 2.0, 8.0, 8.0, 8.0]
    assert _rolling_median_5(values).tolist() == expected
    assert np.isnan(_rolling_median_5(np.full(7, np.nan))).all()


def test_rolling_median_of_five_is_pandas():
    rng = np.random.default_rng(5)
    values = rng.normal(3, 1, 500)
    values[rng.random(500) < 0.3] = np.nan
    values[100:110] = np.nan
    expected = pd.Series(values).rolling(5, center=True, min_periods=1).median().to_numpy()
    np.testing.assert_array_equal(_rolling_median_5(values), expected)
    for short in (values[:1], values[:3]):
        np.testing.assert_array_equal(
            _rolling_median_5(short),
            pd.Series(short).rolling(5, center=True, min_periods=1).median().to_numpy(),
        )


@pytest.mark.parametrize("draw", ["ties", "normal"])
def test_rolling_median_of_five_without_gaps_is_pandas(draw):
    rng = np.random.default_rng(6)
    ties = rng.integers(0, 4, 2000).astype("float64")
    values = ties if draw == "ties" else rng.normal(3, 1, 2000)
    expected = pd.Series(values).rolling(5, center=True, min_periods=1).median().to_numpy()
    np.testing.assert_array_equal(_rolling_median_5(values), expected)


def test_interpolation_inside_by_hand():
    values = np.array([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan])
    filled = _interpolate_inside(values)
    assert filled[1:5].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert np.isnan(filled[0]) and np.isnan(filled[5])
    assert np.isnan(values[2])  # the input is left alone


def test_trailing_mean_is_pandas_time_rolling():
    rng = np.random.default_rng(8)
    clock = np.cumsum(rng.choice([0.37, 1.0, 2.0, 7.5], 600))
    values = rng.normal(3, 1, 600)
    index = pd.to_datetime(clock, unit="s")
    expected = pd.Series(values, index=index).rolling("30s").mean().to_numpy()
    np.testing.assert_allclose(trailing_mean(clock, values, 30.0), expected, rtol=1e-12)


def test_trailing_mean_by_hand_a_record_exactly_a_window_back_is_out():
    clock = np.array([0.0, 10.0, 30.0, 31.0])
    values = np.array([1.0, 2.0, 3.0, 5.0])
    # at 30 s the window is (0, 30]: 2 and 3; at 31 s (1, 31]: 2, 3, 5
    assert trailing_mean(clock, values, 30.0).tolist() == [1.0, 1.5, 2.5, 10.0 / 3.0]


def test_window_starts_by_hand():
    # 1 Hz: the window of 3 s that ends at 5 s holds 3, 4 and 5 (2 is exactly 3 s back: out)
    assert window_starts(np.arange(6.0), 3.0).tolist() == [0, 0, 0, 1, 2, 3]
    # 2 s steps and a window of 3 s: the record before is 2 s back (in), the one before 4 s (out)
    assert window_starts(np.arange(0.0, 12.0, 2.0), 3.0).tolist() == [0, 0, 1, 2, 3, 4]
    # a pause: the search
    assert window_starts(np.array([0.0, 1.0, 2.0, 10.0, 11.0]), 3.0).tolist() == [0, 0, 0, 3, 3]


@pytest.mark.parametrize(
    "times",
    [
        np.arange(3600.0),
        np.arange(1.0, 3601.0),
        np.arange(0.0, 7200.0, 2.0),
        np.arange(0.0, 3600.0, 7.0),
        np.arange(0.5, 3600.0),  # half seconds: not whole, searched
        np.arange(3600) * 1_000_000_000,  # nanosecond ticks
        np.cumsum(np.random.default_rng(3).choice([0.0, 1.0, 1.0, 2.0, 0.37], 3600)),
        np.array([5.0]),
        np.array([], dtype="float64"),
    ],
)
@pytest.mark.parametrize("width", [1.0, 30.0, 120.0, 30_000_000_000])
def test_window_starts_is_the_search(times, width):
    expected = np.searchsorted(times, times - width, side="right")
    assert window_starts(times, width).tolist() == expected.tolist()


def test_the_median_of_known_values_is_numpy_median():
    rng = np.random.default_rng(4)
    for count in (1, 2, 3, 4, 101, 1200):
        values = rng.normal(150, 10, count).round(1)
        assert _median_of(values) == float(np.median(values))
