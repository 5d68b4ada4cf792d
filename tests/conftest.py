"""Shared fixtures. Real device files live in ../shared (beside the repo); tests that need them
skip cleanly when it is absent (see realdata.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from realdata import REAL, read_tsv

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """../shared/data/real, or skip."""
    if REAL is None:
        pytest.skip("../shared/data/real is not present")
    return REAL


@pytest.fixture(scope="session")
def fit_sessions(real_dir: Path) -> list[dict[str, str]]:
    """Rows of fit_sessions.tsv: the device's own session totals (ground truth)."""
    return read_tsv(real_dir / "fit_sessions.tsv")


@pytest.fixture(scope="session")
def manifest(real_dir: Path) -> list[dict[str, str]]:
    return read_tsv(real_dir / "MANIFEST.tsv")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
