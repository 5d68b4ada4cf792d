"""Local time: the runner's calendar decides what a "day" and a "week" are.

Offsets come, in order, from the file itself (FIT ``activity.local_timestamp``), from the first
position through an offline time-zone lookup, and from the profile's time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridewise.errors import ConfigError


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
