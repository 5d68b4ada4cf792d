"""Session load: how much training one run was, by a named model.

Load models measure load; they predict nothing. Which model a figure used is always reported.

- Banister TRIMP (Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69:1171,
  doi:10.1152/jappl.1990.69.3.1171).
- Edwards TRIMP (Edwards 1993, *The Heart Rate Monitor Book*).
- rTSS, running training stress score (TrainingPeaks), on a normalised graded speed built with the
  energy cost of running on slopes of Minetti et al. 2002, doi:10.1152/japplphysiol.01177.2001.
- session RPE (Foster et al. 2001, doi:10.1519/00124278-200102000-00019).
- distance [km] and duration [min] when nothing better exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from stridewise.errors import InvalidInput
from stridewise.metrics.heart_rate import HeartRateHistogram
from stridewise.metrics.records import (
    Track,
    as_track,
    moving_columns,
    running_sums,
    window_starts,
)

# pandas only where a function needs it: the import's per-run metrics load without it
if TYPE_CHECKING:
    import pandas as pd

#: Banister TRIMP weighting k·e^(b·HRr) by sex (Morton 1990). Women have 0.86 and 1.67 — the
#: common bug gives women the men's 0.64.
BANISTER_WEIGHTING: dict[str, tuple[float, float]] = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
#: Edwards zones: lower bounds as a share of maximum heart rate and each zone's weight.
EDWARDS_ZONES: tuple[tuple[float, int], ...] = ((0.5, 1), (0.6, 2), (0.7, 3), (0.8, 4), (0.9, 5))
#: Time over which speed is averaged before the 4th-power mean of normalised graded speed [s].
NGP_ROLLING_S = 30.0

LOAD_MODELS = ("auto", "banister", "edwards", "rtss", "session_rpe", "distance", "duration")
LOAD_UNITS = {
    "banister": "TRIMP",
    "edwards": "Edwards TRIMP",
    "rtss": "rTSS",
    "session_rpe": "RPE x min",
    "distance": "km",
    "duration": "min",
}
#: "Most runs": the share of runs a model's inputs must cover for ``auto`` to choose it [-].
MIN_MODEL_SHARE = 0.5


def banister_trimp(
    heart_rate_bpm: float | np.ndarray | pd.Series,
    duration_s: float | np.ndarray | pd.Series,
    max_hr: float,
    resting_hr: float,
    sex: str | None,
) -> float:
    """Banister TRIMP = Σ Δt · HRr · k·e^(b·HRr), HRr = (HR − HRrest)/(HRmax − HRrest).

    k, b = 0.64, 1.92 for men and 0.86, 1.67 for women (Morton et al. 1990). HRr is clipped to
    0-1. With an unknown sex the men's weighting (Banister's original) is used.

    Parameters: ``heart_rate_bpm`` heart rates [1/min] (records, histogram bins, or one average);
    ``duration_s`` the time at each [s]; ``max_hr`` and ``resting_hr`` [1/min]; ``sex``
    "male" / "female" / None. Returns TRIMP [min-weighted, arbitrary units].
    """
    k, b = BANISTER_WEIGHTING.get(sex or "male", BANISTER_WEIGHTING["male"])
    heart_rate = np.asarray(heart_rate_bpm, dtype="float64")
    minutes = np.asarray(duration_s, dtype="float64") / 60.0
    reserve = np.clip((heart_rate - resting_hr) / (max_hr - resting_hr), 0.0, 1.0)
    return float(np.nansum(minutes * reserve * k * np.exp(b * reserve)))


def edwards_trimp(
    heart_rate_bpm: float | np.ndarray | pd.Series,
    duration_s: float | np.ndarray | pd.Series,
    max_hr: float,
) -> float:
    """Edwards TRIMP = Σ minutes in zone × zone weight (50-60 % HRmax = 1 … 90-100 % = 5).

    Time below 50 % counts 0; above 100 % counts 5 (Edwards 1993). Parameters:
    ``heart_rate_bpm`` [1/min]; ``duration_s`` the time at each [s]; ``max_hr`` [1/min].
    """
    share = np.asarray(heart_rate_bpm, dtype="float64") / max_hr
    minutes = np.asarray(duration_s, dtype="float64") / 60.0
    weight = np.zeros_like(share)
    for lower, zone_weight in EDWARDS_ZONES:
        weight = np.where(share >= lower, zone_weight, weight)
    return float(np.nansum(minutes * weight))


def minetti_cost_ratio(grade: float | np.ndarray) -> np.ndarray:
    """Energy cost of running on a slope relative to the flat, C(i)/C(0) [-] (Minetti 2002).

    C(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6 [J/(kg·m)]. ``grade`` [-] (rise/run,
    0.1 = 10 %); unknown grade counts as flat.
    """
    i = np.asarray(grade, dtype="float64")
    # NaN as 0 (flat); an infinite grade stays infinite, as nan_to_num's huge number would
    # overflow to the same infinity in the first product
    i = np.where(np.isnan(i), 0.0, i)
    # Horner's form: float powers of an array cost ten times the multiplications
    cost = ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
    return cost / 3.6


def normalized_graded_speed(track: Track | pd.DataFrame) -> float:
    """Normalised graded speed of a run [m/s] — an approximation of TrainingPeaks' NGP.

    Each record's speed is turned into the flat speed of equal energy cost (Minetti 2002), averaged
    over ``NGP_ROLLING_S`` of moving time, and the 4th-power mean of that is taken (as in
    normalised power), so surges weigh more than their share of time. ``track`` is a frame from
    ``stridewise.metrics.records.prepare_track`` (or its ``Track``). NaN without speed.
    """
    track = as_track(track)
    moving = moving_columns(track, "speed_mps")
    known = ~np.isnan(moving["speed_mps"])
    if not known.any():
        return float("nan")
    everywhere = bool(known.all())  # the usual run: no copies
    graded = moving_graded_speed(track)
    graded = graded if everywhere else graded[known]
    weights = moving["dt_s"] if everywhere else moving["dt_s"][known]
    if weights.sum() <= 0:
        return float("nan")
    clock = moving["t_s"] if everywhere else moving["t_s"][known]
    rolling = trailing_mean(clock, graded, NGP_ROLLING_S)
    # np.average's own arithmetic, without its checks
    return float(((rolling**4 * weights).sum() / weights.sum()) ** 0.25)


def moving_graded_speed(track: Track) -> np.ndarray:
    """The moving records' speed turned into the flat speed of equal energy cost
    (``minetti_cost_ratio`` of their grade) [m/s]; NaN where speed is unknown. Computed once per
    track: graded pace and decoupling both read it."""
    return track.derived(
        "moving graded speed",
        lambda t: t.moving_values("speed_mps") * minetti_cost_ratio(t.moving_values("grade")),
    )


def trailing_mean(clock_s: np.ndarray, values: np.ndarray, window_s: float) -> np.ndarray:
    """Mean of the values of each record and those less than ``window_s`` [s] before it, as
    ``Series.rolling(f"{window_s}s").mean()`` on a clock of ``clock_s`` [s, non-decreasing]
    gives it: the clock is read to the nanosecond as ``pandas.to_datetime(unit="s")`` reads it,
    so a record exactly ``window_s`` back is out of the window in both. ``values`` are known."""
    if float(window_s).is_integer() and (np.floor(clock_s) == clock_s).all():
        first = window_starts(clock_s, window_s)  # whole seconds: exact as they are
    else:
        first = window_starts(_nanoseconds(clock_s), round(window_s * 1e9))
    last = np.arange(1, len(values) + 1)
    sums = running_sums(values)
    return (sums[1:] - sums[first]) / (last - first)  # sums[1:]: up to each record itself


def _nanoseconds(seconds: np.ndarray) -> np.ndarray:
    """``pandas.to_datetime(seconds, unit="s").asi8`` of seconds ≥ 0 [ns]: whole seconds, and
    the fraction rounded to 9 decimals then truncated to the nanosecond."""
    whole = seconds.astype("int64")
    return whole * 1_000_000_000 + (np.round(seconds - whole, 9) * 1e9).astype("int64")


def running_tss(duration_s: float, ngp_speed_mps: float, threshold_speed_mps: float) -> float:
    """rTSS = hours × IF² × 100 with IF = normalised graded speed / threshold speed.

    Parameters: ``duration_s`` moving time [s]; ``ngp_speed_mps`` normalised graded speed [m/s];
    ``threshold_speed_mps`` the runner's threshold speed [m/s] (1000 / threshold pace in s/km).
    """
    intensity = ngp_speed_mps / threshold_speed_mps
    return float(duration_s / 3600.0 * intensity**2 * 100.0)


def session_rpe(rpe: float, duration_s: float) -> float:
    """Session RPE load = RPE (CR-10) × minutes (Foster 2001).

    Parameters: ``rpe`` rating of perceived exertion [0-10]; ``duration_s`` [s].
    """
    return float(rpe * duration_s / 60.0)


class LoadChoice(NamedTuple):
    model: str  # one of LOAD_MODELS minus "auto"
    unit: str
    reason: str


def choose_load_model(
    runs: pd.DataFrame,
    *,
    requested: str = "auto",
    max_hr: float | None,
    resting_hr: float | None,
    threshold_pace_s_per_km: float | None,
    max_hr_estimated: bool = False,
) -> LoadChoice:
    """The load model the data supports best, and why.

    ``auto`` takes, in order: Banister TRIMP when most runs have heart rate and both maximum
    (given or estimated) and resting heart rate are known; Edwards TRIMP when resting heart rate
    is unknown; rTSS when a threshold pace is set and most runs have distance and time; session
    RPE when most runs have an RPE; else distance, else duration. "Most" is more than
    ``MIN_MODEL_SHARE``. ``runs`` needs ``has_heart_rate``, ``rpe``, ``distance_km`` and
    ``duration_s``; heart rates [1/min], pace [s/km].
    """
    if requested not in LOAD_MODELS:
        raise InvalidInput(
            f"unknown load model '{requested}'; choose one of {', '.join(LOAD_MODELS)}"
        )
    count = len(runs)
    share = (lambda mask: float(mask.sum()) / count) if count else (lambda mask: 0.0)
    hr_share = share(runs["has_heart_rate"])
    paced_share = share(runs["distance_km"].gt(0) & runs["duration_s"].gt(0))
    rpe_share = share(runs["rpe"].notna())
    max_note = " (estimated)" if max_hr_estimated else ""
    hr_note = f"{hr_share:.0%} of runs have heart rate"
    options = {
        "banister": (
            hr_share > MIN_MODEL_SHARE and max_hr is not None and resting_hr is not None,
            f"{hr_note}; max HR {max_hr or 0:.0f}{max_note} and resting HR {resting_hr or 0:.0f} "
            "known",
        ),
        "edwards": (
            hr_share > MIN_MODEL_SHARE and max_hr is not None,
            f"{hr_note} and max HR {max_hr or 0:.0f}{max_note} is known, but resting HR is not "
            "(set athlete.resting_hr for Banister TRIMP)",
        ),
        "rtss": (
            threshold_pace_s_per_km is not None and paced_share > MIN_MODEL_SHARE,
            f"threshold pace is set and {paced_share:.0%} of runs have distance and time",
        ),
        "session_rpe": (rpe_share > MIN_MODEL_SHARE, f"{rpe_share:.0%} of runs have an RPE"),
        "distance": (
            share(runs["distance_km"].gt(0)) > MIN_MODEL_SHARE,
            "no heart rate, threshold pace or RPE for most runs",
        ),
        "duration": (True, "no heart rate, threshold pace, RPE or distance for most runs"),
    }
    if requested != "auto":
        usable, why = options[requested]
        if not usable:
            raise InvalidInput(f"load model '{requested}' needs data this history lacks ({why})")
        return LoadChoice(requested, LOAD_UNITS[requested], f"chosen in the settings; {why}")
    for model, (usable, why) in options.items():
        if usable:
            return LoadChoice(model, LOAD_UNITS[model], why)
    raise AssertionError("duration is always usable")  # pragma: no cover


#: Runs with both a model load and an RPE needed to scale session RPE to the model's unit.
MIN_RPE_CALIBRATION_RUNS = 3

#: How a run's load was found (``score_runs``'s second Series).
SCORED, BY_SESSION_RPE, BY_FILL = "model", "session_rpe", "fill"


def score_runs(
    runs: pd.DataFrame,
    model: str,
    *,
    max_hr: float | None = None,
    resting_hr: float | None = None,
    sex: str | None = None,
    threshold_pace_s_per_km: float | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Each run's load by one model, and how it was found.

    A run the model cannot score (no heart rate for a TRIMP, no speed for rTSS, no distance for
    the distance model: a run added by hand with its minutes only) gets, in order:
    its session RPE (Foster 2001) scaled to the model's unit by the runs that have both (at least
    ``MIN_RPE_CALIBRATION_RUNS``); else the runner's median load per minute of the runs the model
    could score × its duration — so a day without a heart-rate strap is not a rest day in the
    load chart. The second Series says which (``SCORED``, ``BY_SESSION_RPE``, ``BY_FILL``).

    ``runs`` columns: ``hr_hist`` (HeartRateHistogram or None), ``avg_heart_rate_bpm`` [1/min],
    ``duration_s`` [s], ``moving_s`` [s], ``distance_km`` [km], ``ngp_speed_mps`` [m/s], ``rpe``
    [0-10]. A run without records uses its average heart rate (Banister's original form) or its
    average speed. Heart rates [1/min]; threshold pace [s/km].
    """
    import pandas as pd

    duration = runs["moving_s"].where(runs["moving_s"].gt(0), runs["duration_s"])
    if model in ("banister", "edwards"):
        loads = pd.Series(
            [
                _heart_rate_load(model, hist, avg, seconds, max_hr, resting_hr, sex)
                for hist, avg, seconds in zip(
                    runs["hr_hist"], runs["avg_heart_rate_bpm"], runs["duration_s"], strict=True
                )
            ],
            index=runs.index,
            dtype="float64",
        )
    elif model == "rtss":
        threshold_speed = 1000.0 / float(threshold_pace_s_per_km or np.nan)
        average_speed = runs["distance_km"] * 1000.0 / duration
        speed = runs["ngp_speed_mps"].where(runs["ngp_speed_mps"].gt(0), average_speed)
        loads = duration / 3600.0 * (speed / threshold_speed) ** 2 * 100.0
    elif model == "session_rpe":
        loads = runs["rpe"] * runs["duration_s"] / 60.0
    elif model == "distance":
        loads = runs["distance_km"].astype("float64")
    elif model == "duration":
        loads = runs["duration_s"] / 60.0
    else:
        raise InvalidInput(f"unknown load model '{model}'")
    loads = loads.astype("float64").replace([np.inf, -np.inf], np.nan)
    how = pd.Series(np.where(loads.notna(), SCORED, BY_FILL), index=runs.index, dtype="object")
    if model == "duration":  # every run has a duration
        return loads.fillna(0.0), how.where(loads.notna(), SCORED)
    session = (runs["rpe"] * runs["duration_s"] / 60.0).astype("float64")
    both = loads.notna() & session.gt(0)
    if model != "session_rpe" and both.sum() >= MIN_RPE_CALIBRATION_RUNS:
        scale = float((loads[both] / session[both]).median())
        by_rpe = loads.isna() & session.notna()
        loads = loads.where(~by_rpe, session * scale)
        how = how.where(~by_rpe, BY_SESSION_RPE)
    per_minute = (loads / (duration / 60.0)).replace([np.inf, -np.inf], np.nan)
    filled = loads.fillna(per_minute.median() * duration / 60.0)
    return filled.fillna(0.0), how


def load_notes(how: pd.Series, model: str, unit: str) -> list[str]:
    """What the output says about runs whose load was estimated (``score_runs``)."""
    notes = []
    by_rpe = int((how == BY_SESSION_RPE).sum())
    by_fill = int((how == BY_FILL).sum())
    needs = {
        "banister": "heart rate",
        "edwards": "heart rate",
        "rtss": "distance and time",
        "session_rpe": "an RPE",
        "distance": "a distance",
    }.get(model, "what the model needs")
    if by_rpe:
        notes.append(
            f"{by_rpe} run{'s' if by_rpe != 1 else ''} without {needs} by session RPE "
            f"(RPE x minutes, Foster 2001), scaled to {unit} by your runs that have both"
        )
    if by_fill:
        notes.append(
            f"{by_fill} run{'s' if by_fill != 1 else ''} without {needs} from your median "
            f"{unit} per minute x the run's duration"
        )
    return notes


def _heart_rate_load(
    model: str,
    histogram: HeartRateHistogram | None,
    average_bpm: float,
    duration_s: float,
    max_hr: float | None,
    resting_hr: float | None,
    sex: str | None,
) -> float:
    import pandas as pd

    if histogram is not None:
        heart_rate, seconds = histogram.bpm, histogram.seconds
    elif pd.notna(average_bpm) and pd.notna(duration_s) and duration_s > 0:
        heart_rate, seconds = np.array([average_bpm]), np.array([duration_s])
    else:
        return float("nan")
    if model == "banister":
        return banister_trimp(heart_rate, seconds, max_hr, resting_hr, sex)  # type: ignore[arg-type]
    return edwards_trimp(heart_rate, seconds, max_hr)  # type: ignore[arg-type]
