"""The command line: thin commands over the library. Errors are caught in one place
(``StridewiseGroup.invoke``): a runner sees ``Error: <message>`` and exit code 1, and the
traceback only with ``--debug``."""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from stridewise.errors import StridewiseError
from stridewise.views import activities_table, text_table

DATE = click.DateTime(formats=["%Y-%m-%d"])


def default_db_path() -> Path:
    """``$STRIDEWISE_DB``, else stridewise.db in the user data directory."""
    env = os.environ.get("STRIDEWISE_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("stridewise") / "stridewise.db"


@dataclass
class Session:
    """What the global options chose; the store and profile open on first use."""

    db_path: Path
    config_path: Path | None
    athlete: str
    debug: bool
    _store: Any = field(default=None, repr=False)
    _profile: Any = field(default=None, repr=False)

    @property
    def store(self):
        """The database opened for writing: created when missing, migrated forward."""
        if self._store is None or self._store.readonly:
            from stridewise.store import Store

            if self._store is not None:
                self._store.close()
            self._store = Store(self.db_path)
        return self._store

    @property
    def reader(self):
        """The database opened for reading only: it must exist, and is never changed."""
        if self._store is None:
            from stridewise.store import Store

            self._store = Store(self.db_path, readonly=True)
        return self._store

    @property
    def profile(self):
        if self._profile is None:
            from stridewise.profile import load_profile

            self._profile = load_profile(self.config_path)
        return self._profile

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


class StridewiseGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StridewiseError as exc:
            session = ctx.obj if isinstance(ctx.obj, Session) else None
            if session is not None and session.debug:
                raise
            raise click.ClickException(str(exc)) from None
        finally:
            if isinstance(ctx.obj, Session):
                ctx.obj.close()


@click.group(cls=StridewiseGroup)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite database file. Default: $STRIDEWISE_DB, else stridewise.db in the user data "
    "directory.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Athlete profile (TOML). Default: $STRIDEWISE_CONFIG, else config.toml in the user "
    "config directory; without one, documented defaults apply.",
)
@click.option(
    "--athlete",
    default="me",
    show_default=True,
    help="Whose data (a coach keeps several athletes in one database).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="stridewise")
@click.pass_context
def cli(
    ctx: click.Context, db_path: Path | None, config_path: Path | None, athlete: str, debug: bool
) -> None:
    """stridewise: risk signals for lower back pain from your running watch's data.

    Import your watch's files, then look at your activities, flags and weekly report. Everything
    stays on this computer.

    \b
    Example:
      stridewise import ~/Downloads/garmin-export.zip
      stridewise activities --since 2026-09-01
    """
    ctx.obj = Session(db_path or default_db_path(), config_path, athlete, debug)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Files decoded at once. Default: the number of CPU cores.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_command(
    session: Session, paths: tuple[Path, ...], jobs: int | None, as_json: bool
) -> None:
    """Import FIT, GPX, TCX and CSV files, folders of them (searched recursively), and whole
    Garmin Connect or Strava exports (the zip or its unpacked folder).

    Importing the same files again changes nothing, and one run from two sources (its FIT and its
    GPX, a Strava and a Garmin export) is stored once. A file that cannot be read is reported
    with the reason and the rest of the batch goes on; the exit code is then 1.

    \b
    Example:
      stridewise import run.fit
      stridewise import ~/watch-files/ --json
      stridewise import ~/Downloads/garmin-export.zip ~/Downloads/strava-export.zip
    """
    from stridewise.pipeline import import_paths

    with _progress_bar(enabled=not as_json and sys.stderr.isatty()) as progress:
        report = import_paths(
            session.store,
            paths,
            athlete=session.athlete,
            default_timezone=session.profile.timezone,
            jobs=jobs,
            progress=progress,
            debug=session.debug,
        )
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        _print_import_summary(report, session.store.path)
    if report.failed:
        sys.exit(1)


class _progress_bar:
    """A click progress bar on stderr that is created once the total is known."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        return self.update

    def update(self, done: int, total: int, path: str) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=total,
                label="Importing",
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=lambda item: Path(item).name[:40] if item else "",
            )
            self.bar.__enter__()
        if total != self.bar.length:  # an export's nested archive was opened: more files
            self.bar.length = total
        self.bar.update(1, path)

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _print_import_summary(report, db_path: Path) -> None:
    for failure in report.failed:
        click.echo(f"failed: {failure['error']}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {Path(warning['path']).name}: {warning['warning']}", err=True)
    reasons: dict[str, int] = {}
    for skipped in report.skipped:
        reasons[skipped["reason"]] = reasons.get(skipped["reason"], 0) + 1
    new_note = "" if report.imported else " (nothing new)"
    click.echo(
        f"Imported {report.imported} activities{new_note} from {report.files} files into {db_path}."
    )
    click.echo(f"  duplicates (already stored): {report.duplicates}")
    if report.fitparse_fallbacks:
        click.echo(
            f"  FIT files read by fitparse (fast decoder declined): "
            f"{len(report.fitparse_fallbacks)}"
        )
    if report.replaced:
        click.echo(f"    summaries replaced by their recording: {report.replaced}")
    if report.shoes or report.wellness_days:
        click.echo(
            f"  from exports: {report.shoes} shoes, {report.wellness_days} days of resting HR"
        )
    click.echo(
        f"  skipped: {len(report.skipped)}"
        + "".join(f"\n    {count} x {reason}" for reason, count in sorted(reasons.items()))
    )
    click.echo(f"  failed: {len(report.failed)}")


@cli.group("activities", invoke_without_command=True)
@click.option("--since", type=DATE, help="First local date (YYYY-MM-DD), inclusive.")
@click.option("--until", type=DATE, help="Last local date (YYYY-MM-DD), inclusive.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_context
def activities_group(
    ctx: click.Context,
    since: datetime | None,
    until: datetime | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List imported activities with local dates, in km or miles per the profile; or change
    them (remove).

    \b
    Example:
      stridewise activities --since 2026-10-01
      stridewise activities --json | jq '.[].distance_km'
      stridewise activities remove 42
    """
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from stridewise.views import activity_rows

    rows = activity_rows(
        session.reader,
        session.athlete,
        session.profile,
        since=_as_date(since),
        until=_as_date(until),
    )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(activities_table(rows, session.profile))


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
        distance = "" if km is None else f" {_distance(session, km, 1)}"
        click.echo(
            f"Removed activity {row['id']}: {row['sport']}{distance} of "
            f"{row['start_utc'][:10]} ({Path(row['source_name']).name})."
        )
    click.echo("A later import of the same run leaves it out.")


@cli.command("flags")
@click.option("--since", type=DATE, help="First local date (YYYY-MM-DD), inclusive.")
@click.option("--until", type=DATE, help="Last local date (YYYY-MM-DD), inclusive.")
@click.option("--rule", "rule_ids", multiple=True, help="Only this rule id (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of findings.")
@click.pass_obj
def flags_command(
    session: Session,
    since: datetime | None,
    until: datetime | None,
    rule_ids: tuple[str, ...],
    as_json: bool,
) -> None:
    """Risk signals in your training, grouped by risk factor, with the numbers behind each,
    its evidence grade, citation and advice. A signal is associated with injury, not a diagnosis.

    \b
    Example:
      stridewise flags --since 2026-11-01
      stridewise flags --rule session_spike --rule rest_days --json
    """
    from stridewise.history import History
    from stridewise.rules import evaluate, render_findings_text

    history = History.from_store(session.reader, session.athlete, session.profile)
    evaluation = evaluate(history, _as_date(since), _as_date(until), list(rule_ids) or None)
    if as_json:
        click.echo(json.dumps([finding.to_json() for finding in evaluation.findings], indent=2))
    elif history.runs.empty:
        click.echo("No runs imported yet. Import some with: stridewise import PATH")
    else:
        click.echo(render_findings_text(evaluation, session.profile))


def _as_date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def main() -> None:
    cli(prog_name="stridewise")


def _today(session: Session) -> date:
    """Today in the runner's time zone (the profile's, else this computer's)."""
    zone = session.profile.timezone
    if zone:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(zone)).date()
    return date.today()


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
        since=_as_date(since),
    )
    what = "Updated" if merged else "Added"
    from stridewise.shoes import default_limit_km

    details = [f"limit {_distance(session, shoe.limit_km or default_limit_km(session.profile))}"]
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

    frame = shoes_frame(session.reader, session.athlete, session.profile, today=_today(session))
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
        since=_as_date(since),
        until=_as_date(until),
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

    today = _today(session)
    shoe = retire_shoe(session.store, session.athlete, name, _as_date(on) or today, today)
    click.echo(f"Retired '{shoe.name}' on {shoe.retired_on}.")


@cli.group("pain")
def pain_group() -> None:
    """Your lower back pain journal: one score a day, 0 (none) to 10 (worst).

    \b
    Example:
      stridewise pain add 2026-11-20 3 --note "stiff after the long run"
      stridewise pain list
    """


@pain_group.command("add")
@click.argument("day", metavar="DATE")
@click.argument("score")
@click.option("--note", help="A few words about it.")
@click.pass_obj
def pain_add(session: Session, day: str, score: str, note: str | None) -> None:
    """Log lower back pain for a day (SCORE 0-10). A second entry for a day replaces the first.

    \b
    Example:
      stridewise pain add 2026-11-20 3 --note "stiff in the morning"
    """
    from stridewise.pain import add_pain, parse_day, parse_score

    parsed_day = parse_day(day, _today(session))
    parsed_score = parse_score(score)
    replaced = add_pain(session.store, session.athlete, parsed_day, parsed_score, note)
    if replaced:
        click.echo(f"Replaced the entry for {parsed_day}: now {parsed_score}/10.")
    else:
        click.echo(f"Logged {parsed_score}/10 for {parsed_day}.")


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
        click.echo(json.dumps({"entries": entries, "associations": associations}, indent=2))
        return
    if not entries:
        click.echo("No pain logged. Log a day with: stridewise pain add DATE SCORE")
        return
    click.echo(
        text_table(
            ("date", "score", "note"),
            [(e["date"], f"{e['score']}/10", e["note"] or "") for e in entries],
        )
    )
    if associations is None:
        return
    click.echo(
        f"\n{associations['pain_days']} of {associations['logged_days']} logged days scored "
        f"{threshold} or more."
    )
    for line in association_lines(associations):
        click.echo(f"  {line}")
    if associations["warning"]:
        click.echo(associations["warning"])
    click.echo(associations["statement"])


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

    count, replaced = import_pain_csv(session.store, session.athlete, path, _today(session))
    click.echo(
        f"Imported {count} day{'s' if count != 1 else ''} from {path.name}"
        + (f" ({replaced} replaced earlier entries)." if replaced else ".")
    )


def _distance(session: Session, km: float, digits: int = 0) -> str:
    return f"{session.profile.km_to_display(km):.{digits}f} {session.profile.distance_unit()}"


@cli.command("report")
@click.option("--week", help="ISO week YYYY-Www. Default: the last complete week with runs.")
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
def report_command(session: Session, week: str | None, out_dir: Path | None, formats: str) -> None:
    """Write the weekly report: index.html (one self-contained page), report.md, report.json and
    the charts as PNG files.

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
        session.reader, session.athlete, session.profile, week=week, today=_today(session)
    )
    written = write_report(report, out_dir or default_out_dir(report), chosen)
    for line in summary_lines(report):
        click.echo(line)
    main_file = next(written[kind] for kind in ("html", "md", "json") if kind in written)
    click.echo(f"Report: {main_file}")
