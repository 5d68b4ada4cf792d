"""SIGKILL an import at random points: the store stays consistent and a re-run completes it."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"
KILLS = 20


def _batch(folder: Path, runs: int) -> int:
    """Single-run CSV logs plus the sample FIT/GPX files; returns how many activities they hold."""
    folder.mkdir()
    for number in range(runs):
        day = (date(2024, 1, 1) + timedelta(days=number)).isoformat()
        (folder / f"log-{number:04d}.csv").write_text(
            f"date,distance_km,duration\n{day},{5 + number % 7}.5,0:{30 + number % 20}:00\n"
        )
    samples = [p for p in SAMPLES.rglob("*") if p.suffix in (".fit", ".gz", ".gpx")]
    for path in samples:
        (folder / path.name).write_bytes(path.read_bytes())
    return runs + len(samples)


def _import(db: Path, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "STRIDEWISE_CONFIG": str(db.parent / "absent.toml")}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stridewise",
            "--db",
            str(db),
            "import",
            str(folder),
            "--jobs",
            "2",
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )


def _check_consistent(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "activities" not in tables:  # killed before the schema was created
            assert "schema_version" not in tables or "import_log" not in tables
            return 0
        # whole activities only: every activity has exactly the sample columns it was saved with
        broken = conn.execute(
            "SELECT a.id FROM activities a LEFT JOIN samples s ON s.activity_id = a.id "
            "GROUP BY a.id HAVING (a.n_samples > 0) != (count(s.name) > 0)"
        ).fetchall()
        assert broken == []
        orphans = conn.execute(
            "SELECT count(*) FROM samples WHERE activity_id NOT IN (SELECT id FROM activities)"
        ).fetchone()[0]
        assert orphans == 0
        # no file stored twice
        twice = conn.execute(
            "SELECT source_sha256, source_index, count(*) FROM activities "
            "GROUP BY athlete, source_sha256, source_index HAVING count(*) > 1"
        ).fetchall()
        assert twice == []
        return conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_random_points_then_rerun_completes(tmp_path):
    folder = tmp_path / "batch"
    expected = _batch(folder, runs=400)
    # how long a whole import takes here, to spread the kills over it
    started = time.monotonic()
    _import(tmp_path / "timing.db", folder).wait(timeout=600)
    full = time.monotonic() - started
    reference = _check_consistent(tmp_path / "timing.db")
    assert reference == expected

    rng = random.Random(2026)
    db = tmp_path / "killed.db"
    counts = []
    for _ in range(KILLS):
        process = _import(db, folder)
        time.sleep(rng.uniform(0.05, full))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        counts.append(_check_consistent(db))
    assert counts == sorted(counts)  # progress is never lost
    assert any(0 < count < expected for count in counts)  # some kills landed mid-import
    _import(db, folder).wait(timeout=600)
    assert _check_consistent(db) == expected
