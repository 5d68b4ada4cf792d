"""Fuzzing the GPX importer: mutated and generated files end in clean activities, a SkippedFile
or another StridewiseError naming the file; never another exception, a hang or an unbounded heap.

The long run is benchmarks/fuzz_importers.py; these are its bounded, derandomized CI part.
"""

from __future__ import annotations

import functools
from pathlib import Path

import fuzzing
import pytest
from hypothesis import given
from hypothesis import strategies as st

REPO_SEEDS = fuzzing.seed_files("gpx", None, limit=20, size=8192)

#: numpy warns of overflow when absurd values (1e308) are summed; the oracle checks the outcome.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@functools.cache
def _real_seeds(real_dir: Path) -> list[tuple[str, bytes]]:
    return fuzzing.seed_files("gpx", real_dir, limit=30, size=8192)


def _check(name: str, data: bytes) -> fuzzing.Outcome:
    return fuzzing.check_input(data, name)


@fuzzing.fuzz_settings(120)
@given(fuzzing.mutated(REPO_SEEDS, fuzzing.XML_MUTATORS + fuzzing.BYTE_MUTATORS))
def test_mutated_fixture_and_sample_files(seed: tuple[str, bytes]) -> None:
    _check(*seed)


@fuzzing.fuzz_settings(100)
@given(data=st.data())
def test_mutated_real_files(real_dir: Path, data: st.DataObject) -> None:
    seeds = _real_seeds(real_dir)
    _check(*data.draw(fuzzing.mutated(seeds, fuzzing.XML_MUTATORS + fuzzing.BYTE_MUTATORS)))


@fuzzing.fuzz_settings(100)
@given(fuzzing.generated(fuzzing.gpx_file))
def test_generated_files_with_absurd_values(payload: bytes) -> None:
    _check("generated.gpx", payload)


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
