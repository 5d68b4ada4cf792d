"""What a rule is, what it checks and what it finds.

A rule is a small unit: an id (RULES.md), a risk factor (CLI.md names), an evidence grade and a
citation as written in RULES.md, default thresholds (overridable per athlete under
``[rules.<id>]``), a remedy in plain words, and ``check``, which reads a ``History`` and returns
``Finding``s. While it checks, a rule records every run, week or day it judged as a ``Check``
(its numbers, the threshold, whether it fired), so that what it found *and* what it judged quiet
can be told from its own result — the report's "what went well" is the rule's ``praise`` of its
quiet checks, never a second copy of its arithmetic. A rule that lacks its data raises
``NotEvaluable`` with the reason in words; a rule that could check only part of what it covers
adds a note (``RuleInput.note``).

Severity follows the evidence (RULES.md): weak and convention rules never rise above caution;
only a moderate-or-better association may give a warning, and ``high`` is reserved for a large
effect with moderate-or-better evidence. ``Rule.max_severity`` holds each rule to that.

De-duplication, so that a long bad stretch is not reported every day with the same thing:

- per-run rules report each run (session_spike, comeback, decoupling, form_drift);
- rules whose condition is a rolling window report **once per ISO week**, on the day the week's
  value was worst (acwr, monotony) or first held (rest_days with fewer than 2 rest days);
  weekly_jump and surface_change are computed per ISO week;
- a run of consecutive training days is reported once, on the day it reached the limit;
- repeated per-run form signals are reported once per ISO week, the worst run of the week
  (cadence below baseline, gct_balance shift, warmup);
- information hints and standing conditions are reported once per *stretch* — when they start to
  hold, and again only after they stopped holding (shoe_rotation, the cadence population hint);
- shoe_mileage reports the run that crossed 90 % and the run that crossed the limit, then the
  last run of each later ISO week in which the worn pair was still used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from stridewise.errors import ConfigError
from stridewise.history import History
from stridewise.inputs import printable
from stridewise.metrics.calendar import week_start
from stridewise.profile import Profile

SEVERITIES = ("info", "caution", "warning", "high")
FACTORS = (
    "load",
    "overtraining",
    "rest",
    "fatigue",
    "surface",
    "shoes",
    "form",
    "warm-up",
    "remedy",
    "recovery",
)
#: Evidence grades (RULES.md), strongest first.
GRADES = ("strong", "moderate", "weak", "convention")
#: Said once, wherever flags are shown (the report's top, the end of ``flags``): never per flag.
CLINICIAN_NOTE = (
    "If back pain persists, see a doctor or physical therapist rather than relying on painkillers."
)
#: What every flag is, in one sentence, shown once beside the flags.
NOT_A_DIAGNOSIS = (
    "Flags are training signals that research associated with running injury in the cited "
    "populations (none measured low back pain); none of them diagnoses anything or says that "
    "training caused pain."
)


#: Largest whole-number setting of each unit a rule states in its ``explains`` [days, weeks,
#: runs]: ten years of history, a thousand weeks of runs.
WHOLE_SETTING_MAX = {"days": 3650, "weeks": 520, "runs": 10_000}
#: Largest setting in minutes [min] (a day) and of any other number (percentages, km, ratios).
MINUTES_SETTING_MAX = 1440.0
MAX_SETTING = 1e6


class NotEvaluable(Exception):  # noqa: N818 - a signal between a rule and evaluate(), not an error
    """Raised by a rule's check when the history lacks what it needs; the message says what."""


@dataclass(frozen=True)
class Finding:
    """One flag. ``date`` is the runner's local date; ``value``/``threshold`` are in ``unit``."""

    rule: str
    factor: str
    date: date
    activity_id: int | None
    severity: str
    value: float | None
    threshold: float | None
    unit: str
    message: str
    remedy: str
    evidence: str
    citation: str
    window: tuple[date, date] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The fields of ``flags --json`` (CLI.md), plus ``window`` and ``details``."""
        return {
            "rule": self.rule,
            "factor": self.factor,
            "date": self.date.isoformat(),
            "activity_id": self.activity_id,
            "severity": self.severity,
            "value": _json_number(self.value),
            "threshold": _json_number(self.threshold),
            "unit": self.unit,
            "message": self.message,
            "remedy": self.remedy,
            "evidence": self.evidence,
            "citation": self.citation,
            "window": None
            if self.window is None
            else {"start": self.window[0].isoformat(), "end": self.window[1].isoformat()},
            "details": {key: _json_value(value) for key, value in self.details.items()},
        }


def _json_number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), 2)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _json_number(float(value))
    return value


@dataclass(frozen=True)
class Check:
    """One thing a rule judged — a run, an ISO week or a day — with its numbers.

    ``value`` and ``threshold`` are in ``unit``; ``fired`` says whether it became a finding (or
    would have, before de-duplication); ``details`` carries the numbers a sentence needs
    (distances [km], counts, the compared value), keyed by name.
    """

    rule: str
    day: date
    value: float | None
    threshold: float | None
    unit: str
    fired: bool
    activity_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleInput:
    """What a check reads: the history, the rule's settings, and the first day asked about."""

    history: History
    settings: Mapping[str, Any]
    since: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    rule_id: str = ""

    @property
    def profile(self) -> Profile:
        return self.history.profile

    def in_window(self, frame: pd.DataFrame, column: str = "day") -> pd.DataFrame:
        """Rows on or after ``since`` (the end is already cut by ``History.truncated``)."""
        return frame if self.since is None else frame[frame[column] >= self.since]

    def note(self, text: str) -> None:
        """Say which part of the rule could not be checked (reported under not evaluated)."""
        self.notes.append(text)

    def checked(
        self,
        day: pd.Timestamp | date,
        value: float | None,
        threshold: float | None,
        unit: str,
        fired: bool,
        activity_id: int | None = None,
        **details: Any,
    ) -> None:
        """Record one judged run, week or day (see ``Check``)."""
        self.checks.append(
            Check(
                rule=self.rule_id,
                day=_as_date(day),
                value=_number(value),
                threshold=None if threshold is None else float(threshold),
                unit=unit,
                fired=bool(fired),
                activity_id=None if activity_id is None else int(activity_id),
                details=details,
            )
        )


@dataclass
class RuleResult:
    """What one rule did over a period: its findings, every check, or why it could not run."""

    rule: Rule
    settings: Mapping[str, Any]
    findings: list[Finding] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    not_evaluated: str | None = None  # why the rule could not be evaluated at all
    notes: list[str] = field(default_factory=list)  # parts of it that could not be checked

    def in_period(self, since: date | None, until: date | None) -> RuleResult:
        """The same result with findings and checks dated ``since``…``until`` only."""

        def inside(day: date) -> bool:
            return (since is None or day >= since) and (until is None or day <= until)

        return replace(
            self,
            findings=[f for f in self.findings if inside(f.date)],
            checks=[c for c in self.checks if inside(c.day)],
        )

    @property
    def quiet(self) -> bool:
        """Evaluated, judged something, and found nothing."""
        return self.not_evaluated is None and bool(self.checks) and not self.findings

    def praise(self, profile: Profile) -> str | None:
        """The rule's own sentence about a quiet period, with its numbers (None when it has
        nothing to say, or the period was not quiet)."""
        if not self.quiet or self.rule.praise is None:
            return None
        return self.rule.praise(self, profile)


@dataclass(frozen=True)
class Rule:
    id: str
    factor: str
    evidence: str  # grade as written in RULES.md
    citation: str  # short author-year + DOI/ref
    trigger: str  # the default trigger in words
    remedy: str
    defaults: Mapping[str, Any]
    check: Callable[[RuleInput], list[Finding]]
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: the most a finding of this rule may say (RULES.md: severity follows the evidence)
    max_severity: str = "caution"
    #: the sentence for a quiet period, from the rule's own checks (``RuleResult.praise``)
    praise: Callable[[RuleResult, Profile], str | None] | None = None
    #: which data the rule needs: "A" per-activity summaries, "R" per-second records, "wellness"
    data: str = "A"
    #: what each setting means and its unit, for ``stridewise rules`` and the docs
    explains: Mapping[str, str] = field(default_factory=dict)

    def settings(
        self,
        overrides: Mapping[str, Any] | None,
        where: str = "profile",
        named: Callable[[str], str] | None = None,
    ) -> dict:
        """Defaults merged with the profile's ``[rules.<id>]`` table, checked.

        ``enabled`` (bool) is always allowed. An unknown key, a wrong type or a number that is
        negative, infinite or NaN raises ConfigError naming ``rules.<id>.<key>`` as ``named``
        writes it (``Profile.setting_name``: an athlete's own section is named as such).
        """
        settings: dict[str, Any] = {"enabled": True, **self.defaults}
        for key, value in (overrides or {}).items():
            dotted = f"rules.{self.id}.{key}"
            name = printable(named(dotted) if named is not None else dotted)
            if key not in settings:
                known = ", ".join(sorted(settings))
                raise ConfigError(f"{where}: unknown setting {name} (known: {known})")
            settings[key] = self._checked(name, key, settings[key], value, where)
        return settings

    def _checked(self, name: str, key: str, default: Any, value: Any, where: str) -> Any:
        shown = repr(value)  # repr escapes control characters: the message is one safe line
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {name} must be true or false, not {shown}")
            return value
        if isinstance(default, int | float):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ConfigError(f"{where}: {name} must be a number of 0 or more, not {shown}")
            self._check_range(name, key, value, where)
            return type(default)(value) if isinstance(default, float) else value
        allowed = self.choices.get(key)
        if not isinstance(value, str) or (allowed and value not in allowed):
            options = " or ".join(f'"{option}"' for option in allowed or ())
            raise ConfigError(f"{where}: {name} must be {options or 'text'}, not {shown}")
        return value

    def _check_range(self, name: str, key: str, value: float, where: str) -> None:
        """A number a rule can work with: days, weeks and runs whole and within a lifetime of
        training, minutes within a day, anything else at most ``MAX_SETTING`` (a window of
        1e15 days cannot be a date, and one of nothing compares with nothing)."""
        explained = self.explains.get(key, "")
        unit = explained[explained.rfind("[") + 1 : -1] if explained.endswith("]") else ""
        lowest = 1 if "window" in key or "baseline" in key else 0
        if unit in WHOLE_SETTING_MAX:
            highest = WHOLE_SETTING_MAX[unit]
            if value != int(value) or not lowest <= value <= highest:
                raise ConfigError(
                    f"{where}: {name} must be a whole number of {unit} from {lowest} to "
                    f"{highest}, not {value!r}"
                )
            return
        highest = MINUTES_SETTING_MAX if unit == "min" else MAX_SETTING
        if not lowest <= value <= highest:
            raise ConfigError(
                f"{where}: {name} must be a number from {lowest} to {highest:.0f}, not {value!r}"
            )

    def finding(
        self,
        *,
        day: pd.Timestamp | date,
        severity: str,
        value: float | None,
        threshold: float | None,
        unit: str,
        message: str,
        activity_id: int | None = None,
        window: tuple[pd.Timestamp | date, pd.Timestamp | date] | None = None,
        details: dict[str, Any] | None = None,
    ) -> Finding:
        """A Finding of this rule, with its factor, grade, citation and remedy filled in."""
        if SEVERITIES.index(severity) > SEVERITIES.index(self.max_severity):
            raise ValueError(f"{self.id}: {severity} is above what its evidence allows")
        return Finding(
            rule=self.id,
            factor=self.factor,
            date=_as_date(day),
            activity_id=None if activity_id is None else int(activity_id),
            severity=severity,
            value=None if value is None else float(value),
            threshold=None if threshold is None else float(threshold),
            unit=unit,
            message=message,
            remedy=self.remedy,
            evidence=self.evidence,
            citation=self.citation,
            window=None if window is None else (_as_date(window[0]), _as_date(window[1])),
            details=details or {},
        )


def require_runs(given: RuleInput) -> pd.DataFrame:
    """The history's runs; ``NotEvaluable`` when there are none."""
    runs = given.history.runs
    if runs.empty:
        raise NotEvaluable("no runs in the history")
    return runs


def _number(value: Any) -> float | None:
    """A value as a float, None for a missing one (None, NaN, NaT, pd.NA)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return None if value != value else float(value)
    return None if value is None or pd.isna(value) else float(value)


def _as_date(day: pd.Timestamp | date) -> date:
    return day.date() if isinstance(day, pd.Timestamp) else day


class _Columns:
    """A frame's columns as lists of Python scalars, each made when first read."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.lists: dict[Any, list] = {}

    def __call__(self, column: Any) -> list:
        values = self.lists.get(column)
        if values is None:
            values = self.lists[column] = list(self.frame[column])
        return values


class Row(Mapping):
    """One row of a frame (``rows``): its values by column, and its index label ``name``."""

    __slots__ = ("_columns", "_position", "name")

    def __init__(self, columns: _Columns, position: int, name: Any) -> None:
        self._columns = columns
        self._position = position
        self.name = name

    def __getitem__(self, column: Any) -> Any:
        return self._columns(column)[self._position]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._columns.frame.columns)

    def __len__(self) -> int:
        return len(self._columns.frame.columns)


def rows(frame: pd.DataFrame) -> Iterator[tuple[Any, Row]]:
    """``(index label, row)`` of every row with the values ``DataFrame.iterrows`` gives, as Python
    scalars and Timestamps, but without building a Series per row (which cost more than most
    checks: 1,800 runs of five years, times every rule); a column is converted when first read."""
    columns = _Columns(frame)
    for position, label in enumerate(frame.index):
        yield label, Row(columns, position, label)


# -- helpers shared by the rules -------------------------------------------------------------
def iso_week(days: pd.Series) -> pd.Series:
    """The Monday of each day's ISO week, for grouping."""
    return week_start(pd.Series(pd.to_datetime(days), index=days.index))


def worst_per_week(
    frame: pd.DataFrame, key: str, day: str = "day", lowest: bool = False
) -> pd.DataFrame:
    """Per ISO week, the row with the highest (or lowest) ``key``; earliest on ties."""
    if frame.empty:
        return frame
    frame = frame.rename_axis(None)  # a "day" index beside a "day" column is ambiguous
    ordered = frame.assign(_week=iso_week(frame[day])).sort_values(
        [key, day], ascending=[lowest, True], kind="stable"
    )
    return ordered.drop_duplicates("_week").drop(columns="_week").sort_values(day)


def first_per_week(frame: pd.DataFrame, day: str = "day") -> pd.DataFrame:
    """Per ISO week, the earliest row."""
    if frame.empty:
        return frame
    frame = frame.rename_axis(None)
    ordered = frame.assign(_week=iso_week(frame[day])).sort_values(day, kind="stable")
    return ordered.drop_duplicates("_week").drop(columns="_week")


def stretch_starts(holds: pd.Series) -> pd.Series:
    """True where ``holds`` becomes true after being false (or at the start): once per stretch."""
    holds = holds.fillna(False).astype(bool)
    return holds & ~holds.shift(1, fill_value=False)


def distance_text(km: float, profile: Profile) -> str:
    """A distance in the runner's unit, e.g. "12.3 km" or "7.6 mi" [km in]."""
    return f"{profile.km_to_display(km):.1f} {profile.distance_unit()}"


def pace_text(speed_mps: float, profile: Profile) -> str:
    """A pace in min:ss per km or mile from a speed [m/s]."""
    if not speed_mps or np.isnan(speed_mps):
        return "unknown pace"
    metres_per_unit = 1000.0 * profile.km_to_display(1.0) ** -1
    minutes, secs = divmod(round(metres_per_unit / speed_mps), 60)
    return f"{minutes}:{secs:02d}/{profile.distance_unit()}"


def day_text(day: pd.Timestamp | date) -> str:
    return _as_date(day).isoformat()
