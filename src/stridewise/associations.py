"""Which risk factors preceded the runner's back pain: associations, never causes.

For every risk factor: the share of pain days (score ≥ ``threshold``) that had a flag of that
factor on the same day or the ``window_days`` days before, against the share of all logged days
that had one. A factor whose flags came before pain more often than before days in general is
*associated with* the pain in this runner's own journal — not shown to cause it. Only logged days
count (an unlogged day's pain is unknown), and only flags of caution or above (information-only
findings such as ``acwr`` raise nothing).

Remedies are related the same way: the share of logged days that were pain days in ISO weeks
with strength or mobility work (``stridewise.kinds``), against weeks without. Pain can prompt
that work as well as follow its absence, so the sentence says which way the shares lean and
never why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import pandas as pd

from stridewise.rules.base import FACTORS, Finding

#: A pain day is a logged score at or above this [0-10].
DEFAULT_PAIN_THRESHOLD = 3
#: Flags count when they fall on the pain day or up to this many days before it [days].
DEFAULT_WINDOW_DAYS = 3
#: Below this many pain days the shares say little: the output warns.
MIN_PAIN_DAYS = 5

STATEMENT = (
    "These are associations in your own journal: a factor associated with, not caused by, your "
    "back pain. Pain has many sources; if it persists, see a doctor or physical therapist."
)


@dataclass(frozen=True)
class FactorAssociation:
    factor: str
    pain_days: int  # logged days with score >= threshold
    pain_days_with_flags: int  # of which a flag of this factor came 0..window days before
    share_pain_days: float | None  # [0-1]
    days: int  # all logged days
    days_with_flags: int
    share_all_days: float | None  # [0-1]

    @property
    def linked(self) -> bool:
        """Flags of this factor preceded pain days more often than days in general."""
        return (
            self.pain_days_with_flags > 0
            and self.share_pain_days is not None
            and self.share_all_days is not None
            and self.share_pain_days > self.share_all_days
        )


@dataclass(frozen=True)
class RemedyWeeks:
    """Logged and pain days in ISO weeks with and without strength or mobility work."""

    weeks_with: int
    logged_days_with: int
    pain_days_with: int
    share_with: float | None  # pain days / logged days [0-1]
    weeks_without: int
    logged_days_without: int
    pain_days_without: int
    share_without: float | None  # [0-1]


def remedy_weeks(
    remedy_days: Iterable[date], pain: pd.DataFrame, threshold: int = DEFAULT_PAIN_THRESHOLD
) -> RemedyWeeks:
    """Pain days (score ≥ ``threshold``) among the logged days of ISO weeks with a strength or
    mobility session (``remedy_days``: the local days of those sessions) and of weeks without."""

    def monday(day: date) -> date:
        return day - timedelta(days=day.weekday())

    mondays_with_work = {monday(day) for day in remedy_days}
    logged = list(zip(pain["date"], pain["score"].astype(int), strict=True))
    with_work = [(day, score) for day, score in logged if monday(day) in mondays_with_work]
    without = [(day, score) for day, score in logged if monday(day) not in mondays_with_work]

    def tally(days: list[tuple[date, int]]) -> tuple[int, int, int, float | None]:
        pain_days = sum(score >= threshold for _, score in days)
        share = round(pain_days / len(days), 3) if days else None
        return len({monday(day) for day, _ in days}), len(days), pain_days, share

    return RemedyWeeks(*tally(with_work), *tally(without))


def pain_associations(
    findings: list[Finding],
    pain: pd.DataFrame,
    threshold: int = DEFAULT_PAIN_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    remedy_days: Iterable[date] | None = None,
) -> dict:
    """Associations of every risk factor with the logged pain days.

    ``findings``: flags over the journal's period (``rules.evaluate``); ``pain``: the journal
    (``pain.pain_frame``: ``date``, ``score``). ``threshold`` [score 0-10], ``window_days`` [days].
    ``remedy_days``: local days of strength and mobility sessions; when given, the result's
    ``remedy_weeks`` relates pain days to the weeks with and without them (``remedy_weeks``).
    """
    logged = {d: int(s) for d, s in zip(pain["date"], pain["score"], strict=True)}
    pain_days = [d for d, score in logged.items() if score >= threshold]
    flag_days: dict[str, set[date]] = {factor: set() for factor in FACTORS}
    for finding in findings:
        if finding.severity != "info" and finding.factor in flag_days:
            flag_days[finding.factor].add(finding.date)

    def preceded(day: date, factor: str) -> bool:
        return any(day - timedelta(days=k) in flag_days[factor] for k in range(window_days + 1))

    factors = []
    for factor in FACTORS:
        with_pain = sum(preceded(day, factor) for day in pain_days)
        with_any = sum(preceded(day, factor) for day in logged)
        factors.append(
            FactorAssociation(
                factor=factor,
                pain_days=len(pain_days),
                pain_days_with_flags=with_pain,
                share_pain_days=round(with_pain / len(pain_days), 3) if pain_days else None,
                days=len(logged),
                days_with_flags=with_any,
                share_all_days=round(with_any / len(logged), 3) if logged else None,
            )
        )
    warning = None
    if len(pain_days) < MIN_PAIN_DAYS:
        warning = (
            f"Only {len(pain_days)} pain day{'s' if len(pain_days) != 1 else ''} (score ≥ "
            f"{threshold}) logged: too few for the shares to mean much."
        )
    return {
        "threshold": threshold,
        "window_days": window_days,
        "logged_days": len(logged),
        "pain_days": len(pain_days),
        "warning": warning,
        "statement": STATEMENT,
        "factors": [{**asdict(a), "linked": a.linked} for a in factors],
        "remedy_weeks": None
        if remedy_days is None
        else asdict(remedy_weeks(remedy_days, pain, threshold)),
    }


def association_lines(result: dict) -> list[str]:
    """Plain sentences for the terminal and the report, one per factor with flags before pain."""
    lines = []
    for entry in result["factors"]:
        if not entry["pain_days_with_flags"]:
            continue
        lines.append(
            f"{entry['factor']}: {entry['pain_days_with_flags']} of {entry['pain_days']} pain days "
            f"({entry['share_pain_days']:.0%}) had {entry['factor']} flags in the "
            f"{result['window_days']} days before, against {entry['days_with_flags']} of "
            f"{entry['days']} logged days ({entry['share_all_days']:.0%})"
            + (" — associated with your pain, not shown to cause it." if entry["linked"] else ".")
        )
    weeks = result.get("remedy_weeks")
    if weeks and weeks["logged_days_with"] and weeks["logged_days_without"]:
        lines.append(remedy_line(RemedyWeeks(**weeks)))
    return lines


def remedy_line(weeks: RemedyWeeks) -> str:
    """The sentence relating pain days to weeks with and without strength or mobility work."""
    with_share, without_share = weeks.share_with or 0.0, weeks.share_without or 0.0
    if with_share < without_share:
        lean = "fewer pain days in weeks with that work"
    elif with_share > without_share:
        lean = "more pain days in weeks with that work (pain can prompt it, too)"
    else:
        lean = "the same share either way"
    return (
        f"strength and mobility work: {weeks.pain_days_with} of {weeks.logged_days_with} logged "
        f"days ({with_share:.0%}) were pain days in the {weeks.weeks_with} weeks with it, against "
        f"{weeks.pain_days_without} of {weeks.logged_days_without} ({without_share:.0%}) in the "
        f"{weeks.weeks_without} weeks without — {lean}: associated with, not caused by it."
    )


def associations_from_store(
    store,
    athlete: str,
    profile,
    threshold: int = DEFAULT_PAIN_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> dict | None:
    """Evaluate the athlete's history and relate its flags to the pain journal (None: no
    journal)."""
    from stridewise.history import History
    from stridewise.kinds import REMEDY_KINDS
    from stridewise.pain import pain_frame
    from stridewise.rules import evaluate

    pain = pain_frame(store, athlete)
    if pain.empty:
        return None
    history = History.from_store(store, athlete, profile)
    first = min(pain["date"]) - timedelta(days=window_days)
    findings = evaluate(history, since=first).findings if not history.runs.empty else []
    activities = history.activities
    remedy_days = activities.loc[activities["kind"].isin(REMEDY_KINDS), "local_date"]
    return pain_associations(findings, pain, threshold, window_days, list(remedy_days))
