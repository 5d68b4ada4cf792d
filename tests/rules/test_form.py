from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from synthetic import summary_runs, weekly_pattern

from stridewise.history import History
from stridewise.rules import evaluate

START = date(2026, 1, 5)
WEEK = [8.0, None, 8.0, None, 8.0, None, None]  # 3 runs a week


def cadence_history(last_cadence: float, baseline=172.0) -> History:
    frame = summary_runs(START, weekly_pattern(4, WEEK) + [8.0], avg_cadence_spm=baseline)
    frame.loc[frame.index[-1], "avg_cadence_spm"] = last_cadence
    return History.from_frames(frame)


def test_cadence_below_the_speed_matched_baseline():
    [finding] = evaluate(cadence_history(170.0, baseline=180.0), rule_ids=["cadence"]).findings
    assert finding.value == pytest.approx((170 / 180 - 1) * 100)  # -5.56 %
    assert finding.threshold == -5.0
    assert finding.severity == "caution" and finding.factor == "form"
    assert finding.evidence == "weak (mechanics; injury evidence limited)"
    assert finding.date == date(2026, 2, 2) and finding.activity_id == 13
    assert finding.details["baseline_runs"] == 12


def test_cadence_near_miss():
    # -4.44 %, and above the population figure: nothing at all
    assert evaluate(cadence_history(172.0, baseline=180.0), rule_ids=["cadence"]).findings == []


def test_a_low_cadence_also_gets_the_population_hint_quoting_the_studys_figure():
    found = evaluate(cadence_history(160.0), rule_ids=["cadence"]).findings
    assert [(f.severity, f.value) for f in found] == [
        ("caution", pytest.approx((160 / 172 - 1) * 100)),
        ("info", 160.0),  # at or under 166 steps/min (Luedke 2016): information only
    ]
    assert found[1].threshold == 166.0 and "166 or less" in found[1].message


def test_cadence_population_hint_once_per_stretch():
    frame = summary_runs(START, weekly_pattern(2, WEEK), avg_cadence_spm=150.0)
    found = evaluate(History.from_frames(frame), rule_ids=["cadence"])
    [hint] = found.findings
    assert hint.severity == "info" and hint.value == 150.0 and hint.threshold == 166.0
    assert hint.date == START
    # too few runs for a baseline: the rule says only the hint was checked
    assert "only the population hint was checked" in found.not_evaluated[0]["reason"]


def test_cadence_needs_cadence():
    frame = summary_runs(START, weekly_pattern(3, WEEK))
    result = evaluate(History.from_frames(frame), rule_ids=["cadence"])
    assert result.not_evaluated == [
        {"rule": "cadence", "reason": "no run with cadence (records or summary)"}
    ]


def balance_history(balances, speed_cv=0.03) -> History:
    frame = summary_runs(START, weekly_pattern(4, WEEK)[: 2 * len(balances)])
    frame = frame.iloc[: len(balances)]
    cvs = speed_cv if isinstance(speed_cv, list) else [speed_cv] * len(balances)
    metrics = pd.DataFrame(
        {"balance_pct": balances, "steady_speed_cv": cvs}, index=pd.Index(frame["id"])
    )
    return History.from_frames(frame, run_metrics=metrics)


def test_gct_balance_shift_from_baseline_is_information():
    balances = [50.0, 50.2, 49.9, 50.1, 50.0, 51.8]
    [finding] = evaluate(balance_history(balances), rule_ids=["gct_balance"]).findings
    assert finding.severity == "info" and finding.evidence == "convention"
    assert finding.value == pytest.approx(1.8) and finding.threshold == 1.5
    assert finding.unit == "points"
    assert finding.date == date(2026, 1, 16) and finding.activity_id == 6
    assert "not associated with injury" in finding.message


def test_gct_balance_near_miss():
    balances = [50.0, 50.2, 49.9, 50.1, 50.0, 51.4]
    assert evaluate(balance_history(balances), rule_ids=["gct_balance"]).findings == []


def test_an_asymmetric_runner_at_their_own_baseline_is_not_flagged():
    # steadily 52.6 % left: outside Garmin's colour band, but asymmetry itself was not associated
    # with injury (Malisoux 2024): only a change from the runner's own baseline is shown
    assert evaluate(balance_history([52.6] * 6), rule_ids=["gct_balance"]).findings == []


def test_gct_balance_reads_steady_runs_only():
    # the shifted run was intervals (1-minute speeds varying by 25 %): left out
    balances = [50.0, 50.2, 49.9, 50.1, 50.0, 51.8]
    history = balance_history(balances, speed_cv=[0.03] * 5 + [0.25])
    result = evaluate(history, rule_ids=["gct_balance"])
    assert result.findings == []


def test_gct_balance_needs_running_dynamics():
    frame = summary_runs(START, [8.0, None, 8.0])
    result = evaluate(History.from_frames(frame), rule_ids=["gct_balance"])
    assert "no run with ground-contact balance records" in result.not_evaluated[0]["reason"]
    assert np.isnan(History.from_frames(frame).runs["balance_pct"]).all()
