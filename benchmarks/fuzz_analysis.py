"""The long fuzz run of the analysis: random histories stored and analysed until the budget ends.

    python benchmarks/fuzz_analysis.py [--budget-s 1500] [--seed 0] [--charts-every 10]

Case ``i`` is drawn from seed ``seed + i`` (tests/robustness/analysis_fuzzing.py: activities of
every kind with empty, constant, NaN, one-sample, duplicated-time and limit values, odd shoe
names, pain, wellness with NaN, extreme profiles), stored the import's way in an in-memory store
and read by everything that reads a store (History, the rules and their text and JSON, weekly
reports in every format, the activity and shoe tables, the pain associations). Charts are drawn
for one case in ``--charts-every``. Prints the cases run, the findings grouped by where they
were raised (with the first seed of each), and figures; exit code 1 when anything was found.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "robustness"))

import analysis_fuzzing  # noqa: E402  (tests/robustness holds the fuzzing kit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget-s", type=float, default=1500.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--charts-every", type=int, default=10)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    started = time.monotonic()
    found: dict[str, list[analysis_fuzzing.Finding]] = defaultdict(list)
    totals: Counter[str] = Counter()
    cases = 0
    while time.monotonic() - started < args.budget_s:
        seed = args.seed + cases
        cases += 1
        try:
            figures = analysis_fuzzing.check_case(seed, draw_charts=cases % args.charts_every == 0)
        except analysis_fuzzing.AnalysisFailure as failure:
            where = failure.finding.problem.rsplit(" (at ", 1)[-1]
            found[where].append(failure.finding)
            continue
        totals.update(figures)
        if cases % 100 == 0:
            print(f"{cases} cases, {sum(map(len, found.values()))} findings, "
                  f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
    seconds = time.monotonic() - started
    print(f"\n{cases} cases in {seconds:.0f} s ({seconds / cases:.2f} s a case)")
    print(
        f"{totals['activities']} activities generated, {totals['refused']} refused by the "
        f"cleaning, {totals['rows']} stored after merging, {totals['findings']} flags, "
        f"{totals['weeks']} weekly reports"
    )
    print(f"{sum(map(len, found.values()))} findings at {len(found)} places")
    for findings in sorted(found.values(), key=len, reverse=True):
        print(f"  {len(findings)} x {findings[0]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
