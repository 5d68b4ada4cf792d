"""strength_mobility: information when 14 days of regular running hold no strength, core or
mobility session; quiet (with praise) when the runner keeps it up."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from synthetic import summary_runs, weekly_pattern

from stridewise.history import History
from stridewise.rules import evaluate

START = date(2026, 1, 5)  # a Monday
ROAD_WEEK = [8.0, None, 8.0, 8.0, None, 8.0, None]  # 4 runs a week, rest on Tue, Fri, Sun


def sessions(days: list[date], sport: str, sub_sport: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "local_date": days,
            "sport": sport,
            "sub_sport": sub_sport,
            "distance_km": 0.0,
            "duration_s": 1800.0,
            "id": range(1000, 1000 + len(days)),
        }
    )


def history_with(runs: pd.DataFrame, *others: pd.DataFrame) -> History:
    return History.from_frames(pd.concat([runs, *others], ignore_index=True))


def strength_findings(history: History, **period: date) -> list:
    return evaluate(history, rule_ids=["strength_mobility"], **period).findings


def test_running_without_strength_or_mobility_work_is_information_once_a_week() -> None:
    history = history_with(summary_runs(START, weekly_pattern(4, ROAD_WEEK)))
    findings = strength_findings(history)
    # the 14-day window is full on Sunday 18 January; then the first day of each ISO week
    assert [f.date for f in findings] == [
        date(2026, 1, 18),
        date(2026, 1, 19),
        date(2026, 1, 26),
    ]
    first = findings[0]
    assert first.severity == "info" and first.factor == "remedy"
    assert (first.value, first.threshold, first.unit) == (0.0, 1.0, "sessions")
    assert first.window == (date(2026, 1, 5), date(2026, 1, 18))
    assert first.details == {"runs": 8, "window_days": 14}
    assert first.message.startswith(
        "No strength, core or mobility session (yoga, pilates, tai chi, stretching) recorded or "
        "logged in the 14 days to 2026-01-18, while running 8 times."
    )
    assert "Steffens 2016" in first.citation and "Wieland 2017" in first.citation


def test_weekly_strength_work_keeps_it_quiet_and_is_praised() -> None:
    tuesdays = [START + timedelta(days=7 * week + 1) for week in range(4)]
    history = history_with(
        summary_runs(START, weekly_pattern(4, ROAD_WEEK)),
        sessions(tuesdays, "training", "strength_training"),
    )
    evaluation = evaluate(
        history, date(2026, 1, 26), date(2026, 2, 1), rule_ids=["strength_mobility"]
    )
    assert evaluation.findings == []
    [(rule, praise)] = evaluation.went_well(history.profile)
    assert rule == "strength_mobility"
    assert praise == (
        "You kept up strength and mobility work beside your running: 2 sessions (2 strength or "
        "core) in the 14 days to 2026-01-31."  # the history's last day: Sunday is a rest day
    )


def test_mobility_counts_as_a_remedy_and_cross_training_does_not() -> None:
    runs = summary_runs(START, weekly_pattern(4, ROAD_WEEK))
    tuesdays = [START + timedelta(days=7 * week + 1) for week in range(4)]
    pilates = history_with(runs, sessions(tuesdays, "training", "pilates"))
    assert strength_findings(pilates) == []
    rides = history_with(runs, sessions(tuesdays, "cycling", None))
    assert len(strength_findings(rides)) == 3


def test_the_first_day_fourteen_days_after_the_last_session() -> None:
    # one core session on Tuesday 6 January: the window to 19 January still holds it
    history = history_with(
        summary_runs(START, weekly_pattern(4, ROAD_WEEK)),
        sessions([date(2026, 1, 6)], "training", "core_training"),
    )
    assert [f.date for f in strength_findings(history)] == [date(2026, 1, 20), date(2026, 1, 26)]


def test_near_miss_running_less_than_twice_a_week() -> None:
    # 3 runs in every 14 days (< 2 a week): the rule does not apply
    sparse = [8.0, None, None, None, None, None, None, None, None, None, 8.0, None, None, None]
    history = history_with(summary_runs(START, sparse * 3 + [8.0]))
    evaluation = evaluate(history, rule_ids=["strength_mobility"])
    assert evaluation.findings == []
    checks = evaluation.results["strength_mobility"].checks
    assert checks and not any(check.fired for check in checks)
    assert evaluation.went_well(history.profile) == []  # nothing done, nothing to praise


def test_a_short_history_says_why_it_is_silent() -> None:
    history = history_with(summary_runs(START, [8.0, None, 8.0, 8.0, None, 8.0]))
    evaluation = evaluate(history, rule_ids=["strength_mobility"])
    assert evaluation.not_evaluated == [
        {"rule": "strength_mobility", "reason": "needs 14 days of history"}
    ]
