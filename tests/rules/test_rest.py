from __future__ import annotations

from datetime import date

from synthetic import summary_runs, weekly_pattern

from stridewise.history import History
from stridewise.rules import evaluate

START = date(2026, 1, 5)


def rest_findings(distances):
    return evaluate(History.from_frames(summary_runs(START, distances)), rule_ids=["rest_days"])


def test_one_rest_day_a_week_is_a_caution_once_per_week():
    found = rest_findings(weekly_pattern(3, [8.0, 8.0, None, 8.0, 8.0, 8.0, 8.0])).findings
    assert [(f.date, f.severity, f.value, f.threshold) for f in found] == [
        (date(2026, 1, 11), "caution", 1.0, 2.0),
        (date(2026, 1, 12), "caution", 1.0, 2.0),
        (date(2026, 1, 19), "caution", 1.0, 2.0),
    ]
    assert found[0].window == (date(2026, 1, 5), date(2026, 1, 11))
    assert found[0].unit == "rest days in 7"


def test_seven_running_days_in_a_row_is_a_warning_on_the_seventh_day():
    calm = weekly_pattern(1, [8.0, None, 8.0, 8.0, None, 8.0, None])
    found = rest_findings(calm + [5.0] * 9 + [None, 5.0]).findings
    warnings = [f for f in found if f.severity == "warning"]
    [warning] = warnings
    assert warning.date == date(2026, 1, 18)  # streak from Jan 12: its 7th day
    assert warning.value == 9.0 and warning.threshold == 7.0
    assert warning.window == (date(2026, 1, 12), date(2026, 1, 20))
    # the streak explains the short rest in those weeks: no caution beside it
    assert [f for f in found if f.severity == "caution"] == []


def test_rest_days_near_miss_two_rest_days_and_six_day_streaks():
    week = [8.0, 8.0, 8.0, 8.0, 8.0, 8.0, None]
    found = rest_findings([None, *weekly_pattern(3, [None, 8.0, 8.0, 8.0, 8.0, 8.0, None])])
    assert found.findings == []
    six = rest_findings([8.0, None, *week[:6], None, None, *week[:6], None, None])
    # six days in a row leave one rest day in some 7: cautions, but no streak warning
    assert {f.severity for f in six.findings} == {"caution"}


def test_rest_days_need_a_week_of_history():
    result = rest_findings([5.0, 5.0, 5.0])
    assert result.not_evaluated == [{"rule": "rest_days", "reason": "needs 7 days of history"}]


def test_streak_message_gives_the_day_it_reached_the_limit_and_its_whole_length():
    frame = summary_runs(date(2026, 3, 2), [5.0] * 9)  # Mon 2 to Tue 10 March, no rest
    [finding] = evaluate(History.from_frames(frame), rule_ids=["rest_days"]).findings
    assert finding.date == date(2026, 3, 8) and finding.value == 9
    assert "reached 7 days in a row on" in finding.message
    assert "in all it ran 9 days" in finding.message
