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

MIGRATIONS.append(
    # 6: views for people who open the database with sqlite3 or Datasette: ``runs`` (one row per
    # run in local time and plain units, with the shoe actually worn) and ``weeks`` (ISO weeks).
    # ``activities.shoe_key`` is the key of the shoe a source named (``model.shoe_name_key``,
    # which SQL cannot compute: the store fills it), so that ``runs`` finds the pair as
    # ``shoes.ShoeBook.worn`` does: an assignment, else the pair the source named, else the
    # default pair active on the local date. A run whose file had no UTC offset is in UTC here.
    """
    ALTER TABLE activities ADD COLUMN shoe_key TEXT;
    CREATE VIEW runs AS
    WITH local AS (
        SELECT a.*,
            datetime(a.start_utc, printf('%+d seconds', coalesce(a.utc_offset_s, 0)))
                AS local_start,
            coalesce(a.moving_s, a.timer_s, a.elapsed_s) AS moving
        FROM activities a
        WHERE a.sport = 'running'
    )
    SELECT
        l.id,
        l.athlete,
        date(l.local_start) AS date,
        strftime('%H:%M', l.local_start) AS time,
        l.sport,
        l.sub_sport,
        round(l.distance_m / 1000.0, 2) AS km,
        CASE WHEN l.moving IS NOT NULL THEN printf('%d:%02d:%02d',
            CAST(round(l.moving) AS INTEGER) / 3600,
            CAST(round(l.moving) AS INTEGER) % 3600 / 60,
            CAST(round(l.moving) AS INTEGER) % 60) END AS moving_time,
        round(l.moving) AS moving_s,
        CASE WHEN l.moving > 0 AND l.distance_m > 0 THEN printf('%d:%02d',
            CAST(round(l.moving * 1000.0 / l.distance_m) AS INTEGER) / 60,
            CAST(round(l.moving * 1000.0 / l.distance_m) AS INTEGER) % 60) END AS pace_per_km,
        CAST(round(l.avg_heart_rate_bpm) AS INTEGER) AS avg_hr,
        l.surface,
        l.surface_source,
        replace(l.source_name, rtrim(l.source_name, replace(l.source_name, '/', '')), '')
            || CASE WHEN l.source_index > 0 THEN ' #' || (l.source_index + 1) ELSE '' END
            AS source,
        coalesce(
            (SELECT s.name FROM shoe_assignments sa JOIN shoes s ON s.id = sa.shoe_id
                WHERE sa.activity_id = l.id),
            CASE WHEN l.shoe_key != '' THEN coalesce(
                (SELECT s.name FROM shoes s
                    WHERE s.athlete = l.athlete AND s.name_key = l.shoe_key),
                trim(l.shoe, ' ' || char(9, 10, 11, 12, 13))) END,
            (SELECT s.name FROM shoes s
                WHERE s.athlete = l.athlete AND s.is_default
                    AND (s.since IS NULL OR s.since <= date(l.local_start))
                    AND (s.retired_on IS NULL OR date(l.local_start) <= s.retired_on)
                ORDER BY coalesce(s.since, '') DESC, s.name_key LIMIT 1)
        ) AS shoe
    FROM local l
    ORDER BY l.athlete, l.start_utc, l.id;
    CREATE VIEW weeks AS
    WITH RECURSIVE
        dated AS (
            SELECT athlete, sport, distance_m,
                date(start_utc, printf('%+d seconds', coalesce(utc_offset_s, 0))) AS day
            FROM activities
        ),
        per_day AS (
            SELECT athlete, day, count(*) AS sessions, sum(sport = 'running') AS runs,
                sum(CASE WHEN sport = 'running' THEN coalesce(distance_m, 0) ELSE 0 END)
                    AS metres
            FROM dated GROUP BY athlete, day
        ),
        calendar (athlete, day, last) AS (
            SELECT athlete, min(day), max(day) FROM dated GROUP BY athlete
            UNION ALL
            SELECT athlete, date(day, '+1 day'), last FROM calendar WHERE day < last
        ),
        days AS (
            SELECT c.athlete, c.day,
                coalesce(p.sessions, 0) AS sessions,
                coalesce(p.runs, 0) AS runs,
                coalesce(p.metres, 0) AS metres,
                date(c.day, printf('%+d days',
                    -((CAST(strftime('%w', c.day) AS INTEGER) + 6) % 7))) AS monday,
                date(c.day, printf('%+d days',
                    3 - (CAST(strftime('%w', c.day) AS INTEGER) + 6) % 7)) AS thursday
            FROM calendar c LEFT JOIN per_day p ON p.athlete = c.athlete AND p.day = c.day
        )
    SELECT
        athlete,
        strftime('%Y', thursday) || '-W'
            || printf('%02d', (CAST(strftime('%j', thursday) AS INTEGER) - 1) / 7 + 1) AS week,
        monday AS week_start,
        round(sum(metres) / 1000.0, 1) AS km,
        sum(runs) AS runs,
        sum(sessions = 0) AS rest_days,
        count(*) AS days
    FROM days
    GROUP BY athlete, monday
    ORDER BY athlete, monday;
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
