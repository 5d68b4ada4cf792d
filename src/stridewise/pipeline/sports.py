"""What an activity is and what it was on, settled in the cleaning step: its sport when the file
names none, where its altitude came from, and its surface inferred from reliable altitude.

**Sport.** A file that names no sport (a GPX without ``<type>``, such as the 68 runs of a Nike Run
Club history) is ``generic``, and every analysis of runs passes it over. In this order:

1. the sport the runner gave for the files of an import (``stridewise import --sport``);
2. the app that wrote the file, when it records one sport only (``SINGLE_SPORT_APPS``: Nike Run
   Club);
3. the activity's name, when its words name exactly one sport (``NAME_WORDS``: "Morning Run",
   "Sexta-Feira Corrida Matutina", "Afternoon Ride"), in the languages of ``activity_types``.

Each inference leaves a warning saying where the sport came from; an activity nothing names stays
``generic`` (the import summary counts them, and ``stridewise activities set ID --sport``
corrects one).

**Altitude source.** ``devices.altitude_source_of`` the device the file names, for an activity
whose records carry altitude (None without).

**Surface.** Inferred at import, and only for a run whose surface nothing stated and whose
altitude is barometric or platform-corrected (RULES.md, Surface): from the grade roughness of its
records (``metrics.surface``), stored with source "inferred". GPS-only altitude is left alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np

from stridewise.devices import RELIABLE_ALTITUDE_SOURCES, altitude_source_of
from stridewise.errors import InvalidInput
from stridewise.importers.activity_types import known_type
from stridewise.metrics.surface import surface_of_roughness
from stridewise.model import Activity

#: A sport that says nothing (the file did not say).
UNSPECIFIED_SPORT = "generic"

#: Apps that record one sport only: a file they wrote is that sport [folded creator prefix].
SINGLE_SPORT_APPS = {"nikerunclub": "running", "nikeplus": "running", "nike": "running"}

#: Words of an activity's name that name a sport (names are free text, so only words that mean
#: nothing else: not "course", "gang", "training", "track").
NAME_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("run", "running", "jog", "jogging", "corrida", "lauf", "laufen", "dauerlauf", "løb",
         "løp", "hardlopen", "juoksu", "bieg", "carrera", "trailrun", "treadmill", "laufband",
         "parkrun", "marathon", "halfmarathon"),
        "running",
    ),
    **dict.fromkeys(
        ("ride", "cycling", "bike", "biking", "radfahrt", "radtour", "fietsen", "fietstocht",
         "cykling", "ciclismo", "vélo", "velo", "pedalada"),
        "cycling",
    ),
    **dict.fromkeys(("walk", "walking", "spaziergang", "wandeling", "caminhada", "caminata",
                     "stroll"), "walking"),
    **dict.fromkeys(("hike", "hiking", "wanderung", "trilha", "randonnée", "senderismo"),
                    "hiking"),
    **dict.fromkeys(("swim", "swimming", "schwimmen", "natação", "natación", "zwemmen"),
                    "swimming"),
}  # fmt: skip


def settle_sport(
    activity: Activity, default_sport: SportChoice | None, warnings: list[str]
) -> None:
    """Give a ``generic`` activity a sport, in place (see the module text for the order)."""
    if activity.sport not in (UNSPECIFIED_SPORT, None, ""):
        return
    if default_sport is not None:
        activity.sport = default_sport.sport
        if default_sport.sub_sport and activity.sub_sport in (None, "generic"):
            activity.sub_sport = default_sport.sub_sport
        if default_sport.surface != "unknown" and activity.surface in (None, "unknown"):
            activity.surface, activity.surface_source = default_sport.surface, "user"
        return
    app = _folded(activity.device or "")
    for prefix, sport in SINGLE_SPORT_APPS.items():
        if app.startswith(prefix):
            activity.sport = sport
            warnings.append(
                f"the file names no sport; {sport} taken from the app that wrote it "
                f"({activity.device})"
            )
            return
    sport = sport_in_name(activity.name)
    if sport is not None:
        activity.sport = sport
        warnings.append(f"the file names no sport; {sport} taken from its name ({activity.name!r})")


def sport_in_name(name: str | None) -> str | None:
    """The one sport the words of an activity's name name, else None (none, or several)."""
    if not name:
        return None
    words = re.findall(r"[^\W\d_]+", name.casefold())
    found = {NAME_WORDS[w] for w in words if w in NAME_WORDS}
    pairs = (a + b for a, b in zip(words, words[1:], strict=False))  # "trail run" -> "trailrun"
    found |= {NAME_WORDS[pair] for pair in pairs if pair in NAME_WORDS}
    return found.pop() if len(found) == 1 else None


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


@dataclass(frozen=True)
class SportChoice:
    """A sport the runner names for activities whose files name none (``import --sport``)."""

    sport: str
    sub_sport: str | None = None
    surface: str = "unknown"


def sport_choice(text: str) -> SportChoice:
    """The sport a runner's word names, in FIT's names ("run" -> running, "treadmill" -> running
    on a treadmill): any word ``activity_types`` knows, or a FIT sport name; ``InvalidInput`` for
    any other."""
    word = text.strip()
    known = known_type(word) if word else None
    if known is not None:
        sport, sub_sport, surface = known
        return SportChoice(sport, sub_sport, surface)
    if word.casefold() in CANONICAL_SPORTS:
        return SportChoice(word.casefold())
    raise InvalidInput(
        f"sport '{text}' is not one stridewise knows (such as running, trail run, treadmill, "
        "walking, hiking, cycling, swimming)"
    )


#: Sports in FIT's names that may be given as they are.
CANONICAL_SPORTS = frozenset(
    {"running", "walking", "hiking", "cycling", "swimming", "rowing", "training", "generic"}
)


# --- altitude and surface ------------------------------------------------------------------------


def settle_altitude_source(activity: Activity) -> None:
    """Where the activity's altitude came from, from its device, in place: only for records that
    carry altitude (an activity without stays None), and only once (a summary merged into a
    recording is cleaned again when the records are already packed for the store)."""
    samples = activity.table
    if activity.altitude_source is not None or "altitude_m" not in samples:
        return
    if np.isfinite(samples["altitude_m"]).any():
        activity.altitude_source = altitude_source_of(activity.device)


def infer_surface_at_import(activity: Activity) -> None:
    """Infer the surface of a run that no source named from its records' grade roughness (in its
    per-run metrics), in place; only from reliable altitude (``RELIABLE_ALTITUDE_SOURCES``)."""
    if not activity.is_running or activity.surface not in (None, "unknown"):
        return
    inferred = surface_from_metrics(activity.metrics_json, activity.altitude_source)
    if inferred is not None:
        activity.surface, activity.surface_source = inferred, "inferred"


def surface_from_metrics(metrics_json: str | None, altitude_source: str | None) -> str | None:
    """The surface ("road" or "trail") that the grade roughness in a run's per-run metrics (JSON)
    infers, when its altitude is reliable and the roughness clear; else None."""
    if altitude_source not in RELIABLE_ALTITUDE_SOURCES or not metrics_json:
        return None
    roughness = json.loads(metrics_json).get("roughness")
    if roughness is None:
        return None
    inferred = surface_of_roughness(float(roughness))
    return None if inferred == "unknown" else inferred
