"""The rules' array paths (issue 13) give what the per-row pandas code they replaced gave.

``rows`` stands in for ``DataFrame.iterrows``; the shoe-rotation pairs, the warm-up's easy level
and the warm-ups found before each run are computed on sorted arrays, with a slower path for a
hand-built history whose days are out of order. Each is checked against a hand-computed value or
against the straightforward computation on the same data.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from stridewise.rules.base import rows
from stridewise.rules.shoes import _pairs_worn
from stridewise.rules.warmup import _median, easy_levels, warmed_up_by_activity


def _mixed_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-05"]),
            "distance_km": [10.0, np.nan, 5.5],
            "runs": [1, 2, 0],
            "shoe": ["Pegasus", None, "Clifton"],
            "rest": [False, False, True],
        },
        index=pd.Index([7, 3, 9], name="activity_id"),
    )


def test_rows_give_iterrows_labels_and_values():
    frame = _mixed_frame()
    expected = [(label, dict(row)) for label, row in frame.iterrows()]
    got = [(label, dict(row)) for label, row in rows(frame)]
    assert [label for label, _ in got] == [7, 3, 9]
    for (label, want), (_, have) in zip(expected, got, strict=True):
        assert have.keys() == want.keys()
        for column, value in want.items():
            if isinstance(value, float) and np.isnan(value):
                assert np.isnan(have[column]), (label, column)
            else:
                assert have[column] == value, (label, column)


def test_a_row_knows_its_label_and_refuses_an_unknown_column():
    _, row = next(rows(_mixed_frame()))
    assert row.name == 7
    assert row["day"] == pd.Timestamp("2026-03-02")
    assert row.get("nope") is None
    with pytest.raises(KeyError):
        row["nope"]


def test_rows_of_an_empty_frame():
    assert list(rows(_mixed_frame().iloc[0:0])) == []


def _days(*numbers: int) -> np.ndarray:
    return (np.datetime64("2026-01-01") + np.array(numbers).astype("timedelta64[D]")).astype(
        "datetime64[ns]"
    )


def test_pairs_worn_in_the_28_days_to_each_run():
    # pair 0, pair 1, no pair, then pair 0 twice more than 28 days later
    worn = _pairs_worn(np.array([0, 1, -1, 0, 0]), _days(0, 1, 2, 40, 41), 28)
    assert worn.tolist() == [1, 2, 2, 1, 1]


def test_pairs_worn_count_a_run_28_days_back_out_of_the_window():
    # 28 days after the first run, the first run has left the 28-day window
    assert _pairs_worn(np.array([0, 1]), _days(0, 28), 28).tolist() == [1, 1]
    assert _pairs_worn(np.array([0, 1]), _days(0, 27), 28).tolist() == [1, 2]


def test_pairs_worn_with_days_out_of_order_count_the_runs_before_in_the_list():
    worn = _pairs_worn(np.array([0, 1, 2]), _days(5, 1, 3), 28)
    assert worn.tolist() == [1, 2, 3]


def test_median_is_numpys():
    assert _median(np.array([3.0, 1.0, 2.0])) == 2.0
    assert _median(np.array([4.0, 1.0, 2.0, 3.0])) == 2.5
    values = np.random.default_rng(13).normal(150, 9, 61)
    assert _median(values) == float(np.median(values))
    assert _median(values[:60]) == float(np.median(values[:60]))


def _runs(days: list[str], speed: list[float], steady_hr: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.to_datetime(days),
            "speed_mps": speed,
            "steady_hr_bpm": steady_hr,
            "warmup_speed_mps": [s * 0.95 for s in speed],
        },
        index=pd.Index(range(1, len(days) + 1), name="activity_id"),
    )


def test_easy_level_from_the_runs_of_the_window_before():
    runs = _runs(
        ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-05-20"],
        [3.0, 2.8, 3.2, 3.0, 3.0],
        [140.0, 136.0, 150.0, 141.0, 139.0],
    )
    levels = easy_levels(runs, window_days=60, min_runs=2)
    # run 4: the 3 runs before; median speed 3.0, easy runs (<= 3.0) runs 1 and 2
    assert levels.loc[4, "easy_hr_bpm"] == 138.0
    assert levels.loc[4, "easy_speed_mps"] == 2.9
    assert levels.loc[4, "usual_start_mps"] == 3.0 * 0.95
    assert levels.loc[4, "easy_runs"] == 2
    # run 5 is more than 60 days later: no run in its window
    assert np.isnan(levels.loc[5, "easy_hr_bpm"]) and levels.loc[5, "easy_runs"] == 0


def test_easy_level_is_the_same_with_days_out_of_order():
    runs = _runs(
        ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"],
        [3.0, 2.8, 3.2, 3.0, 2.9],
        [140.0, 136.0, 150.0, 141.0, 139.0],
    )
    in_order = easy_levels(runs, window_days=60, min_runs=2)
    shuffled = easy_levels(runs.iloc[[3, 0, 4, 2, 1]], window_days=60, min_runs=2)
    pd.testing.assert_frame_equal(shuffled.sort_index(), in_order.sort_index())


def _activities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "local_start": pd.to_datetime(
                ["2026-03-02 06:30", "2026-03-02 07:00", "2026-03-03 06:00", "2026-03-03 07:00"]
            ),
            "elapsed_s": [20 * 60.0, 3600.0, 30 * 60.0, 0.0],
            "duration_s": [20 * 60.0, 3600.0, 30 * 60.0, 0.0],
        }
    )


def test_a_warm_up_ending_at_most_15_minutes_before_a_run_warms_it_up():
    activities = _activities()
    runs = activities.set_index(pd.Index(activities["id"], name="activity_id")).loc[[2, 4]]
    warmed = warmed_up_by_activity(activities, runs, 15 * 60)
    # run 2 starts 10 min after activity 1 ended; run 4 starts 30 min after activity 3 ended,
    # and a run that lasted no time is not its own warm-up
    assert warmed.to_dict() == {2: True, 4: False}


def test_a_warm_up_ending_exactly_at_the_gap_counts():
    activities = _activities()
    runs = activities.set_index(pd.Index(activities["id"], name="activity_id")).loc[[4]]
    assert warmed_up_by_activity(activities, runs, 30 * 60).to_dict() == {4: True}


def test_rows_keep_dates_as_timestamps():
    frame = pd.DataFrame({"day": [pd.Timestamp(date(2026, 3, 2))]})
    _, row = next(rows(frame))
    assert isinstance(row["day"], pd.Timestamp)
