"""``stridewise export --format parquet OUT``: the store as Parquet, partitioned by athlete."""

from __future__ import annotations

from pathlib import Path

import click

from stridewise.cli.app import Session, cli


@cli.command("export")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "form",
    type=click.Choice(["parquet"]),
    default="parquet",
    show_default=True,
    help="What to write.",
)
@click.option("--samples", is_flag=True, help="Also write every activity's per-second records.")
@click.pass_obj
def export_command(session: Session, out: Path, form: str, samples: bool) -> None:
    """Write the whole database — every athlete's activities with their per-run metrics, daily
    wellness, shoes and assignments, pain days and profile — as Parquet files partitioned by
    athlete (OUT/<table>/athlete=<name>/part-0.parquet), readable by Spark, DuckDB and pandas.
    OUT/stridewise-export.json lists the tables, columns, units and the schema version.
    `stridewise cohort OUT` evaluates the rules of every athlete in it.

    Needs pyarrow: pip install 'stridewise[cohort]'.

    \b
    Example:
      stridewise export --format parquet club-2026/
      stridewise export club-2026/ --samples
    """
    from stridewise.cohort.parquet import export_store
    from stridewise.cohort.schema import EXPORT_SCHEMA_VERSION
    from stridewise.profile import load_config

    store = session.reader
    if not store.athletes():
        click.echo("No athletes in the database; nothing exported.")
        return
    config = load_config(session.config_path)
    # each athlete with the profile `flags --athlete NAME` uses: their section over the default
    summary = export_store(store, out, config.profile, samples=samples)
    what = "with" if summary.samples else "without"
    click.echo(
        f"Exported {summary.athletes} athlete{'s' if summary.athletes != 1 else ''} "
        f"({summary.activities} activities, {what} per-second records) to {out} as Parquet "
        f"(schema version {EXPORT_SCHEMA_VERSION}, {summary.files} files)."
    )
