"""Findings as plain text for a terminal, grouped by risk factor (no printing here)."""

from __future__ import annotations

import textwrap

from stridewise.profile import Profile
from stridewise.rules.base import CLINICIAN_NOTE, FACTORS, NOT_A_DIAGNOSIS, Finding
from stridewise.rules.evaluation import Evaluation

WIDTH = 100
FACTOR_TITLES = {
    "load": "Load",
    "overtraining": "Overtraining",
    "rest": "Rest",
    "fatigue": "Fatigue",
    "surface": "Surface",
    "shoes": "Shoes",
    "form": "Form",
    "warm-up": "Warm-up",
    "remedy": "Remedies",
    "recovery": "Recovery",
}


#: What the history estimates when the profile does not say, as a runner reads it.
ESTIMATE_NAMES = {"max_hr": "Maximum heart rate", "resting_hr": "Resting heart rate"}


def render_findings_text(evaluation: Evaluation, profile: Profile) -> str:
    """Findings grouped by risk factor: date, severity, message, the numbers, grade and advice;
    then the load model, what was estimated and what could not be evaluated."""
    lines = [_title(evaluation)]
    if evaluation.load_unit:
        model = f"{evaluation.load_model} ({evaluation.load_unit}): {evaluation.load_reason}"
        lines.append(_wrap(f"Load model: {model}.", ""))
    for note in evaluation.load_notes:
        lines.append(_wrap(f"Load estimated: {note}.", ""))
    for name, estimate in evaluation.estimated.items():
        label = ESTIMATE_NAMES.get(name, name.replace("_", " ").capitalize())
        unit = " bpm" if estimate.get("unit") == "1/min" else ""
        value = f"{estimate['value']}{unit}" if estimate.get("value") is not None else "unknown"
        lines.append(_wrap(f"{label} (estimated): {value} ({estimate['how']}).", ""))
    for factor in FACTORS:
        found = [f for f in evaluation.findings if f.factor == factor]
        if not found:
            continue
        lines += ["", FACTOR_TITLES[factor]]
        for finding in found:
            lines += _finding_lines(finding, profile)
    if not evaluation.findings:
        lines += ["", "No flags in this period."]
    if evaluation.not_evaluated:
        lines += ["", "Not evaluated"]
        lines += [
            _wrap(f"{entry['rule']}: {entry['reason']}", "  ") for entry in evaluation.not_evaluated
        ]
    if evaluation.data_notes:
        lines += ["", "Left out"]
        lines += [_wrap(note, "  ") for note in evaluation.data_notes]
    lines += ["", _wrap(f"{NOT_A_DIAGNOSIS} {CLINICIAN_NOTE}", "")]
    return "\n".join(lines)


def _title(evaluation: Evaluation) -> str:
    count = len(evaluation.findings)
    period = ""
    if evaluation.since or evaluation.until:
        start = evaluation.since.isoformat() if evaluation.since else "the start"
        end = evaluation.until.isoformat() if evaluation.until else "the last run"
        period = f" from {start} to {end}"
    return f"{count} flag{'s' if count != 1 else ''}{period}"


def _finding_lines(finding: Finding, profile: Profile) -> list[str]:
    head = f"  {finding.date.isoformat()}  {finding.severity.upper():<8} {finding.rule}: "
    numbers = []
    if finding.value is not None:
        value, unit = _display(finding.value, finding.unit, profile)
        threshold = ""
        if finding.threshold is not None:
            limit, _ = _display(finding.threshold, finding.unit, profile)
            threshold = f" (threshold {limit:g}{unit})"
        numbers.append(f"value {value:g}{unit}{threshold}")
    numbers.append(f"evidence: {finding.evidence}")
    numbers.append(finding.citation)
    advice = finding.remedy
    return [
        _wrap(head + finding.message, " " * 6, first=""),
        _wrap(" · ".join(numbers), " " * 6),
        _wrap(f"Advice: {advice}", " " * 6),
    ]


def _display(value: float, unit: str, profile: Profile) -> tuple[float, str]:
    if unit == "km":
        return round(profile.km_to_display(value), 1), f" {profile.distance_unit()}"
    return round(value, 2), "" if unit == "ratio" else f" {unit}"


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
