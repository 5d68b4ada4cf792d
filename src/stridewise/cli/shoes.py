"""``stridewise shoes``: pairs, their distance, and which runs were in them."""

from __future__ import annotations

import json
from datetime import datetime

import click

from stridewise.cli.app import DATE, Session, as_date, cli, distance_text, today_for
from stridewise.views import text_table


@cli.group("shoes")
def shoes_group() -> None:
    """Your shoes: how far each pair has gone and which runs were in it.

    \b
    Example:
      stridewise shoes add "Pegasus 40" --limit-km 700 --default --since 2026-08-01
      stridewise shoes list
    """


@shoes_group.command("add")
@click.argument("name")
@click.option(
    "--initial-km",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Distance the pair had before --since (bought used, tracked elsewhere).",
)
@click.option(
    "--limit-km",
    type=click.FloatRange(min=0, min_open=True),
    help="Replace the pair at this distance. Default: 600 km.",
)
@click.option(
    "--default",
    "is_default",
    is_flag=True,
    help="Runs from --since on that no source named go into this pair.",
)
@click.option("--since", type=DATE, help="First day of use (YYYY-MM-DD).")
@click.pass_obj
def shoes_add(
    session: Session,
    name: str,
    initial_km: float,
    limit_km: float | None,
    is_default: bool,
    since: datetime | None,
) -> None:
    """Add a pair of shoes.

    \b
    Example:
      stridewise shoes add "Speedgoat 5" --limit-km 800
      stridewise shoes add "Pegasus 40" --initial-km 120 --default --since 2026-08-01
    """
    from stridewise.shoes import add_shoe

    shoe, merged = add_shoe(
        session.store,
        session.athlete,
        name,
        initial_km=initial_km,
        limit_km=limit_km,
        default=is_default,
        since=as_date(since),
    )
    what = "Updated" if merged else "Added"
    from stridewise.shoes import default_limit_km

    details = [
        f"limit {distance_text(session, shoe.limit_km or default_limit_km(session.profile))}"
    ]
    if shoe.is_default:
        details.append("default" + (f" from {shoe.since}" if shoe.since else ""))
    click.echo(
        f"{what} shoe '{shoe.name}' ({', '.join(details)})."
        + (" It was already known from your imports." if merged else "")
    )


@shoes_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_obj
def shoes_list(session: Session, as_json: bool) -> None:
    """List your shoes with distance, runs, first and last use, 4-week share and status.

    \b
    Example:
      stridewise shoes list --json
    """
    from stridewise.shoes import shoes_frame

    frame = shoes_frame(session.reader, session.athlete, session.profile, today=today_for(session))
    rows = frame.to_dict("records")
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        click.echo('No shoes yet. Add one with: stridewise shoes add "NAME" --default')
        return
    unit = session.profile.distance_unit()
    header = ("name", unit, "limit", "runs", "first", "last", "4 wk", "status")
    lines = [
        (
            r["name"],
            f"{session.profile.km_to_display(r['distance_km']):.0f}",
            f"{session.profile.km_to_display(r['limit_km']):.0f}",
            str(r["runs"]),
            r["first_used"] or "-",
            r["last_used"] or "-",
            f"{r['share_4w']:.0%}",
            r["status"],
        )
        for r in rows
    ]
    click.echo(text_table(header, lines))


@shoes_group.command("assign")
@click.argument("name")
@click.option("--activity", "activity_id", type=int, help="One activity, by id.")
@click.option("--since", type=DATE, help="Every run from this local date on.")
@click.option("--until", type=DATE, help="...up to this local date (inclusive).")
@click.pass_obj
def shoes_assign(
    session: Session,
    name: str,
    activity_id: int | None,
    since: datetime | None,
    until: datetime | None,
) -> None:
    """Put runs into a pair (wins over defaults and what a source named).

    \b
    Example:
      stridewise shoes assign "Speedgoat 5" --activity 42
      stridewise shoes assign "Pegasus 40" --since 2026-10-01 --until 2026-10-31
    """
    if (activity_id is None) == (since is None):
        raise click.UsageError("give either --activity ID or --since DATE")
    if until is not None and since is None:
        raise click.UsageError("--until needs --since")
    from stridewise.shoes import assign_shoe

    count = assign_shoe(
        session.store,
        session.athlete,
        name,
        activity_id=activity_id,
        since=as_date(since),
        until=as_date(until),
        default_timezone=session.profile.timezone,
    )
    click.echo(f"Assigned {count} run{'s' if count != 1 else ''} to '{name}'.")


@shoes_group.command("retire")
@click.argument("name")
@click.option("--date", "on", type=DATE, help="Retirement date (default: today).")
@click.pass_obj
def shoes_retire(session: Session, name: str, on: datetime | None) -> None:
    """Retire a pair: it stops being a default and counts no new runs.

    \b
    Example:
      stridewise shoes retire "Pegasus 40" --date 2026-11-20
    """
    from stridewise.shoes import retire_shoe

    today = today_for(session)
    shoe = retire_shoe(session.store, session.athlete, name, as_date(on) or today, today)
    click.echo(f"Retired '{shoe.name}' on {shoe.retired_on}.")
