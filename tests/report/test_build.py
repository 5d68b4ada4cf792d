"""The report built from a real store: totals, flags, charts, what went well, odd weeks."""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from markupsafe import escape
from report_history import ATHLETE, PROFILE, REPORT_MONDAY, REPORT_WEEK, SPIKE_KM, TODAY, fill_store

from stridewise.errors import InvalidInput
from stridewise.history import History
from stridewise.report import build_report, default_out_dir, write_report
from stridewise.report.build import default_week
from stridewise.report.formatting import md_escape
from stridewise.report.html import render_html
from stridewise.report.markdown import render_markdown
from stridewise.store import Store

CHART_KEYS = [
    "weekly-distance",
    "daily-load",
    "pmc",
    "rest-calendar",
    "shoes",
    "surface-mix",
    "form",
    "warm-up",
    "minutes-by-kind",
    "recovery",
    "back-pain",
]


@pytest.fixture(scope="module")
def written(weekly_report, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report") / default_out_dir(weekly_report)
    write_report(weekly_report, folder)
    return folder


def test_default_week_is_the_last_complete_week_with_runs(report_db):
    with Store(report_db) as store:
        history = History.from_store(store, ATHLETE, PROFILE)
    assert default_week(history, TODAY) == REPORT_MONDAY
    # on the report week's own Sunday that week is not complete yet
    assert default_week(history, REPORT_MONDAY + timedelta(days=6)) == REPORT_MONDAY - timedelta(7)
    with pytest.raises(InvalidInput, match="no complete week with runs yet"):
        default_week(history, date(2026, 8, 20))


def test_report_json_has_the_contract_fields(written, weekly_report):
    document = json.loads((written / "report.json").read_text(encoding="utf-8"))
    assert document["week"] == REPORT_WEEK
    # plan: Mon 6, Wed 8, Fri 6 km and the long run; Tue had only a bike ride: not a rest day
    # and not a running day (RULES.md), so 2 rest days and 3 days without running
    assert document["totals"] == {
        "distance_km": 20.0 + SPIKE_KM,
        "duration_s": (20.0 + SPIKE_KM) * 330.0,
        "runs": 4,
        "rest_days": 2,
        "longest_run_km": SPIKE_KM,
        "days": 7,
        "days_without_running": 3,
        "descent_m": None,  # no run with barometric or corrected altitude
    }
    assert [w["week"] for w in document["previous_weeks"]] == [
        "2026-W46",
        "2026-W45",
        "2026-W44",
        "2026-W43",
    ]
    assert document["previous_weeks"][0]["distance_km"] == 32.0
    assert document["flags"] == [finding.to_json() for finding in weekly_report.flags]
    for flag in document["flags"]:
        assert set(flag) >= {
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
        assert REPORT_MONDAY.isoformat() <= flag["date"] <= "2026-11-22"
    assert document["shoes"][0]["name"] == "Pegasus 40"
    assert document["shoes"][0]["distance_km"] == pytest.approx(350.0 + 13 * 32.0 + 45.0)
    load = document["load"]
    assert load[-1]["date"] == "2026-11-22" and len(load) == 12 * 7
    assert {"load", "acute", "chronic", "ctl", "atl", "tsb"} <= set(load[-1])
    assert load[-1]["load"] > 0 and load[-2]["load"] == 0  # Sun ran, Sat rested
    assert [entry["score"] for entry in document["pain"]] == [2, 1, 3, 4]
    assert document["load_model"]["model"] == "banister"
    assert "e^(-1/42)" in document["pmc_convention"]
    assert document["units"]["shown"] == "km"
    assert document["units"]["load"] == "TRIMP"
    assert "not_evaluated" in document


def test_the_weeks_known_flags_are_raised(weekly_report):
    rules = {flag.rule: flag for flag in weekly_report.flags}
    assert rules["session_spike"].date == date(2026, 11, 22)
    assert rules["session_spike"].severity == "warning"  # 25 km after a longest of 12 km: +108 %
    assert rules["warmup"].date == date(2026, 11, 22)
    assert rules["shoe_mileage"].factor == "shoes"  # 350 km initial + the runs: past 700 km


def test_every_flag_of_the_week_appears_in_html_and_markdown(weekly_report, written):
    page = (written / "index.html").read_text(encoding="utf-8")
    markdown = (written / "report.md").read_text(encoding="utf-8")
    assert weekly_report.flags
    for flag in weekly_report.flags:
        assert f'data-rule="{flag.rule}"' in page
        assert f"`{flag.rule}`" in markdown
        message = flag.message
        assert str(escape(message)) in page
        assert md_escape(message) in markdown


def test_every_chart_is_drawn_or_says_why_not(weekly_report, written):
    assert [chart.key for chart in weekly_report.charts] == CHART_KEYS
    for chart in weekly_report.charts:
        assert chart.image is not None, (chart.key, chart.missing)
        assert (written / chart.filename).read_bytes() == chart.image.data
        assert f"]({chart.filename})" in (written / "report.md").read_text(encoding="utf-8")


def test_remedies_count_minutes_by_kind_week_by_week(written):
    remedies = json.loads((written / "report.json").read_text(encoding="utf-8"))["remedies"]
    assert len(remedies["weeks"]) == 12
    # the report week: runs of 6, 8, 6 and 25 km at 5:30/km = 247.5 min; strength on Monday
    # evening and yoga on Saturday (25 min each); Tuesday's 165-minute bike ride is cross-training
    assert remedies["weeks"][-1] == {
        "week": REPORT_WEEK,
        "week_start": REPORT_MONDAY.isoformat(),
        "run_min": 247.5,
        "strength_min": 25.0,
        "mobility_min": 25.0,
        "cross_min": 165.0,
        "other_min": 0.0,
        "strength_sessions": 1,
        "mobility_sessions": 1,
    }
    # yoga every other week: none in W46
    assert remedies["weeks"][-2]["mobility_sessions"] == 0
    assert [(s["sport"], s["kind"]) for s in remedies["sessions"]] == [
        ("strength training", "strength"),
        ("cycling", "cross"),
        ("yoga", "mobility"),
    ]
    # four runs in each of the last four weeks: the reassuring line is true
    assert remedies["reassurance"].startswith("Running regularly, as you do, is associated")


def test_recovery_shows_resting_heart_rate_against_the_rules_baseline(written, weekly_report):
    recovery = json.loads((written / "report.json").read_text(encoding="utf-8"))["recovery"]
    days = recovery["days"]
    assert len(days) == 12 * 7 and days[-1]["date"] == "2026-11-22"
    assert all(day["baseline_bpm"] is not None for day in days)  # 60 days measured before
    # resting heart rate rose by about 6 bpm from the Saturday before the report week
    assert recovery["week_resting_hr_bpm"] - days[-1]["baseline_bpm"] > 4.0
    assert recovery["nights_measured"] == 7
    assert any(flag.rule == "resting_hr_rise" for flag in weekly_report.flags)


def test_what_went_well_comes_from_the_data(weekly_report):
    well = " ".join(weekly_report.went_well)
    # Tuesday's bike ride is training: two rest days, and the ride said as other training
    assert (
        "You kept 2 rest days (Thu, Sat), and 1 day of other training." in weekly_report.went_well
    )
    assert "Cadence stayed within 5 % of your own speed-matched baseline" in well
    # the week had a spike, a hard start and worn shoes: none of those may be praised
    assert "jumped" not in well and "easy effort" not in well and "within their limits" not in well


def test_charts_are_left_out_with_a_reason_when_their_data_is_missing(tmp_path):
    with Store(tmp_path / "bare.db") as store:
        fill_store(store, shoes=False, pain=False, wellness=False)
        report = build_report(store, ATHLETE, PROFILE, today=TODAY)
    missing = {chart.key: chart.missing for chart in report.charts if chart.image is None}
    assert set(missing) == {"shoes", "recovery", "back-pain"}
    assert str(missing["recovery"]) == (
        "No resting heart rate or sleep recorded: they come from a watch's daily wellness data. "
        "Import a Garmin Connect export (its wellness files) or an Apple Health export to see them."
    )
    assert report.recovery is not None and report.recovery.days == ()
    assert "stridewise shoes add" in str(missing["shoes"])
    assert "stridewise pain add" in str(missing["back-pain"])
    assert "pain" not in json.loads(
        (Path(write_report(report, tmp_path / "out")["json"])).read_text(encoding="utf-8")
    )
    # the command as <code>, never Markdown backticks, in the page
    page = render_html(report)
    assert "<code>stridewise shoes add NAME --default</code>" in page
    assert "<code>stridewise pain add DATE SCORE</code>" in page
    text = re.sub(r"<[^>]+>", "", page)
    assert html.unescape(str(missing["shoes"]).replace("`", "")) in html.unescape(text)
    assert "`" not in text


@pytest.mark.parametrize("week", ["2026-W49", "2026-W30"])
def test_a_week_without_runs_gives_a_clear_message(report_db, week, tmp_path):
    with Store(report_db) as store:
        report = build_report(store, ATHLETE, PROFILE, week=week, today=date(2026, 12, 20))
    assert report.totals.runs == 0 and not report.runs and not report.flags
    paths = write_report(report, tmp_path)
    assert f"No runs in {week}" in paths["html"].read_text(encoding="utf-8")
    assert f"No runs in {week}" in paths["md"].read_text(encoding="utf-8")
    document = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert document["message"].startswith(f"No runs in {week}")
    assert {c.key for c in report.charts if c.image is None} >= {"warm-up"}


def test_a_week_after_the_last_run_counts_its_days_as_rest(report_db):
    with Store(report_db) as store:
        report = build_report(store, ATHLETE, PROFILE, week="2026-W48", today=date(2026, 12, 1))
    assert report.totals.rest_days == 7
    assert report.previous_weeks[0].week == REPORT_WEEK


def test_imperial_profile_shows_miles(report_db):
    with Store(report_db) as store:
        report = build_report(
            store, ATHLETE, replace(PROFILE, units="imperial"), today=TODAY, draw_charts=False
        )
    assert report.distance(report.totals.distance_km) == "28.0 mi"
    assert report.totals.distance_km == 45.0  # JSON stays in km
    assert "| **2026-W47** | **28.0** |" in render_markdown(report)


def test_the_store_is_read_only_for_a_report(report_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(report_db, copy)
    with Store(copy) as store:
        before = store.count_activities(ATHLETE)
        build_report(store, ATHLETE, PROFILE, today=TODAY, draw_charts=False)
        assert store.count_activities(ATHLETE) == before


def test_the_report_never_says_causes(written):
    for name in ("index.html", "report.md"):
        text = re.sub(r"<svg.*?</svg>", "", (written / name).read_text("utf-8"), flags=re.DOTALL)
        # the one allowed use denies causation (issue #6: "associated with, not caused by")
        text = re.sub(r"not (caused by|shown to cause)", "", text)
        assert not re.search(r"\bcause[sd]?\b", text, re.IGNORECASE)  # "causal support" is fine


def test_what_went_well_follows_the_runners_own_thresholds(tmp_path):
    # the praise is the rule's own sentence from its own checks: with session_spike's window
    # set to 21 days it names 21 days, and the report holds no threshold of its own (RULES.md)
    with Store(tmp_path / "calm.db") as store:
        fill_store(store, spike=False)
        default = build_report(store, ATHLETE, PROFILE, today=TODAY, draw_charts=False)
        short = replace(PROFILE, rules={"session_spike": {"window_days": 21}})
        changed = build_report(store, ATHLETE, short, today=TODAY, draw_charts=False)
    (line,) = [text for text in default.went_well if "No single run jumped" in text]
    assert line == (
        "No single run jumped in distance: your longest (12.0 km) stayed within 10 % of the "
        "longest of the 30 days before (12.0 km)."
    )
    (line,) = [text for text in changed.went_well if "No single run jumped" in text]
    assert "the longest of the 21 days before" in line


def test_a_week_still_going_on_says_so_and_a_future_week_is_an_error(report_db):
    with Store(report_db) as store:
        current = build_report(
            store, ATHLETE, PROFILE, week="2026-W48", today=TODAY, draw_charts=False
        )
        assert current.notes[0] == (
            "This week is not over yet: its numbers and flags run up to 2026-11-25."
        )
        assert current.totals.rest_days == 3  # Mon-Wed so far, no training
        with pytest.raises(InvalidInput) as caught:
            build_report(store, ATHLETE, PROFILE, week="2026-W50", today=TODAY)
    assert str(caught.value) == "week 2026-W50 has not started yet (today is 2026-11-25)"


def test_pain_associations_section_in_every_format(weekly_report):
    from stridewise.report.html import render_html
    from stridewise.report.jsonout import report_json
    from stridewise.report.markdown import render_markdown

    result = weekly_report.pain_associations
    assert (result.logged_days, result.pain_days) == (4, 2)  # scores 2, 1, 3, 4
    assert result.warning.startswith("Only 2 pain days")
    assert report_json(weekly_report)["pain_associations"]["pain_days"] == 2
    for text in (render_html(weekly_report), render_markdown(weekly_report)):
        assert "Your back pain and what came before it" in text
        assert "associated with, not caused by" in text


def test_the_chart_style_is_set_once_for_all_charts(report_db, monkeypatch):
    import matplotlib

    from stridewise.report import style

    entered = []
    original = matplotlib.rc_context
    monkeypatch.setattr(
        style.matplotlib, "rc_context", lambda *a, **k: entered.append(a) or original(*a, **k)
    )
    before = matplotlib.rcParams["svg.hashsalt"]
    with Store(report_db) as store:
        report = build_report(store, ATHLETE, PROFILE, today=TODAY)
    assert len([c for c in report.charts if c.image is not None]) == len(CHART_KEYS)
    assert len(entered) == 1  # one rc context around every chart, not one per chart
    assert matplotlib.rcParams["svg.hashsalt"] == before  # and nothing global left changed
