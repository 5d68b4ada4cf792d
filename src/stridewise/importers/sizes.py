"""How large an input may be, by kind: caps applied before and while a file is read.

A 10-hour 1 Hz FIT is about 3 MB and a 24-hour one with every field under 20 MB; a decade of
Strava's activities.csv is a few MB; XML takes about ten times the bytes of FIT for the same run.
Larger is not a run (a disk image renamed, random bytes, a zip bomb), and reading it would cost a
gigabyte of memory for nothing. The caps apply to the bytes on disk and again to what a ``.gz``
or ``.zip`` unpacks to; export zips are read entry by entry (``stridewise.archive``) and have
their own limits.
"""

from __future__ import annotations

#: Largest decompressed activity file accepted [bytes].
MAX_DECOMPRESSED_BYTES = 256 * 2**20

#: Largest file accepted, by the end of its name, and what it is called in a refusal [bytes].
MAX_FILE_BYTES: dict[str, tuple[int, str]] = {
    ".fit": (64 * 2**20, "a FIT file"),
    ".csv": (64 * 2**20, "a CSV file"),
    ".gpx": (256 * 2**20, "a GPX file"),
    ".tcx": (256 * 2**20, "a TCX file"),
    ".gz": (64 * 2**20, "a gzipped activity file"),
    ".zip": (64 * 2**20, "a zipped activity file"),
}

#: Cap for any other name [bytes].
DEFAULT_MAX_FILE_BYTES = 64 * 2**20


def max_file_bytes(name: str) -> tuple[int, str]:
    """The largest size a file named ``name`` may have [bytes], and what its format is called."""
    lower = name.lower()
    for ending, limit in MAX_FILE_BYTES.items():
        if lower.endswith(ending):
            return limit
    return DEFAULT_MAX_FILE_BYTES, "an activity file"


def max_member_bytes(name: str) -> int:
    """The largest an activity file inside an archive (or a .gz) may unpack to [bytes]: what the
    file itself may be on disk (a FIT stays a FIT inside a zip), and never more than
    ``MAX_DECOMPRESSED_BYTES``."""
    lower = name.lower()
    inner = lower[:-3] if lower.endswith(".gz") else lower
    return min(max_file_bytes(inner)[0], MAX_DECOMPRESSED_BYTES)
