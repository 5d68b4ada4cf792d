"""Load rules: single-session spike, comeback after a break, week-to-week jump, and the
acute:chronic ratio (information only).

``session_spike`` and ``comeback`` share one idea (Frandsen 2025): a run much longer than the
longest of the month before is associated with overuse injury. ``session_spike`` needs that month
to hold runs (it is evaluated once 14 days of history precede a run); after a break of 14 days
or more the month before is empty — that is when ``comeback`` takes over, for the first 14 days
back, comparing with the longest run before the break.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.metrics.calendar import weekly_totals
from stridewise.metrics.training import acute_chronic
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    distance_text,
    require_runs,
    rows,
    worst_per_week,
)

PROGRESS_REMEDY = (
    "Progress distance gradually: keep your longest run close to your longest of the last month, "
    "and keep rest days between hard sessions."
)

FRANDSEN = (
    "In 5,205 recreational runners, single runs more than 10 % longer than the longest of the "
    "previous 30 days were associated with more overuse injuries (Frandsen 2025: hazard ratio "
    "1.64 for 10-30 % longer, 1.52 for 30-100 %, 2.28 above 100 %)."
)


def returns_from_breaks(days: pd.Series, break_days: int) -> pd.Series:
    """For each run, the local day of the return it belongs to, when it lies within ``break_days``
    [days] after a first run or a run after ``break_days`` or more without running (else NaT).

    ``days``: the runs' local days (datetime64), sorted.
    """
    previous = days.shift(1)
    gap = (days - previous).dt.days
    is_return = previous.isna() | (gap >= break_days)
    return_day = days.where(is_return).ffill()
    within = (days - return_day).dt.days < break_days
    return return_day.where(within)


# -- session_spike ------------------------------------------------------------------------------
def check_session_spike(given: RuleInput) -> list[Finding]:
    """spike = run distance / longest run of the previous 30 local days − 1, for runs with at
    least ``min_history_days`` of history before them and not in the first days back from a
    break (``comeback`` judges those)."""
    settings, history = given.settings, given.history
    runs = require_runs(given)
    runs = runs[runs["distance_km"].gt(0)]
    window_days = int(settings["window_days"])
    back = returns_from_breaks(runs["day"], int(settings["break_days"]))
    old_enough = runs["day"] >= history.start + pd.Timedelta(days=settings["min_history_days"])
    candidates = given.in_window(runs[old_enough & back.isna()])
    if given.in_window(runs).empty:
        raise NotEvaluable("no run in the period")
    if candidates.empty:
        raise NotEvaluable(
            f"needs {settings['min_history_days']:g} days of running before a run to compare it "
            "with (runs in the first days back from a break are judged by comeback)"
        )
    longest_per_day = (
        runs.groupby("day")["distance_km"].max().reindex(history.calendar.index, fill_value=0.0)
    )
    previous_longest = longest_per_day.shift(1).rolling(window_days, min_periods=1).max()
    findings = []
    for activity_id, run in rows(candidates):
        reference = float(previous_longest.get(run["day"], 0.0))
        if not reference > 0:
            continue  # no run in the window: a break, which comeback judges
        distance = float(run["distance_km"])
        # rounded so that 11 km after 10 km is exactly 10 %, not 10.000000000000009 %
        spike = round((distance / reference - 1.0) * 100.0, 9)
        covered = min(window_days, (run["day"] - history.start).days)
        fired = (
            spike > settings["caution_pct"] and distance - reference >= settings["min_increase_km"]
        )
        given.checked(
            run["day"],
            spike,
            settings["caution_pct"],
            "%",
            fired,
            activity_id,
            distance_km=distance,
            previous_longest_km=reference,
            window_days=covered,
        )
        if not fired:
            continue
        large = spike > settings["warning_pct"] and distance > settings["small_run_km"]
        severity = "warning" if large else "caution"
        threshold = settings["warning_pct"] if large else settings["caution_pct"]
        span = (
            f"the previous {window_days} days"
            if covered >= window_days
            else f"the {covered} days your history covers before it"
        )
        message = (
            f"The {distance_text(distance, given.profile)} run on {day_text(run['day'])} was "
            f"{spike:.0f} % longer than your longest run of {span} "
            f"({distance_text(reference, given.profile)}). " + FRANDSEN
        )
        findings.append(
            SESSION_SPIKE.finding(
                day=run["day"],
                severity=severity,
                value=spike,
                threshold=threshold,
                unit="%",
                message=message,
                activity_id=activity_id,
                window=(run["day"] - pd.Timedelta(days=covered), run["day"]),
                details={"distance_km": distance, "previous_longest_km": reference},
            )
        )
    return findings


def praise_session_spike(result: RuleResult, profile: Profile) -> str | None:
    longest = max(result.checks, key=lambda c: c.details["distance_km"])
    days = longest.details["window_days"]
    return (
        f"No single run jumped in distance: your longest "
        f"({distance_text(longest.details['distance_km'], profile)}) stayed within "
        f"{result.settings['caution_pct']:g} % of the longest of the {days} days before "
        f"({distance_text(longest.details['previous_longest_km'], profile)})."
    )


SESSION_SPIKE = Rule(
    id="session_spike",
    factor="load",
    evidence="moderate",
    citation="Frandsen 2025, doi:10.1136/bjsports-2024-109380",
    trigger="a run longer than the longest run of the previous 30 days by > 10 % and by >= 1 km, "
    "once 14 days of history precede it: caution; > 100 % on a run over 5 km: warning",
    remedy=PROGRESS_REMEDY,
    defaults={
        "caution_pct": 10.0,
        "warning_pct": 100.0,
        "min_increase_km": 1.0,
        "small_run_km": 5.0,
        "window_days": 30,
        "min_history_days": 14,
        "break_days": 14,
    },
    check=check_session_spike,
    max_severity="warning",
    praise=praise_session_spike,
    explains={
        "caution_pct": "increase over the month's longest run that is flagged [%]",
        "warning_pct": "increase that is a warning (large band, HR 2.28) [%]",
        "min_increase_km": "smallest increase flagged, however large the share [km]",
        "small_run_km": "runs up to this long are at most a caution [km]",
        "window_days": "the month a run is compared with [days]",
        "min_history_days": "history a run needs before it is compared [days]",
        "break_days": "days without running after which comeback judges the return [days]",
    },
)


# -- comeback -----------------------------------------------------------------------------------
def check_comeback(given: RuleInput) -> list[Finding]:
    """The runs of the first ``break_days`` days back from a break of ``break_days`` or more (or
    from the first run ever): longer than ``share_pct`` % of the longest run of the
    ``window_days`` days before the break, or than ``first_run_km`` when there was no run before.

    Reported at the first run that exceeds, and again only for a longer run in the same return.
    """
    settings = given.settings
    runs = require_runs(given)
    runs = runs[runs["distance_km"].gt(0)]
    break_days = int(settings["break_days"])
    back = returns_from_breaks(runs["day"], break_days)
    returning = given.in_window(runs[back.notna()])
    findings: list[Finding] = []  # no return in the period: nothing to judge, and quiet
    for return_day, group in returning.groupby(back[returning.index]):
        before = runs[runs["day"] < return_day]
        first_ever = before.empty
        last_day = None if first_ever else before["day"].max()
        if first_ever:
            threshold, reference = float(settings["first_run_km"]), None
        else:
            recent = before[before["day"] > last_day - pd.Timedelta(days=settings["window_days"])]
            reference = float(recent["distance_km"].max())
            threshold = reference * settings["share_pct"] / 100.0
        days_off = None if first_ever else int((return_day - last_day).days)
        flagged_km = 0.0
        for activity_id, run in rows(group):
            distance = float(run["distance_km"])
            fired = distance > threshold
            given.checked(
                run["day"],
                distance,
                threshold,
                "km",
                fired,
                activity_id,
                days_off=days_off,
                longest_before_km=reference,
                return_day=return_day,
            )
            if not fired or distance <= flagged_km:
                continue
            flagged_km = distance
            findings.append(
                _comeback(given, activity_id, run, threshold, reference, days_off, return_day)
            )
    return findings


def _comeback(
    given: RuleInput,
    activity_id: int,
    run: pd.Series,
    threshold: float,
    reference: float | None,
    days_off: int | None,
    return_day: pd.Timestamp,
) -> Finding:
    profile, settings = given.profile, given.settings
    distance = distance_text(run["distance_km"], profile)
    if reference is None:
        what = (
            f"The {distance} run on {day_text(run['day'])}, in the first "
            f"{settings['break_days']:g} days of your running history, was longer than "
            f"{distance_text(threshold, profile)} (if you ran before then, importing those runs "
            "gives this one a history to be judged against)."
        )
    else:
        when = (
            "your first run back"
            if run["day"] == return_day
            else f"{(run['day'] - return_day).days} days into your return"
        )
        what = (
            f"Back after {days_off} days without running: the {distance} run on "
            f"{day_text(run['day'])} ({when}) was more than {settings['share_pct']:g} % of your "
            f"longest run of the {settings['window_days']:g} days before the break "
            f"({distance_text(reference, profile)})."
        )
    message = (
        f"{what} With no run in the previous 30 days every distance counts as a spike, and a "
        "spike was associated with more overuse injuries in 5,205 runners (Frandsen 2025); the "
        "limit here is a convention."
    )
    return COMEBACK.finding(
        day=run["day"],
        severity="caution",
        value=run["distance_km"],
        threshold=threshold,
        unit="km",
        message=message,
        activity_id=activity_id,
        window=(return_day, run["day"]),
        details={"days_off": days_off, "longest_before_km": reference},
    )


def praise_comeback(result: RuleResult, profile: Profile) -> str | None:
    longest = max(result.checks, key=lambda c: c.value or 0.0)
    if longest.details.get("longest_before_km") is None:
        return (
            f"You started gently: no run of your first {result.settings['break_days']:g} days was "
            f"longer than {distance_text(longest.threshold or 0.0, profile)}."
        )
    return (
        f"You came back from {longest.details['days_off']} days off gradually: your longest run "
        f"back ({distance_text(longest.value or 0.0, profile)}) stayed within "
        f"{result.settings['share_pct']:g} % of your longest before the break."
    )


COMEBACK = Rule(
    id="comeback",
    factor="load",
    evidence="convention",
    citation="built on Frandsen 2025, doi:10.1136/bjsports-2024-109380",
    trigger="the runs of the first 14 days back after >= 14 days without running: longer than "
    "50 % of the longest run of the 30 days before the break, or than 5 km for a first run ever",
    remedy="Ease back in after a break: start at about half your former longest run and build "
    "up over two weeks.",
    defaults={"break_days": 14, "share_pct": 50.0, "first_run_km": 5.0, "window_days": 30},
    check=check_comeback,
    praise=praise_comeback,
    explains={
        "break_days": "days without running that make the next run a return [days]",
        "share_pct": "share of the longest run before the break allowed on return [%]",
        "first_run_km": "longest first run of a history without earlier runs [km]",
        "window_days": "days before the break whose longest run is the reference [days]",
    },
)


# -- weekly_jump --------------------------------------------------------------------------------
def check_weekly_jump(given: RuleInput) -> list[Finding]:
    """Distance of an ISO week against the mean of the ``baseline_weeks`` (complete) weeks before
    it, when that mean is at least ``min_baseline_km`` and the increase ``min_increase_km``.

    The mean of three weeks judges the week after a cutback week against the block, not against
    the cutback. A week still running (the history ends mid-week) is compared week-to-date.
    """
    settings, history = given.settings, given.history
    require_runs(given)
    weeks = weekly_totals(history.calendar)
    count = int(settings["baseline_weeks"])
    complete = weeks["days"].eq(7)
    baseline = weeks["distance_km"].shift(1).rolling(count, min_periods=count).mean()
    covered = complete.shift(1, fill_value=False).astype(float).rolling(count).sum().eq(count)
    consecutive = weeks.index.to_series().diff(count).eq(pd.Timedelta(days=7 * count))
    week_end = pd.Series(weeks.index + pd.Timedelta(days=6), index=weeks.index).clip(
        upper=history.end
    )
    frame = weeks.assign(baseline_km=baseline, day=week_end)[covered & consecutive]
    frame = given.in_window(frame)
    if frame.empty:
        raise NotEvaluable(f"needs {count} complete weeks of history before the week it checks")
    findings = []
    for monday, week in rows(frame):
        mean = float(week["baseline_km"])
        increase = float(week["distance_km"]) - mean
        ratio = round(week["distance_km"] / mean * 100.0, 9) if mean > 0 else np.nan
        fired = bool(
            mean >= settings["min_baseline_km"]
            and increase >= settings["min_increase_km"]
            and ratio > settings["ratio_pct"]
        )
        given.checked(
            week["day"],
            ratio,
            settings["ratio_pct"],
            "%",
            fired,
            week=week["week"],
            distance_km=float(week["distance_km"]),
            baseline_km=mean,
        )
        if not fired:
            continue
        message = (
            f"Week {week['week']}: {distance_text(week['distance_km'], given.profile)}, "
            f"{ratio:.0f} % of the mean of the {count} weeks before "
            f"({distance_text(mean, given.profile)}), {distance_text(increase, given.profile)} "
            "more. In novice runners, increases of more than 30 % over two weeks were associated "
            "with distance-related injuries (Nielsen 2014: hazard ratio 1.59, 95 % CI 0.96-2.66, "
            "an association that did not reach certainty); in the largest study week-to-week "
            "ratios were not associated with injury (Frandsen 2025), so this is a weak signal."
        )
        findings.append(
            WEEKLY_JUMP.finding(
                day=week["day"],
                severity="caution",
                value=ratio,
                threshold=settings["ratio_pct"],
                unit="%",
                message=message,
                window=(monday, week["day"]),
                details={
                    "week": week["week"],
                    "distance_km": week["distance_km"],
                    "baseline_km": mean,
                },
            )
        )
    return findings


def praise_weekly_jump(result: RuleResult, profile: Profile) -> str | None:
    check = result.checks[-1]
    if check.value is None or check.details["baseline_km"] <= 0:
        return None
    return (
        f"This week's distance ({distance_text(check.details['distance_km'], profile)}) stayed "
        f"within {result.settings['ratio_pct'] - 100:g} % of the mean of your "
        f"{result.settings['baseline_weeks']:g} weeks before "
        f"({distance_text(check.details['baseline_km'], profile)})."
    )


WEEKLY_JUMP = Rule(
    id="weekly_jump",
    factor="load",
    evidence="weak",
    citation="Nielsen 2014, doi:10.2519/jospt.2014.5164",
    trigger="distance of an ISO week > 130 % of the mean of the previous 3 weeks, when that mean "
    "is >= 5 km and the increase >= 5 km",
    remedy=PROGRESS_REMEDY,
    defaults={
        "ratio_pct": 130.0,
        "baseline_weeks": 3,
        "min_baseline_km": 5.0,
        "min_increase_km": 5.0,
    },
    check=check_weekly_jump,
    praise=praise_weekly_jump,
    explains={
        "ratio_pct": "a week's distance against its baseline that is flagged [%]",
        "baseline_weeks": "complete weeks whose mean is the baseline [weeks]",
        "min_baseline_km": "smallest baseline a week is judged against [km]",
        "min_increase_km": "smallest increase flagged [km]",
    },
)


# -- acwr ---------------------------------------------------------------------------------------
ACWR_METHODS = {
    "ewma": "EWMA, λ = 2/(N+1) with N = 7 and 28 days, both starting at the first week's mean "
    "daily load (Williams 2017)",
    "uncoupled": "last 7 days vs the mean week of days t-27…t-7 (Windt & Gabbett 2019)",
}


def check_acwr(given: RuleInput) -> list[Finding]:
    """Acute:chronic ratio above 1.5, information only, hidden for the first 28 days."""
    settings, history = given.settings, given.history
    require_runs(given)
    method = settings["method"]
    load = history.calendar["load"]
    shown_from = history.start + pd.Timedelta(days=settings["hidden_days"])
    if history.end < shown_from:
        raise NotEvaluable(f"hidden for the first {settings['hidden_days']:g} days of history")
    ratios = acute_chronic(load)
    column = "ratio_ewma" if method == "ewma" else "ratio_uncoupled"
    frame = ratios.assign(day=ratios.index, ratio=ratios[column])
    frame = given.in_window(frame[frame.index >= shown_from])
    for day, row in rows(frame):
        if pd.notna(row["ratio"]):
            given.checked(
                day, row["ratio"], settings["ratio"], "ratio", row["ratio"] > settings["ratio"]
            )
    hits = worst_per_week(frame[frame["ratio"] > settings["ratio"]], "ratio")
    unit = history.load_choice.unit
    findings = []
    for day, row in rows(hits):
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
    trigger="EWMA (or uncoupled) acute:chronic ratio > 1.5, information only, hidden for the "
    "first 28 days; the EWMA starts at the first week's mean",
    remedy=PROGRESS_REMEDY,
    defaults={"ratio": 1.5, "method": "ewma", "hidden_days": 28},
    choices={"method": tuple(ACWR_METHODS)},
    check=check_acwr,
    max_severity="info",
    explains={
        "ratio": "acute:chronic ratio shown as information [-]",
        "method": '"ewma" or "uncoupled"',
        "hidden_days": "days of history before the ratio is shown [days]",
    },
)
