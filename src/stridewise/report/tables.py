"""The rows both writers show, already formatted: the week's cards and the week table.

HTML and Markdown lay them out differently (cards and a table, bullets and a table) but show
the same texts, made here once from ``formatting``.
"""

from __future__ import annotations

from dataclasses import dataclass

from stridewise.report.formatting import change_text, format_duration
from stridewise.report.model import WeeklyReport, WeekTotals

#: The totals shown as cards, with the field each compares, and whether it is a count.
_CARDS = (
    ("Distance", "distance_km", False),
    ("Time", "duration_s", False),
    ("Runs", "runs", True),
    ("Rest days", "rest_days", True),  # no training at all
    ("Days without a run", "days_without_running", True),  # rest days and other training
    ("Longest run", "longest_run_km", False),
)


@dataclass(frozen=True)
class TotalsCard:
    label: str  # e.g. "Distance"
    value: str  # e.g. "45.0 km"
    versus: str  # e.g. "+41 % vs 4-week mean"


@dataclass(frozen=True)
class WeekTableRow:
    week: str
    distance: str  # in the runner's unit, without it (the column header says it)
    time: str
    runs: str
    rest: str
    longest: str
    current: bool  # the report week


def totals_cards(report: WeeklyReport) -> list[TotalsCard]:
    """The week's totals, each against the weeks before."""
    totals, previous = report.totals, [week.totals for week in report.previous_weeks]
    values = {
        "distance_km": report.distance(totals.distance_km),
        "duration_s": format_duration(totals.duration_s) + " h",
        "runs": str(totals.runs),
        "rest_days": str(totals.rest_days),
        "days_without_running": str(totals.days_without_running),
        "longest_run_km": report.distance(totals.longest_run_km),
    }
    cards = []
    for label, key, count in _CARDS:
        versus = (
            change_text(
                float(getattr(totals, key) or 0),
                [float(getattr(week, key) or 0) for week in previous],
                count=count,
            )
            if previous
            else "no earlier weeks"
        )
        cards.append(TotalsCard(label, values[key], versus))
    return cards


def week_rows(report: WeeklyReport) -> list[WeekTableRow]:
    """The report week, then the weeks before it, newest first."""
    weeks = [(report.week, report.totals, True)] + [
        (week.week, week.totals, False) for week in report.previous_weeks
    ]
    return [_row(report, label, totals, current) for label, totals, current in weeks]


def _row(report: WeeklyReport, label: str, totals: WeekTotals, current: bool) -> WeekTableRow:
    units = report.units
    return WeekTableRow(
        week=label,
        distance=units.number(totals.distance_km or 0.0),
        time=format_duration(totals.duration_s),
        runs=str(totals.runs),
        rest=str(totals.rest_days),
        longest=units.number(totals.longest_run_km) if totals.longest_run_km else "–",
        current=current,
    )
