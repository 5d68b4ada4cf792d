"""``encode_samples`` converts the frame once; the bytes are those of each column converted on
its own (the stored format), whatever the frame holds."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from stridewise.model import SAMPLE_COLUMNS
from stridewise.store import decode_samples, encode_samples


def _column_by_column(samples: pd.DataFrame) -> list[tuple[str, str, bytes]]:
    stamps = np.asarray(samples.index.as_unit("ns").asi8, dtype="<i8")
    return [("time", "<i8", zlib.compress(stamps.tobytes(), 1))] + [
        (name, "<f8", zlib.compress(samples[name].to_numpy("<f8", na_value=np.nan).tobytes(), 1))
        for name in samples.columns
        if name in SAMPLE_COLUMNS
    ]


def _index(count: int) -> pd.DatetimeIndex:
    return pd.date_range("2026-03-01 07:00", periods=count, freq="1s", tz="UTC", name="time")


def test_a_float_frame_gives_the_bytes_of_its_columns():
    samples = pd.DataFrame(
        {"distance_m": [0.0, 3.0, np.nan], "heart_rate_bpm": [120.0, np.nan, 122.0]},
        index=_index(3),
    )
    assert encode_samples(samples) == _column_by_column(samples)


def test_mixed_columns_give_the_bytes_of_their_columns():
    samples = pd.DataFrame(
        {
            "cadence_spm": np.array([170, 172, 171], dtype="int64"),
            "heart_rate_bpm": pd.array([120.0, None, 122.0], dtype="Float64"),  # NA: missing
            "speed_mps": [3.0, 3.1, 3.2],
        },
        index=_index(3),
    )
    blobs = encode_samples(samples)
    assert blobs == _column_by_column(samples)
    assert np.isnan(decode_samples(blobs)["heart_rate_bpm"].iloc[1])


def test_a_column_that_is_not_a_sample_column_is_left_out_even_when_not_numbers():
    samples = pd.DataFrame({"speed_mps": [3.0, 3.1], "note": ["a", "b"]}, index=_index(2))
    blobs = encode_samples(samples)
    assert [name for name, _, _ in blobs] == ["time", "speed_mps"]
    assert blobs == _column_by_column(samples)
