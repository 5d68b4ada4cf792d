"""The command group, its global options and what every command shares: the session (the
database and the profile, opened on first use), dates and weeks, what may reach a terminal, and
the one place where errors are caught (``StridewiseGroup.invoke``): a runner sees ``Error:
<message>`` and exit code 1, and the traceback only with ``--debug``.

Output goes through ``say`` (text: every line ``inputs.printable``, so a shoe named with an
escape sequence cannot retitle or clear the runner's terminal), ``warn`` (stderr, silenced by
``-q``), ``echo_json`` (strict JSON: ``jsontext``) and ``echo_csv`` (cells a spreadsheet would
run as a formula are neutralised). Dates and weeks are click types (``DATE``, ``WEEK``): a wrong
one is a usage error (exit 2) in the words of ``stridewise.days``.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from stridewise import __version__, days, jsontext
from stridewise.errors import InvalidInput, StridewiseError
from stridewise.inputs import printable

#: ``-h`` is ``--help`` for the group and, inherited through the context, every command.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class DateType(click.ParamType):
    """A local date typed YYYY-MM-DD (``days.parse_day``); a ``datetime.date``."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value.date() if isinstance(value, datetime) else value
        try:
            return days.parse_day(str(value))
        except InvalidInput as exc:
            self.fail(printable(str(exc)), param, ctx)


class WeekType(click.ParamType):
    """An ISO week typed YYYY-Www (``days.parse_week``); the ``datetime.date`` of its Monday."""

    name = "week"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-Www"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return days.parse_week(str(value))
        except InvalidInput as exc:
            self.fail(printable(str(exc)), param, ctx)


DATE = DateType()
WEEK = WeekType()


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
    quiet: bool = False
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
        """The athlete's profile: their ``[athletes.NAME]`` section over the shared default."""
        if self._profile is None:
            from stridewise.profile import load_profile

            self._profile = load_profile(self.config_path, athlete=self.athlete)
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
            raise click.ClickException(terminal_text(str(exc))) from None
        finally:
            if isinstance(ctx.obj, Session):
                ctx.obj.close()


@click.group(cls=StridewiseGroup, context_settings=CONTEXT_SETTINGS)
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
    help="Whose data (a coach keeps several athletes in one database); their [athletes.NAME] "
    "section of the config applies over the shared default.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option(
    "-q", "--quiet", is_flag=True, help="Hide warnings and progress (errors still print)."
)
@click.version_option(__version__, prog_name="stridewise")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: Path | None,
    config_path: Path | None,
    athlete: str,
    debug: bool,
    quiet: bool,
) -> None:
    """stridewise: risk signals for lower back pain from your running watch's data.

    Import your watch's files, then look at your activities, flags and weekly report. Everything
    stays on this computer.

    \b
    Example:
      stridewise import ~/Downloads/garmin-export.zip
      stridewise activities --since 2026-09-01
      stridewise -q import ~/watch-files/      # no warnings, no progress bar
    """
    ctx.obj = Session(db_path or default_db_path(), config_path, athlete, debug, quiet)
    if quiet:
        import warnings

        ctx.with_resource(warnings.catch_warnings())  # restored when the command ends
        warnings.simplefilter("ignore")  # a library's warnings are warnings too


def as_date(value: date | None) -> date | None:
    """A date option's value as a ``datetime.date`` (``DATE`` gives one; a datetime is cut)."""
    if isinstance(value, datetime):
        return value.date()
    return value


def check_period(since: date | None, until: date | None) -> None:
    """``--since`` after ``--until`` is a usage error (exit 2): the period holds no day."""
    if since is not None and until is not None and as_date(since) > as_date(until):
        raise click.UsageError(
            f"--since {as_date(since).isoformat()} is after --until {as_date(until).isoformat()}"
        )


def terminal_text(text: str) -> str:
    """``text`` with every line ``printable``: no escape sequence reaches the terminal."""
    return "\n".join(printable(line) for line in text.split("\n"))


def say(text: str = "", *, err: bool = False) -> None:
    """Print text for a person (``terminal_text``), on stdout or stderr."""
    click.echo(terminal_text(text), err=err)


def warn(session: Session, text: str) -> None:
    """A warning on stderr, unless ``-q``."""
    if not session.quiet:
        say(text, err=True)


def echo_json(value: Any) -> None:
    """Strict JSON on stdout (``jsontext.dumps``: NaN and NaT are null)."""
    click.echo(jsontext.dumps(value))


#: What starts a formula in a spreadsheet cell (OWASP, CSV injection): such text cells get a
#: leading ``'``, which spreadsheets show as text and do not run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell as a spreadsheet may open it safely: text ``printable`` and, when it would
    start a formula, prefixed with ``'``; numbers (a negative one too) and None unchanged."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def echo_csv(fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """CSV with a header line on stdout, every text cell ``spreadsheet_cell``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fieldnames), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})
    click.echo(buffer.getvalue(), nl=False)


def today_for(session: Session) -> date:
    """Today in the runner's time zone (the profile's, else this computer's)."""
    zone = session.profile.timezone
    if zone:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(zone)).date()
    return date.today()


def distance_text(session: Session, km: float, digits: int = 0) -> str:
    """A distance [km] in the runner's unit, e.g. ``600 km`` or ``372.8 mi``."""
    return f"{session.profile.km_to_display(km):.{digits}f} {session.profile.distance_unit()}"


class CountProgress:
    """A click progress bar of things done (athletes, …) on stderr, created once the total is
    known; ``with CountProgress(enabled, label) as progress`` gives the callback (``done``,
    ``total``), or None when ``enabled`` is false (not a terminal, ``--quiet``)."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled = enabled
        self.label = label
        self.bar: Any = None

    def __enter__(self):
        return self.update if self.enabled else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)
