"""The command group, its global options and what every command shares: the session (the
database and the profile, opened on first use), dates, and the one place where errors are caught
(``StridewiseGroup.invoke``): a runner sees ``Error: <message>`` and exit code 1, and the
traceback only with ``--debug``."""

from __future__ import annotations

import os
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
    help="Whose data (a coach keeps several athletes in one database); their [athletes.NAME] "
    "section of the config applies over the shared default.",
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


def as_date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def today_for(session: Session) -> date:
    """Today in the runner's time zone (the profile's, else this computer's)."""
    zone = session.profile.timezone
    if zone:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(zone)).date()
    return date.today()


def distance_text(session: Session, km: float, digits: int = 0) -> str:
    return f"{session.profile.km_to_display(km):.{digits}f} {session.profile.distance_unit()}"
