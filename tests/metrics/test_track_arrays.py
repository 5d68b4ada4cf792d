"""The per-run metrics read a track's moving records as arrays (issue 13): the helpers give what
the pandas code they replaced gave, and the metrics' values are pandas' to the last bit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.metrics.fatigue import aerobic_decoupling, speed_variation
from stridewise.metrics.records import median, moving_columns, prepare_track
from stridewise.metrics.warmup import peak_heart_rate, run_start


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
    assert speed_variation(part) == float(means.std(ddof=0) / means.mean())
