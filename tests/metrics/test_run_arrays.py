"""``summarize_run`` gives what METRICS_VERSION 4 gave before the metrics moved to numpy arrays
(issue 13), within float rounding: compared with the frozen copy of the old implementation
(``frozen_metrics.py``) on generated runs with every edge case, the sample data, the realistic
runners and, when present, every real FIT, GPX and TCX file of the corpus.

"Within float rounding": the entry keeps 6 decimals, and the new code sums in another order
(cumulative sums instead of pandas' compensated rolling and grouped sums), so a value may land on
the other side of a 6th-decimal rounding step; a difference of more than one step, or of a
relative 1e-9 on large values, is a change of formula.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from realdata import REAL, REPO

from stridewise.errors import StridewiseError
from stridewise.metrics.run import METRICS_VERSION, RUN_METRIC_FIELDS, summarize_run
from stridewise.pipeline.workers import decode_file

from . import frozen_metrics

#: One step of the stored rounding, with a margin for the float error of the rounding itself.
STEP = 1.0e-6 * 1.001


def differences(new: dict, old: dict) -> list[str]:
    """What differs beyond rounding between two entries, as readable lines (empty: the same)."""
    found = []
    for key in RUN_METRIC_FIELDS:
        a, b = new[key], old[key]
        if a is None or b is None:
            if a is not b:
                found.append(f"{key}: {a} != {b}")
        elif abs(a - b) > STEP + 1e-9 * abs(b):
            found.append(f"{key}: {a!r} != {b!r}")
    if new["hr_hist"] != old["hr_hist"]:
        found.append(f"hr_hist: {new['hr_hist']} != {old['hr_hist']}")
    if set(new.get("errors", {})) != set(old.get("errors", {})):
        found.append(f"errors: {new.get('errors')} != {old.get('errors')}")
    return found


def assert_same(samples: pd.DataFrame, what: str) -> None:
    found = differences(summarize_run(samples), frozen_metrics.summarize_run(samples))
    assert not found, f"{what}: " + "; ".join(found)


def test_the_frozen_copy_is_of_this_metrics_version():
    # a raised METRICS_VERSION means the formulas changed on purpose: freeze them again
    assert METRICS_VERSION == 4
    assert set(frozen_metrics.RUN_METRIC_FIELDS) == set(RUN_METRIC_FIELDS)


# -- generated runs -----------------------------------------------------------------------------
def realistic_run(seconds: int = 3600, seed: int = 1, step_s: float = 1.0) -> pd.DataFrame:
    """An hour at 1 Hz with heart rate, cadence, running dynamics, position and altitude."""
    rng = np.random.default_rng(seed)
    time = np.arange(seconds) * step_s
    speed = 3.0 + 0.4 * np.sin(time / 300) + rng.normal(0, 0.1, seconds)
    distance = np.cumsum(speed * step_s)
    return pd.DataFrame(
        {
            "distance_m": distance,
            "speed_mps": speed,
            "altitude_m": np.round((50 + 20 * np.sin(distance / 800)) * 5) / 5,
            "lat_deg": 52 + distance / 1e5,
            "lon_deg": 4 + distance / 1e5,
            "heart_rate_bpm": np.round(140 + time / 200 + rng.normal(0, 2, seconds)),
            "cadence_spm": np.round(170 + rng.normal(0, 3, seconds)),
            "vertical_oscillation_mm": 85 + rng.normal(0, 3, seconds),
            "stance_time_ms": 250 + time / 100 + rng.normal(0, 5, seconds),
            "stance_time_balance_pct": 50 + rng.normal(0, 1, seconds),
        },
        index=pd.DatetimeIndex(
            pd.Timestamp("2026-03-01 07:00", tz="UTC") + pd.to_timedelta(time, "s"), name="time"
        ),
    )


def _with_nan_runs(samples: pd.DataFrame) -> pd.DataFrame:
    samples = samples.copy()
    for offset in range(len(samples.columns)):
        start = 100 + 150 * offset
        samples.iloc[start : start + 120, offset] = np.nan
    samples.iloc[2000:2300] = np.nan  # every sensor lost for five minutes
    return samples


def _paused(samples: pd.DataFrame) -> pd.DataFrame:
    time = samples.index.to_series()
    shift = pd.Series(pd.Timedelta(0), index=samples.index)
    shift.iloc[1200:] += pd.Timedelta("5min")  # the timer stopped
    shift.iloc[2500:] += pd.Timedelta("31s")  # just a pause
    paused = samples.set_axis(pd.DatetimeIndex(time + shift, name="time"))
    paused.iloc[600:640, paused.columns.get_loc("speed_mps")] = 0.2  # standing at a crossing
    return paused


def _duplicated(samples: pd.DataFrame) -> pd.DataFrame:
    index = samples.index.to_numpy().copy()
    index[300:600:7] = index[299:599:7]  # records written twice within a second
    return samples.set_axis(pd.DatetimeIndex(index, name="time"))


def _smart(samples: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(samples), size=len(samples) // 4, replace=False))
    return samples.iloc[np.union1d([0, len(samples) - 1], keep)]


def _fractional(samples: pd.DataFrame) -> pd.DataFrame:
    seconds = np.cumsum(np.full(len(samples), 0.37))
    return samples.set_axis(
        pd.DatetimeIndex(samples.index[0] + pd.to_timedelta(seconds, "s"), name="time")
    )


def _implausible(samples: pd.DataFrame) -> pd.DataFrame:
    samples = samples.copy()
    samples.iloc[::13, samples.columns.get_loc("cadence_spm")] = 80.0
    samples.iloc[::17, samples.columns.get_loc("stance_time_ms")] = 900.0
    samples.iloc[::19, samples.columns.get_loc("stance_time_balance_pct")] = 95.0
    samples.iloc[::23, samples.columns.get_loc("vertical_oscillation_mm")] = 5.0
    samples.iloc[::29, samples.columns.get_loc("altitude_m")] += 40.0
    return samples


def _flat_altitude_band(samples: pd.DataFrame) -> pd.DataFrame:
    samples = samples.copy()
    # a profile that crosses the 3 m dead band back and forth, and sits exactly on it
    samples["altitude_m"] = np.tile([10.0, 13.0, 13.2, 9.9, 6.8, 6.8, 10.0], len(samples))[
        : len(samples)
    ]
    return samples


def _distance_going_back(samples: pd.DataFrame) -> pd.DataFrame:
    samples = samples.copy()
    distance = samples["distance_m"].to_numpy().copy()
    distance[1000:1010] -= 30.0  # a GPS correction
    distance[-5:] = distance[-6] - np.arange(1, 6) * 10.0  # and at the very end
    samples["distance_m"] = distance
    return samples


def _short_and_back(samples: pd.DataFrame) -> pd.DataFrame:
    # 60 m out, then the last distance back at 40 m: the grade's base is measured to the last
    # distance written (40 m < 50 m: no grade), not to the furthest
    short = samples.iloc[:21].copy()
    short["distance_m"] = np.append(np.arange(20) * 3.0, 40.0)
    return short


RUN = realistic_run()
CASES: dict[str, pd.DataFrame] = {
    "an hour with every sensor": RUN,
    "no heart rate": RUN.drop(columns="heart_rate_bpm"),
    "no distance": RUN.drop(columns="distance_m"),
    "distance without speed": RUN.drop(columns="speed_mps"),
    "distance without speed and with gaps": _with_nan_runs(RUN).drop(columns="speed_mps"),
    "neither speed nor distance": RUN.drop(columns=["speed_mps", "distance_m"]),
    "no altitude": RUN.drop(columns="altitude_m"),
    "only running dynamics": RUN[["cadence_spm", "stance_time_ms", "stance_time_balance_pct"]],
    "only the clock": RUN[[]],
    "runs of NaN": _with_nan_runs(RUN),
    "speed all NaN": RUN.assign(speed_mps=np.nan),
    "heart rate all NaN": RUN.assign(heart_rate_bpm=np.nan),
    "one sample": RUN.iloc[:1],
    "two samples": RUN.iloc[:2],
    "no samples": RUN.iloc[:0],
    "five minutes": RUN.iloc[:300],
    "duplicated timestamps": _duplicated(RUN),
    "pauses and standing": _paused(RUN),
    "smart recording": _smart(RUN),
    "fractional seconds": _fractional(RUN),
    "implausible sensor values": _implausible(RUN),
    "altitude on the dead band": _flat_altitude_band(RUN),
    "distance going back": _distance_going_back(RUN),
    "distance going back, without speed": _distance_going_back(RUN).drop(columns="speed_mps"),
    "short, and the last distance back": _short_and_back(RUN),
    "a slow walk": RUN.assign(speed_mps=RUN["speed_mps"] / 8, distance_m=RUN["distance_m"] / 8),
    "a long run": realistic_run(3 * 3600, seed=3),
    "2 s steps": realistic_run(1800, seed=5, step_s=2.0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_summarize_run_is_the_frozen_implementation(case):
    assert_same(CASES[case], case)


def test_the_comparison_sees_a_changed_value():
    entry = summarize_run(RUN)
    changed = dict(entry, decoupling_pct=entry["decoupling_pct"] + 3e-6)
    assert differences(changed, entry) == [
        f"decoupling_pct: {changed['decoupling_pct']!r} != {entry['decoupling_pct']!r}"
    ]
    assert differences(dict(entry, roughness=None), entry) == [
        f"roughness: None != {entry['roughness']}"
    ]


# -- files: the sample data and the real corpus -------------------------------------------------
def _file_activities(path: Path) -> list[pd.DataFrame]:
    try:
        activities = decode_file(path.read_bytes(), path.name, "UTC")
    except StridewiseError:
        return []
    return [a.samples for a in activities if len(a.samples.index)]


SAMPLE_FILES = sorted(
    p
    for p in (REPO / "data" / "samples").rglob("*")
    if p.is_file() and p.name.lower().endswith((".fit", ".fit.gz", ".gpx", ".tcx", ".gpx.gz"))
)


def test_the_sample_data_is_unchanged():
    assert len(SAMPLE_FILES) > 50
    compared = 0
    for path in SAMPLE_FILES:
        for number, samples in enumerate(_file_activities(path)):
            assert_same(samples, f"{path.name} #{number}")
            compared += 1
    assert compared > 50


REAL_FILES = (
    sorted(
        p for p in REAL.rglob("*") if p.is_file() and p.suffix.lower() in (".fit", ".gpx", ".tcx")
    )
    if REAL
    else []
)


@pytest.mark.skipif(REAL is None, reason="the real device files are not present")
def test_every_real_track_is_unchanged():
    compared = 0
    for path in REAL_FILES:
        for number, samples in enumerate(_file_activities(path)):
            assert_same(samples, f"{path.relative_to(REAL)} #{number}")
            compared += 1
    assert compared > 100


def test_the_realistic_runners_are_unchanged():
    from rules.realistic.runners import HISTORIES

    compared = 0
    for name in ("hot_climate_wrist_hr_runner", "hilly_runner_with_negative_split_climbs"):
        for activity in HISTORIES[name]().activities:
            if len(activity.samples.index):
                assert_same(activity.samples, f"{name} {activity.start_utc}")
                compared += 1
    assert compared > 20
