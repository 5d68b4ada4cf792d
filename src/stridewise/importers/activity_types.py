"""Activity types as Strava's and Garmin Connect's activity lists write them, in any language.

A list names each activity's type in the runner's language ("Run", "Løb", "Traillauf",
"Treadmill Running"). The words map onto the sports the other importers use, and onto a surface
when the word says one (trail, treadmill, track); plain "run" says nothing about the surface.
A word not listed becomes its own sport name ("Incident Detected" -> ``incident_detected``), so
that it is kept without being counted as a run.
"""

from __future__ import annotations

import re

#: (sport, sub_sport, surface) for activity type words, any language, spaces and dashes removed.
#: Plain "run" says nothing about the surface: it stays unknown.
_TYPE_WORDS: dict[str, tuple[str, str | None, str]] = {}


def _register(
    words: str, sport: str, sub_sport: str | None = None, surface: str = "unknown"
) -> None:
    for word in words.split("|"):
        _TYPE_WORDS[_type_key(word)] = (sport, sub_sport, surface)


def _type_key(text: str) -> str:
    return re.sub(r"[\s\-_.]+", "", text).casefold()


_register(
    "run|running|lauf|laufen|løb|løp|løping|course à pied|course|corsa|carrera|hardlopen|corrida"
    "|correr|juoksu|bieg|bieganie|ultra run|obstacle run",
    "running",
)
_register(
    "trail run|trail running|traillauf|trailrun|trailrunning|trailløb|course sur sentier"
    "|corsa su trail|carrera de trail|carrera por senderos",
    "running",
    "trail",
    "trail",
)
_register("street running|road running|straßenlauf", "running", "street", "road")
_register(
    "treadmill running|treadmill run|treadmill|laufband|løbebånd|course sur tapis|tapis roulant",
    "running",
    "treadmill",
    "treadmill",
)
_register(
    "indoor running|indoor run|indendørs løb|hallenlauf", "running", "indoor_running", "treadmill"
)
_register("track running|track run|bahnlauf|baneløb", "running", "track", "track")
_register(
    "virtual run|virtueller lauf|course virtuelle|corsa virtuale|carrera virtual",
    "running",
    "virtual_activity",
    "treadmill",
)
_register(
    "walk|walking|spaziergang|spazieren|gehen|gang|gåtur|marche|camminata|caminata|wandelen"
    "|casual walking|speed walking",
    "walking",
)
_register("hike|hiking|wanderung|wandern|vandring|randonnée|escursionismo|senderismo", "hiking")
_register(
    "ride|cycling|radfahrt|radfahren|cykling|vélo|ciclismo|fietsen|road cycling|road biking"
    "|virtual ride|virtuelle radfahrt|virtuelle ausfahrt|indoor cycling|mountain bike ride"
    "|mountain biking|mountainbike|gravel ride|gravel cycling|gravel|ebike ride|e-bike ride"
    "|e-bike|e bike ride|velomobile|handcycle",
    "cycling",
)
_register(
    "swim|swimming|pool swim|open water swimming|schwimmen|svømning|natation|nuoto|natación"
    "|zwemmen",
    "swimming",
)
_register(
    "weight training|strength training|krafttraining|styrketræning|musculation|workout|training"
    "|entraînement|cardio|hiit|yoga|pilates|crossfit",
    "training",
)
_register("rowing|indoor rowing|rudern|roning|aviron", "rowing")


def sport_of(type_text: str | None) -> tuple[str, str | None, str, str | None]:
    """(sport, sub_sport, surface, surface_source) for an activity type as a list writes it."""
    if not type_text:
        return "generic", None, "unknown", None
    known = _TYPE_WORDS.get(_type_key(type_text))
    if known is None:
        sport = re.sub(r"[\s\-]+", "_", type_text.strip()).casefold()
        return sport, None, "unknown", None
    sport, sub_sport, surface = known
    return sport, sub_sport, surface, "export" if surface != "unknown" else None


def known_type(type_text: str) -> tuple[str, str | None, str, str | None] | None:
    """``sport_of`` for a word the table knows; None for any other."""
    known = _TYPE_WORDS.get(_type_key(type_text))
    if known is None:
        return None
    sport, sub_sport, surface = known
    return sport, sub_sport, surface, "export" if surface != "unknown" else None
