"""``stridewise shoes``: pairs, their distance, and which runs were in them (``shoes_manage``
adds the commands that change a pair: edit, remove, unretire, import)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import click

from stridewise.cli.app import (
    DATE,
    Session,
    check_period,
    cli,
    distance_text,
    echo_json,
    say,
    today_for,
)
from stridewise.views import text_table


@cli.group("shoes")
def shoes_group() -> None:
    """Your shoes: how far each pair has gone and which runs were in it.

    \b
    Example:
      stridewise shoes add "Pegasus 40" --limit-km 700 --default --since 2026-08-01
      stridewise shoes list
    """


def distance_option(name: str, help_text: str, minimum_open: bool) -> Callable:
    """A distance option (``--limit-km``, ``--initial-mi``, …): 0 or more, or more than 0 with
    ``minimum_open``; ``km_from`` reads a km/mi pair of them."""
    return click.option(
        name,
        type=click.FloatRange(min=0, min_open=minimum_open),
        help=help_text,
    )


def km_from(option: str, km: float | None, mi: float | None) -> float | None:
    """The distance of a ``--X-km`` / ``--X-mi`` pair of options [km]; None when neither."""
    if km is not None and mi is not None:
        raise click.UsageError(f"give --{option}-km or --{option}-mi, not both")
    if mi is not None:
        from stridewise.profile import KM_PER_MILE

        return mi * KM_PER_MILE
    return km


@shoes_group.command("add")
@click.argument("name")
@distance_option(
    "--initial-km",
    "Distance the pair had before --since (bought used, tracked elsewhere). Default: 0.",
    minimum_open=False,
)
@distance_option("--initial-mi", "The same in miles.", minimum_open=False)
@distance_option(
    "--limit-km",
    "Replace the pair at this distance. Default: the shoe_mileage rule's (600 km).",
    minimum_open=True,
)
@distance_option("--limit-mi", "The same in miles.", minimum_open=True)
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
    initial_km: float | None,
    initial_mi: float | None,
    limit_km: float | None,
    limit_mi: float | None,
    is_default: bool,
    since: date | None,
) -> None:
    """Add a pair of shoes. A pair your imports already named (Strava or Garmin gear, a CSV
    shoe column) becomes yours with these values; a pair you added before is changed with
    `shoes edit`.

    \b
    Example:
      stridewise shoes add "Speedgoat 5" --limit-km 800
      stridewise shoes add "Pegasus 40" --initial-km 120 --default --since 2026-08-01
      stridewise shoes add "Ghost 15" --limit-mi 400
    """
    from stridewise.shoes import add_shoe, default_limit_km

    shoe, merged = add_shoe(
        session.store,
        session.athlete,
        name,
        initial_km=km_from("initial", initial_km, initial_mi) or 0.0,
        limit_km=km_from("limit", limit_km, limit_mi),
        default=is_default,
        since=since,
    )
    details = [
        f"limit {distance_text(session, shoe.limit_km or default_limit_km(session.profile))}"
    ]
    if shoe.is_default:
        details.append("default" + (f" from {shoe.since}" if shoe.since else ""))
    say(
        f"{'Updated' if merged else 'Added'} shoe '{shoe.name}' ({', '.join(details)})."
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
    from stridewise.jsontext import plain
    from stridewise.shoes import shoes_frame

    frame = shoes_frame(session.reader, session.athlete, session.profile, today=today_for(session))
    rows = plain(frame.to_dict("records"))  # a column with gaps holds NaN: None here
    if as_json:
        echo_json(rows)
        return
    if not rows:
        say('No shoes yet. Add one with: stridewise shoes add "NAME" --default')
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
    say(text_table(header, lines))


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
    since: date | None,
    until: date | None,
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
    from stridewise.shoes import assign_shoe, require_shoe

    check_period(since, until)
    count = assign_shoe(
        session.store,
        session.athlete,
        name,
        activity_id=activity_id,
        since=since,
        until=until,
        default_timezone=session.profile.timezone,
    )
    shoe = require_shoe(session.store, session.athlete, name)
    say(f"Assigned {count} run{'s' if count != 1 else ''} to '{shoe.name}'.")


@shoes_group.command("retire")
@click.argument("name")
@click.option("--date", "on", type=DATE, help="Retirement date (default: today; not later).")
@click.pass_obj
def shoes_retire(session: Session, name: str, on: date | None) -> None:
    """Retire a pair: it stops being a default and counts no new runs.

    \b
    Example:
      stridewise shoes retire "Pegasus 40" --date 2026-11-20
    """
    from stridewise.shoes import retire_shoe

    today = today_for(session)
    shoe = retire_shoe(session.store, session.athlete, name, on or today, today)
    say(f"Retired '{shoe.name}' on {shoe.retired_on}.")
