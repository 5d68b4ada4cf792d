"""``stridewise pain``: the lower back pain journal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from stridewise.cli.app import DATE, Session, cli, echo_json, say, today_for
from stridewise.views import text_table


@cli.group("pain")
def pain_group() -> None:
    """Your lower back pain journal: one score a day, 0 (none) to 10 (worst).

    \b
    Example:
      stridewise pain add 2026-11-20 3 --note "stiff after the long run"
      stridewise pain list
    """


@pain_group.command("add")
@click.argument("day", metavar="DATE", type=DATE)
@click.argument("score")
@click.option("--note", help="A few words about it.")
@click.pass_obj
def pain_add(session: Session, day: date, score: str, note: str | None) -> None:
    """Log lower back pain for a day (SCORE 0-10). A second entry for a day replaces the first.

    \b
    Example:
      stridewise pain add 2026-11-20 3 --note "stiff in the morning"
    """
    from stridewise.pain import add_pain, check_not_future, parse_score

    parsed_day = check_not_future(day, today_for(session))
    parsed_score = parse_score(score)
    replaced = add_pain(session.store, session.athlete, parsed_day, parsed_score, note)
    if replaced:
        say(f"Replaced the entry for {parsed_day}: now {parsed_score}/10.")
    else:
        say(f"Logged {parsed_score}/10 for {parsed_day}.")


@pain_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (entries and associations).")
@click.option(
    "--threshold",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="A pain day is a score at or above this.",
)
@click.pass_obj
def pain_list(session: Session, as_json: bool, threshold: int) -> None:
    """List your pain journal, and which risk factors' flags came in the 3 days before your
    pain days (associated with the pain, not shown to cause it).

    \b
    Example:
      stridewise pain list
      stridewise pain list --threshold 4 --json
    """
    from stridewise.pain import pain_frame

    frame = pain_frame(session.reader, session.athlete)
    entries = [
        {"date": d.isoformat(), "score": int(s), "note": n}
        for d, s, n in zip(frame["date"], frame["score"], frame["note"], strict=True)
    ]
    from stridewise.associations import association_lines, associations_from_store

    associations = associations_from_store(
        session.reader, session.athlete, session.profile, threshold=threshold
    )
    if as_json:
        echo_json({"entries": entries, "associations": associations})
        return
    if not entries:
        say("No pain logged. Log a day with: stridewise pain add DATE SCORE")
        return
    say(
        text_table(
            ("date", "score", "note"),
            [(e["date"], f"{e['score']}/10", e["note"] or "") for e in entries],
        )
    )
    if associations is None:
        return
    say(
        f"\n{associations['pain_days']} of {associations['logged_days']} logged days scored "
        f"{threshold} or more."
    )
    for line in association_lines(associations):
        say(f"  {line}")
    if associations["warning"]:
        say(associations["warning"])
    say(associations["statement"])


@pain_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def pain_import(session: Session, path: Path) -> None:
    """Import a CSV of date,score[,note] rows (a header line is optional); all rows or none.

    \b
    Example:
      stridewise pain import back-pain.csv
    """
    from stridewise.pain import import_pain_csv

    count, replaced = import_pain_csv(session.store, session.athlete, path, today_for(session))
    say(
        f"Imported {count} day{'s' if count != 1 else ''} from {path.name}"
        + (f" ({replaced} replaced earlier entries)." if replaced else ".")
    )
