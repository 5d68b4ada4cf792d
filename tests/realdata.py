"""Where the real device files are: ../shared (beside the repo), else $STRIDEWISE_SHARED.

A plain module (not conftest) so that test modules can import these names at collection time
without clashing with the conftest.py files of sub-folders.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
