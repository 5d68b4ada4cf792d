"""TCX reader: hand-made edge cases (tests/fixtures/tcx) and every real TCX file."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridewise.errors import CorruptFile, SkippedFile, StridewiseError
from stridewise.geometry import EARTH_RADIUS_M
from stridewise.importers.tcx import read_tcx
from stridewise.model import check_samples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tcx"

#: Length of 0.0002 degree of longitude on the equator (an arc of the haversine sphere) [m].
STEP_0_0002_DEG_M = EARTH_RADIUS_M * math.radians(0.0002)


def read_fixture(name: str, **kwargs):
    activities = read_tcx((FIXTURES / name).read_bytes(), name, **kwargs)
    for activity in activities:
        check_samples(activity.samples)
    return activities


def test_strava_leading_whitespace_laps_and_run_cadence():
    data = (FIXTURES / "strava-leading-whitespace.tcx").read_bytes()
    assert data.startswith(b"      <?xml")
    [activity] = read_fixture("strava-leading-whitespace.tcx")
    assert activity.sport == "running"
    assert activity.start_utc == datetime(2024, 5, 4, 7, 0, tzinfo=UTC)
    assert activity.device == "Strava Android App"
    # device totals: laps summed
    assert activity.timer_s == 30
    assert activity.distance_m == 90
    assert activity.elapsed_s == 30
    # lap averages weighted by lap time: (140 x 20 s + 150 x 10 s) / 30 s
    assert activity.avg_heart_rate_bpm == pytest.approx((140 * 20 + 150 * 10) / 30)
    assert activity.max_heart_rate_bpm == 160
    samples = activity.samples
    assert samples["cadence_spm"].tolist() == [168, 170, 172, 170]  # RunCadence strides x 2
    assert activity.avg_cadence_spm == 170
    assert samples["speed_mps"].tolist() == [3.0] * 4  # ns3:TPX Speed
    assert samples["distance_m"].tolist() == [0, 30, 60, 90]
    assert samples["heart_rate_bpm"].tolist() == [130, 140, 150, 160]
    expected = ZoneInfo("Europe/Berlin").utcoffset(datetime(2024, 5, 4, 7))
    assert activity.utc_offset_s == expected.total_seconds() == 7200
    assert (activity.surface, activity.surface_source) == ("unknown", None)


def test_lap_with_two_tracks_distance_from_positions_excludes_the_jump():
    [activity] = read_fixture("lap-with-two-tracks-no-distance.tcx")
    samples = activity.samples
    assert activity.sport == "cycling"
    # one 0.0002-degree step per track; the trackpoint without a position adds nothing
    assert samples["distance_m"].tolist() == pytest.approx(
        [steps * STEP_0_0002_DEG_M for steps in (0, 0, 1, 1, 2)]
    )
    assert activity.distance_m == pytest.approx(2 * STEP_0_0002_DEG_M)
    assert samples["cadence_spm"].tolist() == [80, 82, 84, 86, 88]  # biking rpm, never doubled
    assert activity.timer_s == 20  # the lap's TotalTimeSeconds
    assert activity.elapsed_s == 130
    assert math.isnan(samples["speed_mps"].iloc[3])  # no speed across the pause


def test_position_free_file_takes_the_default_time_zone():
    [activity] = read_fixture("treadmill-without-positions.tcx", default_timezone="Europe/Berlin")
    expected = ZoneInfo("Europe/Berlin").utcoffset(datetime(2024, 1, 15, 18))
    assert activity.utc_offset_s == expected.total_seconds() == 3600
    assert "lat_deg" not in activity.samples
    assert activity.samples["speed_mps"].iloc[1] == 3.0  # 1800 m in 600 s
    [no_zone] = read_fixture("treadmill-without-positions.tcx")
    assert no_zone.utc_offset_s is None


def test_two_activities_from_laps_only():
    first, second = read_fixture("two-activities-laps-only.tcx")
    assert (first.sport, first.timer_s, first.distance_m) == ("running", 1800, 5000)
    assert first.samples.empty
    # no <Id>: the lap's StartTime is the start; Sport="Other" is generic
    assert second.start_utc == datetime(2024, 5, 5, 8, 0, tzinfo=UTC)
    assert (second.sport, second.timer_s, second.elapsed_s) == ("generic", 900, 900)
    assert second.distance_m is None


def test_course_is_skipped():
    with pytest.raises(SkippedFile) as caught:
        read_fixture("course-without-activity.tcx")
    assert str(caught.value) == (
        "course-without-activity.tcx: no activity in the file "
        "(a course or workout, not a recorded one)"
    )


def test_other_xml_is_not_tcx():
    with pytest.raises(CorruptFile, match=r"^x\.tcx: not a TCX file \(it starts with <gpx>"):
        read_tcx(b"<gpx/>", "x.tcx")


_FIELD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "abc", "2024-05-04T07:00:00Z", "2024-05-04T07:00:00", "1e999"]),
    st.text(alphabet="0123456789.-:TZ+ ", max_size=25),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["Running", "Biking", "Other", ""]),
    st.tuples(_FIELD, _FIELD, _FIELD),
    st.lists(st.tuples(_FIELD, _FIELD, _FIELD, _FIELD, _FIELD), max_size=5),
)
def test_any_values_give_activities_or_a_stridewise_error(sport, lap, points):
    lap_id, lap_time, lap_distance = lap
    trackpoints = "".join(
        f"<Trackpoint><Time>{when}</Time><Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
        f"<LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
        f"<DistanceMeters>{distance}</DistanceMeters><Cadence>{cadence}</Cadence></Trackpoint>"
        for when, lat, lon, distance, cadence in points
    )
    data = (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{lap_id}</Id><Lap StartTime="{lap_id}">'
        f"<TotalTimeSeconds>{lap_time}</TotalTimeSeconds><DistanceMeters>{lap_distance}"
        f"</DistanceMeters><Track>{trackpoints}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()
    try:
        activities = read_tcx(data, "fuzz.tcx")
    except StridewiseError as exc:
        assert str(exc).startswith("fuzz.tcx: ")
    else:
        for activity in activities:
            check_samples(activity.samples)


# --- real files -------------------------------------------------------------------------------


def _real_tcx_files() -> list[str]:
    from realdata import REAL

    if REAL is None:
        return []
    return sorted(str(path.relative_to(REAL)) for path in (REAL / "tcx").rglob("*.tcx"))


@pytest.mark.parametrize("relative", _real_tcx_files())
def test_every_real_tcx_file(real_dir: Path, relative: str):
    path = real_dir / relative
    if path.parent.name == "corrupt":
        with pytest.raises(CorruptFile) as caught:
            read_tcx(path.read_bytes(), path.name)
        assert str(caught.value).startswith(f"{path.name}: not valid XML: ")
        return
    activities = read_tcx(path.read_bytes(), path.name)
    assert activities
    for activity in activities:
        check_samples(activity.samples)
        assert activity.timer_s > 0
        assert activity.elapsed_s >= activity.timer_s
        if not activity.samples.empty:
            assert activity.start_utc <= activity.samples.index[-1]


def test_malformed_message(real_dir: Path):
    with pytest.raises(CorruptFile) as caught:
        read_tcx((real_dir / "tcx/corrupt/malformed.tcx").read_bytes(), "malformed.tcx")
    assert str(caught.value) == "malformed.tcx: not valid XML: unbound prefix: line 4653, column 6"


def test_multi_session_file_gives_one_activity_each(real_dir: Path):
    path = real_dir / "tcx/goldencheetah/activity_165850259_multi-session.tcx"
    activities = read_tcx(path.read_bytes(), path.name)
    assert [a.sport for a in activities] == ["running", "cycling", "running", "cycling"]
    starts = [a.start_utc for a in activities]
    assert starts == sorted(starts) and len(set(starts)) == 4
    assert {a.device for a in activities} == {"Forerunner305 (Unit ID 3815748186)"}


def test_cross_format_with_the_fit_of_the_same_10k(real_dir: Path, fit_sessions):
    path = real_dir / "tcx/goldencheetah/10kUNLP2014-Garmin15.tcx"
    [activity] = read_tcx(path.read_bytes(), path.name)
    session = next(
        row
        for row in fit_sessions
        if row["path"] == "fit/activity/goldencheetah/10kUNLP2014-Garmin15.fit"
    )
    assert float(session["total_distance"]) == 10010.82
    assert activity.distance_m == pytest.approx(float(session["total_distance"]), rel=0.01)
    assert activity.start_utc == datetime(2014, 10, 11, 18, 8, 45, tzinfo=UTC)
    assert activity.start_utc == datetime.fromisoformat(session["start_time"]).replace(tzinfo=UTC)
    assert activity.timer_s == pytest.approx(float(session["total_timer_time"]), abs=1)
    # the position in La Plata gives the offset the watch itself wrote into the FIT
    assert activity.utc_offset_s == int(session["utc_offset_s"]) == -3 * 3600
    assert activity.sport == "running" and activity.device == "Forerunner 15"
    assert len(activity.samples) == int(session["n_records"])


def test_run_cadence_and_heart_rate_of_a_real_block(real_dir: Path):
    for path in sorted((real_dir / "tcx/runpandas_dec2020_block").glob("*.tcx")):
        [activity] = read_tcx(path.read_bytes(), path.name)
        assert activity.sport == "running"
        assert 150 < activity.avg_cadence_spm < 200  # RunCadence strides doubled
        assert 100 < activity.avg_heart_rate_bpm < 200
        assert activity.utc_offset_s == -3 * 3600  # file names carry the local time, -300


def test_notes_and_position_free_polar_ride(real_dir: Path):
    path = real_dir / "tcx/goldencheetah/2020-02-05_17-25-14_Training-with-Notes.tcx"
    [activity] = read_tcx(path.read_bytes(), path.name)
    assert activity.sport == "cycling"
    assert activity.notes and activity.notes.startswith("- immer noch den Muskelkater")
    assert activity.utc_offset_s is None
    assert activity.samples["cadence_spm"].median() == 76  # rpm, kept
