from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from synthetic import run_samples

from stridewise.metrics.form import balance_baseline, cadence_baseline, run_cadence, stance_balance
from stridewise.metrics.records import prepare_track


def baseline_runs(count: int, cadence_of_speed, last_speed: float, last_cadence: float):
    speeds = 2.8 + 0.6 * (np.arange(count) % 4) / 3  # 2.8 to 3.4 m/s
    starts = pd.date_range("2026-01-01 07:00", periods=count + 1, freq="2D")
    return pd.DataFrame(
        {
            "start": starts,
            "speed_mps": [*speeds, last_speed],
            "cadence_spm": [*cadence_of_speed(speeds), last_cadence],
        }
    )


def test_cadence_is_compared_with_the_speed_matched_line_of_previous_runs():
    line = lambda speed: 130.0 + 12.0 * speed  # noqa: E731
    runs = baseline_runs(10, line, 3.2, 0.9 * line(3.2))
    result = cadence_baseline(runs, window_days=84, min_runs=8)
    last = result.iloc[-1]
    assert last["baseline_runs"] == 10
    assert_allclose(last["expected_spm"], line(3.2))
    assert_allclose(last["deviation_pct"], -10.0)


def test_cadence_baseline_needs_enough_earlier_runs():
    runs = baseline_runs(7, lambda s: 170.0 + 0 * s, 3.0, 160.0)
    assert np.isnan(cadence_baseline(runs, min_runs=8)["expected_spm"].iloc[-1])


def test_cadence_baseline_is_not_used_far_outside_the_fitted_speeds():
    runs = baseline_runs(10, lambda s: 130.0 + 12.0 * s, 4.5, 170.0)  # fitted on 2.8-3.4 m/s
    assert np.isnan(cadence_baseline(runs)["expected_spm"].iloc[-1])


def test_cadence_baseline_forgets_runs_older_than_its_window():
    runs = baseline_runs(10, lambda s: 170.0 + 0 * s, 3.0, 170.0)
    runs.loc[runs.index[-1], "start"] = runs["start"].iloc[-2] + pd.Timedelta(days=100)
    assert cadence_baseline(runs, window_days=84)["baseline_runs"].iloc[-1] == 0


def test_cadence_slope_never_goes_negative():
    runs = baseline_runs(12, lambda s: 200.0 - 10.0 * s, 3.1, 170.0)
    expected = cadence_baseline(runs)["expected_spm"].iloc[-1]
    assert_allclose(expected, np.mean(200.0 - 10.0 * runs["speed_mps"].iloc[:-1]))


def test_run_cadence_is_the_median_of_running_records():
    samples = run_samples(30, cadence=lambda t: np.where(t < 60, 60.0, 172.0))  # walking first
    assert run_cadence(prepare_track(samples)) == (172.0, 3.0)


def test_stance_balance_counts_level_ground_only():
    # 2 km flat at 50.5 % left, then a steep climb at 53 % left
    samples = run_samples(
        25,
        speed=3.0,
        altitude=lambda t: np.where(t < 667, 10.0, 10.0 + (t - 667) * 3.0 * 0.1),
        balance=lambda t: np.where(t < 667, 50.5, 53.0),
    )
    assert_allclose(stance_balance(prepare_track(samples)), 50.5, atol=0.05)


def test_balance_baseline_is_the_median_of_previous_runs():
    runs = pd.DataFrame(
        {
            "start": pd.date_range("2026-01-01", periods=7, freq="3D"),
            "balance_pct": [50.1, 49.9, 50.3, 50.0, 50.2, 49.8, 52.0],
        }
    )
    result = balance_baseline(runs, min_runs=5)
    assert np.isnan(result["baseline_pct"].iloc[4])  # only 4 runs before it
    assert_allclose(result["baseline_pct"].iloc[-1], 50.05)
    assert_allclose(result["shift_points"].iloc[-1], 1.95)
