"""Fatigue within a run: aerobic decoupling (Pa:HR) and form drift.

Both look at the run *after* the warm-up (the first ``WARMUP_S`` of moving time), when heart
rate and stride have settled.

- Aerobic decoupling Pa:HR = (EF₁ − EF₂)/EF₁ × 100, EF = mean *grade-adjusted* speed / mean heart
  rate over the two halves (by moving time) of the steady part; < 5 % good, 5-10 % moderate,
  > 10 % poor (Friel / TrainingPeaks convention). Speed is adjusted to the flat speed of equal
  energy cost (Minetti et al. 2002, doi:10.1152/japplphysiol.01177.2001): a second half that
  climbs raises heart rate at the same speed, which is not fatigue. A run is *steady* when the
  coefficient of variation of its 1-minute mean speeds after the warm-up is small (the
  decoupling rule's ``max_speed_cv``, default 0.10): intervals and fartlek change heart rate for
  reasons other than fatigue.
- Form drift compares the last 20 % of the run's moving time with the first 20 % after the
  warm-up: cadence, ground contact time and vertical oscillation change [%]. Running mechanics
  change with speed, so a change means fatigue only at similar speed (Zandbergen et al. 2023,
  doi:10.3389/fspor.2023.1085513); the speed change of the two windows is kept beside the
  changes, and the form-drift rule compares only when it is within 5 % (no regression on speed:
  two windows of one run give too few points for one).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from stridewise.metrics.load import minetti_cost_ratio
from stridewise.metrics.records import covered_seconds, weighted_mean
from stridewise.metrics.warmup import WARMUP_S

#: Length of the speed bins whose variation decides whether a run is steady [s].
STEADY_BIN_S = 60.0
#: Share of the run's moving time in each form-drift window [-].
DRIFT_WINDOW_SHARE = 0.2


class Decoupling(NamedTuple):
    decoupling_pct: float  # Pa:HR [%]; positive = heart rate rose relative to speed
    steady_s: float  # moving time after the warm-up [s]
    speed_cv: float  # coefficient of variation of 1-minute mean speeds after the warm-up [-]
    hr_coverage: float  # share of the steady part with heart rate and speed [0-1]
    efficiency_first: float  # EF of the first half, grade-adjusted speed [m/s per 1/min]
    efficiency_second: float  # EF of the second half, grade-adjusted speed [m/s per 1/min]


def aerobic_decoupling(track: pd.DataFrame, warmup_s: float = WARMUP_S) -> Decoupling:
    """Pa:HR aerobic decoupling of the part of a run after ``warmup_s`` of moving time.

    Parameters: ``track`` from ``prepare_track``; ``warmup_s`` [s]. NaN values when speed or
    heart rate is missing.
    """
    nan = float("nan")
    steady = track[track["moving"] & (track["t_s"] >= warmup_s)]
    if steady.empty or "heart_rate_bpm" not in steady:
        return Decoupling(nan, float(steady["dt_s"].sum()), nan, 0.0, nan, nan)
    end = float((steady["t_s"] + steady["dt_s"]).max())
    middle = warmup_s + (end - warmup_s) / 2.0
    both = steady["speed_mps"].where(steady["heart_rate_bpm"].notna())
    coverage = covered_seconds(both, steady["dt_s"]) / float(steady["dt_s"].sum())
    # unknown grade counts as flat (minetti_cost_ratio), so a run without altitude is unchanged
    steady = steady.assign(
        graded_mps=steady["speed_mps"] * minetti_cost_ratio(steady["grade"].to_numpy())
    )
    efficiencies = []
    for half in (steady[steady["t_s"] < middle], steady[steady["t_s"] >= middle]):
        usable = half["speed_mps"].notna() & half["heart_rate_bpm"].notna()
        speed = weighted_mean(half["graded_mps"][usable], half["dt_s"][usable])
        heart_rate = weighted_mean(half["heart_rate_bpm"][usable], half["dt_s"][usable])
        efficiencies.append(speed / heart_rate if heart_rate > 0 else nan)
    first, second = efficiencies
    decoupling = (first - second) / first * 100.0 if first > 0 else nan
    return Decoupling(decoupling, end - warmup_s, speed_variation(steady), coverage, first, second)


def speed_variation(part: pd.DataFrame, bin_s: float = STEADY_BIN_S) -> float:
    """Coefficient of variation of the mean speed of each ``bin_s`` [s] of moving time [-].

    Bins with less than half their time recorded are left out. ``part`` is a slice of a track.
    """
    known = part[part["speed_mps"].notna()]
    if known.empty:
        return float("nan")
    bins = ((known["t_s"] - known["t_s"].iloc[0]) // bin_s).astype("int64")
    weighted = (known["speed_mps"] * known["dt_s"]).groupby(bins).sum()
    seconds = known["dt_s"].groupby(bins).sum()
    means = (weighted / seconds)[seconds >= bin_s / 2.0]
    if len(means) < 2 or means.mean() <= 0:
        return float("nan")
    return float(means.std(ddof=0) / means.mean())


class FormDrift(NamedTuple):
    speed_change_pct: float  # last window vs first [%]
    cadence_change_pct: float  # [%]; negative = fewer steps per minute late in the run
    stance_time_change_pct: float  # ground contact time [%]; positive = longer contact
    vertical_oscillation_change_pct: float  # [%]
    window_s: float  # length of each window [s]


def form_drift(
    track: pd.DataFrame, warmup_s: float = WARMUP_S, share: float = DRIFT_WINDOW_SHARE
) -> FormDrift:
    """Change of cadence, ground contact time and vertical oscillation over a run.

    Window 1 is [``warmup_s``, ``warmup_s`` + share·T) and window 2 the last share·T of moving
    time T. Each value is the window's median (mean for speed) and the change is
    (window 2 / window 1 − 1) × 100. NaN when the run is too short for two separate windows
    (T < ``warmup_s`` / (1 − 2·share)) or a column is missing. Parameters: ``track`` from
    ``prepare_track``; ``warmup_s`` [s]; ``share`` [-].
    """
    nan = float("nan")
    moving = track[track["moving"]]
    total = float((moving["t_s"] + moving["dt_s"]).max()) if len(moving) else 0.0
    window = share * total
    if warmup_s + window > total - window:
        return FormDrift(nan, nan, nan, nan, window)
    first = moving[(moving["t_s"] >= warmup_s) & (moving["t_s"] < warmup_s + window)]
    last = moving[moving["t_s"] >= total - window]

    def change(column: str, statistic: str) -> float:
        if column not in moving:
            return nan
        if statistic == "mean":
            before = weighted_mean(first[column], first["dt_s"])
            after = weighted_mean(last[column], last["dt_s"])
        else:
            before, after = float(first[column].median()), float(last[column].median())
        if not (before > 0) or np.isnan(after):
            return nan
        return (after / before - 1.0) * 100.0

    return FormDrift(
        change("speed_mps", "mean"),
        change("cadence_spm", "median"),
        change("stance_time_ms", "median"),
        change("vertical_oscillation_mm", "median"),
        window,
    )
