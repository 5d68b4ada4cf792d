"""Shoes: which pair each run was in, and how far each pair has gone.

A run's shoe is decided in this order: an explicit ``assign`` (table ``shoe_assignments``), the
shoe its source named (Strava ``Activity Gear``, Garmin gear, a CSV ``shoe`` column — the
``activities.shoe`` column), then the default pair active on the run's local date. Names match
case- and space-insensitively, so "Pegasus 40" from a Strava export and "pegasus40" added by hand
are one pair. Only running counts toward a shoe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from stridewise.errors import InvalidInput
from stridewise.profile import Profile
from stridewise.store import Store

#: Default wear limit when a pair has none [km]; RULES.md: 500-800 km is convention.
DEFAULT_LIMIT_KM = 600.0


def default_limit_km(profile: Profile) -> float:
    """A pair's limit when it has none: the profile's ``[rules.shoe_mileage] limit_km``."""
    value = profile.rules.get("shoe_mileage", {}).get("limit_km", DEFAULT_LIMIT_KM)
    return float(value) if isinstance(value, int | float) else DEFAULT_LIMIT_KM


def name_key(name: str) -> str:
    """The key two shoe names match on: case-folded, with all white space removed."""
    return re.sub(r"\s+", "", name).casefold()


@dataclass(frozen=True)
class Shoe:
    id: int
    name: str
    initial_km: float
    limit_km: float | None
    since: date | None
    retired_on: date | None
    is_default: bool
    origin: str


def _shoe(row: tuple) -> Shoe:
    return Shoe(
        id=row[0],
        name=row[1],
        initial_km=row[2],
        limit_km=row[3],
        since=date.fromisoformat(row[4]) if row[4] else None,
        retired_on=date.fromisoformat(row[5]) if row[5] else None,
        is_default=bool(row[6]),
        origin=row[7],
    )


_COLUMNS = "id, name, initial_km, limit_km, since, retired_on, is_default, origin"


def get_shoes(store: Store, athlete: str) -> list[Shoe]:
    """Every pair the athlete has, including pairs only named by imported runs."""
    _adopt_source_names(store, athlete)
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM shoes WHERE athlete = ? ORDER BY name_key", (athlete,)
    ).fetchall()
    return [_shoe(row) for row in rows]


def find_shoe(store: Store, athlete: str, name: str) -> Shoe | None:
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM shoes WHERE athlete = ? AND name_key = ?",
        (athlete, name_key(name)),
    ).fetchone()
    return _shoe(row) if row else None


def _require(store: Store, athlete: str, name: str) -> Shoe:
    _adopt_source_names(store, athlete)
    shoe = find_shoe(store, athlete, name)
    if shoe is None:
        raise InvalidInput(f"no shoe named '{name}'; see: stridewise shoes list")
    return shoe


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def upsert_shoe(
    store: Store,
    athlete: str,
    name: str,
    *,
    origin: str,
    initial_km: float | None = None,
    limit_km: float | None = None,
    since: date | None = None,
    retired_on: date | None = None,
    is_default: bool | None = None,
) -> Shoe:
    """Create a pair, or merge the given values into the pair with the same name key."""
    if not name.strip():
        raise InvalidInput("a shoe needs a name")
    existing = find_shoe(store, athlete, name)
    with store.transaction() as conn:
        if existing is None:
            conn.execute(
                "INSERT INTO shoes (athlete, name, name_key, initial_km, limit_km, since, "
                "retired_on, is_default, origin, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    athlete,
                    name.strip(),
                    name_key(name),
                    initial_km or 0.0,
                    limit_km,
                    since.isoformat() if since else None,
                    retired_on.isoformat() if retired_on else None,
                    int(bool(is_default)),
                    origin,
                    _now(),
                ),
            )
        else:
            updates = {
                "initial_km": initial_km,
                "limit_km": limit_km,
                "since": since.isoformat() if since else None,
                "retired_on": retired_on.isoformat() if retired_on else None,
                "is_default": None if is_default is None else int(is_default),
            }
            given = {key: value for key, value in updates.items() if value is not None}
            if origin == "user" and existing.origin != "user":
                given["origin"] = "user"  # the runner's own entry now owns this pair
                given["name"] = name.strip()
            if given:
                assignments = ", ".join(f"{key} = ?" for key in given)
                conn.execute(
                    f"UPDATE shoes SET {assignments} WHERE id = ?", (*given.values(), existing.id)
                )
    shoe = find_shoe(store, athlete, name)
    if shoe is None:  # written in the transaction above: only a concurrent delete gets here
        raise InvalidInput(f"shoe '{name}' could not be saved")
    return shoe


def add_shoe(
    store: Store,
    athlete: str,
    name: str,
    *,
    initial_km: float = 0.0,
    limit_km: float | None = None,
    default: bool = False,
    since: date | None = None,
) -> tuple[Shoe, bool]:
    """``shoes add``: a new pair, or the runner's values for a pair an export brought in.

    Returns the pair and whether it merged into one that arrived from an import.
    """
    if initial_km < 0:
        raise InvalidInput(f"--initial-km must be 0 or more, not {initial_km:g}")
    if limit_km is not None and limit_km <= 0:
        raise InvalidInput(f"--limit-km must be more than 0, not {limit_km:g}")
    _adopt_source_names(store, athlete)
    existing = find_shoe(store, athlete, name)
    if existing is not None and existing.origin == "user":
        raise InvalidInput(f"a shoe named '{existing.name}' already exists")
    shoe = upsert_shoe(
        store,
        athlete,
        name,
        origin="user",
        initial_km=initial_km,
        limit_km=limit_km,
        since=since,
        is_default=default or None,
    )
    return shoe, existing is not None


def assign_shoe(
    store: Store,
    athlete: str,
    name: str,
    *,
    activity_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    default_timezone: str | None = None,
) -> int:
    """``shoes assign``: put one activity, or every run in a local date range, in this pair."""
    shoe = _require(store, athlete, name)
    frame = store.activities_frame(athlete, default_timezone=default_timezone)
    if activity_id is not None:
        chosen = frame[frame["id"] == activity_id]
        if chosen.empty:
            raise InvalidInput(f"no activity with id {activity_id}")
        if chosen.iloc[0]["sport"] != "running":
            raise InvalidInput(f"activity {activity_id} is not a run; only runs wear shoes")
    else:
        if since is None:
            raise InvalidInput("give --activity ID or --since DATE")
        chosen = frame[(frame["local_date"] >= since) & (frame["sport"] == "running")]
        if until is not None:
            chosen = chosen[chosen["local_date"] <= until]
    ids = [int(i) for i in chosen["id"]]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO shoe_assignments (activity_id, shoe_id) VALUES (?, ?) "
            "ON CONFLICT (activity_id) DO UPDATE SET shoe_id = excluded.shoe_id",
            [(i, shoe.id) for i in ids],
        )
    return len(ids)


def retire_shoe(store: Store, athlete: str, name: str, on: date) -> Shoe:
    shoe = _require(store, athlete, name)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE shoes SET retired_on = ?, is_default = 0 WHERE id = ?",
            (on.isoformat(), shoe.id),
        )
    return _require(store, athlete, name)


def _adopt_source_names(store: Store, athlete: str) -> None:
    """Give every shoe name an imported run carries a row in ``shoes`` (origin 'source')."""
    names = store.conn.execute(
        "SELECT DISTINCT shoe FROM activities WHERE athlete = ? AND shoe IS NOT NULL "
        "AND trim(shoe) != '' AND sport = 'running'",
        (athlete,),
    ).fetchall()
    known = {
        row[0]
        for row in store.conn.execute("SELECT name_key FROM shoes WHERE athlete = ?", (athlete,))
    }
    missing = {name_key(n): n.strip() for (n,) in names if name_key(n) not in known}
    if missing:
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO shoes (athlete, name, name_key, origin, created_at) "
                "VALUES (?, ?, ?, 'source', ?)",
                [(athlete, name, key, _now()) for key, name in missing.items()],
            )


def activity_shoes(
    store: Store,
    athlete: str,
    activities: pd.DataFrame | None = None,
    default_timezone: str | None = None,
) -> pd.Series:
    """The shoe name of every running activity (index: activity id; None when unknown)."""
    shoes = get_shoes(store, athlete)
    if activities is None:
        activities = store.activities_frame(athlete, default_timezone=default_timezone)
    runs = activities[activities["sport"] == "running"]
    by_key = {name_key(s.name): s.name for s in shoes}
    by_id = {s.id: s.name for s in shoes}
    assigned = dict(
        store.conn.execute(
            "SELECT a.activity_id, a.shoe_id FROM shoe_assignments a JOIN activities t "
            "ON t.id = a.activity_id WHERE t.athlete = ?",
            (athlete,),
        ).fetchall()
    )
    defaults = sorted(
        (s for s in shoes if s.is_default),
        key=lambda s: s.since or date.min,
        reverse=True,
    )
    result: dict[int, str | None] = {}
    for activity_id, source_name, local_date in zip(
        runs["id"], runs["shoe"], runs["local_date"], strict=True
    ):
        activity_id = int(activity_id)
        if activity_id in assigned:
            result[activity_id] = by_id[assigned[activity_id]]
        elif isinstance(source_name, str) and source_name.strip():
            result[activity_id] = by_key.get(name_key(source_name), source_name.strip())
        else:
            result[activity_id] = _default_on(defaults, local_date)
    return pd.Series(result, name="shoe", dtype="object")


def _default_on(defaults: list[Shoe], day: date) -> str | None:
    for shoe in defaults:  # newest start first
        if (shoe.since is None or shoe.since <= day) and (
            shoe.retired_on is None or day <= shoe.retired_on
        ):
            return shoe.name
    return None


def shoes_frame(
    store: Store,
    athlete: str,
    profile: Profile,
    today: date | None = None,
    activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``shoes list``: one row per pair with distance, runs, first/last use, 4-week share, status.

    ``distance_km`` includes ``initial_km``; ``share_4w`` is the pair's share of the running
    distance in the 28 days up to ``today`` [0-1].
    """
    if activities is None:
        activities = store.activities_frame(athlete, default_timezone=profile.timezone)
    worn = activity_shoes(store, athlete, activities)
    runs = activities[activities["sport"] == "running"].set_index("id")
    runs = runs.assign(shoe=worn.reindex(runs.index))
    today = today or date.today()
    recent = runs[runs["local_date"] > today - pd.Timedelta(days=28).to_pytimedelta()]
    recent_total = recent["distance_m"].fillna(0).sum()
    rows = []
    for shoe in get_shoes(store, athlete):
        mine = runs[runs["shoe"] == shoe.name]
        km = shoe.initial_km + mine["distance_m"].fillna(0).sum() / 1000.0
        limit = shoe.limit_km or default_limit_km(profile)
        recent_km = recent.loc[recent["shoe"] == shoe.name, "distance_m"].fillna(0).sum()
        if shoe.retired_on is not None:
            status = "retired"
        elif km >= limit:
            status = "past limit"
        elif km >= 0.9 * limit:
            status = "near limit"
        else:
            status = "ok"
        rows.append(
            {
                "name": shoe.name,
                "distance_km": round(km, 3),
                "runs": len(mine),
                "first_used": min(mine["local_date"]).isoformat() if len(mine) else None,
                "last_used": max(mine["local_date"]).isoformat() if len(mine) else None,
                "share_4w": round(recent_km / recent_total, 3) if recent_total else 0.0,
                "initial_km": shoe.initial_km,
                "limit_km": limit,
                "limit_is_default": shoe.limit_km is None,
                "since": shoe.since.isoformat() if shoe.since else None,
                "default": shoe.is_default,
                "retired": shoe.retired_on is not None,
                "retired_on": shoe.retired_on.isoformat() if shoe.retired_on else None,
                "status": status,
                "origin": shoe.origin,
            }
        )
    return pd.DataFrame(rows)
