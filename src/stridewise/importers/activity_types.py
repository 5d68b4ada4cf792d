"""Activity types as Strava's and Garmin Connect's activity lists write them, in any language.

A list names each activity's type in the runner's language ("Run", "Løb", "Traillauf",
"Treadmill Running"). The words map onto the sports the other importers use, and onto a surface
when the word says one (trail, treadmill, track); plain "run" says nothing about the surface.
Gym words name the sub-sport that decides the session's kind (``stridewise.kinds``): "Weight
Training" is ``training/strength_training`` (strength), "Yoga" ``training/yoga`` (mobility), a
plain "Workout" ``training`` (cross-training: a gym class may be anything). A word not listed
becomes its own sport name ("Incident Detected" -> ``incident_detected``), so that it is kept
without being counted as a run.
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
_register("rowing|rudern|roning|aviron|canottaggio|remo|roeien", "rowing")
_register(
    "indoor rowing|virtual row|rowing machine|rudergerät|romaskine", "rowing", "indoor_rowing"
)

# The gym: strength and core work (remedies for the back, RULES.md), mobility, and the rest.
_register(
    "weight training|strength training|strength|weights|weightlifting|krafttraining|kraftsport"
    "|styrketræning|styrketrening|styrketräning|musculation|renforcement musculaire"
    "|allenamento di forza|entrenamiento de fuerza|krachttraining|treino de força|musculação"
    "|voimaharjoittelu|trening siłowy",
    "training",
    "strength_training",
)
_register(
    "core|core training|core strengthening|rumpftraining|coretræning", "training", "core_training"
)
_register("crossfit", "training", "crossfit")
_register("yoga|jooga|joga", "training", "yoga")
_register("pilates", "training", "pilates")
_register("tai chi|tai ji", "training", "tai_chi")
_register(
    "stretching|stretch|flexibility|flexibility training|dehnen|dehnübungen|udstrækning"
    "|étirements|estiramientos|allungamento",
    "training",
    "flexibility_training",
)
_register("breathwork|breathing|atemübungen|atemarbeit|åndedræt", "training", "breathing")
_register("mobility|mobilität|mobilité|mobilidad|mobilità|mobilitet", "training", "mobility")
_register("meditation|meditación|méditation|meditazione|meditatie", "meditation")
_register("hiit|high intensity interval training|high intensity interval", "training", "hiit")
_register(
    "cardio|indoor cardio|cardio training|kardio|cardiotræning", "training", "cardio_training"
)
_register(
    "workout|training|gym|cross training|entraînement|entrainement|træning|trening|träning"
    "|allenamento|entrenamiento|treino|workout training",
    "training",
)
_register(
    "elliptical|elliptical trainer|crosstrainer|ellipsentrainer|vélo elliptique|ellittica|elíptica",
    "fitness_equipment",
    "elliptical",
)
_register(
    "stair stepper|stair climbing|stairs|stepper|stairmaster|treppensteigen",
    "fitness_equipment",
    "stair_climbing",
)
_register("floor climbing", "floor_climbing")

# Snow, water, walls, rings, courts and pitches: other sports.
_register(
    "alpine ski|alpine skiing|downhill skiing|resort skiing|skiing|ski|skifahren|ski alpin"
    "|alpinski|skiløb",
    "alpine_skiing",
)
_register("backcountry ski|backcountry skiing|skitour|skitouren|skitouring", "backcountry_skiing")
_register(
    "nordic ski|nordic skiing|cross country skiing|cross country classic skiing|langlauf"
    "|skilanglauf|langrend|ski de fond|roller ski",
    "cross_country_skiing",
)
_register("skate skiing|skate ski", "cross_country_skiing", "skate_skiing")
_register("snowshoe|snowshoeing|schneeschuhwandern|schneeschuh", "snowshoeing")
_register("snowboard|snowboarding", "snowboarding")
_register("ice skate|ice skating|eislaufen|skøjteløb", "ice_skating")
_register("inline skate|inline skating|inlineskaten", "inline_skating")
_register("rock climb|rock climbing|climbing|klettern|klatring|escalade", "rock_climbing")
_register("bouldering|bouldern", "rock_climbing", "bouldering")
_register("indoor climbing", "rock_climbing", "indoor_climbing")
_register("kayaking|kayak|kajak", "kayaking")
_register("canoe|canoeing|kanu", "canoeing")
_register("paddling|paddeln", "paddling")
_register(
    "stand up paddling|stand up paddleboarding|sup|stand up paddle", "stand_up_paddleboarding"
)
_register("surf|surfing|surfen", "surfing")
_register("windsurf|windsurfing", "windsurfing")
_register("kitesurf|kitesurfing|kiteboarding", "kitesurfing")
_register("tennis", "tennis")
_register("badminton", "racket", "badminton")
_register("squash", "racket", "squash")
_register("table tennis|tischtennis|bordtennis", "racket", "table_tennis")
_register("pickleball", "racket", "pickleball")
_register("padel", "racket", "padel")
_register("racquetball", "racket", "racquetball")
_register("soccer|football|fußball|fodbold", "soccer")
_register("basketball", "basketball")
_register("volleyball", "volleyball")
_register("dance|dancing|tanzen|dans", "dance")
_register("boxing|boxen|kickboxing", "boxing")


def known_type(type_text: str) -> tuple[str, str | None, str] | None:
    """(sport, sub_sport, surface) of an activity type word this table knows, else None."""
    return _TYPE_WORDS.get(_type_key(type_text))


def sport_of(type_text: str | None) -> tuple[str, str | None, str, str | None]:
    """(sport, sub_sport, surface, surface_source) for an activity type as a list writes it."""
    if not type_text:
        return "generic", None, "unknown", None
    known = known_type(type_text)
    if known is None:
        sport = re.sub(r"[\s\-]+", "_", type_text.strip()).casefold()
        return sport, None, "unknown", None
    sport, sub_sport, surface = known
    return sport, sub_sport, surface, "export" if surface != "unknown" else None
