"""The rows both writers show, already formatted: the week's cards, the week table, and the
sentences about what the runner did beside running and how they recovered.

HTML and Markdown lay them out differently (cards and a table, bullets and a table) but show
the same texts, made here once from ``formatting``.
"""

from __future__ import annotations

from dataclasses import dataclass

from stridewise.report.formatting import change_text, format_duration
from stridewise.report.model import Recovery, Remedies, WeeklyReport, WeekTotals

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
    descent: str  # [m], "–" without a run of reliable altitude
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
        descent="–" if totals.descent_m is None else f"{totals.descent_m:.0f}",
        current=current,
    )


def shows_descent(report: WeeklyReport) -> bool:
    """Whether any week of the table has a descent (runs with barometric or corrected altitude)."""
    weeks = [report.totals] + [week.totals for week in report.previous_weeks]
    return any(totals.descent_m is not None for totals in weeks)


def remedy_sentences(remedies: Remedies | None) -> list[str]:
    """The report week beside running: minutes and sessions of each kind, and its sessions."""
    if remedies is None or not remedies.weeks:
        return []
    week = remedies.weeks[-1]
    done = [
        f"{_minutes(minutes)} of {label}{_count(count)}"
        for label, minutes, count in (
            ("strength or core work", week.strength_min, week.strength_sessions),
            ("mobility work", week.mobility_min, week.mobility_sessions),
            ("cross-training", week.cross_min, None),
        )
        if minutes or count
    ]
    if not done:
        return ["No strength, core, mobility or cross-training session this week."]
    sessions = ", ".join(
        f"{session.local_date:%a} {session.sport} {_minutes((session.duration_s or 0) / 60.0)}"
        for session in remedies.sessions
    )
    return [f"This week beside running: {', '.join(done)}.", f"Sessions: {sessions}."]


def recovery_sentence(recovery: Recovery | None) -> str | None:
    """The report week's resting heart rate and sleep in one sentence; the reason when none."""
    if recovery is None:
        return None
    if recovery.missing:
        return recovery.missing
    parts = []
    if recovery.week_resting_hr_bpm is not None:
        baseline = next(
            (day.baseline_bpm for day in reversed(recovery.days) if day.baseline_bpm is not None),
            None,
        )
        against = f" (your baseline {baseline:.0f} bpm)" if baseline is not None else ""
        parts.append(f"resting heart rate {recovery.week_resting_hr_bpm:.0f} bpm{against}")
    if recovery.week_sleep_h is not None:
        nights = recovery.nights_measured
        parts.append(
            f"sleep {recovery.week_sleep_h:.1f} h a night ({nights} night"
            f"{'s' if nights != 1 else ''} measured)"
        )
    if not parts:
        return "No resting heart rate or sleep measured this week."
    return "This week: " + " and ".join(parts) + "."


def _minutes(minutes: float) -> str:
    whole = round(minutes)
    return f"{whole // 60} h {whole % 60:02d} min" if whole >= 60 else f"{whole} min"


def _count(count: int | None) -> str:
    if count is None:
        return ""
    return f" ({count} session{'s' if count != 1 else ''})"
