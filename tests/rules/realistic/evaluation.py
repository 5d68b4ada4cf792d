"""Store a realistic history the way an import does and evaluate every rule over its asserted weeks.

``evaluate_history`` saves each activity as its own file (``Store.save_file``, one sha256 per
activity), computes the per-run metrics the rules read (``refresh_run_metrics``), reads the history
back (``History.from_store``) with the runner's profile and runs ``evaluate`` from the history's
``since`` to its ``until``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from stridewise.history import History
from stridewise.pipeline import refresh_run_metrics
from stridewise.rules import Evaluation, Finding, evaluate
from stridewise.store import Store

from .runners import RunnerHistory, local_day

ATHLETE = "me"
#: Severities a coach acts on; information findings are hints, not flags (see the tests).
FLAG_SEVERITIES = ("caution", "warning", "high")

Flag = tuple[str, str, date]  # (rule, severity, local date)


@dataclass(frozen=True)
class Outcome:
    """What the rules said about one history."""

    history: RunnerHistory
    evaluation: Evaluation

    @property
    def findings(self) -> list[Finding]:
        return self.evaluation.findings

    def flags(self) -> set[Flag]:
        """(rule, severity, local date) of every caution, warning and high finding."""
        return {
            (f.rule, f.severity, f.date) for f in self.findings if f.severity in FLAG_SEVERITIES
        }

    def information(self) -> set[Flag]:
        return {(f.rule, f.severity, f.date) for f in self.findings if f.severity == "info"}

    def flagged_activity(self, rule: str) -> set[int | None]:
        """The activity ids of the rule's flags."""
        return {
            f.activity_id for f in self.findings if f.rule == rule and f.severity in FLAG_SEVERITIES
        }

    def described(self) -> list[str]:
        """Every finding in one line each (for assertion messages and the report)."""
        return [
            f"{f.date} {f.rule} {f.severity} value={f.value} activity={f.activity_id}: "
            f"{f.message[:160]}"
            for f in self.findings
        ]


def evaluate_history(history: RunnerHistory, folder: Path) -> Outcome:
    """Store ``history`` in a new database in ``folder`` and evaluate it (see the module text)."""
    path = folder / f"{history.name}.db"
    with Store(path) as store:
        for activity in history.activities:
            store.save_file(ATHLETE, activity.source_name, activity.source_sha256, [activity])
        refresh_run_metrics(store, ATHLETE)
        loaded = History.from_store(store, ATHLETE, history.profile)
        evaluation = evaluate(loaded, history.since, history.until)
    return Outcome(history, evaluation)


def check_marks_were_stored(history: RunnerHistory) -> None:
    """Each planted activity got an id from the store and lies in the asserted weeks."""
    for name, activity in history.marks.items():
        assert activity.id is not None, f"{history.name}: {name} was not stored"
        assert history.since <= local_day(activity) <= history.until, name
