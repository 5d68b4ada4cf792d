"""Fuzzing compressed files and export archives: .gz files and one-activity zips through
``read_activities``' unpacking, and Garmin Connect / Strava export zips through ``import_paths``.

When the fuzzer finds a bug in code another helper owns, it gets a strict xfail test below naming
the file and the fix, and the fuzz tests let exactly that signature pass (``KNOWN_BUGS``: a
pattern of the finding's problem, and the file) so that they keep looking for new ones. Remove
the entry when its xfail test starts passing. The bugs found so far are fixed: the tests below
that pinned them pass.
"""

from __future__ import annotations

import functools
import gzip
import io
import random
import re
import struct
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import fuzzing
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridewise.errors import CorruptFile, StridewiseError, UnsupportedFile
from stridewise.importers.dispatch import unpack
from stridewise.pipeline import import_paths
from stridewise.store import Store

#: Problems the fuzzer finds today in other helpers' files (see the xfail tests); none now.
KNOWN_BUGS: dict[str, str] = {}


def _known(problem: str) -> bool:
    return any(re.search(pattern, problem) for pattern in KNOWN_BUGS)


def _check(name: str, data: bytes) -> None:
    try:
        fuzzing.check_input(data, name)
    except fuzzing.FuzzFailure as failure:
        if not _known(failure.finding.problem):
            raise


REPO_SEEDS = {
    fmt: fuzzing.seed_files(fmt, None, limit=8, size=4096) for fmt in ("fit", "gpx", "tcx")
}


@st.composite
def _wrapped(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(REPO_SEEDS)))
    _, data = draw(st.sampled_from(REPO_SEEDS[fmt]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        name, packed = f"run.{fmt}.gz", fuzzing.gzip_wrap(data)
    else:
        name, packed = "run.zip", fuzzing.zip_wrap(rng, data, f"run.{fmt}")
    for _ in range(draw(st.integers(0, 2))):
        packed = rng.choice(fuzzing.BYTE_MUTATORS)(rng, packed)
    return name, packed


@fuzzing.fuzz_settings(150)
@given(_wrapped())
def test_gzipped_and_zipped_activity_files(wrapped: tuple[str, bytes]) -> None:
    _check(*wrapped)


@functools.cache
def _export_seeds() -> dict[str, dict[str, bytes]]:
    return fuzzing.export_seeds()


@fuzzing.fuzz_settings(40)
@given(st.integers(0, 2**32 - 1))
def test_mutated_garmin_and_strava_exports(seed: int) -> None:
    """Export zips with members mutated, hostile members added, the archive damaged: the import
    raises nothing, names the file in each failure and leaves the store consistent."""
    name, data = fuzzing.export_input(random.Random(seed), _export_seeds())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with Store(Path(folder) / "fuzz.db") as store:
            try:
                fuzzing.check_import(path, store)
            except fuzzing.FuzzFailure as failure:
                if not _known(failure.finding.problem):
                    raise


def test_unmutated_export_seeds_import_cleanly(tmp_path: Path) -> None:
    """The seeds the export fuzzing mutates are real exports to the importer."""
    for kind, members in _export_seeds().items():
        path = tmp_path / f"{kind}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        with Store(tmp_path / f"{kind}.db") as store:
            outcome = fuzzing.check_import(path, store)
        assert (outcome.kind, outcome.activities) == ("activities", 2), outcome


# --- the bugs the fuzzer found (fixed; each test keeps its fix) -----------------------------------

GPX = (fuzzing.FIXTURES / "gpx" / "two-segments-with-gap.gpx").read_bytes()


def test_a_small_gz_file_takes_little_memory() -> None:
    unpack(gzip.compress(GPX), "warm-up.gpx.gz")
    tracemalloc.start()
    try:
        unpack(gzip.compress(GPX), "small.gpx.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20


def _damaged_deflate_gz() -> bytes:
    packed = bytearray(gzip.compress(GPX * 3, mtime=0))
    packed[10] ^= 0xFF  # the first byte of the deflate stream
    return bytes(packed)


def _damaged_deflate_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", GPX * 3)
    packed = bytearray(buffer.getvalue())
    packed[30 + len("run.gpx")] ^= 0xFF  # the first byte of the entry's deflate stream
    return bytes(packed)


def _central_directory_beyond_the_end() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", GPX)
    packed = bytearray(buffer.getvalue())
    struct.pack_into("<I", packed, packed.rfind(b"PK\x05\x06") + 16, len(packed) + 1000)
    return bytes(packed)


def _unsupported_zip_version() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", GPX)
    packed = bytearray(buffer.getvalue())
    central = packed.find(b"PK\x01\x02")
    packed[central + 6] = 99  # "version needed to extract": 9.9
    return bytes(packed)


def _encrypted_entry() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", GPX)
    packed = bytearray(buffer.getvalue())
    packed[6] |= 0x1  # general purpose flag, local header: encrypted
    packed[packed.find(b"PK\x01\x02") + 8] |= 0x1  # and in the central directory
    return bytes(packed)


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        ("damaged.gpx.gz", _damaged_deflate_gz, CorruptFile),
        ("damaged.zip", _damaged_deflate_zip, CorruptFile),
        ("bad-directory.zip", _central_directory_beyond_the_end, CorruptFile),
        ("future-version.zip", _unsupported_zip_version, UnsupportedFile),
        ("encrypted.zip", _encrypted_entry, UnsupportedFile),  # as archive.py says of exports
    ],
)
def test_damaged_compressed_files_are_refused_naming_the_file(
    name: str, build, expected: type[StridewiseError]
) -> None:
    try:
        unpack(build(), name)
    except StridewiseError as exc:
        assert type(exc) is expected, exc
        assert str(exc).startswith(f"{name}: ")
    except Exception as exc:
        raise AssertionError(f"{type(exc).__name__}: {exc}") from None
    else:
        raise AssertionError("read as if whole")


def test_read_activities_on_a_zip_applies_the_archive_checks(tmp_path: Path) -> None:
    from stridewise.errors import UnsafeFile
    from stridewise.pipeline import read_activities

    refused = 0
    for entries in ([("../../evil.gpx", GPX)], [("bomb.gpx", bytes(8 * 2**20))]):
        path = tmp_path / "suspect.zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry, data in entries:
                archive.writestr(entry, data)
        path.write_bytes(buffer.getvalue())
        try:
            read_activities(path)
        except UnsafeFile:
            refused += 1
        except StridewiseError:
            pass
    assert refused == 2


def test_an_export_member_error_names_the_export(tmp_path: Path) -> None:
    members = dict(_export_seeds()["garmin"])
    summaries = next(name for name in members if name.endswith("summarizedActivities.json"))
    members[summaries] = b"[{not json"
    path = tmp_path / "garmin-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with Store(tmp_path / "s.db") as store:
        report = import_paths(store, [path], jobs=1)
    assert report.failed
    assert all(failure["error"].startswith(f"{path}/") for failure in report.failed), report.failed


def _garmin_export_with_summary(tmp_path: Path, **changes: float) -> Path:
    """The Garmin seed export with the summary of its run without a FIT file changed."""
    import json

    members = dict(_export_seeds()["garmin"])
    name = next(name for name in members if name.endswith("summarizedActivities.json"))
    document = json.loads(members[name])
    for summary in document[0]["summarizedActivitiesExport"]:
        if summary["activityId"] == 102:  # stored as a summary-only activity
            summary.update(changes)
    members[name] = json.dumps(document).encode()
    path = tmp_path / "garmin-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_an_absurd_garmin_start_time_does_not_end_the_import(tmp_path: Path) -> None:
    path = _garmin_export_with_summary(tmp_path, startTimeGmt=1e300, beginTimestamp=1e300)
    with Store(tmp_path / "s.db") as store:
        report = import_paths(store, [path], jobs=1)
    assert report.imported == 1  # the run with a FIT file
    label = f"{path}/summarizedActivities.json #102"
    assert report.failed == [
        {
            "path": label,
            "error": f"{label}: the start time (1e+300 ms since 1970) is not a date; left out",
        }
    ]


def test_export_summaries_are_cleaned_like_files(tmp_path: Path) -> None:
    path = _garmin_export_with_summary(tmp_path, avgHr=300.0, maxHr=400.0, distance=-50_000.0)
    with Store(tmp_path / "s.db") as store:
        import_paths(store, [path], jobs=1)
        assert fuzzing.stored_value_problems(store.conn) is None
