from __future__ import annotations

import numpy as np
import pandas as pd
from synthetic import run_samples

from stridewise.metrics.records import prepare_track
from stridewise.metrics.surface import grade_roughness, infer_surface, resolve_surfaces


def test_a_smooth_climb_is_not_rough():
    climb = run_samples(30, speed=3.0, altitude=lambda t: t * 3.0 * 0.04)  # steady 4 % grade
    roughness = grade_roughness(prepare_track(climb))
    assert roughness < 0.001
    assert infer_surface(pd.Series([roughness])).tolist() == ["road"]


def test_an_undulating_track_is_rough():
    # +-6 m over a 300 m wavelength: grade changes by about 10 % from one 100 m to the next
    bumpy = run_samples(30, speed=3.0, altitude=lambda t: 6.0 * np.sin(2 * np.pi * t * 3.0 / 300))
    roughness = grade_roughness(prepare_track(bumpy))
    assert roughness >= 0.08
    assert infer_surface(pd.Series([roughness])).tolist() == ["trail"]


def test_roughness_needs_altitude_and_two_km():
    assert np.isnan(grade_roughness(prepare_track(run_samples(30))))
    assert np.isnan(grade_roughness(prepare_track(run_samples(10, altitude=5.0))))  # 1.8 km


def test_explicit_surface_wins_and_inference_is_marked():
    resolved = resolve_surfaces(
        pd.Series(["road", "unknown", "unknown", "unknown"]),
        pd.Series(["file", None, None, None]),
        pd.Series([0.2, 0.2, 0.05, np.nan]),
    )
    assert resolved["surface"].tolist() == ["road", "trail", "unknown", "unknown"]
    assert resolved["surface_source"].tolist() == ["file", "inferred", None, None]


def test_one_runs_surface_is_the_series_inference():
    from stridewise.metrics.surface import ROAD_ROUGHNESS, TRAIL_ROUGHNESS, surface_of_roughness

    values = [0.0, ROAD_ROUGHNESS, 0.05, TRAIL_ROUGHNESS, 0.2]
    assert [surface_of_roughness(v) for v in values] == infer_surface(pd.Series(values)).tolist()
    assert [surface_of_roughness(v) for v in values] == [
        "road", "road", "unknown", "trail", "trail"
    ]  # fmt: skip
