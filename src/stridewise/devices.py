"""Which altitude a recording device measures, from the name its file gives it.

A barometric altimeter follows the ground within a metre or two; a GPS-only altitude (a phone, a
watch without a barometer) wanders by tens of metres from one minute to the next, enough to make
a city run look like a trail (RULES.md, Surface: 21 of 45 runs of a Forerunner 235 were once
"trail", one of them in the centre of Ho Chi Minh City). So the surface is inferred only from
altitude the device measured barometrically (or a platform corrected), and which devices have a
barometer is decided here, conservatively: a device that is not listed is unknown, and unknown
means the altitude is not used.

Names are matched as files write them, after folding case, accents, spaces and punctuation and
writing "Forerunner" as "fr": FIT ``garmin_product`` names as fitparse decodes them
("fenix5_plus", "fr935", "vivo_active_hr"), FIT product numbers fitparse has no name for, TCX
``Creator/Name`` ("Garmin Forerunner 910XT", "vívoactive HR", "EDGE705") and GPX ``creator``
attributes ("Urban Biker - with barometer", "StravaGPX Android").

| altitude | devices (Garmin names unless said) |
|---|---|
| barometric | fenix, epix, enduro, instinct; Forerunner 165, 255, 265, 570, 645, 745, 910XT, 920XT, 935, 945, 955, 965, 970; Edge 130, 5xx, 7xx, 8xx, 1000-1050; vívoactive HR, 3, 4; Polar Vantage V; any creator that says "with barometer" |
| gps | Forerunner 10-60, 110, 205-245, 305, 310XT, 405, 410, 610, 620, 630, 735XT; Edge 20, 25, 200; phone apps (Strava's Android and iPhone apps, Nike Run Club, Runkeeper, Sports Tracker, Endomondo) |
"""  # noqa: E501 - a table reads best unwrapped

from __future__ import annotations

import re
import unicodedata

#: Where an activity's altitude came from (``Activity.altitude_source``).
BAROMETRIC = "barometric"
CORRECTED = "corrected"  # by a platform, from a terrain model
GPS = "gps"

#: Altitude sources a surface may be inferred from (RULES.md, Surface).
RELIABLE_ALTITUDE_SOURCES = frozenset({BAROMETRIC, CORRECTED})

#: Folded device names that start with one of these have a barometric altimeter. Checked before
#: ``_GPS_ONLY`` (the Forerunner 255 has one, the 25 has not).
_BAROMETRIC_PREFIXES = (
    "fenix", "epix", "enduro", "instinct", "descent", "tactix", "quatix",
    "fr165", "fr255", "fr265", "fr570", "fr645", "fr745", "fr910xt", "fr920xt", "fr935",
    "fr945", "fr955", "fr965", "fr970",
    "edge130", "edge5", "edge7", "edge8", "edge1000", "edge1030", "edge1040", "edge1050",
    "vivoactivehr", "vivoactive3", "vivoactive4",
    "polarvantagev",
)  # fmt: skip

#: Folded names of watches known to have no barometer, and of phone apps (GPS altitude).
_GPS_ONLY_PREFIXES = (
    "fr10", "fr15", "fr25", "fr30", "fr35", "fr45", "fr50", "fr55", "fr60", "fr110", "fr205",
    "fr210", "fr220", "fr225", "fr230", "fr235", "fr245", "fr305", "fr310xt", "fr405", "fr410",
    "fr610", "fr620", "fr630", "fr735xt", "edge20", "edge25", "edge200",
    "stravagpxandroid", "stravagpxiphone", "nikerunclub", "nikeplus", "runkeeper",
    "sportstracker", "endomondo",
)  # fmt: skip

#: FIT garmin_product numbers of barometric devices that older fitparse profiles do not name.
_BAROMETRIC_PRODUCT_IDS = frozenset({3113, 3110, 3291, 4024, 3570, 3122, 3843})

_WITH_BAROMETER = re.compile(r"\bwith (a )?barometer\b")
_MANUFACTURERS = ("garmin",)


def altitude_source_of(device: str | None) -> str | None:
    """Where the altitude of a device came from: "barometric", "gps" or None (unknown; see the
    table), for the name a file gives the device."""
    if not device:
        return None
    text = _plain(device)
    if _WITH_BAROMETER.search(text):
        return BAROMETRIC
    name = _folded(text)
    for manufacturer in _MANUFACTURERS:
        if name.startswith(manufacturer):
            name = name[len(manufacturer) :]
            if name.isdigit() and int(name) in _BAROMETRIC_PRODUCT_IDS:
                return BAROMETRIC
    if name.startswith(_BAROMETRIC_PREFIXES):
        return BAROMETRIC
    if name.startswith(_GPS_ONLY_PREFIXES):
        return GPS
    return None


def _plain(text: str) -> str:
    """Lower case without accents ("vívoactive" -> "vivoactive")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _folded(text: str) -> str:
    """Letters and digits only, "forerunner" written "fr"."""
    return re.sub(r"[^a-z0-9]+", "", text).replace("forerunner", "fr")
