"""Remedy rule: running without strength, core or mobility work.

Exercise — strength work with or without education — was associated with fewer episodes of low
back pain in the general population (Steffens 2016; not shown in runners), and yoga helps chronic
low back pain (Wieland 2017, a treatment, not prevention). Watches record strength, yoga, pilates
and breathwork sessions as activities of their own, and a runner logs the rest with
``stridewise activities add``; the kinds come from ``stridewise.kinds``. The finding is
information: a remedy not seen, never a risk.
"""

from __future__ import annotations

import pandas as pd

from stridewise.kinds import MOBILITY, STRENGTH
from stridewise.metrics.calendar import as_days
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    first_per_week,
    require_runs,
    rows,
)

STEFFENS = (
    "Exercise (strength work, with or without education) was associated with fewer episodes of "
    "low back pain in the general population (Steffens 2016; not shown in runners): moderate "
    "evidence."
)


def remedy_sessions(history_activities: pd.DataFrame, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Strength and mobility sessions per local day over ``days``: columns ``strength`` and
    ``mobility`` (counts), zero-filled."""
    day_of = as_days(history_activities["local_date"])
    counts = {}
    for kind in (STRENGTH, MOBILITY):
        chosen = day_of[history_activities["kind"].eq(kind).to_numpy()]
        counts[kind] = chosen.value_counts().reindex(days, fill_value=0).astype("int64")
    return pd.DataFrame(counts, index=days)


def check_strength_mobility(given: RuleInput) -> list[Finding]:
    """Information once per ISO week (its first such day) when the ``window_days`` to a day hold
    no strength, core or mobility session and at least ``min_runs_per_week`` runs a week."""
    settings, history = given.settings, given.history
    runs = require_runs(given)
    window = int(settings["window_days"])
    days = pd.date_range(history.start, history.end, name="day")
    if len(days) < window:
        raise NotEvaluable(f"needs {window} days of history")
    sessions = remedy_sessions(history.activities, days)
    remedies = sessions.sum(axis=1).rolling(window, min_periods=window).sum()
    run_counts = (
        runs["day"].value_counts().reindex(days, fill_value=0).rolling(window, window).sum()
    )
    least_runs = settings["min_runs_per_week"] * window / 7.0
    frame = pd.DataFrame(
        {
            "day": days,
            "remedies": remedies,
            "runs": run_counts,
            "strength": sessions[STRENGTH].rolling(window, window).sum(),
            "mobility": sessions[MOBILITY].rolling(window, window).sum(),
        },
        index=days,
    ).dropna()
    frame["holds"] = (frame["remedies"] == 0) & (frame["runs"] >= least_runs)
    week_ends = frame[(frame.index.day_of_week == 6) | (frame.index == days[-1])]
    for day, row in rows(given.in_window(week_ends)):
        given.checked(
            day, row["remedies"], 1, "sessions", bool(row["holds"]),
            runs=int(row["runs"]), strength=int(row["strength"]), mobility=int(row["mobility"]),
            window_days=window, running=bool(row["runs"] >= least_runs),
        )  # fmt: skip
    findings = []
    for day, row in rows(first_per_week(given.in_window(frame[frame["holds"]]))):
        runs_in_window = int(row["runs"])
        message = (
            f"No strength, core or mobility session (yoga, pilates, tai chi, stretching) recorded "
            f"or logged in the {window} days to {day_text(day)}, while running "
            f"{runs_in_window} times. " + STEFFENS
        )
        findings.append(
            STRENGTH_MOBILITY.finding(
                day=day,
                severity="info",
                value=0,
                threshold=1,
                unit="sessions",
                message=message,
                window=(day - pd.Timedelta(days=window - 1), day),
                details={"runs": runs_in_window, "window_days": window},
            )
        )
    return findings


def praise_strength_mobility(result: RuleResult, profile: Profile) -> str | None:
    done = [c for c in result.checks if c.details.get("running") and c.value]
    if not done:
        return None
    check = done[-1]
    total = int(check.value or 0)
    parts = ", ".join(
        f"{check.details[kind]} {label}"
        for kind, label in ((STRENGTH, "strength or core"), (MOBILITY, "mobility"))
        if check.details[kind]
    )
    return (
        f"You kept up strength and mobility work beside your running: {total} "
        f"session{'s' if total != 1 else ''} ({parts}) in the {check.details['window_days']} "
        f"days to {day_text(check.day)}."
    )


STRENGTH_MOBILITY = Rule(
    id="strength_mobility",
    factor="remedy",
    evidence="moderate for exercise preventing low back pain in general (Steffens 2016), "
    "not shown in runners",
    citation="Steffens 2016, doi:10.1001/jamainternmed.2015.7431; Wieland 2017, "
    "doi:10.1002/14651858.CD010671.pub2",
    trigger="no strength/core/pilates and no yoga/tai chi/stretching/mobility session (recorded "
    "or logged) in 14 days while running >= 2 times a week",
    remedy="Add two short sessions a week of core strength, or yoga or tai chi for flexibility; "
    "log what your watch does not record with 'stridewise activities add'.",
    defaults={"window_days": 14, "min_runs_per_week": 2.0},
    check=check_strength_mobility,
    max_severity="info",
    praise=praise_strength_mobility,
    explains={
        "window_days": "days looked back for a strength, core or mobility session [days]",
        "min_runs_per_week": "runs a week from which the rule applies [1/week]",
    },
)
