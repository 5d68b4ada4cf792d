"""The canonical activity every importer returns.

Summary values are SI (metres, seconds, beats and steps per minute); times are UTC and the local
offset is kept beside them. The per-second samples are a DataFrame with a UTC DatetimeIndex and the
columns of ``SAMPLE_COLUMNS`` — a column the file does not carry is simply absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

#: Canonical sample columns: name -> (unit, meaning). The one table of columns and units.
SAMPLE_COLUMNS: dict[str, tuple[str, str]] = {
    "distance_m": ("m", "cumulative distance since the start"),
    "speed_mps": ("m/s", "instantaneous speed (enhanced speed when the device wrote it)"),
    "altitude_m": ("m", "altitude above sea level (enhanced altitude when written)"),
    "lat_deg": ("degree", "latitude, WGS84"),
    "lon_deg": ("degree", "longitude, WGS84"),
    "heart_rate_bpm": ("1/min", "heart rate, beats per minute"),
    "cadence_spm": (
        "1/min",
        "running: steps per minute (FIT strides doubled); other sports: device cadence (rpm)",
    ),
    "power_w": ("W", "power written by the device itself (not developer fields)"),
    "vertical_oscillation_mm": ("mm", "vertical oscillation of the torso"),
    "stance_time_ms": ("ms", "ground contact time"),
    "stance_time_balance_pct": ("%", "share of ground contact time on the left foot"),
    "vertical_ratio_pct": ("%", "vertical oscillation / step length x 100"),
    "step_length_mm": ("mm", "step length"),
    "temperature_c": ("degC", "temperature at the device"),
}

#: Surfaces a run can be on; everything else is "unknown".
SURFACES = ("road", "trail", "track", "treadmill", "unknown")

#: Where a surface came from, strongest first (RULES.md, Surface).
SURFACE_SOURCES = ("user", "file", "export", "log", "inferred")

RUNNING_SPORTS = frozenset({"running"})


@dataclass
class Activity:
    """One activity: a summary in SI units plus its per-second samples."""

    sport: str
    start_utc: datetime
    samples: pd.DataFrame = field(default_factory=lambda: empty_samples())
    sub_sport: str | None = None
    surface: str = "unknown"
    surface_source: str | None = None
    utc_offset_s: int | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None
    # time spent moving [s]: the device's own value where it wrote one, else from the records
    moving_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    # where the altitude came from: "barometric", "corrected" (by a platform), "gps" or None
    altitude_source: str | None = None
    avg_heart_rate_bpm: float | None = None
    max_heart_rate_bpm: float | None = None
    avg_cadence_spm: float | None = None
    device: str | None = None
    name: str | None = None
    shoe: str | None = None  # a shoe named by the source (CSV log, Strava gear, Garmin gear)
    rpe: float | None = None  # session RPE, CR-10
    notes: str | None = None
    source_name: str = ""
    source_format: str = ""
    source_sha256: str = ""
    source_index: int = 0  # which activity of the file (multisport sessions, CSV rows)
    athlete: str = "me"
    id: int | None = None
    warnings: list[str] = field(default_factory=list)
    # which FIT decoder read it: "fast", "fitparse" or "fitparse-fallback: <reason>" (not stored)
    decoder: str | None = None
    # the samples already encoded for the store by a worker process (``store.encode_samples``);
    # ``samples`` then keeps only its time index, so the columns cross no process boundary twice
    packed_samples: list[tuple[str, str, bytes]] | None = None
    # the per-run metrics the import pipeline computed from the samples, as the JSON the store
    # keeps (``stridewise.metrics.run``); None for an activity without records (not a column)
    metrics_json: str | None = None

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None:
            raise ValueError("start_utc must be timezone-aware (UTC)")
        self.start_utc = self.start_utc.astimezone(UTC)

    @property
    def is_running(self) -> bool:
        return self.sport in RUNNING_SPORTS

    @property
    def has_records(self) -> bool:
        return not self.samples.empty

    @property
    def local_start(self) -> datetime | None:
        """Start in the runner's local wall-clock time, when the offset is known."""
        if self.utc_offset_s is None:
            return None
        tz = timezone(timedelta(seconds=self.utc_offset_s))
        return self.start_utc.astimezone(tz)

    @property
    def duration_s(self) -> float | None:
        """Moving (timer) time when known, else elapsed time."""
        return self.timer_s if self.timer_s is not None else self.elapsed_s


def empty_samples() -> pd.DataFrame:
    """A sample frame with no rows: the shape of an activity known only from a summary."""
    return pd.DataFrame(index=pd.DatetimeIndex([], tz="UTC", name="time"))


def check_samples(samples: pd.DataFrame) -> None:
    """Raise ValueError when a frame breaks the canonical shape (used by importer tests)."""
    index = samples.index
    if not isinstance(index, pd.DatetimeIndex) or str(index.tz) != "UTC":
        raise ValueError("samples need a UTC DatetimeIndex")
    unknown = set(samples.columns) - set(SAMPLE_COLUMNS)
    if unknown:
        raise ValueError(f"non-canonical sample columns: {sorted(unknown)}")
    if not index.is_monotonic_increasing:
        raise ValueError("sample times must not go backwards")


def shoe_name_key(name: str) -> str:
    """The key two shoe names match on: case-folded, with all white space removed ("Pegasus 40"
    from a Strava export and "pegasus40" typed by hand are one pair)."""
    return re.sub(r"\s+", "", name).casefold()
