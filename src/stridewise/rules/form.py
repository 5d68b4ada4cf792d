"""Form rules: cadence against the runner's own speed-matched baseline, ground-contact balance."""

from __future__ import annotations

import pandas as pd

from stridewise.history import balance_vs_baseline, cadence_vs_baseline
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    day_text,
    pace_text,
    stretch_starts,
    worst_per_week,
)


def check_cadence(given: RuleInput) -> list[Finding]:
    """Caution: cadence more than ``caution_pct`` below the speed-matched baseline, the lowest
    run of each ISO week. Information: below ``population_spm``, once per stretch of such runs."""
    settings, history = given.settings, given.history
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
    low = window[window["deviation_pct"] < -settings["caution_pct"]]
    findings = [
        _below_baseline(given, activity_id, run)
        for activity_id, run in worst_per_week(low, "deviation_pct", lowest=True).iterrows()
    ]
    population = stretch_starts(table["cadence_spm"] < settings["population_spm"])
    for activity_id, run in given.in_window(table[population]).iterrows():
        message = (
            f"Cadence {run['cadence_spm']:.0f} steps/min on {day_text(run['day'])} at "
            f"{pace_text(run['speed_mps'], given.profile)}, below {settings['population_spm']:g}. "
            "A low step rate (about 166 or less) was associated with shin injuries in high-school "
            "runners (Luedke 2016); cadence depends on speed and height, so your own baseline "
            "matters more than this population figure."
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


CADENCE = Rule(
    id="cadence",
    factor="form",
    evidence="moderate (mechanics)",
    citation="Heiderscheit 2011, doi:10.1249/MSS.0b013e3181ebedf4; Luedke 2016, "
    "doi:10.1249/MSS.0000000000000890",
    trigger="cadence > 5 % below the runner's own speed-matched baseline (caution); a population "
    "hint below 155 spm (information)",
    remedy="Try slightly shorter, quicker steps (about 5 % more per minute) on easy runs, and "
    "strengthen the core and hips.",
    defaults={"caution_pct": 5.0, "population_spm": 155.0, "window_days": 84, "min_runs": 8},
    check=check_cadence,
)


def check_gct_balance(given: RuleInput) -> list[Finding]:
    """Caution: a run's mean balance outside 50 ± ``band_points`` (once per stretch of such runs),
    or more than ``shift_points`` from the median of the previous runs (worst run per ISO week;
    a run already reported outside the band is not reported twice)."""
    settings, history = given.settings, given.history
    table = balance_vs_baseline(history, int(settings["window_days"]), int(settings["min_runs"]))
    if table.empty:
        raise NotEvaluable("no run with ground-contact balance records (running dynamics)")
    if given.in_window(table).empty:
        raise NotEvaluable("no run with ground-contact balance records in the period")
    band = settings["band_points"]
    outside = (table["balance_pct"] - 50.0).abs() > band
    findings = []
    for activity_id, run in given.in_window(table[stretch_starts(outside)]).iterrows():
        side = "left" if run["balance_pct"] > 50.0 else "right"
        message = (
            f"Ground-contact balance {run['balance_pct']:.1f} % left on {day_text(run['day'])}, "
            f"outside 50 ± {band:g} % (more time on the {side} foot). Asymmetry was not "
            "associated with injury in 836 runners (Malisoux 2024); a change from your own "
            "baseline on steady, flat running matters more."
        )
        threshold = 50.0 + band if side == "left" else 50.0 - band
        findings.append(
            _balance(run, activity_id, run["balance_pct"], threshold, "% left", message)
        )
    reported = {f.activity_id for f in findings}
    shifted = table[
        (table["shift_points"].abs() > settings["shift_points"]) & ~table.index.isin(list(reported))
    ]
    shifted = given.in_window(shifted.assign(size=shifted["shift_points"].abs()))
    for activity_id, run in worst_per_week(shifted, "size").iterrows():
        message = (
            f"Ground-contact balance {run['balance_pct']:.1f} % left on {day_text(run['day'])}, "
            f"{run['shift_points']:+.1f} points from your baseline ({run['baseline_pct']:.1f} %, "
            f"median of {int(run['baseline_runs'])} runs). A change from baseline may follow "
            "fatigue, pain or a niggle; asymmetry itself was not associated with injury "
            "(Malisoux 2024)."
        )
        findings.append(
            _balance(
                run, activity_id, run["shift_points"], settings["shift_points"], "points", message
            )
        )
    return findings


def _balance(
    run: pd.Series, activity_id: int, value: float, threshold: float, unit: str, message: str
) -> Finding:
    return GCT_BALANCE.finding(
        day=run["day"],
        severity="caution",
        value=value,
        threshold=threshold,
        unit=unit,
        message=message,
        activity_id=activity_id,
        details={"balance_pct": run["balance_pct"], "baseline_pct": run["baseline_pct"]},
    )


GCT_BALANCE = Rule(
    id="gct_balance",
    factor="form",
    evidence="weak",
    citation="Malisoux 2024, doi:10.1136/bmjsem-2023-001787",
    trigger="left/right ground-contact balance outside 50 ± 2.2 % on a run (caution), or a shift "
    "of > 1.5 points from the runner's baseline",
    remedy="Strengthen the core and hips and stretch the hip flexors and hamstrings; a new "
    "imbalance that comes with pain is worth showing a physical therapist.",
    defaults={"band_points": 2.2, "shift_points": 1.5, "window_days": 84, "min_runs": 5},
    check=check_gct_balance,
)
