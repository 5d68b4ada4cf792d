"""Sessions added by hand (``stridewise.manual``): the activity each word stands for, its local
start, the one-line refusals, and how it meets recordings of the same session in the store."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from exports import Run, fit_bytes

from stridewise.errors import InvalidInput
from stridewise.history import History
from stridewise.kinds import CROSS, MOBILITY, OTHER, RUN, SESSION_SPORTS, STRENGTH
from stridewise.manual import SOURCE_NAME, ManualSession, add_session, manual_activity
from stridewise.pipeline import import_paths
from stridewise.profile import Profile
from stridewise.store import Store

#: The present of these tests: 2026-06-10 15:00 in Amsterdam (CEST, UTC+2).
NOW = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)
ZONE = "Europe/Amsterdam"


def session(sport: str = "core", **values) -> ManualSession:
    return ManualSession(**{"day": date(2026, 6, 8), "sport": sport, "minutes": 15.0, **values})


def build(sport: str = "core", zone: str | None = ZONE, **values):
    return manual_activity(session(sport, **values), zone=zone, now=NOW)


def refusal(**values) -> str:
    with pytest.raises(InvalidInput) as caught:
        build(**values)
    return str(caught.value)


# --- the activity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "sport", "sub_sport", "surface", "kind"),
    [
        ("run", "running", None, "unknown", RUN),
        ("treadmill", "running", "treadmill", "treadmill", RUN),
        ("trail", "running", "trail", "trail", RUN),
        ("strength", "training", "strength_training", "unknown", STRENGTH),
        ("core", "training", "core_training", "unknown", STRENGTH),
        ("mobility", "training", "mobility", "unknown", MOBILITY),
        ("yoga", "training", "yoga", "unknown", MOBILITY),
        ("pilates", "training", "pilates", "unknown", MOBILITY),
        ("tai_chi", "training", "tai_chi", "unknown", MOBILITY),
        ("stretching", "training", "flexibility_training", "unknown", MOBILITY),
        ("breathwork", "training", "breathing", "unknown", MOBILITY),
        ("physio", "physio", None, "unknown", OTHER),
        ("ride", "cycling", None, "unknown", CROSS),
        ("swim", "swimming", None, "unknown", CROSS),
        ("row", "rowing", None, "unknown", CROSS),
        ("elliptical", "fitness_equipment", "elliptical", "unknown", CROSS),
        ("walk", "walking", None, "unknown", CROSS),
        ("hike", "hiking", None, "unknown", CROSS),
        ("other", "other", None, "unknown", OTHER),
    ],
)
def test_each_sport_word_stands_for_fit_names_and_a_kind(word, sport, sub_sport, surface, kind):
    activity = build(word)
    assert (activity.sport, activity.sub_sport, activity.surface) == (sport, sub_sport, surface)
    assert activity.surface_source == (None if surface == "unknown" else "user")
    assert SESSION_SPORTS[word].kind == kind


def test_every_sport_word_is_tested():
    tested = {"run", "treadmill", "trail", "strength", "core", "mobility", "yoga", "pilates"}
    tested |= {"tai_chi", "stretching", "breathwork", "physio", "ride", "swim", "row"}
    tested |= {"elliptical", "walk", "hike", "other"}
    assert set(SESSION_SPORTS) == tested


def test_a_session_starts_at_local_noon_in_the_profiles_zone():
    activity = build(km=None, rpe=7.0, note="  plank, dead bug  ")
    assert activity.start_utc == datetime(2026, 6, 8, 10, 0, tzinfo=UTC)  # 12:00 CEST
    assert activity.utc_offset_s == 7200
    assert (activity.elapsed_s, activity.timer_s, activity.distance_m) == (900.0, 900.0, None)
    assert (activity.rpe, activity.notes) == (7.0, "plank, dead bug")
    assert (activity.source_name, activity.source_format) == (SOURCE_NAME, "manual")
    assert not activity.has_records


def test_a_time_of_day_places_it():
    activity = build(time_of_day=time(6, 30), day=date(2026, 1, 15))
    assert activity.start_utc == datetime(2026, 1, 15, 5, 30, tzinfo=UTC)  # CET in winter
    assert activity.utc_offset_s == 3600


def test_without_a_zone_the_computers_zone_places_it(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        activity = build(zone=None)
    finally:
        monkeypatch.undo()
        clock.tzset()
    assert activity.start_utc == datetime(2026, 6, 8, 16, 0, tzinfo=UTC)  # 12:00 EDT
    assert activity.utc_offset_s == -4 * 3600


def test_a_distance_for_a_run_and_none_for_yoga():
    assert build("treadmill", minutes=42.0, km=8.0).distance_m == 8000.0
    assert build("yoga", km=0.0).distance_m is None  # zero says nothing


def test_two_sessions_typed_alike_have_keys_of_their_own():
    assert build().source_sha256 != build().source_sha256


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"sport": "zumba"},
            "unknown sport 'zumba': choose one of run, treadmill, trail, strength, core, "
            "mobility, yoga, pilates, tai_chi, stretching, breathwork, physio, ride, swim, row, "
            "elliptical, walk, hike, other",
        ),
        ({"minutes": 0.0}, "minutes must be more than 0 and at most 1440 (a day); got 0"),
        ({"minutes": -5.0}, "minutes must be more than 0 and at most 1440 (a day); got -5"),
        ({"minutes": 1441.0}, "minutes must be more than 0 and at most 1440 (a day); got 1441"),
        (
            {"minutes": float("nan")},
            "minutes must be more than 0 and at most 1440 (a day); got nan",
        ),
        ({"sport": "run", "km": -1.0}, "km must be 0 or more; got -1"),
        ({"sport": "yoga", "km": 2.0}, "a yoga session covers no distance: leave out km"),
        (
            {"sport": "run", "minutes": 10.0, "km": 25.0},
            "25 km in 10 min is 150 km/h, faster than anyone goes in a run session; check km "
            "and minutes",
        ),
        ({"rpe": 11.0}, "RPE must be from 0 to 10 (the CR-10 scale); got 11"),
        ({"rpe": -1.0}, "RPE must be from 0 to 10 (the CR-10 scale); got -1"),
        (
            {"day": date(2026, 6, 11)},
            "2026-06-11 is in the future (today is 2026-06-10); add a session once it happened",
        ),
        ({"day": date(1989, 12, 31)}, "1989-12-31 is before 1990; is the year right?"),
        (
            {"day": date(2026, 6, 10), "time_of_day": time(16, 0)},
            "16:00 on 2026-06-10 is still to come; add a session once it happened",
        ),
    ],
)
def test_refusals_are_one_line(values, message):
    assert refusal(**values) == message


def test_today_without_a_time_is_not_refused_though_noon_is_still_to_come():
    early = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)  # 07:00 in Amsterdam
    activity = manual_activity(session(day=date(2026, 6, 10)), zone=ZONE, now=early)
    assert activity.start_utc == datetime(2026, 6, 10, 10, 0, tzinfo=UTC)


def test_today_is_the_runners_day_not_utcs():
    late = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)  # already 00:30 on the 11th in Amsterdam
    activity = manual_activity(session(day=date(2026, 6, 11)), zone=ZONE, now=late)
    assert activity.local_start.date() == date(2026, 6, 11)


# --- in the store -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "sw.db")


def watch_run(tmp_path: Path, start: datetime, name: str = "watch.fit") -> Path:
    """A 10 km run recorded by a watch (records, heart rate), in Amsterdam's summer time."""
    path = tmp_path / name
    path.write_bytes(fit_bytes(Run(start, 3000, 10000.0)))
    return path


def add(store: Store, **values):
    return add_session(store, "me", session(**values), zone=ZONE, now=NOW)


def test_adding_stores_an_activity_and_logs_it(store):
    outcome = add(store, rpe=5.0)
    assert (outcome.added, outcome.changed) == (True, ())
    row = store.activity_row("me", outcome.activity_id)
    assert (row["sport"], row["sub_sport"], row["source_format"]) == (
        "training",
        "core_training",
        "manual",
    )
    assert row["n_samples"] == 0
    log = store.import_log("me")
    assert log[["path", "outcome"]].values.tolist() == [
        ["activities add 2026-06-08 core", "imported"]
    ]


def test_another_athlete_keeps_it(store):
    add_session(store, "anna", session(), zone=ZONE, now=NOW)
    assert (store.count_activities("anna"), store.count_activities("me")) == (1, 0)


def test_a_run_added_at_the_time_a_watch_recorded_it_is_stored_once(store, tmp_path):
    import_paths(store, [watch_run(tmp_path, datetime(2026, 6, 8, 5, 0, tzinfo=UTC))])
    outcome = add(
        store,
        sport="run",
        minutes=50.0,
        km=10.0,
        rpe=6.0,
        note="legs heavy",
        time_of_day=time(7, 1),
    )
    assert (outcome.added, outcome.same_as) == (False, "watch.fit")
    assert set(outcome.changed) == {"rpe", "notes"}
    assert store.count_activities("me") == 1
    row = store.activity_row("me", outcome.activity_id)
    assert (row["rpe"], row["notes"], row["n_samples"] > 0) == (6.0, "legs heavy", True)


def test_a_run_added_without_a_time_on_a_day_a_watch_recorded_one_stays_apart(store, tmp_path):
    import_paths(store, [watch_run(tmp_path, datetime(2026, 6, 8, 5, 0, tzinfo=UTC))])
    outcome = add(store, sport="run", minutes=50.0, km=10.0)  # noon: a second run that day
    assert outcome.added
    assert store.count_activities("me") == 2


def test_a_strength_session_at_a_runs_time_is_not_that_run(store, tmp_path):
    import_paths(store, [watch_run(tmp_path, datetime(2026, 6, 8, 5, 0, tzinfo=UTC))])
    outcome = add(store, sport="strength", minutes=50.0, time_of_day=time(7, 0))
    assert outcome.added
    assert store.count_activities("me") == 2


def test_the_same_session_added_twice_is_stored_once(store):
    first = add(store)
    second = add(store)
    assert (second.added, second.activity_id, second.changed) == (False, first.activity_id, ())
    assert second.same_as == SOURCE_NAME
    assert store.count_activities("me") == 1


def test_a_watch_recording_imported_later_takes_the_added_runs_place(store, tmp_path):
    added = add(store, sport="run", minutes=50.0, km=10.0, rpe=6.0, time_of_day=time(7, 0))
    report = import_paths(store, [watch_run(tmp_path, datetime(2026, 6, 8, 5, 0, tzinfo=UTC))])
    assert (report.imported, report.replaced) == (0, 1)
    row = store.activity_row("me", added.activity_id)
    assert (row["source_name"], row["rpe"], row["n_samples"] > 0) == ("watch.fit", 6.0, True)


def test_a_run_removed_earlier_may_be_added_again_by_hand(store, tmp_path):
    import_paths(store, [watch_run(tmp_path, datetime(2026, 6, 8, 5, 0, tzinfo=UTC))])
    [stored_id] = store.activity_ids("me")
    store.remove_activities("me", [stored_id])
    outcome = add(store, sport="run", minutes=50.0, km=10.0, time_of_day=time(7, 0))
    assert outcome.added
    assert store.count_activities("me") == 1


def test_runs_added_by_hand_count_in_load_and_distance(store, tmp_path):
    """Watch runs of 10 km in 50 min, and two runs added by hand: 8 km with an RPE, and 30
    minutes without a distance. The load model is distance (no maximum heart rate is known):
    the second gets the median 0.2 km per minute of the others x 30 min, said in the notes."""
    for day in (1, 3, 5):
        start = datetime(2026, 6, day, 5, 0, tzinfo=UTC)
        import_paths(store, [watch_run(tmp_path, start, f"run{day}.fit")])
    with_km = add(store, sport="treadmill", day=date(2026, 6, 7), minutes=40.0, km=8.0, rpe=6.0)
    minutes_only = add(store, sport="run", day=date(2026, 6, 8), minutes=30.0)
    strength = add(store, sport="strength", day=date(2026, 6, 9), minutes=30.0)
    history = History.from_store(store, "me", Profile(timezone=ZONE))
    runs = history.runs
    assert history.load_choice.model == "distance"
    assert runs.loc[with_km.activity_id, ["distance_km", "load"]].tolist() == [8.0, 8.0]
    assert runs.loc[minutes_only.activity_id, "load"] == pytest.approx(6.0, rel=0.01)
    assert runs.loc[minutes_only.activity_id, "load_how"] == "fill"
    assert strength.activity_id not in runs.index
    assert history.load_notes == [
        "1 run without a distance from your median km per minute x the run's duration"
    ]
    calendar = history.calendar
    assert calendar.loc["2026-06-07", ["runs", "distance_km"]].tolist() == [1, 8.0]
    assert calendar.loc["2026-06-09", ["runs", "trained", "rest"]].tolist() == [0, True, False]
