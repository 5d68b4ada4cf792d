"""The report as JSON (``report.json``): the same content as the page, for scripts.

Distances are kilometres and durations seconds whatever the profile's units (``units`` says what
the page shows); dates are local ISO dates. NaN becomes null, so the file is strict JSON.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

from stridewise.report.content import NOT_MEDICAL_ADVICE, WeeklyReport


def report_json(report: WeeklyReport) -> dict[str, Any]:
    """The JSON document of a report (CLI.md: week, totals, flags, shoes, load, pain …)."""
    document: dict[str, Any] = {
        "week": report.week,
        "week_start": report.week_start.isoformat(),
        "week_end": report.week_end.isoformat(),
        "athlete": report.athlete,
        "generated_on": report.generated_on.isoformat(),
        "units": {
            "shown": report.unit,
            "distance": "km",
            "duration": "s",
            "load": report.load_model.get("unit"),
            "load_columns": {
                "load": "load of the day",
                "acute": "load of the 7 days ending that day",
                "chronic": "mean weekly load of days 8-28 before (uncoupled, Windt & Gabbett 2019)",
                "ctl, atl, tsb": "PMC, load per day (see pmc_convention)",
            },
        },
        "totals": report.totals,
        "previous_weeks": report.previous_weeks,
        "runs": report.runs,
        "flags": report.flags,
        "not_evaluated": report.not_evaluated,
        "went_well": report.went_well,
        "load_model": report.load_model,
        "pmc_convention": report.pmc_convention,
        "shoes": report.shoes,
        "load": report.load,
        "charts": [
            {
                "key": chart.key,
                "title": chart.title,
                "file": chart.filename if chart.png is not None else None,
                "missing": chart.missing,
            }
            for chart in report.charts
        ],
        "notes": report.notes,
        "disclaimer": NOT_MEDICAL_ADVICE,
    }
    if not report.has_runs:
        document["message"] = report.no_runs_message
    if report.pain is not None:
        document["pain"] = report.pain
    if report.pain_associations is not None:
        document["pain_associations"] = report.pain_associations
    return _clean(document)


def render_json(report: WeeklyReport) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _clean(value: Any) -> Any:
    """JSON-safe values: NaN/inf → None, dates → ISO text, numpy scalars → Python numbers."""
    if isinstance(value, dict):
        return {str(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
