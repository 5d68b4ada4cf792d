"""How long evaluating every rule over five years of history takes (target: under 2 s).

    python benchmarks/bench_rules.py [--years 5] [--repeat 5]

Builds a temporary store the way five years of imports leave it: one run on most days (rest on
some, a double on others; about 1,800 runs, a sixth on trails with barometric altitude), two
strength or core sessions and a yoga class most weeks, a daily resting heart rate, HRV and
night's sleep, three pairs of shoes and a pain journal — so that every rule has its data and
runs (the benchmark lists any that did not). Generating 1,800 runs of per-second records would
take minutes and measure the import, not the rules, so each run is stored as a summary with a
per-run metrics entry of every field of ``RUN_METRIC_FIELDS`` (``metrics.run``) and a heart-rate
histogram, marked as having records: what the store holds after an import computed them.

Timed, best and median of ``--repeat`` (one process, after one untimed round; wall time, and the
process time of load + whole history, which waiting for a core on a loaded machine does not
inflate):

- ``History.from_store`` (activities, shoes, metrics, wellness, pain): read once per command;
- ``evaluate`` over the whole history (``stridewise flags`` without ``--since``);
- ``evaluate`` of the last week (the weekly report's findings) on the same history.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from processes import load_average

from stridewise.history import History
from stridewise.importers.exports import WellnessDay
from stridewise.metrics.run import METRICS_VERSION, RUN_METRIC_FIELDS
from stridewise.model import Activity
from stridewise.pain import add_pain
from stridewise.profile import Profile
from stridewise.rules import RULES, evaluate
from stridewise.shoes import add_shoe
from stridewise.store import Store

ATHLETE = "me"
SHOES = ("Pegasus 40", "Clifton 9", "Speedgoat 5")
LAST_DAY = date(2026, 11, 29)  # a Sunday
TARGET_S = 2.0


def _activity(day: date, hour: float, sport: str, sub_sport: str | None, minutes: float,
              index: int, **values) -> Activity:  # fmt: skip
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour - 1)
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_utc=start,
        utc_offset_s=3600,
        timer_s=minutes * 60.0,
        elapsed_s=minutes * 60.0 + 30,
        source_name=f"bench-{index}.fit",
        source_format="fit",
        source_sha256=f"bench-{index}",
        source_index=0,
        **values,
    )


def synthetic_history(years: int, rng: np.random.Generator) -> list[Activity]:
    """Runs most days, strength twice and yoga once most weeks, oldest first."""
    first = LAST_DAY - timedelta(days=years * 365 - 1)
    activities = []
    for number in range((LAST_DAY - first).days + 1):
        day = first + timedelta(days=number)
        count = rng.choice([0, 1, 1, 1, 1, 2], p=[0.12, 0.2, 0.2, 0.2, 0.2, 0.08])
        for repeat in range(count):
            km = float(np.clip(rng.normal(9.0, 3.0), 3.0, 32.0))
            trail = rng.random() < 0.15
            activities.append(
                _activity(
                    day, 7 + 10 * repeat, "running", "trail" if trail else "street",
                    km * float(rng.normal(5.5, 0.3)), len(activities),
                    distance_m=km * 1000.0,
                    avg_heart_rate_bpm=float(rng.normal(145, 6)),
                    avg_cadence_spm=float(rng.normal(172, 3)),
                    surface="trail" if trail else "road",
                    surface_source="file",
                    altitude_source="barometric" if trail else None,
                    shoe=SHOES[2] if trail else SHOES[number // 200 % 2],
                )
            )  # fmt: skip
        if day.weekday() in (1, 4) and rng.random() < 0.8:
            sub = "strength_training" if day.weekday() == 1 else "core_training"
            activities.append(_activity(day, 18, "training", sub, 40, len(activities)))
        if day.weekday() == 2 and rng.random() < 0.6:
            activities.append(_activity(day, 19, "training", "yoga", 60, len(activities)))
    return activities


def synthetic_entry(run: Activity, rng: np.random.Generator) -> dict:
    """A per-run metrics entry with every field of RUN_METRIC_FIELDS, as an import stores it."""
    seconds = run.timer_s
    speed = run.distance_m / seconds
    heart_rates = np.clip(rng.normal(run.avg_heart_rate_bpm, 9, 200), 90, 195)
    lowest = int(heart_rates.min())
    histogram = np.bincount(heart_rates.astype(int) - lowest) * seconds / 200
    trail = run.surface == "trail"
    entry = {
        "moving_s": seconds,
        "hr_seconds": seconds,
        "ngp_speed_mps": speed * (1.04 if trail else 1.0),
        "warmup_hr_bpm": float(rng.normal(132, 8)),
        "warmup_speed_mps": speed * float(rng.normal(0.95, 0.03)),
        "warmup_hr_coverage": 1.0,
        "start_speed_mps": speed * float(rng.normal(0.92, 0.05)),
        "steady_hr_bpm": float(rng.normal(146, 6)),
        "peak_hr_2min_bpm": float(rng.normal(168, 6)),
        "decoupling_pct": float(rng.normal(3, 2.5)),
        "steady_s": seconds - 600,
        "steady_speed_cv": float(abs(rng.normal(0.06, 0.03))),
        "decoupling_hr_coverage": 1.0,
        "drift_speed_pct": float(rng.normal(0, 4)),
        "drift_cadence_pct": float(rng.normal(-1, 1.5)),
        "drift_stance_time_pct": float(rng.normal(1, 2)),
        "drift_vertical_oscillation_pct": float(rng.normal(0, 2)),
        "cadence_spm": run.avg_cadence_spm,
        "speed_mps": speed,
        "balance_pct": float(rng.normal(50.2, 0.6)),
        "roughness": 0.12 if trail else 0.01,
        "descent_m": float(rng.uniform(150, 600)) if trail else None,
    }
    if set(entry) != set(RUN_METRIC_FIELDS):
        raise SystemExit(f"the entry's fields differ from RUN_METRIC_FIELDS: {sorted(entry)}")
    entry["hr_hist"] = {"lo": lowest, "s": [round(float(s), 1) for s in histogram]}
    return entry


def wellness(years: int, rng: np.random.Generator) -> list[WellnessDay]:
    first = LAST_DAY - timedelta(days=years * 365 - 1)
    return [
        WellnessDay(
            date=(first + timedelta(days=n)).isoformat(),
            resting_hr_bpm=float(round(rng.normal(50, 2))),
            hrv_sdnn_ms=float(rng.normal(60, 8)),
            sleep_s=float(rng.normal(7.3, 0.7) * 3600),
        )
        for n in range((LAST_DAY - first).days + 1)
    ]


def build_store(path: Path, years: int) -> tuple[int, int]:
    """The store; how many runs and other sessions it holds."""
    rng = np.random.default_rng(2026)
    activities = synthetic_history(years, rng)
    with Store(path) as store:
        ids = store.save_file(ATHLETE, "bench.fit", "bench", activities)
        runs = {i: a for i, a in zip(ids, activities, strict=True) if a.sport == "running"}
        entries = {i: json.dumps(synthetic_entry(run, rng)) for i, run in runs.items()}
        store.save_run_metrics(entries, METRICS_VERSION)
        # as if each run had its records (the benchmark stores none: see the docstring)
        store.conn.execute("UPDATE activities SET n_samples = 3600 WHERE sport = 'running'")
        store.conn.commit()
        store.save_wellness(ATHLETE, wellness(years, rng), "garmin export")
        first = LAST_DAY - timedelta(days=years * 365 - 1)
        add_shoe(store, ATHLETE, SHOES[0], limit_km=800, default=True, since=first)
        add_shoe(store, ATHLETE, SHOES[1], limit_km=700)
        add_shoe(store, ATHLETE, SHOES[2], limit_km=800)
        for offset in range(0, 365 * years, 4):
            add_pain(store, ATHLETE, LAST_DAY - timedelta(days=offset), int(rng.integers(0, 4)))
    return len(runs), len(activities) - len(runs)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def cpu_timed(action) -> tuple[float, object]:
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    profile = Profile(sex="female", max_hr=190, birth_year=1986)
    week = (LAST_DAY - timedelta(days=6), LAST_DAY)
    loads, wholes, weeks, cpus = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        runs, others = build_store(path, args.years)
        with Store(path, readonly=True) as store:
            for attempt in range(args.repeat + 1):
                load_s, history = timed(lambda: History.from_store(store, ATHLETE, profile))
                whole_s, evaluation = timed(lambda h=history: evaluate(h))
                week_s, _ = timed(lambda h=history: evaluate(h, *week))
                cpu_s, _ = cpu_timed(lambda: evaluate(History.from_store(store, ATHLETE, profile)))
                if attempt:  # the first round fills caches (imports, the OS's file cache)
                    loads.append(load_s)
                    wholes.append(whole_s)
                    weeks.append(week_s)
                    cpus.append(cpu_s)
    print(
        f"{runs} runs and {others} strength, core and yoga sessions over {args.years} years, "
        f"daily wellness; {len(RULES)} rules: {len(evaluation.findings)} findings"
    )
    for rule_id, result in evaluation.results.items():
        if result.not_evaluated is not None:
            print(f"  NOT EVALUATED: {rule_id}: {result.not_evaluated}")
        for note in result.notes:
            print(f"  note: {rule_id}: {note}")
    print(f"{'[s], ' + str(args.repeat) + ' rounds':<36} {'best':>6} {'median':>6}")
    for label, values in (
        ("History.from_store", loads),
        ("evaluate, whole history", wholes),
        ("evaluate, last week", weeks),
        ("load + whole history", [a + b for a, b in zip(loads, wholes, strict=True)]),
        ("load + last week", [a + b for a, b in zip(loads, weeks, strict=True)]),
        ("load + whole history, process time", cpus),
    ):
        print(f"{label:<36} {min(values):>6.2f} {statistics.median(values):>6.2f}")
    total = statistics.median([a + b for a, b in zip(loads, wholes, strict=True)])
    verdict = "met" if total < TARGET_S else "MISSED"
    print(
        f"load + whole history: {total:.2f} s (target < {TARGET_S:g} s): {verdict}; "
        f"{load_average()}"
    )
    return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
