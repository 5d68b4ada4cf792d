"""The report as one self-contained HTML page: styles inline, charts as base64 PNG data URIs.

The page loads nothing from anywhere (no fonts, scripts or images from the network), reads at a
phone's width (390 px) without horizontal scrolling, and prints cleanly (``@media print``).
"""

from __future__ import annotations

import base64
import re
import struct
from html import escape

from stridewise.report.content import (
    NOT_MEDICAL_ADVICE,
    Chart,
    WeeklyReport,
    change_text,
    format_duration,
    format_number,
    format_pace,
    short_day,
)

_CSS = """
:root { --ink: #1d1d1f; --muted: #5b5b60; --line: #dedee3; --soft: #f5f5f7;
  --high: #d55e00; --warning: #e69f00; --caution: #f0e442; --info: #56b4e9; --ok: #009e73; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 780px; margin: 0 auto; padding: 16px 16px 40px; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0.2rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; padding-bottom: 0.25rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p, li { overflow-wrap: anywhere; }
a { color: #0060a0; }
.eyebrow { margin: 0; color: var(--muted); font-size: 0.9rem; }
.period { margin: 0 0 0.8rem; color: var(--muted); }
.note { background: var(--soft); border-left: 4px solid var(--info); padding: 0.6rem 0.8rem;
  margin: 0.8rem 0; font-size: 0.93rem; }
.empty { border-left-color: var(--warning); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px;
  margin: 0.6rem 0 1rem; padding: 0; }
.card { background: var(--soft); border-radius: 8px; padding: 0.55rem 0.7rem; margin: 0; }
.card dt { font-size: 0.8rem; color: var(--muted); }
.card dd { margin: 0; font-size: 1.3rem; font-weight: 650; }
.card .vs { display: block; font-size: 0.78rem; font-weight: 400; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: 0.9rem; margin: 0.4rem 0 1rem; }
th, td { text-align: left; padding: 0.35rem 0.4rem; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: break-word; }
td .sub { display: block; font-size: 0.8rem; color: var(--muted); }
th { font-size: 0.8rem; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.current td { font-weight: 650; background: #fdf3dd; }
.group-none { color: var(--muted); margin: 0.2rem 0 0.6rem; }
.flag { border: 1px solid var(--line); border-left: 6px solid var(--info); border-radius: 8px;
  padding: 0.6rem 0.8rem; margin: 0.6rem 0; }
.flag.sev-high { border-left-color: var(--high); }
.flag.sev-warning { border-left-color: var(--warning); }
.flag.sev-caution { border-left-color: var(--caution); }
.flag p { margin: 0.3rem 0; }
.flag-head { font-size: 0.88rem; color: var(--muted); }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-weight: 700;
  font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.03em; color: #000;
  background: var(--info); }
.sev-high .badge { background: var(--high); color: #fff; }
.sev-warning .badge { background: var(--warning); }
.sev-caution .badge { background: var(--caution); }
.message { font-weight: 600; }
.numbers, .evidence { font-size: 0.88rem; color: var(--muted); }
.well li::marker { content: "✓  "; color: var(--ok); font-weight: 700; }
figure { margin: 1.2rem 0; }
figure img { display: block; width: 100%; max-width: 100%; height: auto;
  border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: 0.88rem; color: var(--muted); margin-top: 0.3rem; }
.missing { color: var(--muted); font-style: italic; }
code { font-size: 0.88em; background: var(--soft); padding: 0 0.2em; border-radius: 3px; }
footer { margin-top: 2.5rem; padding-top: 0.8rem; border-top: 2px solid var(--line);
  font-size: 0.85rem; color: var(--muted); }
@media (min-width: 600px) { h1 { font-size: 2rem; } }
@media print {
  @page { margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  .flag, figure, .cards, table, .note { break-inside: avoid; }
  figure img { border: none; max-width: 16cm; }
  tr.current td, .card, .note { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_DOI = re.compile(r"doi:\s*(10\.\d{4,9}/[^\s;,()]+[^\s;,().])", re.IGNORECASE)


def render_html(report: WeeklyReport) -> str:
    """The whole page as a string (UTF-8 when written)."""
    body = [
        _header(report),
        _totals(report),
        _flags(report),
        _went_well(report),
        _pain_associations(report),
        _runs(report),
        _charts(report),
        _method(report),
        _footer(report),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)} · stridewise</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )


def _header(report: WeeklyReport) -> str:
    parts = [
        "<header>",
        f'<p class="eyebrow">stridewise · weekly report for {escape(report.athlete)}</p>',
        f"<h1>Week {escape(report.week)}</h1>",
        f'<p class="period">{escape(report.period)}</p>',
        "</header>",
        f'<p class="note">{escape(NOT_MEDICAL_ADVICE)}</p>',
    ]
    if not report.has_runs:
        parts.append(f'<p class="note empty" id="no-runs">{escape(report.no_runs_message)}</p>')
    return "\n".join(parts)


def _totals(report: WeeklyReport) -> str:
    totals = report.totals
    previous = report.previous_weeks
    cards = [
        ("Distance", report.distance(totals["distance_km"]), "distance_km"),
        ("Time", format_duration(totals["duration_s"]) + " h", "duration_s"),
        ("Runs", str(totals["runs"]), "runs"),
        ("Rest days", str(totals["rest_days"]), "rest_days"),
        ("Longest run", report.distance(totals["longest_run_km"]), "longest_run_km"),
    ]
    items = []
    for label, value, key in cards:
        versus = (
            change_text(
                float(totals[key] or 0),
                [float(w[key] or 0) for w in previous],
                count=key in ("runs", "rest_days"),
            )
            if previous
            else "no earlier weeks"
        )
        items.append(
            f'<div class="card"><dt>{label}</dt><dd>{escape(value)}'
            f'<span class="vs">{escape(versus)}</span></dd></div>'
        )
    rows = [
        _week_row(report, {"week": report.week, **totals}, current=True),
        *(_week_row(report, week, current=False) for week in previous),
    ]
    return "\n".join(
        [
            '<section id="totals">',
            "<h2>The week in numbers</h2>",
            f'<dl class="cards">{"".join(items)}</dl>',
            "<h3>Against the four weeks before</h3>",
            "<table><thead><tr><th>Week</th>"
            f'<th class="num">{report.unit}</th><th class="num">Time</th>'
            '<th class="num">Runs</th><th class="num">Rest</th>'
            f'<th class="num">Longest</th></tr></thead><tbody>{"".join(rows)}</tbody></table>',
            "</section>",
        ]
    )


def _week_row(report: WeeklyReport, week: dict, current: bool) -> str:
    longest = week.get("longest_run_km")
    cells = [
        f"<td>{escape(str(week['week']))}</td>",
        f'<td class="num">{report.distance_value(week["distance_km"] or 0):.1f}</td>',
        f'<td class="num">{format_duration(week["duration_s"])}</td>',
        f'<td class="num">{week["runs"]}</td>',
        f'<td class="num">{week["rest_days"]}</td>',
        f'<td class="num">{"–" if not longest else f"{report.distance_value(longest):.1f}"}</td>',
    ]
    return f"<tr{' class=current' if current else ''}>{''.join(cells)}</tr>"


def _flags(report: WeeklyReport) -> str:
    parts = ['<section id="flags">', "<h2>Flags by risk factor</h2>"]
    if not report.flags:
        checked = "no runs to check" if not report.has_runs else "none of the checks fired"
        parts.append(f'<p class="group-none">No flags this week ({checked}).</p>')
    for title, flags in report.flag_groups():
        if not flags:
            continue
        parts.append(f"<h3>{escape(title)}</h3>")
        parts.extend(_flag(report, flag) for flag in flags)
    if report.has_runs:
        quiet, unchecked = report.quiet_groups()
        if quiet:
            parts.append(
                f'<p class="group-none">Checked, nothing flagged: {escape(", ".join(quiet))}.</p>'
            )
        if unchecked:
            parts.append(
                '<p class="group-none">Not checked (see <a href="#method">below</a>): '
                f"{escape(', '.join(unchecked))}.</p>"
            )
    parts.append("</section>")
    return "\n".join(parts)


def _flag(report: WeeklyReport, flag: dict) -> str:
    severity = str(flag.get("severity", "info"))
    when = flag.get("date")
    head = [
        f'<span class="badge">{escape(severity)}</span>',
        f"<code>{escape(str(flag['rule']))}</code>",
    ]
    if when:
        head.append(escape(_day_text(when)))
    numbers = (
        f"Value {format_number(flag.get('value'), flag.get('unit'))} · threshold "
        f"{format_number(flag.get('threshold'), flag.get('unit'))}"
    )
    lines = [
        f'<article class="flag sev-{escape(severity)}" data-rule="{escape(str(flag["rule"]))}">',
        f'<p class="flag-head">{" · ".join(head)}</p>',
        f'<p class="message">{escape(str(flag.get("message", "")))}</p>',
        f'<p class="numbers">{escape(numbers)}</p>',
    ]
    if flag.get("remedy"):
        lines.append(f"<p><strong>What you can do:</strong> {escape(str(flag['remedy']))}</p>")
    lines.append(
        f'<p class="evidence">Evidence: {escape(str(flag.get("evidence", "–")))} · '
        f"{_cite(str(flag.get('citation', '')))}</p>"
    )
    lines.append("</article>")
    return "\n".join(lines)


def _day_text(value: object) -> str:
    from datetime import date

    try:
        return short_day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _cite(citation: str) -> str:
    """Escaped citation text with each DOI linked (a link is only followed when clicked)."""
    out, last = [], 0
    for match in _DOI.finditer(citation):
        out.append(escape(citation[last : match.start()]))
        doi = match.group(1)
        out.append(f'<a href="https://doi.org/{escape(doi)}">doi:{escape(doi)}</a>')
        last = match.end()
    out.append(escape(citation[last:]))
    return "".join(out)


def _went_well(report: WeeklyReport) -> str:
    if not report.went_well:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in report.went_well)
    return (
        f'<section id="went-well">\n<h2>What went well</h2>\n<ul class="well">{items}</ul>\n'
        "</section>"
    )


def _pain_associations(report: WeeklyReport) -> str:
    from stridewise.associations import association_lines

    result = report.pain_associations
    if result is None:
        return ""
    lines = association_lines(result) or [
        f"No risk factor's flags came in the {result['window_days']} days before your pain days."
    ]
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    warning = f'<p class="note">{escape(result["warning"])}</p>' if result["warning"] else ""
    return (
        '<section id="pain-associations">\n<h2>Your back pain and what came before it</h2>\n'
        f"<p>{result['pain_days']} of {result['logged_days']} logged days scored "
        f"{result['threshold']} or more.</p>\n<ul>{items}</ul>\n{warning}"
        f"<p>{escape(result['statement'])}</p>\n</section>"
    )


def _runs(report: WeeklyReport) -> str:
    if not report.runs:
        return ""
    rows = []
    for run in report.runs:
        when = f"{_day_text(run['local_date'])} · {run.get('local_time') or ''}".rstrip(" ·")
        detail = f"{run.get('surface') or 'unknown'} · {run.get('shoe') or 'no shoe'}"
        rows.append(
            "<tr>"
            f'<td>{escape(when)}<span class="sub">{escape(detail)}</span></td>'
            f'<td class="num">{report.distance_value(run["distance_km"] or 0):.1f}</td>'
            f'<td class="num">{format_duration(run["duration_s"])}</td>'
            f'<td class="num">'
            f"{format_pace(run['duration_s'], run['distance_km'], report.imperial)}</td>"
            "</tr>"
        )
    return "\n".join(
        [
            '<section id="runs">',
            "<h2>Runs of the week</h2>",
            f'<table><thead><tr><th>Day · surface · shoe</th><th class="num">{report.unit}</th>'
            '<th class="num">Time</th><th class="num">Pace</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>",
            "</section>",
        ]
    )


def _charts(report: WeeklyReport) -> str:
    if not report.charts:
        return ""
    parts = ['<section id="charts">', "<h2>Charts</h2>"]
    parts.extend(_chart(chart) for chart in report.charts)
    parts.append("</section>")
    return "\n".join(parts)


def _chart(chart: Chart) -> str:
    heading = f"<h3>{escape(chart.title)}</h3>"
    if chart.png is None:
        reason = chart.missing or "There is no data for this chart."
        return (
            f'<div class="chart-missing" id="chart-{chart.key}">{heading}'
            f'<p class="missing">{escape(reason)}</p></div>'
        )
    width, height = png_size(chart.png)
    data = base64.b64encode(chart.png).decode("ascii")
    return (
        f'<figure id="chart-{chart.key}">{heading}'
        f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
        f'alt="{escape(chart.title)}">'
        f"<figcaption>{escape(chart.caption)}</figcaption></figure>"
    )


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG [px], from its IHDR chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _method(report: WeeklyReport) -> str:
    parts = ['<section id="method">']
    if report.not_evaluated:
        parts.append("<h2>What could not be checked</h2><ul>")
        parts.extend(
            f"<li><code>{escape(str(item['rule']))}</code>: {escape(str(item['reason']))}</li>"
            for item in report.not_evaluated
        )
        parts.append("</ul>")
    model = report.load_model
    parts.append("<h2>How the numbers were made</h2>")
    parts.append(
        f"<p><strong>Load model:</strong> {escape(str(model.get('name') or model.get('model')))}"
        f" (unit: {escape(str(model.get('unit')))}) — {escape(str(model.get('reason', '')))}. "
        "A load model measures training load; it predicts nothing.</p>"
    )
    parts.append(f"<p><strong>PMC convention:</strong> {escape(report.pmc_convention)}</p>")
    parts.extend(f"<p>{escape(note)}</p>" for note in report.notes)
    parts.append(
        f"<p>Distances in {'miles' if report.imperial else 'kilometres'}; days and weeks are your "
        "local calendar (ISO weeks, Monday first).</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


def _footer(report: WeeklyReport) -> str:
    return (
        f"<footer><p>{escape(NOT_MEDICAL_ADVICE)}</p>"
        f"<p>Made by stridewise on {report.generated_on.isoformat()} from the data on this "
        "computer; nothing was sent anywhere.</p></footer>"
    )
