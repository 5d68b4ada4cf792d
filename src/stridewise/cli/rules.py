"""``stridewise rules``: every rule, its trigger, severity, evidence and settings."""

from __future__ import annotations

import click

from stridewise.cli.app import Session, cli, echo_json, say


@cli.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as JSON.")
@click.option(
    "--markdown", "as_markdown", is_flag=True, help="Print the rules as Markdown (docs/RULES.md)."
)
@click.pass_obj
def rules_command(session: Session, as_json: bool, as_markdown: bool) -> None:
    """Every rule: id, risk factor, when it flags, how severe it may be, its evidence grade and
    citation, and each setting with its default, your value and the config key that changes it.

    \b
    Example:
      stridewise rules
      stridewise rules --json | jq '.rules[] | {id, evidence}'
    """
    if as_json and as_markdown:
        raise click.UsageError("choose one of --json and --markdown")
    from stridewise.profile import Profile
    from stridewise.rules import RULES, rule_settings
    from stridewise.rules.catalogue import (
        catalogue_json,
        catalogue_markdown,
        catalogue_text,
        rule_entries,
    )

    if as_markdown:  # the documentation: defaults only, whoever runs it
        defaults = rule_settings(Profile())
        say(catalogue_markdown(rule_entries(RULES, defaults)).rstrip("\n"))
        return
    entries = rule_entries(RULES, rule_settings(session.profile))
    if as_json:
        echo_json(catalogue_json(entries))
    else:
        say(catalogue_text(entries, session.profile))
