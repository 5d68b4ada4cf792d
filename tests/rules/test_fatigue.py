from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from synthetic import run_samples

from stridewise.history import History
from stridewise.profile import Profile
from stridewise.rules import evaluate


def one_run(samples: pd.DataFrame, day: date = date(2026, 3, 4)) -> History:
    minutes = len(samples) / 60
    frame = pd.DataFrame(
        {
            "id": [7],
            "local_date": [day],
            "distance_km": [minutes * 0.18],
            "duration_s": [minutes * 60],
        }
    )
    return History.from_frames(frame, samples={7: samples}, profile=Profile(max_hr=190))


def drift_to(second_half_hr: float) -> pd.DataFrame:
    # steady 3 m/s for 60 min; the steady part's second half starts at minute 35
    return run_samples(60, heart_rate=lambda t: np.where(t < 35 * 60, 140.0, second_half_hr))


@pytest.mark.parametrize(
    ("second_half_hr", "words"),
    [(150.0, "moderate by the Friel / TrainingPeaks convention (5-10 %)"), (160.0, "poor")],
)
def test_decoupling_is_a_caution_and_says_when_it_is_poor(second_half_hr, words):
    # a convention: never above caution; over 10 % the text says "poor" (RULES.md)
    [finding] = evaluate(one_run(drift_to(second_half_hr)), rule_ids=["decoupling"]).findings
    assert finding.severity == "caution"
    assert finding.threshold == 5.0
    assert finding.value == pytest.approx((1 - 140 / second_half_hr) * 100)
    assert words in finding.message
    assert finding.date == date(2026, 3, 4) and finding.activity_id == 7
    assert finding.factor == "fatigue" and finding.evidence == "convention"


def climbing_second_half(second_half_hr: float, grade: float) -> pd.DataFrame:
    """3 m/s for 60 min, flat until minute 35, then climbing at ``grade`` [-]."""
    climb_from = 35 * 60

    def altitude(t):
        return 100.0 + np.where(t < climb_from, 0.0, (t - climb_from) * 3.0 * grade)

    return run_samples(
        60,
        altitude=altitude,
        heart_rate=lambda t: np.where(t < climb_from, 140.0, second_half_hr),
    )


def test_a_second_half_that_climbs_is_not_fatigue():
    # 5 % up from minute 35: the flat-equivalent speed is 3 m/s x C(0.05)/C(0) (Minetti 2002),
    # C(0.05) = 155.4i^5 - 30.4i^4 - 43.3i^3 + 46.3i^2 + 19.5i + 3.6 = 4.685 J/(kg m), ratio 1.301;
    # HR 140 -> 160 (+14.3 %) at 30.1 % more graded speed: decoupling is negative, no flag
    result = evaluate(one_run(climbing_second_half(160.0, 0.05)), rule_ids=["decoupling"])
    assert result.findings == []
    [check] = result.results["decoupling"].checks
    assert check.value < 0
    # near miss the other way: the same heart rate on the flat is 12.5 % decoupling
    flat = evaluate(one_run(drift_to(160.0)), rule_ids=["decoupling"]).findings
    assert flat and flat[0].value == pytest.approx(12.5)


def test_decoupling_near_miss():
    # 140 -> 147 bpm: 1 - 140/147 = 4.76 %
    assert evaluate(one_run(drift_to(147.0)), rule_ids=["decoupling"]).findings == []


def test_decoupling_skips_runs_that_are_not_steady_and_says_why():
    intervals = run_samples(
        60,
        speed=lambda t: np.where((t // 180) % 2 == 0, 2.5, 4.5),
        heart_rate=lambda t: np.where(t < 35 * 60, 140.0, 165.0),
    )
    result = evaluate(one_run(intervals), rule_ids=["decoupling"])
    assert result.findings == []
    assert result.not_evaluated[0]["reason"].startswith("no steady run of 40 min or more")


def test_decoupling_without_heart_rate_is_not_evaluated():
    result = evaluate(one_run(run_samples(60)), rule_ids=["decoupling"])
    assert result.not_evaluated == [
        {"rule": "decoupling", "reason": "no run of 40 min or more with heart rate records"}
    ]


def form(cadence_late: float, stance_late: float = 250.0, speed_late: float = 3.0) -> pd.DataFrame:
    late = lambda t: t >= 40 * 60  # noqa: E731 - the last 20 % of a 50-minute run
    return run_samples(
        50,
        speed=lambda t: np.where(late(t), speed_late, 3.0),
        cadence=lambda t: np.where(late(t), cadence_late, 170.0),
        stance_time=lambda t: np.where(late(t), stance_late, 250.0),
    )


def test_form_drift_on_a_cadence_drop():
    [finding] = evaluate(one_run(form(162.0)), rule_ids=["form_drift"]).findings
    assert finding.value == pytest.approx((162 / 170 - 1) * 100)  # -4.7 %
    assert finding.threshold == -4.0
    assert finding.severity == "caution" and finding.date == date(2026, 3, 4)
    assert "at similar speed (+0.0 %)" in finding.message


def test_form_drift_on_longer_ground_contact():
    [finding] = evaluate(one_run(form(170.0, stance_late=265.0)), rule_ids=["form_drift"]).findings
    assert finding.value == pytest.approx(6.0) and finding.threshold == 5.0


def test_form_drift_near_miss():
    assert evaluate(one_run(form(164.0, 262.0)), rule_ids=["form_drift"]).findings == []


def test_form_drift_is_not_judged_when_speed_changed():
    result = evaluate(one_run(form(150.0, speed_late=2.6)), rule_ids=["form_drift"])
    assert result.findings == []
    assert "similar speed (within 5 %)" in result.not_evaluated[0]["reason"]
