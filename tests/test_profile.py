from __future__ import annotations

import os
from pathlib import Path

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


# -- per-athlete profiles ----------------------------------------------------------------------
COACH = """
[athlete]
sex = "female"
max_hr = 188
timezone = "Europe/Amsterdam"

[rules.shoe_mileage]
limit_km = 700
caution_share_pct = 85

[athletes.anna]
max_hr = 192
units = "imperial"
[athletes.anna.rules.shoe_mileage]
limit_km = 800
[athletes.anna.rules.session_spike]
enabled = false

[athletes.ben]
sex = "male"
timezone = "America/New_York"
"""


@pytest.fixture
def coach_config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(COACH)
    return path


def test_an_athletes_section_overrides_the_shared_default_key_by_key(coach_config):
    anna = load_profile(coach_config, athlete="anna")
    assert anna == Profile(
        sex="female",  # shared
        max_hr=192.0,  # her own
        timezone="Europe/Amsterdam",
        units="imperial",
        rules={
            "shoe_mileage": {"limit_km": 800, "caution_share_pct": 85},
            "session_spike": {"enabled": False},
        },
        source=coach_config,
        athlete="anna",
        overrides=(
            "max_hr",
            "rules.session_spike",
            "rules.session_spike.enabled",
            "rules.shoe_mileage",
            "rules.shoe_mileage.limit_km",
            "units",
        ),
    )
    ben = load_profile(coach_config, athlete="ben")
    assert (ben.sex, ben.max_hr, ben.timezone, ben.units) == (
        "male",
        188.0,
        "America/New_York",
        "metric",
    )
    assert ben.rules == {"shoe_mileage": {"limit_km": 700, "caution_share_pct": 85}}


def test_an_athlete_without_a_section_gets_the_shared_default(coach_config):
    shared = load_profile(coach_config)
    assert load_profile(coach_config, athlete="carla") == shared
    assert shared.athlete is None and shared.overrides == ()
    assert shared.max_hr == 188.0


def test_the_config_lists_its_athletes(coach_config):
    from stridewise.profile import load_config

    assert load_config(coach_config).names == ("anna", "ben")


def test_setting_names_say_which_section_gave_them(coach_config):
    anna = load_profile(coach_config, athlete="anna")
    assert anna.setting_name("rules.shoe_mileage.limit_km") == (
        "athletes.anna.rules.shoe_mileage.limit_km"
    )
    assert anna.setting_name("rules.shoe_mileage.caution_share_pct") == (
        "rules.shoe_mileage.caution_share_pct"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[athletes.anna]\nmax_hr = 900",
            "athletes.anna.max_hr must be a heart rate 25-250, not 900",
        ),
        ("[athletes.anna]\nmaxhr = 190", "unknown key athletes.anna.maxhr"),
        ('[athletes.anna]\nsex = "f"', 'athletes.anna.sex must be "female" or "male", not \'f\''),
        (
            '[athletes.anna]\ntimezone = "Mars/Olympus"',
            "athletes.anna.timezone 'Mars/Olympus' is not a known time zone",
        ),
        ("athletes = 3", "[athletes.NAME] entries must be tables"),
        ("[athletes]\nanna = 3", "athletes.anna must be a table ([athletes.anna])"),
        ("[athletes.anna]\nrules = 3", "[athletes.anna.rules.<id>] entries must be tables"),
        ("[athlete]\nmax_hr = nan", "athlete.max_hr must be a heart rate 25-250, not nan"),
        ("[athlete]\nresting_hr = inf", "athlete.resting_hr must be a heart rate 25-250, not inf"),
        (
            "[athlete]\nmax_hr = 150\nresting_hr = 160",
            "athlete.max_hr (150) must be above athlete.resting_hr (160)",
        ),
        (
            "[athlete]\nmax_hr = 150\nresting_hr = 150",
            "athlete.max_hr (150) must be above athlete.resting_hr (150)",
        ),
        (
            "[athlete]\nmax_hr = 190\n[athletes.anna]\nresting_hr = 195",
            "athlete.max_hr (190) must be above athletes.anna.resting_hr (195)",
        ),
    ],
)
def test_wrong_athlete_sections_are_named_whoever_is_asked_for(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    for athlete in (None, "anna", "somebody-else"):
        with pytest.raises(ConfigError) as info:
            load_profile(path, athlete=athlete)
        assert str(info.value) == f"{path}: {message}"


# -- the file itself -------------------------------------------------------------------------------
def test_a_config_that_is_a_folder_is_one_line(tmp_path):
    (tmp_path / "config.toml").mkdir()
    with pytest.raises(ConfigError) as info:
        load_profile(tmp_path / "config.toml")
    assert str(info.value) == f"{tmp_path / 'config.toml'}: is a folder, not a regular file"


def test_a_config_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError) as info:
        load_profile(fifo)
    assert str(info.value) == f"{fifo}: is a named pipe (FIFO), not a regular file"


def test_a_config_far_too_large_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"# " + b"x" * (2**20))
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert str(info.value) == (
        f"{path}: 2 MB is too large for a config file (at most 1 MB); refused"
    )


def test_a_config_in_a_folder_that_cannot_be_searched_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / "locked" / "config.toml"
    real_stat = os.stat

    def refusing_stat(target, *args, **kwargs):
        if Path(target) == path:
            raise PermissionError(13, "Permission denied", str(target))
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refusing_stat)
    for explicit in (path, None):
        monkeypatch.setenv("STRIDEWISE_CONFIG", str(path))
        with pytest.raises(ConfigError) as info:
            load_profile(explicit)
        assert str(info.value) == f"{path}: cannot be read (Permission denied)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_config_in_an_unreadable_folder_is_one_line(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "config.toml").write_text("[athlete]\nmax_hr = 190\n")
    folder.chmod(0)
    try:
        with pytest.raises(ConfigError) as info:
            load_profile(folder / "config.toml")
        assert str(info.value) == f"{folder / 'config.toml'}: cannot be read (Permission denied)"
    finally:
        folder.chmod(0o700)
