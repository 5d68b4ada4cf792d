"""Every date, duration, pace, distance and number the report shows, in the runner's units.

One module for the HTML page, the Markdown file and the terminal summary, so the same figure
reads the same everywhere (a pace is never "5:30/km" in one and "5:30 min/km" in the other).
Also the text helpers both writers need: shortening names that would swamp a table or a chart,
Markdown escaping for text that did not come from us (shoe and run names, flag messages), and
the PMC formula as plain parts (text, subscript, superscript) that each writer renders its way.

Pure functions of plain values; nothing here reads the store, the rules or the history.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from stridewise.inputs import printable, short_text
from stridewise.profile import KM_PER_MILE

#: Garmin's ground-contact balance colours: within 50 ± 2.2 % is not red (RULES.md, Form). A band
#: to read the form chart by, not a rule: asymmetry was not associated with injury (Malisoux 2024).
BALANCE_BAND_POINTS = 2.2

#: Longest name shown in a table cell or a chart label [characters]; longer ones end in "…".
#: Names come from watch files and exports: a 100,000-character shoe name once took 39 s to lay
#: out in a chart.
NAME_LIMIT = 40
#: Longest name on a chart's axis or legend [characters]: the axes are 4 inches wide.
CHART_NAME_LIMIT = 24


@dataclass(frozen=True)
class Units:
    """The runner's distance unit: values are kept in km and shown in km or miles."""

    imperial: bool

    @property
    def name(self) -> str:
        return "mi" if self.imperial else "km"

    @property
    def long_name(self) -> str:
        return "miles" if self.imperial else "kilometres"

    def value(self, km: float) -> float:
        """A distance [km] in the runner's unit [km or mi], as a number."""
        return km / KM_PER_MILE if self.imperial else km

    def distance(self, km: float | None, digits: int = 1) -> str:
        """A distance [km] in the runner's unit, with the unit; '–' when unknown."""
        if _missing(km):
            return "–"
        return f"{self.value(float(km)):.{digits}f} {self.name}"

    def number(self, km: float | None, digits: int = 1) -> str:
        """A distance [km] in the runner's unit without the unit (table cells)."""
        if _missing(km):
            return "–"
        return f"{self.value(float(km)):.{digits}f}"

    def pace(self, duration_s: float | None, distance_km: float | None) -> str:
        """min:ss per km or per mile [s, km]."""
        if _missing(duration_s) or _missing(distance_km) or not duration_s or not distance_km:
            return "–"
        per_unit = float(duration_s) / self.value(float(distance_km))
        minutes, seconds = divmod(round(per_unit), 60)
        return f"{minutes}:{seconds:02d}/{self.name}"

    def finding_numbers(
        self, value: float | None, threshold: float | None, unit: str
    ) -> tuple[float | None, float | None, str]:
        """A finding's value and threshold in the runner's unit.

        Rules state distances in km (shoe mileage, trail distance) while their messages already
        speak the runner's unit; converting here keeps "passed its 372.8 mi limit" and the
        numbers under it in the same unit.
        """
        head, sep, rest = unit.partition(" ")
        base, slash, per = head.partition("/")
        if not self.imperial or base != "km":
            return value, threshold, unit
        converted = [None if _missing(v) else self.value(float(v)) for v in (value, threshold)]
        return converted[0], converted[1], f"mi{slash}{per}{sep}{rest}"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# -- dates and durations ---------------------------------------------------------------------
def long_day(day: date) -> str:
    """E.g. 'Mon 16 Nov 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """E.g. 'Mon 16 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def format_duration(seconds: float | None) -> str:
    """h:mm [s] (a week's or a run's time; seconds would be noise here)."""
    if _missing(seconds):
        return "–"
    minutes = round(float(seconds) / 60.0)
    return f"{minutes // 60}:{minutes % 60:02d}"


# -- numbers ---------------------------------------------------------------------------------
def format_number(value: object, unit: str | None = None) -> str:
    """A finding's value or threshold with its unit; '–' when absent."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, float) and math.isnan(value):
        return "–"
    elif float(value).is_integer() or abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def finding_numbers(units: Units, value: float | None, threshold: float | None, unit: str) -> str:
    """'Value 37.1% · threshold 30%', in the runner's unit."""
    shown_value, shown_threshold, shown_unit = units.finding_numbers(value, threshold, unit)
    if shown_unit == unit:
        return f"Value {format_number(value, unit)} · threshold {format_number(threshold, unit)}"
    # a converted distance keeps one decimal, as the rules' messages write it ("372.8 mi")
    shown = [
        "–" if _missing(number) else f"{number:.1f} {shown_unit}"
        for number in (shown_value, shown_threshold)
    ]
    return f"Value {shown[0]} · threshold {shown[1]}"


def change_text(current: float, previous: list[float], count: bool = False) -> str:
    """This week's value against the mean of the previous weeks.

    A percentage for amounts ("+12 % vs 4-week mean"); for counts (runs, rest days) the
    difference in plain numbers ("+3 vs 4-week mean of 4"), since "-100 % rest days" reads oddly.
    """
    known = [value for value in previous if value is not None and not math.isnan(value)]
    if not known:
        return "no earlier weeks"
    mean = sum(known) / len(known)
    label = f"{len(known)}-week mean" if len(known) > 1 else "the week before"
    if count:
        difference = round(current - mean, 1)
        shown = f"{mean:.1f}".removesuffix(".0")
        if difference == 0:
            return f"same as {label}" + (f" of {shown}" if len(known) > 1 else "")
        return f"{difference:+g} vs {label}" + (f" of {shown}" if len(known) > 1 else f" ({shown})")
    if mean == 0:
        return f"{label}: 0"
    return f"{(current / mean - 1) * 100:+.0f} % vs {label}"


# -- text ------------------------------------------------------------------------------------
def shorten(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` on one line of printable characters, cut to ``limit`` characters with "…" when
    longer (``inputs.short_text``): an escape sequence in a name neither reaches a terminal
    through a chart's missing-glyph warning nor lands in a file."""
    return short_text(text, limit)


def without_sentence(text: str, sentence: str) -> str:
    """``text`` without ``sentence`` (e.g. the clinician note the page shows once at the top)."""
    if not sentence:
        return text
    return " ".join(text.replace(sentence, " ").split())


#: CommonMark treats these as syntax anywhere in a line (GitHub adds ~ and $); a backslash
#: makes each literal.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]()<>!|~$&])")
#: And these only at the start of a line: a heading, list item, setext rule or "1." numbering
#: (up to three spaces may precede them).
_MD_LINE_START = re.compile(r"^( {0,3})(?:([#+=-])|(\d+)\.)")
_WHITESPACE = re.compile(r"\s+")


def md_escape(text: str) -> str:
    """Text from outside (names, messages, notes) as literal CommonMark inline text.

    Backslash-escapes every character that could start a link, an image, raw HTML, an entity,
    emphasis, code, a table cell or (on GitHub) maths, and folds line breaks into spaces so the
    text cannot start a block of its own. ``<img src=x onerror=...>`` stays text;
    ``[x](javascript:...)`` is no link. Control characters are shown escaped (``inputs.printable``),
    so that ``cat report.md`` cannot retitle or clear a terminal.
    """
    flat = printable(_WHITESPACE.sub(" ", str(text)))  # no escape sequence for `cat report.md`
    escaped = _MD_INLINE.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(2) else f"{m.group(1)}{m.group(3)}\\.",
        escaped,
        count=1,
    )


def md_cell(text: str, limit: int = NAME_LIMIT) -> str:
    """A Markdown table cell: shortened and escaped (a '|' cannot end the cell)."""
    return md_escape(shorten(text, limit))


# -- formulas --------------------------------------------------------------------------------
#: ``X_{t-1}`` / ``X_t`` subscripts and ``e^(-1/42)`` superscripts, as the metrics write them.
_FORMULA = re.compile(r"(?<=[A-Za-z])_\{([^}]*)\}|(?<=[A-Za-z])_([A-Za-z0-9]+)|\^\(([^)]*)\)")

FormulaPart = tuple[str, str]  # ("text" | "sub" | "sup", text)


def formula_parts(text: str) -> tuple[FormulaPart, ...]:
    """A formula written in ASCII (``CTL_{t-1}·e^(-1/42)``) as text, sub- and superscripts.

    Minus signs inside scripts become real minus signs (U+2212).
    """
    parts: list[FormulaPart] = []
    last = 0
    for match in _FORMULA.finditer(text):
        if match.start() > last:
            parts.append(("text", text[last : match.start()]))
        sub = match.group(1) if match.group(1) is not None else match.group(2)
        kind, inner = ("sub", sub) if sub is not None else ("sup", match.group(3))
        parts.append((kind, inner.replace("-", "\u2212")))
        last = match.end()
    if last < len(text):
        parts.append(("text", text[last:]))
    return tuple(parts)


_SUBSCRIPT = str.maketrans(
    "0123456789+\u2212=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"
)


def formula_plain(text: str) -> str:
    """The formula as plain Unicode text: subscripts as subscript letters where Unicode has
    them, ``e^(x)`` as ``exp(x)`` (Markdown has no superscript)."""
    out = []
    for kind, inner in formula_parts(text):
        if kind == "sub":
            lowered = inner.translate(_SUBSCRIPT)
            out.append(lowered if all(not c.isascii() for c in lowered) else f"[{inner}]")
        elif kind == "sup":
            if out and out[-1].endswith("e"):
                out[-1] = out[-1][:-1] + f"exp({inner})"
            else:
                out.append(f"^({inner})")
        else:
            out.append(inner)
    return "".join(out)
