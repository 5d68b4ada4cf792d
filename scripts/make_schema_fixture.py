"""Write tests/fixtures/db/schema-v1.db: a database as stridewise's first schema left it.

    python scripts/make_schema_fixture.py

Only ``MIGRATIONS[0]`` is applied (migrations are append-only, so it is schema version 1 for
good), and two activities are stored the way version 1 stored them: one run with per-second
samples (column-wise, each column a zlib-compressed little-endian array: ``time`` as int64
nanoseconds since 1970 UTC, every other column float64) and one summary-only run from a log, plus
their import-log rows. tests/robustness/test_schema_evolution.py opens a copy with ``Store``,
which migrates it to the latest version, and checks the data against ``ACTIVITIES`` below.
The file is committed; run this again only to rebuild it (the result is the same).
"""

from __future__ import annotations

import sqlite3
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tests" / "fixtures" / "db" / "schema-v1.db"

#: The runs stored in the fixture: summary columns, and samples as (first time [ns], step [s],
#: column -> values) or None.
ACTIVITIES = [
    {
        "summary": {
            "athlete": "me",
            "sport": "running",
            "sub_sport": "street",
            "surface": "road",
            "surface_source": "file",
            "start_utc": "2025-05-04T07:00:00.000000Z",
            "utc_offset_s": 7200,
            "elapsed_s": 59.0,
            "timer_s": 59.0,
            "distance_m": 177.0,
            "ascent_m": 0.0,
            "avg_heart_rate_bpm": 141.5,
            "max_heart_rate_bpm": 150.0,
            "avg_cadence_spm": 170.0,
            "device": "garmin fr255",
            "name": None,
            "shoe": None,
            "rpe": None,
            "notes": None,
            "source_name": "2025-05-04-07-00-00.fit",
            "source_format": "fit",
            "source_sha256": "a1" * 32,
            "source_index": 0,
            "n_samples": 60,
            "imported_at": "2025-05-04T09:00:00.000000Z",
        },
        "samples": (
            1746342000 * 10**9,
            1,
            {
                "distance_m": [3.0 * i for i in range(60)],
                "speed_mps": [3.0] * 60,
                "heart_rate_bpm": [130.0 + i % 21 for i in range(60)],
                "cadence_spm": [170.0] * 60,
            },
        ),
    },
    {
        "summary": {
            "athlete": "me",
            "sport": "running",
            "sub_sport": None,
            "surface": "trail",
            "surface_source": "log",
            "start_utc": "2025-05-06T10:00:00.000000Z",
            "utc_offset_s": 0,
            "elapsed_s": 3300.0,
            "timer_s": 3300.0,
            "distance_m": 10000.0,
            "ascent_m": None,
            "avg_heart_rate_bpm": None,
            "max_heart_rate_bpm": None,
            "avg_cadence_spm": None,
            "device": None,
            "name": None,
            "shoe": "Pegasus",
            "rpe": 6.0,
            "notes": "windy, cold",
            "source_name": "log.csv",
            "source_format": "csv",
            "source_sha256": "b2" * 32,
            "source_index": 0,
            "n_samples": 0,
            "imported_at": "2025-05-06T18:00:00.000000Z",
        },
        "samples": None,
    },
]


def build(target: Path = TARGET) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from stridewise.store import MIGRATIONS

    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA page_size = 1024")  # a small file to commit
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO schema_version (version) VALUES (1)")
    for activity in ACTIVITIES:
        summary = activity["summary"]
        cursor = conn.execute(
            f"INSERT INTO activities ({', '.join(summary)}) "
            f"VALUES ({', '.join('?' for _ in summary)})",
            list(summary.values()),
        )
        activity_id = cursor.lastrowid
        if activity["samples"] is not None:
            first_ns, step_s, columns = activity["samples"]
            count = len(next(iter(columns.values())))
            stamps = first_ns + np.arange(count, dtype="<i8") * step_s * 10**9
            blobs = [("time", "<i8", zlib.compress(stamps.astype("<i8").tobytes(), 1))]
            blobs += [
                (name, "<f8", zlib.compress(np.asarray(values, dtype="<f8").tobytes(), 1))
                for name, values in columns.items()
            ]
            conn.executemany(
                "INSERT INTO samples (activity_id, name, dtype, data) VALUES (?, ?, ?, ?)",
                [(activity_id, *blob) for blob in blobs],
            )
        conn.execute(
            "INSERT INTO import_log (athlete, path, sha256, outcome, reason, activities, at) "
            "VALUES (?, ?, ?, 'imported', NULL, 1, ?)",
            (
                summary["athlete"],
                f"/home/runner/{summary['source_name']}",
                summary["source_sha256"],
                summary["imported_at"],
            ),
        )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return target


if __name__ == "__main__":
    print(build())
