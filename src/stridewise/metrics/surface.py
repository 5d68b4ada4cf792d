"""The surface of a run: what the data says, else an inference from the track marked "inferred".

Sources, strongest first (RULES.md): the runner's own override, the file (FIT ``sub_sport``), the
export's activity type, a log column — all kept by the importers in ``surface`` and
``surface_source``. Only when they leave the surface ``unknown`` is it inferred from the track:
trails undulate on a short scale, roads and tracks change grade slowly. The roughness measure is
the standard deviation of the change of grade from one 100 m of distance to the next; above
``TRAIL_ROUGHNESS`` the run is inferred as trail, below ``ROAD_ROUGHNESS`` as road, in between it
stays unknown. GPS-only altitude (phones) is noisy enough to look rough, which is why the band
between is wide and why an inferred surface is always labelled as such. No study links surface
to low back pain; the surface rule flags only novel exposure (Ferris 1999, J Biomech 32:787).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from stridewise.metrics.records import Track, altitude_profile, as_track

# pandas only where a function needs it: the import's per-run metrics load without it
if TYPE_CHECKING:
    import pandas as pd

#: Distance step of the grade profile [m].
ROUGHNESS_STEP_M = 100.0
#: Shortest run a roughness is measured on [m].
ROUGHNESS_MIN_DISTANCE_M = 2000.0
#: Roughness at or above which a run is inferred to be on trail [-].
TRAIL_ROUGHNESS = 0.08
#: Roughness at or below which a run is inferred to be on road [-].
ROAD_ROUGHNESS = 0.03


def grade_roughness(track: Track | pd.DataFrame, step_m: float = ROUGHNESS_STEP_M) -> float:
    """Standard deviation of the change of grade between consecutive ``step_m`` of distance [-].

    ``track`` from ``prepare_track`` with ``distance_m`` and ``altitude_m``; ``step_m`` [m].
    NaN for runs shorter than ``ROUGHNESS_MIN_DISTANCE_M`` or without altitude.
    """
    if "distance_m" not in track or "altitude_m" not in track:
        return float("nan")
    along, altitudes, _ = as_track(track).derived(
        "altitude profile", lambda t: altitude_profile(t["distance_m"], t["altitude_m"])
    )
    if len(along) < 10:
        return float("nan")
    if along[-1] - along[0] < ROUGHNESS_MIN_DISTANCE_M:
        return float("nan")
    grid = np.arange(along[0], along[-1], step_m)
    altitude = np.interp(grid, along, altitudes)
    grade = np.diff(altitude) / step_m
    return float(np.std(np.diff(grade)))


def infer_surface(roughness: pd.Series) -> pd.Series:
    """ "trail", "road" or "unknown" from grade roughness [-] (see the module text)."""
    import pandas as pd

    inferred = pd.Series("unknown", index=roughness.index, dtype="object")
    inferred[roughness >= TRAIL_ROUGHNESS] = "trail"
    inferred[roughness <= ROAD_ROUGHNESS] = "road"
    return inferred


def surface_of_roughness(roughness: float) -> str:
    """``infer_surface`` of one run's grade roughness [-], without pandas (called per run at
    import)."""
    if roughness >= TRAIL_ROUGHNESS:
        return "trail"
    if roughness <= ROAD_ROUGHNESS:
        return "road"
    return "unknown"


def resolve_surfaces(
    surface: pd.Series, surface_source: pd.Series, roughness: pd.Series
) -> pd.DataFrame:
    """Each run's surface and its source: the explicit one, else the inference (``inferred``).

    Parameters: the store's ``surface`` and ``surface_source`` columns and the cached
    ``roughness`` [-], on one index. Returns ``surface`` and ``surface_source``.
    """
    import pandas as pd

    given = surface.fillna("unknown").astype(object)
    explicit = given.ne("unknown").to_numpy()
    inferred = infer_surface(roughness)
    use_inference = ~explicit & inferred.ne("unknown").to_numpy()
    sources = np.where(explicit, surface_source.astype(object).to_numpy(), None)
    return pd.DataFrame(
        {
            "surface": np.where(use_inference, inferred.to_numpy(), given.to_numpy()),
            "surface_source": np.where(use_inference, "inferred", sources),
        },
        index=surface.index,
        dtype=object,
    )
