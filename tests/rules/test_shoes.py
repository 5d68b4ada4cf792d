from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from synthetic import summary_runs, weekly_pattern

from stridewise.errors import ConfigError
from stridewise.history import History
from stridewise.profile import Profile
from stridewise.rules import evaluate

START = date(2026, 1, 5)
WEEK = [10.0, None, 10.0, None, 10.0, None, 10.0]  # 4 runs, 40 km


def shod(weeks: int, shoes=None, profile=None, shoe="Pegasus") -> History:
    frame = summary_runs(START, weekly_pattern(weeks, WEEK), shoe=shoe)
    return History.from_frames(frame, shoes=shoes, profile=profile)


PAIR = pd.DataFrame({"name": ["Pegasus"], "initial_km": [20.0], "limit_km": [150.0]})


def test_shoe_mileage_caution_at_90_percent_then_warning_past_the_limit_then_weekly():
    # 20 km before + 10 km a run: 140 km (>= 135 = 90 %) on run 12, 150 km on run 13
    found = evaluate(shod(6, PAIR), rule_ids=["shoe_mileage"]).findings
    summary = [(f.date, f.severity, f.value, f.threshold) for f in found]
    assert summary[0] == (date(2026, 1, 25), "caution", 140.0, 135.0)
    assert summary[1] == (date(2026, 1, 26), "warning", 150.0, 150.0)
    # then the last run of each later ISO week in that pair
    assert summary[2:] == [
        (date(2026, 2, 8), "warning", 220.0, 150.0),
        (date(2026, 2, 15), "warning", 260.0, 150.0),
    ]
    assert found[0].unit == "km" and found[0].factor == "shoes"
    assert "still in use" in found[2].message


def test_shoe_mileage_near_miss():
    below = PAIR.assign(initial_km=10.0)  # 10 + 12 runs x 10 km = 130 km < 135 km
    assert evaluate(shod(3, below), rule_ids=["shoe_mileage"]).findings == []


def test_a_pair_without_a_limit_uses_the_rules_default_from_the_profile():
    profile = Profile(rules={"shoe_mileage": {"limit_km": 100}})
    found = evaluate(shod(3, profile=profile), rule_ids=["shoe_mileage"]).findings
    # run 9 reaches 90 km (90 %), run 10 the limit; no later week in that pair
    assert [(f.date, f.severity, f.value, f.threshold) for f in found] == [
        (date(2026, 1, 19), "caution", 90.0, 90.0),
        (date(2026, 1, 21), "warning", 100.0, 100.0),
    ]
    assert evaluate(shod(3), rule_ids=["shoe_mileage"]).findings == []  # 600 km default


def test_shoe_mileage_without_shoes_is_not_evaluated():
    result = evaluate(shod(3, shoe=None), rule_ids=["shoe_mileage", "shoe_rotation"])
    assert [entry["rule"] for entry in result.not_evaluated] == ["shoe_mileage", "shoe_rotation"]
    assert "stridewise shoes add" in result.not_evaluated[0]["reason"]


TWO_PAIRS = pd.DataFrame(
    {"name": ["Pegasus", "Clifton"], "initial_km": [0.0, 0.0], "limit_km": [600.0, 600.0]}
)


def test_shoe_rotation_information_once_when_one_pair_did_every_run_for_28_days():
    found = evaluate(shod(8, TWO_PAIRS), rule_ids=["shoe_rotation"]).findings
    [finding] = found
    assert finding.severity == "info"
    assert finding.date == date(2026, 2, 1)  # first run whose 28 days lie in the history
    assert finding.value == 16.0 and finding.unit == "runs in one pair"


def test_shoe_rotation_is_silent_for_a_runner_with_one_pair():
    assert evaluate(shod(8, PAIR), rule_ids=["shoe_rotation"]).findings == []
    retired = TWO_PAIRS.assign(retired=[False, True])
    assert evaluate(shod(8, retired), rule_ids=["shoe_rotation"]).findings == []


def test_shoe_rotation_near_miss_two_pairs():
    frame = summary_runs(START, weekly_pattern(8, WEEK))
    frame["shoe"] = ["Pegasus", "Clifton"] * (len(frame) // 2)
    assert evaluate(History.from_frames(frame), rule_ids=["shoe_rotation"]).findings == []


def test_shoe_rotation_starts_a_new_stretch_after_a_second_pair_appears():
    frame = summary_runs(START, weekly_pattern(12, WEEK), shoe="Pegasus")
    frame.loc[20, "shoe"] = "Clifton"  # Monday 2026-02-09
    found = evaluate(History.from_frames(frame), rule_ids=["shoe_rotation"]).findings
    # again once the 28 days to a run no longer reach back to 2026-02-09
    assert [f.date for f in found] == [date(2026, 2, 1), date(2026, 3, 9)]


def test_wrong_override_type_names_the_key():
    with pytest.raises(ConfigError, match=r"rules\.shoe_mileage\.limit_km must be a number"):
        evaluate(shod(2, profile=Profile(rules={"shoe_mileage": {"limit_km": "700"}})))
