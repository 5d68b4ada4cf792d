"""Every per-run metric from one run's records, as one flat, JSON-ready dict (the cache entry).

The entry depends on the records only — never on the profile (maximum heart rate, threshold
pace) — so the store can cache it once per run (``run_metrics`` table) and a change of profile
needs no recomputation. A change of any formula here must raise ``METRICS_VERSION``: entries of
an older version are recomputed.

One run's odd data must never stop the analysis of the others: a metric that fails on a run is
left unknown for that run, and the entry says which and why (``errors``), so the output can say so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from stridewise.metrics.elevation import total_descent
from stridewise.metrics.fatigue import aerobic_decoupling, form_drift
from stridewise.metrics.form import run_cadence, stance_balance
from stridewise.metrics.heart_rate import heart_rate_histogram
from stridewise.metrics.load import normalized_graded_speed
from stridewise.metrics.records import covered_seconds, track_arrays
from stridewise.metrics.surface import grade_roughness
from stridewise.metrics.warmup import run_start
from stridewise.model import SampleTable

if TYPE_CHECKING:
    import pandas as pd

#: Version of the formulas behind a cache entry; raise it whenever one changes.
METRICS_VERSION = 4

#: The scalar fields of an entry [unit]; ``hr_hist`` (a HeartRateHistogram as JSON) comes beside.
RUN_METRIC_FIELDS: dict[str, str] = {
    "moving_s": "s",
    "hr_seconds": "s",
    "ngp_speed_mps": "m/s",
    "warmup_hr_bpm": "1/min",
    "warmup_speed_mps": "m/s",
    "warmup_hr_coverage": "-",
    "start_speed_mps": "m/s",
    "steady_hr_bpm": "1/min",
    "peak_hr_2min_bpm": "1/min",
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
    "descent_m": "m",
}


def summarize_run(samples: SampleTable | pd.DataFrame) -> dict:
    """All per-run metrics of one activity's records (see ``RUN_METRIC_FIELDS``).

    ``samples`` is a sample table (or a canonical sample frame). Unknown values are None; an
    activity without records gives an entry of Nones with ``moving_s`` 0. A metric that raises
    is None, and ``entry["errors"]`` maps its name to the reason (absent when every metric
    worked).
    """
    errors: dict[str, str] = {}
    table = SampleTable.of(samples)
    track = _attempt("track", lambda: track_arrays(table), errors)
    if track is None:
        track = track_arrays(SampleTable.empty())
    values: dict[str, Any] = {}
    moving = _attempt(
        "moving time",
        lambda: float(np.where(track["moving"], track["dt_s"], 0.0).sum()) if len(track) else 0.0,
        errors,
    )
    values["moving_s"] = moving
    heart_rate = track.get("heart_rate_bpm")
    histogram = None
    if heart_rate is not None:
        histogram = _attempt(
            "heart rate", lambda: heart_rate_histogram(heart_rate, track["dt_s"]), errors
        )
        values["hr_seconds"] = _attempt(
            "heart rate", lambda: covered_seconds(heart_rate, track["dt_s"]), errors
        )
    else:
        values["hr_seconds"] = 0.0
    values["ngp_speed_mps"] = _attempt(
        "graded pace", lambda: normalized_graded_speed(track), errors
    )
    warmup = _attempt("warm-up", lambda: run_start(track), errors)
    decoupling = _attempt("decoupling", lambda: aerobic_decoupling(track), errors)
    drift = _attempt("form drift", lambda: form_drift(track), errors)
    cadence = _attempt("cadence", lambda: run_cadence(track), errors)
    fields = {
        "warmup_hr_bpm": (warmup, "warmup_hr_bpm"),
        "warmup_speed_mps": (warmup, "warmup_speed_mps"),
        "warmup_hr_coverage": (warmup, "warmup_hr_coverage"),
        "start_speed_mps": (warmup, "start_speed_mps"),
        "steady_hr_bpm": (warmup, "steady_hr_bpm"),
        "peak_hr_2min_bpm": (warmup, "peak_hr_2min_bpm"),
        "decoupling_pct": (decoupling, "decoupling_pct"),
        "steady_s": (decoupling, "steady_s"),
        "steady_speed_cv": (decoupling, "speed_cv"),
        "decoupling_hr_coverage": (decoupling, "hr_coverage"),
        "drift_speed_pct": (drift, "speed_change_pct"),
        "drift_cadence_pct": (drift, "cadence_change_pct"),
        "drift_stance_time_pct": (drift, "stance_time_change_pct"),
        "drift_vertical_oscillation_pct": (drift, "vertical_oscillation_change_pct"),
        "cadence_spm": (cadence, "cadence_spm"),
        "speed_mps": (cadence, "speed_mps"),
    }
    for name, (result, attribute) in fields.items():
        values[name] = None if result is None else getattr(result, attribute)
    values["balance_pct"] = _attempt(
        "ground-contact balance", lambda: stance_balance(track), errors
    )
    values["roughness"] = _attempt("surface roughness", lambda: grade_roughness(track), errors)
    if "altitude_m" in track:
        values["descent_m"] = _attempt(
            "descent", lambda: total_descent(track["altitude_m"]), errors
        )
    entry: dict = {key: _finite(values.get(key)) for key in RUN_METRIC_FIELDS}
    entry["hr_hist"] = None if histogram is None else histogram.to_json()
    if errors:
        entry["errors"] = errors
    return entry


def metrics_json(samples: SampleTable | pd.DataFrame) -> str:
    """``summarize_run`` as the JSON text the store keeps."""
    return json.dumps(summarize_run(samples))


def _attempt(name: str, compute: Callable[[], Any], errors: dict[str, str]) -> Any:
    """``compute()``, or None with the reason filed under ``name`` when it raises."""
    try:
        return compute()
    except Exception as exc:  # one run's odd data must not stop the others' analysis
        errors.setdefault(name, f"{type(exc).__name__}: {exc}"[:200])
        return None


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else round(value, 6)
