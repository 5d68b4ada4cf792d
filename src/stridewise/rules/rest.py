"""Rest rule: too few rest days in 7, and long streaks of consecutive running days."""

from __future__ import annotations

import pandas as pd

from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    day_text,
    first_per_week,
    iso_week,
)

RISTOLAINEN = (
    "Fewer than 2 rest days a week was associated with a 5.2-fold overuse-injury risk in a "
    "retrospective study of elite endurance athletes (Ristolainen 2014)."
)


def check_rest_days(given: RuleInput) -> list[Finding]:
    """Warning once per streak of ``max_streak_days`` or more running days (on the day it reached
    the limit); caution once per ISO week with a 7-day window of fewer than ``min_rest_days``
    rest days (its first such day), unless a streak warning covers part of that week."""
    settings, history = given.settings, given.history
    daily = history.calendar
    if len(daily) < 7:
        raise NotEvaluable("needs 7 days of history")
    frame = daily.assign(day=daily.index)
    findings = _streaks(given, frame)
    streak_days = [pd.date_range(f.window[0], f.window[1]) for f in findings if f.window]
    warned_weeks = (
        set(iso_week(pd.Series(streak_days[0].append(streak_days[1:])))) if (streak_days) else set()
    )
    low = frame[frame["rest_days_7"] < settings["min_rest_days"]]
    low = given.in_window(low[~iso_week(low["day"]).isin(warned_weeks)])
    for day, row in first_per_week(low).iterrows():
        rest = int(row["rest_days_7"])
        message = (
            f"Only {rest} rest day{'s' if rest != 1 else ''} in the 7 days to {day_text(day)}. "
            + RISTOLAINEN
        )
        findings.append(
            REST_DAYS.finding(
                day=day,
                severity="caution",
                value=rest,
                threshold=settings["min_rest_days"],
                unit="rest days in 7",
                message=message,
                window=(day - pd.Timedelta(days=6), day),
            )
        )
    return findings


def _streaks(given: RuleInput, frame: pd.DataFrame) -> list[Finding]:
    limit = int(given.settings["max_streak_days"])
    stretch = frame["rest"].cumsum()
    runs_in = frame[~frame["rest"]].groupby(stretch[~frame["rest"]])
    length = runs_in["day"].agg(["min", "max", "size"])
    findings = []
    for start, end, size in length[length["size"] >= limit].itertuples(index=False):
        reached = start + pd.Timedelta(days=limit - 1)
        if given.since is not None and reached < given.since:
            continue
        ongoing = " and counting" if end == frame["day"].iloc[-1] else ""
        # dated the day the streak reached the limit; the text says how long it ran in all, so
        # the number and the date cannot be misread as "8 days by the 21st"
        message = (
            f"Your running streak reached {limit} days in a row on {day_text(reached)} "
            f"({limit} or more is flagged); in all it ran {size} days, {day_text(start)} to "
            f"{day_text(end)}{ongoing}. " + RISTOLAINEN
        )
        findings.append(
            REST_DAYS.finding(
                day=reached,
                severity="warning",
                value=size,
                threshold=limit,
                unit="consecutive running days",
                message=message,
                window=(start, end),
            )
        )
    return findings


REST_DAYS = Rule(
    id="rest_days",
    factor="rest",
    evidence="weak",
    citation="Ristolainen 2014, J Sports Med Phys Fitness 54:78",
    trigger="fewer than 2 rest days in 7 (caution); 7 or more consecutive running days (warning)",
    remedy="Keep at least two rest days a week, with rest days between hard sessions.",
    defaults={"min_rest_days": 2, "max_streak_days": 7},
    check=check_rest_days,
)
