"""``stridewise flags``: the risk signals of a period (computed, never stored: ``--csv`` takes
them to a spreadsheet)."""

from __future__ import annotations

from datetime import date

import click

from stridewise.cli.app import DATE, Session, check_period, cli, echo_csv, echo_json, say

#: Columns of ``flags --csv``: the fields of ``flags --json`` with the window split in two.
FLAG_CSV_FIELDS = (
    "rule",
    "factor",
    "date",
    "activity_id",
    "severity",
    "value",
    "threshold",
    "unit",
    "message",
    "remedy",
    "evidence",
    "citation",
    "window_start",
    "window_end",
)


@cli.command("flags")
@click.option("--since", type=DATE, help="First local date (YYYY-MM-DD), inclusive.")
@click.option("--until", type=DATE, help="Last local date (YYYY-MM-DD), inclusive.")
@click.option("--rule", "rule_ids", multiple=True, help="Only this rule id (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of findings.")
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print the findings as CSV for a spreadsheet (text that would start a formula gets a ').",
)
@click.pass_obj
def flags_command(
    session: Session,
    since: date | None,
    until: date | None,
    rule_ids: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
) -> None:
    """Risk signals in your training, grouped by risk factor, with the numbers behind each,
    its evidence grade, citation and advice. A signal is associated with injury, not a diagnosis.

    \b
    Example:
      stridewise flags --since 2026-11-01
      stridewise flags --rule session_spike --rule rest_days --json
      stridewise flags --since 2026-01-01 --csv > flags.csv
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    check_period(since, until)
    from stridewise.history import History
    from stridewise.rules import evaluate, render_findings_text

    history = History.from_store(session.reader, session.athlete, session.profile)
    evaluation = evaluate(history, since, until, list(rule_ids) or None)
    findings = [finding.to_json() for finding in evaluation.findings]
    if as_json:
        echo_json(findings)
    elif as_csv:
        echo_csv(FLAG_CSV_FIELDS, [_csv_row(finding) for finding in findings])
    elif history.runs.empty:
        say("No runs imported yet. Import some with: stridewise import PATH")
    elif not _runs_between(history.runs, since, until):
        from stridewise.views import period_words

        say(f"No runs {period_words(since, until)} ({len(history.runs)} stored), so no flags.")
    else:
        say(render_findings_text(evaluation, session.profile))


def _csv_row(finding: dict) -> dict:
    window = finding.get("window") or {}
    row = {key: finding.get(key) for key in FLAG_CSV_FIELDS}
    row.update(window_start=window.get("start"), window_end=window.get("end"))
    return row


def _runs_between(runs, since: date | None, until: date | None) -> int:
    """How many runs lie in the period (local dates, inclusive)."""
    inside = runs["local_date"].map(
        lambda day: (since is None or day >= since) and (until is None or day <= until)
    )
    return int(inside.sum())
