"""Rest rule: too few rest days in 7, and long streaks of consecutive training days.

A rest day has no training at all (RULES.md): a day with only a bike ride or a strength session
is not a rest day, and not a running day either (``stridewise.kinds``; the report shows both
counts). Retrospective evidence in elite athletes is weak, so the flag is a caution.
"""

from __future__ import annotations

import pandas as pd

from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    first_per_week,
    iso_week,
    require_runs,
    rows,
)

RISTOLAINEN = (
    "Fewer than 2 rest days a week was associated with a 5.2-fold overuse-injury risk in a "
    "retrospective study of elite endurance athletes (Ristolainen 2014): weak evidence."
)


def check_rest_days(given: RuleInput) -> list[Finding]:
    """Caution once per streak of ``max_streak_days`` or more training days (on the day it
    reached the limit); caution once per ISO week with a 7-day window of fewer than
    ``min_rest_days`` rest days (its first such day), unless a streak covers part of that week."""
    settings, history = given.settings, given.history
    require_runs(given)
    daily = history.calendar
    if len(daily) < 7:
        raise NotEvaluable("needs 7 days of history")
    frame = daily.assign(day=daily.index)
    # one row per day, none missing: the 7 days to a day are the 7 rows to its row
    rest = frame["rest"].to_numpy(dtype=bool)
    cross_only = frame["cross_only"].to_numpy()
    dates = [day.date() for day in frame.index]
    sundays = given.in_window(frame[frame.index.day_of_week == 6])
    positions = frame.index.get_indexer(sundays.index)
    for day, rest_days_7, streak, position in zip(
        sundays.index, sundays["rest_days_7"], sundays["streak"], positions, strict=True
    ):
        if pd.notna(rest_days_7):
            week = range(max(position - 6, 0), position + 1)
            given.checked(
                day,
                rest_days_7,
                settings["min_rest_days"],
                "rest days in 7",
                rest_days_7 < settings["min_rest_days"] or streak >= settings["max_streak_days"],
                rest_days=[dates[i] for i in week if rest[i]],
                cross_days=int(cross_only[week.start : week.stop].sum()),
            )
    findings = _streaks(given, frame)
    streak_days = [pd.date_range(f.window[0], f.window[1]) for f in findings if f.window]
    warned_weeks = (
        set(iso_week(pd.Series(streak_days[0].append(streak_days[1:])))) if streak_days else set()
    )
    low = frame[frame["rest_days_7"] < settings["min_rest_days"]]
    low = given.in_window(low[~iso_week(low["day"]).isin(warned_weeks)])
    for day, row in rows(first_per_week(low)):
        rest = int(row["rest_days_7"])
        window = frame.loc[day - pd.Timedelta(days=6) : day]
        cross = int(window["cross_only"].sum())
        other = f" ({cross} of the other days had training but no run)" if cross else ""
        message = (
            f"Only {rest} rest day{'s' if rest != 1 else ''} (no training at all) in the 7 days "
            f"to {day_text(day)}{other}. " + RISTOLAINEN
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
                details={"days_without_running": int((window["runs"] == 0).sum())},
            )
        )
    return findings


def _streaks(given: RuleInput, frame: pd.DataFrame) -> list[Finding]:
    limit = int(given.settings["max_streak_days"])
    stretch = frame["rest"].cumsum()
    training = frame[~frame["rest"]].groupby(stretch[~frame["rest"]])
    length = training["day"].agg(["min", "max", "size"])
    findings = []
    for start, end, size in length[length["size"] >= limit].itertuples(index=False):
        reached = start + pd.Timedelta(days=limit - 1)
        if given.since is not None and reached < given.since:
            continue
        ongoing = " and counting" if end == frame["day"].iloc[-1] else ""
        days = frame.loc[start:end]
        ran = int((days["runs"] > 0).sum())
        # dated the day the streak reached the limit; the text says how long it ran in all, so
        # the number and the date cannot be misread as "8 days by the 21st"
        message = (
            f"You trained {limit} days in a row by {day_text(reached)} ({limit} or more is "
            f"flagged); in all the streak ran {size} days, {day_text(start)} to "
            f"{day_text(end)}{ongoing}, {ran} of them with a run. " + RISTOLAINEN
        )
        findings.append(
            REST_DAYS.finding(
                day=reached,
                severity="caution",
                value=size,
                threshold=limit,
                unit="consecutive training days",
                message=message,
                window=(start, end),
            )
        )
    return findings


def praise_rest_days(result: RuleResult, profile: Profile) -> str | None:
    check = result.checks[-1]
    days = check.details["rest_days"]
    names = ", ".join(f"{d:%a}" for d in days)
    cross = check.details["cross_days"]
    other = f", and {cross} day{'s' if cross != 1 else ''} of other training" if cross else ""
    return f"You kept {len(days)} rest days ({names}){other}."


REST_DAYS = Rule(
    id="rest_days",
    factor="rest",
    evidence="weak",
    citation="Ristolainen 2014, J Sports Med Phys Fitness 54:78",
    trigger="fewer than 2 rest days (no training at all) in 7, or 7 or more consecutive training "
    "days",
    remedy="Keep at least two rest days a week, with rest days between hard sessions.",
    defaults={"min_rest_days": 2, "max_streak_days": 7},
    check=check_rest_days,
    praise=praise_rest_days,
    explains={
        "min_rest_days": "rest days (no training at all) wanted in any 7 days [days]",
        "max_streak_days": "consecutive training days that are flagged [days]",
    },
)
