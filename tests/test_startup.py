"""``stridewise --help`` starts fast: the command line loads no pandas, numpy or matplotlib.

Each of those costs a runner a noticeable pause (pandas alone more than all of the rest of the
start-up), so the commands import the library inside their functions. The check runs in a fresh
interpreter: this test process has long imported all three. How fast start-up is exactly is
measured by benchmarks/bench_startup.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("pandas", "numpy", "matplotlib")

#: Runs --version and every command's --help, then prints what of HEAVY was imported.
PROBE = """
import json, sys
from click.testing import CliRunner
import stridewise.cli
from stridewise.cli import cli

def paths(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from paths(command, (*prefix, name))

after_import = [m for m in HEAVY if m in sys.modules]
runner = CliRunner()
helps = [(), *paths(cli)]
codes = {" ".join(p) or "stridewise": runner.invoke(cli, [*p, "--help"]).exit_code for p in helps}
version = runner.invoke(cli, ["--version"])
print(json.dumps({
    "after_import": after_import,
    "after_help": [m for m in HEAVY if m in sys.modules],
    "codes": codes,
    "version": [version.exit_code, version.output],
}))
"""


@pytest.fixture(scope="module")
def probe() -> dict:
    """What a fresh interpreter loaded for --version and every --help, and what they returned."""
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        check=True,
    )
    return json.loads(done.stdout)


def test_importing_the_command_line_loads_no_pandas_numpy_or_matplotlib(probe):
    assert probe["after_import"] == []


def test_version_and_every_help_load_no_pandas_numpy_or_matplotlib(probe):
    assert probe["after_help"] == []
    assert len(probe["codes"]) > 10  # every command and subcommand was asked
    assert set(probe["codes"].values()) == {0}


def test_version_is_the_package_version(probe):
    from stridewise import __version__

    assert probe["version"] == [0, f"stridewise, version {__version__}\n"]


#: Imports one file into a new database through the command line, then prints which
#: libraries the import loaded that it does not need.
IMPORT_PROBE = """
import json, sys
from stridewise.cli import cli
try:
    cli(["-q", "--db", sys.argv[1], "import", sys.argv[2]], standalone_mode=False)
finally:
    print(json.dumps([m for m in NOT_NEEDED if m in sys.modules]))
"""

#: What importing any one file must not load: matplotlib and Jinja2 (the report's), the tree
#: XML libraries, the export readers and the worker pool's multiprocessing.
NEVER_NEEDED = (
    "matplotlib",
    "lxml",
    "defusedxml",
    "jinja2",
    "stridewise.importers.apple_health",
    "stridewise.importers.garmin_export",
    "stridewise.importers.strava_export",
    "concurrent.futures.process",
)

#: ... and, by format: a FIT file needs neither the XML readers nor pandas; a GPX or TCX file
#: read by the streaming readers neither gpxpy (the GPX reference reader's), the FIT readers nor
#: pandas; a training log neither pandas nor any reader of recordings. Paths from the
#: repository's root.
NOT_NEEDED = {
    "data/samples/watch/*.fit": (
        *NEVER_NEEDED,
        "pandas",
        "gpxpy",
        "stridewise.importers.csv_log",
        "stridewise.importers.gpx",
        "stridewise.importers.tcx",
    ),
    "data/samples/phone/*.gpx": (
        *NEVER_NEEDED,
        "pandas",
        "gpxpy",
        "fitparse",
        "stridewise.importers.csv_log",
        "stridewise.importers.fit",
        "stridewise.importers.tcx",
    ),
    "tests/fixtures/tcx/strava-leading-whitespace.tcx": (
        *NEVER_NEEDED,
        "pandas",
        "gpxpy",
        "fitparse",
        "stridewise.importers.csv_log",
        "stridewise.importers.fit",
        "stridewise.importers.gpx",
    ),
    "tests/fixtures/csv_log/bom-header-aliases.csv": (
        *NEVER_NEEDED,
        "pandas",
        "gpxpy",
        "fitparse",
        "stridewise.importers.fit",
        "stridewise.importers.gpx",
        "stridewise.importers.tcx",
    ),
}


@pytest.mark.parametrize("pattern", sorted(NOT_NEEDED))
def test_importing_one_file_loads_only_what_it_needs(pattern: str, tmp_path: Path):
    one_file = sorted(SRC.parent.glob(pattern))[0]
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"NOT_NEEDED = {NOT_NEEDED[pattern]!r}\n{IMPORT_PROBE}",
            str(tmp_path / "new.db"),
            str(one_file),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []
    from stridewise.store import Store

    with Store(tmp_path / "new.db", readonly=True) as store:
        assert store.count_activities() == 1
