"""How long evaluating every rule over five years of history takes (target: under 2 s).

    python benchmarks/bench_rules.py [--years 5]

Builds a temporary store with one run on most days for five years (about 1,800 runs: rest on
some days, a double on others) and three pairs of shoes. Generating 1,800 runs of per-second
samples and summarising them would take minutes and measure the one-off cache fill, not the
evaluation, so the benchmark inserts the summaries plus a synthetic *cached* per-run metrics
entry for each run (the ``run_metrics`` table), marking each run as having records — exactly
what a store looks like after the first evaluation. The timed part is what every later
``stridewise flags`` does: ``History.from_store`` (activities, shoes, cache) and ``evaluate``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from stridewise.history import History
from stridewise.metrics.run import METRICS_VERSION
from stridewise.model import Activity
from stridewise.profile import Profile
from stridewise.rules import RULES, evaluate
from stridewise.store import Store

SHOES = ("Pegasus 40", "Clifton 9", "Speedgoat 5")


def synthetic_runs(years: int, rng: np.random.Generator) -> list[Activity]:
    first = datetime(2021, 1, 4, 6, 30, tzinfo=UTC)
    runs = []
    for day in range(years * 365):
        count = rng.choice([0, 1, 1, 1, 1, 2], p=[0.12, 0.2, 0.2, 0.2, 0.2, 0.08])
        for repeat in range(count):
            km = float(np.clip(rng.normal(9.0, 3.0), 3.0, 32.0))
            trail = rng.random() < 0.15
            runs.append(
                Activity(
                    sport="running",
                    start_utc=first + timedelta(days=day, hours=10 * repeat),
                    utc_offset_s=3600,
                    distance_m=km * 1000,
                    timer_s=km * rng.normal(330, 20),
                    avg_heart_rate_bpm=float(rng.normal(145, 6)),
                    avg_cadence_spm=float(rng.normal(172, 3)),
                    surface="trail" if trail else "road",
                    surface_source="file",
                    shoe=SHOES[2] if trail else SHOES[day // 200 % 2],
                    source_name="bench.fit",
                    source_format="fit",
                    source_sha256="bench",
                    source_index=len(runs),
                )
            )
    return runs


def synthetic_entry(run: Activity, rng: np.random.Generator) -> dict:
    seconds = run.timer_s
    heart_rates = np.clip(rng.normal(run.avg_heart_rate_bpm, 9, 200), 90, 195)
    lowest = int(heart_rates.min())
    histogram = np.bincount(heart_rates.astype(int) - lowest) * seconds / 200
    return {
        "moving_s": seconds,
        "hr_seconds": seconds,
        "ngp_speed_mps": run.distance_m / seconds,
        "warmup_hr_max_bpm": float(rng.normal(145, 8)),
        "warmup_hr_mean_bpm": float(rng.normal(128, 6)),
        "warmup_hr_sustained_bpm": float(rng.normal(140, 8)),
        "warmup_hr_coverage": 1.0,
        "warmup_speed_ratio": float(rng.normal(0.98, 0.03)),
        "decoupling_pct": float(rng.normal(3, 2.5)),
        "steady_s": seconds - 600,
        "steady_speed_cv": float(abs(rng.normal(0.06, 0.03))),
        "decoupling_hr_coverage": 1.0,
        "drift_speed_pct": float(rng.normal(0, 4)),
        "drift_cadence_pct": float(rng.normal(-1, 1.5)),
        "drift_stance_time_pct": float(rng.normal(1, 2)),
        "drift_vertical_oscillation_pct": float(rng.normal(0, 2)),
        "cadence_spm": run.avg_cadence_spm,
        "speed_mps": run.distance_m / seconds,
        "balance_pct": float(rng.normal(50.2, 0.6)),
        "roughness": 0.12 if run.surface == "trail" else 0.01,
        "hr_hist": {"lo": lowest, "s": [round(float(s), 1) for s in histogram]},
    }


def build_store(path: Path, years: int) -> int:
    rng = np.random.default_rng(2026)
    runs = synthetic_runs(years, rng)
    with Store(path) as store:
        ids = store.save_file("me", "bench.fit", "bench", runs)
        entries = {
            i: json.dumps(synthetic_entry(run, rng)) for i, run in zip(ids, runs, strict=True)
        }
        store.save_run_metrics_entries(entries, METRICS_VERSION)
        store.conn.execute("UPDATE activities SET n_samples = 3600 WHERE athlete = 'me'")
    return len(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    profile = Profile(sex="female", max_hr=190, resting_hr=50)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        count = build_store(path, args.years)
        with Store(path) as store:
            started = time.perf_counter()
            history = History.from_store(store, "me", profile)
            loaded = time.perf_counter()
            evaluation = evaluate(history)
            finished = time.perf_counter()
    total = finished - started
    print(
        f"{count} runs over {args.years} years, {len(RULES)} rules: "
        f"{len(evaluation.findings)} findings, {len(evaluation.not_evaluated)} not evaluated"
    )
    print(
        f"load history {loaded - started:.2f} s + evaluate {finished - loaded:.2f} s "
        f"= {total:.2f} s (target < 2 s)"
    )
    return 0 if total < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
