"""Hand-built runs for metric and rule tests: records with known shapes, and summary histories.

Imported by tests/metrics and tests/rules (pytest puts tests/ on sys.path for tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

Signal = float | Callable[[np.ndarray], np.ndarray] | None


def _values(signal: Signal, seconds: np.ndarray) -> np.ndarray | None:
    if signal is None:
        return None
    if callable(signal):
        return np.asarray(signal(seconds), dtype="float64")
    return np.full(len(seconds), float(signal))


def run_samples(
    minutes: float = 50.0,
    *,
    start: str = "2026-03-02T07:00:00Z",
    speed: Signal = 3.0,
    heart_rate: Signal = None,
    cadence: Signal = None,
    stance_time: Signal = None,
    balance: Signal = None,
    vertical_oscillation: Signal = None,
    altitude: Signal = None,
    step_s: float = 1.0,
) -> pd.DataFrame:
    """Canonical samples of one run: each signal a constant or a function of elapsed seconds.

    Units as in SAMPLE_COLUMNS: speed [m/s], heart rate and cadence [1/min], stance time [ms],
    balance [% left], vertical oscillation [mm], altitude [m]. Distance integrates speed.
    """
    seconds = np.arange(0.0, minutes * 60.0, step_s)
    index = pd.DatetimeIndex(pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"), name="time")
    speed_values = _values(speed, seconds)
    columns: dict[str, np.ndarray] = {}
    if speed_values is not None:
        columns["distance_m"] = np.concatenate([[0.0], np.cumsum(speed_values[:-1] * step_s)])
        columns["speed_mps"] = speed_values
    for name, signal in (
        ("altitude_m", altitude),
        ("heart_rate_bpm", heart_rate),
        ("cadence_spm", cadence),
        ("vertical_oscillation_mm", vertical_oscillation),
        ("stance_time_ms", stance_time),
        ("stance_time_balance_pct", balance),
    ):
        values = _values(signal, seconds)
        if values is not None:
            columns[name] = values
    return pd.DataFrame(columns, index=index)


def easy_heart_rate(seconds: np.ndarray, start: float = 105.0, steady: float = 140.0) -> np.ndarray:
    """Heart rate rising gently over 8 minutes to a steady value (an easy start) [1/min]."""
    return np.minimum(start + (steady - start) * seconds / 480.0, steady)


def summary_runs(
    first_day: date,
    distances_km: Sequence[float | None],
    *,
    pace_s_per_km: float = 330.0,
    **columns: object,
) -> pd.DataFrame:
    """One run per day from ``first_day`` for each distance; None means a rest day (no row).

    Extra keyword columns are constants or sequences over the kept rows.
    """
    rows = [
        {"local_date": first_day + timedelta(days=offset), "distance_km": km}
        for offset, km in enumerate(distances_km)
        if km is not None
    ]
    frame = pd.DataFrame(rows)
    frame["duration_s"] = frame["distance_km"] * pace_s_per_km
    frame["id"] = np.arange(1, len(frame) + 1)
    for name, value in columns.items():
        frame[name] = value
    return frame


def weekly_pattern(weeks: int, week: Sequence[float | None]) -> list[float | None]:
    """A 7-day pattern of distances [km] (None = rest day) repeated for ``weeks`` weeks."""
    return list(week) * weeks
