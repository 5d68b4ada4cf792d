"""The coach's team page as typed values: one row per athlete for one ISO week, worst first.

Each row is read off that athlete's own ``WeeklyReport`` (``athlete_row``) — the same analysis
the weekly report shows, with the athlete's own profile and thresholds — so nothing here re-does
a rule's arithmetic: the top flag is the report's most severe finding, the shoes past 90 % are
the report's shoes whose status says so, the rules not evaluated are the report's. ``rank``
orders the rows: the most severe finding first (``rules.base.SEVERITIES``), then the worst pain
(highest score, then pain days), then the name. Athletes without an activity in the week are
rows like the others and say so.

``team_page`` (``report.team_page``) writes it as HTML, Markdown and JSON; ``stridewise.team``
gathers the rows, one worker process per athlete at a time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from stridewise.profile import Profile
from stridewise.report.formatting import Units, long_day
from stridewise.report.model import NotChecked, WeeklyReport, WeekTotals, week_label
from stridewise.rules.base import SEVERITIES  # least severe first

if TYPE_CHECKING:
    from stridewise.rules.base import Finding

#: Weeks of the load sparkline, counting the team week [weeks] (the report's load window).
LOAD_TREND_WEEKS = 12
#: Shoe statuses (``shoes.shoe_table``) that put a pair on the team page: at 90 % of its limit.
WORN_STATUSES = ("near limit", "past limit")
#: Folder beside the team page that holds each athlete's weekly report.
ATHLETES_FOLDER = "athletes"


@dataclass(frozen=True)
class LoadTrend:
    """Weekly training load over the last ``LOAD_TREND_WEEKS`` ISO weeks, oldest first.

    ``values`` [``unit`` per week] has None for a week before the history began; ``model`` is
    the load model as a runner reads it ("Banister TRIMP"). Each athlete's load model is their
    own, so trends compare an athlete with themselves, never with each other.
    """

    weeks: tuple[str, ...]  # YYYY-Www
    values: tuple[float | None, ...]
    unit: str
    model: str

    @property
    def known(self) -> list[float]:
        return [value for value in self.values if value is not None]

    @property
    def current(self) -> float | None:
        """The team week's load (the last value)."""
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class PainWeek:
    """The back-pain journal in the team week: days logged, days with pain (score 1 or more)
    and the highest score (None when nothing was logged)."""

    logged_days: int = 0
    pain_days: int = 0
    max_score: int | None = None


@dataclass(frozen=True)
class WornShoe:
    """A pair in use at 90 % of its limit or past it, as of the week's end. Distances [km]."""

    name: str
    distance_km: float
    limit_km: float
    status: str  # "near limit" or "past limit"

    @property
    def share(self) -> float:
        """Distance over limit [0-1+]."""
        return self.distance_km / self.limit_km if self.limit_km else float("inf")


@dataclass(frozen=True)
class AthleteRow:
    """One athlete's week. Distances [km], durations [s], dates local.

    ``previous`` are the totals of up to four weeks before (those inside the history), newest
    first; ``flags`` the week's findings, most severe first; ``report_path`` the athlete's
    weekly report relative to the team page (None when none was written); ``own_profile`` the
    profile values and ``own_rules`` the rule settings (rule, key, value) that the athlete's own
    config section gave (``Profile.overrides``); ``error`` why the athlete could not be
    evaluated (the row then holds nothing else).
    """

    athlete: str
    activities: int = 0  # activities of any sport in the week
    last_activity: date | None = None
    imperial: bool = False
    totals: WeekTotals = field(default_factory=WeekTotals.empty)
    previous: tuple[WeekTotals, ...] = ()
    load: LoadTrend | None = None
    flags: tuple[Finding, ...] = ()
    pain: PainWeek = field(default_factory=PainWeek)
    worn_shoes: tuple[WornShoe, ...] = ()
    not_evaluated: tuple[NotChecked, ...] = ()
    own_profile: tuple[str, ...] = ()
    own_rules: tuple[tuple[str, str, Any], ...] = ()
    report_path: str | None = None
    error: str | None = None

    @property
    def has_data(self) -> bool:
        """Any activity in the week (a run or any other training)."""
        return self.activities > 0

    @property
    def top_flag(self) -> Finding | None:
        return self.flags[0] if self.flags else None

    @property
    def severity(self) -> str | None:
        return self.flags[0].severity if self.flags else None

    @property
    def units(self) -> Units:
        return Units(self.imperial)

    def severity_counts(self) -> dict[str, int]:
        """Flags per severity, most severe first, only severities that occur."""
        counts = {s: sum(f.severity == s for f in self.flags) for s in reversed(SEVERITIES)}
        return {severity: count for severity, count in counts.items() if count}

    def mean(self, key: str) -> float | None:
        """The mean of ``key`` (a ``WeekTotals`` field) over the weeks before, None without."""
        values = [float(getattr(week, key) or 0.0) for week in self.previous]
        return sum(values) / len(values) if values else None

    @property
    def rules_not_evaluated(self) -> tuple[str, ...]:
        """Each rule listed as not (fully) evaluated, once, in the report's order."""
        return tuple(dict.fromkeys(item.rule for item in self.not_evaluated))


@dataclass(frozen=True)
class TeamPage:
    """Every athlete of a database for one ISO week, ranked (``rank``)."""

    week: str  # YYYY-Www
    week_start: date  # Monday
    generated_on: date
    rows: tuple[AthleteRow, ...]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def period(self) -> str:
        return f"{long_day(self.week_start)} – {long_day(self.week_end)}"

    @property
    def title(self) -> str:
        return f"Team {self.week}"

    def counts(self) -> dict[str, int]:
        """Athletes by their most severe flag (most severe first), then those without a flag,
        without activities this week, and not evaluated; only what occurs."""
        counts = {
            severity: sum(row.severity == severity for row in self.rows if not row.error)
            for severity in reversed(SEVERITIES)
        }
        counts["no flag"] = sum(
            row.severity is None and row.has_data and not row.error for row in self.rows
        )
        counts["no activities"] = sum(not row.has_data and not row.error for row in self.rows)
        counts["not evaluated"] = sum(row.error is not None for row in self.rows)
        return {key: count for key, count in counts.items() if count}


def athlete_row(
    report: WeeklyReport,
    *,
    activities: int,
    last_activity: date | None,
    profile: Profile | None = None,
    report_path: str | None = None,
) -> AthleteRow:
    """An athlete's row from their weekly report (``activities``: how many of any sport the
    week holds; ``last_activity``: the local date of their last one, up to the week's end)."""
    return AthleteRow(
        athlete=report.athlete,
        activities=activities,
        last_activity=last_activity,
        imperial=report.imperial,
        totals=report.totals,
        previous=tuple(week.totals for week in report.previous_weeks),
        load=load_trend(report),
        flags=tuple(sorted(report.flags, key=_severity_then_date)),
        pain=pain_week(report),
        worn_shoes=tuple(
            WornShoe(shoe.name, shoe.distance_km, shoe.limit_km, shoe.status)
            for shoe in report.shoes
            if shoe.status in WORN_STATUSES and not shoe.retired
        ),
        not_evaluated=tuple(report.not_evaluated),
        report_path=report_path,
        **own_settings(profile),
    )


def failed_row(athlete: str, error: str, profile: Profile | None = None) -> AthleteRow:
    """The row of an athlete whose week could not be evaluated, with the reason."""
    return AthleteRow(athlete=athlete, error=error, **own_settings(profile))


def own_settings(profile: Profile | None) -> dict[str, tuple]:
    """What the athlete's own config section set: profile keys, and (rule, key, value) of each
    rule setting, in the order of the names (``Profile.overrides``)."""
    if profile is None:
        return {"own_profile": (), "own_rules": ()}
    keys, rules = [], []
    for dotted in profile.overrides:
        parts = dotted.split(".", 2)
        if parts[0] != "rules":
            keys.append(dotted)
        elif len(parts) == 3:
            rules.append((parts[1], parts[2], profile.rules[parts[1]][parts[2]]))
    return {"own_profile": tuple(keys), "own_rules": tuple(rules)}


def load_trend(report: WeeklyReport) -> LoadTrend:
    """The report's daily load summed per ISO week, over the ``LOAD_TREND_WEEKS`` weeks that
    end with the report week; a week with no day inside the history is None."""
    mondays = [report.week_start - timedelta(weeks=k) for k in range(LOAD_TREND_WEEKS - 1, -1, -1)]
    sums: dict[date, float] = {}
    for row in report.load:
        monday = row.date - timedelta(days=row.date.weekday())
        sums[monday] = sums.get(monday, 0.0) + (row.load or 0.0)
    return LoadTrend(
        weeks=tuple(week_label(monday) for monday in mondays),
        values=tuple(round(sums[monday], 1) if monday in sums else None for monday in mondays),
        unit=report.load_model.unit,
        model=report.load_model.name,
    )


def pain_week(report: WeeklyReport) -> PainWeek:
    """The journal's entries dated in the report week."""
    entries = [row for row in report.pain or () if report.week_start <= row.date <= report.week_end]
    if not entries:
        return PainWeek()
    return PainWeek(
        logged_days=len(entries),
        pain_days=sum(row.score > 0 for row in entries),
        max_score=max(row.score for row in entries),
    )


def rank(rows: Sequence[AthleteRow]) -> tuple[AthleteRow, ...]:
    """Most severe flag first (information findings are hints, not flags: they rank as none),
    then the highest pain score and the most pain days, then the name; athletes who could not
    be evaluated last (the page's summary names them first)."""
    return tuple(sorted(rows, key=_rank_key))


def _rank_key(row: AthleteRow) -> tuple:
    flagged = row.severity in SEVERITIES and row.severity != "info"
    severity = SEVERITIES.index(row.severity) if flagged else -1
    score = row.pain.max_score or 0  # nothing logged and "no pain" logged rank alike
    return (row.error is not None, -severity, -score, -row.pain.pain_days, row.athlete.casefold())


def _severity_then_date(flag: Finding) -> tuple[int, date, str]:
    severity = SEVERITIES.index(flag.severity) if flag.severity in SEVERITIES else -1
    return (-severity, flag.date, flag.rule)


_UNSAFE = re.compile(r"[^a-z0-9]+")


def athlete_folder(athlete: str) -> str:
    """A folder name for an athlete's report, safe on every file system: lower-case letters,
    digits and dashes, with a short hash of the name added whenever the name is not exactly
    that (so "Anna" and "anna", or "anna b" and "anna-b", never share a folder, and a name
    like "../x" stays inside)."""
    base = _UNSAFE.sub("-", athlete.lower()).strip("-")[:40].strip("-") or "athlete"
    if base == athlete:
        return base
    digest = hashlib.sha256(athlete.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{base}-{digest}"


def first_sentence(text: str) -> str:
    """A flag message's first sentence (its numbers); the rest is the evidence behind it."""
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z(])", text)
    return text[: match.start()] if match else text
