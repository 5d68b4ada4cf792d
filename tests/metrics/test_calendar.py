from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from stridewise.history import History, weekly_totals
from stridewise.metrics.calendar import iso_week_label, running_calendar
from stridewise.model import Activity
from stridewise.profile import Profile
from stridewise.store import Store


def local_run(store: Store, wall_clock: str, zone: str, km: float, index: int) -> None:
    local = datetime.fromisoformat(wall_clock).replace(tzinfo=ZoneInfo(zone))
    activity = Activity(
        sport="running",
        start_utc=local.astimezone(ZoneInfo("UTC")),
        utc_offset_s=int(local.utcoffset().total_seconds()),
        distance_m=km * 1000,
        timer_s=km * 330,
        source_name="log.csv",
        source_format="csv",
        source_sha256=f"sha{index}",
        source_index=index,
    )
    store.save_file("me", "log.csv", f"sha{index}", [activity])


def test_week_boundaries_follow_the_runners_local_sunday(tmp_path):
    with Store(tmp_path / "weeks.db") as store:
        local_run(store, "2026-02-23T07:00", "Pacific/Auckland", 5.0, 0)  # Monday of W09
        # Sunday 23:30 in Auckland (UTC+13) is Sunday 10:30 UTC: still W09
        local_run(store, "2026-03-01T23:30", "Pacific/Auckland", 10.0, 1)
        # Monday 00:30 in Auckland is Sunday 11:30 UTC, but the runner's Monday: W10
        local_run(store, "2026-03-02T00:30", "Pacific/Auckland", 3.0, 2)
        # Sunday 22:00 in Los Angeles (PDT, UTC-7) is Monday 05:00 UTC: still W10
        local_run(store, "2026-03-08T22:00", "America/Los_Angeles", 12.0, 3)
        local_run(store, "2026-03-09T07:00", "America/Los_Angeles", 4.0, 4)  # Monday of W11
        frame = store.activities_frame("me")
        assert frame["start_utc"].iloc[3].day_name() == "Monday"
        totals = weekly_totals(History.from_store(store, "me", Profile()))
    assert totals.set_index("week")["distance_km"].to_dict() == {
        "2026-W09": 15.0,
        "2026-W10": 15.0,
        "2026-W11": 4.0,
    }
    assert totals.index[0] == pd.Timestamp("2026-02-23")  # weeks start on Monday


def test_iso_week_label_at_a_year_boundary():
    assert iso_week_label(pd.Timestamp("2026-12-31")) == "2026-W53"
    assert iso_week_label(pd.Timestamp("2027-01-03")) == "2026-W53"
    assert iso_week_label(pd.Timestamp("2027-01-04")) == "2027-W01"


def test_rest_days_and_streaks_on_local_days():
    days = pd.to_datetime(
        [
            "2026-01-05",
            "2026-01-06",
            "2026-01-06",
            "2026-01-07",
            "2026-01-09",
            "2026-01-10",
            "2026-01-11",
            "2026-01-12",
        ]
    )
    runs = pd.DataFrame({"day": days, "distance_km": 5.0, "duration_s": 1800.0})
    daily = running_calendar(runs, pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-13"))
    assert daily["runs"].tolist() == [1, 2, 1, 0, 1, 1, 1, 1, 0]
    assert daily["streak"].tolist() == [1, 2, 3, 0, 1, 2, 3, 4, 0]
    assert daily["rest"].tolist() == [False, False, False, True] + [False] * 4 + [True]
    # rest days in the 7 days ending each day: unknown before a full week
    assert daily["rest_days_7"].isna().sum() == 6
    assert daily["rest_days_7"].iloc[6] == 1.0  # Jan 5-11: only the 8th
    assert daily["rest_days_7"].iloc[8] == 2.0  # Jan 7-13: the 8th and the 13th
    assert daily.loc["2026-01-06", "distance_km"] == 10.0
    assert daily.loc["2026-01-06", "longest_km"] == 5.0


def test_history_from_frames_derives_local_dates_from_utc_and_offset():
    frame = pd.DataFrame(
        {
            "start_utc": [pd.Timestamp("2026-03-09T05:00:00Z")],
            "utc_offset_s": [-7 * 3600],
            "distance_km": [12.0],
            "duration_s": [4000.0],
        }
    )
    history = History.from_frames(frame)
    assert history.runs["day"].iloc[0] == pd.Timestamp("2026-03-08")
    assert history.activities["local_date"].iloc[0] == date(2026, 3, 8)
