"""Two imports started at once into one database both finish, and the store holds each file once.

Two ``python -m stridewise --db X import FOLDER`` processes race from the very start: both open a
database that does not exist yet (so both want to create the schema), then decode the same files
and write them. SQLite's WAL mode and busy timeout make the loser of each race wait; the store
makes it find the work done (schema migrated, file stored) instead of failing or storing twice.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from fuzzing import store_problems

from stridewise.errors import StoreError
from stridewise.store import MIGRATIONS, Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"


def _folder(target: Path) -> Path:
    """Many small one-run logs (many small transactions to interleave) and some sample files."""
    target.mkdir()
    for number in range(60):
        day = (date(2025, 3, 1) + timedelta(days=number)).isoformat()
        (target / f"log-{number:03d}.csv").write_text(
            f"date,distance_km,duration\n{day},{4 + number % 9}.2,0:{25 + number % 30}:00\n"
        )
    picked = sorted(SAMPLES.glob("watch/*.fit"))[:6] + sorted(SAMPLES.glob("strava/*.fit.gz"))[:4]
    picked += sorted(SAMPLES.glob("phone/*.gpx"))[:1] + sorted(SAMPLES.glob("log/*.csv"))
    for path in picked:
        (target / path.name).write_bytes(path.read_bytes())
    return target


def _start_import(db: Path, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "STRIDEWISE_CONFIG": str(db.parent / "absent.toml")}
    return subprocess.Popen(
        [sys.executable, "-m", "stridewise", "--db", str(db), "import", str(folder), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


def _stored(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        assert store_problems(conn) is None
        return sorted(
            conn.execute(
                "SELECT source_sha256, source_index, start_utc, distance_m FROM activities"
            ).fetchall()
        )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process handling")
def test_two_imports_at_once_both_finish_without_duplicates(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "batch")
    reference_db = tmp_path / "reference.db"
    reference = _start_import(reference_db, folder)
    reference.communicate(timeout=300)
    expected = _stored(reference_db)
    assert len(expected) > 60

    db = tmp_path / "shared.db"
    first, second = _start_import(db, folder), _start_import(db, folder)
    reports = []
    for process in (first, second):
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        reports.append(json.loads(stdout))
    assert _stored(db) == expected  # every activity once, the same as one import alone
    assert all(report["failed"] == [] for report in reports)
    # between them they stored everything once; what one stored the other found stored
    assert sum(report["imported"] for report in reports) == len(expected)
    with sqlite3.connect(db) as conn:
        (version,) = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        (rows,) = conn.execute("SELECT count(*) FROM schema_version").fetchone()
        logged = conn.execute(
            "SELECT outcome, count(*) FROM import_log GROUP BY outcome ORDER BY outcome"
        ).fetchall()
    assert rows == version  # each migration ran once
    outcomes = dict(logged)
    assert outcomes["imported"] + outcomes.get("duplicate", 0) == 2 * reports[0]["files"]


def test_a_store_opened_while_another_process_migrates_waits_and_finds_it_done(
    tmp_path: Path,
) -> None:
    """The narrow race of the test above, made certain: a second store opens the new database
    (and reads schema version 0) while the first holds the write lock mid-migration; it must wait
    and then find the migrations done, not run them again ("table activities already exists")."""
    db = tmp_path / "new.db"
    first = sqlite3.connect(db, isolation_level=None)
    first.execute("PRAGMA journal_mode = WAL")
    first.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    first.execute("BEGIN IMMEDIATE")  # the other process starts migrating ...
    opened: list[object] = []
    second = threading.Thread(target=lambda: opened.append(_open_store(db)))
    second.start()
    time.sleep(0.5)  # ... the second store has read version 0 and waits for the lock
    for version, migration in enumerate(MIGRATIONS):
        for statement in migration.split(";"):
            if statement.strip():
                first.execute(statement)
        first.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))
    first.execute("COMMIT")
    second.join(timeout=60)
    first.close()
    assert opened == [len(MIGRATIONS)]


def _open_store(db: Path) -> int | StoreError:
    """The schema version a store opened in this thread finds, or the error it raised."""
    try:
        with Store(db) as store:
            return store.schema_version
    except StoreError as exc:
        return exc
