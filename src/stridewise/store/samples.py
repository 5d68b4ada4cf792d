"""Per-second samples as the store keeps them: one compressed little-endian array per column.

Column-wise storage is several times smaller, and faster to write and read back, than one row per
second. ``encode_samples`` runs in the import workers, so that the single writer only inserts
bytes.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from stridewise.errors import StoreError
from stridewise.model import SAMPLE_COLUMNS, empty_samples

#: (column name, numpy dtype, compressed bytes): one row of the ``samples`` table.
SampleBlob = tuple[str, str, bytes]


def encode_samples(samples: pd.DataFrame) -> list[SampleBlob]:
    """The (name, dtype, compressed bytes) rows of ``samples`` for the ``samples`` table."""
    if len(samples.index) == 0:  # not samples.empty: times without columns are still samples
        return []
    index = samples.index
    if not isinstance(index, pd.DatetimeIndex):
        raise StoreError("samples need a DatetimeIndex")
    stamps = index.as_unit("ns").asi8
    blobs = [("time", "<i8", zlib.compress(np.asarray(stamps, dtype="<i8").tobytes(), 1))]
    for name in samples.columns:
        if name not in SAMPLE_COLUMNS:
            continue
        values = samples[name].to_numpy(dtype="<f8", na_value=np.nan)
        blobs.append((name, "<f8", zlib.compress(values.tobytes(), 1)))
    return blobs


def decode_samples(rows: list[SampleBlob]) -> pd.DataFrame:
    """A canonical sample frame from the rows ``encode_samples`` made (empty when none)."""
    arrays = {name: np.frombuffer(zlib.decompress(data), dtype=dtype) for name, dtype, data in rows}
    stamps = arrays.pop("time", None)
    if stamps is None:
        return empty_samples()
    index = pd.DatetimeIndex(pd.to_datetime(stamps, unit="ns", utc=True), name="time")
    ordered = [name for name in SAMPLE_COLUMNS if name in arrays]
    return pd.DataFrame({name: arrays[name] for name in ordered}, index=index)
