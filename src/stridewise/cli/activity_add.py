"""``stridewise activities add``: a session no watch recorded, added by hand."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import click

from stridewise.cli.activities import activities_group
from stridewise.cli.app import DATE, Session, distance_text
from stridewise.kinds import SESSION_SPORTS
from stridewise.limits import MAX_ADDED_SESSION_S

#: How the summary fields a session may change on a stored activity read in the output.
_FIELD_WORDS = {
    "rpe": "RPE",
    "notes": "note",
    "distance_m": "distance",
    "timer_s": "time",
    "elapsed_s": "time",
}


@activities_group.command("add")
@click.argument("day", metavar="DATE", type=DATE)
@click.argument(
    "sport", metavar="SPORT", type=click.Choice(list(SESSION_SPORTS), case_sensitive=False)
)
@click.option(
    "--minutes",
    required=True,
    type=click.FloatRange(min=0, min_open=True, max=MAX_ADDED_SESSION_S / 60.0),
    help="How long the session lasted [min].",
)
@click.option(
    "--km",
    type=click.FloatRange(min=0),
    help="Distance covered [km], for sports that cover one (run, ride, walk, ...).",
)
@click.option(
    "--rpe",
    type=click.FloatRange(0, 10),
    help="How hard the session was, 0-10 (session RPE, CR-10 scale).",
)
@click.option("--note", help="A note kept with the session.")
@click.option(
    "--time",
    "time_of_day",
    type=click.DateTime(formats=["%H:%M"]),
    help="Local time it started (HH:MM). Default: noon.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stored activity as JSON.")
@click.pass_obj
def activities_add(
    session: Session,
    day: datetime,
    sport: str,
    minutes: float,
    km: float | None,
    rpe: float | None,
    note: str | None,
    time_of_day: datetime | None,
    as_json: bool,
) -> None:
    """Add a session no watch recorded, on local date DATE (YYYY-MM-DD, not in the future).

    \b
    SPORT: run, treadmill, trail (runs: they count in load and distance);
      strength, core (strength work); mobility, yoga, pilates, tai_chi,
      stretching, breathwork (mobility); physio (an appointment: not training);
      ride, swim, row, elliptical, walk, hike (cross-training); other.

    A run without --rpe gets its load as any run without records does. A recording of the same
    session imported before or later (same sport, starting within 2 minutes, same distance or
    duration) stays one activity, with your RPE and note; without --time the session stands at
    noon.

    \b
    Example:
      stridewise activities add 2026-05-04 core --minutes 15
      stridewise activities add 2026-05-05 treadmill --minutes 42 --km 8 --rpe 6
      stridewise activities add 2026-05-06 physio --minutes 45 --note "lower back"
    """
    from stridewise.inputs import printable
    from stridewise.kinds import kind_of
    from stridewise.manual import ManualSession, add_session
    from stridewise.views import activity_rows

    outcome = add_session(
        session.store,
        session.athlete,
        ManualSession(
            day=day,
            sport=sport.lower(),
            minutes=minutes,
            km=km,
            rpe=rpe,
            note=note,
            time_of_day=time_of_day.time() if time_of_day else None,
        ),
        zone=session.profile.timezone,
    )
    around = (day - timedelta(days=1), day + timedelta(days=1))
    rows = activity_rows(session.store, session.athlete, session.profile, *around)
    row = next(r for r in rows if r["id"] == outcome.activity_id)
    if as_json:
        click.echo(json.dumps(row, indent=2))
        return
    if outcome.added:
        named = SESSION_SPORTS[sport.lower()]
        details = [f"{minutes:g} min"]
        if km:
            details.append(distance_text(session, km, 2))
        if rpe is not None:
            details.append(f"RPE {rpe:g}")
        when = f"{day} {time_of_day:%H:%M}" if time_of_day else str(day)
        click.echo(
            f"Added activity {outcome.activity_id}: {sport.lower()} on {when}, "
            f"{', '.join(details)} (kind: {kind_of(named.sport, named.sub_sport)})."
        )
        return
    same = (
        f"Activity {outcome.activity_id} ({row['local_date']} {row['local_start'][11:16]}, "
        f"{printable(row['source'])}) is the same session: stored once"
    )
    changed = list(dict.fromkeys(_FIELD_WORDS.get(name, name) for name in outcome.changed))
    if changed:
        click.echo(f"{same}, with your {' and '.join(changed)}.")
    else:
        click.echo(f"{same}, nothing new to add (for another session that day, give --time).")
