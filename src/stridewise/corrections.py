"""The runner's corrections of a stored activity: its sport and its surface.

An import can only go by what a file says: a GPX that names no sport stays ``generic`` and every
analysis of runs passes it over; a surface nothing named stays ``unknown``. ``correct_activity``
sets what the runner knows (``stridewise activities set``). A surface so set has the source
"user", the strongest (RULES.md, Surface): no later import of the same run from another source
changes it (``pipeline.merging.additions``). A sport word may carry a surface ("treadmill",
"trail run"), which is set with it unless a surface is given too.
"""

from __future__ import annotations

from dataclasses import dataclass

from stridewise.errors import InvalidInput
from stridewise.metrics.run import METRICS_VERSION
from stridewise.model import SURFACES
from stridewise.pipeline.sports import sport_choice, surface_from_metrics
from stridewise.store import Store


@dataclass(frozen=True)
class Correction:
    """What a correction changed: each field's value before and after."""

    activity_id: int
    changes: dict[str, tuple[object, object]]  # name -> (before, after)


def correct_activity(
    store: Store,
    athlete: str,
    activity_id: int,
    *,
    sport: str | None = None,
    surface: str | None = None,
) -> Correction:
    """Set the sport (any word ``pipeline.sports.sport_choice`` knows) and/or the surface (one of
    ``model.SURFACES``) of one of ``athlete``'s activities; ``InvalidInput`` for an unknown id,
    sport or surface. A run that becomes one by its new sport, with reliable altitude and no
    surface given, gets the surface its records infer (as an import would have)."""
    if sport is None and surface is None:
        raise InvalidInput("nothing to change: give a sport, a surface or both")
    if surface is not None and surface not in SURFACES:
        raise InvalidInput(f"surface '{surface}' is not one of {', '.join(SURFACES)}")
    row = store.activity_row(athlete, activity_id)
    if row is None:
        raise InvalidInput(f"no activity with id {activity_id}; see: stridewise activities")
    values: dict[str, object] = {}
    if sport is not None:
        choice = sport_choice(sport)
        values["sport"] = choice.sport
        if choice.sub_sport is not None or row["sub_sport"] not in (None, "generic"):
            values["sub_sport"] = choice.sub_sport
        if surface is None and choice.surface != "unknown":
            values.update(surface=choice.surface, surface_source="user")
    if surface is not None:
        values.update(surface=surface, surface_source="user")
    elif "surface" not in values and values.get("sport") == "running":
        values.update(_inferred_surface(store, athlete, row))
    changes = {name: (row[name], value) for name, value in values.items() if row.get(name) != value}
    if changes:
        store.set_activity_values(athlete, activity_id, {k: v for k, (_, v) in changes.items()})
    return Correction(activity_id, changes)


def _inferred_surface(store: Store, athlete: str, row: dict) -> dict[str, object]:
    """The surface an import infers for a run (``pipeline.sports.infer_surface_at_import``)."""
    if row["surface"] not in (None, "unknown"):
        return {}
    entry = store.run_metrics_entries(athlete, METRICS_VERSION).get(int(row["id"]))
    inferred = surface_from_metrics(entry, row.get("altitude_source"))
    return {} if inferred is None else {"surface": inferred, "surface_source": "inferred"}
