"""Overtraining rule: Foster monotony of the daily load.

Monotony = mean / SD of the 7 daily loads (rest days count 0). Foster 1998 followed 25 athletes
and the outcome was illness, explained mostly by strain (load × monotony): the flag is worded as
an association with illness, not with overtraining or injury. The 2.0 cut-off is practitioner
convention. The SD is floored at 10 % of the mean, so a week of identical days reads
"≥ 10, no variation" instead of an infinite or arbitrary number.
"""

from __future__ import annotations

import pandas as pd

from stridewise.metrics.training import foster_monotony
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    require_runs,
    rows,
    worst_per_week,
)


def monotony_text(value: float, floored: bool) -> str:
    """A monotony as a runner should read it: "≥ 10, no variation" at the SD floor."""
    return f"≥ {value:.0f}, no variation" if floored else f"{value:.1f}"


def check_monotony(given: RuleInput) -> list[Finding]:
    """Monotony above 2.0; once per ISO week, on the day its 7-day window was most monotonous."""
    settings, history = given.settings, given.history
    require_runs(given)
    if len(history.calendar) < 7:
        raise NotEvaluable("needs 7 days of history")
    weekly = foster_monotony(history.calendar["load"], settings["sd_floor"])
    frame = given.in_window(weekly.assign(day=weekly.index).dropna(subset=["monotony"]))
    for day, row in rows(frame[frame.index.day_of_week == 6]):  # each week's own 7 days
        given.checked(
            day,
            row["monotony"],
            settings["monotony"],
            "ratio",
            row["monotony"] > settings["monotony"],
            floored=bool(row["floored"]),
        )
    hits = worst_per_week(frame[frame["monotony"] > settings["monotony"]], "monotony")
    choice = history.load_choice
    findings = []
    for day, row in rows(hits):
        shown = monotony_text(row["monotony"], bool(row["floored"]))
        message = (
            f"Training monotony {shown} over the 7 days to {day_text(day)} (mean / SD of the "
            f"daily {choice.unit} load, rest days counting 0): the days were very alike. In 25 "
            "athletes, monotonous weeks of high strain were associated with illness (Foster "
            f"1998); the {settings['monotony']:g} cut-off is a practitioner convention. The "
            f"week's strain (load × monotony) was {row['strain']:.0f}."
        )
        findings.append(
            MONOTONY.finding(
                day=day,
                severity="caution",
                value=row["monotony"],
                threshold=settings["monotony"],
                unit="ratio",
                message=message,
                window=(day - pd.Timedelta(days=6), day),
                details={
                    "weekly_load": row["weekly_load"],
                    "strain": row["strain"],
                    "floored": bool(row["floored"]),
                    "load_model": choice.model,
                },
            )
        )
    return findings


def praise_monotony(result: RuleResult, profile: Profile) -> str | None:
    check = result.checks[-1]
    return (
        f"Your load varied from day to day (monotony {check.value:.1f} over the week, under "
        f"{result.settings['monotony']:g})."
    )


MONOTONY = Rule(
    id="monotony",
    factor="overtraining",
    evidence="weak",
    citation="Foster 1998, doi:10.1097/00005768-199807000-00023",
    trigger="Foster monotony (mean/SD of 7 daily loads, rest days = 0, population SD floored at "
    "10 % of the mean) > 2.0",
    remedy="Vary your days: alternate easy and hard sessions and keep rest days between hard ones.",
    defaults={"monotony": 2.0, "sd_floor": 0.1},
    check=check_monotony,
    praise=praise_monotony,
    explains={
        "monotony": "monotony above which a week is flagged [-]",
        "sd_floor": "the SD is never taken below this share of the mean [-]",
    },
)
