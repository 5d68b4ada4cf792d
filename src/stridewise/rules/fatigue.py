"""Fatigue rules from records: aerobic decoupling and form drift within a run."""

from __future__ import annotations

import numpy as np

from stridewise.rules.base import Finding, NotEvaluable, Rule, RuleInput, day_text, distance_text

FATIGUE_REMEDY = (
    "Keep easy runs easy, build long runs gradually and keep rest days between hard sessions; "
    "strengthen the core."
)


def check_decoupling(given: RuleInput) -> list[Finding]:
    """Pa:HR on steady runs of ``min_duration_min`` or more (after the 10-minute warm-up)."""
    settings = given.settings
    runs = given.in_window(given.history.runs)
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
    for activity_id, run in steady.iterrows():
        value = float(run["decoupling_pct"])
        if value > settings["warning_pct"]:
            severity, threshold, word = "warning", settings["warning_pct"], "poor"
        elif value > settings["caution_pct"]:
            severity, threshold, word = "caution", settings["caution_pct"], "moderate"
        else:
            continue
        message = (
            f"Aerobic decoupling of {value:.1f} % on the "
            f"{distance_text(run['distance_km'], given.profile)} run of {day_text(run['day'])}: "
            "heart rate rose relative to pace over the steady part after the first 10 minutes "
            f"({word} by the Friel / TrainingPeaks convention: over {threshold:g} %). It is "
            "associated with fatigue, and fatigue with more trunk flexion (Koblbauer 2014). Heat, "
            "dehydration or illness raise it too."
        )
        findings.append(
            DECOUPLING.finding(
                day=run["day"],
                severity=severity,
                value=value,
                threshold=threshold,
                unit="%",
                message=message,
                activity_id=activity_id,
                details={"steady_min": run["steady_s"] / 60.0, "speed_cv": run["steady_speed_cv"]},
            )
        )
    return findings


DECOUPLING = Rule(
    id="decoupling",
    factor="fatigue",
    evidence="moderate (mechanics)",
    citation="Friel / TrainingPeaks convention; Koblbauer 2014, doi:10.1016/j.jsams.2013.05.013",
    trigger="aerobic decoupling Pa:HR > 5 % (caution), > 10 % (warning) on a steady run >= 40 min",
    remedy=FATIGUE_REMEDY,
    defaults={
        "caution_pct": 5.0,
        "warning_pct": 10.0,
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
    runs = given.in_window(given.history.runs)
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
    for activity_id, run in comparable.iterrows():
        cadence, contact = run["drift_cadence_pct"], run["drift_stance_time_pct"]
        cadence_hit = cadence <= -settings["cadence_drop_pct"]
        contact_hit = contact >= settings["gct_rise_pct"]
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


FORM_DRIFT = Rule(
    id="form_drift",
    factor="fatigue",
    evidence="moderate (mechanics)",
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
