"""Fixtures of the report tests: the history of ``report_history`` in a store, and its report."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_history import ATHLETE, PROFILE, TODAY, fill_store

from stridewise.store import Store


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the history above (built once; copy it before changing it)."""
    path = tmp_path_factory.mktemp("report-db") / "stridewise.db"
    with Store(path) as store:
        fill_store(store)
    return path


@pytest.fixture(scope="session")
def weekly_report(report_db: Path):
    """The W47 report of ``report_db``, built once."""
    from stridewise.report import build_report

    with Store(report_db) as store:
        return build_report(store, ATHLETE, PROFILE, today=TODAY)
