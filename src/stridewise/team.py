"""The coach's Monday morning: every athlete of a database analysed for one ISO week.

``build_team`` evaluates each athlete exactly as their weekly report does — their own history
(``History.from_store``, reading the per-run metrics cached at import), their own profile from
the config (``Config.profile``: their ``[athletes.NAME]`` section over the shared default) and
``report.build_report_from_history`` — writes that report into ``OUT/athletes/<folder>/`` and
keeps a row of it for the team page (``report.team.athlete_row``). One athlete's analysis
depends on nobody else's, so athletes are evaluated in parallel worker processes
(``pipeline.workers.new_pool``: at most one per core, each dies with its parent), each with one
read-only store of its own; the largest histories go first so that no worker is left with a long
one at the end. The parent checks every profile before any work starts (a wrong setting is one
error, not fifty), then ranks the rows and writes the page.

An athlete whose analysis fails (a damaged record, say) gets a row saying why; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from stridewise.errors import InvalidInput, StridewiseError
from stridewise.pipeline.workers import new_pool, worker_count
from stridewise.profile import Config, Profile
from stridewise.report.model import parse_week, week_label
from stridewise.report.team import (
    ATHLETES_FOLDER,
    AthleteRow,
    TeamPage,
    athlete_folder,
    athlete_row,
    failed_row,
    rank,
)
from stridewise.store import Store

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class AthleteJob:
    """What a worker needs to evaluate one athlete's week."""

    db_path: str
    athlete: str
    profile: Profile
    week_start: date  # Monday
    today: date
    out_dir: str | None  # the team folder; None: build the row only (no charts, no files)


def team_week(week: str | date | None, today: date) -> date:
    """The Monday of the team week: ``week`` (``YYYY-Www`` or a day in it), by default the last
    complete ISO week before ``today``. A week that has not started is an error."""
    if week is None:
        monday = today - timedelta(days=today.weekday()) - timedelta(weeks=1)
    elif isinstance(week, str):
        monday = parse_week(week)
    else:
        monday = week - timedelta(days=week.weekday())
    if monday > today:
        raise InvalidInput(
            f"week {week_label(monday)} has not started yet (today is {today.isoformat()})"
        )
    return monday


def build_team(
    db_path: str | Path,
    config: Config,
    week: str | date | None,
    today: date,
    out_dir: str | Path | None = None,
    *,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
) -> TeamPage:
    """Every athlete of the database (and every athlete the config names) for one week.

    With ``out_dir``, each athlete's full weekly report (charts included) is written to
    ``out_dir/athletes/<athlete_folder(name)>/`` and linked from their row; without it only the
    rows are built. ``jobs``: worker processes (default: one per core).
    """
    monday = team_week(week, today)
    with Store(db_path, readonly=True) as store:
        summaries = {summary.athlete: summary for summary in store.athletes()}
    names = sorted(set(summaries) | set(config.names))
    profiles = {name: config.profile(name) for name in names}
    _check_rule_settings(config, profiles)
    folder = None if out_dir is None else str(Path(out_dir))
    # the longest histories first: a worker that starts one last would finish alone
    ordered = sorted(
        names, key=lambda name: -(summaries[name].activities if name in summaries else 0)
    )
    work = [
        AthleteJob(str(db_path), name, profiles[name], monday, today, folder) for name in ordered
    ]
    rows = _run(work, jobs, progress)
    return TeamPage(week=week_label(monday), week_start=monday, generated_on=today, rows=rank(rows))


def _check_rule_settings(config: Config, profiles: dict[str, Profile]) -> None:
    """Every profile's rule settings, checked before any worker starts (``ConfigError``)."""
    from stridewise.rules import rule_settings

    rule_settings(config.profile(None))
    for profile in profiles.values():
        rule_settings(profile)


def _run(
    work: list[AthleteJob], jobs: int | None, progress: ProgressCallback | None
) -> list[AthleteRow]:
    total = len(work)
    if not total:
        return []
    rows = []
    workers = min(worker_count(jobs), total)
    if workers == 1:
        with Store(work[0].db_path, readonly=True) as store:
            for done, job in enumerate(work, start=1):
                rows.append(evaluate_athlete(job, store))
                if progress:
                    progress(done, total)
        return rows
    with new_pool(workers) as pool:
        futures = [pool.submit(evaluate_athlete, job) for job in work]
        for done, future in enumerate(as_completed(futures), start=1):
            rows.append(future.result())
            if progress:
                progress(done, total)
    return rows


#: The store each worker process reads, opened on its first athlete (one reader per process).
_WORKER_STORES: dict[str, Store] = {}


def _worker_store(db_path: str) -> Store:
    store = _WORKER_STORES.get(db_path)
    if store is None:
        store = _WORKER_STORES[db_path] = Store(db_path, readonly=True)
    return store


def evaluate_athlete(job: AthleteJob, store: Store | None = None) -> AthleteRow:
    """One athlete's row (runs in a worker): their history, their weekly report — written
    beside the team page when ``job.out_dir`` is set — and the row read off it."""
    from stridewise.history import History
    from stridewise.report import build_report_from_history, write_report

    reader = store if store is not None else _worker_store(job.db_path)
    try:
        history = History.from_store(reader, job.athlete, job.profile)
        folder = athlete_folder(job.athlete)
        out = Path(job.out_dir) / ATHLETES_FOLDER / folder if job.out_dir is not None else None
        report = build_report_from_history(
            history,
            job.week_start,
            job.today,
            athlete=job.athlete,
            draw_charts=out is not None,
            reuse_charts_in=out,  # the charts of last run's page that did not change
        )
        path = None
        if out is not None:
            write_report(report, out)
            path = f"{ATHLETES_FOLDER}/{folder}/index.html"
        days = history.activities["local_date"]
        week_end = job.week_start + timedelta(days=6)
        until_end = days[days <= week_end]
        return athlete_row(
            report,
            activities=int(((days >= job.week_start) & (days <= week_end)).sum()),
            last_activity=max(until_end) if len(until_end) else None,
            profile=job.profile,
            report_path=path,
        )
    except StridewiseError as exc:
        return failed_row(job.athlete, str(exc), job.profile)
