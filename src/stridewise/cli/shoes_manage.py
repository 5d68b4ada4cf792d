"""``stridewise shoes edit|remove|unretire|import``: change a pair after adding it, take it out
again, or bring every pair in from a TOML file."""

from __future__ import annotations

from pathlib import Path

import click

from stridewise.cli.app import Session, distance_text, say, today_for
from stridewise.cli.shoes import distance_option, km_from, shoes_group


@shoes_group.command("edit")
@click.argument("name")
@click.option("--rename", metavar="NEW", help="A new name for the pair.")
@distance_option("--limit-km", "Replace the pair at this distance.", minimum_open=True)
@distance_option("--limit-mi", "The same in miles.", minimum_open=True)
@distance_option(
    "--initial-km", "Distance the pair had before its first day of use.", minimum_open=False
)
@distance_option("--initial-mi", "The same in miles.", minimum_open=False)
@click.pass_obj
def shoes_edit(
    session: Session,
    name: str,
    rename: str | None,
    limit_km: float | None,
    limit_mi: float | None,
    initial_km: float | None,
    initial_mi: float | None,
) -> None:
    """Rename a pair, or change its limit or the distance it had before you tracked it. Runs
    stay in the pair under its new name.

    \b
    Example:
      stridewise shoes edit "Pegasus 40" --limit-km 700
      stridewise shoes edit "pegasus" --rename "Pegasus 40 (blue)" --initial-mi 75
    """
    limit = km_from("limit", limit_km, limit_mi)
    initial = km_from("initial", initial_km, initial_mi)
    if rename is None and limit is None and initial is None:
        raise click.UsageError(
            "nothing to change; give --rename, --limit-km/--limit-mi or --initial-km/--initial-mi"
        )
    from stridewise.shoes import edit_shoe, require_shoe

    before = require_shoe(session.store, session.athlete, name)
    shoe = edit_shoe(
        session.store,
        session.athlete,
        name,
        rename=rename,
        limit_km=limit,
        initial_km=initial,
    )
    changes = []
    if rename is not None:
        changes.append(f"renamed from '{before.name}'")
    if limit is not None:
        changes.append(f"limit {distance_text(session, limit)}")
    if initial is not None:
        changes.append(f"initial distance {distance_text(session, initial)}")
    say(f"Changed '{shoe.name}': {', '.join(changes)}.")


@shoes_group.command("remove")
@click.argument("name")
@click.option(
    "--force",
    is_flag=True,
    help="Remove it even though runs are assigned to it (they fall back to the default pair).",
)
@click.pass_obj
def shoes_remove(session: Session, name: str, force: bool) -> None:
    """Remove a pair (a typo, a pair you never had). Refused while runs are assigned to it,
    unless --force: those runs then go back to the shoe their source named or the default pair.
    A pair your imports name comes back with the next import of such a run.

    \b
    Example:
      stridewise shoes remove "Pegasus 4O"
      stridewise shoes remove "Ghost 15" --force
    """
    from stridewise.shoes import remove_shoe

    shoe, assigned = remove_shoe(session.store, session.athlete, name, force=force)
    fallback = (
        f"; its {assigned} assigned run{'s' if assigned != 1 else ''} fall back to the shoe "
        "their source named or the default pair"
        if assigned
        else ""
    )
    say(f"Removed '{shoe.name}'{fallback}.")


@shoes_group.command("unretire")
@click.argument("name")
@click.pass_obj
def shoes_unretire(session: Session, name: str) -> None:
    """Put a retired pair back in service (it counts new runs again).

    \b
    Example:
      stridewise shoes unretire "Pegasus 40"
    """
    from stridewise.shoes import unretire_shoe

    shoe = unretire_shoe(session.store, session.athlete, name)
    say(f"'{shoe.name}' is in service again.")


@shoes_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def shoes_import(session: Session, path: Path) -> None:
    """Add every pair of a TOML file ([[shoe]] tables: name, initial_km or initial_mi, limit_km
    or limit_mi, default, since, retired_on, assign, notes). The file is checked whole first;
    all pairs are added or none.

    \b
    Example:
      stridewise shoes import data/samples/shoes.toml

    \b
    A file:
      [[shoe]]
      name = "Pegasus 40"
      initial_km = 116
      limit_km = 600
      default = true
      since = "2026-08-17"
      assign = [{ since = "2026-11-21", until = "2026-11-21" }]
    """
    from stridewise.inputs import shown_path
    from stridewise.shoes_file import import_shoes, read_shoes_file

    entries = read_shoes_file(path)
    result = import_shoes(
        session.store,
        session.athlete,
        entries,
        today=today_for(session),
        default_timezone=session.profile.timezone,
        label=shown_path(path.name),
    )
    for pair, merged in result.pairs:
        say(f"  {pair}" + (" (already known from your imports)" if merged else ""))
    count = len(result.pairs)
    runs = f", {result.assigned} run{'s' if result.assigned != 1 else ''} assigned"
    say(
        f"Imported {count} shoe{'s' if count != 1 else ''} from {path.name}"
        + (runs if result.assigned else "")
        + "."
    )
