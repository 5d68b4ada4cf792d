"""Which risk factors preceded the pain days: counts on built histories."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from synthetic import summary_runs, weekly_pattern

from stridewise.associations import association_lines, pain_associations
from stridewise.history import History
from stridewise.rules import evaluate

START = date(2026, 1, 5)  # a Monday
WEEK = [8.0, None, 8.0, None, 8.0, None, 8.0]  # every 7-day window: 4 runs, 32 km
SPIKE_DAYS = [date(2026, 2, 15), date(2026, 3, 22), date(2026, 4, 26)]  # Sundays, 35 days apart
FIRST_LOGGED, LAST_LOGGED = date(2026, 2, 1), date(2026, 4, 30)


def spiky_history() -> History:
    distances = weekly_pattern(16, WEEK)
    for day in SPIKE_DAYS:
        distances[(day - START).days] = 12.0  # +50 %: a session_spike warning
    return History.from_frames(summary_runs(START, distances))


def journal(pain_days: set[date]) -> pd.DataFrame:
    days = [FIRST_LOGGED + timedelta(days=k) for k in range((LAST_LOGGED - FIRST_LOGGED).days + 1)]
    return pd.DataFrame(
        {"date": days, "score": [5 if d in pain_days else 1 for d in days], "note": None}
    )


def test_pain_after_session_spikes_is_associated_with_load():
    history = spiky_history()
    findings = evaluate(history, since=FIRST_LOGGED - timedelta(days=3)).findings
    assert [(f.rule, f.date) for f in findings if f.severity != "info"] == [
        ("session_spike", day) for day in SPIKE_DAYS
    ]
    pain_days = {day + timedelta(days=k) for day in SPIKE_DAYS for k in (1, 2)}  # Mon, Tue after
    result = pain_associations(findings, journal(pain_days))
    by_factor = {entry["factor"]: entry for entry in result["factors"]}
    load = by_factor["load"]
    # 6 pain days, each 1-2 days after a spike; 89 logged days, of which 3 spikes x 4 days
    # (the spike day and the 3 after it) had a load flag in the window
    assert (load["pain_days"], load["pain_days_with_flags"], load["share_pain_days"]) == (6, 6, 1.0)
    assert (load["days"], load["days_with_flags"]) == (89, 12)
    assert load["share_all_days"] == round(12 / 89, 3)
    assert load["linked"] is True
    assert result["warning"] is None  # 6 pain days: enough not to warn
    # rest had no flags at all: no link, and no sentence about it
    assert by_factor["rest"]["pain_days_with_flags"] == 0 and by_factor["rest"]["linked"] is False
    [line] = association_lines(result)
    assert line.startswith("load: 6 of 6 pain days (100%) had load flags in the 3 days before")
    assert "associated with your pain, not shown to cause it" in line
    assert "associated with, not caused by" in result["statement"]


def test_pain_four_days_after_a_spike_is_outside_the_window():
    findings = evaluate(spiky_history(), since=FIRST_LOGGED).findings
    result = pain_associations(findings, journal({day + timedelta(days=4) for day in SPIKE_DAYS}))
    load = next(entry for entry in result["factors"] if entry["factor"] == "load")
    assert load["pain_days_with_flags"] == 0 and load["linked"] is False
    assert result["warning"] == (
        "Only 3 pain days (score ≥ 3) logged: too few for the shares to mean much."
    )
    assert association_lines(result) == []


def test_threshold_decides_what_a_pain_day_is():
    findings = evaluate(spiky_history(), since=FIRST_LOGGED).findings
    result = pain_associations(findings, journal(set()), threshold=1)  # every day scores 1
    load = next(entry for entry in result["factors"] if entry["factor"] == "load")
    assert load["pain_days"] == 89 and load["pain_days_with_flags"] == 12
    assert load["linked"] is False  # pain days no more often preceded than days in general


def test_pain_days_in_weeks_with_and_without_strength_or_mobility_work():
    # four weeks from Monday 5 January; strength work in weeks 1 and 3 (a Wednesday each)
    monday = START
    logged = {
        monday: 1, monday + timedelta(days=1): 4, monday + timedelta(days=2): 2,  # week 1
        monday + timedelta(days=7): 5, monday + timedelta(days=9): 3,  # week 2
        monday + timedelta(days=14): 0, monday + timedelta(days=15): 1,  # week 3
        monday + timedelta(days=21): 6,  # week 4
    }  # fmt: skip
    pain = pd.DataFrame({"date": list(logged), "score": list(logged.values()), "note": None})
    work = [monday + timedelta(days=2), monday + timedelta(days=16)]
    result = pain_associations([], pain, remedy_days=work)
    assert result["remedy_weeks"] == {
        "weeks_with": 2,
        "logged_days_with": 5,
        "pain_days_with": 1,  # the 4 of week 1
        "share_with": 0.2,
        "weeks_without": 2,
        "logged_days_without": 3,
        "pain_days_without": 3,
        "share_without": 1.0,
    }
    assert association_lines(result) == [
        "strength and mobility work: 1 of 5 logged days (20%) were pain days in the 2 weeks with "
        "it, against 3 of 3 (100%) in the 2 weeks without — fewer pain days in weeks with that "
        "work: associated with, not caused by it."
    ]
    assert result["warning"].startswith("Only 4 pain days (score ≥ 3) logged: too few")
    # every logged day in a week with work: nothing to compare, no sentence
    everywhere = [monday + timedelta(days=7 * week) for week in range(4)]
    assert association_lines(pain_associations([], pain, remedy_days=everywhere)) == []
    assert pain_associations([], pain)["remedy_weeks"] is None
