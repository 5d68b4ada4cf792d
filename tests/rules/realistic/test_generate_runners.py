"""scripts/generate_runners.py writes FIT files that import back as the activities of the history,
and prints each history week by week with its planted risk."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from stridewise.pipeline import read_activities

from .runners import bike_days_runner, hot_climate_wrist_hr_runner, local_day

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "generate_runners.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("generate_runners", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_run_with_records_reads_back_from_its_fit_file(script, tmp_path):
    history = hot_climate_wrist_hr_runner()
    written = next(a for a in history.activities if a.samples["heart_rate_bpm"].iloc[0] >= 170)
    path = tmp_path / "run.fit"
    path.write_bytes(script.fit_bytes(written))
    (read,) = read_activities(path)
    assert read.sport == "running"
    assert read.utc_offset_s == 8 * 3600
    assert read.start_utc == written.start_utc
    assert local_day(read) == local_day(written)
    assert len(read.samples) == len(written.samples)
    np.testing.assert_allclose(
        read.samples["heart_rate_bpm"], written.samples["heart_rate_bpm"], atol=0.5
    )
    np.testing.assert_allclose(
        read.samples["cadence_spm"], written.samples["cadence_spm"], atol=0.1
    )
    np.testing.assert_allclose(read.samples["distance_m"], written.samples["distance_m"], atol=0.1)


def test_a_ride_without_records_reads_back_as_a_summary(script, tmp_path):
    ride = next(a for a in bike_days_runner().activities if a.sport == "cycling")
    path = tmp_path / "ride.fit"
    path.write_bytes(script.fit_bytes(ride))
    (read,) = read_activities(path)
    assert read.sport == "cycling"
    assert local_day(read) == local_day(ride)
    assert read.distance_m == pytest.approx(ride.distance_m)
    assert read.samples.empty


def test_the_summary_shows_the_weeks_and_the_planted_risk(script):
    text = script.describe(bike_days_runner())
    assert text.startswith("bike_days_runner (one planted risk; asserted 2026-10-05 to 2026-11-29")
    assert "2026-W47 5 runs  31.5 km (longest 10.5); cycling 14.5 km; planted: holiday run" in text
