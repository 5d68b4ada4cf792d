"""Overtraining rule: Foster monotony of the daily load."""

from __future__ import annotations

import pandas as pd

from stridewise.metrics.training import foster_monotony
from stridewise.rules.base import Finding, NotEvaluable, Rule, RuleInput, day_text, worst_per_week


def check_monotony(given: RuleInput) -> list[Finding]:
    """Monotony (mean / SD of 7 daily loads, rest days 0, SD floored) above 2.0; once per ISO
    week, on the day its 7-day window was most monotonous."""
    settings, history = given.settings, given.history
    if len(history.calendar) < 7:
        raise NotEvaluable("needs 7 days of history")
    weekly = foster_monotony(history.calendar["load"], settings["sd_floor"])
    frame = given.in_window(weekly.assign(day=weekly.index).dropna(subset=["monotony"]))
    hits = worst_per_week(frame[frame["monotony"] > settings["monotony"]], "monotony")
    choice = history.load_choice
    findings = []
    for day, row in hits.iterrows():
        message = (
            f"Training monotony {row['monotony']:.1f} over the 7 days to {day_text(day)} "
            f"(mean / SD of the daily {choice.unit} load, rest days counting 0): the days were "
            f"very alike. Monotony above {settings['monotony']:g} is a practitioner convention "
            "associated with overtraining (Foster 1998); the week's strain (load × monotony) was "
            f"{row['strain']:.0f}."
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
                    "load_model": choice.model,
                },
            )
        )
    return findings


MONOTONY = Rule(
    id="monotony",
    factor="overtraining",
    evidence="weak / convention",
    citation="Foster 1998, doi:10.1097/00005768-199807000-00023",
    trigger="Foster monotony (mean/SD of 7 daily loads, rest days = 0, SD floored at 10 % of the "
    "mean) > 2.0",
    remedy="Vary your days: alternate easy and hard sessions and keep rest days between hard ones.",
    defaults={"monotony": 2.0, "sd_floor": 0.1},
    check=check_monotony,
)
