"""The warm-up rule judges a start against the runner's own easy running (RULES.md, Warm-up):
hand-built runs whose minutes 1.5-10, first five minutes and minutes 10-30 are known."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from synthetic import run_samples

from stridewise.history import History
from stridewise.profile import Profile
from stridewise.rules import evaluate

FIRST = datetime(2026, 3, 2, 7, 0)  # a Monday, 07:00 local
EASY_SPEED = 2.8  # [m/s], about 5:57/km


def easy(hot: float = 0.0, spike: bool = False) -> pd.DataFrame:
    """An easy run: 130 bpm in the first 10 minutes, 145 after (+``hot`` bpm in the heat)."""

    def heart_rate(t):
        bpm = np.where(t < 600, 130.0, 145.0) + hot
        return np.where(t < 60, 176.0, bpm) if spike else bpm  # a wrist-sensor spike

    return run_samples(40, speed=EASY_SPEED, heart_rate=heart_rate)


def hard_start(bpm: float = 160.0, speed: float = 3.3) -> pd.DataFrame:
    """Minutes 0-10 at ``speed`` and ``bpm``, then easy."""
    return run_samples(
        40,
        speed=lambda t: np.where(t < 600, speed, EASY_SPEED),
        heart_rate=lambda t: np.where(t < 600, bpm, 145.0),
    )


def history(runs: list[pd.DataFrame], extra: list[tuple[datetime, float]] = ()) -> History:
    """Runs on consecutive days at 07:00 (the last one judged), plus ``extra`` activities
    (start, minutes) such as a warm-up recorded on its own."""
    starts = [FIRST + timedelta(days=2 * i) for i in range(len(runs))]
    rows = [
        {"id": i + 1, "local_start": start, "distance_km": 6.7, "duration_s": 2400.0}
        for i, start in enumerate(starts)
    ]
    for start, minutes in extra:
        rows.append(
            {
                "id": len(rows) + 1,
                "local_start": start,
                "distance_km": 1.5,
                "duration_s": minutes * 60,
            }  # fmt: skip
        )
    frame = pd.DataFrame(rows)
    frame["elapsed_s"] = frame["duration_s"]
    samples = dict(zip(range(1, len(runs) + 1), runs, strict=True))
    return History.from_frames(frame, samples=samples, profile=Profile())


def warmup(hist: History):
    return evaluate(hist, rule_ids=["warmup"])


def last_day(runs: int):
    return (FIRST + timedelta(days=2 * (runs - 1))).date()


def test_a_start_above_the_runners_own_easy_level_is_a_hard_start():
    result = warmup(history([easy()] * 6 + [hard_start()]))
    [finding] = result.findings
    assert finding.date == last_day(7) and finding.activity_id == 7
    assert finding.severity == "caution" and finding.evidence == "convention"
    # minutes 1.5-10 at 160 bpm against an easy level of 145 (minutes 10-30 of the easy runs)
    assert (finding.value, finding.threshold, finding.unit) == (160.0, 145.0, "bpm")
    assert "above your easy level (145 bpm" in finding.message
    assert "from 6 easy runs of the last 60 days" in finding.message


def test_near_miss_an_easy_start():
    assert warmup(history([easy()] * 7)).findings == []


def test_a_hot_climate_runner_is_judged_against_their_own_higher_heart_rate():
    # every run 15 bpm higher: easy level 160, a start at 150 bpm is easy for them
    result = warmup(history([easy(hot=15)] * 6 + [hard_start(bpm=150.0, speed=EASY_SPEED)]))
    assert result.findings == []


def test_a_wrist_sensor_spike_in_the_first_minute_is_not_a_hard_start():
    assert warmup(history([easy()] * 6 + [easy(spike=True)])).findings == []


def test_a_warm_up_recorded_as_its_own_activity_just_before_counts():
    judged = FIRST + timedelta(days=12)  # the 7th run
    just_before = [(judged - timedelta(minutes=17), 12)]  # ends 5 minutes before
    assert warmup(history([easy()] * 6 + [hard_start()], just_before)).findings == []
    long_before = [(judged - timedelta(minutes=32), 12)]  # ends 20 minutes before: too early
    assert len(warmup(history([easy()] * 6 + [hard_start()], long_before)).findings) == 1


def test_intervals_after_five_easy_minutes_are_warmed_up():
    intervals = run_samples(
        40,
        speed=lambda t: np.where(t < 300, EASY_SPEED, np.where((t // 120) % 2 == 0, 3.6, 2.6)),
        heart_rate=lambda t: np.where(t < 300, 125.0, 165.0),
    )
    assert warmup(history([easy()] * 6 + [intervals])).findings == []


def test_without_heart_rate_a_start_over_10_percent_faster_than_usual():
    def no_hr(start_speed):
        return run_samples(40, speed=lambda t: np.where(t < 600, start_speed, EASY_SPEED))

    [finding] = warmup(history([no_hr(EASY_SPEED)] * 6 + [no_hr(3.15)])).findings
    assert finding.value == pytest.approx((3.15 / 2.8 - 1) * 100)  # 12.5 %
    assert finding.threshold == 10.0 and "no heart rate" in finding.message
    # near miss: 8.9 % faster
    assert warmup(history([no_hr(EASY_SPEED)] * 6 + [no_hr(3.05)])).findings == []


def test_the_warm_up_rule_needs_an_easy_level_first():
    result = warmup(history([hard_start()]))
    assert result.findings == []
    assert result.not_evaluated[0]["reason"].startswith("needs runs of 20 min or more")
