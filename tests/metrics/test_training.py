from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from stridewise.metrics.training import (
    PMC_CONVENTION,
    acute_chronic,
    daily_load,
    foster_monotony,
    pmc,
)


def constant(load: float, days: int, start: str = "2026-01-05") -> pd.Series:
    return pd.Series(load, index=pd.date_range(start, periods=days, freq="D", name="day"))


@pytest.mark.parametrize("days", [1, 7, 42, 100])
def test_ctl_and_atl_after_n_days_of_constant_load_follow_the_closed_form(days):
    chart = pmc(constant(80.0, days))
    # CTL_N = L (1 - e^(-N/42)), ATL_N = L (1 - e^(-N/7)), starting from 0
    assert_allclose(chart["ctl"].iloc[-1], 80.0 * (1 - math.exp(-days / 42)), rtol=1e-12)
    assert_allclose(chart["atl"].iloc[-1], 80.0 * (1 - math.exp(-days / 7)), rtol=1e-12)


def test_tsb_is_yesterdays_ctl_minus_atl_and_ramp_is_a_7_day_ctl_change():
    load = constant(50.0, 30).where(lambda s: s.index.day % 3 != 0, 0.0)
    chart = pmc(load)
    assert chart["tsb"].iloc[0] == 0.0
    assert_allclose(chart["tsb"].iloc[1:].to_numpy(), (chart["ctl"] - chart["atl"]).iloc[:-1])
    assert_allclose(chart["ramp"].iloc[10], chart["ctl"].iloc[10] - chart["ctl"].iloc[3])
    assert "e^(-1/N)" in PMC_CONVENTION and "TSB_t = CTL_{t-1} - ATL_{t-1}" in PMC_CONVENTION


def test_uncoupled_chronic_is_the_mean_week_of_days_t27_to_t7():
    # 21 days at 10, then 7 days at 30: on day 28 acute = 210, chronic = 210 / 3 = 70 a week
    load = pd.concat([constant(10.0, 21), constant(30.0, 7, "2026-01-26")])
    table = acute_chronic(load)
    last = table.iloc[-1]
    assert last["acute"] == 210.0
    assert last["chronic"] == 70.0
    assert last["ratio_uncoupled"] == 3.0
    assert table["chronic"].iloc[:27].isna().all()  # no chronic before 28 days


def test_ewma_loads_start_at_the_first_weeks_mean_and_follow_their_closed_form():
    # a steady load stays where it started: the first week's mean (RULES.md)
    steady = acute_chronic(constant(20.0, 10))
    assert_allclose(steady["ewma_acute"].to_numpy(), 20.0)
    assert_allclose(steady["ewma_chronic"].to_numpy(), 20.0)
    # 7 days at 10 then 7 at 30: EWMA_N = L + (start - L)(1 - lambda)^N, lambda = 2 / (N + 1)
    load = pd.concat([constant(10.0, 7), constant(30.0, 7)], ignore_index=True)
    load.index = pd.date_range("2026-03-02", periods=14, freq="D")
    table = acute_chronic(load)
    assert_allclose(table["ewma_acute"].iloc[-1], 30 + (10 - 30) * (1 - 2 / 8) ** 7)
    assert_allclose(table["ewma_chronic"].iloc[-1], 30 + (10 - 30) * (1 - 2 / 29) ** 7)


def test_monotony_and_strain_of_a_week_with_two_rest_days():
    # loads 10,0,10,10,0,10,10: mean 50/7, variance 500/7 - (50/7)^2 = 1000/49, SD = sqrt(1000)/7
    # monotony = (50/7) / (sqrt(1000)/7) = 50/sqrt(1000) = 1.5811; strain = 50 x 1.5811 = 79.06
    week = pd.Series([10.0, 0, 10, 10, 0, 10, 10], index=pd.date_range("2026-01-05", periods=7))
    last = foster_monotony(week).iloc[-1]
    assert_allclose(last["monotony"], 50 / math.sqrt(1000))
    assert_allclose(last["strain"], 50 * 50 / math.sqrt(1000))
    assert last["weekly_load"] == 50.0


def test_monotony_of_identical_days_is_capped_by_the_sd_floor():
    last = foster_monotony(constant(40.0, 7)).iloc[-1]
    assert_allclose(last["monotony"], 10.0)  # SD floored at 10 % of the mean


def test_monotony_of_a_week_without_load_is_undefined_and_first_six_days_too():
    table = foster_monotony(constant(0.0, 9))
    assert table["monotony"].isna().all()


def test_daily_load_sums_double_days_and_zero_fills_rest_days():
    days = pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-08"])
    load = daily_load(days, pd.Series([30.0, 20.0, 40.0]), end=pd.Timestamp("2026-01-10"))
    assert load.index[0] == pd.Timestamp("2026-01-05")
    assert load.tolist() == [50.0, 0.0, 0.0, 40.0, 0.0, 0.0]


def test_daily_load_of_no_runs_is_empty():
    assert daily_load(pd.DatetimeIndex([]), pd.Series(dtype="float64")).empty


def test_pmc_is_vectorised_over_years():
    years = constant(1.0, 5 * 365)
    chart = pmc(years)
    assert len(chart) == 5 * 365
    assert np.isfinite(chart.to_numpy()).all()
