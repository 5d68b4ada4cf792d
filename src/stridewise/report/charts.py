"""The report's charts, one function each, drawn from plain DataFrames.

Every function takes the numbers it draws (already in the runner's unit and local dates) and
returns a ``matplotlib.figure.Figure``; ``stridewise.report.style.render`` renders it once, as SVG
or PNG. Every text is plain (no mathtext) and names from files are shortened. Deciding
*whether* a chart has enough data, and saying why not, is the caller's job
(``stridewise.report.build``): a function given nothing to draw raises ``InvalidInput`` rather than
drawing empty axes.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from stridewise.errors import InvalidInput
from stridewise.report import style
from stridewise.report.formatting import BALANCE_BAND_POINTS, CHART_NAME_LIMIT, shorten
from stridewise.report.style import new_figure, shade_span, styled

#: Surfaces in stacking order, with their colour and hatching (hatching so print stays readable).
SURFACE_STYLE = {
    "road": (style.BLUE, ""),
    "track": (style.ORANGE, ""),
    "trail": (style.GREEN, "//"),
    "treadmill": (style.PURPLE, ""),
    "unknown": (style.LIGHT_GREY, ".."),
}

#: Kinds of session in stacking order (``stridewise.kinds``), with colour and hatching.
KIND_STYLE = {
    "run": (style.BLUE, ""),
    "strength": (style.VERMILLION, "xx"),
    "mobility": (style.GREEN, "//"),
    "cross": (style.ORANGE, ""),
    "other": (style.LIGHT_GREY, ".."),
}
KIND_LABELS = {
    "run": "running",
    "strength": "strength/core",
    "mobility": "mobility",
    "cross": "cross-training",
    "other": "other",
}

#: Line styles for several runs on one axis, so runs differ by more than colour.
_RUN_COLOURS = [
    style.BLUE,
    style.VERMILLION,
    style.GREEN,
    style.PURPLE,
    style.ORANGE,
    style.BLACK,
    style.SKY_BLUE,
]
_RUN_DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1))]

#: Week-on-week change shown on the change panel [%]; larger changes are clipped and labelled.
_CHANGE_SHOWN_PCT = (-100.0, 150.0)

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [column for column in columns if column not in frame]
    if missing:
        raise InvalidInput(f"{what} chart: missing column(s) {', '.join(missing)}")
    if frame.empty:
        raise InvalidInput(f"{what} chart: nothing to draw")


def _legend_above(axes: Axes, ncols: int, **kwargs: object) -> None:
    """A legend in a row above the axes, where it never hides data."""
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=ncols,
        borderaxespad=0.2,
        handletextpad=0.5,
        columnspacing=1.0,
        **kwargs,
    )


def _legend_on_top(figure: Figure, axes: Axes, ncols: int) -> None:
    """The legend of ``axes`` across the top of the whole figure: labels too long to sit in
    columns over the axes alone (which start after the y labels) get the figure's full width."""
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="outside upper left",
        ncols=ncols,
        borderaxespad=0.2,
        handletextpad=0.5,
        columnspacing=0.8,
    )


def _every_other(count: int, index: int, step: int = 2) -> bool:
    """Label every ``step``-th week, counting back from the newest so the newest is labelled."""
    return (count - 1 - index) % step == 0


def _week_step(count: int) -> int:
    """How many weeks apart the labels are: at most about six labels fit a 4-inch axis."""
    return max(1, math.ceil(count / 6))


def _date_axis(axes: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _as_timestamps(days: pd.Series) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(pd.Series(days)))


def _week_span(
    week_start: date | None, points_at_midnight: bool = False
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The report week on a time axis: whole days for bars drawn at noon, or half a day either
    side of the Monday and Sunday points of a line drawn at midnight."""
    if week_start is None:
        return None
    start = pd.Timestamp(week_start)
    if points_at_midnight:
        start -= pd.Timedelta(hours=12)
    return start, start + pd.Timedelta(days=7)


@styled
def weekly_distance(weeks: pd.DataFrame, unit: str, report_week: str | None = None) -> Figure:
    """Distance per week, and its change from the week before.

    ``weeks``: one row per ISO week, oldest first, with ``week`` (label ``YYYY-Www``),
    ``week_start`` (the Monday, a date), ``distance`` [unit] and ``change_pct`` (change from the
    previous week [%], NaN when that week had no distance). ``report_week`` is highlighted.
    """
    _require(weeks, ["week", "week_start", "distance", "change_pct"], "weekly distance")
    figure = new_figure(3.0)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[2.3, 1.0])
    positions = np.arange(len(weeks))
    is_report = (weeks["week"] == report_week).to_numpy()
    colours = [style.REPORT_WEEK if mark else style.HISTORY for mark in is_report]
    distances = weeks["distance"].to_numpy(dtype="float64")
    top.bar(positions, distances, color=colours, width=0.75)
    for position, distance, mark in zip(positions, distances, is_report, strict=True):
        if mark:
            top.annotate(
                f"{distance:.1f}",
                (position, distance),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=style.SMALL_PT,
                fontweight="bold",
            )
    top.set_ylabel(f"Distance [{unit}]")
    top.set_ylim(0, max(distances.max() * 1.15, 1.0))
    if is_report.any():
        top.legend(
            handles=[
                Patch(color=style.REPORT_WEEK, label="report week"),
                Patch(color=style.HISTORY, label="earlier weeks"),
            ],
            loc="upper left",
            ncols=2,
        )

    change = weeks["change_pct"].to_numpy(dtype="float64")
    low, high = _CHANGE_SHOWN_PCT
    shown = np.clip(change, low, high)
    change_colours = [style.VERMILLION if value > 0 else style.BLUE for value in shown]
    bottom.bar(positions, np.nan_to_num(shown), color=change_colours, width=0.75)
    for position, value in zip(positions, change, strict=True):
        if math.isfinite(value) and not low <= value <= high:
            bottom.annotate(
                f"{value:+.0f}%",
                (position, high if value > 0 else low),
                ha="center",
                va="top" if value > 0 else "bottom",
                fontsize=style.SMALL_PT,
                color="white",
                rotation=90,
            )
    bottom.axhline(0, color="#444444", lw=0.8)
    bottom.set_ylim(low * 1.05, high * 1.05)
    bottom.set_ylabel("Change [%]")
    labels = [
        pd.Timestamp(start).strftime("%-d %b")
        if _every_other(len(weeks), index, _week_step(len(weeks))) or mark
        else ""
        for index, (start, mark) in enumerate(zip(weeks["week_start"], is_report, strict=True))
    ]
    bottom.set_xticks(positions, labels, rotation=0)
    bottom.set_xlabel("Week starting (Monday)")
    return figure


@styled
def daily_load(
    days: pd.DataFrame,
    load_unit: str,
    week_start: date | None = None,
    acute_label: str = "acute",
    chronic_label: str = "chronic",
) -> Figure:
    """Daily training load as bars, with acute and chronic load as lines.

    ``days``: one row per local day with ``date``, ``load`` [load_unit], and ``acute`` and
    ``chronic`` on the same scale as ``load`` [load_unit per day]. The report week (from
    ``week_start``) is shaded.
    """
    _require(days, ["date", "load", "acute", "chronic"], "daily load")
    figure = new_figure(2.5)
    axes = figure.subplots()
    when = _as_timestamps(days["date"]) + pd.Timedelta(hours=12)
    span = _week_span(week_start)
    if span:
        shade_span(axes, *span, label="report week")
    axes.bar(
        when,
        days["load"],
        width=0.8,
        color=style.LIGHT_GREY,
        edgecolor="#AAAAAA",
        lw=0.4,
        label="daily load",
    )
    axes.plot(when, days["acute"], color=style.ACUTE, lw=2.0, label=acute_label)
    axes.plot(when, days["chronic"], color=style.CHRONIC, lw=2.0, ls="--", label=chronic_label)
    axes.set_ylabel(f"Load [{load_unit}]")
    axes.set_ylim(bottom=0)
    _legend_on_top(figure, axes, ncols=2)
    _date_axis(axes)
    return figure


@styled
def pmc(days: pd.DataFrame, load_unit: str, week_start: date | None = None) -> Figure:
    """The performance-management chart: fitness (CTL), fatigue (ATL) and form (TSB = CTL − ATL).

    ``days``: one row per local day with ``date``, ``ctl``, ``atl`` and ``tsb`` [load_unit per
    day].
    """
    _require(days, ["date", "ctl", "atl", "tsb"], "PMC")
    figure = new_figure(2.9)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[2.0, 1.1])
    when = _as_timestamps(days["date"])
    span = _week_span(week_start, points_at_midnight=True)
    for axes in (top, bottom):
        if span:
            shade_span(axes, *span, label="report week" if axes is top else None)
    top.plot(when, days["ctl"], color=style.CHRONIC, lw=2.0, label="fitness (CTL, 42 days)")
    top.plot(when, days["atl"], color=style.ACUTE, lw=1.6, ls="--", label="fatigue (ATL, 7 days)")
    top.set_ylabel(f"Load [{load_unit}/day]")
    top.set_ylim(bottom=0)
    _legend_on_top(figure, top, ncols=2)
    tsb = days["tsb"].to_numpy(dtype="float64")
    bottom.fill_between(
        when, tsb, 0, where=tsb >= 0, color=style.GREEN, alpha=0.35, lw=0, interpolate=True
    )
    bottom.fill_between(
        when, tsb, 0, where=tsb < 0, color=style.VERMILLION, alpha=0.3, lw=0, interpolate=True
    )
    bottom.plot(when, tsb, color="#333333", lw=1.2)
    bottom.axhline(0, color="#444444", lw=0.8)
    bottom.set_ylabel("form (TSB)")
    _date_axis(bottom)
    return figure


@styled
def rest_calendar(
    days: pd.DataFrame, unit: str, week_start: date | None = None, min_rest_days: int = 2
) -> Figure:
    """A calendar of run and rest days, one row per week (oldest on top), Monday first.

    ``days``: one row per local day (whole weeks) with ``date``, ``distance`` of running that day
    [unit] (0 on a rest day) and ``other_sport`` (True when the day had only non-running
    activities). The row of ``week_start`` is outlined; a week with fewer than ``min_rest_days``
    rest days has its count in bold vermillion.
    """
    _require(days, ["date", "distance", "other_sport"], "rest calendar")
    frame = days.assign(day=[pd.Timestamp(d).date() for d in days["date"]])
    mondays = sorted({day - timedelta(days=day.weekday()) for day in frame["day"]})
    row_of = {monday: row for row, monday in enumerate(mondays)}
    figure = new_figure(0.8 + 0.25 * len(mondays))
    axes = figure.subplots()
    axes.grid(False)
    for spine in axes.spines.values():
        spine.set_visible(False)
    for day, distance, other in zip(
        frame["day"], frame["distance"], frame["other_sport"], strict=True
    ):
        row = row_of[day - timedelta(days=day.weekday())]
        column = day.weekday()
        ran = distance > 0
        colour = style.SKY_BLUE if ran else ("#F4F4F4" if not other else "#FFFFFF")
        cell = Rectangle(
            (column + 0.04, row + 0.06),
            0.92,
            0.88,
            facecolor=colour,
            edgecolor="#BBBBBB" if not ran else style.SKY_BLUE,
            lw=0.6,
            hatch="///" if other and not ran else None,
        )
        axes.add_patch(cell)
        if ran:
            axes.text(
                column + 0.5,
                row + 0.52,
                f"{distance:.1f}",
                ha="center",
                va="center",
                fontsize=style.SMALL_PT,
                color="#111111",
            )
    rest_per_week = (
        frame.assign(monday=[d - timedelta(days=d.weekday()) for d in frame["day"]])
        .groupby("monday")["distance"]
        .agg(lambda distance: int((distance <= 0).sum()))
    )
    for monday, rest in rest_per_week.items():
        axes.text(
            7.15,
            row_of[monday] + 0.52,
            f"{rest} rest",
            va="center",
            fontsize=style.SMALL_PT,
            color=style.VERMILLION if rest < min_rest_days else "#333333",
            fontweight="bold" if rest < min_rest_days else "normal",
        )
    if week_start in row_of:
        axes.add_patch(
            Rectangle(
                (0, row_of[week_start]), 7, 1, fill=False, edgecolor=style.REPORT_WEEK, lw=2.2
            )
        )
    axes.set_xlim(0, 8.1)
    axes.set_ylim(len(mondays), 0)
    axes.set_xticks(np.arange(7) + 0.5, _WEEKDAYS)
    axes.xaxis.tick_top()
    axes.tick_params(length=0)
    axes.set_yticks(
        np.arange(len(mondays)) + 0.5, [monday.strftime("%-d %b") for monday in mondays]
    )
    axes.legend(
        handles=[
            Patch(facecolor=style.SKY_BLUE, label=f"run ({unit} run that day)"),
            Patch(facecolor="#F4F4F4", edgecolor="#BBBBBB", label="rest"),
            Patch(facecolor="white", edgecolor="#BBBBBB", hatch="///", label="other sport only"),
            Patch(facecolor="white", edgecolor=style.REPORT_WEEK, lw=2, label="report week"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=2,
    )
    return figure


@styled
def shoe_mileage(shoes: pd.DataFrame, unit: str) -> Figure:
    """Each pair's distance against its limit, as horizontal bars.

    ``shoes``: one row per pair with ``name``, ``distance`` and ``limit`` [unit] and ``status``
    ("ok", "near limit", "past limit"). Status shows as colour, hatching and words.
    """
    _require(shoes, ["name", "distance", "limit", "status"], "shoe mileage")
    figure = new_figure(1.15 + 0.36 * len(shoes))
    axes = figure.subplots()
    axes.grid(axis="x")
    axes.grid(axis="y", visible=False)
    positions = np.arange(len(shoes))
    look = {
        "ok": (style.OK, ""),
        "near limit": (style.NEAR, "//"),
        "past limit": (style.PAST, "xx"),
    }
    widest = float(max(shoes["distance"].max(), shoes["limit"].max()))
    for position, row in zip(positions, shoes.itertuples(index=False), strict=True):
        colour, hatch = look.get(row.status, (style.GREY, ""))
        axes.barh(position, row.distance, color=colour, hatch=hatch, edgecolor="white", height=0.6)
        axes.plot([row.limit, row.limit], [position - 0.4, position + 0.4], color=style.BLACK, lw=2)
        share = row.distance / row.limit if row.limit else float("nan")
        axes.text(
            max(row.distance, row.limit) + widest * 0.02,
            position,
            f"{row.distance:.0f} / {row.limit:.0f} {unit} ({share:.0%})",
            va="center",
            fontsize=style.SMALL_PT,
        )
    # a name from a file can be any length: a 100,000-character one took 39 s to lay out
    axes.set_yticks(positions, [shorten(str(name), CHART_NAME_LIMIT) for name in shoes["name"]])
    axes.invert_yaxis()
    axes.set_xlim(0, widest * 1.5)
    axes.set_xlabel(f"Distance [{unit}]")
    names = {
        "ok": "below 90 % of limit",
        "near limit": "≥ 90 % of limit",
        "past limit": "past limit",
    }
    present = [status for status in look if status in set(shoes["status"])]
    axes.legend(
        handles=[
            Line2D([], [], color=style.BLACK, lw=2, label="limit"),
            *(
                Patch(
                    facecolor=look[status][0],
                    hatch=look[status][1],
                    edgecolor="white",
                    label=names[status],
                )
                for status in present
            ),
        ],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=2,
        fontsize=style.SMALL_PT,
        handletextpad=0.4,
        columnspacing=0.9,
    )
    return figure


@styled
def surface_mix(weeks: pd.DataFrame, unit: str, report_week: str | None = None) -> Figure:
    """Running distance per week split by surface, as stacked bars.

    ``weeks``: one row per ISO week, oldest first, with ``week`` (``YYYY-Www``), ``week_start``
    (Monday) and one column per surface of ``SURFACE_STYLE`` present [unit].
    """
    _require(weeks, ["week", "week_start"], "surface mix")
    surfaces = {key: look for key, look in SURFACE_STYLE.items() if key in weeks}
    if not surfaces:
        raise InvalidInput("surface mix chart: no surface columns")
    figure = new_figure(2.5)
    axes = figure.subplots()
    _stacked_weeks(axes, weeks, surfaces, report_week, f"Distance [{unit}]", legend=False)
    # five surfaces in one row ran past the figure's right edge on a phone: at most three a row
    _legend_on_top(figure, axes, ncols=min(len(surfaces), 3))
    return figure


@styled
def minutes_by_kind(weeks: pd.DataFrame, report_week: str | None = None) -> Figure:
    """Minutes per week of running, strength/core, mobility, cross-training and other sessions,
    as stacked bars.

    ``weeks``: one row per ISO week, oldest first, with ``week``, ``week_start`` and one column
    per kind of ``KIND_STYLE`` [min].
    """
    _require(weeks, ["week", "week_start", *KIND_STYLE], "minutes by kind")
    kinds = {
        KIND_LABELS[key]: look for key, look in KIND_STYLE.items() if weeks[key].fillna(0).any()
    }
    if not kinds:
        raise InvalidInput("minutes by kind chart: no minutes to draw")
    shown = weeks.rename(columns=KIND_LABELS)
    figure = new_figure(2.8)
    axes = figure.subplots()
    _stacked_weeks(axes, shown, kinds, report_week, "Minutes", legend=False)
    _legend_on_top(figure, axes, ncols=min(len(kinds), 3))
    return figure


def _stacked_weeks(
    axes: Axes,
    weeks: pd.DataFrame,
    looks: dict[str, tuple[str, str]],
    report_week: str | None,
    ylabel: str,
    legend: bool = True,
) -> None:
    """Stacked weekly bars of the columns named in ``looks`` (column -> colour, hatching), the
    report week's label in bold and marked above its bar."""
    positions = np.arange(len(weeks))
    bottom = np.zeros(len(weeks))
    for column, (colour, hatch) in looks.items():
        values = weeks[column].fillna(0).to_numpy(dtype="float64")
        axes.bar(
            positions,
            values,
            bottom=bottom,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            lw=0.5,
            width=0.75,
            label=column,
        )
        bottom += values
    labels = []
    for index, (week, start) in enumerate(zip(weeks["week"], weeks["week_start"], strict=True)):
        show = _every_other(len(weeks), index, _week_step(len(weeks))) or week == report_week
        labels.append(pd.Timestamp(start).strftime("%-d %b") if show else "")
    axes.set_xticks(positions, labels)
    if report_week in set(weeks["week"]):
        index = int(np.flatnonzero((weeks["week"] == report_week).to_numpy())[0])
        axes.get_xticklabels()[index].set_fontweight("bold")
        axes.get_xticklabels()[index].set_color("#9A6A00")
        axes.annotate(
            "report week",
            (index, bottom[index]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=style.SMALL_PT,
        )
    axes.set_ylim(0, max(bottom.max() * 1.25, 1.0))
    axes.set_ylabel(ylabel)
    axes.set_xlabel("Week starting (Monday)")
    if legend:
        _legend_above(axes, ncols=len(looks))


@styled
def form_balance(runs: pd.DataFrame, balance_band_points: float = BALANCE_BAND_POINTS) -> Figure:
    """Cadence and ground-contact balance of each run against the runner's own baseline band.

    ``runs``: one row per run, oldest first, with ``label`` (e.g. "18 Nov"), ``in_week``
    (bool) and either or both of: ``cadence_spm``, ``cadence_low``, ``cadence_high`` [1/min],
    and ``balance_pct``, ``balance_low``, ``balance_high`` (left-foot share [%]). The band is the
    baseline's range; a run outside it is drawn as a triangle, not only in another colour. Dotted
    lines mark 50 ± ``balance_band_points`` [percentage points] on the balance panel.
    """
    _require(runs, ["label", "in_week"], "form")
    panels = [
        (prefix, unit_label)
        for prefix, unit_label in (
            ("cadence", "Cadence [steps/min]"),
            ("balance", "GCT balance [% left]"),
        )
        if f"{prefix}_{'spm' if prefix == 'cadence' else 'pct'}" in runs
        and runs[f"{prefix}_{'spm' if prefix == 'cadence' else 'pct'}"].notna().any()
    ]
    if not panels:
        raise InvalidInput("form chart: no cadence or balance values")
    figure = new_figure(1.1 + 1.3 * len(panels))
    axes_list = np.atleast_1d(figure.subplots(len(panels), 1, sharex=True))
    positions = np.arange(len(runs))
    for axes, (prefix, unit_label) in zip(axes_list, panels, strict=True):
        value_column = f"{prefix}_{'spm' if prefix == 'cadence' else 'pct'}"
        values = runs[value_column].to_numpy(dtype="float64")
        low = runs[f"{prefix}_low"].to_numpy(dtype="float64")
        high = runs[f"{prefix}_high"].to_numpy(dtype="float64")
        axes.bar(
            positions,
            high - low,
            bottom=low,
            width=0.6,
            color=style.LIGHT_GREY,
            edgecolor="#BBBBBB",
            lw=0.5,
        )
        inside = (values >= low) & (values <= high)
        outside = ~inside & np.isfinite(values) & np.isfinite(low)
        for chosen, marker, colour in ((inside, "o", style.BLUE), (outside, "v", style.VERMILLION)):
            axes.scatter(
                positions[chosen], values[chosen], marker=marker, color=colour, s=34, zorder=3
            )
        unknown_band = ~np.isfinite(low) & np.isfinite(values)
        axes.scatter(
            positions[unknown_band],
            values[unknown_band],
            marker="o",
            facecolor="white",
            edgecolor=style.BLUE,
            s=34,
            zorder=3,
        )
        if prefix == "balance":
            for reference in (50.0 - balance_band_points, 50.0 + balance_band_points):
                axes.axhline(reference, color=style.GREY, lw=0.8, ls=":")
        finite = np.concatenate([v[np.isfinite(v)] for v in (values, low, high)])
        pad = max((finite.max() - finite.min()) * 0.15, 1.0)
        axes.set_ylim(finite.min() - pad, finite.max() + pad)
        axes.set_ylabel(unit_label)
    in_week = runs["in_week"].to_numpy(dtype=bool)
    for axes in axes_list:
        if in_week.any():
            first, last = np.flatnonzero(in_week)[[0, -1]]
            axes.axvspan(
                first - 0.5, last + 0.5, color=style.REPORT_WEEK, alpha=0.13, lw=0, zorder=0
            )
    axes_list[-1].set_xticks(
        positions,
        list(runs["label"]),
        rotation=60,
        ha="right",
        rotation_mode="anchor",
        fontsize=style.SMALL_PT,
    )
    axes_list[0].legend(
        handles=[
            Patch(facecolor=style.LIGHT_GREY, edgecolor="#BBBBBB", label="your baseline band"),
            Line2D([], [], marker="o", ls="", color=style.BLUE, label="run within"),
            Line2D([], [], marker="v", ls="", color=style.VERMILLION, label="run outside"),
            Patch(color=style.REPORT_WEEK, alpha=0.3, label="report week"),
        ],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=2,
        fontsize=style.SMALL_PT,
        handletextpad=0.4,
        columnspacing=0.9,
    )
    return figure


@styled
def warmup(
    curves: pd.DataFrame,
    measure_label: str,
    reference: float | None,
    reference_label: str = "",
    window_min: tuple[float, float] = (1.5, 10.0),
) -> Figure:
    """Intensity over the first minutes of each run, against the runner's own easy level.

    ``curves``: long format, one row per run and minute, with ``run`` (a label), ``minute``
    (moving time [min]) and ``intensity`` (in the unit of ``measure_label``, e.g. heart rate).
    ``reference`` (the easy level, same unit) is drawn as a dashed line labelled
    ``reference_label``; the minutes ``window_min`` [min] the warm-up rule reads are shaded.
    """
    _require(curves, ["run", "minute", "intensity"], "warm-up")
    figure = new_figure(2.7)
    axes = figure.subplots()
    first, last = window_min
    axes.axvspan(first, last, color=style.LIGHT_GREY, alpha=0.6, lw=0, zorder=0)
    axes.text(
        (first + last) / 2,
        0.02,
        f"minutes {first:g}-{last:g}",
        transform=axes.get_xaxis_transform(),
        ha="center",
        va="bottom",
        fontsize=style.SMALL_PT,
        color="#555555",
    )
    for index, (run, curve) in enumerate(curves.groupby("run", sort=False)):
        axes.plot(
            curve["minute"],
            curve["intensity"],
            color=_RUN_COLOURS[index % len(_RUN_COLOURS)],
            ls=_RUN_DASHES[index % len(_RUN_DASHES)],
            lw=1.7,
            label=str(run),
        )
    if reference is not None:
        axes.axhline(reference, color=style.BLACK, lw=1.2, ls="--")
        axes.annotate(
            reference_label,
            (curves["minute"].max(), reference),
            xytext=(0, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=style.SMALL_PT,
        )
    axes.set_xlim(0, curves["minute"].max())
    axes.set_xlabel("Moving time from the start [min]")
    axes.set_ylabel(measure_label)
    _legend_on_top(figure, axes, ncols=2)
    return figure


@styled
def pain_over_load(days: pd.DataFrame, load_unit: str, week_start: date | None = None) -> Figure:
    """Logged back-pain scores (0-10) over daily training load.

    ``days``: one row per local day with ``date``, ``load`` [load_unit] and ``pain`` (score 0-10,
    NaN on days without an entry).
    """
    _require(days, ["date", "load", "pain"], "pain")
    figure = new_figure(2.5)
    axes = figure.subplots()
    when = _as_timestamps(days["date"]) + pd.Timedelta(hours=12)
    span = _week_span(week_start)
    if span:
        shade_span(axes, *span)
    axes.bar(when, days["load"], width=0.8, color=style.SKY_BLUE, alpha=0.55, label="daily load")
    axes.set_ylabel(f"Load [{load_unit}]")
    axes.set_ylim(bottom=0)
    pain_axes = axes.twinx()
    pain_axes.spines["right"].set_visible(True)
    pain_axes.grid(False)
    logged = days["pain"].notna().to_numpy()
    # markers only: a line between sparse entries would invent scores for unlogged days
    pain_axes.plot(
        when[logged],
        days["pain"][logged],
        color=style.VERMILLION,
        marker="D",
        ms=5,
        ls="",
        label="back pain (0-10)",
    )
    pain_axes.set_ylim(0, 10.5)
    pain_axes.set_ylabel("Back pain [0-10]", color=style.VERMILLION)
    handles = [
        Patch(color=style.SKY_BLUE, alpha=0.55, label="daily load"),
        Line2D([], [], color=style.VERMILLION, marker="D", ms=5, ls="", label="back pain"),
    ]
    _legend_above(axes, ncols=2, handles=handles)
    _date_axis(axes)
    return figure


@styled
def recovery(
    days: pd.DataFrame,
    week_start: date | None = None,
    rise_bpm: float = 5.0,
    min_sleep_h: float = 7.0,
) -> Figure:
    """Resting heart rate against its baseline, and hours of sleep, per day.

    ``days``: one row per local day with ``date``, ``resting_hr_bpm`` [1/min], ``baseline_bpm``
    (the resting_hr_rise rule's 60-day baseline [1/min]) and ``sleep_h`` [h], NaN where not
    measured. A panel is drawn for each measure that has a value; ``rise_bpm`` [1/min] above the
    baseline and ``min_sleep_h`` [h] are drawn as the rules' lines.
    """
    _require(days, ["date", "resting_hr_bpm", "baseline_bpm", "sleep_h"], "recovery")
    has_heart = bool(days["resting_hr_bpm"].notna().any())
    has_sleep = bool(days["sleep_h"].notna().any())
    if not (has_heart or has_sleep):
        raise InvalidInput("recovery chart: no resting heart rate or sleep to draw")
    panels = int(has_heart) + int(has_sleep)
    figure = new_figure(1.9 * panels + 0.5)
    axes_list = list(np.atleast_1d(figure.subplots(panels, 1, sharex=True)))
    midnight = _as_timestamps(days["date"])
    span = _week_span(week_start, points_at_midnight=True)
    if has_heart:
        heart = axes_list.pop(0)
        if span:
            shade_span(heart, *span)
        heart.plot(
            midnight, days["resting_hr_bpm"], color=style.VERMILLION, marker="o", ms=2.5,
            lw=1.0, label="resting HR",
        )  # fmt: skip
        heart.plot(midnight, days["baseline_bpm"], color=style.GREY, lw=1.2, label="baseline")
        heart.plot(
            midnight, days["baseline_bpm"] + rise_bpm, color=style.GREY, lw=1.0, ls="--",
            label=f"baseline +{rise_bpm:g}",
        )  # fmt: skip
        heart.set_ylabel("Resting HR [bpm]")
        _legend_on_top(figure, heart, ncols=3)
        _date_axis(heart)
    if has_sleep:
        sleep = axes_list.pop(0)
        if span:
            shade_span(sleep, *span)
        sleep.bar(midnight, days["sleep_h"], width=0.8, color=style.SKY_BLUE, label="sleep")
        sleep.axhline(min_sleep_h, color=style.BLUE, lw=1.0, ls="--", label=f"{min_sleep_h:g} h")
        sleep.set_ylabel("Sleep [h]")
        sleep.set_ylim(0, max(float(days["sleep_h"].max()) * 1.15, min_sleep_h * 1.3))
        if not has_heart:
            _legend_above(sleep, ncols=2)
        _date_axis(sleep)
    return figure
