"""The look of every report chart: one palette, one type scale, one way to render an image.

Charts use matplotlib's object API (``Figure`` + ``FigureCanvasAgg``) and never pyplot, so
rendering leaves no global figure state behind and works from threads and notebooks alike. The
palette is Okabe & Ito's (2008, "Color Universal Design"), distinguishable with every common form
of colour-vision deficiency; meaning is never carried by colour alone (labels, markers or hatching
say it too).

Sizes are chosen for a 390 px phone: the page gives a chart 358 CSS px, so a figure
``FIGURE_WIDTH_IN`` = 4 in (288 pt) wide is shown at 1.24 CSS px per point and the smallest text,
``MIN_FONT_PT`` = 9 pt, at 11.2 CSS px. PNGs are drawn at ``DPI`` = 180 (720 px: 2× that width);
SVG text stays text at any size.

Text in charts is plain text: mathtext is off (``text.parse_math``), so a shoe called
"Pegasus $120 / Vomero $160" is drawn as written instead of failing as a formula.

Each figure is laid out once and drawn once: ``render`` runs the constrained layout itself, then
switches the layout engine off, because ``savefig`` with a layout engine draws the figure twice
(a layout pass and the real one).
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from stridewise.report.model import ChartImage

#: Okabe-Ito colours, by name.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
LIGHT_GREY = "#E6E6E6"

#: What each colour means across the report, so one meaning keeps one colour everywhere.
REPORT_WEEK = ORANGE  # the week the report is about
HISTORY = SKY_BLUE  # earlier weeks and days
ACUTE = VERMILLION
CHRONIC = BLUE
OK = GREEN
NEAR = ORANGE
PAST = VERMILLION

#: Figure width [in]; see the module text for how it maps onto a phone.
FIGURE_WIDTH_IN = 4.0
#: Resolution of PNGs [dots per inch]: 720 px wide, twice the phone's 358 CSS px.
DPI = 180
#: The smallest text any chart uses [pt] (11.2 CSS px on a 390 px phone).
MIN_FONT_PT = 9.0
#: Text sizes [pt]: small (annotations, dense legends) and normal (labels).
SMALL_PT = MIN_FONT_PT
NORMAL_PT = 10.0

_RC = {
    "font.family": "sans-serif",
    # DejaVu Sans is what matplotlib measures text with; the others are what a browser showing
    # the SVG falls back to (both narrower, so labels never grow into each other)
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial"],
    "font.size": NORMAL_PT,
    "axes.labelsize": NORMAL_PT,
    "axes.titlesize": NORMAL_PT,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    # charts sit on a white card in light and dark mode alike (the page draws the card)
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",  # text stays text: small, sharp, selectable, measurable
    "text.parse_math": False,  # names from files are plain text, never mathtext
    "text.usetex": False,
    "figure.constrained_layout.h_pad": 0.03,
    "figure.constrained_layout.w_pad": 0.03,
}

_depth = 0  # how deep in ``report_style`` we are: the rc context is entered once, not per chart

P = ParamSpec("P")


@contextmanager
def report_style() -> Iterator[None]:
    """The report's rc settings for everything drawn inside (scoped, re-entrant).

    ``build`` enters it once around all charts; a chart function called on its own (a notebook,
    a test) enters it itself.
    """
    global _depth
    if _depth:
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    with matplotlib.rc_context(_RC):
        _depth = 1
        try:
            yield
        finally:
            _depth = 0


def styled(chart: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the chart under the report's rc settings (scoped: nothing global is left changed)."""

    @wraps(chart)
    def build(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with report_style():
            return chart(*args, **kwargs)

    return build


def new_figure(height_in: float, width_in: float = FIGURE_WIDTH_IN) -> Figure:
    """A blank figure with constrained layout, attached to an Agg canvas. [in]"""
    figure = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def render(figure: Figure, fmt: str = "svg", salt: str = "chart") -> ChartImage:
    """The figure as an SVG or PNG image, laid out and drawn exactly once.

    ``salt`` seeds the ids inside an SVG, so two charts inlined in one page never share an id
    and the same chart gives the same bytes.
    """
    if fmt not in ("svg", "png"):
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    with report_style():
        _lay_out_once(figure)
        if fmt == "png":
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            data = buffer.getvalue()
            width, height = png_size(data)
            return ChartImage("png", data, width, height)
        # set inside the report's rc context, which restores it on leaving: no context per chart
        matplotlib.rcParams["svg.hashsalt"] = salt
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    data = _METADATA.sub(b"", buffer.getvalue(), count=1)
    width_in, height_in = figure.get_size_inches()
    # CSS px (96 per inch) for the page; the SVG's own size is in points
    return ChartImage("svg", data, round(width_in * 96), round(height_in * 96))


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes (no metadata, so the same chart gives the same bytes)."""
    return render(figure, "png").data


def _lay_out_once(figure: Figure) -> None:
    engine = figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.execute(figure)  # measures text with the canvas' renderer; draws nothing
        figure.set_layout_engine(None)  # so savefig does not lay out (and draw) it again


_METADATA = re.compile(rb"\s*<metadata>.*?</metadata>", re.DOTALL)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG [px], from its IHDR chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def shade_span(axes: Axes, start: object, end: object, label: str | None = None) -> None:
    """Shade the report week on a time axis (behind the data)."""
    axes.axvspan(start, end, color=REPORT_WEEK, alpha=0.13, lw=0, zorder=0, label=label)
