"""Evaluating one athlete of a cohort: the one function every engine runs per athlete.

``evaluate_athlete`` builds the athlete's ``History`` from its records (``records.history_of``)
and runs ``rules.evaluate`` over the whole of it — exactly what ``stridewise flags --json
--athlete NAME`` does with the single store — so a cohort finds what ``flags`` finds, finding for
finding. One athlete's bad data never stops the others: whatever goes wrong is the athlete's
``problem``, one line naming the athlete.

The findings become rows of one table (``FINDING_COLUMNS``: the athlete, the finding's place in
the athlete's list, and the fields of ``flags --json`` with ``window`` and ``details`` as columns),
and each athlete one status row (``STATUS_COLUMNS``) — what the engines return and the writer
writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from stridewise.cohort.records import AthleteRecords, history_of
from stridewise.errors import StridewiseError
from stridewise.profile import Config, Profile
from stridewise.rules import Finding, evaluate

#: Columns of the findings table: name -> type (schema type names).
FINDING_COLUMNS: dict[str, str] = {
    "athlete": "string",
    "finding": "int32",  # the finding's place in the athlete's list (flags --json order)
    "rule": "string",
    "factor": "string",
    "date": "date32",
    "activity_id": "int64",
    "severity": "string",
    "value": "float64",
    "threshold": "float64",
    "unit": "string",
    "message": "string",
    "remedy": "string",
    "evidence": "string",
    "citation": "string",
    "window_start": "date32",
    "window_end": "date32",
    "details": "string",  # JSON object
}
#: Columns of an athlete's status row.
STATUS_COLUMNS: dict[str, str] = {
    "athlete": "string",
    "runs": "int64",
    "years": "float64",  # first to last local day of the history [years]
    "findings": "int64",
    "status": "string",  # evaluated, nothing to evaluate (no runs) or failed
    "problem": "string",  # why not evaluated, in one line naming the athlete
}
EVALUATED, EMPTY, FAILED = "evaluated", "nothing to evaluate", "failed"
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class AthleteOutcome:
    """What the rules found for one athlete, or why nothing was evaluated."""

    athlete: str
    findings: tuple[Finding, ...] = ()
    runs: int = 0
    years: float = 0.0  # [years]
    problem: str | None = None

    @property
    def status(self) -> str:
        if self.problem is None:
            return EVALUATED
        return EMPTY if self.problem.endswith(EMPTY) else FAILED

    @classmethod
    def failed(cls, athlete: str, reason: str) -> AthleteOutcome:
        return cls(athlete, problem=f"athlete {athlete}: {reason}; not evaluated")


def choose_profile(records: AthleteRecords, config: Config | None) -> Profile:
    """The profile an athlete is evaluated with: the profile file given to the cohort (the
    athlete's own ``[athletes.NAME]`` section over its shared default, as ``flags --athlete
    NAME`` reads it), else the one exported with the athlete (the profile column), else the
    defaults."""
    if config is not None:
        return config.profile(records.athlete)
    return records.profile if records.profile is not None else Profile()


def evaluate_athlete(records: AthleteRecords, config: Config | None = None) -> AthleteOutcome:
    """Every rule over the athlete's whole history (see the module text)."""
    athlete = records.athlete
    if records.runs == 0:
        what = "no activities" if records.activities.empty else "no runs"
        return AthleteOutcome(athlete, problem=f"athlete {athlete}: {what}; nothing to evaluate")
    try:
        history = history_of(records, choose_profile(records, config))
        evaluation = evaluate(history)
        years = 0.0
        if history.start is not None and history.end is not None:
            years = ((history.end - history.start).days + 1) / DAYS_PER_YEAR
        return AthleteOutcome(
            athlete, tuple(evaluation.findings), len(history.runs), round(years, 4)
        )
    except StridewiseError as exc:
        return AthleteOutcome.failed(athlete, str(exc))
    except Exception as exc:  # one athlete's odd data must not stop a cohort of thousands
        return AthleteOutcome.failed(
            athlete, f"evaluation failed ({type(exc).__name__}: {str(exc)[:200]})"
        )


def finding_rows(outcome: AthleteOutcome) -> pd.DataFrame:
    """The outcome's findings as rows of ``FINDING_COLUMNS`` (values as ``flags --json`` has
    them: rounded to 2 decimals, dates as dates)."""
    rows = []
    for index, finding in enumerate(outcome.findings):
        data = finding.to_json()
        window = finding.window or (None, None)
        rows.append(
            {
                **{key: data[key] for key in FINDING_COLUMNS if key in data},
                "athlete": outcome.athlete,
                "finding": index,
                "date": finding.date,
                "window_start": window[0],
                "window_end": window[1],
                "details": json.dumps(data["details"], ensure_ascii=False),
            }
        )
    return typed_frame(rows, FINDING_COLUMNS)


def status_row(outcome: AthleteOutcome) -> pd.DataFrame:
    return typed_frame(
        [
            {
                "athlete": outcome.athlete,
                "runs": outcome.runs,
                "years": outcome.years,
                "findings": len(outcome.findings),
                "status": outcome.status,
                "problem": outcome.problem,
            }
        ],
        STATUS_COLUMNS,
    )


def typed_frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows as a frame with one fixed dtype per column (empty or not): numbers as float64 or
    nullable integers, text and dates as objects with None."""
    frame = pd.DataFrame(rows, columns=list(columns))
    for name, kind in columns.items():
        if kind == "float64":
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        elif kind in ("int64", "int32"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Int64")
        else:
            values = frame[name].astype(object)
            frame[name] = values.where(values.notna(), None)
    return frame


def finding_json(row: dict) -> dict:
    """A findings-table row back in the shape of ``flags --json`` (for comparisons)."""

    def day(value: object) -> str | None:
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()

    def number(value: object) -> float | None:
        return None if value is None or pd.isna(value) else float(value)

    start, end = day(row["window_start"]), day(row["window_end"])
    activity = row["activity_id"]
    return {
        "rule": row["rule"],
        "factor": row["factor"],
        "date": day(row["date"]),
        "activity_id": None if activity is None or pd.isna(activity) else int(activity),
        "severity": row["severity"],
        "value": number(row["value"]),
        "threshold": number(row["threshold"]),
        "unit": row["unit"],
        "message": row["message"],
        "remedy": row["remedy"],
        "evidence": row["evidence"],
        "citation": row["citation"],
        "window": None if start is None else {"start": start, "end": end},
        "details": json.loads(row["details"]),
    }
