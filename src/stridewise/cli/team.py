"""``stridewise team``: one page for every athlete of the database, worst first."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from stridewise.cli.app import WEEK, CountProgress, Session, cli

if TYPE_CHECKING:
    from stridewise.profile import Config


@cli.command("team")
@click.option("--week", type=WEEK, help="ISO week YYYY-Www. Default: the last complete week.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into. Default: ./stridewise-team-YYYY-Www.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Athletes evaluated at once. Default: the number of CPU cores.",
)
@click.pass_obj
def team_command(
    session: Session, week: date | None, out_dir: Path | None, jobs: int | None
) -> None:
    """Write the team page: one row per athlete of the database for one week — runs, distance
    and time against their 4-week mean, 12 weeks of load, the most severe flag, pain, shoes at
    90 % of their limit, rules that could not be evaluated — worst first, each athlete linked to
    their full weekly report written beside it (athletes/NAME/). Each athlete's own profile and
    thresholds ([athletes.NAME] in the config) apply. Writes index.html, team.md and team.json.

    \b
    Example:
      stridewise --db team.db --config coach.toml team
      stridewise --db team.db team --week 2026-W47 --out ~/team/w47
    """
    from stridewise.profile import load_config
    from stridewise.report.team_page import counts_text, write_team_page
    from stridewise.team import build_team, team_week

    config = load_config(session.config_path)
    today = _today(config)
    folder = out_dir or Path(f"stridewise-team-{_label(team_week(week, today))}")
    with CountProgress(sys.stderr.isatty() and not session.quiet, "Athletes") as progress:
        page = build_team(
            session.db_path, config, week, today, folder, jobs=jobs, progress=progress
        )
    written = write_team_page(page, folder)
    if not page.rows:
        click.echo(
            f"{page.week}: no athletes in this database yet. Import for one with: "
            "stridewise --athlete NAME import PATH"
        )
    else:
        click.echo(f"{page.week} ({page.period}): {len(page.rows)} athletes; {counts_text(page)}.")
    click.echo(f"Team page: {written['html']}")


def _today(config: Config) -> date:
    """Today in the shared profile's time zone, else this computer's."""
    from zoneinfo import ZoneInfo

    zone = config.profile(None).timezone
    return datetime.now(ZoneInfo(zone)).date() if zone else date.today()


def _label(monday: date) -> str:
    from stridewise.report.model import week_label

    return week_label(monday)
