"""``stridewise flags``: the risk signals of a period."""

from __future__ import annotations

import json
from datetime import datetime

import click

from stridewise.cli.app import DATE, Session, as_date, cli


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
    evaluation = evaluate(history, as_date(since), as_date(until), list(rule_ids) or None)
    if as_json:
        click.echo(json.dumps([finding.to_json() for finding in evaluation.findings], indent=2))
    elif history.runs.empty:
        click.echo("No runs imported yet. Import some with: stridewise import PATH")
    else:
        click.echo(render_findings_text(evaluation, session.profile))
