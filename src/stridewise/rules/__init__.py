"""The risk rules of RULES.md and the one entry point that runs them, ``evaluate``.

    from stridewise.history import History
    from stridewise.rules import evaluate, render_findings_text

    history = History.from_store(store, "me", profile)
    evaluation = evaluate(history, since=date(2026, 3, 2), until=date(2026, 3, 8))
    print(render_findings_text(evaluation, profile))
    json.dumps([f.to_json() for f in evaluation.findings])

One module per risk factor (``load``, ``overtraining``, ``rest``, ``fatigue``, ``surface``,
``shoes``, ``form``, ``warmup``) and for remedies and recovery (``remedies``, ``recovery``);
``base`` says what a rule is, ``evaluation`` runs them, ``catalogue`` lists them (``stridewise
rules``, docs/RULES.md) and ``text`` prints findings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from stridewise.history import History
from stridewise.profile import Profile
from stridewise.rules.base import (
    CLINICIAN_NOTE,
    FACTORS,
    GRADES,
    NOT_A_DIAGNOSIS,
    SEVERITIES,
    Check,
    Finding,
    Rule,
    RuleResult,
)
from stridewise.rules.evaluation import Evaluation, evaluate_rules
from stridewise.rules.evaluation import rule_settings as _settings_of
from stridewise.rules.fatigue import DECOUPLING, FORM_DRIFT
from stridewise.rules.form import CADENCE, GCT_BALANCE
from stridewise.rules.load import ACWR, COMEBACK, SESSION_SPIKE, WEEKLY_JUMP
from stridewise.rules.overtraining import MONOTONY
from stridewise.rules.recovery import RESTING_HR_RISE, SHORT_SLEEP
from stridewise.rules.remedies import STRENGTH_MOBILITY
from stridewise.rules.rest import REST_DAYS
from stridewise.rules.shoes import SHOE_MILEAGE, SHOE_ROTATION
from stridewise.rules.surface import DESCENT_SPIKE, SURFACE_CHANGE
from stridewise.rules.text import render_findings_text
from stridewise.rules.warmup import WARMUP

#: Every rule, in the order of RULES.md.
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        SESSION_SPIKE,
        COMEBACK,
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
        STRENGTH_MOBILITY,
        RESTING_HR_RISE,
        SHORT_SLEEP,
        DESCENT_SPIKE,
    )
}


def rule_settings(profile: Profile) -> dict[str, dict[str, Any]]:
    """Every rule's settings: defaults merged with the profile's ``[rules.<id>]`` tables."""
    return _settings_of(profile, RULES)


def evaluate(
    history: History,
    since: date | None = None,
    until: date | None = None,
    rule_ids: list[str] | None = None,
) -> Evaluation:
    """Run the rules over a history; findings dated ``since``…``until`` (local, inclusive)."""
    return evaluate_rules(RULES, history, since, until, rule_ids)


__all__ = [
    "CLINICIAN_NOTE",
    "FACTORS",
    "GRADES",
    "NOT_A_DIAGNOSIS",
    "RULES",
    "SEVERITIES",
    "Check",
    "Evaluation",
    "Finding",
    "Rule",
    "RuleResult",
    "evaluate",
    "render_findings_text",
    "rule_settings",
]
