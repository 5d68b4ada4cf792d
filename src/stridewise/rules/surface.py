"""Surface rule: novel exposure to uneven (trail) surfaces.

It reads the one stored surface of each run (from the file, the export, the runner's log or own
correction, or an inference from altitude the device measured barometrically or the platform
corrected — never from GPS-only altitude, which makes city runs look like trails).
"""

from __future__ import annotations

import pandas as pd

from stridewise.metrics.calendar import iso_week_label, week_start
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    distance_text,
    iso_week,
    require_runs,
)

NOVELTY = (
    "Leg stiffness adapts within a step of a surface change (Ferris 1999); no study links surface "
    "to back pain, so only a novel exposure is flagged."
)


def check_surface_change(given: RuleInput) -> list[Finding]:
    """The first trail run after ``novel_after_days`` without one, and ISO weeks whose trail
    distance is over ``weekly_factor`` × the previous 4 weeks' mean and ≥ ``min_weekly_km``
    (skipped in a week that already has a first-trail-run finding)."""
    settings, history = given.settings, given.history
    runs = require_runs(given)
    if not runs["surface"].ne("unknown").any():
        raise NotEvaluable("no run with a known surface (road, trail, track or treadmill)")
    novel_days = int(settings["novel_after_days"])
    if (history.end - history.start).days < novel_days:
        raise NotEvaluable(f"needs {novel_days} days of history")
    findings = _first_trail_runs(given, runs, novel_days)
    novel_weeks = {iso_week(pd.Series([pd.Timestamp(f.date)])).iloc[0] for f in findings}
    findings += _trail_weeks(given, novel_weeks)
    return findings


def _first_trail_runs(given: RuleInput, runs: pd.DataFrame, novel_days: int) -> list[Finding]:
    history = given.history
    trail = runs[runs["surface"] == "trail"]
    previous_day = trail["day"].shift(1).fillna(history.start)
    gap = (trail["day"] - previous_day).dt.days
    for activity_id, run in given.in_window(trail).iterrows():
        given.checked(
            run["day"], gap[activity_id], novel_days, "days without trail",
            gap[activity_id] >= novel_days, activity_id, kind="first trail run",
        )  # fmt: skip
    novel = given.in_window(trail[gap >= novel_days])
    findings = []
    for activity_id, run in novel.iterrows():
        days = int(gap[activity_id])
        inferred = (
            " (surface inferred from the track)" if run["surface_source"] == "inferred" else ""
        )
        message = (
            f"First trail run in {days} days on {day_text(run['day'])}: "
            f"{distance_text(run['distance_km'], given.profile)}{inferred}. " + NOVELTY
        )
        findings.append(
            SURFACE_CHANGE.finding(
                day=run["day"],
                severity="caution",
                value=days,
                threshold=novel_days,
                unit="days without trail",
                message=message,
                activity_id=activity_id,
                window=(previous_day[activity_id], run["day"]),
                details={"surface_source": run["surface_source"]},
            )
        )
    return findings


def _trail_weeks(given: RuleInput, skip_weeks: set) -> list[Finding]:
    settings, history = given.settings, given.history
    daily = history.calendar
    weekly = daily["trail_km"].groupby(week_start(pd.Series(daily.index, index=daily.index))).sum()
    average = weekly.shift(1).rolling(4, min_periods=4).mean()
    frame = pd.DataFrame({"trail_km": weekly, "average_km": average})
    frame["day"] = (
        (frame.index + pd.Timedelta(days=6)).to_series(index=frame.index).clip(upper=history.end)
    )
    fired = (frame["trail_km"] > settings["weekly_factor"] * frame["average_km"]) & (
        frame["trail_km"] >= settings["min_weekly_km"]
    )
    for monday, week in given.in_window(frame.dropna(subset=["average_km"])).iterrows():
        if week["trail_km"] > 0:
            given.checked(
                week["day"], week["trail_km"], settings["weekly_factor"] * week["average_km"],
                "km", bool(fired[monday]), kind="trail week", average_km=week["average_km"],
            )  # fmt: skip
    hits = frame[fired & ~frame.index.isin(list(skip_weeks))]
    findings = []
    for monday, week in given.in_window(hits).iterrows():
        message = (
            f"{distance_text(week['trail_km'], given.profile)} on trail in week "
            f"{iso_week_label(monday)}, more than {settings['weekly_factor']:g} times the mean of "
            f"the 4 weeks before ({distance_text(week['average_km'], given.profile)} a week). "
            + NOVELTY
        )
        threshold = max(settings["weekly_factor"] * week["average_km"], settings["min_weekly_km"])
        findings.append(
            SURFACE_CHANGE.finding(
                day=week["day"],
                severity="caution",
                value=week["trail_km"],
                threshold=threshold,
                unit="km",
                message=message,
                window=(monday, week["day"]),
                details={"average_km": week["average_km"]},
            )
        )
    return findings


def praise_surface_change(result: RuleResult, profile: Profile) -> str | None:
    weeks = [c for c in result.checks if c.details.get("kind") == "trail week"]
    if not weeks:
        return None
    check = weeks[-1]
    return (
        f"Your trail running built on what you are used to "
        f"({distance_text(check.value or 0.0, profile)} this week, against "
        f"{distance_text(check.details['average_km'], profile)} a week before)."
    )


SURFACE_CHANGE = Rule(
    id="surface_change",
    factor="surface",
    evidence="weak / convention",
    citation="Ferris 1999, J Biomech 32:787; van der Worp 2015, doi:10.1371/journal.pone.0114937",
    trigger="trail distance this week > 2x its 4-week average and >= 5 km, or the first trail run "
    "after >= 4 weeks without",
    remedy="Ease into uneven surfaces: start with short, easy trail runs and build up over weeks.",
    defaults={"weekly_factor": 2.0, "min_weekly_km": 5.0, "novel_after_days": 28},
    check=check_surface_change,
    praise=praise_surface_change,
    explains={
        "weekly_factor": "trail distance against the 4-week mean that is flagged [-]",
        "min_weekly_km": "least trail distance in a week flagged [km]",
        "novel_after_days": "days without trail that make the next trail run new [days]",
    },
)
