"""Which altitude a device measures, from the names files give it (``stridewise.devices``)."""

from __future__ import annotations

import pytest

from stridewise.devices import altitude_source_of


@pytest.mark.parametrize(
    ("device", "source"),
    [
        ("garmin fenix5", "barometric"),  # FIT, as fitparse names the product
        ("garmin fenix5_plus", "barometric"),
        ("garmin vivo_active_hr", "barometric"),
        ("garmin 4024", "barometric"),  # a Forerunner 955 an older fitparse does not name
        ("Garmin Forerunner 910XT", "barometric"),  # TCX Creator/Name
        ("vívoactive HR", "barometric"),
        ("EDGE705", "barometric"),
        ("Urban Biker - with barometer", "barometric"),  # a GPX creator that says so
        ("garmin fr255", "barometric"),  # not the Forerunner 25
        ("garmin fr25", "gps"),
        ("garmin fr235", "gps"),
        ("Forerunner 410", "gps"),
        ("StravaGPX Android", "gps"),  # recorded by the phone app
        ("Nike Run Club", "gps"),
        ("StravaGPX", None),  # Strava's export of a recording from anything
        ("suunto 34", None),  # not listed: unknown, never inferred from
        ("Garmin Connect", None),
        (None, None),
    ],
)
def test_only_listed_devices_have_a_known_altitude(device, source):
    assert altitude_source_of(device) == source
