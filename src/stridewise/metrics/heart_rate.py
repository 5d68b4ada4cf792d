"""Heart-rate time histograms, and maximum heart rate estimated from records.

A run's heart rate is cached as a histogram: seconds spent at each whole beat per minute. Every
heart-rate load (Banister and Edwards TRIMP) is a sum over time of a function of heart rate, so
the histogram gives the same value as the records (to 1 bpm) for any maximum and resting heart
rate — the cache does not depend on the profile, and changing ``max_hr`` needs no recomputation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
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
        seconds = np.asarray(self.seconds, dtype="float64").tolist()  # Python floats at once
        return {"lo": self.lowest_bpm, "s": [round(s, 1) for s in seconds]}

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
    if not known.all():  # else every record, uncopied
        if not known.any():
            return None
        heart_rate, weights = heart_rate[known], weights[known]
    bins = np.rint(heart_rate).astype(int)
    lowest = int(bins.min())
    seconds = np.bincount(bins - lowest, weights=weights)
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


#: Tanaka 2001 (doi:10.1016/S0735-1097(00)01054-8): HRmax = 208 - 0.7 x age [1/min].
TANAKA_INTERCEPT_BPM = 208.0
TANAKA_SLOPE_BPM_PER_YEAR = 0.7
#: How far below Tanaka's prediction an estimate may go [1/min] (RULES.md: Tanaka minus 10; the
#: formula's standard error is about 7 bpm).
TANAKA_MARGIN_BPM = 10.0
#: A 2-minute heart rate at least this much above the runner's easy running heart rate is a hard
#: effort [-]. Easy running sits near 70-75 % of maximum and hard efforts above 85 %, and
#: 0.85 / 0.74 ≈ 1.15: without such an effort (and without an age) the data cannot say where the
#: maximum is, and the estimate is called uncertain.
HARD_EFFORT_RATIO = 1.15


class MaxHeartRateEstimate(NamedTuple):
    value_bpm: float  # [1/min]
    how: str
    uncertain: bool  # no age and no hard effort: a load model must not depend on it


def tanaka_max_heart_rate(age_years: float) -> float:
    """Predicted maximum heart rate, 208 − 0.7 × age (Tanaka 2001) [1/min].

    ``age_years`` [years]."""
    return TANAKA_INTERCEPT_BPM - TANAKA_SLOPE_BPM_PER_YEAR * age_years


def estimate_max_heart_rate(
    histograms: Iterable[HeartRateHistogram | None],
    peaks_2min_bpm: Iterable[float] = (),
    easy_level_bpm: float | None = None,
    age_years: float | None = None,
) -> MaxHeartRateEstimate | None:
    """Maximum heart rate estimated from a year of records, as RULES.md states it.

    - the 99.5th percentile of the records' heart rates (a high percentile rather than the
      highest record ignores optical-sensor spikes), with at least ``MAX_HR_MIN_SECONDS`` of them;
    - never lower than the highest 2-minute mean heart rate seen (``peaks_2min_bpm``);
    - with an age [years], never lower than Tanaka 2001 minus ``TANAKA_MARGIN_BPM`` (and Tanaka's
      prediction itself when there are no records);
    - uncertain when there is no age and no hard effort: no 2-minute peak at least
      ``HARD_EFFORT_RATIO`` × ``easy_level_bpm`` (the runner's easy running heart rate [1/min]).

    Give the histograms and peaks of the last ``MAX_HR_LOOKBACK_DAYS`` days. None when there is
    nothing to estimate from.
    """
    merged = merge_histograms(histograms)
    peaks = [p for p in peaks_2min_bpm if p is not None and np.isfinite(p)]
    peak = max(peaks) if peaks else None
    parts: list[str] = []
    value: float | None = None
    if merged is not None and merged.total_s >= MAX_HR_MIN_SECONDS:
        value = histogram_percentile(merged, MAX_HR_PERCENTILE)
        parts.append(
            f"{MAX_HR_PERCENTILE:g}th percentile of {merged.total_s / 3600:.0f} h of heart-rate "
            f"records in the last {MAX_HR_LOOKBACK_DAYS} days"
        )
    if peak is not None and (value is None or peak > value):
        value = peak
        parts.append(f"raised to your highest 2-minute heart rate ({peak:.0f} bpm)")
    if age_years is not None:
        predicted = tanaka_max_heart_rate(age_years)
        if value is None:
            value = predicted
            parts.append(f"208 - 0.7 x age {age_years:.0f} (Tanaka 2001)")
        elif value < predicted - TANAKA_MARGIN_BPM:
            value = predicted - TANAKA_MARGIN_BPM
            parts.append(
                f"raised to {TANAKA_MARGIN_BPM:g} below 208 - 0.7 x age {age_years:.0f} "
                "(Tanaka 2001)"
            )
    if value is None:
        return None
    hard = (
        peak is not None
        and easy_level_bpm is not None
        and peak >= (HARD_EFFORT_RATIO * easy_level_bpm)
    )
    uncertain = age_years is None and not hard
    if uncertain:
        parts.append(
            "uncertain: no birth year and no hard effort in the last year "
            + (
                f"(your highest 2-minute heart rate, {peak:.0f}, is within "
                f"{(HARD_EFFORT_RATIO - 1) * 100:.0f} % of your easy running heart rate, "
                f"{easy_level_bpm:.0f})"
                if peak is not None and easy_level_bpm is not None
                else "to read it from"
            )
            + "; set athlete.max_hr or athlete.birth_year"
        )
    return MaxHeartRateEstimate(value, "; ".join(parts), uncertain)
