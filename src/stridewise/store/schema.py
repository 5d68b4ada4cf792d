"""The database schema: ordered migrations, the marker that a file is ours, and the views a person
can query with ``sqlite3`` or Datasette.

``MIGRATIONS[i]`` takes a database from version i to version i + 1; a database is migrated
forward when it is opened for writing. Never edit a migration that has shipped: add one.
"""

from __future__ import annotations

#: ``PRAGMA application_id`` of a stridewise database ("SWDB"): another program's SQLite file is
#: refused instead of gaining our tables.
APPLICATION_ID = 0x53574442

#: Ordered migrations: MIGRATIONS[i] takes a database from version i to version i + 1.
MIGRATIONS: list[str] = [
    # 1: activities, their samples, and the import log
    """
    CREATE TABLE activities (
        id INTEGER PRIMARY KEY,
        athlete TEXT NOT NULL,
        sport TEXT NOT NULL,
        sub_sport TEXT,
        surface TEXT NOT NULL DEFAULT 'unknown',
        surface_source TEXT,
        start_utc TEXT NOT NULL,
        utc_offset_s INTEGER,
        elapsed_s REAL,
        timer_s REAL,
        distance_m REAL,
        ascent_m REAL,
        avg_heart_rate_bpm REAL,
        max_heart_rate_bpm REAL,
        avg_cadence_spm REAL,
        device TEXT,
        name TEXT,
        shoe TEXT,
        rpe REAL,
        notes TEXT,
        source_name TEXT NOT NULL,
        source_format TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        source_index INTEGER NOT NULL,
        n_samples INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL,
        UNIQUE (athlete, source_sha256, source_index)
    );
    CREATE INDEX activities_by_start ON activities (athlete, start_utc);
    CREATE TABLE samples (
        activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        dtype TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (activity_id, name)
    );
    CREATE TABLE import_log (
        id INTEGER PRIMARY KEY,
        athlete TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'skipped', 'failed')),
        reason TEXT,
        activities INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
    );
    CREATE INDEX import_log_by_sha ON import_log (athlete, sha256);
    """,
    # 2: shoes and their assignments, the back-pain journal, daily wellness (resting HR)
    """
    CREATE TABLE shoes (
        id INTEGER PRIMARY KEY,
        athlete TEXT NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        initial_km REAL NOT NULL DEFAULT 0,
        limit_km REAL,
        since TEXT,
        retired_on TEXT,
        is_default INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'user',
        created_at TEXT NOT NULL,
        UNIQUE (athlete, name_key)
    );
    CREATE TABLE shoe_assignments (
        activity_id INTEGER PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        shoe_id INTEGER NOT NULL REFERENCES shoes (id) ON DELETE CASCADE
    );
    CREATE TABLE pain (
        athlete TEXT NOT NULL,
        date TEXT NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
        note TEXT,
        PRIMARY KEY (athlete, date)
    );
    CREATE TABLE wellness (
        athlete TEXT NOT NULL,
        date TEXT NOT NULL,
        resting_hr_bpm REAL,
        source TEXT,
        PRIMARY KEY (athlete, date)
    );
    """,
    # 3: per-run metrics cache (stridewise.history): JSON computed from an activity's records;
    # an entry of another metrics version is stale and recomputed
    """
    CREATE TABLE run_metrics (
        activity_id INTEGER PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        computed_at TEXT NOT NULL
    );
    """,
]

MIGRATIONS.append(
    # 4: wellness gains HRV and sleep; removed activities are remembered so that a later import
    # of the same run (from any source) does not bring it back
    """
    ALTER TABLE wellness ADD COLUMN hrv_sdnn_ms REAL;
    ALTER TABLE wellness ADD COLUMN sleep_s REAL;
    CREATE TABLE removed_activities (
        id INTEGER PRIMARY KEY,
        athlete TEXT NOT NULL,
        sport TEXT NOT NULL,
        start_utc TEXT NOT NULL,
        distance_m REAL,
        duration_s REAL,
        source_sha256 TEXT NOT NULL,
        source_index INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        removed_at TEXT NOT NULL
    );
    CREATE INDEX removed_by_start ON removed_activities (athlete, start_utc);
    CREATE INDEX activities_by_sha ON activities (athlete, source_sha256);
    """
)

MIGRATIONS.append(
    # 5: moving time beside timer time, where an activity's altitude came from (the surface may
    # be inferred only from barometric or corrected altitude), and facts about the athlete that
    # an export knows (birth year, sex, maximum heart rate), each with its source
    """
    ALTER TABLE activities ADD COLUMN moving_s REAL;
    ALTER TABLE activities ADD COLUMN altitude_source TEXT;
    CREATE TABLE athlete_facts (
        athlete TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (athlete, key)
    );
    """
)

SCHEMA_VERSION = len(MIGRATIONS)

#: Tables a stridewise database of any version has; a file holding other tables is not ours.
OWN_TABLES = frozenset(
    {
        "schema_version",
        "activities",
        "samples",
        "import_log",
        "shoes",
        "shoe_assignments",
        "pain",
        "wellness",
        "run_metrics",
        "removed_activities",
        "athlete_facts",
    }
)
