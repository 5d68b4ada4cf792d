"""Local time: the runner's calendar decides what a "day" and a "week" are.

Offsets come, in order, from the file itself (FIT ``activity.local_timestamp``), from the first
position through an offline time-zone lookup, and from the profile's time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridewise.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd


@lru_cache(maxsize=1)
def _finder():
    from timezonefinder import TimezoneFinder  # loads its data once, offline

    return TimezoneFinder()


def zone_at(lat_deg: float, lon_deg: float) -> str | None:
    """IANA time-zone name at a position [degree], or None at sea / unknown."""
    if not (-90.0 <= lat_deg <= 90.0 and -180.0 <= lon_deg <= 180.0):
        return None
    return _finder().timezone_at(lng=lon_deg, lat=lat_deg)


def offset_in_zone(zone: str, when_utc: datetime) -> int:
    """UTC offset [s] of IANA zone ``zone`` at instant ``when_utc``."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone '{zone}'") from exc
    try:
        offset = when_utc.astimezone(UTC).astimezone(tz).utcoffset()
    except OverflowError:  # an instant at the calendar's ends (year 1 or 9999), from a bad file
        offset = tz.utcoffset(when_utc.replace(tzinfo=None))
    return int(offset.total_seconds()) if offset is not None else 0


def offset_at(
    lat_deg: float | None, lon_deg: float | None, when_utc: datetime, fallback_zone: str | None
) -> int | None:
    """UTC offset [s] at a position and instant; the fallback zone when there is no position."""
    if lat_deg is not None and lon_deg is not None:
        zone = zone_at(lat_deg, lon_deg)
        if zone:
            return offset_in_zone(zone, when_utc)
    if fallback_zone:
        return offset_in_zone(fallback_zone, when_utc)
    return None


def local_starts(
    start_utc: pd.Series, utc_offset_s: pd.Series, default_timezone: str | None
) -> pd.Series:
    """Each activity's wall-clock local start (tz-naive: a "local" time has no single zone
    across rows), from its UTC start and offset [s].

    An activity whose file carried no offset gets the offset of ``default_timezone`` (the
    profile's) at its start, else UTC. The store's activity frame and ``History.from_frames``
    both compute local time here, so a history read from the store and one built from exported
    tables fall on the same local days.
    """
    import pandas as pd  # the import path uses this module's zones, never this frame function

    offsets = pd.to_numeric(utc_offset_s, errors="coerce").astype("float64")
    if default_timezone and offsets.isna().any():
        missing = offsets.isna()
        offsets[missing] = [
            offset_in_zone(default_timezone, moment.to_pydatetime())
            for moment in start_utc[missing]
        ]
    return start_utc.dt.tz_localize(None) + pd.to_timedelta(offsets.fillna(0.0), unit="s")
