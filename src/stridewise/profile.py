"""The athlete profile: a TOML file (see CLI.md) with defaults for everything.

A wrong key or value gets a ConfigError that names it. Per-rule overrides (``[rules.<id>]``) are
kept as plain tables here and checked against each rule's defaults by ``stridewise.rules``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridewise.errors import ConfigError
from stridewise.units import KM_PER_MILE  # importable from here too (report, views)

_ATHLETE_KEYS = {
    "sex",
    "max_hr",
    "resting_hr",
    "threshold_pace",
    "timezone",
    "units",
    "name",
    "birth_year",
}


@dataclass(frozen=True)
class Profile:
    """One athlete's settings. ``None`` means "not given": metrics estimate it or go without."""

    sex: str | None = None  # "female" or "male": Banister TRIMP weighting
    max_hr: float | None = None  # [1/min]
    resting_hr: float | None = None  # [1/min]
    threshold_pace_s_per_km: float | None = None  # [s/km], for rTSS
    timezone: str | None = None  # IANA name; fallback when a file carries no offset
    units: str = "metric"  # or "imperial"
    birth_year: int | None = None  # for the max-HR plausibility floor (Tanaka 2001)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    @property
    def imperial(self) -> bool:
        return self.units == "imperial"

    def distance_unit(self) -> str:
        return "mi" if self.imperial else "km"

    def km_to_display(self, km: float) -> float:
        """A distance in the runner's unit [km or mi] from kilometres [km]."""
        return km / KM_PER_MILE if self.imperial else km


def default_config_path() -> Path:
    """``$STRIDEWISE_CONFIG``, else config.toml in the user config directory."""
    env = os.environ.get("STRIDEWISE_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("stridewise") / "config.toml"


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile. With no path, the default one if it exists, else all defaults."""
    explicit = path is not None
    config_path = Path(path) if path is not None else default_config_path()
    if not config_path.exists():
        if explicit:
            raise ConfigError(f"{config_path}: config file not found")
        return Profile()
    try:
        document = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_path}: not valid TOML ({exc})") from exc
    return profile_from_dict(document, config_path)


def profile_from_dict(document: dict[str, Any], source: Path | None = None) -> Profile:
    where = str(source) if source else "profile"
    unknown_sections = set(document) - {"athlete", "rules"}
    if unknown_sections:
        raise ConfigError(f"{where}: unknown section [{sorted(unknown_sections)[0]}]")
    athlete = document.get("athlete", {})
    if not isinstance(athlete, dict):
        raise ConfigError(f"{where}: [athlete] must be a table")
    unknown = set(athlete) - _ATHLETE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key athlete.{sorted(unknown)[0]}")
    rules = document.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise ConfigError(f"{where}: [rules.<id>] entries must be tables")
    return Profile(
        sex=_sex(athlete.get("sex"), where),
        max_hr=_heart_rate(athlete.get("max_hr"), "max_hr", where),
        resting_hr=_heart_rate(athlete.get("resting_hr"), "resting_hr", where),
        threshold_pace_s_per_km=_pace(athlete.get("threshold_pace"), where),
        timezone=_zone(athlete.get("timezone"), where),
        units=_units(athlete.get("units", "metric"), where),
        birth_year=_birth_year(athlete.get("birth_year"), where),
        rules={rule_id: dict(values) for rule_id, values in rules.items()},
        source=source,
    )


def _sex(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if value not in ("female", "male"):
        raise ConfigError(f'{where}: athlete.sex must be "female" or "male", not {value!r}')
    return value


def _heart_rate(value: Any, key: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 25 <= value <= 250:
        raise ConfigError(f"{where}: athlete.{key} must be a heart rate 25-250, not {value!r}")
    return float(value)


def _pace(value: Any, where: str) -> float | None:
    if value is None:
        return None
    message = f'{where}: athlete.threshold_pace must look like "4:45" (min:s per km), not {value!r}'
    if not isinstance(value, str) or value.count(":") != 1:
        raise ConfigError(message)
    minutes, seconds = value.split(":")
    if not (minutes.isdigit() and seconds.isdigit() and len(seconds) == 2 and int(seconds) < 60):
        raise ConfigError(message)
    total = int(minutes) * 60 + int(seconds)
    if not 120 <= total <= 1200:
        raise ConfigError(message)
    return float(total)


def _zone(value: Any, where: str) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{where}: athlete.timezone {value!r} is not a known time zone") from exc
    return str(value)


def _birth_year(value: Any, where: str) -> int | None:
    if value is None:
        return None
    this_year = date.today().year
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not this_year - 110 <= value <= this_year - 5
    ):
        raise ConfigError(
            f"{where}: athlete.birth_year must be a year like 1988 (age 5-110), not {value!r}"
        )
    return value


def _units(value: Any, where: str) -> str:
    if value not in ("metric", "imperial"):
        raise ConfigError(f'{where}: athlete.units must be "metric" or "imperial", not {value!r}')
    return value


#: Profile values an export may fill in when the runner's own profile leaves them unset, with how
#: each is read from the export's text.
_FACT_FIELDS = {
    "birth_year": int,
    "sex": str,
    "max_hr": float,
}


def with_facts(
    profile: Profile, facts: dict[str, tuple[str, str]]
) -> tuple[Profile, dict[str, str]]:
    """The profile with what exports said about the runner (``Store.athlete_facts``: key ->
    (value, source)) filled in where the runner set nothing, and where each filled value came
    from. The runner's own values always win; a value outside what the profile accepts is
    ignored."""
    filled: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, convert in _FACT_FIELDS.items():
        if getattr(profile, key) is not None or key not in facts:
            continue
        text, source = facts[key]
        try:
            value = convert(float(text)) if convert is not str else text
            checked = profile_from_dict({"athlete": {key: value}})
        except (ConfigError, ValueError):
            continue
        filled[key] = getattr(checked, key)
        sources[key] = source
    return replace(profile, **filled), sources
