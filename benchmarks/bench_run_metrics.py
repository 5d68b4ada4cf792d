"""The per-run metrics of one run: ``summarize_run`` against the frozen pandas implementation it
replaced (issue 13).

    python benchmarks/bench_run_metrics.py [--repeat 200] [--minutes 60]

Every import computes ``summarize_run`` once per run in its workers, so its cost per run is what
the per-run metrics add to an import. Measured in this process (process time, best of 5 rounds of
``--repeat`` calls) on generated 1 Hz runs with heart rate, cadence, running dynamics, position
and altitude: one without a pause (the usual watch recording, whose evenly spaced clock takes the
fast window paths), one with pauses, standing and heart-rate gaps (the searched paths), and one
without device speed (speed from distance, the GPX case). The frozen copy of METRICS_VERSION 4
(``tests/metrics/frozen_metrics.py``, pandas included) is timed on the same runs, and the entries
are checked to agree within the stored rounding, as ``tests/metrics/test_run_arrays.py`` checks.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from processes import REPO, load_average

sys.path.insert(0, str(REPO / "tests"))

from metrics import frozen_metrics  # noqa: E402  (tests/ holds the frozen implementation)

from stridewise.metrics.run import RUN_METRIC_FIELDS, summarize_run  # noqa: E402


def run(minutes: int, seed: int = 1) -> pd.DataFrame:
    """A run at 1 Hz with every sensor, no pause."""
    rng = np.random.default_rng(seed)
    seconds = minutes * 60
    time_s = np.arange(seconds, dtype="float64")
    speed = 3.0 + 0.4 * np.sin(time_s / 300) + rng.normal(0, 0.1, seconds)
    distance = np.cumsum(speed)
    return pd.DataFrame(
        {
            "distance_m": distance,
            "speed_mps": speed,
            "altitude_m": np.round((50 + 20 * np.sin(distance / 800)) * 5) / 5,
            "lat_deg": 52 + distance / 1e5,
            "lon_deg": 4 + distance / 1e5,
            "heart_rate_bpm": np.round(140 + time_s / 200 + rng.normal(0, 2, seconds)),
            "cadence_spm": np.round(170 + rng.normal(0, 3, seconds)),
            "vertical_oscillation_mm": 85 + rng.normal(0, 3, seconds),
            "stance_time_ms": 250 + rng.normal(0, 5, seconds),
            "stance_time_balance_pct": 50 + rng.normal(0, 1, seconds),
        },
        index=pd.DatetimeIndex(
            pd.Timestamp("2026-03-01 07:00", tz="UTC") + pd.to_timedelta(time_s, "s"), name="time"
        ),
    )


def paused(samples: pd.DataFrame) -> pd.DataFrame:
    """The run with two pauses, a stop at a crossing and a minute without heart rate."""
    third = len(samples) // 3
    shift = np.zeros(len(samples))
    shift[third:] += 300.0
    shift[2 * third :] += 45.0
    samples = samples.set_axis(samples.index + pd.to_timedelta(shift, "s"))
    samples.iloc[third // 2 : third // 2 + 40, samples.columns.get_loc("speed_mps")] = 0.2
    samples.iloc[third + 60 : third + 120, samples.columns.get_loc("heart_rate_bpm")] = np.nan
    return samples


def per_run_ms(
    compute: Callable[[pd.DataFrame], dict], samples: pd.DataFrame, repeat: int
) -> float:
    """Best of 5 rounds of process time per call [ms]."""
    compute(samples)
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(repeat):
            compute(samples)
        best = min(best, (time.process_time() - started) / repeat)
    return best * 1000.0


def agree(samples: pd.DataFrame) -> bool:
    new, old = summarize_run(samples), frozen_metrics.summarize_run(samples)
    return (
        all(
            (new[k] is None) == (old[k] is None)
            and (new[k] is None or abs(new[k] - old[k]) <= 1.001e-6 + 1e-9 * abs(old[k]))
            for k in RUN_METRIC_FIELDS
        )
        and new["hr_hist"] == old["hr_hist"]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--minutes", type=int, default=60)
    args = parser.parse_args()
    base = run(args.minutes)
    cases = {
        f"{args.minutes} min, no pause": base,
        f"{args.minutes} min, pauses and gaps": paused(base),
        f"{args.minutes} min, speed from distance": base.drop(columns="speed_mps"),
    }
    print(f"summarize_run per run, process time, best of 5 x {args.repeat}; {load_average()}")
    print(f"{'run':<36} {'now [ms]':>9} {'frozen v4 [ms]':>15} {'ratio':>7} {'agree':>6}")
    for name, samples in cases.items():
        now = per_run_ms(summarize_run, samples, args.repeat)
        old = per_run_ms(frozen_metrics.summarize_run, samples, max(args.repeat // 5, 1))
        print(f"{name:<36} {now:9.3f} {old:15.3f} {old / now:6.1f}x {agree(samples)!s:>6}")
    print(load_average())
    return 0


if __name__ == "__main__":
    sys.exit(main())
