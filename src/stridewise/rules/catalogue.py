"""Every rule as a runner or a coach can read it: ``stridewise rules`` and docs/RULES.md.

The catalogue is made from the registry itself (``stridewise.rules.RULES``) — id, risk factor,
trigger, severity ceiling, evidence grade, citation, the data it needs, and every setting with
its default, its value in the athlete's profile and the config key that changes it — so the
command and the documentation can never describe rules other than the ones that run. docs/RULES.md
is this module's Markdown (a test compares the two); regenerate it with
``stridewise rules --markdown > docs/RULES.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stridewise.kinds import KINDS, REMEDY_KINDS, SESSION_SPORTS, kind_of
from stridewise.profile import Profile
from stridewise.rules.base import CLINICIAN_NOTE, GRADES, NOT_A_DIAGNOSIS, SEVERITIES, Rule

#: What the data column of a rule means.
DATA_NEEDED = {
    "A": "activity summaries (distance, duration, date)",
    "R": "per-second records of a run",
    "wellness": "daily wellness data (resting heart rate, sleep) from a watch",
    "R or A": "per-second records of a run, else its average",
}


@dataclass(frozen=True)
class RuleSetting:
    """One setting of a rule: its config key, default, the athlete's value and meaning."""

    key: str  # e.g. "limit_km"
    config_key: str  # e.g. "rules.shoe_mileage.limit_km"
    default: Any
    value: Any  # as the athlete's profile sets it (the default when it does not)
    meaning: str  # with its unit in brackets


@dataclass(frozen=True)
class RuleEntry:
    """One rule as ``stridewise rules`` shows it."""

    id: str
    factor: str
    trigger: str
    max_severity: str
    grade: str
    citation: str
    data: str
    remedy: str
    enabled: bool
    settings: tuple[RuleSetting, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "factor": self.factor,
            "trigger": self.trigger,
            "max_severity": self.max_severity,
            "evidence": self.grade,
            "citation": self.citation,
            "data": self.data,
            "remedy": self.remedy,
            "enabled": self.enabled,
            "settings": [
                {
                    "key": s.key,
                    "config_key": s.config_key,
                    "default": s.default,
                    "value": s.value,
                    "meaning": s.meaning,
                }
                for s in self.settings
            ],
        }


def rule_entries(
    rules: Mapping[str, Rule], settings: Mapping[str, Mapping[str, Any]]
) -> list[RuleEntry]:
    """The catalogue of ``rules`` with the athlete's ``settings`` (``rules.rule_settings``)."""
    return [
        RuleEntry(
            id=rule.id,
            factor=rule.factor,
            trigger=rule.trigger,
            max_severity=rule.max_severity,
            grade=rule.evidence,
            citation=rule.citation,
            data=rule.data,
            remedy=rule.remedy,
            enabled=bool(settings[rule.id]["enabled"]),
            settings=tuple(
                RuleSetting(
                    key=key,
                    config_key=f"rules.{rule.id}.{key}",
                    default=default,
                    value=settings[rule.id][key],
                    meaning=rule.explains.get(key, ""),
                )
                for key, default in rule.defaults.items()
            ),
        )
        for rule in rules.values()
    ]


def remedy_sports() -> dict[str, list[str]]:
    """The words ``activities add`` and the CSV log accept, by kind of session."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for word, sport in SESSION_SPORTS.items():
        by_kind[kind_of(sport.sport, sport.sub_sport)].append(word)
    return by_kind


def catalogue_json(entries: list[RuleEntry]) -> dict[str, Any]:
    """``stridewise rules --json``."""
    sports = remedy_sports()
    return {
        "rules": [entry.to_json() for entry in entries],
        "remedy_kinds": {kind: sports[kind] for kind in KINDS if kind in REMEDY_KINDS},
        "severities": list(SEVERITIES),
        "grades": list(GRADES),
    }


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value:g}" if isinstance(value, float) else str(value)


def catalogue_text(entries: list[RuleEntry], profile: Profile) -> str:
    """The terminal listing: one block per rule, the athlete's own values marked."""
    lines = [f"{len(entries)} rules. {NOT_A_DIAGNOSIS}", ""]
    for entry in entries:
        state = "" if entry.enabled else "  (turned off in your profile)"
        lines.append(f"{entry.id}  [{entry.factor}]{state}")
        lines.append(f"  when:      {entry.trigger}")
        lines.append(f"  severity:  at most {entry.max_severity}; evidence: {entry.grade}")
        lines.append(f"  citation:  {entry.citation}")
        lines.append(f"  needs:     {DATA_NEEDED.get(entry.data, entry.data)}")
        for setting in entry.settings:
            mine = (
                f" (yours: {_value_text(setting.value)})"
                if setting.value != setting.default
                else ""
            )
            lines.append(
                f"  {setting.config_key} = {_value_text(setting.default)}{mine}  "
                f"# {setting.meaning}"
            )
        lines.append("")
    sports = remedy_sports()
    lines.append(
        "Sessions that count as remedies (strength_mobility): "
        + "; ".join(f"{kind}: {', '.join(sports[kind])}" for kind in KINDS if kind in REMEDY_KINDS)
        + "."
    )
    where = f" ({profile.source})" if profile.source else ""
    lines.append(f"Change a setting under [rules.<id>] in your profile{where}.")
    return "\n".join(lines)


def catalogue_markdown(entries: list[RuleEntry]) -> str:
    """docs/RULES.md: the rules with their defaults (never an athlete's own values)."""
    sports = remedy_sports()
    summary = ["| rule | factor | at most | evidence | needs |", "|---|---|---|---|---|"] + [
        f"| `{e.id}` | {e.factor} | {e.max_severity} | {e.grade} | "
        f"{DATA_NEEDED.get(e.data, e.data)} |"
        for e in entries
    ]
    parts = [
        "# The rules",
        "<!-- Generated by `stridewise rules --markdown > docs/RULES.md`; a test checks it. -->",
        "stridewise flags training signals mapped onto the risk factors for lower back pain when "
        "running. " + NOT_A_DIAGNOSIS,
        "Severity follows the evidence, not the size of the number: weak and convention rules "
        "never rise above caution; only a moderate-or-better association may give a warning. "
        "Every flag names its numbers (value, threshold, window), its evidence grade and its "
        "citation. A rule that lacks the data it needs says why it is silent instead of guessing. "
        + CLINICIAN_NOTE,
        "\n".join(summary),
    ]
    for entry in entries:
        parts.append(f"## `{entry.id}`")
        parts.append(
            "\n".join(
                [
                    f"- **Factor:** {entry.factor}",
                    f"- **Flags when:** {entry.trigger}",
                    f"- **Severity:** at most {entry.max_severity}",
                    f"- **Evidence:** {entry.grade} — {entry.citation}",
                    f"- **Needs:** {DATA_NEEDED.get(entry.data, entry.data)}",
                    f"- **Advice:** {entry.remedy}",
                ]
            )
        )
        if entry.settings:
            rows = ["| setting | default | meaning |", "|---|--:|---|"] + [
                f"| `{s.config_key}` | {_value_text(s.default)} | {s.meaning} |"
                for s in entry.settings
            ]
            parts.append("\n".join(rows))
    parts += [
        "## Settings in the profile",
        "Every setting above can be changed per athlete in the profile (TOML), and any rule "
        "turned off with `enabled = false`:\n\n"
        "```toml\n[rules.shoe_mileage]\nlimit_km = 700\n\n[rules.acwr]\nenabled = false\n```",
        "## Sessions that count as remedies",
        "`strength_mobility` counts these kinds of session (docs/KINDS.md has every sport of "
        "every source): "
        + "; ".join(
            f"**{kind}** ({', '.join(sports[kind])})" for kind in KINDS if kind in REMEDY_KINDS
        )
        + ". Cross-training is shown beside them and is training, never rest.",
    ]
    return "\n\n".join(parts) + "\n"
