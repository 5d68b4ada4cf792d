"""Text from outside in the report: names from files, planted links, Markdown and HTML payloads.

Shoe, run and athlete names come from watch files and exports; a report must show them as
text, whatever they contain, and writing it must never follow a link planted at a target.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from report_history import ATHLETE, FIRST_MONDAY, PROFILE, TODAY, fill_store
from test_writers import SPIKE, WARMUP, make_report

from stridewise.report import build_report, default_out_dir, write_report
from stridewise.report.formatting import md_escape
from stridewise.report.html import render_html
from stridewise.report.markdown import render_markdown
from stridewise.report.model import RunRow
from stridewise.shoes import name_key
from stridewise.store import Store

DOLLARS = "Pegasus $120 / Vomero $160"
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![](http://evil/p.png)",
    "<script>alert(1)</script>",
    "left | right",
    "# heading",
    "`code` *em* _em_ ~~strike~~ $x$ &amp;",
]


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory) -> Path:
    """The report history without shoes, for tests that add their own pair."""
    path = tmp_path_factory.mktemp("bare") / "stridewise.db"
    with Store(path) as store:
        fill_store(store, shoes=False)
    return path


def report_with_shoe(bare_db: Path, tmp_path: Path, name: str):
    copy = tmp_path / "with-shoe.db"
    shutil.copy(bare_db, copy)
    with Store(copy) as store:
        # straight into the store: `shoes add` refuses such a name, but a database written by
        # another version, or by hand, may hold one
        store.insert_shoe(
            ATHLETE,
            name,
            name_key(name),
            initial_km=350,
            limit_km=700,
            is_default=True,
            since=FIRST_MONDAY,
        )
        return build_report(store, ATHLETE, PROFILE, today=TODAY)


# -- files ------------------------------------------------------------------------------------
def test_a_planted_symlink_is_replaced_never_followed(tmp_path):
    report = make_report()
    folder = tmp_path / default_out_dir(report)
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    for name in ("report.md", "index.html", "report.json", "shoes.svg"):
        (folder / name).symlink_to(victim)
    written = write_report(report, folder)
    assert victim.read_text(encoding="utf-8") == "precious"
    for kind in ("md", "html", "json", "chart:shoes"):
        assert not written[kind].is_symlink() and written[kind].is_file()
    assert written["md"].read_text(encoding="utf-8").startswith("# Week 2026-W47")
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_a_report_is_written_whole_and_private(tmp_path):
    written = write_report(make_report(), tmp_path / "out")
    for path in written.values():
        assert path.stat().st_mode & 0o077 == 0  # health data: the owner's only
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    assert document["week"] == "2026-W47"


# -- charts -----------------------------------------------------------------------------------
def test_a_dollar_in_a_shoe_name_is_text_not_maths(bare_db, tmp_path):
    report = report_with_shoe(bare_db, tmp_path, DOLLARS)
    (shoes,) = [chart for chart in report.charts if chart.key == "shoes"]
    svg = shoes.image.data.decode("utf-8")
    # one text element, as written (shortened to the chart's 24 characters); mathtext would have
    # failed on "$120 / Vomero $" or drawn it as a formula
    assert re.search(r">Pegasus \$120 / Vomero \$…</text>", svg)
    paths = write_report(report, tmp_path / "out", ["json"])
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["shoes"][0]["name"] == DOLLARS


def test_a_huge_shoe_name_is_shortened_and_stays_fast(bare_db, tmp_path):
    name = "Pegasus " + "x" * 100_000
    started = time.perf_counter()
    report = report_with_shoe(bare_db, tmp_path, name)
    paths = write_report(report, tmp_path / "out")
    elapsed = time.perf_counter() - started
    assert elapsed < 20, elapsed  # it took 39 s when the chart laid out the whole name
    (shoes,) = [chart for chart in report.charts if chart.key == "shoes"]
    labels = re.findall(r">(Pegasus x*…?)</text>", shoes.image.data.decode("utf-8"))
    assert labels and all(len(label) <= 24 for label in labels)
    assert re.search(r"Pegasus x{10,39}…", paths["md"].read_text(encoding="utf-8"))
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["shoes"][0]["name"] == name


# -- Markdown and HTML ------------------------------------------------------------------------
def hostile_report(payload: str):
    run = RunRow(
        id=1,
        local_date=SPIKE.date,
        local_time="07:30",
        name=payload,
        distance_km=10.0,
        duration_s=3300.0,
        surface="road",
        surface_source="file",
        shoe=payload,
        avg_heart_rate_bpm=None,
        load=None,
    )
    flag = replace(WARMUP, message=f"Shoe '{payload}' passed its limit.", remedy=payload)
    return make_report(
        athlete=payload, runs=[run], flags=[flag, SPIKE], notes=[payload], went_well=[payload]
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_shows_names_and_messages_as_text(payload):
    text = render_markdown(hostile_report(payload))
    assert md_escape(payload) in text
    unescaped = re.sub(r"\\.", "", text)  # what a CommonMark reader may still treat as syntax
    assert "<" not in unescaped  # no raw HTML: no <img>, <script>, autolink
    assert "](javascript:" not in unescaped and "![](http" not in unescaped
    assert not re.search(r"^#+ (heading|<)", text, re.MULTILINE)
    # every row of the runs table keeps its seven columns
    (row,) = [line for line in text.splitlines() if line.startswith("| Sun 22 Nov")]
    assert len(re.findall(r"(?<!\\)\|", row)) == 8


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_page_escapes_names_and_messages(payload):
    page = render_html(hostile_report(payload))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript' not in page and 'src="http' not in page
    body = page[page.index("<body>") :]
    assert "<script" not in body and "<img" not in body


def test_a_chart_name_cannot_break_out_of_the_svg(bare_db, tmp_path):
    report = report_with_shoe(bare_db, tmp_path, "</svg><script>alert(1)</script>")
    page = render_html(report)
    assert "<script" not in page
    drawn = sum(chart.image is not None for chart in report.charts)
    assert page.count("<svg") == page.count("</svg>") == drawn


# -- units ------------------------------------------------------------------------------------
def test_an_imperial_report_shows_every_distance_in_miles(report_db):
    imperial = replace(PROFILE, units="imperial")
    with Store(report_db) as store:
        report = build_report(store, ATHLETE, imperial, today=TODAY, draw_charts=False)
    (mileage,) = [flag for flag in report.flags if flag.rule == "shoe_mileage"]
    assert mileage.unit == "km" and mileage.threshold == 700.0  # the rule works in km
    page, markdown = render_html(report), render_markdown(report)
    for text in (page, markdown):
        assert "Value 503.9 mi · threshold 435.0 mi" in text  # 811 and 700 km
        assert not re.search(r"(Value|threshold) [\d.]+ km", text)
        assert "28.0 mi" in text  # the week's 45 km
