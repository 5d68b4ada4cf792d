"""Fuzzing findings specific to the GPX importer, kept as tests (the fuzzing itself, shared with
TCX, is in test_fuzz_xml.py)."""

from __future__ import annotations

import fuzzing


def _check(name: str, data: bytes) -> fuzzing.Outcome:
    return fuzzing.check_input(data, name)


def test_times_at_the_end_of_the_calendar_are_refused_as_future() -> None:
    """Found by fuzzing: a time in 9999 overflowed the local-offset lookup (OverflowError)."""
    points = "".join(
        f'<trkpt lat="52.0" lon="4.{second}"><time>9999-12-31T23:59:5{second}Z</time></trkpt>'
        for second in range(3)
    )
    payload = (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{points}</trkseg></trk></gpx>'
    ).encode()
    outcome = _check("year-9999.gpx", payload)
    assert outcome.detail == (
        "year-9999.gpx: starts on 9999-12-31, in the future (a wrong clock, or a mistyped year); "
        "refused"
    )


def test_gpxpy_errors_quoting_a_line_break_stay_on_one_line() -> None:
    """Found by the long fuzz run: gpxpy quotes the bad value, line break included."""
    payload = (
        b'<?xml version="1.0"?><gpx version="1.1" creator="t" '
        b'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="52" lon="4">'
        b"<ele>1.5\nA</ele><time>2026-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"
    )
    assert _check("broken-ele.gpx", payload).detail == (
        "broken-ele.gpx: not a valid GPX file (Invalid value for <ele>... 1.5 \u21b5 A "
        "(could not convert string to float: '1.5\\nA'))"
    )
