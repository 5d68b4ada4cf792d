"""Shared fixtures. Real device files live in ../shared (beside the repo); tests that need them
skip cleanly when it is absent."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _find_shared() -> Path | None:
    env = os.environ.get("STRIDEWISE_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared", REPO / "shared"]
    for candidate in candidates:
        if (candidate / "data" / "real" / "MANIFEST.tsv").is_file():
            return candidate
    return None


SHARED = _find_shared()
REAL = SHARED / "data" / "real" if SHARED else None


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """../shared/data/real, or skip."""
    if REAL is None:
        pytest.skip("../shared/data/real is not present")
    return REAL


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


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
