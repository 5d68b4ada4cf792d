"""Safe archive reading: zip-slip names, zip bombs, nesting depth; nothing lands on disk."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from exports import Run, fit_bytes

from stridewise import archive
from stridewise.archive import FolderSource, ZipSource, open_zip, unsafe_name_reason
from stridewise.errors import CorruptFile, UnsafeFile
from stridewise.pipeline import import_paths
from stridewise.store import Store

START = datetime(2026, 9, 20, 7, 0, tzinfo=UTC)


def small_fit(day: int = 0) -> bytes:
    return fit_bytes(Run(START + timedelta(days=day), 120, 400.0))


def snapshot(root: Path) -> set[str]:
    """Every path under ``root`` (files and folders), relative."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def write_zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as handle:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 9, 20, 7, 0, 0))
            info.compress_type = method
            handle.writestr(info, data)
    return path


def lying_zip(path: Path, data: bytes, declared_size: int) -> Path:
    """A zip whose central directory declares ``declared_size`` for an entry holding ``data``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("run.fit", data)
        handle.filelist[0].file_size = declared_size
    return path


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../evil.fit", "climbs out of the archive with '..'"),
        ("activities/../../evil.fit", "climbs out of the archive with '..'"),
        ("/abs/evil.fit", "has an absolute path"),
        ("C:/Windows/evil.fit", "has an absolute path"),
        ("..\\..\\evil.fit", "climbs out of the archive with '..'"),
        ("activities/run.fit", None),
        ("a..b/run.fit", None),
    ],
)
def test_entry_names_that_escape_are_recognised(name, reason):
    assert unsafe_name_reason(name) == reason


@pytest.mark.parametrize("evil_name", ["../../evil.fit", "/abs/evil.fit"])
def test_zip_slip_archive_is_refused_and_nothing_is_written(tmp_path, evil_name):
    work = tmp_path / "work"
    work.mkdir()
    zip_path = write_zip(
        work / "export.zip",
        {
            "activities/1.fit": small_fit(0),
            evil_name: small_fit(1),
            "activities/2.fit": small_fit(2),
        },
    )
    with pytest.raises(UnsafeFile) as refused:
        open_zip(zip_path)
    assert str(refused.value) == f"{zip_path}: entry {evil_name!r} " + (
        "has an absolute path; refused"
        if evil_name.startswith("/")
        else "climbs out of the archive with '..'; refused"
    )
    around = tmp_path.parent  # this test's folder and its siblings
    with Store(tmp_path / "state" / "db.sqlite") as store:
        before = snapshot(around)
        report = import_paths(store, [zip_path], jobs=1)
        after = snapshot(around)
        assert store.count_activities() == 0
        logged = store.import_log()
    assert report.imported == 0
    assert report.failed == [{"path": str(zip_path), "error": str(refused.value)}]
    assert list(logged["outcome"]) == ["failed"]
    state = str(Path(tmp_path.name) / "state")
    assert {p for p in after if not p.startswith(state)} == {
        p for p in before if not p.startswith(state)
    }
    assert not Path("/abs/evil.fit").exists()
    assert not any(p.endswith("evil.fit") for p in snapshot(around.parent))


def test_zip_bomb_by_compression_ratio_is_refused_before_decompressing(tmp_path):
    zeros = b"\0" * (20 * 2**20)
    bomb = write_zip(tmp_path / "bomb.zip", {"run.fit": small_fit(), "big.fit": zeros})
    with pytest.raises(UnsafeFile) as refused:
        open_zip(bomb)
    message = str(refused.value)
    assert message.startswith(f"{bomb}: entry big.fit would expand ")
    assert message.endswith("times (to 20 MB); refused as a zip bomb")


def test_archive_declaring_more_than_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 300_000)
    noise = os.urandom(200_000)  # incompressible: no ratio alarm, only the total
    path = write_zip(tmp_path / "big.zip", {"a.fit": noise, "b.fit": noise})
    with pytest.raises(UnsafeFile) as refused:
        open_zip(path)
    assert str(refused.value) == (
        f"{path}: declares 0.0 GB of uncompressed data, more than 0 GB; "
        "refused as a possible zip bomb"
    )


def test_entry_yielding_more_than_it_declares_is_refused(tmp_path):
    data = small_fit()
    path = lying_zip(tmp_path / "lying.zip", data, declared_size=100)
    with open_zip(path) as source, pytest.raises(UnsafeFile) as refused:
        source.read("run.fit")
    assert str(refused.value) == (
        f"{path}/run.fit: holds more data than the archive declares; refused as a zip bomb"
    )


def test_entry_with_a_wrong_checksum_is_damaged(tmp_path):
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("run.fit", small_fit())
        handle.filelist[0].CRC ^= 0x5A5A
    with open_zip(path) as source, pytest.raises(CorruptFile) as damaged:
        source.read("run.fit")
    assert str(damaged.value) == f"{path}/run.fit: damaged inside the archive (checksum mismatch)"


def test_reading_beyond_the_tree_budget_is_refused(tmp_path, monkeypatch):
    files = {f"{n}.fit": os.urandom(50_000) for n in range(4)}
    path = write_zip(tmp_path / "many.zip", files)
    with open_zip(path) as source:
        monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 120_000)  # after the declared check
        source.read("0.fit")
        source.read("1.fit")
        with pytest.raises(UnsafeFile) as refused:
            source.read("2.fit")
    assert str(refused.value) == (
        f"{path}/2.fit: the archive {path} unpacks to more than 0 GB; "
        "refused as a possible zip bomb"
    )


def test_nested_zips_are_read_two_deep_and_refused_deeper(tmp_path):
    innermost = io.BytesIO()
    write_zip_to(innermost, {"deep.fit": small_fit(5)})
    part = io.BytesIO()
    write_zip_to(
        part, {"1.fit": small_fit(1), "2.fit": small_fit(2), "deeper.zip": innermost.getvalue()}
    )
    outer = write_zip(
        tmp_path / "uploads.zip", {"part1.zip": part.getvalue(), "0.fit": small_fit(0)}
    )
    with open_zip(outer) as source, source.open_nested("part1.zip") as nested:
        assert nested.depth == 2
        assert sorted(nested.names()) == ["1.fit", "2.fit", "deeper.zip"]
        assert nested.read("1.fit") == small_fit(1)
        with pytest.raises(UnsafeFile) as refused:
            nested.open_nested("deeper.zip")
    assert str(refused.value) == (
        f"{outer}/part1.zip/deeper.zip: a zip inside a zip inside a zip; archives nested more "
        "than 2 deep are refused"
    )
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [outer], jobs=1)
        assert store.count_activities() == 3  # 0.fit, 1.fit and 2.fit
    assert report.failed == [{"path": f"{outer}/part1.zip/deeper.zip", "error": str(refused.value)}]


def write_zip_to(target: io.BytesIO, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, data in entries.items():
            handle.writestr(name, data)


def test_large_nested_zip_is_read_through_an_anonymous_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "NESTED_IN_MEMORY_BYTES", 1000)
    part = io.BytesIO()
    write_zip_to(part, {"1.fit": small_fit(1), "2.fit": small_fit(2)})
    outer = write_zip(tmp_path / "uploads.zip", {"part1.zip": part.getvalue()}, zipfile.ZIP_STORED)
    before = snapshot(tmp_path)
    with open_zip(outer) as source:
        nested = source.open_nested("part1.zip")
        assert nested.read("2.fit") == small_fit(2)
        nested.close()
    assert snapshot(tmp_path) == before


def test_macos_resource_forks_and_folders_are_not_files(tmp_path):
    path = write_zip(
        tmp_path / "original.zip",
        {"run.fit": small_fit(), "__MACOSX/._run.fit": b"\0\5\26\7", "sub/": b""},
    )
    with open_zip(path) as source:
        assert source.names() == ["run.fit"]


def test_a_zip_of_several_activity_files_imports_each(tmp_path):
    path = write_zip(tmp_path / "runs.zip", {f"{n}.fit": small_fit(n) for n in range(3)})
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
        logged = set(store.import_log()["path"])
    assert report.imported == 3
    assert logged == {f"{path}/{n}.fit" for n in range(3)}


def test_a_one_activity_zip_is_still_a_plain_file(tmp_path):
    path = write_zip(tmp_path / "123_ACTIVITY.zip", {"123_ACTIVITY.fit": small_fit()})
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
        logged = list(store.import_log()["path"])
    assert report.imported == 1
    assert logged == [str(path)]


def test_not_a_zip_is_reported_as_damaged(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"this is not a zip")
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [path], jobs=1)
    assert report.failed[0]["path"] == str(path)
    assert report.failed[0]["error"].startswith(f"{path}: not a valid zip archive")


def test_folder_source_leaves_out_links_leading_outside(tmp_path):
    outside = tmp_path / "outside.fit"
    outside.write_bytes(small_fit())
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    (root / "activities" / "1.fit").write_bytes(small_fit(1))
    (root / "activities" / "link.fit").symlink_to(outside)
    source = FolderSource(root)
    assert source.names() == ["activities/1.fit"]
    assert source.read("activities/1.fit") == small_fit(1)


def test_zip_source_reads_from_memory(tmp_path):
    buffer = io.BytesIO()
    write_zip_to(buffer, {"a.fit": small_fit()})
    with ZipSource(buffer, "in-memory.zip") as source:
        assert source.read("a.fit") == small_fit()


def test_a_zip_slip_entry_inside_a_nested_part_refuses_that_part(tmp_path):
    part = io.BytesIO()
    write_zip_to(part, {"1.fit": small_fit(1), "../../evil.fit": small_fit(2)})
    outer = write_zip(
        tmp_path / "uploads.zip", {"part1.zip": part.getvalue(), "0.fit": small_fit(0)}
    )
    with Store(tmp_path / "db.sqlite") as store:
        report = import_paths(store, [outer], jobs=1)
        assert store.count_activities() == 1  # 0.fit; the part is refused whole
    assert report.failed == [
        {
            "path": f"{outer}/part1.zip",
            "error": f"{outer}/part1.zip: entry '../../evil.fit' climbs out of the archive with "
            "'..'; refused",
        }
    ]
    assert not any(p.endswith("evil.fit") for p in snapshot(tmp_path.parent))
