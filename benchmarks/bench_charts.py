"""Each report chart as PNG and as SVG: bytes and render time, to choose a format per chart.

    python benchmarks/bench_charts.py [--repeat 5] [--db stridewise.db --config config.toml]

Builds the charts of one report week — by default the week 2026-W47 of the one-year history of
``bench_report.py``; with ``--db`` (and ``--config``) the last complete week of that database,
e.g. the demo's ``demo/stridewise.db`` with ``data/samples/config.toml`` — and renders every
chart in both formats, each from a freshly built figure, with ``style.render`` (laid out once,
drawn once). Prints per chart: the bytes of each format, the best render time of ``--repeat``
and the number of figure draws per render (1 when the layout runs only once), and which format
``drawing.CHART_FORMATS`` picks.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

from matplotlib.figure import Figure

from stridewise.profile import load_profile
from stridewise.report import build, build_report
from stridewise.report.drawing import CHART_FORMATS
from stridewise.report.model import Chart
from stridewise.report.style import render, report_style
from stridewise.store import Store


def chart_figures(store: Store, athlete: str, profile, week: str | None, today: date):
    """The report's figures by chart key, built but not rendered."""
    figures: dict[str, Figure] = {}

    def keep(key: str, title: str, caption: str, figure: Figure) -> Chart:
        figures[key] = figure
        return Chart(key, title, caption)

    with mock.patch.object(build, "_drawn", keep):
        build_report(store, athlete, profile, week=week, today=today)
    return figures


@contextmanager
def counting_draws() -> Iterator[list[int]]:
    """Counts ``Figure.draw`` calls (a layout pass inside ``savefig`` is a second draw)."""
    count = [0]
    original = Figure.draw

    def draw(self, renderer):
        count[0] += 1
        return original(self, renderer)

    with mock.patch.object(Figure, "draw", draw):
        yield count


def measure(store: Store, athlete: str, profile, week: str | None, today: date, repeat: int):
    results: dict[str, dict[str, tuple[int, float, int]]] = {}
    for _ in range(repeat):
        for fmt in ("png", "svg"):  # alternating, so load from other work hits both alike
            figures = chart_figures(store, athlete, profile, week, today)
            with report_style():
                for key, figure in figures.items():
                    with counting_draws() as draws:
                        started = time.perf_counter()
                        image = render(figure, fmt, key)
                        elapsed = time.perf_counter() - started
                    best = results.setdefault(key, {}).get(fmt)
                    if best is None or elapsed < best[1]:
                        results[key][fmt] = (len(image.data), elapsed, draws[0])
    return results


def report(results: dict[str, dict[str, tuple[int, float, int]]]) -> None:
    print(f"{'chart':<16} {'PNG KB':>7} {'SVG KB':>7} {'PNG ms':>7} {'SVG ms':>7} draws  picked")
    totals = {"png": [0, 0.0], "svg": [0, 0.0]}
    for key, formats in results.items():
        png, svg = formats["png"], formats["svg"]
        for fmt, (size, elapsed, _) in formats.items():
            totals[fmt][0] += size
            totals[fmt][1] += elapsed
        print(
            f"{key:<16} {png[0] / 1024:7.1f} {svg[0] / 1024:7.1f} {png[1] * 1000:7.0f} "
            f"{svg[1] * 1000:7.0f} {png[2]}/{svg[2]}    {CHART_FORMATS.get(key, 'svg')}"
        )
    print(
        f"{'all':<16} {totals['png'][0] / 1024:7.1f} {totals['svg'][0] / 1024:7.1f} "
        f"{totals['png'][1] * 1000:7.0f} {totals['svg'][1] * 1000:7.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="renders per chart and format")
    parser.add_argument("--db", type=Path, help="an existing database (default: a built one)")
    parser.add_argument("--config", type=Path, help="the profile for --db")
    parser.add_argument("--athlete", default="me")
    parser.add_argument("--week", help="YYYY-Www (default: the last complete week)")
    args = parser.parse_args(argv)
    if args.db:
        with Store(args.db) as store:
            profile = load_profile(args.config)
            report(measure(store, args.athlete, profile, args.week, date.today(), args.repeat))
        return 0
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_report import ATHLETE, PROFILE, TODAY, fill

    with (
        tempfile.TemporaryDirectory(prefix="stridewise-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        fill(store, 1)
        report(measure(store, ATHLETE, PROFILE, "2026-W47", TODAY, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
