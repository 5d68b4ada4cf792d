from __future__ import annotations

import pytest

from stridewise.errors import ConfigError
from stridewise.profile import Profile, load_profile

FULL = """
[athlete]
sex = "female"
max_hr = 188
resting_hr = 52
threshold_pace = "4:45"
timezone = "Europe/Amsterdam"
units = "imperial"

[rules.shoe_mileage]
limit_km = 700
"""


def test_full_profile(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(FULL)
    profile = load_profile(path)
    assert profile == Profile(
        sex="female",
        max_hr=188.0,
        resting_hr=52.0,
        threshold_pace_s_per_km=285.0,
        timezone="Europe/Amsterdam",
        units="imperial",
        rules={"shoe_mileage": {"limit_km": 700}},
        source=path,
    )
    assert profile.distance_unit() == "mi"
    assert profile.km_to_display(1.609344) == pytest.approx(1.0)


def test_no_config_means_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("STRIDEWISE_CONFIG", str(tmp_path / "absent.toml"))
    assert load_profile() == Profile()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[athlete]\nsex = "f"', 'athlete.sex must be "female" or "male", not \'f\''),
        ("[athlete]\nmax_hr = 400", "athlete.max_hr must be a heart rate 25-250, not 400"),
        ('[athlete]\nthreshold_pace = "4.45"', "athlete.threshold_pace must look like"),
        ('[athlete]\ntimezone = "Mars/Olympus"', "'Mars/Olympus' is not a known time zone"),
        ('[athlete]\nunits = "furlongs"', 'athlete.units must be "metric" or "imperial"'),
        ("[athlete]\nmaxhr = 190", "unknown key athlete.maxhr"),
        ("[atlete]\nmax_hr = 190", "unknown section [atlete]"),
        ("[athlete\n", "not valid TOML"),
    ],
)
def test_wrong_keys_and_values_are_named(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_explicit_missing_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_profile(tmp_path / "nope.toml")
