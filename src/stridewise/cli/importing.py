"""``stridewise import``: files, folders and whole exports into the store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stridewise.cli.app import Session, cli, echo_json, say, warn
from stridewise.inputs import printable


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Files decoded at once. Default: the number of CPU cores.",
)
@click.option(
    "--sport",
    help="Sport of the activities whose files name none, such as a folder of Nike Run Club GPX "
    "files: running (or run), walking, hiking, cycling, ...",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_command(
    session: Session,
    paths: tuple[Path, ...],
    jobs: int | None,
    sport: str | None,
    as_json: bool,
) -> None:
    """Import FIT, GPX, TCX and CSV files, folders of them (searched recursively), and whole
    Garmin Connect or Strava exports (the zip or its unpacked folder).

    Importing the same files again changes nothing, and one run from two sources (its FIT and its
    GPX, a Strava and a Garmin export) is stored once. A file that cannot be read is reported
    with the reason and the rest of the batch goes on; the exit code is then 1, as it is when a
    folder holds no file stridewise reads.

    \b
    Example:
      stridewise import run.fit
      stridewise import ~/watch-files/ --json
      stridewise import ~/Downloads/garmin-export.zip ~/Downloads/strava-export.zip
      stridewise import ~/nike-run-club/ --sport running
    """
    from stridewise.errors import InvalidInput
    from stridewise.pipeline import import_paths
    from stridewise.pipeline.sports import sport_choice

    try:
        choice = None if sport is None else sport_choice(sport)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc), param_hint="--sport") from None

    show_progress = not as_json and not session.quiet and sys.stderr.isatty()
    with _progress_bar(enabled=show_progress) as progress:
        report = import_paths(
            session.store,
            paths,
            athlete=session.athlete,
            default_timezone=session.profile.timezone,
            jobs=jobs,
            progress=progress,
            debug=session.debug,
            sport=choice,
        )
    if as_json:
        echo_json(report.to_json())
    elif report.empty_folders and not (report.files or report.failed or report.skipped):
        raise click.ClickException(_nothing_found(report.empty_folders))
    else:
        _print_import_summary(session, report, session.store.path)
    if report.failed or report.empty_folders:
        sys.exit(1)


def _nothing_found(folders: list[str]) -> str:
    from stridewise.importers.dispatch import SUPPORTED_SUFFIXES

    where = ", ".join(folders)
    return f"no supported files found in {where} (stridewise reads {' '.join(SUPPORTED_SUFFIXES)})"


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
                item_show_func=lambda item: printable(Path(item).name)[:40] if item else "",
            )
            self.bar.__enter__()
        if total != self.bar.length:  # an export's nested archive was opened: more files
            self.bar.length = total
        self.bar.update(1, path)

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _print_import_summary(session: Session, report, db_path: Path) -> None:
    for failure in report.failed:
        say(f"failed: {failure['error']}", err=True)
    for folder in report.empty_folders:
        say(f"failed: {_nothing_found([folder])}", err=True)
    for warning in report.warnings:
        warn(session, f"warning: {Path(warning['path']).name}: {warning['warning']}")
    reasons: dict[str, int] = dict(report.not_imported)
    for skipped in report.skipped:
        reasons[skipped["reason"]] = reasons.get(skipped["reason"], 0) + 1
    new_note = "" if report.imported else " (nothing new)"
    say(
        f"Imported {report.imported} activities{new_note} from {report.files} files into {db_path}."
    )
    if report.no_sport:
        say(
            f"  of which {report.no_sport} have no sport (their files name none): set it with "
            "`stridewise activities set ID --sport running`; `import --sport` names it for files "
            "imported later"
        )
    say(f"  not stored again: {report.duplicates}")
    for count, what in (
        (report.already_imported, "already imported before"),
        (report.copies, "byte-identical copies of another file in this import"),
        (report.merged, "the same run as another file or row, merged into one activity"),
    ):
        if count:
            say(f"    {count} {what}")
    if report.replaced:
        say(
            f"      ({report.replaced} of these took the place of the copy stored before, as the "
            "better source: records over a summary, the device's file over an export)"
        )
    if report.fitparse_fallbacks:
        say(
            f"  FIT files read by fitparse (fast decoder declined): "
            f"{len(report.fitparse_fallbacks)}"
        )
    if report.shoes or report.wellness_days:
        say(f"  from exports: {report.shoes} shoes, {report.wellness_days} days of wellness data")
    say(
        f"  skipped: {sum(reasons.values())}"
        + "".join(f"\n    {count} x {reason}" for reason, count in sorted(reasons.items()))
    )
    say(f"  failed: {len(report.failed) + len(report.empty_folders)}")
