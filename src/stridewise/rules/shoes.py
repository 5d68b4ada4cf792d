"""Shoe rules: mileage against a pair's limit, and rotation between pairs.

They read each run's ``shoe`` (resolved by ``History.from_store`` from assignments, the name a
source gave and default pairs; or given directly to ``History.from_frames``) and the history's
shoes frame (``initial_km``, ``limit_km``, ``retired``). A pair named by runs but missing from the
frame counts from 0 km with the rule's default limit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.inputs import short_text
from stridewise.profile import Profile
from stridewise.rules.base import (
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
    RuleResult,
    day_text,
    distance_text,
    iso_week,
    require_runs,
    rows,
    stretch_starts,
)

WEAR = (
    "Cushioning is lost with wear (Cook 1985) and plantar pressure rose by 100 % after 500 km "
    "(Verdejo & Mills 2004); no mileage cut-off has been tied to injury — 500-800 km is a "
    "convention."
)


def _shod_runs(given: RuleInput) -> pd.DataFrame:
    runs = require_runs(given)
    shod = runs[runs["shoe"].notna() & runs["shoe"].astype(str).str.strip().ne("")]
    if shod.empty:
        raise NotEvaluable("no run has a shoe (name one in your log, or: stridewise shoes add)")
    return shod


def check_shoe_mileage(given: RuleInput) -> list[Finding]:
    """The run that took a pair past ``caution_share_pct`` of its limit (caution), the run that
    took it past the limit (warning), then the last run of each later ISO week in that pair."""
    settings, history = given.settings, given.history
    shod = _shod_runs(given)
    pairs = history.shoes.set_index("name") if len(history.shoes) else pd.DataFrame()
    findings = []
    for name, worn in shod.groupby("shoe", sort=True):
        initial = float(pairs["initial_km"].get(name, 0.0) or 0.0) if len(pairs) else 0.0
        limit = pairs["limit_km"].get(name, np.nan) if len(pairs) else np.nan
        limit = float(settings["limit_km"]) if pd.isna(limit) else float(limit)
        total = initial + worn["distance_km"].fillna(0.0).cumsum()
        worn = worn.assign(total_km=total)
        near = limit * settings["caution_share_pct"] / 100.0
        judged = given.in_window(worn)
        for activity_id, day, total in zip(
            judged.index, judged["day"], judged["total_km"], strict=True
        ):
            given.checked(day, total, near, "km", total >= near, activity_id, shoe=name,
                          limit_km=limit)  # fmt: skip
        past = worn[worn["total_km"] >= limit]
        crossed_near = worn[(worn["total_km"] >= near) & (worn["total_km"] < limit)]
        if len(crossed_near) and initial < near:
            run = crossed_near.iloc[0]
            findings.append(_mileage(given, name, run, "caution", near, limit))
        if len(past):
            first = past.iloc[0]
            findings.append(_mileage(given, name, first, "warning", limit, limit))
            later = past[iso_week(past["day"]) > iso_week(pd.Series([first["day"]])).iloc[0]]
            weekly_last = later.assign(_week=iso_week(later["day"])).drop_duplicates(
                "_week", keep="last"
            )
            for _, run in rows(weekly_last):
                findings.append(_mileage(given, name, run, "warning", limit, limit, still=True))
    return [f for f in findings if given.since is None or pd.Timestamp(f.date) >= given.since]


def _mileage(
    given: RuleInput,
    name: str,
    run: pd.Series,
    severity: str,
    threshold: float,
    limit: float,
    still: bool = False,
) -> Finding:
    profile = given.profile
    total = distance_text(run["total_km"], profile)
    if severity == "caution":
        state = f"reached {total}, past {threshold / limit * 100:.0f} % of its"
    elif still:
        state = f"is still in use at {total}, past its"
    else:
        state = "passed its"
    message = (
        f"Shoe '{_shown(name)}' {state} {distance_text(limit, profile)} limit on "
        f"{day_text(run['day'])}"
        + (f" ({total})." if severity == "warning" and not still else ".")
        + " "
        + WEAR
    )
    return SHOE_MILEAGE.finding(
        day=run["day"],
        severity=severity,
        value=run["total_km"],
        threshold=threshold,
        unit="km",
        message=message,
        activity_id=run.name,
        details={"shoe": name, "limit_km": limit},
    )


def praise_shoe_mileage(result: RuleResult, profile: Profile) -> str | None:
    latest: dict[str, object] = {}
    for check in result.checks:
        latest[check.details["shoe"]] = check
    pairs = ", ".join(
        f"{_shown(name)} {distance_text(check.value or 0.0, profile)} of "  # type: ignore[attr-defined]
        f"{distance_text(check.details['limit_km'], profile)}"  # type: ignore[attr-defined]
        for name, check in latest.items()
    )
    return f"The shoes you ran in are within their limits ({pairs})."


SHOE_MILEAGE = Rule(
    id="shoe_mileage",
    factor="shoes",
    evidence="convention",
    citation="Verdejo & Mills 2004, J Biomech 37:1379; Cook 1985, AJSM 13:248",
    trigger="a shoe past its limit (default 600 km: warning) or past 90 % of it (caution)",
    remedy="Replace worn shoes, and rotate more than one pair.",
    defaults={"limit_km": 600.0, "caution_share_pct": 90.0},
    check=check_shoe_mileage,
    max_severity="warning",
    praise=praise_shoe_mileage,
    explains={
        "limit_km": "a pair's limit when it has none of its own [km]",
        "caution_share_pct": "share of the limit that gives a caution [%]",
    },
)


def check_shoe_rotation(given: RuleInput) -> list[Finding]:
    """Every run of the last ``window_days`` (at least ``min_runs``, all with a known shoe) in a
    single pair while the runner has another pair in service: information, once per stretch of
    runs for which it holds.

    A runner who owns a single pair is not flagged (RULES.md: "while another pair is in
    service"); the report's shoe section still names rotation as advice.
    """
    settings, history = given.settings, given.history
    _shod_runs(given)
    runs = history.runs
    if len(_pairs_in_service(history)) < 2:
        return []  # one pair in service: nothing to rotate with, so nothing to note
    window = f"{int(settings['window_days'])}D"
    codes, names = pd.factorize(runs["shoe"])
    frame = pd.DataFrame(
        {
            "run": 1.0,
            "shod": (codes >= 0).astype("float64"),
            "code": np.where(codes >= 0, codes, np.nan),
        },
        index=pd.DatetimeIndex(runs["day"]),
    )
    rolling = frame.rolling(window)
    count = rolling["run"].sum().to_numpy()
    shod = rolling["shod"].sum().to_numpy()
    single = (rolling["code"].min() == rolling["code"].max()).to_numpy()
    covered = (runs["day"] - history.start).dt.days.to_numpy() >= settings["window_days"] - 1
    holds = pd.Series(
        covered & (count >= settings["min_runs"]) & (shod == count) & single, index=runs.index
    )
    pairs = _pairs_worn(codes, runs["day"].to_numpy(), int(settings["window_days"]))
    judged = given.in_window(runs[covered])
    positions = runs.index.get_indexer(judged.index)
    for activity_id, day, position in zip(judged.index, judged["day"], positions, strict=True):
        given.checked(
            day, count[position], settings["min_runs"], "runs in one pair",
            bool(holds.iat[position]), activity_id, pairs=int(pairs[position]),
        )  # fmt: skip
    starts = given.in_window(runs[stretch_starts(holds)])
    findings = []
    for activity_id, run in rows(starts):
        n = int(count[runs.index.get_loc(activity_id)])
        message = (
            f"All {n} runs of the {settings['window_days']:g} days to {day_text(run['day'])} were "
            f"in one pair ('{_shown(run['shoe'])}'). Runners who used more than one pair "
            "concurrently had fewer running injuries (HR 0.61, Malisoux 2015)."
        )
        findings.append(
            SHOE_ROTATION.finding(
                day=run["day"],
                severity="info",
                value=n,
                threshold=settings["min_runs"],
                unit="runs in one pair",
                message=message,
                activity_id=activity_id,
                window=(run["day"] - pd.Timedelta(days=settings["window_days"] - 1), run["day"]),
                details={"shoe": run["shoe"]},
            )
        )
    return findings


def _pairs_worn(codes: np.ndarray, days: np.ndarray, window_days: int) -> np.ndarray:
    """For each run (oldest first), how many different pairs the runs of the ``window_days``
    to its day wore, up to and including it (``codes``: each run's pair, -1 for none)."""
    ends = np.arange(1, len(codes) + 1)
    if not (days[1:] >= days[:-1]).all():  # days out of order (a hand-built history)
        return np.array([
            len(set(codes[: end][(days[: end] > days[end - 1] - np.timedelta64(window_days, "D"))
                                 & (codes[: end] >= 0)]))
            for end in ends
        ], dtype="int64")  # fmt: skip
    starts = np.searchsorted(days, days - np.timedelta64(window_days, "D"), side="right")
    worn = np.zeros(len(codes), dtype="int64")
    for code in range(int(codes.max(initial=-1)) + 1):  # a few pairs: one pass each
        seen = np.concatenate([[0], np.cumsum(codes == code)])
        worn += (seen[ends] - seen[starts]) > 0
    return worn


def _pairs_in_service(history) -> set[str]:
    """Names of the pairs not retired: the shoes frame's, plus pairs only named by runs."""
    shoes = history.shoes
    retired = shoes["retired"].fillna(False).astype(bool) if "retired" in shoes else False
    listed = set(shoes.loc[~retired, "name"]) if len(shoes) else set()
    known = set(shoes["name"]) if len(shoes) else set()
    named = {name for name in history.runs["shoe"].dropna() if name not in known}
    return listed | named


def praise_shoe_rotation(result: RuleResult, profile: Profile) -> str | None:
    pairs = result.checks[-1].details["pairs"]
    if pairs < 2:
        return None
    return (
        f"You rotated {pairs} pairs over the last {result.settings['window_days']:g} days; using "
        "more than one pair was associated with fewer running injuries (Malisoux 2015)."
    )


SHOE_ROTATION = Rule(
    id="shoe_rotation",
    factor="shoes",
    evidence="moderate–weak",
    citation="Malisoux 2015, doi:10.1111/sms.12154",
    trigger="every run of the last 28 days in a single pair (information)",
    remedy="Rotate two or more pairs of shoes.",
    defaults={"window_days": 28, "min_runs": 4},
    check=check_shoe_rotation,
    max_severity="info",
    praise=praise_shoe_rotation,
    explains={
        "window_days": "days in which every run in one pair is noted [days]",
        "min_runs": "runs those days need [runs]",
    },
)


#: Longest shoe name a message quotes [characters]: names come from logs and exports, and one of
#: 10,000 characters must not fill a report; ``details["shoe"]`` keeps the whole name.
SHOWN_NAME_LIMIT = 40


def _shown(name: object) -> str:
    return short_text(str(name), SHOWN_NAME_LIMIT)
