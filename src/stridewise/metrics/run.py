"""Every per-run metric from one run's records, as one flat, JSON-ready dict (the cache entry).

The entry depends on the records only — never on the profile (maximum heart rate, threshold
pace) — so the store can cache it once per run (``run_metrics`` table) and a change of profile
needs no recomputation. A change of any formula here must raise ``METRICS_VERSION``: entries of
an older version are recomputed on the next evaluation.
"""

from __future__ import annotations

import math

import pandas as pd

from stridewise.metrics.fatigue import aerobic_decoupling, form_drift
from stridewise.metrics.form import run_cadence, stance_balance
from stridewise.metrics.heart_rate import heart_rate_histogram
from stridewise.metrics.load import normalized_graded_speed
from stridewise.metrics.records import covered_seconds, prepare_track
from stridewise.metrics.surface import grade_roughness
from stridewise.metrics.warmup import warmup_intensity

#: Version of the formulas behind a cache entry; raise it whenever one changes.
METRICS_VERSION = 1

#: The scalar fields of an entry [unit]; ``hr_hist`` (a HeartRateHistogram as JSON) comes beside.
RUN_METRIC_FIELDS: dict[str, str] = {
    "moving_s": "s",
    "hr_seconds": "s",
    "ngp_speed_mps": "m/s",
    "warmup_hr_max_bpm": "1/min",
    "warmup_hr_mean_bpm": "1/min",
    "warmup_hr_sustained_bpm": "1/min",
    "warmup_hr_coverage": "-",
    "warmup_speed_ratio": "-",
    "decoupling_pct": "%",
    "steady_s": "s",
    "steady_speed_cv": "-",
    "decoupling_hr_coverage": "-",
    "drift_speed_pct": "%",
    "drift_cadence_pct": "%",
    "drift_stance_time_pct": "%",
    "drift_vertical_oscillation_pct": "%",
    "cadence_spm": "1/min",
    "speed_mps": "m/s",
    "balance_pct": "%",
    "roughness": "-",
}


def summarize_run(samples: pd.DataFrame) -> dict:
    """All per-run metrics of one activity's records (see ``RUN_METRIC_FIELDS``).

    ``samples`` is a canonical sample frame. Unknown values are None; an activity without records
    gives an entry of Nones with ``moving_s`` 0.
    """
    track = prepare_track(samples)
    moving_s = float(track["dt_s"].where(track["moving"], 0.0).sum()) if len(track) else 0.0
    heart_rate = track.get("heart_rate_bpm")
    histogram = None if heart_rate is None else heart_rate_histogram(heart_rate, track["dt_s"])
    warmup = warmup_intensity(track)
    decoupling = aerobic_decoupling(track)
    drift = form_drift(track)
    cadence = run_cadence(track)
    values = {
        "moving_s": moving_s,
        "hr_seconds": 0.0 if heart_rate is None else covered_seconds(heart_rate, track["dt_s"]),
        "ngp_speed_mps": normalized_graded_speed(track),
        "warmup_hr_max_bpm": warmup.hr_max_bpm,
        "warmup_hr_mean_bpm": warmup.hr_mean_bpm,
        "warmup_hr_sustained_bpm": warmup.hr_sustained_bpm,
        "warmup_hr_coverage": warmup.hr_coverage,
        "warmup_speed_ratio": warmup.speed_ratio,
        "decoupling_pct": decoupling.decoupling_pct,
        "steady_s": decoupling.steady_s,
        "steady_speed_cv": decoupling.speed_cv,
        "decoupling_hr_coverage": decoupling.hr_coverage,
        "drift_speed_pct": drift.speed_change_pct,
        "drift_cadence_pct": drift.cadence_change_pct,
        "drift_stance_time_pct": drift.stance_time_change_pct,
        "drift_vertical_oscillation_pct": drift.vertical_oscillation_change_pct,
        "cadence_spm": cadence.cadence_spm,
        "speed_mps": cadence.speed_mps,
        "balance_pct": stance_balance(track),
        "roughness": grade_roughness(track),
    }
    entry: dict = {key: _finite(value) for key, value in values.items()}
    entry["hr_hist"] = None if histogram is None else histogram.to_json()
    return entry


def _finite(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else round(value, 6)
