from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from synthetic import run_samples

from stridewise.errors import InvalidInput
from stridewise.metrics.heart_rate import heart_rate_histogram
from stridewise.metrics.load import (
    banister_trimp,
    choose_load_model,
    edwards_trimp,
    load_notes,
    minetti_cost_ratio,
    normalized_graded_speed,
    running_tss,
    score_runs,
    session_rpe,
)
from stridewise.metrics.records import prepare_track

# One hour at a constant 155 bpm, max 190, rest 50: HRr = (155 - 50) / (190 - 50) = 0.75.
HOUR_AT_155 = (np.full(3600, 155.0), np.ones(3600))


def test_banister_trimp_of_a_constant_hour_for_a_man():
    # 60 min x 0.75 x 0.64 x e^(1.92 x 0.75) = 45 x 0.64 x e^1.44 = 28.8 x 4.22070 = 121.556
    expected = 60 * 0.75 * 0.64 * math.exp(1.44)
    assert expected == pytest.approx(121.556, abs=1e-3)
    assert_allclose(banister_trimp(*HOUR_AT_155, 190, 50, "male"), expected, rtol=1e-12)


def test_banister_trimp_of_a_constant_hour_for_a_woman_uses_086_and_167():
    # 60 min x 0.75 x 0.86 x e^(1.67 x 0.75) = 38.7 x e^1.2525 = 38.7 x 3.49908 = 135.414
    expected = 60 * 0.75 * 0.86 * math.exp(1.2525)
    assert expected == pytest.approx(135.414, abs=1e-3)
    woman = banister_trimp(*HOUR_AT_155, 190, 50, "female")
    assert_allclose(woman, expected, rtol=1e-12)
    # the common bug: the men's 0.64 with the women's exponent gives 28.8 x 3.49908 = 100.77
    assert woman != pytest.approx(60 * 0.75 * 0.64 * math.exp(1.2525), rel=1e-3)


def test_banister_trimp_clips_heart_rate_reserve_to_zero_and_one():
    below_rest = banister_trimp(np.array([40.0]), np.array([600.0]), 190, 50, "male")
    above_max = banister_trimp(np.array([200.0]), np.array([600.0]), 190, 50, "male")
    assert below_rest == 0.0
    assert_allclose(above_max, 10 * 1.0 * 0.64 * math.exp(1.92))


def test_banister_trimp_from_a_histogram_equals_the_records():
    rng = np.random.default_rng(3)
    heart_rate = np.rint(rng.normal(150, 12, 5000))
    steps = np.ones(5000)
    histogram = heart_rate_histogram(heart_rate, steps)
    from_records = banister_trimp(heart_rate, steps, 188, 52, "female")
    from_histogram = banister_trimp(histogram.bpm, histogram.seconds, 188, 52, "female")
    assert_allclose(from_histogram, from_records, rtol=1e-9)


def test_edwards_trimp_weights_minutes_by_zone():
    # 30 min at 75 % of 200 (zone 3) + 30 min at 85 % (zone 4) + 10 min at 45 % (no zone)
    heart_rate = np.array([150.0, 170.0, 90.0])
    seconds = np.array([1800.0, 1800.0, 600.0])
    assert_allclose(edwards_trimp(heart_rate, seconds, 200), 30 * 3 + 30 * 4)


def test_rtss_is_100_for_an_hour_at_threshold():
    threshold = 1000 / 285  # 4:45 min/km
    assert_allclose(running_tss(3600, threshold, threshold), 100.0)
    # an hour at 90 % of threshold speed: IF^2 = 0.81
    assert_allclose(running_tss(3600, 0.9 * threshold, threshold), 81.0)


def test_session_rpe_is_rpe_times_minutes():
    assert session_rpe(6, 50 * 60) == 300.0


def test_minetti_cost_is_relative_to_flat():
    assert_allclose(minetti_cost_ratio(0.0), 1.0)
    # 10 % uphill: 155.4e-5 - 30.4e-4 - 43.3e-3 + 46.3e-2 + 1.95 + 3.6 = 5.968214 J/(kg m)
    assert_allclose(minetti_cost_ratio(0.1), 5.968214 / 3.6, rtol=1e-9)


def test_normalized_graded_speed_of_a_flat_steady_run_is_its_speed():
    track = prepare_track(run_samples(30, speed=3.2, altitude=20.0))
    assert_allclose(normalized_graded_speed(track), 3.2, rtol=1e-9)


def test_normalized_graded_speed_weighs_surges_above_their_share():
    surging = run_samples(30, speed=lambda t: np.where((t // 120) % 2 == 0, 2.5, 4.0))
    ngp = normalized_graded_speed(prepare_track(surging))
    assert 3.25 < ngp < 4.0  # mean speed 3.25 m/s


def test_normalized_graded_speed_counts_uphill_as_harder():
    climbing = run_samples(20, speed=3.0, altitude=lambda t: t * 3.0 * 0.05)  # 5 % grade
    assert normalized_graded_speed(prepare_track(climbing)) > 3.3


def _runs(**columns) -> pd.DataFrame:
    base = {
        "has_heart_rate": [True, True, False],
        "rpe": [np.nan, np.nan, np.nan],
        "distance_km": [10.0, 8.0, 5.0],
        "duration_s": [3000.0, 2400.0, 1500.0],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_auto_takes_banister_with_heart_rate_and_both_heart_rates():
    choice = choose_load_model(_runs(), max_hr=190, resting_hr=50, threshold_pace_s_per_km=None)
    assert choice.model == "banister"
    assert "67% of runs have heart rate" in choice.reason


def test_auto_takes_edwards_without_resting_heart_rate_and_says_so():
    choice = choose_load_model(
        _runs(), max_hr=185, resting_hr=None, threshold_pace_s_per_km=None, max_hr_estimated=True
    )
    assert choice.model == "edwards"
    assert "185 (estimated)" in choice.reason
    assert "resting HR is not" in choice.reason


def test_auto_falls_back_to_rtss_then_rpe_then_distance_then_duration():
    no_hr = _runs(has_heart_rate=[False, False, False])
    assert (
        choose_load_model(no_hr, max_hr=190, resting_hr=50, threshold_pace_s_per_km=285).model
        == "rtss"
    )
    rated = no_hr.assign(rpe=[5.0, 6.0, np.nan])
    assert (
        choose_load_model(rated, max_hr=None, resting_hr=None, threshold_pace_s_per_km=None).model
        == "session_rpe"
    )
    assert (
        choose_load_model(no_hr, max_hr=None, resting_hr=None, threshold_pace_s_per_km=None).model
        == "distance"
    )
    timed = no_hr.assign(distance_km=[np.nan, np.nan, 5.0])
    assert (
        choose_load_model(timed, max_hr=None, resting_hr=None, threshold_pace_s_per_km=None).model
        == "duration"
    )


def test_a_requested_model_without_its_data_is_refused():
    with pytest.raises(InvalidInput, match="load model 'rtss' needs data"):
        choose_load_model(
            _runs(), requested="rtss", max_hr=None, resting_hr=None, threshold_pace_s_per_km=None
        )
    with pytest.raises(InvalidInput, match="unknown load model 'trimp'"):
        choose_load_model(
            _runs(), requested="trimp", max_hr=None, resting_hr=None, threshold_pace_s_per_km=None
        )


def test_score_runs_gives_unscored_runs_the_median_rate_per_minute():
    runs = pd.DataFrame(
        {
            "hr_hist": [None, None, None],
            "avg_heart_rate_bpm": [155.0, 155.0, np.nan],
            "duration_s": [3600.0, 1800.0, 2400.0],
            "moving_s": [np.nan, np.nan, np.nan],
            "distance_km": [12.0, 6.0, 8.0],
            "ngp_speed_mps": [np.nan, np.nan, np.nan],
            "rpe": [np.nan, np.nan, np.nan],
        }
    )
    loads, how = score_runs(runs, "banister", max_hr=190, resting_hr=50, sex="male")
    per_minute = 0.75 * 0.64 * math.exp(1.44)  # the average-HR form of Banister's TRIMP
    assert_allclose(loads.to_numpy(), [60 * per_minute, 30 * per_minute, 40 * per_minute])
    assert how.tolist() == ["model", "model", "fill"]
    assert load_notes(how, "banister", "TRIMP") == [
        "1 run without heart rate from your median TRIMP per minute x the run's duration"
    ]


def test_score_runs_gives_a_run_with_an_rpe_its_session_rpe_scaled_to_the_model():
    # three runs with heart rate and an RPE of 4 for 60 min: their TRIMP per RPE-minute scales
    runs = pd.DataFrame(
        {
            "hr_hist": [None] * 4,
            "avg_heart_rate_bpm": [155.0, 155.0, 155.0, np.nan],
            "duration_s": [3600.0, 3600.0, 3600.0, 1800.0],
            "moving_s": [np.nan] * 4,
            "distance_km": [12.0, 12.0, 12.0, 6.0],
            "ngp_speed_mps": [np.nan] * 4,
            "rpe": [4.0, 4.0, 4.0, 8.0],
        }
    )
    loads, how = score_runs(runs, "banister", max_hr=190, resting_hr=50, sex="male")
    hour = 60 * 0.75 * 0.64 * math.exp(1.44)
    scale = hour / (4 * 60)  # TRIMP per RPE-minute of the three scored runs
    assert_allclose(loads.iloc[3], 8 * 30 * scale)  # RPE 8 x 30 min, scaled
    assert how.tolist() == ["model", "model", "model", "session_rpe"]
    assert load_notes(how, "banister", "TRIMP") == [
        "1 run without heart rate by session RPE (RPE x minutes, Foster 2001), scaled to TRIMP "
        "by your runs that have both"
    ]


def test_score_runs_by_distance_gives_a_run_without_one_the_median_km_per_minute():
    # a run added by hand with its minutes only: 0.2 km/min from the others, x 40 min
    runs = pd.DataFrame(
        {
            "hr_hist": [None] * 3,
            "avg_heart_rate_bpm": [np.nan] * 3,
            "duration_s": [3000.0, 1800.0, 2400.0],
            "moving_s": [np.nan] * 3,
            "distance_km": [10.0, 6.0, np.nan],
            "ngp_speed_mps": [np.nan] * 3,
            "rpe": [np.nan] * 3,
        }
    )
    loads, how = score_runs(runs, "distance")
    assert_allclose(loads.to_numpy(), [10.0, 6.0, 8.0])
    assert how.tolist() == ["model", "model", "fill"]
    assert load_notes(how, "distance", "km") == [
        "1 run without a distance from your median km per minute x the run's duration"
    ]


def test_score_runs_rtss_uses_average_speed_without_records():
    runs = pd.DataFrame(
        {
            "hr_hist": [None],
            "avg_heart_rate_bpm": [np.nan],
            "duration_s": [2850.0],
            "moving_s": [np.nan],
            "distance_km": [10.0],  # 10 km in 47:30 = 4:45/km, the threshold pace
            "ngp_speed_mps": [np.nan],
            "rpe": [np.nan],
        }
    )
    loads, how = score_runs(runs, "rtss", threshold_pace_s_per_km=285)
    assert_allclose(loads.iloc[0], 2850 / 3600 * 100)
    assert how.tolist() == ["model"]
