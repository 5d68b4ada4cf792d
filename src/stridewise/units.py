"""Unit constants, one place for each (a copied constant drifts), and telling units apart.

Lengths are the international yard and pound agreement's (1959): one yard is exactly 0.9144 m,
a foot a third of it, a mile 1760 yards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

#: Metres in one kilometre [m].
METRES_PER_KM = 1000.0
#: Metres in one international mile [m].
METRES_PER_MILE = 1609.344
#: Metres in one international foot [m].
METRES_PER_FOOT = 0.3048
#: Metres in one international yard [m].
METRES_PER_YARD = 0.9144
#: Kilometres in one international mile [km].
KM_PER_MILE = METRES_PER_MILE / METRES_PER_KM
#: Feet in one mile.
FEET_PER_MILE = 5280.0

#: How far a median ratio may be from the one a unit predicts and still name that unit (20 %).
UNIT_RATIO_TOLERANCE = 1.2


def closest_unit(ratios: Sequence[float], units: Mapping[float, float]) -> float | None:
    """The unit whose expected ratio the median of ``ratios`` lies within 20 % of, else None.

    ``units`` maps an expected ratio to the unit it stands for (metres per display unit, say);
    a ratio is compared on a log scale, so 20 % too much and 20 % too little weigh the same.
    """
    if not ratios:
        return None
    import statistics  # here: the command line's start-up imports this module, rarely this

    median = statistics.median(ratios)
    if median <= 0:
        return None
    expected, unit = min(units.items(), key=lambda item: abs(math.log(median / item[0])))
    return unit if abs(math.log(median / expected)) < math.log(UNIT_RATIO_TOLERANCE) else None
