"""GPX reader: hand-made edge cases (tests/fixtures/gpx) and every real GPX file."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import gpxpy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridewise.errors import CorruptFile, SkippedFile, StridewiseError, UnsafeFile
from stridewise.geometry import EARTH_RADIUS_M, haversine_m
from stridewise.importers.gpx import read_gpx
from stridewise.importers.track import ASCENT_HYSTERESIS_M, cadence_factor, track_ascent_m
from stridewise.model import check_samples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gpx"

#: Length of 0.0002 degree of longitude on the equator (an arc of the haversine sphere) [m].
STEP_0_0002_DEG_M = EARTH_RADIUS_M * math.radians(0.0002)


def read_fixture(name: str, **kwargs):
    return read_gpx((FIXTURES / name).read_bytes(), name, **kwargs)


def only(activities):
    assert len(activities) == 1
    check_samples(activities[0].samples)
    return activities[0]


# --- hostile XML ------------------------------------------------------------------------------


def test_external_entity_is_refused_and_never_read():
    with pytest.raises(UnsafeFile) as caught:
        read_fixture("external-entity.gpx")
    message = str(caught.value)
    assert message == (
        "external-entity.gpx: XML entities are not allowed "
        "(possible entity-expansion attack); refused"
    )
    assert "root:" not in message


def test_doctype_without_entities_is_allowed():
    activity = only(read_fixture("doctype-without-entities.gpx"))
    assert activity.name == "Plain doctype"
    assert activity.distance_m == pytest.approx(STEP_0_0002_DEG_M)


def test_external_dtd_is_never_fetched():
    activity = only(read_fixture("doctype-with-external-dtd.gpx"))
    assert activity.name == "External DTD"
    assert activity.warnings == []


def test_bom_and_leading_whitespace_are_tolerated():
    data = (FIXTURES / "bom-and-leading-whitespace.gpx").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\n ")
    activity = only(read_gpx(data, "bom-and-leading-whitespace.gpx"))
    assert activity.device == "Old Writer"
    assert len(activity.samples) == 2


def test_broken_xml_is_corrupt_and_named():
    with pytest.raises(CorruptFile, match=r"^broken\.gpx: not valid XML: mismatched tag"):
        read_gpx(b'<?xml version="1.0"?><gpx><trk></gpx>', "broken.gpx")


def test_other_xml_is_not_gpx():
    with pytest.raises(CorruptFile, match=r"^not-gpx-root\.gpx: not a GPX file .*<kml>"):
        read_fixture("not-gpx-root.gpx")


def test_text_in_a_wrong_encoding_is_corrupt():
    with pytest.raises(CorruptFile, match=r"^latin\.gpx: not valid XML: not UTF-8 text"):
        read_gpx(
            '<?xml version="1.0"?><gpx><trk><name>Café</name></trk></gpx>'.encode("latin-1"),
            "latin.gpx",
        )


# --- extensions -------------------------------------------------------------------------------


def test_ns3_prefix_trackpoint_extension_and_running_cadence_doubled():
    activity = only(read_fixture("prefix-ns3-trackpoint-extension.gpx"))
    samples = activity.samples
    assert samples["heart_rate_bpm"].tolist() == [120, 130, 140]
    assert samples["temperature_c"].tolist() == [18.0, 18.5, 19.0]
    # strides/min 84..86 (median 85 < 120) written by Garmin Connect -> steps/min
    assert samples["cadence_spm"].tolist() == [168, 170, 172]
    assert activity.avg_cadence_spm == pytest.approx(170)
    assert activity.avg_heart_rate_bpm == pytest.approx(130)
    assert activity.max_heart_rate_bpm == 140
    assert (activity.sport, activity.name, activity.device) == (
        "running",
        "Morning Run",
        "Garmin Connect",
    )
    assert (activity.surface, activity.surface_source) == ("unknown", None)


def test_default_namespace_extension_with_power_speed_and_cycling_cadence_kept():
    activity = only(read_fixture("default-namespace-extension.gpx"))
    samples = activity.samples
    assert activity.sport == "cycling"
    assert samples["heart_rate_bpm"].tolist() == [110, 120]
    assert samples["cadence_spm"].tolist() == [80, 90]  # rpm, never doubled
    assert samples["power_w"].tolist() == [210, 230]
    assert samples["speed_mps"].tolist() == [6.0, 6.5]  # the device's own speed wins


def test_default_namespace_extension_when_gpx_has_no_namespace():
    # gpxpy strips this (the first) default xmlns: the namespace must still be recognised
    activity = only(read_fixture("default-namespace-extension-without-gpx-namespace.gpx"))
    assert activity.samples["heart_rate_bpm"].tolist() == [111, 121]


def test_hr_in_a_foreign_namespace_is_not_heart_rate():
    activity = only(read_fixture("unknown-namespace-with-hr-name.gpx"))
    assert "heart_rate_bpm" not in activity.samples
    assert activity.avg_heart_rate_bpm is None


# --- segments, pauses, distance, times --------------------------------------------------------


def test_two_segments_with_gap_hand_computed():
    activity = only(read_fixture("two-segments-with-gap.gpx"))
    samples = activity.samples
    # three 0.0002-degree steps; the 1.1 km jump between the segments is not distance
    assert activity.distance_m == pytest.approx(3 * STEP_0_0002_DEG_M)
    assert round(STEP_0_0002_DEG_M, 3) == 22.239
    assert samples["distance_m"].tolist() == pytest.approx(
        [steps * STEP_0_0002_DEG_M for steps in (0, 1, 2, 2, 3)]
    )
    assert activity.elapsed_s == 130
    assert activity.timer_s == 30  # 20 s + 10 s of recording; the 100 s gap is a pause
    speed = samples["speed_mps"].tolist()
    assert speed[1] == pytest.approx(STEP_0_0002_DEG_M / 10)
    assert math.isnan(speed[0]) and math.isnan(speed[3])  # no speed across a pause
    assert activity.sport == "running"  # Strava's <type>9</type>
    assert activity.start_utc == datetime(2024, 5, 4, 7, 0, tzinfo=UTC)


def test_stationary_gap_inside_a_segment_is_a_pause_but_a_moving_gap_is_not():
    activity = only(read_fixture("stationary-gap-inside-segment.gpx"))
    assert activity.elapsed_s == 400
    assert activity.timer_s == 100  # 400 s minus the 300 s standing still
    # the path in file order: standing still moved 1 cm (0.0000001 degree)
    assert activity.distance_m == pytest.approx(10 * STEP_0_0002_DEG_M + STEP_0_0002_DEG_M / 2000)


def test_naive_times_are_read_as_utc_with_a_warning():
    activity = only(read_fixture("naive-local-times.gpx"))
    assert activity.start_utc == datetime(2024, 5, 4, 9, 0, tzinfo=UTC)
    assert any("no time zone; read as UTC" in warning for warning in activity.warnings)
    # Berlin, summer time: the offset comes from the position, not from the naive times
    assert activity.utc_offset_s == 7200


def test_a_few_untimed_points_are_left_out_with_a_warning():
    activity = only(read_fixture("one-point-without-time.gpx"))
    assert len(activity.samples) == 3
    assert activity.warnings == ["1 of 4 track points have no time and were left out"]
    assert activity.distance_m == pytest.approx(3 * STEP_0_0002_DEG_M)


def test_mostly_untimed_points_make_a_route():
    with pytest.raises(SkippedFile) as caught:
        read_fixture("mostly-untimed-points.gpx")
    assert str(caught.value) == (
        "mostly-untimed-points.gpx: 3 of 5 track points have no time "
        "(a route, not a recorded activity)"
    )


# --- helpers ----------------------------------------------------------------------------------


def test_haversine_one_degree_of_latitude():
    # one degree along a meridian is pi/180 of the radius: 111.195 km on the mean sphere
    assert haversine_m(np.array([10.0]), np.array([5.0]), np.array([11.0]), np.array([5.0]))[
        0
    ] == pytest.approx(111_195.08, abs=0.01)


def _ascent(values: list[float], step_s: float = 1.0, segment: list[int] | None = None):
    seconds = np.arange(len(values)) * step_s
    return track_ascent_m(np.array(values, dtype=float), seconds, segment and np.array(segment))


def test_ascent_ignores_jitter_below_the_hysteresis():
    assert ASCENT_HYSTERESIS_M == 3.0
    # climbs 100 -> 106 and 101 -> 105; the 1-m wobbles in between do not count
    profile = [100, 101, 100, 102, 104, 103, 106, 102, 101, 105]
    assert _ascent(profile) == 10


def test_ascent_skips_a_sensor_jump():
    # barometer calibration: +200 m in one second is not a climb; the 5 m after it is
    assert _ascent([100, 100, 300, 301, 305]) == 5


def test_ascent_per_segment_ignores_a_climb_during_a_pause():
    assert _ascent([100, 104, 150, 154], step_s=60, segment=[1, 1, 2, 2]) == 8


def test_running_cadence_already_in_steps_is_kept_and_ambiguous_is_flagged():
    warnings: list[str] = []
    assert cadence_factor(np.array([0.0, 170, 172, 168]), warnings) == 1
    assert warnings == []
    assert cadence_factor(np.array([110.0, 112, 108]), warnings) == 2
    assert warnings == [
        "running cadence (median 110/min) could be strides or steps per minute; "
        "read as strides/min and doubled"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_give_activities_or_a_stridewise_error(data: bytes):
    try:
        read_gpx(
            b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1">' + data,
            "fuzz.gpx",
        )
    except StridewiseError as exc:
        assert str(exc).startswith("fuzz.gpx: ")


_FIELD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "abc", "2024-05-04T07:00:00Z", "2024-05-04T07:00:00", "1e999", "-0"]),
    st.text(alphabet="0123456789.-:TZ+ ", max_size=25),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_FIELD, _FIELD, _FIELD, _FIELD, _FIELD), min_size=1, max_size=6))
def test_any_point_values_give_activities_or_a_stridewise_error(points):
    body = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele><time>{when}</time><extensions>'
        f"<g:TrackPointExtension><g:hr>{hr}</g:hr></g:TrackPointExtension></extensions></trkpt>"
        for lat, lon, ele, when, hr in points
    )
    data = (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:g="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()
    try:
        activities = read_gpx(data, "fuzz.gpx")
    except StridewiseError as exc:
        assert str(exc).startswith("fuzz.gpx: ")
    else:
        check_samples(activities[0].samples)


# --- real files -------------------------------------------------------------------------------

#: Real files that hold no recorded activity, by name.
SKIPPED = {
    "route.gpx",  # <rte> only
    "track-with-extremes.gpx",  # no <time>
    "cerknicko-without-times.gpx",  # 291 of 296 points untimed
    "A_ride_mapped_on_11_22_2011.gpx",  # a route drawn on MapMyFitness: a track without times
    "gpx_with_garmin_extension.gpx",  # a single waypoint carrying gpxtpx:hr, no track
    "MetadataOnly.gpx",
    "unicode_with_bom.gpx",  # a BOM before a file with one waypoint: read, then skipped
    "Mojstrovka.gpx",  # GPSBabel's placeholder time 1901-12-13 on every point
}


def _real_gpx_files() -> list[str]:
    from realdata import REAL

    if REAL is None:
        return []
    return sorted(str(path.relative_to(REAL)) for path in (REAL / "gpx").rglob("*.gpx"))


@pytest.mark.parametrize("relative", _real_gpx_files())
def test_every_real_gpx_file(real_dir: Path, relative: str):
    path = real_dir / relative
    try:
        activities = read_gpx(path.read_bytes(), path.name)
    except SkippedFile as exc:
        assert path.name in SKIPPED, str(exc)
        assert str(exc).startswith(f"{path.name}: ")
        return
    assert path.name not in SKIPPED
    activity = only(activities)
    assert activity.elapsed_s > 0
    assert 0 < activity.timer_s <= activity.elapsed_s
    assert activity.distance_m >= 0
    assert activity.samples["distance_m"].is_monotonic_increasing
    assert activity.start_utc == activity.samples.index[0]
    if path.parent.name == "runpandas_nrc_history":  # one runner's year, named by local date
        assert activity.local_start.date().isoformat() == path.name[:10]
        assert activity.avg_heart_rate_bpm is None or 80 < activity.avg_heart_rate_bpm < 200
        assert activity.timer_s <= 4 * 3600  # the app ran on for a day once: not a run


def test_cerknicko_eight_tracks_exclude_the_gaps(real_dir: Path):
    path = real_dir / "gpx/gpxpy/cerknicko-jezero.gpx"
    activity = only(read_gpx(path.read_bytes(), path.name))
    gpx = gpxpy.parse(path.read_text())
    assert len(gpx.tracks) == 8
    # gpxpy's own lengths (its formula, its radius) add up the tracks without the jumps
    within_tracks_m = sum(track.length_2d() for track in gpx.tracks)
    points = [p for track in gpx.tracks for s in track.segments for p in s.points]
    with_jumps_m = sum(a.distance_2d(b) for a, b in zip(points, points[1:], strict=False))
    assert with_jumps_m > 2 * within_tracks_m  # the tracks lie kilometres apart
    # what the reader leaves out beyond the jumps is GPS drift while standing (~200 m in
    # a dozen stops of 1-3 min), so it lands a little under gpxpy's figure
    assert 0.9 * within_tracks_m < activity.distance_m <= 1.005 * within_tracks_m
    times = [[p.time for s in track.segments for p in s.points] for track in gpx.tracks]
    times = [track_times for track_times in times if track_times]
    gaps_s = sum(
        (after[0] - before[-1]).total_seconds()
        for before, after in zip(times, times[1:], strict=False)
    )
    assert gaps_s > 0
    assert activity.timer_s <= activity.elapsed_s - gaps_s


def test_korita_zbevnica_partial_times(real_dir: Path):
    path = real_dir / "gpx/gpxpy/korita-zbevnica.gpx"
    activity = only(read_gpx(path.read_bytes(), path.name))
    assert len(activity.samples) == 871 - 358
    assert "358 of 871 track points have no time and were left out" in activity.warnings


def test_route_and_untimed_track_messages(real_dir: Path):
    with pytest.raises(SkippedFile) as caught:
        read_gpx((real_dir / "gpx/gpxpy/track-with-extremes.gpx").read_bytes(), "extremes.gpx")
    assert str(caught.value) == (
        "extremes.gpx: no times in the file (a route, not a recorded activity)"
    )
    with pytest.raises(SkippedFile, match=r"^route\.gpx: no track points"):
        read_gpx((real_dir / "gpx/gpxpy/route.gpx").read_bytes(), "route.gpx")


@pytest.mark.parametrize("name", ["garmin_connect.gpx", "strava_export.gpx"])
def test_runpandas_files_have_heart_rate_and_step_cadence(real_dir: Path, name: str):
    activity = only(read_gpx((real_dir / "gpx/runpandas" / name).read_bytes(), name))
    assert activity.sport == "running"
    assert activity.samples["heart_rate_bpm"].notna().all()
    # both writers use strides/min; running cadence must come out as steps/min
    assert 130 < activity.avg_cadence_spm < 200


def test_strava_pauses_match_the_tcx_timer_of_the_same_run(real_dir: Path):
    """The stationary-gap rule makes the GPX timer agree with Strava's TCX lap times."""
    from stridewise.importers.tcx import read_tcx

    gpx = only(read_gpx((real_dir / "gpx/runpandas/strava_export.gpx").read_bytes(), "s.gpx"))
    tcx = read_tcx((real_dir / "tcx/runpandas/stopped_example.tcx").read_bytes(), "s.tcx")[0]
    assert gpx.timer_s == pytest.approx(tcx.timer_s, rel=0.02)
    assert gpx.elapsed_s - gpx.timer_s > 300  # several real stops


def test_strava_gpx_matches_the_fit_session(real_dir: Path, fit_sessions):
    session = next(r for r in fit_sessions if r["path"] == "fit/activity/sweatpy/4801048867.fit")
    path = real_dir / "gpx/sweatpy/4801048867_strava.gpx"
    activity = only(read_gpx(path.read_bytes(), path.name))
    assert activity.sport == "cycling"  # Strava's <type>1</type>
    assert activity.distance_m == pytest.approx(float(session["total_distance"]), rel=0.01)
    assert activity.start_utc == datetime.fromisoformat(session["start_time"]).replace(tzinfo=UTC)
    assert activity.elapsed_s == pytest.approx(float(session["total_elapsed_time"]), abs=2)


def test_nrc_local_offset_from_position(real_dir: Path):
    path = (
        real_dir / "gpx/runpandas_nrc_history/2021-06-13_4383adb2-5170-467c-85b8-2d983c415e5b.gpx"
    )
    activity = only(read_gpx(path.read_bytes(), path.name, default_timezone="Asia/Tokyo"))
    lat, lon = activity.samples[["lat_deg", "lon_deg"]].iloc[0]
    assert (round(lat, 2), round(lon, 2)) == (-8.05, -34.89)  # Recife, Brazil
    expected = ZoneInfo("America/Recife").utcoffset(activity.start_utc.replace(tzinfo=None))
    assert activity.utc_offset_s == expected.total_seconds() == -3 * 3600


def test_nrc_history_is_complete(real_dir: Path):
    assert len(list((real_dir / "gpx/runpandas_nrc_history").glob("*.gpx"))) == 68
