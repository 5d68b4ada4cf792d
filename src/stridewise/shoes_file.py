"""The runner's shoes kept in a TOML file (``stridewise shoes import``): every pair with its
limit, the distance it had before, whether it is the default, and which runs it was in.

```toml
[[shoe]]
name = "Pegasus 40"
initial_km = 116                # or initial_mi; distance before ``since``
limit_km = 600                  # or limit_mi; default: the shoe_mileage rule's limit
default = true                  # runs no source named, from ``since`` on
since = "2026-08-17"            # first day of use (a TOML date works too)
retired_on = "2026-12-01"       # optional
assign = [{ since = "2026-11-21", until = "2026-11-21" }, { activity = 42 }]
notes = "bought second-hand"    # for you; not stored
```

The whole file is read and checked before anything is stored, and a pair the runner already
added is an error (as ``shoes add`` would say), so an import stores every pair or none. The
writes themselves are ``shoes.add_shoe``, ``retire_shoe`` and ``assign_shoe``: the same rules as
the commands.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from stridewise import days
from stridewise.errors import InvalidInput, StridewiseError
from stridewise.inputs import read_regular_file, shown_path
from stridewise.shoes import (
    add_shoe,
    assign_shoe,
    checked_name,
    find_shoe,
    name_key,
    retire_shoe,
)
from stridewise.store import Store
from stridewise.units import KM_PER_MILE

#: Largest shoes file accepted [bytes]: a few hundred pairs fit in a few kilobytes.
MAX_SHOES_FILE_BYTES = 2**20

_SHOE_KEYS = frozenset(
    {
        "name",
        "initial_km",
        "initial_mi",
        "limit_km",
        "limit_mi",
        "default",
        "since",
        "retired_on",
        "assign",
        "notes",
    }
)
_ASSIGN_KEYS = frozenset({"since", "until", "activity"})


@dataclass(frozen=True)
class Assignment:
    """Runs a pair was in: one activity by id, or every run of a local date range."""

    activity_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class ShoeEntry:
    """One ``[[shoe]]`` of the file, checked."""

    name: str
    initial_km: float = 0.0  # [km]
    limit_km: float | None = None  # [km]
    default: bool = False
    since: date | None = None
    retired_on: date | None = None
    assign: tuple[Assignment, ...] = ()


@dataclass(frozen=True)
class ShoesImported:
    """What ``import_shoes`` stored: the pairs (name, whether it merged into a pair an import
    had named) and the runs assigned."""

    pairs: tuple[tuple[str, bool], ...]
    assigned: int


def read_shoes_file(path: Path) -> list[ShoeEntry]:
    """Every pair of a shoes TOML file, checked; ``InvalidInput`` naming the file, the pair and
    the key otherwise."""
    label = shown_path(path.name)
    try:
        data = read_regular_file(path, MAX_SHOES_FILE_BYTES, "a shoes file")
    except StridewiseError as exc:
        raise InvalidInput(str(exc)) from exc
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{label}: not valid TOML ({exc})") from exc
    unknown = sorted(set(document) - {"shoe"})
    if unknown:
        raise InvalidInput(
            f"{label}: unknown key '{unknown[0]}'; a shoes file holds [[shoe]] tables"
        )
    tables = document.get("shoe", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InvalidInput(f"{label}: 'shoe' must be [[shoe]] tables")
    if not tables:
        raise InvalidInput(f"{label}: no [[shoe]] in the file")
    entries = [_entry(table, f"{label}, shoe {number}") for number, table in enumerate(tables, 1)]
    seen: dict[str, str] = {}
    for entry in entries:
        key = name_key(entry.name)
        if key in seen:
            raise InvalidInput(f"{label}: the shoe '{entry.name}' is in the file twice")
        seen[key] = entry.name
    return entries


def import_shoes(
    store: Store,
    athlete: str,
    entries: list[ShoeEntry],
    *,
    today: date,
    default_timezone: str | None = None,
    label: str = "shoes file",
) -> ShoesImported:
    """Store every pair of ``entries`` (``read_shoes_file``), then their retirements and
    assignments. A pair the runner added before is refused before anything is written."""
    for entry in entries:
        existing = find_shoe(store, athlete, entry.name)
        if existing is not None and existing.origin == "user":
            raise InvalidInput(
                f"{label}: a shoe named '{existing.name}' already exists; nothing was imported "
                f'(change it with: stridewise shoes edit "{existing.name}")'
            )
        if entry.retired_on is not None and entry.retired_on > today:
            raise InvalidInput(
                f"{label}: '{entry.name}' retired_on {entry.retired_on} is in the future"
            )
    pairs = []
    for entry in entries:
        shoe, merged = add_shoe(
            store,
            athlete,
            entry.name,
            initial_km=entry.initial_km,
            limit_km=entry.limit_km,
            default=entry.default,
            since=entry.since,
        )
        pairs.append((shoe.name, merged))
    assigned = 0
    for entry in entries:
        for assignment in entry.assign:
            assigned += assign_shoe(
                store,
                athlete,
                entry.name,
                activity_id=assignment.activity_id,
                since=assignment.since,
                until=assignment.until,
                default_timezone=default_timezone,
            )
        if entry.retired_on is not None:
            retire_shoe(store, athlete, entry.name, entry.retired_on, today)
    return ShoesImported(tuple(pairs), assigned)


def _entry(table: dict[str, Any], where: str) -> ShoeEntry:
    name = table.get("name")
    if not isinstance(name, str):
        raise InvalidInput(f"{where}: every shoe needs a name")
    name = checked_name(name)
    where = f"{where} ('{name}')"
    unknown = sorted(set(table) - _SHOE_KEYS)
    if unknown:
        raise InvalidInput(
            f"{where}: unknown key '{unknown[0]}' (use {', '.join(sorted(_SHOE_KEYS))})"
        )
    notes = table.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise InvalidInput(f"{where}: notes must be text")
    default = table.get("default", False)
    if not isinstance(default, bool):
        raise InvalidInput(f"{where}: default must be true or false, not {default!r}")
    since = _day(table.get("since"), "since", where)
    retired_on = _day(table.get("retired_on"), "retired_on", where)
    if since is not None and retired_on is not None and retired_on < since:
        raise InvalidInput(f"{where}: retired_on {retired_on} is before since {since}")
    assign = table.get("assign", [])
    if not isinstance(assign, list):
        raise InvalidInput(f"{where}: assign must be a list of tables")
    return ShoeEntry(
        name=name,
        initial_km=_km(table, "initial", where, positive=False) or 0.0,
        limit_km=_km(table, "limit", where, positive=True),
        default=default,
        since=since,
        retired_on=retired_on,
        assign=tuple(_assignment(item, where) for item in assign),
    )


def _km(table: dict[str, Any], prefix: str, where: str, *, positive: bool) -> float | None:
    """``<prefix>_km`` or ``<prefix>_mi`` (not both) in kilometres [km]."""
    km, mi = table.get(f"{prefix}_km"), table.get(f"{prefix}_mi")
    if km is not None and mi is not None:
        raise InvalidInput(f"{where}: give {prefix}_km or {prefix}_mi, not both")
    key, value = (f"{prefix}_mi", mi) if mi is not None else (f"{prefix}_km", km)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}: {key} must be a number, not {value!r}")
    if value < 0 or (positive and value == 0) or value != value or value > 100_000:
        bound = "more than 0" if positive else "0 or more"
        raise InvalidInput(f"{where}: {key} must be {bound} (and below 100000), not {value}")
    return float(value) * (KM_PER_MILE if key.endswith("_mi") else 1.0)


def _day(value: Any, key: str, where: str) -> date | None:
    if value is None:
        return None
    try:
        if isinstance(value, date) and not hasattr(value, "hour"):
            return days.check_day(value)
        if isinstance(value, str):
            return days.parse_day(value)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {key} {exc}") from None
    raise InvalidInput(f"{where}: {key} must be a date (YYYY-MM-DD), not {value!r}")


def _assignment(item: Any, where: str) -> Assignment:
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}: each assign entry must be a table, e.g. {{ activity = 42 }}")
    unknown = sorted(set(item) - _ASSIGN_KEYS)
    if unknown:
        raise InvalidInput(f"{where}: unknown key '{unknown[0]}' in assign")
    activity = item.get("activity")
    since = _day(item.get("since"), "assign since", where)
    until = _day(item.get("until"), "assign until", where)
    if activity is not None:
        if isinstance(activity, bool) or not isinstance(activity, int) or activity < 1:
            raise InvalidInput(f"{where}: assign activity must be an activity id, not {activity!r}")
        if since is not None or until is not None:
            raise InvalidInput(f"{where}: assign either an activity or since/until, not both")
        return Assignment(activity_id=activity)
    if since is None:
        raise InvalidInput(f"{where}: each assign entry needs activity or since")
    if until is not None and until < since:
        raise InvalidInput(f"{where}: assign until {until} is before since {since}")
    return Assignment(since=since, until=until)


__all__ = ["Assignment", "ShoeEntry", "ShoesImported", "import_shoes", "read_shoes_file"]
