"""Strict JSON: what every ``--json`` output and ``report.json`` is made with.

Python's ``json`` writes ``NaN`` and ``Infinity`` by default, which strict parsers (JavaScript's
``JSON.parse``, ``jq``) reject; pandas fills a missing text or date with NaN and a missing time
with NaT. ``plain`` turns all of them into ``null`` (and dates into ISO text, numpy scalars into
Python numbers) before ``dumps`` writes with ``allow_nan=False``, so a value that slipped through
is an error here, never invalid JSON in the runner's pipe.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time
from typing import Any


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: NaN, infinities and NaT become None, dates and times ISO
    text, numpy scalars Python numbers, tuples lists, mapping keys text."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date | time):
        # pandas' NaT is a datetime that is not equal to itself
        return None if value != value else value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # a numpy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(value: Any, *, indent: int | None = 2, ensure_ascii: bool = True) -> str:
    """Strict JSON text of ``value`` (``plain`` first; ``allow_nan=False``)."""
    return json.dumps(plain(value), indent=indent, ensure_ascii=ensure_ascii, allow_nan=False)
