"""Recovery rules: resting heart rate above its own baseline, and short sleep.

Both read the days a watch measured (``History.wellness``: resting heart rate and sleep per local
day, from a Garmin export's wellness files or Apple Health). A day without a measurement is
unknown, never zero; each rule needs enough measured days in its window and says why it is
silent when it has none. Resting heart rate is judged against the runner's own 60-day baseline,
as monitoring studies recommend (Buchheit 2014); sleep against a fixed 7 hours.
"""

from __future__ import annotations

import pandas as pd

from stridewise.metrics.wellness import RECENT_DAYS, baseline, daily_values, recent_mean
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    rows,
    worst_per_week,
)

BUCHHEIT = (
    "A resting heart rate above the runner's own baseline can mean incomplete recovery, illness "
    "or heat (Buchheit 2014): weak evidence for injury."
)
MILEWSKI = (
    "Sleeping less than 8 hours was associated with 1.7 times the injury rate in adolescent "
    "athletes (Milewski 2014): weak evidence, not shown in adult runners."
)


def check_resting_hr_rise(given: RuleInput) -> list[Finding]:
    """Caution once per ISO week (its highest day) when the 7-day mean resting heart rate (with
    ``min_days`` of 7 measured) is ≥ ``rise_bpm`` above the mean of the ``baseline_days`` before
    those 7 days (with ``min_baseline_days`` measured)."""
    settings = given.settings
    resting = daily_values(given.history.wellness, "resting_hr_bpm")
    if resting.empty:
        raise NotEvaluable(
            "no resting heart rate recorded (it comes from a watch's daily wellness data: a "
            "Garmin export or Apple Health)"
        )
    recent = recent_mean(resting, int(settings["min_days"]))
    frame = pd.DataFrame(
        {
            "day": resting.index,
            "mean_bpm": recent["mean"],
            "measured": recent["measured"],
            "baseline_bpm": baseline(
                resting, int(settings["baseline_days"]), int(settings["min_baseline_days"])
            ),
        },
        index=resting.index,
    ).dropna()
    if frame.empty:
        raise NotEvaluable(
            f"needs a {settings['baseline_days']}-day resting heart rate baseline "
            f"({settings['min_baseline_days']} days measured) before a week with "
            f"{settings['min_days']} of 7 days measured; {resting.count()} days are measured"
        )
    frame["rise_bpm"] = frame["mean_bpm"] - frame["baseline_bpm"]
    frame["fired"] = frame["rise_bpm"] >= settings["rise_bpm"]
    for day, row in rows(given.in_window(frame)):
        given.checked(
            day, row["mean_bpm"], row["baseline_bpm"] + settings["rise_bpm"], "bpm",
            bool(row["fired"]), baseline_bpm=row["baseline_bpm"], measured=int(row["measured"]),
        )  # fmt: skip
    findings = []
    for day, row in rows(worst_per_week(given.in_window(frame[frame["fired"]]), "rise_bpm")):
        message = (
            f"Resting heart rate averaged {row['mean_bpm']:.0f} bpm over the 7 days to "
            f"{day_text(day)} ({int(row['measured'])} of 7 measured), {row['rise_bpm']:.0f} bpm "
            f"above its {settings['baseline_days']}-day baseline of {row['baseline_bpm']:.0f} bpm. "
            + BUCHHEIT
        )
        findings.append(
            RESTING_HR_RISE.finding(
                day=day,
                severity="caution",
                value=row["mean_bpm"],
                threshold=row["baseline_bpm"] + settings["rise_bpm"],
                unit="bpm",
                message=message,
                window=(day - pd.Timedelta(days=RECENT_DAYS - 1), day),
                details={
                    "baseline_bpm": row["baseline_bpm"],
                    "rise_bpm": row["rise_bpm"],
                    "measured_days": int(row["measured"]),
                },
            )
        )
    return findings


def praise_resting_hr_rise(result: RuleResult, profile: Profile) -> str | None:
    check = result.checks[-1]
    return (
        f"Your resting heart rate stayed near its baseline: {check.value:.0f} bpm over the 7 days "
        f"to {day_text(check.day)}, against {check.details['baseline_bpm']:.0f} bpm before."
    )


def check_short_sleep(given: RuleInput) -> list[Finding]:
    """Information once per ISO week (its shortest day) when the 7-night mean sleep (with
    ``min_nights`` of 7 measured) is below ``min_hours``."""
    settings = given.settings
    sleep = daily_values(given.history.wellness, "sleep_s") / 3600.0
    if sleep.empty:
        raise NotEvaluable(
            "no sleep recorded (it comes from a watch's sleep tracking: a Garmin export or "
            "Apple Health)"
        )
    recent = recent_mean(sleep, int(settings["min_nights"]))
    frame = pd.DataFrame(
        {"day": sleep.index, "mean_h": recent["mean"], "measured": recent["measured"]},
        index=sleep.index,
    ).dropna()
    if frame.empty:
        raise NotEvaluable(
            f"needs sleep measured on {settings['min_nights']} of 7 nights; "
            f"{sleep.count()} nights are measured"
        )
    frame["fired"] = frame["mean_h"] < settings["min_hours"]
    for day, row in rows(given.in_window(frame)):
        given.checked(
            day, row["mean_h"], settings["min_hours"], "hours a night", bool(row["fired"]),
            measured=int(row["measured"]),
        )  # fmt: skip
    findings = []
    short = given.in_window(frame[frame["fired"]])
    for day, row in rows(worst_per_week(short, "mean_h", lowest=True)):
        message = (
            f"Sleep averaged {row['mean_h']:.1f} hours a night over the 7 nights to "
            f"{day_text(day)} ({int(row['measured'])} of 7 measured), under "
            f"{settings['min_hours']:g} hours. " + MILEWSKI
        )
        findings.append(
            SHORT_SLEEP.finding(
                day=day,
                severity="info",
                value=row["mean_h"],
                threshold=settings["min_hours"],
                unit="hours a night",
                message=message,
                window=(day - pd.Timedelta(days=RECENT_DAYS - 1), day),
                details={"measured_nights": int(row["measured"])},
            )
        )
    return findings


def praise_short_sleep(result: RuleResult, profile: Profile) -> str | None:
    check = result.checks[-1]
    return (
        f"You slept {check.value:.1f} hours a night on average over the 7 nights to "
        f"{day_text(check.day)}."
    )


RESTING_HR_RISE = Rule(
    id="resting_hr_rise",
    factor="recovery",
    evidence="weak",
    citation="Buchheit 2014, doi:10.3389/fphys.2014.00073",
    trigger="7-day mean resting HR >= 60-day baseline + 5 bpm (>= 4 of 7 days measured)",
    remedy="Ease off for a few days — easy runs or rest, and sleep; if your resting heart rate "
    "stays high or you feel unwell, rest.",
    defaults={"rise_bpm": 5.0, "min_days": 4, "baseline_days": 60, "min_baseline_days": 21},
    check=check_resting_hr_rise,
    praise=praise_resting_hr_rise,
    data="wellness",
    explains={
        "rise_bpm": "rise of the 7-day mean over the baseline that is flagged [1/min]",
        "min_days": "days of the 7 that must be measured [days]",
        "baseline_days": "days before the 7 whose mean is the baseline [days]",
        "min_baseline_days": "measured days the baseline needs [days]",
    },
)

SHORT_SLEEP = Rule(
    id="short_sleep",
    factor="recovery",
    evidence="weak",
    citation="Milewski 2014, doi:10.1097/BPO.0000000000000151",
    trigger="7-day mean sleep < 7 h (>= 4 of 7 nights measured)",
    remedy="Aim for 7 to 9 hours a night: a regular bedtime, and lighter training after short "
    "nights.",
    defaults={"min_hours": 7.0, "min_nights": 4},
    check=check_short_sleep,
    max_severity="info",
    praise=praise_short_sleep,
    data="wellness",
    explains={
        "min_hours": "mean sleep a night below which the rule informs [h]",
        "min_nights": "nights of the 7 that must be measured [nights]",
    },
)
