"""The weekly report: ``build_report`` gathers a week, ``write_report`` writes it out.

::

    from stridewise.report import build_report, write_report
    report = build_report(store, "me", profile, week="2026-W47")
    paths = write_report(report, "stridewise-report-2026-W47")

``model`` is what a report says, as dataclasses (the rules' findings among them); ``build`` is the
one adapter from the library to it; the writers (``html`` from a Jinja2 template, ``markdown``,
``jsonout``) only format it, with numbers from the shared ``formatting``; the charts (``charts``)
draw plain DataFrames and ``style`` renders each once.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from stridewise.errors import InvalidInput
from stridewise.history import History
from stridewise.profile import Profile
from stridewise.report.build import ReportInputs, default_week, report_from_history
from stridewise.report.drawing import MANIFEST, ChartCache, manifest_bytes
from stridewise.report.model import Chart, WeeklyReport, parse_week, week_label
from stridewise.report.summary import summary_lines
from stridewise.shoes import shoe_table
from stridewise.store import Store

FORMATS = ("html", "md", "json")

__all__ = [
    "FORMATS",
    "Chart",
    "ReportInputs",
    "WeeklyReport",
    "build_report",
    "default_out_dir",
    "parse_formats",
    "parse_week",
    "replace_file",
    "report_from_history",
    "summary_lines",
    "week_label",
    "write_report",
]


def local_today(profile: Profile) -> date:
    """Today in the runner's time zone (the profile's, else this computer's)."""
    if profile.timezone:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(profile.timezone)).date()
    return date.today()


def build_report(
    store: Store,
    athlete: str,
    profile: Profile,
    week: str | date | None = None,
    today: date | None = None,
    *,
    draw_charts: bool = True,
    reuse_charts_in: Path | Literal["default"] | None = None,
    chart_workers: int = 1,
) -> WeeklyReport:
    """The report of one ISO week (``YYYY-Www``, a day in it, or None for the default).

    The default is the last complete ISO week (local Monday-Sunday, its Sunday before ``today``)
    that has a run. ``today`` defaults to today in the profile's time zone. With
    ``reuse_charts_in`` (the folder the report will be written to, or "default" for
    ``default_out_dir``), charts an earlier report wrote there are taken from it when nothing
    they show has changed, instead of drawn again (``drawing``). ``chart_workers`` processes
    draw the charts side by side (where the platform forks).
    """
    history = History.from_store(store, athlete, profile)
    return build_report_from_history(
        history,
        week,
        today,
        athlete=athlete,
        draw_charts=draw_charts,
        reuse_charts_in=reuse_charts_in,
        chart_workers=chart_workers,
    )


def build_report_from_history(
    history: History,
    week: str | date | None = None,
    today: date | None = None,
    *,
    athlete: str = "me",
    draw_charts: bool = True,
    reuse_charts_in: Path | Literal["default"] | None = None,
    chart_workers: int = 1,
) -> WeeklyReport:
    """``build_report`` over a History already read (``flags`` and the report share one)."""
    today = today or local_today(history.profile)
    if week is None:
        monday = default_week(history, today)
    elif isinstance(week, str):
        monday = parse_week(week)
    else:
        monday = week - timedelta(days=week.weekday())
    sunday = monday + timedelta(days=6)
    activities = history.activities[history.activities["local_date"] <= sunday]
    shoes = shoe_table(history.shoe_book, activities, history.profile, sunday)
    week_runs = history.runs[
        (history.runs["local_date"] >= monday) & (history.runs["local_date"] <= sunday)
    ]
    samples = {
        int(activity_id): history.load_samples(int(activity_id))
        for activity_id, count in week_runs["n_samples"].items()
        if count > 0
    }
    cache = None
    if reuse_charts_in is not None:
        folder = _week_folder(week_label(monday)) if reuse_charts_in == "default" else None
        cache = ChartCache(folder or Path(reuse_charts_in))
    inputs = ReportInputs(
        shoes=shoes,
        pain=history.pain,
        samples=samples,
        chart_cache=cache,
        chart_workers=chart_workers,
    )
    return report_from_history(
        history, monday, today, athlete=athlete, inputs=inputs, draw_charts=draw_charts
    )


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``html,md,json`` (any subset, any order) as a tuple; an unknown name is an error."""
    names = [n.strip().lower() for n in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise InvalidInput(
            f"unknown report format '{unknown[0] if unknown else text}'; use any of html, md, json"
        )
    return tuple(dict.fromkeys(names))


def default_out_dir(report: WeeklyReport) -> Path:
    """``./stridewise-report-YYYY-Www`` in the current directory."""
    return _week_folder(report.week)


def _week_folder(week: str) -> Path:
    return Path(f"stridewise-report-{week}")


def write_report(
    report: WeeklyReport, out_dir: str | Path, formats: Iterable[str] = FORMATS
) -> dict[str, Path]:
    """Write the chosen formats and the chart images into ``out_dir`` (created if needed).

    Returns the written paths by kind: "html", "md", "json" and "chart:<key>". Each file is
    written to a temporary file in ``out_dir`` and renamed over its target, so a reader never
    sees half a report and a symlink planted at a target is replaced, never followed. The files
    are readable by their owner only: the report is health data.
    """
    from stridewise.report.html import render_html
    from stridewise.report.jsonout import render_json
    from stridewise.report.markdown import render_markdown

    chosen = parse_formats(list(formats))
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for chart in report.charts:
            if chart.image is not None:
                written[f"chart:{chart.key}"] = _replace_file(
                    folder, chart.filename, chart.image.data
                )
        # what each chart was drawn from, for the next report into this folder (drawing.py)
        manifest = manifest_bytes(report.charts)
        if manifest is not None:
            _replace_file(folder, MANIFEST, manifest)
        else:
            with suppress(FileNotFoundError):
                os.unlink(folder / MANIFEST)
        renderers = {
            "html": ("index.html", render_html),
            "md": ("report.md", render_markdown),
            "json": ("report.json", render_json),
        }
        for kind in chosen:
            name, render = renderers[kind]
            written[kind] = _replace_file(folder, name, render(report).encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{folder}: cannot write the report ({exc.strerror or exc})") from exc
    return written


def _replace_file(folder: Path, name: str, data: bytes) -> Path:
    """Write ``folder/name`` through a new temporary file renamed over it.

    ``mkstemp`` creates the temporary file exclusively (no existing file or link is opened) and
    ``os.replace`` renames onto the target's name, replacing whatever entry is there — a symlink
    included — without following it.
    """
    target = folder / name
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return target


#: Public name of the atomic, owner-only write, for the team page beside the reports.
replace_file = _replace_file
