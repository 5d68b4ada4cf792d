"""Rest days (no training at all) and training streaks, as RULES.md states them."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from synthetic import summary_runs, weekly_pattern

from stridewise.history import History
from stridewise.rules import evaluate

START = date(2026, 1, 5)


def rest_findings(distances, others=()):
    """``others``: (day offset, sport, sub_sport) of sessions that are not runs."""
    frame = summary_runs(START, distances)
    extra = pd.DataFrame(
        [
            {
                "local_date": START + timedelta(days=offset),
                "distance_km": 20.0,
                "duration_s": 3600.0,
                "sport": sport,
                "sub_sport": sub_sport,
            }
            for offset, sport, sub_sport in others
        ]
    )
    if len(extra):
        frame["sport"] = "running"
        extra["id"] = range(len(frame) + 1, len(frame) + len(extra) + 1)
        frame = pd.concat([frame, extra], ignore_index=True)
    return evaluate(History.from_frames(frame), rule_ids=["rest_days"])


def test_one_rest_day_a_week_is_a_caution_once_per_week():
    found = rest_findings(weekly_pattern(3, [8.0, 8.0, None, 8.0, 8.0, 8.0, 8.0])).findings
    assert [(f.date, f.severity, f.value, f.threshold) for f in found] == [
        (date(2026, 1, 11), "caution", 1.0, 2.0),
        (date(2026, 1, 12), "caution", 1.0, 2.0),
        (date(2026, 1, 19), "caution", 1.0, 2.0),
    ]
    assert found[0].window == (date(2026, 1, 5), date(2026, 1, 11))
    assert found[0].unit == "rest days in 7"
    assert found[0].evidence == "weak"


def test_seven_training_days_in_a_row_is_a_caution_on_the_seventh_day():
    calm = weekly_pattern(1, [8.0, None, 8.0, 8.0, None, 8.0, None])
    found = rest_findings(calm + [5.0] * 9 + [None, 5.0]).findings
    streaks = [f for f in found if f.unit == "consecutive training days"]
    [streak] = streaks
    assert streak.severity == "caution"  # weak evidence: never above caution
    assert streak.date == date(2026, 1, 18)  # streak from Jan 12: its 7th day
    assert streak.value == 9.0 and streak.threshold == 7.0
    assert streak.window == (date(2026, 1, 12), date(2026, 1, 20))
    # the streak explains the short rest in those weeks: no other caution beside it
    assert found == streaks


def test_rest_days_near_miss_two_rest_days_and_six_day_streaks():
    week = [8.0, 8.0, 8.0, 8.0, 8.0, 8.0, None]
    found = rest_findings([None, *weekly_pattern(3, [None, 8.0, 8.0, 8.0, 8.0, 8.0, None])])
    assert found.findings == []
    six = rest_findings([8.0, None, *week[:6], None, None, *week[:6], None, None])
    # six days in a row leave one rest day in some 7: cautions, but no streak
    assert {f.unit for f in six.findings} == {"rest days in 7"}


def test_a_bike_ride_on_a_day_without_a_run_is_not_a_rest_day():
    # runs Mon, Tue, Thu, Fri, Sat; Wednesday and Sunday off: two rest days, quiet
    week = [8.0, 8.0, None, 8.0, 8.0, 8.0, None]
    assert rest_findings(weekly_pattern(3, week)).findings == []
    # a 14.5 km ride on the third Sunday: that week has one rest day left
    found = rest_findings(weekly_pattern(3, week), [(20, "cycling", "road")]).findings
    [finding] = found
    assert finding.date == date(2026, 1, 25) and finding.value == 1.0
    assert "(1 of the other days had training but no run)" in finding.message
    assert finding.details["days_without_running"] == 2


def test_yoga_on_a_day_off_keeps_it_a_rest_day():
    week = [8.0, 8.0, None, 8.0, 8.0, 8.0, None]
    others = [(offset, "training", "yoga") for offset in (2, 6, 9, 13, 16, 20)]
    assert rest_findings(weekly_pattern(3, week), others).findings == []


def test_rest_days_need_a_week_of_history():
    result = rest_findings([5.0, 5.0, 5.0])
    assert result.not_evaluated == [{"rule": "rest_days", "reason": "needs 7 days of history"}]


def test_streak_message_gives_the_day_it_reached_the_limit_and_its_whole_length():
    frame = summary_runs(date(2026, 3, 2), [5.0] * 9)  # Mon 2 to Tue 10 March, no rest
    [finding] = evaluate(History.from_frames(frame), rule_ids=["rest_days"]).findings
    assert finding.date == date(2026, 3, 8) and finding.value == 9
    assert "You trained 7 days in a row by 2026-03-08" in finding.message
    assert "in all the streak ran 9 days" in finding.message
    assert "9 of them with a run" in finding.message
