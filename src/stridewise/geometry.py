"""Geometry on the Earth's surface: great-circle distances and GPS jumps.

The bottom of the package: every reader, the cleaning step and the metrics measure positions with
these functions, so that a distance is the same number wherever it is computed.
"""

from __future__ import annotations

import math

import numpy as np

#: Mean Earth radius (IUGG) [m], for haversine distances.
EARTH_RADIUS_M = 6_371_008.8

#: Consistent positions in a row after a GPS jump that make the new place the real one [points]:
#: a receiver that started at a wrong place and then found itself, or a genuine relocation.
RELOCATION_POINTS = 10


def haversine_m(
    lat1_deg: np.ndarray, lon1_deg: np.ndarray, lat2_deg: np.ndarray, lon2_deg: np.ndarray
) -> np.ndarray:
    """Great-circle distance [m] between two arrays of positions [degree] on a sphere of mean
    Earth radius (haversine formula; Sinnott, Sky & Telescope 68(2):159, 1984)."""
    lat1, lon1, lat2, lon2 = (np.radians(a) for a in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    half_chord = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(half_chord, 0.0, 1.0)))


def gps_jumps(
    seconds: np.ndarray, lat_deg: np.ndarray, lon_deg: np.ndarray, limit_mps: float
) -> np.ndarray:
    """Which positions are GPS jumps: reached faster than ``limit_mps`` [m/s] from the last good
    position (time [s] between them taken as at least one second).

    Walks the positions in time order keeping the last good one. The first position is good
    when the next agrees with it. A run of ``RELOCATION_POINTS`` positions that agree with each
    other but not with the last good one is taken as real (the receiver found itself, or the
    activity moved on without a pause): they stay, and the step to them is a jump that the
    distance leaves out (see ``path_steps``). NaN positions are neither good nor jumps.
    """
    jumps = np.zeros(len(seconds), dtype=bool)
    positioned = np.flatnonzero(np.isfinite(lat_deg) & np.isfinite(lon_deg))
    if len(positioned) < 2:
        return jumps
    step_speed = _speeds(seconds, lat_deg, lon_deg, positioned[:-1], positioned[1:])
    if not np.any(step_speed > limit_mps):
        return jumps  # the usual case, decided without a Python loop

    def speed(a: int, b: int) -> float:
        moved = _haversine_one_m(lat_deg[a], lon_deg[a], lat_deg[b], lon_deg[b])
        return moved / max(abs(seconds[b] - seconds[a]), 1.0)

    agreeing = np.flatnonzero(step_speed <= limit_mps)
    if not len(agreeing):
        return jumps  # no two positions agree: nothing to tell the jumps by
    start = int(agreeing[0])  # the first two positions that agree are good
    good = positioned[start]
    for point in positioned[:start][::-1]:  # before them: good when it agrees with the next good
        if speed(point, good) <= limit_mps:
            good = point
        else:
            jumps[point] = True
    good = positioned[start]
    candidates: list[int] = []  # consecutive rejected positions that agree with each other
    for point in positioned[start + 1 :]:
        if speed(good, point) <= limit_mps:
            good, candidates = point, []
            continue
        jumps[point] = True
        if candidates and speed(candidates[-1], point) <= limit_mps:
            candidates.append(point)
        else:
            candidates = [point]
        if len(candidates) >= RELOCATION_POINTS:
            jumps[candidates] = False
            good, candidates = point, []
    return jumps


def _haversine_one_m(lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float) -> float:
    """``haversine_m`` of one pair of positions [degree], without numpy's per-call cost [m]."""
    lat1, lat2 = math.radians(lat1_deg), math.radians(lat2_deg)
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(lon2_deg - lon1_deg) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(max(half_chord, 0.0), 1.0)))


def _speeds(
    seconds: np.ndarray,
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
) -> np.ndarray:
    moved = haversine_m(lat_deg[before], lon_deg[before], lat_deg[after], lon_deg[after])
    span = np.maximum(np.abs(seconds[after] - seconds[before]), 1.0)
    return moved / span
