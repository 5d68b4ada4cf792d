"""Each chart draws hand-made frames: labelled axes with units, the palette, no empty charts."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from stridewise.errors import InvalidInput
from stridewise.report import charts, style
from stridewise.report.style import to_png

MONDAYS = [date(2026, 8, 3) + timedelta(weeks=k) for k in range(16)]


def weeks_frame(distances: list[float]) -> pd.DataFrame:
    mondays = MONDAYS[-len(distances) :]
    distance = pd.Series(distances, dtype="float64")
    previous = distance.shift(1)
    return pd.DataFrame(
        {
            "week": [f"{m.isocalendar()[0]}-W{m.isocalendar()[1]:02d}" for m in mondays],
            "week_start": mondays,
            "distance": distance,
            "change_pct": ((distance / previous - 1) * 100).where(previous > 0),
        }
    )


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for axes in figure.axes for t in axes.texts]


def assert_png(figure: Figure) -> None:
    png = to_png(figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == round(style.FIGURE_WIDTH_IN * style.DPI)


def test_weekly_distance_highlights_the_report_week_and_labels_units():
    frame = weeks_frame([20.0, 25.0, 0.0, 30.0, 24.0])
    figure = charts.weekly_distance(frame, "mi", report_week=frame["week"].iloc[-1])
    top, bottom = figure.axes
    assert top.get_ylabel() == "Distance [mi]"
    assert bottom.get_ylabel() == "Change [%]"
    colours = [mcolors.to_hex(bar.get_facecolor()) for bar in top.patches]
    assert colours == [style.HISTORY.lower()] * 4 + [style.REPORT_WEEK.lower()]
    heights = [round(bar.get_height(), 3) for bar in bottom.patches]
    # 20 -> 25 is +25 %; 25 -> 0 is -100 %; 0 -> 30 has no change (drawn as 0); 30 -> 24 is -20 %
    assert heights == [0.0, 25.0, -100.0, 0.0, -20.0]
    assert_png(figure)


def test_weekly_distance_clips_a_huge_change_and_writes_its_value():
    figure = charts.weekly_distance(weeks_frame([5.0, 40.0]), "km")
    bottom = figure.axes[1]
    assert bottom.patches[1].get_height() == pytest.approx(150.0)
    assert "+700%" in texts(figure)


def test_daily_load_draws_bars_and_both_lines_with_the_load_unit():
    days = pd.DataFrame(
        {
            "date": pd.date_range("2026-10-01", periods=28).date,
            "load": np.tile([50.0, 0.0, 80.0, 0.0], 7),
            "acute": np.linspace(30, 40, 28),
            "chronic": np.linspace(25, 30, 28),
        }
    )
    figure = charts.daily_load(days, "TRIMP", date(2026, 10, 19), "acute", "chronic")
    axes = figure.axes[0]
    assert axes.get_ylabel() == "Load [TRIMP]"
    labels = [line.get_label() for line in axes.get_lines()]
    assert labels == ["acute", "chronic"]
    assert len(axes.patches) >= 28  # one bar per day (plus the shaded week)
    assert_png(figure)


def test_pmc_has_fitness_fatigue_and_form():
    days = pd.DataFrame(
        {
            "date": pd.date_range("2026-10-01", periods=30).date,
            "ctl": np.linspace(20, 30, 30),
            "atl": np.linspace(25, 35, 30),
            "tsb": np.linspace(-5, 5, 30),
        }
    )
    figure = charts.pmc(days, "rTSS")
    top, bottom = figure.axes
    assert [line.get_label() for line in top.get_lines()] == [
        "fitness (CTL, 42 days)",
        "fatigue (ATL, 7 days)",
    ]
    assert top.get_ylabel() == "Load [rTSS/day]"
    assert bottom.get_ylabel() == "form (TSB)"
    assert_png(figure)


def test_rest_calendar_counts_rest_days_and_marks_short_weeks():
    days = pd.date_range("2026-11-02", "2026-11-15").date
    # week 1: runs every day but Sunday (1 rest day); week 2: runs Mon/Wed/Fri (4 rest days)
    distance = [5.0] * 6 + [0.0] + [8.0, 0, 8.0, 0, 8.0, 0, 0]
    frame = pd.DataFrame(
        {"date": days, "distance": distance, "other_sport": [False] * 8 + [True] + [False] * 5}
    )
    figure = charts.rest_calendar(frame, "km", date(2026, 11, 9))
    axes = figure.axes[0]
    rest_labels = {t.get_text(): t for t in axes.texts if t.get_text().endswith("rest")}
    assert set(rest_labels) == {"1 rest", "4 rest"}
    assert rest_labels["1 rest"].get_fontweight() == "bold"
    hatched = [p for p in axes.patches if p.get_hatch()]
    assert len(hatched) == 1  # the one day with another sport only
    assert [t.get_text() for t in axes.get_yticklabels()] == ["2 Nov", "9 Nov"]
    assert_png(figure)


def test_shoe_mileage_says_distance_limit_and_share_in_words():
    shoes = pd.DataFrame(
        {
            "name": ["Pegasus 40", "Speedgoat 5"],
            "distance": [612.0, 120.0],
            "limit": [600.0, 700.0],
            "status": ["past limit", "ok"],
        }
    )
    figure = charts.shoe_mileage(shoes, "km")
    assert "612 / 600 km (102%)" in texts(figure)
    assert "120 / 700 km (17%)" in texts(figure)
    assert figure.axes[0].get_xlabel() == "Distance [km]"
    past = figure.axes[0].patches[0]
    assert past.get_hatch() == "xx"  # not colour alone
    assert_png(figure)


def test_surface_mix_stacks_surfaces_in_a_fixed_order():
    frame = weeks_frame([10.0, 20.0])[["week", "week_start"]].assign(
        trail=[2.0, 5.0], road=[8.0, 15.0]
    )
    figure = charts.surface_mix(frame, "km", frame["week"].iloc[-1])
    axes = figure.axes[0]
    [legend] = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == ["road", "trail"]
    tops = [bar.get_y() + bar.get_height() for bar in axes.patches]
    assert tops[-2:] == [10.0, 20.0]  # trail stacked on road
    assert_png(figure)


def test_minutes_by_kind_stacks_kinds_and_leaves_out_kinds_never_done():
    frame = weeks_frame([10.0, 20.0])[["week", "week_start"]].assign(
        run=[120.0, 150.0], strength=[30.0, 0.0], mobility=[0.0, 45.0], cross=[0.0, 0.0],
        other=[0.0, 0.0],
    )  # fmt: skip
    figure = charts.minutes_by_kind(frame, frame["week"].iloc[-1])
    axes = figure.axes[0]
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels == ["running", "strength/core", "mobility"]  # no cross-training drawn
    tops = [bar.get_y() + bar.get_height() for bar in axes.patches]
    assert tops[-2:] == [150.0, 195.0]  # mobility on strength on running
    assert axes.get_ylabel() == "Minutes"
    assert_png(figure)


def test_recovery_draws_resting_heart_rate_with_its_baseline_and_sleep():
    days = pd.DataFrame(
        {
            "date": pd.date_range("2026-11-01", periods=14).date,
            "resting_hr_bpm": [50.0] * 10 + [np.nan] + [56.0] * 3,
            "baseline_bpm": 50.0,
            "sleep_h": [7.5] * 7 + [np.nan] * 2 + [6.0] * 5,
        }
    )
    figure = charts.recovery(days, date(2026, 11, 9), rise_bpm=5.0, min_sleep_h=7.0)
    heart, sleep = figure.axes
    assert heart.get_ylabel() == "Resting HR [bpm]" and sleep.get_ylabel() == "Sleep [h]"
    resting, base, rise = heart.get_lines()
    assert list(rise.get_ydata()) == [55.0] * 14
    assert [round(bar.get_height(), 1) for bar in sleep.patches][-5:] == [6.0] * 5
    assert_png(figure)
    only_sleep = charts.recovery(days.assign(resting_hr_bpm=np.nan), None)
    assert [axes.get_ylabel() for axes in only_sleep.axes] == ["Sleep [h]"]
    with pytest.raises(InvalidInput, match="no resting heart rate or sleep"):
        charts.recovery(days.assign(resting_hr_bpm=np.nan, sleep_h=np.nan))


def test_surface_mix_legend_of_every_surface_stays_inside_the_figure():
    """The demo week's five surfaces in one legend row ran past the chart's right edge."""
    frame = weeks_frame([10.0, 20.0])[["week", "week_start"]].assign(
        road=[8.0, 9.0], trail=[1.0, 5.0], track=[1.0, 2.0], treadmill=[0.0, 3.0], unknown=[0, 1.0]
    )
    figure = charts.surface_mix(frame, "km", frame["week"].iloc[-1])
    figure.canvas.draw()
    [legend] = figure.legends
    assert {text.get_text() for text in legend.get_texts()} == set(charts.SURFACE_STYLE)
    box, inside = legend.get_window_extent(), figure.bbox
    assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and box.y1 <= inside.y1


def test_legends_of_the_remedy_and_recovery_charts_stay_inside_the_figure():
    weeks = weeks_frame([10.0, 20.0])[["week", "week_start"]].assign(
        run=[120.0, 150.0], strength=[30.0, 10.0], mobility=[20.0, 45.0], cross=[60.0, 0.0],
        other=[5.0, 0.0],
    )  # fmt: skip
    days = pd.DataFrame(
        {
            "date": pd.date_range("2026-11-01", periods=14).date,
            "resting_hr_bpm": 50.0,
            "baseline_bpm": 50.0,
            "sleep_h": 7.0,
        }
    )
    for figure in (charts.minutes_by_kind(weeks), charts.recovery(days)):
        figure.canvas.draw()
        [legend] = figure.legends
        box, inside = legend.get_window_extent(), figure.bbox
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and box.y1 <= inside.y1


def test_form_balance_marks_runs_outside_the_band_with_another_marker():
    runs = pd.DataFrame(
        {
            "label": ["Mon 9 Nov", "Wed 11 Nov", "Mon 16 Nov"],
            "in_week": [False, False, True],
            "cadence_spm": [170.0, 171.0, 158.0],
            "cadence_low": [165.0, 165.0, 165.0],
            "cadence_high": [175.0, 175.0, 175.0],
        }
    )
    figure = charts.form_balance(runs)
    assert len(figure.axes) == 1  # no balance column: one panel
    axes = figure.axes[0]
    assert axes.get_ylabel() == "Cadence [steps/min]"
    inside, outside, no_band = axes.collections
    assert len(inside.get_offsets()) == 2
    assert outside.get_offsets().tolist() == [[2.0, 158.0]]
    assert len(no_band.get_offsets()) == 0
    assert_png(figure)


def test_warmup_draws_one_line_per_run_and_the_easy_level():
    minutes = np.arange(0, 15, 0.5)
    curves = pd.concat(
        [
            pd.DataFrame({"run": "Mon", "minute": minutes, "intensity": 120 + minutes}),
            pd.DataFrame({"run": "Sun", "minute": minutes, "intensity": 165.0}),
        ]
    )
    figure = charts.warmup(curves, "Heart rate [beats/min]", 148.0, "your easy level 148")
    axes = figure.axes[0]
    assert [line.get_label() for line in axes.get_lines()[:2]] == ["Mon", "Sun"]
    assert axes.get_lines()[0].get_linestyle() != axes.get_lines()[1].get_linestyle()
    assert axes.get_xlabel() == "Moving time from the start [min]"
    assert "your easy level 148" in texts(figure)
    assert "minutes 1.5-10" in texts(figure)
    assert_png(figure)


def test_pain_over_load_draws_only_logged_days():
    days = pd.DataFrame(
        {
            "date": pd.date_range("2026-11-01", periods=10).date,
            "load": np.arange(10.0),
            "pain": [np.nan, 2, np.nan, np.nan, 4, np.nan, np.nan, np.nan, np.nan, 1],
        }
    )
    figure = charts.pain_over_load(days, "TRIMP")
    pain_axes = figure.axes[1]
    (line,) = pain_axes.get_lines()
    assert list(line.get_ydata()) == [2, 4, 1]
    assert line.get_linestyle() == "None"  # markers only: no invented scores between entries
    assert pain_axes.get_ylabel() == "Back pain [0-10]"
    assert_png(figure)


@pytest.mark.parametrize(
    ("chart", "args"),
    [
        (charts.weekly_distance, ("km",)),
        (charts.daily_load, ("TRIMP",)),
        (charts.pmc, ("TRIMP",)),
        (charts.rest_calendar, ("km",)),
        (charts.shoe_mileage, ("km",)),
        (charts.surface_mix, ("km",)),
        (charts.form_balance, ()),
        (charts.pain_over_load, ("TRIMP",)),
        (charts.minutes_by_kind, ()),
        (charts.recovery, ()),
    ],
)
def test_a_chart_with_nothing_to_draw_raises_instead_of_drawing_empty_axes(chart, args):
    with pytest.raises(InvalidInput, match="chart"):
        chart(pd.DataFrame(), *args)


def test_charts_never_touch_pyplot():
    source = Path(charts.__file__).parent
    for module in source.glob("*.py"):
        assert "pyplot" not in module.read_text(encoding="utf-8").replace("NO pyplot", "").replace(
            "never pyplot", ""
        ), module.name
    script = (
        "import sys, pandas as pd\n"
        "from stridewise.report import charts, style\n"
        "frame = pd.DataFrame({'name': ['a'], 'distance': [1.0], 'limit': [2.0],\n"
        "                      'status': ['ok']})\n"
        "style.to_png(charts.shoe_mileage(frame, 'km'))\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def shoe_figure(name: str = "a") -> Figure:
    frame = pd.DataFrame({"name": [name], "distance": [1.0], "limit": [2.0], "status": ["ok"]})
    return charts.shoe_mileage(frame, "km")


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_a_chart_is_laid_out_and_drawn_once(fmt, monkeypatch):
    draws = []
    original = Figure.draw
    monkeypatch.setattr(
        Figure, "draw", lambda self, renderer: draws.append(original(self, renderer))
    )
    figure = shoe_figure()
    image = style.render(figure, fmt, "shoes")
    assert len(draws) == 1  # savefig with a layout engine would draw it twice
    assert image.format == fmt and image.data
    if fmt == "svg":
        assert image.data.startswith(b"<?xml") and b"<metadata>" not in image.data
        width_in, height_in = figure.get_size_inches()
        assert width_in == style.FIGURE_WIDTH_IN
        assert (image.width_px, image.height_px) == (round(width_in * 96), round(height_in * 96))
    else:
        assert (image.width_px, image.height_px) == style.png_size(image.data)


def test_the_same_chart_gives_the_same_bytes():
    first = style.render(shoe_figure(), "svg", "shoes").data
    assert style.render(shoe_figure(), "svg", "shoes").data == first
    assert style.render(shoe_figure(), "svg", "other").data != first  # ids salted per chart


def test_names_are_plain_text_and_shortened_in_charts():
    name = "Pegasus $120 / Vomero $160"
    figure = shoe_figure(name)
    svg = style.render(figure, "svg", "shoes").data.decode("utf-8")
    (label,) = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert label == "Pegasus $120 / Vomero $…"  # 24 characters, mathtext off
    assert f">{label}</text>" in svg
    assert to_png(shoe_figure(name))[:8] == b"\x89PNG\r\n\x1a\n"  # no mathtext ParseException
    assert not any(t.get_text().startswith("x" * 30) for t in shoe_figure("x" * 100_000).texts)


def test_no_chart_text_is_smaller_than_the_minimum():
    figures = [
        charts.weekly_distance(weeks_frame([5.0, 40.0, 20.0] * 5), "km"),
        shoe_figure(),
        charts.rest_calendar(
            pd.DataFrame(
                {
                    "date": pd.date_range("2026-11-02", "2026-11-15").date,
                    "distance": [5.0, 0.0] * 7,
                    "other_sport": [False] * 14,
                }
            ),
            "km",
            date(2026, 11, 9),
        ),
    ]
    for figure in figures:
        style.render(figure, "svg")
        sizes = [t.get_fontsize() for t in figure.findobj(Text) if t.get_text()]
        assert min(sizes) >= style.MIN_FONT_PT
