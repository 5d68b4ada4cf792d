"""What the import workers do to a file, and the pool they run in.

A worker takes a file's bytes and returns its activities decoded, cleaned, with their per-run
metrics computed and their samples encoded for the store: everything but the write, which the one
writer does. The same function runs in the main process when an import is too small to be worth
worker processes.

The pool is built so that a worker never outlives the import: each worker watches its parent and
exits when it is gone (a killed import leaves no process behind), and at most one worker per
CPU core is started whatever was asked.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING

from stridewise.importers.dispatch import decode, unpack
from stridewise.metrics.run import metrics_json
from stridewise.model import Activity, SampleTable
from stridewise.pipeline.cleaning import clean_activities
from stridewise.pipeline.sports import SportChoice, infer_surface_at_import
from stridewise.store import Store, encode_samples

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

#: How often a worker checks that its parent is still there [s].
PARENT_CHECK_S = 0.5


def decode_file(
    payload: bytes,
    name: str,
    default_timezone: str | None,
    default_sport: SportChoice | None = None,
) -> list[Activity]:
    """Bytes in, whole cleaned activities (or a StridewiseError) out."""
    activities = decode(unpack(payload, name), default_timezone=default_timezone)
    return clean_activities(activities, name, default_sport=default_sport)


def prepare_file(
    payload: bytes,
    name: str,
    default_timezone: str | None,
    pack: bool,
    default_sport: SportChoice | None = None,
) -> list[Activity]:
    """``decode_file``, then what ``measure_activity`` computes and (with ``pack``) each
    activity's samples encoded for the store, so the writer only inserts bytes and the samples
    cross the process boundary once, compressed."""
    activities = decode_file(payload, name, default_timezone, default_sport)
    for activity in activities:
        measure_activity(activity)
        if pack:
            activity.packed_samples = encode_samples(activity.table)
            activity.table = SampleTable(activity.table.times_ns)  # its length is the count
    return activities


def measure_activity(activity: Activity) -> None:
    """What an import computes from a clean activity's records, in place: its per-run metrics
    (the moving time among them, which the writer stores when no source wrote one:
    ``timing.fill_moving_time``) and its surface when only its records can tell
    (``sports.infer_surface_at_import``). Nothing without records."""
    if len(activity.table):
        activity.metrics_json = metrics_json(activity.table)
        infer_surface_at_import(activity)


def stored_metrics(db_path: str, activity_ids: list[int]) -> dict[int, str]:
    """Runs in a worker: the per-run metrics (JSON) of stored activities, from their records."""
    with Store(db_path, readonly=True) as store:
        return {i: metrics_json(store.load_sample_table(i)) for i in activity_ids}


def worker_count(jobs: int | None) -> int:
    """Workers to start: what was asked, never more than the CPU cores (``--jobs 256`` must not
    start 256 processes of ~100 MB each)."""
    cores = os.cpu_count() or 1
    return max(1, min(jobs if jobs is not None else cores, cores))


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers exit when this process dies."""
    from concurrent.futures import ProcessPoolExecutor  # (multiprocessing: not for one file)

    return ProcessPoolExecutor(
        max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)
    )


def _die_with_parent(parent_pid: int) -> None:
    """Runs in each worker: exit as soon as the parent is gone (killed, or crashed).

    On Linux the kernel does it (``PR_SET_PDEATHSIG``); everywhere a daemon thread also checks
    every ``PARENT_CHECK_S`` that the parent is still the one that started the worker.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    # Ctrl-C goes to the whole process group: the parent stops the pool, workers need not react
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.getppid() != parent_pid:  # the parent died before this worker started
        os._exit(1)
    watcher = threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True)
    watcher.start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)
        time.sleep(PARENT_CHECK_S)
