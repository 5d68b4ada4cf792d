from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose
from synthetic import easy_heart_rate, run_samples

from stridewise.metrics.records import prepare_track
from stridewise.metrics.warmup import warmup_intensity


def test_an_easy_start_has_a_low_sustained_heart_rate():
    result = warmup_intensity(prepare_track(run_samples(40, heart_rate=easy_heart_rate)))
    assert_allclose(result.hr_max_bpm, 140.0)
    assert_allclose(result.hr_sustained_bpm, 140.0, atol=0.5)
    assert 125 < result.hr_mean_bpm < 135
    assert result.hr_coverage == 1.0


def test_a_hard_start_is_sustained():
    hard = run_samples(40, heart_rate=lambda t: np.where(t < 600, 172.0, 145.0))
    assert_allclose(warmup_intensity(prepare_track(hard)).hr_sustained_bpm, 172.0)


def test_a_sensor_spike_at_the_start_does_not_make_a_hard_start():
    # optical "cadence lock": 15 s at 185 bpm, then an easy climb
    spiky = run_samples(40, heart_rate=lambda t: np.where(t < 15, 185.0, easy_heart_rate(t)))
    result = warmup_intensity(prepare_track(spiky))
    assert result.hr_max_bpm == 185.0
    assert result.hr_sustained_bpm < 145.0


def test_speed_ratio_compares_the_warm_up_with_the_median_pace():
    fast_start = run_samples(40, speed=lambda t: np.where(t < 600, 3.3, 3.0))
    assert_allclose(warmup_intensity(prepare_track(fast_start)).speed_ratio, 1.1)


def test_no_heart_rate_leaves_heart_rate_values_unknown():
    result = warmup_intensity(prepare_track(run_samples(30)))
    assert np.isnan(result.hr_sustained_bpm)
    assert result.hr_coverage == 0.0
    assert_allclose(result.speed_ratio, 1.0)
