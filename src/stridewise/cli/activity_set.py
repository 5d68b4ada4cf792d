"""``stridewise activities set``: correct the sport or the surface of a stored activity."""

from __future__ import annotations

import click

from stridewise.cli.activities import activities_group
from stridewise.cli.app import Session

#: Surfaces a runner may set (``model.SURFACES``, repeated so that --help imports no pandas).
SURFACE_CHOICES = ("road", "trail", "track", "treadmill", "unknown")


@activities_group.command("set")
@click.argument("activity_id", type=click.IntRange(min=1), metavar="ID")
@click.option(
    "--sport",
    help="The sport, for an activity whose file named none: running (or run), trail run, "
    "treadmill, walking, hiking, cycling, swimming, ...",
)
@click.option(
    "--surface",
    type=click.Choice(SURFACE_CHOICES),
    help="The surface; yours wins over every file and over the inference from the track.",
)
@click.pass_obj
def activities_set(
    session: Session, activity_id: int, sport: str | None, surface: str | None
) -> None:
    """Correct what an import could not know: the sport of an activity whose file named none
    (see `stridewise activities`), or its surface. A later import of the same run from another
    source keeps your surface.

    \b
    Example:
      stridewise activities set 42 --sport running
      stridewise activities set 42 --surface trail
    """
    if sport is None and surface is None:
        raise click.UsageError("give --sport, --surface or both")
    from stridewise.corrections import correct_activity

    correction = correct_activity(
        session.store, session.athlete, activity_id, sport=sport, surface=surface
    )
    if not correction.changes:
        click.echo(f"Activity {activity_id} already is so; nothing changed.")
        return
    changed = ", ".join(
        f"{name.replace('_', ' ')} {after or '-'} (was {before or '-'})"
        for name, (before, after) in correction.changes.items()
    )
    click.echo(f"Activity {activity_id}: {changed}.")
