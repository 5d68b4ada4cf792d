"""Where every ``.csv`` goes: Strava's or Garmin Connect's activity list, else a runner's log.

The file is read once, through the CSV text layer (``stridewise.csvtext``), and the table handed
to the reader its header names: the same bytes cannot decode two ways on the way in. The kind
comes from the header alone (``csv_log.detect_csv_kind``); a CSV that is neither list goes to the
log reader, which says what it is not.
"""

from __future__ import annotations

from stridewise.csvtext import Limits, read_table
from stridewise.importers import csv_log, garmin_list, strava_list
from stridewise.model import Activity

#: Limits for a CSV of unknown kind: the loosest of each reader's, since the reader is chosen
#: after reading; each reader checks its own on the table (a log's cells are the shortest).
#: The refusal is worded as the log reader's, which takes any CSV that is not a list.
LIMITS = Limits(
    csv_log.LIMITS.what,
    columns=max(r.LIMITS.columns for r in (csv_log, strava_list, garmin_list)),
    cell_chars=max(r.LIMITS.cell_chars for r in (csv_log, strava_list, garmin_list)),
    rows=max(r.LIMITS.rows for r in (csv_log, strava_list, garmin_list)),
)


def read_csv(
    data: bytes, source_name: str, *, default_timezone: str | None = None
) -> list[Activity]:
    """Read any CSV: a Strava or Garmin Connect activity list, or else a runner's log."""
    table = read_table(data, source_name, LIMITS, known_header=csv_log.is_log_header)
    kind = csv_log.detect_csv_kind([cell.strip() for cell in table.header])
    if kind == "strava":
        reader = strava_list.activities_from_table
    elif kind == "garmin":
        reader = garmin_list.activities_from_table
    else:
        reader = csv_log.activities_from_table
    return reader(table, source_name, default_timezone=default_timezone)
