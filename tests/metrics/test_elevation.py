"""Climb and descent totals with a dead band, against hand-counted profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stridewise.metrics.elevation import climb_and_descent, total_descent
from stridewise.metrics.run import summarize_run


def test_descent_counts_drops_beyond_the_dead_band() -> None:
    # anchor 100; 101 and 99 stay in the band; 90 counts 10; 95 climbs 5 (anchor 95); 80 counts 15
    assert climb_and_descent(np.array([100, 101, 99, 90, 95, 80.0]), 3.0) == (5.0, 25.0)


def test_wiggles_within_the_band_count_nothing() -> None:
    flat_with_noise = np.array([50, 52, 49, 51, 48, 50, 52, 49.0])
    assert climb_and_descent(flat_with_noise, 3.0) == (0.0, 0.0)


def test_a_steady_descent_loses_at_most_one_band() -> None:
    # 300 m down in 1 m steps: counted in 4 m steps (drops of more than 3 m), 300 = 75 x 4
    assert total_descent(np.arange(1300.0, 999.0, -1.0), 3.0) == 300.0
    # 301 m down: the last metre is inside the band and is not counted
    assert total_descent(np.arange(1301.0, 999.0, -1.0), 3.0) == 300.0


def test_unknown_altitudes_are_skipped() -> None:
    assert total_descent(np.array([200.0, np.nan, 150.0, np.nan])) == 50.0
    assert np.isnan(total_descent(np.array([np.nan, 120.0])))


def test_descent_is_a_per_run_metric() -> None:
    index = pd.date_range("2026-03-01 07:00", periods=601, freq="1s", tz="UTC", name="time")
    altitude = np.concatenate([np.linspace(500.0, 800.0, 301), np.linspace(800.0, 380.0, 300)])
    samples = pd.DataFrame(
        {"distance_m": np.arange(601) * 3.0, "speed_mps": 3.0, "altitude_m": altitude},
        index=index,
    )
    assert summarize_run(samples)["descent_m"] == pytest.approx(420.0, abs=3.0)
    assert summarize_run(samples.drop(columns="altitude_m"))["descent_m"] is None
