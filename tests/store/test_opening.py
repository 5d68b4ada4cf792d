"""Opening the store while another process opens it too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from stridewise.errors import StoreError
from stridewise.store import Store, database


class _LockedAtFirst:
    """A connection whose switch to WAL is answered "database is locked" ``times`` times, as
    SQLite answers at once (its busy timeout not waited) while another connection opens a new
    database at the same moment."""

    def __init__(self, connection: sqlite3.Connection, times: int) -> None:
        self._connection = connection
        self.refused = 0
        self._times = times

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql.startswith("PRAGMA journal_mode") and self.refused < self._times:
            self.refused += 1
            raise sqlite3.OperationalError("database is locked")
        return self._connection.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._connection, name)


def _connect_locked_at_first(monkeypatch: pytest.MonkeyPatch, times: int) -> list[_LockedAtFirst]:
    made: list[_LockedAtFirst] = []
    real = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> _LockedAtFirst:
        made.append(_LockedAtFirst(real(*args, **kwargs), times))
        return made[-1]

    monkeypatch.setattr(database.sqlite3, "connect", connect)
    return made


def test_a_new_database_opened_by_two_imports_at_once_is_waited_for(monkeypatch, tmp_path: Path):
    made = _connect_locked_at_first(monkeypatch, times=3)
    with Store(tmp_path / "new.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert made[0].refused == 3


def test_a_database_locked_for_longer_than_the_timeout_is_one_line(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.05)
    _connect_locked_at_first(monkeypatch, times=10**6)
    with pytest.raises(StoreError, match="in use by another stridewise"):
        Store(tmp_path / "new.db")
