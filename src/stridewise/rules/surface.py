"""Surface rules: novel exposure to uneven (trail) surfaces, and descents far beyond the usual.

It reads the one stored surface of each run (from the file, the export, the runner's log or own
correction, or an inference from altitude the device measured barometrically or the platform
corrected — never from GPS-only altitude, which makes city runs look like trails). Descents are
judged on the same reliable altitude only (``altitude_source``; ``stridewise.metrics.elevation``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.metrics.calendar import iso_week_label, week_start
from stridewise.metrics.elevation import RELIABLE_ALTITUDE
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
    rows,
)

GOTTSCHALL = (
    "Running downhill raises impact forces (normal impact peaks +54 % at a 9° descent, Gottschall "
    "& Kram 2005): weak evidence for injury."
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
    for activity_id, run in rows(given.in_window(trail)):
        given.checked(
            run["day"], gap[activity_id], novel_days, "days without trail",
            gap[activity_id] >= novel_days, activity_id, kind="first trail run",
        )  # fmt: skip
    novel = given.in_window(trail[gap >= novel_days])
    findings = []
    for activity_id, run in rows(novel):
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
    for monday, week in rows(given.in_window(frame.dropna(subset=["average_km"]))):
        if week["trail_km"] > 0:
            given.checked(
                week["day"], week["trail_km"], settings["weekly_factor"] * week["average_km"],
                "km", bool(fired[monday]), kind="trail week", average_km=week["average_km"],
            )  # fmt: skip
    hits = frame[fired & ~frame.index.isin(list(skip_weeks))]
    findings = []
    for monday, week in rows(given.in_window(hits)):
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


def check_descent_spike(given: RuleInput) -> list[Finding]:
    """Caution for a run whose total descent is > ``max_ratio`` × the largest descent of the
    runs of the ``window_days`` before it, and ≥ ``min_descent_m``; judged once
    ``min_history_days`` of history precede the run, on barometric or corrected altitude only."""
    settings, history = given.settings, given.history
    runs = require_runs(given)
    reliable = runs[
        runs["altitude_source"].isin(list(RELIABLE_ALTITUDE)) & runs["descent_m"].notna()
    ]
    if reliable.empty:
        raise NotEvaluable(
            "no run with barometric or platform-corrected altitude (GPS-only altitude is too "
            "noisy to measure descent)"
        )
    unjudged = given.in_window(
        runs[runs["altitude_source"].isin(list(RELIABLE_ALTITUDE)).eq(False)]
    )
    if len(unjudged):
        given.note(
            f"descent not judged for {len(unjudged)} run{'s' if len(unjudged) != 1 else ''} "
            "whose altitude is GPS-only or unknown"
        )
    window = pd.Timedelta(days=int(settings["window_days"]))
    starts = reliable["start"].to_numpy()
    days = reliable["day"].to_numpy()
    descents = reliable["descent_m"].to_numpy(dtype="float64")
    day_stamps = list(reliable["day"])
    sources = list(reliable["altitude_source"])
    judged = reliable.index.isin(given.in_window(reliable).index)
    findings = []
    for position in np.flatnonzero(judged):
        activity_id, day = reliable.index[position], day_stamps[position]
        descent = descents[position]
        if (day - history.start).days < settings["min_history_days"]:
            continue
        before = np.flatnonzero(
            (starts < starts[position]) & (days >= days[position] - window.to_timedelta64())
        )
        if not len(before):
            continue
        top = before[np.argmax(descents[before])]  # the first of the largest, as idxmax
        largest, largest_day = float(descents[top]), day_stamps[top]
        limit = max(settings["max_ratio"] * largest, settings["min_descent_m"])
        fired = descent > settings["max_ratio"] * largest and (
            descent >= settings["min_descent_m"]
        )
        given.checked(
            day, descent, limit, "m", fired, activity_id,
            largest_m=largest, largest_day=largest_day,
        )  # fmt: skip
        if not fired:
            continue
        share = f"{100.0 * descent / largest:.0f} % of" if largest > 0 else "more than"
        message = (
            f"{descent:.0f} m of descent on {day_text(day)}, {share} the largest "
            f"descent of the {settings['window_days']} days before ({largest:.0f} m on "
            f"{day_text(largest_day)}). " + GOTTSCHALL
        )
        findings.append(
            DESCENT_SPIKE.finding(
                day=day,
                severity="caution",
                value=descent,
                threshold=limit,
                unit="m",
                message=message,
                activity_id=activity_id,
                window=(day - window, day),
                details={"largest_m": largest, "altitude_source": sources[position]},
            )
        )
    return findings


def praise_descent_spike(result: RuleResult, profile: Profile) -> str | None:
    check = max(result.checks, key=lambda c: c.value or 0.0)
    worth_saying = result.settings["min_descent_m"] / 2.0
    if (check.value or 0.0) < worth_saying or check.details["largest_m"] < worth_saying:
        return None  # flat running, or hills new to the runner but small: nothing to praise
    return (
        f"Your descents stayed within what you are used to (at most {check.value:.0f} m in a "
        f"run, against {check.details['largest_m']:.0f} m in the "
        f"{result.settings['window_days']} days before)."
    )


DESCENT_SPIKE = Rule(
    id="descent_spike",
    factor="load",
    evidence="weak",
    citation="Gottschall & Kram 2005, doi:10.1016/j.jbiomech.2004.04.023",
    trigger="total descent of a run > 130 % of the largest descent of the previous 30 days and "
    ">= 200 m, only from barometric or corrected altitude",
    remedy="Add downhill running gradually, as you would distance; shorten your stride on steep "
    "descents.",
    defaults={"max_ratio": 1.3, "min_descent_m": 200.0, "window_days": 30, "min_history_days": 14},
    check=check_descent_spike,
    praise=praise_descent_spike,
    data="R",
    explains={
        "max_ratio": "descent against the largest of the window that is flagged [-]",
        "min_descent_m": "least descent of a run flagged [m]",
        "window_days": "days before the run whose largest descent is compared [days]",
        "min_history_days": "days of history a run needs before it is judged [days]",
    },
)
