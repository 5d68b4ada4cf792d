"""From a runner's history to a ``WeeklyReport``: the week's numbers, flags, charts and notes.

This is the one adapter between the library (``History``, ``rules.evaluate``, shoes, the pain
journal, the associations) and the report: every call into the rules or the history is made
here, so the writers only ever see the typed model (``report.model``). It cuts the frames each
chart draws, decides which charts have enough data (and says why not), renders each chart once,
and derives "what went well" from the same numbers the rules read (in one marked section at the
end, to be replaced by the rules' own results).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from stridewise import rules
from stridewise.errors import InvalidInput
from stridewise.history import (
    History,
    balance_vs_baseline,
    cadence_vs_baseline,
)
from stridewise.kinds import REMEDY_KINDS, RUN
from stridewise.metrics import calendar as calendar_metrics
from stridewise.metrics import training
from stridewise.metrics.elevation import RELIABLE_ALTITUDE
from stridewise.metrics.records import prepare_track
from stridewise.metrics.warmup import WARMUP_FROM_S, WARMUP_S
from stridewise.metrics.wellness import baseline, daily_values
from stridewise.model import RUNNING_SPORTS, SURFACES
from stridewise.profile import KM_PER_MILE
from stridewise.report.drawing import ChartCache, ChartDrawer
from stridewise.report.formatting import BALANCE_BAND_POINTS, short_day
from stridewise.report.model import (
    Chart,
    Command,
    FactorLink,
    KindWeek,
    LoadModel,
    LoadRow,
    NotChecked,
    PainAssociations,
    PainRow,
    Phrase,
    PreviousWeek,
    Recovery,
    RecoveryDay,
    Remedies,
    RemedyLink,
    RunRow,
    SessionRow,
    ShoeRow,
    WeeklyReport,
    WeekTotals,
    week_label,
)
from stridewise.rules import RULES, Evaluation, rule_settings
from stridewise.rules.base import CLINICIAN_NOTE
from stridewise.rules.text import ESTIMATE_NAMES

#: How far back each chart looks, counting the report week [weeks].
WEEKLY_DISTANCE_WEEKS = 16
LOAD_WEEKS = 12
PMC_WEEKS = 16
REST_CALENDAR_WEEKS = 12
SURFACE_WEEKS = 12
FORM_WEEKS = 4
PAIN_WEEKS = 12
REMEDY_WEEKS = 12
RECOVERY_WEEKS = 12
#: Runs a week from which the reassuring line about running and lumbar discs is shown: the
#: regular running of the runners Belavý 2017 studied (the strength_mobility rule's default too).
REGULAR_RUNS_PER_WEEK = 2
REASSURANCE = (
    "Running regularly, as you do, is associated with healthier lumbar discs than not running "
    "(Belavý 2017, doi:10.1038/srep45975): when a flag appears, adjust the load rather than stop."
)
NO_WELLNESS = (
    "No resting heart rate or sleep recorded: they come from a watch's daily wellness data. "
    "Import a Garmin Connect export (its wellness files) or an Apple Health export to see them."
)
#: Weeks the totals are compared with.
PREVIOUS_WEEKS = 4
#: Most runs the form chart shows (the newest), so its labels stay readable.
FORM_MAX_RUNS = 24
#: Minutes of each run the warm-up chart shows [min] (the rule reads the first 10).
WARMUP_CHART_MIN = 15.0
#: Smoothing of the warm-up curves [s]: optical heart rate is noisy second to second.
WARMUP_SMOOTHING_S = 30.0
#: Load models as a runner reads them.
LOAD_MODEL_NAMES = {
    "banister": "Banister TRIMP",
    "edwards": "Edwards TRIMP",
    "rtss": "rTSS (running training stress score)",
    "session_rpe": "session RPE",
    "distance": "distance",
    "duration": "duration",
    "none": "none (no runs)",
}


@dataclass(frozen=True)
class ReportInputs:
    """What the report reads beside the history: all optional, each leaves out what needs it."""

    shoes: pd.DataFrame | None = None  # rows of ``shoes_frame`` as of the week's end
    pain: pd.DataFrame | None = None  # ``pain_frame``: date, score, note
    samples: Mapping[int, pd.DataFrame] | None = None  # records of the week's runs, by id
    #: the charts an earlier report wrote into the folder this one goes to: those unchanged are
    #: taken from there instead of drawn (``drawing``)
    chart_cache: ChartCache | None = None
    #: processes that draw the charts side by side (``drawing.ChartDrawer``); 1: this one
    chart_workers: int = 1


def default_week(history: History, today: date) -> date:
    """Monday of the last complete ISO week with a run (its Sunday before ``today``)."""
    runs = history.runs
    mondays = sorted(
        {day - timedelta(days=day.weekday()) for day in (d.date() for d in runs["day"])}
    )
    complete = [monday for monday in mondays if monday + timedelta(days=6) < today]
    if not complete:
        if mondays:
            raise InvalidInput(
                f"no complete week with runs yet (the first runs are in {week_label(mondays[0])}, "
                "which has not ended); pass --week to report on it anyway"
            )
        raise InvalidInput("no runs imported yet; import some first with: stridewise import PATH")
    return complete[-1]


def report_from_history(
    history: History,
    week_start: date,
    today: date,
    *,
    athlete: str = "me",
    inputs: ReportInputs | None = None,
    draw_charts: bool = True,
) -> WeeklyReport:
    """The report of the ISO week starting on ``week_start`` (a Monday), as of ``today``.

    A week that is still going on is reported up to ``today`` (and says so); one that has not
    started is an error.
    """
    if week_start.weekday() != 0:
        raise InvalidInput(f"{week_start} is not a Monday; a report week starts on Monday")
    if week_start > today:
        raise InvalidInput(
            f"week {week_label(week_start)} has not started yet (today is {today.isoformat()})"
        )
    inputs = inputs or ReportInputs()
    with ChartDrawer(inputs.chart_cache, inputs.chart_workers) as drawer:
        if draw_charts:
            drawer.start()  # its processes load matplotlib while the rules run here
        return _report(history, week_start, today, athlete, inputs, drawer, draw_charts)


def _report(
    history: History,
    week_start: date,
    today: date,
    athlete: str,
    inputs: ReportInputs,
    drawer: ChartDrawer,
    draw_charts: bool,
) -> WeeklyReport:
    week_end = week_start + timedelta(days=6)
    evaluation = rules.evaluate(
        history, since=week_start, until=min(week_end, today), rule_ids=None
    )
    days = _days(history, week_end, today)
    weeks = calendar_metrics.weekly_totals(days)
    frames = _Frames(history, days, weeks, week_start, inputs, drawer, evaluation)
    notes = _estimate_notes(evaluation.estimated)
    if week_end >= today:
        notes.insert(
            0,
            f"This week is not over yet: its numbers and flags run up to {today.isoformat()}.",
        )
    report = WeeklyReport(
        athlete=athlete,
        week=week_label(week_start),
        week_start=week_start,
        generated_on=today,
        imperial=history.profile.imperial,
        totals=_totals(weeks, week_start, frames.descent_by_week),
        previous_weeks=tuple(
            PreviousWeek(week_label(monday), _totals(weeks, monday, frames.descent_by_week))
            for monday in (week_start - timedelta(weeks=k) for k in range(1, PREVIOUS_WEEKS + 1))
            if pd.Timestamp(monday) in weeks.index
        ),
        runs=frames.week_runs(),
        flags=tuple(evaluation.findings),
        not_evaluated=tuple(_not_checked(item) for item in evaluation.not_evaluated),
        went_well=tuple(sentence for _, sentence in evaluation.went_well(history.profile)),
        load_model=LoadModel(
            model=evaluation.load_model,
            name=LOAD_MODEL_NAMES.get(evaluation.load_model, evaluation.load_model),
            unit=evaluation.load_unit,
            reason=evaluation.load_reason,
        ),
        pmc_convention=evaluation.pmc_convention,
        shoes=_shoe_rows(inputs.shoes),
        load=frames.load_rows(),
        pain=frames.pain_rows(),
        pain_associations=_pain_associations(history, inputs.pain, min(week_end, today)),
        remedies=frames.remedies(),
        recovery=frames.recovery(),
        notes=tuple(notes),
        rules=_rule_factors(evaluation.rules),
        clinician_note=CLINICIAN_NOTE,
    )
    if draw_charts:
        report = replace(report, charts=frames.charts(report))
    return report


def _pain_associations(
    history: History, pain: pd.DataFrame | None, last_day: date
) -> PainAssociations | None:
    """Which factors' flags preceded the pain days logged up to ``last_day`` (issue #6)."""
    from stridewise.associations import (
        DEFAULT_WINDOW_DAYS,
        association_lines,
        pain_associations,
    )

    if pain is None or pain.empty or history.runs.empty:
        return None
    logged = pain[[day <= last_day for day in pain["date"]]]
    if logged.empty:
        return None
    first = min(logged["date"]) - timedelta(days=DEFAULT_WINDOW_DAYS)
    findings = rules.evaluate(history, since=first, until=last_day).findings
    activities = history.activities
    remedy_days = activities.loc[
        activities["kind"].isin(REMEDY_KINDS) & (activities["local_date"] <= last_day),
        "local_date",
    ]
    result = pain_associations(findings, logged, remedy_days=list(remedy_days))
    remedy_weeks = result["remedy_weeks"]
    return PainAssociations(
        threshold=int(result["threshold"]),
        window_days=int(result["window_days"]),
        logged_days=int(result["logged_days"]),
        pain_days=int(result["pain_days"]),
        warning=result["warning"],
        statement=result["statement"],
        factors=tuple(FactorLink(**entry) for entry in result["factors"]),
        lines=tuple(association_lines(result)),
        remedy_weeks=RemedyLink(**remedy_weeks) if remedy_weeks else None,
    )


# -- the calendar the report reads -----------------------------------------------------------
def _days(history: History, last_day: date, today: date) -> pd.DataFrame:
    """The history's daily calendar carried on to ``last_day`` (no later than ``today``).

    Days after the last activity are rest days with zero load; days before the first activity
    are not part of the history and stay out (a week before it is "no data", not rest).
    """
    calendar = history.calendar
    end = pd.Timestamp(min(last_day, today))
    if history.start is None:
        return pd.DataFrame(columns=calendar.columns, index=pd.DatetimeIndex([], name="day"))
    if end < history.start:
        return calendar.iloc[0:0]
    index = pd.date_range(history.start, max(end, history.end), freq="D", name="day")
    days = calendar.reindex(index)
    after = days["runs"].isna()
    fills = {
        "runs": 0,
        "distance_km": 0.0,
        "duration_s": 0.0,
        "rest": True,
        "load": 0.0,
        "trail_km": 0.0,
        "streak": 0,
    }
    for column, value in fills.items():
        if column in days:
            days.loc[after, column] = value
    days["runs"] = days["runs"].astype("int64")
    days["rest"] = days["rest"].astype(bool)
    days["rest_days_7"] = days["rest"].astype("float64").rolling(7, min_periods=7).sum()
    return days.loc[:end]


def _totals(weeks: pd.DataFrame, monday: date, descents: pd.Series) -> WeekTotals:
    """A week's totals as CLI.md names them; zero runs when the week is not in the history.
    ``descents``: total descent per week's Monday [m], of runs with reliable altitude only."""
    key = pd.Timestamp(monday)
    if key not in weeks.index:
        return WeekTotals.empty()
    row = weeks.loc[key]
    longest = row["longest_run_km"]
    descent = descents.get(key)
    return WeekTotals(
        distance_km=round(float(row["distance_km"]), 3),
        duration_s=round(float(row["duration_s"]), 1),
        runs=int(row["runs"]),
        rest_days=int(row["rest_days"]),
        longest_run_km=None if pd.isna(longest) else round(float(longest), 3),
        days=int(row["days"]),
        days_without_running=int(row["days_without_running"]),
        descent_m=None if descent is None else round(float(descent), 1),
    )


def _rule_factors(rule_ids: list[str]) -> dict[str, str]:
    return {rule_id: RULES[rule_id].factor for rule_id in rule_ids if rule_id in RULES}


def _not_checked(item: Mapping[str, str]) -> NotChecked:
    """A not-evaluated entry with its rule's risk factor, so the report can group it."""
    rule = RULES.get(str(item.get("rule")))
    return NotChecked(
        rule=str(item.get("rule")),
        reason=str(item.get("reason", "")),
        factor=rule.factor if rule else None,
    )


def _shoe_rows(shoes: pd.DataFrame | None) -> tuple[ShoeRow, ...]:
    if shoes is None or shoes.empty:
        return ()
    return tuple(
        ShoeRow(
            name=str(row["name"]),
            distance_km=float(row["distance_km"]),
            limit_km=float(row["limit_km"]),
            limit_is_default=bool(row.get("limit_is_default", False)),
            status=str(row["status"]),
            runs=int(row.get("runs", 0) or 0),
            first_used=_iso_date(row.get("first_used")),
            last_used=_iso_date(row.get("last_used")),
            share_4w=_number(row.get("share_4w"), 3),
            retired=bool(row.get("retired", False)),
        )
        for row in shoes.to_dict("records")
    )


def _iso_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _estimate_notes(estimated: Mapping[str, Mapping]) -> list[str]:
    return [
        f"{ESTIMATE_NAMES.get(key, key)} was estimated, not given: {entry.get('value')} "
        f"{'beats/min' if entry.get('unit') == '1/min' else entry.get('unit', '')} "
        f"({entry.get('how')}). Set it in the profile for figures based on your own value."
        for key, entry in estimated.items()
    ]


# -- frames and charts -------------------------------------------------------------------------
class _Frames:
    """Cuts of the history for one report week, shared by the charts, JSON and "went well"."""

    def __init__(
        self,
        history: History,
        days: pd.DataFrame,
        weeks: pd.DataFrame,
        week_start: date,
        inputs: ReportInputs,
        drawer: ChartDrawer,
        evaluation: Evaluation | None = None,
    ) -> None:
        self.history = history
        self.evaluation = evaluation
        self.days = days
        self.weeks = weeks
        self.week_start = week_start
        self.week_end = week_start + timedelta(days=6)
        self.inputs = inputs
        self.drawer = drawer
        self.profile = history.profile
        self.unit = self.profile.distance_unit()
        runs = history.runs
        in_week = (runs["day"] >= pd.Timestamp(week_start)) & (
            runs["day"] <= pd.Timestamp(self.week_end)
        )
        self.runs_until = runs[runs["day"] <= pd.Timestamp(self.week_end)]
        self.week_runs_frame = runs[in_week]
        measured = runs[runs["altitude_source"].isin(list(RELIABLE_ALTITUDE))]
        measured = measured[measured["descent_m"].notna()]
        self.descent_by_week = measured.groupby(
            calendar_metrics.week_start(measured["day"]).to_numpy()
        )["descent_m"].sum()

    def to_unit(self, km: pd.Series | float) -> pd.Series | float:
        return km / KM_PER_MILE if self.profile.imperial else km

    def window_start(self, weeks: int) -> pd.Timestamp:
        return pd.Timestamp(self.week_start - timedelta(weeks=weeks - 1))

    # -- rows for the writers -------------------------------------------------------------------
    def week_runs(self) -> tuple[RunRow, ...]:
        return tuple(
            RunRow(
                id=int(activity_id),
                local_date=run["day"].date(),
                local_time=pd.Timestamp(run["start"]).strftime("%H:%M"),
                name=_text(run.get("name")),
                distance_km=_number(run["distance_km"], 3),
                duration_s=_number(run["duration_s"], 1),
                surface=_text(run["surface"]),
                surface_source=_text(run["surface_source"]),
                shoe=_text(run["shoe"]),
                avg_heart_rate_bpm=_number(run["avg_heart_rate_bpm"], 1),
                load=_number(run["load"], 1),
            )
            for activity_id, run in self.week_runs_frame.iterrows()
        )

    def load_table(self) -> pd.DataFrame:
        """Daily load with acute/chronic load and the PMC, over the whole history to the week."""
        load = self.days["load"].astype("float64")
        table = pd.concat([training.acute_chronic(load), training.pmc(load)], axis=1)
        return table.loc[:, ~table.columns.duplicated()]

    def load_rows(self) -> tuple[LoadRow, ...]:
        table = self.load_table()
        window = table[table.index >= self.window_start(LOAD_WEEKS)]
        return tuple(
            LoadRow(
                date=day.date(),
                load=_number(row["load"], 2),
                acute=_number(row["acute"], 2),
                chronic=_number(row["chronic"], 2),
                ctl=_number(row["ctl"], 2),
                atl=_number(row["atl"], 2),
                tsb=_number(row["tsb"], 2),
            )
            for day, row in window.iterrows()
        )

    def pain_frame(self) -> pd.DataFrame | None:
        pain = self.inputs.pain
        if pain is None or pain.empty:
            return None
        days = pd.to_datetime(pd.Series(pain["date"]))
        start, end = self.window_start(PAIN_WEEKS), pd.Timestamp(self.week_end)
        return pain[((days >= start) & (days <= end)).to_numpy()]

    def pain_rows(self) -> tuple[PainRow, ...] | None:
        pain = self.pain_frame()
        if pain is None:
            return None
        return tuple(
            PainRow(date=pd.Timestamp(d).date(), score=int(s), note=_text(n))
            for d, s, n in zip(pain["date"], pain["score"], pain["note"], strict=True)
        )

    def remedies(self) -> Remedies | None:
        """Minutes by kind of session per week, this week's other sessions, and the reassuring
        line where it is true; None when the charted weeks hold no activity."""
        activities = self.history.activities
        days = calendar_metrics.as_days(activities["local_date"])
        first = max(self.window_start(REMEDY_WEEKS), days.min() - pd.Timedelta(days=6))
        chosen = activities[((days >= first) & (days <= pd.Timestamp(self.week_end))).to_numpy()]
        if chosen.empty:
            return None
        mondays = pd.date_range(
            calendar_metrics.week_start(pd.Series([first])).iloc[0],
            pd.Timestamp(self.week_start),
            freq="7D",
        )
        table = calendar_metrics.weekly_minutes_by_kind(
            chosen["local_date"], chosen["kind"], chosen["duration_s"], mondays
        )
        weeks = tuple(
            KindWeek(
                week=week_label(monday.date()),
                week_start=monday.date(),
                run_min=round(float(row["run"]), 1),
                strength_min=round(float(row["strength"]), 1),
                mobility_min=round(float(row["mobility"]), 1),
                cross_min=round(float(row["cross"]), 1),
                other_min=round(float(row["other"]), 1),
                strength_sessions=int(row["strength_sessions"]),
                mobility_sessions=int(row["mobility_sessions"]),
            )
            for monday, row in table.iterrows()
        )
        in_week = chosen[
            (
                calendar_metrics.as_days(chosen["local_date"]) >= pd.Timestamp(self.week_start)
            ).to_numpy()
            & chosen["kind"].ne(RUN).to_numpy()
        ]
        sessions = tuple(
            SessionRow(
                id=int(row["id"]),
                local_date=pd.Timestamp(row["local_date"]).date(),
                kind=str(row["kind"]),
                sport=_sport_label(row.get("sport"), row.get("sub_sport")),
                duration_s=_number(row.get("duration_s"), 1),
                name=_text(row.get("name")),
            )
            for row in in_week.to_dict("records")
        )
        recent = table["run_sessions"].tail(4)
        regular = len(recent) == 4 and recent.sum() >= 4 * REGULAR_RUNS_PER_WEEK
        return Remedies(weeks, sessions, REASSURANCE if regular else None)

    def recovery(self) -> Recovery:
        """Resting heart rate (with the resting_hr_rise rule's baseline), sleep and HRV per day
        over the charted weeks; ``missing`` says why when there is nothing to show."""
        wellness = self.history.wellness
        resting = daily_values(wellness, "resting_hr_bpm")
        settings = rule_settings(self.profile)["resting_hr_rise"]
        base = baseline(resting, int(settings["baseline_days"]), int(settings["min_baseline_days"]))
        columns = {
            "resting_hr_bpm": resting,
            "baseline_bpm": base,
            "sleep_h": daily_values(wellness, "sleep_s") / 3600.0,
            "hrv_sdnn_ms": daily_values(wellness, "hrv_sdnn_ms"),
        }
        if all(series.dropna().empty for series in columns.values()):
            return Recovery((), None, None, 0, missing=NO_WELLNESS)
        index = pd.date_range(self.window_start(RECOVERY_WEEKS), self.week_end, name="day")
        table = pd.DataFrame({name: series.reindex(index) for name, series in columns.items()})
        measured = table[["resting_hr_bpm", "sleep_h", "hrv_sdnn_ms"]].notna().any(axis=1)
        if not measured.any():
            return Recovery(
                (), None, None, 0,
                missing=f"No resting heart rate or sleep measured in the last {RECOVERY_WEEKS} "
                "weeks.",
            )  # fmt: skip
        week = table[table.index >= pd.Timestamp(self.week_start)]
        return Recovery(
            days=tuple(
                RecoveryDay(
                    date=day.date(),
                    resting_hr_bpm=_number(row["resting_hr_bpm"], 1),
                    baseline_bpm=_number(row["baseline_bpm"], 1),
                    sleep_h=_number(row["sleep_h"], 2),
                    hrv_sdnn_ms=_number(row["hrv_sdnn_ms"], 1),
                )
                for day, row in table.iterrows()
            ),
            week_resting_hr_bpm=_number(week["resting_hr_bpm"].mean(), 1),
            week_sleep_h=_number(week["sleep_h"].mean(), 2),
            nights_measured=int(week["sleep_h"].notna().sum()),
        )

    # -- charts ---------------------------------------------------------------------------------
    def charts(self, report: WeeklyReport) -> tuple[Chart, ...]:
        makers = [
            self.weekly_distance_chart,
            self.daily_load_chart,
            self.pmc_chart,
            self.rest_calendar_chart,
            self.shoe_chart,
            self.surface_chart,
            self.form_chart,
            self.warmup_chart,
            self.minutes_by_kind_chart,
            self.recovery_chart,
            self.pain_chart,
        ]
        return self.drawer.drawn(tuple(maker(report) for maker in makers))

    def _week_frame(self, weeks: int) -> pd.DataFrame:
        start = self.window_start(weeks)
        frame = self.weeks[
            (self.weeks.index >= start) & (self.weeks.index <= pd.Timestamp(self.week_start))
        ]
        return frame.assign(week_start=[d.date() for d in frame.index]).reset_index(drop=True)

    def weekly_distance_chart(self, report: WeeklyReport) -> Chart:
        key, title = "weekly-distance", f"Weekly distance, last {WEEKLY_DISTANCE_WEEKS} weeks"
        frame = self._week_frame(WEEKLY_DISTANCE_WEEKS)
        caption = (
            f"Running distance per ISO week [{self.unit}], the report week in orange; below, the "
            "change from the week before. Week-to-week ratios were not associated with injury in "
            "a study of 5,205 runners (Frandsen 2025); single long runs were."
        )
        if frame.empty or frame["distance_km"].sum() <= 0:
            return Chart(key, title, caption, missing=Phrase.of("No runs in the last 16 weeks."))
        distance = self.to_unit(frame["distance_km"])
        previous = distance.shift(1)
        weeks = pd.DataFrame(
            {
                "week": frame["week"],
                "week_start": frame["week_start"],
                "distance": distance,
                "change_pct": ((distance / previous - 1.0) * 100.0).where(previous > 0),
            }
        )
        return self.drawer.chart(
            key, title, caption, "weekly_distance", weeks, self.unit, report.week
        )

    def daily_load_chart(self, report: WeeklyReport) -> Chart:
        unit = report.load_model.unit or "load"
        key, title = "daily-load", "Daily load with acute and chronic load"
        caption = (
            f"Bars: load per day ({unit}, {report.load_model.name}). "
            "Lines: acute load (mean of the last 7 days) and chronic load (mean day of the 3 weeks "
            "before those 7), shown separately: their ratio has no proven threshold."
        )
        table = self.load_table()
        window = table[table.index >= self.window_start(LOAD_WEEKS)]
        if window.empty or window["load"].sum() <= 0:
            return Chart(
                key, title, caption, missing=Phrase.of("No training load in the last 12 weeks.")
            )
        days = pd.DataFrame(
            {
                "date": [d.date() for d in window.index],
                "load": window["load"].to_numpy(),
                "acute": (window["acute"] / 7.0).to_numpy(),
                "chronic": (window["chronic"] / 7.0).to_numpy(),
            }
        )
        return self.drawer.chart(
            key,
            title,
            caption,
            "daily_load",
            days,
            unit,
            self.week_start,
            "acute (7-day mean)",
            "chronic (days 8-28)",
        )

    def pmc_chart(self, report: WeeklyReport) -> Chart:
        unit = report.load_model.unit or "load"
        key, title = "pmc", "Fitness, fatigue and form (PMC)"
        caption = (
            "Fitness (CTL) and fatigue (ATL) are exponentially weighted daily loads with time "
            "constants of 42 and 7 days (the convention of GoldenCheetah and TrainingPeaks); form "
            "(TSB) is yesterday's fitness minus yesterday's fatigue. It describes load; it is not "
            "an injury signal."
        )
        table = self.load_table()
        window = table[table.index >= self.window_start(PMC_WEEKS)]
        if window.empty or table["load"].sum() <= 0:
            return Chart(key, title, caption, missing=Phrase.of("No training load to chart."))
        days = pd.DataFrame(
            {
                "date": [d.date() for d in window.index],
                "ctl": window["ctl"].to_numpy(),
                "atl": window["atl"].to_numpy(),
                "tsb": window["tsb"].to_numpy(),
            }
        )
        return self.drawer.chart(key, title, caption, "pmc", days, unit, self.week_start)

    def rest_calendar_chart(self, report: WeeklyReport) -> Chart:
        key, title = "rest-calendar", f"Run and rest days, last {REST_CALENDAR_WEEKS} weeks"
        min_rest = int(rule_settings(self.profile)["rest_days"]["min_rest_days"])
        caption = (
            f"Each row is a week (Monday first); a blue day had a run ({self.unit} shown). Fewer "
            f"than {min_rest} rest days in a week is marked in bold: fewer than two was associated "
            "with more overuse injuries in elite endurance athletes (Ristolainen 2014)."
        )
        start = self.window_start(REST_CALENDAR_WEEKS)
        days = self.days[self.days.index >= start]
        if days.empty:
            return Chart(
                key, title, caption, missing=Phrase.of("No days of history in these 12 weeks.")
            )
        activities = self.history.activities
        other_days = {
            pd.Timestamp(d)
            for d, sport in zip(activities["local_date"], activities["sport"], strict=True)
            if sport not in RUNNING_SPORTS
        }
        frame = pd.DataFrame(
            {
                "date": [d.date() for d in days.index],
                "distance": self.to_unit(days["distance_km"].astype("float64")).to_numpy(),
                "other_sport": [
                    day in other_days and runs == 0
                    for day, runs in zip(days.index, days["runs"], strict=True)
                ],
            }
        )
        return self.drawer.chart(
            key, title, caption, "rest_calendar", frame, self.unit, self.week_start, min_rest
        )

    def shoe_chart(self, report: WeeklyReport) -> Chart:
        key, title = "shoes", "Shoe mileage against each pair's limit"
        convention = (
            f"{self.to_unit(500.0):.0f}-{self.to_unit(800.0):.0f} mi (500-800 km)"
            if self.profile.imperial
            else "500-800 km"
        )
        caption = (
            "Distance of each pair in use (including its starting distance) against its limit. "
            f"No mileage cut-off is tied to injury: {convention} is convention; cushioning wears "
            "with use (Verdejo & Mills 2004)."
        )
        shoes = self.inputs.shoes
        if shoes is None or shoes.empty:
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(
                    "No shoes recorded: add your pairs with ",
                    Command("stridewise shoes add NAME --default"),
                    " to follow their mileage.",
                ),
            )
        in_use = shoes[
            ~shoes["retired"].astype(bool)
            | shoes["retired_on"].fillna("").ge(self.week_start.isoformat())
        ]
        in_use = in_use[
            (in_use["distance_km"] > 0)
            & ~in_use["since"].fillna("").gt(self.week_end.isoformat())  # not bought yet
        ]
        if in_use.empty:
            return Chart(
                key, title, caption, missing=Phrase.of("No pair in use has any distance yet.")
            )
        frame = pd.DataFrame(
            {
                "name": in_use["name"],
                "distance": self.to_unit(in_use["distance_km"].astype("float64")),
                "limit": self.to_unit(in_use["limit_km"].astype("float64")),
                "status": in_use["status"].where(in_use["status"] != "retired", "ok"),
            }
        )
        return self.drawer.chart(
            key, title, caption, "shoe_mileage", frame.reset_index(drop=True), self.unit
        )

    def surface_chart(self, report: WeeklyReport) -> Chart:
        key, title = "surface-mix", f"Surfaces per week, last {SURFACE_WEEKS} weeks"
        caption = (
            "Running distance per week by surface (from the file, the export, your own setting, or "
            "inferred from the track). The surface flag looks only at new exposure to uneven "
            "ground: no study links surface to low back pain."
        )
        start = self.window_start(SURFACE_WEEKS)
        runs = self.runs_until[self.runs_until["day"] >= start]
        if runs.empty:
            return Chart(key, title, caption, missing=Phrase.of("No runs in the last 12 weeks."))
        if runs["surface"].fillna("unknown").eq("unknown").all():
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(
                    "The surface of every run in these 12 weeks is unknown: the files did not say, "
                    "and the tracks had no altitude to infer it from."
                ),
            )
        mondays = calendar_metrics.week_start(runs["day"])
        table = (
            runs.assign(monday=mondays.to_numpy(), surface=runs["surface"].fillna("unknown"))
            .pivot_table(index="monday", columns="surface", values="distance_km", aggfunc="sum")
            .reindex(
                pd.date_range(max(start, mondays.min()), pd.Timestamp(self.week_start), freq="7D")
            )
            .fillna(0.0)
        )
        weeks = pd.DataFrame(
            {
                "week": [week_label(d.date()) for d in table.index],
                "week_start": [d.date() for d in table.index],
            }
        )
        for surface in SURFACES:
            if surface in table:
                weeks[surface] = self.to_unit(table[surface]).to_numpy()
        return self.drawer.chart(key, title, caption, "surface_mix", weeks, self.unit, report.week)

    def form_chart(self, report: WeeklyReport) -> Chart:
        settings = rule_settings(self.profile)
        cadence_rule, balance_rule = settings["cadence"], settings["gct_balance"]
        key, title = "form", "Cadence and ground-contact balance per run"
        caption = (
            f"Each run's median cadence against your own speed-matched baseline "
            f"± {cadence_rule['caution_pct']:g} % (from your runs of the "
            f"{cadence_rule['window_days']:g} days before; at least {cadence_rule['min_runs']:g} "
            f"needed), and its left/right ground-contact balance against your median "
            f"± {balance_rule['shift_points']:g} points; dotted lines mark Garmin's "
            f"50 ± {BALANCE_BAND_POINTS:g} % band. Hollow markers: no baseline yet. "
            "Asymmetry was not associated with injury in 836 runners (Malisoux 2024)."
        )
        start = self.window_start(FORM_WEEKS)
        end = pd.Timestamp(self.week_end)
        cadence = cadence_vs_baseline(
            self.history, int(cadence_rule["window_days"]), int(cadence_rule["min_runs"])
        )
        balance = balance_vs_baseline(
            self.history, int(balance_rule["window_days"]), int(balance_rule["min_runs"])
        )
        cadence = cadence[(cadence["day"] >= start) & (cadence["day"] <= end)]
        balance = balance[(balance["day"] >= start) & (balance["day"] <= end)]
        runs = pd.DataFrame(index=cadence.index.union(balance.index))
        runs["day"] = cadence["day"].combine_first(balance["day"])
        cadence_share = cadence_rule["caution_pct"] / 100.0
        runs["cadence_spm"] = cadence["cadence_spm"]
        runs["cadence_low"] = cadence["expected_spm"] * (1.0 - cadence_share)
        runs["cadence_high"] = cadence["expected_spm"] * (1.0 + cadence_share)
        runs["balance_pct"] = balance["balance_pct"]
        runs["balance_low"] = balance["baseline_pct"] - balance_rule["shift_points"]
        runs["balance_high"] = balance["baseline_pct"] + balance_rule["shift_points"]
        runs = runs[runs["cadence_spm"].notna() | runs["balance_pct"].notna()]
        if runs.empty:
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(
                    f"No run in the last {FORM_WEEKS} weeks recorded cadence or ground-contact "
                    "balance (they need a watch or foot pod that records running dynamics)."
                ),
            )
        runs = runs.sort_values("day", kind="stable").tail(FORM_MAX_RUNS)
        runs["label"] = [f"{d.day} {d:%b}" for d in runs["day"]]
        runs["in_week"] = (runs["day"] >= pd.Timestamp(self.week_start)).to_numpy()
        return self.drawer.chart(
            key, title, caption, "form_balance", runs.reset_index(drop=True), BALANCE_BAND_POINTS
        )

    def warmup_chart(self, report: WeeklyReport) -> Chart:
        key, title = "warm-up", "Warm-up: the first minutes of this week's runs"
        samples = self.inputs.samples or {}
        easy = self.easy_level()
        curves, measure = [], None
        for activity_id, run in self.week_runs_frame.iterrows():
            records = samples.get(int(activity_id))
            if records is None or records.empty:
                continue
            curve = _warmup_curve(records)
            if curve is None:
                continue
            kind, frame = curve
            if measure is None:
                measure = kind
            if kind != measure:
                continue  # one measure per chart: heart rate, or % of median speed
            distance = f"{self.to_unit(run['distance_km']):.1f} {self.unit}"
            curves.append(frame.assign(run=f"{short_day(run['day'].date())} · {distance}"))
        if measure == "hr":
            caption = (
                f"Heart rate over the first {WARMUP_CHART_MIN:.0f} minutes of moving time, "
                "smoothed over 30 s. The warm-up rule reads the shaded minutes 1.5-10 (the first "
                "90 s of wrist heart rate are unreliable) against your own easy level"
                + (f" (dashed: {easy:.0f} beats/min)" if easy else "")
                + ". Warm-up programmes have not been shown to prevent injury in runners."
            )
        else:
            caption = (
                "Speed as % of each run's median speed over its first minutes (no heart rate "
                "was recorded); above 100 % the run started faster than it went on."
            )
        if not curves:
            reason = (
                "No run this week."
                if self.week_runs_frame.empty
                else "No run this week has per-second records with heart rate or speed."
            )
            return Chart(key, title, caption, missing=Phrase.of(reason))
        label = "Heart rate [beats/min]" if measure == "hr" else "Speed [% of run median]"
        reference = easy if measure == "hr" else 100.0
        reference_label = f"your easy level {easy:.0f}" if measure == "hr" and easy else "median"
        return self.drawer.chart(
            key,
            title,
            caption,
            "warmup",
            pd.concat(curves, ignore_index=True),
            label,
            reference if measure != "hr" or easy else None,
            reference_label,
            window_min=(WARMUP_FROM_S / 60.0, WARMUP_S / 60.0),
        )

    def easy_level(self) -> float | None:
        """The runner's easy heart rate this week, as the warm-up rule judged it [1/min]."""
        result = self.evaluation.results.get("warmup") if self.evaluation else None
        levels = [
            c.details.get("easy_hr_bpm")
            for c in (result.checks if result else [])
            if c.details.get("easy_hr_bpm") is not None and np.isfinite(c.details["easy_hr_bpm"])
        ]
        return float(np.median(levels)) if levels else None

    def minutes_by_kind_chart(self, report: WeeklyReport) -> Chart:
        key, title = "minutes-by-kind", "Running, strength, mobility and cross-training"
        caption = (
            f"Minutes per week of each kind of session, the last {REMEDY_WEEKS} weeks. Exercise "
            "and strength work were associated with fewer low back pain episodes in the general "
            "population (Steffens 2016), and each weekly hour of other sports was protective in "
            "recreational runners (Malisoux 2015): cross-training is training, never rest."
        )
        remedies = report.remedies
        if remedies is None or not any(
            week.run_min + week.strength_min + week.mobility_min + week.cross_min + week.other_min
            for week in remedies.weeks
        ):
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(
                    f"No session with a known duration in the last {REMEDY_WEEKS} weeks."
                ),
            )
        weeks = pd.DataFrame(
            {
                "week": [week.week for week in remedies.weeks],
                "week_start": [week.week_start for week in remedies.weeks],
                "run": [week.run_min for week in remedies.weeks],
                "strength": [week.strength_min for week in remedies.weeks],
                "mobility": [week.mobility_min for week in remedies.weeks],
                "cross": [week.cross_min for week in remedies.weeks],
                "other": [week.other_min for week in remedies.weeks],
            }
        )
        return self.drawer.chart(key, title, caption, "minutes_by_kind", weeks, report.week)

    def recovery_chart(self, report: WeeklyReport) -> Chart:
        key, title = "recovery", "Resting heart rate and sleep"
        settings = rule_settings(self.profile)
        rise, hours = settings["resting_hr_rise"]["rise_bpm"], settings["short_sleep"]["min_hours"]
        caption = (
            f"Resting heart rate per day against your own baseline (the mean of the "
            f"{settings['resting_hr_rise']['baseline_days']} days before each 7-day window; "
            f"dashed: {rise:g} bpm above it) and hours of sleep (dashed: {hours:g} h), the report "
            "week shaded. A resting heart rate above its baseline can mean incomplete recovery, "
            "illness or heat (Buchheit 2014)."
        )
        recovery = report.recovery
        if recovery is None or recovery.missing:
            reason = recovery.missing if recovery and recovery.missing else NO_WELLNESS
            return Chart(key, title, caption, missing=Phrase.of(reason))
        days = pd.DataFrame(
            {
                "date": [day.date for day in recovery.days],
                "resting_hr_bpm": [_nan(day.resting_hr_bpm) for day in recovery.days],
                "baseline_bpm": [_nan(day.baseline_bpm) for day in recovery.days],
                "sleep_h": [_nan(day.sleep_h) for day in recovery.days],
            }
        )
        if days[["resting_hr_bpm", "sleep_h"]].isna().all().all():
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(
                    f"Only heart rate variability was measured in the last {RECOVERY_WEEKS} weeks."
                ),
            )
        return self.drawer.chart(
            key, title, caption, "recovery", days, self.week_start, rise, hours
        )

    def pain_chart(self, report: WeeklyReport) -> Chart:
        unit = report.load_model.unit or "load"
        key, title = "back-pain", "Back pain over training load"
        caption = (
            "Your logged back-pain scores (0 = none, 10 = worst) over daily load. Seeing them "
            "together can show an association, nothing more: pain has many sources."
        )
        pain = self.pain_frame()
        if pain is None:
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(
                    "No back pain logged. Log a day with ",
                    Command("stridewise pain add DATE SCORE"),
                    " to see it against your load.",
                ),
            )
        if pain.empty:
            return Chart(
                key,
                title,
                caption,
                missing=Phrase.of(f"No back pain logged in the last {PAIN_WEEKS} weeks."),
            )
        table = self.load_table()
        window = table[table.index >= self.window_start(PAIN_WEEKS)]
        scores = pd.Series(
            pain["score"].to_numpy(dtype="float64"),
            index=pd.DatetimeIndex(pd.to_datetime(pd.Series(pain["date"]))),
        )
        index = window.index.union(scores.index)
        days = pd.DataFrame(
            {
                "date": [d.date() for d in index],
                "load": window["load"].reindex(index, fill_value=0.0).to_numpy(),
                "pain": scores.reindex(index).to_numpy(),
            }
        )
        return self.drawer.chart(key, title, caption, "pain_over_load", days, unit, self.week_start)


def _warmup_curve(records: pd.DataFrame) -> tuple[str, pd.DataFrame] | None:
    """Minute-by-minute intensity of a run's first ``WARMUP_CHART_MIN`` of moving time."""
    track = prepare_track(records)
    moving = track[track["moving"] & (track["t_s"] <= WARMUP_CHART_MIN * 60.0)]
    if moving.empty:
        return None
    clock = pd.to_datetime(moving["t_s"].to_numpy(), unit="s")
    window = f"{WARMUP_SMOOTHING_S:g}s"
    if "heart_rate_bpm" in moving and moving["heart_rate_bpm"].notna().mean() > 0.5:
        values = pd.Series(moving["heart_rate_bpm"].to_numpy(), index=clock)
        intensity = values.rolling(window, min_periods=5).mean()
        kind = "hr"
    elif moving["speed_mps"].notna().mean() > 0.5:
        median = float(track.loc[track["moving"], "speed_mps"].median())
        if not median > 0:
            return None
        values = pd.Series(moving["speed_mps"].to_numpy(), index=clock)
        intensity = values.rolling(window, min_periods=5).mean() / median * 100.0
        kind = "speed"
    else:
        return None
    frame = pd.DataFrame(
        {"minute": moving["t_s"].to_numpy() / 60.0, "intensity": intensity.to_numpy()}
    )
    # one point per 10 s is plenty for a 15-minute line and keeps the chart quick to draw
    frame = frame.iloc[:: max(1, len(frame) // 90)].dropna()
    return (kind, frame) if len(frame) >= 2 else None


def _number(value: object, digits: int) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if np.isnan(number) else round(number, digits)


def _nan(value: float | None) -> float:
    return np.nan if value is None else value


def _sport_label(sport: object, sub_sport: object) -> str:
    """A session's sport as a runner reads it: the sub-sport when it names one ("yoga")."""
    chosen = _text(sub_sport) if _text(sub_sport) not in (None, "generic") else _text(sport)
    return (chosen or "unknown").replace("_", " ")


def _text(value: object) -> str | None:
    """A text cell of a frame, None when empty (pandas gives NaN for a missing text)."""
    return value if isinstance(value, str) and value else None
