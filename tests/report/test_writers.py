"""The HTML, Markdown and JSON writers on a hand-built report."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from stridewise.errors import InvalidInput
from stridewise.report import charts, parse_formats, write_report
from stridewise.report.formatting import change_text, format_number
from stridewise.report.html import render_html
from stridewise.report.jsonout import render_json, report_json
from stridewise.report.markdown import render_markdown
from stridewise.report.model import (
    Chart,
    LoadModel,
    LoadRow,
    NotChecked,
    PainRow,
    Phrase,
    PreviousWeek,
    RunRow,
    ShoeRow,
    WeeklyReport,
    WeekTotals,
    parse_week,
)
from stridewise.report.style import render
from stridewise.report.summary import summary_lines
from stridewise.rules import RULES
from stridewise.rules.base import CLINICIAN_NOTE, Finding

SPIKE = Finding(
    rule="session_spike",
    factor="load",
    date=date(2026, 11, 22),
    activity_id=12,
    severity="high",
    value=108.3,
    threshold=10.0,
    unit="%",
    message="Your 25.0 km run was 108 % longer than your longest of the previous 30 days.",
    remedy=f"Progress distance gradually. {CLINICIAN_NOTE}",
    evidence="moderate",
    citation="Frandsen 2025, doi:10.1136/bjsports-2024-109380",
)
WARMUP = replace(
    SPIKE,
    rule="warmup",
    factor="warm-up",
    severity="caution",
    value=92.6,
    threshold=80.0,
    unit="% of max HR",
    message="Hard start on 2026-11-22 <fast> & hard.",
    remedy=f"Warm up with 5-10 easy minutes. {CLINICIAN_NOTE}",
    evidence="weak",
    citation="van Mechelen 1993, AJSM 21:711",
)


def shoe_chart() -> Chart:
    frame = pd.DataFrame({"name": ["a"], "distance": [1.0], "limit": [2.0], "status": ["ok"]})
    image = render(charts.shoe_mileage(frame, "km"), "svg", "shoes")
    return Chart("shoes", "Shoe mileage", "Distance against limit.", image=image)


def make_report(**changes) -> WeeklyReport:
    values = dict(
        athlete="me",
        week="2026-W47",
        week_start=date(2026, 11, 16),
        generated_on=date(2026, 11, 25),
        imperial=False,
        totals=WeekTotals(
            distance_km=45.0,
            duration_s=14850.0,
            runs=4,
            rest_days=3,
            longest_run_km=25.0,
            days=7,
        ),
        previous_weeks=[
            PreviousWeek(
                f"2026-W{w}",
                WeekTotals(
                    distance_km=32.0,
                    duration_s=10560.0,
                    runs=4,
                    rest_days=3,
                    longest_run_km=12.0,
                    days=7,
                ),
            )
            for w in (46, 45, 44, 43)
        ],
        runs=[
            RunRow(
                id=12,
                local_date=date(2026, 11, 22),
                local_time="07:30",
                name="Long run",
                distance_km=25.0,
                duration_s=8250.0,
                surface="road",
                surface_source="file",
                shoe="Pegasus 40",
                avg_heart_rate_bpm=150.0,
                load=310.0,
            )
        ],
        flags=[WARMUP, SPIKE],
        rules={rule_id: rule.factor for rule_id, rule in RULES.items()},
        not_evaluated=[
            NotChecked(
                rule="decoupling",
                reason="no steady run of 40 min with heart rate",
                factor="fatigue",
            )
        ],
        went_well=["You kept 3 rest days (Tue, Thu, Sat)."],
        load_model=LoadModel(
            model="banister",
            name="Banister TRIMP",
            unit="TRIMP",
            reason="90% of runs have heart rate",
        ),
        pmc_convention="CTL_t = CTL_{t-1}·e^(-1/42) + ...",
        shoes=[
            ShoeRow(
                name="Pegasus 40",
                distance_km=650.0,
                limit_km=700.0,
                limit_is_default=False,
                status="near limit",
                runs=80,
                first_used=date(2026, 3, 1),
                last_used=date(2026, 11, 22),
                share_4w=1.0,
                retired=False,
            )
        ],
        load=[
            LoadRow(
                date=date(2026, 11, 22),
                load=float("nan"),
                acute=300.0,
                chronic=250.0,
                ctl=40.0,
                atl=50.0,
                tsb=-10.0,
            )
        ],
        pain=[PainRow(date=date(2026, 11, 18), score=3, note=None)],
        charts=[
            shoe_chart(),
            Chart(
                "back-pain",
                "Back pain over load",
                "Scores.",
                missing=Phrase.of("No back pain logged."),
            ),
        ],
        clinician_note=CLINICIAN_NOTE,
    )
    values.update(changes)
    return WeeklyReport(**values)


def test_html_is_one_self_contained_page():
    page = render_html(make_report())
    assert "<script" not in page and "<link" not in page and "@import" not in page
    # charts are inline SVG; an <img> may only be a data URI; nothing references a URL
    assert page.count('<svg class="chart-svg"') == 1
    sources = re.findall(r'src="([^"]+)"', page)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert re.findall(r"url\((?!#)", page) == []  # only fragments of the page itself
    assert re.findall(r'(?:href|src)="(?!#|https://doi\.org/|data:)', page) == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page


def test_html_shows_every_flag_with_numbers_grade_citation_and_advice():
    page = render_html(make_report())
    for flag in (SPIKE, WARMUP):
        assert f'data-rule="{flag.rule}"' in page
        # the advice without the clinician sentence, which the page says once at the top
        assert flag.remedy.removesuffix(f" {CLINICIAN_NOTE}") in page
    assert CLINICIAN_NOTE not in page
    assert "Hard start on 2026-11-22 &lt;fast&gt; &amp; hard." in page  # escaped
    assert "Value 108 % · threshold 10 %" not in page  # percent sticks to its number
    assert "Value 108% · threshold 10%" in page
    assert "Value 92.6 % of max HR · threshold 80 % of max HR" in page
    assert 'href="https://doi.org/10.1136/bjsports-2024-109380"' in page
    assert "Evidence: moderate" in page and "Evidence: weak" in page
    # grouped by risk factor, in the article's order
    assert page.index("<h3>Load and overtraining</h3>") < page.index("<h3>Warm-up</h3>")
    assert (
        "Checked, nothing flagged: Fatigue, Rest, Surface, Shoes, Form, Remedies and recovery."
        in page
    )


def test_html_and_markdown_carry_the_disclaimer_and_never_say_causes():
    report = make_report()
    for text in (render_html(report), render_markdown(report)):
        assert "not medical advice" in text
        assert "doctor or physiotherapist" in text
        assert not re.search(r"\bcause[sd]?\b", text, re.IGNORECASE)


def test_markdown_lists_flags_and_links_charts_as_files():
    text = render_markdown(make_report())
    assert "**HIGH** · `session_spike` · Sun 22 Nov: Your 25.0 km run" in text
    assert "**CAUTION** · `warmup`" in text
    assert "![Shoe mileage](shoes.svg)" in text
    assert "*No back pain logged.*" in text
    assert "| **2026-W47** | **45.0** | **4:08** | **4** | **3** | **25.0** |" in text
    assert "- `decoupling`: no steady run of 40 min with heart rate" in text


def test_json_has_the_contract_fields_and_is_strict():
    document = json.loads(render_json(make_report()))
    assert document["week"] == "2026-W47"
    assert document["totals"]["distance_km"] == 45.0
    assert {f["rule"] for f in document["flags"]} == {"session_spike", "warmup"}
    assert document["load"][0]["load"] is None  # NaN became null
    assert document["pain"] == [{"date": "2026-11-18", "score": 3, "note": None}]
    assert document["charts"][0] == {
        "key": "shoes",
        "title": "Shoe mileage",
        "file": "shoes.svg",
        "missing": None,
    }
    assert document["charts"][1]["file"] is None
    assert document["charts"][1]["missing"] == "No back pain logged."
    # flags exactly as `flags --json` prints them, remedy and all
    assert document["flags"] == [WARMUP.to_json(), SPIKE.to_json()]
    assert document["units"]["shown"] == "km"
    assert document["load_model"]["model"] == "banister"
    assert document["not_evaluated"][0]["rule"] == "decoupling"


def test_json_leaves_pain_out_when_none_is_logged():
    assert "pain" not in report_json(make_report(pain=None))


def test_imperial_report_shows_miles():
    report = make_report(imperial=True)
    page = render_html(report)
    assert "28.0 mi" in page  # 45 km
    assert "Distances in miles" in page
    assert "| **2026-W47** | **28.0** |" in render_markdown(report)


def test_a_week_without_runs_says_so_everywhere():
    report = make_report(
        totals=WeekTotals(
            distance_km=0.0,
            duration_s=0.0,
            runs=0,
            rest_days=7,
            longest_run_km=None,
            days=7,
        ),
        runs=[],
        flags=[],
        went_well=[],
    )
    assert "No runs in 2026-W47" in render_html(report)
    assert "No runs in 2026-W47" in render_markdown(report)
    assert report_json(report)["message"].startswith("No runs in 2026-W47")
    assert summary_lines(report) == ["2026-W47 (Mon 16 Nov 2026 – Sun 22 Nov 2026): no runs."]


def test_write_report_writes_the_chosen_formats_and_the_charts(tmp_path):
    written = write_report(make_report(), tmp_path / "out", ["json", "md"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "report.json",
        "report.md",
        "shoes.svg",
    ]
    assert set(written) == {"json", "md", "chart:shoes"}


def test_summary_lines_count_flags_by_severity():
    assert summary_lines(make_report()) == [
        "2026-W47 (Mon 16 Nov 2026 – Sun 22 Nov 2026): 4 runs, 45.0 km, 4:08 h, 3 rest days, "
        "longest 25.0 km.",
        "Flags: 2 (1 high, 1 caution): session_spike, warmup.",
    ]


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W47", date(2026, 11, 16)),
        ("2026-w01", date(2025, 12, 29)),
        (" 2020-W53", date(2020, 12, 28)),
    ],
)
def test_parse_week(text, monday):
    assert parse_week(text) == monday


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-47", "week '2026-47' is not an ISO week; use YYYY-Www, e.g. 2026-W47"),
        ("2026-W54", "week '2026-W54' does not exist: 2026 has no week 54"),
        ("2025-W53", "week '2025-W53' does not exist: 2025 has no week 53"),
    ],
)
def test_parse_week_rejects_bad_weeks_with_a_clear_message(text, message):
    with pytest.raises(InvalidInput) as caught:
        parse_week(text)
    assert str(caught.value) == message


def test_parse_formats():
    assert parse_formats("json, html") == ("json", "html")
    with pytest.raises(InvalidInput, match="unknown report format 'pdf'"):
        parse_formats("html,pdf")


def test_number_and_change_texts():
    assert format_number(12.0, "km") == "12 km"
    assert format_number(1.234, None) == "1.23"
    assert format_number(None, "km") == "–"
    assert change_text(45.0, [30.0, 30.0, 30.0, 30.0]) == "+50 % vs 4-week mean"
    assert change_text(3.0, []) == "no earlier weeks"
    assert change_text(0.0, [3.0, 3.0, 2.0, 3.0], count=True) == "-2.8 vs 4-week mean of 2.8"
    assert change_text(4.0, [4.0, 4.0], count=True) == "same as 2-week mean of 4"
    assert change_text(5.0, [4.0], count=True) == "+1 vs the week before (4)"
    assert change_text(20.0, [10.0]) == "+100 % vs the week before"


def test_markdown_keeps_the_spaces_around_a_command():
    from stridewise.report.markdown import phrase
    from stridewise.report.model import Command

    text = Phrase.of("Log a day with ", Command("stridewise pain add DATE SCORE"), " to see it.")
    assert phrase(text) == "Log a day with `stridewise pain add DATE SCORE` to see it."
    assert str(text) == "Log a day with `stridewise pain add DATE SCORE` to see it."


def test_the_pmc_formula_is_readable_in_both_writers():
    report = make_report()
    page, markdown = render_html(report), render_markdown(report)
    assert "CTL<sub>t</sub> = CTL<sub>t−1</sub>·e<sup>−1/42</sup>" in page
    assert "CTLₜ = CTLₜ₋₁·exp\\(−1/42\\)" in markdown
    for text in (page, markdown):
        assert "_{" not in text and "^(" not in text


def test_what_went_well_shows_four_lines_and_folds_the_rest():
    lines = [f"Line {n} went well." for n in range(1, 7)]
    page = render_html(make_report(went_well=lines))
    shown, folded = page.split('<details id="went-well-more">')
    assert all(f"<li>Line {n} went well.</li>" in shown for n in range(1, 5))
    assert "<summary>2 more</summary>" in folded
    assert all(f"<li>Line {n} went well.</li>" in folded for n in (5, 6))
    assert '<details id="went-well-more">' not in render_html(make_report(went_well=lines[:4]))
