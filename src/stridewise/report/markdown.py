"""The report as Markdown, with the charts referenced as PNG files beside it."""

from __future__ import annotations

from datetime import date

from stridewise.report.content import (
    NOT_MEDICAL_ADVICE,
    WeeklyReport,
    change_text,
    format_duration,
    format_number,
    format_pace,
    short_day,
)


def render_markdown(report: WeeklyReport) -> str:
    """The whole report; chart images are relative links (``weekly-distance.png`` …)."""
    parts = [
        f"# Week {report.week}: stridewise weekly report for {report.athlete}",
        f"{report.period}",
        f"> {NOT_MEDICAL_ADVICE}",
    ]
    if not report.has_runs:
        parts.append(f"**{report.no_runs_message}**")
    parts += _totals(report)
    parts += _flags(report)
    if report.went_well:
        parts += ["## What went well", "\n".join(f"- {line}" for line in report.went_well)]
    parts += _pain_associations(report)
    parts += _runs(report)
    parts += _charts(report)
    parts += _method(report)
    parts += [
        "---",
        f"{NOT_MEDICAL_ADVICE}",
        f"Made by stridewise on {report.generated_on.isoformat()} from the data on this computer.",
    ]
    return "\n\n".join(parts) + "\n"


def _pain_associations(report: WeeklyReport) -> list[str]:
    from stridewise.associations import association_lines

    result = report.pain_associations
    if result is None:
        return []
    lines = association_lines(result) or [
        f"No risk factor's flags came in the {result['window_days']} days before your pain days."
    ]
    parts = [
        "## Your back pain and what came before it",
        f"{result['pain_days']} of {result['logged_days']} logged days scored "
        f"{result['threshold']} or more.",
        "\n".join(f"- {line}" for line in lines),
    ]
    if result["warning"]:
        parts.append(f"*{result['warning']}*")
    return [*parts, result["statement"]]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _totals(report: WeeklyReport) -> list[str]:
    totals, previous = report.totals, report.previous_weeks
    unit = report.unit

    def versus(key: str) -> str:
        if not previous:
            return "no earlier weeks"
        return change_text(
            float(totals[key] or 0),
            [float(w[key] or 0) for w in previous],
            count=key in ("runs", "rest_days"),
        )

    bullets = [
        f"- **Distance:** {report.distance(totals['distance_km'])} ({versus('distance_km')})",
        f"- **Time:** {format_duration(totals['duration_s'])} h ({versus('duration_s')})",
        f"- **Runs:** {totals['runs']} ({versus('runs')})",
        f"- **Rest days:** {totals['rest_days']} ({versus('rest_days')})",
        f"- **Longest run:** {report.distance(totals['longest_run_km'])} "
        f"({versus('longest_run_km')})",
    ]
    rows = [f"| Week | {unit} | Time | Runs | Rest | Longest |", "|---|--:|--:|--:|--:|--:|"]
    for week, current in [({"week": report.week, **totals}, True)] + [(w, False) for w in previous]:
        longest = week.get("longest_run_km")
        cells = [
            str(week["week"]),
            f"{report.distance_value(week['distance_km'] or 0):.1f}",
            format_duration(week["duration_s"]),
            str(week["runs"]),
            str(week["rest_days"]),
            "–" if not longest else f"{report.distance_value(longest):.1f}",
        ]
        if current:
            cells = [f"**{cell}**" for cell in cells]
        rows.append("| " + " | ".join(cells) + " |")
    return [
        "## The week in numbers",
        "\n".join(bullets),
        "### Against the four weeks before",
        "\n".join(rows),
    ]


def _flags(report: WeeklyReport) -> list[str]:
    parts = ["## Flags by risk factor"]
    if not report.flags:
        checked = "no runs to check" if not report.has_runs else "none of the checks fired"
        parts.append(f"No flags this week ({checked}).")
    for title, flags in report.flag_groups():
        if not flags:
            continue
        parts.append(f"### {title}")
        parts.extend(_flag(flag) for flag in flags)
    if report.has_runs:
        quiet, unchecked = report.quiet_groups()
        if quiet:
            parts.append(f"Checked, nothing flagged: {', '.join(quiet)}.")
        if unchecked:
            parts.append(f"Not checked (see below): {', '.join(unchecked)}.")
    return parts


def _flag(flag: dict) -> str:
    when = flag.get("date")
    head = f"**{str(flag.get('severity', 'info')).upper()}** · `{flag['rule']}`"
    if when:
        head += f" · {_day_text(when)}"
    lines = [
        f"- {head}: {flag.get('message', '')}",
        f"  - Value {format_number(flag.get('value'), flag.get('unit'))} · threshold "
        f"{format_number(flag.get('threshold'), flag.get('unit'))}",
    ]
    if flag.get("remedy"):
        lines.append(f"  - What you can do: {flag['remedy']}")
    lines.append(f"  - Evidence: {flag.get('evidence', '–')} · {flag.get('citation', '')}")
    return "\n".join(lines)


def _day_text(value: object) -> str:
    try:
        return short_day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _runs(report: WeeklyReport) -> list[str]:
    if not report.runs:
        return []
    rows = [f"| Day | {report.unit} | Time | Pace | Surface | Shoe |", "|---|--:|--:|--:|---|---|"]
    for run in report.runs:
        cells = [
            f"{_day_text(run['local_date'])} {run.get('local_time') or ''}".strip(),
            f"{report.distance_value(run['distance_km'] or 0):.1f}",
            format_duration(run["duration_s"]),
            format_pace(run["duration_s"], run["distance_km"], report.imperial),
            run.get("surface") or "unknown",
            run.get("shoe") or "–",
        ]
        rows.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return ["## Runs of the week", "\n".join(rows)]


def _charts(report: WeeklyReport) -> list[str]:
    if not report.charts:
        return []
    parts = ["## Charts"]
    for chart in report.charts:
        parts.append(f"### {chart.title}")
        if chart.png is None:
            parts.append(f"*{chart.missing or 'There is no data for this chart.'}*")
        else:
            parts.append(f"![{chart.title}]({chart.filename})")
            parts.append(chart.caption)
    return parts


def _method(report: WeeklyReport) -> list[str]:
    parts = []
    if report.not_evaluated:
        parts.append("## What could not be checked")
        parts.append("\n".join(f"- `{i['rule']}`: {i['reason']}" for i in report.not_evaluated))
    model = report.load_model
    parts.append("## How the numbers were made")
    parts.append(
        f"**Load model:** {model.get('name') or model.get('model')} (unit: {model.get('unit')}) — "
        f"{model.get('reason', '')}. A load model measures training load; it predicts nothing."
    )
    parts.append(f"**PMC convention:** {report.pmc_convention}")
    parts.extend(report.notes)
    parts.append(
        f"Distances in {'miles' if report.imperial else 'kilometres'}; days and weeks are your "
        "local calendar (ISO weeks, Monday first)."
    )
    return parts
