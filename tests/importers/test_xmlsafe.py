"""Safe XML helpers shared by the GPX and TCX readers."""

from __future__ import annotations

import codecs
import time
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from stridewise.errors import CorruptFile, UnsafeFile
from stridewise.importers.gpx import read_gpx
from stridewise.importers.tcx import read_tcx
from stridewise.importers.xmlsafe import decode_xml, finite_float, iso_time, parse_xml, split_tag


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b'<?xml version="1.0"?><a>Caf\xc3\xa9</a>',
        b'  \r\n\t<?xml version="1.0" encoding="UTF-8"?><a>Caf\xc3\xa9</a>',
        b'<?xml version="1.0" encoding="ISO-8859-1"?><a>Caf\xe9</a>',
        '<?xml version="1.0" encoding="UTF-16"?><a>Café</a>'.encode("utf-16"),
    ],
    ids=["utf8-bom", "leading-whitespace", "declared-latin1", "utf16-bom"],
)
def test_decode_then_parse_any_usual_encoding(data: bytes):
    assert parse_xml(decode_xml(data, "f.gpx"), "f.gpx").text == "Café"


def test_undecodable_text_and_unknown_encoding_are_corrupt():
    with pytest.raises(CorruptFile) as caught:
        decode_xml(b"<a>Caf\xe9</a>", "f.gpx")
    assert (
        str(caught.value)
        == "f.gpx: not valid XML: not UTF-8 text (cannot decode the byte at offset 6)"
    )
    with pytest.raises(CorruptFile, match=r"^f\.gpx: not valid XML: unknown text encoding 'x-no'"):
        decode_xml(b'<?xml version="1.0" encoding="x-no"?><a/>', "f.gpx")


def test_parameter_entities_are_refused_too():
    text = '<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><a/>'
    with pytest.raises(UnsafeFile, match=r"^f\.tcx: XML entities are not allowed"):
        parse_xml(text, "f.tcx")


def test_undefined_entity_is_corrupt_not_read():
    with pytest.raises(CorruptFile, match=r"^f\.gpx: not valid XML: undefined entity"):
        parse_xml("<a>&nbsp;</a>", "f.gpx")


def test_split_tag():
    assert split_tag("{http://x/ns}hr") == ("http://x/ns", "hr")
    assert split_tag("hr") == ("", "hr")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.5", 12.5), (" 7 ", 7.0), ("nan", None), ("inf", None), ("abc", None), (None, None)],
)
def test_finite_float(text, expected):
    assert finite_float(text) == expected


def test_iso_time_in_utc_and_naive_flagged():
    assert iso_time("2015-12-11T15:43:13.994+01:00") == (
        datetime(2015, 12, 11, 14, 43, 13, 994000, tzinfo=UTC),
        False,
    )
    when, naive = iso_time("2024-05-04T09:00:00")
    assert naive and when == datetime(2024, 5, 4, 9, tzinfo=timezone(timedelta(0)))
    assert iso_time("yesterday") == (None, False)


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("name", "reader"), [("gpx/billion-laughs.gpx", read_gpx), ("tcx/billion-laughs.tcx", read_tcx)]
)
def test_billion_laughs_is_refused_fast_and_with_flat_memory(name, reader):
    data = (FIXTURES / name).read_bytes()
    file_name = Path(name).name
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(UnsafeFile) as caught:
        reader(data, file_name)
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert str(caught.value) == (
        f"{file_name}: XML entities are not allowed (possible entity-expansion attack); refused"
    )
    assert elapsed < 1.0
    assert peak < 5 * 2**20  # expanded, lol9 alone would be 3 GB
