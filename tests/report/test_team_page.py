"""The team page's model and writers: a row read off a weekly report, the ranking, folder names,
the sparkline, and each writer's escaping of names and messages from outside."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pytest

from stridewise.profile import Profile
from stridewise.report.model import NotChecked, WeekTotals
from stridewise.report.team import (
    SEVERITIES,
    AthleteRow,
    LoadTrend,
    PainWeek,
    TeamPage,
    WornShoe,
    athlete_folder,
    athlete_row,
    failed_row,
    first_sentence,
    rank,
)
from stridewise.report.team_page import (
    flag_summary,
    pain_text,
    render_team_html,
    render_team_json,
    render_team_markdown,
    sparkline_svg,
    sparkline_text,
    week_cells,
    write_team_page,
)
from stridewise.rules import SEVERITIES as RULE_SEVERITIES
from stridewise.rules.base import Finding

MONDAY = date(2026, 11, 16)


def finding(severity: str, rule: str = "session_spike", day: date = MONDAY, message: str = "x"):
    return Finding(
        rule=rule,
        factor="load",
        date=day,
        activity_id=None,
        severity=severity,
        value=1.0,
        threshold=1.0,
        unit="%",
        message=message,
        remedy="r",
        evidence="moderate",
        citation="c",
    )


def row(name: str, *severities: str, pain: int | None = None, days: int = 0, **values):
    return AthleteRow(
        athlete=name,
        activities=3,
        flags=tuple(finding(s) for s in severities),
        pain=PainWeek(logged_days=days, pain_days=days, max_score=pain),
        **values,
    )


# -- a row from the weekly report ----------------------------------------------------------------
def test_a_row_is_read_off_the_weekly_report(weekly_report):
    profile = Profile(
        max_hr=190.0,
        rules={"shoe_mileage": {"limit_km": 700}},
        athlete="me",
        overrides=("max_hr", "rules.shoe_mileage", "rules.shoe_mileage.limit_km"),
    )
    result = athlete_row(
        weekly_report,
        activities=5,
        last_activity=date(2026, 11, 22),
        profile=profile,
        report_path="athletes/me/index.html",
    )
    assert result.athlete == "me" and result.has_data
    assert result.totals == weekly_report.totals
    assert result.previous == tuple(week.totals for week in weekly_report.previous_weeks)
    assert result.top_flag.severity == "warning" and result.top_flag.rule == "session_spike"
    assert [f.severity for f in result.flags] == sorted(
        (f.severity for f in weekly_report.flags), key=lambda s: -SEVERITIES.index(s)
    )
    # pain logged in the week: 18 Nov (3) and 22 Nov (4); 11 and 14 Nov are the week before
    assert result.pain == PainWeek(logged_days=2, pain_days=2, max_score=4)
    # Pegasus 40: 350 km to start + 14 weeks of 32 km + 13 km more on the long run
    (shoe,) = result.worn_shoes
    assert (shoe.name, shoe.status, shoe.limit_km) == ("Pegasus 40", "past limit", 700.0)
    assert shoe.distance_km == pytest.approx(811.0, abs=0.5)
    assert result.not_evaluated == tuple(weekly_report.not_evaluated)
    assert result.own_profile == ("max_hr",)
    assert result.own_rules == (("shoe_mileage", "limit_km", 700),)


def test_the_load_trend_sums_the_reports_days_per_iso_week(weekly_report):
    trend = athlete_row(weekly_report, activities=5, last_activity=None).load
    assert trend.weeks[0] == "2026-W36" and trend.weeks[-1] == "2026-W47"
    assert len(trend.values) == 12 and None not in trend.values
    in_week = [r.load for r in weekly_report.load if r.date >= MONDAY]
    assert trend.current == pytest.approx(round(sum(in_week), 1))
    assert trend.unit == weekly_report.load_model.unit


def test_a_week_before_the_history_has_no_load(weekly_report):
    early = replace(weekly_report, load=weekly_report.load[-14:])  # the last two weeks only
    trend = athlete_row(early, activities=1, last_activity=None).load
    assert trend.values[:10] == (None,) * 10 and trend.known == list(trend.values[10:])


def test_the_model_uses_the_rules_severities():
    assert SEVERITIES is RULE_SEVERITIES


# -- ranking ---------------------------------------------------------------------------------------
def test_rows_rank_by_severity_then_pain_then_name():
    rows = [
        row("zed"),
        row("amy", "info"),
        row("bob", "caution", pain=2, days=1),
        row("cat", "warning"),
        row("dan", "caution", pain=5, days=1),
        row("eve", "caution", pain=5, days=3),
        row("fox", pain=7, days=1),
        row("Gus", pain=0, days=2),  # logged, no pain: ranks as if nothing was logged
        failed_row("abe", "damaged"),
        row("hal", "high"),
    ]
    assert [r.athlete for r in rank(rows)] == [
        "hal",
        "cat",
        "eve",
        "dan",
        "bob",
        "fox",
        "Gus",
        "amy",  # information is a hint, not a flag: it ranks with no flag
        "zed",
        "abe",
    ]


def test_page_counts_by_top_severity():
    page = TeamPage(
        "2026-W47",
        MONDAY,
        date(2026, 11, 25),
        rank(
            [
                row("a", "warning", "caution"),
                row("b", "caution"),
                row("c"),
                replace(row("d"), activities=0),
                failed_row("e", "x"),
            ]
        ),
    )
    assert page.counts() == {
        "warning": 1,
        "caution": 1,
        "no flag": 1,
        "no activities": 1,
        "not evaluated": 1,
    }


# -- folder names ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("anna", "anna"),
        ("anna-b", "anna-b"),
        ("Anna", "anna-"),
        ("anna b", "anna-b-"),
        ("../../etc", "etc-"),
        ("zoë", "zo-"),
        ("", "athlete-"),
        ("李伟", "athlete-"),
        ("x" * 300, "x" * 40 + "-"),
    ],
)
def test_athlete_folders_are_safe_names(name, start):
    folder = athlete_folder(name)
    assert re.fullmatch(r"[a-z0-9-]{1,49}", folder), folder
    assert folder == start if not start.endswith("-") else folder.startswith(start)
    if folder != name:
        assert re.fullmatch(re.escape(start) + r"[0-9a-f]{8}", folder)


def test_folders_of_similar_names_differ():
    names = ["anna", "Anna", "ANNA", "anna b", "anna-b", "anna_b", "anna.b"]
    assert len({athlete_folder(name) for name in names}) == len(names)


# -- text ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "first"),
    [
        (
            "The 25.0 km run on 2026-11-22 was 108 % longer (12.0 km). In 5,205 runners, …",
            "The 25.0 km run on 2026-11-22 was 108 % longer (12.0 km).",
        ),
        ("Shoe 'Pair 8' passed its 600.0 km limit. Cushioning wears.", None),
        ("no full stop at all", "no full stop at all"),
    ],
)
def test_first_sentence(message, first):
    assert first_sentence(message) == (first or "Shoe 'Pair 8' passed its 600.0 km limit.")


def test_the_week_against_the_weeks_before():
    current = WeekTotals(44.0, 14400.0, 5, 2, 16.0, 7, 2)
    before = (WeekTotals(40.0, 12000.0, 4, 3, 14.0, 7, 3),) * 4
    cells = week_cells(AthleteRow("a", totals=current, previous=before))
    assert cells == {
        "runs": ("5", "+1 vs 4-week mean of 4"),
        "distance": ("44.0 km", "+10 % vs 4-week mean"),
        "time": ("4:00 h", "+20 % vs 4-week mean"),
    }
    assert week_cells(AthleteRow("a", totals=current))["runs"] == ("5", "no earlier weeks")
    miles = week_cells(AthleteRow("a", totals=current, imperial=True))
    assert miles["distance"][0] == "27.3 mi"


def test_flag_and_pain_texts():
    assert flag_summary(row("a", "warning")) == ""
    assert flag_summary(row("a", "warning", "caution", "info", "info")) == (
        "+3 more: 1 caution, 2 info"
    )
    assert pain_text(row("a")) == "none logged"
    logged = replace(row("a"), pain=PainWeek(logged_days=2, pain_days=0, max_score=0))
    assert pain_text(logged) == "logged 2 days, no pain"
    assert pain_text(row("a", pain=6, days=3)) == "3 days, highest 6/10"


# -- the sparkline -------------------------------------------------------------------------------
TREND = LoadTrend(
    weeks=tuple(f"2026-W{n}" for n in range(36, 48)),
    values=(None, None, 100.0, 200.0, 150.0, 0.0, 200.0, 200.0, 200.0, 200.0, 200.0, 400.0),
    unit="TRIMP",
    model="Banister TRIMP",
)


def test_the_sparkline_draws_a_bar_per_known_week_scaled_to_the_highest():
    svg = str(sparkline_svg(TREND))
    assert svg.startswith('<svg class="spark" role="img" aria-label="Weekly load (Banister TRIMP')
    assert svg.count("<rect") == 10  # the two weeks before the history have none
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"/>', svg)]
    assert max(heights) == 28.0 and heights[0] == 7.0  # 100 of 400, of 28 px
    assert svg.count('class="spark-now"') == 1
    assert "none, none, 100, 200" in svg
    assert sparkline_text(TREND) == "··▂▄▃▁▄▄▄▄▄█"  # eighths of the highest, rounded down


def test_no_load_is_said_not_drawn():
    empty = replace(TREND, values=(None,) * 12)
    assert str(sparkline_svg(empty)) == '<span class="spark-none">no load</span>'
    assert sparkline_text(None) == "no load"


# -- writers ---------------------------------------------------------------------------------------
HOSTILE = "<img src=x onerror=alert(1)>|[x](javascript:alert(1))"


def hostile_page() -> TeamPage:
    flagged = replace(
        row(HOSTILE, "warning"),
        flags=(finding("warning", message=f"Shoe '{HOSTILE}' passed. More."),),
        worn_shoes=(WornShoe(HOSTILE, 610.0, 600.0, "past limit"),),
        not_evaluated=(NotChecked("warmup", f"needs {HOSTILE}", "warm-up"),),
        load=TREND,
        report_path="athletes/x/index.html",
    )
    return TeamPage(
        "2026-W47", MONDAY, date(2026, 11, 25), (flagged, failed_row("<b>bad</b>", HOSTILE))
    )


def test_html_escapes_everything_from_outside():
    html = render_team_html(hostile_page())
    assert "<img" not in html and "<b>bad" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="athletes/x/index.html"' in html
    assert "http" not in html.replace("https://doi.org", "")  # nothing to load


def test_markdown_escapes_everything_from_outside():
    text = render_team_markdown(hostile_page())
    assert not re.search(r"(?<!\\)<(?!br>)", text)  # no raw HTML but our own line breaks
    assert "](javascript" not in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 3  # header and two rows: no '|' from a name split a row
    assert all(line.count(" | ") == table[0].count(" | ") for line in table[1:2])


def test_json_is_strict_and_in_km_and_seconds():
    document = json.loads(render_team_json(hostile_page()), parse_constant=lambda c: pytest.fail(c))
    first = document["athletes"][0]
    assert first["athlete"] == HOSTILE and first["report"] == "athletes/x/index.html"
    assert first["top_flag"]["severity"] == "warning"
    assert first["worn_shoes"] == [
        {"name": HOSTILE, "distance_km": 610.0, "limit_km": 600.0, "status": "past limit"}
    ]
    assert first["load"]["weeks"][0] == {"week": "2026-W36", "load": None}
    assert document["athletes"][1]["error"] == HOSTILE
    assert document["counts"] == {"warning": 1, "not evaluated": 1}


def test_the_page_files_are_owner_only(tmp_path):
    written = write_team_page(hostile_page(), tmp_path / "team")
    assert sorted(path.name for path in written.values()) == ["index.html", "team.json", "team.md"]
    for path in written.values():
        assert path.stat().st_mode & 0o777 == 0o600
