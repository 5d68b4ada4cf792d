"""``stridewise rules`` and docs/RULES.md come from the registry: they list every rule that runs,
with its settings, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.profile import Profile, profile_from_dict
from stridewise.rules import RULES, rule_settings
from stridewise.rules.catalogue import catalogue_markdown, catalogue_text, rule_entries

REPO = Path(__file__).resolve().parents[2]


def test_docs_rules_md_is_the_catalogue_of_the_registry():
    expected = catalogue_markdown(rule_entries(RULES, rule_settings(Profile())))
    written = (REPO / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert written == expected, "regenerate: stridewise rules --markdown > docs/RULES.md"
    for rule_id in RULES:
        assert f"## `{rule_id}`" in written
        for key in RULES[rule_id].defaults:
            assert f"`rules.{rule_id}.{key}`" in written


def test_rules_json_lists_every_rule_with_its_settings_and_the_remedy_kinds(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[rules.shoe_mileage]\nlimit_km = 700\n[rules.acwr]\nenabled = false\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "s.db"), "--config", str(config), "rules", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [rule["id"] for rule in document["rules"]] == list(RULES)
    shoes = next(rule for rule in document["rules"] if rule["id"] == "shoe_mileage")
    assert shoes["evidence"] == "convention" and shoes["max_severity"] == "warning"
    [limit] = [s for s in shoes["settings"] if s["key"] == "limit_km"]
    assert limit == {
        "key": "limit_km",
        "config_key": "rules.shoe_mileage.limit_km",
        "default": 600.0,
        "value": 700.0,
        "meaning": limit["meaning"],
    }
    assert "[km]" in limit["meaning"]
    acwr = next(rule for rule in document["rules"] if rule["id"] == "acwr")
    assert acwr["enabled"] is False
    assert "yoga" in document["remedy_kinds"]["mobility"]
    assert "core" in document["remedy_kinds"]["strength"]
    assert set(document["remedy_kinds"]) == {"strength", "mobility"}


def test_rules_text_marks_the_athletes_own_values():
    profile = profile_from_dict({"rules": {"weekly_jump": {"ratio_pct": 150.0}}})
    text = catalogue_text(rule_entries(RULES, rule_settings(profile)), profile)
    assert "rules.weekly_jump.ratio_pct = 130 (yours: 150)" in text
    assert "rules.session_spike.caution_pct = 10  #" in text  # a default: no "yours"
    assert text.count("\n  when:") == len(RULES)
    assert "Sessions that count as remedies (strength_mobility): strength:" in text


def test_rules_markdown_and_json_are_exclusive(tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "s.db"), "rules", "--json", "--markdown"]
    )
    assert result.exit_code == 2
    assert "choose one of --json and --markdown" in result.output
