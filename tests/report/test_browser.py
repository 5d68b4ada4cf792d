"""The page in a real browser: Debian's headless Chromium at a phone's width, network blocked.

Skips only when /usr/bin/chromium is absent (scripts/test installs it in CI). With
STRIDEWISE_SCREENSHOT set, the phone screenshot is also saved as docs/report-screenshot.png for
the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stridewise.report import write_report

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


def open_offline(browser, page_path: Path, viewport: dict):
    """A page loaded from its file URL with every other request aborted and recorded."""
    url = page_path.resolve().as_uri()
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
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


def test_the_report_renders_offline_at_phone_width(browser, weekly_report, tmp_path):
    index = write_report(weekly_report, tmp_path / "report", ["html"])["html"]
    context, page, errors, blocked = open_offline(browser, index, PHONE)
    try:
        assert errors == []
        assert blocked == []  # the page asked for nothing beyond itself
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])"
        )
        drawn = [chart for chart in weekly_report.charts if chart.png is not None]
        assert len(images) == len(drawn) > 0
        assert all(complete and width > 0 for _, complete, width in images), images
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        widest = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('main *'))"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert widest <= PHONE["width"]
        screenshot = tmp_path / "report-phone.png"
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.stat().st_size > 10_000
        if os.environ.get("STRIDEWISE_SCREENSHOT"):
            # for the README: the first two phone screens (header, numbers, the first flags)
            target = REPO / "docs" / "report-screenshot.png"
            target.parent.mkdir(exist_ok=True)
            height = min(
                page.evaluate("document.documentElement.scrollHeight"), 2 * PHONE["height"]
            )
            page.screenshot(
                path=str(target),
                full_page=True,
                clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height},
            )
    finally:
        context.close()


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
