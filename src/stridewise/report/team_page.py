"""The team page written out: one self-contained HTML page (``templates/team.html``), Markdown
and JSON, beside the athletes' own weekly reports.

Every athlete name, flag message and reason is escaped by the writer that shows it (Jinja2
autoescaping, ``formatting.md_escape``); the load sparklines are small inline SVGs drawn here
from numbers, so the page loads nothing from anywhere. Numbers are formatted by ``formatting``
as in the weekly report; JSON keeps kilometres and seconds whatever an athlete's units.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from stridewise.errors import InvalidInput
from stridewise.report.formatting import (
    change_text,
    format_duration,
    md_cell,
    md_escape,
    shorten,
)
from stridewise.report.html import template_environment
from stridewise.report.model import NOT_MEDICAL_ADVICE
from stridewise.report.team import AthleteRow, LoadTrend, TeamPage, first_sentence

#: The files of a team page, by kind.
TEAM_FILES = {"html": "index.html", "md": "team.md", "json": "team.json"}
#: Sparkline size [CSS px].
SPARK_WIDTH, SPARK_HEIGHT = 120, 30
#: Unicode blocks for the Markdown sparkline, lowest first.
_BLOCKS = "▁▂▃▄▅▆▇█"


# -- what both writers show, formatted once --------------------------------------------------
def week_cells(row: AthleteRow) -> dict[str, tuple[str, str]]:
    """Runs, distance and time of the week, each with its change against the mean of the
    weeks before (``formatting.change_text``): {"runs": (value, versus), …}."""
    units, totals = row.units, row.totals
    previous = list(row.previous)

    def versus(key: str, count: bool = False) -> str:
        if not previous:
            return "no earlier weeks"
        values = [float(getattr(week, key) or 0.0) for week in previous]
        return change_text(float(getattr(totals, key) or 0.0), values, count=count)

    return {
        "runs": (str(totals.runs), versus("runs", count=True)),
        "distance": (units.distance(totals.distance_km), versus("distance_km")),
        "time": (format_duration(totals.duration_s) + " h", versus("duration_s")),
    }


def athlete_note(row: AthleteRow) -> str:
    """Whether the athlete has data this week, and their last activity."""
    if row.error is not None:
        return "could not be evaluated"
    if row.has_data:
        count = row.activities
        return f"{count} activit{'ies' if count != 1 else 'y'} this week"
    if row.last_activity is None:
        return "no activities this week (none imported yet)"
    return f"no activities this week (last: {row.last_activity.isoformat()})"


def flag_summary(row: AthleteRow) -> str:
    """'+3 more: 1 caution, 2 info' after the top flag, or ''."""
    if len(row.flags) < 2:
        return ""
    rest = dict(row.severity_counts())
    rest[row.flags[0].severity] -= 1
    detail = ", ".join(f"{count} {severity}" for severity, count in rest.items() if count)
    return f"+{len(row.flags) - 1} more: {detail}"


def own_text(row: AthleteRow) -> str:
    """'own thresholds: session_spike.warning_pct 300 · own profile: max_hr, sex', or ''."""
    parts = []
    if row.own_rules:
        parts.append(
            "own thresholds: "
            + ", ".join(f"{rule}.{key} {value}" for rule, key, value in row.own_rules)
        )
    if row.own_profile:
        parts.append("own profile: " + ", ".join(row.own_profile))
    return " · ".join(parts)


def pain_text(row: AthleteRow) -> str:
    pain = row.pain
    if pain.max_score is None:
        return "none logged"
    if not pain.pain_days:
        return f"logged {pain.logged_days} day{'s' if pain.logged_days != 1 else ''}, no pain"
    days = f"{pain.pain_days} day{'s' if pain.pain_days != 1 else ''}"
    return f"{days}, highest {pain.max_score}/10"


def shoe_texts(row: AthleteRow) -> list[str]:
    """'Pegasus 40: 96 % (576 of 600 km)' per worn pair."""
    units = row.units
    return [
        f"{shorten(shoe.name)}: {shoe.share * 100:.0f} % "
        f"({units.number(shoe.distance_km, 0)} of {units.distance(shoe.limit_km, 0)})"
        for shoe in row.worn_shoes
    ]


def load_text(load: LoadTrend | None) -> str:
    """The week's load and its unit, e.g. '312 TRIMP this week'."""
    if load is None or not load.known:
        return "no load"
    current = load.current
    shown = "–" if current is None else f"{current:.0f}"
    return f"{shown} {load.unit or 'load'} this week"


def counts_text(page: TeamPage) -> str:
    """'2 warning · 5 caution · 20 no flag · 1 no activities'."""
    return " · ".join(f"{count} {what}" for what, count in page.counts().items())


# -- the sparkline ---------------------------------------------------------------------------
def sparkline_svg(load: LoadTrend | None) -> Markup:
    """Weekly load as small bars, the team week last and highlighted; scaled to the athlete's
    own highest week (load models differ between athletes)."""
    if load is None or not load.known or max(load.known) <= 0:
        return Markup('<span class="spark-none">no load</span>')
    top = max(load.known)
    count = len(load.values)
    slot = SPARK_WIDTH / count
    bars = []
    for index, value in enumerate(load.values):
        if value is None:
            continue
        height = max(1.0, value / top * (SPARK_HEIGHT - 2)) if value > 0 else 0.0
        css = "spark-now" if index == count - 1 else "spark-bar"
        bars.append(
            Markup(
                '<rect class="{0}" x="{1:.1f}" y="{2:.1f}" width="{3:.1f}" height="{4:.1f}"/>'
            ).format(css, index * slot + 1, SPARK_HEIGHT - height, slot - 2, height)
        )
    label = (
        f"Weekly load ({load.model}, {load.unit or 'load'}), {load.weeks[0]} to {load.weeks[-1]}: "
        + ", ".join("none" if v is None else f"{v:.0f}" for v in load.values)
    )
    return Markup(
        '<svg class="spark" role="img" aria-label="{0}" width="{1}" height="{2}" '
        'viewBox="0 0 {1} {2}"><title>{0}</title>'
        '<line class="spark-base" x1="0" y1="{2}" x2="{1}" y2="{2}"/>{3}</svg>'
    ).format(label, SPARK_WIDTH, SPARK_HEIGHT, Markup("").join(bars))


def sparkline_text(load: LoadTrend | None) -> str:
    """The same bars as Unicode blocks (Markdown), '·' for a week before the history."""
    if load is None or not load.known or max(load.known) <= 0:
        return "no load"
    top = max(load.known)
    return "".join(
        "·" if v is None else _BLOCKS[min(len(_BLOCKS) - 1, int(v / top * (len(_BLOCKS) - 1)))]
        for v in load.values
    )


# -- HTML ------------------------------------------------------------------------------------
@cache
def _environment() -> Environment:
    return template_environment(spark=sparkline_svg, first_sentence=first_sentence)


def render_team_html(page: TeamPage) -> str:
    """The whole page (UTF-8 when written)."""
    return (
        _environment()
        .get_template("team.html")
        .render(
            page=page,
            disclaimer=NOT_MEDICAL_ADVICE,
            counts=counts_text(page),
            failed=[row for row in page.rows if row.error is not None],
            week_cells=week_cells,
            athlete_note=athlete_note,
            own_text=own_text,
            flag_summary=flag_summary,
            pain_text=pain_text,
            shoe_texts=shoe_texts,
            load_text=load_text,
        )
    )


# -- Markdown --------------------------------------------------------------------------------
def render_team_markdown(page: TeamPage) -> str:
    """The page as a Markdown table, each athlete linked to their report."""
    parts = [
        f"# Team {page.week}: every athlete's week",
        page.period,
        f"> {NOT_MEDICAL_ADVICE}",
        f"{len(page.rows)} athletes: {counts_text(page)}. Worst first; each athlete's own "
        "profile and thresholds apply.",
    ]
    rows = [
        "| Athlete | Runs | Distance | Time | Load, 12 weeks | Top flag | Pain | "
        "Shoes at 90 % | Not evaluated |",
        "|---|--:|--:|--:|---|---|---|---|---|",
    ]
    for row in page.rows:
        name = md_cell(row.athlete)
        link = f"[{name}]({row.report_path})" if row.report_path else name
        athlete = f"{link}<br>{md_escape(athlete_note(row))}"
        if own_text(row):
            athlete += f"<br>{md_escape(own_text(row))}"
        if row.error is not None:
            rows.append(f"| {athlete} | | | | | {md_cell(row.error, 200)} | | | |")
            continue
        cells = week_cells(row)
        top = row.top_flag
        flag = "none"
        if top is not None:
            flag = f"**{top.severity.upper()}** `{top.rule}`: "
            flag += md_escape(first_sentence(top.message))
        more = flag_summary(row)
        if more:
            flag += f" ({md_escape(more)})"
        rows.append(
            "| "
            + " | ".join(
                [
                    athlete,
                    f"{cells['runs'][0]} ({md_escape(cells['runs'][1])})",
                    f"{cells['distance'][0]} ({md_escape(cells['distance'][1])})",
                    f"{cells['time'][0]} ({md_escape(cells['time'][1])})",
                    f"{sparkline_text(row.load)} {md_escape(load_text(row.load))}",
                    flag,
                    md_escape(pain_text(row)),
                    "<br>".join(md_escape(text) for text in shoe_texts(row)) or "–",
                    ", ".join(f"`{rule}`" for rule in row.rules_not_evaluated) or "–",
                ]
            )
            + " |"
        )
    parts.append("\n".join(rows))
    parts += [
        "---",
        f"Made by stridewise on {page.generated_on.isoformat()} from the data on this computer.",
    ]
    return "\n\n".join(parts) + "\n"


# -- JSON ------------------------------------------------------------------------------------
def team_json(page: TeamPage) -> dict[str, Any]:
    """The page for scripts: kilometres and seconds, local ISO dates, flags as ``flags --json``."""
    return {
        "week": page.week,
        "week_start": page.week_start.isoformat(),
        "week_end": page.week_end.isoformat(),
        "generated_on": page.generated_on.isoformat(),
        "units": {"distance": "km", "duration": "s"},
        "counts": page.counts(),
        "athletes": [_athlete_json(row) for row in page.rows],
        "disclaimer": NOT_MEDICAL_ADVICE,
    }


def _athlete_json(row: AthleteRow) -> dict[str, Any]:
    totals = row.totals
    return {
        "athlete": row.athlete,
        "report": row.report_path,
        "error": row.error,
        "has_data": row.has_data,
        "activities": row.activities,
        "last_activity": _iso(row.last_activity),
        "units": row.units.name,
        "totals": {
            "runs": totals.runs,
            "distance_km": totals.distance_km,
            "duration_s": totals.duration_s,
        },
        "mean_previous": {
            "weeks": len(row.previous),
            "runs": _round(row.mean("runs"), 2),
            "distance_km": _round(row.mean("distance_km"), 3),
            "duration_s": _round(row.mean("duration_s"), 1),
        },
        "load": None
        if row.load is None
        else {
            "model": row.load.model,
            "unit": row.load.unit,
            "weeks": [
                {"week": week, "load": value}
                for week, value in zip(row.load.weeks, row.load.values, strict=True)
            ],
        },
        "top_flag": None if row.top_flag is None else row.top_flag.to_json(),
        "flags": row.severity_counts(),
        "pain": {
            "logged_days": row.pain.logged_days,
            "pain_days": row.pain.pain_days,
            "max_score": row.pain.max_score,
        },
        "worn_shoes": [
            {
                "name": shoe.name,
                "distance_km": round(shoe.distance_km, 3),
                "limit_km": round(shoe.limit_km, 3),
                "status": shoe.status,
            }
            for shoe in row.worn_shoes
        ],
        "not_evaluated": [{"rule": item.rule, "reason": item.reason} for item in row.not_evaluated],
        "own_profile": list(row.own_profile),
        "own_rules": [
            {"rule": rule, "setting": key, "value": value} for rule, key, value in row.own_rules
        ],
    }


def render_team_json(page: TeamPage) -> str:
    return json.dumps(team_json(page), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# -- writing ---------------------------------------------------------------------------------
def write_team_page(
    page: TeamPage, out_dir: str | Path, formats: Iterable[str] = TEAM_FILES
) -> dict[str, Path]:
    """Write ``index.html``, ``team.md`` and ``team.json`` (any of them) into ``out_dir``, each
    through a temporary file renamed over its target (``report.replace_file``), readable by
    their owner only. Returns the written paths by kind."""
    from stridewise.report import parse_formats, replace_file

    renderers = {"html": render_team_html, "md": render_team_markdown, "json": render_team_json}
    folder = Path(out_dir)
    written = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for kind in parse_formats(list(formats)):
            data = renderers[kind](page).encode("utf-8")
            written[kind] = replace_file(folder, TEAM_FILES[kind], data)
    except OSError as exc:
        raise InvalidInput(f"{folder}: cannot write the team page ({exc.strerror or exc})") from exc
    return written
