"""The same run as the watch's FIT file, an exported GPX or TCX and a row of Strava's list, imported
in all six orders: the stored totals are identical every time, and they are the device's; what the
other copies add (a name, a shoe, a heart rate the watch lacked) is merged in (issue 14, fault 6).
On generated copies and on real pairs from the real-file corpus (tests/realdata.py)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from recording_faults import ListRow, device_and_app_copies, strava_list_csv

from stridewise.model import Activity
from stridewise.pipeline import import_paths
from stridewise.pipeline.merging import takes_precedence
from stridewise.profile import Profile
from stridewise.store import Store
from stridewise.views import activity_rows

ORDERS = list(itertools.permutations(["device", "export", "row"]))

#: What is compared between the six orders: the totals and where they came from.
TOTALS = ("start_utc", "utc_offset_s", "sport", "distance_km", "duration_s", "elapsed_s",
          "moving_s", "avg_heart_rate_bpm", "format", "source", "name", "shoe")  # fmt: skip


def _stored_after(tmp_path: Path, order: tuple[str, ...], files: dict[str, tuple[str, bytes]]):
    with Store(tmp_path / f"{'-'.join(order)}.sqlite") as store:
        for kind in order:
            name, data = files[kind]
            path = tmp_path / "-".join(order) / kind / name
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            import_paths(store, [path], jobs=1)
        rows = activity_rows(store, "me", Profile())
    assert len(rows) == 1, f"{order}: {len(rows)} activities stored"
    return {key: rows[0][key] for key in TOTALS}


def _same_in_every_order(tmp_path: Path, files: dict[str, tuple[str, bytes]]) -> dict:
    stored = [_stored_after(tmp_path, order, files) for order in ORDERS]
    for order, totals in zip(ORDERS[1:], stored[1:], strict=True):
        assert totals == stored[0], f"{order} stored other totals than {ORDERS[0]}"
    return stored[0]


def test_generated_copies_store_the_watchs_totals_in_every_order(tmp_path):
    fit, gpx, csv = device_and_app_copies()
    totals = _same_in_every_order(
        tmp_path,
        {"device": (fit.name, fit.data), "export": (gpx.name, gpx.data),
         "row": ("activities.csv", csv)},
    )  # fmt: skip
    assert (totals["format"], totals["source"]) == ("fit", fit.name)
    assert totals["distance_km"] == 4.489  # the watch's, not the GPX's 4.393 nor the row's 4.40
    assert totals["avg_heart_rate_bpm"] == 130.0  # the watch's, not 134 or 133
    assert totals["duration_s"] == 1500.0
    assert (totals["name"], totals["shoe"]) == ("Tempo by the sea", "Pegasus 40")  # the account's


REAL_TRIPLES = {
    # a Forerunner 15's 10 k, its TCX (Garmin Connect), and a Strava row with the heart rate
    # the watch did not record
    "10k-forerunner15": (
        "fit/activity/goldencheetah/10kUNLP2014-Garmin15.fit",
        "tcx/goldencheetah/10kUNLP2014-Garmin15.tcx",
        ListRow(101, datetime(2014, 10, 11, 18, 8, 45, tzinfo=UTC), "10k UNLP", "Run",
                10_000.0, 2224, 2230, 171.0, "Adios"),
    ),
    # a fr935 ride and the GPX Strava exported of it
    "ride-fr935": (
        "fit/activity/sweatpy/4801048867.fit",
        "gpx/sweatpy/4801048867_strava.gpx",
        ListRow(102, datetime(2020, 4, 18, 11, 10, 44, tzinfo=UTC), "Rondje achterhoek", "Ride",
                36_300.0, 5150, 5200, 131.0),
    ),
}  # fmt: skip


@pytest.mark.parametrize("triple", sorted(REAL_TRIPLES))
def test_real_pairs_store_the_devices_totals_in_every_order(tmp_path, real_dir, triple):
    fit_path, export_path, row = REAL_TRIPLES[triple]
    files = {
        "device": (Path(fit_path).name, (real_dir / fit_path).read_bytes()),
        "export": (Path(export_path).name, (real_dir / export_path).read_bytes()),
        "row": ("activities.csv", strava_list_csv([row])),
    }
    with Store(tmp_path / "fit-alone.sqlite") as store:
        import_paths(store, [real_dir / fit_path], jobs=1)
        [alone] = activity_rows(store, "me", Profile())
    totals = _same_in_every_order(tmp_path, files)
    assert totals["format"] == "fit"
    for key in ("start_utc", "distance_km", "duration_s", "elapsed_s", "moving_s"):
        assert totals[key] == alone[key], key
    expected_hr = alone["avg_heart_rate_bpm"] or row.avg_heart_rate  # the watch's, else the row's
    assert totals["avg_heart_rate_bpm"] == expected_hr
    assert totals["name"] == row.name


def _recording(fmt: str, samples: int, sha: str, device: str | None = "garmin fr935") -> tuple:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    activity = Activity(
        sport="running", start_utc=start, source_format=fmt, source_sha256=sha, device=device
    )
    return activity, samples


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        (("fit", 10, "b"), ("gpx", 5000, "a")),  # the device's file beats a denser export
        (("tcx", 10, "b"), ("gpx", 10, "a")),
        (("gpx", 1, "b"), ("strava-csv", 0, "a")),  # records beat a summary
        (("fit", 100, "b"), ("fit", 10, "a")),  # then more records
        (("fit", 10, "a"), ("fit", 10, "b")),  # between equals, the smaller content hash
    ],
)
def test_precedence_is_a_total_order(better, worse):
    new, new_samples = _recording(*better)
    stored, stored_samples = _recording(*worse)
    assert takes_precedence(new, new_samples, stored, stored_samples)
    assert not takes_precedence(stored, stored_samples, new, new_samples)


def test_a_fit_software_rewrote_ranks_as_an_export():
    rewritten, samples = _recording("fit", 100, "a", device=None)  # GoldenCheetah: no device
    assert not takes_precedence(rewritten, samples, *_recording("tcx", 200, "b"))
    assert takes_precedence(*_recording("fit", 10, "c"), rewritten, samples)
