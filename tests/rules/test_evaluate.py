from __future__ import annotations

import json
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from synthetic import easy_heart_rate, run_samples, summary_runs, weekly_pattern

from stridewise.errors import ConfigError, InvalidInput
from stridewise.history import History
from stridewise.profile import Profile, profile_from_dict
from stridewise.rules import (
    FACTORS,
    RULES,
    SEVERITIES,
    evaluate,
    render_findings_text,
    rule_settings,
)

START = date(2026, 1, 5)
CLI_FIELDS = {
    "rule",
    "factor",
    "date",
    "activity_id",
    "severity",
    "value",
    "threshold",
    "unit",
    "message",
    "remedy",
    "evidence",
    "citation",
}


def test_every_rule_of_rules_md_is_registered_with_its_grade_and_citation():
    assert list(RULES) == [
        "session_spike",
        "comeback",
        "weekly_jump",
        "acwr",
        "monotony",
        "rest_days",
        "decoupling",
        "form_drift",
        "surface_change",
        "shoe_mileage",
        "shoe_rotation",
        "cadence",
        "gct_balance",
        "warmup",
        "strength_mobility",
        "resting_hr_rise",
        "short_sleep",
        "descent_spike",
    ]
    for rule in RULES.values():
        assert rule.factor in FACTORS
        assert rule.evidence and rule.citation and rule.remedy
        assert "enabled" not in rule.defaults
        assert set(rule.explains) == set(rule.defaults), rule.id  # every setting explained
    grades = {rule_id: rule.evidence for rule_id, rule in RULES.items()}
    assert grades == {  # RULES.md's table
        "session_spike": "moderate",
        "comeback": "convention",
        "weekly_jump": "weak",
        "acwr": "weak",
        "monotony": "weak",
        "rest_days": "weak",
        "decoupling": "convention",
        "form_drift": "convention",
        "surface_change": "weak / convention",
        "shoe_mileage": "convention",
        "shoe_rotation": "moderate–weak",
        "cadence": "weak (mechanics; injury evidence limited)",
        "gct_balance": "convention",
        "warmup": "convention",
        "strength_mobility": "moderate for exercise preventing low back pain in general "
        "(Steffens 2016), not shown in runners",
        "resting_hr_rise": "weak",
        "short_sleep": "weak",
        "descent_spike": "weak",
    }
    data = {rule_id: rule.data for rule_id, rule in RULES.items()}
    assert {rule_id for rule_id, needs in data.items() if needs == "wellness"} == {
        "resting_hr_rise",
        "short_sleep",
    }
    assert data["descent_spike"] == "R" and data["strength_mobility"] == "A"


def test_severity_follows_the_evidence():
    """Weak and convention rules never rise above caution (RULES.md); the table's exceptions are
    shoe_mileage's warning past the limit and session_spike's moderate evidence."""
    ceilings = {rule_id: rule.max_severity for rule_id, rule in RULES.items()}
    assert ceilings == {
        "session_spike": "warning",
        "comeback": "caution",
        "weekly_jump": "caution",
        "acwr": "info",
        "monotony": "caution",
        "rest_days": "caution",
        "decoupling": "caution",
        "form_drift": "caution",
        "surface_change": "caution",
        "shoe_mileage": "warning",
        "shoe_rotation": "info",
        "cadence": "caution",
        "gct_balance": "info",
        "warmup": "caution",
        "strength_mobility": "info",
        "resting_hr_rise": "caution",
        "short_sleep": "info",
        "descent_spike": "caution",
    }
    with pytest.raises(ValueError, match="above what its evidence allows"):
        RULES["weekly_jump"].finding(
            day=START, severity="warning", value=1, threshold=1, unit="%", message="m"
        )


def spiky_history(profile: Profile | None = None) -> History:
    distances = weekly_pattern(5, [8.0, None, 8.0, 8.0, None, 8.0, None]) + [8.0, 8.0, 20.0]
    return History.from_frames(summary_runs(START, distances), profile=profile)


def test_findings_are_sorted_by_date_then_severity_and_serialise_to_the_cli_fields():
    evaluation = evaluate(spiky_history())
    assert evaluation.findings
    keys = [(f.date, -SEVERITIES.index(f.severity)) for f in evaluation.findings]
    assert keys == sorted(keys)
    for finding in evaluation.findings:
        document = finding.to_json()
        assert set(document) >= CLI_FIELDS
        assert document["date"] == finding.date.isoformat()
        json.dumps(document)
        assert "causes" not in finding.message
        if finding.rule != "strength_mobility":  # the one rule whose study measured back pain
            assert "back pain" not in finding.message
        assert "doctor or physical therapist" not in finding.remedy  # said once, not per flag
    json.dumps(evaluation.to_json())
    assert evaluation.load_model == "distance"
    assert "TSB_t = CTL_{t-1} - ATL_{t-1}" in evaluation.pmc_convention


def test_since_and_until_bound_the_findings_and_the_history_read():
    full = evaluate(spiky_history())
    spike_day = date(2026, 2, 11)
    assert any(f.rule == "session_spike" and f.date == spike_day for f in full.findings)
    before = evaluate(spiky_history(), until=spike_day - timedelta(days=1))
    assert all(f.date < spike_day for f in before.findings)
    assert not any(f.rule == "session_spike" for f in before.findings)
    only = evaluate(spiky_history(), since=spike_day, until=spike_day)
    assert {f.date for f in only.findings} == {spike_day}


def test_rule_ids_choose_rules_and_unknown_ids_are_refused():
    evaluation = evaluate(spiky_history(), rule_ids=["session_spike"])
    assert {f.rule for f in evaluation.findings} == {"session_spike"}
    with pytest.raises(InvalidInput, match="unknown rule 'spike'"):
        evaluate(spiky_history(), rule_ids=["spike"])
    with pytest.raises(InvalidInput, match="is after"):
        evaluate(spiky_history(), since=date(2026, 3, 1), until=date(2026, 2, 1))


def test_overrides_change_thresholds_and_enabled_false_turns_a_rule_off():
    strict = Profile(rules={"session_spike": {"warning_pct": 200.0}})
    [finding] = evaluate(spiky_history(strict), rule_ids=["session_spike"]).findings
    assert finding.severity == "caution"  # 150 % is now below the warning band
    off = Profile(rules={"session_spike": {"enabled": False}})
    result = evaluate(spiky_history(off), rule_ids=["session_spike"])
    assert result.findings == []
    assert result.not_evaluated == [
        {"rule": "session_spike", "reason": "turned off (rules.session_spike.enabled = false)"}
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            {"session_spike": {"caution_pct": "ten"}},
            "config.toml: rules.session_spike.caution_pct must be a number of 0 or more, not 'ten'",
        ),
        ({"session_spike": {"cautoin_pct": 5}}, "unknown setting rules.session_spike.cautoin_pct"),
        ({"session_spike": {"enabled": "no"}}, "rules.session_spike.enabled must be true or false"),
        ({"acwr": {"method": "coupled"}}, 'rules.acwr.method must be "ewma" or "uncoupled"'),
        ({"spike": {"enabled": False}}, "unknown rule [rules.spike]"),
        ({"monotony": {"monotony": True}}, "rules.monotony.monotony must be a number"),
        (
            {"shoe_mileage": {"limit_km": math.inf}},
            "config.toml: rules.shoe_mileage.limit_km must be a number of 0 or more, not inf",
        ),
        (
            {"session_spike": {"caution_pct": math.nan}},
            "config.toml: rules.session_spike.caution_pct must be a number of 0 or more, not nan",
        ),
        (
            {"session_spike": {"window_days": 1e15}},
            "config.toml: rules.session_spike.window_days must be a whole number of days from 1 "
            "to 3650, not 1000000000000000.0",
        ),
        (
            {"session_spike": {"window_days": 0}},
            "config.toml: rules.session_spike.window_days must be a whole number of days from 1 "
            "to 3650, not 0",
        ),
        (
            {"weekly_jump": {"baseline_weeks": 2.5}},
            "config.toml: rules.weekly_jump.baseline_weeks must be a whole number of weeks from 1 "
            "to 520, not 2.5",
        ),
        (
            {"warmup": {"min_duration_min": 2000}},
            "config.toml: rules.warmup.min_duration_min must be a number from 0 to 1440, not 2000",
        ),
        (
            {"shoe_mileage": {"limit_km": 1e7}},
            "config.toml: rules.shoe_mileage.limit_km must be a number from 0 to 1000000, "
            "not 10000000.0",
        ),
    ],
)
def test_bad_overrides_raise_config_errors_naming_the_key(tmp_path, rules, message):
    profile = profile_from_dict({"rules": rules}, tmp_path / "config.toml")
    with pytest.raises(ConfigError) as raised:
        evaluate(spiky_history(profile))
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            {"shoe_mileage": {"limit_km": math.inf}},
            "athletes.anna.rules.shoe_mileage.limit_km must be a number of 0 or more, not inf",
        ),
        (
            {"session_spike": {"cautoin_pct": 5}},
            "unknown setting athletes.anna.rules.session_spike.cautoin_pct",
        ),
        ({"spike": {"enabled": False}}, "unknown rule [athletes.anna.rules.spike]"),
    ],
)
def test_an_athletes_own_bad_overrides_are_named_by_their_section(tmp_path, rules, message):
    document = {
        "rules": {"session_spike": {"caution_pct": 20}, "shoe_mileage": {"limit_km": 700}},
        "athletes": {"anna": {"rules": rules}},
    }
    profile = profile_from_dict(document, tmp_path / "config.toml", athlete="anna")
    with pytest.raises(ConfigError) as raised:
        evaluate(spiky_history(profile))
    assert str(raised.value).startswith(f"{tmp_path / 'config.toml'}: {message}")
    # the shared default, and any other athlete, are not touched by anna's mistake
    evaluate(spiky_history(profile_from_dict(document, tmp_path / "config.toml")))


def test_an_athletes_override_changes_only_that_athlete(tmp_path):
    document = {
        "rules": {"session_spike": {"warning_pct": 50}},
        "athletes": {"anna": {"rules": {"session_spike": {"warning_pct": 500}}}},
    }
    source = tmp_path / "config.toml"
    anna = rule_settings(profile_from_dict(document, source, athlete="anna"))["session_spike"]
    ben = rule_settings(profile_from_dict(document, source, athlete="ben"))["session_spike"]
    assert (anna["warning_pct"], ben["warning_pct"]) == (500.0, 50.0)
    assert anna["caution_pct"] == ben["caution_pct"] == 10.0


def test_an_empty_history_evaluates_nothing_and_says_why():
    empty = History.from_frames(pd.DataFrame({"local_date": [], "distance_km": []}))
    result = evaluate(empty)
    assert result.findings == []
    assert {entry["reason"] for entry in result.not_evaluated} == {"no activities in the history"}


def test_text_groups_findings_by_factor_with_numbers_grade_and_advice():
    evaluation = evaluate(spiky_history(Profile(units="imperial")))
    text = render_findings_text(evaluation, Profile(units="imperial"))
    assert text.splitlines()[0].endswith("flags") or text.splitlines()[0].endswith("flag")
    assert "\nLoad\n" in text
    assert "2026-02-11  WARNING" in text
    assert "evidence: moderate" in text and "Advice: Progress distance gradually" in text
    assert "12.4 mi run" in text  # 20 km in the runner's unit
    assert "Not evaluated" in text and "decoupling:" in text
    assert text.count("doctor or physical therapist") == 1


# -- a calm history: no false alarms ---------------------------------------------------------
CALM_WEEK = [8.0, 8.0, None, 8.0, 10.0, None, 12.0]  # 46 km, rest on Wednesday and Saturday


@pytest.fixture(scope="module")
def calm() -> History:
    rng = np.random.default_rng(7)
    distances = weekly_pattern(10, CALM_WEEK)
    frame = summary_runs(
        START,
        distances,
        pace_s_per_km=330.0,
        shoe="Pegasus 40",
        surface="road",
        surface_source="file",
    )
    frame["altitude_source"] = "barometric"
    samples = {}
    for activity_id, km in zip(frame["id"], frame["distance_km"], strict=True):
        noise = rng.normal(size=(4, int(km * 330)))
        samples[activity_id] = run_samples(
            km * 330 / 60,
            speed=lambda t, n=noise: 1000 / 330 + 0.04 * n[0][: len(t)],
            heart_rate=lambda t, n=noise: easy_heart_rate(t) + 1.5 * n[1][: len(t)],
            cadence=lambda t, n=noise: 172 + 1.0 * n[2][: len(t)],
            stance_time=lambda t, n=noise: 245 + 3.0 * n[3][: len(t)],
            balance=50.1,
            altitude=lambda t: 40.0 + 15.0 * np.sin(2 * np.pi * t / 1200.0),  # gentle hills
        )
    # yoga on every Wednesday, a rest day (mobility work does not end one)
    yoga = pd.DataFrame(
        {
            "local_date": [START + timedelta(days=7 * week + 2) for week in range(10)],
            "sport": "training",
            "sub_sport": "yoga",
            "distance_km": 0.0,
            "duration_s": 1800.0,
        }
    )
    yoga["id"] = np.arange(1000, 1000 + len(yoga))
    frame = pd.concat([frame, yoga], ignore_index=True)
    days = pd.date_range(START - timedelta(days=60), START + timedelta(days=69))
    wellness = pd.DataFrame(
        {
            "date": days,
            "resting_hr_bpm": 50.0 + rng.normal(scale=1.0, size=len(days)).round(),
            "sleep_s": 3600.0 * (7.5 + rng.normal(scale=0.3, size=len(days))),
        }
    )
    shoes = pd.DataFrame({"name": ["Pegasus 40"], "initial_km": [0.0], "limit_km": [800.0]})
    profile = Profile(sex="female", max_hr=190, resting_hr=50)
    return History.from_frames(
        frame, samples=samples, shoes=shoes, profile=profile, wellness=wellness
    )


def test_a_calm_history_raises_no_alarm(calm):
    # from its third week: the first runs of a history are comeback's "first runs ever"
    evaluation = evaluate(calm, since=START + timedelta(days=14))
    assert evaluation.load_model == "banister"
    assert evaluation.findings == []  # not even information: one pair within its limit
    assert evaluation.not_evaluated == []  # every rule had its data
