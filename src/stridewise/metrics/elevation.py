"""Total climb and descent of a run from its altitude records.

Altitude wiggles by a metre or two from one record to the next even on flat ground; summing every
drop would count that noise as descent. The totals therefore use a dead band (hysteresis): the
altitude must move more than ``HYSTERESIS_M`` from the last counted point before the move is
counted, as GoldenCheetah's elevation hysteresis does (default 3 m). A drop smaller than the band at
the very end of a run is not counted, so a total is at most one band short.

Only altitude the device measured barometrically, or the platform corrected against a terrain
model, is good enough to judge a descent (``descent_spike``, RULES.md); GPS-only altitude swings
by tens of metres. Which altitude a run has is the activity's ``altitude_source``, decided at
import — these functions measure whatever altitude they are given.
"""

from __future__ import annotations

import numpy as np

#: Altitude sources good enough to judge a descent (RULES.md): measured by a barometer, or
#: corrected by the platform against a terrain model. GPS-only altitude is not.
RELIABLE_ALTITUDE = frozenset({"barometric", "corrected"})

#: Dead band of the climb and descent totals [m].
HYSTERESIS_M = 3.0


def climb_and_descent(
    altitude_m: np.ndarray, hysteresis_m: float = HYSTERESIS_M
) -> tuple[float, float]:
    """(climb, descent) of an altitude profile [m, m], both ≥ 0.

    ``altitude_m`` [m] in record order; NaN values are skipped. ``hysteresis_m`` [m]: a move is
    counted once the altitude is more than this above or below the last counted point. NaN for
    both when fewer than two altitudes are known.
    """
    known = np.asarray(altitude_m, dtype="float64")
    known = known[np.isfinite(known)]
    if len(known) < 2:
        return float("nan"), float("nan")
    # A record at the altitude of the one before it never counts (it is within the band of an
    # anchor its twin did not move, or is the anchor its twin just set), so the loop below runs
    # over the changes only: barometric altitude, written in 0.2 m steps, repeats most records.
    changes = known[1:][known[1:] != known[:-1]]
    climb = descent = 0.0
    anchor = float(known[0])
    for altitude in changes.tolist():
        if altitude > anchor + hysteresis_m:
            climb += altitude - anchor
            anchor = altitude
        elif altitude < anchor - hysteresis_m:
            descent += anchor - altitude
            anchor = altitude
    return climb, descent


def total_descent(altitude_m: np.ndarray, hysteresis_m: float = HYSTERESIS_M) -> float:
    """Total descent of an altitude profile [m] (``climb_and_descent``)."""
    return climb_and_descent(altitude_m, hysteresis_m)[1]
