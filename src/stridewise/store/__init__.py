"""The local store: one SQLite file (``database.Store``), its schema and migrations
(``schema``) and the column-wise sample encoding (``samples``)."""

from stridewise.store.database import (
    ACTIVITY_FRAME_COLUMNS,
    SUMMARY_FIELDS,
    AthleteSummary,
    Store,
    StoredShoe,
    utc_text,
)
from stridewise.store.samples import decode_samples, encode_samples
from stridewise.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "ACTIVITY_FRAME_COLUMNS",
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SUMMARY_FIELDS",
    "AthleteSummary",
    "Store",
    "StoredShoe",
    "decode_samples",
    "encode_samples",
    "utc_text",
]
