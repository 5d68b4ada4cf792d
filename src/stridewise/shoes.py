"""Shoes: which pair each run was in, and how far each pair has gone.

A run's shoe is decided in this order: an explicit ``assign`` (the store's shoe assignments), the
shoe its source named (Strava ``Activity Gear``, Garmin gear, a CSV ``shoe`` column — the
``activities.shoe`` column), then the default pair active on the run's local date. Names match
case- and space-insensitively (``model.shoe_name_key``), so "Pegasus 40" from a Strava export and
"pegasus40" added by hand are one pair. Only running counts toward a shoe.

Pairs named by imported runs become rows of their own when the import stores them; reading
commands never write. Every SQL statement is the store's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stridewise.errors import InvalidInput
from stridewise.importers.exports import ExportShoe
from stridewise.model import RUNNING_SPORTS, shoe_name_key
from stridewise.profile import Profile
from stridewise.store import Store, StoredShoe

if TYPE_CHECKING:  # the import path merges export shoes without loading pandas
    import pandas as pd

#: Default wear limit when a pair has none [km]; RULES.md: 500-800 km is convention.
DEFAULT_LIMIT_KM = 600.0

#: Longest shoe name accepted [characters]: a model name and a nickname fit easily.
MAX_NAME_CHARS = 80

Shoe = StoredShoe
name_key = shoe_name_key


def default_limit_km(profile: Profile) -> float:
    """A pair's limit when it has none: the profile's ``[rules.shoe_mileage] limit_km``."""
    value = profile.rules.get("shoe_mileage", {}).get("limit_km", DEFAULT_LIMIT_KM)
    return float(value) if isinstance(value, int | float) else DEFAULT_LIMIT_KM


def get_shoes(store: Store, athlete: str) -> list[Shoe]:
    """Every pair the athlete has, including pairs brought in by imports."""
    return store.shoes(athlete)


def find_shoe(store: Store, athlete: str, name: str) -> Shoe | None:
    return store.shoe_by_key(athlete, name_key(name))


def require_shoe(store: Store, athlete: str, name: str) -> Shoe:
    shoe = find_shoe(store, athlete, name)
    if shoe is None:
        raise InvalidInput(f"no shoe named '{name}'; see: stridewise shoes list")
    return shoe


def checked_name(name: str) -> str:
    """A shoe name as stored: white space collapsed; refused when empty or too long."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("a shoe needs a name")
    if len(cleaned) > MAX_NAME_CHARS:
        raise InvalidInput(
            f"a shoe name of {len(cleaned)} characters is too long (at most {MAX_NAME_CHARS})"
        )
    return cleaned


def merge_export_shoe(store: Store, athlete: str, shoe: ExportShoe, origin: str) -> Shoe:
    """A pair an export lists: created, or merged into the pair of the same name. An export
    fills in what a pair lacks; it never overrides what the runner set."""
    existing = find_shoe(store, athlete, shoe.name)
    name = " ".join(shoe.name.split())[:MAX_NAME_CHARS] or "unnamed"
    if existing is None:
        store.insert_shoe(
            athlete,
            name,
            name_key(shoe.name),
            limit_km=shoe.limit_km,
            retired_on=shoe.retired_on,
            origin=origin,
        )
    else:
        values: dict[str, object] = {}
        if existing.limit_km is None and shoe.limit_km is not None:
            values["limit_km"] = shoe.limit_km
        if existing.retired_on is None and shoe.retired_on is not None:
            values["retired_on"] = shoe.retired_on
        store.update_shoe(existing.id, values)
    return require_shoe(store, athlete, shoe.name)


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
    """``shoes add``: a new pair, or the runner's own values for a pair an import brought in.

    A name the runner already added is an error (``shoes edit`` changes a pair). Returns the
    pair and whether it merged into one that arrived from an import.
    """
    name = checked_name(name)
    if initial_km < 0:
        raise InvalidInput(f"--initial-km must be 0 or more, not {initial_km:g}")
    if limit_km is not None and limit_km <= 0:
        raise InvalidInput(f"--limit-km must be more than 0, not {limit_km:g}")
    existing = find_shoe(store, athlete, name)
    if existing is not None and existing.origin == "user":
        raise InvalidInput(
            f"a shoe named '{existing.name}' already exists; change it with: "
            f'stridewise shoes edit "{existing.name}"'
        )
    if existing is None:
        store.insert_shoe(
            athlete,
            name,
            name_key(name),
            initial_km=initial_km,
            limit_km=limit_km,
            since=since,
            is_default=default,
            origin="user",
        )
    else:
        # the runner's own entry now owns the pair an import brought in
        values: dict[str, object] = {"origin": "user", "name": name, "initial_km": initial_km}
        if limit_km is not None:
            values["limit_km"] = limit_km
        if since is not None:
            values["since"] = since
        if default:
            values["is_default"] = True
        store.update_shoe(existing.id, values)
    return require_shoe(store, athlete, name), existing is not None


def edit_shoe(
    store: Store,
    athlete: str,
    name: str,
    *,
    rename: str | None = None,
    limit_km: float | None = None,
    initial_km: float | None = None,
) -> Shoe:
    """``shoes edit``: rename a pair, change its limit or the distance it had before."""
    shoe = require_shoe(store, athlete, name)
    values: dict[str, object] = {}
    if rename is not None:
        new_name = checked_name(rename)
        other = find_shoe(store, athlete, new_name)
        if other is not None and other.id != shoe.id:
            raise InvalidInput(f"a shoe named '{other.name}' already exists")
        values.update(name=new_name, name_key=name_key(new_name))
    if limit_km is not None:
        if limit_km <= 0:
            raise InvalidInput(f"the limit must be more than 0, not {limit_km:g}")
        values["limit_km"] = limit_km
    if initial_km is not None:
        if initial_km < 0:
            raise InvalidInput(f"the initial distance must be 0 or more, not {initial_km:g}")
        values["initial_km"] = initial_km
    if not values:
        raise InvalidInput(
            "nothing to change; give --rename, --limit-km/--limit-mi or --initial-km"
        )
    values["origin"] = "user"
    store.update_shoe(shoe.id, values)
    return require_shoe(store, athlete, rename if rename is not None else name)


def remove_shoe(store: Store, athlete: str, name: str, *, force: bool = False) -> tuple[Shoe, int]:
    """``shoes remove``: refused while runs are assigned to the pair, unless ``force`` (then
    those runs fall back to what their source named, or the default pair). Returns the pair and
    how many assignments went with it."""
    shoe = require_shoe(store, athlete, name)
    assigned = store.assigned_count(shoe.id)
    if assigned and not force:
        raise InvalidInput(
            f"{assigned} run{'s are' if assigned != 1 else ' is'} assigned to '{shoe.name}'; "
            "remove it anyway with --force (those runs then fall back to the default pair)"
        )
    store.delete_shoe(shoe.id)
    return shoe, assigned


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
    shoe = require_shoe(store, athlete, name)
    frame = store.activities_frame(athlete, default_timezone=default_timezone)
    if activity_id is not None:
        chosen = frame[frame["id"] == activity_id]
        if chosen.empty:
            raise InvalidInput(f"no activity with id {activity_id}")
        if chosen.iloc[0]["sport"] not in RUNNING_SPORTS:
            raise InvalidInput(f"activity {activity_id} is not a run; only runs wear shoes")
    else:
        if since is None:
            raise InvalidInput("give --activity ID or --since DATE")
        chosen = frame[(frame["local_date"] >= since) & frame["sport"].isin(RUNNING_SPORTS)]
        if until is not None:
            chosen = chosen[chosen["local_date"] <= until]
    ids = [int(i) for i in chosen["id"]]
    store.assign_shoe(ids, shoe.id)
    return len(ids)


def retire_shoe(store: Store, athlete: str, name: str, on: date, today: date) -> Shoe:
    """``shoes retire``: the pair counts no runs after ``on``. A default pair stays the default
    of the days up to ``on`` (its runs keep their pair; ``_default_on``) and of none after."""
    if on > today:
        raise InvalidInput(f"{on.isoformat()} is in the future; retire a pair today or earlier")
    shoe = require_shoe(store, athlete, name)
    store.update_shoe(shoe.id, {"retired_on": on})
    return require_shoe(store, athlete, name)


def unretire_shoe(store: Store, athlete: str, name: str) -> Shoe:
    """``shoes unretire``: the pair is in service again (a default pair is the default again)."""
    shoe = require_shoe(store, athlete, name)
    if shoe.retired_on is None:
        raise InvalidInput(f"'{shoe.name}' is not retired")
    store.update_shoe(shoe.id, {"retired_on": None})
    return require_shoe(store, athlete, name)


@dataclass(frozen=True)
class ShoeBook:
    """What decides each run's pair, read once from the store: the pairs and the assignments."""

    shoes: tuple[Shoe, ...]
    assigned: Mapping[int, int]  # activity id -> shoe id

    @classmethod
    def from_store(cls, store: Store, athlete: str) -> ShoeBook:
        return cls(tuple(store.shoes(athlete)), store.shoe_assignments(athlete))

    def worn(self, activities: pd.DataFrame) -> pd.Series:
        """The shoe name of every running activity (index: activity id; None when unknown)."""
        import pandas as pd

        runs = activities[activities["sport"].isin(RUNNING_SPORTS)]
        by_key = {name_key(s.name): s.name for s in self.shoes}
        by_id = {s.id: s.name for s in self.shoes}
        defaults = sorted(
            (s for s in self.shoes if s.is_default),
            key=lambda s: s.since or date.min,
            reverse=True,
        )
        result: dict[int, str | None] = {}
        for activity_id, source_name, local_date in zip(
            runs["id"], runs["shoe"], runs["local_date"], strict=True
        ):
            activity_id = int(activity_id)
            if activity_id in self.assigned and self.assigned[activity_id] in by_id:
                result[activity_id] = by_id[self.assigned[activity_id]]
            elif isinstance(source_name, str) and source_name.strip():
                result[activity_id] = by_key.get(name_key(source_name), source_name.strip())
            else:
                result[activity_id] = _default_on(defaults, local_date)
        return pd.Series(result, name="shoe", dtype="object")


def activity_shoes(
    store: Store,
    athlete: str,
    activities: pd.DataFrame | None = None,
    default_timezone: str | None = None,
) -> pd.Series:
    """The shoe name of every running activity (index: activity id; None when unknown)."""
    if activities is None:
        activities = store.activities_frame(athlete, default_timezone=default_timezone)
    return ShoeBook.from_store(store, athlete).worn(activities)


def _default_on(defaults: list[Shoe], day: date) -> str | None:
    for shoe in defaults:  # newest start first
        if (shoe.since is None or shoe.since <= day) and (
            shoe.retired_on is None or day <= shoe.retired_on
        ):
            return shoe.name
    return None


def shoe_table(
    book: ShoeBook,
    activities: pd.DataFrame,
    profile: Profile,
    today: date,
) -> pd.DataFrame:
    """``shoes list``: one row per pair with distance, runs, first/last use, 4-week share, status.

    ``activities`` has the store's activity columns (``shoe`` resolved or not). ``distance_km``
    includes ``initial_km``; ``share_4w`` is the pair's share of the running distance in the 28
    days up to ``today`` [0-1].
    """
    import pandas as pd

    worn = book.worn(activities)
    runs = activities[activities["sport"].isin(RUNNING_SPORTS)].set_index("id")
    runs = runs.assign(shoe=worn.reindex(runs.index))
    runs = runs[runs["local_date"] <= today]
    recent = runs[runs["local_date"] > today - pd.Timedelta(days=28).to_pytimedelta()]
    recent_total = recent["distance_m"].fillna(0).sum()
    rows = []
    for shoe in book.shoes:
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


def shoes_frame(
    store: Store,
    athlete: str,
    profile: Profile,
    today: date | None = None,
    activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``shoe_table`` read from the store (``today``: the day the shares are measured to)."""
    if activities is None:
        activities = store.activities_frame(athlete, default_timezone=profile.timezone)
    return shoe_table(
        ShoeBook.from_store(store, athlete), activities, profile, today or date.today()
    )
