"""Charts not drawn again when nothing they show has changed (``report.drawing``): a report
written twice into one folder draws nothing the second time and writes the same bytes; what
changed is drawn; a chart file or manifest that is not what was written is never trusted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_history import ATHLETE, PROFILE, REPORT_WEEK, TODAY

from stridewise.pain import add_pain
from stridewise.report import build_report, drawing, write_report
from stridewise.report.drawing import MANIFEST, _NotDigestible, chart_digest
from stridewise.store import Store


@pytest.fixture
def database(report_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "stridewise.db"
    shutil.copy(report_db, path)
    return path


@pytest.fixture
def renders(monkeypatch):
    """The keys of the charts drawn (``style.render`` called), in order."""
    from stridewise.report import style

    drawn: list[str] = []
    real = style.render

    def counting(figure, fmt="svg", salt="chart"):
        drawn.append(salt)
        return real(figure, fmt, salt)

    monkeypatch.setattr(style, "render", counting)
    return drawn


@pytest.fixture(scope="module")
def first_report(report_db: Path, tmp_path_factory) -> tuple[Path, list[str]]:
    """The W47 report written once into a folder, and the charts drawn for it."""
    from stridewise.report import style

    out = tmp_path_factory.mktemp("first") / "w47"
    drawn: list[str] = []
    real = style.render

    def counting(figure, fmt="svg", salt="chart"):
        drawn.append(salt)
        return real(figure, fmt, salt)

    style.render = counting
    try:
        _write(report_db, out)
    finally:
        style.render = real
    return out, drawn


@pytest.fixture
def out(first_report, tmp_path: Path) -> Path:
    """A copy of the first report's folder, to write the report into again."""
    copy = tmp_path / "w47"
    shutil.copytree(first_report[0], copy, symlinks=True)
    return copy


def _write(database: Path, out: Path, *, reuse: bool = True) -> None:
    with Store(database, readonly=True) as store:
        report = build_report(
            store, ATHLETE, PROFILE, REPORT_WEEK, TODAY, reuse_charts_in=out if reuse else None
        )
    write_report(report, out)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_same_report_again_draws_nothing_and_writes_the_same_bytes(
    database, first_report, out, renders
):
    drawn_first = first_report[1]
    assert len(drawn_first) >= 8
    first = _files(out)
    manifest = json.loads(first[MANIFEST])
    assert sorted(manifest["charts"]) == sorted(drawn_first)
    _write(database, out)
    assert renders == []
    assert _files(out) == first


def test_without_reuse_every_chart_is_drawn(database, first_report, out, renders):
    count = len(first_report[1])
    _write(database, out, reuse=False)
    assert len(renders) == count


def test_only_the_charts_a_change_touches_are_drawn_again(database, first_report, out, renders):
    before = _files(out)
    with Store(database) as store:  # a pain day in the report week: only the pain chart shows it
        add_pain(store, ATHLETE, date(2026, 11, 18), 6, "after the long run")
    _write(database, out)
    assert renders == ["back-pain"]
    after = _files(out)
    changed = {name for name in after if after[name] != before.get(name)}
    assert {name for name in changed if name.endswith(".svg")} == {"back-pain.svg"}
    assert {"index.html", "report.json", MANIFEST} <= changed


def test_a_chart_file_changed_since_it_was_written_is_drawn_again(
    database, first_report, out, renders
):
    original = (out / "pmc.svg").read_bytes()
    (out / "pmc.svg").write_bytes(b"<svg>not what was drawn</svg>")
    _write(database, out)
    assert renders == ["pmc"]
    assert (out / "pmc.svg").read_bytes() == original


@pytest.mark.parametrize(
    "manifest",
    ["not json", json.dumps({"charts": []}), json.dumps(["charts"]), "symlink", "fifo"],
)
def test_a_manifest_stridewise_did_not_write_means_every_chart_is_drawn(
    database, first_report, out, renders, manifest
):
    count = len(first_report[1])
    (out / MANIFEST).unlink()
    if manifest == "symlink":
        (out / MANIFEST).symlink_to("/dev/zero")
    elif manifest == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(out / MANIFEST)
    else:
        (out / MANIFEST).write_text(manifest)
    _write(database, out)
    assert len(renders) == count
    assert json.loads((out / MANIFEST).read_text())["charts"]  # written anew, as a file


def test_a_manifest_entry_for_other_data_is_not_taken(database, first_report, out, renders):
    document = json.loads((out / MANIFEST).read_text())
    document["charts"]["pmc"]["digest"] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(document))
    _write(database, out)
    assert renders == ["pmc"]


def test_the_drawing_code_is_part_of_every_digest(
    database, first_report, out, renders, monkeypatch
):
    count = len(first_report[1])
    monkeypatch.setattr(drawing, "_code_fingerprint", lambda: "matplotlib 99|other code")
    _write(database, out)
    assert len(renders) == count


# -- the digest ----------------------------------------------------------------------------------
def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [date(2026, 11, 16), date(2026, 11, 17)],
            "load": [40.0, np.nan],
            "week": ["2026-W47", "2026-W47"],
        }
    )


def _digest(*args, **kwargs) -> str:
    return chart_digest("pmc", "svg", "pmc", args, kwargs)


def test_equal_arguments_give_equal_digests_and_any_difference_another():
    reference = _digest(_frame(), "TRIMP", date(2026, 11, 16))
    assert _digest(_frame(), "TRIMP", date(2026, 11, 16)) == reference
    changed_value = _frame()
    changed_value.loc[1, "load"] = 0.0
    changed_dtype = _frame().astype({"load": "float32"})
    changed_name = _frame().rename(columns={"load": "trimp"})
    changed_index = _frame().set_axis([5, 6])
    others = [
        _digest(changed_value, "TRIMP", date(2026, 11, 16)),
        _digest(changed_dtype, "TRIMP", date(2026, 11, 16)),
        _digest(changed_name, "TRIMP", date(2026, 11, 16)),
        _digest(changed_index, "TRIMP", date(2026, 11, 16)),
        _digest(_frame(), "rTSS", date(2026, 11, 16)),
        _digest(_frame(), "TRIMP", date(2026, 11, 23)),
        _digest(_frame(), "TRIMP", date(2026, 11, 16), window=(0.0, 10.0)),
        _digest(_frame(), "TRIMP", "2026-11-16"),  # a string is not the date
        chart_digest("pmc", "png", "pmc", (_frame(), "TRIMP", date(2026, 11, 16)), {}),
        chart_digest("daily_load", "svg", "pmc", (_frame(), "TRIMP", date(2026, 11, 16)), {}),
    ]
    assert len({reference, *others}) == len(others) + 1


def test_an_argument_it_cannot_read_is_refused_so_the_chart_is_drawn():
    with pytest.raises(_NotDigestible):
        _digest(object())
    with pytest.raises(_NotDigestible):
        _digest(pd.DataFrame({"shoe": ["Pegasus", object()]}))


def test_a_column_of_objects_tells_text_from_numbers():
    assert _digest(pd.DataFrame({"label": ["1", "2"]})) != _digest(
        pd.DataFrame({"label": [1, "2"]}, dtype=object)
    )


def _matplotlib_modules_after_report(database: Path, **options: object) -> str:
    """The matplotlib modules a fresh interpreter has loaded after building the W47 report with
    ``options``, as printed (every chart it shows has its image)."""
    script = f"""
import sys
from report_history import ATHLETE, PROFILE, REPORT_WEEK, TODAY
from stridewise.report import build_report
from stridewise.store import Store
with Store({str(database)!r}, readonly=True) as store:
    report = build_report(store, ATHLETE, PROFILE, REPORT_WEEK, TODAY, **{options!r})
assert all(chart.image is not None for chart in report.charts if chart.missing is None)
print(sorted(name for name in sys.modules if name.split(".")[0] == "matplotlib"))
"""
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), *sys.path])}
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert child.returncode == 0, child.stderr[-2000:]
    return child.stdout


def test_a_report_taken_wholly_from_its_folder_does_not_load_matplotlib(database, out):
    assert _matplotlib_modules_after_report(database, reuse_charts_in=str(out)) == "[]\n"


@pytest.mark.skipif(not drawing._can_fork(), reason="charts are drawn side by side by forking")
def test_charts_drawn_side_by_side_load_matplotlib_only_in_the_drawing_processes(database):
    """The drawing process loads matplotlib while the report runs the rules; the report's own
    process never needs it."""
    assert _matplotlib_modules_after_report(database, chart_workers=2) == "[]\n"


@pytest.mark.skipif(not drawing._can_fork(), reason="charts are drawn side by side by forking")
def test_charts_drawn_side_by_side_are_the_bytes_drawn_one_after_the_other(
    database, first_report, tmp_path
):
    """Two drawing processes give the same report as one: same charts, same files."""
    with Store(database, readonly=True) as store:
        report = build_report(store, ATHLETE, PROFILE, REPORT_WEEK, TODAY, chart_workers=2)
    drawn = [chart for chart in report.charts if chart.missing is None]
    assert len(drawn) == len(first_report[1])
    assert all(chart.image is not None for chart in drawn)
    write_report(report, tmp_path / "side-by-side")
    assert _files(tmp_path / "side-by-side") == _files(first_report[0])


def test_a_chart_that_fails_in_a_drawing_process_fails_the_report(database, monkeypatch):
    """An error inside a drawing process is raised here, as it would be drawing here."""
    from stridewise.report import charts

    def broken(*args, **kwargs):
        raise RuntimeError("the pmc chart broke")

    monkeypatch.setattr(charts, "pmc", broken)  # forked processes inherit the patch
    with Store(database, readonly=True) as store, pytest.raises(RuntimeError, match="pmc chart"):
        build_report(store, ATHLETE, PROFILE, REPORT_WEEK, TODAY, chart_workers=2)


@pytest.mark.skipif(not drawing._can_fork(), reason="charts are drawn side by side by forking")
def test_a_report_that_fails_before_its_charts_stops_its_drawing_process(database, monkeypatch):
    """The drawing process forked at the report's start does not outlive a report that fails."""
    import multiprocessing
    import time

    from stridewise import rules

    running_when_it_failed: list[int] = []

    def broken(*args, **kwargs):
        running_when_it_failed.extend(p.pid for p in multiprocessing.active_children())
        raise RuntimeError("the rules broke")

    monkeypatch.setattr(rules, "evaluate", broken)
    with Store(database, readonly=True) as store, pytest.raises(RuntimeError, match="rules broke"):
        build_report(store, ATHLETE, PROFILE, REPORT_WEEK, TODAY, chart_workers=2)
    assert running_when_it_failed  # the drawing process had started
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()
