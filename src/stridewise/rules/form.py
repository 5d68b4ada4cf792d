"""Form rules: cadence against the runner's own speed-matched baseline, ground-contact balance.

Cadence changes loading (Heiderscheit 2011) but its injury evidence is limited: a caution at
most, and the population figure (about 166 steps/min or less, Luedke 2016) is information only,
quoted as the study states it. Ground-contact asymmetry was not associated with injury in 836
runners (Malisoux 2024): only a change from the runner's own steady, flat baseline is shown, as
information.
"""

from __future__ import annotations

import pandas as pd

from stridewise.history import balance_vs_baseline, cadence_vs_baseline
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    pace_text,
    require_runs,
    rows,
    stretch_starts,
    worst_per_week,
)


def check_cadence(given: RuleInput) -> list[Finding]:
    """Caution: cadence more than ``caution_pct`` below the speed-matched baseline, the lowest
    run of each ISO week. Information: below ``population_spm``, once per stretch of such runs."""
    settings, history = given.settings, given.history
    require_runs(given)
    table = cadence_vs_baseline(history, int(settings["window_days"]), int(settings["min_runs"]))
    table = table.dropna(subset=["cadence_spm"])
    if table.empty:
        raise NotEvaluable("no run with cadence (records or summary)")
    window = given.in_window(table)
    if window.empty:
        raise NotEvaluable("no run with cadence in the period")
    if window["expected_spm"].isna().all():
        given.note(
            f"no speed-matched baseline yet (it needs {settings['min_runs']:g} earlier runs with "
            f"cadence in {settings['window_days']:g} days, at a similar speed); only the "
            "population hint was checked"
        )
    for activity_id, run in rows(window.dropna(subset=["deviation_pct"])):
        given.checked(
            run["day"],
            run["deviation_pct"],
            -settings["caution_pct"],
            "%",
            run["deviation_pct"] < -settings["caution_pct"],
            activity_id,
        )
    low = window[window["deviation_pct"] < -settings["caution_pct"]]
    findings = [
        _below_baseline(given, activity_id, run)
        for activity_id, run in rows(worst_per_week(low, "deviation_pct", lowest=True))
    ]
    population = stretch_starts(table["cadence_spm"] <= settings["population_spm"])
    for activity_id, run in rows(given.in_window(table[population])):
        message = (
            f"Cadence {run['cadence_spm']:.0f} steps/min on {day_text(run['day'])} at "
            f"{pace_text(run['speed_mps'], given.profile)}. For information: a step rate of "
            f"{settings['population_spm']:g} or less was associated with shin injuries in "
            "high-school runners (Luedke 2016); cadence depends on speed and height, so your own "
            "baseline matters more than this population figure."
        )
        findings.append(
            CADENCE.finding(
                day=run["day"],
                severity="info",
                value=run["cadence_spm"],
                threshold=settings["population_spm"],
                unit="steps/min",
                message=message,
                activity_id=activity_id,
            )
        )
    return findings


def _below_baseline(given: RuleInput, activity_id: int, run: pd.Series) -> Finding:
    settings = given.settings
    message = (
        f"Cadence {run['cadence_spm']:.0f} steps/min on {day_text(run['day'])} at "
        f"{pace_text(run['speed_mps'], given.profile)}, {-run['deviation_pct']:.1f} % below your "
        f"own baseline at that speed ({run['expected_spm']:.0f} steps/min from "
        f"{int(run['baseline_runs'])} runs in the {settings['window_days']:g} days before). A "
        "5-10 % higher cadence reduces knee and hip loading (Heiderscheit 2011); the injury "
        "evidence is limited (Anderson 2022)."
    )
    return CADENCE.finding(
        day=run["day"],
        severity="caution",
        value=run["deviation_pct"],
        threshold=-settings["caution_pct"],
        unit="%",
        message=message,
        activity_id=activity_id,
        details={
            "cadence_spm": run["cadence_spm"],
            "expected_spm": run["expected_spm"],
            "speed_mps": run["speed_mps"],
            "baseline_runs": int(run["baseline_runs"]),
        },
    )


def praise_cadence(result: RuleResult, profile: Profile) -> str | None:
    values = [c.value for c in result.checks if c.value is not None]
    count = len(values)
    return (
        f"Cadence stayed within {result.settings['caution_pct']:g} % of your own speed-matched "
        f"baseline on {'all ' + str(count) + ' runs' if count > 1 else 'the run'} it could be "
        f"compared (lowest {min(values):+.1f} %)."
    )


CADENCE = Rule(
    id="cadence",
    factor="form",
    evidence="weak (mechanics; injury evidence limited)",
    citation="Heiderscheit 2011, doi:10.1249/MSS.0b013e3181ebedf4; Anderson 2022, "
    "doi:10.1186/s40798-022-00504-0; Luedke 2016, doi:10.1249/MSS.0000000000000890",
    trigger="cadence > 5 % below the runner's own speed-matched baseline (caution); a population "
    "hint at 166 steps/min or less (information, Luedke 2016's figure)",
    remedy="Try slightly shorter, quicker steps (about 5 % more per minute) on easy runs, and "
    "strengthen the core and hips.",
    defaults={"caution_pct": 5.0, "population_spm": 166.0, "window_days": 84, "min_runs": 8},
    check=check_cadence,
    data="R or A",
    praise=praise_cadence,
    explains={
        "caution_pct": "cadence below the speed-matched baseline that is flagged [%]",
        "population_spm": "the population figure shown as information [steps/min]",
        "window_days": "days the baseline looks back [days]",
        "min_runs": "runs with cadence the baseline needs [runs]",
    },
)


def check_gct_balance(given: RuleInput) -> list[Finding]:
    """Information: a run's ground-contact balance on steady, flat running more than
    ``shift_points`` from the median of the runner's previous runs (worst run per ISO week)."""
    settings, history = given.settings, given.history
    require_runs(given)
    table = balance_vs_baseline(history, int(settings["window_days"]), int(settings["min_runs"]))
    if table.empty:
        raise NotEvaluable("no run with ground-contact balance records (running dynamics)")
    window = given.in_window(table)
    if window.empty:
        raise NotEvaluable("no run with ground-contact balance records in the period")
    compared = window.dropna(subset=["shift_points"])
    if compared.empty:
        raise NotEvaluable(
            f"no baseline yet (it needs {settings['min_runs']:g} earlier runs with balance records "
            f"in {settings['window_days']:g} days)"
        )
    for activity_id, run in rows(compared):
        given.checked(
            run["day"],
            abs(run["shift_points"]),
            settings["shift_points"],
            "points",
            abs(run["shift_points"]) > settings["shift_points"],
            activity_id,
            balance_pct=run["balance_pct"],
            baseline_pct=run["baseline_pct"],
        )
    shifted = compared[compared["shift_points"].abs() > settings["shift_points"]]
    shifted = shifted.assign(size=shifted["shift_points"].abs())
    findings = []
    for activity_id, run in rows(worst_per_week(shifted, "size")):
        message = (
            f"Ground-contact balance {run['balance_pct']:.1f} % left on {day_text(run['day'])} "
            f"(steady, flat running), {run['shift_points']:+.1f} points from your baseline "
            f"({run['baseline_pct']:.1f} %, median of {int(run['baseline_runs'])} runs). For "
            "information: a change from your own baseline may follow fatigue, pain or a niggle; "
            "asymmetry itself was not associated with injury in 836 runners (Malisoux 2024)."
        )
        findings.append(
            GCT_BALANCE.finding(
                day=run["day"],
                severity="info",
                value=run["shift_points"],
                threshold=settings["shift_points"],
                unit="points",
                message=message,
                activity_id=activity_id,
                details={"balance_pct": run["balance_pct"], "baseline_pct": run["baseline_pct"]},
            )
        )
    return findings


GCT_BALANCE = Rule(
    id="gct_balance",
    factor="form",
    evidence="convention",
    citation="Malisoux 2024, doi:10.1136/bmjsem-2023-001787",
    trigger="a shift of > 1.5 points of left/right ground-contact balance from the runner's own "
    "steady-run baseline (information)",
    remedy="Strengthen the core and hips and stretch the hip flexors and hamstrings; a new "
    "imbalance that comes with pain is worth showing a physical therapist.",
    defaults={"shift_points": 1.5, "window_days": 84, "min_runs": 5},
    check=check_gct_balance,
    max_severity="info",
    data="R",
    explains={
        "shift_points": "change from the baseline shown [percentage points]",
        "window_days": "days the baseline looks back [days]",
        "min_runs": "runs with balance records the baseline needs [runs]",
    },
)
