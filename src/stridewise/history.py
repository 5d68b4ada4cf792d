"""A runner's history, read once from the store for the rules and the report.

``History`` holds the activities (the store's activities frame, each run's shoe resolved), the
per-run metrics, the shoes, the pain journal, daily wellness (resting heart rate, HRV, sleep) and
the profile; from them it derives — lazily, once — the runs table, the maximum and resting heart
rate (given or estimated), the load model and each run's load, and the runner's daily calendar.
``flags`` and the weekly report both evaluate the rules over one ``History``, so they agree.

Per-run metrics are computed by the import pipeline and stored with each activity
(``run_metrics``, keyed by ``METRICS_VERSION``). Reading never writes: an entry that is missing or
of an older version (after an upgrade) is computed in memory and said so (``stale_metrics``);
the next import stores it. The entries do not depend on the profile (see
``stridewise.metrics.run``).

Tests and notebooks build a History from plain DataFrames with ``History.from_frames``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from stridewise.errors import InvalidInput
from stridewise.kinds import RUN, counts_as_training, kind_of
from stridewise.localtime import local_starts
from stridewise.metrics import calendar as calendar_metrics
from stridewise.metrics import form as form_metrics
from stridewise.metrics import training
from stridewise.metrics.heart_rate import (
    MAX_HR_LOOKBACK_DAYS,
    HeartRateHistogram,
    estimate_max_heart_rate,
)
from stridewise.metrics.load import LoadChoice, choose_load_model, load_notes, score_runs
from stridewise.metrics.run import METRICS_VERSION, RUN_METRIC_FIELDS, summarize_run
from stridewise.model import RUNNING_SPORTS, Activity, empty_samples
from stridewise.pain import journal_frame
from stridewise.profile import Profile, with_facts
from stridewise.shoes import ShoeBook
from stridewise.store import ACTIVITY_FRAME_COLUMNS, Store

#: Columns of the shoes frame a History carries.
SHOE_COLUMNS = ("name", "initial_km", "limit_km", "retired")
#: Resting heart rate from daily watch records: the median of this many recent days [days].
RESTING_HR_LOOKBACK_DAYS = 90
RESTING_HR_MIN_DAYS = 3
#: The unit of each profile value an export may fill in.
_FACT_UNITS = {"birth_year": "year", "sex": "", "max_hr": "1/min"}

#: Most variation of a run's 1-minute speeds for it to count as steady running [-].
STEADY_SPEED_CV = 0.10

#: Columns of the daily wellness frame a History carries.
WELLNESS_COLUMNS = ("date", "resting_hr_bpm", "hrv_sdnn_ms", "sleep_s")

ProgressCallback = Callable[[int, int], None]
SamplesLoader = Callable[[int], pd.DataFrame]


class HeartRates(NamedTuple):
    max_hr: float | None  # [1/min]
    max_hr_source: str | None  # "profile" or how it was estimated
    resting_hr: float | None  # [1/min]
    resting_hr_source: str | None
    #: the estimate rests on neither an age nor a hard effort: no load model may depend on it
    max_hr_uncertain: bool = False


@dataclass(eq=False)
class History:
    """Everything the rules and the report read. Build it with ``from_store`` or ``from_frames``.

    - ``activities``: one row per activity (all sports), the columns of
      ``Store.activities_frame``; ``shoe`` is the resolved shoe of each run.
    - ``run_metrics``: per-run metrics by activity id (``RUN_METRIC_FIELDS`` and ``hr_hist``).
    - ``shoes``: ``name``, ``initial_km`` [km], ``limit_km`` [km, NaN = the rule's default],
      ``retired`` (bool).
    - ``wellness``: ``date`` (ISO text), ``resting_hr_bpm`` [1/min], ``hrv_sdnn_ms`` [ms] and
      ``sleep_s`` [s] per day, as a watch recorded them.
    - ``pain``: the journal, ``date`` (datetime.date), ``score`` (0-10), ``note``.
    - ``shoe_book``: the pairs and assignments behind ``shoes`` (for the shoe table of a week).
    - ``samples_loader``: loads one activity's records by id (the report's warm-up chart).
    - ``metric_notes``: runs whose per-run metrics could not all be computed, in words.
    - ``stale_metrics``: how many runs' metrics were computed now because the store held none of
      this version (they are stored by the next import).
    """

    activities: pd.DataFrame
    run_metrics: pd.DataFrame
    profile: Profile = field(default_factory=Profile)
    shoes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SHOE_COLUMNS)))
    wellness: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(WELLNESS_COLUMNS))
    )
    pain: pd.DataFrame = field(default_factory=lambda: journal_frame([]))
    shoe_book: ShoeBook = field(default_factory=lambda: ShoeBook((), {}))
    samples_loader: SamplesLoader | None = None
    metric_notes: list[str] = field(default_factory=list)
    stale_metrics: int = 0
    load_model: str = "auto"
    #: profile values that came from an export rather than the runner's profile: key -> source
    profile_sources: dict[str, str] = field(default_factory=dict)
    #: the heart rates and load model of the whole history, kept by ``truncated`` so that every
    #: week of one history is judged with the same estimates (``flags`` and the report agree)
    pinned: tuple[HeartRates, LoadChoice] | None = None

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_store(
        cls,
        store: Store,
        athlete: str,
        profile: Profile,
        *,
        load_model: str = "auto",
        progress: ProgressCallback | None = None,
    ) -> History:
        """The athlete's whole history, read from the store (never written). Values the profile
        leaves unset are taken from what exports said about the athlete (``profile_sources``
        says which).

        The store's tables go through ``from_frames`` like any other tables (an export's, say),
        so a history is built one way whatever it was read from.
        """
        profile, sources = with_facts(profile, store.athlete_facts(athlete))
        activities = store.activities_frame(athlete, default_timezone=profile.timezone)
        entries, stale = run_metric_entries(store, athlete, activities, progress)
        history = cls.from_frames(
            activities,
            metric_entries=entries,
            shoe_book=ShoeBook.from_store(store, athlete),
            profile=profile,
            wellness=store.wellness_frame(athlete),
            pain=journal_frame(store.pain_entries(athlete)),
            load_model=load_model,
            profile_sources=sources,
        )
        return replace(history, samples_loader=store.load_samples, stale_metrics=stale)

    @classmethod
    def from_frames(
        cls,
        activities: pd.DataFrame,
        *,
        samples: Mapping[int, pd.DataFrame] | None = None,
        run_metrics: pd.DataFrame | None = None,
        shoes: pd.DataFrame | None = None,
        profile: Profile | None = None,
        resting_hr_days: pd.DataFrame | None = None,
        wellness: pd.DataFrame | None = None,
        pain: pd.DataFrame | None = None,
        load_model: str = "auto",
        metric_entries: Mapping[int, dict] | None = None,
        shoe_book: ShoeBook | None = None,
        profile_sources: Mapping[str, str] | None = None,
    ) -> History:
        """A history from plain DataFrames: the store's tables (``from_store``), an export's
        (``stridewise.cohort``), or hand-built ones (tests, notebooks).

        ``activities`` needs ``local_date``, ``local_start``, or ``start_utc`` and
        ``utc_offset_s`` (local time is then computed as the store computes it, a missing offset
        from the profile's time zone); missing columns get defaults: ``id`` 1…n, ``sport``
        "running", ``distance_m`` from ``distance_km``, ``duration_s`` from
        ``timer_s``/``elapsed_s``, ``local_start`` at the local date's midnight. Summary columns
        get one dtype each whatever the source gave (numbers float64, text objects with None).
        ``samples`` (records by activity id) are summarised like the store's;
        ``metric_entries`` are per-run metric entries as the store keeps them (decoded JSON by
        activity id); ``run_metrics`` rows (by activity id) are taken as they are. ``shoe_book``
        (pairs and assignments) resolves each run's shoe as the store's history does; without
        it, ``shoes`` is taken as it is. ``wellness`` (or just ``resting_hr_days``: date,
        resting_hr_bpm) and ``pain`` as in the class docstring; ``profile_sources`` says which
        profile values came from an export (``from_store``).
        """
        frame = _normalise_activities(activities, profile.timezone if profile else None)
        entries = {int(i): summarize_run(s) for i, s in (samples or {}).items()}
        entries.update({int(i): entry for i, entry in (metric_entries or {}).items()})
        metrics = _metrics_frame(entries)
        if run_metrics is not None:
            given = run_metrics.copy()
            if "hr_hist" in given:
                given["hr_hist"] = [
                    h
                    if isinstance(h, HeartRateHistogram | None)
                    else HeartRateHistogram.from_json(h)
                    for h in given["hr_hist"]
                ]
            metrics = given.combine_first(metrics) if len(metrics) else given
            metrics = metrics.reindex(columns=[*RUN_METRIC_FIELDS, "hr_hist"])
        if shoe_book is not None:
            frame, shoe_frame = _resolve_shoes(shoe_book, frame)
        else:
            shoe_frame = (
                pd.DataFrame(columns=list(SHOE_COLUMNS)) if shoes is None else shoes.copy()
            )
            for column, default in (("initial_km", 0.0), ("limit_km", np.nan), ("retired", False)):
                if column not in shoe_frame:
                    shoe_frame[column] = default
        if wellness is None:
            wellness = (
                resting_hr_days if resting_hr_days is not None else pd.DataFrame(columns=["date"])
            )
        wellness = wellness.reindex(columns=list(WELLNESS_COLUMNS))
        if len(wellness):
            wellness["date"] = [str(pd.Timestamp(d).date()) for d in wellness["date"]]
        # a column SQLite returned all NULL arrives as objects; every source gives float64 here
        numbers = list(WELLNESS_COLUMNS[1:])
        wellness[numbers] = wellness[numbers].apply(pd.to_numeric, errors="coerce")
        wellness[numbers] = wellness[numbers].astype("float64")
        return cls(
            activities=frame,
            run_metrics=metrics,
            profile=profile or Profile(),
            shoes=shoe_frame,
            wellness=wellness.reset_index(drop=True),
            pain=pain if pain is not None else journal_frame([]),
            shoe_book=shoe_book if shoe_book is not None else ShoeBook((), {}),
            metric_notes=_metric_notes(entries, frame),
            load_model=load_model,
            profile_sources=dict(profile_sources or {}),
        )

    def truncated(self, until: date) -> History:
        """The history as it stood at the end of local day ``until`` (later activities left out).

        Cut once per day asked for: the report's week and its pain associations both read the
        history as it stood at the week's end, and the cut's runs, loads and calendar are then
        worked out once.
        """
        cut = self._cuts.get(until)
        if cut is None:
            cut = self._cuts[until] = self._cut(until)
        return cut

    @cached_property
    def _cuts(self) -> dict[date, History]:
        return {}

    def _cut(self, until: date) -> History:
        kept = self.activities[self.activities["local_date"] <= until].reset_index(drop=True)
        days = self.wellness
        if len(days):
            days = days[pd.to_datetime(days["date"]) <= pd.Timestamp(until)]
        pinned = self.pinned or (self.heart_rates, self.load_choice)
        return replace(self, activities=kept, wellness=days, pinned=pinned)

    @property
    def resting_hr_days(self) -> pd.DataFrame:
        """Days with a resting heart rate: ``date`` and ``resting_hr_bpm`` [1/min]."""
        return self.wellness.dropna(subset=["resting_hr_bpm"])[["date", "resting_hr_bpm"]]

    def load_samples(self, activity_id: int) -> pd.DataFrame:
        """One activity's records (empty when the history has no store behind it)."""
        if self.samples_loader is None:
            return empty_samples()
        return self.samples_loader(int(activity_id))

    # -- derived, computed once --------------------------------------------------------------
    @cached_property
    def start(self) -> pd.Timestamp | None:
        """First local day of the history (any activity)."""
        days = calendar_metrics.as_days(self.activities["local_date"])
        return None if days.empty else days.min()

    @cached_property
    def end(self) -> pd.Timestamp | None:
        """Last local day of the history."""
        days = calendar_metrics.as_days(self.activities["local_date"])
        return None if days.empty else days.max()

    @cached_property
    def heart_rates(self) -> HeartRates:
        """Maximum and resting heart rate: the profile's, else estimated, else None.

        Estimated once, from the whole history: a truncated history keeps the estimates of the
        one it was cut from, so that every week and every command use the same values.

        Maximum: the 99.5th percentile of the last year's record heart rates (all sports).
        Resting: the median of the watch's daily resting heart rates of the last 90 days (at least
        3); without them it stays unknown — a resting heart rate cannot be read from runs — and
        the load model goes without it (Edwards TRIMP instead of Banister).
        """
        if self.pinned is not None:
            return self.pinned[0]
        profile = self.profile
        max_hr, max_source = (profile.max_hr, "profile") if profile.max_hr else (None, None)
        uncertain = False
        if max_hr is None and self.end is not None:
            days = calendar_metrics.as_days(self.activities["local_date"])
            recent = days > self.end - pd.Timedelta(days=MAX_HR_LOOKBACK_DAYS)
            ids = self.activities.loc[recent.to_numpy(), "id"].astype("int64")
            metrics = self.run_metrics.reindex(ids)
            runs = self.activities[recent.to_numpy() & self.activities["kind"].eq(RUN).to_numpy()]
            steady = self.run_metrics.reindex(runs["id"].astype("int64"))["steady_hr_bpm"]
            estimate = estimate_max_heart_rate(
                metrics["hr_hist"],
                metrics["peak_hr_2min_bpm"].dropna().tolist(),
                float(steady.median()) if steady.notna().any() else None,
                self.age_years,
            )
            if estimate is not None:
                max_hr, max_source, uncertain = estimate.value_bpm, estimate.how, estimate.uncertain
        resting = (profile.resting_hr, "profile") if profile.resting_hr else (None, None)
        if resting[0] is None and len(self.resting_hr_days) and self.end is not None:
            days = self.resting_hr_days.dropna(subset=["resting_hr_bpm"])
            since = self.end - pd.Timedelta(days=RESTING_HR_LOOKBACK_DAYS)
            recent = days[pd.to_datetime(days["date"]) > since]
            if len(recent) >= RESTING_HR_MIN_DAYS:
                resting = (
                    float(recent["resting_hr_bpm"].median()),
                    f"median of {len(recent)} daily resting heart rates recorded by the watch "
                    f"in the last {RESTING_HR_LOOKBACK_DAYS} days",
                )
        return HeartRates(max_hr, max_source, *resting, max_hr_uncertain=uncertain)

    @cached_property
    def age_years(self) -> float | None:
        """The runner's age at the end of the history [years], from the profile's birth year."""
        if self.profile.birth_year is None or self.end is None:
            return None
        return float(self.end.year - self.profile.birth_year)

    @cached_property
    def estimated(self) -> dict[str, dict[str, Any]]:
        """What was estimated rather than given: {"max_hr": {"value", "unit", "how"}, …}."""
        rates = self.heart_rates
        out: dict[str, dict[str, Any]] = {}
        for key, source in self.profile_sources.items():
            out[key] = {
                "value": getattr(self.profile, key),
                "unit": _FACT_UNITS[key],
                "how": f"from your {source} (set it in your profile to change it)",
            }
        if (
            rates.max_hr is not None
            and rates.max_hr_source not in ("profile", None)
            and ("max_hr" not in self.profile_sources)
        ):
            out["max_hr"] = {
                "value": round(rates.max_hr),
                "unit": "1/min",
                "how": rates.max_hr_source,
            }
        if rates.resting_hr is not None and rates.resting_hr_source != "profile":
            out["resting_hr"] = {
                "value": round(rates.resting_hr),
                "unit": "1/min",
                "how": rates.resting_hr_source,
            }
        return out

    @cached_property
    def _runs_without_load(self) -> pd.DataFrame:
        activities = self.activities
        runs = activities[activities["sport"].isin(RUNNING_SPORTS)].copy()
        runs.index = pd.Index(runs["id"].astype("int64"), name="activity_id")
        metrics = self.run_metrics.reindex(runs.index)
        stored_moving = runs["moving_s"].astype("float64") if "moving_s" in runs else None
        for column in RUN_METRIC_FIELDS:
            runs[column] = metrics[column].astype("float64")
        if stored_moving is not None:
            # the moving time stored at import: the device's where its file wrote one, else the
            # records' (metrics.records); the records' for activities stored before it was kept
            runs["moving_s"] = stored_moving.fillna(runs["moving_s"])
        runs["hr_hist"] = [
            h if isinstance(h, HeartRateHistogram) else None for h in metrics["hr_hist"]
        ]
        runs["day"] = calendar_metrics.as_days(runs["local_date"]).to_numpy()
        runs["start"] = pd.to_datetime(runs["local_start"])
        runs["distance_km"] = runs["distance_m"].astype("float64") / 1000.0
        runs["duration_s"] = runs["duration_s"].astype("float64")
        runs["has_heart_rate"] = (
            runs["hr_seconds"].fillna(0).gt(60) | runs["avg_heart_rate_bpm"].notna()
        )
        # one surface per activity, decided at import (or by the runner) and used everywhere
        runs["surface"] = runs["surface"].fillna("unknown")
        return runs.sort_values(["start", "id"], kind="stable")

    @cached_property
    def load_choice(self) -> LoadChoice:
        """The load model and why (``auto`` picks the best the data supports); chosen once, from
        the whole history, like the heart rates."""
        if self.pinned is not None:
            return self.pinned[1]
        rates = self.heart_rates
        return choose_load_model(
            self._runs_without_load,
            requested=self.load_model,
            max_hr=None if rates.max_hr_uncertain else rates.max_hr,
            resting_hr=rates.resting_hr,
            threshold_pace_s_per_km=self.profile.threshold_pace_s_per_km,
            max_hr_estimated=rates.max_hr_source not in (None, "profile"),
        )

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per run (running only), oldest first, indexed by activity id.

        Beside the activity columns: ``day`` (local day, datetime64), ``start`` (local start),
        ``distance_km`` [km], ``duration_s`` [s], the cached per-run metrics, ``has_heart_rate``,
        the resolved ``surface``/``surface_source`` and ``load`` [unit of ``load_choice``].
        """
        runs = self._runs_without_load.copy()
        rates = self.heart_rates
        runs["load"], runs["load_how"] = score_runs(
            runs,
            self.load_choice.model,
            max_hr=rates.max_hr,
            resting_hr=rates.resting_hr,
            sex=self.profile.sex,
            threshold_pace_s_per_km=self.profile.threshold_pace_s_per_km,
        )
        return runs

    @property
    def load_notes(self) -> list[str]:
        """How many runs' loads were estimated, and how (empty when none were)."""
        choice = self.load_choice
        return load_notes(self.runs["load_how"], choice.model, choice.unit)

    @cached_property
    def calendar(self) -> pd.DataFrame:
        """One row per local day from the first to the last day of the history.

        Columns of ``running_calendar`` plus ``load`` (daily load, zero-filled) and ``trail_km``
        [km] (distance on trail, explicit or inferred).
        """
        if self.start is None:
            columns = ["runs", "distance_km", "duration_s", "longest_km", "ran", "trained",
                       "rest", "cross_only", "streak", "rest_days_7", "load",
                       "trail_km"]  # fmt: skip
            empty = pd.DatetimeIndex([], name="day")
            return pd.DataFrame({c: pd.Series(dtype="float64", index=empty) for c in columns})
        runs = self.runs
        activities = self.activities
        other_training = activities[
            activities["kind"].map(counts_as_training).astype(bool) & ~activities["kind"].eq(RUN)
        ]
        daily = calendar_metrics.running_calendar(
            runs, self.start, self.end, calendar_metrics.as_days(other_training["local_date"])
        )
        daily["load"] = training.daily_load(runs["day"], runs["load"], self.start, self.end)
        trail = runs[runs["surface"] == "trail"]
        daily["trail_km"] = (
            trail.groupby("day")["distance_km"].sum().reindex(daily.index, fill_value=0.0)
        )
        return daily


# -- functions for the report -------------------------------------------------------------------
def daily_load(history: History) -> pd.Series:
    """Load per local day, zero-filled [unit: ``history.load_choice.unit``]."""
    return history.calendar["load"]


def pmc(history: History) -> pd.DataFrame:
    """CTL/ATL/TSB/ramp of the daily load (``stridewise.metrics.training.PMC_CONVENTION``)."""
    return training.pmc(daily_load(history))


def acute_chronic(history: History) -> pd.DataFrame:
    """Acute (7-day) and uncoupled chronic load, EWMA loads and their ratios, per day."""
    return training.acute_chronic(daily_load(history))


def monotony(history: History) -> pd.DataFrame:
    """Foster monotony and strain of each 7-day window, per day."""
    return training.foster_monotony(daily_load(history))


def weekly_totals(history: History) -> pd.DataFrame:
    """Distance, time, runs, rest days and longest run per ISO week (local Monday first)."""
    return calendar_metrics.weekly_totals(history.calendar)


def rest_calendar(history: History) -> pd.DataFrame:
    """Per local day: whether it was a rest day, the running streak and rest days in 7."""
    return history.calendar[["runs", "rest", "streak", "rest_days_7"]]


def cadence_vs_baseline(
    history: History, window_days: int = form_metrics.BASELINE_DAYS, min_runs: int = 8
) -> pd.DataFrame:
    """Each run's cadence [1/min] beside its speed-matched baseline (``cadence_baseline``).

    A run's cadence is its records' median, else its summary's average cadence; its speed the
    records' median moving speed, else distance / duration.
    """
    runs = history.runs
    average_speed = runs["distance_km"] * 1000.0 / runs["duration_s"]
    frame = pd.DataFrame(
        {
            "day": runs["day"],
            "start": runs["start"],
            "cadence_spm": runs["cadence_spm"]
            .astype("float64")
            .fillna(runs["avg_cadence_spm"].astype("float64")),
            "speed_mps": runs["speed_mps"].fillna(average_speed).astype("float64"),
        }
    )
    return frame.join(form_metrics.cadence_baseline(frame, window_days, min_runs))


def balance_vs_baseline(
    history: History, window_days: int = form_metrics.BASELINE_DAYS, min_runs: int = 5
) -> pd.DataFrame:
    """Each steady run's ground-contact balance [% left] (on level ground) beside the median of
    the previous steady runs. A run is steady when its 1-minute speeds vary by at most
    ``STEADY_SPEED_CV`` (intervals and hills change the balance for reasons of their own)."""
    runs = history.runs
    steady = runs["steady_speed_cv"].le(STEADY_SPEED_CV)
    frame = pd.DataFrame(
        {"day": runs["day"], "start": runs["start"], "balance_pct": runs["balance_pct"]}
    )[steady].dropna(subset=["balance_pct"])
    return frame.join(form_metrics.balance_baseline(frame, window_days, min_runs))


# -- assembling -------------------------------------------------------------------------------
def _normalise_activities(activities: pd.DataFrame, default_timezone: str | None) -> pd.DataFrame:
    """An activities frame completed to the columns the store's frame has, with one dtype per
    summary column, oldest first (by UTC start where known, as the store orders them)."""
    frame = activities.copy().reset_index(drop=True)
    if "id" not in frame:
        frame["id"] = np.arange(1, len(frame) + 1)
    if "start_utc" in frame:
        frame["start_utc"] = pd.to_datetime(frame["start_utc"], utc=True, format="ISO8601")
    if "local_start" not in frame:
        if "local_date" in frame:
            frame["local_start"] = pd.to_datetime(frame["local_date"])  # midnight
        elif "start_utc" in frame:
            offsets = frame.get("utc_offset_s", pd.Series(np.nan, index=frame.index))
            frame["local_start"] = local_starts(frame["start_utc"], offsets, default_timezone)
        else:
            raise InvalidInput("an activities frame needs local_date, local_start or start_utc")
    frame["local_start"] = pd.to_datetime(frame["local_start"])
    if "local_date" not in frame:
        frame["local_date"] = frame["local_start"]
    frame["local_date"] = calendar_metrics.as_days(frame["local_date"]).dt.date
    if "distance_m" not in frame:
        frame["distance_m"] = frame["distance_km"] * 1000.0 if "distance_km" in frame else np.nan
    if "duration_s" not in frame:
        timer = frame.get("timer_s", pd.Series(np.nan, index=frame.index))
        frame["duration_s"] = timer.fillna(frame.get("elapsed_s", np.nan))
    defaults: dict[str, Any] = {
        "sport": "running",
        "surface": "unknown",
        "surface_source": None,
        "altitude_source": None,
        "shoe": None,
        "rpe": np.nan,
        "avg_heart_rate_bpm": np.nan,
        "avg_cadence_spm": np.nan,
        "n_samples": 0,
    }
    for column, default in defaults.items():
        if column not in frame:
            frame[column] = default
        elif isinstance(default, str):  # rows of a frame concatenated from several
            frame[column] = frame[column].fillna(default)
    frame["id"] = frame["id"].astype("int64")
    frame = _with_kinds(_summary_dtypes(frame))
    known = [column for column in ACTIVITY_FRAME_COLUMNS if column in frame]
    frame = frame[known + [column for column in frame.columns if column not in known]]
    order = ["start_utc", "id"] if "start_utc" in frame else ["local_start", "id"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


#: How each summary column of an activity is held: the Activity dataclass's field types.
_NUMBER_FIELDS = frozenset(
    f.name
    for f in fields(Activity)
    if str(f.type).split(" | ")[0] in ("float", "int") and f.name not in ("id", "source_index")
)
_TEXT_FIELDS = frozenset(
    f.name for f in fields(Activity) if str(f.type).split(" | ")[0] == "str"
)


def _summary_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Optional numbers as float64 and text as objects (None where missing), whatever dtype the
    source chose: SQLite returns an all-NULL column as objects, Parquet and Spark as floats or
    strings. The rules then read the same frame from every source."""
    for column in frame.columns:
        if column in _NUMBER_FIELDS or column == "duration_s":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column == "n_samples":
            frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
        elif column in _TEXT_FIELDS:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


def _with_kinds(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``kind`` (``stridewise.kinds``) from sport and sub-sport."""
    sub_sports = frame["sub_sport"] if "sub_sport" in frame else [None] * len(frame)
    frame["kind"] = [
        kind_of(sport, sub if isinstance(sub, str) else None)
        for sport, sub in zip(frame["sport"], sub_sports, strict=True)
    ]
    return frame


def _metrics_frame(entries: Mapping[int, dict]) -> pd.DataFrame:
    columns = [*RUN_METRIC_FIELDS, "hr_hist"]
    if not entries:
        return pd.DataFrame(columns=columns, index=pd.Index([], dtype="int64", name="activity_id"))
    frame = pd.DataFrame.from_dict(entries, orient="index").reindex(columns=columns)
    frame[list(RUN_METRIC_FIELDS)] = frame[list(RUN_METRIC_FIELDS)].astype("float64")
    frame["hr_hist"] = [HeartRateHistogram.from_json(h) for h in frame["hr_hist"]]
    frame.index = frame.index.astype("int64").rename("activity_id")
    return frame.sort_index()  # whatever order the entries came in


def run_metric_entries(
    store: Store,
    athlete: str,
    activities: pd.DataFrame,
    progress: ProgressCallback | None = None,
) -> tuple[dict[int, dict], int]:
    """The stored per-run metrics (decoded entries by activity id) of the athlete, computing in
    memory (never storing) those of activities with records that the store lacks in this
    version; and how many that were. ``activities``: the store's activities frame."""
    texts = store.run_metrics_entries(athlete, METRICS_VERSION)
    entries = {activity_id: json.loads(text) for activity_id, text in texts.items()}
    with_records = activities.loc[activities["n_samples"] > 0, "id"].astype(int)
    missing = [i for i in with_records if i not in entries]
    for done, activity_id in enumerate(missing, start=1):
        entries[activity_id] = summarize_run(store.load_sample_table(activity_id))
        if progress:
            progress(done, len(missing))
    return entries, len(missing)


def _metric_notes(entries: Mapping[int, dict], activities: pd.DataFrame) -> list[str]:
    """One line per activity whose per-run metrics could not all be computed."""
    sources = activities.get("source_name", pd.Series(None, index=activities.index))
    names = dict(zip(activities["id"].astype(int), sources, strict=True))
    days = dict(zip(activities["id"].astype(int), activities["local_date"], strict=True))
    notes = []
    for activity_id, entry in sorted(entries.items()):
        errors = entry.get("errors") if isinstance(entry, dict) else None
        if errors:
            what = ", ".join(sorted(errors))
            verb = "is" if len(errors) == 1 else "are"
            notes.append(
                f"activity {activity_id} ({days.get(activity_id)}, {names.get(activity_id)}): "
                f"{what} could not be computed from its records and {verb} left out"
            )
    return notes


def _resolve_shoes(book: ShoeBook, activities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each run's resolved shoe (assignments, source names, defaults) and the shoes frame."""
    worn = book.worn(activities)
    activities = activities.copy()
    activities["shoe"] = (
        activities["id"]
        .map(worn)
        .where(activities["sport"].isin(RUNNING_SPORTS), activities["shoe"])
    )
    shoes = pd.DataFrame(
        [
            {
                "name": shoe.name,
                "initial_km": float(shoe.initial_km or 0.0),
                "limit_km": float(shoe.limit_km) if shoe.limit_km else np.nan,
                "retired": shoe.retired_on is not None,
            }
            for shoe in book.shoes
        ],
        columns=list(SHOE_COLUMNS),
    )
    return activities, shoes
