"""Heart-rate time histograms, and maximum heart rate estimated from records.

A run's heart rate is cached as a histogram: seconds spent at each whole beat per minute. Every
heart-rate load (Banister and Edwards TRIMP) is a sum over time of a function of heart rate, so
the histogram gives the same value as the records (to 1 bpm) for any maximum and resting heart
rate — the cache does not depend on the profile, and changing ``max_hr`` needs no recomputation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

#: The estimate of maximum heart rate: this percentile of a year of record heart rates [%].
MAX_HR_PERCENTILE = 99.5
#: How far back the estimate looks [days].
MAX_HR_LOOKBACK_DAYS = 365
#: Least heart-rate recording an estimate needs [s] (two hours): less is not a year's peak.
MAX_HR_MIN_SECONDS = 2 * 3600.0


class HeartRateHistogram(NamedTuple):
    """Seconds at each whole heart rate: ``seconds[i]`` at ``lowest_bpm + i`` [1/min, s]."""

    lowest_bpm: int
    seconds: np.ndarray

    @property
    def bpm(self) -> np.ndarray:
        """The heart rate of each bin [1/min]."""
        return np.arange(self.lowest_bpm, self.lowest_bpm + len(self.seconds), dtype="float64")

    @property
    def total_s(self) -> float:
        return float(self.seconds.sum())

    def to_json(self) -> dict:
        return {"lo": self.lowest_bpm, "s": [round(float(s), 1) for s in self.seconds]}

    @classmethod
    def from_json(cls, data: dict | None) -> HeartRateHistogram | None:
        if not data:
            return None
        return cls(int(data["lo"]), np.asarray(data["s"], dtype="float64"))


def heart_rate_histogram(
    heart_rate_bpm: pd.Series | np.ndarray, dt_s: pd.Series | np.ndarray
) -> HeartRateHistogram | None:
    """Seconds spent at each whole heart rate; None without heart-rate records.

    Parameters: ``heart_rate_bpm`` record heart rates [1/min] (NaN = not recorded); ``dt_s`` the
    time each record stands for [s].
    """
    heart_rate = np.asarray(heart_rate_bpm, dtype="float64")
    weights = np.asarray(dt_s, dtype="float64")
    known = ~np.isnan(heart_rate) & (weights > 0)
    if not known.any():
        return None
    bins = np.rint(heart_rate[known]).astype(int)
    lowest = int(bins.min())
    seconds = np.bincount(bins - lowest, weights=weights[known])
    return HeartRateHistogram(lowest, seconds)


def merge_histograms(histograms: Iterable[HeartRateHistogram | None]) -> HeartRateHistogram | None:
    """One histogram of many runs (None when none has heart rate; non-histograms are skipped)."""
    present = [h for h in histograms if isinstance(h, HeartRateHistogram) and len(h.seconds)]
    if not present:
        return None
    lowest = min(h.lowest_bpm for h in present)
    highest = max(h.lowest_bpm + len(h.seconds) for h in present)
    total = np.zeros(highest - lowest)
    for histogram in present:
        start = histogram.lowest_bpm - lowest
        total[start : start + len(histogram.seconds)] += histogram.seconds
    return HeartRateHistogram(lowest, total)


def histogram_percentile(histogram: HeartRateHistogram, percentile: float) -> float:
    """The heart rate below which ``percentile`` % of the recorded time lies [1/min].

    ``percentile`` in [%] (0-100).
    """
    cumulative = np.cumsum(histogram.seconds)
    position = int(np.searchsorted(cumulative, cumulative[-1] * percentile / 100.0))
    return float(histogram.bpm[min(position, len(cumulative) - 1)])


class MaxHeartRateEstimate(NamedTuple):
    value_bpm: float  # [1/min]
    hours: float  # hours of records it rests on [h]
    how: str


def estimate_max_heart_rate(
    histograms: Iterable[HeartRateHistogram | None],
) -> MaxHeartRateEstimate | None:
    """Maximum heart rate estimated as the 99.5th percentile of the records' heart rates.

    Give the histograms of the last ``MAX_HR_LOOKBACK_DAYS`` days of activities. A high percentile
    rather than the highest record ignores optical-sensor spikes; it underestimates a true maximum
    the runner never reached in that year (so %-of-max figures come out high — it is reported as
    an estimate). None with less than ``MAX_HR_MIN_SECONDS`` of heart-rate records.
    """
    merged = merge_histograms(histograms)
    if merged is None or merged.total_s < MAX_HR_MIN_SECONDS:
        return None
    value = histogram_percentile(merged, MAX_HR_PERCENTILE)
    hours = merged.total_s / 3600.0
    how = (
        f"{MAX_HR_PERCENTILE:g}th percentile of {hours:.0f} h of heart-rate records "
        f"in the last {MAX_HR_LOOKBACK_DAYS} days"
    )
    return MaxHeartRateEstimate(value, hours, how)
