"""``stridewise athletes``: the athletes of the database and how fresh their data is."""

from __future__ import annotations

import json

import click

from stridewise.cli.app import Session, cli, today_for


@cli.command("athletes")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_obj
def athletes_command(session: Session, as_json: bool) -> None:
    """List the athletes of the database: activities, runs, first and last activity (local
    dates, with how long ago), last import and pain entries — so a coach sees whose data is
    stale. Athletes with their own [athletes.NAME] section in the config are marked.

    \b
    Example:
      stridewise --db team.db athletes
      stridewise --db team.db athletes --json
    """
    from stridewise.athletes import athlete_overview, athletes_table
    from stridewise.inputs import printable
    from stridewise.profile import load_config

    config = load_config(session.config_path)
    rows = athlete_overview(session.reader, config, today_for(session))
    if as_json:
        click.echo(json.dumps([row.to_json() for row in rows], indent=2))
        return
    if not rows:
        click.echo(
            "No athletes in this database yet. Import for one with: "
            "stridewise --athlete NAME import PATH"
        )
        return
    click.echo(athletes_table(rows))
    missing = sorted(set(config.names) - {row.athlete for row in rows})
    if missing:
        click.echo(
            "In the config but with nothing in this database: "
            + ", ".join(printable(name) for name in missing)
        )
