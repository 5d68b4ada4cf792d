"""resting_hr_rise and short_sleep: trigger, near miss and silence, against hand-computed means."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from synthetic import summary_runs

from stridewise.history import History
from stridewise.rules import evaluate

FIRST = date(2026, 1, 1)  # a Thursday; day 66 is Sunday 8 March


def wellness_history(resting: list[float | None] | None = None, sleep_h=None) -> History:
    days = max(len(resting or []), len(sleep_h or []))
    frame = pd.DataFrame({"date": [FIRST + timedelta(days=i) for i in range(days)]})
    if resting is not None:
        frame["resting_hr_bpm"] = [np.nan if v is None else v for v in resting]
    if sleep_h is not None:
        frame["sleep_s"] = [np.nan if v is None else v * 3600.0 for v in sleep_h]
    runs = summary_runs(FIRST, [8.0, None] * (days // 2 + 1))
    return History.from_frames(runs, wellness=frame)


def resting_findings(history: History) -> list:
    return evaluate(history, rule_ids=["resting_hr_rise"]).findings


def test_a_week_five_beats_above_the_sixty_day_baseline() -> None:
    # days 0-59 at 50 bpm, days 60-66 at 56: day 65's week is (50 + 6 x 56) / 7 = 55.14 (+5.14),
    # day 66's 56 (+6), both in the ISO week of 2 to 8 March: reported once, on the worst day
    history = wellness_history([50.0] * 60 + [56.0] * 7)
    [finding] = resting_findings(history)
    assert finding.date == date(2026, 3, 8)
    assert finding.severity == "caution" and finding.factor == "recovery"
    assert finding.value == 56.0 and finding.threshold == 55.0 and finding.unit == "bpm"
    assert finding.details == {"baseline_bpm": 50.0, "rise_bpm": 6.0, "measured_days": 7}
    assert finding.window == (date(2026, 3, 2), date(2026, 3, 8))
    assert finding.message.startswith(
        "Resting heart rate averaged 56 bpm over the 7 days to 2026-03-08 (7 of 7 measured), "
        "6 bpm above its 60-day baseline of 50 bpm."
    )
    checks = evaluate(history, rule_ids=["resting_hr_rise"]).results["resting_hr_rise"].checks
    by_day = {check.day: check for check in checks}
    assert (
        by_day[date(2026, 3, 7)].value == pytest.approx(386 / 7) and by_day[date(2026, 3, 7)].fired
    )
    assert not by_day[date(2026, 3, 6)].fired  # (2 x 50 + 5 x 56) / 7 = 54.29, +4.29


def test_near_miss_four_beats_above() -> None:
    history = wellness_history([50.0] * 60 + [54.0] * 7)
    evaluation = evaluate(history, rule_ids=["resting_hr_rise"])
    assert evaluation.findings == []
    assert evaluation.went_well(history.profile) == [
        (
            "resting_hr_rise",
            "Your resting heart rate stayed near its baseline: 54 bpm over the 7 days to "
            "2026-03-08, against 50 bpm before.",
        )
    ]


def test_a_week_with_three_of_seven_days_measured_is_not_judged() -> None:
    # days 55-59 unmeasured, then 60 bpm on days 60, 62 and 64 only: no 7 days hold 4 measured
    resting = [50.0] * 55 + [None] * 5 + [60.0, None, 60.0, None, 60.0, None, None]
    history = wellness_history(resting)
    checks = evaluate(history, rule_ids=["resting_hr_rise"]).results["resting_hr_rise"].checks
    assert resting_findings(history) == []
    assert max(check.day for check in checks) < date(2026, 3, 2)  # the last judged week: day 60


def test_without_wellness_the_recovery_rules_say_why_they_are_silent() -> None:
    history = History.from_frames(summary_runs(FIRST, [8.0, None] * 30))
    evaluation = evaluate(history, rule_ids=["resting_hr_rise", "short_sleep"])
    assert evaluation.not_evaluated == [
        {
            "rule": "resting_hr_rise",
            "reason": "no resting heart rate recorded (it comes from a watch's daily wellness "
            "data: a Garmin export or Apple Health)",
        },
        {
            "rule": "short_sleep",
            "reason": "no sleep recorded (it comes from a watch's sleep tracking: a Garmin "
            "export or Apple Health)",
        },
    ]


def test_a_short_resting_heart_rate_record_needs_its_baseline() -> None:
    evaluation = evaluate(wellness_history([50.0] * 20), rule_ids=["resting_hr_rise"])
    assert evaluation.not_evaluated == [
        {
            "rule": "resting_hr_rise",
            "reason": "needs a 60-day resting heart rate baseline (21 days measured) before a "
            "week with 4 of 7 days measured; 20 days are measured",
        }
    ]


def test_short_sleep_under_seven_hours_a_night() -> None:
    # 7 nights to Wednesday 7 January: (4 x 7.5 + 3 x 6) / 7 = 6.857 h; the 6 nights to the
    # Tuesday hold (30 + 12) / 6 = 7.0 h, not under 7
    history = wellness_history(sleep_h=[7.5, 7.5, 7.5, 7.5, 6.0, 6.0, 6.0])
    [finding] = evaluate(history, rule_ids=["short_sleep"]).findings
    assert finding.date == date(2026, 1, 7) and finding.severity == "info"
    assert finding.value == pytest.approx(48 / 7) and finding.threshold == 7.0
    assert finding.message.startswith(
        "Sleep averaged 6.9 hours a night over the 7 nights to 2026-01-07 (7 of 7 measured), "
        "under 7 hours."
    )
    assert "Milewski 2014" in finding.message


def test_short_sleep_near_miss_seven_hours_exactly() -> None:
    history = wellness_history(sleep_h=[7.0] * 7)
    evaluation = evaluate(history, rule_ids=["short_sleep"])
    assert evaluation.findings == []
    [(_, praise)] = evaluation.went_well(history.profile)
    assert praise == "You slept 7.0 hours a night on average over the 7 nights to 2026-01-07."


def test_short_sleep_needs_four_nights_of_seven() -> None:
    # 3 short nights measured: under 4 of 7, nothing is judged
    history = wellness_history(sleep_h=[5.0, None, 5.0, None, 5.0, None, None])
    evaluation = evaluate(history, rule_ids=["short_sleep"])
    assert evaluation.not_evaluated == [
        {
            "rule": "short_sleep",
            "reason": "needs sleep measured on 4 of 7 nights; 3 nights are measured",
        }
    ]
