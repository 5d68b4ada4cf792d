"""What kind of session an activity is: a run, strength/core work, mobility, other cross-training,
or something else — from the sport and sub-sport every importer writes in FIT's names.

The kinds decide two things (RULES.md): which sessions count as remedies (strength and core
work, and mobility: yoga, tai chi, pilates, stretching, breathwork), and which days are rest
days — a rest day has no training at all, so a run, a strength session or cross-training ends
it, while mobility work and a physiotherapist's appointment do not.

Every importer maps what its source writes onto FIT's sport and sub-sport names (Garmin
Connect's ``activityType``, Strava's and Garmin's list words in any language, Apple Health's
workout types, the runner's CSV log and ``stridewise activities add``; docs/KINDS.md has the
table for each source), and the kind is read from those names alone. A sub-sport decides before
the sport (``fitness_equipment/yoga`` is mobility); a name that is in no list is ``other``.

| kind | sport / sub-sport as stored (FIT's names) |
|---|---|
| ``run`` | ``running``, ``running/street``, ``running/trail``, ``running/track``, ``running/treadmill``, ``running/indoor_running``, ``running/virtual_activity`` |
| ``strength`` | ``training/strength_training``, ``training/core_training``, ``training/crossfit`` |
| ``mobility`` | ``training/yoga``, ``training/pilates``, ``training/tai_chi``, ``training/flexibility_training``, ``training/breathing``, ``training/mobility``, ``training/mind_and_body``, ``training/cooldown``, ``barre``, ``preparation_and_recovery``, ``mobility``, ``meditation`` |
| ``cross`` | ``cycling``, ``swimming``, ``rowing``, ``rowing/indoor_rowing``, ``walking``, ``hiking``, ``fitness_equipment``, ``fitness_equipment/elliptical``, ``fitness_equipment/stair_climbing``, ``training``, ``training/cardio_training``, ``training/hiit``, ``training/cross_training``, ``hiit``, ``cross_country_skiing``, ``alpine_skiing``, ``backcountry_skiing``, ``snowshoeing``, ``rock_climbing``, ``racket/padel``, ``tennis``, ``soccer``, ``dance`` |
| ``other`` | ``physio``, ``other``, ``generic``, ``transition``, ``multisport``, ``golf``, ``sailing``, ``incident_detected`` |
"""  # noqa: E501 - a table reads best unwrapped

from __future__ import annotations

from dataclasses import dataclass

RUN = "run"
STRENGTH = "strength"
MOBILITY = "mobility"
CROSS = "cross"
OTHER = "other"

KINDS = (RUN, STRENGTH, MOBILITY, CROSS, OTHER)

#: Kinds whose sessions end a rest day.
TRAINING_KINDS = frozenset({RUN, STRENGTH, CROSS})

#: Kinds that are remedies for the back (RULES.md, strength_mobility).
REMEDY_KINDS = frozenset({STRENGTH, MOBILITY})

_STRENGTH_WORDS = frozenset(
    {
        "strength",
        "strength_training",
        "core",
        "core_training",
        "functional_strength_training",
        "traditional_strength_training",
        "weight_training",
        "weightlifting",
        "crossfit",
    }
)
_MOBILITY_WORDS = frozenset(
    {
        "mobility",
        "yoga",
        "pilates",
        "barre",  # a studio class of pilates, ballet and yoga moves
        "tai_chi",
        "taichi",
        "stretching",
        "flexibility",
        "flexibility_training",
        "breathing",
        "breathwork",
        "mind_and_body",
        "meditation",
        # Apple Health: "low intensity stretching and mobility exercises following a more
        # vigorous workout", and "warm-up and therapeutic activities like foam rolling and
        # stretching"
        "cooldown",
        "preparation_and_recovery",
    }
)
_CROSS_WORDS = frozenset(
    {
        # on foot, on wheels, in the water
        "cycling",
        "ride",
        "e_biking",
        "hand_cycling",
        "swimming",
        "swim",
        "rowing",
        "row",
        "indoor_rowing",
        "indoor_cycling",
        "walking",
        "walk",
        "hiking",
        "hike",
        "mountaineering",
        "rucking",
        "paddling",
        "canoeing",
        "kayaking",
        "stand_up_paddleboarding",
        "surfing",
        "windsurfing",
        "kitesurfing",
        "water_fitness",
        "inline_skating",
        # snow and ice
        "cross_country_skiing",
        "alpine_skiing",
        "backcountry_skiing",
        "resort_skiing",
        "skate_skiing",
        "snowboarding",
        "snowshoeing",
        "ice_skating",
        # the gym's machines and classes
        "elliptical",
        "stair_climbing",
        "stairs",
        "floor_climbing",
        "fitness_equipment",
        "cardio_training",
        "cross_training",
        "hiit",
        "jump_rope",
        "step_training",
        "training",  # a FIT "training" session without a sub-sport: a gym session
        # climbing, fighting, dancing
        "rock_climbing",
        "climbing",
        "bouldering",
        "indoor_climbing",
        "boxing",
        "kickboxing",
        "martial_arts",
        "mixed_martial_arts",
        "wrestling",
        "dance",
        "social_dance",
        "cardio_dance",
        "gymnastics",
        # ball and racket games
        "tennis",
        "racket",
        "badminton",
        "squash",
        "table_tennis",
        "pickleball",
        "padel",
        "racquetball",
        "soccer",
        "basketball",
        "volleyball",
        "handball",
        "hockey",
        "rugby",
        "american_football",
        "team_sport",
    }
)


def _word(text: str | None) -> str:
    if not isinstance(text, str):  # None, or the NaN of a text column with gaps
        return ""
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def kind_of(sport: str | None, sub_sport: str | None = None) -> str:
    """The kind of a session from its sport and sub-sport (see the module table)."""
    sport_word, sub_word = _word(sport), _word(sub_sport)
    if sport_word == "running":
        return RUN
    for word in (sub_word, sport_word):
        if word in _STRENGTH_WORDS:
            return STRENGTH
        if word in _MOBILITY_WORDS:
            return MOBILITY
    if sport_word in _CROSS_WORDS or sub_word in _CROSS_WORDS:
        return CROSS
    return OTHER


def counts_as_training(kind: str) -> bool:
    """Whether a session of this kind ends a rest day."""
    return kind in TRAINING_KINDS


# --- the runner's own words ----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSport:
    """What a sport word the runner types stands for, in FIT's names."""

    sport: str
    sub_sport: str | None = None
    surface: str = "unknown"  # the surface the word names (treadmill, trail), else unknown
    covers_distance: bool = True  # whether a distance means anything for it (not for yoga)

    @property
    def kind(self) -> str:
        return kind_of(self.sport, self.sub_sport)


#: The sports of ``stridewise activities add`` and of a runner's CSV log, by the word the
#: runner uses. A physiotherapist's appointment is its own sport (``physio``): it is not
#: training, and it does not end a rest day (RULES.md).
SESSION_SPORTS: dict[str, SessionSport] = {
    "run": SessionSport("running"),
    "treadmill": SessionSport("running", "treadmill", "treadmill"),
    "trail": SessionSport("running", "trail", "trail"),
    "strength": SessionSport("training", "strength_training", covers_distance=False),
    "core": SessionSport("training", "core_training", covers_distance=False),
    "mobility": SessionSport("training", "mobility", covers_distance=False),
    "yoga": SessionSport("training", "yoga", covers_distance=False),
    "pilates": SessionSport("training", "pilates", covers_distance=False),
    "tai_chi": SessionSport("training", "tai_chi", covers_distance=False),
    "stretching": SessionSport("training", "flexibility_training", covers_distance=False),
    "breathwork": SessionSport("training", "breathing", covers_distance=False),
    "physio": SessionSport("physio", covers_distance=False),
    "ride": SessionSport("cycling"),
    "swim": SessionSport("swimming"),
    "row": SessionSport("rowing"),
    "elliptical": SessionSport("fitness_equipment", "elliptical"),
    "walk": SessionSport("walking"),
    "hike": SessionSport("hiking"),
    "other": SessionSport("other"),
}


def session_sport(word: str) -> SessionSport | None:
    """The sport a runner's word names (``SESSION_SPORTS``; "Tai Chi" and "tai-chi" are
    ``tai_chi``), or None."""
    return SESSION_SPORTS.get(_word(word))
