"""Hostile Apple Health exports: entities in the DOCTYPE, zip bombs disguised as export.xml,
entries that lie about their size, route paths leading out of the export, and mutated XML. Each
ends in one line naming the file, or in whole activities; memory stays flat as the file grows.
"""

from __future__ import annotations

import importlib.util
import random
import struct
import sys
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from fuzzing import (
    fuzz_settings,
    message_problem,
    mutated,
    time_limit,
    truncate,
    xml_absurd_numbers,
    xml_absurd_times,
    xml_element_surgery,
    xml_hostile_text,
    xml_truncate_at_tag,
)
from hypothesis import given

from stridewise.errors import CorruptFile, StridewiseError, UnsafeFile
from stridewise.importers import apple_health
from stridewise.importers.apple_health import open_apple_health
from stridewise.model import check_samples

REPO = Path(__file__).resolve().parents[2]
ENTITIES_REFUSED = "XML entities are not allowed (possible entity-expansion attack); refused"
XML_ENTRY = "apple_health_export/export.xml"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_apple_export", REPO / "scripts" / "generate_apple_export.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def _read(path: Path) -> list:
    with open_apple_health(path) as export:
        return list(export.activities())


def _bare(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _small_export(layout: str = "ios17") -> str:
    """A whole export with one workout (the treadmill run) and its records."""
    head = GEN.prolog(layout) + '<HealthData locale="de_DE">\n'
    records = [
        GEN.record(
            "HeartRate",
            GEN.WATCH,
            GEN.TREADMILL_START + timedelta(seconds=s),
            unit="count/min",
            value=140 + s % 20,
        )
        for s in range(0, 1800, 60)
    ]
    return head + "".join(records) + GEN._treadmill(layout, GEN.METRIC) + "</HealthData>\n"


# --- entities --------------------------------------------------------------------------------


def _billion_laughs() -> str:
    lines = ['<!DOCTYPE HealthData [\n <!ENTITY lol "lol">\n']
    for level in range(1, 10):
        inner = "&lol;" if level == 1 else f"&lol{level - 1};"
        lines.append(f' <!ENTITY lol{level} "{inner * 10}">\n')
    return "".join(lines) + "]>\n"


BILLION_LAUGHS = _billion_laughs()


@pytest.mark.parametrize(
    "doctype",
    [
        BILLION_LAUGHS,
        '<!DOCTYPE HealthData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',
        '<!DOCTYPE HealthData [<!ENTITY % remote SYSTEM "http://example.org/x.dtd"> %remote;]>\n',
        # hidden behind the iOS 16 defect: the unclosed ATTLIST swallows nothing here
        "<!DOCTYPE HealthData [\n<!ATTLIST VisionPrescription\n  brand CDATA #IMPLIED\n\n"
        '<!ENTITY lol "lol">\n]>\n',
    ],
    ids=["billion-laughs", "external", "parameter", "after-the-ios16-defect"],
)
def test_entities_in_the_doctype_are_refused_before_parsing(tmp_path, doctype):
    body = '<HealthData locale="en_US"><Me/><Record type="x" value="&lol9;"/></HealthData>'
    path = _bare(tmp_path, '<?xml version="1.0"?>\n' + doctype + body)
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFile) as caught:
            open_apple_health(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value) == f"export.xml: {ENTITIES_REFUSED}"
    assert peak < 8 * 2**20


def test_an_entity_reference_without_a_declaration_is_refused(tmp_path):
    path = _bare(tmp_path, '<HealthData locale="en_US"><Me name="&secret;"/></HealthData>')
    with pytest.raises(UnsafeFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == f"export.xml: {ENTITIES_REFUSED}"


def test_the_five_xml_entities_and_character_references_are_fine(tmp_path):
    xml = _small_export().replace('sourceVersion="10.3"', 'sourceVersion="10.3 &amp; &#169;"', 1)
    assert len(_read(_bare(tmp_path, xml))) == 1


def test_a_doctype_that_never_ends_is_refused(tmp_path):
    path = _bare(tmp_path, "<!DOCTYPE HealthData [\n" + "<!-- x -->\n" * 500_000)
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        "export.xml: not an Apple Health export (no end of its DOCTYPE in the first 4 MB)"
    )


# --- zips ------------------------------------------------------------------------------------


def test_a_zip_bomb_disguised_as_export_xml_is_refused_before_decompressing(tmp_path):
    path = tmp_path / "export.zip"
    padding = " " * (32 * 2**20)  # compresses about a thousand times
    path.write_bytes(GEN.zip_bytes({XML_ENTRY: f'<HealthData locale="en_US">{padding}'}))
    info = zipfile.ZipFile(path).getinfo(XML_ENTRY)
    ratio = info.file_size / info.compress_size
    with pytest.raises(UnsafeFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        f"export.zip: entry {XML_ENTRY} would expand {ratio:.0f} times (to 32 MB); refused as a "
        "zip bomb"
    )


def test_export_xml_larger_than_the_cap_is_refused(tmp_path, monkeypatch):
    path = GEN.write_export(tmp_path)
    monkeypatch.setattr(apple_health, "MAX_EXPORT_XML_BYTES", 2**20)
    with pytest.raises(UnsafeFile) as caught:
        open_apple_health(path)
    size = zipfile.ZipFile(path).getinfo(XML_ENTRY).file_size
    assert str(caught.value) == (
        f"export.zip/{XML_ENTRY}: declares {size / 2**20:,.0f} MB, more than the 1 MB accepted "
        "for it; refused"
    )


def test_the_cap_of_real_exports():
    assert apple_health.MAX_EXPORT_XML_BYTES == 8 * 2**30  # real exports reach 4 GB


def test_an_entry_holding_more_than_it_declares_is_read_no_further(tmp_path):
    """zipfile stops at the declared size: the rest is never decompressed, and the checksum of
    what was read does not match."""
    path = tmp_path / "export.zip"
    data = bytearray(GEN.zip_bytes({XML_ENTRY: _small_export()}))
    declared = 4000
    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, declared)
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, declared)
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        f"export.zip/{XML_ENTRY}: damaged inside the archive (Bad CRC-32 for file '{XML_ENTRY}')"
    )


def test_a_zip_slip_entry_refuses_the_whole_archive(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(GEN.zip_bytes({XML_ENTRY: _small_export(), "../../evil.gpx": "<gpx/>"}))
    with pytest.raises(UnsafeFile) as caught:
        open_apple_health(path)
    assert str(caught.value) == (
        "export.zip: entry '../../evil.gpx' climbs out of the archive with '..'; refused"
    )


@pytest.mark.parametrize("route", ["/../../../etc/passwd", "../export.xml", "/workout-routes/"])
def test_a_route_path_leading_out_of_the_export_is_never_read(tmp_path, route):
    xml = GEN.export_xml().replace(GEN.RUN_ROUTE, route)
    folder = tmp_path / "apple_health_export"
    folder.mkdir()
    (folder / "export.xml").write_text(xml)
    run = _read(folder)[0]
    assert run.warnings == [f"route file {route} is not in the export; imported without it"]
    assert "lat_deg" not in run.samples


# --- memory ----------------------------------------------------------------------------------


def _padded_export(tmp_path: Path, records: int) -> Path:
    """The small export with ``records`` heart-rate records outside the workout before it."""
    start = GEN.TREADMILL_START - timedelta(days=30)
    line = GEN.record(
        "HeartRate", GEN.WATCH, start, unit="count/min", value=60, device=GEN.WATCH_DEVICE
    )
    text = _small_export()
    cut = text.index("<HealthData")
    cut = text.index(">", cut) + 2
    path = tmp_path / f"export-{records}.xml"
    with path.open("w") as handle:
        handle.write(text[:cut])
        for _ in range(records // 1000):
            handle.write(line * 1000)
        handle.write(text[cut:])
    return path


def test_memory_does_not_grow_with_the_file(tmp_path):
    peaks = []
    for records in (10_000, 60_000):  # about 4 MB and 24 MB of XML
        path = _padded_export(tmp_path, records)
        tracemalloc.start()
        try:
            assert len(_read(path)) == 1
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < peaks[0] + 1 * 2**20, peaks
    assert peaks[1] < 12 * 2**20, peaks


# --- mutated exports -------------------------------------------------------------------------

SEEDS = [
    ("export.xml", _small_export("ios17").encode()),
    ("export.xml", _small_export("ios15").encode()),
]
MUTATORS = (
    truncate,
    xml_absurd_numbers,
    xml_absurd_times,
    xml_element_surgery,
    xml_hostile_text,
    xml_truncate_at_tag,
)


@fuzz_settings(60)
@given(mutated(SEEDS, MUTATORS))
def test_mutated_exports_end_in_activities_or_one_line(tmp_path_factory, case):
    name, data = case
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    try:
        with time_limit(10.0):
            activities = _read(path)
    except StridewiseError as exc:
        problem = message_problem(str(exc), name)
        assert problem is None, problem
        return
    for activity in activities:
        check_samples(activity.samples)
        assert activity.start_utc is not None


def test_workouts_with_unreadable_dates_are_named_and_the_others_kept(tmp_path):
    xml = _small_export().replace(
        "</HealthData>",
        ' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" sourceName="x" '
        'startDate="yesterday" endDate="today"/>\n</HealthData>',
    )
    with open_apple_health(_bare(tmp_path, xml)) as export:
        activities = list(export.activities())
    assert len(activities) == 1
    assert [problem.error for problem in export.problems] == [
        "export.xml Workout #2: no readable start and end date; left out"
    ]


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (
            "2500-01-01 10:00:00 +0000",
            "2500-01-01 11:00:00 +0000",
            "dated outside the years 1970-2199",
        ),
        (
            "0001-01-01 10:00:00 +0000",
            "0001-01-01 11:00:00 +0000",
            "dated outside the years 1970-2199",
        ),
        ("2026-01-01 11:00:00 +0000", "2026-01-01 10:00:00 +0000", "ends before it starts"),
    ],
)
def test_workouts_with_impossible_dates_are_left_out(tmp_path, start, end, reason):
    record = GEN.record("HeartRate", GEN.WATCH, GEN.TREADMILL_START, unit="count/min", value=1)
    record = record.replace(GEN.date_text(GEN.TREADMILL_START), start)
    xml = _small_export().replace(
        "</HealthData>",
        f'{record} <Workout workoutActivityType="HKWorkoutActivityTypeRunning" '
        f'sourceName="{GEN.WATCH}" startDate="{start}" endDate="{end}"/>\n</HealthData>',
    )
    with open_apple_health(_bare(tmp_path, xml)) as export:
        assert len(list(export.activities())) == 1
    assert [problem.error for problem in export.problems] == [
        f"export.xml Workout #2: {reason}; left out"
    ]


def test_random_bytes_named_export_xml(tmp_path):
    path = _bare(tmp_path, random.Random(7).randbytes(100_000))
    with pytest.raises(CorruptFile) as caught:
        open_apple_health(path)
    assert message_problem(str(caught.value), "export.xml") is None
