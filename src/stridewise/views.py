"""Plain rows and text tables for the command line and scripts (no printing here)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stridewise.inputs import short_text
from stridewise.kinds import kind_of
from stridewise.units import KM_PER_MILE

if TYPE_CHECKING:  # the command line imports this module for --help: no profile (tomllib) yet
    from stridewise.profile import Profile
    from stridewise.store import Store


#: The fields of every ``activity_rows`` row, in order (``activities --csv`` columns).
ACTIVITY_FIELDS = (
    "id",
    "start_utc",
    "local_start",
    "local_date",
    "utc_offset_s",
    "sport",
    "sub_sport",
    "surface",
    "surface_source",
    "distance_km",
    "distance_mi",
    "duration_s",
    "elapsed_s",
    "avg_heart_rate_bpm",
    "avg_cadence_spm",
    "name",
    "device",
    "source",
    "format",
    "shoe",
    "records",
)


def _number(value: object, digits: int) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def activity_rows(
    store: Store,
    athlete: str,
    profile: Profile,
    since: date | None = None,
    until: date | None = None,
) -> list[dict]:
    """One JSON-ready dict per activity (the fields of ``activities --json`` in CLI.md)."""
    from stridewise.shoes import activity_shoes

    frame = store.activities_frame(athlete, since, until, default_timezone=profile.timezone)
    # the pair each run was in: an assignment, else the shoe its source named, else the default
    worn = activity_shoes(store, athlete, frame).to_dict()
    rows = []
    for record in frame.to_dict("records"):
        # a text column with gaps holds NaN (pandas 3): JSON needs null
        record = {k: None if isinstance(v, float) and math.isnan(v) else v
                  for k, v in record.items()}
        distance_m = _number(record["distance_m"], 3)
        distance_km = None if distance_m is None else distance_m / 1000.0
        rows.append(
            {
                "id": int(record["id"]),
                "start_utc": record["start_utc"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "local_start": record["local_start"].strftime("%Y-%m-%dT%H:%M:%S"),
                "local_date": record["local_date"].isoformat(),
                "utc_offset_s": None
                if record["utc_offset_s"] is None or math.isnan(record["utc_offset_s"])
                else int(record["utc_offset_s"]),
                "sport": record["sport"],
                "sub_sport": record["sub_sport"],
                "kind": kind_of(record["sport"], record["sub_sport"]),
                "surface": record["surface"],
                "surface_source": record["surface_source"],
                "altitude_source": record["altitude_source"],
                "distance_km": _number(distance_km, 3),
                "distance_mi": None if distance_km is None else round(distance_km / KM_PER_MILE, 3),
                "duration_s": _number(record["duration_s"], 1),
                "moving_s": _number(record["moving_s"], 1),
                "elapsed_s": _number(record["elapsed_s"], 1),
                "avg_heart_rate_bpm": _number(record["avg_heart_rate_bpm"], 1),
                "avg_cadence_spm": _number(record["avg_cadence_spm"], 1),
                "name": record["name"],
                "device": record["device"],
                "source": Path(record["source_name"]).name
                + (f" #{record['source_index'] + 1}" if record["source_index"] else ""),
                "format": record["source_format"],
                # a run: the pair it was in; anything else: the gear its source named
                "shoe": worn.get(int(record["id"]), record["shoe"]),
                "records": int(record["n_samples"]),
            }
        )
    return rows


def format_duration(seconds: float | None) -> str:
    """h:mm:ss [s]."""
    if seconds is None:
        return "-"
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def format_pace(seconds: float | None, distance_km: float | None, profile: Profile) -> str:
    """min:ss per km or per mile [s, km]."""
    if not seconds or not distance_km:
        return "-"
    per_unit = seconds / profile.km_to_display(distance_km)
    minutes, secs = divmod(round(per_unit), 60)
    return f"{minutes}:{secs:02d}/{profile.distance_unit()}"


def period_words(since: date | None, until: date | None) -> str:
    """A period of local dates in words: "between A and B", "on or after A", "on or before B"."""
    if since is not None and until is not None:
        return f"between {since.isoformat()} and {until.isoformat()}"
    if since is not None:
        return f"on or after {since.isoformat()}"
    if until is not None:
        return f"on or before {until.isoformat()}"
    return "at all"


def no_activities_text(
    since: date | None, until: date | None, stored: int, others: Mapping[str, int], athlete: str
) -> str:
    """What ``activities`` says when it lists nothing, honestly: a period that holds none of the
    ``stored`` activities, another athlete's data (``others``: name -> activities), or none yet.
    """
    if stored:
        return f"No activities {period_words(since, until)} ({stored} stored)."
    if others:
        held = ", ".join(f"{name} ({count})" for name, count in sorted(others.items()))
        return (
            f"No activities for athlete '{athlete}'; this database holds {held}. "
            "Choose one with: stridewise --athlete NAME"
        )
    return "No activities yet. Import some with: stridewise import PATH"


def activities_table(rows: list[dict], profile: Profile) -> str:
    """The ``activities`` listing: one line per activity in the runner's units."""
    unit = profile.distance_unit()
    header = ("id", "date", "time", "sport", "surface", unit, "duration", "pace", "HR", "source")
    lines = []
    for row in rows:
        km = row["distance_km"]
        lines.append(
            (
                str(row["id"]),
                row["local_date"],
                row["local_start"][11:16],
                row["sport"]
                + (f"/{row['sub_sport']}" if row["sub_sport"] not in (None, "generic") else ""),
                row["surface"],
                "-" if km is None else f"{profile.km_to_display(km):.2f}",
                format_duration(row["duration_s"]),
                format_pace(row["moving_s"] or row["duration_s"], km, profile),  # moving pace
                "-" if row["avg_heart_rate_bpm"] is None else f"{row['avg_heart_rate_bpm']:.0f}",
                row["source"],
            )
        )
    return text_table(header, lines)


#: Widest a text-table cell is shown [characters]; longer text (a 10,000-character shoe name
#: from a log) is cut with "…", so one name cannot push every line off the screen. ``--json``
#: and ``--csv`` give the whole text.
CELL_LIMIT = 80


def text_table(header: tuple[str, ...], lines: list[tuple[str, ...]]) -> str:
    """Left-aligned columns separated by two spaces (just the header when there are no lines);
    each cell on one line and at most ``CELL_LIMIT`` characters."""
    lines = [tuple(short_text(cell, CELL_LIMIT) for cell in line) for line in lines]
    widths = [max([len(h), *(len(line[i]) for line in lines)]) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(line.rstrip() for line in out)

