"""The streaming GPX/TCX readers against their references (gpxpy, the ElementTree reader).

Every real GPX and TCX file, every sample and every fixture must give the very same outcome from
both: the same Activities (sample frames equal within float rounding, every summary value and
warning equal), or the same error. Hand-made edge cases check the reader switch, the fallback,
gzip streams, text decoding and gpxpy's messages for values it rejects.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pandas as pd
import pytest
from realdata import REAL

from stridewise.errors import ConfigError, CorruptFile, SkippedFile, StridewiseError
from stridewise.importers.dispatch import unpack
from stridewise.importers.gpx import read_gpx, read_gpx_fast, read_gpx_reference
from stridewise.importers.tcx import read_tcx, read_tcx_fast, read_tcx_reference
from stridewise.importers.xmlsafe import decode_xml
from stridewise.importers.xmlstream import READER_VARIABLE, FastReaderDeclined, decoded_chunks
from stridewise.pipeline import read_raw

REPO = Path(__file__).resolve().parents[2]
READERS = {".gpx": (read_gpx_fast, read_gpx_reference), ".tcx": (read_tcx_fast, read_tcx_reference)}


def _files() -> list[Path]:
    roots = [REPO / "data" / "samples", REPO / "tests" / "fixtures"]
    roots += [REAL / "gpx", REAL / "tcx"] if REAL is not None else []
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in READERS)


def _outcome(reader, data: bytes, name: str):
    try:
        return reader(data, name, None)
    except FastReaderDeclined as declined:
        return ("declined", declined.reason)
    except StridewiseError as exc:
        return (type(exc).__name__, str(exc))


def _assert_same_activities(fast, reference) -> None:
    assert len(fast) == len(reference)
    for mine, theirs in zip(fast, reference, strict=True):
        pd.testing.assert_frame_equal(mine.samples, theirs.samples, rtol=1e-9)
        skip = ("table", "decoder")
        assert {k: v for k, v in vars(mine).items() if k not in skip} == {
            k: v for k, v in vars(theirs).items() if k not in skip
        }


@pytest.mark.parametrize("path", _files(), ids=lambda path: path.name)
def test_fast_reader_equals_the_reference(path: Path) -> None:
    fast, reference = READERS[path.suffix]
    data = path.read_bytes()
    mine, theirs = _outcome(fast, data, path.name), _outcome(reference, data, path.name)
    if isinstance(mine, tuple) or isinstance(theirs, tuple):
        assert mine == theirs
    else:
        _assert_same_activities(mine, theirs)


def test_every_real_and_sample_file_is_read_by_the_fast_reader() -> None:
    declined = [
        path.name
        for path in _files()
        if isinstance(outcome := _outcome(READERS[path.suffix][0], path.read_bytes(), "x"), tuple)
        and outcome[0] == "declined"
    ]
    assert declined == []


# --- the switch and the fallback --------------------------------------------------------------

GPX = (REPO / "tests" / "fixtures" / "gpx" / "two-segments-with-gap.gpx").read_bytes()
TCX = (REPO / "tests" / "fixtures" / "tcx" / "strava-leading-whitespace.tcx").read_bytes()

#: gpxpy strips the first xmlns="..." of the text, here inside a comment: the fast reader cannot
#: be sure what gpxpy makes of that, so it declines. (With the GPX namespace left on the root,
#: gpxpy finds no track: the reference skips the file.)
XMLNS_IN_A_COMMENT = GPX.replace(b' xmlns="http://www.topografix.com/GPX/1/1"', b"").replace(
    b"<gpx ", b'<!-- see xmlns="x" --><gpx ', 1
)
ROOT_NAMESPACE_AFTER_A_COMMENT = GPX.replace(b"<gpx ", b'<!-- see xmlns="x" --><gpx ', 1)


@pytest.mark.parametrize(
    ("choice", "decoder"), [(None, "fast"), ("auto", "fast"), ("fast", "fast"), ("gpxpy", "gpxpy")]
)
def test_the_reader_switch_and_the_decoder_it_records(monkeypatch, choice, decoder) -> None:
    if choice is None:
        monkeypatch.delenv(READER_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(READER_VARIABLE, choice)
    [gpx] = read_gpx(GPX, "run.gpx")
    [tcx] = read_tcx(TCX, "run.tcx")
    assert gpx.decoder == decoder
    assert tcx.decoder == {"gpxpy": "elementtree"}.get(decoder, decoder)


def test_a_declined_file_falls_back_to_gpxpy_in_auto_and_is_an_error_in_fast(monkeypatch) -> None:
    reason = 'the first xmlns="..." of the text is no namespace declaration'
    monkeypatch.delenv(READER_VARIABLE, raising=False)
    [activity] = read_gpx(XMLNS_IN_A_COMMENT, "comment.gpx")
    assert activity.decoder == f"gpxpy-fallback: {reason}"
    _assert_same_activities([activity], read_gpx_reference(XMLNS_IN_A_COMMENT, "comment.gpx"))
    monkeypatch.setenv(READER_VARIABLE, "fast")
    with pytest.raises(CorruptFile) as caught:
        read_gpx(XMLNS_IN_A_COMMENT, "comment.gpx")
    assert str(caught.value) == f"comment.gpx: the fast reader cannot read this file ({reason})"


def test_a_declined_file_gives_the_reference_readers_outcome() -> None:
    with pytest.raises(SkippedFile, match=r"^comment\.gpx: no track points"):
        read_gpx(ROOT_NAMESPACE_AFTER_A_COMMENT, "comment.gpx")


def test_a_declined_file_too_large_for_the_reference_is_refused(monkeypatch) -> None:
    monkeypatch.setattr("stridewise.importers.xmlstream.MAX_FALLBACK_BYTES", 100)
    with pytest.raises(CorruptFile, match=r"^big\.gpx: .* larger than 0 MB for the reference"):
        read_gpx(XMLNS_IN_A_COMMENT, "big.gpx")


def test_an_unknown_reader_is_a_config_error(monkeypatch) -> None:
    monkeypatch.setenv(READER_VARIABLE, "lxml")
    with pytest.raises(ConfigError, match=r"^STRIDEWISE_GPX_READER must be auto, fast or gpxpy"):
        read_gpx(GPX, "run.gpx")


def test_nested_tcx_tracks_are_declined_and_read_by_the_reference() -> None:
    nested = TCX.replace(b"</Track>", b"<Track></Track></Track>", 1)
    with pytest.raises(FastReaderDeclined):
        read_tcx_fast(nested, "nested.tcx")
    assert read_tcx(nested, "nested.tcx")[0].decoder.startswith("elementtree-fallback: ")


# --- streams ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), [("run.gpx.gz", GPX), ("run.tcx.gz", TCX)])
def test_a_gz_file_is_streamed_and_reads_as_its_content(name: str, data: bytes) -> None:
    raw = unpack(gzip.compress(data), name)
    assert not isinstance(raw.data, bytes)
    from_stream = read_raw(raw)
    from_bytes = read_raw(unpack(data, name[:-3]))
    assert [a.decoder for a in from_stream] == ["fast"]
    for activity in from_bytes:
        activity.source_name, activity.source_sha256 = name, from_stream[0].source_sha256
    _assert_same_activities(from_stream, from_bytes)


def test_a_declined_gz_file_is_read_again_from_its_start_by_the_reference() -> None:
    [activity] = read_raw(unpack(gzip.compress(XMLNS_IN_A_COMMENT), "comment.gpx.gz"))
    assert activity.decoder.startswith("gpxpy-fallback: ")


@pytest.mark.parametrize(
    "data",
    [
        b"<a>Caf\xe9</a>",
        b"\xef\xbb\xbf<a>Caf\xe9 ok</a>",
        b'<?xml version="1.0" encoding="UTF-16"?><a/>',
        '<?xml version="1.0" encoding="UTF-16"?><a>\ud83c</a>'.encode("utf-16", "surrogatepass"),
        b'<?xml version="1.0" encoding="x-no"?><a/>',
        b'<?xml version="1.0" encoding="hex"?><a/>',
        b"<a>" + b"x" * 3_000_000 + b"\xc3",
        b"<a>" + b"x" * (2**20 - 4) + "é".encode() + b"\xff</a>",
    ],
    ids=[
        "latin1-as-utf8",
        "bom-then-bad-byte",
        "utf16-without-bom",
        "utf16-lone-surrogate",
        "unknown-encoding",
        "bytes-codec",
        "cut-at-the-end",
        "bad-byte-after-a-chunk",
    ],
)
def test_streamed_text_decodes_and_fails_as_decode_xml(data: bytes) -> None:
    def whole() -> str:
        return decode_xml(data, "f.gpx")

    def streamed() -> str:
        return "".join(decoded_chunks(io.BytesIO(data), "f.gpx"))

    try:
        expected = whole()
    except CorruptFile as exc:
        with pytest.raises(CorruptFile) as caught:
            streamed()
        assert str(caught.value) == str(exc)
    else:
        assert streamed() == expected


# --- values gpxpy rejects -------------------------------------------------------------------

_POINT = (
    '<trkpt lat="52.0" lon="4.{n}"><ele>{ele}</ele><time>2024-05-04T07:00:0{n}Z</time>{more}'
    "</trkpt>"
)


def _gpx(points: str, before: str = "", version: str = "1.1") -> bytes:
    return (
        f'<?xml version="1.0"?><gpx version="{version}" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/1/1">{before}<trk><number>1</number><trkseg>'
        f"{points}</trkseg></trk></gpx>"
    ).encode()


def _points(*cases: tuple[str, str]) -> str:
    return "".join(
        _POINT.format(n=n, ele=ele, more=more) for n, (ele, more) in enumerate(cases, start=1)
    )


@pytest.mark.parametrize(
    "data",
    [
        _gpx(_points(("1.5\nA", ""), ("2", ""))),
        _gpx(_points(("1", "<sat>5.0</sat>"), ("x", ""))),
        _gpx(_points(("1", "<fix> 3d</fix>"), ("2", "<hdop>n/a</hdop>"))),
        _gpx(_points(("1", ""), ("2", ""))).replace(b'lat="52.0" lon="4.2"', b'lat="north"'),
        _gpx(_points(("1", ""), ("2", ""))).replace(b'lon="4.2"', b""),
        _gpx(_points(("1", ""), ("bad", "")), before='<wpt lat="1" lon="2"><ele>x</ele></wpt>'),
        _gpx(_points(("1", ""), ("2", "")), before='<metadata><bounds minlat="s"/></metadata>'),
        _gpx(_points(("1", ""), ("2", ""))).replace(b"<number>1</number>", b"<number>one</number>"),
        _gpx(_points(("1", "<speed>fast</speed>"), ("2", "")), version="1.0"),
        _gpx(_points(("1", "<course>n</course>"), ("1", "<ele>x</ele>")), version="1.0"),
        _gpx(_points(("1", ""), ("2", "")), before='<rte><rtept lat="1" lon="x"/></rte>'),
    ],
    ids=[
        "line-break-in-ele",
        "float-satellites-before-bad-ele",
        "fix-with-space",
        "latitude-not-a-number",
        "longitude-missing",
        "waypoint-before-track-point",
        "bounds",
        "track-number",
        "gpx10-speed",
        "gpx10-course-and-second-ele-ignored",
        "route-point",
    ],
)
def test_a_value_gpxpy_rejects_gives_gpxpy_message(data: bytes) -> None:
    mine = _outcome(read_gpx_fast, data, "v.gpx")
    assert mine == _outcome(read_gpx_reference, data, "v.gpx")
