"""The report as one self-contained HTML page, from the Jinja2 template ``templates/report.html``.

Autoescaping is on for the whole template, so every value from the report — names, messages,
reasons — is escaped by Jinja2; the few pieces of markup made here (DOI links, ``<code>`` for
commands, ``<sub>``/``<sup>`` in formulas, the charts) escape their text themselves before they
are marked safe. Charts are inline SVG (or PNG data URIs): the page loads nothing from anywhere,
reads at a phone's width (390 px), follows the system's dark mode, and prints cleanly.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from stridewise.report.formatting import (
    finding_numbers,
    format_duration,
    formula_parts,
    short_day,
    shorten,
    without_sentence,
)
from stridewise.report.model import (
    NOT_MEDICAL_ADVICE,
    Chart,
    ChartImage,
    Command,
    Phrase,
    WeeklyReport,
)
from stridewise.report.tables import (
    recovery_sentence,
    remedy_sentences,
    shows_descent,
    totals_cards,
    week_rows,
)

_DOI = re.compile(r"doi:\s*(10\.\d{4,9}/[^\s;,()]+[^\s;,().])", re.IGNORECASE)


def template_environment(**filters: Callable[..., Any]) -> Environment:
    """A Jinja2 environment over the report's templates (the weekly report and the team page):
    every template autoescaped whatever its name, an undefined name an error, with
    ``filters`` added to the ones every page uses (``day``, ``shorten``)."""
    environment = Environment(
        loader=PackageLoader("stridewise.report", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(day=short_day, shorten=shorten, **filters)
    return environment


@cache
def _environment() -> Environment:
    return template_environment(
        cite=cite,
        phrase=phrase,
        formula=formula,
        chart=chart_markup,
        duration=format_duration,
    )


def render_html(report: WeeklyReport) -> str:
    """The whole page as a string (UTF-8 when written)."""
    template = _environment().get_template("report.html")
    return template.render(
        report=report,
        units=report.units,
        disclaimer=NOT_MEDICAL_ADVICE,
        cards=totals_cards(report),
        week_rows=week_rows(report),
        show_descent=shows_descent(report),
        remedy_lines=remedy_sentences(report.remedies),
        recovery_line=recovery_sentence(report.recovery),
        advice=lambda flag: without_sentence(flag.remedy, report.clinician_note),
        numbers=lambda flag: finding_numbers(report.units, flag.value, flag.threshold, flag.unit),
        quiet_groups=report.quiet_groups() if report.has_runs else ([], []),
    )


def cite(citation: str) -> Markup:
    """Escaped citation text with each DOI linked (a link is only followed when clicked)."""
    out, last = [], 0
    for match in _DOI.finditer(citation):
        out.append(escape(citation[last : match.start()]))
        doi = match.group(1)
        out.append(Markup('<a href="https://doi.org/{0}">doi:{0}</a>').format(doi))
        last = match.end()
    out.append(escape(citation[last:]))
    return Markup("").join(out)


def phrase(text: Phrase | str) -> Markup:
    """Plain parts escaped, commands as ``<code>``."""
    if isinstance(text, str):
        return escape(text)
    return Markup("").join(
        Markup("<code>{}</code>").format(part.text) if isinstance(part, Command) else escape(part)
        for part in text.parts
    )


def formula(text: str) -> Markup:
    """An ASCII formula (``CTL_{t-1}·e^(-1/42)``) with real sub- and superscripts."""
    tags = {"sub": "<sub>{}</sub>", "sup": "<sup>{}</sup>", "text": "{}"}
    return Markup("").join(Markup(tags[kind]).format(inner) for kind, inner in formula_parts(text))


def chart_markup(chart: Chart) -> Markup:
    """The chart's image: inline SVG, or a PNG as a data URI sized for 2× screens."""
    image = chart.image
    if image is None:
        return Markup("")
    if image.format == "svg":
        return inline_svg(image, chart.title)
    data = base64.b64encode(image.data).decode("ascii")
    return Markup(
        '<img src="data:image/png;base64,{0}" width="{1}" height="{2}" alt="{3}">'
    ).format(Markup(data), image.width_px // 2, image.height_px // 2, chart.title)


_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_GROUP_ID = re.compile(r'<g id="[^"]*"')


def inline_svg(image: ChartImage, title: str) -> Markup:
    """A matplotlib SVG ready to sit in the page.

    Drops the XML prolog, gives the element its size in CSS px (the page scales it to the
    column), a role and a label, scopes matplotlib's one ``*{...}`` style rule to the chart, and
    drops the ``id``s of plain groups (``figure_1``, ``axes_1`` … would repeat in every chart;
    the ids that are referenced — clip paths, markers, hatches — are salted per chart).
    The SVG is matplotlib's own output: it escaped every text it drew.
    """
    text = image.data.decode("utf-8")
    opening, body = text[text.index("<svg") + len("<svg") :].split(">", 1)
    attributes = Markup(
        '<svg class="chart-svg" role="img" aria-label="{0}" width="{1}" height="{2}"'
    ).format(title, image.width_px, image.height_px)
    text = f"{attributes}{_SIZE.sub('', opening)}>{body}"
    text = text.replace('<style type="text/css">*{', '<style type="text/css">.chart-svg *{', 1)
    text = _GROUP_ID.sub("<g", text)
    return Markup(text)
