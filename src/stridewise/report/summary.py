"""The report in a few terminal lines (what ``stridewise report`` prints after writing)."""

from __future__ import annotations

from stridewise.report.formatting import format_duration
from stridewise.report.model import WeeklyReport


def summary_lines(report: WeeklyReport) -> list[str]:
    """A few lines for the terminal: the week's totals and its flags."""
    if not report.has_runs:
        return [f"{report.week} ({report.period}): no runs."]
    totals = report.totals
    lines = [
        f"{report.week} ({report.period}): {totals.runs} run"
        f"{'s' if totals.runs != 1 else ''}, {report.distance(totals.distance_km)}, "
        f"{format_duration(totals.duration_s)} h, {totals.rest_days} rest "
        f"day{'s' if totals.rest_days != 1 else ''}, longest "
        f"{report.distance(totals.longest_run_km)}."
    ]
    if report.flags:
        detail = ", ".join(f"{n} {s}" for s, n in report.severity_counts().items())
        rules = ", ".join(sorted({flag.rule for flag in report.flags}))
        lines.append(f"Flags: {len(report.flags)} ({detail}): {rules}.")
    else:
        lines.append("Flags: none this week.")
    return lines
