"""The look of every report chart: one palette, one type scale, one way to render a PNG.

Charts use matplotlib's object API (``Figure`` + ``FigureCanvasAgg``) and never pyplot, so
rendering leaves no global figure state behind and works from threads and notebooks alike. The
palette is Okabe & Ito's (2008, "Color Universal Design"), distinguishable with every common form
of colour-vision deficiency; meaning is never carried by colour alone (labels, markers or hatching
say it too).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

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

#: Figure width [in]: narrow enough that 10-pt text stays legible when the PNG is scaled to a
#: 390 px phone (about half size); on a desktop page it is shown at its natural 720 px.
FIGURE_WIDTH_IN = 4.8
#: Resolution of the PNGs [dots per inch]: sharp on high-density phone screens.
DPI = 150

_RC = {
    "font.size": 10.5,
    "axes.labelsize": 10.5,
    "axes.titlesize": 11,
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
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",
}

P = ParamSpec("P")


def styled(chart: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the chart under the report's rc settings (scoped: nothing global is left changed)."""

    @wraps(chart)
    def build(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with matplotlib.rc_context(_RC):
            return chart(*args, **kwargs)

    return build


def new_figure(height_in: float, width_in: float = FIGURE_WIDTH_IN) -> Figure:
    """A blank figure with constrained layout, attached to an Agg canvas. [in]"""
    figure = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes (no metadata, so the same chart gives the same bytes)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def shade_span(axes: Axes, start: object, end: object, label: str | None = None) -> None:
    """Shade the report week on a time axis (behind the data)."""
    axes.axvspan(start, end, color=REPORT_WEEK, alpha=0.13, lw=0, zorder=0, label=label)
