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
        if self._store is None:
            from stridewise.store import Store

            self._store = Store(self.db_path)
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
@click.option("--athlete", default="me", show_default=True, help="Whose data (a coach keeps "
              "several athletes in one database).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="stridewise")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, config_path: Path | None, athlete: str,
        debug: bool) -> None:
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
@click.option("--jobs", type=click.IntRange(min=1), help="Files decoded at once. Default: the "
              "number of CPU cores.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_command(session: Session, paths: tuple[Path, ...], jobs: int | None,
                   as_json: bool) -> None:
    """Import FIT, GPX, TCX and CSV files, or folders of them (searched recursively).

    Importing the same files again changes nothing. A file that cannot be read is reported with
    the reason and the rest of the batch goes on; the exit code is then 1.

    \b
    Example:
      stridewise import run.fit
      stridewise import ~/watch-files/ --json
    """
    from stridewise.importing import import_paths

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
                length=total, label="Importing", file=sys.stderr, show_eta=True, show_pos=True,
                item_show_func=lambda item: Path(item).name[:40] if item else "",
            )
            self.bar.__enter__()
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
        f"Imported {report.imported} activities{new_note} from {report.files} files into "
        f"{db_path}."
    )
    click.echo(f"  duplicates (already stored): {report.duplicates}")
    click.echo(f"  skipped: {len(report.skipped)}"
               + "".join(f"\n    {count} x {reason}" for reason, count in sorted(reasons.items())))
    click.echo(f"  failed: {len(report.failed)}")


@cli.command("activities")
@click.option("--since", type=DATE, help="First local date (YYYY-MM-DD), inclusive.")
@click.option("--until", type=DATE, help="Last local date (YYYY-MM-DD), inclusive.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_obj
def activities_command(session: Session, since: datetime | None, until: datetime | None,
                       as_json: bool, as_csv: bool) -> None:
    """List imported activities with local dates, in km or miles per the profile.

    \b
    Example:
      stridewise activities --since 2026-10-01
      stridewise activities --json | jq '.[].distance_km'
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from stridewise.views import activity_rows

    rows = activity_rows(session.store, session.athlete, session.profile,
                         since=_as_date(since), until=_as_date(until))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        from stridewise.views import activities_table

        click.echo(activities_table(rows, session.profile))


def _as_date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def main() -> None:
    cli(prog_name="stridewise")
