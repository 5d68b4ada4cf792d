"""``stridewise import``: files, folders and whole exports into the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from stridewise.cli.app import Session, cli


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
    with the reason and the rest of the batch goes on; the exit code is then 1.

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

    with _progress_bar(enabled=not as_json and sys.stderr.isatty()) as progress:
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
    reasons: dict[str, int] = dict(report.not_imported)
    for skipped in report.skipped:
        reasons[skipped["reason"]] = reasons.get(skipped["reason"], 0) + 1
    for folder in report.empty_folders:
        click.echo(f"No supported files found in {folder} (FIT, GPX, TCX, CSV or ZIP).")
    new_note = "" if report.imported else " (nothing new)"
    click.echo(
        f"Imported {report.imported} activities{new_note} from {report.files} files into {db_path}."
    )
    if report.no_sport:
        click.echo(
            f"  of which {report.no_sport} have no sport (their files name none): set it with "
            "`stridewise activities set ID --sport running`; `import --sport` names it for files "
            "imported later"
        )
    click.echo(f"  not stored again: {report.duplicates}")
    for count, what in (
        (report.already_imported, "already imported before"),
        (report.copies, "byte-identical copies of another file in this import"),
        (report.merged, "the same run as another file or row, merged into one activity"),
    ):
        if count:
            click.echo(f"    {count} {what}")
    if report.replaced:
        click.echo(
            f"      ({report.replaced} of these took the place of the copy stored before, as the "
            "better source: records over a summary, the device's file over an export)"
        )
    if report.fitparse_fallbacks:
        click.echo(
            f"  FIT files read by fitparse (fast decoder declined): "
            f"{len(report.fitparse_fallbacks)}"
        )
    if report.shoes or report.wellness_days:
        click.echo(
            f"  from exports: {report.shoes} shoes, {report.wellness_days} days of resting HR"
        )
    click.echo(
        f"  skipped: {sum(reasons.values())}"
        + "".join(f"\n    {count} x {reason}" for reason, count in sorted(reasons.items()))
    )
    click.echo(f"  failed: {len(report.failed)}")
