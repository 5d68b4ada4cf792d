"""How a run started: minutes 1.5-10, the first five minutes, minutes 10-30 and the 2-minute peak,
each read on the moving-time clock (hand-computed values)."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose
from synthetic import run_samples

from stridewise.metrics.records import prepare_track
from stridewise.metrics.warmup import run_start


def test_the_first_90_seconds_of_wrist_heart_rate_are_left_out():
    # an optical "cadence lock": 185 bpm for the first minute, then an even 140
    spiky = run_samples(40, heart_rate=lambda t: np.where(t < 60, 185.0, 140.0))
    result = run_start(prepare_track(spiky))
    assert_allclose(result.warmup_hr_bpm, 140.0)
    assert result.warmup_hr_coverage == 1.0


def test_the_start_window_is_minutes_1_5_to_10():
    # 150 bpm at 3.3 m/s in minutes 1.5-10, 130 bpm at 2.8 m/s before and after
    inside = lambda t: (t >= 90) & (t < 600)  # noqa: E731
    run = run_samples(
        40,
        speed=lambda t: np.where(inside(t), 3.3, 2.8),
        heart_rate=lambda t: np.where(inside(t), 150.0, 130.0),
    )
    result = run_start(prepare_track(run))
    assert_allclose(result.warmup_hr_bpm, 150.0)
    assert_allclose(result.warmup_speed_mps, 3.3)


def test_the_first_five_minutes_and_the_steady_part():
    run = run_samples(
        40,
        speed=lambda t: np.where(t < 300, 2.5, 3.5),
        heart_rate=lambda t: np.where(t < 600, 140.0, 152.0),
    )
    result = run_start(prepare_track(run))
    assert_allclose(result.start_speed_mps, 2.5)
    assert_allclose(result.steady_hr_bpm, 152.0)  # median of minutes 10-30


def test_the_peak_is_the_highest_two_minute_mean():
    block = run_samples(40, heart_rate=lambda t: np.where((t >= 900) & (t < 1080), 180.0, 150.0))
    assert_allclose(run_start(prepare_track(block)).peak_hr_2min_bpm, 180.0)
    # one minute at 190 within 150: the best 2 minutes hold 60 s of each -> 170
    short = run_samples(40, heart_rate=lambda t: np.where((t >= 900) & (t < 960), 190.0, 150.0))
    assert_allclose(run_start(prepare_track(short)).peak_hr_2min_bpm, 170.0)


def test_no_heart_rate_leaves_heart_rate_values_unknown():
    result = run_start(prepare_track(run_samples(30)))
    assert np.isnan(result.warmup_hr_bpm) and np.isnan(result.steady_hr_bpm)
    assert np.isnan(result.peak_hr_2min_bpm)
    assert result.warmup_hr_coverage == 0.0
    assert_allclose(result.warmup_speed_mps, 3.0)
