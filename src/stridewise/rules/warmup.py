"""Warm-up rule: a run that started harder than the runner's own easy running.

RULES.md (Warm-up and fatigue): a hard start is judged against the runner's **own** easy level,
never a share of maximum heart rate — heat, altitude and wrist sensors move heart rate by
10-20 bpm. With heart rate, minutes 1.5-10 of a run are a hard start when their mean heart rate
is above the runner's easy level *and* their pace is faster than the runner's median easy pace.
The easy level is the median heart rate over minutes 10-30 of the runner's runs of the last
60 days that were at or slower than their median pace (their easy runs). Without heart rate,
minutes 1.5-10 more than 10 % faster than the runner's usual first-10-minute pace are a hard
start. A run is warmed up — and quiet — when an activity of any kind ended at most 15 minutes
before it (a warm-up recorded on its own), or when its first five minutes were at or slower
than the easy pace (intervals after an easy start). Warm-up programmes have not been shown to
prevent running injuries (van Mechelen 1993; Fradkin 2006): a convention, a caution at most.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    iso_week,
    pace_text,
    require_runs,
    rows,
    worst_per_week,
)

WEAK = (
    "Warm-up programmes have not been shown to prevent running injuries (van Mechelen 1993; "
    "Fradkin 2006); warming up is a convention with a performance benefit (Fradkin 2010)."
)


def easy_levels(runs: pd.DataFrame, window_days: int, min_runs: int) -> pd.DataFrame:
    """For each run, the runner's easy level from the runs of the ``window_days`` before it
    (the run itself left out): ``easy_hr_bpm`` (median steady heart rate of the easy runs),
    ``easy_speed_mps`` (their median speed), ``usual_start_mps`` (median speed of minutes
    1.5-10 of all those runs) and ``easy_runs`` (how many easy runs with heart rate). NaN under
    ``min_runs`` easy runs.

    Easy runs are those at or slower than the median speed of the window's runs.
    """
    rows = []
    days = runs["day"].to_numpy()
    speed = runs["speed_mps"].to_numpy(dtype="float64")
    steady_hr = runs["steady_hr_bpm"].to_numpy(dtype="float64")
    start_speed = runs["warmup_speed_mps"].to_numpy(dtype="float64")
    window = np.timedelta64(window_days, "D")
    in_order = bool((days[1:] >= days[:-1]).all())
    if in_order:  # each window is a slice: runs from day - window up to the day before
        firsts = np.searchsorted(days, days - window, side="left")
        lasts = np.searchsorted(days, days, side="left")
    nan = float("nan")
    for position in range(len(runs)):
        if in_order:
            inside = slice(firsts[position], lasts[position])
        else:
            inside = (days < days[position]) & (days >= days[position] - window)
        speeds, hearts_inside, starts_inside = speed[inside], steady_hr[inside], start_speed[inside]
        known = ~np.isnan(speeds)
        if not known.any():
            rows.append((nan, nan, nan, 0))
            continue
        median_speed = _median(speeds[known])
        easy = speeds <= median_speed
        hearts = hearts_inside[easy & ~np.isnan(hearts_inside)]
        starts = starts_inside[~np.isnan(starts_inside)]
        count = int(len(hearts))
        easy_speeds = speeds[easy & known]
        rows.append(
            (
                _median(hearts) if count >= min_runs else nan,
                _median(easy_speeds) if len(easy_speeds) >= min_runs else nan,
                _median(starts) if len(starts) >= min_runs else nan,
                count,
            )
        )
    return pd.DataFrame(
        rows,
        index=runs.index,
        columns=["easy_hr_bpm", "easy_speed_mps", "usual_start_mps", "easy_runs"],
    )


def _median(values: np.ndarray) -> float:
    """``np.median`` of a non-empty array without NaN, the same value without its per-call
    overhead (called three times per run for every run of the history)."""
    ordered = np.sort(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2.0)


def warmed_up_by_activity(
    history_activities: pd.DataFrame, runs: pd.DataFrame, gap_s: float
) -> pd.Series:
    """Whether an activity (any kind, the run itself left out) ended at most ``gap_s`` [s]
    before each run started (local wall-clock times: a warm-up and its run share a place)."""
    starts = pd.to_datetime(history_activities["local_start"])
    elapsed = history_activities.get("elapsed_s", history_activities["duration_s"])
    duration = elapsed.fillna(history_activities["duration_s"])
    ends = (starts + pd.to_timedelta(duration.fillna(0.0), unit="s")).to_numpy("datetime64[ns]")
    ids = history_activities["id"].to_numpy()
    run_starts = pd.to_datetime(runs["local_start"]).to_numpy("datetime64[ns]")
    gap = np.timedelta64(int(gap_s), "s")
    ended = np.sort(ends[~np.isnat(ends)])
    # activities that ended in [start - gap, start], found in the sorted ends ...
    count = np.searchsorted(ended, run_starts, side="right") - np.searchsorted(
        ended, run_starts - gap, side="left"
    )
    # ... less the run itself (when it lasted no time at all)
    own_end = pd.Series(ends, index=ids).reindex(runs.index).to_numpy("datetime64[ns]")
    itself = (own_end <= run_starts) & (own_end >= run_starts - gap)
    before = (count - itself > 0) & ~np.isnat(run_starts)
    return pd.Series(before, index=runs.index)


def check_warmup(given: RuleInput) -> list[Finding]:
    """A hard start (see the module text); the hardest start of each ISO week is reported, with
    the count of hard starts that week."""
    settings, history = given.settings, given.history
    runs = require_runs(given)
    levels = easy_levels(runs, int(settings["window_days"]), int(settings["min_easy_runs"]))
    runs = runs.join(levels)
    runs = given.in_window(runs)
    long_enough = runs["moving_s"].fillna(0) >= settings["min_duration_min"] * 60.0
    runs = runs[long_enough]
    with_hr = (
        runs["warmup_hr_bpm"].notna()
        & (runs["warmup_hr_coverage"] >= 0.5)
        & runs["easy_hr_bpm"].notna()
        & runs["easy_speed_mps"].notna()
    )
    with_pace = ~with_hr & runs["warmup_speed_mps"].notna() & runs["usual_start_mps"].notna()
    if not (with_hr | with_pace).any():
        raise NotEvaluable(
            f"needs runs of {settings['min_duration_min']:g} min or more with records, and "
            f"{settings['min_easy_runs']:g} earlier runs in {settings['window_days']:g} days to "
            "know your easy level"
        )
    separate = warmed_up_by_activity(history.activities, runs, settings["separate_warmup_min"] * 60)
    easy_start = runs["start_speed_mps"] <= runs["easy_speed_mps"]
    faster_pct = (runs["warmup_speed_mps"] / runs["usual_start_mps"] - 1.0) * 100.0
    hr_excess = runs["warmup_hr_bpm"] - runs["easy_hr_bpm"]
    by_hr = with_hr & (hr_excess > 0) & (runs["warmup_speed_mps"] > runs["easy_speed_mps"])
    by_pace = with_pace & (faster_pct > settings["pace_margin_pct"])
    hard = (by_hr | by_pace) & ~separate & ~easy_start.fillna(False)
    judged = (with_hr | with_pace).to_numpy()
    for activity_id, day, by_heart, excess, faster, fired, warmup_hr, easy_hr, apart in zip(
        runs.index[judged],
        runs["day"][judged],
        with_hr.to_numpy()[judged],
        hr_excess.to_numpy()[judged],
        faster_pct.to_numpy()[judged],
        hard.to_numpy()[judged],
        runs["warmup_hr_bpm"][judged],
        runs["easy_hr_bpm"][judged],
        separate.to_numpy()[judged],
        strict=True,
    ):
        given.checked(
            day,
            excess if by_heart else faster,
            0.0 if by_heart else settings["pace_margin_pct"],
            "bpm above easy" if by_heart else "%",
            bool(fired),
            activity_id,
            warmup_hr_bpm=warmup_hr,
            easy_hr_bpm=easy_hr,
            separate_warmup=bool(apart),
        )
    chosen = runs[hard].assign(
        excess=np.where(with_hr[hard], hr_excess[hard], faster_pct[hard]),
        by_hr=with_hr[hard],
        faster_pct=faster_pct[hard],
    )
    if chosen.empty:
        return []
    counts = chosen.groupby(iso_week(chosen["day"])).size()
    findings = []
    for activity_id, run in rows(worst_per_week(chosen, "excess")):
        in_week = int(counts[run["day"] - pd.Timedelta(days=run["day"].day_of_week)])
        others = f" ({in_week} hard starts that week)" if in_week > 1 else ""
        if run["by_hr"]:
            value, threshold, unit = run["warmup_hr_bpm"], run["easy_hr_bpm"], "bpm"
            what = (
                f"minutes 1.5-10 averaged {run['warmup_hr_bpm']:.0f} bpm at "
                f"{pace_text(run['warmup_speed_mps'], given.profile)}, above your easy level "
                f"({run['easy_hr_bpm']:.0f} bpm at "
                f"{pace_text(run['easy_speed_mps'], given.profile)}, from "
                f"{int(run['easy_runs'])} easy runs of the last "
                f"{settings['window_days']:g} days)"
            )
        else:
            value, threshold, unit = run["faster_pct"], settings["pace_margin_pct"], "%"
            what = (
                f"minutes 1.5-10 were {run['faster_pct']:.0f} % faster than your usual start "
                f"({pace_text(run['usual_start_mps'], given.profile)}; no heart rate)"
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
                    "easy_hr_bpm": run["easy_hr_bpm"],
                    "warmup_speed_mps": run["warmup_speed_mps"],
                },
            )
        )
    return findings


def praise_warmup(result: RuleResult, profile: Profile) -> str | None:
    count = len(result.checks)
    separate = sum(1 for c in result.checks if c.details.get("separate_warmup"))
    extra = f", {separate} after a warm-up of their own" if separate else ""
    return (
        f"{'All ' + str(count) + ' runs' if count > 1 else 'Your run'} started at or below your "
        f"own easy effort{extra}."
    )


WARMUP = Rule(
    id="warmup",
    factor="warm-up",
    evidence="convention",
    citation="van Mechelen 1993, AJSM 21:711; Fradkin 2006, doi:10.1016/j.jsams.2006.03.026",
    trigger="a hard start: minutes 1.5-10 harder than the runner's own easy level (heart rate "
    "and pace; pace alone > 10 % faster than usual without heart rate), with no activity ending "
    "<= 15 min before and no easy first 5 minutes",
    remedy="Warm up with 5-10 easy minutes before picking up the pace.",
    defaults={
        "window_days": 60,
        "min_easy_runs": 3,
        "pace_margin_pct": 10.0,
        "separate_warmup_min": 15.0,
        "min_duration_min": 20.0,
    },
    check=check_warmup,
    data="R",
    praise=praise_warmup,
    explains={
        "window_days": "days of runs the easy level comes from [days]",
        "min_easy_runs": "easy runs the easy level needs [runs]",
        "pace_margin_pct": "without heart rate: start faster than usual that is flagged [%]",
        "separate_warmup_min": "an activity ending this soon before a run warms it up [min]",
        "min_duration_min": "shortest run judged [min]",
    },
)
