from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from synthetic import summary_runs, weekly_pattern

from stridewise.history import History
from stridewise.profile import Profile
from stridewise.rules import evaluate

START = date(2026, 1, 5)
ROAD_WEEK = [8.0, None, 8.0, 8.0, None, 8.0, None]


def with_surfaces(distances, surfaces, sources=None) -> History:
    frame = summary_runs(START, distances)
    frame["surface"] = surfaces
    frame["surface_source"] = sources or ["file" if s != "unknown" else None for s in surfaces]
    return History.from_frames(frame)


def test_first_trail_run_after_four_weeks_without():
    distances = weekly_pattern(5, ROAD_WEEK) + [6.0]  # the 6 km run is on Monday 2026-02-09
    surfaces = ["road"] * 20 + ["trail"]
    [finding] = evaluate(with_surfaces(distances, surfaces), rule_ids=["surface_change"]).findings
    assert finding.date == date(2026, 2, 9)
    assert finding.value == 35.0 and finding.threshold == 28.0  # 35 days of history without
    assert finding.unit == "days without trail" and finding.activity_id == 21
    assert finding.severity == "caution" and finding.factor == "surface"


def test_a_trail_week_over_twice_the_four_week_mean():
    week = [8.0, None, 8.0, 8.0, None, 8.0, None]
    distances = weekly_pattern(6, week)
    surfaces = ["trail", "road", "road", "road"] * 5 + ["trail", "trail", "road", "road"]
    frame = summary_runs(START, distances)
    frame["distance_km"] = [3.0 if s == "trail" else 8.0 for s in surfaces]
    frame.loc[20:21, "distance_km"] = 4.0  # week 6: 8 km on trail vs a mean of 3 km a week
    frame["surface"] = surfaces
    frame["surface_source"] = "export"
    [finding] = evaluate(History.from_frames(frame), rule_ids=["surface_change"]).findings
    assert finding.value == 8.0
    assert finding.threshold == pytest.approx(6.0)  # 2 x the mean of weeks 2-5 (3 km each)
    assert finding.date == date(2026, 2, 14)  # week 6 ends with the history, on the Saturday
    assert finding.unit == "km"


def test_surface_change_near_miss_regular_trail_running():
    surfaces = ["trail", "road", "road", "road"] * 8
    history = with_surfaces(weekly_pattern(8, ROAD_WEEK), surfaces)
    assert evaluate(history, rule_ids=["surface_change"]).findings == []


def test_an_inferred_trail_run_says_so():
    # a surface inferred at import (from barometric or corrected altitude only) is stored as such
    distances = weekly_pattern(5, ROAD_WEEK) + [6.0]
    history = with_surfaces(distances, ["road"] * 20 + ["trail"], ["file"] * 20 + ["inferred"])
    [finding] = evaluate(history, rule_ids=["surface_change"]).findings
    assert "inferred from the track" in finding.message
    assert finding.details["surface_source"] == "inferred"


def test_the_track_of_a_run_is_not_read_again_when_the_surface_is_unknown():
    # a rough track with an unknown stored surface stays unknown: GPS-only altitude is no
    # evidence of a trail, and the surface is decided once, at import
    distances = weekly_pattern(5, ROAD_WEEK) + [6.0]
    frame = summary_runs(START, distances)
    frame["surface"] = ["road"] * 20 + ["unknown"]
    frame["surface_source"] = ["file"] * 20 + [None]
    metrics = pd.DataFrame({"roughness": [0.12]}, index=pd.Index([21]))
    history = History.from_frames(frame, run_metrics=metrics)
    assert evaluate(history, rule_ids=["surface_change"]).findings == []


def test_surface_change_without_known_surfaces_is_not_evaluated():
    result = evaluate(with_surfaces([8.0] * 30, ["unknown"] * 30), rule_ids=["surface_change"])
    assert result.not_evaluated[0]["reason"].startswith("no run with a known surface")


# -- descent_spike ------------------------------------------------------------------------------
def descent_history(descents_m: list[float], altitude_source: str | list = "barometric") -> History:
    """A run every other day from START with the given total descents [m]."""
    distances = [part for _ in descents_m for part in (8.0, None)]
    frame = summary_runs(START, distances)
    frame["altitude_source"] = altitude_source
    metrics = pd.DataFrame({"descent_m": descents_m}, index=frame["id"])
    return History.from_frames(frame, run_metrics=metrics)


def test_a_descent_over_130_percent_of_the_month_before() -> None:
    # 12 runs of 150 m (days 0-22), then 260 m on day 24: 260 > 1.3 x 150 = 195 and >= 200
    history = descent_history([150.0] * 12 + [260.0])
    [finding] = evaluate(history, rule_ids=["descent_spike"]).findings
    assert finding.date == date(2026, 1, 29) and finding.activity_id == 13
    assert (finding.value, finding.threshold, finding.unit) == (260.0, 200.0, "m")
    assert finding.severity == "caution" and finding.evidence == "weak"
    assert finding.message.startswith(
        "260 m of descent on 2026-01-29, 173 % of the largest descent of the 30 days before "
        "(150 m on 2026-01-05)."
    )
    assert "Gottschall & Kram 2005" in finding.message
    assert finding.details == {"largest_m": 150.0, "altitude_source": "barometric"}


@pytest.mark.parametrize(
    "descents",
    [
        [150.0] * 12 + [190.0],  # under the 130 % (195 m) and the 200 m floor
        [200.0] * 12 + [255.0],  # 127.5 %: under 130 % though above 200 m
        [100.0] * 12 + [195.0],  # 195 %, but under the 200 m floor
    ],
)
def test_descent_spike_near_misses(descents: list[float]) -> None:
    evaluation = evaluate(descent_history(descents), rule_ids=["descent_spike"])
    assert evaluation.findings == []
    assert evaluation.results["descent_spike"].checks  # judged, and quiet


def test_a_big_descent_in_the_first_two_weeks_is_not_judged() -> None:
    # day 6 (the 4th run) is only 6 days into the history: no base yet
    evaluation = evaluate(descent_history([50.0] * 3 + [600.0]), rule_ids=["descent_spike"])
    assert evaluation.findings == [] and evaluation.results["descent_spike"].checks == []


def test_gps_altitude_never_judges_a_descent() -> None:
    evaluation = evaluate(
        descent_history([150.0] * 12 + [600.0], altitude_source="gps"), rule_ids=["descent_spike"]
    )
    assert evaluation.findings == []
    assert evaluation.not_evaluated == [
        {
            "rule": "descent_spike",
            "reason": "no run with barometric or platform-corrected altitude (GPS-only altitude "
            "is too noisy to measure descent)",
        }
    ]


def test_runs_with_gps_altitude_are_left_out_and_counted() -> None:
    # the 600 m run has GPS altitude: it is neither judged nor part of the later runs' base
    sources = ["corrected"] * 12 + ["gps", "corrected"]
    history = descent_history([150.0] * 12 + [600.0, 260.0], altitude_source=sources)
    evaluation = evaluate(history, rule_ids=["descent_spike"])
    assert [f.activity_id for f in evaluation.findings] == [14]
    assert evaluation.not_evaluated == [
        {
            "rule": "descent_spike",
            "reason": "descent not judged for 1 run whose altitude is GPS-only or unknown",
        }
    ]


def test_descent_praise_only_where_there_were_hills_before() -> None:
    hilly = evaluate(descent_history([200.0] * 12 + [255.0]), rule_ids=["descent_spike"])
    assert hilly.went_well(Profile()) == [
        (
            "descent_spike",
            "Your descents stayed within what you are used to (at most 255 m in a run, against "
            "200 m in the 30 days before).",
        )
    ]
    # 76 m after flat running: within the rule, but nothing worth a sentence
    flat = evaluate(descent_history([0.0] * 12 + [76.0]), rule_ids=["descent_spike"])
    assert flat.findings == [] and flat.went_well(Profile()) == []
