"""The local store: one SQLite file, and every SQL statement stridewise runs.

Activities keep their summary in ``activities``, their per-second samples column-wise in
``samples`` (``store.samples``) and their per-run metrics, computed at import, in
``run_metrics``. Every file an import looks at leaves a row in ``import_log`` (imported,
duplicate, skipped or failed, with the reason). Shoes and their assignments, the pain journal and
daily wellness (resting heart rate, HRV, sleep) live beside them.

A store opened for writing (``Store(path)``) is created when missing and migrated forward; one
opened for reading (``Store(path, readonly=True)``) must exist, is never written (a report or a
listing leaves the file byte-identical) and works on a read-only file. A file that is not a
stridewise database (another program's SQLite file) is refused rather than changed.

A file's activities are written in one transaction: all of them or none.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewise.days import EARLIEST_DAY, LATEST_DAY
from stridewise.errors import InvalidInput, StoreError
from stridewise.importers.exports import WellnessDay
from stridewise.localtime import local_starts, offset_in_zone
from stridewise.model import Activity, SampleTable, shoe_name_key
from stridewise.store.samples import SampleBlob, decode_sample_table, encode_samples
from stridewise.store.schema import APPLICATION_ID, MIGRATIONS, OWN_TABLES, SCHEMA_VERSION

if TYPE_CHECKING:
    import pandas as pd

#: Summary fields stored as columns of ``activities`` (the Activity dataclass minus samples/ids).
SUMMARY_FIELDS = [
    f.name
    for f in fields(Activity)
    if f.name
    not in (
        "samples",
        "table",
        "id",
        "athlete",
        "warnings",
        "start_utc",
        "decoder",
        "packed_samples",
        "metrics_json",
    )
]

#: Columns of the frame ``Store.activities_frame`` returns, in order.
ACTIVITY_FRAME_COLUMNS = [
    "id",
    "athlete",
    "start_utc",
    "utc_offset_s",
    "local_start",
    "local_date",
    *[name for name in SUMMARY_FIELDS if name != "utc_offset_s"],
    "n_samples",
    "duration_s",
]

#: Columns an activity's row is written with (``_summary_values``): ``shoe_key`` is the key of
#: the shoe its source named, for the ``runs`` view (schema migration 6).
_WRITTEN_COLUMNS = ["athlete", "start_utc", *SUMMARY_FIELDS, "shoe_key", "n_samples", "imported_at"]

#: How long a write waits for another process's lock before giving up [s].
BUSY_TIMEOUT_S = 30.0


def utc_text(moment: datetime) -> str:
    """How the store writes an instant: ISO 8601 in UTC with microseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now_text() -> str:
    return utc_text(datetime.now(UTC))


@dataclass(frozen=True)
class StoredShoe:
    """A pair of shoes as the store keeps it."""

    id: int
    name: str
    initial_km: float  # [km]
    limit_km: float | None  # [km]; None: the rule's default
    since: date | None
    retired_on: date | None
    is_default: bool
    origin: str  # "user", or where an import found it ("garmin", "strava", "source")


_SHOE_COLUMNS = "id, name, initial_km, limit_km, since, retired_on, is_default, origin"


def _shoe(row: tuple) -> StoredShoe:
    return StoredShoe(
        id=int(row[0]),
        name=row[1],
        initial_km=float(row[2] or 0.0),
        limit_km=None if row[3] is None else float(row[3]),
        since=date.fromisoformat(row[4]) if row[4] else None,
        retired_on=date.fromisoformat(row[5]) if row[5] else None,
        is_default=bool(row[6]),
        origin=row[7],
    )


@dataclass(frozen=True)
class AthleteSummary:
    """One athlete of a database: how much is stored and how fresh it is.

    ``first_date``/``last_date`` are the local dates of the first and last activity (each
    activity's own offset; one without gets the athlete's time zone, else UTC, as in
    ``activities_frame``); ``last_import_utc`` is the last import that looked at a file for the
    athlete, or stored an activity, whatever it found.
    """

    athlete: str
    activities: int
    runs: int
    first_start_utc: datetime | None
    last_start_utc: datetime | None
    last_import_utc: datetime | None
    first_date: date | None = None
    last_date: date | None = None
    pain_entries: int = 0
    last_pain_date: date | None = None


def _store_errors(cls: type) -> type:
    """Make every method of ``cls`` raise ``StoreError`` where SQLite raised.

    Any statement may meet a damaged page or a lock held beyond the timeout, in a reading
    command too; the runner must see one line naming the database, not a traceback. The
    transaction (``Store.transaction``) converts what is raised inside it itself.
    """
    for name, value in list(vars(cls).items()):
        if name.startswith("__") or name == "transaction" or not inspect.isfunction(value):
            continue
        setattr(cls, name, _raising_store_errors(value))
    return cls


def _raising_store_errors(method: Any) -> Any:
    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except _database_errors() as exc:
            fault = _database_fault(exc)
            if fault is None:
                raise
            raise StoreError(_database_error(self.path, fault)) from exc

    return wrapper


def _database_errors() -> tuple[type[BaseException], ...]:
    """SQLite's errors, and pandas' wrapper of them when pandas is loaded (``read_sql_query``
    raises it): the import path never loads pandas, so it is not imported here for this."""
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, pandas.errors.DatabaseError)


def _database_fault(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind ``exc`` (raised directly, or through pandas' ``read_sql_query``)
    when the database is at fault: locked beyond the busy timeout, read-only, full or damaged.
    None otherwise: a broken constraint is a bug in stridewise, and stays one."""
    cause = exc if isinstance(exc, sqlite3.Error) else exc.__cause__
    if isinstance(cause, sqlite3.OperationalError) or type(cause) is sqlite3.DatabaseError:
        return cause
    return None


@_store_errors
class Store:
    """A stridewise database. Use as a context manager or call ``close()``.

    ``readonly``: open an existing database for reading only (``StoreError`` when it is missing);
    nothing is ever written, not even a migration. Without it the database is created when
    missing and migrated forward.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        in_memory = str(path) == ":memory:"
        try:
            if readonly:
                self.conn = self._connect_readonly()
            else:
                if not in_memory:
                    self._prepare_folder()
                self.conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._check_ours()
            if readonly:
                self._check_current()
            else:
                if not in_memory:
                    self._use_wal()
                    self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_database_error(self.path, exc)) from exc

    def _use_wal(self) -> None:
        """WAL journal mode (readers never wait for the writer). Switching to it needs the
        database to itself, and SQLite answers "locked" at once, without waiting its busy
        timeout, while another connection is opening it too (two imports started together on a
        new database): the switch is tried again until the timeout has passed."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        pause_s = 0.005
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise
            time.sleep(pause_s)
            pause_s = min(2 * pause_s, 0.1)

    # -- lifecycle -------------------------------------------------------------------------
    def _prepare_folder(self) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StoreError(
                f"{self.path}: cannot create the database: {_first_file(folder)} is a file, "
                "not a folder"
            ) from None
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot create the database's folder ({exc.strerror or exc})"
            ) from exc
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")

    def _connect_readonly(self) -> sqlite3.Connection:
        if not self.path.is_file():
            what = "is a folder, not a database file" if self.path.is_dir() else "no such database"
            raise StoreError(f"{self.path}: {what}; import something first: stridewise import PATH")
        uri = self.path.resolve().as_uri()
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            # a WAL database in a folder we may not write: no -shm can be made beside it. Nobody
            # can be writing it either, so it may be read as an immutable file.
            conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (all or nothing)."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened for reading only")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(_database_error(self.path, exc)) from exc
        try:
            yield self.conn
        except BaseException as exc:
            self._rollback()
            fault = _database_fault(exc)  # locked, read-only, full or damaged mid-write
            if fault is not None:
                raise StoreError(_database_error(self.path, fault)) from exc
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise StoreError(_database_error(self.path, exc)) from exc

    def _rollback(self) -> None:
        """Undo the open transaction; SQLite may have undone it already (a full disk, a damaged
        page), and a failed rollback must not hide the error that called for it."""
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _tables(self) -> set[str]:
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return {row[0] for row in rows}

    def _check_ours(self) -> None:
        """Refuse another program's database: it has tables, and they are not ours."""
        application_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if application_id == APPLICATION_ID:
            return
        tables = self._tables()
        if (
            application_id not in (0, None)
            or (tables and not tables <= OWN_TABLES)
            or (tables and "schema_version" not in tables)
        ):
            foreign = sorted(tables - OWN_TABLES) or sorted(tables)
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise StoreError(
                f"{self.path}: not a stridewise database (it holds other tables: {shown}); "
                "refused, nothing was changed"
            )

    def _check_current(self) -> None:
        if "schema_version" not in self._tables():
            raise StoreError(f"{self.path}: an empty database; import something first")
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(_newer_message(self.path, current))
        if current < SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by an older stridewise (schema {current}, now "
                f"{SCHEMA_VERSION}); run any import (e.g. stridewise import PATH) to upgrade it"
            )

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        while True:
            # the version is read under the write lock: two imports opening a new database at
            # once must not both run the same migration (the second waits, then finds it done)
            with self.transaction() as conn:
                current = self.schema_version
                if current > SCHEMA_VERSION:
                    raise StoreError(_newer_message(self.path, current))
                if current == SCHEMA_VERSION:
                    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    return
                for statement in MIGRATIONS[current].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                if current + 1 in _MIGRATION_STEPS:
                    _MIGRATION_STEPS[current + 1](conn)
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
            self.insert_log(conn, athlete, path, sha256, outcome, reason, 0)

    @staticmethod
    def insert_log(
        conn: sqlite3.Connection,
        athlete: str,
        path: str,
        sha256: str,
        outcome: str,
        reason: str | None,
        count: int,
    ) -> None:
        """An import-log row written inside the caller's transaction."""
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
        import pandas as pd

        return pd.read_sql_query(query + " ORDER BY id", self.conn, params=params)

    # -- saving activities -----------------------------------------------------------------
    def save_file(
        self, athlete: str, path: str, sha256: str, activities: Sequence[Activity]
    ) -> list[int]:
        """Store a file's activities as they are (no merging) with its import-log row, in one
        transaction; the new ids, or none when another import stored the same file first."""
        with self.transaction() as conn:
            if self.holds_file(conn, athlete, sha256):
                self.insert_log(conn, athlete, path, sha256, "duplicate", "already imported", 0)
                return []
            ids = [self.insert_activity(conn, athlete, activity) for activity in activities]
            self.adopt_shoe_names(
                conn, athlete, [a.shoe for a in activities if a.shoe and a.is_running]
            )
            warnings = "; ".join(w for a in activities for w in a.warnings) or None
            self.insert_log(conn, athlete, path, sha256, "imported", warnings, len(ids))
        for activity, activity_id in zip(activities, ids, strict=True):
            activity.id = activity_id
            activity.athlete = athlete
        return ids

    def insert_activity(
        self,
        conn: sqlite3.Connection,
        athlete: str,
        activity: Activity,
        metrics: tuple[int, str] | None = None,
    ) -> int:
        """Insert one activity, its samples and its per-run metrics (``(version, JSON)``) inside
        the caller's transaction; its new id."""
        values = self._summary_values(athlete, activity)
        placeholders = ", ".join("?" for _ in _WRITTEN_COLUMNS)
        cursor = conn.execute(
            f"INSERT INTO activities ({', '.join(_WRITTEN_COLUMNS)}) VALUES ({placeholders})",
            values,
        )
        activity_id = int(cursor.lastrowid)
        self._insert_samples(conn, activity_id, activity)
        if metrics is not None:
            self._insert_metrics(conn, activity_id, metrics)
        return activity_id

    def replace_activity(
        self,
        conn: sqlite3.Connection,
        activity_id: int,
        athlete: str,
        activity: Activity,
        metrics: tuple[int, str] | None = None,
    ) -> None:
        """Overwrite a stored activity with another recording of it, keeping its id (so shoe
        assignments stay) and replacing what was computed from the old samples."""
        assignments = ", ".join(f"{column} = ?" for column in _WRITTEN_COLUMNS)
        conn.execute(
            f"UPDATE activities SET {assignments} WHERE id = ?",
            (*self._summary_values(athlete, activity), activity_id),
        )
        conn.execute("DELETE FROM samples WHERE activity_id = ?", (activity_id,))
        conn.execute("DELETE FROM run_metrics WHERE activity_id = ?", (activity_id,))
        self._insert_samples(conn, activity_id, activity)
        if metrics is not None:
            self._insert_metrics(conn, activity_id, metrics)

    @staticmethod
    def _summary_values(athlete: str, activity: Activity) -> list[Any]:
        n_samples = len(activity.table)
        return [
            athlete,
            utc_text(activity.start_utc),
            *[getattr(activity, name) for name in SUMMARY_FIELDS],
            _shoe_key(activity.shoe),
            n_samples,
            _now_text(),
        ]

    @staticmethod
    def _insert_samples(conn: sqlite3.Connection, activity_id: int, activity: Activity) -> None:
        blobs: list[SampleBlob] = (
            activity.packed_samples
            if activity.packed_samples is not None
            else encode_samples(activity.table)
        )
        conn.executemany(
            "INSERT INTO samples (activity_id, name, dtype, data) VALUES (?, ?, ?, ?)",
            [(activity_id, *blob) for blob in blobs],
        )

    @staticmethod
    def _insert_metrics(
        conn: sqlite3.Connection, activity_id: int, metrics: tuple[int, str]
    ) -> None:
        version, data = metrics
        conn.execute(
            "INSERT INTO run_metrics (activity_id, version, data, computed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (activity_id) DO UPDATE SET version = excluded.version, "
            "data = excluded.data, computed_at = excluded.computed_at",
            (activity_id, version, data, _now_text()),
        )

    def update_activity(
        self, conn: sqlite3.Connection, activity_id: int, values: dict[str, object]
    ) -> None:
        """Set summary columns (names from the Activity dataclass) of one stored activity."""
        unknown = set(values) - set(SUMMARY_FIELDS)
        if unknown:
            raise StoreError(f"not activity summary columns: {sorted(unknown)}")
        if "shoe" in values:
            values = {**values, "shoe_key": _shoe_key(values["shoe"])}
        if values:
            assignments = ", ".join(f"{column} = ?" for column in values)
            conn.execute(
                f"UPDATE activities SET {assignments} WHERE id = ?", (*values.values(), activity_id)
            )

    def set_activity_values(
        self, athlete: str, activity_id: int, values: dict[str, object]
    ) -> None:
        """``update_activity`` in a transaction of its own, for one of ``athlete``'s activities."""
        with self.transaction() as conn:
            self._require_activity(conn, athlete, activity_id)
            self.update_activity(conn, activity_id, values)

    @staticmethod
    def holds_file(conn: sqlite3.Connection, athlete: str, sha256: str) -> bool:
        """Whether an activity from the file with this content is stored (inside a transaction)."""
        return (
            conn.execute(
                "SELECT 1 FROM activities WHERE athlete = ? AND source_sha256 = ? LIMIT 1",
                (athlete, sha256),
            ).fetchone()
            is not None
        )

    def activities_near(self, athlete: str, start_utc: datetime, window_s: float) -> list[dict]:
        """Stored activities (summary columns) starting within ``window_s`` [s] of ``start_utc``."""
        return self._rows_near("activities", athlete, start_utc, window_s)

    def removed_near(self, athlete: str, start_utc: datetime, window_s: float) -> list[dict]:
        """Activities the runner removed that started within ``window_s`` [s] of ``start_utc``."""
        return self._rows_near("removed_activities", athlete, start_utc, window_s)

    def _rows_near(
        self, table: str, athlete: str, start_utc: datetime, window_s: float
    ) -> list[dict]:
        low = utc_text(start_utc - timedelta(seconds=window_s))
        high = utc_text(start_utc + timedelta(seconds=window_s))
        cursor = self.conn.execute(
            f"SELECT * FROM {table} WHERE athlete = ? AND start_utc BETWEEN ? AND ? "
            "ORDER BY start_utc, id",
            (athlete, low, high),
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def nearest_recording_offset(
        self, athlete: str, start_utc: datetime, window_s: float
    ) -> dict | None:
        """The stored recording (an activity with records) nearest in start time to
        ``start_utc`` within ``window_s`` [s] that knows its UTC offset: ``id``, ``start_utc``,
        ``utc_offset_s``, ``source_name``; None when there is none."""
        moment = utc_text(start_utc)
        cursor = self.conn.execute(
            "SELECT id, start_utc, utc_offset_s, source_name FROM activities "
            "WHERE athlete = ? AND n_samples > 0 AND utc_offset_s IS NOT NULL "
            "AND start_utc BETWEEN ? AND ? "
            "ORDER BY abs(julianday(start_utc) - julianday(?)), id LIMIT 1",
            (
                athlete,
                utc_text(start_utc - timedelta(seconds=window_s)),
                utc_text(start_utc + timedelta(seconds=window_s)),
                moment,
            ),
        )
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def was_removed(self, athlete: str, sha256: str, index: int) -> bool:
        """Whether the runner removed the activity that this file's ``index``-th one became."""
        return (
            self.conn.execute(
                "SELECT 1 FROM removed_activities WHERE athlete = ? AND source_sha256 = ? "
                "AND source_index = ? LIMIT 1",
                (athlete, sha256, index),
            ).fetchone()
            is not None
        )

    # -- reading activities ----------------------------------------------------------------
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
        import pandas as pd

        frame = pd.read_sql_query(
            "SELECT * FROM activities WHERE athlete = ? ORDER BY start_utc, id",
            self.conn,
            params=(athlete,),
        )
        return _with_local_time(frame, default_timezone, since, until)

    def activity_row(self, athlete: str, activity_id: int) -> dict | None:
        """One stored activity's summary columns, or None."""
        cursor = self.conn.execute(
            "SELECT * FROM activities WHERE athlete = ? AND id = ?", (athlete, activity_id)
        )
        row = cursor.fetchone()
        return (
            None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))
        )

    def activity_ids(self, athlete: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM activities WHERE athlete = ? ORDER BY start_utc, id", (athlete,)
        )
        return [int(row[0]) for row in rows]

    def count_activities(self, athlete: str | None = None) -> int:
        if athlete is None:
            return int(self.conn.execute("SELECT count(*) FROM activities").fetchone()[0])
        return int(
            self.conn.execute(
                "SELECT count(*) FROM activities WHERE athlete = ?", (athlete,)
            ).fetchone()[0]
        )

    def load_samples(self, activity_id: int, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The per-second samples of one activity (empty frame for a summary-only activity)."""
        return self.load_sample_table(activity_id, columns).frame()

    def load_sample_table(
        self, activity_id: int, columns: Iterable[str] | None = None
    ) -> SampleTable:
        """``load_samples`` as a ``SampleTable`` (no pandas)."""
        rows = self.conn.execute(
            "SELECT name, dtype, data FROM samples WHERE activity_id = ?", (activity_id,)
        ).fetchall()
        wanted = None if columns is None else {"time", *columns}
        return decode_sample_table([r for r in rows if wanted is None or r[0] in wanted])

    def athletes(
        self, timezone_of: Callable[[str], str | None] | None = None
    ) -> list[AthleteSummary]:
        """Every athlete with activities or anything else stored, by name.

        ``timezone_of(athlete)`` gives the time zone for the local dates of activities whose
        file carried no offset (the athlete's profile's); without it, or when it gives None,
        UTC.
        """
        local_start = (
            "CASE WHEN utc_offset_s IS NOT NULL "
            "THEN datetime(start_utc, printf('%+d seconds', utc_offset_s)) END"
        )
        no_offset = "CASE WHEN utc_offset_s IS NULL THEN start_utc END"
        rows = self.conn.execute(
            "SELECT athlete, count(*), sum(sport = 'running'), min(start_utc), max(start_utc), "
            f"min({local_start}), max({local_start}), min({no_offset}), max({no_offset}), "
            "max(imported_at) FROM activities GROUP BY athlete"
        ).fetchall()
        found = {row[0]: row for row in rows}
        imports = dict(
            self.conn.execute("SELECT athlete, max(at) FROM import_log GROUP BY athlete").fetchall()
        )
        pain = {
            row[0]: row
            for row in self.conn.execute(
                "SELECT athlete, count(*), max(date) FROM pain GROUP BY athlete"
            )
        }
        names = set(found) | set(imports)
        for table in ("shoes", "pain", "wellness"):
            names |= {r[0] for r in self.conn.execute(f"SELECT DISTINCT athlete FROM {table}")}
        out = []
        for name in sorted(names):
            row = found.get(name, (name, 0, 0, *[None] * 7))
            zone = timezone_of(name) if timezone_of is not None else None
            days = _local_dates(row[5:9], zone)
            last_import = max(
                (moment for moment in (imports.get(name), row[9]) if moment), default=None
            )
            pain_row = pain.get(name, (name, 0, None))
            out.append(
                AthleteSummary(
                    athlete=name,
                    activities=int(row[1] or 0),
                    runs=int(row[2] or 0),
                    first_start_utc=_parse_utc(row[3]),
                    last_start_utc=_parse_utc(row[4]),
                    last_import_utc=_parse_utc(last_import),
                    first_date=min(days, default=None),
                    last_date=max(days, default=None),
                    pain_entries=int(pain_row[1] or 0),
                    last_pain_date=date.fromisoformat(pain_row[2]) if pain_row[2] else None,
                )
            )
        return out

    # -- removing activities ---------------------------------------------------------------
    def remove_activities(self, athlete: str, ids: Sequence[int]) -> list[dict]:
        """Delete activities (their samples, metrics and shoe assignments go with them) and
        remember each, so that a later import of the same run does not bring it back. Shoe names
        only the removed runs carried are dropped. Returns the removed rows; all or none."""
        removed: list[dict] = []
        with self.transaction() as conn:
            for activity_id in dict.fromkeys(ids):
                row = self._require_activity(conn, athlete, activity_id)
                removed.append(row)
                duration = row["timer_s"] if row["timer_s"] is not None else row["elapsed_s"]
                conn.execute(
                    "INSERT INTO removed_activities (athlete, sport, start_utc, distance_m, "
                    "duration_s, source_sha256, source_index, source_name, removed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        athlete,
                        row["sport"],
                        row["start_utc"],
                        row["distance_m"],
                        duration,
                        row["source_sha256"],
                        row["source_index"],
                        row["source_name"],
                        _now_text(),
                    ),
                )
                conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))
            self._drop_orphan_source_shoes(conn, athlete)
        return removed

    @staticmethod
    def _drop_orphan_source_shoes(conn: sqlite3.Connection, athlete: str) -> None:
        """Pairs an import brought in that no run names or wears any more go with the runs."""
        worn = {
            shoe_name_key(name)
            for (name,) in conn.execute(
                "SELECT DISTINCT shoe FROM activities WHERE athlete = ? AND shoe IS NOT NULL",
                (athlete,),
            )
        }
        candidates = conn.execute(
            "SELECT id, name_key FROM shoes WHERE athlete = ? AND origin != 'user' "
            "AND is_default = 0 AND id NOT IN (SELECT shoe_id FROM shoe_assignments)",
            (athlete,),
        ).fetchall()
        conn.executemany(
            "DELETE FROM shoes WHERE id = ?", [(i,) for i, key in candidates if key not in worn]
        )

    def _require_activity(self, conn: sqlite3.Connection, athlete: str, activity_id: int) -> dict:
        cursor = conn.execute(
            "SELECT * FROM activities WHERE athlete = ? AND id = ?", (athlete, activity_id)
        )
        row = cursor.fetchone()
        if row is None:
            raise InvalidInput(f"no activity with id {activity_id}; see: stridewise activities")
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    # -- per-run metrics (computed at import, see stridewise.pipeline) ----------------------
    def run_metrics_entries(self, athlete: str, version: int) -> dict[int, str]:
        """The per-run metrics (JSON text) of an athlete's activities, of one version."""
        rows = self.conn.execute(
            "SELECT m.activity_id, m.data FROM run_metrics m JOIN activities a "
            "ON a.id = m.activity_id WHERE a.athlete = ? AND m.version = ?",
            (athlete, version),
        )
        return {int(activity_id): data for activity_id, data in rows}

    def activities_missing_metrics(self, athlete: str | None, version: int) -> list[int]:
        """Activities with records whose per-run metrics are missing or of another version."""
        query = (
            "SELECT a.id FROM activities a LEFT JOIN run_metrics m ON m.activity_id = a.id "
            "WHERE a.n_samples > 0 AND (m.version IS NULL OR m.version != ?)"
        )
        params: tuple = (version,)
        if athlete is not None:
            query += " AND a.athlete = ?"
            params += (athlete,)
        return [int(row[0]) for row in self.conn.execute(query + " ORDER BY a.id", params)]

    def save_run_metrics(self, entries: dict[int, str], version: int) -> None:
        """Store per-run metrics (JSON text by activity id), replacing older entries."""
        with self.transaction() as conn:
            for activity_id, data in entries.items():
                self._insert_metrics(conn, activity_id, (version, data))

    # -- shoes -------------------------------------------------------------------------------
    def shoes(self, athlete: str) -> list[StoredShoe]:
        rows = self.conn.execute(
            f"SELECT {_SHOE_COLUMNS} FROM shoes WHERE athlete = ? ORDER BY name_key", (athlete,)
        ).fetchall()
        return [_shoe(row) for row in rows]

    def shoe_by_key(self, athlete: str, key: str) -> StoredShoe | None:
        row = self.conn.execute(
            f"SELECT {_SHOE_COLUMNS} FROM shoes WHERE athlete = ? AND name_key = ?",
            (athlete, key),
        ).fetchone()
        return _shoe(row) if row else None

    def insert_shoe(self, athlete: str, name: str, key: str, **values: Any) -> None:
        """A new pair; ``values``: initial_km, limit_km, since, retired_on, is_default, origin."""
        with self.transaction() as conn:
            self._insert_shoe(conn, athlete, name, key, **values)

    @staticmethod
    def _insert_shoe(
        conn: sqlite3.Connection, athlete: str, name: str, key: str, **values: Any
    ) -> None:
        conn.execute(
            "INSERT INTO shoes (athlete, name, name_key, initial_km, limit_km, since, "
            "retired_on, is_default, origin, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                athlete,
                name,
                key,
                values.get("initial_km") or 0.0,
                values.get("limit_km"),
                _date_text(values.get("since")),
                _date_text(values.get("retired_on")),
                int(bool(values.get("is_default"))),
                values.get("origin", "user"),
                _now_text(),
            ),
        )

    _SHOE_FIELDS = frozenset(
        {
            "name",
            "name_key",
            "initial_km",
            "limit_km",
            "since",
            "retired_on",
            "is_default",
            "origin",
        }
    )

    def update_shoe(self, shoe_id: int, values: dict[str, Any]) -> None:
        """Set columns of one pair (dates as ``date`` or None)."""
        unknown = set(values) - self._SHOE_FIELDS
        if unknown:
            raise StoreError(f"not shoe columns: {sorted(unknown)}")
        if not values:
            return
        converted = {
            key: _date_text(value) if key in ("since", "retired_on") else value
            for key, value in values.items()
        }
        if "is_default" in converted:
            converted["is_default"] = int(bool(converted["is_default"]))
        assignments = ", ".join(f"{key} = ?" for key in converted)
        with self.transaction() as conn:
            conn.execute(
                f"UPDATE shoes SET {assignments} WHERE id = ?", (*converted.values(), shoe_id)
            )

    def delete_shoe(self, shoe_id: int) -> None:
        """Remove a pair and its assignments (runs then fall back to sources and defaults)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM shoes WHERE id = ?", (shoe_id,))

    def shoe_assignments(self, athlete: str) -> dict[int, int]:
        """Activity id -> shoe id of every explicit assignment."""
        rows = self.conn.execute(
            "SELECT a.activity_id, a.shoe_id FROM shoe_assignments a JOIN activities t "
            "ON t.id = a.activity_id WHERE t.athlete = ?",
            (athlete,),
        )
        return {int(activity_id): int(shoe_id) for activity_id, shoe_id in rows}

    def assign_shoe(self, activity_ids: Sequence[int], shoe_id: int) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO shoe_assignments (activity_id, shoe_id) VALUES (?, ?) "
                "ON CONFLICT (activity_id) DO UPDATE SET shoe_id = excluded.shoe_id",
                [(int(i), shoe_id) for i in activity_ids],
            )

    def assigned_count(self, shoe_id: int) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM shoe_assignments WHERE shoe_id = ?", (shoe_id,)
            ).fetchone()[0]
        )

    def adopt_shoe_names(
        self, conn: sqlite3.Connection, athlete: str, names: Iterable[str], origin: str = "source"
    ) -> int:
        """Give every shoe name an import brought a row in ``shoes`` (inside the caller's
        transaction, so that reading commands never need to); the number of new pairs."""
        known = {
            row[0]
            for row in conn.execute("SELECT name_key FROM shoes WHERE athlete = ?", (athlete,))
        }
        added = 0
        for name in names:
            key = shoe_name_key(name)
            if not name.strip() or key in known:
                continue
            self._insert_shoe(conn, athlete, name.strip(), key, origin=origin)
            known.add(key)
            added += 1
        return added

    # -- the pain journal ------------------------------------------------------------------
    def pain_entries(self, athlete: str) -> list[tuple[date, int, str | None]]:
        """Every logged day, oldest first: (date, score, note).

        A day outside ``days.EARLIEST_DAY``-``days.LATEST_DAY`` (which an older stridewise
        stored when it was typed, e.g. 0001-01-01) is left out: every reading's date arithmetic
        overflowed on it, for good."""
        rows = self.conn.execute(
            "SELECT date, score, note FROM pain WHERE athlete = ? AND date BETWEEN ? AND ? "
            "ORDER BY date",
            (athlete, EARLIEST_DAY.isoformat(), LATEST_DAY.isoformat()),
        )
        return [(date.fromisoformat(day), int(score), note) for day, score, note in rows]

    def write_pain(self, athlete: str, entries: Sequence[tuple[date, int, str | None]]) -> int:
        """Log days (a day logged before is replaced), all or none; how many were replaced."""
        replaced = 0
        with self.transaction() as conn:
            for day, score, note in entries:
                replaced += (
                    conn.execute(
                        "SELECT 1 FROM pain WHERE athlete = ? AND date = ?",
                        (athlete, day.isoformat()),
                    ).fetchone()
                    is not None
                )
                conn.execute(
                    "INSERT INTO pain (athlete, date, score, note) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (athlete, date) DO UPDATE SET score = excluded.score, "
                    "note = excluded.note",
                    (athlete, day.isoformat(), score, note),
                )
        return replaced

    # -- facts about the athlete from exports --------------------------------------------------
    def athlete_facts(self, athlete: str) -> dict[str, tuple[str, str]]:
        """What exports said about the athlete: key -> (value, source)."""
        rows = self.conn.execute(
            "SELECT key, value, source FROM athlete_facts WHERE athlete = ?", (athlete,)
        )
        return {key: (value, source) for key, value, source in rows}

    def save_athlete_facts(self, athlete: str, facts: dict[str, object], source: str) -> int:
        """Store facts (birth_year, sex, max_hr, …) an export holds; the newest source wins.
        Returns how many changed."""
        changed = 0
        with self.transaction() as conn:
            for key, value in facts.items():
                if value is None:
                    continue
                before = conn.total_changes
                conn.execute(
                    "INSERT INTO athlete_facts (athlete, key, value, source, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (athlete, key) DO UPDATE SET "
                    "value = excluded.value, source = excluded.source, "
                    "updated_at = excluded.updated_at WHERE athlete_facts.value IS NOT "
                    "excluded.value",
                    (athlete, key, str(value), source, _now_text()),
                )
                changed += conn.total_changes > before
        return changed

    # -- daily wellness ----------------------------------------------------------------------
    def save_wellness(self, athlete: str, days: Iterable[WellnessDay], source: str) -> int:
        """Store daily wellness values from ``source``; a value another source (the runner, say)
        already filled keeps its value. Returns how many dates were written or changed (a date
        given twice, its resting heart rate and its sleep apart, counts once)."""
        changed: set[str] = set()
        with self.transaction() as conn:
            for day in days:
                before = conn.total_changes
                conn.execute(
                    "INSERT INTO wellness (athlete, date, resting_hr_bpm, hrv_sdnn_ms, sleep_s, "
                    "source) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (athlete, date) DO UPDATE SET "
                    "resting_hr_bpm = CASE WHEN wellness.resting_hr_bpm IS NULL OR "
                    "wellness.source IS excluded.source THEN coalesce(excluded.resting_hr_bpm, "
                    "wellness.resting_hr_bpm) ELSE wellness.resting_hr_bpm END, "
                    "hrv_sdnn_ms = CASE WHEN wellness.hrv_sdnn_ms IS NULL OR "
                    "wellness.source IS excluded.source THEN coalesce(excluded.hrv_sdnn_ms, "
                    "wellness.hrv_sdnn_ms) ELSE wellness.hrv_sdnn_ms END, "
                    "sleep_s = CASE WHEN wellness.sleep_s IS NULL OR wellness.source IS "
                    "excluded.source THEN coalesce(excluded.sleep_s, wellness.sleep_s) "
                    "ELSE wellness.sleep_s END, "
                    "source = coalesce(wellness.source, excluded.source) "
                    "WHERE wellness.resting_hr_bpm IS NOT coalesce(excluded.resting_hr_bpm, "
                    "wellness.resting_hr_bpm) OR wellness.hrv_sdnn_ms IS NOT "
                    "coalesce(excluded.hrv_sdnn_ms, wellness.hrv_sdnn_ms) OR wellness.sleep_s IS "
                    "NOT coalesce(excluded.sleep_s, wellness.sleep_s)",
                    (athlete, day.date, day.resting_hr_bpm, day.hrv_sdnn_ms, day.sleep_s, source),
                )
                if conn.total_changes > before:
                    changed.add(day.date)
        return len(changed)

    def wellness_frame(self, athlete: str) -> pd.DataFrame:
        """Daily wellness, oldest first: date (ISO text), resting_hr_bpm, hrv_sdnn_ms, sleep_s."""
        import pandas as pd

        return pd.read_sql_query(
            "SELECT date, resting_hr_bpm, hrv_sdnn_ms, sleep_s FROM wellness WHERE athlete = ? "
            "ORDER BY date",
            self.conn,
            params=(athlete,),
        )


def _shoe_key(name: str | None) -> str | None:
    """``activities.shoe_key``: the key of the shoe a source named (None when none)."""
    return None if name is None else shoe_name_key(str(name))


def _fill_shoe_keys(conn: sqlite3.Connection) -> None:
    """Migration 6's Python step: the shoe key of every stored activity (SQL has no casefold)."""
    rows = conn.execute("SELECT id, shoe FROM activities WHERE shoe IS NOT NULL").fetchall()
    conn.executemany(
        "UPDATE activities SET shoe_key = ? WHERE id = ?",
        [(_shoe_key(shoe), activity_id) for activity_id, shoe in rows],
    )


#: Steps in Python that complete a migration (values SQL cannot compute), by the version the
#: migration reaches; they run in its transaction.
_MIGRATION_STEPS = {6: _fill_shoe_keys}


def _date_text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _local_dates(extremes: Sequence[str | None], zone: str | None) -> list[date]:
    """Local dates of the earliest and latest activity: (first, last) local start of those with
    an offset, then (first, last) UTC start of those without, placed in ``zone`` (else UTC)."""
    with_offset, without = extremes[:2], extremes[2:]
    days = [datetime.fromisoformat(text).date() for text in with_offset if text]
    for text in without:
        moment = _parse_utc(text)
        if moment is not None:
            offset = offset_in_zone(zone, moment) if zone else 0
            days.append((moment + timedelta(seconds=offset)).date())
    return days


def _parse_utc(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _first_file(folder: Path) -> Path:
    """The first path on the way to ``folder`` that exists and is not a folder."""
    for parent in [*reversed(folder.parents), folder]:
        if parent.exists() and not parent.is_dir():
            return parent
    return folder


def _newer_message(path: Path, version: int) -> str:
    return (
        f"{path}: the database has schema version {version}, newer than this stridewise "
        f"({SCHEMA_VERSION}); upgrade stridewise"
    )


def _database_error(path: Path, exc: BaseException) -> str:
    """One line a runner understands for what SQLite said."""
    text = str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            f"{path}: the database is in use by another stridewise (or another program) and "
            f"stayed locked for {BUSY_TIMEOUT_S:.0f} s; try again when it has finished"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return f"{path}: the database file is read-only; cannot write to it"
    if "malformed" in lowered:
        return (
            f"{path}: the database file is damaged ({text}); restore it from a backup, or "
            "import your files again into a new database"
        )
    if "not a database" in lowered or "file is not" in lowered:
        return f"{path}: not a stridewise database, or a damaged one ({text})"
    if "unable to open" in lowered:
        return f"{path}: cannot open the database ({text})"
    return f"{path}: cannot use the database ({text})"


def _with_local_time(
    frame: pd.DataFrame,
    default_timezone: str | None,
    since: date | None,
    until: date | None,
) -> pd.DataFrame:
    import pandas as pd

    frame["start_utc"] = pd.to_datetime(frame["start_utc"], utc=True, format="ISO8601")
    frame["local_start"] = local_starts(frame["start_utc"], frame["utc_offset_s"], default_timezone)
    frame["local_date"] = frame["local_start"].dt.date
    frame["duration_s"] = frame["timer_s"].where(frame["timer_s"].notna(), frame["elapsed_s"])
    if since is not None:
        frame = frame[frame["local_date"] >= since]
    if until is not None:
        frame = frame[frame["local_date"] <= until]
    return frame[ACTIVITY_FRAME_COLUMNS].reset_index(drop=True)
