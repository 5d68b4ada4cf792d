"""An Apple Health export through the whole import: the zip, the unpacked folder and a bare
export.xml are recognised, workouts are stored once (a re-import adds nothing), wellness and
the runner's birth year and sex are kept, and a bad export is one line."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.pipeline import import_paths
from stridewise.store import Store

REPO = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_apple_export", REPO / "scripts" / "generate_apple_export.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GEN = _generator()
WORKOUTS = sum(
    1 for value in GEN.EXPECTED.values() if isinstance(value, dict) and "local_start" in value
)


@pytest.mark.parametrize("form", ["zip", "folder", "xml"])
def test_every_form_of_the_export_imports_its_workouts_once(tmp_path, form):
    if form == "zip":
        path = GEN.write_export(tmp_path / "in")
    else:
        folder = GEN.write_folder(tmp_path / "in")
        path = folder if form == "folder" else folder / "export.xml"
    with Store(tmp_path / "x.db") as store:
        report = import_paths(store, [path], jobs=1)
        assert report.failed == [], report.failed
        assert report.imported == WORKOUTS
        stored = store.activities_frame("me")
        assert set(stored["source_format"]) == {"apple-health"}
        assert report.wellness_days > 0
        again = import_paths(store, [path], jobs=1)
        assert (again.imported, again.already_imported) == (0, WORKOUTS)
        assert store.count_activities("me") == WORKOUTS
        facts = store.athlete_facts("me")
    assert facts["sex"][0] in ("female", "male")
    assert facts["birth_year"][1] == "Apple Health export"


def test_the_command_line_imports_an_export_and_reads_its_runs(tmp_path):
    path = GEN.write_export(tmp_path / "in")
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == WORKOUTS
    listed = json.loads(CliRunner().invoke(cli, ["--db", str(db), "activities", "--json"]).stdout)
    assert {a["sport"] for a in listed} >= {"running", "walking"}


def test_a_zip_without_export_xml_is_one_line_and_nothing_is_stored(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(GEN.zip_bytes({"apple_health_export/export_cda.xml": GEN.CDA}))
    with Store(tmp_path / "x.db") as store:
        report = import_paths(store, [path], jobs=1)
        assert store.count_activities("me") == 0
    [failure] = report.failed
    assert failure["error"].startswith("export.zip: holds only export_cda.xml")
    assert "\n" not in failure["error"]


def _gpx_of(samples, name: str) -> str:
    """The route of a stored run as a platform's GPX export writes it (positions and times)."""
    points = samples.dropna(subset=["lat_deg", "lon_deg"])
    rows = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>{time:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
        for time, lat, lon in zip(points.index, points["lat_deg"], points["lon_deg"], strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="StravaGPX" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name><type>running</type>'
        f"<trkseg>{rows}</trkseg></trk></gpx>"
    )


@pytest.mark.parametrize("apple_first", [True, False])
def test_a_watch_run_also_exported_by_strava_is_stored_once_as_the_watchs(tmp_path, apple_first):
    export = GEN.write_export(tmp_path / "in")
    with Store(tmp_path / "probe.db") as probe:
        import_paths(probe, [export], jobs=1)
        frame = probe.activities_frame("me")
        runs = frame[(frame["sport"] == "running") & (frame["n_samples"] > 0)]
        outdoor = next(
            int(i) for i in runs["id"] if probe.load_samples(int(i))["lat_deg"].notna().sum() > 10
        )
        gpx = tmp_path / "strava" / "run.gpx"
        gpx.parent.mkdir()
        gpx.write_text(_gpx_of(probe.load_samples(outdoor), "Morning Run"), encoding="utf-8")
    first, second = (export, gpx) if apple_first else (gpx, export)
    with Store(tmp_path / "x.db") as store:
        import_paths(store, [first], jobs=1)
        report = import_paths(store, [second], jobs=1)
        stored = store.activities_frame("me")
    assert len(stored) == WORKOUTS  # the Strava GPX is the same run: merged, not added
    assert report.merged + report.replaced >= 1
    assert "gpx" not in set(stored["source_format"])  # the watch's own recording is kept
