"""The report as JSON (``report.json``): the same content as the page, for scripts.

The only place a report becomes JSON. Distances are kilometres and durations seconds whatever
the profile's units (``units`` says what the page shows); dates are local ISO dates; flags are
exactly what ``stridewise flags --json`` prints (``Finding.to_json``). NaN becomes null, so the
file is strict JSON.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from stridewise.jsontext import dumps, plain
from stridewise.report.model import (
    NOT_MEDICAL_ADVICE,
    Chart,
    PainAssociations,
    PreviousWeek,
    RunRow,
    WeeklyReport,
    WeekTotals,
)


def report_json(report: WeeklyReport) -> dict[str, Any]:
    """The JSON document of a report (CLI.md: week, totals, flags, shoes, load, pain …)."""
    document: dict[str, Any] = {
        "week": report.week,
        "week_start": report.week_start,
        "week_end": report.week_end,
        "athlete": report.athlete,
        "generated_on": report.generated_on,
        "units": {
            "shown": report.unit,
            "distance": "km",
            "duration": "s",
            "load": report.load_model.unit,
            "load_columns": {
                "load": "load of the day",
                "acute": "load of the 7 days ending that day",
                "chronic": "mean weekly load of days 8-28 before (uncoupled, Windt & Gabbett 2019)",
                "ctl, atl, tsb": "PMC, load per day (see pmc_convention)",
            },
        },
        "totals": _totals(report.totals),
        "previous_weeks": [_previous(week) for week in report.previous_weeks],
        "runs": [_run(run) for run in report.runs],
        "flags": [finding.to_json() for finding in report.flags],
        "not_evaluated": [
            {"rule": item.rule, "reason": item.reason}
            | ({"factor": item.factor} if item.factor else {})
            for item in report.not_evaluated
        ],
        "went_well": list(report.went_well),
        "load_model": asdict(report.load_model),
        "pmc_convention": report.pmc_convention,
        "shoes": [asdict(shoe) for shoe in report.shoes],
        "load": [asdict(row) for row in report.load],
        "charts": [_chart(chart) for chart in report.charts],
        "notes": list(report.notes),
        "disclaimer": NOT_MEDICAL_ADVICE,
    }
    if not report.has_runs:
        document["message"] = report.no_runs_message
    if report.pain is not None:
        document["pain"] = [asdict(row) for row in report.pain]
    if report.pain_associations is not None:
        document["pain_associations"] = _associations(report.pain_associations)
    document["remedies"] = None if report.remedies is None else asdict(report.remedies)
    document["recovery"] = None if report.recovery is None else asdict(report.recovery)
    return plain(document)


def render_json(report: WeeklyReport) -> str:
    return dumps(report_json(report), ensure_ascii=False) + "\n"


def _totals(totals: WeekTotals) -> dict[str, Any]:
    return asdict(totals)


def _previous(week: PreviousWeek) -> dict[str, Any]:
    return {"week": week.week, **_totals(week.totals)}


def _run(run: RunRow) -> dict[str, Any]:
    return asdict(run)


def _chart(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key,
        "title": chart.title,
        "file": chart.filename if chart.image is not None else None,
        "missing": None if chart.missing is None else str(chart.missing),
    }


def _associations(result: PainAssociations) -> dict[str, Any]:
    """As ``associations.pain_associations`` returns it (``stridewise pain associations``)."""
    document = asdict(result)
    document.pop("lines")
    return document
