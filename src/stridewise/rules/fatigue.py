"""Fatigue rules from records: aerobic decoupling and form drift within a run.

Both are conventions (the Friel / TrainingPeaks bands; mechanics that change with fatigue), so
both stay at caution. Decoupling is measured on grade-adjusted speed (Minetti 2002): a second
half that climbs is not fatigue.
"""

from __future__ import annotations

import numpy as np

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
)

FATIGUE_REMEDY = (
    "Keep easy runs easy, build long runs gradually and keep rest days between hard sessions; "
    "strengthen the core."
)


def check_decoupling(given: RuleInput) -> list[Finding]:
    """Pa:HR on grade-adjusted speed, steady runs of ``min_duration_min`` or more (after the
    10-minute warm-up): a caution above ``caution_pct``; above ``poor_pct`` the text says so."""
    settings = given.settings
    runs = given.in_window(require_runs(given))
    long_enough = runs[runs["moving_s"].fillna(0) >= settings["min_duration_min"] * 60.0]
    with_hr = long_enough[
        long_enough["decoupling_pct"].notna()
        & (long_enough["decoupling_hr_coverage"] >= settings["min_hr_coverage"])
    ]
    if with_hr.empty:
        raise NotEvaluable(
            f"no run of {settings['min_duration_min']:g} min or more with heart rate records"
        )
    steady = with_hr[with_hr["steady_speed_cv"] <= settings["max_speed_cv"]]
    if steady.empty:
        raise NotEvaluable(
            f"no steady run of {settings['min_duration_min']:g} min or more (1-minute speeds "
            f"varied by more than {settings['max_speed_cv']:.0%} on every one)"
        )
    findings = []
    for activity_id, run in rows(steady):
        value = float(run["decoupling_pct"])
        fired = value > settings["caution_pct"]
        given.checked(
            run["day"], value, settings["caution_pct"], "%", fired, activity_id,
            distance_km=float(run["distance_km"]),
        )  # fmt: skip
        if not fired:
            continue
        poor = value > settings["poor_pct"]
        word = (
            f"poor by the Friel / TrainingPeaks convention (over {settings['poor_pct']:g} %)"
            if poor
            else f"moderate by the Friel / TrainingPeaks convention "
            f"({settings['caution_pct']:g}-{settings['poor_pct']:g} %)"
        )
        message = (
            f"Aerobic decoupling of {value:.1f} % on the "
            f"{distance_text(run['distance_km'], given.profile)} run of {day_text(run['day'])}: "
            "heart rate rose relative to grade-adjusted pace over the steady part after the first "
            f"10 minutes ({word}). It is associated with fatigue, and fatigue with more trunk "
            "flexion (Koblbauer 2014). Heat, dehydration or illness raise it too."
        )
        findings.append(
            DECOUPLING.finding(
                day=run["day"],
                severity="caution",
                value=value,
                threshold=settings["caution_pct"],
                unit="%",
                message=message,
                activity_id=activity_id,
                details={
                    "steady_min": run["steady_s"] / 60.0,
                    "speed_cv": run["steady_speed_cv"],
                    "poor": poor,
                },
            )
        )
    return findings


def praise_decoupling(result: RuleResult, profile: Profile) -> str | None:
    values = [c.value for c in result.checks if c.value is not None]
    if not values:
        return None
    count = len(values)
    return (
        f"Heart rate stayed coupled to grade-adjusted pace on {count} run"
        f"{'s' if count != 1 else ''} of {result.settings['min_duration_min']:g} minutes or more "
        f"(aerobic decoupling at most {max(values):.1f} %, under "
        f"{result.settings['caution_pct']:g} %)."
    )


DECOUPLING = Rule(
    id="decoupling",
    factor="fatigue",
    evidence="convention",
    citation="Friel / TrainingPeaks convention; Minetti 2002, doi:10.1152/japplphysiol.01177.2001; "
    "Koblbauer 2014, doi:10.1016/j.jsams.2013.05.013",
    trigger="aerobic decoupling on grade-adjusted speed > 5 % on a steady run >= 40 min; > 10 % "
    "stated in the text",
    remedy=FATIGUE_REMEDY,
    data="R",
    praise=praise_decoupling,
    explains={
        "caution_pct": "decoupling that is flagged [%]",
        "poor_pct": "decoupling the text calls poor [%]",
        "min_duration_min": "shortest run judged [min]",
        "max_speed_cv": "most variation of 1-minute speeds for a steady run [-]",
        "min_hr_coverage": "least share of the steady part with heart rate [-]",
    },
    defaults={
        "caution_pct": 5.0,
        "poor_pct": 10.0,
        "min_duration_min": 40.0,
        "max_speed_cv": 0.10,
        "min_hr_coverage": 0.8,
    },
    check=check_decoupling,
)


def check_form_drift(given: RuleInput) -> list[Finding]:
    """Last 20 % vs the first 20 % after the warm-up: cadence down by ``cadence_drop_pct`` or
    ground contact time up by ``gct_rise_pct``, when the two windows' speeds differ by no more
    than ``max_speed_diff_pct`` (Zandbergen 2023: mechanics change with speed)."""
    settings = given.settings
    runs = given.in_window(require_runs(given))
    long_enough = runs[runs["moving_s"].fillna(0) >= settings["min_duration_min"] * 60.0]
    with_form = long_enough[
        long_enough["drift_cadence_pct"].notna() | long_enough["drift_stance_time_pct"].notna()
    ]
    if with_form.empty:
        raise NotEvaluable(
            f"no run of {settings['min_duration_min']:g} min or more with cadence or ground "
            "contact time records"
        )
    comparable = with_form[with_form["drift_speed_pct"].abs() <= settings["max_speed_diff_pct"]]
    if comparable.empty:
        raise NotEvaluable(
            "no run whose first and last 20 % were at similar speed (within "
            f"{settings['max_speed_diff_pct']:g} %)"
        )
    findings = []
    for activity_id, run in rows(comparable):
        cadence, contact = run["drift_cadence_pct"], run["drift_stance_time_pct"]
        cadence_hit = cadence <= -settings["cadence_drop_pct"]
        contact_hit = contact >= settings["gct_rise_pct"]
        given.checked(
            run["day"],
            cadence if not np.isnan(cadence) else contact,
            -settings["cadence_drop_pct"] if not np.isnan(cadence) else settings["gct_rise_pct"],
            "%",
            bool(cadence_hit or contact_hit),
            activity_id,
            cadence_change_pct=cadence,
            ground_contact_change_pct=contact,
        )
        if not (cadence_hit or contact_hit):
            continue
        if cadence_hit:
            value, threshold = cadence, -settings["cadence_drop_pct"]
        else:
            value, threshold = contact, settings["gct_rise_pct"]
        changes = ", ".join(
            f"{name} {change:+.1f} %"
            for name, change in (
                ("cadence", cadence),
                ("ground contact time", contact),
                ("vertical oscillation", run["drift_vertical_oscillation_pct"]),
            )
            if not np.isnan(change)
        )
        message = (
            f"Form drift on the {distance_text(run['distance_km'], given.profile)} run of "
            f"{day_text(run['day'])}: {changes} in the last 20 % of the run against the first 20 % "
            f"after the warm-up, at similar speed ({run['drift_speed_pct']:+.1f} %). Such changes "
            "are associated with fatigue (Zandbergen 2023), and fatigue with more trunk flexion "
            "(Koblbauer 2014)."
        )
        findings.append(
            FORM_DRIFT.finding(
                day=run["day"],
                severity="caution",
                value=value,
                threshold=threshold,
                unit="%",
                message=message,
                activity_id=activity_id,
                details={
                    "cadence_change_pct": cadence,
                    "ground_contact_change_pct": contact,
                    "vertical_oscillation_change_pct": run["drift_vertical_oscillation_pct"],
                    "speed_change_pct": run["drift_speed_pct"],
                },
            )
        )
    return findings


def praise_form_drift(result: RuleResult, profile: Profile) -> str | None:
    count = len(result.checks)
    return (
        f"Your form held to the end of {count} run{'s' if count != 1 else ''}: cadence and "
        "ground contact time in the last 20 % stayed within "
        f"{result.settings['cadence_drop_pct']:g} % and {result.settings['gct_rise_pct']:g} % of "
        "the start at similar speed."
    )


FORM_DRIFT = Rule(
    id="form_drift",
    factor="fatigue",
    evidence="convention",
    data="R",
    praise=praise_form_drift,
    explains={
        "cadence_drop_pct": "fall of cadence that is flagged [%]",
        "gct_rise_pct": "rise of ground contact time that is flagged [%]",
        "max_speed_diff_pct": "largest speed difference of the two windows compared [%]",
        "min_duration_min": "shortest run judged [min]",
    },
    citation="Zandbergen 2023, doi:10.3389/fspor.2023.1085513; Koblbauer 2014, "
    "doi:10.1016/j.jsams.2013.05.013",
    trigger="last 20 % of a run vs the first post-warm-up 20 %: cadence -4 % or ground contact "
    "time +5 % at similar speed",
    remedy="Shorten or slow the run when your form fades, build distance gradually, and "
    "strengthen the core and hips.",
    defaults={
        "cadence_drop_pct": 4.0,
        "gct_rise_pct": 5.0,
        "max_speed_diff_pct": 5.0,
        "min_duration_min": 30.0,
    },
    check=check_form_drift,
)
