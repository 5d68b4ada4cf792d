from __future__ import annotations

import math
from datetime import date

import pytest
from synthetic import summary_runs, weekly_pattern

from stridewise.history import History
from stridewise.rules import evaluate

START = date(2026, 1, 5)


def monotony_findings(week, weeks=3):
    frame = summary_runs(START, weekly_pattern(weeks, week))
    return evaluate(History.from_frames(frame), rule_ids=["monotony"]).findings


def test_monotony_of_six_equal_days_and_one_rest_day():
    found = monotony_findings([10.0, 10.0, 10.0, None, 10.0, 10.0, 10.0])
    # mean 60/7, population variance 600/7 - (60/7)^2 = 600/49: monotony = 60/sqrt(600) = 2.449
    assert len(found) == 3  # one per ISO week, not one per day
    first = found[0]
    assert first.value == pytest.approx(60 / math.sqrt(600))
    assert first.threshold == 2.0 and first.severity == "caution"
    assert first.date == date(2026, 1, 11)  # the first full 7-day window
    assert first.window == (date(2026, 1, 5), date(2026, 1, 11))
    assert first.details["strain"] == pytest.approx(60 * 60 / math.sqrt(600))


def test_monotony_near_miss_with_two_rest_days():
    # 5 equal days and 2 rest days: monotony 50/sqrt(1000) = 1.58
    assert monotony_findings([10.0, None, 10.0, 10.0, None, 10.0, 10.0]) == []
