from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from synthetic import easy_heart_rate, run_samples

from stridewise.history import History
from stridewise.profile import Profile
from stridewise.rules import evaluate

DAYS = [date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 10)]


def runs(samples: list[pd.DataFrame], profile: Profile | None = None) -> History:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3][: len(samples)],
            "local_date": DAYS[: len(samples)],
            "distance_km": 8.0,
            "duration_s": 2400.0,
        }
    )
    return History.from_frames(
        frame,
        samples=dict(zip(frame["id"], samples, strict=True)),
        profile=profile or Profile(max_hr=190),
    )


def hard(bpm: float) -> pd.DataFrame:
    return run_samples(40, heart_rate=lambda t: np.where(t < 600, bpm, 145.0))


def test_a_hard_start_by_heart_rate_once_per_week():
    history = runs([hard(165.0), hard(172.0), hard(160.0)])
    found = evaluate(history, rule_ids=["warmup"]).findings
    assert [(f.date, f.activity_id) for f in found] == [(DAYS[1], 2), (DAYS[2], 3)]
    first = found[0]
    assert first.value == pytest.approx(172 / 190 * 100)
    assert first.threshold == 80.0 and first.unit == "% of max HR"
    assert first.severity == "caution" and first.factor == "warm-up"
    assert first.details["hard_starts_in_week"] == 2
    assert "2 hard starts that week" in first.message


def test_warmup_near_miss_easy_start():
    # 150 bpm sustained is 78.9 % of 190
    found = evaluate(
        runs([hard(150.0), run_samples(40, heart_rate=easy_heart_rate)]), rule_ids=["warmup"]
    ).findings
    assert found == []


def test_without_max_hr_a_fast_start_by_pace():
    fast = run_samples(40, speed=lambda t: np.where(t < 600, 3.3, 3.0))  # 10 % faster
    steady = run_samples(40, speed=lambda t: np.where(t < 600, 3.06, 3.0))  # 2 % faster
    [finding] = evaluate(runs([fast, steady], Profile()), rule_ids=["warmup"]).findings
    assert finding.value == pytest.approx(10.0) and finding.threshold == 3.0
    assert finding.date == DAYS[0]
    assert "no heart rate" in finding.message


def test_warmup_needs_records():
    frame = pd.DataFrame({"local_date": DAYS, "distance_km": 8.0, "duration_s": 2400.0})
    result = evaluate(History.from_frames(frame), rule_ids=["warmup"])
    assert result.not_evaluated == [
        {"rule": "warmup", "reason": "no run of 20 min or more with heart rate or speed records"}
    ]
