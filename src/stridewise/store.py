"""The local store: one SQLite file, created and migrated forward automatically.

Activities keep their summary in ``activities``; their per-second samples are kept column-wise in
``samples`` (one compressed little-endian array per column), which is several times smaller and
faster to write and read back than one row per second. Every file an import looks at leaves a row
in ``import_log`` (imported, duplicate, skipped or failed, with the reason).

A file's activities are written in one transaction: all of them or none.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from stridewise.errors import StoreError
from stridewise.model import SAMPLE_COLUMNS, Activity, empty_samples

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

SCHEMA_VERSION = len(MIGRATIONS)

#: Summary fields stored as columns of ``activities`` (the Activity dataclass minus samples/ids).
_SUMMARY_FIELDS = [
    f.name
    for f in fields(Activity)
    if f.name
    not in ("samples", "id", "athlete", "warnings", "start_utc", "decoder", "packed_samples")
]

#: Columns of the frame ``Store.activities_frame`` returns, in order.
ACTIVITY_FRAME_COLUMNS = [
    "id",
    "athlete",
    "start_utc",
    "utc_offset_s",
    "local_start",
    "local_date",
    *[name for name in _SUMMARY_FIELDS if name != "utc_offset_s"],
    "n_samples",
    "duration_s",
]


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now_text() -> str:
    return _utc_text(datetime.now(UTC))


class Store:
    """A stridewise database. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if str(path) != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (all or nothing)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        while True:
            # the version is read under the write lock: two imports opening a new database at
            # once must not both run the same migration (the second waits, then finds it done)
            with self.transaction() as conn:
                current = self.schema_version
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: the database has schema version {current}, newer than "
                        f"this stridewise ({SCHEMA_VERSION}); upgrade stridewise"
                    )
                if current == SCHEMA_VERSION:
                    return
                for statement in MIGRATIONS[current].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (current + 1,))

    # -- import log ------------------------------------------------------------------------
    def file_outcome(self, athlete: str, sha256: str) -> tuple[str, str | None] | None:
        """What became of a file with this content before: ('imported'|'duplicate'|'skipped',
        reason). 'duplicate': its activities were already stored (merged into them)."""
        row = self.conn.execute(
            "SELECT outcome, reason FROM import_log WHERE athlete = ? AND sha256 = ? "
            "AND outcome IN ('imported', 'duplicate', 'skipped') ORDER BY id DESC LIMIT 1",
            (athlete, sha256),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def log_file(
        self, athlete: str, path: str, sha256: str, outcome: str, reason: str | None = None
    ) -> None:
        """Record a file's outcome without storing activities (duplicate, skipped, failed)."""
        with self.transaction() as conn:
            self._insert_log(conn, athlete, path, sha256, outcome, reason, 0)

    @staticmethod
    def _insert_log(
        conn: sqlite3.Connection,
        athlete: str,
        path: str,
        sha256: str,
        outcome: str,
        reason: str | None,
        count: int,
    ) -> None:
        conn.execute(
            "INSERT INTO import_log (athlete, path, sha256, outcome, reason, activities, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (athlete, path, sha256, outcome, reason, count, _now_text()),
        )

    def import_log(self, athlete: str | None = None) -> pd.DataFrame:
        query = "SELECT * FROM import_log"
        params: tuple = ()
        if athlete is not None:
            query += " WHERE athlete = ?"
            params = (athlete,)
        return pd.read_sql_query(query + " ORDER BY id", self.conn, params=params)

    # -- activities ------------------------------------------------------------------------
    def save_file(
        self, athlete: str, path: str, sha256: str, activities: Sequence[Activity]
    ) -> list[int]:
        """Store a file's activities and its import-log row in one transaction.

        Returns the new ids, or an empty list when another import stored the same file first
        (checked inside the transaction, so two imports running at once never store it twice).
        """
        with self.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM activities WHERE athlete = ? AND source_sha256 = ? LIMIT 1",
                (athlete, sha256),
            ).fetchone():
                self._insert_log(conn, athlete, path, sha256, "duplicate", "already imported", 0)
                return []
            ids = [self._insert_activity(conn, athlete, activity) for activity in activities]
            warnings = "; ".join(w for a in activities for w in a.warnings) or None
            self._insert_log(conn, athlete, path, sha256, "imported", warnings, len(ids))
        for activity, activity_id in zip(activities, ids, strict=True):
            activity.id = activity_id
            activity.athlete = athlete
        return ids

    def _insert_activity(self, conn: sqlite3.Connection, athlete: str, activity: Activity) -> int:
        columns = ["athlete", "start_utc", *_SUMMARY_FIELDS, "n_samples", "imported_at"]
        values = [
            athlete,
            _utc_text(activity.start_utc),
            *[getattr(activity, name) for name in _SUMMARY_FIELDS],
            len(activity.samples),
            _now_text(),
        ]
        placeholders = ", ".join("?" for _ in columns)
        cursor = conn.execute(
            f"INSERT INTO activities ({', '.join(columns)}) VALUES ({placeholders})", values
        )
        activity_id = int(cursor.lastrowid)
        conn.executemany(
            "INSERT INTO samples (activity_id, name, dtype, data) VALUES (?, ?, ?, ?)",
            [(activity_id, *blob) for blob in _sample_blobs(activity)],
        )
        return activity_id

    def activities_frame(
        self,
        athlete: str,
        since: date | None = None,
        until: date | None = None,
        default_timezone: str | None = None,
    ) -> pd.DataFrame:
        """One row per activity, oldest first, with UTC and local start and local date.

        ``since``/``until`` are inclusive local dates. An activity whose file carried no offset
        gets one from ``default_timezone`` (the profile's), else UTC.
        """
        frame = pd.read_sql_query(
            "SELECT * FROM activities WHERE athlete = ? ORDER BY start_utc, id",
            self.conn,
            params=(athlete,),
        )
        return _with_local_time(frame, default_timezone, since, until)

    def activity_ids(self, athlete: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM activities WHERE athlete = ? ORDER BY start_utc, id", (athlete,)
        )
        return [int(row[0]) for row in rows]

    def load_samples(self, activity_id: int, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The per-second samples of one activity (empty frame for a summary-only activity)."""
        rows = self.conn.execute(
            "SELECT name, dtype, data FROM samples WHERE activity_id = ?", (activity_id,)
        ).fetchall()
        wanted = None if columns is None else {"time", *columns}
        return _decode_samples([r for r in rows if wanted is None or r[0] in wanted])

    # -- per-run metrics cache (see stridewise.history) -------------------------------------
    def run_metrics_entries(self, athlete: str, version: int) -> dict[int, str]:
        """The cached per-run metrics (JSON text) of an athlete's activities, of one version."""
        rows = self.conn.execute(
            "SELECT m.activity_id, m.data FROM run_metrics m JOIN activities a "
            "ON a.id = m.activity_id WHERE a.athlete = ? AND m.version = ?",
            (athlete, version),
        )
        return {int(activity_id): data for activity_id, data in rows}

    def save_run_metrics_entries(self, entries: dict[int, str], version: int) -> None:
        """Store per-run metrics (JSON text by activity id), replacing older entries."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO run_metrics (activity_id, version, data, computed_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (activity_id) DO UPDATE SET "
                "version = excluded.version, data = excluded.data, "
                "computed_at = excluded.computed_at",
                [(i, version, data, _now_text()) for i, data in entries.items()],
            )

    # -- deduplicated imports and daily wellness (see stridewise.dedupe, stridewise.importing) --
    def activities_near(self, athlete: str, start_utc: datetime, window_s: float) -> list[dict]:
        """Stored activities (summary columns) starting within ``window_s`` [s] of ``start_utc``."""
        low = _utc_text(start_utc - timedelta(seconds=window_s))
        high = _utc_text(start_utc + timedelta(seconds=window_s))
        cursor = self.conn.execute(
            "SELECT * FROM activities WHERE athlete = ? AND start_utc BETWEEN ? AND ? "
            "ORDER BY start_utc, id",
            (athlete, low, high),
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def holds_file(self, conn: sqlite3.Connection, athlete: str, sha256: str) -> bool:
        """Whether an activity from the file with this content is stored (inside a transaction)."""
        return (
            conn.execute(
                "SELECT 1 FROM activities WHERE athlete = ? AND source_sha256 = ? LIMIT 1",
                (athlete, sha256),
            ).fetchone()
            is not None
        )

    def insert_activity(self, conn: sqlite3.Connection, athlete: str, activity: Activity) -> int:
        """Insert one activity and its samples inside the caller's transaction; its new id."""
        return self._insert_activity(conn, athlete, activity)

    def replace_activity(
        self, conn: sqlite3.Connection, activity_id: int, athlete: str, activity: Activity
    ) -> None:
        """Overwrite a stored activity with another recording of it, keeping its id (so shoe
        assignments stay) and dropping what was computed from the old samples."""
        columns = ["athlete", "start_utc", *_SUMMARY_FIELDS, "n_samples", "imported_at"]
        values = [
            athlete,
            _utc_text(activity.start_utc),
            *[getattr(activity, name) for name in _SUMMARY_FIELDS],
            len(activity.samples),
            _now_text(),
        ]
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.execute(f"UPDATE activities SET {assignments} WHERE id = ?", (*values, activity_id))
        conn.execute("DELETE FROM samples WHERE activity_id = ?", (activity_id,))
        conn.executemany(
            "INSERT INTO samples (activity_id, name, dtype, data) VALUES (?, ?, ?, ?)",
            [(activity_id, *blob) for blob in _sample_blobs(activity)],
        )
        derived = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_metrics'"
        ).fetchone()
        if derived:
            conn.execute("DELETE FROM run_metrics WHERE activity_id = ?", (activity_id,))

    def update_activity(
        self, conn: sqlite3.Connection, activity_id: int, values: dict[str, object]
    ) -> None:
        """Set summary columns (names from the Activity dataclass) of one stored activity."""
        unknown = set(values) - set(_SUMMARY_FIELDS)
        if unknown:
            raise StoreError(f"not activity summary columns: {sorted(unknown)}")
        if values:
            assignments = ", ".join(f"{column} = ?" for column in values)
            conn.execute(
                f"UPDATE activities SET {assignments} WHERE id = ?", (*values.values(), activity_id)
            )

    def insert_log(
        self,
        conn: sqlite3.Connection,
        athlete: str,
        path: str,
        sha256: str,
        outcome: str,
        reason: str | None,
        count: int,
    ) -> None:
        """An import-log row written inside the caller's transaction."""
        self._insert_log(conn, athlete, path, sha256, outcome, reason, count)

    def save_wellness(self, athlete: str, days: Iterable[tuple[str, float]], source: str) -> int:
        """Store daily resting heart rates ``(ISO date, bpm)`` from ``source``; a day another
        source (the runner, say) already filled keeps its value. Returns the rows written."""
        rows = [(athlete, day, float(bpm), source) for day, bpm in days]
        with self.transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO wellness (athlete, date, resting_hr_bpm, source) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (athlete, date) DO UPDATE SET "
                "resting_hr_bpm = excluded.resting_hr_bpm, source = excluded.source "
                "WHERE (wellness.resting_hr_bpm IS NULL OR wellness.source IS excluded.source) "
                "AND wellness.resting_hr_bpm IS NOT excluded.resting_hr_bpm",
                rows,
            )
            return conn.total_changes - before

    def count_activities(self, athlete: str | None = None) -> int:
        if athlete is None:
            return int(self.conn.execute("SELECT count(*) FROM activities").fetchone()[0])
        return int(
            self.conn.execute(
                "SELECT count(*) FROM activities WHERE athlete = ?", (athlete,)
            ).fetchone()[0]
        )


def _sample_blobs(activity: Activity) -> list[tuple[str, str, bytes]]:
    if activity.packed_samples is not None:
        return activity.packed_samples
    return encode_samples(activity.samples)


def encode_samples(samples: pd.DataFrame) -> list[tuple[str, str, bytes]]:
    """The (name, dtype, compressed bytes) rows of ``samples`` for the ``samples`` table."""
    if len(samples.index) == 0:  # not samples.empty: times without columns are still samples
        return []
    index = samples.index
    stamps = index.as_unit("ns").asi8 if isinstance(index, pd.DatetimeIndex) else None
    if stamps is None:
        raise StoreError("samples need a DatetimeIndex")
    blobs = [("time", "<i8", zlib.compress(np.asarray(stamps, dtype="<i8").tobytes(), 1))]
    for name in samples.columns:
        if name not in SAMPLE_COLUMNS:
            continue
        values = samples[name].to_numpy(dtype="<f8", na_value=np.nan)
        blobs.append((name, "<f8", zlib.compress(values.tobytes(), 1)))
    return blobs


def _decode_samples(rows: list[tuple[str, str, bytes]]) -> pd.DataFrame:
    arrays = {name: np.frombuffer(zlib.decompress(data), dtype=dtype) for name, dtype, data in rows}
    stamps = arrays.pop("time", None)
    if stamps is None:
        return empty_samples()
    index = pd.DatetimeIndex(pd.to_datetime(stamps, unit="ns", utc=True), name="time")
    ordered = [name for name in SAMPLE_COLUMNS if name in arrays]
    return pd.DataFrame({name: arrays[name] for name in ordered}, index=index)


def _with_local_time(
    frame: pd.DataFrame,
    default_timezone: str | None,
    since: date | None,
    until: date | None,
) -> pd.DataFrame:
    frame["start_utc"] = pd.to_datetime(frame["start_utc"], utc=True, format="ISO8601")
    offsets = frame["utc_offset_s"].astype("float64")
    if default_timezone and offsets.isna().any():
        from stridewise.localtime import offset_in_zone

        missing = offsets.isna()
        offsets[missing] = [
            offset_in_zone(default_timezone, moment.to_pydatetime())
            for moment in frame.loc[missing, "start_utc"]
        ]
    # wall-clock local start, kept tz-naive: a "local" time has no single zone across rows
    frame["local_start"] = frame["start_utc"].dt.tz_localize(None) + pd.to_timedelta(
        offsets.fillna(0.0), unit="s"
    )
    frame["local_date"] = frame["local_start"].dt.date
    frame["duration_s"] = frame["timer_s"].where(frame["timer_s"].notna(), frame["elapsed_s"])
    if since is not None:
        frame = frame[frame["local_date"] >= since]
    if until is not None:
        frame = frame[frame["local_date"] <= until]
    return frame[ACTIVITY_FRAME_COLUMNS].reset_index(drop=True)
