"""Training-load and form metrics: pure functions, units in brackets. The per-run metrics take a
run's records as numpy arrays (a ``Track``); those over a history take and give pandas.

One module per concern:

- ``records``: a run's records as a track (time steps, moving time, speed, grade).
- ``heart_rate``: heart-rate histograms and the estimate of maximum heart rate.
- ``load``: session load models (Banister and Edwards TRIMP, rTSS, session RPE, distance).
- ``training``: daily load, PMC (CTL/ATL/TSB), acute and chronic load, monotony and strain.
- ``calendar``: local days, ISO weeks, rest days and running streaks.
- ``warmup``, ``fatigue`` (decoupling, form drift), ``form`` (cadence, ground-contact balance),
  ``surface``: per-run metrics and the runner's own baselines.
- ``run``: all per-run metrics of one activity in one cacheable entry.

The names below are loaded on first use, so that importing one metrics module (the import's
per-run path) does not import the others, nor pandas with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stridewise.lazy_names import lazy_names

if TYPE_CHECKING:
    from stridewise.metrics.calendar import running_calendar, weekly_totals
    from stridewise.metrics.fatigue import aerobic_decoupling, form_drift
    from stridewise.metrics.heart_rate import estimate_max_heart_rate, heart_rate_histogram
    from stridewise.metrics.load import (
        banister_trimp,
        edwards_trimp,
        normalized_graded_speed,
        running_tss,
        session_rpe,
    )
    from stridewise.metrics.records import prepare_track
    from stridewise.metrics.run import METRICS_VERSION, summarize_run
    from stridewise.metrics.training import (
        PMC_CONVENTION,
        acute_chronic,
        daily_load,
        foster_monotony,
        pmc,
    )
    from stridewise.metrics.warmup import run_start

#: Public name -> the module that defines it.
_WHERE = {
    "METRICS_VERSION": "stridewise.metrics.run",
    "PMC_CONVENTION": "stridewise.metrics.training",
    "acute_chronic": "stridewise.metrics.training",
    "aerobic_decoupling": "stridewise.metrics.fatigue",
    "banister_trimp": "stridewise.metrics.load",
    "daily_load": "stridewise.metrics.training",
    "edwards_trimp": "stridewise.metrics.load",
    "estimate_max_heart_rate": "stridewise.metrics.heart_rate",
    "form_drift": "stridewise.metrics.fatigue",
    "foster_monotony": "stridewise.metrics.training",
    "heart_rate_histogram": "stridewise.metrics.heart_rate",
    "normalized_graded_speed": "stridewise.metrics.load",
    "pmc": "stridewise.metrics.training",
    "prepare_track": "stridewise.metrics.records",
    "running_calendar": "stridewise.metrics.calendar",
    "running_tss": "stridewise.metrics.load",
    "session_rpe": "stridewise.metrics.load",
    "summarize_run": "stridewise.metrics.run",
    "run_start": "stridewise.metrics.warmup",
    "weekly_totals": "stridewise.metrics.calendar",
}

__all__ = [
    "METRICS_VERSION",
    "PMC_CONVENTION",
    "acute_chronic",
    "aerobic_decoupling",
    "banister_trimp",
    "daily_load",
    "edwards_trimp",
    "estimate_max_heart_rate",
    "form_drift",
    "foster_monotony",
    "heart_rate_histogram",
    "normalized_graded_speed",
    "pmc",
    "prepare_track",
    "running_calendar",
    "running_tss",
    "session_rpe",
    "summarize_run",
    "run_start",
    "weekly_totals",
]


__getattr__, __dir__ = lazy_names(__name__, _WHERE)
