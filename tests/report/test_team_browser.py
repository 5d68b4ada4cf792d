"""The team page in a real browser: Debian's headless Chromium at a phone's width, every request
beyond the page's own folder blocked (the approach of ``test_browser.py``).

At 390 px the table stacks into one card per athlete: nothing is wider than the screen, every
row is readable (its cells labelled), nothing is requested from the network, no console errors;
and every athlete's link opens that athlete's weekly report, itself offline. Skips when
/usr/bin/chromium is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, PHONE

from stridewise.profile import load_config
from stridewise.report.model import NOT_MEDICAL_ADVICE
from stridewise.report.team_page import write_team_page
from stridewise.store import Store
from stridewise.team import build_team

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import generate_coach_db as coach  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def team_page(tmp_path_factory) -> tuple[Path, list[str]]:
    """The planted athletes' team page (eight weeks of history) and their names, ranked."""
    folder = tmp_path_factory.mktemp("team-browser")
    athletes = coach.coach_athletes(7)
    with Store(folder / "coach.db") as store:
        coach.fill_coach_store(store, athletes, weeks=8)
    config = folder / "config.toml"
    config.write_text(coach.coach_config(athletes), encoding="utf-8")
    out = folder / "team"
    page = build_team(folder / "coach.db", load_config(config), coach.TEAM_WEEK, coach.TODAY, out)
    index = write_team_page(page, out)["html"]
    return index, [row.athlete for row in page.rows]


def open_folder(browser, index: Path, viewport: dict):
    """A context that serves files under the team folder and aborts (and records) the rest."""
    folder = index.parent.resolve().as_uri() + "/"
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    blocked: list[str] = []

    def only_the_folder(route):
        if route.request.url.startswith(folder):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_folder)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(index.resolve().as_uri(), wait_until="load")
    return context, page, errors, blocked


def test_the_team_page_reads_on_a_phone_offline(browser, team_page):
    index, names = team_page
    context, page, errors, blocked = open_folder(browser, index, PHONE)
    try:
        assert errors == [] and blocked == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        widest = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('main *'))"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert widest <= PHONE["width"]
        # stacked: each athlete's row is a card as wide as the page, its cells labelled
        display = page.evaluate("getComputedStyle(document.querySelector('#team tr')).display")
        assert display == "flex"
        label = page.evaluate(
            "getComputedStyle(document.querySelector('#team td[data-label]'), '::before').content"
        )
        assert label == '"Runs"'
        shown = page.evaluate(
            "Array.from(document.querySelectorAll('#team tbody tr .name')).map(a => a.innerText)"
        )
        assert shown == names  # worst first, as ranked
        visible = page.evaluate("document.body.innerText")
        assert visible.count(NOT_MEDICAL_ADVICE) == 1
        sizes = page.evaluate(
            "Array.from(document.querySelectorAll('main *')).filter(e => e.childElementCount == 0"
            " && e.innerText && e.innerText.trim()).map(e => parseFloat(getComputedStyle(e)"
            ".fontSize))"
        )
        assert min(sizes) >= 11.0  # legible on the phone
        sparks = page.evaluate("document.querySelectorAll('svg.spark').length")
        assert sparks == len(names)  # every athlete has a load trend, eli's included
    finally:
        context.close()


def test_every_athlete_link_opens_their_report(browser, team_page):
    index, names = team_page
    context, page, errors, blocked = open_folder(browser, index, PHONE)
    try:
        links = page.evaluate(
            "Array.from(document.querySelectorAll('#team a.name')).map(a => [a.innerText, a.href])"
        )
        assert [name for name, _ in links] == names
        for name, href in links:
            page.goto(href, wait_until="load")
            assert page.title() == "Weekly report 2026-W47 · stridewise"
            assert page.evaluate("document.querySelector('.eyebrow').innerText") == (
                f"stridewise · weekly report for {name}"
            )
        assert errors == [] and blocked == []
    finally:
        context.close()


def test_the_team_page_on_a_wide_screen_is_one_table(browser, team_page):
    index, names = team_page
    context, page, errors, blocked = open_folder(browser, index, {"width": 1280, "height": 900})
    try:
        assert errors == [] and blocked == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        rows = page.evaluate(
            "Array.from(document.querySelectorAll('#team tbody tr'))"
            ".map(r => Math.round(r.getBoundingClientRect().height))"
        )
        assert len(rows) == len(names) and max(rows) < 250  # one line of cells per athlete
        assert page.evaluate("getComputedStyle(document.querySelector('#team tr')).display") == (
            "table-row"
        )
    finally:
        context.close()
