from __future__ import annotations

from datetime import date

import pytest
from synthetic import summary_runs, weekly_pattern

from stridewise.history import History, acute_chronic
from stridewise.rules import evaluate

START = date(2026, 1, 5)  # a Monday


def every_other_day(last_km: float, days: int = 40, km: float = 10.0) -> list[float | None]:
    distances: list[float | None] = [km if d % 2 == 0 else None for d in range(days)]
    return [*distances, last_km]  # the last run is on day `days` (2026-02-14 for 40)


def findings(frame, rule: str, **kwargs):
    evaluation = evaluate(History.from_frames(frame, **kwargs), rule_ids=[rule])
    return evaluation.findings, evaluation.not_evaluated


@pytest.mark.parametrize(
    ("last_km", "severity", "threshold"),
    [(12.0, "caution", 10.0), (14.0, "warning", 30.0), (21.0, "high", 100.0)],
)
def test_session_spike_bands(last_km, severity, threshold):
    found, _ = findings(summary_runs(START, every_other_day(last_km)), "session_spike")
    [finding] = found
    assert finding.severity == severity
    assert finding.threshold == threshold
    assert finding.value == pytest.approx((last_km / 10.0 - 1) * 100)
    assert finding.date == date(2026, 2, 14)
    assert finding.activity_id == 21
    assert finding.unit == "%"
    assert "associated with" in finding.message and "causes" not in finding.message
    assert finding.evidence == "moderate"
    assert "doi:10.1136/bjsports-2024-109380" in finding.citation


def test_session_spike_near_miss_at_exactly_10_percent():
    found, _ = findings(summary_runs(START, every_other_day(11.0)), "session_spike")
    assert found == []


def test_session_spike_looks_back_30_days_only():
    distances = every_other_day(14.0)
    distances[8] = 20.0  # 2026-01-13: 32 days before the last run, out of the window
    [finding] = findings(summary_runs(START, distances), "session_spike")[0]
    assert finding.details["previous_longest_km"] == 10.0


def test_session_spike_needs_30_days_of_history():
    found, skipped = findings(summary_runs(START, every_other_day(20.0, days=20)), "session_spike")
    assert found == []
    assert skipped == [
        {
            "rule": "session_spike",
            "reason": "needs 30 days of history before a run to compare it with",
        }
    ]


def test_weekly_jump_when_a_week_is_over_130_percent_of_the_last():
    week = [5.0, None, 5.0, 5.0, None, 5.0, None]  # 20 km
    jump = [5.0, None, 7.0, 5.0, None, 5.0, 5.0]  # 27 km = 135 %
    found, _ = findings(summary_runs(START, weekly_pattern(2, week) + jump), "weekly_jump")
    [finding] = found
    assert finding.severity == "caution"
    assert finding.value == pytest.approx(135.0)
    assert finding.threshold == 130.0
    assert finding.date == date(2026, 1, 25)  # Sunday of the third week
    assert finding.window == (date(2026, 1, 19), date(2026, 1, 25))


def test_weekly_jump_near_misses():
    week = [5.0, None, 5.0, 5.0, None, 5.0, None]
    exactly_130 = [5.0, None, 6.0, 5.0, None, 5.0, 5.0]  # 26 km
    assert (
        findings(summary_runs(START, weekly_pattern(2, week) + exactly_130), "weekly_jump")[0] == []
    )
    small = [2.0, None, 2.0, 2.0, None, 2.0, None]  # 8 km: under the 10 km floor
    doubled = [4.0, None, 4.0, 4.0, None, 4.0, None]
    assert findings(summary_runs(START, weekly_pattern(2, small) + doubled), "weekly_jump")[0] == []


def test_weekly_jump_compares_a_week_still_running_week_to_date():
    week = [5.0, None, 5.0, 5.0, None, 5.0, None]
    found, _ = findings(
        summary_runs(START, weekly_pattern(2, week) + [15.0, None, 12.0]), "weekly_jump"
    )
    [finding] = found
    assert finding.date == date(2026, 1, 21)  # the history's last day, not the coming Sunday


def test_acwr_is_information_only_and_matches_the_ewma_ratio():
    steady = weekly_pattern(5, [8.0, None, 8.0, 8.0, None, 8.0, 8.0])
    surge = [16.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0]
    frame = summary_runs(START, steady + surge)
    history = History.from_frames(frame)
    found = evaluate(history, rule_ids=["acwr"]).findings
    assert found and {f.severity for f in found} == {"info"}
    ratios = acute_chronic(history)["ratio_ewma"]
    for finding in found:
        assert finding.value == pytest.approx(ratios[str(finding.date)])
        assert finding.value > 1.5
        assert "information only" in finding.message.lower()
    assert len({f.date.isocalendar()[1] for f in found}) == len(found)  # once per ISO week


def test_acwr_is_hidden_for_the_first_28_days():
    early_surge = [3.0] * 5 + [20.0] * 10 + [5.0] * 10
    found, skipped = findings(summary_runs(START, early_surge), "acwr")
    assert found == []
    assert skipped[0]["reason"] == "hidden for the first 28 days of history"


def test_acwr_near_miss_steady_training():
    steady = weekly_pattern(8, [8.0, None, 8.0, 8.0, None, 8.0, 8.0])
    assert findings(summary_runs(START, steady), "acwr")[0] == []
