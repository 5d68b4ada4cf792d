"""``-h``, ``-q`` and shell completion; what a new user installs (README, LICENSE, build
requirements, the demo's dependencies). The wheel itself is built and used by
scripts/check_wheel, which ``scripts/test`` runs after the suite."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner

from stridewise.cli import cli

REPO = Path(__file__).resolve().parents[2]

#: A run with one impossible heart rate: importing it warns twice.
GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:tpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>running</type>
<trkseg>{points}</trkseg></trk></gpx>
"""
POINT = (
    '<trkpt lat="52.{n:04d}" lon="4.0"><time>2026-03-02T08:00:{s:02d}Z</time><extensions>'
    "<tpx:TrackPointExtension><tpx:hr>{hr}</tpx:hr></tpx:TrackPointExtension></extensions></trkpt>"
)


def gpx_with_a_bad_heart_rate(path: Path) -> Path:
    points = "".join(POINT.format(n=n, s=5 * n, hr=300 if n == 1 else 140 + n) for n in range(4))
    path.write_text(GPX.format(points=points))
    return path


def test_quiet_hides_the_warnings_of_an_import(tmp_path):
    run = gpx_with_a_bad_heart_rate(tmp_path / "run.gpx")
    loud = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "import", str(run)])
    assert loud.stderr.splitlines() == [
        "warning: run.gpx: removed 1 heart-rate sample outside 25-250 bpm",
        "warning: run.gpx: the file's maximum heart rate (300 bpm) is outside 25-250 bpm; taken "
        "from the samples instead (143 bpm)",
    ]
    quiet = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "-q", "import", str(run)])
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert quiet.stdout.startswith("Imported 1 activities from 1 files")


def test_quiet_still_shows_errors(tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "a.db"), "--quiet", "import", str(tmp_path / "nope.fit")]
    )
    assert result.exit_code == 1
    assert result.stderr == f"failed: {tmp_path / 'nope.fit'}: no such file or folder\n"


def test_h_is_help_for_the_group_and_its_commands():
    for args in (["-h"], ["shoes", "-h"], ["shoes", "edit", "-h"], ["report", "-h"]):
        result = CliRunner().invoke(cli, args, prog_name="stridewise")
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: stridewise {' '.join(args[:-1])}".rstrip())
        assert "-h, --help" in result.output


def test_shell_completion_works_as_the_readme_says():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_STRIDEWISE_COMPLETE=bash_source stridewise)"' in readme
    env = {**os.environ, "_STRIDEWISE_COMPLETE": "bash_source"}
    script = subprocess.run(
        [sys.executable, "-m", "stridewise"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "_stridewise_completion" in script.stdout
    env.update(_STRIDEWISE_COMPLETE="bash_complete", COMP_WORDS="stridewise sho", COMP_CWORD="1")
    words = subprocess.run(
        [sys.executable, "-m", "stridewise"], env=env, capture_output=True, text=True, timeout=60
    )
    assert words.stdout.splitlines() == ["plain,shoes"]


def test_the_readme_says_how_to_install():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = readme[readme.index("## Install") :]
    assert "pipx install ." in install and "pip install ." in install


def test_the_licence_is_in_the_repository_and_the_build_knows_it():
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    # PEP 639's licence string needs setuptools 77 (setuptools 70 refuses "MIT")
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    assert project["project"]["license"] == "MIT"
    assert project["project"]["license-files"] == ["LICENSE"]
    assert "Programming Language :: Python :: 3.11" in project["project"]["classifiers"]


def test_the_demo_installs_runtime_dependencies_only():
    """The demo installed the test extras (70 packages instead of 28)."""
    demo = (REPO / "scripts" / "demo").read_text()
    assert 'STRIDEWISE_EXTRAS="" source' in demo
    test = (REPO / "scripts" / "test").read_text()
    assert "STRIDEWISE_EXTRAS=test source" in test
    venv = (REPO / "scripts" / "_venv.sh").read_text()
    assert '-e ".${extras:+[$extras]}"' in venv
    assert 'stamp=".venv/.stridewise-installed${extras:+-$extras}"' in venv
