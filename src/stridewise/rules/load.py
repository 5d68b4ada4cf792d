"""Load rules: single-session spike, week-to-week jump, acute:chronic ratio (information only)."""

from __future__ import annotations

import pandas as pd

from stridewise.metrics.calendar import weekly_totals
from stridewise.metrics.training import acute_chronic
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    day_text,
    distance_text,
    worst_per_week,
)

PROGRESS_REMEDY = (
    "Progress distance gradually: keep your longest run close to your longest of the last month, "
    "and keep rest days between hard sessions."
)


# -- session_spike ------------------------------------------------------------------------------
#: Frandsen 2025 bands: (lower bound [%], size, hazard ratio for overuse injury).
SPIKE_BANDS = {
    "caution": "10-30 % (small, HR 1.64)",
    "warning": "30-100 % (moderate, HR 1.52)",
    "high": "more than 100 % (large, HR 2.28)",
}


def check_session_spike(given: RuleInput) -> list[Finding]:
    """spike = run distance / longest run of the previous 30 days (local days d-30…d-1) − 1."""
    settings, history = given.settings, given.history
    runs = history.runs[history.runs["distance_km"].gt(0)]
    window_days = int(settings["window_days"])
    old_enough = runs["day"] >= history.start + pd.Timedelta(days=settings["min_history_days"])
    candidates = given.in_window(runs[old_enough])
    if given.in_window(runs).empty:
        raise NotEvaluable("no run in the period")
    if candidates.empty:
        raise NotEvaluable(
            f"needs {settings['min_history_days']:g} days of history before a run to compare "
            "it with"
        )
    longest_per_day = (
        runs.groupby("day")["distance_km"].max().reindex(history.calendar.index, fill_value=0.0)
    )
    previous_longest = longest_per_day.shift(1).rolling(window_days, min_periods=1).max()
    reference = candidates["day"].map(previous_longest)
    # rounded so that 11 km after 10 km is exactly 10 %, not 10.000000000000009 %
    spike = ((candidates["distance_km"] / reference - 1.0) * 100.0).round(9)
    findings = []
    for activity_id, run in candidates[reference.gt(0)].iterrows():
        value = float(spike[activity_id])
        severity = _band(value, settings)
        if severity is None:
            continue
        threshold = settings[f"{severity}_pct"]
        ref_km = float(reference[activity_id])
        message = (
            f"The {distance_text(run['distance_km'], given.profile)} run on {day_text(run['day'])} "
            f"was {value:.0f} % longer than your longest run of the previous {window_days} days "
            f"({distance_text(ref_km, given.profile)}). In 5,205 runners, single-run increases of "
            f"{SPIKE_BANDS[severity]} were associated with more overuse injuries (Frandsen 2025)."
        )
        findings.append(
            SESSION_SPIKE.finding(
                day=run["day"],
                severity=severity,
                value=value,
                threshold=threshold,
                unit="%",
                message=message,
                activity_id=activity_id,
                window=(run["day"] - pd.Timedelta(days=window_days), run["day"]),
                details={"distance_km": run["distance_km"], "previous_longest_km": ref_km},
            )
        )
    return findings


def _band(spike_pct: float, settings: dict) -> str | None:
    for severity in ("high", "warning", "caution"):
        if spike_pct > settings[f"{severity}_pct"]:
            return severity
    return None


SESSION_SPIKE = Rule(
    id="session_spike",
    factor="load",
    evidence="moderate",
    citation="Frandsen 2025, doi:10.1136/bjsports-2024-109380",
    trigger="a run longer than the longest run of the previous 30 days by >10 % (caution), "
    ">30 % (warning), >100 % (high)",
    remedy=PROGRESS_REMEDY,
    defaults={
        "caution_pct": 10.0,
        "warning_pct": 30.0,
        "high_pct": 100.0,
        "window_days": 30,
        "min_history_days": 30,
    },
    check=check_session_spike,
)


# -- weekly_jump --------------------------------------------------------------------------------
def check_weekly_jump(given: RuleInput) -> list[Finding]:
    """Distance of an ISO week vs the previous (complete) week, when that one had ≥ 10 km.

    A week still running (the history ends mid-week) is compared week-to-date.
    """
    settings, history = given.settings, given.history
    weeks = weekly_totals(history.calendar)
    previous = weeks.shift(1)
    consecutive = (weeks.index.to_series().diff() == pd.Timedelta(days=7)).to_numpy()
    comparable = consecutive & (previous["days"] == 7).to_numpy()
    week_end = pd.Series(weeks.index + pd.Timedelta(days=6), index=weeks.index).clip(
        upper=history.end
    )
    frame = weeks.assign(previous_km=previous["distance_km"], day=week_end)[comparable]
    frame = given.in_window(frame)
    if frame.empty:
        raise NotEvaluable("needs a complete week of history before the week it checks")
    ratio = (frame["distance_km"] / frame["previous_km"] * 100.0).round(9)
    hits = frame[
        (frame["previous_km"] >= settings["min_previous_km"]) & (ratio > settings["ratio_pct"])
    ]
    findings = []
    for monday, week in hits.iterrows():
        value = float(ratio[monday])
        message = (
            f"Week {week['week']}: {distance_text(week['distance_km'], given.profile)}, "
            f"{value:.0f} % of the week before "
            f"({distance_text(week['previous_km'], given.profile)}). Increases of more than "
            "30 % over two weeks were associated with distance-related injuries in novice "
            "runners (Nielsen 2014); in the largest study week-to-week ratios were not "
            "(Frandsen 2025), so this is a weak signal."
        )
        findings.append(
            WEEKLY_JUMP.finding(
                day=week["day"],
                severity="caution",
                value=value,
                threshold=settings["ratio_pct"],
                unit="%",
                message=message,
                window=(monday, week["day"]),
                details={
                    "week": week["week"],
                    "distance_km": week["distance_km"],
                    "previous_km": week["previous_km"],
                },
            )
        )
    return findings


WEEKLY_JUMP = Rule(
    id="weekly_jump",
    factor="load",
    evidence="weak",
    citation="Nielsen 2014, doi:10.2519/jospt.2014.5164",
    trigger="distance of an ISO week > 130 % of the previous week, when that week had >= 10 km",
    remedy=PROGRESS_REMEDY,
    defaults={"ratio_pct": 130.0, "min_previous_km": 10.0},
    check=check_weekly_jump,
)


# -- acwr ---------------------------------------------------------------------------------------
ACWR_METHODS = {
    "ewma": "EWMA, λ = 2/(N+1) with N = 7 and 28 days (Williams 2017)",
    "uncoupled": "last 7 days vs the mean week of days t-27…t-7 (Windt & Gabbett 2019)",
}


def check_acwr(given: RuleInput) -> list[Finding]:
    """Acute:chronic ratio above 1.5, information only, hidden for the first 28 days."""
    settings, history = given.settings, given.history
    method = settings["method"]
    load = history.calendar["load"]
    shown_from = history.start + pd.Timedelta(days=settings["hidden_days"])
    if history.end < shown_from:
        raise NotEvaluable(f"hidden for the first {settings['hidden_days']:g} days of history")
    ratios = acute_chronic(load)
    column = "ratio_ewma" if method == "ewma" else "ratio_uncoupled"
    frame = ratios.assign(day=ratios.index, ratio=ratios[column])
    frame = given.in_window(frame[frame.index >= shown_from])
    hits = worst_per_week(frame[frame["ratio"] > settings["ratio"]], "ratio")
    unit = history.load_choice.unit
    findings = []
    for day, row in hits.iterrows():
        if method == "ewma":
            acute, chronic = row["ewma_acute"] * 7.0, row["ewma_chronic"] * 7.0
        else:
            acute, chronic = row["acute"], row["chronic"]
        message = (
            f"Acute:chronic load ratio {row['ratio']:.2f} on {day_text(day)} "
            f"({ACWR_METHODS[method]}): acute {acute:.0f} vs chronic {chronic:.0f} {unit} per "
            "week. For information only: the ratio has no causal or threshold support "
            "(Impellizzeri 2020), and in runners its relation with injury looked inverse "
            "(Nakaoka 2021); acute and chronic load are shown separately in the report."
        )
        findings.append(
            ACWR.finding(
                day=day,
                severity="info",
                value=row["ratio"],
                threshold=settings["ratio"],
                unit="ratio",
                message=message,
                window=(day - pd.Timedelta(days=6), day),
                details={
                    "method": method,
                    "acute": acute,
                    "chronic": chronic,
                    "load_model": history.load_choice.model,
                },
            )
        )
    return findings


ACWR = Rule(
    id="acwr",
    factor="load",
    evidence="weak",
    citation="Williams 2017, doi:10.1136/bjsports-2016-096589; Windt & Gabbett 2019, "
    "doi:10.1136/bjsports-2017-098925; Impellizzeri 2020, doi:10.1123/ijspp.2019-0864",
    trigger="uncoupled or EWMA acute:chronic ratio > 1.5, information only, hidden for the first "
    "28 days",
    remedy=PROGRESS_REMEDY,
    defaults={"ratio": 1.5, "method": "ewma", "hidden_days": 28},
    choices={"method": tuple(ACWR_METHODS)},
    check=check_acwr,
)
