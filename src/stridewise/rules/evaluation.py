"""Running the rules over a history: ``evaluate`` and what it returns.

Rules read the history up to ``until`` only (a later run never changes an earlier week's checks),
look back as far as they need before ``since``, and report findings dated ``since``…``until``.
The history's estimates (maximum and resting heart rate, the load model) are those of the whole
history, so that every period — ``flags`` over months or one week's report — uses the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from stridewise.errors import ConfigError, InvalidInput
from stridewise.history import History
from stridewise.inputs import printable, shown_path
from stridewise.metrics.training import PMC_CONVENTION
from stridewise.profile import Profile
from stridewise.rules.base import SEVERITIES, Finding, NotEvaluable, Rule, RuleInput, RuleResult


@dataclass
class Evaluation:
    """What ``evaluate`` found, what each rule checked, and what could not be checked."""

    findings: list[Finding]
    not_evaluated: list[dict[str, str]]  # {"rule", "reason"}
    load_model: str
    load_unit: str
    load_reason: str
    estimated: dict[str, dict[str, Any]]
    pmc_convention: str = PMC_CONVENTION
    since: date | None = None
    until: date | None = None
    rules: list[str] = field(default_factory=list)
    #: each rule's own result over the period (its checks, findings, or why it could not run)
    results: dict[str, RuleResult] = field(default_factory=dict)
    #: how runs without what the load model needs got a load (e.g. "3 runs by session RPE")
    load_notes: list[str] = field(default_factory=list)
    #: runs whose per-run metrics could not all be computed
    data_notes: list[str] = field(default_factory=list)

    def went_well(self, profile: Profile) -> list[tuple[str, str]]:
        """``(rule id, sentence)`` for every rule that checked something and stayed quiet."""
        lines = []
        for rule_id, result in self.results.items():
            sentence = result.praise(profile)
            if sentence:
                lines.append((rule_id, sentence))
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [finding.to_json() for finding in self.findings],
            "not_evaluated": self.not_evaluated,
            "load_model": {
                "model": self.load_model,
                "unit": self.load_unit,
                "reason": self.load_reason,
                "notes": self.load_notes,
            },
            "estimated": self.estimated,
            "pmc_convention": self.pmc_convention,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "rules": self.rules,
            "data_notes": self.data_notes,
        }


def rule_settings(profile: Profile, rules: Mapping[str, Rule]) -> dict[str, dict[str, Any]]:
    """Every rule's settings: defaults merged with the profile's ``[rules.<id>]`` tables.

    Raises ConfigError for an unknown rule id, an unknown key or a value of the wrong type.
    """
    where = shown_path(profile.source) if profile.source else "profile"
    unknown = sorted(set(profile.rules) - set(rules))
    if unknown:
        table = printable(profile.setting_name(f"rules.{unknown[0]}"))
        raise ConfigError(f"{where}: unknown rule [{table}] (known: {', '.join(rules)})")
    return {
        rule_id: rule.settings(profile.rules.get(rule_id), where, profile.setting_name)
        for rule_id, rule in rules.items()
    }


def evaluate_rules(
    rules: Mapping[str, Rule],
    history: History,
    since: date | None = None,
    until: date | None = None,
    rule_ids: list[str] | None = None,
) -> Evaluation:
    """Run ``rules`` over a history; findings dated ``since``…``until`` (local, inclusive).

    Findings are sorted by date, then severity (highest first), then rule. A rule that lacks its
    data, or is turned off (``enabled = false``), is listed in ``not_evaluated`` with the reason.
    """
    settings = rule_settings(history.profile, rules)
    chosen = list(rules) if not rule_ids else list(dict.fromkeys(rule_ids))
    unknown = [rule_id for rule_id in chosen if rule_id not in rules]
    if unknown:
        raise InvalidInput(f"unknown rule '{unknown[0]}'; known rules: {', '.join(rules)}")
    if since and until and since > until:
        raise InvalidInput(f"--since {since} is after --until {until}")
    whole = history
    if until is not None:
        history = history.truncated(until)
    results: dict[str, RuleResult] = {}
    start = pd.Timestamp(since) if since else None
    for rule_id in chosen:
        rule = rules[rule_id]
        result = RuleResult(rule, settings[rule_id])
        results[rule_id] = result
        if not settings[rule_id]["enabled"]:
            result.not_evaluated = f"turned off (rules.{rule_id}.enabled = false)"
            continue
        if history.activities.empty:
            result.not_evaluated = "no activities in the history"
            continue
        given = RuleInput(history, settings[rule_id], start, rule_id=rule_id)
        try:
            result.findings = rule.check(given)
        except NotEvaluable as reason:
            result.not_evaluated = str(reason)
        result.checks = given.checks
        result.notes = given.notes
        results[rule_id] = result.in_period(since, until)
    findings = [f for result in results.values() for f in result.findings]
    findings.sort(key=lambda f: (f.date, -SEVERITIES.index(f.severity), f.rule, f.activity_id or 0))
    not_evaluated = []
    for rule_id, result in results.items():
        if result.not_evaluated is not None:
            not_evaluated.append({"rule": rule_id, "reason": result.not_evaluated})
        not_evaluated.extend({"rule": rule_id, "reason": note} for note in result.notes)
    choice = history.load_choice if not history.runs.empty else None
    return Evaluation(
        findings=findings,
        not_evaluated=not_evaluated,
        load_model=choice.model if choice else "none",
        load_unit=choice.unit if choice else "",
        load_reason=choice.reason if choice else "no runs",
        estimated=whole.estimated,
        since=since,
        until=until,
        rules=chosen,
        results=results,
        load_notes=history.load_notes if not history.runs.empty else [],
        data_notes=list(whole.metric_notes),
    )
