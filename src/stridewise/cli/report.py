"""``stridewise report``: the weekly report."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from stridewise.cli.app import WEEK, Session, cli, say, today_for


@cli.command("report")
@click.option(
    "--week", type=WEEK, help="ISO week YYYY-Www. Default: the last complete week with runs."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into. Default: ./stridewise-report-YYYY-Www.",
)
@click.option(
    "--format",
    "formats",
    default="html,md,json",
    show_default=True,
    help="Any of html, md, json, comma-separated.",
)
@click.pass_obj
def report_command(session: Session, week: date | None, out_dir: Path | None, formats: str) -> None:
    """Write the weekly report: index.html (one self-contained page that reads well on a phone),
    report.md, report.json and the charts as image files (SVG).

    \b
    Example:
      stridewise report
      stridewise report --week 2026-W47 --out ~/reports/w47 --format html,json
    """
    from stridewise.report import (
        build_report,
        default_out_dir,
        parse_formats,
        summary_lines,
        write_report,
    )

    chosen = parse_formats(formats)
    report = build_report(
        session.reader,
        session.athlete,
        session.profile,
        week=week,
        today=today_for(session),
        reuse_charts_in=out_dir or "default",
        chart_workers=os.cpu_count() or 1,  # the charts to draw, side by side
    )
    written = write_report(report, out_dir or default_out_dir(report), chosen)
    for line in summary_lines(report):
        say(line)
    main_file = next(written[kind] for kind in ("html", "md", "json") if kind in written)
    say(f"Report: {main_file}")
