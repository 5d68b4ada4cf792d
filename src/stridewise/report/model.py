"""What a weekly report says, as typed values, before any writer formats it.

``WeeklyReport`` and everything in it are dataclasses: dates are ``date``s, distances [km],
durations [s], flags the rules' own ``Finding`` objects, charts rendered images. Nothing here is
text meant for one format: the HTML, Markdown and JSON writers each turn the same values into
their own form (JSON only in ``jsonout``), so no writer parses back what another wrote.

``build`` fills the model from the library; ``formatting`` shows its numbers in the runner's
units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from stridewise.days import parse_week as parse_iso_week
from stridewise.report.formatting import Units, long_day

if TYPE_CHECKING:  # the report holds the rules' findings; only build.py calls the rules
    from stridewise.rules.base import Finding

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
    ("Remedies and recovery", ("remedy", "recovery")),
)

SEVERITY_ORDER = ("high", "warning", "caution", "info")

#: The risk factors whose evidence each chart shows. A chart opens on the page when the week has
#: a flag of one of them (weekly distance always does, the pain chart when pain was logged that
#: week); the others fold under "More charts", so a phone page stays short.
CHART_FACTORS: dict[str, tuple[str, ...]] = {
    "weekly-distance": (),
    "daily-load": ("load", "overtraining"),
    "pmc": (),
    "rest-calendar": ("rest",),
    "shoes": ("shoes",),
    "surface-mix": ("surface",),
    "form": ("form", "fatigue"),
    "warm-up": ("warm-up", "warmup"),
    "minutes-by-kind": ("remedy",),
    "recovery": ("recovery",),
    "back-pain": (),
}
ALWAYS_OPEN_CHARTS = ("weekly-distance",)

#: Shown once, at the top of the page and of report.md (and in report.json).
NOT_MEDICAL_ADVICE = (
    "This report is not medical advice. Its flags are training signals that research associates "
    "with running injury; none of them diagnoses anything. If back pain persists or gets worse, "
    "see a doctor or physiotherapist rather than relying on painkillers."
)


# -- text with commands in it ----------------------------------------------------------------
@dataclass(frozen=True)
class Command:
    """A command the runner can type, e.g. ``stridewise pain add DATE SCORE``."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """A sentence of plain text and commands: HTML shows commands as ``<code>``, Markdown as
    code spans, so no writer has to find Markdown syntax in a string."""

    parts: tuple[str | Command, ...]

    @classmethod
    def of(cls, *parts: str | Command) -> Phrase:
        return cls(tuple(parts))

    def __str__(self) -> str:
        """Plain text, commands in backticks (the terminal and report.json)."""
        return "".join(f"`{p.text}`" if isinstance(p, Command) else p for p in self.parts)


# -- the week --------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeekTotals:
    """A week's running totals (CLI.md names). Distances [km], duration [s]."""

    distance_km: float
    duration_s: float
    runs: int
    rest_days: int  # no training at all (RULES.md)
    longest_run_km: float | None
    days: int  # days of the week inside the history
    days_without_running: int = 0  # rest days plus days of other training only
    #: total descent of the runs with barometric or corrected altitude [m]; None without any
    descent_m: float | None = None

    @classmethod
    def empty(cls) -> WeekTotals:
        """A week outside the history: zero runs, no rest days counted."""
        return cls(0.0, 0.0, 0, 0, None, 0, 0)


@dataclass(frozen=True)
class PreviousWeek:
    week: str  # YYYY-Www
    totals: WeekTotals


@dataclass(frozen=True)
class RunRow:
    """One run of the week."""

    id: int
    local_date: date
    local_time: str  # HH:MM, local
    name: str | None  # as the watch or the export named it
    distance_km: float | None
    duration_s: float | None
    surface: str | None
    surface_source: str | None
    shoe: str | None
    avg_heart_rate_bpm: float | None
    load: float | None  # [load model unit]


@dataclass(frozen=True)
class NotChecked:
    """A rule that could not run (or only partly), and why."""

    rule: str
    reason: str
    factor: str | None


@dataclass(frozen=True)
class LoadModel:
    model: str  # e.g. "banister"
    name: str  # as a runner reads it
    unit: str  # e.g. "TRIMP"
    reason: str  # why this model


@dataclass(frozen=True)
class ShoeRow:
    """A pair as of the week's end. Distances [km]."""

    name: str
    distance_km: float
    limit_km: float
    limit_is_default: bool
    status: str  # "ok", "near limit", "past limit", "retired"
    runs: int
    first_used: date | None
    last_used: date | None
    share_4w: float | None  # share of the last 4 weeks' runs [0-1]
    retired: bool


@dataclass(frozen=True)
class LoadRow:
    """One day's load [model unit] with acute, chronic and PMC values [model unit per day]."""

    date: date
    load: float | None
    acute: float | None
    chronic: float | None
    ctl: float | None
    atl: float | None
    tsb: float | None


@dataclass(frozen=True)
class PainRow:
    date: date
    score: int  # 0-10
    note: str | None


@dataclass(frozen=True)
class FactorLink:
    """How often one factor's flags came before pain days (``associations``)."""

    factor: str
    pain_days: int
    pain_days_with_flags: int
    share_pain_days: float | None  # [0-1]
    days: int
    days_with_flags: int
    share_all_days: float | None  # [0-1]
    linked: bool


@dataclass(frozen=True)
class PainAssociations:
    """Which risk factors' flags preceded the logged pain days; associations, never causes."""

    threshold: int  # a pain day scores at least this [0-10]
    window_days: int
    logged_days: int
    pain_days: int
    warning: str | None
    statement: str
    factors: tuple[FactorLink, ...]
    lines: tuple[str, ...]  # one sentence per factor with flags before pain
    remedy_weeks: RemedyLink | None = None


@dataclass(frozen=True)
class RemedyLink:
    """Pain days in ISO weeks with and without strength or mobility work (``associations``)."""

    weeks_with: int
    logged_days_with: int
    pain_days_with: int
    share_with: float | None  # [0-1]
    weeks_without: int
    logged_days_without: int
    pain_days_without: int
    share_without: float | None  # [0-1]


# -- remedies and recovery -------------------------------------------------------------------
@dataclass(frozen=True)
class KindWeek:
    """Minutes of each kind of session in one ISO week [min] (``stridewise.kinds``)."""

    week: str  # YYYY-Www
    week_start: date
    run_min: float
    strength_min: float
    mobility_min: float
    cross_min: float
    other_min: float
    strength_sessions: int
    mobility_sessions: int


@dataclass(frozen=True)
class SessionRow:
    """A session of the report week that is not a run: strength, mobility, cross-training."""

    id: int
    local_date: date
    kind: str  # strength, mobility, cross or other
    sport: str  # e.g. "yoga", "cycling"
    duration_s: float | None
    name: str | None


@dataclass(frozen=True)
class Remedies:
    """What the runner does beside running: minutes by kind, week by week (oldest first)."""

    weeks: tuple[KindWeek, ...]
    sessions: tuple[SessionRow, ...]  # the report week's sessions other than runs
    reassurance: str | None  # one line where it is true (regular running, Belavý 2017)


@dataclass(frozen=True)
class RecoveryDay:
    """One day's wellness as the watch measured it; None where it did not."""

    date: date
    resting_hr_bpm: float | None  # [1/min]
    baseline_bpm: float | None  # the resting_hr_rise rule's baseline [1/min]
    sleep_h: float | None  # [h]
    hrv_sdnn_ms: float | None  # [ms]


@dataclass(frozen=True)
class Recovery:
    """Resting heart rate against its baseline and sleep, over the charted weeks."""

    days: tuple[RecoveryDay, ...]
    week_resting_hr_bpm: float | None  # mean of the report week's measured days [1/min]
    week_sleep_h: float | None  # mean of the report week's measured nights [h]
    nights_measured: int  # in the report week
    missing: str | None = None  # why nothing is shown (no wellness data)


# -- charts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChartImage:
    """A rendered chart: SVG (text stays text) or PNG (drawn for 2× screens)."""

    format: str  # "svg" or "png"
    data: bytes
    width_px: int  # natural size [CSS px for SVG, pixels for PNG]
    height_px: int

    @property
    def media_type(self) -> str:
        return "image/svg+xml" if self.format == "svg" else "image/png"


@dataclass(frozen=True)
class Chart:
    """One chart: its image, or the sentence saying why it is left out."""

    key: str  # file stem, e.g. "weekly-distance"
    title: str
    caption: str  # how to read it
    image: ChartImage | None = None
    missing: Phrase | None = None
    digest: str | None = None  # what it was drawn from (``drawing.chart_digest``)

    @property
    def filename(self) -> str:
        return f"{self.key}.{self.image.format if self.image else 'png'}"


# -- the report ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeeklyReport:
    """Everything one weekly report shows. Distances [km], durations [s], dates local."""

    athlete: str
    week: str  # ISO week, YYYY-Www
    week_start: date  # Monday
    generated_on: date
    imperial: bool
    totals: WeekTotals
    previous_weeks: Sequence[PreviousWeek]  # the four weeks before, newest first
    runs: Sequence[RunRow]  # the week's runs, oldest first
    flags: Sequence[Finding]  # as the rules found them
    not_evaluated: Sequence[NotChecked]
    went_well: Sequence[str]
    load_model: LoadModel
    pmc_convention: str  # as the metrics state it (ASCII formula)
    shoes: Sequence[ShoeRow]
    load: Sequence[LoadRow]  # one row per day of the charted window
    pain: Sequence[PainRow] | None  # logged days in the charted window; None: nothing logged
    pain_associations: PainAssociations | None = None  # None: no journal
    remedies: Remedies | None = None  # None: no activity in the charted weeks
    recovery: Recovery | None = None
    charts: Sequence[Chart] = ()
    notes: Sequence[str] = ()  # e.g. an estimated maximum heart rate
    rules: dict[str, str] = field(default_factory=dict)  # rule id -> factor, of the rules run
    #: The sentence the rules end each remedy with; the page says it once, at the top, so the
    #: writers leave it out of each flag's advice.
    clinician_note: str = ""

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def units(self) -> Units:
        return Units(self.imperial)

    @property
    def unit(self) -> str:
        return self.units.name

    @property
    def has_runs(self) -> bool:
        return bool(self.totals.runs)

    def distance(self, km: float | None, digits: int = 1) -> str:
        """A distance [km] in the runner's unit, with the unit."""
        return self.units.distance(km, digits)

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

    def flag_groups(self) -> list[tuple[str, list[Finding]]]:
        """The week's flags by risk factor, most severe first within each; every group listed."""
        groups = []
        placed: set[int] = set()
        for title, factors in FACTOR_GROUPS:
            members = [i for i, flag in enumerate(self.flags) if flag.factor in factors]
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
        skipped = {item.rule for item in self.not_evaluated}
        quiet, unchecked = [], []
        for title, flags in self.flag_groups():
            if flags:
                continue
            factors = dict(FACTOR_GROUPS).get(title, ())
            members = [rule for rule, factor in self.rules.items() if factor in factors]
            if not members:
                continue  # no rule of it was run: neither checked nor left out
            if all(rule in skipped for rule in members):
                unchecked.append(title)
            else:
                quiet.append(title)
        return quiet, unchecked

    def chart_groups(self) -> tuple[list[Chart], list[Chart]]:
        """(charts shown open, charts folded under "More charts"); see ``CHART_FACTORS``."""
        factors = {flag.factor for flag in self.flags}
        pain_this_week = any(
            self.week_start <= row.date <= self.week_end for row in self.pain or ()
        )
        shown, folded = [], []
        for chart in self.charts:
            opens = chart.image is not None and (
                chart.key in ALWAYS_OPEN_CHARTS
                or bool(factors & set(CHART_FACTORS.get(chart.key, ())))
                or (chart.key == "back-pain" and pain_this_week)
            )
            (shown if opens else folded).append(chart)
        return shown, folded

    def severity_counts(self) -> dict[str, int]:
        """Flags per severity, most severe first, only severities that occur."""
        counts = {s: sum(flag.severity == s for flag in self.flags) for s in SEVERITY_ORDER}
        return {severity: count for severity, count in counts.items() if count}


def _severity_rank(flag: Finding) -> tuple[int, date]:
    severity = flag.severity
    rank = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
    return rank, flag.date


# -- ISO weeks -------------------------------------------------------------------------------
def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www`` (e.g. 2026-W47), in range."""
    return parse_iso_week(text)


def week_label(monday: date) -> str:
    """``YYYY-Www`` of the ISO week a day is in."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
