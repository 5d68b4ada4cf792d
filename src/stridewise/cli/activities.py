"""``stridewise activities``: list what was imported, and change it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from stridewise.cli.app import (
    DATE,
    Session,
    check_period,
    cli,
    distance_text,
    echo_csv,
    echo_json,
    say,
)


@cli.group("activities", invoke_without_command=True)
@click.option("--since", type=DATE, help="First local date (YYYY-MM-DD), inclusive.")
@click.option("--until", type=DATE, help="Last local date (YYYY-MM-DD), inclusive.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print CSV (text that would start a formula gets a ')."
)
@click.pass_context
def activities_group(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List imported activities with local dates, in km or miles per the profile; or change
    them (remove).

    \b
    Example:
      stridewise activities --since 2026-10-01
      stridewise activities --json | jq '.[].distance_km'
      stridewise activities --csv > activities.csv
      stridewise activities remove 42
    """
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    check_period(since, until)
    from stridewise.views import ACTIVITY_FIELDS, activities_table, activity_rows

    rows = activity_rows(session.reader, session.athlete, session.profile, since, until)
    if as_json:
        echo_json(rows)
    elif as_csv:
        echo_csv(list(rows[0]) if rows else ACTIVITY_FIELDS, rows)
    elif rows:
        say(activities_table(rows, session.profile))
    else:
        say(_nothing_listed(session, since, until))


def _nothing_listed(session: Session, since: date | None, until: date | None) -> str:
    from stridewise.views import no_activities_text

    counts = {summary.athlete: summary.activities for summary in session.reader.athletes()}
    stored = counts.pop(session.athlete, 0)
    others = {name: count for name, count in counts.items() if count}
    return no_activities_text(since, until, stored, others, session.athlete)


@activities_group.command("remove")
@click.argument("ids", nargs=-1, required=True, type=click.IntRange(min=1), metavar="ID...")
@click.pass_obj
def activities_remove(session: Session, ids: tuple[int, ...]) -> None:
    """Remove activities by id (see `stridewise activities`). Their records, metrics and shoe
    assignments go with them, and a later import of the same run (from any source) leaves it
    out. All of them or none.

    \b
    Example:
      stridewise activities remove 42
      stridewise activities remove 42 43 44
    """
    removed = session.store.remove_activities(session.athlete, list(ids))
    for row in removed:
        km = row["distance_m"] / 1000.0 if row["distance_m"] else None
        distance = "" if km is None else f" {distance_text(session, km, 1)}"
        say(
            f"Removed activity {row['id']}: {row['sport']}{distance} of "
            f"{row['start_utc'][:10]} ({Path(row['source_name']).name})."
        )
    say("A later import of the same run leaves it out.")
