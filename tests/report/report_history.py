"""A small runner's history in a real store, for the report tests (imported by conftest.py).

Fourteen weeks of runs up to Sunday 2026-11-22 (the report week 2026-W47), four a week with two
or three rest days, per-second records (heart rate, cadence, ground-contact balance) for the last
five weeks, one pair of shoes as the default, a few back-pain entries; beside the runs a strength
session every Monday evening and yoga on some Saturdays, and a watch's daily resting heart rate and
sleep. The report week is made to
raise known flags: a long run far beyond the previous 30 days (session_spike) that starts hard
(warmup: faster and at a higher heart rate than the runner's easy running). "Today" is
Wednesday 2026-11-25, so W47 is the last complete week.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from stridewise.importers.exports import WellnessDay
from stridewise.model import Activity
from stridewise.pain import add_pain
from stridewise.profile import Profile
from stridewise.shoes import add_shoe
from stridewise.store import Store

ATHLETE = "me"
TODAY = date(2026, 11, 25)
REPORT_WEEK = "2026-W47"
REPORT_MONDAY = date(2026, 11, 16)
FIRST_MONDAY = date(2026, 8, 17)  # 14 weeks before the report week ends
RECORDS_FROM = date(2026, 10, 19)
#: Weekly plan: weekday -> distance [km]; the other days are rest days.
PLAN = {0: 6.0, 2: 8.0, 4: 6.0, 6: 12.0}
#: The report week's long run: twice the longest of the 30 days before.
SPIKE_KM = 25.0
OFFSET_S = 3600  # Europe/Amsterdam in winter

PROFILE = Profile(
    sex="female", max_hr=190.0, resting_hr=50.0, timezone="Europe/Amsterdam", units="metric"
)


def run_records(
    start_utc: datetime,
    km: float,
    pace_s_per_km: float,
    rng: np.random.Generator,
    hard_start: bool = False,
) -> pd.DataFrame:
    """Per-second records of a steady run: speed, distance, heart rate, cadence, balance."""
    seconds = np.arange(0.0, km * pace_s_per_km)
    speed = 1000.0 / pace_s_per_km + rng.normal(0, 0.05, len(seconds))
    if hard_start:  # fast and hard in the first 10 minutes, then steady
        speed = np.where(seconds < 600, speed + 0.4, speed)
        heart_rate = np.where(seconds < 600, 176.0, 150.0) + rng.normal(0, 1.5, len(seconds))
    else:
        heart_rate = np.minimum(105 + 45 * seconds / 480.0, 150.0) + rng.normal(
            0, 1.5, len(seconds)
        )
    frame = pd.DataFrame(
        {
            "distance_m": np.concatenate([[0.0], np.cumsum(speed[:-1])]),
            "speed_mps": speed,
            "heart_rate_bpm": heart_rate,
            "cadence_spm": 170 + rng.normal(0, 1.0, len(seconds)),
            "stance_time_balance_pct": 50.4 + rng.normal(0, 0.3, len(seconds)),
            "altitude_m": 10 + 0.5 * np.sin(seconds / 300.0),
        },
        index=pd.DatetimeIndex(
            pd.Timestamp(start_utc) + pd.to_timedelta(seconds, unit="s"), name="time"
        ),
    )
    return frame


def make_run(
    day: date,
    km: float,
    *,
    records: bool,
    rng: np.random.Generator,
    hard_start: bool = False,
    surface: str = "road",
    sport: str = "running",
    sub_sport: str | None = None,
) -> Activity:
    start = datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)  # 07:30 local
    pace = 330.0
    samples = run_records(start, km, pace, rng, hard_start) if records else None
    activity = Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_utc=start,
        surface=surface,
        surface_source="file" if surface != "unknown" else None,
        utc_offset_s=OFFSET_S,
        elapsed_s=km * pace,
        timer_s=km * pace,
        distance_m=km * 1000.0,
        avg_heart_rate_bpm=148.0,
        avg_cadence_spm=170.0,
        source_name=f"{day.isoformat()}-{sub_sport or sport}.fit",
        source_format="fit",
        source_sha256=f"{day.isoformat()}-{sub_sport or sport}",
    )
    if samples is not None:
        activity.samples = samples
    return activity


def fill_store(
    store: Store,
    *,
    spike: bool = True,
    shoes: bool = True,
    pain: bool = True,
    wellness: bool = True,
) -> None:
    """The history described in the module text."""
    rng = np.random.default_rng(47)
    day = FIRST_MONDAY
    last = REPORT_MONDAY + timedelta(days=6)
    while day <= last:
        km = PLAN.get(day.weekday())
        if km is not None:
            in_report_week = day >= REPORT_MONDAY
            long_run = spike and in_report_week and day.weekday() == 6
            activity = make_run(
                day,
                SPIKE_KM if long_run else km,
                records=day >= RECORDS_FROM,
                rng=rng,
                hard_start=long_run,
                surface="trail" if day.weekday() == 2 and day.month == 11 else "road",
            )
            store.save_file(ATHLETE, activity.source_name, activity.source_sha256, [activity])
        day += timedelta(days=1)
    bike = make_run(
        REPORT_MONDAY + timedelta(days=1), 30.0, records=False, rng=rng, sport="cycling"
    )
    store.save_file(ATHLETE, bike.source_name, bike.source_sha256, [bike])
    day = FIRST_MONDAY
    while day <= last:
        # strength work on Monday evenings (after the run: no rest day lost) and yoga on every
        # other Saturday (mobility work keeps a rest day a rest day)
        kind = {0: "strength_training", 5: "yoga" if day.isocalendar()[1] % 2 else None}
        sub_sport = kind.get(day.weekday())
        if sub_sport:
            # 25 minutes: make_run's 330 s a "km" gives 4.545 "km" -> 25 min, no distance kept
            session = make_run(
                day, 1500 / 330, records=False, rng=rng, sport="training", sub_sport=sub_sport
            )
            session.distance_m = None
            session.start_utc += timedelta(hours=11)  # 18:30 local
            store.save_file(ATHLETE, session.source_name, session.source_sha256, [session])
        day += timedelta(days=1)
    wellness_days = []
    day = FIRST_MONDAY - timedelta(days=60)
    while day <= last:
        resting = 50.0 + float(rng.normal(0, 1.0))
        if day >= REPORT_MONDAY - timedelta(days=2):
            resting += 6.0  # a rise before the long run: resting_hr_rise
        wellness_days.append(
            WellnessDay(
                date=day.isoformat(),
                resting_hr_bpm=round(resting),
                hrv_sdnn_ms=None,
                sleep_s=3600.0 * (7.4 + float(rng.normal(0, 0.4))),
            )
        )
        day += timedelta(days=1)
    if wellness:
        store.save_wellness(ATHLETE, wellness_days, "test watch")
    if shoes:
        add_shoe(
            store,
            ATHLETE,
            "Pegasus 40",
            initial_km=350.0,
            limit_km=700.0,
            default=True,
            since=FIRST_MONDAY,
        )
    if pain:
        for offset, score in ((2, 2), (5, 1), (9, 3), (13, 4)):
            add_pain(
                store,
                ATHLETE,
                REPORT_MONDAY - timedelta(days=7) + timedelta(days=offset),
                score,
                "stiff in the morning" if score > 2 else None,
            )
