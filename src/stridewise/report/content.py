"""What a weekly report says, independent of how it is written out (HTML, Markdown, JSON).

``WeeklyReport`` holds plain values (dates, numbers in SI or km, JSON-ready dicts) and the charts
as PNG bytes; the writers only format. Distances are kept in kilometres and shown in the runner's
unit (``WeeklyReport.unit``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from stridewise.errors import InvalidInput
from stridewise.profile import KM_PER_MILE

#: The article's risk factors, in the order the report shows them, and the ``factor`` values of
#: findings (CLI.md) that belong to each.
FACTOR_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Load and overtraining", ("load", "overtraining")),
    ("Fatigue", ("fatigue",)),
    ("Rest", ("rest",)),
    ("Surface", ("surface",)),
    ("Shoes", ("shoes",)),
    ("Form", ("form",)),
    ("Warm-up", ("warm-up", "warmup")),
)

SEVERITY_ORDER = ("high", "warning", "caution", "info")

NOT_MEDICAL_ADVICE = (
    "This report is not medical advice. Its flags are training signals that research associates "
    "with running injury; none of them diagnoses anything. If back pain persists or gets worse, "
    "see a doctor or physiotherapist rather than relying on painkillers."
)


@dataclass(frozen=True)
class Chart:
    """One chart: its PNG, or the sentence saying why it is left out."""

    key: str  # file stem, e.g. "weekly-distance"
    title: str
    caption: str  # how to read it
    png: bytes | None = None
    missing: str | None = None

    @property
    def filename(self) -> str:
        return f"{self.key}.png"


@dataclass
class WeeklyReport:
    """Everything one weekly report shows. Distances [km], durations [s], dates local."""

    athlete: str
    week: str  # ISO week, YYYY-Www
    week_start: date  # Monday
    generated_on: date
    imperial: bool
    totals: dict  # distance_km, duration_s, runs, rest_days, longest_run_km
    previous_weeks: list[dict]  # the four weeks before, newest first, same keys plus "week"
    runs: list[dict]  # the week's runs, oldest first
    flags: list[dict]  # findings as in ``flags --json``
    not_evaluated: list[dict]  # {"rule", "reason"}
    went_well: list[str]
    load_model: dict  # {"model", "unit", "reason"}
    pmc_convention: str
    shoes: list[dict]
    load: list[dict]  # one row per day: date, load, acute, chronic, ctl, atl, tsb
    pain: list[dict] | None  # logged days in the charted window; None when nothing is logged
    #: which risk factors preceded pain days (``associations.pain_associations``); None: no journal
    pain_associations: dict | None = None
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. an estimated maximum heart rate
    rules: dict[str, str] = field(default_factory=dict)  # rule id -> factor, of the rules run

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def unit(self) -> str:
        return "mi" if self.imperial else "km"

    @property
    def has_runs(self) -> bool:
        return bool(self.totals.get("runs"))

    def distance(self, km: float | None, digits: int = 1) -> str:
        """A distance [km] in the runner's unit, with the unit."""
        if km is None or (isinstance(km, float) and math.isnan(km)):
            return "–"
        value = km / KM_PER_MILE if self.imperial else km
        return f"{value:.{digits}f} {self.unit}"

    def distance_value(self, km: float) -> float:
        """A distance [km] in the runner's unit [km or mi], as a number."""
        return km / KM_PER_MILE if self.imperial else km

    @property
    def title(self) -> str:
        return f"Weekly report {self.week}"

    @property
    def period(self) -> str:
        return f"{long_day(self.week_start)} – {long_day(self.week_end)}"

    @property
    def no_runs_message(self) -> str:
        return (
            f"No runs in {self.week} ({self.period}). There is nothing to flag for this week; "
            "the charts below still show the weeks around it."
        )

    def flag_groups(self) -> list[tuple[str, list[dict]]]:
        """The week's flags by risk factor, most severe first within each; every group listed."""
        groups = []
        placed: set[int] = set()
        for title, factors in FACTOR_GROUPS:
            members = [i for i, flag in enumerate(self.flags) if flag.get("factor") in factors]
            placed.update(members)
            groups.append((title, sorted((self.flags[i] for i in members), key=_severity_rank)))
        others = [flag for i, flag in enumerate(self.flags) if i not in placed]
        if others:
            groups.append(("Other", sorted(others, key=_severity_rank)))
        return groups

    def quiet_groups(self) -> tuple[list[str], list[str]]:
        """Risk factors without a flag: (checked and quiet, not checked at all).

        A factor is "not checked" when every rule of it that was run is listed as not evaluated.
        """
        skipped = {str(item.get("rule")) for item in self.not_evaluated}
        quiet, unchecked = [], []
        for title, flags in self.flag_groups():
            if flags:
                continue
            factors = dict(FACTOR_GROUPS).get(title, ())
            members = [rule for rule, factor in self.rules.items() if factor in factors]
            if members and all(rule in skipped for rule in members):
                unchecked.append(title)
            else:
                quiet.append(title)
        return quiet, unchecked


def _severity_rank(flag: dict) -> tuple[int, str]:
    severity = flag.get("severity", "info")
    rank = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
    return rank, str(flag.get("date", ""))


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www`` (e.g. 2026-W47)."""
    cleaned = text.strip().upper()
    year, _, week = cleaned.partition("-W")
    if not (len(year) == 4 and year.isdigit() and week.isdigit() and len(week) in (1, 2)):
        raise InvalidInput(f"week '{text}' is not an ISO week; use YYYY-Www, e.g. 2026-W47")
    try:
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise InvalidInput(
            f"week '{text}' does not exist: {year} has no week {int(week)}"
        ) from None


def week_label(monday: date) -> str:
    """``YYYY-Www`` of the ISO week a day is in."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def long_day(day: date) -> str:
    """E.g. 'Mon 16 Nov 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """E.g. 'Mon 16 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def format_duration(seconds: float | None) -> str:
    """h:mm [s] (a week's or a run's time; seconds would be noise here)."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    minutes = round(seconds / 60.0)
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_pace(duration_s: float | None, distance_km: float | None, imperial: bool) -> str:
    """min:ss per km or per mile [s, km]."""
    if not duration_s or not distance_km:
        return "–"
    per_unit = duration_s / (distance_km / KM_PER_MILE if imperial else distance_km)
    minutes, seconds = divmod(round(per_unit), 60)
    return f"{minutes}:{seconds:02d}/{'mi' if imperial else 'km'}"


def format_number(value: object, unit: str | None = None) -> str:
    """A finding's value or threshold with its unit; '–' when absent."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, float) and math.isnan(value):
        return "–"
    elif float(value).is_integer() or abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def change_text(current: float, previous: list[float], count: bool = False) -> str:
    """This week's value against the mean of the previous weeks.

    A percentage for amounts ("+12 % vs 4-week mean"); for counts (runs, rest days) the
    difference in plain numbers ("+3 vs 4-week mean of 4"), since "-100 % rest days" reads oddly.
    """
    known = [value for value in previous if value is not None and not math.isnan(value)]
    if not known:
        return "no earlier weeks"
    mean = sum(known) / len(known)
    label = f"{len(known)}-week mean" if len(known) > 1 else "the week before"
    if count:
        difference = round(current - mean, 1)
        shown = f"{mean:.1f}".removesuffix(".0")
        if difference == 0:
            return f"same as {label}" + (f" of {shown}" if len(known) > 1 else "")
        return f"{difference:+g} vs {label}" + (f" of {shown}" if len(known) > 1 else f" ({shown})")
    if mean == 0:
        return f"{label}: 0"
    return f"{(current / mean - 1) * 100:+.0f} % vs {label}"


def summary_lines(report: WeeklyReport) -> list[str]:
    """A few lines for the terminal: the week's totals and its flags."""
    if not report.has_runs:
        return [f"{report.week} ({report.period}): no runs."]
    totals = report.totals
    lines = [
        f"{report.week} ({report.period}): {totals['runs']} run"
        f"{'s' if totals['runs'] != 1 else ''}, {report.distance(totals['distance_km'])}, "
        f"{format_duration(totals['duration_s'])} h, {totals['rest_days']} rest "
        f"day{'s' if totals['rest_days'] != 1 else ''}, longest "
        f"{report.distance(totals['longest_run_km'])}."
    ]
    if report.flags:
        counts = {s: sum(f.get("severity") == s for f in report.flags) for s in SEVERITY_ORDER}
        detail = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        rules = ", ".join(sorted({str(f.get("rule")) for f in report.flags}))
        lines.append(f"Flags: {len(report.flags)} ({detail}): {rules}.")
    else:
        lines.append("Flags: none this week.")
    return lines
