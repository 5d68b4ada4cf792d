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
    [finding] = evaluate(cadence_history(160.0), rule_ids=["cadence"]).findings
    assert finding.value == pytest.approx((160 / 172 - 1) * 100)  # -6.98 %
    assert finding.threshold == -5.0
    assert finding.severity == "caution" and finding.factor == "form"
    assert finding.date == date(2026, 2, 2) and finding.activity_id == 13
    assert finding.details["baseline_runs"] == 12


def test_cadence_near_miss():
    assert evaluate(cadence_history(164.0), rule_ids=["cadence"]).findings == []  # -4.65 %


def test_cadence_population_hint_once_per_stretch():
    frame = summary_runs(START, weekly_pattern(2, WEEK), avg_cadence_spm=150.0)
    found = evaluate(History.from_frames(frame), rule_ids=["cadence"])
    [hint] = found.findings
    assert hint.severity == "info" and hint.value == 150.0 and hint.threshold == 155.0
    assert hint.date == START
    # too few runs for a baseline: the rule says only the hint was checked
    assert "only the population hint was checked" in found.not_evaluated[0]["reason"]


def test_cadence_needs_cadence():
    frame = summary_runs(START, weekly_pattern(3, WEEK))
    result = evaluate(History.from_frames(frame), rule_ids=["cadence"])
    assert result.not_evaluated == [
        {"rule": "cadence", "reason": "no run with cadence (records or summary)"}
    ]


def balance_history(balances) -> History:
    frame = summary_runs(START, weekly_pattern(4, WEEK)[: 2 * len(balances)])
    frame = frame.iloc[: len(balances)]
    metrics = pd.DataFrame({"balance_pct": balances}, index=pd.Index(frame["id"]))
    return History.from_frames(frame, run_metrics=metrics)


def test_gct_balance_outside_the_band():
    found = evaluate(balance_history([50.0, 52.5, 52.6, 50.1]), rule_ids=["gct_balance"]).findings
    [finding] = found  # the second run outside the band is the same stretch
    assert finding.value == 52.5 and finding.threshold == pytest.approx(52.2)
    assert finding.unit == "% left" and finding.date == date(2026, 1, 7)


def test_gct_balance_shift_from_baseline():
    balances = [50.0, 50.2, 49.9, 50.1, 50.0, 51.8]
    [finding] = evaluate(balance_history(balances), rule_ids=["gct_balance"]).findings
    assert finding.value == pytest.approx(1.8) and finding.threshold == 1.5
    assert finding.unit == "points"
    assert finding.date == date(2026, 1, 16) and finding.activity_id == 6


def test_gct_balance_near_miss():
    balances = [50.0, 50.2, 49.9, 50.1, 50.0, 51.4]
    assert evaluate(balance_history(balances), rule_ids=["gct_balance"]).findings == []


def test_gct_balance_needs_running_dynamics():
    frame = summary_runs(START, [8.0, None, 8.0])
    result = evaluate(History.from_frames(frame), rule_ids=["gct_balance"])
    assert "no run with ground-contact balance records" in result.not_evaluated[0]["reason"]
    assert np.isnan(History.from_frames(frame).runs["balance_pct"]).all()
