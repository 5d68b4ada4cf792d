from __future__ import annotations

import numpy as np
import pytest

from stridewise.metrics.heart_rate import (
    HeartRateHistogram,
    estimate_max_heart_rate,
    heart_rate_histogram,
    histogram_percentile,
    merge_histograms,
)


def test_histogram_counts_seconds_at_each_whole_heart_rate():
    histogram = heart_rate_histogram(np.array([120.2, 119.8, np.nan, 122.0]), np.ones(4) * 2)
    assert histogram.lowest_bpm == 120
    assert histogram.seconds.tolist() == [4.0, 0.0, 2.0]
    assert histogram.total_s == 6.0
    assert HeartRateHistogram.from_json(histogram.to_json()).seconds.tolist() == [4.0, 0.0, 2.0]


def test_histogram_of_no_heart_rate_is_none():
    assert heart_rate_histogram(np.array([np.nan, np.nan]), np.ones(2)) is None


def test_merged_histograms_and_their_percentile():
    low = HeartRateHistogram(100, np.array([990.0]))
    high = HeartRateHistogram(180, np.array([5.0, 5.0]))
    merged = merge_histograms([low, None, high, float("nan")])
    assert merged.lowest_bpm == 100 and merged.total_s == 1000.0
    assert histogram_percentile(merged, 99.0) == 100.0
    assert histogram_percentile(merged, 99.5) == 180.0
    assert histogram_percentile(merged, 100.0) == 181.0


def test_max_heart_rate_is_estimated_from_the_995th_percentile():
    # 3 h at 150 bpm and 1 % of the time at 185: the 99.5th percentile is 185
    histogram = HeartRateHistogram(150, np.zeros(36))
    histogram.seconds[0] = 3 * 3600 * 0.99
    histogram.seconds[35] = 3 * 3600 * 0.01
    estimate = estimate_max_heart_rate([histogram])
    assert estimate.value_bpm == 185.0
    assert "99.5th percentile of 3 h" in estimate.how


def easy_hours(bpm: float = 140.0, hours: float = 3.0) -> HeartRateHistogram:
    return HeartRateHistogram(int(bpm), np.array([hours * 3600.0]))


def test_the_estimate_is_never_below_the_highest_two_minute_heart_rate():
    # the percentile of a year of easy running is 140; one interval session peaked at 178
    estimate = estimate_max_heart_rate([easy_hours()], [150.0, 178.0], easy_level_bpm=140.0)
    assert estimate.value_bpm == 178.0
    assert "raised to your highest 2-minute heart rate (178 bpm)" in estimate.how
    assert not estimate.uncertain  # 178 >= 1.15 x 140 = 161: a hard effort was seen


def test_with_an_age_the_estimate_is_never_below_tanaka_minus_ten():
    # 40 years: 208 - 0.7 x 40 = 180; an easy-only year reads 143 -> raised to 170
    estimate = estimate_max_heart_rate([easy_hours(143)], [145.0], 140.0, age_years=40)
    assert estimate.value_bpm == pytest.approx(170.0)
    assert "10 below 208 - 0.7 x age 40 (Tanaka 2001)" in estimate.how
    assert not estimate.uncertain
    # near miss: a real 185 stays 185
    assert estimate_max_heart_rate([easy_hours()], [185.0], 140.0, age_years=40).value_bpm == 185


def test_without_age_or_a_hard_effort_the_estimate_is_uncertain():
    # an easy-only runner: highest 2 minutes 150, easy level 140 (150 < 161)
    estimate = estimate_max_heart_rate([easy_hours(143)], [150.0], easy_level_bpm=140.0)
    assert estimate.value_bpm == 150.0
    assert estimate.uncertain
    assert "uncertain: no birth year and no hard effort" in estimate.how


def test_an_age_alone_gives_tanakas_prediction():
    estimate = estimate_max_heart_rate([], [], None, age_years=30)
    assert estimate.value_bpm == pytest.approx(187.0)  # 208 - 21
    assert not estimate.uncertain


def test_max_heart_rate_needs_two_hours_of_records():
    assert estimate_max_heart_rate([HeartRateHistogram(150, np.array([3600.0]))]) is None
    assert estimate_max_heart_rate([]) is None
