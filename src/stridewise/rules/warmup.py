"""Warm-up rule: a hard effort in the first 10 minutes of a run."""

from __future__ import annotations

import pandas as pd

from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    day_text,
    iso_week,
    worst_per_week,
)

WEAK = (
    "Warm-up programmes have not been shown to prevent running injuries (van Mechelen 1993; "
    "Fradkin 2006), so this is a weak signal."
)


def check_warmup(given: RuleInput) -> list[Finding]:
    """A hard start: the highest 2-minute mean heart rate of the first 10 minutes above
    ``hr_pct`` % of max HR; without heart rate (or max HR), the first 10 minutes faster than the
    run's median pace by more than ``pace_margin_pct`` % (GPS noise). The hardest start of each
    ISO week is reported, with the count of hard starts that week."""
    settings, history = given.settings, given.history
    runs = given.in_window(history.runs)
    runs = runs[runs["moving_s"].fillna(0) >= settings["min_duration_min"] * 60.0]
    max_hr = history.heart_rates.max_hr
    with_hr = runs["warmup_hr_sustained_bpm"].notna() & (runs["warmup_hr_coverage"] >= 0.5)
    with_hr &= max_hr is not None
    with_pace = ~with_hr & runs["warmup_speed_ratio"].notna()
    if not (with_hr | with_pace).any():
        raise NotEvaluable(
            f"no run of {settings['min_duration_min']:g} min or more with heart rate or speed "
            "records"
        )
    hr_pct = runs["warmup_hr_sustained_bpm"] / (max_hr or float("nan")) * 100.0
    faster_pct = (runs["warmup_speed_ratio"] - 1.0) * 100.0
    excess = pd.concat(
        [
            (hr_pct - settings["hr_pct"])[with_hr & (hr_pct > settings["hr_pct"])],
            (faster_pct - settings["pace_margin_pct"])[
                with_pace & (faster_pct > settings["pace_margin_pct"])
            ],
        ]
    )
    if excess.empty:  # (assigning Series to an empty frame would take their index)
        return []
    hard = runs.loc[excess.index].assign(excess=excess, hr_pct=hr_pct, faster_pct=faster_pct)
    hard = hard.assign(by_hr=with_hr[hard.index])
    counts = hard.groupby(iso_week(hard["day"])).size()
    findings = []
    for activity_id, run in worst_per_week(hard, "excess").iterrows():
        in_week = int(counts[run["day"] - pd.Timedelta(days=run["day"].day_of_week)])
        others = f" ({in_week} hard starts that week)" if in_week > 1 else ""
        if run["by_hr"]:
            estimated = " estimated" if history.heart_rates.max_hr_source != "profile" else ""
            value, threshold, unit = run["hr_pct"], settings["hr_pct"], "% of max HR"
            what = (
                f"heart rate averaged {value:.0f} % of max ({run['warmup_hr_sustained_bpm']:.0f} "
                f"of{estimated} {max_hr:.0f} bpm) over 2 minutes within the first 10 minutes, "
                f"above {threshold:g} %"
            )
        else:
            value, threshold, unit = run["faster_pct"], settings["pace_margin_pct"], "%"
            what = (
                f"the first 10 minutes were {value:.0f} % faster than the run's median pace "
                "(no heart rate)"
            )
        message = f"Hard start on {day_text(run['day'])}{others}: {what}. " + WEAK
        findings.append(
            WARMUP.finding(
                day=run["day"],
                severity="caution",
                value=value,
                threshold=threshold,
                unit=unit,
                message=message,
                activity_id=activity_id,
                details={
                    "hard_starts_in_week": in_week,
                    "hr_max_bpm": run["warmup_hr_max_bpm"],
                    "hr_mean_bpm": run["warmup_hr_mean_bpm"],
                },
            )
        )
    return findings


WARMUP = Rule(
    id="warmup",
    factor="warm-up",
    evidence="weak",
    citation="van Mechelen 1993, AJSM 21:711; Fradkin 2006, doi:10.1016/j.jsams.2006.03.026",
    trigger="a hard effort in the first 10 minutes: heart rate > 80 % of max (or pace faster than "
    "the run's median pace when no HR)",
    remedy="Warm up with 5-10 easy minutes before picking up the pace.",
    defaults={"hr_pct": 80.0, "pace_margin_pct": 3.0, "min_duration_min": 20.0},
    check=check_warmup,
)
