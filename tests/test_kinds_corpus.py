"""Every session classified by kind, over every real file of the corpus and every export fixture.

The real files (``tests/realdata.py``; skipped when absent) are listed by name with the kinds of
the activities each holds, read from MANIFEST.tsv's sport column and the format's rules: a GPX
without ``<type>`` and a TCX with ``Sport="Other"`` name no sport (other) unless the app that wrote
them or the activity's name says it ("Morning Run", "Corrida Matutina").
The corpus's strength sessions are the "Weight Training" rows of the Strava export; it holds no
yoga or pilates, so synthetic Garmin and Strava exports and FIT files carry those.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from exports import (
    GarminActivity,
    GarminExportSpec,
    Run,
    StravaActivity,
    StravaExportSpec,
    fit_bytes,
    garmin_export_files,
    strava_export_files,
    write_tree,
)

from stridewise.errors import StridewiseError
from stridewise.kinds import CROSS, MOBILITY, OTHER, RUN, STRENGTH, kind_of
from stridewise.pipeline import import_paths, read_activities
from stridewise.store import Store

#: The Nike Run Club history: runs converted to GPX without a <type> (``import --sport run``).
NRC_HISTORY = "gpx/runpandas_nrc_history/"

#: Kinds of the activities in each real file, in file order; () for a file that holds none.
REAL_FILES: dict[str, tuple[str, ...]] = {
    "fit/activity/fitparse/2013-02-06-12-11-14.fit": (RUN,),
    "fit/activity/fitparse/2015-10-13-08-43-15.fit": (CROSS,),
    # indoor rowing on fitness_equipment
    "fit/activity/fitparse/20170518-191602-1740899583.fit": (CROSS,),
    "fit/activity/fitparse/2019-02-17-062644-ELEMNT-297E-195-0.fit": (CROSS,),
    "fit/activity/fitparse/Activity.fit": (RUN,),
    "fit/activity/fitparse/DeveloperData.fit": (),  # no session, no sport: refused
    "fit/activity/fitparse/Edge810-Vector-2013-08-16-15-35-10.fit": (CROSS,),
    "fit/activity/fitparse/activity-settings.fit": (RUN,),
    # generic, transitions, run, run, ride
    "fit/activity/fitparse/activity-large-fenxi2-multisport.fit": (
        *(OTHER, OTHER, RUN, OTHER, RUN, OTHER, CROSS),
    ),
    "fit/activity/fitparse/activity-small-fenix2-run.fit": (RUN,),
    "fit/activity/fitparse/antfs-dump.63.fit": (),  # relative timestamps, no date: refused
    # relative timestamps, no date: refused
    "fit/activity/fitparse/compressed-speed-distance.fit": (),
    "fit/activity/fitparse/developer-types-sample.fit": (RUN,),
    "fit/activity/fitparse/elemnt-bolt-no-application-id-inside-developer-data-id.fit": (CROSS,),
    "fit/activity/fitparse/event_timestamp.fit": (CROSS,),
    "fit/activity/fitparse/garmin-edge-500-activity.fit": (CROSS,),
    "fit/activity/fitparse/garmin-edge-820-bike.fit": (CROSS,),
    "fit/activity/fitparse/garmin-fenix-5-bike.fit": (CROSS,),
    "fit/activity/fitparse/garmin-fenix-5-run.fit": (RUN,),
    "fit/activity/fitparse/garmin-fenix-5-walk.fit": (CROSS,),
    "fit/activity/fitparse/null_compressed_speed_dist.fit": (CROSS,),
    "fit/activity/fitparse/sample-activity-indoor-trainer.fit": (CROSS,),
    "fit/activity/fitparse/sample-activity.fit": (CROSS,),
    # triathlon: swim, transition, ride, transition, run
    "fit/activity/fitparse/sample_mulitple_header.fit": (CROSS, OTHER, CROSS, OTHER, RUN),
    "fit/non_activity/MonitoringFile.fit": (),
    "fit/non_activity/Settings.fit": (),
    "fit/non_activity/Settings2.fit": (),
    "fit/non_activity/WeightScaleMultiUser.fit": (),
    "fit/non_activity/WeightScaleSingleUser.fit": (),
    "fit/non_activity/WorkoutCustomTargetValues.fit": (),
    "fit/non_activity/WorkoutIndividualSteps.fit": (),
    "fit/non_activity/WorkoutRepeatGreaterThanStep.fit": (),
    "fit/non_activity/WorkoutRepeatSteps.fit": (),
    "fit/non_activity/nametest.FIT": (),
    "fit/corrupt/activity-filecrc.fit": (RUN,),
    "fit/corrupt/activity-activity-filecrc.fit": (RUN,),
    "fit/corrupt/activity-settings-corruptheader.fit": (RUN,),
    "fit/corrupt/activity-settings-nodata.fit": (RUN,),
    "fit/corrupt/activity-unexpected-eof.fit": (RUN,),
    "fit/corrupt/nick.fit": (CROSS,),
    "fit/corrupt/coros-pace-2-cycling-misaligned-fields.fit": (CROSS,),
    "fit/corrupt/strava-android-app-201.10-b1218918.fit": (RUN,),
    "fit/activity/fitdecode/garmin-fr935-cr.fit": (CROSS,),
    "fit/activity/garmin_sdk/ActivityDevFields.fit": (CROSS,),  # stand-up paddleboarding
    "fit/activity/garmin_sdk/HrmPluginTestActivity.fit": (CROSS,),
    "fit/activity/garmin_sdk/WithGearChangeData.fit": (OTHER,),  # no session: the sport is unknown
    "fit/activity/goldencheetah/10kUNLP2014-Garmin15.fit": (RUN,),
    "fit/activity/goldencheetah/Move_2020_01_15_19_27_16_Running.fit": (RUN,),
    "fit/activity/goldencheetah/3386684871.fit": (RUN,),
    "fit/activity/goldencheetah/3386684871-saved.fit": (RUN,),
    "fit/activity/goldencheetah/Fr955v19.28andStryd-saved.fit": (RUN,),
    "fit/activity/goldencheetah/Garmin920_withFirstbeat.fit": (RUN,),
    "fit/activity/goldencheetah/HRV-Data.fit": (RUN,),
    "fit/activity/goldencheetah/IpBike-HRV-Data.fit": (RUN,),
    "fit/activity/goldencheetah/2012_02_05_09_03_59.fit": (CROSS,),
    "fit/activity/goldencheetah/2017_hrv.FIT": (OTHER,),  # sport generic
    "fit/activity/goldencheetah/Garmin830_with_Stages.fit": (CROSS,),
    "fit/activity/goldencheetah/Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit": (CROSS,),
    "fit/activity/goldencheetah/SigmaRox11_1.fit": (CROSS,),
    "fit/activity/goldencheetah/moxy.fit": (OTHER,),  # a muscle-oxygen sensor: no sport
    "fit/activity/goldencheetah/Indoor_Cycling2smO2sensors.fit": (CROSS,),
    "fit/activity/goldencheetah/20130716_202738.fit": (CROSS,),
    "fit/activity/goldencheetah/FR55-CoreTemp-Walk.fit": (CROSS,),
    # a walk re-written as generic
    "fit/activity/goldencheetah/FR55-loaded-and-saved-via-GC.fit": (OTHER,),
    "fit/activity/goldencheetah/Garmin920openwater.fit": (CROSS,),
    "fit/activity/goldencheetah/GarminSwimExample.fit": (CROSS,),
    "fit/activity/goldencheetah/2024-10-20-104352-Pool_Swim-BingiWatch.fit": (CROSS,),
    "fit/activity/goldencheetah/RowingCIQspeed.FIT": (CROSS,),
    "fit/compressed/2019-09-07-11-22-19.zip": (RUN,),
    "fit/compressed/4077461142.zip": (RUN,),
    "fit/compressed/Fr955v19.28andStryd.fit.zip": (RUN,),
    "fit/compressed/GarminFR955v18.zip": (RUN,),
    "fit/compressed/Move_2019_03_17_10_24_32_Running.fit.zip": (RUN,),
    "fit/compressed/14582164182.fit.gz": (CROSS,),
    "fit/compressed/TacxNeo.fit.zip": (CROSS,),
    "fit/activity/sweatpy/4801048867.fit": (CROSS,),
    "fit/activity/sweatpy/6449921903_ACTIVITY.fit": (CROSS,),
    "fit/activity/sweatpy/6471559601_ACTIVITY.fit": (RUN, OTHER, CROSS),  # run, transition, rowing
    "fit/activity/sweatpy/2020-06-01-16-52-40.fit": (CROSS,),
    "fit/activity/runpandas/run.fit": (RUN,),
    "gpx/gpxpy/Mojstrovka.gpx": (),
    "gpx/gpxpy/around-visnjan-with-car.gpx": (OTHER,),  # a GPX without <type> names no sport
    "gpx/gpxpy/cerknicko-jezero.gpx": (OTHER,),
    "gpx/gpxpy/cerknicko-jezero-no-creator.gpx": (OTHER,),
    "gpx/gpxpy/cerknicko-jezero-without-elevations.gpx": (OTHER,),
    "gpx/gpxpy/cerknicko-jezero-with-elevations-zero.gpx": (OTHER,),
    "gpx/gpxpy/cerknicko-without-times.gpx": (),
    "gpx/gpxpy/korita-zbevnica.gpx": (OTHER,),
    "gpx/gpxpy/track-with-empty-segment.gpx": (OTHER,),
    "gpx/gpxpy/track_with_speed.gpx": (OTHER,),
    "gpx/gpxpy/track-with-less-sec-time.gpx": (RUN,),
    "gpx/gpxpy/track-with-extremes.gpx": (),
    "gpx/gpxpy/gpx_with_garmin_extension.gpx": (),
    "gpx/gpxpy/route.gpx": (),
    "gpx/gpxpy/unicode_with_bom.gpx": (),
    "gpx/gpxpy/first_and_last_elevation.gpx": (OTHER,),
    "gpx/runpandas/garmin_connect.gpx": (RUN,),
    "gpx/runpandas/run.gpx": (RUN,),  # no <type>; its track's name says it is a run
    "gpx/runpandas/strava_export.gpx": (RUN,),
    "gpx/goldencheetah/MetadataOnly.gpx": (),
    "gpx/goldencheetah/Move_2014_01_16_19_48_44.gpx": (OTHER,),
    # a ride, but its GPX names no sport
    "gpx/goldencheetah/UrbanBiker2019-04-18_16-12.gpx": (OTHER,),
    "gpx/goldencheetah/A_ride_mapped_on_11_22_2011.gpx": (),
    "gpx/sweatpy/activity_5039744860.gpx": (CROSS,),
    "gpx/sweatpy/4801048867_strava.gpx": (CROSS,),
    "tcx/runpandas_dec2020_block/2020-12-02T06_08_29-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-04T19_09_21-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-06T06_36_21-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-08T06_36_12-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-13T07_25_55-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-16T05_44_18-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-20T05_50_47-300_Running.tcx": (RUN,),
    "tcx/runpandas_dec2020_block/2020-12-26T06_03_49-300_Running.tcx": (RUN,),
    "tcx/runpandas/basic.tcx": (RUN,),
    "tcx/runpandas/run.tcx": (RUN,),
    "tcx/runpandas/run_garmin.tcx": (RUN,),
    "tcx/runpandas/stopped_example.tcx": (RUN,),
    "tcx/corrupt/malformed.tcx": (),
    "tcx/tcxreader/sup_activity_1.tcx": (OTHER,),  # Sport="Other"
    "tcx/tcxreader/cross-country-skiing_activity_1.tcx": (OTHER,),  # Sport="Other"
    "tcx/goldencheetah/10kUNLP2014-Garmin15.tcx": (RUN,),
    # Running, Biking, Running, Biking
    "tcx/goldencheetah/activity_165850259_multi-session.tcx": (RUN, CROSS, RUN, CROSS),
    # a swim as Sport="Other"
    "tcx/goldencheetah/argmac_Garmin_FR910XT_2015_01_31_10_17_02.tcx": (OTHER,),
    "tcx/goldencheetah/2020-02-05_17-25-14_Training-with-Notes.tcx": (CROSS,),
    "tcx/goldencheetah/2009_01_09_11_13_14.tcx": (CROSS,),
    "tcx/sweatpy/activity_5039744860.tcx": (CROSS,),
    "tcx/sweatpy/3173437224.tcx": (RUN,),
    "csv/fitparse_records/compressed-speed-distance-records.csv": (),
    "csv/fitparse_records/garmin-edge-500-activity-records.csv": (),
    "csv/fitparse_records/garmin-edge-820-bike-records.csv": (),
    "csv/fitparse_records/garmin-fenix-5-bike-records.csv": (),
    "csv/fitparse_records/garmin-fenix-5-run-records.csv": (),
    "csv/fitparse_records/garmin-fenix-5-walk-records.csv": (),
    "csv/goldencheetah/motoActv_powertap.csv": (),  # a per-second dump, not a log
    "csv/goldencheetah/Ramp_test.csv": (),
}

#: Kinds of the rows of the activity lists: the Strava export's "Weight Training" rows are
#: strength, its "Workout" rows (gym classes, named as the runner pleased) cross-training.
REAL_LISTS: dict[str, Counter] = {
    "export/strava/activities.csv": Counter({RUN: 439, CROSS: 127, STRENGTH: 44}),
    "export/garmin_connect/Activities_danish.csv": Counter({RUN: 41}),
    # skiing, cycling, walking, indoor rowing, snowshoeing; one "Incident Detected"
    "export/garmin_connect/Activities_imperial_running_dynamics.csv": Counter(
        {RUN: 7, CROSS: 72, OTHER: 1}
    ),
    "export/garmin_connect/Activities_metric_trail.csv": Counter({RUN: 760}),
}

#: Kinds of the workouts of the Apple Health exports (alxdrcirilo's holds records only).
REAL_APPLE: dict[str, tuple[str, ...]] = {
    "apple/dogsheep/export.xml": (RUN,),
    "apple/dogsheep/export.zip": (RUN,),
    "apple/alxdrcirilo/export.xml": (),
    "apple/alxdrcirilo/export.zip": (),
}


def _kinds(path: Path) -> tuple[str, ...]:
    try:
        return tuple(kind_of(a.sport, a.sub_sport) for a in read_activities(path))
    except StridewiseError:
        return ()


def test_every_file_of_the_corpus_is_in_a_table(manifest):
    listed = set(REAL_FILES) | set(REAL_LISTS) | set(REAL_APPLE)
    unlisted = [
        row["path"]
        for row in manifest
        if row["path"] not in listed and not row["path"].startswith(NRC_HISTORY)
    ]
    assert unlisted == []


def test_kinds_of_every_real_file(real_dir):
    found = {path: _kinds(real_dir / path) for path in REAL_FILES}
    assert found == REAL_FILES


def test_the_nike_run_club_history_is_a_run_where_its_name_says_so(real_dir, manifest):
    """The files name no sport (no <type>); 55 carry the app's name for the run ("Sexta-Feira
    Corrida Matutina"), which the import reads as running; the others stay without a sport
    (``import --sport run`` names them; one file holds two outings weeks apart)."""
    paths = [row["path"] for row in manifest if row["path"].startswith(NRC_HISTORY)]
    assert len(paths) == 68
    assert Counter(_kinds(real_dir / path) for path in paths) == {
        (RUN,): 55,
        (OTHER,): 12,
        (OTHER, OTHER): 1,
    }


@pytest.mark.parametrize("path", sorted(REAL_LISTS))
def test_kinds_of_the_activity_lists(real_dir, path):
    assert Counter(_kinds(real_dir / path)) == REAL_LISTS[path]


def test_the_strava_weight_training_rows_are_strength(real_dir):
    activities = read_activities(real_dir / "export/strava/activities.csv")
    strength = [a for a in activities if kind_of(a.sport, a.sub_sport) == STRENGTH]
    assert {(a.sport, a.sub_sport) for a in strength} == {("training", "strength_training")}
    assert len(strength) == 44


@pytest.mark.parametrize("path", sorted(REAL_APPLE))
def test_kinds_of_the_apple_health_exports(real_dir, tmp_path, path):
    store = Store(tmp_path / "sw.db")
    import_paths(store, [real_dir / path])
    frame = store.activities_frame("me")
    found = tuple(kind_of(s, b) for s, b in zip(frame["sport"], frame["sub_sport"], strict=True))
    assert found == REAL_APPLE[path]


# --- export fixtures ----------------------------------------------------------------------------

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _session(day: int, sport: str = "running", sub_sport: str = "generic") -> Run:
    return Run(START + timedelta(days=day), 1800, 5000.0, sport=sport, sub_sport=sub_sport)


def _stored_kinds(store: Store) -> dict[str, str]:
    frame = store.activities_frame("me")
    return {
        str(name): kind_of(sport, sub)
        for name, sport, sub in zip(frame["name"], frame["sport"], frame["sub_sport"], strict=True)
    }


#: Garmin Connect types of a synthetic export (summaries without FIT files but the run's).
GARMIN_GYM = {
    "strength_training": STRENGTH,
    "yoga": MOBILITY,
    "pilates": MOBILITY,
    "breathwork": MOBILITY,
    "mobility": MOBILITY,
    "indoor_cardio": CROSS,
    "hiit": CROSS,
    "elliptical": CROSS,
    "indoor_rowing": CROSS,
    "lap_swimming": CROSS,
    "other": OTHER,
}


def test_kinds_of_a_garmin_export(tmp_path):
    activities = [GarminActivity(_session(0), 1, "running", name="run")]
    activities += [
        GarminActivity(_session(day), 100 + day, key, name=key, with_fit=False)
        for day, key in enumerate(GARMIN_GYM, start=1)
    ]
    export = write_tree(
        garmin_export_files(GarminExportSpec(activities)), tmp_path / "garmin.zip", as_zip=True
    )
    store = Store(tmp_path / "sw.db")
    report = import_paths(store, [export])
    assert report.failed == []
    assert _stored_kinds(store) == {"run": RUN, **GARMIN_GYM}


#: Strava activity types of a synthetic export (manual entries, without files, but the run's).
STRAVA_GYM = {
    "Weight Training": STRENGTH,
    "Crossfit": STRENGTH,
    "Yoga": MOBILITY,
    "Pilates": MOBILITY,
    "Workout": CROSS,
    "HIIT": CROSS,
    "Elliptical": CROSS,
    "Stair-Stepper": CROSS,
    "Ride": CROSS,
    "Alpine Ski": CROSS,
    "Golf": OTHER,
}


def test_kinds_of_a_strava_export(tmp_path):
    activities = [StravaActivity(_session(0), 1, "Run", name="Run")]
    activities += [
        StravaActivity(_session(day), 100 + day, word, name=word, file_kind=None)
        for day, word in enumerate(STRAVA_GYM, start=1)
    ]
    export = write_tree(
        strava_export_files(StravaExportSpec(activities)), tmp_path / "strava", as_zip=False
    )
    store = Store(tmp_path / "sw.db")
    report = import_paths(store, [export])
    assert report.failed == []
    assert _stored_kinds(store) == {"Run": RUN, **STRAVA_GYM}


@pytest.mark.parametrize(
    ("sport", "sub_sport", "kind"),
    [
        ("training", "strength_training", STRENGTH),
        ("training", "yoga", MOBILITY),
        ("training", "pilates", MOBILITY),
        ("training", "breathing", MOBILITY),
        ("training", "cardio_training", CROSS),
        ("fitness_equipment", "elliptical", CROSS),
        ("training", "generic", CROSS),
    ],
)
def test_kinds_of_fit_files_of_the_gym(tmp_path, sport, sub_sport, kind):
    path = tmp_path / f"{sport}-{sub_sport}.fit"
    path.write_bytes(fit_bytes(_session(0, sport, sub_sport)))
    [activity] = read_activities(path)
    assert (activity.sport, activity.sub_sport) == (sport, sub_sport)
    assert kind_of(activity.sport, activity.sub_sport) == kind
