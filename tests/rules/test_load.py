"""Load rules as RULES.md states them: a trigger and a near miss each, with hand-computed values."""

from __future__ import annotations

from datetime import date, timedelta

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


# -- session_spike ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("last_km", "severity", "threshold"),
    [
        (12.0, "caution", 10.0),  # +20 %: the small band (HR 1.64)
        (16.0, "caution", 10.0),  # +60 %: the 30-100 % band overlaps it (HR 1.52): caution
        (21.0, "warning", 100.0),  # +110 % on a run over 5 km: the large band (HR 2.28)
    ],
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
    assert "previous 30 days" in finding.message
    assert finding.evidence == "moderate"
    assert "doi:10.1136/bjsports-2024-109380" in finding.citation


def test_session_spike_near_miss_at_exactly_10_percent():
    found, _ = findings(summary_runs(START, every_other_day(11.0)), "session_spike")
    assert found == []


def test_session_spike_needs_a_kilometre_more_not_only_a_share():
    # 3.6 km after 3 km runs: +20 %, but only 0.6 km more -> quiet; 4.1 km (+1.1 km) -> caution
    assert findings(summary_runs(START, every_other_day(3.6, km=3.0)), "session_spike")[0] == []
    [finding] = findings(summary_runs(START, every_other_day(4.1, km=3.0)), "session_spike")[0]
    assert finding.severity == "caution"


def test_a_big_share_of_a_short_run_is_at_most_a_caution():
    # 4.3 km after 1.9 km runs: +126 %, but a run of 5 km or less is at most a caution
    [finding] = findings(summary_runs(START, every_other_day(4.3, km=1.9)), "session_spike")[0]
    assert finding.severity == "caution"
    assert finding.value == pytest.approx((4.3 / 1.9 - 1) * 100)
    # and 5.3 km after 2.5 km (+112 %, over 5 km) is a warning
    [warned] = findings(summary_runs(START, every_other_day(5.3, km=2.5)), "session_spike")[0]
    assert warned.severity == "warning"


def test_session_spike_looks_back_30_days_only():
    distances = every_other_day(14.0)
    distances[8] = 20.0  # 2026-01-13: 32 days before the last run, out of the window
    [finding] = findings(summary_runs(START, distances), "session_spike")[0]
    assert finding.details["previous_longest_km"] == 10.0


def test_session_spike_evaluates_after_14_days_and_says_how_many_days_it_compared():
    # runs every other day from day 0; a +33 % run on day 18: 18 days of history before it
    distances = [7.5 if d % 2 == 0 else None for d in range(18)] + [10.0]
    [finding] = findings(summary_runs(START, distances), "session_spike")[0]
    assert finding.value == pytest.approx(33.33, abs=0.01)
    assert "the 18 days your history covers before it" in finding.message
    # day 12: under 14 days of history, not compared (comeback judges the first 14 days)
    early = [7.5 if d % 2 == 0 else None for d in range(12)] + [10.0]
    found, skipped = findings(summary_runs(START, early), "session_spike")
    assert found == []
    assert skipped[0]["reason"].startswith("needs 14 days of running before a run")


def test_session_spike_leaves_the_first_days_back_from_a_break_to_comeback():
    # 10 km runs, 20 days off, back with 4 km then 6 km three days later: +50 % over the
    # return run, but within 14 days of the return: comeback's, not session_spike's
    distances = every_other_day(4.0) + [None, None, 6.0]
    distances[21:40] = [None] * 19
    found, _ = findings(summary_runs(START, distances), "session_spike")
    assert found == []


# -- comeback -----------------------------------------------------------------------------------
def test_a_first_ever_run_over_5_km_is_a_comeback_caution():
    [finding] = findings(summary_runs(START, [12.7]), "comeback")[0]
    assert finding.severity == "caution"
    assert (finding.value, finding.threshold, finding.unit) == (12.7, 5.0, "km")
    assert "first 14 days of your running history" in finding.message
    assert finding.evidence == "convention"
    # near miss: a first run of 4.8 km
    assert findings(summary_runs(START, [4.8]), "comeback")[0] == []


def test_a_beginner_building_from_2_km_is_not_flagged():
    distances = [2.0, None, 2.5, None, 3.0, None, 3.0, None, 3.5, None, 4.0, None, 4.0]
    assert findings(summary_runs(START, distances), "comeback")[0] == []
    assert findings(summary_runs(START, distances), "session_spike")[0] == []


def test_a_return_after_73_days_longer_than_half_the_longest_before_is_flagged():
    # 14 km the longest of the 30 days before the break; back after 73 days with 12.1 km
    before = [10.0, None, 14.0, None, 10.0]
    distances = before + [None] * 72 + [12.1]
    found = findings(summary_runs(START, distances), "comeback")[0]
    # the history's first runs (10 km > 5 km, then a longer 14 km) are a comeback too
    *first, finding = found
    assert [(f.value, f.details["days_off"]) for f in first] == [(10.0, None), (14.0, None)]
    assert finding.threshold == 7.0  # 50 % of 14 km
    assert finding.value == 12.1
    assert finding.details["days_off"] == 73
    assert "Back after 73 days without running" in finding.message
    # near miss: back with 6.5 km, under 7 km
    calm = before + [None] * 72 + [6.5]
    assert [f.value for f in findings(summary_runs(START, calm), "comeback")[0]] == [10.0, 14.0]


def test_a_comeback_is_reported_again_only_for_a_longer_run():
    # back after 38 days: 9.6 km, then 8 km, then 11 km within the 14 days back
    before = [10.0, None, 12.0]
    back = [9.6, None, 8.0, None, None, 11.0]
    found, _ = findings(summary_runs(START, before + [None] * 37 + back), "comeback")
    # the history's first runs (10 km, then a longer 12 km), then the return: 9.6 and 11 km
    assert [f.value for f in found] == [10.0, 12.0, 9.6, 11.0]
    # 15 days after the return the run is session_spike's again: not comeback's
    late = before + [None] * 37 + [5.0] + [None] * 6 + [5.0] + [None] * 6 + [11.0]
    assert [f.value for f in findings(summary_runs(START, late), "comeback")[0]] == [10.0, 12.0]


# -- weekly_jump --------------------------------------------------------------------------------
def weeks_of(*weekly_km: float) -> list[float | None]:
    """One run on each of Monday, Wednesday, Friday and Sunday: the week's km in four."""
    days: list[float | None] = []
    for km in weekly_km:
        days += [km / 4, None, km / 4, None, km / 4, None, km / 4]
    return days


def test_weekly_jump_over_the_mean_of_three_weeks():
    found, _ = findings(summary_runs(START, weeks_of(20, 20, 20, 27)), "weekly_jump")
    [finding] = found
    assert finding.severity == "caution"
    assert finding.value == pytest.approx(135.0)
    assert finding.threshold == 130.0
    assert finding.details["baseline_km"] == pytest.approx(20.0)
    assert finding.date == date(2026, 2, 1)  # Sunday of the fourth week
    assert finding.window == (date(2026, 1, 26), date(2026, 2, 1))
    assert finding.evidence == "weak"


def test_weekly_jump_after_a_small_week_is_judged_against_three_weeks():
    # 23.6 km after 5.8 km: the week before alone was too small to compare, three weeks are not
    # (mean of 20, 18 and 5.8 = 14.6 km; 23.6 / 14.6 = 162 %, 9 km more)
    [finding] = findings(summary_runs(START, weeks_of(20, 18, 5.8, 23.6)), "weekly_jump")[0]
    assert finding.value == pytest.approx(23.6 / ((20 + 18 + 5.8) / 3) * 100)


@pytest.mark.parametrize(
    "weeks",
    [
        (20, 20, 20, 26),  # exactly 130 %
        (30, 33, 24, 36),  # the week after a cutback: 124 % of the block's mean
        (23.2, 20, 12.6, 20.8),  # after a travel week: 112 % of the mean
        (6, 6, 6, 10.5),  # 175 %, but only 4.5 km more
        (4, 4, 4, 9),  # a mean under 5 km
    ],
)
def test_weekly_jump_near_misses(weeks):
    assert findings(summary_runs(START, weeks_of(*weeks)), "weekly_jump")[0] == []


def test_weekly_jump_compares_a_week_still_running_week_to_date():
    distances = weeks_of(20, 20, 20) + [15.0, None, 12.0]
    [finding] = findings(summary_runs(START, distances), "weekly_jump")[0]
    assert finding.date == date(2026, 1, 28)  # the history's last day, not the coming Sunday


def test_weekly_jump_needs_three_complete_weeks():
    found, skipped = findings(summary_runs(START, weeks_of(20, 20, 40)), "weekly_jump")
    assert found == []
    assert skipped == [
        {
            "rule": "weekly_jump",
            "reason": "needs 3 complete weeks of history before the week it checks",
        }
    ]


# -- acwr ---------------------------------------------------------------------------------------
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
        assert "starting at the first week's mean" in finding.message
    assert len({f.date.isocalendar()[1] for f in found}) == len(found)  # once per ISO week


def test_acwr_is_hidden_for_the_first_28_days():
    early_surge = [3.0] * 5 + [20.0] * 10 + [5.0] * 10
    found, skipped = findings(summary_runs(START, early_surge), "acwr")
    assert found == []
    assert skipped[0]["reason"] == "hidden for the first 28 days of history"


def test_acwr_near_miss_steady_training():
    steady = weekly_pattern(8, [8.0, None, 8.0, 8.0, None, 8.0, 8.0])
    assert findings(summary_runs(START, steady), "acwr")[0] == []


def test_a_steady_first_month_does_not_look_like_a_jump():
    # the EWMA starts at the first week's mean, so steady training from day 1 reads ~1.0
    steady = weekly_pattern(6, [8.0, None, 8.0, 8.0, None, 8.0, 8.0])
    ratios = acute_chronic(History.from_frames(summary_runs(START, steady)))["ratio_ewma"]
    day = pd_timestamp(START + timedelta(days=28))
    assert ratios[day] == pytest.approx(1.0, abs=0.15)


def pd_timestamp(day: date):
    import pandas as pd

    return pd.Timestamp(day)
