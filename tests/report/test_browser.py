"""The page in a real browser: Debian's headless Chromium at a phone's width, network blocked.

Skips only when /usr/bin/chromium is absent (scripts/test installs it in CI). At 390 px: chart
text at least 11 CSS px, the page at most 8 screens (844 px) long, no Markdown syntax or raw
formula in the text, the disclaimer exactly once, nothing requested from the network, no console
errors; and the same page in dark mode. With STRIDEWISE_SCREENSHOT set, the phone screenshot is
also saved as docs/report-screenshot.png for the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stridewise.report import style, write_report
from stridewise.report.model import NOT_MEDICAL_ADVICE
from stridewise.rules.base import CLINICIAN_NOTE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_offline(browser, page_path: Path, viewport: dict, color_scheme: str = "light"):
    """A page loaded from its file URL with every other request aborted and recorded."""
    url = page_path.resolve().as_uri()
    context = browser.new_context(
        viewport=viewport, device_scale_factor=1, color_scheme=color_scheme
    )
    blocked: list[str] = []

    def only_the_page(route):
        if route.request.url == url:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_page)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    return context, page, errors, blocked


#: Chart text measured in the page [CSS px]: the size of each SVG <text> as drawn (its font
#: size scaled by rendered width / viewBox width), or for a PNG the chart's smallest font at the
#: PNG's resolution scaled by rendered width / natural width.
CHART_TEXT_JS = """
(minPt, dpi) => Array.from(document.querySelectorAll('figure')).map(figure => {
  const svg = figure.querySelector('svg');
  if (svg) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = Array.from(svg.querySelectorAll('text'))
      .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return [figure.id, 'svg', Math.min(...sizes), sizes.length];
  }
  const img = figure.querySelector('img');
  const scale = img.getBoundingClientRect().width / img.naturalWidth;
  return [figure.id, 'png', minPt * dpi / 72 * scale, 1];
})
"""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The demo's report: the sample history's week 2026-W47, with the sample runner's shoes."""
    from click.testing import CliRunner

    from stridewise.cli import cli
    from stridewise.profile import load_profile
    from stridewise.report import build_report
    from stridewise.store import Store

    samples = REPO / "data" / "samples"
    db = tmp_path_factory.mktemp("demo") / "stridewise.db"
    for args in (["-q", "import", str(samples)], ["shoes", "import", str(samples / "shoes.toml")]):
        assert CliRunner().invoke(cli, ["--db", str(db), *args]).exit_code == 0
    with Store(db, readonly=True) as store:
        profile = load_profile(samples / "config.toml")
        return build_report(store, "me", profile, week="2026-W47")


@pytest.mark.parametrize("which", ["weekly_report", "demo_report"])
def test_the_report_renders_offline_at_phone_width(browser, which, request, tmp_path):
    weekly_report = request.getfixturevalue(which)
    index = write_report(weekly_report, tmp_path / "report", ["html"])["html"]
    context, page, errors, blocked = open_offline(browser, index, PHONE)
    try:
        assert errors == []
        assert blocked == []  # the page asked for nothing beyond itself
        shown, folded = weekly_report.chart_groups()
        drawn = [chart for chart in shown + folded if chart.image is not None]
        # the remedies and recovery charts are drawn (strength, yoga, resting HR and sleep)
        assert {"minutes-by-kind", "recovery"} <= {chart.key for chart in drawn}
        # charts of the week's flags are open; the others fold under "More charts"
        assert [chart.key for chart in shown][:1] == ["weekly-distance"]
        if which == "weekly_report":  # its week has a resting_hr_rise: the recovery chart opens
            assert "recovery" in [chart.key for chart in shown]
        assert page.evaluate("document.querySelector('#more-charts').open") is False
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true })")
        figures = page.evaluate(CHART_TEXT_JS, [style.MIN_FONT_PT, style.DPI])
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = false })")
        assert [figure[0] for figure in figures] == [f"chart-{c.key}" for c in drawn]
        assert len(drawn) > 0
        for key, kind, smallest, count in figures:
            assert count > 0, key
            assert smallest >= 11.0, (key, kind, smallest)  # legible on the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        widest = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('main *'))"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert widest <= PHONE["width"]
        # short enough to read on a phone: details fold into <details>
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 8 * PHONE["height"], height / PHONE["height"]
        visible = page.evaluate("document.body.innerText")
        everything = page.evaluate("document.body.textContent")
        for text in (visible, everything):
            assert "`" not in text  # no Markdown syntax in the page
            assert "_{" not in text and "^(" not in text  # formulas as sub- and superscripts
            assert CLINICIAN_NOTE not in text
            assert text.count(NOT_MEDICAL_ADVICE) == 1  # the disclaimer once, at the top
        assert visible.index(NOT_MEDICAL_ADVICE) < visible.index("The week in numbers")
        screenshot = tmp_path / "report-phone.png"
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.stat().st_size > 10_000
        if os.environ.get("STRIDEWISE_SCREENSHOT") and which == "demo_report":
            # for the README: the first two phone screens (header, numbers, the first flags)
            target = REPO / "docs" / "report-screenshot.png"
            target.parent.mkdir(exist_ok=True)
            page.screenshot(
                path=str(target),
                full_page=True,
                clip={"x": 0, "y": 0, "width": PHONE["width"], "height": min(height, 2 * 844)},
            )
    finally:
        context.close()


def test_the_report_follows_dark_mode(browser, weekly_report, tmp_path):
    index = write_report(weekly_report, tmp_path / "report", ["html"])["html"]
    context, page, errors, blocked = open_offline(browser, index, PHONE, color_scheme="dark")
    try:
        assert errors == [] and blocked == []
        colours = page.evaluate(
            """() => [
              getComputedStyle(document.body).backgroundColor,
              getComputedStyle(document.body).color,
              getComputedStyle(document.querySelector('.chart-card')).backgroundColor,
            ]"""
        )
        background, ink, card = (luminance(colour) for colour in colours)
        assert background < 0.1 and ink > 0.7  # light text on a dark page
        assert card == 1.0  # charts keep their white card: their colours read the same
    finally:
        context.close()


def luminance(css_colour: str) -> float:
    """Relative brightness [0-1] of an ``rgb(r, g, b)`` colour (mean of the channels)."""
    channels = [int(value) for value in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / (3 * 255)


def test_the_report_prints_without_overflow(browser, weekly_report, tmp_path):
    index = write_report(weekly_report, tmp_path / "report", ["html"])["html"]
    context, page, errors, _ = open_offline(browser, index, {"width": 794, "height": 1123})
    try:
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth") <= 794
        assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "none"
        assert len(page.pdf(format="A4")) > 10_000
        assert errors == []
    finally:
        context.close()
