"""The report as Markdown (``report.md``), with the charts referenced as files beside it.

Text that did not come from stridewise itself — the athlete's, shoe and run names, flag
messages (they quote names), reasons, notes — is escaped for CommonMark (``formatting.md_escape``):
a rendered report.md shows ``<img src=x onerror=...>`` or ``[x](javascript:...)`` as text and runs
or loads nothing. Numbers come from ``formatting``, as on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stridewise.report.formatting import (
    finding_numbers,
    format_duration,
    formula_plain,
    md_cell,
    md_escape,
    short_day,
    without_sentence,
)
from stridewise.report.model import NOT_MEDICAL_ADVICE, Command, Phrase, WeeklyReport
from stridewise.report.tables import (
    recovery_sentence,
    remedy_sentences,
    shows_descent,
    totals_cards,
    week_rows,
)

if TYPE_CHECKING:
    from stridewise.rules.base import Finding


def render_markdown(report: WeeklyReport) -> str:
    """The whole report; chart images are relative links (``weekly-distance.svg`` …)."""
    parts = [
        f"# Week {report.week}: stridewise weekly report for {md_escape(report.athlete)}",
        f"{report.period}",
        f"> {NOT_MEDICAL_ADVICE}",
    ]
    if not report.has_runs:
        parts.append(f"**{report.no_runs_message}**")
    parts += _totals(report)
    parts += _flags(report)
    if report.went_well:
        parts += [
            "## What went well",
            "\n".join(f"- {md_escape(line)}" for line in report.went_well),
        ]
    parts += _remedies(report)
    parts += _pain_associations(report)
    parts += _runs(report)
    parts += _charts(report)
    parts += _method(report)
    parts += [
        "---",
        f"Made by stridewise on {report.generated_on.isoformat()} from the data on this computer.",
    ]
    return "\n\n".join(parts) + "\n"


def phrase(text: Phrase) -> str:
    """Plain parts escaped, commands as code spans."""
    return "".join(
        f"`{part.text}`" if isinstance(part, Command) else md_escape(part) for part in text.parts
    )


def _remedies(report: WeeklyReport) -> list[str]:
    lines = remedy_sentences(report.remedies)
    recovery = recovery_sentence(report.recovery)
    if recovery:
        lines.append(recovery)
    remedies = report.remedies
    if not lines and remedies is None:
        return []
    parts = ["## Beside running: remedies and recovery", *(md_escape(line) for line in lines)]
    if remedies is not None and remedies.weeks:
        rows = [
            "| Week | Running | Strength/core | Mobility | Cross-training |",
            "|---|--:|--:|--:|--:|",
        ]
        for week in remedies.weeks:
            cells = [
                week.week,
                *(
                    f"{minutes:.0f} min"
                    for minutes in (
                        week.run_min,
                        week.strength_min,
                        week.mobility_min,
                        week.cross_min,
                    )
                ),
            ]
            if week.week == report.week:
                cells = [f"**{cell}**" for cell in cells]
            rows.append("| " + " | ".join(cells) + " |")
        parts += [f"### Minutes per week, last {len(remedies.weeks)} weeks", "\n".join(rows)]
    if remedies is not None and remedies.reassurance:
        parts.append(f"> {md_escape(remedies.reassurance)}")
    return parts


def _pain_associations(report: WeeklyReport) -> list[str]:
    result = report.pain_associations
    if result is None:
        return []
    lines = result.lines or (
        f"No risk factor's flags came in the {result.window_days} days before your pain days.",
    )
    parts = [
        "## Your back pain and what came before it",
        f"{result.pain_days} of {result.logged_days} logged days scored "
        f"{result.threshold} or more.",
        "\n".join(f"- {md_escape(line)}" for line in lines),
    ]
    if result.warning:
        parts.append(f"*{md_escape(result.warning)}*")
    return [*parts, md_escape(result.statement)]


def _totals(report: WeeklyReport) -> list[str]:
    bullets = [f"- **{card.label}:** {card.value} ({card.versus})" for card in totals_cards(report)]
    descent = shows_descent(report)
    rows = [
        f"| Week | {report.unit} | Time | Runs | Rest | Longest |"
        + (" Descent m |" if descent else ""),
        "|---|--:|--:|--:|--:|--:|" + ("--:|" if descent else ""),
    ]
    for row in week_rows(report):
        cells = [row.week, row.distance, row.time, row.runs, row.rest, row.longest]
        if descent:
            cells.append(row.descent)
        if row.current:
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
        parts.extend(_flag(report, flag) for flag in flags)
    if report.has_runs:
        quiet, unchecked = report.quiet_groups()
        if quiet:
            parts.append(f"Checked, nothing flagged: {', '.join(quiet)}.")
        if unchecked:
            parts.append(f"Not checked (see below): {', '.join(unchecked)}.")
    return parts


def _flag(report: WeeklyReport, flag: Finding) -> str:
    head = f"**{flag.severity.upper()}** · `{flag.rule}` · {short_day(flag.date)}"
    lines = [
        f"- {head}: {md_escape(flag.message)}",
        f"  - {md_escape(finding_numbers(report.units, flag.value, flag.threshold, flag.unit))}",
    ]
    advice = without_sentence(flag.remedy, report.clinician_note)
    if advice:
        lines.append(f"  - What you can do: {md_escape(advice)}")
    lines.append(f"  - Evidence: {md_escape(flag.evidence)} · {md_escape(flag.citation)}")
    return "\n".join(lines)


def _runs(report: WeeklyReport) -> list[str]:
    if not report.runs:
        return []
    units = report.units
    rows = [
        f"| Day | Run | {report.unit} | Time | Pace | Surface | Shoe |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    for run in report.runs:
        cells = [
            f"{short_day(run.local_date)} {run.local_time}",
            md_cell(run.name or "–"),
            units.number(run.distance_km or 0.0),
            format_duration(run.duration_s),
            units.pace(run.duration_s, run.distance_km),
            md_cell(run.surface or "unknown"),
            md_cell(run.shoe or "–"),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return ["## Runs of the week", "\n".join(rows)]


def _charts(report: WeeklyReport) -> list[str]:
    if not report.charts:
        return []
    parts = ["## Charts"]
    for chart in report.charts:
        parts.append(f"### {chart.title}")
        if chart.image is None:
            missing = chart.missing or Phrase.of("There is no data for this chart.")
            parts.append(f"*{phrase(missing)}*")
        else:
            parts.append(f"![{md_escape(chart.title)}]({chart.filename})")
            parts.append(md_escape(chart.caption))
    return parts


def _method(report: WeeklyReport) -> list[str]:
    parts = []
    if report.not_evaluated:
        parts.append("## What could not be checked")
        parts.append(
            "\n".join(f"- `{i.rule}`: {md_escape(i.reason)}" for i in report.not_evaluated)
        )
    model = report.load_model
    parts.append("## How the numbers were made")
    parts.append(
        f"**Load model:** {md_escape(model.name or model.model)} (unit: {md_escape(model.unit)})"
        f" — {md_escape(model.reason)}. A load model measures training load; it predicts nothing."
    )
    parts.append(f"**PMC convention:** {md_escape(formula_plain(report.pmc_convention))}")
    parts.extend(md_escape(note) for note in report.notes)
    parts.append(
        f"Distances in {report.units.long_name}; days and weeks are your local calendar (ISO "
        "weeks, Monday first)."
    )
    return parts
