"""The risk rules of RULES.md and the one entry point that runs them, ``evaluate``.

    from stridewise.history import History
    from stridewise.rules import evaluate, render_findings_text

    history = History.from_store(store, "me", profile)
    evaluation = evaluate(history, since=date(2026, 3, 2), until=date(2026, 3, 8))
    print(render_findings_text(evaluation, profile))
    json.dumps([f.to_json() for f in evaluation.findings])

Rules read the history up to ``until`` only (a later run never changes an earlier week's flags),
look back as far as they need before ``since``, and report findings dated ``since``…``until``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from stridewise.errors import ConfigError, InvalidInput
from stridewise.history import History
from stridewise.metrics.training import PMC_CONVENTION
from stridewise.profile import Profile
from stridewise.rules.base import (
    CLINICIAN_NOTE,
    FACTORS,
    SEVERITIES,
    Finding,
    NotEvaluable,
    Rule,
    RuleInput,
)
from stridewise.rules.fatigue import DECOUPLING, FORM_DRIFT
from stridewise.rules.form import CADENCE, GCT_BALANCE
from stridewise.rules.load import ACWR, SESSION_SPIKE, WEEKLY_JUMP
from stridewise.rules.overtraining import MONOTONY
from stridewise.rules.rest import REST_DAYS
from stridewise.rules.shoes import SHOE_MILEAGE, SHOE_ROTATION
from stridewise.rules.surface import SURFACE_CHANGE
from stridewise.rules.text import render_findings_text
from stridewise.rules.warmup import WARMUP

#: Every rule, in the order of RULES.md.
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        SESSION_SPIKE,
        WEEKLY_JUMP,
        ACWR,
        MONOTONY,
        REST_DAYS,
        DECOUPLING,
        FORM_DRIFT,
        SURFACE_CHANGE,
        SHOE_MILEAGE,
        SHOE_ROTATION,
        CADENCE,
        GCT_BALANCE,
        WARMUP,
    )
}


@dataclass
class Evaluation:
    """What ``evaluate`` found, and what it could not check."""

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

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [finding.to_json() for finding in self.findings],
            "not_evaluated": self.not_evaluated,
            "load_model": {
                "model": self.load_model,
                "unit": self.load_unit,
                "reason": self.load_reason,
            },
            "estimated": self.estimated,
            "pmc_convention": self.pmc_convention,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "rules": self.rules,
        }


def rule_settings(profile: Profile) -> dict[str, dict[str, Any]]:
    """Every rule's settings: defaults merged with the profile's ``[rules.<id>]`` tables.

    Raises ConfigError for an unknown rule id, an unknown key or a value of the wrong type.
    """
    where = str(profile.source) if profile.source else "profile"
    unknown = sorted(set(profile.rules) - set(RULES))
    if unknown:
        raise ConfigError(f"{where}: unknown rule [rules.{unknown[0]}] (known: {', '.join(RULES)})")
    return {
        rule_id: rule.settings(profile.rules.get(rule_id), where) for rule_id, rule in RULES.items()
    }


def evaluate(
    history: History,
    since: date | None = None,
    until: date | None = None,
    rule_ids: list[str] | None = None,
) -> Evaluation:
    """Run the rules over a history; findings dated ``since``…``until`` (local, inclusive).

    Findings are sorted by date, then severity (highest first), then rule. A rule that lacks its
    data, or is turned off (``enabled = false``), is listed in ``not_evaluated`` with the reason.
    """
    settings = rule_settings(history.profile)
    chosen = list(RULES) if not rule_ids else list(dict.fromkeys(rule_ids))
    unknown = [rule_id for rule_id in chosen if rule_id not in RULES]
    if unknown:
        raise InvalidInput(f"unknown rule '{unknown[0]}'; known rules: {', '.join(RULES)}")
    if since and until and since > until:
        raise InvalidInput(f"--since {since} is after --until {until}")
    if until is not None:
        history = history.truncated(until)
    findings: list[Finding] = []
    not_evaluated: list[dict[str, str]] = []
    start = pd.Timestamp(since) if since else None
    for rule_id in chosen:
        rule = RULES[rule_id]
        if not settings[rule_id]["enabled"]:
            not_evaluated.append(
                {"rule": rule_id, "reason": f"turned off (rules.{rule_id}.enabled = false)"}
            )
            continue
        if history.runs.empty:
            not_evaluated.append({"rule": rule_id, "reason": "no runs in the history"})
            continue
        given = RuleInput(history, settings[rule_id], start)
        try:
            found = rule.check(given)
        except NotEvaluable as reason:
            not_evaluated.append({"rule": rule_id, "reason": str(reason)})
            continue
        findings.extend(found)
        not_evaluated.extend({"rule": rule_id, "reason": note} for note in given.notes)
    findings = [
        f
        for f in findings
        if (since is None or f.date >= since) and (until is None or f.date <= until)
    ]
    findings.sort(key=lambda f: (f.date, -SEVERITIES.index(f.severity), f.rule, f.activity_id or 0))
    choice = history.load_choice if not history.runs.empty else None
    return Evaluation(
        findings=findings,
        not_evaluated=not_evaluated,
        load_model=choice.model if choice else "none",
        load_unit=choice.unit if choice else "",
        load_reason=choice.reason if choice else "no runs",
        estimated=history.estimated,
        since=since,
        until=until,
        rules=chosen,
    )


__all__ = [
    "CLINICIAN_NOTE",
    "FACTORS",
    "RULES",
    "SEVERITIES",
    "Evaluation",
    "Finding",
    "Rule",
    "evaluate",
    "render_findings_text",
    "rule_settings",
]
