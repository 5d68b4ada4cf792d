"""``stridewise cohort IN --out OUT``: every athlete's rules over a whole cohort."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stridewise.cli.app import CountProgress, Session, cli


@cli.command("cohort")
@click.argument("cohort", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for findings, athletes and summary (Parquet and CSV).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: worker processes on this machine; spark: Apache Spark (pyspark).",
)
@click.option(
    "--master",
    help="Spark master URL (--engine spark). Default: local[2].",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes of the local engine. Default: the number of CPU cores.",
)
@click.pass_obj
def cohort_command(
    session: Session,
    cohort: Path,
    out: Path,
    engine: str,
    master: str | None,
    jobs: int | None,
) -> None:
    """Evaluate every athlete's rules in a cohort and write one findings table
    (OUT/findings.parquet and .csv, the fields of `flags --json` plus the athlete), each
    athlete's status (OUT/athletes.*) and a summary: athletes per rule and severity per ISO week
    (OUT/summary.*).

    COHORT is a Parquet export (`stridewise export --format parquet`) or a folder of
    per-athlete databases (NAME.db, with an optional profile NAME.toml beside it). Each athlete
    is evaluated with their profile in --config when one is given (their [athletes.NAME]
    section over the shared default), else the profile exported with them. An athlete that
    cannot be evaluated (a partition of another schema version, a damaged file, no runs) is
    named in one line and the others are evaluated; the exit code is 1 when an athlete's data
    could not be used.

    Needs pyarrow (pip install 'stridewise[cohort]'); --engine spark needs pyspark and Java
    (pip install 'stridewise[spark]').

    \b
    Example:
      stridewise cohort club-2026/ --out club-flags/
      stridewise cohort club-2026/ --out club-flags/ --engine spark --master spark://head:7077
      stridewise cohort participants/ --out study-flags/ --config study-profile.toml
    """
    from stridewise.cohort import DEFAULT_MASTER, run_cohort

    if master is not None and engine != "spark":
        raise click.UsageError("--master applies to --engine spark only")
    config = None
    if session.config_path is not None:
        from stridewise.profile import load_config

        config = load_config(session.config_path)
    with CountProgress(
        engine == "local" and sys.stderr.isatty() and not session.quiet, "Evaluating"
    ) as progress:
        report = run_cohort(
            cohort,
            out,
            engine=engine,
            master=master or DEFAULT_MASTER,
            config=config,
            jobs=jobs,
            progress=progress,
        )
    for line in report.problems:
        click.echo(line, err=True)
    where = f"spark on {master or DEFAULT_MASTER}" if engine == "spark" else "local engine"
    click.echo(
        f"Evaluated {report.evaluated} of {report.athletes} athletes ({where}): "
        f"{report.findings} findings over {report.athlete_years:.1f} athlete-years in "
        f"{report.seconds:.1f} s ({report.athlete_years_per_s:.1f} athlete-years/s)."
    )
    click.echo(
        f"Wrote {out}/findings.parquet, findings.csv, athletes.parquet, athletes.csv, "
        "summary.parquet and summary.csv."
    )
    if not report.ok:
        sys.exit(1)
