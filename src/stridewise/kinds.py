"""What kind of session an activity is: a run, strength/core work, mobility, other cross-training,
or something else — from the sport and sub-sport every importer writes in FIT's names.

The kinds decide two things (RULES.md): which sessions count as remedies (strength and core
work, and mobility: yoga, tai chi, pilates, stretching, breathwork), and which days are rest
days — a rest day has no training at all, so a run, a strength session or cross-training ends
it, while mobility work and a physiotherapist's appointment do not.

| kind | sport / sub-sport (FIT names; Garmin, Strava, Apple Health and the CSV log are mapped to them) |
|---|---|
| ``run`` | running (street, trail, track, treadmill, indoor, virtual) |
| ``strength`` | training / strength_training, core_training, functional_strength_training; strength, core |
| ``mobility`` | training / yoga, pilates, flexibility_training, breathing, mobility; yoga, pilates, tai_chi, stretching, breathwork |
| ``cross`` | cycling, swimming, rowing, walking, hiking, elliptical, cross_country_skiing, fitness_equipment, hiit, cardio_training, ride, swim, walk, hike, … |
| ``other`` | physio, generic (no sport known), transition, anything else |
"""  # noqa: E501 - a table reads best unwrapped

from __future__ import annotations

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
        "tai_chi",
        "taichi",
        "stretching",
        "flexibility",
        "flexibility_training",
        "breathing",
        "breathwork",
        "mind_and_body",
        "meditation",
    }
)
_CROSS_WORDS = frozenset(
    {
        "cycling",
        "ride",
        "e_biking",
        "swimming",
        "swim",
        "rowing",
        "row",
        "walking",
        "walk",
        "hiking",
        "hike",
        "elliptical",
        "stair_climbing",
        "cross_country_skiing",
        "alpine_skiing",
        "backcountry_skiing",
        "snowshoeing",
        "paddling",
        "stand_up_paddleboarding",
        "kayaking",
        "inline_skating",
        "ice_skating",
        "fitness_equipment",
        "cardio_training",
        "hiit",
        "indoor_rowing",
        "indoor_cycling",
        "dance",
        "boxing",
        "climbing",
        "rock_climbing",
        "tennis",
        "soccer",
        "basketball",
        "training",  # a FIT "training" session without a sub-sport: a gym session
    }
)


def _word(text: str | None) -> str:
    return (text or "").strip().lower().replace(" ", "_").replace("-", "_")


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
