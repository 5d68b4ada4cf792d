"""Acceptance suite for the rules (issue 15): realistic runners get the flags a coach would expect,
and no others.

Each history of ``runners.py`` is stored as an import would store it and every rule is evaluated
over its asserted weeks (``evaluation.py``). Each test compares the cautions, warnings and highs —
as (rule, severity, local date) — with the exact set a coach would expect from RULES.md's
triggers; for a planted risk it also checks which run was flagged. Information findings (acwr,
shoe_rotation, gct_balance, strength_mobility, short_sleep, the cadence population hint) are
hints, not flags: they are not counted, but no other rule may hide a flag as "info".

Dates follow the package's de-duplication (``stridewise.rules.base``): a per-run flag on the
run's day, a weekly rule on the last day of its ISO week, a streak once — on the day it reached
the limit, covering the low-rest days of the weeks it touches.

The histories with no planted risk must stay almost silent: at most one caution in any eight
weeks and never a warning (``test_calm_histories_stay_quiet``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from .evaluation import Flag, Outcome, check_marks_were_stored, evaluate_history
from .runners import CALM, HISTORIES, hot_climate_wrist_hr_runner, local_day

#: Rules whose findings RULES.md makes information only (the cadence rule's population hint too).
INFORMATION_RULES = {
    "acwr",
    "shoe_rotation",
    "gct_balance",
    "strength_mobility",
    "short_sleep",
    "cadence",
}


@pytest.fixture(scope="session")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Outcome]:
    """The evaluation of a history by name, computed once per session."""
    folder: Path = tmp_path_factory.mktemp("realistic")
    done: dict[str, Outcome] = {}

    def get(name: str) -> Outcome:
        if name not in done:
            done[name] = evaluate_history(HISTORIES[name](), folder)
        return done[name]

    return get


def assert_flags(result: Outcome, expected: set[Flag]) -> None:
    """The history's flags are exactly ``expected``; information findings come only from the
    information rules."""
    found = result.flags()
    missing, unexpected = expected - found, found - expected
    assert found == expected, (
        f"{result.history.name}: missing {sorted(missing)}, unexpected {sorted(unexpected)}\n"
        + "\n".join(result.described())
    )
    hidden = {flag for flag in result.information() if flag[0] not in INFORMATION_RULES}
    assert not hidden, f"{result.history.name}: flags given as information: {sorted(hidden)}"


def assert_planted_run(result: Outcome, rule: str, mark: str) -> None:
    """The rule's flag is on the planted run, and only on it."""
    history = result.history
    check_marks_were_stored(history)
    assert result.flagged_activity(rule) == {history.marks[mark].id}, "\n".join(result.described())


# -- calm runners: a coach expects nothing ------------------------------------------------------
def test_hot_climate_wrist_hr_runner(outcome):
    """Heat (+14 bpm) and a wrist sensor's 170-180 bpm in minute 1 are not hard starts: every run
    is easy and starts easier than the runner's own easy level."""
    assert_flags(outcome("hot_climate_wrist_hr_runner"), set())


def test_easy_only_runner_without_max_hr(outcome):
    """Without a max HR in the profile, easy runs at 142 bpm are still easy runs."""
    assert_flags(outcome("easy_only_runner_without_max_hr"), set())


def test_three_up_one_down_plan(outcome):
    """The week after a cutback returns to the block's level: judged against the 3-week mean
    (99-107 %), not the cutback (133-143 %); long runs grow by less than 1 km at a time."""
    assert_flags(outcome("three_up_one_down_plan"), set())


def test_travel_week_runner(outcome):
    """20.8 km after a 12.6 km travel week is 112 % of the 3-week mean (18.6 km); the Sunday
    evening run in New York (already Monday in UTC) belongs to the runner's Sunday."""
    assert_flags(outcome("travel_week_runner"), set())


def test_two_week_break_and_return(outcome):
    """After two weeks off: short runs (at most half the old longest run) for the first 14 days,
    then a gradual rebuild — no comeback, no spike, no weekly jump."""
    assert_flags(outcome("two_week_break_and_return"), set())


def test_five_week_break_and_return(outcome):
    """After five weeks off: three weeks of 4-4.7 km runs, then about 2 km more a week."""
    assert_flags(outcome("five_week_break_and_return"), set())


def test_ten_week_break_and_return(outcome):
    """After ten weeks off: 3-4 km runs, then about 2 km more a week; long runs grow by at most
    0.8 km over the longest of the last 30 days (the 1 km floor of session_spike)."""
    assert_flags(outcome("ten_week_break_and_return"), set())


def test_first_ever_runner_from_2_km(outcome):
    """2 → 2.5 → 3 km … is progress, not a spike: steps under 1 km, first runs under 5 km."""
    assert_flags(outcome("first_ever_runner_from_2_km"), set())


def test_hilly_runner_with_negative_split_climbs(outcome):
    """Heart rate that rises on the climb of the second half is the climb, not fatigue:
    grade-adjusted decoupling stays within a few percent (raw: about 12 % on the long runs)."""
    assert_flags(outcome("hilly_runner_with_negative_split_climbs"), set())


def test_separate_warmup_activity_runner(outcome):
    """A hard session 3-4 minutes after a recorded 10-12 minute warm-up jog is warmed up."""
    assert_flags(outcome("separate_warmup_activity_runner"), set())


# -- one planted risk: a coach expects exactly that flag -----------------------------------------
def test_separate_warmup_runner_starts_cold_once(outcome):
    result = outcome("separate_warmup_runner_starts_cold_once")
    expected = {
        # a tempo at 4:24/km from the first metre with no warm-up before it: a cold hard start
        ("warmup", "caution", date(2026, 11, 26)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "warmup", "cold tempo")


def test_bike_days_runner(outcome):
    result = outcome("bike_days_runner")
    expected = {
        # ran on Monday too: with the Sunday ride, Thursday was the only day without training
        ("rest_days", "caution", date(2026, 11, 16)),
    }
    assert_flags(result, expected)
    check_marks_were_stored(result.history)


def test_eight_day_running_streak(outcome):
    result = outcome("eight_day_running_streak")
    expected = {
        # seven running days in a row on Sunday (eight in all): one flag for the whole streak
        ("rest_days", "caution", date(2026, 11, 22)),
    }
    assert_flags(result, expected)
    assert local_day(result.history.marks["seventh day"]) == date(2026, 11, 22)


def test_single_session_spike_over_100_pct(outcome):
    result = outcome("single_session_spike_over_100_pct")
    expected = {
        # 17 km when the longest run of the last 30 days was 8 km: 112.5 % more (Frandsen: HR 2.28)
        ("session_spike", "warning", date(2026, 11, 22)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "session_spike", "17 km")


def test_full_week_after_two_light_weeks(outcome):
    result = outcome("full_week_after_two_light_weeks")
    expected = {
        # 23.6 km after 9.0 and 5.8 km: 189 % of the 3-week mean, 11 km more
        ("weekly_jump", "caution", date(2026, 11, 15)),
    }
    assert_flags(result, expected)
    check_marks_were_stored(result.history)


def test_long_run_jump_in_first_month(outcome):
    result = outcome("long_run_jump_in_first_month")
    expected = {
        # 10.0 km after a 7.5 km longest, 29 days into the history: 33 % more
        ("session_spike", "caution", date(2026, 11, 25)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "session_spike", "10 km")


def test_beginner_doubles_a_short_run(outcome):
    result = outcome("beginner_doubles_a_short_run")
    expected = {
        # 4.3 km after 1.9 km: more than double, but a run of 5 km or less is at most a caution
        ("session_spike", "caution", date(2026, 11, 26)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "session_spike", "4.3 km")


def test_first_ever_run_of_12_7_km(outcome):
    result = outcome("first_ever_run_of_12_7_km")
    expected = {
        # a first run ever of 12.7 km, more than the 5 km a first run may be
        ("comeback", "caution", date(2026, 10, 25)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "comeback", "first run")


def test_too_long_run_after_five_week_break(outcome):
    result = outcome("too_long_run_after_five_week_break")
    expected = {
        # 9.6 km after 38 days without running, more than half the 11 km longest before
        ("comeback", "caution", date(2026, 11, 1)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "comeback", "first run back")


def test_too_long_run_after_ten_week_break(outcome):
    result = outcome("too_long_run_after_ten_week_break")
    expected = {
        # 12.1 km after 73 days without running, more than half the 11 km longest before
        ("comeback", "caution", date(2026, 11, 1)),
    }
    assert_flags(result, expected)
    assert_planted_run(result, "comeback", "first run back")


# -- the quota over the calm histories -----------------------------------------------------------
def test_calm_histories_stay_quiet(outcome):
    """No warning (or high) in any calm history, at most one caution in any eight consecutive
    weeks of one, and at most one caution per eight weeks across all of them."""
    total_weeks, cautions, problems = 0, 0, []
    for name in CALM:
        result = outcome(name)
        history = result.history
        flags = sorted(result.flags(), key=lambda flag: flag[2])
        total_weeks += history.weeks
        cautions += sum(severity == "caution" for _, severity, _ in flags)
        problems += [f"{name}: {flag}" for flag in flags if flag[1] != "caution"]
        for start in _window_starts(history.since, history.until):
            end = start + timedelta(days=8 * 7 - 1)
            inside = [flag for flag in flags if flag[1] == "caution" and start <= flag[2] <= end]
            if len(inside) > 1:
                problems.append(f"{name}: {len(inside)} cautions in 8 weeks from {start}: {inside}")
    assert not problems, "\n".join(problems)
    assert cautions <= total_weeks // 8, f"{cautions} cautions in {total_weeks} calm weeks"


def _window_starts(since: date, until: date) -> list[date]:
    """Mondays starting the 8-week windows of the asserted weeks (one window if fewer)."""
    weeks = ((until - since).days + 1) // 7
    return [since + timedelta(days=7 * k) for k in range(max(weeks - 8, 0) + 1)]


# -- the histories are what they are named after -------------------------------------------------
@pytest.mark.parametrize("name", list(HISTORIES))
def test_history_is_calm_exactly_when_listed_calm(name):
    history = HISTORIES[name]()
    assert history.calm == (name in CALM)
    assert history.calm == (not history.marks)
    assert history.since.weekday() == 0 and history.until.weekday() == 6
    assert len({a.source_sha256 for a in history.activities}) == len(history.activities)


def test_histories_are_deterministic():
    first, second = hot_climate_wrist_hr_runner(), hot_climate_wrist_hr_runner()
    assert [a.start_utc for a in first.activities] == [a.start_utc for a in second.activities]
    for one, two in zip(first.activities, second.activities, strict=True):
        pd.testing.assert_frame_equal(one.samples, two.samples)


def test_hot_climate_runner_reads_like_the_real_one():
    """Median running heart rate about 156 at about 6:00/km; minutes 2-10 lower; a wrist spike
    of 170+ in minute 1 on most runs; five runs and two rest days a week."""
    history = hot_climate_wrist_hr_runner()
    hot = [a for a in history.activities if a.utc_offset_s == 8 * 3600]
    steady = np.concatenate([a.samples["heart_rate_bpm"].to_numpy()[600:] for a in hot])
    assert 152 <= np.median(steady) <= 160
    paces = [a.timer_s / (a.distance_m / 1000.0) for a in hot]
    assert 355 <= np.median(paces) <= 375
    early = [a.samples["heart_rate_bpm"].iloc[120:600].mean() for a in hot]
    assert 138 <= np.median(early) <= 150
    spiked = [a.samples["heart_rate_bpm"].iloc[:30].min() >= 170 for a in history.activities]
    assert 0.4 <= np.mean(spiked) <= 0.8
    days = {local_day(a) for a in history.activities}
    assert len(days) == 5 * 17


@pytest.mark.parametrize(
    "name", ["hilly_runner_with_negative_split_climbs", "separate_warmup_activity_runner"]
)
def test_long_runs_are_about_a_third_of_the_week(name):
    history = HISTORIES[name]()
    frame = pd.DataFrame(
        {
            "day": [pd.Timestamp(local_day(a)) for a in history.activities],
            "km": [a.distance_m / 1000.0 for a in history.activities],
        }
    )
    weeks = frame.groupby(frame["day"] - pd.to_timedelta(frame["day"].dt.day_of_week, "D"))
    share = weeks["km"].max() / weeks["km"].sum()
    assert share.between(0.25, 0.40).all()


def test_hilly_runner_climbs_in_the_second_half_and_never_descends_200_m():
    history = HISTORIES["hilly_runner_with_negative_split_climbs"]()
    for activity in history.activities:
        altitude = activity.samples["altitude_m"].to_numpy()
        half = len(altitude) // 2
        assert altitude[-1] - altitude[half] > 20  # the climb back home comes late
        drops = -np.diff(pd.Series(altitude).rolling(30, min_periods=1).mean().to_numpy())
        assert drops[drops > 0].sum() < 200
