"""Per-second samples as the store keeps them: one compressed little-endian array per column.

Column-wise storage is several times smaller, and faster to write and read back, than one row per
second. ``encode_samples`` runs in the import workers, so that the single writer only inserts
bytes.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

import numpy as np

from stridewise.model import SAMPLE_COLUMNS, SampleTable

if TYPE_CHECKING:
    import pandas as pd

#: (column name, numpy dtype, compressed bytes): one row of the ``samples`` table.
SampleBlob = tuple[str, str, bytes]


def encode_samples(samples: SampleTable | pd.DataFrame) -> list[SampleBlob]:
    """The (name, dtype, compressed bytes) rows of ``samples`` for the ``samples`` table: the
    times [ns], then the canonical columns in the samples' order."""
    table = SampleTable.of(samples)
    if len(table) == 0:  # times without columns are still samples
        return []
    blobs = [("time", "<i8", zlib.compress(table.times_ns.astype("<i8").tobytes(), 1))]
    for name, values in table.columns.items():
        if name in SAMPLE_COLUMNS:
            blobs.append((name, "<f8", zlib.compress(values.astype("<f8").tobytes(), 1)))
    return blobs


def decode_sample_table(rows: list[SampleBlob]) -> SampleTable:
    """The sample table of the rows ``encode_samples`` made (empty when none), its columns in
    the order of ``SAMPLE_COLUMNS``."""
    arrays = {name: np.frombuffer(zlib.decompress(data), dtype=dtype) for name, dtype, data in rows}
    stamps = arrays.pop("time", None)
    if stamps is None:
        return SampleTable.empty()
    ordered = [name for name in SAMPLE_COLUMNS if name in arrays]
    return SampleTable(stamps, {name: arrays[name] for name in ordered})


def decode_samples(rows: list[SampleBlob]) -> pd.DataFrame:
    """A canonical sample frame from the rows ``encode_samples`` made (empty when none)."""
    return decode_sample_table(rows).frame()
