"""Drawing the report's charts, and not drawing again a chart whose picture has not changed.

Drawing is most of a weekly report's time: matplotlib takes a quarter of a second to import and
about a tenth of a second to lay out and draw each chart. A chart is a pure function of its
arguments, of the chart code and of matplotlib, so ``chart_digest`` of those names the image it
gives. ``write_report`` keeps the digest of each chart it writes in ``MANIFEST`` beside the chart
files; the next report into the same folder (the report again after adding a pain note, a shoe or
the week's last run, which leaves the older weeks' charts as they were) takes every chart whose
digest is unchanged — and whose file is still the one written — from its file instead of drawing
it. matplotlib is imported only when a chart has to be drawn.

The charts that must be drawn are independent of each other: with ``workers`` above one (the
``stridewise report`` command uses the cores) they are drawn side by side in forked processes,
each with the report's style, and come back as the same bytes the process itself would draw. A
drawing process forked when the report starts loads matplotlib while the report reads the
history and runs the rules, then forks the helpers that draw (matplotlib loaded once, and never
in the report's own process); a report into a folder that holds an earlier one forks it only
when more than one chart has to be drawn again.

What a reused chart shows is what drawing it would show: the digest covers every argument the
chart function is given (frames by their values, index, columns and dtypes), the chart format, and
the source of the modules that draw (``charts``, ``style``, ``formatting``, this one) and
matplotlib's version. An argument that cannot be digested, a damaged manifest or
a chart file that is not the one written means the chart is drawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from stridewise.errors import StridewiseError
from stridewise.inputs import read_regular_file
from stridewise.report.model import Chart, ChartImage

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

#: Which format each chart is written in (benchmarks/README.md, "Report charts: PNG or SVG").
#: SVG everywhere: smaller and as fast or faster for every chart, sharp at any size, and its
#: text can be measured (the browser test) and selected. PNG stays available for callers.
CHART_FORMATS: dict[str, str] = {
    "weekly-distance": "svg",
    "daily-load": "svg",
    "pmc": "svg",
    "rest-calendar": "svg",
    "shoes": "svg",
    "surface-mix": "svg",
    "form": "svg",
    "warm-up": "svg",
    "back-pain": "svg",
    "minutes-by-kind": "svg",
    "recovery": "svg",
}

#: The file beside the charts that names what each was drawn from.
MANIFEST = ".stridewise-charts.json"
#: Largest manifest and chart file read back [bytes]; anything larger is drawn again.
_MANIFEST_LIMIT = 2**20
_CHART_LIMIT = 16 * 2**20
#: Modules whose source decides what a chart looks like.
_DRAWING_MODULES = ("charts.py", "style.py", "formatting.py", "drawing.py")


class _NotDigestible(Exception):
    """An argument whose value cannot be digested: the chart is drawn, never reused."""


def chart_digest(function: str, fmt: str, key: str, args: Sequence[Any], kwargs: Mapping) -> str:
    """The name of the image ``charts.<function>(*args, **kwargs)`` gives, rendered as ``fmt``
    with ids salted by ``key``; raises ``_NotDigestible`` for an argument it cannot read."""
    digest = hashlib.sha256(_code_fingerprint().encode())
    _feed(digest, (function, fmt, key, tuple(args), dict(kwargs)))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        matplotlib_version = version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover - matplotlib is a dependency
        matplotlib_version = "unknown"
    here = Path(__file__).parent
    sources = hashlib.sha256()
    for name in _DRAWING_MODULES:
        sources.update((here / name).read_bytes())
    return f"{matplotlib_version}|{sources.hexdigest()}"


def _feed(digest: Any, value: Any) -> None:
    """Add ``value`` to ``digest``, each kind tagged so that no two kinds read alike."""
    if value is None or isinstance(value, bool | int | float | str | np.generic):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, datetime | date | pd.Timestamp):
        digest.update(f"{type(value).__name__}:{value.isoformat()};".encode())
    elif isinstance(value, tuple | list):
        digest.update(f"seq:{len(value)}(".encode())
        for item in value:
            _feed(digest, item)
        digest.update(b")")
    elif isinstance(value, dict):
        digest.update(f"map:{len(value)}(".encode())
        for item_key in sorted(value, key=repr):
            _feed(digest, item_key)
            _feed(digest, value[item_key])
        digest.update(b")")
    elif isinstance(value, pd.DataFrame | pd.Series):
        _feed_frame(digest, value)
    elif isinstance(value, np.ndarray) and value.dtype != object:
        digest.update(f"array:{value.dtype.str}:{value.shape};".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    else:
        raise _NotDigestible(type(value).__name__)


def _feed_frame(digest: Any, frame: pd.DataFrame | pd.Series) -> None:
    """A frame by its shape, column names, index and values: numbers and times by pandas' row
    hashes, each cell of a column of objects by ``_feed`` (so "1" and 1 differ)."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=repr(frame.name))
    digest.update(f"frame:{frame.shape}".encode())
    _feed(digest, [repr(c) for c in frame.columns])
    for column in [frame.index.to_series(), *(frame.iloc[:, i] for i in range(frame.shape[1]))]:
        digest.update(f"column:{column.dtype};".encode())
        if column.dtype == object:
            for value in column:
                _feed(digest, value)
        else:
            hashes = pd.util.hash_pandas_object(column, index=False, categorize=False)
            digest.update(hashes.to_numpy().tobytes())


class ChartCache:
    """The charts an earlier report wrote into ``folder``, by key, with their digests."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = _read_manifest(folder)

    def image(self, key: str, digest: str) -> ChartImage | None:
        """The image written for ``key`` when it was drawn from ``digest``, if its file is still
        the one written; None otherwise (the chart is drawn)."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("digest") != digest:
            return None
        fmt = entry.get("format")
        if fmt not in ("svg", "png"):
            return None
        try:
            data = read_regular_file(self.folder / f"{key}.{fmt}", _CHART_LIMIT, "a chart")
            width, height = int(entry["width_px"]), int(entry["height_px"])
        except (StridewiseError, OSError, KeyError, TypeError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            return None  # changed since it was written
        return ChartImage(fmt, data, width, height)


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        text = read_regular_file(folder / MANIFEST, _MANIFEST_LIMIT, "a chart manifest")
        document = json.loads(text)
    except (StridewiseError, OSError, ValueError):
        return {}  # none yet, or not one stridewise wrote: every chart is drawn
    charts = document.get("charts") if isinstance(document, dict) else None
    return charts if isinstance(charts, dict) else {}


def manifest_bytes(charts: Iterable[Chart]) -> bytes | None:
    """The manifest of the drawn charts that have a digest; None when there is none."""
    entries = {
        chart.key: {
            "digest": chart.digest,
            "format": chart.image.format,
            "sha256": hashlib.sha256(chart.image.data).hexdigest(),
            "width_px": chart.image.width_px,
            "height_px": chart.image.height_px,
        }
        for chart in charts
        if chart.image is not None and chart.digest is not None
    }
    if not entries:
        return None
    document = {"what": "the digest each chart of this folder was drawn from", "charts": entries}
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


@dataclass(frozen=True)
class _Drawing:
    """A chart to draw: ``charts.<function>(*args, **kwargs)`` in format ``fmt``."""

    key: str
    function: str
    fmt: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def _draw(drawing: _Drawing) -> ChartImage:
    """The chart drawn and rendered (the report's style must be in effect)."""
    from stridewise.report import charts
    from stridewise.report.style import render

    figure = getattr(charts, drawing.function)(*drawing.args, **drawing.kwargs)
    return render(figure, drawing.fmt, drawing.key)


def _start_drawing_process() -> None:
    """Runs in each drawing process: matplotlib and the report's look, for the process's whole
    life. Ctrl-C reaches the whole process group: the report stops drawing, its processes need
    not react."""
    import signal

    import stridewise.report.charts  # noqa: F401  (loaded once, before it forks any helper)
    from stridewise.report.style import report_style

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    report_style().__enter__()


def _drawing_processes(workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_drawing_process,
    )


def _ready() -> None:
    """The first task, which forks the drawing process."""


def _draw_side_by_side(drawings: list[_Drawing], workers: int) -> list[ChartImage]:
    """Runs in the drawing process: ``drawings`` drawn by ``workers`` processes forked from it,
    after it has loaded matplotlib, so that matplotlib is loaded once."""
    if workers < 2 or len(drawings) < 2:
        return [_draw(drawing) for drawing in drawings]
    with _drawing_processes(min(workers, len(drawings))) as helpers:
        return list(helpers.map(_draw, drawings))


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class ChartDrawer:
    """Draws a report's charts, each once, taking from ``cache`` those that have not changed.

    Use as a context manager around all of a report's charts: the report's look (``style``) is
    set once, when the first chart is drawn here, and restored on leaving, where a drawing
    process still running is stopped. With ``workers`` above one, ``chart`` only notes what to
    draw and ``drawn`` draws those charts side by side: in a drawing process forked from this
    one, which loads matplotlib and forks ``workers`` helpers that each draw some of them
    (where the platform forks; else one after the other here, and matplotlib is loaded here).
    """

    def __init__(self, cache: ChartCache | None = None, workers: int = 1) -> None:
        self.cache = cache
        self.workers = workers if workers > 1 and _can_fork() else 1
        self._stack = ExitStack()
        self._styled = False
        self._waiting: list[_Drawing] = []
        self._process: ProcessPoolExecutor | None = None

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._stop_drawing_process(wait=exc_info[0] is None)
        finally:
            self._stack.close()
            self._styled = False
            self._waiting = []

    def start(self) -> None:
        """Fork the drawing process now if every chart will be drawn (no earlier report in the
        cache's folder): it loads matplotlib while this process reads the history and runs the
        rules. Else it is forked by ``drawn`` when there is more than one chart to draw."""
        if self.workers > 1 and self._process is None and not (self.cache and self.cache.entries):
            self._process = _drawing_processes(1)
            self._process.submit(_ready)

    def _stop_drawing_process(self, wait: bool) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.shutdown(wait=wait, cancel_futures=True)

    def chart(
        self, key: str, title: str, caption: str, function: str, *args: Any, **kwargs: Any
    ) -> Chart:
        """``charts.<function>(*args, **kwargs)`` rendered once in the chart's format, or the
        image an earlier report drew from the same arguments. With ``workers`` above one, a
        chart to draw comes back without its image until ``drawn``."""
        fmt = CHART_FORMATS.get(key, "svg")
        try:
            digest: str | None = chart_digest(function, fmt, key, args, kwargs)
        except _NotDigestible:
            digest = None
        if digest is not None and self.cache is not None:
            image = self.cache.image(key, digest)
            if image is not None:
                return Chart(key, title, caption, image=image, digest=digest)
        drawing = _Drawing(key, function, fmt, args, kwargs)
        if self.workers > 1:
            self._waiting.append(drawing)
            return Chart(key, title, caption, digest=digest)
        return Chart(key, title, caption, image=self._draw_here(drawing), digest=digest)

    def drawn(self, charts: Iterable[Chart]) -> tuple[Chart, ...]:
        """``charts`` with the images of the charts ``chart`` left waiting, drawn now."""
        waiting, self._waiting = self._waiting, []
        if waiting and self.workers > 1 and (self._process is not None or len(waiting) > 1):
            if self._process is None:
                self._process = _drawing_processes(1)
            try:
                drawing = self._process.submit(_draw_side_by_side, waiting, self.workers)
                images = dict(zip([d.key for d in waiting], drawing.result(), strict=True))
            except BaseException:  # a chart failed, or Ctrl-C: stop at once
                self._stop_drawing_process(wait=False)
                raise
            self._stop_drawing_process(wait=True)
        else:
            images = {drawing.key: self._draw_here(drawing) for drawing in waiting}
        return tuple(
            replace(chart, image=images[chart.key]) if chart.key in images else chart
            for chart in charts
        )

    def _draw_here(self, drawing: _Drawing) -> ChartImage:
        from stridewise.report.style import report_style

        if not self._styled:
            self._stack.enter_context(report_style())
            self._styled = True
        return _draw(drawing)
