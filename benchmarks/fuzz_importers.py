"""The long fuzz run: every importer fed generated and mutated files, with counts and a time budget.

    python benchmarks/fuzz_importers.py [--inputs 100000] [--budget-s 1800] [--seed 1]
                                        [--only fit,gpx] [--findings DIR] [--trace-every 10]

The inputs are shared among the importers by ``SHARES`` (FIT through fitparse and through the
bulk decoder alone, GPX, TCX, every CSV layout, and Garmin / Strava export zips through
``import_paths``); each importer stops at its count or at its share of the time budget. Inputs
come from tests/robustness/fuzzing.py (seeds from data/samples, tests/fixtures and, when present,
the real device files that tests/realdata.py finds) and are reproducible: input ``i`` of
importer ``name`` is made from ``random.Random(f"{seed}-{name}-{i}")``.

Each importer runs in a worker process. Inside it, every input has a time limit (SIGALRM) and,
every ``--trace-every`` inputs, a tracemalloc bound on its heap peak; the parent also kills a
worker that makes no progress for ``HARD_TIMEOUT_S`` (a hang in C code, where no signal
handler runs) and records that input as a hang. Every finding (an exception other than a
StridewiseError, a message that does not name the file or spans lines, an activity with impossible
values, a hang, a heap peak over the bound) is written to ``--findings`` as the input's bytes plus
a .txt with the problem, and summarised at the end, grouped by problem. Exit code 1 when
anything was found.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "robustness"))

import fuzzing  # noqa: E402  (tests/robustness holds the fuzzing kit)

#: Share of the inputs (and of the time budget) each importer gets. FIT decodes slowest per
#: byte, exports cost a whole import each; the shares keep 100,000 inputs near 25 minutes.
SHARES = {
    "fit": 0.28,
    "fit-fast": 0.06,
    "gpx": 0.2,
    "tcx": 0.18,
    "csv": 0.25,
    "export": 0.03,
}

#: A worker silent this long is stuck where no alarm reaches it [s].
HARD_TIMEOUT_S = 60.0

#: Time limit of one input inside a worker [s].
INPUT_TIME_LIMIT_S = 10.0


@dataclass
class Tally:
    name: str
    inputs: int = 0
    seconds: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    findings: list[tuple[int, str]] = field(default_factory=list)


def _shared_real() -> Path | None:
    """The real device files, where the tests find them (tests/realdata.py)."""
    from realdata import REAL

    return REAL


def _worker(
    name: str,
    first: int,
    count: int,
    deadline: float,
    seed: str,
    trace_every: int,
    findings_dir: str,
    current: multiprocessing.Value,
    connection: multiprocessing.connection.Connection,
) -> None:
    """Runs inputs ``first`` .. ``count - 1`` of one importer until the deadline (monotonic)."""
    import warnings

    from stridewise.store import Store

    warnings.simplefilter("ignore")  # numpy's overflow warnings on absurd values: expected
    if name == "fit-fast":
        os.environ["STRIDEWISE_FIT_DECODER"] = "fast"
    fmt = name.removesuffix("-fast")
    real = _shared_real()
    outcomes: Counter = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(":memory:")
        seeds = fuzzing.export_seeds() if name == "export" else fuzzing.seed_files(fmt, real)
        index = first
        last_report = time.monotonic()
        for index in range(first, count):
            if time.monotonic() > deadline:
                break
            current.value = index
            rng = random.Random(f"{seed}-{name}-{index}")
            try:
                if name == "export":
                    label, data = fuzzing.export_input(rng, seeds)
                else:
                    label, data = fuzzing.make_input(rng, fmt, seeds)
            except Exception as exc:  # a bug of the kit, not of stridewise: say so, go on
                outcomes["kit error"] += 1
                connection.send(("finding", index, f"fuzzing kit: {type(exc).__name__}: {exc}"))
                continue
            try:
                if name == "export":  # a new store each: an export stored before is a duplicate
                    path = Path(scratch) / f"{index}-{label}"
                    path.write_bytes(data)
                    with Store(":memory:") as fresh:
                        outcome = fuzzing.check_import(path, fresh)
                    path.unlink()
                else:
                    outcome = fuzzing.check_input(
                        data,
                        label,
                        time_limit_s=INPUT_TIME_LIMIT_S,
                        trace_memory=index % trace_every == 0,
                        store=store,
                    )
                outcomes[outcome.kind] += 1
            except fuzzing.FuzzFailure as failure:
                outcomes["FINDING"] += 1
                _save(findings_dir, name, index, failure.finding)
                connection.send(("finding", index, failure.finding.problem))
            if time.monotonic() - last_report > 1.0:
                connection.send(("progress", index + 1, dict(outcomes)))
                outcomes.clear()
                last_report = time.monotonic()
        else:
            index = count
        connection.send(("done", index, dict(outcomes)))


def _save(findings_dir: str, name: str, index: int, finding: fuzzing.Finding) -> None:
    folder = Path(findings_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{name}-{index}"
    (folder / f"{stem}-{finding.name}").write_bytes(finding.data)
    (folder / f"{stem}.txt").write_text(f"{finding}\n")


def run_importer(
    name: str, count: int, budget_s: float, seed: str, trace_every: int, findings_dir: str
) -> Tally:
    """Run one importer's inputs in worker processes (restarted after a hard hang)."""
    tally = Tally(name)
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    deadline = started + budget_s
    first = 0
    while first < count and time.monotonic() < deadline:
        current = context.Value("q", first)
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(
            target=_worker,
            args=(name, first, count, deadline, seed, trace_every, findings_dir, current, sender),
            daemon=True,
        )
        worker.start()
        sender.close()
        finished, last_heard, done_at = False, time.monotonic(), first
        while not finished:
            if receiver.poll(1.0):
                try:
                    message = receiver.recv()
                except EOFError:
                    break
                last_heard = time.monotonic()
                if message[0] == "finding":
                    tally.findings.append((message[1], message[2]))
                else:
                    done_at = message[1]
                    tally.outcomes.update(message[2])
                    finished = message[0] == "done"
            elif not worker.is_alive():
                break
            elif time.monotonic() - last_heard > HARD_TIMEOUT_S:
                stuck = current.value
                worker.kill()
                tally.findings.append((stuck, f"hard hang: no progress for {HARD_TIMEOUT_S} s"))
                tally.outcomes["FINDING"] += 1
                done_at = stuck + 1
                break
        worker.join(5)
        if not finished and worker.exitcode not in (0, None) and done_at == current.value:
            # the worker died (a crash in C code, the OOM killer): that input is a finding
            tally.findings.append((current.value, f"worker died (exit code {worker.exitcode})"))
            tally.outcomes["FINDING"] += 1
            done_at = current.value + 1
        first = max(done_at, current.value + (0 if finished else 1))
        if finished:
            break
    tally.inputs = sum(tally.outcomes.values())
    tally.seconds = time.monotonic() - started
    return tally


def _problem_kind(problem: str) -> str:
    """A finding's problem without its numbers and quoted values, to group alike findings."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "#", problem)[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs over all importers")
    parser.add_argument("--budget-s", type=float, default=1800.0, help="time budget [s]")
    parser.add_argument("--seed", default="1", help="base seed; inputs are reproducible from it")
    parser.add_argument("--only", default="", help="comma-separated importers: " + ",".join(SHARES))
    parser.add_argument("--findings", default="fuzz-findings", help="folder for findings")
    parser.add_argument("--trace-every", type=int, default=10, help="tracemalloc every N inputs")
    args = parser.parse_args(argv)
    chosen = [n for n in SHARES if not args.only or n in args.only.split(",")]
    total_share = sum(SHARES[n] for n in chosen)
    print(
        f"fuzzing {', '.join(chosen)}: {args.inputs:,} inputs, budget {args.budget_s:.0f} s, "
        f"seed {args.seed}, findings in {args.findings}",
        flush=True,
    )
    tallies = []
    for name in chosen:
        share = SHARES[name] / total_share
        tally = run_importer(
            name,
            round(args.inputs * share),
            args.budget_s * share,
            args.seed,
            args.trace_every,
            args.findings,
        )
        tallies.append(tally)
        rate = tally.inputs / tally.seconds if tally.seconds else 0.0
        print(
            f"{name:9s} {tally.inputs:7,d} inputs in {tally.seconds:6.0f} s "
            f"({rate:5.0f}/s)  {dict(sorted(tally.outcomes.items()))}",
            flush=True,
        )
    total = sum(t.inputs for t in tallies)
    seconds = sum(t.seconds for t in tallies)
    print(f"total     {total:7,d} inputs in {seconds:6.0f} s ({total / max(seconds, 1e-9):5.0f}/s)")
    found = [(t.name, index, problem) for t in tallies for index, problem in t.findings]
    groups: dict[str, list[tuple[str, int, str]]] = {}
    for item in found:
        groups.setdefault(_problem_kind(item[2]), []).append(item)
    print(f"findings: {len(found)} ({len(groups)} kinds)")
    for items in sorted(groups.values(), key=len, reverse=True):
        name, index, problem = items[0]
        print(f"  {len(items):5d} x {problem[:200]}  [first: {name} input {index}]")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
