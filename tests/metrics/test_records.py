from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from synthetic import run_samples

from stridewise.metrics.records import prepare_track
from stridewise.metrics.run import METRICS_VERSION, RUN_METRIC_FIELDS, summarize_run
from stridewise.model import empty_samples


def test_speed_comes_from_distance_when_the_device_wrote_none():
    samples = run_samples(5, speed=3.0).drop(columns="speed_mps")
    assert_allclose(prepare_track(samples)["speed_mps"].iloc[5:-5], 3.0)


def test_a_gap_is_a_pause_and_standing_is_not_moving():
    samples = run_samples(10, speed=lambda t: np.where((t > 100) & (t < 160), 0.0, 3.0))
    samples = pd.concat(
        [
            samples.iloc[:300],
            samples.iloc[300:].set_axis(samples.index[300:] + pd.Timedelta("2min")),
        ]
    )
    track = prepare_track(samples)
    assert track["dt_s"].iloc[299] == 1.0  # the typical step, not the 2-minute gap
    assert not track["moving"].iloc[120]
    assert track["dt_s"][track["moving"]].sum() == 600 - 59  # 59 s standing still
    assert track["t_s"].is_monotonic_increasing


def test_implausible_sensor_values_become_missing():
    samples = run_samples(2, heart_rate=lambda t: np.where(t < 5, 255.0, 150.0), cadence=85.0)
    track = prepare_track(samples)
    assert track["heart_rate_bpm"].isna().sum() == 5
    assert track["cadence_spm"].isna().all()  # 85 steps/min is walking, not a running cadence


def test_summarize_run_gives_every_field_and_no_nan():
    entry = summarize_run(run_samples(45, heart_rate=150.0, cadence=172.0))
    assert set(entry) == {*RUN_METRIC_FIELDS, "hr_hist"}
    assert all(
        value is None or np.isfinite(value) for key, value in entry.items() if key != "hr_hist"
    )
    assert entry["hr_hist"] == {"lo": 150, "s": [2700.0]}
    assert METRICS_VERSION >= 1


def test_summarize_run_of_a_summary_only_activity():
    entry = summarize_run(empty_samples())
    assert entry["moving_s"] == 0.0
    assert entry["hr_hist"] is None and entry["decoupling_pct"] is None
