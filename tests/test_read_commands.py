"""Reading commands never write: the database file is byte-identical after them, they work on a
read-only file, and they never create a database that is not there."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"

READ_COMMANDS = [
    ("activities",),
    ("activities", "--json"),
    ("flags", "--json"),
    ("shoes", "list", "--json"),
    ("pain", "list", "--json"),
]


def sw(db: Path, *args: str, config: Path | None = SAMPLES / "config.toml"):
    options = ["--db", str(db)] + (["--config", str(config)] if config else [])
    return CliRunner().invoke(cli, [*options, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("read") / "stridewise.db"
    assert sw(db, "import", str(SAMPLES / "watch"), str(SAMPLES / "log")).exit_code == 0
    assert sw(db, "shoes", "add", "Pegasus 40", "--default", "--since", "2026-08-17").exit_code == 0
    assert sw(db, "pain", "add", "2026-11-20", "3", "--note", "stiff").exit_code == 0
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reading_leaves_the_database_byte_identical(filled, tmp_path):
    before = digest(filled)
    for args in READ_COMMANDS:
        result = sw(filled, *args)
        assert result.exit_code == 0, (args, result.output)
    out = tmp_path / "report"
    assert sw(filled, "report", "--week", "2026-W47", "--out", str(out)).exit_code == 0
    assert digest(filled) == before


def test_reading_works_on_a_read_only_database(filled, tmp_path):
    copy = tmp_path / "locked" / "stridewise.db"
    copy.parent.mkdir()
    copy.write_bytes(filled.read_bytes())
    copy.chmod(stat.S_IRUSR)
    copy.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)  # not even a -shm file can be made beside it
    try:
        if os.geteuid() == 0:
            pytest.skip("root reads and writes read-only files anyway")
        result = sw(copy, "activities", "--json")
        assert result.exit_code == 0, result.output
        written = sw(copy, "pain", "add", "2026-11-21", "2")
        assert written.exit_code == 1
        assert "read-only" in written.output
    finally:
        copy.parent.chmod(stat.S_IRWXU)
        copy.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_read_command_never_creates_a_database(tmp_path):
    path = tmp_path / "misspelt" / "stridewise.db"
    for args in READ_COMMANDS:
        result = sw(path, *args)
        assert result.exit_code == 1
        assert result.output == (
            f"Error: {path}: no such database; import something first: stridewise import PATH\n"
        )
    assert not path.parent.exists()


def test_a_store_opened_for_reading_cannot_write(filled):
    from stridewise.errors import StoreError
    from stridewise.store import Store

    with Store(filled, readonly=True) as store:
        with pytest.raises(StoreError, match="opened for reading only"):
            store.write_pain("me", [])
        with pytest.raises(Exception, match="readonly"):
            store.conn.execute("DELETE FROM pain")
