"""The canonical activity every importer returns.

Summary values are SI (metres, seconds, beats and steps per minute); times are UTC and the local
offset is kept beside them. The per-second samples are a ``SampleTable``: UTC times and one float
array per column of ``SAMPLE_COLUMNS`` — a column the file does not carry is simply absent.
``Activity.samples`` shows the same table as a pandas DataFrame with a UTC DatetimeIndex, for the
analysis side; the import path works on the table alone, so importing a file never loads pandas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import InitVar, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
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


_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NANOSECONDS_PER_TICK = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}


def nanoseconds_of(moment: datetime) -> int:
    """A timezone-aware time as nanoseconds since 1970-01-01 UTC (a sample table's clock)."""
    return (moment - _UNIX_EPOCH) // timedelta(microseconds=1) * 1000


def utc_of_microseconds(micros: int) -> datetime:
    """A time in microseconds since 1970-01-01 UTC as a timezone-aware datetime."""
    return _UNIX_EPOCH + timedelta(microseconds=micros)


def nanoseconds_of_ticks(ticks: np.ndarray, unit: str) -> np.ndarray:
    """UTC times in integer ticks of ``unit`` ("s", "ms", "us" or "ns") as nanoseconds. A time
    beyond their range (years before 1678 or after 2261, which a reader's microseconds can
    hold) is pinned to its end, still outside 1990-2099 for the cleaning to remove."""
    per_tick = _NANOSECONDS_PER_TICK[unit]
    limit = np.iinfo(np.int64).max // per_tick
    return np.clip(np.asarray(ticks, dtype=np.int64), -limit, limit) * per_tick


class SampleTable:
    """Per-second samples: UTC times [ns since 1970-01-01] and float64 columns, one row per time.

    ``times_ns`` is an int64 array, non-decreasing once an importer is done; ``columns`` maps
    names of ``SAMPLE_COLUMNS`` to float64 arrays as long as the times (NaN: no value). A table
    may have times and no columns (a file that recorded only its clock).

    The arrays are read-only: a step that changes samples builds a new table. The per-run
    metrics read the very arrays the store then encodes, so a write in place would change what
    is stored; it raises instead.
    """

    __slots__ = ("columns", "times_ns")

    def __init__(self, times_ns: Any, columns: Mapping[str, Any] | None = None) -> None:
        self.times_ns: np.ndarray = _read_only(np.asarray(times_ns, dtype="int64"))
        self.columns: dict[str, np.ndarray] = {
            name: _read_only(np.asarray(values, dtype="float64"))
            for name, values in (columns or {}).items()
        }
        for name, values in self.columns.items():
            if values.shape != self.times_ns.shape:
                raise ValueError(
                    f"sample column {name} has {len(values)} values for {len(self.times_ns)} times"
                )

    @classmethod
    def empty(cls) -> SampleTable:
        """A table with no rows: the shape of an activity known only from a summary."""
        return cls(np.empty(0, dtype="int64"))

    @classmethod
    def of(cls, samples: SampleTable | pd.DataFrame) -> SampleTable:
        """``samples`` as a table: a table itself, or the ``SAMPLE_COLUMNS`` of a sample
        DataFrame (UTC DatetimeIndex) converted."""
        if isinstance(samples, SampleTable):
            return samples
        index = samples.index
        if len(index) == 0:
            times = np.empty(0, dtype="int64")
        elif getattr(index, "tz", None) is None or not hasattr(index, "as_unit"):
            raise ValueError("samples need a UTC DatetimeIndex")
        else:
            times = nanoseconds_of_ticks(index.asi8, index.unit)
        columns = {  # the canonical columns only: a reader's helper columns stay behind
            name: samples[name].to_numpy(dtype="float64", na_value=np.nan)
            for name in samples.columns
            if name in SAMPLE_COLUMNS
        }
        return cls(times, columns)

    def __len__(self) -> int:
        return len(self.times_ns)

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def get(self, name: str, default: np.ndarray | None = None) -> np.ndarray | None:
        return self.columns.get(name, default)

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def take(self, rows: slice | np.ndarray) -> SampleTable:
        """The rows ``rows`` selects (a slice, a boolean mask or positions), in that order."""
        return SampleTable(
            self.times_ns[rows], {name: values[rows] for name, values in self.columns.items()}
        )

    def with_times(self, times_ns: np.ndarray) -> SampleTable:
        """The same columns at other times (a clock repaired)."""
        return SampleTable(times_ns, self.columns)

    def seconds(self) -> np.ndarray:
        """Seconds since the first sample [s] (float64)."""
        if not len(self.times_ns):
            return np.empty(0, dtype="float64")
        return (self.times_ns - self.times_ns[0]) / 1e9

    def first_position(self) -> tuple[float, float] | None:
        """(latitude, longitude) [degree] of the first sample that has both; None without."""
        if "lat_deg" not in self.columns or "lon_deg" not in self.columns:
            return None
        lat, lon = self.columns["lat_deg"], self.columns["lon_deg"]
        found = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
        return (float(lat[found[0]]), float(lon[found[0]])) if len(found) else None

    def time_at(self, row: int) -> datetime:
        """The UTC time of row ``row`` (microseconds: what a datetime holds)."""
        return utc_of_microseconds(int(self.times_ns[row]) // 1000)

    def span_s(self) -> float | None:
        """First to last sample [s]; None without samples."""
        if not len(self.times_ns):
            return None
        return float(self.times_ns[-1] - self.times_ns[0]) / 1e9

    def frame(self) -> pd.DataFrame:
        """The table as a canonical sample DataFrame (UTC DatetimeIndex named "time")."""
        import pandas as pd  # only for the analysis side: the import path never asks for a frame

        index = pd.DatetimeIndex(self.times_ns.view("datetime64[ns]"), name="time")
        index = index.tz_localize("UTC")
        if not self.columns:
            return pd.DataFrame(index=index)
        return pd.DataFrame(self.columns, index=index, copy=True)  # (a frame may be changed)


def _read_only(values: np.ndarray) -> np.ndarray:
    """A read-only view of ``values`` (the caller's array stays as it was)."""
    view = values.view()
    view.flags.writeable = False
    return view


@dataclass(eq=False)
class Activity:
    """One activity: a summary in SI units plus its per-second samples.

    ``table`` holds the samples; ``samples=`` (a DataFrame or a table) may be given instead when
    constructing, and ``activity.samples`` reads and assigns them as a DataFrame.
    """

    sport: str
    start_utc: datetime
    samples: InitVar[Any] = None
    table: SampleTable = field(default_factory=SampleTable.empty)
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

    def __post_init__(self, samples: Any) -> None:
        if samples is not None:
            self.table = SampleTable.of(samples)
        if self.start_utc.tzinfo is None:
            raise ValueError("start_utc must be timezone-aware (UTC)")
        self.start_utc = self.start_utc.astimezone(UTC)

    @property
    def is_running(self) -> bool:
        return self.sport in RUNNING_SPORTS

    @property
    def has_records(self) -> bool:
        return len(self.table) > 0 and bool(self.table.columns)

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


def _samples_frame(activity: Activity) -> pd.DataFrame:
    return activity.table.frame()


def _set_samples(activity: Activity, samples: SampleTable | pd.DataFrame) -> None:
    activity.table = SampleTable.of(samples)


# Set after the class is made: the dataclass takes ``samples`` as an InitVar for the constructor.
Activity.samples = property(  # type: ignore[assignment]
    _samples_frame,
    _set_samples,
    doc="The samples as a canonical DataFrame (a new frame each time: assign to change them).",
)


def empty_samples() -> pd.DataFrame:
    """A sample frame with no rows: the shape of an activity known only from a summary."""
    return SampleTable.empty().frame()


def check_samples(samples: pd.DataFrame) -> None:
    """Raise ValueError when a frame breaks the canonical shape (used by importer tests)."""
    import pandas as pd

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
