from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

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
    assert_allclose(estimate.hours, 3.0)
    assert "99.5th percentile of 3 h" in estimate.how


def test_max_heart_rate_needs_two_hours_of_records():
    assert estimate_max_heart_rate([HeartRateHistogram(150, np.array([3600.0]))]) is None
    assert estimate_max_heart_rate([]) is None
