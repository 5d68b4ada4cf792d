"""The athlete profile: a TOML file (see CLI.md) with defaults for everything.

``[athlete]`` and ``[rules.<id>]`` are the shared default; a coach who keeps several athletes in
one database gives each their own values under ``[athletes.NAME]`` (the same keys as
``[athlete]``) and ``[athletes.NAME.rules.<id>]`` (the same keys as ``[rules.<id>]``), which
override the shared ones for ``--athlete NAME`` key by key. ``load_config`` reads and checks the
whole file, every athlete's section included; ``Config.profile(name)`` is one athlete's
``Profile``.

A wrong key or value gets a ConfigError that names it as written in the file
(``athlete.max_hr``, ``athletes.anna.max_hr``). Per-rule overrides are kept as plain tables here
and checked against each rule's defaults by ``stridewise.rules``, which names a wrong one by the
table it came from (``Profile.setting_name``).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridewise.errors import ConfigError, StridewiseError
from stridewise.inputs import printable, read_regular_file, shown_path
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
#: Largest config file read [bytes]: a profile is a few hundred bytes, a coach's 50 athletes a
#: few KB; anything far larger is not a profile.
CONFIG_LIMIT_BYTES = 2**20


@dataclass(frozen=True)
class Profile:
    """One athlete's settings. ``None`` means "not given": metrics estimate it or go without.

    ``rules`` holds the rule overrides in force (the shared ``[rules.<id>]`` tables with the
    athlete's own on top); ``athlete`` names the ``[athletes.NAME]`` section applied (None: the
    shared default only) and ``overrides`` the settings that section gave, as dotted names
    (``max_hr``, ``rules.shoe_mileage``, ``rules.shoe_mileage.limit_km``).
    """

    sex: str | None = None  # "female" or "male": Banister TRIMP weighting
    max_hr: float | None = None  # [1/min]
    resting_hr: float | None = None  # [1/min]
    threshold_pace_s_per_km: float | None = None  # [s/km], for rTSS
    timezone: str | None = None  # IANA name; fallback when a file carries no offset
    units: str = "metric"  # or "imperial"
    birth_year: int | None = None  # for the max-HR plausibility floor (Tanaka 2001)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    athlete: str | None = None
    overrides: tuple[str, ...] = ()

    @property
    def imperial(self) -> bool:
        return self.units == "imperial"

    def distance_unit(self) -> str:
        return "mi" if self.imperial else "km"

    def km_to_display(self, km: float) -> float:
        """A distance in the runner's unit [km or mi] from kilometres [km]."""
        return km / KM_PER_MILE if self.imperial else km

    def setting_name(self, dotted: str) -> str:
        """A setting's name as the file writes it: ``rules.session_spike.caution_pct``, or
        ``athletes.anna.rules.session_spike.caution_pct`` when the athlete's section gave it."""
        if self.athlete is not None and dotted in self.overrides:
            return f"athletes.{self.athlete}.{dotted}"
        return dotted


@dataclass(frozen=True)
class Config:
    """A whole config file, checked: the shared default and each athlete's own section.

    ``athlete`` is the ``[athlete]`` table, ``rules`` the ``[rules.<id>]`` tables and
    ``athletes`` each ``[athletes.NAME]`` table (its ``rules`` sub-table included), as written.
    """

    athlete: Mapping[str, Any] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    athletes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The athletes with a section of their own, sorted."""
        return tuple(sorted(self.athletes))

    def profile(self, athlete: str | None = None) -> Profile:
        """The profile of ``athlete``: the shared default with the athlete's section on top (the
        shared default alone when the athlete has none)."""
        where = shown_path(self.source) if self.source else "profile"
        own = self.athletes.get(athlete, {}) if athlete is not None else {}
        shown = printable(athlete) if athlete is not None else ""
        section = athlete if athlete in self.athletes else None
        values: dict[str, tuple[Any, str]] = {
            key: (value, f"athlete.{key}") for key, value in self.athlete.items()
        }
        values.update(
            (key, (value, f"athletes.{shown}.{key}"))
            for key, value in own.items()
            if key != "rules"
        )
        own_rules: Mapping[str, Mapping[str, Any]] = own.get("rules", {})
        rules = {rule_id: dict(table) for rule_id, table in self.rules.items()}
        for rule_id, table in own_rules.items():
            rules[rule_id] = {**rules.get(rule_id, {}), **table}
        overrides = sorted(
            [key for key in own if key != "rules"]
            + [f"rules.{rule_id}" for rule_id in own_rules]
            + [f"rules.{rule_id}.{key}" for rule_id, table in own_rules.items() for key in table]
        )

        def value(key: str) -> tuple[Any, str]:
            return values.get(key, (None, f"athlete.{key}"))

        max_hr = _heart_rate(*value("max_hr"), where)
        resting_hr = _heart_rate(*value("resting_hr"), where)
        if max_hr is not None and resting_hr is not None and max_hr <= resting_hr:
            raise ConfigError(
                f"{where}: {value('max_hr')[1]} ({max_hr:g}) must be above "
                f"{value('resting_hr')[1]} ({resting_hr:g})"
            )
        units_value, units_name = values.get("units", ("metric", "athlete.units"))
        return Profile(
            sex=_sex(*value("sex"), where),
            max_hr=max_hr,
            resting_hr=resting_hr,
            threshold_pace_s_per_km=_pace(*value("threshold_pace"), where),
            timezone=_zone(*value("timezone"), where),
            units=_units(units_value, units_name, where),
            birth_year=_birth_year(*value("birth_year"), where),
            rules=rules,
            source=self.source,
            athlete=section,
            overrides=tuple(overrides) if section is not None else (),
        )


def default_config_path() -> Path:
    """``$STRIDEWISE_CONFIG``, else config.toml in the user config directory."""
    env = os.environ.get("STRIDEWISE_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("stridewise") / "config.toml"


def load_profile(path: str | Path | None = None, athlete: str | None = None) -> Profile:
    """Read a profile: ``athlete``'s (their ``[athletes.NAME]`` section over the shared
    default), or the shared default. With no path, the default file if it exists, else all
    defaults. The whole file is checked, every athlete's section included."""
    return load_config(path).profile(athlete)


def load_config(path: str | Path | None = None) -> Config:
    """Read and check a config file. With no path, the default file if it exists, else an
    empty config (all defaults)."""
    explicit = path is not None
    config_path = Path(path) if path is not None else default_config_path()
    label = shown_path(config_path)
    try:
        os.stat(config_path)
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"{label}: config file not found") from None
        return Config()
    except OSError as exc:  # a folder on the way that cannot be searched, a symlink loop …
        raise ConfigError(f"{label}: cannot be read ({exc.strerror or exc})") from exc
    try:
        data = read_regular_file(config_path, CONFIG_LIMIT_BYTES, "a config file", label=label)
    except StridewiseError as exc:
        raise ConfigError(str(exc)) from exc
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{label}: not valid TOML ({exc})") from exc
    return config_from_dict(document, config_path)


def profile_from_dict(
    document: dict[str, Any], source: Path | None = None, athlete: str | None = None
) -> Profile:
    """``load_profile`` of a document already parsed."""
    return config_from_dict(document, source).profile(athlete)


def config_from_dict(document: Mapping[str, Any], source: Path | None = None) -> Config:
    """A parsed TOML document as a checked ``Config`` (every athlete's profile is built once,
    so that a wrong value anywhere in the file is found now)."""
    where = shown_path(source) if source else "profile"
    unknown_sections = set(document) - {"athlete", "rules", "athletes"}
    if unknown_sections:
        raise ConfigError(f"{where}: unknown section [{printable(sorted(unknown_sections)[0])}]")
    athlete = document.get("athlete", {})
    if not isinstance(athlete, dict):
        raise ConfigError(f"{where}: [athlete] must be a table")
    unknown = set(athlete) - _ATHLETE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key athlete.{printable(sorted(unknown)[0])}")
    rules = _rule_tables(document.get("rules", {}), "rules", where)
    athletes = document.get("athletes", {})
    if not isinstance(athletes, dict):
        raise ConfigError(f"{where}: [athletes.NAME] entries must be tables")
    sections: dict[str, dict[str, Any]] = {}
    for name, section in athletes.items():
        shown = printable(name)
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: athletes.{shown} must be a table ([athletes.{shown}])")
        if not name.strip():
            raise ConfigError(f'{where}: [athletes."{shown}"] needs a name')
        unknown = set(section) - _ATHLETE_KEYS - {"rules"}
        if unknown:
            raise ConfigError(
                f"{where}: unknown key athletes.{shown}.{printable(sorted(unknown)[0])}"
            )
        own_rules = _rule_tables(section.get("rules", {}), f"athletes.{shown}.rules", where)
        sections[name] = {**section, "rules": own_rules} if "rules" in section else dict(section)
    config = Config(athlete=dict(athlete), rules=rules, athletes=sections, source=source)
    config.profile(None)
    for name in config.names:
        config.profile(name)
    return config


def _rule_tables(value: Any, name: str, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"{where}: [{name}.<id>] entries must be tables")
    return {rule_id: dict(table) for rule_id, table in value.items()}


def _sex(value: Any, name: str, where: str) -> str | None:
    if value is None:
        return None
    if value not in ("female", "male"):
        raise ConfigError(f'{where}: {name} must be "female" or "male", not {value!r}')
    return value


def _heart_rate(value: Any, name: str, where: str) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 25 <= value <= 250
    ):
        raise ConfigError(f"{where}: {name} must be a heart rate 25-250, not {value!r}")
    return float(value)


def _pace(value: Any, name: str, where: str) -> float | None:
    if value is None:
        return None
    message = f'{where}: {name} must look like "4:45" (min:s per km), not {value!r}'
    if not isinstance(value, str) or value.count(":") != 1:
        raise ConfigError(message)
    minutes, seconds = value.split(":")
    if not (minutes.isdigit() and seconds.isdigit() and len(seconds) == 2 and int(seconds) < 60):
        raise ConfigError(message)
    total = int(minutes) * 60 + int(seconds)
    if not 120 <= total <= 1200:
        raise ConfigError(message)
    return float(total)


def _zone(value: Any, name: str, where: str) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{where}: {name} {value!r} is not a known time zone") from exc
    return str(value)


def _birth_year(value: Any, name: str, where: str) -> int | None:
    if value is None:
        return None
    this_year = date.today().year
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not this_year - 110 <= value <= this_year - 5
    ):
        raise ConfigError(f"{where}: {name} must be a year like 1988 (age 5-110), not {value!r}")
    return value


def _units(value: Any, name: str, where: str) -> str:
    if value not in ("metric", "imperial"):
        raise ConfigError(f'{where}: {name} must be "metric" or "imperial", not {value!r}')
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
        if key == "max_hr" and profile.resting_hr is not None and value <= profile.resting_hr:
            continue  # not above the runner's own resting heart rate: not believed
        filled[key] = getattr(checked, key)
        sources[key] = source
    return replace(profile, **filled), sources
