from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from synthetic import run_samples

from stridewise.metrics.fatigue import aerobic_decoupling, form_drift, speed_variation
from stridewise.metrics.records import prepare_track


def test_decoupling_of_a_run_whose_second_half_has_a_known_heart_rate_drift():
    # 60 min at 3 m/s. Steady part: minutes 10-60, halves 10-35 and 35-60.
    # HR 140 then 150: EF1 = 3/140, EF2 = 3/150; Pa:HR = (EF1 - EF2)/EF1 = 1 - 140/150 = 6.667 %
    samples = run_samples(60, speed=3.0, heart_rate=lambda t: np.where(t < 35 * 60, 140.0, 150.0))
    result = aerobic_decoupling(prepare_track(samples))
    assert_allclose(result.decoupling_pct, (1 - 140 / 150) * 100, rtol=1e-9)
    assert_allclose(result.efficiency_first, 3 / 140)
    assert result.steady_s == 50 * 60
    assert result.speed_cv == 0.0
    assert result.hr_coverage == 1.0


def test_decoupling_ignores_the_warm_up():
    # a low heart rate in the first 10 minutes must not count as efficiency
    samples = run_samples(50, speed=3.0, heart_rate=lambda t: np.where(t < 600, 100.0, 145.0))
    assert_allclose(aerobic_decoupling(prepare_track(samples)).decoupling_pct, 0.0, atol=1e-9)


def test_decoupling_without_heart_rate_is_unknown():
    result = aerobic_decoupling(prepare_track(run_samples(50)))
    assert np.isnan(result.decoupling_pct)
    assert result.hr_coverage == 0.0


def test_intervals_are_not_steady():
    intervals = run_samples(50, speed=lambda t: np.where((t // 180) % 2 == 0, 2.5, 4.5))
    steady = run_samples(50, speed=lambda t: 3.0 + 0.05 * np.sin(t / 7))
    assert speed_variation(prepare_track(intervals)) > 0.2
    assert speed_variation(prepare_track(steady)) < 0.01


def test_a_pause_adds_no_time():
    samples = run_samples(50, speed=3.0, heart_rate=145.0)
    paused = pd.concat(
        [
            samples.iloc[:1500],
            samples.iloc[1500:].set_axis(samples.index[1500:] + pd.Timedelta(minutes=5)),
        ]
    )
    assert aerobic_decoupling(prepare_track(paused)).steady_s == 40 * 60


def test_form_drift_at_the_same_speed():
    # 50 min: first window after the warm-up is minutes 10-20, the last 20 % is minutes 40-50
    samples = run_samples(
        50,
        speed=3.0,
        cadence=lambda t: np.where(t >= 40 * 60, 160.0, 170.0),
        stance_time=lambda t: np.where(t >= 40 * 60, 270.0, 250.0),
        vertical_oscillation=85.0,
    )
    drift = form_drift(prepare_track(samples))
    assert_allclose(drift.cadence_change_pct, (160 / 170 - 1) * 100)
    assert_allclose(drift.stance_time_change_pct, 8.0)
    assert_allclose(drift.vertical_oscillation_change_pct, 0.0)
    assert_allclose(drift.speed_change_pct, 0.0)
    assert drift.window_s == 600.0


def test_form_drift_reports_the_speed_change_beside_the_form_change():
    samples = run_samples(50, speed=lambda t: np.where(t >= 40 * 60, 2.7, 3.0), cadence=170.0)
    drift = form_drift(prepare_track(samples))
    assert_allclose(drift.speed_change_pct, -10.0)


def test_form_drift_of_a_run_too_short_for_two_windows_is_unknown():
    drift = form_drift(prepare_track(run_samples(15, cadence=170.0)))
    assert np.isnan(drift.cadence_change_pct)
